"""Pictures of a recorded graph (Value or Tensor): values, gradients, names, and module boxes.

``draw(root)`` returns a ``graphviz.Digraph`` (a notebook shows it inline; ``.render()`` writes SVG or PNG and
needs Graphviz's ``dot`` program); ``to_dot(root)`` returns the same picture as DOT text and needs no Graphviz at
all. The graphviz package is imported when the first picture is made, never by ``import autograd``.

The package, one idea a module, imports flowing down the list:

- ``picture``: ``draw`` and ``to_dot``: the options, the walk over the graph, who is a parameter or an input;
- ``collapse``: which module box each node belongs to (``collapse="neuron" | "layer"``);
- ``style``: colours, labels and the legend;
- ``dot``: the DOT language: quoting, and the text of nodes and edges;
- ``render``: what needs graphviz: the ``Drawing`` that ``draw`` returns, ``GraphvizNotFound``, ``RenderError``;
  imported lazily.
"""

from __future__ import annotations

from typing import Any

from .picture import draw, to_dot

__all__ = ["draw", "to_dot", "Drawing", "GraphvizNotFound", "RenderError", "INSTALL_HINT"]

_LAZY = ("Drawing", "GraphvizNotFound", "RenderError", "INSTALL_HINT")   # from render: importing them imports graphviz


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from .picture import graphviz_part

        return getattr(graphviz_part(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
