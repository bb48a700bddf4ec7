"""The second and third derivatives of tanh, sigma and softplus (grad(..., create_graph=True) again and again)
within 4 ulp of mpmath's closed forms from x = 1e-300 to the tails, on both engines and in float64 and float32.
Near 0 these derivatives are odd and small (tanh'' = -2x, sigma'' = -x/8): tanh' and sigma' written as
e^-|x|-forms differentiated to a difference of two terms near 1/4 that cancelled, so sigma''(1e-9) had 7 digits
and sigma''(1e-17) and tanh''(1e-17) came out 0; softplus''' (sigma'') with them."""

from __future__ import annotations

import math

import mpmath  # (a dev dependency: pyproject.toml's test extras)
import numpy as np
import pytest

from autograd import Tensor, Value, grad

# tanh's e^-2|x| at |x| = 1e308 is exp(2 (-1e308)) = exp(-inf) = 0, the right number, with numpy's overflow warning
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered in multiply:RuntimeWarning")


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
_POSITIVE = [5e-324, 1e-310, 1e-300, 1e-200, 1e-100, 1e-30, 1e-17, 1e-9, 1e-5, 1e-3, 0.1, 0.3, 0.5, 0.9, 1.0, 2.0,
             5.0, 19.5, 40.0, 710.0, 1e5, 1e308]
POINTS = [0.0, -0.0] + _POSITIVE + [-x for x in _POSITIVE]


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
    low, high = (1e-30, 1e5) if dtype == "float32" else (0.0, math.inf)   # float32 holds no 1e-100, no 1e308
    ulp, step = (2.0**-23, 2.0**-149) if dtype == "float32" else (2.0**-52, 2.0**-1074)  # relative; least step
    off = []
    for x0 in (x for x in POINTS if x == 0.0 or low <= abs(x) <= high):
        if dtype == "float32":
            x0 = float(np.float32(x0))                     # the argument the engine sees, and mpmath too
        for n, (got, want) in enumerate(zip(derivatives(f, x0, dtype), exact(mpmath.mpf(x0))), start=1):
            # within 4 ulp, or a step of the subnormals where the exact number is one (sigma''(5e-324) = -6e-325)
            if n > 1 and abs(mpmath.mpf(got) - want) > max(4 * ulp * abs(want), step):
                off.append((n, x0, got, float(want), float(abs(mpmath.mpf(got) / want - 1) / ulp)))
    assert not off, f"{name}: (order, x, ours, mpmath's, ulp off): {off}"


POINTS_BOTH_SIDES = [1e-9, 0.3, -0.5, 0.5, 0.9, -1.0, 1.0, 3.0, -30.0, 0.0, -0.0]


@pytest.mark.parametrize("dtype", [None, "float64", "float32"], ids=["Value", "Tensor64", "Tensor32"])
@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_a_second_derivatives_first_derivative_is_the_default_backwards_number(name, dtype):
    """Near 0 the graph takes another form of tanh' and sigma' (one that differentiates without cancelling),
    shifted onto the default pass's numbers: create_graph=True changes no first derivative, to the bit, also in a
    Tensor whose entries lie on both sides of the point where the form changes."""
    f = FUNCTIONS[name][0]
    if dtype is None:
        for x0 in POINTS_BOTH_SIDES:
            x = Value(x0)
            (recorded,) = grad(f(x), [x], create_graph=True)
            assert recorded.data == grad(f(x), [x])[0], x0
    else:
        x = Tensor(np.array(POINTS_BOTH_SIDES, dtype=dtype), requires_grad=True)
        (recorded,) = grad(f(x).sum(), [x], create_graph=True)
        (plain,) = grad(f(x).sum(), [x])
        assert recorded.data.dtype == plain.data.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(recorded.data, plain.data)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_one_tensor_across_the_change_of_form_gives_each_entrys_own_derivatives(name, dtype):
    """The graph chooses its form entry by entry (where): the whole grid in one Tensor gives, to the bit, the
    three derivatives each entry gets alone (which the test above holds to mpmath's)."""
    f = FUNCTIONS[name][0]
    points = [x for x in POINTS if x == 0.0 or dtype == "float64" or 1e-30 <= abs(x) <= 1e5]
    x = Tensor(np.array(points, dtype=dtype), requires_grad=True)
    y, together = f(x), []
    for _ in range(3):
        (y,) = grad(y.sum(), [x], create_graph=True)
        together.append(y.data)
    alone = np.array([derivatives(f, float(x0), dtype) for x0 in x.data]).T
    np.testing.assert_array_equal(np.array(together, dtype=np.float64), alone)
