"""The Tensor strategies of autograd.testing draw what they promise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis.errors import NoSuchExample

from autograd import Tensor
from autograd.testing import (
    broadcastable_shapes,
    broadcastable_tensors,
    matmul_shapes,
    matmul_tensors,
    shapes,
    tensors,
)


@given(shapes(min_dims=1, max_dims=2, min_side=2, max_side=3))
def test_shapes_keep_their_bounds(shape):
    assert 1 <= len(shape) <= 2 and all(2 <= n <= 3 for n in shape)


@given(tensors(shape=(3, 2), dtype=np.float32, min_value=-1.0, max_value=1.0, away_from_zero=0.25, name="w"))
def test_tensors_have_the_shape_dtype_bounds_and_margin_asked_for(t):
    assert isinstance(t, Tensor) and t.shape == (3, 2) and t.dtype == np.float32
    assert t.requires_grad and t.name == "w" and t.grad is None
    assert np.all(np.abs(t.data) <= 1.0) and np.all(np.abs(t.data) >= 0.25)


@given(tensors(shape=shapes(max_dims=2), unique=True, requires_grad=False))
def test_unique_tensors_have_no_ties(t):
    assert len(np.unique(t.data)) == t.size and not t.requires_grad


@given(broadcastable_shapes(3))
def test_broadcastable_shapes_broadcast(triple):
    assert len(triple) == 3
    np.broadcast_shapes(*triple)


@given(matmul_shapes())
def test_matmul_shapes_multiply(pair):
    np.zeros(pair[0]) @ np.zeros(pair[1])


@given(broadcastable_tensors(2, min_value=0.5), matmul_tensors())
def test_tensor_pairs_combine(pair, mm):
    a, b = pair
    assert np.all((a * b).data >= 0.25)
    (mm[0] @ mm[1]).data


def test_tensors_refuse_an_empty_interval():
    with pytest.raises(ValueError, match="away from 0"):
        tensors(min_value=-0.1, max_value=0.1, away_from_zero=0.5)


@given(tensors(shape=(4,), dtype=np.float32, min_value=0.1, max_value=0.7),
       tensors(shape=(4,), dtype=np.float32, away_from_zero=0.1))
def test_float32_tensors_take_bounds_that_float32_cannot_hold_exactly(inside, apart):
    # 0.1 is no float32: hypothesis refused min_value=0.1 (even when the caller wrote away_from_zero=0.1); the
    # bounds are rounded inwards to float32 now, so every number drawn still keeps them
    assert np.all(inside.data >= 0.1) and np.all(inside.data <= 0.7) and inside.dtype == np.float32
    assert np.all(np.abs(apart.data) >= 0.1) and np.all(np.abs(apart.data) <= 2.0)


@pytest.mark.parametrize(
    "make",
    [lambda: shapes(min_dims=3, max_dims=1), lambda: shapes(min_side=-1), lambda: shapes(min_side=3, max_side=2),
     lambda: broadcastable_shapes(0), lambda: broadcastable_shapes(2, max_dims=-1), lambda: matmul_shapes(max_side=0),
     lambda: tensors(dtype=np.int32), lambda: tensors(dtype=np.float16), lambda: tensors(dtype="no such dtype"),
     lambda: tensors(shape=(-1, 2)), lambda: broadcastable_tensors(-1), lambda: broadcastable_tensors(2, min_dims=1),
     lambda: broadcastable_tensors(2, dtype=np.int64), lambda: matmul_tensors(shape=(2, 2)),
     lambda: matmul_tensors(min_value=1.0, max_value=0.0)],
)
def test_bad_options_are_refused_when_the_strategy_is_built_not_when_it_draws(make):
    # hypothesis checks its own arguments lazily, at the first draw, deep inside the user's test: ours say at once
    # which strategy and which option is wrong
    with pytest.raises((ValueError, TypeError), match=r"^(shapes|broadcastable_shapes|matmul_shapes|tensors|"
                       r"broadcastable_tensors|matmul_tensors|floats): "):
        make()


def test_any_layout_draws_c_fortran_and_other_orders_in_both_dtypes():
    for dtype in (np.float64, np.float32):
        def layout(t, dtype=dtype):
            return t.dtype == dtype and t.data.flags.f_contiguous and not t.data.flags.c_contiguous

        find(tensors(shape=(2, 3), dtype=dtype), layout)      # raises NoSuchExample if never drawn
    find(tensors(shape=(2, 3, 4)), lambda t: not (t.data.flags.c_contiguous or t.data.flags.f_contiguous))
    with pytest.raises(NoSuchExample):
        find(tensors(shape=(2, 3), any_layout=False), lambda t: not t.data.flags.c_contiguous,
             settings=settings(max_examples=30, database=None))
