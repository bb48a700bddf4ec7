"""What must record whatever block it is called in (graph.recording()) enters no switch where grad is on already:
a switch entered puts every op, in every thread, on the slow road while it lasts (mode.fast is False). Each case
calls the user's own function inside the machinery and reads mode.fast there, with grad on; and the same call
inside no_grad() still records (mode.fast is off there, grad on)."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, compile, gradcheck, gradgradcheck, is_grad_enabled, no_grad
from autograd.functional import hessian
from autograd.graph import mode
from nn import LBFGS, MLP, SGD, fit


def run_hessian(f):
    hessian(lambda x: f((x * x * x).sum()), Tensor([1.0, 2.0]))


def run_gradcheck(f):
    gradcheck(lambda x: f((x * x).sum()), [Tensor([1.0, 2.0], requires_grad=True)])


def run_gradgradcheck(f):
    gradgradcheck(lambda x: f((x * x * x).sum()), [Tensor([1.0, 2.0], requires_grad=True)])


def run_compile(f):
    compile(lambda xs: f(xs[0] * xs[1]), [2.0, 3.0])


def run_lbfgs(f):
    w = Tensor([3.0], requires_grad=True)
    opt = LBFGS([w], lr=0.5, max_iter=2)

    def closure():
        opt.zero_grad()
        loss = f(((w - 1.0) ** 2).sum())
        loss.backward()
        return loss

    opt.step(closure)


def run_fit(f):
    model = MLP([2, 2], seed=0)
    X, Y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    fit(model, X, Y, lambda out, y: f(((out - Tensor(y)) ** 2).mean()), SGD(model.parameters(), lr=0.1), 1,
        progress=False)


CASES = [run_hessian, run_gradcheck, run_gradgradcheck, run_compile, run_lbfgs, run_fit]


@pytest.mark.parametrize("run", CASES, ids=lambda run: run.__name__[4:])
def test_with_grad_on_the_users_function_runs_on_the_fast_road(run):
    seen = []

    def f(loss):
        seen.append((is_grad_enabled(), mode.fast))
        return loss

    run(f)
    # the recorded calls (gradcheck's and gradgradcheck's numerical ones run inside no_grad(): no graph needed)
    recorded = [fast for on, fast in seen if on]
    assert recorded and all(recorded), seen


@pytest.mark.parametrize("run", CASES, ids=lambda run: run.__name__[4:])
def test_inside_no_grad_the_users_function_records_all_the_same(run):
    seen = []

    def f(loss):
        seen.append(is_grad_enabled() and bool(loss.parents))           # grad on, and a graph to differentiate
        return loss

    with no_grad():
        run(f)
        assert not is_grad_enabled()                                   # the caller's block holds again
    assert any(seen), seen
