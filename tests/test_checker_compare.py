"""A hostile audit of compare_gradients and its report: inputs for which it passed a wrong manual gradient, failed
a right one, stopped without naming the problem, or named the wrong entry."""

import re

import numpy as np
import pytest

from nn import backprop, compare_gradients


def hh19_like(seed: int = 0):
    rng = np.random.default_rng(seed)
    weights = [(0.5 * rng.standard_normal((3, 2)), 0.5 * rng.standard_normal(3)),
               (0.5 * rng.standard_normal((2, 3)), 0.5 * rng.standard_normal(2))]
    return weights, rng.uniform(size=(5, 2)), rng.uniform(size=(5, 2))


# --- complex numbers: a cast kept their real part ----------------------------------------------------------------


@pytest.mark.parametrize("where", ["W", "b", "X", "Y"])
def test_complex_weights_or_data_are_refused_by_name_not_cast_to_their_real_part(where):
    weights, X, Y = hh19_like()
    if where == "W":
        weights[0] = (weights[0][0] + 1e-3j, weights[0][1])
    elif where == "b":
        weights[1] = (weights[1][0], weights[1][1] + 1e-3j)
    elif where == "X":
        X = X + 1e-3j
    else:
        Y = Y + 1e-3j
    name = {"W": r"W\^\[2\]", "b": r"b\^\[3\]", "X": "X", "Y": "Y"}[where]
    with pytest.raises(TypeError, match=rf"^compare_gradients: {name} .*complex"):
        compare_gradients(weights, X, Y)


def test_a_complex_manual_gradient_is_refused_by_name_not_passed_on_its_real_part():
    # the real part of this gradient is right, its imaginary part is not 0: it read OK
    weights, X, Y = hh19_like()

    def manual(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y)
        grads[1] = (grads[1][0] + 1e-3j, grads[1][1])
        return C, grads

    with pytest.raises(ValueError, match=r"^compare_gradients: manual's dW\^\[3\] holds complex numbers"):
        compare_gradients(weights, X, Y, manual=manual)


# --- the biases as columns, as HH19 writes them ---------------------------------------------------------------------


def test_biases_given_as_columns_are_compared_and_reach_the_manual_function_as_given():
    # nn.backprop takes b^[l] as a column (n_l, 1); compare_gradients called the default manual function with it
    # and then blamed "manual" for returning db^[l] of shape (n_l,)
    weights, X, Y = hh19_like()
    columns = [(W, b[:, None]) for W, b in weights]
    seen = []

    def manual(weights, X, Y):
        seen.append([np.shape(b) for _, b in weights])
        return backprop.gradients(weights, X, Y)

    report = compare_gradients(columns, X, Y, manual=manual)
    assert report.ok, report.verdict()
    assert seen == [[(3, 1), (2, 1)]]
    flat = compare_gradients(weights, X, Y)
    for method in ("tensor", "scalar", "numerical", "forward"):
        for (dW, db), (dW0, db0) in zip(report.gradients[method], flat.gradients[method]):
            np.testing.assert_array_equal(dW, dW0)
            np.testing.assert_array_equal(db, db0)


# --- the report names the entry that fails ------------------------------------------------------------------------


def test_the_report_points_at_the_entry_that_fails_not_at_a_larger_difference_within_tolerance():
    # W^[2]'s largest entry is off by 0.9e-10 of itself (within tensor's rtol 1e-10); its smallest by twice its
    # allowance, a smaller number. The report named the first: an entry that passes.
    weights, X, Y = hh19_like()
    X[:, 1] *= 1e-3                                         # dC/dW^[2] = delta^[2] x^T: a column of small entries
    Y = 10 * Y                                              # far from the outputs: gradients of a few units
    options = dict(output_activation="identity")
    _, true = backprop.gradients(weights, X, Y, **options)
    dW = true[0][0]
    big = np.unravel_index(int(np.argmax(np.abs(dW))), dW.shape)
    small = np.unravel_index(int(np.argmin(np.abs(dW))), dW.shape)
    rtol, atol = 1e-10, 1e-12
    off_big = 0.9 * rtol * abs(dW[big])
    off_small = 2 * (atol + rtol * abs(dW[small]))
    assert off_small < off_big                              # the failing entry has the smaller difference

    def manual(weights, X, Y, **options):
        C, grads = backprop.gradients(weights, X, Y, **options)
        W2 = grads[0][0].copy()
        W2[big] += off_big
        W2[small] += off_small
        grads[0] = (W2, grads[0][1])
        return C, grads

    report = compare_gradients(weights, X, Y, manual=manual, methods=("manual", "tensor"), **options)
    assert not report.ok
    (row,) = report.failures()
    assert (row.name, row.index) == ("W^[2]", tuple(int(i) for i in small))
    verdict = report.verdict()
    assert f"at index {row.index}" in verdict
    said = float(re.search(r"differs from tensor by (\S+) ", verdict).group(1))
    assert said == pytest.approx(off_small, rel=0.01)


def test_a_nan_manual_entry_reads_nan_in_the_verdict_not_a_relative_difference_of_0():
    weights, X, Y = hh19_like()

    def manual(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y)
        grads[0][0][1, 0] = np.nan
        return C, grads

    verdict = compare_gradients(weights, X, Y, manual=manual, methods=("manual", "tensor")).verdict()
    assert "at index (1, 0)" in verdict
    assert "by nan (relative nan)" in verdict


@pytest.mark.parametrize("eps", [1e-12, 0.1])
def test_when_only_the_central_differences_disagree_the_verdict_does_not_call_the_manual_gradient_wrong(eps):
    # eps = 1e-12 drowns the differences in rounding, 0.1 in truncation; the delta rule, both engines and the
    # forward sensitivities agree to 1e-10, yet the verdict read "Wrong: W^[3], b^[3], ..." for the manual gradient
    weights, X, Y = hh19_like()
    report = compare_gradients(weights, X, Y, eps=eps)
    assert not report.ok                                       # the differences did disagree: not hidden
    assert {r.method for r in report.failures()} == {"numerical"}
    verdict = report.verdict()
    assert "ONLY THE CENTRAL DIFFERENCES DISAGREE" in verdict and f"eps={eps:g}" in verdict
    assert "Wrong:" not in verdict
    report = compare_gradients(weights, X, Y, eps=eps, methods=("manual", "numerical"))
    if eps == 0.1:
        assert "Wrong:" in report.verdict()                    # with nothing else to compare, it may be yours
    else:   # but not where the differences are within their own rounding (tests/test_redcheck_compare.py)
        assert report.verdict().startswith("THE CENTRAL DIFFERENCES CANNOT RESOLVE THIS")
