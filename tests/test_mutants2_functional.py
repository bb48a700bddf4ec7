"""Mutation testing, second round, of autograd.functional: each test fails on a deliberate mistake (named in its
comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import numpy as np
import pytest

from autograd import Tensor, Value
from autograd.functional import grad, hvp, jacobian, jvp, vhp, vjp


def test_a_jacobian_kept_as_a_graph_has_one_row_per_output_entry_not_its_transpose():
    # mutant: _assemble stacks the rows of a differentiable Jacobian along the last axis (columns), then reshapes:
    # the transpose for a square Jacobian, scrambled entries for another. Only create_graph=True goes there.
    # f(x) = x_0 x: J = [[2 x_0, 0], [x_1, x_0]], at x = (2, 3) [[4, 0], [3, 2]] (not symmetric).
    J = jacobian(lambda x: x[0] * x, Tensor([2.0, 3.0]), create_graph=True)
    assert J.data.tolist() == [[4.0, 0.0], [3.0, 2.0]]
    assert J.requires_grad
    # f(x) = A (x * x), A of shape (2, 3): J_ij = A_ij 2 x_j
    A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    x = np.array([1.0, -2.0, 0.5])
    J = jacobian(lambda t: Tensor(A) @ (t * t), Tensor(x), create_graph=True)
    assert J.data.shape == (2, 3)
    np.testing.assert_array_equal(J.data, A * 2 * x)


def test_strict_refuses_a_constant_output_beside_one_that_depends_on_the_inputs():
    # mutant: strict no longer checks each output (the check that an output requires grad dropped). With one
    # output depending on x and one constant, the constant's part of v^T J is silently 0 (x gets a gradient from
    # the other output, so the per-input check does not fire). PyTorch's strict refuses an output that does not
    # require grad ("does not require gradients ... in strict mode").
    x = Tensor([1.0, 2.0])
    v = (np.ones(2), np.ones(1))
    with pytest.raises(RuntimeError, match="output 1 does not depend on the inputs"):
        vjp(lambda t: (t * 2.0, Tensor([5.0])), x, v, strict=True)
    _, g = vjp(lambda t: (t * 2.0, Tensor([5.0])), x, v)       # without strict: d(2 x . 1)/dx = [2, 2]
    assert g.data.tolist() == [2.0, 2.0]


def test_v_left_out_for_a_single_entry_is_one():
    # mutant: the v that may be left out for a single entry made 0 instead of 1 (every product silently 0).
    # f(x) = x^3 at x = 2: f' = 3 x^2 = 12, f'' = 6 x = 12; vjp and jvp give f' v, hvp and vhp f'' v, with v = 1.
    x = Tensor([2.0])
    assert vjp(lambda t: (t ** 3).sum(), x)[1].data.tolist() == [12.0]
    assert jvp(lambda t: t ** 3, x)[1].data.tolist() == [12.0]
    assert hvp(lambda t: (t ** 3).sum(), x)[1].data.tolist() == [12.0]
    assert vhp(lambda t: (t ** 3).sum(), x)[1].data.tolist() == [12.0]


def test_a_given_v_for_a_single_number_output_scales_the_vjp():
    # mutant: vjp drops a v given for a single-number output (as if v were left out, i.e. 1). f(x) = sum x^2:
    # v^T J = v 2 x = 3 [2, 4] = [6, 12] for v = 3 (the mutant gave [2, 4]).
    _, g = vjp(lambda t: (t * t).sum(), Tensor([1.0, 2.0]), 3.0)
    assert g.data.tolist() == [6.0, 12.0]



def test_grad_outputs_of_the_same_size_but_another_shape_is_refused():
    # mutant: grad checks that grad_outputs has as many entries as the output, not its shape. A (3, 2) weight for
    # a (2, 3) output is not its transpose or its reshape: which entry weighs which is ambiguous, so it is refused
    # (as PyTorch's "Mismatch in shape" for grad_outputs).
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    with pytest.raises(ValueError, match=r"grad_outputs\[0\] has shape \(3, 2\) but outputs\[0\] has shape \(2, 3\)"):
        grad(x * 2.0, x, grad_outputs=np.ones((3, 2)))


def test_grad_refuses_a_value_output_with_a_tensor_input():
    # mutant: grad no longer checks that outputs and inputs belong to one engine. A Value is never computed from a
    # Tensor, so the derivative asked for is meaningless: a TypeError that says so, not some other failure.
    with pytest.raises(TypeError, match="mix Values and Tensors"):
        grad(Value(2.0) * Value(3.0), Tensor([1.0], requires_grad=True))
