"""Mutation testing, sixth round: the averaging losses where the sum of their terms overflows (nn.losses'
_mean_total, softmax_cross_entropy's _mean_beyond_range), and cross_entropy's terms beside a log-probability of
-inf (_where_targeted). Expected numbers by hand: every term is equal, or a term is a difference of two logits."""

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import losses

# the first sum of such terms overflows (numpy says so) before the mean is taken another way
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")


def test_mse_of_one_entry_is_its_square():
    assert float(losses.mse(Tensor([3.0]), np.array([1.0])).data) == 4.0          # (3 - 1)^2 / 1
    assert losses.mse(np.array([3.0]), np.array([1.0])) == 4.0


def test_binary_cross_entropy_averages_terms_whose_sum_overflows():
    # logit -1e308 for target 1: the term softplus(1e308) is 1e308 (by hand: log(1 + e^z) = z + log1p(e^-z)),
    # two of them sum to inf, their mean is 1e308
    z = np.full(2, -1e308)
    assert float(losses.binary_cross_entropy(Tensor(z), np.ones(2), logits=True).data) == 1e308
    assert losses.binary_cross_entropy(z, np.ones(2), logits=True) == 1e308


def test_cross_entropy_averages_three_rows_of_loss_1_7e308():
    # each row's loss is log(e^1e308 + e^-7e307) - (-7e307) = 1e308 + 7e307 (the other term is e^-1.7e308 = 0):
    # three of them, scaled by 2^-1 (not the 2^-2 that 2^k >= 3 takes), still sum past the largest float
    term = 1e308 - (-7e307)
    assert np.isfinite(term)
    logits = Tensor(np.tile([1e308, -7e307], (3, 1)), requires_grad=True)
    L = losses.cross_entropy(logits, np.array([1, 1, 1]))
    assert float(L.data) == pytest.approx(term, rel=1e-15)


def test_values_keep_the_sum_over_n_where_it_overflows():
    # a Value trace must not branch on the data: mse of two squares 1.69e308 is their sum / 2, inf (Tensor.mean's
    # way, which a float array takes, is not the Value engine's)
    P = np.array([Value(1.3e154), Value(1.3e154)], dtype=object)
    L = losses.mse(P, np.zeros(2))
    assert isinstance(L, Value) and L.data == float("inf")


def test_a_target_of_values_keeps_its_product_and_its_gradient_minus_log_p():
    # logits 3.4e308 apart: log p = [0, -inf] (by hand: ln(1 + e^-3.4e308) = 0, and -3.4e308 is -inf in floats);
    # the target's Values get d(-sum y_k log p_k)/dy_k = -log p_k = [0, inf], the infinite one too
    Z = np.array([[Value(1.7e308), Value(-1.7e308)]], dtype=object)
    T = np.array([[Value(1.0), Value(0.0)]], dtype=object)
    with np.errstate(invalid="ignore"):                              # 0 * -inf in the product that is kept
        L = losses.cross_entropy(Z, T)
    L.backward()
    assert [v.grad for v in T.ravel()] == [0.0, float("inf")]
