"""Plain-number operands of both engines' ops, and the errors that name the op, the numbers and the fix."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

# Real numbers to Python's ABC that are not numbers here: a bool is a slip (write 1.0); np.timedelta64 is a numpy
# integer, which float() takes as a count in its unit (np.timedelta64(1) is 1.0) or refuses with Python's bare message
# (np.timedelta64(1, "s")), and which a Tensor refuses as non-numeric
_NOT_NUMBERS = (bool, np.timedelta64)


def constant(x: object, op: str) -> float:
    """A plain-number operand as a float (a constant: it does not become a node); anything else is a TypeError.

    >>> constant(3, "+")
    3.0
    """
    if type(x) is float:  # the common case first: isinstance against an ABC is slow
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, _NOT_NUMBERS):
        try:
            return float(x)
        except OverflowError:
            raise too_large(x, op) from None
    if isinstance(x, np.ndarray):
        raise on_the_right(x, op)
    raise TypeError(f"{op}: cannot combine a Value with {type(x).__name__} {x!r}; use an int, a float or a Value")


SYMBOLS = {np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/", np.power: "**"}  # a Value's ufuncs
_UFUNCS = {symbol: f"np.{ufunc.__name__}" for ufunc, symbol in SYMBOLS.items()}


def on_the_right(a: np.ndarray, op: str) -> TypeError:
    """``x * a``, a Value and an array: Python asks the Value first, which takes numbers only (numpy's ufunc, asked
    with the Value first, loops over an array of Values; an array of numbers is the Tensor's)."""
    ufunc = _UFUNCS.get(op)
    values = f"for an array of Values write {ufunc}(x, a) (numpy applies {op} to each entry), " if ufunc else ""
    return TypeError(f"{op}: cannot combine a Value with an array of shape {a.shape} (dtype {a.dtype}); {values}for "
                     "an array of numbers use a Tensor")


def real(x: object, where: str, what: str = "data") -> float:
    """``x`` as a float if it is a real number (not a bool); otherwise a TypeError naming ``where`` and ``what``."""
    if type(x) is float:  # the common case first, as in constant
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, _NOT_NUMBERS):
        try:
            return float(x)
        except OverflowError:
            raise too_large(x, where) from None
    raise TypeError(f"{where}: {what} must be a real number (int or float), got {type(x).__name__} {x!r}")


def reals(xs: Any, where: str, what: str = "entry") -> Any:
    """A list of numbers (or a tuple, an ndarray, a torch tensor) as Python floats, as ``Value(a)`` takes
    ``float(a)``; a list or tuple of floats is returned as it is. np.float32 entries would make generated code
    compute in float32 (np.float32 * float stays float32); a bool or a non-number is a TypeError naming ``where``
    and the entry, as ``Value(True)`` refuses it.

    >>> reals((0.5, 1), "compiled")                  # what Value(1) holds: 1.0
    [0.5, 1.0]
    """
    if type(xs) is not list and type(xs) is not tuple and hasattr(xs, "tolist"):
        xs = xs.tolist()                      # an ndarray, a torch tensor, an array.array: Python numbers
    if type(xs) is not list and type(xs) is not tuple:
        # a dict's iteration gives its keys, a set its own order: the code would compute with numbers not given
        whose = what.rsplit(", ", 1)[0] if ", " in what else "the numbers"     # "row 0 of X, entry": the row
        raise TypeError(f"{where}: {whose} must be a list (or tuple, or array) of numbers, got "
                        f"{type(xs).__name__} {xs!r:.60}")
    if not all(type(x) is float for x in xs):
        xs = [real(x, where, f"{what} {i}") for i, x in enumerate(xs)]
    return xs


def flag(value: object, who: str, name: str) -> bool:
    """A True/False switch as a bool: Python's True or False, or numpy's (what ``(x > 0).any()`` gives); anything
    else is a TypeError naming ``who`` and ``name``. The string "False" is refused, since it is true; so are 0, 1
    and 1.0, as PyTorch refuses them: ``t.sum(0, 1)`` would otherwise keep the dims of a sum meant over axes 0
    and 1. Callers on a hot path test ``value is True or value is False`` first and call this only otherwise.

    >>> flag(np.bool_(True), "fit", "shuffle")
    True
    >>> flag("False", "fit", "shuffle")
    Traceback (most recent call last):
    TypeError: fit: shuffle must be True or False, got 'False' (a str: any non-empty string is true); write ...
    """
    if value is True or value is False or isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, str | bytes):
        fix = " (a str: any non-empty string is true); write True or False without quotes"
    elif isinstance(value, numbers.Number):
        fix = " (a number is not taken as a switch); write True or False"
    else:
        fix = "; write True or False"
    raise TypeError(f"{who}: {name} must be True or False, got {value!r:.60}{fix}")


def too_large(x: numbers.Real, op: str) -> ValueError:
    # An int beyond 1.8e308: Python's OverflowError would not say which op.
    size = f"about 1e{int(math.log10(abs(x)))}" if isinstance(x, int) else f"{x!r:.40}"
    return ValueError(f"{op}: {size} is too large for a float (largest about 1.8e308); scale it down")


def overflowed_cross_entropy(op: str, dtype: Any) -> str:
    """The warning of a cross-entropy that is inf from finite logits, in the loss's words: numpy's overflow, said
    where it happened (a target class's -log p beyond the float range), with the fix.

    >>> overflowed_cross_entropy("cross_entropy", np.float64)[:61]
    "overflow encountered in cross_entropy: a target class's logit"
    """
    return (f"overflow encountered in {op}: a target class's logit lies more than {np.finfo(dtype).max:.3g} below "
            f"its row's largest, so its -log p and the loss are beyond {np.dtype(dtype).name} (inf); scale the logits "
            "down")


EXP_MAX = 709.782712893384  # ln of the largest float64: e^x overflows beyond it

# The scalar ops' refusals of an argument outside their domain, one text each: the eager Value op and the code
# autograd.compile writes raise the same error.
_OUTSIDE = {
    "exp": "exp: exp({0!r}) overflows a float (largest argument is about 709.78); for 1 / (1 + exp(-x)) use "
           "x.sigmoid(), exact at any x; for a softmax of an array of Values subtract its largest number first, "
           "np.exp(x - max(v.data for v in x))",
    "log": "log: log({0!r}) is undefined; log needs a positive argument",
    "sqrt": "sqrt: sqrt({0!r}) is not a real number; sqrt needs x >= 0",
    "sin": "sin: sin({0!r}) is undefined; sin needs a finite argument",
    "cos": "cos: cos({0!r}) is undefined; cos needs a finite argument",
    "fractional power": "**: {0!r} ** {1!r} is not a real number (negative base, fractional exponent)",
    "zero to a negative power": "**: 0.0 ** {1!r} is undefined (zero to a negative power)",
    "Value ** Value": "**: Value ** Value needs a positive base (a^b = exp(b ln a)), got base {0!r}; for a negative "
                      "base use a number as the exponent",
}


def outside_domain(what: str, *numbers: float) -> ValueError:
    """The error for ``what`` (an op of ``_OUTSIDE``) at ``numbers`` outside its domain.

    >>> str(outside_domain("log", 0.0))
    'log: log(0.0) is undefined; log needs a positive argument'
    """
    return ValueError(_OUTSIDE[what].format(*numbers))


def overflow(base: float, exponent: float, kind: str = "a float") -> ValueError:
    # A power of finite numbers beyond the float range (Python's float ** raises a bare OverflowError there, numpy
    # warns and gives inf): both engines refuse it, naming the op and the numbers. A derivative that overflows
    # is no refusal: it is inf, as 1/x's and log's at a subnormal x.
    return ValueError(f"**: {base!s} ** {exponent!s} overflows {kind}; scale the inputs down")   # a float32: its digits


def zero_divisor(dividend: float, divisor: float) -> ZeroDivisionError:
    """The error for ``/`` by a zero divisor, in numbers (the eager op and the code ``autograd.compile`` writes raise
    this same text, where Python's own says only "float division by zero").

    >>> str(zero_divisor(1.0, -0.0)).split(";")[0]
    '/: division of 1.0 by -0.0, which is zero'
    """
    return ZeroDivisionError(f"/: division of {dividend!r} by {divisor!r}, which is zero; keep the divisor away from "
                             "0 (add a small constant, or choose another formula where it can vanish)")


def label_text(label: object, where: str = "Value", what: str = "label") -> str:
    """A node's label (a Value's ``label``, a Tensor's ``name``): a str, or "" for None; else a TypeError."""
    if label is None:
        return ""
    if isinstance(label, str):
        return label
    raise TypeError(
        f"{where}: {what} must be a str, got {type(label).__name__} {label!r}; e.g. {what}=f\"w{{i}}\""
    )


def unordered(self: object, other: object) -> bool:
    """``<``, ``<=``, ``>``, ``>=`` of Values: always a TypeError, with the way out."""
    # One message for all four: Python reflects 3 >= v into v <= 3, so the symbol it reaches us with may not be yours.
    raise TypeError(
        "<, <=, >, >=: Values are not ordered, as a comparison is not differentiable; compare their numbers "
        "(x.data < 0, a.data > b.data) and choose with max(values, key=lambda v: v.data); max(x, 0) and "
        "np.maximum(a, 0) are x.relu() (for an array of Values: np.array([v.relu() for v in a])); a stable "
        "softmax's shift np.max(x) is a constant, the largest number: x - max(v.data for v in x), row by row "
        "for a matrix"
    )


def stepwise(self: object, other: object) -> Any:
    """``//``, ``%`` and ``divmod`` of Values: always a TypeError, with the way out."""
    # As for unordered, one message: Python reflects 7 // x into x.__rfloordiv__(7)
    raise TypeError(
        "//, %, divmod: floor division and remainder of a Value are refused, as they are steps and jumps (the "
        "derivative of x // c is 0, so no gradient would pass); compute the number (x.data // 2, x.data % 2), or "
        "divide (x / 2)"
    )


def unmasked(x: Any, where: str, what: str = "data") -> None:
    """Refuse a numpy masked array with masked entries: both engines compute with every entry (``np.asarray`` keeps
    the numbers under the mask), while numpy's own ops on it honour the mask, so ``t * m`` and ``m * t`` would
    silently differ. A masked array with nothing masked is its numbers, and passes.

    >>> unmasked(np.ma.masked_array([1.0, 2.0], mask=[0, 1]), "Tensor")
    Traceback (most recent call last):
    TypeError: Tensor: data is a masked array with 1 masked entry of 2; the mask would be ignored ...
    """
    if isinstance(x, np.ma.MaskedArray) and np.ma.is_masked(x):
        n = int(np.ma.count_masked(x))
        raise TypeError(f"{where}: {what} is a masked array with {n} masked entr{'y' if n == 1 else 'ies'} of "
                        f"{x.size}; the mask would be ignored and the numbers under it used. Pass m.filled(value) "
                        "for the numbers you mean, or leave the masked samples out first (X[~X.mask.any(axis=1)])")


def compared_with_number(symbol: str, other: object) -> TypeError:
    """``x == c`` or ``x != c`` of a Value and a number: a Value is compared by identity (it is a graph node and a
    dict key), so the answer would never depend on the numbers."""
    return TypeError(
        f"{symbol}: a Value compared with the number {other!r}; a Value is compared as a node (by identity), so this "
        f"would never look at its number. Compare the number: x.data {symbol} {other!r}"
    )


def not_a_number(what: str, fix: str) -> TypeError:
    """``bool(x)``, ``float(x)``, ``int(x)``, ... of a Value: refused, naming the number to use instead.

    >>> str(not_a_number("float", "x.data")).split(";")[0]
    'float(Value): a Value is a graph node, not a number'
    """
    return TypeError(f"{what}(Value): a Value is a graph node, not a number; use its number: {fix}")
