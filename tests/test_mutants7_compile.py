"""Mutation testing of autograd/compile.py, seventh round: each test fails on a deliberate mistake (named in the
test's comment) that the rest of the suite let pass. Expected numbers come from the eager engine or by hand."""

import math

import pytest

from autograd import compile
from autograd.compile import CompileError


def test_an_aux_value_the_code_cannot_reproduce_is_refused_at_compile_time():
    # mutant: _verify without its comparison of the aux Values. b is reported, never differentiated, so the
    # loss's check cannot see it; its data was set by hand after the op (x + 1 = 2 at the example, 99 held), and
    # the code would compute x + 1 at every call and hand it back as if it were the Value f reported.
    def f(x):
        a = x[0] * 2.0
        b = x[0] + 1.0
        b.data = 99.0
        return a, [b]

    with pytest.raises(CompileError, match="aux Values"):
        compile(f, [1.0], has_aux=True)


def test_a_nan_in_the_code_where_the_trace_holds_a_number_is_refused():
    # mutant: _same(a, b) as a == b or a != a (a NaN of the code matched any number of the trace). x inf at x = 0
    # is NaN in the code; the node's data was set to 5 by hand, so the code does not reproduce the trace.
    def f(x):
        y = x[0] * math.inf
        y.data = 5.0
        return y

    with pytest.raises(CompileError, match="value nan against 5.0"):
        compile(f, [0.0])


def test_a_nan_where_the_trace_holds_nan_too_is_accepted():
    # the other half of _same: NaN in both is the same answer (x inf at x = 0, eagerly and in the code)
    fast = compile(lambda x: x[0] * math.inf, [0.0])
    value, grad = fast([0.0])
    assert value != value and grad == [math.inf]


def test_sgd_with_one_data_list_too_many_is_refused_by_count():
    # mutant: len(data) < len(sizes) - 1 (too many data lists let through): the generated loop was then called
    # with the extra list in lr's place, and Python's TypeError named neither sgd nor the lists.
    fast = compile(lambda w, x: w[0] * x[0], ([1.0], [2.0]), wrt=0)
    with pytest.raises(ValueError, match="give the weights and 1 data lists, got 2"):
        fast.sgd([1.0], [[1.0]], [[2.0]], lr=0.1, order=[0])


def test_sgd_updates_two_weights_of_one_product_from_the_weights_before_the_step():
    # mutant: _update_in_place without its test that no later statement of the line assigns what the moved
    # expression reads. L = w0 w1 x: dL/dw0 = w1 x, dL/dw1 = w0 x, one line of code for the product. w0's update
    # was moved to the line's end (w0 -= lr * (w1 * g)), and then w1's too, after it: w1 stepped with the new w0.
    # By hand: both gradients from the weights before the step, then both steps.
    fast = compile(lambda w, x: w[0] * w[1] * x[0], ([0.5, -1.5], [2.0]), wrt=0)
    X, lr, order = [[2.0], [-1.0], [0.5]], 0.1, [0, 1, 2, 0]
    w0, w1 = 0.5, -1.5
    for i in order:
        x = X[i][0]
        g = 1.0 * x                                         # dL/d(w0 w1) = x, as the code multiplies it
        w0, w1 = w0 - lr * (w1 * g), w1 - lr * (w0 * g)
    assert fast.sgd([0.5, -1.5], X, lr=lr, order=order) == [pytest.approx(w0, rel=1e-12),
                                                            pytest.approx(w1, rel=1e-12)]


def test_sgd_of_a_function_whose_data_list_is_named_lr_keeps_the_data_and_the_learning_rate_apart():
    # mutant: "lr" not among the names an input list may not take. f(w, lr) then named its data list lr, and the
    # generated loop def sgd_f(w, lr, lr, order) was a SyntaxError at the first sgd call. Renamed (x), the loop
    # steps by hand: L = w0 lr0, dL/dw0 = lr0 (the data), w0 <- w0 - 0.1 lr0 over the rows 2, then -1.
    def f(w, lr):
        return w[0] * lr[0]

    fast = compile(f, ([1.0], [2.0]), wrt=0)
    assert fast.sgd([1.0], [[2.0], [-1.0]], lr=0.1, order=[0, 1]) == [pytest.approx(1.0 - 0.2 + 0.1, rel=1e-15)]
