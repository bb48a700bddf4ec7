"""Derivatives as functions, as ``torch.autograd``: grad, and jacobian, hessian, hvp, vhp, vjp, jvp of a function.

Second derivatives come from differentiating a gradient that was computed with ``create_graph=True``
(reverse over reverse): ``hessian`` takes one backward pass per entry of the gradient, ``hvp`` takes two in all
and never forms the Hessian, ``jvp`` is the vjp of a vjp (the "double-vjp" trick).

>>> from autograd import Tensor
>>> from autograd.functional import hessian
>>> hessian(lambda x: (x ** 3).sum(), Tensor([1.0, 2.0]))      # diag(6 x)
Tensor([[ 6.,  0.],
        [ 0., 12.]])

Functions of Tensors follow PyTorch's conventions (``inputs`` a Tensor or a tuple of Tensors, ``f(*inputs)``; the
Jacobian of an output of shape (m...) towards an input of shape (n...) has shape (m..., n...)). A function of a list
of Values takes the list and returns a Value or a list of Values; its derivatives come back as numpy arrays.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .checks import flag, real
from .graph import mode, recording
from .tensor import Tensor, stack
from .tensor import backward as _tensor_backward
from .tensor.checks import as_data, nonfinite
from .value import Value
from .value import gradients as _value_gradients

__all__ = ["grad", "jacobian", "hessian", "hvp", "vhp", "vjp", "jvp"]

# A Jacobian or a Hessian holds (output entries) x (input entries) numbers, one backward pass per row: the Jacobian of
# x * 2 at 10**5 entries asks for 10**10 numbers (80 GB), and its rows piled up for minutes before memory ran out
# (10**4 entries: 10 s and 2.3 GB at the peak). 2**28 numbers are 2 GiB in float64, the bound nn puts on what it
# reads or makes; vjp, jvp, hvp and vhp give a product with a vector at any size instead.
MAX_ENTRIES = 2**28


# --- grad -----------------------------------------------------------------------------------------------------

def _as_list(x: Any) -> tuple[list, bool]:
    """(the items, whether x was one node rather than a sequence)."""
    if isinstance(x, (Value, Tensor)):
        return [x], True
    if isinstance(x, (list, tuple)):
        return list(x), False
    return [x], True


def _not_a_node(x: Any, where: str) -> TypeError:
    hint = ""
    if where.startswith("outputs"):
        hint = (" A .grad left by backward() and a gradient from grad() without create_graph=True are plain "
                "numbers: compute the gradient with create_graph=True to differentiate it again.")
    return TypeError(f"grad: {where} is a {type(x).__name__}, not a Value or Tensor.{hint}")


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, create_graph: bool = False,
         allow_unused: bool = False) -> tuple:
    """The gradients of ``outputs`` towards ``inputs`` (one per input, in a tuple), as ``torch.autograd.grad``:
    sum_k sum(grad_outputs[k] * outputs[k]) differentiated, without touching any ``.grad``.

    ``grad_outputs`` may be left out for outputs that are single numbers. With ``create_graph=True`` the gradients
    are graphs (Values, Tensors) that can be differentiated again; without it a Value's gradient is a float and
    a Tensor's a Tensor that does not require grad. An input the outputs do not depend on is an error, or None
    with ``allow_unused=True``.

    >>> from autograd import Value
    >>> x = Value(2.0)
    >>> (dx,) = grad(x ** 3, [x], create_graph=True)      # 3 x^2 = 12, a Value
    >>> grad(dx, [x])                                     # 6 x
    (12.0,)
    """
    flag(create_graph, "grad", "create_graph")      # "False" is true: it would record the backward pass
    flag(allow_unused, "grad", "allow_unused")
    outs, _ = _as_list(outputs)
    ins, _ = _as_list(inputs)
    if not outs:
        raise ValueError("grad: outputs is empty; pass the Value or Tensor to differentiate")
    if not ins:
        raise ValueError("grad: inputs is empty; pass the Values or Tensors to differentiate towards")
    for k, o in enumerate(outs):
        if not isinstance(o, (Value, Tensor)):
            raise _not_a_node(o, f"outputs[{k}]")
    for k, x in enumerate(ins):
        if not isinstance(x, (Value, Tensor)):
            raise _not_a_node(x, f"inputs[{k}]")
    tensors = isinstance(outs[0], Tensor)
    if any(isinstance(n, Tensor) != tensors for n in outs + ins):
        raise TypeError("grad: outputs and inputs mix Values and Tensors; the two engines' graphs do not meet")
    if grad_outputs is None:
        gos: list = [None] * len(outs)
    else:
        gos, single = _as_list(grad_outputs)
        if single and len(outs) == 1:
            gos = [grad_outputs]
        if len(gos) != len(outs):
            raise ValueError(f"grad: {len(gos)} grad_outputs for {len(outs)} outputs; give one per output "
                             "(None for a single-number output)")
    if tensors:
        return _tensor_grad(outs, ins, gos, create_graph, allow_unused)
    return _value_grad(outs, ins, gos, create_graph, allow_unused)


def _collect(ins: list, grads: dict, allow_unused: bool, wrap: Callable[[Any, Any], Any]) -> tuple:
    """The gradient towards each input x, made what the caller returns by ``wrap(x, g)``; None for an input no output
    depends on (refused unless ``allow_unused``)."""
    result = []
    for k, x in enumerate(ins):
        g = grads.get(x)
        if g is None:
            if not allow_unused:
                raise _unused(k, x)
            result.append(None)
        else:
            result.append(wrap(x, g))
    return tuple(result)


def _unused(k: int, x: Any) -> RuntimeError:
    what = f"a Tensor of shape {x.data.shape}" if isinstance(x, Tensor) else repr(x)
    return RuntimeError(
        f"grad: the outputs do not depend on inputs[{k}] ({what}): no path in the graph leads from it to them. "
        "Pass allow_unused=True to get None for it (its derivative is 0), or check that it is the node the "
        "outputs were computed from (not a copy)"
    )


def _bad_seed(k: int, shown: Any) -> FloatingPointError:
    """The caller's NaN or inf among grad_outputs, blamed on the caller, not on the first op it meets."""
    return FloatingPointError(f"grad: grad_outputs[{k}] holds {shown} (detect_anomaly is on): the seed of the "
                              "backward pass was given, not born in the graph; pass finite weights (1.0 for a loss)")


def _value_grad(outs: list, ins: list, gos: list, create_graph: bool, allow_unused: bool, wrap: bool = True) -> tuple:
    """grad() for Values. ``wrap=False`` leaves a constant derivative under ``create_graph`` a float, as the engine
    gives it (the functional forms tell it apart from a Value with a graph before they wrap it)."""
    seeds = []
    for k, (o, go) in enumerate(zip(outs, gos)):
        if go is None:
            go = 1.0
        elif not (create_graph and isinstance(go, Value)):
            go = go.data if isinstance(go, Value) else real(go, "grad", f"grad_outputs[{k}]")  # as backward(go)
        if not mode.fast and mode.anomaly and not math.isfinite(go.data if isinstance(go, Value) else go):
            raise _bad_seed(k, go)
        seeds.append(go)
        if o._p0 is None and not any(o is x for x in ins) and not allow_unused:
            raise RuntimeError(
                f"grad: outputs[{k}] ({o!r}) is a constant, computed from no input: it has no graph to "
                "differentiate. If it is a gradient, compute it with create_graph=True; if its derivative is "
                "simply 0, pass allow_unused=True to get None"
            )
    grads = _value_gradients(outs, seeds, create_graph)
    if not wrap:
        return _collect(ins, grads, allow_unused, lambda x, g: g)
    return _collect(ins, grads, allow_unused, (lambda x, g: g if isinstance(g, Value) else Value(g))
                    if create_graph else lambda x, g: float(g))


def _tensor_grad(outs: list, ins: list, gos: list, create_graph: bool, allow_unused: bool) -> tuple:
    for k, x in enumerate(ins):
        if not x.requires_grad:
            raise RuntimeError(f"grad: inputs[{k}] (a Tensor of shape {x.data.shape}) does not require grad, so "
                               "nothing can depend on it; make it with Tensor(..., requires_grad=True)")
    roots, seeds = [], []
    for k, (o, go) in enumerate(zip(outs, gos)):
        shape = o.data.shape
        if not o.requires_grad:
            if allow_unused:
                continue
            raise RuntimeError(
                f"grad: outputs[{k}] (a Tensor of shape {shape}) does not require grad: no graph leads from it back "
                "to the inputs. If it is a gradient, compute it with create_graph=True (without it a gradient is a "
                "constant); if its derivative is simply 0 (a constant derivative), pass allow_unused=True to get None"
            )
        if go is None:
            if o.data.size != 1:
                raise ValueError(
                    f"grad: outputs[{k}] has shape {shape}, not a single number, so it needs a weight for each "
                    f"entry: pass grad_outputs=[an array of shape {shape}] (grad then differentiates "
                    f"sum(outputs[{k}] * grad_outputs[{k}])), or reduce it first, e.g. .sum()"
                )
            seed: Any = np.ones(shape, dtype=o.data.dtype)
        else:
            node = isinstance(go, Tensor)
            seed = go.data if node else as_data(go, o.data.dtype, f"grad: grad_outputs[{k}]")  # as backward(go)
            if seed.shape != shape:
                raise ValueError(f"grad: grad_outputs[{k}] has shape {seed.shape} but outputs[{k}] has shape "
                                 f"{shape}; they must be equal")
            if create_graph and node:
                seed = go
        numbers = seed.data if isinstance(seed, Tensor) else seed
        if not mode.fast and mode.anomaly and not np.isfinite(numbers).all():
            raise _bad_seed(k, nonfinite(numbers))
        if create_graph and not isinstance(seed, Tensor):
            seed = Tensor(seed, dtype=o.data.dtype)
        roots.append(o)
        seeds.append(seed)
    grads = _tensor_backward.gradients(roots, seeds, create_graph) if roots else {}
    return _collect(ins, grads, allow_unused, (lambda x, g: g) if create_graph
                    else lambda x, g: Tensor(g, dtype=x.data.dtype))


def _strict(who: str, what: str) -> RuntimeError:
    return RuntimeError(f"{who}: {what} (strict=True). PyTorch refuses it too; pass strict=False to get zeros for "
                        "a derivative that is 0 because nothing depends on it")


# --- the functional forms -----------------------------------------------------------------------------------

def _recorded(form: Callable) -> Callable:
    """``form`` run with its function's forward pass and the gradients' graphs recorded, also inside ``no_grad()``,
    as ``torch.autograd.functional`` runs: there ``func``'s output was a constant, and every derivative came back
    0, silently (the Hessian of sum(x^3) taken inside a Newton step's no_grad() was all zeros). Where grad is on
    already no switch is entered: one would put every op of the call, in every thread, on the slow road."""
    @functools.wraps(form)
    def recorded(*args: Any, **kwargs: Any) -> Any:
        with recording():
            return form(*args, **kwargs)
    return recorded


class _Call:
    """Fresh leaves for a function's inputs, the call, and how to pack results the way the inputs came.

    With ``create_graph``, as in PyTorch, an input that is already a node of a graph (a Value, a Tensor that
    requires grad) is used itself, so that the results can be differentiated towards it."""

    def __init__(self, func: Callable, inputs: Any, who: str, create_graph: bool = False,
                 strict: bool = False) -> None:
        self.who = who
        flag(create_graph, who, "create_graph")         # "False" is true: checked before func runs
        flag(strict, who, "strict")
        if isinstance(inputs, Value) or (isinstance(inputs, (list, tuple)) and inputs
                                         and all(isinstance(v, Value) for v in inputs)):
            self.values = True
            self.single = isinstance(inputs, Value)
            given = [inputs] if self.single else list(inputs)
            self.leaves = given if create_graph else [Value(v.data) for v in given]
            self.out = func(self.leaves[0] if self.single else list(self.leaves))
        else:
            if isinstance(inputs, list) and any(isinstance(x, (Value, Tensor)) for x in inputs):
                raise TypeError(f"{who}: inputs is a list holding Tensors or Values; several Tensor inputs come as a "
                                "tuple, (a, b), as in PyTorch (a list of numbers is one input; a list of Values "
                                "must hold Values only)")
            self.values = False
            self.single = not isinstance(inputs, tuple)
            items = [inputs] if self.single else list(inputs)
            self.leaves = []
            for k, x in enumerate(items):
                if not isinstance(x, (Tensor, np.ndarray, float, int, list)):
                    raise TypeError(f"{who}: inputs[{k}] is a {type(x).__name__}; pass a Tensor, a tuple of Tensors "
                                    "or a list of Values")
                if create_graph and isinstance(x, Tensor) and x.requires_grad:
                    self.leaves.append(x)
                    continue
                data = x.data if isinstance(x, Tensor) else as_data(x, None, f"{who}: inputs[{k}]")  # as Tensor(x)
                self.leaves.append(Tensor(data, requires_grad=True, dtype=data.dtype))
            self.out = func(*self.leaves)
        self.outs, self.single_out = _as_list(self.out)
        kind = Value if self.values else Tensor
        for k, o in enumerate(self.outs):
            if not isinstance(o, kind):
                raise TypeError(f"{who}: func returned a {type(o).__name__} (output {k}); it must return "
                                f"{'a Value or a list of Values' if self.values else 'a Tensor or a tuple of Tensors'}"
                                " computed from its inputs")

    def shape(self, x: Any) -> tuple:
        return () if isinstance(x, Value) else x.data.shape

    def size(self, x: Any) -> int:
        return 1 if isinstance(x, Value) else x.data.size

    def zeros(self, x: Any) -> Any:
        return 0.0 if self.values else np.zeros(x.data.shape, dtype=x.data.dtype)

    def grads(self, outs: list, gos: list | None, create_graph: bool, strict: bool,
              towards: list | None = None) -> list:
        """grad() towards every leaf (or every node of ``towards``), with zeros (not None) for one the outputs do
        not reach.

        With ``strict``, as PyTorch, whatever would be a derivative silently 0 is refused: an output that does not
        depend on the inputs, a leaf no output reaches, and, under ``create_graph``, a derivative that is a
        constant (no input reaches it, so differentiating it again gives 0 whatever the function)."""
        towards = self.leaves if towards is None else towards
        gos = gos or [None] * len(outs)
        if self.values:
            live = list(zip(outs, gos))
        else:
            live = [(o, go) for o, go in zip(outs, gos) if o.requires_grad]
            if strict and len(live) < len(outs):
                k = next(k for k, o in enumerate(outs) if not o.requires_grad)
                raise _strict(self.who, f"output {k} does not depend on the inputs: it is a constant")
        if not live:
            found: tuple = (None,) * len(towards)
        elif self.values:
            found = _value_grad([o for o, _ in live], towards, [go for _, go in live], create_graph, True, wrap=False)
        else:
            found = grad([o for o, _ in live], towards, [go for _, go in live], create_graph, allow_unused=True)
        result = []
        for k, (x, g) in enumerate(zip(towards, found)):
            if g is None:
                if strict:
                    raise _strict(self.who, f"the output does not depend on {self._name(k, towards)}")
                g = self.zeros(x)
            elif strict and create_graph and not (isinstance(g, Value) or getattr(g, "requires_grad", False)):
                raise _strict(self.who, f"the derivative towards {self._name(k, towards)} is a constant: no input "
                                        "reaches it, so its own derivative would be 0 whatever the function "
                                        "(a linear function, or a product in which this input appears once)")
            elif self.values:
                g = (g if isinstance(g, Value) else Value(g)) if create_graph else float(g)
            result.append(g)
        return result

    def _name(self, k: int, towards: list) -> str:
        return f"inputs[{k}]" if towards is self.leaves else f"entry {k} of the helper vector of the double-vjp trick"

    def output(self, create_graph: bool) -> Any:
        """func's output, detached unless ``create_graph`` (floats for Values)."""
        def one(o: Any) -> Any:
            if self.values:
                return o if create_graph else o.data
            return o if create_graph else o.detach()
        done = [one(o) for o in self.outs]
        return done[0] if self.single_out else (done if self.values else tuple(done))

    def pack(self, per_input: list) -> Any:
        return per_input[0] if self.single else (np.array(per_input) if self.values else tuple(per_input))

    def refuse_too_large(self, rows: int, what: str, products: str) -> None:
        """Refuse a Jacobian or Hessian of ``rows`` x (the inputs' entries) numbers beyond ``MAX_ENTRIES``, before the
        first of its ``rows`` backward passes."""
        columns = sum(self.size(x) for x in self.leaves)
        if rows * columns > MAX_ENTRIES:
            raise ValueError(f"{self.who}: the {what} would hold {rows:,} x {columns:,} = {rows * columns:,} numbers "
                             f"({rows * columns * 8 / 2**30:,.1f} GiB in float64), one backward pass per row; it may "
                             f"hold at most 2**28 = {MAX_ENTRIES:,} (2 GiB). Use {products} for its product with a "
                             "vector, which costs about one or two backward passes at any size, or take it towards "
                             "fewer inputs")

    def scalar_out(self) -> Any:
        if len(self.outs) != 1 or (not self.values and self.outs[0].data.size != 1):
            shapes = [self.shape(o) for o in self.outs]
            raise ValueError(f"{self.who}: func must return a single number (a Value, or a Tensor with one entry), "
                             f"got outputs of shapes {shapes}; reduce it first, e.g. .sum() or .mean()")
        return self.outs[0]

    def vector(self, v: Any, like: list, name: str) -> list:
        """``v`` as one array (or float) per node of ``like``, checked against their shapes."""
        if v is None:
            if all(int(np.prod(self.shape(x))) == 1 for x in like) and len(like) == 1:
                return [1.0 if self.values else np.ones(like[0].data.shape, like[0].data.dtype)]
            raise ValueError(f"{self.who}: {name} may be left out only when it has a single entry; pass {name} of "
                             f"shape {[self.shape(x) for x in like]}")
        if self.values:
            flat = as_data(v, np.float64, f"{self.who}: {name}").reshape(-1)
            if flat.size != len(like):
                raise ValueError(f"{self.who}: {name} has {flat.size} entries for {len(like)} Values")
            return [float(f) for f in flat]
        items = [v] if len(like) == 1 and not isinstance(v, tuple) else list(v)
        if len(items) != len(like):
            raise ValueError(f"{self.who}: {name} has {len(items)} parts for {len(like)} Tensors")
        out = []
        for k, (item, x) in enumerate(zip(items, like)):
            where = f"{self.who}: {name}" if len(items) == 1 else f"{self.who}: {name}[{k}]"
            a = as_data(item.data if isinstance(item, Tensor) else item, x.data.dtype, where)
            if a.shape != x.data.shape:
                raise ValueError(f"{self.who}: {name}[{k}] has shape {a.shape}, but it must have shape {x.data.shape}")
            out.append(a)
        return out


@_recorded
def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False) -> tuple:
    """(func(inputs), v^T J): the vector-Jacobian product, as ``torch.autograd.functional.vjp``; ``v`` has the
    output's shape (it may be left out for a single-number output).

    >>> from autograd import Tensor
    >>> out, g = vjp(lambda x: x * x, Tensor([1.0, 2.0]), Tensor([1.0, 1.0]))
    >>> g
    Tensor([2., 4.])
    """
    call = _Call(func, inputs, "vjp", create_graph, strict)
    vs = call.vector(v, call.outs, "v")
    return call.output(create_graph), call.pack(call.grads(call.outs, vs, create_graph, strict))


@_recorded
def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False) -> tuple:
    """(func(inputs), J v): the Jacobian-vector product, as ``torch.autograd.functional.jvp``; ``v`` has the
    inputs' shape. Computed as the vjp of a vjp: u -> J^T u is linear, and its own vjp with v is J v.

    >>> from autograd import Tensor
    >>> out, jv = jvp(lambda x: x * x, Tensor([1.0, 2.0]), Tensor([1.0, 0.0]))
    >>> jv
    Tensor([2., 0.])
    """
    call = _Call(func, inputs, "jvp", create_graph, strict)
    vs = call.vector(v, call.leaves, "v")
    if call.values:
        us = [Value(0.0) for _ in call.outs]
    else:
        us = [Tensor(np.zeros(o.data.shape, o.data.dtype), requires_grad=True) for o in call.outs]
    gs = call.grads(call.outs, us, True, strict)                          # J^T u, linear in u
    dots = [g * vk if call.values else (g * vk).sum() for g, vk in zip(gs, vs)
            if (isinstance(g, Value) or getattr(g, "requires_grad", False))]
    if dots:
        total = dots[0]
        for d in dots[1:]:
            total = total + d
        results = call.grads([total], None, create_graph, strict, towards=us)
    else:
        results = [call.zeros(u) for u in us]
    if call.values:
        jv: Any = np.array([float(getattr(r, "data", r)) for r in results]) if not create_graph else results
        return call.output(create_graph), (jv[0] if call.single_out else jv)
    return call.output(create_graph), (results[0] if call.single_out else tuple(results))


@_recorded
def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False) -> Any:
    """The Jacobian of ``func`` at ``inputs``, as ``torch.autograd.functional.jacobian``: for an output of shape
    (m...) and an input of shape (n...), a Tensor of shape (m..., n...); a tuple per input for a tuple of inputs,
    and a tuple per output (of those) for a tuple of outputs. One backward pass per output entry; a Jacobian of more
    than ``MAX_ENTRIES`` = 2**28 numbers (2 GiB in float64) is refused before the first (use ``vjp`` or ``jvp``).

    For a list of n Values returning a list of m Values: a numpy array (m, n) ((n,) for a single Value).

    >>> from autograd import Tensor
    >>> jacobian(lambda x: x ** 2, Tensor([1.0, 3.0]))
    Tensor([[2., 0.],
            [0., 6.]])
    """
    call = _Call(func, inputs, "jacobian", create_graph, strict)
    call.refuse_too_large(sum(call.size(o) for o in call.outs), "Jacobian", "vjp or jvp")
    if call.values:
        if create_graph:  # rows of Values (or 0.0 where an output does not reach an input): differentiable again
            rows = [call.grads([o], [1.0], True, strict) for o in call.outs]
            return rows[0] if call.single_out else rows
        rows = [call.grads([o], [1.0], False, strict) for o in call.outs]
        J = np.array(rows, dtype=np.float64)
        return J[0] if call.single_out else J
    per_output = []
    for o in call.outs:
        blocks: list = [[] for _ in call.leaves]
        for i in range(o.data.size):
            e = np.zeros(o.data.size, dtype=o.data.dtype)
            e[i] = 1.0
            row = call.grads([o], [e.reshape(o.data.shape)], create_graph, strict)
            for k, g in enumerate(row):
                blocks[k].append(g)
        per_input = [_assemble(b, o.data.shape, x, create_graph) for b, x in zip(blocks, call.leaves)]
        per_output.append(call.pack(per_input))
    return per_output[0] if call.single_out else tuple(per_output)


def _assemble(rows: list, out_shape: tuple, x: Tensor, create_graph: bool) -> Any:
    """Rows of a Jacobian (one per output entry, each of the shape of the input x) as one Tensor (out..., in...)."""
    in_shape = x.data.shape
    if not rows:
        return Tensor(np.zeros(out_shape + in_shape, dtype=x.data.dtype))
    if create_graph and any(isinstance(r, Tensor) and r.requires_grad for r in rows):
        return stack([r if isinstance(r, Tensor) else Tensor(r) for r in rows]).reshape(out_shape + in_shape)
    return Tensor(np.stack([np.asarray(getattr(r, "data", r)) for r in rows]).reshape(out_shape + in_shape))


@_recorded
def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False) -> Any:
    """The Hessian of a scalar ``func`` at ``inputs``, as ``torch.autograd.functional.hessian``: shape
    (n..., n...) for one input; for a tuple of inputs a tuple of tuples, block [i][j] of shape (n_i..., n_j...).
    The gradient is computed with ``create_graph=True``, then each of its entries is differentiated again; a Hessian
    of more than ``MAX_ENTRIES`` = 2**28 numbers (an input of over 16,384 entries) is refused before that (use
    ``hvp`` or ``vhp``).

    For a list of n Values: a numpy array (n, n).

    >>> from autograd import Value
    >>> hessian(lambda v: v[0] * v[0] * v[1], [Value(1.0), Value(2.0)])     # [[2 y, 2 x], [2 x, 0]]
    array([[4., 2.],
           [2., 0.]])
    """
    call = _Call(func, inputs, "hessian", create_graph, strict)
    out = call.scalar_out()
    call.refuse_too_large(sum(call.size(x) for x in call.leaves), "Hessian", "hvp or vhp")
    gs = call.grads([out], None, True, strict)
    if call.values:
        if create_graph:  # rows of Values: the Hessian itself a graph
            return [call.grads([g], [1.0], True, strict) if isinstance(g, Value) else [0.0] * len(gs) for g in gs]
        rows = [call.grads([g], [1.0], False, strict) if isinstance(g, Value) else [0.0] * len(gs) for g in gs]
        return np.array(rows, dtype=np.float64)
    result = []
    for g, x in zip(gs, call.leaves):
        blocks: list = [[] for _ in call.leaves]
        for i in range(x.data.size):
            e = np.zeros(x.data.size, dtype=x.data.dtype)
            e[i] = 1.0
            row = call.grads([g], [e.reshape(x.data.shape)], create_graph, strict) if isinstance(g, Tensor) \
                else [call.zeros(y) for y in call.leaves]
            for k, r in enumerate(row):
                blocks[k].append(r)
        result.append(tuple(_assemble(b, x.data.shape, y, create_graph)
                            for b, y in zip(blocks, call.leaves)))
    return result[0][0] if call.single else tuple(result)


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False) -> tuple:
    """(func(inputs), H v) for a scalar ``func``, as ``torch.autograd.functional.hvp``, without forming H: the
    gradient g is computed with ``create_graph=True``, then <g, v> is differentiated (two backward passes).

    >>> from autograd import Tensor
    >>> out, Hv = hvp(lambda x: (x ** 3).sum(), Tensor([1.0, 2.0]), Tensor([1.0, 1.0]))
    >>> Hv                                                  # diag(6 x) v
    Tensor([ 6., 12.])
    """
    return _hvp(func, inputs, v, create_graph, strict, "hvp")


@_recorded
def _hvp(func: Callable, inputs: Any, v: Any, create_graph: bool, strict: bool, who: str) -> tuple:
    call = _Call(func, inputs, who, create_graph, strict)      # who: hvp or vhp, as the caller named it in errors
    out = call.scalar_out()
    vs = call.vector(v, call.leaves, "v")
    gs = call.grads([out], None, True, strict)
    terms = [g * vk if call.values else (g * vk).sum() for g, vk in zip(gs, vs)
             if isinstance(g, Value) or getattr(g, "requires_grad", False)]
    if terms:
        total = terms[0]
        for t in terms[1:]:
            total = total + t
        hv = call.grads([total], None, create_graph, strict)
    else:
        hv = [call.zeros(x) for x in call.leaves]
    if call.values:
        return call.output(create_graph), (hv if create_graph else np.array([float(h) for h in hv]))
    hv = [h if isinstance(h, Tensor) else Tensor(h) for h in hv]
    return call.output(create_graph), call.pack(hv)


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False) -> tuple:
    """(func(inputs), v^T H), as ``torch.autograd.functional.vhp``: the same numbers as ``hvp`` (H is symmetric).

    >>> from autograd import Tensor
    >>> vhp(lambda x: (x ** 3).sum(), Tensor([1.0, 2.0]), Tensor([1.0, 1.0]))[1]
    Tensor([ 6., 12.])
    """
    return _hvp(func, inputs, v, create_graph, strict, "vhp")
