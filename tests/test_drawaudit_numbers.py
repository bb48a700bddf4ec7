"""Hostile audit of the pictures' numbers and shades: each test was seen failing on the code before its fix.

Expected values are worked out here from the formulas (the legend's decades), never read from the drawing code.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value, to_dot
from tests.test_draw import box_of, parse


@pytest.mark.parametrize("big, tiny", [(1e300, 1e-300), (1.0, 5e-324), (1e308, 1e-308)])
def test_highlight_shades_gradients_more_decades_apart_than_a_float_holds(big, tiny):
    # y = a * b: dy/da = b and dy/db = a, so a's gradient is tiny and b's big; their ratio overflows a float.
    a, b = Value(big, label="a"), Value(tiny, label="b")
    y = a * b
    y.label = "y"
    y.backward()
    nodes, _ = parse(to_dot(y, highlight_grad=True))
    # b holds the largest gradient: the darkest shade, 6. a is log10(big / tiny) > 5 decades below: the
    # lightest shade the legend lists, 6 - 5 = 1.
    assert math.log10(big) - math.log10(tiny) > 5
    assert box_of(nodes, "b")["fillcolor"] == "/orrd9/6"
    assert box_of(nodes, "a")["fillcolor"] == "/orrd9/1"
