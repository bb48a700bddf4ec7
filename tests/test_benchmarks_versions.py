"""benchmarks/versions.py, the before/after tool: its workers load the checkouts they are given, and the two
versions' losses agree. No timing is asserted (speed is measured in benchmarks/, never in tests)."""

import importlib.util
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_versions():
    spec = importlib.util.spec_from_file_location("benchmarks_versions", ROOT / "benchmarks" / "versions.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_workers_load_their_own_checkout_and_agree(tmp_path, capsys):
    copy = tmp_path / "copy"
    for package in ("autograd", "nn"):
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    versions = load_versions()
    report = versions.run(["--before", str(copy), "--after", str(ROOT), "--quick", "--rounds", "1",
                           "--workloads", "chain,hh19-tensor,sgd,mlp-nn"])
    info, results = report["info"], report["results"]
    assert Path(info["before"]["autograd"]).resolve().parent == (copy / "autograd").resolve()
    assert Path(info["before"]["nn"]).resolve().parent == (copy / "nn").resolve()
    assert Path(info["after"]["autograd"]).resolve().parent == ROOT / "autograd"
    assert info["before"]["pid"] != info["after"]["pid"]
    assert set(results) == {"chain", "hh19-tensor", "hh19-numpy", "sgd", "mlp-nn", "mlp-numpy"}   # references added
    for r in results.values():
        assert len(r.losses["before"]) == len(r.losses["after"]) == 1
        assert r.worst_loss_gap <= 1e-12
    assert abs(results["chain"].losses["after"][0] - 1.000001 ** 20_000) < 1e-9   # dy/dx of the quick chain
    # the user's step does the arithmetic of the step by hand: the same loss after the same steps, to rounding
    assert abs(results["mlp-nn"].losses["after"][0] - results["mlp-numpy"].losses["after"][0]) < 1e-12
    assert "| chain |" in capsys.readouterr().out
