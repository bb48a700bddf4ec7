"""Pictures of a recorded graph (Value or Tensor) with Graphviz: values, gradients, names, and module boxes.

``draw`` returns a ``graphviz.Digraph`` (a notebook shows it inline; ``.render()`` writes SVG or PNG and needs
Graphviz's ``dot`` program); ``to_dot`` returns the same picture as DOT text and needs no program at all.
The walk is ``graph.topological_order``: iterative, so deep graphs never hit the recursion limit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import graphviz
import numpy as np

from .graph import topological_order

# Colours (X11 names that Graphviz knows). The legend in ``draw``'s docstring describes them.
PARAMETER, INPUT, OUTPUT, VALUE, OP, GROUP = "lightblue", "gray92", "palegreen", "white", "gray85", "lightgoldenrod1"
ROLE_FILL = {"parameter": PARAMETER, "input": INPUT, "output": OUTPUT, "value": VALUE}
ROLE_EDGE = {"parameter": "blue3", "input": "gray40", "output": "darkgreen", "value": "black"}
# highlight_grad: fill "/orrd9/<k>" (light to dark red): k = TOP_SHADE at the largest gradient, one shade lighter per
# decade below it, down to TOP_SHADE - DECADES.
TOP_SHADE, DECADES = 7, 6
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


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose ``render``/``pipe`` (and so notebook display) explain a missing ``dot``."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except GraphvizNotFound:
            raise
        except graphviz.ExecutableNotFound as e:
            raise GraphvizNotFound(str(e)) from e

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except GraphvizNotFound:
            raise
        except graphviz.ExecutableNotFound as e:
            raise GraphvizNotFound(str(e)) from e


def draw(
    root: Any,
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    names: Mapping[str, Any] | None = None,
    max_nodes: int = 1000,
    collapse: str | None = None,
    highlight_grad: bool = False,
    legend: bool = False,
) -> Drawing:
    """The graph that computed ``root`` (a Value or a Tensor), as a ``graphviz.Digraph``.

    >>> from autograd import Value, draw
    >>> x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.9, label="b")
    >>> o = (x * w + b).tanh(); o.backward()
    >>> picture = draw(o)                                  # a notebook shows it; or:
    >>> picture.render("neuron", format="svg")             # doctest: +SKIP  (writes neuron.svg; needs dot)
    'neuron.svg'

    What is drawn: every recorded node is a box, and every op a small grey ellipse between the node and its
    parents (one arrow per recorded parent, so ``a * a`` shows two). A Value box reads ``label | data | grad``;
    a Tensor box reads ``name | shape dtype | data | grad``, with the numbers when it has at most 9 elements,
    else their norm. A plain number in an expression (the 2 in ``2 * x``) is a constant, not a node.

    Legend (fill colours):
        light blue    parameter: a Tensor leaf with ``requires_grad``; a Value leaf named in ``names``, or, when
                      ``names`` is not given, every Value leaf (every Value gets a gradient, so every Value
                      leaf is trainable as far as the engine can tell)
        light grey    input: a Tensor leaf without ``requires_grad``; a Value leaf not in a given ``names``
        pale green    the output, ``root``
        white         an intermediate result
        gold          a module box (``collapse``): its name, the op that made its output, its parameters
                      (by name with ``names``), how many nodes it holds, and its output's data and grad
    With ``highlight_grad=True`` the fill shows the gradient instead and the role moves to the outline colour
    (blue parameter, dark green output): red is the largest gradient magnitude in the graph (``|grad|`` for a
    Value, the root mean square for a Tensor), each lighter shade one decade smaller, the lightest six decades
    or more below; white with dashed arrows means exactly zero. Arrows take the colour of the
    node the gradient reaches, so vanishing gradients in a deep sigmoid net fade out towards the inputs.
    ``legend=True`` puts this legend in the picture.

    Args:
        rankdir: "LR" (left to right, as micrograd) or "TB", "RL", "BT".
        show_data, show_grad: include the numbers in the boxes.
        names: ``dict(model.named_parameters())``: parameters are labelled by these names (as torchviz does).
        max_nodes: refuse (``ValueError``) to draw more boxes than this; with ``collapse`` the boxes after
            collapsing count. Op ellipses do not count. Graphviz gets slow and unreadable past a few thousand.
        collapse: "neuron" or "layer": one box per module of a graph built by ``nn`` modules, which tag the
            output node of each neuron ``("layers.i", "neurons.j")`` or tensor layer ``("layers.i",)``. A node
            joins a box when all its consumers are in it (a weight used by one neuron does; an input used by
            every neuron of a layer does not); inputs never do. "layer" groups by the first part of the tag.
        highlight_grad: colour nodes and arrows by gradient magnitude (see the legend).
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
    name_of = {id(node): str(name) for name, node in (names or {}).items()}
    roles = [_role(node, i == len(order) - 1, name_of, names is not None) for i, node in enumerate(order)]
    group = _groups(order, index, roles, collapse) if collapse else [None] * len(order)

    members: dict[tuple, list[int]] = {}
    for i, key in enumerate(group):
        if key is not None:
            members.setdefault(key, []).append(i)
    drawn = group.count(None) + len(members)
    if drawn > max_nodes:
        hint = "" if members else " No node carries a module scope: collapse only groups graphs built by nn modules."
        raise ValueError(
            f"draw: the graph has {len(order)} nodes, {drawn} boxes after collapse={collapse!r}, more than "
            f"max_nodes={max_nodes}.{hint} Try collapse='layer', or pass a larger max_nodes."
        )

    style = _Style(order, roles, name_of, show_data, show_grad, highlight_grad)
    dot = Drawing(
        graph_attr={"rankdir": rankdir, "nodesep": "0.2", "ranksep": "0.35"},
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"arrowsize": "0.6"},
    )
    group_id = {key: f"g{k}" for k, key in enumerate(members)}

    def rep(j: int) -> str:
        return f"n{j}" if group[j] is None else group_id[group[j]]

    # A group's outputs: its members that something outside the group (or nobody: the root) consumes.
    outputs: dict[tuple, list[int]] = {key: [] for key in members}
    for i, node in enumerate(order):
        for parent in node._parents:
            j = index[id(parent)]
            if group[j] is not None and group[j] != group[i] and j not in outputs[group[j]]:
                outputs[group[j]].append(j)
    if group[-1] is not None and len(order) - 1 not in outputs[group[-1]]:
        outputs[group[-1]].append(len(order) - 1)

    emitted: set = set()
    for i, node in enumerate(order):
        key = group[i]
        if key is None:
            dot.node(f"n{i}", **style.node(i))
            if node._parents:
                dot.node(f"n{i}op", label=node.op or "?", shape="ellipse", style="filled",
                         fillcolor=OP, fontsize="10", width="0.3", height="0.2", margin="0.02,0.01")
                dot.edge(f"n{i}op", f"n{i}", **style.edge(i))
                for parent in node._parents:
                    j = index[id(parent)]
                    dot.edge(rep(j), f"n{i}op", **style.edge(_outermost(j, group, outputs)))
        elif key not in emitted:
            emitted.add(key)
            dot.node(group_id[key], **style.group(".".join(key), members[key], outputs[key]))
            tails: dict[str, int] = {}
            for m in members[key]:
                for parent in order[m]._parents:
                    j = index[id(parent)]
                    if group[j] != key:
                        tails.setdefault(rep(j), _outermost(j, group, outputs))
            for tail, j in tails.items():
                dot.edge(tail, group_id[key], **style.edge(j))
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


_UNSEEN, _MIXED = object(), object()


def _groups(order: list, index: dict, roles: list, collapse: str) -> list:
    """The module box of each node (a tuple), or None for a node drawn on its own.

    A tagged node starts (or joins) the box of its tag; an untagged node joins a box when every node that
    consumes it is in that box. A leaf joins a layer's box only if it joins one of its neurons' boxes: an input
    that every neuron of the layer reads stays outside. Linear time: one pass per level, root first.
    """
    per_neuron = _consensus(order, index, roles, None, None)
    if collapse == "neuron":
        return per_neuron
    return _consensus(order, index, roles, 1, per_neuron)


def _consensus(order: list, index: dict, roles: list, depth: int | None, leaf_groups: list | None) -> list:
    """Boxes keyed by the first ``depth`` parts of the tags (all with None); reverse topological order means
    every consumer of a node is placed before the node is."""
    n = len(order)
    group: list = [None] * n
    consumers: list = [_UNSEEN] * n  # the one box all consumers seen so far are in; _MIXED when they differ
    for i in range(n - 1, -1, -1):
        node = order[i]
        scope = getattr(node, "_scope", None)
        if scope:
            key = tuple(scope[:depth])
        elif roles[i] in ("input", "output"):
            key = None
        elif leaf_groups is not None and not node._parents:
            key = leaf_groups[i][:depth] if leaf_groups[i] else None
        else:
            seen = consumers[i]
            key = None if seen is _MIXED or seen is _UNSEEN else seen
        group[i] = key
        for parent in node._parents:
            j = index[id(parent)]
            seen = consumers[j]
            if seen is _UNSEEN:
                consumers[j] = key
            elif seen is not _MIXED and seen != key:
                consumers[j] = _MIXED
    return group


def _outermost(j: int, group: list, outputs: dict) -> int:
    """The node whose gradient colours an arrow leaving node ``j``: ``j`` itself, or its box's single output."""
    key = group[j]
    return j if key is None or len(outputs[key]) != 1 else outputs[key][0]


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


def _magnitude(node: Any) -> float:
    g = node.grad
    if g is None:
        return 0.0
    if isinstance(g, np.ndarray):
        return float(np.sqrt(np.mean(np.square(g)))) if g.size else 0.0
    return abs(float(g))


def _shade(magnitude: float, largest: float) -> int:
    """0 for a zero gradient, else TOP_SHADE at ``largest`` and one less per decade below it."""
    if magnitude == 0:
        return 0
    if largest == 0 or not math.isfinite(magnitude) or magnitude >= largest:
        return TOP_SHADE
    return TOP_SHADE - min(math.floor(math.log10(largest / magnitude)), DECADES)


class _Style:
    """Labels and attributes of boxes and arrows; knows the options so ``draw`` stays a walk."""

    def __init__(self, order: list, roles: list, name_of: dict, data: bool, grad: bool, highlight: bool) -> None:
        self.order, self.roles, self.name_of = order, roles, name_of
        self.data, self.grad, self.highlight = data, grad, highlight
        self.largest = max((_magnitude(n) for n in order), default=0.0) if highlight else 0.0
        if not math.isfinite(self.largest):
            self.largest = 0.0

    def _fields(self, node: Any) -> list[str]:
        fields = []
        if _is_tensor(node):
            shape = "scalar" if node.data.ndim == 0 else str(tuple(node.data.shape))
            fields.append(f"{shape} {node.data.dtype.name}")
            if self.data:
                fields.append(_array("data", node.data))
            if self.grad:
                if node.grad is not None:
                    fields.append(_array("grad", np.asarray(node.grad)))
                elif getattr(node, "requires_grad", False):
                    fields.append("grad None")
        else:
            if self.data:
                fields.append(f"data {_num(node.data)}")
            if self.grad:
                fields.append(f"grad {_num(node.grad)}")
        return fields

    def _name(self, node: Any) -> str:
        return self.name_of.get(id(node)) or getattr(node, "label", "") or getattr(node, "name", None) or ""

    def _colour(self, i: int, fill: str, outline: str) -> dict:
        if not self.highlight:
            return {"style": "filled", "fillcolor": fill}
        k = _shade(_magnitude(self.order[i]), self.largest)
        attrs = {"style": "filled", "fillcolor": f"/orrd9/{k}" if k else "white"}
        if outline != "black":
            attrs.update(color=outline, penwidth="2.5")
        if k == TOP_SHADE:
            attrs["fontcolor"] = "white"
        return attrs

    def node(self, i: int) -> dict:
        node, role = self.order[i], self.roles[i]
        name = self._name(node)
        fields = ([_quote_free(name)] if name else []) + self._fields(node)
        label = "{ " + " | ".join(fields) + " }" if fields else " "
        return {"label": label, "shape": "record", **self._colour(i, ROLE_FILL[role], ROLE_EDGE[role])}

    def group(self, name: str, members: list[int], outputs: list[int]) -> dict:
        rank = {key: r for r, key in enumerate(self.name_of)}   # the order of ``names``: the module's own
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
        strongest = max(outputs, key=lambda o: _magnitude(self.order[o]))
        colour = self._colour(strongest, OUTPUT if is_root else GROUP, "darkgreen" if is_root else "goldenrod3")
        return {"label": "{ " + " | ".join(fields) + " }", "shape": "record", **colour}

    def edge(self, i: int) -> dict:
        if not self.highlight:
            return {}
        k = _shade(_magnitude(self.order[i]), self.largest)
        if k == 0:
            return {"color": "gray70", "style": "dashed"}
        return {"color": f"/orrd9/{k}", "penwidth": f"{0.8 + 0.4 * k:.1f}"}


def _legend(dot: Drawing, highlight: bool) -> None:
    """One HTML-table node, so that the legend is as compact in "LR" as in "TB"."""
    rows = [("parameter", PARAMETER, ""), ("input", INPUT, ""), ("output (root)", OUTPUT, ""),
            ("intermediate", VALUE, ""), ("module (collapse)", GROUP, ""), ("op", OP, "")]
    if highlight:
        rows = [("parameter", "white", "blue3"), ("output (root)", "white", "darkgreen"),
                ("largest |grad|", f"/orrd9/{TOP_SHADE}", "")]
        rows += [(f"|grad| 1e-{d} of largest" + (" or less" if d == DECADES else ""), f"/orrd9/{TOP_SHADE - d}", "")
                 for d in range(1, DECADES + 1)]
        rows.append(("zero gradient (dashed)", "white", ""))
    cells = "".join(
        f'<tr><td bgcolor="{fill}"{f" color={chr(34)}{line}{chr(34)}" if line else ""}>'
        f'<font color="{"white" if fill == f"/orrd9/{TOP_SHADE}" else "black"}">{text}</font></td></tr>'
        for text, fill, line in rows
    )
    title = '<tr><td border="0"><b>legend</b></td></tr>'
    table = f'<table border="0" cellspacing="3" cellborder="1">{title}{cells}</table>'
    dot.node("legend", label=f"<{table}>", shape="plaintext")
