"""Every Value op: its value and its gradient against the closed-form derivative written here by hand, and
against central differences (numerical_grad)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, Value, numerical_grad
from autograd.testing import floats, values


def sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# name: (where x is drawn, f(x) by hand, f'(x) by hand)
UNARY = {
    "neg": (floats(-5, 5), lambda x: -x, lambda x: -1.0),
    "exp": (floats(-5, 5), math.exp, math.exp),
    "log": (floats(0.1, 10), math.log, lambda x: 1.0 / x),
    "sqrt": (floats(0.1, 10), math.sqrt, lambda x: 1.0 / (2.0 * math.sqrt(x))),
    "tanh": (floats(-5, 5), math.tanh, lambda x: 1.0 - math.tanh(x) ** 2),
    "sigmoid": (floats(-10, 10), sig, lambda x: sig(x) * (1.0 - sig(x))),
    "relu": (floats(-5, 5, away_from_zero=0.01), lambda x: max(x, 0.0), lambda x: 1.0 if x > 0 else 0.0),
    "softplus": (floats(-10, 10), lambda x: math.log(1.0 + math.exp(x)), sig),
    "abs": (floats(-5, 5, away_from_zero=0.01), abs, lambda x: 1.0 if x > 0 else -1.0),
    "sin": (floats(-5, 5), math.sin, math.cos),
    "cos": (floats(-5, 5), math.cos, lambda x: -math.sin(x)),
}


def apply(name: str, v: Value) -> Value:
    return -v if name == "neg" else getattr(v, name)()


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def close_to_numeric(analytic: float, numeric: float) -> bool:
    return math.isclose(analytic, numeric, rel_tol=1e-6, abs_tol=1e-7)


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_unary_op_value_and_gradient_match_the_closed_form(name, data):
    domain, f, df = UNARY[name]
    x = data.draw(domain)
    v = Value(x)
    y = apply(name, v)
    y.backward()
    assert close(y.data, f(x))
    assert close(v.grad, df(x))
    assert type(y.data) is float and type(v.grad) is float


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_unary_op_gradient_matches_central_differences(name, data):
    v = Value(data.draw(UNARY[name][0]))
    apply(name, v).backward()
    (numeric,) = numerical_grad(lambda u: apply(name, u), [v])
    assert close_to_numeric(v.grad, numeric)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_op_records_its_name_parent_and_local_partial(name):
    x = Value(0.7)
    y = apply(name, x)
    assert y.op == name
    assert len(y.parents) == 1 and y.parents[0] is x
    assert close(y.partials[0], UNARY[name][2](0.7))


def test_relu_and_abs_have_gradient_zero_at_their_kink_as_pytorch():
    for name in ("relu", "abs"):
        x = Value(0.0)
        apply(name, x).backward()
        assert x.grad == 0.0


# --- two Values --------------------------------------------------------------------------------------------------
# name: (the op, (d/da, d/db) by hand)
BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    "-": (lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    "*": (lambda a, b: a * b, lambda a, b: (b, a)),
    "/": (lambda a, b: a / b, lambda a, b: (1.0 / b, -a / b**2)),
    "**": (lambda a, b: a**b, lambda a, b: (b * a ** (b - 1), a**b * math.log(a))),
}
# Division needs b away from 0, Value ** Value a positive base.
OPERANDS = {"/": (floats(-3, 3), floats(-3, 3, away_from_zero=0.3)), "**": (floats(0.2, 4), floats(-3, 3))}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(data=st.data())
def test_binary_op_of_two_values_matches_closed_form_and_central_differences(name, data):
    op, partials = BINARY[name]
    left, right = OPERANDS.get(name, (floats(-3, 3), floats(-3, 3)))
    a, b = data.draw(left), data.draw(right)
    va, vb = Value(a), Value(b)
    y = op(va, vb)
    y.backward()
    assert y.op == name and y.parents[0] is va and y.parents[1] is vb
    assert close(y.data, op(a, b))
    da, db = partials(a, b)
    assert close(va.grad, da) and close(vb.grad, db)
    na, nb = numerical_grad(op, [Value(a), Value(b)])
    assert close_to_numeric(va.grad, na) and close_to_numeric(vb.grad, nb)


# --- a Value and a plain number, on either side -------------------------------------------------------------------
# (the op on x and the constant c, d/dx by hand); c is a constant, so it is not a node of the graph.
WITH_NUMBER = {
    "x + c": (lambda x, c: x + c, lambda x, c: 1.0),
    "c + x": (lambda x, c: c + x, lambda x, c: 1.0),
    "x - c": (lambda x, c: x - c, lambda x, c: 1.0),
    "c - x": (lambda x, c: c - x, lambda x, c: -1.0),
    "x * c": (lambda x, c: x * c, lambda x, c: c),
    "c * x": (lambda x, c: c * x, lambda x, c: c),
    "x / c": (lambda x, c: x / c, lambda x, c: 1.0 / c),
    "c / x": (lambda x, c: c / x, lambda x, c: -c / x**2),
}


@pytest.mark.parametrize("form", sorted(WITH_NUMBER))
@given(x=floats(-3, 3, away_from_zero=0.3), c=floats(-3, 3, away_from_zero=0.3) | st.integers(-3, 3).filter(bool))
def test_op_with_a_number_on_either_side_differentiates_towards_the_value_only(form, x, c):
    op, d = WITH_NUMBER[form]
    v = Value(x)
    y = op(v, c)
    y.backward()
    assert y.parents == (v,)
    assert y.op == form[2]
    assert close(y.data, op(x, c))
    assert close(v.grad, d(x, c))
    assert close_to_numeric(v.grad, numerical_grad(lambda u: op(u, c), [Value(x)])[0])


@given(x=floats(0.2, 3), p=st.sampled_from([2, 3, -1, -2, 0.5, 1.5, -0.5, 0, 1, 2.7]))
def test_value_to_a_number_power_has_derivative_p_x_to_the_p_minus_1(x, p):
    v = Value(x)
    y = v**p
    y.backward()
    assert close(y.data, x**p)
    assert close(v.grad, p * x ** (p - 1))
    assert close_to_numeric(v.grad, numerical_grad(lambda u: u**p, [Value(x)])[0])


@given(x=floats(-3, 3, away_from_zero=0.2), p=st.sampled_from([2, 3, -1, -2, 4.0]))
def test_negative_base_to_an_integer_power_is_differentiable(x, p):
    v = Value(x)
    (v**p).backward()
    assert close(v.grad, p * x ** (p - 1))


@given(c=floats(0.1, 5), x=floats(-3, 3))
def test_number_to_a_value_power_has_derivative_c_to_the_x_ln_c(c, x):
    v = Value(x)
    y = c**v
    y.backward()
    assert y.parents == (v,)
    assert close(y.data, c**x)
    assert close(v.grad, c**x * math.log(c))
    assert close_to_numeric(v.grad, numerical_grad(lambda u: c**u, [Value(x)])[0])


def test_python_abs_builtin_is_the_abs_op():
    x = Value(-2.5)
    y = abs(x)
    y.backward()
    assert (y.data, y.op, x.grad) == (2.5, "abs", -1.0)


@given(values(), st.integers(-5, 5))
def test_data_and_grad_are_python_floats_even_from_ints(v, k):
    assert type(Value(k).data) is float
    y = v * k + k
    y.backward()
    assert type(y.data) is float and type(v.grad) is float


def test_a_leaf_has_no_parents_an_empty_op_and_zero_grad():
    x = Value(1.5)
    assert (x.parents, x.op, x.grad, x.data) == ((), "", 0.0, 1.5)


# --- numpy numbers as data and as operands -----------------------------------------------------------------------
# numpy scalars on the LEFT reach Value's reflected ops (numpy defers to them): the result must be a Value with
# a Python float and the gradient of the constant op, never a numpy object that dropped the graph.
NUMPY_LEFT = {
    "c + x": (lambda c, x: c + x, "+", lambda c, x: 1.0),
    "c - x": (lambda c, x: c - x, "-", lambda c, x: -1.0),
    "c * x": (lambda c, x: c * x, "*", lambda c, x: c),
    "c / x": (lambda c, x: c / x, "/", lambda c, x: -c / x**2),
    "c ** x": (lambda c, x: c**x, "**", lambda c, x: c**x * math.log(c)),
}


@pytest.mark.parametrize("form", sorted(NUMPY_LEFT))
@pytest.mark.parametrize("make", [np.float64, np.float32, np.int64, np.array], ids=["f64", "f32", "i64", "0-d"])
def test_a_numpy_number_on_the_left_gives_a_value_with_the_right_gradient(form, make):
    op, name, d = NUMPY_LEFT[form]
    c, x = make(2), Value(1.5)
    y = op(c, x)
    y.backward()
    assert type(y) is Value and y.op == name and y.parents == (x,)
    assert type(y.data) is float and type(x.grad) is float
    assert close(y.data, op(2.0, 1.5))
    assert close(x.grad, d(2.0, 1.5))


@pytest.mark.parametrize("c", [np.float64(2.0), np.float32(2.0), np.int64(2)])
def test_a_numpy_number_on_the_right_or_as_data_becomes_a_python_float(c):
    x = Value(c)
    y = x * c + c / x - x**c
    y.backward()
    assert type(x.data) is float and type(y.data) is float and type(x.grad) is float
    assert close(x.grad, 2.0 - 2.0 / 4.0 - 2.0 * 2.0)     # d/dx (c x + c/x - x^c) at x = c = 2


def test_numpy_ufuncs_on_a_value_call_its_op():
    x = Value(0.5)
    y = np.exp(x) + np.tanh(x)
    y.backward()
    assert type(y) is Value
    assert close(x.grad, math.exp(0.5) + 1 - math.tanh(0.5) ** 2)


# --- division whose derivative underflows on the way ----------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda x: 1 / x, lambda x: Value(1.0) / x], ids=["c / x", "a / x"])
def test_division_by_a_tiny_value_gives_its_derivative_instead_of_a_bare_zero_division(make):
    # x * x underflows to 0 for x = 1e-170, so -a / (x * x) divided by zero; d/dx (1/x) = -1/x^2 is -inf in floats.
    x = Value(1e-170)
    y = make(x)
    y.backward()
    assert close(y.data, 1e170)
    assert x.grad == -math.inf


def test_division_of_tiny_numbers_keeps_a_finite_derivative_finite():
    a, b = Value(1e-200), Value(1e-170)
    (a / b).backward()                                      # d/db (a/b) = -a/b^2 = -1e140
    assert close(b.grad, -1e140) and close(a.grad, 1e170)


def test_numpy_object_arrays_of_values_multiply_through_value_ops():
    # A matrix of Values times a vector of Values (numpy's object dtype calls * and +): a layer written with numpy.
    W = np.array([[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]])
    x = np.array([Value(0.5), Value(-1.0)])
    s = (W @ x).sum()                                       # s = sum_i sum_j W_ij x_j
    s.backward()
    assert type(s) is Value and s.data == (0.5 - 2.0) + (1.5 - 4.0)
    assert [v.grad for v in x] == [1.0 + 3.0, 2.0 + 4.0]    # ds/dx_j = sum_i W_ij
    assert [v.grad for v in W.flat] == [0.5, -1.0, 0.5, -1.0]  # ds/dW_ij = x_j


@pytest.mark.parametrize("x", [12.428327649956394, 22.532844187566514, 17.72267404746588, 37.7463431532434,
                               93.94745467314806, 43.00796091175661])
def test_the_square_square_root_and_reciprocal_powers_are_correctly_rounded_as_in_the_tensor_engine(x):
    """x ** 2, x ** 0.5 and x ** -1 came from libm's pow, an ulp off for these x (about 1 in 600): numpy, so the
    Tensor engine, and PyTorch compute x x, sqrt x and 1 / x, each correctly rounded. The slopes 3 x^2 of x ** 3
    and 1.5 x^0.5 of x ** 1.5 go through the same powers."""
    from fractions import Fraction

    assert (Value(x) ** 2).data == float(Fraction(x) ** 2)
    assert (Value(x) ** -1).data == float(1 / Fraction(x))
    assert (Value(x) ** 0.5).data == math.sqrt(x)                       # IEEE sqrt is correctly rounded
    for p in (2, 0.5, -1, 3, 1.5, 2.0):
        v = Value(x) ** p
        t = Tensor([x], requires_grad=True)
        y = t ** p
        y.backward(np.ones(1))
        assert (v.data, v.partials[0]) == (float(y.data[0]), float(t.grad[0])), p
    assert math.copysign(1.0, (Value(-0.0) ** 0.5).data) == -1.0       # sqrt(-0.0) = -0.0, as numpy and PyTorch
    with pytest.raises(ValueError, match="overflows"):
        Value(1e200) ** 2                                               # still refused (docs/engines.md)
    with pytest.raises(ValueError, match="overflows"):
        Value(5e-324) ** -1
