"""A second hostile audit of compare_gradients: probe points at which a wrong manual gradient agrees with every
method, and the report read OK without a word about it."""

import numpy as np
import pytest

from nn import backprop, compare_gradients


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def hidden_delta_without_sigma_prime(weights, X, Y):
    """The delta rule by hand, rows are samples, with a bug in the hidden layers: delta^[l] = (W^[l+1])^T
    delta^[l+1], sigma'(z^[l]) left out."""
    a = [X]
    for W, b in weights:
        a.append(sigmoid(a[-1] @ W.T + b))
    delta = (a[-1] - Y) * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(weights) - 1, -1, -1):
        grads.insert(0, (delta.T @ a[l] / len(X), delta.mean(axis=0)))
        delta = delta @ weights[l][0]                                   # BUG: no * a[l] * (1 - a[l])
    return 0.5 * np.mean(np.sum((a[-1] - Y) ** 2, axis=1)), grads


def summed_over_the_samples(weights, X, Y):
    """The right delta rule, summed over the samples instead of averaged (the cost is their mean)."""
    C, grads = backprop.gradients(weights, X, Y)
    n_in = np.shape(weights[0][0])[1]
    N = len(np.atleast_2d(X)) if np.shape(X)[-1] == n_in else 1          # rows, one vector, or one column
    return C, [(dW * N, db * N) for dW, db in grads]


def net(output_layer_zero: bool, seed: int = 1):
    rng = np.random.default_rng(seed)
    W3 = np.zeros((1, 3)) if output_layer_zero else 0.5 * rng.standard_normal((1, 3))
    weights = [(0.5 * rng.standard_normal((3, 2)), 0.5 * rng.standard_normal(3)), (W3, np.zeros(1))]
    return weights, rng.uniform(size=(5, 2)), rng.uniform(size=(5, 1))


def test_an_ok_at_zero_output_weights_says_the_hidden_layer_was_not_checked():
    # W^[3] = 0 makes delta^[2] = 0 in every method, the wrong manual one too: the report read a plain OK for a
    # delta rule that is wrong at any other weights
    weights, X, Y = net(output_layer_zero=False)
    assert not compare_gradients(weights, X, Y, manual=hidden_delta_without_sigma_prime).ok   # wrong elsewhere
    weights, X, Y = net(output_layer_zero=True)
    report = compare_gradients(weights, X, Y, manual=hidden_delta_without_sigma_prime)
    _, true = backprop.gradients(weights, X, Y)
    assert not np.any(true[0][0]) and not np.any(true[0][1])             # delta^[2] = (W^[3])^T delta^[3] ... = 0
    assert report.ok                                                      # nothing there disagrees ...
    verdict = report.verdict()                                            # ... and the verdict says why
    assert "Note: the gradients of W^[2], b^[2] are 0 in every entry and every method" in verdict
    assert "W^[3]" not in verdict.split("Note:")[1]
    assert "are 0 in every entry" in str(report)


def test_an_ok_at_random_weights_and_several_samples_has_no_such_note():
    weights, X, Y = net(output_layer_zero=False)
    verdict = compare_gradients(weights, X, Y).verdict()
    assert verdict == "OK: tensor, scalar, numerical, forward agree with manual."


@pytest.mark.parametrize("one", [lambda X: X[:1], lambda X: X[0], lambda X: X[0][:, None]],
                         ids=["one row", "a vector", "a column"])
def test_an_ok_with_one_sample_says_a_sum_over_the_samples_would_agree_too(one):
    weights, X, Y = net(output_layer_zero=False)
    assert not compare_gradients(weights, X, Y, manual=summed_over_the_samples).ok           # 5 samples: 5 times
    report = compare_gradients(weights, one(X), Y[:1], manual=summed_over_the_samples)
    assert report.ok
    assert "Note: one sample, so a gradient summed over the samples agrees with their mean" in report.verdict()


def test_central_differences_at_a_weight_where_eps_is_lost_in_rounding_are_refused_not_a_false_mismatch():
    # floats near 1e10 are 1.9e-6 apart: w + 1e-6 lands 1.9e-6 away, and dividing by 2 eps made the slope
    # mean((z - y) x_1) = 0.025 read 0.0447, so a right manual gradient was called wrong
    W = [(np.array([[1e10, 0.5]]), np.array([0.0]))]
    X, Y = np.array([[1e-6, 1.0], [2e-6, 0.5]]), np.array([[0.3], [0.1]])
    z = X @ W[0][0].T + W[0][1]
    assert np.isclose(np.mean((z - Y) * X[:, :1]), 0.025, rtol=1e-3)      # the slope, by the formula
    assert np.spacing(1e10) > 1e-6
    with pytest.raises(ValueError, match=r"^numerical_gradients: eps=1e-06 is lost in rounding at W\^\[2\]\[0, 0\] "
                                         r"= 10000000000\.0.*leave 'numerical' out"):
        compare_gradients(W, X, Y, activation="identity", methods=("manual", "numerical"))
    assert compare_gradients(W, X, Y, activation="identity", methods=("manual", "tensor")).ok


@pytest.mark.parametrize("factor, ok", [(1.0, True), (1.5, False)])
def test_a_cost_returned_as_a_value_is_compared_by_its_number_not_refused_as_not_one_number(factor, ok):
    # a manual function that computes its cost with the Value engine was told "a cost of type Value; it must be
    # one number"; a Tensor cost was taken. The number is what is compared: 1.5 C is a cost mismatch.
    from autograd import Tensor, Value

    weights, X, Y = net(output_layer_zero=False)
    C, _ = backprop.gradients(weights, X, Y)
    for engine in (Value, Tensor):
        def manual(weights, X, Y, engine=engine):
            C, grads = backprop.gradients(weights, X, Y)
            return engine(C * factor), grads

        report = compare_gradients(weights, X, Y, manual=manual, methods=("manual", "tensor"))
        assert report.costs["manual"] == C * factor
        assert report.ok is ok
        assert ("COST MISMATCH" in report.verdict()) is not ok


def test_a_transposed_gradient_of_a_square_weight_is_named_as_such():
    # W^[3] of shape (3, 3): dW.T has the right shape, so only the numbers fail, and the verdict said "check delta"
    rng = np.random.default_rng(2)
    weights = [(0.5 * rng.standard_normal((3, 2)), 0.5 * rng.standard_normal(3)),
               (0.5 * rng.standard_normal((3, 3)), 0.5 * rng.standard_normal(3))]
    X, Y = rng.uniform(size=(4, 2)), rng.uniform(size=(4, 3))

    def transposed(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y)
        grads[1] = (grads[1][0].T, grads[1][1])
        return C, grads

    _, true = backprop.gradients(weights, X, Y)
    assert not np.allclose(true[1][0], true[1][0].T)                     # not symmetric: the bug shows
    report = compare_gradients(weights, X, Y, manual=transposed)
    assert not report.ok
    assert "manual's dW^[3] is the transpose of tensor's" in report.verdict()
    def doubled(weights, X, Y):
        C, grads = backprop.gradients(weights, X, Y)
        return C, [(2 * dW, db) for dW, db in grads]

    assert "transpose" not in compare_gradients(weights, X, Y, manual=doubled).verdict()   # another error: no hint


def test_compare_gradients_called_inside_no_grad_runs_the_engines_as_outside():
    # the tensor method stopped with backward()'s "does not require grad ... computed inside no_grad()"
    from autograd import no_grad

    weights, X, Y = net(output_layer_zero=False)
    outside = compare_gradients(weights, X, Y)
    with no_grad():
        inside = compare_gradients(weights, X, Y)
        assert not compare_gradients(weights, X, Y, manual=summed_over_the_samples).ok
    assert inside.ok
    for method in ("tensor", "scalar"):
        for (dW, db), (dW0, db0) in zip(inside.gradients[method], outside.gradients[method]):
            np.testing.assert_array_equal(dW, dW0)
            np.testing.assert_array_equal(db, db0)
