"""Where the user's 784-256-10 step loses to numpy by hand: in the numpy calls the engine makes, or in its Python?

    python benchmarks/overhead.py               (float32, one BLAS thread, 101 repeats of 10 steps)
    python benchmarks/overhead.py --dtype float64 --repeats 201
    python benchmarks/overhead.py --tiny        (a 4-3-2 net, batch 8: the per-step overhead alone)

Six steps from the same weights, timed in turns; the order of the turns is shuffled in every repeat. Each figure
is the median over the repeats of time / time(numpy by hand) in the same repeat, with its quartiles: the spread
shows the noise.

  numpy by hand        benchmarks/tensor.py's reference step
  nn (user code)       benchmarks/tensor.py's step as a user writes it: nn.MLP, losses.cross_entropy, nn.SGD
  numpy, engine's ops  by hand, the numpy calls the nn step makes, in its order (relu's slope kept from the forward
                       pass, the fused loss's label and range checks, flat indices for the label terms, the update
                       deltas in one list), with no nodes, no graph, no checks
  by hand + Python     numpy by hand after a fixed piece of Python that makes and drops objects, as an engine does;
                       that piece alone (timed hot, in a loop) is printed, so its cost inside the step can be compared
  a bare engine        the user's five calls (zero_grad, model(x), the loss, backward, step) on a reverse-mode
                       engine of 60 lines with the engine's numpy calls and nothing else: nodes, closures, a walk,
                       no check of any kind (no shape, dtype, label, mode or version check). The floor of any eager
                       Python engine with this API: where it stands, no amount of trimming brings nn lower
  bare + the checks    the bare engine with only the checks DESIGN.md's error policy asks of these five calls:
                       operand types, shapes and dtypes, the labels' range, grad mode per thread, backward()'s
                       refusals, version stamps (a weight changed in place after the forward pass is refused),
                       every gradient checked before any weight moves. The floor of an engine that keeps the policy

If "numpy, engine's ops" is about 1.00x while "nn" is not, the gap is the engine's Python, not its arithmetic; "a bare
engine" shows how much of that Python any engine needs, "bare + the checks" how much an engine that keeps the error
policy needs.
"by hand + Python" shows how much a microsecond of such Python costs between the large matrix products (whose data
evicts the interpreter's from the caches): more than its hot cost. The last lines turn the rows into a budget: how
much hot Python nn runs per step, and how much it may run for nn to be 1.03x numpy by hand.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import sys
import threading
import timeit
from collections.abc import Callable

import numpy as np
import tensor as bench  # benchmarks/tensor.py: the problem, the reference step, the user's step, the environment

PYTHON_WORK = 150  # objects made and dropped by the "by hand + Python" step
LOG_MAX = {np.dtype(t): math.log(np.finfo(t).max) for t in (np.float64, np.float32)}  # e^z's range


def engine_ops_step(X: np.ndarray, labels: np.ndarray, params: list) -> Callable[[], float]:
    """numpy by hand, making the numpy calls of autograd.linear, autograd.softmax_cross_entropy, backward() and
    nn.SGD in their order: z = X W1^T + b1, a = relu(z) in place, slope = a != 0, z2 = a W2^T + b2; the loss from
    flat indices i k + y_i, e^z unshifted (every |z| well inside exp's range), the sum beside each label; dz2 =
    softmax beside the labels, p_y - 1 = -(that sum) / s at flat indices; the deltas lr g in one list, then
    w -= delta."""
    W1, b1, W2, b2 = params
    n, k = len(X), W2.shape[0]
    starts = np.arange(0, n * k, k)
    maximum, add = np.maximum.reduce, np.add.reduce

    def step() -> float:
        h = X @ W1.T
        h += b1
        h = np.maximum(h, 0.0, out=h)
        slope = h != 0
        z = h @ W2.T
        z += b2
        if maximum(labels.view(np.uint64)) >= k:
            raise ValueError("labels out of range")
        picks = starts + labels
        bound = 0.5 * (LOG_MAX[z.dtype] - math.log(k)) - 1.0
        if not (-bound <= np.minimum.reduce(z, axis=None) and maximum(z, axis=None) <= bound):
            raise ValueError("logits beyond the range the benchmark times (the engine would shift the rows)")
        p = np.exp(z, order="C")
        flat = p.ravel()
        ey = flat[picks]
        flat[picks] = 0.0
        others = add(p, axis=1)
        s = others + ey
        scale = z.dtype.type(1.0 / n)
        loss = np.asarray(add(np.log1p(others / ey), axis=None) * scale, dtype=z.dtype)
        p /= s[:, None]
        others /= s
        seed = np.empty((), z.dtype)
        seed.fill(1)
        gs = seed * scale
        d = p * gs
        d.ravel()[picks] = others * -gs
        gW2, dh, gb2 = d.T @ h, d @ W2, add(d, axis=0)
        dh *= slope
        gW1, gb1 = dh.T @ X, add(dh, axis=0)
        deltas = [bench.LR * gW1, bench.LR * gb1, bench.LR * gW2, bench.LR * gb2]
        for w, delta in zip((W1, b1, W2, b2), deltas):
            np.subtract(w, delta, w)
        return loss.item()

    return step


def _unshifted_terms(z: np.ndarray, picks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """autograd.softmax_cross_entropy's terms where every |z| is far inside exp's range (the benchmark's logits; the
    engine checks that with one minimum and one maximum and shifts the rows otherwise): e_y = e^(z_y), the sum of
    the others e^(z_j), and e^z with 0 at the labels."""
    bound = 0.5 * (LOG_MAX[z.dtype] - math.log(z.shape[1])) - 1.0
    if not (-bound <= np.minimum.reduce(z, axis=None) and np.maximum.reduce(z, axis=None) <= bound):
        raise ValueError("logits beyond the range the benchmark times (the engine would shift the rows)")
    e = np.exp(z, order="C")
    flat = e.ravel()
    ey = flat[picks]
    flat[picks] = 0.0
    return ey, np.add.reduce(e, axis=1), e


class _Node:
    """A bare engine's node: its numbers, its gradient, its parents and the vjp that maps its gradient to theirs."""

    __slots__ = ("data", "grad", "parents", "vjp")

    def __init__(self, data: np.ndarray, parents: tuple = (), vjp: Callable | None = None) -> None:
        self.data, self.grad, self.parents, self.vjp = data, None, parents, vjp

    def backward(self) -> None:
        grads = {self: np.ones((), self.data.dtype)}
        for node in _ops_root_first(self):
            for parent, g in zip(node.parents, node.vjp(grads.pop(node))):
                if g is None:
                    continue
                if parent.parents:
                    grads[parent] = grads[parent] + g if parent in grads else g
                elif parent.grad is None:
                    parent.grad = g
                else:
                    parent.grad += g


def _ops_root_first(root: _Node) -> list:
    """The nodes made by ops that ``root`` depends on, root first: a chain here, so no sort is needed."""
    order, seen = [root], {root}
    for node in order:
        for parent in node.parents:
            if parent.parents and parent not in seen:
                seen.add(parent)
                order.append(parent)
    return order


def _linear_numbers(x: _Node, W: _Node, b: _Node, relu: bool) -> tuple[np.ndarray, Callable]:
    """act(x W^T + b) as autograd.linear computes it (relu in place, its slope kept), and its vjp; no check."""
    xd, Wd = x.data, W.data
    z = xd @ Wd.T
    z += b.data
    slope = None
    if relu:
        np.maximum(z, 0.0, out=z)
        slope = z != 0

    def vjp(g: np.ndarray) -> tuple:
        d = g if slope is None else g * slope
        return (d @ Wd if x.parents else None), d.T @ xd, np.add.reduce(d, axis=0)

    return z, vjp


def _bare_linear(x: _Node, W: _Node, b: _Node, relu: bool) -> _Node:
    """act(x W^T + b), a node of the bare engine."""
    z, vjp = _linear_numbers(x, W, b, relu)
    return _Node(z, (x, W, b), vjp)


def _cross_entropy_numbers(z: _Node, labels: np.ndarray) -> tuple[np.ndarray, Callable]:
    """The mean of log sum e^z - z_y as autograd.softmax_cross_entropy computes it, and its vjp; no check."""
    zd = z.data
    n, k = zd.shape
    picks = np.arange(0, n * k, k) + labels
    ey, others, p = _unshifted_terms(zd, picks)
    s = others + ey
    scale = zd.dtype.type(1.0 / n)
    loss = np.asarray(np.add.reduce(np.log1p(others / ey), axis=None) * scale)   # -log p_y
    p /= s[:, None]
    others /= s                                           # 1 - p_y

    def vjp(g: np.ndarray) -> tuple:
        gs = g * scale
        d = p * gs                                        # (softmax - onehot(y)) g / N
        d.ravel()[picks] = others * -gs
        return (d,)

    return loss, vjp


def _bare_cross_entropy(z: _Node, labels: np.ndarray) -> _Node:
    """The mean cross-entropy of logits z and integer labels, a node of the bare engine."""
    loss, vjp = _cross_entropy_numbers(z, labels)
    return _Node(loss, (z,), vjp)


class _Model:
    """The user's ``model(x)``: act(x W1^T + b1) W2^T + b2 by an engine's ``linear``."""

    def __init__(self, weights: list, linear: Callable) -> None:
        self.weights, self.linear = weights, linear

    def __call__(self, x: _Node) -> _Node:
        W1, b1, W2, b2 = self.weights
        return self.linear(self.linear(x, W1, b1, True), W2, b2, False)


class _SGD:
    """The user's optimizer: ``zero_grad()`` and ``step()``, w <- w - lr g, with no check."""

    def __init__(self, weights: list) -> None:
        self.weights = weights

    def zero_grad(self) -> None:
        for w in self.weights:
            w.grad = None

    def step(self) -> None:
        for w in self.weights:
            np.subtract(w.data, bench.LR * w.grad, w.data)


def _users_step(model: _Model, opt: _SGD, cross_entropy: Callable, x: _Node,
                labels: np.ndarray) -> Callable[[], float]:
    """``opt.zero_grad(); loss = cross_entropy(model(x), y); loss.backward(); opt.step()``."""

    def step() -> float:
        opt.zero_grad()
        loss = cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        return loss.data.item()

    return step


def bare_engine_step(X: np.ndarray, labels: np.ndarray, params: list) -> Callable[[], float]:
    """The user's step on the bare engine: a model object, an optimizer object, the engine's numpy calls and no
    checks."""
    weights = [_Node(p) for p in params]
    return _users_step(_Model(weights, _bare_linear), _SGD(weights), _bare_cross_entropy, _Node(X), labels)


class _Checked(_Node):
    """A node of the bare engine that keeps what DESIGN.md's error policy needs: its stamp (made after its
    parents, as nn's nodes are), whether it requires grad, and the stamp of its latest change in place."""

    __slots__ = ("born", "requires_grad", "changed")

    def __init__(self, data: np.ndarray, parents: tuple = (), vjp: Callable | None = None,
                 requires_grad: bool = True) -> None:
        super().__init__(data, parents, vjp)
        self.born, self.requires_grad, self.changed = _stamp(), requires_grad, 0

    def backward(self) -> None:
        """As _Node.backward, refused first for what the policy names (a loss that is not one number, nothing to
        differentiate), and refused on the way for a parameter changed in place after the graph read it."""
        if not self.requires_grad:
            raise RuntimeError("backward(): this result does not require grad; make the weights with "
                               "requires_grad=True")
        if self.data.size != 1:
            raise ValueError(f"backward(): a result of shape {self.data.shape} is not a loss; reduce it first")
        grads = {self: np.ones((), self.data.dtype)}
        for node in _ops_root_first(self):
            for parent in node.parents:
                if parent.changed > node.born:             # PyTorch's version counter
                    raise RuntimeError("backward(): a weight was changed in place after the forward pass read "
                                       "it; call backward() before optimizer.step()")
            for parent, g in zip(node.parents, node.vjp(grads.pop(node))):
                if g is None or not parent.requires_grad:
                    continue
                if parent.parents:
                    grads[parent] = grads[parent] + g if parent in grads else g
                elif parent.grad is None:
                    parent.grad = g
                else:
                    parent.grad += g


_stamp = itertools.count(1).__next__


class _Mode(threading.local):
    """Grad mode, a thread's own (DESIGN.md): on unless that thread turned it off."""

    enabled = True


_mode = _Mode()
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _checked_linear(x: _Checked, W: _Checked, b: _Checked, relu: bool) -> _Checked:
    """_bare_linear after the checks autograd.linear makes (W a 2-D float Tensor, x's last axis W's inputs, b of
    W's outputs, one dtype); recorded only where grad mode is on and an input requires grad."""
    if type(W) is not _Checked or W.data.ndim != 2 or W.data.dtype not in _FLOATS:
        raise TypeError("linear: W must be a 2-D float Tensor of shape (n_out, n_in)")
    Wd = W.data
    if type(x) is not _Checked or x.data.ndim != 2 or x.data.shape[1] != Wd.shape[1]:
        raise ValueError(f"linear: x of shape {np.shape(getattr(x, 'data', x))} against W of shape {Wd.shape}: "
                         f"x needs {Wd.shape[1]} columns")
    if type(b) is not _Checked or b.data.shape != (Wd.shape[0],):
        raise ValueError(f"linear: b must have shape ({Wd.shape[0]},)")
    if not x.data.dtype is Wd.dtype is b.data.dtype:
        raise TypeError("linear: x, W and b must share a dtype")
    z, vjp = _linear_numbers(x, W, b, relu)
    if _mode.enabled and (x.requires_grad or W.requires_grad or b.requires_grad):
        return _Checked(z, (x, W, b), vjp)
    return _Checked(z, requires_grad=False)


def _checked_cross_entropy(z: _Checked, labels: np.ndarray) -> _Checked:
    """_bare_cross_entropy after the checks autograd.softmax_cross_entropy makes: (N, K) float logits, K >= 2,
    N >= 1 integer labels in 0..K-1 (int64 labels read as unsigned, so that one maximum refuses negative ones)."""
    if type(z) is not _Checked or z.data.ndim != 2 or z.data.shape[1] < 2 or z.data.dtype not in _FLOATS:
        raise ValueError("softmax_cross_entropy: logits must be a float Tensor of shape (N, K), K >= 2")
    n, k = z.data.shape
    if type(labels) is not np.ndarray or labels.dtype is not _INT64 or labels.shape != (n,) or n == 0 \
            or np.maximum.reduce(labels.view(np.uint64)) >= k:
        raise ValueError(f"softmax_cross_entropy: labels must be {n} int64 classes in 0..{k - 1}")
    loss, vjp = _cross_entropy_numbers(z, labels)
    if _mode.enabled and z.requires_grad:
        return _Checked(loss, (z,), vjp)
    return _Checked(loss, requires_grad=False)


_INT64 = np.dtype(np.int64)


class _CheckedSGD(_SGD):
    """The optimizer of "bare + the checks": every gradient checked before any weight moves (all or nothing), and
    each weight moved stamped, as a change in place."""

    def step(self) -> None:
        deltas = []
        for w in self.weights:
            g, a = w.grad, w.data
            if g is None:
                deltas.append(None)
                continue
            if g.shape != a.shape or g.dtype is not a.dtype or not a.flags.writeable:
                raise ValueError(f"SGD: a gradient of shape {g.shape} ({g.dtype}) for a weight of shape {a.shape} "
                                 f"({a.dtype})")
            deltas.append(bench.LR * g)
        stamp = _stamp()
        for w, delta in zip(self.weights, deltas):
            if delta is not None:
                np.subtract(w.data, delta, w.data)
                w.changed = stamp


def checked_engine_step(X: np.ndarray, labels: np.ndarray, params: list) -> Callable[[], float]:
    """The bare engine's step with the checks DESIGN.md's error policy asks of these five calls and nothing else:
    operand types, shapes and dtypes, the labels' range, grad mode (a thread's own), backward()'s refusals, a
    version stamp on every node and every weight moved in place, and the optimizer's check of every gradient
    before any weight moves (all or nothing). What every engine that keeps the policy pays, at the least."""
    weights = [_Checked(p) for p in params]
    return _users_step(_Model(weights, _checked_linear), _CheckedSGD(weights), _checked_cross_entropy,
                       _Checked(X, requires_grad=False), labels)


class _Thing:
    pass


def python_work(count: int = PYTHON_WORK) -> int:
    """Python as an engine runs it: objects made, given attributes, kept in a dict, dropped."""
    kept = {}
    for i in range(count):
        thing = _Thing()
        thing.value = i
        kept[i] = thing
    return len(kept)


def with_python_work(X: np.ndarray, labels: np.ndarray, params: list) -> Callable[[], float]:
    step = bench.numpy_step(X, labels, params)

    def step_after_python() -> float:
        python_work()
        return step()

    return step_after_python


STEPS = {"numpy by hand": bench.numpy_step, "nn (user code)": bench.nn_step,
         "numpy, engine's ops": engine_ops_step, "by hand + Python": with_python_work,
         "a bare engine": bare_engine_step, "bare + the checks": checked_engine_step}


def check_same_work(dtype: type) -> float:
    """One step of "numpy, engine's ops", of the bare engine and of numpy by hand from the same weights: the
    largest difference of the updated weights (they must agree, or the steps do different work)."""
    X, labels, params = bench.mlp_problem(dtype)
    by_hand = [p.copy() for p in params]
    bench.numpy_step(X, labels, by_hand)()
    worst = 0.0
    for make in (engine_ops_step, bare_engine_step, checked_engine_step):
        mine = [p.copy() for p in params]
        make(X, labels, mine)()
        worst = max(worst, *(float(np.max(np.abs(a - b))) for a, b in zip(by_hand, mine)))
    assert worst < (1e-5 if dtype == np.float32 else 1e-12), f"the steps disagree after one step: {worst:g}"
    return worst


def measure(dtype: type, repeats: int, calls: int) -> dict[str, list[float]]:
    """Seconds per step of each step function, one sample per repeat: tensor.py's ``timed``, whose turns are
    shuffled anew in every repeat."""
    X, labels, params = bench.mlp_problem(dtype)
    steps = {name: make(X, labels, [p.copy() for p in params]) for name, make in STEPS.items()}
    return bench.timed(steps, calls, repeats)


def report(samples: dict[str, list[float]], unit: float, unit_name: str) -> None:
    reference = samples["numpy by hand"]
    for name, times in samples.items():
        ratios = sorted(t / r for t, r in zip(times, reference))
        q1, q3 = ratios[len(ratios) // 4], ratios[(3 * len(ratios)) // 4]
        print(f"   {name:<20} {statistics.median(times) / unit:8.3f} {unit_name}   "
              f"{statistics.median(ratios):.3f}x numpy by hand (quartiles {q1:.3f}-{q3:.3f})")


def python_budget(samples: dict[str, list[float]], hot: float, target: float = 1.03) -> list[str]:
    """What the rows say about the engine's Python: the cost of a hot microsecond of Python inside this step (from
    "by hand + Python"), the step time nn spends beyond its numpy calls, and how much Python a step may run for nn
    to be ``target`` times numpy by hand, given what its numpy calls cost. Medians of per-repeat differences."""
    reference = samples["numpy by hand"]

    def beyond(name: str, base: list[float]) -> float:
        return statistics.median(t - r for t, r in zip(samples[name], base))

    per_hot = beyond("by hand + Python", reference) / hot              # step time per hot second of Python
    if per_hot <= 0:
        return ["   (the Python piece cost nothing measurable in this run: no budget computed)"]
    engine_python = beyond("nn (user code)", samples["numpy, engine's ops"])
    bare_python = beyond("a bare engine", samples["numpy, engine's ops"])
    checked_python = beyond("bare + the checks", samples["numpy, engine's ops"])
    allowed = statistics.median(target * r - e for r, e in zip(reference, samples["numpy, engine's ops"]))
    return [f"   a hot microsecond of Python costs {per_hot:.1f} us inside this step",
            f"   nn's Python: {engine_python * 1e6:.0f} us of the step, about {engine_python / per_hot * 1e6:.0f} us "
            f"of hot Python",
            f"   a bare engine's Python: {bare_python * 1e6:.0f} us of the step, about "
            f"{bare_python / per_hot * 1e6:.0f} us of hot Python",
            f"   with the error policy's checks: {checked_python * 1e6:.0f} us of the step, about "
            f"{checked_python / per_hot * 1e6:.0f} us of hot Python",
            f"   for nn at {target:.2f}x numpy by hand its Python may take {allowed * 1e6:.0f} us of the step, "
            f"about {max(allowed, 0) / per_hot * 1e6:.0f} us of hot Python"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--repeats", type=int, default=101, help="repeats (at least 7)")
    parser.add_argument("--calls", type=int, default=None, help="steps per sample (default 10; --tiny: 200)")
    parser.add_argument("--tiny", action="store_true", help="a 4-3-2 net on 8 samples: the overhead alone")
    parser.add_argument("--glibc-default", action="store_true",
                        help="leave glibc's malloc as it is (freed memory may go back to the OS and page in again)")
    args = parser.parse_args()
    if args.repeats < 7:
        sys.exit("--repeats must be at least 7")
    if args.tiny:
        bench.SIZES, bench.BATCH = (4, 3, 2), 8
    calls = args.calls or (200 if args.tiny else 10)
    malloc = "malloc: glibc's defaults (--glibc-default)" if args.glibc_default else bench.keep_freed_memory()
    with bench.limit_threads(1):
        print("\n".join(bench.environment(1) + [malloc]))
        hot = min(timeit.repeat(python_work, number=2000, repeat=7)) / 2000
        print(f"\n{'-'.join(map(str, bench.SIZES))}, batch {bench.BATCH}, {args.dtype}: one training step, "
              f"{args.repeats} repeats of {calls} steps")
        print(f"   the Python piece alone, hot: {hot * 1e6:.1f} us")
        worst = check_same_work(getattr(np, args.dtype))
        print(f"   one step from the same weights: numpy by hand, the engine's ops and the bare engine agree to "
              f"{worst:.1e}")
        samples = measure(getattr(np, args.dtype), args.repeats, calls)
        report(samples, 1e-6 if args.tiny else 1e-3, "us" if args.tiny else "ms")
        print("\n".join(python_budget(samples, hot)))


if __name__ == "__main__":
    main()
