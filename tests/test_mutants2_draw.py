"""Mutation testing, second round, of autograd/draw: each test fails on a deliberate mistake (named in its comment)
that the rest of the suite let pass. Expected numbers are worked out by hand from draw's documented scale."""

import numpy as np

from autograd import Tensor, to_dot
from tests.test_draw import box_of, parse


def test_highlight_grad_measures_a_tensors_gradient_by_its_root_mean_square_not_its_norm():
    # mutant: a Tensor's gradient magnitude as sqrt(sum g^2) (its norm) instead of sqrt(mean g^2), as the
    # docstring says. L = sum(a) * b with a of 100 entries, b = [1]: dL/da = b = 1 in each entry (RMS 1, norm 10),
    # dL/db = sum(a) = 100 (RMS 100, the largest). Shade 6 at the largest, one less per decade below it:
    # b gets 6, a (two decades below) 4; with the norm a was one decade below, shade 5.
    a = Tensor(np.ones(100), requires_grad=True, name="a")
    b = Tensor([1.0], requires_grad=True, name="b")
    (a.sum() * b).sum().backward()
    assert a.grad.tolist() == [1.0] * 100 and b.grad.tolist() == [100.0]
    nodes, _ = parse(to_dot(a.sum() * b, highlight_grad=True))
    assert box_of(nodes, "b")["fillcolor"] == "/orrd9/6"
    assert box_of(nodes, "a")["fillcolor"] == "/orrd9/4"
