"""Differential tests against PyTorch 2.13.0: reductions and the softmax family, on hypothesis-drawn Tensors (0-d,
size-0 axes, negative and tuple axes, keepdims, float32 and float64, ties, 0, -0.0, +-inf, NaN, huge and subnormal
numbers): value, dtype, shape, gradient and second derivative (tests/torchdiff_checks.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor

torch = pytest.importorskip("torch")
from torchdiff_checks import compare  # noqa: E402  (after importorskip: it imports torch)

SPECIAL = [0.0, -0.0, 1.0, 2.0, 1e-310, 1e300, -1e300, np.inf, -np.inf, np.nan]


@st.composite
def reductions(draw, special=True, min_side=0, one_axis=False):
    """An array (0-d and size-0 shapes included, ties likely: the entries are few), an axis (None, an int or a
    tuple, negative ones too), keepdims, and a seed."""
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    shape = draw(hnp.array_shapes(min_dims=0 if not one_axis else 1, max_dims=3, min_side=min_side, max_side=3))
    width = 32 if dtype == np.float32 else 64
    plain = st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0])
    if special:
        plain |= st.floats(-3, 3, width=width)
    else:                                                   # no product that underflows: PyTorch's prod is wrong there
        plain |= st.floats(0.125, 3, width=width) | st.floats(-3, -0.125, width=width)
    with np.errstate(over="ignore"):                        # 1e300 is inf in float32: a special too
        held = [float(dtype(v)) for v in SPECIAL if v == 0 or dtype(v) != 0]
    x = draw(hnp.arrays(dtype, shape, elements=plain | st.sampled_from(held) if special else plain))
    n = len(shape)
    axes = st.integers(-n, n - 1)
    if one_axis:
        axis = draw(axes)
    else:
        axis = draw(st.none() | axes | st.lists(axes, max_size=n, unique_by=lambda a: a % n).map(tuple)
                    if n else st.none())
    return x, axis, draw(st.booleans()), draw(st.integers(0, 2**31))


def dims(x, axis):
    """PyTorch's dim for numpy's axis: every axis for None."""
    return tuple(range(x.ndim)) if axis is None else axis


def torch_prod(t, axis, keepdims):
    """PyTorch's prod takes one dim: the axes are moved last and merged into one."""
    axes = dims(t, axis)
    axes = (axes,) if isinstance(axes, int) else axes
    if t.ndim == 0:
        return t * 1.0
    axes = tuple(a % t.ndim for a in axes)
    rest = [i for i in range(t.ndim) if i not in axes]
    n = int(np.prod([t.shape[a] for a in axes]))            # spelled out: -1 is ambiguous beside a 0
    merged = t.permute(*rest, *axes).reshape(*(t.shape[i] for i in rest), n).prod(-1)
    return merged.reshape([1 if i in axes else n for i, n in enumerate(t.shape)]) if keepdims else merged


# name: (ours(t, axis, keepdims), PyTorch's, whether an axis of 0 entries is refused by name here)
REDUCTIONS = {
    "sum": (lambda t, a, k: t.sum(axis=a, keepdims=k), lambda t, a, k: t.sum(dim=dims(t, a), keepdim=k), False),
    "mean": (lambda t, a, k: t.mean(axis=a, keepdims=k), lambda t, a, k: t.mean(dim=dims(t, a), keepdim=k), True),
    "var": (lambda t, a, k: t.var(axis=a, keepdims=k),
            lambda t, a, k: t.var(dim=dims(t, a), keepdim=k, correction=0), True),
    "var ddof=1": (lambda t, a, k: t.var(axis=a, keepdims=k, ddof=1),
                   lambda t, a, k: t.var(dim=dims(t, a), keepdim=k), True),
    "max": (lambda t, a, k: t.max(axis=a, keepdims=k), lambda t, a, k: t.amax(dim=dims(t, a), keepdim=k), True),
    "min": (lambda t, a, k: t.min(axis=a, keepdims=k), lambda t, a, k: t.amin(dim=dims(t, a), keepdim=k), True),
    "logsumexp": (lambda t, a, k: t.logsumexp(axis=a, keepdims=k),
                  lambda t, a, k: t.logsumexp(dim=dims(t, a), keepdim=k), True),
}


def _entries(x, axis):
    axes = dims(x, axis)
    return int(np.prod([x.shape[a] for a in ((axes,) if isinstance(axes, int) else axes)]))


@given(name=st.sampled_from(list(REDUCTIONS)), case=reductions())
def test_reductions_give_pytorchs_value_dtype_shape_gradient_and_second_derivative(name, case):
    x, axis, keepdims, seed = case
    ours, theirs, refuses_empty = REDUCTIONS[name]
    n = _entries(x, axis)
    if n == 0 and refuses_empty or name == "var ddof=1" and n == 1:
        with pytest.raises(ValueError, match=name.split()[0]):      # PyTorch: NaN or -inf; here, by name
            ours(Tensor(x), axis, keepdims)
        return
    second = bool(np.isfinite(x).all())
    reference = lambda t: theirs(t, axis, keepdims)                  # noqa: E731
    if axis == ():   # numpy's axis=() reduces nothing, PyTorch's dim=() everything: as over one new axis of 1
        reference = lambda t: theirs(t.unsqueeze(-1), -1, False)     # noqa: E731
    compare(lambda t: ours(t, axis, keepdims), reference, [x], seed, second=second,
            grad_scale=max(1.0, float(np.max(np.abs(x[np.isfinite(x)]), initial=0.0))))   # var's: 2 (x - m) / n


@given(case=reductions(special=False))
def test_prod_gives_pytorchs_numbers_and_second_derivatives_where_no_product_leaves_the_float_range(case):
    x, axis, keepdims, seed = case
    reference = (lambda t: t * 1.0) if axis == () else (lambda t: torch_prod(t, axis, keepdims))
    compare(lambda t: t.prod(axis=axis, keepdims=keepdims), reference, [x], seed)


SOFTMAXES = {
    "softmax": (lambda t, a: t.softmax(a), lambda t, a: t.softmax(a)),
    "log_softmax": (lambda t, a: t.log_softmax(a), lambda t, a: t.log_softmax(a)),
    "cumsum": (lambda t, a: t.cumsum(a), lambda t, a: t.cumsum(a)),
}


@given(name=st.sampled_from(list(SOFTMAXES)), case=reductions(one_axis=True))
def test_softmax_log_softmax_and_cumsum_along_any_axis_give_pytorchs_numbers(name, case):
    x, axis, _, seed = case
    ours, theirs = SOFTMAXES[name]
    if x.shape[axis] == 0 and name != "cumsum":
        with pytest.raises(ValueError, match=f"{name}: .* no entries along axis"):   # PyTorch: an empty result
            ours(Tensor(x), axis)
        return
    compare(lambda t: ours(t, axis), lambda t: theirs(t, axis), [x], seed, second=bool(np.isfinite(x).all()))


def test_max_and_amax_share_the_gradient_among_ties_and_give_nan_to_a_row_holding_nan():
    x0 = np.array([[1.0, 3.0, 3.0, 3.0], [np.nan, 2.0, 2.0, 0.0]])
    compare(lambda t: t.max(axis=1), lambda t: t.amax(dim=1), [x0], 0, second=False)
    compare(lambda t: t.max(), lambda t: t.amax(), [x0[:1]], 1)                  # three ties: a third each


def test_logsumexp_of_rows_of_minus_inf_and_of_plus_inf_is_pytorchs():
    x0 = np.array([[-np.inf, -np.inf], [0.0, -np.inf], [np.inf, 1.0], [np.inf, np.inf]])
    compare(lambda t: t.logsumexp(1), lambda t: t.logsumexp(1), [x0], 0, second=False)


def test_prod_is_exact_where_pytorchs_running_product_or_its_division_y_over_x_fails_as_documented():
    x = Tensor([1e300, 1e300, 0.0], requires_grad=True)
    assert x.prod().item() == 0.0                                        # PyTorch: inf * 0 = NaN
    assert np.isnan(torch.tensor(x.data).prod().item())
    x = Tensor([np.inf], requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [1.0]                                      # the product of no other entries: 1
    t = torch.tensor([np.inf], requires_grad=True)
    t.prod().backward()
    assert np.isnan(t.grad.item())                                       # PyTorch's y / x = inf / inf
    x = Tensor([1e-173, 1e-173], requires_grad=True)                     # y = 1e-346 rounds to 0
    x.prod().backward(create_graph=True)
    (x.grad * np.array([1.0, 0.0])).sum().backward()
    t = torch.tensor([1e-173, 1e-173], dtype=torch.float64, requires_grad=True)
    (gt,) = torch.autograd.grad(t.prod(), t, create_graph=True)
    (ht,) = torch.autograd.grad(gt[0], t)
    assert ht.tolist() == [0.0, 0.0]                                     # d2(x0 x1)/dx0 dx1 = 1, not 0
    assert x.grad.data.tolist()[1] == 1.0


def test_mean_and_var_are_right_where_the_sum_overflows_and_pytorchs_are_inf_as_documented():
    x = Tensor([1e308, 1e308])
    assert x.mean().item() == 1e308 and np.isinf(torch.tensor(x.data).mean().item())
    y = Tensor([1e154, -1e154])                                          # the sum of squares 2e308 overflows
    assert y.var().item() == pytest.approx(1e154 ** 2, rel=1e-15)       # (1e308 + 1e308) / 2
    assert np.isinf(torch.tensor(y.data).var(correction=0).item())
