"""Tensor() construction (the core audit): the dtype kept, the caller's array never changed."""

import numpy as np
import pytest

from autograd import Tensor, no_grad


@pytest.mark.parametrize("order", ["<", ">"])
def test_float32_data_in_either_byte_order_stays_float32(order):
    # the docs: "float32 when ... data already is float32"; a big-endian file's '>f4' array became float64
    a = np.array([0.1, -2.5], dtype=order + "f4")
    t = Tensor(a)
    assert t.dtype == np.float32 and t.dtype.isnative
    np.testing.assert_array_equal(t.data, a.astype(np.float32))   # the same numbers, in native order
    assert Tensor(np.array([0.1], dtype=order + "f8")).dtype == np.float64


@pytest.mark.parametrize("make", [
    lambda: np.array([1.0, 2.0]),
    lambda: np.arange(6.0).reshape(2, 3)[:, ::2],       # not contiguous
    lambda: np.array([1.0, 2.0], dtype=">f8"),
])
def test_an_update_in_place_never_writes_into_the_callers_array(make):
    a = make()
    before = a.copy()
    a.flags.writeable = False
    w = Tensor(a, requires_grad=True)
    with no_grad():
        w -= 1.0
        w *= 2.0
    np.testing.assert_array_equal(a, before)
    np.testing.assert_array_equal(w.data, (before - 1.0) * 2.0)
    assert w.data.flags.writeable and w.data.flags.c_contiguous


def test_a_tensor_of_a_result_in_the_graph_is_refused_instead_of_cutting_it():
    # Tensor(h) copied h's numbers into a new leaf: W got no gradient through it, without a word
    W = Tensor([[1.0, 2.0]], requires_grad=True)
    h = W * 3.0
    with pytest.raises(TypeError, match=r"Tensor\(\).*'\*'.*cut the graph.*detach"):
        Tensor(h, requires_grad=True)
    with pytest.raises(TypeError, match="cut the graph"):
        Tensor(h)


def test_a_tensor_of_numbers_outside_the_graph_is_a_copy():
    W = Tensor([[1.0, 2.0]], requires_grad=True)
    h = W * 3.0
    with no_grad():
        c = Tensor(h)                                       # no graph is recorded here: nothing is cut
    copies = [c, Tensor(h.detach()), Tensor(W), Tensor(Tensor([3.0, 6.0]))]
    for t in copies:
        assert t.is_leaf and not t.requires_grad
    np.testing.assert_array_equal(copies[0].data, [[3.0, 6.0]])
    copies[2].data += 1.0                                  # a copy: W keeps its numbers
    np.testing.assert_array_equal(W.data, [[1.0, 2.0]])


@pytest.mark.parametrize("order", ["<", ">"])
def test_a_dtype_in_either_byte_order_is_taken_in_native_order(order):
    t = Tensor([0.1, 2.0], dtype=order + "f4")
    assert t.dtype == np.float32 and t.dtype.isnative
    np.testing.assert_array_equal(t.data, np.array([0.1, 2.0], dtype=np.float32))


@pytest.mark.parametrize("root", ["leaf", "op"])
def test_backward_with_a_seed_on_big_endian_data(root):
    # a .data replaced by a big-endian array computes alike (holds_floats); backward(grad) refused its dtype
    # ">f8 is not supported". d/dx sum(g * x) = g and d/dx sum(g * 2 x) = 2 g, by hand
    x = Tensor([1.0, 2.0], requires_grad=True)
    x.data = x.data.astype(">f8")
    g = np.array([0.5, -1.0])
    (x if root == "leaf" else x * 2.0).backward(g)
    np.testing.assert_array_equal(x.grad, g if root == "leaf" else 2 * g)
