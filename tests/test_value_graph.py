"""The recorded graph of Values: backward() over reused nodes, accumulation across calls, grad mode, naming,
random expressions, and a chain of a million nodes."""

import math
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, enable_grad, gradcheck, is_grad_enabled, no_grad, topological_order, zero_grad
from autograd.testing import VALUE_OPS, expressions, floats, values

# --- a node used several times receives the sum of its contributions ------------------------------------------


@given(values())
def test_a_plus_a_gives_gradient_two(a):
    (a + a).backward()
    assert a.grad == 2.0


@given(values())
def test_x_times_x_gives_gradient_two_x(x):
    (x * x).backward()
    assert x.grad == 2.0 * x.data


@given(values(), values())
def test_a_shared_subexpression_sums_its_paths(x, y):
    s = x * y
    z = s * s + s                                       # dz/ds = 2s + 1, ds/dx = y, ds/dy = x
    z.backward()
    g = 2 * s.data + 1
    assert math.isclose(x.grad, g * y.data, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(y.grad, g * x.data, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(s.grad, g, rel_tol=1e-12)


@given(values(-1, 1))
def test_a_leaf_used_many_times_through_different_ops_gets_every_contribution(x):
    y = x * 3 + x.tanh() - x.exp() / 2 + x                 # dy/dx = 3 + (1 - tanh^2) - e^x / 2 + 1
    y.backward()
    expected = 3 + (1 - math.tanh(x.data) ** 2) - math.exp(x.data) / 2 + 1
    assert math.isclose(x.grad, expected, rel_tol=1e-12, abs_tol=1e-12)


# --- accumulation across backward() calls, and zero_grad ---------------------------------------------------------


@given(values(), values())
def test_gradients_accumulate_across_backward_calls_of_different_graphs(w, x):
    (w * x).backward()
    (w * w).backward()
    assert math.isclose(w.grad, x.data + 2 * w.data, rel_tol=1e-12, abs_tol=1e-15)


@given(values(), values())
def test_backward_twice_on_one_graph_gives_leaves_exactly_twice_the_gradient(x, y):
    z = (x * y).sigmoid()
    z.backward()
    once = (x.grad, y.grad)
    z.backward()
    assert (x.grad, y.grad) == (2 * once[0], 2 * once[1])


@given(values(), values())
def test_backward_twice_through_several_paths_doubles_the_gradient_up_to_rounding(x, y):
    z = (x * y).sigmoid() + x * x + y
    z.backward()
    once = (x.grad, y.grad)
    z.backward()
    assert math.isclose(x.grad, 2 * once[0], rel_tol=1e-14, abs_tol=1e-14)
    assert math.isclose(y.grad, 2 * once[1], rel_tol=1e-14, abs_tol=1e-14)


@given(values())
def test_intermediate_nodes_hold_the_gradient_of_the_latest_backward_only(x):
    h = x * 2
    y = h * h                                           # dy/dh = 2h
    y.backward()
    y.backward()
    assert h.grad == 2 * h.data
    assert y.grad == 1.0                                # the root too: it holds the seed of the latest call


@given(values(), floats(-3, 3))
def test_backward_with_a_seed_scales_every_gradient(x, g):
    y = x.sin()
    y.backward(g)
    assert x.grad == g * math.cos(x.data)


def test_zero_grad_resets_values_one_by_one_or_all_at_once():
    a, b = Value(2.0), Value(-1.0)
    (a * b).backward()
    assert (a.grad, b.grad) == (-1.0, 2.0)
    a.zero_grad()
    assert (a.grad, b.grad) == (0.0, 2.0)
    zero_grad([a, b])
    assert (a.grad, b.grad) == (0.0, 0.0)
    assert autograd.zero_grad is zero_grad


# --- grad mode -----------------------------------------------------------------------------------------------------


@given(values(), values())
def test_no_grad_results_record_no_parents_and_keep_their_values(x, y):
    with no_grad():
        assert not is_grad_enabled()
        z = (x * y).tanh()
    assert is_grad_enabled()
    assert z.parents == ()
    assert z.data == math.tanh(x.data * y.data)
    with pytest.raises(RuntimeError, match="no_grad"):      # as a Tensor's, autograd.grad's and PyTorch's
        z.backward()
    assert (x.grad, y.grad) == (0.0, 0.0)


def test_no_grad_works_as_a_decorator_and_restores_grad_mode_after_an_error():
    @no_grad()
    def double(v):
        assert not is_grad_enabled()
        return v * 2

    x = Value(1.5)
    assert double(x).parents == ()
    assert is_grad_enabled()
    with pytest.raises(ValueError), no_grad():
        Value(-1.0).log()
    assert is_grad_enabled()
    assert (x * 2).parents == (x,)


def test_enable_grad_records_again_inside_no_grad_and_the_modes_nest():
    x = Value(3.0)
    with no_grad():
        with enable_grad():
            assert is_grad_enabled()
            y = x * x
        z = x * x
        assert not is_grad_enabled()
    assert y.parents == (x, x) and z.parents == ()
    y.backward()
    assert x.grad == 6.0


# --- naming ----------------------------------------------------------------------------------------------------------


def test_label_is_optional_settable_and_shown_by_repr():
    x = Value(2.5, label="x")
    y = x * 2
    assert (x.label, y.label) == ("x", "")
    y.label = "y"
    y.backward()
    assert y.label == "y"
    assert repr(x) == "Value(data=2.5, grad=2, label='x')"
    assert repr(y) == "Value(data=5, grad=1, op='*', label='y')"
    assert repr(Value(-0.125)) == "Value(data=-0.125, grad=0)"


@pytest.mark.parametrize(
    "make, op",
    [(lambda x: x + 1, "+"), (lambda x: 1 - x, "-"), (lambda x: x * x, "*"), (lambda x: 2 / x, "/"),
     (lambda x: x**2, "**"), (lambda x: 2**x, "**"), (lambda x: x**x, "**"), (lambda x: -x, "neg")]
    + [(lambda x, m=m: getattr(x, m)(), m) for m in ("exp", "log", "sqrt", "tanh", "sigmoid", "relu", "softplus",
                                                      "abs", "sin", "cos")],
)
def test_op_names_the_op_that_made_it(make, op):
    assert make(Value(1.5)).op == op


# --- random graphs -----------------------------------------------------------------------------------------------


@given(expressions())
def test_backward_agrees_with_central_differences_on_random_expressions(expression):
    f, inputs = expression
    assert gradcheck(f, inputs)


@pytest.mark.parametrize("op", VALUE_OPS)
@settings(max_examples=15)
@given(data=st.data())
def test_each_op_inside_random_expressions_agrees_with_central_differences(op, data):
    f, inputs = data.draw(expressions(ops=(op,), max_ops=4))
    assert gradcheck(f, inputs)


@given(expressions(max_ops=8))
def test_topological_order_lists_each_node_once_after_all_its_parents(expression):
    root = expression(*expression.inputs)
    order = topological_order(root)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order)
    assert order[-1] is root
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)


# --- depth: no recursion anywhere ------------------------------------------------------------------------------------


def test_a_chain_of_a_million_nodes_differentiates_with_the_default_recursion_limit():
    limit = sys.getrecursionlimit()
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.000001                                # y = x c^n, so dy/dx = c^n = 1.000001^1e6 (about e)
    y.backward()
    assert sys.getrecursionlimit() == limit
    assert math.isclose(x.grad, 1.000001**1_000_000, rel_tol=1e-9)
    assert math.isclose(y.data, 1.000001**1_000_000, rel_tol=1e-9)
