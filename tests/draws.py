"""Random points for tests that draw them while they run. One generator, reseeded before every test (the autouse
fixture in tests/conftest.py), so that a test's points do not depend on which tests ran before it on its worker."""

from __future__ import annotations

import numpy as np

from autograd import Tensor

SEED = 7
_rng = np.random.default_rng(SEED)


def reseed() -> None:
    global _rng
    _rng = np.random.default_rng(SEED)


def normal(shape: tuple) -> np.ndarray:
    """Standard normal numbers of ``shape``, from the test's own generator."""
    return _rng.standard_normal(shape)


def leaf(shape: tuple) -> Tensor:
    """A float64 leaf that requires grad, filled with ``normal(shape)``."""
    return Tensor(normal(shape), requires_grad=True)
