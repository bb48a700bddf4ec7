"""A numpy function that is not a Tensor op is refused on a Tensor that requires grad; its message names Tensor
ops that compute the same numbers. Each suggestion is checked here: numpy's value, and a gradient by central
differences."""

from __future__ import annotations

import numpy as np
import pytest
from suggestions import check_suggestion

from autograd import concatenate, stack

X = np.random.default_rng(3).standard_normal((2, 3)) + 0.5
W = np.array([1.0, 2.0, 0.5])


# the numpy call, the words the message must hold, and those words as code
CASES = {
    "reciprocal": (np.reciprocal, "1 / t", lambda t: 1 / t),
    "positive": (np.positive, "t itself", lambda t: t),
    "fabs": (np.fabs, "abs(t)", lambda t: abs(t)),
    "cosh": (np.cosh, "(t.exp() + (-t).exp()) / 2", lambda t: (t.exp() + (-t).exp()) / 2),
    "sinh": (np.sinh, "(t.exp() - (-t).exp()) / 2", lambda t: (t.exp() - (-t).exp()) / 2),
    "hstack": (lambda a: np.hstack([a, a]), "autograd.concatenate", lambda t: concatenate([t, t], axis=1)),
    "vstack": (lambda a: np.vstack([a, a]), "autograd.stack or concatenate", lambda t: concatenate([t, t])),
    "tile": (lambda a: np.tile(a, (3, 1)), "autograd.concatenate([t] * n)", lambda t: concatenate([t] * 3)),
    "take": (lambda a: np.take(a, [1, 1], axis=0), "t[indices]", lambda t: t[[1, 1]]),
    "atleast_2d": (lambda a: np.atleast_2d(a[0]), "t.reshape(1, -1)", lambda t: t[0].reshape(1, -1)),
    "average": (lambda a: np.average(a[0], weights=W), "(t * w).sum() / w.sum()",
                lambda t: (t[0] * W).sum() / W.sum()),
    "norm": (np.linalg.norm, "(t ** 2).sum() ** 0.5", lambda t: (t ** 2).sum() ** 0.5),
    "vstack-as-stack": (lambda a: np.vstack([a[0], a[1]]), "autograd.stack", lambda t: stack([t[0], t[1]])),
}


@pytest.mark.parametrize("name", CASES)
def test_the_refusal_names_tensor_ops_that_give_numpys_numbers_and_differentiate(name):
    check_suggestion(*CASES[name], X, rtol=1e-14)
