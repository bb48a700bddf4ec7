"""The delta rule by hand: backpropagation in numpy, written in the lectures' (HH19) notation.

This module imports no engine: it is the independent witness that the engines are checked against
(``nn.compare``). Layers are numbered as in HH19: layer 1 is the input, layer L the output, and
``weights[l - 2]`` is the pair (W^[l], b^[l]) with W^[l] of shape (n_l, n_(l-1)) and b^[l] of shape (n_l,).
Inside, every list is indexed by that layer number: ``a[1]`` is x, ``z[l]``, ``W[l]``, ``delta[l]``.
``forward`` and ``gradients`` are FORWARD and FORBACK, ``forward_sensitivities`` the same gradient carried forward,
``sgd`` the TRAINING loop (``training_source`` prints the scalar code it runs; both live in ``nn.backprop_sgd``).

Two conventions, one computation (samples are the columns of a matrix inside; rows are transposed on entry):

| | one sample as a column (HH19) | a batch of rows (Nielsen's mini-batches, 004, PyTorch) |
|---|---|---|
| input | x of shape (n_1,) or (n_1, 1) | X of shape (N, n_1), one sample per row |
| forward | z^[l] = W^[l] a^[l-1] + b^[l] | Z^[l] = A^[l-1] (W^[l])^T + b^[l] |
| output delta | delta^[L] = sigma'(z^[L]) o dC/da^[L] | the same, row by row |
| hidden delta | delta^[l] = sigma'(z^[l]) o (W^[l+1])^T delta^[l+1] | Delta^[l] = sigma'(Z^[l]) o Delta^[l+1] W^[l+1] |
| dC/dW^[l] | delta^[l] (a^[l-1])^T (rank one) | 1/N (Delta^[l])^T A^[l-1] (the mean over samples) |
| dC/db^[l] | delta^[l] | 1/N sum of the rows of Delta^[l] |

Costs (the mean over the N samples of a cost C^{i} per sample):

| cost | C^{i} | delta^[L] |
|---|---|---|
| quadratic | 1/2 ‖y - a^[L]‖^2 (HH19) | sigma'(z^[L]) o (a^[L] - y) |
| mse | 1/n_L ‖a^[L] - y‖^2 (004) | sigma'(z^[L]) o 2/n_L (a^[L] - y) |
| cross_entropy, softmax output | -sum_k y_k ln a_k | a^[L] sum_k y_k - y, = a^[L] - y for one-hot y |
| binary_cross_entropy, sigmoid output | -sum_k [y_k ln a_k + (1 - y_k) ln(1 - a_k)] | a^[L] - y: sigma' cancels |
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from . import activations

Weights = Sequence[tuple[np.ndarray, np.ndarray]]
COSTS = ("quadratic", "mse", "cross_entropy", "binary_cross_entropy")
_CANCELS = {"cross_entropy": "softmax", "binary_cross_entropy": "sigmoid"}  # cost: the output that cancels


class Forward(NamedTuple):
    """What a forward pass keeps, indexed by HH19 layer number: ``a[1]`` is the input, ``a[L]`` the output.

    ``z[1]`` (the input has no weighted input) and index 0 are None. Arrays follow the input's convention.
    """

    z: list
    a: list

    @property
    def output(self) -> np.ndarray:
        """a^[L]."""
        return self.a[-1]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=0, keepdims=True))  # shifted by the column max so that exp never overflows
    return e / e.sum(axis=0, keepdims=True)


def _layers(weights: Weights) -> tuple[list, list]:
    """W[l], b[l] for l = 2..L (float64, checked to chain), padded so that the index is the layer number."""
    if len(weights) == 0:
        raise ValueError("backprop: weights is empty; give a list of (W, b) pairs, W^[l] of shape (n_l, n_(l-1))")
    W: list = [None, None]
    b: list = [None, None]
    for k, pair in enumerate(weights):
        Wl, bl = (np.asarray(p, dtype=np.float64) for p in pair)
        l = k + 2
        if bl.ndim == 2 and bl.shape[1] == 1:
            bl = bl[:, 0]
        if Wl.ndim != 2 or bl.shape != (Wl.shape[0],):
            raise ValueError(
                f"backprop: layer {l} has W^[{l}] of shape {Wl.shape} and b^[{l}] of shape {bl.shape}; "
                "W must be (n_out, n_in) and b (n_out,), the HH19 layout of model.get_weights()"
            )
        if k > 0 and Wl.shape[1] != W[l - 1].shape[0]:
            raise ValueError(
                f"backprop: W^[{l}] has shape {Wl.shape} but layer {l - 1} has {W[l - 1].shape[0]} neurons; "
                f"W^[{l}] must have {W[l - 1].shape[0]} columns"
            )
        W.append(Wl)
        b.append(bl)
    return W, b


def _columns(X: np.ndarray, n: int, what: str) -> tuple[np.ndarray, str]:
    """X as a matrix whose columns are samples, and which convention it came in ("vector", "column", "rows")."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1 and X.shape[0] == n:
        return X[:, None], "vector"
    if X.ndim == 2 and X.shape == (n, 1) and n > 1:
        return X, "column"
    if X.ndim == 2 and X.shape[1] == n:
        return X.T, "rows"
    raise ValueError(
        f"backprop: {what} has shape {X.shape}, but the layer has {n} neurons; give one sample as a column "
        f"({n},) or ({n}, 1), or a batch of rows (N, {n})"
    )


def _as_input(M: np.ndarray, style: str) -> np.ndarray:
    """A column-per-sample matrix back in the caller's convention."""
    return M[:, 0] if style == "vector" else M if style == "column" else M.T


def output_activation_for(cost: str, activation: str, output_activation: str | None) -> str:
    """The output activation to use: the one given, else softmax for cross_entropy, sigmoid for
    binary_cross_entropy, else the hidden activation (HH19: sigmoid in every layer).

    >>> output_activation_for("cross_entropy", "tanh", None)
    'softmax'
    """
    if cost not in COSTS:
        raise ValueError(f"backprop: unknown cost {cost!r}; known costs: {', '.join(COSTS)}")
    out = output_activation or _CANCELS.get(cost, activation)
    needed = _CANCELS.get(cost)
    if needed is not None and out != needed:
        raise ValueError(
            f"backprop: cost {cost!r} needs output_activation={needed!r} (its derivative cancels sigma'), "
            f"got {out!r}; use {needed!r} or the 'quadratic' cost"
        )
    return out


def _sigma(name: str, z: np.ndarray) -> np.ndarray:
    return _softmax(z) if name == "softmax" else activations.get(name).f(z)


def _forward(W: list, b: list, A1: np.ndarray, activation: str, output_activation: str) -> tuple[list, list]:
    L = len(W) - 1
    z: list = [None, None]
    a: list = [None, A1]                                        # a^[1] = x
    for l in range(2, L + 1):
        z.append(W[l] @ a[l - 1] + b[l][:, None])               # z^[l] = W^[l] a^[l-1] + b^[l]
        a.append(_sigma(output_activation if l == L else activation, z[l]))  # a^[l] = sigma(z^[l])
    return z, a


def forward(
    weights: Weights, X: np.ndarray, activation: str = "sigmoid", output_activation: str | None = None
) -> Forward:
    """HH19's FORWARD, keeping every z^[l] and a^[l]; ``output_activation`` None means ``activation``.

    >>> W2, b2 = np.array([[0.0, 0.0]]), np.array([0.0])       # the AND neuron of seed 004, all zero
    >>> forward([(W2, b2)], np.array([0.0, 1.0])).output       # sigma(0) = 0.5
    array([0.5])
    """
    W, b = _layers(weights)
    A1, style = _columns(X, W[2].shape[1], "X")
    z, a = _forward(W, b, A1, activation, output_activation or activation)
    back = [None if m is None else _as_input(m, style) for m in z], [None, *(_as_input(m, style) for m in a[1:])]
    return Forward(*back)


def _targets(Y: np.ndarray, n_L: int, N: int, style: str) -> np.ndarray:
    Y = np.asarray(Y, dtype=np.float64)
    if style == "rows" and n_L == 1 and Y.shape == (N,):
        Y = Y[:, None]                                          # one output: labels as a flat vector are fine
    cols, y_style = _columns(Y, n_L, "Y")
    if cols.shape[1] != N:
        raise ValueError(
            f"backprop: X holds {N} samples but Y has shape {Y.shape}; give one target row (of {n_L}) per sample"
        )
    return cols


def _cost_and_output_delta(cost: str, out: str, zL: np.ndarray, aL: np.ndarray, Y: np.ndarray) -> tuple:
    """The mean cost over the columns, and delta^[L] = dC^{i}/dz^[L] for each column (sample) i."""
    n_L = aL.shape[0]
    if cost == "cross_entropy":                                 # a = softmax(z): ln a = z - logsumexp(z)
        m = zL.max(axis=0, keepdims=True)
        log_a = zL - m - np.log(np.exp(zL - m).sum(axis=0, keepdims=True))
        C = -np.sum(Y * log_a, axis=0)                          # C^{i} = -sum_k y_k ln a_k
        return C.mean(), aL * Y.sum(axis=0, keepdims=True) - Y  # delta = a sum_k y_k - y
    if cost == "binary_cross_entropy":                          # ln a = -softplus(-z), ln(1 - a) = -softplus(z)
        sp = activations.get("softplus").f
        C = np.sum(Y * sp(-zL) + (1.0 - Y) * sp(zL), axis=0)    # C^{i} = -sum [y ln a + (1 - y) ln(1 - a)]
        return C.mean(), aL - Y                                 # delta = a - y: the miracle, sigma' cancels
    if cost == "quadratic":
        C = 0.5 * np.sum((Y - aL) ** 2, axis=0)                 # C^{i} = 1/2 ||y - a||^2
        dC_da = aL - Y                                          # dC^{i}/da = a - y
    else:
        C = np.sum((aL - Y) ** 2, axis=0) / n_L                 # C^{i} = 1/n_L ||a - y||^2
        dC_da = 2.0 / n_L * (aL - Y)                            # dC^{i}/da = 2/n_L (a - y)
    if out == "softmax":                                        # delta = J^T g, J = diag(a) - a a^T
        return C.mean(), aL * (dC_da - np.sum(dC_da * aL, axis=0, keepdims=True))
    return C.mean(), activations.get(out).derivative(zL) * dC_da  # delta^[L] = sigma'(z^[L]) o dC/da^[L]


class _Pass(NamedTuple):
    """What the backward passes need from the forward pass: the weights by layer, L, N, every z and a, the cost
    and delta^[L]."""

    W: list
    L: int
    N: int
    z: list
    a: list
    C: float
    delta_L: np.ndarray


def _forward_pass(weights: Weights, X: np.ndarray, Y: np.ndarray, activation: str,
                  output_activation: str | None, cost: str) -> _Pass:
    """The forward pass on columns (one per sample), the cost, and the output layer's delta."""
    W, b = _layers(weights)
    L = len(W) - 1
    out = output_activation_for(cost, activation, output_activation)
    A1, style = _columns(X, W[2].shape[1], "X")
    N = A1.shape[1]
    Yc = _targets(Y, W[L].shape[0], N, style)
    z, a = _forward(W, b, A1, activation, out)
    C, delta_L = _cost_and_output_delta(cost, out, z[L], a[L], Yc)
    return _Pass(W, L, N, z, a, C, delta_L)


def gradients(
    weights: Weights,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "sigmoid",
    output_activation: str | None = None,
    cost: str = "quadratic",
) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
    """HH19's FORBACK: the cost and [(dC/dW^[l], dC/db^[l]) for l = 2..L], by the delta rule.

    For a batch of rows the cost and the gradients are the means over the samples.

    >>> W2, b2 = np.array([[0.0, 0.0]]), np.array([0.0])       # seed 004: the AND neuron, input (0, 1), target 0
    >>> C, [(dW, db)] = gradients([(W2, b2)], np.array([0.0, 1.0]), np.array([0.0]))
    >>> float(C), dW.tolist(), db.tolist()                      # E = 0.125, dE/dw = (0, 0.125), dE/db = 0.125
    (0.125, [[0.0, 0.125]], [0.125])
    """
    # forward: z^[l] = W^[l] a^[l-1] + b^[l], a^[l] = sigma(z^[l]) for l = 2..L, then C and delta^[L]
    W, L, N, z, a, C, d = _forward_pass(weights, X, Y, activation, output_activation, cost)
    delta: list = [None] * (L + 1)
    delta[L] = d                                                # delta^[L] = sigma'(z^[L]) o dC/da^[L]
    sigma = activations.get(activation)
    for l in range(L - 1, 1, -1):
        delta[l] = sigma.derivative(z[l]) * (W[l + 1].T @ delta[l + 1])  # delta^[l] = sigma'(z^[l]) o W^T delta
    grads = [
        (delta[l] @ a[l - 1].T / N,                             # dC/dW^[l] = mean of delta^[l] (a^[l-1])^T
         delta[l].sum(axis=1) / N)                              # dC/db^[l] = mean of delta^[l]
        for l in range(2, L + 1)
    ]
    return float(C), grads


def total_cost(
    weights: Weights,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "sigmoid",
    output_activation: str | None = None,
    cost: str = "quadratic",
) -> float:
    """The cost alone (one forward pass): what numerical differences perturb.

    >>> total_cost([(np.zeros((1, 2)), np.zeros(1))], np.array([0.0, 1.0]), np.array([0.0]))
    0.125
    """
    return float(_forward_pass(weights, X, Y, activation, output_activation, cost).C)


def forward_sensitivities(
    weights: Weights,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "sigmoid",
    output_activation: str | None = None,
    cost: str = "quadratic",
) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
    """The same gradient as ``gradients``, the "natural way" of seed 002: derivatives carried forward.

    The derivative of every z^[l] towards every parameter p is carried from layer to layer by the chain rule,

        dz^[l]/dp = W^[l] (sigma'(z^[l-1]) o dz^[l-1]/dp)         for p in an earlier layer,
        dz_j^[l]/db_p^[l] = [j = p]                                 for layer l's own biases,

    and at the output dC/dp = sum_j delta_j^[L] dz_j^[L]/dp, with delta^[L] = dC/dz^[L] the output layer's own
    local derivative. A weight acts like its neuron's bias scaled by its input (z_p = sum_q W_pq a_q + b_p), so
    dz^[l]/dW_pq^[m] = dz^[l]/db_p^[m] a_q^[m-1]: only the biases' sensitivities are carried, n_l x n_m numbers
    per pair of layers, and each costs one row of W^[l]. That is about nodes x edges operations, where backprop
    carries one delta per node (about edges operations). Seed 002 counts the unknowns of the natural way, every
    dz^[l]/dW_pq^[m]: nodes x edges of them. Carried one by one, each would cost a row of W^[l] too, about
    parameters x edges in all, as much as numerical differences; the bias shortcut is what keeps forward mode at
    nodes x edges. Same signature and result as ``gradients``.

    >>> W2, b2 = np.zeros((1, 2)), np.zeros(1)
    >>> C, [(dW, db)] = forward_sensitivities([(W2, b2)], np.array([0.0, 1.0]), np.array([0.0]))
    >>> dW.tolist(), db.tolist()
    ([[0.0, 0.125]], [0.125])
    """
    W, L, N, z, a, C, delta_L = _forward_pass(weights, X, Y, activation, output_activation, cost)
    sigma = activations.get(activation)
    S: dict[int, np.ndarray] = {}                               # S[m] = dz^[l]/db^[m], shape (n_l, n_m, N)
    for l in range(2, L + 1):
        if l > 2:
            r = sigma.derivative(z[l - 1])                      # sigma'(z^[l-1]), shape (n_(l-1), N)
            for m in S:                                         # dz^[l]/db^[m] = W^[l] (r o dz^[l-1]/db^[m])
                S[m] = np.tensordot(W[l], r[:, None, :] * S[m], axes=1)
        S[l] = np.repeat(np.eye(W[l].shape[0])[:, :, None], N, axis=2)  # dz_j^[l]/db_p^[l] = [j = p]
    grads = []
    for m in range(2, L + 1):
        dC_db = np.einsum("jn,jpn->pn", delta_L, S[m])          # dC/db_p^[m] = sum_j delta_j^[L] dz_j^[L]/db_p^[m]
        grads.append((dC_db @ a[m - 1].T / N,                   # dC/dW_pq^[m] = dC/db_p^[m] a_q^[m-1], averaged
                      dC_db.sum(axis=1) / N))
    return float(C), grads


# HH19's TRAINING loop builds on the delta rule above, so it is imported after it: backprop.sgd is backprop_sgd.sgd.
from .backprop_sgd import Training, sgd, training_source  # noqa: E402, F401  (re-exported)
