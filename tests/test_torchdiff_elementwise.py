"""Differential tests against PyTorch 2.13.0: the elementwise ops and the operators, on hypothesis-drawn numbers
(0-d and size-0 shapes, broadcasting, float32 and float64, and 0, -0.0, +-inf, NaN, huge and subnormal numbers).

Value, dtype, shape, gradient and second derivative must be PyTorch's (tests/torchdiff_checks.py), except where
docs/pytorch.md says otherwise; those differences are asserted here too, so that they stay as written.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor, maximum, minimum, where

torch = pytest.importorskip("torch")
from torchdiff_checks import compare  # noqa: E402  (after importorskip: it imports torch)

F = torch.nn.functional
DTYPES = st.sampled_from([np.float64, np.float32])
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-310, 1e-40, 1e30, -1e30, 1e300, -1e300, np.inf, -np.inf, np.nan]


def numbers(dtype, low=-4.0, high=4.0, special=(), subnormal=True):
    """Floats of ``dtype`` in [low, high], and now and then one of ``special`` (as the dtype holds it)."""
    width = 32 if dtype == np.float32 else 64
    plain = st.floats(float(dtype(low)), float(dtype(high)), width=width, allow_subnormal=subnormal and low < 0 < high)
    if not special:
        return plain
    with np.errstate(over="ignore"):                           # 1e300 is inf in float32: a special too
        held = [float(dtype(v)) for v in special if v == 0 or dtype(v) != 0]   # 1e-310 is 0 in float32
    return st.one_of(plain, st.sampled_from(held))


@st.composite
def arrays(draw, n=1, low=-4.0, high=4.0, special=(), min_side=0, subnormal=True):
    """``n`` arrays of one dtype whose shapes broadcast together (0-d and size-0 included), and a seed."""
    dtype = draw(DTYPES)
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, min_dims=0, max_dims=3, min_side=min_side,
                                                    max_side=3)).input_shapes
    values = [draw(hnp.arrays(dtype, s, elements=numbers(dtype, low, high, special, subnormal))) for s in shapes]
    return values, draw(st.integers(0, 2**31))


def dtype_zero(x):
    return np.zeros((), x.dtype)


# --- functions of one argument ----------------------------------------------------------------------------------
# name: (ours, PyTorch's, the numbers both take)
UNARY = {
    "tanh": (lambda t: t.tanh(), torch.tanh, dict(special=SPECIAL)),
    "sigmoid": (lambda t: t.sigmoid(), torch.sigmoid, dict(special=SPECIAL)),
    "relu": (lambda t: t.relu(), torch.relu, dict(special=SPECIAL)),
    "abs": (lambda t: t.abs(), torch.abs, dict(special=SPECIAL)),
    "softplus": (lambda t: t.softplus(), F.softplus, dict(special=SPECIAL)),
    "neg": (lambda t: -t, lambda t: -t, dict(special=SPECIAL)),
    "exp": (lambda t: t.exp(), torch.exp, dict(low=-80.0, high=80.0, special=(0.0, -0.0, -1e30, -np.inf, np.nan))),
    # (at a subnormal x, 1/x overflows: log's derivative is inf, as refusals.md says, where PyTorch's g / x is not)
    "log": (lambda t: t.log(), torch.log, dict(low=1e-3, high=1e3, special=(1e-30, 1e30, np.inf, np.nan))),
    "sqrt": (lambda t: t.sqrt(), torch.sqrt, dict(low=1e-3, high=1e3, special=(1e-40, 1e30, np.inf, np.nan))),
    "sin": (lambda t: t.sin(), torch.sin, dict(special=(0.0, -0.0, 1e-310, 1e30))),
    "cos": (lambda t: t.cos(), torch.cos, dict(special=(0.0, -0.0, 1e-310, 1e30))),
    "pow 2": (lambda t: t ** 2, lambda t: t ** 2, dict(special=(0.0, -0.0, 1e-310, 1e-30, np.inf, np.nan))),
    "pow 3": (lambda t: t.pow(3), lambda t: t.pow(3), dict(special=(0.0, -0.0, 1e-310, np.inf, np.nan))),
    "pow 0": (lambda t: t ** 0, lambda t: t ** 0, dict(special=(0.0, -0.0, 1e30))),
    "pow 1": (lambda t: t ** 1, lambda t: t ** 1, dict(special=(0.0, -0.0, 1e30))),
    "pow -1": (lambda t: t ** -1, lambda t: t ** -1, dict(low=0.1, high=4.0, special=(np.inf,))),
    "pow 2.5": (lambda t: t ** 2.5, lambda t: t ** 2.5, dict(low=0.01, high=4.0, special=(np.inf,))),
    "2 ** x": (lambda t: 2.0 ** t, lambda t: 2.0 ** t, dict(low=-30.0, high=30.0, special=(0.0, -0.0, -np.inf))),
    "x / 3": (lambda t: t / 3.0, lambda t: t / 3.0, dict(special=SPECIAL)),
    "1 / x": (lambda t: 1.0 / t, lambda t: 1.0 / t, dict(low=0.1, high=4.0, special=(np.inf, -np.inf))),
    "x * 0.5": (lambda t: t * 0.5, lambda t: t * 0.5, dict(special=SPECIAL)),
    "1 - x": (lambda t: 1.0 - t, lambda t: 1.0 - t, dict(special=SPECIAL)),
    "clip": (lambda t: t.clip(-1.0, 1.0), lambda t: t.clip(-1.0, 1.0), dict(special=(0.0, -1.0, 1.0, np.inf, -np.inf))),
    "clip lo": (lambda t: t.clip(0.5), lambda t: t.clamp(min=0.5), dict(special=(0.5, np.inf, -np.inf))),
    "clip hi": (lambda t: t.clip(None, 0.5), lambda t: t.clamp(max=0.5), dict(special=(0.5, np.inf, -np.inf))),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", list(UNARY))
def test_each_function_of_one_tensor_at_every_special_number_of_its_domain(name, dtype):
    ours, theirs, domain = UNARY[name]
    low, high = domain.get("low", -4.0), domain.get("high", 4.0)
    with np.errstate(over="ignore"):                           # 1e300 is inf in float32, 1e-310 is 0: left out
        special = [v for v in domain.get("special", ()) if v == 0 or dtype(v) != 0]
        x = np.array([low, (low + high) / 2, high, *special], dtype)
    compare(ours, theirs, [x], 1, second=False)
    finite = x[np.isfinite(x)]            # second derivatives where the first ones are numbers (docs/refusals.md)
    compare(ours, theirs, [finite[np.isfinite(ours(Tensor(finite)).data)]], 2)


@pytest.mark.parametrize("name", list(UNARY))       # each name every run (drawn, 20 examples met half of them)
@settings(max_examples=4)
@given(data=st.data())
def test_functions_of_one_tensor_give_pytorchs_value_gradient_and_second_derivative_on_drawn_shapes(name, data):
    ours, theirs, domain = UNARY[name]
    (x,), seed = data.draw(arrays(1, **domain))
    compare(ours, theirs, [x], seed, second=bool(np.isfinite(x).all()))


@pytest.mark.parametrize("op, ours, theirs", [
    ("exp", lambda t: t.exp(), torch.exp),
    ("log", lambda t: t.log(), torch.log),
    ("sqrt", lambda t: t.sqrt(), torch.sqrt),
    ("sin", lambda t: t.sin(), torch.sin),
    ("/", lambda t: t / 0.0, lambda t: t / 0.0),
])
@given(data=st.data())
def test_where_pytorch_answers_inf_or_nan_an_op_refuses_by_name(op, ours, theirs, data):
    (x,), _ = data.draw(arrays(1, min_side=1, special=(0.0, -1.0, 1e30, 800.0, np.inf, np.nan), subnormal=False))
    x = x + dtype_zero(x)    # -0.0 as 0.0: sqrt'(-0.0) is +inf here (the slope at 0), -inf in PyTorch (1 / -0.0)
    try:
        ours(Tensor(x, requires_grad=True))
    except (ValueError, ZeroDivisionError) as error:
        assert str(error).startswith(f"{op}:"), error              # the message names the op, ...
        assert not np.isfinite(theirs(torch.tensor(x)).numpy()).all()   # ... where PyTorch's answer is no number
        return
    compare(ours, theirs, [x], 0, second=False)                    # elsewhere PyTorch's numbers


# --- operators and functions of two Tensors, broadcasting ------------------------------------------------------
BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: a + b, dict(special=SPECIAL)),
    "-": (lambda a, b: a - b, lambda a, b: a - b, dict(special=SPECIAL)),
    "*": (lambda a, b: a * b, lambda a, b: a * b, dict(special=SPECIAL)),
    # (not b = 1e-30: in float32 the second derivative 2a/b^3 overflows, and 0 * inf is NaN where a is 0 or empty)
    "/": (lambda a, b: a / b, lambda a, b: a / b, dict(low=0.25, high=4.0, special=(np.inf, 1e30))),
    "**": (lambda a, b: a ** b, lambda a, b: a ** b, dict(low=0.25, high=4.0, special=(1.0,))),
    "pow": (lambda a, b: a.pow(b), lambda a, b: a.pow(b), dict(low=0.25, high=4.0)),
    "maximum": (maximum, torch.maximum, dict(special=(0.0, 1.0, np.inf, -np.inf))),
    "minimum": (minimum, torch.minimum, dict(special=(0.0, 1.0, np.inf, -np.inf))),
    "where": (lambda a, b: where(a.data > b.data, a, b), lambda a, b: torch.where(a > b, a, b),
              dict(special=(0.0, 1.0, np.inf, -np.inf, np.nan))),
}


@given(name=st.sampled_from(list(BINARY)), data=st.data())
def test_functions_of_two_tensors_give_pytorchs_numbers_with_broadcasting(name, data):
    ours, theirs, domain = BINARY[name]
    (a, b), seed = data.draw(arrays(2, **domain))
    compare(ours, theirs, [a, b], seed, second=bool(np.isfinite(a).all() and np.isfinite(b).all()))


@given(arrays(2, low=-2.0, high=2.0, special=(0.0,)))
def test_maximum_and_minimum_split_the_gradient_at_ties_as_pytorch(case):
    (a, b), seed = case
    b = np.where(np.random.default_rng(seed).random(b.shape) < 0.5, b, 0.0).astype(b.dtype)   # many ties at 0
    a = np.where(np.isin(a, 0.0), a, np.abs(a)).astype(a.dtype)
    compare(maximum, torch.maximum, [a, b], seed)
    compare(minimum, torch.minimum, [a, b], seed)


# --- the differences that docs/pytorch.md writes down ---------------------------------------------------------------

def test_at_nan_clip_passes_the_gradient_and_maximum_gives_it_to_the_nan_as_documented():
    x = Tensor([np.nan, 2.0, 0.5], requires_grad=True)
    x.clip(0.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 1.0])     # PyTorch's clamp: [0, 0, 1]
    a, b = Tensor([np.nan, 1.0], requires_grad=True), Tensor([1.0, np.nan], requires_grad=True)
    maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [1.0, 0.0])          # PyTorch's maximum: 1 to both operands
    np.testing.assert_array_equal(b.grad, [0.0, 1.0])


def test_tanh_and_sigmoid_slopes_in_the_tails_are_exact_where_pytorchs_round_to_zero():
    x = Tensor([20.0, -20.0], requires_grad=True)
    x.tanh().sum().backward()
    exact = 4.0 / (np.exp(20.0) + np.exp(-20.0)) ** 2          # 1 - tanh^2 = sech^2, by hand
    np.testing.assert_allclose(x.grad, [exact, exact], rtol=1e-14)
    t = torch.tensor([20.0, -20.0], dtype=torch.float64, requires_grad=True)
    t.tanh().sum().backward()
    assert t.grad.tolist() == [0.0, 0.0]
    x = Tensor([40.0, -40.0], requires_grad=True)
    x.sigmoid().sum().backward()
    exact = 1.0 / (np.exp(20.0) + np.exp(-20.0)) ** 2          # s (1 - s) = 1 / (e^(x/2) + e^(-x/2))^2, by hand
    np.testing.assert_allclose(x.grad, [exact, exact], rtol=1e-14)
    t = torch.tensor([40.0, -40.0], dtype=torch.float64, requires_grad=True)
    t.sigmoid().sum().backward()
    assert t.grad[0].item() == 0.0                              # s(40) rounds to 1: its (1 - s) s is 0


def test_logs_derivative_at_a_subnormal_number_overflows_to_inf_as_documented():
    x = Tensor([1e-310], requires_grad=True)                    # 1/x = 1e310 is beyond float64
    x.log().backward(np.array([1e-10]))
    assert x.grad.tolist() == [np.inf]                          # PyTorch's g / x: 1e300
    t = torch.tensor([1e-310], dtype=torch.float64, requires_grad=True)
    t.log().backward(torch.tensor([1e-10], dtype=torch.float64))
    assert 0.99e300 < t.grad.item() < 1.01e300


def test_a_0d_float64_tensor_makes_a_float32_tensor_float64_as_numpy_where_pytorch_keeps_float32():
    a, b = Tensor(np.ones(3, np.float32)), Tensor(2.0)
    assert (a * b).dtype == np.float64                          # numpy's promotion
    assert (torch.ones(3) * torch.tensor(2.0, dtype=torch.float64)).dtype == torch.float32
    assert (a * 2.0).dtype == np.float32                        # a Python number keeps it, in both
