"""tanh's slope 4 e / (1 + e)^2 with e = e^-2|x|: at |x| >= 9e307 (float32: 1.7e38) the product 2 (-|x|)
overflowed to -inf, with numpy's "overflow encountered in multiply", before the right answer 0. -|x| is now taken
at -400 at least (e^-800 is 0, as e^-2|x| is beyond |x| = 373): no errstate, and every number as before."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest

from autograd import Tensor, Value, compile, grad
from autograd.functional import hessian

FAR = [9e307, -9e307, 1.7976931348623157e308, -1.7976931348623157e308, np.inf, -np.inf]


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("dtype, far", [(np.float64, FAR), (np.float32, [1.7e38, -3.4e38, np.inf])])
def test_tanh_backward_far_out_is_0_without_a_warning(dtype, far):
    x = Tensor(np.array(far + [0.5], dtype=dtype), requires_grad=True)
    x.tanh().sum().backward()
    assert x.grad.dtype == dtype and x.grad[:-1].tolist() == [0.0] * len(far)
    assert x.grad[-1] == pytest.approx(1 - np.tanh(0.5) ** 2, rel=1e-6)


def test_tanh_second_derivatives_far_out_are_0_without_a_warning():
    x = Tensor(np.array(FAR + [0.5]), requires_grad=True)
    (g,) = grad(x.tanh().sum(), [x], create_graph=True)
    g.sum().backward()
    t = np.tanh(0.5)
    assert g.data[:-1].tolist() == [0.0] * len(FAR) and x.grad[:-1].tolist() == [0.0] * len(FAR)
    assert x.grad[-1] == pytest.approx(-2 * t * (1 - t * t), rel=1e-14)
    H = hessian(lambda v: v.tanh().sum(), Tensor(np.array([9e307, -1e308]))).data
    assert H.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    for far in FAR:
        v = Value(far)
        v.tanh().backward(create_graph=True)
        slope, v.grad = v.grad, 0.0
        slope.backward()
        assert (slope.data, v.grad) == (0.0, 0.0)


def test_compiled_tanh_far_out_is_the_eager_one():
    fast = compile(lambda v: v[0].tanh(), [0.5])
    for far in FAR + [400.0, 372.0, 30.0, -0.3]:
        v = Value(far)
        v.tanh().backward()
        assert fast([far])[1] == [v.grad]


def test_the_slope_keeps_its_numbers_where_nothing_overflows():
    # the bits of 4 e / (1 + e)^2 with e = exp(-2|x|) as written before, and within 4 ulp of 1/cosh^2 x
    xs = np.concatenate([np.linspace(-30, 30, 601), [0.0, -0.0, 5e-324, 372.0, 373.0, 399.9, 400.0, 400.1, 1e5]])
    e = np.exp(-2.0 * np.abs(xs))
    before = 4.0 * e / ((1.0 + e) * (1.0 + e))
    t = Tensor(xs, requires_grad=True)
    t.tanh().sum().backward()
    assert t.grad.tobytes() == before.tobytes()
    for x, s in zip(xs[:601:7], before[:601:7]):
        exact = 1 / mpmath.cosh(mpmath.mpf(float(x))) ** 2
        assert abs(mpmath.mpf(float(s)) - exact) <= 4 * np.spacing(float(exact))
    for x in xs[::7]:
        v = Value(float(x))
        v.tanh().backward()
        assert v.grad == before[list(xs).index(x)]
