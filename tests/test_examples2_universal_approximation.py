"""examples/universal_approximation.py prints a 'final cost' and picks the best start by it: that must be the cost of
the weights it returns and draws, not the cost one step before them."""


import numpy as np
import pytest
from loading import load_example


def test_the_final_cost_is_the_quadratic_cost_of_the_returned_weights_by_numpy():
    found = load_example("universal_approximation").fit(width=3, steps=40, seed=0)
    (W1, b1), (W2, b2) = found["weights"]
    x = np.linspace(-np.pi, np.pi, 200)[:, None]
    out = np.tanh(x @ W1.T + b1) @ W2.T + b2                  # OUT(x) = sum_k c_k tanh(w_k x + b_k) + c_0
    cost = np.sum((np.sin(x) - out) ** 2) / (2 * len(x))      # C = 1/(2N) sum ||y - a||^2
    assert len(found["history"]) == 41                        # the start of each step, and the end
    assert found["history"][-1] == pytest.approx(cost, rel=1e-12)
    assert found["history"][-2] != pytest.approx(cost, rel=1e-12)    # the last step did move the weights
