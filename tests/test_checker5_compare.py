"""checker5's audit of compare_gradients' report: two common slips of a hand-written backprop, each told as a
wrong delta^[L] ("Check delta^[3] first") though every delta was right."""

import numpy as np
import pytest

from nn import backprop
from nn.compare import compare_gradients

RNG = np.random.default_rng(5)
# two layers of the same shapes (2x2), so that a list in another order has the shapes nn.compare checks
WEIGHTS = [(0.5 * RNG.standard_normal((2, 2)), 0.5 * RNG.standard_normal(2)) for _ in range(2)]
X, Y = RNG.uniform(size=(5, 2)), RNG.uniform(size=(5, 2))


def reversed_layers(weights, X, Y, **options):
    """The delta rule, right in every layer, with the gradients listed output layer first (as backprop finds them)."""
    C, grads = backprop.gradients(weights, X, Y, **options)
    return C, grads[::-1]


def summed(weights, X, Y, **options):
    """The delta rule's gradients summed over the samples, where the cost (and so its gradient) is their mean."""
    C, grads = backprop.gradients(weights, X, Y, **options)
    return C, [(dW * len(X), db * len(X)) for dW, db in grads]


def ascent(weights, X, Y, **options):
    """The gradients of -C (a sign slip: a - y written y - a in the output delta) with C's own value."""
    C, grads = backprop.gradients(weights, X, Y, **options)
    return C, [(-dW, -db) for dW, db in grads]


@pytest.mark.parametrize("methods", [("manual", "tensor"), ("manual", "numerical")])
def test_gradients_listed_in_another_order_are_named_as_such_not_as_a_wrong_delta(methods):
    report = compare_gradients(WEIGHTS, X, Y, manual=reversed_layers, methods=methods)
    assert not report.ok
    verdict = report.verdict()
    assert "another order" in verdict
    # which manual layer is which: layer 3's are the method's layer 2's
    assert "manual's gradients for layer 3 are" in verdict and "for layer 2" in verdict
    assert "Check delta^[3]" not in verdict          # every delta is right: it sent the reader to the wrong place


def test_gradients_in_the_right_order_get_no_such_note_even_when_wrong():
    # a wrong output delta (sigma' left out) in a net of equal shapes: no other layer matches it
    def forgot(weights, X, Y, **options):
        C, grads = backprop.gradients(weights, X, Y, **options)
        return C, [grads[0], (grads[1][0] * 1.5, grads[1][1])]
    verdict = compare_gradients(WEIGHTS, X, Y, manual=forgot).verdict()
    assert "MISMATCH" in verdict and "another order" not in verdict and "times" not in verdict
    assert "Check delta^[3]" in verdict


@pytest.mark.parametrize("manual, factor, cause", [(summed, "5", "summed over the 5 samples"),
                                                   (ascent, "-1", "sign")])
def test_a_gradient_off_by_one_factor_everywhere_is_named_as_that_factor(manual, factor, cause):
    report = compare_gradients(WEIGHTS, X, Y, manual=manual, methods=("manual", "tensor", "numerical"))
    assert not report.ok
    verdict = report.verdict()
    assert f"manual is {factor} times tensor's in every entry" in verdict
    assert cause in verdict
    assert "Check delta^[3]" not in verdict


def test_a_factor_that_holds_in_some_entries_only_is_not_called_a_factor():
    def half_summed(weights, X, Y, **options):
        C, grads = backprop.gradients(weights, X, Y, **options)
        return C, [grads[0], (grads[1][0] * len(X), grads[1][1])]     # only dW^[3] summed
    verdict = compare_gradients(WEIGHTS, X, Y, manual=half_summed).verdict()
    assert "MISMATCH at layer 3 (W^[3])" in verdict and "times tensor's in every entry" not in verdict


def test_one_entry_that_is_not_0_is_no_evidence_of_a_factor():
    # W^[2] = 0 and x = 0: only db^[2] is not 0, and any wrong value of it is "a multiple" of the right one
    weights = [(np.zeros((1, 1)), np.array([0.3]))]
    X, Y = np.zeros((3, 1)), np.array([[1.0], [0.0], [1.0]])

    def wrong_bias(weights, X, Y, **options):
        C, [(dW, db)] = backprop.gradients(weights, X, Y, **options)
        return C, [(dW, db * 1.7)]
    verdict = compare_gradients(weights, X, Y, manual=wrong_bias).verdict()
    assert "MISMATCH at layer 2 (b^[2])" in verdict and "times tensor's" not in verdict


def test_gradients_listed_output_layer_first_are_named_so_not_a_transpose():
    # a 2-3-2 net: W^[2] is (3, 2), W^[3] (2, 3); the list reversed gave "manual's dW^[2] has shape (2, 3), the
    # transpose of W^[2]'s", where each dW is right and only the order is wrong
    rng = np.random.default_rng(0)
    weights = [(rng.standard_normal((3, 2)), rng.standard_normal(3)),
               (rng.standard_normal((2, 3)), rng.standard_normal(2))]
    x, y = rng.uniform(size=(4, 2)), rng.uniform(size=(4, 2))
    shapes = r"\[\(\(2, 3\), \(2,\)\), \(\(3, 2\), \(3,\)\)\]"
    with pytest.raises(ValueError, match=rf"output layer first \(shapes {shapes}\)"):
        compare_gradients(weights, x, y, manual=reversed_layers)
