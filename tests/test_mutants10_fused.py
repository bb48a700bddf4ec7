"""Mutation testing of autograd/tensor/fused.py, tenth round: each test fails on a deliberate mistake (named in the
test's comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import numpy as np
import pytest

from autograd import Tensor, linear, softmax_cross_entropy


def test_linear_names_the_shapes_that_do_not_fit():
    # mutants: linear without its check of x's last axis against W (numpy's matmul error names neither), and
    # without its check of b's shape (a (1,) bias would broadcast over the 2 outputs)
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(ValueError, match=r"linear: x of shape \(4, 2\) against W of shape \(2, 3\)"):
        linear(np.ones((4, 2)), W)
    with pytest.raises(ValueError, match=r"linear: b must be a Tensor of shape \(2,\), got \(1,\)"):
        linear(np.ones((4, 3)), W, Tensor(np.ones(1), requires_grad=True))


def test_softmax_cross_entropy_refuses_an_empty_batch_and_a_single_class():
    # mutants: no check of an empty batch (1.0 / n then raises a bare ZeroDivisionError), and K >= 1 allowed
    # (one class: the loss is 0 whatever the logits, nothing to learn)
    with pytest.raises(ValueError, match="an empty batch has no mean loss"):
        softmax_cross_entropy(Tensor(np.zeros((0, 2))), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match=r"K >= 2; got \(3, 1\)"):
        softmax_cross_entropy(Tensor(np.zeros((3, 1))), np.zeros(3, dtype=int))


def test_the_mean_loss_is_right_where_the_sum_of_the_rows_overflows():
    # mutant: softmax_cross_entropy without its fallback for a finite mean of rows whose sum overflows: each row's
    # loss is log(1 + e^-1.5e308) + 1.5e308 = 1.5e308, their sum 3e308 is beyond float64, their mean is 1.5e308
    z = Tensor([[0.0, -1.5e308], [0.0, -1.5e308]])
    assert softmax_cross_entropy(z, [1, 1]).item() == 1.5e308
