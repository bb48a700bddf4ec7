"""fit takes at most nn.checks.MAX_EPOCHS = 10**7 epochs, the perceptron rules' bound: fit(epochs=10**12) started a
loop that ran for years, its History growing every epoch (the examples already bound their --epochs)."""

import time

import numpy as np
import pytest

from nn import MLP, SGD, checks, fit, perceptrons


def _problem():
    X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0], [0.0]])
    model = MLP([2, 1], output_activation="identity", seed=0)
    return model, X, y, SGD(model.parameters(), lr=0.1)


def test_the_bound_is_ten_million_epochs_for_fit_and_for_the_perceptron_rules_alike():
    assert checks.MAX_EPOCHS == 10**7 and perceptrons.MAX_EPOCHS == checks.MAX_EPOCHS


def _started(epoch, history):
    raise AssertionError(f"the run started: epoch {epoch} ended, where the count should have been refused")


@pytest.mark.parametrize("epochs, shown", [(10**7 + 1, "10000001"), (10**12, "1000000000000"),
                                           (10**5000, r"\(a huge number, about 10\^5000\)")],
                         ids=["bound+1", "1e12", "1e5000"])   # pytest's own ids would print 10**5000: Python refuses
def test_more_epochs_are_refused_by_name_at_once_with_the_weights_untouched(epochs, shown):
    model, X, y, optimizer = _problem()
    before = [p.data.copy() for p in model.parameters()]
    start = time.perf_counter()
    with pytest.raises(ValueError, match=rf"fit: epochs must be at most 10,000,000, got {shown}: fit keeps each "
                                         r"epoch's figures, .* call fit again"):
        fit(model, X, y, "mse", optimizer, epochs=epochs, progress=False, callback=_started)
    assert time.perf_counter() - start < 5.0
    assert all(np.array_equal(b, p.data) for b, p in zip(before, model.parameters()))


def test_the_bound_itself_is_taken_and_a_callback_can_end_such_a_run():
    model, X, y, optimizer = _problem()
    W, b = (p.data.copy() for p in model.parameters())
    h = fit(model, X, y, "mse", optimizer, epochs=checks.MAX_EPOCHS, progress=False, callback=lambda e, h: True)
    assert len(h.train_loss) == 1 and h.stopped_epoch == 0
    # the one epoch is the full batch's mse at the starting weights, worked out in numpy
    assert h.train_loss[0] == pytest.approx(float(np.mean((X @ W.T + b - y) ** 2)), rel=1e-12)
