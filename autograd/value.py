"""Value: a scalar node of the recorded graph.

Each op computes its result and, in the same line, the local partial derivative of the result towards each parent.
Both are stored on the new node (no closure per node), and ``backward()`` applies the chain rule

    dL/d(parent) += d(node)/d(parent) * dL/d(node)

to every node in reverse topological order: the sum over paths that the lectures derive.
"""

from __future__ import annotations

import math
import numbers
from typing import Union

from . import graph
from .graph import mode

Number = Union[int, float]

_new = object.__new__
_inf = math.inf


def _node(data: float, parents: tuple, partials: tuple, op: str) -> Value:
    """A new result node. The common case (recording, no anomaly checks) costs four slot stores."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.op = op
    if mode.fast:
        out._parents = parents
        out._partials = partials
        return out
    return _record_slowly(out, parents, partials)


def _record_slowly(out: Value, parents: tuple, partials: tuple) -> Value:
    if mode.anomaly:
        graph.remember_creation(out)
        if not math.isfinite(out.data):
            raise graph.forward_anomaly(out, out.data)
    if mode.grad_enabled:
        out._parents, out._partials = parents, partials
    else:  # no_grad(): the result is a constant as far as the graph knows
        out._parents, out._partials = (), ()
    return out


def _operand(x: object, op: str) -> Value | None:
    """``x`` if it is a Value, None if it is a plain number (a constant, not a node); else a TypeError."""
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return None
    raise TypeError(
        f"{op}: cannot combine a Value with {type(x).__name__} {x!r}; use an int, a float or a Value"
    )


def _real(x: object, where: str) -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    raise TypeError(f"{where}: data must be a real number (int or float), got {type(x).__name__} {x!r}")


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
    """

    __slots__ = ("data", "grad", "op", "_parents", "_partials", "_label", "_trace", "_scope")

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = _real(data, "Value")
        self.grad = 0.0
        self.op = ""
        self._parents: tuple = ()
        self._partials: tuple = ()
        if label:
            self._label = label

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
        self._label = name

    def __repr__(self) -> str:
        named = f", label={self._label!r}" if self.label else ""
        made = f", op={self.op!r}" if self.op else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{made}{named})"

    # --- arithmetic: result and local partials side by side -------------------------------------------------------
    def __add__(self, other: Value | Number) -> Value:
        o = _operand(other, "+")
        if o is None:                                               # x + c:  d/dx = 1
            return _node(self.data + float(other), (self,), (1.0,), "+")
        return _node(self.data + o.data, (self, o), (1.0, 1.0), "+")  # a + b:  d/da = 1, d/db = 1

    def __radd__(self, other: Number) -> Value:
        return self.__add__(other)

    def __sub__(self, other: Value | Number) -> Value:
        o = _operand(other, "-")
        if o is None:                                                 # x - c:  d/dx = 1
            return _node(self.data - float(other), (self,), (1.0,), "-")
        return _node(self.data - o.data, (self, o), (1.0, -1.0), "-")  # a - b:  d/da = 1, d/db = -1

    def __rsub__(self, other: Number) -> Value:
        _operand(other, "-")
        return _node(float(other) - self.data, (self,), (-1.0,), "-")          # c - x:  d/dx = -1

    def __mul__(self, other: Value | Number) -> Value:
        o = _operand(other, "*")
        if o is None:                                                  # c x:  d/dx = c
            c = float(other)
            return _node(self.data * c, (self,), (c,), "*")
        a, b = self.data, o.data
        return _node(a * b, (self, o), (b, a), "*")                    # a b:  d/da = b, d/db = a

    def __rmul__(self, other: Number) -> Value:
        return self.__mul__(other)

    def __truediv__(self, other: Value | Number) -> Value:
        o = _operand(other, "/")
        if o is None:                                                  # x / c:  d/dx = 1/c
            if other == 0:
                raise ZeroDivisionError(f"/: division of {self!r} by zero")
            c = float(other)
            return _node(self.data / c, (self,), (1.0 / c,), "/")
        a, b = self.data, o.data
        if b == 0:
            raise ZeroDivisionError(f"/: division of {self!r} by {o!r}, which is zero")
        return _node(a / b, (self, o), (1.0 / b, -a / (b * b)), "/")   # a/b:  d/da = 1/b, d/db = -a/b^2

    def __rtruediv__(self, other: Number) -> Value:
        _operand(other, "/")
        other = float(other)
        b = self.data
        if b == 0:
            raise ZeroDivisionError(f"/: division of {other!r} by {self!r}, which is zero")
        return _node(other / b, (self,), (-other / (b * b),), "/")      # c/x:  d/dx = -c/x^2

    def __neg__(self) -> Value:
        return _node(-self.data, (self,), (-1.0,), "neg")               # -x:  d/dx = -1

    def __pow__(self, other: Value | Number) -> Value:
        o = _operand(other, "**")
        if o is None:
            return self._power(float(other))
        a, b = self.data, o.data
        if a <= 0:
            raise ValueError(
                f"**: Value ** Value needs a positive base (a^b = exp(b ln a)), got base {a!r}; "
                "for a negative base use a number as the exponent"
            )
        out = a ** b                                                   # a^b:  d/da = b a^(b-1), d/db = a^b ln a
        return _node(out, (self, o), (b * a ** (b - 1), out * math.log(a)), "**")

    def _power(self, p: float) -> Value:
        x = self.data
        if x < 0 and not p.is_integer():
            raise ValueError(f"**: {x!r} ** {p!r} is not a real number (negative base, fractional exponent)")
        if x == 0 and p < 0:
            raise ValueError(f"**: 0.0 ** {p!r} is undefined (zero to a negative power)")
        if x == 0 and 0 < p < 1:
            partial = _inf                                              # x^p with p < 1 is vertical at 0
        else:
            partial = p * x ** (p - 1) if p != 0 else 0.0               # x^p:  d/dx = p x^(p-1)
        return _node(x ** p, (self,), (partial,), "**")

    def __rpow__(self, other: Number) -> Value:
        _operand(other, "**")
        c = float(other)
        if c <= 0:
            raise ValueError(f"**: {c!r} ** Value needs a positive base (c^x = exp(x ln c))")
        out = c ** self.data
        return _node(out, (self,), (out * math.log(c),), "**")          # c^x:  d/dx = c^x ln c

    # --- functions ------------------------------------------------------------------------------------------------
    def exp(self) -> Value:
        x = self.data
        if x > 709.782712893384:                                        # log of the largest float
            raise ValueError(f"exp: exp({x!r}) overflows a float (largest argument is about 709.78)")
        e = math.exp(x)
        return _node(e, (self,), (e,), "exp")                           # e^x:  d/dx = e^x

    def log(self) -> Value:
        x = self.data
        if x <= 0:
            raise ValueError(f"log: log({x!r}) is undefined; log needs a positive argument")
        return _node(math.log(x), (self,), (1.0 / x,), "log")           # ln x:  d/dx = 1/x

    def sqrt(self) -> Value:
        x = self.data
        if x < 0:
            raise ValueError(f"sqrt: sqrt({x!r}) is not a real number; sqrt needs x >= 0")
        r = math.sqrt(x)
        return _node(r, (self,), (0.5 / r if r else _inf,), "sqrt")     # sqrt x:  d/dx = 1/(2 sqrt x)

    def tanh(self) -> Value:
        t = math.tanh(self.data)                                        # math.tanh saturates, never overflows
        return _node(t, (self,), (1.0 - t * t,), "tanh")                # tanh:  d/dx = 1 - tanh^2

    def sigmoid(self) -> Value:
        x = self.data
        if x >= 0:                                                      # 1/(1+e^-x): e^-x <= 1 here
            s = 1.0 / (1.0 + math.exp(-x))
        else:                                                           # e^x/(1+e^x): e^x < 1 here
            e = math.exp(x)
            s = e / (1.0 + e)
        return _node(s, (self,), (s * (1.0 - s),), "sigmoid")           # s:  d/dx = s (1 - s)

    def relu(self) -> Value:
        x = self.data
        if x > 0:
            return _node(x, (self,), (1.0,), "relu")                    # max(0,x):  d/dx = 1 for x > 0
        return _node(0.0, (self,), (0.0,), "relu")                      #            and 0 for x <= 0 (as PyTorch)

    def softplus(self) -> Value:
        x = self.data
        y = max(x, 0.0) + math.log1p(math.exp(-abs(x)))                 # ln(1+e^x), written so e^. <= 1
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return _node(y, (self,), (s,), "softplus")                      # d/dx = sigmoid(x)

    def abs(self) -> Value:
        x = self.data
        sign = 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)               # |x|:  d/dx = sign(x), 0 at 0 (as PyTorch)
        return _node(abs(x), (self,), (sign,), "abs")

    __abs__ = abs

    def sin(self) -> Value:
        x = self.data
        return _node(math.sin(x), (self,), (math.cos(x),), "sin")       # sin:  d/dx = cos

    def cos(self) -> Value:
        x = self.data
        return _node(math.cos(x), (self,), (-math.sin(x),), "cos")      # cos:  d/dx = -sin

    # --- differentiation ------------------------------------------------------------------------------------------
    def backward(self, grad: float = 1.0) -> None:
        """Add d(self)/d(node) * ``grad`` to the ``.grad`` of every node this Value was computed from.

        >>> a = Value(3.0); b = a * a + a    # a used three times: the contributions add up
        >>> b.backward(); a.grad             # d/da (a^2 + a) = 2a + 1
        7.0
        """
        order = graph.topological_order(self)
        # Intermediate nodes describe this backward pass only: clear what an earlier pass left in them,
        # so that leaves accumulate exactly one gradient per call.
        for node in order:
            if node._parents:
                node.grad = 0.0
        self.grad += grad
        if mode.anomaly:
            return _backward_checked(order)
        for node in reversed(order):
            g = node.grad
            for parent, partial in zip(node._parents, node._partials):
                parent.grad += partial * g                               # chain rule, summed over paths

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
                raise graph.backward_anomaly(node, i, contribution)
            parent.grad += contribution
