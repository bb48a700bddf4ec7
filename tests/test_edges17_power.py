"""Second derivatives of a^b and x^p at the float edge, to a few ulp of mpmath where they are normal floats.

Three graphs of create_graph lost a finite second derivative to an infinite partial on the way:

- d2(a^b)/da2 = b (b-1) a^(b-2): the slope's graph b a^c (c = b - 1) took a^c's own slope c a^(c-1), beyond the
  range where b times it is not (a = b = 1e-300: -inf for -1e300). x ** 1.0000001 at 1e-310 too (inf for 1.0e303).
- d2(a^b)/db da = a^(b-1) (1 + b ln a): the graph y ln a took ln's slope 1/a, beyond the range at a subnormal a
  (inf for -4.59e228 at a = 5e-324, b = 0.3; NaN where y = 0), and lost y/a where y = a^b underflows (a = 1e-300,
  b = 2: -1.3816e-297 for -1.3806e-297).
- the first derivative of x ** p for 0 < p < 1/2 with p - 1 exact: p x^(p-1), x^(p-1) beyond the range where the
  slope is not (x ** 2**-10 at 1e-310: inf for 4.9e306), in the default pass of both engines and compiled.
"""

from __future__ import annotations

import math
import sys
import warnings

import mpmath
import numpy as np
import pytest

from autograd import Tensor, Value, compile, grad

mpmath.mp.prec = 160
MAX, TINY = sys.float_info.max, sys.float_info.min


def ulps(got: float, exact: mpmath.mpf) -> float:
    if not math.isfinite(got):
        return math.inf
    return float(abs(mpmath.mpf(got) - exact) / math.ulp(abs(float(exact))))


def second(engine: str, a: float, b: float) -> tuple[float, float, float, float]:
    """d/da and d/db of create_graph's dy/da, then of dy/db, for y = a^b."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)        # partials beyond the range elsewhere: numpy says so
        if engine == "value":
            x, p = Value(a), Value(b)
            da, db = grad(x**p, [x, p], create_graph=True)
            return (*grad(da, [x, p]), *grad(db, [x, p]))
        x, p = Tensor([a], requires_grad=True), Tensor([b], requires_grad=True)
        da, db = grad((x**p).sum(), [x, p], create_graph=True)
        return tuple(float(np.asarray(d.data)[0]) for g in (da, db) for d in grad(g.sum(), [x, p]))


def exact_second(a: float, b: float) -> tuple[mpmath.mpf, mpmath.mpf, mpmath.mpf, mpmath.mpf]:
    A, B = mpmath.mpf(a), mpmath.mpf(b)
    mixed = A ** (B - 1) * (1 + B * mpmath.log(A))
    return B * (B - 1) * A ** (B - 2), mixed, mixed, A**B * mpmath.log(A) ** 2


def off_by(got: tuple, exact: tuple, tolerance: float) -> list:
    """The entries more than ``tolerance`` ulp off where the exact value is a normal float (a subnormal one within
    1e-3 of it, relatively: a subnormal y = a^b keeps few digits, y ln^2 a at a = 5e-324, b = 1 too; a value beyond
    the range must be that infinity)."""
    wrong = []
    for k, (g, e) in enumerate(zip(got, exact)):
        if TINY <= abs(e) <= MAX:
            bad = ulps(g, e) > tolerance
        elif abs(e) > MAX:
            bad = g != math.copysign(math.inf, e)
        else:
            bad = not abs(mpmath.mpf(g) - e) <= 1e-3 * abs(e) + 4 * 5e-324
        if bad:
            wrong.append((k, g, float(e) if abs(e) <= MAX else str(e)))
    return wrong


# (a, b) where some second derivative read inf or NaN, or lost digits, before
EDGES = [(1e-300, 1e-300), (1e-300, 5e-324), (1e-200, 1e-200), (5e-324, 0.3), (5e-324, 0.7), (5e-324, 1.0),
         (5e-324, 2.0), (1e-310, 0.3), (1e-310, 2.0), (1e-300, 2.0), (1e-300, 1.5)]


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_second_derivatives_of_a_to_the_b_are_within_8_ulp_where_a_partial_overflows(engine):
    off = {(a, b): wrong for a, b in EDGES if (wrong := off_by(second(engine, a, b), exact_second(a, b), 8))}
    assert not off, off


def test_a_subnormal_base_to_a_tiny_exponent_keeps_its_curvature_in_the_value_engine():
    # a = 1e-310, b = 5e-324: d2y/da2 = b (b-1) a^(b-2) = -4.94e296, the mixed ones beyond the range (inf). (The
    # Tensor engine keeps the h h form there, which reads -inf: see _beyond in autograd/rules.py.)
    assert off_by(second("value", 1e-310, 5e-324), exact_second(1e-310, 5e-324), 8) == []


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_x_to_a_constant_power_near_1_has_its_finite_second_derivative_at_a_subnormal_x(engine):
    # p x^(p-1) with p = 1.0000001 (p - 1 rounds): x^(p-2) = 1e310 overflows, p (p-1) x^(p-2) = 1.0e303 does not
    p, x = 1.0000001, 1e-310
    if engine == "value":
        v = Value(x)
        (g,) = grad(v**p, [v], create_graph=True)
        (h,) = grad(g, [v])
    else:
        t = Tensor([x], requires_grad=True)
        (g,) = grad((t**p).sum(), [t], create_graph=True)
        (h,) = grad(g.sum(), [t])
        h = float(np.asarray(h.data)[0])
    P = mpmath.mpf(p)
    assert ulps(h, P * (P - 1) * mpmath.mpf(x) ** (P - 2)) <= 8, h


@pytest.mark.parametrize("p", [2.0**-10, 2.0**-20, 0.125])
def test_the_slope_of_x_to_a_small_exact_power_is_finite_where_x_to_p_minus_1_overflows(p):
    # p - 1 is exact for these p, so the rule took p x^(p-1): x^(p-1) is 5e309 at x = 1e-310, p = 2^-10
    xs = [5e-324, 1e-310, 1e-300, 0.5, 3.0, 1e300]
    fast = compile(lambda v: v[0] ** p, [2.0])
    t = Tensor(xs, requires_grad=True)
    (t**p).sum().backward()
    ta = Tensor(xs, requires_grad=True)
    (ta ** np.array([p] * len(xs))).sum().backward()              # an array of exponents: the same slopes
    for k, x in enumerate(xs):
        exact = p * mpmath.mpf(x) ** (mpmath.mpf(p) - 1)
        v = Value(x)
        (v**p).backward()
        assert v.grad == fast([x])[1][0] == float(t.grad[k]) == float(ta.grad[k]), (p, x)
        if abs(exact) <= MAX:
            assert ulps(v.grad, exact) <= 4, (p, x, v.grad, float(exact))
        else:
            assert v.grad == math.inf, (p, x)


def test_float32_tensors_take_the_same_mends():
    # a = float32 1e-45 (1.4e-45), b = 0.3: d2y/db da = -7.49e32 (inf before); a = 1e-40, b = 2: -1.83e-38 (NaN)
    for a0, b0 in [(1e-45, 0.3), (1e-40, 2.0)]:
        a = Tensor(np.array([a0], dtype=np.float32), requires_grad=True)
        b = Tensor(np.array([b0], dtype=np.float32), requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")                             # and quietly
            (db,) = grad((a**b).sum(), [b], create_graph=True)
            (dba,) = grad(db.sum(), [a])
        A, B = mpmath.mpf(float(a.data[0])), mpmath.mpf(float(b.data[0]))
        exact = A ** (B - 1) * (1 + B * mpmath.log(A))
        assert abs(mpmath.mpf(float(dba.data[0])) - exact) <= 1e-6 * abs(exact), (a0, b0, float(dba.data[0]))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_empty_tensors_take_second_derivatives_of_a_power(dtype):
    """The rare-branch test of a ** b's slope towards b took the minimum of an empty array (found by
    test_torchdiff_elementwise's hypothesis run): an empty pair has an empty gradient, and so an empty second."""
    a = Tensor(np.ones((0,), dtype), requires_grad=True)
    b = Tensor(np.ones((0,), dtype), requires_grad=True)
    (ga, gb) = grad([(a ** b).sum()], [a, b], create_graph=True)
    (gga,) = grad([(ga + gb).sum()], [a], allow_unused=True)
    assert ga.data.shape == gb.data.shape == (0,) and ga.data.dtype == dtype
    assert gga is None or gga.shape == (0,)
