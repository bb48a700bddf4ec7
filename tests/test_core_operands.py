"""Constants of maximum, minimum, where and outer (``operands``) against a Tensor whose ``.data`` was replaced by
integers (the core audit). docs/refusals.md: such a Tensor "is refused where a gradient or a constant would be cast
into it"; operands cast a number into the int64 dtype: minimum(x, 0.5) gave [0, 0] where min(1, 0.5) = 0.5."""

import numpy as np
import pytest

from autograd import Tensor, maximum, minimum, outer, where


def _int_data():
    x = Tensor([1.0, 2.0])
    x.data = np.array([1, 2])
    return x


@pytest.mark.parametrize("call", [
    lambda x: minimum(x, 0.5), lambda x: maximum(2.5, x), lambda x: where(np.array([False, True]), x, 0.5),
    lambda x: minimum(x, np.array([0.5, 0.5])), lambda x: outer(x, [0.5, 1.5]),
], ids=["minimum", "maximum", "where", "minimum-array", "outer"])
def test_a_constant_is_not_cast_into_int_data(call):
    with pytest.raises(TypeError, match=r"int64.*astype\(np.float64\)"):
        call(_int_data())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_constant_takes_a_float_tensors_dtype(dtype):
    # min(1, 0.5) = 0.5 and min(2, 0.5) = 0.5, by hand; float32 holds 0.5 exactly
    x = Tensor([1.0, 2.0], dtype=dtype)
    got = minimum(x, 0.5)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got.data, [0.5, 0.5])


def test_stack_and_concatenate_refuse_a_constant_beside_a_tensor_whose_data_was_replaced_by_ints():
    # stack([x, 0.5]) with x.data replaced by an int array cast 0.5 into int64: [1, 0]
    from autograd import concatenate, stack
    x = Tensor(1.0)
    x.data = np.array(1)
    with pytest.raises(TypeError, match=r"stack: the Tensor holds int64 numbers"):
        stack([x, 0.5])
    y = Tensor([1.0])
    y.data = np.array([1])
    with pytest.raises(TypeError, match=r"concatenate: the Tensor holds int64 numbers"):
        concatenate([y, [0.5]])
    np.testing.assert_array_equal(stack([Tensor(1.0), 0.5]).data, [1.0, 0.5])      # floats: as before
