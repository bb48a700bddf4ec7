"""Array-likes that are not plain numpy arrays, at the public entry points: each gives the numbers of the same data
as a plain float64 ndarray, or a clear error; never other numbers.

np.matrix (``*`` is a matrix product, reductions stay 2-D), masked arrays (a mask that one path honours and another
ignores), float32 numbers (numpy scalars, torch tensors) where the engine computes in float64.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import Value

# np.matrix is what a user may still pass; numpy's warning that it is not recommended is not the test's subject
pytestmark = pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")


# --- nn.compare_gradients: the manual function gets the same arrays as every other method ------------------------

def _manual(weights, X, Y):
    """A correct hand-coded gradient of the quadratic cost for one sigmoid layer, written with elementwise ``*``."""
    (W, b), = weights
    a = 1 / (1 + np.exp(-(X @ W.T + b)))
    d = (a - Y) * a * (1 - a)
    return 0.5 * np.mean(np.sum((a - Y) ** 2, axis=1)), [(d.T @ X / len(X), np.mean(d, axis=0))]


def test_compare_gradients_gives_manual_plain_arrays_not_the_callers_matrix():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(2, 3)), rng.uniform(size=(2, 2))     # 2 samples, 2 outputs: square, so no shape error
    weights = [(rng.normal(size=(2, 3)), rng.normal(size=2))]
    assert nn.compare_gradients(weights, X, Y, manual=_manual).ok
    # With np.matrix X and Y, (a - Y) * a was a matrix product inside the manual function: a correct function
    # was reported wrong (and its cost differed from the others').
    report = nn.compare_gradients(weights, np.matrix(X), np.matrix(Y), manual=_manual)
    assert report.ok
    assert report.costs["manual"] == pytest.approx(report.costs["tensor"], rel=1e-12)
    seen = {}

    def spy(weights, X, Y):
        seen["X"], seen["Y"] = X, Y
        return _manual(weights, X, Y)

    nn.compare_gradients(weights, X.tolist(), Y.tolist(), manual=spy)
    assert type(seen["X"]) is np.ndarray and type(seen["Y"]) is np.ndarray
    assert seen["X"].dtype == np.float64


# --- autograd.compile: the compiled function computes in float64, as the eager engine does ---------------------

def _neuron(x):
    return (x[0] * x[1]).tanh()


@pytest.mark.parametrize("make", [
    lambda v: [np.float32(a) for a in v],                   # numpy float32 scalars: float32 arithmetic in the code
    lambda v: np.array(v, dtype=np.float32),
    lambda v: tuple(np.float32(a) for a in v),
], ids=["list of np.float32", "float32 array", "tuple of np.float32"])
def test_compile_call_computes_in_float64_like_the_eager_engine(make):
    c = autograd.compile(_neuron, [0.3, 0.7])
    given = make([0.3, 0.7])
    xs = [Value(float(a)) for a in given]                   # the eager engine: Value() takes float(a)
    out = _neuron(xs)
    out.backward()
    value, grad = c(given)
    assert type(value) is float and all(type(g) is float for g in grad)
    assert value == out.data and grad == [x.grad for x in xs]


def test_compile_call_takes_a_torch_tensor_as_floats():
    torch = pytest.importorskip("torch")
    c = autograd.compile(_neuron, [0.3, 0.7])
    value, grad = c(torch.tensor([0.3, 0.7]))               # float32: was computed in torch float32, grad tensors
    assert type(value) is float and all(type(g) is float for g in grad)
    assert (value, grad) == c(np.array([0.3, 0.7], dtype=np.float32).tolist())
