"""Mutation testing, ninth round, of autograd/draw (collapse, picture, render, style): each test fails on a
deliberate mistake (named in its comment) that the rest of the suite let pass. Expected pictures are worked out by
hand from draw's docstring and the graphs built here."""

import math
import re

import graphviz
import numpy as np
import pytest

from autograd import Tensor, Value, to_dot
from autograd.draw import RenderError
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


def test_a_box_that_holds_the_root_shows_the_roots_op_data_and_grad():
    # mutant: boxes() does not count the root among its box's outputs (nothing outside the box consumes it). One
    # neuron a = tanh(w x), w = 0.5, x = 2, drawn collapsed: its box holds z, a, w and x, its output is the root
    # a = tanh(1) = 0.7616 with grad 1, and it is filled as the output; the mutant's box had no output ("" for
    # its op, "0 outputs" for the numbers).
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    a = tag(tag(w * x, *NEURON).tanh(), *NEURON)
    a.backward()
    nodes, _ = parse(to_dot(a, collapse="neuron"))
    assert list(nodes) == ["g0"]
    assert fields(nodes["g0"]["label"]) == ["layers.0.neurons.0", "tanh, 4 nodes", "params w, x", "data 0.7616",
                                            "grad 1"]
    assert nodes["g0"]["fillcolor"] == "palegreen"


def test_uncollapsed_only_a_modules_output_is_named_by_the_module():
    # mutant: module_outputs names every tagged node by its module, not only those no node of the module reads.
    # A neuron a = tanh(z), z = w x, both tagged: the docstring names the neuron's activation a
    # "layers.0.neurons.0"; z (read by a) stays unnamed, "data 1". The mutant named z as well: two boxes of one name.
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    a = tag(tag(w * x, *NEURON).tanh(), *NEURON)
    nodes, _ = parse(to_dot(a))
    assert sorted(fields(v["label"]) for v in boxes(nodes).values()) == [
        ["data 1", "grad 0"], ["layers.0.neurons.0", "data 0.7616", "grad 0"], ["w", "data 0.5", "grad 0"],
        ["x", "data 2", "grad 0"]]


def two_readers(shared):
    """z = w x tagged as one neuron, read by a1 = z + s and a2 = z s of the same tag (one box, joined by z)."""
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    z = tag(w * x, *NEURON)
    return tag(z + shared, *NEURON), tag(z * shared, *NEURON)


def test_a_node_read_only_by_one_neurons_joined_pieces_is_in_its_box():
    # mutants: the pieces that read a node compared as they were first numbered, not by the piece they were
    # joined into (found = set(seen) for {find(p)}; readers = set(read_by)). a1 and a2 start two pieces, joined
    # through z; what only they read belongs to their box. With s = 3 w2 (untagged), the box holds z, a1, a2, w,
    # x, s and w2: 7 nodes (the first mutant left s and w2 out: 5); with s a leaf v, 6 nodes (the second mutant
    # left v out: v read by two pieces that did not read the same leaves). The root a1 + a2 stands alone.
    w2 = Value(1.5, label="w2")
    a1, a2 = two_readers(w2 * 3.0)
    nodes, _ = parse(to_dot(a1 + a2, collapse="neuron"))
    assert sorted(fields(v["label"]) for v in boxes(nodes).values()) == [
        ["data 10", "grad 0"],                           # (1 + 4.5) + 1 * 4.5
        ["layers.0.neurons.0", "+, *, 7 nodes", "params w, x, w2", "2 outputs"]]
    a1, a2 = two_readers(Value(1.5, label="v"))
    nodes, _ = parse(to_dot(a1 + a2, collapse="neuron"))
    assert sorted(fields(v["label"]) for v in boxes(nodes).values()) == [
        ["data 4", "grad 0"],                            # (1 + 1.5) + 1 * 1.5
        ["layers.0.neurons.0", "+, *, 6 nodes", "params w, x, v", "2 outputs"]]


@pytest.mark.parametrize("grads", [(math.nan, 1.0), (1.0, math.nan)])
def test_a_box_with_a_nan_output_gradient_is_not_finite_whatever_the_order(grads):
    # mutant: a box's magnitude is max() of its outputs' gradients without the NaN test: max(1, nan) is 1 and
    # max(nan, 1) nan, so the box was violet or the darkest shade by the order of its outputs. The docstring:
    # violet is a gradient that is inf or nan.
    a1, a2 = two_readers(Value(1.5, label="v"))
    a1.grad, a2.grad = grads
    nodes, _ = parse(to_dot(a1 + a2, collapse="neuron", highlight_grad=True))
    assert box_of(nodes, "layers.0.neurons.0")["fillcolor"] == "violet"


def test_rankdir_rl_lays_a_records_fields_in_a_row_as_lr_does():
    # mutant: the fields of a record in a row ({ a | b }) only for "LR", not for "RL". Ranks run across in both,
    # so a box's fields sit side by side, braced: "{ x | data 1 | grad 0 }"; "TB" keeps them unbraced.
    x = Value(1.0, label="x")
    for rankdir, label in (("RL", "{ x | data 1 | grad 0 }"), ("LR", "{ x | data 1 | grad 0 }"),
                           ("TB", "x | data 1 | grad 0"), ("BT", "x | data 1 | grad 0")):
        nodes, _ = parse(to_dot(x * 2.0, rankdir=rankdir))
        assert box_of(nodes, "x")["label"] == label


def test_a_tag_with_an_unhashable_part_is_refused_by_name_when_collapsing():
    # mutant: _key without its hash test: the tag (["layers", 0],) reached a dict and failed with Python's bare
    # "unhashable type: 'list'", which names neither the node nor the fix.
    root = tag(Value(1.0) * 2.0, ["layers", 0]) + 1.0
    with pytest.raises(TypeError, match=r"cannot name a box .*graph\.tag\(node, 'layers\.0', 'neurons\.1'\)"):
        to_dot(root, collapse="neuron")


def test_a_tensor_layers_box_is_shaded_by_its_parameters_root_mean_square_gradient():
    # mutants: when no output of a box keeps a gradient (a Tensor layer's activation), its magnitude from every
    # member that keeps one (z with retain_grad() too), or their norm instead of their root mean square. Here
    # loss = sum(tanh(X @ W)), X = 1e-3 in each of 100 entries, W = 0: dz = 1 - tanh(0)^2 = 1, dW = X^T dz = 1e-3
    # in each entry. The largest gradient is z's, 1; the box's is RMS(dW) = 1e-3: 3 decades down, shade 6 - 3 = 3.
    # With z counted, sqrt((100e-6 + 1) / 101) = 0.0995, shade 5; with the norm, sqrt(100) 1e-3 = 0.01, shade 4.
    x = Tensor([[1e-3] * 100])
    w = Tensor(np.zeros((100, 1)), requires_grad=True, name="W")
    z = tag(x @ w, "layers.0")
    z.retain_grad()
    loss = tag(z.tanh(), "layers.0").sum()
    loss.backward()
    assert z.grad.tolist() == [[1.0]] and np.allclose(w.grad, 1e-3, rtol=1e-15, atol=0)
    nodes, _ = parse(to_dot(loss, collapse="layer", highlight_grad=True))
    assert box_of(nodes, "layers.0")["fillcolor"] == "/orrd9/3"


def test_a_module_output_with_a_label_of_its_own_keeps_it():
    # mutant: the module's name before the node's own (scope_name first). The docstring names by its module only
    # an UNNAMED node that a module returns: the activation labelled "o" stays "o".
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    a = tag(tag(w * x, *NEURON).tanh(), *NEURON)
    a.label = "o"
    nodes, _ = parse(to_dot(a))
    assert sorted(fields(v["label"]) for v in boxes(nodes).values()) == [
        ["data 1", "grad 0"], ["o", "data 0.7616", "grad 0"], ["w", "data 0.5", "grad 0"], ["x", "data 2", "grad 0"]]


def test_a_box_lists_the_parameters_in_names_first_and_the_others_after():
    # mutant: a parameter that is not in names ranked -1 (first) instead of after every name. names gives W
    # only; the bias is a parameter still (a Tensor leaf with requires_grad), listed after: "params W, bias".
    x = Tensor([[1.0, 2.0]])
    w = Tensor([[0.5], [0.25]], requires_grad=True, name="W")
    b = Tensor([0.1], requires_grad=True, name="bias")
    nodes, _ = parse(to_dot(tag(x @ w + b, "layers.0"), collapse="layer", names={"W": w}))
    # 4 nodes: x @ W, + b, W and the bias (the input x stays outside); z = 1 * 0.5 + 2 * 0.25 + 0.1 = 1.1
    assert fields(box_of(nodes, "layers.0")["label"]) == ["layers.0", "+, 4 nodes", "params W, bias",
                                                          "(1, 1) float64", "data [[1.1]]"]


def test_a_box_with_an_unnamed_parameter_counts_its_parameters_instead_of_listing_some():
    # mutant: the parameters listed by name whenever there are at most 4, even when one has no name. w has no
    # label: "params x" would hide it; the box says "2 params".
    w, x = Value(0.5), Value(2.0, label="x")
    nodes, _ = parse(to_dot(tag(w * x, *NEURON) + 1.0, collapse="neuron"))
    assert fields(box_of(nodes, "layers.0.neurons.0")["label"]) == ["layers.0.neurons.0", "*, 3 nodes", "2 params",
                                                                    "data 1", "grad 0"]


def test_with_highlight_a_box_that_holds_the_root_has_the_outputs_green_outline():
    # mutant: a module box's outline always goldenrod3, even when it holds the root. The docstring: with
    # highlight_grad the role moves to a thick outline, green for the output. The root's grad, 1, is the largest:
    # shade 6.
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    a = tag(tag(w * x, *NEURON).tanh(), *NEURON)
    a.backward()
    nodes, _ = parse(to_dot(a, collapse="neuron", highlight_grad=True))
    assert {k: nodes["g0"][k] for k in ("color", "penwidth", "fillcolor")} == {
        "color": "darkgreen", "penwidth": "2.5", "fillcolor": "/orrd9/6"}


def test_an_arrow_from_a_nan_gradient_is_violet_and_as_thick_as_the_largest():
    # mutant: the arrow of a gradient that is inf or nan lost its width (only its colour kept). y = 2 x with
    # x.grad set to nan: the arrow x -> * is violet, 0.8 + 0.4 * 6 = 3.2 wide as the largest shade's; the arrow
    # * -> y takes y's shade, 6 (its grad 1 the largest finite one), also 3.2.
    x = Value(1.0, label="x")
    y = x * 2.0
    y.backward()
    x.grad = math.nan
    _, edges = parse(to_dot(y, highlight_grad=True))
    assert sorted(edges) == [("n0", "n1op", {"color": "violet", "penwidth": "3.2"}),
                             ("n1op", "n1", {"color": "/orrd9/6", "penwidth": "3.2"})]


def test_an_empty_names_means_every_value_leaf_is_an_input():
    # mutant: names counted as given only when non-empty (bool(names) for names is not None). The docstring:
    # every Value leaf is a parameter when NO names are given; given names (here none: a model without
    # parameters) make every leaf not in them an input, light grey.
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    nodes, _ = parse(to_dot(x * w, names={}))
    assert {fields(v["label"])[0]: v["fillcolor"] for v in boxes(nodes).values()} == {
        "x": "gray92", "w": "gray92", "data 6": "palegreen"}


@pytest.mark.parametrize("option, message", [
    ({"collapse": ""}, "collapse must be None, 'neuron' or 'layer', got ''"),
    ({"rankdir": "lr"}, "rankdir must be 'LR', 'TB', 'RL' or 'BT', got 'lr'")])
def test_an_empty_collapse_and_a_lower_case_rankdir_are_refused(option, message):
    # mutants: collapse checked only when truthy (collapse="" drew the graph uncollapsed, silently), and "lr"
    # let through the rankdir check (it then failed with a bare KeyError where the arrows' sides are looked up).
    with pytest.raises(ValueError, match=re.escape(message)):
        to_dot(Value(2.0, label="x") * 3.0, **option)


def test_the_legend_names_each_shade_by_its_decades_of_the_largest_gradient():
    # mutant: the legend's decade d written "1e-{d} to 1e-{d + 1}" ("1e-0 to 1e-1" for the darkest shade).
    # The docstring: orange-red (shade 6) is the largest gradient down to a tenth of it, each lighter shade one
    # decade smaller, down to five decades; shade 1 is five decades down or less.
    x = Value(1.0, label="x")
    y = x * 2.0
    y.backward()
    legend = [line for line in to_dot(y, highlight_grad=True, legend=True).splitlines() if "legend" in line][0]
    shades = re.findall(r'<td bgcolor="(/orrd9/\d)">([^<]+)</td>', legend)
    assert shades == [("/orrd9/6", "|grad| 1e-1 to 1 of largest"), ("/orrd9/5", "|grad| 1e-2 to 1e-1 of largest"),
                      ("/orrd9/4", "|grad| 1e-3 to 1e-2 of largest"), ("/orrd9/3", "|grad| 1e-4 to 1e-3 of largest"),
                      ("/orrd9/2", "|grad| 1e-5 to 1e-4 of largest"), ("/orrd9/1", "|grad| 1e-5 of largest or less")]


def test_a_tensor_gradient_that_is_itself_a_graph_is_drawn_by_its_numbers():
    # mutant: grad_of returns node.grad as it is, also when backward(create_graph=True) made it a Tensor node;
    # highlight_grad then took float() of a 3-element Tensor and raised. d/da sum(a * a) = 2 a = [2, 4, 6]: the
    # box shows those numbers, and its RMS sqrt((4 + 16 + 36) / 3) = 4.32 is the largest gradient kept: shade 6.
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True, name="a")
    loss = (a * a).sum()
    loss.backward(create_graph=True)
    assert a.grad.parents and a.grad.data.tolist() == [2.0, 4.0, 6.0]
    nodes, _ = parse(to_dot(loss, highlight_grad=True))
    assert fields(box_of(nodes, "a")["label"]) == ["a", "(3,) float64", "data [1., 2., 3.]", "grad [2., 4., 6.]"]
    assert box_of(nodes, "a")["fillcolor"] == "/orrd9/6"


def test_an_arrow_out_of_a_box_leaves_by_its_far_side_also_into_an_op():
    # mutant: the tail port dropped from an arrow out of a module box into an op ellipse (kept only into another
    # box). The comment of _walk: arrows run from a box's far side, "e" with rankdir LR, "s" with TB.
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    root = tag(tag(w * x, *NEURON).tanh(), *NEURON) + 1.0
    for rankdir, side in (("LR", "e"), ("TB", "s")):
        _, edges = parse(to_dot(root, collapse="neuron", rankdir=rankdir))
        assert ("g0", "n4op", {"tailport": side}) in edges


def test_a_box_is_written_after_the_nodes_it_reads():
    # mutant: a module box written where its first member comes, not its last. With ordering=out Graphviz places
    # a node's arrows in the order the text gives them, so a box comes after all it reads: here after the input
    # x, which the box's u = 2 x reads (wa, index 0, is the box's first member; x is node 1).
    x, wa = Value(1.5, label="x"), Value(2.0, label="wa")
    u = x * 2.0
    root = tag(wa * u, *NEURON) + 1.0
    lines = to_dot(root, collapse="neuron", names={"wa": wa}).splitlines()
    statement = [k for k, line in enumerate(lines) if line.startswith(("\tg0 [", "\tn1 [", "\tn1 -> g0"))]
    assert [lines[k].split()[0] for k in statement] == ["n1", "g0", "n1"]      # x, the box, the arrow x -> box


def test_the_legend_of_a_graph_drawn_as_one_box_lists_the_output():
    # mutant: a box that holds the root counted as "module" for the legend. Drawn collapsed, the neuron that
    # computes the root is one box, filled as the output: the legend lists "output (root)" and nothing else.
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    a = tag(tag(w * x, *NEURON).tanh(), *NEURON)
    legend = to_dot(a, collapse="neuron", legend=True).splitlines()[-2]
    assert re.findall(r'<td bgcolor="([^"]+)">([^<]+)</td>', legend) == [("palegreen", "output (root)")]


def test_a_box_with_no_fields_has_a_blank_label():
    # mutant: a record with no fields labelled "{  }" (the row's braces around nothing) rather than " ". An
    # unnamed Value drawn with show_data=False and show_grad=False has nothing to show.
    nodes, _ = parse(to_dot(Value(1.0) * 2.0, show_data=False, show_grad=False))
    assert [v["label"] for v in boxes(nodes).values()] == [" ", " "]


def test_names_given_as_triples_are_refused_with_the_fix():
    # mutant: the pairs of names not checked to be pairs: ("x", x, "extra") failed on unpacking with a bare
    # ValueError ("too many values to unpack") instead of the TypeError that says what names should be.
    x = Value(1.0, label="x")
    with pytest.raises(TypeError, match=r"names: expected a dict of name -> Value or Tensor; pass names=dict"):
        to_dot(x * 2.0, names=[("x", x, "extra")])


@pytest.mark.parametrize("stderr, said", [(b"Error: syntax error in line 1\n", "Error: syntax error in line 1"),
                                          (b"", "it gave no reason"), (None, "it gave no reason")],
                         ids=["said", "empty", "none"])
def test_a_render_error_quotes_what_dot_said_as_text(stderr, said):
    # mutants: RenderError shows str() of dot's stderr bytes ("b'Error: ...\\n'"), not the text; and an empty
    # stderr left the message ending in ": " instead of saying that dot gave no reason.
    error = RenderError(graphviz.CalledProcessError(1, ["dot", "-Tsvg"], output=b"", stderr=stderr))
    assert str(error) == f"draw: Graphviz's dot could not render the picture (exit status 1): {said}"
