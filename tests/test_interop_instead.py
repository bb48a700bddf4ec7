"""More numpy functions that are not Tensor ops: the refusal names Tensor ops that give numpy's numbers (checked
here against numpy's value and a gradient by central differences), and numpy 2's linear-algebra aliases of Tensor
ops (np.linalg.matmul, np.matrix_transpose) are those ops."""

from __future__ import annotations

import numpy as np
import pytest
from draws import leaf, normal
from suggestions import check_suggestion

from autograd import Tensor, dot, gradcheck, stack

X = np.random.default_rng(5).uniform(0.2, 1.5, (2, 3))
V = np.array([0.5, -1.0, 2.0])
P = 2.5

# the numpy call (on t, or on t and t's square), the words the message must hold, and those words as code
CASES = {
    "log1p": (np.log1p, "(1 + t).log()", lambda t: (1 + t).log()),
    "expm1": (np.expm1, "t.exp() - 1", lambda t: t.exp() - 1),
    "exp2": (np.exp2, "2 ** t", lambda t: 2 ** t),
    "float_power": (lambda a: np.float_power(a, P), "t ** p", lambda t: t ** P),
    "log2": (np.log2, "t.log() / np.log(2)", lambda t: t.log() / np.log(2)),
    "log10": (np.log10, "t.log() / np.log(10)", lambda t: t.log() / np.log(10)),
    "diff": (np.diff, "t[..., 1:] - t[..., :-1]", lambda t: t[..., 1:] - t[..., :-1]),
    "inner": (lambda a: np.inner(a, a * a), "a @ b.T", lambda t: t @ (t * t).T),
    "inner-vectors": (lambda a: np.inner(a[0], a[1]), "a @ b.T", lambda t: t[0] @ t[1].T),
    "vdot": (lambda a: np.vdot(a, a * a), "(a * b).sum()", lambda t: (t * (t * t)).sum()),
    "vecdot": (lambda a: np.vecdot(a, a * a), "(a * b).sum(-1)", lambda t: (t * (t * t)).sum(-1)),
    "linalg.vecdot": (lambda a: np.linalg.vecdot(a, a * a), "(a * b).sum(-1)", lambda t: (t * (t * t)).sum(-1)),
    "einsum": (lambda a: np.einsum("ij,jk", a, (a * a).T), "a @ b", lambda t: t @ (t * t).T),
    "tensordot-1": (lambda a: np.tensordot(a, V, axes=1), "autograd.dot", lambda t: dot(t, V)),
    "tensordot-all": (lambda a: np.tensordot(a, a * a, axes=2), "(a * b).sum()", lambda t: (t * (t * t)).sum()),
    "sort": (lambda a: np.sort(a[1] - a[0]), "t[np.argsort(t.data)]",
             lambda t: (t[1] - t[0])[np.argsort((t[1] - t[0]).data)]),
    "cumprod": (lambda a: np.cumprod(a[0]), "autograd.stack([t[:i + 1].prod() for i in range(len(t))])",
                lambda t: stack([t[0][:i + 1].prod() for i in range(len(t[0]))])),
    "norm-axis": (lambda a: np.linalg.norm(a, axis=1), "(t ** 2).sum(axis) ** 0.5", lambda t: (t ** 2).sum(1) ** 0.5),
}


@pytest.mark.parametrize("name", CASES)
def test_the_refusal_names_tensor_ops_that_give_numpys_numbers_and_differentiate(name):
    check_suggestion(*CASES[name], X, rtol=1e-13)


def test_a_function_with_no_suggestion_says_that_deltagrad_has_no_op_for_it():
    with pytest.raises(TypeError, match=r"np.linalg.inv is not a Tensor op.*deltagrad has none of this name"):
        np.linalg.inv(leaf((3, 3)))


@pytest.mark.parametrize("call", [
    lambda a, b: np.linalg.matmul(a, b), lambda a, b: np.matrix_transpose(b) @ np.matrix_transpose(a),
    lambda a, b: np.matrix_transpose(b) @ np.linalg.matrix_transpose(np.stack([a, 2 * a])),
], ids=["linalg.matmul", "matrix_transpose", "linalg.matrix_transpose-batched"])
def test_numpy_2s_linear_algebra_aliases_are_the_tensor_ops(call):
    a, b = leaf((2, 3)), leaf((3, 4))
    y = call(a, b)
    assert isinstance(y, Tensor)
    np.testing.assert_allclose(y.data, call(a.data, b.data), rtol=1e-14)
    w = normal(y.shape)
    assert gradcheck(lambda p, q: (call(p, q) * w).sum(), [a, b])


def test_matrix_transpose_of_a_vector_is_refused_as_numpy_refuses_it():
    with pytest.raises(ValueError):
        np.matrix_transpose(np.zeros(3))
    with pytest.raises(ValueError, match=r"np.matrix_transpose: a Tensor of shape \(3,\) is not a matrix"):
        np.matrix_transpose(leaf((3,)))
