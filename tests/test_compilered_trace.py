"""What f does to the trace beyond its ops cannot make the compiled code answer where the eager engine does not,
or answer other numbers: f changing the lists it is given, f returning a Value made inside no_grad(), parameter
names that look like compile's own markers, and a starting gradient of the wrong shape."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, compile, no_grad, weighted_sum


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def eager(f, *lists: list[float]) -> tuple:
    """(value, [[gradient] per list]) as bits, from Value.backward on fresh leaves."""
    leaves = [[Value(x) for x in xs] for xs in lists]
    y = f(*[list(xs) for xs in leaves])
    y.backward()
    return bits(y.data), [[bits(v.grad) for v in xs] for xs in leaves]


# --- f changes the lists it is given ------------------------------------------------------------------------------

def scaled(x):
    """Pixels scaled in place, as a student writes it: x[i] = x[i] / 255, then the product of the first two."""
    for i in range(len(x)):
        x[i] = x[i] / 255.0
    return x[0] * x[1]


def test_f_scaling_its_inputs_in_place_gives_the_eager_value_and_gradient():
    # by hand: (255 / 255) (510 / 255) = 2; d/dx0 = (x1 / 255) / 255 = 2 / 255, d/dx1 = 1 / 255. The trace took
    # the scaled nodes for the inputs (and the leaves for constants): 255 * 510 = 130050, gradient [510, 255]
    fast = compile(scaled, [0.0, 0.0])                            # zeros: the scaled nodes hold the same numbers
    value, grad = fast([255.0, 510.0])
    assert value == 2.0 and grad == [1.0 / 255.0 * 2.0, 1.0 / 255.0 * 1.0]
    assert (bits(value), [[bits(g) for g in grad]]) == eager(scaled, [255.0, 510.0])


@given(st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=3), st.lists(st.floats(-1e3, 1e3), min_size=3,
                                                                       max_size=3))
def test_f_replacing_appending_and_popping_entries_of_its_lists_computes_what_it_computes_eagerly(a, b):
    def f(x, y):
        x[0], y[1] = x[0] * y[1], x[0] + 1.0
        x.append(x.pop(1).tanh())
        return x[0] * x[-1] + y[1] * y[0] + x[1]

    fast = compile(f, ([0.5, 0.25, -1.0], [2.0, 1.5, 0.0]))
    value, (ga, gb) = fast(a, b)
    assert (bits(value), [[bits(g) for g in ga], [bits(g) for g in gb]]) == eager(f, a, b)


# --- a loss made inside no_grad() -----------------------------------------------------------------------------

def test_a_loss_made_inside_no_grad_is_refused_at_compile_time_as_its_backward_refuses_it():
    # the code returned the example's value for good (2.0 at x = 3, where 2 x is 6) and a gradient of 0
    def f(x):
        with no_grad():
            return x[0] * 2.0

    with pytest.raises(RuntimeError, match="recorded no parents"):
        f([Value(3.0)]).backward()
    with pytest.raises(RuntimeError, match=r"^compile: f returned a Value made by the '\*' op that recorded no "
                                           r"parents.*inside no_grad\(\).*outside no_grad\(\)"):
        compile(f, [1.0])


def test_a_loss_of_numbers_only_is_refused_but_a_constant_leaf_and_a_no_grad_constant_inside_are_not():
    with pytest.raises(RuntimeError, match="'weighted_sum' op that recorded no parents"):
        compile(lambda x: weighted_sum([1.0, 2.0], [3.0, 4.0], 0.5), [1.0])
    assert compile(lambda x: Value(2.5), [1.0])([4.0]) == (2.5, [0.0])            # a leaf: backward() is fine

    def scaled_by_a_frozen_number(x):
        with no_grad():
            c = x[0] * 0.0 + 3.0                                                # a constant of the graph
        return x[0] * c

    assert compile(scaled_by_a_frozen_number, [1.0])([2.0]) == (6.0, [3.0])


# --- names like the markers of an inlined body ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["__arg0__", "__arg1__", "__arg2__", "__loc0__"])
def test_a_parameter_named_like_a_marker_of_an_inlined_body_leaves_the_code_unchanged(name):
    # a^b's slope in its base was 0 at b = 0 by the rules' inlined where(b == 0, 0.0, ...); with a parameter
    # __arg1__ the condition's b, __arg1__1, was rewritten as 0.01 (never 0): the slope b a^(b-1) = 0 * inf = NaN
    # at a = 5e-324. A parameter __arg2__ made code Python could not parse (SyntaxError at compile time). a^b's
    # slope is a call now (power_slope); logaddexp's slopes and abs's sign are inlined bodies with where() and tests
    namespace: dict = {}
    exec(f"def f({name}):\n    return {name}[0] ** {name}[1]\n", namespace)       # noqa: S102
    exec(f"def g({name}):\n    return {name}[0].logaddexp({name}[1]) + {name}[1].abs()\n", namespace)  # noqa: S102
    for f in (namespace["f"], namespace["g"]):
        fast = compile(f, [2.0, 3.0])
        assert f"{name}0" in fast.source
        for numbers in ([5e-324, 0.0], [2.0, 0.0], [2.0, 3.0], [0.5, -0.0], [-1.5, 2.0], [3.0, 3.0]):
            if f is namespace["f"] and numbers[0] < 0:
                continue                                                  # a ** b refuses a negative base
            value, grad = fast(numbers)
            assert (bits(value), [[bits(g) for g in grad]]) == eager(f, numbers), (numbers, fast.source)
    value, grad = compile(namespace["f"], [2.0, 3.0])([5e-324, 0.0])
    assert value == 1.0 and grad[0] == 0.0 and grad[1] == math.log(5e-324)


# --- grad= of the wrong shape -------------------------------------------------------------------------------------

@pytest.mark.parametrize("grad, message", [
    ([0.0], r"2 numbers; got sizes \[1\]"),
    ([0.0, 0.0, 0.0], r"2 numbers; got sizes \[3\]"),
])
def test_a_starting_gradient_of_the_wrong_length_is_refused_with_both_shapes(grad, message):
    # Python's unpacking said only "not enough values to unpack (expected 2, got 1)"
    fast = compile(lambda x: x[0] * x[1], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"^compiled: grad must be shaped as the gradient it is added to, " + message):
        fast([1.0, 2.0], grad=grad)
    assert fast([1.0, 2.0], grad=[0.5, -1.0]) == (2.0, [2.5, 0.0])             # d/dx0 = x1, d/dx1 = x0


def test_a_starting_gradient_of_several_lists_is_refused_by_its_sizes():
    fast = compile(lambda x, y: x[0] * y[0] * y[1], ([1.0], [2.0, 3.0]))
    for grad in (([0.0],), ([0.0], [0.0]), ([0.0], [0.0, 0.0], [0.0])):
        with pytest.raises(ValueError, match=r"2 list\(s\) of sizes \[1, 2\], one per input list of wrt=\(0, 1\)"):
            fast([1.0], [2.0, 3.0], grad=grad)
    only_y = compile(lambda x, y: x[0] * y[0] * y[1], ([1.0], [2.0, 3.0]), wrt=1)
    assert only_y([1.0], [2.0, 3.0], grad=([1.0, 1.0],)) == (6.0, ([4.0, 3.0],))
    assert compile(lambda x: x[0] * 2.0, [1.0], wrt=())([1.0], grad=[]) == (2.0, [])


# --- inputs of the wrong shape ------------------------------------------------------------------------------------

def test_numbers_given_where_the_lists_go_are_refused_with_the_shape_to_give():
    # fast(0.5, 2.0) for fast([0.5, 2.0]): the message said only "the numbers must be a list ..., got float 0.5"
    fast = compile(lambda x: x[0] * x[1], [1.0, 2.0])
    with pytest.raises(TypeError, match=r"^compiled: give the inputs as 1 list of 2 numbers, as the example was "
                                        r"given; got the number 0.5 where a list goes$"):
        fast(0.5, 2.0)
    two = compile(lambda x, y: x[0] * y[0] * y[1], ([1.0], [2.0, 3.0]))
    with pytest.raises(TypeError, match=r"give the inputs as 2 lists of 1 and 2 numbers, .* the number 3.0 where"):
        two(3.0, [2.0, 3.0])
    with pytest.raises(TypeError, match=r"input list 1: the numbers must be a list .* got set"):   # not a number
        two([1.0], {2.0, 3.0})


@pytest.mark.parametrize("lists, sizes", [(([1.0],), r"\[1\]"), (([1.0], [2.0]), r"\[1, 1\]"),
                                          (([1.0], [2.0, 3.0], [4.0]), r"\[1, 2, 1\]")])
def test_lists_of_the_wrong_number_or_sizes_are_refused_naming_the_ways_out(lists, sizes):
    two = compile(lambda x, y: x[0] * y[0] * y[1], ([1.0], [2.0, 3.0]))
    with pytest.raises(ValueError, match=r"^compiled: compiled for input lists of sizes \[1, 2\], got sizes " + sizes
                       + r"; give 2 lists of 1 and 2 numbers, or compile f again at an example of the new sizes$"):
        two(*lists)
    assert two([1.0], [2.0, 3.0]) == (6.0, ([6.0], [3.0, 2.0]))
    one = compile(lambda x: x[0] * 2.0, [1.0])
    with pytest.raises(ValueError, match=r"give 1 list of 1 number, or compile f again"):
        one([1.0, 2.0])


# --- a loss's own branch on its logits ------------------------------------------------------------------------

def test_a_losses_limit_beside_an_infinite_logit_is_a_branch_check_true_sees():
    # docs/compile.md: cross_entropy of logits [-inf, 1] for the one-hot target [0, 1] is 0 with gradient [0, 0]
    # (by hand: the cost ln(e^-inf + e^1) - 1 = 0, where the target 0 takes no term 0 (-inf), and softmax - one-hot
    # = [0, 1] - [0, 1]), BCE of sigmoid(-inf) for target 0 is 0;
    # the losses take these limits in a Python branch, which code traced at finite logits does not follow
    import numpy as np

    from autograd import GraphChanged
    from nn import losses

    def ce(z):
        return losses.cross_entropy(np.array([z], dtype=object), np.array([[0.0, 1.0]]))

    def bce(z):
        return losses.binary_cross_entropy(np.array([[z[0].sigmoid()]], dtype=object), np.array([[0.0]]))

    for f, logits, value, gradient in ((ce, [-math.inf, 1.0], 0.0, [0.0, 0.0]), (bce, [-math.inf], 0.0, [0.0])):
        xs = [Value(z) for z in logits]
        y = f(xs)
        y.backward()
        assert (y.data, [x.grad for x in xs]) == (value, gradient)
        with pytest.raises(GraphChanged):
            compile(f, [0.5] * len(logits), check=True)(logits)
        assert math.isnan(compile(f, [0.5] * len(logits))(logits)[0])               # the frozen branch


def test_a_gradient_taken_inside_f_holds_relus_slope_as_a_number_that_check_true_sees():
    # docs/compile.md: (d/dx (3 relu(x)))^2 is 9 for x > 0 and 0 for x < 0 (by hand); the create_graph gradient
    # holds relu's slope as the number step(x), read from the data at the trace
    from autograd import GraphChanged, grad

    def penalty(x):
        (d,) = grad(x[0].relu() * 3.0, [x[0]], create_graph=True)
        return d * d

    for x, value in ((1.0, 9.0), (-1.0, 0.0)):
        assert penalty([Value(x)]).data == value
    assert compile(penalty, [1.0])([-1.0])[0] == 9.0                           # frozen at the example's side
    with pytest.raises(GraphChanged):
        compile(penalty, [1.0], check=True)([-1.0])
    assert compile(penalty, [1.0], check=True)([2.0]) == (9.0, [0.0])
