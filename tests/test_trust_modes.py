"""Grad and anomaly modes belong to a thread (and an asyncio task); a graph never silently loses a Tensor;
a Tensor changed in place after the forward pass makes backward() refuse."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from autograd import Tensor, Value, detect_anomaly, enable_grad, gradcheck, is_grad_enabled, no_grad, stack
from autograd.graph import mode

TIMEOUT = 10  # seconds a thread may wait for another: a deadlock fails the test instead of hanging it


def _run(*targets):
    """Run each target in its own thread; re-raise the first exception any of them raised."""
    errors: list[BaseException] = []

    def guarded(f):
        def run():
            try:
                f()
            except BaseException as e:  # noqa: BLE001 (handed back to the test)
                errors.append(e)
        return run

    threads = [threading.Thread(target=guarded(f)) for f in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive(), "a thread did not finish"
    if errors:
        raise errors[0]


def test_no_grad_in_one_thread_leaves_another_threads_graph_alone():
    inside, done = threading.Event(), threading.Event()
    grads = {}

    def idle_in_no_grad():
        with no_grad():
            inside.set()
            assert done.wait(TIMEOUT)

    def differentiate():
        assert inside.wait(TIMEOUT)
        w = Value(3.0)
        (w * w).backward()
        t = Tensor([1.0, 2.0], requires_grad=True)
        (t * t).sum().backward()
        grads["value"], grads["tensor"], grads["enabled"] = w.grad, t.grad.tolist(), is_grad_enabled()
        done.set()

    _run(idle_in_no_grad, differentiate)
    assert grads == {"value": 6.0, "tensor": [2.0, 4.0], "enabled": True}  # d w^2/dw = 2w; d sum t^2/dt = 2t


def test_gradcheck_in_one_thread_does_not_zero_another_threads_gradients():
    stop = threading.Event()
    seen = []

    def check_repeatedly():
        x = Value(0.7)
        while not stop.is_set():
            assert gradcheck(lambda v: v.tanh() * v, [x])

    def train():
        for _ in range(300):
            w = Value(1.5)
            (w * w * w).backward()
            seen.append(w.grad)
        stop.set()

    _run(check_repeatedly, train)
    assert seen == [3 * 1.5**2] * 300                           # d w^3/dw = 3 w^2, every time


def test_no_grad_blocks_of_two_threads_may_exit_in_any_order():
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def a():
        with no_grad():
            a_in.set()
            assert b_in.wait(TIMEOUT)
        a_out.set()                                             # A leaves first, while B is still inside
        assert is_grad_enabled()

    def b():
        assert a_in.wait(TIMEOUT)
        with no_grad():
            b_in.set()
            assert a_out.wait(TIMEOUT)
            assert not is_grad_enabled()                        # B's block holds for B, whatever A did
        assert is_grad_enabled()

    _run(a, b)
    assert is_grad_enabled() and mode.fast                      # and the fast path is back for everyone
    w = Value(2.0)
    assert (w * w).parents == (w, w)


def test_an_asyncio_task_awaiting_inside_no_grad_leaves_other_tasks_recording():
    async def waits_in_no_grad(gate: asyncio.Event):
        with no_grad():
            gate.set()
            await asyncio.sleep(0.01)
            assert not is_grad_enabled()

    async def records(gate: asyncio.Event):
        await gate.wait()
        w = Value(2.0)
        y = w * 5
        y.backward()
        return is_grad_enabled(), y.parents == (w,), w.grad

    async def main():
        gate = asyncio.Event()
        _, result = await asyncio.gather(waits_in_no_grad(gate), records(gate))
        return result

    assert asyncio.run(main()) == (True, True, 5.0)


def test_detect_anomaly_in_one_thread_does_not_raise_in_another():
    inside, done = threading.Event(), threading.Event()
    results = []

    def watch():
        with detect_anomaly():
            inside.set()
            assert done.wait(TIMEOUT)
            with pytest.raises(FloatingPointError):
                Value(1e308) * 10                                # here it is on

    def overflow_quietly():
        assert inside.wait(TIMEOUT)
        results.append((Value(1e308) * 10).data)                 # IEEE: inf, no anomaly check in this thread
        done.set()

    _run(watch, overflow_quietly)
    assert results == [float("inf")]


def test_no_grad_decorating_a_generator_function_holds_inside_each_step():
    @no_grad()
    def squares(w):
        for k in range(3):
            received = yield w * k, is_grad_enabled()
            assert received is None or received == "ping"
        return "done"

    w = Value(2.0)
    steps = squares(w)
    out, enabled = next(steps)
    assert out.parents == () and not enabled and is_grad_enabled()   # off inside, on between steps
    out, enabled = steps.send("ping")
    assert out.data == 2.0 and out.parents == () and not enabled
    assert is_grad_enabled() and (w * w).parents == (w, w)
    with pytest.raises(StopIteration) as stop:
        next(steps), next(steps)
    assert stop.value.value == "done"


def test_no_grad_decorating_a_coroutine_function_holds_while_it_awaits():
    @no_grad()
    async def scaled(w):
        await asyncio.sleep(0)
        return w * 3, is_grad_enabled()

    y, enabled = asyncio.run(scaled(Value(1.0)))
    assert y.parents == () and not enabled and is_grad_enabled()


def test_enable_grad_inside_no_grad_and_the_fast_flag_comes_back():
    with no_grad():
        assert not mode.fast and not is_grad_enabled()
        with enable_grad():
            w = Value(1.0)
            assert (w * 2).parents == (w,)
        assert (w * 2).parents == ()
    assert mode.fast and is_grad_enabled()


# --- a Tensor that requires grad never turns into a plain array silently ---------------------------------------

def test_numpy_handed_tensors_that_require_grad_refuses_instead_of_dropping_the_graph():
    x = Tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match=r"requires grad.*detach\(\)"):
        np.mean([x * x, 3 * x]) + 0.1 * x * x                   # gave x.grad == 0.2 instead of 2.7
    loss = stack([x * x, 3 * x]).mean() + 0.1 * x * x           # the Tensor way: d/dx = (2x + 3)/2 + 0.2x
    loss.backward()
    assert x.grad == pytest.approx(2.7, abs=1e-15)
    with pytest.raises(TypeError, match="detach"):
        x.numpy()
    with pytest.raises(TypeError, match="requires grad"):
        np.asarray(x)
    assert np.asarray(x.detach()) is x.data
    with no_grad():                                             # no graph to lose
        assert np.asarray(x) is x.data and x.numpy() is x.data
    constant = Tensor([1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(constant), [1.0, 2.0])


# --- version counter ---------------------------------------------------------------------------------------

def test_backward_refuses_after_a_parameter_was_changed_in_place_since_the_forward_pass():
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    loss = (w * w).sum()
    with no_grad():
        w -= 0.5                                                # the graph saw [1, 2]; w is now [0.5, 1.5]
    with pytest.raises(RuntimeError, match=r"'w' \(parent #0 of the '\*' node\) was changed in place"):
        loss.backward()
    assert w.grad is None                                       # nothing was accumulated from the new numbers
    loss = (w * w).sum()                                        # recomputed after the change: fine
    loss.backward()
    np.testing.assert_array_equal(w.grad, [1.0, 3.0])           # 2 w


def test_the_optimizers_update_counts_as_a_change_in_place():
    from nn import SGD

    w = Tensor([1.0, -1.0], requires_grad=True)
    loss = (w * w).sum()
    loss.backward()
    opt = SGD([w], lr=0.1)
    opt.step()                                                  # w -= 0.1 * 2w
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()                                         # the old graph, after the step


def test_a_change_before_the_graph_was_made_is_fine_and_an_unnamed_tensor_is_named_by_shape():
    w = Tensor(np.ones((2, 3)), requires_grad=True)
    with no_grad():
        w *= 2.0
    y = (w * 3).sum()
    y.backward()
    np.testing.assert_array_equal(w.grad, np.full((2, 3), 3.0))
    z = (w.exp()).sum()
    with no_grad():
        w += 1.0
    with pytest.raises(RuntimeError, match=r"a Tensor of shape \(2, 3\) \(parent #0 of the 'exp' node\)"):
        z.backward()
