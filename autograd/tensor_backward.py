"""The backward pass of the Tensor engine, and the one helper that undoes broadcasting."""

from __future__ import annotations

import numpy as np

from . import graph
from .graph import mode

_ndarray = np.ndarray
# Below this many entries, copying a gradient costs less than proving that it may be kept without a copy.
_SMALL = 4096


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting added or stretched, so that it has ``shape``.

    If x of shape (3,) was broadcast to (2, 3), each x_j was used twice: dL/dx_j = sum_i dL/dout_ij.

    >>> unbroadcast(np.ones((2, 3)), (3,))
    array([2., 2., 2.])
    >>> unbroadcast(np.ones((2, 3)), (2, 1))
    array([[3.],
           [3.]])
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1)
    return grad.sum(axis=axes).reshape(shape)


def backpropagate(order: list, root: object, seed: np.ndarray, owned: bool) -> None:
    """Run every vjp once, from ``root`` back, and add the gradients that reach leaves into their ``.grad``.

    ``order`` is ``graph.topological_order(root)``. The gradients of intermediate results live in ``buffers``
    (id -> (array, owned)) and are dropped as soon as their node's vjp has used them. "Owned" means that no
    other buffer, leaf or caller can see the array: a leaf may then keep it as its ``.grad`` without a copy,
    and a second contribution may be added into it in place.
    """
    from .tensor import nonfinite

    check = mode.anomaly
    buffers: dict = {id(root): (seed, owned)}
    for node in reversed(order):
        entry = buffers.pop(id(node), None)
        if entry is None:  # no gradient reaches it (an input that does not require grad)
            continue
        g, owned = entry
        if not node._parents:
            if node.requires_grad:
                if node.grad is None:
                    node.grad = g if owned else g.copy()
                else:
                    node.grad += g
            continue
        if node._retain:
            node.grad, owned = (g if owned else g.copy()), False
        grads = node._vjp(g)
        views = None
        if g.size >= _SMALL:
            # A gradient that views g may be kept only if g was owned and no other parent got a view of it;
            # one that does not view g is new, unless read-only (a broadcast).
            views = [pg is not None and np.may_share_memory(pg, g) for pg in grads]
            keep = owned and views.count(True) == 1
        for i, (parent, pg) in enumerate(zip(node._parents, grads)):
            if pg is None or not parent.requires_grad:
                continue
            if type(pg) is not _ndarray:
                pg = np.asarray(pg)
            mine = views is not None and pg.flags.writeable and (keep if views[i] else True)
            pdata = parent.data
            if pg.shape != pdata.shape:
                pg, mine = unbroadcast(pg, pdata.shape), True
            if pg.dtype != pdata.dtype:
                pg, mine = pg.astype(pdata.dtype), True
            if check and not np.isfinite(pg).all():
                raise graph.backward_anomaly(node, i, nonfinite(pg))
            key = id(parent)
            earlier = buffers.get(key)
            if earlier is None:
                buffers[key] = (pg, mine)
            elif earlier[1]:
                total = earlier[0]
                total += pg
            else:
                buffers[key] = (earlier[0] + pg, True)
