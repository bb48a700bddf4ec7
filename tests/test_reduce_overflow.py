"""mean and var where a sum inside them leaves the float range but the result does not.

numpy's mean adds first and divides last, so the mean of [1e308, 1e308] is inf; its var squares the deviations
before it divides, so the var of [1.5e154, -1.5e154, 0, ...] is inf although it is 4.5e305. The oracle here is
exact arithmetic (fractions.Fraction of the floats, rounded once at the end), never the code's own output.
"""

from fractions import Fraction

import numpy as np
import pytest

from autograd import Tensor, grad

# numpy's reductions warn of the overflow they meet on the way; the results below are what is checked
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                                        "ignore:invalid value encountered:RuntimeWarning")


def exact_mean(xs):
    return sum(Fraction(float(x)) for x in xs) / len(xs)


def exact_var(xs, ddof=0):
    m = exact_mean(xs)
    return sum((Fraction(float(x)) - m) ** 2 for x in xs) / (len(xs) - ddof)


def rounded(q):
    """A Fraction rounded once to a float (inf beyond the float range)."""
    try:
        return float(q)
    except OverflowError:
        return float("inf") if q > 0 else float("-inf")


@pytest.mark.parametrize("xs", [[1e308, 1e308], [1.5e308, 1.7e308, 1e308], [-1e308, -1.7e308], [1e308, 1e308, -5.0]])
def test_mean_of_entries_whose_sum_overflows_is_their_mean_not_inf(xs):
    x = Tensor(xs, requires_grad=True)
    y = x.mean()
    assert y.item() == pytest.approx(rounded(exact_mean(xs)), rel=1e-15)
    y.backward()
    np.testing.assert_array_equal(x.grad, np.full(len(xs), 1 / len(xs)))     # d mean/dx_i = 1/n, unchanged


def test_mean_along_an_axis_mends_only_the_row_that_overflowed():
    rows = np.array([[1e308, 1e308, 1e308], [0.1, 0.2, 0.7], [np.inf, 1.0, 2.0], [np.inf, -np.inf, 0.0]])
    y = Tensor(rows).mean(axis=1).data
    assert y[0] == pytest.approx(1e308, rel=1e-15)
    assert y[1] == np.mean(rows[1])                           # a row in range: numpy's number, bit for bit
    assert y[2] == np.inf and np.isnan(y[3])                  # true infinities stay as numpy has them


def test_mean_of_float32_entries_whose_sum_overflows_float32_keeps_its_dtype():
    x = Tensor(np.array([3e38, 3e38, 3e38], dtype=np.float32))
    y = x.mean()
    assert y.dtype == np.float32
    assert float(y.data) == pytest.approx(float(np.float32(3e38)), rel=1e-6)


@pytest.mark.parametrize("xs", [
    [1.5e154, -1.5e154] + [0.0] * 998,        # squares of 2.25e308 each: their sum overflows, the var is 4.5e305
    [1e308, 1e308],                           # the mean overflowed (inf), so every deviation was -inf: var 0
    [1.7e308, 1.6e308, 1.5e308],
    [1.1e154, 1.2e154, -1.1e154, 0.4e154, -0.2e154],   # a square alone overflows (1.9e308): var 7.3e307
])
def test_var_is_right_where_the_squares_or_the_mean_overflow_but_the_var_does_not(xs):
    x = Tensor(xs, requires_grad=True)
    for ddof in (0, 1):
        y = x.var(ddof=ddof)
        assert y.item() == pytest.approx(rounded(exact_var(xs, ddof)), rel=1e-13, abs=0.0)
    x.var().backward()
    m = exact_mean(xs)
    expected = [rounded(2 * (Fraction(v) - m) / len(xs)) for v in xs]     # dy/dx_i = 2 (x_i - m) / n
    np.testing.assert_allclose(x.grad, expected, rtol=1e-13, atol=0)


def test_var_that_truly_overflows_stays_inf_and_an_infinite_entry_gives_nan_as_numpy():
    assert Tensor([1e200, -1e200]).var().item() == np.inf       # 1e400
    assert np.isnan(Tensor([np.inf, 1.0]).var().item())         # numpy: inf - inf in the deviations
    assert np.isnan(Tensor([np.nan, 1.0]).var().item())


def test_var_along_an_axis_mends_the_overflowing_row_and_keeps_the_others_bit_for_bit():
    rows = np.array([[1.5e154, -1.5e154, 0.0, 0.0], [0.1, 0.2, 0.3, 0.9]])
    y = Tensor(rows).var(axis=1, keepdims=True).data
    assert y.shape == (2, 1)
    assert y[0, 0] == pytest.approx(rounded(exact_var(rows[0])), rel=1e-14)
    assert y[1, 0] == np.var(rows[1])


def test_var_gradient_with_create_graph_is_the_first_order_one_where_the_mean_overflows():
    x = Tensor([1e308, 1e308, 1e308], requires_grad=True)
    (d,) = grad(x.var(), [x], create_graph=True)
    np.testing.assert_array_equal(d.data, [0.0, 0.0, 0.0])                 # 2 (x_i - m) / n with m = x_i
    x = Tensor([1.5e154, -1.5e154, 0.0, 0.0], requires_grad=True)
    (d,) = grad(x.var(), [x], create_graph=True)
    np.testing.assert_allclose(d.data, [1.5e154 / 2, -1.5e154 / 2, 0.0, 0.0], rtol=1e-15)


def test_var_of_float32_entries_whose_squares_overflow_float32_keeps_its_dtype_and_digits():
    xs = np.zeros(100, dtype=np.float32)
    xs[0], xs[1] = 2e19, -2e19                      # squares 4e38 > float32's 3.4e38; the var is 8e36
    x = Tensor(xs, requires_grad=True)
    y = x.var()
    assert y.dtype == np.float32
    assert float(y.data) == pytest.approx(rounded(exact_var(xs)), rel=1e-6)
    y.backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad[:2], [float(xs[0]) / 50, float(xs[1]) / 50], rtol=1e-6)
