"""Red-team of gradcheck: an f whose value is so large that its own rounding hides the slope. Each value of f is
off by up to half a float spacing, so a central difference is off by up to spacing(|f|) / (2 eps); where that is
more than the allowance atol + rtol |numeric|, the check cannot tell a right gradient from a wrong one, and a pass
there vouched for nothing."""

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, Value, gradcheck, gradgradcheck
from autograd.tensor.core import make


def recorded_with_slope(t: Tensor, slope) -> Tensor:
    """t itself as a value, recorded with the derivative ``slope``: right only where slope is 1."""
    return make(t.data.copy(), (t,), lambda g: (g * slope,), "recorded_with_slope")


def test_a_cut_graph_hidden_by_fs_rounding_is_not_passed():
    # f = 1e15 + 1e-3 x: the true slope is 1e-3. Floats near 1e15 are 0.125 apart, so x +- 1e-6 moves f by
    # 1e-9, far below one spacing: f(x + eps) = f(x - eps) = 1e15 exactly, the numeric slope reads 0, and a graph
    # cut inside f (backward() gives 0) passed, with |0 - 0| <= 1e-5.
    assert 1e15 + 1e-3 * (0.3 + 1e-6) == 1e15 + 1e-3 * (0.3 - 1e-6)
    x = Tensor([0.3], requires_grad=True)
    cut = lambda t: (recorded_with_slope(t * 1e-3, 0.0) + 1e15).sum()              # noqa: E731
    with pytest.raises(GradcheckError, match=r"cannot be checked.*0\.125 apart.*6\.2e\+04"):
        gradcheck(cut, [x])
    assert not gradcheck(cut, [x], raise_exception=False)
    v = Value(0.3, label="v")                                                      # the Value engine alike
    with pytest.raises(GradcheckError, match=r"1 of 1 gradient entries cannot be checked"):
        gradcheck(lambda a: a * 0.0 + (Value(float(a.data)) * 1e-3 + 1e15), [v])
    # with f's constant part subtracted, the same cut graph fails as a cut graph, and the right slope passes
    with pytest.raises(GradcheckError, match="cut the graph"):
        gradcheck(lambda t: recorded_with_slope(t * 1e-3, 0.0).sum(), [x])
    assert gradcheck(lambda t: (t * 1e-3).sum(), [x])


def test_a_wrong_slope_equal_to_the_rounded_difference_is_not_passed():
    # f = 1e10 + x: floats near 1e10 are 2**-19 = 1.9e-6 apart, so the central difference of x at 0.3 reads
    # 2**-19 / 2e-6 = 0.95367431640625, not 1. A backward() recorded with exactly that slope (wrong by 4.6%) passed.
    x = Tensor([0.3], requires_grad=True)
    wrong = 2.0**-19 / 2e-6
    with pytest.raises(GradcheckError, match=r"cannot be checked.*1\.91e-06 apart"):
        gradcheck(lambda t: (recorded_with_slope(t, wrong) + 1e10).sum(), [x])
    # the right slope still fails there, with the rounding named, as before
    with pytest.raises(GradcheckError, match=r"1 of 1 gradient entries disagree[\s\S]*floats are 1\.9e-06 apart"):
        gradcheck(lambda t: (t + 1e10).sum(), [x])


def test_a_difference_at_a_smaller_step_that_rounds_to_0_is_not_called_agreement():
    # f = 1e10 + x with backward() giving 0 (a cut graph): at eps / 10 the central difference rounds to 0 as
    # well, and the report said "the central difference with eps/10 is 0, which agrees with backward()". It is
    # rounding, not agreement: no such hint, and the cut graph is named.
    x = Tensor([0.3], requires_grad=True)
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda t: (recorded_with_slope(t, 0.0) + 1e10).sum(), [x])
    assert "agrees with backward()" not in str(caught.value)
    assert "cut the graph" in str(caught.value)


def test_an_f_of_moderate_size_is_checked_as_before():
    # f about 1e4 (spacing 1.8e-12, rounding 9e-7 per difference, below atol 1e-5): an input f ignores passes
    # with 0 = 0, and a slope off by a tenth fails as a plain disagreement
    x = Tensor(np.array([0.3, -1.2]), requires_grad=True)
    y = Tensor(np.array([0.5]), requires_grad=True)
    assert gradcheck(lambda a, b: (a * a).sum() + 1e4 + b.sum() * 0.0, [x, y])
    with pytest.raises(GradcheckError, match=r"1 of 1 gradient entries disagree"):
        gradcheck(lambda t: (recorded_with_slope(t, 1.1) + 1e4).sum(), [Tensor([0.3], requires_grad=True)])


def test_a_right_gradient_hidden_by_fs_rounding_is_not_blamed_on_a_result_computed_before_the_call():
    # f = 1e15 + 1e-3 x, right: backward() gives 1e-3, the difference 0 (one float at x +- eps). The report said
    # "f may use a result computed before the check called it": f does not; the rounding is named instead.
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda t: (t * 1e-3 + 1e15).sum(), [Tensor([0.3], requires_grad=True)])
    assert "computed before" not in str(caught.value)
    assert "floats are 0.12 apart" in str(caught.value)


def test_gradgradcheck_does_not_pass_a_second_derivative_hidden_by_the_gradients_rounding():
    # f = 1e15 x + 5e-4 x^2: the gradient 1e15 + 1e-3 x (times gradgradcheck's random weight w = 0.1257 for
    # seed 0) is one float at x +- eps, so the numeric second derivative reads 0. A second-order graph cut inside
    # f (x times a constant copy of x: the second derivative 0 instead of 1e-3 w) passed.
    x = Tensor([0.3], requires_grad=True)
    cut = lambda t: (t * 1e15 + 1e-3 * t * Tensor(t.data)).sum()                  # noqa: E731
    with pytest.raises(GradcheckError, match=r"^gradgradcheck: 1 of 1 second-derivative entries cannot be checked"
                                             r".*the gradient is about 1\.2573e\+14.*are the same float"):
        gradgradcheck(cut, [x])
    # the right one fails there with the rounding named, not as "f may use a result computed before the call"
    with pytest.raises(GradcheckError) as caught:
        gradgradcheck(lambda t: (t * 1e15 + 5e-4 * t * t).sum(), [x])
    assert "computed before" not in str(caught.value)
    assert "cannot tell a right second derivative from one off by that much" in str(caught.value)
    # and without the large linear part both are told apart: 1e-3 w against 0
    assert gradgradcheck(lambda t: (5e-4 * t * t).sum(), [x])
    with pytest.raises(GradcheckError, match="1 of 1 second-derivative entries"):
        gradgradcheck(lambda t: (1e-3 * t * Tensor(t.data)).sum(), [x])


def test_a_wrong_slope_within_a_rounding_twenty_times_the_allowance_is_not_passed():
    # f = 1e9 + x: floats near 1e9 are 2**-23 = 1.19e-7 apart, f(x +- 1e-6) lie 17 of them apart, and the central
    # difference reads 17 * 2**-23 / 2e-6 = 1.01327896..., while its rounding (0.06) is 60 times the allowance. A
    # backward() recorded with that slope (1.3% wrong) passed.
    x = Tensor([0.3], requires_grad=True)
    wrong = 17 * 2.0**-23 / 2e-6
    with pytest.raises(GradcheckError, match=r"cannot be checked.*1\.19e-07 apart.*lie only 17 floats apart"):
        gradcheck(lambda t: (recorded_with_slope(t, wrong) + 1e9).sum(), [x])
