"""Seed 002's learning slowdown on the engines, through the public API: a saturated sigmoid output (z = 100, 1000,
target 0) with binary cross-entropy has dC/dz = a - y, never the 0 that clipped probabilities would give; the
quadratic cost keeps its tiny (a - y) sigma'(z)."""

import math

import numpy as np
import pytest

from autograd import Tensor, Value, no_grad
from nn import MLP, losses, scalar


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _softplus(z):
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))      # ln(1 + e^z) without overflow


def _a_minus_y(z, y):
    """sigmoid(z) - y for y in [0, 1] as (1 - y) sigmoid(z) - y sigmoid(-z): at z = 100, y = 1 it is -e^-100 =
    -3.7e-44, which 1.0 - 1.0 rounds to 0."""
    return (1 - y) * _sigmoid(z) - y * _sigmoid(-z)


def _sigmoid_prime(z):
    e = math.exp(-abs(z))
    return e / (1.0 + e) ** 2


def _tensor_neuron(z0):
    model = MLP([1, 1], output_activation="sigmoid")
    return model.set_weights([(np.array([[z0 / 2]]), np.array([z0 / 2]))])     # z = w x + b = z0 at x = 1


def _value_neuron(z0):
    model = scalar.MLP(1, [1], output_activation="sigmoid")
    return model.set_weights([(np.array([[z0 / 2]]), np.array([z0 / 2]))])


@pytest.mark.parametrize("z0", [100.0, 1000.0, -100.0, 3.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_bce_on_a_sigmoid_output_gives_a_minus_y_on_the_tensor_engine(z0, y):
    model = _tensor_neuron(z0)
    L = losses.binary_cross_entropy(model(np.array([[1.0]])), np.array([y]))
    L.backward()
    a_minus_y = _a_minus_y(z0, y)
    assert model.layers[0].bias.grad[0] == pytest.approx(a_minus_y, rel=1e-12, abs=1e-300)    # dC/dz = dC/db
    assert model.layers[0].weight.grad[0, 0] == pytest.approx(a_minus_y, rel=1e-12, abs=1e-300)   # times x = 1
    # softplus(z) - y z, as (1 - y) softplus(z) + y softplus(-z): at z = 100, y = 1 it is e^-100 = 3.7e-44, which
    # the cancelling form max(z, 0) + log1p(e^-|z|) - y z rounds to 0
    exact = (1 - y) * _softplus(z0) + y * _softplus(-z0)
    assert float(L.data) == pytest.approx(exact, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("z0", [100.0, 1000.0, -100.0, 3.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_bce_on_a_sigmoid_output_gives_a_minus_y_on_the_value_engine(z0, y):
    model = _value_neuron(z0)
    L = losses.binary_cross_entropy(model([1.0]), y)
    L.backward()
    n = model.layers[0].neurons[0]
    assert n.b.grad == pytest.approx(_a_minus_y(z0, y), rel=1e-12, abs=1e-300)
    assert n.w[0].grad == pytest.approx(_a_minus_y(z0, y), rel=1e-12, abs=1e-300)


def test_bce_on_k_sigmoid_outputs_and_a_batch_gives_a_minus_y_over_n():
    model = MLP([2, 3], output_activation="sigmoid", seed=0)
    model.set_weights([(np.array([[50.0, 50.0], [-400.0, 0.0], [1.0, -1.0]]), np.zeros(3))])
    X = np.array([[1.0, 1.0], [2.0, 0.5]])
    Y = np.array([[0.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    losses.binary_cross_entropy(model(X), Y, reduction="lectures").backward()   # summed over the K outputs
    Z = X @ model.get_weights()[0][0].T
    A = np.vectorize(_sigmoid)(Z)
    np.testing.assert_allclose(model.layers[0].bias.grad, (A - Y).sum(axis=0) / 2, rtol=1e-12)
    vals = scalar.MLP(2, [3], output_activation="sigmoid").set_weights(model.get_weights())
    L = losses.binary_cross_entropy([vals(list(x)) for x in X], Y, reduction="lectures")
    L.backward()
    np.testing.assert_allclose([n.b.grad for n in vals.layers[0].neurons], (A - Y).sum(axis=0) / 2, rtol=1e-12)


@pytest.mark.parametrize("z0", [100.0, 1000.0])
def test_the_quadratic_cost_keeps_the_slowdown_on_both_engines(z0):
    t = _tensor_neuron(z0)
    losses.quadratic(t(np.array([[1.0]])), np.array([0.0])).backward()
    v = _value_neuron(z0)
    losses.quadratic(v([1.0]), 0.0).backward()
    expected = (_sigmoid(z0) - 0.0) * _sigmoid_prime(z0)                   # (a - y) sigma'(z): 3.7e-44 at 100
    assert t.layers[0].bias.grad[0] == pytest.approx(expected, rel=1e-9, abs=1e-320)
    assert v.layers[0].neurons[0].b.grad == pytest.approx(expected, rel=1e-9, abs=1e-320)
    assert expected < 1e-40


def test_probabilities_without_a_graph_are_clipped_as_documented():
    a = np.array([1.0])                                                      # sigmoid(100) in floats
    assert losses.binary_cross_entropy(a, [0.0]) == pytest.approx(-math.log(1e-12), rel=1e-6)
    with no_grad():
        out = Tensor(np.array([100.0])).sigmoid()
    assert float(losses.binary_cross_entropy(out, [0.0]).data) == pytest.approx(-math.log(1e-12), rel=1e-6)
    p = Value(100.0).sigmoid()                                               # a leaf's sigmoid: a graph node
    assert losses.binary_cross_entropy(p, 0.0).data == pytest.approx(100.0, rel=1e-12)


def test_cross_entropy_on_a_softmax_output_works_from_its_logits():
    X = np.random.default_rng(0).normal(size=(4, 3)) * 200                  # saturated softmax
    y = np.array([0, 1, 2, 1])
    soft = MLP([3, 3], output_activation="softmax", seed=0)
    logits = MLP([3, 3], output_activation="identity", seed=0)
    Ls, Ll = losses.cross_entropy(soft(X), y), losses.cross_entropy(logits(X), y)
    assert float(Ls.data) == pytest.approx(float(Ll.data), rel=1e-12)
    Ls.backward()
    Ll.backward()
    np.testing.assert_allclose(soft.layers[0].weight.grad, logits.layers[0].weight.grad, rtol=1e-12)


def test_the_learning_slowdown_example_shows_it_on_the_engines(tmp_path, monkeypatch):
    import importlib.util
    from pathlib import Path

    from loading import unrasterized
    unrasterized(monkeypatch)                                  # the engines' numbers are under test, not the PNG
    path = Path(__file__).resolve().parent.parent / "examples" / "learning_slowdown.py"
    spec = importlib.util.spec_from_file_location("example_learning_slowdown", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    found = example.main(steps=40, eta=0.5, starts=(100.0,), out_dir=str(tmp_path), show=False)
    hand = found["results"][(100.0, "cross-entropy")]["z"][:40]
    for engine in ("Tensor", "Value"):
        entropy, quadratic = found["engines"][100.0][(engine, "cross-entropy")], \
            found["engines"][100.0][(engine, "quadratic")]
        assert float(entropy["first_gradient"]) == pytest.approx(_sigmoid(100.0), rel=1e-12)     # a - y, y = 0
        np.testing.assert_allclose(entropy["z"], hand, rtol=1e-12, atol=1e-12)
        assert np.all(quadratic["z"] == 100.0)                                                 # stuck
