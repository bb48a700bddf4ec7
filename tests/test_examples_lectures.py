"""The lectures' experiments (examples/), run small: what each one claims is checked with an independent computation
(the Tensor engine, least squares, the formulas), never by the example's own verdict alone."""

import math
import os
import re
from pathlib import Path

import numpy as np
import pytest
from loading import load_example as load

import nn
from nn.data import hh19


def tensor_outputs(weights, X, activation="sigmoid", output_activation=None):
    sizes = [weights[0][0].shape[1], *(W.shape[0] for W, _ in weights)]
    model = nn.MLP(sizes, activation=activation, output_activation=output_activation).set_weights(weights)
    return model(X).data


def test_hh19_netbp_classifies_all_ten_points_and_matches_the_engines(tmp_path, capsys):
    found = load("hh19_netbp").main(iterations=1_000_000, out_dir=str(tmp_path))   # the full lecture run
    X, Y = hh19()
    outputs = tensor_outputs(found["result"].weights, X)                       # the Tensor engine's forward pass
    assert np.array_equal(outputs.argmax(axis=1), Y.argmax(axis=1))           # a1 > a2 exactly for class [1, 0]
    assert found["classified"].all()
    assert found["report"].ok
    assert found["replayed"]["tensor"] < 1e-12 and found["replayed"]["scalar"] < 1e-12
    costs = found["result"].costs
    assert costs[-1] < costs[0] / 1000
    assert costs[-1] == pytest.approx(0.5 * np.mean(np.sum((outputs - Y) ** 2, axis=1)), rel=1e-9)
    assert os.path.getsize(found["figure"]) > 0
    out = capsys.readouterr().out
    assert "classified correctly: 10 of 10" in out and "agree with manual" in out
    fitted = found["fit"]                                                       # the same net through fit(compile=True)
    assert fitted["steps"] == 20_000 and len(fitted["history"].train_loss) == 2_000
    assert fitted["history"].train_loss[-1] < fitted["history"].train_loss[0]
    assert "through fit(..., compile=True)" in out
    shown = re.search(r"^```\n\$ make demo\n(.*?)^```", DOCS_LECTURES.read_text(), re.M | re.S).group(1)
    assert _untimed(shown) == _untimed(out), "docs/lectures.md's 'make demo' output is not what the demo prints"


DOCS_LECTURES = Path(__file__).resolve().parent.parent / "docs" / "lectures.md"


def _untimed(text):
    """The lines of an output with its timings and the figure's folder masked: what a rerun must print again."""
    text = re.sub(r"~?\d+(\.\d+)? (s|us|ms)\b", "<time>", text)
    return [re.sub(r"^figure: .*", "figure: <path>", line.rstrip()) for line in text.strip().splitlines()]


def test_perceptron_rules_learn_the_gates_and_xor_needs_a_hidden_layer(tmp_path):
    found = load("perceptron").main(epochs=50, mlp_iterations=20000, out_dir=str(tmp_path), show=False)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    tables = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}
    for gate, table in tables.items():
        r = found["perceptron"][gate]
        assert r["converged"] and r["mistakes"][-1] == 0
        assert ((X @ r["w"] + r["b"] > 0).astype(int)).tolist() == table       # seed 001's strict step, by hand
        assert np.all(np.abs(X @ r["w"] + r["b"]) > 0)                         # no training point on the line
    xor = found["perceptron"]["XOR"]
    assert not xor["converged"] and min(xor["mistakes"]) > 0 and len(xor["mistakes"]) == 50
    assert ((X @ np.array([-2.0, -2.0]) + 3 >= 0).astype(int)).tolist() == tables["NAND"]
    assert found["lecture_nand"].astype(int).tolist() == tables["NAND"]
    w, b = found["hebb"]                                                        # one pass on -1/+1 codes
    bipolar, t = 2 * X - 1, np.array([-1, -1, -1, 1])
    assert w.tolist() == [float(np.sum(bipolar[:, 0] * t)), float(np.sum(bipolar[:, 1] * t))]
    assert b == float(t.sum()) and np.array_equal(np.sign(bipolar @ w + b), t)
    assert np.all(np.diff(found["hebb_growth"]) > 0)                            # Hebb's weights only grow
    w, b = found["adaline"]
    exact = np.linalg.lstsq(np.column_stack([X, np.ones(4)]), t, rcond=None)[0]  # LMS aims at least squares
    np.testing.assert_allclose([*w, b], exact, atol=0.2)
    assert np.array_equal(np.sign(X @ w + b), t)
    outputs = tensor_outputs(found["mlp"]["weights"], X)[:, 0]
    assert ((outputs > 0.5).astype(int)).tolist() == [0, 1, 1, 0] and found["mlp"]["learned"]


def test_learning_slowdown_quadratic_stays_saturated_while_cross_entropy_learns(tmp_path):
    found = load("learning_slowdown").main(steps=150, eta=0.5, out_dir=str(tmp_path), show=False)
    quadratic = found["results"][(100.0, "quadratic")]["output"]
    entropy = found["results"][(100.0, "cross-entropy")]["output"]
    s = 1 / (1 + math.exp(-100.0))
    assert quadratic[0] == pytest.approx(s, rel=1e-15)
    # one quadratic step moves w and b by eta sigma'(100) (a - 0) ~ 2e-44: z stays 100 to the last bit
    assert np.all(quadratic == quadratic[0])
    # cross-entropy: dC/dw = dC/db = a - 0 ~ 1, so z drops by about 2 eta = 1 a step
    z_after_10 = 100.0 - 2 * 0.5 * 10 * s
    assert entropy[10] == pytest.approx(1 / (1 + math.exp(-z_after_10)), rel=1e-9)
    assert entropy[-1] < 0.05
    z_quadratic = found["results"][(100.0, "quadratic")]["z"]
    z_entropy = found["results"][(100.0, "cross-entropy")]["z"]
    assert np.all(z_quadratic == 100.0)                                        # the figure's flat line
    np.testing.assert_allclose(z_entropy[:11], 100.0 - np.arange(11) * 2 * 0.5 * s, rtol=1e-12)  # falls at once
    assert found["results"][(100.0, "cross-entropy")]["gradient"][0] == pytest.approx(s, rel=1e-15)  # a - y
    assert os.path.getsize(found["figure"]) > 0


def test_cost_of_gradients_counts_edges_nodes_times_edges_and_parameters_times_edges(tmp_path):
    module = load("cost_of_gradients")
    found = module.main(widths=(4, 8, 16), repeats=1, sample=10, exact_up_to=300, batch=2, out_dir=str(tmp_path),
                        show=False)
    ops = module.operations([4, 4, 4, 4], batch=1)
    edges, params = 3 * 16, 3 * 16 + 12
    assert ops["forward pass"] == edges and ops["backprop"] == 3 * edges
    assert ops["numerical"] == 2 * params * edges
    assert ops["forward sensitivities"] == edges + (16 * 4 + 16 * 8) + 4 * 12 + edges   # carried: W^[3], W^[4]
    assert [r["params"] for r in found["rows"]] == [60, 3 * 64 + 24, 3 * 256 + 48]
    assert found["rows"][-1]["estimated"] and not found["rows"][0]["estimated"]
    big = module.operations([1024] * 4, batch=1)
    small = module.operations([512] * 4, batch=1)
    for method, power in (("backprop", 2), ("forward sensitivities", 3), ("numerical", 4)):
        assert math.log2(big[method] / small[method]) == pytest.approx(power, abs=0.01)
    assert all(r[m] > 0 for r in found["rows"] for m in ("backprop", "forward sensitivities", "numerical"))
    assert os.path.getsize(found["figure"]) > 0


def test_universal_approximation_a_wider_hidden_layer_fits_sin_better(tmp_path):
    found = load("universal_approximation").main(widths=(1, 6), steps=1500, starts=1, out_dir=str(tmp_path),
                                                 show=False)
    grid = np.linspace(-np.pi, np.pi, 2001)[:, None]
    errors = [float(np.max(np.abs(np.sin(grid) - tensor_outputs(r["weights"], grid, "tanh", "identity"))))
              for r in found["results"]]
    assert errors == pytest.approx([r["max_error"] for r in found["results"]], rel=1e-9)
    assert errors[0] > 0.5                      # one tanh cannot bend back down: sin(pi) = 0 but tanh saturates
    assert errors[1] < errors[0] / 5
    assert os.path.getsize(found["figure"]) > 0
