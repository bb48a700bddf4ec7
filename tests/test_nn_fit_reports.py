"""fit() reports what students look at (issue 11): validation figures per epoch, callbacks, early stopping, a fresh
shuffle every epoch that a rerun repeats, float32 models kept float32, classes and probabilities out, labels in."""

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import MLP, SGD, evaluate, fit, losses, outputs, predict, predict_proba, scalar
from nn.data import moons, spirals


def _spirals():
    X, y = spirals(120, classes=3, noise=0.1, seed=0)
    return X[::2], y[::2], X[1::2], y[1::2]


def test_validation_figures_equal_a_hand_computed_accuracy_and_loss_after_each_epoch():
    X, y, Xv, yv = _spirals()
    model = MLP([2, 16, 3], activation="tanh", output_activation="identity", seed=0)
    by_hand = []

    def check(epoch, history):
        z = model(Xv).data                                         # the model as it stands after the epoch
        zs = z - z.max(axis=1, keepdims=True)
        log_p = zs - np.log(np.exp(zs).sum(axis=1, keepdims=True))
        by_hand.append((float(np.mean(z.argmax(axis=1) == yv)), float(-log_p[np.arange(len(yv)), yv].mean())))

    h = fit(model, X, y, losses.cross_entropy, SGD(model.parameters(), lr=0.5), epochs=4, batch_size=8, seed=0,
            validation=(Xv, yv), callback=check, progress=False)
    assert len(h.val_accuracy) == len(h.val_loss) == len(h.train_loss) == len(h.train_accuracy) == 4
    assert h.val_accuracy == [a for a, _ in by_hand]
    assert h.val_loss == pytest.approx([c for _, c in by_hand], rel=1e-12)
    assert h.loss is h.train_loss and h.accuracy is h.train_accuracy          # the older names
    final = evaluate(model, Xv, yv, losses.cross_entropy)
    assert final["accuracy"] == h.val_accuracy[-1] and final["loss"] == pytest.approx(h.val_loss[-1], rel=1e-12)


def test_validation_on_the_scalar_engine():
    X, y = moons(30, seed=0)
    model = scalar.MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    h = fit(model, X, y, losses.binary_cross_entropy, SGD(model.parameters(), lr=0.5), epochs=2, batch_size=10,
            seed=0, validation=(X, y), progress=False)
    right = np.mean((np.array([model(x).data for x in X]) > 0.5) == (y > 0.5))
    assert h.val_accuracy[-1] == right and len(h.val_loss) == 2


def test_shuffle_differs_between_epochs_from_one_int_seed_and_repeats_exactly_on_a_rerun():
    X = np.arange(20.0).reshape(20, 1)
    y = np.arange(20.0)

    def run():
        seen = []

        def loss(out, target):
            seen.append(np.asarray(target).tolist())
            return losses.mse(out, target)
        model = MLP([1, 1], output_activation="identity", seed=0)
        fit(model, X, y, loss, SGD(model.parameters(), lr=1e-4), epochs=3, batch_size=5, seed=7, progress=False)
        return [sum(seen[e * 4:(e + 1) * 4], []) for e in range(3)], model.get_weights()

    (orders, weights), (again, weights_again) = run(), run()
    assert all(sorted(o) == list(range(20)) for o in orders)          # each epoch sees every row once
    assert orders[0] != orders[1] and orders[1] != orders[2]          # a fresh shuffle every epoch
    assert orders == again                                             # the same int seed: the same run
    np.testing.assert_array_equal(weights[0][0], weights_again[0][0])


def test_a_generator_seed_goes_on_from_call_to_call():
    X, y = np.arange(10.0).reshape(10, 1), np.arange(10.0)
    seen = []

    def loss(out, target):
        seen.append(np.asarray(target).tolist())
        return losses.mse(out, target)
    model = MLP([1, 1], output_activation="identity", seed=0)
    rng = np.random.default_rng(0)
    for _ in range(2):
        fit(model, X, y, loss, SGD(model.parameters(), lr=1e-4), epochs=1, batch_size=10, seed=rng, progress=False)
    assert seen[0] != seen[1]


def test_early_stopping_stops_after_patience_epochs_and_restores_the_best_weights():
    X, y, Xv, yv = _spirals()
    model = MLP([2, 16, 3], activation="tanh", output_activation="identity", seed=0)
    weights = {}

    def keep(epoch, history):
        weights[epoch] = model.get_weights()

    h = fit(model, X, y, losses.cross_entropy, SGD(model.parameters(), lr=5.0), epochs=200, batch_size=4, seed=0,
            validation=(Xv, yv), patience=3, callback=keep, progress=False)
    assert h.stopped_epoch is not None and h.stopped_epoch == len(h.val_loss) - 1 < 199
    assert h.best_epoch == int(np.argmin(h.val_loss)) and h.stopped_epoch - h.best_epoch == 3
    for (W, b), (Wb, bb) in zip(model.get_weights(), weights[h.best_epoch]):
        np.testing.assert_array_equal(W, Wb)
        np.testing.assert_array_equal(b, bb)
    assert "stopped early" in repr(h)


def test_a_callback_returning_true_stops_the_run():
    X, y, _, _ = _spirals()
    model = MLP([2, 3], output_activation="identity", seed=0)
    h = fit(model, X, y, "cross_entropy", SGD(model.parameters(), lr=0.1), epochs=10, progress=False,
            callback=lambda epoch, history: epoch == 1)
    assert len(h.train_loss) == 2 and h.stopped_epoch == 1


def test_patience_without_validation_and_a_bad_validation_are_refused():
    X, y, _, _ = _spirals()
    model = MLP([2, 3], output_activation="identity", seed=0)
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="patience .*validation"):
        fit(model, X, y, "cross_entropy", opt, epochs=1, patience=2, progress=False)
    with pytest.raises(TypeError, match="validation must be a pair"):
        fit(model, X, y, "cross_entropy", opt, epochs=1, validation=X, progress=False)
    with pytest.raises(ValueError, match="X has 60 rows but Y has 3"):
        fit(model, X, y, "cross_entropy", opt, epochs=1, validation=(X, y[:3]), progress=False)
    with pytest.raises(TypeError, match="callback must be a function"):
        fit(model, X, y, "cross_entropy", opt, epochs=1, callback=3, progress=False)


def test_progress_bar_shows_the_epochs_loss_and_accuracy():
    from nn.train import History, _Progress
    h = History(train_loss=[0.5], train_accuracy=[0.75], val_loss=[0.625], val_accuracy=[0.5], time=[1.0])
    assert _Progress.figures(h) == "loss 0.5 acc 0.750 val_loss 0.625 val_acc 0.500"


def test_a_float32_model_stays_float32_end_to_end():
    X, y, Xv, yv = _spirals()
    model = MLP([2, 8, 3], activation="tanh", output_activation="softmax", seed=0, dtype=np.float32)
    assert all(p.data.dtype == np.float32 for p in model.parameters()) and "float32" in repr(model)
    out = model(X)                                                   # float64 input, converted to the model's
    assert out.data.dtype == np.float32
    L = losses.cross_entropy(out, y)
    assert L.data.dtype == np.float32
    L.backward()
    assert all(p.grad.dtype == np.float32 for p in model.parameters())
    seen = []
    fit(model, X, y, lambda o, t: seen.append(o.data.dtype) or losses.cross_entropy(o, t),
        SGD(model.parameters(), lr=0.1), epochs=2, batch_size=10, validation=(Xv, yv), progress=False)
    assert set(seen) == {np.dtype(np.float32)}
    assert all(p.data.dtype == np.float32 for p in model.parameters())
    assert outputs(model, Xv).dtype == np.float32 and predict_proba(model, Xv).dtype == np.float32
    with pytest.raises(TypeError, match="dtype must be np.float64"):
        MLP([2, 3], dtype=np.int32)


def test_standard_normal_initialiser_is_network_py_n01_and_normal_is_hh19s_half():
    big = MLP([400, 300], init="standard_normal", seed=0).get_weights()[0][0]
    half = MLP([400, 300], init="normal", seed=0).get_weights()[0][0]
    assert big.std() == pytest.approx(1.0, abs=0.01) and half.std() == pytest.approx(0.5, abs=0.005)
    np.testing.assert_allclose(big, 2 * half)                           # the same draws, scaled


def test_predict_gives_classes_and_predict_proba_probabilities():
    X = np.random.default_rng(0).normal(size=(7, 2))
    soft = MLP([2, 4, 3], output_activation="softmax", seed=0)
    p = predict_proba(soft, X)
    np.testing.assert_allclose(p, soft(X).data) and np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_array_equal(predict(soft, X), p.argmax(axis=1))
    np.testing.assert_array_equal(soft.predict(X), predict(soft, X))
    logits = MLP([2, 4, 3], output_activation="identity", seed=0)     # same weights, logits out
    np.testing.assert_allclose(predict_proba(logits, X), p, rtol=1e-12)
    one = MLP([2, 1], output_activation="sigmoid", seed=0)
    a = one(X).data[:, 0]
    np.testing.assert_allclose(one.predict_proba(X), np.column_stack([1 - a, a]))
    np.testing.assert_array_equal(predict(one, X), (a > 0.5).astype(int))
    s = scalar.MLP(2, [4, 1], output_activation="sigmoid", seed=0)
    assert s.predict(X).shape == (7,) and s.predict_proba(X).shape == (7, 2)
    with pytest.raises(ValueError, match="relu"):
        predict_proba(MLP([2, 3], output_activation="relu", seed=0), X)


def test_quadratic_mse_and_bce_take_integer_labels_as_one_hot_rows():
    A = np.random.default_rng(0).uniform(0.05, 0.95, size=(5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    onehot = np.eye(4)[labels]
    for loss in (losses.quadratic, losses.mse, losses.binary_cross_entropy):
        assert loss(A, labels) == pytest.approx(loss(A, onehot), rel=1e-14)
        t = Tensor(A, requires_grad=True)
        loss(t, labels).backward()
        t2 = Tensor(A, requires_grad=True)
        loss(t2, onehot).backward()
        np.testing.assert_array_equal(t.grad, t2.grad)
    vals = [[Value(a) for a in row] for row in A]
    assert losses.quadratic(vals, labels).data == pytest.approx(losses.quadratic(A, onehot), rel=1e-14)
    with pytest.raises(ValueError, match="whole numbers 0..3"):
        losses.quadratic(A, np.array([0, 4, 1, 1, 2]))


def test_patience_running_out_on_the_last_epoch_still_restores_the_best_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    y = (X[:, 0] > 0).astype(float)
    Xv = rng.normal(size=(20, 2))
    yv = 1.0 - (Xv[:, 0] > 0)                 # validation labels flipped: the validation loss rises every epoch
    for epochs in (3, 4):                     # patience 2 runs out after epoch 2: the last epoch, or not
        model = MLP([2, 1], output_activation="sigmoid", seed=0)
        first = {}

        def keep(epoch, history, model=model, first=first):
            first[epoch] = model.get_weights()

        h = fit(model, X, y, losses.binary_cross_entropy, SGD(model.parameters(), lr=0.5), epochs=epochs,
                validation=(Xv, yv), patience=2, callback=keep, progress=False)
        assert h.best_epoch == 0 and len(h.val_loss) == 3
        assert h.stopped_epoch == (None if epochs == 3 else 2)      # a run that ends anyway was not cut short
        (W, b), = model.get_weights()
        np.testing.assert_array_equal(W, first[0][0][0])
        np.testing.assert_array_equal(b, first[0][0][1])
