"""Hostile calls of numpy functions on Tensors: numpy's own signatures (np.max's third argument is out, not dtype),
shapes given as integer arrays, a number repeated along axis 0, and np.asarray's copy=False promise. Values against
numpy on the same data, gradients against central differences."""

from __future__ import annotations

import numpy as np
import pytest
from draws import leaf

from autograd import Tensor, gradcheck, gradgradcheck, no_grad


@pytest.mark.parametrize("fn", [np.max, np.min, np.amax, np.amin])
def test_max_and_min_read_their_arguments_in_numpys_order(fn):
    # np.max(a, axis, out, keepdims): the None third is out, and True keeps the reduced axis
    x = leaf((2, 3))
    y = fn(x, 0, None, True)
    np.testing.assert_array_equal(y.data, fn(x.data, 0, None, True))
    assert y.shape == (1, 3)
    assert gradcheck(lambda a: (fn(a, 1, None, True) * np.array([[2.0], [-3.0]])).sum(), [x])


@pytest.mark.parametrize("fn", [np.max, np.amin])
def test_max_and_min_refuse_a_buffer_given_as_out_by_name(fn):
    x = leaf((2, 3))
    with pytest.raises(TypeError, match=rf"np.{'max' if fn is np.max else 'min'} on a Tensor takes no out"):
        fn(x, 0, np.zeros(3))


@pytest.mark.parametrize("call", [
    lambda t: np.reshape(t, np.array([3, 2])), lambda t: t.reshape(np.array([3, 2])), lambda t: t.reshape(np.array(6)),
], ids=["np.reshape", "method", "0-d-array"])
def test_a_shape_given_as_an_integer_array_reshapes_as_in_numpy(call):
    x = leaf((2, 3))
    y = call(x)
    want = x.data.reshape(np.array([3, 2]) if y.data.ndim == 2 else np.array(6))
    np.testing.assert_array_equal(y.data, want)
    assert gradgradcheck(lambda a: (call(a) ** 3).sum(), [x])


@pytest.mark.parametrize("axis", [0, -1, None])
def test_a_number_repeats_along_axis_0_as_in_numpy(axis):
    x = leaf(())
    y = np.repeat(x, 3, axis=axis)
    np.testing.assert_array_equal(y.data, np.repeat(x.data, 3, axis=axis))
    (y * np.array([1.0, 2.0, 4.0])).sum().backward()
    assert x.grad == 7.0                                      # dL/dx = 1 + 2 + 4: one term per copy
    assert gradgradcheck(lambda a: (a.repeat(3, axis=axis) ** 3).sum(), [x])


def test_a_number_has_no_axis_1_to_repeat_along():
    with pytest.raises(ValueError, match="repeat: axis 1 is out of range"):
        Tensor(2.0).repeat(2, axis=1)


def test_asarray_copy_false_refuses_a_cast_as_numpy_does():
    t = Tensor([1.0, 2.0])
    with pytest.raises(ValueError):
        np.asarray(np.array([1.0, 2.0]), dtype=np.float32, copy=False)    # numpy 2: "Unable to avoid copy"
    with pytest.raises(ValueError, match=r"np.asarray\(t, dtype=float32, copy=False\).*pass copy=True"):
        np.asarray(t, dtype=np.float32, copy=False)
    assert np.asarray(t, dtype=np.float32).dtype == np.float32
    assert np.asarray(t, copy=False) is t.data
    with no_grad():
        assert np.asarray(leaf((2,)), dtype=np.float32, copy=True).dtype == np.float32


def test_numpy_functions_compute_with_a_tensor_inside_no_grad_as_asarray_does():
    # inside no_grad() nothing is recorded, so a plain answer loses no gradient: a weight's norm for a log line
    import math

    w = Tensor([3.0, 4.0], requires_grad=True)
    with no_grad():
        assert np.linalg.norm(w) == 5.0                                   # sqrt(3^2 + 4^2)
        assert np.std(w) == 0.5                                           # |3 - 4| / 2
        np.testing.assert_allclose(np.cosh(w), [math.cosh(3.0), math.cosh(4.0)], rtol=1e-15)
        y = np.add(w, 1.0, dtype=np.float32)
        assert y.dtype == np.float32 and y.tolist() == [4.0, 5.0]
        with pytest.raises(TypeError, match="would change a Tensor in place"):
            np.add(w, 1.0, out=w)                                         # still never writes into a Tensor
    assert np.asarray(w.data).tolist() == [3.0, 4.0]


@pytest.mark.parametrize("call", [
    lambda w: np.linalg.norm(w), lambda w: np.cosh(w), lambda w: np.add(w, 1.0, dtype=np.float32),
], ids=["norm", "cosh", "add-dtype"])
def test_the_same_calls_are_refused_while_grad_mode_is_on(call):
    w = Tensor([3.0, 4.0], requires_grad=True)
    with pytest.raises(TypeError, match="could not be differentiated"):
        call(w)


def test_a_ragged_shape_is_refused_by_name():
    with pytest.raises(ValueError, match=r"reshape: cannot reshape a Tensor of shape \(3,\)"):
        Tensor([1.0, 2.0, 3.0]).reshape([[1], [2, 3]])


def test_an_object_array_of_floats_computed_from_a_tensor_is_refused():
    # np.frompyfunc makes a ufunc whose answer is an object array: its floats came from t, with no gradient
    import math

    exp = np.frompyfunc(math.exp, 1, 1)
    with pytest.raises(TypeError, match="is not a Tensor op"):
        exp(Tensor([1.0, 2.0], requires_grad=True))
    plain = exp(Tensor([1.0, 2.0]))                                       # no graph to lose: numpy's answer
    assert plain.tolist() == [math.exp(1.0), math.exp(2.0)]
    is_even = np.frompyfunc(lambda v: int(v) % 2 == 0, 1, 1)               # no floats in the answer: allowed
    assert is_even(Tensor([1.0, 2.0], requires_grad=True)).tolist() == [False, True]
