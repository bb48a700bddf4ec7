"""Tensor ops that move entries around: matmul, reshape, transpose, indexing, concatenate and stack, and the names
PyTorch and numpy give to their combinations (permute, swapaxes, moveaxis, flip, expand, split, chunk, ...).

Each gradient goes back to where its entry came from: reshape and transpose undo themselves, an index scatters
back (adding where one entry was picked twice), a join splits. matmul's vjp is C = A B: dL/dA = G B^T, dL/dB = A^T G.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import core
from .checks import constant, is_int
from .core import ArrayLike, T, TensorCore, make, operands, pick

# --- matmul ------------------------------------------------------------------------------------------------------

def _matmul_error(x: np.ndarray, y: np.ndarray) -> ValueError:
    k_left = x.shape[-1]
    k_right = y.shape[0] if y.ndim == 1 else y.shape[-2]
    if k_left != k_right:
        which = "first" if y.ndim == 1 else "second-to-last"
        why = (f"the last axis of the left operand has {k_left} entries and the {which} axis of the right has "
               f"{k_right}; they must be equal (transpose an operand with .T, or check the layer sizes)")
    else:
        why = f"the stacking axes {x.shape[:-2]} and {y.shape[:-2]} do not broadcast"
    return ValueError(f"@: cannot multiply {x.shape} @ {y.shape}: {why}")


def matmul(a: ArrayLike, b: ArrayLike) -> Any:
    """``a @ b`` with numpy's rules: a 1-D operand is a vector, more than 2-D a stack of matrices.

    >>> from autograd import Tensor
    >>> (Tensor([[1.0, 2.0]]) @ Tensor([[3.0], [4.0]])).item()
    11.0
    """
    if not isinstance(a, TensorCore) and not isinstance(b, TensorCore):
        a = core._result_class(a)          # two constants: a constant result, as dot's and outer's
    if isinstance(a, TensorCore) and isinstance(b, TensorCore):
        ta, tb, x, y, parents = a, b, a.data, b.data, (a, b)
    else:  # one operand is a constant array
        ta = a if isinstance(a, TensorCore) else None
        tb = b if isinstance(b, TensorCore) else None
        like = (ta if ta is not None else tb).data
        x = ta.data if ta is not None else np.asarray(constant(a, like, "@"))
        y = tb.data if tb is not None else np.asarray(constant(b, like, "@"))
        parents = (ta,) if tb is None else (tb,)
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"@: cannot multiply {x.shape} @ {y.shape}: a 0-d operand is a number; use * for it")
    try:
        out = x @ y
    except ValueError:
        raise _matmul_error(x, y) from None
    need_a = ta is not None
    need_b = tb is not None
    two = need_a and need_b  # two Tensor operands: the vjp returns (ga, gb) as they are

    if x.ndim == 2 and y.ndim == 2:
        def vjp(g: np.ndarray) -> tuple:
            # C = A B:  dL/dA = G B^T, dL/dB = A^T G. Each is computed in its operand's memory order (a
            # transposed weight W.T gets (G^T A)^T), so that W.grad comes out C-ordered and needs no copy.
            ga = gb = None
            if need_a and ta.requires_grad:
                ga = (y @ g.T).T if _f_ordered(x) else g @ y.T
            if need_b and tb.requires_grad:
                gb = (g.T @ x).T if _f_ordered(y) else x.T @ g
            return (ga, gb) if two else _pair(ta, tb, ga, gb)
    elif x.ndim <= 2 and y.ndim <= 2:
        def vjp(g: np.ndarray) -> tuple:
            # A matrix and a vector, or two vectors:  z = W v:  dL/dW = g v^T (an outer product), dL/dv = W^T g;
            # z = v W:  dL/dv = W g, dL/dW = v g^T;  z = u . v:  dL/du = g v, dL/dv = g u.
            ga = gb = None
            if need_a and ta.requires_grad:
                ga = np.multiply.outer(g, y) if x.ndim == 2 else y @ g if y.ndim == 2 else g * y
            if need_b and tb.requires_grad:
                gb = g @ x if x.ndim == 2 else np.multiply.outer(x, g) if y.ndim == 2 else g * x
            return (ga, gb) if two else _pair(ta, tb, ga, gb)
    else:
        def vjp(g: np.ndarray) -> tuple:
            # Stacks of matrices: the same formulas on the last two axes, with a 1-D operand as a one-row
            # (left) or one-column (right) matrix; the engine sums the stacking axes back to each shape.
            X = x[None, :] if x.ndim == 1 else x
            Y = y[:, None] if y.ndim == 1 else y
            G = g[..., None, :] if x.ndim == 1 else g[..., None] if y.ndim == 1 else g
            ga = gb = None
            if need_a and ta.requires_grad:
                ga = G @ np.swapaxes(Y, -1, -2)
                ga = ga[..., 0, :] if x.ndim == 1 else ga
            if need_b and tb.requires_grad:
                gb = np.swapaxes(X, -1, -2) @ G
                gb = gb[..., 0] if y.ndim == 1 else gb
            return (ga, gb) if two else _pair(ta, tb, ga, gb)

    return make(out, parents, vjp, "matmul")


def _f_ordered(m: np.ndarray) -> bool:
    return m.flags.f_contiguous and not m.flags.c_contiguous


def _pair(ta: Any, tb: Any, ga: Any, gb: Any) -> tuple:
    if ta is None:
        return (gb,)
    return (ga,) if tb is None else (ga, gb)


# --- reshape, transpose ------------------------------------------------------------------------------------------

def reshape(t: T, shape: Sequence[int], order: str = "C") -> Any:
    x = t.data
    shape = tuple(shape)
    if order != "C":
        raise TypeError(f"np.reshape on a Tensor takes only order='C' (row by row), not order={order!r}; "
                        "Fortran order is t.T.reshape(the shape reversed).T")
    try:
        out = x.reshape(shape)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"reshape: cannot reshape a Tensor of shape {x.shape} ({x.size} entries) into shape {shape}: "
            f"the number of entries must stay {x.size} ({e})"
        ) from None
    return make(out, (t,), lambda g: (g.reshape(x.shape),), "reshape")  # the same entries: the gradient moves back


def transpose(t: T, axes: Sequence[int]) -> Any:
    x = t.data
    if not axes:  # reversed: reversing again undoes it
        return make(x.transpose(), (t,), lambda g: (g.transpose(),), "transpose")
    if not all(is_int(a) for a in axes):
        raise TypeError(f"transpose: axes must be ints, got {tuple(axes)!r}; e.g. t.transpose(1, 0)")
    axes = tuple(a % x.ndim if x.ndim and -x.ndim <= a < x.ndim else a for a in axes)
    if sorted(axes) != list(range(x.ndim)):
        # t.transpose(0, 1) on 3 axes is PyTorch's two-axis swap; here, as in numpy, it is a whole permutation
        swap = ""
        if len(axes) == 2 and x.ndim != 2:
            swap = "; to exchange two axes, as PyTorch's transpose(0, 1), use t.swapaxes(0, 1)"
        raise ValueError(f"transpose: axes {axes} are not a permutation of the {x.ndim} axes of shape {x.shape}"
                         + swap)
    back = tuple(sorted(range(x.ndim), key=axes.__getitem__))  # the inverse permutation
    return make(x.transpose(axes), (t,), lambda g: (g.transpose(back),), "transpose")


def permute(t: T, axes: Any) -> Any:
    """numpy's ``t.transpose(axes)``: None reverses the axes; any other ``axes`` (a tuple, a list or an integer
    array) must name every axis once, so that an empty one is refused, as numpy does, not read as "reversed".

    >>> from autograd import Tensor
    >>> permute(Tensor(np.zeros((2, 3, 4))), [2, 0, 1]).shape
    (4, 2, 3)
    """
    if axes is None:
        return transpose(t, ())
    axes = tuple(axes)  # an integer array too, whose truth value numpy would refuse
    if not axes and t.data.ndim:
        raise ValueError(f"transpose: axes () are not a permutation of the {t.data.ndim} axes of shape "
                         f"{t.data.shape}; leave axes out (or pass None) to reverse them")
    return transpose(t, axes)


# Two axes of a matrix that numpy reads as the permutation leaving it as it is (numpy's integers hash as Python's)
_IDENTITY_PAIRS = frozenset({(0, 1), (-2, -1), (0, -1), (-2, 1)})


def _identity_pair(axes: tuple) -> bool:
    """Whether two axes of a matrix are ints that leave it as it is: (0, 1), (-2, -1), (0, -1) or (-2, 1). Only
    ints: True and 1.0 equal 1, and permute refuses them with its own message."""
    try:
        hit = axes in _IDENTITY_PAIRS
    except TypeError:                                   # a list or an array among them: permute names the error
        return False
    return hit and all(type(a) is int or isinstance(a, np.integer) for a in axes)


def _identity_transpose_error(axes: tuple, shape: tuple) -> str:
    """``m.transpose(0, 1)`` of a matrix is the matrix itself in numpy and its transpose in PyTorch: the two
    libraries give other numbers (and, for a square matrix, no error would show it), so it is refused."""
    a, b = axes
    return (f"transpose({a}, {b}) of a matrix of shape {shape} is ambiguous: in numpy (whose meaning t.transpose "
            "keeps) it is the matrix as it is, in PyTorch the matrix transposed. For the transpose write t.T or "
            f"t.swapaxes({a}, {b}); for the matrix as it is, leave the call out")


# --- indexing -----------------------------------------------------------------------------------------------------

def _plain_index(index: Any) -> Any:
    """The index as numpy reads it, with every part that numpy would turn into an array made one (a list, a tuple
    inside the index tuple, a range, a deque), and every array copied: a Tensor is refused.

    The backward pass scatters with this index, so it must be the one the forward pass used: an index array changed
    in place afterwards (a buffer refilled for the next batch) would send the gradients to the new rows, and a
    (1, 1) inside ``t[:, (1, 1)]`` left as a tuple would not be seen as picking one column twice.
    """
    if isinstance(index, tuple):
        return tuple(_plain_part(i) for i in index)
    return _plain_part(index)


def _plain_part(part: Any) -> Any:
    """One part of an index: an int, slice, None or ... as it is; a sequence as the array numpy makes of it."""
    if part is None or part is Ellipsis or isinstance(part, (slice, int, np.integer, np.bool_)):
        return part
    if isinstance(part, TensorCore):
        raise IndexError(
            f"[]: a Tensor holds floats, so it cannot be an index ({part!r}); index with an integer or boolean "
            "numpy array (t > 0 already gives a boolean one; or idx.data.astype(int))"
        )
    if isinstance(part, np.ndarray):
        return part.copy()
    if isinstance(part, (str, bytes)) or not (hasattr(part, "__len__") or hasattr(part, "__array__")):
        return part                              # not a sequence: numpy's own IndexError names it
    try:
        arr = np.array(part)
    except ValueError:  # a ragged list
        raise IndexError(f"[]: the index {part!r:.60} is a ragged list; give every row the same length") from None
    # an empty list picks nothing, as in numpy (np.asarray([]) holds floats, which numpy refuses as an index)
    return arr.astype(np.intp) if arr.size == 0 and arr.dtype.kind == "f" else arr


def _may_repeat(index: Any) -> bool:
    """True if the index holds an integer array, which may pick one entry twice."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, np.ndarray) and i.dtype != bool for i in parts)


def getitem(t: T, index: Any) -> Any:
    """``t[index]``: slices, integers, integer arrays and boolean masks, as in numpy."""
    x = t.data
    idx = _plain_index(index)
    try:
        out = x[idx]
    except (IndexError, TypeError, ValueError) as e:  # numpy's TypeError for t[1.5:], ValueError for t[::0]
        raise type(e)(f"[]: index {index!r} does not fit a Tensor of shape {x.shape}: {e}") from None
    repeats = _may_repeat(idx)

    def vjp(g: np.ndarray) -> tuple:
        # Each picked entry sends its gradient back to where it came from; an entry picked twice gets both.
        dx = np.zeros(x.shape, dtype=g.dtype)
        if repeats:
            np.add.at(dx, idx, g)
        else:
            dx[idx] = g
        return (dx,)

    return make(out, (t,), vjp, "getitem")


# --- joining ------------------------------------------------------------------------------------------------------

def _parts(items: Sequence[ArrayLike], op: str) -> tuple[list, list]:
    if isinstance(items, TensorCore) or not isinstance(items, (list, tuple)):
        raise TypeError(
            f"{op}: takes a list (or tuple) of Tensors, got {type(items).__name__}; e.g. {op}([a, b])"
            + (", or the Tensor itself if it is already joined" if isinstance(items, TensorCore) else "")
        )
    items = list(items)
    if not items:
        raise ValueError(f"{op}: needs at least one Tensor")
    # Constants take the dtype the Tensors join in (float64 if any is, as numpy's), not the first Tensor's: the
    # 0.1 of concatenate([t32, t64, [0.1]]) cast to float32 would come out as 0.10000000149 in a float64 result.
    dtypes = [x.data.dtype for x in items if isinstance(x, TensorCore)]
    _, arrays = operands(tuple(items), op, np.empty(0, np.result_type(*dtypes)) if dtypes else None)
    return items, arrays


def _axis(axis: object, op: str) -> int:
    """An int axis (not a bool, whose True numpy would read as 1), or a TypeError naming the op."""
    axis = _number(axis)
    if is_int(axis):
        return int(axis)
    raise TypeError(f"{op}: axis must be an int, got {type(axis).__name__} {axis!r}")


def _number(v: Any) -> Any:
    """A 0-d array as the one number it holds, as numpy reads np.array(2) (an axis or a count picked out of an
    array); anything else as it is."""
    return v[()] if isinstance(v, np.ndarray) and v.ndim == 0 else v


def _listed(v: Any) -> bool:
    """Whether ``v`` gives several numbers: a tuple, a list, a range or an array with an axis (a 0-d array is one
    number, which tuple() cannot iterate)."""
    return isinstance(v, (tuple, list, range)) or (isinstance(v, np.ndarray) and v.ndim > 0)


def _pieces(items: list, pieces: Any) -> tuple:
    """The gradients of the Tensor items: a new array each (a copy of its piece of g), so that the backward
    pass can keep each as it is without asking whether it overlaps any other part's (which is quadratic)."""
    return tuple(p.copy() if isinstance(x, TensorCore) and x.requires_grad else None for x, p in zip(items, pieces))


def concatenate(tensors: Sequence[ArrayLike], axis: int | None = 0) -> Any:
    """The Tensors joined along an existing ``axis`` (None: flattened first, as numpy); each gets back the slice
    of the gradient it filled.

    >>> from autograd import Tensor
    >>> concatenate([Tensor([1.0, 2.0]), Tensor([3.0])]).shape
    (3,)
    """
    if axis is None:
        _parts(tensors, "concatenate")
        tensors, axis = [t.reshape(-1) if isinstance(t, TensorCore) else np.ravel(t) for t in tensors], 0
    axis = _axis(axis, "concatenate")
    items, arrays = _parts(tensors, "concatenate")
    if any(a.ndim == 0 for a in arrays):
        raise ValueError(
            f"concatenate: cannot join shapes {[a.shape for a in arrays]}: a 0-d part is a single number with no "
            "axis to join along; use stack() to make a vector of numbers"
        )
    try:
        out = np.concatenate(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError) as e:
        raise ValueError(
            f"concatenate: cannot join shapes {[a.shape for a in arrays]} along axis {axis}: all axes but "
            f"that one must be equal ({e})"
        ) from None
    ax = axis % out.ndim
    cuts = np.cumsum([a.shape[ax] for a in arrays])[:-1]
    parents = tuple(x for x in items if isinstance(x, TensorCore))
    return make(out, parents, lambda g: pick(items, _pieces(items, np.split(g, cuts, axis=ax))), "concatenate")


def stack(tensors: Sequence[ArrayLike], axis: int = 0) -> Any:
    """The Tensors (all of one shape) stacked along a new ``axis``.

    >>> from autograd import Tensor
    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])]).shape
    (2, 2)
    """
    axis = _axis(axis, "stack")
    items, arrays = _parts(tensors, "stack")
    try:
        out = np.stack(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError) as e:
        raise ValueError(
            f"stack: cannot stack shapes {[a.shape for a in arrays]} along axis {axis}: they must all be equal, "
            f"and -{arrays[0].ndim + 1} <= axis <= {arrays[0].ndim} ({e})"
        ) from None
    ax = axis % out.ndim
    parents = tuple(x for x in items if isinstance(x, TensorCore))
    return make(out, parents, lambda g: pick(items, _pieces(items, np.moveaxis(g, ax, 0))), "stack")


class Shape:
    """The shape ops of a Tensor and its ``@`` (a mixin of ``autograd.tensor.Tensor``)."""

    __slots__ = ()

    def reshape(self: T, *shape: int | tuple) -> T:
        """The same entries in a new shape: ``t.reshape(2, 3)`` or ``t.reshape((2, -1))``."""
        given = shape[0] if len(shape) == 1 else None
        one = isinstance(given, (tuple, list)) or (isinstance(given, np.ndarray) and given.ndim == 1)
        return reshape(self, given if one else shape)

    def transpose(self: T, *axes: int | tuple) -> T:
        """The axes permuted (reversed when none are given, or None): ``t.transpose(1, 0)`` or
        ``t.transpose((1, 0))``, as numpy's; PyTorch's two-axis ``transpose(dim0, dim1)`` is ``swapaxes`` here.
        ``m.transpose(0, 1)`` of a matrix is refused: numpy's matrix as it is, PyTorch's transpose (use ``m.T``).

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0]]).transpose(1, 0).shape
        (2, 1)
        """
        if not axes:
            return transpose(self, ())
        one = len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list, np.ndarray)))
        if len(axes) == 2 and self.data.ndim == 2 and _identity_pair(axes):
            raise ValueError(_identity_transpose_error(axes, self.data.shape))
        return permute(self, axes[0] if one else axes)

    @property
    def T(self: T) -> T:  # noqa: N802 (numpy's name)
        """The axes reversed (a matrix transposed)."""
        return transpose(self, ())

    def __getitem__(self: T, index: Any) -> T:
        """``t[index]`` as in numpy (slices, ints, integer arrays, boolean masks): y = x[index];  dL/dx = G scattered
        back to where each entry came from (added where one entry was picked twice)."""
        return getitem(self, index)

    __matmul__ = matmul  # the function itself, not a method that calls it: ``a @ b`` is one Python call
    matmul = matmul

    def __rmatmul__(self: T, other: ArrayLike) -> T:
        """``other @ t`` for a constant ``other``: dL/dt = other^T G."""
        return matmul(other, self)

    # --- the names users bring from numpy and PyTorch: each is a reshape or a transpose --------------------------
    def t(self: T) -> T:
        """PyTorch's ``t()``: a matrix transposed (y_ij = x_ji, dL/dx = G^T); a 0-d or 1-D Tensor as it is."""
        if self.data.ndim > 2:
            raise ValueError(f"t(): a Tensor of shape {self.data.shape} has more than 2 axes; use "
                             "transpose(axes) or .T (all axes reversed)")
        return transpose(self, ()) if self.data.ndim == 2 else reshape(self, self.data.shape)

    def ravel(self: T) -> T:
        """All entries in one row (numpy's ``ravel``: a 1-D Tensor, row by row); the gradient is reshaped back."""
        return reshape(self, (self.data.size,))

    def flatten(self: T, start_dim: int = 0, end_dim: int = -1) -> T:
        """Axes ``start_dim`` .. ``end_dim`` merged into one, as ``torch.flatten`` (all of them by default: a 1-D
        Tensor, as numpy's ``flatten()``); the gradient is reshaped back.

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((2, 3, 4))).flatten(1).shape
        (2, 12)
        """
        return flatten(self, start_dim, end_dim)

    def view(self: T, *shape: int | tuple) -> T:
        """PyTorch's ``view(*shape)``: the same entries in a new shape, as ``reshape`` (``emb.view(n, -1)``). A
        dtype is refused: ``view(dtype)`` reads the bytes as another type, in numpy and PyTorch alike, and no gradient
        passes through that (``astype`` converts the numbers).

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((4, 3, 2))).view(4, -1).shape
        (4, 6)
        """
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list, np.ndarray)):
            raise TypeError(f"view: {shape[0]!r} is not a shape; view(dtype) reads the bytes as another type, which "
                            "no gradient passes: t.astype(dtype) converts the numbers, t.view(n, -1) reshapes")
        return self.reshape(*shape)

    def squeeze(self: T, axis: int | tuple | None = None, *, dim: int | tuple | None = None) -> T:
        """The axes of length 1 removed (only ``axis`` when given); the gradient is reshaped back.

        ``axis`` is numpy's: an axis whose length is not 1 raises. ``dim=`` is PyTorch's: such an axis is left.

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((3, 1))).squeeze(1).shape, Tensor(np.zeros((3, 2))).squeeze(dim=1).shape
        ((3,), (3, 2))
        """
        if dim is not None:
            if axis is not None:
                raise TypeError("squeeze: give axis (numpy) or dim (PyTorch), not both")
            return squeeze(self, dim, strict=False)
        return squeeze(self, axis)

    def unsqueeze(self: T, dim: int) -> T:
        """A new axis of length 1 at position ``dim`` of the result, as ``torch.unsqueeze`` (-1 appends one);
        the gradient is reshaped back.

        >>> from autograd import Tensor
        >>> Tensor([1.0, 2.0]).unsqueeze(0).shape, Tensor([1.0, 2.0]).unsqueeze(-1).shape
        ((1, 2), (2, 1))
        """
        return unsqueeze(self, dim)

    def expand_dims(self: T, axis: int | tuple) -> T:
        """numpy's ``expand_dims``: a new axis of length 1 at ``axis`` (a tuple for several), as ``unsqueeze``."""
        return unsqueeze(self, axis, "expand_dims")

    def repeat(self: T, repeats: Any, axis: int | None = None) -> T:
        """numpy's ``repeat`` (not PyTorch's, which tiles: use ``np.tile`` on the data for that): each entry
        ``repeats`` times in a row along ``axis`` (flattened for None); dL/dx_i sums the gradients of its copies."""
        return repeat(self, repeats, axis)

    # --- more names from PyTorch and numpy: moving axes, reversing, broadcasting, cutting (defined below) ---------
    def permute(self: T, *dims: int | tuple) -> T:
        """PyTorch's ``permute``: axis i of the result is axis ``dims[i]``, each axis named once: ``t.permute(2, 0,
        1)`` or ``t.permute((2, 0, 1))``. y = x.transpose(dims);  dL/dx = G transposed back.

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((2, 3, 4))).permute(2, 0, 1).shape
        (4, 2, 3)
        """
        return reorder_axes(self, _one_or_many(dims))

    def swapaxes(self: T, axis1: int, axis2: int) -> T:
        """Axes ``axis1`` and ``axis2`` exchanged: numpy's ``swapaxes``, which is PyTorch's ``transpose(dim0, dim1)``
        (``t.transpose`` here keeps numpy's meaning: it takes a whole permutation). dL/dx = G swapped back.

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((2, 3, 4))).swapaxes(0, 2).shape
        (4, 3, 2)
        """
        return swapaxes(self, axis1, axis2)

    def moveaxis(self: T, source: int | tuple, destination: int | tuple) -> T:
        """numpy's (and PyTorch's) ``moveaxis``: axis ``source`` moved to position ``destination`` (or several:
        tuples of the same length), the others in their order. dL/dx = G moved back.

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((2, 3, 4))).moveaxis(0, -1).shape
        (3, 4, 2)
        """
        return moveaxis(self, source, destination)

    def flip(self: T, *dims: int | tuple) -> T:
        """PyTorch's ``flip``: the entries reversed along ``dims`` (``t.flip(0)``, ``t.flip(0, 1)`` or ``t.flip((0,
        1))``), which must be given, as in PyTorch; ``np.flip(t)`` reverses every axis, as numpy's.
        y[i] = x[n-1-i] along each axis;  dL/dx = G reversed the same way.

        >>> from autograd import Tensor
        >>> Tensor([1.0, 2.0, 3.0]).flip(0).data.tolist()
        [3.0, 2.0, 1.0]
        """
        if not dims:
            raise TypeError("flip: give the axes to reverse, e.g. t.flip(0) (as PyTorch); np.flip(t) reverses all")
        return flip(self, _one_or_many(dims))

    def expand(self: T, *sizes: int | tuple) -> T:
        """PyTorch's ``expand``: axes of length 1 repeated to ``sizes`` (-1 keeps an axis; new axes go in front), as
        numpy's ``broadcast_to`` (which has no -1): ``t.expand(3, -1)`` or ``t.expand((3, -1))``. A read-only view
        of the entries, as in PyTorch. y = x seen as ``sizes``;  dL/dx = G summed over the copies.

        >>> from autograd import Tensor
        >>> Tensor([[1.0], [2.0]]).expand(-1, 3).data.tolist()
        [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]
        """
        return expand(self, _one_or_many(sizes))

    def split(self: T, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple:
        """PyTorch's ``split``, not numpy's: a tuple of pieces along ``dim``, of ``split_size_or_sections`` entries
        each (the last smaller if need be), or of the listed sizes, which add up to the axis's length.
        ``np.split(t, indices_or_sections)`` keeps numpy's meaning (places to cut, or a number of equal pieces).
        Each piece is a slice of t, so its gradient lands in its slice of t's.

        >>> from autograd import Tensor
        >>> [p.data.tolist() for p in Tensor([1.0, 2.0, 3.0]).split([1, 2])]
        [[1.0], [2.0, 3.0]]
        """
        return split(self, split_size_or_sections, dim)

    def chunk(self: T, chunks: int, dim: int = 0) -> tuple:
        """PyTorch's ``chunk``: a tuple of pieces of ceil(n / chunks) entries along ``dim`` (so maybe fewer than
        ``chunks`` of them, as in PyTorch; ``np.array_split(t, chunks)`` gives exactly ``chunks``).

        >>> from autograd import Tensor
        >>> [p.shape for p in Tensor(np.zeros(6)).chunk(4)]
        [(2,), (2,), (2,)]
        """
        return chunk(self, chunks, dim)


# --- numpy's and PyTorch's other names for moving entries: ravel, flatten, squeeze, unsqueeze, t, repeat ----------
# All but repeat are reshapes or transposes, so their gradient is reshape's or transpose's: the entries move back.

def _dim(axis: object, ndim: int, op: str, extra: int = 0) -> int:
    """A non-negative axis of a Tensor with ``ndim`` axes (``extra`` more when a new axis is being made)."""
    axis = _axis(axis, op)
    n = ndim + extra
    if not -n <= axis < n:
        raise ValueError(f"{op}: axis {axis} is out of range for {n} axes (-{n} <= axis < {n})")
    return axis % n


def _dims(axis: Any, ndim: int, op: str, extra: int = 0) -> tuple:
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    out = tuple(_dim(a, ndim, op, extra * len(axes)) for a in axes)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: axis {tuple(axes)} names an axis twice")
    return out


def squeeze(t: T, axis: Any = None, strict: bool = True) -> Any:
    """``t`` without its axes of length 1 (only those in ``axis`` when given). An ``axis`` whose length is not 1
    raises, as in numpy, unless ``strict`` is False (PyTorch's ``dim=``: such an axis is left as it is)."""
    shape = t.data.shape
    if axis is None:
        keep = [n for n in shape if n != 1]
    else:
        axes = _dims(axis, len(shape), "squeeze")
        wrong = [a for a in axes if shape[a] != 1]
        if wrong and strict:
            raise ValueError(
                f"squeeze: axis {wrong[0]} of shape {shape} has length {shape[wrong[0]]}, not 1, so it cannot be "
                "squeezed away (PyTorch would leave it; pass dim= for that behaviour)"
            )
        keep = [n for i, n in enumerate(shape) if i not in axes or n != 1]
    return reshape(t, keep)


def unsqueeze(t: T, axis: Any, op: str = "unsqueeze") -> Any:
    """``t`` with a new axis of length 1 at position ``axis`` of the result (several for a tuple, as numpy's
    expand_dims); a negative axis counts from the end of the result: -1 appends one."""
    shape = t.data.shape
    axes = _dims(axis, len(shape), op, extra=1)
    rest = iter(shape)
    return reshape(t, [1 if i in axes else next(rest) for i in range(len(shape) + len(axes))])


def flatten(t: T, start_dim: int = 0, end_dim: int = -1) -> Any:
    """Axes ``start_dim`` to ``end_dim`` (both included) merged into one, as ``torch.flatten``; by default all of
    them, giving a 1-D Tensor as numpy's ``flatten()`` (a 0-d Tensor gives one entry of shape (1,))."""
    shape = t.data.shape
    if not shape:  # a number flattens to one entry; its dims are those of one axis (0 or -1), as in PyTorch
        _dim(start_dim, 1, "flatten"), _dim(end_dim, 1, "flatten")
        return reshape(t, (1,))
    lo, hi = _dim(start_dim, len(shape), "flatten"), _dim(end_dim, len(shape), "flatten")
    if lo > hi:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape {shape}")
    return reshape(t, shape[:lo] + (math.prod(shape[lo:hi + 1]),) + shape[hi + 1:])


def repeat(t: T, repeats: Any, axis: int | None = None) -> Any:
    """numpy's ``repeat``: each entry (along ``axis``; of the flattened Tensor for None) ``repeats`` times in a row.

    y = (x_0, ..., x_0, x_1, ...):  dL/dx_i = the sum of dL/dy_j over the copies j of x_i.

    >>> from autograd import Tensor
    >>> Tensor([1.0, 2.0]).repeat(2)
    Tensor([1., 1., 2., 2.], op='repeat')
    """
    x = t.data
    src = x.reshape(-1) if axis is None or x.ndim == 0 else x    # numpy repeats a number along axis 0 (or -1)
    ax = 0 if axis is None else _dim(axis, src.ndim, "repeat")
    reps = np.asarray(repeats)
    if reps.dtype.kind not in "iu" or reps.ndim > 1 or np.any(reps < 0):
        raise ValueError(f"repeat: repeats must be a whole number >= 0 or one per entry, got {repeats!r}")
    try:
        out = np.repeat(src, reps, axis=ax)
    except ValueError as e:
        raise ValueError(f"repeat: {reps.size} repeats do not fit axis {ax} of shape {src.shape} ({e})") from None
    source = np.repeat(np.arange(src.shape[ax]), reps)       # which entry of x each entry of y copies

    def vjp(g: np.ndarray) -> tuple:
        # dL/dx_i = sum of g over the copies of x_i: scatter-add along the axis
        dx = np.zeros((src.shape[ax],) + src.shape[:ax] + src.shape[ax + 1:], dtype=g.dtype)
        np.add.at(dx, source, np.moveaxis(g, ax, 0))
        return (np.moveaxis(dx, 0, ax).reshape(x.shape),)

    return make(out, (t,), vjp, "repeat")


# --- the names users bring from PyTorch and numpy for moving axes and cutting: permute, swapaxes, moveaxis, flip,
# expand (and numpy's broadcast_to), split, chunk. Each is made of the ops above, so its gradient (and its second
# derivative) is theirs: a transpose moves the gradient back, a slice sends it to the entries it picked, and a
# broadcast sums it over the copies.

def _axis_of(axis: object, shape: tuple, op: str) -> int:
    """A non-negative axis of ``shape``, or an error naming the op, the axis and the shape."""
    axis = _axis(axis, op)
    n = len(shape)
    if not -n <= axis < n:
        allowed = "a 0-d Tensor has no axis" if n == 0 else f"its axes are -{n} .. {n - 1}"
        raise ValueError(f"{op}: axis {axis} is out of range for shape {shape} ({allowed})")
    return axis % n


def _axes_of(axes: Any, shape: tuple, op: str) -> tuple:
    """Several distinct axes of ``shape`` (an int, a tuple or a list), each non-negative."""
    given = tuple(axes) if _listed(axes) else (axes,)
    out = tuple(_axis_of(a, shape, op) for a in given)
    for i, a in enumerate(out):
        if a in out[:i]:
            raise ValueError(f"{op}: axes {given} name axis {a} of shape {shape} twice; name each axis once")
    return out


def _one_or_many(args: tuple) -> Any:
    """``f(1, 0)`` and ``f((1, 0))`` alike, as PyTorch's permute, flip and expand take them."""
    return args[0] if len(args) == 1 and _listed(args[0]) else args


def reorder_axes(t: T, dims: Any, op: str = "permute") -> Any:
    """PyTorch's ``permute``: axis i of the result is axis ``dims[i]`` of ``t``, and ``dims`` names every axis
    once (numpy's ``transpose(axes)`` with no "None reverses").

    y = x.transpose(dims):  dL/dx = G transposed by the inverse permutation.

    >>> from autograd import Tensor
    >>> reorder_axes(Tensor(np.zeros((2, 3, 4))), (2, 0, 1)).shape
    (4, 2, 3)
    """
    shape = t.data.shape
    given = tuple(dims)
    if len(given) != len(shape):
        raise ValueError(f"{op}: dims {given} name {len(given)} axes, but shape {shape} has {len(shape)}; give "
                         f"every axis once, e.g. {tuple(reversed(range(len(shape))))} reverses them")
    return transpose(t, _axes_of(given, shape, op))


def swapaxes(t: T, axis1: int, axis2: int) -> Any:
    """``t`` with axes ``axis1`` and ``axis2`` exchanged (numpy's ``swapaxes``, PyTorch's ``transpose(dim0,
    dim1)``): y = x.transpose(the two axes exchanged);  dL/dx = G with them exchanged back."""
    shape = t.data.shape
    a, b = _axis_of(axis1, shape, "swapaxes"), _axis_of(axis2, shape, "swapaxes")
    order = list(range(len(shape)))
    order[a], order[b] = b, a
    return transpose(t, order)


def moveaxis(t: T, source: Any, destination: Any) -> Any:
    """numpy's ``moveaxis`` (PyTorch's ``movedim``): axis ``source[i]`` of ``t`` becomes axis ``destination[i]``
    of the result, the other axes keep their order. y = x.transpose(order);  dL/dx = G transposed back."""
    shape = t.data.shape
    src, dst = _axes_of(source, shape, "moveaxis"), _axes_of(destination, shape, "moveaxis")
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: source {source!r} and destination {destination!r} must name as many axes "
                         f"(of shape {shape}); give one destination per moved axis")
    order = [a for a in range(len(shape)) if a not in src]
    for d, s in sorted(zip(dst, src)):      # fill the destinations from the left, so each lands where it is asked
        order.insert(d, s)
    return transpose(t, order)


def flip(t: T, axes: Any = None, op: str = "flip") -> Any:
    """``t`` reversed along ``axes`` (all of them for None, as ``np.flip``): a slice with step -1 on each.

    y[..., i, ...] = x[..., n-1-i, ...]:  dL/dx = G reversed the same way (indexing sends each entry's gradient
    back to where it came from).

    >>> from autograd import Tensor
    >>> flip(Tensor([[1.0, 2.0], [3.0, 4.0]]), 1).data.tolist()
    [[2.0, 1.0], [4.0, 3.0]]
    """
    shape = t.data.shape
    flipped = range(len(shape)) if axes is None else _axes_of(axes, shape, op)
    return getitem(t, tuple(slice(None, None, -1) if i in flipped else slice(None) for i in range(len(shape))))


def broadcast_to(t: T, shape: Any, op: str = "broadcast_to") -> Any:
    """numpy's ``broadcast_to``: ``t`` repeated along the axes that ``shape`` adds in front and along its axes of
    length 1. y = x seen as ``shape``;  dL/dx = G summed over the copies (the engine's one unbroadcast does it).

    >>> from autograd import Tensor
    >>> broadcast_to(Tensor([[1.0], [2.0]]), (2, 3)).data.tolist()
    [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]
    """
    x = t.data
    target = tuple(_number(n) for n in (shape if _listed(shape) else (shape,)))
    if not all(is_int(n) and n >= 0 for n in target):
        raise ValueError(f"{op}: the shape {target} must be whole numbers >= 0")
    lead = len(target) - x.ndim
    if lead < 0:
        raise ValueError(f"{op}: shape {x.shape} has {x.ndim} axes, more than the {len(target)} of {target}; "
                         "give a length for every axis (new axes go in front)")
    for i, n in enumerate(x.shape):
        if n != 1 and n != target[lead + i]:
            raise ValueError(
                f"{op}: axis {i} of shape {x.shape} has length {n}, not 1, so it cannot become {target[lead + i]} "
                f"(target {target}); only axes of length 1 are repeated: to copy entries use repeat or concatenate"
            )
    # A read-only view, as numpy's and PyTorch's expand: no entry is copied; the gradient g keeps the broadcast shape
    # and backward() sums it back to x's shape, as for any broadcast operand.
    return make(np.broadcast_to(x, tuple(int(n) for n in target)), (t,), lambda g: (g,), "broadcast_to")


def expand(t: T, sizes: Any) -> Any:
    """PyTorch's ``expand``: ``broadcast_to`` where a size of -1 keeps that axis's length (new axes go in front,
    and cannot be -1). dL/dx = G summed over the copies.

    >>> from autograd import Tensor
    >>> expand(Tensor([[1.0], [2.0]]), (-1, 3)).shape
    (2, 3)
    """
    shape = t.data.shape
    sizes = tuple(_number(n) for n in sizes)
    if not all(is_int(n) for n in sizes):
        raise TypeError(f"expand: sizes must be ints, got {sizes!r}; e.g. t.expand(3, -1)")
    lead = len(sizes) - len(shape)
    target = []
    for i, n in enumerate(sizes):
        if n == -1 and i < lead:
            raise ValueError(f"expand: sizes {sizes} put -1 on the new axis {i} in front of shape {shape}; -1 keeps "
                             "an axis the Tensor has, so give the new axis its length")
        if n < -1:
            raise ValueError(f"expand: sizes {sizes} for shape {shape} hold {n}; give lengths >= 0, or -1 to keep "
                             "an axis as it is")
        target.append(shape[i - lead] if n == -1 else n)
    return broadcast_to(t, target, "expand")


_GROUP = 4  # _cut slices at most this many pieces straight from one Tensor; more are cut from groups of them


def _cut(t: T, ax: int, bounds: Sequence[tuple]) -> list:
    """The slices ``t[..., lo:hi, ...]`` (on axis ``ax``) for each (lo, hi): each piece's gradient lands in its
    slice of dL/dt, and the pieces' gradients add up there.

    A slice's vjp is an array of its parent's whole shape (zeros around the piece's gradient), so n pieces cut
    straight from t would cost n arrays of t's size in backward(): 10,000 pieces of 10,000 entries, 10^8 zeros
    written and added. More than ``_GROUP`` pieces in order, side by side, are therefore cut from at most
    ``_GROUP`` slices of t, each covering consecutive pieces, and so on down: a tree of slices, log n levels
    deep, each level's gradients adding up to ``_GROUP`` arrays of t's size. Every entry still gets its own
    piece's gradient plus zeros: the same numbers."""
    head = (slice(None),) * ax
    spans = [slice(lo, hi).indices(t.data.shape[ax])[:2] for lo, hi in bounds]
    spans = [(lo, max(lo, hi)) for lo, hi in spans]                 # (3, 1) is the empty t[3:1]
    in_order = all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # np.split(t, [3, 1]) overlaps: cut straight
    if len(spans) <= _GROUP or not in_order:
        return [getitem(t, head + (slice(lo, hi),)) for lo, hi in bounds]
    per_group = -(-len(spans) // _GROUP)                            # ceil(n / _GROUP) pieces in each group
    pieces = []
    for k in range(0, len(spans), per_group):
        part = spans[k:k + per_group]
        lo, hi = part[0][0], part[-1][1]
        if len(part) == 1:
            pieces.append(getitem(t, head + (slice(lo, hi),)))
        else:
            group = getitem(t, head + (slice(lo, hi),))
            pieces += _cut(group, ax, [(a - lo, b - lo) for a, b in part])
    return pieces


def split(t: T, split_size_or_sections: Any, dim: int = 0) -> tuple:
    """PyTorch's ``split``: ``t`` cut along ``dim`` into pieces of ``split_size_or_sections`` entries each (the
    last one smaller if they do not divide), or of the listed sizes, which must add up to the axis's length.

    This is not ``np.split``, whose numbers are indices or a count of equal pieces (np.split(t, ...) does that).

    >>> from autograd import Tensor
    >>> [p.shape for p in split(Tensor(np.zeros(5)), 2)]
    [(2,), (2,), (1,)]
    """
    shape = t.data.shape
    split_size_or_sections = _number(split_size_or_sections)
    if not shape:
        raise ValueError("split: a 0-d Tensor has no axis to cut; reshape it to (1,) first")
    ax = _axis_of(dim, shape, "split")
    n = shape[ax]
    if is_int(split_size_or_sections):
        size = int(split_size_or_sections)
        if size < 0 or (size == 0 and n > 0):
            raise ValueError(f"split: a piece size of {size} cannot cut axis {ax} of shape {shape} ({n} entries); "
                             "give a size >= 1, or a list of sizes that add up to the length")
        starts = range(0, n, size) if n else [0]
        return tuple(_cut(t, ax, [(lo, min(lo + size, n)) for lo in starts]))
    if not isinstance(split_size_or_sections, (tuple, list, np.ndarray)):
        raise TypeError(f"split: takes a piece size (an int) or a list of sizes, got {split_size_or_sections!r}; "
                        f"e.g. t.split(2) or t.split([1, {max(n - 1, 0)}])")
    sizes = list(split_size_or_sections)
    if not all(is_int(s) and s >= 0 for s in sizes) or sum(sizes) != n:
        raise ValueError(f"split: the sizes {sizes} must be whole numbers >= 0 that add up to {n}, the length of "
                         f"axis {ax} of shape {shape}; np.split(t, indices) takes the places to cut instead")
    ends = np.cumsum([0, *sizes]).tolist()
    return tuple(_cut(t, ax, list(zip(ends, ends[1:]))))


def chunk(t: T, chunks: int, dim: int = 0) -> tuple:
    """PyTorch's ``chunk``: ``split`` into pieces of ceil(n / chunks) entries, so there may be fewer than
    ``chunks`` pieces (6 entries in 4 chunks: three pieces of 2); ``np.array_split(t, chunks)`` gives exactly
    ``chunks`` pieces.

    >>> from autograd import Tensor
    >>> [p.shape for p in chunk(Tensor(np.zeros(6)), 4)]
    [(2,), (2,), (2,)]
    """
    chunks = _number(chunks)
    if not is_int(chunks) or chunks < 1:
        raise ValueError(f"chunk: chunks must be a whole number >= 1, got {chunks!r}")
    shape = t.data.shape
    if not shape:
        raise ValueError("chunk: a 0-d Tensor has no axis to cut; reshape it to (1,) first")
    ax = _axis_of(dim, shape, "chunk")
    n = shape[ax]
    if n == 0:                                  # PyTorch: as many empty pieces as were asked for
        return tuple(_cut(t, ax, [(0, 0)] * chunks))
    return split(t, -(-n // chunks), ax)        # -(-n // k) is ceil(n / k) in whole numbers


def split_at(t: T, indices_or_sections: Any, axis: int = 0, equal: bool = True) -> list:
    """numpy's ``split`` (``equal``) and ``array_split``: a count k gives k pieces (``split``: of equal length, or
    an error; ``array_split``: the first n % k one entry longer), a list of indices cuts before each, as the
    slices t[:i0], t[i0:i1], ..., t[ik:] (so an index past the end gives an empty piece, as in numpy).

    >>> from autograd import Tensor
    >>> [p.shape for p in split_at(Tensor(np.zeros(5)), [1, 3])]
    [(1,), (2,), (2,)]
    """
    op = "split" if equal else "array_split"
    shape = t.data.shape
    indices_or_sections = _number(indices_or_sections)
    if not shape:
        raise ValueError(f"np.{op}: a 0-d Tensor has no axis to cut; reshape it to (1,) first")
    ax = _axis_of(axis, shape, f"np.{op}")
    n = shape[ax]
    if is_int(indices_or_sections):
        k = int(indices_or_sections)
        if k < 1 or (equal and n % k):
            raise ValueError(f"np.{op}: axis {ax} of shape {shape} ({n} entries) cannot be cut into {k} pieces"
                             + (" of equal length; use np.array_split for unequal ones" if k >= 1 else ""))
        long, size = n % k, n // k                                       # the first n % k pieces are one longer
        ends = np.cumsum([0] + [size + 1] * long + [size] * (k - long)).tolist()
        return _cut(t, ax, list(zip(ends, ends[1:])))
    if not isinstance(indices_or_sections, (tuple, list, np.ndarray)):
        raise TypeError(f"np.{op}: takes a number of pieces (an int) or a list of indices, got "
                        f"{indices_or_sections!r}; e.g. np.{op}(t, 2) or np.{op}(t, [1, 3])")
    cuts = list(indices_or_sections)
    if not all(is_int(i) for i in cuts):
        raise ValueError(f"np.{op}: the indices {cuts} must be whole numbers")
    return _cut(t, ax, list(zip([None, *cuts], [*cuts, None])))
