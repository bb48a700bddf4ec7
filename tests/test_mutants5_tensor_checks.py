"""Mutation testing, fifth round: autograd.tensor.checks. An anomaly message names the first non-finite entry (in
numpy's row-major order) and counts the others; integer data become float64 (only float32 data stay float32);
inf and NaN narrowed to float32 stay as they are; an object entry that is no number is refused by its index; a
domain error names the smallest offending entry; a broadcasting error names the first axis that disagrees."""

import numpy as np
import pytest

from autograd import Tensor, detect_anomaly


@pytest.mark.parametrize("seed, first", [
    ([1.0, np.nan, np.inf, np.nan], r"nan at index \(1,\) of a \(4,\) array \(and 2 more non-finite entries\)"),
    ([1.0, 2.0, -np.inf, 3.0], r"-inf at index \(2,\) of a \(4,\) array \(detect"),   # one: no count
])
def test_an_anomaly_names_the_first_non_finite_entry_and_counts_the_others(seed, first):
    x = Tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 2.0
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"^backward\(\): the seed grad holds " + first):
        y.backward(np.array(seed))
    assert x.grad is None


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.uint32, np.bool_])
def test_integer_and_boolean_data_of_four_bytes_or_fewer_become_float64_not_float32(dtype):
    # only float32 data keep float32: an int32 array of 16777217 is not a float32 number
    t = Tensor(np.array([1, 0], dtype=dtype))
    assert t.dtype == np.float64
    assert Tensor(np.array([16777217], dtype=np.int32)).item() == 16777217.0


def test_inf_and_nan_data_narrowed_to_float32_stay_inf_and_nan_while_a_finite_overflow_is_refused():
    t = Tensor([np.inf, -np.inf, np.nan, 1.0], dtype=np.float32)
    assert t.dtype == np.float32 and np.isposinf(t.data[0]) and np.isneginf(t.data[1]) and np.isnan(t.data[2])
    with pytest.raises(ValueError, match=r"Tensor: the data hold 1e\+39, too large for float32"):
        Tensor([np.inf, 1e39], dtype=np.float32)


def test_an_object_entry_that_is_no_real_number_is_refused_by_its_index():
    from autograd import Value
    with pytest.raises(TypeError, match=r"Tensor: entry \(1,\) must be a real number .*got Value"):
        Tensor(np.array([0.5, Value(1.0)], dtype=object))


def test_a_domain_error_names_the_smallest_offending_entry_and_its_index():
    with pytest.raises(ValueError, match=r"^log: .* needs positive entries, got np.float64\(-3.0\) at index \(2,\)"):
        Tensor([-1.0, 0.5, -3.0, 0.0]).log()


@pytest.mark.parametrize("a, b, axis", [((2, 3), (2, 4), r"axis -1 has sizes \[3, 4\]"),
                                        ((2, 3), (4, 3), r"axis -2 has sizes \[2, 4\]"),
                                        ((1, 3), (4, 1, 2), r"axis -1 has sizes \[2, 3\]"),
                                        ((2, 1), (3, 5), r"axis -2 has sizes \[2, 3\]")])   # 1 and 5 agree
def test_a_broadcasting_error_names_the_first_axis_that_disagrees_from_the_right(a, b, axis):
    with pytest.raises(ValueError, match=rf"^\+: shapes .* do not broadcast \({axis}\)"):
        Tensor(np.ones(a)) + Tensor(np.ones(b))


@pytest.mark.parametrize("flag", [True, np.bool_(False)])
def test_a_lone_bool_constant_is_refused_not_taken_as_one_or_zero(flag):
    with pytest.raises(TypeError, match=r"^\*: cannot combine a Tensor with the bool"):
        Tensor([1.0, 2.0]) * flag


@pytest.mark.parametrize("constant", [np.float64(0.5), np.array([0.5, 2.0]), np.array([1, 2]), [0.5, 2.0]],
                         ids=["np.float64", "float64 array", "int64 array", "list"])
def test_a_numpy_or_list_constant_takes_a_float32_tensors_dtype(constant):
    t = Tensor([1.5, -2.0], dtype=np.float32)
    out = t * constant
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, t.data * np.asarray(constant, dtype=np.float32))
