"""Tensor arithmetic: + - * / ** and negation, and the in-place updates += -= *= /= of a parameter.

Each op: the result, then its vector-Jacobian product (g is dL/d(out); the vjp returns dL/d(each parent)), with
the derivative from ``autograd.rules``; the partials of ``+ - *`` and negation are the operands themselves, read
directly (the tests check them against the table). The other operand is a Tensor or a constant (a number or an
array, taken in the Tensor's dtype); a constant is no parent and gets no gradient. Gradients may come back in the
broadcast shape: the engine sums them to each parent's shape.

>>> from autograd import Tensor
>>> a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0], requires_grad=True)
>>> (a * b).sum().backward(); a.grad, b.grad     # d/da sum a b = b, d/db = a
(array([3., 4.]), array([1., 2.]))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import graph, rules
from ..checks import overflow
from ..graph import mode
from .backward import versions
from .checks import broadcasting, check_positive, constant, shape_error
from .core import ArrayLike, T, TensorCore, make

_A = rules.ARRAYS
_ndarray = np.ndarray
_np_subtract = np.subtract
_div_partials = rules.DIV.partials
_power_partials = rules.POWER.partials
_power2_partials = rules.POWER2.partials
_exponential_partials = rules.EXPONENTIAL.partials


_TINY = float(np.finfo(np.float32).tiny)  # numbers nearer 0 may be 0 in float32


def _zero_in(b: float, a: np.ndarray) -> bool:
    """Whether the number ``b`` is 0 in the dtype of the array ``a`` (1e-50 is, in float32, where numpy would
    divide by it as by 0, with only a RuntimeWarning)."""
    return b == 0 or (a.dtype.kind == "f" and a.dtype.type(b) == 0)


def _zero_division(op: str, b: Any, a: np.ndarray) -> ZeroDivisionError:
    """The error for a divisor ``b`` of the array ``a`` with zero entries (or a number that is 0 in a's dtype)."""
    if type(b) is float and b != 0:
        return ZeroDivisionError(f"{op}: the divisor {b!r} is 0 in {a.dtype.name}, which holds no number that "
                                 "near 0; divide by a larger number, or compute in float64 (t.astype(np.float64))")
    return ZeroDivisionError(f"{op}: the divisor (shape {np.shape(b)}) has zero entries")


def _fits(op: str, a: Any, b: Any) -> None:
    """The shape error naming ``op`` and both shapes, before any check that would compare entries of a and b
    (numpy's comparison would raise its own bare broadcasting error first)."""
    try:
        np.broadcast_shapes(np.shape(a), np.shape(b))
    except ValueError:
        raise shape_error(op, a, b) from None


def _in_place_error(op: str, t: Any, b: Any) -> ValueError:
    """Why ``t op= b`` could not change t's array in place. numpy raises ValueError for a read-only array (a
    ``np.load(..., mmap_mode="r")`` or broadcast view put in ``.data``) as for shapes that do not broadcast:
    told apart here, after the failure, so that an update that succeeds pays nothing for the check."""
    a = t.data
    if not a.flags.writeable:
        who = f"the Tensor {t.name!r}" if t.name else f"the Tensor of shape {a.shape}"
        name = t.name or "w"
        return ValueError(f"{op}=: {who} holds a read-only array, so it cannot change in place; give it a "
                          f"writable copy first: {name}.data = {name}.data.copy()")
    return ValueError(f"{op}=: an operand of shape {np.shape(b)} does not broadcast to the Tensor's shape "
                      f"{a.shape}, so it cannot change the Tensor in place")


def _square(x: np.ndarray, p: float) -> np.ndarray:
    """x^2 as x x (numpy's own x ** 2), for ``_power``."""
    return x * x


def _power(f: Any, x: Any, p: Any) -> np.ndarray:
    """f(x, p), a power (np.power, ARRAYS.power or ``_square``), refused where finite numbers give a
    result beyond the dtype's range, as ``Value`` refuses it (numpy gives inf, with only a RuntimeWarning). inf
    given stays inf; a derivative that overflows is inf, not refused (as in a Value)."""
    try:
        with np.errstate(over="raise"):
            return broadcasting(f, x, p, "**")
    except FloatingPointError:
        pass
    with np.errstate(over="ignore"):
        y = broadcasting(f, x, p, "**")
    xs, ps = np.broadcast_arrays(x, p)
    beyond = np.isinf(y) & np.isfinite(xs) & np.isfinite(ps)
    if beyond.any():
        i = np.unravel_index(int(np.flatnonzero(beyond)[0]), beyond.shape)
        raise overflow(xs[i], ps[i], y.dtype.name)             # numpy's numbers: float32's shortest digits
    return y


def _in_dtype_of(out: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple:
    """The operands a, b of ``out`` for its vjp, both in out's dtype. Two Tensors of different dtypes give a float64
    result, which numpy computes from both in float64; its partials must be too: 1/b and ln a of the float32 operand
    in float32 put float32 rounding (1e-8) into the float64 operand's gradient (PyTorch computes them in float64).
    Called in the vjp, not in every forward pass."""
    if a.dtype is b.dtype:                              # the common case: one dtype, out's
        return a, b
    return a.astype(out.dtype, copy=False), b.astype(out.dtype, copy=False)


class Arithmetic:
    """The operators of a Tensor (a mixin of ``autograd.tensor.Tensor``)."""

    __slots__ = ()

    # --- + - * / and negation ---------------------------------------------------------------------------------
    def __add__(self: T, other: ArrayLike) -> T:
        """``t + other``, and ``other + t`` (the same sum): y = a + b;  dy/da = 1, dy/db = 1 (a broadcast operand
        gets the sum of the gradients of the entries it was stretched over)."""
        a = self.data
        if isinstance(other, TensorCore):
            try:
                out = a + other.data
            except ValueError:
                raise shape_error("+", a, other.data) from None
            return make(out, (self, other), lambda g: (g, g), "+")           # a + b:  d/da = 1, d/db = 1
        out = broadcasting(np.add, a, constant(other, a, "+"), "+")
        return make(out, (self,), lambda g: (g,), "+")                       # x + c:  d/dx = 1

    __radd__ = __add__

    def __sub__(self: T, other: ArrayLike) -> T:
        """``t - other``: y = a - b;  dy/da = 1, dy/db = -1."""
        a = self.data
        if isinstance(other, TensorCore):
            try:
                out = a - other.data
            except ValueError:
                raise shape_error("-", a, other.data) from None
            return make(out, (self, other), lambda g: (g, -g), "-")          # a - b:  d/da = 1, d/db = -1
        c = other if type(other) is _ndarray and other.dtype is a.dtype else constant(other, a, "-")
        try:
            out = a - c
        except ValueError:
            raise shape_error("-", a, c) from None
        return make(out, (self,), lambda g: (g,), "-")                       # x - c:  d/dx = 1

    def __rsub__(self: T, other: ArrayLike) -> T:
        """``other - t`` for a constant c = ``other``: y = c - x;  dy/dx = -1."""
        a = self.data
        out = broadcasting(np.subtract, constant(other, a, "-"), a, "-")
        return make(out, (self,), lambda g: (-g,), "-")                      # c - x:  d/dx = -1

    def __mul__(self: T, other: ArrayLike) -> T:
        """``t * other``, and ``other * t`` (the same product), entry by entry: y = a b;  dy/da = b, dy/db = a."""
        a = self.data
        if isinstance(other, TensorCore):
            b = other.data
            out = broadcasting(np.multiply, a, b, "*")
            need_a, need_b = self.requires_grad, other.requires_grad
            return make(out, (self, other), lambda g: (                      # a b:  d/da = b, d/db = a
                g * b if need_a else None, g * a if need_b else None), "*")
        c = constant(other, a, "*")
        try:
            out = a * c
        except ValueError:
            raise shape_error("*", a, c) from None
        return make(out, (self,), lambda g: (g * c,), "*")                   # c x:  d/dx = c

    __rmul__ = __mul__

    def __truediv__(self: T, other: ArrayLike) -> T:
        """``t / other``: y = a / b;  dy/da = 1/b, dy/db = -y/b. A divisor with a zero entry raises
        ZeroDivisionError."""
        a = self.data
        o = other if isinstance(other, TensorCore) else None
        b = other.data if o is not None else constant(other, a, "/")
        # a number (the common mean) needs no numpy call unless it is tiny: 1e-50 is 0 in a float32 Tensor's dtype
        if (-_TINY < b < _TINY and _zero_in(b, a)) if type(b) is float else np.any(np.equal(b, 0)):
            raise _zero_division("/", b, a)
        out = broadcasting(np.true_divide, a, b, "/")
        if o is None:
            return make(out, (self,), lambda g: (g / b,), "/")               # x / c:  d/dx = 1/c
        need_a, need_b = self.requires_grad, o.requires_grad

        def vjp(g: np.ndarray) -> tuple:                                     # rules.DIV: 1/b, -y/b
            da, db = _div_partials(_A, *_in_dtype_of(out, a, b), out)
            return (g * da if need_a else None, g * db if need_b else None)

        return make(out, (self, o), vjp, "/")

    def __rtruediv__(self: T, other: ArrayLike) -> T:
        """``other / t`` for a constant c = ``other``: y = c / x;  dy/dx = -y/x. A Tensor with a zero entry raises
        ZeroDivisionError."""
        b = self.data
        if np.any(b == 0):
            raise ZeroDivisionError(f"/: the divisor, a Tensor of shape {b.shape}, has zero entries")
        c = constant(other, b, "/")
        out = broadcasting(np.true_divide, c, b, "/")
        return make(out, (self,), lambda g: (g * _div_partials(_A, c, b, out)[1],), "/")   # c/x:  d/dx = -y/x

    def __neg__(self: T) -> T:
        """``-t``: y = -x;  dy/dx = -1."""
        return make(-self.data, (self,), lambda g: (-g,), "neg")             # -x:  d/dx = -1

    # --- powers -----------------------------------------------------------------------------------------------
    def __pow__(self: T, other: ArrayLike) -> T:
        """``t ** other``: a number, an array or a Tensor exponent. y = x^p:  dy/dx = p x^(p-1); with a Tensor
        exponent also dy/dp = y ln x (which needs x > 0)."""
        x = self.data
        if isinstance(other, TensorCore) and other.requires_grad:
            b = other.data
            _fits("**", x, b)
            check_positive(x, "**", "Tensor ** Tensor (a^b = exp(b ln a)) with a Tensor exponent")
            out = _power(_A.power, x, b)                                  # per entry, as a Value
            need_a = self.requires_grad

            def vjp2(g: np.ndarray) -> tuple:                                # rules.POWER2: b a^(b-1), y ln a
                da, db = _power2_partials(_A, *_in_dtype_of(out, x, b), out)
                return (g * da if need_a else None, g * db)

            return make(out, (self, other), vjp2, "**")
        p = other.data if isinstance(other, TensorCore) else constant(other, x, "**")
        if not (isinstance(p, (int, float)) and p >= 0 and float(p).is_integer()):  # x^2 etc. need no check
            _fits("**", x, p)
            with np.errstate(invalid="ignore"):                       # inf mod 1 is NaN: not whole, as for Value
                fractional = np.mod(p, 1) != 0
            if np.any((x < 0) & fractional):
                raise ValueError(f"**: a negative base to a fractional power is not a real number (exponent {other!r})")
            if np.any((x == 0) & (np.asarray(p) < 0)):
                raise ValueError(f"**: 0 ** {other!r} is undefined (zero to a negative power)")
        if type(p) is int and p == 2:  # the common square, y = x x: its slope is the table's p x^(p-1) = 2 x^1,
            out = _power(_square, x, 2.0)                                  # and x^1 is x exactly (tests check)
            return make(out, (self,), lambda g: (g * (p * x),), "**")
        out = _power(np.power if isinstance(p, (int, float)) else _A.power, x, p)
        return make(out, (self,), lambda g: (g * _power_partials(_A, x, p, out)[0],), "**")   # p x^(p-1)

    def pow(self: T, exponent: ArrayLike) -> T:
        """PyTorch's ``t.pow(p)``, the same as ``t ** p``: y = x^p;  dy/dx = p x^(p-1) (and dy/dp = y ln x for a
        Tensor exponent).

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> x.pow(3).sum().backward(); x.grad
        array([ 3., 12.])
        """
        return self.__pow__(exponent)

    def __rpow__(self: T, base: Any) -> T:
        """``base ** t`` for a constant base c (a number or an array) with positive entries: y = c^x;
        dy/dx = y ln c."""
        x = self.data
        c = np.asarray(constant(base, x, "**"), dtype=x.dtype)
        _fits("**", c, x)
        check_positive(c, "**", "number ** Tensor (c^x = exp(x ln c))")
        out = _power(_A.power, c, x)                                      # an array of exponents
        return make(out, (self,), lambda g: (g * _exponential_partials(_A, c, x, out)[0],), "**")   # y ln c

    # --- augmented assignment: a parameter's update step ------------------------------------------------------
    def _inplace(self: T, other: ArrayLike, op: str, ufunc: np.ufunc) -> T:
        """``w op= other`` for a parameter (a leaf that requires grad): in place inside ``no_grad()``, as in
        PyTorch; outside it, an error (the graph would never see the change). A frozen weight
        (``requires_grad_(False)``) changes in place in any mode, as PyTorch's does: a new Tensor in its place would
        drop out of its model's state_dict. Other Tensors never come here: for them ``h += x`` is ``h = h + x``, a
        new node, and differentiates correctly."""
        if mode.grad_enabled and self.requires_grad:
            raise RuntimeError(
                f"{op}=: {self.name or 'this Tensor'!r} is a leaf that requires grad (a parameter); changing it in "
                f"place would hide the change from the graph. Update parameters inside no_grad(), as in PyTorch "
                f"(with no_grad(): w -= lr * w.grad), or change w.data; in a computation on it (a softmax's "
                f"x -= x.max()), write x = x {op} ...: a new node, and the caller's x stays as it was"
            )
        a = self.data
        if isinstance(other, TensorCore):
            if other.requires_grad and mode.grad_enabled:  # a frozen weight here: other's graph would be dropped
                raise RuntimeError(
                    f"{op}=: {self.name or 'this Tensor'!r} is a frozen weight, changed in place outside the graph, "
                    f"and the operand requires grad: its graph would be dropped (the Tensors it was computed from "
                    f"would get no gradient through it). Write w = w {op} x for a new node, or take x.detach()"
                )
            b = other.data
        else:
            b = constant(other, a, op)
        if op == "/" and (_zero_in(b, a) if type(b) is float else np.any(np.equal(b, 0))):
            raise _zero_division("/=", b, a)
        try:
            ufunc(a, b, out=a)
        except ValueError:
            if type(ufunc) is not np.ufunc and a.flags.writeable:  # ** and @ name their own errors
                raise
            raise _in_place_error(op, self, b) from None
        versions.changed(self)  # a graph made from the old numbers must not be differentiated any more
        return self

    def __iadd__(self: T, other: ArrayLike) -> T:
        """``t += other``: in place for a parameter (inside no_grad()), else ``t = t + other``."""
        return self._inplace(other, "+", np.add) if _weight(self) else self + other

    def __isub__(self: T, other: ArrayLike) -> T:
        """``t -= other``: in place for a parameter (inside no_grad()), else ``t = t - other``."""
        if not _weight(self):
            return self - other
        a = self.data
        if type(other) is _ndarray and other.shape == a.shape and other.dtype is a.dtype and not mode.grad_enabled:
            try:
                np.subtract(a, other, out=a)   # an optimizer's step: nothing to convert, nothing to broadcast
            except ValueError:
                raise _in_place_error("-", self, other) from None
            versions.changed(self)
            return self
        return self._inplace(other, "-", np.subtract)

    def __imul__(self: T, other: ArrayLike) -> T:
        """``t *= other``: in place for a parameter (inside no_grad()), else ``t = t * other``."""
        return self._inplace(other, "*", np.multiply) if _weight(self) else self * other

    def __itruediv__(self: T, other: ArrayLike) -> T:
        """``t /= other``: in place for a parameter (inside no_grad()), else ``t = t / other``."""
        return self._inplace(other, "/", np.true_divide) if _weight(self) else self / other

    def __ipow__(self: T, other: ArrayLike) -> T:
        """``t **= other``: in place for a parameter (inside no_grad()), else ``t = t ** other``."""
        return self._inplace(other, "**", _power_into) if _weight(self) else self ** other

    def __imatmul__(self: T, other: ArrayLike) -> T:
        """``t @= other``: in place for a parameter (inside no_grad(); the product keeps t's shape), else
        ``t = t @ other``."""
        return self._inplace(other, "@", _matmul_into) if _weight(self) else self @ other


def _power_into(a: np.ndarray, p: Any, out: np.ndarray) -> None:
    """``a **= p`` for ``_inplace``: the numbers of ``a ** p`` (its checks of the domain and of overflow, by
    name), written into ``out`` (``a`` itself) only when they all fit."""
    with graph.no_grad():
        y = (_result_class()(a) ** p).data  # type: ignore[operator]
    _write(y, out, "**")


def _matmul_into(a: np.ndarray, b: Any, out: np.ndarray) -> None:
    """``a @= b`` for ``_inplace``: the product, written into ``out`` (``a`` itself) when it has a's shape."""
    with graph.no_grad():
        y = (_result_class()(a) @ b).data  # type: ignore[operator]
    _write(y, out, "@")


def _write(y: np.ndarray, out: np.ndarray, op: str) -> None:
    if y.shape != out.shape:  # numpy's copyto would broadcast a (1, n) product into every row of an (m, n) weight
        raise ValueError(f"{op}=: the result has shape {y.shape}, not the Tensor's shape {out.shape}, so it cannot "
                         "change the Tensor in place")
    np.copyto(out, y, casting="same_kind")


def _result_class() -> type:
    from . import Tensor  # the assembled class (imported here: no import circle)
    return Tensor


def _weight(t: TensorCore) -> bool:
    """A leaf that requires grad (a parameter), or a frozen one: what ``op=`` changes in place."""
    return (t.requires_grad or getattr(t, "_frozen", False)) and not t.parents


def subtract_in_place(tensors: Sequence[TensorCore], deltas: Sequence[Any]) -> None:
    """``t -= delta`` for every pair, in place and counted: an optimizer's step in one call, without a
    ``no_grad()`` block and one ``-=`` per parameter.

    Every ``t`` is a parameter (a leaf that requires grad, or a weight frozen since, as ``-=`` takes them);
    every ``delta`` is what ``t -= delta`` takes (an array
    or a number, taken in t's dtype, broadcasting to t's shape; a Tensor gives its numbers). Nothing is recorded,
    in any mode: the deltas are numbers. As ``w -= delta`` inside ``no_grad()``, each change counts: a graph
    made from the old numbers refuses to differentiate. All or nothing: every pair is checked before any Tensor
    changes, so a bad pair raises with every Tensor as it was.

    >>> from autograd import Tensor
    >>> w, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0], requires_grad=True)
    >>> subtract_in_place([w, b], [np.array([0.5, 0.5]), 1.0]); w.data, b.data
    (array([0.5, 1.5]), array([2.]))
    """
    if len(tensors) != len(deltas):
        raise ValueError(f"subtract_in_place: {len(tensors)} Tensors but {len(deltas)} deltas; give one delta each")
    pairs: list = []
    for t, d in zip(tensors, deltas):
        if not isinstance(t, TensorCore) or (not t.requires_grad or t.parents) and not _weight(t):
            raise TypeError(f"subtract_in_place: item {len(pairs)} is not a parameter (a leaf Tensor that "
                            f"requires grad, or one frozen since): {t!r:.80}; only parameters are changed in "
                            "place")
        a = t.data
        if type(d) is not _ndarray or d.dtype is not a.dtype or d.shape != a.shape or not a.flags.writeable:
            d = _delta_for(t, d)                        # not an optimizer's own delta: converted and checked
        pairs.append((a, d))
    if not pairs:
        return
    try:
        for a, d in pairs:           # all checked: same-kind numbers that broadcast into a writable array
            _np_subtract(a, d, a)
    finally:
        versions.changed(*tensors)   # graphs made from the old numbers must not be differentiated any more


def _delta_for(t: TensorCore, d: Any) -> Any:
    """``d`` as ``t -= d`` takes it (a Tensor's numbers, a constant in t's dtype), refused with the error ``-=``
    gives unless it broadcasts into t's array and that array is writable: checked before any Tensor moves."""
    a = t.data
    if isinstance(d, TensorCore):
        d = d.data
        if not np.can_cast(d.dtype, a.dtype, "same_kind"):    # numpy's -= would refuse it after others moved
            raise TypeError(f"-=: cannot subtract a Tensor of {d.dtype} numbers from the Tensor of shape "
                            f"{a.shape} ({a.dtype}) in place; give {a.dtype} numbers (d.astype(...))")
    else:
        d = constant(d, a, "-")
    try:
        fits = np.broadcast_shapes(np.shape(d), a.shape) == a.shape
    except ValueError:
        fits = False
    if not fits or not a.flags.writeable:
        raise _in_place_error("-", t, d)
    return d
