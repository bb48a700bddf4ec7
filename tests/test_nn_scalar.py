"""nn.scalar: Neuron, Layer and MLP of Values; the worked AND neuron; weights in HH19 layout; helpful errors."""

import numpy as np
import pytest

from autograd import Value
from autograd.graph import scope_of
from nn import SGD, losses, scalar


def test_the_worked_and_neuron_by_hand():
    # 004: w1 = w2 = b = 0, sigmoid, input (0, 1), target 0: O = 0.5, E = 0.125, dE/dO = 0.5, dO/dS = 0.25,
    # dE/dw1 = 0 (its input is 0), dE/dw2 = dE/db = 0.125; one step at rate 0.1 leaves w1 at 0.
    n = scalar.Neuron(2, "sigmoid", w=[0.0, 0.0], b=0.0)
    out = n([0.0, 1.0])
    E = losses.quadratic([out], [0.0])
    E.backward()
    assert (out.data, E.data) == (0.5, 0.125)
    assert [w.grad for w in n.w] == [0.0, 0.125] and n.b.grad == 0.125
    SGD(n.parameters(), lr=0.1).step()
    assert n.w[0].data == 0.0 and n.w[1].data == pytest.approx(-0.0125) and n.b.data == pytest.approx(-0.0125)


def test_a_neuron_is_sigma_of_b_plus_w_dot_x():
    n = scalar.Neuron(3, "tanh", w=[0.5, -1.0, 2.0], b=0.25)
    assert n([1.0, 2.0, 3.0]).data == pytest.approx(np.tanh(0.25 + 0.5 - 2.0 + 6.0), rel=1e-15)


def test_mlp_returns_a_value_for_one_output_and_a_list_for_several():
    one, two = scalar.MLP(2, [3, 1], seed=0), scalar.MLP(2, [3, 2], seed=0)
    assert isinstance(one([1.0, 2.0]), Value)
    out = two(np.array([1.0, 2.0]))
    assert isinstance(out, list) and len(out) == 2 and all(isinstance(v, Value) for v in out)


def test_mlp_accepts_values_as_inputs_and_differentiates_through_them():
    model = scalar.MLP(2, [3, 1], activation="tanh", seed=0)
    x = [Value(0.3), Value(-0.2)]
    model(x).backward()
    assert x[0].grad != 0.0 and x[1].grad != 0.0


def test_micrograd_defaults_relu_hidden_and_linear_output():
    model = scalar.MLP(2, [16, 16, 1])
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "identity"]
    assert model.output_activation == "identity"


def test_get_weights_is_hh19_layout_and_set_weights_inverts_it():
    model = scalar.MLP(2, [2, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=0)
    weights = model.get_weights()
    assert [(W.shape, b.shape) for W, b in weights] == [((2, 2), (2,)), ((3, 2), (3,)), ((2, 3), (2,))]
    W, b = weights[1]
    assert W[2, 1] == model.layers[1].neurons[2].w[1].data and b[2] == model.layers[1].neurons[2].b.data
    rng = np.random.default_rng(5)
    new = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in weights]
    model.set_weights(new)
    for (W, b), (V, c) in zip(new, model.get_weights()):
        assert np.array_equal(W, V) and np.array_equal(b, c)
    # z^[2] = W^[2] x + b^[2], a = sigmoid(z): the first layer by hand
    x = np.array([0.1, 0.4])
    a2 = 1.0 / (1.0 + np.exp(-(new[0][0] @ x + new[0][1])))
    np.testing.assert_allclose([v.data for v in model.layers[0](x.tolist())], a2, rtol=1e-15)


def test_set_weights_names_the_layer_and_the_shapes():
    model = scalar.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match=r"got 1 \(W, b\) pairs for a network with 2 layers"):
        model.set_weights([(np.zeros((3, 2)), np.zeros(3))])
    with pytest.raises(ValueError, match=r"W of layer 0 has shape \(2, 3\), expected \(3, 2\).*transpose"):
        model.set_weights([(np.zeros((2, 3)), np.zeros(3)), (np.zeros((1, 3)), np.zeros(1))])
    with pytest.raises(ValueError, match=r"b of layer 1 has shape \(1, 1\), expected \(1,\).*b.ravel\(\)"):
        model.set_weights([(np.zeros((3, 2)), np.zeros(3)), (np.zeros((1, 3)), np.zeros((1, 1)))])


def test_parameters_carry_labels_and_outputs_carry_their_scope():
    model = scalar.MLP(2, [3, 2], seed=0)
    n = model.layers[1].neurons[1]
    assert n.w[2].label == "W1[1,2]" and n.b.label == "b1[1]"
    out = model([0.5, 0.5])
    assert scope_of(out[1]) == ("layers.1", "neurons.1")
    hidden = model.layers[0]([0.5, 0.5])
    assert [scope_of(h) for h in hidden] == [("layers.0", f"neurons.{j}") for j in range(3)]


def test_same_seed_same_weights_and_a_generator_continues():
    a, b = scalar.MLP(2, [4, 1], seed=7), scalar.MLP(2, [4, 1], seed=7)
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(a.get_weights(), b.get_weights()))
    rng = np.random.default_rng(7)
    c, d = scalar.MLP(2, [4, 1], seed=rng), scalar.MLP(2, [4, 1], seed=rng)
    assert np.array_equal(c.get_weights()[0][0], a.get_weights()[0][0])
    assert not np.array_equal(d.get_weights()[0][0], c.get_weights()[0][0])


def test_wrong_inputs_say_what_was_expected():
    model = scalar.MLP(3, [2])
    with pytest.raises(ValueError, match="expected 3 inputs, got 2"):
        model([1.0, 2.0])
    with pytest.raises(ValueError, match=r"shape \(5, 3\).*once per row"):
        model(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="expected a list of 3 inputs, got 1"):
        model.layers[0]([1.0])
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        scalar.Neuron(2)([1.0, 2.0, 3.0])


def test_activation_errors_name_the_known_ones_and_step_has_no_gradient():
    with pytest.raises(ValueError, match="unknown activation 'swish'; known activations: identity, relu"):
        scalar.MLP(2, [1], activation="swish")
    with pytest.raises(ValueError, match="'step' has no gradient.*perceptron"):
        scalar.Neuron(2, "step")


def test_the_tensor_mlps_signature_is_pointed_out():
    with pytest.raises(TypeError, match=r"scalar MLP takes micrograd's MLP\(n_in, \[n_1, ..., n_L\]\).*"
                                        r"scalar.MLP\(2, \[16, 1\]\)"):
        scalar.MLP([2, 16, 1])
    with pytest.raises(TypeError, match=r"sizes must be a list of layer sizes.*got 3"):
        scalar.MLP(2, 3)


def test_setting_a_scalar_mlps_activations_later_changes_what_its_neurons_compute():
    # model.activation = "tanh" changed describe() (and the saved description) but every neuron kept its ReLU
    import math

    from nn.scalar import MLP as ScalarMLP
    model = ScalarMLP(2, [3, 1], activation="relu", seed=0)
    x = [0.5, -0.3]
    model.activation, model.output_activation = "tanh", "sigmoid"
    hidden = [math.tanh(n.b.data + sum(w.data * xi for w, xi in zip(n.w, x))) for n in model.layers[0].neurons]
    out = model.layers[1].neurons[0]
    z = out.b.data + sum(w.data * h for w, h in zip(out.w, hidden))
    assert abs(model(x).data - 1 / (1 + math.exp(-z))) < 1e-15
    assert model.describe().endswith("activation='tanh', output_activation='sigmoid')")
    assert [n.activation for layer in model.layers for n in layer.neurons] == ["tanh"] * 3 + ["sigmoid"]
