"""deltagrad computes with numpy 2's rules (a Python number keeps a float32 array float32); on numpy 1 a float32
Tensor's gradients came back float64. Importing it under numpy 1 is refused with the fix, not run otherwise."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_under_numpy_1_is_refused_with_the_fix():
    code = "import numpy; numpy.__version__ = '1.26.4'; import autograd"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "ImportError: deltagrad needs numpy 2.0 or later; this Python has numpy 1.26.4" in done.stderr
    assert "pip install --upgrade 'numpy>=2'" in done.stderr


def test_the_package_asks_for_the_numpy_it_needs():
    assert 'dependencies = ["numpy>=2.0", ' in (ROOT / "pyproject.toml").read_text()   # (tomllib: Python 3.11)
