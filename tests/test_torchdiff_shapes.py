"""Differential tests against PyTorch 2.13.0: products (matmul, dot, outer, linear), diagonals, joins, indexing and
the shape methods with PyTorch's names, on hypothesis-drawn shapes (vectors, batches that broadcast, size-0 axes,
negative dims): value, dtype, shape, gradient and second derivative (tests/torchdiff_checks.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from autograd import Tensor

torch = pytest.importorskip("torch")
from torchdiff_checks import compare  # noqa: E402  (after importorskip: it imports torch)

F = torch.nn.functional
DTYPES = st.sampled_from([np.float64, np.float32])
SEEDS = st.integers(0, 2**31)


def filled(draw, dtype, shape):
    width = 32 if dtype == np.float32 else 64
    return draw(hnp.arrays(dtype, shape, elements=st.floats(-3, 3, width=width)))


@st.composite
def matmul_pairs(draw):
    dtype = draw(DTYPES)
    a, b = draw(hnp.mutually_broadcastable_shapes(signature=np.matmul.signature, max_dims=3, min_side=0,
                                                  max_side=3)).input_shapes
    return [filled(draw, dtype, a), filled(draw, dtype, b)], draw(SEEDS)


@given(matmul_pairs())
def test_matmul_of_vectors_matrices_and_broadcast_batches_is_pytorchs(case):
    arrays, seed = case
    compare(lambda a, b: a @ b, lambda a, b: a @ b, arrays, seed)
    compare(autograd.matmul, torch.matmul, arrays, seed)


@st.composite
def vectors(draw, n=2, same=True):
    dtype = draw(DTYPES)
    sizes = [draw(st.integers(0, 4))] * n if same else [draw(st.integers(0, 4)) for _ in range(n)]
    return [filled(draw, dtype, (k,)) for k in sizes], draw(SEEDS)


@given(vectors(2, same=True), vectors(2, same=False))
def test_dot_and_outer_of_vectors_are_pytorchs(same, any_sizes):
    compare(autograd.dot, torch.dot, *same)
    compare(lambda a, b: a.dot(b), lambda a, b: a.dot(b), *same)
    compare(autograd.outer, torch.outer, *any_sizes)


@st.composite
def linear_inputs(draw):
    dtype = draw(DTYPES)
    n_in, n_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    batch = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3))
    arrays = [filled(draw, dtype, batch + (n_in,)), filled(draw, dtype, (n_out, n_in)), filled(draw, dtype, (n_out,))]
    return arrays, draw(st.sampled_from([None, "tanh", "sigmoid", "relu"])), draw(SEEDS)


@given(linear_inputs())
def test_linear_is_pytorchs_functional_linear_for_rows_a_vector_and_batches(case):
    arrays, activation, seed = case
    act = {None: lambda z: z, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[activation]
    compare(lambda x, w, b: autograd.linear(x, w, b, activation=activation), lambda x, w, b: act(F.linear(x, w, b)),
            arrays, seed)
    compare(lambda x, w: autograd.linear(x, w), F.linear, arrays[:2], seed)                      # no bias


@st.composite
def matrices(draw, min_side=0):
    dtype = draw(DTYPES)
    return filled(draw, dtype, draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=min_side, max_side=4))), \
        draw(st.integers(-4, 4)), draw(SEEDS)


@given(matrices(), vectors(1, same=False))
def test_diag_and_trace_with_any_offset_are_pytorchs(matrix, vector):
    m, k, seed = matrix
    compare(lambda t: autograd.diag(t, k), lambda t: torch.diag(t, k), [m], seed)
    compare(lambda t: autograd.diag(t, k), lambda t: torch.diag(t, k), vector[0], seed)
    compare(autograd.trace, torch.trace, [m], seed)
    compare(lambda t: t.trace(), lambda t: t.trace(), [m], seed)


@st.composite
def joins(draw):
    dtype = draw(DTYPES)
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    widths = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    pieces = [filled(draw, dtype, shape[:axis % len(shape)] + (w,) + shape[axis % len(shape) + 1:]) for w in widths]
    same = [filled(draw, dtype, shape) for _ in widths]
    return pieces, same, axis, draw(SEEDS)


@given(joins())
def test_concatenate_and_stack_along_any_axis_are_pytorchs_cat_and_stack(case):
    pieces, same, axis, seed = case
    compare(lambda *ts: autograd.concatenate(ts, axis), lambda *ts: torch.cat(ts, axis), pieces, seed)
    compare(lambda *ts: autograd.stack(ts, axis), lambda *ts: torch.stack(ts, axis), same, seed)
    compare(lambda *ts: autograd.stack(ts, -1), lambda *ts: torch.stack(ts, -1), same, seed)


@st.composite
def tensors_3d(draw):
    dtype = draw(DTYPES)
    shape = draw(hnp.array_shapes(min_dims=3, max_dims=3, min_side=1, max_side=3))
    return filled(draw, dtype, shape), draw(SEEDS)


SHAPE_OPS = {
    "permute": (lambda t: t.permute(2, 0, 1), lambda t: t.permute(2, 0, 1)),
    "permute -1": (lambda t: t.permute((-1, 1, 0)), lambda t: t.permute((-1, 1, 0))),
    "swapaxes": (lambda t: t.swapaxes(0, -1), lambda t: t.swapaxes(0, -1)),
    "moveaxis": (lambda t: t.moveaxis(0, -1), lambda t: t.moveaxis(0, -1)),
    "flip": (lambda t: t.flip(0, -1), lambda t: t.flip(0, -1)),
    "flatten": (lambda t: t.flatten(1), lambda t: t.flatten(1)),
    "flatten 0 -2": (lambda t: t.flatten(0, -2), lambda t: t.flatten(0, -2)),
    "reshape": (lambda t: t.reshape(-1, t.shape[-1]), lambda t: t.reshape(-1, t.shape[-1])),
    "ravel": (lambda t: t.ravel(), lambda t: t.ravel()),
    "unsqueeze": (lambda t: t.unsqueeze(-2), lambda t: t.unsqueeze(-2)),
    "squeeze dim": (lambda t: t[:1].squeeze(dim=0), lambda t: t[:1].squeeze(0)),
    "squeeze dims": (lambda t: t[:1, :, :1].squeeze(dim=(0, -1)), lambda t: t[:1, :, :1].squeeze((0, -1))),
    "squeeze": (lambda t: t[:1, :, :1].squeeze(), lambda t: t[:1, :, :1].squeeze()),
    "expand": (lambda t: t[:, :1, :1].expand(2, -1, 2, 3), lambda t: t[:, :1, :1].expand(2, -1, 2, 3)),
    "split": (lambda t: t.split(2, -1)[-1], lambda t: t.split(2, -1)[-1]),
    "split sizes": (lambda t: t.split([1, t.shape[0] - 1], 0)[1], lambda t: t.split([1, t.shape[0] - 1], 0)[1]),
    "chunk": (lambda t: autograd.stack([c.sum() for c in t.chunk(2, 1)]),
              lambda t: torch.stack([c.sum() for c in t.chunk(2, 1)])),
    "index": (lambda t: t[:, ::2, [0, 0, -1]], lambda t: t[:, ::2, [0, 0, -1]]),
    "index twice": (lambda t: t[-1][:, [0, -1]][[0, -1, 0]],
                    lambda t: t[-1][:, [0, -1]][[0, -1, 0]]),
    "mask": (lambda t: t[t.data > 0], lambda t: t[t > 0]),
    "T of a matrix": (lambda t: t[0].T, lambda t: t[0].T),
    "t()": (lambda t: t[0].t(), lambda t: t[0].t()),
    "mT": (lambda t: t.swapaxes(-2, -1), lambda t: t.mT),
}


@pytest.mark.parametrize("name", list(SHAPE_OPS))   # each name every run (drawn, 20 examples met half of them)
@settings(max_examples=5)
@given(case=tensors_3d())
def test_shape_methods_with_pytorchs_names_give_pytorchs_entries_and_gradients(name, case):
    x, seed = case
    ours, theirs = SHAPE_OPS[name]
    compare(lambda t: ours(t) * ours(t), lambda t: theirs(t) * theirs(t), [x], seed)   # squared: a 2nd derivative


def test_an_int_and_a_list_apart_put_the_picked_axis_first_as_numpy_where_pytorch_keeps_it_in_place():
    # docs/pytorch.md: indexing is numpy's; PyTorch reads the int as a plain index, numpy as an advanced one
    x = np.arange(24.0).reshape(2, 3, 4)
    assert Tensor(x)[-1, :, [0, 3]].shape == (2, 3) == x[-1, :, [0, 3]].shape
    assert tuple(torch.tensor(x)[-1, :, [0, 3]].shape) == (3, 2)
