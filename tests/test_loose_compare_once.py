"""compare_gradients converts X and Y to float64 once: a list of 1,000 MNIST rows takes about 60 ms to convert, and
it was converted four times (the complex test, the argument check, the budget's sample count, the methods' copy)."""

import numpy as np
import pytest

from nn import compare_gradients
from nn.backprop import gradients


class Rows:
    """Data handed over through ``__array__`` only (as a list or a DataFrame is): counts its conversions."""

    def __init__(self, array):
        self.array, self.conversions = array, 0

    def __array__(self, dtype=None, copy=None):
        self.conversions += 1
        return self.array if dtype is None else self.array.astype(dtype)


def _problem():
    rng = np.random.default_rng(3)
    weights = [(0.5 * rng.standard_normal((3, 4)), 0.1 * rng.standard_normal(3)),
               (0.5 * rng.standard_normal((2, 3)), 0.1 * rng.standard_normal(2))]
    return weights, rng.uniform(size=(6, 4)), rng.uniform(size=(6, 2))


def test_x_and_y_are_each_converted_once_and_every_method_sees_their_numbers():
    weights, X, Y = _problem()
    x_rows, y_rows = Rows(X), Rows(Y)
    report = compare_gradients(weights, x_rows, y_rows, methods=("manual", "tensor", "numerical"))
    assert (x_rows.conversions, y_rows.conversions) == (1, 1)
    # the numbers behind the conversion, not something else: the delta rule on the arrays themselves
    C, expected = gradients(weights, X, Y)
    assert report.costs["tensor"] == pytest.approx(C, rel=1e-13)
    for (dW, db), (eW, eb) in zip(report.gradients["tensor"], expected):
        np.testing.assert_allclose(dW, eW, rtol=1e-11, atol=1e-15)
        np.testing.assert_allclose(db, eb, rtol=1e-11, atol=1e-15)
    assert report.ok


@pytest.mark.parametrize("bad, error, words", [
    ([[1.0 + 2.0j] * 4] * 6, TypeError, "X holds complex numbers"),
    ([[10**400] * 4] * 6, ValueError, "X holds a number too large for a float"),
    ([[1.0] * 4] * 5 + [[1.0] * 3], TypeError, "X must be an array of numbers, got list"),
    ([["a"] * 4] * 6, TypeError, "X must be an array of numbers, got list"),
])
def test_x_refused_in_the_words_it_was_refused_in_before_the_single_conversion(bad, error, words):
    weights, _, Y = _problem()
    with pytest.raises(error, match=words):
        compare_gradients(weights, bad, Y)
