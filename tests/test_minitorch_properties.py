"""The properties Cornell's minitorch asks its students' autodiff engines to have, held by deltagrad.

minitorch (github.com/minitorch/minitorch) tests each student's engine with hypothesis: the scalar operators'
laws, every op's derivative by central differences over floats drawn from [-100, 100] and shifted into the op's
domain (``log(x + 100000)``, ``exp(x - 200)``, ``1 / (x + 3.5)``), the chain rule on two toy functions,
backpropagation through shared nodes, the layout of tensors (indexing, permute, broadcasting), every tensor op's
gradient, reductions, matrix products with a broadcast batch, softmax, log-softmax, pooling and dropout.
The same properties are written here in our own words against deltagrad's public API; nothing of minitorch's code
is used. The oracles are Python's ``math`` on floats, the other engine, hand-computed numbers and central
differences (``gradcheck``).

Where the two libraries' conventions differ, deltagrad follows numpy and PyTorch, and a test below says so:
``t.sum(0)`` drops the axis (minitorch keeps it as size 1), ``t.sum()`` is a 0-d Tensor (minitorch: shape (1,)),
a negative index counts from the end (minitorch refuses it), ``view`` reshapes any layout (minitorch refuses a
permuted one), and comparisons of Values raise instead of giving a 0/1 node with zero gradient.
"""

from __future__ import annotations

import functools
import math
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nn
from autograd import Tensor, Value, gradcheck, numerical_grad, topological_order
from autograd.testing import broadcastable_tensors, expressions, floats, matmul_tensors, shapes, tensors

# minitorch's "small floats": every op below is fed numbers from here and shifts them into its domain itself
small = floats(-100.0, 100.0)
# its tensors: 1 to 4 axes of 1 to 3 entries; kept to 2 axes of 3 here, where each entry costs two calls of f
small_shapes = shapes(min_dims=1, max_dims=2, max_side=3)
small_tensors = tensors(small_shapes, min_value=-100.0, max_value=100.0)
# Each tensor example costs milliseconds (a drawn layout, gradcheck's two calls of f per entry), and so does each
# drawn program of Values: those properties run on fewer examples than the profile's, so that this file costs
# under 3 s of CPU under CI=true
few = settings(max_examples=min(settings.default.max_examples, 10))
# eighths are 0.125 apart, so two distinct ones never tie within gradcheck's step, and max has one slope
eighths = st.integers(-800, 800).map(lambda k: k / 8)


# --- the operators' laws, on Values -------------------------------------------------------------------------------

@given(small, small)
def test_value_arithmetic_is_python_arithmetic_to_the_last_bit(x, y):
    a, b = Value(x), Value(y)
    assert (a * b).data == x * y and (a + b).data == x + y and (a - b).data == x - y and (-a).data == -x
    if x != 0.0:
        assert (1.0 / a).data == 1.0 / x and (b / a).data == y / x


@given(small, small)
def test_relu_passes_a_positive_number_and_its_gradient_and_stops_a_negative_one(x, seed):
    a = Value(x)
    y = a.relu()
    y.backward(seed)
    assert y.data == max(x, 0.0)
    assert a.grad == (seed if x > 0 else 0.0)        # 0 at the kink, as PyTorch and minitorch's relu_back


@given(small)
def test_sigmoid_is_in_the_unit_interval_symmetric_about_one_half_and_increasing(x):
    s, mirror, step = Value(x).sigmoid().data, Value(-x).sigmoid().data, Value(x + 1.0).sigmoid().data
    assert 0.0 <= s <= 1.0
    # 1 - sigmoid(x) = sigmoid(-x) to a few roundings: 1 - s is exact (Sterbenz) but s and mirror are rounded each
    assert abs((1.0 - s) - mirror) <= 2 * math.ulp(max(s, 0.5)) + 2 * math.ulp(mirror)
    assert s <= step
    if x + 1.0 <= 30.0:        # 1 - sigmoid(30) = 9e-14, far above the floats' spacing near 1 (1.1e-16); from
        assert s < step        # about 37 on, sigmoid rounds to 1, so minitorch's "strictly increasing" holds below
    assert Value(0.0).sigmoid().data == 0.5


@given(small, small)
def test_log_inverse_and_exp_pass_back_the_textbook_derivative_times_the_incoming_gradient(x, seed):
    # minitorch's log_back(x, d) = d / x and inv_back(x, d) = -d / x^2, on the shifted arguments its tests use
    for make, dydx, arg in [(lambda v: v.log(), lambda u: 1.0 / u, abs(x) + 4.0),
                            (lambda v: 1.0 / v, lambda u: -1.0 / u**2, x + 102.4),
                            (lambda v: v.exp(), math.exp, x / 25.0)]:
        a = Value(arg)
        make(a).backward(seed)
        assert a.grad == pytest.approx(seed * dydx(arg), rel=1e-15, abs=0.0)


@given(small, small, small)
def test_product_is_symmetric_and_distributes_over_the_sum_with_the_gradients_to_match(x, y, z):
    a, b, c = Value(x), Value(y), Value(z)
    assert (a * b).data == (b * a).data
    left, right = c * (a + b), c * a + c * b
    assert left.data == pytest.approx(right.data, rel=1e-12, abs=1e-10)
    left.backward()
    grads = (a.grad, b.grad, c.grad)
    for v in (a, b, c):
        v.zero_grad()
    right.backward()
    assert grads == (z, z, x + y) and (a.grad, b.grad, c.grad) == (z, z, x + y)


@given(st.lists(small, min_size=5, max_size=5), st.lists(small, min_size=5, max_size=5))
def test_sum_of_a_sum_is_the_sum_of_the_entrywise_sum(first, second):
    a, b = Tensor(first, requires_grad=True), Tensor(second, requires_grad=True)
    assert (a.sum() + b.sum()).item() == pytest.approx((a + b).sum().item(), rel=1e-12, abs=1e-10)
    assert math.fsum(first) == pytest.approx(a.sum().item(), rel=1e-12, abs=1e-12)


@given(small, small, small)
def test_product_of_a_list_and_its_gradient_the_product_of_the_others(x, y, z):
    t = Tensor([x, y, z], requires_grad=True)
    p = t.prod()
    p.backward()
    if 0 < abs(x * y) < sys.float_info.min or 0 < abs(x * y * z) < sys.float_info.min:
        # below the smallest normal float Python's running product (x y) z rounds twice, to fewer digits: at
        # (0.2, 2.2250738585072014e-308, 3.0) it is 0.75 of the spacing 5e-324 off the exact product, and prod,
        # which scales its factors, 0.25. Both within one spacing of the exact product:
        exact = Fraction(x) * Fraction(y) * Fraction(z)
        assert abs(Fraction(p.item()) - exact) <= Fraction(5e-324)
    else:
        assert p.item() == x * y * z
    np.testing.assert_array_equal(t.grad, [y * z, x * z, x * y])
    np.testing.assert_array_equal((-t).data, [-x, -y, -z])



def test_central_differences_of_identity_sum_product_and_exp_are_their_slopes():
    x, y = Value(5.0), Value(10.0)
    assert numerical_grad(lambda a: a, [x])[0] == pytest.approx(1.0, rel=1e-9)
    assert numerical_grad(lambda a, b: a + b, [x, y]) == pytest.approx([1.0, 1.0], rel=1e-9)
    assert numerical_grad(lambda a, b: a * b, [x, y]) == pytest.approx([10.0, 5.0], rel=1e-9)
    assert numerical_grad(lambda a: a.exp(), [Value(2.0)])[0] == pytest.approx(math.exp(2.0), rel=1e-9)

# --- every scalar op: its value against math's, its derivative against central differences --------------------------

# minitorch's catalogue of one-argument functions, each on the argument its tests shift into the op's domain:
# (name, the function on Values or Tensors, the same on floats by math, where its kink or pole lies)
ONE_ARGUMENT = [
    ("neg", lambda a: -a, lambda x: -x, None),
    ("add constant", lambda a: 5 + a, lambda x: 5 + x, None),
    ("square", lambda a: a * a, lambda x: x * x, None),
    ("cube", lambda a: a * a * a, lambda x: x * x * x, None),
    ("subtract constant", lambda a: a - 5, lambda x: x - 5, None),
    ("multiply constant", lambda a: 5 * a, lambda x: 5 * x, None),
    ("divide by constant", lambda a: a / 5, lambda x: x / 5, None),
    ("inverse", lambda a: 1.0 / (a + 3.5), lambda x: 1.0 / (x + 3.5), -3.5),
    ("sigmoid", lambda a: a.sigmoid(), lambda x: 1.0 / (1.0 + math.exp(-x)), None),
    ("log", lambda a: (a + 100000).log(), lambda x: math.log(x + 100000), None),
    ("relu", lambda a: (a + 5.5).relu(), lambda x: max(x + 5.5, 0.0), -5.5),
    ("exp", lambda a: (a - 200).exp(), lambda x: math.exp(x - 200), None),
    ("log plus exp", lambda a: (a + 100000).log() + (a - 200).exp(),
     lambda x: math.log(x + 100000) + math.exp(x - 200), None),
    ("composite", lambda a: (((a * 10 + 7).relu() * 6 + 5).relu() * 10).sigmoid().log() / 50,
     lambda x: math.log(1.0 / (1.0 + math.exp(-10 * max(6 * max(10 * x + 7, 0.0) + 5, 0.0)))) / 50, -0.7),
]
TWO_ARGUMENTS = [
    ("add", lambda a, b: a + b, lambda x, y: x + y, None),
    ("multiply", lambda a, b: a * b, lambda x, y: x * y, None),
    ("divide", lambda a, b: a / (b + 5.5), lambda x, y: x / (y + 5.5), -5.5),
]


def clear_of(x: float | np.ndarray, point: float | None, margin: float = 0.5) -> bool:
    """Whether every x is at least margin from the function's kink or pole (central differences straddle neither)."""
    return point is None or bool(np.all(np.abs(np.asarray(x) - point) >= margin))


def check_each(cases: list, inputs: list[float]) -> None:
    """Each case's value against math's, and its gradient by gradcheck, naming the case that fails."""
    for name, f, by_math, point in cases:
        if not clear_of(inputs[-1], point):
            continue
        assert f(*map(Value, inputs)).data == pytest.approx(by_math(*inputs), rel=1e-13, abs=1e-300), name
        try:
            gradcheck(f, [Value(x, label=label) for x, label in zip(inputs, "xy")])
        except AssertionError as error:                  # GradcheckError is one: its table, under the op's name
            raise AssertionError(f"{name}: {error}") from None


@given(small)
def test_each_one_argument_op_of_a_value_computes_maths_number_and_its_derivative(x):
    check_each(ONE_ARGUMENT, [x])


@given(small, small)
def test_each_two_argument_op_of_values_computes_maths_number_and_both_derivatives(x, y):
    check_each(TWO_ARGUMENTS, [x, y])


@pytest.mark.parametrize("compare", [lambda a, b: a + 1.2 > b, lambda a, b: a + 1.2 < b])
def test_ordering_values_is_refused_with_the_data_to_compare_instead(compare):
    # minitorch's lt and gt give a 0/1 node with zero gradient; here no gradient would pass, so the engine says
    # to compare the numbers (x.data) and keeps == for identity, so that a Value can be a dict key
    with pytest.raises(TypeError, match=r"compare their numbers \(x\.data < 0"):
        compare(Value(1.0), Value(0.5))


# --- the chain rule and backpropagation ------------------------------------------------------------------------------

def plus_ten(x, y):
    """minitorch's first toy function, x + y + 10, with the derivatives 1 and 1."""
    return x + y + 10


@given(small, small, small)
def test_chain_rule_of_x_times_y_plus_x_hands_each_input_the_seed_times_its_partial(x, y, seed):
    a, b = Value(x), Value(y)
    (a * b + a).backward(seed)
    # a's two paths, seed * y through the product and seed directly, add up (seed (y + 1) rounds otherwise where
    # y is near -1: 0.08999999999999986 against 0.09000000000000008)
    assert a.grad == seed * y + seed and b.grad == seed * x


def test_a_constant_is_no_node_and_receives_nothing():
    var = Value(5.0)
    y = 10 * var + 10
    assert len(y.parents) == 1 and len(y.parents[0].parents) == 1 and y.parents[0].parents[0] is var
    y.backward(5.0)
    assert var.grad == 50.0


def test_backpropagation_through_a_chain_and_through_two_paths_adds_the_paths():
    v = Value(0.0)
    plus_ten(plus_ten(0.0, v), 0.0).backward(5.0)              # one path
    assert v.grad == 5.0
    v = Value(0.0)
    plus_ten(plus_ten(0.0, v), plus_ten(0.0, v)).backward(5.0)   # two paths from v to the result
    assert v.grad == 10.0
    v0 = Value(0.0)
    v1 = plus_ten(0.0, v0)
    plus_ten(plus_ten(0.0, v1), plus_ten(0.0, v1)).backward(5.0)  # the two paths meet above a shared node
    assert v0.grad == 10.0 and v1.grad == 10.0                     # a Value keeps every node's gradient, as micrograd


@few
@given(expressions(max_inputs=3, max_ops=6))
def test_topological_order_lists_every_node_once_after_its_parents_and_the_result_last(expression):
    f, inputs = expression
    root = f(*inputs)
    order = topological_order(root)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order) and order[-1] is root
    assert all(position[id(p)] < position[id(node)] for node in order for p in node.parents)
    reachable, stack = set(), [root]           # every ancestor is listed, found by a walk of our own
    while stack:
        node = stack.pop()
        if id(node) not in reachable:
            reachable.add(id(node))
            stack.extend(node.parents)
    assert reachable == set(position)


def test_a_small_scalar_network_backpropagates_the_numbers_central_differences_and_the_tensor_engine_give():
    rng = np.random.default_rng(3)
    X, Y = rng.uniform(-1, 1, (4, 2)), rng.uniform(0, 1, 4)
    scalar = nn.scalar.MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=1)
    tensor = nn.MLP([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=1)

    def loss(*parameters):                     # parameters are the model's own Values: gradcheck moves them
        return sum((scalar(list(x)) - y) ** 2 for x, y in zip(X, Y)) / len(X)

    params = scalar.parameters()
    assert gradcheck(loss, params)
    loss().backward()
    ((tensor(Tensor(X)).reshape(-1) - Y) ** 2).mean().backward()
    for (W, b), layer in zip(scalar.get_weights(), tensor.layers):      # the same weights, by the same seed
        np.testing.assert_array_equal(W, layer.weight.data)
        np.testing.assert_array_equal(b, layer.bias.data)
    # a scalar layer lists each neuron's weights, then its bias: row by row of [W | b]
    by_tensor = np.concatenate([np.column_stack([layer.weight.grad, layer.bias.grad]).ravel()
                                for layer in tensor.layers])
    np.testing.assert_allclose([p.grad for p in params], by_tensor, rtol=1e-12, atol=1e-15)



# --- modules: parameters found by name, modes that reach every sub-module ---------------------------------------------

class Inner(nn.Module):
    """Two named parameters, a plain number that is no parameter, a sub-module, and ``extra`` parameters in a list."""

    def __init__(self, extra: int = 0) -> None:
        self.first, self.second = Value(50.0), Value(100.0)
        self.not_a_parameter = 10
        self.innermost = Innermost()
        self.extra = [Value(0.0) for _ in range(extra)]


class Innermost(nn.Module):
    def __init__(self) -> None:
        self.first = Value(50.0)


class Outer(nn.Module):
    def __init__(self, size_a: int, size_b: int, value: float) -> None:
        self.a, self.b, self.first = Inner(size_a), Inner(size_b), Value(value)

    def forward(self) -> float:
        return 10.0


@given(st.integers(1, 20), st.integers(1, 20), small)
def test_a_stack_of_modules_names_every_parameter_by_its_path_and_switches_modes_all_the_way_down(size_a, size_b, x):
    model = Outer(size_a, size_b, x)
    named = dict(model.named_parameters())
    assert len(model.parameters()) == len(named) == 1 + (size_a + 3) + (size_b + 3)
    assert (named["first"].data, named["a.first"].data, named["a.second"].data) == (x, 50.0, 100.0)
    assert (named["b.innermost.first"].data, named["a.extra.0"].data) == (50.0, 0.0)
    assert not any("not_a_parameter" in name for name in named)
    assert model.eval() is model
    assert not any(m.training for m in (model, model.a, model.b, model.a.innermost, model.b.innermost))
    model.train()
    assert all(m.training for m in (model, model.a, model.b, model.a.innermost, model.b.innermost))
    assert model() == 10.0                                          # calling a module calls its forward
    with pytest.raises(NotImplementedError, match="Inner must define forward"):
        model.a()

# --- tensors: creation, indexing, strides and permutations ------------------------------------------------------------

@given(st.lists(small, min_size=1, max_size=8))
def test_a_tensor_made_from_a_list_holds_its_numbers_at_their_indices(numbers):
    t = Tensor(numbers)
    assert t.shape == (len(numbers),) and t.tolist() == numbers
    assert all(t[i].item() == x for i, x in enumerate(numbers))


@few
@given(tensors(shapes(min_dims=1, max_dims=3, max_side=3), min_value=-100.0, max_value=100.0), st.data())
def test_permuting_moves_each_entry_to_its_permuted_index_and_its_gradient_back(t, data):
    order = data.draw(st.permutations(range(t.ndim)))
    moved = t.permute(*order)
    assert moved.shape == tuple(t.shape[axis] for axis in order)
    nested = t.tolist()                                      # the layout-free oracle: Python lists
    for index in np.ndindex(*t.shape):
        entry = nested
        for i in index:
            entry = entry[i]
        assert t.data[index] == entry == moved.data[tuple(index[axis] for axis in order)]
    back = moved.permute(*np.argsort(order))
    assert back.tolist() == nested
    assert gradcheck(lambda a: a.permute(*order).view(a.size), [t])    # then all in one row, as minitorch's view


def test_indexing_follows_numpy_and_pytorch_where_minitorch_refuses():
    t = Tensor([[2.0, 3.0, 4.0], [4.0, 5.0, 7.0]])
    assert t[1, 2].item() == 7.0
    assert t[-1, -3].item() == 4.0                                 # counted from the end (minitorch: an error)
    assert t[1].tolist() == [4.0, 5.0, 7.0]                        # fewer indices: a row (minitorch: an error)
    with pytest.raises(IndexError, match=r"index 50 is out of bounds for axis 0 with size 2") as error:
        t[50, 2]
    assert "(2, 3)" in str(error.value)                            # the message names the Tensor's shape


@few
@given(tensors(small_shapes, min_value=-100.0, max_value=100.0), st.data())
def test_one_picked_entry_receives_the_whole_gradient_and_the_others_none(t, data):
    index = tuple(data.draw(st.integers(0, n - 1)) for n in t.shape)
    t[index].backward(3.0)
    expected = np.zeros(t.shape)
    expected[index] = 3.0
    np.testing.assert_array_equal(t.grad, expected)


def test_view_reshapes_and_permuted_entries_come_in_their_new_order():
    t = Tensor([[2.0, 3.0, 4.0], [4.0, 5.0, 7.0]])
    assert (t.view(6).shape, t.view(1, 6).shape, t.view(6, 1).shape) == ((6,), (1, 6), (6, 1))
    assert t.view(6, 1).view(2, 3).tolist() == t.tolist()
    # minitorch (and PyTorch's view) refuse a permuted layout; here view is reshape, which reads the new order
    assert t.permute(1, 0).view(6).tolist() == [2.0, 4.0, 3.0, 5.0, 4.0, 7.0]


# --- broadcasting ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("first, second", [((1,), (5, 5)), ((5, 5), (1,)), ((1, 5, 5), (5, 5)),
                                           ((5, 1, 5, 1), (1, 5, 1, 5)), ((2, 5), (5,))])
def test_shapes_broadcast_as_numpy_says_and_each_gradient_keeps_its_operands_shape(first, second):
    a, b = Tensor(np.ones(first), requires_grad=True), Tensor(np.ones(second), requires_grad=True)
    c = a * b
    assert c.shape == np.broadcast_shapes(first, second)
    c.sum().backward()
    size = math.prod(c.shape)
    assert a.grad.shape == first and b.grad.shape == second
    assert a.grad.sum() == b.grad.sum() == size                    # each entry of c counted once in each gradient


@pytest.mark.parametrize("first, second", [((5, 7, 5, 1), (1, 5, 1, 5)), ((5, 2), (5,))])
def test_shapes_that_do_not_broadcast_are_refused_naming_both(first, second):
    with pytest.raises(ValueError, match=rf"\+: shapes {re_shape(first)} and {re_shape(second)} do not broadcast"):
        Tensor(np.ones(first)) + Tensor(np.ones(second))


def re_shape(shape: tuple) -> str:
    return str(shape).replace("(", r"\(").replace(")", r"\)")


def test_a_gradient_loses_the_axes_broadcasting_added():
    a, b = Tensor([1.0], requires_grad=True), Tensor([[1.0, 1.0]], requires_grad=True)
    c = (a * b).sum()
    c.backward()
    assert c.shape == ()                                           # a 0-d Tensor, as numpy (minitorch: (1,))
    assert a.grad.shape == (1,) and b.grad.shape == (1, 2)
    assert a.grad.tolist() == [2.0] and b.grad.tolist() == [[1.0, 1.0]]


# --- every op of a tensor: entry by entry as the Value engine, and its gradient -------------------------------------

@few
@given(tensors(small_shapes, min_value=-100.0, max_value=100.0))
def test_each_one_argument_op_of_a_tensor_is_the_value_ops_entry_by_entry_and_differentiates(t):
    assume(all(clear_of(t.data, point) for *_, point in ONE_ARGUMENT))
    for name, f, _, _ in ONE_ARGUMENT:
        by_values = [f(Value(x)).data for x in t.data.ravel().tolist()]
        np.testing.assert_allclose(f(t).data.ravel(), by_values, rtol=1e-14, atol=0, err_msg=name)
    # one check for all of them: an error in any op's gradient shows in the weighted sum gradcheck takes
    assert gradcheck(lambda a: sum(f(a) for _, f, _, _ in ONE_ARGUMENT), [t])


@few
@given(broadcastable_tensors(2, max_dims=2, max_side=3, min_value=-100.0, max_value=100.0))
def test_each_two_argument_op_of_tensors_broadcasts_and_differentiates_towards_both(pair):
    a, b = pair
    assume(clear_of(b.data, -5.5))
    for name, f, by_math, _ in TWO_ARGUMENTS:
        x, y = np.broadcast_arrays(a.data, b.data)
        by_floats = [by_math(u, v) for u, v in zip(x.ravel().tolist(), y.ravel().tolist())]
        np.testing.assert_allclose(f(a, b).data.ravel(), by_floats, rtol=1e-15, atol=0, err_msg=name)
    assert gradcheck(lambda a, b: a + b + a * b + a / (b + 5.5), [a, b])


# --- reductions along each axis ------------------------------------------------------------------------------------

def test_sum_along_each_axis_of_minitorchs_example():
    t = Tensor([[2.0, 3.0], [4.0, 6.0], [5.0, 7.0]])
    assert t.sum(0).tolist() == [11.0, 16.0]                       # the axis goes, as numpy (minitorch: [[11, 16]])
    assert t.sum(1).tolist() == [5.0, 10.0, 12.0]
    assert t.sum(1, keepdims=True).tolist() == [[5.0], [10.0], [12.0]]    # minitorch's shape, asked for
    assert t.sum().item() == 27.0 and t.sum().shape == ()
    assert t.mean(0).tolist() == [11.0 / 3, 16.0 / 3] and t.mean().item() == 27.0 / 6


@few
@given(small_tensors)
def test_sum_and_mean_along_each_axis_spread_the_gradient_over_the_reduced_entries(t):
    nested = np.array(t.tolist())
    for axis in [None, *range(t.ndim)]:
        for keep in (False, True):
            total, mean = t.sum(axis, keepdims=keep), t.mean(axis, keepdims=keep)
            count = t.size if axis is None else t.shape[axis]
            by_hand = np.add.reduce(nested, axis=axis, keepdims=keep) if axis is not None else nested.sum()
            np.testing.assert_allclose(total.data, by_hand, rtol=1e-13, atol=1e-11)
            np.testing.assert_allclose(mean.data, by_hand / count, rtol=1e-13, atol=1e-11)
    for axis in range(t.ndim):                 # each axis's mean: its gradient is g / n over n entries
        t.zero_grad()
        t.mean(axis).sum().backward()
        np.testing.assert_allclose(t.grad, np.full(t.shape, 1.0 / t.shape[axis]), rtol=1e-15, atol=0)
    assert gradcheck(lambda a: a.sum(0) * 3 + a.mean(-1, keepdims=True).sum() + a.mean(), [t])


# --- matrix products ------------------------------------------------------------------------------------------------

@few
@given(matmul_tensors(max_dims=2, max_side=3, min_value=-100.0, max_value=100.0))
def test_matmul_of_vectors_matrices_and_stacks_differentiates_towards_both(pair):
    a, b = pair
    assert gradcheck(lambda a, b: a @ b, [a, b])


@functools.cache
def tensors_of(shape: tuple) -> st.SearchStrategy[Tensor]:
    """One strategy per shape: hypothesis checks each new strategy object at its first draw, which is slow."""
    return tensors(shape, min_value=-100.0, max_value=100.0)


@few
@given(st.tuples(*[st.integers(2, 3)] * 4), st.data())
def test_a_batch_of_products_with_one_shared_matrix_is_the_broadcast_sum_of_products(sizes, data):
    depth, rows, inner, columns = sizes
    a, b = data.draw(tensors_of((depth, rows, inner))), data.draw(tensors_of((1, inner, columns)))
    by_products = (a.view(depth, rows, inner, 1) * b.view(1, 1, inner, columns)).sum(2)
    np.testing.assert_allclose((a @ b).data, by_products.data, rtol=1e-12, atol=1e-9)
    weights = np.random.default_rng(0).normal(size=(depth, rows, columns))
    (a @ b).backward(weights)
    by_matmul = a.grad, b.grad
    a.zero_grad(), b.zero_grad()
    by_products.backward(weights)
    np.testing.assert_allclose(by_matmul[0], a.grad, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(by_matmul[1], b.grad, rtol=1e-12, atol=1e-9)     # summed over the shared batch
    assert by_matmul[1].shape == (1, inner, columns)


# --- nn: softmax, log-softmax, max along an axis, pooling by tiles, dropout ----------------------------------------

image = tensors((1, 1, 4, 4), min_value=-100.0, max_value=100.0)


@few
@given(image)
def test_softmax_sums_to_one_along_its_axis_and_log_softmax_is_its_logarithm(t):
    for axis in (3, 1, 2):
        np.testing.assert_allclose(t.softmax(axis=axis).sum(axis=axis).data, 1.0, rtol=0, atol=1e-15)
        np.testing.assert_allclose(np.exp(t.log_softmax(axis=axis).data), t.softmax(axis=axis).data,
                                   rtol=1e-13, atol=1e-300)
    column = t.data[0, 0, :, 1]                                     # one column by hand, along axis 2
    shifted = np.exp(column - column.max())
    np.testing.assert_allclose(t.softmax(axis=2).data[0, 0, :, 1], shifted / shifted.sum(), rtol=1e-13, atol=0)
    assert gradcheck(lambda a: a.softmax(axis=2) + a.log_softmax(axis=2), [t])


@few
@given(tensors((2, 3, 4), elements=eighths, unique=True))
def test_max_along_each_axis_is_the_largest_entry_and_its_gradient_goes_to_it(t):
    entries = dict(zip(np.ndindex(*t.shape), t.data.ravel().tolist()))     # C order, whatever t's layout
    for axis in range(3):
        biggest = t.max(axis)
        lines: dict = {}                       # the entries of each line along the axis, by Python
        for index, x in entries.items():
            lines.setdefault(index[:axis] + index[axis + 1:], []).append(x)
        assert {index: max(line) for index, line in lines.items()} == dict(
            zip(np.ndindex(*biggest.shape), biggest.data.ravel().tolist()))
        t.zero_grad()
        biggest.sum().backward()
        np.testing.assert_array_equal(t.grad, t.data == t.data.max(axis, keepdims=True))   # one-hot: no ties


def tiles(t: Tensor, height: int, width: int) -> Tensor:
    """minitorch's tile: (batch, channel, H, W) as (batch, channel, H/height, W/width, height * width)."""
    b, c, h, w = t.shape
    return t.view(b, c, h // height, height, w // width, width).permute(0, 1, 2, 4, 3, 5).view(
        b, c, h // height, w // width, height * width)


@few
@given(image)
def test_pooling_built_from_view_permute_mean_and_max_takes_each_tile(t):
    for height, width in [(2, 2), (2, 1), (1, 2)]:
        tile = [t.data[0, 0, i, j] for i in range(height) for j in range(width)]
        # the exact mean, within a few roundings of the largest entry (entries that cancel leave a mean far smaller)
        assert tiles(t, height, width).mean(-1)[0, 0, 0, 0].item() == pytest.approx(
            math.fsum(tile) / len(tile), rel=1e-15, abs=4 * math.ulp(max(abs(v) for v in tile)))
        assert tiles(t, height, width).max(-1)[0, 0, 0, 0].item() == max(tile)
    assert gradcheck(lambda a: tiles(a, 2, 2).mean(-1), [t])


@few
@given(tensors(small_shapes, min_value=-100.0, max_value=100.0))
def test_dropout_with_nothing_to_drop_and_in_evaluation_is_the_identity(t):
    for drop in (nn.Dropout(0.0, seed=0), nn.Dropout(0.75, seed=0).eval()):
        y = drop(t)
        np.testing.assert_array_equal(y.data, t.data)
        t.zero_grad()
        (y * 2).sum().backward()
        np.testing.assert_array_equal(t.grad, np.full(t.shape, 2.0))


def test_dropout_of_every_entry_gives_zeros_and_no_gradient_as_pytorch():
    # minitorch's dropout(t, 1.0) and PyTorch's nn.Dropout(p=1.0) zero the whole input (torch 2.13: zeros, and a
    # gradient of zeros); 1 / (1 - p) is not computed there, as there is nothing left to scale
    t = Tensor([[1.5, -2.0, 0.0], [3.0, 4.0, -0.5]], requires_grad=True)
    drop = nn.Dropout(1.0, seed=0)
    y = drop(t)
    np.testing.assert_array_equal(y.data, np.zeros((2, 3)))
    (y * 2).sum().backward()
    np.testing.assert_array_equal(t.grad, np.zeros((2, 3)))
    assert not drop.mask.any()
    np.testing.assert_array_equal(drop.eval()(t).data, t.data)        # evaluation: still the identity
