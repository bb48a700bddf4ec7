"""Mutation testing of autograd/value.py: each test fails on a deliberate mistake (named in the test's comment)
that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import pytest

from autograd import Tensor, Value, grad, weighted_sum


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_grad_of_one_output_given_twice_adds_both_seeds(engine):
    # mutant: gradients() keeping only the last seed of a root given twice. y = x^2 at x = 3 given as two
    # outputs with seeds 1 and 0.5: dy/dx (1 + 0.5) = 6 * 1.5 = 9 (torch.autograd.grad([y, y], x, [1, 0.5])
    # gives 9 too). Keeping one seed gave 3.
    x = Value(3.0) if engine == "Value" else Tensor(3.0, requires_grad=True)
    y = x * x
    (g,) = grad([y, y], [x], [1.0, 0.5])
    assert float(g) == 9.0


def test_second_derivatives_of_a_neuron_of_values_only():
    # mutant: weighted_sum_operands reading the weights and inputs from the other half of the parents. With every
    # operand a Value the node keeps no lists, and create_graph rebuilds the partials from its parents.
    # L = z^2, z = w0 x0 + w1 x1 + b: dL/dw0 = 2 z x0, whose derivatives are 2 (w0 x0 + z) towards x0, 2 x0^2
    # towards w0, 2 x0 w1 towards x1, 2 x0 x1 towards w1 and 2 x0 towards b.
    w, x, b = [Value(0.5), Value(-1.5)], [Value(2.0), Value(0.25)], Value(0.1)
    z = weighted_sum(w, x, b)
    zd = 0.5 * 2.0 - 1.5 * 0.25 + 0.1
    (g_w0,) = grad([z * z], [w[0]], create_graph=True)
    assert g_w0.data == pytest.approx(2 * zd * 2.0, rel=1e-15)
    second = grad([g_w0], [x[0], w[0], x[1], w[1], b])
    expected = (2 * (0.5 * 2.0 + zd), 2 * 2.0 ** 2, 2 * 2.0 * -1.5, 2 * 2.0 * 0.25, 2 * 2.0)
    assert second == pytest.approx(expected, rel=1e-15)
