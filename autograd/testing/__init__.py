"""Hypothesis strategies for property-based gradient tests: of deltagrad itself, and of your own code.

>>> from hypothesis import given
>>> from autograd import gradcheck
>>> from autograd.testing import expressions
>>> @given(expressions())
... def test_backward_agrees_with_central_differences(expression):
...     f, inputs = expression
...     assert gradcheck(f, inputs)
>>> test_backward_agrees_with_central_differences()

``floats()`` draws well-conditioned numbers, ``values()`` leaf Values, and ``expressions()`` random programs of
every Value op, each op kept inside its domain (read from ``autograd.rules``) and clear of its kinks by
construction. ``shapes()``, ``tensors()``, ``broadcastable_*`` and ``matmul_*`` do the same for Tensors.

One module per idea, each importing only the ones listed above it (and the engine), never this package:

- ``numbers``: ``floats()``, the numbers every other strategy draws;
- ``intervals``: interval arithmetic on the rules table, the range of an op over an interval;
- ``scalars``: ``values()``, ``Expression``, ``expressions()``, ``VALUE_OPS`` (the Value engine);
- ``arrays``: ``shapes()``, ``tensors()``, ``broadcastable_shapes/tensors()``, ``matmul_shapes/tensors()``.
"""

try:
    import hypothesis  # noqa: F401  (only to fail early, with a message that says what to install)
except ImportError as error:  # hypothesis is a test dependency, not a dependency of the engine
    raise ImportError(
        "autograd.testing needs hypothesis: pip install hypothesis (or pip install -e '.[dev]')"
    ) from error

from .arrays import broadcastable_shapes, broadcastable_tensors, matmul_shapes, matmul_tensors, shapes, tensors
from .numbers import floats
from .scalars import BOUND, CLEAR, MARGIN, MAX_RADIUS, VALUE_OPS, Expression, expressions, values

__all__ = [
    "floats",
    "values",
    "expressions",
    "Expression",
    "VALUE_OPS",
    "BOUND",
    "MARGIN",
    "CLEAR",
    "MAX_RADIUS",
    "shapes",
    "tensors",
    "broadcastable_shapes",
    "broadcastable_tensors",
    "matmul_shapes",
    "matmul_tensors",
]
