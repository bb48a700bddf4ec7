"""Mutation testing of nn/losses.py's dispatch of binary cross-entropy from logits to the fused op
(``_softplus_minus_yz``, ``_both_sides``) and of its overflow messages (``_said_if_inf``), fourteenth round: each test
fails on a deliberate mistake (named in its comment) that the rest of the suite let pass. Expected numbers are worked
out by hand: softplus(z) - y z, its limits at z = +-inf, sigmoid(z) - y, and -log softmax."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import losses


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_a_tensor_with_an_infinite_logit_and_a_constant_target_is_one_fused_node():
    # mutant: the shortcut `isinstance(Z, Tensor) and T is Y` never taken: an infinite logit then sent a Tensor
    # through the arrays' way (a where, the fused op on the finite entries, two relus, a where again: seven nodes
    # and two passes over the data) where the fused op takes the limits itself. The numbers are the same:
    # c = (1 - y) z -> inf at +inf for y = 0.25, 0 for y = 1; -y z -> inf at -inf for y = 1; dc/dz = 1 - y or -y.
    z = Tensor([math.inf, math.inf, -math.inf, 0.0], requires_grad=True)
    y = np.array([0.25, 1.0, 1.0, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        costs = losses.binary_cross_entropy_with_logits(z, y, reduction="none")
        costs.sum().backward()
    assert costs.op == "sigmoid_cross_entropy" and costs.parents == (z,)
    assert costs.data.tolist() == [math.inf, 0.0, math.inf, math.log(2.0)]
    assert z.grad.tolist() == [0.75, 0.0, -1.0, 0.0]


def test_a_target_tensor_that_gets_a_gradient_is_one_fused_node_with_both_parents():
    # mutant: _both_sides without its Tensor branch: a target Tensor with requires_grad (finite logits) then got
    # the unfused graph (1 - y) softplus(z) + y softplus(-z) of five ops, not the one fused node
    z = Tensor([[0.5, -2.0]], requires_grad=True)
    y = Tensor([[1.0, 0.25]], requires_grad=True)
    costs = losses.binary_cross_entropy_with_logits(z, y, reduction="none")
    assert costs.op == "sigmoid_cross_entropy" and costs.parents == (z, y)
    costs.sum().backward()
    assert z.grad[0].tolist() == pytest.approx([_sigmoid(0.5) - 1.0, _sigmoid(-2.0) - 0.25], rel=1e-15)
    assert y.grad.tolist() == [[-0.5, 2.0]]                              # dc/dy = -z


def test_an_infinite_logit_given_as_input_costs_inf_without_an_overflow_warning():
    # mutant: _said_if_inf without its test of the logits (`not np.isfinite(Z).all()`): a logit -inf on the
    # target's class (p = 0, -log p = inf, an input's inf, no overflow) was then said to be a logit "more than
    # 1.8e+308 below its row's largest", an overflow that did not happen
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert losses.cross_entropy(np.array([[0.0, -math.inf]]), np.array([1])) == math.inf
        loss = losses.cross_entropy(Tensor([[0.0, -math.inf]]), np.array([[0.0, 1.0]]))
    assert loss.item() == math.inf


def test_a_logit_beyond_the_range_below_its_rows_largest_is_said_so_with_the_dtypes_bound_where_it_was_called():
    # mutants in _said_if_inf: the test `np.isinf(costs).any()` never taken (the warning then said each row's
    # cost is finite, of a row whose cost is inf); the dtype of the message float64 whatever the logits (float32's
    # largest is 3.4e38, not 1.8e308); stacklevel 2 (the warning pointed into nn/losses.py, not at the caller).
    # Logits 3e38 and -3e38 in float32: the log-probability of class 1 is -6e38, beyond float32, so -inf.
    Z = Tensor(np.array([[3e38, -3e38]], dtype=np.float32))
    with pytest.warns(RuntimeWarning) as caught:
        loss = losses.cross_entropy(Z, np.array([[0.0, 1.0]]))
    assert loss.item() == math.inf and loss.data.dtype == np.float32
    said = [w for w in caught if "cross_entropy" in str(w.message)]
    assert len(said) == 1
    assert str(said[0].message) == (
        "overflow encountered in cross_entropy: a target class's logit lies more than 3.4e+38 below its row's "
        "largest, so its -log p and the loss are beyond float32 (inf); scale the logits down")
    assert said[0].filename == __file__


def test_values_whose_finite_rows_sum_beyond_the_range_are_warned_of_where_it_was_called():
    # mutant: stacklevel 2 for the warning of a sum of finite rows that overflows (Values keep the sum): it then
    # pointed into nn/losses.py. Each row costs 1e308 - 0 + ln(1 + e^-1e308) = 1e308; the sum 2e308 is inf.
    V = [[Value(0.0), Value(1e308)], [Value(0.0), Value(1e308)]]
    with pytest.warns(RuntimeWarning) as caught:
        loss = losses.cross_entropy(V, np.array([0, 0]))
    assert loss.data == math.inf
    said = [w for w in caught if "each row's cost is finite" in str(w.message)]
    assert len(said) == 1 and said[0].filename == __file__
