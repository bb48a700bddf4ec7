"""autograd.draw / to_dot: the DOT text says what the recorded graph holds, and Graphviz renders it.

The DOT structure is read back with a small parser and compared with the graph walked here independently
(a breadth-first search over ``parents``) and with numbers computed by hand from the formulas.
Rendering tests need Graphviz's ``dot``: they skip without it locally, and fail without it under CI=true.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import struct
import subprocess
import sys
import unicodedata
from collections import deque
from pathlib import Path
from xml.etree import ElementTree

import graphviz
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, Value, draw, to_dot, weighted_sum
from autograd.draw import GraphvizNotFound
from autograd.graph import tag
from nn import MLP, scalar

HAVE_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(
    not HAVE_DOT and os.environ.get("CI") != "true",
    reason="Graphviz's dot is not installed (CI installs it, and there this test must run)",
)

# --- reading DOT back ---------------------------------------------------------------------------------------------

ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')
EDGE = re.compile(r"^\t(\S+) -> (\S+)(?: \[(.*)\])?$")
NODE = re.compile(r"^\t(\S+) \[(.*)\]$")


def attrs(text: str) -> dict:
    return {k: (v[1:-1] if v.startswith('"') else v) for k, v in ATTR.findall(text or "")}


def parse(dot: str) -> tuple[dict, list]:
    """(nodes: id -> attributes, edges: [(tail, head, attributes)]) of the DOT text ``to_dot`` writes."""
    nodes, edges = {}, []
    for line in dot.splitlines():
        if m := EDGE.match(line):
            edges.append((m[1], m[2], attrs(m[3])))
        elif (m := NODE.match(line)) and m[1] not in ("graph", "node", "edge"):
            nodes[m[1]] = attrs(m[2])
    return nodes, edges


def fields(label: str) -> list[str]:
    """The fields of a record label "{ a | b | c }"."""
    return [f.strip() for f in re.split(r"(?<!\\)\|", label.strip("{} "))]


def number(label: str, what: str) -> float:
    """The number after ``what`` ("data" or "grad") in a record label."""
    return float(re.search(rf"\b{what} (\S+)", label)[1])


def boxes(nodes: dict) -> dict:
    """Value/Tensor/module boxes (records), without the op ellipses."""
    return {k: a for k, a in nodes.items() if a.get("shape") == "record"}


def walk(root) -> tuple[list, int]:
    """Every node of the recorded graph (breadth first, by identity) and the number of parent links."""
    seen, queue, links = {id(root): root}, deque([root]), 0
    while queue:
        node = queue.popleft()
        for parent in node.parents:
            links += 1
            if id(parent) not in seen:
                seen[id(parent)] = parent
                queue.append(parent)
    return list(seen.values()), links


def assert_every_node_drawn_once(nodes: dict, root) -> None:
    """The module boxes hold, between them, every recorded node that is not drawn on its own."""
    held = [int(m[1]) for a in boxes(nodes).values() if (m := re.search(r"(\d+) nodes", a["label"]))]
    assert sum(held) + len(boxes(nodes)) - len(held) == len(walk(root)[0])


def box_of(nodes: dict, name: str) -> dict:
    """The one box whose first field is ``name``."""
    found = [a for a in boxes(nodes).values() if fields(a["label"])[0] == name]
    assert len(found) == 1, f"{len(found)} boxes named {name!r}"
    return found[0]


def id_of(nodes: dict, name: str) -> str:
    found = [k for k, a in boxes(nodes).items() if fields(a["label"])[0] == name]
    assert len(found) == 1, f"{len(found)} boxes named {name!r}"
    return found[0]


# --- graphs -------------------------------------------------------------------------------------------------------

def neuron():
    """micrograd's neuron o = tanh(x1 w1 + x2 w2 + b), backward done."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, n=n)


@st.composite
def dags(draw_):
    """A random expression in which earlier nodes are reused: Values made by mean, *, tanh and a neuron's
    weighted_sum (n-ary: bias, weights and inputs) of any earlier nodes.
    Every node stays in [-1, 1], so nothing overflows however deep the expression."""
    made = [Value(draw_(st.floats(-1, 1)), label=f"v{k}") for k in range(draw_(st.integers(1, 4)))]
    for _ in range(draw_(st.integers(1, 25))):
        op = draw_(st.sampled_from(["mean", "*", "tanh", "weighted_sum"]))
        a, b, c = (made[draw_(st.integers(0, len(made) - 1))] for _ in range(3))
        if op == "weighted_sum":                            # |c + a b + b c| <= 3
            made.append(weighted_sum([a, b], [b, c], c) * (1 / 3))
        else:
            made.append((a + b) * 0.5 if op == "mean" else a * b if op == "*" else a.tanh())
    return made[-1]


# --- the picture of a Value graph ---------------------------------------------------------------------------------

def test_neuron_boxes_show_data_and_grad_computed_by_hand():
    o, v = neuron()
    nodes, _ = parse(to_dot(o))
    n = 2.0 * -3.0 + 0.0 * 1.0 + 6.8813735870195432
    t = math.tanh(n)
    dt = 1 - t * t                                          # d tanh(n)/dn
    expected = {                                            # name: (data, grad) from the chain rule by hand
        "o": (t, 1.0), "n": (n, dt), "b": (6.8813735870195432, dt),
        "x1": (2.0, -3.0 * dt), "w1": (-3.0, 2.0 * dt), "x2": (0.0, 1.0 * dt), "w2": (1.0, 0.0 * dt),
    }
    for name, (data, grad) in expected.items():
        label = box_of(nodes, name)["label"]
        assert number(label, "data") == pytest.approx(data, rel=1e-3, abs=1e-12), name
        assert number(label, "grad") == pytest.approx(grad, rel=1e-3, abs=1e-12), name
    assert box_of(nodes, "o")["fillcolor"] == "palegreen"           # the output
    assert box_of(nodes, "w1")["fillcolor"] == "lightblue"          # no names: every Value leaf is a parameter
    ops = sorted(a["label"] for a in nodes.values() if a.get("shape") == "ellipse")
    assert ops == ["*", "*", "+", "+", "tanh"]


@given(dags())
def test_one_box_per_node_one_op_per_result_one_arrow_per_parent_link(root):
    root.backward()
    nodes, edges = parse(to_dot(root, max_nodes=10_000))
    graph_nodes, links = walk(root)
    results = sum(1 for n in graph_nodes if n.parents)
    assert len(boxes(nodes)) == len(graph_nodes)
    assert len(nodes) - len(boxes(nodes)) == results               # one op ellipse per computed node
    assert len(edges) == links + results                            # parent -> op, and op -> result
    data = sorted(number(a["label"], "data") for a in boxes(nodes).values())
    expected = sorted(float(f"{n.data:.4g}") for n in graph_nodes)
    assert data == expected


def test_reused_node_is_one_box_with_an_arrow_per_use():
    a = Value(3.0, label="a")
    c = a * a + a                                           # a used three times: dc/da = 2a + 1 = 7
    c.backward()
    nodes, edges = parse(to_dot(c))
    a_id = id_of(nodes, "a")
    assert number(nodes[a_id]["label"], "grad") == 7.0
    assert sum(1 for tail, _, _ in edges if tail == a_id) == 3
    mul_op = next(k for k, at in nodes.items() if at.get("label") == "*")
    assert [t for t, h, _ in edges if h == mul_op] == [a_id, a_id]


def test_names_label_parameters_and_leave_other_leaves_as_inputs():
    o, v = neuron()
    names = {"layer.w.0": v["w1"], "layer.w.1": v["w2"], "layer.b": v["b"]}
    nodes, _ = parse(to_dot(o, names=names))
    for name in names:
        assert box_of(nodes, name)["fillcolor"] == "lightblue"
    for name in ("x1", "x2"):                               # leaves not in names: inputs
        assert box_of(nodes, name)["fillcolor"] == "gray92"
    assert box_of(nodes, "n")["fillcolor"] == "white"


def test_names_may_be_the_pairs_named_parameters_gives_and_anything_else_is_refused_with_the_fix():
    model, x, loss = small_scalar_mlp()
    from_pairs = to_dot(loss, names=model.named_parameters())          # the generator itself, not a dict
    assert from_pairs == to_dot(loss, names=dict(model.named_parameters()))
    assert "layers.0.neurons.1.w.0" in from_pairs
    with pytest.raises(TypeError, match=r"names\['w'\] is a float.*dict\(model.named_parameters\(\)\)"):
        to_dot(loss, names={"w": 3.0})
    with pytest.raises(TypeError, match=r"names: expected .*dict\(model.named_parameters\(\)\).*got list"):
        to_dot(loss, names=[p for _, p in model.named_parameters()])


def test_show_data_and_show_grad_remove_those_fields():
    o, _ = neuron()
    nodes, _ = parse(to_dot(o, show_data=False, show_grad=False))
    assert fields(box_of(nodes, "w1")["label"]) == ["w1"]
    nodes, _ = parse(to_dot(o, show_grad=False))
    assert fields(box_of(nodes, "o")["label"]) == ["o", f"data {math.tanh(0.8813735870195432):.4g}"]


def test_labels_with_record_characters_are_escaped():
    x = Value(1.0, label="a|b {c} <d>")
    nodes, _ = parse(to_dot(x * 2))
    (label,) = [a["label"] for a in boxes(nodes).values() if "{c" in a["label"]]
    assert fields(label)[0] == r"a\|b \{c\} \<d\>"


def test_draw_returns_a_digraph_with_the_layout_direction():
    o, _ = neuron()
    picture = draw(o, rankdir="TB")
    assert isinstance(picture, graphviz.Digraph)
    assert "rankdir=TB" in picture.source


@pytest.mark.parametrize(
    "kwargs, message",
    [({"rankdir": "up"}, "rankdir"), ({"collapse": "neurons"}, "collapse"), ({"max_nodes": 0}, "max_nodes")],
)
def test_bad_options_are_refused_by_name(kwargs, message):
    o, _ = neuron()
    with pytest.raises(ValueError, match=message):
        to_dot(o, **kwargs)


def test_a_number_is_not_a_graph():
    with pytest.raises(TypeError, match="Value or a Tensor"):
        draw(3.0)


# --- size limits --------------------------------------------------------------------------------------------------

def chain(n: int, tag_every: int = 0) -> Value:
    """x -> x + 1 -> ... (n additions); with tag_every, every tag_every-th result is tagged as a layer's output."""
    y = Value(0.0, label="x")
    for i in range(1, n + 1):
        y = y + 1.0
        if tag_every and i % tag_every == 0:
            tag(y, f"layers.{i // tag_every - 1}")
    return y


def test_more_nodes_than_max_nodes_is_a_value_error_with_the_size_and_the_ways_out():
    o, _ = neuron()
    with pytest.raises(ValueError, match=r"has 10 nodes, more than max_nodes=9.*collapse=.*larger max_nodes"):
        to_dot(o, max_nodes=9)
    assert to_dot(o, max_nodes=10)


def test_chain_of_100000_nodes_is_refused_clearly_not_with_a_recursion_error():
    y = chain(100_000)
    with pytest.raises(ValueError, match="has 100001 nodes"):
        draw(y)
    with pytest.raises(ValueError, match="No node carries a module scope"):
        draw(y, collapse="layer")


def test_chain_of_100000_nodes_tagged_every_1000_draws_as_100_boxes():
    y = chain(100_000, tag_every=1000)
    nodes, edges = parse(to_dot(y, collapse="layer"))
    assert len(nodes) == len(boxes(nodes)) == 100
    assert len(edges) == 99
    sizes = [re.search(r"(\d+) nodes", a["label"])[1] for a in nodes.values()]
    assert sizes == ["1001"] + ["1000"] * 99                # the leaf x joins the first box
    assert number(nodes["g99"]["label"], "data") == 100_000.0


# --- collapse -----------------------------------------------------------------------------------------------------

def tagged_net(shared: bool = False):
    """A 2-2-1 tanh/sigmoid net for one sample, built by hand and tagged as the nn modules tag their outputs.

    With ``shared``, both hidden neurons use the same first weight (so it belongs to neither box).
    """
    x = [Value(0.5, label="x0"), Value(-1.0, label="x1")]
    W1 = [[Value(0.1 * (j + k + 1), label=f"W1[{j},{k}]") for k in range(2)] for j in range(2)]
    if shared:
        W1[1][0] = W1[0][0]
    b1 = [Value(0.2, label=f"b1[{j}]") for j in range(2)]
    h = []
    for j in range(2):
        out = (b1[j] + W1[j][0] * x[0] + W1[j][1] * x[1]).tanh()
        tag(out, "layers.0", f"neurons.{j}")
        h.append(out)
    W2 = [Value(-0.3, label="W2[0,0]"), Value(0.4, label="W2[0,1]")]
    b2 = Value(0.1, label="b2[0]")
    y = (b2 + W2[0] * h[0] + W2[1] * h[1]).sigmoid()
    tag(y, "layers.1", "neurons.0")
    loss = (y - 1.0) ** 2
    loss.backward()
    params = {p.label: p for p in [*W1[0], *W1[1], *b1, *W2, b2]}
    return loss, x, h, y, params


def test_collapse_per_neuron_puts_each_neurons_weights_in_its_box_and_leaves_inputs_out():
    loss, x, h, y, params = tagged_net()
    nodes, edges = parse(to_dot(loss, collapse="neuron", names=params))
    ids = {fields(a["label"])[0]: k for k, a in boxes(nodes).items()}
    # 3 neuron boxes, the 2 inputs, and the loss's two unnamed nodes (y - 1 and its square) on their own.
    assert len(boxes(nodes)) == 7
    assert sorted(n for n in ids if not n.startswith("data")) == [
        "layers.0.neurons.0", "layers.0.neurons.1", "layers.1.neurons.0", "x0", "x1"]
    for j in range(2):
        box = nodes[ids[f"layers.0.neurons.{j}"]]["label"]
        # b, 2 weights, 2 products, 2 sums, tanh: 8 nodes, listed by the names given
        assert "tanh, 8 nodes" in box and f"params W1[{j},0], W1[{j},1], b1[{j}]" in box.replace("\\", "")
        assert number(box, "data") == pytest.approx(h[j].data, rel=1e-3)
        assert number(box, "grad") == pytest.approx(h[j].grad, rel=1e-3)
        for xi in ("x0", "x1"):                             # each input feeds both hidden boxes
            assert (ids[xi], ids[f"layers.0.neurons.{j}"]) in {(t, hd) for t, hd, _ in edges}
        assert (ids[f"layers.0.neurons.{j}"], ids["layers.1.neurons.0"]) in {(t, hd) for t, hd, _ in edges}
    assert "sigmoid, 8 nodes" in nodes[ids["layers.1.neurons.0"]]["label"]
    assert nodes[ids["x0"]]["fillcolor"] == "gray92"
    assert_every_node_drawn_once(nodes, loss)


def test_a_weight_shared_by_two_neurons_stays_outside_both_boxes():
    loss, *_ = tagged_net(shared=True)
    nodes, edges = parse(to_dot(loss, collapse="neuron"))
    shared = id_of(nodes, "W1[0,0]")
    heads = {h for t, h, _ in edges if t == shared}
    assert {fields(nodes[h]["label"])[0] for h in heads} == {"layers.0.neurons.0", "layers.0.neurons.1"}


def test_collapse_per_layer_groups_by_the_first_part_of_the_tag():
    loss, x, h, y, params = tagged_net()
    nodes, edges = parse(to_dot(loss, collapse="layer"))
    names = sorted(fields(a["label"])[0] for a in boxes(nodes).values())
    assert len(names) == 6 and names[-4:] == ["layers.0", "layers.1", "x0", "x1"]
    layer0 = box_of(nodes, "layers.0")["label"]
    assert "16 nodes" in layer0 and "2 outputs" in layer0 and "6 params" in layer0


def test_collapse_on_a_graph_without_tags_draws_every_node():
    o, _ = neuron()
    assert parse(to_dot(o, collapse="neuron")) == parse(to_dot(o))


def test_max_nodes_counts_the_boxes_after_collapsing():
    loss, *_ = tagged_net()
    with pytest.raises(ValueError, match=r"7 boxes after collapse='neuron', more than max_nodes=6"):
        to_dot(loss, collapse="neuron", max_nodes=6)
    assert to_dot(loss, collapse="neuron", max_nodes=7)


def hh19_cost(model, x=(0.1, 0.1), y=(1.0, 0.0)):
    """HH19's quadratic cost of one sample, C = 1/2 ||y - a^[L]||^2, on a scalar MLP."""
    a = model(list(x))
    cost = 0.5 * sum((ak - yk) ** 2 for ak, yk in zip(a, y))
    cost.backward()
    return cost, a


def hh19_forward(weights, x):
    """a^[l] = sigmoid(W^[l] a^[l-1] + b^[l]) in numpy, by the lecture's formula: every layer's activations.
    ``x`` is one sample (a vector) or rows of samples."""
    a, layers = np.asarray(x, dtype=float), []
    for W, b in weights:
        a = 1.0 / (1.0 + np.exp(-(a @ W.T + b)))
        layers.append(a)
    return layers


def test_scalar_mlp_collapses_to_one_box_per_neuron_with_its_own_parameters():
    model = scalar.MLP(2, [2, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=0)
    cost, a = hh19_cost(model)
    names = dict(model.named_parameters())
    nodes, edges = parse(to_dot(cost, collapse="neuron", names=names))
    ids = {fields(at["label"])[0]: k for k, at in boxes(nodes).items()}
    layers = hh19_forward(model.get_weights(), [0.1, 0.1])
    sizes = [2, 3, 2]
    for l, n in enumerate(sizes):
        for j in range(n):
            name = f"layers.{l}.neurons.{j}"
            label = nodes[ids[name]]["label"]
            own = [p[len(name) + 1:] for p in names if p.startswith(name + ".")]   # the module says whose they are
            assert "params " + ", ".join(own) in label
            assert number(label, "data") == pytest.approx(layers[l][j], rel=1e-3)
    for j, target in enumerate((1.0, 0.0)):                 # dC/da^[L]_j = a_j - y_j
        label = nodes[ids[f"layers.2.neurons.{j}"]]["label"]
        assert number(label, "grad") == pytest.approx(layers[2][j] - target, rel=1e-3)
    between = {(t, h) for t, h, _ in edges if t.startswith("g") and h.startswith("g")}
    expected = {(ids[f"layers.{l}.neurons.{j}"], ids[f"layers.{l + 1}.neurons.{k}"])
                for l in range(2) for j in range(sizes[l]) for k in range(sizes[l + 1])}
    assert between == expected                              # fully connected, layer to next layer only
    assert_every_node_drawn_once(nodes, cost)


def test_scalar_mlp_collapses_to_one_box_per_layer():
    model = scalar.MLP(2, [2, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=0)
    cost, _ = hh19_cost(model)
    nodes, edges = parse(to_dot(cost, collapse="layer"))
    ids = {fields(at["label"])[0]: k for k, at in boxes(nodes).items()}
    for l, (W, b) in enumerate(model.get_weights()):
        assert f"{W.size + b.size} params" in nodes[ids[f"layers.{l}"]]["label"]
    between = {(t, h) for t, h, _ in edges if t.startswith("g") and h.startswith("g")}
    assert between == {(ids["layers.0"], ids["layers.1"]), (ids["layers.1"], ids["layers.2"])}


# --- gradient highlighting ----------------------------------------------------------------------------------------

def expected_shade(g: float, largest: float) -> int:
    """The documented scale: 6 at the largest |grad|, one less per decade below it, at least 1; 0 for zero."""
    if g == 0:
        return 0
    return 6 - min(math.floor(math.log10(largest / abs(g))), 5)


def test_highlight_grad_shades_a_deep_sigmoid_net_by_decades_of_gradient():
    x = Value(0.5, label="x")
    h, weights = x, []
    for l in range(8):
        weights.append(Value(1.0, label=f"w{l}"))
        h = (weights[-1] * h).sigmoid()                     # sigma' <= 1/4: the gradient shrinks layer by layer
    h.backward()
    largest = max(abs(n.grad) for n in walk(h)[0])
    nodes, edges = parse(to_dot(h, highlight_grad=True))
    shades = []
    for w in weights:
        box = box_of(nodes, w.label)
        shade = expected_shade(w.grad, largest)
        assert box["fillcolor"] == f"/orrd9/{shade}"
        assert box["color"] == "blue3"                      # a parameter keeps its role as the outline
        (edge,) = [at for t, _, at in edges if t == id_of(nodes, w.label)]
        assert edge["color"] == f"/orrd9/{shade}"           # the arrow from w carries w's shade
        shades.append(shade)
    assert shades == sorted(shades) and shades[0] <= shades[-1] - 3   # fades by 3+ decades towards the input


def test_highlight_grad_draws_zero_gradients_white_with_dashed_arrows():
    w = Value(-2.0, label="w")
    y = w.relu() + Value(1.0, label="c")                     # relu at -2: nothing flows back to w
    y.backward()
    nodes, edges = parse(to_dot(y, highlight_grad=True))
    assert w.grad == 0.0
    assert box_of(nodes, "w")["fillcolor"] == "white"
    (edge,) = [at for t, _, at in edges if t == id_of(nodes, "w")]
    assert edge["style"] == "dashed"
    assert box_of(nodes, "c")["fillcolor"] == "/orrd9/6"     # dy/dc = 1, the largest


# --- without Graphviz's dot -----------------------------------------------------------------------------------------

def test_without_dot_to_dot_works_and_rendering_says_how_to_install_graphviz(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))                 # an empty directory: no dot to be found
    o, _ = neuron()
    assert to_dot(o).startswith("digraph {")
    picture = draw(o)
    for attempt in (lambda: picture.pipe(format="svg"), lambda: picture.render(tmp_path / "o", format="png"),
                    lambda: picture._repr_mimebundle_()):     # the last is what a notebook calls to show it
        with pytest.raises(GraphvizNotFound) as error:
            attempt()
        message = str(error.value)
        assert "apt-get install graphviz" in message and "brew install graphviz" in message
        assert "to_dot" in message
        assert isinstance(error.value, graphviz.ExecutableNotFound)   # old except clauses still catch it


# --- graphviz is imported only when a picture is made ----------------------------------------------------------

def test_import_autograd_and_to_dot_never_import_graphviz():
    code = ("import sys, autograd; assert 'graphviz' not in sys.modules, 'import autograd'; "
            "from autograd import Value, to_dot; to_dot(Value(1.0, label='x') * 2); "
            "assert 'graphviz' not in sys.modules, 'to_dot'; "
            "autograd.draw(Value(1.0) * 2); assert 'graphviz' in sys.modules, 'draw'")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert run.returncode == 0, run.stderr


def test_to_dot_is_the_source_of_the_drawing():
    loss, *_ = tagged_net()
    for options in ({}, {"collapse": "neuron", "highlight_grad": True, "legend": True}, {"rankdir": "TB"}):
        assert to_dot(loss, **options) == draw(loss, **options).source
    with pytest.raises(TypeError, match="colour"):
        to_dot(loss, colour=True)


def test_without_the_graphviz_package_to_dot_works_and_draw_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)           # import graphviz now fails
    monkeypatch.delitem(sys.modules, "autograd.draw.render", raising=False)
    o, _ = neuron()
    assert to_dot(o).startswith("digraph {")
    with pytest.raises(ModuleNotFoundError, match=r"pip install graphviz.*to_dot"):
        draw(o)


# --- rendering with dot ---------------------------------------------------------------------------------------------

def svg_of(picture) -> ElementTree.Element:
    return ElementTree.fromstring(picture.pipe(format="svg"))


def svg_groups(svg, kind: str) -> list:
    return [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == kind]


def svg_texts(svg) -> list[str]:
    return [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]


@needs_dot
def test_renders_svg_with_every_node_and_edge_of_the_dot_text():
    o, _ = neuron()
    nodes, edges = parse(to_dot(o))
    svg = svg_of(draw(o))
    assert len(svg_groups(svg, "node")) == len(nodes)
    assert len(svg_groups(svg, "edge")) == len(edges)
    assert f"data {math.tanh(0.8813735870195432):.4g}" in svg_texts(svg)


@needs_dot
@pytest.mark.parametrize("collapse", [None, "layer"])
def test_renders_tensor_graph_to_svg_with_every_node_and_edge(collapse):
    model = MLP([2, 2, 3, 2], activation="sigmoid", seed=0)
    C = (model(Tensor([[0.1, 0.1], [0.3, 0.4]], name="X")) ** 2).sum()
    C.backward()
    picture = draw(C, names=dict(model.named_parameters()), collapse=collapse, highlight_grad=True)
    nodes, edges = parse(picture.source)
    svg = svg_of(picture)
    assert (len(svg_groups(svg, "node")), len(svg_groups(svg, "edge"))) == (len(nodes), len(edges))
    assert ("layers.2.weight" if collapse is None else "layers.2") in svg_texts(svg)


@needs_dot
def test_renders_record_characters_in_labels_literally():
    x = Value(1.0, label="a|b {c} <d>")
    assert "a|b {c} <d>" in svg_texts(svg_of(draw(x * 2)))


def png_size(path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk, after checking the signature."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", "not a PNG file"
    return struct.unpack(">II", head[16:24])


@needs_dot
def test_renders_png_and_svg_files_of_sensible_size(tmp_path):
    o, _ = neuron()
    picture = draw(o)
    png = tmp_path / "neuron.png"
    assert picture.render(tmp_path / "neuron", format="png", cleanup=True) == str(png)
    width, height = png_size(png)
    assert 300 < width < 4000 and 100 < height < 2000 and width > height   # left to right: wide
    svg = picture.render(tmp_path / "neuron", format="svg", cleanup=True)
    assert svg.endswith(".svg") and "<svg" in open(svg).read()


@needs_dot
def test_renders_collapsed_network_with_gradient_shades_and_legend(tmp_path):
    loss, *_ = tagged_net()
    picture = draw(loss, collapse="neuron", highlight_grad=True, legend=True)
    texts = svg_texts(svg_of(picture))
    assert "legend" in texts and "|grad| 1e-1 to 1 of largest" in texts and "layers.1.neurons.0" in texts
    width, height = png_size(Path(picture.render(tmp_path / "net", format="png", cleanup=True)))
    assert 200 < width < 4000 and 100 < height < 3000


# --- Tensor graphs ------------------------------------------------------------------------------------------------

FLOAT = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def numbers_in(field: str) -> np.ndarray:
    """The numbers of a Tensor box's ``data ...`` or ``grad ...`` field (DOT line breaks removed)."""
    body = re.sub(r"^(data|grad)", "", field).replace("\\l", " ").replace("\\n", " ")
    return np.array([float(t) for t in FLOAT.findall(body)])


def field(label: str, what: str) -> str:
    (found,) = [f for f in fields(label) if f.startswith(what)]
    return found


def one_layer():
    """A = sigmoid(X W^T + b) on four HH19 points, C = 1/(2N) sum ||A - Y||^2, and its gradients by hand."""
    X = np.array([[0.1, 0.1], [0.3, 0.4], [0.1, 0.5], [0.6, 0.9]])
    T = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    W0, b0 = np.array([[0.2, -0.4], [0.5, 0.3], [-0.1, 0.8]]), np.array([0.1, -0.2, 0.05])
    W, b = Tensor(W0, requires_grad=True, name="W"), Tensor(b0, requires_grad=True, name="b")
    C = (((Tensor(X, name="X") @ W.T + b).sigmoid() - Tensor(T, name="Y")) ** 2).sum() / (2 * len(X))
    C.backward()
    A = 1 / (1 + np.exp(-(X @ W0.T + b0)))
    delta = (A - T) * A * (1 - A) / len(X)                  # dC/dZ: the delta rule
    return C, {"A": A, "C": ((A - T) ** 2).sum() / (2 * len(X)), "dW": delta.T @ X, "db": delta.sum(axis=0),
               "W": W0, "b": b0, "X": X}


def test_tensor_boxes_show_name_shape_dtype_and_values_or_norm_computed_by_hand():
    C, want = one_layer()
    nodes, edges = parse(to_dot(C))
    W = box_of(nodes, "W")["label"]
    assert fields(W)[1] == "(3, 2) float64"
    np.testing.assert_allclose(numbers_in(field(W, "data")), want["W"].ravel(), atol=1e-4)
    np.testing.assert_allclose(numbers_in(field(W, "grad")), want["dW"].ravel(), rtol=1e-3, atol=1e-4)
    b = box_of(nodes, "b")["label"]
    np.testing.assert_allclose(numbers_in(field(b, "grad")), want["db"], rtol=1e-3, atol=1e-4)
    X = box_of(nodes, "X")["label"]                          # 8 numbers: shown
    np.testing.assert_allclose(numbers_in(field(X, "data")), want["X"].ravel())
    A = [a["label"] for a in boxes(nodes).values() if fields(a["label"])[0] == "(4, 3) float64"]
    norms = [field(label, "data") for label in A]           # 12 numbers: their norm
    assert f"data norm {np.linalg.norm(want['A']):.4g}" in norms
    (root,) = [a for a in boxes(nodes).values() if a["fillcolor"] == "palegreen"]
    assert fields(root["label"]) == ["scalar float64", f"data {want['C']:.4g}"]   # a result keeps no grad
    assert box_of(nodes, "W")["fillcolor"] == box_of(nodes, "b")["fillcolor"] == "lightblue"   # requires_grad
    assert box_of(nodes, "X")["fillcolor"] == box_of(nodes, "Y")["fillcolor"] == "gray92"      # inputs
    graph_nodes, links = walk(C)
    results = sum(1 for n in graph_nodes if n.parents)
    assert (len(boxes(nodes)), len(nodes) - len(boxes(nodes)), len(edges)) == (
        len(graph_nodes), results, links + results)


def test_tensor_box_shows_its_dtype_and_grad_none_before_backward():
    W = Tensor(np.full((2, 2), 1.5), requires_grad=True, dtype=np.float32, name="W")
    nodes, _ = parse(to_dot((W * 2.0).sum()))
    name, shape, data, grad = fields(box_of(nodes, "W")["label"])
    assert (name, shape, grad) == ("W", "(2, 2) float32", "grad None")
    np.testing.assert_array_equal(numbers_in(data), [1.5] * 4)


@pytest.mark.parametrize("options", [dict(suppress=True), dict(formatter={"float": lambda v: f"{v:.1f}"}),
                                     dict(sign="+", floatmode="fixed"), dict(legacy="1.13")],
                         ids=["suppress", "formatter", "sign-fixed", "legacy"])
def test_tensor_numbers_do_not_follow_numpys_global_print_options(options):
    """np.set_printoptions(suppress=True), common in notebooks, made a gradient of 2e-9 read "grad [0., 4.]" (and
    a float formatter "0.0"): the labels took numpy's global options. They are the drawing's own now."""
    a = Tensor(np.array([1e-9, 2.0]), requires_grad=True, name="a")
    b = (a * a).sum()
    b.backward()
    plain = to_dot(b)
    with np.printoptions(**options):
        assert to_dot(b) == plain
    name, _, data, grad = fields(box_of(parse(plain)[0], "a")["label"])
    np.testing.assert_allclose(numbers_in(data), a.data, rtol=1e-4)
    np.testing.assert_allclose(numbers_in(grad), a.grad, rtol=1e-4)                  # 2e-9, not 0


@pytest.mark.parametrize("dtype, value", [(np.float32, 1e-25), (np.float32, 1e25), (np.float64, 1e-170),
                                          (np.float64, 1e160)])
def test_a_big_tensors_norm_is_its_norm_however_small_or_large_its_numbers(dtype, value):
    """The norm squared each number in the tensor's own dtype: 16 numbers of 1e-25 in float32 were labelled
    "data norm 0", and of 1e25 "data norm inf" (1e-170 and 1e160 in float64), finite numbers that are not zero."""
    t = Tensor(np.full((4, 4), value, dtype=dtype), requires_grad=True, name="t")
    (t * 1.0).sum().backward()
    data = field(box_of(parse(to_dot(t))[0], "t")["label"], "data")
    assert data == f"data norm {4 * value:.4g}"                       # sqrt(16 value^2), by hand


def test_highlight_grad_shades_a_tiny_float32_gradient_not_as_exactly_zero():
    """A float32 gradient of 1e-25 squared to 0 in the root mean square, so its box was white with dashed
    arrows, the legend's "exactly zero"; it is the lightest shade, 25 decades below the largest."""
    t = Tensor(np.ones(2, dtype=np.float32), requires_grad=True, name="t")
    u = Tensor(np.ones(2, dtype=np.float32), requires_grad=True, name="u")
    ((t * 1e-25).sum() + u.sum()).backward()
    assert t.grad[0] == np.float32(1e-25)
    nodes, edges = parse(to_dot((t * 1e-25).sum() + u.sum(), highlight_grad=True))
    assert box_of(nodes, "t")["fillcolor"] == "/orrd9/1" and box_of(nodes, "u")["fillcolor"] == "/orrd9/6"
    tail = id_of(nodes, "t")
    assert all(a.get("style") != "dashed" for t_, _, a in edges if t_ == tail)


def test_tensor_mlp_collapses_to_one_box_per_layer_with_its_activations():
    model = MLP([2, 2, 3, 2], activation="sigmoid", seed=0)
    X = np.array([[0.1, 0.1], [0.3, 0.4], [0.1, 0.5]])
    A = model(Tensor(X, name="X"))
    C = ((A - Tensor([[1.0, 0.0]] * 3, name="Y")) ** 2).sum() / 6
    C.backward()
    layers = hh19_forward(model.get_weights(), X)
    for collapse in ("layer", "neuron"):                    # a Tensor layer is tagged ("layers.i",): the same
        nodes, edges = parse(to_dot(C, collapse=collapse, names=dict(model.named_parameters())))
        ids = {fields(a["label"])[0]: k for k, a in boxes(nodes).items()}
        for l, a in enumerate(layers):
            label = nodes[ids[f"layers.{l}"]]["label"]
            # hidden layers: one fused linear+sigmoid node (sigma(x W^T + b)) and the two parameters; the output
            # layer: linear, then the sigmoid as its own node (the losses read its logits), and the parameters
            ops = "sigmoid, 4 nodes" if l == len(layers) - 1 else "linear+sigmoid, 3 nodes"
            assert fields(label)[1:4] == [ops, "params weight, bias", f"{a.shape} float64"]
            if a.size <= 9:
                np.testing.assert_allclose(numbers_in(field(label, "data")), a.ravel(), atol=1e-4)
            else:
                assert field(label, "data") == f"data norm {np.linalg.norm(a):.4g}"
        between = {(t, h) for t, h, _ in edges if t.startswith("g") and h.startswith("g")}
        assert between == {(ids["layers.0"], ids["layers.1"]), (ids["layers.1"], ids["layers.2"])}
        assert (ids["X"], ids["layers.0"]) in {(t, h) for t, h, _ in edges}      # the input stays outside
        assert_every_node_drawn_once(nodes, C)


def test_highlight_grad_on_tensors_shades_parameters_and_marks_results_without_gradient():
    C, want = one_layer()
    rms = {"W": np.sqrt(np.mean(want["dW"] ** 2)), "b": np.sqrt(np.mean(want["db"] ** 2))}
    largest = max(rms.values())                             # results and inputs keep no gradient
    nodes, _ = parse(to_dot(C, highlight_grad=True))
    for name, value in rms.items():
        assert box_of(nodes, name)["fillcolor"] == f"/orrd9/{expected_shade(value, largest)}"
    assert box_of(nodes, "X")["style"] == "filled,dotted"   # an input: no gradient, not a zero one
    (root,) = [a for a in boxes(nodes).values() if a.get("color") == "darkgreen"]
    assert root["style"] == "filled,dotted"


# --- scalar MLPs: a neuron's z is one weighted_sum node -------------------------------------------------------

def small_scalar_mlp():
    """nn.scalar.MLP(2, [2, 1]) (tanh hidden, linear output) on Value inputs, L = (y - 1)^2, backward done."""
    model = scalar.MLP(2, [2, 1], activation="tanh", seed=0)
    x = [Value(0.5, label="x0"), Value(-1.0, label="x1")]
    y = model(x)
    loss = (y - 1.0) ** 2
    loss.backward()
    return model, x, loss


def test_uncollapsed_scalar_mlp_draws_each_z_as_one_weighted_sum_of_bias_weights_and_inputs():
    model, x, loss = small_scalar_mlp()
    names = dict(model.named_parameters())
    nodes, edges = parse(to_dot(loss, names=names))
    (W1, b1), (W2, b2) = model.get_weights()
    x0 = np.array([0.5, -1.0])
    z1 = W1 @ x0 + b1                                       # z^[1] = W^[1] x + b^[1]
    a1 = np.tanh(z1)
    z2 = W2 @ a1 + b2                                       # linear output: y = z^[2]
    dz2 = 2 * (z2 - 1.0)                                    # dL/dy
    dz1 = (W2.T @ dz2) * (1 - a1 ** 2)                      # the delta rule: tanh' = 1 - a^2
    ops = [k for k, a in nodes.items() if a.get("label") == "weighted_sum"]
    assert len(ops) == 3                                    # one per neuron, no * or + nodes
    assert not [a for a in nodes.values() if a.get("label") in ("*", "+")]
    ids = {fields(a["label"])[0]: k for k, a in boxes(nodes).items()}
    for l, (inputs, z, dz) in enumerate([(["x0", "x1"], z1, dz1),
                                         (["layers.0.neurons.0", "layers.0.neurons.1"], z2, dz2)]):
        for j in range(len(z)):
            p = f"layers.{l}.neurons.{j}."
            order = [p + "b"] + [name for k, xk in enumerate(inputs) for name in (f"{p}w.{k}", xk)]
            (op,) = [o for o in ops if [t for t, h, _ in edges if h == o] == [ids[n] for n in order]]
            (z_box,) = [nodes[h]["label"] for t, h, _ in edges if t == op]
            assert number(z_box, "data") == pytest.approx(z[j], rel=1e-3)
            assert number(z_box, "grad") == pytest.approx(dz[j], rel=1e-3)
    for j in range(2):                                      # a hidden neuron's output is named by its module
        assert number(nodes[ids[f"layers.0.neurons.{j}"]]["label"], "data") == pytest.approx(a1[j], rel=1e-3)


def test_collapsed_scalar_mlp_boxes_hold_weights_bias_weighted_sum_and_activation():
    model, x, loss = small_scalar_mlp()
    nodes, edges = parse(to_dot(loss, collapse="neuron", names=dict(model.named_parameters())))
    for j in range(2):                                      # 2 weights, the bias, weighted_sum, tanh
        assert fields(box_of(nodes, f"layers.0.neurons.{j}")["label"])[1] == f"tanh, {2 + 1 + 1 + 1} nodes"
    out = box_of(nodes, "layers.1.neurons.0")["label"]      # linear: z is the output
    assert fields(out)[1] == f"weighted_sum, {2 + 1 + 1} nodes"
    assert_every_node_drawn_once(nodes, loss)


def test_uncollapsed_tensor_layer_outputs_are_named_by_their_layer():
    model = MLP([2, 3, 1], activation="sigmoid", seed=0)
    X = np.array([[0.1, 0.1], [0.3, 0.4]])
    C = model(Tensor(X, name="X")).sum()
    nodes, _ = parse(to_dot(C))
    (W, b), _ = model.get_weights()
    a1 = 1 / (1 + np.exp(-(X @ W.T + b)))
    np.testing.assert_allclose(numbers_in(field(box_of(nodes, "layers.0")["label"], "data")), a1.ravel(), atol=1e-4)


# --- the legend is true to the picture --------------------------------------------------------------------------

def legend_cells(dot: str) -> list[dict]:
    """The legend's rows: text and the cell's attributes (bgcolor, color, style)."""
    (html,) = re.findall(r"^\tlegend \[label=<(.*)> shape=plaintext\]$", dot, re.M)
    return [{**attrs(a), "text": t} for a, t in re.findall(r"<td([^>]*)>([^<]*)</td>", html)]


def mixed_graph():
    """A Tensor input X, a named parameter, a collapsed layer, an intermediate and the output."""
    model = MLP([2, 3, 1], activation="sigmoid", seed=0)
    C = ((model(Tensor([[0.1, 0.1], [0.3, 0.4]], name="X")) - Tensor([[1.0], [0.0]], name="Y")) ** 2).sum()
    C.backward()
    return C, dict(model.named_parameters())


@pytest.mark.parametrize("collapse", [None, "layer"])
def test_legend_has_a_row_for_every_fill_and_outline_drawn(collapse):
    C, names = mixed_graph()
    dot = to_dot(C, names=names, collapse=collapse, legend=True)
    nodes, cells = parse(dot)[0], legend_cells(dot)
    drawn = {a["fillcolor"] for k, a in nodes.items() if k != "legend"}
    assert drawn <= {c.get("bgcolor") for c in cells}
    loss, *_ = tagged_net()
    for root in (C, loss):
        dot = to_dot(root, collapse=collapse, highlight_grad=True, legend=True)
        nodes, cells = parse(dot)[0], legend_cells(dot)
        outlines = {a["color"] for k, a in boxes(nodes).items() if "color" in a}
        assert outlines and outlines <= {c.get("color") for c in cells}   # every role outline is explained
        if any(a.get("style") == "filled,dotted" for a in boxes(nodes).values()):
            assert any(c.get("style") == "dotted" for c in cells)             # drawn dotted, as the boxes are


def test_highlight_legend_rows_give_the_decades_that_each_shade_stands_for():
    loss, *_ = tagged_net()
    shades = {int(c["bgcolor"].rsplit("/", 1)[1]): c["text"]
              for c in legend_cells(to_dot(loss, highlight_grad=True, legend=True))
              if c.get("bgcolor", "").startswith("/orrd9/")}
    assert sorted(shades) == [1, 2, 3, 4, 5, 6]
    for shade, text in shades.items():
        bounds = [float(b) for b in re.findall(r"\b1e-\d\b|\b1\b", text)]
        lo, hi = (0.0, bounds[0]) if "or less" in text else (min(bounds), max(bounds))
        for ratio in np.geomspace(max(lo, 1e-9), hi, 7)[1:-1]:   # inside the row's range, away from its ends
            assert expected_shade(ratio, 1.0) == shade, (text, ratio)


# --- the example and the README's picture -----------------------------------------------------------------------

def load_example(out: Path):
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "examples" / "draw_graph.py"
    spec = importlib.util.spec_from_file_location("example_draw_graph", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = out
    return module


def test_example_hh19_picture_is_the_one_the_readme_shows():
    """docs/hh19_neurons.svg holds every label of the drawing the code makes today (redraw it when this fails:
    python examples/draw_graph.py && cp examples/out/hh19_neurons.svg docs/)."""
    picture = load_example(Path("unused")).hh19_neurons()
    svg = ElementTree.parse(Path(__file__).resolve().parent.parent / "docs" / "hh19_neurons.svg").getroot()
    nodes, edges = parse(picture.source)
    assert (len(svg_groups(svg, "node")), len(svg_groups(svg, "edge"))) == (len(nodes), len(edges))
    texts = svg_texts(svg)
    for a in boxes(nodes).values():
        for f in fields(a["label"]):
            assert re.sub(r"\\(.)", r"\1", f) in texts
    legend = [c["text"].replace("&gt;", ">") for c in legend_cells(picture.source)]
    assert [t for t in legend if t] == [t for t in texts if t in legend]


@needs_dot
def test_example_writes_every_picture_as_svg_and_png_of_sensible_size(tmp_path, capsys):
    example = load_example(tmp_path)
    assert example.main() == 0
    for name in ("neuron", "reuse", "hh19_neurons", "deep_sigmoid", "tensor_mlp"):
        assert (tmp_path / f"{name}.gv").read_text().startswith("digraph {")
        assert "<svg" in (tmp_path / f"{name}.svg").read_text()
        width, height = png_size(tmp_path / f"{name}.png")
        assert 300 < width < 3000 and 100 < height < 3000, name   # one page on a screen


# --- user text: every label, name, op and tag is escaped, whatever it holds (issue 10) ----------------------------

HTML_OP = '<<TABLE><TR><TD><IMG SRC="{}"/></TD></TR></TABLE>>'


def op_labels(dot: str) -> list[str]:
    """The labels of the op ellipses, as written in the DOT text (quotes still escaped)."""
    return [a["label"] for a in parse(dot)[0].values() if a.get("shape") == "ellipse"]


def seen_as(text: str) -> list[str]:
    """The lines a label shows: control characters, lone surrogates and unassigned code points written as
    Python writes them in a repr (NUL as \\x00), line breaks as line breaks, everything else as itself."""
    def one(ch: str) -> str:
        if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs", "Cn", "Zl", "Zp"):
            return ch
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return "".join(map(one, text)).split("\n")


def test_an_html_like_op_string_is_written_as_a_quoted_string_not_as_an_html_label():
    y = Value(1.0, label="x") * 2
    y.op = HTML_OP.format("/etc/passwd")
    dot = to_dot(y)
    assert op_labels(dot) == [HTML_OP.format("/etc/passwd").replace('"', '\\"')]
    assert "label=<" not in dot                              # nothing the user wrote is read as HTML


@needs_dot
@pytest.mark.parametrize("target", ["/etc/passwd", "picture.png"])
def test_an_html_like_op_string_renders_as_text_and_no_image_is_read(tmp_path, target):
    if target == "picture.png":                              # a real image: dot would embed it if it read HTML
        target = str(tmp_path / target)
        Path(target).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 1, 1)
                                 + bytes.fromhex("0806000000 1f15c489 0000000d49444154789c6360000002000154a24f5d"
                                                 "0000000049454e44ae426082"))
    y = Value(1.0, label=HTML_OP.format(target)) * 2
    y.op = HTML_OP.format(target)
    svg = svg_of(draw(y))
    assert not [e for e in svg.iter() if e.tag.endswith("image")]
    assert svg_texts(svg).count(HTML_OP.format(target)) == 2      # the op and the label, shown literally


AWKWARD = ["nul\x00here", "lone \ud800 surrogate", 'say "hi"', 'quote at the end"', "back\\slash",
           "ends with a backslash\\", "\\N \\G \\L \\n", "two\nlines", "tab\tand\rreturn", "&amp; &#65; &lt;",
           "{record|fields} <port>", "\u2028line separator", "\ufffe\uffff", "emoji \U0001f600 \u200d"]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_labels_and_ops_are_escaped_in_the_dot_text(text):
    y = Value(1.0, label=text) * 2
    y.op = text
    dot = to_dot(y)
    assert "\x00" not in dot and "\ud800" not in dot and "\r" not in dot
    assert len(dot.splitlines()) == len(to_dot(Value(1.0, label="x") * 2).splitlines())   # no raw line breaks
    dot.encode("utf-8")                                      # strict: no lone surrogate is left


@needs_dot
@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_labels_and_ops_render_as_written(text):
    y = Value(1.0, label=text) * 2
    y.op = text
    texts = svg_texts(svg_of(draw(y)))
    for line in seen_as(text):
        if line.strip():
            assert texts.count(line.strip()) + texts.count(line) >= 2, (line, texts)   # the label and the op


class Leaf:
    """A node of the public protocol made by hand, whose name is whatever a user put there."""

    def __init__(self, name) -> None:
        self.parents, self.op, self.name = (), "", name
        self.data, self.grad, self.requires_grad = np.array([1.0, 2.0]), None, True


def test_a_name_that_is_not_a_str_is_drawn_with_its_str_or_refused_by_the_engine():
    nodes, _ = parse(to_dot(Leaf(5)))
    assert fields(box_of(nodes, "5")["label"])[1] == "(2,) float64"
    try:
        t = Tensor([1.0, 2.0], requires_grad=True, name=5)
    except TypeError as error:                               # the engine may refuse it when the Tensor is made
        assert "name must be a str" in str(error)
    else:
        assert box_of(parse(to_dot((t * 2.0).sum()))[0], "5")


def test_a_name_whose_str_fails_is_a_type_error_that_says_whose():
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    with pytest.raises(TypeError, match=r"the name of a Leaf is a Unprintable whose str\(\) fails"):
        to_dot(Leaf(Unprintable()))


def test_names_and_tags_are_escaped_too():
    w = Value(1.0)
    y = tag(w * 2, '<b>"layer"</b>', 5)
    nodes, _ = parse(to_dot(y + 1, names={'w<"0">': w}))
    assert fields(box_of(nodes, r'w\<\"0\"\>')["label"])[1] == "data 1"
    assert box_of(nodes, r'\<b\>\"layer\"\</b\>.5')
    nodes, _ = parse(to_dot(y + 1, collapse="neuron"))
    assert box_of(nodes, r'\<b\>\"layer\"\</b\>.5')


def test_a_very_long_label_is_cut_and_says_by_how_much():
    y = Value(1.0, label="x" * 100_000) * 2
    (label,) = [a["label"] for a in boxes(parse(to_dot(y))[0]).values() if "xxx" in a["label"]]
    assert len(label) < 1000 and "99800 more characters" in label


ANY_TEXT = st.text() | st.text(st.characters(exclude_categories=()))   # the second with lone surrogates


def drawn_text(data) -> tuple[list, dict]:
    """Two small graphs (Value, Tensor) whose labels, names, ops, tag and ``names`` are arbitrary text."""
    x = Value(1.0, label=data.draw(ANY_TEXT, label="label"))
    y = x * 2
    y.op = data.draw(ANY_TEXT, label="op")
    y = tag(y.tanh(), data.draw(ANY_TEXT, label="scope"), "neurons.0") + 1
    t = Tensor([1.0, 2.0], requires_grad=True, name=data.draw(ANY_TEXT, label="tensor name"))
    s = t * 2.0
    s.op = data.draw(ANY_TEXT, label="tensor op")
    return [y, s.sum()], {data.draw(ANY_TEXT, label="name"): x}


@given(st.data())
def test_any_text_gives_dot_text(data):
    roots, names = drawn_text(data)
    for root, collapse in [(roots[0], None), (roots[0], "neuron"), (roots[1], None)]:
        dot = to_dot(root, names=names if root is roots[0] else None, collapse=collapse)
        dot.encode("utf-8")                                  # strict: no lone surrogate
        assert "\x00" not in dot and len(dot.splitlines()) == len(to_dot(root, collapse=collapse).splitlines())


@needs_dot
@settings(max_examples=min(40, settings.default.max_examples))  # three dot runs an example, the suite's slowest
@given(st.data())                                                # test; the test above checks 100 texts without dot
def test_any_text_renders_with_dot(data):
    roots, names = drawn_text(data)
    for root, collapse in [(roots[0], None), (roots[0], "neuron"), (roots[1], None)]:
        picture = draw(root, names=names if root is roots[0] else None, collapse=collapse)
        svg = svg_of(picture)                                # drawn without an error, and valid XML
        assert len(svg_groups(svg, "node")) == len(parse(picture.source)[0])
