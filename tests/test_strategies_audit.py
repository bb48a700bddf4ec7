"""A hostile audit of autograd.testing: each test here failed on the strategies as they were before it.

Each one is a way the strategies or their helpers let a user's property test pass when it should fail, or fail
somewhere other than where the mistake is: a program run on the wrong inputs, an option silently ignored, a
draw that cannot be replayed, a bound that no longer holds, an interval that does not hold the range.
"""

import itertools
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from autograd import Value, rules, topological_order
from autograd.testing import expressions, floats, shapes, tensors
from autograd.testing.intervals import image, image_of, quotient, times

QUICK = settings(max_examples=30, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


# --- Expression: a program runs on exactly the inputs it was drawn with ------------------------------------------


def test_an_expression_refuses_a_different_number_of_inputs_than_it_was_drawn_with():
    # The steps name their operands by position in inputs + earlier steps: with one input too many, step 1's "v1"
    # would be read as that extra input and the program would silently compute something else.
    e = find(expressions(max_inputs=1, max_ops=2), lambda e: len(e.steps) == 2, settings=QUICK)
    x0 = Value(e.inputs[0].data)
    printed = e(x0).data
    for wrong in ([x0, Value(5.0)], []):
        with pytest.raises(TypeError, match=rf"^Expression: .*1 input.*got {len(wrong)}"):
            e(*wrong)
    assert e(Value(x0.data)).data == printed


# --- expressions(): options -----------------------------------------------------------------------------------


def programs(strategy) -> list:
    """The programs 15 derandomized draws of ``strategy`` give: the same choices for the same strategy."""
    seen = []

    @settings(max_examples=15, database=None, derandomize=True, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(e):
        seen.append(e.lines())

    collect()
    return seen


def test_a_set_of_ops_draws_the_same_programs_whatever_order_the_set_iterates_in():
    # A set iterates in an order that changes with PYTHONHASHSEED, so from one run to the next: the blob
    # hypothesis prints to replay a failure (and its example database) would replay a different program.
    # hypothesis' own sampled_from refuses a set for that reason; expressions() puts the ops in VALUE_OPS' order.
    code = (
        "from hypothesis import given, settings, Phase, HealthCheck\n"
        "from autograd.testing import expressions\n"
        "ops = {'exp', 'log', 'sin', 'cos', 'relu', 'abs', 'tanh', 'sqrt'}\n"
        "print(list(ops))\n"
        "@settings(max_examples=10, database=None, derandomize=True, phases=[Phase.generate],\n"
        "          suppress_health_check=list(HealthCheck))\n"
        "@given(expressions(ops=ops, max_ops=3))\n"
        "def collect(e):\n"
        "    print(repr(e))\n"
        "collect()\n"
    )
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        runs.append(out.split("\n", 1))
    assert runs[0][0] != runs[1][0]                      # the two runs iterate over the set in different orders
    assert runs[0][1] and runs[0][1] == runs[1][1]       # and draw the same programs


def test_ops_may_be_any_iterable_of_names_a_generator_too():
    # A generator was read twice: once to check the names, then (empty) to draw from.
    ops = (op for op in ("log", "exp"))
    drawn = programs(expressions(ops=ops, max_ops=2))
    assert drawn and all(any("log(" in line or "exp(" in line for line in lines) for lines in drawn)


@pytest.mark.parametrize("radius", [0.02, 3.0, 1e300])
def test_expressions_refuse_a_radius_too_wide_for_their_bounds(radius):
    # radius=3 drew v1 = ((x0 + 3.05) ** x0) / 256 with a node of 642 at x0 + radius (the docstring promises
    # about 300 at most), and radius=1e300 raised OverflowError inside the user's test, at its first draw.
    with pytest.raises(ValueError, match="^expressions: .*radius"):
        expressions(radius=radius)


@given(expressions(max_ops=8, radius=0.01))
@settings(max_examples=30)
def test_the_widest_radius_allowed_keeps_every_node_within_300_for_inputs_within_it(expression):
    f, inputs = expression
    r = expression.radius
    for signs in itertools.product((-1.0, 1.0), repeat=len(inputs)):
        out = f(*[Value(x.data + s * r) for x, s in zip(inputs, signs)])
        assert all(math.isfinite(n.data) and abs(n.data) <= 300 for n in topological_order(out))


# --- floats() and tensors(): options --------------------------------------------------------------------------


@given(st.data())
def test_float32_floats_draw_from_the_side_that_holds_float32_numbers(data):
    # No float32 lies in [0.1, 0.1000000001], but [-1, -0.1] holds many: that side alone is drawn (it was refused).
    x = data.draw(floats(-1.0, 0.1000000001, away_from_zero=0.1, width=32))
    assert -1.0 <= x <= -0.1 and float(np.float32(x)) == x


@pytest.mark.parametrize("bounds", [(1e-320, 2e-320), (-2e-320, -1e-320)])
def test_floats_refuse_an_interval_of_subnormals_only_when_built(bounds):
    # Subnormals are never drawn, so no number is left: hypothesis said "IndexError: Cannot choose from an empty
    # sequence" at the first draw, inside the user's test.
    with pytest.raises(ValueError, match="^floats: .*subnormal"):
        floats(*bounds)


@pytest.mark.parametrize("bounds", [dict(min_value=0.5), dict(max_value=1.0), dict(away_from_zero=0.5)])
def test_tensors_refuse_bounds_that_elements_would_silently_override(bounds):
    # tensors(elements=..., min_value=0.5) drew the entries of elements, negative ones included: a test of log that
    # believed its entries >= 0.5 ran on others.
    with pytest.raises(TypeError, match="^tensors: .*elements"):
        tensors((2,), elements=st.just(-1.0), **bounds)


@given(st.data())
def test_tensors_take_an_int_shape_and_elements_alone(data):
    t, u = data.draw(tensors(3)), data.draw(tensors((2, 1), elements=st.just(0.25)))
    assert t.shape == (3,) and np.all(u.data == 0.25)


@pytest.mark.parametrize("make", [lambda: tensors(-1), lambda: tensors([2, -1]), lambda: shapes(max_dims=33)])
def test_a_negative_side_or_too_many_axes_is_refused_when_built(make):
    with pytest.raises(ValueError, match="^(tensors|shapes): "):
        make()


# --- intervals: helpers that must hold the range or refuse -------------------------------------------------------


def test_quotient_refuses_a_denominator_box_that_holds_0():
    # 1 / y for y in [-1, 1] is unbounded; quotient said (-1, 1).
    with pytest.raises(ValueError, match="^quotient: .*0"):
        quotient((1.0, 1.0), (-1.0, 1.0))
    lo, hi = quotient((1.0, 2.0), (-4.0, -2.0))                          # 1/y in [-1/2, -1/4]: x/y in [-1, -1/4]
    assert lo <= -1.0 and -0.25 <= hi and hi - lo < 0.75 + 1e-8


@pytest.mark.parametrize("helper", [lambda: image_of(math.sin, (3.0, 0.0), [math.pi / 2]),
                                    lambda: times((2.0, 1.0), (1.0, 1.0))])
def test_interval_helpers_refuse_a_box_whose_ends_are_swapped(helper):
    # sin over (3.0, 0.0) said (0, 0.14): the turning point pi/2 was skipped, the true range over [0, 3] is [0, 1].
    with pytest.raises(ValueError, match="box"):
        helper()


def test_image_refuses_a_box_that_holds_a_pole_of_the_power():
    # x^-1 over [-1, 0] takes every value <= -1; image said (-1, inf), a lower bound that does not hold.
    with pytest.raises(ValueError, match=r"^image: \*\* has a pole"):
        image(rules.POWER, (-1.0, 0.0), -1.0)
    lo, hi = image(rules.POWER, (-2.0, -1.0), -1.0)                      # 1/x on [-2, -1]: [-1, -1/2]
    assert lo <= -1.0 and -0.5 <= hi < -0.5 + 1e-8


@given(st.data())
@settings(max_examples=40, derandomize=True, database=None)
def test_unique_float32_tensors_have_no_ties_when_elements_draw_float64_numbers(data):
    # hypothesis compares the numbers elements draws, before the cast to float32: 0.1 and 0.1 + 1e-12 are distinct
    # there and one float32 in the Tensor, so a "unique" Tensor held a tie for max and min.
    elements = st.sampled_from([0.1, 0.1 + 1e-12, 0.5, 0.5 + 1e-12, 0.75])
    t = data.draw(tensors((3,), dtype=np.float32, elements=elements, unique=True))
    assert len(set(t.data.tolist())) == 3
