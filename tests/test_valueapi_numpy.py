"""numpy with Values: an object array of Values (micrograd's users' np.array([...])) combined with a Value."""

import numpy as np
import pytest

from autograd import Value


@pytest.mark.parametrize("op, da, dx", [
    # y = sum_i f(a_i, x); the partials by hand: d/da_i and d/dx of f(a_i, x)
    (lambda a, x: a * x, lambda a, x: x, lambda a, x: a),
    (lambda a, x: a - x, lambda a, x: 1.0, lambda a, x: -1.0),
    (lambda a, x: a / x, lambda a, x: 1.0 / x, lambda a, x: -a / x ** 2),
    (lambda a, x: a ** x, lambda a, x: x * a ** (x - 1.0), lambda a, x: a ** x * np.log(a)),
])
def test_an_object_array_of_values_combines_with_a_value_entry_by_entry(op, da, dx):
    numbers, at = [1.5, 2.0, 0.25], 3.0
    a, x = [Value(n) for n in numbers], Value(at)
    y = op(np.array(a, dtype=object), x)           # the array on the left: numpy asks the Value, which ran no loop
    assert y.dtype == object and y.shape == (3,)
    total = y.sum()
    total.backward()
    assert total.data == pytest.approx(sum(op(n, at) for n in numbers), rel=1e-15)
    assert [v.grad for v in a] == pytest.approx([da(n, at) for n in numbers], rel=1e-14)
    assert x.grad == pytest.approx(sum(dx(n, at) for n in numbers), rel=1e-14)


def test_an_object_array_of_values_compares_with_a_value_by_identity():
    a, b = Value(1.0), Value(1.0)
    assert (np.array([a, b]) == a).tolist() == [True, False]
    assert (np.array([a, b]) != b).tolist() == [True, False]


def test_an_array_of_numbers_with_a_value_is_still_refused():
    # numpy would make an object array of Values silently; the Tensor is the engine for arrays
    with pytest.raises(TypeError, match=r"np.multiply: cannot combine a Value with an array of shape \(2,\)"):
        np.ones(2) * Value(1.0)
