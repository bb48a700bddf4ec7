"""Mutation testing, second round, of nn/train.py (fit): each test fails on a deliberate mistake (named in its
comment) that the rest of the suite let pass. The models are set by hand so that the expected figures follow
from the formulas: a line that fits the training rows exactly gets a gradient of 0 and never moves."""

import numpy as np

from nn import MLP, SGD, fit


def _exact_line() -> MLP:
    """y = 2 x + 1, with no activation: it fits the rows below exactly, so every step leaves it where it is."""
    model = MLP([1, 1], output_activation="identity")
    model.set_weights([(np.array([[2.0]]), np.array([1.0]))])
    return model


def test_a_validation_loss_that_ties_the_best_is_no_improvement_so_patience_runs_out():
    # mutant: a new best when val_loss <= best instead of < best. The training rows (1, 3) and (2, 5) lie on the
    # line, so the mse gradient is 0 and the weights never move: the validation loss is (2 x 0 + 1 - 2)^2 = 1 after
    # every epoch. The best epoch is the first (the first lowest, as Keras' EarlyStopping: improvement means <),
    # and patience=2 stops after epochs 1 and 2 fail to improve. With <= every epoch "improved": no stop, best 9.
    model = _exact_line()
    X, Y = np.array([[1.0], [2.0]]), np.array([[3.0], [5.0]])
    history = fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 10, validation=(np.array([[0.0]]),
                  np.array([[2.0]])), patience=2, progress=False, seed=0)
    assert history.val_loss == [1.0, 1.0, 1.0]
    assert history.best_epoch == 0
    assert history.stopped_epoch == 2
    assert [(W.tolist(), b.tolist()) for W, b in model.get_weights()] == [([[2.0]], [1.0])]


def test_the_training_accuracy_with_replacement_divides_by_the_rows_drawn_not_by_n():
    # mutant: train_accuracy = right / N instead of right / (rows drawn). With replacement, N = 5 and batch_size=2
    # draw ceil(5 / 2) = 3 batches of 2: 6 rows. A model right on every row (the sigmoid of 10 x - 5 is above 1/2
    # exactly for the x labelled 1) classifies all 6 right: accuracy 6/6 = 1, where the mutant said 6/5 = 1.2.
    model = MLP([1, 1], output_activation="sigmoid")
    model.set_weights([(np.array([[10.0]]), np.array([-5.0]))])
    X = np.array([[0.0], [0.2], [0.4], [0.8], [1.0]])
    Y = np.array([[0.0], [0.0], [0.0], [1.0], [1.0]])
    history = fit(model, X, Y, "binary_cross_entropy", SGD(model.parameters(), lr=1e-6), 2, batch_size=2,
                  replacement=True, progress=False, seed=0)
    assert history.train_accuracy == [1.0, 1.0]


def test_tol_stops_on_a_change_of_at_most_tol_so_tol_0_stops_where_the_loss_no_longer_moves():
    # seed 001's gradient descent runs while |f(x^(k+1)) - f(x^k)| > eps: it stops on a change equal to eps. The
    # exact line's training loss is 0 every epoch, a change of exactly 0: with tol=0 the run stops after epoch 1
    # (the second epoch, where a change is first measured); the mutant "< tol" ran all 4 epochs.
    model = _exact_line()
    X, Y = np.array([[1.0], [2.0]]), np.array([[3.0], [5.0]])
    history = fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 4, tol=0.0, progress=False, seed=0)
    assert history.train_loss == [0.0, 0.0]
    assert history.stopped_epoch == 1


def test_patience_counts_epochs_without_improvement_in_a_row_not_in_all():
    # mutant: a new best no longer resets the count of epochs without improvement. A loss function of one's own
    # sets the validation loss of each epoch (the training loss is 0 x outputs: no step moves anything):
    # 5, 6, 4, 6, 3, 6. No two epochs in a row fail to improve, so patience=2 never stops the 6 epochs and the
    # best is epoch 4 (3.0). Counting all failures, epochs 1 and 3 made 2 and the run stopped after epoch 3.
    schedule = iter([5.0, 6.0, 4.0, 6.0, 3.0, 6.0])

    def loss(out, y):
        if len(y) == 3:                                       # the validation rows
            return (out * 0.0).sum() + next(schedule)
        return (out * 0.0).sum()

    model = _exact_line()
    X, Y = np.array([[1.0], [2.0]]), np.array([[3.0], [5.0]])
    history = fit(model, X, Y, loss, SGD(model.parameters(), lr=0.1), 6, accuracy=False,
                  validation=(np.zeros((3, 1)), np.zeros((3, 1))), patience=2, progress=False, seed=0)
    assert history.val_loss == [5.0, 6.0, 4.0, 6.0, 3.0, 6.0]
    assert history.best_epoch == 4
    assert history.stopped_epoch is None
