"""Mutation testing, sixth round: nn.compare_report's notes on a manual gradient that is off as a whole (layers in
another order, one factor). Each note must name the right cause and none where there is none: an overflowed
output layer was called "listed in another order" and "the transpose", a list with only its weights swapped was
called reordered, and the factors 1/N, 2 and -3 must not read as a sum over the samples or a sign slip."""

import numpy as np
import pytest

from nn import backprop
from nn.compare import compare_gradients

RNG = np.random.default_rng(6)
# two layers of the same shapes (2x2), so that layers in another order have the shapes nn.compare checks
WEIGHTS = [(0.5 * RNG.standard_normal((2, 2)), 0.5 * RNG.standard_normal(2)) for _ in range(2)]
X, Y = RNG.uniform(size=(5, 2)), RNG.uniform(size=(5, 2))


def _manual(change):
    """The delta rule's gradients (right in every layer) passed through ``change``."""
    def manual(weights, X, Y, **options):
        C, grads = backprop.gradients(weights, X, Y, **options)
        return C, change(grads)
    return manual


def _verdict(change, weights=WEIGHTS, X=X, Y=Y):
    report = compare_gradients(weights, X, Y, manual=_manual(change))
    assert not report.ok
    return report.verdict()


@pytest.mark.filterwarnings("error::RuntimeWarning")      # and the factor's search warns of no inf * 0 either
def test_an_overflowed_output_layer_is_not_called_reordered_nor_transposed():
    # every entry of manual's layer 3 inf: the allowance atol + rtol |inf| was inf, and inf <= inf matched it to
    # the method's layer 2 ("another order") and to its own transpose, where the table fails it
    verdict = _verdict(lambda g: [g[0], (np.full((2, 2), np.inf), np.full(2, np.inf))])
    assert "MISMATCH at layer 3 (W^[3])" in verdict
    assert "another order" not in verdict and "transpose" not in verdict and "times" not in verdict
    assert "Check delta^[3]" in verdict


def test_weights_swapped_without_their_biases_are_not_called_layers_in_another_order():
    # W^[2] and W^[3] trade places, the biases stay: no layer of manual is another layer's (W and b) as a whole
    verdict = _verdict(lambda g: [(g[1][0], g[0][1]), (g[0][0], g[1][1])])
    assert "another order" not in verdict
    assert "Check delta^[3]" in verdict


@pytest.mark.parametrize("factor, cause", [(1 / 5, "divided by the 5 samples once more"),
                                           (2.0, "Look for a factor"), (-3.0, "Look for a factor")])
def test_each_factor_is_named_with_its_own_cause_only(factor, cause):
    verdict = _verdict(lambda g: [(dW * factor, db * factor) for dW, db in g])
    assert f"manual is {factor:.6g} times tensor's in every entry" in verdict
    assert cause in verdict
    others = {"divided by the 5 samples once more", "summed over the", "The sign", "Look for a factor"} - {cause}
    assert not [c for c in others if c in verdict]


def test_two_entries_that_are_not_0_are_enough_to_name_a_factor():
    # W^[2] = 0 and x = 0: dW^[2] is 0, and db^[2]'s two entries (summed over the 3 samples) are the evidence
    weights = [(np.zeros((2, 1)), np.array([0.3, -0.2]))]
    X1, Y1 = np.zeros((3, 1)), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    verdict = _verdict(lambda g: [(dW * 3, db * 3) for dW, db in g], weights, X1, Y1)
    assert "manual is 3 times tensor's in every entry" in verdict
    assert "summed over the 3 samples" in verdict


@pytest.mark.parametrize("samples", [1, 5])
def test_a_factor_within_1e_6_of_1_is_neither_a_sign_nor_a_sum_over_one_sample(samples):
    # 1 + 1e-7 fails the tensor's rtol 1e-10 in every entry and is one factor, but not -1, nor N = 1, nor 1/N = 1
    verdict = _verdict(lambda g: [(dW * (1 + 1e-7), db * (1 + 1e-7)) for dW, db in g], X=X[:samples], Y=Y[:samples])
    assert "times tensor's in every entry" in verdict and "Look for a factor" in verdict
    assert "The sign" not in verdict and "summed over" not in verdict and "divided by" not in verdict
