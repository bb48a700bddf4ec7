"""Value: a scalar node of the recorded graph.

Each op computes its result and, in the same line, the local partial derivative of the result towards each parent.
Both are stored on the new node (no closure per node), and ``backward()`` applies the chain rule

    dL/d(parent) += d(node)/d(parent) * dL/d(node)

to every node in reverse topological order: the sum over paths that the lectures derive.

Every derivative comes from the engine's table, ``autograd.rules``, in its float form. The ops whose partials
are their operands themselves (``+ - *``, negation and ``weighted_sum``: d(ab)/da = b) read them directly,
which the tests check against the table.
"""

from __future__ import annotations

import gc
import math
import numbers
import operator
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

import numpy as np

from . import graph, rules
from .checks import (
    EXP_MAX,
    SYMBOLS,
    compared_with_number,
    constant,
    flag,
    label_text,
    not_a_number,
    outside_domain,
    overflow,
    real,
    stepwise,
    unordered,
    zero_divisor,
)
from .graph import mode

Number = int | float

_new = object.__new__
_INF = math.inf
_F = rules.FLOATS


def _unary(data: float, parent: Value, d: float, op: str) -> Value:
    """A result of one parent, with the local partial d = d(result)/d(parent)."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = op
    out._d0 = d
    out._p1 = None
    if mode.fast:  # the common case: recording, no anomaly checks
        out._p0 = parent
        return out
    return _record_slowly(out, parent, None)


def _binary(data: float, a: Value, b: Value, da: float, db: float, op: str) -> Value:
    """A result of two parents, with the local partials da = d(result)/da and db = d(result)/db."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = op
    out._d0 = da
    out._d1 = db
    if mode.fast:
        out._p0 = a
        out._p1 = b
        return out
    return _record_slowly(out, a, b)


def _record_slowly(out: Value, p0: object, p1: object) -> Value:
    parents = p0 if p1 is _MANY else tuple(p for p in (p0, p1) if p is not None)

    def detail() -> tuple[str, str]:
        shown = ", ".join(repr(p.data) for p in parents[:4]) + (", ..." if len(parents) > 4 else "")
        return f"{out.data}", f", from parent data {shown}" if parents else ""

    if graph.recorded_parents(out, parents, math.isfinite(out.data), detail):
        out._p0, out._p1 = p0, p1
    else:  # no_grad(): the result is a constant as far as the graph knows
        out._p0 = out._p1 = None
    return out


def _apply(rule: rules.Rule, node: Value) -> Value:
    """The rule's value at node.data and its local derivative there, as a new node of one parent."""
    x = node.data
    y = rule.value(_F, x)
    return _unary(y, node, rule.partials(_F, x, y)[0], rule.name)


def _function(rule: rules.Rule) -> Callable[[Value], Value]:
    """A rule with no domain to check, made a Value method (its docstring is the rule's formula)."""
    value, partials, both, name = rule.value, rule.partials, rule.both, rule.name

    def method(self: Value) -> Value:
        x = self.data
        y = value(_F, x)
        return _unary(y, self, partials(_F, x, y)[0], name)

    def joint(self: Value) -> Value:  # value and derivative share work (sigmoid): one call does both
        y, (d,) = both(_F, self.data)
        return _unary(y, self, d, name)

    if both is not None:
        method = joint
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"{rule.formula};  {rule.derivative}."
    return method


def _binary_rule(rule: rules.Rule, a: Value, b: Value) -> Value:
    """The rule's value at (a.data, b.data) and both local derivatives there, as a new node of two parents. A
    power of finite numbers beyond the float range is refused (an overflowing derivative is inf, not refused)."""
    x, z = a.data, b.data
    y = rule.value(_F, x, z)
    if (y == _INF or y == -_INF) and rule is rules.POWER2 and x - x == 0.0 and z - z == 0.0:
        raise overflow(x, z)
    da, db = rule.partials(_F, x, z, y)
    return _binary(y, a, b, da, db, rule.name)


_POWER_VALUE, _POWER_PARTIALS = rules.POWER.value, rules.POWER.partials
_LOGADDEXP = rules.LOGADDEXP.both
_EXPONENTIAL_VALUE, _EXPONENTIAL_PARTIALS = rules.EXPONENTIAL.value, rules.EXPONENTIAL.partials


_NUMPY_OPS: dict = {}  # numpy's ufuncs that are Value ops (filled once Value exists)


class _Many:
    """Marks a node with many parents (weighted_sum): then _p0 holds the tuple of parents and _d0 the partials."""

    __slots__ = ()

    def __reduce__(self) -> str:  # copied or pickled by name: still the one marker that backward() tests with `is`
        return "_MANY"


_MANY = _Many()


def _shell() -> Value:
    """An empty Value, which copy and pickle then fill with a node's slots."""
    return _new(Value)


def _of_values(a: Any) -> bool:
    """An object array (of Values, say) with at least one axis: numpy's object loop calls each entry's own op."""
    return isinstance(a, np.ndarray) and a.dtype == object and a.ndim > 0


def _object_loop(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    """The ufunc run by numpy over Python objects, a Value among them as a 0-d object array."""
    boxed = [np.array(a, dtype=object) if isinstance(a, Value) else a for a in inputs]
    return getattr(ufunc, method)(*boxed, **kwargs)


# What to write instead of a numpy function that is no Value op
_INSTEAD = {
    np.maximum: "x.relu() for np.maximum(x, 0); max(values, key=lambda v: v.data) to choose a Value",
    np.minimum: "-(-x).relu() for np.minimum(x, 0); min(values, key=lambda v: v.data) to choose a Value",
    np.isnan: "math.isnan(x.data)", np.isfinite: "math.isfinite(x.data)", np.isinf: "math.isinf(x.data)",
    np.log1p: "(1 + x).log()", np.expm1: "x.exp() - 1", np.exp2: "2 ** x", np.fabs: "abs(x)",
    np.log2: "x.log() / math.log(2)", np.log10: "x.log() / math.log(10)", np.float_power: "x ** p",
    np.sign: "x.data > 0 (the sign is a step function: its derivative is 0)",
}


def _numbers_with_a_value(ufunc: Any, shape: tuple) -> TypeError:
    """The error for a numpy ufunc of a Value and an array of numbers (numpy would make an object array of Values)."""
    return TypeError(f"np.{ufunc.__name__}: cannot combine a Value with an array of shape {shape}; use a Tensor, or "
                     "make an object array of Values on purpose (np.array(values, dtype=object))")


def _not_a_value_op(ufunc: Any, kwargs: dict) -> TypeError:
    """The error for ``np.f(x)`` of a Value where f is no Value op, or is one but was given keywords."""
    name = f"np.{ufunc.__name__}"
    if ufunc in _NUMPY_OPS:          # np.add(x, 1, where=...): the Value op takes no keywords
        return TypeError(f"{name}: a Value op takes no {', '.join(kwargs)}; write {name}(x, y) without them, or "
                         "the op itself (x + y, x.exp(), ...)")
    instead = _INSTEAD.get(ufunc, "the Value's methods (x.exp(), x.tanh(), x + y, ...)")
    return TypeError(f"{name}: not a Value op, so its result could not be differentiated; use {instead}, or "
                     f"{name} of the numbers (x.data, outside the graph)")


class Value:
    """A scalar that remembers how it was computed, so that ``backward()`` can differentiate it.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x           # y = x^2 + 3x
    >>> y.backward()                # dy/dx = 2x + 3
    >>> y.data, x.grad
    (10.0, 7.0)

    Gradients add up across ``backward()`` calls, as in PyTorch: reset them with ``zero_grad()`` (or
    ``autograd.zero_grad(values)``) before the next step. ``.grad`` of an intermediate node holds the
    gradient from the latest ``backward()`` that went through it.

    ``<``, ``<=``, ``>``, ``>=`` raise a TypeError (a comparison is not differentiable): compare ``.data``.
    ``==`` of two Values is identity, as for any object, so that a Value can be a graph node and a dict key;
    ``x == 0.0``, ``if x:`` and ``float(x)`` raise a TypeError (they would not look at the number, or would leave
    the graph): use ``x.data``. ``f"{x:.3f}"`` formats ``x.data``.
    """

    # Every op but weighted_sum has one or two parents. They live in slots (_p0, _p1, None when absent) beside
    # their local partials (_d0, _d1), not in tuples: a node is then one object, not three, and Python's garbage
    # collector, which runs while a graph is built, has a third as much to look at. A weighted_sum node keeps
    # the tuple of its parents in _p0, the tuple of partials in _d0, and the marker _MANY in _p1.
    __slots__ = ("data", "grad", "op", "_p0", "_p1", "_d0", "_d1", "_label", "_trace", "_scope")

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = real(data, "Value")
        self.grad = 0.0
        self.op = ""
        self._p0 = self._p1 = None
        if type(label) is not str or label:  # a label not a str: label_text names it (a Value has no truth)
            self._label = label_text(label)

    @property
    def parents(self) -> tuple:
        """The nodes this one was computed from (the node protocol; empty for a leaf or a constant)."""
        p0, p1 = self._p0, self._p1
        if p0 is None:
            return ()
        if p1 is _MANY:
            return p0
        return (p0,) if p1 is None else (p0, p1)

    @property
    def partials(self) -> tuple:
        """The local derivative d(self)/d(parent) towards each parent, in the order of ``parents``.

        Settable (one float per parent), so that a test can break a node on purpose and watch a check catch it.
        """
        if self._p0 is None:
            return ()
        if self._p1 is _MANY:
            return self._d0
        return (self._d0,) if self._p1 is None else (self._d0, self._d1)

    @partials.setter
    def partials(self, partials: tuple) -> None:
        if len(partials) != len(self.parents):
            raise ValueError(f"partials: {len(self.parents)} parents need as many partials, got {len(partials)}")
        if self._p1 is _MANY:
            self._d0 = tuple(float(d) for d in partials)
            return
        for slot, partial in zip(("_d0", "_d1"), partials):
            setattr(self, slot, float(partial))

    # --- naming, for drawings and messages --------------------------------------------------------------------
    @property
    def label(self) -> str:
        """An optional name, shown in drawings and error messages."""
        try:
            return self._label
        except AttributeError:
            return ""

    @label.setter
    def label(self, name: str) -> None:
        self._label = label_text(name)

    def __repr__(self) -> str:
        named = f", label={self._label!r}" if self.label else ""
        made = f", op={self.op!r}" if self.op else ""
        grad = self.grad.data if isinstance(self.grad, Value) else self.grad  # a Value after create_graph: its number
        return f"Value(data={self.data:.6g}, grad={grad:.6g}{made}{named})"

    # --- copies and pickles: the graph comes along, ancestors first (graph.node_state), so depth costs no recursion
    def __reduce_ex__(self, protocol: Any) -> tuple:
        return _shell, (), graph.node_state(self, Value.__slots__)

    def __setstate__(self, state: tuple) -> None:
        for name, value in state[1].items():
            setattr(self, name, value)

    def __deepcopy__(self, memo: dict) -> Value:
        """``copy.deepcopy``: the whole graph, ancestors first (so depth costs no recursion), each node once per call.

        >>> import copy
        >>> x = Value(2.0); y = x * x; x2, y2 = copy.deepcopy([x, y])
        >>> y2.backward(); x2.grad, x.grad
        (4.0, 0.0)
        """
        return graph.copy_graph(self, memo, lambda node: _new(Value), lambda node: Value.__slots__)

    def __copy__(self) -> Value:
        """``copy.copy``: a new node with the same parents (``copy.deepcopy`` copies the whole graph)."""
        out = _new(Value)
        for name in Value.__slots__:
            if hasattr(self, name):
                setattr(out, name, getattr(self, name))
        return out

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Value:
        """``np.exp(x)``, ``np.float64(2) * x``: numpy's ufuncs on a Value call the Value's own op. An array of
        several numbers is refused by name (numpy would silently make an object array of Values)."""
        op = _NUMPY_OPS.get(ufunc) if method == "__call__" and not kwargs else None
        if op is None:
            # np.sum(x), np.max(x), np.add.outer(x, y) (ufunc methods), and np.frompyfunc(f, ...) (a ufunc of Python
            # objects): numpy's loop over Python objects, which calls the Value's own ops (or refuses what it lacks)
            if any(_of_values(a) for a in inputs) or all(set(t.replace("->", "")) == {"O"} for t in ufunc.types):
                return _object_loop(ufunc, method, inputs, kwargs)
            if method != "__call__":
                numbers = [a for a in inputs if not isinstance(a, Value) and getattr(a, "shape", ())]
                if numbers:                    # np.multiply.outer(np.ones(2), x): refused, as np.ones(2) * x is
                    raise _numbers_with_a_value(ufunc, numbers[0].shape)
                return _object_loop(ufunc, method, inputs, kwargs)
            raise _not_a_value_op(ufunc, kwargs)
        args = []
        for a in inputs:
            if not isinstance(a, Value):
                shape = getattr(a, "shape", ())
                if shape:
                    if _of_values(a):                  # np.array([a, b]) * x: each entry's own op with x (a_i * x)
                        return _object_loop(ufunc, method, inputs, kwargs)
                    raise _numbers_with_a_value(ufunc, shape)
                # A numpy number as the float it stands for, as x * c takes it: passed on as numpy's own type, a
                # longdouble (whose .item() is itself) went back to numpy, which called this method again, forever
                a = a[()] if isinstance(a, np.ndarray) else a                   # a 0-d array: its one entry
                if not isinstance(a, Value):
                    a = constant(a, SYMBOLS.get(ufunc) or f"np.{ufunc.__name__}")
            args.append(a)
        return op(*args)

    # --- comparisons: a TypeError. == stays identity (as for any object), so that a Value is a graph node and a key.
    __lt__ = __le__ = __gt__ = __ge__ = unordered

    # Against a number, == would answer by identity too: `loss == 0.0` False for good, a branch silently never taken
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        """``a == b`` of two Values: identity (the same node). ``x == 0.0`` is a TypeError: compare ``x.data``."""
        if isinstance(other, Value):
            return self is other
        if isinstance(other, numbers.Number):
            raise compared_with_number("==", other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        """``a != b`` of two Values: not the same node. ``x != 0.0`` is a TypeError: compare ``x.data``."""
        if isinstance(other, Value):
            return self is not other
        if isinstance(other, numbers.Number):
            raise compared_with_number("!=", other)
        return NotImplemented

    # --- a Value is no number to Python: truth and conversions would drop the graph, or answer by identity ---------
    def __bool__(self) -> bool:
        """``if x:`` is a TypeError: test the number, ``if x.data != 0:``."""
        # object's truth is True for every Value, 0.0 too: `if loss:` would always be taken
        raise not_a_number("bool", "if x.data != 0: (or x.data > 0)")

    def __float__(self) -> float:
        """``float(x)`` (and ``math.exp(x)``, which calls it) is a TypeError: use ``x.data``, or ``x.exp()``."""
        # A float would leave the graph: math.exp(x) would make a constant, and x would get no gradient through it
        raise not_a_number("float", "x.data (of an array of Values: np.array([v.data for v in a])), or x.exp(), "
                                    "x.log(), x.tanh() ... to stay in the graph")

    def __int__(self) -> int:
        """``int(x)`` is a TypeError: use ``int(x.data)``."""
        raise not_a_number("int", "int(x.data)")

    def __complex__(self) -> complex:
        """``complex(x)`` is a TypeError: use ``complex(x.data)``."""
        raise not_a_number("complex", "complex(x.data)")

    def __round__(self, ndigits: int | None = None) -> Any:
        """``round(x)`` is a TypeError: use ``round(x.data)``."""
        raise not_a_number("round", "round(x.data)")

    def __trunc__(self) -> int:
        """``math.trunc(x)`` is a TypeError: use ``math.trunc(x.data)``."""
        raise not_a_number("math.trunc", "math.trunc(x.data)")

    def __floor__(self) -> int:
        """``math.floor(x)`` (and ``np.floor`` of an array of Values) is a TypeError: use ``math.floor(x.data)``."""
        raise not_a_number("math.floor", "math.floor(x.data)")

    def __ceil__(self) -> int:
        """``math.ceil(x)`` is a TypeError: use ``math.ceil(x.data)``."""
        raise not_a_number("math.ceil", "math.ceil(x.data)")

    def as_integer_ratio(self) -> tuple[int, int]:
        """A TypeError: ``statistics.mean(values)`` calls it (and failed with "can't convert type 'Value' to
        numerator/denominator"); ``sum(values) / len(values)`` is the mean as a Value."""
        raise TypeError("statistics.mean (and the statistics module's other functions, which call "
                        "as_integer_ratio): a Value is a graph node, not a number; sum(values) / len(values) is the "
                        "mean as a Value, statistics.mean(v.data for v in values) the number")

    # x // c and x % c are steps and jumps: a derivative of 0 (or none at a jump) would stop the gradient unseen
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __divmod__ = __rdivmod__ = stepwise

    def __format__(self, spec: str) -> str:
        """``f"{x:.3f}"`` formats the number ``x.data`` (as PyTorch formats a one-number tensor); ``f"{x}"`` is
        ``str(x)``.

        >>> f"{Value(2.0 / 3.0):.3f}"
        '0.667'
        """
        if not spec:
            return str(self)
        return format(self.data, spec)

    # --- arithmetic: result and local partials side by side -------------------------------------------------------
    # A plain-number operand c is a constant: the result then has one parent.
    def __add__(self, other: Value | Number) -> Value:
        """``x + other`` (and ``other + x``): y = a + b;  dy/da = 1, dy/db = 1."""
        if isinstance(other, Value):
            return _binary(self.data + other.data, self, other, 1.0, 1.0, "+")   # a + b:  d/da = 1, d/db = 1
        c = constant(other, "+")
        out = _unary(self.data + c, self, 1.0, "+")                            # x + c:  d/dx = 1
        out._d1 = ("x+c", c)  # the constant, for autograd.compile (a unary node's _d1 is free)
        return out

    __radd__ = __add__

    def __sub__(self, other: Value | Number) -> Value:
        """``x - other``: y = a - b;  dy/da = 1, dy/db = -1."""
        if isinstance(other, Value):
            return _binary(self.data - other.data, self, other, 1.0, -1.0, "-")  # a - b:  d/da = 1, d/db = -1
        c = constant(other, "-")
        out = _unary(self.data - c, self, 1.0, "-")                            # x - c:  d/dx = 1
        out._d1 = ("x-c", c)  # for autograd.compile
        return out

    def __rsub__(self, other: Number) -> Value:
        """``c - x`` for a number c: y = c - x;  dy/dx = -1."""
        c = constant(other, "-")
        out = _unary(c - self.data, self, -1.0, "-")                           # c - x:  d/dx = -1
        out._d1 = ("c-x", c)  # for autograd.compile
        return out

    def __mul__(self, other: Value | Number) -> Value:
        """``x * other`` (and ``other * x``): y = a b;  dy/da = b, dy/db = a."""
        if isinstance(other, Value):
            a, b = self.data, other.data
            return _binary(a * b, self, other, b, a, "*")                      # a b:  d/da = b, d/db = a
        c = constant(other, "*")
        return _unary(self.data * c, self, c, "*")                             # c x:  d/dx = c

    __rmul__ = __mul__

    def __truediv__(self, other: Value | Number) -> Value:
        """``x / other``: y = a / b;  dy/da = 1/b, dy/db = -y/b (a zero divisor raises ZeroDivisionError)."""
        if isinstance(other, Value):
            if other.data == 0:
                raise zero_divisor(self.data, other.data)
            return _binary_rule(rules.DIV, self, other)
        c = constant(other, "/")
        if c == 0:
            raise zero_divisor(self.data, c)
        out = _unary(self.data / c, self, 1.0 / c, "/")                        # x/c:  d/dx = 1/c (DIV, b = c)
        out._d1 = ("x/c", c)  # for autograd.compile
        return out

    def __rtruediv__(self, other: Number) -> Value:
        """``c / x`` for a number c: y = c / x;  dy/dx = -y/x."""
        c, x = constant(other, "/"), self.data
        if x == 0:
            raise zero_divisor(c, x)
        y = c / x
        out = _unary(y, self, rules.DIV.partials(_F, c, x, y)[1], "/")        # c/x:  d/dx = -y/x
        out._d1 = ("c/x", c)  # for backward(create_graph=True): a unary node's _d1 is free
        return out

    def __neg__(self) -> Value:
        """``-x``: y = -x;  dy/dx = -1."""
        return _unary(-self.data, self, -1.0, "neg")                           # -x:  d/dx = -1

    def __pos__(self) -> Value:
        """``+x`` is x itself, as for a float (no new node).

        >>> x = Value(2.0); +x is x
        True
        """
        return self

    def conjugate(self) -> Value:
        """The complex conjugate of a real number: x itself, as ``float.conjugate``. numpy's ``np.var``, ``np.std``,
        ``np.vdot`` and ``np.linalg.norm(a, axis=...)`` call it on each entry of an array of Values.

        >>> a = np.array([Value(1.0), Value(3.0)]); v = np.var(a); v.backward()    # mean of (a_i - 2)^2
        >>> v.data, [x.grad for x in a]                                             # d/da_i = (a_i - 2)
        (1.0, [-1.0, 1.0])
        """
        return self

    def __pow__(self, other: Value | Number) -> Value:
        """``x ** p``: y = x^p;  dy/dx = p x^(p-1); with a Value exponent (x > 0) also dy/dp = y ln x."""
        if not isinstance(other, Value):
            return self._power(constant(other, "**"))
        if self.data <= 0:
            raise outside_domain("Value ** Value", self.data)
        return _binary_rule(rules.POWER2, self, other)

    def _power(self, p: float) -> Value:
        x = self.data
        if x < 0 and not p.is_integer():
            raise outside_domain("fractional power", x, p)
        if x == 0 and p < 0:
            raise outside_domain("zero to a negative power", x, p)
        y = _POWER_VALUE(_F, x, p)
        if (y == _INF or y == -_INF) and x - x == 0.0 and p - p == 0.0:      # finite numbers, beyond the range
            raise overflow(x, p)
        (d,) = _POWER_PARTIALS(_F, x, p, y)                                    # x^p:  d/dx = p x^(p-1)
        out = _unary(y, self, d, "**")
        out._d1 = ("x**p", p)  # for backward(create_graph=True)
        return out

    def pow(self, exponent: Value | Number) -> Value:
        """PyTorch's ``x.pow(p)``, the same as ``x ** p``: y = x^p;  dy/dx = p x^(p-1).

        >>> x = Value(2.0); y = x.pow(3); y.backward(); y.data, x.grad
        (8.0, 12.0)
        """
        return self.__pow__(exponent)

    def __rpow__(self, other: Number) -> Value:
        """``c ** x`` for a number c > 0: y = c^x;  dy/dx = y ln c."""
        c = constant(other, "**")
        if c <= 0:
            raise ValueError(f"**: {c!r} ** Value needs a positive base (c^x = exp(x ln c))")
        y = _EXPONENTIAL_VALUE(_F, c, self.data)
        if (y == _INF or y == -_INF) and c - c == 0.0 and self.data - self.data == 0.0:
            raise overflow(c, self.data)
        out = _unary(y, self, _EXPONENTIAL_PARTIALS(_F, c, self.data, y)[0], "**")   # c^x:  d/dx = y ln c
        out._d1 = ("c**x", c)  # for backward(create_graph=True)
        return out

    # --- functions: each is its rule of autograd.rules (value, then local derivative), made a method ---------------
    def exp(self) -> Value:
        """y = e^x;  dy/dx = e^x = y."""
        if self.data > EXP_MAX:
            raise outside_domain("exp", self.data)
        return _apply(rules.EXP, self)

    def log(self) -> Value:
        """y = ln x;  dy/dx = 1/x (for x > 0)."""
        if self.data <= 0:
            raise outside_domain("log", self.data)
        return _apply(rules.LOG, self)

    def sqrt(self) -> Value:
        """y = sqrt x;  dy/dx = 1 / (2 sqrt x) = 1/(2y) (inf at 0); sqrt needs x >= 0."""
        if self.data < 0:
            raise outside_domain("sqrt", self.data)
        return _apply(rules.SQRT, self)

    def sin(self) -> Value:
        """y = sin x;  dy/dx = cos x."""
        if not math.isfinite(self.data):  # Python would say only "math domain error"
            raise outside_domain("sin", self.data)
        return _apply(rules.SIN, self)

    def cos(self) -> Value:
        """y = cos x;  dy/dx = -sin x."""
        if not math.isfinite(self.data):
            raise outside_domain("cos", self.data)
        return _apply(rules.COS, self)

    tanh = _function(rules.TANH)
    sigmoid = _function(rules.SIGMOID)

    def relu(self) -> Value:
        """y = max(0, x);  dy/dx = 1 for x > 0, 0 for x <= 0 (0 at the kink, as PyTorch)."""
        # rules.RELU, inlined: micrograd's networks make one relu per neuron per sample, and the two calls into the
        # table cost as much as the rest of the op. tests/test_rules.py checks that it records the table's numbers.
        # _unary inlined too, and 0.0 not 0: Python compares two floats on its fast path.
        x = self.data
        out = _new(Value)
        if x <= 0.0:
            out.data = 0.0 if x else x                       # -0.0 stays -0.0, as numpy's and PyTorch's relu
            out._d0 = 0.0
        else:
            out.data = x
            out._d0 = 1.0                                    # NaN passes through, with derivative 1 (as the table)
        out.grad = 0.0
        out.op = "relu"
        out._p1 = None
        if mode.fast:
            out._p0 = self
            return out
        return _record_slowly(out, self, None)
    softplus = _function(rules.SOFTPLUS)

    def logaddexp(self, other: Value | Number) -> Value:
        """ln(e^x + e^other) (PyTorch's and numpy's ``logaddexp``) = max + ln(1 + e^-|x - other|), exact beside a
        far larger or smaller operand;  d/dx = sigmoid(x - other), d/d other = sigmoid(other - x).

        >>> a, b = Value(-1e17), Value(-3.0)
        >>> y = a.logaddexp(b); y.backward(); y.data, a.grad, b.grad
        (-3.0, 0.0, 1.0)
        """
        b = other if isinstance(other, Value) else Value(constant(other, "logaddexp"))
        y, (da, db) = _LOGADDEXP(_F, self.data, b.data)
        return _binary(y, self, b, da, db, "logaddexp")
    abs = _function(rules.ABS)
    __abs__ = abs

    # --- differentiation ------------------------------------------------------------------------------------------
    def backward(self, grad: float = 1.0, create_graph: bool = False, *, gradient: float | None = None,
                 retain_graph: bool | None = None) -> None:
        """Add d(self)/d(node) * ``grad`` to the ``.grad`` of every node this Value was computed from.

        ``gradient=`` is PyTorch's name for ``grad``; ``retain_graph`` is accepted and changes nothing (the graph
        stays while you hold this Value).
        A Value made by an op inside ``no_grad()`` recorded no parents: its ``backward()`` raises RuntimeError
        rather than leave every input's gradient at 0.

        >>> a = Value(3.0); b = a * a + a    # a used three times: the contributions add up
        >>> b.backward(); a.grad             # d/da (a^2 + a) = 2a + 1
        7.0

        With ``create_graph=True`` the backward pass is itself recorded: each leaf's ``.grad`` becomes a Value (a
        plain float where the derivative is a constant) that can be differentiated again; an intermediate node's
        ``.grad`` is its number (as a Value it would hold the node in a reference cycle; ``autograd.grad`` gives it
        as a Value). Like PyTorch's, a leaf's Value gradient reads the leaf: ``zero_grad()`` before the next step.

        >>> x = Value(2.0); y = x ** 3
        >>> y.backward(create_graph=True); dx = x.grad          # 3 x^2, a Value
        >>> x.zero_grad(); dx.backward(); dx.data, x.grad        # d/dx 3 x^2 = 6 x
        (12.0, 12.0)
        """
        if gradient is not None:
            if grad != 1.0:
                raise TypeError("backward(): give the seed once, as grad= or as gradient= (PyTorch's name), not both")
            grad = gradient
        if create_graph is not False and create_graph is not True:     # "False" would record the backward pass
            create_graph = flag(create_graph, "backward()", "create_graph")
        if retain_graph is not None and retain_graph is not True and retain_graph is not False:
            flag(retain_graph, "backward()", "retain_graph")
        if type(grad) is not float and not (create_graph and isinstance(grad, Value)):   # a Value seed: a graph's
            grad = real(grad, "backward", "the seed grad")
        if mode.anomaly and not math.isfinite(grad.data if isinstance(grad, Value) else grad):
            raise FloatingPointError(f"backward: the seed grad is {grad} (detect_anomaly is on); start from 1.0")
        if self._p0 is None and self.op:  # made by an op, yet no parents: inside no_grad(), or of numbers only
            # backward() would seed this node alone and every input would keep its gradient 0 silently
            raise RuntimeError(
                f"backward(): this Value was made by the {self.op!r} op but recorded no parents, so there is nothing "
                "to differentiate: it was computed inside no_grad() (or from plain numbers only). Compute the loss "
                "outside no_grad(), from the Values you want gradients for"
            )
        # A leaf's .grad set to None (PyTorch's way to reset it) or to text fails inside the sums: say which node
        try:  # (free in Python 3.11: a try costs nothing until something is raised)
            if create_graph:
                return _backward_with_graph(self, grad)
            order = value_topological_order(self, leaves=False)
            # Intermediate nodes describe this backward pass only: clear what an earlier pass left in them,
            # so that leaves accumulate exactly one gradient per call.
            for node in order:
                node.grad = 0.0
            if mode.anomaly:
                return _backward_checked(order, self, grad)
            self.grad += grad
            # The chain rule, summed over paths: dL/dp += d(node)/dp * dL/d(node) for each parent p of each node.
            for node in reversed(order):
                p0 = node._p0
                g = node.grad
                p1 = node._p1
                if p1 is None:                                               # one parent
                    p0.grad += node._d0 * g
                elif p1 is _MANY:                                            # weighted_sum: many parents
                    if g == 0.0 and -_INF < node.data < _INF:
                        # Nothing to pass back (a dead ReLU or hinge above it), exactly: a finite sum has finite
                        # operands, so its partials are finite and every contribution partial * 0 would be +-0.
                        continue
                    for parent, partial in zip(p0, node._d0):
                        parent.grad += partial * g
                else:                                                        # two parents
                    p0.grad += node._d0 * g
                    p1.grad += node._d1 * g
        except TypeError as error:
            odd = _grad_not_a_number(self)
            if odd is None:
                raise
            raise odd from error

    def zero_grad(self) -> None:
        """Set ``.grad`` back to 0.0."""
        self.grad = 0.0


def value_topological_order(root: Value, leaves: bool = True) -> list:
    """``graph.topological_order`` specialised for Value: the same list, in the same order, found faster.

    It reads a node's parents from its slots (``_p0``, ``_p1``) instead of building the ``parents`` tuple, and
    places a leaf as soon as it is seen instead of pushing it on the stack. ``graph.topological_order`` stays the
    generic walk, for Tensors and drawings; ``Value.backward`` uses this one with ``leaves=False``: the computed
    nodes only, in the same relative order, since a leaf has nothing to pass back; it places a weighted_sum whose
    parents were all met, and an activation over it, without going below them (in micrograd's demo step, most
    neurons).

    >>> a = Value(1.0); b = a * 2; c = b + a
    >>> value_topological_order(c) == graph.topological_order(c)
    True
    >>> value_topological_order(c, leaves=False) == [b, c]
    True
    """
    paused = gc.isenabled()  # the walk makes no cycles: keep the collector from scanning the graph (as graph.py)
    if paused:
        gc.disable()
    try:
        p0, p1 = root._p0, root._p1
        if p0 is None:
            return [root] if leaves else []
        order: list = []
        place = order.append
        seen = {root}
        see = seen.add
        # The node being walked and an iterator over its parents not yet looked at are locals; the stack holds the
        # nodes below which the walk has gone, each with its iterator, to come back to (no stack[-1] read per turn).
        node = root
        parents = iter(p0 if p1 is _MANY else (p0,) if p1 is None else (p0, p1))
        stack: list = []
        push, pop = stack.append, stack.pop
        # Two loops, not one testing `leaves` at each edge (a test more per edge for both walks).
        if leaves:
            while True:
                for parent in parents:
                    if parent not in seen:
                        see(parent)
                        p0 = parent._p0
                        if p0 is None:                                  # a leaf: placed at once
                            place(parent)
                            continue
                        push((node, parents))                           # go below this parent, then come back
                        node = parent
                        p1 = parent._p1
                        parents = iter(p0 if p1 is _MANY else (p0,) if p1 is None else (p0, p1))
                        break
                else:                                                   # all parents placed: the node follows
                    place(node)
                    if not stack:
                        return order
                    node, parents = pop()
        # Without leaves, a weighted_sum whose parents were all met is placed at once, without going below it: no
        # iterator, no push and pop. In a network most are: a neuron reads the layer's inputs, which the layer's
        # first neuron met, and weights met at the first sample. Leaves go into `seen` too, so that one C-level
        # test (seen.issuperset) answers for all its parents. An activation over such a sum (relu(z)) is placed
        # with it, the sum first. The order is the one going below each node gives. (The same test for one- and
        # two-parent nodes cost a tree of a * b + a 1.5x its walk, for nothing in a network: not made.)
        covers = seen.issuperset
        while True:
            for parent in parents:
                if parent not in seen:
                    see(parent)
                    p0 = parent._p0
                    if p0 is None:                                      # a leaf: nothing to place
                        continue
                    p1 = parent._p1
                    if p1 is _MANY:
                        if covers(p0):
                            place(parent)
                            continue
                        below = iter(p0)
                    elif p1 is None:
                        if p0._p1 is _MANY and p0 not in seen and covers(p0._p0):   # z not met, its parents all met
                            see(p0)
                            place(p0)
                            place(parent)
                            continue
                        below = iter((p0,))
                    else:
                        below = iter((p0, p1))
                    push((node, parents))                               # go below this parent, then come back
                    node = parent
                    parents = below
                    break
            else:
                place(node)
                if not stack:
                    return order
                node, parents = pop()
    finally:
        if paused:
            gc.enable()


def _grad_not_a_number(root: Value) -> TypeError | None:
    """The error for a node of ``root``'s graph whose ``.grad`` is not a number (None, text, a list), met when
    ``backward()`` adds into it; None when every ``.grad`` is a number (the TypeError came from elsewhere)."""
    for node in graph.topological_order(root):
        g = node.grad
        if not isinstance(g, (numbers.Real, Value)) or isinstance(g, bool):
            return TypeError(
                f"backward(): the {graph.describe(node)} (data {node.data!r}) has .grad = {g!r}, not a number, so "
                "its gradient cannot be added to it (gradients accumulate, as in PyTorch). Reset it with "
                "zero_grad() (a Value's gradient is 0.0, never None); gradients already added by this call stay"
            )
    return None


def _contribution_anomaly(node: Value, i: int, partial: float, g: float) -> FloatingPointError:
    """The error for ``partial * g``, the gradient ``node`` hands its parent number ``i``, when it is NaN or inf."""
    parent = node.parents[i]
    return graph.backward_anomaly(
        node, i, partial * g, f" ({graph.describe(parent)}, data {parent.data!r}): the node's local "
        f"derivative {partial!r} times the gradient {g!r} that reached it"
    )


def _backward_checked(order: list, root: Value, grad: float) -> None:
    """The same sweep as ``Value.backward``, stopping at the first NaN or inf gradient with its birthplace."""
    _add_checked(root, grad)                                  # a leaf seeded again may overflow its own sum
    for node in reversed(order):
        g = node.grad
        for i, (parent, partial) in enumerate(zip(node.parents, node.partials)):
            contribution = partial * g
            if not math.isfinite(contribution):
                raise _contribution_anomaly(node, i, partial, g)
            _add_checked(parent, contribution)


def _add_checked(node: Value, contribution: float) -> None:
    """``node.grad += contribution``, raising where finite parts add up to inf (born in backward()'s own sum). A
    leaf's ``.grad`` may be a Value that ``backward(create_graph=True)`` left: its number is what is checked."""
    earlier = node.grad
    before = earlier.data if isinstance(earlier, Value) else earlier
    if not math.isfinite(before + contribution) and math.isfinite(before):
        raise graph.accumulation_anomaly(node, before + contribution)
    node.grad = earlier + contribution


def weighted_sum(weights: Sequence[Value | Number], inputs: Sequence[Value | Number],
                 bias: Value | Number = 0.0) -> Value:
    """z = b + sum_i w_i x_i as one node: a neuron's weighted input, with dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1.

    The same number as ``b + w[0] * x[0] + w[1] * x[1] + ...``, but one node instead of two per term: less to
    build, walk and collect, and one box per neuron in a drawing. Weights, inputs and bias may each be Values or
    plain numbers (a number is a constant, not a parent). Weights and inputs are lists (or tuples, arrays), in the
    order of the terms: a set is a TypeError (its order is its own, and changes from run to run), and so is a dict
    (it gives its keys). Its rule is ``rules.WEIGHTED_SUM``; the partials are the operands themselves, read here
    directly.

    >>> w, x = [Value(2.0), Value(-1.0)], [Value(3.0), 4.0]
    >>> z = weighted_sum(w, x, bias=Value(0.5))      # 0.5 + 2*3 + (-1)*4
    >>> z.backward(); z.data, w[0].grad, x[0].grad, w[1].grad
    (2.5, 3.0, 2.0, 4.0)
    """
    if type(weights) is not list or type(inputs) is not list:   # a neuron's call (two lists) skips this test
        _refuse_unordered(weights, inputs)
    try:
        mismatch = len(weights) != len(inputs)
    except TypeError:
        odd = inputs if hasattr(weights, "__len__") else weights
        raise TypeError(
            f"weighted_sum: weights and inputs must be lists (or tuples, arrays) of Values or numbers, "
            f"got {type(odd).__name__}; wrap a generator in list(...)"
        ) from None
    if mismatch:
        raise ValueError(f"weighted_sum: {len(weights)} weights for {len(inputs)} inputs; give one weight per input")
    if isinstance(bias, Value):
        total = bias.data
        parents = [bias]
        partials = [1.0]                                                    # dz/db = 1
        mixed = False     # some operand a number (a flag set where one is met: two len() calls a neuron fewer)
    else:
        total = constant(bias, "weighted_sum")
        parents = []
        partials = []
        mixed = True
    for w, x in zip(weights, inputs):
        # A neuron's case, both operands Values, is the hot path: Python 3.11 runs type(w) is Value inline, where
        # isinstance calls into C (2-3% of this op); a subclass of Value takes the isinstance tests after it.
        if type(w) is Value and type(x) is Value or isinstance(w, Value) and isinstance(x, Value):
            wd = w.data
            xd = x.data
            parents.append(w)
            partials.append(xd)                                         # dz/dw_i = x_i
            parents.append(x)
            partials.append(wd)                                         # dz/dx_i = w_i
        elif isinstance(w, Value):
            wd = w.data
            xd = constant(x, "weighted_sum")
            parents.append(w)
            partials.append(xd)                                         # dz/dw_i = x_i
            mixed = True
        else:
            wd = constant(w, "weighted_sum")
            mixed = True
            if isinstance(x, Value):
                xd = x.data
                parents.append(x)
                partials.append(wd)                                     # dz/dx_i = w_i
            else:
                xd = constant(x, "weighted_sum")
        total += wd * xd
    out = _new(Value)
    out.data = total
    out.grad = 0.0
    out.op = "weighted_sum"
    out._d0 = tuple(partials)
    if not parents:  # only numbers: a constant
        out._p0 = out._p1 = None
        return out
    if mixed:  # some operand a number: record which operand is whose partial (for
        # create_graph and compile; a neuron of Values is read from its parents). As tuples: the caller's list or
        # array (a row of X, a buffer refilled for the next sample) may change in place before the backward pass,
        # which must see the numbers this sum was computed from
        out._d1 = (tuple(weights), tuple(inputs), bias)
    if mode.fast:
        out._p0, out._p1 = tuple(parents), _MANY
        return out
    return _record_slowly(out, tuple(parents), _MANY)


def _refuse_unordered(weights: Any, inputs: Any) -> None:
    """A set or a dict as weighted_sum's weights or inputs is a TypeError: a set iterates in an order of its own
    (of the ids of Values, which change from run to run: a sum in another order, and the gradients with it,
    silently), and a dict over its keys."""
    for name, operand in (("weights", weights), ("inputs", inputs)):
        if isinstance(operand, AbstractSet | Mapping):
            kind = "a dict, which iterates over its keys" if isinstance(operand, Mapping) else (
                "a set, whose order is its own and may change from run to run")
            raise TypeError(f"weighted_sum: the {name} are {kind} ({type(operand).__name__}); pass a list in the "
                            "order of the terms (a list or a tuple, as for the other operand)")


# --- the backward pass as a graph: backward(create_graph=True) and autograd.grad ---------------------------------
# The default sweep above multiplies stored floats. Here each local partial is rebuilt from the node's op with the
# rules' NODES backend (a Value computed from the parents and the node itself), so every product and sum of the
# chain rule is a recorded op: the gradient is a graph, and differentiating it gives second derivatives.

_N = rules.NODES
_TWO_PARENTS = {"+": rules.ADD, "-": rules.SUB, "*": rules.MUL, "/": rules.DIV, "**": rules.POWER2,
                "logaddexp": rules.LOGADDEXP}


def partials_as_nodes(node: Value) -> tuple:
    """The local partials d(node)/d(parent) as Values (or floats where a partial is a constant), in the order of
    ``node.parents``: the same numbers as ``node.partials``, but differentiable.

    >>> x = Value(0.5); y = x.tanh()
    >>> (d,) = partials_as_nodes(y)            # 1 - y^2 (as 4 e / (1 + e)^2, e = e^-2|x|, beyond |x| = 1/2)
    >>> abs(d.data - y.partials[0]) < 1e-15
    True
    """
    op, p0, p1 = node.op, node._p0, node._p1
    if p0 is None:
        return ()
    if p1 is _MANY:
        return _weighted_sum_partials(node)
    if p1 is not None:                                                   # two parents: the rule of the op
        rule = _TWO_PARENTS.get(op)
        if rule is rules.POWER2:                                         # a^b: b a^(b-1), differentiable at b = 0
            return rules.power2_slope_as_nodes(p0, p1, node), rules.power2_log_slope_as_nodes(p0, p1, node)   # y ln a
        if rule is not None:
            return rule.partials(_N, p0, p1, node)
    else:
        rule = rules.FUNCTIONS.get(op)
        if rule is not None:                                             # exp, tanh, ...: f'(x) from x and y
            return rule.partials(_N, p0, node)
        if op in ("+", "-", "*"):                                        # x + c, x - c, c - x, c x: a constant
            return (node._d0,)
        if op in ("/", "**"):
            kind = getattr(node, "_d1", None)
            if op == "/" and (kind is None or kind[0] == "x/c"):          # x / c: 1/c, a constant
                return (node._d0,)
            name, c = kind if isinstance(kind, tuple) else ("", 0.0)
            if name == "c/x":
                return (rules.DIV.partials(_N, c, p0, node)[1],)         # -y/x
            if name == "x**p":
                return (0.0,) if c == 0 else rules.POWER.partials(_N, p0, c, node)   # p x^(p-1)
            if name == "c**x":
                return rules.EXPONENTIAL.partials(_N, c, p0, node)       # y ln c
    raise TypeError(
        f"backward(create_graph=True): the {op!r} node (parents {[graph.describe(p) for p in node.parents]}) was "
        "not made by a Value op, so its partials cannot be rebuilt as a graph; build it from Value ops"
    )


def weighted_sum_terms(weights: Sequence, inputs: Sequence, bias: Any, d_w: Sequence, d_x: Sequence,
                       d_b: Any) -> tuple[list, list]:
    """A weighted_sum node's parents and the partial towards each, in the order the node records them: b (when it
    is a Value), then w_i and x_i for each i, each when it is a Value. ``d_w``, ``d_x``, ``d_b`` are the rule's
    partials (``rules.WEIGHTED_SUM``) in whatever form the caller needs: numbers, nodes or code."""
    parents: list = []
    partials: list = []
    if isinstance(bias, Value):
        parents.append(bias)
        partials.append(d_b)
    for w, x, dw, dx in zip(weights, inputs, d_w, d_x):
        if isinstance(w, Value):
            parents.append(w)
            partials.append(dw)
        if isinstance(x, Value):
            parents.append(x)
            partials.append(dx)
    return parents, partials


def weighted_sum_operands(node: Value) -> tuple:
    """(weights, inputs, bias) of a weighted_sum node. A node whose operands were all Values keeps only its
    parents (b, w_0, x_0, w_1, x_1, ...: one object fewer per neuron for the garbage collector to walk), and they
    are read back from them; otherwise the node recorded the lists it was given.

    >>> w, x, b = [Value(2.0)], [Value(3.0)], Value(0.5)
    >>> weighted_sum_operands(weighted_sum(w, x, b)) == ((w[0],), (x[0],), b)
    True
    """
    operands = getattr(node, "_d1", None)
    if operands is not None:
        return operands
    p0 = node._p0
    return p0[1::2], p0[2::2], p0[0]


def _weighted_sum_partials(node: Value) -> tuple:
    """dz/db = 1, dz/dw_i = x_i, dz/dx_i = w_i (each a node or a constant), in the order of the parents."""
    weights, inputs, bias = weighted_sum_operands(node)
    d_w, d_x, d_b = rules.WEIGHTED_SUM.partials(_N, weights, inputs, bias, node)
    parents, partials = weighted_sum_terms(weights, inputs, bias, d_w, d_x, d_b)
    if len(parents) != len(node._p0) or any(p is not q for p, q in zip(parents, node._p0)):
        raise RuntimeError(
            "backward(create_graph=True): the lists of weights or inputs given to a weighted_sum were changed "
            "after it was computed, so its partials cannot be rebuilt; pass fresh lists (or tuples) to weighted_sum"
        )
    return tuple(partials)


class _Roots:
    """A stand-in node whose parents are several outputs, so that one topological order covers them all."""

    __slots__ = ("parents",)

    def __init__(self, roots: Sequence) -> None:
        self.parents = tuple(roots)


def gradients(roots: Sequence[Value], seeds: Sequence[Any], create_graph: bool) -> dict:
    """dL/d(node) for every node the roots depend on, where L = sum_k seeds[k] * roots[k], as a dict keyed by node
    (a node no root reaches is absent). Floats when ``create_graph`` is False; else Values (or floats where the
    derivative is a constant), recorded even inside ``no_grad()``. No ``.grad`` is touched.

    >>> x = Value(3.0); y = x * x
    >>> gradients([y], [1.0], create_graph=False)[x]
    6.0
    """
    order = graph.topological_order(_Roots(roots))
    order.pop()                                                          # the stand-in
    grads: dict = {}
    for root, seed in zip(roots, seeds):
        grads[root] = grads[root] + seed if root in grads else seed
    if not create_graph:
        if not mode.fast and mode.anomaly:                              # once a call: the plain sweep stays as it was
            _sweep_checked(order, grads)
            return grads
        get = grads.get
        for node in reversed(order):
            g = get(node)
            if g is None or node._p0 is None:
                continue
            for parent, partial in zip(node.parents, node.partials):
                grads[parent] = get(parent, 0.0) + partial * g
        return grads
    kept = _as_floats(order)
    try:
        with graph.recording():                                              # create_graph records, as in PyTorch
            _graph_sweep(order, grads)
    finally:
        _put_back(kept)
    return grads


def _as_floats(order: list) -> list:
    """Every node's ``.data`` as a Python float, as ``Value(x)`` makes it, for the graph sweep; returns (node, its
    own data) for each node changed, for ``_put_back``. A number set by hand (``v.data = X[0]``, a numpy scalar;
    ``v.data = 3``) passed through the forward ops as it was, and the graph sweep's rules tell a Value's float from
    a Tensor's array by ``type(x) is float``: np.float64 data took the arrays' side and failed (a ** b at
    a = 1e-300: TypeError; x ** 0.3: AttributeError; tanh: np.maximum of a Value). One pass over the graph, on the
    create_graph path only; a float32 or an int below 2^53 is exact in float64."""
    kept: list = []
    try:
        for node in order:
            if type(node.data) is not float:
                kept.append((node, node.data))
                node.data = real(node.data, "backward(create_graph=True)", "a node's data")
    except BaseException:
        _put_back(kept)
        raise
    return kept


def _put_back(kept: list) -> None:
    """Each node's own ``.data`` again, after the sweep: a gradient call does not change what the user set (a
    float32 chosen by hand stays float32), nor leaves a graph half converted where it raised (review18)."""
    for node, data in kept:
        node.data = data


def _sweep_checked(order: list, grads: dict) -> None:
    """The float sweep of ``gradients`` in anomaly mode: the same numbers, stopping at the first NaN or inf with the
    op that made it (as ``Value.backward`` does)."""
    get = grads.get
    for node in reversed(order):
        g = get(node)
        if g is None or node._p0 is None:
            continue
        grads.update(_checked_sums(node, g, grads))


def _graph_sweep(order: list, grads: dict) -> None:
    check = mode.anomaly  # read once a call, not once an edge
    get = grads.get
    for node in reversed(order):
        g = get(node)
        if g is None or node._p0 is None:
            continue
        if check:  # before any node of the gradient's graph is made: its own forward check would blame it, not the op
            _checked_sums(node, g.data if isinstance(g, Value) else g, grads)
        try:
            partials = partials_as_nodes(node)
        except (ZeroDivisionError, ValueError) as error:  # a zero refused inside the rebuilt derivative (sqrt at 0)
            if all(math.isfinite(d) for d in node.partials):
                raise                                            # not an infinite derivative: some other fault
            raise graph.unbuildable_derivative(node, error) from error
        for parent, partial in zip(node.parents, partials):
            if type(partial) is float:                                   # a constant partial: skip the * 1
                term = g if partial == 1.0 else -g if partial == -1.0 else g * partial
            else:
                term = partial * g
            earlier = get(parent)
            grads[parent] = term if earlier is None else earlier + term


def _checked_sums(node: Value, g: float, grads: dict) -> dict:
    """In anomaly mode, the chain rule's step at ``node`` as floats: {parent: dL/d(parent) so far + partial * g}
    (``grads`` holds floats, or Values whose numbers are read), raising where a NaN or inf would be born, naming
    the op. The float sweep stores these sums; the graph sweep only checks them, before it builds the same numbers
    as nodes (the rebuilt partials are the numbers of ``node.partials``)."""
    sums: dict = {}                                                      # a parent may come twice (x * x)
    for i, (parent, partial) in enumerate(zip(node.parents, node.partials)):
        contribution = partial * g
        if not math.isfinite(contribution):
            raise _contribution_anomaly(node, i, partial, g)
        earlier = sums[parent] if parent in sums else grads.get(parent, 0.0)
        total = getattr(earlier, "data", earlier) + contribution         # as the plain sweep: 0.0 + the first
        if not math.isfinite(total):                                     # finite parts, an inf sum: born here
            raise graph.accumulation_anomaly(parent, total)
        sums[parent] = total
    return sums


def _backward_with_graph(root: Value, grad: Any) -> None:
    """``backward(create_graph=True)``: the same ``.grad`` bookkeeping as the default sweep, with gradients that
    are Values at the leaves (which add to what they held); intermediate nodes hold this pass's gradient as a
    number. As a Value it would be a graph that reads the node itself (tanh's slope is made of its y, a product's
    of its factors): a reference cycle at every node, which kept each step's graph alive until Python's cyclic
    collector ran. PyTorch keeps no intermediate gradient at all; ``autograd.grad(..., [h], create_graph=True)``
    gives h's as a Value. ``grad``, the seed, is a float or a Value, checked by ``backward``."""
    # one switch for the sweep and the sums into .grad (gradients()' own is then a no-op): inside no_grad() a
    # leaf's .grad + g was a constant, and its graph was lost, silently
    with graph.recording():
        _keep_graph_gradients(root, gradients([root], [grad], create_graph=True))


def _keep_graph_gradients(root: Value, grads: dict) -> None:
    """Each node's gradient from ``grads`` into its ``.grad``, as ``_backward_with_graph`` says (a leaf's added,
    a recorded sum)."""
    check = mode.anomaly
    for node in graph.topological_order(root):
        g = grads.get(node, 0.0)
        if node._p0 is not None:                                         # intermediate: this pass's gradient
            node.grad = g.data if isinstance(g, Value) else g
        elif isinstance(node.grad, Value) or node.grad != 0.0:           # a leaf: accumulate, as PyTorch
            if check:  # as numbers first: a Value sum's own forward check would blame a '+' node, not the sum
                earlier, more = getattr(node.grad, "data", node.grad), getattr(g, "data", g)
                if not math.isfinite(earlier + more) and math.isfinite(earlier):
                    raise graph.accumulation_anomaly(node, earlier + more)
            node.grad = node.grad + g
        else:
            node.grad = g


_NUMPY_OPS.update({
    np.add: operator.add, np.subtract: operator.sub, np.multiply: operator.mul, np.true_divide: operator.truediv,
    np.power: operator.pow, np.negative: operator.neg, np.absolute: Value.abs, np.exp: Value.exp, np.log: Value.log,
    np.sqrt: Value.sqrt, np.tanh: Value.tanh, np.sin: Value.sin, np.cos: Value.cos,
    np.less: unordered, np.less_equal: unordered, np.greater: unordered, np.greater_equal: unordered,
    np.equal: operator.eq, np.not_equal: operator.ne,   # as x == c: np.float64(3) == x reaches numpy first
    # what numpy's loop computes for an array of Values, so that one Value and an array of them agree
    np.square: lambda x: x * x, np.reciprocal: lambda x: 1.0 / x, np.positive: Value.__pos__,
    np.conjugate: Value.conjugate,
    np.floor_divide: stepwise, np.remainder: stepwise, np.divmod: stepwise,   # as x // c, x % c: one refusal
    # one Value and a number only: numpy has no loop of Python objects for logaddexp, so an array of Values gets
    # numpy's own "not supported for the input types" (np.frompyfunc(Value.logaddexp, 2, 1) maps it over one)
    np.logaddexp: lambda a, b: a.logaddexp(b) if isinstance(a, Value) else b.logaddexp(a),   # (symmetric)
})
