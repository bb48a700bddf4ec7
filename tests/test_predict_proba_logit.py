"""predict_proba of one logit output: the class-0 column is sigma(-z), not 1 - sigma(z), which rounds to 0 once
sigma(z) rounds to 1 (z > 37 in float64): log(predict_proba) was -inf where it is about -z."""

from __future__ import annotations

import numpy as np
import pytest

from nn import MLP, predict, predict_proba, scalar


def _logit_models() -> list:
    """Models whose one identity output is their input z (w = 1, b = 0), on both engines."""
    pairs = [(np.array([[1.0]]), np.zeros(1))]
    return [MLP([1, 1], output_activation="identity", seed=0).set_weights(pairs),
            scalar.MLP(1, [1], seed=0).set_weights(pairs)]


@pytest.mark.parametrize("engine", [0, 1], ids=["tensor", "scalar"])
def test_both_columns_of_a_logit_keep_their_digits_far_from_zero(engine: int) -> None:
    model = _logit_models()[engine]
    z = np.array([-50.0, -40.0, -1.0, 0.0, 2.5, 40.0, 50.0])
    p = predict_proba(model, z.reshape(-1, 1))
    # by hand: P(class 1) = 1 / (1 + e^-z), P(class 0) = 1 / (1 + e^z)
    np.testing.assert_allclose(p[:, 1], 1.0 / (1.0 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(p[:, 0], 1.0 / (1.0 + np.exp(z)), rtol=1e-14)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    assert np.all(np.isfinite(np.log(p)))
    np.testing.assert_array_equal(p.argmax(axis=1), predict(model, z.reshape(-1, 1)))   # predict's class


def test_float32_logits_keep_their_dtype() -> None:
    model = MLP([1, 1], output_activation="identity", seed=0, dtype=np.float32)
    model.set_weights([(np.array([[1.0]]), np.zeros(1))])
    p = predict_proba(model, np.array([[20.0], [-3.0]]))
    assert p.dtype == np.float32
    np.testing.assert_allclose(p[0, 0], 1.0 / (1.0 + np.exp(20.0)), rtol=1e-6)
