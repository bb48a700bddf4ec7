"""Stanford CS231n's first exercises, solved from scratch in numpy: the hand-derived witness of test_cs231n_port.py.

Linear classifiers (a multiclass SVM and softmax, with loops and vectorised), a two-layer net (affine - relu -
affine - softmax), the modular layers (affine, relu, the two losses, batch normalization with both of its
backward passes, inverted dropout) and the update rules (SGD, momentum, RMSProp, Adam), each written as the
course sets them: rows of X are samples, W is (D, C), scores are X W, losses are averaged over the N samples and
regularised with reg * sum W^2. No engine is imported here: these gradients are derived by hand, so the engines
can be checked against them (and they against central differences).
"""

from __future__ import annotations

from typing import Any

import numpy as np

# --- gradient checks, as the course writes them ----------------------------------------------------------------


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """The course's relative error: the largest |a - b| / (|a| + |b|), its denominator kept >= 1e-8."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """d f / d x by central differences, one entry of x moved at a time (x is restored), f returning a number."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        kept = x[i]
        x[i] = kept + h
        up = f(x)
        x[i] = kept - h
        down = f(x)
        x[i] = kept
        grad[i] = (up - down) / (2 * h)
    return grad


def numerical_gradient_array(f, x: np.ndarray, dout: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """The gradient of sum(f(x) * dout) by central differences: a layer's backward pass for upstream ``dout``."""
    return numerical_gradient(lambda v: float(np.sum(f(v) * dout)), x, h)


# --- linear classifiers: scores S = X W, W of shape (D, C) --------------------------------------------------------


def svm_loss_loops(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float) -> tuple[float, np.ndarray]:
    """L = 1/N sum_i sum_(j != y_i) max(0, s_j - s_(y_i) + 1) + reg |W|^2, one sample and one class at a time.
    Each positive margin pulls column j up by x_i and column y_i down by x_i."""
    N, C = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(N):
        s = X[i] @ W
        for j in range(C):
            if j == y[i]:
                continue
            margin = s[j] - s[y[i]] + 1.0
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    return loss / N + reg * np.sum(W * W), dW / N + 2 * reg * W


def svm_scores_loss(S: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The SVM loss of scores S (N, C), averaged over the rows, and dL/dS: 1 where a margin is positive, minus
    the number of positive margins at the true class."""
    N = len(S)
    rows = np.arange(N)
    margins = np.maximum(0.0, S - S[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    positive = (margins > 0).astype(float)
    positive[rows, y] = -positive.sum(axis=1)
    return margins.sum() / N, positive / N


def svm_loss_vectorised(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float) -> tuple[float, np.ndarray]:
    """``svm_loss_loops`` without loops: dL/dW = X^T dL/dS + 2 reg W."""
    loss, dS = svm_scores_loss(X @ W, y)
    return loss + reg * np.sum(W * W), X.T @ dS + 2 * reg * W


def _probabilities(S: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by each row's largest score so that no exp overflows."""
    e = np.exp(S - S.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_loss_loops(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float) -> tuple[float, np.ndarray]:
    """L = -1/N sum_i log p_(y_i) + reg |W|^2 with p = softmax(x_i W), one sample and one class at a time;
    dL/ds_j = p_j - [j = y_i]."""
    N, C = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(N):
        p = _probabilities(X[i] @ W)
        loss -= np.log(p[y[i]])
        for j in range(C):
            dW[:, j] += (p[j] - (j == y[i])) * X[i]
    return loss / N + reg * np.sum(W * W), dW / N + 2 * reg * W


def softmax_scores_loss(S: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The softmax cross-entropy of scores S (N, C), averaged over the rows, and dL/dS = (p - onehot(y)) / N."""
    N = len(S)
    p = _probabilities(S)
    loss = -np.mean(np.log(p[np.arange(N), y]))
    p[np.arange(N), y] -= 1.0
    return loss, p / N


def softmax_loss_vectorised(W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float) -> tuple[float, np.ndarray]:
    """``softmax_loss_loops`` without loops."""
    loss, dS = softmax_scores_loss(X @ W, y)
    return loss + reg * np.sum(W * W), X.T @ dS + 2 * reg * W


# --- the two-layer net: affine - relu - affine - softmax --------------------------------------------------------


def two_layer_loss(params: dict, X: np.ndarray, y: np.ndarray, reg: float) -> tuple[float, dict]:
    """The loss of scores relu(X W1 + b1) W2 + b2 (softmax, averaged, + reg (|W1|^2 + |W2|^2)) and its gradients
    by hand: dS as for softmax, dW2 = h^T dS, dh = dS W2^T, dz = dh where z > 0, dW1 = X^T dz."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = np.maximum(0.0, z)
    loss, dS = softmax_scores_loss(h @ W2 + b2, y)
    loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dz = (dS @ W2.T) * (z > 0)
    grads = {"W2": h.T @ dS + 2 * reg * W2, "b2": dS.sum(axis=0),
             "W1": X.T @ dz + 2 * reg * W1, "b1": dz.sum(axis=0)}
    return loss, grads


# --- modular layers: forward returns (out, cache), backward takes dout and the cache ---------------------------


def affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """out = x' w + b, x' each sample of x flattened to a row (x (N, d1, ..., dk), w (d1...dk, M))."""
    return x.reshape(len(x), -1) @ w + b, (x, w)


def affine_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dx = dout w^T (in x's shape), dw = x'^T dout, db = the column sums of dout."""
    x, w = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(len(x), -1).T @ dout, dout.sum(axis=0)


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.maximum(0.0, x), x


def relu_backward(dout: np.ndarray, x: np.ndarray) -> np.ndarray:
    """dout where x > 0, else 0 (also at x = 0: the slope on the left)."""
    return dout * (x > 0)


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, bn: dict) -> tuple[np.ndarray, tuple]:
    """Batch normalization of the columns of x (N, D): in "train" mode with the batch's mean and variance
    (divided by N), whose running averages ``bn`` keeps (running <- momentum running + (1 - momentum) batch);
    in "test" mode with those running averages."""
    eps, momentum = bn.get("eps", 1e-5), bn.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn.get("running_mean", np.zeros(D))
    running_var = bn.get("running_var", np.zeros(D))
    if bn["mode"] == "train":
        mu = x.mean(axis=0)
        var = ((x - mu) ** 2).mean(axis=0)
        bn["running_mean"] = momentum * running_mean + (1 - momentum) * mu
        bn["running_var"] = momentum * running_var + (1 - momentum) * var
    else:
        mu, var = running_mean, running_var
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mu) * inv_std
    return gamma * xhat + beta, (x, mu, var, inv_std, xhat, gamma, eps)


def batchnorm_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The train-mode backward pass stage by stage, through the graph x -> mu -> var -> xhat -> out."""
    x, mu, var, inv_std, xhat, gamma, eps = cache
    N = len(x)
    dgamma, dbeta = (dout * xhat).sum(axis=0), dout.sum(axis=0)
    dxhat = dout * gamma
    centred = x - mu
    dvar = np.sum(dxhat * centred, axis=0) * -0.5 * (var + eps) ** -1.5
    dmu = -np.sum(dxhat * inv_std, axis=0) + dvar * np.mean(-2.0 * centred, axis=0)
    dx = dxhat * inv_std + dvar * 2.0 * centred / N + dmu / N
    return dx, dgamma, dbeta


def batchnorm_backward_simplified(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same gradient in one line, the stages summed on paper:
    dx = gamma / (N sigma) (N dout - sum dout - xhat sum(dout xhat))."""
    x, mu, var, inv_std, xhat, gamma, eps = cache
    N = len(x)
    dgamma, dbeta = (dout * xhat).sum(axis=0), dout.sum(axis=0)
    dx = gamma * inv_std / N * (N * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def dropout_forward(x: np.ndarray, keep: float, mode: str, rng: np.random.Generator) -> tuple[np.ndarray, Any]:
    """Inverted dropout, as the course sets it: ``keep`` is the probability of KEEPING a unit (PyTorch's p is that of
    dropping one); kept units are scaled by 1 / keep while training, so testing needs no scaling at all."""
    if mode != "train":
        return x, None
    mask = (rng.random(x.shape) < keep) / keep
    return x * mask, mask


def dropout_backward(dout: np.ndarray, mask: Any) -> np.ndarray:
    return dout if mask is None else dout * mask


# --- update rules: (w, dw, config) -> (next w, config) ------------------------------------------------------------


def sgd_momentum(w: np.ndarray, dw: np.ndarray, config: dict) -> tuple[np.ndarray, dict]:
    """v <- mu v - lr dw, w <- w + v."""
    v = config.get("momentum", 0.9) * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def rmsprop(w: np.ndarray, dw: np.ndarray, config: dict) -> tuple[np.ndarray, dict]:
    """cache <- rho cache + (1 - rho) dw^2, w <- w - lr dw / (sqrt(cache) + eps)."""
    rho, eps = config.get("decay_rate", 0.99), config.get("epsilon", 1e-8)
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + eps), config


def adam(w: np.ndarray, dw: np.ndarray, config: dict) -> tuple[np.ndarray, dict]:
    """Adam with bias-corrected moments, t counted from 1."""
    b1, b2, eps = config.get("beta1", 0.9), config.get("beta2", 0.999), config.get("epsilon", 1e-8)
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
    config.update(t=t, m=m, v=v)
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + eps), config
