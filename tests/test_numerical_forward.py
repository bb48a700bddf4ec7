"""numerical_grad(..., scheme="forward"): seed 003's one-sided difference beside central differences."""

import numpy as np
import pytest

from autograd import Tensor, Value, numerical_grad


def test_forward_scheme_is_the_one_sided_difference_of_seed_003():
    x = Value(0.7)
    f = lambda v: v.exp()                                        # noqa: E731
    eps = 1e-4
    (g,) = numerical_grad(f, [x], eps=eps, scheme="forward")
    assert g == (np.exp(0.7 + eps) - np.exp(0.7)) / eps         # (L(w + eps) - L(w)) / eps, the same floats
    assert x.data == 0.7


def test_forward_error_is_of_order_eps_and_central_of_order_eps_squared():
    t = Tensor(np.array([0.3, -1.2, 2.0]))
    f = lambda v: (v * v * v).sum()                              # noqa: E731  d/dx = 3 x^2, f'' = 6 x
    exact = 3 * t.data ** 2
    fwd = [np.max(np.abs(numerical_grad(f, [t], eps=e, scheme="forward")[0] - exact)) for e in (1e-3, 5e-4)]
    cen = [np.max(np.abs(numerical_grad(f, [t], eps=e)[0] - exact)) for e in (1e-3, 5e-4)]
    assert fwd[0] / fwd[1] == pytest.approx(2.0, rel=0.01)      # halve eps, halve the error: O(eps)
    assert cen[0] / cen[1] == pytest.approx(4.0, rel=0.01)      # O(eps^2)
    assert fwd[0] == pytest.approx(0.5 * 1e-3 * 6 * 2.0, rel=0.01)   # the leading term eps f''(x) / 2


def test_forward_scheme_needs_one_pass_per_parameter_and_central_two():
    calls = [0]
    a, b = Tensor(np.ones((3, 4))), Tensor(np.array(2.0))

    def f(x, y):
        calls[0] += 1
        return (x * x).sum() * y

    numerical_grad(f, [a, b], scheme="forward")
    assert calls[0] == 12 + 1 + 1                                # one per entry, and one at x
    calls[0] = 0
    numerical_grad(f, [a, b])
    assert calls[0] == 2 * 13


def test_forward_scheme_with_grad_output_and_unknown_schemes():
    t = Tensor(np.array([1.0, 2.0]))
    (g,) = numerical_grad(lambda v: v * v, [t], scheme="forward", grad_output=np.array([1.0, 0.5]))
    np.testing.assert_allclose(g, [2.0, 2.0], rtol=1e-5)
    with pytest.raises(ValueError, match="scheme"):
        numerical_grad(lambda v: v * v, [Value(1.0)], scheme="backward")
