"""nn.backprop.sgd checks its data, weights and targets once, on entry, and its steps compute the lecture's formulas
only: every refusal still comes before any weight moves, a diverging training is still refused naming its block,
and each step is still p <- p - eta grad C^{i}(p), checked here against central differences of the cost."""

from __future__ import annotations

import math
import re
import sys

import numpy as np
import pytest

import nn.backprop
from nn.backprop import gradients, sgd, total_cost
from tests.test_backprop import central_differences, random_data, random_weights

pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                                        "ignore:invalid value encountered:RuntimeWarning")

# (sizes, keyword arguments, numpy step): the nets sgd trains with numpy, one step at a time (the others run the
# scalar code training_source writes; with _MAX_UNROLLED = 0 every net takes the numpy step)
NUMPY_STEP = {
    "softmax, cross-entropy": ([2, 3, 2], dict(activation="tanh", cost="cross_entropy")),
    "softmax, mse": ([2, 3, 2], dict(activation="tanh", output_activation="softmax", cost="mse")),
    "sigmoid, quadratic, too big to write out": ([2, 3, 1], dict(cost="quadratic")),
}


def counting(monkeypatch, *names):
    """Wrap nn.backprop's functions ``names`` so that each call is counted: {name: [calls]}."""
    calls = {name: [] for name in names}
    for name in names:
        real = getattr(nn.backprop, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name].append(1)
            return _real(*args, **kwargs)
        monkeypatch.setattr(nn.backprop, name, counted)
    return calls


def data_for(sizes, kw, N=6, seed=3):
    cost = kw.get("cost", "quadratic")
    return random_weights(sizes, seed, scale=0.5), *random_data(sizes, N, cost, seed)


@pytest.mark.parametrize("case", sorted(NUMPY_STEP))
def test_sgd_checks_once_per_call_however_many_steps_it_takes(case, monkeypatch):
    # every step called gradients(), which converted and checked the weights and the sample (_array), the targets
    # (_probabilities) and every z, cost and gradient (_fits) again: 187 Python calls a step on a 2-3-2 net
    sizes, kw = NUMPY_STEP[case]
    monkeypatch.setattr(nn.backprop, "_MAX_UNROLLED", 0)
    weights, X, Y = data_for(sizes, kw)
    counts = []
    for steps in (1, 40):
        calls = counting(monkeypatch, "_array", "_probabilities", "_fits")
        sgd(weights, X, Y, eta=0.1, iterations=steps, rng=0, record_every=steps, **kw)
        counts.append({name: len(c) for name, c in calls.items()})
        monkeypatch.undo()
        monkeypatch.setattr(nn.backprop, "_MAX_UNROLLED", 0)
    assert counts[0] == counts[1]
    assert counts[0]["_probabilities"] == 1                              # the whole Y, once


def test_the_written_out_step_takes_no_numpy_step_and_softmax_takes_one_a_step(monkeypatch):
    calls = counting(monkeypatch, "_step", "gradients")
    weights, X, Y = data_for([2, 2, 3, 2], dict(cost="cross_entropy"), N=10)
    sgd(weights, X, Y, iterations=50, rng=0, record_every=50)                        # HH19's net: the scalar code
    assert calls == {"_step": [], "gradients": []}
    sgd(weights, X, Y, iterations=50, rng=0, record_every=50, cost="cross_entropy")  # softmax: numpy a step
    assert len(calls["_step"]) == 50 and calls["gradients"] == []


@pytest.mark.parametrize("case", sorted(NUMPY_STEP))
def test_each_numpy_step_is_p_minus_eta_times_the_central_difference_gradient(case, monkeypatch):
    sizes, kw = NUMPY_STEP[case]
    monkeypatch.setattr(nn.backprop, "_MAX_UNROLLED", 0)
    weights, X, Y = data_for(sizes, kw)
    eta, steps = 0.3, 5
    result = sgd(weights, X, Y, eta=eta, iterations=steps, rng=7, record_every=steps, **kw)
    p = [(W.copy(), b.copy()) for W, b in weights]
    for i in np.random.default_rng(7).integers(0, len(X), size=steps):  # the samples sgd draws, block by block
        grads = central_differences(p, X[i:i + 1], Y[i:i + 1], **kw)    # dC^{i}/dp, from the cost alone
        p = [(W - eta * dW, b - eta * db) for (W, b), (dW, db) in zip(p, grads)]
    for (W, b), (W_want, b_want) in zip(result.weights, p):
        np.testing.assert_allclose(W, W_want, atol=1e-8)
        np.testing.assert_allclose(b, b_want, atol=1e-8)
    assert result.costs[-1] == pytest.approx(total_cost(p, X, Y, **kw), rel=1e-7)


# --- every refusal before the first step -------------------------------------------------------------------------

PATHS = {"written-out step": None, "numpy step": 0}


class CountingRng(np.random.Generator):
    """A numpy Generator that remembers how many samples were drawn: sgd draws each block's samples before its
    steps, so none drawn means no weight moved."""

    def __init__(self, seed: int) -> None:
        super().__init__(np.random.PCG64(seed))
        self.drawn = 0

    def integers(self, *args, **kwargs):
        out = super().integers(*args, **kwargs)
        self.drawn += np.size(out)
        return out


def refused_before_any_step(monkeypatch, path, call, match):
    """``call(rng)`` raises a ValueError matching ``match`` before sgd drew a sample, on either path."""
    if PATHS[path] is not None:
        monkeypatch.setattr(nn.backprop, "_MAX_UNROLLED", PATHS[path])
    rng = CountingRng(0)
    with pytest.raises(ValueError, match=match):
        call(rng)
    assert rng.drawn == 0


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("cost, bad, interval", [
    ("binary_cross_entropy", -1.0, r"\[0, 1\]"),                 # -1/+1 labels: a cost without a lower bound
    ("binary_cross_entropy", 2.0, r"\[0, 1\]"),
    ("cross_entropy", -0.5, r">= 0"),
])
def test_targets_that_are_not_probabilities_are_refused_before_the_first_step(path, cost, bad, interval,
                                                                               monkeypatch):
    sizes = [2, 3, 2]
    weights, X, Y = data_for(sizes, dict(cost=cost), N=5)
    Y[4, 1] = bad                                                 # the last sample's second output
    want = rf"^backprop: cost {cost!r} needs targets y {interval} .*got {bad!r} \(sample 4, output 1\)"
    with pytest.raises(ValueError, match=want):                   # the words gradients() uses on the same data
        gradients(weights, X, Y, cost=cost)
    refused_before_any_step(monkeypatch, path, lambda rng: sgd(weights, X, Y, iterations=100, rng=rng, cost=cost), want)


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("what", ["X", "Y", "W^[3]", "b^[2]"])
def test_nan_or_inf_in_the_data_or_the_weights_is_refused_before_the_first_step(path, what, monkeypatch):
    weights, X, Y = data_for([2, 3, 1], {}, N=5)
    weights = [(W.copy(), b.copy()) for W, b in weights]
    {"X": X, "Y": Y, "W^[3]": weights[1][0], "b^[2]": weights[0][1]}[what].flat[-1] = math.nan
    match = rf"^backprop: {re.escape(what)} of shape .* holds 1 NaN or infinite value"
    refused_before_any_step(monkeypatch, path, lambda rng: sgd(weights, X, Y, iterations=100, rng=rng), match)


def test_a_softmax_over_one_output_is_refused_before_the_first_step(monkeypatch):
    weights, X, Y = data_for([2, 3, 1], {}, N=5)
    refused_before_any_step(monkeypatch, "numpy step",
                            lambda rng: sgd(weights, X, Y, iterations=10, rng=rng, output_activation="softmax"),
                            r"^backprop: a softmax over one output is 1 whatever the weights")


# --- a diverging training is still found, at the end of its block ------------------------------------------------

@pytest.mark.parametrize("path", sorted(PATHS))
def test_a_training_that_diverges_is_refused_naming_the_block_where_the_cost_outgrew_float64(path, monkeypatch):
    # one identity neuron a = w x + b with x = 10, y = 0, eta = 10: a step multiplies a by 1 - eta (x^2 + 1) = -1009
    # (as in test_trust_hand), so C_k = 1/2 (10 (-1009)^k)^2 is beyond float64 from the first k with
    # 10 * 1009^k > sqrt(2 * 1.797e308); with a block of 20 steps the cost is checked at steps 20, 40, 60, ...
    if PATHS[path] is not None:
        monkeypatch.setattr(nn.backprop, "_MAX_UNROLLED", PATHS[path])
    beyond = math.log(sys.float_info.max)
    k = next(k for k in range(1000) if math.log(0.5) + 2 * (math.log(10.0) + k * math.log(1009.0)) > beyond)
    end = 20 * math.ceil(k / 20)
    with pytest.raises(ValueError, match=rf"^sgd: the training diverged between steps {end - 20} and {end}: "
                                         r".* overflowed float64 [^;]*; eta=10\.0 is too large"):
        sgd([(np.array([[1.0]]), np.array([0.0]))], np.array([[10.0]]), np.array([[0.0]]), eta=10.0,
            iterations=1000, rng=0, record_every=20, activation="identity")
