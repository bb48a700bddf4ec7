"""Mutation testing of the Tensor engine's vector-Jacobian products: each test fails on a deliberate mistake in
autograd/tensor/ (named in the test's comment) that the rest of the suite let pass. Expected numbers are worked
out by hand from the formulas."""

import numpy as np
import pytest

from autograd import Tensor, linear


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_the_fused_relu_passes_the_gradient_through_a_nan_as_the_unfused_relu_and_pytorch_do():
    # mutant: linear's relu slope y > 0 instead of y != 0. relu(NaN) = NaN, and its slope there is the table's
    # step(NaN) = 1 (PyTorch's threshold_backward passes g where not x <= 0): z = [NaN, -1] gives
    # dL/dz = [1, 0], so b.grad = [1, 0]. With y > 0 the NaN entry's slope was 0 and b.grad read [0, 0].
    # The NaN is a weight's (W[0, 0]), so that only z_0 is NaN: x @ W.T with a NaN in x reaches every z.
    x = np.array([[1.0, 1.0]])
    grads = []
    for fused in (True, False):
        W = Tensor([[np.nan, 0.0], [0.0, 1.0]], requires_grad=True)
        b = Tensor([0.0, -2.0], requires_grad=True)
        y = linear(x, W, b, activation="relu") if fused else (Tensor(x) @ W.T + b).relu()
        y.sum().backward()
        grads.append((b.grad.copy(), W.grad.copy()))
    for b_grad, W_grad in grads:
        assert b_grad.tolist() == [1.0, 0.0]
        # dL/dW = dL/dz^T x: row 0 is 1 * [1, 1], row 1 is 0 * [1, 1]
        assert W_grad.tolist() == [[1.0, 1.0], [0.0, 0.0]]
