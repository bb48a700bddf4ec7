"""Mutation testing of autograd/gradcheck.py, thirteenth round: each test fails on a deliberate mistake (named in
the test's comment) that the rest of the suite let pass. Where the mutant would let the checker pass a wrong
gradient, the test feeds it one that is wrong by construction (an op recorded with a slope other than its value's)
and asserts it is caught; the expected numbers are worked out by hand in the comments."""

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, Value, gradcheck, gradgradcheck, numerical_grad
from autograd.tensor.core import make


def recorded_with_slope(t: Tensor, slope) -> Tensor:
    """t itself as a value, recorded with the derivative ``slope`` (a number or an array of t's shape): right only
    where slope is 1."""
    return make(t.data.copy(), (t,), lambda g: (g * slope,), "recorded_with_slope")


def test_a_gradient_equal_to_the_numeric_one_to_the_bit_passes_at_zero_tolerances():
    # mutant: _agree with |a - n| < atol + rtol |n| instead of <=. At atol = rtol = 0 (both allowed, both >= 0)
    # only an exact match can pass, and PyTorch's allclose passes it. f = 2 t at t = 0.5 with eps = 2**-20:
    # every step and every value is a power-of-two multiple, so the numeric slope is (1 + 2**-19 - (1 - 2**-19))
    # / 2**-19 = 2 exactly, and backward() gives -4 for the seed -2, divided back: 2 exactly. With < it failed.
    x = Tensor([0.5], requires_grad=True)
    assert gradcheck(lambda t: (t * 2.0).sum(), [x], eps=2.0**-20, atol=0.0, rtol=0.0)
    # and a gradient a float off fails there: backward() gives -4 (1 + 2**-52) = -4 - 2**-50, exactly, which is
    # 2 + 2**-51 divided back, against the numeric 2
    assert not gradcheck(lambda t: recorded_with_slope(t, 1.0 + 2.0**-52).sum() * 2.0, [x], eps=2.0**-20,
                         atol=0.0, rtol=0.0, raise_exception=False)


def test_a_tensor_steps_below_a_power_of_two_are_measured_on_their_own_side():
    # mutant: _sides taking the step down as the step up (s_down = _taken(x, idx, eps), not -_taken(x, idx, -eps)).
    # At t = 1.0 floats are 2**-52 apart above and 2**-53 below, so with eps = 50.4 * 2**-52 the floats step up by
    # 50 * 2**-52 and down by 50.5 * 2**-52 (each within the 1% _check_step allows). For f = sum(t) the numeric
    # slope is (50 + 50.5) / (50 + 50.5) = 1 exactly; the mutant divided by 2 * 50 and read 1.005: a right
    # gradient 1 failed and a wrong one, 1.005, passed.
    eps = 50.4 * 2.0**-52
    assert (1.0 + eps) - 1.0 == 50 * 2.0**-52 and 1.0 - (1.0 - eps) == 50.5 * 2.0**-52
    x = Tensor([1.0], requires_grad=True)
    assert gradcheck(lambda t: t.sum(), [x], eps=eps)
    with pytest.raises(GradcheckError, match="1 of 1 gradient entries disagree"):
        gradcheck(lambda t: recorded_with_slope(t, 1.005).sum(), [x], eps=eps)


def test_fast_mode_fails_a_gradient_whose_entries_are_swapped():
    # mutant: fast mode stepping along u = ones instead of a random direction. f = sum(c t) with c = [1, 2, 3],
    # recorded with the gradient [3, 2, 1]: <grad, ones> = 6 either way, so it passed. Along seed 0's direction
    # u = (0.1257, -0.1321, 0.6404) (numpy's default_rng(0)), <[1, 2, 3], u> = 1.7828 and <[3, 2, 1], u> =
    # 0.7534, by hand: far apart.
    c = np.array([1.0, 2.0, 3.0])
    x = Tensor([0.3, -0.7, 1.1], requires_grad=True)
    swapped = lambda t: make(t.data * c, (t,), lambda g: (g * c[::-1],), "swapped").sum()      # noqa: E731
    with pytest.raises(GradcheckError, match="direction u"):
        gradcheck(swapped, [x], fast_mode=True)
    assert gradcheck(lambda t: (t * c).sum(), [x], fast_mode=True)


@pytest.mark.parametrize("check", [gradcheck, numerical_grad])
def test_a_step_rounded_by_a_fifth_is_refused_not_only_a_step_lost_entirely(check):
    # mutant: _check_step allowing the step taken to be 90% off eps instead of 1%. At x = 1e12 floats are
    # 2**-13 = 1.2207e-4 apart, so eps = 1e-4 steps by 1.2207e-4 both ways: 22% more than asked, which the
    # docstring's 1% refuses (the differences then measure a step the user did not choose, at a point where f's
    # values carry rounding of 1e12 * 2**-53 = 1.1e-4, the size of the step). The mutant let it through.
    assert (1e12 + 1e-4) - 1e12 == 2.0**-13 and 1e12 - (1e12 - 1e-4) == 2.0**-13
    with pytest.raises(ValueError, match=r"eps=0.0001 is lost in rounding at x = 1000000000000.0: the step taken "
                                         r"is 0.00012207"):
        check(lambda v: v * 3.0, [Value(1e12, label="x")], eps=1e-4)


@pytest.mark.parametrize("sign_lost", [lambda g: np.abs(g), lambda g: np.maximum(g, 0.0)], ids=["abs", "relu"])
def test_a_vjp_that_loses_the_sign_of_its_incoming_gradient_fails_at_a_scalar_output(sign_lost):
    # mutant: gradcheck's seed +2 instead of -2. f = sum(3 t) recorded with the vjp 3 |g| (or 3 max(g, 0)): right
    # for every g > 0, so a positive seed gives 6, divided back 3, the true slope. The seed -2 gives 6 (or 0),
    # divided back -3 (or 0), against the numeric 3.
    x = Tensor([0.4, -1.3], requires_grad=True)
    f = lambda t: make(t.data * 3.0, (t,), lambda g: (3.0 * sign_lost(g),), "sign_lost").sum()    # noqa: E731
    with pytest.raises(GradcheckError, match="2 of 2 gradient entries disagree"):
        gradcheck(f, [x])
    assert gradcheck(lambda t: (t * 3.0).sum(), [x])


def test_a_vjp_that_loses_the_sign_of_its_incoming_gradient_fails_at_a_vector_output():
    # mutant: a vector output weighted by |r| instead of a random r of both signs. f = 3 t (not summed) recorded
    # with the vjp 3 |g|: right wherever g > 0, so positive weights never show it. Seed 0's weights for shape (3,)
    # are r = (0.1257, -0.1321, 0.6404) (numpy's default_rng(0)): at the second entry backward() gives
    # 3 * 0.1321 = 0.396 against the numeric 3 * -0.1321 = -0.396.
    x = Tensor([0.4, -1.3, 2.2], requires_grad=True)
    f = lambda t: make(t.data * 3.0, (t,), lambda g: (3.0 * np.abs(g),), "sign_lost")     # noqa: E731
    with pytest.raises(GradcheckError, match=r"1 of 3 gradient entries disagree(.|\n)*\(1,\) +0\.396"):
        gradcheck(f, [x])
    assert gradcheck(lambda t: t * 3.0, [x])


def test_a_wrong_gradient_still_shows_when_another_input_s_gradient_is_infinite():
    # mutant: the fallback to the seed -1 taken whether or not it makes backward() finite. It is meant for a right
    # gradient in (8.99e307, 1.8e308] that the seed's factor 2 overflowed; here y's gradient is inf at any seed,
    # so the seed stays -2. x's op returns -3 whatever gradient comes in (a vjp ignoring g, negated): with the
    # seed -2 that reads -3 / -2 = 1.5 against the numeric 3; the mutant's seed -1 read -3 / -1 = 3, and x's two
    # wrong entries left the table, which blamed y alone.
    x = Tensor([0.5, -1.0], requires_grad=True)
    y = Tensor([2.0], requires_grad=True)
    f = lambda a, b: (make(a.data * 3.0, (a,), lambda g: (np.full(2, -3.0),), "negated").sum()    # noqa: E731
                      + make(b.data * 0.0, (b,), lambda g: (g * np.inf,), "infinite").sum())
    with pytest.raises(GradcheckError, match=r"3 of 3 gradient entries disagree(.|\n)*inputs\[0\] +\(0,\) +1\.5 "):
        gradcheck(f, [x, y])


def test_a_tensor_input_that_requires_no_grad_is_refused_by_name_not_tabled_as_a_cut_graph():
    # mutant: _check_inputs without its requires_grad test. backward() leaves such an input's .grad None, so the
    # table read analytic 0 against the numeric 2 and blamed f for cutting its graph; the cause is the input.
    x = Tensor([1.0, 2.0])
    with pytest.raises(ValueError, match=r"gradcheck: inputs\[0\] does not require grad; make it with "
                                         r"requires_grad=True"):
        gradcheck(lambda t: (t * 2.0).sum(), [x])


@pytest.mark.parametrize("check", [gradcheck, numerical_grad])
def test_f_that_clips_a_stepped_tensor_entry_in_place_is_refused(check):
    # mutant: _moved not comparing a Tensor's stepped entry with the step after f ran (only whether .data was
    # replaced). f clips its input to <= 1 in place: at the given point [1, 0.5] it changes nothing, but at
    # 1 + eps it put the entry back to 1, so f was measured at 1 instead, and the slope from the right read 0
    # instead of 3. The refusal names the input; the mutant reported a kink of f instead (or a slope of 1.5).
    def clipping(t):
        t.data[t.data > 1.0] = 1.0
        return (t * 3.0).sum()

    x = Tensor([1.0, 0.5], requires_grad=True)
    with pytest.raises(ValueError, match=r"f changed inputs\[0\] in place"):
        check(clipping, [x])
    np.testing.assert_array_equal(x.data, [1.0, 0.5])


def test_the_hint_that_a_vjp_ignores_its_gradient_is_given_only_when_it_explains_every_wrong_entry():
    # mutant: the hint given when any wrong entry (not all) agrees once multiplied back by the seed -2. x's op
    # returns 2 x whatever gradient comes in (its value is x^2): backward() gives 2 x / -2 = -x, and -x * -2 = 2 x
    # is the numeric slope, so for x alone the hint is right. y's op has the value y and the slope 2: 2 against
    # the numeric 1, and 2 * -2 = -4 is no better, so the hint would blame the seed for y's plain wrong slope.
    ignoring = lambda t: make(t.data ** 2, (t,), lambda g: (2.0 * t.data,), "ignoring_g").sum()   # noqa: E731
    x = Tensor([0.5, -1.5], requires_grad=True)
    y = Tensor([0.7], requires_grad=True)
    hint = "an op's vjp ignores the gradient that comes into it"
    with pytest.raises(GradcheckError, match=r"2 of 2 gradient entries disagree") as alone:
        gradcheck(ignoring, [x])
    assert hint in str(alone.value)
    with pytest.raises(GradcheckError, match=r"3 of 3 gradient entries disagree") as both:
        gradcheck(lambda a, b: ignoring(a) + recorded_with_slope(b, 2.0).sum(), [x, y])
    assert hint not in str(both.value)


def test_a_numeric_gradient_that_is_nan_passes_no_analytic_one():
    # mutant: the failing rows filtered to those whose numeric gradient is a number (r[3] == r[3]), so NaN rows
    # were dropped and gradcheck returned True. f's value is NaN at every point (0/0 inside f, say), recorded with
    # the slope 1: the differences are NaN - NaN = NaN, which measures nothing, so no gradient may pass against it.
    x = Tensor([0.5, -1.5], requires_grad=True)
    f = lambda t: make(np.full(t.data.shape, np.nan), (t,), lambda g: (g * 1.0,), "nan_valued").sum()  # noqa: E731
    with pytest.raises(GradcheckError, match=r"2 of 2 gradient entries disagree(.|\n)*\(0,\) +1 +nan"):
        gradcheck(f, [x])
    assert gradcheck(f, [x], raise_exception=False) is False


def test_a_step_rounded_on_the_way_down_only_is_refused_too():
    # mutant: _check_step measuring the step up alone (not the smaller of the steps up and down). At x = -1 floats
    # are 2**-53 apart towards 0 and 2**-52 apart below, so eps = 10.5 * 2**-52 steps up by exactly eps but down by
    # 10 * 2**-52 (a tie, rounded to even): 4.8% short, beyond the 1% the docstring allows.
    eps = 10.5 * 2.0**-52
    assert (-1.0 + eps) - -1.0 == eps and -1.0 - (-1.0 - eps) == 10 * 2.0**-52
    with pytest.raises(ValueError, match=r"is lost in rounding at x = -1.0: the step taken is 2.22045e-15"):
        gradcheck(lambda v: v * 3.0, [Value(-1.0, label="x")], eps=eps)


def test_a_tensor_input_the_output_ignores_has_the_gradient_zero_and_passes():
    # mutant: _analytic filling the gradient of a Tensor input backward() never reached (.grad None) with ones
    # instead of zeros. f ignores b, so both sides are 0: the numeric one because f did not move, the analytic one
    # because no path leads to b. The mutant failed this right gradient (1 against 0).
    a, b = Tensor([0.5, -1.0], requires_grad=True), Tensor([[2.0, 3.0]], requires_grad=True)
    assert gradcheck(lambda s, t: (s * 2.0).sum(), [a, b])
    assert gradcheck(lambda s, t: s * 2.0, [a, b])


def test_gradgradcheck_tells_a_curving_gradient_from_a_kink_at_a_large_eps():
    # mutant: gradgradcheck's kink test taking a jump that shrinks tenfold at eps/10 (0.05 to 20 times the jump at
    # eps, not 0.5 to 2) for a kink. f = x^4 at x = 1 with eps = 0.01: the gradient 4 x^3 has the one-sided slopes
    # (4 - 4 * 0.99^3) / 0.01 = 11.8804 and (4 * 1.01^3 - 4) / 0.01 = 12.1204, a jump of 0.24 (beyond 1e-5 +
    # 1e-3 * 12.12) that is f'''(x) eps = 24 * 0.01 and shrinks to 0.024 at eps/10: a curve, not a kink. The central
    # difference (4 * 1.01^3 - 4 * 0.99^3) / 0.02 = 12.0004 agrees with f'' = 12 x^2 = 12; the mutant reported
    # a kink of the gradient.
    assert gradgradcheck(lambda v: v ** 4, [Value(1.0)], eps=0.01)
