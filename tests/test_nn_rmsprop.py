"""nn.RMSprop and Adam's weight_decay: the recurrences by hand on Values, torch.optim's steps on Tensors, and the
optimizers' shared promises (skips, all or nothing, refusals by name, the parameter's dtype kept)."""

import math

import numpy as np
import pytest
from test_nn_optim import _square_steps  # minimise w^2 for a Value w, w after each step

from autograd import Tensor, Value
from nn import MLP, Adam, RMSprop

try:
    import torch
except ImportError:  # optional: the hand-computed checks below run without it
    torch = None


def _by_hand(p, steps, lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    """PyTorch's RMSprop recurrence, written out for minimising p^2."""
    v = a = b = 0.0
    out = []
    for _ in range(steps):
        g = 2.0 * p + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        if centered:
            a = alpha * a + (1 - alpha) * g
        denominator = math.sqrt(v - a * a) + eps
        if momentum:
            b = momentum * b + g / denominator
            p -= lr * b
        else:
            p -= lr * g / denominator
        out.append(p)
    return out


def _against_torch(ours, theirs, seed: int, steps: int) -> None:
    """Both optimizers minimise |A w - t|^2 / 6 from the same w, step by step: the weights agree after each step."""
    rng = np.random.default_rng(seed)
    A, t, w0 = rng.normal(size=(6, 3)), rng.normal(size=6), rng.normal(size=3)
    w, tw = Tensor(w0.copy(), requires_grad=True), torch.tensor(w0.copy(), requires_grad=True)
    mine, other = ours([w]), theirs([tw])
    At, tt = torch.tensor(A), torch.tensor(t)
    for _ in range(steps):
        mine.zero_grad()
        (((A @ w - t) ** 2).sum() / 6).backward()
        mine.step()
        other.zero_grad()
        (((At @ tw - tt) ** 2).sum() / 6).backward()
        other.step()
        np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=1e-13, atol=1e-15)


OPTIONS = [{}, {"momentum": 0.9}, {"centered": True}, {"weight_decay": 0.1, "alpha": 0.9},
           {"centered": True, "momentum": 0.5, "weight_decay": 0.2, "eps": 1e-3}]


@pytest.mark.parametrize("options", OPTIONS, ids=[",".join(o) or "defaults" for o in OPTIONS])
def test_rmsprop_on_a_value_is_the_recurrence_by_hand(options):
    w = Value(1.5)
    got = _square_steps(RMSprop([w], lr=0.01, **options), w, 6)
    assert got == pytest.approx(_by_hand(1.5, 6, 0.01, **options), rel=1e-14, abs=1e-16)


def test_rmsprops_first_step_is_ten_learning_rates_whatever_the_gradient():
    # v = (1 - 0.99) g^2, so sqrt(v) = 0.1 |g|: the first step is lr g / (0.1 |g|) = 10 lr, for g = 2 or 2e6
    for start in (1.0, 1e6):
        w = Value(start)
        (step,) = _square_steps(RMSprop([w], lr=0.01), w, 1)
        assert start - step == pytest.approx(0.1, rel=1e-6)


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
@pytest.mark.parametrize("options", OPTIONS, ids=[",".join(o) or "defaults" for o in OPTIONS])
def test_rmsprop_on_tensors_takes_torch_optims_steps(options):
    _against_torch(lambda p: RMSprop(p, lr=0.02, **options), lambda p: torch.optim.RMSprop(p, lr=0.02, **options),
                   seed=3, steps=10)


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
def test_adam_weight_decay_takes_torch_optims_steps_and_adds_decay_times_p():
    _against_torch(lambda p: Adam(p, lr=0.05, weight_decay=0.3),
                   lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.3), seed=4, steps=8)


def test_adam_weight_decay_by_hand_on_a_value():
    # g = 2 w + 0.5 w = 2.5 at w = 1: m_hat = g, v_hat = g^2, so w = 1 - 0.1 * 2.5 / (2.5 + 1e-8)
    w = Value(1.0)
    (got,) = _square_steps(Adam([w], lr=0.1, weight_decay=0.5), w, 1)
    assert got == pytest.approx(1 - 0.1 * 2.5 / (2.5 + 1e-8), rel=1e-15)
    # the decay changes the later steps, where m_hat is no longer g's sign alone
    plain, decayed = Value(1.0), Value(1.0)
    a = _square_steps(Adam([plain], lr=0.1), plain, 5)
    b = _square_steps(Adam([decayed], lr=0.1, weight_decay=0.5), decayed, 5)
    assert a[-1] != b[-1]


def test_values_and_tensors_take_the_same_rmsprop_steps():
    ws = [Value(1.0), Value(-2.0), Value(0.5)]
    W = Tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True)
    opt_v, opt_t = RMSprop(ws, lr=0.05, momentum=0.3, centered=True), RMSprop([W], lr=0.05, momentum=0.3,
                                                                              centered=True)
    for _ in range(4):
        opt_v.zero_grad()
        sum(w * w * w for w in ws).backward()
        opt_v.step()
        opt_t.zero_grad()
        (W * W * W).sum().backward()
        opt_t.step()
    np.testing.assert_allclose([w.data for w in ws], W.data, rtol=1e-15)


def test_rmsprop_keeps_float32_and_skips_a_parameter_without_a_gradient():
    model = MLP([2, 3, 1], dtype=np.float32)
    unused = Tensor(np.ones(2, np.float32), requires_grad=True)
    opt = RMSprop(model.parameters() + [unused], lr=0.01, momentum=0.9, centered=True)
    for _ in range(2):
        opt.zero_grad()
        (model(np.ones((4, 2), np.float32)) ** 2).mean().backward()
        opt.step()
    assert all(p.data.dtype == np.float32 for p in model.parameters())
    np.testing.assert_array_equal(unused.data, np.ones(2, np.float32))
    assert opt._square[-1] == 0.0          # no running mean for a parameter that never had a gradient


def test_a_bad_gradient_leaves_every_parameter_and_running_mean_as_it_was():
    a, b = Tensor(np.ones(3), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    opt = RMSprop([a, b], lr=0.1, momentum=0.9, centered=True)
    (a * a).sum().backward()
    (b * b).sum().backward()
    opt.step()
    kept = [a.data.copy(), b.data.copy(), [x.copy() for x in opt._square], [x.copy() for x in opt._buffer]]
    (a * a).sum().backward()
    b.grad = np.ones(5)                    # assigned by hand, of another shape
    with pytest.raises(ValueError, match=r"RMSprop: parameter 1 has shape \(2,\) but its .grad has shape \(5,\)"):
        opt.step()
    np.testing.assert_array_equal(a.data, kept[0])
    np.testing.assert_array_equal(b.data, kept[1])
    for before, after in zip(kept[2] + kept[3], opt._square + opt._buffer):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("options, message", [
    ({"alpha": 1.0}, "RMSprop: alpha"), ({"eps": 0.0}, "RMSprop: eps"), ({"momentum": 1.0}, "RMSprop: momentum"),
    ({"weight_decay": -1.0}, "RMSprop: weight_decay"), ({"centered": "yes"}, "RMSprop: centered"),
    ({"lr": 0.0}, "RMSprop: the learning rate"),
])
def test_rmsprop_refuses_bad_settings_by_name(options, message):
    with pytest.raises((ValueError, TypeError), match=message):
        RMSprop([Value(1.0)], **options)


def test_adam_refuses_a_negative_weight_decay():
    with pytest.raises(ValueError, match="Adam: weight_decay"):
        Adam([Value(1.0)], weight_decay=-0.1)


def test_a_value_the_loss_does_not_reach_moves_on_its_running_state_a_tensor_does_not():
    """docs/pytorch.md: a Value's grad is 0.0 after zero_grad(), so Adam's momentum moves it; a Tensor's is None."""
    a, b = Value(1.0), Value(1.0)
    ta, tb = Tensor(1.0, requires_grad=True), Tensor(1.0, requires_grad=True)
    values, tensors = Adam([a, b], lr=0.1), Adam([ta, tb], lr=0.1)
    for opt, (p, q) in ((values, (a, b)), (tensors, (ta, tb))):
        opt.zero_grad()
        (p * q).backward()
        opt.step()
        opt.zero_grad()
        (p * p).backward()                  # q unreached
        opt.step()
    assert b.grad == 0.0 and tb.grad is None
    # step 1 moved both by lr (m_hat / sqrt(v_hat) = 1); step 2: b by 0.1 m_hat / sqrt(v_hat) with g = 0
    m, v = 0.9 * 0.1, 0.999 * 0.001          # m, v after step 1 (g = 1), decayed by step 2's zero gradient
    second = 0.1 * (m / (1 - 0.9 ** 2)) / (math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8)
    first = 1.0 - 0.1 * 1.0 / (1.0 + 1e-8)  # lr m_hat / (sqrt(v_hat) + eps) with m_hat = 1, v_hat = 1
    assert b.data == pytest.approx(first - second, rel=1e-12)
    assert float(tb.data) == pytest.approx(first, rel=1e-12)
