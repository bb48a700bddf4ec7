"""``draw`` and ``to_dot``: the options, the walk over the recorded graph, and who is a parameter or an input.

``draw`` returns a ``graphviz.Digraph`` (a notebook shows it inline; ``.render()`` writes SVG or PNG and needs
Graphviz's ``dot`` program); ``to_dot`` returns the same picture as DOT text and needs no program at all.
The walk is ``graph.topological_order``: iterative, so deep graphs never hit the recursion limit.
"""

from __future__ import annotations

import importlib
import inspect
import numbers
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..checks import flag
from ..graph import topological_order
from .collapse import boxes, groups, module_outputs
from .dot import Dot, label, shown
from .style import NOT_FINITE, OP, Style, is_tensor, legend

if TYPE_CHECKING:
    from .render import Drawing

COLLAPSE_LEVELS = ("neuron", "layer")
PACKAGE_HINT = (
    "draw: a picture needs the graphviz Python package, which is not installed: `pip install graphviz` (and "
    "Graphviz's `dot` program to render it: https://graphviz.org/download/). Without either, "
    "autograd.to_dot(root) gives the DOT text."
)


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

    Every recorded node is a box, every op a small grey ellipse between the node and its parents, with one arrow per
    recorded parent (``a * a`` shows two). A Value box reads ``label | data | grad``; a Tensor box ``name | shape
    dtype | data | grad``, the numbers when it has at most 9 elements, else their norm. Every number is rounded: a
    Value's, a 0-d Tensor's and a norm to 4 significant digits (``f"{x:.4g}"``), a Tensor's other numbers to 4
    decimals as numpy prints them (scientific when one is below 1e-4 or they span more than 3 decades), so a
    gradient of 1e-9 reads 1e-09, never 0 (numpy's global print options are not read); print ``node.data`` or
    ``node.grad`` for all the digits. A plain number in an expression (the 2 in ``2 * x``) is a constant, not a
    node. An unnamed node that an ``nn`` module returns is named by the module (``layers.0.neurons.1``: a neuron's
    activation; ``layers.0``: a tensor layer's). A neuron's ``z = b + sum_k w_k x_k`` is one op, ``weighted_sum``,
    with an arrow from the bias and from each weight and input that is a Value, listed in the DOT text in that order
    (b, w_0, x_0, w_1, x_1, ...); Graphviz places them to avoid crossings, so pair them by name: weight ``w.k``
    (``W0[j,k]``) multiplies input k (``x_k``, or ``layers.0.neurons.k`` in the next layer).

    Legend (fill colours; ``legend=True`` draws it beside the graph, listing the kinds of box this picture shows):
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
    is exactly zero; violet is a gradient that is inf or nan (no decade of the largest finite one); a dotted
    outline means no gradient is kept (a Tensor input, or a Tensor result: as in
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
            by every neuron of a layer does not); inputs never do. "layer" groups by the tag's first part. Two
            models whose modules have the same tags keep their own boxes: a box holds one module of one model.
        highlight_grad: colour boxes and arrows by gradient magnitude (see the legend).
        legend: draw the legend beside the graph.
    """
    dot = _walk(root, rankdir, show_data, show_grad, names, max_nodes, collapse, highlight_grad, legend)
    return graphviz_part().drawing(dot.lines())   # graphviz is imported here, when a picture is made


def to_dot(root: Any, **options: Any) -> str:
    """The DOT source of ``draw(root, **options)``: text, made without Graphviz (neither the program nor the
    Python package is needed).

    >>> from autograd import Value, to_dot
    >>> print(to_dot(Value(1.0, label="x") * 2).splitlines()[0])
    digraph {
    """
    bound = inspect.signature(draw).bind(root, **options)   # draw's defaults; an unknown option is a TypeError
    bound.apply_defaults()
    return _walk(*bound.arguments.values()).source()


def _walk(root: Any, rankdir: str, show_data: bool, show_grad: bool, names: Any, max_nodes: int,
          collapse: str | None, highlight_grad: bool, show_legend: bool) -> Dot:
    """The picture as DOT statements: one box per node (or per module with ``collapse``), one ellipse per op."""
    if not hasattr(root, "parents"):
        raise TypeError(f"draw: expects a Value or a Tensor (a node of a recorded graph), got {type(root).__name__}")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw: rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    for name, switch in (("show_data", show_data), ("show_grad", show_grad), ("highlight_grad", highlight_grad),
                         ("legend", show_legend)):
        flag(switch, "draw", name)          # show_data="False" is true: it would show the numbers
    if collapse is not None and collapse not in COLLAPSE_LEVELS:
        raise ValueError(f"draw: collapse must be None, 'neuron' or 'layer', got {collapse!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, numbers.Integral) or max_nodes < 1:
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

    # Collapsed: boxes keep their order within a rank (a layer's neurons 0, 1, 2 from top or left, as their arrows
    # leave the layer before) and arrows run from a box's far side to the next box's near side, never behind a box.
    layered = {"ordering": "out", "ranksep": "0.5"} if members else {"ranksep": "0.35"}
    dot = Dot(
        graph_attr={"rankdir": rankdir, "nodesep": "0.2", **layered},
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"arrowsize": "0.6"},
    )
    style = Style(order, roles, name_of, show_data, show_grad, highlight_grad, members, outputs, rankdir)
    style.scope_name = {} if collapse else module_outputs(order, index)
    box_id = {key: f"g{k}" for k, key in enumerate(members)}
    tail_port, head_port = SIDES[rankdir]
    kinds: set[str] = set()                       # what the picture shows: the legend lists these and no more

    def drawn_as(j: int) -> tuple[str, float | None]:
        """The box that stands for node ``j`` and the gradient magnitude that colours arrows leaving it."""
        key = group[j]
        return (f"n{j}", style.magnitude[j]) if key is None else (box_id[key], style.box_magnitude.get(key))

    for i, node in enumerate(order):
        key = group[i]
        if key is None:
            attributes = style.node(i)
            dot.node(f"n{i}", **attributes)
            kinds.update((roles[i], _fill_kind(attributes, highlight_grad)))
            if node.parents:
                kinds.add("op")
                dot.node(f"n{i}op", label=label(shown(node.op, "an op") or "?"), shape="ellipse", style="filled",
                         fillcolor=OP, fontsize="10", width="0.3", height="0.2", margin="0.02,0.01")
                _edge(dot, kinds, f"n{i}op", f"n{i}", style.edge(style.magnitude[i]))
                for parent in node.parents:
                    tail, magnitude = drawn_as(index[id(parent)])
                    ports = {"tailport": tail_port} if tail.startswith("g") else {}
                    _edge(dot, kinds, tail, f"n{i}op", {**style.edge(magnitude), **ports})
        elif i == members[key][-1]:  # a box is drawn where its last member comes: after all that it reads
            attributes = style.box(key)
            dot.node(box_id[key], **attributes)
            kinds.update(("output" if len(order) - 1 in members[key] else "module",
                          _fill_kind(attributes, highlight_grad)))
            tails: dict[str, float | None] = {}
            for m in members[key]:
                for parent in order[m].parents:
                    j = index[id(parent)]
                    if group[j] != key:
                        tails.setdefault(*drawn_as(j))
            for tail, magnitude in tails.items():
                ports = {"tailport": tail_port} if tail.startswith("g") else {}
                _edge(dot, kinds, tail, box_id[key], {**style.edge(magnitude), **ports, "headport": head_port})
    if show_legend:
        legend(dot, highlight_grad, kinds)
    return dot


# The side an arrow leaves a module box by, and the side it enters the next one by, for each rankdir.
SIDES = {"LR": ("e", "w"), "RL": ("w", "e"), "TB": ("s", "n"), "BT": ("n", "s")}


def _fill_kind(attributes: dict, highlight: bool) -> str:
    """With highlight_grad, how a box's gradient looks: "none" (dotted: no gradient kept), "zero" (white), "not
    finite" (inf or nan), or ""."""
    if not highlight:
        return ""
    if attributes.get("style") == "filled,dotted":
        return "none"
    if attributes.get("fillcolor") == NOT_FINITE:
        return "not finite"
    return "zero" if attributes.get("fillcolor") == "white" else ""


def _edge(dot: Dot, kinds: set, tail: str, head: str, attributes: dict) -> None:
    if attributes.get("style") == "dashed":
        kinds.add("zero")
    dot.edge(tail, head, **attributes)


def graphviz_part() -> Any:
    """The module ``render``, imported now and not before: ``import autograd`` and ``to_dot`` never need graphviz."""
    try:
        render = importlib.import_module(f"{__package__}.render")
    except ModuleNotFoundError as error:
        if error.name != "graphviz":
            raise
        raise ModuleNotFoundError(PACKAGE_HINT, name="graphviz") from error
    return render


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
        if not hasattr(node, "parents"):
            raise TypeError(f"draw: names[{name!r}] is a {type(node).__name__}, not a Value or a Tensor; {fix}")
    return {id(node): shown(name, "a key of names") for name, node in pairs}


def _role(node: Any, is_root: bool, name_of: dict, names_given: bool) -> str:
    if is_root:
        return "output"
    if node.parents:
        return "value"
    if is_tensor(node):
        return "parameter" if getattr(node, "requires_grad", False) else "input"
    return "parameter" if (id(node) in name_of or not names_given) else "input"

