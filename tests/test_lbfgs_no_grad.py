"""LBFGS.step(closure) inside no_grad() runs the closure with gradients on, as PyTorch's does (it raised)."""

from __future__ import annotations

import numpy as np

from autograd import Tensor, Value, no_grad
from nn import LBFGS


def quadratic_steps(make, inside_no_grad: bool) -> list[float]:
    # f(w) = (w0 - 1)^2 + 10 (w1 + 2)^2: its minimum (1, -2) is where L-BFGS goes
    w = make()
    opt = LBFGS([w], lr=1.0, max_iter=20)

    def closure():
        opt.zero_grad()
        if isinstance(w, Tensor):
            loss = ((w - Tensor([1.0, -2.0])) ** 2 * Tensor([1.0, 10.0])).sum()
        else:
            loss = (w - 1.0) ** 2
        loss.backward()
        return loss

    if inside_no_grad:
        with no_grad():
            first = opt.step(closure)
    else:
        first = opt.step(closure)
    values = w.data.tolist() if isinstance(w, Tensor) else [w.data]
    return [float(getattr(first, "data", first))] + values


def test_a_step_inside_no_grad_is_the_step_outside_it_for_tensors_and_values():
    for make in (lambda: Tensor(np.array([3.0, 0.5]), requires_grad=True), lambda: Value(3.0)):
        outside, inside = quadratic_steps(make, False), quadratic_steps(make, True)
        assert inside == outside
        assert outside[0] == (4.0 + 10 * 2.5 ** 2 if len(outside) == 3 else 4.0)   # the first loss, at the start
        assert abs(outside[1] - 1.0) < 1e-6                                       # and it moved to the minimum
