"""tanh', sigma' and softplus'' are written with e^-|x| (stable at any x): smooth functions whose formulas hold a
|x|. Differentiated again and again, they must stay the functions' own derivatives at 0 too, where |x| has a kink:
tanh'''(0) = -2 and sigma'''(0) = -1/8 (from tanh = x - x^3/3 + ... and sigma = 1/2 + x/4 - x^3/48 + ...);
with the abs rule's slope 0 at 0 inside -|x| both engines read 0."""

from __future__ import annotations

import math

import pytest

from autograd import Tensor, Value, grad


def nth(f, x0: float, n: int, tensor: bool) -> float:
    x = Tensor([x0], requires_grad=True) if tensor else Value(x0)
    y = f(x)
    for _ in range(n):
        (y,) = grad(y.sum() if tensor else y, [x], create_graph=True)
    return float(y.data[0]) if tensor else y.data


def tanh_3(x: float) -> float:     # d^3/dx^3 tanh = -2 sech^2 x (sech^2 x - 2 tanh^2 x)
    s2, t = 1 / math.cosh(x) ** 2, math.tanh(x)
    return -2 * s2 * (s2 - 2 * t * t)


def sigmoid_3(x: float) -> float:  # d^3/dx^3 sigma = sigma (1 - sigma) (1 - 6 sigma + 6 sigma^2)
    s = 1 / (1 + math.exp(-x))
    return s * (1 - s) * (1 - 6 * s + 6 * s * s)


CASES = [("tanh", lambda x: x.tanh(), 3, tanh_3), ("sigmoid", lambda x: x.sigmoid(), 3, sigmoid_3),
         ("softplus", lambda x: x.softplus(), 4, sigmoid_3)]


@pytest.mark.parametrize("tensor", [False, True], ids=["Value", "Tensor"])
@pytest.mark.parametrize("name, f, n, exact", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("x0", [0.0, -0.0, 1e-9, -1e-9, 0.3, -2.0])
def test_third_derivatives_hold_at_zero_as_elsewhere(name, f, n, exact, x0, tensor):
    assert nth(f, x0, n, tensor) == pytest.approx(exact(x0), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("tensor", [False, True], ids=["Value", "Tensor"])
def test_the_values_at_zero_are_the_series_coefficients(tensor):
    assert nth(lambda x: x.tanh(), 0.0, 3, tensor) == -2.0
    assert nth(lambda x: x.sigmoid(), 0.0, 3, tensor) == -0.125
    assert nth(lambda x: x.tanh(), 0.0, 2, tensor) == 0.0 and nth(lambda x: x.sigmoid(), 0.0, 2, tensor) == 0.0
    h = 1e-4                                            # and the third of tanh by central differences of its second
    assert (nth(lambda x: x.tanh(), h, 2, tensor) - nth(lambda x: x.tanh(), -h, 2, tensor)) / (2 * h) == \
        pytest.approx(-2.0, rel=1e-6)
