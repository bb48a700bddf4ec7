"""nn.optim: SGD (momentum, weight decay) and Adam step by step against hand computations, on Values and Tensors."""

import math

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import MLP, SGD, Adam, scalar


def _square_steps(opt, w, steps):
    """Minimise w^2 (gradient 2w) for a Value w, returning w after each step."""
    out = []
    for _ in range(steps):
        opt.zero_grad()
        (w * w).backward()
        opt.step()
        out.append(w.data)
    return out


def test_sgd_is_p_minus_lr_times_grad():
    w = Value(1.0)
    assert _square_steps(SGD([w], lr=0.1), w, 2) == [pytest.approx(0.8, abs=1e-15), pytest.approx(0.64, abs=1e-15)]


def test_sgd_momentum_two_steps_by_hand():
    # g1 = 2 * 1 = 2:       v1 = 2,               w1 = 1 - 0.1 * 2 = 0.8
    # g2 = 2 * 0.8 = 1.6:   v2 = 0.9 * 2 + 1.6,   w2 = 0.8 - 0.1 * 3.4 = 0.46
    w = Value(1.0)
    assert _square_steps(SGD([w], lr=0.1, momentum=0.9), w, 2) == [pytest.approx(0.8, abs=1e-15),
                                                                     pytest.approx(0.46, abs=1e-15)]


def test_sgd_momentum_is_the_lectures_heavy_ball():
    # v <- mu v - eta g, p <- p + v: the same iterates as PyTorch's form for a fixed learning rate.
    w, p, v = Value(1.5), 1.5, 0.0
    opt = SGD([w], lr=0.05, momentum=0.8)
    for got in _square_steps(opt, w, 6):
        v = 0.8 * v - 0.05 * (2 * p)
        p = p + v
        assert got == pytest.approx(p, rel=1e-13)


def test_sgd_weight_decay_adds_decay_times_p_to_the_gradient():
    w = Value(1.0)
    assert _square_steps(SGD([w], lr=0.1, weight_decay=0.5), w, 1) == [pytest.approx(1 - 0.1 * (2 + 0.5))]


def test_adam_two_steps_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    w = Value(1.0)
    got = _square_steps(Adam([w], lr=lr, betas=(b1, b2), eps=eps), w, 2)
    # step 1: g = 2, m = 0.2, v = 0.004, m_hat = 2, v_hat = 4, w = 1 - 0.1 * 2 / (2 + 1e-8)
    w1 = 1.0 - 0.1 * 2.0 / (2.0 + 1e-8)
    assert got[0] == pytest.approx(w1, rel=1e-15)
    # step 2: g = 2 w1, m = 0.9 * 0.2 + 0.1 g, v = 0.999 * 0.004 + 0.001 g^2, bias corrections 1 - 0.9^2, 1 - 0.999^2
    g = 2.0 * w1
    m = 0.9 * 0.2 + 0.1 * g
    v = 0.999 * 0.004 + 0.001 * g * g
    w2 = w1 - lr * (m / (1 - 0.81)) / (math.sqrt(v / (1 - 0.998001)) + eps)
    assert got[1] == pytest.approx(w2, rel=1e-14)


def test_adam_on_a_tensor_matches_adam_on_each_entry_as_a_value():
    start = np.array([[0.5, -2.0], [3.0, 0.1]])
    c = np.array([[1.0, 2.0], [0.5, 4.0]])
    W = Tensor(start, requires_grad=True)
    ws = [Value(float(x)) for x in start.ravel()]
    opt_t, opt_v = Adam([W], lr=0.05), Adam(ws, lr=0.05)
    for _ in range(5):
        opt_t.zero_grad()
        (W * W * c).sum().backward()                     # f = sum c_ij w_ij^2
        opt_t.step()
        opt_v.zero_grad()
        sum(w * w * float(ci) for w, ci in zip(ws, c.ravel())).backward()
        opt_v.step()
    np.testing.assert_allclose(W.data.ravel(), [w.data for w in ws], rtol=1e-14)


def test_sgd_momentum_on_a_tensor_matches_the_value_path():
    W = Tensor(np.array([1.0, -1.0]), requires_grad=True)
    ws = [Value(1.0), Value(-1.0)]
    opt_t = SGD([W], lr=0.1, momentum=0.5, weight_decay=0.01)
    opt_v = SGD(ws, lr=0.1, momentum=0.5, weight_decay=0.01)
    for _ in range(4):
        opt_t.zero_grad()
        (W * W * W).sum().backward()
        opt_t.step()
        opt_v.zero_grad()
        (ws[0] ** 3 + ws[1] ** 3).backward()
        opt_v.step()
    np.testing.assert_allclose(W.data, [w.data for w in ws], rtol=1e-14)


def test_a_tensor_without_a_gradient_is_left_alone():
    used, unused = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    for opt in (SGD([used, unused], lr=0.1, momentum=0.9), Adam([used, unused], lr=0.1)):
        opt.zero_grad()
        (used * used).sum().backward()
        opt.step()
        assert np.array_equal(unused.data, np.ones(2))


def test_optimizers_take_a_module_or_its_parameters():
    model = scalar.MLP(2, [2, 1], seed=0)
    assert SGD(model, lr=0.1).params == model.parameters()
    assert len(Adam(MLP([2, 3]).parameters()).params) == 2


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan")])
def test_a_non_positive_learning_rate_is_rejected(lr):
    for make in (lambda: SGD([Value(1.0)], lr=lr), lambda: Adam([Value(1.0)], lr=lr)):
        with pytest.raises(ValueError, match="learning rate must be positive"):
            make()
    opt = SGD([Value(1.0)], lr=0.1)
    with pytest.raises(ValueError, match="learning rate must be positive"):
        opt.lr = lr


def test_bad_hyperparameters_are_rejected():
    with pytest.raises(ValueError, match="momentum"):
        SGD([Value(1.0)], lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match="betas"):
        Adam([Value(1.0)], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="no parameters"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="requires_grad=True"):
        SGD([Tensor(np.ones(2))], lr=0.1)


def test_adam_corrects_each_parameter_by_the_number_of_steps_it_took():
    # A Tensor left out of the first backward() keeps m = v = 0; its first real step must still be the first
    # step of the algorithm, m_hat = g and v_hat = g^2, so it moves by lr * g / (|g| + eps) (as PyTorch's Adam).
    a, b = Tensor(np.array([1.0]), requires_grad=True), Tensor(np.array([3.0]), requires_grad=True)
    opt = Adam([a, b], lr=0.1, eps=1e-8)
    opt.zero_grad()
    (a * a).sum().backward()                             # step 1: only a has a gradient
    opt.step()
    opt.zero_grad()
    (b * b).sum().backward()                             # step 2: only b; g = 6
    opt.step()
    assert b.data[0] == pytest.approx(3.0 - 0.1 * 6.0 / (6.0 + 1e-8), rel=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sgd_on_tensors_is_w_minus_lr_times_grad_bit_for_bit_step_after_step(dtype):
    # lr * grad is computed into a buffer kept between steps: the numbers must be those of w - lr * grad
    rng = np.random.default_rng(0)
    w = Tensor(rng.normal(size=(3, 4)).astype(dtype), requires_grad=True)
    opt = SGD([w], lr=0.3)
    for _ in range(3):
        before = w.data.copy()
        opt.zero_grad()
        (w * w * w).sum().backward()
        grad = w.grad.copy()
        opt.step()
        np.testing.assert_array_equal(w.data, before - 0.3 * grad)
        np.testing.assert_array_equal(w.grad, grad)                   # the gradient itself is left as it was
        assert w.data.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.0, 0.01), (0.8, 0.05)])
def test_sgd_on_an_mlp_is_the_formula_applied_by_hand_bit_for_bit(dtype, momentum, weight_decay):
    # The reference: PyTorch's rule written out with numpy on copies, parameter by parameter. Among the
    # parameters, one never gets a gradient and one is frozen (requires_grad_(False)) after the first step with
    # its old gradient still set: neither moves (and the frozen one keeps its velocity out of the numbers).
    rng = np.random.default_rng(4)
    model = MLP([3, 4, 2], activation="tanh", dtype=dtype, seed=1)
    unused, frozen = (Tensor(rng.normal(size=3).astype(dtype), requires_grad=True) for _ in range(2))
    params = model.parameters() + [unused, frozen]
    opt = SGD(params, lr=0.1, momentum=momentum, weight_decay=weight_decay)
    by_hand = [p.data.copy() for p in params]
    velocity = [None] * len(params)
    X = rng.normal(size=(5, 3)).astype(dtype)
    for step in range(4):
        opt.zero_grad()
        loss = (model(X) ** 2).sum() + ((frozen * frozen).sum() if step == 0 else 0.0)
        loss.backward()
        if step == 1:
            frozen.requires_grad_(False)
            frozen.grad = np.ones(3, dtype)            # a stale gradient: a frozen parameter stays as it is
        grads = [None if p.grad is None else np.array(p.grad) for p in params]
        opt.step()
        for i, (p, g) in enumerate(zip(params, grads)):
            if g is None or p is frozen and step >= 1:
                continue
            if weight_decay:
                g = g + weight_decay * by_hand[i]
            if momentum:
                g = velocity[i] = g if velocity[i] is None else momentum * velocity[i] + g
            by_hand[i] -= 0.1 * g
            np.testing.assert_array_equal(p.data, by_hand[i])
            assert p.data.dtype == dtype
    np.testing.assert_array_equal(unused.data, by_hand[-2])
    np.testing.assert_array_equal(frozen.data, by_hand[-1])


def test_sgd_moves_by_the_numbers_of_a_gradient_that_is_a_graph_itself():
    # backward(create_graph=True) leaves Tensors and Values in .grad: the step takes their numbers and records
    # nothing; a Value's data stays a float
    w, t = Value(1.5), Tensor([1.5, -2.0], requires_grad=True)
    (w * w * w).backward(create_graph=True)
    (t * t * t).sum().backward(create_graph=True)
    assert isinstance(w.grad, Value) and isinstance(t.grad, Tensor)
    SGD([w], lr=0.1, weight_decay=0.5).step()
    SGD([t], lr=0.1, momentum=0.9).step()
    assert type(w.data) is float and w.data == 1.5 - 0.1 * (3 * 1.5**2 + 0.5 * 1.5)
    np.testing.assert_array_equal(t.data, np.array([1.5, -2.0]) - 0.1 * (3 * np.array([1.5, -2.0]) ** 2))
    assert t.is_leaf and t.requires_grad


def test_adam_moves_by_the_numbers_of_a_gradient_that_is_a_graph_itself():
    # as SGD: the moments hold numbers (arrays, floats), never Tensors or Values, and the step is the same as after
    # a plain backward(): m = (1 - b1) g, v = (1 - b2) g^2, so the first step is lr g / (|g| + eps) per entry
    w, t = Value(1.5), Tensor([1.5, -2.0], requires_grad=True)
    (w * w * w).backward(create_graph=True)
    (t * t * t).sum().backward(create_graph=True)
    adam_w, adam_t = Adam([w], lr=0.1), Adam([t], lr=0.1)
    adam_w.step()
    adam_t.step()
    assert type(adam_w._m[0]) is float and type(adam_t._m[0]) is np.ndarray and type(adam_t._v[0]) is np.ndarray
    g = 3 * 1.5**2
    assert type(w.data) is float and abs(w.data - (1.5 - 0.1 * g / (g + 1e-8))) < 1e-15
    G = 3 * np.array([1.5, -2.0]) ** 2
    np.testing.assert_allclose(t.data, np.array([1.5, -2.0]) - 0.1 * G / (G + 1e-8), rtol=0, atol=1e-15)


def test_sgd_moves_a_parameter_of_the_users_own_kind_with_its_own_minus_equals():
    class Param:                                   # a node nn does not know: numbers, a gradient, zero_grad, -=
        def __init__(self, data):
            self.data, self.grad = np.array(data), None

        def zero_grad(self):
            self.grad = None

        def __isub__(self, delta):
            self.data = self.data - delta
            return self

    p = Param([1.0, -2.0])
    p.grad = np.array([0.5, 0.25])
    SGD([p], lr=0.1).step()
    assert p.data.tolist() == [1.0 - 0.1 * 0.5, -2.0 - 0.1 * 0.25]
