"""The compiled SGD loop takes the eager engine's steps when a weight's gradient takes over a node's variable. In
``sgd_source`` a parent whose gradient starts as a copy of the node's (a bias: dz/db = 1) takes over the node's
variable instead of copying it. In a weighted_sum whose bias is also one of its weights or inputs, the bias's
later contribution then changed that variable while the line's next statements still read it as the node's
gradient: z = w + softplus(w) w + w w trained to w = -0.3438 in three steps of lr 0.1 from 0, where the eager
steps (and the compiled call's own gradients) give -0.3747."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, compile, weighted_sum


def bits(x: float) -> bytes:
    return struct.pack("<d", x + 0.0)   # (+0.0: a weight of -0.0 with a zero gradient, see docs/compile.md)


def eager_sgd(loss, w: list[float], X: list[list[float]], lr: float, order: list[int]) -> list[float]:
    """w <- w - lr dL/dw at each sample of ``order``, by Value.backward: the steps the loop must take."""
    for i in order:
        ws = [Value(v) for v in w]
        loss(ws, [Value(v) for v in X[i]]).backward()
        w = [v - lr * p.grad for v, p in zip(w, ws)]
    return w


def residual(w, x):
    """z = b + sum_i w_i x_i with the bias b = w0 also a weight and an input: w0 + softplus(w0) w0 + w0 w0."""
    return weighted_sum([w[0].softplus(), w[0]], [w[0], w[0]], w[0])


def bias_and_weight(w, x):
    """The bias w0 again as the weight of x0, then a product that reads the node's gradient after it."""
    return weighted_sum([w[0], w[1]], [x[0], x[0] * w[1]], w[0])


def unit_weight(w, x):
    """w0's partial 1 as a weight times the constant 1.0 (not a bias), then w0 as an input, then w1's term."""
    return weighted_sum([w[0], x[0], w[1]], [1.0, w[0], x[0]]).tanh() * x[1]


def test_the_residual_sum_trains_to_the_eager_weights_by_hand():
    # dz/dw = 1 + sigmoid(w) w + softplus(w) + 2 w; at w = 0: 1 + 0 + ln 2 + 0
    fast = compile(residual, ([0.0], [1.0]), wrt=0)
    assert fast([0.0], [1.0])[1] == ([1.0 + 0.6931471805599453],)
    w = fast.sgd([0.0], [[1.0]], lr=0.1, order=[0, 0, 0])
    assert w == eager_sgd(residual, [0.0], [[1.0]], 0.1, [0, 0, 0])
    assert abs(w[0] - (-0.37466229882138075)) < 1e-15


@pytest.mark.parametrize("loss", [residual, bias_and_weight, unit_weight])
@given(w=st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=2),
       X=st.lists(st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=2), min_size=1, max_size=3),
       order=st.lists(st.integers(0, 2), min_size=1, max_size=6), lr=st.sampled_from([0.01, 0.1, 0.5]))
def test_a_weight_that_is_a_sums_bias_and_a_term_takes_the_eager_steps(loss, w, X, order, lr):
    order = [i % len(X) for i in order]
    fast = compile(loss, (w, X[0]), wrt=0)
    got = fast.sgd(w, X, lr=lr, order=order)
    assert [bits(v) for v in got] == [bits(v) for v in eager_sgd(loss, w, X, lr, order)], fast.sgd_source


def test_a_sum_of_one_parent_twice_still_takes_over_the_variable():
    # x + x and a bias that is also the last term: the one statement after the take-over reads g before it adds
    # into it, so the loop keeps the shorter code there
    fast = compile(lambda w, x: (w[0] + w[0]) * x[0] + weighted_sum([x[0]], [w[1]], w[1]), ([0.5, 1.0], [2.0]),
                   wrt=0)
    source = fast.sgd_source
    assert "g_v0 += g_v0" in source
    assert fast.sgd([0.5, 1.0], [[2.0], [-1.0]], lr=0.1, order=[0, 1, 1]) == eager_sgd(
        lambda w, x: (w[0] + w[0]) * x[0] + weighted_sum([x[0]], [w[1]], w[1]), [0.5, 1.0], [[2.0], [-1.0]], 0.1,
        [0, 1, 1])
