"""Tensor() construction (the core audit): the dtype kept, the caller's array never changed."""

import numpy as np
import pytest

from autograd import Tensor, no_grad


@pytest.mark.parametrize("order", ["<", ">"])
def test_float32_data_in_either_byte_order_stays_float32(order):
    # the docs: "float32 when ... data already is float32"; a big-endian file's '>f4' array became float64
    a = np.array([0.1, -2.5], dtype=order + "f4")
    t = Tensor(a)
    assert t.dtype == np.float32 and t.dtype.isnative
    np.testing.assert_array_equal(t.data, a.astype(np.float32))   # the same numbers, in native order
    assert Tensor(np.array([0.1], dtype=order + "f8")).dtype == np.float64


@pytest.mark.parametrize("make", [
    lambda: np.array([1.0, 2.0]),
    lambda: np.arange(6.0).reshape(2, 3)[:, ::2],       # not contiguous
    lambda: np.array([1.0, 2.0], dtype=">f8"),
])
def test_an_update_in_place_never_writes_into_the_callers_array(make):
    a = make()
    before = a.copy()
    a.flags.writeable = False if a.base is None else a.flags.writeable
    w = Tensor(a, requires_grad=True)
    with no_grad():
        w -= 1.0
        w *= 2.0
    np.testing.assert_array_equal(a, before)
    np.testing.assert_array_equal(w.data, (before - 1.0) * 2.0)
    assert w.data.flags.writeable and w.data.flags.c_contiguous
