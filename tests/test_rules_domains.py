"""expressions() reads the rules table: it draws every function of it, inside its Domain, and each rule's
``critical`` turning points, with the end points, really bound its value on an interval."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from autograd import rules, topological_order
from autograd.testing import MARGIN, VALUE_OPS, expressions, floats

FUNCTIONS = list(rules.FUNCTIONS)
KINKED = [name for name, rule in rules.FUNCTIONS.items() if rule.domain.kinks]

# Parametrized over every op (or exponent): CI's 100 examples per case made these the slowest properties of
# the suite; 40 per case (1,600 and more in all; 50 until the suite passed 6,000 tests) keeps the whole suite
# inside three minutes on two cores.
PER_CASE = settings(max_examples=min(40, settings.default.max_examples))


def arguments_of(name: str, expression) -> list:
    """The argument of every node of op ``name`` in the graph the expression builds from its inputs."""
    return [n.parents[0].data for n in topological_order(expression(*expression.inputs)) if n.op == name]


# --- every function of the table is drawn, inside its domain ---------------------------------------------------------


def test_value_ops_are_the_tables_functions_between_the_arithmetic_and_weighted_sum():
    assert VALUE_OPS == ("+", "-", "*", "/", "**", *rules.FUNCTIONS, "logaddexp", "weighted_sum")
    assert set(VALUE_OPS) == {rule.name for rule in rules.RULES.values()}


@pytest.mark.parametrize("name", FUNCTIONS)
@PER_CASE
@given(data=st.data())
def test_every_function_of_the_table_is_drawn_and_sees_arguments_inside_its_domain(name, data):
    domain = rules.FUNCTIONS[name].domain
    expression = data.draw(expressions(ops=(name,), max_ops=3))
    xs = arguments_of(name, expression)
    assert xs, f"expressions(ops=({name!r},)) drew no {name} node: {expression!r}"
    for x in xs:
        assert math.isfinite(x)
        if domain.lower is not None:
            assert x >= domain.lower + MARGIN
        assert all(abs(x - bad) >= MARGIN for bad in (*domain.kinks, *domain.poles))


@pytest.mark.parametrize("name", KINKED)
def test_a_function_with_kinks_is_drawn_on_both_sides_of_them(name):
    kinks = rules.FUNCTIONS[name].domain.kinks
    assert find(expressions(ops=(name,)), lambda e: any(x < min(kinks) for x in arguments_of(name, e)))
    assert find(expressions(ops=(name,)), lambda e: any(x > max(kinks) for x in arguments_of(name, e)))


def test_the_table_has_functions_of_each_kind_expressions_tells_apart():
    domains = [rule.domain for rule in rules.FUNCTIONS.values()]
    assert any(d.lower is not None and d.closed for d in domains)        # sqrt
    assert any(d.lower is not None and not d.closed for d in domains)    # log
    assert any(d.kinks for d in domains)                                 # relu, abs
    assert any(d.lower is None and not d.kinks and not d.poles for d in domains)  # exp, tanh, sin...


# --- critical points and end points bound the value ------------------------------------------------------------------


def escapes(value, critical, lo: float, hi: float, samples: int = 4001) -> list:
    """The points of a dense sample of [lo, hi] where ``value`` leaves the range its end points and ``critical``
    points give (with a rounding tolerance). Also fails if a critical point lies outside [lo, hi]."""
    turns = list(critical(lo, hi))
    assert all(lo <= t <= hi for t in turns), f"critical({lo}, {hi}) = {turns} leaves the interval"
    bounds = [value(x) for x in (lo, hi, *turns)]
    low, high = min(bounds), max(bounds)
    tol = 1e-12 * (1.0 + max(abs(low), abs(high)))
    return [x for x in np.linspace(lo, hi, samples).tolist() if not low - tol <= value(x) <= high + tol]


@st.composite
def intervals_inside(draw, domain: rules.Domain, lowest: float = -30.0, width: float = 25.0) -> tuple:
    """Intervals [lo, hi] of the domain, up to ``width`` long (long enough to hold many turns of sin and cos)."""
    if domain.lower is None:
        lo = draw(floats(lowest, 30.0))
    else:
        lo = draw(floats(domain.lower if domain.closed else domain.lower + 1e-9, 30.0))
    return lo, lo + draw(floats(0.0, width))


@pytest.mark.parametrize("name", FUNCTIONS)
@PER_CASE
@given(data=st.data())
def test_critical_points_and_end_points_bound_each_function_on_any_interval(name, data):
    rule = rules.FUNCTIONS[name]
    lo, hi = data.draw(intervals_inside(rule.domain, lowest=-30.0 if name != "exp" else -700.0))
    assert escapes(lambda x: rule.value(rules.FLOATS, x), rule.critical, lo, hi) == []


@pytest.mark.parametrize("p", [2.0, 3.0, -1.0, -2.0, 0.5, 1.5, -0.5])
@PER_CASE
@given(data=st.data())
def test_critical_points_and_end_points_bound_x_to_the_p_on_any_interval_of_its_domain(p, data):
    if p.is_integer() and p > 0:
        lo, hi = data.draw(intervals_inside(rules.EVERYWHERE, lowest=-10.0, width=20.0))
    elif p.is_integer():  # x != 0: an interval on one side of the pole
        side = data.draw(st.sampled_from((-1.0, 1.0)))
        a, b = sorted(side * x for x in (data.draw(floats(0.01, 10.0)), data.draw(floats(0.01, 10.0))))
        lo, hi = a, b
    else:  # x > 0
        lo, hi = data.draw(intervals_inside(rules.Domain(lower=0.0), width=10.0))
    assert escapes(lambda x: rules.POWER.value(rules.FLOATS, x, p), rules.POWER.critical, lo, hi) == []


def test_the_bound_check_catches_a_rule_that_forgets_a_turning_point():
    assert escapes(math.sin, lambda lo, hi: [], 0.0, 3.0)                  # sin(pi/2) = 1 > sin(0), sin(3)
    assert escapes(math.sin, rules.SIN.critical, 0.0, 3.0) == []
    assert escapes(abs, lambda lo, hi: [], -1.0, 2.0)                      # |0| = 0 < |-1|, |2|
