"""binary_cross_entropy_with_logits at logits of +-inf: the limit of softplus(z) - y z, not NaN.

By hand: softplus(z) - y z = (1 - y) z + softplus(-z) -> inf at z = +inf for y < 1, and 0 for y = 1;
= softplus(z) - y z -> inf at z = -inf for y > 0, and 0 for y = 0. dc/dz = sigmoid(z) - y: 1 - y at +inf, -y at
-inf. PyTorch 2.13 gives inf, inf, NaN at +inf (y = 0, 0.5, 1) and NaN for every y at -inf.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import losses

INF = math.inf
# (z, y, the cost's limit, dc/dz = sigmoid(z) - y), worked out above
LIMITS = [(INF, 0.0, INF, 1.0), (INF, 0.5, INF, 0.5), (INF, 1.0, 0.0, 0.0),
          (-INF, 0.0, 0.0, 0.0), (-INF, 0.5, INF, -0.5), (-INF, 1.0, INF, -1.0)]
FINITE_Z, FINITE_Y = 1.5, 0.3          # a finite entry beside it keeps its own formula and gradient


def by_hand(z: float, y: float) -> float:
    return math.log1p(math.exp(-abs(z))) + max(z, 0.0) - y * z


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize("z, y, cost, dz", LIMITS)
def test_infinite_logits_cost_the_formulas_limit_on_every_engine(z, y, cost, dz):
    expected_costs = [cost, by_hand(FINITE_Z, FINITE_Y)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # no inf - inf computed on the way
        numbers = losses.binary_cross_entropy_with_logits(np.array([z, FINITE_Z]), np.array([y, FINITE_Y]),
                                                          reduction="none")
        t = Tensor([z, FINITE_Z], requires_grad=True)
        ct = losses.binary_cross_entropy_with_logits(t, np.array([y, FINITE_Y]), reduction="sum")
        ct.backward()
        v = [Value(z), Value(FINITE_Z)]
        cv = losses.binary_cross_entropy_with_logits(v, [y, FINITE_Y], reduction="sum")
        cv.backward()
    assert list(numbers) == pytest.approx(expected_costs, rel=1e-15)
    assert float(ct.data) == pytest.approx(sum(expected_costs), rel=1e-15)
    assert cv.data == pytest.approx(sum(expected_costs), rel=1e-15)
    expected_grads = [dz, sigmoid(FINITE_Z) - FINITE_Y]
    assert list(t.grad) == pytest.approx(expected_grads, rel=1e-15)
    assert [x.grad for x in v] == pytest.approx(expected_grads, rel=1e-15)


@pytest.mark.parametrize("z, y, cost, dz", LIMITS)
def test_a_sigmoid_node_at_infinite_logits_costs_the_same_limit(z, y, cost, dz):
    t = Tensor([z], requires_grad=True)
    c = losses.binary_cross_entropy(t.sigmoid(), np.array([y]))     # read from the sigmoid's input z
    c.backward()
    assert float(c.data) == cost
    assert float(t.grad[0]) == dz


def test_the_mean_over_infinite_and_finite_logits_is_the_mean_of_the_limits():
    Z = np.array([[INF, -INF], [2.0, -INF]])
    Y = np.array([[1.0, 0.0], [0.25, 0.0]])
    c = losses.binary_cross_entropy_with_logits(Tensor(Z), Y)
    assert float(c.data) == pytest.approx(by_hand(2.0, 0.25) / 4, rel=1e-15)


def test_a_target_that_gets_a_gradient_at_an_infinite_logit_is_refused():
    target = Tensor([0.5, 1.0], requires_grad=True)                  # dc/dy = -z = -inf: refused, not NaN
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: the logit at index \(1,\) is inf"):
        losses.binary_cross_entropy_with_logits(Tensor([0.0, INF], requires_grad=True), target)
