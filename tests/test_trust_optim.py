"""Hostile inputs to the optimizers and to autograd.functional: each test failed before its fix, and its expected
numbers come from torch.optim / torch.autograd.functional (float64, skipped where torch is missing), from formulas
by hand, or from the refusal PyTorch itself gives; never from the code under test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import LBFGS, SGD, Adam

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")


# --- parameters ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps), lambda ps: LBFGS(ps)])
def test_a_computed_tensor_is_refused_as_a_parameter_as_pytorch_refuses_it(make):
    # w * 2 requires grad but is not a leaf: a step could never move it (its numbers are recomputed from w), so
    # the optimizer trained nothing, silently; torch.optim says "can't optimize a non-leaf Tensor"
    w = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"parameter 1 is computed from other Tensors \(not a leaf\).*w.detach\(\)"):
        make([Tensor([0.0], requires_grad=True), w * 2.0])


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps), lambda ps: LBFGS(ps)])
def test_a_computed_value_is_refused_as_a_parameter_as_a_computed_tensor_is(make):
    # y = 2x as a parameter: a step changed y's number (1.6 after one SGD step on y^2) while x, from which the next
    # forward pass computes y again, stayed 1.0
    x = Value(1.0)
    with pytest.raises(ValueError, match=r"parameter 1 is computed from other Values \(not a leaf\)"):
        make([Value(0.5), x * 2.0])


def _frozen_for_one_step(opt, p):
    """Minimise sum p^2; at the second step p is frozen (requires_grad_(False)) with a stale gradient 1 left in
    .grad (no zero_grad() that step), then unfrozen for the third. Returns p after each step."""
    out = []
    for step in range(3):
        if step == 1:
            p.requires_grad_(False)
            p.grad = np.ones(1)
        else:
            p.requires_grad_(True)
            opt.zero_grad()
            (p * p).sum().backward()
        opt.step()
        out.append(float(p.data[0]))
    return out


def test_sgd_leaves_a_frozen_parameters_velocity_alone_as_its_value():
    # By hand (lr 0.1, momentum 0.9, g = 2p): v1 = 2, p1 = 0.8; step 2 frozen: nothing changes; step 3: g = 1.6,
    # v = 0.9 * 2 + 1.6 = 3.4, p3 = 0.8 - 0.34 = 0.46. The velocity took the stale gradient in (v = 2.8), so
    # p3 was 0.388 although the step said the parameter was left alone.
    p = Tensor([1.0], requires_grad=True)
    got = _frozen_for_one_step(SGD([p], lr=0.1, momentum=0.9), p)
    assert got == [pytest.approx(0.8, abs=1e-15), pytest.approx(0.8, abs=1e-15), pytest.approx(0.46, abs=1e-15)]


def test_adam_leaves_a_frozen_parameters_moments_and_step_count_alone():
    # step 1: g = 2, m = 0.2, v = 0.004, p1 = 1 - 0.1 * 2 / (2 + eps); step 2 frozen: nothing; step 3 is the
    # parameter's second step (t = 2): g = 2 p1, m = 0.9 * 0.2 + 0.1 g, v = 0.999 * 0.004 + 0.001 g^2
    p = Tensor([1.0], requires_grad=True)
    got = _frozen_for_one_step(Adam([p], lr=0.1), p)
    p1 = 1.0 - 0.1 * 2.0 / (2.0 + 1e-8)
    g = 2.0 * p1
    m, v = 0.9 * 0.2 + 0.1 * g, 0.999 * 0.004 + 0.001 * g * g
    p3 = p1 - 0.1 * (m / (1 - 0.9**2)) / (math.sqrt(v / (1 - 0.999**2)) + 1e-8)
    assert got == [pytest.approx(p1, abs=1e-15), pytest.approx(p1, abs=1e-15), pytest.approx(p3, abs=1e-15)]


# --- L-BFGS against torch.optim.LBFGS --------------------------------------------------------------------------

_A = np.diag([1.0, 10.0, 100.0, 1000.0])
_B = np.array([1.0, -2.0, 0.5, 3.0])


def _quadratic(x):        # 0.5 x^T A x - b^T x, condition number 1000: the line search extrapolates and zooms
    if torch is not None and isinstance(x, torch.Tensor):
        return 0.5 * x @ torch.tensor(_A) @ x - torch.tensor(_B) @ x
    return 0.5 * (x * (x @ _A)).sum() - (x * _B).sum()


def _rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def _kinked(x):           # |x| terms: the slope jumps, so the line search brackets and gives up on some lines
    return sum((x[i] - i).abs() for i in range(len(x))) + 0.01 * (x * x).sum()


def _flat(x):             # almost linear: the search extrapolates until its evaluations run out (it "fails")
    return (x * x).sum() * 1e-6 - (x[0] + 2 * x[1])


def _lbfgs_side_by_side(f, start, steps, **settings):
    """Our LBFGS and torch's from the same start with the same settings; after each step(closure): the
    parameters, the loss step() returned and the counters."""
    ours = Tensor(np.array(start), requires_grad=True)
    theirs = torch.tensor(np.array(start), requires_grad=True)
    opt, topt = LBFGS([ours], **settings), torch.optim.LBFGS([theirs], **settings)

    def closure():
        opt.zero_grad()
        loss = f(ours)
        loss.backward()
        return loss

    def tclosure():
        topt.zero_grad()
        loss = f(theirs)
        loss.backward()
        return loss

    rows = []
    for _ in range(steps):
        got, want = opt.step(closure), topt.step(tclosure)
        state = topt.state[theirs]
        rows.append((ours.data.copy(), theirs.detach().numpy().copy(), float(got.data), float(want.detach()),
                     (opt.state["n_iter"], opt.state["func_evals"]), (state["n_iter"], state["func_evals"])))
    return rows


@needs_torch
@pytest.mark.parametrize("f, start", [(_quadratic, [0.0, 0.0, 0.0, 0.0]), (_rosenbrock, [-1.0, 1.0, -1.0, 1.0]),
                                      (_rosenbrock, [-1.2, 1.0]), (_kinked, [3.0, -2.0, 0.5]), (_flat, [0.0, 0.0])],
                         ids=["quadratic", "rosenbrock4", "rosenbrock2", "kinked", "flat"])
@pytest.mark.parametrize("settings", [
    dict(line_search_fn="strong_wolfe"),
    dict(line_search_fn="strong_wolfe", history_size=3),
    dict(line_search_fn="strong_wolfe", max_iter=5),
    dict(line_search_fn="strong_wolfe", max_iter=200, tolerance_grad=1e-12, tolerance_change=1e-14),
    dict(line_search_fn="strong_wolfe", max_iter=3, max_eval=4),
    dict(lr=0.5, max_iter=7, history_size=2),
    dict(lr=0.1),
], ids=["wolfe", "wolfe-history3", "wolfe-max_iter5", "wolfe-tight", "wolfe-max_eval4", "lr0.5-history2", "lr0.1"])
def test_lbfgs_takes_torchs_steps_step_by_step(f, start, settings):
    # the strong Wolfe search extrapolated by 1% of the last step where torch's (and Nocedal & Wright's) goes as
    # far as the cubic says, up to 10x, and took the low end of a bracket by position, not by loss: on the
    # quadratic it spent 25 evaluations for torch's 15 and ended 1.2e-3 away
    # (torch 2.13 also gives the search only the evaluations max_eval leaves). Numbers agree to 1e-12, except with
    # a history of 3 pairs, which amplifies differences in the last bit (numpy's dot sums in another order than
    # torch's) over 20 iterations to ~1e-10; the counts, where a wrong decision shows, are equal throughout.
    tol = 1e-9 if settings.get("history_size") == 3 else 1e-12
    for k, (x, tx, loss, tloss, counts, tcounts) in enumerate(_lbfgs_side_by_side(f, start, 4, **settings)):
        assert counts == tcounts, f"step {k}: (n_iter, func_evals) {counts}, torch {tcounts}"
        np.testing.assert_allclose(x, tx, rtol=tol, atol=tol, err_msg=f"step {k}")
        assert loss == pytest.approx(tloss, rel=tol, abs=tol)


# --- L-BFGS on closures that misbehave ---------------------------------------------------------------------------

@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_refuses_an_infinite_gradient_at_the_start_before_moving_anything(line_search_fn):
    # sqrt(x) at x = 0 has slope inf: the first direction was -inf, and without a line search (max_iter=1, so no
    # evaluation after the move) step() returned quietly with x = [-inf, nan]
    x = Tensor([0.0, 4.0], requires_grad=True)
    opt = LBFGS([x], max_iter=1, line_search_fn=line_search_fn)

    def closure():
        opt.zero_grad()
        loss = x.sqrt().sum()
        loss.backward()
        return loss

    with pytest.raises(FloatingPointError, match=r"LBFGS: the closure gave a gradient holding NaN or inf"):
        opt.step(closure)
    assert x.data.tolist() == [0.0, 4.0]


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_puts_the_parameters_back_when_a_later_loss_is_nan(line_search_fn):
    # f = (x - 3)^2, NaN beyond x = 1.5. Iteration 1 goes from 0 to 1 (t = 1/|g|_1 = 1/6 along d = 6); iteration 2
    # takes the Newton step to 3, whose loss is NaN: the refusal used to leave x at the NaN point, 3
    x = Tensor([0.0], requires_grad=True)
    opt = LBFGS([x], line_search_fn=line_search_fn)

    def closure():
        opt.zero_grad()
        loss = ((x - 3.0) ** 2).sum()
        loss.backward()
        return loss * float("nan") if x.data[0] > 1.5 else loss

    with pytest.raises(FloatingPointError, match=r"a loss of nan; the parameters are left at the last point"):
        opt.step(closure)
    assert x.data.tolist() == [1.0]


@pytest.mark.parametrize("returned, shown", [(None, "None"), ("vector", r"shape \(2,\)")])
def test_lbfgs_refuses_a_closure_that_returns_no_single_loss(returned, shown):
    x = Tensor([1.0, 2.0], requires_grad=True)
    opt = LBFGS([x])

    def closure():
        opt.zero_grad()
        loss = x * x
        loss.sum().backward()
        return loss if returned == "vector" else None

    with pytest.raises(TypeError, match=rf"LBFGS: the closure must return the loss, one number .*got {shown}"):
        opt.step(closure)
    assert x.data.tolist() == [1.0, 2.0]


def test_lbfgs_takes_a_loss_that_is_a_value_or_a_tensor_of_one_entry():
    # Rosenbrock from (-1.2, 1) with strong Wolfe, two ways of returning the same loss: the same steps
    ends = []
    for wrap in (lambda loss: loss, lambda loss: loss.reshape(1)):
        x = Tensor([-1.2, 1.0], requires_grad=True)
        opt = LBFGS([x], line_search_fn="strong_wolfe")

        def closure(x=x, opt=opt, wrap=wrap):
            opt.zero_grad()
            loss = _rosenbrock(x)
            loss.backward()
            return wrap(loss)

        opt.step(closure)
        ends.append(x.data.tolist())
    assert ends[0] == ends[1]


@pytest.mark.parametrize("name", ["tolerance_grad", "tolerance_change"])
@pytest.mark.parametrize("bad", [float("nan"), -1e-9])
def test_lbfgs_refuses_a_tolerance_that_is_nan_or_negative(name, bad):
    # every comparison with NaN is False: tolerance_grad=nan never stopped at a minimum, and tolerance_change=nan
    # let a direction that is not a descent one through (gtd > -nan is False)
    with pytest.raises(ValueError, match=rf"LBFGS: {name} must be (a finite number )?>= 0, got"):
        LBFGS([Value(1.0)], **{name: bad})


# --- SGD and Adam against torch.optim --------------------------------------------------------------------------

@needs_torch
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind, settings", [
    ("SGD", dict(lr=0.05)), ("SGD", dict(lr=0.05, momentum=0.9)), ("SGD", dict(lr=0.05, momentum=0.9,
                                                                                weight_decay=0.1)),
    ("Adam", dict(lr=0.01)), ("Adam", dict(lr=0.01, betas=(0.5, 0.9), eps=1e-3)),
])
def test_sgd_and_adam_take_torchs_steps_on_a_small_mlp(kind, settings, dtype):
    # a 3-4-1 tanh network on 5 samples; a third parameter gets a gradient only on even steps (None otherwise:
    # no move, no momentum, no Adam step count), and lr decays between steps. Same start, same settings.
    rng = np.random.default_rng(0)
    shapes = [(4, 3), (4,), (1, 4), (1,), (3,)]
    start = [rng.normal(size=s).astype(dtype) for s in shapes]
    X, Y = rng.normal(size=(5, 3)).astype(dtype), rng.normal(size=(5, 1)).astype(dtype)
    ours = [Tensor(a.copy(), requires_grad=True) for a in start]
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in start]
    opt = (SGD if kind == "SGD" else Adam)(ours, **settings)
    topt = getattr(torch.optim, kind)(theirs, **settings)

    def loss(W1, b1, W2, b2, extra, X, Y, step):
        h = (X @ W1.T + b1).tanh()
        out = ((h @ W2.T + b2 - Y) ** 2).mean()
        return out + (extra * extra).sum() * 0.5 if step % 2 == 0 else out

    tol = 1e-12 if dtype == np.float64 else 2e-5
    for step in range(12):
        lr = settings["lr"] * 0.9**step
        opt.lr = lr
        topt.param_groups[0]["lr"] = lr
        opt.zero_grad()
        topt.zero_grad()
        loss(*ours, X, Y, step).backward()
        loss(*theirs, torch.tensor(X), torch.tensor(Y), step).backward()
        assert (ours[4].grad is None) == (theirs[4].grad is None)
        opt.step()
        topt.step()
        for p, t in zip(ours, theirs):
            assert p.data.dtype == dtype
            np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=tol, atol=tol, err_msg=f"step {step}")


@needs_torch
def test_sgd_and_adam_on_values_take_torchs_steps():
    # Rosenbrock on two Values, Adam and SGD with momentum, 50 steps
    for make, tmake in ((lambda ps: Adam(ps, lr=0.01), lambda ps: torch.optim.Adam(ps, lr=0.01)),
                        (lambda ps: SGD(ps, lr=1e-3, momentum=0.9), lambda ps: torch.optim.SGD(ps, lr=1e-3,
                                                                                                momentum=0.9))):
        xs = [Value(-1.2), Value(1.0)]
        t = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
        opt, topt = make(xs), tmake([t])
        for _ in range(50):
            opt.zero_grad()
            _rosenbrock(xs).backward()
            opt.step()
            topt.zero_grad()
            _rosenbrock(t).backward()
            topt.step()
        np.testing.assert_allclose([v.data for v in xs], t.detach().numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: SGD(ps, lr=0.1, weight_decay=0.01), lambda ps: Adam(ps, lr=0.1)],
                         ids=["SGD", "SGD+momentum", "SGD+weight_decay", "Adam"])
@pytest.mark.parametrize("grad", [np.array([1.0]), np.ones((1, 3)), np.float64(1.0)], ids=["(1,)", "(1,3)", "0-d"])
def test_a_grad_of_another_shape_than_its_parameter_is_refused_not_broadcast(make, grad):
    # w.grad = np.array([1.0]) on a (3,) parameter: numpy spread it over all three entries and SGD moved each by
    # lr (PyTorch refuses to assign a grad of another shape); the parameter stays as it was
    w = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    opt = make([w])
    w.grad = grad
    with pytest.raises(ValueError, match=r"parameter 0 has shape \(3,\) but its .grad has shape"):
        opt.step()
    assert w.data.tolist() == [1.0, 2.0, 3.0]


def test_a_refused_grad_shape_leaves_the_momentum_as_it_was():
    # the shape was checked after v <- mu v + g: the velocity took the (1,) grad's broadcast shape before the
    # refusal, and every later step failed even with a right gradient
    w = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    opt = SGD([w], lr=0.1, momentum=0.9)
    w.grad = np.array([1.0])
    with pytest.raises(ValueError, match="has shape"):
        opt.step()
    w.grad = np.array([1.0, 1.0, 1.0])
    opt.step()                                              # v = g (the first step), w <- w - 0.1 v
    assert w.data.tolist() == [1.0 - 0.1, 2.0 - 0.1, 3.0 - 0.1]
