"""Two more from-scratch courses ported onto deltagrad, written as their students would write them on Tensors.

Dive into Deep Learning (d2l.ai, chapters 3-5, the "from scratch" sections): linear regression with a hand-written
minibatch SGD, softmax regression with its own softmax and cross-entropy, an MLP with its own relu, weight decay by
an L2 penalty, dropout by a mask, and the vanishing sigmoid gradient of "numerical stability and initialization".
fast.ai's part 2, "backprop from the foundations": lin, relu and mse with their hand-derived backward functions
(lin_grad, relu_grad, mse_grad), the same as classes that keep their inputs, then the same with autograd, and the
log-softmax, logsumexp and nll of its cross-entropy lesson.

Each hand-derived gradient is checked against deltagrad's automatic one (``backward``, ``autograd.grad``,
``gradcheck``, ``compare_gradients``) and against PyTorch's, with the same calls wherever deltagrad has the name.
Where the courses write a name deltagrad does not have (fast.ai's ``t.g``, ``(t > 0).float()``, d2l's
``torch.norm`` and ``torch.mm``, ``sum(1, keepdim=True)``), the test writes what a deltagrad user writes instead, as
docs/pytorch.md tells them. Rows of X are samples throughout, weights are (n_in, n_out) as both courses draw them.
"""

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor, Value, no_grad
from nn import SGD, Linear, Module, compare_gradients, losses

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - torch is in the dev extras
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")


def torch_of(a, grad: bool = True) -> "torch.Tensor":
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def tight(a, b, rtol: float = 1e-12) -> None:
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=1e-14)


# --- d2l 3.2: linear regression from scratch ----------------------------------------------------------------------

TRUE_W, TRUE_B = np.array([2.0, -3.4]), 4.2


def synthetic_data(w: np.ndarray, b: float, n: int, rng: np.random.Generator) -> tuple[Tensor, Tensor]:
    """y = X w + b + noise, X from N(0, 1): the book's data, drawn by numpy."""
    X = Tensor(rng.normal(0.0, 1.0, (n, len(w))))
    y = X @ w + b
    y += rng.normal(0.0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def linreg(X, w, b):
    return autograd.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr: float, batch_size: int) -> None:
    """The book's minibatch SGD: the summed loss's gradient divided by the batch, then zeroed in place."""
    with no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def batches(n: int, batch_size: int, rng: np.random.Generator):
    order = rng.permutation(n)
    for i in range(0, n, batch_size):
        yield order[i:i + batch_size]


def test_d2l_linear_regression_gradient_is_the_normal_equations_residual():
    X, y = synthetic_data(TRUE_W, TRUE_B, 10, np.random.default_rng(0))
    w = Tensor(np.random.default_rng(1).normal(0.0, 0.01, (2, 1)), requires_grad=True)
    b = Tensor(np.zeros(1), requires_grad=True)
    squared_loss(linreg(X, w, b), y).sum().backward()
    r = X.data @ w.data + b.data - y.data                      # d/dw sum (x w + b - y)^2 / 2 = X^T r
    tight(w.grad, X.data.T @ r)
    tight(b.grad, r.sum(axis=0))


@needs_torch
def test_d2l_linear_regression_trains_as_torch_step_for_step_and_finds_the_weights():
    X, y = synthetic_data(TRUE_W, TRUE_B, 40, np.random.default_rng(2))
    w0 = np.random.default_rng(3).normal(0.0, 0.01, (2, 1))
    w, b = Tensor(w0, requires_grad=True), Tensor(np.zeros(1), requires_grad=True)
    tw, tb = torch_of(w0), torch_of(np.zeros(1))
    tX, ty = torch_of(X.data, False), torch_of(y.data, False)
    rng = np.random.default_rng(4)
    for _ in range(10):
        for idx in batches(40, 10, rng):
            squared_loss(linreg(X[idx], w, b), y[idx]).sum().backward()
            sgd([w, b], 0.3, 10)
            tl = (tX[idx] @ tw + tb - ty[idx].reshape(-1, 1)) ** 2 / 2
            tl.sum().backward()
            with torch.no_grad():
                for p in (tw, tb):
                    p -= 0.3 * p.grad / 10
                    p.grad.zero_()
            tight(w.data, tw.detach().numpy(), 1e-13)
            tight(b.data, tb.detach().numpy(), 1e-13)
    assert np.abs(w.data.ravel() - TRUE_W).max() < 0.01 and abs(b.item() - TRUE_B) < 0.01   # noise is 0.01


# --- d2l 3.6 / 4.4: softmax regression from scratch ---------------------------------------------------------------


def softmax(X):
    X_exp = X.exp()
    partition = X_exp.sum(1, keepdims=True)        # the book's keepdim=True: numpy's keyword here
    return X_exp / partition


def cross_entropy(y_hat, y):
    return -y_hat[list(range(len(y_hat))), y].log()


def accuracy(y_hat, y) -> float:
    return float((y_hat.argmax(axis=1) == y).sum())


def test_d2l_softmax_and_cross_entropy_give_the_books_small_example():
    y_hat = Tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    y = np.array([0, 2])
    assert y_hat[[0, 1], y].tolist() == [0.1, 0.5]
    tight(cross_entropy(y_hat, y).data, [math.log(10), math.log(2)], 1e-15)
    assert accuracy(y_hat, y) / len(y) == 0.5
    X = Tensor(np.random.default_rng(5).normal(size=(2, 5)))
    tight(softmax(X).sum(1).data, [1.0, 1.0], 1e-15)
    with pytest.raises(TypeError, match=r"keepdim=True is PyTorch's spelling; .* write keepdims=True"):
        X.exp().sum(1, keepdim=True)


def softmax_regression_data(seed: int = 6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(6, 2, 2))                              # "images" of 2 x 2, flattened by net()
    return X, np.array([0, 1, 2, 2, 1, 0]), rng.normal(0.0, 0.1, (4, 3)), rng.normal(0.0, 0.1, 3)


@needs_torch
def test_d2l_softmax_regression_gradient_is_p_minus_y_by_hand_by_torch_and_by_the_fused_loss():
    X, y, W0, b0 = softmax_regression_data()
    W, b = Tensor(W0, requires_grad=True), Tensor(b0, requires_grad=True)

    def net(X):
        return softmax(autograd.matmul(X.reshape((-1, W.shape[0])), W) + b)

    loss = cross_entropy(net(Tensor(X)), y).mean()
    loss.backward()
    Xf = X.reshape(6, 4)
    Z = Xf @ W0 + b0
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    dZ = (P - np.eye(3)[y]) / 6                                 # d mean(-log p_y) / dz = (p - onehot) / N
    tight(W.grad, Xf.T @ dZ)
    tight(b.grad, dZ.sum(axis=0))
    tight(loss.item(), losses.cross_entropy(Tensor(Xf) @ W0 + b0, y).item())
    tW, tb = torch_of(W0), torch_of(b0)
    tloss = F.cross_entropy(torch_of(Xf, False) @ tW + tb, torch.tensor(y))
    tloss.backward()
    tight(loss.item(), tloss.item())
    tight(W.grad, tW.grad.numpy())
    assert autograd.gradcheck(lambda W: cross_entropy(softmax(Tensor(Xf) @ W + b0), y).mean(),
                              [Tensor(W0, requires_grad=True)])


# --- d2l 4.2 / 5.2: the MLP from scratch, its relu written by hand ------------------------------------------------


def relu(X):
    a = np.zeros_like(X)                                        # the book's torch.zeros_like: a constant here
    return autograd.maximum(X, a)                               # torch.max(X, a), two operands: elementwise


def mlp_data(seed: int = 7):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(5, 4))
    return X, np.array([0, 2, 1, 2, 0]), [rng.normal(0.0, 0.5, s) for s in ((4, 6), (6,), (6, 3), (3,))]


def mlp_by_hand(X, y, W1, b1, W2, b2):
    """The two-layer net's backward pass, one line per chain-rule step, numpy only."""
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    Z2 = H @ W2 + b2
    P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    dZ2 = (P - np.eye(W2.shape[1])[y]) / len(X)
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)                               # relu' = 1 where z > 0
    return [X.T @ dZ1, dZ1.sum(axis=0), H.T @ dZ2, dZ2.sum(axis=0)]


@needs_torch
def test_d2l_mlp_from_scratch_gradients_by_hand_engine_and_torch():
    X, y, params0 = mlp_data()
    params = [Tensor(p, requires_grad=True) for p in params0]
    W1, b1, W2, b2 = params
    H = relu(Tensor(X) @ W1 + b1)
    loss = losses.cross_entropy(H @ W2 + b2, y)
    loss.backward()
    hand = mlp_by_hand(X, y, *params0)
    assert (np.abs(X @ params0[0] + params0[1]) > 1e-5).all()    # no unit sits on relu's kink
    tparams = [torch_of(p) for p in params0]
    tW1, tb1, tW2, tb2 = tparams
    tH = torch.max(torch_of(X, False) @ tW1 + tb1, torch.zeros(5, 6, dtype=torch.float64))
    F.cross_entropy(tH @ tW2 + tb2, torch.tensor(y)).backward()
    for p, h, tp in zip(params, hand, tparams):
        tight(p.grad, h)
        tight(p.grad, tp.grad.numpy())


class MLPScratch(Module):
    """d2l 5.2's class: nn.Parameter(torch.randn(n_in, n_h) * sigma) is a scaled Tensor made a leaf by
    requires_grad_(); Module.parameters() skipped it (it kept the name of the op '*' that made it)."""

    def __init__(self, num_inputs, num_outputs, num_hiddens, sigma, rng):
        super().__init__()
        self.num_inputs = num_inputs
        self.W1 = (Tensor(rng.standard_normal((num_inputs, num_hiddens))) * sigma).requires_grad_()
        self.b1 = Tensor(np.zeros(num_hiddens)).requires_grad_()
        self.W2 = (Tensor(rng.standard_normal((num_hiddens, num_outputs))) * sigma).requires_grad_()
        self.b2 = Tensor(np.zeros(num_outputs)).requires_grad_()

    def forward(self, X):
        X = X.reshape((-1, self.num_inputs))
        H = relu(autograd.matmul(X, self.W1) + self.b1)
        return autograd.matmul(H, self.W2) + self.b2


@needs_torch
def test_d2l_mlp_class_parameters_made_by_scaling_are_found_and_trained_as_torchs():
    model = MLPScratch(4, 3, 6, 0.5, np.random.default_rng(15))
    assert [name for name, _ in model.named_parameters()] == ["W1", "b1", "W2", "b2"]
    X, y, _ = mlp_data()
    start = [p.data.copy() for p in model.parameters()]
    opt = SGD(model.parameters(), lr=0.1)
    losses.cross_entropy(model(X), y).backward()
    opt.step()
    tparams = [torch_of(p) for p in start]
    tW1, tb1, tW2, tb2 = tparams
    F.cross_entropy(torch.relu(torch_of(X, False) @ tW1 + tb1) @ tW2 + tb2, torch.tensor(y)).backward()
    assert (np.abs(X @ start[0] + start[1]) > 1e-5).all()               # no unit sits on relu's kink
    for p, p0, tp in zip(model.parameters(), start, tparams):
        tight(p.data, p0 - 0.1 * tp.grad.numpy())
        assert not np.array_equal(p.data, p0)                            # every parameter moved


# --- d2l 3.7 / 5.5: weight decay from scratch ---------------------------------------------------------------------


def l2_penalty(w):
    return (w.pow(2)).sum() / 2


@needs_torch
def test_d2l_weight_decay_penalty_broadcast_over_the_batch_by_hand_and_torch():
    rng = np.random.default_rng(8)
    X, y = Tensor(rng.normal(size=(6, 3))), Tensor(rng.normal(size=(6, 1)))
    w0, lambd = rng.normal(size=(3, 1)), 3.0
    w, b = Tensor(w0, requires_grad=True), Tensor(np.zeros(1), requires_grad=True)
    # the book adds the penalty to each sample's loss, then sums: the penalty counts N times
    (squared_loss(linreg(X, w, b), y) + lambd * l2_penalty(w)).sum().backward()
    r = X.data @ w0 - y.data
    tight(w.grad, X.data.T @ r + 6 * lambd * w0)
    tw = torch_of(w0)
    ((torch_of(X.data, False) @ tw - torch_of(y.data, False)) ** 2 / 2 + lambd * tw.pow(2).sum() / 2).sum().backward()
    tight(w.grad, tw.grad.numpy())
    # the norm the book prints: no norm() here; np.linalg.norm says what to write, and it is torch.norm's
    with pytest.raises(TypeError, match=r"np.linalg.norm is not a Tensor op.*\(t \*\* 2\).sum\(\) \*\* 0.5"):
        np.linalg.norm(w)
    norm = (w ** 2).sum() ** 0.5
    tw2 = torch_of(w0)
    torch.norm(tw2).backward()
    tight(norm.item(), torch.norm(torch_of(w0)).item())
    tight(autograd.grad(norm, w)[0].data, tw2.grad.numpy())


def test_d2l_scratch_penalty_is_sgds_weight_decay():
    """lambd/2 ||w||^2 added to the mean loss takes the step of SGD(weight_decay=lambd) on the mean loss alone."""
    rng = np.random.default_rng(9)
    X, y, w0 = rng.normal(size=(6, 3)), rng.normal(size=(6, 1)), rng.normal(size=(3, 1))
    a, c = Tensor(w0, requires_grad=True), Tensor(w0, requires_grad=True)
    opt_a, opt_c = SGD([a], lr=0.1), SGD([c], lr=0.1, weight_decay=0.5)
    (squared_loss(Tensor(X) @ a, Tensor(y)).mean() + 0.5 * l2_penalty(a)).backward()
    squared_loss(Tensor(X) @ c, Tensor(y)).mean().backward()
    opt_a.step()
    opt_c.step()
    tight(a.data, c.data, 1e-14)
    tight(a.data, w0 - 0.1 * (X.T @ (X @ w0 - y) / 6 + 0.5 * w0), 1e-14)


# --- d2l 5.6: dropout from scratch --------------------------------------------------------------------------------


def dropout_layer(X, dropout: float, rng: np.random.Generator):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return np.zeros_like(X)
    mask = (rng.uniform(size=X.shape) > dropout).astype(np.float64)   # the book's (torch.rand(...) > p).float()
    return mask * X / (1.0 - dropout)


@needs_torch
def test_d2l_dropout_scales_the_kept_units_and_passes_their_gradient():
    X = Tensor(np.arange(16.0).reshape(2, 8), requires_grad=True)
    tight(dropout_layer(X, 0.0, np.random.default_rng(0)).data, X.data)
    assert not dropout_layer(X, 1.0, np.random.default_rng(0)).any()
    out = dropout_layer(X, 0.5, np.random.default_rng(10))
    mask = (np.random.default_rng(10).uniform(size=(2, 8)) > 0.5).astype(np.float64)
    assert 0 < mask.sum() < 16                                       # both kinds of unit are exercised
    tight(out.data, mask * X.data * 2)
    (out * Tensor(np.arange(16.0).reshape(2, 8) + 1)).sum().backward()
    tX = torch_of(X.data)
    (torch_of(mask, False) * tX / 0.5 * torch_of(np.arange(16.0).reshape(2, 8) + 1, False)).sum().backward()
    tight(X.grad, mask * 2 * (np.arange(16.0).reshape(2, 8) + 1))   # d/dX = mask / (1 - p) times the upstream
    tight(X.grad, tX.grad.numpy())


# --- d2l 5.4: numerical stability and initialization --------------------------------------------------------------


@needs_torch
def test_d2l_sigmoid_gradient_vanishes_in_both_tails_as_torchs():
    x = Tensor(np.arange(-8.0, 8.0, 0.1), requires_grad=True)
    y = x.sigmoid()
    y.backward(np.ones_like(x))                                      # the book's y.backward(torch.ones_like(x))
    s = 1.0 / (1.0 + np.exp(-x.data))
    tight(x.grad, s * (1.0 - s))
    assert x.grad.max() <= 0.25 and x.grad[0] < 4e-4 and x.grad[-1] < 4e-4
    tx = torch_of(x.data)
    torch.sigmoid(tx).backward(torch.ones_like(tx))
    tight(x.grad, tx.grad.numpy())


@needs_torch
def test_d2l_activation_derivatives_with_grad_data_zeroed_between_as_torchs():
    """d2l 5.1 plots relu', sigmoid' and tanh' from one x, clearing x.grad with ``x.grad.data.zero_()`` between;
    ``w.grad.data`` was the array's memoryview here (no zero_, no arithmetic)."""
    x0 = np.arange(-8.0, 8.0, 0.25) + 0.125                         # no entry on relu's kink
    x, tx = Tensor(x0, requires_grad=True), torch_of(x0)
    for f, tf, df in ((Tensor.relu, torch.relu, lambda v: (v > 0) * 1.0),
                      (Tensor.sigmoid, torch.sigmoid, lambda v: np.exp(-v) / (1 + np.exp(-v)) ** 2),
                      (Tensor.tanh, torch.tanh, lambda v: 1 / np.cosh(v) ** 2)):
        if x.grad is not None:
            x.grad.data.zero_()
            tx.grad.data.zero_()
        f(x).backward(np.ones_like(x), retain_graph=True)
        tf(tx).backward(torch.ones_like(tx), retain_graph=True)
        tight(x.grad, df(x0))
        tight(x.grad, tx.grad.numpy())
    w = Tensor([1.0, -2.0], requires_grad=True)
    (w * w).sum().backward()
    with no_grad():
        w -= 0.25 * w.grad.data                                      # the old courses' SGD step
    assert w.tolist() == [0.5, -1.0] and w.grad.data is w.grad


def test_d2l_products_of_random_matrices_explode_and_xavier_keeps_the_variance():
    rng = np.random.default_rng(11)
    M = Tensor(rng.normal(0.0, 1.0, (4, 4)))
    plain = M.data.copy()
    for _ in range(100):
        N = rng.normal(0.0, 1.0, (4, 4))
        M = M @ N                                                    # the book's torch.mm(M, N)
        plain = plain @ N
    tight(M.data, plain)
    assert np.abs(M.data).max() > 1e20                               # the exploding product the book prints
    layer = Linear(200, 300, init="xavier", seed=12)                 # Glorot: U(-r, r), r = sqrt(6 / (n_in + n_out))
    r = math.sqrt(6.0 / 500)
    assert np.abs(layer.weight.data).max() <= r
    assert abs(layer.weight.data.var() - r * r / 3) < 0.03 * r * r / 3   # the variance of U(-r, r): 2 / (n_in + n_out)


# --- fast.ai part 2: the forward and backward passes by hand ------------------------------------------------------


def fastai_data(seed: int = 13):
    """A small regression batch and the lesson's init: weights (n_in, n_out) from N(0, 1) / sqrt(n_in)."""
    rng = np.random.default_rng(seed)
    n, m, nh = 8, 5, 4
    x = rng.normal(size=(n, m))
    targ = rng.normal(size=n)
    w1, b1 = rng.normal(size=(m, nh)) / math.sqrt(m), rng.normal(0.0, 0.1, nh)
    w2, b2 = rng.normal(size=(nh, 1)) / math.sqrt(nh), np.zeros(1)
    return x, targ, [w1, b1, w2, b2]


def lin(x, w, b):
    return x @ w + b


def fastai_relu(x):
    return x.clamp_min(0.0)


def mse(output, targ):
    return (output.squeeze(-1) - targ).pow(2).mean()


def forward_and_backward(inp, targ, w1, b1, w2, b2):
    """The lesson's hand-written backward pass on plain Tensors (no graph): gradients returned, not stored in .g,
    which a Tensor has no slot for; each line is one of the lesson's *_grad functions."""
    l1 = lin(inp, w1, b1)
    l2 = fastai_relu(l1)
    out = lin(l2, w2, b2)
    out_g = 2.0 * (out.squeeze() - targ).unsqueeze(-1) / inp.shape[0]           # mse_grad
    w2_g = (l2.unsqueeze(-1) * out_g.unsqueeze(1)).sum(0)                       # lin_grad, by broadcasting
    b2_g = out_g.sum(0)
    l2_g = out_g @ w2.t()
    l1_g = (l1.data > 0).astype(np.float64) * l2_g                              # relu_grad: (l1 > 0).float()
    w1_g = np.einsum("bi,bj->ij", inp, l1_g)                                    # lin_grad, by einsum
    b1_g = l1_g.sum(0)
    return mse(out, targ), [w1_g, b1_g, w2_g, b2_g]


@needs_torch
def test_fastai_hand_backward_equals_autograd_and_torch():
    x, targ, params0 = fastai_data()
    loss, hand = forward_and_backward(Tensor(x), Tensor(targ), *(Tensor(p) for p in params0))
    assert (np.abs(x @ params0[0] + params0[1]) > 1e-5).all()   # no unit sits on relu's kink
    params = [Tensor(p).requires_grad_() for p in params0]
    auto_loss = mse(lin(fastai_relu(lin(Tensor(x), params[0], params[1])), params[2], params[3]), targ)
    auto_loss.backward()
    tight(auto_loss.item(), loss.item())
    tparams = [torch_of(p) for p in params0]
    tw1, tb1, tw2, tb2 = tparams
    tout = (torch_of(x, False) @ tw1 + tb1).clamp_min(0.0) @ tw2 + tb2
    tloss = (tout.squeeze(-1) - torch_of(targ, False)).pow(2).mean()
    tloss.backward()
    tight(auto_loss.item(), tloss.item())
    for h, p, tp in zip(hand, params, tparams):
        tight(getattr(h, "data", h), p.grad)
        tight(p.grad, tp.grad.numpy())
    assert autograd.gradcheck(lambda w1: mse(lin(fastai_relu(lin(Tensor(x), w1, params0[1])), params0[2],
                                                 params0[3]), targ), [Tensor(params0[0], requires_grad=True)])


def test_fastai_hand_backward_passes_compare_gradients():
    """The lesson's net is HH19's relu net with an identity output and the mse cost: compare_gradients takes the
    hand backward as ``manual`` (its weights in HH19's (n_out, n_in) layout, the lesson's transposed)."""
    x, targ, (w1, b1, w2, b2) = fastai_data()

    def manual(weights, X, Y):
        (W1, B1), (W2, B2) = weights
        loss, (g1, gb1, g2, gb2) = forward_and_backward(Tensor(X), Tensor(Y[:, 0]), Tensor(W1.T), Tensor(B1),
                                                        Tensor(W2.T), Tensor(B2))
        return loss.item(), [(g1.T, gb1.data), (g2.data.T, gb2.data)]

    report = compare_gradients([(w1.T, b1), (w2.T, b2)], x, targ[:, None], activation="relu",
                               output_activation="identity", cost="mse", manual=manual)
    assert report.ok, report


class Lin:
    """fast.ai's Lin class: keeps its input for the backward pass, which takes out's gradient and returns inp's."""

    def __init__(self, w, b):
        self.w, self.b = w, b

    def __call__(self, inp):
        self.inp = inp
        return lin(inp, self.w, self.b)

    def backward(self, out_g):
        self.w_g = self.inp.t() @ out_g
        self.b_g = out_g.sum(0)
        return out_g @ self.w.t()


class Relu:
    def __call__(self, inp):
        self.inp = inp
        return fastai_relu(inp)

    def backward(self, out_g):
        return (self.inp.data > 0) * out_g


class Mse:
    def __call__(self, inp, targ):
        self.inp, self.targ = inp, targ
        return mse(inp, targ)

    def backward(self):
        return 2.0 * (self.inp.squeeze(-1) - self.targ).unsqueeze(-1) / self.targ.shape[0]


def test_fastai_layer_classes_backward_equals_a_deltagrad_module_with_autograd():
    x, targ, (w1, b1, w2, b2) = fastai_data()
    layers, loss_fn = [Lin(Tensor(w1), Tensor(b1)), Relu(), Lin(Tensor(w2), Tensor(b2))], Mse()
    out = Tensor(x)
    for layer in layers:
        out = layer(out)
    loss = loss_fn(out, Tensor(targ))
    g = loss_fn.backward()
    for layer in reversed(layers):
        g = layer.backward(g)

    class Model(Module):                                  # the lesson's nn.Module version, on deltagrad's nn
        def __init__(self):
            self.layers = [Linear(5, 4, seed=0), Linear(4, 1, seed=0)]
            self.layers[0].weight.data[...], self.layers[0].bias.data[...] = w1.T, b1
            self.layers[1].weight.data[...], self.layers[1].bias.data[...] = w2.T, b2

        def forward(self, x, targ):
            return losses.mse(self.layers[1](self.layers[0](x).relu()), targ[:, None])

    model = Model()
    auto = model(x, targ)
    auto.backward()
    tight(auto.item(), loss.item())
    tight(model.layers[0].weight.grad, layers[0].w_g.data.T)
    tight(model.layers[0].bias.grad, layers[0].b_g.data)
    tight(model.layers[1].weight.grad, layers[2].w_g.data.T)
    tight(model.layers[1].bias.grad, layers[2].b_g.data)
    tight(g.data, autograd.grad(mse(lin(fastai_relu(lin(x_in := Tensor(x, requires_grad=True), w1, b1)), w2, b2),
                                    targ), x_in)[0].data)


class FastaiLinear(Module):
    """The lesson's own autograd Linear: w (n_in, n_out) from N(0, 1), made a parameter by requires_grad_()."""

    def __init__(self, w, b):
        super().__init__()
        self.w, self.b = Tensor(w).requires_grad_(), Tensor(b).requires_grad_()

    def forward(self, inp):
        return inp @ self.w + self.b


class FastaiModel(Module):
    """The lesson's Model: a list of layers run in turn (a plain function stands for nn.ReLU(), which deltagrad's
    nn has no class for), then the mse against targ[:, None]."""

    def __init__(self, w1, b1, w2, b2):
        super().__init__()
        self.layers = [FastaiLinear(w1, b1), Tensor.relu, FastaiLinear(w2, b2)]

    def forward(self, x, targ):
        for layer in self.layers:
            x = layer(x)
        return losses.mse(x, targ[:, None])


@needs_torch
def test_fastai_autograd_model_finds_its_parameters_and_steps_as_torch():
    x, targ, params0 = fastai_data()
    model = FastaiModel(*params0)
    assert [name for name, _ in model.named_parameters()] == ["layers.0.w", "layers.0.b", "layers.2.w",
                                                             "layers.2.b"]
    loss = model(x, targ)
    loss.backward()
    _, hand = forward_and_backward(Tensor(x), Tensor(targ), *(Tensor(p) for p in params0))
    for p, h in zip(model.parameters(), hand):
        tight(p.grad, getattr(h, "data", h))
    SGD(model.parameters(), lr=0.5).step()
    tparams = [torch_of(p) for p in params0]
    tw1, tb1, tw2, tb2 = tparams
    F.mse_loss(F.relu(torch_of(x, False) @ tw1 + tb1) @ tw2 + tb2, torch_of(targ, False)[:, None]).backward()
    with torch.no_grad():                           # torch.optim.SGD's plain step (importing torch.optim takes 1 s)
        for tp in tparams:
            tp -= 0.5 * tp.grad
    for p, tp in zip(model.parameters(), tparams):
        tight(p.data, tp.detach().numpy())


def test_the_courses_three_relus_take_torchs_gradients_at_the_kink():
    x0 = [-2.0, -0.0, 0.0, 1.5]
    for relu_of, at_zero in ((lambda x: x.relu(), 0.0), (relu, 0.5)):       # torch.relu, d2l's torch.max(X, 0)
        x = Tensor(x0, requires_grad=True)
        relu_of(x).sum().backward()
        assert x.grad.tolist() == [0.0, at_zero, at_zero, 1.0]
        if torch is not None:
            tx = torch_of(x0)
            (torch.relu(tx) if at_zero == 0.0 else torch.max(tx, torch.zeros_like(tx))).sum().backward()
            assert tx.grad.tolist() == x.grad.tolist()
    x = Tensor(x0, requires_grad=True)
    y = x.clamp_min(0.0)
    (y * Tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    assert y.tolist() == [0.0, 0.0, 0.0, 1.5]
    assert x.grad.tolist() == [0.0, 2.0, 3.0, 4.0]          # torch.clamp_min passes the gradient at x = min
    assert x.clamp_max(0.0).tolist() == [-2.0, -0.0, 0.0, 0.0]
    with pytest.raises(TypeError, match=r"clamp_min: min is None; give the lower bound, a number"):
        x.clamp_min(None)
    with pytest.raises(TypeError, match=r"clamp_max: max is None; give the upper bound, a number"):
        x.clamp_max(None)
    with pytest.raises(ValueError, match=r"clamp_min: min=nan is NaN"):
        x.clamp_min(float("nan"))
    if torch is not None:
        tx = torch_of(x.data)
        (tx.clamp_min(0.0) * torch_of([1.0, 2.0, 3.0, 4.0], False)).sum().backward()
        assert tx.grad.tolist() == x.grad.tolist()


# --- fast.ai part 2: cross-entropy from the foundations -----------------------------------------------------------


def log_softmax(x):
    return x - x.exp().sum(-1, keepdims=True).log()


def logsumexp(x):
    m = x.max(-1)                    # the lesson's x.max(-1)[0]: PyTorch's max(dim) is a pair, here the values
    return m + (x - m[:, None]).exp().sum(-1).log()


def nll(inp, target):
    return -inp[range(target.shape[0]), target].mean()


@needs_torch
def test_fastai_log_softmax_logsumexp_and_nll_are_cross_entropy_and_torchs():
    rng = np.random.default_rng(14)
    z0, y = rng.normal(0.0, 3.0, (6, 4)), np.array([3, 0, 1, 2, 1, 3])
    z = Tensor(z0, requires_grad=True)
    loss = nll(z - logsumexp(z).unsqueeze(-1), y)
    loss.backward()
    tight(loss.item(), nll(log_softmax(Tensor(z0)), y).item())
    tight(loss.item(), losses.cross_entropy(Tensor(z0), y).item())
    tight(logsumexp(Tensor(z0)).data, Tensor(z0).logsumexp(-1).data)
    tz = torch_of(z0)
    tloss = F.nll_loss(F.log_softmax(tz, -1), torch.tensor(y))
    tloss.backward()
    tight(loss.item(), tloss.item())
    tight(z.grad, tz.grad.numpy())
    P = np.exp(z0) / np.exp(z0).sum(axis=1, keepdims=True)
    tight(z.grad, (P - np.eye(4)[y]) / 6)
    # the lesson's x.max(-1)[0] reads row 0 here: it fails at m[:, None] rather than compute another number
    with pytest.raises(IndexError, match=r"shape \(\)"):
        logsumexp_as_torch = Tensor(z0).max(-1)[0]
        logsumexp_as_torch[:, None]


def test_a_value_scaled_inside_no_grad_is_a_parameter_and_trains():
    """The Value engine's form of the same bug: a weight computed inside no_grad() (micrograd-style init scaled by
    hand) is a leaf that kept its op's name, and named_parameters() left it out, so SGD never moved it."""
    class Line(Module):
        def __init__(self):
            with no_grad():
                self.w = Value(0.5) * 0.1          # a leaf: no parents recorded, op '*'
            self.b = Value(0.0)

        def forward(self, x):
            return self.w * x + self.b

    line = Line()
    assert [name for name, _ in line.named_parameters()] == ["w", "b"]
    opt = SGD(line.parameters(), lr=0.1)
    opt.zero_grad()
    ((line(2.0) - 1.0) ** 2).backward()            # d/dw (2w + b - 1)^2 = 4 (2w + b - 1) = 4 (0.1 - 1) = -3.6
    opt.step()
    assert line.w.data == pytest.approx(0.05 + 0.36, rel=1e-15)
