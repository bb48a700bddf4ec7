"""Hostile indexing: indices that numpy reads as arrays although they are not lists (a tuple inside the index
tuple, a deque, array.array), and index arrays changed in place between the forward and the backward pass. Each
gradient is checked against the count of picks, written out by hand, and against central differences."""

from __future__ import annotations

import array
import collections

import numpy as np
import pytest
from draws import leaf, normal

from autograd import grad, gradcheck, gradgradcheck


def test_a_tuple_inside_the_index_picks_a_column_twice():
    # numpy reads the (1, 1) of x[:, (1, 1)] as an integer array: column 1 twice, so its gradient is w's two columns
    x = leaf((3, 4))
    w = normal((3, 2))
    y = x[:, (1, 1)]
    np.testing.assert_array_equal(y.data, np.stack([x.data[:, 1], x.data[:, 1]], axis=1))
    (y * w).sum().backward()
    expected = np.zeros((3, 4))
    expected[:, 1] = w[:, 0] + w[:, 1]
    np.testing.assert_allclose(x.grad, expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize("index", [
    (slice(None), (1, 1, 3)),
    ((0, 0, 2),),
    (collections.deque([2, 2, 0]),),
    (array.array("l", [1, 0, 1]),),
    (slice(None), (0, 0), None),
], ids=["tuple-in-tuple", "nested-tuple-first", "deque", "array.array", "tuple-with-None"])
def test_sequences_with_repeats_match_central_differences_first_and_second_order(index):
    x = leaf((3, 4))
    w = normal(x.data[index].shape)
    assert gradcheck(lambda a: (a[index] * w).sum(), [x])
    assert gradgradcheck(lambda a: (a[index] ** 3 * w).sum(), [x])


def test_an_index_array_changed_after_the_forward_pass_does_not_move_the_gradient():
    # a batch buffer refilled in place before backward(): the gradient belongs to the rows the loss was made from
    x = leaf((4, 2))
    rows = np.array([0, 0, 3])
    loss = x[rows].sum()
    rows[:] = [1, 2, 2]
    loss.backward()
    np.testing.assert_array_equal(x.grad, [[2.0, 2.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])


def test_a_mask_changed_after_the_forward_pass_does_not_move_the_gradient():
    x = leaf((5,))
    mask = np.array([True, False, True, False, False])
    loss = (x[mask] * np.array([3.0, 4.0])).sum()
    mask[:] = ~mask
    loss.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 4.0, 0.0, 0.0])


def test_a_changed_index_array_does_not_move_the_second_order_gradient():
    x = leaf((3,))
    rows = np.array([1, 1])
    y = (x[rows] ** 3).sum()                    # y = 2 x_1^3
    (g,) = grad(y, [x], create_graph=True)
    rows[:] = 0
    g.sum().backward()                           # d/dx_1 of 6 x_1^2 = 12 x_1
    np.testing.assert_allclose(x.grad, [0.0, 12.0 * x.data[1], 0.0], rtol=1e-14)


@pytest.mark.parametrize("index, kind", [
    (slice(1.5, 3), TypeError), ((0, slice(None, None, 0)), ValueError), (np.float64(1.0), IndexError),
], ids=["float-slice-bound", "zero-step", "float"])
def test_a_bad_index_is_refused_naming_the_op_and_the_shape(index, kind):
    x = leaf((2, 3))
    with pytest.raises(kind):
        x.data[index]                                            # numpy refuses it too, with this kind of error
    with pytest.raises(kind, match=r"\[\]: index .* does not fit a Tensor of shape \(2, 3\)"):
        x[index]
