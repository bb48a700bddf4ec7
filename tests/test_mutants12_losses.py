"""Mutation testing of nn/losses.py, twelfth round: each test fails on a deliberate mistake (named in the test's
comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas in the
module's table (and the lectures' costs in SEEDS.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Tensor, Value, no_grad
from nn import losses


def test_a_boolean_among_the_values_of_a_prediction_is_refused():
    # mutant: _value without its bool check: True became the constant Value 1.0 and the loss was computed
    with pytest.raises(TypeError, match="mse: the prediction mixes Values with bool True"):
        losses.mse([Value(1.0), True], [1.0, 0.0])


def test_a_boolean_array_is_refused_as_a_prediction():
    # mutant: _real_array's check of booleans dropped: True/False read as the outputs 1.0 and 0.0
    with pytest.raises(TypeError, match=r"mse: the prediction holds True/False; give numbers"):
        losses.mse(np.array([True, False]), [1.0, 0.0])


def test_rows_of_values_of_different_lengths_are_refused_by_name():
    # mutant: _as_values without its check of the rows' lengths: the short row left None in the object array, and
    # the loss failed later with an AttributeError on None naming nothing
    with pytest.raises(ValueError, match=r"mse: the rows of the prediction have different lengths \[1, 2\]"):
        losses.mse([[Value(1.0), Value(2.0)], [Value(3.0)]], [[1.0, 0.0], [1.0, 0.0]])


@pytest.mark.parametrize("labels, shown", [(np.array([0, 3]), "0..3"), (np.array([0.0, 1.5]), "0.0..1.5")])
def test_class_labels_for_a_quadratic_cost_are_whole_numbers_below_k(labels, shown):
    # mutants: Y.max() <= K (label 3 of 3 outputs passed the check and numpy's IndexError followed), and the
    # whole-number check dropped (label 1.5 cast to class 1 without a word)
    with pytest.raises(ValueError, match=f"which must be whole numbers 0..2; got {shown}"):
        losses.quadratic(np.zeros((2, 3)), labels)


def test_one_number_is_the_target_of_a_prediction_of_one_entry():
    # mutant: the 0-d target not reshaped to (1,): refused as a shape mismatch. mse([2], 1) = (2 - 1)^2 = 1.
    assert losses.mse(np.array([2.0]), 1.0) == 1.0
    a = Value(2.0)
    loss = losses.mse([a], Value(1.0))
    loss.backward()
    assert loss.data == 1.0 and a.grad == 2.0                     # d/da (a - 1)^2 = 2 (a - 1)


def test_a_column_of_targets_fits_a_vector_prediction():
    # mutant: the (N, 1) target against an (N,) prediction refused. mse = ((2 - 1)^2 + (1 - 3)^2) / 2 = 2.5
    assert losses.mse(np.array([2.0, 1.0]), [[1.0], [3.0]]) == 2.5


def test_a_nan_target_is_refused():
    # mutant: the target's finiteness check dropped: the loss came out NaN without a word
    with pytest.raises(ValueError, match="mse: the target contains NaN or inf"):
        losses.mse(np.array([2.0, 1.0]), [1.0, np.nan])


def test_sigmoid_values_mixed_with_plain_values_are_read_as_probabilities():
    # mutant: _logits_of taking the parents when ANY entry is a sigmoid node (not all): the plain Value(0.5) has no
    # parent to take. As probabilities: a = (0.5, 0.5), y = (1, 0): c = -ln 0.5 each, mean ln 2.
    a = [Value(0.0).sigmoid(), Value(0.5)]
    assert losses.binary_cross_entropy(a, [1.0, 0.0]).data == pytest.approx(math.log(2.0), rel=1e-15)


def test_a_value_probability_at_the_clip_bound_keeps_its_gradient_as_a_tensor_does():
    # mutant: the Values' clip as lo < a <= hi: a = 1e-12 exactly became the constant bound, gradient 0. The
    # Tensor's clip (PyTorch's clamp) passes the gradient at the bound: dc/da = -y / a = -1e12 for y = 1,
    # c = -ln 1e-12 = 27.631021115928547.
    a = Value(1e-12)
    cost = losses.binary_cross_entropy([a], [1.0])
    cost.backward()
    assert cost.data == pytest.approx(-math.log(1e-12), rel=1e-15)
    assert a.grad == pytest.approx(-1e12, rel=1e-12)
    t = Tensor([1e-12], requires_grad=True)
    losses.binary_cross_entropy(t, [1.0]).backward()
    assert t.grad[0] == pytest.approx(a.grad, rel=1e-15)


def test_a_softmax_made_under_no_grad_that_holds_zero_costs_a_clipped_log():
    # mutant: log p without the clip at 1e-12: softmax([0, -1000]) = (1, e^-1000 = 0.0), and the label 1 cost
    # -ln 0 = inf. With the clip: -ln 1e-12 = 27.631021115928547.
    with no_grad():
        p = Tensor([[0.0, -1000.0]]).softmax(axis=-1)
    assert p.data[0, 1] == 0.0
    assert losses.cross_entropy(p, [1]).item() == pytest.approx(-math.log(1e-12), rel=1e-15)


@pytest.mark.parametrize("target, shown", [([[1.5, -0.5]], "entries from -0.5 to 1.5"),
                                           ([[0.5, 0.505]], "row sums from 1.005 to 1.005")])
def test_probability_targets_of_cross_entropy_are_nonnegative_and_sum_to_one(target, shown):
    # mutants: the Y.min() < 0 check dropped ([1.5, -0.5] sums to 1), and the sums' atol 1e-6 made 1e-2 (1.005)
    with pytest.raises(ValueError, match=f"target rows must be >= 0 and sum to 1; got .*{shown}"):
        losses.cross_entropy(np.zeros((1, 2)), target)


def test_a_softmax_along_the_samples_is_refused_even_when_its_rows_sum_nearly_to_one():
    # mutant: the tolerance 1e-6 made 1e-3. softmax along axis 0 of [[0, 0.001], [0, 0]]: column 1 is
    # (e^0.001, 1) / (e^0.001 + 1) = (0.50025, 0.49975), so the rows sum to 1.00025 and 0.99975, 2.5e-4 off
    z = Tensor([[0.0, 0.001], [0.0, 0.0]], requires_grad=True)
    with pytest.raises(ValueError, match=r"a softmax whose rows sum to 0.99975..1.00025, not 1"):
        losses.cross_entropy(z.softmax(axis=0), [0, 1])


def test_a_target_of_values_mixed_with_numbers_is_read_as_numbers():
    # mutant: _target_nodes taking the target's entries into the formula when only SOME are Values: the Value among
    # numbers then got a gradient. Documented: a target enters as nodes only when all of it is Values, else as its
    # numbers. mse = ((2 - 1)^2 + (3 - 1)^2) / 2 = 2.5; dC/da = (a - y) = (1, 2); the target's Value: no gradient.
    a = [Value(2.0), Value(3.0)]
    y = Value(1.0)
    loss = losses.mse(a, [y, 1.0])
    loss.backward()
    assert loss.data == 2.5
    assert [v.grad for v in a] == [1.0, 2.0]
    assert y.grad == 0.0


def test_cross_entropy_refuses_fractional_class_labels():
    # mutant: the whole-number check of float labels dropped: label 1.5 was cast to class 1 without a word
    with pytest.raises(ValueError, match=r"cross_entropy: labels must be whole numbers \(class indices\)"):
        losses.cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.5]))


def test_l2_refuses_a_0d_array_by_name():
    # mutant: the 0-d check dropped from _penalised: a 0-d array passes isinstance(x, Iterable), and list() of it
    # raised numpy's "iteration over a 0-d array", naming no penalty and no fix
    with pytest.raises(TypeError, match=r"l2: parameters must be a list of Values or Tensors .* got ndarray; for one "
                                        r"parameter p pass \[p\]"):
        losses.l2(np.array(3.0))


def test_l1_refuses_no_parameters_and_parameters_of_two_engines():
    # mutant: len(kinds) != 1 dropped from l1's check: [] reached None * lam (Python's TypeError naming no
    # penalty), and a Value beside a Tensor was summed across two graphs
    with pytest.raises(TypeError, match="l1: parameters must be Values or Tensors of one model, got none"):
        losses.l1([])
    with pytest.raises(TypeError, match=r"l1: parameters must be Values or Tensors of one model, got \['Tensor', "
                                        r"'Value'\]"):
        losses.l1([Value(1.0), Tensor([1.0])])
