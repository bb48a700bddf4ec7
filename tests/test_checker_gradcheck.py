"""A hostile audit of gradcheck, gradgradcheck and numerical_grad: inputs for which they passed a wrong gradient,
failed a right one, or stopped without naming the problem."""

import math
import random

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, Value, gradcheck, gradgradcheck, numerical_grad
from autograd.tensor.core import make


def square_forgetting_g(x: Tensor) -> Tensor:
    """x^2 whose vjp returns 2x whatever gradient comes in: right only where that gradient is 1."""
    return make(x.data ** 2, (x,), lambda g: (2 * x.data,), "square_forgetting_g")


def wrong_cube(x: Value) -> Value:
    """x^3 recorded with the partial 1 (that of x * 1): backward() gives 1 where the slope is 3x^2."""
    out = x * 1.0
    out.data = x.data ** 3
    return out


# --- a vjp that ignores its incoming gradient -------------------------------------------------------------------


@pytest.mark.parametrize("fast_mode", [False, True])
@pytest.mark.parametrize("shape", [(3,), ()], ids=["summed", "0-d output"])
def test_a_vjp_that_ignores_its_incoming_gradient_fails_behind_sum_and_at_a_scalar_output(shape, fast_mode):
    # f(x) = sum(x^2) seeds the op with g = 1 everywhere, where 2x and 2x g are the same numbers: backward() seeded
    # with 1 could not tell them apart, and gradcheck passed
    x = Tensor(np.linspace(0.3, 1.7, 3).reshape(shape) if shape else 0.7, requires_grad=True)
    f = (lambda t: square_forgetting_g(t).sum()) if shape else square_forgetting_g
    assert gradcheck(lambda t: (t * t).sum(), [x], fast_mode=fast_mode)              # the right op passes
    assert not gradcheck(f, [x], fast_mode=fast_mode, raise_exception=False)
    with pytest.raises(GradcheckError, match="ignores the gradient that comes into it"):
        gradcheck(f, [x], fast_mode=fast_mode)


def test_the_table_shows_the_gradient_for_a_seed_of_1_as_before():
    # backward() is seeded with -2 and the result divided by -2: a power of two, so a right op gives the very same
    # floats as with seed 1, and the table the numbers the user knows (here 3x^2 recorded as 1, at x = 2)
    x = Value(2.0, label="x")
    with pytest.raises(GradcheckError) as info:
        gradcheck(wrong_cube, [x])
    row = next(line for line in str(info.value).splitlines() if line.startswith("x "))
    analytic, numeric = (float(s) for s in row.split()[1:3])
    assert analytic == 1.0
    assert math.isclose(numeric, 3 * 2.0 ** 2, rel_tol=1e-9)
    assert "ignores the gradient" not in str(info.value)


# --- tolerances and steps -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
@pytest.mark.parametrize("name", ["atol", "rtol"])
def test_an_infinite_tolerance_is_refused_rather_than_passing_any_gradient(check, name):
    with pytest.raises(ValueError, match=rf"^{check.__name__}: {name}=inf must be a finite number >= 0"):
        check(wrong_cube, [Value(2.0)], **{name: math.inf})


def test_a_step_rounded_at_a_large_input_is_measured_not_assumed():
    # At 3e7 + 0.5, floats are 3.7e-9 apart: x + 1e-6 lands 0.9984e-6 away. Dividing by 2e-6 made the slope of
    # (x - 3e7)^2, exactly 1 there, come out 0.9984, and a right gradient failed (allowed 1e-3 relative).
    x0 = 3e7 + 0.5
    assert gradcheck(lambda t: (t - 3e7) ** 2, [Value(x0)])
    assert gradcheck(lambda t: ((t - 3e7) ** 2).sum(), [Tensor([x0, x0 + 0.25], requires_grad=True)])
    assert gradcheck(lambda t: ((t - 3e7) ** 2).sum(), [Tensor([x0, x0 + 0.25], requires_grad=True)], fast_mode=True)
    (g,) = numerical_grad(lambda t: (t - 3e7) ** 2, [Value(x0)])
    assert math.isclose(g, 2 * (x0 - 3e7), rel_tol=1e-9)                 # d/dx (x - c)^2 = 2 (x - c) = 1
    assert gradgradcheck(lambda t: (t - 3e7) ** 3, [Value(x0)])


# --- kinks near the point ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("f, x0, slope", [(lambda v: v.relu(), 0.3e-6, 1.0), (lambda v: v.abs(), -0.5e-6, -1.0),
                                          (lambda v: v.relu(), 0.07e-6, 1.0)])
def test_a_kink_within_eps_of_the_point_is_named_not_left_as_a_wrong_gradient(f, x0, slope):
    # relu at 0.3e-6 has slope 1 and backward() says 1, but x - eps lies across the kink: the central difference
    # is 0.65. The failure must say so, with the finer difference that agrees.
    with pytest.raises(GradcheckError, match=r"(?s)slope changes within eps.*kink") as info:
        gradcheck(f, [Value(x0)])
    assert f"{slope:g}" in str(info.value)


@pytest.mark.parametrize("eps", [0.1, 1.0])
def test_an_eps_too_large_for_a_smooth_f_is_named_as_such_not_as_a_kink(eps):
    # ((1 + e)^3 - (1 - e)^3) / (2e) = 3 + e^2: 3.01 at eps = 0.1 against backward()'s 3; a smaller step agrees.
    # The hint must blame eps and the curvature, not a kink that is not there.
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda v: v * v * v, [Value(1.0)], eps=eps)
    message = str(info.value)
    assert f"eps={eps:g} is too large for f's curvature" in message
    assert "kink" not in message
    row = next(line for line in message.splitlines() if line.startswith("inputs[0]"))
    assert math.isclose(float(row.split()[2]), 3 + eps ** 2, rel_tol=1e-9)


def test_a_wrong_gradient_of_a_smooth_f_gets_no_kink_hint():
    with pytest.raises(GradcheckError) as info:
        gradcheck(wrong_cube, [Value(0.3)])
    assert "kink" not in str(info.value)


def test_gradgradcheck_names_a_kink_of_the_gradient_instead_of_a_cut_graph():
    # f = relu(x) x: f' = 2 relu(x) jumps in slope at 0 (0 on the left, 2 on the right); backward()'s f''(0) = 0 is
    # relu's convention, not a cut graph
    for x in ([Value(0.0)], [Tensor([0.0, 1.0], requires_grad=True)]):
        f = (lambda t: (t.relu() * t).sum()) if isinstance(x[0], Tensor) else (lambda t: t.relu() * t)
        with pytest.raises(GradcheckError, match="kink") as info:
            gradgradcheck(f, x)
        assert "cut the graph" not in str(info.value)


# --- what f and its arguments are ---------------------------------------------------------------------------------


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_f_that_returns_a_graph_built_before_the_call_is_refused_by_name(check):
    x = Value(1.5)
    y = x * x * x
    with pytest.raises(ValueError, match=rf"^{check.__name__}: f returned the same node on two calls"):
        check(lambda t: y, [x])
    t = Tensor([1.0, 2.0], requires_grad=True)
    s = (t * t).sum()
    with pytest.raises(ValueError, match="same node"):
        check(lambda u: s, [t])


def test_gradgradcheck_names_an_f_that_is_not_deterministic():
    rng = random.Random(0)
    with pytest.raises(ValueError, match=r"^gradgradcheck: .*at the same inputs"):
        gradgradcheck(lambda t: t * t * t * (1 + 1e-3 * rng.random()), [Value(1.0)])


@pytest.mark.parametrize("grad_outputs, error, says", [
    (np.array([1 + 1j, 2.0]), TypeError, "real"),
    (np.array([np.nan, 2.0]), ValueError, "finite"),
    (np.zeros(2), ValueError, "all 0"),
    ("ab", TypeError, "str"),
])
def test_gradgradcheck_refuses_grad_outputs_that_check_nothing_or_lose_numbers(grad_outputs, error, says):
    # complex ones lost their imaginary part to a cast, zeros made every second derivative 0 = 0 (True), NaN made
    # every entry NaN, a string stopped inside numpy
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(error, match=rf"^gradgradcheck: grad_outputs .*{says}"):
        gradgradcheck(lambda t: t * t * t, [x], grad_outputs=grad_outputs)
    assert gradgradcheck(lambda t: t * t * t, [x], grad_outputs=np.array([0.0, 1.0]))   # one output: allowed


def test_a_kink_at_one_entry_does_not_hide_a_wrong_gradient_at_another():
    # abs at 0 in entry 0 is a kink; entry 1's vjp is wrong. Only the kink table was raised, and a user who took
    # the failure for the kink's moved on with a wrong gradient.
    t = Tensor([0.0, 0.7], requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda t: (t.abs() + square_forgetting_g(t)).sum(), [t])
    message = str(info.value)
    assert "kink at 1 input entry" in message
    wrong = [line.split() for line in message.splitlines() if line.startswith("inputs[0]") and "(1,)" in line]
    assert len(wrong) == 1
    assert math.isclose(float(wrong[0][-3]), 1 + 2 * 0.7, rel_tol=1e-6)   # numeric: d/dt (|t| + t^2) = 1 + 2t


def test_gradgradcheck_refuses_an_f_that_changes_its_input_at_a_stepped_point_and_gives_it_back():
    # f wrote 5 into t[1] whenever t[0] > 1, that is at t[0] + eps: the table measured another point, and the
    # caller's t came back as [1, 5]
    t = Tensor([1.0, 2.0], requires_grad=True)

    def f(u):
        if u.data[0] > 1.0:
            u.data[1] = 5.0
        return (u * u * u).sum()

    with pytest.raises(ValueError, match=r"^gradgradcheck: f changed inputs\[0\] in place"):
        gradgradcheck(f, [t])
    assert t.data.tolist() == [1.0, 2.0]
    v = Value(1.0)

    def g(a):
        if a.data > 1.0:
            a.data = 7.0
        return a * a * a

    with pytest.raises(ValueError, match=r"^gradgradcheck: f changed inputs\[0\] in place"):
        gradgradcheck(g, [v])
    assert v.data == 1.0


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
@pytest.mark.parametrize("seed", [-1, 1.5, "0"])
def test_a_seed_numpy_cannot_take_is_named_by_the_check(check, seed):
    # numpy said "expected non-negative integer", naming neither the check nor its argument
    with pytest.raises(TypeError, match=rf"^{check.__name__}: seed must be a whole number >= 0"):
        check(lambda t: (t * t * t).sum(), [Tensor([1.0, 2.0], requires_grad=True)], seed=seed)
    assert check(lambda t: (t * t * t).sum(), [Tensor([1.0, 2.0], requires_grad=True)], seed=np.int64(3))


def test_a_failure_within_fs_own_rounding_says_the_check_cannot_resolve_it():
    # x + 1e8 has slope 1, but floats near 1e8 are 1.5e-8 apart: each difference is off by up to 1.5e-8 / 2e-6,
    # about 0.0075, against an allowance of 0.001. The table alone read as a wrong gradient.
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda v: v + 1e8, [Value(0.3)])
    message = str(info.value)
    assert "rounding" in message and "cannot tell a right gradient" in message
    spacing = float(np.spacing(1e8))
    assert f"{spacing:.2g} apart" in message
    with pytest.raises(GradcheckError) as info:                  # wrong by far more than the rounding: no hint
        gradcheck(wrong_cube, [Value(2.0)])
    assert "rounding" not in str(info.value)
