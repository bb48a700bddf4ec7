"""examples/perceptron.py: no learned line of the figure passes through a training point (issue 12), each rule keeps
its note's step at zero, and the ADALINE panel is labelled with the targets it is trained on (issue 15)."""

import importlib.util
import os

import numpy as np
import pytest

from nn.perceptrons import sign_perceptron

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "perceptron.py")
X01 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
BIPOLAR = 2 * X01 - 1
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}


def load():
    spec = importlib.util.spec_from_file_location("example_perceptron_pictures", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The example run once, with the figure it drew and wrote kept open (found["fig"]) for the tests to read."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    example, kept, close = load(), [], plt.close
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plt, "close", kept.append)
        found = example.main(epochs=50, mlp_iterations=2000, out_dir=str(tmp_path_factory.mktemp("out")), show=False)
    assert len(kept) == 1 and os.path.getsize(found["figure"]) > 0
    found["fig"] = kept[0]
    yield example, found
    close(found["fig"])


def margins(w, b, X):
    """|w.x + b| for every training point, by hand."""
    return np.abs(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + float(b))


def test_every_learned_line_keeps_every_training_point_off_it(run):
    _, found = run
    learned = {f"perceptron {gate}": (found["perceptron"][gate]["w"], found["perceptron"][gate]["b"], X01)
               for gate in GATES}
    learned["lecture NAND (Nielsen)"] = (np.array([-2.0, -2.0]), 3.0, X01)
    learned["Hebb AND"] = (*found["hebb"], BIPOLAR)                       # trained (and drawn) on -1/+1 inputs
    learned["ADALINE AND"] = (*found["adaline"], X01)
    for name, (w, b, X) in learned.items():
        assert np.all(margins(w, b, X) > 0), (name, w, b, margins(w, b, X))
    # the figure draws exactly these lines, from these weights (XOR's perceptron has none: its weights cycle to 0)
    assert set(found["lines"]) == set(learned)
    for name, (w, b, X) in found["lines"].items():
        np.testing.assert_array_equal(np.append(w, b), np.append(*learned[name][:2]), err_msg=name)
        np.testing.assert_array_equal(X, learned[name][2], err_msg=name)
        assert np.all(margins(w, b, X) > 0), name


def test_perceptron_uses_the_strict_step_and_is_the_sign_perceptron_of_nn_perceptrons(run):
    example, found = run
    for gate, table in GATES.items():
        r = found["perceptron"][gate]
        z = X01 @ r["w"] + r["b"]
        assert r["converged"] and (z > 0).astype(int).tolist() == table == r["outputs"].astype(int).tolist()
        assert np.all(np.abs(z) >= 1), gate                                 # integer weights: 1 or more away
        same = sign_perceptron(X01, 2 * np.array(table) - 1, epochs=50)     # W <- W + t x when t W.x <= 0
        np.testing.assert_array_equal(np.append(r["w"], r["b"]), same.W, err_msg=gate)
        assert r["mistakes"] == same.mistakes, gate
    xor = found["perceptron"]["XOR"]
    assert not xor["converged"] and min(xor["mistakes"]) > 0
    assert np.all(xor["w"] == 0) and xor["b"] == 0 and "perceptron XOR" not in found["lines"]


def test_a_point_on_the_line_is_a_mistake_whatever_its_target(run):
    example, _ = run
    # from W = 0 the point (0, 0) is on the line: with target 0 the strict step answers 0 and the plain rule would
    # stop there (and with z >= 0 a target 1 would); here both move the bias off it
    r0 = example.perceptron(np.zeros((1, 2)), np.array([0.0]))
    assert r0["mistakes"] == [1, 0] and r0["b"] == -1.0
    r1 = example.perceptron(np.zeros((1, 2)), np.array([1.0]))
    assert r1["mistakes"] == [1, 0] and r1["b"] == 1.0
    assert example.strict_step(np.array([-1.0, 0.0, 1.0])).tolist() == [0.0, 0.0, 1.0]


def test_adaline_panel_title_and_legend_name_the_targets_it_is_trained_on(run):
    _, found = run
    ax = found["fig"].axes[4]                                               # row 2, column 2
    title = ax.get_title()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "ADALINE" in title and "-1/+1" in title
    assert "target +1" in legend and "target -1" in legend and "target 0" not in legend
    w, b = found["adaline"]
    t = np.array([-1, -1, -1, 1])                                           # what adaline() was trained on
    exact = np.linalg.lstsq(np.column_stack([X01, np.ones(4)]), t, rcond=None)[0]
    np.testing.assert_allclose([*w, b], exact, atol=0.2)
    hebb = found["fig"].axes[3]
    assert [t.get_text() for t in hebb.get_legend().get_texts()][:2] == ["target +1", "target -1"]
