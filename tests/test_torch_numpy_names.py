"""Issue 15: the names users bring from PyTorch and numpy work on Tensor (and Value), with numpy's numbers and
gradients checked by central differences (gradcheck), and PyTorch's where it is installed."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value, diag, dot, gradcheck, no_grad, outer, trace

try:
    import torch
except ImportError:  # the PyTorch cross-checks are skipped; the rest runs
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")
rng = np.random.default_rng(15)


def leaf(*shape: int) -> Tensor:
    return Tensor(rng.normal(size=shape), requires_grad=True)


def weighted(f):
    """L = sum(f(x) * w) with fixed weights w, so that every entry of f's Jacobian shows in dL/dx."""
    def loss(*xs):
        y = f(*xs)
        w = np.arange(1.0, y.data.size + 1).reshape(y.data.shape) / y.data.size
        return (y * w).sum()
    return loss


# --- 1. PyTorch's and numpy's names on Tensor -------------------------------------------------------------------

def test_backward_takes_pytorchs_gradient_keyword_and_still_grad():
    g = np.array([1.0, -2.0, 0.5])
    x1, x2, x3 = (Tensor([1.0, 2.0, 3.0], requires_grad=True) for _ in range(3))
    (x1 * x1).backward(gradient=g)
    (x2 * x2).backward(grad=g)
    (x3 * x3).backward(g, retain_graph=True)
    for x in (x1, x2, x3):
        np.testing.assert_array_equal(x.grad, 2 * x.data * g)          # d/dx sum(g x^2) = 2 g x
    with pytest.raises(TypeError, match="not both"):
        (x1 * x1).backward(g, gradient=g)


def test_value_backward_takes_gradient_and_has_pow():
    x = Value(3.0)
    y = x.pow(2)
    y.backward(gradient=0.5)
    assert (y.data, x.grad) == (9.0, 3.0)                               # 0.5 * 2x
    a, b = Value(2.0), Value(3.0)
    a.pow(b).backward()
    assert b.grad == pytest.approx(8.0 * np.log(2.0), rel=1e-15)       # d/db a^b = a^b ln a


@needs_torch
def test_backward_with_gradient_matches_pytorch():
    x0, g = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    x = Tensor(x0, requires_grad=True)
    x.tanh().pow(3).backward(gradient=g)
    xt = torch.tensor(x0, requires_grad=True)
    xt.tanh().pow(3).backward(gradient=torch.tensor(g))
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-13)


def test_requires_grad_switches_a_leaf_on_and_off_and_returns_it():
    w = Tensor([1.0, 2.0])
    assert w.requires_grad_() is w and w.requires_grad
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad, [2.0, 4.0])
    w.requires_grad_(False)
    assert not (w * w).requires_grad
    h = Tensor([1.0], requires_grad=True) * 2
    assert h.requires_grad_(True) is h
    with pytest.raises(RuntimeError, match="detach"):
        h.requires_grad_(False)
    with pytest.raises(TypeError, match="True or False"):
        w.requires_grad_("yes")


def test_grad_zero_in_place_three_ways_and_backward_adds_into_the_zeros():
    w = Tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    g = w.grad
    assert w.grad.zero_() is g and w.grad is g                          # PyTorch's line, in place
    np.testing.assert_array_equal(w.grad, [0.0, 0.0])
    (w * w).sum().backward()
    assert w.grad is g                                                  # added into the same array
    np.testing.assert_array_equal(w.grad, [2.0, 4.0])
    w.grad[...] = 0
    (3 * w).sum().backward()
    np.testing.assert_array_equal(w.grad, [3.0, 3.0])
    w.zero_grad()
    assert w.grad is None
    # the gradient is a numpy array: it prints as one and computes as one
    (w * w).sum().backward()
    assert isinstance(w.grad, np.ndarray) and repr(w.grad) == "array([2., 4.])"
    assert isinstance(0.5 * w.grad, np.ndarray) and float(w.grad.sum()) == 6.0   # computes as an array (C speed)
    with no_grad():
        w -= 0.5 * w.grad                                              # the usual update still works
    np.testing.assert_array_equal(w.data, [0.0, 0.0])


def test_pow_is_the_power_operator():
    x = Tensor(rng.uniform(0.5, 2.0, size=(3, 2)), requires_grad=True)
    np.testing.assert_array_equal(x.pow(3).data, x.data ** 3)
    assert gradcheck(weighted(lambda a: a.pow(2.5)), [x])
    p = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    assert gradcheck(weighted(lambda a, b: a.pow(b)), [x, p])


@pytest.mark.parametrize("shape", [(), (3,), (3, 4)])
def test_t_transposes_a_matrix_and_leaves_vectors(shape):
    x = Tensor(rng.normal(size=shape), requires_grad=True)
    expected = x.data.T if len(shape) == 2 else x.data
    np.testing.assert_array_equal(x.t().data, expected)
    np.testing.assert_array_equal(x.T.data, x.data.T)
    assert gradcheck(weighted(lambda a: a.t()), [x])


def test_t_refuses_more_than_two_axes_as_pytorch():
    with pytest.raises(ValueError, match="more than 2 axes"):
        Tensor(np.zeros((2, 2, 2))).t()


@pytest.mark.parametrize("case", [
    ("ravel", (2, 3, 4), lambda t: t.ravel(), lambda a: a.ravel()),
    ("np.ravel", (2, 3), lambda t: np.ravel(t), lambda a: np.ravel(a)),
    ("flatten", (2, 3, 4), lambda t: t.flatten(), lambda a: a.flatten()),
    ("flatten 0-d", (), lambda t: t.flatten(), lambda a: a.flatten()),
    ("flatten(1)", (2, 3, 4), lambda t: t.flatten(1), lambda a: a.reshape(2, 12)),
    ("flatten(0, 1)", (2, 3, 4), lambda t: t.flatten(0, 1), lambda a: a.reshape(6, 4)),
    ("squeeze", (1, 3, 1, 2), lambda t: t.squeeze(), lambda a: a.squeeze()),
    ("squeeze(2)", (1, 3, 1, 2), lambda t: t.squeeze(2), lambda a: a.squeeze(2)),
    ("squeeze((0, 2))", (1, 3, 1, 2), lambda t: t.squeeze((0, 2)), lambda a: a.squeeze((0, 2))),
    ("np.squeeze", (1, 3, 1), lambda t: np.squeeze(t, axis=-1), lambda a: np.squeeze(a, axis=-1)),
    ("unsqueeze(0)", (3, 2), lambda t: t.unsqueeze(0), lambda a: a[None]),
    ("unsqueeze(-1)", (3, 2), lambda t: t.unsqueeze(-1), lambda a: a[..., None]),
    ("unsqueeze(1)", (3, 2), lambda t: t.unsqueeze(1), lambda a: a[:, None]),
    ("expand_dims", (3, 2), lambda t: t.expand_dims((0, 3)), lambda a: np.expand_dims(a, (0, 3))),
    ("np.expand_dims", (3,), lambda t: np.expand_dims(t, -1), lambda a: np.expand_dims(a, -1)),
], ids=lambda c: c[0])
def test_shape_names_give_numpys_entries_and_gradients(case):
    _, shape, op, expected = case
    x = Tensor(rng.normal(size=shape), requires_grad=True)
    np.testing.assert_array_equal(op(x).data, expected(x.data))
    assert gradcheck(weighted(op), [x])


def test_squeeze_of_a_longer_axis_raises_with_axis_and_is_left_with_pytorchs_dim():
    x = Tensor(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="not 1"):
        x.squeeze(1)
    assert x.squeeze(dim=1).shape == (3, 2)
    assert Tensor(np.zeros((3, 1))).squeeze(dim=1).shape == (3,)


@needs_torch
def test_squeeze_unsqueeze_flatten_t_agree_with_pytorch():
    a = rng.normal(size=(1, 3, 1, 2))
    x, xt = Tensor(a), torch.tensor(a)
    for ours, theirs in [
        (x.squeeze(), xt.squeeze()), (x.squeeze(dim=1), xt.squeeze(dim=1)), (x.squeeze(dim=2), xt.squeeze(dim=2)),
        (x.unsqueeze(-1), xt.unsqueeze(-1)), (x.unsqueeze(2), xt.unsqueeze(2)), (x.flatten(1, 2), xt.flatten(1, 2)),
        (x.flatten(), xt.flatten()), (x.squeeze().t(), xt.squeeze().t()), (x.pow(2), xt.pow(2)),
    ]:
        np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_astype_and_to_cast_and_send_the_gradient_back_in_the_tensors_dtype():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.astype(np.float32)
    assert y.dtype == np.float32 and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 6.0])
    assert x.to("float32").dtype == np.float32 and x.to(np.float64).dtype == np.float64
    assert x.to("cpu") is x and x.to(device="cpu") is x
    with pytest.raises(TypeError, match="float64 or np.float32"):
        x.astype(int)
    with pytest.raises(ValueError, match="CPU"):
        x.to("cuda")


@needs_torch
def test_to_takes_torch_dtypes():
    x = Tensor([1.0, 2.0])
    assert x.to(torch.float32).dtype == np.float32 and x.to(torch.float64).dtype == np.float64


# --- 2. numpy functions as Tensor ops -----------------------------------------------------------------------------

NUMPY_OPS = [
    ("np.dot vectors", [(4,), (4,)], lambda a, b: np.dot(a, b)),
    ("np.dot matrix vector", [(3, 4), (4,)], lambda a, b: np.dot(a, b)),
    ("np.dot matrices", [(3, 4), (4, 2)], lambda a, b: np.dot(a, b)),
    ("np.dot 3-D 3-D", [(2, 3, 4), (5, 4, 3)], lambda a, b: np.dot(a, b)),
    ("np.dot 3-D 1-D", [(2, 3, 4), (4,)], lambda a, b: np.dot(a, b)),
    ("np.dot 1-D 3-D", [(3,), (2, 3, 4)], lambda a, b: np.dot(a, b)),
    ("np.dot 0-d", [(), (2, 3)], lambda a, b: np.dot(a, b)),
    ("t.dot", [(3, 4), (4, 2)], lambda a, b: a.dot(b)),
    ("np.outer", [(3,), (2, 2)], lambda a, b: np.outer(a, b)),
    ("np.prod", [(3, 4)], lambda a: np.prod(a)),
    ("np.prod axis", [(3, 4)], lambda a: np.prod(a, axis=1)),
    ("t.prod axes keepdims", [(2, 3, 4)], lambda a: a.prod(axis=(0, 2), keepdims=True)),
    ("np.cumsum", [(3, 4)], lambda a: np.cumsum(a)),
    ("np.cumsum axis", [(3, 4)], lambda a: np.cumsum(a, axis=0)),
    ("t.cumsum axis -1", [(2, 3, 4)], lambda a: a.cumsum(axis=-1)),
    ("np.trace", [(3, 4)], lambda a: np.trace(a)),
    ("np.trace offset", [(3, 4)], lambda a: np.trace(a, offset=1)),
    ("np.trace offset -1", [(4, 3)], lambda a: np.trace(a, -1)),
    ("t.trace 3-D", [(3, 2, 4)], lambda a: a.trace(1, 0, 2)),
    ("t.trace axes reversed", [(3, 2, 4)], lambda a: a.trace(0, 2, 0)),
    ("np.repeat", [(2, 3)], lambda a: np.repeat(a, 2)),
    ("np.repeat axis", [(2, 3)], lambda a: np.repeat(a, [2, 0, 1], axis=1)),
    ("t.repeat axis 0", [(2, 3)], lambda a: a.repeat(3, axis=0)),
    ("np.diag vector", [(3,)], lambda a: np.diag(a)),
    ("np.diag vector k", [(3,)], lambda a: np.diag(a, -2)),
    ("np.diag matrix", [(3, 4)], lambda a: np.diag(a)),
    ("np.diag matrix k", [(3, 4)], lambda a: np.diag(a, 2)),
    ("np.diag matrix -k", [(3, 4)], lambda a: np.diag(a, -1)),
]


@pytest.mark.parametrize("case", NUMPY_OPS, ids=lambda c: c[0])
def test_numpy_functions_are_tensor_ops_with_numpys_values_and_central_difference_gradients(case):
    _, shapes, f = case
    xs = [leaf(*s) for s in shapes]
    y = f(*xs)
    assert isinstance(y, Tensor) and y.requires_grad
    np.testing.assert_allclose(y.data, f(*[x.data for x in xs]), rtol=1e-13, atol=1e-14)
    assert gradcheck(weighted(f), xs)


def test_prod_gradient_is_exact_where_entries_are_zero():
    x = Tensor([[2.0, 0.0, 5.0], [0.0, 0.0, 3.0]], requires_grad=True)
    x.prod(axis=1).sum().backward()                                     # prod of the other entries of the row
    np.testing.assert_array_equal(x.grad, [[0.0, 10.0, 0.0], [0.0, 0.0, 0.0]])
    z = Tensor([0.0, 3.0, 4.0], requires_grad=True)
    assert gradcheck(lambda a: a.prod(), [z])


def test_the_module_functions_take_constants_on_either_side():
    a = leaf(3)
    c = rng.normal(size=3)
    np.testing.assert_allclose(dot(c, a).data, c @ a.data)
    np.testing.assert_allclose(outer(a, c).data, np.outer(a.data, c))
    np.testing.assert_allclose(trace(outer(a, c)).data, a.data @ c)
    np.testing.assert_allclose(diag(a).data, np.diag(a.data))
    dot(c, a).backward()
    np.testing.assert_allclose(a.grad, c)


def test_dot_and_diag_and_trace_name_their_shapes_when_refused():
    with pytest.raises(ValueError, match="not aligned"):
        np.dot(leaf(2, 3, 4), leaf(2, 3, 4))
    with pytest.raises(ValueError, match="vector .* or a matrix"):
        np.diag(leaf(2, 2, 2))
    with pytest.raises(ValueError, match="at least 2 axes"):
        np.trace(leaf(3))
    with pytest.raises(ValueError, match="repeats"):
        np.repeat(leaf(3), -1)


@needs_torch
def test_prod_cumsum_outer_trace_diag_gradients_match_pytorch():
    a0, b0 = rng.normal(size=(3, 4)), rng.normal(size=4)
    pairs = [
        (lambda a, b: a.prod(axis=1), lambda a, b: a.prod(dim=1)),
        (lambda a, b: a.cumsum(axis=1), lambda a, b: a.cumsum(dim=1)),
        (lambda a, b: outer(a[0], b), lambda a, b: torch.outer(a[0], b)),
        (lambda a, b: a.trace(), lambda a, b: a.trace()),
        (lambda a, b: diag(b, 1), lambda a, b: torch.diag(b, 1)),
        (lambda a, b: diag(a, -1), lambda a, b: torch.diag(a, -1)),
        (lambda a, b: a.dot(b), lambda a, b: a @ b),
    ]
    for ours, theirs in pairs:
        a, b = Tensor(a0, requires_grad=True), Tensor(b0, requires_grad=True)
        at, bt = torch.tensor(a0, requires_grad=True), torch.tensor(b0, requires_grad=True)
        y, yt = ours(a, b), theirs(at, bt)
        np.testing.assert_allclose(y.data, yt.detach().numpy(), rtol=1e-13)
        w = rng.normal(size=y.shape)
        (y * w).sum().backward()
        (yt * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(a.grad if a.grad is not None else 0, at.grad.numpy() if at.grad is not None
                                   else 0, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(b.grad if b.grad is not None else 0, bt.grad.numpy() if bt.grad is not None
                                   else 0, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("like", [np.ones_like, np.zeros_like, np.empty_like,
                                  lambda t: np.full_like(t, 7.0)], ids=["ones", "zeros", "empty", "full"])
def test_the_like_functions_give_plain_constants_even_for_a_tensor_that_requires_grad(like):
    x = leaf(3, 2)
    out = like(x)
    assert type(out) is np.ndarray and out.shape == (3, 2) and out.dtype == np.float64
    np.testing.assert_array_equal(like(x.data).shape, out.shape)
    assert np.array_equal(np.full_like(x, 7.0), np.full((3, 2), 7.0))
    assert np.zeros_like(Tensor(np.ones(2), dtype=np.float32)).dtype == np.float32


def test_what_is_computed_from_a_gradient_is_a_plain_array_and_its_in_place_updates_keep_it():
    w = Tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
    (w * w).sum().backward()
    g = w.grad
    for result in (0.5 * g, g * 0.5, g + g, g - np.ones(2), g * [1.0, 2.0], np.exp(g), -g, abs(g), g @ g,
                   np.clip(g, 0, 1), g.max(axis=0),
                   np.linalg.solve(g, g), np.linalg.inv(g), np.linalg.pinv(g), np.linalg.svd(g)[1]):
        assert type(result) is np.ndarray                               # numpy's own arrays, at numpy's speed
    assert type(g.sum()) is np.float64 and float(g.sum()) == 5.0        # a reduction to one number: a number
    g += 1.0
    np.add(g, 1.0, out=g)
    assert w.grad is g and g.zero_() is g and not g.any()               # in place: the same Gradient
    assert type(g.copy()) is type(g) and type(g.T) is type(g)           # copies and views keep zero_()


ARGS = np.array([[0.5, 2.0, 2.0, -1.0], [np.nan, 3.0, np.nan, 0.0], [-4.0, -4.0, 7.0, 7.0]])   # ties, NaNs


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_argmax_and_argmin_are_numpys_indices_first_of_ties_and_of_nans(axis, keepdims):
    t = Tensor(ARGS, requires_grad=True)
    for name in ("argmax", "argmin"):
        got = getattr(t, name)(axis=axis, keepdims=keepdims)
        assert type(got) is not Tensor and np.array_equal(got, getattr(np, name)(ARGS, axis=axis, keepdims=keepdims))
        if torch is not None and (axis is not None or not keepdims):    # (torch keeps no axis for dim=None)
            theirs = getattr(torch.tensor(ARGS), name)(**({} if axis is None else {"dim": axis, "keepdim": keepdims}))
            assert np.array_equal(got, theirs.numpy())                # PyTorch too: first of ties, NaN as largest
    assert t.grad is None and not t.parents                             # nothing recorded


def test_argmax_gives_the_usual_accuracy_and_refuses_what_numpy_cannot_take_by_name():
    logits = Tensor([[0.1, 2.0, 0.3], [5.0, 1.0, 4.0]], requires_grad=True)
    assert (logits.argmax(axis=1) == np.array([1, 2])).mean() == 0.5
    with pytest.raises(TypeError, match=r"argmax: axis must be None \(the flattened Tensor\) or an int, got tuple"):
        logits.argmax(axis=(0, 1))
    with pytest.raises(ValueError, match=r"argmin: axis 2 is out of range for a Tensor of shape \(2, 3\)"):
        logits.argmin(2)
    with pytest.raises(TypeError, match=r"argmax: dim=1 is PyTorch's spelling; .* write axis=1"):
        logits.argmax(dim=1)
    with pytest.raises(ValueError, match=r"argmax: a Tensor of shape \(2, 0\) has no entries along axis 1"):
        Tensor(np.zeros((2, 0))).argmax(1)
    with pytest.raises(ValueError, match=r"argmin: a Tensor of shape \(0,\) has no entries, so no index"):
        Tensor(np.zeros(0)).argmin()
    assert Tensor(np.zeros((0, 3))).argmax(axis=1).shape == (0,)       # no rows: no index needed


def test_clamp_is_clip_with_pytorchs_keywords_values_and_gradient():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    for bounds in ({"min": 0.0}, {"max": 0.5}, {"min": -0.5, "max": 1.0}):
        t = Tensor(x, requires_grad=True)
        y = t.clamp(**bounds)
        y.backward(np.arange(1.0, 7.0))
        lo, hi = bounds.get("min", -np.inf), bounds.get("max", np.inf)
        assert np.array_equal(y.data, np.clip(x, lo, hi))
        assert np.array_equal(t.grad, np.where((x >= lo) & (x <= hi), np.arange(1.0, 7.0), 0.0))  # 1 on [lo, hi]
        if torch is not None:
            tt = torch.tensor(x, requires_grad=True)
            ty = tt.clamp(**bounds)
            ty.backward(torch.arange(1.0, 7.0, dtype=torch.float64))
            assert np.array_equal(y.data, ty.detach().numpy()) and np.array_equal(t.grad, tt.grad.numpy())
    with pytest.raises(ValueError, match=r"clamp: give min, max or both"):
        Tensor(x).clamp()
    with pytest.raises(ValueError, match=r"clamp: min=1.0 is above max=0.0 \(PyTorch's clamp would give max"):
        Tensor(x).clamp(1.0, 0.0)
    with pytest.raises(ValueError, match=r"clamp: max=nan is NaN"):
        Tensor(x).clamp(max=float("nan"))


def test_numel_and_dim_are_pytorchs_counts():
    t = Tensor(np.zeros((2, 3, 4)))
    assert (t.numel(), t.dim()) == (24, 3) and (Tensor(1.0).numel(), Tensor(1.0).dim()) == (1, 0)
    if torch is not None:
        assert (t.numel(), t.dim()) == (torch.zeros(2, 3, 4).numel(), torch.zeros(2, 3, 4).dim())


def test_clone_copies_into_a_new_node_and_contiguous_copies_only_what_is_not_in_c_order():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = x.clone()
    assert y.data is not x.data and not np.shares_memory(y.data, x.data) and np.array_equal(y.data, x.data)
    y.data[0, 0] = 100.0                                                # a copy: x keeps its numbers
    assert x.data[0, 0] == 0.0 and y.op == "clone" and y.parents == (x,)
    (x.clone() * x).sum().backward()                                    # d/dx sum(x x) = 2 x
    assert np.array_equal(x.grad, 2 * x.data)
    assert x.contiguous() is x
    t = x.T.contiguous()
    assert t.data.flags.c_contiguous and np.array_equal(t.data, x.data.T) and t.op == "clone"
    x.zero_grad()
    (t * np.arange(6.0).reshape(3, 2)).sum().backward()                  # the gradient reaches x, transposed back
    assert np.array_equal(x.grad, np.arange(6.0).reshape(3, 2).T)
    if torch is not None:
        tx = torch.arange(6.0, dtype=torch.float64).reshape(2, 3).requires_grad_()
        (tx.T.contiguous() * torch.arange(6.0, dtype=torch.float64).reshape(3, 2)).sum().backward()
        assert np.array_equal(x.grad, tx.grad.numpy())
