"""The softmax family shifts by the row's maximum; with logits 1e308 and -1e308 the shift -2e308 overflows to -inf.

Its e^-inf = 0 is the right share, so a cross-entropy of 0 on the larger class is right, and came only after
numpy's "overflow encountered in subtract" (so never under -W error). (Tensor.softmax, logsumexp and the fused
softmax_cross_entropy still warn there before their right answers: an errstate in their ordinary path would cost
every call.) A target on the
smaller class costs 2e308, beyond the float range: that loss is inf and is still said, with a warning naming the loss.
Expected numbers by hand: e^(-2e308) is 0 in floats, ln(1 + 0) = 0.
"""

import contextlib
import warnings

import numpy as np
import pytest

from autograd import Tensor, Value, softmax_cross_entropy
from nn import losses

Z = [[1e308, -1e308], [1.0, 0.0]]


@pytest.fixture
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _fused_warns(fused: bool):
    """The fused softmax_cross_entropy keeps numpy's "overflow encountered in subtract" before its right answer: an
    np.errstate in its ordinary pass would slow every training step (issue 14 counts each microsecond of it)."""
    return pytest.warns(RuntimeWarning, match="overflow encountered") if fused else contextlib.nullcontext()


def test_cross_entropy_on_the_larger_of_logits_2e308_apart_is_zero_in_every_engine_quiet_but_the_fused_op(quiet):
    e1 = np.exp(1.0)
    row2 = np.log1p(e1) - 1.0                               # -ln softmax([1, 0])_0
    expected = row2 / 2
    grad = np.array([[0.0, 0.0], [e1 / (1 + e1) - 1.0, 1 / (1 + e1)]]) / 2
    for target in (np.array([0, 0]), np.array([[1.0, 0.0], [1.0, 0.0]])):
        x = Tensor(Z, requires_grad=True)
        with _fused_warns(target.ndim == 1):               # integer labels on a Tensor: the fused op
            L = losses.cross_entropy(x, target)
        L.backward()
        assert L.item() == pytest.approx(expected, rel=1e-15)
        np.testing.assert_allclose(x.grad, grad, rtol=1e-15, atol=0.0)
        assert losses.cross_entropy(np.array(Z), target) == pytest.approx(expected, rel=1e-15)
        V = [[Value(v) for v in row] for row in Z]
        LV = losses.cross_entropy(V, target)
        LV.backward()
        assert LV.data == pytest.approx(expected, rel=1e-15)
        np.testing.assert_allclose([[v.grad for v in row] for row in V], grad, rtol=1e-14, atol=0.0)
    x = Tensor(Z, requires_grad=True)
    with _fused_warns(True):
        L = softmax_cross_entropy(x, [0, 0])
    L.backward()
    assert L.item() == pytest.approx(expected, rel=1e-15)
    np.testing.assert_allclose(x.grad, grad, rtol=1e-15, atol=0.0)


@pytest.mark.parametrize("engine", ["fused", "labels", "one-hot", "numbers", "values", "value labels"])
def test_cross_entropy_on_the_smaller_class_is_beyond_the_range_and_says_so(engine):
    one_hot = np.array([[0.0, 1.0], [1.0, 0.0]])
    calls = {
        "fused": lambda: softmax_cross_entropy(Tensor(Z), [1, 0]),
        "labels": lambda: losses.cross_entropy(Tensor(Z), np.array([1, 0])),
        "one-hot": lambda: losses.cross_entropy(Tensor(Z), one_hot),
        "numbers": lambda: losses.cross_entropy(np.array(Z), np.array([1, 0])),
        "values": lambda: losses.cross_entropy([[Value(v) for v in row] for row in Z], one_hot),
        "value labels": lambda: losses.cross_entropy([[Value(v) for v in row] for row in Z], np.array([1, 0])),
    }
    with pytest.warns(RuntimeWarning, match="overflow encountered in (softmax_)?cross_entropy.*scale the logits"):
        L = calls[engine]()
    assert getattr(L, "data", L) == np.inf                  # (2e308 + ln(1 + e^-1)) / 2 is beyond 1.8e308


@pytest.mark.parametrize("target", [np.array([0, 0]), np.array([[1.0, 0.0], [1.0, 0.0]])])
def test_values_whose_finite_rows_sum_beyond_the_range_say_that_not_that_a_logit_is_far_below(target):
    # logits [0, 1e308] on class 0: each row costs 1e308 (it fits), and the logits are only 1e308 apart; Values keep
    # the sum of the rows, 2e308: inf, where a Tensor gives the mean 1e308 (from the review: the warning blamed a
    # logit "more than 1.8e+308 below its row's largest")
    V = [[Value(0.0), Value(1e308)], [Value(0.0), Value(1e308)]]
    with pytest.warns(RuntimeWarning) as caught:
        L = losses.cross_entropy(V, target)
    assert L.data == np.inf
    said = [str(w.message) for w in caught if "cross_entropy" in str(w.message)]
    assert len(said) == 1 and "each row's cost is finite" in said[0] and "below" not in said[0]
    assert losses.cross_entropy(Tensor(np.array([[0.0, 1e308]] * 2)), target).item() == 1e308


def test_logsumexp_of_a_row_of_minus_inf_is_minus_inf_without_a_warning(quiet):
    x = Tensor([[-np.inf, -np.inf], [0.0, 0.0]])                 # log(0 + 0) = -inf; log(1 + 1) = ln 2
    y = x.logsumexp(axis=1)
    assert y.data[0] == -np.inf
    assert y.data[1] == np.log(2.0)
    assert Tensor(np.full(3, -np.inf, dtype=np.float32)).logsumexp().item() == -np.inf
