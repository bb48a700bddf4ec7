"""Hostile inputs to the optimizers and to autograd.functional: each test failed before its fix, and its expected
numbers come from torch.optim / torch.autograd.functional (float64, skipped where torch is missing), from formulas
by hand, or from the refusal PyTorch itself gives; never from the code under test."""

from __future__ import annotations

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
