"""Tensor functions: the elementwise ops of ``autograd.rules``, clip, and maximum/minimum/where.

Each elementwise op is its rule: the value with numpy, and a vector-Jacobian product that multiplies the
gradient by the rule's local derivative, dL/dx = f'(x) dL/dy, entry by entry. Domain checks come first, so that
a bad input fails with a message naming the op rather than as NaN later.

>>> from autograd import Tensor
>>> x = Tensor([0.0, 1.0], requires_grad=True)
>>> x.tanh().sum().backward(); x.grad            # d tanh/dx = 1 - tanh^2
array([1.        , 0.41997434])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import rules
from ..checks import EXP_MAX, unmasked
from ..graph import mode
from .checks import FLOAT_DTYPES, broadcasting, check_positive, constant, shape_error
from .core import ArrayLike, T, TensorCore, make, operands, pick

_A = rules.ARRAYS
# Largest x with a finite exp(x), per float type: beyond it exp() raises instead of returning inf. Keyed by the
# scalar type, not the dtype: an array of either byte order put in .data directly has the same limit.
_EXP_MAX = {np.float64: EXP_MAX, np.float32: 88.72283}


def _elementwise(rule: rules.Rule, check: Callable[[np.ndarray], None] | None = None) -> Callable[[T], T]:
    """A rule of one argument made a Tensor method: y = f(x), and dL/dx = f'(x) dL/dy (its docstring: the rule)."""
    # (sigmoid, whose value and slope share work, has a method of its own, below)
    value, partials, name = rule.value, rule.partials, rule.name

    def method(self: T) -> T:
        x = self.data
        if check is not None:
            check(x)
        y = value(_A, x)
        return make(y, (self,), lambda g: (g * partials(_A, x, y)[0],), name)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"{rule.formula};  {rule.derivative}, entry by entry."
    return method


# 1 in each dtype, as a 0-d array: numpy adds it to an array for the price of an array, where a Python 1.0 costs
# half as much again (NEP 50's rules for Python scalars) and a numpy scalar as much; its dtype keeps float32 float32.
_ONE = {np.dtype(t): np.ones((), t) for t in (np.float64, np.float32)}


def _sigmoid_arrays(x: np.ndarray) -> tuple[Any, Any, Any]:
    """``rules.SIGMOID.both(ARRAYS, x)`` in fewer numpy calls: y, and e = e^-|x| and t = 1 + e, from which the
    vjp makes sigma' = e / t^2 when backward asks (a Tensor that needs no gradient never pays for it). The same
    numbers bit for bit as the rule, whose select through the backend costs an np.where as dear as two more calls
    (tests/test_rules.py checks it at every x, the tails, +-0, +-inf and NaN included). The Tensor engine's fast
    path for its commonest activation, as the Value engine's ops may inline a rule's float form (DESIGN.md).

    The rule's select, y = where(x < 0, e, 1) / (1 + e), is max(e, sign x) / (1 + e) here: with e = e^-|x| in
    (0, 1], sign x = 1 >= e for x > 0, -1 < e for x < 0, and 0 < e = 1 at x = 0 (NaN stays NaN).
    """
    e = np.exp(_A.neg_abs(x))                          # e = e^-|x| <= 1 (the table's -|x|: one numpy call)
    t = e + _ONE.get(x.dtype, 1.0)                     # 1 + e (another dtype set into .data by hand: a Python 1)
    return np.maximum(e, np.sign(x)) / t, e, t         # y = e^min(x,0) / (1 + e^-|x|)


def _sigmoid(self: T) -> T:
    y, e, t = _sigmoid_arrays(self.data)
    return make(y, (self,), lambda g: (g * (e / (t * t)),), "sigmoid")   # sigma' = e / (1 + e)^2


_sigmoid.__name__ = _sigmoid.__qualname__ = "sigmoid"
_sigmoid.__doc__ = f"{rules.SIGMOID.formula};  {rules.SIGMOID.derivative}, entry by entry."


def _not_a_dtype(name: str) -> bool:
    try:
        np.dtype(name)
    except TypeError:
        return True
    return False


def _exp_in_range(x: np.ndarray) -> None:
    limit = _EXP_MAX.get(x.dtype.type, np.inf)          # another float type: numpy's own overflow rules
    above = x > limit                                   # not x.max(): a NaN entry would hide an inf beside it
    if above.any():
        raise ValueError(
            f"exp: exp({float(x[above].max())!r}) overflows {x.dtype} (largest argument about "
            f"{limit:.2f}); "
            "for log(sum(exp(.))) use logsumexp(), for probabilities softmax(), for 1 / (1 + exp(-z)) sigmoid()"
        )


def _log_domain(x: np.ndarray) -> None:
    check_positive(x, "log", "log (use log_softmax() for the log of probabilities)")


def _sqrt_domain(x: np.ndarray) -> None:
    if x.size and not x.min() >= 0:  # NaN passes on (NaN in, NaN out), as in a Value
        low = np.fmin.reduce(x, axis=None)
        if low < 0:
            raise ValueError(f"sqrt: sqrt needs entries >= 0, got minimum {low!r}")


def _finite(op: str) -> Callable[[np.ndarray], None]:
    def check(x: np.ndarray) -> None:
        if x.size and not np.isfinite(x).all():
            raise ValueError(f"{op}: {op} needs finite entries; a Tensor of shape {x.shape} holds inf or NaN")
    return check


# Each function's domain check, by rule name: the methods below run it, and so does autograd.linear for its
# activation (fused.py), so that act(x W^T + b) refuses what (x @ W.T + b).act() refuses.
DOMAIN_CHECKS: dict[str, Callable[[np.ndarray], None]] = {
    "exp": _exp_in_range, "log": _log_domain, "sqrt": _sqrt_domain, "sin": _finite("sin"), "cos": _finite("cos")}


class Functions:
    """The elementwise functions of a Tensor (a mixin of ``autograd.tensor.Tensor``), one per rule."""

    __slots__ = ()

    exp = _elementwise(rules.EXP, DOMAIN_CHECKS["exp"])
    log = _elementwise(rules.LOG, DOMAIN_CHECKS["log"])
    sqrt = _elementwise(rules.SQRT, DOMAIN_CHECKS["sqrt"])
    tanh = _elementwise(rules.TANH)
    sigmoid = _sigmoid                     # rules.SIGMOID, in fewer numpy calls (see _sigmoid_arrays)
    relu = _elementwise(rules.RELU)
    softplus = _elementwise(rules.SOFTPLUS)
    abs = _elementwise(rules.ABS)
    __abs__ = abs
    sin = _elementwise(rules.SIN, DOMAIN_CHECKS["sin"])
    cos = _elementwise(rules.COS, DOMAIN_CHECKS["cos"])

    def logaddexp(self: T, other: ArrayLike) -> T:
        """``t.logaddexp(other)``: ln(e^t + e^other), entry by entry (``autograd.logaddexp``, PyTorch's name).

        >>> from autograd import Tensor
        >>> Tensor([0.0, -1e17]).logaddexp(0.0).data.tolist()
        [0.6931471805599453, 0.0]
        """
        return logaddexp(self, other)

    # --- the dtype: a cast is the identity on the numbers it keeps -------------------------------------------
    def astype(self: T, dtype: Any) -> T:
        """numpy's ``astype``: the Tensor in another float dtype (np.float64 or np.float32), a new node;
        y = x rounded to the dtype:  dy/dx = 1, so the gradient goes back cast to the Tensor's own dtype.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> y = x.astype(np.float32); y.dtype
        dtype('float32')
        >>> (y * y).sum().backward(); x.grad, x.grad.dtype
        (array([2., 4.]), dtype('float64'))
        """
        try:
            dt = np.dtype(dtype)
        except TypeError:
            dt = None
        if dt not in FLOAT_DTYPES:
            raise TypeError(f"astype: dtype {dtype!r} is not supported; a Tensor holds np.float64 or np.float32 "
                            "(for integers or booleans use t.data.astype(...), a constant)")
        source = self.data.dtype
        return make(self.data.astype(dt), (self,), lambda g: (g.astype(source),), "astype")   # d/dx = 1

    def clone(self: T) -> T:
        """PyTorch's ``clone`` (numpy's ``copy``): the same numbers in a new array, in C order, as a new node whose
        gradient passes as it is (y = x: dy/dx = 1). ``w.clone().detach()`` copies a weight out of the graph.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> y = x.clone(); (y * y).sum().backward(); x.grad, y.data is x.data
        (array([2., 4.]), False)
        """
        return make(np.array(self.data, order="C", copy=True), (self,), lambda g: (g,), "clone")   # d/dx = 1

    def contiguous(self: T) -> T:
        """PyTorch's ``contiguous``: the Tensor itself where its array is in C order already, else ``clone()``
        (a transposed or sliced view). numpy's ops take either layout; this is for code written for PyTorch.

        >>> from autograd import Tensor
        >>> x = Tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> x.contiguous() is x, x.T.contiguous().data.flags.c_contiguous
        (True, True)
        """
        return self if self.data.flags.c_contiguous else self.clone()

    def to(self: T, dtype: Any = None, *, device: str | None = None) -> T:
        """PyTorch's ``to``: ``t.to(np.float32)`` (or ``"float32"``, or ``torch.float32``) is ``astype``;
        ``t.to("cpu")`` is ``t`` itself (numpy arrays live there).

        >>> from autograd import Tensor
        >>> Tensor([1.0]).to("float32").dtype, Tensor([1.0]).to("cpu").dtype
        (dtype('float32'), dtype('float64'))
        """
        if device is not None and str(device).split(":")[0] != "cpu":
            raise ValueError(f"to(): device {device!r} is not available; deltagrad computes on the CPU")
        if type(dtype).__name__ == "device" or isinstance(dtype, str) and _not_a_dtype(dtype):  # t.to("cpu")
            if str(dtype).split(":")[0] != "cpu":
                raise ValueError(f"to(): {str(dtype)!r} is neither a float dtype nor the device 'cpu'; deltagrad "
                                 "computes with numpy on the CPU")
            return self
        if dtype is None:
            return self
        if type(dtype).__module__ == "torch":                             # torch.float32 -> 'float32'
            dtype = str(dtype).replace("torch.", "")
        return self.astype(dtype)

    def clamp(self: T, min: float | None = None, max: float | None = None) -> T:  # noqa: A002 (PyTorch's names)
        """PyTorch's name for ``clip``, with its keywords: ``t.clamp(min=0.0)`` is ``t.clip(0.0, None)``; its
        refusals name clamp, min and max.

        >>> from autograd import Tensor
        >>> Tensor([-1.0, 0.5, 2.0]).clamp(min=0.0, max=1.0).data
        array([0. , 0.5, 1. ])
        """
        return _clip(self, min, max, "clamp", ("min", "max"),
                     above=" (PyTorch's clamp would give max everywhere: give min <= max)")

    def clamp_min(self: T, min: float) -> T:  # noqa: A002 (PyTorch's name)
        """PyTorch's ``clamp_min``: ``t.clamp(min=min)``, the relu of fast.ai's lessons (``x.clamp_min(0.0)``).

        >>> from autograd import Tensor
        >>> Tensor([-1.0, 0.5, 2.0]).clamp_min(0.0).data
        array([0. , 0.5, 2. ])
        """
        if min is None:
            raise TypeError("clamp_min: min is None; give the lower bound, a number: t.clamp_min(0.0)")
        return _clip(self, min, None, "clamp_min", ("min", "max"))

    def clamp_max(self: T, max: float) -> T:  # noqa: A002 (PyTorch's name)
        """PyTorch's ``clamp_max``: ``t.clamp(max=max)``.

        >>> from autograd import Tensor
        >>> Tensor([-1.0, 0.5, 2.0]).clamp_max(1.0).data
        array([-1. ,  0.5,  1. ])
        """
        if max is None:
            raise TypeError("clamp_max: max is None; give the upper bound, a number: t.clamp_max(1.0)")
        return _clip(self, None, max, "clamp_max", ("min", "max"))

    def clip(self: T, lo: float | None = None, hi: float | None = None, *, min: float | None = None,  # noqa: A002
             max: float | None = None) -> T:  # noqa: A002 (numpy's and PyTorch's keywords)
        """Entries below ``lo`` become ``lo``, above ``hi`` become ``hi``; the gradient is 1 on [lo, hi], else 0
        (and 1 at a NaN entry, which clip returns as it is, as maximum(x, lo) and minimum(x, hi) do). The bounds
        may also be given as ``min=`` and ``max=``, numpy 2's and PyTorch's keywords: ``t.clip(min=0.0)``.

        >>> from autograd import Tensor
        >>> x = Tensor([-1.0, 0.5, 2.0], requires_grad=True)
        >>> x.clip(0.0, 1.0).sum().backward(); x.grad
        array([0., 1., 0.])
        """
        if min is None and max is None:
            return _clip(self, lo, hi, "clip", ("lo", "hi"))
        # one spelling per bound, mixed as numpy and PyTorch take them (relu6: x.clip(0.0, max=6.0))
        for position, keyword, name in ((lo, min, "lower"), (hi, max, "upper")):
            if position is not None and keyword is not None:
                raise TypeError(f"clip: the {name} bound given twice, by position ({position!r}) and by keyword "
                                f"({keyword!r}); give it once: t.clip(lo, hi) or t.clip(min=lo, max=hi)")
        return _clip(self, lo if min is None else min, hi if max is None else max, "clip",
                     ("lo" if min is None else "min", "hi" if max is None else "max"))


def _clip(t: Any, lo: Any, hi: Any, op: str, names: tuple[str, str], above: str = "") -> Any:
    """clip (or clamp, PyTorch's name): the op's numbers and gradient, its refusals in the caller's names."""
    if lo is None and hi is None:
        raise ValueError(f"{op}: give {names[0]}, {names[1]} or both")
    x = t.data
    lo, hi = (_bound(c, name, x, op) for c, name in ((lo, names[0]), (hi, names[1])))   # bounds of x's dtype
    for name, c in zip(names, (lo, hi)):
        if c is not None and np.any(np.isnan(c)):  # np.clip would make every entry NaN
            raise ValueError(f"{op}: {name}={c!r} is NaN; a bound must be a number (None for no bound)")
    try:
        if lo is not None and hi is not None and np.any(np.greater(lo, hi)):
            raise ValueError(f"{op}: {names[0]}={lo!r} is above {names[1]}={hi!r}{above}")
        out = np.clip(x, lo, hi)
        # not x >= lo and x <= hi, which are false at NaN: clip returns a NaN entry as it is, so the gradient
        # passes to it, as relu's and maximum's do (a NaN out with a gradient of 0 behind it would hide it)
        inside = np.ones(out.shape, dtype=bool)
        if lo is not None:
            inside &= ~(x < lo)
        if hi is not None:
            inside &= ~(x > hi)
    except ValueError as e:
        if str(e).startswith(f"{op}:"):
            raise
        raise shape_error(op, *(a for a in (x, lo, hi) if a is not None)) from None
    # d/dx = 1 where lo <= x <= hi (ends included, as torch.clamp) and at NaN (passed through), 0 where clipped
    return make(out, (t,), lambda g: (g * inside,), "clip")


def _bound(c: Any, name: str, x: np.ndarray, op: str) -> Any:
    """A bound of clip as a constant of x's dtype. A Tensor gives its numbers (as torch.clamp takes one), unless it
    requires grad: clip's bounds get no gradient, so that gradient would be lost without a word."""
    if c is None:
        return None
    if isinstance(c, TensorCore):
        if c.requires_grad and mode.grad_enabled:
            raise TypeError(f"{op}: {name} is a Tensor that requires grad, but {op} gives its bounds no gradient; "
                            "use maximum(x, lo) and minimum(x, hi), which differentiate towards both operands")
        c = c.data
    return constant(c, x, op)


# --- two or three operands, each a Tensor or a constant ------------------------------------------------------

def _extreme(a: ArrayLike, b: ArrayLike, op: str, wins: Any) -> Any:
    parents, (x, y) = operands((a, b), op)
    out = broadcasting(np.maximum if op == "maximum" else np.minimum, x, y, op)
    # The larger (smaller) operand gets the gradient; at a tie each gets half (as PyTorch). A NaN is what numpy's
    # maximum returns, so it is the one chosen: the gradient goes to it (comparisons with NaN are all false, which
    # gave both operands 0: a NaN output with a gradient of 0 behind it); two NaNs are a tie.
    def vjp(g: np.ndarray) -> tuple:
        x_nan, y_nan = np.isnan(x), np.isnan(y)
        tie = 0.5 * ((x == y) | (x_nan & y_nan))
        return pick((a, b), (g * ((wins(x, y) | (x_nan & ~y_nan)) + tie), g * ((wins(y, x) | (y_nan & ~x_nan)) + tie)))

    return make(out, parents, vjp, op)


_LOGADDEXP = rules.LOGADDEXP.both


def logaddexp(a: ArrayLike, b: ArrayLike) -> Any:
    """ln(e^a + e^b) entry by entry (broadcasting; numpy's and PyTorch's ``logaddexp``), as ``Value.logaddexp``
    computes it: max(a, b) + ln(1 + e^-|a - b|), exact beside a far larger or smaller operand (a + softplus(b - a)
    loses b's digits where a lies far below);  d/da = sigmoid(a - b), d/db = sigmoid(b - a), from the same exp.

    >>> from autograd import Tensor
    >>> a = Tensor([-1e17, 0.0], requires_grad=True)
    >>> y = logaddexp(a, Tensor([-3.0, 0.0])); y.sum().backward()
    >>> y.data.tolist(), a.grad.tolist()
    ([-3.0, 0.6931471805599453], [0.0, 0.5])
    """
    parents, (x, y) = operands((a, b), "logaddexp")
    out, (dx, dy) = broadcasting(lambda u, v: _LOGADDEXP(_A, u, v), x, y, "logaddexp")   # rules.LOGADDEXP
    return make(out, parents, lambda g: pick((a, b), (g * dx, g * dy)), "logaddexp")


def maximum(a: ArrayLike, b: ArrayLike) -> Any:
    """The larger of a and b, entry by entry (broadcasting); the gradient goes to the larger one, half each at ties.

    >>> from autograd import Tensor
    >>> maximum(Tensor([1.0, 5.0]), 2.0)
    Tensor([2., 5.], op='maximum')
    """
    return _extreme(a, b, "maximum", np.greater)


def minimum(a: ArrayLike, b: ArrayLike) -> Any:
    """The smaller of a and b, entry by entry (broadcasting); the gradient goes to the smaller one, half at ties.

    >>> from autograd import Tensor
    >>> minimum(Tensor([1.0, 5.0]), 2.0)
    Tensor([1., 2.], op='minimum')
    """
    return _extreme(a, b, "minimum", np.less)


def where(condition: Any, a: ArrayLike, b: ArrayLike) -> Any:
    """a where ``condition`` is true, else b (broadcasting); each gradient flows to the entries it chose.

    >>> from autograd import Tensor
    >>> x = Tensor([-1.0, 2.0])
    >>> where(x > 0, x, 0.0)
    Tensor([0., 2.], op='where')
    """
    unmasked(condition, "where", "the condition")   # np.asarray would read the entries under the mask
    try:
        c = np.asarray(condition.data if isinstance(condition, TensorCore) else condition)
    except ValueError:  # a ragged list
        raise ValueError(f"where: the condition {condition!r:.60} is a ragged list, not an array") from None
    if c.dtype.kind not in "biuf":  # None, strings, objects: numpy would take each for True
        raise TypeError(
            f"where: the condition must be booleans (or numbers, nonzero for true), got {type(condition).__name__} "
            f"{condition!r:.60}; e.g. where(x > 0, x, 0.0)"
        )
    if c.dtype != bool:
        c = c != 0
    parents, (x, y) = operands((a, b), "where")
    try:
        out = np.where(c, x, y)
    except ValueError:
        raise shape_error("where", c, x, y) from None
    zero = np.zeros((), dtype=out.dtype)
    return make(out, parents, lambda g: pick((a, b), (np.where(c, g, zero), np.where(c, zero, g))), "where")
