"""Mutation testing of autograd/compile.py: each test fails on a deliberate mistake (named in the test's comment)
that the rest of the suite let pass. Expected numbers are worked out by hand from the loss's derivative."""

import pytest

from autograd import compile


def test_sgd_keeps_in_the_loop_a_constant_first_contribution_to_a_gradient_summed_with_others():
    # mutant: _loop_invariant without its "set only once" test. L = w x + 3 w: dL/dw = 3 + x. Its first line,
    # g_w0 = 3.0 * g_v1, reads only the seed (the same floats at every step), but g_w0 += x0 * g_v2 adds to it
    # inside the loop: moved before the loop, the 3 was counted once and the x's summed over the steps.
    def loss(w, x):
        return w[0] * x[0] + w[0] * 3.0

    fast = compile(loss, ([0.5], [1.0]), wrt=0)
    X, lr, order = [[1.0], [2.0], [-0.5]], 0.1, [0, 1, 1, 2, 0]
    w = 0.5
    for i in order:
        w -= lr * (3.0 + X[i][0])                     # the same floats: (3.0 * 1.0 + x * 1.0), then w - lr g
    assert fast.sgd([0.5], X, lr=lr, order=order) == [w]
    assert abs(w - (0.5 - 0.1 * (4 + 5 + 5 + 2.5 + 4))) < 1e-12     # the steps' dL/dw: 3 + x_i



def _sum_used_twice(w, x):
    s = w[0] * x[0] + w[1] * x[0]
    return (s + w[1]) + s


def _sum_beside_a_sum(w, x):
    a, b = w[0] * x[0], w[1] * x[0]
    return (a + a * 2.0) + (a + b)


def test_sgd_gives_each_parent_of_a_sum_its_own_gradient_variable():
    # mutant: the SGD code's aliasing (dL/d(parent) starts as dL/d(node), no copy) without its "handed over
    # once" test: two parents of sums then shared one variable, and a later += into one changed the other's
    # gradient. By hand, with s = w0 x + w1 x, L = (s + w1) + s: dL/dw0 = 2x, dL/dw1 = 2x + 1; with a = w0 x,
    # b = w1 x, L = (a + 2a) + (a + b): dL/dw0 = 4x, dL/dw1 = x.
    X, lr, order = [[2.0], [-1.0], [0.5]], 0.1, [0, 1, 2, 1]
    for loss, slopes in ((_sum_used_twice, lambda x: (2 * x, 2 * x + 1)),
                         (_sum_beside_a_sum, lambda x: (4 * x, x))):
        fast = compile(loss, ([0.5, -1.0], [2.0]), wrt=0)
        w0, w1 = 0.5, -1.0
        for i in order:
            g0, g1 = slopes(X[i][0])
            w0, w1 = w0 - lr * g0, w1 - lr * g1
        got = fast.sgd([0.5, -1.0], X, lr=lr, order=order)
        assert got == [pytest.approx(w0, rel=1e-12), pytest.approx(w1, rel=1e-12)], loss.__name__
