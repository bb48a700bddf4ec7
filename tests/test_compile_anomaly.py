"""Anomaly mode's backward sweeps, made once: each vjp runs once under detect_anomaly() (the check and the sweep
were two passes), and the Value engine's float and graph sweeps check with one function, with the same messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Tensor, Value, detect_anomaly, grad


def test_grad_under_detect_anomaly_runs_each_vjp_once():
    # _sweep_into's check ran every node's vjp on the numbers, then the sweep ran it again for the same arrays
    x = Tensor([0.5, 2.0], requires_grad=True)
    y = (x * x).exp()
    z = y.sum()
    calls = []
    for node in (y, z):
        vjp = node.vjp
        node.vjp = lambda g, *more, vjp=vjp, op=node.op: calls.append(op) or vjp(g, *more)
    with detect_anomaly():
        (dx,) = grad(z, [x])
    assert calls == ["sum", "exp"]                                            # each once, root first
    assert np.allclose(dx, 2 * x.data * np.exp(x.data ** 2), rtol=1e-15, atol=0)  # d/dx e^(x^2) = 2x e^(x^2)


def test_grad_under_detect_anomaly_still_names_the_op_that_made_a_nonfinite_gradient():
    x = Tensor([0.0, 4.0], requires_grad=True)
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"'sqrt'") as refused:
        grad(x.sqrt().sum(), [x])
    assert "gave inf" in str(refused.value)                                   # d/dx sqrt(x) = 1/(2 sqrt 0) = inf
    tiny = Tensor([1e-300], requires_grad=True)                               # each path 1e308, both inf: the sum
    with detect_anomaly(), pytest.raises(FloatingPointError, match="add up to inf"):
        grad((tiny * 1e308 + tiny * 1e308).sum(), [tiny])


@pytest.mark.parametrize("create_graph", [False, True])
def test_both_value_sweeps_under_detect_anomaly_name_the_same_op(create_graph):
    # the float sweep and the graph sweep check with one function: the same messages
    x = Value(0.0)
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"'sqrt' node .*gave inf as the gradient of its "
                                                                   r"parent #0"):
        grad(x.sqrt() * 3.0, [x], create_graph=create_graph)                 # 3 / (2 sqrt 0) = inf
    tiny = Value(1e-300)                                                       # each path 1e308, both inf: the sum
    with detect_anomaly(), pytest.raises(FloatingPointError, match="add up to inf"):
        grad(tiny * 1e308 + tiny * 1e308, [tiny], create_graph=create_graph)
    with detect_anomaly(), pytest.raises(FloatingPointError, match="the seed grad is nan"):
        (Value(2.0) * 3.0).backward(math.nan, create_graph=create_graph)


def test_the_seed_is_converted_once_for_both_backward_passes():
    # backward() and backward(create_graph=True) each converted and checked the seed: now backward() does, once
    x = Value(3.0)
    (x * x).backward(np.float32(0.5), create_graph=True)                     # d/dx x^2 = 6, times 0.5
    assert x.grad.data == 3.0 and type(x.grad.data) is float
    x = Value(3.0)
    (x * x).backward(Value(0.5), create_graph=True)                          # a Value seed: part of the graph
    assert x.grad.data == 3.0
    with pytest.raises(TypeError, match="backward: the seed grad must be a real number"):
        (x * x).backward(Value(0.5))
    with pytest.raises(TypeError, match="backward: the seed grad must be a real number"):
        (x * x).backward("1", create_graph=True)
