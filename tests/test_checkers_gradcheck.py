"""A third hostile audit of gradcheck, gradgradcheck and numerical_grad: results in float32, inputs returned as
they are and gradients of the wrong shape, for which they returned a wrong number, passed, refused a right f, or
stopped with numpy's words."""

import math
import re
from typing import Any

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, Value, gradcheck, gradgradcheck, numerical_grad
from autograd.tensor.core import make

# --- f computed in float32 --------------------------------------------------------------------------------------


def squares_in_float32(t: Tensor) -> Tensor:
    return (t * t).sum().astype(np.float32)


def test_numerical_grad_of_f_that_returns_float32_is_refused_not_a_wrong_number():
    # sum(t^2) has the slopes 2t = [2, 4]; cast to float32 its differences at eps = 1e-6 read [1.907, 3.815],
    # returned as they were
    t = Tensor([1.0, 2.0], requires_grad=True)
    (g,) = numerical_grad(lambda u: (u * u).sum(), [t])                       # float64: the slopes 2t
    np.testing.assert_allclose(g, 2 * t.data, rtol=1e-8)
    with pytest.raises(ValueError, match=r"^numerical_grad: f returned a result of dtype float32.*float64"):
        numerical_grad(squares_in_float32, [t])
    assert t.data.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_gradcheck_of_f_that_returns_float32_names_the_dtype_instead_of_failing_a_right_gradient(check):
    # backward() gave the right 2t; the float32 differences did not, and the table read as a wrong gradient
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=rf"^{check.__name__}: f returned a result of dtype float32"):
        check(squares_in_float32, [t])
    with pytest.raises(ValueError, match="dtype float32"):
        check(lambda u: (u * u * u).astype(np.float32), [t])              # a result of several entries too


@pytest.mark.parametrize("check", [gradcheck, numerical_grad])
def test_a_value_whose_data_was_set_to_a_numpy_float32_is_refused_by_name(check):
    # v.data = t.data[0] of a float32 array: v + eps was rounded to float32, and the right slope 3 v^2 = 3.63 of v^3
    # at v = 1.1 read 3.625 (a false failure; numerical_grad returned 3.625)
    v = Value(1.1)
    assert math.isclose(numerical_grad(lambda a: a * a * a, [v])[0], 3 * 1.1 ** 2, rel_tol=1e-8)
    v.data = np.float32(1.1)
    with pytest.raises(ValueError, match=rf"^{check.__name__}: inputs\[0\] holds a numpy float32.*float\(\.\.\.\)"):
        check(lambda a: a * a * a, [v])
    w = Value(2.0)
    w.data = np.float64(2.0)                                                # float64 numpy scalars are fine
    assert gradcheck(lambda a: a * a * a, [w])


# --- an empty result -----------------------------------------------------------------------------------------


def test_f_that_returns_an_empty_tensor_still_checks_that_backward_gives_0():
    # sum(f(x) * r) over no entry is 0 at every point, so the numeric gradient is 0, and a vjp that returns numbers
    # for an empty incoming gradient fails against it: the check is not vacuous, and is not refused
    t = Tensor([1.0, 2.0], requires_grad=True)
    assert gradcheck(lambda u: (u * u)[0:0], [t])
    assert not gradcheck(lambda u: make(u.data[0:0], (u,), lambda g: (np.ones(2),), "ones"), [t],
                         raise_exception=False)


# --- a gradient of the wrong shape or dtype ------------------------------------------------------------------------


def square_with_grad(x: Tensor, lay_out: Any = None, dtype: Any = np.float64) -> Tensor:
    """x^2 whose vjp, marked exact (taken as it is by backward()), returns the right numbers 2 x g, but laid out
    by ``lay_out`` and cast to ``dtype``."""

    def vjp(g):
        grad = 2 * x.data * g
        return ((grad if lay_out is None else lay_out(grad)).astype(dtype),)

    vjp.exact = True
    return make(x.data ** 2, (x,), vjp, "square_with_grad")


@pytest.mark.parametrize("fast_mode", [False, True])
@pytest.mark.parametrize("lay_out, shape, dtype", [
    (lambda g: g[None, :], (1, 3), np.float64),
    (lambda g: np.stack([g, g]), (2, 3), np.float64),
    (lambda g: g[:, None], (3, 1), np.float64),
    (None, (3,), np.float32),
], ids=["row", "two rows", "column", "float32"])
def test_a_gradient_of_another_shape_or_dtype_than_its_input_fails_by_name(lay_out, shape, dtype, fast_mode):
    # x.grad of shape (1, 3) for x of shape (3,) passed in fast mode (<grad, u> broadcast to the same sum) and
    # stopped the element-wise table with numpy's "only 0-dimensional arrays can be converted"; a float32 .grad of
    # a float64 input passed
    def f(t):
        return square_with_grad(t, lay_out, dtype).sum()

    x = Tensor([0.5, 1.0, 1.5], requires_grad=True)
    assert gradcheck(lambda t: square_with_grad(t).sum(), [x], fast_mode=fast_mode)   # the right layout passes
    assert gradcheck(f, [x], fast_mode=fast_mode, raise_exception=False) is False
    with pytest.raises(GradcheckError, match=rf"^gradcheck: backward\(\) gave inputs\[0\] \(shape \(3,\), float64\) "
                                             rf"a gradient of shape {re.escape(str(shape))} and dtype "
                                             rf"{np.dtype(dtype)}"):
        gradcheck(f, [x], fast_mode=fast_mode)


# --- f that returns one of its inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_f_that_returns_an_input_as_it_is_is_checked_not_taken_for_a_graph_built_before_the_call(check):
    # the identity, or lambda a, b: b, returns the same node on every call (the input), and its steps move it:
    # it was refused with "a graph built before the call", which it is not
    assert check(lambda v: v, [Value(1.5)])
    assert check(lambda a, b: b, [Value(1.5), Value(-2.0)])
    assert check(lambda t: t, [Tensor([1.5, -2.0], requires_grad=True)])
    (g,) = numerical_grad(lambda v: v, [Value(1.5)])
    assert math.isclose(g, 1.0, rel_tol=1e-9)                                 # d x / d x
    y = Value(3.0) * Value(2.0)                                               # built before the call: still refused
    with pytest.raises(ValueError, match="same node on two calls"):
        check(lambda v: y, [Value(1.5)])


# --- numerical_grad's grad_output -----------------------------------------------------------------------------------


def test_numerical_grad_names_a_grad_output_of_several_entries_for_a_value_result():
    # the message read "f returned a Value; it must return a number, a Value or a Tensor"
    with pytest.raises(ValueError, match=r"^numerical_grad: grad_output has shape \(2,\) but f returned one number"):
        numerical_grad(lambda v: v * v, [Value(1.0)], grad_output=np.array([1.0, 2.0]))
    (g,) = numerical_grad(lambda v: v * v, [Value(1.0)], grad_output=3.0)     # one weight: 3 * 2x
    assert math.isclose(g, 6.0, rel_tol=1e-8)


def test_numerical_grad_refuses_a_grad_output_that_holds_nan():
    # every gradient entry came back NaN, whatever f's slope (gradgradcheck refuses such grad_outputs too)
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"^numerical_grad: grad_output holds NaN or inf \(nan\)"):
        numerical_grad(lambda u: u * u, [t], grad_output=np.array([np.nan, 1.0]))


# --- called inside no_grad() ----------------------------------------------------------------------------------------


def wrong_cube(x: Value) -> Value:
    """x^3 recorded with the partial 1 (that of x * 1): backward() gives 1 where the slope is 3x^2."""
    out = x * 1.0
    out.data = x.data ** 3
    return out


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_a_check_called_inside_no_grad_records_its_own_graph_as_gradgradcheck_did(check):
    # gradcheck stopped with backward()'s "computed inside no_grad()" for a right f (gradgradcheck checked it)
    from autograd import no_grad

    with no_grad():
        assert check(lambda v: v * v * v, [Value(1.5)])
        assert check(lambda t: (t * t * t).sum(), [Tensor([1.0, 2.0], requires_grad=True)])
    with no_grad():                                                                   # and a wrong one still fails
        assert gradcheck(wrong_cube, [Value(2.0)], raise_exception=False) is False


# --- a wrong gradient at a kink -------------------------------------------------------------------------------------


def relu_with_slope_at_0(x: Tensor, at_0: float) -> Tensor:
    """relu whose vjp takes relu'(0) = ``at_0``: a convention for at_0 in [0, 1], a wrong gradient outside."""
    return make(np.maximum(x.data, 0.0), (x,), lambda g: (g * np.where(x.data > 0, 1.0, at_0),), "relu_at_0")


@pytest.mark.parametrize("at_0, wrong", [(3.0, True), (-1.0, True), (0.0, False), (0.5, False), (1.0, False)])
def test_a_gradient_at_a_kink_outside_its_one_sided_slopes_is_called_wrong_not_a_convention(at_0, wrong):
    # relu at 0 has the slopes 0 (left) and 1 (right); backward() giving 3 there was shown in the kink table as
    # "only a convention", like relu'(0) = 0
    with pytest.raises(GradcheckError, match="kink") as info:
        gradcheck(lambda t: relu_with_slope_at_0(t, at_0).sum(), [Tensor([0.0, 1.0], requires_grad=True)])
    message = str(info.value)
    assert ("outside the slopes from the left and the right" in message) is wrong
    if wrong:
        assert f"At inputs[0] (0,), backward() gives {at_0:g}" in message
