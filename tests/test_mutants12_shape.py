"""Mutation testing of autograd/tensor/shape.py, twelfth round: each test fails on a deliberate mistake (named in the
test's comment or the case's) that the rest of the suite let pass, or that only a slow file caught.

The oracle for the gradients: every shape op is linear in its Tensor operand, so its Jacobian is exact and known
without the engine: column i is numpy's own op applied to the unit array e_i. dL/dx_i = sum(f_numpy(e_i) * w) for
L = sum(f(x) * w); matmul is linear in each operand with the other held fixed."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, concatenate, stack


def _exact_vjp(f_np, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """dL/dx for L = sum(f_np(x) * w), f_np linear: one unit array per entry of x."""
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = 1.0
        g[i] = np.sum(np.asarray(f_np(e)) * w)
    return g


def _pieces_weighted(cut):
    """A cut (split, chunk, ...) as one linear map: the pieces flattened, piece k times k + 1, side by side, so that
    a gradient sent to the wrong piece shows."""
    def ours(t):
        return concatenate([p.reshape(-1) * float(k + 1) for k, p in enumerate(cut(t))] + [np.zeros(0)])
    return ours


def _numpy_weighted(cut):
    return lambda a: np.concatenate([p.reshape(-1) * float(k + 1) for k, p in enumerate(cut(a))] + [np.zeros(0)])


def _joined(join, shapes):
    """A join of parts cut from one flat Tensor of the parts' total size (so one x carries every part's gradient)."""
    ends = np.cumsum([0] + [int(np.prod(s)) for s in shapes])

    def parts(a):
        return [a[lo:hi].reshape(s) for lo, hi, s in zip(ends, ends[1:], shapes)]
    return (lambda t: join([p * 1.0 for p in parts(t)])), (lambda a: join(parts(a))), (int(ends[-1]),)


# (name, ours, numpy's, shape of x): the mutants each case kills are named beside it
CASES = [
    # back = axes (the permutation for its own inverse): right for a swap, wrong for the 3-cycles
    ("transpose (1, 2, 0)", lambda t: t.transpose(1, 2, 0), lambda a: a.transpose(1, 2, 0), (2, 3, 4)),
    ("transpose ((2, 0, 1))", lambda t: t.transpose((2, 0, 1)), lambda a: a.transpose(2, 0, 1), (2, 3, 4)),
    # -ndim <= a read as -ndim < a: axis -3 of 3 left negative, refused as "not a permutation"
    ("transpose (-3, -1, -2)", lambda t: t.transpose(-3, -1, -2), lambda a: a.transpose(-3, -1, -2), (2, 3, 4)),
    ("T of 3 axes", lambda t: t.T, lambda a: a.T, (2, 3, 4)),
    ("permute (2, 0, 1)", lambda t: t.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1), (2, 3, 4)),
    # order[a], order[b] = b, a written as order[a] = b: a repeated axis
    ("swapaxes (0, 2)", lambda t: t.swapaxes(0, 2), lambda a: a.swapaxes(0, 2), (2, 3, 4)),
    ("swapaxes (-1, 0)", lambda t: t.swapaxes(-1, 0), lambda a: a.swapaxes(-1, 0), (2, 3, 4)),
    ("moveaxis (0, -1)", lambda t: t.moveaxis(0, -1), lambda a: np.moveaxis(a, 0, -1), (2, 3, 4)),
    # zip(dst, src) not sorted: inserting axis 0 at place 1 and then axis 1 at place 0 moves the first one on,
    # giving (1, 2, 0) where numpy's moveaxis gives (1, 0, 2)
    ("moveaxis ((0, 1), (1, 0))", lambda t: t.moveaxis((0, 1), (1, 0)), lambda a: np.moveaxis(a, (0, 1), (1, 0)),
     (2, 3, 4)),
    ("moveaxis ((2, 0), (0, 3))", lambda t: t.moveaxis((2, 0), (0, 3)), lambda a: np.moveaxis(a, (2, 0), (0, 3)),
     (2, 3, 4, 5)),
    ("flip(0)", lambda t: t.flip(0), lambda a: np.flip(a, 0), (2, 3)),
    # flipped = () for axes=None: np.flip(t) reversing nothing
    ("np.flip", lambda t: np.flip(t), lambda a: np.flip(a), (2, 3)),
    ("reshape (4, -1)", lambda t: t.reshape((4, -1)), lambda a: a.reshape(4, -1), (2, 3, 2)),
    # shape[hi + 1:] as shape[hi:]: the last merged axis kept too
    ("flatten(1, 2)", lambda t: t.flatten(1, 2), lambda a: a.reshape(2, 12, 5), (2, 3, 4, 5)),
    # lo > hi as lo >= hi: flatten(1, 1), one axis merged with itself (PyTorch: the Tensor as it is), refused
    ("flatten(1, 1)", lambda t: t.flatten(1, 1), lambda a: a, (2, 3, 4)),
    # squeeze(dim=) keeping only the axes not named: PyTorch's dim= leaves an axis whose length is not 1
    ("squeeze(dim=1) of (3, 2)", lambda t: t.squeeze(dim=1), lambda a: a, (3, 2)),
    ("squeeze(dim=(0, 1)) of (1, 3, 1)", lambda t: t.squeeze(dim=(0, 1)), lambda a: a.reshape(3, 1), (1, 3, 1)),
    # _dims giving each new axis only one extra place: (0, 3) of a matrix is out of range for 3 axes
    ("expand_dims((0, 3))", lambda t: t.expand_dims((0, 3)), lambda a: np.expand_dims(a, (0, 3)), (2, 3)),
    # an entry picked twice: np.add.at, not dx[idx] = g (which keeps one of the two)
    ("t[[0, 0, 2]]", lambda t: t[[0, 0, 2]], lambda a: a[[0, 0, 2]], (3, 2)),
    # a tuple inside the index tuple left a tuple: (1, 1) not seen as an array that picks column 1 twice
    ("t[:, (1, 1)]", lambda t: t[:, (1, 1)], lambda a: a[:, [1, 1]], (2, 3)),
    ("t[mask]", lambda t: t[np.array([True, False, True])], lambda a: a[np.array([True, False, True])], (3, 2)),
    ("t[2-D index, 1]", lambda t: t[np.array([[0, 2], [2, 2]]), 1], lambda a: a[np.array([[0, 2], [2, 2]]), 1], (3, 2)),
    ("repeat([1, 0, 3], axis=1)", lambda t: t.repeat([1, 0, 3], axis=1), lambda a: np.repeat(a, [1, 0, 3], axis=1),
     (2, 3)),
    # a 0-d Tensor repeated along axis 0: numpy reads it as one entry of a vector
    ("repeat of a 0-d Tensor", lambda t: t.repeat(3, axis=0), lambda a: np.repeat(a, 3, axis=0), ()),
    ("np.broadcast_to", lambda t: np.broadcast_to(t, (2, 3, 4)), lambda a: np.broadcast_to(a, (2, 3, 4)), (3, 1)),
    # target[lead + i] as target[i]: the axis lengths compared against the wrong entries of the target
    ("expand(2, -1, 4)", lambda t: t.expand(2, -1, 4), lambda a: np.broadcast_to(a, (2, 3, 4)), (3, 1)),
    # more than _GROUP pieces cut through the tree of slices: (a - lo, b - lo) inside a group, and the last piece
    ("split(2) of 13", _pieces_weighted(lambda t: t.split(2)), _numpy_weighted(lambda a: np.split(a, range(2, 13, 2))),
     (13,)),
    ("split(sizes, dim=1)", _pieces_weighted(lambda t: t.split([1, 0, 2, 1, 1, 3, 2], dim=1)),
     _numpy_weighted(lambda a: np.split(a, [1, 1, 3, 4, 5, 8], axis=1)), (2, 10)),
    # ceil(n / chunks) as n // chunks + 1: the same where chunks does not divide n; 12 in 4 is 3 pieces of 3
    ("chunk(4) of 12", _pieces_weighted(lambda t: t.chunk(4)), _numpy_weighted(lambda a: np.split(a, 4)), (12,)),
    ("chunk(5) of 13", _pieces_weighted(lambda t: t.chunk(5)), _numpy_weighted(lambda a: np.split(a, [3, 6, 9, 12])),
     (13,)),
    # the first n % k pieces one entry longer (not the last ones)
    ("np.array_split(7, 3)", _pieces_weighted(lambda t: np.array_split(t, 3)),
     _numpy_weighted(lambda a: np.array_split(a, 3)), (7,)),
    ("np.array_split(9, 6, axis=1)", _pieces_weighted(lambda t: np.array_split(t, 6, axis=1)),
     _numpy_weighted(lambda a: np.array_split(a, 6, axis=1)), (2, 9)),
    # overlapping or backwards indices (3 then 1: an empty piece), and more than _GROUP pieces out of order
    ("np.split at [3, 1, 5, 9]", _pieces_weighted(lambda t: np.split(t, [3, 1, 5, 9])),
     _numpy_weighted(lambda a: np.split(a, [3, 1, 5, 9])), (7,)),
    ("np.split at [1, 2, 3, 4, 5, 9, 9]", _pieces_weighted(lambda t: np.split(t, [1, 2, 3, 4, 5, 9, 9])),
     _numpy_weighted(lambda a: np.split(a, [1, 2, 3, 4, 5, 9, 9])), (7,)),
    ("np.split at negative indices", _pieces_weighted(lambda t: np.split(t, [-5, -2, 2, 3, 4, 6], axis=1)),
     _numpy_weighted(lambda a: np.split(a, [-5, -2, 2, 3, 4, 6], axis=1)), (2, 7)),
    ("concatenate axis=1", *_joined(lambda ps: concatenate(ps, axis=1) if isinstance(ps[0], Tensor)
                                    else np.concatenate(ps, axis=1), [(2, 1), (2, 3), (2, 2)])),
    ("concatenate axis=None", *_joined(lambda ps: concatenate(ps, axis=None) if isinstance(ps[0], Tensor)
                                       else np.concatenate(ps, axis=None), [(2, 2), (3,)])),
    # moveaxis(g, 0, ax) for moveaxis(g, ax, 0): the same for two axes, not for three
    ("stack axis=1 of 3-D parts", *_joined(lambda ps: stack(ps, axis=1) if isinstance(ps[0], Tensor)
                                           else np.stack(ps, axis=1), [(2, 3, 4)] * 2)),
    ("stack axis=-2", *_joined(lambda ps: stack(ps, axis=-2) if isinstance(ps[0], Tensor)
                               else np.stack(ps, axis=-2), [(4, 3, 2)] * 3)),
]


@pytest.mark.parametrize("name, ours, theirs, shape", CASES, ids=[c[0] for c in CASES])
def test_each_shape_op_gives_numpys_values_and_its_exact_gradient(name, ours, theirs, shape):
    rng = np.random.default_rng(12)
    x0 = rng.standard_normal(shape)
    x = Tensor(x0.copy(), requires_grad=True)
    y = ours(x)
    want = np.asarray(theirs(x0))
    assert y.shape == want.shape
    np.testing.assert_array_equal(y.data, want)                   # entries moved, never computed
    w = rng.standard_normal(want.shape)
    (y * Tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad, _exact_vjp(theirs, x0, w), rtol=1e-13, atol=1e-14)


MATMULS = [
    ((2, 3), (3, 4)), ((3, 3), (3, 3)), ((2, 3), (3,)), ((3,), (3, 4)), ((3,), (3, 3)), ((3, 3), (3,)), ((3,), (3,)),
    ((5, 2, 3), (3, 4)), ((2, 3, 3), (3, 3)), ((3,), (5, 3, 4)), ((5, 2, 3), (3,)), ((2, 3), (5, 3, 4)),
    ((2, 1, 2, 3), (5, 3, 2)), ((3,), (2, 3, 3)), ((2, 3, 3), (3,)),
]


@pytest.mark.parametrize("sa, sb", MATMULS, ids=[f"{a}@{b}" for a, b in MATMULS])
@pytest.mark.parametrize("grads", ["a", "b", "both"])
def test_matmuls_gradients_are_exact_for_every_pairing_of_vectors_matrices_and_stacks(sa, sb, grads):
    # mutants: the stacked vjp without swapaxes (Y for Y^T, X for X^T: right only where the matrices are square and
    # symmetric, which random ones are not), G made a column for a 1-D left operand and a row for a 1-D right one,
    # ga/gb cut with the wrong axis, and the dot product's g * y for g * x; a constant operand and the Tensor one
    # swapped among the parents. dL/dA = sum over C = A B's entries of w * dC/dA: exact, from numpy's @ on units.
    rng = np.random.default_rng(1)
    A0, B0 = rng.standard_normal(sa), rng.standard_normal(sb)
    w = rng.standard_normal(np.matmul(A0, B0).shape)
    A = Tensor(A0.copy(), requires_grad=True) if grads != "b" else A0
    B = Tensor(B0.copy(), requires_grad=True) if grads != "a" else B0
    y = A @ B
    np.testing.assert_allclose(y.data, A0 @ B0, rtol=1e-14, atol=1e-15)
    (y * Tensor(w)).sum().backward()
    if grads != "b":
        np.testing.assert_allclose(A.grad, _exact_vjp(lambda a: a @ B0, A0, w), rtol=1e-13, atol=1e-14)
    if grads != "a":
        np.testing.assert_allclose(B.grad, _exact_vjp(lambda b: A0 @ b, B0, w), rtol=1e-13, atol=1e-14)


# --- the guards: each refusal names the op, the shapes and the fix --------------------------------------------------

def test_a_0d_operand_of_matmul_is_refused_by_name_on_either_side():
    # mutant: x.ndim == 0 and y.ndim == 0 (both must be numbers to be refused): numpy's own error, then
    # _matmul_error reading x.shape[-1] of shape () raised an IndexError naming nothing
    with pytest.raises(ValueError, match=r"@: cannot multiply \(\) @ \(2,\): a 0-d operand is a number; use \*"):
        Tensor(2.0) @ Tensor([1.0, 2.0])
    with pytest.raises(ValueError, match=r"@: cannot multiply \(2,\) @ \(\): a 0-d operand is a number"):
        Tensor([1.0, 2.0]) @ Tensor(2.0)


def test_a_matmul_of_unequal_inner_lengths_names_both_lengths():
    # mutant: k_left == k_right choosing the message: the inner lengths 3 and 2 reported as stacking axes
    with pytest.raises(ValueError, match=r"the last axis of the left operand has 3 entries and the second-to-last "
                                         r"axis of the right has 2; they must be equal"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"the stacking axes \(2,\) and \(3,\) do not broadcast"):
        Tensor(np.ones((2, 2, 3))) @ Tensor(np.ones((3, 3, 4)))


def test_np_reshape_refuses_fortran_order():
    # mutant: the order check dropped: order='F' would give the C-ordered reshape, other numbers than numpy's
    with pytest.raises(TypeError, match="takes only order='C'.*not order='F'"):
        np.reshape(Tensor(np.arange(6.0).reshape(2, 3)), (3, 2), order="F")


def test_transpose_refuses_float_axes_even_where_they_equal_a_permutation():
    # mutants: the int check dropped (1.0, 0, 2 sorts as a permutation and numpy's TypeError names no op), and
    # _identity_pair taking (0.0, 1) for the matrix's identity pair (0.0 == 0): the ambiguity message, not this one
    with pytest.raises(TypeError, match=r"transpose: axes must be ints, got \(1.0, 0, 2\)"):
        Tensor(np.zeros((2, 3, 4))).transpose(1.0, 0, 2)
    with pytest.raises(TypeError, match=r"transpose: axes must be ints, got \(0.0, 1\)"):
        Tensor(np.zeros((2, 3))).transpose(0.0, 1)


def test_np_transpose_of_a_0d_tensor_with_no_axes_is_the_number_itself():
    # mutant: permute refusing axes () whatever the Tensor: numpy's transpose of a 0-d array by () is that array
    x = Tensor(3.0, requires_grad=True)
    y = np.transpose(x, ())
    assert y.shape == () and y.item() == 3.0
    (y * 2.0).backward()
    assert x.grad == 2.0


def test_transpose_0_1_of_three_axes_says_to_use_swapaxes():
    # mutant: the ambiguity check for a matrix's (0, 1) made for any Tensor: on three axes (0, 1) is simply not a
    # permutation, and the message must say so
    with pytest.raises(ValueError, match=r"axes \(0, 1\) are not a permutation of the 3 axes of shape \(2, 3, 4\); "
                                         r"to exchange two axes.*use t.swapaxes\(0, 1\)"):
        Tensor(np.zeros((2, 3, 4))).transpose(0, 1)


def test_the_gradient_goes_to_the_rows_the_index_picked_even_if_the_index_array_changes_later():
    # mutant: _plain_part keeping the caller's index array (no copy): the buffer refilled before backward() sent
    # the gradient to the new rows. x[idx] picks rows 0 and 2: dL/dx = w on rows 0 and 2, whatever idx holds later.
    x = Tensor(np.zeros((3, 2)), requires_grad=True)
    idx = np.array([0, 2])
    y = x[idx]
    idx[:] = [1, 1]
    (y * Tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    np.testing.assert_array_equal(x.grad, [[1.0, 2.0], [0.0, 0.0], [3.0, 4.0]])


def test_concatenate_names_a_0d_part_among_others():
    # mutant: any() made all(): one 0-d part beside a vector reached numpy's "zero-dimensional arrays cannot be
    # concatenated", naming no op and no fix
    with pytest.raises(ValueError, match=r"concatenate: cannot join shapes \[\(\), \(1,\)\]: a 0-d part is a single "
                                         r"number.*use stack\(\)"):
        concatenate([Tensor(1.0), Tensor([2.0])])


@pytest.mark.parametrize("call, message", [
    (lambda t: t.unsqueeze(3), r"unsqueeze: axis 3 is out of range for 3 axes \(-3 <= axis < 3\)"),
    (lambda t: t.squeeze(2), r"squeeze: axis 2 is out of range for 2 axes"),
    (lambda t: t.swapaxes(0, 2), r"swapaxes: axis 2 is out of range for shape \(2, 3\) \(its axes are -2 .. 1\)"),
])
def test_an_axis_one_past_the_last_is_out_of_range(call, message):
    # mutants: _dim and _axis_of checking -n <= axis <= n: axis n then wraps to 0 without a word (unsqueeze(3) of a
    # matrix put the new axis in front; swapaxes(0, 2) gave the matrix itself)
    with pytest.raises(ValueError, match=message):
        call(Tensor(np.zeros((2, 3))))


@pytest.mark.parametrize("call, message", [
    (lambda: Tensor(np.zeros((2, 3))).expand_dims((0, 0)), r"expand_dims: axis \(0, 0\) names an axis twice"),
    (lambda: Tensor(np.zeros((1, 3))).squeeze((0, -2)), r"squeeze: axis \(0, -2\) names an axis twice"),
    (lambda: Tensor(np.zeros((2, 3))).flip((0, 0)), r"flip: axes \(0, 0\) name axis 0 of shape \(2, 3\) twice"),
])
def test_an_axis_named_twice_is_refused(call, message):
    # mutants: _dims and _axes_of without their check of repeated axes: expand_dims((0, 0)) made one new axis,
    # flip((0, 0)) reversed once (numpy refuses both: "repeated axis")
    with pytest.raises(ValueError, match=message):
        call()


def test_repeat_refuses_a_negative_count_by_name():
    # mutant: the reps < 0 check dropped: numpy's "negative dimensions" then surfaced as "3 repeats do not fit",
    # which blames the count of repeats, not the -1
    with pytest.raises(ValueError, match=r"repeat: repeats must be a whole number >= 0 or one per entry"):
        Tensor(np.zeros((2, 3))).repeat(np.array([1, -1, 2]), axis=1)


def test_permute_with_too_few_dims_names_the_count():
    # mutant: reorder_axes without its length check: transpose's "not a permutation ... use swapaxes" instead
    with pytest.raises(ValueError, match=r"permute: dims \(1, 0\) name 2 axes, but shape \(2, 3, 4\) has 3"):
        Tensor(np.zeros((2, 3, 4))).permute(1, 0)


def test_moveaxis_refuses_more_sources_than_destinations():
    # mutant: the length check dropped: zip() stopped at the shorter and axis 1 silently stayed where it was
    with pytest.raises(ValueError, match=r"moveaxis: source \(0, 1\) and destination \(2,\) must name as many axes"):
        Tensor(np.zeros((2, 3, 4))).moveaxis((0, 1), (2,))


def test_broadcast_to_refuses_a_negative_length():
    # mutant: n >= 0 dropped from the check: (-1, 3) then failed on "axis 0 ... cannot become 3" of a (1,) Tensor
    with pytest.raises(ValueError, match=r"broadcast_to: the shape \(-1, 3\) must be whole numbers >= 0"):
        np.broadcast_to(Tensor([1.0]), (-1, 3))


def test_expand_refuses_minus_one_on_the_first_new_axis():
    # mutant: i < lead - 1: -1 on the one new axis (lead = 1) passed, and shape[i - lead] = shape[-1] = 3 gave a
    # (3, 2, 3) result where PyTorch refuses
    with pytest.raises(ValueError, match=r"expand: sizes \(-1, 2, 3\) put -1 on the new axis 0"):
        Tensor(np.zeros((2, 3))).expand(-1, 2, 3)


def test_split_refuses_a_piece_size_of_zero_and_sizes_that_do_not_add_up():
    # mutants: size == 0 let through (range()'s "arg 3 must not be zero" then), and sum(sizes) != n dropped
    # ([1, 1] of 3 entries gave two pieces and lost the third entry)
    t = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"split: a piece size of 0 cannot cut axis 1 of shape \(2, 3\)"):
        t.split(0, dim=1)
    with pytest.raises(ValueError, match=r"split: the sizes \[1, 1\] must be whole numbers >= 0 that add up to 3"):
        t.split([1, 1], dim=1)


def test_chunk_of_an_empty_axis_gives_as_many_empty_pieces_as_asked():
    # mutant: one (0, 0) piece for any chunks. PyTorch 2.13.0: torch.zeros(0, 3).chunk(3) is three (0, 3) pieces.
    pieces = Tensor(np.zeros((0, 3))).chunk(3)
    assert [p.shape for p in pieces] == [(0, 3)] * 3


@pytest.mark.parametrize("cut", [np.split, np.array_split])
def test_numpys_split_into_zero_pieces_and_at_a_fractional_index_is_refused_by_name(cut):
    # mutants: k < 1 dropped from the count's check (n % 0: ZeroDivisionError), and the indices' int check dropped
    # (slice(None, 1.5).indices raised a TypeError naming no op)
    t = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"axis 1 of shape \(2, 3\) \(3 entries\) cannot be cut into 0 pieces"):
        cut(t, 0, axis=1)
    with pytest.raises(ValueError, match=r"the indices \[1.5\] must be whole numbers"):
        cut(t, [1.5], axis=1)


def test_reshape_takes_the_shape_as_a_list_too():
    # mutant: Shape.reshape reading only a tuple as the one shape argument: t.reshape([3, 2]), as numpy takes it,
    # was read as a shape of one axis of length [3, 2] and refused
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = x.reshape([3, 2])
    np.testing.assert_array_equal(y.data, np.arange(6.0).reshape(3, 2))
    (y * Tensor(np.arange(6.0).reshape(3, 2))).sum().backward()
    np.testing.assert_array_equal(x.grad, np.arange(6.0).reshape(2, 3))     # each entry's weight moves back


def test_t_refuses_more_than_two_axes():
    # mutant: t()'s check of the axes dropped: a (2, 3, 4) Tensor came back as it is where PyTorch's t() refuses
    with pytest.raises(ValueError, match=r"t\(\): a Tensor of shape \(2, 3, 4\) has more than 2 axes"):
        Tensor(np.zeros((2, 3, 4))).t()


def test_broadcast_to_fewer_axes_names_the_count_of_axes():
    # mutant: lead < -1 for lead < 0: one axis too many slipped past the check, and numpy's own "input operand has
    # more dimensions than allowed by the axis remapping" named no op
    with pytest.raises(ValueError, match=r"broadcast_to: shape \(1, 3\) has 2 axes, more than the 1 of \(3,\)"):
        np.broadcast_to(Tensor(np.zeros((1, 3))), (3,))


def test_expand_refuses_a_size_below_minus_one_by_its_own_name():
    # mutant: n < -2 for n < -1: -2 reached broadcast_to, whose message speaks of another call and no -1
    with pytest.raises(ValueError, match=r"expand: sizes \(-2, 3\) for shape \(1, 3\) hold -2; give lengths >= 0"):
        Tensor(np.zeros((1, 3))).expand(-2, 3)


def test_split_refuses_a_negative_size_even_when_the_sizes_add_up():
    # mutant: s >= 0 dropped from the sizes' check: [-1, 4] adds up to 3, and the slices [0:-1] and [-1:3] cut two
    # overlapping pieces (of 2 and 1 entries) without a word
    with pytest.raises(ValueError, match=r"split: the sizes \[-1, 4\] must be whole numbers >= 0 that add up to 3"):
        Tensor(np.zeros(3)).split([-1, 4])


def test_split_of_an_empty_axis_gives_one_empty_piece():
    # mutant: starts = range(0, n, size) for n = 0 too: no piece at all. PyTorch 2.13.0: torch.zeros(0, 3).split(2)
    # is one (0, 3) piece.
    assert [p.shape for p in Tensor(np.zeros((0, 3))).split(2)] == [(0, 3)]


@pytest.mark.parametrize("axis", [1.0, True])
def test_concatenate_refuses_an_axis_that_is_not_an_int(axis):
    # mutant: concatenate's axis taken as int(axis): 1.0 and True became axis 1 without a word (numpy refuses both)
    with pytest.raises(TypeError, match=f"concatenate: axis must be an int, got {type(axis).__name__} {axis}"):
        concatenate([Tensor(np.zeros((2, 3))), Tensor(np.zeros((2, 3)))], axis=axis)


def test_a_0d_array_is_read_as_the_number_it_holds_for_an_axis_a_count_or_a_shape():
    # mutant: _number returning a 0-d array as it is: concatenate's axis refused as an ndarray, split and np.split
    # tried to iterate it, chunk refused array(2) and broadcast_to the shape (array(3),); numpy reads each as a number
    a = np.arange(6.0).reshape(2, 3)
    t = Tensor(a)
    assert concatenate([t, t], axis=np.array(1)).shape == np.concatenate([a, a], axis=np.array(1)).shape
    assert [p.shape for p in np.split(t, np.array(3), axis=1)] == [p.shape for p in np.split(a, np.array(3), axis=1)]
    assert np.broadcast_to(Tensor([1.0]), np.array(3)).shape == np.broadcast_to(np.array([1.0]), np.array(3)).shape
    assert [p.shape for p in t.split(np.array(2), 1)] == [(2, 2), (2, 1)]       # 3 columns in pieces of 2: 2 + 1
    assert [p.shape for p in t.chunk(np.array(2), 1)] == [(2, 2), (2, 1)]       # ceil(3 / 2) = 2 columns a piece
