"""nn.layers: Linear and the tensor MLP; initialisers; and that the scalar and tensor MLPs with the same weights
give the same outputs and gradients to 1e-12."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor
from autograd.graph import scope_of
from nn import MLP, Linear, init, losses, scalar


def test_linear_is_x_w_transpose_plus_b_with_weight_out_by_in():
    layer = Linear(3, 2, seed=0)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (2,)
    X = np.random.default_rng(1).normal(size=(4, 3))
    np.testing.assert_allclose(layer(X).data, X @ layer.weight.data.T + layer.bias.data, rtol=1e-15)
    assert layer(X[0]).shape == (2,)                                     # one sample as a 1-D array


def test_hh19_network_has_sigmoid_in_every_layer_by_default():
    model = MLP([2, 2, 3, 2], activation="sigmoid", init="normal", seed=0)
    assert model.output_activation == "sigmoid"
    x = np.array([[0.1, 0.1]])
    a = x.T
    for W, b in model.get_weights():                                    # a^[l] = sigma(W^[l] a^[l-1] + b^[l])
        a = 1.0 / (1.0 + np.exp(-(W @ a + b[:, None])))
    np.testing.assert_allclose(model(x).data, a.T, rtol=1e-14)


def test_output_activation_identity_gives_logits():
    model = MLP([4, 5, 3], activation="relu", output_activation="identity", seed=0)
    (W1, b1), (W2, b2) = model.get_weights()
    x = np.random.default_rng(0).normal(size=(2, 4))
    np.testing.assert_allclose(model(x).data, np.maximum(x @ W1.T + b1, 0) @ W2.T + b2, rtol=1e-14)


def test_layer_outputs_carry_their_scope():
    model = MLP([2, 3, 1], seed=0)
    assert scope_of(model(np.zeros((1, 2)))) == ("layers.1",)
    assert scope_of(model.layers[0](np.zeros((1, 2)))) == ("layers.0",)


def test_get_and_set_weights_round_trip_and_check_shapes():
    model = MLP([2, 3, 1], seed=0)
    pairs = [(W + 1.0, b - 1.0) for W, b in model.get_weights()]
    model.set_weights(pairs)
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(pairs, model.get_weights()))
    pairs[0][0][0, 0] = 123.0                                            # get_weights copies; so does set
    assert model.get_weights()[0][0][0, 0] != 123.0
    with pytest.raises(ValueError, match=r"W of layer 1 has shape \(3, 1\), expected \(1, 3\)"):
        model.set_weights([pairs[0], (np.zeros((3, 1)), np.zeros(1))])


def test_wrong_input_width_is_reported_with_the_shape():
    with pytest.raises(ValueError, match=r"input of shape \(5, 3\) does not fit 2 inputs"):
        MLP([2, 3])(np.zeros((5, 3)))


@pytest.mark.parametrize("name, std", [("he", lambda n_in, n_out: np.sqrt(2 / n_in)),
                                       ("xavier", lambda n_in, n_out: np.sqrt(2 / (n_in + n_out))),
                                       ("normal", lambda n_in, n_out: 0.5),
                                       ("uniform", lambda n_in, n_out: 1 / np.sqrt(3))])
def test_initialisers_draw_the_documented_spread(name, std):
    W, b = init.get(name)(np.random.default_rng(0), 200, 300)
    assert W.shape == (200, 300) and abs(W.mean()) < 0.01
    assert W.std() == pytest.approx(std(300, 200), rel=0.02)
    assert (b.std() == pytest.approx(0.5, rel=0.2)) if name == "normal" else not b.any()


def test_default_initialiser_is_he_for_relu_and_xavier_otherwise():
    assert init.get(None, "relu") is init.he and init.get(None, "tanh") is init.xavier
    with pytest.raises(ValueError, match="unknown initialiser 'glorot'; known: he, normal"):
        init.get("glorot")
    bad = lambda rng, n_out, n_in: (np.zeros((n_in, n_out)), np.zeros(n_out))  # noqa: E731
    with pytest.raises(ValueError, match=r"returned W of shape \(2, 3\).*needs W of shape \(3, 2\)"):
        MLP([2, 3], init=bad)


def test_same_seed_same_weights_on_both_engines():
    for kwargs in ({}, {"init": "normal"}, {"init": init.uniform(0.3)}):
        t = MLP([2, 5, 3], activation="relu", output_activation="identity", seed=11, **kwargs)
        s = scalar.MLP(2, [5, 3], activation="relu", output_activation="identity", seed=11, **kwargs)
        for (W, b), (V, c) in zip(t.get_weights(), s.get_weights()):
            assert np.array_equal(W, V) and np.array_equal(b, c)


def _scalar_grads(model):
    return [(np.array([[w.grad for w in n.w] for n in layer.neurons]), np.array([n.b.grad for n in layer.neurons]))
            for layer in model.layers]


ACTS = ["sigmoid", "tanh", "relu", "softplus", "identity"]


@settings(max_examples=15)
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4), activation=st.sampled_from(ACTS),
       output=st.sampled_from(ACTS), n=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_scalar_and_tensor_mlp_agree_on_outputs_and_gradients(sizes, activation, output, n, seed):
    rng = np.random.default_rng(seed)
    t = MLP(sizes, activation=activation, output_activation=output, init="normal", seed=seed)
    s = scalar.MLP(sizes[0], sizes[1:], activation=activation, output_activation=output).set_weights(
        t.get_weights())
    X = rng.normal(size=(n, sizes[0]))
    Y = rng.normal(size=(n, sizes[-1]))
    out_t = t(Tensor(X))
    out_s = [s(x) for x in X]
    values = np.array([[v.data for v in o] if isinstance(o, list) else [o.data] for o in out_s])
    np.testing.assert_allclose(values, out_t.data, rtol=1e-12, atol=1e-12)
    losses.quadratic(out_t, Y).backward()
    losses.quadratic(out_s if sizes[-1] > 1 else [[o] for o in out_s], Y).backward()
    for layer, (gW, gb) in zip(t.layers, _scalar_grads(s)):
        np.testing.assert_allclose(gW, layer.weight.grad, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(gb, layer.bias.grad, rtol=1e-12, atol=1e-12)


def test_engines_agree_on_cross_entropy_gradients_of_a_classifier():
    t = MLP([4, 6, 3], activation="tanh", output_activation="identity", seed=3)
    s = scalar.MLP(4, [6, 3], activation="tanh", output_activation="identity").set_weights(t.get_weights())
    X, y = np.random.default_rng(3).normal(size=(5, 4)), np.array([0, 2, 1, 2, 0])
    lt, ls = losses.cross_entropy(t(X), y), losses.cross_entropy([s(x) for x in X], y)
    lt.backward()
    ls.backward()
    assert ls.data == pytest.approx(lt.item(), rel=1e-13)
    for layer, (gW, gb) in zip(t.layers, _scalar_grads(s)):
        np.testing.assert_allclose(gW, layer.weight.grad, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(gb, layer.bias.grad, rtol=1e-12, atol=1e-13)


def test_the_scalar_mlps_signature_is_pointed_out():
    with pytest.raises(TypeError, match=r"MLP takes one list \[n_in, n_1, ..., n_L\].*MLP\(\[2, 16, 1\]\)"):
        MLP(2, [16, 1])
    with pytest.raises(TypeError, match=r"MLP takes one list"):
        MLP(3)


def test_a_weight_has_one_index_in_all_its_names():
    model = MLP([2, 2, 3, 2], seed=0)
    named = dict(model.named_parameters())
    for l, (W, b) in enumerate(model.get_weights()):
        weight, bias = named[f"layers.{l}.weight"], named[f"layers.{l}.bias"]
        assert weight is model.layers[l].weight and (weight.name, bias.name) == (f"W{l}", f"b{l}")
        assert np.array_equal(weight.data, W) and np.array_equal(bias.data, b)


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh", "softplus"])
def test_a_hidden_layer_is_one_fused_node_with_the_numbers_of_linear_then_its_activation(activation):
    from autograd import Tensor, linear

    model = MLP([3, 4, 2], activation=activation, output_activation="identity", seed=1)
    X = np.random.default_rng(2).standard_normal((5, 3))
    out = model(Tensor(X))
    assert out.parents[0].op == f"linear+{activation}"                  # the hidden layer: one node
    (out * out).sum().backward()
    fused = [p.grad.copy() for p in model.parameters()]
    (W1, b1), (W2, b2) = [(layer.weight, layer.bias) for layer in model.layers]
    for p in model.parameters():
        p.zero_grad()
    a1 = getattr(linear(Tensor(X), W1, b1), activation)()               # the same, as two nodes
    out2 = linear(a1, W2, b2)
    np.testing.assert_array_equal(out2.data, out.data)
    (out2 * out2).sum().backward()
    for want, p in zip(fused, model.parameters()):
        np.testing.assert_array_equal(p.grad, want)                     # bit for bit


def test_a_linear_layer_too_large_to_hold_is_refused_naming_linear():
    with pytest.raises(ValueError, match=r"^Linear: a layer of n_in=10{400} inputs and n_out=3 outputs"):
        Linear(10 ** 400, 3)                                            # found by test_fuzz_nn


def test_an_mlp_with_a_softmax_over_one_output_is_refused():
    # softmax over one output is e^z / e^z = 1 for every input and weight: the model "trains" with every gradient 0
    model = MLP([2, 2], output_activation="softmax", seed=0)
    assert np.allclose(model(np.array([[3.0, -1.0]])).data.sum(axis=1), 1.0)       # two outputs: a distribution
    with pytest.raises(ValueError, match="softmax over one output is 1 whatever the weights"):
        MLP([2, 1], output_activation="softmax")


@pytest.mark.parametrize("bad", [np.array([[1 + 5j, 0.0]]), [["1.5", "0"]], np.ma.masked_array([[1.0, 2.0]], [[0, 1]])],
                         ids=["complex", "strings", "masked"])
def test_set_weights_refuses_weights_that_are_not_plain_real_numbers(bad):
    # np.asarray(W, dtype=float) dropped 1 + 5j's imaginary part (a ComplexWarning only) and parsed "1.5": the
    # model ran with weights nobody gave it; the scalar MLP refuses both, and so does this one now
    model = MLP([2, 1], seed=0)
    before = [w.copy() for pair in model.get_weights() for w in pair]
    with pytest.raises(TypeError, match=r"MLP.set_weights: W of layer 0"):
        model.set_weights([(bad, np.zeros(1))])
    assert all((a == b).all() for a, b in zip(before, [w for pair in model.get_weights() for w in pair]))


def test_setting_an_mlps_activation_later_changes_what_it_computes_as_what_it_describes():
    # model.activation = "tanh" changed describe(), save's marker and to_torch, but forward kept the sigmoid
    model = MLP([3, 4, 2], activation="sigmoid", output_activation="identity", seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    (W1, b1), (W2, b2) = model.get_weights()
    model.activation = "tanh"
    model.output_activation = "sigmoid"
    expected = 1 / (1 + np.exp(-(np.tanh(X @ W1.T + b1) @ W2.T + b2)))
    np.testing.assert_allclose(model(X).data, expected, rtol=1e-14)
    assert "activation='tanh'" in model.describe() and "output_activation='sigmoid'" in model.describe()
    with pytest.raises(ValueError, match="unknown activation 'tan'"):
        model.activation = "tan"
    with pytest.raises(ValueError, match="a softmax over one output"):
        MLP([3, 1]).output_activation = "softmax"


def test_an_mlp_whose_layer_list_grew_after_it_was_built_refuses_to_run_instead_of_skipping_the_new_layer():
    model = MLP([3, 4, 2], seed=0)
    model.layers.append(Linear(2, 1))                # zip(layers, activations) dropped it silently
    with pytest.raises(ValueError, match=r"MLP: 3 layers for the 2 of sizes \[3, 4, 2\]"):
        model(np.zeros((1, 3)))
