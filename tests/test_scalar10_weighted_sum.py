"""weighted_sum: a set or a dict of operands is refused, and a neuron of Values records the same numbers, bit for
bit, as the sum written out term by term."""

import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, detect_anomaly, no_grad, weighted_sum
from autograd.testing import floats


def bits(x: float) -> bytes:
    """The float's 8 bytes: -0.0 differs from 0.0, and a NaN equals itself."""
    return struct.pack("<d", x)


def by_hand(w: list, x: list, b: float) -> float:
    """z = b + w0 x0 + w1 x1 + ..., one term at a time, left to right."""
    total = b
    for wi, xi in zip(w, x):
        total += wi * xi
    return total


# --- a set or a dict: refused by name -------------------------------------------------------------------------

def unordered(kind: str, values: list):
    if kind == "set":
        return set(values)
    if kind == "frozenset":
        return frozenset(values)
    return dict.fromkeys(values, 1.0)              # a dict iterates over its keys: the Values, not the 1.0s


@pytest.mark.parametrize("kind", ["set", "frozenset", "dict"])
@pytest.mark.parametrize("operand", ["weights", "inputs"])
def test_a_set_or_a_dict_of_operands_is_a_type_error_naming_weighted_sum_and_the_kind(kind, operand):
    # A set of Values iterates in the order of their ids (different from run to run); a dict over its keys. Both
    # were taken: a sum, and gradients, in an order nobody chose
    values = [Value(float(k)) for k in range(1, 6)]
    others = [Value(0.5 * k) for k in range(5)]
    weights, inputs = (unordered(kind, values), others) if operand == "weights" else (others, unordered(kind, values))
    word = "dict" if kind == "dict" else "set"
    with pytest.raises(TypeError, match=f"^weighted_sum: the {operand} are a {word}.*pass a list"):
        weighted_sum(weights, inputs, Value(1.0))
    with pytest.raises(TypeError, match=f"^weighted_sum: the {operand} are a {word}"):
        weighted_sum(weights, inputs)                       # a number as bias: refused too


def test_a_set_of_numbers_is_refused_as_well():
    with pytest.raises(TypeError, match="^weighted_sum: the inputs are a set"):
        weighted_sum([Value(1.0), Value(2.0)], {3.0, 4.0})


@pytest.mark.parametrize("container", [
    list, tuple, lambda v: np.array(v, dtype=object),
], ids=["list", "tuple", "object array"])
def test_ordered_containers_of_values_are_still_taken(container):
    w = [Value(0.5), Value(-2.0), Value(3.0)]
    x = [Value(1.5), Value(0.25), Value(-1.0)]
    b = Value(0.125)
    z = weighted_sum(container(w), container(x), b)
    assert z.data == by_hand([v.data for v in w], [v.data for v in x], b.data)
    z.backward()
    assert [v.grad for v in w] == [v.data for v in x] and [v.grad for v in x] == [v.data for v in w]
    assert b.grad == 1.0


def test_ordered_containers_of_numbers_and_dict_values_are_still_taken():
    w = [Value(0.5), Value(-2.0)]
    for inputs in ((1.5, 0.25), np.array([1.5, 0.25]), {"a": 1.5, "b": 0.25}.values(), range(2)):
        numbers = [float(v) for v in inputs]
        z = weighted_sum(w, inputs, 0.75)
        assert z.data == by_hand([0.5, -2.0], numbers, 0.75)
        assert z.partials == tuple(numbers)                # dz/dw_i = x_i


# --- a neuron of Values records what the sum written out term by term records ---------------------------------

any_float = st.one_of(floats(-1e3, 1e3), st.floats(allow_nan=True, allow_infinity=True),
                      st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324]))


@given(st.lists(st.tuples(any_float, any_float), min_size=1, max_size=8), any_float)
def test_a_neuron_of_values_records_the_sum_and_the_partials_term_by_term_bit_for_bit(pairs, bias):
    w = [Value(a) for a, _ in pairs]
    x = [Value(c) for _, c in pairs]
    b = Value(bias)
    z = weighted_sum(w, x, b)
    assert bits(z.data) == bits(by_hand([a for a, _ in pairs], [c for _, c in pairs], bias))
    assert z.op == "weighted_sum" and z.grad == 0.0
    expected_parents = [b] + [v for pair in zip(w, x) for v in pair]      # b, w0, x0, w1, x1, ...
    assert len(z.parents) == len(expected_parents)
    assert all(p is q for p, q in zip(z.parents, expected_parents))
    expected_partials = [1.0] + [d for a, c in pairs for d in (c, a)]    # dz/db = 1, dz/dw_i = x_i, dz/dx_i = w_i
    assert [bits(d) for d in z.partials] == [bits(d) for d in expected_partials]


@given(st.lists(st.tuples(floats(), floats()), min_size=1, max_size=8), floats())
def test_the_same_neuron_with_a_number_among_its_operands_gives_the_same_sum_and_gradients(pairs, bias):
    # all Values against a number as bias: the same z, the same weight gradients
    w1, x1 = [Value(a) for a, _ in pairs], [Value(c) for _, c in pairs]
    w2, x2 = [Value(a) for a, _ in pairs], [Value(c) for _, c in pairs]
    z1 = weighted_sum(w1, x1, Value(bias))
    z2 = weighted_sum(w2, x2, bias)
    assert bits(z1.data) == bits(z2.data)
    (z1 * z1).backward()
    (z2 * z2).backward()
    assert [bits(v.grad) for v in w1 + x1] == [bits(v.grad) for v in w2 + x2]


def test_a_neuron_of_values_inside_no_grad_records_no_parents():
    w, x, b = [Value(2.0)], [Value(3.0)], Value(0.5)
    with no_grad():
        z = weighted_sum(w, x, b)
    assert z.parents == () and z.data == 6.5
    with pytest.raises(RuntimeError, match="'weighted_sum' op but recorded no parents"):
        z.backward()


def test_a_neuron_of_values_that_overflows_is_named_in_anomaly_mode():
    with detect_anomaly(), pytest.raises(FloatingPointError, match="'weighted_sum' node"):
        weighted_sum([Value(1e308), Value(1e308)], [Value(10.0), Value(10.0)], Value(0.0))


def test_a_neuron_of_a_value_subclass_gives_the_same_records():
    class Named(Value):
        __slots__ = ()

    w, x, b = [Named(2.0), Named(-1.0)], [Named(3.0), Named(4.0)], Named(0.5)
    z = weighted_sum(w, x, b)
    assert z.data == 0.5 + 2.0 * 3.0 + -1.0 * 4.0
    assert z.partials == (1.0, 3.0, 2.0, 4.0, -1.0)
    assert all(p is q for p, q in zip(z.parents, (b, w[0], x[0], w[1], x[1])))

