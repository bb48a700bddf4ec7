"""Operands of Tensor ops as arrays, and the errors that name the op, the shapes and the fix."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import real, unmasked

# float64 and float32 in this machine's byte order: what holds_floats() accepts, told at once without a call
FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
_FLOAT32_MAX = float(np.finfo(np.float32).max)


def is_int(a: object) -> bool:
    """An int or numpy integer, but not a bool (True is 1 to Python, yet axis=True is surely a mistake)."""
    return isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_))


def holds_floats(dtype: np.dtype) -> bool:
    """Whether ``dtype`` is what a Tensor holds: float64 or float32 (in either byte order: a ``.data`` may be
    replaced by a big-endian array, which computes alike)."""
    return dtype.kind == "f" and dtype.itemsize in (4, 8)


def nonfinite(a: np.ndarray) -> str:
    """'nan at index (1, 2) of a (3, 4) array' for anomaly messages."""
    bad = np.argwhere(~np.isfinite(a))
    idx = tuple(int(i) for i in bad[0])
    more = f" (and {len(bad) - 1} more non-finite entries)" if len(bad) > 1 else ""
    return f"{a[idx]} at index {idx} of a {a.shape} array{more}"


def as_data(data: Any, dtype: Any, where: str) -> np.ndarray:
    """A float ndarray from numbers, nested lists or arrays; a clear error for anything else.

    Boolean arrays (masks) become 0.0 and 1.0; a lone bool is refused, as by Value: ``Tensor(True)`` is a slip.
    """
    if isinstance(data, (bool, np.bool_)):
        raise TypeError(f"{where}: data is a bool ({data!r}), not a number; pass 1.0 or 0.0 (or float(b))")
    unmasked(data, where)                            # np.asarray would keep the numbers under the mask
    try:
        arr = np.asarray(data)
    except ValueError as e:  # ragged lists
        raise ValueError(f"{where}: cannot make an array of this {type(data).__name__} ({e})") from None
    if arr.dtype.kind == "O":
        arr = real_entries(arr, where)
    if arr.dtype.kind not in "biuf":
        kind = {"c": "complex", "O": "object", "U": "string", "S": "bytes"}.get(arr.dtype.kind, "non-numeric")
        raise TypeError(
            f"{where}: {kind} data (dtype {arr.dtype}) is not supported; a Tensor holds real numbers "
            "(float64 by default, float32 on request)" + ("; pass z.real or abs(z)" if kind == "complex" else "")
        )
    if dtype is None:
        # float32 in either byte order (a big-endian file's '>f4' is float32 too, not a reason for float64)
        dtype = np.float32 if arr.dtype.kind == "f" and arr.dtype.itemsize == 4 else np.float64
    else:
        try:
            known = np.dtype(dtype)
        except TypeError:  # numpy: "data type 'garbage' not understood", naming neither the Tensor nor the fix
            known = None
        if known is not None and known.kind == "f":  # either byte order: '>f8' (a big-endian .data's) is float64
            known = known.newbyteorder("=")
        if known is None or known not in FLOAT_DTYPES:  # (not `None in`: numpy reads None as float64)
            shown = known if known is not None else f"{dtype!r} (not a dtype numpy knows)"
            raise TypeError(f"{where}: dtype {shown} is not supported; use np.float64 (default) or np.float32")
        dtype = known
    if arr.dtype.kind == "f" and arr.dtype.itemsize > np.dtype(dtype).itemsize:
        return _narrowed(arr, np.dtype(dtype), where)
    return arr.astype(dtype, copy=False)


def _narrowed(arr: np.ndarray, dtype: np.dtype, where: str, what: str = "the data hold",
              fix: str = "scale the data down, or keep them in float64 (dtype=np.float64)") -> np.ndarray:
    """``arr`` cast to a narrower float ``dtype`` (float64 data for a float32 Tensor); refused when a finite number
    becomes inf there (1e39 in float32), which numpy does with only a RuntimeWarning."""
    with np.errstate(over="ignore"):
        out = arr.astype(dtype)
    grown = np.isinf(out) & np.isfinite(arr)
    if grown.any():
        raise ValueError(f"{where}: {what} {arr[grown].flat[0]:.4g}, too large for {dtype.name} (largest "
                         f"{np.finfo(dtype).max:.4g}); {fix}")
    return out


def _constant_narrowed(arr: np.ndarray, like: np.ndarray, op: str) -> np.ndarray:
    """A float64 constant in a float32 Tensor's dtype, refused where a finite number would become inf."""
    return _narrowed(arr, like.dtype, op, "the constant holds",
                     f"scale it down, or compute in float64 (t.astype(np.float64) for the {like.dtype.name} Tensor t)")


def not_float(dtype: np.dtype, where: str, who: str = "the Tensor") -> TypeError:
    """The error for a Tensor whose ``.data`` was replaced by an array that is not float64 or float32 (Tensor()
    never makes one): its gradients would be cast to that dtype (0.5 into int64 is 0) and its constants too."""
    return TypeError(
        f"{where}: {who} holds {dtype} numbers, and a Tensor holds float64 or float32: its .data was replaced by an "
        f"array of another dtype (t.data = np.array([1, 2]) is int64), so its constants and gradients would be cast "
        f"to {dtype}. Give it floats: t.data = t.data.astype(np.float64)"
    )


def real_entries(arr: np.ndarray, where: str) -> np.ndarray:
    """An object array as float64, each entry as ``Value(entry)`` takes it: numpy keeps an int beyond int64
    (2**64) or a Fraction as a Python object, and its float is what Value() and ``t * 2**64`` use. The first entry
    that is no real number (None, a Value, an int beyond 1.8e308) is refused by its index; a complex, string or
    date entry makes numpy choose another dtype, refused by the caller."""
    out = np.empty(arr.shape, dtype=np.float64)
    for idx, v in np.ndenumerate(arr):  # an error path, or rare data: one entry at a time is fine
        out[idx] = real(v, where, f"entry {idx}" if arr.ndim else "data")
    return out


def constant(x: Any, like: np.ndarray, op: str) -> Any:
    """A non-Tensor operand as a constant of the Tensor's dtype.

    A Python number stays one (numpy gives it the array's dtype); numpy scalars and arrays are cast, so that a
    float64 ``np.float64(0.5)`` or ``X.mean()`` does not turn a float32 Tensor into float64.
    """
    kind = type(x)
    if kind is float:  # not isinstance: np.float64 is a float, and bool an int
        if -_FLOAT32_MAX <= x <= _FLOAT32_MAX:  # float32's range: any Tensor holds it (one comparison a call)
            return x
        return _number_beyond_float32(x, like, op)
    if kind is int:  # an int beyond a float's range is refused by name, not by a numpy OverflowError
        return x if -(1 << 62) < x < 1 << 62 else _number_beyond_float32(real(x, op), like, op)
    if type(x) is np.ndarray and x.dtype is like.dtype:  # the common case, quickly
        return x
    if isinstance(x, (bool, np.bool_)):  # a lone bool is a slip (Value refuses it too); a boolean mask array is fine
        raise TypeError(f"{op}: cannot combine a Tensor with the bool {x!r}; use a number (1.0, 0.0) or a mask array")
    if isinstance(x, (np.ndarray, np.generic, list, tuple, numbers.Real)):
        unmasked(x, op, "the constant")            # t * m would use the masked numbers, m * t (numpy's) would not
        try:
            arr = np.asarray(x)
        except ValueError:  # a ragged list
            raise ValueError(f"{op}: the constant {x!r:.60} is a ragged list, not an array; give every row the "
                             "same length") from None
        if arr.dtype.kind == "O":
            arr = real_entries(arr, op)
        if arr.dtype.kind in "biuf":
            if not holds_floats(like.dtype):  # cast into an int64 .data, 0.5 would be 0
                raise not_float(like.dtype, op)
            if arr.dtype.kind == "f" and arr.dtype.itemsize > like.dtype.itemsize:  # 1e40 is inf in float32
                return _constant_narrowed(arr, like, op)
            return arr.astype(like.dtype, copy=False)
    raise TypeError(
        f"{op}: cannot combine a Tensor with {type(x).__name__} {x!r}; use a Tensor, a number or a real numpy array"
    )


def _number_beyond_float32(x: float, like: np.ndarray, op: str) -> Any:
    """A Python number outside float32's range (or NaN) as ``constant`` gives it: as it is for a float64 Tensor;
    for a float32 one refused where finite (numpy would cast 1e40 to inf with only a RuntimeWarning, and
    ``t * 1e40`` would be inf where t = 1e-10 gives 1e30, which float32 holds)."""
    if like.dtype.kind == "f" and like.dtype.itemsize == 4:
        return _constant_narrowed(np.asarray(x), like, op)[()]    # a float32 scalar: inf and NaN stay
    return x


def check_positive(x: np.ndarray, op: str, what: str) -> None:
    """Raise, naming the smallest offending entry and its index, unless every entry of x is > 0 (or NaN).

    NaN is not refused: NaN in gives NaN out in both engines (``detect_anomaly()`` finds where it was born).
    """
    if x.size and not x.min() > 0:  # one pass; NaN (which min() propagates) passes on, as it does in a Value
        bad = np.flatnonzero(x <= 0)
        if bad.size:
            idx = np.unravel_index(int(bad[np.argmin(x.reshape(-1)[bad])]), x.shape)
            raise ValueError(f"{op}: {what} needs positive entries, got {x[idx]!r} at index {tuple(map(int, idx))}")


def shape_error(op: str, *arrays: Any) -> ValueError:
    """The error for operands whose shapes do not broadcast, naming the first axis that disagrees."""
    shapes = [np.shape(a) for a in arrays]
    where = ""
    for i in range(1, min(len(s) for s in shapes) + 1):
        sizes = {s[-i] for s in shapes} - {1}
        if len(sizes) > 1:
            where = f" (axis {-i} has sizes {sorted(sizes)})"
            break
    return ValueError(
        f"{op}: shapes {' and '.join(map(str, shapes))} do not broadcast{where}; counted from the right, each "
        "axis must be equal or 1. Reshape an operand, e.g. b.reshape(-1, 1) to make a column"
    )


def broadcasting(f: Callable, a: Any, b: Any, op: str) -> np.ndarray:
    """f(a, b), with numpy's broadcasting error replaced by one that names the op and the shapes."""
    try:
        return f(a, b)
    except ValueError:
        raise shape_error(op, a, b) from None


