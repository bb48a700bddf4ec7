"""What needs Graphviz: the ``graphviz.Digraph`` that ``draw`` returns, and clear errors when ``dot`` is missing or
fails.

Imported only when a picture is made, so that ``import autograd`` and ``to_dot`` never need the graphviz package.
"""

from __future__ import annotations

import functools
import inspect
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


class RenderError(graphviz.CalledProcessError):
    """``dot`` ran and failed (an output file it cannot write, say): the message is what ``dot`` said. A subclass,
    so old ``except graphviz.CalledProcessError`` clauses still catch it."""

    def __init__(self, error: graphviz.CalledProcessError) -> None:
        super().__init__(error.returncode, error.cmd, error.output, error.stderr)

    def __str__(self) -> str:
        said = self.stderr.decode(errors="replace") if isinstance(self.stderr, bytes) else str(self.stderr or "")
        return (f"draw: Graphviz's dot could not render the picture (exit status {self.returncode}): "
                f"{said.strip() or 'it gave no reason'}")


def _explained(method: Any) -> Any:
    # graphviz accepts format="SVG" (its own format attribute lower-cases it) and hands it to dot as is, which
    # knows only "svg": the format is lower-cased here, whether it comes by name or by position.
    at = list(inspect.signature(method).parameters).index("format") - 1     # its place in args, after self

    @functools.wraps(method)
    def explained(self: graphviz.Digraph, *args: Any, **kwargs: Any) -> Any:
        if isinstance(kwargs.get("format"), str):
            kwargs["format"] = kwargs["format"].lower()
        elif len(args) > at and isinstance(args[at], str):
            args = (*args[:at], args[at].lower(), *args[at + 1:])
        try:
            return method(self, *args, **kwargs)
        except GraphvizNotFound:
            raise
        except graphviz.ExecutableNotFound as e:
            raise GraphvizNotFound(str(e)) from e
        except graphviz.CalledProcessError as e:
            raise RenderError(e) from e

    return explained


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose ``render``/``pipe`` (and so notebook display) explain a missing ``dot``
    (``GraphvizNotFound``) and a failing one (``RenderError``), and take a format in any case ("SVG")."""

    render = _explained(graphviz.Digraph.render)
    pipe = _explained(graphviz.Digraph.pipe)



def drawing(lines: list[str]) -> Drawing:
    """A Drawing made of the DOT statements ``lines`` (``to_dot``'s text between ``digraph {`` and ``}``)."""
    return Drawing(body=lines)
