"""gradcheck seeds a one-number output with -2 (a vjp that ignores its incoming gradient shows behind .sum()). Where
twice the value or a gradient passes the largest float (8.99e307 to 1.8e308), that seed overflowed: a right
gradient read inf against a NaN difference and failed. It is checked with the seed -1 there (still negative, so a vjp
that takes |g| or max(g, 0) shows); a wrong gradient still fails."""

import warnings

import pytest

from autograd import GradcheckError, Tensor, Value, gradcheck


def scaled(v, c: float):
    return v * c if isinstance(v, Value) else (v * c).sum()


@pytest.mark.parametrize("make", [Value, lambda x: Tensor([x], requires_grad=True)], ids=["Value", "Tensor"])
@pytest.mark.parametrize("x, c", [(1.0, 1e308), (1e-10, 1e308), (0.5, 1.7e308)])
def test_a_right_gradient_whose_double_overflows_passes(make, x, c):
    assert abs(2 * c) == float("inf") or abs(2 * x * c) == float("inf")      # what the seed -2 met
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert gradcheck(lambda v: scaled(v, c), [make(x)])


def test_a_wrong_gradient_there_still_fails():
    # f = x^2 1.2e308 with half the graph cut (x times a copy of x's number): backward() gives x 1.2e308 = 6e307
    # at x = 0.5, the true slope 2 x 1.2e308 = 1.2e308; 2 f(x) = 6e307 is finite, but the gradient's double with
    # the true slope is not, and the seed -1 must not let the half slope pass
    with pytest.raises(GradcheckError, match="1 of 1 gradient entries disagree"):
        gradcheck(lambda v: v * Value(v.data) * 1.2e308, [Value(0.5)])
