"""Bad input fails early, naming the op, the shapes and the fix; the stable ops stay exact at +-1000."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from messages import raises

from autograd import Tensor, Value, concatenate, maximum, minimum, stack, where


def t(*shape: int, requires_grad: bool = True) -> Tensor:
    return Tensor(np.arange(1.0, 1.0 + math.prod(shape)).reshape(shape), requires_grad=requires_grad)


# --- shapes ---------------------------------------------------------------------------------------------------

def test_matmul_of_mismatched_matrices_names_both_shapes_and_the_axes():
    with raises(ValueError, "@", "(3, 4) @ (5, 2)", "4", "5"):
        t(3, 4) @ t(5, 2)


def test_matmul_of_a_vector_of_the_wrong_length_says_which_axis():
    with raises(ValueError, "(3, 4) @ (3,)", "first axis"):
        t(3, 4) @ t(3)


def test_matmul_of_stacks_that_do_not_broadcast_names_the_stacking_axes():
    with raises(ValueError, "(2, 3, 4) @ (5, 4, 2)", "stacking axes"):
        t(2, 3, 4) @ t(5, 4, 2)


def test_matmul_with_a_number_says_to_use_star():
    with raises(ValueError, "0-d", "use *"):
        t(3) @ Tensor(2.0)


@pytest.mark.parametrize("op, name", [
    (lambda a, b: a + b, "+"), (lambda a, b: a - b, "-"), (lambda a, b: a * b, "*"), (lambda a, b: a / b, "/"),
    (lambda a, b: a ** b, "**"), (maximum, "maximum"), (minimum, "minimum"),
    (lambda a, b: b.data - a, "-"), (lambda a, b: a * b.data, "*"),
])
def test_shapes_that_do_not_broadcast_are_named_with_the_op(op, name):
    with raises(ValueError, f"{name}: shapes", "(3, 4)", "(5,)", "do not broadcast", "axis -1"):
        op(t(3, 4), t(5))


def test_where_with_shapes_that_do_not_broadcast_names_all_three():
    with raises(ValueError, "where", "(3, 4)", "(5,)"):
        where(np.ones((3, 4), bool), t(3, 4), t(5))


def test_reshape_to_an_impossible_shape_names_both_shapes_and_the_count():
    with raises(ValueError, "reshape", "(2, 3)", "(4,)", "6 entries"):
        t(2, 3).reshape(4)


def test_transpose_with_axes_that_are_not_a_permutation():
    with raises(ValueError, "transpose", "(0, 0)", "(2, 3)"):
        t(2, 3).transpose(0, 0)


@pytest.mark.parametrize("index", [5, (0, 7), np.array([0, 9]), np.ones(4, bool), 1.5])
def test_an_index_out_of_range_names_the_shape(index):
    with raises(IndexError, "[]", "does not fit a Tensor of shape (3, 4)"):
        t(3, 4)[index]


def test_a_tensor_as_an_index_says_to_use_an_integer_or_boolean_array():
    with raises(IndexError, "[]", "a Tensor holds floats", "integer or boolean numpy array"):
        t(3, 4)[Tensor([0, 2])]
    with raises(IndexError, "a Tensor holds floats"):
        t(3, 4)[0, Tensor([1.0])]


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min", "var", "logsumexp", "softmax", "log_softmax"])
def test_an_axis_out_of_range_names_the_op_and_shape(reduce):
    with raises(ValueError, reduce, "axis 2", "(3, 4)"):
        getattr(t(3, 4), reduce)(axis=2)


def test_concatenate_and_stack_name_the_shapes_that_do_not_fit():
    with raises(ValueError, "concatenate", "(2, 3)", "(2, 4)", "axis 0"):
        concatenate([t(2, 3), t(2, 4)], axis=0)
    with raises(ValueError, "stack", "(2, 3)", "(3, 2)"):
        stack([t(2, 3), t(3, 2)])
    with raises(ValueError, "concatenate", "at least one"):
        concatenate([])


# --- what a Tensor can hold -----------------------------------------------------------------------------------

@pytest.mark.parametrize("data, kind", [
    (np.array([1 + 2j]), "complex"), (np.array([object()]), "object"), (["a", "b"], "string"),
])
def test_data_that_is_not_real_numbers_is_refused(data, kind):
    with raises(TypeError, "Tensor", kind):
        Tensor(data)


def test_ragged_lists_are_refused():
    with raises(ValueError, "Tensor", "list"):
        Tensor([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("dtype", [np.int64, np.float16, np.complex128])
def test_only_float64_and_float32_are_offered(dtype):
    with raises(TypeError, "dtype", "float64", "float32"):
        Tensor([1.0], dtype=dtype)


@pytest.mark.parametrize("other", ["a", None, np.array([1j]), Value(2.0)])
def test_an_operand_that_is_not_a_number_or_array_is_refused(other):
    with raises(TypeError, "+", "cannot combine a Tensor"):
        t(2) + other


def test_item_len_iteration_and_assignment_explain_themselves():
    with raises(ValueError, "item()", "(2,)"):
        t(2).item()
    with raises(TypeError, "0-d"):
        len(Tensor(1.0))
    with raises(TypeError, "0-d"):
        iter(Tensor(1.0))
    with raises(TypeError, "in place", "where"):
        t(2)[0] = 1.0


def test_a_numpy_function_that_is_not_a_tensor_op_is_refused_on_a_tensor_that_requires_grad():
    with raises(TypeError, "np.cosh", "not a Tensor op"):
        np.cosh(t(2))
    np.testing.assert_array_equal(np.cosh(t(2, requires_grad=False)), np.cosh([1.0, 2.0]))


def test_a_tensor_op_called_through_numpy_with_out_or_dtype_says_so_and_writes_nothing():
    out = np.zeros(2)
    with raises(TypeError, "np.add on a Tensor", "takes no out", "a + b"):
        np.add(t(2), 1.0, out=out)
    with raises(TypeError, "np.exp on a Tensor", "takes no dtype"):
        np.exp(t(2), dtype=np.float32)
    np.testing.assert_array_equal(out, [0.0, 0.0])
    np.add(t(2, requires_grad=False), 1.0, out=out)           # no graph to lose: numpy's own behaviour
    np.testing.assert_array_equal(out, [2.0, 3.0])


# --- backward -------------------------------------------------------------------------------------------------

def test_backward_of_a_non_scalar_without_grad_says_why_and_what_to_pass():
    with raises(ValueError, "backward()", "shape (2, 3)", "grad=", "t.sum().backward()"):
        (t(2, 3) * 2).backward()


def test_backward_with_a_grad_of_the_wrong_shape_names_both_shapes():
    with raises(ValueError, "backward()", "(3,)", "(2, 3)"):
        (t(2, 3) * 2).backward(np.ones(3))


def test_backward_of_a_tensor_that_does_not_require_grad_says_how_to_make_inputs():
    with raises(RuntimeError, "does not require grad", "requires_grad=True"):
        (t(2, requires_grad=False) * 2).sum().backward()


# --- domains --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, kind, fragments", [
    (lambda: Tensor([1.0, 0.0, 2.0]).log(), ValueError, ["log", "positive", "0.0", "(1,)"]),
    (lambda: Tensor([1.0, -3.0]).sqrt(), ValueError, ["sqrt", "-3.0"]),
    (lambda: Tensor([1.0, 710.0]).exp(), ValueError, ["exp", "710", "logsumexp"]),
    (lambda: Tensor([1.0, 89.0], dtype=np.float32).exp(), ValueError, ["exp", "float32"]),
    (lambda: t(2) / Tensor([1.0, 0.0]), ZeroDivisionError, ["/", "zero"]),
    (lambda: t(2) / 0, ZeroDivisionError, ["/", "zero"]),
    (lambda: 1.0 / Tensor([0.0, 1.0]), ZeroDivisionError, ["/", "zero"]),
    (lambda: Tensor([0.0, 1.0]) ** -1, ValueError, ["**", "0 ** -1"]),
    (lambda: Tensor([-1.0, 1.0]) ** 0.5, ValueError, ["**", "negative base", "fractional"]),
    (lambda: Tensor([-1.0, 1.0]) ** t(2), ValueError, ["**", "Tensor exponent", "positive", "-1.0"]),
    (lambda: (-2.0) ** t(2), ValueError, ["**", "positive", "-2.0"]),
    (lambda: t(2).clip(1.0, 0.0), ValueError, ["clip", "above"]),
    (lambda: t(2).clip(), ValueError, ["clip", "lo, hi"]),
    (lambda: t(2).var(ddof=2), ValueError, ["var", "ddof=2"]),
    (lambda: Tensor(np.zeros((0, 3))).max(axis=0), ValueError, ["max", "(0, 3)", "no entries"]),
])
def test_an_argument_outside_the_domain_is_refused_with_its_value(make, kind, fragments):
    with raises(kind, *fragments):
        make()


# --- stability at the extremes ----------------------------------------------------------------------------------

@pytest.fixture
def strict():
    """Any floating-point warning or error is a failure (underflow to 0 is the right answer at -1000)."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_and_softplus_at_plus_minus_1000_are_exact_without_warnings(strict, dtype):
    x = Tensor([-1000.0, 1000.0], requires_grad=True, dtype=dtype)
    s = x.sigmoid()
    s.backward(np.ones(2))
    np.testing.assert_array_equal(s.data, [0.0, 1.0])
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])       # s (1 - s)
    x.zero_grad()
    y = x.softplus()
    y.backward(np.ones(2))
    np.testing.assert_array_equal(y.data, [0.0, 1000.0])    # ln(1 + e^x) -> 0 and x
    np.testing.assert_array_equal(x.grad, [0.0, 1.0])       # sigmoid(x)


def test_sigmoid_gradient_keeps_its_precision_far_from_zero(strict):
    # s'(x) = e^-|x| / (1 + e^-|x|)^2; 1 - s would cancel at x = 30, the product form does not
    x = Tensor([-30.0, 30.0], requires_grad=True)
    x.sigmoid().backward(np.ones(2))
    exact = math.exp(-30) / (1 + math.exp(-30)) ** 2
    np.testing.assert_allclose(x.grad, [exact, exact], rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_softmax_softmax_and_logsumexp_at_plus_minus_1000(strict, dtype):
    z = Tensor([[1000.0, -1000.0], [1000.0, 1000.0]], requires_grad=True, dtype=dtype)
    lp = z.log_softmax(axis=1)
    np.testing.assert_allclose(lp.data, [[0.0, -2000.0], [-math.log(2), -math.log(2)]], rtol=1e-6)
    w = np.array([[1.0, 2.0], [1.0, 0.0]])
    lp.backward(w)                                          # dL/dz = w - softmax(z) sum(w)
    np.testing.assert_allclose(z.grad, [[1 - 3, 2 - 0], [1 - 0.5, -0.5]], rtol=1e-6)

    np.testing.assert_allclose(z.softmax(axis=1).data, [[1.0, 0.0], [0.5, 0.5]])
    z.zero_grad()
    lse = z.logsumexp(axis=1)
    lse.backward(np.ones(2))
    np.testing.assert_allclose(lse.data, [1000.0, 1000.0 + math.log(2)], rtol=1e-6)
    np.testing.assert_allclose(z.grad, [[1.0, 0.0], [0.5, 0.5]])
    low = Tensor([-1000.0, -1000.0], dtype=dtype).logsumexp()
    np.testing.assert_allclose(low.data, -1000.0 + math.log(2), rtol=1e-6)


def test_cross_entropy_of_saturated_logits_has_gradient_p_minus_y(strict):
    z = Tensor([[1000.0, -1000.0]], requires_grad=True)
    loss = -(z.log_softmax() * np.array([[0.0, 1.0]])).sum()
    loss.backward()
    assert loss.item() == 2000.0
    np.testing.assert_array_equal(z.grad, [[1.0, -1.0]])


def test_tanh_saturates_like_the_value_engine(strict):
    x = Tensor([-1000.0, 1000.0], requires_grad=True)
    x.tanh().backward(np.ones(2))
    assert [Value(-1000.0).tanh().data, Value(1000.0).tanh().data] == list(x.tanh().data)
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


def test_exp_refuses_an_overflow_beside_a_nan_as_the_value_engine_does():
    # x.max() is NaN when a NaN is present, which hid the inf beside it (found by test_fuzz_engine)
    x = Tensor([0.0, np.inf, np.nan], requires_grad=True)
    with pytest.raises(ValueError, match=r"exp: exp\(inf\) overflows float64"):
        x.exp()
    with pytest.raises(ValueError, match="overflows"):
        Value(float("inf")).exp()
    assert np.isnan(Tensor([0.0, np.nan]).exp().data[1])           # NaN alone passes through, as in numpy


def test_exp_of_a_big_endian_array_put_in_data_computes_and_refuses_overflow_by_name():
    """.data set directly to an array of the other byte order: exp's overflow check looked its limit up by dtype and
    raised a bare KeyError: dtype('>f8')."""
    t = Tensor([0.0], requires_grad=True)
    t.data = np.array([1.0, 2.0]).astype(">f8")
    y = t.exp()
    y.sum().backward()
    np.testing.assert_array_equal(y.data, np.exp([1.0, 2.0]))
    np.testing.assert_array_equal(t.grad, np.exp([1.0, 2.0]))          # d e^x / dx = e^x
    t.data = np.array([1.0, 800.0]).astype(">f8")
    with pytest.raises(ValueError, match=r"exp: exp\(800.0\) overflows"):
        t.exp()
