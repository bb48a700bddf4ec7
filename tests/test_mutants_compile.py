"""Mutation testing of autograd/compile.py: each test fails on a deliberate mistake (named in the test's comment)
that the rest of the suite let pass. Expected numbers are worked out by hand from the loss's derivative."""

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
