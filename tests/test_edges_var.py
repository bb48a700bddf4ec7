"""var at the top of the float range.

Where numpy's sum of huge entries overflows, the mean is taken from entries scaled by a power of 2, and it can be one
ulp off: Tensor([1.7e308] * 3).var(ddof=1) then had deviations of one ulp, 2^971, whose squares overflow, and gave
inf where every deviation is 0 (and slopes of 2 ulp / 3 = 6.65e291 where they are 0). Distinct entries that large
have deviations whose squares truly overflow, so there the variance is inf: it is finite only for equal entries, or
for entries below 1.34e154. The oracle is exact arithmetic (fractions.Fraction of the floats, rounded once).
"""

import warnings
from fractions import Fraction

import numpy as np
import pytest

from autograd import Tensor

BIG = float(np.finfo(np.float64).max)


def _errors_but_the_overflow_that_is_mended():
    """Every warning is an error but numpy's overflow in the ordinary pass (the mean's sum, the squares), which
    _var_scaled then mends: an errstate around that pass would cost every var call (see tests/test_edges_quiet_losses
    for the losses, which are quiet). An overflow in the mending itself (ldexp) stays an error."""
    warnings.simplefilter("error")
    warnings.filterwarnings("ignore", r"overflow encountered in (reduce|multiply|subtract)", RuntimeWarning)


def exact_var(xs, ddof=0):
    f = [Fraction(float(x)) for x in xs]
    m = sum(f) / len(f)
    return sum((v - m) ** 2 for v in f) / (len(f) - ddof)


def exact_slopes(xs, ddof=0):
    """dvar/dx_i = 2 (x_i - m) / (n - ddof), exactly."""
    f = [Fraction(float(x)) for x in xs]
    m = sum(f) / len(f)
    return [2 * (v - m) / (len(f) - ddof) for v in f]


def rounded(q):
    return float(q) if abs(q) <= Fraction(BIG) else float("inf") * (1 if q > 0 else -1)


@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("value", [1.7e308, BIG, -1.7e308, 9e307])
def test_var_of_equal_huge_entries_is_zero_and_so_is_its_gradient(value, ddof):
    x = Tensor([value] * 3, requires_grad=True)
    with warnings.catch_warnings():
        _errors_but_the_overflow_that_is_mended()
        y = x.var(ddof=ddof)
        y.backward()
    assert y.item() == 0.0
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0])


def test_var_of_equal_huge_float32_entries_is_zero_and_keeps_its_dtype():
    x = Tensor(np.full(3, 3e38, dtype=np.float32), requires_grad=True)
    with warnings.catch_warnings():
        _errors_but_the_overflow_that_is_mended()
        y = x.var(ddof=1)
        y.backward()
    assert y.data.dtype == np.float32 and y.item() == 0.0
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0])


def test_var_along_an_axis_mends_the_huge_row_and_keeps_the_others_bit_for_bit():
    rows = np.array([[1.7e308, 1.7e308, 1.7e308], [1.0, 2.0, 4.0], [1.2e154, -1.2e154, 0.0]])
    x = Tensor(rows, requires_grad=True)
    with warnings.catch_warnings():
        _errors_but_the_overflow_that_is_mended()
        y = x.var(axis=1, ddof=1, keepdims=True)
        y.sum().backward()
    assert y.data.shape == (3, 1)
    assert y.data[0, 0] == 0.0
    assert y.data[1, 0] == np.var(rows[1], ddof=1)                        # numpy's own number where it fits
    assert y.data[2, 0] == rounded(exact_var(rows[2], ddof=1))
    for i in (0, 2):
        np.testing.assert_array_equal(x.grad[i], [rounded(s) for s in exact_slopes(rows[i], ddof=1)])


@pytest.mark.parametrize("xs", [
    [1.2e154, -1.2e154, 0.0],                                   # squares of 1.44e308: their sum overflows
    [1e154, -1e154, 1e-300, 5e-324],                            # tiny entries beside them
    [1.3e154, 1.3e154, -1.3e154, 0.5e154, 0.0, 2.0],
    [1e308] * 1000,                                             # the mean's sum overflows, the deviations are 0
])
def test_var_of_huge_entries_is_the_exact_variance_rounded_and_its_gradient_the_exact_slopes(xs):
    for ddof in (0, 1):
        x = Tensor(xs, requires_grad=True)
        with warnings.catch_warnings():
            _errors_but_the_overflow_that_is_mended()
            y = x.var(ddof=ddof)
            y.backward()
        assert y.item() == pytest.approx(rounded(exact_var(xs, ddof)), rel=4e-16, abs=0.0)
        np.testing.assert_allclose(x.grad, [rounded(s) for s in exact_slopes(xs, ddof)], rtol=1e-13, atol=0.0)


@pytest.mark.parametrize("xs", [[1.7e308, -1.7e308, 1.7e308], [1.7e308, 1e-300, 1.7e308], [2e154, -2e154]])
def test_var_that_truly_overflows_is_inf_and_says_so(xs):
    assert rounded(exact_var(xs)) == np.inf
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert Tensor(xs).var().item() == np.inf


def test_var_second_derivative_through_create_graph_is_the_first_order_slope_where_the_mean_overflowed():
    x = Tensor([[1.7e308] * 3, [1.0, 2.0, 4.0]], requires_grad=True)
    with warnings.catch_warnings():
        _errors_but_the_overflow_that_is_mended()
        x.var(axis=1).sum().backward(create_graph=True)
        first = x.grad
    np.testing.assert_array_equal(first.data[0], [0.0, 0.0, 0.0])     # not 2 ulp / 3 = 6.65e291 each
    np.testing.assert_array_equal(first.data[1], [2 * (v - 7 / 3) / 3 for v in (1.0, 2.0, 4.0)])


@pytest.mark.parametrize("value, n, dtype", [(1.7e308, 3, np.float64), (BIG, 5, np.float64), (-1.1e308, 7, np.float64),
                                             (3e38, 3, np.float32)])
def test_mean_of_equal_entries_whose_sum_overflows_is_that_entry_exactly(value, n, dtype):
    # the scaled mean 1.7e308 / 4 * 3 / 3 rounds twice: it came out one ulp below 1.7e308
    with warnings.catch_warnings():
        _errors_but_the_overflow_that_is_mended()
        y = Tensor(np.full(n, value, dtype=dtype)).mean()
    assert y.data.dtype == dtype and y.item() == float(dtype(value))


def test_mean_of_distinct_huge_entries_is_within_half_an_ulp_of_the_exact_mean():
    xs = [1.7e308, 1.3e308, 1.1e308, 1.6999999999999997e308, 0.9e308]
    exact = sum(Fraction(x) for x in xs) / len(xs)
    with warnings.catch_warnings():
        _errors_but_the_overflow_that_is_mended()
        got = Tensor(xs).mean().item()
    assert abs(Fraction(got) - exact) <= Fraction(float(np.spacing(1.7e308))) / 2


def test_mean_along_an_axis_keeps_numpys_inf_and_nan_beside_a_mended_row():
    rows = np.array([[1.7e308] * 3, [1.0, 2.0, np.inf], [np.nan, 1.0, 2.0], [np.inf, -np.inf, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = Tensor(rows).mean(axis=1)
    assert y.data[0] == 1.7e308 and y.data[1] == np.inf and np.isnan(y.data[2]) and np.isnan(y.data[3])
