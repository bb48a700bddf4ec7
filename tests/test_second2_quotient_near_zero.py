"""Second derivatives of y = a / b at a = 0 beside a |b| whose 1/b overflows (below 5.6e-309): the graph of dy/db
= -y/b, differentiated towards b through y, multiplied -1/b = -inf by dy/db = 0, so d2y/db2 = 2y/b^2 = 0 came
out NaN in both engines. Expected values from mpmath (each entry rounded to a float: -1/b^2 is -inf there)."""

from __future__ import annotations

import itertools

import mpmath
import pytest

from autograd import Tensor, Value, grad
from autograd.functional import hessian

mpmath.mp.prec = 200
# 1/b and -1/b^2 are beyond the float range at these b: numpy says so (a true overflow) before the right inf
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
POINTS = [(0.0, b) for b in (5e-324, -5e-324, 1e-310, -2.2e-308 / 4, 5.5e-309)] + [
    (-0.0, 5e-324), (1e-300, 1e-200), (0.0, 1e-160), (0.0, 2.0), (3.0, -1e-300), (5e-324, 1e300)]


def exact_hessian(a, b):
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    return [[0.0, float(-1 / b**2)], [float(-1 / b**2), float(2 * a / b**3)]]


def value_hessian(a0, b0):
    a, b = Value(a0), Value(b0)
    (a / b).backward(create_graph=True)
    first = [a.grad, b.grad]
    rows = []
    for g in first:
        a.grad = b.grad = 0.0
        if isinstance(g, Value):
            g.backward()
        rows.append([a.grad, b.grad])
    return first, rows


@pytest.mark.parametrize("a, b", POINTS)
def test_value_second_derivatives_of_a_quotient_are_mpmaths(a, b):
    _, H = value_hessian(a, b)
    assert H == exact_hessian(a, b)


@pytest.mark.parametrize("a, b", POINTS)
def test_tensor_hessian_of_a_quotient_of_two_inputs_is_mpmaths(a, b):
    H = hessian(lambda x, y: x / y, (Tensor(a), Tensor(b)))
    assert [[float(h.data) for h in row] for row in H] == exact_hessian(a, b)


@pytest.mark.parametrize("a, b", POINTS)
def test_the_first_derivatives_under_create_graph_are_the_default_ones_to_the_bit(a, b):
    x, y = Value(a), Value(b)
    (x / y).backward()
    first, _ = value_hessian(a, b)
    # (equal numbers: a Value's .grad is 0.0 plus its contributions, so it reads 0.0 where the graph holds -0.0)
    assert [g.data if isinstance(g, Value) else g for g in first] == [x.grad, y.grad]
    A = Tensor([a, 1.0, 0.0], requires_grad=True)
    B = Tensor([b, 3.0, b], requires_grad=True)
    (A / B).sum().backward()
    ga, gb = grad((A / B).sum(), [A, B], create_graph=True)
    assert ga.data.tobytes() == A.grad.tobytes() and gb.data.tobytes() == B.grad.tobytes()


def test_third_derivatives_away_from_the_overflow_keep_their_numbers():
    # the cut graph is taken only where 1/b overflows: at a = 0, b = 2, d3y/da db2 = 2/b^3 = 1/4 (a cut inner b
    # would give half of it)
    a, b = Value(0.0), Value(2.0)
    (a / b).backward(create_graph=True)
    da = a.grad
    a.grad = b.grad = 0.0
    da.backward(create_graph=True)                              # d2y/da db = -1/b^2
    dab = b.grad
    a.grad = b.grad = 0.0
    dab.backward()
    assert b.grad == 2 / 2.0**3


def test_tensor_hessian_entries_of_a_quotient_per_entry_with_separate_inputs():
    for a, b in itertools.product((0.0, 1e-300), (5e-324, 1e-200, 2.0)):
        (g,) = grad(Tensor(a, requires_grad=True) / (B := Tensor(b, requires_grad=True)), [B], create_graph=True)
        (h,) = grad(g, [B])
        assert float(h.data) == exact_hessian(a, b)[1][1], (a, b)
