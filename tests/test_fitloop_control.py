"""fit's control flow under hostile use: what a callback returns, an interrupt in the middle of an epoch, a
callback that changes the optimizer or freezes a weight, validation data that is not finite. Every expected
number comes from a plain SGD loop written here on the eager engine, never from fit itself."""

import numpy as np
import pytest

import nn.train as train
from autograd import Tensor
from nn import MLP, SGD, fit, losses
from nn.compiled_fit import CompiledFit


def _data(n: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, (X[:, :1] > 0).astype(float)


def _model() -> MLP:
    return MLP([3, 4, 1], activation="tanh", seed=0)


def _weights(model: MLP) -> np.ndarray:
    return np.concatenate([np.ravel(p.data) for p in model.parameters()])


def _by_hand(X: np.ndarray, Y: np.ndarray, batches: list, lr: float, momentum: float = 0.0) -> np.ndarray:
    """The weights after plain SGD steps on the given batches (lists of rows), on the eager engine."""
    model = _model()
    opt = SGD(model.parameters(), lr=lr, momentum=momentum)
    for rows in batches:
        L = losses.mse(model(Tensor(X[rows])), Y[rows])
        opt.zero_grad()
        L.backward()
        opt.step()
    return _weights(model)


# --- what a callback returns -------------------------------------------------------------------------------------
@pytest.mark.parametrize("said", [1, "stop", "continue", [0], 0.0, Tensor(np.array(1.0)), np.array([1, 0])])
def test_a_callback_returning_anything_but_none_or_a_bool_is_refused_by_name(said):
    # "continue" is truthy: it stopped the run; [] and 0.0 let it go on; both read as the opposite of a guess
    X, Y = _data()
    model = _model()
    with pytest.raises(TypeError, match=r"fit: the callback returned .* after epoch 0.*True to stop") as info:
        fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 4, callback=lambda e, h: said, progress=False)
    assert len(info.value.history.train_loss) == 1          # the epoch it judged is recorded


@pytest.mark.parametrize("said, epochs_run", [(None, 4), (False, 4), (np.bool_(False), 4), (True, 1),
                                              (np.bool_(True), 1)])
def test_a_callback_returning_none_or_a_bool_goes_on_or_stops(said, epochs_run):
    X, Y = _data()
    model = _model()
    h = fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 4, callback=lambda e, h: said, progress=False)
    assert len(h.train_loss) == epochs_run
    assert h.stopped_epoch == (0 if epochs_run == 1 else None)


# --- an interrupt in the middle of an epoch ----------------------------------------------------------------------
class _Interrupt:
    """Wraps a per-sample function: raises KeyboardInterrupt (Ctrl-C) at its k-th call."""

    def __init__(self, f, k: int) -> None:
        self.f, self.k, self.calls = f, k, 0

    def __call__(self, *args):
        self.calls += 1
        if self.calls == self.k:
            raise KeyboardInterrupt
        return self.f(*args)


@pytest.mark.parametrize("batch_size, k, steps", [(1, 5, 4), (3, 8, 2)])   # 8th sample: in the third batch
def test_ctrl_c_inside_a_compiled_epoch_leaves_the_model_at_its_last_step(monkeypatch, batch_size, k, steps):
    X, Y = _data()

    class Interrupted(CompiledFit):
        def __init__(self, *args):
            super().__init__(*args)
            self.function = _Interrupt(self.function, k)   # after the start-up checks

    monkeypatch.setattr(train, "CompiledFit", Interrupted)
    model = _model()
    with pytest.raises(KeyboardInterrupt):
        fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 1, batch_size=batch_size, seed=0,
            progress=False, compile=True)
    order = np.random.default_rng(0).permutation(len(X))            # fit's first epoch with seed=0
    batches = [order[i:i + batch_size] for i in range(0, len(X), batch_size)][:steps]
    np.testing.assert_allclose(_weights(model), _by_hand(X, Y, batches, 0.1), rtol=1e-12, atol=1e-14)
    assert model.training                                            # the mode it came in with


def test_ctrl_c_from_the_loss_of_an_eager_epoch_leaves_the_model_at_its_last_step():
    X, Y = _data()
    model = _model()
    model.eval()
    loss = _Interrupt(losses.mse, 5)
    with pytest.raises(KeyboardInterrupt):
        fit(model, X, Y, loss, SGD(model.parameters(), lr=0.1), 1, batch_size=1, seed=0, progress=False)
    order = np.random.default_rng(0).permutation(len(X))
    np.testing.assert_allclose(_weights(model), _by_hand(X, Y, [order[i:i + 1] for i in range(4)], 0.1),
                               rtol=1e-12, atol=1e-14)
    assert not model.training
    h = fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 2, progress=False)   # and it trains on
    assert len(h.train_loss) == 2


# --- a callback that changes what compile=True runs --------------------------------------------------------------
@pytest.mark.parametrize("change", ["momentum", "weight_decay"])
def test_a_callback_giving_sgd_momentum_or_weight_decay_is_refused_by_a_compiled_run(change):
    # the compiled steps are plain SGD: they would have gone on without the momentum the eager steps now take
    X, Y = _data()
    model = _model()
    opt = SGD(model.parameters(), lr=0.1)

    def callback(epoch, history):
        setattr(opt, change, 0.5)

    with pytest.raises(ValueError, match=rf"fit\(compile=True\): .*{change}=0.5.*compile=False"):
        fit(model, X, Y, "mse", opt, 3, batch_size=4, seed=0, progress=False, compile=True, callback=callback)
    eager = _model()
    opt = SGD(eager.parameters(), lr=0.1)
    fit(eager, X, Y, "mse", opt, 1, batch_size=4, seed=0, progress=False)
    np.testing.assert_allclose(_weights(model), _weights(eager), rtol=1e-12, atol=1e-14)   # one epoch, no more


@pytest.mark.parametrize("compile", [False, True])
def test_a_weight_frozen_by_a_callback_is_refused_by_a_compiled_run_and_stays_in_an_eager_one(compile):
    X, Y = _data()
    model = _model()
    frozen = {}

    def callback(epoch, history):
        if epoch == 0:
            model.layers[0].weight.requires_grad_(False)
            frozen["w"] = model.layers[0].weight.data.copy()

    def run():
        fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 3, batch_size=4, seed=0, progress=False,
            compile=compile, callback=callback)

    if compile:
        with pytest.raises(ValueError, match=r"fit\(compile=True\): layers.0.weight .*frozen.*compile=False"):
            run()
    else:
        run()
    np.testing.assert_array_equal(model.layers[0].weight.data, frozen["w"])


# --- validation data ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["X", "Y"])
def test_validation_data_with_nan_or_inf_is_refused_before_the_first_step(where):
    # a NaN validation loss never improves: patience ran out after `patience` epochs, nothing was restored, and
    # the run looked like ordinary early stopping
    X, Y = _data()
    Xv, Yv = _data(9, seed=1)
    if where == "X":
        Xv[0, 0] = np.inf
    else:
        Yv[0, 0] = np.nan
    model = MLP([3, 4, 1], activation="relu", seed=0)
    before = _weights(model)
    with pytest.raises(ValueError, match=r"fit: the validation X or Y contains NaN or inf"):
        fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 5, validation=(Xv, Yv), patience=2,
            progress=False)
    np.testing.assert_array_equal(_weights(model), before)


# --- which stop restores the best weights ------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["callback", "tol"])
@pytest.mark.parametrize("epochs", [3, 5])
def test_a_callback_or_tol_ending_the_run_restores_the_best_weights_also_on_the_last_epoch(how, epochs):
    # the same run (stopped after epoch 2) must leave the same weights whether epochs=3 or epochs=5: patience
    # running out already did; a stop by callback or tol on the last epoch kept the last weights
    X, Y = _data()
    Xv, Yv = X, 1.0 - Y                                  # validation on flipped targets: it only gets worse
    kwargs = dict(batch_size=4, seed=0, progress=False, validation=(Xv, Yv), patience=50)

    def run(n, **more):
        model = _model()
        h = fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), n, **kwargs, **more)
        return model, h

    one, _ = run(1)                                        # the weights after epoch 0, the best one
    if how == "callback":
        model, h = run(epochs, callback=lambda epoch, history: epoch == 2)
    else:
        _, free = run(3)
        steps = np.abs(np.diff(free.train_loss))
        assert steps[1] < steps[0]                         # so a tol between them stops after epoch 2
        model, h = run(epochs, tol=float((steps[0] + steps[1]) / 2))
    assert len(h.train_loss) == 3 and h.best_epoch == 0
    np.testing.assert_array_equal(_weights(model), _weights(one))


# --- the figures of a run that an error or Ctrl-C ended ----------------------------------------------------------
def _lengths(h) -> set:
    return {len(v) for v in (h.train_loss, h.train_accuracy, h.val_loss, h.val_accuracy, h.time) if v is not None}


def test_an_error_from_a_callback_carries_the_history_of_the_epochs_that_finished():
    X, Y = _data()
    model = _model()

    def callback(epoch, history):
        if epoch == 2:
            raise RuntimeError("the callback's own bug")

    with pytest.raises(RuntimeError, match="the callback's own bug") as info:
        fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 5, validation=(X, Y), callback=callback,
            progress=False)
    assert _lengths(info.value.history) == {3}


@pytest.mark.parametrize("calls, epochs_done", [(3, 1), (4, 1), (5, 2)])
def test_ctrl_c_carries_a_history_whose_lists_all_hold_the_epochs_that_finished(calls, epochs_done):
    # full batch with validation: the loss runs twice an epoch (the step, then validation); Ctrl-C in the
    # validation of the second epoch (call 4) came after its train_loss was recorded, before its val_loss
    X, Y = _data()
    model = MLP([3, 4, 2], activation="tanh", output_activation="softmax", seed=0)
    labels = Y[:, 0].astype(int)
    loss = _Interrupt(losses.cross_entropy, calls)
    with pytest.raises(KeyboardInterrupt) as info:
        fit(model, X, labels, loss, SGD(model.parameters(), lr=0.1), 10, validation=(X, labels), progress=False)
    h = info.value.history
    assert _lengths(h) == {epochs_done} and h.train_accuracy is not None and h.val_accuracy is not None


def test_replacement_draws_n_over_batch_size_rounded_up_batches_of_batch_size_rows():
    X, Y = _data(10)
    model = _model()
    sizes = []

    def loss(out, target):
        sizes.append(len(target))
        return losses.mse(out, target)

    fit(model, X, Y, loss, SGD(model.parameters(), lr=0.1), 2, batch_size=3, replacement=True, seed=0,
        progress=False)
    assert sizes == [3] * (2 * 4)                          # ceil(10 / 3) = 4 batches of 3 rows, each epoch


@pytest.mark.parametrize("compile", [False, True])
def test_replacement_with_a_batch_larger_than_n_draws_batch_size_rows_and_steps_as_sgd_on_them(compile):
    # with replacement, a batch of 25 rows from 10 is well defined (25 draws); it was silently cut to 10
    X, Y = _data(10)
    model = _model()
    fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 2, batch_size=25, replacement=True, seed=3,
        progress=False, compile=compile)
    rng = np.random.default_rng(3)
    draws = [rng.integers(0, 10, size=(1, 25))[0] for _ in range(2)]     # ceil(10 / 25) = 1 batch an epoch
    np.testing.assert_allclose(_weights(model), _by_hand(X, Y, draws, 0.1), rtol=1e-12, atol=1e-15)


def test_validation_accuracy_reads_outputs_at_the_trainings_threshold_as_evaluate_does():
    # an identity output trained with mse on -1/+1 targets is read at 0; validation targets that happen to be all
    # +1 look like 0/1 targets on their own, and were read at 1/2: an output 0.3 on target +1 counted wrong
    from nn import evaluate
    model = MLP([1, 1], activation="identity", seed=0)
    model.set_weights([(np.array([[1.0]]), np.array([0.0]))])
    X, y = np.array([[-2.0], [-1.0], [1.0], [2.0]]), np.array([[-1.0], [-1.0], [1.0], [1.0]])
    h = fit(model, X, y, "mse", SGD(model.parameters(), lr=1e-9), 1, validation=(np.array([[0.3]]), np.array([[1.0]])),
            progress=False)
    assert float(model(Tensor([[0.3]])).data[0, 0]) > 0                  # the output stays at about 0.3, above 0
    assert h.val_accuracy == [1.0] == [evaluate(model, np.array([[0.3]]), np.array([[1.0]]), "mse")["accuracy"]]
