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


def _fit_problem():
    from nn import MLP
    rng = np.random.default_rng(4)
    X = rng.normal(size=(16, 2))
    return X, np.sin(X[:, :1]) + X[:, 1:] ** 2, MLP([2, 5, 1], activation="tanh", seed=2)


@pytest.mark.parametrize("batch_size", [None, 4])
def test_fit_runs_lbfgs_through_a_closure_per_batch_as_a_hand_written_loop(batch_size):
    from nn import fit, losses
    X, Y, model = _fit_problem()
    h = fit(model, X, Y, "mse", LBFGS(model.parameters(), max_iter=5), 3, batch_size=batch_size, seed=7,
            progress=False)
    _, _, hand = _fit_problem()                                  # the same start, stepped by a loop written here
    opt, rng, losses_seen = LBFGS(hand.parameters(), max_iter=5), np.random.default_rng(7), []
    for _ in range(3):
        order = rng.permutation(16)
        total = 0.0
        for i in range(0, 16, batch_size or 16):
            rows = order[i:i + (batch_size or 16)]

            def closure(rows=rows):
                opt.zero_grad()
                L = losses.mse(hand(Tensor(X[rows])), Y[rows])
                L.backward()
                return L

            total += float(opt.step(closure).data) * len(rows)   # step returns the first evaluation's loss
        losses_seen.append(total / 16)
    for p, q in zip(model.parameters(), hand.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
    np.testing.assert_allclose(h.train_loss, losses_seen, rtol=1e-15)
    assert h.train_loss[-1] < h.train_loss[0]


def test_fit_with_lbfgs_stops_on_a_non_finite_first_loss_before_any_step():
    from nn import fit
    X, Y, model = _fit_problem()
    Y[3] = 1e200                                                    # (1e200)^2 / N overflows: the loss is inf
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(FloatingPointError, match=r"fit: the training loss is inf at epoch 0, batch 0"), \
            np.errstate(over="ignore"):
        fit(model, X, Y, "mse", LBFGS(model.parameters()), 2, progress=False)
    for p, b in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, b)
