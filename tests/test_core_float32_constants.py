"""Constants beyond float32's range, combined with a float32 Tensor (the core audit).

numpy casts a constant to a float32 Tensor's dtype: 1e40 became inf there and 1e-50 became 0, with at most a
RuntimeWarning, so ``t * 1e40`` answered inf where the product fits float32, and ``t / 1e-50`` divided by zero
although "/" refuses a zero divisor. ``Tensor(1e40, dtype=np.float32)`` was refused already.
"""

import operator
import warnings

import numpy as np
import pytest

from autograd import Tensor, maximum, no_grad, where

F32_MAX = float(np.finfo(np.float32).max)
BIG = [1e40, -1e40, np.float64(1e40), np.array([1e40, 1.0]), [1e40, 1.0], 10**40]


def small32():
    # 1e-10 * 1e40 = 1e30 fits float32 (largest 3.4e38): inf would be a wrong answer, not an overflow
    return Tensor([1e-10, 1e-10], dtype=np.float32, requires_grad=True)


@pytest.mark.parametrize("big", BIG, ids=repr)
@pytest.mark.parametrize("op", [operator.mul, operator.add, operator.sub, operator.truediv], ids=lambda f: f.__name__)
@pytest.mark.parametrize("side", ["left", "right"])
def test_a_constant_too_large_for_float32_is_refused_by_name(big, op, side):
    t = small32()
    with warnings.catch_warnings():
        warnings.simplefilter("error")                     # not numpy's RuntimeWarning: our error
        with pytest.raises(ValueError, match=r"float32.*(astype|float64)"):
            op(t, big) if side == "right" else op(big, t)


@pytest.mark.parametrize("big", BIG[:4], ids=repr)
def test_a_constant_too_large_for_float32_is_refused_by_every_door(big):
    t = small32()
    with pytest.raises(ValueError, match="float32"):
        big ** Tensor([0.5, 0.5], dtype=np.float32)
    with pytest.raises(ValueError, match="float32"):
        maximum(t, big)
    with pytest.raises(ValueError, match="float32"):
        where(np.array([True, False]), t, big)
    w = Tensor([1.0, 1.0], dtype=np.float32, requires_grad=True)
    with no_grad(), pytest.raises(ValueError, match="float32"):
        w *= big
    np.testing.assert_array_equal(w.data, [1.0, 1.0])     # refused before it changed anything


def test_the_product_that_fits_float32_is_still_computed_with_a_float64_tensor():
    # the refusal is float32's: a float64 Tensor holds 1e40, and 1e-10 * 1e40 is 1e30 to rounding
    t = Tensor([1e-10], requires_grad=True)
    assert (t * 1e40).data[0] == pytest.approx(1e30, rel=1e-15)
    (t * 1e40).sum().backward()
    assert t.grad[0] == 1e40


@pytest.mark.parametrize("c", [np.inf, -np.inf, np.nan, F32_MAX, -F32_MAX, 1e-50, 0.5])
def test_constants_that_float32_holds_are_taken(c):
    # inf and NaN given stay what they are (IEEE arithmetic, as for data); the largest float32 is no overflow
    t = Tensor([2.0], dtype=np.float32)
    got = (t + c).data
    assert got.dtype == np.float32
    with np.errstate(all="ignore"):
        expected = np.float32(2.0) + np.float32(c)         # float32's nearest number, then float32's sum
    np.testing.assert_array_equal(got, [expected])


@pytest.mark.parametrize("tiny", [1e-50, -1e-50, np.float64(1e-50), 1e-46])
def test_a_divisor_that_is_zero_in_float32_is_a_zero_divisor(tiny):
    # np.float32(1e-50) is 0.0: the division would give inf; "/" refuses a zero divisor by name
    assert np.float32(tiny) == 0
    t = Tensor([1.0], dtype=np.float32, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ZeroDivisionError, match="/"):
            t / tiny
        w = Tensor([1.0], dtype=np.float32, requires_grad=True)
        with no_grad(), pytest.raises(ZeroDivisionError, match="/="):
            w /= tiny
    np.testing.assert_array_equal(w.data, [1.0])


def test_a_tiny_divisor_that_float32_holds_divides():
    # 1e-40 is a float32 subnormal (not 0): 1e-10 / 1e-40 is the float32 nearest 1e30 (to float32's rounding)
    t = Tensor([1e-10], dtype=np.float32)
    got = (t / 1e-40).data[0]
    assert got == np.float32(1e-10) / np.float32(1e-40)
    assert np.isfinite(got)
