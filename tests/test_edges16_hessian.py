"""Hessians of y = a / b at a = 0 beside a |b| whose 1/b overflows (below 5.6e-309), Tensors.

There DIV's slope -y/b is built -(a / b) / b on the entries where() chooses, and -y/b' (b' = 1 there) on the side
it leaves out. That side still read y = a / b, whose slope towards a is 1/b = inf, and the 0 that where() sends
it made 0 * inf = NaN: d2y/db da came out NaN, where by hand it is -1/b^2 = -1/5e-324^2, beyond the range: -inf
(and the symmetric d2y/da db was -inf already). The left-out side now reads a alone: -(a / b') / b'.

Left as it is (the report says why): a Hessian of ONE Tensor [a, b] seeds each row with a one-hot vector, whose
0 entries times the other rows' infinite partials are NaN (d2y/da2 = 0 and d2y/db2 = 2a/b^3 = 0 read NaN there;
PyTorch's hessian gives NaN at d2y/db2 too)."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, grad
from autograd.functional import hessian

pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")   # -1/b^2 = -inf: IEEE's


@pytest.mark.parametrize("b", [5e-324, 1e-310])
def test_the_mixed_second_derivative_of_a_quotient_is_minus_inf_not_nan_at_a_0(b):
    H = hessian(lambda a, b: (a / b).sum(), (Tensor([0.0]), Tensor([b])))
    blocks = [[float(block.data.ravel()[0]) for block in row] for row in H]
    # by hand: d2/da2 (a/b) = 0, d2/da db = d2/db da = -1/b^2 = -inf (beyond the range), d2/db2 = 2a/b^3 = 0
    assert blocks == [[0.0, -np.inf], [-np.inf, 0.0]]


def test_entries_on_both_sides_of_the_cut_keep_their_own_second_derivatives():
    # one row of [0, 3] / [5e-324, 2] on each side of the cut; d/da_j of sum_i dy_i/db_i = -1/b_j^2 (the one-hot
    # rows of hessian() would meet the NaN of the module's docstring off the diagonal)
    a = Tensor([0.0, 3.0], requires_grad=True)
    b = Tensor([5e-324, 2.0], requires_grad=True)
    (slope_b,) = grad((a / b).sum(), [b], create_graph=True)
    assert slope_b.data.tolist() == [-0.0, -0.75]                        # -a/b^2: the first derivative as before
    d_a, d_b = grad(slope_b.sum(), [a, b])
    assert np.asarray(d_a.data).tolist() == [-np.inf, -0.25]             # -1/b^2
    assert np.asarray(d_b.data).tolist() == [0.0, 0.75]                  # 2 a / b^3
