"""Joins of float32 and float64 Tensors with constants: the constants keep the digits the result's dtype holds,
whatever the order of the parts, as numpy's concatenate of the same arrays does."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, concatenate, stack

JOINS = {
    "concatenate": (concatenate, np.concatenate), "np.concatenate": (np.concatenate, np.concatenate),
    "stack": (stack, np.stack), "np.stack": (np.stack, np.stack),
}


@pytest.mark.parametrize("name", JOINS)
@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 0, 1)])
def test_a_constant_joined_with_float32_and_float64_tensors_keeps_its_float64_digits(name, order):
    ours, theirs = JOINS[name]
    t32 = Tensor([1.5, 2.5], dtype=np.float32, requires_grad=True)
    t64 = Tensor([1.0 / 3.0, 0.1], requires_grad=True)
    c = np.array([0.1, 0.7])
    parts = [t32, t64, c]
    parts = [parts[i] for i in order]
    y = ours(parts)
    want = theirs([p.data if isinstance(p, Tensor) else p for p in parts])
    assert y.dtype == want.dtype == np.float64
    np.testing.assert_array_equal(y.data, want)                     # exactly: 0.1, not float32's 0.10000000149
    y.sum().backward()
    assert t32.grad.dtype == np.float32 and t32.grad.tolist() == [1.0, 1.0]
    assert t64.grad.dtype == np.float64 and t64.grad.tolist() == [1.0, 1.0]


def test_a_constant_joined_with_float32_tensors_only_becomes_float32():
    t32 = Tensor([1.5], dtype=np.float32)
    y = concatenate([t32, np.array([0.1])])
    assert y.dtype == np.float32 and y.data[1] == np.float32(0.1)   # the documented rule: constants take the dtype
