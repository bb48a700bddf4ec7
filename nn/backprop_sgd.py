"""HH19's TRAINING loop by hand: ``sgd`` steps p <- p - eta grad C^{i}(p), each on a random sample i.

It is built on the delta rule of ``nn.backprop`` (numpy only, no engine), which re-exports ``sgd``,
``training_source`` and ``Training``: ``backprop.sgd`` is this ``sgd``. On a small net ``sgd`` runs HH19's loop
written out as straight-line scalar Python, one line per formula with HH19's indices (``training_source`` writes
it, compiled once per network); on anything else it takes one ``backprop.gradients`` call a step.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from . import backprop


class Training(NamedTuple):
    """What ``sgd`` returns: the trained weights and the cost over all N samples at the recorded steps."""

    weights: list[tuple[np.ndarray, np.ndarray]]
    steps: np.ndarray
    costs: np.ndarray


# a = sigma(z) and r = sigma'(z) as scalar Python, side by side as in HH19's FORBACK (z is the neuron's input)
_SCALAR = {
    "sigmoid": ("{a} = 1.0 / (1.0 + exp(-z)) if z >= 0.0 else 1.0 - 1.0 / (1.0 + exp(z))", "{a} * (1.0 - {a})"),
    "tanh": ("{a} = tanh(z)", "1.0 - {a} * {a}"),
    "relu": ("{a} = z if z > 0.0 else 0.0", "1.0 if z > 0.0 else 0.0"),
    "softplus": ("{a} = (z if z > 0.0 else 0.0) + log1p(exp(-abs(z)))", "-expm1(-{a})"),  # sigmoid(z) = 1 - e^-a
    "identity": ("{a} = z", "1.0"),
}
_UNROLLED = ("quadratic", "mse", "binary_cross_entropy")
_MAX_UNROLLED = 5000                                            # weights; beyond, numpy per step costs less


def training_source(sizes: Sequence[int], activation: str = "sigmoid", output_activation: str | None = None,
                    cost: str = "quadratic") -> str:
    """HH19's TRAINING loop written out for one network as plain Python, one line per formula, with HH19's indices
    (``w3_2_1`` is w_21^[3], ``a2_1`` is a_1^[2]). ``sgd`` compiles and runs it: numpy spends about a microsecond
    per call, more than all the arithmetic of a small net, and scalar Python with every weight in a local variable
    does a 2-2-3-2 step in about 1.3 us (numpy by hand: about 20 us). Print it to read netbp as scalar formulas.
    As in HH19's netbp.m, every delta is computed from the weights before the step, so each step is exactly
    p <- p - eta grad C^{i}(p) (the tests compare it with ``gradients``).

    >>> print(training_source([1, 1]))                          # doctest: +NORMALIZE_WHITESPACE
    def train(p, xs, ys, eta, order):
        w2_1_1, b2_1, = p
        for i in order:
            a1_1, = xs[i]
            y_1, = ys[i]
            # layer 2: z = W^[2] a^[1] + b^[2], a^[2] = sigma(z), r^[2] = sigma'(z)
            z = w2_1_1 * a1_1 + b2_1
            a2_1 = 1.0 / (1.0 + exp(-z)) if z >= 0.0 else 1.0 - 1.0 / (1.0 + exp(z))
            r2_1 = a2_1 * (1.0 - a2_1)
            # delta^[2] = r^[2] o dC/da^[2]
            d2_1 = r2_1 * (a2_1 - y_1)
            # W^[l] <- W^[l] - eta delta^[l] (a^[l-1])^T, b^[l] <- b^[l] - eta delta^[l]
            g = eta * d2_1
            w2_1_1 -= g * a1_1
            b2_1 -= g
        return [w2_1_1, b2_1]
    """
    out = backprop.output_activation_for(cost, activation, output_activation)
    if cost not in _UNROLLED or activation not in _SCALAR or out not in _SCALAR:
        raise ValueError(f"training_source: no scalar form for activation {activation!r}, output {out!r} and cost "
                         f"{cost!r}; it covers {', '.join(_SCALAR)} with the costs {', '.join(_UNROLLED)}")
    n = [0, *sizes]                                             # n[l] = n_l, l = 1..L
    L = len(sizes)
    params = [name for l in range(2, L + 1) for j in range(1, n[l] + 1)
              for name in (*(f"w{l}_{j}_{k}" for k in range(1, n[l - 1] + 1)), f"b{l}_{j}")]
    code = ["def train(p, xs, ys, eta, order):", f"    {', '.join(params)}, = p", "    for i in order:",
            f"        {', '.join(f'a1_{k}' for k in range(1, n[1] + 1))}, = xs[i]",
            f"        {', '.join(f'y_{j}' for j in range(1, n[L] + 1))}, = ys[i]"]
    for l in range(2, L + 1):
        f, df = _SCALAR[out if l == L else activation]
        code.append(f"        # layer {l}: z = W^[{l}] a^[{l - 1}] + b^[{l}], a^[{l}] = sigma(z), r^[{l}] = sigma'(z)")
        for j in range(1, n[l] + 1):
            terms = " + ".join(f"w{l}_{j}_{k} * a{l - 1}_{k}" for k in range(1, n[l - 1] + 1))
            code += [f"        z = {terms} + b{l}_{j}", "        " + f.format(a=f"a{l}_{j}"),
                     f"        r{l}_{j} = " + df.format(a=f"a{l}_{j}")]
    scale = "" if cost != "mse" else f"{2.0 / n[L]!r} * "     # mse: dC/da = 2/n_L (a - y)
    code.append(f"        # delta^[{L}] = " + ("a^[L] - y: sigma' cancels" if cost == "binary_cross_entropy"
                                               else f"r^[{L}] o dC/da^[{L}]"))
    for j in range(1, n[L] + 1):
        rest = f"a{L}_{j} - y_{j}"
        delta = rest if cost == "binary_cross_entropy" else f"r{L}_{j} * {scale}({rest})"
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
    scope = {"exp": math.exp, "tanh": math.tanh, "log1p": math.log1p, "expm1": math.expm1}
    exec(compile(training_source(sizes, activation, out, cost), "<nn.backprop.training_source>", "exec"), scope)
    return scope["train"]


def sgd(
    weights: backprop.Weights,
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
    one ``gradients`` call a step, the same step about 50 times slower on so small a net, because each of numpy's
    calls costs more than a small net's arithmetic (the 10 s target for HH19's 1e6 steps needs the scalar code).
    The given weights are not changed. The samples are drawn block by block, ``rng.integers(0, N, size=block)``
    for each block of ``record_every`` steps, so another engine can replay the same steps.

    >>> X, Y = np.array([[0.0, 1.0]]), np.array([[0.0]])
    >>> result = sgd([(np.zeros((1, 2)), np.zeros(1))], X, Y, eta=0.1, iterations=1, rng=0, record_every=1)
    >>> result.weights[0][0].tolist(), float(result.costs[0])  # seed 004: w1 stays 0, w2 = -0.1 * 0.125
    ([[0.0, -0.0125]], 0.125)
    """
    W, b = backprop._layers(weights)
    L = len(W) - 1
    out = backprop.output_activation_for(cost, activation, output_activation)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != W[2].shape[1]:
        raise ValueError(f"sgd: X has shape {X.shape}; give the data as rows, shape (N, {W[2].shape[1]})")
    if Y.ndim == 1 and W[L].shape[0] == 1:
        Y = Y[:, None]
    if Y.shape != (X.shape[0], W[L].shape[0]):
        raise ValueError(f"sgd: Y has shape {Y.shape}; give one target row per sample, shape ({X.shape[0]}, "
                         f"{W[L].shape[0]})")
    if iterations < 0 or record_every < 1:
        raise ValueError(f"sgd: iterations={iterations}, record_every={record_every}; need >= 0 and >= 1")
    rng = np.random.default_rng(rng)
    params = [(W[l].copy(), b[l].copy()) for l in range(2, L + 1)]   # the generic path steps these arrays
    sizes = tuple([W[2].shape[1], *(W[l].shape[0] for l in range(2, L + 1))])
    unrolled = (activation in _SCALAR and out in _SCALAR and cost in _UNROLLED
                and sum(W[l].size for l in range(2, L + 1)) <= _MAX_UNROLLED)
    if unrolled:                                                # the flat list (w_j1, ..., w_jn, b_j) row by row
        flat = [v for Wl, bl in params for v in np.column_stack([Wl, bl]).ravel().tolist()]
        xs, ys = X.tolist(), Y.tolist()
        train = _compiled_training(sizes, activation, out, cost)

    def current() -> list[tuple[np.ndarray, np.ndarray]]:
        if not unrolled:
            return [(Wl.copy(), bl.copy()) for Wl, bl in params]
        pairs, at = [], 0
        for Wl, _ in params:
            R = np.array(flat[at:at + Wl.size + len(Wl)], dtype=np.float64).reshape(len(Wl), -1)
            pairs.append((R[:, :-1].copy(), R[:, -1].copy()))
            at += R.size
        return pairs

    steps, costs = [0], [backprop.total_cost(params, X, Y, activation, out, cost)]
    done = 0
    while done < iterations:
        chunk = min(record_every, iterations - done)
        order = rng.integers(0, X.shape[0], size=chunk).tolist()  # i = random uniform from {1, ..., N}
        if unrolled:
            flat = train(flat, xs, ys, eta, order)
        else:
            for i in order:
                _, grads = backprop.gradients(params, X[i], Y[i], activation, out, cost)
                for (Wl, bl), (dW, db) in zip(params, grads):
                    Wl -= eta * dW                              # W^[l] <- W^[l] - eta dC^{i}/dW^[l]
                    bl -= eta * db                              # b^[l] <- b^[l] - eta dC^{i}/db^[l]
        done += chunk
        steps.append(done)
        costs.append(backprop.total_cost(current(), X, Y, activation, out, cost))
    return Training(current(), np.array(steps), np.array(costs))
