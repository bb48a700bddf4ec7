"""The Tensor engine's reductions and the softmax family against the same functions written with Values, one float
per node: their Hessians (two different second-order paths, vjp_graph's Tensor ops and the rules' Value nodes)
must agree to 1e-12, at ordinary scales and far from them."""

import numpy as np
import pytest

from autograd import Value
from autograd.functional import hessian
from autograd.tensor import Tensor

W = np.array([0.3, -1.2, 0.7, 2.0])


def _vsum(xs):
    return sum(xs, Value(0.0))


def _vlogsumexp(xs):
    return _vsum([x.exp() for x in xs]).log()


def _vprod(xs):
    p = xs[0]
    for x in xs[1:]:
        p = p * x
    return p


def _vvar(xs, ddof=0):
    m = _vsum(xs) / len(xs)
    return _vsum([(x - m) * (x - m) for x in xs]) / (len(xs) - ddof)


def _vsoftmax(xs):
    e = [x.exp() for x in xs]
    s = _vsum(e)
    return [ei / s for ei in e]


# name: (the function with Values, the same with one Tensor of 4 entries)
PAIRS = {
    "logsumexp": (_vlogsumexp, lambda t: t.logsumexp(axis=0)),
    "logsumexp squared": (lambda xs: _vlogsumexp(xs) ** 2, lambda t: t.logsumexp() ** 2),
    "prod": (_vprod, lambda t: t.prod()),
    "prod squared": (lambda xs: _vprod(xs) * _vprod(xs), lambda t: t.prod() ** 2),
    "var": (_vvar, lambda t: t.var()),
    "var ddof=1 squared": (lambda xs: _vvar(xs, 1) ** 2, lambda t: t.var(ddof=1) ** 2),
    "softmax weighted": (lambda xs: _vsum([p * float(w) for p, w in zip(_vsoftmax(xs), W)]),
                         lambda t: (t.softmax() * W).sum()),
    "log_softmax weighted": (lambda xs: _vsum([(x - _vlogsumexp(xs)) * float(w) for x, w in zip(xs, W)]),
                             lambda t: (t.log_softmax() * W).sum()),
    "cumsum cubed": (lambda xs: _vsum([_vsum(xs[:k + 1]) ** 3 * float(W[k]) for k in range(4)]),
                     lambda t: (t.cumsum() ** 3 * W).sum()),
    "mean times tanh": (lambda xs: _vsum(xs) / 4 * xs[0].tanh(), lambda t: t.mean() * t[0].tanh()),
    "max cubed": (lambda xs: max(xs, key=lambda v: v.data) ** 3, lambda t: t.max() ** 3),
    "min times sum": (lambda xs: min(xs, key=lambda v: v.data) * _vsum(xs), lambda t: t.min() * t.sum()),
}


@pytest.mark.parametrize("scale", [1.0, 20.0, 1e-3])
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_tensor_hessians_of_reductions_equal_the_value_engines_to_1e_12(name, scale):
    on_values, on_tensors = PAIRS[name]
    x0 = np.random.default_rng(sorted(PAIRS).index(name)).standard_normal(4) * scale
    by_values = np.array(hessian(on_values, [Value(float(v)) for v in x0]), dtype=float)
    by_tensors = hessian(on_tensors, Tensor(x0)).data
    assert by_tensors.shape == (4, 4)
    assert np.allclose(by_tensors, by_values, rtol=1e-12, atol=1e-12 * (1 + np.abs(by_values).max()))
