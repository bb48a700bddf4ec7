"""The Tensor softmax family to an ulp or three of mpmath: softmax, log_softmax, logsumexp's gradient and the fused
softmax_cross_entropy (the MNIST training path), in value and gradient.

Two losses of digits, both measured against mpmath at 50 digits:
- e^(x - max) was taken of the difference as rounded, half an ulp off (5.7e-14 at 0.3 - 700.1), and e^d's relative
  error is d's absolute one: the small share of softmax([700.1, 0.3]) was 270 ulp off, of [-457.31..., -1129.83...]
  436, 61 float32 ulp at a row of ten logits. The two-sum's error is now put back, e^d (1 + r).
- where one share p_k is near 1, 1 - p_k was taken as 1 minus the rounded p_k: the gradient of the top class's
  log-probability, p_k - 1 of the cross-entropy and log(s) of the rounded sum s = 1 + (the others) lost every digit
  (the loss of [40, 0, 0] on class 0 was 0, not 8.5e-18; at [36.7, 0.01, 1.3] the gradient's first entry was
  1.3e15 ulp off). 1 - p_k is now the sum of the other shares, as sigmoid_cross_entropy writes its tails.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from autograd import Tensor, grad, softmax_cross_entropy
from nn import losses

mpmath.mp.dps = 50

# rows whose shift rounds far from the maximum (old worst: 270, 436, 490 ulp) and rows with one share near 1
FAR = [[700.1, 0.3], [-457.3134122013277, -1129.8262761623826],
       [-685.20040745, 894.36702005, 666.63268903, -511.74987158, 368.22655445]]
NEAR = [[36.7, 0.01, 1.3], [40.0, 0.0, 0.0], [0.61554044, 2.79236399, -3.45913437, 58.58017214]]
# float32: a row of ten logits whose shares were 61 ulp off, and one share near 1
FAR32 = [32.251472, 1.3080623, 5.387085, 7.41159, -32.960567, -65.02192, -41.29437, 39.865395, 29.97023, -19.457932]
NEAR32 = [18.580173, 0.61554044, 2.792364, -3.4591343]


def exact(row: list) -> tuple:
    """The shares p_i, 1 - p_i (as the sum of the others) and log p_i (as -log1p(others / e_i)) of the row."""
    e = [mpmath.exp(mpmath.mpf(float(v))) for v in row]
    total = sum(e)
    rest = [sum(e[j] for j in range(len(e)) if j != i) for i in range(len(e))]
    return [v / total for v in e], [r / total for r in rest], [-mpmath.log1p(r / v) for r, v in zip(rest, e)]


def ulps(got: float, truth: mpmath.mpf, dtype: type = np.float64) -> float:
    spacing = float(np.spacing(dtype(abs(float(truth)))))
    return float(abs(mpmath.mpf(float(got)) - truth) / mpmath.mpf(spacing))


def worst(got, truths, dtype=np.float64) -> float:
    return max(ulps(g, t, dtype) for g, t in zip(np.ravel(got), truths))


@pytest.mark.parametrize("row", FAR + NEAR)
def test_softmax_and_logsumexps_gradient_are_the_shares_within_2_ulp(row):
    p, _, _ = exact(row)
    t = Tensor(row, requires_grad=True)
    t.logsumexp().backward()
    assert worst(Tensor(row).softmax().data, p) <= 2
    assert worst(t.grad, p) <= 2


def test_float32_shares_are_within_3_ulp():
    x = np.array(FAR32, np.float32)
    p, _, _ = exact(x)
    t = Tensor(x, requires_grad=True)
    t.logsumexp().backward()
    assert Tensor(x).softmax().data.dtype == t.grad.dtype == np.float32
    assert worst(Tensor(x).softmax().data, p, np.float32) <= 3
    assert worst(t.grad, p, np.float32) <= 3


@pytest.mark.parametrize("row", FAR + NEAR)
def test_log_softmax_and_its_gradient_towards_the_top_class_are_within_3_ulp(row):
    p, q, logp = exact(row)
    k = int(np.argmax(row))
    t = Tensor(row, requires_grad=True)
    y = t.log_softmax()
    y[k].backward()                                         # d log p_k / dx_i = delta_ik - p_i
    assert worst(y.data, logp) <= 3
    assert worst(t.grad, [q[i] if i == k else -p[i] for i in range(len(row))]) <= 3
    t = Tensor(row, requires_grad=True)
    t.softmax()[k].backward()                               # d p_k / dx_i = p_k (delta_ik - p_i)
    assert worst(t.grad, [p[k] * (q[i] if i == k else -p[i]) for i in range(len(row))]) <= 4


def test_float32_log_softmax_of_a_share_near_1_is_within_3_ulp():
    x = np.array(NEAR32, np.float32)
    p, q, logp = exact(x)
    t = Tensor(x, requires_grad=True)
    y = t.log_softmax()
    y[0].backward()
    assert y.data.dtype == t.grad.dtype == np.float32
    assert worst(y.data, logp, np.float32) <= 3
    assert worst(t.grad, [q[0]] + [-v for v in p[1:]], np.float32) <= 3


@pytest.mark.parametrize("entry", ["fused", "labels", "one-hot"])
def test_cross_entropys_loss_and_gradient_are_within_3_ulp_on_the_top_class_and_on_another(entry):
    rows = FAR + NEAR
    for row in rows:
        p, q, logp = exact(row)
        for k in (int(np.argmax(row)), int(np.argmin(row))):
            z = Tensor([row], requires_grad=True)
            if entry == "fused":
                loss = softmax_cross_entropy(z, np.array([k]))
            elif entry == "labels":
                loss = losses.cross_entropy(z, np.array([k]))
            else:
                loss = losses.cross_entropy(z, np.eye(len(row))[[k]])
            loss.backward()
            assert ulps(loss.item(), -logp[k]) <= 3, (row, k, loss.item())
            assert worst(z.grad, [-q[i] if i == k else p[i] for i in range(len(row))]) <= 3, (row, k, z.grad)


@pytest.mark.parametrize("row, k", [(NEAR32, 0), (FAR32, 7), (FAR32, 5)])
def test_float32_cross_entropy_on_a_share_near_1_and_a_far_row_is_within_3_ulp(row, k):
    # two rows: the mean halves each gradient. NEAR32 lies within the range where the fused op takes e^z unshifted
    # (|z| <= 42 in float32), FAR32 beyond it (-65): shifted, with the two-sum
    z = Tensor(np.array([row, row], np.float32), requires_grad=True)
    loss = softmax_cross_entropy(z, np.array([k, k]))
    loss.backward()
    assert loss.data.dtype == z.grad.dtype == np.float32
    p, q, logp = exact(np.array(row, np.float32))
    assert ulps(loss.item(), -logp[k], np.float32) <= 3
    want = [-q[j] / 2 if j == k else p[j] / 2 for j in range(len(row))]
    assert worst(z.grad[0], want, np.float32) <= 3, (row, z.grad[0])


def test_create_graphs_first_derivatives_keep_the_digits_softmax_and_log_softmax_to_the_bit():
    x = np.array([NEAR[0], FAR[0] + [-2.0]])
    for f, bits in ((lambda t: softmax_cross_entropy(t, [0, 1]), False),
                    (lambda t: t.log_softmax()[:, 0].sum(), True),
                    (lambda t: t.softmax()[:, 0].sum(), True)):
        t = Tensor(x, requires_grad=True)
        f(t).backward()
        s = Tensor(x, requires_grad=True)
        (g,) = grad(f(s), [s], create_graph=True)
        if bits:
            assert g.data.tobytes() == t.grad.tobytes()
        else:
            np.testing.assert_allclose(g.data, t.grad, rtol=4e-16, atol=0)


@pytest.mark.parametrize("create_graph", [False, True])
def test_softmax_gradient_at_an_incoming_gradient_near_the_float_range_stays_finite(create_graph):
    """review18: the top share's shift g - g_k overflowed where |g| passes half the float range: [9e307, -9e307]
    through softmax([2.2, 0]) gave [inf, nan]; exact: p_0 p_1 (g_0 - g_1) = +-1.616e307."""
    t = Tensor([[2.2, 0.0]], requires_grad=True)
    g = np.array([[9e307, -9e307]])
    p0 = 1.0 / (1.0 + math.exp(-2.2))
    exact = 2 * (p0 * (1.0 - p0) * 9e307)                            # (1.8e308 itself overflows)
    if create_graph:
        (d,) = grad((t.softmax(axis=-1) * Tensor(g)).sum(), [t], create_graph=True)
        got = d.data
    else:
        (t.softmax(axis=-1) * Tensor(g)).sum().backward()
        got = t.grad
    np.testing.assert_allclose(got, [[exact, -exact]], rtol=1e-14)
