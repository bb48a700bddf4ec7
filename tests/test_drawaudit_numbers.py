"""Hostile audit of the pictures' numbers and shades: each test was seen failing on the code before its fix.

Expected values are worked out here from the formulas (the legend's decades), never read from the drawing code.
"""

from __future__ import annotations

import math
import re

import pytest

from autograd import Value, to_dot
from autograd.graph import tag
from tests.test_draw import box_of, boxes, fields, parse


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


def test_collapsing_with_many_names_draws_every_box_once_with_its_name():
    # Many one-node module boxes beside many names: the names are now ranked once a picture, not once a box
    # (1000 boxes and 200,000 names took 121 s, now about 1 s; speed belongs to benchmarks, not to a timed test).
    # This keeps the drawing itself right at that scale: one box per module, each under its own name.
    x = Value(1.0, label="x")
    y = sum((tag(x * float(k), f"m{k}") for k in range(1, 200)), tag(x * 1.0, "m0"))
    names = {f"p{k}": Value(float(k)) for k in range(5_000)}
    names["x"] = x
    nodes, _ = parse(to_dot(y, collapse="neuron", names=names, max_nodes=5000))
    shown = sorted(fields(a["label"])[0] for a in boxes(nodes).values() if fields(a["label"])[0].startswith("m"))
    assert shown == sorted(f"m{k}" for k in range(200))


def test_a_value_whose_grad_was_set_to_none_is_drawn_as_keeping_none():
    # v.grad = None, as torch's zero_grad(set_to_none=True) leaves a tensor: it was an unnamed TypeError from
    # formatting None; now it reads "grad None" as a Tensor's does, and highlight_grad dots it (no gradient kept).
    v = Value(1.5, label="v")
    y = v * 2.0
    y.label = "y"
    y.backward()
    v.grad = None
    nodes, _ = parse(to_dot(y))
    assert fields(box_of(nodes, "v")["label"]) == ["v", "data 1.5", "grad None"]
    assert fields(box_of(nodes, "y")["label"]) == ["y", "data 3", "grad 1"]
    nodes, _ = parse(to_dot(y, highlight_grad=True))
    assert box_of(nodes, "v")["style"] == "filled,dotted"


@pytest.mark.parametrize("bad", [math.nan, math.inf])
@pytest.mark.parametrize("collapse", [None, "neuron"])
def test_highlight_draws_an_inf_or_nan_gradient_apart_from_the_decades_and_the_legend_says_so(bad, collapse):
    # m = 3a (module M), y = m c + 2 b: dy/dm = c and dy/da = 3c (inf or nan); dy/dc = m = 3, the largest finite
    # gradient; dy/db = 2 and dy/dy = 1, within a tenth of it. The darkest shade means "1e-1 to 1 of the
    # largest": an inf or nan gradient is neither, so it must not wear it.
    a, b, c = Value(1.0, label="a"), Value(0.5, label="b"), Value(bad, label="c")
    y = tag(a * 3.0, "M") * c + b * 2.0
    y.label = "y"
    y.backward()
    assert math.isnan(a.grad) if math.isnan(bad) else a.grad == math.inf
    dot = to_dot(y, highlight_grad=True, legend=True, collapse=collapse, show_grad=False)
    nodes, edges = parse(dot)
    for finite in ("b", "c", "y"):
        assert box_of(nodes, finite)["fillcolor"] == "/orrd9/6"
    fill = box_of(nodes, "M")["fillcolor"]                      # the module's output (collapsed: its box)
    assert fill not in [f"/orrd9/{k}" for k in range(1, 7)] and fill != "white"
    if collapse is None:
        assert box_of(nodes, "a")["fillcolor"] == fill
    (m_id,) = [k for k, n in boxes(nodes).items() if fields(n["label"])[0] == "M"]
    assert [e["color"] for t, _, e in edges if t == m_id] == [fill]   # its arrow too
    row = re.search(rf'bgcolor="{fill}"[^>]*>([^<]*)<', dot)
    assert row and "inf or nan" in row[1]
