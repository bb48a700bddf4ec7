"""Every example answers --help (exit 0, without running anything) and names the lectures, never 'seed 00x' (issue 15).

The scripts run in this process with runpy (sys.argv patched), which costs milliseconds instead of a fresh
interpreter per example; the subprocess test below checks the real command line once.
"""

from __future__ import annotations

import contextlib
import io
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


def help_text(path: Path, monkeypatch) -> str:
    """What ``python examples/<name>.py --help`` prints; fails if the script exits otherwise than with 0."""
    assert "argparse" in path.read_text(), f"{path.name} parses no arguments: --help would run it"
    monkeypatch.setattr(sys, "argv", [str(path), "--help"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exited:
        runpy.run_path(str(path), run_name="__main__")
    assert exited.value.code in (0, None), f"{path.name} --help exited with {exited.value.code}"
    return out.getvalue()


def test_there_are_examples_to_check():
    assert len(EXAMPLES) >= 15 and {"neuron.py", "moons.py", "digits.py", "draw_graph.py"} <= {p.name for p in EXAMPLES}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_help_exits_0_and_names_lectures_not_seed_numbers(path, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)                       # a script that ran instead of helping would write here
    text = help_text(path, monkeypatch)
    assert text.startswith("usage: "), text[:200]
    assert not re.search(r"seeds? 00\d", text, re.I), text
    assert not list(tmp_path.iterdir())


def test_help_from_the_shell_as_a_newcomer_types_it():
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "examples/neuron.py", "--help"], cwd=root, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("usage: neuron.py"), done.stderr
