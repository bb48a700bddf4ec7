"""Mutation testing of nn/losses.py: each test fails on a deliberate mistake (named in the test's comment) that
the rest of the suite let pass. Expected numbers are worked out by hand from the formula."""

import pytest

from autograd import Tensor, Value
from nn.losses import l1


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_l1_of_negative_parameters_is_lambda_times_their_size_with_gradient_lambda_sign_p(engine):
    # mutant: l1 of Values as p.relu(), which is |p| only for p >= 0. lam sum |p| for p = [0.5, -2, 0] and
    # lam = 0.1 is 0.25, and its gradient lam sign(p) = [0.1, -0.1, 0] (0 at 0, the engine's abs'(0)).
    if engine == "Value":
        params = [Value(0.5), Value(-2.0), Value(0.0)]
    else:
        params = [Tensor([0.5, -2.0]), Tensor([0.0])]
        for p in params:
            p.requires_grad = True
    penalty = l1(params, lam=0.1)
    penalty.backward()
    assert float(penalty.data) == pytest.approx(0.25, rel=1e-15)
    grads = [p.grad for p in params] if engine == "Value" else [g for p in params for g in p.grad.tolist()]
    assert grads == pytest.approx([0.1, -0.1, 0.0], rel=1e-15, abs=0.0)
