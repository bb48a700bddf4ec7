"""The DOT language, written by hand: quoting, and a graph that collects node and edge statements as text.

``to_dot`` needs no Graphviz at all: the text is made here, in the layout the graphviz package writes
(``\\tname [label=... key=value]``, attributes after the label in sorted order), and ``draw`` hands the same lines
to a ``graphviz.Digraph``, so that ``to_dot(root) == draw(root).source``.

>>> g = Dot({"rankdir": "LR"}, {}, {})
>>> g.node("n0", label="x | data 1", shape="record")
>>> g.edge("n0", "n1")
>>> print(g.source().expandtabs(4), end="")
digraph {
    graph [rankdir=LR]
    n0 [label="x | data 1" shape=record]
    n0 -> n1
}
"""

from __future__ import annotations

import re

_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))\Z")
_KEYWORDS = {"node", "edge", "graph", "digraph", "subgraph", "strict"}
_HTML = re.compile(r"<.*>\Z", re.DOTALL)
_UNESCAPED_QUOTE = re.compile(r'(?<!\\)"')


class Html(str):
    """An HTML-like label (``<...>``) that the drawing wrote itself (the legend): written without quotes."""


def quote(value: str) -> str:
    """``value`` as a DOT ID: bare when it is a plain name or number, else in double quotes."""
    if isinstance(value, Html) or _HTML.match(value):
        return value
    if _ID.match(value) and value.lower() not in _KEYWORDS:
        return value
    return '"' + _UNESCAPED_QUOTE.sub(r'\\"', value) + '"'


def _attributes(label: str | None, attrs: dict[str, str]) -> str:
    items = ([f"label={quote(label)}"] if label is not None else []) + [
        f"{quote(k)}={quote(v)}" for k, v in sorted(attrs.items()) if v is not None]
    return f" [{' '.join(items)}]" if items else ""


class Dot:
    """A directed graph as DOT statements; ``lines()`` without the enclosing ``digraph { }``."""

    def __init__(self, graph_attr: dict[str, str], node_attr: dict[str, str], edge_attr: dict[str, str]) -> None:
        self._lines = [f"\t{kind}{_attributes(None, attrs)}\n"
                       for kind, attrs in (("graph", graph_attr), ("node", node_attr), ("edge", edge_attr)) if attrs]

    def node(self, name: str, label: str | None = None, **attrs: str) -> None:
        self._lines.append(f"\t{quote(name)}{_attributes(label, attrs)}\n")

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        self._lines.append(f"\t{quote(tail)} -> {quote(head)}{_attributes(None, attrs)}\n")

    def lines(self) -> list[str]:
        return list(self._lines)

    def source(self) -> str:
        return "digraph {\n" + "".join(self._lines) + "}\n"
