"""Manual vs automatic vs numerical gradients, side by side: check a hand-derived backprop against the engines.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> weights = [(0.5 * rng.standard_normal((3, 2)), np.zeros(3)), (0.5 * rng.standard_normal((1, 3)), np.zeros(1))]
>>> report = compare_gradients(weights, rng.uniform(size=(5, 2)), rng.uniform(size=(5, 1)))
>>> report.ok
True

From the shell: ``python -m nn.compare --sizes 2,2,3,2 --activation sigmoid --cost quadratic --samples 10 --seed 0``
prints the table and exits with status 1 when a method disagrees with the manual one.

Methods, each giving (cost, [(dC/dW^[l], dC/db^[l]) for l = 2..L]) for the same weights and data:
  manual      your function, or the delta rule of ``nn.backprop.gradients`` (the default)
  tensor      ``nn.MLP`` (Tensors) + ``nn.losses``, then ``backward()``
  scalar      ``nn.scalar.MLP`` (a Value per weight) + ``nn.losses``, then ``backward()``
  numerical   central differences (C(p + eps) - C(p - eps)) / (2 eps) on ``nn.backprop.total_cost``, numpy only
  forward     forward sensitivities (``nn.backprop.forward_sensitivities``), the "natural way" of seed 002

The ``Report`` it returns, a ``Row`` per method and parameter that prints as the table, is in ``nn.compare_report``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import os
import re
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import backprop, losses, scalar
from .compare_report import METHODS, Grads, Report, Row
from .layers import MLP
from .module import MARKER

# (rtol, atol): |g - g_manual| <= atol + rtol |g_manual| entry by entry. The engines and forward sensitivities
# compute the same numbers in another order, so they agree to rounding (about 1e-16 of the terms summed);
# central differences with eps = 1e-6 carry a truncation error ~eps^2 and a rounding error ~1e-16 |C| / eps.
TOLERANCES = {"tensor": (1e-10, 1e-12), "scalar": (1e-10, 1e-12), "forward": (1e-10, 1e-12),
              "numerical": (1e-5, 1e-6)}


def numerical_gradients(
    weights: backprop.Weights, X: np.ndarray, Y: np.ndarray, activation: str = "sigmoid",
    output_activation: str | None = None, cost: str = "quadratic", eps: float = 1e-6,
) -> tuple[float, Grads]:
    """Central differences dC/dp ~ (C(p + eps) - C(p - eps)) / (2 eps), one parameter at a time: two forward
    passes per parameter. Same signature and result layout as ``nn.backprop.gradients``.

    >>> C, [(dW, db)] = numerical_gradients([(np.zeros((1, 2)), np.zeros(1))], np.array([0.0, 1.0]), np.array([0.0]))
    >>> np.round(dW, 8).tolist(), round(float(db[0]), 8)     # seed 004: (0, 0.125) and 0.125
    ([[0.0, 0.125]], 0.125)
    """
    params = [[np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)] for W, b in weights]

    def C() -> float:
        return backprop.total_cost(params, X, Y, activation, output_activation, cost)

    grads = []
    for pair in params:
        out = []
        for P in pair:
            G = np.empty_like(P)
            for idx in np.ndindex(P.shape):
                kept = P[idx]
                P[idx] = kept + eps
                up = C()
                P[idx] = kept - eps
                down = C()
                P[idx] = kept
                G[idx] = (up - down) / (2 * eps)
            out.append(G)
        grads.append((out[0], out[1]))
    return C(), grads


def _rows(X: np.ndarray, n: int) -> np.ndarray:
    """Samples as rows, whichever convention X came in (see nn.backprop); the targets follow with reshape."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        return X[None, :]
    if X.ndim == 2 and X.shape == (n, 1) and n > 1:
        return X.T
    return X


def _engine_output(cost: str, out: str) -> tuple[str, Callable, bool]:
    """The engine MLP's output activation, the loss to apply to its output, and whether to apply a softmax by
    hand first. Cross-entropies take logits (an identity output: the stable form of the same cost)."""
    if cost == "cross_entropy":
        return "identity", losses.cross_entropy, False
    if cost == "binary_cross_entropy":
        return "identity", lambda z, y: losses.binary_cross_entropy(z, y, logits=True), False
    if out == "softmax":
        return "identity", losses.get(cost), True
    return out, losses.get(cost), False


def _values_softmax(row: list) -> list:
    m = max(v.data for v in row)                                # a constant shift: e^(z - m) <= 1
    e = [(v - m).exp() for v in row]
    total = sum(e[1:], e[0])
    return [v / total for v in e]


def tensor_gradients(weights: backprop.Weights, X: np.ndarray, Y: np.ndarray, activation: str = "sigmoid",
                     output_activation: str | None = None, cost: str = "quadratic") -> tuple[float, Grads]:
    """The cost and gradients from ``nn.MLP`` (the Tensor engine): forward, loss, ``backward()``."""
    out = backprop.output_activation_for(cost, activation, output_activation)
    sizes = [np.shape(weights[0][0])[1], *(np.shape(W)[0] for W, _ in weights)]
    engine_out, loss, softmax = _engine_output(cost, out)
    model = MLP(sizes, activation=activation, output_activation=engine_out).set_weights(weights)
    X = _rows(X, sizes[0])
    A = model(X)
    if softmax:
        A = A.softmax(axis=-1)
    C = loss(A, np.asarray(Y, dtype=np.float64).reshape(len(X), -1))
    C.backward()
    return float(C.item()), [(layer.weight.grad.copy(), layer.bias.grad.copy()) for layer in model.layers]


def scalar_gradients(weights: backprop.Weights, X: np.ndarray, Y: np.ndarray, activation: str = "sigmoid",
                     output_activation: str | None = None, cost: str = "quadratic") -> tuple[float, Grads]:
    """The cost and gradients from ``nn.scalar.MLP`` (a Value per weight): forward, loss, ``backward()``."""
    out = backprop.output_activation_for(cost, activation, output_activation)
    sizes = [np.shape(weights[0][0])[1], *(np.shape(W)[0] for W, _ in weights)]
    engine_out, loss, softmax = _engine_output(cost, out)
    model = scalar.MLP(sizes[0], sizes[1:], activation=activation, output_activation=engine_out)
    model.set_weights(weights)
    rows = []
    X = _rows(X, sizes[0])
    for x in X:
        a = model(x)
        a = a if isinstance(a, list) else [a]
        rows.append(_values_softmax(a) if softmax else a)
    C = loss(rows, np.asarray(Y, dtype=np.float64).reshape(len(X), -1))
    C.backward()
    grads = [(np.array([[w.grad for w in n.w] for n in layer.neurons]), np.array([n.b.grad for n in layer.neurons]))
             for layer in model.layers]
    return float(C.data), grads


def _call_manual(manual: Callable, weights: list, X: np.ndarray, Y: np.ndarray, options: dict) -> Any:
    """Call the student's function with (weights, X, Y), adding the keywords it declares (or **kwargs)."""
    try:
        params = inspect.signature(manual).parameters
    except (TypeError, ValueError):
        return manual(weights, X, Y)
    takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    extra = {k: v for k, v in options.items() if takes_all or k in params}
    return manual(weights, X, Y, **extra)


def _check_result(result: Any, weights: list) -> tuple[float, Grads]:
    shapes = [(np.shape(W), np.shape(b)) for W, b in weights]
    try:
        C, grads = result
        grads = [(np.asarray(dW, dtype=np.float64), np.asarray(db, dtype=np.float64).reshape(-1))
                 for dW, db in grads]
    except (TypeError, ValueError):
        raise ValueError("compare_gradients: manual must return (cost, [(dW, db), ...]) like "
                         f"nn.backprop.gradients; got {type(result).__name__}") from None
    got = [(dW.shape, db.shape) for dW, db in grads]
    if got != shapes:
        raise ValueError(f"compare_gradients: manual returned gradients of shapes {got}; they must match the "
                         f"weights' shapes {shapes}, (W^[l] (n_l, n_(l-1)), b^[l] (n_l,)) for l = 2..L")
    return float(C), grads


def compare_gradients(
    model_or_weights: Any, X: np.ndarray, Y: np.ndarray, activation: str | None = None,
    output_activation: str | None = None, cost: str = "quadratic", methods: Sequence[str] = METHODS,
    manual: Callable | None = None, eps: float = 1e-6, tolerances: dict | None = None,
) -> Report:
    """Gradients of the same cost by each method, compared with the manual one, parameter by parameter.

    ``model_or_weights``: an ``nn.MLP``, an ``nn.scalar.MLP`` (its weights and activations are used) or a list
    of (W, b) pairs in HH19 layout. ``manual``: your own function with the signature of
    ``nn.backprop.gradients``, (weights, X, Y) -> (cost, [(dW, db), ...]); it is also given ``activation``,
    ``output_activation`` and ``cost`` when it declares them. ``tolerances`` overrides ``TOLERANCES`` per method.

    >>> def forgot_sigma_prime(weights, X, Y):      # delta^[L] = a - y: sigma' left out of the output delta
    ...     (W, b), = weights
    ...     a = 1 / (1 + np.exp(-(X @ W.T + b)))
    ...     return 0.5 * np.mean(np.sum((a - Y) ** 2, axis=1)), [((a - Y).T @ X / len(X), np.mean(a - Y, axis=0))]
    >>> X, Y = np.array([[1.0, 2.0]]), np.array([[1.0]])
    >>> compare_gradients([(np.ones((1, 2)), np.zeros(1))], X, Y, manual=forgot_sigma_prime).ok
    False
    """
    if hasattr(model_or_weights, "get_weights"):
        weights = model_or_weights.get_weights()
        activation = activation or model_or_weights.activation
        model_out = model_or_weights.output_activation
        if output_activation is None and not (cost in ("cross_entropy", "binary_cross_entropy")
                                              and model_out == "identity"):   # logits: the cost's own output
            output_activation = model_out
    else:
        weights = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in model_or_weights]
    activation = activation or "sigmoid"
    output_activation = backprop.output_activation_for(cost, activation, output_activation)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"compare_gradients: unknown methods {unknown}; choose from {', '.join(METHODS)}")
    options = dict(activation=activation, output_activation=output_activation, cost=cost)
    runners: dict[str, Callable] = {
        "tensor": tensor_gradients, "scalar": scalar_gradients, "forward": backprop.forward_sensitivities,
        "numerical": lambda w, X, Y, **kw: numerical_gradients(w, X, Y, eps=eps, **kw),
    }
    tolerances = {**TOLERANCES, **(tolerances or {})}
    backprop.gradients(weights, X, Y, **options)               # warm numpy up, so that no method pays for it
    costs, times, grads = {}, {}, {}
    for m in ["manual", *(m for m in methods if m != "manual")]:
        copy = [(W.copy(), b.copy()) for W, b in weights]       # nobody gets to change the weights for the others
        start = time.perf_counter()
        if m == "manual":
            C, g = _check_result(_call_manual(manual or backprop.gradients, copy, X, Y, options), weights)
        else:
            C, g = runners[m](copy, X, Y, **options)
        times[m] = time.perf_counter() - start
        costs[m], grads[m] = C, g
    rows = []
    for m in costs:
        if m == "manual":
            continue
        rtol, atol = tolerances[m]
        for k, ((W0, b0), (W1, b1)) in enumerate(zip(grads["manual"], grads[m])):
            for name, g0, g1 in (("W", W0, W1), ("b", b0, b1)):
                diff = np.abs(g1 - g0)
                scale = np.maximum(np.abs(g0), np.abs(g1))
                rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
                index = np.unravel_index(int(np.argmax(diff)), diff.shape)
                rows.append(Row(m, k + 2, name, float(diff.max()), float(rel.max()), tuple(int(i) for i in index),
                                bool(np.all(diff <= atol + rtol * np.abs(g0)))))
    return Report(rows, costs, times, grads, tolerances)


# --- the command line ----------------------------------------------------------------------------------------------
def load_model(path: str) -> Any:
    """A model saved by ``Module.save`` (tensor or scalar MLP), rebuilt from the shapes in the file with the
    activations it was saved with (files written before ``save`` kept them: sigmoid hidden layers)."""
    if not os.path.isfile(path):
        raise ValueError(f"--weights: no file {path!r}; save a model there with model.save(path)")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"--weights: {path!r} is not a model saved by deltagrad's Module.save (not an .npz file)")
    with np.load(path, allow_pickle=False) as npz:
        shapes = {k: npz[k].shape for k in npz.files}
        marker = [str(v) for v in npz[MARKER]] if MARKER in npz.files else []
    described = marker[2] if len(marker) == 3 else ""            # "nn.layers.MLP(2 -> 3, activation='tanh', ...)"
    kinds = dict(re.findall(r"\b(activation|output_activation)='(\w+)'", described))
    kinds.setdefault("activation", "sigmoid")
    tensor_keys = sorted((int(m.group(1)), k) for k in shapes if (m := re.fullmatch(r"layers\.(\d+)\.weight", k)))
    if tensor_keys:
        sizes = [shapes[tensor_keys[0][1]][1], *(shapes[k][0] for _, k in tensor_keys)]
        return MLP(sizes, **kinds).load(path)
    neurons: dict[int, set] = {}
    inputs = 0
    for k in shapes:
        if m := re.fullmatch(r"layers\.(\d+)\.neurons\.(\d+)\.w\.(\d+)", k):
            neurons.setdefault(int(m.group(1)), set()).add(int(m.group(2)))
            inputs = max(inputs, int(m.group(3)) + 1) if m.group(1) == "0" else inputs
    if not neurons:
        raise ValueError(f"--weights: {path!r} holds no MLP layers (keys like 'layers.0.weight')")
    sizes = [len(neurons[i]) for i in sorted(neurons)]
    return scalar.MLP(inputs, sizes, **kinds).load(path)


def load_function(spec: str) -> Callable:
    """``path/to/file.py:name`` or ``package.module:name``: the student's gradient function for ``--manual``."""
    where, _, name = spec.rpartition(":")
    if not where or not name:
        raise ValueError(f"--manual {spec!r}: write FILE.py:FUNCTION or MODULE:FUNCTION")
    if where.endswith(".py"):
        loader = importlib.util.spec_from_file_location("_manual_gradients", where)
        if loader is None or not os.path.isfile(where):
            raise ValueError(f"--manual: no Python file {where!r}")
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
    else:
        module = importlib.import_module(where)
    if not callable(getattr(module, name, None)):
        raise ValueError(f"--manual: {where!r} has no function {name!r}")
    return getattr(module, name)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nn.compare``: print the comparison; the exit status is 1 when the methods disagree."""
    p = argparse.ArgumentParser(prog="python -m nn.compare", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="2,2,3,2", help="layer sizes n_1,...,n_L (default HH19's 2,2,3,2)")
    p.add_argument("--weights", help="a model saved with model.save(path) (.npz), with its activations; replaces "
                                     "--sizes")
    p.add_argument("--activation", default=None, help="hidden activation (default: the saved model's, else sigmoid)")
    p.add_argument("--output-activation", default=None,
                   help="default: the saved model's, else the cost's own, else --activation")
    p.add_argument("--cost", default="quadratic", choices=backprop.COSTS)
    p.add_argument("--samples", type=int, default=10, help="random samples N (default 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--methods", default=",".join(METHODS), help=f"comma-separated, from {','.join(METHODS)}")
    p.add_argument("--manual", help="your gradient function, FILE.py:NAME or MODULE:NAME, with the signature of "
                                    "nn.backprop.gradients (default: nn.backprop.gradients itself)")
    args = p.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    try:
        manual = load_function(args.manual) if args.manual else None
        model = load_model(args.weights) if args.weights else None
    except (ValueError, FileNotFoundError) as e:
        p.error(str(e))
    if model is not None:
        weights = model.get_weights()
    else:
        sizes = [int(s) for s in args.sizes.split(",")]
        weights = [(0.5 * rng.standard_normal((m, n)), 0.5 * rng.standard_normal(m))   # netbp: 0.5 randn
                   for n, m in zip(sizes, sizes[1:])]
    activation = args.activation or getattr(model, "activation", "sigmoid")
    output_activation = args.output_activation
    if output_activation is None and model is not None and not (
            args.cost in ("cross_entropy", "binary_cross_entropy") and model.output_activation == "identity"):
        output_activation = model.output_activation              # logits for a cross-entropy: the cost's own output
    n_in, n_out = weights[0][0].shape[1], weights[-1][0].shape[0]
    X = rng.uniform(0.0, 1.0, (args.samples, n_in))
    if args.cost == "cross_entropy":
        Y = np.eye(n_out)[rng.integers(0, n_out, args.samples)]
    else:
        Y = rng.uniform(0.0, 1.0, (args.samples, n_out))
    try:
        output_activation = backprop.output_activation_for(args.cost, activation, output_activation)
    except ValueError as e:
        p.error(str(e))
    report = compare_gradients(weights, X, Y, activation=activation, output_activation=output_activation,
                               cost=args.cost, methods=[m for m in args.methods.split(",") if m], manual=manual)
    sizes = [n_in, *(W.shape[0] for W, _ in weights)]
    print(f"net {'-'.join(map(str, sizes))}, activation {activation}, output {output_activation}, cost {args.cost}")
    print(f"{args.samples} random samples, seed {args.seed}; "
          + (f"weights from {args.weights}" if args.weights else "weights 0.5 randn") + "\n")
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
