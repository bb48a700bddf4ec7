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
  forward     forward sensitivities (``nn.backprop.forward_sensitivities``), the "natural way" of Nielsen

The ``Report`` it returns, a ``Row`` per method and parameter that prints as the table, is in ``nn.compare_report``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import math
import os
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.checks import flag
from autograd.graph import recording

from . import activations, backprop, checks, losses, scalar
from .compare_report import METHODS, Grads, Report, Row, agreeing
from .files import Npz, shown_path
from .layers import MLP
from .module import MARKER, read_marker

# (rtol, atol): |g - g_manual| <= atol + rtol |g_manual| entry by entry. The engines and forward sensitivities
# compute the same numbers in another order, so they agree to rounding (about 1e-16 of the terms summed);
# central differences with eps = 1e-6 carry a truncation error ~eps^2 and a rounding error ~1e-16 |C| / eps.
TOLERANCES = {"tensor": (1e-10, 1e-12), "scalar": (1e-10, 1e-12), "forward": (1e-10, 1e-12),
              "numerical": (1e-5, 1e-6)}
# The methods that compute the delta rule's own numbers in another order, not an approximation of them.
EXACT = ("tensor", "scalar", "forward")


def numerical_gradients(
    weights: backprop.Weights, X: np.ndarray, Y: np.ndarray, activation: str = "sigmoid",
    output_activation: str | None = None, cost: str = "quadratic", eps: float = 1e-6,
) -> tuple[float, Grads]:
    """Central differences dC/dp ~ (C(p + eps) - C(p - eps)) / (2 eps), one parameter at a time: two forward
    passes per parameter. Same signature and result layout as ``nn.backprop.gradients``.

    >>> C, [(dW, db)] = numerical_gradients([(np.zeros((1, 2)), np.zeros(1))], np.array([0.0, 1.0]), np.array([0.0]))
    >>> np.round(dW, 8).tolist(), round(float(db[0]), 8)     # ANN from scratch: (0, 0.125) and 0.125
    ([[0.0, 0.125]], 0.125)
    """
    params = [[np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)] for W, b in weights]

    def C() -> float:
        return backprop.total_cost(params, X, Y, activation, output_activation, cost)

    grads = []
    for l, pair in enumerate(params, start=2):
        out = []
        for name, P in zip("Wb", pair):
            G = np.empty_like(P)
            for idx in np.ndindex(P.shape):
                kept = P[idx]
                # eps survives rounding at the weight: floats near 1e10 are 1.9e-6 apart, w + 1e-6 landed 1.9e-6
                # away, and a difference divided by 2 eps made a slope of 0.025 read 0.0447
                taken = (kept + eps) - kept + (kept - (kept - eps))
                if not abs(taken - 2 * eps) <= 0.02 * eps:
                    raise ValueError(
                        f"numerical_gradients: eps={eps:g} is lost in rounding at {name}^[{l}]{list(idx)} = "
                        f"{float(kept)!r}, where floats are {float(np.spacing(abs(kept))):g} apart, so the "
                        f"differences would not measure the slope; use an eps of about 1e-6 * max(1, |w|) "
                        f"({1e-6 * max(1.0, abs(float(kept))):g} here), or leave 'numerical' out of the methods")
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
        # the lectures' cost (summed over the outputs, averaged over the samples), as nn.backprop computes it
        return "identity", lambda z, y: losses.binary_cross_entropy(z, y, logits=True, reduction="lectures"), False
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
    with recording():       # called inside no_grad(), backward() found no graph to walk
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
    with recording():       # as in tensor_gradients
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
        params, extra = None, {}
    if params is not None:
        takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        extra = {k: v for k, v in options.items() if takes_all or k in params}
        try:
            inspect.signature(manual).bind(weights, X, Y, **extra)
        except TypeError:
            name = getattr(manual, "__name__", "manual")
            raise TypeError(f"compare_gradients: manual {name}{inspect.signature(manual)} cannot be called as "
                            f"{name}(weights, X, Y); give it the signature of nn.backprop.gradients, "
                            "(weights, X, Y) -> (cost, [(dW, db), ...])") from None
    try:
        return manual(weights, X, Y, **extra)
    except (ValueError, IndexError) as e:          # numpy's shape errors; a KeyError or a TypeError is another bug
        _note_rows(e, X, Y, np.shape(weights[0][0])[1])
        raise


def _note_rows(error: Exception, X: np.ndarray, Y: np.ndarray, n_in: int) -> None:
    """Add to the manual function's own shape error that it was given samples as rows. Written for samples as
    columns (deeplearning.ai's X of shape (n_x, m)), it fails deep inside numpy ("shapes (5,4) and (6,4) not
    aligned"), far from the cause; written for rows, its error is its own (review18: the note read as advice to
    transpose for HH19's own layout), so the note names both. Its traceback stays as it was."""
    if X.ndim == 2 and X.shape[0] > 1 and X.shape[1] == n_in and hasattr(error, "add_note"):   # Python >= 3.11
        error.add_note(
            f"compare_gradients: the manual function was given X of shape {X.shape} and Y of shape {Y.shape}, one "
            "sample per row (nn.backprop.gradients' layout). If it was written for samples as columns (X of shape "
            "(n_x, m), as deeplearning.ai's courses write it), transpose them for it: manual=lambda weights, X, Y: "
            "my_gradients(weights, X.T, Y.T); if it was written for rows, the shape error above is in its own "
            "arithmetic (a transpose left out: W^T delta)"
        )


def _low_precision(C: Any, given: list) -> list[str]:
    """The names of the parts of the manual result held in floats narrower than float64 (float32, float16)."""
    def narrow(x: Any) -> bool:
        dtype = getattr(x, "dtype", None)
        return dtype is not None and dtype.kind in "fc" and dtype.itemsize < (8 if dtype.kind == "f" else 16)

    names = ["the cost"] if narrow(C) else []
    for l, (dW, db) in enumerate(given, start=2):
        names += [f"{n}^[{l}]" for n, g in (("dW", dW), ("db", db)) if narrow(g)]
    return names


def _check_result(result: Any, weights: list) -> tuple[float, Grads, list[str]]:
    """The manual result as (cost, float64 gradients, names of the parts that came in float32 or narrower)."""
    shapes = [(np.shape(W), np.shape(b)) for W, b in weights]
    try:
        C, given = result
        given = [(dW, db) for dW, db in given]
    except (TypeError, ValueError):
        raise ValueError("compare_gradients: manual must return (cost, [(dW, db), ...]) like "
                         f"nn.backprop.gradients; got {type(result).__name__}") from None
    for l, (dW, db) in enumerate(given, start=2):
        for name, g in ((f"dW^[{l}]", dW), (f"db^[{l}]", db)):
            if np.iscomplexobj(g):      # a cast to float64 kept the real part: a wrong gradient could read OK
                raise ValueError(f"compare_gradients: manual's {name} holds complex numbers; the gradient of a real "
                                 "cost is real (a complex number in the computation, such as np.sqrt of a negative "
                                 "complex or np.fft, leaked into it)")
    try:
        grads = [(np.asarray(dW, dtype=np.float64), np.asarray(db, dtype=np.float64).reshape(-1))
                 for dW, db in given]
    except (TypeError, ValueError):
        raise ValueError("compare_gradients: manual must return (cost, [(dW, db), ...]) like "
                         f"nn.backprop.gradients; got {type(result).__name__}") from None
    got = [(dW.shape, db.shape) for dW, db in grads]
    if got != shapes and got[::-1] == shapes:   # before the transpose test: reversed, a 2-3-2 net's dW look transposed
        raise ValueError(f"compare_gradients: manual returned its gradients output layer first (shapes {got}); return "
                         "[(dW^[2], db^[2]), ..., (dW^[L], db^[L])], the first layer of weights first, as "
                         "nn.backprop.gradients does, though backprop finds the deltas from the output layer down")
    for l, ((dW, _), (W, _)) in enumerate(zip(grads, weights), start=2):
        if dW.shape != W.shape and dW.shape == W.shape[::-1]:
            raise ValueError(f"compare_gradients: manual's dW^[{l}] has shape {dW.shape}, the transpose of W^[{l}]'s "
                             f"{W.shape}; dC/dW^[{l}] = delta^[{l}] (a^[{l - 1}])^T has W's shape (n_{l}, n_{l - 1})"
                             f" (with samples as rows: delta.T @ a)")
    if got != shapes:
        raise ValueError(f"compare_gradients: manual returned gradients of shapes {got}; they must match the "
                         f"weights' shapes {shapes}, (W^[l] (n_l, n_(l-1)), b^[l] (n_l,)) for l = 2..L")
    if hasattr(C, "backward"):   # a Value or Tensor of the engines: its number (float(Value) is refused)
        C = C.data
    if np.iscomplexobj(C):       # float(np.complex128(c + 5j)) keeps c with a warning: the cost read as matching
        raise ValueError("compare_gradients: manual's cost holds complex numbers; the cost is a real number (a "
                         "complex number in the computation, such as np.sqrt of a negative complex, leaked into it)")
    try:  # one number: not the per-sample costs (float() of them is numpy's riddle), not a string float() reads
        if isinstance(C, str | bytes) or np.size(C) != 1:
            raise TypeError
        return float(C), grads, _low_precision(C, given)
    except (TypeError, ValueError):
        what = f"shape {np.shape(C)}" if isinstance(C, np.ndarray | list | tuple) else f"type {type(C).__name__}"
        raise ValueError(f"compare_gradients: manual returned a cost of {what}; it must be one number, the mean "
                         "of the samples' costs, as nn.backprop.gradients returns") from None


def compare_gradients(
    model_or_weights: Any, X: np.ndarray, Y: np.ndarray, activation: str | None = None,
    output_activation: str | None = None, cost: str = "quadratic", methods: Sequence[str] = METHODS,
    manual: Callable | None = None, eps: float = 1e-6, tolerances: dict | None = None, force: bool = False,
) -> Report:
    """Gradients of the same cost by each method, compared with the manual one, parameter by parameter.

    ``model_or_weights``: an ``nn.MLP``, an ``nn.scalar.MLP`` (its weights and activations are used) or a list
    of (W, b) pairs in HH19 layout. ``manual``: your own function with the signature of
    ``nn.backprop.gradients``, (weights, X, Y) -> (cost, [(dW, db), ...]), X and Y given to it as float64
    numpy arrays whatever they came as (a list, an np.matrix); it is also given ``activation``,
    ``output_activation`` and ``cost`` when it declares them. ``tolerances`` overrides ``TOLERANCES`` per method.
    Where every entry of a parameter is below an exact method's atol (``EXACT``: saturated units), atol alone
    passes any manual entry there; an OK then notes the parameters where manual differs from the method by more
    than rtol of the largest entry (``Report.below_atol``).
    A comparison estimated (``estimate``) to need over 2 GiB or 10 minutes is refused before any method runs, as
    ``python -m nn.compare`` refuses it, unless ``force=True``: numerical differences cost two forward passes per
    parameter and the Value engine a node per weight and sample (``MLP([784, 100, 10])`` on 1,000 digits: about
    7.7 GiB and seven hours; leave out ``"scalar"`` and ``"numerical"`` from ``methods`` for such a net).

    >>> def forgot_sigma_prime(weights, X, Y):      # delta^[L] = a - y: sigma' left out of the output delta
    ...     (W, b), = weights
    ...     a = 1 / (1 + np.exp(-(X @ W.T + b)))
    ...     return 0.5 * np.mean(np.sum((a - Y) ** 2, axis=1)), [((a - Y).T @ X / len(X), np.mean(a - Y, axis=0))]
    >>> X, Y = np.array([[1.0, 2.0]]), np.array([[1.0]])
    >>> compare_gradients([(np.ones((1, 2)), np.zeros(1))], X, Y, manual=forgot_sigma_prime).ok
    False
    """
    _check_names(activation, output_activation, cost)
    if hasattr(model_or_weights, "get_weights"):
        weights = model_or_weights.get_weights()
        activation = activation or model_or_weights.activation
        model_out = model_or_weights.output_activation
        if output_activation is None and not (cost in ("cross_entropy", "binary_cross_entropy")
                                              and model_out == "identity"):   # logits: the cost's own output
            output_activation = model_out
    else:
        weights = _weight_arrays(model_or_weights)
    activation = activation or "sigmoid"
    methods, tolerances, X, Y = _check_arguments(weights, X, Y, activation, output_activation, cost, methods,
                                                 manual, eps, tolerances)
    if not flag(force, "compare_gradients", "force"):
        sizes = [np.shape(weights[0][0])[1], *(np.shape(W)[0] for W, _ in weights)]
        # samples counted as the methods will see them: an (n_in, 1) X is one sample written as a column
        if why := _check_budget(sizes, len(_rows(X, sizes[0])), methods, command_line=False):
            raise ValueError(f"compare_gradients: {why}")
    output_activation = backprop.output_activation_for(cost, activation, output_activation)
    options = dict(activation=activation, output_activation=output_activation, cost=cost)
    # Every method, the manual one too, gets the same plain float64 arrays, made once by _check_arguments: the manual
    # function is the caller's code, and handed their np.matrix its elementwise (a - Y) * a would be a matrix product,
    # another number.
    # nn.backprop also takes HH19's column biases (n_l, 1): the manual function gets the weights as they were given,
    # the engines (whose set_weights wants b of shape (n_l,)) and the comparison get the biases flat
    flat = [(W, b.reshape(-1)) for W, b in weights]
    runners: dict[str, Callable] = {
        "tensor": tensor_gradients, "scalar": scalar_gradients, "forward": backprop.forward_sensitivities,
        "numerical": lambda w, X, Y, **kw: numerical_gradients(w, X, Y, eps=eps, **kw),
    }
    backprop.gradients(weights, X, Y, **options)               # warm numpy up, so that no method pays for it
    costs, times, grads = {}, {}, {}
    for m in ["manual", *(m for m in methods if m != "manual")]:
        # nobody gets to change the weights for the others
        copy = [(W.copy(), b.copy()) for W, b in (weights if m == "manual" else flat)]
        # nor the data: a manual function doing X *= 2 would otherwise hand 2X to every method after it, which
        # would then agree with its gradient at 2X (and the caller's own X would come back changed)
        Xm, Ym = X.copy(), Y.copy()
        start = time.perf_counter()
        if m == "manual":
            C, g, narrow = _check_result(_call_manual(manual or backprop.gradients, copy, Xm, Ym, options), flat)
        else:
            C, g = runners[m](copy, Xm, Ym, **options)
        times[m] = time.perf_counter() - start
        costs[m], grads[m] = C, g
    rows, below = [], []
    for m in costs:
        if m == "manual":
            continue
        rtol, atol = tolerances[m]
        for k, ((W0, b0), (W1, b1)) in enumerate(zip(grads["manual"], grads[m])):
            for name, g0, g1 in (("W", W0, W1), ("b", b0, b1)):
                with np.errstate(invalid="ignore"):                # inf - inf, inf / inf: NaN, shown as such
                    diff = np.abs(g1 - g0)
                    scale = np.maximum(np.abs(g0), np.abs(g1))
                    rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
                top = float(np.max(scale)) if np.all(np.isfinite(scale)) else math.inf
                agree = agreeing(diff, g0, rtol, atol)
                if m in EXACT and 0 < top <= atol and float(np.max(diff)) > rtol * top:
                    # every entry below atol (saturated sigmoids: 1e-17 against 1e-12), where atol alone passes
                    # any of them, a sign flipped too, and they differ beyond rtol of the largest: the OK says so.
                    # Not a failure: near-cancelling terms (a - y at a confident softmax output) leave the exact
                    # methods O(1) apart there too (relu, cross-entropy, weights x20: 0.89 of the largest entry)
                    below.append((m, f"{name}^[{k + 2}]", top, float(np.max(diff)) / top))
                # the entry to show: the largest difference among those that fail (NaN first), not a larger one
                # that is within its tolerance elsewhere in the same parameter
                shown = np.where(agree, -np.inf, np.nan_to_num(diff, nan=np.inf)) if not agree.all() else diff
                index = np.unravel_index(int(np.argmax(shown)), diff.shape)
                rows.append(Row(m, k + 2, name, float(diff.max()), float(rel.max()), tuple(int(i) for i in index),
                                bool(np.all(agree))))
    kinks = _relu_kinks(weights, X, Y, activation, output_activation, cost, eps) if "numerical" in costs else []
    # the samples are counted for a function of the caller's only: one sample cannot tell its sum from a mean
    samples = len(_rows(X, np.shape(flat[0][0])[1])) if manual is not None else 0
    return Report(rows, costs, times, grads, tolerances, kinks, _unresolved(grads, tolerances), narrow, float(eps),
                  _zero_everywhere(grads), samples, below)


def _zero_everywhere(grads: dict) -> list[str]:
    """The parameters whose gradient is 0 in every entry of every method, the manual one too: they agree whatever
    the delta rule does in their layer. W^[3] = 0 makes delta^[2] = (W^[3])^T delta^[3] o sigma'(z^[2]) = 0,
    so a delta^[2] that left out sigma' (or took W^[3] untransposed) was 0 as well, and the report read OK."""
    return [f"{name}^[{l}]" for l in range(2, len(grads["manual"]) + 2) for j, name in enumerate("Wb")
            if all(not np.any(g[l - 2][j]) for g in grads.values())]


def _weight_arrays(pairs: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """A list of (W, b) pairs as float64 arrays; complex numbers refused by name (a cast kept their real part)."""
    what = ("compare_gradients: model_or_weights must be an nn.MLP, an nn.scalar.MLP or a list of (W, b) pairs of "
            "numbers, W^[l] of shape (n_l, n_(l-1)) (model.get_weights())")
    try:
        arrays = [(np.array(W), np.array(b)) for W, b in pairs]
    except (TypeError, ValueError):
        raise TypeError(what) from None
    for l, (W, b) in enumerate(arrays, start=2):
        for name, P in ((f"W^[{l}]", W), (f"b^[{l}]", b)):
            if P.dtype.kind == "c":
                raise TypeError(f"compare_gradients: {name} holds complex numbers (dtype {P.dtype}); the weights "
                                "must be real")
    try:
        return [(W.astype(np.float64), b.astype(np.float64)) for W, b in arrays]
    except (TypeError, ValueError):
        raise TypeError(what) from None


def _unresolved(grads: dict, tolerances: dict) -> tuple[int, int]:
    """(entries, of all) of the manual gradient that no method checks finer than numerical's atol, when the
    central differences are the only reference: an entry smaller than that atol passes against them whatever
    its sign (a true 1.1e-7 given as -1.1e-7 reads OK), so the report says how many there are."""
    if set(grads) != {"manual", "numerical"}:
        return 0, 0
    atol = tolerances["numerical"][1]
    entries = [g for pair in grads["manual"] for g in pair]
    return (sum(int(np.count_nonzero(np.abs(g) <= atol)) for g in entries),
            sum(int(np.size(g)) for g in entries))


def _relu_kinks(weights: list, X: np.ndarray, Y: np.ndarray, activation: Any, out: Any, cost: str,
                eps: float) -> list[tuple[int, int, int, float]]:
    """(layer l, sample, unit, z) for every weighted input z^[l] of a relu layer within 1000 eps of 0, relu's
    kink: there the central differences average its slopes 0 and 1, while the delta rule and the engines take
    relu'(0) = 0, so a right gradient fails against them (steps of eps in earlier weights move z by about eps
    times the activations, hence the margin)."""
    def name(a: Any) -> Any:
        return getattr(a, "name", a)

    if "relu" not in (name(activation), name(out)):
        return []
    run = backprop._forward_pass(weights, X, Y, activation, out, cost, delta=False)     # z^[l] as columns
    found = []
    for l in range(2, run.L + 1):
        if name(out if l == run.L else activation) == "relu":
            found += [(l, int(i), int(j), float(run.z[l][j, i])) for j, i in np.argwhere(np.abs(run.z[l]) <= 1e3 * eps)]
    return found


def _is_real(x: Any) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(x, bool | np.bool_)


def _check_names(activation: Any, output_activation: Any, cost: Any) -> None:
    """activation / output_activation (None, a name or an Activation) and cost (a name) of the right type."""
    who = "compare_gradients"
    for name, value in (("activation", activation), ("output_activation", output_activation)):
        if value is not None and not isinstance(value, str | activations.Activation):
            raise TypeError(f"{who}: {name} must be None or the name of an activation, one of "
                            f"{', '.join(sorted(activations.ACTIVATIONS))}, got {type(value).__name__}")
    if not isinstance(cost, str):
        raise TypeError(f"{who}: cost must be the name of a cost, one of {', '.join(backprop.COSTS)}, got "
                        f"{type(cost).__name__}")


def _check_arguments(weights: list, X: Any, Y: Any, activation: Any, output_activation: Any, cost: Any,
                     methods: Any, manual: Any, eps: Any,
                     tolerances: Any) -> tuple[list[str], dict, np.ndarray, np.ndarray]:
    """compare_gradients' arguments checked before any work: the methods as a list, the tolerances merged, X and Y
    as float64 arrays."""
    who = "compare_gradients"
    if isinstance(methods, str) or not isinstance(methods, Sequence | set | frozenset | tuple):
        raise TypeError(f"{who}: methods must be a sequence of names such as ('manual', 'tensor'), got "
                        f"{methods!r}; choose from {', '.join(METHODS)}")
    methods = list(methods)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"{who}: unknown methods {unknown}; choose from {', '.join(METHODS)}")
    if not any(m != "manual" for m in methods):   # no row to fail: the report would read OK whatever manual returns
        raise ValueError(f"{who}: methods {methods!r} leave nothing to compare the manual gradient with; add at "
                         f"least one of {', '.join(map(repr, METHODS[1:]))}, e.g. methods=('manual', 'tensor')")
    if manual is not None and not callable(manual):
        raise TypeError(f"{who}: manual must be a function (weights, X, Y) -> (cost, [(dW, db), ...]) or None, "
                        f"got {type(manual).__name__}")
    if not _is_real(eps) or not 0.0 < eps < 1.0:
        raise ValueError(f"{who}: eps must be a number in (0, 1), the step of the central differences (default "
                         f"1e-6), got {eps!r}")
    if cost not in backprop.COSTS:
        raise ValueError(f"{who}: unknown cost {cost!r}; known costs: {', '.join(backprop.COSTS)}")
    for name, value in (("activation", activation), ("output_activation", output_activation)):
        if value is not None and value != "softmax":
            try:
                activations.get(value)
            except ValueError as e:
                raise ValueError(f"{who}: {name}: {e}") from None
    if tolerances is not None and not isinstance(tolerances, Mapping):
        raise TypeError(f"{who}: tolerances must be a dict such as {{'numerical': (1e-5, 1e-6)}}, got "
                        f"{type(tolerances).__name__}")
    known = [m for m in METHODS if m != "manual"]
    for key, pair in (tolerances or {}).items():
        if key not in known:
            raise ValueError(f"{who}: tolerances has the unknown key {key!r}; known keys: {', '.join(known)} "
                             "(manual is the reference and has none)")
        if (not isinstance(pair, tuple | list) or len(pair) != 2 or not all(_is_real(t) for t in pair)
                or not all(np.isfinite(float(t)) and float(t) >= 0 for t in pair)):
            raise ValueError(f"{who}: tolerances[{key!r}] must be (rtol, atol), two finite numbers >= 0, got "
                             f"{pair!r} (the default is {TOLERANCES[key]})")
    X, Y = _float_data(X, who, "X"), _float_data(Y, who, "Y")
    for l, (W, b) in enumerate(weights, start=2):
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise ValueError(f"{who}: W^[{l}] or b^[{l}] holds NaN or infinite values; give finite weights")
    return methods, {**TOLERANCES, **{k: (float(r), float(a)) for k, (r, a) in (tolerances or {}).items()}}, X, Y


def _float_data(array: Any, who: str, name: str) -> np.ndarray:
    """``array`` (X or Y) as the float64 array every method gets, converted once: a list of 1,000 MNIST rows takes
    about 60 ms to convert, and compare_gradients converted it four times (the complex test, this check, the
    budget's sample count and the methods' copy)."""
    checks.unmasked(array, who, name)  # the manual function might honour the mask, the engines would not
    try:
        a = np.asarray(array)
        complex_ = a.dtype.kind == "c"             # a cast to float64 kept the real part
        a = a if complex_ else a.astype(np.float64, copy=False)
    except OverflowError:
        raise ValueError(f"{who}: {name} holds a number too large for a float (such as 10**400); give finite "
                         "inputs and targets") from None
    except (TypeError, ValueError):
        raise TypeError(f"{who}: {name} must be an array of numbers, got {type(array).__name__}") from None
    if complex_:
        raise TypeError(f"{who}: {name} holds complex numbers; give real inputs and targets")
    if a.size == 0:
        raise ValueError(f"{who}: {name} holds 0 samples (shape {a.shape}); give at least one row, X of shape "
                         "(N, n_in) and Y of shape (N, n_out) with N >= 1")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{who}: {name} holds NaN or infinite values; give finite inputs and targets")
    return a


# --- the command line ----------------------------------------------------------------------------------------------
# What the command line will start without --force: a laptop-class machine (8-16 GB of memory, one core busy).
MAX_MEMORY = 2 * 2**30          # bytes the run is estimated to need at its peak
MAX_SECONDS = 600.0             # estimated run time: ten minutes

# Rough costs behind estimate(), measured on a laptop and rounded towards caution (see estimate's docstring).
_FLOPS = 1e9                    # numpy's small matrix products, per second
_PASS_OVERHEAD = 50e-6          # seconds of Python per layer in one forward pass of total_cost
_SCALAR_SECONDS = 5e-6          # seconds per weight and sample in the Value engine (forward and backward)
_SCALAR_BYTES = 100             # bytes of graph per weight and sample in the Value engine
_VALUE_BYTES = 300              # bytes per parameter held as a Value


def estimate(sizes: Sequence[int], samples: int, methods: Sequence[str]) -> tuple[int, float]:
    """(peak bytes, seconds) that comparing ``methods`` on an MLP of ``sizes`` with ``samples`` samples is
    expected to take, from the shapes alone, before anything is allocated. Rough, on the cautious side:
    numerical gradients cost 2 forward passes per parameter; the Value engine a node per weight and sample;
    forward sensitivities carry dz^[l]/db^[m] for every pair of layers, n_l x n_m x N numbers.

    >>> bytes_, seconds = estimate([2, 2, 3, 2], 10, ["manual", "numerical"])
    >>> bytes_ < 2**20 and seconds < 1
    True
    >>> estimate([100_000, 100_000], 10, ["manual"])[0] > 2**36     # 10^10 weights: 80 GB each copy
    True
    """
    pairs = list(zip(sizes, sizes[1:]))
    P = sum(n * m + m for n, m in pairs)
    N, units = samples, sum(sizes)
    flops_pass = 2 * N * P
    memory = 8 * P * (3 + 2 * len(methods)) + 8 * N * units * 8          # weights, copies, gradients; activations
    seconds = 3 * flops_pass / _FLOPS
    if "tensor" in methods:
        memory += 8 * P * 2 + 8 * N * units * 8
        seconds += 3 * flops_pass / _FLOPS
    if "scalar" in methods:
        memory += _VALUE_BYTES * P + _SCALAR_BYTES * N * P
        seconds += _SCALAR_SECONDS * N * P
    if "numerical" in methods:
        seconds += 2 * P * (_PASS_OVERHEAD * len(pairs) + flops_pass / _FLOPS)
    if "forward" in methods:
        carried = [sum(sizes[1: l + 1]) for l in range(1, len(sizes))]     # sum of n_m for m <= l
        # layer l's dz^[l]/db^[m] (n_l x n_m x N each) beside layer l-1's and the product between them, twice for
        # numpy's temporaries; the first hidden layer has none before it (n_in counted there refused a 784-100-10
        # net on 1,000 samples as 2.1 GiB: it peaks at 230 MB)
        memory += max(16 * N * (sizes[l] * carried[l - 1] + (sizes[l - 1] * carried[l - 2] if l > 1 else 0))
                      for l in range(1, len(sizes)))
        seconds += sum(2 * N * sizes[l] * sizes[l - 1] * carried[l - 1] for l in range(1, len(sizes))) / _FLOPS
    return memory, seconds


def _check_budget(sizes: Sequence[int], samples: int, methods: Sequence[str],
                  command_line: bool = True) -> str | None:
    """Why this run is refused without --force (``force=True`` for ``compare_gradients``: too much memory or
    time), or None."""
    from .files import human

    memory, seconds = estimate(sizes, samples, methods)
    P = sum(n * m + m for n, m in zip(sizes, sizes[1:]))
    what = f"net {'-'.join(map(str, sizes))} ({P:,} parameters), {samples} samples, methods {','.join(methods)}"
    smaller, force, listed = (("smaller --sizes or fewer --samples", "--force", "--methods") if command_line else
                              ("a smaller net or fewer samples (rows of X)", "force=True", "methods"))
    if memory > MAX_MEMORY:
        return (f"{what} would need about {human(memory)} of memory (the limit is {human(MAX_MEMORY)}); use "
                f"{smaller}, or pass {force} to try anyway")
    if seconds > MAX_SECONDS:
        slow = [m for m in ("numerical", "scalar") if m in methods]
        return (f"{what} would take about {seconds / 60:,.0f} minutes (the limit is {MAX_SECONDS / 60:.0f}); "
                + (f"leave out {' and '.join(slow)} from {listed}, " if slow else "")
                + f"use {smaller}, or pass {force} to run it anyway")
    return None


@dataclass
class SavedMLP:
    """What a file saved by ``Module.save`` says of its MLP, from its zip directory and .npy headers alone."""

    path: str
    engine: str                 # "tensor" or "scalar"
    sizes: list[int]
    kinds: dict[str, str]       # activation, output_activation

    def build(self) -> Any:
        """The model of these sizes and activations, with the file's weights loaded into it."""
        if self.engine == "tensor":
            return MLP(self.sizes, **self.kinds).load(self.path)
        return scalar.MLP(self.sizes[0], self.sizes[1:], **self.kinds).load(self.path)


# The names of the entries of a file that Module.save wrote from an MLP of either engine: its marker, the Tensor
# MLP's layers.l.weight and .bias, the Value MLP's layers.l.neurons.j.w.i and .b.
_SAVED_MLP_NAME = re.compile(rb"(?:" + re.escape(MARKER.encode())
                             + rb"|layers\.\d+\.(?:weight|bias|neurons\.\d+\.(?:w\.\d+|b)))\.npy")


def read_saved_mlp(path: str) -> SavedMLP:
    """The sizes and activations of the MLP saved in ``path``, read from its names and headers without
    inflating its data; every error is a ValueError (FileNotFoundError for a missing file) naming the file.
    Its zip directory may be no larger than the entries named as a saved MLP's need, plus 1 MiB (Module.load's
    bound), before zipfile reads it."""
    who, fix, shown = "--weights", "save a model there with model.save(path)", shown_path(path)
    # The zip directory is bounded by the entries named as a saved MLP's, as Module.load bounds it by its model's,
    # before zipfile reads it (200,000 empty entries took zipfile 6 s and 100 MiB).
    with Npz(path, who, fix=fix, kind="a model saved by deltagrad's Module.save", expected=_SAVED_MLP_NAME) as npz:
        _, described, _ = read_marker(npz, f"--weights: {shown} is not a model saved by deltagrad's Module.save")
        described = described or ""                                  # "nn.layers.MLP(2 -> 3, activation='tanh', ...)"
        kinds = dict(re.findall(r"\b(activation|output_activation)='(\w+)'", described))
        kinds.setdefault("activation", "sigmoid")
        for kind, name in kinds.items():
            if name != "softmax" and name not in activations.ACTIVATIONS:
                raise ValueError(f"--weights: {shown} was saved with {kind}={name!r}, which this version does not "
                                 f"know; pass --activation and --output-activation")
        keys = [k for k in npz.keys if k != MARKER]
        # Indices of at most 9 digits (no MLP has 10^9 layers or units): int() refuses a number of over 4,300 digits
        # with a message that names no file; a name that does not match is left to the checks below and load's.
        tensor = sorted((int(m.group(1)), k) for k in keys if (m := re.fullmatch(r"layers\.(\d{1,9})\.weight", k)))
        if tensor:
            shapes = [npz.member(k).shape for _, k in tensor]
            if [i for i, _ in tensor] != list(range(len(tensor))) or any(len(s) != 2 for s in shapes) or any(
                    a[0] != b[1] for a, b in zip(shapes, shapes[1:])):
                raise ValueError(f"--weights: {shown} holds layer weights of shapes {shapes[:6]}, which do not "
                                 "chain into an MLP (W^[l] of shape (n_l, n_(l-1))); save the model again")
            return SavedMLP(path, "tensor", [shapes[0][1], *(s[0] for s in shapes)], kinds)
        neurons: dict[int, set] = {}
        inputs: dict[int, set] = {}
        for k in keys:
            if m := re.fullmatch(r"layers\.(\d{1,9})\.neurons\.(\d{1,9})\.(?:w\.(\d{1,9})|b)", k):
                neurons.setdefault(int(m.group(1)), set()).add(int(m.group(2)))
                if m.group(3) is not None:
                    inputs.setdefault(int(m.group(1)), set()).add(int(m.group(3)))
        if not neurons:
            raise ValueError(f"--weights: {shown} holds no MLP layers (keys like 'layers.0.weight')")
        layers = sorted(neurons)
        sizes = [max(inputs.get(0, {-1})) + 1, *(max(neurons[i]) + 1 for i in layers)]
        P = sum(n * m + m for n, m in zip(sizes, sizes[1:]))
        if layers != list(range(len(layers))) or P != len(keys):
            raise ValueError(f"--weights: {shown} has {len(keys)} weights named like a Value MLP, but the names "
                             f"describe sizes {sizes[:8]} with {P} parameters; save the model again")
        return SavedMLP(path, "scalar", sizes, kinds)


def _raised_at(e: BaseException, path: str) -> str:
    """" (line N)" of the last frame of ``e``'s traceback in the file ``path``, or ""."""
    import traceback

    lines = [f.lineno for f in traceback.extract_tb(e.__traceback__) if os.path.abspath(f.filename) == path]
    return f" (line {lines[-1]})" if lines else ""


def load_function(spec: str) -> Callable:
    """``path/to/file.py:name`` or ``package.module:name``: the student's gradient function for ``--manual``.

    The file is run as ``python file.py`` would run it, its folder first on ``sys.path`` (so that it can import
    the helpers beside it); a relative path starts from the current directory. The function name is what follows
    the last ':', so a Windows path ``C:\\hw\\homework.py:grads`` splits at the right place. Every failure, a
    syntax error or an exception while importing the file included, is a ValueError naming the file."""
    where, _, name = spec.rpartition(":")
    if not where or not name:
        raise ValueError(f"--manual {spec!r}: write FILE.py:FUNCTION or MODULE:FUNCTION")
    if where.endswith(".py"):
        path = os.path.abspath(where)
        if not os.path.isfile(path):
            raise ValueError(f"--manual: no Python file {shown_path(where)} (looked for {shown_path(path)}; a "
                             f"relative path starts from the current directory, {shown_path(os.getcwd())})")
        loader = importlib.util.spec_from_file_location("_manual_gradients", path)
        if loader is None or loader.loader is None:
            raise ValueError(f"--manual: {where!r} cannot be loaded as a Python file")
        module = importlib.util.module_from_spec(loader)
        folder = os.path.dirname(path)
        if folder not in sys.path:
            sys.path.insert(0, folder)                  # as `python homework.py` would: its helpers beside it
        sys.modules["_manual_gradients"] = module       # what dataclasses and pickle look their module up in
        try:
            loader.loader.exec_module(module)
        except SyntaxError as e:
            raise ValueError(f"--manual: {where!r} has a syntax error at line {e.lineno}: {e.msg}") from None
        except (Exception, SystemExit) as e:            # a sys.exit() in the homework is an error too, not a status
            raise ValueError(f"--manual: importing {where!r} raised {type(e).__name__}: {e}{_raised_at(e, path)}"
                             ) from None
    else:
        if not all(part.isidentifier() for part in where.split(".")):
            raise ValueError(f"--manual: {where!r} is neither a FILE.py nor an importable module; write "
                             "FILE.py:FUNCTION or MODULE:FUNCTION")
        try:
            module = importlib.import_module(where)
        except ModuleNotFoundError as e:
            if e.name is None or not where.startswith(e.name):
                raise ValueError(f"--manual: importing {where!r} raised ModuleNotFoundError: {e}") from None
            raise ValueError(f"--manual: no module {where!r}; write FILE.py:FUNCTION for a Python file, "
                             "MODULE:FUNCTION for a module Python can import") from None
        except SyntaxError as e:
            raise ValueError(f"--manual: {e.filename!r} has a syntax error at line {e.lineno}: {e.msg}") from None
        except (Exception, SystemExit) as e:
            raise ValueError(f"--manual: importing {where!r} raised {type(e).__name__}: {e}") from None
    if not callable(getattr(module, name, None)):
        raise ValueError(f"--manual: {where!r} has no function {name!r}")
    return getattr(module, name)


class _ManualFailed(Exception):
    """The --manual function raised; its exception is the __cause__."""


def _reporting(manual: Callable, spec: str) -> Callable:
    """``manual`` raising _ManualFailed, naming its function and file, from whatever it raises (same signature)."""
    import functools

    where = os.path.abspath(spec.rpartition(":")[0]) if spec.rpartition(":")[0].endswith(".py") else spec
    name = getattr(manual, "__name__", spec.rpartition(":")[2])

    @functools.wraps(manual)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return manual(*args, **kwargs)
        except Exception as e:
            raise _ManualFailed(f"--manual: {name} in {where!r} raised {type(e).__name__}: {e}") from e
    return run


def _sizes(text: str) -> list[int]:
    parts = text.split(",")
    for part in parts:
        if not part.strip().isdecimal() or int(part) < 1:     # isdigit() takes "²", which int() refuses
            raise argparse.ArgumentTypeError(f"{part.strip()!r} is not a whole number >= 1; write the layer sizes "
                                             "n_1,...,n_L separated by commas, e.g. 2,3,1")
    if len(parts) < 2:
        raise argparse.ArgumentTypeError(f"{text!r} is one size; give at least two, the inputs and the outputs, "
                                         "e.g. 2,3,1")
    return [int(p) for p in parts]


def _at_least(low: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give {what}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{value} is below {low}; give {what}")
        return value
    return parse


def _methods(text: str) -> list[str]:
    methods = [m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise argparse.ArgumentTypeError(f"unknown method {', '.join(map(repr, unknown)) or 'list (empty)'}; "
                                         f"choose from {','.join(METHODS)}, comma-separated")
    if set(methods) == {"manual"}:                # manual against nothing: it would always read OK
        raise argparse.ArgumentTypeError(f"{text!r} leaves nothing to compare the manual gradient with; add at "
                                         f"least one of {','.join(METHODS[1:])}, e.g. manual,tensor")
    return methods


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nn.compare``: print the comparison; the exit status is 1 when the methods disagree.

    Every bad argument is a usage error (exit status 2, one line on stderr saying what is wrong), checked before
    anything is allocated; so is a run estimated to need more than ``MAX_MEMORY`` bytes or ``MAX_SECONDS``
    seconds (see ``estimate``), unless ``--force`` is given.
    """
    differentiable = [name for name, a in activations.ACTIVATIONS.items() if a.df is not None]
    p = argparse.ArgumentParser(prog="python -m nn.compare", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=_sizes, default=[2, 2, 3, 2],
                   help="layer sizes n_1,...,n_L (default HH19's 2,2,3,2)")
    p.add_argument("--weights", help="a model saved with model.save(path) (.npz), with its activations; replaces "
                                     "--sizes")
    p.add_argument("--activation", default=None, choices=differentiable,
                   help="hidden activation (default: the saved model's, else sigmoid)")
    p.add_argument("--output-activation", default=None, choices=[*differentiable, "softmax"],
                   help="default: the saved model's, else the cost's own, else --activation")
    p.add_argument("--cost", default="quadratic", choices=backprop.COSTS)
    p.add_argument("--samples", type=_at_least(1, "at least one sample"), default=10,
                   help="random samples N (default 10)")
    p.add_argument("--seed", type=_at_least(0, "a seed >= 0"), default=0)
    p.add_argument("--methods", type=_methods, default=list(METHODS),
                   help=f"comma-separated, from {','.join(METHODS)}")
    p.add_argument("--manual", help="your gradient function, FILE.py:NAME or MODULE:NAME, with the signature of "
                                    "nn.backprop.gradients (default: nn.backprop.gradients itself)")
    p.add_argument("--force", action="store_true",
                   help=f"run even when estimated to need over {MAX_MEMORY / 2**30:.0f} GiB or "
                        f"{MAX_SECONDS / 60:.0f} minutes")
    args = p.parse_args(argv)
    try:
        saved = read_saved_mlp(args.weights) if args.weights else None      # names and headers only
    except (ValueError, FileNotFoundError) as e:
        p.error(str(e))
    sizes = saved.sizes if saved is not None else args.sizes
    kinds = saved.kinds if saved is not None else {}
    activation = args.activation or kinds.get("activation", "sigmoid")
    output_activation = args.output_activation
    if output_activation is None and saved is not None and not (
            args.cost in ("cross_entropy", "binary_cross_entropy") and kinds.get("output_activation") == "identity"):
        output_activation = kinds.get("output_activation")       # logits for a cross-entropy: the cost's own output
    try:
        output_activation = backprop.output_activation_for(args.cost, activation, output_activation)
    except ValueError as e:
        p.error(str(e))
    if args.cost == "cross_entropy" and sizes[-1] < 2:
        p.error(f"--cost cross_entropy needs at least 2 outputs (a softmax over classes), but the net "
                f"{'-'.join(map(str, sizes))} has {sizes[-1]}; use --cost binary_cross_entropy for one output")
    if not args.force and (why := _check_budget(sizes, args.samples, args.methods)):
        p.error(why)
    rng = np.random.default_rng(args.seed)
    try:
        manual = _reporting(load_function(args.manual), args.manual) if args.manual else None
        model = saved.build() if saved is not None else None
    except (ValueError, FileNotFoundError) as e:
        p.error(str(e))
    n_in, n_out = sizes[0], sizes[-1]
    try:                                        # what --force lets through may still be beyond this machine
        if model is not None:
            weights = model.get_weights()
        else:
            weights = [(0.5 * rng.standard_normal((m, n)), 0.5 * rng.standard_normal(m))   # netbp: 0.5 randn
                       for n, m in zip(sizes, sizes[1:])]
        X = rng.uniform(0.0, 1.0, (args.samples, n_in))
    except (MemoryError, ValueError) as e:
        forced = "--force: " if args.force else ""
        p.error(f"{forced}net {'-'.join(map(str, sizes))} could not be allocated ({e}); use smaller --sizes or "
                "fewer --samples")
    if args.cost == "cross_entropy":
        Y = np.zeros((args.samples, n_out))
        Y[np.arange(args.samples), rng.integers(0, n_out, args.samples)] = 1.0
    else:
        Y = rng.uniform(0.0, 1.0, (args.samples, n_out))
    try:
        report = compare_gradients(weights, X, Y, activation=activation, output_activation=output_activation,
                                   cost=args.cost, methods=args.methods, manual=manual, force=True)   # checked
    except _ManualFailed as failed:             # the student's own error: their lines of the traceback, then ours
        import traceback

        e = failed.__cause__
        traceback.print_exception(type(e), e, e.__traceback__.tb_next if e.__traceback__ else None)
        p.exit(2, f"{p.prog}: error: {failed}\n")
    except (ValueError, TypeError) as e:        # a wrong result, a wrong signature, or an argument combination the
        message = str(e)                        # checks above did not foresee
        if args.manual and message.startswith("compare_gradients: manual"):     # the student's file and function
            message = f"--manual {args.manual!r}: " + message.removeprefix("compare_gradients: ")
        p.error(message)
    print(f"net {'-'.join(map(str, sizes))}, activation {activation}, output {output_activation}, cost {args.cost}")
    print(f"{args.samples} random samples, seed {args.seed}; "
          + (f"weights from {args.weights}" if args.weights else "weights 0.5 randn") + "\n")
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
