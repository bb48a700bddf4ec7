"""The training step's fast tests skip work only where it is safe: each slow case still gets its check."""

import numpy as np
import pytest

from autograd import Tensor, linear, softmax_cross_entropy
from nn import SGD


def test_linear_and_softmax_cross_entropy_take_big_endian_floats_with_the_numbers_of_native_ones():
    # '>f8' is float64 in the other byte order: holds floats, though it is not the native dtype object
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    labels = np.array([0, 3, 1, 2, 3])
    grads = []
    for order in ("=", ">"):
        Wt = Tensor(W, requires_grad=True)
        Wt.data = W.astype(np.dtype(np.float64).newbyteorder(order))           # a .data replaced by hand
        bt = Tensor(b, requires_grad=True)
        loss = softmax_cross_entropy(linear(x, Wt, bt, activation="tanh") @ np.eye(4), labels)
        loss.backward()
        grads.append((loss.item(), Wt.grad.astype(np.float64), bt.grad.copy()))
    z = np.tanh(x @ W.T + b)
    log_p = z - z.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    assert grads[0][0] == pytest.approx(-log_p[np.arange(5), labels].mean(), rel=1e-14)
    assert grads[1][0] == grads[0][0]
    np.testing.assert_array_equal(grads[1][1], grads[0][1])
    np.testing.assert_array_equal(grads[1][2], grads[0][2])
    losses = []
    for order in ("=", ">"):
        logits = Tensor(z, requires_grad=True)
        logits.data = z.astype(np.dtype(np.float64).newbyteorder(order))
        losses.append(softmax_cross_entropy(logits, labels).item())
    assert losses[1] == losses[0] == pytest.approx(-log_p[np.arange(5), labels].mean(), rel=1e-14)


def test_linear_and_softmax_cross_entropy_still_refuse_a_data_replaced_by_ints():
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    W.data = np.ones((2, 3), dtype=np.int64)
    with pytest.raises(TypeError, match="linear"):
        linear(np.ones((4, 3)), W)
    z = Tensor(np.ones((2, 3)), requires_grad=True)
    z.data = np.ones((2, 3), dtype=np.int64)
    with pytest.raises(TypeError, match="softmax_cross_entropy"):
        softmax_cross_entropy(z, np.array([0, 1]))


def test_sgd_checks_the_shape_of_a_gradient_array_the_engine_made_for_another_parameter():
    # w.grad = v.grad: an engine-made array, of v's shape; the update would broadcast it over w
    w, v = Tensor(np.ones(3), requires_grad=True), Tensor(np.ones((2, 3)), requires_grad=True)
    (v * v).sum().backward()
    w.grad = v.grad
    with pytest.raises(ValueError, match=r"has shape \(3,\) but its \.grad has shape \(2, 3\)"):
        SGD([w], lr=0.1).step()
    assert w.data.tolist() == [1.0, 1.0, 1.0]
