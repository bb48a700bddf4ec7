"""Mutation testing of gradcheck's comparison: each test fails on a deliberate mistake in autograd/gradcheck.py
that the rest of the suite let pass (the mutant is named in the test's comment). A checker that passes a wrong
gradient is the worst failure, so each one is checked against a gradient that is wrong by construction."""

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, gradcheck
from autograd.tensor.core import make


def scaled_slope(x: Tensor, value_scale: float, slope: float) -> Tensor:
    """value_scale * x, entry by entry, recorded with the slope ``slope``: the gradient is wrong unless the two
    agree, and its error is known exactly (the numeric slope is value_scale)."""
    return make(x.data * value_scale, (x,), lambda g: (g * slope,), "scaled_slope")


@pytest.mark.filterwarnings("ignore:overflow encountered")
def test_an_infinite_numeric_gradient_passes_no_analytic_one():
    # mutant: _agree without its isfinite test. x 1e308 with x = 1.7976931: f(x) = 1.7976931e308 and
    # f(x - eps) are finite, f(x + eps) overflows, so the numeric gradient is +inf (not NaN, as at the edge
    # of test_gradcheck's x^2 1e308). |7 - inf| <= atol + rtol * inf held for the wrong analytic 7.
    # (It took x = 0.8988465 once, where only f(x + eps) times gradcheck's seed -2 overflowed: the differences
    # are now taken of f weighted by 1, where that numeric gradient is the finite 1e308.)
    x = Tensor([1.7976931], requires_grad=True)
    f = lambda t: scaled_slope(t, 1e308, 7.0).sum()                        # noqa: E731
    assert np.isfinite(1.7976931 * 1e308) and not np.isfinite((1.7976931 + 1e-6) * 1e308)
    with pytest.raises(GradcheckError, match=r"(?s)1 of 1 gradient entries disagree.*\binf\b.*not finite"):
        gradcheck(f, [x])
    assert gradcheck(f, [x], raise_exception=False) is False


@pytest.mark.parametrize("slope, passes", [(1.095, True), (1.105, False), (0.905, True), (0.895, False)])
def test_the_allowance_is_rtol_times_the_numeric_gradient_not_the_analytic_one(slope, passes):
    # mutant: rtol * max(|numeric|, |analytic|). With numeric slope 1 and rtol 0.1 the allowance is 0.1 + 1e-5
    # (PyTorch's |a - n| <= atol + rtol |n|, as the docstring states): 1.105 is off by 0.105 and fails; with
    # rtol |a| its allowance would be 0.1105, and it passed.
    x = Tensor([0.3, -1.2], requires_grad=True)
    f = lambda t: scaled_slope(t, 1.0, slope).sum()                        # noqa: E731
    assert gradcheck(f, [x], rtol=0.1, raise_exception=False) is passes


def test_a_vjp_that_ignores_its_gradient_fails_at_a_vector_output():
    # mutant: a vector output weighted by ones instead of random numbers. x^2 whose vjp returns 2x whatever
    # gradient comes in is right at g = 1 everywhere; gradcheck must weight the outputs so that it shows.
    x = Tensor([0.5, -1.5, 2.0], requires_grad=True)
    f = lambda t: make(t.data ** 2, (t,), lambda g: (2 * t.data,), "square_forgetting_g")   # noqa: E731
    with pytest.raises(GradcheckError, match="disagree"):
        gradcheck(f, [x])
    right = lambda t: t * t                                                  # noqa: E731
    assert gradcheck(right, [x])
