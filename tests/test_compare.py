"""nn.compare: the delta rule, both engines, forward sensitivities and central differences agree; a wrong manual
gradient is caught and pointed at its layer, from Python and from the command line."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn import MLP, scalar
from nn.backprop import gradients
from nn.compare import compare_gradients, main, numerical_gradients

HH19_X = np.column_stack([[0.1, 0.3, 0.1, 0.6, 0.4, 0.6, 0.5, 0.9, 0.4, 0.7],
                          [0.1, 0.4, 0.5, 0.9, 0.2, 0.3, 0.6, 0.2, 0.4, 0.6]])
HH19_Y = np.array([[1.0, 0.0]] * 5 + [[0.0, 1.0]] * 5)


def hh19_weights(seed=5000):
    rng = np.random.default_rng(seed)
    return [(0.5 * rng.standard_normal((m, n)), 0.5 * rng.standard_normal(m)) for n, m in [(2, 2), (2, 3), (3, 2)]]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forgot_sigma_prime(weights, X, Y):
    """Nielsen's readers' mistake: delta^[L] = a^[L] - y with the quadratic cost (sigma' left out)."""
    a, zs = [X.T], []
    for W, b in weights:
        zs.append(W @ a[-1] + b[:, None])
        a.append(sigmoid(zs[-1]))
    N = X.shape[0]
    delta = a[-1] - Y.T                                           # wrong: should be sigma'(z^[L]) o (a^[L] - y)
    grads = []
    for l in range(len(weights) - 1, -1, -1):
        grads.append((delta @ a[l].T / N, delta.sum(axis=1) / N))
        if l:
            s = sigmoid(zs[l - 1])
            delta = s * (1 - s) * (weights[l][0].T @ delta)
    return 0.5 * np.mean(np.sum((a[-1] - Y.T) ** 2, axis=0)), grads[::-1]


def hidden_delta_without_sigma_prime(weights, X, Y):
    """Right at the output, wrong at layer 2 only: delta^[2] = (W^[3])^T delta^[3] without sigma'(z^[2])."""
    C, grads = gradients(weights, X, Y)
    (W2, b2), (W3, b3) = weights
    z2 = X @ W2.T + b2
    a2 = sigmoid(z2)
    a3 = sigmoid(a2 @ W3.T + b3)
    d3 = a3 * (1 - a3) * (a3 - Y)
    d2 = d3 @ W3                                                  # wrong: sigma'(z^[2]) o ... left out
    return C, [((d2.T @ X) / len(X), d2.mean(axis=0)), grads[1]]


# --- agreement -----------------------------------------------------------------------------------------------------
@given(st.lists(st.integers(1, 3), min_size=2, max_size=4), st.sampled_from(["sigmoid", "tanh", "softplus", "relu",
                                                                              "identity"]),
       st.sampled_from(["quadratic", "mse", "cross_entropy", "binary_cross_entropy"]), st.integers(1, 3),
       st.integers(0, 10**6))
def test_manual_tensor_scalar_forward_agree_to_1e12_and_numerical_to_1e6(sizes, activation, cost, N, seed):
    if cost == "cross_entropy" and sizes[-1] == 1:
        sizes = [*sizes[:-1], 2]                                  # a softmax over one class is the constant 1
    rng = np.random.default_rng(seed)
    weights = [(0.8 * rng.standard_normal((m, n)), 0.8 * rng.standard_normal(m)) for n, m in zip(sizes, sizes[1:])]
    X = rng.standard_normal((N, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], N)] if cost == "cross_entropy" else rng.uniform(0, 1, (N,
                                                                                                           sizes[-1]))
    report = compare_gradients(weights, X, Y, activation=activation, cost=cost)
    assert report.ok, str(report)
    for row in report.rows:
        assert row.max_abs <= (1e-6 if row.method == "numerical" else 1e-12), str(report)
    for method, C in report.costs.items():
        assert C == pytest.approx(report.costs["manual"], rel=1e-12, abs=1e-14), method


def test_numerical_gradients_are_central_differences_of_the_cost():
    weights = [(np.zeros((1, 2)), np.zeros(1))]                   # seed 004's AND neuron
    C, [(dW, db)] = numerical_gradients(weights, np.array([0.0, 1.0]), np.array([0.0]))
    assert C == 0.125
    np.testing.assert_allclose(dW, [[0.0, 0.125]], atol=1e-10)
    np.testing.assert_allclose(db, [0.125], atol=1e-10)


def test_a_model_of_either_engine_gives_its_weights_and_activations():
    model = MLP([2, 3, 2], activation="tanh", output_activation="sigmoid", seed=1)
    report = compare_gradients(model, HH19_X, HH19_Y, methods=("manual", "tensor"))
    assert report.ok and report.costs["manual"] == pytest.approx(report.costs["tensor"], rel=1e-13)
    expected = gradients(model.get_weights(), HH19_X, HH19_Y, activation="tanh", output_activation="sigmoid")
    np.testing.assert_array_equal(report.gradients["manual"][0][0], expected[1][0][0])
    logits = scalar.MLP(2, [3, 2], activation="tanh", seed=1)     # identity output: logits for cross-entropy
    report = compare_gradients(logits, HH19_X, HH19_Y, cost="cross_entropy", methods=("manual", "scalar"))
    assert report.ok, str(report)


# --- the wrong gradient --------------------------------------------------------------------------------------------
def test_sigma_prime_left_out_of_the_output_delta_is_caught_at_the_output_layer():
    report = compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=forgot_sigma_prime)
    assert not report.ok
    first = report.failures()[0]
    assert (first.layer, first.parameter) == (4, "W")
    assert "MISMATCH at layer 4 (W^[4]): manual differs from tensor by" in str(report)
    assert report.costs["manual"] == pytest.approx(report.costs["tensor"], rel=1e-13)   # the forward pass is fine
    assert "COST MISMATCH" not in str(report)
    right = gradients(hh19_weights(), HH19_X, HH19_Y)[1][2][0]
    wrong = forgot_sigma_prime(hh19_weights(), HH19_X, HH19_Y)[1][2][0]
    assert first.max_abs == pytest.approx(np.abs(wrong - right).max(), rel=1e-9)  # the size it reports is real


def test_a_mistake_in_a_hidden_delta_is_pointed_at_that_layer_only():
    weights = hh19_weights()[:2]
    weights[1] = (weights[1][0][:2], weights[1][1][:2])           # a 2-2-2 net
    report = compare_gradients(weights, HH19_X, HH19_Y, manual=hidden_delta_without_sigma_prime)
    failing = {(r.layer, r.parameter) for r in report.failures()}
    assert failing == {(2, "W"), (2, "b")}
    assert "MISMATCH at layer 2 (W^[2])" in report.verdict()


def test_a_wrong_cost_is_reported_as_a_cost_mismatch():
    def doubled_cost(weights, X, Y):
        C, grads = gradients(weights, X, Y)
        return 2 * C, grads
    report = compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=doubled_cost, methods=("manual", "tensor"))
    assert not report.ok and report.cost_mismatches() == ["tensor"]
    assert "COST MISMATCH" in str(report)


def test_manual_gets_the_keywords_it_declares_and_bad_shapes_are_explained():
    seen = {}

    def student(weights, X, Y, cost="quadratic", activation="sigmoid"):
        seen.update(cost=cost, activation=activation)
        return gradients(weights, X, Y, activation=activation, cost=cost)
    assert compare_gradients(hh19_weights(), HH19_X, HH19_Y, activation="tanh", cost="mse",
                             methods=("manual", "forward"), manual=student).ok
    assert seen == {"cost": "mse", "activation": "tanh"}

    def one_layer_short(weights, X, Y):
        C, grads = gradients(weights, X, Y)
        return C, grads[:-1]
    with pytest.raises(ValueError, match=r"manual returned gradients of shapes"):
        compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=one_layer_short)
    with pytest.raises(ValueError, match="unknown methods"):
        compare_gradients(hh19_weights(), HH19_X, HH19_Y, methods=("manual", "pytorch"))


# --- the command line ----------------------------------------------------------------------------------------------
def test_command_line_prints_the_table_and_exits_0_when_all_agree(capsys):
    assert main(["--sizes", "2,2,3,2", "--activation", "sigmoid", "--cost", "quadratic", "--samples", "10",
                 "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert "net 2-2-3-2" in out and "W^[4]" in out and "OK: tensor, scalar, numerical, forward agree" in out


def test_command_line_exits_1_and_names_the_layer_for_a_wrong_manual_gradient(tmp_path, capsys):
    homework = tmp_path / "homework.py"
    homework.write_text(
        "import numpy as np\n"
        "def grads(weights, X, Y):\n"
        "    (W, b), = weights\n"
        "    a = 1 / (1 + np.exp(-(X @ W.T + b)))\n"
        "    d = a - Y                       # sigma' forgotten\n"
        "    return 0.5 * np.mean(np.sum((a - Y) ** 2, axis=1)), [(d.T @ X / len(X), d.mean(axis=0))]\n"
    )
    status = main(["--sizes", "3,2", "--samples", "4", "--manual", f"{homework}:grads", "--methods", "manual,tensor"])
    assert status == 1
    assert "MISMATCH at layer 2 (W^[2])" in capsys.readouterr().out


def test_command_line_reads_a_saved_model(tmp_path, capsys):
    path = str(tmp_path / "model.npz")
    MLP([3, 4, 2], seed=0).save(path)
    assert main(["--weights", path, "--samples", "3", "--methods", "manual,tensor,forward"]) == 0
    assert "net 3-4-2" in capsys.readouterr().out
    spath = str(tmp_path / "scalar.npz")
    scalar.MLP(2, [3, 1], seed=0).save(spath)
    assert main(["--weights", spath, "--samples", "3", "--methods", "manual,scalar"]) == 0
    (tmp_path / "junk.npz").write_text("not a model")
    with pytest.raises(SystemExit) as stop:
        main(["--weights", str(tmp_path / "junk.npz")])
    assert stop.value.code == 2


def test_engines_take_a_column_sample_and_flat_targets_for_one_output():
    rng = np.random.default_rng(2)
    one_out = [(rng.standard_normal((3, 2)), rng.standard_normal(3)),
               (rng.standard_normal((1, 3)), rng.standard_normal(1))]
    X, y = rng.standard_normal((5, 2)), rng.uniform(size=5)
    flat = compare_gradients(one_out, X, y, cost="binary_cross_entropy", methods=("manual", "tensor", "scalar"))
    rows = compare_gradients(one_out, X, y[:, None], cost="binary_cross_entropy", methods=("manual", "tensor"))
    assert flat.ok and rows.ok and flat.costs["tensor"] == pytest.approx(rows.costs["tensor"], rel=1e-15)
    column = compare_gradients(hh19_weights(), HH19_X[3][:, None], HH19_Y[3][:, None], methods=("manual", "tensor",
                                                                                              "scalar"))
    single = gradients(hh19_weights(), HH19_X[3:4], HH19_Y[3:4])
    assert column.ok and column.costs["scalar"] == pytest.approx(single[0], rel=1e-14)


def test_the_printed_report_fits_80_columns_even_for_a_mismatch():
    report = compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=forgot_sigma_prime)
    text = str(report)
    assert max(len(line) for line in text.splitlines()) <= 80, text
    assert "MISMATCH at layer 4 (W^[4]): manual differs from tensor by" in text
    assert " ".join(text.split()).endswith(" ".join(report.verdict().split()))   # the verdict, wrapped, not cut
    header = text.splitlines()[0].split()
    assert header == ["method", "cost", "time"]


def test_command_line_says_when_the_weights_file_does_not_exist(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--weights", str(tmp_path / "missing.npz")])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "no file" in err and "missing.npz" in err and "model.save" in err


@pytest.mark.parametrize("engine", ["tensor", "scalar"])
def test_command_line_takes_the_activations_saved_with_the_model(tmp_path, capsys, engine):
    import warnings

    path = str(tmp_path / "model.npz")
    if engine == "tensor":
        model = MLP([3, 4, 2], activation="tanh", output_activation="identity", seed=0)
    else:
        model = scalar.MLP(3, [4, 2], activation="tanh", output_activation="identity", seed=0)
    model.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                            # the model is rebuilt as it was saved
        assert main(["--weights", path, "--samples", "4", "--methods", "manual,tensor"]) == 0
    out = capsys.readouterr().out
    assert "net 3-4-2, activation tanh, output identity" in out
    rng = np.random.default_rng(0)                               # the CLI's data: seed 0, uniform X and Y
    X, Y = rng.uniform(0.0, 1.0, (4, 3)), rng.uniform(0.0, 1.0, (4, 2))
    C = gradients(model.get_weights(), X, Y, activation="tanh", output_activation="identity")[0]
    assert f"manual     {C:>14.8g}" in out                         # the tanh/identity cost, not sigmoid's
    assert main(["--weights", path, "--samples", "4", "--methods", "manual,tensor", "--activation", "sigmoid",
                 "--output-activation", "sigmoid"]) == 0         # given on the command line: those win
    assert "activation sigmoid, output sigmoid" in capsys.readouterr().out


# --- false passes: what must never read OK ---------------------------------------------------------------------------
def test_an_infinite_manual_gradient_or_cost_is_a_mismatch_not_ok():
    def infinite_dW(weights, X, Y):
        C, grads = gradients(weights, X, Y)
        return C, [(dW * np.inf, db) for dW, db in grads]        # inf <= atol + rtol * inf held before

    report = compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=infinite_dW)
    assert not report.ok and {r.name for r in report.failures()} == {"W^[2]", "W^[3]", "W^[4]"}, str(report)

    def infinite_cost(weights, X, Y):
        return np.inf, gradients(weights, X, Y)[1]

    report = compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=infinite_cost, methods=("manual", "tensor"))
    assert not report.ok and report.cost_mismatches() == ["tensor"]


def test_a_manual_function_that_changes_X_or_Y_in_place_cannot_pass_by_changing_them_for_the_others():
    def doubles_X(weights, X, Y):
        X *= 2                                                    # a bug: the gradient is then taken at 2X
        return gradients(weights, X, Y)

    def zeroes_Y(weights, X, Y):
        Y[:] = 0.0
        return gradients(weights, X, Y)

    for manual in (doubles_X, zeroes_Y):
        X, Y = HH19_X.copy(), HH19_Y.copy()
        report = compare_gradients(hh19_weights(), X, Y, manual=manual, methods=("manual", "tensor", "numerical"))
        assert not report.ok, manual.__name__
        np.testing.assert_array_equal(X, HH19_X)                  # and the caller's arrays are left alone
        np.testing.assert_array_equal(Y, HH19_Y)


@pytest.mark.parametrize("methods", [("manual",), (), ["manual", "manual"]])
def test_methods_without_anything_to_compare_with_are_refused_rather_than_ok(methods):
    def doubled(weights, X, Y):
        C, grads = gradients(weights, X, Y)
        return C, [(2 * dW, 2 * db) for dW, db in grads]

    with pytest.raises(ValueError, match=r"compare_gradients: methods .* nothing to compare .*'tensor'"):
        compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=doubled, methods=methods)
    with pytest.raises(SystemExit) as stop:
        main(["--sizes", "2,2", "--samples", "2", "--methods", "manual"])
    assert stop.value.code == 2


def test_relu_at_its_kink_is_named_when_only_the_central_differences_disagree():
    # W^[2] = 0 puts every hidden z at relu's kink: the delta rule and the engines take relu'(0) = 0, the central
    # difference averages 0 and 1. The report said "Wrong: b^[3], W^[2], b^[2]" of a right gradient.
    weights = [(np.zeros((2, 2)), np.zeros(2)), (np.ones((1, 2)), np.zeros(1))]
    X, Y = np.array([[1.0, 2.0], [0.5, 0.1]]), np.array([[1.0], [0.0]])
    report = compare_gradients(weights, X, Y, activation="relu")
    assert not report.ok and {r.method for r in report.failures()} == {"numerical"}
    assert "kink" in report.verdict() and "z^[2]" in report.verdict() and "relu'(0) = 0" in report.verdict()
    assert report.kinks and report.kinks[0][0] == 2
    away = [(np.full((2, 2), 0.3), np.full(2, 0.1)), (np.ones((1, 2)), np.zeros(1))]
    assert compare_gradients(away, X, Y, activation="relu").kinks == []


@pytest.mark.parametrize("cost", [np.ones(10), None, "0.5", [0.1, 0.2]])
def test_a_manual_cost_that_is_not_one_number_is_explained_by_name(cost):
    # per-sample costs (shape (N,)) or None raised numpy's "only 0-dimensional arrays can be converted"
    def manual(weights, X, Y):
        return cost, gradients(weights, X, Y)[1]

    with pytest.raises(ValueError, match=r"^compare_gradients: manual returned a cost of .*; it must be one number"):
        compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=manual, methods=("manual", "tensor"))


def test_with_the_central_differences_alone_entries_below_their_atol_are_flagged_not_silently_passed():
    """A sigmoid unit saturated by W = [8, 8] at x = [1, 1]: its true gradient is about 1.1e-7 per entry, below
    numerical's atol 1e-6, so a sign error passes against the differences alone; the report says so (and the
    default methods, with the engines, catch the sign)."""
    W = [(np.array([[8.0, 8.0]]), np.array([0.0]))]
    X, Y = np.array([[1.0, 1.0]]), np.array([[0.0]])
    a, one_minus_a = 1 / (1 + np.exp(-16.0)), 1 / (1 + np.exp(16.0))   # 1 - a without cancellation
    true = a * one_minus_a * a                               # (a - y) sigma'(z) x, x = 1, quadratic cost

    def flipped(weights, X, Y, **kw):
        C, grads = gradients(weights, X, Y, **kw)
        return C, [(-dW, -db) for dW, db in grads]

    C, [(dW, db)] = gradients(W, X, Y)
    np.testing.assert_allclose(dW, [[true, true]], rtol=1e-6)  # the delta rule's 1 - a cancels: 1e-9 off
    alone = compare_gradients(W, X, Y, manual=flipped, methods=("manual", "numerical"))
    assert alone.ok and alone.unresolved == (3, 3)
    assert "3 of 3 manual gradient entries are within numerical's atol" in alone.verdict()
    assert "add 'tensor' or 'scalar'" in str(alone)
    assert not compare_gradients(W, X, Y, manual=flipped).ok
    right = compare_gradients(W, X, Y, methods=("manual", "numerical", "tensor"))
    assert right.ok and right.unresolved == (0, 0) and "Note" not in right.verdict()


def test_a_transposed_gradient_is_named_as_the_transpose_of_its_weight():
    def transposed(weights, X, Y):
        C, grads = gradients(weights, X, Y)
        return C, [(dW.T, db) for dW, db in grads]
    with pytest.raises(ValueError, match=r"dW\^\[3\] has shape \(2, 3\), the transpose of W\^\[3\]'s \(3, 2\); "
                                         r"dC/dW\^\[3\] = delta\^\[3\] \(a\^\[2\]\)\^T"):
        compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=transposed)


def test_a_right_gradient_in_float32_is_a_mismatch_that_names_float32_not_a_wrong_delta():
    def single(weights, X, Y):
        C, grads = gradients(weights, X, Y)
        return np.float32(C), [(dW.astype(np.float32), db.astype(np.float32)) for dW, db in grads]
    report = compare_gradients(hh19_weights(), HH19_X, HH19_Y, manual=single, methods=("manual", "tensor"))
    assert not report.ok                                  # float32 is not float64's 1e-10: still no OK
    assert ("Note: manual returned float32 for the cost, dW^[2], db^[2], dW^[3], db^[3], dW^[4], db^[4]: about 7 "
            "significant digits") in report.verdict()
    assert "Note" not in compare_gradients(hh19_weights(), HH19_X, HH19_Y, methods=("manual", "tensor")).verdict()
