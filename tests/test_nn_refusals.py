"""Issue 10, trust at the edges: what nn refuses (with a message naming the function, the numbers and the fix)
instead of returning a silently wrong number or failing deep inside numpy. Each test failed before its fix."""

import math
import tracemalloc

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import MLP, SGD, Adam, Linear, evaluate, fit, losses, predict, scalar
from nn import init as initializers

# --- losses -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad, index", [(1.5, 0), (-3.0, 1), (float("nan"), 1)])
def test_binary_cross_entropy_refuses_probabilities_outside_0_1_and_points_to_logits(bad, index):
    pred = [0.5, 0.5]
    pred[index] = bad
    for p in (pred, np.array(pred), Tensor(np.array(pred)), [Value(v) for v in pred]):
        with pytest.raises(ValueError, match=rf"binary_cross_entropy: probabilities must lie in \[0, 1\], "
                                             rf"got {bad!r} at index \({index},\).*logits=True.*with_logits"):
            losses.binary_cross_entropy(p, [1.0, 0.0])


def test_binary_cross_entropy_refuses_targets_outside_0_1_with_their_index():
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\], got 2.0 at index \(1,\)"):
        losses.binary_cross_entropy([0.5, 0.5], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: targets .* got -1.0 at index \(0,\)"):
        losses.binary_cross_entropy_with_logits([0.5, 0.5], [-1.0, 1.0])


def test_binary_cross_entropy_at_the_edges_of_0_1_is_still_accepted_and_clipped():
    # a = 1, y = 1 costs -ln 1 = 0 exactly; a = 0, y = 1 costs -ln max(0, 1e-12) = 27.63...
    assert losses.binary_cross_entropy([1.0, 0.0], [1.0, 1.0]) == pytest.approx(-math.log(1e-12) / 2, rel=1e-12)


@pytest.mark.parametrize("labels", [[True, False], np.array([True, False])])
def test_cross_entropy_refuses_boolean_labels(labels):
    with pytest.raises(TypeError, match=r"cross_entropy: labels must be integer class indices 0..1, got True/False"):
        losses.cross_entropy(np.zeros((2, 2)), labels)


def test_cross_entropy_refuses_huge_float_labels_instead_of_wrapping_them_to_a_class():
    with pytest.raises(ValueError, match=r"labels must lie in 0..2 for 3 classes, got .*1e\+300 at index \(1,\)"):
        losses.cross_entropy(np.zeros((2, 3)), np.array([0.0, 1e300]))


def test_cross_entropy_refuses_target_rows_that_are_not_probabilities():
    with pytest.raises(ValueError, match=r"rows must be >= 0 and sum to 1.*row sums from 0.0 to 1.0"):
        losses.cross_entropy(np.zeros((2, 3)), [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    with pytest.raises(ValueError, match=r"rows must be >= 0.*entries from -1.0"):
        losses.cross_entropy(np.zeros((1, 3)), [[-1.0, 1.0, 1.0]])


def test_cross_entropy_with_labels_picks_one_log_probability_per_row():
    # one sample, z = (0, ln 3): softmax = (1/4, 3/4); label 1 costs -ln(3/4), label 0 costs ln 4
    z = np.array([[0.0, math.log(3.0)]])
    assert losses.cross_entropy(z, [1]) == pytest.approx(-math.log(0.75), rel=1e-14)
    assert losses.cross_entropy(z[0], 0) == pytest.approx(math.log(4.0), rel=1e-14)
    t = Tensor(z, requires_grad=True)
    losses.cross_entropy(t, [1]).backward()                  # softmax - one_hot = (1/4, -1/4)
    np.testing.assert_allclose(t.grad, [[0.25, -0.25]], rtol=1e-14)
    vs = [Value(0.0), Value(math.log(3.0))]
    out = losses.cross_entropy([vs], [0])
    out.backward()
    assert out.data == pytest.approx(math.log(4.0), rel=1e-14)
    assert [v.grad for v in vs] == [pytest.approx(-0.75, rel=1e-14), pytest.approx(0.75, rel=1e-14)]


def test_cross_entropy_of_one_sample_of_200000_classes_is_linear_in_the_classes():
    K = 200_000
    z = Tensor(np.zeros((1, K)), requires_grad=True)
    tracemalloc.start()
    try:
        loss = losses.cross_entropy(z, [7])
        loss.backward()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert loss.item() == pytest.approx(math.log(K), rel=1e-12)     # uniform softmax: -ln(1/K)
    assert z.grad[0, 7] == pytest.approx(1.0 / K - 1.0, rel=1e-9) and z.grad[0, 0] == pytest.approx(1.0 / K)
    assert peak < 100 * K * 8                                       # a K x K identity would be 320 GB


@pytest.mark.parametrize("loss", [losses.quadratic, losses.mse, losses.binary_cross_entropy,
                                  losses.binary_cross_entropy_with_logits, losses.hinge])
@pytest.mark.parametrize("empty", [[], np.zeros((0, 2)), np.zeros((3, 0))])
def test_every_loss_refuses_an_empty_batch(loss, empty):
    for pred in (empty, Tensor(np.asarray(empty, dtype=float))):
        with pytest.raises(ValueError, match=rf"{loss.__name__}: the prediction is empty \(shape \("):
            loss(pred, np.asarray(empty))


def test_cross_entropy_refuses_an_empty_batch():
    with pytest.raises(ValueError, match=r"cross_entropy: the prediction is empty \(shape \(0, 3\)\)"):
        losses.cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))


@pytest.mark.parametrize("pred, target, message", [
    ("abc", [1.0], r"mse: the prediction must be real numbers, got str"),
    ([1.0, 2.0], None, r"mse: the target must be real numbers, got NoneType"),
    ([1 + 2j], [1.0], r"mse: the prediction must be real numbers, got an array of dtype complex128"),
    ([[1.0, 2.0], [3.0]], [1.0, 1.0], r"mse: the prediction is not a rectangular array"),
    ([10**400], [1.0], r"mse: the prediction holds 1000.*too large for a float"),
    ([Value(1.0), "x"], [1.0, 1.0], r"mse: the prediction mixes Values with str 'x'"),
    ([[Value(1.0)], Value(2.0)], [1.0, 1.0], r"mse: the prediction mixes rows \(lists\) and single entries"),
])
def test_losses_refuse_what_is_not_a_real_number_by_name(pred, target, message):
    with pytest.raises((TypeError, ValueError), match=message):
        losses.mse(pred, target)


def test_l2_refuses_a_parameter_listed_twice_and_a_negative_or_nan_lambda():
    w = Value(3.0)
    with pytest.raises(ValueError, match="l2: parameter 1 is parameter 0 again"):
        losses.l2([w, w], 0.1)
    for lam in (-0.1, float("nan")):
        with pytest.raises(ValueError, match="l2: lam must be"):
            losses.l2([w], lam)
    with pytest.raises(TypeError, match=r"l2: parameters must be a list.*pass \[p\]"):
        losses.l2(w, 0.1)


# --- sizes, seeds, names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("make, message", [
    (lambda: MLP([2, 2.5]), r"MLP: sizes\[1\] must be a whole number \(an int\), got 2.5 \(float\)"),
    (lambda: MLP("23"), r"MLP: sizes must be a list of whole numbers such as \[2, 16, 1\], got the string '23'"),
    (lambda: MLP([2, True]), r"MLP: sizes\[1\] must be a whole number \(an int\), got True \(bool\)"),
    (lambda: MLP([2, 0]), r"MLP: sizes\[1\] must be >= 1, got 0"),
    (lambda: MLP([2]), r"MLP: sizes must list at least 2"),
    (lambda: scalar.MLP(2, [2.5]), r"scalar MLP: sizes\[0\] must be a whole number \(an int\), got 2.5"),
    (lambda: scalar.MLP(2, "3"), r"scalar MLP takes micrograd's.*got '3'"),
    (lambda: scalar.MLP(True, [3]), r"scalar MLP: n_in must be a whole number \(an int\), got True \(bool\)"),
    (lambda: scalar.Layer(-1, 2), r"Layer: n_in must be >= 1, got -1"),
    (lambda: scalar.Neuron(2.5), r"Neuron: n_in must be a whole number \(an int\), got 2.5"),
    (lambda: scalar.Neuron(2, w=[1.0, "a"], b=0.0), r"Neuron: w must be 2 real numbers"),
    (lambda: Linear(2, 2.0), r"Linear: n_out must be a whole number \(an int\), got 2.0"),
])
def test_sizes_must_be_whole_numbers_of_at_least_one(make, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make()


def test_numpy_integer_sizes_are_fine():
    assert MLP(np.array([2, 3, 1]), seed=0).sizes == [2, 3, 1]
    assert scalar.MLP(np.int64(2), [np.int32(3)], seed=0).sizes == [2, 3]


@pytest.mark.parametrize("seed, kind", [(-1, ValueError), (1.5, TypeError), ("0", TypeError), (True, TypeError)])
@pytest.mark.parametrize("make", [lambda s: MLP([2, 1], seed=s), lambda s: scalar.MLP(2, [1], seed=s),
                                  lambda s: Linear(2, 1, seed=s), lambda s: scalar.Neuron(2, seed=s)])
def test_a_seed_must_be_none_a_whole_number_or_a_generator(make, seed, kind):
    with pytest.raises(kind, match=r"seed must be None, a whole number >= 0 or a numpy Generator.*got"):
        make(seed)


def test_unknown_names_name_the_argument_and_list_the_choices():
    with pytest.raises(ValueError, match=r"MLP, argument output_activation: unknown activation 'soft'; "
                                         r"known activations: identity, relu, sigmoid, softplus, step, tanh"):
        MLP([2, 1], output_activation="soft")
    with pytest.raises(ValueError, match=r"scalar MLP, argument activation: unknown activation 'gelu'"):
        scalar.MLP(2, [1], activation="gelu")
    with pytest.raises(ValueError, match=r"MLP, argument init: unknown initialiser 'glorot'; known: he, normal, "
                                         r"standard_normal, "
                                         r"uniform, xavier, or a callable"):
        MLP([2, 1], init="glorot")
    with pytest.raises(ValueError, match=r"fit: unknown loss 'huber'; known losses: quadratic, mse"):
        m = MLP([2, 1])
        fit(m, np.zeros((2, 2)), np.zeros(2), "huber", SGD(m.parameters(), lr=0.1), epochs=1, progress=False)


def test_an_initialiser_that_returns_nan_is_refused():
    with pytest.raises(ValueError, match="returned NaN or inf"):
        MLP([2, 1], init=lambda rng, n_out, n_in: (np.full((n_out, n_in), np.nan), np.zeros(n_out)))
    with pytest.raises(ValueError, match=r"normal\(std\)|nn.init.normal: std must be"):
        initializers.normal(float("inf"))


# --- optimizers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: Adam(ps, lr=0.1)])
def test_a_parameter_listed_twice_is_refused_by_its_index_and_name(make):
    w = Tensor(np.ones(2), requires_grad=True, name="W0")
    with pytest.raises(ValueError, match=r"parameter 2 \(W0\) is parameter 0 again.*list each parameter once"):
        make([w, Tensor(np.ones(1), requires_grad=True), w])
    v = Value(1.0)
    with pytest.raises(ValueError, match=r"parameter 1 is parameter 0 again"):
        make([v, v])


@pytest.mark.parametrize("make, kind, message", [
    (lambda w: SGD(w, lr="0.1"), TypeError, r"SGD: the learning rate must be a positive number, got lr='0.1'"),
    (lambda w: SGD(w, lr=float("inf")), ValueError, r"SGD: the learning rate must be positive and finite"),
    (lambda w: Adam(w, lr=10**400), ValueError, r"Adam: the learning rate must be positive and finite"),
    (lambda w: SGD(w, lr=0.1, momentum=float("nan")), ValueError, r"SGD: momentum must be a finite number in "
                                                                  r"\[0, 1\)"),
    (lambda w: SGD(w, lr=0.1, momentum="x"), TypeError, r"SGD: momentum must be a real number, got 'x'"),
    (lambda w: SGD(w, lr=0.1, momentum=-0.5), ValueError, r"SGD: momentum must be in \[0, 1\), got -0.5"),
    (lambda w: SGD(w, lr=0.1, weight_decay=-1e-4), ValueError, r"SGD: weight_decay must be >= 0, got -0.0001"),
    (lambda w: Adam(w, eps=0.0), ValueError, r"Adam: eps must be > 0, got 0.0; eps keeps the step finite"),
    (lambda w: Adam(w, eps=-1e-8), ValueError, r"Adam: eps must be > 0"),
    (lambda w: Adam(w, betas=(0.9, 0.9, 0.9)), TypeError, r"Adam: betas must be a pair \(beta1, beta2\)"),
    (lambda w: Adam(w, betas=(-0.1, 0.9)), ValueError, r"Adam: betas\[0\] must be in \[0, 1\), got -0.1"),
    (lambda w: Adam(w, betas=(0.9, float("nan"))), ValueError, r"Adam: betas\[1\] must be a finite number"),
    (lambda w: SGD(None, lr=0.1), TypeError, r"SGD: params must be a list of Values or Tensors.*got NoneType"),
    (lambda w: SGD(w[0], lr=0.1), TypeError, r"SGD: params must be a list.*for one parameter p pass \[p\]"),
    (lambda w: Adam([], lr=0.1), ValueError, r"Adam: no parameters to optimize \(an empty list\)"),
])
def test_optimizer_hyperparameters_are_checked_at_construction(make, kind, message):
    with pytest.raises(kind, match=message):
        make([Value(1.0)])


# --- fit, evaluate, predict -------------------------------------------------------------------------------------


def _fit(X, Y, **kw):
    model = MLP([2, 1], seed=0)
    args = dict(loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=1, progress=False)
    args.update(kw)
    return fit(model, X, Y, **args)


@pytest.mark.parametrize("X, Y, kw, kind, message", [
    (np.zeros((0, 2)), np.zeros(0), {}, ValueError, r"fit: X has no samples \(shape \(0, 2\)\)"),
    (np.zeros((3, 2)), np.zeros(2), {}, ValueError, r"fit: X has 3 rows but Y has 2 \(X of shape \(3, 2\), "
                                                    r"Y of shape \(2,\)\)"),
    (np.zeros((3, 2)), 1.0, {}, ValueError, r"fit: X has 3 rows but Y has 0 \(X of shape \(3, 2\), Y of shape \(\)\)"),
    (np.zeros((3, 2)), np.zeros(3), {"epochs": 0}, ValueError, r"fit: epochs must be >= 1, got 0"),
    (np.zeros((3, 2)), np.zeros(3), {"epochs": 2.5}, TypeError, r"fit: epochs must be a whole number"),
    (np.zeros((3, 2)), np.zeros(3), {"batch_size": 2.5}, TypeError, r"fit: batch_size must be a whole number"),
    (np.zeros((3, 2)), np.zeros(3), {"batch_size": 0}, ValueError, r"fit: batch_size must be >= 1"),
    (np.zeros((3, 2)), np.zeros(3), {"optimizer": 0.1}, TypeError, r"fit: optimizer must have step\(\)"),
    (np.zeros((3, 2)), np.zeros(3), {"seed": -1}, ValueError, r"fit: seed must be None"),
    (np.full((3, 2), np.nan), np.zeros(3), {}, ValueError, r"fit: X or Y contains NaN or inf"),
    (np.zeros((3, 2)) + 1j, np.zeros(3), {}, TypeError, r"fit: X must hold real numbers, got an array of dtype "
                                                        r"complex128"),
    ([["a", "b"]], [1.0], {}, TypeError, r"fit: X must hold real numbers"),
])
def test_fit_refuses_what_it_cannot_train_on(X, Y, kw, kind, message):
    with pytest.raises(kind, match=message):
        _fit(X, Y, **kw)


def test_fit_takes_a_batch_larger_than_the_data_as_one_full_batch():
    # mse of y = 0 on one output: the batch of all 3 samples, one step, as batch_size=None does
    X, Y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.zeros(3)
    big, full = _fit(X, Y, batch_size=100), _fit(X, Y, batch_size=None)
    assert big.loss == full.loss


def test_predict_and_evaluate_refuse_empty_input():
    model = MLP([2, 1], seed=0)
    with pytest.raises(ValueError, match=r"predict: X has no samples \(shape \(0, 2\)\)"):
        predict(model, np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"evaluate: X has no samples"):
        evaluate(model, np.zeros((0, 2)), np.zeros(0), "mse")
    with pytest.raises(ValueError, match=r"evaluate: X has 2 rows but Y has 3 \(X of shape \(2, 2\), Y of shape"):
        evaluate(model, np.zeros((2, 2)), np.zeros(3), "mse")
    with pytest.raises(TypeError, match=r"predict: model must be an nn Module"):
        predict(np.sum, np.zeros((2, 2)))
