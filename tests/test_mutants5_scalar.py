"""Mutation testing, fifth round: nn.scalar (the MLP of Values and its compiled step). A sample given as a dict or
a set is refused (weighted_sum would read a dict's keys as the inputs, a set in its own order); a Neuron keeps the
bias it is given when it draws its weights, and refuses weights of another length than its inputs; a penalty that
is one of the model's own weights is refused as one that reads it."""

import re

import numpy as np
import pytest

from autograd import Value
from nn import scalar


@pytest.mark.parametrize("sample", [{0: 1.0, 1: 2.0}, {1.0, 2.0}], ids=["dict", "set"])
@pytest.mark.parametrize("make", [lambda: scalar.MLP(2, [3, 1], seed=0), lambda: scalar.Layer(2, 3, seed=0),
                                  lambda: scalar.Neuron(2, seed=0)], ids=["MLP", "Layer", "Neuron"])
def test_a_sample_given_as_a_dict_or_a_set_is_refused_not_read_by_its_keys(make, sample):
    with pytest.raises(TypeError, match=f"a sample must be a list.*got {type(sample).__name__}"):
        make()(sample)


def test_a_neuron_keeps_the_bias_it_is_given_when_it_draws_its_weights():
    n = scalar.Neuron(3, "identity", b=0.5, seed=0)
    drawn = scalar.Neuron(3, "identity", seed=0)        # the same weights drawn, its own bias
    assert n.b.data == 0.5 and [w.data for w in n.w] == [w.data for w in drawn.w]
    x = [1.0, -2.0, 0.25]
    assert n(x).data == 0.5 + sum(w.data * xk for w, xk in zip(n.w, x))


@pytest.mark.parametrize("w", [[1.0, 2.0], [1.0, 2.0, 3.0, 4.0]], ids=["short", "long"])
def test_a_neuron_refuses_weights_of_another_length_than_its_inputs(w):
    with pytest.raises(ValueError, match=r"Neuron: w must be 3 real numbers, one per input"):
        scalar.Neuron(3, w=w, b=0.0)


def test_a_compiled_penalty_that_is_one_of_the_models_own_weights_is_refused():
    # the weight is the penalty's root itself: the test of what the graph reads must include its root
    model = scalar.MLP(2, [2, 1], seed=0)
    own = model.parameters()[0]
    step = model.compiled_step(lambda s, y: (s - y) * (s - y), penalty=lambda ps: own)
    with pytest.raises(ValueError, match=r"compiled_step: the penalty reads the model's own weights \(W0\[0,0\]\)"):
        step([[1.0, 2.0]], [0.5], lr=0.1)
    assert isinstance(own, Value)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_neuron_refuses_weights_that_are_not_finite(bad):
    with pytest.raises(ValueError, match=r"Neuron: w contains NaN or inf"):
        scalar.Neuron(2, w=[bad, 1.0], b=0.0)


@pytest.mark.parametrize("x", [[1.0, 2.0], [1.0, 2.0, 3.0, 4.0]], ids=["short", "long"])
def test_a_neuron_refuses_a_sample_of_another_length_than_its_inputs(x):
    # weighted_sum pairs weights and inputs: a short sample would leave a weight unread, without a word
    with pytest.raises(ValueError, match=rf"Neuron: expected 3 inputs, got {len(x)}"):
        scalar.Neuron(3, seed=0)(x)


def test_setting_a_scalar_mlps_hidden_activation_leaves_its_output_activation_alone():
    import math
    model = scalar.MLP(2, [3, 1], activation="relu", seed=0)   # linear output (identity), micrograd's default
    model.activation = "tanh"
    assert model.output_activation == "identity" and model.layers[1].neurons[0].activation == "identity"
    x = [0.5, -0.3]
    hidden = [math.tanh(n.b.data + sum(w.data * xi for w, xi in zip(n.w, x))) for n in model.layers[0].neurons]
    out = model.layers[1].neurons[0]
    assert abs(model(x).data - (out.b.data + sum(w.data * h for w, h in zip(out.w, hidden)))) < 1e-15


@pytest.mark.parametrize("x", [[1.0], [1.0, 2.0, 3.0]], ids=["short", "long"])
def test_a_scalar_mlp_refuses_a_sample_of_another_length_than_its_inputs(x):
    with pytest.raises(ValueError, match=rf"scalar MLP: expected 2 inputs, got {len(x)}"):
        scalar.MLP(2, [3, 1], seed=0)(x)


@pytest.mark.parametrize("X", [np.ones((2, 3)), np.ones((2, 1)), np.ones(2)], ids=["wide", "narrow", "1-D"])
def test_a_compiled_step_refuses_an_array_whose_rows_are_not_as_wide_as_the_models_inputs(X):
    model = scalar.MLP(2, [2, 1], seed=0)
    before = [p.data for p in model.parameters()]
    step = model.compiled_step(lambda s, y: (s - y) * (s - y))
    with pytest.raises(ValueError, match=rf"compiled_step: X must have one row of 2 inputs per sample, got an array "
                                         rf"of shape {re.escape(str(X.shape))}"):
        step(X, np.zeros(2), lr=0.1)
    assert [p.data for p in model.parameters()] == before


def _step_and_weights():
    model = scalar.MLP(2, [2, 1], seed=0)
    return model.compiled_step(lambda s, y: (s - y) * (s - y)), model.parameters()


def test_a_compiled_step_refuses_a_row_of_a_list_shorter_than_the_models_inputs():
    step, params = _step_and_weights()
    before = [p.data for p in params]
    with pytest.raises(ValueError, match=r"compiled_step: row 1 of X has 1 entries; the model takes 2"):
        step([[1.0, 2.0], [3.0]], [0.0, 1.0], lr=0.1)
    assert [p.data for p in params] == before


@pytest.mark.parametrize("lr", [-0.1, 0.0, float("inf")])
def test_a_compiled_step_refuses_a_learning_rate_that_is_not_positive_and_finite(lr):
    step, params = _step_and_weights()
    before = [p.data for p in params]
    with pytest.raises(ValueError, match=r"compiled_step: the learning rate must be positive and finite"):
        step([[1.0, 2.0]], [0.5], lr=lr)
    assert [p.data for p in params] == before


@pytest.mark.parametrize("X, Y", [([[1.0, 2.0]], [0.5, 1.0]), ([[1.0, 2.0], [0.0, 1.0]], [0.5])],
                         ids=["more targets", "fewer targets"])
def test_a_compiled_step_refuses_a_batch_with_another_number_of_targets_than_rows(X, Y):
    step, params = _step_and_weights()
    before = [p.data for p in params]
    with pytest.raises(ValueError, match=rf"compiled_step: X has {len(X)} rows and Y {len(Y)} targets"):
        step(X, Y, lr=0.1)
    assert [p.data for p in params] == before
