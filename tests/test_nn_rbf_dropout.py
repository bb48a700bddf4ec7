"""nn.RBF and nn.RBFNetwork (seed 001), nn.Dropout with train/eval modes, losses.l1 (seed 003's ERM)."""

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, gradcheck
from nn import RBF, SGD, Dropout, RBFNetwork, losses


def test_rbf_unit_is_the_gaussian_of_the_distance_to_its_centre():
    rng = np.random.default_rng(0)
    C, s = rng.standard_normal((4, 3)), rng.uniform(0.5, 2.0, 4)
    X = rng.standard_normal((7, 3))
    layer = RBF(3, 4, centres=C, widths=s)
    expected = np.exp(-((X[:, None, :] - C[None]) ** 2).sum(axis=2) / (2 * s ** 2))   # phi_j(x), by hand
    np.testing.assert_allclose(layer(X).data, expected, rtol=1e-15)
    np.testing.assert_allclose(layer(X[0]).data, expected[0], rtol=1e-15)             # one sample (n_in,)


def test_rbf_gradients_towards_centres_widths_and_inputs_pass_gradcheck():
    rng = np.random.default_rng(1)
    layer = RBF(2, 3, centres=rng.standard_normal((3, 2)), widths=rng.uniform(0.6, 1.5, 3))
    X = Tensor(rng.standard_normal((5, 2)), requires_grad=True)

    def f(x, c, s):
        layer.centres, layer.widths = c, s
        return layer(x)

    assert gradcheck(f, [X, layer.centres, layer.widths])


def test_rbf_gradients_match_the_closed_forms():
    c, s, x = np.array([[0.3, -0.2]]), np.array([0.8]), np.array([[1.0, 0.5]])
    layer = RBF(2, 1, centres=c, widths=s)
    phi = layer(x)
    phi.sum().backward()
    p = float(phi.data[0, 0])
    d2 = float(np.sum((x - c) ** 2))
    np.testing.assert_allclose(layer.centres.grad, p * (x - c) / s ** 2, rtol=1e-13)   # phi (x - c) / s^2
    np.testing.assert_allclose(layer.widths.grad, [p * d2 / s[0] ** 3], rtol=1e-13)    # phi ||x - c||^2 / s^3


def test_rbf_network_is_an_rbf_layer_then_a_linear_output_and_learns_xor():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    net = RBFNetwork(2, 2, 1, centres=[[0.2, 0.1], [0.9, 0.8]], widths=0.7, seed=0)
    out = net(X).data
    W, b = net.output.weight.data, net.output.bias.data
    np.testing.assert_allclose(out, net.rbf(X).data @ W.T + b, rtol=1e-15)
    assert [n for n, _ in net.named_parameters()] == ["rbf.centres", "rbf.widths", "output.weight", "output.bias"]
    history = nn.fit(net, X, y, losses.quadratic, nn.Adam(net.parameters(), lr=0.05), epochs=1500, progress=False)
    assert history.loss[-1] < 1e-3
    assert np.array_equal(net(X).data > 0.5, y > 0.5)


def test_rbf_refuses_centres_and_widths_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"\(3, 2\)"):
        RBF(2, 3, centres=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="widths"):
        RBF(2, 3, widths=[1.0, 0.0, 1.0])


def test_dropout_keeps_entries_with_probability_one_minus_p_scaled_and_is_the_identity_in_eval():
    drop = Dropout(0.25, seed=0)
    x = Tensor(np.ones((200, 100)), requires_grad=True)
    y = drop(x)
    kept = y.data != 0
    assert np.all(y.data[kept] == 1 / 0.75)                  # scaled by 1 / (1 - p)
    assert kept.mean() == pytest.approx(0.75, abs=0.01)
    assert np.array_equal(kept, drop.mask)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, drop.mask / 0.75)  # the gradient flows through the kept entries only
    drop.eval()
    assert not drop.training and drop(x) is x and drop.mask is None
    drop.train()
    assert drop.training and not np.array_equal(drop(x).data, y.data)   # a new mask each call


def test_train_and_eval_reach_every_sub_module():
    class Net(nn.Module):
        def __init__(self):
            self.layers = [nn.Linear(3, 4, seed=0), Dropout(0.5, seed=1), nn.Linear(4, 1, seed=2)]

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    net = Net()
    X = np.ones((5, 3))
    assert net.training and all(m.training for _, m in net.named_modules())
    assert net.eval() is net and not any(m.training for _, m in net.named_modules())
    np.testing.assert_array_equal(net(X).data, net(X).data)  # eval: deterministic
    net.train()
    assert net.layers[1].training
    with pytest.raises(TypeError):
        net.train("yes")
    with pytest.raises(ValueError):
        Dropout(1.5)


def test_l1_is_lam_times_the_sum_of_absolute_values_with_gradient_lam_sign():
    w = Tensor(np.array([[1.5, -2.0], [0.0, 0.25]]), requires_grad=True)
    b = Tensor(np.array([-0.5]), requires_grad=True)
    penalty = losses.l1([w, b], 0.1)
    assert penalty.data == pytest.approx(0.1 * (1.5 + 2.0 + 0.0 + 0.25 + 0.5), rel=1e-15)
    penalty.backward()
    np.testing.assert_array_equal(w.grad, 0.1 * np.sign(w.data))
    np.testing.assert_array_equal(b.grad, [-0.1])
    v = [Value(3.0), Value(-4.0)]
    assert losses.l1(v, 0.5).data == 3.5
    model = nn.MLP([2, 3, 1], seed=0)
    expected = sum(np.abs(p.data).sum() for p in model.parameters())
    assert losses.l1(model, 1.0).data == pytest.approx(expected, rel=1e-14)
    with pytest.raises(ValueError):
        losses.l1([w, w])
    with pytest.raises(ValueError):
        losses.l1([w], -1.0)


def test_l1_pulls_useless_weights_to_zero_with_a_constant_force():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 5))
    y = X[:, :1] * 2.0                                        # only the first input matters
    found = {}
    for name, penalty in (("l1", losses.l1), ("l2", losses.l2)):
        layer = nn.Linear(5, 1, seed=0)
        opt = SGD(layer.parameters(), lr=0.01)
        for _ in range(3000):
            cost = losses.quadratic(layer(X), y) + penalty([layer.weight], 0.05)
            opt.zero_grad()
            cost.backward()
            opt.step()
        found[name] = layer.weight.data[0]
    assert np.all(np.abs(found["l1"][1:]) < 0.01)            # L1: within lr * lam of zero
    assert np.max(np.abs(found["l2"][1:])) < 0.05
    assert abs(found["l1"][0] - 2.0) < 0.1
