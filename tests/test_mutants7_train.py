"""Mutation testing of nn/train.py (fit), seventh round: each test fails on a deliberate mistake (named in its
comment) that the rest of the suite let pass. The models are set by hand so that the expected weights follow from
the mse gradient worked out on paper."""

import math

import numpy as np
import pytest

from nn import MLP, SGD, evaluate, fit, losses


def _line_at_zero() -> MLP:
    """y = w x + b with w = b = 0 and no activation."""
    model = MLP([1, 1], output_activation="identity")
    model.set_weights([(np.array([[0.0]]), np.array([0.0]))])
    return model


def test_restore_best_false_keeps_the_last_weights_after_patience_stops_the_run():
    # mutant: the best epoch's weights kept (and put back) also with restore_best=False. One row (1, 1), mse:
    # L = (w + b - 1)^2, dL/dw = dL/db = 2 (w + b - 1); lr = 0.1 moves w = b from 0 to 0.2, then to 0.32. The
    # validation row (1, -1) gets worse at every step, so epoch 0 is the best and patience=1 stops after epoch 1:
    # restore_best=False must leave 0.32 (the last step), where restoring put back 0.2.
    X, Y = np.array([[1.0]]), np.array([[1.0]])
    validation = (np.array([[1.0]]), np.array([[-1.0]]))
    model = _line_at_zero()
    history = fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 10, validation=validation, patience=1,
                  restore_best=False, progress=False, seed=0)
    assert history.best_epoch == 0 and history.stopped_epoch == 1
    (W, b), = model.get_weights()
    assert W[0, 0] == pytest.approx(0.32, abs=1e-12) and b[0] == pytest.approx(0.32, abs=1e-12)
    # and restore_best=True (the default) puts back the best epoch's 0.2
    model = _line_at_zero()
    fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 10, validation=validation, patience=1,
        progress=False, seed=0)
    (W, b), = model.get_weights()
    assert W[0, 0] == pytest.approx(0.2, abs=1e-12) and b[0] == pytest.approx(0.2, abs=1e-12)


def test_a_run_that_reaches_epochs_without_stopping_keeps_its_last_weights_even_with_patience():
    # mutant: the best weights put back after every run with patience, stopped or not. As above, epoch 0 is the
    # best (validation row (1, -1)), but patience=5 never runs out in 2 epochs: the run was not stopped, so the
    # model keeps the last step's w = b = 0.32, not epoch 0's 0.2 (the docstring: "a run that goes to epochs
    # without being stopped keeps its last weights").
    model = _line_at_zero()
    history = fit(model, np.array([[1.0]]), np.array([[1.0]]), "mse", SGD(model.parameters(), lr=0.1), 2,
                  validation=(np.array([[1.0]]), np.array([[-1.0]])), patience=5, progress=False, seed=0)
    assert history.best_epoch == 0 and history.stopped_epoch is None
    (W, b), = model.get_weights()
    assert W[0, 0] == pytest.approx(0.32, abs=1e-12) and b[0] == pytest.approx(0.32, abs=1e-12)


def _two_sigmoids() -> MLP:
    """Two sigmoid outputs of one input: sigma(10 x - 5) and sigma(5 x + 5). At x = 0: (0.0067, 0.9933); at
    x = 1: (0.9933, 0.99995), so at x = 1 both are above 1/2 and the second is the larger."""
    model = MLP([1, 2], output_activation="sigmoid")
    model.set_weights([(np.array([[10.0], [5.0]]), np.array([-5.0, 5.0]))])
    return model


def test_zero_one_rows_that_are_not_one_hot_are_judged_output_by_output_not_by_argmax():
    # mutant: 0/1 rows of K >= 2 outputs read by argmax without the test that each row sums to 1. The rows
    # [0, 1] and [1, 1] are two labels each (multi-label): output by output at 1/2, (0.0067, 0.9933) -> [0, 1] and
    # (0.9933, 0.99995) -> [1, 1], both right: accuracy 1. By argmax the second row's target [1, 1] is class 0 and
    # its output's argmax 1: accuracy 1/2. lr = 1e-9 keeps the weights where they are set.
    model = _two_sigmoids()
    X, Y = np.array([[0.0], [1.0]]), np.array([[0.0, 1.0], [1.0, 1.0]])
    history = fit(model, X, Y, "binary_cross_entropy", SGD(model.parameters(), lr=1e-9), 1, progress=False,
                  seed=0)
    assert history.train_accuracy == [1.0]


def test_the_validation_accuracy_reads_one_hot_validation_rows_by_argmax_when_training_was_multi_label():
    # mutant: the validation accuracy judged by the training targets' rule (output by output at 1/2) instead of
    # the validation targets' own form. The validation row x = 1 with target [0, 1] is one-hot: by argmax, the
    # outputs (0.9933, 0.99995) say class 1, right (accuracy 1); output by output they say [1, 1], wrong (0).
    model = _two_sigmoids()
    X, Y = np.array([[0.0], [1.0]]), np.array([[0.0, 1.0], [1.0, 1.0]])
    history = fit(model, X, Y, "binary_cross_entropy", SGD(model.parameters(), lr=1e-9), 1, progress=False,
                  seed=0, validation=(np.array([[1.0]]), np.array([[0.0, 1.0]])))
    assert history.val_accuracy == [1.0]


def test_whole_targets_up_to_k_for_k_outputs_are_not_labels_and_get_no_accuracy():
    # mutant: labels 0..K (<= K) instead of 0..K-1 for K outputs. Targets 0, 1, 2 for two outputs, with a loss of
    # one's own (each output towards the target): label 2 names no output, so they are no class labels, and fit
    # records no accuracy. Read as labels, the argmax of two outputs could never say 2, and an accuracy appeared.
    model = MLP([1, 2], output_activation="identity", seed=0)
    X, y = np.array([[0.0], [1.0], [2.0]]), np.array([0, 1, 2])
    history = fit(model, X, y, lambda out, t: losses.mse(out, np.column_stack([t, t]).astype(float)),
                  SGD(model.parameters(), lr=0.01), 1, progress=False, seed=0)
    assert history.train_accuracy is None


def test_an_infinite_batch_loss_stops_the_run_before_its_step():
    # mutant: only a NaN loss stops the run (value != value), an infinite one is stepped from. x w = 1e10 1e300
    # overflows to inf, and so does the mse; the step from it would make the weights -inf or NaN. fit must raise
    # FloatingPointError naming the loss, and leave the weights as they were.
    model = MLP([1, 1], output_activation="identity")
    model.set_weights([(np.array([[1e300]]), np.array([0.0]))])
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(FloatingPointError, match="loss is inf"):
        fit(model, np.array([[1e10]]), np.array([[0.0]]), "mse", SGD(model.parameters(), lr=0.1), 1,
            progress=False, seed=0)
    (W, b), = model.get_weights()
    assert W[0, 0] == 1e300 and b[0] == 0.0


def test_targets_all_plus_one_are_zero_one_targets_read_at_one_half():
    # mutant: "signs" (-1/+1 labels) without the test that a -1 is among them. Targets that are all 1 are 0/1
    # targets of which no 0 was drawn: an identity output trained with mse towards them is read at 1/2, so the
    # output 0.3 is class 0, wrong against the target 1 (accuracy 0). Read as -1/+1 labels, 0.3 > 0 said class 1.
    model = MLP([1, 1], output_activation="identity")
    model.set_weights([(np.array([[0.0]]), np.array([0.3]))])
    history = fit(model, np.array([[0.0]]), np.array([[1.0]]), "mse", SGD(model.parameters(), lr=1e-9), 1,
                  progress=False, seed=0)
    assert history.train_accuracy == [0.0]
    assert model._threshold == 0.5


def test_a_run_read_by_argmax_records_no_threshold_so_evaluate_reads_zero_one_rows_at_one_half():
    # mutant: the model remembers the argmax decision's unused threshold (0) as if fit had read its outputs at 0.
    # Trained on the label 1 of two identity outputs (argmax), the model has no threshold of its own; evaluated
    # on the 0/1 row [1, 1] (two labels, not one-hot), each output is read at the middle of the targets, 1/2: the
    # outputs (0.3, 0.8) say [0, 1], wrong (accuracy 0). With the remembered 0, (0.3, 0.8) said [1, 1], right.
    model = MLP([1, 2], output_activation="identity")
    model.set_weights([(np.array([[0.0], [0.0]]), np.array([0.3, 0.8]))])
    fit(model, np.array([[0.0]]), np.array([1]), "mse", SGD(model.parameters(), lr=1e-9), 1, progress=False,
        seed=0)
    assert model._threshold is None
    assert evaluate(model, np.array([[0.0]]), np.array([[1.0, 1.0]]))["accuracy"] == 0.0


def test_the_validation_loss_of_a_sigmoid_output_is_computed_from_z_as_in_training():
    # mutant: the validation pass with no graph for a sigmoid output (only softmax read from z): the loss then saw
    # the probability 1 - sigma(40), kept at 1e-12 or above, and cost -ln(1e-12) = 27.6 for a sample whose loss
    # is softplus(40) = 40 + ln(1 + e^-40), as training computes it from z = 40.
    model = MLP([1, 1], output_activation="sigmoid")
    model.set_weights([(np.array([[0.0]]), np.array([40.0]))])
    X, Y = np.array([[0.0]]), np.array([[0.0]])
    history = fit(model, X, Y, "binary_cross_entropy", SGD(model.parameters(), lr=1e-15), 1, progress=False,
                  seed=0, validation=(X, Y))
    assert history.val_loss[0] == pytest.approx(40.0 + math.log1p(math.exp(-40.0)), rel=1e-9)


def test_cross_entropy_on_probability_rows_records_the_accuracy_by_argmax():
    # mutant: the argmax accuracy for labels only, not for every cross_entropy. Soft targets (probability rows)
    # are no labels and no 0/1 rows, but cross_entropy's classes are the argmax of its logits and of its target
    # rows. Logits x W^T + b with W = (1, -1), b = (0, 1): at x = 0 (0, 1), class 1; at x = 2 (2, -1), class 0.
    # Targets (0.2, 0.8) and (0.3, 0.7) are both class 1: one of two right.
    model = MLP([1, 2], output_activation="identity")
    model.set_weights([(np.array([[1.0], [-1.0]]), np.array([0.0, 1.0]))])
    X, Y = np.array([[0.0], [2.0]]), np.array([[0.2, 0.8], [0.3, 0.7]])
    history = fit(model, X, Y, "cross_entropy", SGD(model.parameters(), lr=1e-9), 1, progress=False, seed=0,
                  shuffle=False)
    assert history.train_accuracy == [0.5]


def test_validation_rows_of_another_width_are_refused_before_the_first_step():
    # mutant: fit without its comparison of the validation rows' width with the training rows'. The model's own
    # shape error came only after the first epoch had trained, and named no validation data.
    model = _line_at_zero()
    with pytest.raises(ValueError, match=r"validation rows have shape \(2,\) but training rows \(1,\)"):
        fit(model, np.array([[1.0]]), np.array([[1.0]]), "mse", SGD(model.parameters(), lr=0.1), 1,
            validation=(np.array([[1.0, 2.0]]), np.array([[1.0]])), progress=False, seed=0)
    (W, b), = model.get_weights()
    assert W[0, 0] == 0.0 and b[0] == 0.0
