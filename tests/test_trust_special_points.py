"""Trust at special points: a power gives one outcome in every engine (Value, Tensor in float64 and float32,
compiled code, backward(create_graph=True)), the same refusal where its value overflows and the same numbers where
only its derivative does. Expected numbers are worked out by hand (powers of two), never read from the engines."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from autograd import Tensor, Value, compile

TINY = 2.2250738585072014e-308          # 2^-1022, the smallest normal float64
SUB = 5e-324                            # 2^-1074, the smallest subnormal


def _value(f, xs: list) -> tuple:
    vs = [Value(x) for x in xs]
    y = f(*vs)
    y.backward()
    return (y.data, *(v.grad for v in vs))


def _tensor(f, xs: list, dtype=np.float64, create_graph: bool = False) -> tuple:
    ts = [Tensor(np.array([x], dtype=dtype), requires_grad=True) for x in xs]
    y = f(*ts)
    y.backward(np.ones(1, dtype=dtype), create_graph=create_graph)
    grads = [t.grad.data if isinstance(t.grad, Tensor) else t.grad for t in ts]
    return (float(y.data[0]), *(float(g[0]) for g in grads))


def _value_graph(f, xs: list) -> tuple:
    vs = [Value(x) for x in xs]
    y = f(*vs)
    y.backward(create_graph=True)
    return (y.data, *(float(getattr(v.grad, "data", v.grad)) for v in vs))


def _compiled(f, xs: list) -> tuple:
    value, grads = compile(lambda v: f(*v), [1.3] * len(xs))(xs)
    return (value, *grads)


def _bits(numbers: tuple) -> tuple:
    return tuple(float(n).hex() for n in numbers)           # -0.0 is not 0.0


# --- a power whose value overflows: refused by every engine, naming the op and the numbers ------------------------

OVERFLOWING = [
    ("x ** 2", lambda x: x ** 2, [1e200]),
    ("x ** 3", lambda x: x ** 3, [-1e154]),                   # -inf in IEEE
    ("x ** 1.5", lambda x: x ** 1.5, [1e300]),
    ("x ** -2", lambda x: x ** -2, [SUB]),
    ("x ** -1", lambda x: x ** -1, [-SUB]),
    ("10 ** x", lambda x: 10.0 ** x, [400.0]),
    ("0.5 ** x", lambda x: 0.5 ** x, [-1e154]),
    ("a ** b", lambda a, b: a ** b, [2.5, 1e154]),
    ("a ** b", lambda a, b: a ** b, [1e-300, -3.7]),
]


@pytest.mark.parametrize("name, f, xs", OVERFLOWING, ids=[f"{c[0]} at {c[2]}" for c in OVERFLOWING])
def test_a_power_whose_value_overflows_is_refused_by_both_engines_and_the_compiled_code(name, f, xs):
    # The Value refused (docs/engines.md: Value(1e200) ** 2 raises a ValueError); the Tensor answered inf with
    # numpy's RuntimeWarning, so the same program stopped in one engine and went on with inf in the other
    pattern = r"\*\*: .*overflows"
    with pytest.raises(ValueError, match=pattern):
        _value(f, xs)
    with np.errstate(over="raise"), pytest.raises(ValueError, match=pattern):   # refused, not warned then refused
        _tensor(f, xs)
    if name not in ("x ** 2", "x ** 3"):        # documented: compiled x ** 2 is x * x (inf), x ** 3 Python's **
        with pytest.raises(ValueError, match=pattern):
            _compiled(f, xs)


def test_the_refusal_of_an_overflowing_tensor_power_names_the_entry_and_the_dtype():
    t = Tensor(np.array([2.0, 1e20, -3.0, 1e30], dtype=np.float32), requires_grad=True)
    with pytest.raises(ValueError, match=re.escape("**: 1e+20 ** 2.0 overflows float32")):
        t ** 2
    with pytest.raises(ValueError, match=re.escape("**: 10.0 ** 400.0 overflows float64")):
        10.0 ** Tensor([1.0, 400.0])
    assert np.array_equal((t[:1] ** 2).data, [4.0])                 # the entries that fit still compute
    big = Tensor([np.inf, 3.0], requires_grad=True)             # inf given stays inf: nothing overflowed
    assert np.array_equal((big ** 2).data, [np.inf, 9.0]) and np.array_equal((2.0 ** big).data, [np.inf, 8.0])


# --- a power whose derivative alone overflows: the value, and an infinite slope, in every engine -------------------

ONLY_THE_SLOPE = [
    # x ** -1 at 2^-1022: y = 2^1022, dy/dx = -x^-2 = -2^2044, beyond the float range
    ("x ** -1", lambda x: x ** -1, [TINY], (2.0 ** 1022, -math.inf)),
    # x ** -0.5 at 2^-1074: y = 2^537, dy/dx = -0.5 x^-1.5 = -2^1610
    ("x ** -0.5", lambda x: x ** -0.5, [SUB], (2.0 ** 537, -math.inf)),
    # a ** b at (2^-1022, -1): y = 2^1022, dy/da = -a^-2 = -inf, dy/db = y ln a = -2^1022 1022 ln 2
    ("a ** b", lambda a, b: a ** b, [TINY, -1.0], (2.0 ** 1022, -math.inf, -(2.0 ** 1022) * (1022 * math.log(2.0)))),
]


@pytest.mark.parametrize("name, f, xs, want", ONLY_THE_SLOPE, ids=[c[0] for c in ONLY_THE_SLOPE])
def test_a_power_whose_derivative_alone_overflows_answers_in_every_engine(name, f, xs, want):
    # The Value (and the compiled code) refused "x ** p (or its derivative) overflows" where the Tensor and
    # PyTorch answer a finite value with an infinite slope, as 1 / x and log x at a subnormal x do in both engines
    with np.errstate(over="ignore"):                            # numpy warns of the slope's overflow, as of x * 1e300
        tensor = _tensor(f, xs)
    for got in (_value(f, xs), _compiled(f, xs), tensor):
        assert got[0] == want[0] and got[1] == want[1], got
        if len(want) == 3:
            assert got[2] == pytest.approx(want[2], rel=1e-15)


def test_the_slope_of_a_square_root_of_a_subnormal_is_rebuilt_under_create_graph():
    # create_graph rebuilds d/dx x^0.5 = 0.5 x^-0.5 as a Value power, whose own derivative overflows at 2^-1074:
    # the Value refused there, the Tensor answered. x^0.5 = 2^-537, 0.5 x^-0.5 = 2^536
    want = _bits((2.0 ** -537, 2.0 ** 536))
    assert _bits(_value_graph(lambda x: x ** 0.5, [SUB])) == want
    assert _bits(_tensor(lambda x: x ** 0.5, [SUB], create_graph=True)) == want
    assert _bits(_value(lambda x: x ** 0.5, [SUB])) == want


# --- a ** b at b = 0: flat in a (0, not -0 or NaN) under create_graph too, and its Hessian right ------------------

@pytest.mark.parametrize("b", [0.0, -0.0])
@pytest.mark.parametrize("a", [SUB, 1e-300, 2.0])
def test_a_power_of_two_inputs_at_exponent_zero_has_slope_plus_zero_under_create_graph_as_without(a, b):
    # dy/da = b a^(b-1) is 0 at b = 0 (the rule). Under create_graph a Value compared its exponent with 0.0 by
    # identity (Value's ==), missed the case and computed 0 * a^-1, which it refused where a^-1's own slope
    # overflows; a Tensor gave -0.0 at b = -0.0
    f = lambda s, t: s ** t                                     # noqa: E731
    want = _bits((1.0, 0.0, math.log(a)))                       # y = a^0 = 1, dy/da = 0, dy/db = a^0 ln a
    assert _bits(_value(f, [a, b])[:2]) == want[:2]             # (a Value's leaf adds to 0.0: no -0.0 to see)
    assert _bits(_value_graph(f, [a, b])) == want
    assert _bits(_tensor(f, [a, b])) == want
    assert _bits(_tensor(f, [a, b], create_graph=True)) == want


def test_the_value_power_of_two_inputs_has_the_mixed_second_derivative_at_exponent_zero():
    # d2(a^b)/da db = a^(b-1) (1 + b ln a) = 1/a at b = 0, as the Tensor engine's create_graph gives it
    for a in (2.0, 0.25, SUB):
        va, vb = Value(a), Value(0.0)
        (va ** vb).backward(create_graph=True)
        slope = va.grad
        va.zero_grad()
        vb.zero_grad()
        slope.backward()
        assert slope.data == 0.0 and vb.grad == (1.0 / a if a != SUB else math.inf)


# --- tanh: the one function whose value comes from two libraries (docs/engines.md) --------------------------------

def test_the_engines_tanh_values_are_at_most_3_ulp_apart_and_their_slopes_the_same_bits():
    # a Value calls the C library's tanh, a Tensor numpy's own: they differ in the last bits for about one argument
    # in five; the slope 4 e / (1 + e)^2 is made from exp in both, and agrees bit for bit
    xs = np.linspace(-20.0, 20.0, 2001)
    t = Tensor(xs, requires_grad=True)
    y = t.tanh()
    y.backward(np.ones(xs.size))
    values, slopes = [], []
    for x in xs.tolist():
        v = Value(x).tanh()
        values.append(v.data)
        slopes.append(v.partials[0])
    apart = np.abs(y.data.view(np.int64) - np.array(values).view(np.int64))
    assert apart.max() <= 3
    assert np.array_equal(t.grad.view(np.int64), np.array(slopes).view(np.int64))
