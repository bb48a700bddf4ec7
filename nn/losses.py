"""Losses, each written once, for a Tensor, for Values (a Value, a list of Values, or a list of lists), and for
plain numbers (a numpy array or a list of floats: no graph, a float out).

Rows are samples: a prediction of shape (N, K) holds N samples of K outputs, and a 1-D prediction (a list of N
Values, or shape (N,)) holds N samples of one output each. For ONE sample of K outputs, pass a batch of one:
``quadratic([outputs], [y])``. Every loss is the mean over the N samples of a cost per sample:

| loss                       | cost of one sample (outputs a or logits z, target y)        | mean over |
|----------------------------|-------------------------------------------------------------|-----------|
| quadratic (HH19)           | 1/2 sum_k (y_k - a_k)^2                                      | N         |
| mse (004, PyTorch)         | 1/K sum_k (a_k - y_k)^2                                      | N         |
| cross_entropy (logits)     | -sum_k y_k log softmax(z)_k, y one-hot or an integer label   | N         |
| binary_cross_entropy       | -1/K sum_k [y_k ln a_k + (1 - y_k) ln(1 - a_k)]; from logits | N         |
| (PyTorch's mean; see below)| it is 1/K sum_k [softplus(z_k) - y_k z_k], stable at +-1000  |           |
| hinge (micrograd)          | sum_k max(0, 1 - y_k a_k), labels y = -1 or +1               | N         |

and ``l2(parameters, lam) = lam * sum_p p^2``, a penalty to add to any of them.

A loss with a PyTorch name computes PyTorch's number: ``binary_cross_entropy`` and
``binary_cross_entropy_with_logits`` average over all N K entries (``reduction="mean"``, PyTorch's default; also
``"sum"`` and ``"none"``). The lectures' cost sums over the K outputs of a sample and averages over the samples
only (K times as much): ``reduction="lectures"``, which ``nn.compare`` uses against the hand-coded ``nn.backprop``.
For one output the two are the same.

Targets: quadratic, mse and binary_cross_entropy on K >= 2 outputs also take integer class labels of shape (N,)
and turn them into one-hot rows (label 3 of 10 is [0, 0, 0, 1, 0, ...]), as cross_entropy does. A target made of
Values, against a prediction made of Values, enters the formula as those Values (``autograd.compile`` then reads
it as an input of the trace, as ``fit(..., compile=True)`` needs, instead of freezing its numbers); class labels
given as Values are read as numbers. So a target Tensor that requires grad enters the formula as itself and gets
its gradient (PyTorch's losses give one too). The Values' log-softmax reads no number from the data (``log_sum_exp``).

Saturation (Nielsen's learning slowdown), done the stable way: ``binary_cross_entropy(a, y)`` where ``a`` is a
sigmoid node of the graph (``a = z.sigmoid()``, or the output of ``MLP(..., output_activation="sigmoid")`` on
either engine) works from that node's input z, as ``logits=True`` would: the cost is softplus(z) - y z, exact,
and dC/dz = a - y even at z = 100 or 1000, where the probability rounds to 1 and ln max(1 - a, 1e-12) would give
dC/dz = 0: the neuron would never learn. Likewise ``cross_entropy(p, y)`` on a softmax node
(``MLP(..., output_activation="softmax")``) works from its logits. (Keras's losses recognise a sigmoid or softmax
output in the same way.) Plain numbers, and nodes computed under ``no_grad()`` (no parent recorded), are read as
probabilities: each log takes max(a, 1e-12) or max(1 - a, 1e-12). The quadratic cost is left alone: its
dC/dz = (a - y) sigma'(z) is the slowdown the lecture shows.

>>> from autograd import Value
>>> a = [Value(0.5), Value(2.0)]
>>> quadratic(a, [1.0, 1.0]).data          # (0.25 + 1) / (2 * 2)
0.3125
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Tensor, Value, sigmoid_cross_entropy, softmax_cross_entropy, where
from autograd.checks import flag, overflowed_cross_entropy

from . import activations, checks

_EPS = 1e-12   # binary_cross_entropy takes ln max(a, eps) and ln max(1 - a, eps): ln never sees 0


# --- one representation per engine --------------------------------------------------------------------------------
# A prediction becomes a Tensor, a numpy object array of Values, or a float array. Each formula below is written
# once with operators that all three share (+ - * / and .sum() on the left operand), plus the helpers that follow.

def _value(v: Any, name: str) -> Value:
    """One entry of a prediction made of Values: a Value, or a real number made into a constant Value."""
    if isinstance(v, Value):
        return v
    if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name}: the prediction mixes Values with {type(v).__name__} {v!r}; "
                        "give Values or real numbers, one sample per row")
    try:
        return Value(float(v))
    except OverflowError:
        raise ValueError(f"{name}: the prediction holds {v!r}, too large for a float") from None


def _as_values(pred: Any, name: str) -> np.ndarray:
    """A Value, or a (nested) list of Values and numbers, as a numpy object array of Values."""
    if isinstance(pred, Value):
        out = np.empty(1, dtype=object)
        out[0] = pred
        return out
    rows = list(pred)
    nested = [isinstance(r, list | tuple | np.ndarray) for r in rows]
    if any(nested):
        if not all(nested):
            raise ValueError(f"{name}: the prediction mixes rows (lists) and single entries; "
                             "give a list of N Values or a list of N rows of K Values")
        width = len(rows[0])
        if any(len(r) != width for r in rows):
            raise ValueError(f"{name}: the rows of the prediction have different lengths "
                             f"{sorted({len(r) for r in rows})}")
        out = np.empty((len(rows), width), dtype=object)
        for i, row in enumerate(rows):
            for k, v in enumerate(row):
                out[i, k] = _value(v, name)
        return out
    out = np.empty(len(rows), dtype=object)
    for i, v in enumerate(rows):
        out[i] = _value(v, name)
    return out


def _real_array(x: Any, name: str, what: str, *, booleans: bool) -> np.ndarray:
    """Plain numbers (a number, a nested list, a numpy array) as a float array, refusing what is not a real number:
    strings, None, complex numbers (numpy would drop their imaginary part), ragged lists; booleans only as targets."""
    if x is None or isinstance(x, str | bytes | dict | set):
        raise TypeError(f"{name}: the {what} must be real numbers, got {type(x).__name__} {x!r}")
    checks.unmasked(x, name, f"the {what}")  # np.asarray would keep the numbers under the mask
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as e:                 # ragged nested lists
        raise ValueError(f"{name}: the {what} is not a rectangular array of numbers ({e})") from None
    if arr.dtype == object:                              # Values among targets: only their numbers count
        def number(v: Any) -> float:
            if isinstance(v, Value):
                return v.data
            if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real):
                raise TypeError(f"{name}: the {what} holds {type(v).__name__} {v!r}; give real numbers")
            try:
                return float(v)
            except OverflowError:
                raise ValueError(f"{name}: the {what} holds {v!r}, too large for a float") from None
        arr = np.frompyfunc(number, 1, 1)(arr) if arr.ndim else np.array(number(arr.item()))
        arr = np.asarray(arr, dtype=float) if arr.size else np.zeros(arr.shape)
    kind = arr.dtype.kind
    if kind == "b" and not booleans:
        raise TypeError(f"{name}: the {what} holds True/False; give numbers (the model's outputs)")
    if kind not in "biuf":
        raise TypeError(f"{name}: the {what} must be real numbers, got an array of dtype {arr.dtype}")
    return arr


def _prediction(pred: Any, name: str) -> Any:
    if isinstance(pred, Tensor):
        if pred.data.dtype.kind not in "iuf":
            raise TypeError(f"{name}: the prediction is a Tensor of dtype {pred.data.dtype}; give real numbers")
        return pred
    if isinstance(pred, np.ndarray) and pred.dtype != object:
        return _real_array(pred, name, "prediction", booleans=False).astype(float)
    if isinstance(pred, np.ndarray) and pred.ndim == 0:
        pred = pred.item()
    if not _holds_value(pred):
        return _real_array(pred, name, "prediction", booleans=False).astype(float)   # no graph
    return _as_values(pred, name)


def _holds_value(pred: Any) -> bool:
    """True when ``pred`` is a Value or a list (of lists) with a Value in it."""
    if isinstance(pred, Value):
        return True
    if isinstance(pred, np.ndarray):
        return pred.dtype == object and any(isinstance(v, Value) for v in pred.ravel())
    if not isinstance(pred, list | tuple):
        return False
    return any(isinstance(v, Value) or (isinstance(v, list | tuple | np.ndarray) and any(isinstance(u, Value)
                                                                                          for u in v))
               for v in pred)


def _nonempty(shape: tuple, name: str) -> None:
    if 0 in shape:
        raise ValueError(f"{name}: the prediction is empty (shape {shape}); a loss is a mean over samples, "
                         "so give at least one sample with at least one output")


def _shape(P: Any) -> tuple:
    return P.data.shape if isinstance(P, Tensor) else P.shape


def _constant(y: Any, name: str) -> np.ndarray:
    """A target as a numpy array: it is a constant, never differentiated."""
    if isinstance(y, Tensor):
        y = y.data
    elif isinstance(y, Value):
        y = y.data
    return _real_array(y, name, "target", booleans=True)


def _one_hot_labels(Y: np.ndarray, K: int, name: str) -> np.ndarray:
    """Integer class labels of shape (N,) as one-hot rows (N, K); labels must be whole numbers in 0..K-1."""
    if Y.dtype.kind == "b":
        raise TypeError(f"{name}: targets of shape {Y.shape} for {K} outputs were read as class labels, but they are "
                        "True/False; give integer labels 0..K-1 or one-hot rows")
    if not (np.isfinite(Y).all() and np.all(np.mod(Y, 1) == 0) and Y.min() >= 0 and Y.max() < K):
        raise ValueError(f"{name}: targets of shape {Y.shape} for a prediction of {K} outputs are read as class "
                         f"labels, which must be whole numbers 0..{K - 1}; got {Y.min()}..{Y.max()}; or give one "
                         "target row per sample, of the prediction's shape")
    out = np.zeros((len(Y), K))
    out[np.arange(len(Y)), Y.astype(np.intp)] = 1.0
    return out


def _target_nodes(P: Any, target: Any, Y: np.ndarray, name: str) -> Any:
    """The target as the formula reads it: the numbers Y (a constant), or, when the prediction and the target are
    both made of Values, the target's own Values in Y's shape, so that a trace (``autograd.compile``, ``fit(...,
    compile=True)``) reads the target as an input instead of freezing its numbers; a target Tensor that requires
    grad, against a Tensor prediction, likewise enters as itself (in Y's shape)."""
    if isinstance(P, Tensor):
        # a target Tensor that requires grad (another model's output) enters as a node, so that it gets its
        # gradient as a target made of Values does, and as PyTorch's losses give one; read as numbers, its .grad
        # would silently stay None and an optimizer would skip it
        if isinstance(target, Tensor) and target.requires_grad and target.data.size == Y.size:
            return target if target.data.shape == Y.shape else target.reshape(Y.shape)
        return Y
    if P.dtype != object or not _holds_value(target):
        return Y
    T = np.asarray(target, dtype=object)
    if T.size != Y.size or not all(isinstance(v, Value) for v in T.ravel()):
        return Y                                        # labels made one-hot, or Values mixed with numbers
    return T.reshape(Y.shape)


def _pair(pred: Any, target: Any, name: str, labels: bool = False) -> tuple[Any, np.ndarray, Any]:
    """The prediction, a float target of the same shape, and the target as the formula reads it (the same
    numbers, or the target's Values: see ``_target_nodes``); (N, 1) against (N,) is accepted either way; with
    ``labels``, integer labels (N,) against K >= 2 outputs (N, K) become one-hot rows."""
    P = _prediction(pred, name)
    shape = _shape(P)
    _nonempty(shape, name)
    Y = _constant(target, name)
    one_hot = labels and len(shape) == 2 and shape[1] >= 2 and Y.shape == (shape[0],)
    if one_hot:
        Y = _one_hot_labels(Y, shape[1], name)
    Y = Y.astype(float)
    if Y.ndim == 0 and shape == (1,):
        Y = Y.reshape(1)
    if Y.shape != shape:
        if len(shape) == 2 and shape[1] == 1 and Y.shape == (shape[0],):
            Y = Y.reshape(shape)
        elif len(shape) == 1 and Y.shape == (shape[0], 1):
            Y = Y.reshape(shape)
        else:
            raise ValueError(
                f"{name}: the target has shape {Y.shape} but the prediction has shape {shape}; "
                "give one target per output, with the same shape (rows are samples)"
            )
    if not np.isfinite(Y).all():
        raise ValueError(f"{name}: the target contains NaN or inf")
    return P, Y, (Y if one_hot else _target_nodes(P, target, Y, name))


def _samples(shape: tuple) -> int:
    return shape[0] if shape else 1


def _total(X: Any) -> Any:
    """The sum of every entry (a 0-d Tensor, a Value or a float)."""
    if isinstance(X, Tensor):
        return X.sum()
    return float(X.sum()) if X.dtype != object else X.sum()


# The sum _mean_total mends where it overflows, under errstate as a decorated function: a `with np.errstate()` block
# costs about twice as much per call (13.2 us against 17.7 us around a (32, 10) mean, min of 40, loaded machine).
_total_quietly = np.errstate(over="ignore")(_total)


def _mean_total(X: Any, n: float) -> Any:
    """The sum of every entry divided by n, also where the sum leaves the float range but the quotient does not:
    mse's squares at 1.3e154 sum to inf where their mean is 1.69e308. There it is the mean (which ``Tensor.mean``
    takes from entries scaled to stay in range) times size / n; elsewhere the sum over n, as it always was. Values
    keep the sum (a trace must not branch on the data). A sum that overflows and is mended gives no numpy warning:
    a right answer must not raise under -W error."""
    if not isinstance(X, Tensor) and X.dtype == object:
        return _total(X) / n
    total = _total_quietly(X)
    if math.isfinite(getattr(total, "data", total)):
        return total / n
    numbers = _numbers(X)
    if not np.isfinite(numbers).all():                  # an inf or NaN entry: the sum's inf or NaN is the answer
        return total / n
    scale = numbers.size / n
    with np.errstate(over="ignore"):                    # Tensor.mean's own sum overflows before it mends it
        mean = X.mean() if isinstance(X, Tensor) else Tensor(numbers).mean().item()
    return mean * scale


def _apply(X: Any, method: str) -> Any:
    """The elementwise engine op ``method`` (relu, softplus, log, ...) on any of the three kinds."""
    if isinstance(X, Tensor):
        return getattr(X, method)()
    if X.dtype == object:
        return np.frompyfunc(lambda v: getattr(v, method)(), 1, 1)(X)
    if method == "log":
        return np.log(X)
    return activations.get(method).f(X)


def _log_softmax_rows(Z: Any) -> Any:
    """log softmax along the last axis of a Tensor or a float array: z_k - (m + ln sum_j e^(z_j - m)),
    m = max_j z_j, so e^. <= 1 (rows of Values: ``_target_surprisals``)."""
    if isinstance(Z, Tensor):
        with np.errstate(over="ignore"):        # a log-probability below -1.8e308 is -inf: see _said_if_inf
            return Z.log_softmax(axis=-1)
    m = Z.max(axis=-1, keepdims=True)
    # (z_k - m) - ln sum, not z_k - (m + ln sum): beside a large m the sum's log was lost in rounding (logits
    # [1e17, 1e17] gave log-probabilities 0, not -ln 2), as the Tensor op's order keeps it
    with np.errstate(over="ignore"):
        return (Z - m) - np.log(np.exp(Z - m).sum(axis=-1, keepdims=True))


def _said_if_inf(loss: Any, Z: Any, terms: Any) -> Any:
    """The loss, with numpy's overflow warning said where it is inf from finite logits, in the loss's words. The
    log-softmax takes a log-probability below -1.8e308 (logits 1e308 and -1e308) quietly as -inf, since a target 0
    there costs nothing (the loss is 0); a target on it makes a row's ``terms`` (its costs) inf, and that is said.
    Rows of Values whose costs are each finite keep their plain sum (a trace must not branch on the data), which can
    overflow where a Tensor's mean is mended: that is said too, as what it is."""
    if not math.isinf(getattr(loss, "data", loss)) or not np.isfinite(_numbers(Z)).all():
        return loss
    costs = _numbers(np.asarray(terms) if not isinstance(terms, Tensor) else terms)
    if np.isinf(costs).any():
        warnings.warn(overflowed_cross_entropy("cross_entropy", _numbers(Z).dtype), RuntimeWarning, stacklevel=3)
    else:
        warnings.warn("overflow encountered in cross_entropy: each row's cost is finite, but their sum over the rows "
                      "is beyond the float range; a graph of Values keeps the sum (a Tensor gives the mean); scale "
                      "the logits down", RuntimeWarning, stacklevel=3)
    return loss


def _label_surprisals(Z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """-log softmax(z_i)_{y_i} of each row of Values, from ``_shifted`` with the label's own term first, as
    ``_target_surprisals`` puts the targeted terms first. Nothing read from the data."""
    out = np.empty(len(Z), dtype=object)
    for i, (row, y) in enumerate(zip(Z, labels)):
        d, s = _shifted([row[y]] + [z for j, z in enumerate(row) if j != y])
        out[i] = s - d[0]
    return out


def _target_surprisals(Z: np.ndarray, T: np.ndarray, zero_takes_no_term: bool = False) -> np.ndarray:
    """-sum_k y_k log softmax(z_i)_k of each row of Values, each -log softmax(z)_k = s - d_k from ``_shifted``: a
    sum of terms >= 0. Written z_k - log_sum_exp(z), a one-hot row lost ln 2 beside logits [1e17, 1e17] (the
    log-sum rounds to 1e17: the loss was 0, and a target's gradient -log p_k too). O(K) nodes, nothing read from
    the logits' data, and the same operations for a target of numbers as for one of Values (a trace's inputs), so
    that compiled code gives the eager numbers to the bit. ``zero_takes_no_term``: a constant target 0 takes no
    term, its limit (where 0 (-inf) would be NaN), and the log-sum-exps begin with the terms taken (beside logits
    -inf: a loss that was not finite)."""
    out = np.empty(len(Z), dtype=object)
    for i, (row, given) in enumerate(zip(Z, T)):
        targets = [y if isinstance(y, Value) else float(y) for y in given]       # (numpy's scalars: Python floats)
        used = [k for k, y in enumerate(targets) if not zero_takes_no_term or isinstance(y, Value) or y != 0.0]
        order = used + [j for j in range(len(row)) if j not in used] if zero_takes_no_term else range(len(row))
        shifted, s = _shifted([row[j] for j in order])
        d = dict(zip(order, shifted))
        out[i] = sum(((s - d[k]) * targets[k] for k in used[1:]), (s - d[used[0]]) * targets[used[0]])
    return out


def _shifted(row: list) -> tuple[list, Value]:
    """(d, s) with d_j = z_j - c and s = ln sum_j e^(d_j), c = log_sum_exp(z) as rounded: -log softmax(z)_k is
    s - d_k for any c, and this c makes each d_j near the largest logit exact (its rounding is recovered by s):
    beside logits [1e17, 1e17], c = 1e17 and s = ln 2. Relative to one logit instead (the label's or the target's,
    as these losses were written), the differences were rounded beside a logit far below: [-1e17, -3, 0] on
    class 0 had the gradient (-1, 1/2, 1/2) for (-1, 0.047, 0.953)."""
    c = log_sum_exp(row)
    d = [z - c for z in row]
    return d, log_sum_exp(d)


def log_sum_exp(row: list[Value]) -> Value:
    """ln sum_k e^(z_k) over a row of Values, stable at any z without reading a number from the data (a trace
    follows it: ``autograd.compile`` needs no branch): s_1 = z_1, s_k = ln(e^s_(k-1) + e^z_k), each step the Value
    op ``logaddexp``, which shifts by the larger of its two operands (the Tensor op logsumexp shifts by the row's
    maximum). In any order of the entries: [-1e17, -3, 0] gives ln(e^-3 + 1) = 0.0486, [-40, 0] 4.2e-18.

    >>> from autograd import Value
    >>> round(log_sum_exp([Value(1000.0), Value(1000.0)]).data - 1000.0, 9)      # ln 2
    0.693147181
    """
    s = row[0]
    for v in row[1:]:
        # not s + softplus(v - s): beside an s far below v, v - s rounds and s + (v - s) lost v's digits
        s = s.logaddexp(v)
    return s


def _numbers(P: Any) -> np.ndarray:
    """The numbers of a prediction (a Tensor, an object array of Values or a float array) as a float array."""
    if isinstance(P, Tensor):
        return P.data
    if P.dtype == object:
        return np.frompyfunc(lambda v: v.data, 1, 1)(P).astype(float)
    return P


def _in_unit_interval(A: np.ndarray, name: str, what: str, fix: str) -> None:
    """Refuse an entry outside [0, 1] (NaN included), naming the first one and its index: one vectorised pass."""
    bad = ~((A >= 0.0) & (A <= 1.0))
    if bad.any():
        i = tuple(int(k) for k in np.unravel_index(np.argmax(bad), A.shape))
        raise ValueError(f"{name}: {what} must lie in [0, 1], got {float(A[i])!r} at index {i}{fix}")


def _logits_of(P: Any, op: str) -> Any:
    """The input z of ``P = op(z)`` when P is a recorded ``op`` node (a Tensor, or an array of Values each made by
    ``op`` from one parent), else None: what a loss on probabilities works from to stay exact when saturated."""
    if isinstance(P, Tensor):
        return P.parents[0] if P.op == op and len(P.parents) == 1 else None
    if P.dtype != object or P.size == 0:
        return None
    if all(v.op == op and len(v.parents) == 1 for v in P.ravel()):
        return np.frompyfunc(lambda v: v.parents[0], 1, 1)(P)
    return None


def _clip(X: Any, lo: float, hi: float) -> Any:
    """Entries below lo or above hi become the constant bound (gradient 0 there, as PyTorch's clamp)."""
    if isinstance(X, Tensor):
        return X.clip(lo, hi)
    if X.dtype != object:
        return np.clip(X, lo, hi)
    return np.frompyfunc(lambda v: v if lo <= v.data <= hi else Value(lo if v.data < lo else hi), 1, 1)(X)


# --- the losses ---------------------------------------------------------------------------------------------------

def quadratic(pred: Any, target: Any) -> Any:
    """HH19's cost C = 1/(2N) sum_i ||y_i - a_i||^2.

    >>> import numpy as np
    >>> quadratic(np.array([[0.5, 0.5]]), [[1.0, 0.0]])   # one sample: 1/2 (0.25 + 0.25)
    0.25
    """
    P, Y, T = _pair(pred, target, "quadratic", labels=True)
    D = P - T
    return _mean_total(D * D, 2.0 * _samples(Y.shape))


def mse(pred: Any, target: Any) -> Any:
    """The mean squared error over every entry: 1/(N K) sum_i sum_k (a_ik - y_ik)^2 (ANN from scratch's MSE, PyTorch's).

    >>> mse([1.0, 3.0], [0.0, 0.0])
    5.0
    """
    P, Y, T = _pair(pred, target, "mse", labels=True)
    D = P - T
    return _mean_total(D * D, float(max(Y.size, 1)))


def cross_entropy(logits: Any, target: Any) -> Any:
    """Softmax cross-entropy from logits: -1/N sum_i sum_k y_ik log softmax(z_i)_k, computed stably.

    ``target``: integer class labels, shape (N,), or one-hot (or probability) rows of the logits' shape.
    A 1-D ``logits`` is one sample (then ``target`` is one label or one row). A constant target of 0 takes no term:
    beside a logit -inf, or logits 1.7e308 apart, log p is -inf, and 0 (-inf) = NaN would spoil a loss that is 0.
    A target on such a class makes the loss inf, with a RuntimeWarning that says so. Where the sum of the rows'
    terms overflows but their mean fits, the loss is that mean (Values keep the sum), without numpy's warning
    (but on a Tensor with integer labels: the fused ``softmax_cross_entropy`` keeps it, as every step runs it).

    >>> import numpy as np
    >>> round(cross_entropy(np.array([[0.0, 0.0]]), [1]), 6)       # ln 2
    0.693147
    """
    if isinstance(logits, Tensor) and type(target) is np.ndarray and target.dtype.kind in "iu" \
            and logits.op != "softmax":
        # A training loop's case, integer labels for a batch of logits: the fused op checks their shape and range
        # itself; if it refuses (1-D logits, a label out of range, an empty batch), the checks below say why, by
        # name, or compute the loss another way (one sample).
        try:
            return softmax_cross_entropy(logits, target)
        except ValueError:
            pass
    Z = _prediction(logits, "cross_entropy")
    if isinstance(Z, Tensor) and Z.op == "softmax":            # probabilities from a softmax node: its logits
        _softmax_along_rows(Z.data)
        z = _logits_of(Z, "softmax")
        Z = z if z is not None else Tensor(np.log(np.clip(Z.data, _EPS, 1.0)))   # under no_grad: log p
    shape = _shape(Z)
    if len(shape) not in (1, 2) or shape[-1] < 2:
        raise ValueError(
            f"cross_entropy: logits of shape {shape}; give (N, K) rows of K >= 2 class scores "
            "(for two classes with one output use binary_cross_entropy(..., logits=True))"
        )
    _nonempty(shape, "cross_entropy")
    Y = _constant(target, "cross_entropy")
    labels_shape, n, K = shape[:-1], (shape[0] if len(shape) == 2 else 1), shape[-1]
    if Y.shape == labels_shape:
        if Y.dtype.kind == "b":
            raise TypeError(
                f"cross_entropy: labels must be integer class indices 0..{K - 1}, got True/False; "
                "True would silently be class 1: pass y.astype(int), or for one output of two classes use "
                "binary_cross_entropy(..., logits=True)"
            )
        if Y.dtype.kind == "f" and not (np.isfinite(Y).all() and np.all(np.mod(Y, 1) == 0)):
            raise ValueError(f"cross_entropy: labels must be whole numbers (class indices), got {Y!r}")
        if Y.min() < 0 or Y.max() >= K:                  # compared before any cast, so 1e300 cannot wrap around
            i = tuple(int(k) for k in np.unravel_index(np.argmax((Y < 0) | (Y >= K)), Y.shape))
            raise ValueError(
                f"cross_entropy: labels must lie in 0..{K - 1} for {K} classes, got {Y.min()}..{Y.max()} "
                f"({Y[i].item()!r} at index {i})"
            )
        labels = Y.astype(np.intp).reshape(n)
        if isinstance(Z, Tensor) and len(shape) == 2:          # one fused node, one vjp
            return softmax_cross_entropy(Z, labels)
        if Z.dtype == object:
            rows = _label_surprisals(Z.reshape(n, K), labels)
            return _said_if_inf(_mean_total(rows, float(n)), Z, rows)
        # -1/N sum_i log softmax(z_i)_{y_i}: the one log-probability per row, picked by (row, label): O(N K)
        picked = _log_softmax_rows(Z)[np.arange(n), labels] if len(shape) == 2 else _log_softmax_rows(Z)[labels]
        return _said_if_inf(-_mean_total(picked, float(n)), Z, picked)
    if Y.shape != shape:
        raise ValueError(
            f"cross_entropy: the target has shape {Y.shape} but the logits have shape {shape}; give integer "
            f"labels of shape {labels_shape} or one-hot rows of shape {shape}"
        )
    Y = Y.astype(float)
    if not np.isfinite(Y).all():
        raise ValueError("cross_entropy: the target contains NaN or inf")
    sums = Y.sum(axis=-1)
    if Y.min() < 0 or not np.allclose(sums, 1.0, rtol=0.0, atol=1e-6):
        raise ValueError(
            f"cross_entropy: one-hot (or probability) target rows must be >= 0 and sum to 1; got entries from "
            f"{Y.min()} to {Y.max()} and row sums from {sums.min()} to {sums.max()}; for class indices give "
            f"integer labels of shape {labels_shape}"
        )
    T = _target_nodes(Z, target, Y, "cross_entropy")
    if Z.dtype == object:
        rows = _target_surprisals(Z.reshape(n, K), T.reshape(n, K))
        loss = _mean_total(rows, float(n))
        if math.isfinite(loss.data) or T.dtype == object:
            return loss                                    # the common case: one test of a number
        if np.isfinite(_numbers(rows)).all():              # finite rows whose sum overflowed: nothing to take out
            return _said_if_inf(loss, Z, rows)
        rows = _target_surprisals(Z.reshape(n, K), T.reshape(n, K), zero_takes_no_term=True)
        return _said_if_inf(_mean_total(rows, float(n)), Z, rows)
    logp = _log_softmax_rows(Z)
    with np.errstate(invalid="ignore"):                    # 0 (-inf) = NaN beside a logit -inf is mended below:
        loss = -_mean_total(logp * T, float(n))            # no warning before the right answer
    if math.isfinite(getattr(loss, "data", loss)) or not isinstance(T, np.ndarray) or T.dtype == object:
        return loss                                        # the common case: one test of a number
    terms = _untargeted_zero(logp, T)
    return _said_if_inf(-_mean_total(terms, float(n)), Z, terms)


def _untargeted_zero(logp: Any, T: Any) -> Any:
    """The terms y_k log p_k of a cross-entropy, 0 where the constant target y_k is 0 (the term's limit, whatever
    p_k): a log-probability that overflowed to -inf (logits 1.7e308 apart, the true log p_k -3.4e308) made 0 (-inf)
    = NaN there, and so the loss and every gradient, where the loss is 0. (A target made of nodes keeps its
    product: its gradient -log p_k is that number, infinite or not.)"""
    unused = T == 0.0                                      # (an array of Values takes numpy's where: 0.0 there)
    return (where(unused, 0.0, logp) if isinstance(logp, Tensor) else np.where(unused, 0.0, logp)) * T


def _softmax_along_rows(P: np.ndarray) -> None:
    """Refuse a softmax node whose rows do not sum to 1: it was taken along another axis (the samples), and its
    input read as rows of logits would give another loss than the probabilities handed in."""
    if P.size == 0 or P.ndim == 0:
        return
    sums = P.sum(axis=-1)
    tolerance = max(1e-6, 8 * P.shape[-1] * float(np.finfo(P.dtype).eps)) if P.dtype.kind == "f" else 1e-6
    if np.any(np.abs(sums - 1.0) > tolerance):                # NaN rows pass: NaN fed in propagates, as elsewhere
        raise ValueError(
            f"cross_entropy: the prediction is a softmax whose rows sum to {float(np.min(sums)):.6g}.."
            f"{float(np.max(sums)):.6g}, not 1: it was taken along another axis than the classes; rows are "
            "samples, so use softmax(axis=-1), or pass the logits themselves"
        )


_REDUCTIONS = ("mean", "sum", "none", "lectures")


def binary_cross_entropy(pred: Any, target: Any, *, logits: bool = False, reduction: str = "mean",
                         _with_logits: bool = False) -> Any:
    """Binary cross-entropy, PyTorch's by default: the mean over all N K entries of
    c = -[y ln a + (1 - y) ln(1 - a)], targets y in [0, 1];  dc/da = (a - y) / (a (1 - a)), and from the logit z
    (a = sigmoid(z)) c = softplus(z) - y z with dc/dz = a - y.

    ``reduction``: ``"mean"`` (PyTorch's ``torch.nn.functional.binary_cross_entropy``: 1/(N K) sum of every
    entry), ``"sum"``, ``"none"`` (the entries c, in the prediction's shape) or ``"lectures"``: the lectures' cost
    -1/N sum_i sum_k [...], summed over the K outputs and averaged over the N samples (K times the mean; the same
    for one output), as ``nn.backprop`` and ``python -m nn.compare`` compute it.

    With ``logits=True`` ``pred`` holds z (and a = sigmoid(z)): the cost is softplus(z) - y z, computed as
    (1 - y) softplus(z) + y softplus(-z), exact and stable for any z (a right answer far out costs e^-|z|). So
    it is when ``pred`` is a sigmoid node of the graph (``MLP(..., output_activation="sigmoid")`` on either
    engine): the loss reads its z, and dC/dz = a - y, never 0. Other probabilities go into each log no
    smaller than 1e-12, ln max(a, 1e-12) and ln max(1 - a, 1e-12) (float32 too): a confidently wrong a = 0 or 1
    costs at most about 27.6 per entry instead of infinity, with gradient 0 there, and a right one, a = y = 0 or 1,
    costs exactly 0 (the lectures' C = 0 at a = r). Integer labels (N,) against K >= 2 outputs become one-hot
    rows.

    >>> round(binary_cross_entropy([0.5], [1.0]), 6), round(binary_cross_entropy([0.0], [1.0], logits=True), 6)
    (0.693147, 0.693147)
    >>> a, y = [[0.5, 0.5]], [[1.0, 0.0]]
    >>> round(binary_cross_entropy(a, y), 6), round(binary_cross_entropy(a, y, reduction="lectures"), 6)
    (0.693147, 1.386294)
    """
    name = "binary_cross_entropy" + ("_with_logits" if logits is True and _with_logits else "")
    logits = flag(logits, name, "logits")
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {', '.join(map(repr, _REDUCTIONS))} (PyTorch's 'mean' "
                         f"by default; 'lectures' sums over the outputs and averages over the samples), "
                         f"got {reduction!r}")
    P, Y, T = _pair(pred, target, name, labels=True)
    _in_unit_interval(Y, name, "targets", "; a target is the probability of class 1 (0 or 1 for hard labels)")
    if not logits:
        _in_unit_interval(_numbers(P), name, "probabilities",
                          "; if these are logits (scores of any sign), pass logits=True or use "
                          "binary_cross_entropy_with_logits")
    if not logits:
        Z = _logits_of(P, "sigmoid")                             # a = sigmoid(z) in the graph: work from z
        if Z is not None:
            P, logits = Z, True
    if logits:
        C = _softplus_minus_yz(P, T, Y, name)                     # softplus(z) - y z
    else:
        # each log's argument kept at eps or above (never a clipped into [eps, 1 - eps]): a = y = 1 costs
        # 1 ln 1 + 0 ln eps = 0 exactly, as the lectures' C = 0 at a = r says (the clipped a read 1e-12)
        C = -(_apply(_clip(P, _EPS, math.inf), "log") * T + _apply(_clip(1.0 - P, _EPS, math.inf), "log") * (1.0 - T))
    if reduction == "none":
        return C
    if reduction == "sum":
        return _total(C)
    n = float(_samples(Y.shape)) if reduction == "lectures" else float(max(Y.size, 1))
    return _mean_total(C, n)


def _where(mask: np.ndarray, a: Any, b: Any) -> Any:
    """a where ``mask`` is true, else b, for the three kinds (a Tensor's gradient flows to the entries chosen)."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return where(mask, a, b)
    a, b = np.asarray(a), np.asarray(b)
    if "O" in (a.dtype.kind, b.dtype.kind):                  # Values: a number becomes a constant Value
        a, b = (x if x.dtype.kind == "O" else np.frompyfunc(Value, 1, 1)(x) for x in (a, b))
    return np.where(mask, a, b)


def _softplus_minus_yz(Z: Any, T: Any, Y: np.ndarray, name: str) -> Any:
    """c = softplus(z) - y z entry by entry, and at z = +-inf its limit: c = (1 - y) z at +inf (inf, or 0 for
    y = 1) and -y z at -inf (inf, or 0 for y = 0), with dc/dz = sigmoid(z) - y = 1 - y or -y there. The formula
    itself reads inf - inf or 0 inf there: NaN (PyTorch gives NaN at y = 1 and at every y for z = -inf). A Tensor
    with a constant target goes straight to the fused op, which takes those limits itself."""
    if isinstance(Z, Tensor) and T is Y:
        return sigmoid_cross_entropy(Z, T)
    infinite = np.isinf(_numbers(Z))
    if not infinite.any():                                    # the common case: the formula, one pass
        return _both_sides(Z, T)
    if T is not Y:
        # dc/dy = -z is infinite at those entries, and inf times a gradient that is 0 elsewhere is NaN
        i = tuple(int(k) for k in np.unravel_index(np.argmax(infinite), infinite.shape))
        raise ValueError(f"{name}: the logit at index {i} is {float(_numbers(Z)[i])!r} and the target is a node "
                         "that gets a gradient, dc/dy = -z, which is infinite there; give finite logits, or detach "
                         "the target (its numbers)")
    finite = _where(infinite, 0.0, Z)                         # the formula where it holds, ln 2 (unused) elsewhere
    costs = _both_sides(finite, Y)
    # at +inf the cost is (1 - y) relu(z), at -inf y relu(-z); the z of a product whose factor is exactly 0 is
    # replaced by 0, so that the product is 0 (its limit) and not 0 inf = NaN
    up = _where(infinite & (Y != 1.0), Z, 0.0)
    down = _where(infinite & (Y != 0.0), Z, 0.0)
    at_infinity = _apply(up, "relu") * (1.0 - Y) + _apply(-down, "relu") * Y
    return _where(infinite, at_infinity, costs)


def _both_sides(Z: Any, T: Any) -> Any:
    """softplus(z) - y z written as (1 - y) softplus(z) + y softplus(-z) (softplus(z) - z = softplus(-z)): two
    terms that are never negative, so nothing cancels. softplus(37) - 37 rounds to 0 where the cost of y = 1 is
    e^-37 = 8.5e-17, and the gradient sigmoid(37) - 1 to 0 where it is -8.5e-17; this form gives both to the last
    digit: dc/dz = (1 - y) sigmoid(z) - y sigmoid(-z). A Tensor takes the fused op ``autograd.sigmoid_cross_entropy``
    (one node, one softplus's work: ln(1 + e^-|z|) + w |z|, as exact); Values and arrays take this form (Values: a
    trace must not branch on the data, and the arrays are read with nn's own activations, the engine's witness)."""
    if isinstance(Z, Tensor):
        return sigmoid_cross_entropy(Z, T)
    return _apply(Z, "softplus") * (1.0 - T) + _apply(-Z, "softplus") * T


def binary_cross_entropy_with_logits(z: Any, target: Any, *, reduction: str = "mean") -> Any:
    """``binary_cross_entropy(z, target, logits=True)`` under PyTorch's name and with its arguments: the mean of
    c = softplus(z) - y z over all entries (stable at z = +-1000);  dc/dz = sigmoid(z) - y. Exact in the tails,
    where PyTorch rounds to 0 (a cost at y = 0, z = -50; a slope at y = 1, z = 37: docs/pytorch.md). At z = +-inf,
    c is the formula's limit (inf, or 0 where y = 1 at +inf and y = 0 at -inf; PyTorch gives NaN there) and
    dc/dz = 1 - y or -y.
    ``reduction`` as there (``"mean"``, ``"sum"``, ``"none"``, or ``"lectures"``: summed over outputs, mean over
    samples).

    >>> binary_cross_entropy_with_logits([0.0, 37.0], [1.0, 1.0], reduction="none")      # ln 2, and e^-37
    array([6.93147181e-01, 8.53304763e-17])
    """
    return binary_cross_entropy(z, target, logits=True, reduction=reduction, _with_logits=True)


def hinge(scores: Any, target: Any) -> Any:
    """micrograd's max-margin loss: 1/N sum_i sum_k max(0, 1 - y_ik s_ik), labels y = -1 or +1.

    >>> hinge([2.0, 0.5, -1.0], [1, 1, 1])     # (0 + 0.5 + 2) / 3
    0.8333333333333334
    """
    try:
        P, Y, T = _pair(scores, target, "hinge")
    except ValueError as e:
        _multiclass_hint(scores, target, e)
        raise
    if not np.isin(Y, (-1.0, 1.0)).all():
        raise ValueError(
            f"hinge: labels must be -1 or +1, got {sorted(set(np.unique(Y).tolist()))[:6]}; "
            "for 0/1 labels pass 2 * y - 1"
        )
    return _mean_total(_apply(P * (-T) + 1.0, "relu"), float(_samples(Y.shape)))


def _multiclass_hint(scores: Any, target: Any, error: ValueError) -> None:
    """Raise ``error`` again with the way to a multiclass SVM, where hinge was given one class label per row of
    K >= 2 scores (CS231n's svm_loss, PyTorch's multi_margin_loss): hinge is the binary loss, +-1 per output."""
    shape, given = np.shape(getattr(scores, "data", scores)), np.shape(getattr(target, "data", target))
    if len(shape) == 2 and shape[1] >= 2 and given == (shape[0],):
        raise ValueError(
            f"{error}. hinge is the binary max-margin loss, a label -1 or +1 per output; for one class label per row "
            "(the multiclass SVM; PyTorch's multi_margin_loss is it divided by K) write the margins on the scores s: "
            "m = np.maximum(0, s - s[np.arange(N), y][:, None] + 1); loss = (m.sum() - N) / N "
            "(each row's own class adds max(0, 1) = 1)"
        ) from None


def _penalised(parameters: Any, who: str) -> list:
    """The parameters a penalty sums over, as a list: a Module gives its parameters(); one node is refused."""
    if hasattr(parameters, "parameters") and callable(parameters.parameters):
        parameters = parameters.parameters()
    if isinstance(parameters, Value | Tensor | str | bytes) or not isinstance(parameters, Iterable) \
            or getattr(parameters, "ndim", None) == 0:
        raise TypeError(f"{who}: parameters must be a list of Values or Tensors (or a Module), got "
                        f"{type(parameters).__name__}; for one parameter p pass [p]")
    return list(parameters)


def _once(params: list, who: str) -> None:
    """Refuse a parameter listed twice: it would count twice in the penalty."""
    seen: dict[int, int] = {}
    for i, p in enumerate(params):
        if seen.setdefault(id(p), i) != i:
            raise ValueError(f"{who}: parameter {i} is parameter {seen[id(p)]} again; listed twice it would count "
                             "twice in the penalty; list each parameter once")


def l2(parameters: Any, lam: float = 1.0) -> Any:
    """The penalty lam * sum_p p^2 over every entry of every parameter (a Module gives its parameters()).
    Its gradient is 2 lam p: SGD's ``weight_decay = 2 lam`` does the same without the graph.

    >>> from autograd import Value
    >>> l2([Value(3.0), Value(4.0)], 0.01).data
    0.25
    """
    lam = checks.real(lam, "l2", "lam", low=0.0)
    params = _penalised(parameters, "l2")
    kinds = {type(p) for p in params}
    if not kinds <= {Value, Tensor}:
        raise TypeError(f"l2: parameters must be Values or Tensors, got {sorted(k.__name__ for k in kinds)}")
    if len(kinds) > 1:
        raise TypeError("l2: the parameters mix Values and Tensors, which live in different graphs; "
                        "give the parameters of one model")
    if not params:
        raise ValueError("l2: no parameters given")
    _once(params, "l2")
    total: Any = None
    for p in params:
        term = p * p if isinstance(p, Value) else (p * p).sum()
        total = term if total is None else total + term
    return total * lam


LOSSES = {f.__name__: f for f in (quadratic, mse, cross_entropy, binary_cross_entropy,
                                  binary_cross_entropy_with_logits, hinge)}


def get(loss: Any, who: str = "nn.losses.get") -> Any:
    """The loss called ``loss``; a function (outputs, targets) -> loss, or an object with such a ``__call__``,
    passes through. A class is refused: calling it makes an instance, not a loss (PyTorch's ``nn.MSELoss`` where
    ``nn.MSELoss()`` was meant ended in numpy's "truth value of an array is ambiguous" from inside its constructor).

    >>> get("mse") is mse
    True
    """
    if isinstance(loss, type):
        raise TypeError(f"{who}: the loss is the class {loss.__name__}, not a function (outputs, targets) -> loss; "
                        f"pass a function such as nn.losses.mse, a name ({', '.join(LOSSES)}), or an instance "
                        f"({loss.__name__}()) if it is called as loss(outputs, targets)")
    if callable(loss):
        return loss
    try:
        return LOSSES[loss]
    except (KeyError, TypeError):
        raise ValueError(f"{who}: unknown loss {loss!r}; known losses: {', '.join(LOSSES)}, "
                         "or a function (outputs, targets) -> loss") from None


def l1(parameters: Any, lam: float = 1.0) -> Any:
    """The penalty lam * sum_p |p| over every entry of every parameter (a Module gives its parameters()): seed
    the MIPT lecture's L1 regulariser Omega(theta) in ERM, 1/N sum_n L(y_n, yhat_n) + lam Omega(theta). Its gradient is
    lam sign(p) (0 at p = 0, the engine's convention for |p|): a constant pull towards 0 that sets small weights
    exactly to 0 where L2's 2 lam p fades as p shrinks.

    >>> from autograd import Value
    >>> l1([Value(3.0), Value(-4.0)], 0.01).data
    0.07
    """
    lam = checks.real(lam, "l1", "lam", low=0.0)
    params = _penalised(parameters, "l1")
    kinds = {type(p) for p in params}
    if not kinds <= {Value, Tensor} or len(kinds) != 1:
        raise TypeError(f"l1: parameters must be Values or Tensors of one model, got "
                        f"{sorted(k.__name__ for k in kinds) or 'none'}")
    _once(params, "l1")
    total: Any = None
    for p in params:
        term = p.abs() if isinstance(p, Value) else p.abs().sum()     # |p|, summed over the entries
        total = term if total is None else total + term
    return total * lam
