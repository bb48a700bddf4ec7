"""``Compiled.sgd`` refuses weights and rows of other widths than f was compiled for, by name. The generated loop
joins each sample's rows into one tuple before it unpacks them, so a row of x one number too long beside a row of y
one too short was read as x's and y's numbers, silently: (w0 x0 + w1 - y0)^2 at x = [1, 2], y = [] trained as at
x0 = 1, y0 = 2. A wrong width alone failed inside the loop with Python's bare "too many values to unpack"."""

from __future__ import annotations

import pytest

from autograd import Value, compile


def line(w, x, y):
    return (w[0] * x[0] + w[1] - y[0]) ** 2


def test_rows_whose_numbers_add_up_but_whose_widths_differ_are_refused_not_read_across():
    fast = compile(line, ([0.0, 0.0], [1.0], [2.0]), wrt=0)
    with pytest.raises(ValueError, match=r"^line.sgd: row 0 of data list 0 holds 2 numbers; f was compiled for "
                                         r"rows of 1 there \(the example's input list 1\)$"):
        fast.sgd([0.0, 0.0], [[1.0, 2.0]], [[]], lr=0.1, order=[0])
    # by hand, one step at x0 = 1, y0 = 2 from w = 0: dL/dw0 = 2 (0 - 2) 1 = -4, dL/dw1 = -4: w = [0.4, 0.4]
    assert fast.sgd([0.0, 0.0], [[1.0]], [[2.0]], lr=0.1, order=[0]) == [0.4, 0.4]
    ws = [Value(0.0), Value(0.0)]
    line(ws, [Value(1.0)], [Value(2.0)]).backward()
    assert [0.0 - 0.1 * w.grad for w in ws] == [0.4, 0.4]


@pytest.mark.parametrize("weights, X, Y, message", [
    ([0.0], [[1.0]], [[2.0]], r"^line.sgd: 1 weights given; f was compiled for 2 \(input list 0 of the example\)$"),
    ([0.0, 0.0, 0.0], [[1.0]], [[2.0]], r"3 weights given; f was compiled for 2"),
    ([0.0, 0.0], [[1.0], [2.0, 3.0]], [[1.0], [2.0]], r"row 1 of data list 0 holds 2 numbers; .* rows of 1 there"),
    ([0.0, 0.0], [[1.0]], [[2.0, 3.0]], r"row 0 of data list 1 holds 2 numbers; .* \(the example's input list 2\)"),
])
def test_weights_or_rows_of_another_width_are_refused_naming_which(weights, X, Y, message):
    fast = compile(line, ([0.0, 0.0], [1.0], [2.0]), wrt=0)
    with pytest.raises(ValueError, match=message):
        fast.sgd(weights, X, Y, lr=0.1, order=list(range(len(X))))


def test_the_data_lists_are_counted_around_weights_that_are_not_the_first_input():
    fast = compile(lambda x, w, y: (w[0] * x[0] - y[0]) ** 2, ([1.0], [0.0], [2.0]), wrt=1)
    with pytest.raises(ValueError, match=r"row 0 of data list 1 holds 2 numbers; .* \(the example's input list 2\)"):
        fast.sgd([0.0], [[1.0]], [[2.0, 1.0]], lr=0.1, order=[0])
    assert fast.sgd([0.0], [[1.0]], [[2.0]], lr=0.1, order=[0]) == [0.4]     # dL/dw = 2 (0 - 2) 1 = -4


def test_sgd_of_weights_alone_says_there_are_no_samples_and_what_to_do():
    # order was refused as "give whole numbers from 0 to -1 (the samples' rows)"
    fast = compile(lambda w: (w[0] - 3.0) ** 2, ([0.0],), wrt=0)
    with pytest.raises(ValueError, match=r"^compiled.sgd: f takes the weights alone, with no data list, so there "
                                         r"are no samples .* or call compiled\(w\) in a loop of your own"):
        fast.sgd([0.0], lr=0.1, order=[0, 0, 0])
    assert fast([0.0]) == (9.0, ([-6.0],))                                    # d/dw (w - 3)^2 = 2 (w - 3)
