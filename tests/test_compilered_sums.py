"""A weighted_sum of many terms compiles: a neuron of a wide layer (MNIST's 784 inputs, or 1,000) is one node whose
line sums every term. Its expression used to nest one level per term, and compile raised RecursionError past about
990 terms (fewer under a deeper stack: pytest, a notebook); Python's own compile() refuses such a sum of 10,000
terms. The code now keeps partial sums in temporaries, and gives the eager engine's floats bitwise."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from autograd import Value, compile, weighted_sum
from nn import scalar


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def eager_neuron(w: list[float], x: list[float], b: float) -> tuple:
    ws, xs, bias = [Value(v) for v in w], [Value(v) for v in x], Value(b)
    z = weighted_sum(ws, xs, bias).tanh()
    z.backward()
    return z.data, [v.grad for v in ws], [v.grad for v in xs], bias.grad


@pytest.mark.parametrize("n", [1_500, 10_500])
def test_a_weighted_sum_of_thousands_of_terms_compiles_to_the_eager_floats(n):
    rng = np.random.default_rng(n)
    w, x = rng.normal(size=n).tolist(), rng.normal(size=n).tolist()

    def neuron(w, x, b):
        return weighted_sum(w, x, b[0]).tanh()

    fast = compile(neuron, (w, x, [0.25]))
    w2, x2 = rng.normal(size=n).tolist(), (rng.normal(size=n) * 1e-3).tolist()   # new numbers, same graph
    value, (dw, dx, (db,)) = fast(w2, x2, [-0.5])
    e_value, e_dw, e_dx, e_db = eager_neuron(w2, x2, -0.5)
    assert bits(value) == bits(e_value) and bits(db) == bits(e_db)
    assert [bits(g) for g in dw] == [bits(g) for g in e_dw] and [bits(g) for g in dx] == [bits(g) for g in e_dx]


def test_a_sum_split_into_partial_sums_adds_in_the_engines_order():
    # terms of very different sizes: another order of the additions gives another float
    n = 1_200
    w = [1e16 if k % 3 == 0 else 1.0 for k in range(n)]
    x = [(-1.0) ** k for k in range(n)]
    fast = compile(lambda w, x: weighted_sum(w, x, 0.75), (w, x))
    value, _ = fast(w, x)
    total = 0.75
    for a, b in zip(w, x):                                     # b + w0 x0 + w1 x1 + ..., left to right
        total += a * b
    assert bits(value) == bits(total)


def test_a_scalar_mlp_with_a_thousand_inputs_takes_the_eager_step_when_compiled():
    X, y = np.linspace(-1.0, 1.0, 1_000)[None, :], [0.5]
    eager, compiled = scalar.MLP(1_000, [1], seed=0), scalar.MLP(1_000, [1], seed=0)
    params = eager.parameters()
    out = eager([Value(v) for v in X[0]])
    loss = (out - y[0]) ** 2
    loss.backward()
    for p in params:
        p.data -= 0.1 * p.grad
    step = compiled.compiled_step(lambda out, y: (out - y) ** 2)
    step(X.tolist(), y, lr=0.1)
    assert [bits(p.data) for p in compiled.parameters()] == [bits(p.data) for p in params]
