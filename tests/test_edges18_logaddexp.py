"""logaddexp's slopes sigmoid(a - b), sigmoid(b - a) to an ulp or two of mpmath where a - b rounds.

e^-|a - b| was taken of the difference as rounded: half an ulp of d = a - b is 5.7e-14 at d = 700, and e^x's
relative error is x's absolute one, so the smaller slope was 270 ulp off at (700.1, 0.3), 436 at (-457.31...,
-1129.83...) (float32: 52 ulp at (-32.43, 36.39)), in both engines, compiled code, and the second derivatives
(sigma'(d) of the rounded d). The rule now puts the difference's rounding error back (a two-sum, one multiply), and
create_graph's slopes get it to first order, r sigma'(d), whose derivative corrects the second derivatives too.
Expected numbers from mpmath at 60 digits.
"""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest

from autograd import Tensor, Value, compile, grad

mpmath.mp.dps = 60

# (a, b) whose difference rounds, far enough apart that the error showed (the old ulp of the worse slope: 270, 270,
# 436, 107, 9.6, 6.0), and two near, where the graph's slopes were an ulp off the rule's before their shift
POINTS = [(700.1, 0.3), (0.3, 700.1), (-457.3134122013277, -1129.8262761623826), (-0.1, -400.7), (36.7, 0.01),
          (123.456, -7.89), (-2.9611324676025808, -0.05314711285328874), (-1.3526805856800341, -0.2992734112878058)]
# float32 points: the old slopes were 52, 48 and 31 float32 ulp off
POINTS32 = [(-32.43018341064453, 36.38937759399414), (29.82938003540039, -34.924156188964844), (70.1, 0.3)]


def exact(a: float, b: float) -> tuple:
    """sigmoid(a - b), sigmoid(b - a) and sigma'(a - b) = d2y/da2 = -d2y/da db = d2y/db2, of the exact a - b."""
    d = mpmath.mpf(a) - mpmath.mpf(b)
    sa, sb = 1 / (1 + mpmath.exp(-d)), 1 / (1 + mpmath.exp(d))
    return sa, sb, sa * sb


def ulps(got: float, truth: mpmath.mpf, dtype: type = np.float64) -> float:
    spacing = float(np.spacing(dtype(abs(float(truth)))))
    return float(abs(mpmath.mpf(float(got)) - truth) / mpmath.mpf(spacing))


def test_slopes_of_values_tensors_and_compiled_code_are_within_2_ulp_where_a_minus_b_rounds():
    fast = compile(lambda v: v[0].logaddexp(v[1]), [0.5, 0.25])
    x = Tensor([a for a, _ in POINTS], requires_grad=True)
    y = Tensor([b for _, b in POINTS], requires_grad=True)
    x.logaddexp(y).sum().backward()
    for k, (a, b) in enumerate(POINTS):
        sa, sb, _ = exact(a, b)
        u, v = Value(a), Value(b)
        u.logaddexp(v).backward()
        _, (ca, cb) = fast([a, b])
        got = {"value": (u.grad, v.grad), "tensor": (x.grad[k], y.grad[k]), "compiled": (ca, cb)}
        off = {engine: (ulps(da, sa), ulps(db, sb)) for engine, (da, db) in got.items()}
        assert all(max(pair) <= 2 for pair in off.values()), ((a, b), off)


def test_float32_slopes_are_within_2_ulp_where_a_minus_b_rounds():
    x = Tensor(np.array([a for a, _ in POINTS32], np.float32), requires_grad=True)
    y = Tensor(np.array([b for _, b in POINTS32], np.float32), requires_grad=True)
    x.logaddexp(y).sum().backward()
    for k in range(len(POINTS32)):
        sa, sb, _ = exact(float(x.data[k]), float(y.data[k]))
        off = ulps(x.grad[k], sa, np.float32), ulps(y.grad[k], sb, np.float32)
        assert max(off) <= 2, (float(x.data[k]), float(y.data[k]), off)


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_second_derivatives_are_within_4_ulp_and_the_graphs_slopes_the_first_order_ones_to_the_bit(engine):
    # the graph's slopes sigma(d) + r sigma'(d) were an ulp off the rule's at the last two points: a constant shifts
    # them onto the rule's numbers
    for a, b in POINTS:
        sa, sb, h = exact(a, b)
        if engine == "value":
            x, y = Value(a), Value(b)
            da, db = grad(x.logaddexp(y), [x, y], create_graph=True)
            u, v = Value(a), Value(b)
            w = u.logaddexp(v)
            w.backward()
            assert (da.data, db.data) == (u.grad, v.grad)
            second = [*grad(da, [x, y]), *grad(db, [x, y])]
        else:
            x, y = Tensor([a], requires_grad=True), Tensor([b], requires_grad=True)
            da, db = grad(x.logaddexp(y).sum(), [x, y], create_graph=True)
            assert [d.data.tolist() for d in (da, db)] == [d.tolist() for d in grad(x.logaddexp(y).sum(), [x, y])]
            second = [float(g.data[0]) for d in (da, db) for g in grad(d.sum(), [x, y])]
        off = [ulps(g, t) for g, t in zip(second, (h, -h, -h, h))]
        assert max(off) <= 4, ((a, b), engine, off)


def test_a_tensor_with_infinite_entries_still_corrects_the_finite_ones_and_does_not_warn():
    # an infinite operand makes the two-sum's inf - inf: those entries keep e^-|d| (0), quietly
    a = [700.1, math.inf, -math.inf, 0.3]
    b = [0.3, 2.0, 5.0, math.inf]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x, y = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
        out = x.logaddexp(y)
        out.sum().backward()
        x2, y2 = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
        ga, gb = grad(x2.logaddexp(y2).sum(), [x2, y2], create_graph=True)
        h = grad(ga.sum(), [x2, y2])
    assert out.data.tolist() == [float(mpmath.log(mpmath.exp(700.1) + mpmath.exp(0.3))), math.inf, 5.0, math.inf]
    assert x.grad.tolist()[1:] == [1.0, 0.0, 0.0] and y.grad.tolist()[1:] == [0.0, 1.0, 1.0]
    sa, sb, s2 = exact(700.1, 0.3)
    assert ulps(x.grad[0], sa) <= 2 and ulps(y.grad[0], sb) <= 2
    assert (ga.data.tolist(), gb.data.tolist()) == (x.grad.tolist(), y.grad.tolist())
    assert ulps(h[0].data[0], s2) <= 4 and h[0].data.tolist()[1:] == [0.0, 0.0, 0.0]
