"""What needs Graphviz: the ``graphviz.Digraph`` that ``draw`` returns, and a clear error when ``dot`` is missing.

Imported only when a picture is made, so that ``import autograd`` and ``to_dot`` never need the graphviz package.
"""

from __future__ import annotations

import functools
from typing import Any

import graphviz

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



def drawing(lines: list[str]) -> Drawing:
    """A Drawing made of the DOT statements ``lines`` (``to_dot``'s text between ``digraph {`` and ``}``)."""
    return Drawing(body=lines)
