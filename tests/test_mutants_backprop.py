"""Mutation testing of nn/backprop.py, the hand-coded delta rule: each test fails on a deliberate mistake (named
in the test's comment) that the rest of the suite let pass. The oracle is central differences of the cost."""

import numpy as np
import pytest

from nn.backprop import gradients, total_cost


@pytest.mark.parametrize("targets", [[[0.5, 0.0], [1.5, 2.0]], [[0.25, 0.0], [0.25, 0.1]]],
                         ids=["rows summing to 2", "rows summing to a half or less"])
def test_cross_entropys_output_delta_holds_for_targets_that_do_not_sum_to_one(targets):
    # mutant: delta^[L] = a - y, right only where each target column sums to 1. For weights y_k >= 0,
    # C = -sum_k y_k ln softmax(z)_k has dC/dz = a sum_k y_k - y (the documented delta); the one-hot suite never
    # saw the difference. Each sample is a column of Y here (two samples, two classes).
    rng = np.random.default_rng(3)
    weights = [(rng.standard_normal((3, 2)), rng.standard_normal(3)), (rng.standard_normal((2, 3)),
                                                                       rng.standard_normal(2))]
    X, Y = np.array([[0.3, -1.2], [0.8, 0.4]]), np.array(targets)
    args = ("sigmoid", "softmax", "cross_entropy")
    _, grads = gradients(weights, X, Y, *args)
    h = 1e-6
    for l, (W, b) in enumerate(weights):
        for p, g in ((W, grads[l][0]), (b, grads[l][1])):
            numeric = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                keep = p[i]
                p[i] = keep + h
                up = total_cost(weights, X, Y, *args)
                p[i] = keep - h
                down = total_cost(weights, X, Y, *args)
                p[i] = keep
                numeric[i] = (up - down) / (2 * h)
            np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-8)
