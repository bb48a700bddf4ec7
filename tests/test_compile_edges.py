"""autograd.compile against the eager Value engine at the edges of every op: at 0, -0, subnormals, overflow points,
inf and NaN, the generated code gives the eager floats bitwise or refuses with the eager error and message. Also
compile's size limit."""

from __future__ import annotations

import math
import struct
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, compile, rules, weighted_sum
from autograd.testing import VALUE_OPS, expressions

# The brief's special points, and a few ordinary numbers of both signs.
SPECIAL = [0.0, -0.0, 5e-324, -5e-324, 1e-300, 1e154, 1e200, 1e308, -1e308, 709.78, 710.0, -745.0,
           math.inf, -math.inf, math.nan, 0.5, -1.5, 2.0, 3.0]


def bits(x: float) -> bytes | str:
    """A float's bits (0.0 and -0.0 differ), every NaN alike."""
    return "nan" if x != x else struct.pack("<d", x)


def refusal(error: Exception) -> tuple:
    return "refused", type(error), str(error)


def eager(f, numbers: list[float], seed: float = 1.0) -> tuple:
    """("ok", value, [gradient]) as bits from Value.backward(seed), or ("refused", type, message)."""
    try:
        xs = [Value(x) for x in numbers]
        y = f(xs)
        y.backward(seed)
    except (ValueError, ArithmeticError) as error:
        return refusal(error)
    return "ok", bits(y.data), [bits(x.grad) for x in xs]


def compiled(fast, numbers: list[float], seed: float = 1.0) -> tuple:
    try:
        value, gradient = fast(numbers, seed=seed)
    except (ValueError, ArithmeticError) as error:
        return refusal(error)
    return "ok", bits(value), [bits(g) for g in gradient]


# --- the op table: every op a Value records, each way its operands can come ------------------------------------
# name -> (the key of its rule in rules.RULES, how many inputs, f of a list of Values)
CASES: dict = {}
CONSTANTS = [2.5, -0.0, 1e-300, 1e308, math.inf, math.nan]

for _name in rules.FUNCTIONS:                                                     # neg, exp, log, ..., cos
    CASES[_name] = (_name, 1, (lambda x: -x[0]) if _name == "neg" else (lambda x, n=_name: getattr(x[0], n)()))
CASES["abs(x)"] = ("abs", 1, lambda x: abs(x[0]))
for _op, _rule in (("+", "+"), ("-", "-"), ("*", "*"), ("/", "/"), ("**", "a**b")):
    CASES[f"a {_op} b"] = (_rule, 2, lambda x, o=_op: eval(f"a {o} b", {"a": x[0], "b": x[1]}))
CASES["x * x"] = ("*", 1, lambda x: x[0] * x[0])
CASES["x / x"] = ("/", 1, lambda x: x[0] / x[0])
for _c in CONSTANTS:
    CASES[f"x + {_c}"] = ("+", 1, lambda x, c=_c: x[0] + c)
    CASES[f"{_c} + x"] = ("+", 1, lambda x, c=_c: c + x[0])
    CASES[f"x - {_c}"] = ("-", 1, lambda x, c=_c: x[0] - c)
    CASES[f"{_c} - x"] = ("-", 1, lambda x, c=_c: c - x[0])
    CASES[f"x * {_c}"] = ("*", 1, lambda x, c=_c: x[0] * c)
    CASES[f"{_c} / x"] = ("/", 1, lambda x, c=_c: c / x[0])
    if _c != 0:                                                                   # x / 0 is refused at the trace
        CASES[f"x / {_c}"] = ("/", 1, lambda x, c=_c: x[0] / c)
for _p in [0.0, 1.0, 2.0, 3.0, 4.0, -1.0, -2.0, 0.5, -0.5, 1.5, 400.0, 1e-300, math.inf, -math.inf, math.nan]:
    CASES[f"x ** {_p}"] = ("x**p", 1, lambda x, p=_p: x[0] ** p)
CASES["x ** 2 (int)"] = ("x**p", 1, lambda x: x[0] ** 2)
CASES["x.pow(3)"] = ("x**p", 1, lambda x: x[0].pow(3))
for _c in [0.5, 2.0, 1e-300, 1e300, math.inf, math.nan]:
    CASES[f"{_c} ** x"] = ("c**x", 1, lambda x, c=_c: c ** x[0])
CASES["weighted_sum(Values)"] = ("weighted_sum", 2, lambda x: weighted_sum([x[0], x[1]], [x[1], x[0]], x[0]))
CASES["weighted_sum(numbers)"] = ("weighted_sum", 2, lambda x: weighted_sum([x[0], 2.0], [-3.0, x[1]], 0.5))
CASES["weighted_sum(one)"] = ("weighted_sum", 1, lambda x: weighted_sum([x[0]], [x[0]]))
CASES["np.exp(x)"] = ("exp", 1, lambda x: np.exp(x[0]))
CASES["a.logaddexp(b)"] = ("logaddexp", 2, lambda x: x[0].logaddexp(x[1]))
CASES["x.logaddexp(x)"] = ("logaddexp", 1, lambda x: x[0].logaddexp(x[0]))
CASES["x.logaddexp(-1e17)"] = ("logaddexp", 1, lambda x: x[0].logaddexp(-1e17))

EXAMPLES = {1: [[0.7], [-0.7], [2.0]], 2: [[0.7, 1.3], [1.3, -0.6]]}


def test_the_table_has_every_rule_and_every_op_a_value_records():
    # a new op must join the table: each case is checked to record the op of the rule it names
    assert {rule for rule, _, _ in CASES.values()} == set(rules.RULES)
    assert {rules.RULES[rule].name for rule, _, _ in CASES.values()} == set(VALUE_OPS)
    for name, (rule, n, f) in CASES.items():
        root = f([Value(x) for x in EXAMPLES[n][0]])
        assert root.op == rules.RULES[rule].name, name


@pytest.mark.parametrize("name", list(CASES))
def test_every_op_answers_and_refuses_where_the_eager_engine_does_at_the_special_points(name):
    # x ** 2 at 1e200 gave inf (the eager op refuses the overflow), x ** 3 there Python's bare OverflowError, and
    # a division by a zero Value Python's "float division by zero", where the eager op names the op and numbers
    _, n, f = CASES[name]
    points = [[x] for x in SPECIAL] if n == 1 else [[a, b] for a in SPECIAL for b in SPECIAL]
    for example in EXAMPLES[n]:
        at_example = eager(f, example)
        if at_example[0] == "refused":                      # the trace is the eager engine: the same refusal
            with pytest.raises(at_example[1]) as refused:
                compile(f, example)
            assert str(refused.value) == at_example[2]
            continue
        fast = compile(f, example)
        for numbers in points:
            assert compiled(fast, numbers) == eager(f, numbers), (name, example, numbers)


@pytest.mark.parametrize("x, p", [(1e200, 2), (-1e200, 2), (1e155, 2.0), (1e200, 3), (-1e200, 3), (1e154, 3.0)])
def test_a_constant_power_that_overflows_is_refused_by_name_as_eagerly(x, p):
    # by hand: |x|^p is beyond the largest float (about 1.8e308), so both engines refuse, naming the op and numbers
    assert p * math.log10(abs(x)) > math.log10(sys.float_info.max)              # log10 of 1.8e308: 308.25
    fast = compile(lambda v: v[0] ** p, [1.5])
    with pytest.raises(ValueError) as eagerly:
        Value(x) ** p
    with pytest.raises(ValueError) as refused:
        fast([x])
    assert str(refused.value) == str(eagerly.value) == f"**: {x} ** {float(p)} overflows a float; scale the inputs down"


def test_the_largest_square_that_fits_is_answered_not_refused():
    # sqrt(largest float) = 1.3407807929942596e154: x x rounds to a finite float just below, inf just above
    fits, beyond = 1.3407807929942596e154, 1.3407807929942597e154
    fast = compile(lambda v: v[0] ** 2, [1.5])
    assert fast([fits]) == (fits * fits, [2.0 * fits]) and math.isfinite(fits * fits)
    with pytest.raises(ValueError, match=r"^\*\*: 1.3407807929942597e\+154 \*\* 2.0 overflows"):
        fast([beyond])


@pytest.mark.parametrize("f, numbers", [(lambda v: v[0] / v[1], [1.0, -0.0]), (lambda v: 2.0 / v[0], [0.0])])
def test_a_zero_divisor_is_refused_with_the_eager_message_naming_the_numbers(f, numbers):
    fast = compile(f, [1.0, 2.0][:len(numbers)])
    with pytest.raises(ZeroDivisionError) as refused:
        fast(numbers)
    dividend = numbers[0] if len(numbers) == 2 else 2.0
    assert str(refused.value).startswith(f"/: division of {dividend!r} by {numbers[-1]!r}, which is zero;")
    assert eager(f, numbers) == refusal(refused.value)


@given(expressions(), st.data())
def test_random_programs_agree_with_the_eager_engine_at_special_points(expression, data):
    # the program's graph is traced inside every op's domain, then run where the domains end. (A seed or a
    # starting grad of -0.0 is left out: the code starts a gradient at its first contribution, backward() at
    # 0.0 + it, so a zero's sign may differ there; -0.0 == 0.0 all the same.)
    f, inputs = expression
    program = lambda xs: f(*xs)                                   # noqa: E731
    fast = compile(program, [x.data for x in inputs])
    for _ in range(4):
        numbers = [data.draw(st.sampled_from(SPECIAL) | st.floats()) for _ in inputs]
        seed = data.draw(st.sampled_from([1.0, 2.5, -3.0, 1e308, math.inf, math.nan]))
        assert compiled(fast, numbers, seed) == eager(program, numbers, seed), (expression, numbers, seed)


def test_the_sgd_loop_refuses_a_sample_the_eager_step_refuses_even_off_the_weights_path():
    # log(x) of the data alone: its line computes nothing the update reads, and the loop left it out, so it
    # trained on x = -1 (w -> 0.8) where the eager loss, and the compiled call, refuse log(-1)
    fast = compile(lambda w, x: w[0] * 2.0 + x[0].log() + (x[0] - 3.0) ** 2, ([1.0], [2.0]), wrt=0)
    message = r"^log: log\(-1.0\) is undefined"
    with pytest.raises(ValueError, match=message):
        Value(2.0) * 2.0 + Value(-1.0).log()
    with pytest.raises(ValueError, match=message):
        fast([1.0], [-1.0])
    with pytest.raises(ValueError, match=message):
        fast.sgd([1.0], [[2.0], [-1.0]], lr=0.1, order=[0, 1])
    with pytest.raises(ValueError, match=r"^\*\*: 1e\+200 \*\* 2.0 overflows"):
        fast.sgd([1.0], [[1e200]], lr=0.1, order=[0])
    assert fast.sgd([1.0], [[2.0]], lr=0.1, order=[0, 0]) == [1.0 - 0.1 * 2.0 - 0.1 * 2.0]      # dL/dw = 2


# --- the size limit ------------------------------------------------------------------------------------------------

def chain(n: int):
    """f whose graph has exactly n computed nodes: x * 1.5, then n - 1 more * 1.5."""
    def f(x):
        y = x[0]
        for _ in range(n):
            y = y * 1.5
        return y
    return f


def test_a_graph_beyond_max_nodes_is_refused_by_name_with_its_size_and_the_ways_out():
    with pytest.raises(ValueError) as refused:
        compile(chain(31), [1.0], max_nodes=30)
    message = str(refused.value)
    assert "has 31 nodes" in message and "max_nodes=30" in message
    assert "smaller graph" in message and "eager engine" in message and "max_nodes=31)" in message
    fast = compile(chain(30), [1.0], max_nodes=30)                            # at the limit: compiled
    assert fast([2.0]) == (2.0 * 1.5 ** 30, [1.5 ** 30])                       # 1.5^30 is exact in floats


def test_the_default_limit_is_25000_nodes_and_max_nodes_must_be_a_whole_number():
    from autograd.compile import MAX_NODES
    assert MAX_NODES == 25_000
    with pytest.raises(ValueError, match=r"has 25,001 nodes .* more than max_nodes=25,000"):
        compile(chain(25_001), [1.0])
    at_limit = chain(25_000)
    fast = compile(at_limit, [1.0])                                           # the default: compiled
    assert compiled(fast, [1e-200]) == eager(at_limit, [1e-200])
    for bad in (0, -5):
        with pytest.raises(ValueError, match="max_nodes must be at least 1, got"):
            compile(chain(3), [1.0], max_nodes=bad)
    for bad in (2.5, True, "100", None):
        with pytest.raises(TypeError, match="max_nodes must be a whole number"):
            compile(chain(3), [1.0], max_nodes=bad)


def test_a_weighted_sum_counts_once_per_term():
    # 1 weighted_sum of 40 terms + 1 tanh = 41: within 41, beyond 40 (its line holds a product per term)
    def neuron(w, x):
        return weighted_sum(w, x).tanh()
    example = ([0.1] * 40, [1.0] * 40)
    assert compile(neuron, example, wrt=0, max_nodes=41)
    with pytest.raises(ValueError, match="has 41 nodes"):
        compile(neuron, example, wrt=0, max_nodes=40)


@pytest.mark.parametrize("a, b", [(math.nan, 0.0), (math.nan, 2.0), (2.0, 0.0), (0.5, 3.0), (math.nan, -1.0)])
def test_a_power_of_values_differentiated_as_a_graph_gives_backwards_first_derivatives(a, b):
    # create_graph's slope of a ** b (rules.power2_slope_as_nodes) against backward()'s floats, on both engines:
    # at a NaN base and b = 0 the rule's slope b a^(b-1) is 0 (x^0 is flat), where b / a * y read NaN
    from autograd import Tensor, grad

    def same(x, y):
        return (math.isnan(x) and math.isnan(y)) or x == y

    x, e = Value(a), Value(b)
    (x ** e).backward()
    xv, ev = Value(a), Value(b)
    gxv, gev = grad(xv ** ev, [xv, ev], create_graph=True)
    assert same(gxv.data, x.grad) and same(gev.data, e.grad)
    xt, et = Tensor([a], requires_grad=True), Tensor([b], requires_grad=True)
    (xt ** et).sum().backward()
    xt2, et2 = Tensor([a], requires_grad=True), Tensor([b], requires_grad=True)
    gxt, get = grad((xt2 ** et2).sum(), [xt2, et2], create_graph=True)
    assert same(float(gxt.data[0]), float(xt.grad[0])) and same(float(get.data[0]), float(et.grad[0]))
    assert same(float(np.asarray(xt.grad)[0]), x.grad)
