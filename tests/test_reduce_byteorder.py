"""A Tensor whose .data was replaced by a big-endian array (np.load of a file written on another machine, say)
computes as the native one does (tensor/checks.py's holds_floats takes either byte order); dot with a constant too."""

import numpy as np
import pytest

from autograd import Tensor, dot


@pytest.mark.parametrize("order, native", [(">f8", np.float64), (">f4", np.float32)])
@pytest.mark.parametrize("constant", [np.array([1.0, -2.0, 0.5]), [1.0, -2.0, 0.5], 3.0])
def test_dot_of_a_big_endian_tensor_and_a_constant_is_the_native_dot(order, native, constant):
    values = np.array([[0.5, 2.0, 3.0], [1.5, 0.25, 4.0]])
    t = Tensor(values, requires_grad=True)
    t.data = values.astype(order)
    y = dot(t, constant)
    c = np.asarray(constant, dtype=native)
    np.testing.assert_allclose(y.data, values.astype(native) * c if c.ndim == 0 else values.astype(native) @ c,
                               rtol=1e-6)
    assert y.data.dtype == native
    y.sum().backward()
    # d/dT sum(T c) = c in every row (or c itself for a number)
    np.testing.assert_allclose(t.grad, np.broadcast_to(c, values.shape), rtol=1e-6)


@pytest.mark.parametrize("order, native", [(">f8", np.float64), (">f4", np.float32)])
def test_dot_of_a_constant_and_a_big_endian_tensor_is_the_native_dot(order, native):
    values = np.array([[0.5, 2.0, 3.0], [1.5, 0.25, 4.0]])
    t = Tensor(values, requires_grad=True)
    t.data = values.astype(order)
    y = dot([2.0, -1.0], t)                                   # y_j = 2 T_0j - T_1j
    np.testing.assert_allclose(y.data, 2 * values[0] - values[1], rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(t.grad, [[2.0] * 3, [-1.0] * 3], rtol=1e-6)
