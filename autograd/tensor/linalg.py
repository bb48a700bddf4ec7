"""Tensor ops of linear algebra that numpy users reach for: dot, outer, trace and diag.

``dot`` is ``@`` (matmul) where numpy's two agree (up to 2-D), a product by a number for a 0-d operand, and for
N-D operands numpy's sum over the last axis of a and the second-to-last of b, built from reshape, transpose and
matmul, so its gradient is theirs. outer, trace and diag are linear maps; each vjp is the transposed map:

- outer:  y_ij = a_i b_j:   dL/da = G b, dL/db = G^T a
- trace:  y = sum_i x_(i, i+k):  dL/dx = g on that diagonal, 0 elsewhere
- diag:   a vector onto the k-th diagonal of a matrix (dL/dv = the diagonal of G), or the k-th diagonal of a
  matrix out (dL/dX = G on that diagonal, 0 elsewhere)

>>> from autograd import Tensor
>>> a = Tensor([1.0, 2.0], requires_grad=True)
>>> outer(a, [3.0, 4.0, 5.0]).sum().backward(); a.grad      # dL/da_i = sum_j b_j
array([12., 12.])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import core
from .checks import constant, is_int
from .core import ArrayLike, T, TensorCore, make, operands, pick
from .shape import _dim, matmul, reshape, transpose


def _as_tensor(x: ArrayLike) -> Any:
    """``x`` itself if it is a Tensor, else a constant Tensor of it (as np.trace(t) makes of an array)."""
    return x if isinstance(x, TensorCore) else core._result_class(x)


def _as_node(x: ArrayLike, like: TensorCore) -> Any:
    """A constant operand as a Tensor of ``like``'s dtype (a leaf that needs no gradient)."""
    if isinstance(x, TensorCore):
        return x
    return type(like)(np.asarray(constant(x, like.data, "dot")), dtype=like.data.dtype)


def dot(a: ArrayLike, b: ArrayLike) -> Any:
    """numpy's ``dot``: for vectors and matrices ``a @ b`` (so dL/dA = G B^T, dL/dB = A^T G), for a 0-d operand
    ``a * b``, and for N-D operands the sum over the last axis of ``a`` and the second-to-last of ``b``.

    >>> from autograd import Tensor
    >>> dot(Tensor([1.0, 2.0]), Tensor([3.0, 4.0])).item()
    11.0
    """
    like = a if isinstance(a, TensorCore) else _as_tensor(b)     # two constants: a constant result, as outer's
    a, b = _as_node(a, like), _as_node(b, like)
    x, y = a.data, b.data
    if x.ndim == 0 or y.ndim == 0:
        return a * b                                       # a number times an array: d/da = b, d/db = a
    # numpy's rule for every other case: the last axis of a against the first of a vector b, else b's second-to-last
    m = x.shape[-1]
    ax = 0 if y.ndim == 1 else y.ndim - 2
    if y.shape[ax] != m:
        raise ValueError(f"dot: shapes {x.shape} and {y.shape} are not aligned: the last axis of a has {m} entries, "
                         f"axis {ax} of b has {y.shape[ax]}; they must be equal (transpose an operand with .T, or "
                         "check the shapes)")
    if x.ndim <= 2 and y.ndim <= 2:
        return matmul(a, b)
    # y[I, R] = sum_m a[I, m] b'[R, m] with b' = b with its contracted axis moved last: one matrix product
    order = tuple(i for i in range(y.ndim) if i != ax) + (ax,)
    kept = tuple(y.shape[i] for i in order[:-1])
    # the sizes spelled out, not -1: numpy cannot infer a -1 beside an axis of 0 entries (m = 0 sums nothing: zeros)
    rows = reshape(a, (math.prod(x.shape[:-1]), m))
    cols = reshape(transpose(b, order), (math.prod(kept), m))
    return reshape(matmul(rows, transpose(cols, ())), x.shape[:-1] + kept)


def outer(a: ArrayLike, b: ArrayLike) -> Any:
    """numpy's ``outer``: y_ij = a_i b_j for the flattened a and b;  dL/da_i = sum_j G_ij b_j, dL/db_j =
    sum_i G_ij a_i.

    >>> from autograd import Tensor
    >>> outer(Tensor([1.0, 2.0]), Tensor([3.0, 4.0]))
    Tensor([[3., 4.],
            [6., 8.]], op='outer')
    """
    parents, (x, y) = operands((a, b), "outer")
    u, v = x.reshape(-1), y.reshape(-1)
    # y_ij = u_i v_j:  dy_ij/du_i = v_j, dy_ij/dv_j = u_i
    return make(np.multiply.outer(u, v), parents,
                lambda g: pick((a, b), ((g @ v).reshape(x.shape), (u @ g).reshape(y.shape))), "outer")


def _whole(k: object, op: str, name: str) -> int:
    """A diagonal's offset as an int; int() would quietly take offset=1.5 for the diagonal 1 and "1" for 1."""
    if is_int(k):
        return int(k)
    raise TypeError(f"{op}: {name} must be an int, which diagonal (0 the main one, 1 the one above it, -1 the "
                    f"one below), got {type(k).__name__} {k!r}")


def _diagonal_index(shape: tuple, k: int) -> tuple:
    """The rows and columns of the k-th diagonal of a matrix of ``shape`` (k > 0 above the main one)."""
    n = max(0, min(shape[0] - max(-k, 0), shape[1] - max(k, 0)))
    i = np.arange(n)
    return i + max(-k, 0), i + max(k, 0)


def trace(t: T, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """numpy's ``trace``: y = sum_i x_(i, i+offset) over axes ``axis1``, ``axis2``;  dy/dx = 1 on that diagonal,
    0 elsewhere.

    >>> from autograd import Tensor
    >>> trace(Tensor([[1.0, 2.0], [3.0, 4.0]])).item()
    5.0
    """
    t = _as_tensor(t)
    x = t.data
    if x.ndim < 2:
        raise ValueError(f"trace: a Tensor of shape {x.shape} has no diagonal; it needs at least 2 axes")
    a1, a2 = _dim(axis1, x.ndim, "trace"), _dim(axis2, x.ndim, "trace")
    if a1 == a2:
        raise ValueError(f"trace: axis1 and axis2 are both axis {a1}; they must differ")
    offset = _whole(offset, "trace", "offset")
    rows, cols = _diagonal_index((x.shape[a1], x.shape[a2]), offset)

    def vjp(g: np.ndarray) -> tuple:
        # dL/dx = g at (i, i + offset) on axes (axis1, axis2), 0 elsewhere
        dx = np.zeros(x.shape, dtype=g.dtype)
        view = np.moveaxis(dx, (a1, a2), (-2, -1))      # a view: writing it writes dx
        view[..., rows, cols] = np.asarray(g)[..., None]
        return (dx,)

    return make(np.trace(x, offset, a1, a2), (t,), vjp, "trace")


def diag(t: T, k: int = 0) -> Any:
    """numpy's ``diag``: a vector v becomes a square matrix with v on the k-th diagonal (dL/dv = the k-th diagonal
    of G); a matrix gives its k-th diagonal as a vector (dL/dX = g on that diagonal, 0 elsewhere).

    >>> from autograd import Tensor
    >>> diag(Tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([1., 4.], op='diag')
    """
    t = _as_tensor(t)
    x = t.data
    k = _whole(k, "diag", "k")
    if x.ndim == 1:
        rows, cols = _diagonal_index((x.size + abs(k),) * 2, k)
        return make(np.diag(x, k), (t,), lambda g: (g[rows, cols],), "diag")
    if x.ndim == 2:
        rows, cols = _diagonal_index(x.shape, k)

        def vjp(g: np.ndarray) -> tuple:
            dx = np.zeros(x.shape, dtype=g.dtype)
            dx[rows, cols] = g
            return (dx,)

        return make(x[rows, cols], (t,), vjp, "diag")
    raise ValueError(f"diag: takes a vector (to make a diagonal matrix) or a matrix (to read its diagonal), "
                     f"got a Tensor of shape {x.shape}; for more axes use trace(axis1=, axis2=) or indexing")


class LinearAlgebra:
    """numpy's products and diagonals as Tensor methods (a mixin of ``autograd.tensor.Tensor``)."""

    __slots__ = ()

    def dot(self: T, other: ArrayLike) -> T:
        """numpy's ``t.dot(other)``: ``t @ other`` for vectors and matrices (dL/dA = G B^T, dL/dB = A^T G),
        ``t * other`` for a number, the sum over t's last and other's second-to-last axis for N-D operands."""
        return dot(self, other)

    def trace(self: T, offset: int = 0, axis1: int = 0, axis2: int = 1) -> T:
        """y = sum_i x_(i, i+offset) (numpy's ``trace``);  dy/dx = 1 on that diagonal, 0 elsewhere."""
        return trace(self, offset, axis1, axis2)
