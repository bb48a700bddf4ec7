"""The small modules of nn under a hostile or careless user (the smallnn audit): each test names what came back
wrong or cost too much before, and checks the answer against its definition."""

import math
import warnings

import numpy as np
import pytest
from hostile import idx, refused_cheaply

from autograd import Tensor
from nn import MLP, RBF, SGD, Dropout, Linear, RBFNetwork, activations, checks, data, fit, init, losses
from nn.files import MAX_BYTES

# --- moons and spirals: a noise so large that the points overflow ----------------------------------------------------


@pytest.mark.parametrize("make", [lambda: data.moons(1000, noise=1.7e308, seed=0),
                                  lambda: data.spirals(1000, classes=2, noise=1.7e308, seed=0)],
                         ids=["moons", "spirals"])
def test_a_noise_that_overflows_the_points_is_refused_not_returned_as_inf_or_nan(make):
    # noise * N(0, 1) passes float64's largest number 1.8e308 as soon as |N| > 1.06, which 1,000 draws all but
    # surely hold: moons came back with inf points, spirals (inf on the angle, cos(inf) = NaN) with NaN points
    with warnings.catch_warnings():
        warnings.simplefilter("error")                      # refused by name, not a RuntimeWarning and bad numbers
        with pytest.raises(ValueError, match=r"(moons|spirals): noise=1\.7e\+308 makes points of inf or NaN"):
            make()


@pytest.mark.parametrize("make", [data.moons, data.spirals])
def test_a_large_but_representable_noise_still_gives_its_points(make):
    # noise 1e300: noise * N stays finite for every draw below 1.7e8 in size, so the points are kept, finite
    X, _ = make(200, noise=1e300, seed=0)
    assert np.isfinite(X).all()


# --- RBF: the differences x - c_j of every row, unit and input --------------------------------------------------------


@pytest.mark.parametrize("make", [lambda: RBF(784, 100, seed=0), lambda: RBFNetwork(784, 100, 10, seed=0)],
                         ids=["RBF", "RBFNetwork"])
def test_an_rbf_forward_pass_too_big_for_memory_is_refused_cheaply_by_name(make):
    # MNIST's 60,000 rows through 100 units: 60,000 x 100 x 784 differences are 37.6 GB (4.7e9 float64), where numpy
    # failed with a bare MemoryError (or, for somewhat fewer rows, filled the machine's memory)
    layer = make()
    X = np.zeros((60_000, 784))
    needed = 60_000 * 100 * 784 * 8
    assert needed > MAX_BYTES
    refused_cheaply(layer, X, match=r"RBF 784 -> 100: 60000 rows x 100 units x 784 inputs would make arrays of "
                                    r"x - c_j of 35\.0 GiB each, over 2\.0 GiB; give fewer rows at a time",
                    seconds=5.0, peak=8 * 2**20)


def test_one_row_over_the_limit_is_refused_and_ordinary_rows_still_compute():
    # 2**28 + 1 rows x 1 unit x 1 input: 8 bytes over the 2 GiB (a broadcast view: no memory behind it)
    layer = RBF(1, 1, centres=[[0.0]])
    assert (2**28 + 1) * 8 == MAX_BYTES + 8
    X = np.broadcast_to(np.zeros((1, 1)), (2**28 + 1, 1))
    refused_cheaply(layer, X, match=r"RBF 1 -> 1: 268435457 rows x 1 units x 1 inputs would make arrays of x - c_j "
                                    r"of 2\.0 GiB each, over 2\.0 GiB", seconds=5.0)
    layer = RBF(1, 4, centres=[[0.0], [1.0], [2.0], [3.0]])
    X = np.array([[0.0], [1.0]])
    expected = np.exp(-0.5 * (X - np.array([0.0, 1.0, 2.0, 3.0])) ** 2)    # exp(-(x - c)^2 / (2 s^2)), s = 1
    for given in (X, Tensor(X), X.tolist()):
        np.testing.assert_allclose(layer(given).data, expected, rtol=1e-15)


def test_a_tensor_input_too_big_is_refused_too():
    # (2**14 + 1) rows x 2**14 units x 1 input x 8 bytes: just over 2**31
    layer = RBF(1, 2**14, seed=0)
    assert (2**14 + 1) * 2**14 * 8 > MAX_BYTES >= 2**14 * 2**14 * 8
    refused_cheaply(layer, Tensor(np.zeros((2**14 + 1, 1))), match=r"RBF 1 -> 16384: 16385 rows x 16384 units x 1 "
                                                                   r"inputs would make arrays")


# --- init: the largest layer, and the memory its draw takes ---------------------------------------------------------


def test_a_layer_over_2_gib_of_weights_is_refused_cheaply_and_one_of_2_gib_is_let_through():
    # 10**9 weights (8 GB) were let through: drawing, checking and storing them held two or three such arrays at
    # once (16 to 24 GB) and training as many more; 2**28 float64 weights are 2 GiB, nn.files.MAX_BYTES
    assert 2**28 * 8 == MAX_BYTES
    assert init.dims(2**14, 2**14, "Linear") == (2**14, 2**14)
    refused_cheaply(Linear, 2**14, 2**14 + 1, match=r"Linear: a layer of n_in=16384 inputs and n_out=16385 outputs "
                                                    r"would hold more than the 2\*\*28 = 268,435,456 weights one layer "
                                                    r"may have \(2 GiB in float64, 1 GiB in float32\)")
    refused_cheaply(MLP, [2, 2**15, 2**13 + 1], match=r"n_in=32768 inputs and n_out=8193 outputs")


# --- checks: integers too long for Python to print ------------------------------------------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: Linear(10**5000, 2), r"Linear: a layer of n_in=\(a huge number, about 10\^5000\) inputs and n_out=2"),
    (lambda: MLP([2, -10**5000]), r"sizes\[1\] must be >= 1, got -\(a huge number, about 10\^5000\); "
                                  r"sizes = \[2, -\(a huge number, about 10\^5000\)\]"),
    (lambda: Linear(2, 2, seed=-10**5000), r"seed must be None, a whole number >= 0 .*got -\(a huge number"),
    (lambda: Dropout(10**5000), r"Dropout: p must be a finite number in \[0, 1\], got \(a huge number, about "
                                r"10\^5000\)"),
    (lambda: checks.whole(-10**5000, "RBF", "n_in"), r"RBF: n_in must be >= 1, got -\(a huge number"),
    (lambda: data.one_hot([0], num_classes=-10**5000), r"one_hot: num_classes must be an int >= 1, got -\(a huge"),
    (lambda: data.one_hot([0], num_classes=10**5000), r"one_hot: num_classes=\(a huge number, about 10\^5000\) "
                                                       r"would make rows of about 10\^5001 bytes each"),
    (lambda: data.one_hot([-1], num_classes=10**5000), r"one_hot: labels must lie in 0..\(a huge number, about "
                                                        r"10\^5000\) for num_classes=\(a huge number"),
    (lambda: data.one_hot([2, 10**5000]), r"one_hot: labels must be whole numbers 0..K-1, got a ndarray holding "
                                          r"integers too long to print"),
])
def test_an_integer_past_4300_digits_gets_the_named_message_not_pythons_conversion_error(call, message):
    # the messages printed the integer, and Python refuses to print one of more than 4,300 digits: the error was
    # "Exceeds the limit (4300 digits) for integer string conversion", naming neither the function nor the argument
    with pytest.raises(ValueError, match=message):
        call()


# --- activations: tanh' at the largest floats --------------------------------------------------------------------


def test_tanh_prime_at_the_largest_floats_is_zero_without_an_overflow_warning():
    # 1 - tanh^2 z = 4 e^-2|z| / (1 + e^-2|z|)^2 is 0 in float64 from |z| = 373 on; computing -2 |z| overflowed for
    # |z| > 9e307 and numpy warned "overflow encountered in multiply" (the number was right)
    big = np.finfo(np.float64).max
    z = np.array([-big, -1e308, -9e307, 372.0, 373.0, 400.0, 401.0, 1e308, big, np.inf, np.nan])
    act = activations.get("tanh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = act.derivative(z)
    _, df = act.scalar_functions()
    want = [df(float(v)) for v in z]                                  # math.exp: the scalar form, no numpy
    np.testing.assert_array_equal(got, want)
    assert got[3] > 0.0 and np.all(got[[0, 1, 2, 4, 5, 6, 7, 8, 9]] == 0.0) and np.isnan(got[10])
    assert got[3] == 4.0 * math.exp(-744.0)                           # a subnormal number, by hand


# --- fit(compile=True): a loss that branches on the class -----------------------------------------------------------


def _sorted_classes():
    # 30 rows sorted by class, 10 of each of 3: the samples compile checked (0, 1, 15 and the batch 0..7) held no
    # sample of class 2
    X = np.random.default_rng(0).standard_normal((30, 2))
    labels = np.repeat([0, 1, 2], 10)
    return X, labels, np.eye(3)[labels]


def _rows_of(t):
    """The targets as lists of floats, from a numpy batch (eager) or lists of Values (the trace)."""
    return t.tolist() if isinstance(t, np.ndarray) else [[float(getattr(v, "data", v)) for v in r] for r in t]


def _heavier_class_2(out, t):                       # class 2 weighs 5 times: a Python branch on the target
    L = losses.quadratic(out, t)
    return L * 5.0 if any(r[2] == 1.0 for r in _rows_of(t)) else L


def _class_weights(out, t):                         # a weight per class, read from the target: a number from the data
    weight = [1.0, 1.0, 3.0][int(np.argmax(_rows_of(t)[0]))]
    return losses.quadratic(out, t) * weight


@pytest.mark.parametrize("loss", [_heavier_class_2, _class_weights])
def test_a_loss_that_branches_on_a_class_compile_did_not_check_is_refused(loss):
    # compile=True traced class 0's branch and trained every class with it: the loss differs from eager training's
    # at the first class-2 sample, silently (train_loss 0.38 against eager's 0.73 after one epoch, for the first)
    X, _, Y = _sorted_classes()
    weights = []                                    # classes 0 and 1 only: one branch, compiled as eager trains
    for compiled in (False, True):
        model = MLP([2, 4, 3], output_activation="sigmoid", seed=0)
        fit(model, X[:20], Y[:20], loss, SGD(model.parameters(), lr=0.1), epochs=1, batch_size=1, progress=False,
            seed=0, compile=compiled)
        weights.append(np.concatenate([p.data.ravel() for p in model.parameters()]))
    np.testing.assert_allclose(weights[1], weights[0], rtol=0, atol=1e-14)
    model = MLP([2, 4, 3], output_activation="sigmoid", seed=0)
    with pytest.raises(ValueError, match=r"fit\(compile=True\): the loss's graph depends on the target \(at sample "
                                         r"20, target \[0\.0, 0\.0, 1\.0\], against sample 0, target \[1\.0, 0\.0, "
                                         r"0\.0\]\).*use compile=False"):
        fit(model, X, Y, loss, SGD(model.parameters(), lr=0.1), epochs=1, batch_size=1, progress=False, seed=0,
            compile=True)


def test_a_loss_without_a_branch_still_compiles_on_sorted_classes_and_trains_as_eager():
    X, _, Y = _sorted_classes()
    weights = []
    for compiled in (False, True):
        model = MLP([2, 4, 3], output_activation="sigmoid", seed=0)
        fit(model, X, Y, losses.quadratic, SGD(model.parameters(), lr=0.1), epochs=2, batch_size=1, progress=False,
            seed=0, compile=compiled)
        weights.append(np.concatenate([p.data.ravel() for p in model.parameters()]))
    np.testing.assert_allclose(weights[1], weights[0], rtol=0, atol=1e-14)


# --- load_mnist: the pixels it returns, bounded as the files it reads -------------------------------------------------


def _mnist_files(folder, n):
    """The four MNIST files of n blank images (unsigned bytes) and n labels 0..9, written from the IDX format."""
    for part in ("train", "t10k"):
        (folder / f"{part}-images-idx3-ubyte").write_bytes(idx(0x08, (n, 28, 28), bytes(n * 784)))
        (folder / f"{part}-labels-idx1-ubyte").write_bytes(idx(0x08, (n,), bytes(k % 10 for k in range(n))))
    return folder


def test_load_mnist_refuses_pixels_that_take_more_than_max_bytes_in_the_dtype_asked(tmp_path):
    # each pixel byte becomes 4 (float32) or 8 (float64) bytes: a file under max_bytes gave X 4 or 8 times over it
    folder = _mnist_files(tmp_path, 100)
    header = 4 + 4 * 3
    raw, as32, as64 = header + 100 * 784, 100 * 784 * 4, 100 * 784 * 8      # 78,416 313,600 627,200 bytes
    X, y, X_test, y_test = data.load_mnist(folder, dtype=np.float32, max_bytes=as32)          # exactly at the limit
    assert X.shape == X_test.shape == (100, 784) and X.nbytes == as32 and not X.any()
    assert y.tolist() == [k % 10 for k in range(100)]
    assert raw < as32 < as64
    with pytest.raises(ValueError, match=r"load_mnist: .*train-images-idx3-ubyte' holds 100 images, whose pixels "
                                         r"as float64 take 612\.5 KiB, over max_bytes=306\.2 KiB; pass a larger "
                                         r"max_bytes"):
        data.load_mnist(folder, dtype=np.float64, max_bytes=as32)
    with pytest.raises(ValueError, match=r"whose pixels as float32 take 306\.2 KiB, over max_bytes=306\.2 KiB"):
        data.load_mnist(folder, dtype=np.float32, max_bytes=as32 - 1)
