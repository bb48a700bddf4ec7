r"""The DOT language, written by hand: escaping user text, and a graph that collects statements as text.

``to_dot`` needs no Graphviz at all: the text is made here, in the layout the graphviz package writes
(``\tname [label=... key=value]``, attributes after the label in sorted order), and ``draw`` hands the same lines
to a ``graphviz.Digraph``, so that ``to_dot(root) == draw(root).source``.

Every string a user gave (a label, a name, an op, a tag) goes through ``printable`` and then ``label`` or
``field``; only the drawing's own legend is ever written as an HTML-like label (``Html``).

>>> g = Dot({"rankdir": "LR"}, {}, {})
>>> g.node("n0", label=field("x|y") + " | data 1", shape="record")
>>> g.edge("n0", "n1")
>>> print(g.source().expandtabs(4), end="")
digraph {
    graph [rankdir=LR]
    n0 [label="x\|y | data 1" shape=record]
    n0 -> n1
}
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))\Z")
_KEYWORDS = {"node", "edge", "graph", "digraph", "subgraph", "strict"}
LONGEST = 200   # characters of one user string shown: Graphviz refuses a quoted string longer than 16384 bytes
_UNSEEN = ("Cc", "Cs", "Cn", "Zl", "Zp")   # control, lone surrogate, unassigned, line and paragraph separator
_RECORD = str.maketrans({c: "\\" + c for c in "{}|<>"})


class Html(str):
    """An HTML-like label (``<...>``) that the drawing wrote itself (the legend): written without quotes.

    Only this type is ever written as HTML: user text, whatever it looks like, is a quoted string.
    """


def quote(value: str) -> str:
    r"""``value`` as a DOT ID: bare when it is a plain name or number, ``<...>`` when it is ``Html``, else in
    double quotes with each ``"`` escaped (backslashes are left alone: ``label`` and ``field`` double them).

    >>> print(quote("lightblue"), quote("0.6"), quote("/orrd9/6"), quote('<b>"x"</b>'))
    lightblue 0.6 "/orrd9/6" "<b>\"x\"</b>"
    """
    if isinstance(value, Html):
        return value
    if _ID.match(value) and value.lower() not in _KEYWORDS:
        return value
    return '"' + value.replace('"', '\\"') + '"'


def shown(value: Any, what: str) -> str:
    """``value`` (a user's label, name, op or tag) as a str: a str as it is, anything else by ``str()``."""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception as error:   # a user's __str__ may raise anything: say whose it was
        raise TypeError(f"draw: {what} is a {type(value).__name__} whose str() fails ({error!r}); "
                        "give it a str") from error


def printable(text: str) -> str:
    r"""``text`` as it will be seen: cut to LONGEST characters (saying how many more there were); a character
    that cannot be shown (a control character, a lone surrogate, an unassigned code point) written as Python's
    repr writes it, so that it is visible and Graphviz never receives it; ``&`` written as ``&amp;``, so that
    ``&lt;`` shows as typed, not as an HTML entity. A line break stays a line break.

    >>> print(printable("a\x00b\ud800 &lt;"))
    a\x00b\ud800 &amp;lt;
    """
    if len(text) > LONGEST:
        text = f"{text[:LONGEST]}... ({len(text) - LONGEST} more characters)"
    if text.isprintable() and "&" not in text:
        return text
    return "".join("&amp;" if ch == "&" else _visible(ch) for ch in text)


def _visible(ch: str) -> str:
    if ch == "\n" or unicodedata.category(ch) not in _UNSEEN:
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def label(text: str) -> str:
    r"""User text as an ordinary label (an op's ellipse): ``printable``, each backslash doubled (so that a
    user's ``\N`` or ``\l`` is shown, not read as Graphviz's escapes), a line break as ``\n``.

    >>> print(label('say "hi"\\n\nnext'))
    say "hi"\\n\nnext
    """
    return printable(text).replace("\\", "\\\\").replace("\n", "\\n")


def field(text: str) -> str:
    r"""User text as a field of a record label: as ``label``, and the record's own ``{ } | < >`` escaped too.

    >>> print(field("a|b {c} <d>"))
    a\|b \{c\} \<d\>
    """
    return label(text).translate(_RECORD)


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
