"""Seed 004's row-vector network (layout="rows") and the gradient towards the input (input_grad=True) in nn.backprop,
checked against the column layout, central differences and both engines."""

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from nn import losses
from nn import scalar as scalar_nn
from nn.backprop import forward, forward_rows, gradients, gradients_rows, total_cost


def random_weights(sizes, seed, scale=0.8):
    rng = np.random.default_rng(seed)
    return [(scale * rng.standard_normal((m, n)), scale * rng.standard_normal(m)) for n, m in zip(sizes, sizes[1:])]


def transposed(weights):
    return [(W.T.copy(), b.copy()) for W, b in weights]


CASES = [([2, 3, 2], "sigmoid", None, "mse"), ([3, 4, 2, 2], "tanh", None, "quadratic"),
         ([2, 3, 3], "sigmoid", None, "cross_entropy"), ([4, 2, 1], "relu", "sigmoid", "binary_cross_entropy"),
         ([2, 2, 1], "softplus", "identity", "quadratic")]


@pytest.mark.parametrize("sizes, activation, out, cost", CASES)
def test_row_layout_gradients_equal_the_column_layout_transposed(sizes, activation, out, cost):
    rng = np.random.default_rng(len(sizes))
    weights = random_weights(sizes, 0)
    X = rng.standard_normal((7, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 7)] if cost == "cross_entropy" else \
        rng.uniform(0, 1, (7, sizes[-1]))
    C, cols = gradients(weights, X, Y, activation, out, cost)
    E, rows = gradients(transposed(weights), X, Y, activation, out, cost, layout="rows")
    assert E == pytest.approx(C, rel=1e-14)
    for (dW, db), (dWr, dBr) in zip(cols, rows):
        np.testing.assert_allclose(dWr, dW.T, rtol=1e-12, atol=1e-15)     # dE/dW0 = (dC/dW^[2])^T
        np.testing.assert_allclose(dBr, db, rtol=1e-12, atol=1e-15)
    fc, fr = forward(weights, X, activation, out), forward(transposed(weights), X, activation, out, layout="rows")
    for l in range(2, len(sizes) + 1):
        np.testing.assert_allclose(fr.z[l], fc.z[l], rtol=1e-14)
        np.testing.assert_allclose(fr.a[l], fc.a[l], rtol=1e-14)


def test_seed_004s_three_level_network_by_its_formulas():
    rng = np.random.default_rng(4)
    N0, N1, N2 = 3, 4, 2
    W0, B1, W1, B2 = (rng.standard_normal(s) for s in ((N0, N1), (N1,), (N1, N2), (N2,)))
    IN, Y = rng.standard_normal(N0), rng.uniform(0, 1, N2)
    sig = lambda s: 1 / (1 + np.exp(-s))                       # noqa: E731
    HS = IN @ W0 + B1                                          # HS = IN x W0 + B1
    HO = sig(HS)
    OS = HO @ W1 + B2
    OO = sig(OS)
    E = np.sum((OO - Y) ** 2) / N2                             # E = 1/N2 sum (OO_i - Y_i)^2
    dE_dOS = 2 / N2 * (OO - Y) * OO * (1 - OO)                 # dE/dOS = 2/N2 (OO - Y) o OO o (1 - OO)
    dE_dW1 = np.outer(HO, dE_dOS)                              # dE/dW1 = HO^T dE/dOS
    dE_dHO = dE_dOS @ W1.T                                     # dE/dHO = dE/dOS W1^T
    dE_dHS = dE_dHO * HO * (1 - HO)
    dE_dW0, dE_dIN = np.outer(IN, dE_dHS), dE_dHS @ W0.T
    fw = forward_rows([(W0, B1), (W1, B2)], IN)
    np.testing.assert_allclose(fw.z[2], HS, rtol=1e-15)
    np.testing.assert_allclose(fw.output, OO, rtol=1e-15)
    got, [(gW0, gB1), (gW1, gB2)], gIN = gradients_rows([(W0, B1), (W1, B2)], IN, Y, cost="mse", input_grad=True)
    assert got == pytest.approx(E, rel=1e-15)
    for a, b in ((gW1, dE_dW1), (gB2, dE_dOS), (gW0, dE_dW0), (gB1, dE_dHS), (gIN, dE_dIN)):
        np.testing.assert_allclose(a, b, rtol=1e-13)
    assert gW0.shape == (N0, N1) and gW1.shape == (N1, N2) and gIN.shape == (N0,)


def test_seed_004s_and_neuron_in_rows():
    E, [(dW0, dB1)] = gradients_rows([(np.zeros((2, 1)), np.zeros(1))], np.array([0.0, 1.0]), np.array([0.0]))
    assert E == 0.125 and dW0.tolist() == [[0.0], [0.125]] and dB1.tolist() == [0.125]


def central_input_grad(weights, X, Y, eps=1e-6, **kw):
    G = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        up, down = X.copy(), X.copy()
        up[idx] += eps
        down[idx] -= eps
        G[idx] = (total_cost(weights, up, Y, **kw) - total_cost(weights, down, Y, **kw)) / (2 * eps)
    return G


@pytest.mark.parametrize("sizes, activation, out, cost", CASES)
def test_input_grad_matches_central_differences_and_both_layouts(sizes, activation, out, cost):
    rng = np.random.default_rng(7)
    weights = random_weights(sizes, 1)
    X = rng.standard_normal((5, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 5)] if cost == "cross_entropy" else \
        rng.uniform(0, 1, (5, sizes[-1]))
    kw = dict(activation=activation, output_activation=out, cost=cost)
    C, grads, dX = gradients(weights, X, Y, **kw, input_grad=True)
    assert dX.shape == X.shape
    if activation != "relu":
        np.testing.assert_allclose(dX, central_input_grad(weights, X, Y, **kw), rtol=1e-6, atol=1e-8)
    _, _, dX_rows = gradients(transposed(weights), X, Y, **kw, layout="rows", input_grad=True)
    np.testing.assert_allclose(dX_rows, dX, rtol=1e-12, atol=1e-15)
    _, _, dx0 = gradients(weights, X[0], Y[0], **kw, input_grad=True)   # one sample as a vector: its own shape
    assert dx0.shape == (sizes[0],)


def test_input_grad_agrees_with_the_tensor_and_the_value_engine():
    sizes = [3, 4, 2]
    weights = random_weights(sizes, 2)
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((6, 3)), rng.uniform(0, 1, (6, 2))
    _, _, dX = gradients(weights, X, Y, input_grad=True)            # sigmoid, quadratic cost
    model = nn.MLP(sizes, activation="sigmoid").set_weights(weights)
    Xt = Tensor(X.copy(), requires_grad=True)
    losses.quadratic(model(Xt), Y).backward()
    np.testing.assert_allclose(Xt.grad, dX, rtol=1e-12, atol=1e-15)
    smodel = scalar_nn.MLP(3, [4, 2], activation="sigmoid", output_activation="sigmoid").set_weights(weights)
    xs = [[Value(float(v)) for v in row] for row in X]
    losses.quadratic([smodel(x) for x in xs], Y).backward()
    np.testing.assert_allclose(np.array([[v.grad for v in row] for row in xs]), dX, rtol=1e-12, atol=1e-15)


def test_unknown_layout_and_misshaped_row_weights_are_explained():
    w = random_weights([2, 3, 1], 0)
    with pytest.raises(ValueError, match="layout must be"):
        gradients(w, np.zeros((2, 2)), np.zeros((2, 1)), layout="cols")
    with pytest.raises(ValueError, match="W1 must have 3 rows"):
        gradients_rows([(np.zeros((2, 3)), np.zeros(3)), (np.zeros((2, 1)), np.zeros(1))], np.zeros(2), [0.0])
    with pytest.raises(ValueError, match=r"\(N0, N1\)"):
        forward_rows([(np.zeros((2, 3)), np.zeros(2))], np.zeros(2))
