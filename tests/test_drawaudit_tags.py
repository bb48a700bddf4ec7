"""Hostile audit of the module boxes: tags given in a form ``tag_as`` does not expect.

Each test was seen failing on the code before its fix. Expected names and counts are worked out here by hand.
"""

from __future__ import annotations

import pytest

from autograd import Value, to_dot
from autograd.graph import tag_as
from tests.test_draw import box_of, boxes, fields, parse


def test_a_scope_given_to_tag_as_as_one_str_names_one_module_not_one_per_character():
    a = Value(2.0, label="a")
    y = tag_as(a * 3, "layers.0") + 1                   # tag_as(node, ("layers.0",)) was meant
    nodes, _ = parse(to_dot(y))                          # uncollapsed: a * 3 is named by its module
    assert fields(box_of(nodes, "layers.0")["label"])[1] == "data 6"
    for collapse in ("neuron", "layer"):                 # one box, named layers.0, holding a and a * 3
        nodes, _ = parse(to_dot(y, collapse=collapse))
        assert fields(box_of(nodes, "layers.0")["label"])[1] == "*, 2 nodes"


def test_two_layers_tagged_by_one_str_each_stay_two_boxes_per_layer():
    # Each character was a part, so per layer both were grouped by their first part "l": with the same reads
    # (x) and feeds (the sum), two layers became one box.
    x = Value(1.0, label="x")
    h0 = tag_as(x * 2, "layers.0")
    h1 = tag_as(x * 3, "layers.1")
    y = h0 + h1
    y.label = "y"
    nodes, _ = parse(to_dot(y, collapse="layer", names={}))   # names={}: x is an input, outside the boxes
    assert sorted(fields(a["label"])[0] for a in boxes(nodes).values()) == ["layers.0", "layers.1", "x", "y"]


@pytest.mark.parametrize("collapse", [None, "neuron", "layer"])
def test_a_scope_that_is_not_a_tuple_is_refused_by_name(collapse):
    y = tag_as(Value(2.0, label="a") * 3, 5) + 1
    with pytest.raises(TypeError, match=r"^draw: .*'\*' node .*tagged 5.*tag_as\(node, \('layers.0',\)\)"):
        to_dot(y, collapse=collapse)
