"""Mutation testing, sixth round: the new bounds of examples/rbf.py (--units at most 100) and
examples/cost_of_gradients.py (--widths at most 2048) let their largest value through and stop the next one. A
value let through reaches main(), which stops at once here: the library call it makes first raises."""

from __future__ import annotations

import contextlib
import io
import runpy
import sys
from pathlib import Path

import nn
import nn.backprop

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


class Reached(Exception):
    """main() began its work: the arguments were accepted."""


def _reached(*args, **kwargs):
    raise Reached


def _run(script: str, argv: list[str], monkeypatch, tmp_path) -> tuple[int | None, str]:
    """(exit status, stderr) of the example, or (None, "") where it reached its work."""
    monkeypatch.chdir(tmp_path)
    path = EXAMPLES / f"{script}.py"
    monkeypatch.setattr(sys, "argv", [str(path), *argv])
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            runpy.run_path(str(path), run_name="__main__")
        except Reached:
            return None, ""
        except SystemExit as stop:
            return stop.code, err.getvalue()
    raise AssertionError(f"{script} {argv} neither stopped nor reached its work")


def test_rbf_takes_100_units_and_refuses_101(monkeypatch, tmp_path):
    monkeypatch.setattr(nn, "RBFNetwork", _reached)           # rbf.py's `from nn import RBFNetwork` reads it
    assert _run("rbf", ["--units", "100"], monkeypatch, tmp_path) == (None, "")
    code, err = _run("rbf", ["--units", "101"], monkeypatch, tmp_path)
    assert code == 2
    assert "error: argument --units: must be at most 100 (the samples the function is fitted on), got 101" in err


def test_cost_of_gradients_takes_width_2048_and_refuses_2049(monkeypatch, tmp_path):
    for name in ("forward", "forward_sensitivities", "gradients", "total_cost"):
        monkeypatch.setattr(nn.backprop, name, _reached)
    assert _run("cost_of_gradients", ["--widths", "8,2048"], monkeypatch, tmp_path) == (None, "")
    code, err = _run("cost_of_gradients", ["--widths", "2049,8"], monkeypatch, tmp_path)
    assert code == 2 and "error: argument --widths: each width must be at most 2,048" in err and "got 2,049" in err
