"""The core of the Tensor: its data and graph slots, the node constructor every op ends in, and backward().

A Tensor op computes its result with numpy and keeps, beside it, a vector-Jacobian product (vjp): a function from
the gradient of the result, dL/d(out), to one gradient per parent, dL/d(parent) = J^T dL/d(out). For one element,
out = f(x), that is dL/dx = f'(x) dL/dout, so most vjps are one multiplication by a rule of ``autograd.rules``.

The class ``Tensor`` (``autograd/tensor/__init__.py``) is this core and one mixin class per concept: arithmetic,
functions, reductions, shape, and numpy interop. Each mixin module imports only this one; ``make`` creates results
of the assembled class, which ``bind`` tells it once it exists.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, Union

import numpy as np

from .. import graph
from ..checks import flag, label_text
from ..graph import mode
from .backward import _shared_source, accumulate, backpropagate, backpropagate_graph, check_sum, next_stamp, order
from .checks import as_data, constant, holds_floats, nonfinite, not_float

ArrayLike = Union["TensorCore", np.ndarray, float, int, Sequence]
T = TypeVar("T", bound="TensorCore")

_new = object.__new__
_ndarray = np.ndarray
_result_class: type = object  # the assembled Tensor class, once bind() has run


def bind(cls: type) -> None:
    """Make ``cls`` (the Tensor class assembled from the mixins) the class of every op's result."""
    global _result_class
    _result_class = cls


# --- the node constructor: every op ends here ---------------------------------------------------------------

def make(data: Any, parents: tuple, vjp: Callable, op: str) -> Any:
    """A new result node. It requires grad iff a parent does; otherwise it records nothing (a constant).

    ``vjp(g)`` returns one gradient per parent (None where a parent needs none): new arrays or views of g,
    never one array twice. It must not refer to the result Tensor itself (that would make a reference cycle
    and keep graphs alive until the garbage collector runs); it may keep the result's array.

    Two flags on ``vjp`` let backward() do less. ``vjp.in_place = True``: it accepts ``vjp(g, True)``, meaning
    nobody else sees g, so it may work in g's memory. ``vjp.exact = True``: every gradient it returns is a new
    array of its parent's shape and dtype that nobody else holds, so backward() takes it as it is (no checks
    for views, broadcasting or dtype; a leaf keeps it as its ``.grad``). Anomaly mode checks it all the same.
    """
    if type(data) is not _ndarray:  # numpy returns scalars, not 0-d arrays, from ops on 0-d arrays
        data = np.asarray(data)
    out = _new(_result_class)
    out.data = data
    out.grad = None
    out.op = op
    out._retain = False
    out._born = next_stamp()  # after its parents': backward()'s order, and the check of changes in place
    if data.base is not None:  # a view (a slice, reshape, transpose, expand) of a parent's array: its changes
        _link_view(out, parents)  # in place are the view's, as PyTorch's views share their base's version counter
    if mode.fast:
        for p in parents:
            if p.requires_grad:
                out.requires_grad = True
                out.parents = parents
                out.vjp = vjp
                return out
        out.requires_grad = False
        out.parents = ()
        out.vjp = None
        return out
    return _record_slowly(out, parents, vjp)


def _record_slowly(out: Any, parents: tuple, vjp: Callable) -> Any:
    finite = not mode.anomaly or bool(np.isfinite(out.data).all())
    kept = graph.recorded_parents(out, parents, finite, lambda: (nonfinite(out.data), graph.given(parents, nonfinite)))
    if any(p.requires_grad for p in kept):
        out.requires_grad, out.parents, out.vjp = True, parents, vjp
    else:  # no_grad(), or no parent requires grad: a constant as far as the graph knows
        out.requires_grad, out.parents, out.vjp = False, (), None
    return out


def operands(items: tuple, op: str, like: np.ndarray | None = None) -> tuple[tuple, list]:
    """The Tensors among ``items`` (the parents) and every item's array; constants take ``like``'s dtype, by default
    the first Tensor's."""
    tensors = tuple(x for x in items if isinstance(x, TensorCore))
    if like is None:
        like = tensors[0].data if tensors else np.empty(0)
    if len(tensors) < len(items) and not holds_floats(like.dtype):  # a .data replaced by ints: 0.5 would be 0
        raise not_float(like.dtype, op)
    arrays = [x.data if isinstance(x, TensorCore) else np.asarray(constant(x, like, op), like.dtype) for x in items]
    return tensors, arrays


def pick(items: tuple, grads: tuple) -> tuple:
    """The gradients of the Tensor items, in order (the constants get none)."""
    return tuple(g for x, g in zip(items, grads) if isinstance(x, TensorCore))


def _compare(fn: Callable, symbol: str) -> Callable:
    """A comparison of Tensors (or a Tensor and a constant): a plain boolean array, entry by entry."""
    def compare(self: Any, other: Any) -> Any:
        return fn(self.data, _data(other))
    compare.__doc__ = (f"``t {symbol} other``: a boolean numpy array, entry by entry (numpy's broadcasting); not "
                       "differentiable (a step has derivative 0 almost everywhere), so it records nothing.")
    return compare


# --- the core of the Tensor class -----------------------------------------------------------------------------

class TensorCore:
    """What every Tensor is: an array, its gradient, and its place in the graph (the node protocol).

    Its ops come from the mixins that ``autograd.tensor.Tensor`` adds; see that class for the user's view.
    """

    __slots__ = ("data", "grad", "requires_grad", "op", "parents", "vjp", "_retain", "_name", "_scope", "_trace",
                 "_born", "_changed", "_frozen", "_source", "__weakref__")

    def __init__(self, data: ArrayLike, requires_grad: bool = False, dtype: Any = None, name: str | None = None):
        if isinstance(data, TensorCore):
            if data.parents and data.requires_grad and mode.grad_enabled:
                raise _cut_graph_error(data)
            data = data.data
        # A copy: the caller's array is never changed.
        self.data = np.array(as_data(data, dtype, "Tensor"))
        self.grad: np.ndarray | None = None
        if requires_grad is not True and requires_grad is not False:  # 'no' would be truthy: refuse, do not guess
            requires_grad = flag(requires_grad, "Tensor", "requires_grad")
        self.requires_grad = requires_grad
        self.op = ""
        self.parents: tuple = ()
        self.vjp: Callable | None = None
        self._retain = False
        self._born = self._changed = 0
        self._source = None  # set, so that detach() and versions read it without an AttributeError behind getattr
        if name is not None:
            self._name = label_text(name, "Tensor", "name")

    # --- what it holds ----------------------------------------------------------------------------------------
    shape = property(lambda self: self.data.shape, doc="The shape of ``.data``.")
    ndim = property(lambda self: self.data.ndim, doc="The number of axes.")
    dtype = property(lambda self: self.data.dtype, doc="float64 or float32.")
    size = property(lambda self: self.data.size, doc="The number of elements.")
    is_leaf = property(lambda self: not self.parents, doc="True unless computed from a Tensor that requires grad.")

    @property
    def name(self) -> str | None:
        """An optional name, shown in drawings and error messages (``label`` is the same name)."""
        try:
            return self._name
        except AttributeError:
            return None

    @name.setter
    def name(self, name: str | None) -> None:
        self._name = label_text(name, "Tensor", "name") or None

    @property
    def label(self) -> str:
        """The name, or "" (``Value``'s word for it, so that drawings read both engines alike)."""
        return self.name or ""

    @label.setter
    def label(self, name: str) -> None:
        self._name = label_text(name, "Tensor", "label")

    def item(self) -> float:
        """The one number a size-1 Tensor holds, as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item(): the Tensor has shape {self.data.shape}; only a size-1 Tensor is one number")
        return float(self.data.item())  # the array's one entry as a Python number, then a float

    def tolist(self) -> Any:
        """The numbers as nested lists of Python floats (a number for a 0-d Tensor), as ``torch.Tensor.tolist``: a
        copy, like ``item()``, so allowed on a Tensor that requires grad (nothing computed from it is recorded).

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0]], requires_grad=True).tolist()
        [[1.0, 2.0]]
        """
        return self.data.tolist()

    def numel(self) -> int:
        """The number of entries, as ``torch.Tensor.numel()`` (numpy's ``t.size``, which is a number here).

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0, 3.0]]).numel()
        3
        """
        return int(self.data.size)

    def dim(self) -> int:
        """The number of axes, as ``torch.Tensor.dim()`` (numpy's ``t.ndim``)."""
        return self.data.ndim

    def numpy(self) -> np.ndarray:
        """``.data`` itself (not a copy), as ``torch.Tensor.numpy()`` does; refused, as there, on a Tensor that
        requires grad while grad mode is on (use ``t.detach().numpy()`` or ``t.data``)."""
        if self.requires_grad and mode.grad_enabled:
            raise TypeError(
                "numpy(): this Tensor requires grad, and a plain array would drop out of the graph; "
                "use t.detach().numpy() (or t.data) for the numbers"
            )
        return self.data

    def detach(self: T) -> T:
        """The same data (shared, not copied) as a new leaf that does not require grad.

        A change in place through either Tensor is a change of both (``backward()`` then refuses a graph that read
        the array before it), as PyTorch's detach shares the version counter."""
        out = _new(type(self))
        out.data, out.grad, out.requires_grad, out.op = self.data, None, False, ""
        out.parents, out.vjp, out._retain = (), None, False
        out._born, out._changed = next_stamp(), 0
        out._source = weakref.ref(self) if self.parents else _source_of(self)   # a result's array is its own
        return out

    # --- copies and pickles ------------------------------------------------------------------------------------
    def __reduce_ex__(self, protocol: Any) -> tuple:
        # pickle: the graph comes along, ancestors first (graph.node_state), so a deep one costs no recursion. A vjp
        # is a closure, which pickle cannot store: refused by name. (copy.deepcopy has its own __deepcopy__.)
        ahead, slots, record = graph.node_state(self, _slot_names(type(self)))
        if "_source" in slots:      # a copy owns its array (its own source): no other Tensor's changes are its own,
            slots["_source"] = None  # and a view of it is linked to it, as to any leaf (see _link_view)
        if slots.get("vjp") is not None:
            slots["vjp"] = _Backward(slots["vjp"], self.op)
        return _shell, (type(self),), (ahead, slots, record)

    def __deepcopy__(self: T, memo: dict) -> T:
        """``copy.deepcopy``: the whole graph, ancestors first (so depth costs no recursion), each node once per call
        (the walk stops at the nodes the memo holds: a list of a graph's nodes is copied in linear time, where
        each node's state listed its ancestors again, as pickle must). Each copy owns its array; the vjps, functions,
        are shared.

        >>> import copy
        >>> from autograd import Tensor
        >>> x = Tensor([2.0], requires_grad=True); y = x * x; x2, y2 = copy.deepcopy([x, y])
        >>> y2.backward(); x2.grad, x.grad
        (array([4.]), None)
        """
        # a copy owns its array (its own source: None, as a leaf's, so that its views are linked to it); a vjp is
        # kept as it is
        return graph.copy_graph(self, memo, lambda node: _shell(type(node)), lambda node: _slot_names(type(node)),
                                reset=frozenset({"_source"}), share=frozenset({"vjp"}))

    def __setstate__(self, state: tuple) -> None:
        for name, value in state[1].items():
            setattr(self, name, value.vjp if type(value) is _Backward else value)
        if not hasattr(self, "_source") and not getattr(self, "parents", ()):
            self._source = None     # a leaf pickled before its source was kept as None: its own source, as now
        now = next_stamp()
        if getattr(self, "_born", 0) > now or getattr(self, "_changed", 0) > now:
            # Stamps of another process's clock (a leaf pickled there; a graph is not pickled): a change stamped
            # 10,000 there looked later than a forward pass stamped 2 here, and backward() refused the graph.
            # Nothing here has read this leaf yet: it is born now, unchanged since.
            self._born, self._changed = now, 0

    def __copy__(self: T) -> T:
        """``copy.copy``: a new node with the same array and parents (``copy.deepcopy`` copies the whole graph);
        a change in place through either is a change of both, as for ``detach()``."""
        out = _new(type(self))
        for name in _slot_names(type(self)):
            if hasattr(self, name):
                setattr(out, name, getattr(self, name))
        out._source = _source_of(self)
        return out

    def __len__(self) -> int:
        """The length of the first axis (a 0-d Tensor has none)."""
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor (a single number); use .item()")
        return len(self.data)

    def __iter__(self):
        """The rows ``t[0], t[1], ...``, each a Tensor in the graph (so a loop over rows still differentiates)."""
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d Tensor (a single number); use .item()")
        return (self[i] for i in range(len(self.data)))

    def __bool__(self) -> bool:
        """The truth of a one-number Tensor (numpy's rule: more entries raise)."""
        return bool(self.data)

    def __float__(self) -> float:
        """``float(t)``: ``t.item()``."""
        return self.item()

    def __int__(self) -> int:
        """``int(t)``: ``int(t.item())``, the one number truncated towards 0, as ``int()`` of a float (and torch)."""
        return int(self.item())

    def __format__(self, spec: str) -> str:
        """``f"{loss:.3f}"`` formats the number of a 0-d Tensor (as PyTorch does, and ``Value``); ``f"{t}"`` is
        ``str(t)``. A format for one number given a Tensor of more axes says how to get the numbers.

        >>> from autograd import Tensor
        >>> f"loss: {Tensor([1.0, 2.0], requires_grad=True).mean():.3f}"
        'loss: 1.500'
        """
        if not spec:
            return str(self)
        if self.data.ndim == 0:
            return format(self.data.item(), spec)
        raise TypeError(f"format {spec!r}: formats one number, but the Tensor has shape {self.data.shape}; format "
                        f"t.item() for a Tensor of one entry, or its numbers t.data (np.array2string(t.data, "
                        f"precision=3))")

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
    __eq__ = _compare(lambda a, b: a == b, "==")  # type: ignore[assignment]
    __ne__ = _compare(lambda a, b: a != b, "!=")  # type: ignore[assignment]
    __lt__ = _compare(lambda a, b: a < b, "<")
    __le__ = _compare(lambda a, b: a <= b, "<=")
    __gt__ = _compare(lambda a, b: a > b, ">")
    __ge__ = _compare(lambda a, b: a >= b, ">=")

    def __setitem__(self, index: Any, value: Any) -> None:
        """Refused: ``t[i] = v`` would change a node the graph already used (build a new Tensor instead)."""
        raise TypeError(
            "a Tensor cannot be changed in place (the graph would silently go wrong); build a new one, "
            "e.g. with autograd.where(mask, value, t), or change t.data outside any graph"
        )

    # --- differentiation --------------------------------------------------------------------------------------
    def backward(self, grad: ArrayLike | None = None, create_graph: bool = False, *,
                 gradient: ArrayLike | None = None, retain_graph: bool | None = None) -> None:
        """Add dL/d(leaf) to the ``.grad`` of every leaf that requires grad, where L is this Tensor.

        A Tensor that is not a single number needs ``grad``, an array of its shape (dL/d(self)): the backward
        pass then differentiates sum(self * grad). ``gradient=`` is PyTorch's name for it (either may be given,
        not both); ``retain_graph`` is accepted for PyTorch's sake and changes nothing: the graph is kept as
        long as you hold its output, so ``backward()`` may always run on it again.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> (x * x).backward(gradient=np.array([1.0, 0.5])); x.grad      # d/dx sum(g x^2) = 2 g x
        array([2., 2.])

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> (x * x).sum().backward(); x.grad              # d/dx sum x^2 = 2x
        array([2., 4., 6.])

        With ``create_graph=True`` the backward pass is recorded with Tensor ops: ``.grad`` becomes a Tensor
        with a graph, which can be differentiated again (``autograd.grad`` does so without touching ``.grad``).
        """
        if gradient is not None:
            if grad is not None:
                raise TypeError("backward(): give the output's gradient once, as grad= or as gradient= "
                                "(PyTorch's name), not both")
            grad = gradient
        if create_graph is not False and create_graph is not True:  # "False" would record the backward pass
            create_graph = flag(create_graph, "backward()", "create_graph")
        if retain_graph is not None and retain_graph is not True and retain_graph is not False:
            flag(retain_graph, "backward()", "retain_graph")
        if not self.requires_grad:
            raise RuntimeError(
                "backward(): this Tensor does not require grad, so there is nothing to differentiate: no Tensor "
                "it was computed from has requires_grad=True, or it was computed inside no_grad(). "
                "Make the inputs with Tensor(..., requires_grad=True)"
            )
        if not holds_floats(self.data.dtype):  # every gradient would be computed in it (an int64 loss: ints)
            name = self.name
            raise not_float(self.data.dtype, "backward()", f"the Tensor {name!r}" if name else "this Tensor")
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
            seed = as_data(grad.data if isinstance(grad, TensorCore) else grad, self.data.dtype, "backward(): grad")
            if seed.shape != self.data.shape:
                raise ValueError(
                    f"backward(): grad has shape {seed.shape} but the Tensor has shape {self.data.shape}; "
                    "they must be equal"
                )
            owned = False  # the caller's array: never written into
            if mode.anomaly and not np.isfinite(seed).all():  # the caller's NaN: blame it, not the first vjp
                raise FloatingPointError(f"backward(): the seed grad holds {nonfinite(seed)} (detect_anomaly is on)")
        if create_graph:
            node_seed = grad if isinstance(grad, TensorCore) and grad.data.shape == seed.shape else _result_class(seed)
            return backpropagate_graph(self, node_seed)
        if not self.parents:  # a leaf: its gradient is the seed
            if not mode.fast and mode.anomaly and self.grad is not None:   # seeded again: an inf sum is born here
                check_sum(self, self.grad, seed)
            accumulate(self, seed, owned)
            return
        backpropagate(order(self), self, seed, owned)

    def zero_grad(self) -> None:
        """Set ``.grad`` back to None (``t.grad.zero_()`` instead fills it with zeros in place, as in PyTorch)."""
        self.grad = None

    def requires_grad_(self: T, requires_grad: bool = True) -> T:
        """PyTorch's in-place switch: from now on, record (or stop recording) the ops on this leaf. Returns it.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0, 2.0]).requires_grad_()
        >>> (w * w).sum().backward(); w.grad
        array([2., 4.])

        Only a leaf can be switched off; for a computed Tensor use ``t.detach()`` (as PyTorch says).
        """
        if requires_grad is not True and requires_grad is not False:
            requires_grad = flag(requires_grad, "requires_grad_()", "requires_grad")
        if self.parents and not requires_grad:
            raise RuntimeError("requires_grad_(False): only a leaf's flag can be changed; this Tensor was computed "
                               f"by {self.op!r}. Use t.detach() for a copy outside the graph")
        if not self.parents:
            # a weight switched off is frozen, still a weight: nn's state_dict and save keep it, as PyTorch's do
            self._frozen = not requires_grad and (self.requires_grad or getattr(self, "_frozen", False))
            self.requires_grad = requires_grad
        return self

    def retain_grad(self: T) -> T:
        """Keep this intermediate result's gradient in ``.grad`` after ``backward()`` (the latest call's).

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> h = (x * 3.0).retain_grad(); (h * h).sum().backward(); h.grad        # dL/dh = 2 h
        array([ 6., 12.])

        Refused, as in PyTorch, on a Tensor that does not require grad: no backward pass reaches it, so its
        ``.grad`` would stay None without a word.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "retain_grad(): this Tensor does not require grad (no Tensor it was computed from requires grad, or "
                "it was computed inside no_grad()), so no backward pass reaches it and its .grad would stay None"
            )
        self._retain = True
        return self



def _cut_graph_error(t: Any) -> TypeError:
    """Tensor(t) of a result that requires grad: a copy of its numbers would cut the graph without a word (the
    Tensors it was computed from would get no gradient through the copy); PyTorch's torch.tensor(t) warns."""
    return TypeError(
        f"Tensor(): the data is a Tensor computed by {t.op!r} that requires grad; a new Tensor would copy its "
        "numbers and cut the graph, so no gradient would reach the Tensors it was computed from. Use the Tensor "
        "itself to stay in the graph, or Tensor(t.detach()) for a copy of the numbers outside it"
    )


def _data(x: Any) -> Any:
    return x.data if isinstance(x, TensorCore) else x


def _link_view(out: Any, parents: tuple) -> None:
    """Point the view ``out`` at the Tensor whose array it shares (``_source``), so that a change in place of that
    Tensor after ``out`` was made is seen when a graph reads ``out`` (made inside ``no_grad()`` it has no parents
    that backward() could check)."""
    owner = out.data.base
    for p in parents:
        pdata = p.data
        if pdata is owner or pdata.base is owner:
            if pdata is owner and p.parents:           # a result that owns its array outright: nothing to link
                return
            ref = getattr(p, "_source", _UNSET)
            if ref is not _UNSET:   # a leaf (None), a detach() or a view: a computed array has none, and nothing
                out._source = weakref.ref(p) if ref is None else _source_of(p)   # changes it in place
            return


_UNSET = object()


def _source_of(t: Any) -> weakref.ref:
    """A weak reference to the Tensor whose array ``t`` shares through ``detach()`` or ``copy.copy`` (to ``t`` if
    none): the one whose stamp of changes in place every Tensor on that array reads too (``versions``). Weak, so
    that ``loss.detach()`` kept in a list does not keep the loss's graph alive."""
    source = _shared_source(t)
    return weakref.ref(source if source is not None else t)


def _shell(cls: type) -> Any:
    """An empty Tensor, which copy and pickle then fill with a node's slots."""
    return _new(cls)


@functools.cache
def _slot_names(cls: type) -> tuple:
    """Every slot of the class and its bases but ``__weakref__`` (which copies never carry)."""
    return tuple(dict.fromkeys(name for c in cls.__mro__ for name in getattr(c, "__slots__", ())
                               if name != "__weakref__"))


class _Backward:
    """A node's vjp inside its copied state: deepcopy keeps the function itself; pickle refuses it by name."""

    __slots__ = ("vjp", "op")

    def __init__(self, vjp: Callable, op: str) -> None:
        self.vjp, self.op = vjp, op

    def __deepcopy__(self, memo: dict) -> _Backward:
        return self

    def __reduce_ex__(self, protocol: Any) -> tuple:
        raise TypeError(
            f"pickle: a Tensor with a graph cannot be pickled: its {self.op!r} node keeps its backward function, a "
            "closure, which pickle cannot store. Pickle t.detach() for the numbers, or the parameters "
            "(model.state_dict(); model.save(path) writes an .npz); copy.deepcopy(t) copies the graph"
        )
