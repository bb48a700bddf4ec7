"""An f that changes its input in place: the checkers' refusal is a plain ValueError, the inputs given back.

It was raised as a private subclass, ``_InputChanged``, which showed by that name in the user's traceback (as
``_Refused`` did for a result that could not be differentiated)."""

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck, gradgradcheck, numerical_grad


def _doubles_its_input_at_call(n: int):
    count = [0]

    def f(x):
        count[0] += 1
        if count[0] == n:
            x.data *= 2                      # a Tensor's array changed in place, once
        return (x * x * x).sum()

    return f


@pytest.mark.parametrize("checker", [gradcheck, gradgradcheck, numerical_grad], ids=lambda c: c.__name__)
@pytest.mark.parametrize("call", [1, 2, 3, 4])
def test_the_refusal_is_a_plain_value_error_and_the_input_is_given_back(checker, call):
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(ValueError) as caught:
        checker(_doubles_its_input_at_call(call), [x])
    assert type(caught.value) is ValueError
    assert f"{checker.__name__}: f changed inputs[0] in place" in str(caught.value)
    assert "had moved" not in str(caught.value)
    np.testing.assert_array_equal(x.data, [1.0, 2.0])


def test_a_value_set_by_f_is_refused_the_same_way():
    v = Value(3.0)

    def f(a):
        a.data = 2.0
        return a * a

    with pytest.raises(ValueError, match=r"^gradcheck: f changed inputs\[0\] in place") as caught:
        gradcheck(f, [v])
    assert type(caught.value) is ValueError and v.data == 3.0


@pytest.mark.parametrize("call", [5, 6])
def test_gradgradcheck_says_changed_not_random_when_f_moves_its_input_between_two_looks(call):
    """The two first-order gradients gradgradcheck compares for randomness came from different points: it blamed
    "its random numbers" (a generator seeded inside f) for what was f changing its input."""
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(ValueError, match=r"^gradgradcheck: f changed inputs\[0\] in place"):
        gradgradcheck(_doubles_its_input_at_call(call), [x])
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
