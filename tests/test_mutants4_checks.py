"""Mutation testing, fourth round: autograd.checks. A timedelta is no number for a Value, an int too large for a
float is named by its size, reals() hands back Python floats (not np.float64, whose division by 0 gives inf with a
warning where a float raises), and compiled code takes exp up to ln of the largest float, as Value.exp does."""

import math

import numpy as np
import pytest

from autograd import Value, compile
from autograd.checks import reals


@pytest.mark.parametrize("make", [lambda: Value(1.0) * np.timedelta64(1), lambda: Value(np.timedelta64(1, "s"))],
                         ids=["operand", "data"])
def test_a_timedelta_is_refused_as_a_number(make):
    with pytest.raises(TypeError, match="timedelta64"):
        make()


def test_an_int_too_large_for_a_float_is_named_by_its_size():
    with pytest.raises(ValueError, match=r"^\+: about 1e400 is too large for a float"):
        Value(1.0) + 10**400


def test_reals_hands_back_python_floats_not_numpy_floats():
    xs = reals([np.float64(0.5), 1.0], "compiled")
    assert xs == [0.5, 1.0] and [type(x) for x in xs] == [float, float]


def test_compiled_exp_takes_arguments_up_to_ln_of_the_largest_float_as_value_exp_does():
    x = 709.5                                            # e^709.5 = 1.35e308: a float, though beyond e^709
    fast = compile(lambda v: v[0].exp(), [x])
    value, grad = fast([x])
    assert value == Value(x).exp().data == math.exp(x)
    assert list(grad) == [math.exp(x)]
