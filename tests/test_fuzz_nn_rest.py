"""Issue 10, the rest of nn: hostile arguments for nn.data, nn.compare.compare_gradients, Module.state_dict /
load_state_dict, nn.logic, nn.rbf, nn.dropout and nn.perceptrons. Each call either succeeds (and then something cheap
and independent is checked) or raises a TypeError / ValueError naming the function or argument (``outcome`` from
test_fuzz_nn). Inputs that currently leak a bare numpy/Python error are left out of the strategies below (each place
says which); they are the holes listed in the issue-10 report, not fixed here."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, Value
from nn import MLP, data, logic
from nn import perceptrons as P
from nn.compare import compare_gradients
from nn.dropout import Dropout
from nn.rbf import RBF, RBFNetwork
from tests.test_fuzz_nn import outcome

FEW = settings(max_examples=30, deadline=None)
NUMS = st.sampled_from([float("nan"), float("inf"), -float("inf"), 0, -1, 0.0, 1e300, -2.5])
INTS = st.integers(-5, 40)
# hostile values that every entry point with an up-front check refuses by name; strings, None, objects, ragged lists
# and 10**400 are added per entry point where they are handled (see the holes in the report)
ODD = st.one_of(st.none(), st.booleans(), st.text(max_size=2), NUMS, st.just(10**400), st.just(1j), st.just([]),
                st.just(()), st.just({}), st.just(object()), st.just(np.zeros((0, 2))), st.just(np.zeros((2, 3, 2))),
                st.just(np.array(1.5)), st.just(np.array(["a", "b"])), st.just(Value(0.5)), st.just(Tensor(np.ones(2))))
ARRAYS = st.tuples(st.integers(0, 4), st.integers(0, 3), st.integers(0, 10**6)).map(
    lambda t: np.random.default_rng(t[2]).normal(size=(t[0], t[1])))
# numbers-only hostile arrays: no strings/objects/ragged lists (bare numpy "could not convert" errors, see report)
NUMERIC = st.one_of(ARRAYS, st.just(np.zeros((2, 3, 2))), st.just(np.array(1.5)), st.just(np.array([np.nan, 1.0])),
                    st.just(np.array([True, False])), st.just([]), st.just(Tensor(np.ones(2))), NUMS, st.booleans())


# --- nn.data ----------------------------------------------------------------------------------------------------

def test_hh19_is_the_lecture_table():
    X, Y = data.hh19()
    assert X.shape == (10, 2) and Y.shape == (10, 2) and np.all(Y.sum(axis=1) == 1) and np.all((X > 0) & (X < 1))


@FEW
@given(name=st.one_of(ODD, st.sampled_from(["and", "OR", "Xor", "nand", "nor", "xnor", "xand"])))
def test_boolean(name):
    status, r = outcome(lambda: data.boolean(name), "boolean")
    if status == "ok":
        X, y = r
        assert X.shape == (4, 2) and y.shape == (4,) and set(y.tolist()) <= {0.0, 1.0}


# moons/spirals: n, classes and noise are checked up front (whole numbers in [1, 10**8], a finite noise >= 0)
@FEW
@given(n=st.one_of(INTS, ODD), noise=st.one_of(st.floats(0, 2), ODD),
       seed=st.one_of(st.integers(-3, 5), st.none(), st.booleans(), st.text(max_size=1)))
def test_moons(n, noise, seed):
    status, r = outcome(lambda: data.moons(n, noise, seed), "moons", "seed")
    if status == "ok":
        X, y = r
        assert X.shape == (n, 2) and y.shape == (n,) and sorted(set(y.tolist())) == [0.0, 1.0]
        assert int(y.sum()) == n - n // 2


@FEW
@given(n=st.one_of(INTS, ODD), classes=st.one_of(st.integers(-2, 6), ODD), noise=st.one_of(st.floats(0, 2), ODD),
       seed=st.one_of(st.integers(-3, 5), st.none()))
def test_spirals(n, classes, noise, seed):
    status, r = outcome(lambda: data.spirals(n, classes, noise, seed), "spirals", "seed")
    if status == "ok":
        X, y = r
        assert X.shape == (n, 2) and y.shape == (n,) and np.bincount(y, minlength=classes).max() - \
            np.bincount(y, minlength=classes).min() <= 1
        assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1 + 1e-12)


# train_test_split: X and y must be arrays of real numbers of one length, test_size a fraction or a row count
@FEW
@given(X=st.one_of(ARRAYS, st.just([[1, 2], [3, 4], [5, 6]]), ODD, st.just([[1.0, 2.0], [3.0]])),
       ylen=st.one_of(st.integers(0, 5), ODD, st.just([[1.0], [2.0, 3.0]])),
       test_size=st.one_of(NUMS, st.integers(-2, 6), st.booleans(), st.floats(0, 1), ODD, st.just([0.5]),
                           st.just(np.array([0.5]))), shuffle=st.booleans())
def test_train_test_split(X, ylen, test_size, shuffle):
    y = np.arange(ylen) if isinstance(ylen, int) and not isinstance(ylen, bool) and 0 <= ylen <= 5 else ylen
    status, r = outcome(lambda: data.train_test_split(X, y, test_size, seed=0, shuffle=shuffle), "train_test_split")
    if status == "ok":
        Xtr, Xte, ytr, yte = r
        n = len(np.asarray(X))
        assert len(Xtr) + len(Xte) == n == len(ytr) + len(yte) and len(Xte) > 0 and len(Xtr) > 0
        assert sorted(np.concatenate([ytr, yte]).tolist()) == list(range(n))       # a permutation of the rows


# one_hot: ragged lists included
@FEW
@given(labels=st.one_of(ODD, st.lists(st.integers(-2, 5), max_size=6), NUMERIC, st.just([[0, 1], [2]]),
                        st.just([0, [1, 2]])),
       k=st.one_of(st.none(), st.integers(-1, 7), ODD))
def test_one_hot(labels, k):
    status, r = outcome(lambda: data.one_hot(labels, k), "one_hot")
    if status == "ok":
        y = np.asarray(labels).astype(int)
        assert r.shape[0] == len(y) and np.all(r.sum(axis=1) == 1)
        assert len(y) == 0 or np.array_equal(r.argmax(axis=1), y)


# --- nn.compare.compare_gradients (small sizes) -----------------------------------------------------------------

W1 = [(np.ones((1, 2)), np.zeros(1))]


# X / Y / eps of 10**400 and activation / cost as numpy arrays included
@FEW
@given(X=st.one_of(ARRAYS, st.just(np.array([[np.nan, 1.0]])), st.none(), st.text(max_size=1), st.just(10**400),
                   st.just([[10**400, 1.0]])),
       cost=st.sampled_from(["quadratic", "cross_entropy", "nope", None, 3, np.ones(2)]),
       activation=st.sampled_from([None, "sigmoid", "tanh", "relu", "nope", 3, np.ones(2)]),
       eps=st.one_of(NUMS, st.floats(1e-8, 1e-3), st.booleans(), st.none(), st.just(10**400)),
       methods=st.sampled_from([("tensor",), ("numerical", "forward"), "tensor", ("x",), 3]))
def test_compare_gradients(X, cost, activation, eps, methods):
    Y = np.ones((len(X), 1)) * 0.5 if isinstance(X, np.ndarray) and X.ndim == 2 else np.ones((1, 1))
    status, r = outcome(lambda: compare_gradients(W1, X, Y, activation, cost=cost, eps=eps, methods=methods),
                        "compare_gradients", "backprop")
    if status == "ok":
        assert r.rows and all(np.isfinite(row.max_abs) for row in r.rows) if hasattr(r.rows[0], "max_abs") else True
        assert set(r.costs) >= {"manual"}


# --- Module.state_dict / load_state_dict ------------------------------------------------------------------------

# hostile keys and values, ragged lists among the values; non-mapping states in test_load_state_dict_not_a_mapping
@FEW
@given(w=st.one_of(ODD.filter(lambda v: not (isinstance(v, int) and abs(v) > 10**300)), NUMERIC,
                   st.just(np.ones((3, 2))), st.just(np.ones((3, 2), dtype=complex)),
                   st.just(np.full((3, 2), np.nan)), st.just([[1.0, 2.0], [3.0]])),
       extra=st.sampled_from([{}, {"layers.0.bias": np.zeros(3)}, {"nope": 1.0}, {3: 1.0}]))
def test_load_state_dict_hostile(w, extra):
    model = MLP([2, 3], seed=0)
    before = model.state_dict()
    state = {"layers.0.weight": w, **extra}
    status, _ = outcome(lambda: model.load_state_dict(state), "load")
    after = model.state_dict()
    if status == "ok":
        assert np.array_equal(after["layers.0.weight"], np.asarray(w, dtype=float), equal_nan=True)
    else:    # nothing changed on a refusal
        assert all(np.array_equal(before[k], after[k]) for k in before)


@FEW
@given(state=st.one_of(ODD.filter(lambda v: not isinstance(v, dict)), NUMERIC, st.just([("layers.0.weight", 1)])))
def test_load_state_dict_not_a_mapping(state):
    model = MLP([2, 3], seed=0)
    before = model.state_dict()
    status, e = outcome(lambda: model.load_state_dict(state), "load_state_dict")
    assert status == "refused" and isinstance(e, TypeError)
    assert all(np.array_equal(before[k], model.state_dict()[k]) for k in before)


# --- the holes of issue 10, one plain test each -----------------------------------------------------------------

def _refused(call, kind, *names):
    status, e = outcome(call, *names)
    assert status == "refused" and isinstance(e, kind), (status, e)
    return str(e)


def test_moons_and_spirals_refuse_odd_sizes_and_noise():
    assert "moons" in _refused(lambda: data.moons(10**400), ValueError, "moons")
    for n in (None, 2.0, "10", True, np.array([10])):
        assert "n" in _refused(lambda n=n: data.moons(n), TypeError, "moons")
        assert "n" in _refused(lambda n=n: data.spirals(n), TypeError, "spirals")
    assert "classes" in _refused(lambda: data.spirals(30, 2.5), TypeError, "spirals")
    assert "spirals" in _refused(lambda: data.spirals(30, 10**400), ValueError, "spirals")
    for noise in (float("nan"), float("inf"), -0.1):
        assert "noise" in _refused(lambda noise=noise: data.moons(10, noise), ValueError, "moons")
        assert "noise" in _refused(lambda noise=noise: data.spirals(30, 3, noise), ValueError, "spirals")
    assert "noise" in _refused(lambda: data.moons(10, "0.1"), TypeError, "moons")


def test_train_test_split_refuses_odd_arrays_and_sizes():
    X, y = np.ones((4, 2)), np.arange(4)
    for bad in (None, "abc", 3):
        assert "X" in _refused(lambda bad=bad: data.train_test_split(bad, y), TypeError, "train_test_split")
        assert "y" in _refused(lambda bad=bad: data.train_test_split(X, bad), TypeError, "train_test_split")
    assert "X" in _refused(lambda: data.train_test_split([[1.0, 2.0], [3.0]], [0, 1]), ValueError, "train_test_split")
    assert "X" in _refused(lambda: data.train_test_split(np.array([1j, 2, 3]), [0, 1, 2]), TypeError,
                           "train_test_split")
    for bad in (None, "0.5", 0.5j, [0.5], np.array([0.5]), Value(0.5)):
        assert "test_size" in _refused(lambda bad=bad: data.train_test_split(X, y, bad), TypeError, "train_test_split")
    for bad in (0, 4, 10**400, 0.0, 1.0, float("nan")):
        assert "train_test_split" in _refused(lambda bad=bad: data.train_test_split(X, y, bad), ValueError,
                                              "train_test_split")
    assert data.train_test_split(X, y, 3, seed=0)[1].shape == (3, 2)


def test_one_hot_refuses_a_ragged_list():
    _refused(lambda: data.one_hot([[0, 1], [2]]), ValueError, "one_hot")


def test_load_state_dict_refuses_a_non_mapping_and_a_ragged_value():
    model = MLP([2, 3], seed=0)
    for state in (None, np.ones(3), [1, 2]):
        _refused(lambda state=state: model.load_state_dict(state), TypeError, "load_state_dict")
    state = {**model.state_dict(), "layers.0.weight": [[1.0, 2.0], [3.0]]}
    assert "layers.0.weight" in _refused(lambda: model.load_state_dict(state), ValueError, "load_state_dict")


def test_compare_gradients_refuses_huge_numbers_and_arrays_as_names():
    X, Y = np.ones((1, 2)), np.ones((1, 1))
    assert "X" in _refused(lambda: compare_gradients(W1, 10**400, Y), ValueError, "compare_gradients")
    assert "Y" in _refused(lambda: compare_gradients(W1, X, [[10**400]]), ValueError, "compare_gradients")
    assert "eps" in _refused(lambda: compare_gradients(W1, X, Y, eps=10**400), ValueError, "compare_gradients")
    msg = _refused(lambda: compare_gradients(W1, X, Y, activation=np.ones(2)), TypeError, "compare_gradients")
    assert "activation" in msg and "sigmoid" in msg
    msg = _refused(lambda: compare_gradients(W1, X, Y, cost=np.ones(2)), TypeError, "compare_gradients")
    assert "cost" in msg and "quadratic" in msg


# --- nn.logic ---------------------------------------------------------------------------------------------------

# all_inputs(n) for n >= 30 runs out of memory (MemoryError) and 10**400 hangs: only small n are drawn
@FEW
@given(n=st.one_of(st.integers(-3, 8), ODD.filter(lambda v: not isinstance(v, int) or isinstance(v, bool))))
def test_all_inputs(n):
    status, r = outcome(lambda: logic.all_inputs(n), "all_inputs")
    if status == "ok":
        assert r.shape == (2 ** n, n) and len({tuple(row) for row in r.tolist()}) == 2 ** n


@FEW
@given(name=st.one_of(ODD, st.sampled_from(["and", "or", "nand", "nor", "not", "xor", "XNOR"])),
       X=st.one_of(ODD, NUMERIC))
def test_gate_and_its_call(name, X):
    status, g = outcome(lambda: logic.gate(name), "gate")
    if status == "ok":
        status, y = outcome(lambda: g(X), "ThresholdUnit", "ThresholdNetwork")
        if status == "ok":
            assert set(np.ravel(y).tolist()) <= {0, 1}


# ThresholdUnit's weights/threshold/inhibitory are converted with float()/int() unchecked (str, None, dict, Value,
# 10**400 leak); drawn: real arrays and finite/inf/nan numbers
@FEW
@given(w=st.one_of(NUMERIC.filter(lambda v: not isinstance(v, Tensor)), st.lists(st.floats(-3, 3), max_size=3)),
       T=st.one_of(NUMS, st.floats(-3, 3)), X=st.one_of(NUMERIC, ODD))
def test_threshold_unit(w, T, X):
    status, unit = outcome(lambda: logic.ThresholdUnit(w, T), "ThresholdUnit")
    if status == "ok":
        status, y = outcome(lambda: unit(X), "ThresholdUnit")
        if status == "ok":
            A = np.asarray(X, dtype=float)
            assert np.array_equal(y, (A @ unit.weights - unit.threshold > 0).astype(int))


# dnf_network: ragged lists leak numpy's error; everything else in ODD/NUMERIC is refused by name
@FEW
@given(table=st.one_of(ODD, NUMERIC, st.lists(st.integers(0, 1), min_size=1, max_size=9)))
def test_dnf_network(table):
    status, net = outcome(lambda: logic.dnf_network(table), "dnf_network")
    if status == "ok":
        t = np.asarray(table).astype(int)
        n = t.size.bit_length() - 1
        assert np.array_equal(logic.truth_table(net, n), t)


# polygon_units/polygon_network: k = 10**400 leaks OverflowError; radius/centre/angle are unchecked (left at defaults)
@FEW
@given(k=st.one_of(st.integers(-2, 12), ODD.filter(lambda v: not isinstance(v, int) or isinstance(v, bool))))
def test_polygon_network(k):
    status, net = outcome(lambda: logic.polygon_network(k), "polygon")
    if status == "ok":
        assert net.sizes == [2, k, 1]
        assert net([[0.0, 0.0]]).tolist() == [1] and net([[2.0, 0.0]]).tolist() == [0]


# square_pulse: non-numbers leak bare comparison errors; pulse_sum: f uncallable and a/b non-numbers leak,
# k = 10**400 leaks numpy's "Maximum allowed size exceeded"; drawn: real numbers and small k
@FEW
@given(t1=st.floats(-3, 3), t2=st.floats(-3, 3), k=st.one_of(st.integers(-2, 20), st.booleans(), NUMS),
       x=st.floats(-4, 4))
def test_square_pulse_and_pulse_sum(t1, t2, k, x):
    status, p = outcome(lambda: logic.square_pulse(t1, t2), "square_pulse")
    if status == "ok":
        assert p([x]).tolist() == [1.0 if t1 < x <= t2 else 0.0]
    status, f = outcome(lambda: logic.pulse_sum(np.sin, -1.0, 1.0, k), "pulse_sum")
    if status == "ok" and -1 < x <= 1:
        assert abs(f([x])[0] - np.sin(x)) <= 2.0 / k + 1e-12        # width times the largest slope


def test_union_network_refuses_an_empty_list():
    status, _ = outcome(lambda: logic.union_network([]), "union_network")
    assert status == "refused"


# --- nn.rbf -----------------------------------------------------------------------------------------------------

# RBF n_in/n_units = 10**400 leak numpy's "Maximum allowed dimension exceeded"; centres/widths of strings, None-
# containing, dicts, Values, 10**400 leak float() errors; calls on a ragged list or (2, 3, 2) array leak; left out
@FEW
@given(n_in=st.one_of(st.integers(-1, 3), ODD.filter(lambda v: not isinstance(v, int) or isinstance(v, bool))),
       widths=st.one_of(NUMS, st.floats(-2, 2), st.just([1.0, 2.0]), st.just([0.0, 1.0]), st.just([[1.0]])),
       X=st.one_of(ARRAYS, st.just(np.array([np.nan, 1.0])), st.none(), st.text(max_size=1), st.just(Value(1.0))))
def test_rbf(n_in, widths, X):
    status, layer = outcome(lambda: RBF(n_in, 2, widths=widths, seed=0), "RBF")
    if status == "ok":
        status, phi = outcome(lambda: layer(X), "RBF")
        if status == "ok":
            A = np.asarray(X, dtype=float).reshape(-1, n_in)
            C, s = layer.centres.data, layer.widths.data
            z = ((A[:, None, :] - C[None]) ** 2).sum(axis=2)
            assert np.allclose(phi.data.reshape(-1, 2), np.exp(-z / (2 * s ** 2)), equal_nan=True)


@FEW
@given(n_out=st.one_of(st.integers(-1, 3), st.booleans(), st.none(), NUMS.filter(lambda v: isinstance(v, float))),
       X=ARRAYS)
def test_rbf_network(n_out, X):
    status, net = outcome(lambda: RBFNetwork(2, 3, n_out, seed=0), "RBF", "Linear", "n_out")
    if status == "ok":
        status, y = outcome(lambda: net(X), "RBF", "Linear")
        if status == "ok":
            assert y.shape == (len(X), n_out)


# --- nn.dropout -------------------------------------------------------------------------------------------------

# Dropout(10**400) leaks OverflowError; calling it on strings/None/dicts/Values/ragged lists leaks float() errors
@FEW
@given(p=st.one_of(ODD.filter(lambda v: not (isinstance(v, int) and abs(v) > 10**300)), st.floats(-1, 1.5)),
       X=st.one_of(ARRAYS, st.just(np.array([np.inf, 1.0]))), training=st.booleans())
def test_dropout(p, X, training):
    status, drop = outcome(lambda: Dropout(p, seed=0), "Dropout")
    if status == "ok":
        drop.train(training)
        y = drop(X).data
        if training and drop.p > 0:
            kept = drop.mask
            assert np.array_equal(y[kept], X[kept] / (1 - drop.p)) and np.all(y[~kept] == 0)
        else:
            assert np.array_equal(y, X)


# --- nn.perceptrons ---------------------------------------------------------------------------------------------

X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
T_OR = np.array([-1.0, 1.0, 1.0, 1.0])


# X/t of strings, None-free objects, dicts, Values, 10**400 leak float() conversion errors; epochs/steps are given to
# int() unchecked (None, str, nan, inf leak); W0/theta0/eta/alpha/seed of the wrong shape or type leak numpy errors.
# Drawn: numeric X and t, sane counts.
@FEW
@given(X=st.one_of(NUMERIC, st.just(X4)), t=st.one_of(NUMERIC, st.just(T_OR), st.just([1, 0, 1, 1])),
       rule=st.sampled_from(["sign_perceptron", "batch_perceptron", "madaline"]))
def test_perceptron_rules(X, t, rule):
    call = {"sign_perceptron": lambda: P.sign_perceptron(X, t, 20),
            "batch_perceptron": lambda: P.batch_perceptron(X, t, 1.0, 50),
            "madaline": lambda: P.madaline(X, t, 2, 0.5, 20)}[rule]
    status, r = outcome(call, rule, "perceptrons")
    if status == "ok":
        A = np.asarray(X, dtype=float)
        if r.converged:
            if rule == "madaline":
                assert np.array_equal(r(A), np.asarray(t))
            else:
                assert np.all(np.asarray(t) * (P.with_one(A) @ r.W) > 0)


@FEW
@given(X=st.one_of(NUMERIC, st.just(X4)))
def test_with_one_and_sign_output(X):
    status, r = outcome(lambda: P.with_one(X), "perceptrons")
    if status == "ok":
        A = np.asarray(X, dtype=float)
        assert r.shape == (A.shape[0], A.shape[1] + 1) and np.all(r[:, -1] == 1)
        assert np.array_equal(P.sign_output(np.ones(A.shape[1] + 1), X), np.sign(A.sum(axis=1) + 1))
