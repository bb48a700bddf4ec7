"""nn.data under hostile arguments: a split, labels or pixels that come back silently other than asked are the worst
bugs here, so each expected value comes from the definition (by construction, scikit-learn, the lecture)."""

import numpy as np
import pytest

from nn import data

# --- train_test_split -----------------------------------------------------------------------------------------------


def test_split_without_shuffle_tests_on_the_last_rows_as_scikit_learn():
    # scikit-learn's shuffle=False: train = rows 0..n_train-1, test = the rows after them (the "future" of a series)
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=3, shuffle=False)
    assert y_train.tolist() == [0, 1, 2, 3, 4, 5, 6] and y_test.tolist() == [7, 8, 9]
    assert np.array_equal(X_train[:, 0] // 2, y_train) and np.array_equal(X_test[:, 0] // 2, y_test)
    sklearn = pytest.importorskip("sklearn.model_selection")
    for size in (1, 3, 0.25, 0.5):
        ours = data.train_test_split(X, y, test_size=size, shuffle=False)
        theirs = sklearn.train_test_split(X, y, test_size=size, shuffle=False)
        assert all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))


@pytest.mark.parametrize("switch", ["False", "no", None, 2, [False]])
def test_split_refuses_a_shuffle_that_is_not_true_or_false(switch):
    # "False" is a true string: it shuffled
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    with pytest.raises(TypeError, match=r"train_test_split: shuffle must be True or False, got"):
        data.train_test_split(X, y, shuffle=switch)


def test_split_checks_the_seed_even_without_shuffling():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    with pytest.raises(ValueError, match="train_test_split: seed must be"):
        data.train_test_split(X, y, shuffle=False, seed=-1)
    with pytest.raises(TypeError, match="train_test_split: seed must be"):
        data.train_test_split(X, y, shuffle=False, seed="0")


# --- digits, mnist_sample ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("scale", ["False", "no", None, 2])
def test_digits_refuses_a_scale_that_is_not_true_or_false(scale):
    with pytest.raises(TypeError, match=r"digits: scale must be True or False, got"):
        data.digits(scale=scale)


@pytest.mark.parametrize("dtype", [np.uint8, int, np.int64, bool, complex, object, "U3"])
def test_mnist_sample_refuses_a_dtype_that_cannot_hold_pixels_in_the_unit_interval(dtype):
    # np.uint8 and int came back float64 (the division's), complex as complex numbers; load_mnist refuses them
    with pytest.raises(TypeError, match=r"mnist_sample: dtype must be a floating-point type"):
        data.mnist_sample(dtype)
