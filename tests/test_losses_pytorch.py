"""Issue 15: a loss with a PyTorch name computes PyTorch's number (reduction='mean' over every entry, also 'sum' and
'none'); the lectures' cost, summed over the K outputs and averaged over the N samples, is reduction='lectures'."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, gradcheck
from nn import MLP, losses

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")
rng = np.random.default_rng(150)
Z = rng.normal(0.0, 3.0, (6, 4))
A = 1 / (1 + np.exp(-Z))
Y = rng.uniform(0.0, 1.0, (6, 4))
C = -(Y * np.log(A) + (1 - Y) * np.log(1 - A))                 # the cost of each entry, by hand


@pytest.mark.parametrize("reduction, expected", [
    ("mean", C.mean()), ("sum", C.sum()), ("lectures", C.sum() / 6), ("none", C)])
def test_the_reductions_against_numpy(reduction, expected):
    for out in (losses.binary_cross_entropy(A, Y, reduction=reduction),
                losses.binary_cross_entropy_with_logits(Z, Y, reduction=reduction),
                losses.binary_cross_entropy(Tensor(Z).sigmoid(), Y, reduction=reduction).data):
        np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_the_default_is_the_mean_and_the_lectures_cost_is_k_times_it():
    mean = losses.binary_cross_entropy_with_logits(Z, Y)
    assert mean == pytest.approx(C.mean(), rel=1e-13)
    assert losses.binary_cross_entropy_with_logits(Z, Y, reduction="lectures") == pytest.approx(4 * mean, rel=1e-13)
    one = losses.binary_cross_entropy(A[:, :1], Y[:, :1])               # one output: the two agree
    assert one == pytest.approx(losses.binary_cross_entropy(A[:, :1], Y[:, :1], reduction="lectures"), rel=1e-15)


def test_gradients_of_every_reduction_match_central_differences():
    z = Tensor(Z, requires_grad=True)
    for reduction in ("mean", "sum", "lectures"):
        assert gradcheck(lambda t, r=reduction: losses.binary_cross_entropy_with_logits(t, Y, reduction=r), [z])
        assert gradcheck(lambda t, r=reduction: losses.binary_cross_entropy(t.sigmoid(), Y, reduction=r), [z])
    assert gradcheck(lambda t: (losses.binary_cross_entropy_with_logits(t, Y, reduction="none") * Y).sum(), [z])


def test_an_unknown_reduction_is_refused_by_name():
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', 'none', 'lectures'"):
        losses.binary_cross_entropy(A, Y, reduction="average")


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_values_and_gradients_match_pytorch(reduction):
    zt = torch.tensor(Z, requires_grad=True)
    yt = torch.tensor(Y)
    expected = F.binary_cross_entropy_with_logits(zt, yt, reduction=reduction)
    z = Tensor(Z, requires_grad=True)
    got = losses.binary_cross_entropy_with_logits(z, Y, reduction=reduction)
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-13)
    w = rng.normal(size=got.shape)
    (got * w).sum().backward()
    (expected * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(z.grad, zt.grad.numpy(), rtol=1e-12)
    at = torch.tensor(A, requires_grad=True)
    prob = F.binary_cross_entropy(at, yt, reduction=reduction)
    a = Tensor(A, requires_grad=True)
    ours = losses.binary_cross_entropy(a, Y, reduction=reduction)
    np.testing.assert_allclose(ours.data, prob.detach().numpy(), rtol=1e-12)
    (ours * w).sum().backward()
    (prob * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(a.grad, at.grad.numpy(), rtol=1e-10)


@needs_torch
def test_an_mlp_with_a_sigmoid_output_gives_pytorchs_loss_after_to_torch():
    model = MLP([3, 5, 4], activation="tanh", output_activation="sigmoid", seed=0)
    X = rng.normal(size=(6, 3))
    net = model.to_torch()
    expected = F.binary_cross_entropy(net(torch.from_numpy(X)), torch.tensor(Y)).item()
    assert losses.binary_cross_entropy(model(X), Y).item() == pytest.approx(expected, rel=1e-12)
