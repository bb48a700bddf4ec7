"""x ** p for -1 < p < 0: where x^(p-1) overflows but the slope p x^(p-1) fits, the slope is that finite number
(it read -inf: x ** -0.5 at 2.52e-206, whose slope is -1.25e308), on both engines, compiled and with create_graph;
and it stays within 4 ulp of mpmath at ordinary x."""

import math

import mpmath
import numpy as np
import pytest

from autograd import Tensor, Value, grad
from autograd import compile as compile_values

mpmath.mp.prec = 200


def exact_slope(x: float, p: float) -> float:
    return float(mpmath.mpf(p) * mpmath.mpf(x) ** (mpmath.mpf(p) - 1))


def ulps(a: float, b: float) -> float:
    """How many units in the last place a is from b (0 for the same infinity, inf for another)."""
    if math.isinf(b):
        return 0.0 if a == b else math.inf
    return abs(a - b) / math.ulp(b)


def band(p: float) -> list[float]:
    """x where x^(p-1) is beyond the float maximum but |p| x^(p-1) is not."""
    top = mpmath.mpf(np.finfo(float).max)
    lo, hi = (top / abs(mpmath.mpf(p))) ** (1 / (mpmath.mpf(p) - 1)), top ** (1 / (mpmath.mpf(p) - 1))
    return [float(lo + (hi - lo) * f) for f in (0.1, 0.5, 0.9)]


@pytest.mark.parametrize("p", [-0.5, -0.25, -0.75, -0.9])
def test_the_slope_is_finite_where_x_to_the_p_minus_1_alone_overflows(p):
    for x in band(p):
        want = exact_slope(x, p)
        assert math.isfinite(want)
        v = Value(x)
        (v ** p).backward()
        t = Tensor([x, 2.0], requires_grad=True)
        (t ** p).sum().backward()
        e = Tensor([x, 2.0], requires_grad=True)
        (e ** np.array([p, p])).sum().backward()
        _, (compiled,) = compile_values(lambda xs: xs[0] ** p, [2.0])([x])
        c = Tensor([x], requires_grad=True)
        (graph,) = grad((c ** p).sum(), [c], create_graph=True)
        for got in (v.grad, t.grad[0], e.grad[0], compiled, graph.data[0]):
            assert ulps(float(got), want) <= 4, (x, p, got, want)


@pytest.mark.parametrize("p", [-0.5, -0.25, -0.75, -0.9])
def test_at_ordinary_x_the_slope_stays_within_4_ulp_and_the_engines_agree_bit_for_bit(p):
    for x in (1e-300, 1e-5, 0.3, 2.0, 7.5, 1e5, 1e300):
        want = exact_slope(x, p)
        v = Value(x)
        (v ** p).backward()
        t = Tensor([x], requires_grad=True)
        (t ** p).sum().backward()
        _, (compiled,) = compile_values(lambda xs: xs[0] ** p, [2.0])([x])
        assert ulps(v.grad, want) <= 4 and v.grad == t.grad[0] == compiled, (x, p, v.grad, t.grad[0], want)
