"""logsumexp keeps the digits of the terms beside its largest one: log(1 + r) computed as log of the rounded sum
loses every digit of r below 1e-16 (logsumexp([0, -40]) came out 0), where log1p(r) keeps them, as softplus does
(softplus(x) is logsumexp([0, x])), and as numpy's logaddexp and scipy's logsumexp do. The oracle is mpmath at 400
digits (enough for 1 + e^-700 to keep e^-700's own digits)."""

import mpmath
import numpy as np
import pytest

from autograd import Tensor

pytestmark = pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning",
                                        "ignore:invalid value encountered:RuntimeWarning")


def exact_logsumexp(xs):
    with mpmath.workdps(400):
        return float(mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(x))) for x in xs)))


@pytest.mark.parametrize("xs", [
    [0.0, -40.0],                     # 4.2e-18
    [0.0, -700.0],                    # 9.9e-305
    [-40.0, 0.0, -41.0, -50.0],
    [0.0, -1e-3],                     # log(2 - 1e-3): no loss, but the same formula must keep it
    [1e-20, -38.0],
    [-1e-17, -36.0, -37.0],           # the largest entry is not 0: m + log1p(r) adds both
    [0.0, 0.0, -40.0],                # a tie: r = 1 + e^-40
    [3.0, -2.0, 1.0],
])
def test_logsumexp_is_exact_to_a_few_ulp_where_the_other_terms_are_tiny(xs):
    y = Tensor(xs).logsumexp().item()
    assert y == pytest.approx(exact_logsumexp(xs), rel=4e-16, abs=0)


def test_logsumexp_of_0_and_x_is_softplus_of_x():
    xs = np.array([-40.0, -100.0, -700.0, -5.0, 0.0, 3.0])
    pairs = np.stack([np.zeros_like(xs), xs], axis=1)
    np.testing.assert_allclose(Tensor(pairs).logsumexp(axis=1).data, Tensor(xs).softplus().data, rtol=2e-16, atol=0)


def test_logsumexp_along_rows_with_infinities_and_nan_stays_as_before():
    rows = np.array([[np.inf, 0.0], [-np.inf, -np.inf], [-np.inf, 0.0], [np.nan, 1.0], [np.inf, np.inf], [0.0, -40.0]])
    y = Tensor(rows).logsumexp(axis=1).data
    assert y[0] == np.inf and y[1] == -np.inf and y[2] == 0.0 and np.isnan(y[3]) and y[4] == np.inf
    assert y[5] == pytest.approx(exact_logsumexp(rows[5]), rel=4e-16)


def test_logsumexp_gradient_is_still_the_softmax():
    xs = np.array([[0.0, -40.0, 2.0], [1.0, 1.0, -3.0]])
    x = Tensor(xs, requires_grad=True)
    x.logsumexp(axis=1).sum().backward()
    e = np.exp(xs - xs.max(axis=1, keepdims=True))
    np.testing.assert_allclose(x.grad, e / e.sum(axis=1, keepdims=True), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logsumexp_of_a_0d_tensor_is_its_number_with_gradient_1(dtype):
    x = Tensor(np.array(-2.5, dtype=dtype), requires_grad=True)
    y = x.logsumexp(axis=None)
    assert y.dtype == dtype and y.item() == -2.5
    y.backward()
    assert x.grad == 1.0


def test_logsumexp_of_float32_keeps_its_dtype_and_digits():
    y = Tensor(np.array([0.0, -20.0], dtype=np.float32)).logsumexp()
    assert y.dtype == np.float32
    assert float(y.data) == pytest.approx(exact_logsumexp([0.0, -20.0]), rel=1e-6)
