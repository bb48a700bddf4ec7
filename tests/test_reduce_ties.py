"""Ties and NaN in max and min: the choice, the same in backward() and in backward(create_graph=True).

k tied extremes share the gradient equally, 1/k each (as torch.amax; numpy has no gradient to copy). A NaN in a
reduced slice makes its maximum NaN (numpy's np.max) and every gradient of that slice NaN (torch.amax does the
same), while the other slices keep their exact gradients: nothing quietly reads as a number there.
"""

import numpy as np
import pytest

from autograd import Tensor, grad
from autograd.functional import hessian

pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")


@pytest.mark.parametrize("op", ["max", "min"])
def test_tied_extremes_share_the_gradient_equally_with_and_without_create_graph(op):
    rows = np.array([[3.0, 1.0, 3.0], [2.0, 2.0, 2.0], [-1.0, 5.0, 0.0]])
    rows = rows if op == "max" else -rows
    g = np.array([2.0, 3.0, 5.0])
    share = np.array([[1 / 2, 0, 1 / 2], [1 / 3, 1 / 3, 1 / 3], [0, 1, 0]])     # by hand: 1/k at each of k ties
    x = Tensor(rows, requires_grad=True)
    getattr(x, op)(axis=1).backward(g)
    np.testing.assert_allclose(x.grad, share * g[:, None], rtol=0, atol=1e-15)
    x = Tensor(rows, requires_grad=True)
    (d,) = grad(getattr(x, op)(axis=1), [x], grad_outputs=Tensor(g), create_graph=True)
    np.testing.assert_allclose(d.data, share * g[:, None], rtol=0, atol=1e-15)


def test_hessian_of_the_squared_max_at_a_tie_uses_the_same_shares():
    # f = (max x)^2 with x_0 = x_2 tied: df/dx = 2 m s (s = [1/2, 0, 1/2]), and s is constant, so H = 2 s s^T
    x = Tensor([4.0, 1.0, 4.0])
    s = np.array([0.5, 0.0, 0.5])
    H = hessian(lambda t: t.max() ** 2, x)
    np.testing.assert_allclose(H.data, 2 * np.outer(s, s), rtol=0, atol=1e-15)


@pytest.mark.parametrize("op", ["max", "min"])
def test_a_nan_makes_its_slice_and_only_its_slice_nan_in_value_and_gradient(op):
    rows = np.array([[1.0, np.nan, 3.0], [4.0, 7.0, 6.0]])
    x = Tensor(rows, requires_grad=True)
    y = getattr(x, op)(axis=1)
    assert np.isnan(y.data[0]) and y.data[1] == getattr(np, op)(rows[1])
    y.backward(np.array([1.0, 1.0]))
    assert np.isnan(x.grad[0]).all()
    expected = (rows[1] == getattr(np, op)(rows[1])).astype(float)
    np.testing.assert_array_equal(x.grad[1], expected)
    x = Tensor(rows, requires_grad=True)
    (d,) = grad(getattr(x, op)(axis=1), [x], grad_outputs=Tensor([1.0, 1.0]), create_graph=True)
    assert np.isnan(d.data[0]).all()
    np.testing.assert_array_equal(d.data[1], expected)
