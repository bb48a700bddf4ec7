"""History's printout says what the run did: where a callback stopped it (there is no best epoch without
validation data), and a History built by hand without times prints too."""

from __future__ import annotations

import numpy as np
import pytest

from nn import MLP, SGD, History, fit


def test_history_of_a_run_stopped_by_a_callback_names_the_epoch_not_a_best_epoch_of_none() -> None:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    model = MLP([2, 1], output_activation="sigmoid", seed=0)
    history = fit(model, X, y, "binary_cross_entropy", SGD(model.parameters(), lr=0.1), epochs=5, progress=False,
                  callback=lambda epoch, h: epoch == 1)
    assert history.stopped_epoch == 1 and history.best_epoch is None and len(history.train_loss) == 2
    text = repr(history)
    assert "None" not in text
    assert "stopped early after epoch 1" in text


def test_history_with_validation_names_the_stop_and_the_best_epoch() -> None:
    h = History(train_loss=[0.5, 0.4, 0.45], val_loss=[0.3, 0.2, 0.25], time=[0.1, 0.2, 0.3], best_epoch=1,
                stopped_epoch=2)
    text = repr(h)
    assert "stopped early after epoch 2" in text and "best epoch 1" in text


def test_history_built_without_times_prints() -> None:
    text = repr(History(train_loss=[1.0, 0.5]))
    assert text.startswith("History(2 epochs") and "1 -> 0.5" in text
    assert repr(History(train_loss=[1.0], time=[0.25])).startswith("History(1 epoch:")


def test_an_error_after_best_epoch_was_noted_but_before_the_epoch_ended_keeps_best_epoch_among_the_figures() -> None:
    # fit notes best_epoch right after the validation loss, then copies the weights and records the time: a Ctrl-C
    # (or a MemoryError in the copy) between those cuts that epoch's figures, and best_epoch pointed past them
    from nn.train import _history_on_error

    h = History(train_loss=[0.5, 0.4, 0.3], val_loss=[0.30, 0.20, 0.10], time=[0.1, 0.2], best_epoch=2)
    with pytest.raises(KeyboardInterrupt) as info, _history_on_error(h):
        raise KeyboardInterrupt
    assert info.value.history is h
    assert h.train_loss == [0.5, 0.4] and h.val_loss == [0.30, 0.20]
    # the best of the epochs kept, by hand: 0.20 at epoch 1
    assert h.best_epoch == 1
