"""x ** p's slope p x^(p-1) for 0.15 <= p < 1/2 with p - 1 exact (x^0.25, x^0.375): one rounding of pow.

This session's edge work sent every 0 < p < 1/2 to a^b's slope p (y / x), which keeps x^(p-1) from overflowing at a
subnormal x for p near 0 (x^(2^-10) at 1e-310) but rounds twice: x^0.25's slope was correctly rounded at 1,463 of
2,000 points in [1e-3, 1e3] (1.32 ulp at worst) where pow's form was at 1,998 (the review); x^0.375's worst went
from 1.23 to 1.72 ulp. For p >= 0.15 x^(p-1)
cannot overflow at any positive float64 or float32 (2^(1074 (1 - p)) and 2^(149 (1 - p)) fit), so pow's form is back
there; below 0.15 (float32 overflows from p < 0.141) the slope stays p (y / x).
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from autograd import Tensor, Value

mpmath.mp.prec = 200


def _exact(x: float, p: float) -> mpmath.mpf:
    return mpmath.mpf(p) * mpmath.power(mpmath.mpf(x), mpmath.mpf(p) - 1)


def _ulps(got: float, exact: mpmath.mpf) -> float:
    """|got - exact| in units of the last place of the exact value rounded: 0.5 at most is correctly rounded."""
    return float(abs(mpmath.mpf(got) - exact)) / float(np.spacing(abs(float(exact))))


def _value_slope(x: float, p: float) -> float:
    v = Value(x)
    (v ** p).backward()
    return v.grad


# the worst error over the points below: p x^(p-1) (pow's rounding, and p's product unless p is a power of two);
# p (y / x) read 1.16 and 1.58 ulp there
@pytest.mark.parametrize("p, worst", [(0.25, 0.502), (0.375, 1.25)])
def test_the_slope_is_pows_form_at_ordinary_points(p, worst):
    xs = np.geomspace(1e-3, 1e3, 400) * (1 + np.random.default_rng(7).uniform(0, 1e-3, 400))
    t = Tensor(xs.copy(), requires_grad=True)
    (t ** p).sum().backward()
    slopes = [_value_slope(float(x), p) for x in xs]
    assert max(_ulps(g, _exact(float(x), p)) for g, x in zip(slopes, xs)) <= worst
    np.testing.assert_array_equal(t.grad, slopes)                      # the engines bitwise equal


@pytest.mark.parametrize("x", [5e-324, 1e-310, 2.2e-308, 1e-300])
@pytest.mark.parametrize("p", [0.25, 0.15, 0.375])
def test_pows_form_stays_finite_and_exact_at_the_smallest_floats(x, p):
    assert _ulps(_value_slope(x, p), _exact(x, p)) <= 1.0


def test_float32_at_its_smallest_subnormal_and_exponents_below_015_keep_a_to_the_bs_form():
    t = Tensor(np.array([1.4e-45, 1e-40, 3.0], np.float32), requires_grad=True)
    (t ** 0.25).sum().backward()
    want = [float(np.float32(float(_exact(float(x), 0.25)))) for x in t.data]
    assert np.isfinite(t.grad).all()
    np.testing.assert_allclose(t.grad, want, rtol=2e-7)
    # p = 2^-10: x^(p-1) overflows at 1e-310, the slope (4.9e306) does not
    assert _ulps(_value_slope(1e-310, 2.0 ** -10), _exact(1e-310, 2.0 ** -10)) <= 4.0
