"""The check of a refusal that suggests Tensor ops instead of a numpy function: the message holds the suggestion,
and the suggested ops give numpy's numbers and a gradient that central differences confirm."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from draws import normal

from autograd import Tensor, gradcheck


def check_suggestion(numpy_call: Callable, words: str, instead: Callable, X: np.ndarray, rtol: float) -> None:
    t = Tensor(X, requires_grad=True)
    with pytest.raises(TypeError) as refused:
        numpy_call(t)
    assert "not a Tensor op" in str(refused.value) and words in str(refused.value)
    np.testing.assert_allclose(instead(t).data, numpy_call(X), rtol=rtol, atol=1e-15)
    w = normal(np.shape(numpy_call(X)))
    assert gradcheck(lambda a: (instead(a) * w).sum(), [t])
