"""The averaging losses give their right answer for huge inputs without numpy's "overflow encountered" warning.

Where the sum of the terms overflows but their mean fits, the losses mend the sum into the mean (tests/
test_edges2_mean_losses.py checks the numbers); numpy warned of the overflow on the way, so under -W error (as users
run, and as warnings turn into errors here) the right answer never arrived. The expected numbers are the terms
themselves, each computed in floats by hand, since every term of a case is equal.
"""

import contextlib
import warnings

import numpy as np
import pytest

from autograd import Tensor, softmax_cross_entropy
from nn import losses


def _fused_warns(fused: bool):
    """The fused softmax_cross_entropy keeps numpy's overflow warning before its right answer: an np.errstate in
    its ordinary pass would slow every training step (issue 14 counts each microsecond of it)."""
    return pytest.warns(RuntimeWarning, match="overflow encountered") if fused else contextlib.nullcontext()


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("dtype, d", [(np.float64, 1.3e154), (np.float32, 1.5e19)])
@pytest.mark.parametrize("loss, slope", [(losses.mse, lambda d: 2 * d / 4), (losses.quadratic, lambda d: d / 2)])
def test_mse_and_quadratic_of_huge_differences_are_the_mean_square_without_a_warning(loss, slope, dtype, d):
    square = float(dtype(d) * dtype(d))                     # every term; two of them overflow the dtype
    x = Tensor(np.full((2, 2), d, dtype=dtype), requires_grad=True)
    L = loss(x, np.zeros((2, 2)))                           # quadratic: 4 squares / (2 * 2 samples), also 1 square
    L.backward()
    rel = 1e-6 if dtype == np.float32 else 1e-15
    assert float(L.data) == pytest.approx(square, rel=rel)
    np.testing.assert_allclose(x.grad, np.full((2, 2), slope(d)), rtol=rel)
    if dtype == np.float64:
        assert loss(np.full((2, 2), d), np.zeros((2, 2))) == pytest.approx(square, rel=1e-15)


def test_hinge_of_huge_margins_is_their_mean_without_a_warning():
    s = np.array([[-1e308], [-1e308]])                      # max(0, 1 - s) = 1e308 for each sample
    x = Tensor(s, requires_grad=True)
    L = losses.hinge(x, np.ones((2, 1)))
    L.backward()
    assert L.item() == 1e308
    np.testing.assert_array_equal(x.grad, [[-0.5], [-0.5]])
    assert losses.hinge(s, np.ones((2, 1))) == 1e308


@pytest.mark.parametrize("dtype, big", [(np.float64, 1e308), (np.float32, 3e38)])
def test_cross_entropy_of_rows_each_costing_a_huge_amount_is_their_mean_without_a_warning(dtype, big):
    z = np.array([[big, 0.0], [big, 0.0]], dtype=dtype)    # label 1: -log p_1 = big + log(1 + e^-big) = big
    expected = float(dtype(big))
    for target in (np.array([1, 1]), np.array([[0.0, 1.0], [0.0, 1.0]])):
        x = Tensor(z, requires_grad=True)
        with _fused_warns(target.ndim == 1):               # integer labels on a Tensor: the fused op
            L = losses.cross_entropy(x, target)
        L.backward()
        assert float(L.data) == expected
        np.testing.assert_array_equal(x.grad, [[0.5, -0.5], [0.5, -0.5]])   # (p - y) / N, p = [1, 0]
    x = Tensor(z, requires_grad=True)
    with _fused_warns(True):
        L = softmax_cross_entropy(x, [1, 1])
    L.backward()
    assert float(L.data) == expected
    np.testing.assert_array_equal(x.grad, [[0.5, -0.5], [0.5, -0.5]])
    if dtype == np.float64:
        assert losses.cross_entropy(z, np.array([1, 1])) == expected
