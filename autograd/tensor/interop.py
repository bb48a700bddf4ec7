"""How numpy sees a Tensor: ``np.asarray(t)``, and numpy's ufuncs and functions calling the Tensor's own ops.

``np.exp(t)``, ``array + t`` and ``np.sum(t)`` become Tensor ops, so they differentiate; a numpy function with no
Tensor op gives a plain array, and refuses to when its input requires grad while grad mode is on (the graph would
silently end there), whatever form its answer takes (an array, a list of arrays, a named tuple). numpy never writes
into a Tensor (np.put, np.copyto, np.add.at, out=t): it sees a read-only view, and the write is refused by name, as
t[i] = v is; nor does it write a Tensor that requires grad into a plain array (np.copyto(a, t), np.add.at(a, i, t)),
whose numbers would have no gradient. np.add.reduce, np.multiply.reduce, np.maximum.reduce, np.minimum.reduce and
np.add.accumulate are t.sum, t.prod, t.max, t.min (numpy's axis=0 by default) and t.cumsum.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..graph import is_grad_enabled
from . import core
from .core import TensorCore
from .functions import Functions, logaddexp, maximum, minimum, where
from .linalg import diag, dot, outer, trace
from .shape import (
    broadcast_to,
    concatenate,
    flip,
    matmul,
    moveaxis,
    permute,
    repeat,
    reshape,
    split_at,
    squeeze,
    stack,
    swapaxes,
    unsqueeze,
)


def _ravel(t: Any, order: str) -> Any:
    """np.ravel of a Tensor: row by row only. 'K' and 'A' follow the array's layout in memory, which a Tensor's
    result must not depend on (a transposed Tensor's data is in Fortran order)."""
    if order != "C":
        raise TypeError(f"np.ravel on a Tensor takes only order='C' (row by row), not order={order!r}; for "
                        "Fortran order use t.T.reshape(-1)")
    return reshape(t, (-1,))


def _matrix_transpose(t: Any, name: str) -> Any:
    """numpy 2's matrix_transpose: the last two axes swapped, refused (as numpy does) below 2 axes."""
    if t.ndim < 2:
        raise ValueError(f"{name}: a Tensor of shape {t.shape} is not a matrix (nor a stack of them); it needs at "
                         "least 2 axes (t.reshape(1, -1) makes a row of a vector)")
    return swapaxes(t, -1, -2)


def _as_tensor(a: Any) -> Any:
    return a if isinstance(a, TensorCore) else core._result_class(a)


# --- numpy's ufuncs on Tensors ------------------------------------------------------------------------------------

_ARITHMETIC = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "truediv", np.power: "pow"}
_FUNCTIONS = {
    np.matmul: matmul, np.maximum: maximum, np.minimum: minimum, np.negative: operator.neg, np.logaddexp: logaddexp,
    np.exp: Functions.exp, np.log: Functions.log, np.sqrt: Functions.sqrt, np.tanh: Functions.tanh,
    np.absolute: Functions.abs, np.sin: Functions.sin, np.cos: Functions.cos,
    np.square: lambda t: t * t,                      # as np.square of an array of Values: x * x, slope 2x
}


def array_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    """``np.exp(t)``, ``array + t``: differentiable ufuncs become Tensor ops; others act on the data.

    A ufunc with no Tensor op (np.sin, np.floor, ...) gives a plain array; on a Tensor that requires grad it
    raises instead when its result is a float array, since that result could not be differentiated.
    """
    if method == "__call__" and (ufunc in _ARITHMETIC or ufunc in _FUNCTIONS):
        if kwargs and _tracked(inputs):
            raise TypeError(
                f"np.{ufunc.__name__} on a Tensor takes no {', '.join(kwargs)}: its result could not be "
                "differentiated. Use the Tensor op itself (a + b, a @ b, t.exp(), ...), or t.data for a constant"
            )
        if not kwargs:
            if ufunc in _ARITHMETIC:
                a, b = inputs
                name = _ARITHMETIC[ufunc]
                return getattr(a, f"__{name}__")(b) if isinstance(a, TensorCore) else getattr(b, f"__r{name}__")(a)
            return _FUNCTIONS[ufunc](*inputs)
    name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
    out = kwargs.get("out", ())
    if any(isinstance(x, TensorCore) for x in (out if isinstance(out, tuple) else (out,))):
        raise _in_place_error(name)              # numpy would hand the Tensor back to this method, over and over
    if method == "at" and isinstance(inputs[0], TensorCore):
        raise _in_place_error(name)              # np.add.at writes even into a read-only array (numpy 2.4, [0, 0])
    if method == "at" and _tracked(inputs):
        raise _written_error(name)               # np.add.at(a, i, t): a would hold t's numbers, outside the graph
    if (ufunc, method) in _UFUNC_METHODS:
        return _ufunc_method(name, _UFUNC_METHODS[ufunc, method], _as_tensor(inputs[0]), **kwargs)
    with _refusing_writes(name):
        result = getattr(ufunc, method)(*(_read_only(x) for x in inputs), **kwargs)
    if _tracked(inputs) and _floats(result):
        # np.reciprocal's suggestion (1 / t) is not one for np.reciprocal.reduce: only a plain call gets it
        instead = _INSTEAD.get(ufunc, _METHODS) if method == "__call__" else _METHODS
        raise TypeError(
            f"{name} is not a Tensor op, so its result could not be differentiated; use {instead}, or "
            f"{name}(t.data) for a constant"
        )
    return result


# ufunc methods that are Tensor reductions: np.add.reduce(t) is t.sum(axis=0), np.add.accumulate(t) t.cumsum(0)
_UFUNC_METHODS = {
    (np.add, "reduce"): "sum", (np.multiply, "reduce"): "prod", (np.maximum, "reduce"): "max",
    (np.minimum, "reduce"): "min", (np.add, "accumulate"): "cumsum",
}


def _ufunc_method(name: str, op: str, t: Any, axis: Any = 0, dtype: Any = None, out: Any = None,
                  keepdims: bool = False, **extras: Any) -> Any:
    """``np.add.reduce(t, axis)`` as ``t.sum(axis)``: numpy's default axis is 0 here, not None as in np.sum."""
    if dtype is not None or out is not None or extras:
        used = ["dtype"] * (dtype is not None) + ["out"] * (out is not None) + list(extras)
        raise TypeError(f"{name} on a Tensor takes no {', '.join(used)}; use the Tensor method t.{op}(axis) "
                        "instead (t.astype(dtype) for another dtype)")
    if op == "cumsum":
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"{name} takes one axis (an int), got {axis!r}; flatten first for the running sum "
                            "of all entries: t.reshape(-1).cumsum(0)")
        return t.cumsum(axis=axis)
    if t.ndim == 0 and not isinstance(axis, bool) and axis in (0, -1):
        axis = None                  # numpy reduces a number along its default axis 0 (or -1) to itself
    return getattr(t, op)(axis=axis, keepdims=keepdims)


# What a student can write instead of a numpy function that is not a Tensor op: Tensor ops with the same numbers.
_METHODS = "Tensor ops that compute the same numbers (deltagrad has none of this name)"
_INSTEAD: dict = {
    np.reciprocal: "1 / t", np.positive: "t itself", np.fabs: "abs(t)",
    np.cosh: "(t.exp() + (-t).exp()) / 2", np.sinh: "(t.exp() - (-t).exp()) / 2",
    np.hstack: "autograd.concatenate (axis=1, or 0 for vectors)", np.vstack: "autograd.stack or concatenate",
    np.tile: "autograd.concatenate([t] * n)", np.take: "t[indices]",
    np.atleast_2d: "t.reshape(1, -1)", np.average: "(t * w).sum() / w.sum()",
    np.linalg.norm: "(t ** 2).sum() ** 0.5 (the default ord, 2 for vectors; (t ** 2).sum(axis) ** 0.5 along an axis, "
                    "(t ** 2).sum(axis, keepdims=True) ** 0.5 for keepdims=True, as t / norm needs it)",
    np.log1p: "(1 + t).log()", np.expm1: "t.exp() - 1", np.exp2: "2 ** t", np.float_power: "t ** p",
    np.log2: "t.log() / np.log(2)", np.log10: "t.log() / np.log(10)",
    np.diff: "t[..., 1:] - t[..., :-1]",
    np.inner: "a @ b.T (vectors and matrices)", np.vdot: "(a * b).sum()", np.linalg.vecdot: "(a * b).sum(-1)",
    np.vecdot: "(a * b).sum(-1)", np.einsum: "@, * and .sum(axis) (np.einsum('ij,jk', a, b) is a @ b)",
    np.tensordot: "autograd.dot, or (a * b).sum() for axes=a.ndim on equal shapes",
    np.sort: "t[np.argsort(t.data)] (a vector)",
    np.cumprod: "autograd.stack([t[:i + 1].prod() for i in range(len(t))]) (a vector)",
}


def _read_only(x: Any) -> Any:
    """A Tensor's data as a read-only view for numpy's own functions, which then cannot change the Tensor in place
    (np.put, np.copyto, np.add.at, ...): the graph would not see it, and gradients would use the new numbers."""
    if not isinstance(x, TensorCore):
        return x
    view = x.data.view()
    view.flags.writeable = False
    return view


@contextlib.contextmanager
def _refusing_writes(name: str) -> Iterator[None]:
    """numpy's "read-only" error from writing into a ``_read_only`` view, as the error that says why and what to do."""
    try:
        yield
    except ValueError as error:
        if "read-only" not in str(error):
            raise
        raise _in_place_error(name) from None


def _in_place_error(name: str) -> TypeError:
    return TypeError(
        f"{name} would change a Tensor in place, which the graph cannot see (its gradients would be computed from "
        "the new numbers); build a new Tensor instead (autograd.where(mask, value, t), concatenate, ...), or write "
        "into t.data outside any graph"
    )


def _written_error(name: str) -> TypeError:
    return TypeError(
        f"{name} would write numbers of a Tensor that requires grad into a plain numpy array, which has no gradient: "
        "the graph would silently end there. Build the result with Tensor ops (autograd.where(mask, t, a), "
        "concatenate, t[indices], ...), or write t.detach() (or t.data) for the numbers alone"
    )


# numpy's functions that write into their first argument and return None (np.copyto(a, t) is a[...] = t)
_WRITERS = {np.copyto, np.put, np.place, np.putmask, np.put_along_axis}


def _floats(result: Any) -> bool:
    """Whether numpy's ``result`` holds real or complex numbers (computed from the data, so they would need a
    gradient): an array or number, or a list or tuple of them (np.split, np.linalg.svd's named tuple)."""
    if isinstance(result, (list, tuple)):
        return any(_floats(r) for r in result)
    if isinstance(result, np.ndarray) and result.dtype.kind == "O":   # np.frompyfunc's answer: Python floats inside
        return any(_floats(r) for r in result.flat)
    if isinstance(result, (float, complex, np.ndarray, np.inexact)):
        return np.asarray(result).dtype.kind in "fc"
    return False


def _no_extras(name: str, extras: dict) -> None:
    used = {k: v for k, v in extras.items() if v is not None and v is not np._NoValue}
    if used:
        raise TypeError(f"np.{name} on a Tensor takes no {', '.join(used)}; use the Tensor method instead")


def _ddof(ddof: Any, correction: Any, name: str) -> Any:
    """numpy 2's ``correction=`` of np.var and np.std, its name for ``ddof`` (the Array API's); one of the two."""
    if correction is None or correction is np._NoValue:
        return ddof
    if ddof != 0:
        raise TypeError(f"np.{name}: ddof={ddof!r} and correction={correction!r} name the same number; give one "
                        "(numpy refuses both too)")
    return correction


def _sizes(shape: Any) -> tuple:
    one_axis_array = isinstance(shape, np.ndarray) and shape.ndim == 1      # numpy takes np.array([3, 2]) too
    return tuple(shape) if isinstance(shape, (tuple, list)) or one_axis_array else (shape,)


def _reduction(method: str) -> Callable:
    def call(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
             **extras: Any) -> Any:
        _no_extras(method, {"dtype": dtype, "out": out, **extras})
        return getattr(a, method)(axis=axis, keepdims=keepdims)   # the method checks the switch
    return call


def _extremum(method: str) -> Callable:
    """np.max and np.min, whose third argument is out, not dtype as np.sum's: np.max(t, 0, None, True) keeps dims."""
    def call(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **extras: Any) -> Any:
        _no_extras(method, {"out": out, **extras})
        return getattr(a, method)(axis=axis, keepdims=keepdims)
    return call


_NUMPY = {
    np.sum: _reduction("sum"), np.mean: _reduction("mean"), np.max: _extremum("max"), np.min: _extremum("min"),
    np.amax: _extremum("max"), np.amin: _extremum("min"),
    np.var: lambda a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, correction=None, **extras: (
        _no_extras("var", {"dtype": dtype, "out": out, **extras})
        or a.var(axis=axis, keepdims=keepdims, ddof=_ddof(ddof, correction, "var"))),
    np.std: lambda a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, correction=None, **extras: (
        _no_extras("std", {"dtype": dtype, "out": out, **extras})
        or a.std(axis=axis, keepdims=keepdims, ddof=_ddof(ddof, correction, "std"))),
    np.reshape: lambda a, shape=None, order="C", *, newshape=None, copy=None: (
        _no_extras("reshape", {"copy": copy}) or reshape(a, _sizes(shape if newshape is None else newshape), order)),
    np.transpose: lambda a, axes=None: permute(a, axes),
    np.concatenate: lambda arrays, axis=0, out=None, **extras: (
        _no_extras("concatenate", {"out": out, **extras}) or concatenate(arrays, axis)),
    np.stack: lambda arrays, axis=0, out=None, **extras: (
        _no_extras("stack", {"out": out, **extras}) or stack(arrays, axis)),
    np.clip: lambda a, a_min=None, a_max=None, out=None, min=None, max=None, **extras: (  # noqa: A002 (numpy's names)
        _no_extras("clip", {"out": out, **extras}) or _as_tensor(a).clip(*_bounds(a_min, a_max, min, max))),
}


def _bounds(a_min: Any, a_max: Any, lo: Any, hi: Any) -> tuple:
    """np.clip's bounds, given by position (a_min, a_max) or by numpy 2's names (min, max), but never both ways."""
    if (a_min is not None and lo is not None) or (a_max is not None and hi is not None):
        raise ValueError(f"np.clip: a bound given twice (a_min={a_min!r}, a_max={a_max!r}, min={lo!r}, max={hi!r}); "
                         "give each bound once, np.clip(t, lo, hi) or np.clip(t, min=lo, max=hi)")
    return (a_min if lo is None else lo), (a_max if hi is None else hi)


def _scan(method: str) -> Callable:
    def call(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
        _no_extras(method, {"dtype": dtype, "out": out})
        return getattr(_as_tensor(a), method)(axis=axis)
    return call


def _constant_like(fill: Callable) -> Callable:
    """np.zeros_like(t) and its kind: a plain array of t's shape and dtype, even when t requires grad (its numbers
    are not read, so no gradient is lost)."""
    def call(a: Any, *args: Any, **kwargs: Any) -> np.ndarray:
        data = a.data if isinstance(a, TensorCore) else a
        return fill(data, *args, **kwargs)
    return call


_NUMPY.update({
    np.prod: _reduction("prod"),
    np.cumsum: _scan("cumsum"),
    np.dot: lambda a, b, out=None: _no_extras("dot", {"out": out}) or dot(a, b),
    np.outer: lambda a, b, out=None: _no_extras("outer", {"out": out}) or outer(a, b),
    np.trace: lambda a, offset=0, axis1=0, axis2=1, dtype=None, out=None: (
        _no_extras("trace", {"dtype": dtype, "out": out}) or trace(_as_tensor(a), offset, axis1, axis2)),
    np.diag: lambda v, k=0: diag(_as_tensor(v), k),
    np.copy: lambda a, order="K", subok=False: _as_tensor(a).clone(),   # (the numbers do not depend on the order)
    np.repeat: lambda a, repeats, axis=None: repeat(_as_tensor(a), repeats, axis),
    np.ravel: lambda a, order="C": _ravel(_as_tensor(a), order),
    np.squeeze: lambda a, axis=None: squeeze(_as_tensor(a), axis),
    np.expand_dims: lambda a, axis: unsqueeze(_as_tensor(a), axis, "expand_dims"),
    np.flip: lambda m, axis=None: flip(_as_tensor(m), axis),
    np.swapaxes: lambda a, axis1, axis2: swapaxes(_as_tensor(a), axis1, axis2),
    np.matrix_transpose: lambda x: _matrix_transpose(_as_tensor(x), "np.matrix_transpose"),
    np.linalg.matrix_transpose: lambda x: _matrix_transpose(_as_tensor(x), "np.linalg.matrix_transpose"),
    np.linalg.matmul: lambda x1, x2: matmul(x1, x2),
    np.moveaxis: lambda a, source, destination: moveaxis(_as_tensor(a), source, destination),
    np.broadcast_to: lambda array, shape, subok=False: broadcast_to(_as_tensor(array), _sizes(shape)),
    np.split: lambda ary, indices_or_sections, axis=0: split_at(_as_tensor(ary), indices_or_sections, axis),
    np.array_split: lambda ary, indices_or_sections, axis=0: (
        split_at(_as_tensor(ary), indices_or_sections, axis, equal=False)),
    np.ones_like: _constant_like(np.ones_like), np.zeros_like: _constant_like(np.zeros_like),
    np.full_like: _constant_like(np.full_like), np.empty_like: _constant_like(np.empty_like),
})


def array_function(func: Callable, args: tuple, kwargs: dict) -> Any:
    """``np.sum(t)``, ``np.concatenate([t, u])``: numpy functions with a Tensor op call it; others act on the data.

    As for ufuncs, a function with no Tensor op raises when it would return floats computed from a Tensor that
    requires grad (its result could not be differentiated); ``np.shape(t)`` or ``np.allclose(t, x)`` just work.
    """
    if func in _NUMPY:
        return _NUMPY[func](*args, **kwargs)
    if func is np.where and len(args) == 3:
        return where(*args)

    def plain(x: Any) -> Any:
        if isinstance(x, TensorCore):
            return _read_only(x)
        if isinstance(x, (list, tuple)):
            return type(x)(plain(i) for i in x)
        return x

    name = f"{func.__module__.replace('numpy', 'np', 1)}.{func.__name__}"
    tracked = _tracked(args) or _tracked(tuple(kwargs.values()))
    if func in _WRITERS and tracked and not (args and isinstance(args[0], TensorCore)):
        raise _written_error(name)       # (into a Tensor, the read-only view below refuses it as a change in place)
    with _refusing_writes(name):
        result = func(*plain(args), **{k: plain(v) for k, v in kwargs.items()})
    if tracked and _floats(result):
        raise TypeError(
            f"{name} is not a Tensor op, so its result could not be differentiated; use "
            f"{_INSTEAD.get(func, _METHODS)}, or {name}(t.data) for a constant"
        )
    return result


def _requires_grad(args: Any) -> bool:
    if isinstance(args, TensorCore):
        return args.requires_grad
    return isinstance(args, (list, tuple)) and any(_requires_grad(a) for a in args)


def _tracked(args: tuple) -> bool:
    """Whether a Tensor among ``args`` (or in a list among them) requires grad while grad mode is on: only then
    would a plain numpy result lose a gradient. Inside no_grad() numpy may compute with it, as np.asarray(t) may."""
    return is_grad_enabled() and _requires_grad(args)



class NumpyInterop:
    """numpy's view of a Tensor (a mixin of ``autograd.tensor.Tensor``)."""

    __slots__ = ()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``np.asarray(t)``: the data, refused for a Tensor that requires grad while grad mode is on."""
        if self.requires_grad and is_grad_enabled():  # type: ignore[attr-defined]
            # numpy would compute with the bare numbers (np.mean([x * x, 3 * x]) with x a Tensor), and the result
            # would silently have no gradient: refuse, as PyTorch does.
            raise TypeError(
                f"numpy was handed a Tensor that requires grad ({self!r}); as a plain array it would drop out of "
                "the graph and its gradient would silently be lost. Use Tensor ops (autograd.stack([...]).mean() "
                "instead of np.mean([...])), or t.detach() / t.data for the numbers alone (or no_grad())"
            )
        data = self.data  # type: ignore[attr-defined]
        if dtype is not None and np.dtype(dtype) != data.dtype:
            if copy is False:  # numpy 2's promise: copy=False never copies, so a cast is refused, as numpy does
                raise ValueError(f"np.asarray(t, dtype={np.dtype(dtype)}, copy=False): a Tensor of {data.dtype} "
                                 "cannot become another dtype without a copy; leave copy out, or pass copy=True")
            return data.astype(dtype)
        return data.copy() if copy else data

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """``np.exp(t)``, ``array + t``: numpy's ufuncs with a Tensor op call it (see ``array_ufunc``)."""
        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Callable, types: tuple, args: tuple, kwargs: dict) -> Any:
        """``np.sum(t)``, ``np.dot(a, t)``: numpy's functions with a Tensor op call it (see ``array_function``)."""
        return array_function(func, args, kwargs)
