"""train_test_split of fewer than two rows says so, whatever test_size is: with one row, an int test_size was
told to lie 'in [1, 0]', a range with nothing in it."""

from __future__ import annotations

import numpy as np
import pytest
from messages import raises

from nn.data import train_test_split


@pytest.mark.parametrize("test_size", [1, 0.5, 0.25])
def test_one_row_cannot_be_split_and_the_message_says_so(test_size: float) -> None:
    with raises(ValueError, "train_test_split", "1 row", "at least 2"):
        train_test_split(np.zeros((1, 2)), np.zeros(1), test_size=test_size, seed=0)
    with raises(ValueError, "train_test_split", "0 rows", "at least 2"):
        train_test_split(np.zeros((0, 2)), np.zeros(0), test_size=test_size, seed=0)


def test_two_rows_split_one_and_one_keeping_pairs() -> None:
    X, y = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=1, seed=0)
    assert len(X_train) == len(X_test) == 1
    assert X_train[0, 0] == y_train[0] and X_test[0, 0] == y_test[0]          # row i is [i, i] with label i
    assert {int(y_train[0]), int(y_test[0])} == {0, 1}
