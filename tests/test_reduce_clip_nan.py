"""clip passes a NaN entry through (numpy's np.clip), so its gradient goes through too, as for every other op of
the engine that returns its NaN operand: relu(NaN), maximum(NaN, c) and minimum(NaN, c) all give it g. clip(x, lo,
hi) is minimum(maximum(x, lo), hi) and must differentiate as that composition does, NaN or not."""

import numpy as np
import pytest

from autograd import Tensor, grad, maximum, minimum

pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")

XS = [np.nan, -2.0, 0.0, 0.5, 1.0, 3.0, np.inf, -np.inf]


@pytest.mark.parametrize("lo, hi", [(0.0, 1.0), (0.0, None), (None, 1.0)])
def test_clip_differentiates_as_minimum_of_maximum_at_nan_and_everywhere_else(lo, hi):
    g = np.arange(1.0, len(XS) + 1)
    x = Tensor(XS, requires_grad=True)
    y = x.clip(lo, hi)
    y.backward(g)

    z = Tensor(XS, requires_grad=True)
    w = z
    if lo is not None:
        w = maximum(w, lo)
    if hi is not None:
        w = minimum(w, hi)
    w.backward(g)
    np.testing.assert_array_equal(y.data, w.data)
    # away from the bounds both are 1 inside and 0 outside; at a NaN (passed through) both give g
    off = ~np.isin(XS, [lo, hi])    # at a bound clip gives 1, the composition 1/2 (a tie): two conventions
    np.testing.assert_array_equal(x.grad[off], z.grad[off])
    assert x.grad[0] == g[0]


def test_clip_gradient_at_nan_with_create_graph_is_the_first_order_one():
    x = Tensor([np.nan, 0.5, 2.0], requires_grad=True)
    (d,) = grad(x.clip(0.0, 1.0).sum(), [x], create_graph=True)
    np.testing.assert_array_equal(d.data, [1.0, 1.0, 0.0])
