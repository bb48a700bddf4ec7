"""Hostile audit of nn/optim.py: Values whose number is not a Python float, parameters whose shape changed."""

import numpy as np
import pytest

from autograd import Tensor, Value
from nn.optim import LBFGS, SGD, Adam


@pytest.mark.parametrize("start", [2, np.float64(2.0), np.float32(2.0)])
@pytest.mark.parametrize("make", [lambda w: SGD([w], lr=0.1, momentum=0.5), lambda w: Adam([w], lr=0.1)])
def test_value_whose_data_was_set_to_an_int_or_numpy_number_still_moves(start, make):
    # w.data = 2 (or a number read from a numpy array) used to make the update rebind a local name: w never moved
    w = Value(1.0)
    w.data = start
    opt = make(w)
    for _ in range(2):
        opt.zero_grad()
        (w * w).backward()
        opt.step()
    ref = Value(2.0)
    ref_opt = make(ref)
    for _ in range(2):
        ref_opt.zero_grad()
        (ref * ref).backward()
        ref_opt.step()
    assert ref.data != 2.0
    assert type(w.data) is float
    assert w.data == pytest.approx(ref.data, rel=1e-6)


def test_sgd_value_with_int_data_by_hand_formula():
    w = Value(1.0)
    w.data = 3                                    # an int, as 'p.data = 3' leaves it
    opt = SGD([w], lr=0.1)
    (w * w).backward()
    opt.step()
    assert w.data == pytest.approx(3 - 0.1 * 6)   # p <- p - lr * 2p


def test_value_with_float32_grad_keeps_a_python_float():
    w = Value(1.0)
    opt = SGD([w], lr=0.1, momentum=0.9)
    w.grad = np.float32(2.0)
    opt.step()
    assert type(w.data) is float
    opt.zero_grad()
    (w * w).backward()
    opt.step()
    v = 0.9 * 2.0 + 2 * 0.8                       # the velocity by hand
    assert w.data == pytest.approx(0.8 - 0.1 * v)


def test_lbfgs_moves_a_value_whose_data_is_an_int():
    x = Value(1.0)
    x.data = 3
    opt = LBFGS([x], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = (x - 1.0) * (x - 1.0)
        loss.backward()
        return loss
    opt.step(closure)
    assert x.data == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("make", [lambda w: SGD([w], lr=0.1, momentum=0.9), lambda w: Adam([w], lr=0.1),
                                  lambda w: LBFGS([w], max_iter=2)])
def test_parameter_that_changed_shape_between_steps_is_refused(make):
    # its momentum (or moments, or L-BFGS history) of shape (1,) would broadcast over the new (3,) silently
    w = Tensor(np.array([1.0]), requires_grad=True)
    opt = make(w)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss
    if isinstance(opt, LBFGS):
        opt.step(closure)
    else:
        closure()
        opt.step()
    w.data = np.array([1.0, 2.0, 3.0])
    before = w.data.copy()
    with pytest.raises(ValueError, match=r"changed shape.*\(1,\).*\(3,\)"):
        if isinstance(opt, LBFGS):
            opt.step(closure)
        else:
            closure()
            opt.step()
    np.testing.assert_array_equal(w.data, before)


def test_lbfgs_line_search_that_finds_no_decrease_ends_the_step_at_t_zero():
    # a wrong gradient (uphill): each step ends with t = 0 at the same point, within max_eval, as torch's does
    x = Value(2.0)
    opt = LBFGS([x], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = x * x
        loss.backward()
        x.grad = -x.grad
        return loss
    for k in range(1, 4):
        assert opt.step(closure).data == 4.0
        assert x.data == 2.0 and opt.state["t"] == 0.0
        assert opt.state["func_evals"] <= k * (opt.max_eval + 1)
