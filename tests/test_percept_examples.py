"""The perceptron examples on the arguments their command lines accept: a run too short for a gate to converge
draws that gate without a line (it used to stop with a KeyError), and the example's own perceptron follows
W <- W + eta (d - y) x."""

from __future__ import annotations

import contextlib
import io
import os

import numpy as np
import pytest
from loading import load_example, unrasterized

from nn.perceptrons import sign_perceptron

X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


@pytest.mark.parametrize("epochs", [1, 3])
def test_perceptron_example_with_too_few_epochs_runs_and_says_not_learned(epochs, tmp_path, monkeypatch):
    # AND from W = 0 needs more than 3 epochs: --epochs 1 ... 3 stopped the run with KeyError: 'perceptron AND'
    module = load_example("perceptron")
    saved = unrasterized(monkeypatch)                            # drawn in full, not rasterized (see loading.py)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        found = module.main(epochs=epochs, mlp_iterations=10, out_dir=str(tmp_path))
    assert saved == [found["figure"]] and os.path.isdir(os.path.dirname(found["figure"]))
    d_and = np.array([0, 0, 0, 1])
    by_rule = sign_perceptron(X01, 2 * d_and - 1, epochs=epochs)
    assert not by_rule.converged                                 # the case this test is about
    assert "perceptron AND   NOT learned" in out.getvalue()
    assert "perceptron AND" not in found["lines"]                 # no line drawn for a gate not learned


@pytest.mark.parametrize("eta", [1.0, 0.25, 3.0])
@pytest.mark.parametrize("d", [[0, 0, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0], [0, 1, 1, 0]])
def test_perceptron_example_rule_by_hand(eta, d):
    """W <- W + eta (d - y) x, y = 1 for W.x > 0, and a point on the line (W.x = 0) wrong whatever d: written out."""
    W = [0.0, 0.0, 0.0]
    history = []
    for _ in range(20):
        wrong = 0
        for (x1, x2), target in zip(X01.tolist(), d):
            z = W[0] * x1 + W[1] * x2 + W[2]
            y = (1 - target) if z == 0 else (1 if z > 0 else 0)
            if y != target:
                wrong += 1
                W = [W[0] + eta * (target - y) * x1, W[1] + eta * (target - y) * x2, W[2] + eta * (target - y)]
        history.append(wrong)
        if wrong == 0:
            break
    r = load_example("perceptron").perceptron(X01, np.array(d, dtype=float), eta=eta, epochs=20)
    assert r["w"].tolist() == W[:2] and r["b"] == W[2] and r["mistakes"] == history
