"""Mutation testing of autograd/rules.py's near-0 graph forms of tanh' and sigma' (``_near_0_as_nodes``), fourteenth
round: each test fails on a deliberate mistake (named in its comment) that the rest of the suite let pass. The
expected derivatives are mpmath's closed forms at 50 digits."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from autograd import Tensor, Value, grad


def _sigmoid_derivatives(x: mpmath.mpf) -> list:
    # s' = s (1 - s), s'' = s' (1 - 2 s), s''' = s' (1 - 6 s')
    s = 1 / (1 + mpmath.exp(-x))
    d1 = s * (1 - s)
    return [d1, d1 * (1 - 2 * s), d1 * (1 - 6 * d1)]


def _three(x0: float, dtype: str | None) -> list[float]:
    x = Value(x0) if dtype is None else Tensor(np.array([x0], dtype=dtype), requires_grad=True)
    y, found = x.sigmoid(), []
    for _ in range(3):
        (y,) = grad(y if dtype is None else y.sum(), [x], create_graph=True)
        found.append(y.data if dtype is None else float(y.data[0]))
    return found


@pytest.mark.parametrize("dtype", [None, "float64", "float32"], ids=["Value", "Tensor64", "Tensor32"])
@pytest.mark.parametrize("x0", [0.97, -0.97])
def test_sigmoids_derivatives_just_inside_the_change_of_form_are_within_4_ulp(x0, dtype):
    # mutant: sigma's near-0 form taken only for |x| < 1/2 (the width 1.0 halved), leaving the e-form's graph
    # e / (1 + e)^2 differentiated between 1/2 and 1: its third derivative at x = 0.97 came out 6.5 ulp off in
    # float64 and 5.0 in float32 (this form: 1.7 and 1.8); sigma''' = s' (1 - 6 s') is 0.0156 there, a
    # difference of terms near 0.2 whose rounding the e-form's graph does not keep
    mpmath.mp.dps = 50
    if dtype == "float32":
        x0 = float(np.float32(x0))                              # the argument the engine sees, and mpmath too
    ulp = 2.0**-23 if dtype == "float32" else 2.0**-52
    got, want = _three(x0, dtype), _sigmoid_derivatives(mpmath.mpf(x0))
    off = [float(abs(mpmath.mpf(g) / w - 1) / ulp) for g, w in zip(got, want)]
    assert max(off) <= 4, f"ulp off for sigma', sigma'', sigma''' at {x0}: {off}"


def _tanh_derivatives(x: mpmath.mpf) -> list:
    # tanh' = sech^2, tanh'' = -2 t sech^2, tanh''' = -2 sech^2 (sech^2 - 2 t^2)
    s2, t = 1 / mpmath.cosh(x) ** 2, mpmath.tanh(x)
    return [s2, -2 * t * s2, -2 * s2 * (s2 - 2 * t * t)]


def _tanh_three(x0: float, dtype: str | None) -> list[float]:
    x = Value(x0) if dtype is None else Tensor(np.array([x0], dtype=dtype), requires_grad=True)
    y, found = x.tanh(), []
    for _ in range(3):
        (y,) = grad(y if dtype is None else y.sum(), [x], create_graph=True)
        found.append(y.data if dtype is None else float(y.data[0]))
    return found


@pytest.mark.parametrize("dtype", [None, "float64", "float32"], ids=["Value", "Tensor64", "Tensor32"])
@pytest.mark.parametrize("x0", [0.8, -0.8])
def test_tanhs_derivatives_just_outside_the_change_of_form_are_within_4_ulp(x0, dtype):
    # mutant: tanh's near-0 form 1 - y^2 taken for |x| < 1 (or 5) instead of 1/2: differentiated, -2 y y' and
    # then -2 (y'^2 + y y'') put tanh'''(0.8) = 0.37 5.0 ulp off for a Value (the e-form's graph: 0.2 ulp)
    mpmath.mp.dps = 50
    if dtype == "float32":
        x0 = float(np.float32(x0))
    ulp = 2.0**-23 if dtype == "float32" else 2.0**-52
    got, want = _tanh_three(x0, dtype), _tanh_derivatives(mpmath.mpf(x0))
    off = [float(abs(mpmath.mpf(g) / w - 1) / ulp) for g, w in zip(got, want)]
    assert max(off) <= 4, f"ulp off for tanh', tanh'', tanh''' at {x0}: {off}"
