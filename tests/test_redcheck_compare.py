"""Red-team of compare_gradients: verdicts that the size of the numbers fooled. Saturated sigmoids make every
gradient of a layer smaller than the engines' atol (1e-12), where atol alone passed any manual entry; and a cost
so large that its central differences are mostly rounding made a right gradient read as a wrong delta rule."""

import numpy as np

from nn import MLP, backprop, compare_gradients


def sign_flipped_at(l: int, index: tuple):
    """The delta rule of nn.backprop with the sign of one entry of dC/dW^[l] flipped: a wrong gradient."""
    def manual(weights, X, Y, **options):
        C, grads = backprop.gradients(weights, X, Y, **options)
        grads[l - 2][0][index] *= -1.0
        return C, grads
    return manual


def saturated():
    """HH19-sized 2-3-2 sigmoid net with its weights scaled by 20: |z^[2]| reaches about 40, where sigma' is about
    4e-18, so every entry of dC/dW^[2] is below 1e-12 (the largest about 1e-17), while dC/dW^[3] is not."""
    rng = np.random.default_rng(0)
    weights = [(20 * W, 20 * b) for W, b in MLP([2, 3, 2], init="normal", seed=0).get_weights()]
    return weights, rng.uniform(size=(4, 2)), rng.uniform(size=(4, 2))


def test_a_sign_flipped_in_a_layer_of_saturated_units_is_not_passed_in_silence():
    weights, X, Y = saturated()
    _, grads = backprop.gradients(weights, X, Y)
    dW2 = grads[0][0]
    assert 0 < np.max(np.abs(dW2)) < 1e-12 and abs(dW2[1, 1]) > 1e-18     # tiny, and not 0
    report = compare_gradients(weights, X, Y, manual=sign_flipped_at(2, (1, 1)))
    # the flipped entry differs from the engines' by 2 |dW2[1, 1]| = 1.87e-17, far below atol = 1e-12, and the
    # report read "OK: tensor, scalar, numerical, forward agree with manual", nothing more. It stays OK (atol is
    # what the tolerances say; near-cancelling terms part the exact methods as much, where a verdict must not call
    # a right delta rule wrong), but the OK now says where it cannot vouch, and by how much manual differs there:
    # 1.87e-17 of the largest entry |dC/dW^[2]| = 2.09e-16, 0.0895
    assert report.ok
    verdict = report.verdict()
    assert "Note: every entry of W^[2] is below the atol of the exact methods" in verdict
    assert "manual differs from tensor by up to 0.0895 of that largest entry" in verdict
    assert {(m, name) for m, name, _, _ in report.below_atol} == {("tensor", "W^[2]"), ("scalar", "W^[2]"),
                                                                  ("forward", "W^[2]")}
    # the right gradient agrees with the engines there to about 1e-13 of the largest entry: no such note
    right = compare_gradients(weights, X, Y)
    assert right.ok and "below the atol" not in right.verdict()


def test_a_gradient_of_0_everywhere_in_a_layer_is_still_only_noted():
    # W^[3] = 0 makes delta^[2] = 0 in every method: nothing to compare relative to, so it stays an OK with a note
    rng = np.random.default_rng(1)
    weights = [(rng.standard_normal((3, 2)), rng.standard_normal(3)), (np.zeros((1, 3)), np.array([0.2]))]
    report = compare_gradients(weights, rng.uniform(size=(4, 2)), rng.uniform(size=(4, 1)))
    assert report.ok and "are 0 in every entry and every method" in report.verdict()


def test_a_right_gradient_at_a_cost_too_large_for_the_differences_is_not_called_a_wrong_delta():
    # targets of size 1e4 and an identity output: the cost is about 1.9e7, where floats are 3.7e-9 apart, so each
    # central difference carries rounding of about 3.7e-9 / 2e-6 = 1.9e-3; the right delta rule differed from them
    # by up to 2.3e-3 in W^[2] (relative 1e-5, beyond rtol) and the verdict said "MISMATCH ... Check delta^[2]"
    rng = np.random.default_rng(0)
    weights = MLP([2, 3, 1], init="normal", seed=0).get_weights()
    X, Y = rng.uniform(size=(5, 2)), 1e4 * rng.uniform(size=(5, 1))
    options = dict(output_activation="identity", methods=("manual", "numerical"))
    report = compare_gradients(weights, X, Y, **options)
    verdict = report.verdict()
    assert not report.ok           # numerical cannot vouch for it ...
    assert verdict.startswith("THE CENTRAL DIFFERENCES CANNOT RESOLVE THIS") and "Check delta" not in verdict
    assert "floats are 3.73e-09 apart" in verdict and "about 0.0019" in verdict
    # ... and a wrong gradient (dW^[2][2, 0] = -16.36 given as +16.36) is still called wrong there
    off = compare_gradients(weights, X, Y, manual=sign_flipped_at(2, (2, 0)), **options)
    assert off.verdict().startswith("MISMATCH at layer 2 (W^[2])")
    # with an exact method beside the differences, the right gradient agrees with it, as before
    assert compare_gradients(weights, X, Y, output_activation="identity",
                             methods=("manual", "tensor", "numerical")).verdict().startswith(
                                 "ONLY THE CENTRAL DIFFERENCES DISAGREE")


def test_the_below_atol_note_names_a_minimum_of_the_cost_where_the_samples_terms_cancel():
    # a 2 -> 1 identity network at the least-squares weights of noisy targets: each sample's a - y is up to 0.14,
    # yet their sum against the inputs is 0 there, so the gradients are rounding (about 1e-16) and the exact
    # methods part by O(1) of them. The note said only "a mistake ... a - y at a confident output; saturated
    # units ...: check again at weights that do not saturate them", of a network with no unit to saturate
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(6, 2))
    Y = X @ np.array([[0.7], [-0.4]]) + 0.3 + 0.1 * rng.standard_normal((6, 1))
    A = np.hstack([X, np.ones((6, 1))])
    w = np.linalg.lstsq(A, Y, rcond=None)[0]
    residual = A @ w - Y
    assert np.abs(residual).max() > 0.1 and np.abs(A.T @ residual).max() < 1e-14    # terms of 0.1, a sum of ~0
    report = compare_gradients([(w[:2].T.copy(), w[2].copy())], X, Y, output_activation="identity")
    assert report.ok and {name for _, name, _, _ in report.below_atol} == {"W^[2]", "b^[2]"}
    verdict = report.verdict()
    assert "Note: every entry of W^[2], b^[2] is below the atol of the exact methods" in verdict
    assert "the samples' terms near a minimum of the cost, whose sum is 0 there" in verdict
    assert "Check again at other weights: ones that do not saturate the units, away from a minimum of the cost." \
        in verdict
