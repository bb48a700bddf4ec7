"""``draw(..., collapse="neuron" | "layer")``: which module box each node of a recorded graph belongs to.

The ``nn`` modules tag the output of each neuron ``("layers.i", "neurons.j")`` and of each tensor layer
``("layers.i",)`` with ``graph.tag``; everything else is placed here, in linear time, by its consumers:
a node joins a box when every node that consumes it is in that box (a weight read by one neuron does, an input
read by every neuron of a layer does not); inputs, and an untagged output, never do.

>>> from autograd import Value
>>> w, x = Value(2.0), Value(3.0, label="x")
>>> from autograd.graph import tag
>>> y = tag(w * x, "layers.0", "neurons.0")
>>> z = y + 1.0
>>> order = [w, x, y, z]
>>> groups(order, {id(n): i for i, n in enumerate(order)}, ["parameter", "input", "value", "output"], "neuron")
[('layers.0', 'neurons.0'), None, ('layers.0', 'neurons.0'), None]
"""

from __future__ import annotations

from ..graph import describe, scope_of
from .dot import shown

_UNSEEN, _MIXED = object(), object()


def groups(order: list, index: dict, roles: list, collapse: str) -> list:
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
        scope = scope_of(node)
        if scope:
            key = _key(scope[:depth], node)
        elif roles[i] in ("input", "output"):
            key = None
        elif leaf_groups is not None and not node.parents:
            key = leaf_groups[i][:depth] if leaf_groups[i] else None
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
        scope = scope_of(node)
        if scope:
            for parent in node.parents:
                if scope_of(parent) == scope:
                    inner.add(index[id(parent)])
    return {i: module_name(scope) for i, node in enumerate(order)
            if (scope := scope_of(node)) and i not in inner}


def module_name(scope: tuple) -> str:
    """A module's dotted name (``layers.0.neurons.1``) from its tag; a part that is not a str by its ``str()``."""
    return ".".join(shown(part, "a part of a tag") for part in scope)
