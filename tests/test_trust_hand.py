"""Hostile inputs to the hand-coded algorithms (nn.backprop, nn.perceptrons, nn.logic): each is answered with the
right numbers or refused by name, never answered with inf, NaN or a silent pass. Every number expected here is
worked out by hand in the test, from the formula, not read from the code under test."""

import numpy as np
import pytest

import nn.backprop
from nn.backprop import forward, forward_rows, forward_sensitivities, gradients, gradients_rows, sgd, total_cost

pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                                        "ignore:invalid value encountered:RuntimeWarning")


# --- nn.backprop: numbers beyond float64 are refused, not returned as inf or NaN ----------------------------------
def _one_neuron(w, b=0.0):
    return [(np.array([[w]]), np.array([b]))]


OVERFLOWS = {
    # z = 1e300 * 1e10 is beyond float64: the cost came back inf and dC/dW inf
    "z, identity": (_one_neuron(1e300), [[1e10]], [[0.0]], dict(activation="identity"), r"z\^\[2\]"),
    # a relu layer passes the inf on; z^[3] = inf
    "z, relu": ([(np.array([[1e300]]), np.zeros(1)), (np.array([[1.0]]), np.zeros(1))], [[1e10]], [[0.0]],
                dict(activation="relu", output_activation="identity"), r"z\^\[2\]"),
    # softmax of z = (inf, -inf): z - max z = (NaN, -inf), and the cost and every gradient came back NaN
    "z, cross-entropy": ([(np.array([[1e308], [-1e308]]), np.zeros(2))], [[1e10]], [[0.0, 1.0]],
                         dict(cost="cross_entropy"), r"z\^\[2\]"),
    # z = 1e160 fits, but C = 1/2 (1e160)^2 = 5e319 does not: the cost came back inf
    "cost": (_one_neuron(1e160), [[1.0]], [[0.0]], dict(activation="identity"), r"cost"),
    # a = z = 1e-50 * 1e200 = 1e150 and C = 5e299 fit, but dC/dW = (a - y) x = 1e150 * 1e200 does not: inf
    "gradient": (_one_neuron(1e-50), [[1e200]], [[0.0]], dict(activation="identity"), r"dC/dW\^\[2\]"),
}


@pytest.mark.parametrize("case", sorted(OVERFLOWS))
@pytest.mark.parametrize("function", ["gradients", "forward_sensitivities", "total_cost", "gradients_rows",
                                      "forward", "forward_rows"])
def test_a_number_beyond_float64_is_refused_naming_where_it_overflowed(function, case):
    weights, X, Y, kw, where = OVERFLOWS[case]
    X, Y = np.array(X), np.array(Y)
    rows = [(W.T, b) for W, b in weights]                               # seed 004's layout: the same net
    if function in ("forward", "forward_rows"):                       # no cost: only the z's can overflow
        if not where.startswith("z"):
            return
        kw = dict(activation=kw.get("activation", "sigmoid"),
                  output_activation="softmax" if kw.get("cost") == "cross_entropy" else kw.get("output_activation"))
    if function == "total_cost" and where.startswith("dC"):
        return                                                          # no gradient is computed
    call = {"gradients": lambda: gradients(weights, X, Y, **kw),
            "forward_sensitivities": lambda: forward_sensitivities(weights, X, Y, **kw),
            "total_cost": lambda: total_cost(weights, X, Y, **kw),
            "gradients_rows": lambda: gradients_rows(rows, X, Y, **kw),
            "forward": lambda: forward(weights, X, **kw),
            "forward_rows": lambda: forward_rows(rows, X, **kw)}[function]
    if function == "gradients_rows" and where.startswith("dC"):
        where = r"dE/dW0|dC/dW\^\[2\]"
    with pytest.raises(ValueError, match=rf"backprop: .*({where}).* overflowed float64.*scale"):
        call()


def test_large_numbers_that_fit_still_give_the_formulas_numbers():
    # the same neurons a little smaller: C = 1/2 (w x)^2, dC/dw = w x^2, dC/db = w x, all by hand
    w, x = 1e100, 1e50
    C, [(dW, db)], dx = gradients(_one_neuron(w), np.array([[x]]), np.array([[0.0]]), activation="identity",
                                  input_grad=True)
    assert C == 0.5 * (w * x) ** 2 and dW[0, 0] == w * x * x and db[0] == w * x and dx[0, 0] == w * x * w
    # a saturated sigmoid is no overflow: z = 1e300 gives a = 1 and sigma'(z) = 0 exactly, in the first layer too
    weights = [(np.array([[1e300]]), np.zeros(1)), (np.array([[2.0]]), np.zeros(1))]
    C, [(dW2, db2), (dW3, db3)] = gradients(weights, np.array([[1.0]]), np.array([[0.0]]))
    s = 1.0 / (1.0 + np.exp(-2.0))                                      # a^[3] = sigma(2 * 1)
    assert C == pytest.approx(0.5 * s * s, rel=1e-15) and dW2[0, 0] == 0.0 and db2[0] == 0.0
    assert dW3[0, 0] == pytest.approx(s * s * (1.0 - s), rel=1e-14) == db3[0]     # delta^[3] a^[2], a^[2] = 1


# --- nn.backprop.sgd: a training that diverged is not reported as a training -------------------------------------
@pytest.mark.parametrize("path", ["written-out step", "one gradients() call a step"])
def test_sgd_refuses_to_return_a_diverged_training(path, monkeypatch):
    # one identity neuron a = w x + b, x = 10, y = 0: each step multiplies the error a by 1 - eta (x^2 + 1) = -1009,
    # so after about 100 steps a is beyond float64; sgd returned weights and costs of NaN, a "training" with costs
    # [5000, nan, nan, ...]
    if path != "written-out step":
        monkeypatch.setattr(nn.backprop, "_MAX_UNROLLED", 0)
    with pytest.raises(ValueError, match=r"sgd: the training diverged between steps 0 and 100: the cost was 50 at "
                                         r"step 0, then .* overflowed float64 [^;]*; eta=10\.0 .* give a smaller eta"):
        sgd(_one_neuron(1.0), np.array([[10.0]]), np.array([[0.0]]), eta=10.0, iterations=1000, rng=0,
            record_every=100, activation="identity")
    # the same neuron at eta = 0.005 < 2 / (x^2 + 1): the error shrinks by 1 - 0.505 each step, as by hand
    result = sgd(_one_neuron(1.0), np.array([[10.0]]), np.array([[0.0]]), eta=0.005, iterations=3, rng=0,
                 record_every=1, activation="identity")
    errors = [10.0 * (1 - 0.505) ** k for k in range(4)]             # a_k = (1 - eta (x^2 + 1))^k a_0
    np.testing.assert_allclose(result.costs, [0.5 * e * e for e in errors], rtol=1e-14)


# --- nn.backprop: targets and outputs that make no cost of the name -----------------------------------------------
def _with_every_function(weights, X, Y, **kw):
    """Each of backprop's functions that takes targets, called on the same net, data and options."""
    rows = [(W.T, b) for W, b in weights]
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    return {"gradients": lambda: gradients(weights, X, Y, **kw),
            "total_cost": lambda: total_cost(weights, X, Y, **kw),
            "forward_sensitivities": lambda: forward_sensitivities(weights, X, Y, **kw),
            "gradients_rows": lambda: gradients_rows(rows, X, Y, **kw),
            "sgd": lambda: sgd(weights, X, Y, iterations=2, rng=0, record_every=1, **kw)}


TWO_OUT = [(np.array([[0.5, -0.3], [0.2, 0.4]]), np.array([0.1, -0.2]))]


@pytest.mark.parametrize("cost, Y, shown", [
    # -1/+1 labels where 0/1 are meant: with y = -1, C = ln a - 2 ln(1 - a) falls without bound as a -> 0, so
    # gradient descent "trained" towards a cost of -inf
    ("binary_cross_entropy", [[-1.0, 1.0], [1.0, -1.0]], r"-1\.0 \(sample 0, output 0\)"),
    ("binary_cross_entropy", [[0.0, 1.0], [2.0, 0.0]], r"2\.0 \(sample 1, output 0\)"),
    # -sum_k y_k ln a_k with a y_k < 0 falls without bound as a_k -> 0
    ("cross_entropy", [[1.0, 0.0], [2.0, -1.0]], r"-1\.0 \(sample 1, output 1\)"),
])
@pytest.mark.parametrize("function", ["gradients", "total_cost", "forward_sensitivities", "gradients_rows", "sgd"])
def test_cross_entropies_refuse_targets_that_are_not_probabilities(cost, Y, shown, function):
    X = [[1.0, 2.0], [-1.0, 0.5]]
    interval = r"\[0, 1\]" if cost == "binary_cross_entropy" else r">= 0"
    with pytest.raises(ValueError, match=rf"backprop: cost {cost!r} needs targets y {interval}.*got {shown}"):
        _with_every_function(TWO_OUT, X, Y, cost=cost)[function]()


def test_cross_entropies_take_targets_at_the_ends_and_inside_0_1():
    # BCE with y in {0, 0.25, 1}, sigmoid output: C = mean over samples of sum_k softplus(-z) y + softplus(z) (1 - y)
    X, Y = np.array([[1.0, 2.0], [-1.0, 0.5]]), np.array([[0.0, 0.25], [1.0, 0.0]])
    W, b = TWO_OUT[0]
    Z = X @ W.T + b
    sp = lambda z: np.log1p(np.exp(z))                                          # noqa: E731
    want = np.mean(np.sum(Y * sp(-Z) + (1 - Y) * sp(Z), axis=1))
    assert total_cost(TWO_OUT, X, Y, cost="binary_cross_entropy") == pytest.approx(want, rel=1e-14)


@pytest.mark.parametrize("kw", [dict(cost="cross_entropy"), dict(output_activation="softmax"),
                                dict(output_activation="softmax", cost="mse")])
@pytest.mark.parametrize("function", ["gradients", "total_cost", "forward_sensitivities", "gradients_rows", "sgd"])
def test_a_softmax_over_one_output_is_refused_as_its_cost_cannot_move(kw, function):
    # softmax(z) = e^z / e^z = 1 for a single z, whatever the weights: cross-entropy gave the cost 0 and every
    # gradient 0 for every net with one output, so a two-class net with one output "trained" without moving
    with pytest.raises(ValueError, match=r"backprop: a softmax over one output is 1 whatever the weights.*"
                                         r"binary_cross_entropy"):
        _with_every_function(_one_neuron(0.7, 0.1), [[1.0], [2.0]], [[1.0], [0.0]], **kw)[function]()


@pytest.mark.parametrize("function", ["gradients", "total_cost", "forward_sensitivities", "gradients_rows", "sgd",
                                      "forward", "forward_rows"])
def test_an_empty_output_activation_name_is_unknown_not_the_hidden_one(function):
    # output_activation="" was read as "not given" and the hidden activation used instead
    calls = _with_every_function(TWO_OUT, [[1.0, 2.0]], [[0.0, 1.0]], activation="tanh", output_activation="")
    calls["forward"] = lambda: forward(TWO_OUT, [[1.0, 2.0]], "tanh", "")
    calls["forward_rows"] = lambda: forward_rows([(W.T, b) for W, b in TWO_OUT], [[1.0, 2.0]], "tanh", "")
    with pytest.raises(ValueError, match=r"unknown activation ''"):
        calls[function]()


def test_row_layout_biases_of_another_shape_are_refused_not_flattened():
    # B1 of shape (2, 3) for six hidden units was flattened into (6,) and used
    W0, W1 = np.ones((2, 6)), np.ones((6, 1))
    for B1 in (np.zeros((2, 3)), np.zeros((3, 2)), np.zeros((6, 1, 1))):
        with pytest.raises(ValueError, match=r"W0 has shape \(2, 6\) and B1 shape \(\d, \d(, 1)?\)"):
            forward_rows([(W0, B1), (W1, np.zeros(1))], np.zeros(2))
    for B1 in (np.zeros(6), np.zeros((1, 6)), np.zeros((6, 1))):               # a flat row, a row, a column
        assert forward_rows([(W0, B1), (W1, np.zeros(1))], np.zeros(2)).z[2].tolist() == [0.0] * 6


@pytest.mark.parametrize("rng", [-1, True, 1.5, "a", [1.5]])
def test_sgd_names_a_seed_it_cannot_use(rng):
    # numpy's own words ("expected non-negative integer", "SeedSequence expects int ...") named no function; True
    # was taken as the seed 1
    with pytest.raises(ValueError, match=r"sgd: rng="):
        sgd(TWO_OUT, np.ones((2, 2)), np.zeros((2, 2)), iterations=1, rng=rng)


# --- nn.perceptrons: a sample the rule cannot place is refused, not skipped ---------------------------------------
X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
AND = np.array([-1.0, -1.0, -1.0, 1.0])


def _rule(name, X, t, **kw):
    from nn import perceptrons
    if name == "madaline":
        kw.setdefault("eta", 0.1)
    return getattr(perceptrons, name)(X, t, **kw)


@pytest.mark.parametrize("rule", ["sign_perceptron", "batch_perceptron", "madaline"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_the_rules_refuse_a_sample_with_nan_or_inf(rule, bad):
    # t (W . x) <= 0 is False for a NaN sample, so it never counted as a mistake: AND with a NaN in the first
    # sample came back converged=True; with inf the weights went to inf over 100 epochs
    X = X01.copy()
    X[0, 0] = bad
    with pytest.raises(ValueError, match=rf"{rule}: X holds 1 NaN or infinite value\(s\), the first at row 0, "
                                         r"column 0"):
        _rule(rule, X, AND)


@pytest.mark.parametrize("rule", ["sign_perceptron", "batch_perceptron", "madaline"])
def test_the_rules_refuse_inputs_whose_weighted_sums_overflow(rule):
    # AND on {0, 1e200}^2: W . x grows past 1.8e308, and the rules ran their 100 epochs (1000 steps) on inf and
    # NaN and reported "not converged", as if AND were XOR; madaline's eta bound read "eta < 0"
    with pytest.raises(ValueError, match=rf"{rule}: .*overflow.*scale the inputs down"):
        _rule(rule, 1e200 * X01, AND)


@pytest.mark.parametrize("rule", ["sign_perceptron", "batch_perceptron"])
def test_large_inputs_whose_sums_fit_are_learned(rule):
    # classes on either side of x1 + x2 = 0, at 1e150: W . x stays near 1e301, and every sample ends strictly on its
    # own side, checked here by hand
    X, t = 1e150 * np.array([[1.0, 1.0], [-1.0, -1.0], [2.0, 1.0], [-1.0, -2.0]]), np.array([1.0, -1.0, 1.0, -1.0])
    r = _rule(rule, X, t)
    assert r.converged and np.all(t * (np.column_stack([X, np.ones(4)]) @ r.W) > 0)


def test_a_trained_madaline_refuses_to_classify_nan():
    # every comparison with NaN is False, so z >= 0 failed and a NaN sample was answered -1
    m = _rule("madaline", X01, np.array([-1.0, 1.0, 1.0, -1.0]), seed=0)
    with pytest.raises(ValueError, match=r"Madaline: X holds 1 NaN or infinite value\(s\)"):
        m(np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match=r"Madaline: X holds 1 NaN"):
        m.hidden(np.array([[0.0, np.nan]]))


# --- nn.logic: a truth table holds 0s and 1s, and a threshold unit never answers NaN with 0 -----------------------
@pytest.mark.parametrize("f, shown", [
    (lambda X: 0.7 * np.ones(len(X)), r"0\.7"),                  # was truncated to the table [0, 0, 0, 0]
    (lambda X: 2 * np.ones(len(X)), r"2\.0"),                    # was the "truth table" [2, 2, 2, 2]
    (lambda X: np.full(len(X), np.nan), r"nan"),                 # was [-9223372036854775808] * 4
    (lambda X: X, r"shape \(4, 2\)"),                            # 8 values for 4 rows, flattened
    (lambda X: 1, r"shape \(\)"),                                # one value for 4 rows
    (lambda X: ["a"] * len(X), r"str|<U1"),                      # int('a'): numpy's words, naming nothing
])
def test_truth_table_refuses_what_is_not_one_0_or_1_per_row(f, shown):
    from nn import logic
    with pytest.raises((ValueError, TypeError), match=rf"truth_table: .*{shown}"):
        logic.truth_table(f, 2)


def test_truth_table_takes_bools_and_a_column_of_0s_and_1s():
    from nn import logic
    rows = [(0, 0), (0, 1), (1, 0), (1, 1)]                      # lexicographic, x1 the most significant bit
    xor = [int(a != b) for a, b in rows]
    assert logic.truth_table(lambda X: X[:, 0] != X[:, 1], 2).tolist() == xor
    assert logic.truth_table(lambda X: (X[:, 0] ^ X[:, 1])[:, None], 2).tolist() == xor
    assert logic.truth_table(lambda X: np.ones(len(X)), 0).tolist() == [1]        # no inputs: one row


def test_a_threshold_unit_refuses_nan_rather_than_staying_silent():
    from nn import logic
    # NaN > 0 is False, so step(NaN) was 0 and a unit, a network or a pulse answered 0 for a NaN input
    with pytest.raises(ValueError, match=r"step: z holds NaN at index \(1,\)"):
        logic.step([1.0, np.nan])
    unit = logic.ThresholdUnit([1.0, 1.0], 1.0)
    with pytest.raises(ValueError, match=r"ThresholdUnit: .*NaN.*row 0"):
        unit(np.array([[np.nan, 5.0]]))
    with pytest.raises(ValueError, match=r"ThresholdUnit: .*NaN.*row 1"):   # inf - inf: no side of the threshold
        unit(np.array([[0.0, 0.0], [np.inf, -np.inf]]))
    with pytest.raises(ValueError, match=r"ThresholdNetwork: .*NaN"):
        logic.gate("XOR")(np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match=r"square_pulse: .*NaN"):
        logic.square_pulse(1.0, 2.0)([1.5, np.nan])
    # an infinite input is on one side: inf + 0 - 1 > 0 fires, -inf does not (and step(+-inf) is 1, 0)
    assert unit(np.array([[np.inf, 0.0], [-np.inf, 1.0]])).tolist() == [1, 0]
    assert logic.step([np.inf, -np.inf]).tolist() == [1, 0]


def test_pulse_sum_and_truth_table_name_an_f_that_fails_on_an_array():
    from nn import logic
    scalar_only = lambda x: 2.0 if x > 0 else 0.0                # noqa: E731 - an if on an array of midpoints
    with pytest.raises(ValueError, match=r"pulse_sum: f failed on the array of the 3 midpoints.*np\.vectorize"):
        logic.pulse_sum(scalar_only, 0.0, 1.0, 3)
    with pytest.raises(ValueError, match=r"truth_table: f failed on the array all_inputs\(2\).*"):
        logic.truth_table(lambda X: 1 if X[0] else 0, 2)


# --- nn.init: the default initialiser follows the activation, however it is named ---------------------------------
def test_the_default_initialiser_is_he_for_a_relu_given_as_an_activation_object():
    # activations.get passes an Activation through, so Neuron(3, activations.get("relu")) is a relu neuron; but
    # init.get compared the object with the strings "relu", "softplus" and drew xavier's weights instead of he's
    from nn import activations, init, scalar
    for name in ("relu", "softplus"):
        assert init.get(None, activations.get(name)) is init.he
    assert init.get(None, activations.get("tanh")) is init.xavier
    want = np.random.default_rng(0).standard_normal(3) * np.sqrt(2.0 / 3)      # He: N(0, 2 / n_in), n_in = 3
    for act in ("relu", activations.get("relu")):
        np.testing.assert_array_equal([w.data for w in scalar.Neuron(3, act, seed=0).w], want)


# --- nn.backprop: an orientation or a label format it cannot take is refused with the fix -------------------------
def test_samples_as_columns_and_class_labels_are_refused_with_the_fix():
    X, labels = np.zeros((5, 2)), np.array([0, 1, 1, 0, 1])
    with pytest.raises(ValueError, match=r"X has shape \(2, 5\).*samples as columns\? pass X\.T"):
        gradients(TWO_OUT, X.T, np.eye(2)[labels])
    for Y in (labels, labels[:2]):
        with pytest.raises(ValueError, match=r"Y has shape \(\d,\), one number per sample.*np\.eye\(2\)\[k\]"):
            gradients(TWO_OUT, X if len(Y) == 5 else X[:2], Y, cost="cross_entropy")


# --- nn.activations: NaN in, NaN out, for the step too ---------------------------------------------------------------
def test_every_activation_of_the_table_answers_nan_with_nan():
    # NaN >= 0 is False, so the step answered 0 (class 0) for NaN, where every other activation answers NaN
    from nn import activations
    for name, act in activations.ACTIVATIONS.items():
        out = act(np.array([np.nan, -1.0, 2.0]))
        assert np.isnan(out[0]) and not np.isnan(out[1:]).any(), name
    assert activations.get("step")(np.array([np.nan, -1.0, 0.0, 2.0]))[1:].tolist() == [0.0, 1.0, 1.0]


# --- nn.rbf: a width whose 2 s^2 is 0 in float64 ----------------------------------------------------------------------
def test_rbf_refuses_a_width_whose_square_underflows_by_name():
    # s = 1e-200: 2 s^2 underflows to 0 and the first forward pass failed with the engine's ZeroDivisionError
    # ("/: the divisor ... has zero entries"), naming no layer
    from nn import RBF
    with pytest.raises(ValueError, match=r"RBF: widths .*1e-200.*2 s\^2 underflows"):
        RBF(1, 2, centres=[[0.0], [1.0]], widths=[1.0, 1e-200])
    layer = RBF(1, 1, centres=[[0.0]], widths=1e-150)                     # 2 s^2 = 2e-300 fits: exp(-1e-300 / 2e-300)
    assert layer(np.array([[1e-150]])).data[0, 0] == pytest.approx(np.exp(-0.5), rel=1e-15)
