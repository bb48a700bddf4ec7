"""Mutation testing, third round: fit(compile=True)'s start-up comparison of the traced step with the eager one.
A loss that adds a number read from the target's .data is traced with sample 0's number frozen in: at every other
sample the compiled loss is off by 1e-4 * (y_i - y_0) while its gradient and outputs are right. Only the loss
comparison at a sample past the first batch can see it, and 1e-4 is far above the comparison's 1e-8."""

import numpy as np
import pytest

from nn import MLP, SGD, fit, losses


def _target_sum(t):
    """The targets' numbers, from an array (eager) or from rows of Values (the trace)."""
    if isinstance(t, list):
        return float(sum(v.data for row in t for v in row))
    return float(np.sum(t))


def shifted_quadratic(out, t):
    return losses.quadratic(out, t) + 1e-4 * _target_sum(t)      # a constant: no gradient, only the loss moves


def _flat(weights):
    return np.concatenate([np.ravel(w) for layer in weights for w in layer])


def _data():
    # rows 0..7 (the batch compared first) share the target 0, so there the frozen constant is right; rows 8..29
    # take 22 distinct targets (more than the 16 of a class check), so only the samples compared one by one
    # (the middle one, 15, and the last, 29) show the difference 1e-4 * y_i
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 2))
    Y = np.concatenate([np.zeros(8), np.linspace(1.0, 3.0, 22)]).reshape(-1, 1)
    return X, Y


def test_a_loss_off_by_1e_4_at_a_later_sample_is_refused_by_the_loss_comparison():
    X, Y = _data()
    model = MLP([2, 3, 1], seed=0)
    before = model.get_weights()
    with pytest.raises(ValueError, match="differs from the eager step on sample 15 .loss") as info:
        fit(model, X, Y, shifted_quadratic, SGD(model.parameters(), lr=0.1), epochs=1, compile=True,
            progress=False)
    assert "use compile=False" in str(info.value)
    assert _flat(model.get_weights()).tolist() == _flat(before).tolist()    # refused before the first step


def test_the_same_loss_trains_eagerly():
    # the loss itself is fine for the eager engine: only its trace is wrong (so the refusal above is about the trace)
    X, Y = _data()
    model = MLP([2, 3, 1], seed=0)
    fit(model, X, Y, shifted_quadratic, SGD(model.parameters(), lr=0.1), epochs=1, progress=False)


def summed_quadratic(out, t):
    # C = 1/2 sum_i ||y_i - a_i||^2, summed over the batch, not averaged: on one sample it is the quadratic cost
    # itself, on a batch of B it is B times the mean. The compiled step averages B per-sample gradients (seed 1/B),
    # so it agrees on every single sample and is B times too small on a batch.
    return losses.quadratic(out, t) * len(t)


def test_a_loss_summed_over_the_batch_is_refused_by_the_batch_comparison():
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((12, 2)), rng.standard_normal((12, 1))
    model = MLP([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"differs from the eager step on the batch of samples 0\.\.7 \(loss"):
        fit(model, X, Y, summed_quadratic, SGD(model.parameters(), lr=0.1), epochs=1, batch_size=4,
            compile=True, progress=False)


def test_each_compiled_epoch_starts_from_the_models_float32_weights():
    # the weights go back into a float32 model after every epoch, and the next epoch reads them from there: two
    # epochs in one fit take the steps of two fits of one epoch each (no shuffling: the same samples in order)
    rng = np.random.default_rng(2)
    X, Y = rng.standard_normal((6, 2)), rng.standard_normal((6, 1))
    ends = []
    for runs in ([2], [1, 1]):
        model = MLP([2, 3, 1], seed=0, dtype=np.float32)
        for epochs in runs:
            fit(model, X, Y, losses.quadratic, SGD(model.parameters(), lr=0.3), epochs=epochs, batch_size=1,
                shuffle=False, compile=True, progress=False)
        ends.append(_flat(model.get_weights()))
    assert ends[0].dtype == ends[1].dtype == np.float32
    np.testing.assert_array_equal(ends[0], ends[1])
