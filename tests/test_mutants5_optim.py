"""Mutation testing, fifth round: nn.optim. Adam's public step counter ``t`` counts the steps taken (as the
per-parameter counts do, for a parameter that had a gradient every time), and a parameter of the user's own kind
whose ``.data`` is a Python float moves by the arithmetic on that float, with no ``-=`` of its class needed."""

import numpy as np

from autograd import Tensor, Value
from nn.optim import SGD, Adam


def test_adam_counts_every_step_taken_in_t_as_each_parameter_with_a_gradient_counts_its_own():
    w, skipped = Tensor([1.0, -2.0], requires_grad=True), Tensor([3.0], requires_grad=True)
    opt = Adam([w, skipped], lr=0.1)
    for k in range(1, 4):
        opt.zero_grad()
        (w * w).sum().backward()                       # skipped gets no gradient: its own count stays 0
        opt.step()
        assert opt.t == k and opt._t == [k, 0]


class _FloatParam:
    """A node nn does not know, holding a Python float: numbers, a gradient and zero_grad, but no arithmetic of
    its own (no ``-=``): the optimizer must compute its new number as it does a Value's."""

    def __init__(self, data: float) -> None:
        self.data, self.grad = data, None

    def zero_grad(self) -> None:
        self.grad = None


def test_sgd_moves_a_parameter_of_the_users_own_kind_holding_a_float_without_its_own_minus_equals():
    p, v = _FloatParam(1.5), Value(1.5)
    p.grad = v.grad = 0.25
    SGD([p, v], lr=0.1, momentum=0.5).step()
    assert type(p.data) is float and p.data == 1.5 - 0.1 * 0.25 == v.data


def test_adam_moves_a_parameter_of_the_users_own_kind_holding_a_float_as_it_moves_a_value():
    p, v = _FloatParam(-0.75), Value(-0.75)
    p.grad = v.grad = 2.0
    opt = Adam([p, v], lr=0.1)
    opt.step()
    g = 2.0                                            # the first step: lr * m_hat / (sqrt(v_hat) + eps)
    assert type(p.data) is float and p.data == v.data and abs(p.data - (-0.75 - 0.1 * g / (abs(g) + 1e-8))) < 1e-15
    assert np.isfinite(p.data)


def test_lbfgs_stops_before_moving_when_the_largest_gradient_entry_equals_tolerance_grad():
    # torch.optim.LBFGS: "if flat_grad.abs().max() <= tolerance_grad: return orig_loss", at equality too
    from nn.optim import LBFGS
    w = Tensor([1.0, -0.5], requires_grad=True)
    opt = LBFGS([w], tolerance_grad=2.0)             # the gradient of sum(w^2) at w is 2w = (2, -1): max |g| = 2

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    first = opt.step(closure)
    assert first.item() == 1.25 and w.data.tolist() == [1.0, -0.5]
    assert opt.state["n_iter"] == 0 and opt.state["func_evals"] == 1


class _ArrayParam:
    """A node nn does not know, holding an array: it moves by its own ``-=``."""

    def __init__(self, data: list) -> None:
        self.data, self.grad = np.array(data), None

    def zero_grad(self) -> None:
        self.grad = None

    def __isub__(self, delta: np.ndarray) -> "_ArrayParam":
        self.data = self.data - delta
        return self


def test_lbfgs_moves_a_column_of_the_users_own_kind_as_it_moves_the_same_column_as_a_tensor():
    # the flat step's piece must take the parameter's shape: a (2,) piece taken from a (2, 1) column broadcasts to
    # (2, 2) without a word
    from nn.optim import LBFGS
    start, target = [[1.0], [-2.0]], np.array([[0.5], [0.25]])

    def run(p, grad_of):
        opt = LBFGS([p], max_iter=3)

        def closure():
            opt.zero_grad()
            p.grad = grad_of(p)
            return float(((np.asarray(p.data) - target) ** 2).sum())

        opt.step(closure)
        return np.asarray(p.data)

    gradient = lambda p: 2 * (p.data - target)      # noqa: E731 (d/dp |p - target|^2, assigned by hand)
    mine, theirs = run(_ArrayParam(start), gradient), run(Tensor(start, requires_grad=True), gradient)
    assert mine.shape == (2, 1)
    np.testing.assert_array_equal(mine, theirs)
