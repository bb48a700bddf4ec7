"""The second and third derivatives of tanh, sigma and softplus (grad(..., create_graph=True) again and again)
within 4 ulp of mpmath's closed forms from x = 1e-300 to the tails, on both engines and in float64 and float32.
Near 0 these derivatives are odd and small (tanh'' = -2x, sigma'' = -x/8): tanh' and sigma' written as
e^-|x|-forms differentiated to a difference of two terms near 1/4 that cancelled, so sigma''(1e-9) had 7 digits
and sigma''(1e-17) and tanh''(1e-17) came out 0; softplus''' (sigma'') with them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Tensor, Value, grad

mpmath = pytest.importorskip("mpmath")


def _sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def _sigmoid_derivatives(x):                        # s', s'' = s' (1 - 2 s) = -s' tanh(x/2), s''' = s' (1 - 6 s')
    d1 = _sigmoid(x) * _sigmoid(-x)
    return [d1, -d1 * mpmath.tanh(x / 2), d1 * (1 - 6 * d1)]


def _tanh_derivatives(x):                           # sech^2 x, -2 t sech^2 x, -2 sech^2 x (sech^2 x - 2 t^2)
    s2, t = 1 / mpmath.cosh(x) ** 2, mpmath.tanh(x)
    return [s2, -2 * t * s2, -2 * s2 * (s2 - 2 * t * t)]


# name: (the op, its 1st, 2nd and 3rd derivatives in mpmath)
FUNCTIONS = {
    "tanh": (lambda v: v.tanh(), _tanh_derivatives),
    "sigmoid": (lambda v: v.sigmoid(), _sigmoid_derivatives),
    "softplus": (lambda v: v.softplus(), lambda x: [_sigmoid(x)] + _sigmoid_derivatives(x)[:2]),
}
# from 1e-300 to the tails (none at a zero of a third derivative: tanh''' at 0.658, sigma''' at 1.317), and the
# points where the rules change form (|x| = 1/2 for tanh, 1 for sigma)
_POSITIVE = [1e-300, 1e-200, 1e-100, 1e-30, 1e-17, 1e-9, 1e-5, 1e-3, 0.1, 0.3, 0.5, 0.9, 1.0, 2.0, 5.0, 19.5, 40.0]
POINTS = _POSITIVE + [-x for x in _POSITIVE]


def derivatives(f, x0: float, dtype: str | None) -> list[float]:
    """f', f'', f''' at x0 (a Value for dtype None, else a Tensor of that dtype), each the gradient of the last."""
    x = Value(x0) if dtype is None else Tensor(np.array([x0], dtype=dtype), requires_grad=True)
    y, found = f(x), []
    for _ in range(3):
        (y,) = grad(y if dtype is None else y.sum(), [x], create_graph=True)
        found.append(y.data if dtype is None else float(y.data[0]))
    return found


@pytest.mark.parametrize("dtype", [None, "float64", "float32"], ids=["Value", "Tensor64", "Tensor32"])
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_second_and_third_derivatives_are_within_4_ulp_of_mpmath_near_0_and_far_out(name, dtype):
    mpmath.mp.dps = 50
    f, exact = FUNCTIONS[name]
    tiny = 1e-30 if dtype == "float32" else 0.0           # float32 holds no 1e-100 (nor its derivatives' normals)
    off = []
    for x0 in (x for x in POINTS if abs(x) >= tiny):
        if dtype == "float32":
            x0 = float(np.float32(x0))                     # the argument the engine sees, and mpmath too
        ulp = np.spacing(np.float32(1.0)) if dtype == "float32" else math.ulp(1.0)
        for n, (got, want) in enumerate(zip(derivatives(f, x0, dtype), exact(mpmath.mpf(x0))), start=1):
            if n > 1 and abs(mpmath.mpf(got) - want) > 4 * ulp * abs(want):
                off.append((n, x0, got, float(want), float(abs(mpmath.mpf(got) / want - 1) / ulp)))
    assert not off, f"{name}: (order, x, ours, mpmath's, ulp off): {off}"


@pytest.mark.parametrize("dtype", [None, "float64"], ids=["Value", "Tensor"])
def test_a_second_derivatives_first_derivative_is_the_default_backwards_number(dtype):
    """Near 0 the graph takes another form of tanh' and sigma' (one that differentiates without cancelling),
    shifted onto the default pass's numbers: create_graph=True changes no first derivative, to the bit."""
    for f in (lambda v: v.tanh(), lambda v: v.sigmoid()):
        for x0 in (1e-9, 0.3, -0.5, 0.9, -1.0):
            x = Value(x0) if dtype is None else Tensor(np.array([x0]), requires_grad=True)
            (recorded,) = grad(f(x) if dtype is None else f(x).sum(), [x], create_graph=True)
            (plain,) = grad(f(x) if dtype is None else f(x).sum(), [x])
            assert (recorded.data if dtype is None else recorded.data[0]) == \
                (plain if dtype is None else plain.data[0])
