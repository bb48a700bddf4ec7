"""Mutation testing, second round, of the differentiable vjps (autograd/tensor/vjp_graph.py, backward with
create_graph=True) and of autograd.functional: each test fails on a deliberate mistake (named in its comment) that
the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""


from autograd import Tensor
from autograd.functional import grad, hessian


def test_a_max_with_ties_shares_its_gradient_also_when_the_gradient_is_a_graph():
    # mutant: vjp_graph's max/min share = hit (every tied extreme gets all of g) instead of hit / (number of ties).
    # The engine's own vjp gives each of k tied maxima g / k (as PyTorch's amax); the rebuilt one must agree:
    # x = [1, 3, 3] has two maxima, so dmax/dx = s = [0, 1/2, 1/2] (the mutant gave [0, 1, 1]).
    x = Tensor([1.0, 3.0, 3.0], requires_grad=True)
    (g,) = grad(x.max(), x, create_graph=True)
    assert g.data.tolist() == [0.0, 0.5, 0.5]
    # f = max(x)^2: df/dx = 2 max(x) s, and its derivative (s constant away from a change of the winners) is
    # 2 s s^T: 1/2 where both indices are tied maxima, 0 elsewhere.
    H = hessian(lambda t: t.max() ** 2, Tensor([1.0, 3.0, 3.0]))
    assert H.data.tolist() == [[0.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.0, 0.5, 0.5]]
    # the same for min, along an axis: rows [2, 2, 5] and [4, 1, 7] have 2 and 1 minima
    y = Tensor([[2.0, 2.0, 5.0], [4.0, 1.0, 7.0]], requires_grad=True)
    (gy,) = grad(y.min(axis=1).sum(), y, create_graph=True)
    assert gy.data.tolist() == [[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]]
