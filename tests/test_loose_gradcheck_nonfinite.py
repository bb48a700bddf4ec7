"""The checkers at an input that is inf or NaN: refused up front, naming the entry.

gradcheck blamed f for "changing inputs[0] in place" at a NaN entry (NaN + eps != NaN read as a changed input),
and at an inf entry reported every gradient entry as wrong, the finite ones too (f's values there differ by
inf - inf = NaN), after numpy's "invalid value" warning.
"""

import math
import warnings

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck, gradgradcheck, numerical_grad

CHECKERS = {
    "gradcheck": lambda f, xs: gradcheck(f, xs),
    "gradgradcheck": lambda f, xs: gradgradcheck(f, xs),
    "numerical_grad": lambda f, xs: numerical_grad(f, xs),
}


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("who", list(CHECKERS))
def test_a_tensor_entry_that_is_not_finite_is_refused_by_name(who, bad):
    x = Tensor(np.array([1.0, bad, 2.0]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                    # and no numpy warning on the way
        with pytest.raises(ValueError) as caught:
            CHECKERS[who](lambda t: (t * t * t).sum(), [x])
    message = str(caught.value)
    assert message.startswith(f"{who}: inputs[0][(1,)] is {bad!r}; central differences"), message
    assert "changed" not in message
    assert type(caught.value) is ValueError
    np.testing.assert_array_equal(x.data, [1.0, bad, 2.0])


@pytest.mark.parametrize("who", list(CHECKERS))
def test_a_value_that_is_not_finite_is_refused_by_name(who):
    a, b = Value(0.5), Value(math.inf)
    with pytest.raises(ValueError, match=rf"^{who}: inputs\[1\] is inf; central differences"):
        CHECKERS[who](lambda p, q: p * q * p, [a, b])
