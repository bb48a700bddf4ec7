"""tolist() and int(t), as PyTorch users write them: the numbers as Python objects (copies), never part of a graph."""

import numpy as np
import pytest

from autograd import Tensor


def test_tolist_gives_python_floats_in_nested_lists_and_copies():
    t = Tensor([[1.5, -2.0], [0.25, 3.0]], requires_grad=True)
    listed = t.tolist()
    assert listed == [[1.5, -2.0], [0.25, 3.0]] and all(type(v) is float for row in listed for v in row)
    listed[0][0] = 9.0
    assert t.data[0, 0] == 1.5                                             # a copy: the Tensor is untouched
    assert Tensor(2.5).tolist() == 2.5 and type(Tensor(2.5).tolist()) is float
    assert Tensor(np.array([1.0], np.float32)).tolist() == [1.0]


@pytest.mark.parametrize("x, expected", [(2.7, 2), (-2.7, -2), (0.0, 0), ([[5.9]], 5)])
def test_int_truncates_the_one_number_towards_zero_as_int_of_a_float(x, expected):
    assert int(Tensor(x, requires_grad=True)) == expected == int(float(np.asarray(x).item()))


def test_int_of_several_numbers_or_a_nan_is_refused():
    with pytest.raises(ValueError, match="only a size-1 Tensor is one number"):
        int(Tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match="NaN"):
        int(Tensor(float("nan")))
    with pytest.raises(OverflowError):
        int(Tensor(float("inf")))
