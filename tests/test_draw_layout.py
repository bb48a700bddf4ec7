"""The pictures of examples/draw_graph.py, as a newcomer reads them (issue 15): the legend lists only the kinds of
box that are drawn, a collapsed network keeps its neurons in order within each layer with arrows that leave a box
by its far side and enter the next by its near side, and the Tensor MLP drawing has a legend."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest

from autograd import Value, to_dot
from tests.test_draw import needs_dot

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "draw_graph.py"


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("example_draw_graph_layout", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def legend_rows(dot: str) -> list[str]:
    (html,) = re.findall(r"^\tlegend \[label=<(.*)> shape=plaintext\]$", dot, re.M)
    return [t for t in re.findall(r"<td[^>]*>([^<]*)</td>", html) if t]


def test_hh19_legend_lists_no_input_or_parameter_box_since_none_is_drawn(example):
    source = example.hh19_neurons().source
    rows = legend_rows(source)
    assert "input" not in rows and "parameter" not in rows                  # x are numbers; weights sit in boxes
    assert "module (collapse)" in rows and "output (root)" in rows
    assert "zero gradient (dashed arrows)" not in rows and "no gradient kept" not in rows
    assert sum(r.startswith("|grad|") for r in rows) == 6                    # the whole scale of shades stays


def test_neuron_legend_lists_what_micrograds_neuron_shows(example):
    rows = legend_rows(example.neuron().source)
    assert rows == ["parameter", "input", "output (root)", "intermediate", "op (small ellipse)"]


def test_tensor_mlp_drawing_has_a_legend_with_parameters_inputs_and_ops(example):
    rows = legend_rows(example.tensor_mlp().source)
    assert {"parameter", "input", "output (root)", "op (small ellipse)"} <= set(rows)
    assert "module (collapse)" not in rows


def test_legend_of_a_single_leaf_lists_only_the_output():
    assert legend_rows(to_dot(Value(1.0), legend=True)) == ["output (root)"]


def test_collapsed_arrows_leave_by_the_far_side_and_enter_by_the_near_side(example):
    source = example.hh19_neurons().source
    assert "ordering=out" in source.splitlines()[1]
    between_boxes = re.findall(r"^\tg\d+ -> g\d+ \[(.*)\]$", source, re.M)
    assert len(between_boxes) == 2 * 3 + 3 * 2                               # 2-2-3-2: two full layers of arrows
    assert all("headport=w" in a and "tailport=e" in a for a in between_boxes)


@needs_dot
def test_hh19_neurons_are_in_index_order_within_each_layer(example):
    """dot's own layout (-Tplain): in each layer, neuron 0 is on top, then 1, then 2."""
    source = example.hh19_neurons().source
    label_of = dict(re.findall(r'^\t(g\d+) \[label="(layers\.\d\.neurons\.\d)', source, re.M))
    plain = subprocess.run(["dot", "-Tplain"], input=source, capture_output=True, text=True, check=True).stdout
    y = {}
    for line in plain.splitlines():
        parts = line.split()
        if parts[0] == "node" and parts[1] in label_of:
            y[label_of[parts[1]]] = float(parts[3])
    assert len(y) == 7
    for layer in range(3):
        heights = [y[k] for k in sorted(y) if k.startswith(f"layers.{layer}.")]
        assert heights == sorted(heights, reverse=True), (layer, heights)   # plain's y grows upwards
