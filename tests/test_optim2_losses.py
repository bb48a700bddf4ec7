"""Hostile audit of nn/losses.py: a target Tensor that requires grad gets its gradient, as a target made of Values
does (and as PyTorch's losses give one), instead of silently None."""

import numpy as np
import pytest

from autograd import Tensor
from nn import losses as L

P2 = np.array([[0.3, 0.8], [0.6, 0.1]])


def _log_softmax(z):
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


# Each loss written out by its formula for any real target (the losses refuse targets outside their domain, so
# central differences in the target are taken on these): (loss, prediction, target, formula(a, y)).
CASES = [
    (L.mse, P2, np.array([[1.0, 0.5], [0.0, 0.25]]), lambda a, y: ((a - y) ** 2).mean()),
    (L.quadratic, P2, np.array([[1.0, 0.5], [0.0, 0.25]]), lambda a, y: ((a - y) ** 2).sum() / (2 * len(a))),
    (L.binary_cross_entropy, P2, np.array([[1.0, 0.5], [0.0, 0.25]]),
     lambda a, y: -(y * np.log(a) + (1 - y) * np.log(1 - a)).mean()),
    (L.binary_cross_entropy_with_logits, P2 - 0.5, np.array([[1.0, 0.5], [0.0, 0.25]]),
     lambda z, y: (np.log1p(np.exp(z)) - y * z).mean()),
    (L.hinge, P2, np.array([[1.0, -1.0], [-1.0, 1.0]]), lambda s, y: np.maximum(0, 1 - y * s).sum() / len(s)),
    (L.cross_entropy, P2, np.array([[0.2, 0.8], [1.0, 0.0]]), lambda z, y: -(y * _log_softmax(z)).sum() / len(z)),
    (L.mse, np.array([[0.3], [0.6]]), np.array([1.0, 0.0]),                  # (N, 1) against (N,)
     lambda a, y: ((a.ravel() - y) ** 2).mean()),
]


def _central(f, y, h=1e-6):
    g = np.zeros_like(y)
    for i in np.ndindex(y.shape):
        up, down = y.copy(), y.copy()
        up[i] += h
        down[i] -= h
        g[i] = (f(up) - f(down)) / (2 * h)
    return g


@pytest.mark.parametrize("loss, pred, target, formula", CASES)
def test_target_tensor_that_requires_grad_gets_its_gradient(loss, pred, target, formula):
    p = Tensor(pred.copy(), requires_grad=True)
    y = Tensor(target.copy(), requires_grad=True)
    out = loss(p, y)
    out.backward()
    assert float(out.data) == pytest.approx(formula(pred, target), rel=1e-12)
    assert y.grad is not None, f"{loss.__name__}: the target's gradient was silently dropped"
    expected = _central(lambda t: formula(pred, t), target)
    np.testing.assert_allclose(y.grad, expected, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(p.grad, _central(lambda q: formula(q, target), pred), rtol=1e-5, atol=1e-8)


def test_target_tensor_gradient_matches_torch():
    torch = pytest.importorskip("torch")
    pred, target = np.array([[0.3, 0.8], [0.6, 0.1]]), np.array([[1.0, 0.5], [0.0, 0.25]])
    p, y = Tensor(pred, requires_grad=True), Tensor(target, requires_grad=True)
    L.binary_cross_entropy(p, y).backward()
    tp, ty = torch.tensor(pred, requires_grad=True), torch.tensor(target, requires_grad=True)
    torch.nn.functional.binary_cross_entropy(tp, ty).backward()
    np.testing.assert_allclose(y.grad, ty.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=1e-10)
