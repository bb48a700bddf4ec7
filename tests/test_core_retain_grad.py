"""retain_grad() (the core audit): on a Tensor that does not require grad it was accepted, and .grad stayed None
after backward() without a word; PyTorch refuses it. On a result in the graph it keeps the latest call's gradient."""

import numpy as np
import pytest

from autograd import Tensor, no_grad


def test_retain_grad_on_a_tensor_outside_the_graph_is_refused():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        h = x * 3.0
    for t in (h, Tensor([1.0, 2.0])):
        with pytest.raises(RuntimeError, match=r"retain_grad\(\): this Tensor does not require grad"):
            t.retain_grad()


def test_retain_grad_keeps_the_latest_gradient_of_a_result():
    # L = sum(h^2), h = 3 x: dL/dh = 2 h = 6 x, by hand; a second call gives the same (the latest call's)
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = (x * 3.0).retain_grad()
    L = (h * h).sum()
    L.backward()
    L.backward()
    np.testing.assert_array_equal(h.grad, [6.0, 12.0])
    np.testing.assert_array_equal(x.grad, [36.0, 72.0])         # 2 calls of dL/dx = 18 x
