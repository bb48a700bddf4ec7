"""Tensor ops that move entries around: matmul, reshape, transpose, indexing, concatenate and stack.

Also the bridge that lets numpy's ufuncs (``np.exp(t)``, ``array + t``) call the Tensor's own ops.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import tensor_ops as _ops
from .tensor import ArrayLike, Tensor, _make
from .tensor_checks import constant

# --- matmul ------------------------------------------------------------------------------------------------------

def _matmul_error(x: np.ndarray, y: np.ndarray) -> ValueError:
    k_left = x.shape[-1]
    k_right = y.shape[0] if y.ndim == 1 else y.shape[-2]
    if k_left != k_right:
        which = "first" if y.ndim == 1 else "second-to-last"
        why = (f"the last axis of the left operand has {k_left} entries and the {which} axis of the right has "
               f"{k_right}; they must be equal (transpose an operand with .T, or check the layer sizes)")
    else:
        why = f"the stacking axes {x.shape[:-2]} and {y.shape[:-2]} do not broadcast"
    return ValueError(f"@: cannot multiply {x.shape} @ {y.shape}: {why}")


def matmul(a: ArrayLike, b: ArrayLike) -> Tensor:
    """``a @ b`` with numpy's rules: a 1-D operand is a vector, more than 2-D a stack of matrices.

    >>> (Tensor([[1.0, 2.0]]) @ Tensor([[3.0], [4.0]])).item()
    11.0
    """
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        ta, tb, x, y, parents = a, b, a.data, b.data, (a, b)
    else:  # one operand is a constant array
        ta = a if isinstance(a, Tensor) else None
        tb = b if isinstance(b, Tensor) else None
        like = (ta if ta is not None else tb).data
        x = ta.data if ta is not None else np.asarray(constant(a, like, "@"))
        y = tb.data if tb is not None else np.asarray(constant(b, like, "@"))
        parents = (ta,) if tb is None else (tb,)
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"@: cannot multiply {x.shape} @ {y.shape}: a 0-d operand is a number; use * for it")
    try:
        out = x @ y
    except ValueError:
        raise _matmul_error(x, y) from None
    need_a = ta is not None
    need_b = tb is not None

    if x.ndim == 2 and y.ndim == 2:
        def vjp(g: np.ndarray) -> tuple:
            # C = A B:  dL/dA = G B^T, dL/dB = A^T G. Each is computed in its operand's memory order (a
            # transposed weight W.T gets (G^T A)^T), so that W.grad comes out C-ordered and needs no copy.
            ga = gb = None
            if need_a and ta.requires_grad:
                ga = (y @ g.T).T if _f_ordered(x) else g @ y.T
            if need_b and tb.requires_grad:
                gb = (g.T @ x).T if _f_ordered(y) else x.T @ g
            return _pair(ta, tb, ga, gb)
    elif x.ndim <= 2 and y.ndim <= 2:
        def vjp(g: np.ndarray) -> tuple:
            # A matrix and a vector, or two vectors:  z = W v:  dL/dW = g v^T (an outer product), dL/dv = W^T g;
            # z = v W:  dL/dv = W g, dL/dW = v g^T;  z = u . v:  dL/du = g v, dL/dv = g u.
            ga = gb = None
            if need_a and ta.requires_grad:
                ga = np.multiply.outer(g, y) if x.ndim == 2 else y @ g if y.ndim == 2 else g * y
            if need_b and tb.requires_grad:
                gb = g @ x if x.ndim == 2 else np.multiply.outer(x, g) if y.ndim == 2 else g * x
            return _pair(ta, tb, ga, gb)
    else:
        def vjp(g: np.ndarray) -> tuple:
            # Stacks of matrices: the same formulas on the last two axes, with a 1-D operand as a one-row
            # (left) or one-column (right) matrix; the engine sums the stacking axes back to each shape.
            X = x[None, :] if x.ndim == 1 else x
            Y = y[:, None] if y.ndim == 1 else y
            G = g[..., None, :] if x.ndim == 1 else g[..., None] if y.ndim == 1 else g
            ga = gb = None
            if need_a and ta.requires_grad:
                ga = G @ np.swapaxes(Y, -1, -2)
                ga = ga[..., 0, :] if x.ndim == 1 else ga
            if need_b and tb.requires_grad:
                gb = np.swapaxes(X, -1, -2) @ G
                gb = gb[..., 0] if y.ndim == 1 else gb
            return _pair(ta, tb, ga, gb)

    return _make(out, parents, vjp, "matmul")


def _f_ordered(m: np.ndarray) -> bool:
    return m.flags.f_contiguous and not m.flags.c_contiguous


def _pair(ta: Tensor | None, tb: Tensor | None, ga: Any, gb: Any) -> tuple:
    if ta is None:
        return (gb,)
    return (ga,) if tb is None else (ga, gb)


# --- reshape, transpose ------------------------------------------------------------------------------------------

def reshape(t: Tensor, shape: Sequence[int], order: str = "C") -> Tensor:
    x = t.data
    shape = tuple(shape)
    if order != "C":
        raise TypeError(f"np.reshape on a Tensor takes only order='C' (row by row), not order={order!r}; "
                        "Fortran order is t.T.reshape(the shape reversed).T")
    try:
        out = x.reshape(shape)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"reshape: cannot reshape a Tensor of shape {x.shape} ({x.size} entries) into shape {shape}: "
            f"the number of entries must stay {x.size} ({e})"
        ) from None
    return _make(out, (t,), lambda g: (g.reshape(x.shape),), "reshape")  # the same entries: the gradient moves back


def transpose(t: Tensor, axes: Sequence[int]) -> Tensor:
    x = t.data
    if not axes:  # reversed: reversing again undoes it
        return _make(x.transpose(), (t,), lambda g: (g.transpose(),), "transpose")
    axes = tuple(a % x.ndim if x.ndim and -x.ndim <= a < x.ndim else a for a in axes)
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"transpose: axes {axes} are not a permutation of the {x.ndim} axes of shape {x.shape}")
    back = tuple(sorted(range(x.ndim), key=axes.__getitem__))  # the inverse permutation
    return _make(x.transpose(axes), (t,), lambda g: (g.transpose(back),), "transpose")


# --- indexing -----------------------------------------------------------------------------------------------------

def _plain_index(index: Any) -> Any:
    """The index with lists turned into arrays, so that numpy reads them as numpy would (a Tensor is refused)."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, Tensor):
        raise IndexError(
            f"[]: a Tensor holds floats, so it cannot be an index ({index!r}); index with an integer or boolean "
            "numpy array (t > 0 already gives a boolean one; or idx.data.astype(int))"
        )
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _may_repeat(index: Any) -> bool:
    """True if the index holds an integer array, which may pick one entry twice."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, np.ndarray) and i.dtype != bool for i in parts)


def getitem(t: Tensor, index: Any) -> Tensor:
    """``t[index]``: slices, integers, integer arrays and boolean masks, as in numpy."""
    x = t.data
    idx = _plain_index(index)
    try:
        out = x[idx]
    except IndexError as e:
        raise IndexError(f"[]: index {index!r} does not fit a Tensor of shape {x.shape}: {e}") from None
    repeats = _may_repeat(idx)

    def vjp(g: np.ndarray) -> tuple:
        # Each picked entry sends its gradient back to where it came from; an entry picked twice gets both.
        dx = np.zeros(x.shape, dtype=g.dtype)
        if repeats:
            np.add.at(dx, idx, g)
        else:
            dx[idx] = g
        return (dx,)

    return _make(out, (t,), vjp, "getitem")


# --- joining ------------------------------------------------------------------------------------------------------

def _parts(items: Sequence[ArrayLike], op: str) -> tuple[list, list]:
    items = list(items)
    if not items:
        raise ValueError(f"{op}: needs at least one Tensor")
    parents, arrays = _ops._operands(tuple(items), op)
    return items, arrays


def concatenate(tensors: Sequence[ArrayLike], axis: int | None = 0) -> Tensor:
    """The Tensors joined along an existing ``axis`` (None: flattened first, as numpy); each gets back the slice
    of the gradient it filled.

    >>> concatenate([Tensor([1.0, 2.0]), Tensor([3.0])]).shape
    (3,)
    """
    if axis is None:
        tensors, axis = [t.reshape(-1) if isinstance(t, Tensor) else np.ravel(t) for t in tensors], 0
    items, arrays = _parts(tensors, "concatenate")
    try:
        out = np.concatenate(arrays, axis=axis)
    except ValueError as e:
        raise ValueError(
            f"concatenate: cannot join shapes {[a.shape for a in arrays]} along axis {axis}: all axes but "
            f"that one must be equal ({e})"
        ) from None
    ax = axis % out.ndim
    cuts = np.cumsum([a.shape[ax] for a in arrays])[:-1]
    parents = tuple(x for x in items if isinstance(x, Tensor))
    return _make(out, parents, lambda g: _ops._pick(tuple(items), tuple(np.split(g, cuts, axis=ax))), "concatenate")


def stack(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """The Tensors (all of one shape) stacked along a new ``axis``.

    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])]).shape
    (2, 2)
    """
    items, arrays = _parts(tensors, "stack")
    try:
        out = np.stack(arrays, axis=axis)
    except ValueError as e:
        raise ValueError(
            f"stack: cannot stack shapes {[a.shape for a in arrays]} along axis {axis}: they must all be equal ({e})"
        ) from None
    ax = axis % out.ndim
    parents = tuple(x for x in items if isinstance(x, Tensor))
    return _make(out, parents, lambda g: _ops._pick(tuple(items), tuple(np.moveaxis(g, ax, 0))), "stack")


# --- numpy's ufuncs on Tensors ------------------------------------------------------------------------------------

_ARITHMETIC = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "truediv", np.power: "pow"}
_FUNCTIONS = {
    np.matmul: matmul, np.maximum: _ops.maximum, np.minimum: _ops.minimum, np.negative: operator.neg,
    np.exp: _ops.exp, np.log: _ops.log, np.sqrt: _ops.sqrt, np.tanh: _ops.tanh, np.absolute: _ops.abs,
}


def array_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    """``np.exp(t)``, ``array + t``: differentiable ufuncs become Tensor ops; others act on the data.

    A ufunc with no Tensor op (np.sin, np.floor, ...) gives a plain array; on a Tensor that requires grad it
    raises instead when its result is a float array, since that result could not be differentiated.
    """
    if method == "__call__" and (ufunc in _ARITHMETIC or ufunc in _FUNCTIONS):
        if kwargs and any(isinstance(x, Tensor) and x.requires_grad for x in inputs):
            raise TypeError(
                f"np.{ufunc.__name__} on a Tensor takes no {', '.join(kwargs)}: its result could not be "
                "differentiated. Use the Tensor op itself (a + b, a @ b, t.exp(), ...), or t.data for a constant"
            )
        if not kwargs:
            if ufunc in _ARITHMETIC:
                a, b = inputs
                name = _ARITHMETIC[ufunc]
                return getattr(a, f"__{name}__")(b) if isinstance(a, Tensor) else getattr(b, f"__r{name}__")(a)
            return _FUNCTIONS[ufunc](*inputs)
    plain = [x.data if isinstance(x, Tensor) else x for x in inputs]
    result = getattr(ufunc, method)(*plain, **kwargs)
    if any(isinstance(x, Tensor) and x.requires_grad for x in inputs) and np.asarray(result).dtype.kind == "f":
        raise TypeError(
            f"np.{ufunc.__name__} is not a Tensor op, so its result could not be differentiated; use the "
            f"Tensor's methods, or np.{ufunc.__name__}(t.data) for a constant"
        )
    return result


def _no_extras(name: str, extras: dict) -> None:
    used = {k: v for k, v in extras.items() if v is not None and v is not np._NoValue}
    if used:
        raise TypeError(f"np.{name} on a Tensor takes no {', '.join(used)}; use the Tensor method instead")


def _sizes(shape: Any) -> tuple:
    return tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)


def _reduction(method: str) -> Callable:
    def call(a: Tensor, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
             **extras: Any) -> Tensor:
        _no_extras(method, {"dtype": dtype, "out": out, **extras})
        return getattr(a, method)(axis=axis, keepdims=bool(keepdims))
    return call


_NUMPY = {
    np.sum: _reduction("sum"), np.mean: _reduction("mean"), np.max: _reduction("max"), np.min: _reduction("min"),
    np.amax: _reduction("max"), np.amin: _reduction("min"),
    np.var: lambda a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **extras: (
        _no_extras("var", {"dtype": dtype, "out": out, **extras}) or a.var(axis=axis, keepdims=keepdims, ddof=ddof)),
    np.reshape: lambda a, shape=None, order="C", **kw: reshape(a, _sizes(kw.get("newshape", shape)), order),
    np.transpose: lambda a, axes=None: transpose(a, axes or ()),
    np.concatenate: lambda arrays, axis=0: concatenate(arrays, axis),
    np.stack: lambda arrays, axis=0: stack(arrays, axis),
    np.clip: lambda a, a_min=None, a_max=None, min=None, max=None: (  # noqa: A002 (numpy's names)
        (a if isinstance(a, Tensor) else Tensor(a)).clip(a_min if min is None else min, a_max if max is None else max)),
}


def array_function(func: Callable, args: tuple, kwargs: dict) -> Any:
    """``np.sum(t)``, ``np.concatenate([t, u])``: numpy functions with a Tensor op call it; others act on the data.

    As for ufuncs, a function with no Tensor op raises when it would return floats computed from a Tensor that
    requires grad (its result could not be differentiated); ``np.shape(t)`` or ``np.allclose(t, x)`` just work.
    """
    if func in _NUMPY:
        return _NUMPY[func](*args, **kwargs)
    if func is np.where and len(args) == 3:
        return _ops.where(*args)

    def plain(x: Any) -> Any:
        if isinstance(x, Tensor):
            return x.data
        if isinstance(x, (list, tuple)):
            return type(x)(plain(i) for i in x)
        return x

    result = func(*plain(args), **{k: plain(v) for k, v in kwargs.items()})
    if _requires_grad(args) and isinstance(result, (np.ndarray, np.floating)) and np.asarray(result).dtype.kind == "f":
        name = f"{func.__module__.replace('numpy', 'np', 1)}.{func.__name__}"
        raise TypeError(
            f"{name} is not a Tensor op, so its result could not be differentiated; use the "
            f"Tensor's methods, or {name}(t.data) for a constant"
        )
    return result


def _requires_grad(args: Any) -> bool:
    if isinstance(args, Tensor):
        return args.requires_grad
    return isinstance(args, (list, tuple)) and any(_requires_grad(a) for a in args)

