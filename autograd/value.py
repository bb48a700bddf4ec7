"""Value: a scalar node of the recorded graph.

Each op computes its result and, in the same line, the local partial derivative of the result towards each parent.
Both are stored on the new node (no closure per node), and ``backward()`` applies the chain rule

    dL/d(parent) += d(node)/d(parent) * dL/d(node)

to every node in reverse topological order: the sum over paths that the lectures derive.

The node of many parents, ``weighted_sum``, is in value_sum.py; the checks of plain-number operands and the error
messages they raise are in value_checks.py.
"""

from __future__ import annotations

import math

from . import graph
from .graph import mode
from .value_checks import constant, label_text, overflow, real, unordered

Number = int | float

_new = object.__new__
_inf = math.inf


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
    if mode.anomaly:
        graph.remember_creation(out)
        if not math.isfinite(out.data):
            parents = p0 if p1 is _MANY else [p for p in (p0, p1) if p is not None]
            shown = ", ".join(repr(p.data) for p in parents[:4]) + (", ..." if len(parents) > 4 else "")
            raise graph.forward_anomaly(out, out.data, f", from parent data {shown}" if parents else "")
    if mode.grad_enabled:
        out._p0, out._p1 = p0, p1
    else:  # no_grad(): the result is a constant as far as the graph knows
        out._p0 = out._p1 = None
    return out


class _Many:
    """Marks a node with many parents (weighted_sum): then _p0 holds the tuple of parents and _d0 the partials."""

    __slots__ = ()

    def __reduce__(self) -> str:  # copied or pickled by name: still the one marker that backward() tests with `is`
        return "_MANY"


_MANY = _Many()


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
    ``==`` is identity, as for any object, so that a Value can be a graph node and a dict key.
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
        if label:
            self._label = label_text(label)

    @property
    def parents(self) -> tuple:
        """The nodes this one was computed from (the node protocol; empty for a leaf)."""
        return self._parents

    @property
    def partials(self) -> tuple:
        """The local derivative d(self)/d(parent) towards each parent, in the order of ``parents``."""
        return self._partials

    @property
    def _parents(self) -> tuple:
        """The nodes this one was computed from (what ``graph.topological_order`` walks)."""
        p0, p1 = self._p0, self._p1
        if p0 is None:
            return ()
        if p1 is _MANY:
            return p0
        return (p0,) if p1 is None else (p0, p1)

    @_parents.setter
    def _parents(self, parents: tuple) -> None:
        if len(parents) > 2:
            self._p0, self._p1 = tuple(parents), _MANY
        else:
            self._p0, self._p1 = (tuple(parents) + (None, None))[:2]

    @property
    def _partials(self) -> tuple:
        """The local partial derivative towards each parent, in the order of ``_parents``."""
        if self._p0 is None:
            return ()
        if self._p1 is _MANY:
            return self._d0
        return (self._d0,) if self._p1 is None else (self._d0, self._d1)

    @_partials.setter
    def _partials(self, partials: tuple) -> None:
        if len(partials) != len(self._parents):
            raise ValueError(f"_partials: {len(self._parents)} parents need as many partials, got {len(partials)}")
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
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{made}{named})"

    # --- comparisons: a TypeError. == stays identity (as for any object), so that a Value is a graph node and a key.
    __lt__ = __le__ = __gt__ = __ge__ = unordered

    # --- arithmetic: result and local partials side by side -------------------------------------------------------
    # A plain-number operand c is a constant: the result then has one parent.
    def __add__(self, other: Value | Number) -> Value:
        if isinstance(other, Value):
            return _binary(self.data + other.data, self, other, 1.0, 1.0, "+")   # a + b:  d/da = 1, d/db = 1
        return _unary(self.data + constant(other, "+"), self, 1.0, "+")        # x + c:  d/dx = 1

    __radd__ = __add__

    def __sub__(self, other: Value | Number) -> Value:
        if isinstance(other, Value):
            return _binary(self.data - other.data, self, other, 1.0, -1.0, "-")  # a - b:  d/da = 1, d/db = -1
        return _unary(self.data - constant(other, "-"), self, 1.0, "-")        # x - c:  d/dx = 1

    def __rsub__(self, other: Number) -> Value:
        return _unary(constant(other, "-") - self.data, self, -1.0, "-")       # c - x:  d/dx = -1

    def __mul__(self, other: Value | Number) -> Value:
        if isinstance(other, Value):
            a, b = self.data, other.data
            return _binary(a * b, self, other, b, a, "*")                      # a b:  d/da = b, d/db = a
        c = constant(other, "*")
        return _unary(self.data * c, self, c, "*")                             # c x:  d/dx = c

    __rmul__ = __mul__

    def __truediv__(self, other: Value | Number) -> Value:
        a = self.data
        if isinstance(other, Value):
            b = other.data
            if b == 0:
                raise ZeroDivisionError(f"/: division of {self!r} by {other!r}, which is zero")
            q = a / b                                            # -q/b, not -a/(b*b): b*b can underflow to 0
            return _binary(q, self, other, 1.0 / b, -q / b, "/")               # a/b:  d/da = 1/b, d/db = -a/b^2
        c = constant(other, "/")
        if c == 0:
            raise ZeroDivisionError(f"/: division of {self!r} by zero")
        return _unary(a / c, self, 1.0 / c, "/")                               # x/c:  d/dx = 1/c

    def __rtruediv__(self, other: Number) -> Value:
        c, x = constant(other, "/"), self.data
        if x == 0:
            raise ZeroDivisionError(f"/: division of {c!r} by {self!r}, which is zero")
        q = c / x
        return _unary(q, self, -q / x, "/")                                    # c/x:  d/dx = -c/x^2 = -q/x

    def __neg__(self) -> Value:
        return _unary(-self.data, self, -1.0, "neg")                           # -x:  d/dx = -1

    def __pow__(self, other: Value | Number) -> Value:
        if not isinstance(other, Value):
            return self._power(constant(other, "**"))
        a, b = self.data, other.data
        if a <= 0:
            raise ValueError(
                f"**: Value ** Value needs a positive base (a^b = exp(b ln a)), got base {a!r}; "
                "for a negative base use a number as the exponent"
            )
        try:
            out = a**b                                                 # a^b:  d/da = b a^(b-1), d/db = a^b ln a
            da = b * a ** (b - 1)
        except OverflowError:
            raise overflow(a, b) from None
        return _binary(out, self, other, da, out * math.log(a), "**")

    def _power(self, p: float) -> Value:
        x = self.data
        if x < 0 and not p.is_integer():
            raise ValueError(f"**: {x!r} ** {p!r} is not a real number (negative base, fractional exponent)")
        if x == 0 and p < 0:
            raise ValueError(f"**: 0.0 ** {p!r} is undefined (zero to a negative power)")
        try:
            if x == 0 and 0 < p < 1:
                partial = _inf                                         # x^p with p < 1 is vertical at 0
            else:
                partial = p * x ** (p - 1) if p != 0 else 0.0          # x^p:  d/dx = p x^(p-1)
            out = x**p
        except OverflowError:
            raise overflow(x, p) from None
        return _unary(out, self, partial, "**")

    def __rpow__(self, other: Number) -> Value:
        c = constant(other, "**")
        if c <= 0:
            raise ValueError(f"**: {c!r} ** Value needs a positive base (c^x = exp(x ln c))")
        try:
            out = c**self.data
        except OverflowError:
            raise overflow(c, self.data) from None
        return _unary(out, self, out * math.log(c), "**")              # c^x:  d/dx = c^x ln c

    # --- functions ------------------------------------------------------------------------------------------------
    def exp(self) -> Value:
        x = self.data
        if x > 709.782712893384:                                        # log of the largest float
            raise ValueError(f"exp: exp({x!r}) overflows a float (largest argument is about 709.78)")
        e = math.exp(x)
        return _unary(e, self, e, "exp")                           # e^x:  d/dx = e^x

    def log(self) -> Value:
        x = self.data
        if x <= 0:
            raise ValueError(f"log: log({x!r}) is undefined; log needs a positive argument")
        return _unary(math.log(x), self, 1.0 / x, "log")           # ln x:  d/dx = 1/x

    def sqrt(self) -> Value:
        x = self.data
        if x < 0:
            raise ValueError(f"sqrt: sqrt({x!r}) is not a real number; sqrt needs x >= 0")
        r = math.sqrt(x)
        return _unary(r, self, 0.5 / r if r else _inf, "sqrt")     # sqrt x:  d/dx = 1/(2 sqrt x)

    def tanh(self) -> Value:
        t = math.tanh(self.data)                                        # math.tanh saturates, never overflows
        return _unary(t, self, 1.0 - t * t, "tanh")                # tanh:  d/dx = 1 - tanh^2

    def sigmoid(self) -> Value:
        x = self.data
        e = math.exp(-abs(x))                                           # e^-|x| <= 1: never overflows
        s = 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)                # s = 1/(1+e^-x)
        # d/dx = s (1 - s) = e^-|x| / (1 + e^-|x|)^2: the same number, written so that it keeps its digits
        # where s rounds to 1 (x > 37), e.g. sigma'(100) = 3.7e-44, not 0.
        return _unary(s, self, e / ((1.0 + e) * (1.0 + e)), "sigmoid")

    def relu(self) -> Value:
        x = self.data
        if x <= 0:
            return _unary(0.0, self, 0.0, "relu")                  # max(0,x):  d/dx = 0 for x <= 0 (as PyTorch)
        return _unary(x, self, 1.0, "relu")                        #            and 1 for x > 0; NaN passes through

    def softplus(self) -> Value:
        x = self.data
        y = max(x, 0.0) + math.log1p(math.exp(-abs(x)))                 # ln(1+e^x), written so e^. <= 1
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return _unary(y, self, s, "softplus")                      # d/dx = sigmoid(x)

    def abs(self) -> Value:
        x = self.data
        sign = 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)               # |x|:  d/dx = sign(x), 0 at 0 (as PyTorch)
        return _unary(abs(x), self, sign, "abs")

    __abs__ = abs

    def sin(self) -> Value:
        x = self.data
        try:
            y = math.sin(x)
        except ValueError:  # x is inf: Python would say only "math domain error"
            raise ValueError(f"sin: sin({x!r}) is undefined; sin needs a finite argument") from None
        return _unary(y, self, math.cos(x), "sin")       # sin:  d/dx = cos

    def cos(self) -> Value:
        x = self.data
        try:
            y = math.cos(x)
        except ValueError:  # x is inf: Python would say only "math domain error"
            raise ValueError(f"cos: cos({x!r}) is undefined; cos needs a finite argument") from None
        return _unary(y, self, -math.sin(x), "cos")      # cos:  d/dx = -sin

    # --- differentiation ------------------------------------------------------------------------------------------
    def backward(self, grad: float = 1.0) -> None:
        """Add d(self)/d(node) * ``grad`` to the ``.grad`` of every node this Value was computed from.

        >>> a = Value(3.0); b = a * a + a    # a used three times: the contributions add up
        >>> b.backward(); a.grad             # d/da (a^2 + a) = 2a + 1
        7.0
        """
        if type(grad) is not float:
            grad = real(grad, "backward", "the seed grad")
        if mode.anomaly and not math.isfinite(grad):
            raise FloatingPointError(f"backward: the seed grad is {grad} (detect_anomaly is on); start from 1.0")
        order = graph.topological_order(self)
        # Intermediate nodes describe this backward pass only: clear what an earlier pass left in them,
        # so that leaves accumulate exactly one gradient per call.
        for node in order:
            if node._p0 is not None:
                node.grad = 0.0
        self.grad += grad
        if mode.anomaly:
            return _backward_checked(order)
        # The chain rule, summed over paths: dL/dp += d(node)/dp * dL/d(node) for each parent p of each node.
        for node in reversed(order):
            p0 = node._p0
            if p0 is None:                                               # a leaf: nothing further back
                continue
            g = node.grad
            p1 = node._p1
            if p1 is None:                                               # one parent
                p0.grad += node._d0 * g
            elif p1 is _MANY:                                            # weighted_sum: many parents
                for parent, partial in zip(p0, node._d0):
                    parent.grad += partial * g
            else:                                                        # two parents
                p0.grad += node._d0 * g
                p1.grad += node._d1 * g

    def zero_grad(self) -> None:
        """Set ``.grad`` back to 0.0."""
        self.grad = 0.0


def _backward_checked(order: list) -> None:
    """The same sweep as ``Value.backward``, stopping at the first NaN or inf gradient with its birthplace."""
    for node in reversed(order):
        g = node.grad
        for i, (parent, partial) in enumerate(zip(node._parents, node._partials)):
            contribution = partial * g
            if not math.isfinite(contribution):
                raise graph.backward_anomaly(
                    node, i, contribution, f" ({graph.describe(parent)}, data {parent.data!r}): the node's local "
                    f"derivative {partial!r} times the gradient {g!r} that reached it"
                )
            parent.grad += contribution


# weighted_sum needs Value, and `from autograd.value import weighted_sum` keeps working: import it once Value exists.
from .value_sum import weighted_sum as weighted_sum  # noqa: E402
