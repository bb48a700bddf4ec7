"""CS231n's first assignments ported onto deltagrad: each exercise's hand-derived numpy gradient (tests/
cs231n_exercises.py) against central differences as the course checks it (``rel_error``), against deltagrad's
automatic gradient written as a student would write the loss, and against PyTorch's where it has the same op.

The course's layout throughout: rows of X are samples, W is (D, C), the losses are averaged over the N samples and
regularised with reg * sum W^2 (gradient 2 reg W). Its dropout keeps a unit with probability ``keep``, PyTorch's and
deltagrad's drop it with probability p = 1 - keep.
"""

import re

import cs231n_exercises as ex
import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn import MLP, SGD, Adam, Dropout, RMSprop, compare_gradients, losses

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - torch is in the dev extras
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")

N, D, H, C = 6, 5, 7, 4
REG = 0.05


def data(seed: int = 231) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A small batch X (N, D), labels y covering several classes, and W (D, C) as the course draws it (small)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N, D)), np.array([0, 1, 2, 3, 1, 2]), 0.3 * rng.normal(size=(D, C))


def torch_of(a: np.ndarray, grad: bool = True) -> "torch.Tensor":
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def tight(a, b, rtol: float = 1e-12) -> None:
    np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-15)


# --- the linear SVM -----------------------------------------------------------------------------------------------


def svm_deltagrad(W: Tensor, X: np.ndarray, y: np.ndarray, reg: float) -> Tensor:
    """The vectorised SVM as a student writes it on Tensors: the true class's own margin is max(0, 1) = 1 in every
    row, taken off by subtracting N (its gradient cancels: s_y - s_y)."""
    S = X @ W
    margins = np.maximum(0, S - S[np.arange(len(X)), y][:, None] + 1)
    return (margins.sum() - len(X)) / len(X) + reg * np.sum(W * W)


def test_svm_loops_and_vectorised_agree_and_pass_the_course_gradient_check():
    X, y, W = data()
    loss, dW = ex.svm_loss_loops(W, X, y, REG)
    loss_v, dW_v = ex.svm_loss_vectorised(W, X, y, REG)
    tight(loss_v, loss, 1e-14)
    assert ex.rel_error(dW_v, dW) < 1e-13
    numeric = ex.numerical_gradient(lambda w: ex.svm_loss_vectorised(w, X, y, REG)[0], W.copy())
    assert ex.rel_error(numeric, dW) < 1e-8
    margins = X @ W - (X @ W)[np.arange(N), y][:, None] + 1
    assert (margins > 0).any() and (margins < 0).any()       # both sides of the hinge are exercised


def test_svm_gradient_is_deltagrads_automatic_one():
    X, y, W = data()
    loss, dW = ex.svm_loss_vectorised(W, X, y, REG)
    Wt = Tensor(W, requires_grad=True)
    out = svm_deltagrad(Wt, X, y, REG)
    out.backward()
    tight(out.item(), loss, 1e-14)
    tight(Wt.grad, dW)
    assert autograd.gradcheck(lambda w: svm_deltagrad(w, X, y, REG), [Tensor(W, requires_grad=True)])


@needs_torch
def test_svm_loss_is_torchs_multi_margin_loss_times_the_classes():
    # PyTorch's multi_margin_loss averages each row's margins over the C classes too: the course's SVM is C times it
    X, y, W = data()
    loss, dW = ex.svm_loss_vectorised(W, X, y, REG)
    Wt = torch_of(W)
    out = F.multi_margin_loss(torch_of(X, False) @ Wt, torch.tensor(y)) * C + REG * (Wt * Wt).sum()
    out.backward()
    tight(out.item(), loss, 1e-14)
    tight(Wt.grad.numpy(), dW)


# --- softmax ------------------------------------------------------------------------------------------------------


def softmax_by_hand_on_tensors(W: Tensor, X: np.ndarray, y: np.ndarray, reg: float) -> Tensor:
    """The course's vectorised softmax loss spelled out with numpy calls on a Tensor (shift, exp, sum, log)."""
    S = X @ W
    S = S - np.max(S, axis=1, keepdims=True).detach()   # the shift is a constant: softmax does not depend on it
    p = np.exp(S) / np.sum(np.exp(S), axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(X)), y])) + reg * np.sum(W**2)


def test_softmax_loops_and_vectorised_agree_and_pass_the_course_gradient_check():
    X, y, W = data()
    loss, dW = ex.softmax_loss_loops(W, X, y, REG)
    loss_v, dW_v = ex.softmax_loss_vectorised(W, X, y, REG)
    tight(loss_v, loss, 1e-14)
    assert ex.rel_error(dW_v, dW) < 1e-12
    assert ex.rel_error(ex.numerical_gradient(lambda w: ex.softmax_loss_vectorised(w, X, y, 0.0)[0], W.copy()),
                        ex.softmax_loss_vectorised(W, X, y, 0.0)[1]) < 1e-7
    # the course's sanity check: with W near 0 every class has p = 1/C, so the loss is log C
    tight(ex.softmax_loss_vectorised(1e-9 * W, X, y, 0.0)[0], np.log(C), 1e-8)


@pytest.mark.parametrize("spelling", ["losses.cross_entropy", "numpy calls"])
def test_softmax_gradient_is_deltagrads_automatic_one(spelling):
    X, y, W = data()
    loss, dW = ex.softmax_loss_vectorised(W, X, y, REG)
    Wt = Tensor(W, requires_grad=True)
    if spelling == "numpy calls":
        out = softmax_by_hand_on_tensors(Wt, X, y, REG)
    else:
        out = losses.cross_entropy(X @ Wt, y) + losses.l2([Wt], REG)
    out.backward()
    tight(out.item(), loss, 1e-14)
    tight(Wt.grad, dW)


@needs_torch
def test_softmax_loss_is_torchs_cross_entropy():
    X, y, W = data()
    loss, dW = ex.softmax_loss_vectorised(W, X, y, REG)
    Wt = torch_of(W)
    out = F.cross_entropy(torch_of(X, False) @ Wt, torch.tensor(y)) + REG * (Wt * Wt).sum()
    out.backward()
    tight(out.item(), loss, 1e-14)
    tight(Wt.grad.numpy(), dW)


# --- the two-layer net --------------------------------------------------------------------------------------------


def two_layer_params(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {"W1": 0.5 * rng.normal(size=(D, H)), "b1": 0.1 * rng.normal(size=H),
            "W2": 0.5 * rng.normal(size=(H, C)), "b2": 0.1 * rng.normal(size=C)}


def course_layout(model: MLP) -> dict:
    """An nn.MLP's gradients in the course's layout: W (n_in, n_out), the transpose of deltagrad's weight."""
    first, second = model.layers
    return {"W1": first.weight.grad.T, "b1": first.bias.grad, "W2": second.weight.grad.T, "b2": second.bias.grad}


def test_two_layer_net_gradients_are_nn_mlps():
    X, y, _ = data()
    params = two_layer_params()
    loss, grads = ex.two_layer_loss(params, X, y, REG)
    model = MLP([D, H, C], activation="relu", output_activation="identity")
    model.set_weights([(params["W1"].T, params["b1"]), (params["W2"].T, params["b2"])])
    first, second = model.layers
    out = losses.cross_entropy(model(X), y) + losses.l2([first.weight, second.weight], REG)
    out.backward()
    tight(out.item(), loss, 1e-14)
    for name, g in course_layout(model).items():
        tight(g, grads[name])
    for name in params:                                       # the course's check, parameter by parameter
        numeric = ex.numerical_gradient(lambda p, name=name: ex.two_layer_loss({**params, name: p}, X, y, REG)[0],
                                        params[name].copy())
        assert ex.rel_error(numeric, grads[name]) < 1e-7, name
    assert (X @ params["W1"] + params["b1"] < 0).any()       # some units are off: relu's both sides are exercised


def test_two_layer_net_by_hand_passes_compare_gradients():
    X, y, _ = data()
    params = two_layer_params()

    def by_hand(weights, X, Y):                               # HH19 layout (W is (n_out, n_in)) to the course's
        (W1, b1), (W2, b2) = weights
        loss, g = ex.two_layer_loss({"W1": W1.T, "b1": b1, "W2": W2.T, "b2": b2}, X, Y.argmax(axis=1), 0.0)
        return loss, [(g["W1"].T, g["b1"]), (g["W2"].T, g["b2"])]

    weights = [(params["W1"].T, params["b1"]), (params["W2"].T, params["b2"])]
    report = compare_gradients(weights, X, np.eye(C)[y], activation="relu", cost="cross_entropy", manual=by_hand,
                               methods=("manual", "tensor", "numerical"))
    assert report.ok, report


@needs_torch
def test_two_layer_net_gradients_are_torchs():
    X, y, _ = data()
    params = two_layer_params()
    loss, grads = ex.two_layer_loss(params, X, y, REG)
    p = {k: torch_of(v) for k, v in params.items()}
    scores = torch.relu(torch_of(X, False) @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    out = F.cross_entropy(scores, torch.tensor(y)) + REG * ((p["W1"] ** 2).sum() + (p["W2"] ** 2).sum())
    out.backward()
    tight(out.item(), loss, 1e-14)
    for name, t in p.items():
        tight(t.grad.numpy(), grads[name])


def test_gradcheck_and_numerical_grad_agree_with_the_course_check():
    X, y, _ = data()
    params = two_layer_params()
    W1 = Tensor(params["W1"], requires_grad=True)

    def loss(W1):
        scores = np.maximum(0, X @ W1 + params["b1"]) @ params["W2"] + params["b2"]
        return losses.cross_entropy(scores, y)

    (numeric,) = autograd.numerical_grad(loss, [W1], eps=1e-5)
    course = ex.numerical_gradient(lambda w: ex.two_layer_loss({**params, "W1": w}, X, y, 0.0)[0],
                                   params["W1"].copy())
    exact = ex.two_layer_loss(params, X, y, 0.0)[1]["W1"]
    # both are central differences with the same step: each within the course's 1e-7 of the hand gradient, and
    # apart only by f's rounding over the step (about 1e-16 / 1e-5)
    assert ex.rel_error(numeric, exact) < 1e-7 and ex.rel_error(course, exact) < 1e-7
    np.testing.assert_allclose(numeric, course, rtol=0, atol=1e-10)
    assert autograd.gradcheck(loss, [W1])


# --- modular layers -----------------------------------------------------------------------------------------------


def test_affine_backward_is_deltagrads_and_the_numerical_one():
    rng = np.random.default_rng(1)
    x, w, b = rng.normal(size=(N, 2, 3)), rng.normal(size=(6, 5)), rng.normal(size=5)
    dout = rng.normal(size=(N, 5))
    out, cache = ex.affine_forward(x, w, b)
    dx, dw, db = ex.affine_backward(dout, cache)
    assert ex.rel_error(ex.numerical_gradient_array(lambda v: ex.affine_forward(v, w, b)[0], x, dout), dx) < 1e-8
    assert ex.rel_error(ex.numerical_gradient_array(lambda v: ex.affine_forward(x, v, b)[0], w, dout), dw) < 1e-8
    # the course's eval_numerical_gradient_array is numerical_grad with grad_output
    (numeric,) = autograd.numerical_grad(lambda v: ex.affine_forward(v, w, b)[0], [Tensor(x)], grad_output=dout)
    assert ex.rel_error(numeric, dx) < 1e-8
    xt, wt, bt = (Tensor(a, requires_grad=True) for a in (x, w, b))
    ot = xt.reshape(xt.shape[0], -1) @ wt + bt
    ot.backward(gradient=dout)
    tight(ot.data, out)
    for t, g in ((xt, dx), (wt, dw), (bt, db)):
        assert t.grad.shape == g.shape
        tight(t.grad, g)
    if torch is not None:
        xp, wp, bp = torch_of(x), torch_of(w), torch_of(b)
        (xp.reshape(N, -1) @ wp + bp).backward(torch.tensor(dout))
        for t, g in ((xp, dx), (wp, dw), (bp, db)):
            tight(t.grad.numpy(), g)


def test_relu_backward_is_deltagrads_relu_and_np_maximum_splits_a_tie():
    x = np.array([[-1.5, 0.0, 2.0], [0.3, -0.2, 0.0]])
    dout = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    out, cache = ex.relu_forward(x)
    dx = ex.relu_backward(dout, cache)
    assert dx.tolist() == [[0.0, 0.0, 3.0], [4.0, 0.0, 0.0]]     # 0 at x = 0: the course's (x > 0)
    xt = Tensor(x, requires_grad=True)
    xt.relu().backward(gradient=dout)
    assert np.array_equal(xt.grad, dx)
    # the course's forward, np.maximum(0, x), on a Tensor is maximum: a tie at x = 0 shares the gradient, half to x
    # (PyTorch's torch.maximum too), so a hand relu_backward disagrees there, and only there
    xm = Tensor(x, requires_grad=True)
    np.maximum(0, xm).backward(gradient=dout)
    assert np.array_equal(np.maximum(0, xm).data, out)
    assert xm.grad.tolist() == [[0.0, 1.0, 3.0], [4.0, 0.0, 3.0]]
    if torch is not None:
        xp = torch_of(x)
        torch.relu(xp).backward(torch.tensor(dout))
        assert np.array_equal(xp.grad.numpy(), dx)
        xq = torch_of(x)
        torch.maximum(torch.zeros((), dtype=torch.float64), xq).backward(torch.tensor(dout))
        assert np.array_equal(xq.grad.numpy(), xm.grad)


@pytest.mark.parametrize("loss_name", ["svm", "softmax"])
def test_score_losses_dx_is_deltagrads_and_torchs(loss_name):
    rng = np.random.default_rng(2)
    S, y = rng.normal(size=(N, C)), np.array([3, 0, 1, 2, 2, 0])
    hand = ex.svm_scores_loss if loss_name == "svm" else ex.softmax_scores_loss
    loss, dx = hand(S, y)
    assert ex.rel_error(ex.numerical_gradient(lambda s: hand(s, y)[0], S.copy()), dx) < 1e-8
    St = Tensor(S, requires_grad=True)
    if loss_name == "svm":
        out = (np.maximum(0, St - St[np.arange(N), y][:, None] + 1).sum() - N) / N
    else:
        out = losses.cross_entropy(St, y)
    out.backward()
    tight(out.item(), loss, 1e-14)
    tight(St.grad, dx)
    if torch is not None:
        Sp = torch_of(S)
        if loss_name == "svm":
            outp = F.multi_margin_loss(Sp, torch.tensor(y)) * C
        else:
            outp = F.cross_entropy(Sp, torch.tensor(y))
        outp.backward()
        tight(outp.item(), loss, 1e-14)
        tight(Sp.grad.numpy(), dx)


# --- batch normalization ------------------------------------------------------------------------------------------


def batch(seed: int = 3) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    x = 5.0 + 3.0 * rng.normal(size=(8, 3))                  # the course's check: columns far from mean 0, std 1
    return x, rng.normal(size=3) + 1.0, rng.normal(size=3), rng.normal(size=(8, 3))


def batchnorm_deltagrad(x: Tensor, gamma: Tensor, beta: Tensor, eps: float = 1e-5) -> Tensor:
    return (x - x.mean(axis=0)) / (x.var(axis=0) + eps).sqrt() * gamma + beta


def test_batchnorm_forward_normalises_each_column():
    x, gamma, beta, _ = batch()
    out, _ = ex.batchnorm_forward(x, gamma, beta, {"mode": "train"})
    tight(out.mean(axis=0), beta, 1e-12)
    tight(out.std(axis=0), np.abs(gamma) * np.sqrt(x.var(axis=0) / (x.var(axis=0) + 1e-5)), 1e-12)
    xt = Tensor(x)
    tight(batchnorm_deltagrad(xt, Tensor(gamma), Tensor(beta)).data, out)


def test_batchnorm_backward_both_forms_are_deltagrads_and_the_numerical_one():
    x, gamma, beta, dout = batch()
    _, cache = ex.batchnorm_forward(x, gamma, beta, {"mode": "train"})
    dx, dgamma, dbeta = ex.batchnorm_backward(dout, cache)
    dx2, dgamma2, dbeta2 = ex.batchnorm_backward_simplified(dout, cache)
    assert ex.rel_error(dx2, dx) < 1e-11 and ex.rel_error(dgamma2, dgamma) == 0 and ex.rel_error(dbeta2, dbeta) == 0
    forward = lambda v: ex.batchnorm_forward(v, gamma, beta, {"mode": "train"})[0]   # noqa: E731
    assert ex.rel_error(ex.numerical_gradient_array(forward, x.copy(), dout), dx) < 1e-7
    xt, gt, bt = (Tensor(a, requires_grad=True) for a in (x, gamma, beta))
    batchnorm_deltagrad(xt, gt, bt).backward(gradient=dout)
    # dx sums to 0 over each column (a shift of a column does not change its normalised values): its entries are
    # differences of terms about 10 times larger, so they agree to an absolute, not relative, 1e-14
    np.testing.assert_allclose(xt.grad, dx, rtol=1e-10, atol=1e-14 * np.abs(dout * gamma).max())
    tight(gt.grad, dgamma)
    tight(bt.grad, dbeta)
    assert autograd.gradcheck(lambda v: batchnorm_deltagrad(v, gt.detach(), bt.detach()),
                              [Tensor(x, requires_grad=True)])


@needs_torch
def test_batchnorm_matches_torchs_in_training_and_in_test_mode():
    x, gamma, beta, dout = batch()
    bn = {"mode": "train", "momentum": 0.9}
    out, cache = ex.batchnorm_forward(x, gamma, beta, bn)
    dx, dgamma, dbeta = ex.batchnorm_backward_simplified(dout, cache)
    xp, gp, bp = torch_of(x), torch_of(gamma), torch_of(beta)
    running_mean, running_var = torch.zeros(3, dtype=torch.float64), torch.zeros(3, dtype=torch.float64)
    outp = F.batch_norm(xp, running_mean, running_var, gp, bp, training=True, momentum=0.1, eps=1e-5)
    outp.backward(torch.tensor(dout))
    tight(outp.detach().numpy(), out)
    np.testing.assert_allclose(xp.grad.numpy(), dx, rtol=1e-10, atol=1e-14 * np.abs(dout * gamma).max())
    tight(gp.grad.numpy(), dgamma)
    tight(bp.grad.numpy(), dbeta)
    # the running averages: the course's momentum 0.9 is PyTorch's 0.1, and PyTorch's running variance is the
    # unbiased one (divided by N - 1) where the course keeps the batch's own (divided by N)
    tight(running_mean.numpy(), bn["running_mean"])
    tight(running_var.numpy(), 0.1 * x.var(axis=0, ddof=1))
    tight(bn["running_var"], 0.1 * x.var(axis=0))
    # test mode: the same running averages give the same numbers
    bn["running_var"] = running_var.numpy().copy()
    test_out, _ = ex.batchnorm_forward(x, gamma, beta, {**bn, "mode": "test"})
    tight(F.batch_norm(torch_of(x, False), running_mean, running_var, torch_of(gamma, False),
                       torch_of(beta, False), training=False, eps=1e-5).numpy(), test_out)


# --- dropout ------------------------------------------------------------------------------------------------------


def test_dropout_backward_is_nn_dropouts_and_keeps_the_mean():
    keep = 0.8
    rng = np.random.default_rng(4)
    x, dout = rng.normal(size=(N, 50)), rng.normal(size=(N, 50))
    drop = Dropout(p=1 - keep, seed=0)                      # PyTorch's p: the probability of dropping
    xt = Tensor(x, requires_grad=True)
    out = drop(xt)
    out.backward(gradient=dout)
    mask = drop.mask / keep                                   # the course's mask: kept / keep, dropped 0
    tight(out.data, x * mask, 1e-15)
    tight(xt.grad, ex.dropout_backward(dout, mask), 1e-15)
    assert 0.7 < drop.mask.mean() < 0.9
    # the course's forward keeps the same share, scaled so that the mean stays: sum(out) / sum(x) near 1 for
    # x > 0, as with deltagrad's
    ones = np.ones((100, 100))
    course, _ = ex.dropout_forward(ones, keep, "train", np.random.default_rng(5))
    assert abs(course.mean() - 1) < 0.02 and abs(Dropout(p=1 - keep, seed=1)(ones).data.mean() - 1) < 0.02
    # test mode is the identity in both, and so is its gradient
    xt.zero_grad()
    drop.eval()(xt).backward(gradient=dout)
    assert np.array_equal(xt.grad, ex.dropout_backward(dout, ex.dropout_forward(x, keep, "test", rng)[1]))


# --- update rules -------------------------------------------------------------------------------------------------


def quadratic_problem():
    """L(w) = |A w - t|^2 / N, whose gradient 2 A^T (A w - t) / N the course's rules take by hand."""
    rng = np.random.default_rng(6)
    A, t, w0 = rng.normal(size=(N, D)), rng.normal(size=N), rng.normal(size=D)
    return A, t, w0, lambda w: 2 * A.T @ (A @ w - t) / N


def run_course(rule, w0: np.ndarray, grad, config: dict, steps: int) -> list[np.ndarray]:
    w, path = w0.copy(), []
    for _ in range(steps):
        w, config = rule(w, grad(w), config)
        path.append(w)
    return path


def run_optimizer(make, w0: np.ndarray, A: np.ndarray, t: np.ndarray, steps: int) -> list[np.ndarray]:
    w = Tensor(w0.copy(), requires_grad=True)
    opt, path = make([w]), []
    for _ in range(steps):
        opt.zero_grad()
        (((A @ w - t) ** 2).sum() / N).backward()
        opt.step()
        path.append(w.data.copy())
    return path


def run_torch(make, w0: np.ndarray, A: np.ndarray, t: np.ndarray, steps: int) -> list[np.ndarray]:
    w = torch_of(w0.copy())
    opt, path = make([w]), []
    At, tt = torch_of(A, False), torch_of(t, False)
    for _ in range(steps):
        opt.zero_grad()
        (((At @ w - tt) ** 2).sum() / N).backward()
        opt.step()
        path.append(w.detach().numpy().copy())
    return path


@pytest.mark.parametrize("rule", ["momentum", "rmsprop", "adam"])
def test_update_rules_are_nn_optimizers_and_torchs(rule):
    A, t, w0, grad = quadratic_problem()
    if rule == "rmsprop":
        course = run_course(ex.rmsprop, w0, grad, {"learning_rate": 0.01}, 8)
        ours = run_optimizer(lambda p: RMSprop(p, lr=0.01), w0, A, t, 8)
        theirs = (lambda p: torch.optim.RMSprop(p, lr=0.01)) if torch is not None else None
    elif rule == "momentum":
        course = run_course(ex.sgd_momentum, w0, grad, {"learning_rate": 0.05, "momentum": 0.9}, 8)
        ours = run_optimizer(lambda p: SGD(p, lr=0.05, momentum=0.9), w0, A, t, 8)
        theirs = (lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)) if torch is not None else None
    else:
        course = run_course(ex.adam, w0, grad, {"learning_rate": 0.05}, 8)
        ours = run_optimizer(lambda p: Adam(p, lr=0.05), w0, A, t, 8)
        theirs = (lambda p: torch.optim.Adam(p, lr=0.05)) if torch is not None else None
    # the course's velocity is -lr times PyTorch's (and deltagrad's): the same steps, rounded in another order
    np.testing.assert_allclose(ours, course, rtol=1e-13, atol=1e-15)
    assert not np.allclose(course[-1], w0)
    if theirs is not None:
        np.testing.assert_allclose(run_torch(theirs, w0, A, t, 8), ours, rtol=1e-13, atol=1e-15)


def test_momentum_after_a_learning_rate_decay_is_pytorchs_not_the_courses():
    # The course's Solver decays the rate between epochs. Its velocity v <- mu v - lr dw carries the old rate in
    # v; PyTorch's (and SGD's, as its docstring says) v <- mu v + g is scaled by the new rate at every step
    A, t, w0, grad = quadratic_problem()
    w, v = w0.copy(), np.zeros_like(w0)
    wt = Tensor(w0.copy(), requires_grad=True)
    opt = SGD([wt], lr=0.05, momentum=0.9)
    wp = torch_of(w0.copy()) if torch is not None else None
    topt = torch.optim.SGD([wp], lr=0.05, momentum=0.9) if torch is not None else None
    by_hand, buf = w0.copy(), np.zeros_like(w0)
    for step in range(6):
        lr = 0.05 if step < 3 else 0.005
        opt.lr = lr
        w, config = ex.sgd_momentum(w, grad(w), {"learning_rate": lr, "momentum": 0.9, "velocity": v})
        v = config["velocity"]
        buf = 0.9 * buf + grad(by_hand)                                  # PyTorch's rule by hand
        by_hand = by_hand - lr * buf
        opt.zero_grad()
        (((A @ wt - t) ** 2).sum() / N).backward()
        opt.step()
        if topt is not None:
            topt.param_groups[0]["lr"] = lr
            topt.zero_grad()
            (((torch_of(A, False) @ wp - torch_of(t, False)) ** 2).sum() / N).backward()
            topt.step()
    np.testing.assert_allclose(wt.data, by_hand, rtol=1e-13)
    assert np.abs(wt.data - w).max() > 1e-3                              # the course's steps went elsewhere
    if topt is not None:
        np.testing.assert_allclose(wp.detach().numpy(), wt.data, rtol=1e-13)

# --- what the port found: names a student brings from numpy and PyTorch ------------------------------------------


def test_clip_takes_numpys_and_pytorchs_min_and_max_keywords():
    # relu as x.clip(min=0): numpy 2's ndarray.clip and torch's Tensor.clip take min= and max=; it raised
    # "Functions.clip() got an unexpected keyword argument 'min'"
    x = np.array([[-1.5, 0.5, 2.0], [0.3, -0.2, 4.0]])
    dout = np.arange(6.0).reshape(2, 3)
    for kw in ({"min": 0.0}, {"max": 1.0}, {"min": 0.0, "max": 1.0}):
        xt = Tensor(x, requires_grad=True)
        out = xt.clip(**kw)
        out.backward(gradient=dout)
        assert np.array_equal(out.data, x.clip(**kw))
        inside = (x >= kw.get("min", -np.inf)) & (x <= kw.get("max", np.inf))
        assert np.array_equal(xt.grad, dout * inside)
        if torch is not None:
            xp = torch_of(x)
            xp.clip(**kw).backward(torch.tensor(dout))
            assert np.array_equal(xp.grad.numpy(), xt.grad)
    # one bound by position and the other by keyword, as numpy and torch take them (relu6: x.clip(0, max=6))
    assert np.array_equal(Tensor(x).clip(0.0, max=1.0).data, x.clip(0.0, max=1.0))
    with pytest.raises(TypeError, match=r"clip: the lower bound given twice, by position \(0\.0\) and by keyword"):
        Tensor(x).clip(0.0, min=1.0)
    with pytest.raises(TypeError, match=r"clip: the upper bound given twice"):
        Tensor(x).clip(None, 1.0, max=2.0)
    with pytest.raises(ValueError, match="clip: min=2.0 is above max=1.0"):
        Tensor(x).clip(min=2.0, max=1.0)


def test_amax_and_amin_are_methods_as_docs_pytorch_md_names_them():
    # docs/pytorch.md: t.max(1) gives "the values, as t.amax(1)"; t.amax raised AttributeError
    x = np.array([[1.0, 3.0, 3.0], [2.0, 0.5, -4.0]])
    dout = np.array([1.0, 2.0])
    for name in ("amax", "amin"):
        xt = Tensor(x, requires_grad=True)
        out = getattr(xt, name)(1)
        out.backward(gradient=dout)
        assert np.array_equal(out.data, getattr(np, name)(x, axis=1))
        assert np.array_equal(getattr(xt, name)(axis=0, keepdims=True).data, getattr(np, name)(x, 0, keepdims=True))
        if torch is not None:
            xp = torch_of(x)
            getattr(xp, name)(1).backward(torch.tensor(dout))     # ties share: 1/2 each of the row's 3.0s
            assert np.array_equal(xt.grad, xp.grad.numpy())
    with pytest.raises(TypeError, match="amax: dim=1, keepdim=True is PyTorch's spelling; .* axis=1, keepdims=True"):
        Tensor(x).amax(dim=1, keepdim=True)
    # every refusal names the call made, not the max and min they are made of (the review)
    with pytest.raises(ValueError, match=r"^amax: axis 5 is out of range"):
        Tensor(x).amax(axis=5)
    with pytest.raises(ValueError, match=r"^amin: a Tensor of shape \(0, 3\) has no entries along axis 0"):
        Tensor(np.ones((0, 3))).amin(axis=0)


def test_std_is_numpys_with_ddof_and_pytorchs_gradient_even_on_a_constant_column():
    # batch norm as (x - x.mean(0)) / x.std(0): t.std raised AttributeError and np.std(t) was refused; a column
    # that is constant (a dead relu unit) has std 0, where sqrt's infinite slope would make its gradients NaN
    rng = np.random.default_rng(7)
    x = rng.normal(size=(6, 3))
    x[:, 1] = 0.25
    dout = rng.normal(size=3)
    for ddof in (0, 1):
        xt = Tensor(x, requires_grad=True)
        out = xt.std(axis=0, ddof=ddof)
        out.backward(gradient=dout)
        assert np.array_equal(out.data, x.std(axis=0, ddof=ddof))
        n = len(x) - ddof
        spread = np.where(out.data > 0, out.data, 1.0)
        expected = dout * (x - x.mean(axis=0)) / (n * spread)           # dstd/dx_i = (x_i - mean) / (n std)
        np.testing.assert_allclose(xt.grad, expected, rtol=1e-13, atol=1e-16)
        assert not xt.grad[:, 1].any()
        assert np.array_equal(np.std(xt, axis=0, ddof=ddof).data, out.data)
        if torch is not None:
            xp = torch_of(x)
            xp.std(dim=0, correction=ddof).backward(torch.tensor(dout))
            np.testing.assert_allclose(xt.grad, xp.grad.numpy(), rtol=1e-13, atol=1e-16)
    assert np.array_equal(Tensor(x).std(keepdims=True).data, x.std(keepdims=True))
    assert np.isnan(Tensor([1.0, np.nan]).std().item())
    with pytest.raises(TypeError, match="std: unbiased=True is PyTorch's spelling; .* write ddof=1"):
        Tensor(x).std(0, unbiased=True)
    assert autograd.gradcheck(lambda t: t.std(axis=0, ddof=1), [Tensor(rng.normal(size=(6, 3)), requires_grad=True)])
    # at the constant column std has a kink (|x| in each direction), which gradcheck names, with backward()'s 0
    with pytest.raises(autograd.GradcheckError, match="kink at 6 input entries"):
        autograd.gradcheck(lambda t: t.std(axis=0), [Tensor(x, requires_grad=True)])


def test_np_square_and_np_copy_of_a_tensor_differentiate_as_on_values():
    # reg * np.sum(np.square(W)): refused on a Tensor ("np.square is not a Tensor op"), though np.square of an
    # array of Values works; np.copy was refused too (its hint, t * 1.0, predates t.clone())
    W = np.array([[0.5, -2.0], [1.5, 0.0]])
    Wt = Tensor(W, requires_grad=True)
    loss = 0.1 * np.sum(np.square(Wt)) + np.copy(Wt)[0, 1] * 3.0
    loss.backward()
    assert loss.item() == 0.1 * np.sum(np.square(W)) + W[0, 1] * 3.0
    tight(Wt.grad, 0.1 * 2 * W + np.array([[0.0, 3.0], [0.0, 0.0]]), 1e-15)     # d/dW: 2 reg W, and the copy's 3
    assert np.array_equal(np.square(Tensor(W.astype(np.float32))).data, np.square(W.astype(np.float32)))
    assert np.square(Tensor(W.astype(np.float32))).dtype == np.float32
    copied = np.copy(Wt)
    assert copied.data is not Wt.data and copied.requires_grad and np.array_equal(copied.data, W)


def test_hinge_given_class_labels_names_the_multiclass_svm():
    # losses.hinge(scores, y) with one class label per row said only "give one target per output"
    X, y, W = data()
    with pytest.raises(ValueError, match=r"hinge: the target has shape \(6,\) but the prediction has shape \(6, 4\).*"
                                         r"multiclass SVM; PyTorch's multi_margin_loss.*m\.sum\(\) - N\) / N"):
        losses.hinge(X @ Tensor(W, requires_grad=True), y)
    with pytest.raises(ValueError, match=r"give one target per output, with the same shape \(rows are samples\)$"):
        losses.hinge(X @ W, y[:5])                           # not one label per row: no word of the SVM


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda t: t.std(0, ddof=1), ValueError, "std: 1 entries along axis 0 of a Tensor of shape (1, 3) with ddof=1"),
    (lambda t: t.std(axis=5), ValueError, "std: axis 5 is out of range"),
    (lambda t: t.std(ddof=0.5), TypeError, "std: ddof must be an int"),
    (lambda t: t.var(ddof=0.5), TypeError, "var: ddof must be an int (0 as numpy, 1 for the unbiased variance)"),
])
def test_std_refusals_name_std(call, error, words):
    with pytest.raises(error, match=re.escape(words)):
        call(Tensor(np.ones((1, 3))))


def test_np_var_and_np_std_take_numpy_2s_correction_as_ddof():
    # numpy 2 names ddof correction= too (the Array API's name); np.std(t, correction=1) was refused with "use the
    # Tensor method instead", whose own keyword is ddof (the review)
    x = np.array([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]])
    for name in ("var", "std"):
        xt = Tensor(x, requires_grad=True)
        out = getattr(np, name)(xt, axis=1, correction=1)
        assert np.array_equal(out.data, getattr(np, name)(x, axis=1, correction=1))
        assert np.array_equal(out.data, getattr(xt, name)(axis=1, ddof=1).data)
        with pytest.raises(TypeError, match=rf"np.{name}: ddof=1 and correction=1 name the same number"):
            getattr(np, name)(xt, ddof=1, correction=1)
