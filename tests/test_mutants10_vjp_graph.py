"""Mutation testing of autograd/tensor/vjp_graph.py (the differentiable vjps of backward(create_graph=True)), tenth
round: each test fails on a deliberate mistake (named in the test's comment) that the rest of the suite let pass.
Expected numbers are worked out by hand from the formulas."""

import numpy as np

from autograd import Tensor, grad


def test_repeat_with_counts_whose_first_and_last_agree_differentiates_twice():
    # mutant: the rebuilt vjp of repeat taking the counts as all equal when the first equals the last: counts
    # (2, 1, 2) are not, and the reshape into 3 blocks of 2 copies fails (the suite's counts are (2, 0, 1) and
    # (1, 3)). By hand: L = sum of the squares of the copies = sum_i c_i x_i^2, dL/dx_i = 2 c_i x_i, and
    # d2L/dx_i^2 = 2 c_i.
    x = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    (g,) = grad([(x.repeat(np.array([2, 1, 2]), axis=0) ** 2).sum()], [x], create_graph=True)
    np.testing.assert_array_equal(g.data, [[4.0, 8.0], [6.0, 8.0], [20.0, 24.0]])
    (h,) = grad([g.sum()], [x])
    np.testing.assert_array_equal(h, [[4.0, 4.0], [2.0, 2.0], [4.0, 4.0]])
