"""The table of derivative rules: its three backends agree, its derivatives are right, and both engines use it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, Value, rules, weighted_sum
from autograd.rules import ARRAYS, FLOATS, NODES

FUNCTIONS = sorted(rules.FUNCTIONS)


def _argument(rule: rules.Rule) -> st.SearchStrategy[float]:
    """Arguments inside the rule's domain, clear of its kinks by 0.01 (where the derivative is defined)."""
    lo = 0.05 if rule.domain.lower is not None else -5.0
    xs = st.floats(lo, 5.0, allow_nan=False, allow_infinity=False)
    return xs.filter(lambda x: all(abs(x - k) > 1e-2 for k in rule.domain.kinks))


def _central(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_rule_has_a_derivative_equal_to_central_differences_of_its_value(name):
    rule = rules.FUNCTIONS[name]

    @given(_argument(rule))
    def check(x):
        (d,) = rule.partials(FLOATS, x, rule.value(FLOATS, x))
        numeric = _central(lambda u: rule.value(FLOATS, u), x)
        assert d == pytest.approx(numeric, rel=1e-6, abs=1e-7)

    check()


@pytest.mark.parametrize("name", FUNCTIONS)
def test_the_float_and_array_forms_of_each_rule_give_the_same_numbers(name):
    rule = rules.FUNCTIONS[name]

    @given(st.lists(_argument(rule), min_size=1, max_size=6))
    def check(xs):
        x = np.array(xs)
        y = rule.value(ARRAYS, x)
        (d,) = rule.partials(ARRAYS, x, y)
        for i, xi in enumerate(xs):
            yi = rule.value(FLOATS, xi)
            # numpy's vectorised tanh (SIMD loops) and math.tanh can be a few ulps apart (rarely beyond 4)
            assert y[i] == pytest.approx(yi, rel=1e-14 if name == "tanh" else 1e-15, abs=1e-300)
            # The derivative from the same y: tanh' = 1 - y^2 would turn those few ulps of y into 1e-12 of y'
            # near |x| = 5 (1 - y^2 cancels); the formulas themselves must agree.
            assert float(np.broadcast_to(d, x.shape)[i]) == pytest.approx(
                rule.partials(FLOATS, xi, float(y[i]))[0], rel=1e-12, abs=1e-300)

    check()


@pytest.mark.parametrize("name", FUNCTIONS)
def test_the_node_form_of_each_rule_is_a_graph_with_the_same_numbers(name):
    # What second derivatives build on: the derivative computed from Values is itself a Value.
    rule = rules.FUNCTIONS[name]
    for x in (0.3, 1.7, -2.2):
        if rule.domain.lower is not None and x <= rule.domain.lower:
            continue
        xv = Value(x)
        yv = getattr(xv, name)() if name != "neg" else -xv
        (d,) = rule.partials(NODES, xv, yv)
        expected = rule.partials(FLOATS, x, rule.value(FLOATS, x))[0]
        assert float(getattr(d, "data", d)) == pytest.approx(expected, rel=1e-15, abs=1e-300)


def test_the_stable_forms_keep_their_digits_far_out():
    assert rules.SIGMOID.partials(FLOATS, 100.0, rules.SIGMOID.value(FLOATS, 100.0))[0] == pytest.approx(
        math.exp(-100), rel=1e-12)                                       # sigma'(100) = 3.7e-44, not 0
    assert rules.SIGMOID.value(FLOATS, -1000.0) == 0.0 and rules.SIGMOID.value(FLOATS, 1000.0) == 1.0
    assert rules.SOFTPLUS.value(FLOATS, 1000.0) == 1000.0
    assert rules.SOFTPLUS.value(FLOATS, -1000.0) == 0.0
    assert rules.SQRT.partials(FLOATS, 0.0, 0.0) == (math.inf,)
    assert rules.POWER.partials(FLOATS, 0.0, 0.5, 0.0) == (math.inf,)  # x^p with p < 1 is vertical at 0
    assert rules.POWER.partials(FLOATS, 0.0, 0.0, 1.0) == (0.0,)       # x^0 = 1 is flat, even at 0


def test_the_conventions_at_kinks_are_pytorchs():
    for m in (FLOATS, ARRAYS):
        assert float(rules.RELU.partials(m, np.float64(0.0), 0.0)[0]) == 0.0
        assert float(rules.ABS.partials(m, np.float64(0.0), 0.0)[0]) == 0.0


# b in [-3, 3] with |b| > 0.1, each side drawn on its own: filtering [-3, 3] threw away 16% of the draws
@given(st.floats(-3, 3), st.floats(-3, -0.1, exclude_max=True) | st.floats(0.1, 3, exclude_min=True))
def test_binary_rules_equal_central_differences(a, b):
    for rule in (rules.ADD, rules.SUB, rules.MUL, rules.DIV):
        da, db = rule.partials(FLOATS, a, b, rule.value(FLOATS, a, b))
        f = rule.value
        assert da == pytest.approx(_central(lambda u, f=f: f(FLOATS, u, b), a), rel=1e-6, abs=1e-6)
        assert db == pytest.approx(_central(lambda u, f=f: f(FLOATS, a, u), b), rel=1e-6, abs=1e-6)
    a = abs(a) + 0.5
    da, db = rules.POWER2.partials(FLOATS, a, b, rules.POWER2.value(FLOATS, a, b))
    assert da == pytest.approx(_central(lambda u: u**b, a), rel=1e-6, abs=1e-6)
    assert db == pytest.approx(_central(lambda u: a**u, b), rel=1e-6, abs=1e-6)


# --- both engines take their derivatives from the table --------------------------------------------------------

@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_value_op_records_exactly_the_tables_value_and_derivative(name):
    rule = rules.FUNCTIONS[name]
    for x in (0.3, 1.7, -2.2, 37.5, -40.0):
        if rule.domain.lower is not None and x <= rule.domain.lower:
            continue
        xv = Value(x)
        y = getattr(xv, name)() if name != "neg" else -xv
        expected = rule.value(FLOATS, x)
        assert y.op == rule.name and y.data == expected
        assert y.partials == rule.partials(FLOATS, x, expected)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_tensor_op_multiplies_the_gradient_by_the_tables_derivative(name):
    rule = rules.FUNCTIONS[name]
    xs = np.array([0.3, 1.7, 2.2, 37.5, 4.0]) if rule.domain.lower is not None else np.array([0.3, 1.7, -2.2, 37.5,
                                                                                              -40.0])
    x = Tensor(xs, requires_grad=True)
    y = getattr(x, name)() if name != "neg" else -x
    g = np.linspace(0.5, 1.5, xs.size)
    y.backward(g)
    expected_y = rule.value(ARRAYS, xs)
    np.testing.assert_array_equal(y.data, expected_y)
    np.testing.assert_array_equal(x.grad, g * rule.partials(ARRAYS, xs, expected_y)[0])


def test_the_inlined_partials_of_value_arithmetic_are_the_tables():
    # + - * and negation read their partials straight from the operands; the table must say the same.
    a, b = Value(1.5), Value(-2.5)
    for op, rule in (("+", rules.ADD), ("-", rules.SUB), ("*", rules.MUL), ("/", rules.DIV)):
        y = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[op]
        assert y.partials == rule.partials(FLOATS, a.data, b.data, y.data)
    assert (-a).partials == rules.NEG.partials(FLOATS, a.data, -a.data)
    assert (a**b.data).partials == rules.POWER.partials(FLOATS, a.data, b.data, a.data**b.data)
    z = weighted_sum([a, 2.0], [b, a], 0.5)
    dw, dx, db = rules.WEIGHTED_SUM.partials(FLOATS, [a.data, 2.0], [b.data, a.data], 0.5, z.data)
    assert z.partials == (dw[0], dx[0], dx[1])                        # towards a (as w_0), b (as x_0), a (as x_1)


def test_the_inlined_partials_of_tensor_arithmetic_are_the_tables():
    a, b = Tensor([1.5, -0.5], requires_grad=True), Tensor([-2.5, 4.0], requires_grad=True)
    for op, rule in (("+", rules.ADD), ("-", rules.SUB), ("*", rules.MUL), ("/", rules.DIV)):
        a.grad = b.grad = None
        y = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[op]
        y.backward(np.ones(2))
        da, db = rule.partials(ARRAYS, a.data, b.data, y.data)
        np.testing.assert_array_equal(a.grad, np.broadcast_to(da, (2,)))
        np.testing.assert_array_equal(b.grad, np.broadcast_to(db, (2,)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_inlined_slope_of_the_tensor_square_is_the_tables(dtype):
    # t ** 2 differentiates as g * (2 x): the table's p x^(p-1) with x^1 = x exactly, to the last bit
    big, subnormal = np.finfo(dtype).max / 2, np.finfo(dtype).tiny / 4             # x^2 overflows, underflows
    with pytest.raises(ValueError, match=r"\*\*: .* \*\* 2.0 overflows " + np.dtype(dtype).name):
        Tensor(np.array([1.0, -big], dtype=dtype), requires_grad=True) ** 2     # refused, as a Value refuses
    xs = np.array([1.5, -0.5, 0.0, -0.0, subnormal, -np.sqrt(big), np.inf, -np.inf, np.nan], dtype=dtype)
    x = Tensor(xs, requires_grad=True)
    g = np.linspace(0.5, 1.5, xs.size).astype(dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        y = x ** 2
        y.backward(g)
        np.testing.assert_array_equal(y.data, rules.POWER.value(ARRAYS, xs, 2))
        np.testing.assert_array_equal(x.grad, g * rules.POWER.partials(ARRAYS, xs, 2, y.data)[0])
    assert x.grad.dtype == dtype


def test_both_engines_offer_every_elementary_op_of_the_table():
    for name in rules.FUNCTIONS:
        if name != "neg":
            assert callable(getattr(Value, name)) and callable(getattr(Tensor, name)), name
    for dunder in ("__add__", "__sub__", "__mul__", "__truediv__", "__pow__", "__rpow__", "__neg__"):
        assert hasattr(Value, dunder) and hasattr(Tensor, dunder)


def test_help_on_an_op_shows_its_formula_and_derivative():
    assert "1 - y^2" in Value.tanh.__doc__ and "1 - y^2" in Tensor.tanh.__doc__
    assert "e^-|x|" in Value.sigmoid.__doc__


# --- the Tensor sigmoid's fast path (fewer numpy calls) is the table's formula, bit for bit ----------------------

def _bits(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    return a.view(np.uint64 if a.dtype == np.float64 else np.uint32)


_HOSTILE = [0.0, -0.0, 1e-17, -1e-17, 5e-324, -5e-324, 36.7, -36.7, 100.0, -100.0, 745.2, -745.2, 1000.0, -1000.0,
            1e308, -1e308, math.inf, -math.inf, math.nan]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=8))
def test_the_tensor_sigmoid_gives_the_tables_value_and_slope_bit_for_bit(dtype, xs):
    with np.errstate(over="ignore"):                                   # a float64 beyond float32's range: inf
        x = np.array(xs + _HOSTILE).astype(dtype)
    t = Tensor(x, requires_grad=True)
    with np.errstate(over="raise", divide="raise", invalid="raise"):   # and no warning on the way
        y = t.sigmoid()
        y.backward(np.ones_like(x))
    expected_y, (expected_slope,) = rules.SIGMOID.both(ARRAYS, x)
    assert y.data.dtype == t.grad.dtype == dtype
    np.testing.assert_array_equal(_bits(y.data), _bits(expected_y))     # NaN's bits too, and the sign of 0
    np.testing.assert_array_equal(_bits(t.grad), _bits(expected_slope))


def test_the_tensor_sigmoid_is_right_to_an_ulp_in_both_tails():
    # sigma(x) = 1 / (1 + e^-x) and sigma'(x) = e^-x / (1 + e^-x)^2 to 40 digits with decimal, independently of
    # both engines: y exact at x = -700 (e^x/(1+e^x), no 1 - ... cancelling), sigma'(100) = 3.7e-44 (not 0)
    from decimal import Decimal, localcontext

    xs = [-745.0, -700.0, -100.0, -36.7, -1.5, -1e-9, 0.0, 1e-9, 0.75, 20.0, 36.7, 100.0, 700.0]
    t = Tensor(xs, requires_grad=True)
    y = t.sigmoid()
    y.backward(np.ones(len(xs)))
    with localcontext() as ctx:
        ctx.prec = 40
        for x, yi, di in zip(xs, y.data.tolist(), t.grad.tolist()):
            e = (-Decimal(x)).exp()
            exact_y, exact_d = 1 / (1 + e), e / (1 + e) ** 2
            for got, exact in ((yi, exact_y), (di, exact_d)):                # ulp: 5e-324 among subnormals
                assert abs(Decimal(got) - exact) <= 2 * Decimal(math.ulp(float(exact))), (x, got, exact)


@pytest.mark.parametrize("x", [0.0, 0.5, -2.0, 5.0, 10.0, -19.5, 40.0, -40.0, 300.0, 800.0])
def test_tanh_derivative_keeps_its_digits_where_tanh_rounds_to_one(x):
    """tanh' = 1 - y^2 lost every digit beyond |x| = 19.1, where y rounds to 1 (tanh'(40) came out 0, not
    7.2e-35), and 8 of them at x = 10. Against 1 / cosh^2 x from math (cosh is correct to about an ulp; beyond
    710 it overflows and 1 / inf^2 = 0, where the true value 4e^-2|x| underflows to 0 too): within 4 ulp, in
    the Value engine, the Tensor engine, the compiled code and the second-derivative (NODES) form alike."""
    exact = 1.0 / math.cosh(x) ** 2 if abs(x) < 700 else 0.0
    v = Value(x)
    v.tanh().backward()
    t = Tensor([x], requires_grad=True)
    t.tanh().sum().backward()
    (node,) = rules.TANH.partials(NODES, Value(x), Value(math.tanh(x)))
    from autograd import compile
    _, compiled = compile(lambda xs: xs[0].tanh(), [x])([x])
    for got in (v.grad, float(t.grad[0]), node.data, compiled[0]):
        assert abs(got - exact) <= 4 * math.ulp(exact), (got, exact)
    assert v.grad == float(t.grad[0]) == node.data == compiled[0]           # one formula, the same bits


# --- both engines at the special points: the same value and slope, bit for bit, the sign of 0 included -------

_SPECIAL = [0.0, -0.0, 5e-324, -5e-324, 1e-310, 1.0, -1.0, 20.0, -20.0, 1000.0, -1000.0, 1e308, -1e308,
            math.inf, -math.inf, math.nan]


def _value_and_slope(make) -> tuple:
    """(value, local slope) of one op, or the type of the error it refused with."""
    try:
        with np.errstate(all="ignore"):                                 # IEEE overflow is the answer here
            return make()
    except (ValueError, ZeroDivisionError) as error:
        return type(error)


def _same_bits(v: object, t: object) -> bool:
    """The same refusal, or the same numbers bit for bit (so -0.0 is not 0.0), except that any NaN is any NaN: IEEE
    leaves a NaN's sign and payload to the implementation, and numpy's SIMD loops may set the sign bit or not
    depending on the array's alignment, so it can differ from run to run."""
    if not isinstance(v, tuple) or not isinstance(t, tuple):
        return v is t
    return all((a != a and b != b) or np.array(a).tobytes() == np.array(b).tobytes() for a, b in zip(v, t))


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("x", _SPECIAL)
def test_both_engines_give_the_same_bits_at_special_points(name, x):
    """relu(-0.0) was 0.0 in a Value and -0.0 in a Tensor (and in PyTorch); sqrt'(-0.0) was +inf in a Value and
    -inf in a Tensor (d sqrt/dx is +inf at 0, whichever zero). Compared through the recorded partial, which a
    Value's leaf would add to its 0.0 (see docs/engines.md: a Value's gradient has no -0.0)."""
    def value() -> tuple:
        y = getattr(Value(x), name)() if name != "neg" else -Value(x)
        return y.data, y.partials[0]

    def tensor() -> tuple:
        t = Tensor([x], requires_grad=True)
        y = getattr(t, name)() if name != "neg" else -t
        y.backward(np.ones(1))
        return float(y.data[0]), float(t.grad[0])

    v, t = _value_and_slope(value), _value_and_slope(tensor)
    assert _same_bits(v, t), (v, t)


@pytest.mark.parametrize("p", [0.5, 1.5, 2.0, 3, -1, -2.0, -0.5, 0, 0.0, 1])
@pytest.mark.parametrize("x", _SPECIAL)
def test_both_engines_give_the_same_bits_for_a_power_at_special_points(p, x):
    """(-0.0) ** 0.5 was 0.0 in a Value (Python's pow) and -0.0 in a Tensor (numpy's, as PyTorch's: the sqrt)."""
    def value() -> tuple:
        y = Value(x) ** p
        return y.data, y.partials[0]

    def tensor() -> tuple:
        t = Tensor([x], requires_grad=True)
        y = t ** p
        y.backward(np.ones(1))
        return float(y.data[0]), float(t.grad[0])

    v, t = _value_and_slope(value), _value_and_slope(tensor)
    # (a Value refused x ** p whose value or slope overflows, a Tensor gave inf: now both refuse an overflowing
    # value and answer an overflowing slope with inf, tests/test_trust_special_points.py)
    assert _same_bits(v, t), (v, t)


@pytest.mark.parametrize("x", [12.428327649956394, 22.532844187566514, 17.72267404746588, 37.7463431532434,
                               93.94745467314806, 43.00796091175661])
def test_an_array_of_exponents_gives_each_entry_the_bits_of_a_value_power(x):
    """numpy computes x ** 2, x ** 0.5 and x ** -1 as x x, sqrt x and 1 / x only for one number p; for an array of
    exponents each entry went through libm's pow, an ulp off for these x, where a Value (and a Tensor with a number
    p) gives the correctly rounded result: the values of x ** [2, 0.5, -1], and the slopes 3 x^2 and 1.5 x^0.5 of
    x ** [3, 1.5]. Also for a Tensor exponent (a^b) and a number base to a Tensor (c^x)."""
    ps = [2.0, 0.5, -1.0, 3.0, 1.5, 2.0]
    t = Tensor(np.full(len(ps), x), requires_grad=True)
    y = t ** np.array(ps)
    y.backward(np.ones(len(ps)))
    for i, p in enumerate(ps):
        v = Value(x) ** p
        assert (v.data, v.partials[0]) == (float(y.data[i]), float(t.grad[i])), p
    a, b = Tensor(np.full(3, x), requires_grad=True), Tensor([2.0, 0.5, -1.0], requires_grad=True)
    y = a ** b
    y.backward(np.ones(3))
    c = x ** Tensor([2.0, 0.5, -1.0], requires_grad=True)
    for i, p in enumerate([2.0, 0.5, -1.0]):
        va, vb = Value(x), Value(p)
        v = va ** vb
        assert v.data == float(y.data[i]) == float(c.data[i]) == (Value(p).__rpow__(x)).data, p
        assert v.partials == (float(a.grad[i]), float(b.grad[i])), p


@pytest.mark.parametrize("a", [5e-324, 1e-310, math.nan, 2.0])
def test_a_power_with_exponent_zero_has_slope_zero_in_the_base(a):
    """d(a^b)/da = b a^(b-1) is 0 at b = 0, as for a number exponent (x ** 0.0). At a subnormal base a^-1
    overflows: a Tensor gave 0 * inf = NaN (PyTorch: 0), and a Value refused a ** b as an overflow where a^0 = 1."""
    va, vb = Value(a), Value(0.0)
    v = va ** vb
    ta, tb = Tensor([a], requires_grad=True), Tensor([0.0], requires_grad=True)
    y = ta ** tb
    y.backward(np.ones(1))
    ln_a = math.log(a) if a == a else math.nan
    assert v.data == float(y.data[0]) == 1.0
    assert v.partials[0] == float(ta.grad[0]) == 0.0
    assert _same_bits((v.partials[1],), (float(tb.grad[0]),)) and _same_bits((v.partials[1],), (ln_a,))


@pytest.mark.parametrize("p", [5e-324, 1e-17])
def test_the_slope_of_a_tiny_power_at_minus_zero_is_the_same_in_both_engines(p):
    """p - 1 rounds to -1 for p below 2^-53, so p * x ** (p - 1) at x = -0.0 is p (-0)^-1 = -inf in IEEE's pow,
    numpy's and PyTorch's; the Value engine's power gave +inf for every 0 ** negative (Python raises there). The
    rule no longer rounds p - 1 (it takes p (y / x), and at 0 p h h, h = x^((p-1)/2)): p - 1 is no odd integer,
    and the slope is +inf, the limit of p x^(p-1) as x falls to 0 (mpmath), in both engines."""
    v = Value(-0.0) ** p
    t = Tensor([-0.0], requires_grad=True)
    y = t ** p
    y.backward(np.ones(1))
    assert _same_bits((v.data, v.partials[0]), (float(y.data[0]), float(t.grad[0])))
    assert v.partials[0] == math.inf
