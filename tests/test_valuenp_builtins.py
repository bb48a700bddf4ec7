"""Python's builtins and its math and statistics modules on Values, as micrograd-style code writes them.

What keeps the graph must give the right gradient; what would leave it (a float, a step) is a TypeError that
names the number to use, or the Value op that stays in the graph.
"""

import functools
import math
import operator
import re
import statistics

import pytest

from autograd import Value


@pytest.mark.parametrize("step", [
    lambda x: x // 2, lambda x: 7 // x, lambda x: x % 2, lambda x: 7 % x, lambda x: divmod(x, 2),
    lambda x: divmod(7, x), lambda x: x // Value(2.0), lambda x: x % Value(2.0),
], ids=["x//2", "7//x", "x%2", "7%x", "divmod(x,2)", "divmod(7,x)", "x//y", "x%y"])
def test_floor_division_and_remainder_are_refused_naming_the_number(step):
    # Python's bare "unsupported operand type(s) for //" named no way out
    with pytest.raises(TypeError, match=r"//, %, divmod: .*derivative of x // c is 0.*x\.data // 2"):
        step(Value(5.0))


def test_percent_formatting_of_a_value_is_still_the_string_format():
    x = Value(2.0)
    # str's own %, not the Value's refused __rmod__
    assert "%s" % x == str(x) and "%s" % (x,) == str(x)  # noqa: UP031


@pytest.mark.parametrize("convert, name", [(math.trunc, "math.trunc"), (math.floor, "math.floor"),
                                           (math.ceil, "math.ceil")])
def test_rounding_by_the_math_module_is_refused_by_its_own_name(convert, name):
    # math.trunc was "type Value doesn't define __trunc__ method"; math.floor reported float(Value)
    with pytest.raises(TypeError, match=rf"^{re.escape(name)}\(Value\): .*{re.escape(name)}\(x\.data\)"):
        convert(Value(2.5))


@pytest.mark.parametrize("function", [statistics.mean, statistics.variance, statistics.pstdev])
def test_the_statistics_module_is_refused_naming_the_mean_as_a_value(function):
    # statistics.mean said "can't convert type 'Value' to numerator/denominator"
    values = [Value(1.0), Value(2.0), Value(4.0)]
    with pytest.raises(TypeError, match=r"sum\(values\) / len\(values\) is the mean as a Value"):
        function(values)


def test_the_mean_the_message_offers_has_the_gradient_of_the_mean():
    values = [Value(1.0), Value(2.0), Value(4.0)]
    mean = sum(values) / len(values)
    mean.backward()
    assert mean.data == pytest.approx(7.0 / 3.0, rel=1e-15) and [v.grad for v in values] == [1.0 / 3.0] * 3


@pytest.mark.parametrize("combine, expected, slopes", [
    # y and dy/dv_i by hand for v = (1.5, -2.0, 4.0)
    (lambda vs: sum(vs), 3.5, [1.0, 1.0, 1.0]),
    (lambda vs: sum(vs, Value(0.5)), 4.0, [1.0, 1.0, 1.0]),
    (lambda vs: math.prod(vs), -12.0, [-8.0, 6.0, -3.0]),
    (lambda vs: functools.reduce(operator.mul, vs), -12.0, [-8.0, 6.0, -3.0]),
    (lambda vs: max(vs, key=lambda v: v.data) * 2, 8.0, [0.0, 0.0, 2.0]),
    (lambda vs: abs(vs[1]) + vs[2] ** 0.5, 4.0, [0.0, -1.0, 0.25]),
])
def test_builtins_that_keep_the_graph_give_the_gradient_by_hand(combine, expected, slopes):
    values = [Value(1.5), Value(-2.0), Value(4.0)]
    y = combine(values)
    y.backward()
    assert y.data == expected and [v.grad for v in values] == slopes
