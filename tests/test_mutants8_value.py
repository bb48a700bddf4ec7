"""Mutation testing of autograd/value.py, eighth round: each test fails on a deliberate mistake (named in the test's
comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import pytest

from autograd import Value, grad


@pytest.mark.parametrize("p", [1, 1.0])
def test_the_rebuilt_derivative_of_x_to_the_first_power_is_one(p):
    # mutant: partials_as_nodes giving the constant 0 for x ** 1 (the shortcut meant for x ** 0). With
    # create_graph the partial p x^(p-1) is rebuilt as a node; for p = 1 it is 1, not 0.
    # y = x^1 * x = x^2 at x = 3: dy/dx = 2 x = 6 (the mutant dropped the x^1 path: 3), d2y/dx2 = 2.
    x = Value(3.0)
    y = x ** p * x
    (g,) = grad([y], [x], create_graph=True)
    assert g.data == 6.0
    (gg,) = grad([g], [x])
    assert gg == 2.0
    # the same through backward(create_graph=True): x.grad is the graph of dy/dx = 2 x
    x.grad = 0.0
    y.backward(create_graph=True)
    assert x.grad.data == 6.0


