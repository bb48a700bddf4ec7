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
