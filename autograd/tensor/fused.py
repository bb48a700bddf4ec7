"""Fused Tensor ops: a layer's ``act(x W^T + b)``, softmax and sigmoid cross-entropy, each one node with one vjp.

Where an MLP's training step spends its time beyond the two matrix products of each layer: the nodes between them
(the transpose, the product, the bias add, the activation; log-softmax, the pick of each row's label, the sum, the
scale; softplus twice and the products of binary cross-entropy from logits) each allocate an array and a gradient.
A fused op computes the same numbers in one node, in place where
nobody else can see the array, and differentiates them in one vector-Jacobian product.

>>> import numpy as np
>>> from autograd import Tensor, linear, softmax_cross_entropy
>>> x = Tensor(np.ones((4, 3)))
>>> W = Tensor(np.full((2, 3), 0.5), requires_grad=True); b = Tensor(np.zeros(2), requires_grad=True)
>>> loss = softmax_cross_entropy(linear(x, W, b, activation="relu"), np.array([0, 1, 1, 0]))
>>> loss.backward(); W.grad.shape, round(loss.item(), 6)                   # ln 2: equal logits
((2, 3), 0.693147)
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .. import rules
from ..checks import overflowed_cross_entropy, unmasked
from .checks import FLOAT_DTYPES, as_data, holds_floats, not_float
from .core import TensorCore, make
from .functions import DOMAIN_CHECKS
from .reductions import _exp_shifted, _mean_in_range, unshifted_bound

__all__ = ["linear", "softmax_cross_entropy", "sigmoid_cross_entropy"]

_A = rules.ARRAYS
_OP_NAMES = {r.name: f"linear+{r.name}" for r in rules.FUNCTIONS.values()}  # the op names, made once
_sum, _max, _min = np.add.reduce, np.maximum.reduce, np.minimum.reduce   # ndarray.sum etc. without a Python frame
_fmax = np.fmax.reduce                                                    # the largest number, NaN set aside
_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}
_RELU = rules.RELU  # applied in place: z is this op's own new array, and step(max(0, z)) = step(z) for every z
_FUNCTIONS = rules.FUNCTIONS
_SIGNED_AS_UNSIGNED = {np.dtype(t): np.dtype(u) for t, u in ((np.int8, np.uint8), (np.int16, np.uint16),
                                                             (np.int32, np.uint32), (np.int64, np.uint64))}


def _constant(x: Any, like: np.ndarray) -> TensorCore:
    """An array or list ``x`` as a constant Tensor of ``like``'s dtype."""
    from . import Tensor  # the assembled class (imported here: no import circle)

    # as Tensor() takes data: np.asarray(x, dtype) would drop an imaginary part, parse "1.5" and count a date's days
    return Tensor(as_data(x, like.dtype, "linear: the input"))


def linear(x: Any, W: TensorCore, b: TensorCore | None = None, activation: str | None = None) -> TensorCore:
    """y = act(x W^T + b) as one node: rows of ``x`` are samples, ``W`` is (n_out, n_in), ``b`` is (n_out,).

    ``activation`` is None (or "identity") or the name of a function of ``autograd.rules`` (relu, sigmoid, tanh,
    softplus, ...): its value and derivative come from the rules table. The vjp, with G = dL/dy and
    D = G * act'(z): dL/dW = D^T x (in W's own layout), dL/db = sum of D's rows, dL/dx = D W (only when x
    requires grad). The numbers are those of ``(x @ W.T + b).relu()`` (tests check both).

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> W = Tensor([[1.0, -1.0]], requires_grad=True)
    >>> linear(np.array([[2.0, 3.0]]), W, activation="relu").data
    array([[0.]])
    """
    if not isinstance(W, TensorCore) or W.data.ndim != 2:
        raise TypeError(f"linear: W must be a 2-D Tensor of shape (n_out, n_in), got {type(W).__name__} "
                        f"{getattr(getattr(W, 'data', W), 'shape', '')}")
    Wd = W.data
    if Wd.dtype not in FLOAT_DTYPES and not holds_floats(Wd.dtype):  # a .data replaced by ints: its constant
        # input would be refused as "the input"
        raise not_float(Wd.dtype, "linear", "W")
    if not isinstance(x, TensorCore):
        x = _constant(x, Wd)
    xd = x.data
    if xd.ndim == 0 or xd.shape[-1] != Wd.shape[1]:
        raise ValueError(f"linear: x of shape {xd.shape} against W of shape {Wd.shape}: x needs {Wd.shape[1]} "
                         f"entries in its last axis (rows are samples, W is (n_out, n_in))")
    rule = None
    if activation is not None and activation != "identity":
        rule = _FUNCTIONS.get(activation) if isinstance(activation, str) else None
        if rule is None:
            raise ValueError(f"linear: unknown activation {activation!r}; use None, 'identity' or one of "
                             f"{sorted(rules.FUNCTIONS)}")
    parents: tuple = (x, W)
    # exact: x, W (and b) share a dtype, so every gradient the vjp returns is new and in its parent's dtype
    exact = xd.dtype is Wd.dtype
    flat = xd.ndim == 2                                                 # rows are samples already
    x2 = xd if flat else xd.reshape(-1, xd.shape[-1])                   # leading axes: samples
    z = x2 @ Wd.T                                                       # Z = X W^T (a new array: updated in place)
    if b is not None:
        if not isinstance(b, TensorCore) or b.data.shape != (Wd.shape[0],):
            raise ValueError(f"linear: b must be a Tensor of shape ({Wd.shape[0]},), got "
                             f"{getattr(getattr(b, 'data', b), 'shape', type(b).__name__)}")
        bd = b.data
        if bd.dtype is z.dtype:
            z += bd
        else:  # a float64 bias of a float32 product: float64, as x @ W.T + b (in place it would be rounded)
            z = z + bd
        parents = (x, W, b)
        exact = exact and bd.dtype is Wd.dtype
    if rule is None:
        y, slope = z, None
    elif rule is _RELU:                                                 # numpy by hand's relu: in place
        y = _A.relu(z, out=z)                                           # the table's max(0, z), into z's memory
        slope = y != 0          # relu' = step(z) for every z in one pass: relu(z) is 0 where z <= 0 (-0 too) and
        #                         NaN where z is (step(NaN) = 1 in the table); tests check it against the table
    else:
        check = DOMAIN_CHECKS.get(rule.name)
        if check is not None:                                           # log of z <= 0, exp beyond 709.78, ...:
            check(z)                                                    # refused as (x @ W.T + b).log() refuses
        if rule.both is not None:                                       # value and slope share work (sigmoid)
            y, (slope,) = rule.both(_A, z)
        else:
            y = rule.value(_A, z)                                       # a = act(z)
            (slope,) = rule.partials(_A, z, y)                          # act'(z), while z is at hand
        exact = exact and getattr(slope, "dtype", None) is z.dtype
    need_x = x.requires_grad
    has_b = b is not None

    def vjp(g: np.ndarray, owned: bool = False) -> tuple:
        if not flat:
            g = g.reshape(-1, Wd.shape[0])
        if slope is None:
            d = g
        elif owned:                                                     # no one else sees g: reuse its memory
            d = g
            d *= slope                                                  # dL/dz = dL/dy * act'(z)
        else:
            d = g * slope
        gW = d.T @ x2                                                   # (n_out, n_in), W's layout
        gx = None
        if need_x:
            gx = d @ Wd if flat else (d @ Wd).reshape(xd.shape)
        return (gx, gW, _sum(d, axis=0)) if has_b else (gx, gW)

    vjp.in_place = True  # type: ignore[attr-defined]  # backward() may hand it a g nobody else sees (owned)
    vjp.exact = exact  # type: ignore[attr-defined]     # then backward() takes its gradients as they are (make())
    if not flat:
        y = y.reshape(xd.shape[:-1] + (Wd.shape[0],))
    return make(y, parents, vjp, "linear" if rule is None else _OP_NAMES[rule.name])


def softmax_cross_entropy(logits: TensorCore, labels: Any) -> TensorCore:
    """-1/N sum_i log softmax(z_i)_{y_i}: the mean cross-entropy of (N, K) logits and N integer labels, one node.

    Stable at any scale (rows shifted by their maximum where a logit is far out), and within an ulp or three of
    the exact loss and gradient where the label's share is near 1 (its 1 - p_y is the sum of the others). Its
    vjp: dL/dz = (softmax(z) - onehot(y)) / N, times the incoming gradient. The numbers are those of
    ``-(z.log_softmax()[range(N), y]).sum() / N`` to a few ulp.

    >>> from autograd import Tensor
    >>> z = Tensor([[1000.0, 0.0]], requires_grad=True)
    >>> loss = softmax_cross_entropy(z, [1]); loss.backward()
    >>> loss.item(), z.grad.tolist()
    (1000.0, [[1.0, -1.0]])
    """
    if not isinstance(logits, TensorCore) or logits.data.ndim != 2 or logits.data.shape[1] < 2:
        raise ValueError("softmax_cross_entropy: logits must be a Tensor of shape (N, K), K >= 2; got "
                         f"{getattr(getattr(logits, 'data', logits), 'shape', type(logits).__name__)}")
    z = logits.data
    if z.dtype not in FLOAT_DTYPES and not holds_floats(z.dtype):  # a .data replaced by ints: numpy's exp into
        # it would fail with a bare casting error
        raise not_float(z.dtype, "softmax_cross_entropy", "the logits Tensor")
    n, k = z.shape
    if type(labels) is np.ndarray:
        y = labels
    else:
        unmasked(labels, "softmax_cross_entropy", "labels")   # np.asarray would read the labels under the mask
        y = np.asarray(labels)
    if y.shape != (n,) or y.dtype.kind not in "iu" or (n and _max(_unsigned(y)) >= k):
        raise ValueError(f"softmax_cross_entropy: labels must be {n} integer classes in 0..{k - 1}, got "
                         f"{y.dtype} of shape {y.shape}")
    if n == 0:
        raise ValueError("softmax_cross_entropy: an empty batch has no mean loss")
    if y.dtype.kind == "u":
        y = y.astype(np.intp)                                           # uint64 + int64 would be float64
    picks = _row_starts(n, k) + y                                       # flat index of (i, y_i): i k + y_i
    p, ey, others, costs = _label_terms(z, picks, k)
    s = others + ey
    scale = z.dtype.type(1.0 / n)
    loss = _sum(costs, axis=None) * scale                               # mean of log sum e^z - z_y
    if not math.isfinite(loss):                                         # (one test of a number: the common case)
        if np.isfinite(costs).all():                    # the rows' terms are finite, their sum is not: the mean,
            with np.errstate(over="ignore"):            # as Tensor.mean takes it
                loss = _mean_in_range(costs, (0,), False, n)
        if math.isinf(loss) and np.isfinite(z).all():
            warnings.warn(overflowed_cross_entropy("softmax_cross_entropy", z.dtype), RuntimeWarning, stacklevel=2)
    p /= s[:, None]                                                     # softmax beside the labels, for the vjp
    others /= s                                                         # 1 - p_y

    def vjp(g: np.ndarray) -> tuple:
        gs = g * scale
        d = p * gs                                                      # (p - onehot(y)) g / N
        d.ravel()[picks] = others * -gs                                 # d[i, y_i] = (p_y - 1) g / N
        return (d,)

    vjp.exact = True  # type: ignore[attr-defined]  # d is a new array of the logits' shape and dtype (make())

    return make(np.asarray(loss, dtype=z.dtype), (logits,), vjp, "softmax_cross_entropy")


def sigmoid_cross_entropy(logits: TensorCore, targets: Any) -> TensorCore:
    """c = softplus(z) - y z entry by entry: binary cross-entropy from logits z (a = sigmoid(z)), one node.

    Written c = ln(1 + e^-|z|) + w |z|, w = 1 - y for z > 0 and y otherwise: for targets in [0, 1] every term
    is >= 0, so nothing cancels, and a right answer far out costs e^-|z| to the last digit (softplus(37) - 37
    rounds to 0 where y = 1 costs 8.5e-17). Its vjp: dc/dz = sigmoid(z) - y, written (with e = e^-|z|)
    ((1 - y) - y e) / (1 + e) for z > 0 and ((1 - y) e - y) / (1 + e) otherwise, exact in both tails;
    dc/dy = -z when ``targets`` is a Tensor that requires grad. At z = +-inf c is the formula's limit (inf, or 0
    where w = 0) and dc/dz = 1 - y or -y. Reduce it with ``.mean()`` (PyTorch's
    ``binary_cross_entropy_with_logits``) or ``.sum()``; ``nn.losses.binary_cross_entropy_with_logits`` does.

    >>> from autograd import Tensor
    >>> z = Tensor([0.0, 37.0, -2.0], requires_grad=True)
    >>> c = sigmoid_cross_entropy(z, [1.0, 1.0, 0.0]); c.sum().backward()
    >>> c.data.tolist()                     # ln 2, e^-37, ln(1 + e^-2)
    [0.6931471805599453, 8.533047625744066e-17, 0.1269280110429725]
    >>> z.grad.tolist()                     # sigmoid(z) - y
    [-0.5, -8.533047625744066e-17, 0.11920292202211755]
    """
    if not isinstance(logits, TensorCore):
        raise TypeError(f"sigmoid_cross_entropy: logits must be a Tensor, got {type(logits).__name__}; wrap an "
                        "array as Tensor(z)")
    z = logits.data
    if z.dtype not in FLOAT_DTYPES and not holds_floats(z.dtype):
        raise not_float(z.dtype, "sigmoid_cross_entropy", "the logits Tensor")
    parents: tuple = (logits,)
    if isinstance(targets, TensorCore):
        y = targets.data
        if targets.requires_grad:
            parents = (logits, targets)
    else:
        y = as_data(targets, z.dtype, "sigmoid_cross_entropy: the targets")
    if y.shape != z.shape:
        raise ValueError(f"sigmoid_cross_entropy: targets of shape {y.shape} against logits of shape {z.shape}; "
                         "give one target per logit, in the logits' shape")
    c, e, up = _sigmoid_cross_entropy_values(z, y)
    need_y = len(parents) == 2

    def vjp(g: np.ndarray) -> tuple:
        u = 1.0 - y
        d = np.where(up, u - y * e, u * e - y)                          # (sigma(z) - y)(1 + e), each side exact
        d /= 1.0 + e
        d *= g
        if not need_y:
            return (d,)
        gy = np.multiply(z, g, out=np.empty(d.shape, np.result_type(z, g)))   # an array, also for a 0-d z
        return d, np.negative(gy, out=gy)                               # dc/dy = -z

    vjp.exact = c.dtype is z.dtype and (not need_y or y.dtype is z.dtype)  # type: ignore[attr-defined]
    return make(c, parents, vjp, "sigmoid_cross_entropy")


def _sigmoid_cross_entropy_values(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The costs ln(1 + e^-|z|) + w |z| (w = 1 - y where z > 0, else y) of ``sigmoid_cross_entropy``, with
    e = e^-|z| and the mask z > 0 that its vjp reuses. Where |z| is inf and w is 0, w |z| is 0 (its limit), not
    0 inf = NaN."""
    size = np.abs(z)
    e = np.exp(-size)
    up = z > 0
    w = np.where(up, 1.0 - y, y)
    c = np.empty(w.shape, np.result_type(w, size))                       # an array, also for a 0-d z
    if _fmax(size, axis=None, initial=0.0) < math.inf:                # the common case (fmax passes NaN by)
        np.multiply(w, size, out=c)
    else:
        with np.errstate(invalid="ignore"):
            np.multiply(w, size, out=c)
        c[(w == 0.0) & (size == math.inf)] = 0.0
    c += np.log1p(e)
    return c, e, up


def _label_terms(z: np.ndarray, picks: np.ndarray, k: int) -> tuple:
    """softmax_cross_entropy's terms of each row, label y: (e, e_y, others, costs), with e the terms e^(z_j - c)
    in C order (a new array; 0 at the labels, whose entries the vjp sets itself), others = the sum of the row's
    terms beside y's and costs = -log p_y.

    -log p_y is log1p(others / e_y), and p_y - 1 is -others / s (s = others + e_y): where p_y is near 1, others
    keeps its own digits, where log(s) - z_y and p_y - 1 of the rounded s = e_y + others lost them (the loss of
    [40, 0, 0] on class 0 was 0, not 8.5e-18, and its gradient's first entry 0, not -8.5e-18). Where every |z| is
    at most half the exponent range (less ln k: 352 in float64 for 10 classes, 42 in float32), e^z, the sums and
    others / e_y are normal numbers and z needs no shift (c = 0): cheaper than a shift, whose rounding costs digits
    (5.7e-14 at 0.3 - 700.1, 270 ulp of e^d). Beyond it (or at an inf or NaN) each row is shifted by its maximum,
    the two-sum puts the rounding back, and -log p_y = log1p(others + (e_y - 1)) - (z_y - c): e_y - 1 is 0 where y
    is a maximum, and elsewhere p_y <= 1/2, where nothing cancels."""
    bound = unshifted_bound(z.dtype, k)
    if -bound <= _min(z, axis=None) and _max(z, axis=None) <= bound:          # (NaN fails both)
        e = np.exp(z, order="C")                        # C order whatever z's layout: flat i k + y_i is its own
        flat = e.ravel()
        ey = flat[picks]
        flat[picks] = 0.0
        others = _sum(e, axis=1)
        return e, ey, others, np.log1p(others / ey)
    # every exponent <= 0; in C order whatever z's layout (a transposed or sliced logits array), since the flat
    # index i k + y_i must address this array's own memory, here and in the vjp's d (a copy would take the -1s).
    # No np.errstate around this ordinary pass: inside one every numpy call is slower (a few us a step, where
    # issue 14 counts each), so logits 1.8e308 apart (a shift that overflows to -inf, whose e^-inf = 0 is the
    # right share) come with numpy's overflow warning before their right answer
    m = _max(z, axis=1, keepdims=True)
    shifted = np.subtract(z, m, order="C")
    rows = shifted.ravel()[picks]                                       # z_y - max z, as rounded
    p = _exp_shifted(shifted, z, m)                                     # e^(z - max z), the rounding put back
    flat = p.ravel()
    ey = flat[picks]                                                    # e^(z_y - max z), 1 where y is a maximum
    flat[picks] = 0.0
    others = _sum(p, axis=1)
    costs = np.log1p(others + (ey - 1.0))                               # log(s), others' digits kept
    costs -= rows
    return p, ey, others, costs


_last_starts: tuple = ((0, 0), np.arange(0))


def _row_starts(n: int, k: int) -> np.ndarray:
    """0, k, 2k, ..., (n - 1) k: where each row of an (n, k) array starts in its flat form. The last batch shape's
    array is kept, read-only, since a training loop asks for the same one at every step."""
    global _last_starts
    shape, starts = _last_starts
    if shape != (n, k):
        starts = np.arange(0, n * k, k)
        starts.flags.writeable = False
        _last_starts = ((n, k), starts)                   # one tuple: another thread sees the old pair or the new
    return starts


def _unsigned(y: np.ndarray) -> np.ndarray:
    """Integer labels as unsigned numbers of the same width (a view): a negative label becomes at least 2^(bits-1),
    so one maximum checks both ends of 0 <= y < k."""
    unsigned = _SIGNED_AS_UNSIGNED.get(y.dtype)     # a signed dtype in this machine's byte order (int64): at once
    if unsigned is not None:
        return y.view(unsigned)
    if y.dtype.kind == "u":
        return y
    if not y.dtype.isnative:                        # bytes in the other order: reinterpreted, they would be others
        y = y.astype(y.dtype.newbyteorder("="))
    return y.view(_UNSIGNED[y.dtype.itemsize])
