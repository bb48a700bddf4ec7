"""Interval arithmetic on the rules table: an interval sure to hold an op's result, given intervals for its arguments.

A box ``(lo, hi)`` holds every value a node can take for inputs near the drawn ones. A function's range on a box
comes from its rule in ``autograd.rules``: its float value at the end points and at the points where it turns
(``rule.critical``), which is all a function that is monotone between its turning points can reach.

>>> from autograd import rules
>>> lo, hi = image(rules.SIN, (0.0, 3.0))       # sin turns at pi/2, inside: the top is sin(pi/2) = 1
>>> lo <= 0.0 < 1.0 <= hi < 1.0 + 1e-8
True
>>> lo, hi = times((-1.0, 2.0), (3.0, 4.0))
>>> lo <= -4.0 and 8.0 <= hi
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .. import rules

__all__ = ["Box", "widen", "image", "image_of", "times", "quotient"]

Box = tuple  # (lo, hi), lo <= hi: an interval sure to hold a node's value


def widen(lo: float, hi: float) -> Box:
    """``(lo, hi)`` padded by about 1e-9 (relative): the bounds are themselves computed in floating point, and the
    padding keeps rounding from ever making them lie.

    >>> lo, hi = widen(1.0, 2.0)
    >>> lo < 1.0 and 2.0 < hi and hi - lo < 1.0 + 1e-8
    True
    """
    pad = 1e-9 * (1.0 + max(abs(lo), abs(hi)))
    return lo - pad, hi + pad


def _check(where: str, box: Box) -> None:
    """Refuse a box whose ends are swapped (or NaN): the range found from its ends would silently be wrong."""
    if not box[0] <= box[1]:
        raise ValueError(f"{where}: a box is (lo, hi) with lo <= hi, got {box!r}")


def image_of(g: Callable[[float], float], box: Box, turns: Iterable[float] = ()) -> Box:
    """The range of ``g`` over ``box``, for a ``g`` that is monotone between its turning points ``turns``.

    >>> lo, hi = image_of(lambda x: x * x, (-1.0, 2.0), turns=[0.0])
    >>> -1e-8 < lo <= 0.0 and 4.0 <= hi < 4.0 + 1e-8
    True
    """
    _check("image_of", box)
    lo, hi = box
    ys = [g(lo), g(hi)] + [g(t) for t in turns if lo <= t <= hi]
    return widen(min(ys), max(ys))


def image(rule: rules.Rule, box: Box, *constants: float) -> Box:
    """The range of a rule of one argument over ``box`` (inside the rule's domain): its float value at the end
    points and at ``rule.critical``. ``constants`` follow the argument (the p of ``x ** p``).

    >>> lo, hi = image(rules.ABS, (-1.0, 2.0))       # |x| turns at 0
    >>> -1e-8 < lo <= 0.0 and 2.0 <= hi < 2.0 + 1e-8
    True
    >>> lo, hi = image(rules.POWER, (-2.0, 1.0), 2.0)  # x^2 turns at 0 too
    >>> -1e-8 < lo <= 0.0 and 4.0 <= hi < 4.0 + 1e-8
    True
    """
    _check("image", box)
    negative_power = rule is rules.POWER and len(constants) == 1 and constants[0] < 0   # (x^p = 1/x^|p|)
    poles = rule.domain.poles + ((0.0,) if negative_power else ())
    if any(box[0] <= pole <= box[1] for pole in poles):   # the range is unbounded there: its ends say nothing
        raise ValueError(f"image: {rule.name} has a pole in the box {box!r}; keep the box clear of {poles}")
    return image_of(lambda x: rule.value(rules.FLOATS, x, *constants), box, rule.critical(*box))


def times(a: Box, b: Box) -> Box:
    """The range of ``x * y`` for x in ``a`` and y in ``b``: the extremes of the four corner products."""
    _check("times", a)
    _check("times", b)
    ends = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
    return widen(min(ends), max(ends))


def quotient(a: Box, den: Box) -> Box:
    """The range of ``x / y`` for x in ``a`` and y in ``den``, a box clear of 0 (refused otherwise).

    >>> lo, hi = quotient((1.0, 2.0), (-4.0, -2.0))   # 1/y in [-1/2, -1/4]
    >>> lo <= -1.0 and -0.25 <= hi < -0.25 + 1e-8
    True
    """
    _check("quotient", den)
    if den[0] <= 0.0 <= den[1]:   # 1/y is unbounded there: the ends' reciprocals would not hold the range
        raise ValueError(f"quotient: the denominator's box {den!r} holds 0, where x / y is unbounded; keep it clear "
                         "of 0")
    return times(a, (1 / den[1], 1 / den[0]))
