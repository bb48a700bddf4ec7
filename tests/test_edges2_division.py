"""Second derivatives of y = a / b where b^2 leaves the float range while the derivatives do not.

dy/db = -a/b^2 is built as -y/b = -(a/b)/b (rules.DIV), so neither it nor its own derivatives pass through b^2,
which underflows to 0 at b = 1e-170 (-a/(b b) would divide by 0) and whose reciprocal overflows at b = 1e-200.
By hand: d2y/db2 = 2a/b^3 and d2y/da db = -1/b^2, which is beyond float64 here (-inf, as IEEE arithmetic says).
At a = 0 the function is 0 for every b, so d2y/db2 = 0. Both engines, backward(create_graph=True) then backward()
of one gradient at a time."""

import math

import numpy as np
import pytest

from autograd import Tensor, Value

pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")   # -1/b^2 = -inf: IEEE's

CASES = [  # a, b, dy/db, d2y/db2, d2y/da db, each by hand
    (0.0, 1e-200, -0.0, 0.0, -math.inf),            # -1/b^2 = -1e400; 2a/b^3 = 0
    (1e-300, 1e-170, -1e40, 2e210, -math.inf),      # b b = 1e-340 underflows to 0
    (1e-250, 1e-100, -1e-50, 2e50, -1e200),
]


def second_derivatives_of_dy_db(engine, a, b):
    if engine == "value":
        A, B = Value(a), Value(b)
        (A / B).backward(create_graph=True)
        g = B.grad
        A.grad = B.grad = 0.0
        g.backward()
        return g.data, B.grad, A.grad
    A, B = Tensor([a], requires_grad=True), Tensor([b], requires_grad=True)
    (A / B).sum().backward(create_graph=True)
    g = B.grad
    A.grad = B.grad = None
    g.sum().backward()
    return g.data[0], B.grad[0], A.grad[0]


@pytest.mark.parametrize("engine", ["value", "tensor"])
@pytest.mark.parametrize("a, b, first, bb, ab", CASES)
def test_the_derivatives_of_dy_db_are_finite_where_the_formula_is(engine, a, b, first, bb, ab):
    got_first, got_bb, got_ab = second_derivatives_of_dy_db(engine, a, b)
    assert got_first == pytest.approx(first, rel=1e-15) and math.copysign(1, got_first) == math.copysign(1, first)
    assert got_bb == pytest.approx(bb, rel=1e-15)
    assert got_ab == pytest.approx(ab, rel=1e-15)
    assert not np.isnan([got_first, got_bb, got_ab]).any()
