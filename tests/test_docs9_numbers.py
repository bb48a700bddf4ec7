"""Numbers and refusals the docs quote about this session's changes, recomputed from their formulas (docs9 audit)."""
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from messages import raises

from autograd import Tensor, Value, no_grad
from nn import MLP, SGD, evaluate, fit, logic, losses, predict, predict_proba


def _exact_variance(entries):
    # In exact rationals, so that no square overflows: sum (x - mean)^2 / n
    xs = [Fraction(x) for x in entries]
    mean = sum(xs) / len(xs)
    return float(sum((x - mean) ** 2 for x in xs) / len(xs))


def test_mean_and_var_quoted_where_a_sum_inside_them_overflows():
    # docs/engines.md and mean's docstring: mean of [1e308, 1e308] is 1e308, not inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # numpy's overflow warning of the first try (see report)
        assert Tensor([1e308, 1e308]).mean().item() == float(sum(map(Fraction, [1e308, 1e308])) / 2)
        entries = [1.5e154, -1.5e154] + [0.0] * 998       # var's docstring: 4.5e305
        got = Tensor(entries).var().item()
    assert got == pytest.approx(_exact_variance(entries), rel=1e-15)
    assert f"{got:.1e}" == "4.5e+305"


def test_logsumexp_of_0_and_minus_40_is_quoted_as_log_1_plus_e_minus_40():
    # docs/engines.md and logsumexp's docstring: 4.2e-18, not 0
    got = Tensor([0.0, -40.0]).logsumexp().item()
    assert got == pytest.approx(math.log1p(math.exp(-40.0)), rel=1e-15, abs=0)
    assert f"{got:.1e}" == "4.2e-18"


def test_one_logit_predict_proba_is_sigma_minus_z_where_1_minus_sigma_z_rounds_to_0():
    # docs/nn.md and predict_proba's docstring: 1 - sigma(z) would round to 0 for z > 37
    def sigma(z):
        return 1.0 / (1.0 + math.exp(-z))
    assert 1.0 - sigma(36.0) > 0.0
    assert all(1.0 - sigma(z) == 0.0 for z in (37.0, 40.0, 100.0))
    model = MLP([1, 1], output_activation="identity", seed=0)      # never trained: its output is a logit
    model.set_weights([(np.array([[1.0]]), np.array([0.0]))])
    p = predict_proba(model, np.array([[40.0], [-3.0]]))
    assert p[0, 0] == pytest.approx(math.exp(-40.0) / (1.0 + math.exp(-40.0)), rel=1e-12, abs=0)
    assert p[1, 1] == pytest.approx(sigma(-3.0), rel=1e-12)
    assert np.allclose(p.sum(axis=1), 1.0)


@pytest.mark.parametrize("replacement, rows", [(True, 25), (False, 10)])
def test_fit_batch_size_above_n_draws_that_many_with_replacement_only(replacement, rows):
    # docs/nn.md: with replacement=True a batch_size above N draws that many rows, without it all N
    X, y = np.linspace(-1, 1, 10).reshape(-1, 1), np.array([0.0, 1.0] * 5).reshape(-1, 1)
    model = MLP([1, 1], seed=0)
    seen = []

    def loss(out, target):
        seen.append(out.shape[0])
        return losses.quadratic(out, target)
    fit(model, X, y, loss, SGD(model.parameters(), lr=0.1), epochs=1, batch_size=25, replacement=replacement,
        seed=0, progress=False)
    assert seen and seen[0] == rows


def test_setting_activation_later_changes_what_the_model_computes():
    # docs/nn.md: model.activation = "tanh" changes what the model computes
    model = MLP([2, 3, 1], activation="sigmoid", output_activation="identity", seed=0)
    (W1, b1), (W2, b2) = model.get_weights()
    x = np.array([[0.3, -0.7]])
    model.activation = "tanh"
    assert np.allclose(model(Tensor(x)).data, np.tanh(x @ W1.T + b1) @ W2.T + b2, rtol=1e-14)


def test_the_refusals_docs_refusals_md_adds():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with raises(TypeError, "Tensor()", "detach()"):
        Tensor(x * 2)
    v = Value(2.0)
    with no_grad():
        y = v * 3
    with raises(RuntimeError, "backward()", "no_grad()"):
        y.backward()
    assert v.grad == 0.0
    with raises(RuntimeError, "retain_grad()"):
        Tensor([1.0]).retain_grad()
    w = Tensor([1.0, 2.0], requires_grad=True)
    with raises(RuntimeError, "**=", "no_grad()"):
        w **= 2
    frozen = Tensor([1.0, 2.0], requires_grad=True).requires_grad_(False)
    with raises(RuntimeError, "+=", "frozen"):
        frozen += x * 2
    model = MLP([2, 3, 2], seed=0)
    with raises(ValueError, "predict", "NaN", "row 0"):
        predict(model, np.array([[np.nan, 0.0], [0.0, 0.0]]))
    with raises(ValueError, "evaluate", "inf"):
        evaluate(model, np.zeros((2, 2)), np.array([0.0, np.inf]))
    with raises(ValueError, "predict", "x.reshape(1, -1)"):
        predict(model, np.zeros(2))
    with raises(ValueError, "0 or 1"):
        logic.gate("AND")(np.array([[2.0, 0.0]]))
