"""Mutation testing, ninth round, of autograd/draw (collapse, picture, render, style): each test fails on a
deliberate mistake (named in its comment) that the rest of the suite let pass. Expected pictures are worked out by
hand from draw's docstring and the graphs built here."""

import math

import numpy as np
import pytest

from autograd import Tensor, Value, to_dot
from autograd.graph import tag, topological_order
from tests.test_draw import box_of, boxes, fields, parse

NEURON = ("layers.0", "neurons.0")


def test_three_tagged_nodes_reading_one_tagged_z_are_one_neuron_box():
    # mutant: _Pieces.join links the raw pieces (parent[max(p, q)] = min(p, q)) without finding their roots
    # first. z = w x feeds three nodes of its own tag; walking back from the root, the first two join, then the
    # third is joined to the first, which is no longer a root: its link to the second was overwritten and the
    # neuron split into two boxes of one name. The docstring: nodes of one tag joined by arrows are one box, so
    # one box holds z, its three readers and the two leaves only they read: 6 nodes, 3 outputs.
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    z = tag(w * x, *NEURON)
    a1, a2, a3 = tag(z.tanh(), *NEURON), tag(z * 2.0, *NEURON), tag(z + 1.0, *NEURON)
    root = a3 + a2 + a1
    # the walk's order that the mutant needs: a1 after a2 after a3 (each joined to the box while walking back)
    order = topological_order(root)
    assert [order.index(n) for n in (a3, a2, a1)] == [3, 4, 6]
    nodes, _ = parse(to_dot(root, collapse="neuron"))
    named = [fields(a["label"]) for a in boxes(nodes).values() if fields(a["label"])[0] == "layers.0.neurons.0"]
    assert named == [["layers.0.neurons.0", "+, *, tanh, 6 nodes", "params w, x", "3 outputs"]]


def test_an_intermediate_read_by_two_models_neurons_of_one_tag_stays_outside_both():
    # mutant: an untagged intermediate joins a box when its consumers' pieces number one OR MORE (len(found) >= 1
    # for == 1). u = 2 x is read by the neuron "layers.0.neurons.0" of two models (own weights wa, wb): the
    # docstring keeps a node read by several boxes outside them all; the mutant put u into one model's box
    # ("*, 3 nodes", "2 outputs"). Each box holds its z and its weight: "*, 2 nodes", z = w u with u = 3.
    x = Value(1.5, label="x")
    wa, wb = Value(2.0, label="wa"), Value(-1.0, label="wb")
    u = x * 2.0
    u.label = "u"
    za, zb = tag(wa * u, *NEURON), tag(wb * u, *NEURON)
    nodes, _ = parse(to_dot(za + zb, collapse="neuron", names={"wa": wa, "wb": wb}))
    assert sorted(fields(a["label"]) for a in boxes(nodes).values()) == [
        ["data 3", "grad 0"],                                                      # the root, za + zb = 6 - 3
        ["layers.0.neurons.0", "*, 2 nodes", "params wa", "data 6", "grad 0"],
        ["layers.0.neurons.0", "*, 2 nodes", "params wb", "data -3", "grad 0"],
        ["u", "data 3", "grad 0"],
        ["x", "data 1.5", "grad 0"],
    ]


def test_an_empty_tensors_gradient_is_drawn_as_zero_not_as_not_finite():
    # mutant: the root mean square of no numbers is NaN (the size-0 case returned math.nan, not 0.0). a of shape
    # (0,) gets an empty gradient from L = sum(a) + b: no entry has a gradient, so highlight_grad draws it white
    # (zero), as an all-zero gradient; the mutant drew it violet, "inf or nan". b's gradient, 1, is the largest:
    # shade 6.
    a = Tensor(np.zeros(0), requires_grad=True, name="a")
    b = Tensor([2.0], requires_grad=True, name="b")
    loss = (a.sum() + b).sum()
    loss.backward()
    assert a.grad.shape == (0,) and b.grad.tolist() == [1.0]
    nodes, _ = parse(to_dot(loss, highlight_grad=True))
    assert box_of(nodes, "a")["fillcolor"] == "white"
    assert box_of(nodes, "b")["fillcolor"] == "/orrd9/6"


@pytest.mark.parametrize("numbers, norm", [([0.0] * 10, "0"), ([1.0] * 9 + [math.inf], "inf"),
                                           ([3.0, 4.0] + [0.0] * 8, "5")])
def test_the_norm_of_a_big_tensor_is_zero_inf_or_its_value(numbers, norm):
    # mutants: _root_sum_square without its early return for an all-zero array (0 / 0: NaN), or for one whose
    # largest entry is inf (inf / inf: NaN). A Tensor of 10 > 9 entries shows its norm: sqrt(0) = 0, a norm with
    # an infinite entry is inf, and sqrt(3^2 + 4^2) = 5 (the scaling by the largest entry undone).
    nodes, _ = parse(to_dot(Tensor(numbers, name="t")))
    assert fields(box_of(nodes, "t")["label"]) == ["t", "(10,) float64", f"data norm {norm}"]


def test_a_0_d_tensor_shows_4_significant_digits_as_a_value_does():
    # mutant: _array without its 0-d case, so a scalar Tensor was printed as numpy prints arrays, to 4 decimals:
    # "1234.5678" and "1.2346". The docstring rounds a 0-d Tensor as a Value, f"{x:.4g}": 1235 and 1.235.
    for number, shown_as in ((1234.5678, "1235"), (1.23456789, "1.235")):
        nodes, _ = parse(to_dot(Tensor(number, name="s")))
        assert fields(box_of(nodes, "s")["label"]) == ["s", "scalar float64", f"data {shown_as}"]


def test_a_small_tensor_shows_4_decimals_and_its_rows_left_aligned():
    # mutants: numpy's print precision 5 for 4 (1.23457 for 1.2346), and the rows of a matrix joined by
    # Graphviz's centred line break \n, with no \l at the end, for the left-justified \l. The docstring: a
    # Tensor's numbers to 4 decimals as numpy prints them; in a record, \l ends a line set flush left, so that
    # numpy's rows line up.
    nodes, _ = parse(to_dot(Tensor([1.23456789, 2.0], name="v")))
    assert fields(box_of(nodes, "v")["label"]) == ["v", "(2,) float64", "data [1.2346, 2.    ]"]
    nodes, _ = parse(to_dot(Tensor([[1.0, 2.5], [3.0, 4.0]], name="m")))
    assert fields(box_of(nodes, "m")["label"]) == ["m", "(2, 2) float64", "data\\n[[1. , 2.5],\\l [3. , 4. ]]\\l"]
