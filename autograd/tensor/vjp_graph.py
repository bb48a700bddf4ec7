"""Each Tensor op's vector-Jacobian product written with Tensor ops, for ``backward(create_graph=True)``.

An op's own vjp works on arrays: fast, but its result is a plain array, a dead end for a second derivative. Here
the same products are built from Tensor ops (the output's gradient ``g`` is a Tensor, and so are the parents and
the output itself), so the gradient is a graph that can be differentiated again:

- an elementwise op multiplies ``g`` by its local derivative; where that derivative depends on the input it is
  rebuilt from the rules table's NODES backend (``rules.TANH.partials(NODES, x, y)`` is 1 - y^2, written
  ``4 e / (1 + e)^2`` with ``e = exp(-2|x|)``, and as 1 - y^2 itself near 0, as Tensor ops); where it is
  constant (``x + c``, ``c x``, relu's step, clip's mask, where's choice) it is read once from the op's own vjp
  applied to ones, and is a constant of the new graph;
- a reduction or a move (sum, reshape, getitem, concatenate, ...) applies the linear map its vjp applies, as Tensor
  ops (a broadcast, a reshape, a scatter, slices), reading the op's settings (its axes, its index) from its vjp.

>>> from autograd import Tensor
>>> x = Tensor([0.5, -1.0], requires_grad=True)
>>> y = x.tanh()
>>> (dx,) = vjp_as_nodes(y, Tensor([1.0, 1.0]))   # (1 - y^2) g, a Tensor computed from x
>>> bool(np.allclose(dx.data, 1 - np.tanh(x.data) ** 2)), dx.requires_grad
(True, True)

The settings are read from the names the ops' vjps close over (``kept``, ``axes``, ``idx``, ...): a renamed
variable makes the op fail here with a message naming it (a ``SecondOrderError``), and
``tests/test_second_order_coverage.py`` runs every op the Tensor engine can record through a Hessian, so neither
such a change nor a new op without an entry in ``VJPS`` can pass unnoticed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import graph, rules
from . import functions  # (importing it binds the ops below that are Tensor methods; where() is used too)
from .core import TensorCore, make
from .shape import concatenate, matmul, stack

_N = rules.NODES


class SecondOrderError(RuntimeError):
    """backward(create_graph=True) met a Tensor op whose vector-Jacobian product it cannot rebuild from Tensor ops
    (an op with no entry in ``VJPS``, or one whose vjp no longer keeps the settings its entry reads)."""


def _settings(node: Any) -> dict:
    """The variables the node's vjp closes over, by name."""
    code = getattr(node.vjp, "__code__", None)
    cells = getattr(node.vjp, "__closure__", None) or ()
    return dict(zip(code.co_freevars, (c.cell_contents for c in cells))) if code is not None else {}


def _setting(node: Any, name: str) -> Any:
    found = _settings(node)
    if name not in found:
        raise SecondOrderError(
            f"backward(create_graph=True): the {node.op!r} op's vjp no longer keeps {name!r} (it keeps "
            f"{sorted(found)}); autograd/tensor/vjp_graph.py must follow the change in the op"
        )
    return found[name]


def _probe(node: Any) -> tuple:
    """The op's own vjp applied to ones: an elementwise op's local derivative towards each parent (an array)."""
    return node.vjp(np.ones(node.data.shape, dtype=node.data.dtype))


def _times(g: Any, d: Any) -> Any:
    """g * d with the Tensor on the left (numpy on the left would try to make the Tensor an array)."""
    if d is None:
        return None
    return g * d if isinstance(g, TensorCore) else d * g


def _needs(parents: tuple) -> list:
    return [p.requires_grad for p in parents]


# --- ops of this module: their own vjps are Tensor ops, so they differentiate any number of times -------------

def broadcast_to(t: Any, shape: tuple) -> Any:
    """``t`` repeated to ``shape`` (numpy broadcasting); the backward pass sums it back to ``t``'s shape."""
    return make(np.broadcast_to(t.data, shape), (t,), lambda u: (u,), "broadcast_to")


def scatter(g: Any, idx: Any, shape: tuple, repeats: bool) -> Any:
    """A zero array of ``shape`` with ``g`` added at ``idx`` (getitem's vjp); its own vjp is ``u[idx]``."""
    dx = np.zeros(shape, dtype=g.data.dtype)
    if repeats:
        np.add.at(dx, idx, g.data)
    else:
        dx[idx] = g.data
    return make(dx, (g,), lambda u: (u[idx],), "scatter")


def cast(t: Any, dtype: Any) -> Any:
    """``t`` in another dtype; its gradient goes back in ``t``'s own dtype."""
    source = t.data.dtype
    return make(t.data.astype(dtype), (t,), lambda u: (u.astype(source),), "astype")


def unbroadcast(g: Any, shape: tuple) -> Any:
    """Sum ``g`` (a Tensor) over the axes broadcasting added or stretched, so that it has ``shape``; Tensor ops."""
    if g.data.shape == shape:
        return g
    lead = g.data.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and g.data.shape[lead + i] != 1)
    return g.sum(axis=axes).reshape(shape) if axes else g.reshape(shape)


# --- one differentiable vjp per op ----------------------------------------------------------------------------

def _add(node: Any, g: Any) -> tuple:
    return tuple(g for _ in node.parents)                                   # d/da = d/db = 1


def _sub(node: Any, g: Any) -> tuple:
    if len(node.parents) == 2:
        return (g, -g)                                                      # a - b
    d = np.ravel(_probe(node)[0])
    return (g,) if d.size == 0 or d[0] > 0 else (-g,)                       # x - c  or  c - x


def _neg(node: Any, g: Any) -> tuple:
    return (-g,)


def _mul(node: Any, g: Any) -> tuple:
    if len(node.parents) == 2:
        a, b = node.parents                                                 # d/da = b, d/db = a
        return (g * b if a.requires_grad else None, g * a if b.requires_grad else None)
    return (_times(g, _probe(node)[0]),)                                    # c x: d/dx = c


def _in_dtype_of(node: Any, a: Any, b: Any) -> tuple:
    """The parents a, b of ``node`` in its dtype (``astype``, which sends each gradient back in its own), as the
    op's own vjp takes them: a float64 result of a float32 and a float64 Tensor has its partials in float64."""
    dtype = node.data.dtype
    if a.data.dtype is b.data.dtype:
        return a, b
    return tuple(p if p.data.dtype is dtype else p.astype(dtype) for p in (a, b))


def _div(node: Any, g: Any) -> tuple:
    """The op's own vjp's products, in its order (so that the numbers are its numbers, to the last digit)."""
    if len(node.parents) == 2:
        a, b = _in_dtype_of(node, *node.parents)
        da, db = rules.DIV.partials(_N, a, b, node)                         # rules.DIV: 1/b, -y/b
        return (g * da if a.requires_grad else None, g * db if b.requires_grad else None)
    (x,) = node.parents
    found = _settings(node)
    if "c" in found:                                                        # c / x: d/dx = -y/x
        return (g * rules.DIV.partials(_N, found["c"], x, node)[1],)
    return (g / _setting(node, "b"),)                                       # x / c: d/dx = 1/c, as g / c


def _pow(node: Any, g: Any) -> tuple:
    if len(node.parents) == 2:                                              # rules.POWER2: b a^(b-1), y ln a
        a, b = _in_dtype_of(node, *node.parents)
        return (g * rules.power2_slope_as_nodes(a, b, node) if a.requires_grad else None,
                g * rules.power2_log_slope_as_nodes(a, b, node) if b.requires_grad else None)
    (x,) = node.parents
    found = _settings(node)
    if "p" in found:                                                        # x^p: p x^(p-1) (0 where p = 0)
        p = found["p"]                                                      # a constant: the rule's NODES form
        (d,) = rules.POWER.partials(_N, x, p if isinstance(p, (int, float)) else np.asarray(p), node)
        return (_times(g, d),)
    c = _setting(node, "c")                                                 # c^x: y ln c
    return (g * (node * np.log(c)),)


def _function(node: Any, g: Any) -> tuple:
    """exp, log, tanh, sigmoid, ...: g f'(x), with f'(x) from the rules table's NODES backend (relu's step and
    abs's sign come back as constants: their derivative is 0 away from the kink)."""
    (x,) = node.parents
    (d,) = rules.FUNCTIONS[node.op].partials(_N, x, node)
    return (_times(g, d),)


def _elementwise_constant(node: Any, g: Any) -> tuple:
    """clip, maximum, minimum, where: the local derivative is a fixed mask, read from the op's own vjp."""
    return tuple(_times(g, d) for d in _probe(node))


def _logaddexp(node: Any, g: Any) -> tuple:
    """rules.LOGADDEXP: d/da = sigmoid(a - b), d/db = sigmoid(b - a), with sigmoid a Tensor op (a constant operand:
    its array, which gets no gradient)."""
    a, b = (_setting(node, name) for name in ("a", "b"))
    x, y = (t if isinstance(t, TensorCore) else np.asarray(t, node.data.dtype) for t in (a, b))
    dx, dy = rules.LOGADDEXP.partials(_N, x, y, node)
    return tuple(g * d for t, d in zip((a, b), (dx, dy)) if isinstance(t, TensorCore))


def _sum(node: Any, g: Any) -> tuple:
    shape = node.parents[0].data.shape
    found = _settings(node)
    kept = found.get("kept", (1,) * len(shape))
    return (broadcast_to(g.reshape(kept), shape),)                          # dy/dx_i = 1


def _mean(node: Any, g: Any) -> tuple:
    shape = node.parents[0].data.shape
    kept, n = _setting(node, "kept"), _setting(node, "n")
    return (broadcast_to((g / n).reshape(kept), shape),)                    # dy/dx_i = 1/n


def _extremum(node: Any, g: Any) -> tuple:
    x, best, axes, kept = (_setting(node, k) for k in ("x", "best", "axes", "kept"))
    hit = x == best
    share = hit / hit.sum(axis=axes, keepdims=True)                         # 1/k at each of k tied extremes
    return (g.reshape(kept) * share,)


def _reduced(kept: tuple) -> tuple:
    """The axes of size 1 in ``kept``: the reduced ones (and any of size 1 already, where reducing changes nothing)."""
    return tuple(i for i, k in enumerate(kept) if k == 1)


def _var(node: Any, g: Any) -> tuple:
    (x,) = node.parents
    kept, n = _setting(node, "kept"), _setting(node, "n")
    centred = x - x.mean(axis=_reduced(kept), keepdims=True) if kept else x - x
    off = centred.data - _setting(node, "d")    # 0, but where the op took its deviations from scaled entries (a
    if off.any():                               # mean beyond numpy's sum, one ulp off): a constant, so no slope
        centred = centred - off
    return (g.reshape(kept) * centred * (2.0 / n),)                         # 2 (x_i - m) / n


def _logsumexp(node: Any, g: Any) -> tuple:
    (x,) = node.parents
    kept = _setting(node, "s").shape
    p = x.softmax(axis=_reduced(kept))                                      # dy/dx_i = softmax(x)_i
    nan = np.isnan(p.data)
    if nan.any():                    # a row with a +inf entry: softmax is NaN in all of it (inf - inf), where the
        first = _probe(node)[0]      # op's own vjp gives a finite entry its limit 0; those entries are that constant
        p = functions.where(nan & ~np.isnan(first), first, p)
    return (g.reshape(kept) * p,)


def _softmax(node: Any, g: Any) -> tuple:
    axes = _setting(node, "axes")                                           # p (h - sum_i h_i p_i), h = g - c
    if g.data.size and np.max(np.abs(g.data)) > 0.5 * np.finfo(g.data.dtype).max:   # g - g_k could overflow
        h = g                                                               # (as the op's own vjp: c = 0 there)
    else:
        h = g - functions.where(node.data > 0.5, g, 0.0).sum(axis=axes, keepdims=True)   # c: g at a share > 1/2
    return (node * (h - (h * node).sum(axis=axes, keepdims=True)),)


def _log_softmax(node: Any, g: Any) -> tuple:
    axes, big = _setting(node, "axes"), _setting(node, "big")              # g - p sum_i g_i
    e, s = _setting(node, "e"), _setting(node, "s")
    p = node.exp()
    # e^y is the share p as a graph; shifted onto the op's e / s (within a few hundred ulp: the shift is exact, so
    # the sum is e / s to the bit, as the op's own vjp takes it)
    p = p + (e / s - p.data)
    d = g - p * g.sum(axis=axes, keepdims=True)
    if not big.any():
        return (d,)
    q = functions.where(big, 0.0, p).sum(axis=axes, keepdims=True)         # 1 - p_k as a graph, shifted onto the
    q = q + (_setting(node, "r") / s - q.data)                              # op's r / s (exact again)
    rest = functions.where(big, 0.0, g).sum(axis=axes, keepdims=True)
    return (functions.where(big, g * q - p * rest, d),)


PROD_GRAPH_LIMIT = 2 ** 24  # numbers _prod may gather (128 MB of float64 each for the gather and the product)


def _prod(node: Any, g: Any) -> tuple:
    """dL/dx_i = g prod_(j != i) x_j, as one product of g and the other entries (a gather, then prod): exact where
    entries are 0, as the op's own vjp is (never y / x_i), and in range wherever the op's own is (g 1e-300 times
    others' 1e400 is 1e-100, not inf). It costs n^2 for n reduced entries, and is itself a prod, so it differentiates
    any number of times."""
    (x,) = node.parents
    axes, rest = _setting(node, "axes"), _setting(node, "rest")
    shape = x.data.shape
    n = int(np.prod([shape[a] for a in axes], dtype=np.int64))
    rows = tuple(shape[i] for i in rest)
    built = n * n * math.prod(rows)
    if built > PROD_GRAPH_LIMIT:                    # 10^5 entries would ask for 80 GB and take the machine down
        raise SecondOrderError(
            f"backward(create_graph=True): prod over {n} entries (of a Tensor of shape {shape}) rebuilds its "
            f"gradient as n^2 = {built:,} numbers, above the {PROD_GRAPH_LIMIT:,} allowed; differentiate this prod "
            "once only (backward() without create_graph takes n), or write it as exp(log(x).sum()) for x > 0"
        )
    m = x.transpose(rest + axes).reshape(rows + (n,))                       # the reduced entries along the last axis
    j = np.arange(max(n - 1, 0))
    others = j + (j >= np.arange(n)[:, None])                               # row i: 0 .. n-1 without i
    each_g = broadcast_to(g.reshape(rows + (1, 1)), rows + (n, 1))          # g once per entry of its product
    d = concatenate([each_g, m[..., others]], axis=-1).prod(axis=-1)       # d_i = g prod of m_j over j != i
    return (d.reshape(rows + tuple(shape[a] for a in axes)).transpose(tuple(np.argsort(rest + axes))),)


def _flip(t: Any, ax: int) -> Any:
    """``t`` reversed along axis ``ax``: indexing with a reversed slice, a Tensor op."""
    return t[(slice(None),) * ax + (slice(None, None, -1),)]


def _cumsum(node: Any, g: Any) -> tuple:
    ax, shape = _setting(node, "ax"), _setting(node, "shape")               # dL/dx_i = sum_(k >= i) g_k
    return (_flip(_flip(g, ax).cumsum(axis=ax), ax).reshape(shape),)


def _swap(m: Any) -> Any:
    """The last two axes exchanged (a Tensor op on a Tensor, numpy's on a constant)."""
    if isinstance(m, TensorCore):
        perm = list(range(m.data.ndim))
        perm[-1], perm[-2] = perm[-2], perm[-1]
        return m.transpose(perm)
    return np.swapaxes(m, -1, -2)


def _outer(u: Any, v: Any) -> Any:
    """u v^T of two vectors (either may be a constant array)."""
    col, row = u.reshape(-1, 1), v.reshape(1, -1)
    return col * row if isinstance(col, TensorCore) else row * col


def _matmul(node: Any, g: Any) -> tuple:
    ta, tb = _setting(node, "ta"), _setting(node, "tb")
    x, y = _setting(node, "x"), _setting(node, "y")
    A = ta if ta is not None else x
    B = tb if tb is not None else y
    need_a = ta is not None and ta.requires_grad
    need_b = tb is not None and tb.requires_grad
    ga = gb = None
    if x.ndim == 2 and y.ndim == 2:                                         # C = A B: G B^T, A^T G
        ga = matmul(g, _swap(B)) if need_a else None
        gb = matmul(_swap(A), g) if need_b else None
    elif x.ndim <= 2 and y.ndim <= 2:
        if x.ndim == 2:                                                     # z = W v: g v^T, W^T g
            ga = _outer(g, B) if need_a else None
            gb = matmul(g, A) if need_b else None
        elif y.ndim == 2:                                                   # z = v W: W g, v g^T
            ga = matmul(B, g) if need_a else None
            gb = _outer(A, g) if need_b else None
        else:                                                               # u . v: g v, g u
            ga = g * B if need_a else None
            gb = g * A if need_b else None
    else:                                                                   # stacks of matrices
        X = A.reshape(1, -1) if x.ndim == 1 else A
        Y = B.reshape(-1, 1) if y.ndim == 1 else B
        gs = g.data.shape
        G = g.reshape(gs[:-1] + (1, gs[-1])) if x.ndim == 1 else g.reshape(gs + (1,)) if y.ndim == 1 else g
        if need_a:
            ga = matmul(G, _swap(Y))
            ga = ga.reshape(ga.data.shape[:-2] + ga.data.shape[-1:]) if x.ndim == 1 else ga
        if need_b:
            gb = matmul(_swap(X), G)
            gb = gb.reshape(gb.data.shape[:-1]) if y.ndim == 1 else gb
    if ta is None:
        return (gb,)
    return (ga,) if tb is None else (ga, gb)


def _repeat(node: Any, g: Any) -> tuple:
    """dL/dx_i = the sum of g over the copies of x_i: with r copies of each, a reshape to (..., n, r, ...) and a sum
    over the r; with a count per entry, a sum over each entry's run of copies."""
    src, ax, source = _setting(node, "src"), _setting(node, "ax"), _setting(node, "source")
    shape = node.parents[0].data.shape
    n = src.shape[ax]
    counts = np.bincount(source, minlength=n)
    if n == 0 or np.all(counts == counts[0]):
        r = int(counts[0]) if n else 0
        blocks = g.reshape(src.shape[:ax] + (n, r) + src.shape[ax + 1:])
        return (blocks.sum(axis=ax + 1).reshape(shape),)
    head = (slice(None),) * ax
    ends = np.cumsum(counts)
    runs = [g[head + (slice(int(e - c), int(e)),)].sum(axis=ax) for c, e in zip(counts, ends)]
    return (stack(runs, axis=ax).reshape(shape),)


def _outer_op(node: Any, g: Any) -> tuple:
    """autograd.outer: y_ij = u_i v_j (u, v the flattened operands): dL/du = G v, dL/dv = G^T u."""
    a, b = _setting(node, "a"), _setting(node, "b")
    u = a.reshape(-1) if isinstance(a, TensorCore) else _setting(node, "u")
    v = b.reshape(-1) if isinstance(b, TensorCore) else _setting(node, "v")
    grads = []
    if isinstance(a, TensorCore):
        grads.append(matmul(g, v).reshape(a.data.shape) if a.requires_grad else None)
    if isinstance(b, TensorCore):
        grads.append(matmul(u, g).reshape(b.data.shape) if b.requires_grad else None)
    return tuple(grads)


def _trace(node: Any, g: Any) -> tuple:
    """dL/dx = g on the diagonal (axes axis1, axis2 moved last), 0 elsewhere: a broadcast, a scatter, a transpose."""
    x, a1, a2 = _setting(node, "x"), _setting(node, "a1"), _setting(node, "a2")
    rows, cols = _setting(node, "rows"), _setting(node, "cols")
    rest = tuple(i for i in range(x.ndim) if i not in (a1, a2))
    lead = tuple(x.shape[i] for i in rest)
    on = broadcast_to(g.reshape(lead + (1,)), lead + (len(rows),))          # g once per diagonal entry
    moved = scatter(on, (Ellipsis, rows, cols), lead + (x.shape[a1], x.shape[a2]), False)
    return (moved.transpose(tuple(np.argsort(rest + (a1, a2)))),)


def _diag(node: Any, g: Any) -> tuple:
    rows, cols = _setting(node, "rows"), _setting(node, "cols")
    (x,) = node.parents
    if x.data.ndim == 1:                                                    # v onto a diagonal: dL/dv = diag(G)
        return (g[rows, cols],)
    return (scatter(g, (rows, cols), x.data.shape, False),)                 # a diagonal out: G on it, 0 elsewhere


def _reshape(node: Any, g: Any) -> tuple:
    return (g.reshape(node.parents[0].data.shape),)


def _transpose(node: Any, g: Any) -> tuple:
    found = _settings(node)
    return (g.transpose(found["back"]) if "back" in found else g.transpose(),)


def _getitem(node: Any, g: Any) -> tuple:
    idx, x, repeats = _setting(node, "idx"), _setting(node, "x"), _setting(node, "repeats")
    return (scatter(g, idx, x.shape, repeats),)


def _concatenate(node: Any, g: Any) -> tuple:
    items, cuts, ax = _setting(node, "items"), _setting(node, "cuts"), _setting(node, "ax")
    bounds = [0, *(int(c) for c in cuts), g.data.shape[ax]]
    head = (slice(None),) * ax
    return tuple(g[head + (slice(lo, hi),)] if t.requires_grad else None
                 for t, lo, hi in zip(items, bounds, bounds[1:]) if isinstance(t, TensorCore))


def _stack(node: Any, g: Any) -> tuple:
    items, ax = _setting(node, "items"), _setting(node, "ax")
    head = (slice(None),) * ax
    return tuple(g[head + (i,)] if t.requires_grad else None for i, t in enumerate(items) if isinstance(t, TensorCore))


def _identity(node: Any, g: Any) -> tuple:
    return (g,)                                                 # broadcast_to (the engine sums back), clone


def _scatter(node: Any, g: Any) -> tuple:
    return (g[_setting(node, "idx")],)


def _astype(node: Any, g: Any) -> tuple:
    return (cast(g, _setting(node, "source")),)


def _linear(node: Any, g: Any) -> tuple:
    """autograd.linear: y = act(x W^T + b) as one node. z is rebuilt from the parents with Tensor ops, so that
    act'(z) (the rules' NODES form) and the three products carry their dependence on x, W and b."""
    x, W = node.parents[0], node.parents[1]
    b = node.parents[2] if len(node.parents) == 3 else None
    n_out, n_in = W.data.shape
    x2 = x.reshape(-1, n_in)
    d = g.reshape(-1, n_out)
    name = node.op.partition("+")[2]
    if name:                                                                # dL/dz = dL/dy * act'(z)
        z = matmul(x2, W.T) if b is None else matmul(x2, W.T) + b
        (slope,) = rules.FUNCTIONS[name].partials(_N, z, node.reshape(-1, n_out))
        d = _times(d, slope)
    gW = matmul(d.T, x2)                                                    # D^T x
    gx = matmul(d, W).reshape(x.data.shape) if x.requires_grad else None   # D W
    return (gx, gW) if b is None else (gx, gW, d.sum(axis=0))


def _softmax_cross_entropy(node: Any, g: Any) -> tuple:
    """autograd.softmax_cross_entropy: dL/dz = (softmax(z) - onehot(y)) g / N, with softmax(z) a Tensor op."""
    (z,) = node.parents
    picks, scale = _setting(node, "picks"), _setting(node, "scale")
    onehot = np.zeros(z.data.shape, dtype=z.data.dtype)
    onehot.reshape(-1)[picks] = 1.0                                         # entry (i, y_i): flat i k + y_i
    label = onehot == 1.0
    p = functions.where(label, 0.0, z.softmax(axis=-1))                    # the other shares
    # p_y - 1 as -(the sum of the other shares), as the op's vjp takes it: p_y - 1 lost its digits where p_y ~ 1
    d = functions.where(label, -p.sum(axis=-1, keepdims=True), p)
    return (d * (g * float(scale)),)


def _sigmoid_cross_entropy(node: Any, g: Any) -> tuple:
    """autograd.sigmoid_cross_entropy: dc/dz = sigmoid(z) - y, written (1 - y) sigmoid(z) - y sigmoid(-z) as the
    op's own vjp keeps both tails' digits, and dc/dy = -z; each times g, with sigmoid a Tensor op."""
    z = node.parents[0]
    y = node.parents[1] if len(node.parents) == 2 else _setting(node, "y")
    dz = (z.sigmoid() * (1.0 - y) - (-z).sigmoid() * y) * g
    return (dz, -z * g) if len(node.parents) == 2 else (dz,)


VJPS: dict[str, Callable[[Any, Any], tuple]] = {
    "+": _add, "-": _sub, "neg": _neg, "*": _mul, "/": _div, "**": _pow,
    **{name: _function for name in rules.FUNCTIONS if name != "neg"},
    "logaddexp": _logaddexp,
    "clip": _elementwise_constant, "maximum": _elementwise_constant, "minimum": _elementwise_constant,
    "where": _elementwise_constant,
    "sum": _sum, "mean": _mean, "max": _extremum, "min": _extremum, "var": _var,
    "prod": _prod, "cumsum": _cumsum,
    "logsumexp": _logsumexp, "softmax": _softmax, "log_softmax": _log_softmax,
    "matmul": _matmul, "outer": _outer_op, "trace": _trace, "diag": _diag,
    "reshape": _reshape, "transpose": _transpose, "getitem": _getitem, "repeat": _repeat,
    "concatenate": _concatenate, "stack": _stack,
    "broadcast_to": _identity, "scatter": _scatter, "astype": _astype, "clone": _identity,
    "linear": _linear, **{f"linear+{name}": _linear for name in rules.FUNCTIONS},
    "softmax_cross_entropy": _softmax_cross_entropy, "sigmoid_cross_entropy": _sigmoid_cross_entropy,
}


def vjp_as_nodes(node: Any, g: Any) -> tuple:
    """dL/d(parent) for each parent of ``node`` (None where a parent needs none), as Tensors computed from ``g``
    (dL/d(node), a Tensor), the parents and the node itself: a differentiable form of ``node.vjp(g.data)``."""
    rule = VJPS.get(node.op)
    if rule is None:
        raise SecondOrderError(
            f"backward(create_graph=True): the op {node.op!r} (a Tensor of shape {node.data.shape}) has no "
            "differentiable vjp in autograd/tensor/vjp_graph.py; add one there (VJPS), built from Tensor ops"
        )
    try:
        return rule(node, g)
    except (ZeroDivisionError, ValueError) as error:     # a zero refused inside the rebuilt derivative (sqrt at 0)
        if all(d is None or np.isfinite(d).all() for d in _probe(node)):
            raise                                           # not an infinite derivative: some other fault
        raise graph.unbuildable_derivative(node, error) from error
