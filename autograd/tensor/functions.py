"""Tensor functions: elementwise ops, maximum/minimum/where, reductions and the softmax family.

Each op: the forward formula, then its vector-Jacobian product (g is dL/d(out); the vjp returns dL/d(input)).
Gradients may come back in the broadcast shape: the engine sums them to each parent's shape.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from .tensor import ArrayLike, Tensor, _make
from .tensor_checks import broadcasting, check_positive, constant, shape_error

# Largest x with a finite exp(x), per dtype: beyond it exp() raises instead of returning inf.
_EXP_MAX = {np.dtype(np.float64): 709.782712893384, np.dtype(np.float32): 88.72283}


def _halves(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """a = e^min(x,0), b = e^-max(x,0) and a + b: sigmoid(x) = a/(a+b), 1 - sigmoid(x) = b/(a+b).

    That is 1/(1+e^-x) for x >= 0 and e^x/(e^x+1) for x < 0 in one formula: every exponent is <= 0, so
    nothing overflows at x = +-1000, and 1 - sigmoid(x) never comes from a cancelling subtraction.
    """
    m = np.minimum(x, 0)
    a = np.exp(m)
    b = np.exp(m - x)                                    # -max(x, 0) = min(x, 0) - x
    return a, b, a + b


def _sigmoid(x: np.ndarray) -> np.ndarray:
    a, _, ab = _halves(x)
    return a / ab


# --- elementwise ----------------------------------------------------------------------------------------------

def exp(t: Tensor) -> Tensor:
    x = t.data
    if x.size and x.max() > _EXP_MAX[x.dtype]:
        raise ValueError(
            f"exp: exp({x.max()!r}) overflows {x.dtype} (largest argument about {_EXP_MAX[x.dtype]:.2f}); "
            "for log(sum(exp(.))) use logsumexp(), for probabilities softmax()"
        )
    e = np.exp(x)
    return _make(e, (t,), lambda g: (g * e,), "exp")                      # e^x:  d/dx = e^x


def log(t: Tensor) -> Tensor:
    x = t.data
    check_positive(x, "log", "log (use log_softmax() for the log of probabilities)")
    return _make(np.log(x), (t,), lambda g: (g / x,), "log")              # ln x:  d/dx = 1/x


def sqrt(t: Tensor) -> Tensor:
    x = t.data
    if x.size and not x.min() >= 0:
        raise ValueError(f"sqrt: sqrt needs entries >= 0, got minimum {x.min()!r}")
    r = np.sqrt(x)

    def vjp(g: np.ndarray) -> tuple:                                      # sqrt x:  d/dx = 1/(2 sqrt x)
        with np.errstate(divide="ignore", invalid="ignore"):             # inf at 0, as for Value
            return (g / (2 * r),)

    return _make(r, (t,), vjp, "sqrt")


def tanh(t: Tensor) -> Tensor:
    y = np.tanh(t.data)                                                   # saturates, never overflows
    return _make(y, (t,), lambda g: (g * (1 - y * y),), "tanh")           # tanh:  d/dx = 1 - tanh^2


def sigmoid(t: Tensor) -> Tensor:
    a, b, ab = _halves(t.data)
    s = a / ab
    return _make(s, (t,), lambda g: (g * s * (b / ab),), "sigmoid")      # s:  d/dx = s (1 - s)


def relu(t: Tensor) -> Tensor:
    x = t.data
    # max(0, x):  d/dx = 1 for x > 0, 0 for x <= 0 (0 at 0, as PyTorch and Value)
    return _make(np.maximum(x, 0), (t,), lambda g: (g * (x > 0),), "relu")


def softplus(t: Tensor) -> Tensor:
    x = t.data
    y = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))                 # ln(1 + e^x), written so e^. <= 1
    return _make(y, (t,), lambda g: (g * _sigmoid(x),), "softplus")       # d/dx = sigmoid(x)


def abs(t: Tensor) -> Tensor:  # noqa: A001 (the method name)
    x = t.data
    return _make(np.abs(x), (t,), lambda g: (g * np.sign(x),), "abs")     # |x|:  d/dx = sign x, 0 at 0 (as PyTorch)


def clip(t: Tensor, lo: float | None, hi: float | None) -> Tensor:
    if lo is None and hi is None:
        raise ValueError("clip: give lo, hi or both")
    if lo is not None and hi is not None and np.any(np.greater(lo, hi)):
        raise ValueError(f"clip: lo={lo!r} is above hi={hi!r}")
    x = t.data
    lo, hi = (None if c is None else constant(c, x, "clip") for c in (lo, hi))  # bounds of the Tensor's dtype
    inside = np.ones(x.shape, dtype=bool)
    if lo is not None:
        inside &= x >= lo
    if hi is not None:
        inside &= x <= hi
    # d/dx = 1 where lo <= x <= hi (ends included, as torch.clamp), 0 where clipped
    return _make(np.clip(x, lo, hi), (t,), lambda g: (g * inside,), "clip")


# --- two or three operands, each a Tensor or a constant ------------------------------------------------------

def _operands(items: tuple, op: str) -> tuple[tuple, list]:
    """The Tensors among ``items`` (the parents) and every item's array; constants take the first Tensor's dtype."""
    tensors = tuple(x for x in items if isinstance(x, Tensor))
    like = tensors[0].data if tensors else np.empty(0)
    return tensors, [x.data if isinstance(x, Tensor) else np.asarray(constant(x, like, op), like.dtype) for x in items]


def _pick(items: tuple, grads: tuple) -> tuple:
    """The gradients of the Tensor items, in order (the constants get none)."""
    return tuple(g for x, g in zip(items, grads) if isinstance(x, Tensor))


def _extreme(a: ArrayLike, b: ArrayLike, op: str, wins: Any) -> Tensor:
    parents, (x, y) = _operands((a, b), op)
    out = broadcasting(np.maximum if op == "maximum" else np.minimum, x, y, op)
    # The larger (smaller) operand gets the gradient; at a tie each gets half (as PyTorch).
    return _make(out, parents, lambda g: _pick((a, b), (
        g * (wins(x, y) + 0.5 * (x == y)), g * (wins(y, x) + 0.5 * (x == y)))), op)


def maximum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """The larger of a and b, entry by entry (broadcasting); the gradient goes to the larger one, half each at ties.

    >>> maximum(Tensor([1.0, 5.0]), 2.0)
    Tensor([2., 5.], op='maximum')
    """
    return _extreme(a, b, "maximum", np.greater)


def minimum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """The smaller of a and b, entry by entry (broadcasting); the gradient goes to the smaller one, half at ties.

    >>> minimum(Tensor([1.0, 5.0]), 2.0)
    Tensor([1., 2.], op='minimum')
    """
    return _extreme(a, b, "minimum", np.less)


def where(condition: Any, a: ArrayLike, b: ArrayLike) -> Tensor:
    """a where ``condition`` is true, else b (broadcasting); each gradient flows to the entries it chose.

    >>> x = Tensor([-1.0, 2.0])
    >>> where(x > 0, x, 0.0)
    Tensor([0., 2.], op='where')
    """
    c = np.asarray(condition.data if isinstance(condition, Tensor) else condition)
    if c.dtype != bool:
        c = c != 0
    parents, (x, y) = _operands((a, b), "where")
    try:
        out = np.where(c, x, y)
    except ValueError:
        raise shape_error("where", c, x, y) from None
    zero = np.zeros((), dtype=out.dtype)
    return _make(out, parents, lambda g: _pick((a, b), (np.where(c, g, zero), np.where(c, zero, g))), "where")


# --- reductions -------------------------------------------------------------------------------------------------

def _axes(axis: int | tuple | None, ndim: int, op: str, shape: tuple) -> tuple:
    """``axis`` as a tuple of non-negative axes (all of them for None), or an error naming the shape."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a} is out of range for a Tensor of shape {shape} ({ndim} axes)")
    norm = tuple(a % ndim for a in axes) if ndim else ()
    if len(set(norm)) != len(norm):
        raise ValueError(f"{op}: axis {axis} repeats an axis")
    return norm


def _kept(shape: tuple, axes: tuple) -> tuple:
    """The shape with each reduced axis kept as 1: a gradient reshaped to it broadcasts back over the input."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _spread(g: np.ndarray, kept: tuple, shape: tuple) -> np.ndarray:
    """The gradient of a reduction, repeated over the entries that went into it (a read-only broadcast view)."""
    if g.ndim == 0:
        return _filled(shape, g)  # faster than broadcast_to on small inputs
    return np.broadcast_to(g.reshape(kept), shape)


def _filled(shape: tuple, g: np.ndarray) -> np.ndarray:
    """A new array of ``shape`` whose every entry is the number g (np.full, at a third of its cost)."""
    out = np.empty(shape, dtype=g.dtype)
    out.fill(g)
    return out


def sum(t: Tensor, axis: int | tuple | None = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    x = t.data
    if axis is None and not keepdims:  # the common loss.sum(), without the bookkeeping of axes
        shape = x.shape
        return _make(x.sum(), (t,), lambda g: (_filled(shape, g),), "sum")
    axes = _axes(axis, x.ndim, "sum", x.shape)
    kept, shape = _kept(x.shape, axes), x.shape
    # y = sum_i x_i:  dy/dx_i = 1, so every x_i gets the gradient of the sum it went into
    return _make(x.sum(axis=axes, keepdims=keepdims), (t,), lambda g: (_spread(g, kept, shape),), "sum")


def mean(t: Tensor, axis: int | tuple | None = None, keepdims: bool = False) -> Tensor:
    x = t.data
    axes = _axes(axis, x.ndim, "mean", x.shape)
    kept, shape = _kept(x.shape, axes), x.shape
    n = math.prod(x.shape[a] for a in axes)
    if n == 0:
        raise ValueError(f"mean: the mean over axis {axis} of a Tensor of shape {x.shape} has no entries")
    # y = (1/n) sum_i x_i:  dy/dx_i = 1/n
    return _make(x.mean(axis=axes, keepdims=keepdims), (t,),
                 lambda g: (_spread(g / n, kept, shape),), "mean")


def extremum(t: Tensor, axis: int | tuple | None, keepdims: bool, op: str) -> Tensor:
    x = t.data
    axes = _axes(axis, x.ndim, op, x.shape)
    if x.size == 0 or builtins.any(x.shape[a] == 0 for a in axes):
        raise ValueError(f"{op}: a Tensor of shape {x.shape} has no entries along axis {axis}")
    best = x.max(axis=axes, keepdims=True) if op == "max" else x.min(axis=axes, keepdims=True)
    out = best if keepdims else best.reshape([n for i, n in enumerate(x.shape) if i not in axes])
    kept = best.shape

    def vjp(g: np.ndarray) -> tuple:    # y = max_i x_i:  dy/dx_i = 1 at the maximum (1/k each for k ties), else 0
        hit = x == best
        return (g.reshape(kept) * hit / hit.sum(axis=axes, keepdims=True),)

    return _make(out, (t,), vjp, op)


def var(t: Tensor, axis: int | tuple | None = None, keepdims: bool = False, ddof: int = 0) -> Tensor:
    x = t.data
    axes = _axes(axis, x.ndim, "var", x.shape)
    n = math.prod(x.shape[a] for a in axes) - ddof
    if n <= 0:
        raise ValueError(f"var: {n + ddof} entries along axis {axis} with ddof={ddof} leave no degrees of freedom")
    d = x - x.mean(axis=axes, keepdims=True)
    out = np.sum(d * d, axis=axes, keepdims=keepdims) / n
    kept = _kept(x.shape, axes)
    # y = sum_i (x_i - m)^2 / n:  dy/dx_i = 2 (x_i - m) / n (the path through m adds 2 sum_i (x_i - m)/n^2 = 0)
    return _make(out, (t,), lambda g: (g.reshape(kept) * d * (2.0 / n),), "var")


# --- the softmax family, stable at any scale: shift by the maximum before exp() -----------------------------

def _softmax(x: np.ndarray, axes: int | tuple) -> np.ndarray:
    e = np.exp(x - x.max(axis=axes, keepdims=True))      # every exponent <= 0: no overflow
    e /= e.sum(axis=axes, keepdims=True)
    return e


def logsumexp(t: Tensor, axis: int | tuple | None = -1, keepdims: bool = False) -> Tensor:
    x = t.data
    axes = _axes(axis, x.ndim, "logsumexp", x.shape)
    if x.size == 0:
        raise ValueError(f"logsumexp: a Tensor of shape {x.shape} has no entries")
    m = x.max(axis=axes, keepdims=True)
    s = np.exp(x - m).sum(axis=axes, keepdims=True)
    y = np.log(s) + m                                    # log sum e^x = m + log sum e^(x - m)
    out = y if keepdims else y.reshape([n for i, n in enumerate(x.shape) if i not in axes])
    # y = log sum_j e^(x_j):  dy/dx_i = e^(x_i) / sum_j e^(x_j), the softmax (from m and s: y is rounded)
    return _make(out, (t,), lambda g: (g.reshape(s.shape) * (np.exp(x - m) / s),), "logsumexp")


def softmax(t: Tensor, axis: int = -1) -> Tensor:
    x = t.data
    axes = _axes(axis, x.ndim, "softmax", x.shape)
    p = _softmax(x, axes)
    # p_i = e^(x_i) / sum_j e^(x_j):  dp_i/dx_k = p_i (delta_ik - p_k), so dL/dx = p (g - sum_i g_i p_i)
    return _make(p, (t,), lambda g: (p * (g - (g * p).sum(axis=axes, keepdims=True)),), "softmax")


def log_softmax(t: Tensor, axis: int = -1) -> Tensor:
    x = t.data
    axes = _axes(axis, x.ndim, "log_softmax", x.shape)
    z = x - x.max(axis=axes, keepdims=True)
    out = z - np.log(np.exp(z).sum(axis=axes, keepdims=True))     # x_i - logsumexp(x), all exponents <= 0
    # y_i = x_i - log sum_j e^(x_j):  dy_i/dx_k = delta_ik - p_k, so dL/dx = g - p sum_i g_i (p = e^y)
    return _make(out, (t,), lambda g: (g - np.exp(out) * g.sum(axis=axes, keepdims=True),), "log_softmax")
