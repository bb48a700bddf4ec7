"""Trust in the pictures: a drawing of hostile input shows the right numbers, or refuses by name.

Expected values are computed here by hand from the graph, never read from the drawing code. Rendering tests
need Graphviz's ``dot``: they skip without it locally, and fail without it under CI=true (``needs_dot``).
"""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value, to_dot
from tests.test_draw import boxes, box_of, fields, parse

# --- gradients that are themselves nodes: backward(create_graph=True) -------------------------------------------


def test_a_value_graph_after_create_graph_shows_each_gradients_number():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    y.backward(create_graph=True)                        # x.grad is now a Value: d(x^2)/dx = 2x = 6
    for options in ({}, {"highlight_grad": True}):
        nodes, _ = parse(to_dot(y, **options))
        assert fields(box_of(nodes, "x")["label"]) == ["x", "data 3", "grad 6"]
        assert fields(box_of(nodes, "y")["label"]) == ["y", "data 9", "grad 1"]


def test_a_tensor_graph_after_create_graph_shows_each_gradients_numbers():
    t = Tensor([1.0, 2.0], requires_grad=True, name="t")
    s = (t * t).sum()                                    # ds/dt = 2t = [2, 4]
    s.backward(create_graph=True)
    for options in ({}, {"highlight_grad": True}):
        nodes, _ = parse(to_dot(s, **options))
        assert fields(box_of(nodes, "t")["label"])[1:] == ["(2,) float64", "data [1., 2.]", "grad [2., 4.]"]
    u = Tensor(np.arange(10.0), requires_grad=True, name="u")
    r = (u * u).sum()                                    # grad 2u: norm 2 sqrt(0 + 1 + ... + 81) = 2 sqrt(285)
    r.backward(create_graph=True)
    label = box_of(parse(to_dot(r, highlight_grad=True))[0], "u")["label"]
    assert f"grad norm {2 * np.sqrt(285):.4g}" in fields(label)
    assert len(boxes(parse(to_dot(r))[0])) == 3         # u, u * u, the sum: the gradient's graph is not drawn
