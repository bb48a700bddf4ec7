"""Tensor arithmetic: + - * / ** and negation, and the in-place updates += -= *= /= of a parameter.

Each op: the result, then its vector-Jacobian product (g is dL/d(out); the vjp returns dL/d(each parent)).
The other operand is a Tensor or a constant (a number or an array, taken in the Tensor's dtype); a constant is
no parent and gets no gradient. Gradients may come back in the broadcast shape: the engine sums them to each
parent's shape. These functions are the Tensor's operators themselves (``Tensor.__add__ is add``, bound at the
end of tensor.py), so ``a + b`` costs one Python call, not two:

>>> a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0], requires_grad=True)
>>> (a * b).sum().backward(); a.grad, b.grad     # d/da sum a b = b, d/db = a
(array([3., 4.]), array([1., 2.]))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .graph import mode
from .tensor import ArrayLike, Tensor, _make
from .tensor_checks import broadcasting, check_positive, constant, shape_error

# --- + - * / and negation ---------------------------------------------------------------------------------------

def add(t: Tensor, other: ArrayLike) -> Tensor:
    """``t + other``, and ``other + t`` (the same sum)."""
    a = t.data
    if isinstance(other, Tensor):
        try:
            out = a + other.data
        except ValueError:
            raise shape_error("+", a, other.data) from None
        return _make(out, (t, other), lambda g: (g, g), "+")             # a + b:  d/da = 1, d/db = 1
    out = broadcasting(np.add, a, constant(other, a, "+"), "+")
    return _make(out, (t,), lambda g: (g,), "+")                         # x + c:  d/dx = 1


def sub(t: Tensor, other: ArrayLike) -> Tensor:
    """``t - other``."""
    a = t.data
    if isinstance(other, Tensor):
        try:
            out = a - other.data
        except ValueError:
            raise shape_error("-", a, other.data) from None
        return _make(out, (t, other), lambda g: (g, -g), "-")            # a - b:  d/da = 1, d/db = -1
    out = broadcasting(np.subtract, a, constant(other, a, "-"), "-")
    return _make(out, (t,), lambda g: (g,), "-")                         # x - c:  d/dx = 1


def rsub(t: Tensor, other: ArrayLike) -> Tensor:
    """``other - t`` for a constant ``other``."""
    a = t.data
    out = broadcasting(np.subtract, constant(other, a, "-"), a, "-")
    return _make(out, (t,), lambda g: (-g,), "-")                        # c - x:  d/dx = -1


def mul(t: Tensor, other: ArrayLike) -> Tensor:
    """``t * other``, and ``other * t`` (the same product)."""
    a = t.data
    if isinstance(other, Tensor):
        b = other.data
        out = broadcasting(np.multiply, a, b, "*")
        return _make(out, (t, other), lambda g: (                        # a b:  d/da = b, d/db = a
            g * b if t.requires_grad else None, g * a if other.requires_grad else None), "*")
    c = constant(other, a, "*")
    return _make(broadcasting(np.multiply, a, c, "*"), (t,), lambda g: (g * c,), "*")  # c x:  d/dx = c


def truediv(t: Tensor, other: ArrayLike) -> Tensor:
    """``t / other``; a divisor with a zero entry raises ZeroDivisionError."""
    a = t.data
    o = other if isinstance(other, Tensor) else None
    b = other.data if o is not None else constant(other, a, "/")
    if np.any(np.equal(b, 0)):
        raise ZeroDivisionError(f"/: the divisor (shape {np.shape(b)}) has zero entries")
    out = broadcasting(np.true_divide, a, b, "/")
    if o is None:
        return _make(out, (t,), lambda g: (g / b,), "/")                 # x / c:  d/dx = 1/c
    return _make(out, (t, o), lambda g: (                                # a/b:  d/da = 1/b, d/db = -a/b^2
        g / b if t.requires_grad else None, -g * out / b if o.requires_grad else None), "/")


def rtruediv(t: Tensor, other: ArrayLike) -> Tensor:
    """``other / t`` for a constant ``other``; a Tensor with a zero entry raises ZeroDivisionError."""
    b = t.data
    if np.any(b == 0):
        raise ZeroDivisionError(f"/: the divisor, a Tensor of shape {b.shape}, has zero entries")
    out = broadcasting(np.true_divide, constant(other, b, "/"), b, "/")
    return _make(out, (t,), lambda g: (-g * out / b,), "/")              # c/x:  d/dx = -c/x^2 = -out/x


def neg(t: Tensor) -> Tensor:
    """``-t``."""
    return _make(-t.data, (t,), lambda g: (-g,), "neg")                  # -x:  d/dx = -1


# --- powers -------------------------------------------------------------------------------------------------------

def power(t: Tensor, other: ArrayLike) -> Tensor:
    """``t ** other``: a number, an array or a Tensor exponent."""
    x = t.data
    if type(other) in (int, float) and other == 2:                      # x^2:  d/dx = 2x (the common square)
        return _make(x * x, (t,), lambda g: (g * (2 * x),), "**")
    if isinstance(other, Tensor) and other.requires_grad:
        b = other.data
        check_positive(x, "**", "Tensor ** Tensor (a^b = exp(b ln a)) with a Tensor exponent")
        out = broadcasting(np.power, x, b, "**")
        return _make(out, (t, other), lambda g: (                           # a^b:  d/da = b a^(b-1)
            g * b * x ** (b - 1) if t.requires_grad else None, g * out * np.log(x)), "**")  # d/db = a^b ln a
    p = other.data if isinstance(other, Tensor) else constant(other, x, "**")
    if not (isinstance(p, (int, float)) and p >= 0 and float(p).is_integer()):  # x^2 etc. need no check
        if np.any((x < 0) & (np.mod(p, 1) != 0)):
            raise ValueError(f"**: a negative base to a fractional power is not a real number (exponent {other!r})")
        if np.any((x == 0) & (np.asarray(p) < 0)):
            raise ValueError(f"**: 0 ** {other!r} is undefined (zero to a negative power)")
    out = broadcasting(np.power, x, p, "**")

    def vjp(g: np.ndarray) -> tuple:                                        # x^p:  d/dx = p x^(p-1)
        with np.errstate(divide="ignore", invalid="ignore"):               # inf at 0 when p < 1, as for Value
            return (g * np.where(np.equal(p, 0), 0, p * x ** (p - 1)),)

    return _make(out, (t,), vjp, "**")


def rpower(t: Tensor, base: Any) -> Tensor:
    """``base ** t`` for a constant base (a number or an array) with positive entries."""
    x = t.data
    c = np.asarray(constant(base, x, "**"), dtype=x.dtype)
    check_positive(c, "**", "number ** Tensor (c^x = exp(x ln c))")
    out = broadcasting(np.power, c, x, "**")
    return _make(out, (t,), lambda g: (g * out * np.log(c),), "**")       # c^x:  d/dx = c^x ln c


# --- augmented assignment: a parameter's update step --------------------------------------------------------------

def inplace(t: Tensor, other: ArrayLike, op: str, ufunc: np.ufunc) -> Tensor:
    """``w op= other`` for a parameter (a leaf that requires grad): in place inside ``no_grad()``, as in
    PyTorch; outside it, an error (the graph would never see the change). Other Tensors never come here:
    for them ``h += x`` is ``h = h + x``, a new node, and differentiates correctly."""
    if mode.grad_enabled:
        raise RuntimeError(
            f"{op}=: {t.name or 'this Tensor'!r} is a leaf that requires grad (a parameter); changing it in "
            f"place would hide the change from the graph. Update parameters inside no_grad(), as in PyTorch "
            f"(with no_grad(): w -= lr * w.grad), or change w.data"
        )
    a = t.data
    b = other.data if isinstance(other, Tensor) else constant(other, a, op)
    if op == "/" and np.any(np.equal(b, 0)):
        raise ZeroDivisionError(f"/=: the divisor (shape {np.shape(b)}) has zero entries")
    try:
        ufunc(a, b, out=a)
    except ValueError:
        raise ValueError(f"{op}=: an operand of shape {np.shape(b)} does not broadcast to the Tensor's shape "
                         f"{a.shape}, so it cannot change the Tensor in place") from None
    return t


def iadd(t: Tensor, other: ArrayLike) -> Tensor:
    """``t += other``: in place for a parameter (inside no_grad()), else ``t = t + other``."""
    return inplace(t, other, "+", np.add) if t.requires_grad and not t._parents else t + other


def isub(t: Tensor, other: ArrayLike) -> Tensor:
    """``t -= other``: in place for a parameter (inside no_grad()), else ``t = t - other``."""
    return inplace(t, other, "-", np.subtract) if t.requires_grad and not t._parents else t - other


def imul(t: Tensor, other: ArrayLike) -> Tensor:
    """``t *= other``: in place for a parameter (inside no_grad()), else ``t = t * other``."""
    return inplace(t, other, "*", np.multiply) if t.requires_grad and not t._parents else t * other


def itruediv(t: Tensor, other: ArrayLike) -> Tensor:
    """``t /= other``: in place for a parameter (inside no_grad()), else ``t = t / other``."""
    return inplace(t, other, "/", np.true_divide) if t.requires_grad and not t._parents else t / other
