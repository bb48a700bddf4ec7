"""The hand-coded delta rule (nn.backprop): the lectures' worked numbers, central differences, both conventions."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn import activations
from nn.backprop import forward, forward_sensitivities, gradients, sgd, total_cost, training_source

SMOOTH = ["sigmoid", "tanh", "softplus", "identity"]


def random_weights(sizes, seed, scale=0.8):
    rng = np.random.default_rng(seed)
    return [(scale * rng.standard_normal((m, n)), scale * rng.standard_normal(m)) for n, m in zip(sizes, sizes[1:])]


def softmax_ready(sizes, cost):
    """sizes with two outputs for cross_entropy: a softmax over one output is the constant 1 (refused)."""
    return [*sizes[:-1], 2] if cost == "cross_entropy" and sizes[-1] == 1 else sizes


def random_data(sizes, N, cost, seed):
    rng = np.random.default_rng(seed + 1)
    X = rng.standard_normal((N, sizes[0]))
    if cost == "cross_entropy":
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], N)]       # one-hot rows
    elif cost == "binary_cross_entropy":
        Y = rng.uniform(0, 1, (N, sizes[-1]))                       # any targets in [0, 1]
    else:
        Y = rng.standard_normal((N, sizes[-1]))
    return X, Y


def central_differences(weights, X, Y, eps=1e-6, **kw):
    """dC/dp_i ~ (C(p + eps e_i) - C(p - eps e_i)) / (2 eps), every parameter, on copies of the weights."""
    grads = []
    for k in range(len(weights)):
        pair = []
        for which in (0, 1):
            G = np.zeros_like(weights[k][which])
            for idx in np.ndindex(G.shape):
                ends = []
                for h in (eps, -eps):
                    moved = [[W.copy(), b.copy()] for W, b in weights]
                    moved[k][which][idx] += h
                    ends.append(total_cost(moved, X, Y, **kw))
                G[idx] = (ends[0] - ends[1]) / (2 * eps)
            pair.append(G)
        grads.append(tuple(pair))
    return grads


def assert_grads_close(a, b, atol, rtol=0.0):
    assert len(a) == len(b)
    for (dW1, db1), (dW2, db2) in zip(a, b):
        np.testing.assert_allclose(dW1, dW2, atol=atol, rtol=rtol)
        np.testing.assert_allclose(db1, db2, atol=atol, rtol=rtol)


nets = st.lists(st.integers(1, 4), min_size=2, max_size=5)
costs = st.sampled_from(["quadratic", "mse", "cross_entropy", "binary_cross_entropy"])


# --- seed 004: the AND neuron, by the numbers ------------------------------------------------------------------
def test_and_neuron_reproduces_the_worked_numbers_of_seed_004():
    weights = [(np.array([[0.0, 0.0]]), np.array([0.0]))]           # w1 = w2 = b = 0
    x, y = np.array([0.0, 1.0]), np.array([0.0])                    # input (0, 1), target 0
    assert forward(weights, x).output.tolist() == [0.5]             # output 0.5
    E, [(dW, db)] = gradients(weights, x, y)
    assert E == 0.125                                               # E = 1/2 (Y - O)^2
    assert dW.tolist() == [[0.0, 0.125]]                            # dE/dw1 = 0, dE/dw2 = 0.5 * 0.25 * 1
    assert db.tolist() == [0.125]                                   # dE/db = 0.125
    after = sgd(weights, x[None, :], y[None, :], eta=0.1, iterations=1, rng=0).weights
    assert after[0][0].tolist() == [[0.0, -0.1 * 0.125]]            # with rate 0.1, w1 stays 0
    assert after[0][1].tolist() == [-0.1 * 0.125]


def test_forward_keeps_every_z_and_a_in_hh19_numbering():
    weights = random_weights([2, 3, 2], seed=1)
    x = np.array([0.3, -0.7])
    fw = forward(weights, x, activation="tanh", output_activation="identity")
    (W2, b2), (W3, b3) = weights
    z2 = [sum(W2[j, k] * x[k] for k in range(2)) + b2[j] for j in range(3)]   # z_j = sum_k w_jk x_k + b_j
    a2 = [math.tanh(v) for v in z2]
    z3 = [sum(W3[j, k] * a2[k] for k in range(3)) + b3[j] for j in range(2)]
    assert fw.a[1].tolist() == x.tolist() and fw.z[1] is None and fw.a[0] is None
    np.testing.assert_allclose(fw.z[2], z2, rtol=1e-14)
    np.testing.assert_allclose(fw.a[2], a2, rtol=1e-14)
    np.testing.assert_allclose(fw.z[3], z3, rtol=1e-14)
    np.testing.assert_allclose(fw.output, z3, rtol=1e-14)


def test_delta_lemma_by_hand_on_a_two_layer_sigmoid_net():
    (W2, b2), (W3, b3) = weights = random_weights([2, 2, 1], seed=3)
    x, y = np.array([0.5, -1.0]), np.array([1.0])
    s = activations.get("sigmoid").f
    a2 = s(W2 @ x + b2)
    a3 = s(W3 @ a2 + b3)
    d3 = a3 * (1 - a3) * (a3 - y)                                  # delta^[3] = sigma'(z^[3]) o (a^[3] - y)
    d2 = a2 * (1 - a2) * (W3.T @ d3)                                # delta^[2] = sigma'(z^[2]) o W3^T delta^[3]
    C, [(dW2, db2), (dW3, db3)] = gradients(weights, x, y)
    assert C == pytest.approx(0.5 * float((y - a3) @ (y - a3)), rel=1e-14)
    np.testing.assert_allclose(dW3, np.outer(d3, a2), rtol=1e-14)   # rank one: delta^[3] (a^[2])^T
    np.testing.assert_allclose(db3, d3, rtol=1e-14)
    np.testing.assert_allclose(dW2, np.outer(d2, x), rtol=1e-14)
    np.testing.assert_allclose(db2, d2, rtol=1e-14)


# --- against central differences and the forward-sensitivity way ---------------------------------------------
@given(nets, st.sampled_from(SMOOTH), costs, st.integers(1, 4), st.integers(0, 10**6))
def test_delta_rule_matches_central_differences(sizes, activation, cost, N, seed):
    sizes = softmax_ready(sizes, cost)
    weights = random_weights(sizes, seed)
    X, Y = random_data(sizes, N, cost, seed)
    kw = dict(activation=activation, cost=cost)
    C, grads = gradients(weights, X, Y, **kw)
    assert C == pytest.approx(total_cost(weights, X, Y, **kw), rel=1e-14)
    assert_grads_close(grads, central_differences(weights, X, Y, **kw), atol=1e-6, rtol=1e-6)


@given(nets, st.sampled_from([*SMOOTH, "relu"]), costs, st.integers(1, 4), st.integers(0, 10**6))
def test_forward_sensitivities_give_the_same_gradient_as_backprop(sizes, activation, cost, N, seed):
    sizes = softmax_ready(sizes, cost)
    weights = random_weights(sizes, seed)
    X, Y = random_data(sizes, N, cost, seed)
    C1, g1 = gradients(weights, X, Y, activation=activation, cost=cost)
    C2, g2 = forward_sensitivities(weights, X, Y, activation=activation, cost=cost)
    assert C1 == C2
    assert_grads_close(g1, g2, atol=1e-12, rtol=1e-12)


@given(st.sampled_from(SMOOTH), st.sampled_from(["quadratic", "mse"]), st.integers(0, 10**6))
def test_softmax_output_with_quadratic_cost_matches_central_differences(activation, cost, seed):
    sizes = [3, 3, 4]
    weights = random_weights(sizes, seed)
    X, Y = random_data(sizes, 3, cost, seed)
    kw = dict(activation=activation, output_activation="softmax", cost=cost)
    _, grads = gradients(weights, X, Y, **kw)
    assert_grads_close(grads, central_differences(weights, X, Y, **kw), atol=1e-6, rtol=1e-6)
    assert_grads_close(grads, forward_sensitivities(weights, X, Y, **kw)[1], atol=1e-12, rtol=1e-12)


# --- the two conventions -------------------------------------------------------------------------------------
def test_one_sample_as_a_vector_a_column_or_a_row_gives_the_same_gradient():
    weights = random_weights([3, 4, 2], seed=5)
    x, y = np.array([0.1, -0.4, 0.9]), np.array([1.0, 0.0])
    as_vector = gradients(weights, x, y)
    as_column = gradients(weights, x[:, None], y[:, None])
    as_row = gradients(weights, x[None, :], y[None, :])
    for other in (as_column, as_row):
        assert other[0] == as_vector[0]
        assert_grads_close(other[1], as_vector[1], atol=0.0)
    assert forward(weights, x[:, None]).output.shape == (2, 1)     # the column stays a column
    assert forward(weights, x[None, :]).output.shape == (1, 2)     # a row stays a row


def test_batch_gradient_is_the_mean_of_the_per_sample_gradients():
    weights = random_weights([2, 3, 3, 2], seed=7)
    X, Y = random_data([2, 3, 3, 2], 5, "quadratic", seed=7)
    C, grads = gradients(weights, X, Y)
    singles = [gradients(weights, x, y) for x, y in zip(X, Y)]
    assert C == pytest.approx(np.mean([c for c, _ in singles]), rel=1e-14)
    for k in range(3):
        np.testing.assert_allclose(grads[k][0], np.mean([g[k][0] for _, g in singles], axis=0), rtol=1e-13, atol=1e-16)
        np.testing.assert_allclose(grads[k][1], np.mean([g[k][1] for _, g in singles], axis=0), rtol=1e-13, atol=1e-16)


# --- the costs ------------------------------------------------------------------------------------------------
def test_costs_follow_their_formulas():
    weights = random_weights([2, 3], seed=11)
    X = np.array([[0.2, -0.1], [1.0, 0.5]])
    (W, b), = weights
    Z = X @ W.T + b
    s = 1 / (1 + np.exp(-Z))
    Y = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    quadratic = np.sum((Y - s) ** 2) / (2 * 2)                      # 1/(2N) sum ||y - a||^2
    mse = np.mean(np.sum((s - Y) ** 2, axis=1) / 3)                 # 004: 1/n sum (o - y)^2, then mean over samples
    bce = -np.mean(np.sum(Y * np.log(s) + (1 - Y) * np.log(1 - s), axis=1))
    p = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    ce = -np.mean(np.sum(Y * np.log(p), axis=1))
    assert total_cost(weights, X, Y, cost="quadratic") == pytest.approx(quadratic, rel=1e-14)
    assert total_cost(weights, X, Y, cost="mse") == pytest.approx(mse, rel=1e-14)
    assert total_cost(weights, X, Y, cost="binary_cross_entropy") == pytest.approx(bce, rel=1e-13)
    assert total_cost(weights, X, Y, cost="cross_entropy") == pytest.approx(ce, rel=1e-13)


def test_sigma_prime_cancels_for_cross_entropy_so_a_saturated_neuron_still_learns():
    weights = [(np.array([[1.0]]), np.array([99.0]))]               # z = 100, target 0: badly wrong
    x, y = np.array([1.0]), np.array([0.0])
    _, [(_, db_quadratic)] = gradients(weights, x, y, cost="quadratic")
    _, [(_, db_entropy)] = gradients(weights, x, y, cost="binary_cross_entropy")
    a = 1 / (1 + math.exp(-100.0))
    assert db_quadratic[0] == pytest.approx(a * (1 - a) * (a - 0), rel=1e-12)   # sigma'(100) = 3.7e-44; 0 as a = 1.0
    assert db_entropy[0] == pytest.approx(a - 0, rel=1e-15)                     # delta = a - y: learns


def test_cross_entropy_costs_stay_finite_at_z_of_a_thousand():
    weights = [(np.array([[1000.0], [-1000.0]]), np.zeros(2))]
    x = np.array([1.0])
    C, [(dW, db)] = gradients(weights, x, np.array([0.0, 1.0]), cost="cross_entropy")
    assert C == pytest.approx(2000.0, rel=1e-12)                   # -ln softmax(-1000 vs 1000) = 2000
    np.testing.assert_allclose(db, [1.0, -1.0], atol=1e-15)         # a - y with a = (1, 0)
    C, _ = gradients(weights, x, np.array([0.0, 1.0]), cost="binary_cross_entropy")
    assert C == pytest.approx(2000.0, rel=1e-12)                   # -ln(1 - sigma(1000)) - ln sigma(-1000)


# --- training -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sizes, activation, output_activation, cost", [
    ([2, 3, 2], "sigmoid", None, "quadratic"),                  # HH19, as scalar code from training_source
    ([2, 3, 2], "sigmoid", None, "mse"),
    ([2, 3, 2], "tanh", "sigmoid", "binary_cross_entropy"),
    ([2, 3, 3, 2], "relu", "identity", "quadratic"),
    ([2, 3, 2], "softplus", "tanh", "mse"),
    ([2, 3, 2], "tanh", None, "cross_entropy"),                 # softmax: one gradients() call a step
    ([60, 80, 2], "sigmoid", None, "quadratic"),                # 4960 + 160 weights: too many to write out
])
def test_sgd_takes_exactly_the_steps_p_minus_eta_grad_c_i(sizes, activation, output_activation, cost):
    weights = random_weights(sizes, seed=13, scale=0.5)
    X, Y = random_data(sizes, 6, "cross_entropy" if cost == "cross_entropy" else "binary_cross_entropy", seed=13)
    steps = 200 if sizes[0] < 10 else 5
    kw = dict(activation=activation, output_activation=output_activation, cost=cost)
    result = sgd(weights, X, Y, eta=0.3, iterations=steps, rng=42, record_every=steps, **kw)
    order = np.random.default_rng(42).integers(0, 6, size=steps)    # the same random samples
    p = [(W.copy(), b.copy()) for W, b in weights]
    for i in order:
        _, grads = gradients(p, X[i], Y[i], **kw)
        p = [(W - 0.3 * dW, b - 0.3 * db) for (W, b), (dW, db) in zip(p, grads)]
    assert_grads_close(result.weights, p, atol=1e-12)
    assert result.steps.tolist() == [0, steps]
    assert result.costs[0] == total_cost(weights, X, Y, **kw)
    assert result.costs[-1] == pytest.approx(total_cost(p, X, Y, **kw), rel=1e-12)
    assert weights[0][0] is not result.weights[0][0]


def test_training_source_writes_hh19_training_with_hh19_indices():
    source = training_source([2, 2, 3, 2])
    assert "z = w4_2_1 * a3_1 + w4_2_2 * a3_2 + w4_2_3 * a3_3 + b4_2" in source     # z_2^[4]
    assert "d3_1 = r3_1 * (w4_1_1 * d4_1 + w4_2_1 * d4_2)" in source                # (W^[4])^T delta^[4]
    assert "d4_1 = r4_1 * (a4_1 - y_1)" in source
    assert "d2_1 = a2_1 - y_1" in training_source([2, 1], cost="binary_cross_entropy")      # sigma' cancels
    with pytest.raises(ValueError, match="no scalar form"):
        training_source([2, 3], cost="cross_entropy")


def test_sgd_records_the_cost_every_so_many_steps_and_leaves_the_weights_alone():
    weights = random_weights([2, 2, 1], seed=17)
    kept = [(W.copy(), b.copy()) for W, b in weights]
    X, Y = random_data([2, 2, 1], 4, "binary_cross_entropy", seed=17)
    result = sgd(weights, X, Y, eta=0.5, iterations=250, rng=1, record_every=100)
    assert result.steps.tolist() == [0, 100, 200, 250]
    assert len(result.costs) == 4 and result.costs[-1] < result.costs[0]
    assert_grads_close(weights, kept, atol=0.0)


# --- errors that say what to do -------------------------------------------------------------------------------
def test_mismatched_weights_name_the_layer_and_the_shapes():
    with pytest.raises(ValueError, match=r"W\^\[3\] has shape \(2, 4\) but layer 2 has 3 neurons"):
        gradients([(np.zeros((3, 2)), np.zeros(3)), (np.zeros((2, 4)), np.zeros(2))], np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"b\^\[2\] of shape \(2,\)"):
        forward([(np.zeros((3, 2)), np.zeros(2))], np.zeros(2))


def test_wrong_input_shapes_and_unknown_costs_are_explained():
    weights = random_weights([2, 1], seed=0)
    with pytest.raises(ValueError, match=r"X has shape \(3,\).*\(N, 2\)"):
        gradients(weights, np.zeros(3), np.zeros(1))
    with pytest.raises(ValueError, match="X holds 4 samples"):
        gradients(weights, np.zeros((4, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="unknown cost 'hinge'"):
        gradients(weights, np.zeros(2), np.zeros(1), cost="hinge")
    with pytest.raises(ValueError, match="needs output_activation='softmax'"):
        gradients(weights, np.zeros(2), np.zeros(1), output_activation="sigmoid", cost="cross_entropy")
    with pytest.raises(ValueError, match="has no gradient"):
        gradients(random_weights([2, 2, 1], 0), np.zeros(2), np.zeros(1), activation="step")


# --- training_source: the witness's formulas, valid sizes, one exact step ---------------------------------------
SCALAR_ACTIVATIONS = ["sigmoid", "tanh", "relu", "softplus", "identity"]


def compiled_train(sizes, **kw):
    scope = {"math": math}
    exec(compile(training_source(sizes, **kw), "<training_source>", "exec"), scope)
    return scope["train"]


@st.composite
def scalar_trainings(draw):
    """A small net and an activation, output activation and cost that training_source writes out."""
    sizes = draw(nets)
    cost = draw(st.sampled_from(["quadratic", "mse", "binary_cross_entropy"]))
    activation = draw(st.sampled_from(SCALAR_ACTIVATIONS))
    out = "sigmoid" if cost == "binary_cross_entropy" else draw(st.sampled_from([None, *SCALAR_ACTIVATIONS]))
    return sizes, dict(activation=activation, output_activation=out, cost=cost)


@given(scalar_trainings(), st.integers(0, 10**6))
def test_training_source_compiles_and_its_step_is_the_step_of_gradients(training, seed):
    sizes, kw = training
    weights = random_weights(sizes, seed, scale=0.5)
    X, Y = random_data(sizes, 3, "binary_cross_entropy", seed)
    flat = [v for W, b in weights for v in np.column_stack([W, b]).ravel().tolist()]
    after = compiled_train(sizes, **kw)(flat, X.tolist(), Y.tolist(), 0.3, [2])    # one step on sample 2
    _, grads = gradients(weights, X[2], Y[2], **kw)
    at = 0
    for (W, b), (dW, db) in zip(weights, grads):                       # p <- p - eta grad C^{i}(p)
        R = np.array(after[at:at + W.size + b.size]).reshape(len(W), -1)
        np.testing.assert_allclose(R[:, :-1], W - 0.3 * dW, rtol=0, atol=1e-12)
        np.testing.assert_allclose(R[:, -1], b - 0.3 * db, rtol=0, atol=1e-12)
        at += R.size
    assert at == len(after)


def test_training_source_takes_sigma_and_its_derivative_from_the_witness_table(monkeypatch):
    tanh = activations.get("tanh")
    marked = activations.Scalar("u = 7.0", "math.tanh(z) + 0.0 * u", "u - 6.0")
    monkeypatch.setitem(activations.ACTIVATIONS, "tanh", activations.Activation(
        "tanh", tanh.f, tanh.df, tanh.method, marked))
    source = training_source([1, 2, 1], activation="tanh", output_activation="identity")
    assert "        u = 7.0\n        a2_1 = math.tanh(z) + 0.0 * u\n        r2_1 = u - 6.0\n" in source
    assert "        a3_1 = z\n        r3_1 = 1.0\n" in source                          # identity's row of the table


def test_training_source_writes_the_cost_derivative_that_gradients_evaluates():
    assert "d2_1 = r2_1 * (2.0 / 2 * (a2_1 - y_1))" in training_source([1, 2], cost="mse")  # 2/n_L (a - y)
    assert "d2_2 = r2_2 * (a2_2 - y_2)" in training_source([1, 2])                         # a - y
    source = training_source([1, 1], cost="binary_cross_entropy")
    assert "d2_1 = a2_1 - y_1" in source and "r2_1" not in source           # sigma' cancels: not even computed


VALID_SIZE = st.integers(1, 4)
INVALID_SIZES = st.one_of(
    st.lists(VALID_SIZE, max_size=1),                                   # [], [2]: no output layer
    st.tuples(st.lists(VALID_SIZE, min_size=1, max_size=3),             # one bad width among good ones
              st.sampled_from([0, -1, True, False, 2.0, 2.5, "2", None, [2], np.bool_(True), np.float64(2.0)]),
              st.lists(VALID_SIZE, max_size=3)).map(lambda t: [*t[0], t[1], *t[2]]),
    st.sampled_from([2, None, 2.0, "22", b"22", "sigmoid", {2, 3}, {2: 3}]),          # not a list of widths
)


@given(INVALID_SIZES)
def test_training_source_rejects_invalid_sizes_and_says_what_sizes_should_be(sizes):
    with pytest.raises((ValueError, TypeError), match=r"sizes=.*list of at least two ints >= 1"):
        training_source(sizes)


def test_training_source_accepts_sizes_as_a_tuple_a_range_or_numpy_ints():
    expected = training_source([2, 3, 1])
    assert training_source((2, 3, 1)) == expected
    assert training_source(np.array([2, 3, 1])) == expected
    assert training_source([np.int64(2), 3, np.int32(1)]) == expected
    assert training_source(range(1, 3)) == training_source([1, 2])
    with pytest.raises(ValueError, match=r"sizes=\[2\] has 1 layer\(s\), but a network needs an input and an output"):
        training_source([2])


# --- bad input fails early, naming what is wrong and the fix ------------------------------------------------------
NET = random_weights([2, 3, 1], seed=23)
BAD_INPUTS = {
    "no samples": ((NET, np.zeros((0, 2)), np.zeros((0, 1))), r"X has shape \(0, 2\): no samples"),
    "NaN in X": ((NET, np.array([[0.0, np.nan]]), np.zeros((1, 1))),
                 r"X of shape \(1, 2\) holds 1 NaN or infinite value\(s\), the first at index \(0, 1\)"),
    "inf in Y": ((NET, np.zeros((2, 2)), np.array([[0.0], [np.inf]])), r"Y of shape \(2, 1\) holds 1 NaN or infinite"),
    "NaN in W": (([(np.full((3, 2), np.nan), np.zeros(3)), NET[1]], np.zeros(2), np.zeros(1)),
                 r"W\^\[2\] of shape \(3, 2\) holds 6 NaN or infinite value\(s\).*smaller eta"),
    "NaN in b": (([NET[0], (NET[1][0], np.array([np.nan]))], np.zeros(2), np.zeros(1)), r"b\^\[3\] of shape \(1,\)"),
    "bool X": ((NET, np.array([[True, False]]), np.zeros((1, 1))), r"X is an array of bools.*astype\(float\)"),
    "bool Y": ((NET, np.zeros((1, 2)), [[True]]), r"Y is an array of bools"),
    "strings": ((NET, [["a", "b"]], np.zeros((1, 1))), r"X holds <U1 values \(shape \(1, 2\)\); give real numbers"),
    "complex": ((NET, np.zeros(2, dtype=complex), np.zeros(1)), r"X holds complex128 values"),
    "ragged": ((NET, [[1.0, 2.0], [3.0]], np.zeros((2, 1))), r"X is a ragged list"),
    "not a pair": (([np.zeros((1, 2))], np.zeros(2), np.zeros(1)), r"weights\[0\] \(layer 2\) is not a \(W, b\) pair"),
    "no weights": ((None, np.zeros(2), np.zeros(1)), r"weights is a NoneType; give a list of \(W, b\) pairs"),
    "no neurons": (([(np.zeros((0, 2)), np.zeros(0))], np.zeros(2), np.zeros(0)),
                   r"W\^\[2\] has shape \(0, 2\); every layer needs at least one neuron"),
    "Y too wide": ((NET, np.zeros((4, 2)), np.zeros((4, 2))), r"Y has shape \(4, 2\), but the layer has 1 neurons"),
}


@pytest.mark.parametrize("function", [gradients, total_cost, forward_sensitivities, "forward", "sgd"])
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_raises_a_value_error_naming_the_shapes_and_the_fix(function, case):
    (weights, X, Y), message = BAD_INPUTS[case]
    if function == "forward":
        if case in ("inf in Y", "bool Y", "Y too wide"):
            return                                                      # forward takes no Y
        call = lambda: forward(weights, X)                              # noqa: E731
    elif function == "sgd":
        X, Y = np.atleast_2d(X) if case not in ("ragged", "strings") else X, Y
        call = lambda: sgd(weights, X, Y, iterations=3, rng=0)          # noqa: E731
        message = message.replace(r"X has shape \(0, 2\): no samples", r"X has shape \(0, 2\).*N >= 1")
        message = message.replace(r"Y has shape \(4, 2\), but the layer has 1 neurons", r"Y has shape \(4, 2\)")
    else:
        call = lambda: function(weights, X, Y)                          # noqa: E731
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("kw, message", [
    (dict(iterations=100.0), r"iterations=100.0; give an int >= 0"),
    (dict(iterations=-1), r"iterations=-1; give an int >= 0"),
    (dict(record_every=0), r"record_every=0; give an int >= 1"),
    (dict(record_every=True), r"record_every=True; give an int >= 1"),
    (dict(eta=float("nan")), r"eta=nan; give the learning rate as a finite number"),
    (dict(eta="0.1"), r"eta='0.1'; give the learning rate as a finite number"),
    (dict(eta=0.0), r"eta=0.0; give the learning rate as a finite number > 0"),     # would stand still
    (dict(eta=-0.05), r"eta=-0.05; give the learning rate as a finite number > 0"),  # would climb the cost
])
def test_sgd_names_a_bad_iteration_count_or_learning_rate(kw, message):
    with pytest.raises(ValueError, match=message):
        sgd(NET, np.zeros((2, 2)), np.zeros((2, 1)), **{"rng": 0, **kw})


def test_the_hand_coded_path_imports_no_engine():
    import ast
    import pathlib

    import nn

    root = pathlib.Path(nn.__file__).parent
    allowed = {"__future__", "functools", "math", "numbers", "collections.abc", "typing", "dataclasses", "numpy"}
    for name in ("backprop.py", "activations.py"):
        tree = ast.parse((root / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert {a.name for a in node.names} <= allowed, (name, ast.dump(node))
            elif isinstance(node, ast.ImportFrom):
                assert (node.level == 1 and node.module is None and [a.name for a in node.names] == ["activations"]
                        or node.level == 0 and node.module in allowed), (name, ast.dump(node))
    assert not (root / "backprop_sgd.py").exists()                      # one file, one idea: no import circle


@pytest.mark.parametrize("sizes, kw", [
    ([2, 2, 3, 2], {}),                                                         # HH19: the scalar code
    ([2, 3, 2], dict(activation="tanh", cost="binary_cross_entropy")),
    ([2, 3, 2], dict(activation="tanh", cost="cross_entropy")),                 # one gradients() call a step
])
def test_sgd_records_exactly_the_cost_that_total_cost_gives_for_its_weights(sizes, kw):
    # sgd computes the recorded cost without checking its weights and data again; it must be total_cost's number
    weights = random_weights(sizes, seed=23, scale=0.5)
    X, Y = random_data(sizes, 7, "cross_entropy" if kw.get("cost") == "cross_entropy" else "binary_cross_entropy",
                       seed=23)
    for steps in (1, 37):
        result = sgd(weights, X, Y, eta=0.2, iterations=steps, rng=3, record_every=steps, **kw)
        assert result.costs[-1] == total_cost(result.weights, X, Y, **kw)
