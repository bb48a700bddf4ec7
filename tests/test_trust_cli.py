"""Issue 10, trust at the edges: ``python -m nn.compare`` answers every bad argument with a usage error (exit 2,
one line saying what is wrong, no traceback), refuses runs beyond a laptop unless --force, and reads --weights by
its headers before building anything; ``compare_gradients`` checks its own arguments the same way."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hostile import MiB, deflated_zeros, marker, npy, npy_header, stored, write_zip

import nn.compare as compare
from nn import MLP
from nn.compare import compare_gradients, main

ROOT = Path(__file__).resolve().parent.parent


def usage_error(argv, capsys, seconds=2.0, peak=16 * MiB) -> str:
    """``main(argv)`` exits with status 2 quickly and cheaply; the last line of stderr, the error itself."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(SystemExit) as stop:
            main(argv)
        used = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert stop.value.code == 2
    assert time.perf_counter() - start < seconds
    assert used < peak, f"refusing took a peak of {used / MiB:.0f} MiB"
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize("argv, says", [
    (["--sizes", "2,x,2"], r"argument --sizes: 'x' is not a whole number >= 1; .* e.g. 2,3,1"),
    (["--sizes", "2"], r"argument --sizes: '2' is one size; give at least two"),
    (["--sizes", "2,0,1"], r"argument --sizes: '0' is not a whole number >= 1"),
    (["--samples", "0"], r"argument --samples: 0 is below 1; give at least one sample"),
    (["--samples", "many"], r"argument --samples: 'many' is not a whole number"),
    (["--seed", "-1"], r"argument --seed: -1 is below 0; give a seed >= 0"),
    (["--methods", "foo"], r"argument --methods: unknown method 'foo'; choose from manual,tensor,scalar"),
    (["--methods", ","], r"argument --methods: unknown method list \(empty\)"),
    (["--activation", "swish"], r"argument --activation: invalid choice: 'swish'"),
    (["--activation", "step"], r"argument --activation: invalid choice: 'step'"),
    (["--cost", "cross_entropy", "--sizes", "2,3,1"],
     r"--cost cross_entropy needs at least 2 outputs .* net 2-3-1 has 1; use --cost binary_cross_entropy"),
    (["--cost", "cross_entropy", "--output-activation", "sigmoid"], r"needs output_activation='softmax'"),
])
def test_every_bad_argument_is_a_usage_error(argv, says, capsys):
    import re

    line = usage_error(argv, capsys)
    assert line.startswith("python -m nn.compare: error: ") and re.search(says, line), line


def test_a_run_beyond_a_laptops_memory_is_refused_before_allocating(capsys):
    line = usage_error(["--sizes", "100000,100000"], capsys)
    assert "net 100000-100000 (10,000,100,000 parameters)" in line and "TiB of memory (the limit is 2.0 GiB)" in line
    assert "pass --force" in line


def test_numerical_gradients_of_millions_of_parameters_are_refused_as_too_slow(capsys):
    line = usage_error(["--sizes", "3000,3000", "--methods", "manual,numerical"], capsys)
    assert "(9,003,000 parameters)" in line and "minutes (the limit is 10); leave out numerical" in line


def test_force_runs_what_the_estimate_would_refuse(monkeypatch, capsys):
    monkeypatch.setattr(compare, "MAX_SECONDS", 0.0)
    assert "the limit is 0" in usage_error(["--sizes", "2,3,1", "--samples", "3"], capsys)
    assert main(["--sizes", "2,3,1", "--samples", "3", "--force"]) == 0
    assert "OK:" in capsys.readouterr().out


def test_the_estimate_grows_with_what_each_method_costs():
    small, _ = compare.estimate([2, 2, 3, 2], 10, ["manual"])
    assert small < MiB
    _, manual = compare.estimate([784, 100, 10], 100, ["manual"])
    _, numerical = compare.estimate([784, 100, 10], 100, ["manual", "numerical"])
    assert numerical > 1000 * manual                              # 2 forward passes per parameter
    assert compare.estimate([784, 100, 10], 100, ["scalar"])[0] > compare.estimate([784, 100, 10], 100, ["tensor"])[0]


def test_the_default_hh19_run_and_mnist_sized_checks_stay_allowed():
    assert compare._check_budget([2, 2, 3, 2], 10, list(compare.METHODS)) is None
    assert compare._check_budget([784, 30, 10], 10, ["manual", "tensor", "forward"]) is None


def test_the_command_line_prints_one_error_line_and_no_traceback():
    done = subprocess.run([sys.executable, "-m", "nn.compare", "--sizes", "2,x,2"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr and lines[-1].startswith("python -m nn.compare: error: argument --sizes")
    assert all(line.startswith(("usage:", " ", "python -m nn.compare: error:")) for line in lines)


# --- --weights: headers before anything is built -------------------------------------------------------------------

def test_weights_whose_headers_claim_a_huge_model_are_refused_before_building_it(tmp_path, capsys):
    path = tmp_path / "huge.npz"
    claimed = npy_header((20000, 20000))                # 3.2 GB claimed; the deflate stream holds 320 MiB of zeros
    write_zip(path, [marker(), ("layers.0.weight.npy", deflated_zeros(claimed, 3200), 8, len(claimed) + 3_200_000_000),
                     stored("layers.0.bias.npy", npy(np.zeros(20000)))])
    # manual,tensor: --methods manual alone is refused by itself now (nothing to compare with)
    line = usage_error(["--weights", str(path), "--methods", "manual,tensor"], capsys)
    assert "net 20000-20000 (400,020,000 parameters)" in line and "of memory" in line


def test_weights_of_a_few_bytes_claiming_gigabytes_are_refused_even_with_force(tmp_path, capsys):
    path = tmp_path / "tiny.npz"
    claimed = npy_header((20000, 20000))                # 3.2 GB claimed by a header and 8 bytes
    write_zip(path, [marker(), ("layers.0.weight.npy", claimed + bytes(8), 0, len(claimed) + 3_200_000_000),
                     stored("layers.0.bias.npy", npy(np.zeros(3)))])
    assert os.path.getsize(path) < 2000
    line = usage_error(["--weights", str(path), "--force"], capsys)
    assert "tiny.npz' is corrupt: 'layers.0.weight' claims 3.0 GiB but holds only 136 bytes" in line


def test_weights_named_like_a_huge_value_mlp_are_refused_before_building_it(tmp_path, capsys):
    path = tmp_path / "names.npz"
    zero = npy(np.array(0.0))
    write_zip(path, [marker("nn.scalar.MLP(2 -> 1)"), stored("layers.0.neurons.0.w.0.npy", zero),
                     stored("layers.0.neurons.0.w.199999.npy", zero), stored("layers.0.neurons.0.b.npy", zero)])
    line = usage_error(["--weights", str(path), "--force"], capsys)
    assert "names.npz' has 3 weights named like a Value MLP, but the names describe sizes [200000, 1]" in line


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_weights_from_a_fifo_or_a_folder_are_refused_without_hanging(tmp_path, capsys, kind):
    path = tmp_path / "pipe.npz"
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(path)
    else:
        path.mkdir()
    line = usage_error(["--weights", str(path)], capsys)
    assert f"--weights: '{path}' is a" in line and "not a regular file" in line


def test_a_saved_model_still_runs(tmp_path, capsys):
    path = MLP([3, 4, 2], activation="tanh", seed=0).save(tmp_path / "m.npz")
    assert main(["--weights", path, "--samples", "3", "--methods", "manual,tensor,forward"]) == 0
    assert "net 3-4-2, activation tanh" in capsys.readouterr().out


# --- compare_gradients' own arguments ------------------------------------------------------------------------------

W = [(np.ones((1, 2)), np.zeros(1))]
X, Y = np.array([[1.0, 2.0]]), np.array([[1.0]])


def test_a_misspelt_tolerance_key_is_named_with_the_known_ones():
    with pytest.raises(ValueError, match=r"tolerances has the unknown key 'numerica'; known keys: tensor, scalar, "
                                         r"numerical, forward"):
        compare_gradients(W, X, Y, tolerances={"numerica": (1e-5, 1e-6)})
    report = compare_gradients(W, X, Y, tolerances={"numerical": (1e-4, 1e-5)})
    assert report.tolerances["numerical"] == (1e-4, 1e-5) and report.ok


def test_zero_samples_are_refused_clearly():
    with pytest.raises(ValueError, match=r"compare_gradients: X holds 0 samples \(shape \(0, 2\)\); give at least "
                                         r"one row"):
        compare_gradients(W, np.zeros((0, 2)), np.zeros((0, 1)))


@pytest.mark.parametrize("kwargs, error, says", [
    (dict(tolerances={"numerical": (-1e-5, 1e-6)}), ValueError, r"tolerances\['numerical'\] must be \(rtol, atol\), "
                                                                r"two finite numbers >= 0, got \(-1e-05, 1e-06\)"),
    (dict(tolerances={"tensor": (float("nan"), 0.0)}), ValueError, r"tolerances\['tensor'\] must be \(rtol, atol\)"),
    (dict(tolerances={"tensor": 1e-10}), ValueError, r"tolerances\['tensor'\] must be \(rtol, atol\)"),
    (dict(tolerances={"tensor": ("1e-10", 0)}), ValueError, r"tolerances\['tensor'\] must be \(rtol, atol\)"),
    (dict(tolerances=[("tensor", (1e-10, 0))]), TypeError, r"tolerances must be a dict"),
    (dict(eps=0.0), ValueError, r"eps must be a number in \(0, 1\)"),
    (dict(eps=float("nan")), ValueError, r"eps must be a number in \(0, 1\)"),
    (dict(eps="1e-6"), ValueError, r"eps must be a number in \(0, 1\)"),
    (dict(methods="manual,tensor"), TypeError, r"methods must be a sequence of names such as \('manual', 'tensor'\)"),
    (dict(manual=42), TypeError, r"manual must be a function"),
    (dict(cost="cross-entropy"), ValueError, r"compare_gradients: unknown cost 'cross-entropy'; known costs"),
    (dict(activation="swish"), ValueError, r"compare_gradients: activation: .*unknown activation 'swish'"),
])
def test_compare_gradients_checks_its_other_arguments(kwargs, error, says):
    with pytest.raises(error, match=says):
        compare_gradients(W, X, Y, **kwargs)


def test_non_finite_data_or_weights_are_refused():
    with pytest.raises(ValueError, match="compare_gradients: X holds NaN or infinite values"):
        compare_gradients(W, np.array([[np.nan, 1.0]]), Y)
    with pytest.raises(ValueError, match=r"W\^\[2\] or b\^\[2\] holds NaN or infinite values"):
        compare_gradients([(np.array([[np.inf, 0.0]]), np.zeros(1))], X, Y)
    with pytest.raises(TypeError, match="model_or_weights must be an nn.MLP, an nn.scalar.MLP or a list of"):
        compare_gradients([("W", "b")], X, Y)


# --- --manual: the student's file and function, named in every error -----------------------------------------------

def manual_error(tmp_path, capsys, source, spec="homework.py:grads", extra=()) -> tuple[int, str]:
    """Run ``main`` on a homework file written from ``source``; (exit status, stderr). No status 0 allowed."""
    (tmp_path / "homework.py").write_text(source)
    where, _, name = spec.rpartition(":")
    with pytest.raises(SystemExit) as stop:
        main(["--sizes", "2,3,2", "--samples", "3", "--methods", "manual,tensor", "--manual",
              f"{tmp_path / where}:{name}", *extra])
    return stop.value.code, capsys.readouterr().err


@pytest.mark.parametrize("source, says", [
    ("def grads(weights, X, Y):\n    return (\n",
     r"'.*homework\.py' has a syntax error at line 2: '\(' was never closed"),
    ("import numpy as np\nraise ImportError('boom')\n", r"importing '.*homework\.py' raised ImportError: boom "
                                                         r"\(line 2\)"),
    ("import sys\nsys.exit(3)\n", r"importing '.*homework\.py' raised SystemExit: 3 \(line 2\)"),
    ("import no_such_module_here\n", r"importing '.*homework\.py' raised ModuleNotFoundError"),
])
def test_a_homework_file_that_cannot_be_imported_is_named_with_its_line(tmp_path, capsys, source, says):
    import re

    status, err = manual_error(tmp_path, capsys, source)
    assert status == 2 and "Traceback" not in err
    assert re.search(r"error: --manual: " + says, err.strip().splitlines()[-1]), err


def test_a_homework_may_import_the_helpers_next_to_it_as_python_would(tmp_path, capsys):
    (tmp_path / "helpers.py").write_text("from nn.backprop import gradients\n")
    (tmp_path / "homework.py").write_text(
        "from dataclasses import dataclass\nfrom helpers import gradients\n\n"
        "@dataclass\nclass Step:\n    eta: float = 0.1\n\n"
        "def grads(weights, X, Y):\n    return gradients(weights, X, Y)\n")
    assert main(["--sizes", "2,3,2", "--samples", "3", "--methods", "manual,tensor",
                 "--manual", f"{tmp_path / 'homework.py'}:grads"]) == 0
    assert "OK: tensor agrees with manual." in capsys.readouterr().out


@pytest.mark.parametrize("spec, says", [
    ("/no/such/dir:grads", r"--manual: '/no/such/dir' is neither a FILE\.py nor an importable module"),
    ("homework.txt:grads", r"--manual: no module 'homework\.txt'; write FILE\.py:FUNCTION for a Python file"),
    ("no_such_module_here:grads", r"--manual: no module 'no_such_module_here'"),
    ("missing.py:grads", r"--manual: no Python file 'missing\.py' \(looked for '.*missing\.py'; a relative path "
                         r"starts from the current directory"),
])
def test_a_manual_spec_naming_nothing_loadable_is_a_usage_error(spec, says, capsys):
    import re

    err = usage_error(["--manual", spec], capsys)
    assert re.search(says, err), err


def test_a_manual_function_of_the_wrong_signature_is_named_with_its_signature(tmp_path, capsys):
    status, err = manual_error(tmp_path, capsys, "def grads(weights):\n    return 0.0, []\n")
    assert status == 2 and "Traceback" not in err
    assert "homework.py:grads': manual grads(weights) cannot be called as grads(weights, X, Y)" in err


def test_an_exception_in_the_manual_function_shows_its_lines_and_names_file_and_function(tmp_path, capsys):
    status, err = manual_error(tmp_path, capsys, "def grads(weights, X, Y):\n    raise RuntimeError('oops')\n")
    assert status == 2
    assert 'homework.py", line 2, in grads' in err                  # the student's frame, to debug from
    assert "nn/compare.py" not in err                               # and none of ours
    last = err.strip().splitlines()[-1]
    assert last.startswith("python -m nn.compare: error: --manual: grads in '") and "homework.py'" in last
    assert last.endswith("raised RuntimeError: oops")


@pytest.mark.parametrize("argv, says", [
    (["--sizes", "²,2"], r"argument --sizes: '²' is not a whole number >= 1"),
    (["--sizes", "99999999999999999999,2", "--force", "--methods", "manual,tensor"],
     r"--force: net 99999999999999999999-2 could not be allocated \(.*\); use smaller --sizes or fewer --samples"),
])
def test_sizes_beyond_what_can_be_read_or_allocated_are_usage_errors(argv, says, capsys):
    import re

    err = usage_error(argv, capsys)
    assert re.search(says, err), err


def test_a_homework_path_with_spaces_and_colons_splits_at_the_last_colon(tmp_path, capsys):
    folder = tmp_path / "week 3: backprop"
    folder.mkdir()
    (folder / "my homework.py").write_text("from nn.backprop import gradients as grads\n")
    assert main(["--sizes", "2,3,2", "--samples", "3", "--methods", "manual,tensor",
                 "--manual", f"{folder / 'my homework.py'}:grads"]) == 0


@pytest.mark.parametrize("source, says", [
    ("def grads(weights):\n    return 0.0, []\n",
     r"manual grads\(weights\) cannot be called as grads\(weights, X, Y\)"),
    ("def grads(weights, X, Y):\n    return {}\n", r"manual must return \(cost, \[\(dW, db\), \.\.\.\]\)"),
])
def test_a_wrong_signature_or_result_names_the_homework_file_and_function(tmp_path, capsys, source, says):
    import re

    status, err = manual_error(tmp_path, capsys, source)
    last = err.strip().splitlines()[-1]
    assert status == 2 and "Traceback" not in err
    assert re.search(r"error: --manual '.*homework\.py:grads': " + says, last), last
