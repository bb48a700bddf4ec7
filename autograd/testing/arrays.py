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

import functools
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
    _check_sizes("shapes", min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def _check_sizes(where: str, **sizes: int) -> None:
    """Refuse negative sizes and a min above its max now, by name: hypothesis would only refuse them at the first
    draw, inside the user's test, with its own names for them."""
    for key, n in sizes.items():
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"{where}: {key} must be a whole number >= 0, got {n!r}")
    for low, high in (("min_dims", "max_dims"), ("min_side", "max_side")):
        if low in sizes and high in sizes and sizes[low] > sizes[high]:
            raise ValueError(f"{where}: {low}={sizes[low]} is more than {high}={sizes[high]}")
    if where in ("matmul_shapes", "broadcastable_shapes") and sizes.get("max_side", 1) < 1:
        raise ValueError(f"{where}: max_side must be >= 1, got {sizes['max_side']}")
    most = 30 if where == "matmul_shapes" else 32  # hypothesis' limit, the 2 axes of the matrices counted for @
    if sizes.get("max_dims", 0) > most:
        raise ValueError(f"{where}: max_dims must be <= {most} (hypothesis draws at most 32 axes), "
                         f"got {sizes['max_dims']}")


def _dtype(dtype: Any) -> np.dtype:
    """``dtype`` as a numpy dtype, if a Tensor holds it (float64 or float32); refused by name otherwise."""
    try:
        kind = np.dtype(dtype)
    except TypeError:
        kind = None
    if kind is None or kind not in (np.dtype(np.float64), np.dtype(np.float32)):  # (numpy reads None as float64)
        raise TypeError(f"tensors: dtype {dtype!r} is not one a Tensor holds; use np.float64 (default) or np.float32")
    return kind


def _elements(dtype: Any, min_value: float, max_value: float, away_from_zero: float) -> st.SearchStrategy[float]:
    """Finite floats of ``dtype`` in [min_value, max_value] (no NaN, inf or subnormal) with |x| >= away_from_zero."""
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return floats(min_value, max_value, away_from_zero=away_from_zero, width=width)


_DEFAULT_BOUNDS = {"min_value": -2.0, "max_value": 2.0, "away_from_zero": 0.0}   # tensors()' own defaults


def tensors(
    shape: int | tuple | st.SearchStrategy[tuple] | None = None,
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
    """Leaf Tensors of ``shape`` (a tuple or an int, a strategy of tuples, or None for ``shapes()``) and ``dtype``.

    The entries come from ``elements`` (then a bound other than its default is refused: it would be ignored), or
    else are finite floats in [min_value, max_value] at least ``away_from_zero`` from 0 (keep relu and abs clear
    of their kink). ``unique=True`` draws distinct entries (no ties for max and min; compared as ``dtype`` holds them),
    not entries apart: 0 and 1e-294 are distinct, yet a tie of max within gradcheck's eps; for a gradient check of
    max or min draw them on a grid, ``elements=st.integers(-200, 200).map(lambda i: i / 100)``.
    ``any_layout`` (the default) draws the order of the axes in memory too: C order, Fortran order, or another,
    as a transposed array has them; the numbers are the same, and an op must not depend on it
    (``any_layout=False``: C order only).

    >>> from hypothesis import given
    >>> @given(tensors(shape=(2, 3), min_value=0.5))
    ... def test_log_is_defined(t):
    ...     assert t.log().shape == (2, 3)
    >>> test_log_is_defined()
    """
    dtype = _dtype(dtype)
    if elements is None:
        elements = _elements(dtype, min_value, max_value, away_from_zero)
    else:  # the bounds would be ignored: a test that believes its entries >= min_value would run on others
        bounds = {"min_value": min_value, "max_value": max_value, "away_from_zero": away_from_zero}
        passed = {key: v for key, v in bounds.items() if v != _DEFAULT_BOUNDS[key]}
        if passed:
            raise TypeError(f"tensors: elements draws the entries, so {passed} would be ignored; bound the elements "
                            "strategy itself, or leave elements out")
        if unique and dtype == np.float32:  # hypothesis compares the drawn numbers before the cast: 0.1 and
            elements = elements.map(_as_float32)   # 0.1 + 1e-12 were "unique", and one float32 in the Tensor
    if shape is None:
        shape = shapes()
    elif isinstance(shape, (int, np.integer, list, tuple)) and not isinstance(shape, bool):
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)   # as numpy reads a shape
        _check_sizes("tensors", **{f"shape[{i}]": n for i, n in enumerate(shape)})
    # One array strategy per shape, kept: a shape drawn again reuses it (hypothesis checks every new strategy object
    # at its first draw, and hnp.arrays given a strategy of shapes built a new one at every draw)
    arrays_of = functools.lru_cache(maxsize=256)(
        functools.partial(hnp.arrays, dtype, elements=elements, unique=unique))
    return _leaf_tensors(shape, arrays_of, any_layout, {"requires_grad": requires_grad, "dtype": dtype,
                                                        "name": name or None})


def _as_float32(x: float) -> float:
    """``x`` as the float32 a Tensor would hold (a Python float: hypothesis compares these for ``unique``)."""
    return float(np.float32(x))


@functools.cache
def _axis_orders(ndim: int) -> st.SearchStrategy[list]:
    """The orders in which ``ndim`` axes may lie in memory (one strategy per ndim, reused)."""
    return st.permutations(range(ndim))


@st.composite
def _leaf_tensors(draw: Any, shape: tuple | st.SearchStrategy[tuple], arrays_of: Any, any_layout: bool,
                  options: dict) -> Tensor:
    """A shape (if ``shape`` is a strategy), the array of it, then the order of its axes in memory (if
    ``any_layout`` and it has two or more): the draws of ``hnp.arrays(dtype, shape).flatmap(a layout).map(Tensor)``,
    one after the other in one composite. Each ``.map`` and ``.flatmap`` wrapped those in spans of their own, and
    hypothesis' cost per draw is mostly per span: the same numbers, shapes and layouts came out slower."""
    if isinstance(shape, st.SearchStrategy):
        shape = draw(shape)
    a = draw(arrays_of(tuple(shape) if isinstance(shape, list) else shape))   # (a list is no key of the cache)
    if any_layout and a.ndim > 1:   # (Tensor() keeps the layout it is given)
        order = draw(_axis_orders(a.ndim))
        a = np.ascontiguousarray(a.transpose(order)).transpose(np.argsort(order))
    return Tensor(a, **options)


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
    if isinstance(num_shapes, bool) or not isinstance(num_shapes, (int, np.integer)) or num_shapes < 1:
        raise ValueError(f"broadcastable_shapes: num_shapes must be a whole number >= 1, got {num_shapes!r}")
    _check_sizes("broadcastable_shapes", min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)
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
    _check_sizes("matmul_shapes", max_dims=max_dims, min_side=min_side, max_side=max_side)
    return hnp.mutually_broadcastable_shapes(
        signature=np.matmul.signature, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda b: b.input_shapes)


@st.composite
def _tensor_tuple(draw: Any, shape_strategy: st.SearchStrategy[tuple], options: dict) -> tuple:
    return tuple(draw(tensors(shape, **options)) for shape in draw(shape_strategy))


def _check_options(where: str, options: dict) -> None:
    """Build one ``tensors()`` with ``options`` now, so that an unknown or bad option is refused here, by name."""
    if "shape" in options:
        raise TypeError(f"{where}: the shapes are drawn here; pass max_dims and max_side, not shape")
    try:
        tensors((), **options)
    except TypeError as error:
        raise TypeError(f"{where}: {error}") from None
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def broadcastable_tensors(num: int = 2, *, max_dims: int = 3, max_side: int = 4, **options: Any) -> st.SearchStrategy:
    """Tuples of ``num`` Tensors whose shapes broadcast together; ``options`` as for ``tensors()``."""
    _check_options("broadcastable_tensors", options)
    return _tensor_tuple(broadcastable_shapes(num, max_dims=max_dims, max_side=max_side), options)


def matmul_tensors(*, max_dims: int = 3, max_side: int = 4, **options: Any) -> st.SearchStrategy:
    """Pairs of Tensors (a, b) for which ``a @ b`` is defined; ``options`` as for ``tensors()``."""
    _check_options("matmul_tensors", options)
    return _tensor_tuple(matmul_shapes(max_dims=max_dims, max_side=max_side), options)
