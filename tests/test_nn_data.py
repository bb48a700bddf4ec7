"""nn.data: the lectures' data sets, IDX reading (on small files written here), one_hot and train_test_split."""

import gzip
import struct
import sys

import numpy as np
import pytest

from nn import data


def test_hh19_holds_the_ten_points_and_their_classes():
    X, Y = data.hh19()
    assert X[:, 0].tolist() == [0.1, 0.3, 0.1, 0.6, 0.4, 0.6, 0.5, 0.9, 0.4, 0.7]
    assert X[:, 1].tolist() == [0.1, 0.4, 0.5, 0.9, 0.2, 0.3, 0.6, 0.2, 0.4, 0.6]
    assert Y.tolist() == [[1.0, 0.0]] * 5 + [[0.0, 1.0]] * 5


@pytest.mark.parametrize("name, rule", [("and", lambda a, b: a and b), ("or", lambda a, b: a or b),
                                        ("nand", lambda a, b: not (a and b)), ("xor", lambda a, b: a != b)])
def test_boolean_tables_follow_their_rule(name, rule):
    X, y = data.boolean(name)
    assert y.tolist() == [float(rule(bool(a), bool(b))) for a, b in X]
    assert data.boolean(name.upper())[1].tolist() == y.tolist()


def test_unknown_boolean_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown function 'implies'; known: and, or, nand"):
        data.boolean("implies")


def test_noiseless_moons_lie_on_their_half_circles():
    X, y = data.moons(50, noise=0.0, seed=0)
    up, low = X[y == 0], X[y == 1]
    assert len(up) == 25 and len(low) == 25
    np.testing.assert_allclose(np.hypot(*up.T), 1.0)                          # |(cos t, sin t)| = 1
    np.testing.assert_allclose(np.hypot(low[:, 0] - 1.0, low[:, 1] - 0.5), 1.0)
    assert (up[:, 1] >= -1e-12).all() and (low[:, 1] <= 0.5 + 1e-12).all()


def test_moons_are_reproducible_from_a_seed_or_a_generator():
    a, b = data.moons(40, 0.2, seed=3), data.moons(40, 0.2, seed=np.random.default_rng(3))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], data.moons(40, 0.2, seed=4)[0])


def test_spirals_have_the_requested_classes():
    X, y = data.spirals(301, classes=3, noise=0.0, seed=0)
    assert X.shape == (301, 2) and np.bincount(y).tolist() == [101, 100, 100]
    assert np.abs(X).max() <= 1.0 + 1e-12                                    # radius runs from 0 to 1


def test_digits_are_scaled_into_the_unit_interval():
    X, y = data.digits()
    assert X.shape == (1797, 64) and X.min() == 0.0 and X.max() == 1.0
    assert sorted(set(y.tolist())) == list(range(10))


def test_digits_without_scikit_learn_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)                # makes the import fail
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        data.digits()


def _without_scikit_learn(monkeypatch):
    """Make every ``import sklearn...`` fail, as when scikit-learn is not installed (even if it was imported)."""
    import sklearn.datasets  # noqa: F401  (so that its submodules are in sys.modules, to be hidden too)

    for name in [n for n in sys.modules if n == "sklearn" or n.startswith("sklearn.")]:
        monkeypatch.setitem(sys.modules, name, None)


def test_digits_without_scikit_learn_gives_the_reason_and_the_fix(monkeypatch):
    _without_scikit_learn(monkeypatch)
    with pytest.raises(ImportError, match=r"needs scikit-learn.*\(import of sklearn.* halted.*\).*"
                                          r"pip install scikit-learn.*\[examples\]") as caught:
        data.digits()
    assert caught.value.__cause__ is None and caught.value.__suppress_context__    # one message, no traceback chain


# --- IDX files ------------------------------------------------------------------------------------------------------

def _idx(array, type_byte=0x08):
    header = bytes([0, 0, type_byte, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def _write_mnist(folder, n_train=3, n_test=2, gz=False):
    rng = np.random.default_rng(0)
    parts = {}
    for part, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        parts[part] = (images, labels)
        for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
            name = f"{part}-{kind}-ubyte" + (".gz" if gz else "")
            raw = _idx(arr)
            (folder / name).write_bytes(gzip.compress(raw) if gz else raw)
    return parts


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gzip"])
def test_load_mnist_reads_idx_files(tmp_path, gz):
    parts = _write_mnist(tmp_path, gz=gz)
    X_train, y_train, X_test, y_test = data.load_mnist(tmp_path)
    assert X_train.shape == (3, 784) and X_test.shape == (2, 784) and X_train.dtype == np.float32
    np.testing.assert_allclose(X_train, parts["train"][0].reshape(3, 784) / 255.0, rtol=1e-6)
    assert y_train.tolist() == parts["train"][1].tolist() and y_test.tolist() == parts["t10k"][1].tolist()


def test_read_idx_returns_the_array_with_its_shape(tmp_path):
    a = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "a.idx").write_bytes(_idx(a))
    assert np.array_equal(data.read_idx(tmp_path / "a.idx"), a)


def test_a_truncated_idx_file_is_named(tmp_path):
    raw = _idx(np.zeros((2, 28, 28), dtype=np.uint8))
    (tmp_path / "cut").write_bytes(raw[:-5])
    with pytest.raises(ValueError, match=r"'.*cut' is truncated: a 2x28x28 array of uint8 needs 1584 bytes"):
        data.read_idx(tmp_path / "cut")
    (tmp_path / "head").write_bytes(raw[:9])
    with pytest.raises(ValueError, match="truncated: its header needs 16 bytes"):
        data.read_idx(tmp_path / "head")
    (tmp_path / "long").write_bytes(raw + b"\0")
    with pytest.raises(ValueError, match="longer than its header says"):
        data.read_idx(tmp_path / "long")
    (tmp_path / "cut.gz").write_bytes(gzip.compress(raw)[:-10])
    with pytest.raises(ValueError, match="cannot read"):
        data.read_idx(tmp_path / "cut.gz")


def test_a_foreign_file_is_not_read_as_idx(tmp_path):
    (tmp_path / "notes.txt").write_text("hello, world")
    with pytest.raises(ValueError, match="is not an IDX file: its magic number is 68656c6c"):
        data.read_idx(tmp_path / "notes.txt")


def test_load_mnist_checks_magic_numbers_and_counts(tmp_path):
    _write_mnist(tmp_path)
    images = (tmp_path / "train-images-idx3-ubyte").read_bytes()
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(images)            # images where labels should be
    with pytest.raises(ValueError, match="magic number 0x00000803, expected 0x00000801"):
        data.load_mnist(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx(np.zeros(5, dtype=np.uint8)))
    with pytest.raises(ValueError, match="holds 3 images but .* 5 labels"):
        data.load_mnist(tmp_path)


def test_load_mnist_names_a_missing_file_or_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a folder"):
        data.load_mnist(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="no train-images-idx3-ubyte"):
        data.load_mnist(tmp_path)


# --- helpers ----------------------------------------------------------------------------------------------------------

def test_one_hot_puts_a_one_in_the_label_column():
    assert data.one_hot([2, 0], num_classes=4).tolist() == [[0, 0, 1, 0], [1, 0, 0, 0]]
    with pytest.raises(ValueError, match="labels must lie in 0..2"):
        data.one_hot([3], num_classes=3)
    with pytest.raises(ValueError, match="whole numbers"):
        data.one_hot([0.5])


def test_train_test_split_partitions_the_rows_reproducibly():
    X, y = np.arange(40).reshape(20, 2), np.arange(20)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0)
    assert len(X_test) == 5 and len(X_train) == 15
    assert sorted(y_train.tolist() + y_test.tolist()) == list(range(20))
    assert np.array_equal(X_test[:, 0] // 2, y_test)                        # rows stay paired with their labels
    again = data.train_test_split(X, y, test_size=0.25, seed=0)
    assert np.array_equal(again[1], X_test)
    with pytest.raises(ValueError, match="X has 20 rows but y has 3"):
        data.train_test_split(X, [1, 2, 3])
    with pytest.raises(ValueError, match="test_size"):
        data.train_test_split(X, y, test_size=1.5)


def test_one_hot_refuses_a_row_too_large_to_make_even_without_labels():
    with pytest.raises(ValueError, match=r"one_hot: num_classes=10{400}"):    # numpy: "Maximum allowed dimension"
        data.one_hot([], 10 ** 400)
    assert data.one_hot([], 3).shape == (0, 3)
