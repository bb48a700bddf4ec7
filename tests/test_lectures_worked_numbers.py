"""The lectures' worked numbers (/work/shared/SEEDS.md, seeds 000-004), each computed by the library and compared
with the lecture to every digit it prints, on every path that applies: the Value engine, the Tensor engine,
autograd.compile, nn's layers and optimizers, and the hand-coded delta rule of nn.backprop.

Numbers already checked elsewhere to all their digits are not repeated here (the AND neuron by nn.backprop in
both layouts and by nn.scalar: tests/test_backprop*.py, tests/test_docs_numbers.py; HH19's ten points:
tests/test_nn_data.py; the full netbp run: tests/test_examples_lectures.py; Dehaqani's five-input table:
tests/test_nn_logic.py; sigma'(100): tests/test_docs_numbers.py). This file adds the paths those tests leave out.
"""

import numpy as np

import autograd
from autograd import Tensor, Value, weighted_sum
from autograd.functional import grad
from nn import MLP, SGD, activations, backprop, losses, scalar
from nn.logic import ThresholdNetwork, ThresholdUnit, all_inputs, dnf_network, polygon_units

X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


# --- ANN from scratch (004): the AND neuron, w1 = w2 = b = 0, input (0, 1), target 0 -----------------------------
# The lecture: O = 0.5, E = 1/2 (Y - O)^2 = 0.125, dE/dO = O - Y = 0.5, dO/dS = 0.5 (1 - 0.5) = 0.25,
# dE/dw1 = 0.5 * 0.25 * 0 = 0, dE/dw2 = dE/db = 0.5 * 0.25 * 1 = 0.125; w1 = 0 - 0.1 * 0.5 * 0.25 * 0 = 0.
# It prints w1 only; w2 and b after the step follow from its formula: 0 - 0.1 * 0.125 (exact in binary: 0.1 / 8).

def test_and_neuron_on_the_tensor_engine_gives_every_number_of_the_lecture():
    w = Tensor(np.zeros((2, 1)), requires_grad=True)
    b = Tensor(np.zeros(1), requires_grad=True)
    S = Tensor(np.array([[0.0, 1.0]])) @ w + b                  # s = X1 w1 + X2 w2 + b = 0
    O = S.sigmoid()
    E = (0.5 * (0.0 - O) ** 2).sum()
    dE_dO, dE_dS = grad(E, [O, S])
    assert O.data.tolist() == [[0.5]] and float(E.data) == 0.125
    assert dE_dO.data.tolist() == [[0.5]]
    assert dE_dS.data.tolist() == [[0.5 * 0.25]]                 # dE/dO * dO/dS, dO/dS = 0.25
    E.backward()
    assert w.grad.tolist() == [[0.0], [0.125]] and b.grad.tolist() == [0.125]


def test_and_neuron_dO_dS_is_a_quarter_on_both_engines():
    s = Value(0.0)
    s.sigmoid().backward()
    t = Tensor(np.zeros(1), requires_grad=True)
    t.sigmoid().sum().backward()
    assert s.grad == 0.25 and t.grad.tolist() == [0.25]


def test_and_neuron_one_step_of_rate_point_one_through_nn_mlp_and_sgd():
    model = MLP([2, 1], activation="sigmoid").set_weights([(np.zeros((1, 2)), np.zeros(1))])
    E = losses.quadratic(model(np.array([[0.0, 1.0]])), np.array([[0.0]]))
    assert float(E.data) == 0.125
    E.backward()
    (W, b), = [(layer.weight, layer.bias) for layer in model.layers]
    assert W.grad.tolist() == [[0.0, 0.125]] and b.grad.tolist() == [0.125]
    SGD(model.parameters(), lr=0.1).step()
    (W_after, b_after), = model.get_weights()
    assert W_after.tolist() == [[0.0, 0.0 - 0.1 * 0.125]]        # w1 stays 0 (the lecture), w2 = -0.0125
    assert b_after.tolist() == [0.0 - 0.1 * 0.125]
    assert W_after[0, 1] == -0.0125 and b_after[0] == -0.0125


def test_and_neuron_one_step_through_nn_scalar_to_the_last_bit():
    # tests/test_nn_scalar.py checks w2 and b after the step only to pytest.approx's 1e-6: here, exactly.
    n = scalar.Neuron(2, "sigmoid", w=[0.0, 0.0], b=0.0)
    losses.quadratic([n([0.0, 1.0])], [0.0]).backward()
    SGD(n.parameters(), lr=0.1).step()
    assert [w.data for w in n.w] == [0.0, -0.0125] and n.b.data == -0.0125


def test_and_neuron_compiled_gives_the_lectures_cost_and_gradient():
    def E(p, x):                                                  # p = [w1, w2, b]
        O = weighted_sum(p[:2], x, p[2]).sigmoid()
        return 0.5 * (0.0 - O) ** 2

    fast = autograd.compile(E, ([0.3, -0.2, 0.1], [1.0, 0.5]), wrt=0)   # traced elsewhere, run at the lecture's point
    value, (dp,) = fast([0.0, 0.0, 0.0], [0.0, 1.0])
    assert value == 0.125 and dp == [0.0, 0.125, 0.125]


def test_and_neuron_by_the_delta_rule_with_the_input_gradient_in_both_layouts():
    # dE/dIN = dE/dOS W^T (the lecture's summary): 0.125 * (w1, w2) = (0, 0); the rows layout's W0 is (N0, N1).
    C, [(dW, db)], dX = backprop.gradients([(np.zeros((1, 2)), np.zeros(1))], np.array([0.0, 1.0]),
                                           np.array([0.0]), input_grad=True)
    Cr, [(dW0, dB1)], dXr = backprop.gradients([(np.zeros((2, 1)), np.zeros(1))], np.array([[0.0, 1.0]]),
                                               np.array([[0.0]]), layout="rows", input_grad=True)
    assert (C, dW.tolist(), db.tolist()) == (0.125, [[0.0, 0.125]], [0.125])
    assert (Cr, dW0.tolist(), dB1.tolist()) == (0.125, [[0.0], [0.125]], [0.125])
    assert np.asarray(dX).ravel().tolist() == [0.0, 0.0] and np.asarray(dXr).ravel().tolist() == [0.0, 0.0]


# --- Nielsen (002): the NAND perceptron w = (-2, -2), b = 3, output 1 when w . x + b >= 0 -------------------------
# The lecture: for (1, 1), w . x + b = -4 + 3 = -1 <= 0, output 0; in any other case w . x + b >= 0, output 1
# (by hand: 3 for (0, 0), 1 for (0, 1) and (1, 0)).

def test_nand_perceptrons_weighted_sums_on_both_engines_and_its_outputs():
    sums = [weighted_sum([Value(-2.0), Value(-2.0)], list(x), Value(3.0)).data for x in X01]
    tensor_sums = (Tensor(X01) @ Tensor(np.array([-2.0, -2.0])) + 3.0).data
    assert sums == tensor_sums.tolist() == [3.0, 1.0, 1.0, -1.0]
    step = activations.get("step")
    assert step(np.array(sums)).astype(int).tolist() == [1, 1, 1, 0]


def test_nand_perceptron_as_a_threshold_unit_of_nn_logic():
    # nn.logic's unit fires when sum w x - T > 0 (Dehaqani's strict step); b = 3 is T = -3. No input of {0,1}^2 puts
    # w . x + b at 0 (the sums are 3, 1, 1, -1), so the strict and Nielsen's >= 0 step agree on the table.
    assert ThresholdUnit([-2.0, -2.0], -3.0)(X01).tolist() == [1, 1, 1, 0]


# --- The MIPT lecture (003): least squares on XOR, theta = (0, 0, 1/2) ---------------------------------------------
# By hand: at theta = (0, 0, 1/2) the residuals theta . (x1, x2, 1) - y are (1/2, -1/2, -1/2, 1/2), orthogonal to
# each column (x1, x2, 1) of the design matrix: the gradient of 1/(2N) sum r^2 is exactly 0, and the cost is 1/8.

def test_least_squares_on_xor_has_zero_gradient_at_the_lectures_theta_on_every_path():
    y = np.array([0.0, 1.0, 1.0, 0.0])
    theta = [Value(0.0), Value(0.0), Value(0.5)]
    C = sum((weighted_sum(theta[:2], list(x), theta[2]) - t) ** 2 for x, t in zip(X01, y)) / 8.0
    C.backward()
    assert C.data == 0.125 and [p.grad for p in theta] == [0.0, 0.0, 0.0]

    model = MLP([2, 1], activation="identity").set_weights([(np.array([[0.0, 0.0]]), np.array([0.5]))])
    E = losses.quadratic(model(X01), y[:, None])
    E.backward()
    layer = model.layers[0]
    assert float(E.data) == 0.125
    assert layer.weight.grad.tolist() == [[0.0, 0.0]] and layer.bias.grad.tolist() == [0.0]

    Cb, [(dW, db)] = backprop.gradients([(np.array([[0.0, 0.0]]), np.array([0.5]))], X01, y[:, None],
                                        activation="identity")
    assert (Cb, dW.tolist(), db.tolist()) == (0.125, [[0.0, 0.0]], [0.0])


def test_gradient_descent_on_xor_least_squares_reaches_the_lectures_theta():
    model = MLP([2, 1], activation="identity").set_weights([(np.array([[0.3, -0.7]]), np.array([0.2]))])
    opt = SGD(model.parameters(), lr=1.0)
    for _ in range(2000):                                         # a quadratic: linear convergence, ~1e-16 by 2000
        opt.zero_grad()
        losses.quadratic(model(X01), np.array([[0.0], [1.0], [1.0], [0.0]])).backward()
        opt.step()
    (W, b), = model.get_weights()
    np.testing.assert_allclose([*W[0], *b], [0.0, 0.0, 0.5], rtol=0, atol=1e-12)


# --- The MIPT lecture (003): the ReLU feature map max(0, [[1, 1], [1, 1]] x + (0, -1)) makes XOR separable ---------
# By hand: h = (0, 0), (1, 0), (1, 0), (2, 1) for the four inputs; the output (1, -2) . h (the weights of Goodfellow
# et al.'s 6.1, which the lecture's picture follows) is 0, 1, 1, 0: XOR.

def test_relu_feature_map_computes_xor_on_both_engines_and_by_the_delta_rule():
    W, c, w_out = np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0]), np.array([[1.0, -2.0]])
    H = (Tensor(X01) @ Tensor(W.T) + Tensor(c)).relu()
    assert H.data.tolist() == [[0, 0], [1, 0], [1, 0], [2, 1]]
    weights = [(W, c), (w_out, np.array([0.0]))]
    tensor = MLP([2, 2, 1], activation="relu", output_activation="identity").set_weights(weights)(X01)
    assert tensor.data[:, 0].tolist() == [0.0, 1.0, 1.0, 0.0]
    values = scalar.MLP(2, [2, 1], activation="relu", output_activation="identity")
    values.set_weights(weights)
    assert [values(list(x)).data for x in X01] == [0.0, 1.0, 1.0, 0.0]
    hand = backprop.forward(weights, X01, activation="relu", output_activation="identity").output
    assert np.asarray(hand).ravel().tolist() == [0.0, 1.0, 1.0, 0.0]


# --- Dehaqani (001): the reduced DNF O = Y'Z' + W'XY' + X'YZ' needs only 3 hidden units -----------------------------
# By hand: its table over (W, X, Y, Z) has 4 + 2 + 2 - 1 = 7 true rows (Y'Z' and W'XY' share W'XY'Z'; the other
# pairs contradict), so the one-unit-per-row DNF network has 7 hidden units and the reduced one 3.

def test_reduced_dnf_with_three_hidden_units_computes_the_same_table_as_seven_minterms():
    inputs = all_inputs(4)
    Wv, Xv, Yv, Zv = inputs.T.astype(bool)
    table = ((~Yv & ~Zv) | (~Wv & Xv & ~Yv) | (~Xv & Yv & ~Zv)).astype(int)
    assert table.sum() == 7
    full = dnf_network(table)
    assert full.sizes == [4, 7, 1]
    # one unit per implicant: fires when sum w x - T > 0, w = +1 on a plain literal, -1 on a negated one
    implicants = [ThresholdUnit([0, 0, -1, -1], -1.0),            # Y'Z': fires only at sum 0
                  ThresholdUnit([-1, 1, -1, 0], 0.0),             # W'XY': fires only at sum 1
                  ThresholdUnit([0, -1, 1, -1], 0.0)]             # X'YZ': fires only at sum 1
    reduced = ThresholdNetwork([implicants, [ThresholdUnit([1, 1, 1], 0.0)]])   # OR: fires when any fires
    assert reduced.sizes == [4, 3, 1]
    assert reduced(inputs).tolist() == full(inputs).tolist() == table.tolist()


# --- Dehaqani (001): the circle net: the sum of the N half-plane units is N inside, N/2 outside almost everywhere ----
# By hand: a unit fires where n_j . x < r; far from the centre (|x| = R >> r) that is where cos(angle(n_j, x)) < r/R,
# which for N = 1000 equally spaced normals and a direction on none of their right angles is 500 of them.

def test_the_sum_of_a_thousand_half_planes_is_n_inside_and_n_over_2_far_outside():
    units = polygon_units(1000)
    inside = np.array([[0.0, 0.0], [0.3, -0.4], [-0.9, 0.1]])
    far = 1e7 * np.array([[np.cos(a), np.sin(a)] for a in (0.1234, 1.0, 2.5, 4.0, 5.9)])
    total = lambda P: np.sum([u(P) for u in units], axis=0)       # noqa: E731
    assert total(inside).tolist() == [1000] * 3
    assert total(far).tolist() == [500] * 5
