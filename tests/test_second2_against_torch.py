"""Hessian-vector products of drawn Tensor programs against PyTorch's double backward (the third oracle, beside
central differences and the Value engine): a chain of one to three ops drawn from every kind the Tensor engine
differentiates twice (elementwise functions, powers, quotients, reductions along axes, the softmax family, moves,
repeated indices, matmul, the fused ops, where, clip, maximum), ended by a loss of ``nn.losses`` or a weighted sum.
Then the third derivative d/dx <H v, u> the same way; where one engine keeps no graph of H v (a quadratic program
has a constant H v, which PyTorch may still record through v), the other's must be 0."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Tensor, grad
from autograd.functional import hvp
from autograd.testing import tensors
from nn import losses

torch = pytest.importorskip("torch")
F = torch.nn.functional
_T = torch.float64

M = np.random.default_rng(5).standard_normal((4, 4))
ROWS = np.array([0, 2, 2, 1])                                          # row 2 picked twice
LABELS = np.array([0, 3, 1, 1])


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    """PyTorch's thread pool costs more than it gains on 4 x 4 arrays, and the machine's two cores are shared."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _t(a):
    return torch.tensor(np.asarray(a), dtype=_T)


# name: (the op on a deltagrad Tensor of shape (4, 4), the same op on a torch tensor); each keeps the shape (4, 4)
OPS = {
    "tanh": (lambda t: t.tanh(), lambda t: t.tanh()),
    "sigmoid": (lambda t: t.sigmoid(), lambda t: t.sigmoid()),
    # torch.nn.functional.softplus is x itself beyond x = 20 (its threshold), so its derivatives are cut there;
    # logaddexp(0, x) is the function itself at every x
    "softplus": (lambda t: t.softplus(), lambda t: torch.logaddexp(torch.zeros_like(t), t)),
    "sin": (lambda t: t.sin(), lambda t: t.sin()),
    "cos squared": (lambda t: t.cos() * t.cos(), lambda t: t.cos() * t.cos()),
    "exp": (lambda t: (t * 0.3).exp(), lambda t: (t * 0.3).exp()),
    "log": (lambda t: (t * t + 0.5).log(), lambda t: (t * t + 0.5).log()),
    "sqrt": (lambda t: (t * t + 0.5).sqrt(), lambda t: (t * t + 0.5).sqrt()),
    "abs": (lambda t: abs(t) * t, lambda t: t.abs() * t),
    "relu": (lambda t: t.relu() * t, lambda t: t.relu() * t),
    "x ** 3": (lambda t: t ** 3, lambda t: t ** 3),
    "x ** -1.5": (lambda t: (t * t + 1.0) ** -1.5, lambda t: (t * t + 1.0) ** -1.5),
    "x ** array": (lambda t: (t * t + 0.5) ** np.array([0.0, 1.0, 2.5, -1.0]),
                   lambda t: (t * t + 0.5) ** _t([0.0, 1.0, 2.5, -1.0])),
    "a ** b": (lambda t: (t * t + 0.5) ** (t * 0.5), lambda t: (t * t + 0.5) ** (t * 0.5)),
    "c ** x": (lambda t: 2.0 ** t, lambda t: 2.0 ** t),
    "a / b": (lambda t: t / (t * t + 1.0), lambda t: t / (t * t + 1.0)),
    "c / x": (lambda t: 1.0 / (t * t + 1.0), lambda t: 1.0 / (t * t + 1.0)),
    "c - x": (lambda t: np.arange(4.0) - t * t, lambda t: _t(np.arange(4.0)) - t * t),
    "a - b (broadcast)": (lambda t: t - t[:, 2:3] * t[0], lambda t: t - t[:, 2:3] * t[0]),
    "matmul": (lambda t: t @ M, lambda t: t @ _t(M)),
    "x x^T": (lambda t: (t @ t.T)[:, :1] * t, lambda t: (t @ t.T)[:, :1] * t),
    "softmax": (lambda t: t.softmax(axis=-1) * t, lambda t: t.softmax(dim=-1) * t),
    "softmax(axis=0)": (lambda t: t.softmax(axis=0) * t, lambda t: t.softmax(dim=0) * t),
    "log_softmax": (lambda t: t.log_softmax(axis=-1), lambda t: t.log_softmax(dim=-1)),
    "logsumexp": (lambda t: t.logsumexp(axis=1, keepdims=True) * t, lambda t: t.logsumexp(dim=1, keepdim=True) * t),
    "logsumexp(None)": (lambda t: t.logsumexp(axis=None) * t, lambda t: t.logsumexp(dim=(0, 1)) * t),
    "max": (lambda t: t.max(axis=1, keepdims=True) * t, lambda t: t.amax(dim=1, keepdim=True) * t),
    "min": (lambda t: t.min(axis=0, keepdims=True) + t * t, lambda t: t.amin(dim=0, keepdim=True) + t * t),
    "max(None)": (lambda t: t.max() * t, lambda t: t.max() * t),
    "mean": (lambda t: t.mean(axis=0, keepdims=True) * t, lambda t: t.mean(dim=0, keepdim=True) * t),
    "var": (lambda t: t.var(axis=1, keepdims=True) * t, lambda t: t.var(dim=1, keepdim=True, correction=0) * t),
    "var(ddof=1)": (lambda t: t.var(axis=0, ddof=1) * t, lambda t: t.var(dim=0, correction=1) * t),
    "prod": (lambda t: t.prod(axis=0, keepdims=True) * t, lambda t: t.prod(dim=0, keepdim=True) * t),
    "cumsum": (lambda t: t.cumsum(axis=1) * t, lambda t: t.cumsum(dim=1) * t),
    "repeated rows and columns": (lambda t: t[ROWS][:, [1, 1, 0, 3]] * t,
                                  lambda t: t[torch.as_tensor(ROWS)][:, [1, 1, 0, 3]] * t),
    "flip and transpose": (lambda t: t[::-1].T * t, lambda t: t.flip(0).T * t),
    "clip": (lambda t: t.clip(-0.5, 0.8) * t, lambda t: t.clamp(-0.5, 0.8) * t),
    "where": (lambda t: autograd.where(t.data > 0, t * t, t.sin()), lambda t: torch.where(t > 0, t * t, t.sin())),
    "maximum": (lambda t: autograd.maximum(t, t[::-1] * 0.7), lambda t: torch.maximum(t, t.flip(0) * 0.7)),
    "concatenate": (lambda t: autograd.concatenate([t[:2], t[1:] * t[1:]], axis=0)[:4],
                    lambda t: torch.cat([t[:2], t[1:] * t[1:]], 0)[:4]),
    "stack": (lambda t: autograd.stack([t[0], t[1] * t[2], t[3], t[0]]), lambda t: torch.stack([t[0], t[1] * t[2],
                                                                                               t[3], t[0]])),
    "outer": (lambda t: autograd.outer(t[0], t[1]) * t, lambda t: torch.outer(t[0], t[1]) * t),
    "repeat": (lambda t: t.repeat(2, axis=0)[1:5] * t, lambda t: t.repeat_interleave(2, dim=0)[1:5] * t),
    "trace and diag": (lambda t: autograd.diag(autograd.diag(t)) * t.trace() + t,
                       lambda t: torch.diag(torch.diag(t)) * t.trace() + t),
    "linear+tanh": (lambda t: autograd.linear(t, Tensor(M), Tensor(M[0]), activation="tanh"),
                    lambda t: torch.tanh(t @ _t(M).T + _t(M[0]))),
    "linear+softplus of itself": (lambda t: autograd.linear(t * 0.5, t, t[0], activation="softplus"),
                                  lambda t: torch.logaddexp(torch.zeros(4, 4, dtype=_T), (t * 0.5) @ t.T + t[0])),
    "linear+sigmoid": (lambda t: autograd.linear(t, t * 0.5, activation="sigmoid"),
                       lambda t: torch.sigmoid(t @ (t * 0.5).T)),
    "softmax_cross_entropy": (lambda t: autograd.softmax_cross_entropy(t, LABELS) * t,
                              lambda t: F.cross_entropy(t, torch.as_tensor(LABELS)) * t),
}

TARGET = np.random.default_rng(6).uniform(0.0, 1.0, (4, 4))

# name: (the scalar at the end, deltagrad's, PyTorch's); W is a drawn array of weights
ENDS = {
    "weighted sum": (lambda y, W: (y * W).sum() + (y * y).sum() * 0.1,
                     lambda y, W: (y * _t(W)).sum() + (y * y).sum() * 0.1),
    "mse": (lambda y, W: losses.mse(y, W), lambda y, W: F.mse_loss(y, _t(W))),
    "quadratic": (lambda y, W: losses.quadratic(y, W), lambda y, W: ((y - _t(W)) ** 2).sum() / 8),
    "cross_entropy": (lambda y, W: losses.cross_entropy(y, LABELS),
                      lambda y, W: F.cross_entropy(y, torch.as_tensor(LABELS))),
    "cross_entropy (soft targets)": (lambda y, W: losses.cross_entropy(y, TARGET / TARGET.sum(1, keepdims=True)),
                                     lambda y, W: F.cross_entropy(y, _t(TARGET / TARGET.sum(1, keepdims=True)))),
    "binary_cross_entropy (logits)": (lambda y, W: losses.binary_cross_entropy(y, TARGET, logits=True),
                                      lambda y, W: F.binary_cross_entropy_with_logits(y, _t(TARGET))),
    "binary_cross_entropy of a sigmoid": (lambda y, W: losses.binary_cross_entropy(y.sigmoid(), TARGET),
                                          lambda y, W: F.binary_cross_entropy_with_logits(y, _t(TARGET))),
}

SQUARE = dict(shape=(4, 4), min_value=-1.5, max_value=1.5)
programs = st.tuples(st.lists(st.sampled_from(sorted(OPS)), min_size=1, max_size=3), st.sampled_from(sorted(ENDS)))


def _functions(chain, end, W):
    ours, theirs = ENDS[end]

    def f(t):
        for name in chain:
            t = OPS[name][0](t)
        return ours(t, W)

    def f_torch(t):
        for name in chain:
            t = OPS[name][1](t)
        return theirs(t, W)

    return f, f_torch


def _close(ours, theirs, rtol):
    return np.allclose(ours, theirs, rtol=rtol, atol=rtol * (1.0 + np.abs(theirs).max()))


# away_from_zero and unique keep relu, abs, max, min and maximum off their kinks and ties at the inputs
@given(programs, tensors(**SQUARE, away_from_zero=0.05, unique=True), tensors(**SQUARE), tensors(**SQUARE))
def test_hessian_vector_products_of_drawn_programs_equal_pytorchs(program, x, v, W):
    f, f_torch = _functions(*program, W.data)
    _, Hv = hvp(f, Tensor(x.data), Tensor(v.data))
    _, expected = torch.autograd.functional.hvp(f_torch, _t(x.data), _t(v.data))
    assert Hv.data.shape == (4, 4) and not np.isnan(Hv.data).any()
    assert _close(Hv.data, expected.numpy(), 1e-9), (program, Hv.data, expected.numpy())


@given(programs, tensors(**SQUARE, away_from_zero=0.05, unique=True), tensors(**SQUARE), tensors(**SQUARE),
       tensors(**SQUARE))
def test_third_derivatives_of_drawn_programs_equal_pytorchs_and_are_zero_where_one_keeps_no_graph(program, x, v, u, W):
    f, f_torch = _functions(*program, W.data)
    leaf, leaf_torch = Tensor(x.data, requires_grad=True), _t(x.data).requires_grad_(True)
    _, Hv = hvp(f, leaf, Tensor(v.data), create_graph=True)
    _, Hv_torch = torch.autograd.functional.hvp(f_torch, leaf_torch, _t(v.data), create_graph=True)
    if Hv.requires_grad:
        (third,) = grad((Hv * u.data).sum(), [leaf], allow_unused=True)
        third = np.zeros((4, 4)) if third is None else third.data
    else:                        # H v a constant here (a quadratic: x @ M then the quadratic cost): no slope at all
        third = np.zeros((4, 4))
    if Hv_torch.requires_grad:   # PyTorch may keep a graph of H v that does not depend on x (through v)
        (expected,) = torch.autograd.grad((Hv_torch * _t(u.data)).sum(), [leaf_torch], allow_unused=True)
        expected = np.zeros((4, 4)) if expected is None else expected.numpy()
    else:
        expected = np.zeros((4, 4))
    assert _close(third, expected, 1e-8), (program, third, expected)
