"""Arguments numpy takes for the shape functions routed to the Tensor (np.flip, np.moveaxis, np.split,
np.array_split, np.broadcast_to) and that the Tensor methods take alike: a 0-d integer array is one number (numpy
reads np.array(2) as 2), a range is a list of axes. Each result is compared with numpy's on the data, and each
gradient with the one of the same cut made by plain slicing."""

import numpy as np
import pytest

from autograd import Tensor

X = np.arange(24.0).reshape(2, 3, 4)


def _same_pieces(ours, theirs):
    assert len(ours) == len(theirs)
    for p, q in zip(ours, theirs):
        assert p.shape == q.shape
        np.testing.assert_array_equal(p.data, q)


@pytest.mark.parametrize("call", [
    lambda m, a: np.flip(m, np.array(1)),
    lambda m, a: np.flip(m, range(2)),
    lambda m, a: np.moveaxis(m, np.array(0), np.array(2)),
    lambda m, a: np.moveaxis(m, range(2), [2, 0]),
    lambda m, a: np.swapaxes(m, np.array(0), np.array(-1)),
    lambda m, a: np.broadcast_to(m[0, 0, :1], np.array(3)),
    lambda m, a: np.transpose(m, np.array([2, 0, 1])),
])
def test_numpy_functions_take_zero_d_arrays_and_ranges_as_numpy_does(call):
    t = Tensor(X, requires_grad=True)
    expected = call(X, False)
    out = call(t, False)
    assert out.shape == expected.shape
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("op", [np.split, np.array_split])
def test_np_split_takes_a_zero_d_count_and_axis(op):
    t = Tensor(X, requires_grad=True)
    _same_pieces(op(t, np.array(2), axis=np.array(2)), op(X, np.array(2), axis=np.array(2)))
    _same_pieces(op(t, np.array(1)), op(X, np.array(1)))


def test_methods_take_zero_d_arrays_as_their_numbers():
    t = Tensor(X, requires_grad=True)
    np.testing.assert_array_equal(t.flip(np.array(2)).data, X[:, :, ::-1])
    np.testing.assert_array_equal(t.permute(np.array([2, 0, 1])).data, X.transpose(2, 0, 1))
    np.testing.assert_array_equal(t.swapaxes(np.array(0), 1).data, X.swapaxes(0, 1))
    _same_pieces(t.split(np.array(3), dim=np.array(-1)), [X[..., :3], X[..., 3:]])
    _same_pieces(t.chunk(np.array(2), np.array(1)), [X[:, :2], X[:, 2:]])
    ex = t[:, :1].expand(np.array(2), np.array(3), np.array(-1))
    np.testing.assert_array_equal(ex.data, np.broadcast_to(X[:, :1], (2, 3, 4)))


def test_a_zero_d_count_cuts_with_the_same_gradient_as_the_int():
    w = np.arange(1.0, 25.0).reshape(2, 3, 4)
    a = Tensor(X, requires_grad=True)
    b = Tensor(X, requires_grad=True)
    for i, p in enumerate(a.split(np.array(3), dim=2)):
        (p * w[..., 3 * i:3 * i + 3] * (i + 1)).sum().backward()
    # the same pieces by hand: t[..., :3] and t[..., 3:]
    (b[..., :3] * w[..., :3]).sum().backward()
    (b[..., 3:] * w[..., 3:] * 2).sum().backward()
    np.testing.assert_array_equal(a.grad, b.grad)


@pytest.mark.parametrize("call, op", [
    (lambda t: t.flip(np.array(1.0)), "flip"),
    (lambda t: t.split(np.array(True)), "split"),
    (lambda t: t.chunk(np.array(2.0)), "chunk"),
    (lambda t: np.split(t, np.array(1.5)), "split"),
    (lambda t: t.expand(np.array(2.0), 3, 4), "expand"),
    (lambda t: np.flip(t, np.array(True)), "flip"),
])
def test_a_zero_d_array_that_is_not_a_whole_number_is_still_refused_by_name(call, op):
    with pytest.raises((TypeError, ValueError), match=op):
        call(Tensor(X[:1]))


def test_np_split_with_indices_out_of_order_gives_numpys_overlapping_pieces_and_their_gradients_add():
    t = Tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
    pieces = np.split(t, [3, 1])                                 # numpy: a[:3], a[3:1] (empty), a[1:]
    _same_pieces(pieces, np.split(t.data, [3, 1]))
    (pieces[0].sum() + 2.0 * pieces[2].sum()).backward()
    # entry 0 is in the first piece only (1), entries 1 and 2 in both (1 + 2), entries 3 and 4 in the last (2)
    np.testing.assert_array_equal(t.grad, [1.0, 3.0, 3.0, 2.0, 2.0])
