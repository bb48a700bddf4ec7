"""Mutation testing of autograd/tensor/vjp_graph.py (the differentiable vjps of backward(create_graph=True)), tenth
round: each test fails on a deliberate mistake (named in the test's comment) that the rest of the suite let pass.
Expected numbers are worked out by hand, or are those of the first-order gradient (which the rebuilt one must equal
to the last digit)."""

import numpy as np
import pytest

from autograd import Tensor, grad


@pytest.mark.parametrize("op", ["x / y", "y / x", "x ** y", "y ** x"])
def test_a_gradient_as_a_graph_between_float32_and_float64_has_the_numbers_of_the_first_order_one(op):
    # mutant: _in_dtype_of returning the parents as they are when their dtypes differ: the rebuilt partials (1/b,
    # -y/b, y ln a) of the float64 operand then come from the float32 one in float32, a rounding of 1e-8 that the
    # op's own vjp (float64, as numpy computes the float64 result, and PyTorch) does not have
    x = Tensor(np.array([0.7, 1.3], dtype=np.float32), requires_grad=True)
    y = Tensor([1.1, 0.9], requires_grad=True)
    f = {"x / y": lambda: x / y, "y / x": lambda: y / x, "x ** y": lambda: x ** y, "y ** x": lambda: y ** x}[op]
    gx, gy = grad([f().sum()], [x, y], create_graph=True)
    f().sum().backward()
    assert gx.dtype == np.float32 and gy.dtype == np.float64
    np.testing.assert_array_equal(gx.data, x.grad)
    np.testing.assert_array_equal(gy.data, y.grad)


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
