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
