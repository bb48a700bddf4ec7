"""In-place updates (the core audit): a frozen weight (requires_grad_(False)) changes in place in any mode, so
``w += x * 2`` with x requiring grad wrote x's numbers into w and dropped x's graph without a word: x got no
gradient through w. It is refused now, as PyTorch's version check would refuse what it cannot differentiate."""

import re

import numpy as np
import pytest

from autograd import Tensor, no_grad


def _frozen():
    return Tensor([1.0, 2.0], requires_grad=True, name="w").requires_grad_(False)


@pytest.mark.parametrize("op", ["+=", "-=", "*=", "/="])
def test_a_frozen_weight_refuses_an_operand_in_the_graph(op):
    w, x = _frozen(), Tensor([3.0, 4.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=re.escape(op) + r".*'w'.*requires grad.*detach"):
        exec(f"w {op} x * 2.0", {}, {"w": w, "x": x})
    np.testing.assert_array_equal(w.data, [1.0, 2.0])      # refused before it changed anything


def test_a_frozen_weight_takes_numbers_and_operands_outside_the_graph():
    # by hand: [1, 2] + [3, 4] = [4, 6]; then * 0.5 = [2, 3]; then - 1 (x.detach() has no graph) = [1, 2]
    w, x = _frozen(), Tensor([3.0, 4.0], requires_grad=True)
    w += np.array([3.0, 4.0])
    with no_grad():
        w *= 0.5 * x / x                                   # inside no_grad() x * ... records nothing
    w -= x.detach() / x.detach()
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    assert w.is_leaf and not w.requires_grad


def test_power_and_product_in_place_change_a_weight_in_place():
    # `with no_grad(): w **= 2` made w a new Tensor that did not require grad: the model's weight was left as it
    # was, and the name w no longer held a parameter. By hand: [1, 2] ** 2 = [1, 4]; [[1, 2]] @ [[0, 1], [1, 0]]
    w = Tensor([1.0, 2.0], requires_grad=True)
    M = Tensor([[1.0, 2.0]], requires_grad=True)
    kept_w, kept_M = w, M
    loss = (w * M).sum()
    with no_grad():
        w **= 2
        M @= np.array([[0.0, 1.0], [1.0, 0.0]])
    assert w is kept_w and M is kept_M and w.requires_grad and w.is_leaf
    np.testing.assert_array_equal(w.data, [1.0, 4.0])
    np.testing.assert_array_equal(M.data, [[2.0, 1.0]])
    with pytest.raises(RuntimeError, match="changed in place"):   # counted, as -= is
        loss.backward()


@pytest.mark.parametrize("statement", ["w **= 2", "w @= I"])
def test_power_and_product_in_place_on_a_parameter_in_grad_mode_are_refused(statement):
    w = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="w")
    with pytest.raises(RuntimeError, match="no_grad"):
        exec(statement, {}, {"w": w, "I": np.eye(2)})


def test_power_and_product_in_place_refuse_what_the_ops_refuse():
    w = Tensor([-1.0, 2.0], requires_grad=True)
    M = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    with no_grad():
        with pytest.raises(ValueError, match="negative base to a fractional power"):
            w **= 0.5
        with pytest.raises(ValueError, match=r"@=: the result has shape \(2, 1\)"):
            M @= np.ones((2, 1))
        h = Tensor([1.0, 2.0])                              # not a parameter: a new node, as h = h ** 2
        h **= 2
    np.testing.assert_array_equal(w.data, [-1.0, 2.0])
    np.testing.assert_array_equal(M.data, [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(h.data, [1.0, 4.0])
