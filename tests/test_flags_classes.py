"""fit's accuracy, evaluate, predict and predict_proba read one output as a class at the same threshold, decided
from the loss the model is trained with: an identity output trained with mse on 0/1 targets at 1/2, a logit
trained with binary_cross_entropy_with_logits at 0, -1/+1 targets at 0, a sigmoid at 1/2.

The outputs are set by hand (W, b chosen so that x W^T + b is known) and fit runs one step of lr 1e-12, so the
model fit measures is the one predict reads; every expected class is computed here from the outputs."""

from __future__ import annotations

import numpy as np
import pytest

from nn import MLP, SGD, evaluate, fit, outputs, predict, predict_proba, scalar

X = np.array([[0.0], [1.0], [2.0], [3.0]])


def _line(slope: float, intercept: float, **kw) -> MLP:
    """A 1 -> 1 MLP whose output is ``slope * x + intercept`` before its output activation."""
    model = MLP([1, 1], seed=0, **kw)
    model.set_weights([(np.array([[slope]]), np.array([intercept]))])
    return model


def _fit_still(model, y, loss, **kw):
    """fit for one epoch with a step too small to move the weights: its accuracy is that of these outputs."""
    return fit(model, X, y, loss, SGD(model.parameters(), lr=1e-12), epochs=1, progress=False, **kw)


def test_an_identity_output_trained_with_mse_on_0_1_targets_is_read_at_one_half_everywhere():
    # outputs -0.1, 0.3, 0.7, 1.1: fit's and evaluate's accuracy read them at 0.5 (all right), predict read them
    # at 0 and answered [0, 1, 1, 1], and predict_proba put 0.3 through the sigmoid (0.57: class 1)
    y = np.array([0.0, 0.0, 1.0, 1.0])
    model = _line(0.4, -0.1, output_activation="identity")
    out = 0.4 * X[:, 0] - 0.1                                            # by hand
    np.testing.assert_allclose(outputs(model, X)[:, 0], out, rtol=1e-12)
    h = _fit_still(model, y, "mse")
    expected = (out > 0.5).astype(int)
    assert expected.tolist() == [0, 0, 1, 1]
    np.testing.assert_array_equal(predict(model, X), expected)
    np.testing.assert_array_equal(model.predict(X), expected)
    assert h.train_accuracy[0] == np.mean(expected == y) == 1.0
    assert evaluate(model, X, y)["accuracy"] == evaluate(model, X, y, "mse")["accuracy"] == 1.0
    p = predict_proba(model, X)
    np.testing.assert_allclose(p[:, 1], np.clip(out, 0, 1), rtol=1e-12)     # the output estimates P(class 1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_array_equal(p.argmax(axis=1), expected)


def test_a_logit_trained_with_binary_cross_entropy_with_logits_is_read_at_zero_everywhere():
    # logits -0.5, -0.15, 0.2, 0.55: evaluate without a loss read them at 0.5 (the 0/1
    # targets' middle) and counted half of them wrong while predict, at 0, counted them right
    y = np.array([0.0, 1.0, 1.0, 1.0])
    model = _line(0.35, -0.5, output_activation="identity")
    z = 0.35 * X[:, 0] - 0.5
    h = _fit_still(model, y, "binary_cross_entropy_with_logits")
    expected = (z > 0).astype(int)
    assert expected.tolist() == [0, 0, 1, 1]
    np.testing.assert_array_equal(predict(model, X), expected)
    right = np.mean(expected == y)
    assert h.train_accuracy[0] == right
    assert evaluate(model, X, y)["accuracy"] == right
    assert evaluate(model, X, y, "binary_cross_entropy_with_logits")["accuracy"] == right
    p = predict_proba(model, X)
    np.testing.assert_allclose(p[:, 1], 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_array_equal(p.argmax(axis=1), expected)


def test_the_same_weights_are_read_by_the_loss_they_were_trained_with():
    # one model, two trainings: the last fit decides how predict reads it
    model = _line(0.4, -0.1, output_activation="identity")
    out = 0.4 * X[:, 0] - 0.1
    _fit_still(model, np.array([0.0, 0.0, 1.0, 1.0]), "mse")
    np.testing.assert_array_equal(predict(model, X), out > 0.5)
    _fit_still(model, np.array([0.0, 0.0, 1.0, 1.0]), "binary_cross_entropy_with_logits")
    np.testing.assert_array_equal(predict(model, X), out > 0)
    _fit_still(model, np.array([0.0, 0.0, 1.0, 1.0]), "mse", accuracy=False)    # no accuracy: still decided
    np.testing.assert_array_equal(predict(model, X), out > 0.5)


@pytest.mark.parametrize("activation", ["identity", "tanh"])
def test_minus_one_plus_one_targets_are_read_at_zero(activation):
    y = np.array([-1.0, -1.0, 1.0, 1.0])
    model = _line(0.4, -0.5, output_activation=activation)
    z = 0.4 * X[:, 0] - 0.5
    a = np.tanh(z) if activation == "tanh" else z
    h = _fit_still(model, y, "mse")
    expected = (a > 0).astype(int)
    np.testing.assert_array_equal(predict(model, X), expected)
    assert h.train_accuracy[0] == np.mean((a > 0) == (y > 0)) == evaluate(model, X, y)["accuracy"]


def test_a_tanh_output_trained_towards_0_1_is_read_at_one_half():
    # tanh(0.4 x - 0.1) = -0.10, 0.29, 0.60, 0.80: predict read them at 0 ([0, 1, 1, 1]) where fit read them at 0.5
    y = np.array([0.0, 0.0, 1.0, 1.0])
    model = _line(0.4, -0.1, output_activation="tanh")
    a = np.tanh(0.4 * X[:, 0] - 0.1)
    h = _fit_still(model, y, "mse")
    np.testing.assert_array_equal(predict(model, X), a > 0.5)
    assert h.train_accuracy[0] == np.mean((a > 0.5) == y) == 1.0


def test_the_scalar_mlp_reads_its_output_as_fit_did():
    y = np.array([0.0, 0.0, 1.0, 1.0])
    model = scalar.MLP(1, [1], seed=0)
    model.set_weights([(np.array([[0.4]]), np.array([-0.1]))])
    h = _fit_still(model, y, "mse")
    out = 0.4 * X[:, 0] - 0.1
    np.testing.assert_array_equal(model.predict(X), out > 0.5)
    assert h.train_accuracy[0] == 1.0


def test_a_compiled_fit_decides_as_the_eager_one():
    y = np.array([0.0, 0.0, 1.0, 1.0])
    model = _line(0.4, -0.1, output_activation="identity")
    h = fit(model, X, y, "mse", SGD(model.parameters(), lr=1e-12), epochs=1, batch_size=1, progress=False,
            compile=True)
    np.testing.assert_array_equal(predict(model, X), (0.4 * X[:, 0] - 0.1) > 0.5)
    assert h.train_accuracy[0] == 1.0


def test_a_model_fit_never_trained_is_read_at_zero_unless_told():
    model = _line(0.4, -0.1, output_activation="identity")
    out = 0.4 * X[:, 0] - 0.1
    np.testing.assert_array_equal(predict(model, X), out > 0)           # a logit's or a score's sign
    np.testing.assert_array_equal(predict(model, X, threshold=0.5), out > 0.5)
    np.testing.assert_array_equal(model.predict(X, threshold=0.5), out > 0.5)
    sig = _line(0.4, -0.1, output_activation="sigmoid")
    np.testing.assert_array_equal(predict(sig, X), 1 / (1 + np.exp(-out)) > 0.5)


def test_predict_refuses_a_threshold_that_cannot_apply():
    with pytest.raises(ValueError, match=r"predict: threshold is for a model with one output; this MLP has 3"):
        predict(MLP([1, 3], seed=0), X, threshold=0.5)
    with pytest.raises(ValueError, match=r"predict: threshold must be a finite number, got nan"):
        predict(_line(1.0, 0.0), X, threshold=float("nan"))
    with pytest.raises(TypeError, match=r"predict: threshold must be a real number, got '0.5'"):
        predict(_line(1.0, 0.0), X, threshold="0.5")


def test_save_and_load_keep_the_threshold_fit_decided(tmp_path):
    y = np.array([0.0, 0.0, 1.0, 1.0])
    model = _line(0.4, -0.1, output_activation="identity")
    _fit_still(model, y, "mse")
    path = model.save(tmp_path / "m.npz")
    other = MLP([1, 1], output_activation="identity", seed=1).load(path)
    np.testing.assert_array_equal(predict(other, X), (0.4 * X[:, 0] - 0.1) > 0.5)
    assert evaluate(other, X, y)["accuracy"] == 1.0
    # a file without a threshold (saved before fit, or by an older deltagrad) leaves none behind
    _line(0.4, -0.1, output_activation="identity").save(tmp_path / "plain.npz")
    other.load(tmp_path / "plain.npz")
    np.testing.assert_array_equal(predict(other, X), (0.4 * X[:, 0] - 0.1) > 0)


def test_load_refuses_a_threshold_that_is_not_a_number(tmp_path):
    model = _line(0.4, -0.1, output_activation="identity")
    marker = np.array(["deltagrad-module-1", "nn.layers.MLP", model.describe(), "nan"])
    np.savez(tmp_path / "bad.npz", __deltagrad__=marker, **model.state_dict())
    with pytest.raises(ValueError, match=r"is not a model saved by .*threshold 'nan', not a number"):
        model.load(tmp_path / "bad.npz")
