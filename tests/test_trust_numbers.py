"""What numbers the engines take: every entry point gives the numbers of the equivalent float64 (or float32)
data, with a right gradient, or refuses by name, saying what to pass instead. A number silently changed (an
imaginary part dropped, a string parsed, a date read as a day count, a step taken in float32) is the bug.

Expected values are worked out here in float64 by hand, never read from the code under test.
"""

from __future__ import annotations

import numpy as np
import pytest
from messages import raises

from autograd import Tensor, Value, grad, gradcheck, numerical_grad, weighted_sum
from autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp

# --- autograd.functional: grad_outputs, v and the inputs are numbers as Tensor() and backward() take them ---------

# Each was converted by np.asarray(..., dtype=float64): the imaginary part was dropped (with only a warning), strings
# were parsed, dates became day counts since 1970, None became NaN and masks were ignored;
# Tensor() and backward(grad) refuse every one of them.
_NOT_REAL = {
    "complex": np.array([1 + 5j, 2 + 0j]),
    "strings": ["1.5", "2"],
    "dates": np.array(["2070-01-01", "2070-01-02"], dtype="datetime64[D]"),
    "None": [None, 1.0],
    "masked": np.ma.masked_array([1.0, 2.0], mask=[0, 1]),
}


def _square(a):
    return a * a


_TENSOR_ENTRIES = {
    "grad grad_outputs": lambda v: (lambda t: grad([t * t], [t], [v]))(Tensor([1.0, 2.0], requires_grad=True)),
    "vjp v": lambda v: vjp(_square, Tensor([1.0, 2.0]), v),
    "jvp v": lambda v: jvp(_square, Tensor([1.0, 2.0]), v),
    "hvp v": lambda v: hvp(lambda a: (a * a * a).sum(), Tensor([1.0, 2.0]), v),
    "vhp v": lambda v: vhp(lambda a: (a * a * a).sum(), Tensor([1.0, 2.0]), v),
    "jacobian inputs": lambda v: jacobian(_square, v),
    "hessian inputs": lambda v: hessian(lambda a: (a * a * a).sum(), v),
}


@pytest.mark.filterwarnings("error")  # numpy's ComplexWarning was the only sign that the imaginary part was lost
@pytest.mark.parametrize("kind", list(_NOT_REAL))
@pytest.mark.parametrize("entry", list(_TENSOR_ENTRIES))
def test_functional_entry_points_refuse_what_tensor_refuses(entry, kind):
    who = entry.split()[0]
    with raises(TypeError, who):
        _TENSOR_ENTRIES[entry](_NOT_REAL[kind])


@pytest.mark.parametrize("entry", ["jacobian inputs", "hessian inputs"])
def test_functional_inputs_refuse_a_lone_bool_as_tensor_does(entry):
    # jacobian(f, True) was the Jacobian at 1.0; Tensor(True) and Value(True) refuse: a bool is a slip
    with raises(TypeError, entry.split()[0], "bool"):
        _TENSOR_ENTRIES[entry](True)


def test_functional_float32_array_input_stays_float32_as_in_tensor():
    # Tensor(a) keeps a float32 array float32; jacobian(f, a) computed in float64 instead (an upcast nobody asked for)
    a = np.array([0.1, 0.7], dtype=np.float32)
    J = jacobian(_square, a)
    assert J.dtype == np.float32
    two_a = (np.float32(2) * a).astype(np.float32)                  # d(a^2)/da = 2a, in float32 by hand
    np.testing.assert_array_equal(J.data, np.diag(two_a))
    _, Hv = hvp(lambda x: (x * x * x).sum(), a, np.ones(2, dtype=np.float32))
    assert Hv.dtype == np.float32


@pytest.mark.parametrize("seed", [1 + 1j, "2", True, np.array([2.0])])
def test_value_grad_outputs_are_refused_as_the_seed_of_backward_is(seed):
    # float(go) took "2" as 2.0 and True as 1.0, and complex failed with Python's bare "float() argument must be"
    x = Value(2.0)
    with raises(TypeError, "grad", "grad_outputs[0]"):
        grad([x * x], [x], [seed])


@pytest.mark.parametrize("v", [[1 + 1j], ["2"], [None]])
def test_value_vjp_refuses_a_v_that_is_not_real(v):
    with raises(TypeError, "vjp"):
        vjp(lambda xs: [xs[0] * xs[1]], [Value(1.0), Value(2.0)], v)


def test_value_grad_takes_numpy_numbers_as_their_float64_value():
    x = Value(2.0)
    (g,) = grad([x * x], [x], [np.float32(0.1)])
    assert type(g) is float and g == 4.0 * 0.10000000149011612         # float(np.float32(0.1)), exactly


# --- numerical_grad and gradcheck: the step is a float64 number, whatever type it came as -------------------------

@pytest.mark.parametrize("eps", [np.float32(1e-3), np.longdouble(1e-3), np.float16(1e-3)],
                         ids=["float32", "longdouble", "float16"])
def test_numerical_grad_of_values_computes_in_float64_whatever_the_type_of_eps(eps):
    # x.data + np.float32 eps is an np.float32: every op of f then ran in float32 and d(x^2)/dx at 1 came back as
    # np.float32(2.000004) (in longdouble, as np.longdouble)
    x = Value(1.0)
    (g,) = numerical_grad(lambda v: v * v, [x], eps=eps)
    e = float(eps)
    up, down = (1.0 + e) * (1.0 + e), (1.0 - e) * (1.0 - e)          # f at x +- e, in float64 by hand
    assert type(g) is float and g == (up - down) / (2 * e)
    assert type(x.data) is float and x.data == 1.0
    assert gradcheck(lambda v: v * v, [x], eps=eps)


# --- Value: numpy numbers on either side -----------------------------------------------------------------------

_LEFT = {
    "+": (lambda c, x: c + x, lambda c, x: (c + x, 1.0)),
    "-": (lambda c, x: c - x, lambda c, x: (c - x, -1.0)),
    "*": (lambda c, x: c * x, lambda c, x: (c * x, c)),
    "/": (lambda c, x: c / x, lambda c, x: (c / x, -(c / x) / x)),
}


@pytest.mark.parametrize("op", list(_LEFT))
def test_a_longdouble_on_the_left_of_a_value_is_its_float64_value_as_on_the_right(op):
    # numpy handed np.longdouble(0.1) * x to Value.__array_ufunc__, whose .item() kept the longdouble, and
    # operator.mul(longdouble, x) went back to numpy: a RecursionError
    c = np.longdouble("0.1")
    apply, by_hand = _LEFT[op]
    x = Value(3.0)
    y = apply(c, x)
    y.backward()
    value, slope = by_hand(float(c), 3.0)                             # the float64 number, by hand
    assert type(y) is Value and (y.data, x.grad) == (value, slope)


def test_a_longdouble_base_of_a_power_of_a_value_is_its_float64_value():
    x = Value(2.0)
    y = np.longdouble(3.0) ** x
    y.backward()
    assert y.data == 9.0 and x.grad == pytest.approx(9.0 * np.log(3.0), rel=1e-15)


@pytest.mark.parametrize("make", [
    lambda td: Value(td),
    lambda td: Value(1.0) + td,
    lambda td: Value(1.0) * td,
    lambda td: Value(1.0) ** td,
    lambda td: td + Value(1.0),
    lambda td: (Value(1.0) * 2.0).backward(td),
    lambda td: weighted_sum([td], [Value(1.0)]),
], ids=["Value()", "x + td", "x * td", "x ** td", "td + x", "backward(td)", "weighted_sum"])
@pytest.mark.parametrize("td", [np.timedelta64(1, "s"), np.timedelta64(1)], ids=["seconds", "no unit"])
def test_a_timedelta_is_refused_by_name_not_by_pythons_float(make, td):
    # np.timedelta64 is a numpy integer, so it passed the check for a real number; float() then failed with
    # "float() argument must be a string or a real number, not 'datetime.timedelta'", naming no op, or, with no
    # unit, took it as 1.0 (a Tensor refuses both as non-numeric)
    with raises(TypeError, "timedelta64"):
        make(td)
    with pytest.raises(TypeError, match=r"^(Value|\+|\*|\*\*|backward|weighted_sum)"):
        make(td)


@pytest.mark.parametrize("c", [np.float64(3.0), np.int64(3), np.float32(3.0), np.array(3.0)],
                         ids=["float64", "int64", "float32", "0-d array"])
def test_equality_of_a_value_with_a_numpy_number_is_refused_as_with_a_python_number(c):
    # x == 3.0 answered by identity (always False: `if loss == 0:` never taken); it is now a TypeError naming x.data,
    # with a numpy number on either side too (numpy's np.equal reaches the Value first). Two Values: identity.
    x = Value(3.0)
    for compare in (lambda: x == c, lambda: c == x, lambda: x != c, lambda: c != x):
        with pytest.raises(TypeError, match="a Value compared with the number"):
            compare()
    assert x in [Value(3.0), x] and [Value(3.0), x].index(x) == 1


# --- a Tensor whose .data was replaced by an array of another dtype ----------------------------------------------

def _replaced(dtype, name="w"):
    """A parameter whose .data a user replaced (w.data = np.array([1, 2]) is int64): Tensor() itself never holds
    anything but float64 or float32."""
    w = Tensor([0.0, 0.0], requires_grad=True, name=name)
    w.data = np.array([1, 2], dtype=dtype)
    return w


@pytest.mark.parametrize("dtype", [np.int64, np.uint8, np.float16, bool])
def test_a_gradient_is_never_cast_into_an_integer_data_tensor(dtype):
    # the gradient 0.5 of each entry was cast to the leaf's int64 dtype: w.grad came back [0, 0]
    w = _replaced(dtype)
    x = Tensor([0.5, 0.5])
    with raises(TypeError, "'w'", np.dtype(dtype).name, "float64 or float32", "astype"):
        (w * x).sum().backward()
    with raises(TypeError, np.dtype(dtype).name, "float64 or float32"):
        grad([(w * x).sum()], [w])


@pytest.mark.parametrize("make", [
    lambda w: w * np.float64(0.5),                    # was [0, 0]: the constant cast to int64
    lambda w: w + np.array([0.5, 0.5]),               # was [1, 2]
    lambda w: w - [0.25, 0.25],
    lambda w: np.float32(0.5) * w,
], ids=["* np.float64", "+ array", "- list", "np.float32 *"])
def test_a_constant_is_never_cast_into_an_integer_data_tensor(make):
    with raises(TypeError, "int64", "float64 or float32"):
        make(_replaced(np.int64))


def test_backward_of_an_integer_result_is_refused():
    w = _replaced(np.int64)
    with raises(TypeError, "backward", "int64", "float64 or float32"):
        (w * w).sum().backward()                      # an int64 loss: every gradient int64
    with raises(TypeError, "backward", "int64"):
        w.backward(np.ones(2))                        # a leaf's own seed


def test_a_float_data_tensor_still_takes_every_constant():
    w = Tensor([1.0, 2.0], requires_grad=True)
    (w * np.float64(0.5) + np.array([0.5, 0.5]) - [0.25, 0.25]).sum().backward()
    np.testing.assert_array_equal(w.grad, [0.5, 0.5])


# --- numbers numpy keeps as Python objects: ints beyond int64, Fractions ----------------------------------------

def test_a_tensor_takes_an_int_beyond_int64_as_value_does():
    # np.asarray([2**64]) is an object array, and Tensor refused "object data" while Value(2**64) and t * 2**64
    # took the float 2^64 (exact: a power of two)
    np.testing.assert_array_equal(Tensor([2**64, 1]).data, [18446744073709551616.0, 1.0])
    np.testing.assert_array_equal((Tensor([1.0, 2.0]) * [2**64, 1]).data, [18446744073709551616.0, 2.0])


def test_a_fraction_is_its_nearest_float_in_a_tensor_as_in_a_value():
    from fractions import Fraction

    third = 1 / 3                                                      # the float nearest 1/3, as float(Fraction)
    assert Value(Fraction(1, 3)).data == third
    np.testing.assert_array_equal(Tensor([Fraction(1, 3), 2]).data, [third, 2.0])
    x = Tensor([3.0], requires_grad=True)
    y = x * Fraction(1, 3)
    y.backward(np.ones(1))
    assert y.data[0] == 3.0 * third and x.grad[0] == third


@pytest.mark.parametrize("make, kind, fragments", [
    (lambda: Tensor([10**400, 1.0]), ValueError, ("Tensor", "1e400", "too large")),
    (lambda: Tensor([1.0]) * [10**400], ValueError, ("*", "1e400", "too large")),
    (lambda: Tensor([None, 1.0]), TypeError, ("Tensor", "entry (0,)", "NoneType")),
    (lambda: Tensor([Value(1.0)]), TypeError, ("Tensor", "entry (0,)", "Value")),
], ids=["Tensor 10**400", "* 10**400", "None", "a Value"])
def test_an_entry_that_is_no_float_is_named(make, kind, fragments):
    # all were "object data (dtype object) is not supported", which named neither the entry nor the cause
    with raises(kind, *fragments):
        make()


@pytest.mark.parametrize("data", [[1e300], np.array([1.0, -3.5e38]), np.array([[2.0], [1e39]], dtype=np.longdouble)])
def test_data_too_large_for_float32_is_refused_not_made_inf(data):
    # Tensor(data, dtype=np.float32) turned 1e300 into inf with only numpy's RuntimeWarning: a finite number the
    # caller gave became another; float32's largest is 3.4028e38
    with pytest.raises(ValueError, match=r"Tensor: the data hold .*too large for float32 \(largest 3.403e\+38\)"):
        Tensor(data, dtype=np.float32)
    kept = Tensor(np.array([3.4e38, np.inf, -np.inf, np.nan]), dtype=np.float32).data     # infinities given stay
    assert kept[0] == np.float32(3.4e38) and np.isinf(kept[1:3]).all() and np.isnan(kept[3])


def test_a_negative_base_to_an_infinite_power_is_refused_by_both_engines_without_a_numpy_warning():
    # the Tensor's own check computed inf mod 1 and leaked numpy's "invalid value encountered in remainder"
    # before refusing; Value refuses (-2) ** inf as a negative base to a power that is not whole
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"\*\*: a negative base to a fractional power"):
            Tensor([-2.0, 3.0]) ** float("inf")
        with pytest.raises(ValueError, match=r"\*\*: -2.0 \*\* inf is not a real number"):
            Value(-2.0) ** float("inf")
