"""Tensor: a numpy array node of the recorded graph, assembled from one mixin class per concept.

>>> from autograd import Tensor
>>> x = Tensor([1.0, 2.0], requires_grad=True)
>>> (x * x).sum().backward(); x.grad
array([2., 4.])
"""

from __future__ import annotations

from .arithmetic import Arithmetic, subtract_in_place
from .core import ArrayLike, TensorCore, bind
from .functions import Functions, logaddexp, maximum, minimum, where
from .interop import NumpyInterop
from .linalg import LinearAlgebra, diag, dot, outer, trace
from .reductions import Reductions
from .shape import Shape, concatenate, matmul, stack

__all__ = ["Tensor", "ArrayLike", "logaddexp", "maximum", "minimum", "where", "concatenate", "stack", "matmul", "dot",
           "outer", "trace", "diag", "subtract_in_place"]


class Tensor(Arithmetic, Functions, Reductions, Shape, LinearAlgebra, NumpyInterop, TensorCore):
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

    The ops keep references to the arrays they read, not copies. Changes made through a Tensor (``w -= ...``
    inside ``no_grad()``, an optimizer's step) are counted, as by PyTorch's version counter, and ``backward()``
    then refuses the old graph; but writing into an array directly (``t.data[...] = ...``, or a numpy constant
    ``c`` of ``x * c`` changed in place) between the forward pass and ``backward()`` is not seen, and changes the
    numbers the gradients are computed from.

    The class is assembled by concept, one mixin per file of this package: ``core`` (the data, the graph slots,
    ``backward()``), ``arithmetic`` (+ - * / ** and the in-place updates), ``functions`` (the elementwise ops of
    ``autograd.rules``, clip, astype), ``reductions`` (sum ... log_softmax, prod, cumsum), ``shape`` (reshape,
    transpose, indexing, ``@``, squeeze, flatten, repeat), ``linalg`` (dot, outer, trace, diag) and ``interop``
    (numpy's view of it).
    """


    __slots__ = ()


bind(Tensor)
