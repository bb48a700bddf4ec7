"""linear() with operands of different dtypes (the core audit): its result has the dtype of ``x @ W.T + b``, the
numpy rule for two Tensors (float64 if either is), and its numbers and gradients are the composite's. A float64
bias was added in place into the float32 product: rounded to float32, and the result stayed float32."""

import itertools

import numpy as np
import pytest

from autograd import Tensor, linear

DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dx,dW,db", list(itertools.product(DTYPES, DTYPES, DTYPES)))
@pytest.mark.parametrize("activation", [None, "relu", "tanh"])
def test_linear_takes_the_dtype_and_numbers_of_the_composite(dx, dW, db, activation):
    rng = np.random.default_rng(7)
    X, W0, b0, G = rng.normal(size=(4, 3)), rng.normal(size=(2, 3)), rng.normal(size=2) + 1e-9, rng.normal(size=(4, 2))
    x1, W1, b1 = (Tensor(a, dtype=d, requires_grad=True) for a, d in ((X, dx), (W0, dW), (b0, db)))
    x2, W2, b2 = (Tensor(a, dtype=d, requires_grad=True) for a, d in ((X, dx), (W0, dW), (b0, db)))
    y1 = linear(x1, W1, b1, activation=activation)
    z2 = x2 @ W2.T + b2
    y2 = z2 if activation is None else getattr(z2, activation)()
    assert y1.dtype == np.result_type(dx, dW, db) == y2.dtype
    tol = 1e-6 if np.float32 in (dx, dW, db) else 1e-13
    np.testing.assert_allclose(y1.data, y2.data, rtol=tol, atol=tol)
    (y1 * G).sum().backward()
    (y2 * G).sum().backward()
    for t1, t2 in ((x1, x2), (W1, W2), (b1, b2)):
        assert t1.grad.dtype == t1.dtype == t2.grad.dtype
        np.testing.assert_allclose(t1.grad, t2.grad, rtol=tol, atol=tol)


def test_a_float64_bias_keeps_its_digits_in_a_float32_layer():
    # x W^T = 0 exactly, so y = b: a float64 bias of 0.1 must come back as float64 0.1, not float32's 0.10000000149
    x = Tensor(np.zeros((1, 2)), dtype=np.float32)
    W = Tensor(np.ones((1, 2)), dtype=np.float32, requires_grad=True)
    b = Tensor([0.1], requires_grad=True)
    y = linear(x, W, b)
    assert y.dtype == np.float64 and float(y.data[0, 0]) == 0.1   # float(): numpy 2 compares a float32 in float32


def test_fused_ops_name_int_data():
    # a .data replaced by ints: softmax_cross_entropy failed with numpy's bare "Cannot cast ufunc 'exp' output",
    # linear blamed "the input" (a float array) for W's int64
    from autograd import softmax_cross_entropy

    z = Tensor([[1.0, 2.0]], requires_grad=True)
    z.data = np.array([[1, 2]])
    with pytest.raises(TypeError, match=r"softmax_cross_entropy: the logits Tensor holds int64.*astype"):
        softmax_cross_entropy(z, [0])
    W = Tensor([[1.0, 2.0]], requires_grad=True)
    W.data = np.array([[1, 2]])
    with pytest.raises(TypeError, match=r"linear: W holds int64.*astype"):
        linear(np.array([[0.5, 0.5]]), W)
