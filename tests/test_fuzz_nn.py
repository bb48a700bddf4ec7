"""Hostile arguments for every public function and class of nn that is not a Module's own machinery: each call
either succeeds with the right number (checked against an independent formula where that is cheap) or raises a
TypeError / ValueError whose message names the function. Never a bare numpy or Python error from deep inside
(IndexError, AttributeError, ZeroDivisionError, OverflowError, numpy's AxisError or UFuncTypeError, which are
subclasses and so fail the exact-type check), never a numpy message without the function's name, and never
numpy's ComplexWarning (an imaginary part silently dropped)."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, Value
from nn import MLP, SGD, Adam, Linear, activations, evaluate, fit, losses, predict, scalar
from nn import init as initializers

ComplexWarning = getattr(np, "exceptions", np).ComplexWarning


def outcome(call, *names):
    """Run ``call()``: ("ok", result), or ("refused", error) for a TypeError/ValueError naming one of ``names``;
    anything else fails the test with the error it was."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ComplexWarning)
        warnings.simplefilter("ignore", RuntimeWarning)     # overflow to inf is an honest number
        try:
            result = call()
        except Exception as e:  # noqa: BLE001 - classifying every outcome is the point
            assert type(e) in (TypeError, ValueError), f"bare {type(e).__name__} from deep inside: {e}"
            assert any(n in str(e) for n in names), f"the message does not name {names}: {type(e).__name__}: {e}"
            return "refused", e
    return "ok", result


# --- hostile values ---------------------------------------------------------------------------------------------

WEIRD = st.one_of(
    st.none(), st.booleans(), st.text(max_size=3), st.sampled_from([float("nan"), float("inf"), -float("inf"),
                                                                     10**400, -(10**400), 1j, 2 + 0j, 0, -1, 0.0]),
    st.integers(-3, 5), st.floats(-5, 5), st.just([]), st.just(()), st.just({}), st.just(object()),
    st.just(np.zeros((0, 2))), st.just(np.zeros((2, 0))), st.just(np.zeros((2, 3, 2))), st.just(np.array(1.5)),
    st.just(np.array([1 + 1j, 2.0])), st.just(np.array(["a", "b"])), st.just(np.array([True, False])),
    st.just([[1.0, 2.0], [3.0]]), st.just([Value(1.0), "x"]), st.just([[Value(1.0)], Value(2.0)]),
    st.just(Tensor(np.ones(2))), st.just(Value(0.5)), st.just(np.int64(3)), st.just(np.float64("nan")),
)


def _small_arrays(draw_shape):
    return draw_shape.flatmap(lambda s: st.builds(
        lambda seed, scale: np.random.default_rng(seed).normal(0.0, scale, s), st.integers(0, 10**6),
        st.sampled_from([0.5, 1.0, 1e3])))


ARRAYS = st.one_of(_small_arrays(st.tuples(st.integers(0, 3), st.integers(0, 3))),
                   _small_arrays(st.tuples(st.integers(0, 3))),
                   st.integers(0, 10**6).map(lambda s: np.random.default_rng(s).integers(-1, 3, (3,))),
                   st.integers(0, 10**6).map(lambda s: np.random.default_rng(s).uniform(0, 1, (3, 2))))
VALUES = ARRAYS.map(lambda a: np.frompyfunc(lambda v: Value(float(v)), 1, 1)(a).tolist() if a.ndim else Value(a.item()))
ANY = st.one_of(WEIRD, ARRAYS, ARRAYS.map(lambda a: a.tolist()), ARRAYS.map(Tensor), VALUES,
                ARRAYS.map(lambda a: Tensor(a, requires_grad=True)))


# --- losses -----------------------------------------------------------------------------------------------------

def _plain(x):
    """x as a float array when it is plain real numbers (or Values), else None."""
    if isinstance(x, Tensor):
        x = x.data
    if isinstance(x, list) and x and all(isinstance(v, Value) for v in np.ravel(np.array(x, dtype=object))):
        x = np.frompyfunc(lambda v: v.data, 1, 1)(np.array(x, dtype=object)).astype(float)
    if isinstance(x, Value) or x is None or isinstance(x, str | dict):
        return None
    try:
        a = np.asarray(x)
    except ValueError:
        return None
    return a.astype(float) if a.dtype.kind in "iuf" else None


def _softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


FORMULAS = {   # by hand, per loss: (prediction, target) of the same shape, rows are samples
    "quadratic": lambda a, y: 0.5 * np.sum((y - a) ** 2) / (len(a) if a.ndim else 1),
    "mse": lambda a, y: np.mean((a - y) ** 2),
    # PyTorch's names, PyTorch's numbers: the mean over every entry
    # each log's argument kept at 1e-12 or above (the loss's documented guard)
    "binary_cross_entropy": lambda a, y: -np.mean(y * np.log(np.maximum(a, 1e-12))
                                                  + (1 - y) * np.log(np.maximum(1 - a, 1e-12))),
    "binary_cross_entropy_with_logits": lambda z, y: np.mean(_softplus(z) - y * z),
    "hinge": lambda s, y: np.sum(np.maximum(0, 1 - y * s)) / (len(s) if s.ndim else 1),
}


def _number(result):
    if isinstance(result, Tensor):
        return result.item()
    if isinstance(result, Value):
        return result.data
    assert isinstance(result, float), f"a loss of plain numbers returned {type(result).__name__}"
    return result


@pytest.mark.parametrize("name", sorted(FORMULAS))
@given(pred=ANY, target=ANY)
def test_every_loss_on_hostile_input_is_right_or_refused_by_name(name, pred, target):
    status, result = outcome(lambda: losses.get(name)(pred, target), name)
    if status == "ok":
        value = _number(result)
        a, y = _plain(pred), _plain(target)
        if a is not None and y is not None and a.shape == y.shape and not isinstance(target, bool):
            expected = FORMULAS[name](a, y)
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-12, nan_ok=True)


@given(logits=ANY, target=ANY)
def test_cross_entropy_on_hostile_input_is_right_or_refused_by_name(logits, target):
    status, result = outcome(lambda: losses.cross_entropy(logits, target), "cross_entropy")
    if status == "ok":
        value = _number(result)
        z, y = _plain(logits), _plain(target)
        if z is not None and y is not None:
            z2 = z.reshape(-1, z.shape[-1])
            logp = z2 - z2.max(axis=1, keepdims=True)
            logp = logp - np.log(np.exp(logp).sum(axis=1, keepdims=True))
            if y.shape == z.shape[:-1]:
                expected = -np.mean(logp[np.arange(len(z2)), y.reshape(-1).astype(int)])
            else:
                expected = -np.sum(y.reshape(z2.shape) * logp) / len(z2)
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(name=WEIRD)
def test_losses_get_refuses_unknown_names_by_name(name):
    outcome(lambda: losses.get(name), "nn.losses.get")


@given(params=st.one_of(WEIRD, st.just([Value(1.0), Tensor(np.ones(2), requires_grad=True)])), lam=WEIRD)
def test_l2_on_hostile_input_is_right_or_refused(params, lam):
    status, result = outcome(lambda: losses.l2(params, lam), "l2")
    if status == "ok":
        a = _plain(params)
        assert _number(result) == pytest.approx(float(lam) * float(np.sum(a * a)), rel=1e-12)


# --- optimizers -------------------------------------------------------------------------------------------------

PARAMS = st.one_of(WEIRD, st.just("w"), st.just("w, w"), st.just("tensor"))


def _params(kind):
    w = Value(1.0)
    return {"w": [w], "w, w": [w, w], "tensor": [Tensor(np.ones(3), requires_grad=True)]}.get(kind, kind) \
        if isinstance(kind, str) else kind


@given(params=PARAMS, lr=WEIRD, momentum=WEIRD, weight_decay=WEIRD)
def test_sgd_on_hostile_hyperparameters_steps_right_or_is_refused(params, lr, momentum, weight_decay):
    ps = _params(params)
    status, opt = outcome(lambda: SGD(ps, lr=lr, momentum=momentum, weight_decay=weight_decay), "SGD")
    if status == "ok":
        before = [np.copy(p.data) for p in opt.params]
        for p in opt.params:
            p.grad = np.ones_like(p.data) if isinstance(p, Tensor) else 1.0
        opt.step()
        for p, b in zip(opt.params, before):     # first step: v = g + decay p, p <- p - lr v
            np.testing.assert_allclose(p.data, b - float(lr) * (1.0 + float(weight_decay) * b), rtol=1e-12)


@given(params=PARAMS, lr=WEIRD, betas=st.one_of(WEIRD, st.tuples(WEIRD, WEIRD)), eps=WEIRD)
def test_adam_on_hostile_hyperparameters_steps_right_or_is_refused(params, lr, betas, eps):
    ps = _params(params)
    status, opt = outcome(lambda: Adam(ps, lr=lr, betas=betas, eps=eps), "Adam")
    if status == "ok":
        before = [np.copy(p.data) for p in opt.params]
        for p in opt.params:
            p.grad = np.full_like(p.data, 2.0) if isinstance(p, Tensor) else 2.0
        opt.step()
        for p, b in zip(opt.params, before):     # first step: m_hat = g, v_hat = g^2: p <- p - lr g / (|g| + eps)
            np.testing.assert_allclose(p.data, b - float(lr) * 2.0 / (2.0 + float(eps)), rtol=1e-12)


# --- networks, initialisers, activations ------------------------------------------------------------------------

SIZES = st.one_of(WEIRD, st.lists(st.one_of(st.integers(-1, 3), WEIRD), max_size=3),
                  st.lists(st.integers(1, 3), min_size=2, max_size=3))
NAMES = st.one_of(WEIRD, st.sampled_from(["sigmoid", "relu", "tanh", "identity", "softplus", "step", "xavier", "he",
                                          "normal", "uniform"]))
SEEDS = st.one_of(WEIRD, st.integers(0, 10), st.just(np.random.default_rng(0)))


@given(sizes=SIZES, activation=NAMES, output=st.one_of(st.none(), NAMES), init=st.one_of(st.none(), NAMES),
       seed=SEEDS, x=ANY)
def test_the_tensor_mlp_builds_and_runs_or_refuses_by_name(sizes, activation, output, init, seed, x):
    status, model = outcome(lambda: MLP(sizes, activation, output, init=init, seed=seed), "MLP")
    if status == "ok":
        assert model.sizes == [int(n) for n in sizes]
        status, out = outcome(lambda: model(x), "MLP", "Linear")
        if status == "ok":
            a = _plain(x).reshape(-1, sizes[0])                    # by hand: a <- sigma(a W^T + b), layer by layer
            for i, (W, b) in enumerate(model.get_weights()):
                act = activations.get(model.output_activation if i == len(model.layers) - 1 else model.activation)
                a = act.f(a @ W.T + b)
            np.testing.assert_allclose(out.data.reshape(a.shape), a, rtol=1e-10, atol=1e-12)


@given(n_in=st.one_of(WEIRD, st.integers(1, 3)), sizes=SIZES, activation=NAMES, output=NAMES,
       init=st.one_of(st.none(), NAMES), seed=SEEDS, x=ANY)
def test_the_scalar_mlp_builds_and_runs_or_refuses_by_name(n_in, sizes, activation, output, init, seed, x):
    status, model = outcome(lambda: scalar.MLP(n_in, sizes, activation, output, init=init, seed=seed), "MLP")
    if status == "ok":
        status, out = outcome(lambda: model(x), "scalar MLP", "Neuron", "weighted_sum")
        if status == "ok":
            a = _plain(x)
            for i, (W, b) in enumerate(model.get_weights()):
                act = activations.get(model.output_activation if i == len(model.layers) - 1 else model.activation)
                a = act.f(W @ a + b)
            got = [v.data for v in out] if isinstance(out, list) else [out.data]
            np.testing.assert_allclose(got, a, rtol=1e-10, atol=1e-12)


@given(n_in=WEIRD, n_out=st.one_of(WEIRD, st.integers(1, 3)), activation=NAMES, w=ANY, b=WEIRD, seed=SEEDS)
def test_linear_layer_and_neuron_build_or_refuse_by_name(n_in, n_out, activation, w, b, seed):
    outcome(lambda: Linear(n_in, n_out, seed=seed), "Linear")
    outcome(lambda: scalar.Layer(n_in, n_out, activation, seed=seed), "Layer")
    status, neuron = outcome(lambda: scalar.Neuron(n_in, activation, w=w, b=b), "Neuron")
    if status == "ok":
        assert [p.data for p in neuron.w] == pytest.approx(_plain(w).tolist()) and neuron.b.data == float(b)


@given(param=WEIRD, seed=WEIRD, name=WEIRD, n=WEIRD)
def test_initialisers_build_or_refuse_by_name(param, seed, name, n):
    outcome(lambda: initializers.normal(param), "nn.init.normal")
    outcome(lambda: initializers.uniform(param), "nn.init.uniform")
    outcome(lambda: initializers.rng_from(seed), "nn.init.rng_from")
    outcome(lambda: initializers.get(name), "nn.init.get")
    status, pair = outcome(lambda: initializers.sample(initializers.xavier, np.random.default_rng(0), n, 2),
                           "nn.init.sample")
    if status == "ok":
        W, b = pair
        assert W.shape == (n, 2) and np.all(np.abs(W) <= math.sqrt(6 / (n + 2)))


@given(name=NAMES, z=ANY)
def test_activations_apply_or_refuse_by_name(name, z):
    status, act = outcome(lambda: activations.get(name), "nn.activations.get")
    if status == "ok":
        status, out = outcome(lambda: act(z), act.name)
        if status == "ok" and _plain(z) is not None and act.name == "sigmoid":
            a = _plain(z)
            np.testing.assert_allclose(np.asarray(out.data if isinstance(out, Tensor) else out),
                                       1 / (1 + np.exp(-a)), rtol=1e-12)
        if act.df is not None:
            outcome(lambda: act.derivative(z), act.name)


# --- training ---------------------------------------------------------------------------------------------------

@given(X=ANY, Y=ANY, loss=st.one_of(WEIRD, st.sampled_from(sorted(losses.LOSSES))), epochs=WEIRD,
       batch_size=st.one_of(WEIRD, st.integers(1, 4)), seed=SEEDS)
def test_fit_predict_evaluate_train_or_refuse_by_name(X, Y, loss, epochs, batch_size, seed):
    model = MLP([2, 1], seed=0)
    opt = SGD(model.parameters(), lr=0.1)
    status, history = outcome(lambda: fit(model, X, Y, loss, opt, epochs=epochs, batch_size=batch_size, seed=seed,
                                          progress=False), "fit", *losses.LOSSES)
    if status == "ok":
        assert len(history.loss) == epochs
    outcome(lambda: predict(model, X), "predict", "MLP")
    outcome(lambda: evaluate(model, X, Y, loss), "evaluate", "MLP", *losses.LOSSES)
