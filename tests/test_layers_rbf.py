"""nn.RBF, hostile: gradients towards inputs, centres and widths where the widths are tiny or huge or negative
(as training can leave them), against the closed forms dphi/dc = phi (x - c) / s^2, dphi/ds = phi ||x - c||^2 / s^3
and against central differences."""

import warnings

import numpy as np
import pytest

from autograd import Tensor, gradcheck
from nn import RBF


def grads(layer, X):
    x = Tensor(X, requires_grad=True)
    phi = layer(x)
    phi.sum().backward()
    return phi.data, x.grad, layer.centres.grad, layer.widths.grad


@pytest.mark.parametrize("s", [1e-150, 1e-120, 1e-100, 1e-80])
def test_tiny_widths_give_zero_not_nan_gradients_where_phi_underflows(s):
    # far from the centre (|x - c| / s ~ 1e80 and more) phi = 0 in float64 and so is every true gradient; dividing
    # ||x - c||^2 by 2 s^2 made the slope towards s overflow (z / (2 s^2)^2 = inf) and 0 * inf = NaN
    with warnings.catch_warnings():
        warnings.simplefilter("error")                      # no overflow on the way either
        phi, gx, gc, gs = grads(RBF(2, 2, centres=[[0.0, 0.0], [1.0, -1.0]], widths=s), np.array([[0.5, 0.25]]))
    assert np.array_equal(phi, np.zeros((1, 2)))
    for g in (gx, gc, gs):
        assert np.all(g == 0.0), g


@pytest.mark.parametrize("s", [1e-150, 1e-100, 1e-80, 1e-5])
def test_tiny_widths_give_the_closed_form_gradients_within_a_width_of_the_centre(s):
    c, u = np.array([[0.3, -0.2]]), np.array([0.6, -0.8])            # x = c + s u, ||u|| = 1
    x = c + s * u
    layer = RBF(2, 1, centres=c, widths=s)
    phi, gx, gc, gs = grads(layer, x)
    d = (x - c) / s                                                   # (x - c) / s, without forming s^2
    p = np.exp(-0.5 * np.sum(d * d))
    np.testing.assert_allclose(phi[0, 0], p, rtol=1e-14)
    np.testing.assert_allclose(gc, p * d / s, rtol=1e-12)            # phi (x - c) / s^2
    np.testing.assert_allclose(gx[0], -p * d[0] / s, rtol=1e-12)
    np.testing.assert_allclose(gs, [p * np.sum(d * d) / s], rtol=1e-12)   # phi ||x - c||^2 / s^3


def test_widths_whose_gradient_would_overflow_are_refused_by_name():
    # 1e-155: accepted before, and the gradient towards it was NaN even a unit away from the centre
    for s in (1e-155, 1e-160, 5e-324):
        with pytest.raises(ValueError, match=r"RBF: widths .*below 1e-150"):
            RBF(1, 2, centres=[[0.0], [1.0]], widths=[1.0, s])


def test_huge_widths_build_without_warnings_and_give_phi_one_and_zero_gradients():
    with warnings.catch_warnings():
        warnings.simplefilter("error")                      # 2 s^2 overflowed in the check: a RuntimeWarning
        layer = RBF(2, 2, centres=[[0.0, 0.0], [3.0, 4.0]], widths=1e200)
        phi, gx, gc, gs = grads(layer, np.array([[1.0, 1.0], [-2.0, 5.0]]))
    assert np.array_equal(phi, np.ones((2, 2)))          # exp(-z / 2e400) rounds to 1
    assert np.all(gx == 0) and np.all(gc == 0) and np.all(gs == 0)


def test_gradients_pass_central_differences_for_negative_and_mixed_widths():
    # training can carry a width through 0 to a negative number: phi depends on s^2, the slope on s^3
    rng = np.random.default_rng(4)
    layer = RBF(3, 4, centres=rng.standard_normal((4, 3)), widths=1.0)
    X = Tensor(rng.standard_normal((6, 3)), requires_grad=True)
    layer.widths = Tensor(np.array([-0.7, 1.3, -2.0, 0.4]), requires_grad=True)

    def f(x, c, s):
        layer.centres, layer.widths = c, s
        return layer(x)

    assert gradcheck(f, [X, layer.centres, layer.widths])
    s = layer.widths.data
    phi = f(X, layer.centres, layer.widths).data
    z = ((X.data[:, None, :] - layer.centres.data[None]) ** 2).sum(axis=2)
    np.testing.assert_allclose(phi, np.exp(-z / (2 * s ** 2)), rtol=1e-14)


def test_inputs_far_from_every_centre_give_zero_and_nan_inputs_give_nan():
    layer = RBF(2, 3, seed=0)
    out = layer(np.array([[1e3, -1e3], [np.inf, 0.0], [np.nan, 0.0]])).data
    assert np.array_equal(out[:2], np.zeros((2, 3))) and np.isnan(out[2]).all()
