"""Loading an example script (examples/NAME.py) as a module, so that tests call its functions."""

from __future__ import annotations

import importlib.util
import os
from types import ModuleType

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def load_example(name: str) -> ModuleType:
    """examples/``name``.py, run once as a fresh module (its ``main`` is not called)."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", os.path.join(EXAMPLES, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unrasterized(monkeypatch) -> list[str]:
    """Figure.savefig lays out and draws every artist with no renderer (``Figure.draw_without_rendering``) and writes
    no file; the paths it was given are returned, in order. For tests that run an example for its numbers, its
    report or its drawing code, not for the PNG: rasterizing and compressing it cost most of such a test's CPU, and
    each example keeps a test that writes its figure as a user gets it (tests/test_examples_lectures.py and
    friends)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.figure

    asked: list[str] = []

    def savefig(fig, fname, *args, **kwargs):
        fig.draw_without_rendering()       # an artist that cannot be drawn still raises here
        asked.append(str(fname))

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)
    return asked
