"""weighted_sum: a neuron's weighted input z = b + sum_i w_i x_i as one node with many parents.

Every other Value op has one or two parents (``_unary``, ``_binary`` in value.py). This node keeps the tuple of its
parents in ``_p0``, the tuple of its partials in ``_d0``, and the marker ``_MANY`` in ``_p1``: ``backward()`` then
adds ``partial * grad`` into each parent in turn.
"""

from __future__ import annotations

from collections.abc import Sequence

from .graph import mode
from .value import _MANY, Number, Value, _record_slowly
from .value_checks import constant

_new = object.__new__


def weighted_sum(weights: Sequence[Value | Number], inputs: Sequence[Value | Number],
                 bias: Value | Number = 0.0) -> Value:
    """z = b + sum_i w_i x_i as one node: a neuron's weighted input, with d z/d w_i = x_i, d z/d x_i = w_i, d z/d b = 1.

    The same number as ``b + w[0] * x[0] + w[1] * x[1] + ...``, but one node instead of two per term: less to
    build, walk and collect, and one box per neuron in a drawing. Weights, inputs and bias may each be Values or
    plain numbers (a number is a constant, not a parent).

    >>> w, x = [Value(2.0), Value(-1.0)], [Value(3.0), 4.0]
    >>> z = weighted_sum(w, x, bias=Value(0.5))      # 0.5 + 2*3 + (-1)*4
    >>> z.backward(); z.data, w[0].grad, x[0].grad, w[1].grad
    (2.5, 3.0, 2.0, 4.0)
    """
    try:
        mismatch = len(weights) != len(inputs)
    except TypeError:
        odd = inputs if hasattr(weights, "__len__") else weights
        raise TypeError(
            f"weighted_sum: weights and inputs must be lists (or tuples, arrays) of Values or numbers, "
            f"got {type(odd).__name__}; wrap a generator in list(...)"
        ) from None
    if mismatch:
        raise ValueError(f"weighted_sum: {len(weights)} weights for {len(inputs)} inputs; give one weight per input")
    parents: list = []
    partials: list = []
    if isinstance(bias, Value):
        total = bias.data
        parents.append(bias)
        partials.append(1.0)                                            # dz/db = 1
    else:
        total = constant(bias, "weighted_sum")
    for w, x in zip(weights, inputs):
        w_is_node, x_is_node = isinstance(w, Value), isinstance(x, Value)
        wd = w.data if w_is_node else constant(w, "weighted_sum")
        xd = x.data if x_is_node else constant(x, "weighted_sum")
        total += wd * xd
        if w_is_node:
            parents.append(w)
            partials.append(xd)                                         # dz/dw_i = x_i
        if x_is_node:
            parents.append(x)
            partials.append(wd)                                         # dz/dx_i = w_i
    out = _new(Value)
    out.data = total
    out.grad = 0.0
    out.op = "weighted_sum"
    out._d0 = tuple(partials)
    if not parents:  # only numbers: a constant
        out._p0 = out._p1 = None
        return out
    if mode.fast:
        out._p0, out._p1 = tuple(parents), _MANY
        return out
    return _record_slowly(out, tuple(parents), _MANY)
