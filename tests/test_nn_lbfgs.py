"""nn.LBFGS: PyTorch's interface (step(closure)), the two-loop recursion, the strong Wolfe line search."""

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import LBFGS


def _rosenbrock_run(line_search_fn, max_iter=100):
    x = Tensor([-1.2, 1.0], requires_grad=True)
    opt = LBFGS([x], line_search_fn=line_search_fn, max_iter=max_iter)

    def closure():
        opt.zero_grad()
        loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] * x[0]) ** 2
        loss.backward()
        return loss

    first = opt.step(closure)
    return x, opt, first


def test_lbfgs_with_strong_wolfe_finds_rosenbrocks_minimum_and_returns_the_first_loss():
    x, opt, first = _rosenbrock_run("strong_wolfe")
    assert np.allclose(x.data, [1.0, 1.0], atol=1e-4)
    assert first.data == pytest.approx(24.2)                                # f(-1.2, 1) = 4.84 + 19.36
    assert opt.state["n_iter"] <= 100


def test_lbfgs_minimises_an_ill_conditioned_quadratic_of_values():
    A = np.diag([1.0, 10.0, 100.0])
    xs = [Value(1.0), Value(1.0), Value(1.0)]
    opt = LBFGS(xs, line_search_fn="strong_wolfe", tolerance_grad=1e-12, tolerance_change=1e-15)

    def closure():
        opt.zero_grad()
        loss = sum(0.5 * A[i, i] * xs[i] * xs[i] for i in range(3))
        loss.backward()
        return loss

    opt.step(closure)
    assert max(abs(v.data) for v in xs) < 1e-6


def test_lbfgs_matches_torch_iteration_by_iteration_when_installed():
    torch = pytest.importorskip("torch")
    for fn in (None, "strong_wolfe"):
        t = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
        theirs = torch.optim.LBFGS([t], lr=0.1 if fn is None else 1, line_search_fn=fn, max_iter=30)

        def closure_t(t=t, theirs=theirs):
            theirs.zero_grad()
            loss = (1 - t[0]) ** 2 + 100 * (t[1] - t[0] ** 2) ** 2
            loss.backward()
            return loss

        theirs.step(closure_t)
        x = Tensor([-1.2, 1.0], requires_grad=True)
        ours = LBFGS([x], lr=0.1 if fn is None else 1, line_search_fn=fn, max_iter=30)

        def closure(x=x, ours=ours):
            ours.zero_grad()
            loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] * x[0]) ** 2
            loss.backward()
            return loss

        ours.step(closure)
        assert ours.state["n_iter"] == theirs.state[t]["n_iter"]
        assert ours.state["func_evals"] == theirs.state[t]["func_evals"]
        assert np.allclose(x.data, t.detach().numpy(), rtol=1e-6, atol=1e-8)


def test_lbfgs_refuses_a_step_without_a_closure_and_bad_settings():
    w = Value(1.0)
    with pytest.raises(TypeError, match="closure"):
        LBFGS([w]).step()
    with pytest.raises(ValueError, match="line_search_fn"):
        LBFGS([w], line_search_fn="armijo")
    with pytest.raises(ValueError, match="max_iter"):
        LBFGS([w], max_iter=0)
