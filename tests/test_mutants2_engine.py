"""Mutation testing, second round, of the Tensor engine's arithmetic (autograd/tensor/arithmetic.py) and
elementwise functions (autograd/tensor/functions.py): each test fails on a deliberate mistake (named in its
comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import numpy as np
import pytest

from autograd import Tensor, no_grad


def test_a_weight_changed_by_minus_equals_an_array_of_its_own_shape_refuses_the_old_graphs_backward():
    # mutant: the fast path of w -= array (same shape and dtype, under no_grad: an optimizer's step) without
    # versions.changed(w). The graph below read w = [1, 2]; after w -= [1, 1] its backward would give
    # dL/dx = w's new numbers [0, 1], a gradient of a function that was never computed: it must refuse.
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    x = Tensor([3.0, 4.0], requires_grad=True)
    loss = (x * w).sum()
    with no_grad():
        w -= np.array([1.0, 1.0])
    assert w.data.tolist() == [0.0, 1.0]
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()
    assert x.grad is None


@pytest.mark.parametrize("name", ["sin", "cos"])
def test_sin_and_cos_refuse_an_inf_beside_finite_entries(name):
    # mutant: the finiteness check of sin and cos asks that some entry be finite instead of all. sin(inf) is NaN
    # (with a derivative cos(inf), NaN too): one inf among finite entries must be refused as an all-inf Tensor is.
    x = Tensor([0.0, np.inf, 1.0], requires_grad=True)
    with pytest.raises(ValueError, match=f"{name}: {name} needs finite entries"):
        getattr(x, name)()
