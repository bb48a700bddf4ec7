"""nn.train: fit() is the lectures' loop (per-sample SGD, mini-batches, full-batch GD in one function); it learns
XOR; it gives the same history on both engines; evaluate and predict."""

import numpy as np
import pytest

import nn
from autograd import Tensor
from nn import MLP, SGD, Adam, evaluate, fit, losses, outputs, predict, scalar
from nn.data import boolean, hh19


def test_fit_learns_xor_with_a_2_4_1_net_on_both_engines():
    X, y = boolean("xor")
    for model in (MLP([2, 4, 1], activation="tanh", output_activation="sigmoid", seed=0),
                  scalar.MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)):
        history = fit(model, X, y, losses.binary_cross_entropy, Adam(model.parameters(), lr=0.1), epochs=300,
                      progress=False)
        assert history.loss[-1] < 0.01 < history.loss[0]
        assert history.accuracy[-1] == 1.0
        assert evaluate(model, X, y, losses.binary_cross_entropy)["loss"] < 0.01


def _manual_sgd(model, X, Y, loss, lr, order):
    opt = SGD(model.parameters(), lr=lr)
    for batch in order:
        opt.zero_grad()
        loss(model(Tensor(X[batch])), Y[batch]).backward()
        opt.step()


@pytest.mark.parametrize("batch_size", [1, 3, None], ids=["per-sample", "mini-batch", "full-batch"])
def test_fit_takes_exactly_the_steps_of_the_hand_written_loop(batch_size):
    X, Y = hh19()
    a, b = MLP([2, 2, 3, 2], init="normal", seed=1), MLP([2, 2, 3, 2], init="normal", seed=1)
    fit(a, X, Y, losses.quadratic, SGD(a.parameters(), lr=0.5), epochs=3, batch_size=batch_size, shuffle=False,
        progress=False)
    size = batch_size or len(X)
    order = [np.arange(i, min(i + size, len(X))) for i in range(0, len(X), size)] * 3
    _manual_sgd(b, X, Y, losses.quadratic, 0.5, order)
    for (W, c), (V, d) in zip(a.get_weights(), b.get_weights()):
        assert np.array_equal(W, V) and np.array_equal(c, d)


def test_shuffled_epochs_visit_every_sample_once_and_replacement_draws_from_the_seed():
    X, Y = hh19()
    seen = []

    def recording(out, y):
        seen.append(y.tolist())
        return losses.quadratic(out, y)

    model = MLP([2, 2, 3, 2], seed=0)
    fit(model, X, Y, recording, SGD(model.parameters(), lr=0.1), epochs=2, batch_size=1, seed=0, progress=False)
    assert len(seen) == 20
    first = sorted(map(str, seen[:10]))
    assert first == sorted(str([row.tolist()]) for row in Y)               # each sample once in an epoch
    seen.clear()
    fit(model, X, Y, recording, SGD(model.parameters(), lr=0.1), epochs=1, batch_size=1, seed=0,
        replacement=True, progress=False)
    draws = np.random.default_rng(0)
    expected = [[Y[draws.integers(0, 10, size=1)][0].tolist()] for _ in range(10)]
    assert seen == expected                                                  # "a random point each step"


def test_both_engines_give_the_same_history():
    X, Y = hh19()
    t = MLP([2, 2, 3, 2], activation="sigmoid", init="normal", seed=4)
    s = scalar.MLP(2, [2, 3, 2], activation="sigmoid", output_activation="sigmoid").set_weights(t.get_weights())
    ht = fit(t, X, Y, losses.quadratic, SGD(t.parameters(), lr=1.0, momentum=0.5), epochs=5, batch_size=4,
             seed=2, progress=False)
    hs = fit(s, X, Y, losses.quadratic, SGD(s.parameters(), lr=1.0, momentum=0.5), epochs=5, batch_size=4,
             seed=2, progress=False)
    np.testing.assert_allclose(hs.loss, ht.loss, rtol=1e-12)
    assert hs.accuracy == ht.accuracy
    for (W, b), (V, c) in zip(t.get_weights(), s.get_weights()):
        np.testing.assert_allclose(V, W, rtol=1e-11, atol=1e-13)
        np.testing.assert_allclose(c, b, rtol=1e-11, atol=1e-13)


def test_history_records_loss_accuracy_and_time_per_epoch():
    X, Y = hh19()
    model = MLP([2, 2, 3, 2], seed=0)
    h = fit(model, X, Y, "quadratic", SGD(model.parameters(), lr=0.1), epochs=4, progress=False)
    assert len(h.loss) == len(h.accuracy) == len(h.time) == 4
    assert all(0.0 <= a <= 1.0 for a in h.accuracy) and h.time == sorted(h.time)
    # one-hot targets: accuracy is argmax agreement, computed during the epoch on the outputs before the step
    reg = MLP([2, 1], output_activation="identity", seed=0)
    h = fit(reg, X, X[:, 0] * 2.5 - 0.3, "mse", SGD(reg.parameters(), lr=0.1), epochs=2, progress=False)
    assert h.accuracy is None                                                # regression


def test_the_first_epoch_loss_is_the_loss_before_any_step():
    X, Y = hh19()
    model = MLP([2, 2, 3, 2], seed=0)
    before = evaluate(model, X, Y, losses.quadratic)
    h = fit(model, X, Y, losses.quadratic, SGD(model.parameters(), lr=0.1), epochs=1, progress=False)
    assert h.loss[0] == pytest.approx(before["loss"], rel=1e-14)
    assert h.accuracy[0] == before["accuracy"]


def test_predict_and_evaluate():
    X, Y = hh19()
    model = MLP([2, 2, 3, 2], seed=0)
    out = outputs(model, X)
    np.testing.assert_array_equal(out, model(X).data)
    np.testing.assert_array_equal(predict(model, X), out.argmax(axis=1))      # classes, scikit-learn's predict
    accuracy = np.mean(out.argmax(axis=1) == Y.argmax(axis=1))
    assert evaluate(model, X, Y)["accuracy"] == accuracy and evaluate(model, X, Y)["loss"] is None
    s = scalar.MLP(2, [3, 1], seed=0)
    assert outputs(s, X).shape == (10, 1) and predict(s, X).shape == (10,)


def test_accuracy_for_labels_hinge_and_logits():
    X = np.random.default_rng(0).normal(size=(6, 2))
    model = MLP([2, 3], output_activation="identity", seed=0)
    labels = np.array([0, 1, 2, 0, 1, 2])
    right = np.mean(model(X).data.argmax(axis=1) == labels)
    assert evaluate(model, X, labels, losses.cross_entropy)["accuracy"] == right
    one = MLP([2, 1], output_activation="identity", seed=0)
    signs = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
    assert evaluate(one, X, signs, losses.hinge)["accuracy"] == np.mean((one(X).data[:, 0] > 0) == (signs > 0))
    bits = (signs > 0).astype(float)
    got = evaluate(one, X, bits, losses.binary_cross_entropy_with_logits)["accuracy"]
    assert got == np.mean((one(X).data[:, 0] > 0) == (bits > 0.5))


def test_fit_rejects_bad_arguments():
    X, y = boolean("and")
    model = MLP([2, 1], seed=0)
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="X has 4 rows but Y has 3"):
        fit(model, X, y[:3], losses.mse, opt, epochs=1)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        fit(model, X, y, losses.mse, opt, epochs=1, batch_size=0)
    with pytest.raises(ValueError, match=r"shape \(N, n_in\)"):
        fit(model, X[0], y, losses.mse, opt, epochs=1)


def test_progress_shows_with_tqdm_or_prints_lines_without_it(monkeypatch, capsys):
    import sys

    import nn.train

    X, y = boolean("or")
    model = MLP([2, 1], seed=0)
    monkeypatch.setattr(nn.train, "_SHOW_AFTER", 0.0)                    # show even this short run
    fit(model, X, y, losses.mse, SGD(model.parameters(), lr=0.1), epochs=3)
    bar = capsys.readouterr().err
    assert "fit:" in bar and "/3 [" in bar and "epoch/s" in bar               # tqdm's bar over the epochs
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)                  # as if tqdm were not installed
    fit(model, X, y, losses.mse, SGD(model.parameters(), lr=0.1), epochs=3)
    assert "fit: epoch 3/3 loss" in capsys.readouterr().err
    fit(model, X, y, losses.mse, SGD(model.parameters(), lr=0.1), epochs=3, progress=False)
    assert capsys.readouterr().err == ""


def test_fit_rejects_an_optimizer_built_for_another_model():
    X, y = boolean("and")
    model, old = MLP([2, 1], seed=0), MLP([2, 1], seed=0)
    with pytest.raises(ValueError, match=r"the optimizer holds none of this MLP's parameters.*SGD\(model"):
        fit(model, X, y, losses.mse, SGD(old.parameters(), lr=0.1), epochs=1, progress=False)
    s = scalar.MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="none of this MLP's parameters"):
        fit(s, X, y, losses.mse, Adam(scalar.MLP(2, [1], seed=0).parameters(), lr=0.1), epochs=1, progress=False)


class _DropoutNet(nn.Module):
    """Linear -> ReLU -> Dropout(0.5) -> Linear: a model whose outputs depend on train/eval mode."""

    def __init__(self):
        self.hidden, self.drop, self.out = nn.Linear(2, 8, seed=0), nn.Dropout(0.5, seed=1), nn.Linear(8, 3, seed=2)

    def forward(self, x):
        return self.out(self.drop(self.hidden(x).relu()))


def test_predict_outputs_and_evaluate_switch_dropout_off_and_restore_the_mode():
    X = np.random.default_rng(0).normal(size=(12, 2))
    labels = np.arange(12) % 3
    net = _DropoutNet()
    assert net.training
    expected = net.eval()(X).data                      # the deterministic network, by hand
    net.train()
    np.testing.assert_array_equal(outputs(net, X), expected)
    np.testing.assert_array_equal(predict(net, X), expected.argmax(axis=1))
    got = evaluate(net, X, labels, losses.cross_entropy)
    assert got["accuracy"] == np.mean(expected.argmax(axis=1) == labels)
    assert got["loss"] == pytest.approx(losses.cross_entropy(expected, labels), rel=1e-12)
    assert net.training and net.drop.training            # the caller's mode comes back
    net.eval()
    outputs(net, X)
    assert not net.training and not net.drop.training


def test_fit_trains_with_dropout_on_validates_with_it_off_and_restores_the_mode():
    X = np.random.default_rng(0).normal(size=(12, 2))
    labels = np.arange(12) % 3
    seen = []

    class Spy(_DropoutNet):
        def forward(self, x):
            seen.append(self.drop.training)
            return super().forward(x)

    for start in (True, False):                        # also after a model.eval() the user forgot to undo
        net = Spy().train(start)
        seen.clear()
        h = fit(net, X, labels, losses.cross_entropy, SGD(net.parameters(), lr=0.1), epochs=2, batch_size=6,
                validation=(X, labels), progress=False)
        assert seen == [True, True, False] * 2           # two training steps, then validation, each epoch
        assert net.training is start
        net.eval()
        assert h.val_loss[-1] == pytest.approx(losses.cross_entropy(net(X).data, labels), rel=1e-12)


def test_accuracy_of_a_column_of_labels_is_counted_against_the_classes_not_broadcast():
    X = np.random.default_rng(0).normal(size=(40, 2))
    model = MLP([2, 2], output_activation="softmax", seed=0)
    classes = outputs(model, X).argmax(axis=1)
    bits = classes.astype(float)
    right = evaluate(model, X, bits)["accuracy"]
    assert right == 1.0                                  # labels (N,): the argmax is every class
    assert evaluate(model, X, bits[:, None])["accuracy"] == 1.0   # labels (N, 1): the same classes
    assert evaluate(model, X, classes[:, None])["accuracy"] == 1.0
    # -1/+1 labels for two outputs say nothing about which output is which class: no accuracy, not a broadcast
    assert evaluate(model, X, 2 * bits - 1)["accuracy"] is None
    wide = MLP([2, 3], seed=0)                           # 0/1 targets of another width than the outputs
    assert evaluate(wide, X, np.ones((40, 2)))["accuracy"] is None


def test_the_accuracy_rule_reads_every_target_of_a_large_set():
    # over 10**6 target entries the rule once skipped reading the values (an empty set of values, which every
    # test of "values within ..." passes): a regression got an "accuracy", -1/+1 labels were cut at 0.5
    rng = np.random.default_rng(0)
    X = rng.normal(size=(10**6 + 1, 1))
    model = MLP([1, 1], output_activation="tanh", seed=0)
    assert evaluate(model, X, 0.3 * X[:, 0] + 0.1, losses.mse)["accuracy"] is None
    signs = np.where(X[:, 0] > 0, 1.0, -1.0)
    out = outputs(model, X)[:, 0]
    assert evaluate(model, X, signs)["accuracy"] == np.mean((out > 0) == (signs > 0))
