"""The hypothesis strategies of autograd.testing keep their promises: bounds, domains, kinks, reproducible programs."""

import math

import pytest
from hypothesis import find, given
from hypothesis import strategies as st

from autograd import Value, topological_order, weighted_sum
from autograd.testing import BOUND, CLEAR, MARGIN, VALUE_OPS, Expression, expressions, floats, values

# --- floats and values -----------------------------------------------------------------------------------------------


@given(floats(-1.5, 0.7, away_from_zero=0.2))
def test_floats_stay_in_their_interval_and_away_from_zero(x):
    assert math.isfinite(x) and -1.5 <= x <= 0.7 and abs(x) >= 0.2


@given(floats(0.5, 2.0, away_from_zero=1.0))
def test_floats_away_from_zero_can_be_one_sided(x):
    assert 1.0 <= x <= 2.0


@given(floats())
def test_floats_are_finite_and_never_subnormal(x):
    assert -2.0 <= x <= 2.0 and (x == 0 or abs(x) >= 2.2250738585072014e-308)


@pytest.mark.parametrize(
    "args, kwargs",
    [((1.0, 0.0), {}), ((-math.inf, 1.0), {}), ((0.0, math.nan), {}), ((-1.0, 1.0), {"away_from_zero": -0.1}),
     ((-0.1, 0.1), {"away_from_zero": 0.5}), ((-1.0, 1.0), {"away_from_zero": math.nan}),
     ((-1.0, 1.0), {"width": 8}), ((-1.0, 1.0), {"width": 33})],
)
def test_floats_reject_an_empty_or_infinite_interval(args, kwargs):
    with pytest.raises(ValueError, match="^floats: "):
        floats(*args, **kwargs)


@given(values(0.5, 1.0, label="w"))
def test_values_are_labelled_leaves_with_zero_grad(w):
    assert isinstance(w, Value)
    assert (w.parents, w.op, w.grad, w.label) == ((), "", 0.0, "w")
    assert 0.5 <= w.data <= 1.0


# --- expressions -----------------------------------------------------------------------------------------------------


def step_results(expression: Expression, inputs: list) -> list:
    """Run the printed program with Python itself: each step's result, named v1, v2, ..."""
    scope = {f"x{i}": x for i, x in enumerate(inputs)}
    scope.update({name: (lambda v, name=name: getattr(v, name)()) for name in VALUE_OPS if name.isalpha()})
    scope["weighted_sum"] = weighted_sum
    scope["logaddexp"] = Value.logaddexp
    for line in expression.lines():
        exec(line, scope)
    return [scope[f"v{j + 1}"] for j in range(len(expression.steps))]


def check_guarantees(root: Value) -> None:
    """The domain and kink margins, on every node of the graph that shows them."""
    for node in topological_order(root):
        parents = [p.data for p in node.parents]
        if node.op in ("log", "sqrt"):
            assert parents[0] >= MARGIN
        elif node.op in ("relu", "abs"):
            assert abs(parents[0]) >= MARGIN
        elif node.op == "/" and len(parents) == 2:
            assert abs(parents[1]) >= CLEAR
        elif node.op == "**" and len(parents) == 2:
            assert parents[0] >= CLEAR
        assert abs(node.data) <= 300                    # the largest a step can reach before it is rescaled


@given(expressions())
def test_the_printed_program_is_exactly_the_one_that_runs(expression):
    f, inputs = expression
    assert f is expression
    out = f(*inputs)
    printed = step_results(expression, inputs)
    assert printed[-1].data == out.data
    assert [n.op for n in topological_order(printed[-1])] == [n.op for n in topological_order(out)]
    assert repr(expression).startswith("Expression(x0=")


@given(expressions(min_inputs=2, max_inputs=4, max_ops=5, min_value=-1.0, max_value=3.0))
def test_expression_inputs_are_labelled_leaves_in_range_and_steps_respect_max_ops(expression):
    assert 2 <= len(expression.inputs) <= 4 and 1 <= len(expression.steps) <= 5
    for i, x in enumerate(expression.inputs):
        assert (x.label, x.parents, x.grad) == (f"x{i}", (), 0.0)
        assert -1.0 <= x.data <= 3.0


@given(expressions(max_ops=10))
def test_every_step_stays_within_bound_and_every_op_within_its_domain_and_clear_of_kinks(expression):
    for v in step_results(expression, expression.inputs):
        assert abs(v.data) <= BOUND
    check_guarantees(expression(*expression.inputs))


@given(st.data())
def test_the_guarantees_hold_for_every_input_within_radius(data):
    expression = data.draw(expressions(max_ops=10))
    r = expression.radius
    nudged = [Value(x.data + data.draw(floats(-r, r))) for x in expression.inputs]
    at_drawn = topological_order(expression(*expression.inputs))
    at_nudged = topological_order(expression(*nudged))
    check_guarantees(at_nudged[-1])
    for v in step_results(expression, nudged):
        assert abs(v.data) <= BOUND
    # relu and abs stay on the same side of their kink: the same branch of the derivative is taken.
    for a, b in zip(at_drawn, at_nudged):
        assert a.op == b.op
        if a.op in ("relu", "abs"):
            assert (a.parents[0].data > 0) == (b.parents[0].data > 0)


@pytest.mark.parametrize("op", VALUE_OPS)
@given(data=st.data())
def test_expressions_of_one_op_use_it_and_otherwise_only_shifts_and_rescalings(op, data):
    expression = data.draw(expressions(ops=(op,), max_ops=3))
    used = {n.op for n in topological_order(expression(*expression.inputs))}
    assert op in used
    assert used <= {op, "", "+", "-", "/"}


def test_relu_is_drawn_on_both_sides_of_its_kink():
    def relus(e):
        return [n.parents[0].data for n in topological_order(e(*e.inputs)) if n.op == "relu"]

    assert find(expressions(ops=("relu",)), lambda e: any(x < 0 for x in relus(e)))
    assert find(expressions(ops=("relu",)), lambda e: any(x > 0 for x in relus(e)))


def test_a_rescaled_step_is_printed_with_its_power_of_two():
    def rescaled(e):
        return any(") / " in line for line in e.lines())

    expression = find(expressions(ops=("exp", "*")), rescaled)
    assert any(line.endswith((") / 2", ") / 4", ") / 8", ") / 16")) for line in expression.lines())


@pytest.mark.parametrize(
    "kwargs",
    [{"ops": ("matmul",)}, {"ops": ()}, {"min_inputs": 0}, {"min_inputs": 3, "max_inputs": 2}, {"max_ops": 0},
     {"radius": 0.0}, {"min_value": -5.0}, {"radius": math.nan}, {"radius": math.inf}, {"max_ops": 2.5},
     {"min_inputs": 1.5}, {"min_value": math.nan}],
)
def test_expressions_reject_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="^expressions: "):
        expressions(**kwargs)


@given(data=st.data())
def test_a_single_op_name_is_read_as_that_op_not_its_letters(data):
    expression = data.draw(expressions(ops="log", max_ops=2))      # not ("l", "o", "g")
    used = {n.op for n in topological_order(expression(*expression.inputs))}
    assert "log" in used and used <= {"log", "", "+", "-", "/"}
