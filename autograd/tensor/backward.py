"""The backward pass of the Tensor engine, and the one helper that undoes broadcasting."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import Any

import numpy as np

from .. import graph
from ..graph import mode
from .checks import holds_floats, nonfinite, not_float

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
    return np.asarray(grad.sum(axis=axes)).reshape(shape)  # a full sum gives a numpy scalar, not an array


class Gradient(np.ndarray):
    """A leaf's ``.grad``: a numpy array (it prints, computes and compares as one) with PyTorch's ``zero_()``, so
    that ``w.grad.zero_()`` fills it with zeros in place. It adds no Python code to numpy's arithmetic (results
    computed from it keep the class, at C speed).

    >>> from autograd import Tensor
    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> (w * w).sum().backward(); w.grad
    array([2., 4.])
    >>> w.grad.zero_()
    array([0., 0.])

    ``w.zero_grad()`` (``.grad`` back to None) and ``w.grad[...] = 0`` work too; the next ``backward()`` adds
    into the zeros. A ``.grad`` you assign yourself stays what you assigned.

    What is computed from it is a plain array (``0.5 * w.grad``, ``np.exp(w.grad)``; a sum is a number), as is
    what a Tensor op computes: numpy makes no ``Gradient`` for a result, and an arithmetic op on a plain array
    costs less than on a subclass (an optimizer's ``w -= lr * w.grad`` does two of them per parameter). In-place
    updates (``w.grad += g``), copies, views and reshapes of it stay ``Gradient``.
    """

    __slots__ = ()  # no __dict__: a Gradient is an ndarray and its zero_()
    # numpy's scalar priority: when a number or a plain array meets a Gradient in a ufunc (lr * w.grad,
    # w.data - w.grad), numpy's own plain result is returned without calling __array_wrap__ below; and nothing
    # is deferred to that it would not defer to from a plain array (a list, a number).
    __array_priority__ = -1000000.0

    def __array_wrap__(self, arr: np.ndarray, context: object = None, return_scalar: bool = False) -> Any:
        """What numpy computed, as it is: a plain array (the Gradient itself when it was the ``out=`` array), a
        number for a reduction to one number. (``__array_wrap__ = None`` would skip this call in ufuncs, but
        ``np.linalg`` calls it: ``np.linalg.solve(H, w.grad)`` would fail.)"""
        return arr[()] if return_scalar else arr

    def zero_(self) -> Gradient:
        """Every entry set to 0, in place (as ``torch.Tensor.zero_``); returns the array itself."""
        self.fill(0)
        return self

    @property
    def data(self) -> Gradient:  # type: ignore[override]
        """The array itself, as PyTorch's ``w.grad.data`` is the same numbers in the same memory: so that the
        courses' ``x.grad.data.zero_()`` and ``w -= lr * w.grad.data`` run (an ndarray's own ``.data`` is a
        memoryview of its bytes, which has neither ``zero_`` nor arithmetic)."""
        return self

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))



class _Versions:
    """Stamps, as PyTorch's version counters and sequence numbers: every node is stamped when made (``_born``) and
    every change of a Tensor in place (``w -= ...`` inside ``no_grad()``, an optimizer's step) stamps the Tensor
    (``_changed``). The stamps only grow, so a node is always stamped after its parents: the latest made comes
    first in a backward pass (``order``), and a parent stamped as changed after its child was born was changed
    after the graph read it."""

    __slots__ = ("last",)

    def __init__(self) -> None:
        self.last = 0  # the stamp of the latest change in place (0: none yet)

    def changed(self, *tensors: object) -> None:
        """Record that each of ``tensors`` was changed in place now (one stamp: no node is made in between), and
        so the Tensor it shares its array with through ``detach()`` (its ``_source``, which every such Tensor
        reads in ``_check_unchanged``)."""
        self.last = stamp = next_stamp()
        for t in tensors:
            t._changed = stamp  # type: ignore[attr-defined]
            if getattr(t, "_source", None) is not None:  # a parameter made by Tensor() has None: nothing shared
                source = _shared_source(t)
                if source is not None:
                    source._changed = stamp


def _shared_source(t: Any) -> Any:
    """The live Tensor that ``t`` (a ``detach()``, a ``copy.copy`` or a view) still shares its array with, or
    None."""
    ref = getattr(t, "_source", None)
    source = ref() if ref is not None else None
    if source is None or source is t:
        return None
    data, mine = source.data, t.data
    if data is mine:
        return source
    owner = mine.base                                  # a view: of the source's array, or of what that views
    return source if owner is not None and (owner is data or owner is data.base) else None


next_stamp = itertools.count(1).__next__  # a C call: each node made takes one
versions = _Versions()


def _check_unchanged(node: object, parents: tuple) -> None:
    """Raise if a parent leaf of ``node`` was changed in place after ``node`` was made from it."""
    born = node._born  # type: ignore[attr-defined]
    for i, parent in enumerate(parents):
        source = _shared_source(parent)   # a detach() of it: the array's changes are stamped there
        shared = source is not None and getattr(source, "_changed", 0) > born
        if shared or getattr(parent, "_changed", 0) > born:
            raise RuntimeError(
                f"backward(): {_who(parent)} (parent #{i} of the {node.op!r} node) was changed in place after the "  # type: ignore
                f"forward pass used it, so its gradient would be computed from the new numbers, not the ones "
                f"the graph saw. Call backward() before updating parameters (optimizer.step() after "
                f"loss.backward()), or recompute the forward pass after the change"
            )


_born = attrgetter("_born")


def order(root: object) -> list:
    """The nodes ``root`` depends on that have parents (``root`` among them), latest made first: a reverse
    topological order, as ``reversed(graph.topological_order(root))`` without its leaves, found by a plain walk
    and a sort by the stamps (a node is made after its parents). Leaves need no turn: their children hand them
    their gradients."""
    seen = {root}
    ops = [root]
    for node in ops:                                                    # ops grows as the walk goes on
        for parent in node.parents:  # type: ignore[attr-defined]
            if parent.parents and parent not in seen:                   # leaves are not walked, nor listed
                seen.add(parent)
                ops.append(parent)
    ops.sort(key=_born, reverse=True)
    return ops


def backpropagate(order: list, root: object, seed: np.ndarray, owned: bool) -> None:
    """Run every vjp once, from ``root`` back, and add the gradients that reach leaves into their ``.grad``.

    ``order`` is ``order(root)``: the nodes with parents, latest made first. The gradients of intermediate
    results live in ``buffers`` (id -> (array, owned)) and are dropped as soon as their node's vjp has used
    them. "Owned" means that no other buffer, leaf or caller can see the array: a leaf may then keep it as its
    ``.grad`` without a copy, and a second contribution may be added into it in place.
    """
    check = not mode.fast and mode.anomaly  # fast: no switch is active anywhere, so anomaly checks are off
    last = versions.last  # a vjp changes nothing in place: this stands still during the sweep
    # Keyed by the node itself: Tensors hash by identity, and no two live nodes share one.
    buffers: dict = {root: (seed, owned)}
    pop = buffers.pop
    for node in order:
        entry = pop(node, None)
        if entry is None:  # no gradient reaches it
            continue
        g, owned = entry
        if node._born < last:  # something was changed in place since this node was made
            _check_unchanged(node, node.parents)
        if node._retain:
            node.grad, owned = (g if owned else g.copy()).view(Gradient), False
        vjp = node.vjp
        if owned and getattr(vjp, "in_place", False):  # it may work in g's memory (linear: g *= act'(z))
            grads = vjp(g, True)
            owned = False                              # g has been used up: no parent may keep it as its own
        else:
            grads = vjp(g)
        # exact: the op vouches that each gradient is a new array of its parent's shape and dtype (see make())
        mine = exact = not check and getattr(vjp, "exact", False)
        for parent, pg in zip(node.parents, grads):
            if pg is None or not parent.requires_grad:
                continue
            if not exact:
                pg, mine = _as_gradient_of(parent, pg, g, owned, grads)
                if check and not np.isfinite(pg).all():
                    raise graph.backward_anomaly(node, [p is parent for p in node.parents].index(True),
                                                 nonfinite(pg))
            if not parent.parents:
                if parent.grad is None:
                    parent.grad = (pg if mine else pg.copy()).view(Gradient)
                else:
                    was_finite = check and np.isfinite(parent.grad).all()
                    _add_into(parent, pg)
                    if was_finite and not np.isfinite(parent.grad).all():  # finite parts, an inf sum: born here
                        raise graph.accumulation_anomaly(parent, nonfinite(parent.grad))
                continue
            earlier = buffers.get(parent)
            if earlier is None:
                buffers[parent] = (pg, mine)
                continue
            if earlier[1]:
                total = earlier[0]
                total += pg
            else:
                total = earlier[0] + pg
                buffers[parent] = (total, True)
            if check and not np.isfinite(total).all():  # both parts were checked finite: the sum overflowed
                raise graph.accumulation_anomaly(parent, nonfinite(total))


def _as_gradient_of(parent: object, pg: Any, g: np.ndarray, owned: bool, grads: tuple) -> tuple[np.ndarray, bool]:
    """A vjp's gradient ``pg`` for ``parent`` as an array of the parent's shape and dtype, and whether it is
    "mine": an array that nobody else can see (so a leaf may keep it as its ``.grad`` without a copy). ``g`` is
    the gradient the vjp was given, ``owned`` whether it was the backward pass's own, ``grads`` all it returned."""
    if type(pg) is not _ndarray:
        pg = np.asarray(pg)
    if pg is not g and pg.base is None:
        mine = True  # a new array
    elif pg.size < _SMALL or not pg.flags.writeable:
        mine = False  # a small view (copying it is cheap) or a broadcast
    elif not np.may_share_memory(pg, g):
        mine = True  # a view of a new array, e.g. a transposed product
    else:  # g or a view of it: kept only if g was owned and no other parent got a view of g too
        mine = owned and sum(q is not None and np.may_share_memory(q, g) for q in grads) == 1
    pdata = parent.data  # type: ignore[attr-defined]
    if pg.shape != pdata.shape:
        pg, mine = unbroadcast(pg, pdata.shape), True
    if pg.dtype is not pdata.dtype and pg.dtype != pdata.dtype:
        if not holds_floats(pdata.dtype):  # a .data replaced by ints: the cast would truncate the gradient
            raise not_float(pdata.dtype, "backward()", _who(parent))
        pg, mine = pg.astype(pdata.dtype), True
    return pg, mine


def _who(t: Any) -> str:
    """A Tensor as error messages name it: by its name, else by its shape."""
    name = getattr(t, "name", None)
    return f"the Tensor {name!r}" if name else f"a Tensor of shape {t.data.shape}"


def accumulate(leaf: object, g: np.ndarray, owned: bool) -> None:
    """leaf.grad += g, where a first gradient is kept as it is when nobody else can see it."""
    if leaf.grad is None:
        leaf.grad = (g if owned else g.copy()).view(Gradient)
        return
    _add_into(leaf, g)


def _add_into(leaf: Any, g: np.ndarray) -> None:
    """leaf.grad += g, a second gradient (or a later one) added to the one it holds."""
    grad = leaf.grad
    # backward() makes a .grad of the gradient's dtype and shape; one assigned by hand may differ, and += would
    # broadcast into it, or keep it complex or made of Python objects: checked before it is added into
    try:
        fits = grad.dtype is g.dtype and grad.shape == g.shape
    except AttributeError:                                  # a list, a number: no dtype
        fits = False
    if not fits:
        problem = unfit_grad(grad, g.shape)
        if problem is not None:
            raise _assigned_grad_error(leaf, g, problem)
    try:
        leaf.grad += g
    except (AttributeError, TypeError, ValueError):
        raise _assigned_grad_error(leaf, g) from None


def unfit_grad(grad: Any, shape: tuple) -> tuple[str, type] | None:
    """Why ``grad`` (a ``.grad`` assigned by hand) cannot be a gradient of a Tensor of ``shape`` (what it is, and
    the error to raise), or None if it can: an array of that shape holding float32 or float64 numbers, writeable,
    or a Tensor of such numbers (a gradient with a graph, from ``backward(create_graph=True)``).

    >>> unfit_grad(np.zeros(1), (3,))
    ('has shape (1,) but the Tensor has shape (3,)', <class 'ValueError'>)
    >>> unfit_grad(np.zeros(3), (3,)) is None
    True
    """
    data = grad
    if not isinstance(grad, np.ndarray) and hasattr(grad, "parents"):          # a Tensor: its numbers
        data = getattr(grad, "data", None)
    if not isinstance(data, np.ndarray):
        return f"is {_a(type(grad).__name__)}, not an array", TypeError
    if data.shape != shape:
        return f"has shape {data.shape} but the Tensor has shape {shape}", ValueError
    if not holds_floats(data.dtype):
        return f"has dtype {data.dtype}, not float64 or float32", TypeError
    if data is grad and not grad.flags.writeable:                              # += writes into it
        return "is read-only", ValueError
    return None


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _assigned_grad_error(leaf: Any, g: np.ndarray, problem: tuple[str, type] | None = None) -> Exception:
    """The error for a leaf whose ``.grad``, assigned by hand, cannot take the gradient ``g`` added into it."""
    held, error = problem or unfit_grad(leaf.grad, g.shape) or (
        f"holds {leaf.grad.dtype} numbers, into which the gradient ({g.dtype}) cannot be added", TypeError)
    return error(f"backward(): the .grad of {_who(leaf)} {held}: it was assigned by hand. Set it to None "
                 f"(t.zero_grad()) or to an array of shape {g.shape} and a float dtype, then call backward() again")


# --- gradients without .grad, and the backward pass as a graph (create_graph=True) -----------------------------

class _Roots:
    """A stand-in node whose parents are several outputs, so that one topological order covers them all."""

    __slots__ = ("parents",)

    def __init__(self, roots: Sequence) -> None:
        self.parents = tuple(roots)


def gradients(roots: Sequence, seeds: Sequence, create_graph: bool) -> dict:
    """dL/d(node) for every node the roots depend on, L = sum_k sum(seeds[k] * roots[k]), keyed by node; no
    ``.grad`` is touched. Arrays when ``create_graph`` is False; else Tensors made by Tensor ops (the seeds are
    Tensors then), recorded even inside ``no_grad()``, so that they can be differentiated again.

    >>> from autograd import Tensor
    >>> x = Tensor([1.0, 2.0], requires_grad=True); y = (x * x).sum()
    >>> gradients([y], [np.ones(())], create_graph=False)[x]
    array([2., 4.])
    """
    order = graph.topological_order(_Roots(roots))
    order.pop()                                                        # the stand-in
    grads: dict = {}
    for root, seed in zip(roots, seeds):
        if create_graph and seed.data.dtype != root.data.dtype:
            # the first-order pass takes the seed in the root's dtype: the same digits here, differentiably
            from .vjp_graph import cast
            seed = cast(seed, root.data.dtype)
        grads[root] = grads[root] + seed if root in grads else seed
    with np.errstate(divide="ignore", invalid="ignore"):
        if not create_graph:
            _sweep_into(order, grads, False)
        else:
            with graph.recording():                                    # create_graph records, as in PyTorch
                _sweep_into(order, grads, True)
    return grads


def _sweep_into(order: list, grads: dict, as_nodes: bool) -> None:
    """The chain rule into ``grads`` (node -> dL/d(node)), nodes in reverse order: with the vjps' arrays, or, for
    create_graph, with their rebuilt Tensor forms (``vjp_graph``), so that each gradient is itself a graph. In
    anomaly mode the arrays are checked as they are made (each vjp runs once); the Tensor forms are checked ahead,
    on numbers (``_checked``)."""
    if as_nodes:
        from .vjp_graph import cast, vjp_as_nodes  # Tensor ops: imported when needed
        from .vjp_graph import unbroadcast as fit_shape
    else:
        fit_shape, cast = unbroadcast, np.ndarray.astype
    get = grads.get
    anomaly = not mode.fast and mode.anomaly                           # read once a call, not once a node
    check = anomaly and not as_nodes                                   # the arrays themselves, here
    for node in _checked(order, grads) if anomaly and as_nodes else reversed(order):
        parents = node.parents
        g = get(node)
        if g is None or not parents:
            continue
        if node._born < versions.last:
            _check_unchanged(node, parents)
        for i, (parent, pg) in enumerate(zip(parents, vjp_as_nodes(node, g) if as_nodes else node.vjp(g))):
            if pg is None or not parent.requires_grad:
                continue
            if not as_nodes:
                pg = np.asarray(pg)
            value = pg.data if as_nodes else pg
            shape, dtype = parent.data.shape, parent.data.dtype
            if value.shape != shape:
                pg = fit_shape(pg, shape)
            if value.dtype != dtype:
                if not holds_floats(dtype):                            # as in _as_gradient_of
                    raise not_float(dtype, "grad", _who(parent))
                pg = cast(pg, dtype)
            if check and not np.isfinite(pg).all():                    # (after the cast: 1e300 is inf in float32)
                raise graph.backward_anomaly(node, i, nonfinite(pg))
            earlier = get(parent)
            if earlier is None:
                grads[parent] = pg
                continue
            grads[parent] = total = earlier + pg                       # never in place: pg may be a view of g
            if check and not np.isfinite(total).all():                 # finite parts, an inf sum: born here
                raise graph.accumulation_anomaly(parent, nonfinite(total))


def _checked(order: list, grads: dict) -> Iterator:
    """``reversed(order)`` for ``_sweep_into`` with create_graph in anomaly mode: before the sweep takes a node, its
    vjp is run on the numbers and the sweep's sums are made ahead, raising where a NaN or inf is born with the op
    that made it, as ``backpropagate`` does. The sweep builds these numbers as Tensor ops, whose own forward check
    would blame a node of the gradient's graph ("'*' node produced inf in the forward pass"), not the op."""
    for node in reversed(order):
        parents = node.parents
        g = grads.get(node)
        if g is not None and parents:
            if node._born < versions.last:
                _check_unchanged(node, parents)                        # that error first, not one of the new numbers
            sums: dict = {}                                            # a parent may come twice (x * x)
            for i, (parent, pg) in enumerate(zip(parents, node.vjp(g.data))):
                if pg is None or not parent.requires_grad:
                    continue
                pg = np.asarray(pg)
                if pg.shape != parent.data.shape:
                    pg = unbroadcast(pg, parent.data.shape)
                if pg.dtype != parent.data.dtype:                      # float64 1e300 is inf as a float32 gradient
                    pg = pg.astype(parent.data.dtype)
                if not np.isfinite(pg).all():
                    raise graph.backward_anomaly(node, i, nonfinite(pg))
                earlier = sums[parent] if parent in sums else grads.get(parent)
                if earlier is not None:
                    pg = earlier.data + pg
                    if not np.isfinite(pg).all():                      # finite parts, an inf sum: born here
                        raise graph.accumulation_anomaly(parent, nonfinite(pg))
                sums[parent] = pg
        yield node


def check_sum(leaf: object, earlier: Any, g: Any) -> None:
    """In anomaly mode: raise if a leaf's finite ``.grad`` and a finite new gradient add up to NaN or inf."""
    problem = unfit_grad(earlier, leaf.data.shape)  # type: ignore[attr-defined]
    if problem is not None:                         # a .grad assigned by hand: np.isfinite would fail on it
        raise _assigned_grad_error(leaf, g if isinstance(g, np.ndarray) else g.data, problem)
    # a Tensor's numbers, or an array itself (an ndarray's own .data is its raw buffer, a memoryview)
    earlier, g = (x if isinstance(x, np.ndarray) else x.data for x in (earlier, g))
    if np.isfinite(earlier).all() and np.isfinite(g).all():
        with np.errstate(over="ignore"):                # the overflow is reported below, by name
            total = earlier + g
        if not np.isfinite(total).all():
            raise graph.accumulation_anomaly(leaf, nonfinite(total))


def backpropagate_graph(root: object, seed: object) -> None:
    """``backward(create_graph=True)``: every leaf that requires grad adds its gradient, a Tensor with a graph, to
    its ``.grad`` (as a Tensor); a node with ``retain_grad()`` holds this pass's gradient."""
    # one switch for the sweep and the sums into .grad (gradients()' own is then a no-op): inside no_grad()
    # g + leaf.grad was a constant, and its graph was lost, silently
    with graph.recording():
        _keep_graph_gradients(gradients([root], [seed], create_graph=True))


def _keep_graph_gradients(grads: dict) -> None:
    """Each leaf's gradient from ``grads`` added to its ``.grad`` (a recorded sum), and each retained node's kept,
    as ``backpropagate_graph`` says."""
    check = not mode.fast and mode.anomaly
    for node, g in grads.items():
        if not node.parents:
            if node.requires_grad:
                problem = None if node.grad is None else unfit_grad(node.grad, node.data.shape)
                if problem is not None:                     # g + it would broadcast, or take a list's numbers
                    raise _assigned_grad_error(node, g.data, problem)
                if check and node.grad is not None:       # the sum below is a Tensor op, whose own check would
                    check_sum(node, node.grad, g)           # blame a '+' node "in the forward pass", not this sum
                node.grad = g if node.grad is None else g + node.grad
        elif node._retain:
            node.grad = g
