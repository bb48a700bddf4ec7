"""Hostile sizes given as arguments (not files): each is refused at the call, naming the argument and the bound, in
well under a second and a few MiB, where the old code computed or allocated in a loop for minutes before memory ran
out. The huge cases are never run: ``refused_cheaply`` fails a test whose call is still busy after two seconds."""

from __future__ import annotations

import numpy as np

from autograd import Tensor, Value
from autograd.functional import hessian, jacobian
from tests.hostile import refused_cheaply

# --- autograd.functional: n^2 numbers, one backward pass per row ------------------------------------------------


def test_a_jacobian_of_more_than_2_gib_is_refused_before_its_first_backward_pass():
    n = 2**15                                                  # 2**15 x 2**15 = 2**30 numbers, 8 GiB
    error = refused_cheaply(jacobian, lambda x: x * 2, Tensor(np.ones(n)), match="Jacobian would hold")
    message = str(error)
    assert "32,768 x 32,768 = 1,073,741,824 numbers (8.0 GiB in float64)" in message
    assert "at most 2**28 = 268,435,456" in message and "vjp or jvp" in message


def test_a_jacobian_counts_every_output_and_every_input():
    a, b = Tensor(np.ones(2**13)), Tensor(np.ones(2**13))        # two inputs, two outputs: (2**14)^2 = 2**28: taken
    error = refused_cheaply(jacobian, lambda x, y: (x * y, (x + y).sum(), x), (a, b), match="Jacobian would hold")
    assert "16,385 x 16,384" in str(error) and "jacobian:" in str(error)


def test_a_hessian_towards_more_than_16384_entries_is_refused_before_its_first_backward_pass():
    error = refused_cheaply(hessian, lambda x: (x * x).sum(), Tensor(np.ones(16_385)), match="Hessian would hold")
    assert "16,385 x 16,385" in str(error) and "hvp or vhp" in str(error) and str(error).startswith("hessian:")


def test_a_hessian_of_values_is_bounded_alike():
    xs = [Value(1.0) for _ in range(16_385)]
    refused_cheaply(hessian, lambda v: v[0] * v[1], xs, match="hessian: the Hessian would hold 16,385 x 16,385")


def test_jacobians_and_hessians_within_the_bound_are_still_computed():
    J = jacobian(lambda x: x ** 2, Tensor([1.0, 3.0]))               # diag(2 x)
    assert J.data.tolist() == [[2.0, 0.0], [0.0, 6.0]]
    H = hessian(lambda v: v[0] * v[0] * v[1], [Value(1.0), Value(2.0)])   # [[2 y, 2 x], [2 x, 0]]
    assert H.tolist() == [[4.0, 2.0], [2.0, 0.0]]
