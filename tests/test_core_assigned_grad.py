"""A ``.grad`` assigned by hand that backward() cannot add into (the core audit): it raised numpy's bare errors
("non-broadcastable output operand", "Cannot cast ufunc 'add' output"), or, for a larger shape, broadcast the
gradient into every row without a word (a (2,) leaf's .grad came back (2, 2))."""

import numpy as np
import pytest

from autograd import Tensor


def _leaf():
    return Tensor([1.0, 2.0], requires_grad=True, name="w")


@pytest.mark.parametrize("assigned", [np.zeros(1), np.zeros(3), np.zeros((2, 2)), np.zeros(2, dtype=np.int64),
                                      [0.0, 0.0, 0.0]], ids=["(1,)", "(3,)", "(2,2)", "int64", "list"])
@pytest.mark.parametrize("root", ["op", "leaf"])
def test_a_grad_assigned_by_hand_that_does_not_fit_is_named(assigned, root):
    w = _leaf()
    w.grad = assigned
    with pytest.raises((ValueError, TypeError), match=r"backward\(\): the \.grad of the Tensor 'w'.*zero_grad"):
        if root == "op":
            (w * 3.0).sum().backward()
        else:
            w.backward(np.ones(2))


@pytest.mark.parametrize("assigned", [np.array([10.0, 20.0]), np.array([10.0, 20.0], dtype=np.float32)])
def test_a_grad_assigned_by_hand_that_fits_is_added_into(assigned):
    # d/dw sum(3 w) = 3, added into what was assigned
    w = _leaf()
    w.grad = assigned.copy()
    (w * 3.0).sum().backward()
    np.testing.assert_array_equal(w.grad, [13.0, 23.0])
