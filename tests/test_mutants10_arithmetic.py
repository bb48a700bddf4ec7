"""Mutation testing of autograd/tensor/arithmetic.py, tenth round: each test fails on a deliberate mistake (named in
the test's comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import numpy as np

from autograd import Tensor, no_grad


def test_a_float64_tensor_divides_by_a_number_that_only_float32_cannot_hold():
    # mutant: the zero test of a divisor made in float32 whatever the Tensor's dtype: 1e-50 is 0 in float32 but
    # not in float64, where 2 / 1e-50 = 2e50 and d/dx (x / c) = 1/c = 1e50
    x = Tensor([2.0], requires_grad=True)
    y = x / 1e-50
    assert y.item() == 2e50
    y.sum().backward()
    assert x.grad[0] == 1 / 1e-50


def test_zero_to_the_power_zero_is_one_with_slope_zero():
    # mutant: 0 ** p refused for p <= 0 (not p < 0): 0^0 = 1 (numpy, PyTorch, Python), and d/dx x^0 = 0 x^-1 is
    # taken as 0 (the constant 1 has slope 0)
    x = Tensor([0.0, 2.0], requires_grad=True)
    y = x ** np.array([0.0, 0.0])
    np.testing.assert_array_equal(y.data, [1.0, 1.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


def test_a_frozen_weight_changes_in_place_in_any_mode():
    # mutant: the refusal of an operand that requires grad (its graph would be dropped) applied inside no_grad()
    # too, where no graph is recorded and nothing is lost: a frozen weight (requires_grad_(False)) changes in place
    # in any mode, and inside no_grad() by a Tensor that requires grad, as PyTorch's does
    w = Tensor([1.0, 2.0], requires_grad=True)
    w.requires_grad_(False)
    w += 1.0
    np.testing.assert_array_equal(w.data, [2.0, 3.0])
    with no_grad():
        w -= Tensor([1.0, 1.0], requires_grad=True)
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
