"""numpy with Values, as micrograd-style code writes it: arrays of Values, numpy's functions on one Value.

Each numpy function that works on an array of Values must give numpy's own number on the floats, and gradients
equal to central differences of that float function; what cannot work is a TypeError naming what to write.
"""

import re

import numpy as np
import pytest

from autograd import Value

NUMBERS = [0.7, -1.3, 2.1, 0.4]


def _values_and_grads(f, numbers):
    """f on an object array of Values: its number and the gradient towards each entry."""
    values = [Value(n) for n in numbers]
    out = f(np.array(values, dtype=object))
    out.backward()
    return out.data, [v.grad for v in values]


def _central(f, numbers, h=1e-6):
    """f on float arrays (numpy's own float code): its number and central differences."""
    x = np.array(numbers, dtype=float)
    slopes = []
    for i in range(len(x)):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        slopes.append((f(up) - f(down)) / (2 * h))
    return float(f(x)), slopes


@pytest.mark.parametrize("f", [
    # np.var, np.std, np.vdot and a norm along an axis call .conjugate() on each entry: a TypeError before
    lambda a: np.var(a),
    lambda a: np.std(a),
    lambda a: np.var(a, ddof=1),
    lambda a: np.vdot(a, a[::-1]),
    lambda a: np.linalg.norm(a.reshape(2, 2), axis=1)[1],
    lambda a: np.conj(a).sum(),
    # the ones that worked, kept working
    lambda a: (a.reshape(2, 2) @ a[:2])[0],
    lambda a: np.dot(a.reshape(2, 2), a[2:]).sum(),
    lambda a: a.reshape(2, 2).dot(a[:2])[1],
    lambda a: np.sum(a) + a.sum() * 2,
    lambda a: np.mean(a) * a.mean(),
    lambda a: np.exp(a).sum() / np.tanh(a).sum(),
    lambda a: np.log(np.abs(a)).sum() + np.sqrt(np.abs(a)).sum(),
    lambda a: np.linalg.norm(a),
    lambda a: (np.exp(a) / np.exp(a).sum())[2],                 # softmax
    lambda a: np.square(a).sum() + np.reciprocal(a).sum(),
], ids=["var", "std", "var-ddof1", "vdot", "norm-axis", "conj", "matmul", "dot", "W.dot", "sum", "mean",
        "exp-tanh", "log-sqrt-abs", "norm", "softmax", "square-reciprocal"])
def test_numpy_on_an_array_of_values_gives_numpys_number_and_central_differences(f):
    data, grads = _values_and_grads(f, NUMBERS)
    expected, slopes = _central(f, NUMBERS)
    assert data == pytest.approx(expected, rel=1e-12, abs=1e-14)
    assert grads == pytest.approx(slopes, rel=1e-6, abs=1e-8)


def test_var_of_values_is_the_formula_with_its_gradient():
    # var = mean((a_i - m)^2), d var / d a_i = 2 (a_i - m) / n (the sum of (a_j - m) is 0)
    values = [Value(n) for n in NUMBERS]
    m = sum(NUMBERS) / len(NUMBERS)
    v = np.var(np.array(values))
    v.backward()
    assert v.data == pytest.approx(sum((n - m) ** 2 for n in NUMBERS) / len(NUMBERS), rel=1e-14)
    assert [x.grad for x in values] == pytest.approx([2 * (n - m) / len(NUMBERS) for n in NUMBERS], rel=1e-13)


@pytest.mark.parametrize("reduce", [np.sum, np.max, np.min, np.prod, np.mean, np.amax])
def test_a_reduction_of_one_value_is_that_value(reduce):
    # np.sum(x) and np.max(x) reach the Value as np.add.reduce and np.maximum.reduce: refused as "not a Value op"
    x = Value(-1.5)
    y = reduce(x)
    assert isinstance(y, Value) and y.data == -1.5
    y.backward()
    assert x.grad == 1.0


def test_an_outer_ufunc_method_of_two_values_calls_their_op():
    x, w = Value(2.0), Value(-3.0)
    y = np.multiply.outer(x, w) + np.add.outer(x, w)       # x w + (x + w)
    y.backward()
    assert y.data == 2.0 * -3.0 + (2.0 - 3.0)
    assert (x.grad, w.grad) == (-3.0 + 1.0, 2.0 + 1.0)


@pytest.mark.parametrize("ufunc, value, slope", [
    # f(x) at x = -2.5 and f'(x) by hand; numpy's loop over an array of Values already gave these numbers
    (np.square, 6.25, -5.0),                               # x^2, 2x
    (np.reciprocal, -0.4, -0.16),                          # 1/x, -1/x^2
    (np.positive, -2.5, 1.0),
    (np.conjugate, -2.5, 1.0),
])
def test_a_numpy_function_on_one_value_agrees_with_it_on_an_array_of_values(ufunc, value, slope):
    for make in (lambda x: ufunc(x), lambda x: ufunc(np.array([x]))[0]):
        x = Value(-2.5)
        y = make(x)
        y.backward()
        assert y.data == pytest.approx(value, rel=1e-15) and x.grad == pytest.approx(slope, rel=1e-15)


def test_unary_plus_is_the_value_itself():
    x = Value(2.0)
    assert +x is x


@pytest.mark.parametrize("relu", [lambda x: np.maximum(x, 0), lambda x: np.maximum(np.array([x, x]), 0),
                                  lambda x: max(x, 0), lambda x: np.clip(x, 0, None)],
                         ids=["np.maximum(x, 0)", "np.maximum(array, 0)", "max(x, 0)", "np.clip"])
def test_relu_the_numpy_way_is_refused_naming_relu(relu):
    with pytest.raises(TypeError, match=r"x\.relu\(\)"):
        relu(Value(1.5))


@pytest.mark.parametrize("ufunc, fix", [(np.isnan, "math.isnan(x.data)"), (np.isfinite, "math.isfinite(x.data)"),
                                        (np.log1p, "(1 + x).log()"), (np.sign, "x.data > 0")])
def test_a_numpy_function_that_is_no_value_op_names_what_to_write(ufunc, fix):
    with pytest.raises(TypeError, match=rf"np\.{ufunc.__name__}: not a Value op.*{re.escape(fix)}"):
        ufunc(Value(0.5))


def test_a_value_op_given_keywords_says_so_not_that_it_is_no_value_op():
    with pytest.raises(TypeError, match=r"np\.add: a Value op takes no where; write np\.add\(x, y\) without them"):
        np.add(Value(1.0), 2.0, where=True)


@pytest.mark.parametrize("op, ufunc, partial", [
    # x op a_i for each entry, summed: d/dx and d/da_i by hand
    (lambda x, a: x * a, np.multiply, lambda x, a: (a, x)),
    (lambda x, a: x - a, np.subtract, lambda x, a: (1.0, -1.0)),
    (lambda x, a: x / a, np.divide, lambda x, a: (1.0 / a, -x / a ** 2)),
])
def test_a_value_times_an_array_of_values_names_the_ufunc_that_does_it(op, ufunc, partial):
    numbers, at = [1.5, -2.0], 3.0
    x, entries = Value(at), [Value(n) for n in numbers]
    a = np.array(entries)
    with pytest.raises(TypeError, match=rf"array of shape \(2,\) \(dtype object\); for an array of Values write "
                                        rf"np\.{ufunc.__name__}\(x, a\)"):
        op(x, a)
    y = ufunc(x, a).sum()                                   # what the message says: each entry's own op
    y.backward()
    assert y.data == pytest.approx(sum(op(at, n) for n in numbers), rel=1e-15)
    assert x.grad == pytest.approx(sum(partial(at, n)[0] for n in numbers), rel=1e-15)
    assert [e.grad for e in entries] == pytest.approx([partial(at, n)[1] for n in numbers], rel=1e-15)


@pytest.mark.parametrize("convert", [lambda a: a.astype(float), lambda a: np.asarray(a, dtype=np.float32),
                                     lambda a: np.float64(a[0])])
def test_an_array_of_values_to_floats_is_refused_naming_the_numbers(convert):
    a = np.array([Value(1.0), Value(2.0)])
    with pytest.raises(TypeError, match=r"float\(Value\).*np\.array\(\[v\.data for v in a\]\)"):
        convert(a)



def test_an_outer_ufunc_method_of_a_value_and_an_array_of_numbers_is_refused_as_the_plain_op():
    # as np.ones(2) * x: numpy would make an object array of Values; the Tensor is the engine for arrays
    for outer in (lambda x: np.multiply.outer(np.ones(2), x), lambda x: np.add.outer(x, np.ones((2, 3)))):
        with pytest.raises(TypeError, match=r"cannot combine a Value with an array of shape \((2,|2, 3)\); use a "
                                            r"Tensor"):
            outer(Value(1.0))
