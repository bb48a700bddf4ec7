"""Mutation testing, fourth round: dot keeps a float32 Tensor's dtype beside a list or a number, dot of a matrix and
a 3-D array is numpy's (not matmul's), shapes that do not align are refused by dot itself; numpy's functions on a
Tensor keep their arguments (ddof, trace's axes, array_split's uneven parts), refuse results that are complex or
partly floats, and never write into a Tensor or hand back its own memory for copy=True."""

import numpy as np
import pytest
import torch

from autograd import Tensor, dot, trace

F32 = np.float32


@pytest.mark.parametrize("other", [[3.0, 4.0], 2.0])
def test_dot_of_a_float32_tensor_and_a_constant_is_float32_either_way_round(other):
    # the constant becomes a Tensor of the Tensor's dtype: a float64 constant must not make the result float64
    a = Tensor(np.array([1.0, 2.0], dtype=F32), requires_grad=True)
    assert dot(a, other).data.dtype == F32
    assert dot(other, a).data.dtype == F32


def test_dot_of_a_matrix_and_a_3d_array_sums_over_the_second_to_last_axis_as_numpy_does():
    # np.dot(A, B)[i, k, l] = sum_j A[i, j] B[k, j, l]: shape (2, 4, 5), where A @ B would broadcast to (4, 2, 5)
    A, B = np.arange(6.0).reshape(2, 3) / 5, np.arange(60.0).reshape(4, 3, 5) / 50
    a, b = Tensor(A, requires_grad=True), Tensor(B, requires_grad=True)
    y = dot(a, b)
    np.testing.assert_allclose(y.data, np.dot(A, B), rtol=1e-14)
    G = np.cos(np.arange(40.0)).reshape(2, 4, 5)
    (y * G).sum().backward()
    ta, tb = torch.tensor(A, requires_grad=True), torch.tensor(B, requires_grad=True)
    (torch.einsum("ij,kjl->ikl", ta, tb) * torch.tensor(G)).sum().backward()
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(b.grad, tb.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("shapes", [((2, 3), (4, 2)), ((2, 2, 3), (2, 4, 2)), ((3,), (4,))])
def test_dot_refuses_a_contracted_axis_of_b_longer_than_as_by_name(shapes):
    sa, sb = shapes
    with pytest.raises(ValueError, match=r"dot: shapes .* are not aligned"):
        dot(Tensor(np.ones(sa)), Tensor(np.ones(sb)))


def test_trace_over_the_same_axis_twice_is_refused_by_trace():
    with pytest.raises(ValueError, match="trace: axis1 and axis2 are both axis 1"):
        trace(Tensor(np.ones((2, 2))), axis1=1, axis2=-1)


def test_np_trace_of_a_tensor_uses_the_axes_it_is_given():
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(np.trace(Tensor(x), 1, 1, 2).data, np.trace(x, 1, 1, 2))


def test_np_var_of_a_tensor_uses_ddof():
    v = [1.0, 2.0, 4.0]
    assert np.var(Tensor(v), ddof=1).item() == pytest.approx(np.var(v, ddof=1), rel=1e-14)


def test_np_array_split_of_a_tensor_makes_uneven_parts_as_numpy_does():
    parts = np.array_split(Tensor(np.arange(5.0)), 2)
    assert [p.data.tolist() for p in parts] == [p.tolist() for p in np.array_split(np.arange(5.0), 2)]


def test_np_asarray_of_a_tensor_with_copy_true_does_not_share_its_memory():
    t = Tensor([1.0, 2.0])
    assert not np.shares_memory(np.asarray(t, copy=True), t.data)


@pytest.mark.parametrize("write", [lambda t: np.add.at(t, [0], 1.0), lambda t: np.put(t, [0], 5.0),
                                   lambda t: np.copyto(t, 7.0)], ids=["add.at", "put", "copyto"])
def test_numpy_never_writes_into_a_constant_tensor(write):
    # no gradient is at stake, but a Tensor changed behind the graph's back would still give wrong gradients later
    t = Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="would change a Tensor in place"):
        write(t)
    assert t.data.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("call", [lambda u: np.arctan2(np.array([1.0, 2.0]), u), lambda u: np.frexp(u),
                                  lambda u: np.fft.fft(u)], ids=["second-input", "floats-and-ints", "complex"])
def test_numpy_results_that_lose_a_gradient_are_refused_whatever_their_form(call):
    # a tracked Tensor as the second input, a tuple with floats beside ints, complex numbers: all computed from u
    u = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="is not a Tensor op"):
        call(u)
