"""Mutation testing of nn/perceptrons.py, eleventh round: each test fails on a deliberate mistake (named in the test's
comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the rules' formulas
(Dehaqani's perceptron algorithm, the MIPT lecture's batch rule, MADALINE's minimal disturbance)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nn import perceptrons as P


@pytest.mark.parametrize("rule", [P.sign_perceptron, P.batch_perceptron, P.madaline])
def test_no_rows_at_all_are_refused_not_learned(rule):
    # mutant: with_one without its `X.shape[0] == 0` check. Zero samples made zero mistakes, so each rule reported
    # converged=True with its starting weights: a "learned" line that no sample ever saw.
    with pytest.raises(ValueError, match=r"X must be a non-empty batch of rows \(N, n\), got shape \(0, 2\)"):
        rule(np.zeros((0, 2)), np.zeros(0))


def test_madaline_refuses_eta_exactly_at_two_over_the_largest_squared_norm():
    # mutant: `eta * largest > 2.0` for `>= 2.0`. On {0, 1}^2 the largest ||(x, 1)||^2 is 1 + 1 + 1 = 3, and
    # eta = 2/3 gives eta * 3 = 2.0 exactly in float64. One ADALINE step takes z - d to (1 - eta ||x||^2)(z - d)
    # = -(z - d): the error never shrinks, so the boundary itself must be refused (the docstring: eta below 2 / 3).
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match=r"eta = 0\.6666666666666666 .* eta < 2 / max \|\|\(x, 1\)\|\|\^2 = 0\.6667"):
        P.madaline(X, [-1, 1, 1, -1], eta=2 / 3)
    assert P.madaline(X, [-1, 1, 1, -1], eta=0.6, epochs=0).mistakes == []     # just below the bound: accepted


def test_madaline_refuses_more_than_ten_thousand_adalines():
    # mutant: the cap `n_hidden > 10_000` raised to 100_000. 10,001 units are refused before any weight is drawn
    # (epochs=0 keeps the mutant fast: it returned 10,001 rows of weights).
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match=r"madaline: n_hidden must be at most 10000 ADALINEs, got 10001"):
        P.madaline(X, [-1, 1], n_hidden=10_001, epochs=0)
    assert P.madaline(X, [-1, 1], n_hidden=10_000, epochs=0).W.shape == (10_000, 3)


OVERFLOWS = {     # 2e308 is beyond float64's largest, 1.8e308
    "sign_perceptron": (lambda: P.sign_perceptron([[1e308, 1e308]], [1], W0=[1.0, 1.0, 0.0]),
                        r"sign_perceptron: W \. \(x, 1\) overflowed"),
    "batch_perceptron": (lambda: P.batch_perceptron([[1e308, 1e308]], [1], theta0=[1.0, 1.0, 0.0]),
                         r"batch_perceptron: W \. \(x, 1\) overflowed"),
    "batch_perceptron_theta": (lambda: P.batch_perceptron([[1e300, 1.0], [-1e300, 1.0]], [-1, 1], alpha=1e10),
                               r"batch_perceptron: .*overflowed"),
    "madaline": (lambda: P.madaline([[1.0, 1.0]], [1], n_hidden=1, eta=0.1, W0=[[1e308, 1e308, 0.0]]),
                 r"madaline: W \. \(x, 1\) overflowed"),
    "madaline_norm": (lambda: P.madaline([[1e200, 1.0]], [1], n_hidden=1, eta=0.1),
                      r"madaline: \|\|\(x, 1\)\|\|\^2 overflowed"),
}


@pytest.mark.parametrize("rule", sorted(OVERFLOWS))
def test_an_overflow_is_refused_by_name_without_a_numpy_warning_first(rule):
    # bug (not a mutant): the rules computed W . x, theta's update and ||(x, 1)||^2 without np.errstate, so numpy's
    # "RuntimeWarning: overflow encountered in matmul" came before the named refusal, and under warnings-as-errors
    # (python -W error, pytest's filterwarnings = error) it took the refusal's place.
    call, match = OVERFLOWS[rule]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=match):
            call()
