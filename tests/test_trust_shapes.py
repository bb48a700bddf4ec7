"""The audit of the ops that move, pick, join and reduce entries, and of numpy's view of a Tensor: each case against
PyTorch (float64, the same op on the same numbers) where it has one, else against numpy and the formula; and every
numpy function that would lose the graph, or change a Tensor in place, refused by name."""

from __future__ import annotations

import numpy as np
import pytest
from messages import raises

from autograd import Tensor, concatenate, grad, no_grad, stack

try:
    import torch
except ImportError:  # the PyTorch cross-checks are skipped; the rest runs
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")
rng = np.random.default_rng(2024)


def leaf(a) -> Tensor:
    return Tensor(np.array(a, dtype=np.float64), requires_grad=True)


# --- 1. the same op as PyTorch's: values and gradients to the last digits ---------------------------------------

A34 = rng.normal(size=(3, 4))
B234 = rng.normal(size=(2, 3, 4))
ROWS = np.array([True, False, True])

# (name, deltagrad's op, torch's op, inputs): x[...] for a Tensor and a torch.Tensor alike unless written twice
CASES = [
    ("an entry picked three times", lambda x: x[[0, 0, 1, 0]], None, [A34]),
    ("a 2-D integer array with repeats", lambda x: x[np.array([[0, 0], [2, 0]])], None, [A34]),
    ("a list of lists", lambda x: x[[[0, 0], [2, 0]]], lambda x: x[torch.tensor([[0, 0], [2, 0]])], [A34]),
    ("two integer arrays with repeated pairs", lambda x: x[[0, 0, 1], [1, 1, -1]], None, [A34]),
    ("integer arrays split by a slice", lambda x: x[[0, 1, 1], :, [0, 0, -2]], None, [B234]),
    ("a row mask and a slice", lambda x: x[ROWS, 1:], lambda x: x[torch.tensor(ROWS), 1:], [A34]),
    ("a mask of every entry", lambda x: x[np.ones((3, 4), bool)], lambda x: x[torch.ones((3, 4), dtype=bool)], [A34]),
    ("a mask of no entry", lambda x: x[np.zeros((3, 4), bool)], lambda x: x[torch.zeros((3, 4), dtype=bool)], [A34]),
    ("a mask on a middle axis", lambda x: x[:, ROWS], lambda x: x[:, torch.tensor(ROWS)], [B234]),
    ("negative steps", lambda x: x[::-1, ::-2], lambda x: x.flip(0, 1)[:, ::2], [A34]),
    ("steps", lambda x: x[::2, 1::2], None, [A34]),
    ("Ellipsis and None", lambda x: x[..., None, -1], None, [B234]),
    ("None twice", lambda x: x[None, :, None], None, [A34]),
    ("reshape with -1", lambda x: x.reshape(-1, 2, 3), None, [B234]),
    ("transpose by negative axes", lambda x: x.transpose(-1, 0, -2), lambda x: x.permute(-1, 0, -2), [B234]),
    ("T of 3 axes", lambda x: x.T, lambda x: x.permute(2, 1, 0), [B234]),
    ("T of a vector", lambda x: x.T, lambda x: x, [A34[0]]),
    ("squeeze and unsqueeze at -2", lambda x: x.unsqueeze(-2).squeeze(1), lambda x: x.unsqueeze(-2).squeeze(1), [A34]),
    ("flatten of the last two axes", lambda x: x.flatten(-2), lambda x: x.flatten(-2), [B234]),
    ("concatenate a Tensor with itself at -1", lambda x: concatenate([x, x[:, :1], x], axis=-1),
     lambda x: torch.cat([x, x[:, :1], x], -1), [A34]),
    ("stack at -2", lambda x, y: stack([x, y, x], axis=-2), lambda x, y: torch.stack([x, y, x], -2), [A34, A34[::-1]]),
    ("(3, 1, 4) + (2, 4)", lambda x, y: x + y, None, [B234[0].reshape(3, 1, 4), B234[1, :2]]),
    ("(3, 1, 4) * (2, 4)", lambda x, y: x * y, None, [B234[0].reshape(3, 1, 4), B234[1, :2]]),
    ("(3, 1) ** (1, 4)", lambda x, y: x ** y, None, [np.abs(A34[:, :1]) + 0.5, A34[:1]]),
    ("0-d times a matrix", lambda x, y: x * y, None, [np.array(1.5), A34]),
    ("vector @ matrix", lambda x, y: x @ y, None, [A34[:, 0], A34]),
    ("matrix @ vector", lambda x, y: x @ y, None, [A34, A34[0]]),
    ("vector @ vector", lambda x, y: x @ y, None, [A34[0], A34[1]]),
    ("stacks @ stacks, broadcast", lambda x, y: x @ y, None, [B234.reshape(2, 1, 3, 4), B234.reshape(1, 2, 4, 3)]),
    ("vector @ stack", lambda x, y: x @ y, None, [A34[0], B234.reshape(2, 4, 3)]),
    ("stack @ vector", lambda x, y: x @ y, None, [B234, A34[0]]),
    ("sum over (0, -1), kept", lambda x: x.sum(axis=(0, -1), keepdims=True), lambda x: x.sum((0, -1), keepdim=True),
     [B234]),
    ("mean over -2", lambda x: x.mean(axis=-2), lambda x: x.mean(-2), [B234]),
    ("max with ties, half each (amax)", lambda x: x.max(axis=1), lambda x: x.amax(1),
     [[[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]]),
    ("min over a tuple of axes", lambda x: x.min(axis=(0, 1)), lambda x: x.amin((0, 1)),
     [[[[1.0], [1.0]], [[2.0], [1.0]]]]),
    ("prod with one zero", lambda x: x.prod(), None, [[2.0, 0.0, 5.0]]),
    ("prod with two zeros", lambda x: x.prod(axis=0), lambda x: x.prod(0), [[[2.0, 0.0], [0.0, 0.0], [3.0, 4.0]]]),
    ("logsumexp with a -inf entry", lambda x: x.logsumexp(axis=1), lambda x: torch.logsumexp(x, 1),
     [[[1.0, -np.inf], [0.5, 0.5]]]),
    ("var with ddof=1 over -1", lambda x: x.var(axis=-1, ddof=1), lambda x: x.var(-1), [B234]),
]


@needs_torch
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_shape_index_join_and_reduce_ops_give_pytorchs_values_and_gradients(case):
    _, mine, theirs, inputs = case
    theirs = theirs or mine
    xs = [leaf(a) for a in inputs]
    ts = [torch.tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in inputs]
    y, yt = mine(*xs), theirs(*ts)
    g = np.random.default_rng(sum(map(ord, case[0]))).normal(size=tuple(yt.shape))   # the same, whatever ran before
    y.backward(g)
    yt.backward(torch.tensor(g))
    close(y.data, yt.detach().numpy())
    for x, t in zip(xs, ts):
        close(x.grad, t.grad.numpy())


def close(got: np.ndarray, want: np.ndarray) -> None:
    """Equal but for rounding: a sum (a product's, or over broadcast axes) may be added up in another order, which
    moves an entry that cancels by some ulps of the largest entry, not of itself."""
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=1e-15 * np.abs(want[np.isfinite(want)]).max(initial=0.0))


def test_logsumexp_at_1000_gives_each_of_two_equal_entries_exactly_half():
    x = leaf([[1000.0, 1000.0], [-1000.0, -1000.0]])
    y = x.logsumexp(axis=1)                          # log(2 e^1000) = 1000 + log 2;  d/dx_i = e^x_i / sum = 1/2
    np.testing.assert_array_equal(y.data, [1000.0 + np.log(2.0), -1000.0 + np.log(2.0)])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 2), 0.5))


def test_an_entry_picked_twice_gets_both_gradients():
    x = leaf([1.0, 2.0, 3.0])
    x[[0, 0, 1]].backward(np.array([1.0, 1.0, 5.0]))
    np.testing.assert_array_equal(x.grad, [2.0, 5.0, 0.0])


# --- 2. numpy functions that would lose the graph are refused, whatever shape their answer takes --------------

SEVERAL = {
    "np.hsplit": lambda x: np.hsplit(x, 2),
    "np.broadcast_arrays": lambda x: np.broadcast_arrays(x, np.ones((3, 2, 2))),
    "np.atleast_1d": lambda x: np.atleast_1d(x, x),
    "np.meshgrid": lambda x: np.meshgrid(x, x),
    "np.gradient": lambda x: np.gradient(x),
    "np.histogram": lambda x: np.histogram(x),
    "np.linalg.svd": lambda x: np.linalg.svd(x),
    "np.linalg.qr": lambda x: np.linalg.qr(x),
    "np.linalg.eigh": lambda x: np.linalg.eigh(x),
    "np.linalg.slogdet": lambda x: np.linalg.slogdet(x),
    "np.fft.fft": lambda x: np.fft.fft(x),
    "np.sort_complex": lambda x: np.sort_complex(x),
    "np.linalg.norm": lambda x: np.linalg.norm(x=x),             # the Tensor given by keyword
}


@pytest.mark.parametrize("name", SEVERAL)
def test_a_numpy_function_giving_several_arrays_or_complex_numbers_refuses_a_tensor_that_requires_grad(name):
    data = np.array([[2.0, 1.0], [1.0, 3.0]])
    with raises(TypeError, name, "not a Tensor op"):
        SEVERAL[name](leaf(data))
    plain = SEVERAL[name](Tensor(data))              # no graph to lose: numpy's own answer
    expected = SEVERAL[name](data)
    for got, want in zip(plain if isinstance(plain, (list, tuple)) else [plain],
                         expected if isinstance(expected, (list, tuple)) else [expected]):
        np.testing.assert_array_equal(got, want)


# --- 3. numpy functions that write into their argument never change a Tensor in place ---------------------------

WRITERS = {
    "np.put": lambda x: np.put(x, [0], 5.0),
    "np.copyto": lambda x: np.copyto(x, np.zeros(3)),
    "np.place": lambda x: np.place(x, np.ones(3, bool), [5.0]),
    "np.putmask": lambda x: np.putmask(x, np.ones(3, bool), 5.0),
    "np.put_along_axis": lambda x: np.put_along_axis(x, np.array([0]), 5.0, 0),
    "np.fill_diagonal": lambda x: np.fill_diagonal(x.reshape(1, 3), 5.0),
    "np.nan_to_num": lambda x: np.nan_to_num(x, copy=False),
    "np.add.at": lambda x: np.add.at(x, [0, 0], 1.0),
    "np.add": lambda x: np.add(np.ones(3), 1.0, out=x),
    "np.negative": lambda x: np.negative(np.ones(3), out=(x,)),
}


@pytest.mark.parametrize("requires_grad", [True, False])
@pytest.mark.parametrize("name", WRITERS)
def test_a_numpy_function_that_writes_in_place_is_refused_on_a_tensor_and_the_gradient_stays_right(name, requires_grad):
    x = Tensor([1.0, 2.0, 3.0], requires_grad=requires_grad)
    w = Tensor([1.0, 1.0, 1.0], requires_grad=True)
    y = (x * x * w).sum()                            # dy/dw = x^2, from the numbers the forward pass saw
    with raises(TypeError, name, "in place", "t.data"):
        WRITERS[name](x)
    np.testing.assert_array_equal(x.data, [1.0, 2.0, 3.0])
    y.backward()
    np.testing.assert_array_equal(w.grad, [1.0, 4.0, 9.0])


def test_numpy_may_still_write_into_a_plain_array_computed_from_a_constant_tensor():
    out = np.zeros(3)
    np.add(Tensor([1.0, 2.0, 3.0]), 1.0, out=out)
    np.testing.assert_array_equal(out, [2.0, 3.0, 4.0])
    with no_grad():
        assert np.allclose(leaf([1.0, 2.0]), [1.0, 2.0])


@pytest.mark.parametrize("call, name, word", [
    (lambda x: np.clip(x, 0.0, 1.0, out=np.zeros(3)), "np.clip", "out"),
    (lambda x: np.concatenate([x, x], dtype=np.float32), "np.concatenate", "dtype"),
    (lambda x: np.stack([x, x], out=np.zeros((2, 3))), "np.stack", "out"),
])
def test_a_tensor_op_called_through_numpy_names_the_argument_it_cannot_take(call, name, word):
    with raises(TypeError, f"{name} on a Tensor", f"takes no {word}"):
        call(leaf([0.5, 1.5, -1.0]))


# --- 4. empty Tensors: a reduction along an axis that has entries is no reduction of nothing ---------------------

@pytest.mark.parametrize("op", ["max", "min", "prod", "logsumexp", "sum", "mean", "var"])
@pytest.mark.parametrize("shape, axis", [((0, 3), 1), ((2, 0), 0), ((0, 3), -1)])
def test_a_reduction_of_an_empty_tensor_along_an_axis_with_entries_gives_an_empty_result(op, shape, axis):
    x = Tensor(np.zeros(shape), requires_grad=True)
    y = getattr(x, op)(axis=axis)
    assert y.shape == getattr(np, {"logsumexp": "sum"}.get(op, op))(np.zeros(shape), axis=axis).shape == (0,)
    y.backward(np.zeros(0))
    assert x.grad.shape == shape
    (g,) = grad(y, [x], grad_outputs=[np.zeros(0)], create_graph=True)   # the vjp rebuilt with Tensor ops
    assert g.shape == shape


@pytest.mark.parametrize("op", ["max", "min", "logsumexp", "mean", "var"])
def test_a_reduction_over_an_axis_of_no_entries_is_still_refused_by_name(op):
    with raises(ValueError, op, "(0, 3)"):
        getattr(Tensor(np.zeros((0, 3)), requires_grad=True), op)(axis=0)


def test_sum_and_prod_over_no_entries_are_zero_and_one_as_pytorch():
    x = Tensor(np.zeros((0, 3)), requires_grad=True)
    assert x.sum().item() == 0.0
    np.testing.assert_array_equal(x.prod(axis=0).data, [1.0, 1.0, 1.0])


# --- 5. indexes numpy takes, and the arguments PyTorch refuses ----------------------------------------------------

@pytest.mark.parametrize("index", [[], ([], 1), [[]]], ids=["[]", "([], 1)", "[[]]"])
def test_an_empty_list_picks_nothing_as_in_numpy(index):
    x = leaf(A34)
    y = x[index]
    assert y.shape == A34[index].shape
    y.backward(np.zeros(y.shape))
    np.testing.assert_array_equal(x.grad, np.zeros((3, 4)))


@pytest.mark.parametrize("start, end", [(1, -1), (0, 1), (-2, -1)])
def test_flatten_of_a_number_takes_only_the_dims_of_one_axis_as_pytorch(start, end):
    with raises(ValueError, "flatten", "out of range"):
        Tensor(2.0).flatten(start, end)
    assert Tensor(2.0).flatten(0, -1).shape == (1,)
