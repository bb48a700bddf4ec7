"""Well-conditioned floats: the numbers every other strategy of ``autograd.testing`` is drawn from.

>>> from hypothesis import given
>>> @given(floats(0.5, 2.0))
... def test_log_is_defined(x):
...     assert math.log(x) <= 1
>>> test_log_is_defined()
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

__all__ = ["floats"]


def floats(
    min_value: float = -2.0, max_value: float = 2.0, *, away_from_zero: float = 0.0, width: int = 64
) -> st.SearchStrategy[float]:
    """Finite floats in ``[min_value, max_value]``: no NaN, no inf, no subnormal; ``|x| >= away_from_zero``.

    ``width=32`` draws numbers that float32 represents exactly (for float32 Tensors).

    >>> from hypothesis import given
    >>> @given(floats(-1.0, 1.0, away_from_zero=0.1))
    ... def test_reciprocal_is_bounded(x):
    ...     assert abs(1 / x) <= 10
    >>> test_reciprocal_is_bounded()
    """
    if not (math.isfinite(min_value) and math.isfinite(max_value) and min_value <= max_value):
        raise ValueError(f"floats: need finite min_value <= max_value, got [{min_value!r}, {max_value!r}]")
    if not away_from_zero >= 0:  # (NaN too)
        raise ValueError(f"floats: away_from_zero must be >= 0, got {away_from_zero!r}")
    if width not in (16, 32, 64):
        raise ValueError(f"floats: width must be 16, 32 or 64 (the bits of a numpy float), got {width!r}")

    tiny = float(np.finfo(f"float{width}").tiny)  # the smallest normal number: below it only subnormals lie

    def between(lo: float, hi: float) -> st.SearchStrategy[float] | None:
        """The floats in [lo, hi], or None if no number that may be drawn lies there."""
        if width != 64:  # hypothesis refuses a bound the width cannot hold (0.1 in float32): round it inwards
            kind = np.dtype(f"float{width}").type
            with np.errstate(over="ignore"):   # a bound beyond the width's range is inf, then rounded inwards
                lo32, hi32 = kind(lo), kind(hi)
            # compared as float64: numpy would compare a float32 with a Python float in float32
            lo = float(lo32) if float(lo32) >= lo else float(np.nextafter(lo32, kind(np.inf)))
            hi = float(hi32) if float(hi32) <= hi else float(np.nextafter(hi32, kind(-np.inf)))
        if lo > hi or (lo > 0 and hi < tiny) or (hi < 0 and lo > -tiny):  # (subnormals only: never drawn)
            return None
        return st.floats(lo, hi, width=width, allow_nan=False, allow_infinity=False, allow_subnormal=False)

    if away_from_zero == 0:
        sides = [between(min_value, max_value)]
    else:  # each side on its own: one may hold no number of the width while the other holds many
        sides = [between(max(min_value, away_from_zero), max_value) if max_value >= away_from_zero else None,
                 between(min_value, min(max_value, -away_from_zero)) if min_value <= -away_from_zero else None]
    sides = [side for side in sides if side is not None]
    if not sides:
        raise ValueError(
            f"floats: no float{width} lies in [{min_value!r}, {max_value!r}] at least {away_from_zero!r} away from 0 "
            "(subnormals are never drawn); widen the interval or lower away_from_zero"
        )
    return sides[0] if len(sides) == 1 else st.one_of(sides)
