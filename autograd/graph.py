"""The recorded graph, shared by both engines: the node protocol, topological order, modes and scopes.

The node protocol, what the walk, the drawing and users may read of any node (``Value`` and ``Tensor`` both
follow it; nothing here knows which one it walks):

- ``node.parents``: the tuple of nodes it was computed from (empty for a leaf or a constant);
- ``node.op``: the name of the op that made it (``""`` for a leaf), as in ``autograd.rules``;
- ``node.data`` and ``node.grad``;
- a Value's ``node.partials``: the local derivative d(node)/d(parent) towards each parent, as floats;
- a Tensor's ``node.vjp``: the function from dL/d(node) to one dL/d(parent) per parent (None for a leaf);
- ``scope_of(node)``: the module it was tagged with by ``tag()`` (what the drawing groups boxes by).
"""

from __future__ import annotations

import copy
import functools
import gc
import inspect
import os
import threading
import traceback
import weakref
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from typing import Any

import numpy as np

# --- modes: per thread and per asyncio task ------------------------------------------------------------------
# The modes live in a context variable, so each thread and each asyncio task has its own (as PyTorch keeps them per
# thread): one thread's no_grad() never turns off another's graph. Ops test one process-wide flag, ``mode.fast``,
# which is True while no switch is active anywhere; only then may they record without looking further. Otherwise
# they take the slow road, which reads the modes of their own thread or task.

_STATE: ContextVar[tuple[bool, bool]] = ContextVar("deltagrad_modes", default=(True, False))  # (grad, anomaly)
_active = 0                 # switches entered and not yet left, in all threads and tasks
_active_lock = threading.Lock()


class _Mode:
    """The switches every op reads: ``grad_enabled`` and ``anomaly`` of the calling thread or task, and ``fast``."""

    __slots__ = ("fast",)

    def __init__(self) -> None:
        self.fast = True  # no switch active anywhere: every op records its parents, with no checks

    @property
    def grad_enabled(self) -> bool:
        return _STATE.get()[0]

    @property
    def anomaly(self) -> bool:
        return _STATE.get()[1]


mode = _Mode()


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()`` (of this thread or asyncio task)."""
    return _STATE.get()[0]


class _Switch:
    """A block (``with``) or a decorated function during which one mode has a given value, in this thread or task.

    A decorated generator function runs each of its steps with the mode set (not only the call that makes the
    generator), and a decorated coroutine function awaits with it set, as PyTorch's decorators do.
    """

    __slots__ = ("_which", "_on", "_tokens")

    def __init__(self, which: int, on: bool) -> None:
        self._which, self._on = which, on
        self._tokens: list = []

    def _fresh(self) -> _Switch:
        return _Switch(self._which, self._on)

    def __enter__(self) -> None:
        global _active
        state = _STATE.get()
        new = (self._on, state[1]) if self._which == 0 else (state[0], self._on)
        with _active_lock:  # one lock for the list of entries and the count (__exit__ searches the list)
            self._tokens.append((_STATE.set(new), state))
            _active += 1
            mode.fast = False

    def __exit__(self, *exc: object) -> None:
        global _active
        with _active_lock:
            # One switch object may be entered by several threads or tasks at once (a module's NO_GRAD = no_grad()):
            # undo this context's latest entry, not the latest of all. Popping the last one handed thread A the state
            # thread B had before it entered, and B A's: A's detect_anomaly() went off inside its own block.
            tokens = self._tokens
            for i in range(len(tokens) - 1, -1, -1):
                try:
                    _STATE.reset(tokens[i][0])
                except ValueError:  # entered in another context: another thread's or task's entry
                    continue
                del tokens[i]
                break
            else:  # left in another context than it was entered (a generator resumed elsewhere)
                _STATE.set(tokens.pop()[1])
            _active -= 1
            mode.fast = _active == 0

    def __call__(self, func: Callable) -> Callable:
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def generator(*args: Any, **kwargs: Any) -> Any:
                steps = func(*args, **kwargs)
                try:
                    with self._fresh():
                        reply = steps.send(None)
                    while True:
                        try:
                            request = yield reply
                        except GeneratorExit:
                            with self._fresh():
                                steps.close()
                            raise
                        except BaseException as error:
                            with self._fresh():
                                reply = steps.throw(error)
                        else:
                            with self._fresh():
                                reply = steps.send(request)
                except StopIteration as stop:  # the wrapped generator finished: its value is ours
                    return stop.value
            return generator
        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def coroutine(*args: Any, **kwargs: Any) -> Any:
                with self._fresh():
                    return await func(*args, **kwargs)
            return coroutine

        @functools.wraps(func)
        def function(*args: Any, **kwargs: Any) -> Any:
            with self._fresh():
                return func(*args, **kwargs)
        return function


def no_grad() -> _Switch:
    """Within this block (or a function decorated with it), results record no parents: nothing is differentiated.

    Only in the thread or asyncio task that entered it, as in PyTorch.

    >>> from autograd import Value, no_grad
    >>> w = Value(2.0)
    >>> with no_grad():
    ...     y = w * 3
    >>> y.parents
    ()
    """
    return _Switch(0, False)


def enable_grad() -> _Switch:
    """Record the graph again inside a ``no_grad()`` block (also a decorator)."""
    return _Switch(0, True)


def recording() -> AbstractContextManager:
    """A block whose ops record their graph: ``enable_grad()`` where grad is off, and nothing where it is on (a
    switch entered puts every op, in every thread, on the slow road while it lasts). What must record whatever
    block it is called in uses it: ``backward(create_graph=True)``, the functional forms, the checkers, compile's
    trace, LBFGS's closure, ``nn.fit`` and ``compare_gradients``, as PyTorch's do.

    >>> from autograd import Value, no_grad
    >>> with no_grad(), recording():
    ...     y = Value(2.0) * Value(3.0)
    >>> len(y.parents)
    2
    """
    return nullcontext() if mode.grad_enabled else enable_grad()


def detect_anomaly() -> _Switch:
    """Check every result for NaN or inf as it is made, and every gradient as ``backward()`` makes it.

    Nodes made inside the block remember where in your code they were created, so the error names the line
    where a bad number was born. It is slow: use it to find a problem, not to train. Like ``no_grad()``, it holds
    in the thread or asyncio task that entered it only.

    >>> from autograd import Value, detect_anomaly
    >>> with detect_anomaly():
    ...     y = Value(0.0).sqrt()
    ...     y.backward()                    # d sqrt(x)/dx is inf at 0: raises FloatingPointError
    Traceback (most recent call last):
    ...
    FloatingPointError: ...
    """
    return _Switch(1, True)


def topological_order(root: Any, seen: set | None = None) -> list:
    """Every node ``root`` depends on, each listed after all of its parents; ``root`` comes last. The walk stops at
    the nodes in ``seen`` (with their ancestors), if it is given.

    Iterative depth-first search with an explicit stack, so a chain of a million nodes needs no recursion.
    Nodes are hashed by identity (both engines keep ``object.__hash__``).

    >>> from autograd import Value
    >>> a = Value(1.0); b = a * 2; c = b + a
    >>> [n is m for n, m in zip(topological_order(c), [a, b, c])]
    [True, True, True]
    """
    # The walk makes no reference cycles, so Python's cyclic garbage collector cannot find anything to free
    # while it runs; yet on a deep graph the stack holds many live entries, which would trigger collection
    # passes over the whole graph. Pausing the collector here costs nothing and keeps the walk linear.
    if not hasattr(root, "parents"):
        raise TypeError(f"topological_order: root must be a node (a Value or a Tensor), got {type(root).__name__}")
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        order: list = []
        seen = {root} if seen is None else seen
        seen.add(root)
        # Each stack entry is a node and an iterator over the parents not yet looked at.
        stack = [(root, iter(root.parents))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent not in seen:
                    seen.add(parent)
                    stack.append((parent, iter(parent.parents)))
                    break
            else:  # all parents placed: the node can follow them
                stack.pop()
                order.append(node)
        return order
    finally:
        if paused:
            gc.enable()


def zero_grad(nodes: Iterable[Any]) -> None:
    """Reset the gradient of each node (``0.0`` for a Value, ``None`` for a Tensor).

    Gradients add up across ``backward()`` calls, as in PyTorch: call this between training steps.

    >>> from autograd import Value
    >>> w = Value(3.0); (w * w).backward(); (w * w).backward()
    >>> w.grad
    12.0
    >>> zero_grad([w]); w.grad
    0.0
    """
    if hasattr(nodes, "backward"):
        raise TypeError(f"zero_grad: takes a list of nodes, got one {type(nodes).__name__}; write zero_grad([v]) "
                        "or v.zero_grad()")
    try:
        items = list(nodes)
    except TypeError:
        raise TypeError(f"zero_grad: takes a list of Values or Tensors, got {type(nodes).__name__}") from None
    for i, node in enumerate(items):
        if not hasattr(node, "backward"):
            raise TypeError(f"zero_grad: item {i} is a {type(node).__name__}, not a Value or a Tensor")
        node.zero_grad()


# --- copies and pickles: ancestors first, so that nothing recurses down the graph ------------------------------
# copy.deepcopy and pickle copy an object's state inside the copy of the object. A node's state holds its parents,
# so by default each parent was copied inside its child's copy, one level of Python's stack per node: a chain of
# 200 Values (sum() of 200 numbers) raised RecursionError. Instead a node's state lists its computed ancestors
# first, in topological order, then its own slots: each ancestor is pickled, and remembered in the pickle's memo,
# before any node that reads it, so the parents met in a node's slots are pickled already. (deepcopy has its own
# walk, ``uncopied_ancestors``, which reads deepcopy's memo.)
#
# Pickle shows a node's __reduce_ex__ no memo, so the list stops at the nodes whose state this thread gave last:
# pickling a list of a chain's 4,000 nodes listed every node's ancestors again, 8 million entries (88 MB and 150 s).
# Within one pickle a node gives its state once (then pickle's memo has it). The record of those nodes is itself
# part of every node's state, so pickle's memo holds it until the pickle is written, and no longer: the thread
# keeps only a weak reference. A node asked again while a record lives is in a new pickle (one made inside another),
# and the record starts afresh; a node of an earlier record where the list stops is still pickled, inside its
# child's state, and its own state lists its ancestors anew. Nothing is ever left out.

_given = threading.local()  # .record: a weak reference to the _Record of the pickle this thread is writing


class _Record:
    """The ids of the nodes whose state the current pickle has given; pickled as None."""

    __slots__ = ("ids", "__weakref__")

    def __init__(self) -> None:
        self.ids: set = set()

    def __reduce__(self) -> tuple:
        return _itself, (None,)


def _itself(node: Any) -> Any:
    """What a pickle written by an earlier deltagrad calls for each listed ancestor: the node itself."""
    return node


def node_state(node: Any, slots: Iterable[str]) -> tuple:
    """The state a node gives pickle (``__reduce_ex__``): its computed ancestors that this pickle has not met yet,
    in topological order (None if there are none), a dict of its slots that are set, and the pickle's record of
    the nodes given (which keeps it alive while the pickle is written). ``__setstate__`` reads the dict only: the
    list's work is done once its nodes are unpickled.

    >>> import pickle
    >>> from autograd import Value
    >>> x = Value(2.0); y = x
    >>> for _ in range(10_000): y = y * 1.0
    >>> pickle.loads(pickle.dumps(y)).data
    2.0
    """
    ref = getattr(_given, "record", None)
    record = ref() if ref is not None else None
    if record is None or id(node) in record.ids:    # no pickle being written, or a node asked twice: a new pickle
        record = _Record()
        _given.record = weakref.ref(record)
    record.ids.add(id(node))
    order = topological_order(node, _SeenOrIn(record.ids))
    ahead = [n for n in order[:-1] if n.parents] or None
    return ahead, {name: getattr(node, name) for name in slots if hasattr(node, name)}, record


def uncopied_ancestors(node: Any, memo: dict) -> list:
    """``node`` and the ancestors that ``copy.deepcopy``'s ``memo`` has no copy of yet, each after its parents, for a
    node's ``__deepcopy__``. The walk stops at a node copied already, with all of its ancestors: deep-copying a list
    of a graph's nodes (every hidden node of a chain, root last) walks each node once. Listing every ancestor
    again for each entry, as ``node_state`` must for pickle (which shows no memo), took 50 s for 4,000 nodes.

    >>> from autograd import Value
    >>> a = Value(1.0); b = a * 2; c = b + a
    >>> [n is m for n, m in zip(uncopied_ancestors(c, {id(b): None}), [a, c])]
    [True, True]
    """
    return topological_order(node, _SeenOrIn(memo))


def copy_graph(root: Any, memo: dict, shell: Callable[[Any], Any], slots: Callable[[Any], Iterable[str]],
               reset: frozenset = frozenset(), share: frozenset = frozenset()) -> Any:
    """``copy.deepcopy`` of a node (``__deepcopy__`` of Value and Tensor): the whole graph, ancestors first (so depth
    costs no recursion), each node once per call: the walk stops at the nodes the memo holds, so a list of a graph's
    nodes is copied in linear time. ``shell(node)`` makes an empty node of its kind, whose slots (named by
    ``slots(node)``) are copied, but those in ``reset`` (None in the copy) and those in ``share`` (the same object).

    >>> import copy
    >>> from autograd import Value
    >>> x = Value(2.0); y = x * x; x2, y2 = copy.deepcopy([x, y])
    >>> y2.backward(); x2.grad, x.grad
    (4.0, 0.0)
    """
    keep = memo.setdefault(id(memo), [])  # as copy does: the originals live as long as the memo (ids stay theirs)
    for node in uncopied_ancestors(root, memo):
        if id(node) in memo:  # copied meanwhile, inside another node's gradient graph
            continue
        out = memo[id(node)] = shell(node)
        keep.append(node)
        for name in slots(node):  # the parents are in the memo already: copying them is a lookup
            if not hasattr(node, name):
                continue
            if name in reset:
                value = None
            elif name in share:
                value = getattr(node, name)
            else:
                value = copy.deepcopy(getattr(node, name), memo)
            setattr(out, name, value)
    return memo[id(root)]


class _SeenOrIn(set):
    """The nodes a walk has met, and (read through ``in``) those whose id ``ids`` holds: the nodes deepcopy's memo
    has a copy of, or those whose state the current pickle has given."""

    def __init__(self, ids: set | dict) -> None:
        super().__init__()
        self.ids = ids

    def __contains__(self, node: object) -> bool:
        return set.__contains__(self, node) or id(node) in self.ids


# --- scopes: which module made a node -------------------------------------------------------------------------

def tag(node: Any, *scope: str | tuple) -> Any:
    """Mark ``node`` as made by the module called ``scope`` (outermost first); returns the node.

    The engine knows nothing of neural networks: a module (``nn``'s neuron, layer, or your own) tags its output,
    and ``draw(..., collapse="neuron" | "layer")`` groups the graph by these tags. Tagging costs one attribute
    store, so modules may tag on every call; a module that tags often makes its scope one tuple, once, and
    calls ``tag_as(out, self._scope)``: every node it makes then shares that tuple (no new tuple a node for
    the collector).

    >>> from autograd import Value
    >>> y = tag(Value(2.0) * 3, "layers.0", "neurons.1")
    >>> scope_of(y)
    ('layers.0', 'neurons.1')
    >>> scope_of(tag(Value(1.0) * 2, ("layers.1", "neurons.0")))
    ('layers.1', 'neurons.0')
    """
    return tag_as(node, scope[0] if len(scope) == 1 and type(scope[0]) is tuple else scope)


def tag_as(node: Any, scope: tuple[str, ...]) -> Any:
    """``tag(node, *scope)`` with the scope as one tuple made once: the form a module uses on every call.

    A fixed signature (no ``*scope``) lets Python 3.11 run the call inline; in micrograd's demo a neuron tags
    its output once per sample, and the varargs form cost 3% of the eager step (callgrind).

    >>> from autograd import Value
    >>> scope_of(tag_as(Value(1.0) * 2, ("layers.1", "neurons.0")))
    ('layers.1', 'neurons.0')
    """
    node._scope = scope
    return node


def scope_of(node: Any) -> tuple:
    """The scope ``tag()`` gave ``node``, or ``()`` for an untagged node."""
    return getattr(node, "_scope", None) or ()


# --- anomaly mode: where was a node born? -------------------------------------------------------------------

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep  # deltagrad's own frames, not a user's .../autograd/


def remember_creation(node: Any) -> None:
    """Store the user's stack (without deltagrad's own frames) on ``node`` for later error messages."""
    frames = [f for f in traceback.extract_stack()[:-1] if not os.path.abspath(f.filename).startswith(_PACKAGE)]
    node._trace = "".join(traceback.format_list(frames[-4:])).rstrip()


def creation_site(node: Any) -> str:
    """Where ``node`` was made, if it was made inside ``detect_anomaly()``."""
    site = getattr(node, "_trace", None)
    return site if site else "  (unknown: the node was made outside detect_anomaly())"


def describe(node: Any) -> str:
    """A short name for a node in messages: its op and, when it has one, its label."""
    name = getattr(node, "label", "") or getattr(node, "name", "") or ""
    op = getattr(node, "op", "") or "leaf"
    return f"{op!r} node" + (f" {name!r}" if name else "")


def recorded_parents(node: Any, parents: tuple, finite: bool, detail: Callable[[], tuple[str, str]]) -> tuple:
    """The slow road of every op of both engines (taken when grad is off or anomaly checks are on).

    In anomaly mode: remember where ``node`` was made, and raise if its value is not ``finite``; ``detail()``
    gives the bad number and what follows it in the message. Returns the parents to record: ``parents``, or
    ``()`` inside ``no_grad()``.
    """
    if mode.anomaly:
        remember_creation(node)
        if not finite:
            bad, more = detail()
            raise FloatingPointError(
                f"{describe(node)} produced {bad} in the forward pass{more} (detect_anomaly is on).\n"
                f"It was created at:\n{creation_site(node)}"
            )
    return parents if mode.grad_enabled else ()


def backward_anomaly(node: Any, parent_index: int, value: Any, detail: str = "") -> FloatingPointError:
    """The error for a NaN or inf gradient that flowed from ``node`` back into its parent number ``parent_index``.

    ``detail`` follows the parent's number: which parent it is, and how the bad number came about.
    """
    return FloatingPointError(
        f"backward() through the {describe(node)} gave {value} as the gradient of its parent #{parent_index}{detail}"
        f"{given(node.parents)} (detect_anomaly is on).\nThe node was created at:\n{creation_site(node)}"
    )


def given(parents: Any, show: Callable[[np.ndarray], Any] | None = None) -> str:
    """For an anomaly message: a parent that already held NaN or inf (the caller's input, or a node made outside
    detect_anomaly(), whose forward pass nothing checked), so that the op is not blamed for a number it was given.
    ``show`` says the bad entries (default: the first one). Computed only for the message, never on the way."""
    for i, parent in enumerate(parents):
        data = np.asarray(parent.data)
        bad = ~np.isfinite(data)
        if bad.any():
            shown = show(data) if show is not None else data[bad].flat[0]
            return f", but its parent #{i} already held {shown}: it was given, not born here"
    return ""


def accumulation_anomaly(parent: Any, total: Any) -> FloatingPointError:
    """The error for gradients that were each finite but add up to NaN or inf at ``parent`` (backward()'s own sum,
    which no op's check sees: without this a leaf's ``.grad`` became inf silently)."""
    # A leaf is made by the caller, not by an op, so no birthplace is recorded for it: saying it was "made
    # outside detect_anomaly()" would be false for a leaf made inside the block.
    where = (f"It was created at:\n{creation_site(parent)}" if parent.parents else
             "It is a leaf (an input, not made by an op): the backward pass's own sum overflowed there")
    return FloatingPointError(
        f"backward(): the finite gradients that reached the {describe(parent)} add up to {total} "
        f"(detect_anomaly is on).\n{where}"
    )


def unbuildable_derivative(node: Any, error: ZeroDivisionError | ValueError) -> ZeroDivisionError | ValueError:
    """The error for ``backward(create_graph=True)`` when the graph of ``node``'s derivative cannot be built: an op
    refused a zero on the way (sqrt'(x) = 1 / (2 sqrt x) at 0, p x^(p-1) at 0 for p < 1). Where the derivative is
    infinite, backward() without create_graph gives inf; a graph of inf cannot be differentiated again. The same
    type as ``error`` (code that catches it still does), naming the op the user wrote and the way out."""
    name = getattr(node, "label", "") or getattr(node, "name", "") or ""
    named = f" {name!r}" if name else ""
    return type(error)(
        f"backward(create_graph=True): the derivative of the {node.op!r} op{named} is not finite at these inputs, "
        f"so it cannot be built as a graph to differentiate again ({error}). backward() without create_graph "
        "gives inf there; for second derivatives keep the input off that point, e.g. (x + 1e-12).sqrt()"
    )
