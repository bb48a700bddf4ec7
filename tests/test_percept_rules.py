"""A hostile audit of nn.perceptrons: each rule step by step against the notes' formula, and the inputs on which a
rule or a trained net used to answer silently (flattened labels, an overflowed weight returned, a MADALINE unit
left unflipped, an overflowed sum read as class -1)."""

from __future__ import annotations

import numpy as np
import pytest

from nn import perceptrons as P

X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
T_AND = np.array([-1, -1, -1, 1])
T_XOR = np.array([-1, 1, 1, -1])


def hand_sign_perceptron(X, t, epochs):
    """Dehaqani's algorithm written out with plain floats: W = W + x (class +1) or W - x (class -1) whenever
    sign(W . x) is not the label (0 counts as wrong)."""
    W = [0.0] * (len(X[0]) + 1)
    per_epoch = []
    for _ in range(epochs):
        wrong = 0
        for row, label in zip(X, t):
            x = [*row, 1.0]
            z = sum(wi * xi for wi, xi in zip(W, x))
            if (z > 0 and label == 1) or (z < 0 and label == -1):
                continue
            wrong += 1
            W = [wi + label * xi for wi, xi in zip(W, x)]
        per_epoch.append(wrong)
        if wrong == 0:
            break
    return W, per_epoch


@pytest.mark.parametrize("t", [T_AND, [-1, 1, 1, 1], [1, 1, 1, -1], T_XOR])
def test_sign_perceptron_follows_the_rule_step_by_step(t):
    r = P.sign_perceptron(X01, t, epochs=30)
    W, per_epoch = hand_sign_perceptron(X01.tolist(), list(t), 30)
    assert r.W.tolist() == W and r.mistakes == per_epoch
    assert r.converged == (per_epoch[-1] == 0)


def test_sign_perceptron_on_xor_stops_and_says_it_did_not_converge():
    r = P.sign_perceptron(X01, T_XOR, epochs=7)
    assert len(r.mistakes) == 7 and min(r.mistakes) > 0 and not r.converged


def test_batch_rule_one_step_by_hand():
    # theta = 0: every sample is on the line, so M holds all four; theta = alpha sum t_n (x_n, 1)
    r = P.batch_perceptron(X01, T_AND, alpha=0.5, steps=1)
    by_hand = 0.5 * np.array([-0 - 0 - 1 + 1, -0 - 1 - 0 + 1, -1 - 1 - 1 + 1], dtype=float)   # (x1, x2, 1) in turn
    assert r.W.tolist() == by_hand.tolist() and r.mistakes == [4] and not r.converged


@pytest.mark.parametrize("t", [[[-1, -1], [-1, 1]], [[-1, -1, -1, 1]]])
def test_labels_of_another_shape_are_refused_not_flattened(t):
    # (2, 2) labels for four rows used to be flattened and trained on as if they were one label per row
    for rule in (P.sign_perceptron, P.batch_perceptron, P.madaline):
        with pytest.raises(ValueError, match=r"labels must be -1 or \+1, one per row of X \(4\).*shape \(\d, \d\)"):
            rule(X01, t)


def test_a_column_of_labels_is_one_label_per_row():
    assert P.sign_perceptron(X01, T_AND[:, None]).W.tolist() == P.sign_perceptron(X01, T_AND).W.tolist()


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")   # numpy's, before the refusal
def test_weights_that_overflow_in_the_last_update_are_refused_not_returned():
    # one sample on the line at theta = 0: theta <- 10 * (1e308, 1e308, 1) = (inf, inf, 10) was returned
    with pytest.raises(ValueError, match=r"batch_perceptron: theta overflowed float64.*smaller alpha than 10.0"):
        P.batch_perceptron([[1e308, 1e308]], [1], alpha=10.0, steps=1)


def test_madaline_that_cannot_move_a_unit_says_so():
    # eta = 1e-4 on {0, 1}^2: one ADALINE step multiplies z - d by at least 1 - 3e-4, so from z = 0.18 to below 0
    # takes about ln(1.18) / 3e-4 ~ 550 steps for ||x||^2 = 3, and ~ 1650 for ||x||^2 = 1: beyond the 1000 allowed.
    # The flip used to be kept as if the unit had made it.
    with pytest.raises(ValueError, match=r"madaline: 1000 steps of the ADALINE rule with eta = 0.0001 did not bring "
                                         r"hidden unit \d to its desired output"):
        P.madaline(X01, T_XOR, 2, eta=1e-4, epochs=50, seed=0)


def test_madaline_every_kept_flip_is_made_by_the_unit():
    # one sample (0, 0), class +1, one unit at z = -1: the flip to +1 lowers the error, and the ADALINE rule on
    # x = (0, 0, 1) with eta = 0.5 gives z = -1 + 0.5 * 2 = 0 after one step: output +1 (z >= 0)
    m = P.madaline([[0.0, 0.0]], [1], 1, eta=0.5, epochs=3, W0=[[0.0, 0.0, -1.0]])
    assert m.W.tolist() == [[0.0, 0.0, 0.0]] and m.mistakes == [1, 0] and m.converged


def test_a_trained_madaline_refuses_rows_of_the_wrong_width_by_name():
    m = P.madaline(X01, T_XOR, 2, seed=0)
    with pytest.raises(ValueError, match=r"Madaline: X has 3 feature\(s\) per row but the weights \(2, 3\)"):
        m(np.zeros((2, 3)))


def test_a_trained_madaline_refuses_an_overflowed_sum():
    # z = 1e308 * 10 - 1e308 * 10 = inf - inf = NaN; NaN >= 0 is False, so the unit answered -1
    m = P.Madaline(np.array([[1e308, 1e308, 0.0]]), [], True)
    with pytest.raises(ValueError, match=r"Madaline: W \. \(x, 1\) overflowed float64"):
        m(np.array([[10.0, -10.0]]))


def test_sign_output_by_hand_and_its_refusals():
    W = np.array([2.0, -1.0, 0.5])
    X = [[1.0, 1.0], [0.0, 0.5], [-1.0, 0.0]]                  # z = 1.5, 0, -1.5
    assert P.sign_output(W, X).tolist() == [1.0, 0.0, -1.0]
    with pytest.raises(ValueError, match=r"sign_output: X holds 1 NaN or infinite"):
        P.sign_output(W, [[np.nan, 1.0]])                     # answered NaN, which is no class
    with pytest.raises(ValueError, match=r"sign_output: W \. \(x, 1\) overflowed float64"):
        P.sign_output(np.array([1e308, 1e308, 0.0]), [[10.0, -10.0]])


@pytest.mark.parametrize("seed", range(6))
def test_sign_perceptron_converges_within_novikoffs_bound(seed):
    # separable data: u . (x, 1) >= gamma for class +1 and <= -gamma for -1 with |u| = 1; from W = 0 the rule makes at
    # most (R / gamma)^2 updates, R = max |(x, 1)| (the convergence the notes claim, with its count)
    rng = np.random.default_rng(seed)
    u = rng.standard_normal(3)
    u /= np.linalg.norm(u)
    X = rng.uniform(-2, 2, (400, 2))
    z = np.column_stack([X, np.ones(len(X))]) @ u
    keep = np.abs(z) > 0.1
    X, t = X[keep][:60], np.sign(z[keep][:60])
    gamma = float(np.min(t * (np.column_stack([X, np.ones(len(X))]) @ u)))
    R = float(np.max(np.linalg.norm(np.column_stack([X, np.ones(len(X))]), axis=1)))
    r = P.sign_perceptron(X, t, epochs=10_000)
    assert r.converged and sum(r.mistakes) <= (R / gamma) ** 2
    assert np.all(t * (np.column_stack([X, np.ones(len(X))]) @ r.W) > 0)      # every point strictly on its side


def test_a_madaline_of_one_flat_row_of_weights_is_refused_not_summed_into_one_answer():
    # W = (1, 1, -1.5) given flat: z was (N,), and the OR unit summed all four samples into the single answer 1
    with pytest.raises(ValueError, match=r"Madaline: W must have 2 axes, got shape \(3,\).*for one unit give \[W\]"):
        P.Madaline(np.array([1.0, 1.0, -1.5]), [], True)(X01)
    # as one row it is one ADALINE under an OR of one: AND, by hand (z = x1 + x2 - 1.5 >= 0)
    assert P.Madaline(np.array([[1.0, 1.0, -1.5]]), [], True)(X01).tolist() == [-1, -1, -1, 1]
