"""nn.data under hostile arguments: a split, labels or pixels that come back silently other than asked are the worst
bugs here, so each expected value comes from the definition (by construction, scikit-learn, the lecture)."""

import time
import tracemalloc
import warnings

import numpy as np
import pytest

from nn import data
from nn.files import MAX_BYTES

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


# --- moons, spirals: memory and time --------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda n: data.moons(n, 0.1, seed=0), lambda n: data.spirals(n, 3, 0.1, seed=0)],
                         ids=["moons", "spirals"])
def test_the_largest_moons_or_spirals_allowed_fit_in_the_memory_limit(make):
    # 10**8 points passed the check and took 6.3 GB at their peak (the limit elsewhere is 2 GiB)
    n = 100_000
    tracemalloc.start()
    try:
        make(n)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak / n * data.MAX_POINTS <= MAX_BYTES
    with pytest.raises(ValueError, match=f"must be at most {data.MAX_POINTS:,}"):
        make(data.MAX_POINTS + 1)


def test_spirals_of_many_classes_take_time_linear_in_n():
    # one Python loop step per class: spirals(10**8, classes=10**8) ran for over ten minutes
    start = time.perf_counter()
    X, y = data.spirals(2_000_000, classes=1_000_000, noise=0.1, seed=0)
    assert time.perf_counter() - start < 5.0
    assert X.shape == (2_000_000, 2) and np.bincount(y).tolist() == [2] * 1_000_000


@pytest.mark.parametrize("n, classes", [(2, 2), (3, 3), (7, 3), (301, 3), (50, 4)])
def test_spirals_follow_their_definition(n, classes):
    # arm k: m points, r = linspace(0, 1, m), angle 4 r + 2 pi k / K + noise * N(0, 1), drawn arm after arm
    X, y = data.spirals(n, classes, noise=0.2, seed=5)
    rng = np.random.default_rng(5)
    rows, labels = [], []
    for k in range(classes):
        m = n // classes + (1 if k < n % classes else 0)
        r = np.linspace(0.0, 1.0, m)
        t = 4.0 * r + 2.0 * np.pi * k / classes + 0.2 * rng.standard_normal(m)
        rows += list(zip(r * np.cos(t), r * np.sin(t), strict=True))
        labels += [k] * m
    np.testing.assert_allclose(X, np.array(rows), rtol=0, atol=1e-14)
    assert y.tolist() == labels and y.dtype.kind == "i"


# --- one_hot --------------------------------------------------------------------------------------------------------

def test_one_hot_refuses_timedeltas_as_labels():
    # numpy counts timedelta64 as an integer type: one day was class 1
    with pytest.raises(TypeError, match="one_hot: labels must be"):
        data.one_hot(np.array([1, 0], dtype="timedelta64[D]"))


def test_one_hot_of_float16_labels_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")                      # 'overflow encountered in cast' for any float16 label
        assert data.one_hot(np.array([0.0, 2.0], dtype=np.float16)).tolist() == [[1, 0, 0], [0, 0, 1]]


# --- checked and right: kept so --------------------------------------------------------------------------------------

def test_split_gives_copies_that_keep_rows_paired_and_leaves_the_inputs_alone():
    X, y = np.arange(30.0).reshape(15, 2), np.arange(15)
    X0, y0 = X.copy(), y.copy()
    for shuffle in (True, False):
        parts = data.train_test_split(X, y, test_size=0.2, seed=1, shuffle=shuffle)
        assert not any(np.shares_memory(p, X) or np.shares_memory(p, y) for p in parts)
        X_train, X_test, y_train, y_test = parts
        assert len(X_test) == 3                                              # ceil(0.2 * 15), as scikit-learn
        assert np.array_equal(X_train[:, 0] // 2, y_train) and np.array_equal(X_test[:, 0] // 2, y_test)
        assert sorted(y_train.tolist() + y_test.tolist()) == list(range(15))
    assert np.array_equal(X, X0) and np.array_equal(y, y0)


@pytest.mark.parametrize("n", [2, 3, 7, 101])
def test_noiseless_moons_are_scikit_learns_points(n):
    # make_moons: n // 2 points on the upper moon (label 0), the rest on the lower (label 1)
    datasets = pytest.importorskip("sklearn.datasets")
    X, y = data.moons(n, noise=0.0, seed=0)
    Xs, ys = datasets.make_moons(n, shuffle=False, noise=0.0)
    key = lambda X, y: sorted(zip(y.tolist(), np.round(X, 12).tolist(), strict=True))    # noqa: E731
    assert key(X, y) == key(Xs, ys.astype(float))


@pytest.mark.parametrize("make", [lambda s: data.moons(20, 0.1, seed=s), lambda s: data.spirals(20, 2, 0.1, seed=s)],
                         ids=["moons", "spirals"])
def test_seeds_repeat_generators_advance_and_none_is_fresh(make):
    assert np.array_equal(make(3)[0], make(3)[0])
    rng = np.random.default_rng(3)
    first, second = make(rng)[0], make(rng)[0]
    assert np.array_equal(first, make(3)[0]) and not np.array_equal(first, second)    # draws continue from rng
    assert not np.array_equal(make(None)[0], make(None)[0])


@pytest.mark.parametrize("name, table", [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("nand", [1, 1, 1, 0]),
                                         ("nor", [1, 0, 0, 0]), ("xor", [0, 1, 1, 0]), ("xnor", [1, 0, 0, 1])])
def test_every_boolean_gate_is_its_truth_table_in_any_case(name, table):
    for spelt in (name, name.upper(), name.capitalize()):
        X, y = data.boolean(spelt)
        assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == table
