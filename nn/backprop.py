"""The delta rule by hand: backpropagation in numpy, written in the lectures' (HH19) notation, and HH19's TRAINING
loop (stochastic gradient descent) built on it.

This module imports no engine: it is the independent witness that the engines are checked against
(``nn.compare``). Its activations and their derivatives come from the witness's own table, ``nn.activations``, never
from the engine's rules. Layers are numbered as in HH19: layer 1 is the input, layer L the output, and
``weights[l - 2]`` is the pair (W^[l], b^[l]) with W^[l] of shape (n_l, n_(l-1)) and b^[l] of shape (n_l,).
Inside, every list is indexed by that layer number: ``a[1]`` is x, ``z[l]``, ``W[l]``, ``delta[l]``.
``forward`` and ``gradients`` are FORWARD and FORBACK, ``forward_sensitivities`` the same gradient carried forward,
``sgd`` the TRAINING loop, and ``training_source`` the straight-line scalar Python that ``sgd`` runs on small nets.

Two conventions, one computation (samples are the columns of a matrix inside; rows are transposed on entry):

| | one sample as a column (HH19) | a batch of rows (Nielsen's mini-batches, ANN from scratch, PyTorch) |
|---|---|---|
| input | x of shape (n_1,) or (n_1, 1) | X of shape (N, n_1), one sample per row |
| forward | z^[l] = W^[l] a^[l-1] + b^[l] | Z^[l] = A^[l-1] (W^[l])^T + b^[l] |
| output delta | delta^[L] = sigma'(z^[L]) o dC/da^[L] | the same, row by row |
| hidden delta | delta^[l] = sigma'(z^[l]) o (W^[l+1])^T delta^[l+1] | Delta^[l] = sigma'(Z^[l]) o Delta^[l+1] W^[l+1] |
| dC/dW^[l] | delta^[l] (a^[l-1])^T (rank one) | 1/N (Delta^[l])^T A^[l-1] (the mean over samples) |
| dC/db^[l] | delta^[l] | 1/N sum of the rows of Delta^[l] |

ANN from scratch writes the batch of rows with its own weights, W0 of shape (N0, N1) = (W^[2])^T and B1 = b^[2]:
``forward(..., layout="rows")`` and ``gradients(..., layout="rows")`` (``forward_rows``, ``gradients_rows``)
take and return weights in that layout, with its formulas HS = IN W0 + B1, dE/dW1 = HO^T dE/dOS and
dE/dHO = dE/dOS W1^T. Either layout gives dC/dx too, with ``input_grad=True``.

Costs (the mean over the N samples of a cost C^{i} per sample):

| cost | C^{i} | delta^[L] |
|---|---|---|
| quadratic | 1/2 ‖y - a^[L]‖^2 (HH19) | sigma'(z^[L]) o (a^[L] - y) |
| mse | 1/n_L ‖a^[L] - y‖^2 (ANN from scratch) | sigma'(z^[L]) o 2/n_L (a^[L] - y) |
| cross_entropy, softmax output | -sum_k y_k ln a_k | a^[L] sum_k y_k - y, = a^[L] - y for one-hot y |
| binary_cross_entropy, sigmoid output | -sum_k [y_k ln a_k + (1 - y_k) ln(1 - a_k)] | a^[L] - y: sigma' cancels |

The cross-entropies take probabilities as targets (y_k in [0, 1] for binary_cross_entropy, y_k >= 0 for
cross_entropy) and refuse others: with y = -1 the binary one is ln a - 2 ln(1 - a), which has no lower bound.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from . import activations

Weights = Sequence[tuple[np.ndarray, np.ndarray]]
COSTS = ("quadratic", "mse", "cross_entropy", "binary_cross_entropy")
_CANCELS = {"cross_entropy": "softmax", "binary_cross_entropy": "sigmoid"}  # cost: the output that cancels

# The output delta's formulas, each written once: elementwise expressions in a = a^[L], y and n = n_L, evaluated on
# numpy arrays by ``gradients`` and written into the scalar code by ``training_source``.
_DC_DA = {"quadratic": "{a} - {y}",                             # dC^{i}/da^[L] = a - y
          "mse": "2.0 / {n} * ({a} - {y})"}                     # dC^{i}/da^[L] = 2/n_L (a - y)
_DELTA_CANCELLED = {"binary_cross_entropy": "{a} - {y}"}       # delta^[L] = dC^{i}/dz^[L] = a - y: sigma' cancels


@functools.cache
def _compiled(formula: str) -> Any:
    return compile(formula.format(a="a", y="y", n="n"), f"<nn.backprop {formula}>", "eval")


def _evaluate(formula: str, a: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    """One of the formulas above, on numpy arrays."""
    return eval(_compiled(formula), {"__builtins__": {}}, {"a": a, "y": y, "n": n})


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


@np.errstate(over="ignore")     # (decorated: a with-block costs about twice as much a call, in sgd's every step)
def _softmax(z: np.ndarray) -> np.ndarray:
    # shifted by the column max so that exp never overflows; a shift beyond -1.8e308 (logits 1e308 and -1e308) is
    # -inf, and e^-inf = 0 is the share it rounds to: a right answer, so no numpy warning
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _array(x: Any, what: str) -> np.ndarray:
    """x as a float64 array, or a ValueError naming ``what``: numbers only (no bools, strings, complex), all finite."""
    if isinstance(x, np.ma.MaskedArray) and np.ma.is_masked(x):  # np.asarray would keep the numbers under the mask
        # (autograd.checks.unmasked's words, written out: the hand-coded path imports no engine)
        n = int(np.ma.count_masked(x))
        raise TypeError(f"backprop: {what} is a masked array with {n} masked entr{'y' if n == 1 else 'ies'} of "
                        f"{x.size}; the mask would be ignored and the numbers under it used. Pass m.filled(value) "
                        "for the numbers you mean, or leave the masked samples out first (X[~X.mask.any(axis=1)])")
    try:
        arr = np.asarray(x)
    except ValueError:                                          # a ragged list
        raise ValueError(f"backprop: {what} is a ragged list (its rows differ in length); give a rectangular array"
                         ) from None
    if arr.dtype.kind == "b":
        raise ValueError(f"backprop: {what} is an array of bools of shape {arr.shape}; the delta rule needs numbers: "
                         "convert it with .astype(float) if 0 and 1 are meant")
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"backprop: {what} holds {arr.dtype} values (shape {arr.shape}); give real numbers, "
                         "an int or float array")
    arr = arr.astype(np.float64, copy=False)
    bad = ~np.isfinite(arr)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"backprop: {what} of shape {arr.shape} holds {int(bad.sum())} NaN or infinite "
                         f"value(s), the first at index {first}; drop or replace them (a diverged training? "
                         "try a smaller eta)")
    return arr


def _fits(M: Any, what: str) -> Any:
    """M, or a ValueError if an entry overflowed float64: a number beyond 1.8e308 is inf there, and inf - inf or
    0 * inf is NaN, so an inf or NaN cost, z or gradient would be a wrong answer, not a large one."""
    bad = ~np.isfinite(M)
    if bad.any():
        at = f" (the first at index {tuple(int(i) for i in np.argwhere(bad)[0])})" if np.ndim(M) else ""
        raise ValueError(f"backprop: {what} overflowed float64 (|x| > 1.8e308 became inf or NaN){at}; the "
                         "weights or inputs are too large to compute with: scale X or the weights down (a diverged "
                         "training? try a smaller eta)")
    return M


def _layers(weights: Weights) -> tuple[list, list]:
    """W[l], b[l] for l = 2..L (float64, checked to chain), padded so that the index is the layer number."""
    hint = "give a list of (W, b) pairs, W^[l] of shape (n_l, n_(l-1)), as model.get_weights() returns"
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence) or isinstance(weights, str):
        raise ValueError(f"backprop: weights is a {type(weights).__name__}; {hint}")
    if len(weights) == 0:
        raise ValueError(f"backprop: weights is empty; {hint}")
    W: list = [None, None]
    b: list = [None, None]
    for k, pair in enumerate(weights):
        l = k + 2
        if isinstance(pair, np.ndarray) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(f"backprop: weights[{k}] (layer {l}) is not a (W, b) pair; {hint}")
        Wl, bl = _array(pair[0], f"W^[{l}]"), _array(pair[1], f"b^[{l}]")
        if bl.ndim == 2 and bl.shape[1] == 1:
            bl = bl[:, 0]
        if Wl.ndim != 2 or bl.shape != (Wl.shape[0],):
            raise ValueError(
                f"backprop: layer {l} has W^[{l}] of shape {Wl.shape} and b^[{l}] of shape {bl.shape}; "
                "W must be (n_out, n_in) and b (n_out,), the HH19 layout of model.get_weights()"
            )
        if Wl.size == 0:
            raise ValueError(f"backprop: W^[{l}] has shape {Wl.shape}; every layer needs at least one neuron and "
                             "one input")
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
    X = _array(X, what)
    if X.ndim == 1 and X.shape[0] == n:
        return X[:, None], "vector"
    if X.ndim == 2 and X.shape == (n, 1) and n > 1:
        return X, "column"
    if X.ndim == 2 and X.shape[1] == n:
        if X.shape[0] == 0:
            raise ValueError(f"backprop: {what} has shape {X.shape}: no samples; give at least one row of {n}")
        return X.T, "rows"
    turned = f"; samples as columns? pass {what}.T" if X.ndim == 2 and X.shape[0] == n else ""
    raise ValueError(
        f"backprop: {what} has shape {X.shape}, but the layer has {n} neurons; give one sample as a column "
        f"({n},) or ({n}, 1), or a batch of rows (N, {n}){turned}"
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
    out = _CANCELS.get(cost, activation) if output_activation is None else output_activation  # "": unknown
    needed = _CANCELS.get(cost)
    if needed is not None and out != needed:
        raise ValueError(
            f"backprop: cost {cost!r} needs output_activation={needed!r} (its derivative cancels sigma'), "
            f"got {out!r}; use {needed!r} or the 'quadratic' cost"
        )
    return out


def _outputs(out: str, n_L: int) -> None:
    """A softmax needs two outputs or more: over one it is e^z / e^z = 1 whatever the weights, so no cost of it moves
    and every gradient is 0 (a net that "trains" without moving)."""
    if out == "softmax" and n_L == 1:
        raise ValueError("backprop: a softmax over one output is 1 whatever the weights (e^z / e^z), so the cost "
                         "cannot move and every gradient is 0; for two classes give one sigmoid output with "
                         "cost='binary_cross_entropy', or two softmax outputs with one-hot targets")


def _sigma(name: str, z: np.ndarray) -> np.ndarray:
    return _softmax(z) if name == "softmax" else activations.get(name).f(z)


def _forward(W: list, b: list, A1: np.ndarray, activation: str, output_activation: str,
             check: bool = True) -> tuple[list, list]:
    """z^[l] and a^[l] for l = 2..L; ``check=False`` for sgd's steps, whose overflow the check after each block of
    steps finds (an inf or NaN weight stays one)."""
    L = len(W) - 1
    z: list = [None, None]
    a: list = [None, A1]                                        # a^[1] = x
    for l in range(2, L + 1):
        z.append(W[l] @ a[l - 1] + b[l][:, None])               # z^[l] = W^[l] a^[l-1] + b^[l]
        if check:
            _fits(z[l], f"z^[{l}] = W^[{l}] a^[{l - 1}] + b^[{l}]")   # |z^[l]| <= 1.8e308, else refused
        a.append(_sigma(output_activation if l == L else activation, z[l]))  # a^[l] = sigma(z^[l])
    return z, a


def forward(
    weights: Weights, X: np.ndarray, activation: str = "sigmoid", output_activation: str | None = None,
    *, layout: str = "columns"
) -> Forward:
    """HH19's FORWARD, keeping every z^[l] and a^[l]; ``output_activation`` None means ``activation``.

    ``layout="rows"`` takes ANN from scratch's row-vector network instead (see ``forward_rows``).

    >>> W2, b2 = np.array([[0.0, 0.0]]), np.array([0.0])       # the AND neuron of ANN from scratch, all zero
    >>> forward([(W2, b2)], np.array([0.0, 1.0])).output       # sigma(0) = 0.5
    array([0.5])
    """
    if _layout(layout) == "rows":
        return forward_rows(weights, X, activation, output_activation)
    W, b = _layers(weights)
    A1, style = _columns(X, W[2].shape[1], "X")
    z, a = _forward(W, b, A1, activation, activation if output_activation is None else output_activation)
    back = [None if m is None else _as_input(m, style) for m in z], [None, *(_as_input(m, style) for m in a[1:])]
    return Forward(*back)


def _targets(Y: np.ndarray, n_L: int, N: int, style: str) -> np.ndarray:
    Y = _array(Y, "Y")
    if style == "rows" and n_L == 1 and Y.shape == (N,):
        Y = Y[:, None]                                          # one output: labels as a flat vector are fine
    if style == "rows" and n_L > 1 and N > 1 and Y.ndim == 1:   # one number per sample for n_L outputs
        raise ValueError(f"backprop: Y has shape {Y.shape}, one number per sample, but the output layer has {n_L} "
                         f"neurons; give a target row of {n_L} per sample, shape ({N}, {n_L}) (class labels k: "
                         f"one-hot rows np.eye({n_L})[k])")
    cols, y_style = _columns(Y, n_L, "Y")
    if cols.shape[1] != N:
        raise ValueError(
            f"backprop: X holds {N} samples but Y has shape {Y.shape}; give one target row (of {n_L}) per sample"
        )
    return cols


def _probabilities(cost: str, Y: np.ndarray) -> None:
    """A cross-entropy's targets are probabilities: y in [0, 1] for binary_cross_entropy, y >= 0 for cross_entropy
    (one-hot rows, or any weights >= 0: delta = a sum_k y_k - y). Outside, the cost has no lower bound (y = -1:
    C = ln a - 2 ln(1 - a) -> -inf as a -> 0) and gradient descent runs after it. Checked once per call, on the
    whole Y (a column per sample), never per step: other costs take any real targets."""
    if cost not in _CANCELS:
        return
    bad = (Y < 0) | (Y > 1) if cost == "binary_cross_entropy" else Y < 0
    if bad.any():
        k, i = (int(j) for j in np.argwhere(bad)[0])            # Y is a column per sample: output k of sample i
        interval, fix = ("[0, 1]", "the probability of class 1; for -1/+1 labels t pass (t + 1) / 2") \
            if cost == "binary_cross_entropy" else (">= 0", "one-hot rows or probabilities")
        more = f" and {int(bad.sum()) - 1} more" if bad.sum() > 1 else ""
        raise ValueError(f"backprop: cost {cost!r} needs targets y {interval} ({fix}), got {float(Y[k, i])!r} "
                         f"(sample {i}, output {k}){more}: such targets give a cost without a lower bound, which "
                         "gradient descent would chase to -inf. Use the 'quadratic' cost for other targets")


def _cost(cost: str, zL: np.ndarray, aL: np.ndarray, Y: np.ndarray) -> Any:
    """The cost C^{i} of each column (sample) i, and their mean (the targets were checked on entry:
    ``_probabilities``)."""
    if cost == "cross_entropy":                                 # a = softmax(z): ln a = z - logsumexp(z)
        m = zL.max(axis=0, keepdims=True)
        with np.errstate(over="ignore"):                        # z - m beyond -1.8e308 is ln a = -inf: see below
            log_a = zL - m - np.log(np.exp(zL - m).sum(axis=0, keepdims=True))
        # C^{i} = -sum_k y_k ln a_k over the k with y_k > 0: a y_k = 0 takes no term, whatever a_k (0 (-inf) would
        # be NaN where logits 1e308 and -1e308 cost 0); a y_k > 0 on ln a_k = -inf makes C inf, which _fits refuses
        C = -np.sum(Y * np.where(Y != 0.0, log_a, 0.0), axis=0)
    elif cost == "binary_cross_entropy":                        # ln a = -softplus(-z), ln(1 - a) = -softplus(z)
        sp = activations.get("softplus").f
        C = np.sum(Y * sp(-zL) + (1.0 - Y) * sp(zL), axis=0)    # C^{i} = -sum [y ln a + (1 - y) ln(1 - a)]
    elif cost == "quadratic":
        C = 0.5 * np.sum((Y - aL) ** 2, axis=0)                 # C^{i} = 1/2 ||y - a||^2
    else:
        C = np.sum((aL - Y) ** 2, axis=0) / aL.shape[0]         # C^{i} = 1/n_L ||a - y||^2
    return _fits(C.mean(), "the cost")


def _output_delta(cost: str, out: str, zL: np.ndarray, aL: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """delta^[L] = dC^{i}/dz^[L] for each column (sample) i."""
    n_L = aL.shape[0]
    if cost == "cross_entropy":
        return aL * Y.sum(axis=0, keepdims=True) - Y            # delta = a sum_k y_k - y
    if cost == "binary_cross_entropy":
        return _evaluate(_DELTA_CANCELLED[cost], aL, Y, n_L)    # delta = a - y: the miracle, sigma' cancels
    dC_da = _evaluate(_DC_DA[cost], aL, Y, n_L)                 # dC^{i}/da = a - y (quadratic), 2/n_L (a - y) (mse)
    if out == "softmax":                                        # delta = J^T g, J = diag(a) - a a^T
        return aL * (dC_da - np.sum(dC_da * aL, axis=0, keepdims=True))
    return activations.get(out).derivative(zL) * dC_da          # delta^[L] = sigma'(z^[L]) o dC/da^[L]


def _deltas(W: list, z: list, delta_L: np.ndarray, activation: str) -> list:
    """delta^[l] for l = L, L-1, ..., 2, indexed by layer number, from delta^[L] backwards."""
    L = len(W) - 1
    delta: list = [None] * (L + 1)
    delta[L] = delta_L                                          # delta^[L] = sigma'(z^[L]) o dC/da^[L]
    sigma = activations.get(activation)
    for l in range(L - 1, 1, -1):
        delta[l] = sigma.derivative(z[l]) * (W[l + 1].T @ delta[l + 1])  # delta^[l] = sigma'(z^[l]) o W^T delta
    return delta


class _Pass(NamedTuple):
    """What the backward passes need from the forward pass: the weights by layer, L, N, every z and a, the cost
    and delta^[L]."""

    W: list
    L: int
    N: int
    z: list
    a: list
    C: float
    delta_L: np.ndarray | None


def _forward_pass(weights: Weights, X: np.ndarray, Y: np.ndarray, activation: str,
                  output_activation: str | None, cost: str, delta: bool = True) -> _Pass:
    """The forward pass on columns (one per sample), the cost, and the output layer's delta (None if not
    ``delta``: the cost alone)."""
    W, b = _layers(weights)
    L = len(W) - 1
    out = output_activation_for(cost, activation, output_activation)
    _outputs(out, W[L].shape[0])
    A1, style = _columns(X, W[2].shape[1], "X")
    N = A1.shape[1]
    Yc = _targets(Y, W[L].shape[0], N, style)
    _probabilities(cost, Yc)
    z, a = _forward(W, b, A1, activation, out)
    C = _cost(cost, z[L], a[L], Yc)
    return _Pass(W, L, N, z, a, C, _output_delta(cost, out, z[L], a[L], Yc) if delta else None)


def gradients(
    weights: Weights,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "sigmoid",
    output_activation: str | None = None,
    cost: str = "quadratic",
    *,
    layout: str = "columns",
    input_grad: bool = False,
) -> Any:
    """HH19's FORBACK: the cost and [(dC/dW^[l], dC/db^[l]) for l = 2..L], by the delta rule.

    For a batch of rows the cost and the gradients are the means over the samples. ``input_grad=True`` also
    returns dC/dx, the gradient towards the input (Dehaqani's dDiv/dy^(0), ANN from scratch's dE/dIN), in the input's
    shape: ``(cost, grads, dC_dX)``. ``layout="rows"`` takes and returns ANN from scratch's row-vector weights
    (see ``gradients_rows``).

    >>> W2, b2 = np.array([[0.0, 0.0]]), np.array([0.0])       # ANN from scratch's AND neuron, input (0, 1), target 0
    >>> C, [(dW, db)] = gradients([(W2, b2)], np.array([0.0, 1.0]), np.array([0.0]))
    >>> float(C), dW.tolist(), db.tolist()                      # E = 0.125, dE/dw = (0, 0.125), dE/db = 0.125
    (0.125, [[0.0, 0.125]], [0.125])
    """
    _switch(input_grad, "gradients", "input_grad")
    if _layout(layout) == "rows":
        return gradients_rows(weights, X, Y, activation, output_activation, cost, input_grad=input_grad)
    # forward: z^[l] = W^[l] a^[l-1] + b^[l], a^[l] = sigma(z^[l]) for l = 2..L, then C and delta^[L]
    W, L, N, z, a, C, delta_L = _forward_pass(weights, X, Y, activation, output_activation, cost)
    delta = _deltas(W, z, delta_L, activation)                  # delta^[l] = sigma'(z^[l]) o (W^[l+1])^T delta^[l+1]
    grads = [
        (delta[l] @ a[l - 1].T / N,                             # dC/dW^[l] = mean of delta^[l] (a^[l-1])^T
         delta[l].sum(axis=1) / N)                              # dC/db^[l] = mean of delta^[l]
        for l in range(2, L + 1)
    ]
    _gradients_fit(grads)
    if input_grad:                                              # dC/da^[1] = mean of (W^[2])^T delta^[2], a^[1] = x
        dC_dx = _fits(W[2].T @ delta[2] / N, "dC/dx")
        return float(C), grads, _as_input(dC_dx, _columns(X, W[2].shape[1], "X")[1])
    return float(C), grads


def _gradients_fit(grads: list, rows: bool = False) -> None:
    """Each dC/dW^[l] and dC/db^[l] (ANN from scratch's dE/dWk, dE/dBk+1 in the row layout) refused if it overflowed."""
    for k, (dW, db) in enumerate(grads):
        _fits(dW, f"dE/dW{k}" if rows else f"dC/dW^[{k + 2}]")
        _fits(db, f"dE/dB{k + 1}" if rows else f"dC/db^[{k + 2}]")


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
    return float(_forward_pass(weights, X, Y, activation, output_activation, cost, delta=False).C)


def forward_sensitivities(
    weights: Weights,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "sigmoid",
    output_activation: str | None = None,
    cost: str = "quadratic",
) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
    """The same gradient as ``gradients``, the "natural way" of Nielsen: derivatives carried forward.

    The derivative of every z^[l] towards every parameter p is carried from layer to layer by the chain rule,

        dz^[l]/dp = W^[l] (sigma'(z^[l-1]) o dz^[l-1]/dp)         for p in an earlier layer,
        dz_j^[l]/db_p^[l] = [j = p]                                 for layer l's own biases,

    and at the output dC/dp = sum_j delta_j^[L] dz_j^[L]/dp, with delta^[L] = dC/dz^[L] the output layer's own
    local derivative. A weight acts like its neuron's bias scaled by its input (z_p = sum_q W_pq a_q + b_p), so
    dz^[l]/dW_pq^[m] = dz^[l]/db_p^[m] a_q^[m-1]: only the biases' sensitivities are carried, n_l x n_m numbers
    per pair of layers, and each costs one row of W^[l]. That is about nodes x edges operations, where backprop
    carries one delta per node (about edges operations). Nielsen counts the unknowns of the natural way, every
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
    _gradients_fit(grads)
    return float(C), grads


# --- HH19's TRAINING: p <- p - eta grad C^{i}(p), each step on a random sample i ----------------------------------
class Training(NamedTuple):
    """What ``sgd`` returns: the trained weights and the cost over all N samples at the recorded steps."""

    weights: list[tuple[np.ndarray, np.ndarray]]
    steps: np.ndarray
    costs: np.ndarray


_UNROLLED = ("quadratic", "mse", "binary_cross_entropy")       # the costs training_source writes out
_MAX_UNROLLED = 5000                                            # weights; beyond, numpy per step costs less
# training_source writes a line or two per weight: [1000, 1000] took 8 s and 400 MB, [10**4, 10**4] would take
# about 40 GB; it is code to read (and sgd runs it only up to _MAX_UNROLLED weights)
_MAX_SOURCE = 100_000
# sgd records the cost over all N samples every record_every steps, and keeps every record to the end:
# record_every=1 with iterations=10**12 grew by 0.23 MB a second on HH19's ten points, without end (10**9 records
# would be tens of GB), and spent its time on the records rather than the steps
_MAX_RECORDS = 10**6


def _count_shown(x: int) -> str:
    """A whole number for a message: with its commas, or its order of magnitude when it has over 100 digits (str()
    of a number of over 4,300 digits raises Python's own error, which would replace the message).

    >>> _count_shown(12345), _count_shown(10**5000)
    ('12,345', 'about 10^5000')
    """
    return f"{x:,}" if x < 10**100 else f"about 10^{int(math.log10(x))}"


def _scalar_activation(name: Any) -> activations.Activation | None:
    """The witness's activation called ``name`` if it has a scalar form (softmax and step have none), else None."""
    try:
        act = activations.get(name)
    except ValueError:
        return None
    return act if act.scalar is not None and act.df is not None else None


def _check_sizes(sizes: Any) -> tuple[int, ...]:
    """The layer widths n_1, ..., n_L as a tuple of ints, or a ValueError that says what a valid ``sizes`` is."""
    fix = "give the widths n_1, ..., n_L of all layers, input first, as a list of at least two ints >= 1, " \
          "e.g. sizes=[2, 2, 3, 2] for HH19's network"
    if isinstance(sizes, str | bytes | set | frozenset | dict) or not hasattr(sizes, "__iter__"):
        raise ValueError(f"training_source: sizes={sizes!r} is a {type(sizes).__name__}; {fix}")
    widths = list(sizes)
    for n in widths:
        if isinstance(n, bool | np.bool_) or not isinstance(n, numbers.Integral):
            raise ValueError(f"training_source: sizes={sizes!r} holds {n!r}, a {type(n).__name__}; {fix}")
        if n < 1:
            raise ValueError(f"training_source: sizes={sizes!r} holds {n}, a layer without neurons; {fix}")
    if len(widths) < 2:
        raise ValueError(f"training_source: sizes={sizes!r} has {len(widths)} layer(s), but a network needs an "
                         f"input and an output layer; {fix}")
    return tuple(int(n) for n in widths)


def training_source(sizes: Sequence[int], activation: str = "sigmoid", output_activation: str | None = None,
                    cost: str = "quadratic") -> str:
    """HH19's TRAINING loop written out for one network as plain Python, one line per formula, with HH19's indices
    (``w3_2_1`` is w_21^[3], ``a2_1`` is a_1^[2]); ``sizes`` are the widths n_1, ..., n_L, input first.
    ``sgd`` compiles and runs it: numpy spends about a microsecond per call, more than all the arithmetic of a small
    net, and scalar Python with every weight in a local variable does a 2-2-3-2 step in about 1.3 us (numpy by hand:
    about 20 us). Print it to read netbp as scalar formulas. sigma and sigma' are the scalar forms of the witness's
    table (``nn.activations``), the cost's derivative the formula ``gradients`` evaluates; the code imports ``exp``
    (and ``tanh``, ``log1p``) from ``math`` itself, so ``exec`` needs no scope.
    As in HH19's netbp.m, every delta is computed from the weights before the step, so each step is exactly
    p <- p - eta grad C^{i}(p) (the tests compare it with ``gradients``). It writes a line or more per weight, for
    at most 100,000 weights and biases (a net of [315, 315]); more is refused.

    >>> print(training_source([1, 1]))                          # doctest: +NORMALIZE_WHITESPACE
    def train(p, xs, ys, eta, order):
        from math import exp, log1p, tanh                       # local names: the loop reads them fastest
        w2_1_1, b2_1, = p
        samples = [(*x, *y) for x, y in zip(xs, ys)]            # (x^{i}, y^{i}), one tuple for each i
        for i in order:
            a1_1, y_1, = samples[i]
            # layer 2: z = W^[2] a^[1] + b^[2], a^[2] = sigma(z), r^[2] = sigma'(z)
            z = w2_1_1 * a1_1 + b2_1
            if z >= 0.0: e = exp(-z); t = 1.0 + e; a2_1 = 1.0 / t
            else: e = exp(z); t = 1.0 + e; a2_1 = e / t
            r2_1 = e / (t * t)
            # delta^[2] = r^[2] o dC/da^[2]
            d2_1 = r2_1 * (a2_1 - y_1)
            # W^[l] <- W^[l] - eta delta^[l] (a^[l-1])^T, b^[l] <- b^[l] - eta delta^[l]
            g = eta * d2_1
            w2_1_1 -= g * a1_1
            b2_1 -= g
        return [w2_1_1, b2_1]
    """
    n = [0, *_check_sizes(sizes)]                               # n[l] = n_l, l = 1..L
    L = len(n) - 1
    count = sum((a + 1) * b for a, b in zip(n[1:], n[2:]))
    if count > _MAX_SOURCE:
        raise ValueError(f"training_source: these sizes make {_count_shown(count)} weights and biases, a line of "
                         f"code or more each; it writes at most {_MAX_SOURCE:,} (sgd runs it up to "
                         f"{_MAX_UNROLLED:,}): for a larger net take the formulas in numpy, gradients() and sgd()")
    out = output_activation_for(cost, activation, output_activation)
    hidden, last = _scalar_activation(activation), _scalar_activation(out)
    if cost not in _UNROLLED or hidden is None or last is None:
        covered = ", ".join(name for name in activations.ACTIVATIONS if _scalar_activation(name))
        raise ValueError(f"training_source: no scalar form for activation {activation!r}, output {out!r} and cost "
                         f"{cost!r}; it covers {covered} with the costs {', '.join(_UNROLLED)}")
    cancels = cost in _DELTA_CANCELLED
    params = [name for l in range(2, L + 1) for j in range(1, n[l] + 1)
              for name in (*(f"w{l}_{j}_{k}" for k in range(1, n[l - 1] + 1)), f"b{l}_{j}")]
    inputs = [f"a1_{k}" for k in range(1, n[1] + 1)] + [f"y_{j}" for j in range(1, n[L] + 1)]
    code = ["def train(p, xs, ys, eta, order):",
            "    from math import exp, log1p, tanh                       # local names: the loop reads them fastest",
            f"    {', '.join(params)}, = p",
            "    samples = [(*x, *y) for x, y in zip(xs, ys)]            # (x^{i}, y^{i}), one tuple for each i",
            "    for i in order:",
            f"        {', '.join(inputs)}, = samples[i]"]
    for l in range(2, L + 1):
        sigma = last if l == L else hidden
        keep_r = l < L or not cancels                           # sigma'(z^[L]) cancels: not needed
        code.append(f"        # layer {l}: z = W^[{l}] a^[{l - 1}] + b^[{l}], a^[{l}] = sigma(z)"
                    + (f", r^[{l}] = sigma'(z)" if keep_r else ""))
        for j in range(1, n[l] + 1):
            terms = " + ".join(f"w{l}_{j}_{k} * a{l - 1}_{k}" for k in range(1, n[l - 1] + 1))
            code.append(f"        z = {terms} + b{l}_{j}")
            code += ["        " + line for line in sigma.scalar_lines(f"a{l}_{j}", f"r{l}_{j}" if keep_r else None)]
    code.append(f"        # delta^[{L}] = " + ("a^[L] - y: sigma' cancels" if cancels else f"r^[{L}] o dC/da^[{L}]"))
    for j in range(1, n[L] + 1):
        ay = dict(a=f"a{L}_{j}", y=f"y_{j}", n=n[L])
        delta = _DELTA_CANCELLED[cost].format(**ay) if cancels else f"r{L}_{j} * ({_DC_DA[cost].format(**ay)})"
        code.append(f"        d{L}_{j} = {delta}")
    for l in range(L - 1, 1, -1):
        code.append(f"        # delta^[{l}] = r^[{l}] o (W^[{l + 1}])^T delta^[{l + 1}], the weights before the step")
        for k in range(1, n[l] + 1):
            back = " + ".join(f"w{l + 1}_{j}_{k} * d{l + 1}_{j}" for j in range(1, n[l + 1] + 1))
            code.append(f"        d{l}_{k} = r{l}_{k} * ({back})")
    code.append("        # W^[l] <- W^[l] - eta delta^[l] (a^[l-1])^T, b^[l] <- b^[l] - eta delta^[l]")
    for l in range(2, L + 1):
        for j in range(1, n[l] + 1):
            code.append(f"        g = eta * d{l}_{j}")
            code += [f"        w{l}_{j}_{k} -= g * a{l - 1}_{k}" for k in range(1, n[l - 1] + 1)]
            code.append(f"        b{l}_{j} -= g")
    code.append(f"    return [{', '.join(params)}]")
    return "\n".join(code) + "\n"


@functools.lru_cache(maxsize=32)
def _compiled_training(sizes: tuple, activation: str, out: str, cost: str):
    scope = dict(activations.SCALAR_SCOPE)
    exec(compile(training_source(sizes, activation, out, cost), "<nn.backprop.training_source>", "exec"), scope)
    return scope["train"]


def _count(x: Any, name: str, least: int) -> int:
    if isinstance(x, bool | np.bool_) or not isinstance(x, numbers.Integral) or x < least:
        raise ValueError(f"sgd: {name}={x!r}; give an int >= {least}")
    return int(x)


def _step(W: list, b: list, x: np.ndarray, y: np.ndarray, eta: float, activation: str, out: str, cost: str) -> None:
    """One step of HH19's TRAINING on the sample (x, y), columns of n_1 and n_L; W[l] and b[l] change in place.

    The lecture's formulas and nothing else: ``sgd`` checks the weights, the data and the targets once, before the
    first step, and the cost after each block of steps, which finds a step that overflowed (a weight that became
    inf or NaN stays inf or NaN)."""
    L = len(W) - 1
    z, a = _forward(W, b, x, activation, out, check=False)      # z^[l] = W^[l] a^[l-1] + b^[l], a^[l] = sigma(z^[l])
    delta_L = _output_delta(cost, out, z[L], a[L], y)           # delta^[L] = sigma'(z^[L]) o dC/da^[L]
    delta = _deltas(W, z, delta_L, activation)                  # delta^[l] = sigma'(z^[l]) o (W^[l+1])^T delta^[l+1]
    for l in range(2, L + 1):                                   # every delta from the weights before the step
        W[l] -= eta * (delta[l] @ a[l - 1].T)                   # W^[l] <- W^[l] - eta delta^[l] (a^[l-1])^T
        b[l] -= eta * delta[l][:, 0]                            # b^[l] <- b^[l] - eta delta^[l]


def sgd(
    weights: Weights,
    X: np.ndarray,
    Y: np.ndarray,
    eta: float = 0.05,
    iterations: int = 1_000_000,
    rng: np.random.Generator | int | None = None,
    record_every: int = 1000,
    activation: str = "sigmoid",
    output_activation: str | None = None,
    cost: str = "quadratic",
) -> Training:
    """HH19's TRAINING: ``iterations`` steps p <- p - eta grad C^{i}(p), each on a random sample i (with
    replacement); the cost over all N samples (rows of X, Y) is recorded at step 0 and every ``record_every`` steps.

    With the quadratic, mse or binary_cross_entropy cost and elementwise activations, a net of up to 5000 weights
    runs the code ``training_source`` writes (1e6 steps of the 2-2-3-2 net in about 1.3 s); anything else takes
    a step of ``gradients``' formulas in numpy, many times slower on so small a net, because each of numpy's calls
    costs more than a small net's arithmetic (the 10 s target for HH19's 1e6 steps needs the scalar code). Either
    way the weights, the data and the targets are checked once, before the first step, not at every step.
    The given weights are not changed. A training that diverges (a weight or the cost beyond float64) is refused
    with a ValueError naming the steps between which it happened, never returned with NaN costs. The samples are
    drawn block by block, ``rng.integers(0, N, size=block)`` for each block of ``record_every`` steps, so another
    engine can replay the same steps. At most 10**6 costs are recorded after the one at the start
    (``iterations / record_every``).

    >>> X, Y = np.array([[0.0, 1.0]]), np.array([[0.0]])
    >>> result = sgd([(np.zeros((1, 2)), np.zeros(1))], X, Y, eta=0.1, iterations=1, rng=0, record_every=1)
    >>> result.weights[0][0].tolist(), float(result.costs[0])  # ANN from scratch: w1 stays 0, w2 = -0.1 * 0.125
    ([[0.0, -0.0125]], 0.125)
    """
    W, b = _layers(weights)
    L = len(W) - 1
    out = output_activation_for(cost, activation, output_activation)
    X = _array(X, "X")
    Y = _array(Y, "Y")
    if X.ndim != 2 or X.shape[1] != W[2].shape[1] or X.shape[0] == 0:
        raise ValueError(f"sgd: X has shape {X.shape}; give the data as rows, shape (N, {W[2].shape[1]}) with N >= 1")
    if Y.ndim == 1 and W[L].shape[0] == 1:
        Y = Y[:, None]
    if Y.shape != (X.shape[0], W[L].shape[0]):
        raise ValueError(f"sgd: Y has shape {Y.shape}; give one target row per sample, shape ({X.shape[0]}, "
                         f"{W[L].shape[0]})")
    iterations, record_every = _count(iterations, "iterations", 0), _count(record_every, "record_every", 1)
    if -(-iterations // record_every) > _MAX_RECORDS:
        raise ValueError(f"sgd: iterations={_count_shown(iterations)} with record_every={_count_shown(record_every)} "
                         f"would record the cost {_count_shown(-(-iterations // record_every))} times after the "
                         f"start, more than {_MAX_RECORDS:,} (each record is a pass over all N samples, kept to the "
                         f"end); take record_every >= {_count_shown(-(-iterations // _MAX_RECORDS))}")
    if isinstance(eta, bool | np.bool_) or not isinstance(eta, numbers.Real) or not math.isfinite(eta) or eta <= 0:
        # eta <= 0 would stand still or climb the cost (gradient ascent) while reporting a training run, as the
        # optimizers' lr > 0 rule says
        raise ValueError(f"sgd: eta={eta!r}; give the learning rate as a finite number > 0, e.g. eta=0.05")
    try:
        if isinstance(rng, bool | np.bool_):                    # True would be taken as the seed 1
            raise TypeError
        rng = np.random.default_rng(rng)
    except (TypeError, ValueError):                             # numpy's words would name no function
        raise ValueError(f"sgd: rng={rng!r}; give None, a seed (a whole number >= 0) or a numpy Generator, "
                         "e.g. rng=0") from None
    # The steps below compute formulas only: what they could trip on is refused here, once, on the whole data
    # (X, Y and the weights are finite numbers, checked above by _array and _layers), before any weight moves.
    _outputs(out, W[L].shape[0])                                # a softmax over one output cannot move
    _probabilities(cost, Y.T)                                   # a cross-entropy's targets are probabilities
    W = [None, None, *(W[l].copy() for l in range(2, L + 1))]   # sgd's own arrays, stepped in place: the given
    b = [None, None, *(b[l].copy() for l in range(2, L + 1))]   # weights are not changed
    sizes = tuple([W[2].shape[1], *(W[l].shape[0] for l in range(2, L + 1))])
    unrolled = (_scalar_activation(activation) is not None and _scalar_activation(out) is not None
                and cost in _UNROLLED and sum(W[l].size for l in range(2, L + 1)) <= _MAX_UNROLLED)
    if unrolled:                                                # the flat list (w_j1, ..., w_jn, b_j) row by row
        flat = [v for l in range(2, L + 1) for v in np.column_stack([W[l], b[l]]).ravel().tolist()]
        xs, ys = X.tolist(), Y.tolist()
        train = _compiled_training(sizes, activation, out, cost)

    def current() -> list[tuple[np.ndarray, np.ndarray]]:
        if not unrolled:
            return [(W[l].copy(), b[l].copy()) for l in range(2, L + 1)]
        pairs, at = [], 0
        for l in range(2, L + 1):
            n_l = len(W[l])
            R = np.array(flat[at:at + W[l].size + n_l], dtype=np.float64).reshape(n_l, -1)
            pairs.append((R[:, :-1].copy(), R[:, -1].copy()))
            at += R.size
        return pairs

    A1, Yc = X.T, Y.T                                           # samples as columns, as total_cost takes rows

    def cost_now() -> float:
        """total_cost(current(), X, Y, ...), the same numpy calls on the same arrays (so the same number), without
        checking again the weights and the data checked above. Its z^[l] and the cost are still checked: that is
        where a step that overflowed is found."""
        Wc, bc = [None, None], [None, None]                     # indexed by layer number, as _layers gives them
        for Wl, bl in current():
            Wc.append(Wl)
            bc.append(bl)
        z, a = _forward(Wc, bc, A1, activation, out)
        return float(_cost(cost, z[L], a[L], Yc))

    steps, costs = [0], [cost_now()]
    done = 0
    while done < iterations:
        chunk = min(record_every, iterations - done)
        order = rng.integers(0, X.shape[0], size=chunk).tolist()  # i = random uniform from {1, ..., N}
        try:
            if unrolled:
                flat = train(flat, xs, ys, eta, order)
            else:
                # an overflow in these steps leaves a weight inf or NaN, which cost_now() below refuses, naming the
                # steps it happened between: numpy's warnings on the way would only say it before
                with np.errstate(over="ignore", invalid="ignore"):
                    for i in order:
                        _step(W, b, X[i][:, None], Y[i][:, None], eta, activation, out, cost)  # on x^{i}, y^{i}
            C = cost_now()
        except ValueError as e:   # all was checked above: only numbers that outgrew float64 (inf, NaN) get here
            what = str(e).removeprefix("backprop: ").split("; ")[0]
            raise ValueError(f"sgd: the training diverged between steps {done} and {done + chunk}: the cost was "
                             f"{costs[-1]:.6g} at step {done}, then {what}; eta={eta!r} is too large for these "
                             "data and weights: give a smaller eta") from None
        done += chunk
        steps.append(done)
        costs.append(C)
    return Training(current(), np.array(steps), np.array(costs))


# --- ANN from scratch's row-vector network, in its own names ---------------------------------------------------
# A sample is a row IN[N0]; weights W0[N0][N1] (W0_ij: from input unit i to hidden unit j), biases B1[N1], and so on:
#     HS = IN x W0 + B1,  HO = sigma(HS),  OS = HO x W1 + B2,  OO = sigma(OS),  E = 1/N2 sum_i (OO_i - Y_i)^2
# and backwards
#     dE/dOO = 2/N2 (OO - Y),  dE/dOS = dE/dOO o sigma'(OS),  dE/dB2 = dE/dOS,  dE/dW1 = HO^T dE/dOS,
#     dE/dHO = dE/dOS W1^T,  then the same again with HO, HS, W0, B1, IN in place of OO, OS, W1, B2, HO.
# Each W here is HH19's W^[l] transposed: W0 = (W^[2])^T, B1 = b^[2], W1 = (W^[3])^T, B2 = b^[3]; the same numbers.
# A batch stacks samples as rows and takes the mean over them (the sum of the per-row formulas, over N).
def _layout(layout: Any) -> str:
    if layout not in ("columns", "rows"):
        raise ValueError(f"backprop: layout must be 'columns' (HH19: W^[l] of shape (n_l, n_(l-1))) or 'rows' "
                         f"(ANN from scratch: W0 of shape (N0, N1), HS = IN W0 + B1), got {layout!r}")
    return layout


def _row_weights(weights: Weights) -> tuple[list, list]:
    """[W0, W1, ...] of shapes (N0, N1), (N1, N2), ... and [B1, B2, ...], checked to chain."""
    hint = "give a list of (W, B) pairs in ANN from scratch's layout, W0 of shape (N0, N1) and B1 of shape (N1,)"
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence) or isinstance(weights, str) \
            or len(weights) == 0:
        raise ValueError(f"backprop: layout='rows' weights must be a non-empty list; {hint}")
    Ws, Bs = [], []
    for k, pair in enumerate(weights):
        if isinstance(pair, np.ndarray) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(f"backprop: weights[{k}] (W{k}, B{k + 1}) is not a (W, B) pair; {hint}")
        Wk, Bk = _array(pair[0], f"W{k}"), _array(pair[1], f"B{k + 1}")
        if Bk.ndim == 2 and 1 in Bk.shape:                      # B1 as a row (1, N1) or a column (N1, 1)
            Bk = Bk.reshape(-1)
        if Wk.ndim != 2 or Wk.size == 0 or Bk.shape != (Wk.shape[1],):
            raise ValueError(f"backprop: W{k} has shape {Wk.shape} and B{k + 1} shape {Bk.shape}; in ANN from "
                             f"scratch's "
                             f"layout W{k} is (N{k}, N{k + 1}) and B{k + 1} is (N{k + 1},)")
        if k > 0 and Wk.shape[0] != Ws[-1].shape[1]:
            raise ValueError(f"backprop: W{k} has shape {Wk.shape} but layer {k} has {Ws[-1].shape[1]} units; "
                             f"W{k} must have {Ws[-1].shape[1]} rows")
        Ws.append(Wk)
        Bs.append(Bk)
    return Ws, Bs


def _rows_of(X: Any, n: int, what: str) -> tuple[np.ndarray, bool]:
    """X as a batch of rows (N, n); True when it came as one sample (n,)."""
    X = _array(X, what)
    if X.ndim == 1 and X.shape[0] == n:
        return X[None, :], True
    if X.ndim == 2 and X.shape[1] == n and X.shape[0] > 0:
        return X, False
    raise ValueError(f"backprop: {what} has shape {X.shape}; in ANN from scratch's layout give one sample as a row "
                     f"({n},) or a batch of rows (N, {n})")


def _sigma_rows(name: str, S: np.ndarray) -> np.ndarray:
    return _sigma(name, S.T).T                                  # softmax normalises each row (one sample)


def forward_rows(weights: Weights, X: Any, activation: str = "sigmoid",
                 output_activation: str | None = None) -> Forward:
    """ANN from scratch's forward propagation with row vectors: ``S = A W + B`` and ``A = sigma(S)`` layer by layer.

    Returns a ``Forward`` numbered as HH19 (``z[2]`` is HS, ``a[2]`` HO, ``z[3]`` OS, ``a[3]`` OO in a 3-level
    net), every array a row per sample (a flat row for one sample).

    >>> W0, B1 = np.zeros((2, 1)), np.zeros(1)                  # the AND neuron of ANN from scratch, as a row network
    >>> forward_rows([(W0, B1)], np.array([0.0, 1.0])).output
    array([0.5])
    """
    Ws, Bs = _row_weights(weights)
    IN, single = _rows_of(X, Ws[0].shape[0], "IN")
    out = activation if output_activation is None else output_activation
    z: list = [None, None]
    a: list = [None, IN]
    for k, (Wk, Bk) in enumerate(zip(Ws, Bs)):
        z.append(a[-1] @ Wk + Bk)                               # HS = IN x W0 + B1 (OS = HO x W1 + B2, ...)
        _fits(z[-1], f"z^[{k + 2}] = A W{k} + B{k + 1}")          # |HS| <= 1.8e308, else refused
        a.append(_sigma_rows(out if k == len(Ws) - 1 else activation, z[-1]))   # HO = sigma(HS)
    if single:
        z = [None, None, *(m[0] for m in z[2:])]
        a = [None, *(m[0] for m in a[1:])]
    return Forward(z, a)


def _switch(value: Any, who: str, name: str) -> None:
    # autograd.checks.flag's rule (this module imports nothing from the engine): "False" is a true string
    if value is not True and value is not False and not isinstance(value, np.bool_):
        raise TypeError(f"{who}: {name} must be True or False, got {value!r:.60}; write True or False")


def gradients_rows(weights: Weights, X: Any, Y: Any, activation: str = "sigmoid",
                   output_activation: str | None = None, cost: str = "quadratic", *,
                   input_grad: bool = False) -> Any:
    """ANN from scratch's backward propagation with row vectors: the cost and [(dE/dW0, dE/dB1), (dE/dW1, dE/dB2), ...]
    in its layout (dE/dWk of shape (Nk, Nk+1)), means over the rows of a batch; with ``input_grad=True`` also
    dE/dIN in X's shape. The same numbers as ``gradients`` in HH19's layout, transposed. ANN from scratch's own cost is
    ``cost="mse"``.

    >>> W0, B1 = np.zeros((2, 1)), np.zeros(1)                  # the AND neuron: E = 1/2 (Y - O)^2 = 0.125
    >>> E, [(dW0, dB1)] = gradients_rows([(W0, B1)], np.array([0.0, 1.0]), np.array([0.0]))
    >>> float(E), dW0.tolist(), dB1.tolist()                    # dE/dw1 = 0, dE/dw2 = dE/db = 0.125
    (0.125, [[0.0], [0.125]], [0.125])
    """
    _switch(input_grad, "gradients_rows", "input_grad")
    Ws, Bs = _row_weights(weights)
    out = output_activation_for(cost, activation, output_activation)
    _outputs(out, Ws[-1].shape[1])
    fw = forward_rows(weights, X, activation, out)
    IN, single = _rows_of(X, Ws[0].shape[0], "IN")
    N, K = IN.shape[0], len(Ws)
    S = [m if m is None or m.ndim == 2 else m[None, :] for m in fw.z]       # S[k + 2]: the weighted sums
    A = [m if m is None or m.ndim == 2 else m[None, :] for m in fw.a]       # A[1] = IN, A[k + 2] = sigma(S)
    Yc = _targets(Y, Ws[-1].shape[1], N, "rows" if not single else "vector")
    _probabilities(cost, Yc)
    E = _cost(cost, S[-1].T, A[-1].T, Yc)
    delta = _output_delta(cost, out, S[-1].T, A[-1].T, Yc)                  # per row: dE/dOS = dE/dOO o sigma'(OS)
    dE_dS = delta.T                                                         # (N, N_K): one row per sample
    sigma = activations.get(activation)
    grads: list = [None] * K
    for k in range(K - 1, -1, -1):                              # k = 1: W1, B2, OS, HO; k = 0: W0, B1, HS, IN
        dW = A[k + 1].T @ dE_dS / N                             # dE/dW1 = HO^T dE/dOS (dE/dW0 = IN^T dE/dHS)
        dB = dE_dS.sum(axis=0) / N                              # dE/dB2 = dE/dOS, summed over the rows
        grads[k] = (dW, dB)
        dE_dA = dE_dS @ Ws[k].T                                 # dE/dHO = dE/dOS W1^T (dE/dIN = dE/dHS W0^T)
        if k > 0:
            dE_dS = dE_dA * sigma.derivative(S[k + 1])          # dE/dHS = dE/dHO o sigma'(HS)
    _gradients_fit(grads, rows=True)
    if input_grad:
        dIN = _fits(dE_dA / N, "dE/dIN")                        # the mean cost: each row's share is 1/N
        return float(E), grads, dIN[0] if single else dIN
    return float(E), grads
