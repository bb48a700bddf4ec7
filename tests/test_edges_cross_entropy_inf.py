"""Cross-entropy with one-hot (or probability) targets beside a logit -inf, or logits 1e308 and -1e308 apart.

Logits [-inf, 0] with target class 1: p = [0, 1], so the loss is -ln 1 = 0 and the gradient p - y = [0, 0]. The
Tensor engine and float arrays gave that only after numpy's "invalid value encountered in multiply" (0 (-inf) = NaN,
mended afterwards), and the Value engine gave NaN: its running log-sum-exp of the row began at -inf and read
-inf + inf. The hand-coded nn.backprop refused logits 1e308 and -1e308 whose cost is 0 ("the cost overflowed"), after
two numpy warnings. Expected numbers are by hand (softmax of finite logits, ln of it), checked under -W error.
"""

import math
import warnings

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import backprop, losses


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _three_engines(P, Y):
    """(loss, gradient) from a Tensor, from Values, and the loss of a float array."""
    x = Tensor(P, requires_grad=True)
    L = losses.cross_entropy(x, np.array(Y))
    L.backward()
    V = [[Value(v) for v in row] for row in P]
    LV = losses.cross_entropy(V, np.array(Y))
    LV.backward()
    return [(L.item(), x.grad), (LV.data, np.array([[v.grad for v in row] for row in V]))], \
        losses.cross_entropy(np.array(P), np.array(Y))


def test_one_hot_cross_entropy_beside_a_logit_minus_inf_is_zero_with_zero_gradient():
    engines, plain = _three_engines([[-math.inf, 0.0]], [[0.0, 1.0]])
    for loss, grad in engines:
        assert loss == 0.0
        np.testing.assert_array_equal(grad, [[0.0, 0.0]])
    assert plain == 0.0


def test_probability_targets_beside_a_logit_minus_inf_give_the_loss_of_the_finite_logits():
    # logits [-inf, 0, 2]: p = [0, 1/(1 + e^2), e^2/(1 + e^2)]; loss -(1/4 ln p_1 + 3/4 ln p_2); gradient p - y
    lse = math.log1p(math.exp(2.0))
    expected = 0.25 * lse + 0.75 * (lse - 2.0)
    p = [0.0, 1 / (1 + math.exp(2.0)), math.exp(2.0) / (1 + math.exp(2.0))]
    engines, plain = _three_engines([[-math.inf, 0.0, 2.0], [1.0, 2.0, 3.0]], [[0.0, 0.25, 0.75], [1.0, 0.0, 0.0]])
    q = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    expected = (expected - math.log(q[0])) / 2
    grad = np.array([[p[0], p[1] - 0.25, p[2] - 0.75], [q[0] - 1.0, q[1], q[2]]]) / 2
    for loss, g in engines:
        assert loss == pytest.approx(expected, rel=1e-14)
        np.testing.assert_allclose(g, grad, rtol=1e-13, atol=1e-17)
    assert plain == pytest.approx(expected, rel=1e-14)


def test_backprop_cross_entropy_of_logits_1e308_and_minus_1e308_on_the_larger_class_is_zero():
    W, b = np.array([[1.0], [-1.0]]), np.zeros(2)                # z = (1e308, -1e308): softmax (1, 0)
    X, Y = np.array([[1e308]]), np.array([[1.0, 0.0]])
    assert backprop.total_cost([(W, b)], X, Y, cost="cross_entropy", output_activation="softmax") == 0.0
    C, grads = backprop.gradients([(W, b)], X, Y, cost="cross_entropy", output_activation="softmax")
    assert C == 0.0
    np.testing.assert_array_equal(grads[0][0], [[0.0], [0.0]])  # delta = a - y = 0
    np.testing.assert_array_equal(grads[0][1], [0.0, 0.0])


def test_backprop_cross_entropy_on_the_smaller_class_costs_2e308_and_is_refused_by_name():
    W, b = np.array([[1.0], [-1.0]]), np.zeros(2)
    with pytest.raises(ValueError, match="the cost overflowed float64"):
        backprop.total_cost([(W, b)], np.array([[1e308]]), np.array([[0.0, 1.0]]), cost="cross_entropy",
                            output_activation="softmax")
