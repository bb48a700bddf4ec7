"""Mutation testing, third round: RBFNetwork passes its widths to its layer, fit(compile=True) makes one-hot rows as
wide as the model's outputs even when the labels miss the last class, and train_test_split rounds the test part up."""

import numpy as np

from nn import MLP, SGD, RBFNetwork, fit, losses
from nn.data import spirals, train_test_split


def test_rbf_network_uses_the_widths_it_is_given():
    # phi_j(x) = exp(-(x - c_j)^2 / (2 s^2)) with s = 2: at x = 1, c = (0, 1) that is (exp(-1/8), 1)
    net = RBFNetwork(1, 2, centres=[[0.0], [1.0]], widths=2.0, seed=0)
    np.testing.assert_allclose(net.rbf(np.array([[1.0]])).data, [[np.exp(-1 / 8), 1.0]], rtol=1e-14)


def test_compiled_fit_on_labels_that_miss_the_last_class_takes_the_eager_steps():
    # labels 0 and 1 only, for 3 softmax outputs: the targets are one-hot rows of width 3, as eager cross_entropy
    # reads them; the compiled steps must end where the eager ones do
    X, y = spirals(60, classes=3, seed=0)
    keep = y < 2
    X, y = X[keep][:24], y[keep][:24]
    ends = []
    for compiled in (False, True):
        m = MLP([2, 4, 3], output_activation="softmax", seed=0)
        fit(m, X, y, losses.cross_entropy, SGD(m.parameters(), lr=0.1), epochs=2, batch_size=1, seed=0,
            compile=compiled, progress=False)
        ends.append(np.concatenate([np.ravel(w) for layer in m.get_weights() for w in layer]))
    np.testing.assert_allclose(ends[1], ends[0], rtol=0, atol=1e-12)


def test_train_test_split_takes_the_ceiling_of_the_fraction_times_n():
    # scikit-learn's rule, ceil(test_size * N): 0.31 * 10 = 3.1 gives 4 test rows and 6 train rows, shuffled or not
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    for shuffle in (True, False):
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.31, seed=0, shuffle=shuffle)
        assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (6, 4, 6, 4)
