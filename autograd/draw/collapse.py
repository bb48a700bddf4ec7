"""``draw(..., collapse="neuron" | "layer")``: which module box each node of a recorded graph belongs to.

The ``nn`` modules tag the output of each neuron ``("layers.i", "neurons.j")`` and of each tensor layer
``("layers.i",)`` with ``graph.tag``; everything else is placed here, in linear time, by its consumers:
a node joins a box when every node that consumes it is in that box (a weight read by one neuron does, an input
read by every neuron of a layer does not); inputs, and an untagged output, never do.

Two models built alike carry the same tags, so a tag alone cannot name a box: a box is one module of one model.
Per neuron, the nodes of one tag are one box when arrows join them, or when they read the same parameters (a
module called on several samples); two models read their own parameters, so their boxes stay apart. Per layer,
the neurons of one layer name are one box when they read the same boxes and feed the same boxes, as the neurons
of one layer of an MLP do; never two neurons of one name, which would be two models' layers that nothing tells
apart (two one-layer models): those neurons keep their own boxes.

>>> from autograd import Value
>>> w, x = Value(2.0), Value(3.0, label="x")
>>> from autograd.graph import tag
>>> y = tag(w * x, "layers.0", "neurons.0")
>>> z = y + 1.0
>>> order = [w, x, y, z]
>>> boxes_of = groups(order, {id(n): i for i, n in enumerate(order)}, ["parameter", "input", "value", "output"],
...                   "neuron")
>>> [box and module_name(box.scope) for box in boxes_of]
['layers.0.neurons.0', None, 'layers.0.neurons.0', None]
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..graph import describe, scope_of
from .dot import shown

_UNSEEN, _MIXED = object(), object()


class Box(NamedTuple):
    """A module box: the module's tag (its first part with collapse="layer"), which names it, and ``piece``, which
    tells apart the boxes of two models whose modules carry the same tag."""

    scope: tuple
    piece: Any


def groups(order: list, index: dict, roles: list, collapse: str) -> list:
    """The module box of each node (a ``Box``), or None for a node drawn on its own.

    A tagged node starts (or joins) a box of its tag; an untagged node joins a box when every node that
    consumes it is in that box. A leaf joins a layer's box only if it joins one of its neurons' boxes: an input
    that every neuron of the layer reads stays outside. Linear time: one pass per level, root first.
    """
    per_neuron = _neuron_boxes(order, index, roles)
    if collapse == "neuron":
        return per_neuron
    return _layer_boxes(order, index, roles, per_neuron)


class _Pieces:
    """Which pieces (named by the index of a node in them) turned out to be one module: union-find."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, p: int) -> int:
        root = p
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[p] != root:                   # shorten the path for the next find
            self.parent[p], p = root, self.parent[p]
        return root

    def join(self, p: int, q: int) -> None:
        p, q = self.find(p), self.find(q)
        self.parent[max(p, q)] = min(p, q)


def _neuron_boxes(order: list, index: dict, roles: list) -> list:
    """One box per module of one model, in reverse topological order (every consumer of a node is placed before
    the node is). A tagged node joins the piece of a consumer with its tag (a tensor layer's z, read by its
    activation) or starts its own piece; an untagged intermediate result joins the one piece all its consumers are
    in, and stays outside when they are in several (an input that two models' first neurons read). A leaf read by
    several pieces of one tag joins them into one when each of them reads the same leaves: a module called twice
    reads its own parameters both times, while two models read their own (a leaf they share stays outside)."""
    n = len(order)
    tags = [_key(scope, node) if (scope := _parts_of(node)) else None for node in order]
    pieces = _Pieces(n)
    group: list = [None] * n             # (tag, piece) of each node's box, None when it is drawn on its own
    piece_of: list = [None] * n          # a tagged node: the piece of a consumer with the same tag
    seen: list = [_UNSEEN] * n           # the one tag all consumers seen so far carry, and their pieces; or _MIXED
    leaves: list = []                    # (leaf, its tag, the pieces that read it): placed after the pass
    for i in range(n - 1, -1, -1):
        node, tag, piece = order[i], tags[i], None
        if tag is not None:
            piece = i if piece_of[i] is None else piece_of[i]
        elif roles[i] in ("input", "output") or seen[i] is _UNSEEN or seen[i] is _MIXED:
            pass
        elif not node.parents:
            leaves.append((i, *seen[i]))
            continue
        else:
            found = {pieces.find(p) for p in seen[i][1]}
            if len(found) == 1:
                tag, piece = seen[i][0], found.pop()
        group[i] = None if tag is None else (tag, piece)
        for parent in node.parents:
            j = index[id(parent)]
            if tag is not None and tags[j] == tag:      # the module's own node (z, read by its a): one piece
                if piece_of[j] is None:
                    piece_of[j] = piece
                else:
                    pieces.join(piece_of[j], piece)
            s = seen[j]
            if tag is None or s is _MIXED or (s is not _UNSEEN and s[0] != tag):
                seen[j] = _MIXED
            elif s is _UNSEEN:
                seen[j] = (tag, {piece})
            else:
                s[1].add(piece)
    readers = [{pieces.find(p) for p in read_by} for _, _, read_by in leaves]
    leaves_read: dict[int, set] = {}     # piece -> the leaves it reads
    for (i, _, _), found in zip(leaves, readers):
        for p in found:
            leaves_read.setdefault(p, set()).add(i)
    numbered: dict[frozenset, int] = {}
    same_leaves = {p: numbered.setdefault(frozenset(read), len(numbered)) for p, read in leaves_read.items()}
    for (i, tag, _), found in zip(leaves, readers):
        if len({same_leaves[p] for p in found}) == 1:            # each piece reads these same leaves: one module
            first = min(found)
            for p in found:
                pieces.join(first, p)
            group[i] = (tag, first)
    return [None if g is None else Box(g[0], pieces.find(g[1])) for g in group]


def _layer_boxes(order: list, index: dict, roles: list, per_neuron: list) -> list:
    """One box per layer of one model: the neurons of one layer name that read the same boxes and feed the same
    boxes (a tensor layer, tagged by one part, is its own box). Then, as per neuron, an untagged node joins the one
    box all its consumers are in, and a leaf the layer of the neuron it joined."""
    reads: dict[Box, set] = {}
    feeds: dict[Box, set] = {}
    for i, node in enumerate(order):
        box = per_neuron[i]
        if box is None:
            continue
        reads.setdefault(box, set())
        feeds.setdefault(box, set())
        for parent in node.parents:
            source = per_neuron[index[id(parent)]]
            if source is not None and source != box:
                reads[box].add(source)
                feeds.setdefault(source, set()).add(box)
    layer_of = {box: box for box in reads if len(box.scope) == 1}
    layers: dict[Box, list[Box]] = {}
    for box in reads:
        if len(box.scope) > 1:
            layers.setdefault(Box(box.scope[:1], (frozenset(reads[box]), frozenset(feeds[box]))), []).append(box)
    for layer, neurons in layers.items():
        named = {box.scope for box in neurons}
        # Two neurons of one name cannot be one layer of one model: two models' layers that read and feed nothing
        # that tells them apart (two one-layer models). Their neurons keep their own boxes rather than share one.
        for box in neurons:
            layer_of[box] = layer if len(named) == len(neurons) else box
    n = len(order)
    group: list = [None] * n
    consumers: list = [_UNSEEN] * n      # the one box all consumers seen so far are in; _MIXED when they differ
    for i in range(n - 1, -1, -1):
        node = order[i]
        if _parts_of(node):                                      # tagged: the layer of its neuron
            key = layer_of[per_neuron[i]]
        elif roles[i] in ("input", "output"):
            key = None
        elif not node.parents:                                  # a leaf: the layer of the neuron it joined, if any
            key = layer_of[per_neuron[i]] if per_neuron[i] else None
        else:
            seen = consumers[i]
            key = None if seen is _MIXED or seen is _UNSEEN else seen
        group[i] = key
        for parent in node.parents:
            j = index[id(parent)]
            seen = consumers[j]
            if seen is _UNSEEN:
                consumers[j] = key
            elif seen is not _MIXED and seen != key:
                consumers[j] = _MIXED
    return group


def _parts_of(node: object) -> tuple:
    """``graph.scope_of(node)`` as a tuple of parts. ``tag_as`` stores its scope as given: a str there is one part
    (``tag_as(node, "layers.0")``), not one part per character, which named the box "l.a.y.e.r.s...0" and grouped
    every "layers.k" into one layer "l"; a scope that is neither is refused by name."""
    scope = scope_of(node)
    if isinstance(scope, str):
        return (scope,)
    if not isinstance(scope, (tuple, list)):
        raise TypeError(f"draw: the {describe(node)} is tagged {scope!r}, which is not a tuple of names; tag "
                        "with graph.tag(node, 'layers.0', 'neurons.1') or graph.tag_as(node, ('layers.0',))")
    return tuple(scope)


def _key(scope: tuple, node: object) -> tuple:
    """A box's key: the (first parts of a) node's tag, which must be hashable, as a str or a tuple of strs is."""
    key = tuple(scope)
    try:
        hash(key)
    except TypeError:
        raise TypeError(f"draw: collapse groups nodes by their tags, and the tag {scope_of(node)!r} of the "
                        f"{describe(node)} cannot name a box (a part is not hashable); tag with strs: "
                        "graph.tag(node, 'layers.0', 'neurons.1')") from None
    return key


def boxes(order: list, index: dict, group: list) -> tuple[dict, dict]:
    """Each box's members, and its outputs: the members that something outside it consumes (or the root)."""
    members: dict[tuple, list[int]] = {}
    for i, key in enumerate(group):
        if key is not None:
            members.setdefault(key, []).append(i)
    outputs: dict[tuple, dict[int, None]] = {key: {} for key in members}
    for i, node in enumerate(order):
        for parent in node.parents:
            j = index[id(parent)]
            if group[j] is not None and group[j] != group[i]:
                outputs[group[j]][j] = None
    if group[-1] is not None:
        outputs[group[-1]][len(order) - 1] = None
    return members, {key: list(out) for key, out in outputs.items()}


def module_outputs(order: list, index: dict) -> dict[int, str]:
    """The tagged nodes that no node of the same module consumes (a neuron's activation, a tensor layer's
    activation, not the layer's Z), by index, with their module's dotted name: the uncollapsed drawing names
    them by it."""
    inner = set()
    for node in order:
        scope = _parts_of(node)
        if scope:
            for parent in node.parents:
                if _parts_of(parent) == scope:
                    inner.add(index[id(parent)])
    return {i: module_name(scope) for i, node in enumerate(order)
            if (scope := _parts_of(node)) and i not in inner}


def module_name(scope: tuple) -> str:
    """A module's dotted name (``layers.0.neurons.1``) from its tag; a part that is not a str by its ``str()``."""
    return ".".join(shown(part, "a part of a tag") for part in scope)
