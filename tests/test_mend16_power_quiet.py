"""x ** p where the slope or its own slope overflows, at a tiny x: the right answer is +-inf, and numpy's
RuntimeWarnings ("overflow encountered in multiply", "... in power") leaked from the engine's rarer forms (b h h in
create_graph's slope, x^(p-1) of a number p - 1 < 0 in the second pass, and of an array of exponents) though the
Value engine gives the same infinities quietly. Each case here runs with warnings as errors."""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest

from autograd import Tensor, grad

mpmath.mp.prec = 160


def rounded(exact: mpmath.mpf, dtype: type = np.float64) -> float:
    """exact as the dtype holds it: +-inf beyond its range."""
    top = float(np.finfo(dtype).max)
    return math.copysign(math.inf, exact) if abs(exact) > top else float(exact)


def close(got: float, exact: mpmath.mpf, dtype: type = np.float64) -> bool:
    want = rounded(exact, dtype)
    if math.isinf(want):
        return got == want
    return abs(mpmath.mpf(got) - exact) <= 4 * float(np.spacing(np.array(abs(want), dtype=dtype)))


@pytest.mark.parametrize("x, p, dtype", [(5e-324, -0.3, np.float64), (1e-310, -0.3, np.float64),
                                         (5e-324, 1e-3, np.float64), (5e-324, 0.3, np.float64),
                                         (1e-300, 0.3, np.float64), (1e-45, 1e-3, np.float32)])
def test_create_graph_slopes_beyond_the_range_are_inf_without_a_numpy_warning(x, p, dtype):
    t = Tensor(np.array([x], dtype=dtype), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (g,) = grad((t**p).sum(), [t], create_graph=True)
        (h,) = grad(g.sum(), [t])
    X, P = mpmath.mpf(float(np.array(x, dtype=dtype))), mpmath.mpf(p)       # (float32's 1e-45 is 1.4e-45)
    first, second = P * X ** (P - 1), P * (P - 1) * X ** (P - 2)
    assert close(float(g.data[0]), first, dtype), (float(g.data[0]), first)
    assert close(float(np.asarray(h.data)[0]), second, dtype), (float(np.asarray(h.data)[0]), second)


def test_an_array_of_exponents_overflowing_at_a_tiny_x_is_inf_without_a_numpy_warning():
    # [-0.3, 2.0]: -0.3's p - 1 rounds (create_graph's b h h); [-0.5, 2.0]: -1.5 is exact (x^(p-1) by the default pass)
    x = np.array([5e-324, 3.0])
    for p in (np.array([-0.3, 2.0]), np.array([-0.5, 2.0])):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            t = Tensor(x, requires_grad=True)
            (t**p).sum().backward()
            if p[0] == -0.3:
                t2 = Tensor(x, requires_grad=True)
                (g,) = grad((t2**p).sum(), [t2], create_graph=True)
                (h,) = grad(g.sum(), [t2])
                assert g.data.tolist() == t.grad.tolist()
                assert h.data.tolist() == [math.inf, 2.0]      # -0.3 (-1.3) 5e-324^-2.3 is beyond the range; 2
        assert t.grad.tolist() == [-math.inf, 6.0]              # p x^(p-1): beyond the range; 2 * 3


def test_a_number_exponent_whose_slope_overflows_is_inf_without_a_numpy_warning_in_the_default_pass():
    # -0.5 x^-1.5 at 5e-324 is -2.0e485 by mpmath: beyond the range
    t = Tensor([5e-324], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (t**-0.5).sum().backward()
    assert rounded(-0.5 * mpmath.mpf(5e-324) ** -1.5) == -math.inf == t.grad[0]
