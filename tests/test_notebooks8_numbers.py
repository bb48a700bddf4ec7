"""The numbers and claims the notebooks print or state, recomputed another way: the printed loss of notebook 01's
small network by numpy backprop written here, notebook 03's "Epoch k: n / 500" lines by counting predict's
answers, its gradient of one mini-batch by nn.backprop's delta rule, and its prose about where cross-entropy's head
start comes from by training the quadratic cost from Xavier's weights. The cells run in this process (no kernel,
no Graphviz: draw builds its picture without rendering it)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest

nbformat = pytest.importorskip("nbformat")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def run_cells(name: str) -> tuple[dict, list[str]]:
    """Execute every code cell of notebooks/<name> in order in one namespace; return it and each cell's stdout."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")   # plt.show() draws nothing and blocks nothing
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    namespace: dict = {"__name__": "__notebook__"}
    printed = []
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(cell.source, f"{name} cell", "exec"), namespace)
        printed.append(out.getvalue())
    return namespace, printed


def test_notebook01_prints_the_loss_at_the_weights_it_trained_to():
    from nn import scalar

    namespace, printed = run_cells("01_neuron_and_graph.ipynb")
    shown = re.search(r"loss after 20 steps: (\S+)", "".join(printed)).group(1)

    # The same run by hand: micrograd's MLP(2, [4, 4, 1]) is ReLU, ReLU, linear; mse = 1/4 sum (o - y)^2; SGD lr 0.05.
    weights = [(W.copy(), b.copy()) for W, b in scalar.MLP(2, [4, 4, 1], seed=0).get_weights()]
    X = np.array([[2.0, 3.0], [3.0, -1.0], [0.5, 1.0], [1.0, 1.0]])
    y = np.array([1.0, -1.0, -1.0, 1.0])

    def loss_and_grads(weights):
        a, z = [X], []
        for l, (W, b) in enumerate(weights):
            z.append(a[-1] @ W.T + b)
            a.append(np.maximum(z[-1], 0.0) if l < len(weights) - 1 else z[-1])
        out = a[-1][:, 0]
        delta = (2.0 / len(y) * (out - y))[:, None]        # d mse / d output
        grads = []
        for l in range(len(weights) - 1, -1, -1):
            grads.insert(0, (delta.T @ a[l], delta.sum(axis=0)))
            if l:
                delta = (delta @ weights[l][0]) * (z[l - 1] > 0)
        return np.mean((out - y) ** 2), grads

    for _ in range(20):
        _, grads = loss_and_grads(weights)
        weights = [(W - 0.05 * gW, b - 0.05 * gb) for (W, b), (gW, gb) in zip(weights, grads)]
    final, _ = loss_and_grads(weights)
    assert shown == f"{final:.4f}"
    assert abs(namespace["loss"].data - final) < 1e-12     # the graph drawn below is the one at these weights


def test_notebook03_numbers_and_its_gradient_of_one_batch():
    from nn import MLP, SGD, backprop, fit, losses, predict

    ns, printed = run_cells("03_mnist.ipynb")
    model, X_train, y_train, X_test, y_test = (ns[k] for k in ("model", "X_train", "y_train", "X_test", "y_test"))
    assert ns["X"].shape == (5000, 784)                     # "5,000 real MNIST digits"
    assert X_train.shape == (2000, 784) and X_test.shape == (500, 784)

    # The last "Epoch k: n / 500" line counts the digits the trained model gets right.
    last = re.findall(r"Epoch (\d+): (\d+) / 500", printed[1])[-1]
    assert last == ("1", str(int(np.sum(predict(model, X_test) == y_test))))

    # The mini-batch graph's backward leaves in the weights that batch's gradient only, as HH19's delta rule gives.
    pairs = [(W.astype(np.float64), b.astype(np.float64)) for W, b in model.get_weights()]
    _, witness = backprop.gradients(pairs, X_train[:10].astype(np.float64), np.eye(10)[y_train[:10]])
    for p, want in zip(model.parameters(), [g for pair in witness for g in pair]):
        np.testing.assert_allclose(p.grad, want, rtol=1e-3, atol=1e-6)

    # "Most of the head start comes from the weights: the quadratic cost from Xavier's weights, at network.py's
    # rate 3.0, learns about as fast (at 0.5 it is far slower)."
    ce, quadratic_n01 = ns["fast"].val_accuracy, ns["history"].val_accuracy
    xavier = {}
    for lr in (3.0, 0.5):
        net = MLP([784, 30, 10], seed=0, dtype=np.float32)
        xavier[lr] = fit(net, X_train, y_train, losses.quadratic, SGD(net.parameters(), lr=lr), epochs=2,
                         batch_size=10, seed=0, validation=(X_test, y_test), progress=False).val_accuracy
    for epoch in range(2):
        assert abs(xavier[3.0][epoch] - ce[epoch]) <= 0.03
        assert ce[epoch] - xavier[3.0][epoch] < (ce[epoch] - quadratic_n01[epoch]) / 2
        assert xavier[0.5][epoch] < ce[epoch] - 0.05


def test_notebook02_training_leaves_the_start_weights_and_classifies_what_it_says():
    from nn import MLP

    ns, printed = run_cells("02_hh19_by_hand.ipynb")
    # "backprop.sgd leaves weights as they were": running the cell again starts from the same weights.
    for (W, b), (W0, b0) in zip(ns["weights"], MLP([2, 2, 3, 2], activation="sigmoid", init="normal",
                                                      seed=0).get_weights()):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    a = ns["X"]
    for W, b in ns["run"].weights:                         # HH19's forward pass, sigmoid in every layer
        a = 1.0 / (1.0 + np.exp(-(a @ W.T + b)))
    right = int(np.sum(a.argmax(axis=1) == ns["Y"].argmax(axis=1)))
    assert f"classified correctly: {right} of 10" in printed[-1]
    cost = 0.5 * np.mean(np.sum((a - ns["Y"]) ** 2, axis=1))
    assert f"cost {cost:.4f}" in printed[-1].splitlines()[-2]   # the last recorded cost is at the final weights
