"""Pictures of a recorded graph (Value or Tensor) with Graphviz: values, gradients, names, and module boxes.

``draw`` returns a ``graphviz.Digraph`` (a notebook shows it inline; ``.render()`` writes SVG or PNG and needs
Graphviz's ``dot`` program); ``to_dot`` returns the same picture as DOT text and needs no program at all.
The walk is ``graph.topological_order``: iterative, so deep graphs never hit the recursion limit.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from typing import Any

import graphviz
import numpy as np

from .draw_collapse import boxes, groups, module_outputs
from .graph import topological_order

# Colours (X11 names that Graphviz knows). The legend in ``draw``'s docstring describes them.
PARAMETER, INPUT, OUTPUT, VALUE, OP, GROUP = "lightblue", "gray92", "palegreen", "white", "gray85", "lightgoldenrod1"
ROLE_FILL = {"parameter": PARAMETER, "input": INPUT, "output": OUTPUT, "value": VALUE}
ROLE_EDGE = {"parameter": "blue3", "input": "gray40", "output": "darkgreen", "value": "black"}
GROUP_EDGE = "goldenrod3"   # a module box's outline with highlight_grad
# highlight_grad: fill "/orrd9/<k>" (light to dark red): k = TOP_SHADE at the largest gradient, one shade lighter per
# decade below it, down to TOP_SHADE - DECADES.
TOP_SHADE, DECADES = 6, 5
SMALL_TENSOR = 9  # a Tensor with at most this many elements shows its numbers, a bigger one their norm
COLLAPSE_LEVELS = ("neuron", "layer")

INSTALL_HINT = (
    "Graphviz's `dot` program is needed to render a drawing (SVG, PNG, or inline in a notebook) and was not found "
    "on PATH. Install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS), "
    "`conda install -c conda-forge graphviz`, or `winget install graphviz` (Windows); see "
    "https://graphviz.org/download/. Without it, autograd.to_dot(root) still gives the DOT text."
)


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """``dot`` is missing: the message says how to install it. A subclass, so old ``except`` clauses still catch it."""

    def __init__(self, detail: str) -> None:
        RuntimeError.__init__(self, f"{INSTALL_HINT}\n({detail})")


def _explained(method: Any) -> Any:
    @functools.wraps(method)
    def explained(self: graphviz.Digraph, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except GraphvizNotFound:
            raise
        except graphviz.ExecutableNotFound as e:
            raise GraphvizNotFound(str(e)) from e

    return explained


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose ``render``/``pipe`` (and so notebook display) explain a missing ``dot``."""

    render = _explained(graphviz.Digraph.render)
    pipe = _explained(graphviz.Digraph.pipe)


def draw(
    root: Any,
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    max_nodes: int = 1000,
    collapse: str | None = None,
    highlight_grad: bool = False,
    legend: bool = False,
) -> Drawing:
    """The graph that computed ``root`` (a Value or a Tensor), as a ``graphviz.Digraph``.

    >>> from autograd import Value, draw
    >>> x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.9, label="b")
    >>> o = (x * w + b).tanh(); o.backward()
    >>> picture = draw(o)               # a notebook shows it; .render("o", format="svg", cleanup=True): o.svg

    Every recorded node is a box, every op a small grey ellipse between the node and its parents, with one
    arrow per recorded parent (``a * a`` shows two). A Value box reads ``label | data | grad``; a Tensor box
    ``name | shape dtype | data | grad``, the numbers when it has at most 9 elements, else their norm. A plain
    number in an expression (the 2 in ``2 * x``) is a constant, not a node. An unnamed node that an ``nn``
    module returns is named by the module (``layers.0.neurons.1``: a neuron's activation; ``layers.0``: a
    tensor layer's). A neuron's ``z = b + sum_k w_k x_k`` is one op, ``weighted_sum``, with an arrow from the
    bias and from each weight and input that is a Value, listed in the DOT text in that order (b, w_0, x_0,
    w_1, x_1, ...); Graphviz places them to avoid crossings, so pair them by name: weight ``w.k`` (``W0[j,k]``)
    multiplies input k (``x_k``, or ``layers.0.neurons.k`` in the next layer).

    Legend (fill colours; ``legend=True`` draws it beside the graph):
        light blue   parameter: a Tensor leaf with ``requires_grad``; a Value leaf named in ``names`` or, when
                     no ``names`` are given, every Value leaf (each gets a gradient, so each is trainable)
        light grey   input: a Tensor leaf without ``requires_grad``; a Value leaf not in the given ``names``
        pale green   the output, ``root``;   white: an intermediate result;   grey ellipse: an op
        pale gold    a module box (``collapse``): its name, its output's op, how many nodes it holds, its
                     parameters (by name with ``names``), and its output's data and grad
    With ``highlight_grad=True`` the fill shows the gradient and the role moves to a thick outline (blue
    parameter, dark grey input, gold module box, green output): orange-red is the largest gradient magnitude in
    the graph (``|grad|`` of a Value, the root mean square of a Tensor's) down to a tenth of it, and each
    lighter shade, through orange to cream, one decade smaller, down to five decades. White with dashed arrows
    is exactly zero; a dotted outline means no gradient is kept (a Tensor input, or a Tensor result: as in
    PyTorch only leaves keep ``.grad`` unless ``retain_grad()`` is called; a Tensor layer's box then shows its
    parameters' gradient). An arrow takes the shade of the node it comes from (out of an op, of its result),
    so vanishing gradients in a deep sigmoid net fade out towards the inputs.

    Args:
        rankdir: "LR" (left to right, as micrograd) or "TB", "RL", "BT".
        show_data, show_grad: include the numbers in the boxes.
        names: ``dict(model.named_parameters())`` (or the pairs themselves): parameters are labelled by these
            names (as torchviz does).
        max_nodes: refuse (``ValueError``) to draw more boxes than this, counted after ``collapse``; op
            ellipses do not count. Graphviz gets slow and the picture unreadable past a few thousand.
        collapse: "neuron" or "layer": one box per module in a graph built by ``nn`` modules, which tag the
            output of each neuron ``("layers.i", "neurons.j")`` and of each tensor layer ``("layers.i",)``. A
            node joins a box when all its consumers are in it (a weight used by one neuron does; an input read
            by every neuron of a layer does not); inputs never do. "layer" groups by the tag's first part.
        highlight_grad: colour boxes and arrows by gradient magnitude (see the legend).
        legend: draw the legend beside the graph.
    """
    if not hasattr(root, "_parents"):
        raise TypeError(f"draw: expects a Value or a Tensor (a node of a recorded graph), got {type(root).__name__}")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw: rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    if collapse is not None and collapse not in COLLAPSE_LEVELS:
        raise ValueError(f"draw: collapse must be None, 'neuron' or 'layer', got {collapse!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw: max_nodes must be a positive int, got {max_nodes!r}")

    order = topological_order(root)
    if collapse is None and len(order) > max_nodes:
        raise ValueError(
            f"draw: the graph has {len(order)} nodes, more than max_nodes={max_nodes}. Draw a graph built by nn "
            "modules with collapse='neuron' or collapse='layer', or pass a larger max_nodes (Graphviz gets slow "
            "and the picture unreadable past a few thousand nodes)."
        )
    index = {id(node): i for i, node in enumerate(order)}
    name_of = _names(names)
    roles = [_role(node, i == len(order) - 1, name_of, names is not None) for i, node in enumerate(order)]
    group = groups(order, index, roles, collapse) if collapse else [None] * len(order)

    members, outputs = boxes(order, index, group)
    drawn = group.count(None) + len(members)
    if drawn > max_nodes:
        hint = "" if members else " No node carries a module scope: collapse only groups graphs built by nn modules."
        raise ValueError(
            f"draw: the graph has {len(order)} nodes, {drawn} boxes after collapse={collapse!r}, more than "
            f"max_nodes={max_nodes}.{hint} Try collapse='layer', or pass a larger max_nodes."
        )

    dot = Drawing(
        graph_attr={"rankdir": rankdir, "nodesep": "0.2", "ranksep": "0.35"},
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"arrowsize": "0.6"},
    )
    style = _Style(order, roles, name_of, show_data, show_grad, highlight_grad, members, outputs, rankdir)
    style.scope_name = {} if collapse else module_outputs(order, index)
    box_id = {key: f"g{k}" for k, key in enumerate(members)}

    def drawn_as(j: int) -> tuple[str, float | None]:
        """The box that stands for node ``j`` and the gradient magnitude that colours arrows leaving it."""
        key = group[j]
        return (f"n{j}", style.magnitude[j]) if key is None else (box_id[key], style.box_magnitude.get(key))

    for i, node in enumerate(order):
        key = group[i]
        if key is None:
            dot.node(f"n{i}", **style.node(i))
            if node._parents:
                dot.node(f"n{i}op", label=node.op or "?", shape="ellipse", style="filled",
                         fillcolor=OP, fontsize="10", width="0.3", height="0.2", margin="0.02,0.01")
                dot.edge(f"n{i}op", f"n{i}", **style.edge(style.magnitude[i]))
                for parent in node._parents:
                    tail, magnitude = drawn_as(index[id(parent)])
                    dot.edge(tail, f"n{i}op", **style.edge(magnitude))
        elif i == members[key][-1]:  # a box is drawn where its last member comes: after all that it reads
            dot.node(box_id[key], **style.box(key))
            tails: dict[str, float | None] = {}
            for m in members[key]:
                for parent in order[m]._parents:
                    j = index[id(parent)]
                    if group[j] != key:
                        tails.setdefault(*drawn_as(j))
            for tail, magnitude in tails.items():
                dot.edge(tail, box_id[key], **style.edge(magnitude))
    if legend:
        _legend(dot, highlight_grad)
    return dot


def to_dot(root: Any, **options: Any) -> str:
    """The DOT source of ``draw(root, **options)``: text, so no Graphviz program is needed.

    >>> from autograd import Value, to_dot
    >>> print(to_dot(Value(1.0, label="x") * 2).splitlines()[0])
    digraph {
    """
    return draw(root, **options).source


def _names(names: Any) -> dict[int, str]:
    """``names`` (a mapping or (name, node) pairs) as node id -> name; anything else is a TypeError."""
    fix = "pass names=dict(model.named_parameters())"
    if names is None:
        return {}
    try:
        pairs = list(names.items() if isinstance(names, Mapping) else names)
        if not all(isinstance(pair, tuple) and len(pair) == 2 for pair in pairs):
            raise TypeError
    except TypeError:
        raise TypeError(f"draw: names: expected a dict of name -> Value or Tensor; {fix}; got "
                        f"{type(names).__name__}") from None
    for name, node in pairs:
        if not hasattr(node, "_parents"):
            raise TypeError(f"draw: names[{name!r}] is a {type(node).__name__}, not a Value or a Tensor; {fix}")
    return {id(node): str(name) for name, node in pairs}


# --- who is who -------------------------------------------------------------------------------------------------

def _is_tensor(node: Any) -> bool:
    return isinstance(getattr(node, "data", None), np.ndarray)


def _role(node: Any, is_root: bool, name_of: dict, names_given: bool) -> str:
    if is_root:
        return "output"
    if node._parents:
        return "value"
    if _is_tensor(node):
        return "parameter" if getattr(node, "requires_grad", False) else "input"
    return "parameter" if (id(node) in name_of or not names_given) else "input"


# --- labels and colours ------------------------------------------------------------------------------------------

def _quote_free(text: str) -> str:
    """``text`` safe inside a record label: its field separators and braces escaped."""
    text = text.replace("\\", "\\\\")
    for ch in '{}|<>"':
        text = text.replace(ch, "\\" + ch)
    return text


def _num(x: float) -> str:
    return f"{x:.4g}"


def _array(what: str, a: np.ndarray) -> str:
    """``data``/``grad`` field of a Tensor: the numbers when there are few, else the norm."""
    if a.size > SMALL_TENSOR:
        return f"{what} norm {_num(float(np.linalg.norm(a)))}"
    if a.ndim == 0:
        return f"{what} {_num(float(a))}"
    lines = np.array2string(a, precision=4, separator=", ").split("\n")
    if len(lines) == 1:
        return f"{what} {_quote_free(lines[0])}"
    return what + "\\n" + "\\l".join(_quote_free(line) for line in lines) + "\\l"


def _magnitude(node: Any) -> float | None:
    """|grad| of a Value, the root mean square of a Tensor's grad; None when no gradient is kept."""
    g = node.grad
    if g is None:
        return None
    if isinstance(g, np.ndarray):
        return float(np.sqrt(np.mean(np.square(g)))) if g.size else 0.0
    return abs(float(g))


def _shade(magnitude: float | None, largest: float) -> int | None:
    """None when unknown, 0 for zero, else TOP_SHADE at ``largest`` and one less per decade below it."""
    if magnitude is None or magnitude == 0:
        return None if magnitude is None else 0
    if largest == 0 or not math.isfinite(magnitude) or magnitude >= largest:
        return TOP_SHADE
    return TOP_SHADE - min(math.floor(math.log10(largest / magnitude)), DECADES)


class _Style:
    """Labels and attributes of boxes and arrows; knows the options so that ``draw`` stays a walk."""

    def __init__(self, order: list, roles: list, name_of: dict, data: bool, grad: bool, highlight: bool,
                 members: dict, outputs: dict, rankdir: str) -> None:
        self.order, self.roles, self.name_of = order, roles, name_of
        # A record's fields sit side by side across the ranks ("LR": in a row); braces turn them.
        self.row, self.column = (("{ ", " }"), ("", "")) if rankdir in ("LR", "RL") else (("", ""), ("{ ", " }"))
        self.data, self.grad, self.highlight = data, grad, highlight
        self.members, self.outputs = members, outputs
        self.scope_name: dict[int, str] = {}              # drawn uncollapsed: a module's output by its module
        self.magnitude = [_magnitude(n) for n in order] if highlight else [None] * len(order)
        self.box_magnitude = {key: self._box_magnitude(key) for key in members} if highlight else {}
        known = [m for m in self.magnitude if m is not None and math.isfinite(m)]
        self.largest = max(known, default=0.0)

    def _box_magnitude(self, key: tuple) -> float | None:
        """Its output's gradient; when no output kept one (a Tensor layer), that of its parameters together."""
        known = [self.magnitude[o] for o in self.outputs[key] if self.magnitude[o] is not None]
        if known:
            return max(known)
        grads = [np.asarray(self.order[m].grad) for m in self.members[key]
                 if self.roles[m] == "parameter" and self.order[m].grad is not None]
        if not grads:
            return None
        return float(np.sqrt(sum(np.sum(np.square(g)) for g in grads) / sum(g.size for g in grads)))

    def _fields(self, node: Any) -> list[str]:
        fields = []
        if _is_tensor(node):
            shape = "scalar" if node.data.ndim == 0 else str(tuple(node.data.shape))
            fields.append(f"{shape} {node.data.dtype.name}")
            if self.data:
                fields.append(_array("data", node.data))
            if self.grad and node.grad is not None:
                fields.append(_array("grad", np.asarray(node.grad)))
            elif self.grad and getattr(node, "requires_grad", False) and not node._parents:
                fields.append("grad None")            # a parameter before backward(); results keep none
        else:
            if self.data:
                fields.append(f"data {_num(node.data)}")
            if self.grad:
                fields.append(f"grad {_num(node.grad)}")
        return fields

    def _name(self, node: Any) -> str:
        return self.name_of.get(id(node)) or getattr(node, "label", "") or getattr(node, "name", None) or ""

    def _colour(self, magnitude: float | None, fill: str, outline: str) -> dict:
        if not self.highlight:
            return {"style": "filled", "fillcolor": fill}
        k = _shade(magnitude, self.largest)
        attrs = {"style": "filled,dotted" if k is None else "filled", "fillcolor": f"/orrd9/{k}" if k else "white"}
        if outline != "black":
            attrs.update(color=outline, penwidth="2.5")
        return attrs

    def node(self, i: int) -> dict:
        node, role = self.order[i], self.roles[i]
        name = self._name(node) or self.scope_name.get(i, "")
        fields = ([_quote_free(name)] if name else []) + self._fields(node)
        label = self.row[0] + " | ".join(fields) + self.row[1] if fields else " "   # micrograd's data | grad
        return {"label": label, "shape": "record",
                **self._colour(self.magnitude[i], ROLE_FILL[role], ROLE_EDGE[role])}

    def box(self, key: tuple) -> dict:
        name, members, outputs = ".".join(key), self.members[key], self.outputs[key]
        rank = {node_id: r for r, node_id in enumerate(self.name_of)}   # the order of ``names``: the module's
        inside = [m for m in members if self.roles[m] == "parameter"]
        inside.sort(key=lambda m: (rank.get(id(self.order[m]), len(rank)), m))
        params = [self._name(self.order[m]) for m in inside]
        named = [p[len(name) + 1:] if p.startswith(name + ".") else p for p in params if p]
        ops = ", ".join(dict.fromkeys(self.order[o].op or "leaf" for o in outputs))
        fields = [_quote_free(name), _quote_free(f"{ops}, {len(members)} nodes")]
        if params:
            listed = len(named) == len(params) <= 4           # more names than that make the box too wide
            fields.append(_quote_free("params " + ", ".join(named) if listed else f"{len(params)} params"))
        if len(outputs) == 1:
            fields += self._fields(self.order[outputs[0]])
        else:
            fields.append(f"{len(outputs)} outputs")
        is_root = len(self.order) - 1 in members
        colour = self._colour(self.box_magnitude.get(key), OUTPUT if is_root else GROUP,
                              ROLE_EDGE["output"] if is_root else GROUP_EDGE)
        label = self.column[0] + " | ".join(fields) + self.column[1]                # a box: a narrow column
        return {"label": label, "shape": "record", **colour}

    def edge(self, magnitude: float | None) -> dict:
        k = _shade(magnitude, self.largest) if self.highlight else None
        if k is None:
            return {}
        if k == 0:
            return {"color": "gray70", "style": "dashed"}
        return {"color": f"/orrd9/{k}", "penwidth": f"{0.8 + 0.4 * k:.1f}"}


def _legend(dot: Drawing, highlight: bool) -> None:
    """One HTML-table node, so that the legend is as compact in "LR" as in "TB"."""
    rows: list[tuple[str, str, dict]] = [
        ("parameter", PARAMETER, {}), ("input", INPUT, {}), ("output (root)", OUTPUT, {}),
        ("intermediate", VALUE, {}), ("module (collapse)", GROUP, {}), ("op (small ellipse)", OP, {})]
    if highlight:   # the role is the outline; the fill is the gradient: shade TOP_SHADE - d for d decades down
        rows = [(role, "white", {"color": ROLE_EDGE[key], "border": "2"}) for role, key in (
            ("parameter", "parameter"), ("input", "input"), ("output (root)", "output"))]
        rows.append(("module (collapse)", "white", {"color": GROUP_EDGE, "border": "2"}))
        rows += [(f"|grad| 1e-{d + 1} to {'1' if d == 0 else f'1e-{d}'} of largest", f"/orrd9/{TOP_SHADE - d}", {})
                 for d in range(DECADES)]
        rows += [(f"|grad| 1e-{DECADES} of largest or less", f"/orrd9/{TOP_SHADE - DECADES}", {}),
                 ("zero gradient (dashed arrows)", "white", {"style": "dashed"}),
                 ("no gradient kept", "white", {"style": "dotted"})]
    cells = "".join(
        f'<tr><td bgcolor="{fill}"{"".join(f" {k}={chr(34)}{v}{chr(34)}" for k, v in extra.items())}>{text}</td></tr>'
        for text, fill, extra in rows
    )
    title = '<tr><td border="0"><b>legend</b></td></tr>'
    table = f'<table border="0" cellspacing="3" cellborder="1">{title}{cells}</table>'
    dot.node("legend", label=f"<{table}>", shape="plaintext")
