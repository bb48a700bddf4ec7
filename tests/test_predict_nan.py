"""A NaN output is no class: predict, predict_proba and evaluate refuse it, naming the rows.

np.argmax of a row holding NaN returns the NaN's index (class 0 for a row [nan, ...]) and ``nan > t`` is False
(class 0 by a threshold), so a NaN in X, or NaN weights, used to come out as class 0, and every such row counted as
right against a target of class 0. The models below compute their input (W = I, b = 0, identity output), so
the expected classes are read off X by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
from messages import raises

from nn import MLP, evaluate, predict, predict_proba, scalar

NAN = float("nan")


def _identity_models(n: int) -> list:
    """An nn.MLP and an nn.scalar.MLP whose outputs are their inputs (n of them)."""
    pairs = [(np.eye(n), np.zeros(n))]
    tensor = MLP([n, n], output_activation="identity", seed=0).set_weights(pairs)
    values = scalar.MLP(n, [n], seed=0).set_weights(pairs)
    return [tensor, values]


@pytest.mark.parametrize("engine", [0, 1], ids=["tensor", "scalar"])
def test_evaluate_refuses_nan_outputs_naming_the_rows(engine: int) -> None:
    # it counted [nan, 0] as class 0: accuracy 3/4 on these rows, where one row only is right
    model = _identity_models(2)[engine]
    X = np.array([[NAN, 0.0], [1.0, 0.0], [0.0, 1.0], [NAN, NAN]])
    y = np.array([0, 0, 0, 0])
    with raises(ValueError, "evaluate", "rows 0, 3", "NaN", "X"):
        evaluate(model, X, y)
    with raises(ValueError, "evaluate", "rows 0, 3", "NaN"):
        evaluate(model, X, np.eye(2)[y], "mse")
    # the finite rows, by hand: row 1's argmax is 0 (right), row 2's is 1 (wrong)
    assert evaluate(model, X[1:3], y[1:3])["accuracy"] == pytest.approx(1 / 2)


@pytest.mark.parametrize("engine", [0, 1], ids=["tensor", "scalar"])
def test_evaluate_refuses_nan_targets_naming_the_row(engine: int) -> None:
    # a NaN label made the targets look like no classes: the accuracy was None, with no word why
    model = _identity_models(2)[engine]
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    with raises(ValueError, "evaluate", "Y", "NaN", "row 1"):
        evaluate(model, X, np.array([0.0, NAN, 0.0]))
    assert evaluate(model, X, np.array([0.0, 1.0, 1.0]))["accuracy"] == pytest.approx(2 / 3)   # by hand


@pytest.mark.parametrize("argmax", [True, False])
def test_the_accuracy_rule_counts_a_nan_row_wrong(argmax: bool) -> None:
    # fit's training accuracy uses the same rule (fit stops on a NaN loss, but a loss of one's own may skip NaN)
    from nn.train import _Decision

    rule = _Decision(argmax=True) if argmax else _Decision(argmax=False, at=0.5, target_at=0.5)
    out = np.array([[NAN, 0.0], [1.0, 0.0], [0.0, 1.0]]) if argmax else np.array([[NAN], [0.0], [1.0]])
    y = np.array([0, 0, 0]) if argmax else np.array([0.0, 0.0, 0.0])
    # by hand: row 0 has no class, row 1 is class 0 (right), row 2 is class 1 (wrong)
    assert rule.right(out, y) == 1


@pytest.mark.parametrize("engine", [0, 1], ids=["tensor", "scalar"])
@pytest.mark.parametrize("n_out", [1, 2])
def test_predict_refuses_nan_outputs_naming_the_rows(engine: int, n_out: int) -> None:
    model = _identity_models(n_out)[engine]
    X = np.ones((5, n_out))
    X[[1, 3], 0] = NAN
    with raises(ValueError, "predict", "rows 1, 3", "NaN", "X"):
        predict(model, X)
    with raises(ValueError, "predict_proba", "rows 1, 3", "NaN", "X"):
        predict_proba(model, X)
    # the clean rows still work, and give what the formula gives
    clean = np.delete(X, [1, 3], axis=0)
    expected = np.ones(3, dtype=int) if n_out == 1 else np.zeros(3, dtype=int)   # 1 > 0; a tie [1, 1] -> 0
    np.testing.assert_array_equal(predict(model, clean), expected)


def test_predict_names_nan_weights_as_the_cause() -> None:
    model = _identity_models(2)[0]
    model.layers[0].bias.data[1] = NAN
    with raises(ValueError, "predict", "weights", "NaN"):
        predict(model, np.zeros((3, 2)))


def test_predict_proba_refuses_infinite_logits_whose_softmax_is_nan() -> None:
    model = MLP([1, 2], output_activation="identity", seed=0).set_weights([(np.array([[1.0], [-1.0]]), np.zeros(2))])
    with raises(ValueError, "predict_proba", "row 0", "inf"):
        predict_proba(model, np.array([[np.inf], [1.0]]))
    # a finite row: the softmax of [1, -1] by hand
    p = predict_proba(model, np.array([[1.0]]))
    e = np.exp([1.0, -1.0])
    np.testing.assert_allclose(p[0], e / e.sum(), rtol=1e-15)
