"""The issue-12 examples, run small: the seeds' numbers asserted exactly where the seeds give them, the rest checked
against an independent computation."""

import math
import os
from fractions import Fraction

import numpy as np
import pytest
from loading import load_example as load

import nn
from nn.backprop import forward

X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def test_logic_networks_gates_dnf_polygons_and_pulses(tmp_path):
    found = load("logic_networks").main(sides=(4, 6, 16, 64), ks=(4, 16), grid=121, out_dir=str(tmp_path),
                                        show=False)
    g = found["gates"]
    assert g["AND"] == [0, 0, 0, 1] and g["OR"] == [0, 1, 1, 1] and g["NAND"] == [1, 1, 1, 0]
    assert g["XOR"] == [0, 1, 1, 0] and g["NOT"] == [1, 0]
    assert found["seed_001"]["sizes"] == [5, 6, 1] and found["seed_001"]["exact"]
    poly = found["polygons"]
    for k in (4, 6, 16, 64):
        assert poly["exact_area"][k] == pytest.approx(k * math.tan(math.pi / k))
        assert poly["area"][k] == pytest.approx(poly["exact_area"][k], rel=0.05)
    assert poly["union_sizes"][0] == 2 and len(poly["union_sizes"]) == 4          # three layers of units
    errors = found["pulses"]["error"]
    assert errors[16] < errors[4]
    assert all(os.path.getsize(f) > 0 for f in found["figures"])


def test_rbf_xor_by_construction_is_exact_and_learned(tmp_path):
    found = load("rbf").main(epochs=800, K=8, fit_epochs=600, out_dir=str(tmp_path), show=False)
    c = found["constructed"]
    np.testing.assert_allclose(c["outputs"], [0, 1, 1, 0], atol=1e-14)
    e = math.exp(-1.0)
    np.testing.assert_allclose(c["features"], [[1, e * e], [e, e], [e, e], [e * e, 1]], rtol=1e-15)
    assert found["learned"]["learned"]
    net = found["learned"]["net"]
    C, s = net.rbf.centres.data, net.rbf.widths.data
    phi = np.exp(-((X01[:, None, :] - C[None]) ** 2).sum(axis=2) / (2 * s ** 2))  # by hand
    np.testing.assert_allclose(net(X01).data, phi @ net.output.weight.data.T + net.output.bias.data, rtol=1e-12)
    assert found["function"]["max_error"] < 0.1
    assert os.path.getsize(found["figure"]) > 0


def test_xor_least_squares_feature_map_mlp_and_symmetry(tmp_path):
    found = load("xor").main(epochs=2000, out_dir=str(tmp_path), show=False)
    assert found["least_squares"]["theta"] == [Fraction(0), Fraction(0), Fraction(1, 2)]   # seed 003's numbers
    np.testing.assert_allclose(found["least_squares"]["numpy"], [0, 0, 0.5], atol=1e-15)
    fm = found["feature_map"]
    assert fm["H"].tolist() == [[0, 0], [1, 0], [1, 0], [2, 1]] and fm["y"].tolist() == [0, 1, 1, 0]
    lr = found["learned"]
    assert lr["learned"] and lr["engines_differ_by"] < 1e-12
    tensor_out = nn.MLP([2, 2, 1], activation="sigmoid").set_weights(lr["weights"])(X01).data[:, 0]
    np.testing.assert_allclose(tensor_out, forward(lr["weights"], X01).output[:, 0], rtol=1e-14)
    for key in ("zero", "constant"):
        z = found[key]
        assert max(z["gap"]) == 0 and z["units_equal"] and not z["learned"]
    assert not found["zero"]["moved"] and found["constant"]["moved"]
    assert all(np.all(dW == 0) and np.all(db == 0) for dW, db in found["zero"]["first_gradient"])


def test_row_network_reproduces_seed_004(tmp_path):
    found = load("row_network").main(epochs=3000, out_dir=str(tmp_path), show=False)
    a = found["and"]
    assert (a["O"], a["E"], a["dE_dO"], a["dO_dS"]) == (0.5, 0.125, 0.5, 0.25)
    assert a["dE_dw"] == [0.0, 0.125] and a["dE_db"] == 0.125 and a["w1_after"] == 0.0
    assert found["xor"]["difference"] < 1e-14 and found["xor"]["learned"]


def test_perceptron_family_lines_never_pass_through_a_training_point(tmp_path):
    found = load("perceptron_family").main(out_dir=str(tmp_path), show=False)
    X, t = found["X"], found["t"]
    for key in ("sign", "batch"):
        z = np.column_stack([X, np.ones(len(X))]) @ found[key].W
        assert found[key].converged and np.all(np.sign(z) == t) and found["closest"][key] > 0
    assert not found["xor_sign"].converged
    m = found["madaline"]
    assert m.converged and m(X01).tolist() == [-1, 1, 1, -1]


def test_cost_of_gradients_one_sided_against_central():
    d = load("cost_of_gradients").one_sided_vs_central()
    P = d["params"]
    assert d["forward"]["passes"] == P + 1 and d["central"]["passes"] == 2 * P
    assert d["central"]["error"] < d["forward"]["error"] / 10


def test_posterior_and_kl(tmp_path):
    found = load("posterior_kl").main(epochs=300, out_dir=str(tmp_path), show=False)
    ps = found["posterior"]
    assert ps["bayes"] == pytest.approx((2.5, -(1.5 ** 2 - 1) / 2 + math.log(0.3 / 0.7)))
    assert ps["learned"] == pytest.approx(ps["bayes"], abs=0.25)
    for r in found["kl"]["rows"]:
        assert r["cross"] - r["kl"] == pytest.approx(r["entropy"], abs=1e-12)
        np.testing.assert_allclose(r["g_cross"], r["g_kl"], atol=1e-15)
    h = found["kl"]["hard"]
    assert h["entropy"] == 0 and h["cross"] == pytest.approx(h["kl"], abs=1e-15)
    assert h["library"] == pytest.approx(h["cross"], rel=1e-14)
