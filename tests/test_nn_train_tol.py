"""fit(..., tol=...): seed 001's "until converged", the run stops when the loss changes by at most tol."""

import numpy as np
import pytest

import nn
from nn import losses


def test_fit_stops_at_the_first_epoch_whose_loss_moved_less_than_tol():
    X = np.linspace(-1, 1, 20)[:, None]
    Y = 2 * X + 1
    model = nn.Linear(1, 1, seed=0)
    h = nn.fit(model, X, Y, losses.quadratic, nn.SGD(model.parameters(), lr=0.1), epochs=10000, tol=1e-10,
               progress=False)
    L = h.train_loss
    assert len(L) < 10000 and h.stopped_epoch == len(L) - 1
    assert abs(L[-1] - L[-2]) < 1e-10
    assert all(abs(a - b) >= 1e-10 for a, b in zip(L[:-2], L[1:-1]))      # not a step earlier
    np.testing.assert_allclose([model.weight.data[0, 0], model.bias.data[0]], [2.0, 1.0], atol=1e-3)


def test_fit_without_convergence_runs_all_epochs_and_refuses_a_negative_tol():
    X, Y = np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]])
    model = nn.Linear(1, 1, seed=0)
    h = nn.fit(model, X, Y, losses.quadratic, nn.SGD(model.parameters(), lr=0.01), epochs=5, tol=1e-300,
               progress=False)
    assert len(h.train_loss) == 5 and h.stopped_epoch is None
    with pytest.raises(ValueError):
        nn.fit(model, X, Y, losses.quadratic, nn.SGD(model.parameters(), lr=0.01), epochs=5, tol=-1.0,
               progress=False)
