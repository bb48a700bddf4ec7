"""Tensor: a numpy array node of the recorded graph.

Each op computes its result with numpy and keeps, beside it, a vector-Jacobian product (vjp): a function from
the gradient of the result, dL/d(out), to one gradient per parent, dL/d(parent) = J^T dL/d(out). For one
element, out = f(x), that is dL/dx = f'(x) dL/dout, so most vjps are one multiplication.
``backward()`` calls them in reverse topological order (``graph.topological_order``, shared with ``Value``).

Broadcasting is undone by the engine, not by the ops: a vjp may return a gradient in the broadcast (result)
shape, and ``tensor_backward.unbroadcast`` sums it back to its parent's shape.

This file holds the class, its node constructor and backward(); ``tensor_arith.py`` the arithmetic (+ - * / **
and the in-place updates), ``tensor_ops.py`` the functions (exp, ..., softmax) and reductions, ``tensor_shape.py``
matmul, reshaping, indexing and joining, ``tensor_backward.py`` the backward pass, ``tensor_checks.py`` the operand
conversions and error messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Union

import numpy as np

from . import graph
from .graph import mode
from .tensor_checks import as_data, nonfinite

ArrayLike = Union["Tensor", np.ndarray, float, int, Sequence]

_new = object.__new__
_ndarray = np.ndarray


# --- the node constructor: every op ends here ---------------------------------------------------------------

def _make(data: Any, parents: tuple, vjp: Callable, op: str) -> Tensor:
    """A new result node. It requires grad iff a parent does; otherwise it records nothing (a constant).

    ``vjp(g)`` returns one gradient per parent (None where a parent needs none): new arrays or views of g,
    never one array twice. It must not refer to the result Tensor itself (that would make a reference cycle
    and keep graphs alive until the garbage collector runs); it may keep the result's array.
    """
    if type(data) is not _ndarray:  # numpy returns scalars, not 0-d arrays, from ops on 0-d arrays
        data = np.asarray(data)
    out = _new(Tensor)
    out.data = data
    out.grad = None
    out.op = op
    out._retain = False
    if mode.fast:
        for p in parents:
            if p.requires_grad:
                out.requires_grad = True
                out._parents = parents
                out._vjp = vjp
                return out
        out.requires_grad = False
        out._parents = ()
        out._vjp = None
        return out
    return _record_slowly(out, parents, vjp)


def _record_slowly(out: Tensor, parents: tuple, vjp: Callable) -> Tensor:
    if mode.anomaly:
        graph.remember_creation(out)
        if not np.isfinite(out.data).all():
            raise graph.forward_anomaly(out, nonfinite(out.data))
    if mode.grad_enabled and any(p.requires_grad for p in parents):
        out.requires_grad, out._parents, out._vjp = True, parents, vjp
    else:  # no_grad(), or no parent requires grad: a constant as far as the graph knows
        out.requires_grad, out._parents, out._vjp = False, (), None
    return out


# --- the Tensor -----------------------------------------------------------------------------------------------

class Tensor:
    """A numpy array that remembers how it was computed, so that ``backward()`` can differentiate it.

    >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="W")
    >>> x = Tensor([1.0, -1.0])
    >>> loss = (W @ x).tanh().sum()       # L = sum_i tanh(z_i), z = W x
    >>> loss.backward()                   # dL/dW_ij = (1 - tanh^2 z_i) x_j
    >>> W.grad.shape
    (2, 2)

    Float64 by default, float32 on request (``dtype=np.float32``, or float32 data); the data is copied.
    Constants (numbers, numpy scalars and arrays) take the Tensor's dtype; two Tensors of different dtypes give
    float64, as numpy does, and each gradient keeps its own Tensor's dtype.
    Leaves made with ``requires_grad=True`` add up their ``.grad`` across ``backward()`` calls, as in PyTorch;
    ``zero_grad()`` resets it to None. Intermediate results keep no gradient (their buffers are freed during
    ``backward()``) unless ``retain_grad()`` was called on them. The graph stays as long as you hold its output,
    so ``backward()`` may run on it again; it is freed when you drop the output.

    Update a parameter after ``backward()``, inside ``no_grad()`` (or through ``.data``); elsewhere ``w -= ...``
    on it is refused, and ``h += x`` on any other Tensor is ``h = h + x``, a new node:

    >>> from autograd import no_grad
    >>> with no_grad():
    ...     W -= 0.5 * W.grad                 # in place, as in PyTorch: W stays the same leaf
    >>> W.is_leaf, W.requires_grad
    (True, True)

    The ops keep references to the arrays they read, not copies, and there is no version counter as in
    PyTorch: changing ``.data`` in place between the forward pass and ``backward()`` changes the numbers the
    gradients are computed from.
    """

    __slots__ = ("data", "grad", "requires_grad", "op", "_parents", "_vjp", "_retain", "_name", "_scope", "_trace",
                 "__weakref__")

    def __init__(self, data: ArrayLike, requires_grad: bool = False, dtype: Any = None, name: str | None = None):
        # A copy: the caller's array is never changed.
        self.data = np.array(as_data(data.data if isinstance(data, Tensor) else data, dtype, "Tensor"))
        self.grad: np.ndarray | None = None
        self.requires_grad = bool(requires_grad)
        self.op = ""
        self._parents: tuple = ()
        self._vjp = None
        self._retain = False
        if name:
            self._name = name

    parents = property(lambda self: self._parents, doc="The nodes this one was computed from (empty for a leaf).")
    vjp = property(lambda self: self._vjp, doc="dL/d(self) -> one dL/d(parent) per parent (None for a leaf).")

    # --- what it holds ----------------------------------------------------------------------------------------
    shape = property(lambda self: self.data.shape, doc="The shape of ``.data``.")
    ndim = property(lambda self: self.data.ndim, doc="The number of axes.")
    dtype = property(lambda self: self.data.dtype, doc="float64 or float32.")
    size = property(lambda self: self.data.size, doc="The number of elements.")
    is_leaf = property(lambda self: not self._parents, doc="True unless computed from a Tensor that requires grad.")

    @property
    def name(self) -> str | None:
        """An optional name, shown in drawings and error messages (``label`` is the same name)."""
        try:
            return self._name
        except AttributeError:
            return None

    @name.setter
    def name(self, name: str | None) -> None:
        self._name = name

    @property
    def label(self) -> str:
        return self.name or ""

    @label.setter
    def label(self, name: str) -> None:
        self._name = name

    def item(self) -> float:
        """The one number a size-1 Tensor holds, as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item(): the Tensor has shape {self.data.shape}; only a size-1 Tensor is one number")
        return float(self.data.reshape(()))

    def numpy(self) -> np.ndarray:
        """``.data`` itself (not a copy), as ``torch.Tensor.numpy()`` does."""
        return self.data

    def detach(self) -> Tensor:
        """The same data (shared, not copied) as a new leaf that does not require grad."""
        out = _new(Tensor)
        out.data, out.grad, out.requires_grad, out.op = self.data, None, False, ""
        out._parents, out._vjp, out._retain = (), None, False
        return out

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is not None and np.dtype(dtype) != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return _shape.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Callable, types: tuple, args: tuple, kwargs: dict) -> Any:
        return _shape.array_function(func, args, kwargs)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor (a single number); use .item()")
        return len(self.data)

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d Tensor (a single number); use .item()")
        return (self[i] for i in range(len(self.data)))

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return self.item()

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, threshold=20, separator=", ", prefix="Tensor(")
        extra = f", shape={self.data.shape}" if self.data.size > 20 else ""
        extra += f", dtype={self.data.dtype}" if self.data.dtype != np.float64 else ""
        extra += ", requires_grad=True" if self.requires_grad else ""
        extra += f", op={self.op!r}" if self.op else ""
        extra += f", name={self.name!r}" if self.name else ""
        return f"Tensor({body}{extra})"

    # --- comparisons give plain boolean arrays: they are not differentiable -----------------------------------
    __hash__ = object.__hash__  # == is elementwise, as in numpy, so hash by identity
    __eq__ = lambda self, other: self.data == _data(other)  # type: ignore[assignment]  # noqa: E731
    __ne__ = lambda self, other: self.data != _data(other)  # type: ignore[assignment]  # noqa: E731
    __lt__ = lambda self, other: self.data < _data(other)  # noqa: E731
    __le__ = lambda self, other: self.data <= _data(other)  # noqa: E731
    __gt__ = lambda self, other: self.data > _data(other)  # noqa: E731
    __ge__ = lambda self, other: self.data >= _data(other)  # noqa: E731

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError(
            "a Tensor cannot be changed in place (the graph would silently go wrong); build a new one, "
            "e.g. with autograd.where(mask, value, t), or change t.data outside any graph"
        )

    # --- arithmetic: + - * / ** -x and += -= *= /= are tensor_arith.py's functions (each op's result beside its
    #     vector-Jacobian product), made this class's operators at the end of this file, as are ``@`` and
    #     ``matmul()`` (tensor_shape.matmul) ------------------------------------------------------------------
    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return _shape.matmul(other, self)

    # --- functions, reductions and shapes: formulas in tensor_ops.py and tensor_shape.py -----------------------
    def exp(self) -> Tensor:
        return _ops.exp(self)

    def log(self) -> Tensor:
        return _ops.log(self)

    def sqrt(self) -> Tensor:
        return _ops.sqrt(self)

    def tanh(self) -> Tensor:
        return _ops.tanh(self)

    def sigmoid(self) -> Tensor:
        return _ops.sigmoid(self)

    def relu(self) -> Tensor:
        return _ops.relu(self)

    def softplus(self) -> Tensor:
        return _ops.softplus(self)

    def abs(self) -> Tensor:
        return _ops.abs(self)

    __abs__ = abs

    def clip(self, lo: float | None = None, hi: float | None = None) -> Tensor:
        """Entries below ``lo`` become ``lo``, above ``hi`` become ``hi``; the gradient is 1 on [lo, hi], else 0."""
        return _ops.clip(self, lo, hi)

    def sum(self, axis: int | tuple | None = None, keepdims: bool = False) -> Tensor:
        return _ops.sum(self, axis, keepdims)

    def mean(self, axis: int | tuple | None = None, keepdims: bool = False) -> Tensor:
        return _ops.mean(self, axis, keepdims)

    def max(self, axis: int | tuple | None = None, keepdims: bool = False) -> Tensor:
        """The largest entry (along ``axis``); tied maxima share the gradient equally (as ``torch.amax``)."""
        return _ops.extremum(self, axis, keepdims, "max")

    def min(self, axis: int | tuple | None = None, keepdims: bool = False) -> Tensor:
        """The smallest entry (along ``axis``); tied minima share the gradient equally."""
        return _ops.extremum(self, axis, keepdims, "min")

    def var(self, axis: int | tuple | None = None, keepdims: bool = False, ddof: int = 0) -> Tensor:
        """The variance, sum (x - mean)^2 / (n - ddof); ``ddof=0`` as numpy (``ddof=1`` for the unbiased one)."""
        return _ops.var(self, axis, keepdims, ddof)

    def logsumexp(self, axis: int | tuple | None = -1, keepdims: bool = False) -> Tensor:
        """log(sum(exp(x))) along ``axis`` (the last by default; None for all), without overflow."""
        return _ops.logsumexp(self, axis, keepdims)

    def softmax(self, axis: int = -1) -> Tensor:
        """exp(x_i) / sum_j exp(x_j) along ``axis`` (the last by default: rows are samples)."""
        return _ops.softmax(self, axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """log(softmax(x)) along ``axis``, computed as x - logsumexp(x) so that it never overflows."""
        return _ops.log_softmax(self, axis)

    def reshape(self, *shape: int | tuple) -> Tensor:
        """The same entries in a new shape: ``t.reshape(2, 3)`` or ``t.reshape((2, -1))``."""
        return _shape.reshape(self, shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape)

    def transpose(self, *axes: int | tuple) -> Tensor:
        """The axes permuted (reversed when none are given)."""
        return _shape.transpose(self, axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes)

    @property
    def T(self) -> Tensor:
        """The axes reversed (a matrix transposed)."""
        return _shape.transpose(self, ())

    def __getitem__(self, index: Any) -> Tensor:
        return _shape.getitem(self, index)

    # --- differentiation --------------------------------------------------------------------------------------
    def backward(self, grad: ArrayLike | None = None) -> None:
        """Add dL/d(leaf) to the ``.grad`` of every leaf that requires grad, where L is this Tensor.

        A Tensor that is not a single number needs ``grad``, an array of its shape (dL/d(self)): the backward
        pass then differentiates sum(self * grad).

        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> (x * x).sum().backward(); x.grad              # d/dx sum x^2 = 2x
        array([2., 4., 6.])
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward(): this Tensor does not require grad, so there is nothing to differentiate: no Tensor "
                "it was computed from has requires_grad=True, or it was computed inside no_grad(). "
                "Make the inputs with Tensor(..., requires_grad=True)"
            )
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward(): this Tensor has shape {self.data.shape}, not a single number, so it is not a "
                    f"loss to differentiate. Pass grad= an array of shape {self.data.shape} (backward then "
                    "differentiates sum(t * grad)), or reduce it first, e.g. t.sum().backward()"
                )
            seed, owned = np.empty(self.data.shape, self.data.dtype), True
            seed.fill(1)
        else:
            seed = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=self.data.dtype)
            if seed.shape != self.data.shape:
                raise ValueError(
                    f"backward(): grad has shape {seed.shape} but the Tensor has shape {self.data.shape}; "
                    "they must be equal"
                )
            owned = False  # the caller's array: never written into
        backpropagate(graph.topological_order(self), self, seed, owned)

    def zero_grad(self) -> None:
        """Set ``.grad`` back to None."""
        self.grad = None

    def retain_grad(self) -> Tensor:
        """Keep this intermediate result's gradient in ``.grad`` after ``backward()`` (the latest call's)."""
        self._retain = True
        return self


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


# The modules below build on the class above, so they are imported after it.
from . import tensor_arith as _arith  # noqa: E402
from . import tensor_ops as _ops  # noqa: E402
from . import tensor_shape as _shape  # noqa: E402
from .tensor_backward import backpropagate  # noqa: E402

# The operators are tensor_arith's functions themselves, not methods that call them: ``a + b`` is one Python call.
Tensor.__add__ = Tensor.__radd__ = _arith.add
Tensor.__sub__, Tensor.__rsub__ = _arith.sub, _arith.rsub
Tensor.__mul__ = Tensor.__rmul__ = _arith.mul
Tensor.__truediv__, Tensor.__rtruediv__ = _arith.truediv, _arith.rtruediv
Tensor.__pow__, Tensor.__rpow__ = _arith.power, _arith.rpower
Tensor.__neg__ = _arith.neg
Tensor.__matmul__ = Tensor.matmul = _shape.matmul
Tensor.__iadd__, Tensor.__isub__ = _arith.iadd, _arith.isub
Tensor.__imul__, Tensor.__itruediv__ = _arith.imul, _arith.itruediv
