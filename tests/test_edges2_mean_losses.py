"""The losses that average (mse, quadratic, cross_entropy, binary_cross_entropy, hinge) where the sum of their terms
leaves the float range but the average does not: mse of differences 1.3e154 summed two squares of 1.69e308 to inf
and divided that, where the mean is 1.69e308 (Tensor.mean is right there: docs/pytorch.md). Tensors and float
arrays; the expected numbers are the squares (or terms) themselves, computed in floats, since every term is equal."""

import numpy as np
import pytest

from autograd import Tensor
from nn import losses

pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")


@pytest.mark.parametrize("dtype, d", [(np.float64, 1.3e154), (np.float32, 1.5e19)])
def test_mse_and_quadratic_are_the_mean_square_where_the_sum_of_squares_overflows(dtype, d):
    square = float(dtype(d) * dtype(d))                   # each term; their sum is beyond the dtype's range
    assert np.isfinite(square) and not np.isfinite(dtype(square) + dtype(square))
    P = np.full((2, 2), d, dtype=dtype)
    Y = np.zeros((2, 2))
    for loss, scale in ((losses.mse, 1.0), (losses.quadratic, 1.0)):   # quadratic: 4 squares / (2 * 2 samples)
        x = Tensor(P, requires_grad=True)
        L = loss(x, Y)
        L.backward()
        assert L.data.dtype == dtype
        assert float(L.data) == pytest.approx(square * scale, rel=1e-6 if dtype == np.float32 else 1e-15)
        grad = 2 * d / 4 if loss is losses.mse else d / 2          # 2 d / (N K), and d / N
        np.testing.assert_allclose(x.grad, np.full((2, 2), grad), rtol=1e-6 if dtype == np.float32 else 1e-15)
        if dtype == np.float64:
            assert loss(P, Y) == pytest.approx(square * scale, rel=1e-15)


def test_hinge_averages_huge_terms_too():
    s = np.array([[-1e308], [-1e308]])                     # hinge: max(0, 1 - y s) = 1e308 for each sample
    x = Tensor(s, requires_grad=True)
    L = losses.hinge(x, np.array([[1.0], [1.0]]))
    L.backward()
    assert L.item() == pytest.approx(1e308, rel=1e-15)
    np.testing.assert_array_equal(x.grad, [[-0.5], [-0.5]])


@pytest.mark.parametrize("dtype, big", [(np.float64, 1e308), (np.float32, 3e38)])
@pytest.mark.parametrize("one_hot", [False, True])
def test_cross_entropy_averages_huge_terms_too(dtype, big, one_hot):
    z = np.array([[-big, 0.0], [-big, 0.0]], dtype=dtype)  # -log softmax(z)_0 = big for each sample (e^-big = 0)
    target = np.array([[1.0, 0.0], [1.0, 0.0]]) if one_hot else np.array([0, 0])
    x = Tensor(z, requires_grad=True)
    L = losses.cross_entropy(x, target)                    # integer labels: the fused softmax_cross_entropy
    L.backward()
    assert L.data.dtype == dtype
    assert float(L.data) == pytest.approx(float(dtype(big)), rel=1e-6 if dtype == np.float32 else 1e-15)
    np.testing.assert_array_equal(x.grad, [[-0.5, 0.5], [-0.5, 0.5]])   # (softmax - onehot) / N = ((0, 1) - (1, 0)) / 2
    if dtype == np.float64:
        assert losses.cross_entropy(z, target) == pytest.approx(big, rel=1e-15)


def test_an_infinite_or_nan_term_still_gives_inf_or_nan():
    assert losses.mse(np.array([np.inf, 1.0]), np.array([0.0, 0.0])) == np.inf
    assert np.isnan(losses.mse(np.array([np.nan, 1e200]), np.array([0.0, 0.0])))
    assert losses.mse(Tensor(np.array([1e200, 1e200])), np.array([0.0, 0.0])).item() == np.inf   # each square is inf
