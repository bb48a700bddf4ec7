"""Differential tests against PyTorch 2.13.0: methods whose names PyTorch has too, but whose meaning is numpy's.

Where the two libraries would give other numbers for the same call, the call is refused (transpose(0, 1) of a
matrix) or the difference is written in docs/pytorch.md; these tests hold both to what that page says.
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

matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=4),
                      elements=st.floats(-4, 4))


@pytest.mark.parametrize("axes", [(0, 1), (-2, -1), (0, -1), (-2, 1)])
def test_transpose_0_1_of_a_matrix_is_refused_as_numpy_and_pytorch_give_other_numbers(axes):
    m = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    assert np.array_equal(np.transpose(m.data, axes), m.data)          # numpy: the matrix as it is
    assert torch.tensor(m.data).transpose(*axes).tolist() == m.data.T.tolist()   # PyTorch: its transpose
    with pytest.raises(ValueError, match=r"transpose\(.*\) of a matrix of shape \(2, 2\) is ambiguous.*t\.T"):
        m.transpose(*axes)


@given(matrices, st.integers(0, 2**31))
def test_a_matrixs_transpose_1_0_and_swapaxes_0_1_give_pytorchs_transpose(m, seed):
    compare(lambda t: t.transpose(1, 0), lambda t: t.transpose(0, 1), [m], seed)
    compare(lambda t: t.swapaxes(0, 1), lambda t: t.transpose(0, 1), [m], seed)
    compare(lambda t: t.T, lambda t: t.mT, [m], seed)


def test_transpose_with_one_tuple_keeps_numpys_meaning_and_more_axes_are_refused_as_before():
    m = Tensor([[1.0, 2.0], [3.0, 4.0]])
    for axes in ((0, 1), [0, 1], np.array([0, 1])):                     # numpy's spellings: no PyTorch reading
        assert m.transpose(axes).data.tolist() == m.data.tolist()
    for axes in ((0, True), (0.0, 1.0), (np.float64(0), 1)):            # True and 1.0 equal 1, but are no axes
        with pytest.raises(TypeError, match="axes must be ints"):
            m.transpose(*axes)
    with pytest.raises(ValueError, match="ambiguous"):
        m.transpose(np.int64(0), np.int32(1))                           # numpy's ints are axes
    x = Tensor(np.zeros((2, 3, 4)))
    assert x.transpose(2, 0, 1).shape == (4, 2, 3)
    with pytest.raises(ValueError, match=r"use t\.swapaxes\(0, 1\)"):
        x.transpose(0, 1)


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=st.floats(-4, 4)),
       st.integers(0, 2**31))
def test_var_is_numpys_biased_by_default_and_pytorchs_with_ddof_1(x, seed):
    # docs/pytorch.md: t.var() divides by n (numpy), torch's by n - 1; t.var(ddof=1) is torch's t.var()
    compare(lambda t: t.var(), lambda t: t.var(correction=0), [x], seed)
    if x.size > 1:
        compare(lambda t: t.var(ddof=1), lambda t: t.var(), [x], seed)
    compare(lambda t: t.var(axis=-1, keepdims=True, ddof=0), lambda t: t.var(-1, keepdim=True, correction=0), [x], seed)


def test_repeat_is_numpys_each_entry_in_turn_where_pytorch_tiles():
    x = Tensor([1.0, 2.0])
    assert x.repeat(2).tolist() == [1.0, 1.0, 2.0, 2.0]                 # torch.repeat_interleave
    assert torch.tensor([1.0, 2.0]).repeat_interleave(2).tolist() == [1.0, 1.0, 2.0, 2.0]
    assert torch.tensor([1.0, 2.0]).repeat(2).tolist() == [1.0, 2.0, 1.0, 2.0]


def test_max_along_an_axis_gives_the_values_as_pytorchs_amax_not_a_pair():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]], requires_grad=True)
    out = x.max(axis=1)
    assert isinstance(out, Tensor) and out.tolist() == [3.0, 2.0]
    out.sum().backward()
    t = torch.tensor(x.data, requires_grad=True)
    t.amax(dim=1).sum().backward()                                      # ties share, as here
    np.testing.assert_array_equal(x.grad, t.grad.numpy())
    values, indices = torch.tensor(x.data).max(dim=1)                   # PyTorch's max(dim): a pair
    assert values.tolist() == [3.0, 2.0] and indices.tolist() == [1, 0]


def test_size_is_numpys_number_of_entries_not_pytorchs_method():
    x = Tensor(np.zeros((2, 3)))
    assert x.size == 6 and torch.zeros(2, 3).size() == (2, 3)
    with pytest.raises(TypeError):
        x.size()                                                        # an int is not callable: no silent number


def test_a_retained_gradient_is_the_latest_calls_where_pytorch_adds_the_calls():
    """h.retain_grad() and two backward() calls (a notebook cell run twice): here h.grad is the latest call's
    dL/dh, in PyTorch the sum of both, as for a leaf. Leaves add up in both."""
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = (x * 3.0).retain_grad()
    loss = (h * h).sum()
    loss.backward()
    loss.backward()
    xt = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    ht = xt * 3.0
    ht.retain_grad()
    loss_t = (ht * ht).sum()
    loss_t.backward(retain_graph=True)
    loss_t.backward()
    assert h.grad.tolist() == [6.0, 12.0] and ht.grad.tolist() == [12.0, 24.0]    # dL/dh = 2 h = 6 x, once or twice
    assert x.grad.tolist() == xt.grad.tolist() == [36.0, 72.0]                      # 2 calls of dL/dx = 18 x
