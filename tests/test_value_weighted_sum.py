"""weighted_sum: a neuron's z = b + sum_i w_i x_i as one node, checked against the same sum of binary ops."""

import copy
import math
import pickle
from operator import mul

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, detect_anomaly, gradcheck, no_grad, weighted_sum
from autograd.testing import floats


def test_value_and_gradients_of_a_small_weighted_sum_by_hand():
    w = [Value(2.0), Value(-1.0)]
    x = [Value(3.0), Value(4.0)]
    b = Value(0.5)
    z = weighted_sum(w, x, b)
    z.backward()
    assert z.data == 0.5 + 2.0 * 3.0 + (-1.0) * 4.0
    assert [v.grad for v in w] == [3.0, 4.0]          # dz/dw_i = x_i
    assert [v.grad for v in x] == [2.0, -1.0]         # dz/dx_i = w_i
    assert b.grad == 1.0                              # dz/db = 1
    assert z.op == "weighted_sum"


@given(st.lists(st.tuples(floats(), floats()), min_size=1, max_size=6), floats(), st.booleans())
def test_weighted_sum_equals_the_chain_of_binary_ops_exactly(pairs, bias, inputs_are_values):
    w1 = [Value(a) for a, _ in pairs]
    w2 = [Value(a) for a, _ in pairs]
    x1 = [Value(c) if inputs_are_values else c for _, c in pairs]
    x2 = [Value(c) if inputs_are_values else c for _, c in pairs]
    b1, b2 = Value(bias), Value(bias)
    fused = weighted_sum(w1, x1, b1).tanh()
    chained = sum(map(mul, w2, x2), b2).tanh()         # the same additions in the same order
    fused.backward()
    chained.backward()
    assert fused.data == chained.data
    assert [v.grad for v in w1] == pytest.approx([v.grad for v in w2], rel=1e-12, abs=1e-15)
    assert b1.grad == pytest.approx(b2.grad, rel=1e-12, abs=1e-15)
    if inputs_are_values:
        assert [v.grad for v in x1] == pytest.approx([v.grad for v in x2], rel=1e-12, abs=1e-15)


@given(st.lists(st.tuples(floats(), floats()), min_size=1, max_size=5), floats())
def test_weighted_sum_agrees_with_central_differences(pairs, bias):
    n = len(pairs)
    inputs = [Value(a) for a, _ in pairs] + [Value(c) for _, c in pairs] + [Value(bias)]
    assert gradcheck(lambda *v: weighted_sum(v[:n], v[n:2 * n], v[-1]).sigmoid(), inputs)


def test_a_value_used_as_weight_and_input_gets_both_contributions():
    x = Value(3.0)
    z = weighted_sum([x, x], [x, 2.0])                # x*x + 2x: dz/dx = 2x + 2
    z.backward()
    assert z.data == 15.0
    assert x.grad == 8.0


def test_numbers_are_constants_and_only_values_become_parents():
    w = Value(2.0)
    z = weighted_sum([w, 5.0], [1.5, 7.0], bias=1.0)
    assert z.data == 1.0 + 3.0 + 35.0
    assert z.parents == (w,)
    assert z.partials == (1.5,)
    constant = weighted_sum([1.0, 2.0], [3.0, 4.0])
    assert constant.data == 11.0 and constant.parents == ()


def test_gradients_accumulate_across_calls_like_every_other_op():
    w = Value(2.0)
    z = weighted_sum([w], [3.0])
    z.backward()
    z.backward()
    assert w.grad == 6.0


def test_no_grad_records_no_parents():
    w = Value(2.0)
    with no_grad():
        z = weighted_sum([w], [3.0])
    assert z.parents == () and z.data == 6.0


def test_mismatched_lengths_name_both_lengths():
    with pytest.raises(ValueError, match=r"weighted_sum: 2 weights for 3 inputs"):
        weighted_sum([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])


def test_a_non_number_operand_is_a_type_error_naming_its_type():
    with pytest.raises(TypeError, match="weighted_sum: cannot combine a Value with str"):
        weighted_sum([Value(1.0)], ["2"])


def test_anomaly_mode_names_a_weighted_sum_that_overflows():
    with detect_anomaly(), pytest.raises(FloatingPointError, match="'weighted_sum' node"):
        weighted_sum([Value(1e308), Value(1e308)], [10.0, 10.0])


def test_partials_of_a_weighted_sum_can_be_read_and_replaced():
    w, x = Value(2.0), Value(3.0)
    z = weighted_sum([w], [x])
    assert z.partials == (3.0, 2.0)
    z.partials = (1.0, 1.0)                           # as a test of gradcheck would, to break it on purpose
    assert z.partials == (1.0, 1.0)


def test_no_terms_leaves_the_bias_alone_as_the_only_parent():
    b = Value(1.5)
    z = weighted_sum([], [], b)
    z.backward()
    assert (z.data, z.parents, b.grad) == (1.5, (b,), 1.0)
    assert weighted_sum([], []).data == 0.0


@pytest.mark.parametrize(
    "weights, inputs, type_name",
    [((Value(1.0) for _ in range(1)), [1.0], "generator"), (Value(1.0), [1.0], "Value"), ([Value(1.0)], 2.0, "float")],
)
def test_weights_or_inputs_that_are_not_sequences_raise_type_error_naming_the_type(weights, inputs, type_name):
    with pytest.raises(TypeError, match=f"^weighted_sum: .*got {type_name}"):
        weighted_sum(weights, inputs)


@pytest.mark.parametrize(
    "copy_of", [copy.deepcopy, lambda z: pickle.loads(pickle.dumps(z))], ids=["deepcopy", "pickle"]
)
def test_a_copied_graph_with_a_weighted_sum_still_differentiates(copy_of):
    w, x = Value(2.0), Value(3.0)
    z = copy_of(weighted_sum([w], [x], 1.0).tanh())
    z.backward()
    (s,) = z.parents
    w2, x2 = s.parents
    assert s.op == "weighted_sum"
    assert w2.grad == pytest.approx(3.0 * (1 - z.data**2), rel=1e-12)
    assert x2.grad == pytest.approx(2.0 * (1 - z.data**2), rel=1e-12)
    assert (w.grad, x.grad) == (0.0, 0.0)                # the originals are untouched


# --- backward skips a weighted_sum whose gradient is exactly 0 (a dead ReLU above it): the result must not change

@given(st.lists(st.tuples(floats(), floats()), min_size=1, max_size=6), floats(), floats())
def test_a_neuron_under_a_dead_relu_passes_back_exactly_what_the_binary_ops_do(pairs, bias, shift):
    # relu(z - |shift| - big) is dead at every drawn z, so z's gradient is 0.0 and backward skips its sum;
    # the same graph of binary ops is swept term by term. Both must give each leaf the same gradient, bit for bit.
    w1, w2 = [Value(a) for a, _ in pairs], [Value(a) for a, _ in pairs]
    x1, x2 = [Value(c) for _, c in pairs], [Value(c) for _, c in pairs]
    b1, b2 = Value(bias), Value(bias)
    big = 1e6
    z1, z2 = weighted_sum(w1, x1, b1), sum(map(mul, w2, x2), b2)
    y1 = (z1 - abs(shift) - big).relu() + z1 * 0.0 + w1[0]     # a second path into z1, also carrying 0
    y2 = (z2 - abs(shift) - big).relu() + z2 * 0.0 + w2[0]
    y1.backward()
    y2.backward()
    assert z1.grad == 0.0
    assert [v.grad for v in (*w1, *x1, b1)] == [v.grad for v in (*w2, *x2, b2)]


def test_a_zero_gradient_still_carries_nan_back_through_an_infinite_operand():
    # 0 * inf is NaN: a sum that is not finite is swept as usual, so the NaN reaches the weights (as the chain
    # of binary ops gives), instead of being skipped as a zero.
    w, x, b = [Value(2.0), Value(0.0)], [Value(1.0), Value(float("inf"))], Value(0.0)
    z = weighted_sum(w, x, b)                                  # 2 + 0 * inf = NaN
    (z * 0.0).backward()
    assert z.grad == 0.0
    assert math.isnan(w[1].grad) and x[1].grad == 0.0          # dz/dw_1 = x_1 = inf, dz/dx_1 = w_1 = 0; g = 0
    w2, x2, b2 = [Value(2.0), Value(0.0)], [Value(1.0), Value(float("inf"))], Value(0.0)
    (sum(map(mul, w2, x2), b2) * 0.0).backward()
    assert math.isnan(w2[1].grad) and x2[1].grad == 0.0


@pytest.mark.parametrize("container", ["numpy row", "list"])
@pytest.mark.parametrize("numbers_are", ["inputs", "weights"])
def test_numbers_changed_in_their_array_after_the_forward_pass_do_not_change_second_derivatives(container, numbers_are):
    # The node kept the caller's array of numbers and read it again for backward(create_graph=True): a row of X,
    # or a buffer refilled for the next sample, changed in place gave dL/dw from the new numbers (220 where the
    # plain backward() says 66). The numbers of the forward pass are what every backward pass must use.
    import numpy as np

    from autograd import grad

    nodes = [Value(1.0), Value(2.0)]
    X = np.array([[3.0, 4.0], [5.0, 6.0]])
    numbers = X[0] if container == "numpy row" else [3.0, 4.0]
    z = weighted_sum(nodes, numbers) if numbers_are == "inputs" else weighted_sum(numbers, nodes)
    L = z * z                                                # z = 11: dL/d(node_i) = 2 z c_i = 66, 88
    numbers[0], numbers[1] = 10.0, 20.0
    g = grad([L], nodes, create_graph=True)
    assert [gi.data for gi in g] == [66.0, 88.0]
    second = grad([g[0]], nodes)                             # d(2 z c_0)/d(node_j) = 2 c_0 c_j
    assert [float(getattr(s, "data", s)) for s in second] == [18.0, 24.0]
    L.backward()
    assert [v.grad for v in nodes] == [66.0, 88.0]
