"""fit(..., compile=True) (issue 11): the per-sample loss traced once and run as plain floats takes the steps the eager
engine takes (same seed, same samples, weights to ~1e-12), reports the same History, writes the weights back in
the model's dtype through the in-place path, and refuses by name what it cannot trace faithfully. Also the two
pieces it needs: compile(..., has_aux=True) and losses whose Value targets stay inputs of a trace."""

import math

import numpy as np
import pytest

from autograd import GraphChanged, Tensor, Value, compile
from nn import MLP, SGD, Adam, Linear, fit, losses, outputs, scalar
from nn.compiled_fit import CompiledFit
from nn.data import hh19, moons, spirals

# --- compile(..., has_aux=True) -----------------------------------------------------------------------------------


def _loss_and_outputs(w, x):
    a = (w[0] * x[0] + w[1]).sigmoid()
    b = (w[2] * x[0]).tanh()                       # reported, not part of the loss
    return (a - x[1]) * (a - x[1]), [a, b, x[0]]


def test_has_aux_returns_the_aux_floats_with_the_eager_engines_value_and_gradient():
    fast = compile(_loss_and_outputs, ([0.3, -0.2, 0.5], [1.0, 1.0]), wrt=0, has_aux=True)
    for w, x in [([0.3, -0.2, 0.5], [2.0, 1.0]), ([-1.5, 0.7, 2.0], [0.5, 0.0])]:
        value, (grad,), aux = fast(w, x)
        ws, xs = [Value(v) for v in w], [Value(v) for v in x]
        L, outs = _loss_and_outputs(ws, xs)
        L.backward()
        assert value == L.data and grad == [v.grad for v in ws]          # bitwise, as without aux
        assert aux == [o.data for o in outs]
        assert grad[2] == 0.0                                            # b is never differentiated
        assert aux[1] == math.tanh(w[2] * x[0])


def test_has_aux_keeps_source_readable_and_sgd_ignores_the_aux():
    fast = compile(_loss_and_outputs, ([0.3, -0.2, 0.5], [1.0, 1.0]), wrt=0, has_aux=True)
    assert fast.source.rstrip().splitlines()[-1].strip().startswith("return v")
    assert fast.source.rstrip().endswith(", x0]")
    assert "tanh" not in fast.sgd_source                                 # the aux-only line is left out
    plain = compile(lambda w, x: _loss_and_outputs(w, x)[0], ([0.3, -0.2, 0.5], [1.0, 1.0]), wrt=0)
    data = [[1.0, 1.0], [2.0, 0.0]]
    assert fast.sgd([0.3, -0.2, 0.5], data, lr=0.1, order=[0, 1, 1]) == \
        plain.sgd([0.3, -0.2, 0.5], data, lr=0.1, order=[0, 1, 1])


def test_has_aux_refuses_a_function_that_returns_no_pair_and_check_compares_the_aux():
    with pytest.raises(TypeError, match="has_aux=True.*pair"):
        compile(lambda w: w[0] * w[0], [1.0], has_aux=True)
    with pytest.raises(TypeError, match="has_aux must be True or False"):
        compile(lambda w: w[0] * w[0], [1.0], has_aux="yes")

    def branching(w):
        out = w[0].tanh() if w[0].data > 0 else w[0].sigmoid()
        return w[0] * w[0], [out]

    fast = compile(branching, [1.0], has_aux=True, check=True)
    assert fast([2.0])[2] == [math.tanh(2.0)]
    with pytest.raises(GraphChanged):
        fast([-2.0])


# --- losses on Value targets --------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss, traced, target", [
    (losses.quadratic, [1.0, 0.0], [0.0, 1.0]), (losses.mse, [1.0, 0.0], [2.0, -1.0]),
    (losses.cross_entropy, [1.0, 0.0], [0.0, 1.0]), (losses.hinge, [1.0, 1.0], [1.0, -1.0]),
    (losses.binary_cross_entropy_with_logits, [0.0, 1.0], [1.0, 0.0])])
def test_a_loss_reads_value_targets_as_inputs_of_a_trace(loss, traced, target):
    fast = compile(lambda w, y: loss([[w[0], w[1]]], [y]), ([0.2, 0.7], traced), wrt=0, check=True)
    value, (grad,) = fast([0.2, -0.4], target)                  # another target than the traced one
    w = Tensor(np.array([[0.2, -0.4]]), requires_grad=True)
    L = loss(w, np.array([target]))
    L.backward()
    assert value == pytest.approx(float(L.data), rel=1e-14)
    np.testing.assert_allclose(grad, w.grad[0], rtol=1e-13, atol=1e-16)


def test_log_sum_exp_of_values_is_stable_and_reads_no_number_from_the_data():
    z = [1000.0, -1000.0, 999.0]
    L = losses.log_sum_exp([Value(v) for v in z])
    assert L.data == pytest.approx(1000.0 + math.log(1.0 + math.exp(-1.0)), rel=1e-15)
    fast = compile(lambda v: losses.log_sum_exp(v), z, check=True)
    value, grad = fast([-3.0, 2.0, 0.5])                         # no frozen shift: any data, the same graph
    e = np.exp([-3.0, 2.0, 0.5])
    assert value == pytest.approx(math.log(e.sum()), rel=1e-15)
    np.testing.assert_allclose(grad, e / e.sum(), rtol=1e-14, atol=1e-16)


# --- compiled fit takes the eager steps -----------------------------------------------------------------------------


def _close(a, b, rtol=1e-12):
    """Every weight array of two models equal to rtol, relative to the array's largest entry."""
    for (W1, b1), (W2, b2) in zip(a.get_weights(), b.get_weights()):
        for P, Q in ((W1, W2), (b1, b2)):
            assert P.dtype == Q.dtype
            scale = max(float(np.abs(P).max()), 1e-3)
            np.testing.assert_allclose(P, Q, rtol=0, atol=rtol * scale)


def _both(make, X, Y, loss, lr, **kw):
    """The same model trained eagerly and compiled, with the same seed: (eager model, history, compiled ...)."""
    runs = []
    for compiled in (False, True):
        model = make()
        h = fit(model, X, Y, loss, SGD(model.parameters(), lr=lr), seed=7, progress=False, compile=compiled, **kw)
        runs += [model, h]
    return runs


def _spirals():
    return spirals(20, 3, seed=0)


def _moons():
    return moons(30, seed=0)


CASES = {
    "hh19 quadratic sigmoid": (lambda: MLP([2, 2, 3, 2], activation="sigmoid", init="normal", seed=0), hh19,
                               losses.quadratic, 0.05),
    "cross_entropy softmax labels": (lambda: MLP([2, 8, 3], activation="tanh", output_activation="softmax", seed=0),
                                     _spirals, losses.cross_entropy, 0.2),
    "cross_entropy logits labels": (lambda: MLP([2, 8, 3], activation="relu", output_activation="identity",
                                                seed=0), _spirals, "cross_entropy", 0.1),
    "quadratic softmax labels": (lambda: MLP([2, 6, 3], activation="relu", output_activation="softmax", seed=1),
                                 _spirals, losses.quadratic, 0.5),
    "bce sigmoid": (lambda: MLP([2, 6, 1], activation="relu", output_activation="sigmoid", seed=0), _moons,
                    losses.binary_cross_entropy, 0.2),
    "bce sigmoid tanh": (lambda: MLP([2, 6, 1], activation="tanh", output_activation="sigmoid", seed=0), _moons,
                         "binary_cross_entropy", 0.2),
    "mse softplus": (lambda: MLP([2, 5, 1], activation="softplus", output_activation="identity", seed=0), _moons,
                     losses.mse, 0.05),
    "hinge identity": (lambda: MLP([2, 6, 1], activation="relu", output_activation="identity", seed=0),
                       lambda: (_moons()[0], 2.0 * _moons()[1] - 1.0), losses.hinge, 0.1),
    "scalar hinge": (lambda: scalar.MLP(2, [6, 1], seed=0), lambda: (_moons()[0], 2.0 * _moons()[1] - 1.0),
                     losses.hinge, 0.1),
    "scalar hh19": (lambda: scalar.MLP(2, [2, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=0),
                    hh19, losses.quadratic, 0.5),
}


@pytest.mark.parametrize("batch_size", [1, 4], ids=["per-sample", "batch-4"])
@pytest.mark.parametrize("case", list(CASES))
def test_compiled_fit_takes_the_eager_steps_to_1e_12(case, batch_size):
    make, data, loss, lr = CASES[case]
    X, Y = data()
    epochs = max(1, 300 // len(X)) if batch_size == 1 else 8           # a few hundred steps
    a, ha, b, hb = _both(make, X, Y, loss, lr, epochs=epochs, batch_size=batch_size,
                         replacement=batch_size == 1, validation=(X[::2], Y[::2]))
    _close(a, b)
    np.testing.assert_allclose(hb.train_loss, ha.train_loss, rtol=1e-12)
    assert hb.train_accuracy == ha.train_accuracy
    np.testing.assert_allclose(hb.val_loss, ha.val_loss, rtol=1e-12)
    assert hb.val_accuracy == ha.val_accuracy
    assert hb.best_epoch == ha.best_epoch


def test_full_batch_and_shuffled_epochs_take_the_eager_steps():
    X, Y = hh19()
    make = CASES["hh19 quadratic sigmoid"][0]
    for kw in ({"batch_size": None}, {"batch_size": 3, "shuffle": True}, {"batch_size": 1, "shuffle": False}):
        a, ha, b, hb = _both(make, X, Y, losses.quadratic, 0.5, epochs=20, **kw)
        _close(a, b)
        np.testing.assert_allclose(hb.train_loss, ha.train_loss, rtol=1e-12)


def test_one_step_by_hand():
    # z = w x + b, C = 1/2 (z - y)^2: w <- w - lr (z - y) x, b <- b - lr (z - y)
    model = MLP([1, 1], activation="identity", seed=0)
    model.set_weights([(np.array([[0.5]]), np.array([0.25]))])
    h = fit(model, np.array([[2.0]]), np.array([[3.0]]), losses.quadratic, SGD(model.parameters(), lr=0.1),
            epochs=1, batch_size=1, compile=True, progress=False)
    z = 0.5 * 2.0 + 0.25
    assert h.train_loss == [0.5 * (z - 3.0) ** 2]
    assert model.layers[0].weight.data.tolist() == [[0.5 - 0.1 * (z - 3.0) * 2.0]]
    assert model.layers[0].bias.data.tolist() == [0.25 - 0.1 * (z - 3.0)]


def test_float32_model_trains_compiled_and_its_weights_come_back_float32():
    X, y = _spirals()
    make = lambda: MLP([2, 8, 3], activation="tanh", output_activation="softmax", seed=0,  # noqa: E731
                       dtype=np.float32)
    a, ha, b, hb = _both(make, X, y, losses.cross_entropy, 0.2, epochs=5, batch_size=4)
    for (W, c), (V, d) in zip(a.get_weights(), b.get_weights()):
        assert V.dtype == d.dtype == np.float32
        np.testing.assert_allclose(V, W, rtol=0, atol=1e-4)             # float32 steps against float64 ones
        np.testing.assert_allclose(d, c, rtol=0, atol=1e-4)
    np.testing.assert_allclose(hb.train_loss, ha.train_loss, rtol=1e-4)


def test_the_same_int_seed_draws_the_same_samples_in_both_modes():
    # lr so small that the weights stay put: each epoch's training loss is then the mean of the per-sample costs
    # of the rows drawn, which a generator seeded as fit's own predicts
    X, Y = hh19()
    make = CASES["hh19 quadratic sigmoid"][0]
    model = make()
    costs = 0.5 * (outputs(model, X) - Y) ** 2
    per_sample = costs.sum(axis=1)
    rng = np.random.default_rng(11)
    expected = [per_sample[rng.integers(0, len(X), size=(len(X), 1)).ravel()].mean() for _ in range(5)]
    for compiled in (False, True):
        model = make()
        h = fit(model, X, Y, losses.quadratic, SGD(model.parameters(), lr=1e-300), epochs=5, batch_size=1,
                replacement=True, seed=11, compile=compiled, progress=False)
        np.testing.assert_allclose(h.train_loss, expected, rtol=1e-14)


# --- between epochs the model holds the weights ----------------------------------------------------------------------


def test_callbacks_see_the_weights_of_each_epoch_and_may_change_the_learning_rate():
    X, Y = hh19()
    make = CASES["hh19 quadratic sigmoid"][0]
    records = []
    for compiled in (False, True):
        model = make()
        opt = SGD(model.parameters(), lr=0.5)
        seen = []

        def callback(epoch, history, model=model, opt=opt, seen=seen):
            seen.append(model.get_weights())
            opt.lr = 0.5 / (epoch + 2)                   # a schedule, read again at the next epoch
            return epoch == 4

        h = fit(model, X, Y, losses.quadratic, opt, epochs=10, batch_size=2, seed=1, callback=callback,
                compile=compiled, progress=False)
        assert h.stopped_epoch == 4 and len(h.train_loss) == 5
        records.append(seen)
    for eager, comp in zip(*records):
        for (W, c), (V, d) in zip(eager, comp):
            np.testing.assert_allclose(V, W, rtol=0, atol=1e-13)
            np.testing.assert_allclose(d, c, rtol=0, atol=1e-13)


def test_patience_restore_best_and_tol_behave_as_in_eager_mode():
    X, y = _spirals()
    make = CASES["cross_entropy softmax labels"][0]
    a, ha, b, hb = _both(make, X, y, losses.cross_entropy, 3.0, epochs=40, batch_size=5,
                         validation=(X[::3], y[::3]), patience=2)
    assert hb.stopped_epoch == ha.stopped_epoch is not None and hb.best_epoch == ha.best_epoch
    _close(a, b)                                            # both put back the best epoch's weights
    a, ha, b, hb = _both(make, X, y, losses.cross_entropy, 0.5, epochs=200, batch_size=None, tol=4e-4)
    assert hb.stopped_epoch == ha.stopped_epoch is not None
    _close(a, b)


def test_weights_are_written_back_in_place_so_a_stale_graph_refuses_backward():
    X, Y = hh19()
    model = CASES["hh19 quadratic sigmoid"][0]()
    W = model.layers[0].weight
    array = W.data
    stale = losses.quadratic(model(X), Y)                   # made from the weights before training
    fit(model, X, Y, losses.quadratic, SGD(model.parameters(), lr=0.05), epochs=2, batch_size=1, compile=True,
        progress=False)
    assert model.layers[0].weight.data is array             # the same array, changed in place
    with pytest.raises(RuntimeError):
        stale.backward()


def test_the_compiled_code_is_readable():
    X, Y = hh19()
    model = CASES["hh19 quadratic sigmoid"][0]()
    step = CompiledFit(model, losses.quadratic, SGD(model.parameters(), lr=0.05), X, Y)
    assert "z = b + sum_i w_i x_i" in step.source and "1 / (1 + e^-x)" in step.source


# --- refusals ----------------------------------------------------------------------------------------------------


def _refused(model, X, Y, loss, optimizer=None, match=None, **kw):
    optimizer = optimizer or SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=match) as info:
        fit(model, X, Y, loss, optimizer, epochs=1, compile=True, progress=False, **kw)
    assert "compile=True" in str(info.value) and "use compile=False" in str(info.value)


def test_other_optimizers_momentum_weight_decay_and_partial_parameter_lists_are_refused():
    X, y = _spirals()
    m = MLP([2, 5, 3], output_activation="softmax", seed=0)
    _refused(m, X, y, losses.cross_entropy, Adam(m.parameters()), "Adam")
    _refused(m, X, y, losses.cross_entropy, SGD(m.parameters(), lr=0.1, momentum=0.9), "momentum=0.9")
    _refused(m, X, y, losses.cross_entropy, SGD(m.parameters(), lr=0.1, weight_decay=1e-3), "weight_decay")
    _refused(m, X, y, losses.cross_entropy, SGD(m.parameters()[:2], lr=0.1), "exactly the model's parameters")


def test_custom_modules_and_overridden_forwards_are_refused():
    X, y = _moons()

    class Doubled(MLP):
        def forward(self, x):
            return super().forward(x) * 2.0

    _refused(Linear(2, 1, seed=0), X, y, losses.mse, match="Linear cannot be traced")
    _refused(Doubled([2, 3, 1], seed=0), X, y, losses.mse, match="overrides forward")


def test_losses_that_would_be_traced_wrong_are_refused():
    X, y = _spirals()
    m = MLP([2, 5, 3], output_activation="softmax", seed=0)
    _refused(m, X, y, losses.binary_cross_entropy, match="keeps each log.s argument at 1e-12")
    # a function around cross_entropy cannot see the softmax node: the trace differs from the eager step
    _refused(m, X, y, lambda out, t: losses.cross_entropy(out, t), match="differs from the eager step")
    _refused(m, X, y, lambda out, t: losses.cross_entropy(out, t) + losses.l2(m, 1e-3),
             match="does not trace on Values")

    def branching(out, t):                                  # a branch on a number read from the data
        arr = out.data if isinstance(out, Tensor) else np.array([[v.data for v in row] for row in out])
        return losses.quadratic(out, t) * (2.0 if arr.max() > 0.5 else 1.0)

    X2 = np.vstack([X, [[50.0, 50.0]]])
    _refused(MLP([2, 5, 3], output_activation="softmax", seed=0), X2, np.append(y, 0), branching)
    # clipping that starts only once the outputs saturate: seen at weights x 1e3
    m2 = MLP([2, 5, 2], output_activation="softmax", seed=0)
    Xm, ym = _moons()
    _refused(m2, Xm, ym, lambda out, t: losses.binary_cross_entropy(out, t), match="depends on the data")


def test_compile_must_be_a_bool():
    X, Y = hh19()
    m = MLP([2, 2, 3, 2], seed=0)
    with pytest.raises(TypeError, match="compile must be True or False"):
        fit(m, X, Y, losses.quadratic, SGD(m.parameters(), lr=0.1), epochs=1, compile="yes", progress=False)
