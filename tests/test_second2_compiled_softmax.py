"""fit(compile=True)'s softmax output on Values: e^(z_k - c) with c = ln sum_j e^(z_j) rounded kept c's rounding,
which beside large logits exceeds the terms: logits [1e17, 1e17] gave the softmax [1, 1] (fit then refused
compile=True, blaming the loss), and [1e17, 1e17 - 16, 1e17 - 32] a softmax summing to 1 + 1.1e-7 (compiled
silently). Now a second log-sum-exp of z - c recovers the rounding. Exact numbers from mpmath."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from autograd import compile
from nn import MLP, SGD, fit, losses
from nn.compiled_fit import _tensor_forward

mpmath.mp.prec = 200
X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.5]])


def exact_softmax(z):
    m = max(z)
    e = [mpmath.exp(mpmath.mpf(v) - mpmath.mpf(m)) for v in z]
    return [float(t / mpmath.fsum(e)) for t in e]


def softmax_model(bias, weight):
    model = MLP([2, len(bias)], output_activation="softmax", seed=0)
    model.layers[0].weight.data[:] = weight
    model.layers[0].bias.data[:] = bias
    return model


def traced(model, loss, y0):
    """fit(compile=True)'s per-sample function (loss, gradient, outputs), traced as CompiledFit traces it, without
    its start-up comparison with the eager step (which refuses where the Tensor engine's softmax gradient cancels
    to 0 and the Values' keeps e^-16: a difference of 1e-7 relative to a gradient of that size)."""
    params = model.parameters()
    forward = _tensor_forward(model, params)
    logits = loss is losses.cross_entropy

    def sample_loss(w, x, y):
        z, a = forward(w, x)
        return loss([z if logits else a], [y]), a

    weights = [v for p in params for v in p.data.ravel().tolist()]
    return compile(sample_loss, (weights, X[0].tolist(), y0), wrt=0, has_aux=True).function, weights


@pytest.mark.parametrize("bias", [[1e17, 1e17], [1e17, 1e17 - 16, 1e17 - 32], [0.3, -0.2, 1.5], [-1e17, -3.0, 0.0]])
@pytest.mark.parametrize("loss", [losses.quadratic, losses.cross_entropy])
def test_the_compiled_softmax_output_is_the_exact_softmax_of_the_logits(bias, loss):
    model = softmax_model(bias, np.zeros((len(bias), 2)))         # logits = bias, at every sample
    y0 = np.eye(len(bias))[0].tolist()
    function, weights = traced(model, loss, y0)
    _, _, outputs = function(weights, X[0].tolist(), y0)
    # e^x of an exponent x rounded to its ulp: a relative error up to |x| 2^-53 (3.6e-15 at x = -32), as for the
    # Tensor engine's (z - m) - ln sum; before, [1e17, 1e17] gave [1, 1] and e^-16 was 1.1e-7 too large relatively
    assert outputs == pytest.approx(exact_softmax(bias), rel=4e-15, abs=1e-300)
    assert outputs == pytest.approx(model(X[:1]).data[0].tolist(), rel=4e-15, abs=1e-300)


def test_fit_compiles_a_softmax_network_whose_logits_tie_at_1e17_and_trains_it_as_the_eager_engine():
    # the start-up check compared the compiled outputs [1, 1] with the eager [0.5, 0.5] and refused compile=True
    Y = np.array([0, 1, 0, 1])
    histories = []
    for compiled in (True, False):
        model = softmax_model([1e17, 1e17], [[0.0, 0.0], [0.0, 0.0]])
        h = fit(model, X, Y, losses.quadratic, SGD(model.parameters(), lr=0.5), epochs=2, batch_size=1,
                seed=0, compile=compiled, progress=False)
        histories.append((h.train_loss, model.layers[0].weight.data.copy()))
    (loss_c, w_c), (loss_e, w_e) = histories
    assert loss_c == pytest.approx(loss_e, rel=1e-12) and np.allclose(w_c, w_e, rtol=1e-12, atol=1e-15)
    assert loss_c[0] == pytest.approx(0.25, rel=1e-12)            # 1/2 ((1/2)^2 + (1/2)^2), before the first step
