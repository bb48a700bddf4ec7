"""checker5's audit of gradcheck, gradgradcheck and numerical_grad: a right gradient failed (or a wrong number
returned) where the difference f(x + eps) - f(x - eps) overflowed though the slope fits a float, and an f that
numerical_grad measured without the checks gradcheck makes."""

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, Value, gradcheck, gradgradcheck, numerical_grad

# a slope that fits a float (below 1.797e308) whose difference over two steps of 1 does not: f(1) - f(-1) = 3e308
C = 1.5e308


def _tensor(value: float) -> Tensor:
    return Tensor(np.full(3, value), requires_grad=True)


# --- a difference that overflows where the slope does not ------------------------------------------------------


@pytest.mark.parametrize("scheme", ["central", "forward"])
def test_numerical_grad_of_a_slope_near_the_largest_float_is_that_slope_not_inf(scheme):
    # f(x) = C x at 0 with eps = 1: (C - (-C)) / 2 is C, but C - (-C) overflowed to inf first, and numerical_grad
    # returned [inf] for a slope of 1.5e308 (the forward scheme's C - 0 fits, and must stay C)
    (g,) = numerical_grad(lambda v: v * C, [Value(0.0)], eps=1.0, scheme=scheme)
    assert g == C                                   # the slope of a line, by hand
    (G,) = numerical_grad(lambda t: (t * C).sum(), [_tensor(0.0)], eps=1.0, scheme=scheme)
    np.testing.assert_array_equal(G, np.full(3, C))


@pytest.mark.parametrize("fast_mode", [False, True])
def test_gradcheck_passes_a_right_gradient_whose_difference_overflows(fast_mode):
    # the table read "numeric inf" and blamed f for overflowing at x + eps, where f(+-1) = +-1.5e308 fit
    assert gradcheck(lambda v: v * C, [Value(0.0)], eps=1.0, fast_mode=fast_mode)
    assert gradcheck(lambda t: (t * C).sum(), [_tensor(0.0)], eps=1.0, fast_mode=fast_mode)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_gradchecks_own_seed_overflowing_a_right_gradient_warns_nothing():
    # backward() seeded with -2 overflows C (t * C's vjp, g * C), which gradcheck then takes again with -1: numpy's
    # "overflow encountered in multiply" was about gradcheck's seed, not about f, and f itself overflows nowhere
    assert gradcheck(lambda t: (t * C).sum(), [_tensor(0.0)], eps=1.0)


def test_gradgradcheck_passes_a_right_second_derivative_whose_difference_overflows():
    # f = (C / 2) x^2: its gradient C x is +-1.5e308 at x = +-1, the second derivative C; the difference of the two
    # gradients overflowed and a right create_graph gradient failed against "numeric inf"
    assert gradgradcheck(lambda v: v * v * (C / 2), [Value(0.0)], grad_outputs=1.0, eps=1.0)
    x = _tensor(0.0)
    assert gradgradcheck(lambda t: t * t * (C / 2), [x], grad_outputs=np.ones(3), eps=1.0)


def test_a_wrong_gradient_there_still_fails_and_an_f_that_overflows_still_reads_inf():
    # the halved difference is only taken where f(x + eps) and f(x - eps) are both finite: one step that made f
    # itself overflow leaves the numeric gradient non-finite, which passes no analytic one
    with pytest.raises(GradcheckError, match="not finite"):
        gradcheck(lambda v: v * v * C, [Value(0.5)], eps=1.0)
    (g,) = numerical_grad(lambda v: v * v * C, [Value(0.5)], eps=1.0)
    assert not np.isfinite(g)
    # a right-sized but wrong gradient: the recorded partial is C / 2 where the slope is C
    def half(v: Value) -> Value:
        out = v * (C / 2)
        out.data = v.data * C
        return out
    with pytest.raises(GradcheckError) as info:
        gradcheck(half, [Value(0.0)], eps=1.0)
    row = next(line for line in str(info.value).splitlines() if line.startswith("inputs[0]"))
    analytic, numeric = (float(s) for s in row.split()[1:3])
    assert (analytic, numeric) == (C / 2, C)


def _square_of_large(v):
    """(1e154 v)^2 = 1e308 v^2, built so that no node's gradient overflows with the seed -2: only f * -2 does."""
    return (v * 1e154) * (v * 1e154)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_the_seed_of_backward_does_not_make_the_differences_overflow(fast_mode):
    # f(1.1) = 1.21e308 and f(-0.9) = 8.1e307 fit a float, f's slope at 0.1 is 2e307 (by hand: 2 * 1e308 * 0.1),
    # and backward() seeded with -2 gives -4e307, which fits too; but the differences were taken of f * -2, which
    # overflowed at x + eps: the right gradient failed against "numeric inf", said to be f overflowing
    (g,) = numerical_grad(_square_of_large, [Value(0.1)], eps=1.0)
    assert g == pytest.approx(2e307, rel=1e-12)
    assert gradcheck(_square_of_large, [Value(0.1)], eps=1.0, fast_mode=fast_mode)
    x = Tensor([0.1, -0.1], requires_grad=True)
    assert gradcheck(lambda t: _square_of_large(t).sum(), [x], eps=1.0, fast_mode=fast_mode)


# --- the forward scheme's step --------------------------------------------------------------------------------------


def test_the_forward_scheme_divides_by_the_step_the_floats_took_as_central_differences_do():
    # at x = 3e7 + 0.5 floats are 3.7e-9 apart and x + 1e-6 lands 0.9984e-6 away: divided by 1e-6, the slope 1 of
    # the identity read 0.99838 (a 0.16% error no truncation explains), where the central scheme read 1
    x = 3e7 + 0.5
    taken = (x + 1e-6) - x
    assert abs(taken - 1e-6) > 1e-3 * 1e-6                     # the premise: the step is not eps here
    (g,) = numerical_grad(lambda v: v, [Value(x)], scheme="forward")
    assert g == pytest.approx(1.0, rel=1e-12, abs=0)
    (G,) = numerical_grad(lambda t: (t * 4.0).sum(), [Tensor([x, -x], requires_grad=True)], scheme="forward")
    np.testing.assert_allclose(G, [4.0, 4.0], rtol=1e-12)    # 4 (x + step) and 4 x are exact: a power of two


# --- inputs that share a name ---------------------------------------------------------------------------------------


def _wrong_double(x: Tensor) -> Tensor:
    """2 x recorded with the slope 3: wrong in every entry, by 1."""
    from autograd.tensor.core import make
    return make(x.data * 2, (x,), lambda g: (g * 3,), "wrong_double")


def test_a_kink_in_one_input_does_not_hide_a_wrong_entry_of_another_input_of_the_same_name():
    # two layers' weights are both named "weight": relu's kink at a[0] hid b[0]'s wrong gradient (the rows at a
    # kink were told by name and index), and b[1]'s row read "weight (1,)", which either input could be
    a = Tensor([0.0, 1.0], requires_grad=True, name="weight")
    b = Tensor([0.5, 1.0], requires_grad=True, name="weight")
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, b: (a.relu() + _wrong_double(b)).sum(), [a, b])
    text = str(info.value)
    assert "2 of 4 gradient entries disagree" in text
    rows = [line for line in text.splitlines() if line.startswith("weight (inputs[1]) ")]
    assert [r.split()[2] for r in rows] == ["(0,)", "(1,)"]
    assert "weight (inputs[0]) (0,)" in text                  # the kink, at the first input


def test_gradgradcheck_tells_inputs_of_the_same_name_apart():
    a, b = Value(0.3, label="w"), Value(0.7, label="w")
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(lambda a, b: a * b * b + wrong_cube(a), [a, b])
    text = str(info.value)
    assert "w (inputs[0])/w (inputs[0])" in text and "w/w " not in text


def wrong_cube(x: Value) -> Value:
    """x^3 recorded with the partial 3x^2 as a number: its second derivative through create_graph is 0, not 6x."""
    out = x * (3 * x.data ** 2)
    out.data = x.data ** 3
    return out


# --- a result computed before the call, behind a new node -----------------------------------------------------------


def test_a_graph_built_before_the_call_behind_a_new_node_gets_a_hint_not_a_bare_table():
    # lambda x: y * 2 makes a new node on every call (so it is not refused as "the same node"), but y's number was
    # computed before: the steps leave f as it was (numeric 0), backward() reaches x through y (analytic 2 x * 2),
    # and the bare table read as a wrong backward()
    x = Value(1.5, label="x")
    y = x * x
    with pytest.raises(GradcheckError, match="exactly 0 against an analytic one") as info:
        gradcheck(lambda v: y * 2.0, [x])
    assert "cut the graph" not in str(info.value)
    t = Tensor([1.0, 2.0], requires_grad=True)
    s = t * t
    with pytest.raises(GradcheckError, match="computed before the check"):
        gradcheck(lambda u: (s * 2.0).sum(), [t])
    # a wrong backward() whose numeric side is not 0 gets no such hint
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda b: _wrong_double(b).sum(), [Tensor([0.5, 1.0], requires_grad=True)])
    assert "exactly 0" not in str(info.value)


def test_gradgradcheck_names_itself_when_it_refuses_its_inputs():
    # the input checks were gradcheck's and said "gradcheck:" inside gradgradcheck
    x = Value(1.0)
    with pytest.raises(ValueError, match=r"^gradgradcheck: inputs\[0\] and inputs\[1\] are the same Value"):
        gradgradcheck(lambda a, b: a * b, [x, x])
    t = Tensor(np.ones(2), requires_grad=True)
    t.data.flags.writeable = False
    with pytest.raises(ValueError, match=r"^gradgradcheck: inputs\[0\]'s array is read-only"):
        gradgradcheck(lambda a: (a * a).sum(), [t])
    with pytest.raises(TypeError, match=r"^gradgradcheck: inputs\[0\] is a float"):
        gradgradcheck(lambda a: a * a, [1.0])
