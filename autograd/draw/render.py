"""What needs Graphviz: the ``graphviz.Digraph`` that ``draw`` returns, and clear errors when ``dot`` is missing or
fails.

Imported only when a picture is made, so that ``import autograd`` and ``to_dot`` never need the graphviz package.
"""

from __future__ import annotations

import functools
import inspect
import os
import stat
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

    pipe = _explained(graphviz.Digraph.pipe)
    _render_explained = _explained(graphviz.Digraph.render)

    @functools.wraps(graphviz.Digraph.render)
    def render(self, filename: Any = None, directory: Any = None, *args: Any, **kwargs: Any) -> Any:
        # dot writes the picture with open(path, "w"): on a FIFO it waits for a reader forever (render hung). The
        # picture's path as graphviz names it (an outfile is taken in the Drawing's directory unless one is given);
        # the DOT source's is checked in save(), where graphviz opens it.
        outfile = kwargs.get("outfile")
        if outfile is not None:
            folder = os.fspath(self.directory) if directory is None else ""
            picture = os.path.join(folder, os.fspath(outfile))
        else:
            fmt = kwargs.get("format") or (args[2] if len(args) > 2 else None) or self.format  # (view, cleanup, format)
            suffix = ".".join(str(a) for a in (kwargs.get("formatter"), kwargs.get("renderer"), fmt) if a)
            source = os.path.join(os.fspath(directory if directory is not None else self.directory),
                                  os.fspath(filename if filename is not None else self.filename))
            picture = f"{source}.{suffix.lower()}"
        _refuse_fifo(picture, "the picture")
        if args:                        # given by position after directory (graphviz warns of that itself)
            return self._render_explained(filename, directory, *args, **kwargs)
        return self._render_explained(filename, directory=directory, **kwargs)

    @functools.wraps(graphviz.Digraph.save)
    def save(self, filename: Any = None, directory: Any = None, **kwargs: Any) -> Any:
        # graphviz writes the DOT source with open(self.filepath, "w"): a FIFO there would wait forever
        if filename is not None:
            self.filename = filename
        if directory is not None:
            self.directory = directory
        _refuse_fifo(self.filepath, "the DOT source")
        return super().save(**kwargs)


def _refuse_fifo(path: str, what: str) -> None:
    """A ValueError if ``path``, where ``what`` would be written, is a FIFO, which open(path, "w") would wait on for
    a reader forever; anything else (a folder, no permission, a missing folder) is left to graphviz and dot, which
    fail with their reason."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return
    if stat.S_ISFIFO(mode):
        raise ValueError(f"draw: {path!r} is a FIFO (named pipe): writing {what} there would wait for a reader "
                         "forever; give render() or save() the path of a file")



def drawing(lines: list[str]) -> Drawing:
    """A Drawing made of the DOT statements ``lines`` (``to_dot``'s text between ``digraph {`` and ``}``)."""
    return Drawing(body=lines)
