"""nn.data's helpers given a Tensor that requires grad: numpy's refusal (it would drop the Tensor out of its graph)
was reported as 'not a ragged list'. They name the real cause and the fix; a plain Tensor's numbers are used."""

from __future__ import annotations

import numpy as np
from messages import raises

from autograd import Tensor
from nn.data import one_hot, train_test_split


def test_one_hot_of_a_tensor_that_requires_grad_names_the_graph_not_a_ragged_list() -> None:
    labels = Tensor(np.array([0.0, 2.0]), requires_grad=True)
    with raises(TypeError, "one_hot", "labels", "requires grad", "detach()"):
        one_hot(labels)
    expected = np.zeros((2, 3))
    expected[0, 0] = expected[1, 2] = 1.0                     # label k: a 1 in column k
    np.testing.assert_array_equal(one_hot(labels.detach()), expected)


def test_train_test_split_of_a_tensor_that_requires_grad_names_the_graph_not_a_ragged_list() -> None:
    X = Tensor(np.arange(8.0).reshape(4, 2), requires_grad=True)
    y = np.arange(4)
    with raises(TypeError, "train_test_split", "X", "requires grad", "detach()"):
        train_test_split(X, y, seed=0)
    with raises(TypeError, "train_test_split", "y", "requires grad", "detach()"):
        train_test_split(np.zeros((2, 2)), Tensor(np.zeros(2), requires_grad=True), seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X.detach(), y, seed=0)
    # the rows stay paired: row i of X is [2i, 2i + 1]
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)
    np.testing.assert_array_equal(X_test[:, 0], 2 * y_test)
