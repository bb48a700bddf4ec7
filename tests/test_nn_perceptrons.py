"""The perceptron family (nn.perceptrons): seed 001's sign perceptron and MADALINE, seed 003's batch perceptron rule;
no learned line passes through a training point."""

import numpy as np
import pytest

from nn.perceptrons import batch_perceptron, madaline, sign_output, sign_perceptron, with_one

X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATES = {"AND": [-1, -1, -1, 1], "OR": [-1, 1, 1, 1], "NAND": [1, 1, 1, -1]}


def separable(n, seed, margin=0.1):
    rng = np.random.default_rng(seed)
    w, b = rng.standard_normal(2), rng.standard_normal() * 0.3
    X = rng.uniform(-1, 1, (4 * n, 2))
    z = (X @ w + b) / np.linalg.norm(w)
    keep = np.abs(z) > margin
    return X[keep][:n], np.sign(z[keep][:n])


@pytest.mark.parametrize("rule", [sign_perceptron, batch_perceptron])
def test_both_rules_learn_the_gates_with_every_point_strictly_off_the_line(rule):
    for gate, t in GATES.items():
        r = rule(X01, t)
        z = with_one(X01) @ r.W
        assert r.converged and np.all(np.sign(z) == t), gate
        assert np.all(np.abs(z) >= 1), gate                     # integer weights: at least 1 from the line


@pytest.mark.parametrize("rule", [sign_perceptron, batch_perceptron])
def test_both_rules_fail_on_xor_every_epoch(rule):
    r = rule(X01, [-1, 1, 1, -1], 50) if rule is sign_perceptron else rule(X01, [-1, 1, 1, -1], steps=50)
    assert not r.converged and min(r.mistakes) > 0 and len(r.mistakes) == 50


@pytest.mark.parametrize("seed", range(5))
def test_on_separable_data_the_rules_converge_and_no_point_sits_on_the_line(seed):
    X, t = separable(60, seed)
    for r in (sign_perceptron(X, t, 1000), batch_perceptron(X, t, 0.1, 10000)):
        assert r.converged
        assert np.array_equal(sign_output(r.W, X), t)           # sign 0 (on the line) would not equal t


def test_a_point_on_the_line_counts_as_a_mistake_for_either_class():
    X = np.array([[1.0, 0.0]])
    for label in (-1, 1):
        r = sign_perceptron(X, [label], W0=[1.0, 0.0, -1.0])   # z = 0 at the start
        assert r.mistakes[0] == 1 and np.sign(with_one(X) @ r.W)[0] == label


def test_sign_perceptron_takes_seed_001s_steps():
    # from W = 0: sample (0, 0, 1) of class -1 is on the line, so W <- W - x; then each mistake adds t x
    r = sign_perceptron(X01, GATES["AND"], epochs=1)
    W = np.zeros(3)
    for x, label in zip(with_one(X01), GATES["AND"]):
        if label * (W @ x) <= 0:
            W = W + label * x
    np.testing.assert_array_equal(r.W, W)


def test_batch_perceptron_adds_alpha_times_the_sum_over_the_misclassified():
    theta0 = np.array([1.0, -1.0, 0.25])
    t = np.array(GATES["OR"])
    r = batch_perceptron(X01, t, alpha=0.5, steps=1, theta0=theta0)
    Xe = with_one(X01)
    M = t * (Xe @ theta0) <= 0
    np.testing.assert_array_equal(r.W, theta0 + 0.5 * (t[M] @ Xe[M]))
    assert r.mistakes[0] == int(M.sum())


def test_batch_perceptron_finds_seed_002s_nand_weights():
    r = batch_perceptron(X01, GATES["NAND"])
    assert r.w.tolist() == [-2.0, -2.0] and r.b == 3.0          # w = (-2, -2), b = 3, as seed 002's NAND


@pytest.mark.parametrize("seed", range(10))
def test_madaline_learns_xor_with_two_adalines_under_an_or(seed):
    t = np.array([-1, 1, 1, -1])
    m = madaline(X01, t, n_hidden=2, seed=seed)
    assert m.converged and np.array_equal(m(X01), t)
    h = m.hidden(X01)
    assert np.array_equal(np.where(h.sum(axis=1) + 1 >= 0, 1, -1), t)  # the output is the OR of the units


def test_madaline_only_updates_on_error():
    t = np.array([-1, 1, 1, 1])                                 # OR, which one unit can already give
    W0 = np.array([[2.0, 2.0, -1.0], [-1.0, -1.0, -1.0]])
    m = madaline(X01, t, W0=W0)
    assert m.mistakes == [0] and np.array_equal(m.W, W0)


def test_rules_refuse_labels_that_are_not_plus_or_minus_one():
    with pytest.raises(ValueError, match="-1 or \\+1"):
        sign_perceptron(X01, [0, 0, 0, 1])
    with pytest.raises(ValueError, match="one per row"):
        batch_perceptron(X01, [1, -1])


def test_madaline_refuses_a_rate_at_which_the_adaline_rule_diverges():
    # The ADALINE rule w <- w + eta (d - z) x moves z to z + eta ||x||^2 (d - z): it overshoots d by more than it
    # corrects once eta ||x||^2 >= 2. XOR on {0, 3}^2 has ||(x, 1)||^2 = 19 at (3, 3): at the default eta = 0.5 the
    # weights grew to 1e118 (or to inf and NaN on {0, 10}^2) and the result was returned without a word.
    t = np.array([-1, 1, 1, -1])
    for scale in (3.0, 10.0):
        with pytest.raises(ValueError, match=r"eta .* 2 / max \|\|\(x, 1\)\|\|\^2"):
            madaline(scale * X01, t)
    with pytest.raises(ValueError, match="eta"):
        madaline(X01, t, eta=0.0)                               # no step: the rule never reaches its target
    m = madaline(3.0 * X01, t, eta=0.05, seed=0)                # 0.05 * 19 < 2: each step brings z nearer d
    assert m.converged and np.array_equal(m(3.0 * X01), t) and np.isfinite(m.W).all()


@pytest.mark.parametrize("alpha", [0.0, -1.0])
def test_batch_perceptron_refuses_a_step_that_is_not_positive(alpha):
    # theta <- theta + alpha sum_{n in M} t_n x_n moves towards the misclassified only for alpha > 0: alpha = 0
    # never moves and alpha = -1 moves away, and AND, which one line separates, came back "not converged" after
    # 1000 steps, as if it were XOR.
    with pytest.raises(ValueError, match="alpha"):
        batch_perceptron(X01, GATES["AND"], alpha=alpha)
