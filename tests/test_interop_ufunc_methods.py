"""numpy's ufunc methods on a Tensor: np.add.reduce is t.sum(axis=0), np.multiply.reduce t.prod, np.maximum.reduce
and np.minimum.reduce t.max and t.min, np.add.accumulate t.cumsum. Values against numpy on the same data,
gradients against central differences; the methods with no Tensor op are refused under their own name."""

from __future__ import annotations

import numpy as np
import pytest
from draws import leaf, normal

from autograd import Tensor, gradcheck

# numpy's call, with numpy's default axis (0) or one given as numpy takes it
CALLS = {
    "add.reduce": lambda a: np.add.reduce(a),
    "add.reduce axis=None": lambda a: np.add.reduce(a, axis=None),
    "add.reduce axis=1 keepdims": lambda a: np.add.reduce(a, 1, None, None, True),
    "add.reduce axis=(0, 1)": lambda a: np.add.reduce(a, axis=(0, 1)),
    "multiply.reduce": lambda a: np.multiply.reduce(a),
    "multiply.reduce axis=-1": lambda a: np.multiply.reduce(a, axis=-1, keepdims=True),
    "maximum.reduce": lambda a: np.maximum.reduce(a),
    "maximum.reduce axis=None": lambda a: np.maximum.reduce(a, axis=None),
    "minimum.reduce axis=1": lambda a: np.minimum.reduce(a, axis=1),
    "add.accumulate": lambda a: np.add.accumulate(a),
    "add.accumulate axis=1": lambda a: np.add.accumulate(a, axis=1),
    "add.accumulate dtype=None": lambda a: np.add.accumulate(a, 0, None),
}


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_reducing_ufunc_method_is_the_tensor_op_with_numpys_value_and_a_gradient(name, dtype):
    call = CALLS[name]
    x = Tensor(normal((2, 3)), requires_grad=True, dtype=dtype)
    y = call(x)
    assert isinstance(y, Tensor) and y.requires_grad and y.dtype == dtype
    want = call(x.data)
    assert y.shape == want.shape
    np.testing.assert_allclose(y.data, want, rtol=1e-6 if dtype == np.float32 else 1e-15)
    if dtype == np.float64:
        w = normal(want.shape)
        assert gradcheck(lambda a: (call(a) * w).sum(), [x])


@pytest.mark.parametrize("call, words", [
    (lambda a: np.add.reduce(a, where=np.array([True, False, True])), "np.add.reduce on a Tensor takes no where"),
    (lambda a: np.add.reduce(a, initial=1.0), "np.add.reduce on a Tensor takes no initial"),
    (lambda a: np.add.reduce(a, dtype=np.float32), "np.add.reduce on a Tensor takes no dtype"),
    (lambda a: np.add.accumulate(a, out=np.zeros(3)), "np.add.accumulate on a Tensor takes no out"),
    (lambda a: np.add.accumulate(a, axis=None), "np.add.accumulate takes one axis"),
], ids=["where", "initial", "dtype", "out", "accumulate-axis-None"])
def test_a_reducing_ufunc_method_refuses_what_it_cannot_honour(call, words):
    with pytest.raises((TypeError, ValueError), match=words):
        call(leaf((3,)))


@pytest.mark.parametrize("call, name", [
    (lambda a: np.maximum.accumulate(a), "np.maximum.accumulate"),
    (lambda a: np.multiply.accumulate(a), "np.multiply.accumulate"),
    (lambda a: np.add.reduceat(a, [0, 2]), "np.add.reduceat"),
    (lambda a: np.multiply.outer(a, a), "np.multiply.outer"),
    (lambda a: np.subtract.reduce(a), "np.subtract.reduce"),
], ids=["maximum.accumulate", "multiply.accumulate", "reduceat", "outer", "subtract.reduce"])
def test_a_ufunc_method_with_no_tensor_op_is_refused_under_its_own_name(call, name):
    with pytest.raises(TypeError, match=rf"{name} is not a Tensor op"):
        call(leaf((3,)))


def test_a_ufunc_method_on_a_constant_tensor_gives_numpys_numbers():
    x = normal((2, 3))
    np.testing.assert_array_equal(np.maximum.accumulate(Tensor(x)), np.maximum.accumulate(x))
    np.testing.assert_array_equal(np.add.reduce(Tensor(x)).data, np.add.reduce(x))


@pytest.mark.parametrize("ufunc", [np.add, np.multiply, np.maximum, np.minimum])
@pytest.mark.parametrize("axis", [0, -1, None])
def test_a_number_reduces_to_itself_as_in_numpy(ufunc, axis):
    x = leaf(())
    y = ufunc.reduce(x, axis=axis)
    assert y.shape == () and y.item() == ufunc.reduce(x.data, axis=axis)
    y.backward()
    assert x.grad == 1.0                                         # y = x: dy/dx = 1
