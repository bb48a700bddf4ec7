"""Strategies for the array engine: shapes, Tensors, and shapes that broadcast together or multiply with ``@``.

>>> from hypothesis import given
>>> from autograd import gradcheck
>>> from autograd.testing import broadcastable_tensors
>>> @given(broadcastable_tensors(2))
... def test_product_rule(pair):
...     a, b = pair
...     assert gradcheck(lambda a, b: (a * b).tanh(), [a, b])
>>> test_product_rule()
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..tensor import Tensor
from .numbers import floats

__all__ = ["shapes", "tensors", "broadcastable_shapes", "matmul_shapes", "broadcastable_tensors", "matmul_tensors"]


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4) -> st.SearchStrategy[tuple]:
    """Array shapes such as (), (3,), (2, 1, 4): ``min_dims`` to ``max_dims`` axes of ``min_side`` to ``max_side``.

    >>> from hypothesis import given
    >>> @given(shapes(max_dims=2))
    ... def test_shapes_have_at_most_two_axes(shape):
    ...     assert len(shape) <= 2
    >>> test_shapes_have_at_most_two_axes()
    """
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def _elements(dtype: Any, min_value: float, max_value: float, away_from_zero: float) -> st.SearchStrategy[float]:
    """Finite floats of ``dtype`` in [min_value, max_value] (no NaN, inf or subnormal) with |x| >= away_from_zero."""
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return floats(min_value, max_value, away_from_zero=away_from_zero, width=width)


def tensors(
    shape: tuple | st.SearchStrategy[tuple] | None = None,
    dtype: Any = np.float64,
    elements: st.SearchStrategy[float] | None = None,
    *,
    min_value: float = -2.0,
    max_value: float = 2.0,
    away_from_zero: float = 0.0,
    unique: bool = False,
    requires_grad: bool = True,
    name: str = "",
    any_layout: bool = True,
) -> st.SearchStrategy[Tensor]:
    """Leaf Tensors of ``shape`` (a tuple, a strategy of tuples, or None for ``shapes()``) and ``dtype``.

    The entries come from ``elements``, or else are finite floats in [min_value, max_value] at least
    ``away_from_zero`` from 0 (keep relu and abs clear of their kink). ``unique=True`` draws distinct
    entries (no ties for max and min). ``any_layout`` (the default) draws the order of the axes in memory too:
    C order, Fortran order, or another, as a transposed array has them; the numbers are the same, and an op
    must not depend on it (``any_layout=False``: C order only).

    >>> from hypothesis import given
    >>> @given(tensors(shape=(2, 3), min_value=0.5))
    ... def test_log_is_defined(t):
    ...     assert t.log().shape == (2, 3)
    >>> test_log_is_defined()
    """
    if elements is None:
        elements = _elements(dtype, min_value, max_value, away_from_zero)
    if shape is None:
        shape = shapes()
    arrays = hnp.arrays(np.dtype(dtype), shape, elements=elements, unique=unique)
    if any_layout:
        arrays = arrays.flatmap(_in_any_layout)
    return arrays.map(lambda a: Tensor(a, requires_grad=requires_grad, dtype=dtype, name=name or None))


def _in_any_layout(a: np.ndarray) -> st.SearchStrategy[np.ndarray]:
    """``a``'s numbers with its axes laid out in memory in a drawn order (Tensor() keeps the layout it is given)."""
    def laid_out(order: list) -> np.ndarray:
        return np.ascontiguousarray(a.transpose(order)).transpose(np.argsort(order))
    return st.permutations(range(a.ndim)).map(laid_out) if a.ndim > 1 else st.just(a)


def broadcastable_shapes(
    num_shapes: int = 2, min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4
) -> st.SearchStrategy[tuple]:
    """Tuples of ``num_shapes`` shapes that broadcast together, such as ((2, 1), (3,)) or ((4, 3), ()).

    >>> from hypothesis import given
    >>> @given(broadcastable_shapes(3))
    ... def test_they_broadcast(shapes):
    ...     np.broadcast_shapes(*shapes)
    >>> test_they_broadcast()
    """
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda b: b.input_shapes)


def matmul_shapes(max_dims: int = 3, min_side: int = 1, max_side: int = 4) -> st.SearchStrategy[tuple]:
    """Pairs of shapes that numpy's ``@`` accepts: vectors (1-D), matrices, and stacks of matrices whose
    stacking axes broadcast, such as ((3,), (3, 2)) or ((2, 1, 4, 3), (5, 3, 2)).

    >>> from hypothesis import given
    >>> @given(matmul_shapes())
    ... def test_they_multiply(pair):
    ...     np.zeros(pair[0]) @ np.zeros(pair[1])
    >>> test_they_multiply()
    """
    return hnp.mutually_broadcastable_shapes(
        signature=np.matmul.signature, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda b: b.input_shapes)


@st.composite
def _tensor_tuple(draw: Any, shape_strategy: st.SearchStrategy[tuple], options: dict) -> tuple:
    return tuple(draw(tensors(shape, **options)) for shape in draw(shape_strategy))


def broadcastable_tensors(num: int = 2, *, max_dims: int = 3, max_side: int = 4, **options: Any) -> st.SearchStrategy:
    """Tuples of ``num`` Tensors whose shapes broadcast together; ``options`` as for ``tensors()``."""
    return _tensor_tuple(broadcastable_shapes(num, max_dims=max_dims, max_side=max_side), options)


def matmul_tensors(*, max_dims: int = 3, max_side: int = 4, **options: Any) -> st.SearchStrategy:
    """Pairs of Tensors (a, b) for which ``a @ b`` is defined; ``options`` as for ``tensors()``."""
    return _tensor_tuple(matmul_shapes(max_dims=max_dims, max_side=max_side), options)
