"""The engine's derivative rules: every elementary op once, with its name, domain, value and derivative.

One ``Rule`` per op. ``value(m, *args)`` and ``partials(m, *args, y)`` (y is the value) are written once, in
terms of a *backend* ``m`` that supplies the elementary functions, so that the same rule serves

- ``FLOATS``: plain Python floats (the Value engine's ops),
- ``ARRAYS``: numpy arrays (the Tensor engine's vector-Jacobian products: dL/dx = dy/dx * dL/dy elementwise),
- ``NODES``: Values or Tensors themselves, so that a derivative is a graph that can be differentiated again.

>>> SQRT.formula, SQRT.derivative
('y = sqrt x', 'dy/dx = 1 / (2 sqrt x) = 1/(2y) (inf at 0)')
>>> y = TANH.value(FLOATS, 0.5)
>>> abs(TANH.partials(FLOATS, 0.5, y)[0] - (1 - math.tanh(0.5) ** 2)) < 1e-15      # 1 - y^2, written stably
True

The table is the engine's only copy of these formulas. The hand-coded backprop in ``nn`` keeps its own table
(``nn.activations``), written independently from the lectures, so that a wrong rule here cannot hide behind
the same wrong rule there. ``Domain`` says where a rule holds: ``autograd.testing.expressions()`` keeps every
drawn argument inside it and clear of its kinks.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

# --- backends: the elementary functions a rule may call ----------------------------------------------------


def _float_sign(x: float) -> float:
    return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)   # 0 at 0, as PyTorch (NaN gives 0 too)


def _float_recip(x: float) -> float:
    return 1.0 / x if x else math.inf                        # 1/0 = inf, as numpy (Python would raise)


def _float_power(x: float, p: float) -> float:
    # x^2, x^0.5 and x^-1 as numpy (so the Tensor engine) and PyTorch compute them for a number p: x x, sqrt x
    # and 1/x, each correctly rounded. libm's pow is an ulp off for about 1 input in 600 there (pow(12.43, 2)),
    # and gives +0 for (-0)^0.5 where sqrt gives -0. A result beyond the float range is +-inf, as in IEEE 754's
    # pow and numpy's (Python's x ** p raises OverflowError there): a derivative p x^(p-1) that overflows is
    # then inf, as in the Tensor engine; the ops themselves refuse a power whose value overflows.
    if p == 2.0:
        return x * x
    if p == 0.5 and x >= 0.0:                                # (a negative x: x ** p says what it is)
        return math.sqrt(x)
    if p == -1.0 and x:
        return 1.0 / x
    try:
        return x**p
    except ZeroDivisionError:                                # 0.0 ** negative: inf, as numpy; -0.0 to a
        odd = p % 2.0 == 1.0                                 # negative odd integer -inf, as IEEE 754's pow
        return -math.inf if odd and math.copysign(1.0, x) < 0.0 else math.inf
    except OverflowError:                                    # beyond the float range: -inf for a negative x to
        if x < 0.0 and p % 1.0:                              # an odd power, else inf (a fractional power of a
            raise                                            # negative x is complex: its caller refuses that)
        return -math.inf if x < 0.0 and p % 2.0 == 1.0 else math.inf


_TINY = 2.2250738585072014e-308                            # the smallest normal float64
_TINIES = {np.dtype(np.float64): _TINY, np.dtype(np.float32): float(np.finfo(np.float32).tiny)}
_LN2 = math.log(2.0)
_NEAR_TOP = _TINY ** -0.97                                  # 3e298: a^c beyond it is written h h (_power2_slope_form)


def _float_power_slope(a: float, b: float, y: float) -> float:
    # d(a^b)/da = b a^(b-1), computed as b (y / a) from y = a^b: no pow, and no b - 1, which rounds for b < 1/2
    # (b = 0.3: -0.7 is 2.8e-17 off), an error that a^(b-1) = e^((b-1) ln a) multiplies by |ln a| (690 at a =
    # 1e-300: 316 ulp). y / a and b (y / a) round once each (with y's own rounding: 2 ulp). Where y or y / a is
    # no normal float (a^(b-1) beyond the range, y subnormal, a = 0 or NaN), the slope comes from the rarer form.
    try:
        t = y / a
    except ZeroDivisionError:
        return _float_power_slope_far(a, b)
    if _TINY <= y and _TINY <= t < math.inf:
        return b * t + 0.0                                   # + 0.0: +0 at b = -0.0, as x^0 is flat
    return _float_power_slope_far(a, b)


def _float_power_slope_far(a: float, b: float) -> float:
    # b a^(b-1) where y / a cannot give it: 0 at b = 0 (x^0 is flat, at a NaN or subnormal a too); else b a^c with
    # c = b - 1 as rounded and e its error (b - 1 = c + e exactly, Knuth's two-sum), a^e = 1 + e ln a (|e ln a|
    # < 1e-13 wherever the slope is finite); a^c as h h, h = a^(c/2), where a^c itself leaves the normal range (at
    # a = 5e-324, b = 1e-300 a^-1 overflows, but b a^(b-1) = 2.0e23).
    if b == 0.0:
        return 0.0
    c = b - 1.0
    z = c - b
    e = (b - (c - z)) + (-1.0 - z)
    t = _float_power(a, c)
    if _TINY <= t < math.inf:
        d = b * t
    else:
        h = _float_power(a, 0.5 * c)
        d = b * h * h
    if e and 0.0 < a < math.inf and d - d == 0.0:
        d += d * (e * math.log(a))
    return d


def _arrays_power_slope(a: np.ndarray, b: np.ndarray, y: np.ndarray) -> np.ndarray:
    """b a^(b-1) for arrays, entry by entry the floats' number (``_float_power_slope``): b (y / a) where y and y / a
    are normal numbers; the rarer form, under where(), elsewhere."""
    tiny = _TINIES.get(y.dtype) or float(np.finfo(y.dtype).tiny)
    if not (y * tiny**0.99 >= a).any():                      # y / a below 3.8e304 (float32: 3.6e37): it cannot
        t = y / a                                            # overflow, nor warn (np.errstate costs ~5 us a call)
        fine = (y >= tiny) & (t >= tiny)
        if fine.all():
            return b * t + 0.0
    with np.errstate(all="ignore"):                          # the far form's own infinities and NaNs: IEEE's
        t = y / a
        fine = (y >= tiny) & (t >= tiny) & (t < np.inf)
        d = b * t + 0.0
        c = b - 1.0
        z = c - b
        e = (b - (c - z)) + (-1.0 - z)
        power = ARRAYS.power(a, c)
        h = ARRAYS.power(a, 0.5 * c)
        far = np.where((power >= tiny) & (power < np.inf), b * power, b * h * h)
        k = e * np.log(a)
        far = np.where((e != 0) & (a > 0) & (a < np.inf) & (far - far == 0), far + far * k, far)
        far = np.where(b == 0, 0.0, far)
    return np.where(fine, d, far).astype(t.dtype, copy=False)


def rounding_error(d: Any, a: Any, b: Any) -> Any:
    """r with a - b = d + r exactly, for d = a - b as rounded (Knuth's two-sum: z = d - a is -b as rounded, and
    what a and b lost to it comes back in two exact subtractions); floats or arrays alike; NaN where a or b is
    infinite (inf - inf inside). logaddexp and the softmax family put r back into e^d: e^(d + r) = e^d (1 + r).

    >>> rounding_error(0.3 - 700.1, 0.3, 700.1)        # 0.3 - 700.1 rounds, to -699.8000000000001, by this
    4.546363285840016e-14
    """
    z = d - a
    r = a - (d - z)
    r -= b + z
    return r


class FLOATS:
    """The backend of plain floats (``math``), for the Value engine. Comparisons are with 0.0, not 0: a float
    compared with a float is the interpreter's fast path (and the code ``compile`` writes inherits them)."""

    exp, log, log1p, sqrt, tanh, sin, cos = math.exp, math.log, math.log1p, math.sqrt, math.tanh, math.sin, math.cos
    abs = abs
    sign = _float_sign

    @staticmethod
    def sigmoid(x: float) -> float:
        """The sigmoid as its rule writes it (softplus' derivative needs it)."""
        return _sigmoid(FLOATS, x)[0]
    recip = _float_recip
    power = _float_power
    power_slope = staticmethod(_float_power_slope)         # d(a^b)/da = b a^(b-1), from y = a^b

    @staticmethod
    def step(x: float) -> float:
        """1 for x > 0, else 0: the derivative of max(0, x), 0 at the kink (as PyTorch)."""
        return 0.0 if x <= 0.0 else 1.0

    @staticmethod
    def relu(x: float) -> float:
        return 0.0 if x < 0.0 else x                         # NaN and -0.0 pass through (numpy's max(0, -0) is -0)

    @staticmethod
    def negative(x: float) -> bool:
        return x < 0.0                                       # which half of a rule in two halves (sigmoid)

    @staticmethod
    def neg_abs(x: float) -> float:
        return x if x < 0.0 else -x                          # -|x| without a call (NaN passes through; -(-0) = 0)

    @staticmethod
    def neg_twice_abs(x: float) -> float:
        return 2.0 * x if x < 0.0 else -2.0 * x              # -2|x| (beyond 9e307 -inf, quietly: e^-inf = 0)

    @staticmethod
    def exp_gap(d: float, a: float, b: float) -> float:
        """e^-|a - b| from d = a - b as rounded, and the rounding's error r (a - b = d + r exactly, Knuth's two-sum)
        that e^-|d| misses: |r| is up to half an ulp of d, 5.7e-14 at d = 700, and e^-|d + r| = e^-|d| (1 + q),
        q = -r sign(d), to 1e-27. Where a or b is infinite, r is NaN (inf - inf inside) and e^-|d| the answer."""
        r = rounding_error(d, a, b)
        q = r if d < 0.0 else -r
        e = math.exp(d if d < 0.0 else -d)
        return e + e * q if q == q else e

    @staticmethod
    def where(condition: Any, a: Any, b: Any) -> Any:
        return a if condition else b


class ARRAYS:
    """The backend of numpy arrays, for the Tensor engine's vector-Jacobian products."""

    exp, log, log1p, sqrt, tanh, sin, cos = np.exp, np.log, np.log1p, np.sqrt, np.tanh, np.sin, np.cos
    abs = np.abs

    @staticmethod
    def sign(x: np.ndarray) -> np.ndarray:
        """-1, 0 or 1; 0 at NaN, as for floats (np.sign gives NaN there)."""
        return (x > 0).astype(x.dtype) - (x < 0)

    @staticmethod
    def sigmoid(x: np.ndarray) -> np.ndarray:
        """The sigmoid as its rule writes it (softplus' derivative needs it)."""
        return _sigmoid(ARRAYS, x)[0]
    where = np.where

    @staticmethod
    def recip(x: np.ndarray) -> np.ndarray:
        """1/x, with 1/0 = inf as for floats (and no numpy warning: at a domain's edge, sqrt'(0), it is the answer)."""
        if x.all():
            return np.reciprocal(x)
        with np.errstate(divide="ignore"):
            return np.reciprocal(x + 0.0)   # 1/-0 = +inf too, as for floats: sqrt'(-0.0) = sqrt'(0) = +inf, not -inf

    @staticmethod
    def power(x: np.ndarray, p: Any) -> np.ndarray:
        """x^p, with 0^negative = inf as for floats (and no numpy warning). A number p < 0 comes from a slope's p - 1
        only (the ** op takes np.power for a number p, and refuses an overflowing value): there a power beyond the
        range is inf, as for floats, and quiet (x^-0.5's slope at 5e-324 is -inf, and x^0.3's second derivative).
        For an array of exponents, the entries
        with p = 2, 0.5 (x >= 0) and -1 are x x, sqrt x and 1/x: numpy computes them so only for one number p, and
        otherwise calls libm's pow, an ulp off for about 1 x in 600 (as FLOATS.power, so a Value, would be)."""
        if isinstance(p, (int, float)):
            if p >= 0:
                return np.power(x, p)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return np.power(x, p)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.power(x, p)                               # (an overflow warns here, once)
        if not ((p == 2.0) | (p == 0.5) | (p == -1.0)).any():
            return y                                         # no exponent numpy would have computed otherwise
        x = np.asarray(x, dtype=y.dtype)                     # as numpy's pow computed it (float32 x, float64 p)
        for chosen, exact in ((p == 2.0, np.square), ((p == 0.5) & (x >= 0.0), np.sqrt),
                              ((p == -1.0) & (x != 0.0), np.reciprocal)):
            if np.any(chosen):
                with np.errstate(all="ignore"):              # entries not chosen, or already warned about
                    y = np.where(chosen, exact(x), y)
        return y

    power_slope = staticmethod(_arrays_power_slope)        # d(a^b)/da = b a^(b-1), from y = a^b

    @staticmethod
    def step(x: np.ndarray) -> np.ndarray:
        """1 where x > 0, else 0 (a boolean mask: it multiplies a gradient as 0 and 1); NaN gives 1, as floats."""
        return ~(x <= 0)

    relu = functools.partial(np.maximum, 0)                 # max(0, x)

    @staticmethod
    def neg_abs(x: np.ndarray) -> np.ndarray:
        return np.copysign(x, -1.0)                         # -|x|: the same bits as -abs(x), in one numpy call

    @staticmethod
    def exp_gap(d: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """e^-|a - b| from d = a - b as rounded, the rounding's error put back as for floats (``FLOATS.exp_gap``);
        where a or b is infinite, e^-|d| alone (the two-sum's inf - inf would be NaN, and warn)."""
        e = np.exp(np.copysign(d, -1.0))
        if np.isfinite(d).all():                             # (then a and b are finite too)
            return e - np.copysign(e, d) * rounding_error(d, a, b)       # e (1 - r sign d), r = 0 where d = 0
        with np.errstate(invalid="ignore"):                  # (rare: an infinite operand, or a - b beyond the range)
            k = np.copysign(e, d) * rounding_error(d, a, b)
        return np.where(k == k, e - k, e)

    @staticmethod
    def neg_twice_abs(x: np.ndarray) -> np.ndarray:
        """-2|x|, but -800 beyond |x| = 400: e^-800 is 0 as e^-2|x| is from |x| = 373 on (float32 too), and -2|x|
        overflowed past |x| = 9e307 with numpy's warning (np.errstate would cost every call ~10 us)."""
        return 2.0 * np.maximum(np.copysign(x, -1.0), -400.0)      # (NaN passes np.maximum)

    negative = np.signbit   # x < 0 as a mask, with no Python scalar to convert (-0 counts as negative: the
    #                         rules that branch on it give the same number on both sides at 0)


def _lifted(name: str) -> Callable[[Any], Any]:
    """The node's own op ``name``; on a constant (a number or an array) numpy's function of that name."""
    def f(x: Any) -> Any:
        return getattr(x, name)() if hasattr(x, "backward") else getattr(ARRAYS, name)(x)
    f.__name__ = name
    return staticmethod(f)


class NODES:
    """The backend of engine nodes (Values or Tensors): every function is the node's own differentiable op,
    so a derivative computed with it is itself a graph (constants pass through numpy)."""

    exp, log, sqrt, tanh, sin, cos, abs, sigmoid, relu = map(
        _lifted, ("exp", "log", "sqrt", "tanh", "sin", "cos", "abs", "sigmoid", "relu"))

    @staticmethod
    def recip(x: Any) -> Any:
        return 1.0 / x

    @staticmethod
    def power(x: Any, p: Any) -> Any:
        return x**p

    @staticmethod
    def power_slope(a: Any, b: Any, y: Any) -> Any:
        """d(a^b)/da = b a^(b-1) as a graph (``power2_slope_as_nodes``)."""
        return power2_slope_as_nodes(a, b, y)

    @staticmethod
    def sign(x: Any) -> Any:
        """sign(x) as a constant: its derivative is 0 wherever it is defined."""
        return _constant_like(x, ARRAYS.sign(np.asarray(x.data)))

    @staticmethod
    def step(x: Any) -> Any:
        """The step as a constant: its derivative is 0 wherever it is defined."""
        return _constant_like(x, ARRAYS.step(np.asarray(x.data)))

    @staticmethod
    def neg_abs(x: Any) -> Any:
        """-|x| as the node's own ops: x where x < 0, else -x (slope -1 at 0, where the abs rule's is 0). The even
        functions written with it (tanh' and sigma' below, of e^-|x|) are smooth at 0, and only a slope of +-1
        there keeps their higher derivatives (the third of tanh at 0 is -2, of sigma -1/8; with 0 both read 0);
        near 0 their graphs now come from ``_near_0_as_nodes`` in any case, so this one is differentiated away
        from 0 only."""
        return NODES.where(NODES.negative(x), x, -x) if hasattr(x, "backward") else -np.abs(x)

    @staticmethod
    def neg_twice_abs(x: Any) -> Any:
        """-2|x| as the node's own ops (a Tensor's as ARRAYS' form: -800 beyond |x| = 400, where -2|x| would overflow
        with numpy's warning; a Value's floats overflow quietly to -inf, and e^-inf = 0 = e^-800)."""
        n = NODES.neg_abs(x)
        return 2.0 * (n if type(getattr(n, "data", None)) is float else np.maximum(n, -400.0))

    @staticmethod
    def negative(x: Any) -> Any:
        """x < 0 as a constant: a bool for a Value, a boolean mask for a Tensor (a condition is not differentiated)."""
        if not hasattr(x, "backward"):
            return ARRAYS.negative(x)
        return x.data < 0.0 if type(x.data) is float else ARRAYS.negative(x.data)

    @staticmethod
    def where(condition: Any, a: Any, b: Any) -> Any:
        """``a`` where the condition holds, else ``b``: a Python choice for one number, the Tensor op ``where``
        (numpy dispatches ``np.where`` to it) for a mask."""
        if isinstance(condition, bool | np.bool_):
            return a if condition else b
        return np.where(condition, a, b)


def _constant_like(node: Any, data: np.ndarray) -> Any:
    """A constant of ``node``'s engine holding ``data`` (a Value's float, or an array of the Tensor's dtype)."""
    if isinstance(node.data, np.ndarray):
        return data.astype(node.data.dtype)
    return float(data)


def _near_0_as_nodes(x: Any, width: float, e_form: Callable[[Any, Any], Any], near: Callable[[], Any]) -> Any:
    """A slope written with e^-|x| (``e_form(m, x)``, tanh' and sigma'), as a graph that differentiates without
    cancelling: ``near()`` (a node, the same function written to differentiate well near 0) where |x| < width,
    shifted by a constant onto the e-form's numbers there (their difference is exact, both being within a factor
    2), so that a graph's first derivative is the default backward pass's number to the bit; the e-form's graph
    elsewhere. Only the side some entry needs is built (one, for a Value)."""
    if type(x.data) is float:                             # a Value: one side, chosen in Python (NaN is outside)
        if not abs(x.data) < width:
            return e_form(NODES, x)
        form = near()
        return form + (e_form(FLOATS, x.data) - form.data)
    inside = np.abs(x.data) < width
    if not inside.any():
        return e_form(NODES, x)
    form = near()
    if inside.all():
        return form + (e_form(ARRAYS, x.data) - form.data)
    far = e_form(NODES, x)                                # its numbers are ARRAYS' e-form, bit for bit
    return NODES.where(inside, form + (far.data - form.data), far)


# --- the rules ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Domain:
    """Where a rule holds: arguments ``> lower`` (``>= lower`` if ``closed``), never equal to a ``pole``, and
    ``kinks`` where the derivative jumps (the engine then uses the convention stated in the rule)."""

    lower: float | None = None
    closed: bool = False
    poles: tuple[float, ...] = ()
    kinks: tuple[float, ...] = ()
    text: str = "every real x"


EVERYWHERE = Domain()


@dataclass(frozen=True)
class Rule:
    """An elementary op: ``value(m, *args)``, and ``partials(m, *args, y)`` = (dy/d args[0], dy/d args[1], ...).

    A rule whose value and derivative share work (sigmoid: both need e^-|x|) is written once as ``both(m, *args)``
    returning ``(y, partials)``; ``value`` and ``partials`` are then read from it, and an engine that needs both at
    once (the Value ops, a Tensor op that will be differentiated) calls ``both`` and does the shared work once.

    ``critical(lo, hi)`` lists the points in [lo, hi] where the value turns (stops rising or falling): with the
    end points, they bound the op's range on an interval (what ``autograd.testing`` needs).
    """

    name: str
    formula: str
    derivative: str
    value: Callable[..., Any]
    partials: Callable[..., tuple]
    domain: Domain = EVERYWHERE
    critical: Callable[[float, float], list] = lambda lo, hi: []
    both: Callable[..., tuple] | None = None

    def __repr__(self) -> str:
        return f"Rule({self.name!r}: {self.formula}; {self.derivative}; for {self.domain.text})"


def _turning(first: float) -> Callable[[float, float], list]:
    """The points first + k pi in [lo, hi]: where sin (first = pi/2) or cos (first = 0) turns."""
    def points(lo: float, hi: float) -> list:
        k = math.ceil((lo - first) / math.pi)
        found = []
        while first + k * math.pi <= hi:
            found.append(first + k * math.pi)
            k += 1
        return found
    return points


# Each rule: its formula and derivative in words, then the same two in code, side by side.
ADD = Rule("+", "y = a + b", "dy/da = 1, dy/db = 1",
           lambda m, a, b: a + b,
           lambda m, a, b, y: (1.0, 1.0))
SUB = Rule("-", "y = a - b", "dy/da = 1, dy/db = -1",
           lambda m, a, b: a - b,
           lambda m, a, b, y: (1.0, -1.0))
MUL = Rule("*", "y = a b", "dy/da = b, dy/db = a",
           lambda m, a, b: a * b,
           lambda m, a, b, y: (b, a))


def _quotient_slopes_as_nodes(a: Any, b: Any, y: Any) -> tuple:
    """DIV's (1/b, -y/b) as graphs of Values or Tensors (``backward(create_graph=True)``), with the first-order
    numbers of the rule, bit for bit. Where y = 0 and 1/b is beyond the range (a = 0 over a |b| below 5.6e-309),
    the graph -y/b, differentiated towards b through y, multiplied d(-y/b)/dy = -1/b = -inf by dy/db = -y/b = 0:
    NaN for d2y/db2 = 2y/b^2 = 0. There -y/b is written -(a / b) / b with the inner b a constant: the same number,
    the same derivative towards a (-1/b^2: -inf, as it is), and towards b the outer quotient's alone, -(dy/db)/b
    = 0; the derivatives it drops are infinite there (1/b^3). Each side is finite where where() takes the other (a
    NaN there would leak into the gradient of the side not chosen: 0 * NaN), and the side left out reads a, not y:
    the 0 it gets, times y's slope 1/b = inf, was NaN towards a (d2y/db da of two Tensors [0], [5e-324])."""
    da = 1.0 / b
    cut = (y.data == 0.0) & (da.data - da.data != 0.0)  # (inf - inf is NaN) a bool for Values, a mask for Tensors
    if not (cut if type(cut) is bool else cut.any()):  # (np.any of a Python bool costs ~5 us: every quotient)
        return da, -y / b                                # the rule's numbers, op for op
    if isinstance(cut, bool | np.bool_):                 # a Value: one side, chosen in Python
        return da, -(a / b.data) / b
    w = NODES.where
    other = w(cut, 1.0, b)                               # -(a / b) / b is -y/b op for op, and y's number
    return da, w(cut, -(a / np.where(cut, b.data, 1.0)) / w(cut, b, 1.0), -(a / other) / other)


DIV = Rule("/", "y = a / b", "dy/da = 1/b, dy/db = -a/b^2 = -y/b",
           lambda m, a, b: a / b,
           lambda m, a, b, y: ((1.0 / b, -y / b) if m is not NODES     # -y/b, not -a/(b*b): b*b can underflow to 0
                               else _quotient_slopes_as_nodes(a, b, y)),
           Domain(poles=(0.0,), text="b != 0"))
NEG = Rule("neg", "y = -x", "dy/dx = -1",
           lambda m, x: -x,
           lambda m, x, y: (-1.0,))


# x^(p-1) overflows at some positive float for -1 < p < 0 (x^-1.5 beyond 2.5e-206), and for 0 < p < 0.15 at a
# subnormal x (x^(p-1) >= 2^(1074 (1 - p)) at float64's smallest, 2^(149 (1 - p)) at float32's: beyond the range for
# p < 0.047 and p < 0.141); for 0.15 <= p < 1/2 it never does, and p x^(p-1) with an exact p - 1 is one rounding
# of pow (x^0.25's slope correctly rounded at 1,998 of 2,000 points, where p (y / x) was at 1,463)
_POWER_MAY_OVERFLOW = 0.15


def _power_slope(m: Any, x: Any, p: Any, y: Any) -> tuple:
    # p x^(p-1); x^0 = 1 is flat, even at 0 (where x^-1 would be inf). p is a number, or an array of exponents.
    if isinstance(p, (int, float)):
        if p == 0.0:
            return (0.0,)
        if p >= 0.5 or (p - 1.0) + 1.0 == p and not -1.0 < p < _POWER_MAY_OVERFLOW:   # p - 1 exact (x^2, x^-1,
            return (p * m.power(x, p - 1),)                                             # x^-1.5, x^0.25, ...)
        # p (y / x), as a^b's: p - 1 rounds (x^0.3: 316 ulp at 1e-300), or x^(p-1) can overflow while p x^(p-1)
        # fits (x^-0.5 at 2.52e-206: x^-1.5 is 2.5e308, the slope -1.25e308, which read -inf; x^(2^-10) at 1e-310:
        # x^(p-1) is 5e309, the slope 4.9e306, which read inf)
        return (m.power_slope(x, p, y),)
    flat = p == 0.0                                  # (an array of exponents)
    rounds = ((p - 1.0) + 1.0 != p) | ((-1.0 < p) & (p < _POWER_MAY_OVERFLOW) & ~flat)   # a^b's slope, as a
    #                                                                         number p (x^0 is flat, at x < 0 too)
    if (m is ARRAYS or m is NODES) and rounds.any():
        return (_power_slope_of_exponents(m, x, p, y, flat, rounds),)
    if m is ARRAYS and (p < 1.0).any():              # x^(p-1) beyond the range at a tiny x is the slope's own
        with np.errstate(over="ignore"):             # inf (p = -0.5 at 5e-324), as for a number p; ARRAYS.power
            return (np.where(flat, 0.0, p * ARRAYS.power(x, np.where(flat, 1.0, p - 1))),)   # warns for the op's value
    return (m.where(flat, 0.0, p * m.power(x, m.where(flat, 1.0, p - 1))),)   # (no x^-1 to overflow at p = 0)


def _power_slope_of_exponents(m: Any, x: Any, p: np.ndarray, y: Any, flat: np.ndarray, rounds: np.ndarray) -> Any:
    """p x^(p-1) for an array of exponents some of which take a^b's slope (p - 1 rounds, or -1 < p < 0.15, as for a
    number p): there ``power_slope``, or its graph; elsewhere p x^(p-1) as for exact exponents (x may be negative
    there: x^2, x^3). Each side is given numbers where where() takes the other (x = 1, p = 1/2; x^1): no refusal,
    and no NaN that a 0 gradient would meet."""
    exact = m.where(flat | rounds, 0.0, p * m.power(x, np.where(flat | rounds, 1.0, p - 1.0)))
    if m is ARRAYS:
        with np.errstate(all="ignore"):
            return np.where(rounds, ARRAYS.power_slope(np.where(rounds, x, 1.0), np.where(rounds, p, 0.5),
                                                       np.where(rounds, y, 1.0)), exact)
    safe_p = np.where(rounds, p, 0.5)
    safe_x = NODES.where(rounds, x, 1.0)
    safe_y = NODES.where(rounds, y, 1.0)
    return NODES.where(rounds, _power2_slope_form(safe_x, safe_p, safe_p - 1.0, safe_y), exact)


POWER = Rule("**", "y = x^p (p a constant)", "dy/dx = p x^(p-1)",
             lambda m, x, p: m.power(x, p),
             _power_slope,
             Domain(text="x > 0 for a fractional p, x != 0 for a negative p"),
             lambda lo, hi: [0.0] if lo < 0 < hi else [])
EXPONENTIAL = Rule("**", "y = c^x (c > 0 a constant)", "dy/dx = c^x ln c = y ln c",
                   lambda m, c, x: m.power(c, x),
                   lambda m, c, x, y: (y * m.log(c),))
POWER2 = Rule("**", "y = a^b (a > 0)", "dy/da = b a^(b-1) = b y / a (0 at b = 0), dy/db = a^b ln a = y ln a",
              lambda m, a, b: m.power(a, b),
              lambda m, a, b, y: (m.power_slope(a, b, y),                  # b (y / a): b - 1 would round
                                  y * m.log(a) if m is not NODES else power2_log_slope_as_nodes(a, b, y)),
              Domain(lower=0.0, text="a > 0"))


def power2_log_slope_as_nodes(a: Any, b: Any, y: Any) -> Any:
    """POWER2's dy/db = y ln a (y = a^b) as a graph of Values or Tensors, with the rule's numbers. Its slope towards
    a, b a^(b-1) ln a + y/a, came out wrong in two rare places, each mended on its own entries only:

    - at a subnormal a the slope of ln a, 1/a, is beyond the range (1/5e-324), and the chain multiplied it by y:
      d2y/db da read inf at a = 5e-324, b = 0.3 (by mpmath -4.59e228). There ln a is written ln(a 2^k) - k ln 2,
      a 2^k in [1/2, 1) (2^k in two factors): the chain takes 1/(a 2^k), then 2^k;
    - where y is below the normal range (a = 1e-300, b = 2: y = 1e-600 is 0) y/a = a^(b-1) is lost (or keeps a
      subnormal's few digits): -1.3816e-297 for -1.3806e-297. There the lost part, a^(b-1) - y/a, is added as a
      constant slope: (a - a) times it, 0 in value and towards b (a third derivative there misses its own slope)."""
    bd = b.data if hasattr(b, "backward") else b
    if type(a.data) is float:
        if not (a.data < _TINY or y.data < _TINY):       # (a NaN too: as the rule)
            return y * a.log()
        k = -math.frexp(a.data)[1] if a.data < _TINY else 0
        numbers = y.data * math.log(a.data)
        lost = FLOATS.power_slope(a.data, bd, y.data) / bd - y.data / a.data if y.data < _TINY else 0.0
    else:
        tiny = _TINIES.get(a.data.dtype) or float(np.finfo(a.data.dtype).tiny)
        # the smallest of a and y past NaNs (2 us less than two masks); inf for empty arrays, which have no minimum
        if not np.fmin.reduce(np.fmin(a.data, y.data), axis=None, initial=np.inf) < tiny:
            return y * a.log()
        small, under = a.data < tiny, y.data < tiny
        k = np.where(small, -np.frexp(a.data)[1], 0)      # entries of a normal a: k = 0, ln a itself
        numbers = y.data * np.log(a.data)
        with np.errstate(all="ignore"):                   # (entries where() leaves out)
            lost = np.where(under, ARRAYS.power_slope(a.data, bd, y.data) / bd - y.data / a.data, 0.0)
        lost = np.where(np.isfinite(lost), lost, 0.0).astype(a.data.dtype, copy=False)
    k1 = k // 2
    k2 = k - k1
    form = y * ((a * 2.0 ** k1 * 2.0 ** k2).log() - k * _LN2)
    if (lost != 0.0) if type(lost) is float else lost.any():
        form = form + (a - a.data) * lost
    return _onto(form, numbers)                          # both within a few ulp: exact (as _near_0_as_nodes)


def power2_slope_as_nodes(a: Any, b: Any, y: Any) -> Any:
    """POWER2's dy/da = b a^(b-1) as a graph of Values or Tensors (``backward(create_graph=True)``), with the
    first-order numbers of the rule, bit for bit: 0 where b = 0 (+0, b = -0.0 included), where b * a ** (b - 1)
    would be 0 * inf = NaN at a subnormal a (5e-324^-1 overflows). There the slope is written (b / a) a^b + 0, the
    same function, so its derivatives stay right: d/db = 1/a at b = 0, where the rule's where(b == 0, 0.0, ...) would
    choose a constant and make the Hessian's mixed entry 0 at every a. Each side is finite where where() takes the
    other (a^0, a / 1): a NaN there would leak into the gradient of the side not chosen (0 * NaN)."""
    if not hasattr(b, "backward"):                       # x^p's slope for a constant p (not 0) whose p - 1 rounds
        return _power2_slope_form(a, b, b - 1.0, y)
    flat = b.data == 0.0                                 # a bool for Values, a mask for Tensors: NODES.where's choice
    if not (flat if type(flat) is bool else flat.any()):
        return _power2_slope_form(a, b, b - 1.0, y)
    w = NODES.where
    # At a NaN base (a ** Value lets NaN through) b / a is NaN where the rule says 0 (x^0 is flat, and NaN ** 0 is
    # 1 in IEEE 754): there the slope is b * 0.0 + 0.0, 0 with no derivative towards b (1/a would be NaN)
    number = flat & (a.data == a.data)
    at_0 = w(number, b / w(number, a, 1.0) * y + 0.0, b * 0.0 + 0.0)
    if isinstance(flat, bool | np.bool_):                # one number (a Value, a 0-d Tensor) at b = 0: that side
        return at_0
    return w(flat, at_0, _power2_slope_form(a, b, w(flat, 0.0, b - 1.0), y))


def _power2_slope_form(a: Any, b: Any, c: Any, y: Any) -> Any:
    """b a^c (c = b - 1 as a node; 0 where b = 0), a graph whose derivatives are those of b a^(b-1) and whose
    numbers are the rule's: the rule takes b (y / a), and c rounds (b - 1 = c + e, e up to 2.8e-17 at b = 0.3, an
    error |ln a| times larger in a^c: 316 ulp at a = 1e-300, in the second derivatives too). So a^c is multiplied
    by the constant a^e = 1 + e ln a, and the graph shifted by the constant (rule's number - graph's number): both
    within a few ulp, their difference is exact, and the sum is the rule's number to the bit, as in
    ``_near_0_as_nodes``. a^c is written ``_scaled_power`` where a^c leaves the normal range (the ** op would refuse
    an overflow that b a^c does not make: 5e-324^-1), nears its top (beyond 3e298 the slope of a^c towards b, a^c
    ln a, overflows where b a^(b-1) (1 + b ln a) does not: a = 2.2e-308, b = 1e-10), or a^c / a nears it (the
    slope of a^c towards a, c a^(c-1), overflowed where b (b-1) a^(b-2) does not: a = b = 1e-300, -1e300)."""
    one = type(a.data) is float                          # a Value: Python's choices; a Tensor: numpy's, on arrays
    m = FLOATS if one else ARRAYS
    bd = b.data if hasattr(b, "backward") else b         # (b a number: x^p's slope, p a constant)
    numbers = m.power_slope(a.data, bd, y.data)          # the rule's first derivative
    try:
        p = a ** c
        t = p.data
        if one:
            inside = _TINY <= t < _NEAR_TOP and t < _NEAR_TOP * a.data        # a^c, a^c / a below the top
        else:
            tiny = _TINIES.get(t.dtype) or float(np.finfo(t.dtype).tiny)
            low = tiny ** 0.97                                           # (float64: 1 / 3e298; float32: 1 / 7e36)
            inside = ((t >= tiny) & (t * low < np.minimum(a.data, 1.0))).all()   # a^c, a^c / a below the top
    except ValueError:                                   # a^c beyond the range, which the ** op refuses
        inside = False
    if inside:
        form = b * p
    else:
        with np.errstate(over="ignore"):                 # b a^c beyond the range is the slope's own inf (5e-324^-0.3)
            form = _scaled_power(a, c, b)
    with np.errstate(all="ignore"):                      # (the arrays' far edges: IEEE's infinities, no warning)
        cd = bd - 1.0
        z = cd - bd
        e = (bd - (cd - z)) + (-1.0 - z)                 # b - 1 = cd + e exactly (two-sum); cd is c's number
        if (e != 0.0) if type(e) is float else (e != 0).any():
            k = 1.0 + e * m.log(a.data)                  # a^e, a constant: its own slope e/a is e/c of a^c's
            if one:
                form = form * k if k - k == 0.0 else form
            else:
                form = form * np.where(np.isfinite(k), k, 1.0).astype(form.data.dtype, copy=False)
    return _onto(form, numbers)


def _scaled_power(a: Any, c: Any, b: Any) -> Any:
    """b a^c (a > 0) as a graph whose every step stays in the float range where b a^c, or its slope b c a^(c-1),
    does: (a 2^k)^c 2^(-k c) b, with 2^k (k an integer, two factors) bringing a to [1/2, 1), so that (a 2^k)^c and
    its slopes are moderate, and the scale 2^(-k c) a power of a constant base in two halves (its slope towards c,
    2^(-k c) (-k ln 2), makes d/dc right: ln(a 2^k) - k ln 2 = ln a), b between them (a^c alone overflows at a =
    5e-324, c = -1, where b a^c is 2e23 for b = 1e-300). Backward, the chain meets b and the scale first and 2^k
    last: b 2^(-k c) c (a 2^k)^(c-1) 2^k, not c a^(c-1) (beyond the range at a = 1e-300, c = -1) times b. That
    order suits c < 1 only (for c >= 1 a tiny scale would come first, then 2^k: 0 for 1.5 a^0.5 at a = 1e-300,
    c = 1.5; there c a^(c-1) cannot overflow). Elsewhere, and where a is 0, inf or NaN (x ** 0.3 at x = 0), a^c
    is h h, h = a^(c/2)."""
    cd = c.data if hasattr(c, "backward") else c
    if type(a.data) is float:
        if not (0.0 < a.data < math.inf and cd < 1.0):
            h = a ** (0.5 * c)
            return b * h * h
        k = -math.frexp(a.data)[1]
    else:
        if not ((a.data > 0) & (a.data < np.inf) & (cd < 1.0)).all() or _beyond(a.data, b, cd):
            h = a ** (0.5 * c)
            return b * h * h
        k = -np.frexp(a.data)[1]
    k1 = k // 2
    k2 = k - k1
    u = a * 2.0 ** k1 * 2.0 ** k2                                  # exact: a 2^k, in [1/2, 1)
    try:
        return u ** c * (2.0 ** -k1) ** c * b * (2.0 ** -k2) ** c
    except (ValueError, OverflowError):                           # a scale 2^(-k_i c) beyond the range
        h = a ** (0.5 * c)
        return b * h * h


def _beyond(a: np.ndarray, b: Any, c: Any) -> bool:
    """Whether some entry's second derivative of b a^c, b c a^(c-1) or a^c (1 + b ln a), is beyond the range (or
    nearly): there ``_scaled_power``'s backward pass would multiply finite numbers into inf, and numpy would warn
    (the second pass keeps numpy's overflow warnings); h h reaches the same inf through a quiet inf slope of h."""
    bd = b.data if hasattr(b, "backward") else b
    tiny = _TINIES.get(a.dtype) or float(np.finfo(a.dtype).tiny)
    with np.errstate(all="ignore"):                               # (the far branch only: rare)
        ln_a = np.log(a)
        size = np.maximum(np.log(np.abs(bd * c)) - ln_a, np.log1p(np.abs(bd * ln_a))) + c * ln_a
        return not (size < -math.log(tiny) - 2.0).all()          # (float64: 706, e^706 = 1e306)


EXP = Rule("exp", "y = e^x", "dy/dx = e^x = y",
           lambda m, x: m.exp(x),
           lambda m, x, y: (y,),
           Domain(text="every real x (e^x overflows a float64 beyond x = 709.78)"))
LOG = Rule("log", "y = ln x", "dy/dx = 1/x",
           lambda m, x: m.log(x),
           lambda m, x, y: (m.recip(x),),
           Domain(lower=0.0, text="x > 0"))
SQRT = Rule("sqrt", "y = sqrt x", "dy/dx = 1 / (2 sqrt x) = 1/(2y) (inf at 0)",
            lambda m, x: m.sqrt(x),
            lambda m, x, y: (m.recip(2 * y),),
            Domain(lower=0.0, closed=True, text="x >= 0"))


def _tanh_slope(m: Any, x: Any) -> Any:
    # 1 - y^2 loses digits as y nears +-1: relative error 1e-16 / (1 - |y|), so 4 of them at x = 5, 8 at x = 10,
    # and every one beyond x = 19.1, where y rounds to 1 and 1 - y^2 is 0 (tanh'(40) is 7.2e-35). With
    # e = e^-2|x| <= 1, 1 - y^2 = 1 / cosh^2 x = 4 e / (1 + e)^2 on both sides, to a few ulp at every x, as
    # sigma' is written; the value stays the library's tanh. Differentiated again it is right at 0 too (|x|'s
    # slope there is 0, and tanh''(0) = 0). -2|x| comes from the backend in one call: for arrays it stops at -800,
    # where 2 (-|x|) overflowed past |x| = 9e307 with numpy's warning before the right 0.
    e = m.exp(m.neg_twice_abs(x))
    d = 1.0 + e
    return 4.0 * e / (d * d)


def _tanh_slope_as_nodes(x: Any, y: Any) -> Any:
    # As a graph differentiated again, the e-form's derivative is the sum 4 e'/d^2 - 8 e e'/d^3 of two terms near
    # +-2 that cancel near 0 (e rounds to 1 - 2|x| and keeps only |x|'s absolute digits): tanh''(1e-9) came out
    # 8.1e-8 wrong relatively, tanh''(1e-17) as 0 for -2e-17. Inside |x| < 1/2, 1 - y^2 (y^2 <= 0.22: a few ulp)
    # differentiates to -2 y y', a product that keeps y = tanh x's digits, and so on to every order.
    return _near_0_as_nodes(x, 0.5, _tanh_slope, lambda: 1.0 - y * y)


TANH = Rule("tanh", "y = tanh x", "dy/dx = 1 - y^2 = 4 e^-2|x| / (1 + e^-2|x|)^2",
            lambda m, x: m.tanh(x),
            lambda m, x, y: (_tanh_slope(m, x) if m is not NODES else _tanh_slope_as_nodes(x, y),))


def _sigmoid(m: Any, x: Any) -> tuple:
    # With e = e^-|x| <= 1 nothing overflows at any x: y = 1 / (1 + e) for x >= 0 and e / (1 + e) = e^x / (e^x + 1)
    # for x < 0. sigma' = y (1 - y) = e / (1 + e)^2 on both sides, which keeps its digits where y rounds to 1:
    # sigma'(100) = 3.7e-44, not 0. One exp serves the value and the derivative. Differentiated again (with
    # Values or Tensors) it is right at 0 too: |x|'s slope there is 0, and sigma''(0) = 0.
    e = m.exp(m.neg_abs(x))
    d = 1.0 + e
    y = m.where(m.negative(x), e, 1.0) / d
    return y, (e / (d * d),)


def _sigmoid_slope_as_nodes(x: Any) -> Any:
    # As a graph, e / d^2 differentiates to a difference of two terms near 1/4 that cancel near 0, as tanh's
    # e-form does: sigma''(1e-9) came out 3.6e-7 wrong relatively, sigma''(1e-17) as 0 for -1.25e-18. Inside
    # |x| < 1, sigma' = (1 - t^2) / 4 with t = tanh(x/2) (t^2 <= 0.22) differentiates to -t t'/2, which keeps t's
    # digits.
    def near() -> Any:
        t = NODES.tanh(0.5 * x)
        return 0.25 * (1.0 - t * t)
    return _near_0_as_nodes(x, 1.0, lambda m, x: _sigmoid(m, x)[1][0], near)


SIGMOID = Rule("sigmoid", "y = 1 / (1 + e^-x)", "dy/dx = y (1 - y) = e^-|x| / (1 + e^-|x|)^2",
               lambda m, x: _sigmoid(m, x)[0],
               lambda m, x, y: _sigmoid(m, x)[1] if m is not NODES else (_sigmoid_slope_as_nodes(x),),
               both=_sigmoid)
RELU = Rule("relu", "y = max(0, x)", "dy/dx = 1 for x > 0, 0 for x <= 0 (0 at the kink, as PyTorch)",
            lambda m, x: m.relu(x),
            lambda m, x, y: (m.step(x),),
            Domain(kinks=(0.0,), text="every real x; kink at 0"))
SOFTPLUS = Rule("softplus", "y = ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|)", "dy/dx = sigmoid(x)",
                lambda m, x: m.relu(x) + m.log1p(m.exp(-m.abs(x))),
                lambda m, x, y: (m.sigmoid(x),))
ABS = Rule("abs", "y = |x|", "dy/dx = sign x (0 at the kink, as PyTorch)",
           lambda m, x: m.abs(x),
           lambda m, x, y: (m.sign(x),),
           Domain(kinks=(0.0,), text="every real x; kink at 0"),
           lambda lo, hi: [0.0] if lo < 0 < hi else [])
SIN = Rule("sin", "y = sin x", "dy/dx = cos x",
           lambda m, x: m.sin(x),
           lambda m, x, y: (m.cos(x),),
           Domain(text="every finite x"),
           _turning(math.pi / 2))
COS = Rule("cos", "y = cos x", "dy/dx = -sin x",
           lambda m, x: m.cos(x),
           lambda m, x, y: (-m.sin(x),),
           Domain(text="every finite x"),
           _turning(0.0))


def _logaddexp(m: Any, a: Any, b: Any) -> tuple:
    # ln(e^a + e^b) = max(a, b) + ln(1 + e^-|a - b|): the larger plus a term in (0, ln 2], so nothing overflows and
    # no term is lost beside one far larger (numpy's logaddexp). Written a + softplus(b - a), it lost b's digits
    # when a lay far below b: -1e17 + softplus(-3 + 1e17) is 0, not -3 (1e17 - 3 rounds to 1e17). One exp serves
    # the value and both slopes, sigma(a - b) and sigma(b - a): 1 / (1 + e) on the larger side, e / (1 + e) on the
    # other. Equal infinities (d = inf - inf, NaN) give their sum, the limit, as numpy (a NaN operand gives NaN),
    # and the slopes 1/2 each, their limit along a = b (e = 1: as at any tie): log_sum_exp([-inf, -inf, 0]) passes
    # its first step's slopes 0 times these, and NaN slopes there made the gradient [NaN, NaN, 1] for [0, 0, 1].
    # e^-|a - b| is taken of the difference as rounded, which is up to half an ulp off (5.7e-14 at 700.1 - 0.3),
    # and e^x's relative error is x's absolute one: sigma(0.3 - 700.1) was 270 ulp off. exp_gap puts the rounding's
    # error back (one two-sum and a multiply): the slopes are then within about an ulp of the exact ones.
    d = a - b
    e = m.where(a == b, 1.0, m.exp_gap(d, a, b))
    below = m.negative(d)                                      # a < b
    y = m.where(d == d, m.where(below, b, a) + m.log1p(e), a + b)
    s = 1.0 + e
    larger, smaller = 1.0 / s, e / s
    return y, (m.where(below, smaller, larger), m.where(below, larger, smaller))


def _logaddexp_slopes_as_nodes(a: Any, b: Any) -> tuple:
    """LOGADDEXP's slopes sigmoid(a - b), sigmoid(b - a) as graphs (smooth at ties: their derivative there is 1/4),
    but 1/2 where a and b are the same infinity, where a - b is NaN and the limit along a = b is 1/2, as the
    first-order rule gives. The graph a - b rounds, and sigma'(d) = sigma(d) sigma(-d) of the rounded d was as far
    off as the first-order slopes were (435 ulp at a = -457.31..., b = -1129.8...): where a - b = d + r, r != 0,
    each slope gets r sigma'(d) (sigma(d + r) to 1e-27, and its derivative r sigma''(d) corrects the second
    derivative), then the constant that makes its number the first-order rule's to the bit."""
    da, db = (getattr(v, "data", v) for v in (a, b))
    one = type(da) is float and type(db) is float              # Values: Python's choices (np.any: ~5 us each)
    if one:
        same = da == db and math.isinf(da)
    else:                                                      # Tensors: a mask
        same = (da == db) & np.isinf(da)
    sa, sb = NODES.sigmoid(a - b), NODES.sigmoid(b - a)
    r = _difference_error(da, db)
    if r != 0.0 if one else r.any():
        h = sa * sb                                            # sigma'(d), towards a
        m = FLOATS if one else ARRAYS
        na, nb = _logaddexp(m, da, db)[1]
        sa, sb = _onto(sa + r * h, na), _onto(sb - r * h, nb)
    if not (same if type(same) is bool else same.any()):
        return sa, sb
    return NODES.where(same, 0.5, sa), NODES.where(same, 0.5, sb)


def _difference_error(x: Any, y: Any) -> Any:
    """r with x - y = fl(x - y) + r exactly (Knuth's two-sum), floats or arrays; 0 where x - y is not finite."""
    if type(x) is float and type(y) is float:
        r = rounding_error(x - y, x, y)
        return r if r == r else 0.0
    with np.errstate(all="ignore"):                            # (infinite operands: inf - inf inside, NaN)
        d = np.subtract(x, y)
        r = rounding_error(d, x, y)
    return np.where(r == r, r, 0.0).astype(d.dtype, copy=False)


def _onto(form: Any, numbers: Any) -> Any:
    """The graph ``form`` plus the constant that makes its number ``numbers`` (within a few ulp of it, so the
    difference is exact, as in ``_near_0_as_nodes``): its slopes are the form's, its numbers the first-order
    rule's to the bit; unshifted where either is not finite (IEEE's infinities there, without a warning)."""
    with np.errstate(all="ignore"):
        shift = numbers - form.data
    if type(shift) is float:
        return form + shift if shift and shift - shift == 0.0 else form
    shift = np.where(np.isfinite(shift), shift, 0.0).astype(form.data.dtype, copy=False)
    return form + shift if shift.any() else form


LOGADDEXP = Rule("logaddexp", "y = ln(e^a + e^b) = max(a, b) + ln(1 + e^-|a - b|)",
                 "dy/da = sigmoid(a - b), dy/db = sigmoid(b - a)",
                 lambda m, a, b: _logaddexp(m, a, b)[0],
                 lambda m, a, b, y: (_logaddexp(m, a, b)[1] if m is not NODES else _logaddexp_slopes_as_nodes(a, b)),
                 both=_logaddexp)
WEIGHTED_SUM = Rule("weighted_sum", "z = b + sum_i w_i x_i", "dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1",
                    # ((b + w0 x0) + w1 x1) + ...: the engine's order of additions, so that the rule gives its floats
                    lambda m, w, x, b: functools.reduce(lambda z, wx: z + wx[0] * wx[1], zip(w, x), b),
                    lambda m, w, x, b, z: (list(x), list(w), 1.0))

#: The elementary functions of one argument, by the name a node records in ``op``.
FUNCTIONS: dict[str, Rule] = {r.name: r for r in (NEG, EXP, LOG, SQRT, TANH, SIGMOID, RELU, SOFTPLUS, ABS, SIN, COS)}

#: Every rule, by a name that tells the three powers apart.
RULES: dict[str, Rule] = {
    "+": ADD, "-": SUB, "*": MUL, "/": DIV, "x**p": POWER, "c**x": EXPONENTIAL, "a**b": POWER2,
    "logaddexp": LOGADDEXP,
    **FUNCTIONS, "weighted_sum": WEIGHTED_SUM,
}
