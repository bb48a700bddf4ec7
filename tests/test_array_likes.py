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
import nn.perceptrons
from autograd import Tensor, Value

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


# --- masked arrays: refused by name where a mask is set, never read as the numbers under the mask ----------------

def _masked(a):
    a = np.asarray(a)
    mask = np.zeros(a.shape, dtype=bool)
    mask.flat[0] = True
    return np.ma.masked_array(a, mask=mask)


def test_a_masked_constant_is_refused_not_read_as_the_numbers_under_the_mask():
    t = Tensor([[1.0, 2.0], [3.0, 4.0]])
    m = np.ma.masked_array([[1.0, 2.0], [3.0, 4.0]], mask=[[0, 1], [0, 0]])
    # numpy's own m * t honours the mask (its entry stays masked), while t * m used 2.0 * 2.0 = 4.0: the same
    # product, two answers. The Tensor side now refuses.
    assert np.ma.is_masked(m * t)
    with pytest.raises(TypeError, match=r"\*: the constant is a masked array with 1 masked entry.*m.filled"):
        t * m


def _model():
    return nn.MLP([2, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=0)


def _fit(X, Y):
    model = _model()
    return nn.fit(model, X, Y, "mse", nn.SGD(model.parameters(), 0.1), 1, progress=False)


X2 = [[0.1, 0.2], [0.3, -0.4], [1.0, 0.5]]
Y2 = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
_ENTRY_POINTS = {
    "Tensor": lambda M: Tensor(M(X2)),
    "Tensor +": lambda M: Tensor(X2) + M(X2),
    "@": lambda M: Tensor(X2).T @ M(X2),
    "where condition": lambda M: autograd.where(M([1.0, 0.0]), Tensor([1.0, 2.0]), 0.0),
    "where value": lambda M: autograd.where([True, False], Tensor([1.0, 2.0]), M([5.0, 6.0])),
    "maximum": lambda M: autograd.maximum(Tensor([1.0, 2.0]), M([5.0, 6.0])),
    "concatenate": lambda M: autograd.concatenate([Tensor(X2), M(X2)]),
    "backward grad": lambda M: (Tensor(X2, requires_grad=True) * 2.0).backward(M(X2)),
    "linear": lambda M: autograd.linear(M(X2), Tensor(np.ones((2, 2)), requires_grad=True)),
    "softmax_cross_entropy": lambda M: autograd.softmax_cross_entropy(Tensor(Y2), M([0, 1, 1])),
    "MLP": lambda M: _model()(M(X2)),
    "Linear": lambda M: nn.Linear(2, 2, seed=0)(M(X2)),
    "fit X": lambda M: _fit(M(X2), Y2),
    "fit Y": lambda M: _fit(X2, M(Y2)),
    "predict": lambda M: nn.predict(_model(), M(X2)),
    "predict_proba": lambda M: nn.predict_proba(_model(), M(X2)),
    "set_weights": lambda M: _model().set_weights([(M(W), b) for W, b in _model().get_weights()]),
    "load_state_dict": lambda M: _model().load_state_dict({k: M(v) for k, v in _model().state_dict().items()}),
    "mse prediction": lambda M: nn.losses.mse(M(Y2), Y2),
    "mse target": lambda M: nn.losses.mse(Tensor(Y2), M(Y2)),
    "cross_entropy labels": lambda M: nn.losses.cross_entropy(Tensor(Y2), M([0, 1, 1])),
    "binary_cross_entropy target": lambda M: nn.losses.binary_cross_entropy([[0.5, 0.5]] * 3, M(Y2)),
    "hinge target": lambda M: nn.losses.hinge([1.0, 2.0], M([1.0, -1.0])),
    "backprop.gradients": lambda M: nn.backprop.gradients(_model().get_weights(), M(X2), np.asarray(Y2)),
    "backprop.sgd": lambda M: nn.backprop.sgd(_model().get_weights(), M(X2), Y2, iterations=1, rng=0),
    "compare_gradients": lambda M: nn.compare_gradients(_model().get_weights(), M(X2), Y2),
    "sign_perceptron": lambda M: nn.perceptrons.sign_perceptron(M(X2), [1, -1, 1]),
    "RBF": lambda M: nn.RBF(2, 3, seed=0)(M(X2)),
    "one_hot": lambda M: nn.data.one_hot(M([0, 1, 2])),
    "train_test_split": lambda M: nn.data.train_test_split(M(X2), [0, 1, 0]),
}


@pytest.mark.parametrize("name", list(_ENTRY_POINTS))
def test_masked_arrays_are_refused_by_name_at_every_entry_point(name):
    with pytest.raises(TypeError, match=r"masked array with 1 masked entr.*m.filled"):
        _ENTRY_POINTS[name](_masked)


@pytest.mark.parametrize("name", list(_ENTRY_POINTS))
def test_a_masked_array_with_nothing_masked_is_its_numbers(name):
    _ENTRY_POINTS[name](lambda a: np.ma.masked_array(np.asarray(a)))
