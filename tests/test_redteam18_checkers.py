"""Red-team of the gradient checkers: inputs where a check passed a wrong gradient, or blamed a right one.

A gradient entry smaller than atol (1e-5) passed whatever backward() gave there, 0, its negative or twice it:
an f of small scale (1e-8 * a loss) or a vanishing gradient hid every planted bug, in PyTorch's gradcheck too.
gradcheck now measures how finely the differences resolve such an entry, and fails a disagreement far beyond it.
"""

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, Value, gradcheck, gradgradcheck, numerical_grad
from autograd.tensor.core import make


def square_with_factor(t: Tensor, factor: float) -> Tensor:
    """t * t, recorded with the derivative factor * 2t: right only for factor 1."""
    return make(t.data * t.data, (t,), lambda g: (g * factor * 2.0 * t.data,), "square_with_factor")


X0 = np.array([0.3, -0.7, 1.1])


@pytest.mark.parametrize("factor", [2.0, -1.0, 0.0])
@pytest.mark.parametrize("fast_mode", [False, True])
def test_a_wrong_gradient_of_a_tiny_f_fails_instead_of_passing_under_atol(factor, fast_mode):
    # f = 1e-8 sum(x^2): its gradient 2e-8 x is at most 2.2e-8, below atol = 1e-5, so |analytic - numeric|
    # <= atol held for a backward() doubled, negated or 0, and all three passed (as in torch.autograd.gradcheck).
    # The differences resolve it far finer: f's rounding is about 1e-24 / 2e-6.
    x = Tensor(X0.copy(), requires_grad=True)
    by_hand = 2e-8 * X0
    assert np.all(np.abs(by_hand) < 1e-5)
    with pytest.raises(GradcheckError, match=r"agree only within atol=1e-05, which is larger than the gradient"):
        gradcheck(lambda t: square_with_factor(t, factor).sum() * 1e-8, [x], fast_mode=fast_mode)
    assert gradcheck(lambda t: square_with_factor(t, 1.0).sum() * 1e-8, [x], fast_mode=fast_mode)
    np.testing.assert_array_equal(x.data, X0)


def test_the_report_names_the_entry_and_the_factor_it_is_off_by():
    x = Tensor(X0.copy(), requires_grad=True, name="x")
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda t: square_with_factor(t, 2.0).sum() * 1e-8, [x])
    message = str(caught.value)
    # the largest disagreement is at x[2] = 1.1: analytic 4.4e-8 against the slope 2.2e-8, twice it
    assert "3 of 3 gradient entries" in message
    assert "at x (2,): analytic 4.4e-08, numeric 2.2" in message
    assert "(2 times the numeric one)" in message
    assert "f * 1e8" in message


def test_a_wrong_gradient_of_a_tiny_value_f_fails_too():
    # the Value engine: f = 1e-9 a b at a = 0.5, b = -2, whose gradient (1e-9 b, 1e-9 a) a backward() recorded
    # with the partials swapped gives as (5e-10, -2e-9)
    a, b = Value(0.5, label="a"), Value(-2.0, label="b")

    def swapped(u: Value, v: Value) -> Value:
        out = u * v
        if out.parents:                          # (none where the check evaluates f inside no_grad())
            out.partials = (u.data, v.data)      # d/du should be v, d/dv should be u
        return out * 1e-9

    with pytest.raises(GradcheckError, match=r"2 of 2 gradient entries agree only within atol"):
        gradcheck(swapped, [a, b])
    assert gradcheck(lambda u, v: u * v * 1e-9, [a, b])


def test_a_wrong_first_layer_under_a_vanishing_gradient_fails():
    # v sigmoid(40 w x): at w x = 0.4 the gradient of w is v 40 x sigma'(16) = 9e-7, below atol, and a factor 2
    # in it passed, while the output weight's gradient (about 1) is checked as before
    x = Tensor([0.4])
    w = Tensor([1.0], requires_grad=True)
    v = Tensor([0.5], requires_grad=True)

    def net(w_: Tensor, v_: Tensor, factor: float) -> Tensor:
        z = make(w_.data * x.data * 40, (w_,), lambda g: (g * factor * x.data * 40,), "scaled")
        return (z.sigmoid() * v_).sum()

    with pytest.raises(GradcheckError, match=r"1 of 2 gradient entries agree only within atol"):
        gradcheck(lambda w_, v_: net(w_, v_, 2.0), [w, v])
    assert gradcheck(lambda w_, v_: net(w_, v_, 1.0), [w, v])


@pytest.mark.parametrize("x", [0.7042590907271514, 0.7642991174116077])
def test_a_right_gradient_of_an_f_rounded_inside_is_not_called_wrong(x):
    # sigmoid(30 x) - 1 is about -7e-10, but 1 + exp(-30 x) inside it is a multiple of 2.2e-16: f is a staircase.
    # At x = 0.7043 its differences at eps, 2 eps, eps/3 and eps/10 all read 1.9984e-8 (30, 60, 10 and 3 stairs)
    # against the slope 2.0019e-8 (0.17% off, more than rtol); only a step of 10 eps sees another number of stairs
    v = Value(x)
    assert gradcheck(lambda a: (a * 30).sigmoid() - 1.0, [v])


def test_a_right_gradient_where_f_rounds_to_one_number_at_every_step_passes():
    # log(sigmoid(z)) at z = 470 is log(1) = 0 at x and at every step, while its slope is 9e-204: the
    # differences measured nothing, so nothing is claimed (as before)
    f = lambda a: (((a * 10 + 7).relu() * 6 + 5).relu() * 10).sigmoid().log() / 50      # noqa: E731
    assert gradcheck(f, [Value(0.0)])


def test_an_entry_checked_by_rtol_keeps_its_allowance():
    # a gradient of about 1 off by 5e-4 is within rtol = 1e-3, and an explicit atol = 2e-4 for one off by
    # 1e-4 is the user's: the new check looks only where atol exceeds the gradient itself
    x = Tensor([0.5, 1.0], requires_grad=True)
    assert gradcheck(lambda t: square_with_factor(t, 1.0005).sum() * 0.5, [x])
    assert gradcheck(lambda t: square_with_factor(t, 1.0001).sum() * 0.5, [x], atol=2e-4, rtol=0.0)


def test_an_f_that_changes_after_its_third_call_is_named_not_its_gradient():
    # f doubles after its third call (a counter, as running statistics or a cache would be): the probe, the
    # determinism check and backward() saw x^2, the differences 2 x^2, and the table blamed backward() (0.6
    # against 1.2 at x = 0.3)
    calls = [0]

    def f(a: Value) -> Value:
        calls[0] += 1
        return a * a * (2.0 if calls[0] > 3 else 1.0)

    with pytest.raises(ValueError, match=r"f gave 0\.09 at the inputs before the differences and 0\.18 after them: "
                                         r"it draws random numbers or keeps state"):
        gradcheck(f, [Value(0.3)])


def test_a_dropout_mask_that_agreed_at_the_first_two_calls_is_named_not_a_cut_graph():
    # a mask of one entry drawn inside f (p = 1/2) gave the same number at gradcheck's first two calls, then 0
    # at backward() and 0.3 at the steps: the table said "f may cut the graph" (analytic 0, numeric 1.5e5)
    rng = np.random.default_rng(2)
    masks = np.random.default_rng(2).random(4) < 0.5
    assert masks[0] == masks[1] and masks[2] != masks[0]       # what the two looks and backward() drew

    def dropped(t: Tensor) -> Tensor:
        return (t * Tensor((rng.random(t.data.shape) < 0.5).astype(float))).sum()

    with pytest.raises(ValueError, match=r"before the differences and .* after them: it draws random numbers"):
        gradcheck(dropped, [Tensor([0.3], requires_grad=True)])


def test_f_computed_in_float32_inside_is_named_beside_the_table():
    # (x as float32)^2 cast back to float64: its result passes the float64 check, but float32's rounding
    # (1.2e-7 of 0.49) over 2 eps moved the difference at -0.7 to -1.4186 against backward()'s -1.4, and the
    # table alone blamed backward()
    x = Tensor([0.3, -0.7], requires_grad=True)
    f = lambda t: (t.astype(np.float32).astype(np.float64) ** 2).sum()     # noqa: E731
    with pytest.raises(GradcheckError, match=r"f computes in float32 inside \(its op 'astype', shape \(2,\)\)"):
        gradcheck(f, [x])
    with pytest.raises(GradcheckError) as caught:                         # a float64 f: no such line
        gradcheck(lambda t: square_with_factor(t, 2.0).sum(), [x])
    assert "float32" not in str(caught.value)


@pytest.mark.parametrize("engine", ["tensor", "value"])
def test_a_jump_of_f_at_the_point_is_named_not_blamed_on_backward(engine):
    # (x >= 0.3) + x^2 at x = 0.3: f(x - eps) lacks the 1, so the central difference is 1 / (2 eps) + 0.6 =
    # 500000.6, and the table called backward()'s 0.6 wrong. The left slope, 1 / eps, grows tenfold with each
    # tenfold smaller step, which no kink (whose slopes stay) and no curve (whose gap shrinks) does.
    if engine == "tensor":
        x = Tensor([0.3, 1.7], requires_grad=True, name="x")
        f = lambda t: (Tensor((t.data >= 0.3).astype(float)) + t * t).sum()     # noqa: E731
    else:
        x = Value(0.3, label="x")
        f = lambda v: v * v + float(v.data >= 0.3)                             # noqa: E731
    with pytest.raises(GradcheckError) as caught:
        gradcheck(f, [x])
    message = str(caught.value)
    assert message.startswith("gradcheck: f jumps at x")
    assert "from the left and 0.600001 from the right" in message
    assert "disagree" not in message                       # x[1] = 1.7, away from the step, is right and passes
    # away from the step the same f passes, and near it (0.5 eps) the old hint stays
    x.data = np.array([0.31, 1.7]) if engine == "tensor" else 0.31
    assert gradcheck(f, [x])


def test_a_smooth_f_with_a_large_curvature_is_not_called_a_jump():
    # x^-2 at 0.01 with eps = 1e-3: the one-sided slopes part by about f'' eps = 6e5 and the central difference is
    # off by 0.2%; the gap shrinks tenfold at eps/10, as a curve's does, so the report says eps is too large
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda v: v ** -2, [Value(0.01)], eps=1e-3)
    assert "eps=0.001 is too large for f's curvature" in str(caught.value)
    assert "jumps" not in str(caught.value)


def test_a_long_table_names_its_largest_error_not_only_its_first_twenty_rows():
    # 30 entries off by 0.01 and one, x[27], off by 5: the table lists its first 20 rows, and the 5 was left
    # in "... and 10 more", so the report read as a small error everywhere
    data = np.linspace(0.5, 1.5, 30)
    x = Tensor(data.copy(), requires_grad=True, name="x")
    error = np.full(30, 0.01)
    error[27] = 5.0
    f = lambda t: make(t.data * t.data, (t,), lambda g: (g * (2 * t.data + error),), "off").sum()   # noqa: E731
    with pytest.raises(GradcheckError) as caught:
        gradcheck(f, [x])
    assert f"the largest |error|, 5, is at x (27,): analytic {2 * data[27] + 5:.9g}, numeric " in str(caught.value)


def test_gradgradcheck_fails_a_wrong_second_derivative_of_a_tiny_f():
    # f = 1e-8 sum(t * t.data): the gradient 1e-8 t.data moves with t at the steps (slope 1e-8), but the
    # second-order graph holds t.data constant (0). Both are below atol, and 0 passed for 1e-8 with |0 - 1e-8|
    # <= 1e-5; at f's own scale (1, without 1e-8) the same cut fails.
    x = Tensor([0.3, -0.6], requires_grad=True, name="x")
    cut = lambda t: (t * Tensor(t.data)).sum() * 1e-8                  # noqa: E731
    with pytest.raises(GradcheckError, match=r"^gradgradcheck: 2 of 4 second derivative entries agree only within "
                                             r"atol=1e-05.*most at x/x \(.\,\)/\(.\,\): analytic 0, numeric 1\.2"):
        gradgradcheck(cut, [x])
    assert gradgradcheck(lambda t: (t * t * t).sum() * 1e-8, [x])          # 6e-8 t, right, passes


@pytest.mark.parametrize("f, shown", [
    (lambda t: bool(t.data[0] >= 0.3), "bool True"),
    (lambda t: int(t.data[0] >= 0.3), "int 1"),
    (lambda t: (t.data >= 0.3).sum(), "int64"),
], ids=["bool", "int", "numpy int"])
def test_numerical_grad_refuses_a_bool_or_whole_number_result_instead_of_a_jump_as_a_slope(f, shown):
    # x >= 0.3 at x = 0.3 is True at x and x + eps, False at x - eps: numerical_grad returned (1 - 0) / 2e-6 =
    # 500000 as the slope of a function that has none there (and 0 everywhere else)
    x = Tensor([0.3, 1.7], requires_grad=True)
    with pytest.raises(ValueError, match=rf"^numerical_grad: f returned {shown}.*constant or changes in jumps"):
        numerical_grad(f, [x])
    np.testing.assert_array_equal(x.data, [0.3, 1.7])
    with pytest.raises(ValueError, match="a constant f has the gradient 0"):    # a constant int is no jump
        numerical_grad(lambda t: 0, [x])


@pytest.mark.parametrize("x", [0.10954773869346734, 0.3])
def test_a_staircase_f_whose_difference_agrees_is_not_called_a_jump(x):
    # (x + 1e7) - 1e7 is a multiple of 1.86e-9: its one-sided slopes part tenfold more at each tenfold smaller
    # step, as at a jump, but its central difference at eps agrees with backward()'s 1, and it passes as it did
    assert gradcheck(lambda a: (a + 1e7) - 1e7, [Value(x)])


def test_a_staircase_f_whose_difference_disagrees_is_named_as_rounding_not_as_a_jump():
    # (x + 1e8) - 1e8 rises in stairs of 1.49e-8: at x = 0.1 the difference reads 1.0058 for backward()'s 1, and
    # the bare table blamed backward(); the stairs are named, far lower than a jump's (slope * eps = 1e-6)
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda a: (a + 1e8) - 1e8, [Value(0.1)])
    message = str(caught.value)
    assert "f rises in stairs of about 1.5e-08" in message
    assert "each difference carries up to 0.0075 of rounding" in message
    assert "jumps" not in message
