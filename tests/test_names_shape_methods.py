"""The shape methods users bring from PyTorch and numpy: permute, swapaxes, moveaxis, flip, expand, split, chunk,
and numpy's np.flip / np.swapaxes / np.moveaxis / np.broadcast_to / np.split / np.array_split on a Tensor.

Each is checked against numpy's own function on the data (values), against central differences (gradcheck) and
against central differences of the gradient (gradgradcheck, and a Hessian), in float64 and float32, with 0-d and
empty Tensors, and each wrong call must name the op, the shape and the fix."""

import numpy as np
import pytest
from draws import normal

from autograd import Tensor, grad, gradcheck, gradgradcheck
from autograd.functional import hessian

X = np.random.default_rng(7).standard_normal((2, 3, 4))


def _t(data=X, dtype=np.float64):
    return Tensor(np.asarray(data, dtype=dtype), requires_grad=True)


# Each case: (name, Tensor call, the same thing done by numpy on the array alone, as a list of arrays).
CASES = [
    ("permute", lambda t: t.permute(2, 0, 1), lambda a: [np.transpose(a, (2, 0, 1))]),
    ("permute tuple", lambda t: t.permute((1, -1, 0)), lambda a: [np.transpose(a, (1, 2, 0))]),
    ("swapaxes", lambda t: t.swapaxes(0, 2), lambda a: [np.swapaxes(a, 0, 2)]),
    ("swapaxes negative", lambda t: t.swapaxes(-1, 1), lambda a: [np.swapaxes(a, 2, 1)]),
    ("moveaxis", lambda t: t.moveaxis(0, -1), lambda a: [np.moveaxis(a, 0, -1)]),
    ("moveaxis several", lambda t: t.moveaxis((0, 1), (2, 0)), lambda a: [np.moveaxis(a, (0, 1), (2, 0))]),
    ("flip", lambda t: t.flip(1), lambda a: [np.flip(a, 1)]),
    ("flip two", lambda t: t.flip(0, -1), lambda a: [np.flip(a, (0, 2))]),
    ("flip tuple", lambda t: t.flip((2, 1)), lambda a: [np.flip(a, (1, 2))]),
    ("expand", lambda t: t[:, :1].expand(2, 3, 4), lambda a: [np.broadcast_to(a[:, :1], (2, 3, 4))]),
    ("expand -1 and a new axis", lambda t: t[:1].expand(5, -1, 3, 4),
     lambda a: [np.broadcast_to(a[:1], (5, 1, 3, 4))]),
    ("split size", lambda t: t.split(3, dim=2), lambda a: [a[:, :, :3], a[:, :, 3:]]),
    ("split sizes", lambda t: t.split([1, 0, 2], 1), lambda a: [a[:, :1], a[:, 1:1], a[:, 1:]]),
    ("chunk", lambda t: t.chunk(3, -1), lambda a: [a[..., :2], a[..., 2:]]),
    ("chunk even", lambda t: t.chunk(2), lambda a: [a[:1], a[1:]]),
    ("np.flip", lambda t: np.flip(t), lambda a: [a[::-1, ::-1, ::-1]]),
    ("np.flip axis", lambda t: np.flip(t, axis=1), lambda a: [a[:, ::-1]]),
    ("np.swapaxes", lambda t: np.swapaxes(t, 1, 2), lambda a: [a.transpose(0, 2, 1)]),
    ("np.moveaxis", lambda t: np.moveaxis(t, 2, 0), lambda a: [a.transpose(2, 0, 1)]),
    ("np.broadcast_to", lambda t: np.broadcast_to(t[0, 0], (2, 4)), lambda a: [np.stack([a[0, 0]] * 2)]),
    ("np.split count", lambda t: np.split(t, 2, axis=2), lambda a: [a[:, :, :2], a[:, :, 2:]]),
    ("np.split indices", lambda t: np.split(t, [1, 5, -1], axis=2),
     lambda a: [a[:, :, :1], a[:, :, 1:5], a[:, :, 5:-1], a[:, :, -1:]]),
    ("np.array_split", lambda t: np.array_split(t, 3, axis=2), lambda a: [a[:, :, :2], a[:, :, 2:3], a[:, :, 3:]]),
]
IDS = [c[0] for c in CASES]


def _pieces(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, call, expected", CASES, ids=IDS)
def test_values_equal_numpys_and_keep_the_dtype(name, call, expected, dtype):
    t = _t(X, dtype)
    got, want = _pieces(call(t)), expected(X.astype(dtype))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert isinstance(g, Tensor) and g.data.dtype == dtype and g.requires_grad
        assert g.shape == w.shape and np.array_equal(g.data, w)


def _weighted(call, seed):
    """A scalar through every piece: sum_k sum(w_k * piece_k^2), with fixed weights, so that each piece's gradient
    (2 w_k piece_k) differs from the others' and a gradient sent to the wrong slice shows."""
    def f(t):
        total = None
        for k, p in enumerate(_pieces(call(t))):
            w = np.random.default_rng(seed + k).standard_normal(p.shape)
            term = (p * p * w).sum()
            total = term if total is None else total + term
        return total
    return f


@pytest.mark.parametrize("name, call, expected", CASES, ids=IDS)
def test_gradients_equal_central_differences_and_the_hand_formula(name, call, expected):
    seed = IDS.index(name)
    f = _weighted(call, seed)
    assert gradcheck(f, [_t()])
    assert gradgradcheck(f, [_t(normal((2, 3, 4)) * 0.5)])
    # By hand: dL/dx = sum over the pieces of 2 w_k piece_k, carried back by numpy's own map of entry positions.
    where = np.arange(X.size, dtype=np.float64).reshape(X.shape)     # each entry's flat position, as its value
    x = _t()
    f(x).backward()
    expect = np.zeros(X.size)
    for k, (p, pos) in enumerate(zip(expected(X), expected(where))):
        w = np.random.default_rng(seed + k).standard_normal(p.shape)
        np.add.at(expect, pos.astype(int).ravel(), (2 * w * p).ravel())
    assert np.allclose(x.grad, expect.reshape(X.shape), rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("name, call, expected", CASES, ids=IDS)
def test_a_hessian_through_each_op_equals_2_a_transpose_w_a(name, call, expected):
    # Each op is linear, y = A x: the Hessian of sum(w y^2) is 2 A^T diag(w) A, with A read column by column.
    x0 = normal((2, 3, 4))
    seed = IDS.index(name)
    A = np.stack([np.concatenate([np.ravel(p) for p in expected(e.reshape(X.shape))]) for e in np.eye(X.size)],
                 axis=1)
    w = np.concatenate([np.random.default_rng(seed + k).standard_normal(p.shape).ravel()
                        for k, p in enumerate(expected(X))])
    H = hessian(_weighted(call, seed), Tensor(x0)).data.reshape(X.size, X.size)
    assert np.allclose(H, 2 * A.T @ (w[:, None] * A), rtol=1e-13, atol=1e-13)


def test_a_gradient_through_split_pieces_with_create_graph_is_differentiable_again():
    x = _t(np.array([0.5, -1.0, 2.0, 3.0]))
    a, b = x.split(2)
    (g,) = grad((a ** 3).sum() * b.sum(), [x], create_graph=True)        # (3 a^2 sum(b), sum(a^3))
    s, c = 2.0 + 3.0, 0.5 ** 3 - 1.0
    assert np.allclose(g.data, [3 * 0.25 * s, 3 * 1.0 * s, c, c], rtol=1e-15)
    (h,) = grad(g[0], [x])                                               # d/dx of 3 a_0^2 (b_0 + b_1)
    assert np.allclose(h.data, [6 * 0.5 * s, 0.0, 3 * 0.25, 3 * 0.25], rtol=1e-15)


# --- 0-d and empty Tensors ------------------------------------------------------------------------------------------

def test_a_0d_tensor_permutes_with_no_axes_flips_with_none_and_expands():
    x = _t(2.5)
    assert x.permute().data == 2.5 and x.permute(()).data == 2.5
    assert np.flip(x).data == 2.5 and np.flip(x).shape == ()
    y = x.expand(2, 3)
    assert y.shape == (2, 3) and np.all(y.data == 2.5)
    (y * np.arange(6.0).reshape(2, 3)).sum().backward()
    assert x.grad == 15.0                                                # dL/dx = sum of the weights


@pytest.mark.parametrize("call, words", [
    (lambda t: t.split(1), r"split: a 0-d Tensor has no axis to cut; reshape it to \(1,\)"),
    (lambda t: t.chunk(1), r"chunk: a 0-d Tensor has no axis to cut"),
    (lambda t: np.split(t, 1), r"np.split: a 0-d Tensor has no axis to cut"),
    (lambda t: t.flip(0), r"flip: axis 0 is out of range for shape \(\) \(a 0-d Tensor has no axis\)"),
    (lambda t: t.swapaxes(0, 0), r"swapaxes: axis 0 is out of range for shape \(\)"),
    (lambda t: t.permute(0), r"permute: dims \(0,\) name 1 axes, but shape \(\) has 0"),
])
def test_a_0d_tensor_refuses_what_needs_an_axis_by_name(call, words):
    with pytest.raises(ValueError, match=words):
        call(_t(1.0))


def test_empty_tensors_cut_and_move_as_numpy_and_pytorch_do():
    e = _t(np.zeros((0, 3)))
    assert [p.shape for p in e.split(2)] == [(0, 3)]                    # PyTorch: one empty piece
    assert [p.shape for p in e.chunk(3)] == [(0, 3)] * 3                # PyTorch: as many empty pieces as asked
    assert [p.shape for p in np.split(e, 3)] == [q.shape for q in np.split(np.zeros((0, 3)), 3)]
    assert e.permute(1, 0).shape == (3, 0) and e.flip(0).shape == (0, 3) and e.swapaxes(0, 1).shape == (3, 0)
    assert [p.shape for p in e.split([1, 2], dim=1)] == [(0, 1), (0, 2)]
    z = _t(np.zeros((3, 1))).expand(3, 0)
    assert z.shape == (3, 0)
    z.sum().backward()
    assert z.shape == (3, 0)
    sum(p.sum() for p in e.chunk(2, dim=1)).backward()
    assert e.grad.shape == (0, 3)


def test_chunk_may_give_fewer_pieces_than_asked_as_pytorch_and_array_split_gives_exactly_that_many():
    x = _t(np.arange(6.0))
    assert [p.data.tolist() for p in x.chunk(4)] == [[0, 1], [2, 3], [4, 5]]
    assert [p.data.tolist() for p in np.array_split(x, 4)] == [q.tolist() for q in np.array_split(np.arange(6.0), 4)]


def test_split_and_chunk_return_tuples_and_np_split_a_list_as_each_library_does():
    x = _t(np.arange(4.0))
    assert type(x.split(2)) is tuple and type(x.chunk(2)) is tuple
    assert type(np.split(x, 2)) is list and type(np.split(np.arange(4.0), 2)) is list


def test_expand_is_a_read_only_view_whose_gradient_sums_back_in_float32():
    x = _t(np.array([[1.0], [2.0]]), np.float32)
    y = x.expand(-1, 3)
    assert not y.data.flags.writeable and np.shares_memory(y.data, x.data)
    (y * np.array([1.0, 2.0, 4.0], np.float32)).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [[7.0], [7.0]]


# --- errors: the op, the shape and the fix ---------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, words", [
    (lambda t: t.permute(0, 0, 1), ValueError,
     r"permute: axes \(0, 0, 1\) name axis 0 of shape \(2, 3, 4\) twice; name each axis once"),
    (lambda t: t.permute(0, 1), ValueError, r"permute: dims \(0, 1\) name 2 axes, but shape \(2, 3, 4\) has 3; "
     r"give every axis once, e.g. \(2, 1, 0\)"),
    (lambda t: t.permute(0, 1, 3), ValueError, r"permute: axis 3 is out of range for shape \(2, 3, 4\) \(its axes "
     r"are -3 .. 2\)"),
    (lambda t: t.swapaxes(0, 3), ValueError, r"swapaxes: axis 3 is out of range for shape \(2, 3, 4\)"),
    (lambda t: t.swapaxes(0, 1.0), TypeError, r"swapaxes: axis must be an int, got float 1.0"),
    (lambda t: t.moveaxis((0, 1), 2), ValueError, r"moveaxis: source \(0, 1\) and destination 2 must name as many"),
    (lambda t: t.moveaxis(0, (1, 1)), ValueError, r"moveaxis: axes \(1, 1\) name axis 1 of shape \(2, 3, 4\) twice"),
    (lambda t: t.flip(), TypeError, r"flip: give the axes to reverse, e.g. t.flip\(0\) \(as PyTorch\); np.flip\(t\)"),
    (lambda t: t.flip(1, -2), ValueError, r"flip: axes \(1, -2\) name axis 1 of shape \(2, 3, 4\) twice"),
    (lambda t: t.flip(5), ValueError, r"flip: axis 5 is out of range for shape \(2, 3, 4\)"),
    (lambda t: t.expand(2, 5, 4), ValueError, r"expand: axis 1 of shape \(2, 3, 4\) has length 3, not 1, so it "
     r"cannot become 5 \(target \(2, 5, 4\)\); only axes of length 1 are repeated: to copy entries use repeat"),
    (lambda t: t.expand(3, 4), ValueError, r"expand: shape \(2, 3, 4\) has 3 axes, more than the 2 of \(3, 4\)"),
    (lambda t: t.expand(-1, 2, 3, 4), ValueError, r"expand: sizes \(-1, 2, 3, 4\) put -1 on the new axis 0 in front"),
    (lambda t: t.expand(2, -2, 4), ValueError, r"expand: sizes \(2, -2, 4\) for shape \(2, 3, 4\) hold -2"),
    (lambda t: t.expand(2, 3.0, 4), TypeError, r"expand: sizes must be ints"),
    (lambda t: t.split([2, 3], dim=2), ValueError, r"split: the sizes \[2, 3\] must be whole numbers >= 0 that add "
     r"up to 4, the length of axis 2 of shape \(2, 3, 4\); np.split\(t, indices\)"),
    (lambda t: t.split([5, -1], dim=2), ValueError, r"split: the sizes \[5, -1\] must be whole numbers >= 0"),
    (lambda t: t.split(0), ValueError, r"split: a piece size of 0 cannot cut axis 0 of shape \(2, 3, 4\)"),
    (lambda t: t.split(2, dim=3), ValueError, r"split: axis 3 is out of range for shape \(2, 3, 4\)"),
    (lambda t: t.split(2.0), TypeError, r"split: takes a piece size \(an int\) or a list of sizes, got 2.0; "
     r"e.g. t.split\(2\) or t.split\(\[1, 1\]\)"),
    (lambda t: t.split(True), TypeError, r"split: takes a piece size \(an int\) or a list of sizes, got True"),
    (lambda t: np.split(t, 2.0), TypeError, r"np.split: takes a number of pieces \(an int\) or a list of indices"),
    (lambda t: t.chunk(0), ValueError, r"chunk: chunks must be a whole number >= 1, got 0"),
    (lambda t: np.split(t, 3, axis=2), ValueError, r"np.split: axis 2 of shape \(2, 3, 4\) \(4 entries\) cannot be "
     r"cut into 3 pieces of equal length; use np.array_split"),
    (lambda t: np.array_split(t, 0), ValueError, r"np.array_split: axis 0 of shape \(2, 3, 4\) \(2 entries\) cannot "
     r"be cut into 0 pieces"),
    (lambda t: np.broadcast_to(t, (3, 3, 4)), ValueError, r"broadcast_to: axis 0 of shape \(2, 3, 4\) has length 2"),
    (lambda t: t.transpose(0, 1), ValueError, r"transpose: axes \(0, 1\) are not a permutation of the 3 axes of shape "
     r"\(2, 3, 4\); to exchange two axes, as PyTorch's transpose\(0, 1\), use t.swapaxes\(0, 1\)"),
])
def test_a_wrong_call_names_the_op_the_shape_and_the_fix(call, error, words):
    with pytest.raises(error, match=words):
        call(_t())


@pytest.mark.parametrize("n", range(0, 11))
def test_split_and_chunk_cut_every_length_as_their_formulas_and_np_split_as_numpy(n):
    a = np.arange(float(n))
    t = Tensor(a)
    for k in range(1, 6):
        # split(k): pieces of k entries, the last one the rest; chunk(k): split(ceil(n / k)), k empty ones if n == 0
        sizes = [min(k, n - lo) for lo in range(0, n, k)] or [0]
        assert [p.data.size for p in t.split(k)] == sizes
        assert np.array_equal(np.concatenate([p.data for p in t.split(k)]), a)
        size = int(np.ceil(n / k))
        chunks = [min(size, n - lo) for lo in range(0, n, size)] if n else [0] * k
        assert [p.data.size for p in t.chunk(k)] == chunks
        assert [p.data.tolist() for p in np.array_split(t, k)] == [p.tolist() for p in np.array_split(a, k)]
        for cuts in ([k], [k, 2], [-k, n], [n + 3], []):
            assert [p.data.tolist() for p in np.split(t, cuts)] == [p.tolist() for p in np.split(a, cuts)]
