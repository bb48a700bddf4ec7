"""Mutation testing, fourth round: nn.compare and its Report. Each test is a way a wrong manual gradient (or a
wrong argument) could have read OK: a complex cost cast to its real part, weights changed in place by the manual
function, a tolerance relative to the other method's gradient, an infinite tolerance, an eps of 1 or more, a
NaN bias; and the notes a right report must carry (relu's kink near z = 0, parameters whose gradient is 0)."""

import math

import numpy as np
import pytest

from nn import backprop
from nn.compare import compare_gradients, main, numerical_gradients

X = np.array([[0.0, 1.0], [1.0, 0.5]])
Y = np.array([[0.0], [1.0]])
WEIGHTS = [(np.array([[0.5, -1.0]]), np.array([0.1]))]
TWO_LAYERS = [(np.array([[0.5, -1.0], [0.3, 0.8]]), np.array([0.1, -0.2])), (np.array([[0.7, -0.4]]), np.array([0.2]))]


@pytest.mark.parametrize("cost", [lambda C: np.complex128(C + 5j), lambda C: np.array([C + 0j])],
                         ids=["numpy-complex", "complex-array"])
def test_a_complex_manual_cost_is_refused_by_name_not_read_as_its_real_part(cost):
    # float(np.complex128(c + 5j)) is c (with a ComplexWarning): the costs matched and the report read OK
    def manual(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y)
        return cost(C), grads

    with pytest.raises(ValueError, match=r"^compare_gradients: manual's cost holds complex numbers"):
        compare_gradients(WEIGHTS, X, Y, manual=manual)


def test_a_manual_function_that_changes_the_weights_in_place_does_not_change_them_for_the_other_methods():
    # the gradient at 2W is not the gradient at W: only the other methods' own copy of W can tell
    given = [(W.copy(), b.copy()) for W, b in TWO_LAYERS]

    def doubles_the_weights(weights, X, Y):
        for W, _ in weights:
            W *= 2
        return backprop.gradients(weights, X, Y)

    report = compare_gradients(given, X, Y, methods=("manual", "tensor"), manual=doubles_the_weights)
    assert not report.ok
    for (W, b), (W0, b0) in zip(given, TWO_LAYERS):
        assert np.array_equal(W, W0) and np.array_equal(b, b0)


def test_the_relative_tolerance_scales_the_manual_gradient_not_the_other_methods():
    # |g - g_manual| <= atol + rtol |g_manual|: half the true gradient differs by |g_manual|, more than 0.6 |g_manual|
    # (scaled by the other method's |g| = 2 |g_manual| it would pass: 1.2 |g_manual|)
    def half(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y)
        return C, [(dW / 2, db / 2) for dW, db in grads]

    report = compare_gradients(TWO_LAYERS, X, Y, methods=("manual", "tensor"), manual=half,
                               tolerances={"tensor": (0.6, 0.0)})
    assert not any(r.ok for r in report.rows) and not report.ok


@pytest.mark.parametrize("pair", [(math.inf, 0.0), (0.0, math.inf), (math.nan, 0.0)])
def test_a_tolerance_that_is_not_finite_is_refused_since_it_would_pass_any_gradient(pair):
    with pytest.raises(ValueError, match=r"tolerances\['tensor'\] must be \(rtol, atol\), two finite numbers"):
        compare_gradients(WEIGHTS, X, Y, tolerances={"tensor": pair})


@pytest.mark.parametrize("eps", [1.0, 1.5])
def test_an_eps_of_one_or_more_is_refused(eps):
    with pytest.raises(ValueError, match=r"eps must be a number in \(0, 1\)"):
        compare_gradients(WEIGHTS, X, Y, eps=eps)


def test_a_nan_bias_is_refused_as_a_nan_weight_is():
    with pytest.raises(ValueError, match=r"W\^\[2\] or b\^\[2\] holds NaN or infinite values"):
        compare_gradients([(WEIGHTS[0][0], np.array([np.nan]))], X, Y)


def test_a_masked_array_of_data_is_refused_rather_than_read_without_its_mask():
    with pytest.raises(TypeError, match="X is a masked array"):
        compare_gradients(WEIGHTS, np.ma.masked_array(X, mask=[[0, 1], [0, 0]]), Y)


def test_an_eps_lost_by_five_percent_in_rounding_at_the_weight_is_refused():
    # at w = 2^30 floats are 2.4e-7 apart: w + 1e-6 lands 9.5e-7 away, so the step is 4.6% short of 2 eps
    w = 2.0**30
    assert abs(((w + 1e-6) - w + (w - (w - 1e-6))) / 2e-6 - 1) > 0.02
    with pytest.raises(ValueError, match=r"eps=1e-06 is lost in rounding at W\^\[2\]\[0, 0\]"):
        numerical_gradients([(np.array([[w, 0.0]]), np.zeros(1))], X, Y)


@pytest.mark.parametrize("z", [5e-4, -9e-4])
def test_relu_within_a_thousand_eps_of_its_kink_in_the_output_layer_is_noted(z):
    # z^[2] = b = z for both samples (W = 0): within 1000 eps = 1e-3 of relu's kink, not within eps
    report = compare_gradients([(np.zeros((1, 2)), np.array([z]))], X, Y, activation="relu",
                               output_activation="relu", methods=("manual", "numerical"))
    assert [(l, i, j) for l, i, j, _ in report.kinks] == [(2, 0, 0), (2, 1, 0)]
    assert all(k[3] == pytest.approx(z, rel=1e-12) for k in report.kinks)


def test_a_parameter_is_zero_everywhere_only_when_every_method_says_so():
    # a manual dW^[2] of zeros, where the true one is not: a failure, not a blind spot of the check
    def zero_first_layer(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y)
        return C, [(np.zeros_like(grads[0][0]), grads[0][1]), grads[1]]

    report = compare_gradients(TWO_LAYERS, X, Y, methods=("manual", "tensor"), manual=zero_first_layer)
    assert report.zero == [] and not report.ok


def test_the_command_line_refuses_manual_alone_as_an_argument(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--methods", "manual"])
    assert stop.value.code == 2
    assert "argument --methods: 'manual' leaves nothing to compare" in capsys.readouterr().err


# --- the Report's verdict ------------------------------------------------------------------------------------------
def test_the_cost_tolerance_scales_the_manual_cost_not_the_other_methods():
    # manual C/2 against C differs by C/2 = |C_manual|, more than 0.6 |C_manual| (0.6 |C| would let it pass)
    def half_cost(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y)
        return C / 2, grads

    report = compare_gradients(WEIGHTS, X, Y, methods=("manual", "tensor"), manual=half_cost,
                               tolerances={"tensor": (0.6, 0.0)})
    assert report.cost_mismatches() == ["tensor"] and not report.ok


def test_a_single_entry_the_central_differences_cannot_resolve_is_noted():
    # the first input is 0 in every sample, so dC/dW_11 = 0 exactly: one of the three entries is within atol of 0
    X0 = np.array([[0.0, 1.0], [0.0, 0.5]])
    report = compare_gradients(WEIGHTS, X0, Y, methods=("manual", "numerical"))
    assert report.unresolved == (1, 3)
    assert "Note: 1 of 3 manual gradient entries are within numerical's atol" in report.verdict()


def test_the_relu_kink_note_is_left_out_when_the_central_differences_agree():
    # manual off by 1e-8: within numerical's tolerance, beyond tensor's; the kink cannot explain a tensor mismatch
    weights = [(np.zeros((1, 2)), np.array([5e-4]))]

    def nudged(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y, activation="relu", output_activation="relu")
        return C, [(dW + 1e-8, db + 1e-8) for dW, db in grads]

    report = compare_gradients(weights, X, Y, activation="relu", output_activation="relu",
                               methods=("manual", "tensor", "numerical"), manual=nudged)
    assert report.kinks and {r.method for r in report.failures()} == {"tensor"}
    assert "kink" not in report.verdict()


def test_a_square_gradient_is_called_transposed_only_when_every_entry_is_the_transposes():
    # off-diagonal entries doubled: the diagonal equals the transpose's diagonal, the rest does not
    def doubled_off_diagonal(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y)
        dW = grads[0][0]
        return C, [(2 * dW - np.diag(np.diag(dW)), grads[0][1]), grads[1]]

    report = compare_gradients(TWO_LAYERS, X, Y, methods=("manual", "tensor"), manual=doubled_off_diagonal)
    assert not report.ok and "MISMATCH at layer 2 (W^[2])" in report.verdict()
    assert "transpose" not in report.verdict()
