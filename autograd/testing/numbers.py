"""Well-conditioned floats: the numbers every other strategy of ``autograd.testing`` is drawn from.

>>> from hypothesis import given
>>> @given(floats(0.5, 2.0))
... def test_log_is_defined(x):
...     assert math.log(x) <= 1
>>> test_log_is_defined()
"""

from __future__ import annotations

import math

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
    if away_from_zero < 0:
        raise ValueError(f"floats: away_from_zero must be >= 0, got {away_from_zero!r}")

    def between(lo: float, hi: float) -> st.SearchStrategy[float]:
        return st.floats(lo, hi, width=width, allow_nan=False, allow_infinity=False, allow_subnormal=False)

    if away_from_zero == 0:
        return between(min_value, max_value)
    sides = []
    if max_value >= away_from_zero:
        sides.append(between(max(min_value, away_from_zero), max_value))
    if min_value <= -away_from_zero:
        sides.append(between(min_value, min(max_value, -away_from_zero)))
    if not sides:
        raise ValueError(
            f"floats: no number in [{min_value!r}, {max_value!r}] is at least {away_from_zero!r} away from 0; "
            "widen the interval or lower away_from_zero"
        )
    return st.one_of(sides)
