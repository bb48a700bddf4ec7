"""Trust in the pictures: a drawing of hostile input shows the right numbers, or refuses by name.

Expected values are computed here by hand from the graph, never read from the drawing code. Rendering tests
need Graphviz's ``dot``: they skip without it locally, and fail without it under CI=true (``needs_dot``).
"""

from __future__ import annotations

import math
from pathlib import Path
from xml.etree import ElementTree

import graphviz
import numpy as np
import pytest

from autograd import Tensor, Value, draw, to_dot
from autograd.draw import RenderError
from autograd.graph import tag
from tests.test_draw import box_of, boxes, fields, needs_dot, parse

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


# --- files: formats and paths -----------------------------------------------------------------------------------


def small_picture():
    """a * b + a: three boxes for a, b and the sum's parts (a * b, the result), two ops, 2 + 2 + 2 arrows."""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    return draw(a * b + a)


def svg_counts(svg: bytes) -> tuple[int, int]:
    """(nodes, edges) of an SVG that dot wrote."""
    root = ElementTree.fromstring(svg)
    kinds = [g.get("class") for g in root.iter("{http://www.w3.org/2000/svg}g")]
    return kinds.count("node"), kinds.count("edge")


@needs_dot
@pytest.mark.parametrize("fmt", ["SVG", "Svg", "PNG", "PDF"])
def test_a_format_named_in_capitals_renders_as_in_lower_case(tmp_path, fmt):
    picture = small_picture()
    written = Path(picture.render(tmp_path / "pic", format=fmt, cleanup=True))
    assert written == tmp_path / f"pic.{fmt.lower()}"
    head = written.read_bytes()[:8]
    assert {"SVG": b"<?xml", "PNG": b"\x89PNG", "PDF": b"%PDF"}[fmt.upper()] in head
    if fmt.upper() == "SVG":
        assert svg_counts(written.read_bytes()) == (4 + 2, 6)     # a, b, a*b, a*b+a; the ops * and +
        assert svg_counts(picture.pipe(format=fmt)) == (6, 6)
        assert svg_counts(picture.pipe(fmt)) == (6, 6)           # format given by position too


@needs_dot
def test_dot_failing_to_write_is_a_render_error_that_says_why(tmp_path):
    (tmp_path / "pic.svg").mkdir()                               # dot cannot write its output over a folder
    with pytest.raises(RenderError, match=r"^draw: Graphviz's dot could not render .*Is a directory") as caught:
        small_picture().render(tmp_path / "pic", format="svg")
    assert isinstance(caught.value, graphviz.CalledProcessError)  # old except clauses still catch it
    assert "PosixPath" not in str(caught.value)


def test_an_unknown_format_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="unknown format: 'xyz'"):
        small_picture().pipe(format="xyz")


@needs_dot
@pytest.mark.parametrize("where", ["with space/pic ture", "ünï cødé/日本", "missing/folders/below/pic"])
def test_renders_to_paths_with_spaces_unicode_and_missing_folders_and_over_an_existing_file(tmp_path, where):
    target = tmp_path / where
    for _ in range(2):                                           # the second time over the first file
        written = Path(small_picture().render(target, format="svg", cleanup=True))
        assert written == target.with_name(target.name + ".svg")
        assert svg_counts(written.read_bytes()) == (6, 6)
    assert not target.exists()                                  # cleanup removed the DOT source


# --- collapse on hostile tags -------------------------------------------------------------------------------------


def test_a_tag_that_cannot_key_a_box_is_refused_by_name_when_collapsing():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    y = tag(a * b, ["layers", 0]) + 1                            # a list: tags are strs
    for collapse in ("neuron", "layer"):
        with pytest.raises(TypeError, match=r"^draw: collapse .* tag \(\['layers', 0\],\) of the '\*' node .* strs"):
            to_dot(y, collapse=collapse)
    nodes, _ = parse(to_dot(y))                                  # uncollapsed: the tag names the box, by its str()
    assert fields(box_of(nodes, r"['layers', 0]")["label"])[1] == "data 6"


def test_a_module_box_with_a_nan_gradient_is_shaded_alike_whichever_output_comes_first():
    fills = []
    for flip in (False, True):                                   # t1 + t2 or t2 + t1: the same graph
        a, c = Value(1.0, label="a"), Value(math.nan, label="c")
        y1, y2 = tag(a * 1.0, "M"), tag(a * 2.0, "M")            # box M: a, y1, y2; grads 1e-6 and nan
        y2.label = "y2"
        t1, t2 = y1 * 1e-6, y2 * c
        root = t2 + t1 if flip else t1 + t2
        root.backward()
        (box,) = [n for n in boxes(parse(to_dot(root, collapse="neuron", highlight_grad=True))[0]).values()
                  if fields(n["label"])[0] == "M"]
        fills.append(box["fillcolor"])
        nan_node = box_of(parse(to_dot(root, highlight_grad=True))[0], "y2")["fillcolor"]
    assert fills == [nan_node, nan_node]                         # as its NaN output is shaded when drawn alone


# --- what was checked and found right: kept so -------------------------------------------------------------------

INJECTION = '"]; x -> y [label="'


@needs_dot
def test_nodes_with_one_and_the_same_injecting_label_stay_apart_in_the_svg():
    a, b, c = (Value(v, label=INJECTION) for v in (1.0, 2.0, 3.0))
    y = a * b + c                                                # boxes a, b, c, a*b, y; ops * and +
    y.label = INJECTION
    svg = draw(y).pipe(format="svg")
    assert svg_counts(svg) == (5 + 2, 2 + 1 + 2 + 1)            # parent links 2 + 2, and one op -> result each
    texts = [t.text for t in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count(INJECTION) == 4 and {"data 1", "data 2", "data 3", "data 5"} <= set(texts)


def test_a_tensor_of_a_million_numbers_is_labelled_by_its_norm_in_a_short_label():
    n = 10**6
    t = Tensor(np.arange(float(n)), requires_grad=True, name="big")
    label = box_of(parse(to_dot(t))[0], "big")["label"]
    assert len(label) < 100
    assert f"data norm {math.sqrt((n - 1) * n * (2 * n - 1) / 6):.4g}" in fields(label)   # sqrt(sum k^2)
