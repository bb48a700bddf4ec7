"""Hostile inputs to the optimizers and to autograd.functional: each test failed before its fix, and its expected
numbers come from torch.optim / torch.autograd.functional (float64, skipped where torch is missing), from formulas
by hand, or from the refusal PyTorch itself gives; never from the code under test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Tensor
from nn import LBFGS, SGD, Adam

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")


# --- parameters ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps), lambda ps: LBFGS(ps)])
def test_a_computed_tensor_is_refused_as_a_parameter_as_pytorch_refuses_it(make):
    # w * 2 requires grad but is not a leaf: a step could never move it (its numbers are recomputed from w), so
    # the optimizer trained nothing, silently; torch.optim says "can't optimize a non-leaf Tensor"
    w = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"parameter 1 is computed from other Tensors \(not a leaf\).*w.detach\(\)"):
        make([Tensor([0.0], requires_grad=True), w * 2.0])


def _frozen_for_one_step(opt, p):
    """Minimise sum p^2; at the second step p is frozen (requires_grad_(False)) with a stale gradient 1 left in
    .grad (no zero_grad() that step), then unfrozen for the third. Returns p after each step."""
    out = []
    for step in range(3):
        if step == 1:
            p.requires_grad_(False)
            p.grad = np.ones(1)
        else:
            p.requires_grad_(True)
            opt.zero_grad()
            (p * p).sum().backward()
        opt.step()
        out.append(float(p.data[0]))
    return out


def test_sgd_leaves_a_frozen_parameters_velocity_alone_as_its_value():
    # By hand (lr 0.1, momentum 0.9, g = 2p): v1 = 2, p1 = 0.8; step 2 frozen: nothing changes; step 3: g = 1.6,
    # v = 0.9 * 2 + 1.6 = 3.4, p3 = 0.8 - 0.34 = 0.46. The velocity took the stale gradient in (v = 2.8), so
    # p3 was 0.388 although the step said the parameter was left alone.
    p = Tensor([1.0], requires_grad=True)
    got = _frozen_for_one_step(SGD([p], lr=0.1, momentum=0.9), p)
    assert got == [pytest.approx(0.8, abs=1e-15), pytest.approx(0.8, abs=1e-15), pytest.approx(0.46, abs=1e-15)]


def test_adam_leaves_a_frozen_parameters_moments_and_step_count_alone():
    # step 1: g = 2, m = 0.2, v = 0.004, p1 = 1 - 0.1 * 2 / (2 + eps); step 2 frozen: nothing; step 3 is the
    # parameter's second step (t = 2): g = 2 p1, m = 0.9 * 0.2 + 0.1 g, v = 0.999 * 0.004 + 0.001 g^2
    p = Tensor([1.0], requires_grad=True)
    got = _frozen_for_one_step(Adam([p], lr=0.1), p)
    p1 = 1.0 - 0.1 * 2.0 / (2.0 + 1e-8)
    g = 2.0 * p1
    m, v = 0.9 * 0.2 + 0.1 * g, 0.999 * 0.004 + 0.001 * g * g
    p3 = p1 - 0.1 * (m / (1 - 0.9**2)) / (math.sqrt(v / (1 - 0.999**2)) + 1e-8)
    assert got == [pytest.approx(p1, abs=1e-15), pytest.approx(p1, abs=1e-15), pytest.approx(p3, abs=1e-15)]
