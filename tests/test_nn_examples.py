"""The nn examples run and write their figures (quick versions), and the digits example keeps its promise of 97%."""

import importlib.util
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load(name, out):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = out                                       # write into the test's folder, not examples/out
    return module


def test_moons_example_runs_and_draws_its_boundary(tmp_path, capsys):
    _load("moons", tmp_path).main(["--quick"])
    assert (tmp_path / "moons_boundary.png").stat().st_size > 0 and (tmp_path / "moons_loss.png").exists()
    assert "337 parameters" in capsys.readouterr().out


def test_digits_example_reaches_97_percent_on_the_test_split(tmp_path):
    accuracy = _load("digits", tmp_path).main([])
    assert accuracy >= 0.97
    quoted = f"{accuracy:.1%} test accuracy"               # docs/nn.md quotes the run's accuracy (98.2%)
    assert quoted in (EXAMPLES.parent / "docs" / "nn.md").read_text(), f"docs/nn.md should say {quoted}"
    assert (tmp_path / "digits_loss.png").exists() and (tmp_path / "digits_misclassified.png").exists()


def test_digits_example_without_scikit_learn_exits_with_the_fix(tmp_path, monkeypatch):
    import sys

    import pytest

    module = _load("digits", tmp_path)
    import sklearn.datasets  # noqa: F401  (loaded, so that hiding it below is the whole package)

    for name in [n for n in sys.modules if n == "sklearn" or n.startswith("sklearn.")]:
        monkeypatch.setitem(sys.modules, name, None)       # as if scikit-learn were not installed
    with pytest.raises(SystemExit, match="pip install scikit-learn") as caught:
        module.main([])
    assert str(caught.value.code).startswith("digits() needs scikit-learn") and not list(tmp_path.iterdir())
