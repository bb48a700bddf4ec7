"""Trust at the edges (issue 10): the engines agree at inf and NaN, refuse what they cannot mean with a message
that names the op and the fix, gradcheck reports every kink the same way, and joining many parts stays linear."""

from __future__ import annotations

import math

import numpy as np
import pytest
from messages import raises

from autograd import GradcheckError, Tensor, Value, concatenate, gradcheck, numerical_grad, rules, stack, where
from autograd.tensor import backward as tensor_backward


def m(*shape: int) -> Tensor:
    return Tensor(np.arange(1.0, 1.0 + math.prod(shape)).reshape(shape), requires_grad=True)


# --- 1. both engines give one answer at +-inf and NaN --------------------------------------------------------------

def _value_answer(op: str, x: float) -> tuple:
    try:
        v = Value(x)
        y = getattr(v, op)() if op != "neg" else -v
        y.backward()
        return ("ok", y.data, v.grad)
    except Exception as e:  # noqa: BLE001 (the kind of error is the answer)
        return ("error", type(e).__name__)


def _tensor_answer(op: str, x: float) -> tuple:
    try:
        t = Tensor([x], requires_grad=True)
        y = getattr(t, op)() if op != "neg" else -t
        y.sum().backward()
        return ("ok", float(y.data[0]), float(t.grad[0]))
    except Exception as e:  # noqa: BLE001
        return ("error", type(e).__name__)


def _same(a: tuple, b: tuple) -> bool:
    if a[0] != b[0] or a[0] == "error":
        return a == b
    return all(p == q or (math.isnan(p) and math.isnan(q)) for p, q in zip(a[1:], b[1:]))


def test_every_function_gives_the_same_value_and_derivative_on_both_engines_at_inf_and_nan():
    # log(NaN) and sqrt(NaN) were refused by the Tensor (NaN in, NaN out in a Value), abs'(NaN) NaN against 0.
    differ = []
    for op in rules.FUNCTIONS:
        for x in (math.inf, -math.inf, math.nan):
            v, t = _value_answer(op, x), _tensor_answer(op, x)
            if not _same(v, t):
                differ.append(f"{op}({x}): Value {v}, Tensor {t}")
    assert not differ, "\n".join(differ)


def test_a_nan_bound_of_clip_is_refused_rather_than_making_every_entry_nan():
    with raises(ValueError, "clip", "lo=", "NaN"):
        m(3).clip(math.nan, 2.0)


def test_clip_with_bounds_of_the_wrong_shape_names_clip_and_the_shapes():
    with raises(ValueError, "clip", "(2, 2)", "(3,)", "broadcast"):
        m(2, 2).clip(1.0, np.array([1.0, 2.0, 3.0]))


# --- 2. arguments that are not what they look like ----------------------------------------------------------------

REDUCTIONS = ["sum", "mean", "max", "min", "var", "logsumexp", "softmax", "log_softmax"]


@pytest.mark.parametrize("op", REDUCTIONS)
@pytest.mark.parametrize("axis", [True, 1.5, np.bool_(False), (0, True), "1"])
def test_an_axis_that_is_not_an_int_is_refused_naming_the_op(op, axis):
    # sum(axis=True) summed over axis 1; sum(axis=1.5) said only "'float' object is not iterable".
    with raises(TypeError, op, "axis must be None, an int or a tuple of ints", repr(axis)):
        getattr(m(2, 3), op)(axis=axis)


@pytest.mark.parametrize("op", ["sum", "mean", "max", "min", "var", "logsumexp"])
def test_keepdims_that_is_not_a_bool_is_refused(op):
    with raises(TypeError, op, "keepdims must be True or False", "'yes'"):
        getattr(m(2, 3), op)(axis=0, keepdims="yes")


@pytest.mark.parametrize("ddof, kind", [(1.5, TypeError), (True, TypeError), ("1", TypeError), (-1, ValueError)])
def test_var_refuses_a_ddof_that_is_not_a_count(ddof, kind):
    with raises(kind, "var", "ddof"):
        m(2, 3).var(ddof=ddof)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_over_an_empty_axis_is_a_clear_error(op):
    with raises(ValueError, op, "(2, 0)", "no entries along axis -1"):
        getattr(Tensor(np.zeros((2, 0))), op)()


@pytest.mark.parametrize("dtype", ["garbage", 3])
def test_a_dtype_numpy_does_not_know_is_a_type_error_naming_it(dtype):
    with raises(TypeError, "Tensor: dtype", repr(dtype), "np.float64"):
        Tensor([1.0], dtype=dtype)


@pytest.mark.parametrize("condition", [None, "yes", [object()]])
def test_where_refuses_a_condition_that_is_not_booleans_or_numbers(condition):
    # numpy takes None and any string for True: where(None, a, b) was silently a.
    with raises(TypeError, "where", "condition", "where(x > 0, x, 0.0)"):
        where(condition, m(2), 0.0)


@pytest.mark.parametrize("join", [stack, concatenate])
@pytest.mark.parametrize("axis", [1.5, True])
def test_stack_and_concatenate_refuse_an_axis_that_is_not_an_int(join, axis):
    with raises(TypeError, join.__name__, "axis must be an int", repr(axis)):
        join([m(2), m(2)], axis=axis)


@pytest.mark.parametrize("join", [stack, concatenate])
def test_stack_and_concatenate_take_a_list_not_one_tensor_or_a_number(join):
    with raises(TypeError, join.__name__, "a list (or tuple) of Tensors", "got Tensor"):
        join(m(2))
    with raises(TypeError, join.__name__, "got int"):
        join(5)


def test_concatenating_numbers_says_to_stack_them():
    with raises(ValueError, "concatenate", "0-d", "stack()"):
        concatenate([Tensor(1.0), Tensor(2.0)])


def test_transpose_refuses_axes_that_are_not_ints():
    with raises(TypeError, "transpose", "axes must be ints"):
        m(2, 2).transpose(True, False)


# --- 3. gradcheck: one report for every kink; its numbers checked ------------------------------------------------

@pytest.mark.parametrize("op", ["abs", "relu"])
@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_gradcheck_reports_a_kink_of_abs_and_of_relu_alike_naming_the_input(op, engine):
    # abs at 0 passed (its central difference is 0, as is the convention abs'(0) = 0); relu failed as a mismatch.
    x = Value(0.0, label="x") if engine == "Value" else Tensor([1.0, 0.0], requires_grad=True, name="x")
    left, right = {"abs": (-1, 1), "relu": (0, 1)}[op]

    def f(a):
        y = getattr(a, op)()
        return y if engine == "Value" else y.sum()

    with raises(GradcheckError, "kink at 1 input entry", "from the left", "from the right", "x") as e:
        gradcheck(f, [x])
    row = [line for line in str(e.value).splitlines() if line.startswith("x ")][0].split()
    assert [float(n) for n in row[-3:]] == pytest.approx([left, right, 0.0], abs=1e-6)
    if engine == "Tensor":
        assert row[1] == "(1,)"
    assert gradcheck(f, [x], raise_exception=False) is False


def test_gradcheck_in_fast_mode_reports_a_kink_too():
    with raises(GradcheckError, "kink"):
        gradcheck(lambda a: a.abs().sum(), [Tensor([0.0, 0.0], requires_grad=True)], fast_mode=True)


@pytest.mark.parametrize("f, x", [
    (lambda a: a * a * 1000.0, 0.0),             # a strong curve: its one-sided slopes differ by f'' eps
    (lambda a: (a * 10.0).exp(), 2.0),
    (lambda a: a.abs(), 1e-3),                   # near a kink, not on it
])
def test_gradcheck_finds_no_kink_where_f_is_smooth(f, x):
    assert gradcheck(f, [Value(x)])


@pytest.mark.parametrize("who", ["gradcheck", "numerical_grad"])
@pytest.mark.parametrize("eps, kind", [(0, ValueError), (0.0, ValueError), (-1e-6, ValueError),
                                       (math.nan, ValueError), (math.inf, ValueError), ("1e-6", TypeError),
                                       (None, TypeError), (True, TypeError)])
def test_a_step_that_is_not_a_positive_float_is_refused(who, eps, kind):
    # eps = 0 divided by zero; eps < 0 passed (the sign cancels) and eps = "1e-6" failed inside numpy.
    f = gradcheck if who == "gradcheck" else numerical_grad
    with raises(kind, who, "eps"):
        f(lambda a: a * a, [Value(1.0)], eps=eps)


@pytest.mark.parametrize("name", ["atol", "rtol"])
@pytest.mark.parametrize("bad", [-1e-5, math.nan])
def test_a_negative_or_nan_tolerance_is_refused(name, bad):
    with raises(ValueError, "gradcheck", name, ">= 0"):
        gradcheck(lambda a: a * a, [Value(1.0)], **{name: bad})


def test_numerical_grad_names_a_grad_output_of_the_wrong_shape():
    with raises(ValueError, "numerical_grad", "grad_output", "(3,)", "(2,)"):
        numerical_grad(lambda a: a * a, [Tensor([1.0, 2.0])], grad_output=np.ones(3))


# --- 4. joining many parts: the backward pass is linear in their number ---------------------------------------------

@pytest.mark.parametrize("join", [stack, concatenate])
def test_the_backward_pass_of_a_join_of_20000_parts_does_linear_work(join, monkeypatch):
    # Each part's gradient was a view of the join's gradient; the backward pass then asked, for each part,
    # whether any of the other parts' views overlapped it: 20,000^2 = 4e8 overlap tests (16 s at 8,000 parts).
    # Count the overlap tests with every part above the engine's "small" threshold; the budget is linear.
    n = 20_000
    budget = 4 * n
    calls = 0
    share = np.may_share_memory

    def counted(a, b, *rest):
        nonlocal calls
        calls += 1
        if calls > budget:
            raise AssertionError(f"more than {budget} overlap tests for {n} parts: quadratic")
        return share(a, b, *rest)

    monkeypatch.setattr(np, "may_share_memory", counted)
    monkeypatch.setattr(tensor_backward, "_SMALL", 0)
    parts = [Tensor([float(i), 1.0], requires_grad=True) for i in range(n)]
    weights = np.arange(2.0 * n).reshape(n, 2)
    joined = join(parts)
    (joined * weights.reshape(joined.shape)).sum().backward()   # d/dpart_i = its own rows of the weights
    assert calls <= budget
    for i in (0, 1, n // 2, n - 1):
        np.testing.assert_array_equal(parts[i].grad, weights[i])


def test_a_numpy_array_of_several_numbers_times_a_value_is_refused_not_an_object_array():
    with pytest.raises(TypeError, match=r"np.multiply: cannot combine a Value with an array of shape \(2,\)"):
        np.array([1.0, 2.0]) * Value(2.0)
    y = np.float64(3.0) * Value(2.0) + np.exp(Value(0.0))          # numpy scalars and ufuncs call the Value ops
    assert type(y) is Value and y.data == 7.0


def test_requires_grad_must_be_a_bool_and_backwards_seed_a_real_array():
    with pytest.raises(TypeError, match="requires_grad must be True or False"):
        Tensor([1.0], requires_grad="no")
    y = Tensor([1.0], requires_grad=True) * 2
    for bad in ("", 1j, 10**400):
        with pytest.raises((TypeError, ValueError), match="backward"):
            y.backward(bad)


def test_a_value_whose_grad_is_a_value_after_create_graph_has_a_repr():
    # d(x^2)/dx = 2x = 4, a Value: repr(x) formatted it with :.6g and raised TypeError
    x = Value(2.0)
    (x * x).backward(create_graph=True)
    assert repr(x) == "Value(data=2, grad=4)"
