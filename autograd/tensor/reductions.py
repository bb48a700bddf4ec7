"""Tensor reductions (sum, mean, max, min, var) and the softmax family, each with its vector-Jacobian product.

A reduction's gradient goes back to every entry that went into it: dL/dx_i = dy/dx_i dL/dy, spread over the
reduced axes. The softmax family shifts by the maximum before exp(), so it is stable at any scale.

>>> from autograd import Tensor
>>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> x.mean(axis=0).sum().backward(); x.grad        # d mean/dx_i = 1/n
array([[0.5, 0.5],
       [0.5, 0.5]])
"""

from __future__ import annotations

import math

import numpy as np

from ..checks import flag
from ..rules import rounding_error
from .checks import is_int
from .core import T, make

_add_reduce = np.add.reduce

# --- reductions -------------------------------------------------------------------------------------------------

def _axis_type_error(op: str, axis: object) -> TypeError:
    return TypeError(
        f"{op}: axis must be None, an int or a tuple of ints, got {type(axis).__name__} {axis!r}; "
        "e.g. axis=0 for columns, axis=-1 for rows, axis=(0, 1)"
    )


def _axes(axis: int | tuple | None, ndim: int, op: str, shape: tuple) -> tuple:
    """``axis`` as a tuple of non-negative axes (all of them for None), or an error naming the shape."""
    if axis is None:
        return tuple(range(ndim))
    if is_int(axis):
        axes: tuple = (axis,)
    elif isinstance(axis, (tuple, list)) and all(is_int(a) for a in axis):
        axes = tuple(axis)
    else:  # a bool, a float, a string: numpy would say "'float' object is not iterable", or take True for 1
        raise _axis_type_error(op, axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a} is out of range for a Tensor of shape {shape} ({ndim} axes)")
    norm = tuple(a % ndim for a in axes) if ndim else ()
    if len(set(norm)) != len(norm):
        raise ValueError(f"{op}: axis {axis} repeats an axis")
    return norm


# PyTorch's keywords for numpy's: the first line a student ports (x.sum(0, keepdim=True)) would otherwise stop at
# Python's "unexpected keyword argument 'keepdim'", which names the word but not the one to write
_TORCH_KEYWORDS = {"dim": "axis", "keepdim": "keepdims"}


def _torch_keywords(op: str, given: dict, also: str = "") -> TypeError:
    """The error for ``t.<op>(**given)``: PyTorch's keywords (dim=, keepdim=, and for var unbiased= and
    correction=) named with the numpy keywords this Tensor takes; any other keyword as Python would name it."""
    ddof = op in ("var", "std")
    known = {**_TORCH_KEYWORDS, **({"unbiased": "ddof", "correction": "ddof"} if ddof else {})}
    unknown = [k for k in given if k not in known]
    if unknown:
        return TypeError(f"{op}() got an unexpected keyword argument {unknown[0]!r}")
    theirs = ", ".join(f"{k}={v!r}" for k, v in given.items())
    ours = ", ".join(f"ddof={int(bool(v))}" if k == "unbiased" else f"{known[k]}={v!r}" for k, v in given.items())
    return TypeError(f"{op}: {theirs} is PyTorch's spelling; {op} here takes numpy's keywords: write {ours}{also}")


def _keepdims(keepdims: object, op: str) -> bool:
    if keepdims is True or keepdims is False:
        return keepdims
    return flag(keepdims, op, "keepdims")


def _nonempty(x: np.ndarray, axes: tuple, op: str, axis: object) -> None:
    """The softmax family divides by a sum over ``axes``: an axis of no entries has no softmax (0/0)."""
    if any(x.shape[a] == 0 for a in axes):
        raise ValueError(
            f"{op}: a Tensor of shape {x.shape} has no entries along axis {axis}, so there is nothing to "
            "normalise over; check the shape (a batch of 0 rows, or a layer of 0 outputs)"
        )


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


def _sum(t: T, axis: int | tuple | None = None, keepdims: bool = False) -> T:
    x = t.data
    if axis is None and keepdims is False:  # the common loss.sum(), without the bookkeeping of axes
        shape = x.shape
        return make(_add_reduce(x, axis=None), (t,), lambda g: (_filled(shape, g),), "sum")   # x.sum(), no frame
    axes = _axes(axis, x.ndim, "sum", x.shape)
    keepdims = _keepdims(keepdims, "sum")
    kept, shape = _kept(x.shape, axes), x.shape
    # y = sum_i x_i:  dy/dx_i = 1, so every x_i gets the gradient of the sum it went into
    return make(x.sum(axis=axes, keepdims=keepdims), (t,), lambda g: (_spread(g, kept, shape),), "sum")


def _mean(t: T, axis: int | tuple | None = None, keepdims: bool = False) -> T:
    x = t.data
    axes = _axes(axis, x.ndim, "mean", x.shape)
    keepdims = _keepdims(keepdims, "mean")
    kept, shape = _kept(x.shape, axes), x.shape
    n = math.prod(x.shape[a] for a in axes)
    if n == 0:
        raise ValueError(f"mean: the mean over axis {axis} of a Tensor of shape {x.shape} has no entries")
    # y = (1/n) sum_i x_i:  dy/dx_i = 1/n
    return make(_mean_in_range(x, axes, keepdims, n), (t,),
                 lambda g: (_spread(g / n, kept, shape),), "mean")


def _mean_in_range(x: np.ndarray, axes: tuple, keepdims: bool, n: int) -> np.ndarray:
    """numpy's mean of ``x`` over ``axes`` (n entries each), also where their sum leaves the float range but the
    mean does not: numpy's mean of [1e308, 1e308] is inf, as it adds before it divides. Those means are taken
    again from the entries scaled by 2^-k, with 2^k >= n, so that no sum of them can overflow; scaling by a power
    of 2 is exact, so the numbers are numpy's wherever its sum stays in range. The scaled mean's own rounding is
    taken out once (the mean of the entries' differences from it): the mean of [1.7e308] * 3 was one ulp below."""
    out = x.mean(axis=axes, keepdims=keepdims)
    if math.isfinite(out) if type(out) is not np.ndarray else np.isfinite(out).all():   # a loss's mean: a number
        return out
    k = (n - 1).bit_length()                                    # 2^k >= n
    with np.errstate(under="ignore", invalid="ignore"):         # entries below 2^-1022+k lose digits that cannot
        s = np.ldexp(x, -k)                                     # count beside the sum; a row with inf or NaN is
        m = s.sum(axis=axes, keepdims=True) / n                 # numpy's (below), not these inf - inf
        m = m + (s - m).sum(axis=axes, keepdims=True) / n
    mended = np.ldexp(m, k).reshape(np.shape(out))
    return np.where(np.isfinite(out) | ~np.isfinite(mended), out, mended)   # an inf or NaN entry: numpy's inf or NaN


def _index_of_extremum(t: T, axis: int | None, keepdims: bool, op: str) -> np.ndarray:
    """The index of the first largest (argmax) or smallest (argmin) entry, as numpy gives it: a plain int array,
    not a Tensor, as a comparison gives a plain bool array (an index is a step function of x: derivative 0)."""
    x = t.data
    if axis is not None and not is_int(axis):   # numpy takes one axis, not a tuple
        raise TypeError(f"{op}: axis must be None (the flattened Tensor) or an int, got {type(axis).__name__} "
                        f"{axis!r}; e.g. axis=1 for each row's {op[3:]}")
    axes = _axes(axis, x.ndim, op, x.shape)
    keepdims = _keepdims(keepdims, op)
    if any(x.shape[a] == 0 for a in axes) or x.size == 0 and axis is None:
        where = "" if axis is None else f" along axis {axis}"
        raise ValueError(f"{op}: a Tensor of shape {x.shape} has no entries{where}, so no index to give")
    return (np.argmax if op == "argmax" else np.argmin)(x, axis=axis, keepdims=keepdims)


def _extremum(t: T, axis: int | tuple | None, keepdims: bool, op: str, who: str | None = None) -> T:
    """The max or min node (``op``); ``who`` names the call in refusals (amax and amin are made of max and min)."""
    x = t.data
    who = who or op
    axes = _axes(axis, x.ndim, who, x.shape)
    keepdims = _keepdims(keepdims, who)
    if any(x.shape[a] == 0 for a in axes):  # (0, 3) along axis 1 is fine: no row, so no maximum to take
        raise ValueError(f"{who}: a Tensor of shape {x.shape} has no entries along axis {axis}")
    best = x.max(axis=axes, keepdims=True) if op == "max" else x.min(axis=axes, keepdims=True)
    out = best if keepdims else best.reshape([n for i, n in enumerate(x.shape) if i not in axes])
    kept = best.shape

    def vjp(g: np.ndarray) -> tuple:    # y = max_i x_i:  dy/dx_i = 1 at the maximum (1/k each for k ties), else 0
        hit = x == best
        return (g.reshape(kept) * hit / hit.sum(axis=axes, keepdims=True),)

    return make(out, (t,), vjp, op)


def _var(t: T, axis: int | tuple | None = None, keepdims: bool = False, ddof: int = 0, op: str = "var") -> T:
    """The variance node; ``op`` names the call in refusals (std is made of it)."""
    x = t.data
    axes = _axes(axis, x.ndim, op, x.shape)
    keepdims = _keepdims(keepdims, op)
    if not is_int(ddof):
        what = "variance" if op == "var" else "standard deviation (PyTorch's unbiased=True)"
        raise TypeError(f"{op}: ddof must be an int (0 as numpy, 1 for the unbiased {what}), got "
                        f"{type(ddof).__name__} {ddof!r}")
    ddof = int(ddof)    # a numpy integer would count in its own type: 3 - np.uint8(5) is 254, not -2
    if ddof < 0:
        raise ValueError(f"{op}: ddof={ddof} is negative; it counts the degrees of freedom lost (0 or 1)")
    n = math.prod(x.shape[a] for a in axes) - ddof
    if n <= 0:
        raise ValueError(f"{op}: {n + ddof} entries along axis {axis} of a Tensor of shape {x.shape} with "
                         f"ddof={ddof} leave no degrees of freedom")
    out, d = _deviations_squared(x, axes, keepdims, n, ddof)
    if not np.isfinite(out).all():      # a sum or a square beyond the float range, or an inf or NaN entry
        out, d = _var_scaled(x, axes, n, out, d)
    kept = _kept(x.shape, axes)
    # y = sum_i (x_i - m)^2 / n:  dy/dx_i = 2 (x_i - m) / n (the path through m adds 2 sum_i (x_i - m)/n^2 = 0)
    return make(out, (t,), lambda g: (g.reshape(kept) * d * (2.0 / n),), "var")


def _deviations_squared(x: np.ndarray, axes: tuple, keepdims: bool, n: int, ddof: int) -> tuple:
    """numpy's var: the deviations d = x - mean and sum d^2 / n over ``axes``. (Where a sum or a square overflows,
    numpy warns before _var_scaled mends it: an errstate around this ordinary pass would cost every call some 2 us,
    a tenth of a small Tensor's mean, for inputs near 1e308.)"""
    d = x - _mean_in_range(x, axes, True, n + ddof)
    return np.sum(d * d, axis=axes, keepdims=keepdims) / n, d


def _var_scaled(x: np.ndarray, axes: tuple, n: int, out: np.ndarray, d: np.ndarray) -> tuple:
    """The variance and deviations of the rows whose entries are finite but whose variance came out inf.

    Two things go wrong there. A square or a sum of squares overflows where the variance fits (numpy's var of
    [1.5e154, -1.5e154, 0, ...] is inf, not 4.5e305). And a mean that numpy could not take (its sum overflowed) was
    taken from scaled entries, one ulp off: [1.7e308] * 3 had deviations of one ulp, 2^971, whose squares overflow,
    where every deviation is 0. So the deviations are scaled by 2^-e, the largest one's power of 2 (exact), where no
    sum or square of them can overflow, and centred once more: their mean is the first mean's rounding error (an ulp
    each for equal entries, which this makes 0). A deviation beyond the range (entries 1.7e308 and -1.7e308) means a
    variance beyond it: those rows are taken from the entries scaled, and give inf with numpy's overflow warning.
    An inf or NaN entry keeps numpy's inf or NaN."""
    kept = np.reshape(out, _kept(x.shape, axes))
    mend = ~np.isfinite(kept) & np.isfinite(x).all(axis=axes, keepdims=True)
    near = mend & np.isfinite(d).all(axis=axes, keepdims=True)
    v, d = _centred_scaled(np.where(near, d, 0.0), axes, n, d, near)
    far = mend & ~near
    if far.any():
        w, d = _centred_scaled(np.where(far, x, 0.0), axes, n, d, far)
        v = np.where(far, w, v)
    return np.where(mend, v, kept).reshape(np.shape(out)), d


def _centred_scaled(z: np.ndarray, axes: tuple, n: int, d: np.ndarray, rows: np.ndarray) -> tuple:
    """sum (z - mean z)^2 / n over ``axes``, with z scaled by its largest entry's power of 2, and ``d`` with those
    ``rows`` replaced by z - mean z."""
    _, e = np.frexp(np.max(np.abs(z), axis=axes, keepdims=True))
    with np.errstate(under="ignore"):           # entries far below a row's largest lose digits that cannot count
        s = np.ldexp(z, -e)
        c = s.mean(axis=axes, keepdims=True)
        s = s - c
        v = np.sum(s * s, axis=axes, keepdims=True) / n
        centred = z - np.ldexp(c, e).astype(z.dtype, copy=False)
    return np.ldexp(v, 2 * e).astype(z.dtype, copy=False), np.where(rows, centred, d)


# A product's running products can leave the float range where the product itself does not: 1e-200 1e-200 1e300 is
# 1e-100, but numpy's left-to-right product passes 1e-400, which rounds to 0 (and 1e300 1e300 0.5 1e-300 1e-300, which
# is 0.5, passes inf). So each entry is split as x = f 2^e (np.frexp: |f| in [0.5, 1)); the f are multiplied in
# numpy's order, the running product is scaled back into [0.5, 1) after every block of them, and the e are added as
# integers. Scaling by a power of 2 is exact, so wherever numpy's product stays in range these are its numbers.
# A block of k factors in [0.5, 1), times the carried product, stays above 0.5^(k+1): a normal number (float64's
# smallest is 2^-1022, float32's 2^-126) for k = 1000 and 120.
_BLOCK = {np.dtype(np.float64): 1000, np.dtype(np.float32): 120}


def _running_products(m: np.ndarray) -> tuple:
    """The running products m_0, m_0 m_1, ... along the last axis, as (f, e): each product is f 2^e (np.ldexp),
    f never beyond the float range. A 0, inf or NaN entry makes its products 0, inf or NaN, as in numpy."""
    f, e = np.frexp(m)
    e = np.cumsum(e, axis=-1)                                   # the powers of 2 of the running products, exact
    lead = m.shape[:-1] + (1,)
    carry, shift = np.ones(lead, dtype=f.dtype), np.zeros(lead, dtype=e.dtype)
    size = _BLOCK[f.dtype]                                      # (frexp gives native float64 or float32)
    for start in range(0, m.shape[-1], size):
        block = slice(start, start + size)
        # the product so far (carry, times 2^shift) times this block's f, one by one as numpy would
        p = np.cumprod(np.concatenate([carry, f[..., block]], axis=-1), axis=-1)[..., 1:]
        f[..., block], k = np.frexp(p)                          # back into [0.5, 1): p = f 2^k
        e[..., block] += shift + k
        carry, shift = f[..., block][..., -1:], shift + k[..., -1:]
    return f, e


def _prod(t: T, axis: int | tuple | None = None, keepdims: bool = False) -> T:
    x = t.data
    axes = _axes(axis, x.ndim, "prod", x.shape)
    keepdims = _keepdims(keepdims, "prod")
    kept, shape = _kept(x.shape, axes), x.shape
    rest = tuple(i for i in range(x.ndim) if i not in axes)
    n = math.prod(shape[a] for a in axes)  # the entries of each product (not -1: numpy cannot infer it with no rows)
    rows = tuple(shape[i] for i in rest)
    m = x.transpose(rest + axes).reshape(rows + (n,))          # the entries of each product along the last axis
    f, e = _running_products(m)
    y = np.ldexp(f[..., -1], e[..., -1]) if n else np.ones(rows, dtype=x.dtype)

    def vjp(g: np.ndarray) -> tuple:
        # y = prod_i x_i:  dL/dx_i = g prod_(j != i) x_j, g times the product of the entries before i and those after
        # it (never y / x_i, which fails where an entry is 0), all as f 2^e: g 1e-300 times the 1e400 of the others is
        # 1e-100, and g = 0 gives 0 even where the others' product overflows (0 inf would be NaN)
        fa, ea = _running_products(m[..., ::-1])                # m_(n-1), m_(n-1) m_(n-2), ...
        one, zero = np.ones(rows + (1,), dtype=f.dtype), np.zeros(rows + (1,), dtype=e.dtype)   # 1 = 1 2^0
        # before_i = m_0 ... m_(i-1) (1 for i = 0), after_i = m_(i+1) ... m_(n-1) (1 for i = n - 1)
        f_before = np.concatenate([one, f], axis=-1)[..., :n]
        e_before = np.concatenate([zero, e], axis=-1)[..., :n]
        f_after = np.concatenate([fa[..., ::-1], one], axis=-1)[..., 1:]
        e_after = np.concatenate([ea[..., ::-1], zero], axis=-1)[..., 1:]
        f_g, e_g = np.frexp(g.reshape(rows + (1,)))             # one g per product, beside its entries
        # three factors in [0.5, 1): their product is in range, and ldexp rounds it once more at most
        d = np.ldexp(f_g * (f_before * f_after), e_g + e_before + e_after)
        return (d.reshape(rows + tuple(shape[a] for a in axes)).transpose(np.argsort(rest + axes)),)

    return make(y.reshape(kept) if keepdims else y, (t,), vjp, "prod")


def _cumsum(t: T, axis: int | None = None) -> T:
    x = t.data
    if axis is not None and not is_int(axis):
        raise TypeError(f"cumsum: axis must be None or an int, got {type(axis).__name__} {axis!r}")
    ax = 0 if axis is None else _axes(axis, x.ndim, "cumsum", x.shape)[0]
    shape = x.shape
    # y_k = sum_(i <= k) x_i:  dy_k/dx_i = 1 for k >= i, so dL/dx_i = sum_(k >= i) g_k, a cumsum from the end
    return make(np.cumsum(x, axis=axis), (t,),
                lambda g: (np.flip(np.cumsum(np.flip(g, ax), axis=ax), ax).reshape(shape),), "cumsum")


# --- the softmax family, stable at any scale: e^x as it is within half exp's range, else shifted by the maximum -

def _exp_shifted(d: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """e^(x - m) from d = x - m as rounded (m >= x: the maximum, so every exponent <= 0), a new array, with the
    rounding's error put back: d is up to half an ulp off (5.7e-14 at 0.3 - 700.1) and e^d's relative error is d's
    absolute one, so the small share of softmax([700.1, 0.3]) was 270 ulp off. Knuth's two-sum gives the error r
    (x - m = d + r exactly), and e^(d + r) = e^d (1 + r) to 1e-27 (``rules.ARRAYS.exp_gap`` for one difference).
    Where d is -inf (a logit -inf, or one 1.8e308 below the maximum) or NaN, r is NaN: e^d alone (0, or NaN)."""
    if not np.minimum.reduce(d, axis=None, initial=0.0) > -math.inf:   # (NaN fails too) rare: inf - inf inside
        with np.errstate(invalid="ignore"):
            r = rounding_error(d, x, m)
            e = np.exp(d)
            r *= e
        return np.where(r == r, e + r, e)
    r = rounding_error(d, x, m)
    e = np.exp(d)
    r *= e
    e += r
    return e


_LOG_MAX = {np.dtype(np.float64): math.log(np.finfo(np.float64).max),   # 709.78: e^x overflows beyond it
            np.dtype(np.float32): math.log(np.finfo(np.float32).max)}   # 88.72


def unshifted_bound(dtype: np.dtype, k: int) -> float:
    """The largest |x| for which k terms e^x need no shift: every e^x, their sum and a ratio of two sums of them
    are normal numbers, half the exponent range less ln k, and a margin; -inf for another dtype (always shift).

    >>> round(unshifted_bound(np.dtype(np.float64), 10), 1), round(unshifted_bound(np.dtype(np.float32), 10), 1)
    (352.7, 42.2)
    """
    top = _LOG_MAX.get(dtype)
    return -math.inf if top is None or k < 1 else 0.5 * (top - math.log(k)) - 1.0


def _softmax(x: np.ndarray, axes: tuple) -> np.ndarray:
    bound = unshifted_bound(x.dtype, math.prod(x.shape[a] for a in axes))
    if x.size and -bound <= x.min() and x.max() <= bound:    # (NaN fails both)
        e = np.exp(x)                                    # no shift, so none rounds: e^x to half an ulp
    else:
        m = x.max(axis=axes, keepdims=True)
        e = _exp_shifted(x - m, x, m)                    # every exponent <= 0: no overflow
    e /= e.sum(axis=axes, keepdims=True)
    return e


def _logsumexp(t: T, axis: int | tuple | None = -1, keepdims: bool = False) -> T:
    x = t.data
    axes = _axes(axis, x.ndim, "logsumexp", x.shape)
    keepdims = _keepdims(keepdims, "logsumexp")
    if any(x.shape[a] == 0 for a in axes):  # (0, 3) along axis 1 is fine: no row, so no sum to take
        raise ValueError(f"logsumexp: a Tensor of shape {x.shape} has no entries along axis {axis}")
    m = peak = x.max(axis=axes, keepdims=True)
    if not np.isfinite(m).all():   # shifting by an infinite maximum would make inf - inf = NaN: shift those by 0,
        m = np.where(np.isfinite(m), m, 0.0).astype(x.dtype)   # so log(inf) = inf and log(0) = -inf (as scipy)
    # log sum e^x = m + log sum e^(x - m) = m + log1p(r), r the sum of the terms beside one largest (its e^0 is 1):
    # the log of the rounded sum 1 + r would lose every digit of r below 1e-16 (logsumexp([0, -40]) would be 0, not
    # the 4.2e-18 of softplus(-40)). Ties at the maximum add their 1s to r; an inf or NaN makes r inf or NaN.
    z = x - m
    top = z == 0
    ez = _exp_shifted(z, x, m) if m is peak else np.exp(z)   # e^(x - m), with z's rounding put back
    e = np.where(top, 0.0, ez)                           # the terms beside the largest ones
    r = e.sum(axis=axes, keepdims=True) + (top.sum(axis=axes, keepdims=True, dtype=e.dtype) - 1)
    s = r + 1                                            # sum e^(x - m), for the gradient
    if m is peak:
        y = np.log1p(r) + m
    else:
        with np.errstate(divide="ignore"):               # a row of -inf: log 0 = -inf, its limit (as scipy and
            y = np.log1p(r) + m                          # PyTorch), a right answer that needs no numpy warning
    out = y if keepdims else y.reshape([n for i, n in enumerate(x.shape) if i not in axes])
    # y = log sum_j e^(x_j):  dy/dx_i = e^(x_i) / sum_j e^(x_j), the softmax (from m and s: y is rounded)
    if m is peak:
        return make(out, (t,), lambda g: (g.reshape(s.shape) * (ez / s),), "logsumexp")
    return make(out, (t,), lambda g: (g.reshape(s.shape) * _softmax_beside_infinities(x, peak, s),), "logsumexp")


def _softmax_beside_infinities(x: np.ndarray, peak: np.ndarray, s: np.ndarray) -> np.ndarray:
    """logsumexp's gradient e^(x_i - M) / sum_j e^(x_j - M) in rows whose maximum M is +-inf or NaN: shifted by M
    itself, a finite entry beside a +inf one gets e^-inf / s = 0, its limit (shifted by 0, as the value is, e^800
    / inf was NaN), a +inf entry inf - inf = NaN (as PyTorch: which share of the sum it is has no limit), and a row
    of -inf NaN (0 / 0, as PyTorch). Rows with a finite maximum keep the shift of the value, m = M."""
    with np.errstate(invalid="ignore"):
        return np.exp(x - peak) / s


def _softmax_op(t: T, axis: int = -1) -> T:
    x = t.data
    axes = _axes(axis, x.ndim, "softmax", x.shape)
    _nonempty(x, axes, "softmax", axis)
    p = _softmax(x, axes)

    def vjp(g: np.ndarray) -> tuple:
        # p_i = e^(x_i) / sum_j e^(x_j):  dp_i/dx_k = p_i (delta_ik - p_k), so dL/dx = p (h - sum_i h_i p_i) for
        # h = g - c, any c a row (sum_i p_i = 1). Where a share p_k > 1/2, c = g_k: the top entry's h_k is 0, so its
        # p_k (0 - sum_(i != k) h_i p_i) never takes g_k (1 - p_k) as g_k - g_k p_k, which lost every digit as p_k
        # rounded towards 1 (the gradient of p_0 at [40, 0, 0]). Elsewhere c = 0: h is g, the plain formula
        h = g - _top_incoming(p, g, axes)
        return (p * (h - (h * p).sum(axis=axes, keepdims=True)),)

    return make(p, (t,), vjp, "softmax")


def _top_incoming(p: np.ndarray, g: np.ndarray, axes: tuple) -> np.ndarray | float:
    """softmax's vjp's c: each row's g_k where its share p_k > 1/2 (at most one a row), else 0; 0 everywhere where
    some |g| passes half the float range, where g - g_k could overflow though the plain formula's numbers fit
    (review18: [9e307, -9e307] at p = [0.9, 0.1] gave [inf, nan] for [1.6e307, -1.6e307])."""
    if g.size and np.max(np.abs(g)) > 0.5 * np.finfo(g.dtype).max:
        return 0.0
    return np.where(p > 0.5, g, 0.0).sum(axis=axes, keepdims=True)


def _log_softmax(t: T, axis: int = -1) -> T:
    x = t.data
    axes = _axes(axis, x.ndim, "log_softmax", x.shape)
    _nonempty(x, axes, "log_softmax", axis)
    m = x.max(axis=axes, keepdims=True)
    z = x - m
    e = _exp_shifted(z, x, m)                            # e^(x - m), with z's rounding put back
    s = e.sum(axis=axes, keepdims=True)
    big = e > 0.5 * s                                    # a share > 1/2: the row's one maximum, where e = 1
    r = (e - big).sum(axis=axes, keepdims=True)          # the other terms where big (e - 1 = 0 exactly), else s
    # x_i - logsumexp(x) = z_i - log1p(r) where a share is > 1/2 (s < 2): log(s) of the rounded s = 1 + r lost
    # r's digits (log softmax([40, 0, 0])_0 was 0, not -8.5e-18); elsewhere z_i - log(s), as log1p(s - 1)
    out = z - np.log1p(r - (s >= 2.0))                  # (a bool keeps the dtype: float32 stays float32)

    def vjp(g: np.ndarray) -> tuple:
        # y_i = x_i - log sum_j e^(x_j):  dy_i/dx_k = delta_ik - p_k, so dL/dx = g - p sum_i g_i, with p = e / s
        # (e^y would carry y's rounding, 256 ulp at y = -700)
        p = e / s
        d = g - p * g.sum(axis=axes, keepdims=True)
        if not big.any():
            return (d,)
        # there g_k - p_k G = g_k (1 - p_k) - p_k sum_(i != k) g_i, with 1 - p_k = r / s (r the sum of the other
        # terms): g - p G lost every digit as p_k rounded towards 1 (dL/dx_0 of log softmax([36.7, 0.01, 1.3])_0)
        rest = np.where(big, 0.0, g).sum(axis=axes, keepdims=True)
        return (np.where(big, g * (r / s) - p * rest, d),)

    return make(out, (t,), vjp, "log_softmax")


class Reductions:
    """The reductions of a Tensor (a mixin of ``autograd.tensor.Tensor``)."""

    __slots__ = ()

    def sum(self: T, axis: int | tuple | None = None, keepdims: bool = False, **torch_keywords: object) -> T:
        """y = sum_i x_i (along ``axis``; all entries for None);  dy/dx_i = 1."""
        if torch_keywords:
            raise _torch_keywords("sum", torch_keywords)
        return _sum(self, axis, keepdims)

    def mean(self: T, axis: int | tuple | None = None, keepdims: bool = False, **torch_keywords: object) -> T:
        """y = (1/n) sum_i x_i (along ``axis``);  dy/dx_i = 1/n. Right where the sum overflows but the mean
        fits: the mean of [1e308, 1e308] is 1e308, not inf."""
        if torch_keywords:
            raise _torch_keywords("mean", torch_keywords)
        return _mean(self, axis, keepdims)

    def max(self: T, axis: int | tuple | None = None, keepdims: bool = False, **torch_keywords: object) -> T:
        """The largest entry (along ``axis``); tied maxima share the gradient equally (as ``torch.amax``)."""
        if torch_keywords:
            raise _torch_keywords("max", torch_keywords, " (the values alone, as torch.amax: no .values to take)")
        return _extremum(self, axis, keepdims, "max")

    def min(self: T, axis: int | tuple | None = None, keepdims: bool = False, **torch_keywords: object) -> T:
        """The smallest entry (along ``axis``); tied minima share the gradient equally."""
        if torch_keywords:
            raise _torch_keywords("min", torch_keywords, " (the values alone, as torch.amin: no .values to take)")
        return _extremum(self, axis, keepdims, "min")

    def amax(self: T, axis: int | tuple | None = None, keepdims: bool = False, **torch_keywords: object) -> T:
        """PyTorch's name for ``max`` (numpy's ``np.amax``): the largest entries, tied maxima sharing the gradient.

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 3.0], [2.0, 0.5]]).amax(axis=1).data
        array([3., 2.])
        """
        if torch_keywords:
            raise _torch_keywords("amax", torch_keywords)
        return _extremum(self, axis, keepdims, "max", "amax")

    def amin(self: T, axis: int | tuple | None = None, keepdims: bool = False, **torch_keywords: object) -> T:
        """PyTorch's name for ``min`` (numpy's ``np.amin``): the smallest entries, tied minima sharing the gradient.

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 3.0], [2.0, 0.5]]).amin(axis=1).data
        array([1. , 0.5])
        """
        if torch_keywords:
            raise _torch_keywords("amin", torch_keywords)
        return _extremum(self, axis, keepdims, "min", "amin")

    def argmax(self: T, axis: int | None = None, keepdims: bool = False, **torch_keywords: object) -> np.ndarray:
        """The index of the largest entry (the first of ties; of a NaN, where there is one, as numpy and PyTorch),
        along ``axis``, or in the flattened Tensor for None: a plain int array, not recorded (an index does not
        move with x). The usual accuracy: ``(logits.argmax(axis=1) == y).mean()``.

        >>> from autograd import Tensor
        >>> Tensor([[0.1, 2.0, 0.3], [5.0, 1.0, 5.0]], requires_grad=True).argmax(axis=1)
        array([1, 0])
        """
        if torch_keywords:
            raise _torch_keywords("argmax", torch_keywords)
        return _index_of_extremum(self, axis, keepdims, "argmax")

    def argmin(self: T, axis: int | None = None, keepdims: bool = False, **torch_keywords: object) -> np.ndarray:
        """The index of the smallest entry (the first of ties), along ``axis`` or in the flattened Tensor for
        None: a plain int array, as ``argmax``.

        >>> from autograd import Tensor
        >>> Tensor([3.0, -1.0, -1.0]).argmin()
        np.int64(1)
        """
        if torch_keywords:
            raise _torch_keywords("argmin", torch_keywords)
        return _index_of_extremum(self, axis, keepdims, "argmin")

    def prod(self: T, axis: int | tuple | None = None, keepdims: bool = False, **torch_keywords: object) -> T:
        """y = prod_i x_i (along ``axis``; all entries for None);  dy/dx_i = prod_(j != i) x_j (exact at zeros).
        Right where a running product would leave the float range: prod(1e-200, 1e-200, 1e300) is 1e-100, not 0.

        >>> from autograd import Tensor
        >>> x = Tensor([2.0, 0.0, 5.0], requires_grad=True)
        >>> x.prod().backward(); x.grad
        array([ 0., 10.,  0.])
        """
        if torch_keywords:
            raise _torch_keywords("prod", torch_keywords)
        return _prod(self, axis, keepdims)

    def cumsum(self: T, axis: int | None = None, **torch_keywords: object) -> T:
        """y_k = sum_(i <= k) x_i along ``axis`` (the flattened Tensor for None, as numpy);
        dL/dx_i = sum_(k >= i) dL/dy_k.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> x.cumsum().sum().backward(); x.grad
        array([3., 2., 1.])
        """
        if torch_keywords:
            raise _torch_keywords("cumsum", torch_keywords)
        return _cumsum(self, axis)

    def var(self: T, axis: int | tuple | None = None, keepdims: bool = False, ddof: int = 0,
            **torch_keywords: object) -> T:
        """The variance, sum (x - mean)^2 / (n - ddof); ``ddof=0`` as numpy (``ddof=1`` for the unbiased one).
        Right where the squares overflow but the variance fits: [1.5e154, -1.5e154] and 998 zeros give 4.5e305."""
        if torch_keywords:
            raise _torch_keywords("var", torch_keywords)
        return _var(self, axis, keepdims, ddof)

    def std(self: T, axis: int | tuple | None = None, keepdims: bool = False, ddof: int = 0,
            **torch_keywords: object) -> T:
        """The standard deviation, sqrt(var), with var's ``ddof`` (0 as numpy; PyTorch's default is ``ddof=1``);
        dstd/dx_i = (x_i - mean) / ((n - ddof) std), and 0 where every entry is the same (as PyTorch).

        >>> from autograd import Tensor
        >>> Tensor([1.0, 3.0]).std().item(), Tensor([1.0, 3.0]).std(ddof=1).item()
        (1.0, 1.4142135623730951)
        """
        if torch_keywords:
            raise _torch_keywords("std", torch_keywords)
        var = _var(self, axis, keepdims, ddof, "std")
        spread = var.data != 0                             # (NaN too: it stays NaN)
        if spread.all():
            return var.sqrt()
        # A constant slice has std 0, where sqrt's slope is infinite and the deviations 0: 0 inf would make every
        # gradient of the slice NaN (a dead relu unit's column in a batch norm). There std has no slope; it is
        # taken as sqrt(0 + 1) * 0, whose gradient is 0, as PyTorch's.
        on = spread.astype(var.data.dtype)
        return (var * on + (1 - on)).sqrt() * on

    def logsumexp(self: T, axis: int | tuple | None = -1, keepdims: bool = False, **torch_keywords: object) -> T:
        """y = log(sum_j e^(x_j)) along ``axis`` (the last by default; None for all), without overflow, and
        without losing terms far below the largest: logsumexp([0, -40]) is log(1 + e^-40) = 4.2e-18, not 0;
        dy/dx_i = softmax(x)_i."""
        if torch_keywords:
            raise _torch_keywords("logsumexp", torch_keywords)
        return _logsumexp(self, axis, keepdims)

    def softmax(self: T, axis: int = -1, **torch_keywords: object) -> T:
        """p_i = e^(x_i) / sum_j e^(x_j) along ``axis`` (the last by default: rows are samples);
        dp_i/dx_k = p_i (delta_ik - p_k)."""
        if torch_keywords:
            raise _torch_keywords("softmax", torch_keywords)
        return _softmax_op(self, axis)

    def log_softmax(self: T, axis: int = -1, **torch_keywords: object) -> T:
        """y_i = x_i - log sum_j e^(x_j) along ``axis``, computed so that it never overflows;
        dy_i/dx_k = delta_ik - softmax(x)_k."""
        if torch_keywords:
            raise _torch_keywords("log_softmax", torch_keywords)
        return _log_softmax(self, axis)
