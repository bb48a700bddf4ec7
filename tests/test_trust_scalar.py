"""Hostile inputs for the scalar MLP (nn.scalar) and its compiled step: an output, a gradient or a weight update that
is silently wrong is the worst bug here. Expected numbers come from the eager engine, micrograd or formulas by hand,
never from the code under test."""

from __future__ import annotations

import random

import numpy as np
import pytest

from autograd import GraphChanged, Value
from nn import SGD, fit, losses, scalar


def _weights(model):
    return [p.data for p in model.parameters()]


def eager_step(model, loss, penalty, X, Y, lr):
    """The step compiled_step's docstring promises to be: mean sample loss + penalty, backward, p -= lr * grad."""
    params = model.parameters()
    total = sum(loss(model(x), y) for x, y in zip(X, Y)) * (1.0 / len(X))
    if penalty is not None:
        total = total + penalty(params)
    model.zero_grad()
    total.backward()
    for p in params:
        p.data -= lr * p.grad
    return total.data


# --- one sample in: what the model reads -------------------------------------------------------------------------

@pytest.mark.parametrize("sample", [{0: 0.5, 1: -1.0}, {0.5, -1.0}], ids=["dict", "set"])
def test_a_sample_given_as_a_dict_or_a_set_is_refused_not_read_by_its_keys(sample):
    # model({0: 0.5, 1: -1.0}) computed with the keys 0 and 1 as the inputs (and a set in its own order): a
    # wrong output, silently
    model = scalar.MLP(2, [3, 1], activation="tanh", seed=0)
    for call in (model, model.layers[0], model.layers[0].neurons[0]):
        with pytest.raises(TypeError, match="a list"):
            call(sample)


def test_the_scalar_mlp_agrees_with_micrograd_on_outputs_and_gradients():
    mg = pytest.importorskip("micrograd.nn")
    random.seed(0)
    theirs = mg.MLP(3, [4, 4, 2])
    for p in theirs.parameters():                          # micrograd starts its biases at 0: give them numbers
        p.data = random.uniform(-1, 1)
    ours = scalar.MLP(3, [4, 4, 2], seed=0)                 # micrograd's defaults: relu hidden, linear out
    for p, q in zip(ours.parameters(), theirs.parameters()):   # the same order: neuron by neuron, w then b
        p.data = q.data
    for x in ([0.3, -1.2, 0.7], [-0.5, 0.1, 2.0], [0.0, 0.0, 0.0]):
        a, b = ours(x), theirs(x)
        assert [v.data for v in a] == [v.data for v in b]
        ours.zero_grad()
        theirs.zero_grad()
        (a[0] * a[0] + a[1] * 3.0).backward()
        (b[0] * b[0] + b[1] * 3.0).backward()
        np.testing.assert_allclose([p.grad for p in ours.parameters()], [q.grad for q in theirs.parameters()],
                                   rtol=1e-15, atol=1e-15)
    for n in (*ours.layers[0].neurons, *theirs.layers[0].neurons):      # z = 0 exactly: relu's kink, slope 0
        n.b.data = 0.0
    a, b = ours([0.0, 0.0, 0.0]), theirs([0.0, 0.0, 0.0])
    ours.zero_grad()
    theirs.zero_grad()
    a[0].backward()
    b[0].backward()
    assert [p.grad for p in ours.parameters()] == [q.grad for q in theirs.parameters()]


# --- weights in ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [np.full((3, 2), 1 + 2j), np.full((3, 2), "1.5")], ids=["complex", "strings"])
def test_set_weights_refuses_complex_numbers_and_strings_and_changes_nothing(bad):
    # complex W lost its imaginary part with only numpy's ComplexWarning; "1.5" strings were parsed
    model = scalar.MLP(2, [3, 1], seed=0)
    before = _weights(model)
    W1, b1 = model.get_weights()[1]
    with pytest.raises(TypeError, match="W of layer 0"):
        model.set_weights([(bad, np.zeros(3)), (W1, b1)])
    assert _weights(model) == before


def test_a_float_n_in_is_named_not_the_sizes():
    # scalar.MLP(2.0, [1]) said "sizes must be a list of layer sizes, got [1]": sizes was right, n_in was not
    with pytest.raises(TypeError, match=r"n_in must be a whole number \(an int\), got 2.0"):
        scalar.MLP(2.0, [1])


# --- the compiled step --------------------------------------------------------------------------------------------

HINGE = lambda s, y: (1 + -y * s).relu()                     # noqa: E731  micrograd's max-margin loss


def test_compiled_step_refuses_a_complex_or_bool_array_and_keeps_the_weights_real():
    # after a first call, a complex X went to the generated code as Python complex numbers: every weight became
    # complex, silently
    model = scalar.MLP(2, [1], output_activation="identity", seed=0)
    step = model.compiled_step(lambda s, y: (s - y) * (s - y))
    step([[1.0, 2.0]], [0.5], lr=0.1)
    before = _weights(model)
    with pytest.raises(TypeError, match="compiled_step: row 0 of X, entry 0 must be a real number.*complex"):
        step(np.array([[1j, 2.0]]), np.array([0.5]), lr=0.1)
    with pytest.raises(TypeError, match=r"compiled_step: Y\[0\] must be a real number.*bool"):
        step(np.array([[1.0, 2.0]]), np.array([True]), lr=0.1)
    assert _weights(model) == before and all(type(w) is float for w in before)


def test_compiled_step_refuses_a_row_given_as_a_dict():
    # a dict row went through as its keys (0, 1): the step trained on other numbers, silently
    model = scalar.MLP(2, [3, 1], seed=0)
    step = model.compiled_step(lambda s, y: (s - y) * (s - y))
    step([[1.0, 2.0]], [0.5], lr=0.1)
    before = _weights(model)
    with pytest.raises(TypeError, match="compiled_step: row 0 of X"):
        step([{0: 5.0, 1: 7.0}], [0.5], lr=0.1)
    assert _weights(model) == before


def test_compiled_step_names_a_row_of_another_width():
    model = scalar.MLP(2, [3, 1], seed=0)
    step = model.compiled_step(lambda s, y: (s - y) * (s - y))
    step([[1.0, 2.0]], [0.5], lr=0.1)
    with pytest.raises(ValueError, match="compiled_step: row 1 of X has 3 entries; the model takes 2"):
        step([[1.0, 2.0], [1.0, 2.0, 3.0]], [0.5, 0.5], lr=0.1)


def test_compiled_step_leaves_the_eager_gradient_in_grad():
    # the weights moved as the eager step moves them, but p.grad kept what an earlier backward() left there
    X, Y = [[0.5, 1.0], [-1.0, 0.2], [0.3, -0.7]], [1.0, -1.0, 1.0]
    l2 = lambda ps: 1e-2 * sum(p * p for p in ps)           # noqa: E731
    eager, fast = scalar.MLP(2, [4, 1], seed=3), scalar.MLP(2, [4, 1], seed=3)
    fast([1.0, 1.0]).backward()                             # stale gradients
    step = fast.compiled_step(HINGE, l2)
    for _ in range(3):
        assert step(X, Y, 0.1) == eager_step(eager, HINGE, l2, X, Y, 0.1)
        assert [p.grad for p in fast.parameters()] == [p.grad for p in eager.parameters()]
    assert _weights(fast) == _weights(eager)


def test_check_true_also_re_traces_the_penalty():
    # the penalty was compiled without check: one that branches on the weights stayed frozen at the first
    # call's branch (with check=True too), and the steps after it were silently wrong
    def penalty(ps):
        w = ps[0]
        return w * w if w.data > 0 else w * -1.0           # a branch on a weight's number

    model = scalar.MLP(2, [1], output_activation="identity", seed=0)
    model.set_weights([(np.array([[0.5, 0.25]]), np.array([0.0]))])
    step = model.compiled_step(lambda s, y: s * 0.0, penalty, check=True)
    step([[1.0, 2.0]], [0.0], lr=1.0)                       # w0 <- 0.5 - 1.0 * 2 * 0.5 = -0.5: the other branch
    assert model.parameters()[0].data == -0.5
    with pytest.raises(GraphChanged):
        step([[1.0, 2.0]], [0.0], lr=1.0)


def test_a_loss_or_penalty_that_reads_the_models_own_weights_is_refused():
    # the model's Values inside the trace were frozen as numbers: their part of the loss kept its first value and
    # gave no gradient, so the weights moved differently from the eager step from the first call on
    X, Y = [[0.5, 1.0], [-1.0, 0.2]], [1.0, -1.0]
    model = scalar.MLP(2, [3, 1], seed=0)
    own = lambda s, y: (s - y) * (s - y) + 0.1 * sum(p * p for p in model.parameters())   # noqa: E731
    before = _weights(model)
    for check in (False, True):
        with pytest.raises(ValueError, match=r"compiled_step: the loss reads the model's own weights \(W0\[0,0\]"):
            model.compiled_step(own, check=check)(X, Y, lr=0.1)
    with pytest.raises(ValueError, match="compiled_step: the penalty reads the model's own weights"):
        model.compiled_step(lambda s, y: (s - y) * (s - y),
                            lambda ps: 0.1 * sum(p * p for p in model.parameters()))(X, Y, lr=0.1)
    assert _weights(model) == before


def test_a_penalty_that_failed_to_compile_is_not_dropped_at_the_next_call():
    # the loss was compiled, the penalty raised; the next call found the loss compiled and trained without the
    # penalty, silently
    model = scalar.MLP(2, [1], seed=0)
    step = model.compiled_step(lambda s, y: (s - y) * (s - y), lambda ps: 3.0)
    before = _weights(model)
    for _ in range(2):
        with pytest.raises(TypeError, match="must return one Value"):
            step([[1.0, 2.0]], [0.5], lr=0.1)
    assert _weights(model) == before


def test_compiled_step_refuses_what_is_not_a_function_or_a_switch():
    model = scalar.MLP(2, [1], seed=0)
    with pytest.raises(TypeError, match="compiled_step: loss must be a function"):
        model.compiled_step("hinge")
    with pytest.raises(TypeError, match="compiled_step: penalty must be a function"):
        model.compiled_step(HINGE, 1e-4)
    with pytest.raises(TypeError, match="compiled_step: check must be True or False"):
        model.compiled_step(HINGE, check="no")


# --- fit(compile=True) ----------------------------------------------------------------------------------------------

def test_fit_compile_refuses_a_loss_that_reads_the_scalar_models_own_weights():
    # losses.hinge(o, t) + losses.l2(model, ...) trained other weights compiled than eagerly (0.0036 for 0.0169):
    # the start-up check runs the loss on a twin of the model, whose gradient did not see the closure either
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 2))
    Y = np.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0)
    model = scalar.MLP(2, [4, 1], seed=0)
    before = _weights(model)
    with pytest.raises(ValueError, match=r"fit\(compile=True\): the loss reads the model's own weights.*"
                                         r"use compile=False"):
        fit(model, X, Y, lambda o, t: losses.hinge(o, t) + losses.l2(model, 1e-2), SGD(model.parameters(), lr=0.1),
            epochs=1, compile=True, progress=False)
    assert _weights(model) == before


# --- checked and right: the compiled steps are the eager ones ---------------------------------------------------

STEPS = {   # (sizes, activation, sample loss, penalty, targets of 3 samples)
    "hinge l2": ([4, 1], "relu", HINGE, lambda ps: 1e-3 * sum(p * p for p in ps), [1.0, -1.0, 1.0]),
    "logistic l1": ([3, 1], "tanh", lambda s, y: s.softplus() - s * y, lambda ps: 1e-3 * sum(p.abs() for p in ps),
                    [1.0, 0.0, 1.0]),
    "nn.losses.quadratic nn.losses.l2": ([3, 2], "sigmoid", lambda out, y: losses.quadratic([out], [y]),
                                         lambda ps: losses.l2(ps, 1e-3), [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]),
    "nn.losses.cross_entropy": ([4, 3], "tanh", lambda out, y: losses.cross_entropy([out], [y]), None,
                                [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
    "one layer, constant penalty": ([1], "relu", lambda s, y: (s - y) * (s - y), lambda ps: Value(2.0) * 1.0,
                                    [0.5, -0.5, 2.0]),
}


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize("case", list(STEPS))
def test_compiled_steps_leave_the_eager_steps_weights_and_gradients_bitwise(case, n):
    sizes, act, loss, penalty, Y = STEPS[case]
    X = np.random.default_rng(1).normal(size=(3, 2))[:n]
    eager, fast = scalar.MLP(2, sizes, activation=act, seed=2), scalar.MLP(2, sizes, activation=act, seed=2)
    step = fast.compiled_step(loss, penalty)
    for _ in range(4):
        assert step(X, Y[:n], 0.2) == eager_step(eager, loss, penalty, X.tolist(), Y[:n], 0.2)
        assert _weights(fast) == _weights(eager)
        assert [p.grad for p in fast.parameters()] == [p.grad for p in eager.parameters()]


def test_the_compiled_step_computes_in_float64_from_float32_rows_and_ints():
    X32 = np.array([[0.1, 0.2], [0.7, -0.3]], dtype=np.float32)
    eager, fast = scalar.MLP(2, [3, 1], seed=0), scalar.MLP(2, [3, 1], seed=0)
    step = fast.compiled_step(HINGE)
    assert step(X32, np.array([1, -1]), 0.1) == eager_step(eager, HINGE, None, X32.tolist(), [1.0, -1.0], 0.1)
    assert _weights(fast) == _weights(eager) and all(type(w) is float for w in _weights(fast))
    assert type(fast(X32[0]).data) is float                 # the eager forward too: Values hold Python floats


def test_hinge_labels_0_1_are_refused_eagerly_by_fit_and_by_a_checked_step():
    # losses.hinge checks its labels when it runs; compiled code does not run it (see compiled_step's docstring):
    # check=True traces every sample, so a 0 label after a first 1 is refused as eagerly
    X = [[0.5, 1.0], [-1.0, 0.2]]
    model = scalar.MLP(2, [3, 1], seed=0)
    step = model.compiled_step(lambda s, y: losses.hinge([s], [y]), check=True)
    with pytest.raises(ValueError, match="hinge: labels must be -1 or \\+1"):
        step(X, [1.0, 0.0], lr=0.1)
    with pytest.raises(ValueError, match="hinge: labels must be -1 or \\+1"):
        fit(model, np.array(X), np.array([1.0, 0.0]), losses.hinge, SGD(model.parameters(), lr=0.1), epochs=1,
            compile=True, progress=False)


def _moons_pm(n=24):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(float)


FITS = {    # a scalar MLP and a loss fit(compile=True) accepts, with targets for it
    "quadratic": (lambda: scalar.MLP(2, [5, 1], activation="tanh", seed=0), losses.quadratic, lambda y: y),
    "mse": (lambda: scalar.MLP(2, [5, 1], activation="softplus", seed=0), "mse", lambda y: y),
    "hinge": (lambda: scalar.MLP(2, [5, 1], seed=0), losses.hinge, lambda y: 2 * y - 1),
    "bce on a sigmoid": (lambda: scalar.MLP(2, [5, 1], output_activation="sigmoid", seed=0),
                         losses.binary_cross_entropy, lambda y: y),
    "bce with logits": (lambda: scalar.MLP(2, [5, 1], seed=0), losses.binary_cross_entropy_with_logits,
                        lambda y: y),
    "cross_entropy labels": (lambda: scalar.MLP(2, [5, 2], activation="tanh", seed=0), losses.cross_entropy,
                             lambda y: y.astype(int)),
    "quadratic one-hot": (lambda: scalar.MLP(2, [5, 2], activation="sigmoid", output_activation="sigmoid", seed=0),
                          losses.quadratic, lambda y: np.eye(2)[y.astype(int)]),
}


@pytest.mark.parametrize("batch_size", [1, 5])
@pytest.mark.parametrize("case", list(FITS))
def test_fit_compiled_and_eager_end_with_the_same_scalar_weights_to_1e_15(case, batch_size):
    make, loss, targets = FITS[case]
    X, y = _moons_pm()
    runs = []
    for compiled in (False, True):
        model = make()
        fit(model, X, targets(y), loss, SGD(model.parameters(), lr=0.05), epochs=3, batch_size=batch_size, seed=5,
            compile=compiled, progress=False)
        runs.append(np.array(_weights(model)))
    eager, fast = runs
    np.testing.assert_allclose(fast, eager, rtol=0, atol=1e-15 * np.abs(eager).max())
