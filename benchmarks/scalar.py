"""Scalar engine speed: micrograd's demo step (eager, compiled), HH19's netbp through a compiled trace, a long chain.

    python benchmarks/scalar.py            (or: make bench)
    python benchmarks/scalar.py --quick    (a smoke run: fewer steps and repeats)

The demo step is micrograd's moons demo: MLP(2, [16, 16, 1]) with ReLU hidden layers and a linear output, over 100
points, max-margin loss mean(relu(1 - y s)) + 1e-4 * sum(p^2), forward + backward + SGD update. Every version
starts from the same weights and does the same arithmetic (the losses are printed; the compiled step's equal the
eager engine's bitwise).

Method: the candidates take turns step by step (step k of each, then step k + 1 of each), so a slow moment of the
shared machine hits them alike; a ratio is the median over repeats of the ratio within one repeat. The garbage
collector is on, as users run it.

1. 100 steps of the demo, repeated: plain floats (backward written by hand), ``nn.scalar.MLP.compiled_step``
   (a fresh model each repeat: the time of its first step includes tracing and compiling), and the eager
   ``nn.scalar.MLP`` step. Per-step averages over the 100 steps.
2. Against micrograd 0.1.0: CPU time (time.process_time) per step, median of the steps, with gc.collect() before
   each of micrograd's steps (outside the timing) and without; the compiled step and the micrograd-shaped
   deltagrad graph (one * and one + node per weight) beside it.
3. HH19's netbp: 1e6 SGD steps of the 2-2-3-2 sigmoid net (quadratic cost, eta 0.05) through the compiled Value
   trace (``Compiled.sgd``) against ``nn.backprop.sgd`` (its own written-out scalar code), alternating.
4. The topological order: ``value_topological_order`` (compile's) and its computed nodes only (``leaves=False``,
   Value.backward's) against the generic ``graph.topological_order``, on the demo's graph and on a tree.
5. A chain of 100,000 links.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from operator import mul
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograd import Value, compile, topological_order  # noqa: E402
from autograd.value import value_topological_order  # noqa: E402
from nn.scalar import MLP  # noqa: E402

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4


def moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list, list]:
    """Two interleaved half circles, labels -1 and +1 (micrograd's demo data, generated here)."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    upper = np.arange(n) < n // 2
    X = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    X = X + rng.normal(scale=noise, size=X.shape)
    return X.tolist(), np.where(upper, -1.0, 1.0).tolist()


def initial_weights(seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1, 1, (m, n)), np.zeros(m)) for n, m in zip(SIZES[:-1], SIZES[1:])]


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100


# --- the lower bound: the same step written by hand with Python floats ---------------------------------------------

class PlainFloats:
    """Forward, hand-derived backward and update on lists of floats: what scalar Python costs at least."""

    def __init__(self, weights: list) -> None:
        self.W = [W.tolist() for W, _ in weights]
        self.b = [b.tolist() for _, b in weights]

    def step(self, X: list, Y: list, k: int) -> float:
        W, b, L = self.W, self.b, len(self.W)
        gW = [[[0.0] * len(row) for row in Wl] for Wl in W]
        gb = [[0.0] * len(bl) for bl in b]
        N = len(X)
        data_loss = 0.0
        for x, y in zip(X, Y):
            acts = [x]  # a^[l] for every layer
            for l in range(L):
                z = [bj + sum(w * a for w, a in zip(row, acts[-1])) for row, bj in zip(W[l], b[l])]
                acts.append([v if v > 0 else 0.0 for v in z] if l < L - 1 else z)
            margin = 1.0 - y * acts[-1][0]
            if margin <= 0:
                continue
            data_loss += margin
            delta = [-y / N]  # d loss / d s
            for l in range(L - 1, -1, -1):
                a_prev = acts[l]
                for j, dj in enumerate(delta):
                    gb[l][j] += dj
                    row = gW[l][j]
                    for i, ai in enumerate(a_prev):
                        row[i] += dj * ai
                if l:  # delta^[l] = relu'(z) o W^T delta^[l+1]; relu'(z) = 1 where the activation is positive
                    delta = [sum(W[l][j][i] * delta[j] for j in range(len(delta))) if a_prev[i] > 0 else 0.0
                             for i in range(len(a_prev))]
        reg = sum(w * w for Wl in W for row in Wl for w in row) + sum(v * v for bl in b for v in bl)
        lr = learning_rate(k)
        for l in range(L):
            for j, row in enumerate(W[l]):
                grow = gW[l][j]
                for i in range(len(row)):
                    row[i] -= lr * (grow[i] + 2 * ALPHA * row[i])
                b[l][j] -= lr * (gb[l][j] + 2 * ALPHA * b[l][j])
        return data_loss / N + ALPHA * reg


# --- deltagrad and micrograd: the demo step as micrograd's notebook writes it ---------------------------------------

def demo_step(model: Callable, parameters: list, make_value: Callable, X: list, Y: list, k: int) -> float:
    inputs = [[make_value(v) for v in row] for row in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in parameters)
    total = data_loss + reg_loss
    for p in parameters:
        p.grad = 0.0
    total.backward()
    lr = learning_rate(k)
    for p in parameters:
        p.data -= lr * p.grad
    return total.data


def deltagrad_model(weights: list):
    model = MLP(SIZES[0], SIZES[1:], activation="relu", output_activation="identity")
    model.set_weights(weights)
    return model, model.parameters()


def binary_ops_model(weights: list):
    """The same network, neurons written as micrograd writes them: b + w1*x1 + w2*x2 + ..., one ``*`` and one
    ``+`` node per weight (about 65,000 nodes a step) instead of one ``weighted_sum`` node per neuron."""
    model, params = deltagrad_model(weights)

    def forward(x: list) -> Value:
        for i, layer in enumerate(model.layers):
            x = [sum(map(mul, n.w, x), n.b) for n in layer.neurons]
            if i < len(model.layers) - 1:
                x = [v.relu() for v in x]
        return x[0]

    return forward, params


def micrograd_model(weights: list):
    from micrograd.nn import MLP as MicroMLP

    random.seed(0)
    model = MicroMLP(SIZES[0], SIZES[1:])
    for layer, (W, b) in zip(model.layers, weights):
        for neuron, row, bj in zip(layer.neurons, W, b):
            for w, v in zip(neuron.w, row):
                w.data = float(v)
            neuron.b.data = float(bj)
    return model, model.parameters()


def hinge(s: Value, y: Value) -> Value:
    """One sample's max-margin loss, as the demo writes it."""
    return (1 + -y * s).relu()


def l2(params: list) -> Value:
    return ALPHA * sum(p * p for p in params)


def compiled_model(weights: list):
    """nn.scalar.MLP trained with its compiled per-sample step; the first call traces and compiles."""
    model, params = deltagrad_model(weights)
    step = model.compiled_step(hinge, l2)
    return step, params


def nodes_per_step(model: Callable, parameters: list, X: list, Y: list) -> int:
    """How many nodes one demo step records (its loss graph)."""
    scores = [model([Value(v) for v in row]) for row in X]
    data_loss = sum((1 + -y * s).relu() for y, s in zip(Y, scores)) * (1.0 / len(X))
    total = data_loss + ALPHA * sum(p * p for p in parameters)
    return len(topological_order(total))


def demo_graph(weights: list, X: list, Y: list) -> Value:
    model, params = deltagrad_model(weights)
    scores = [model([Value(v) for v in row]) for row in X]
    return sum((1 + -y * s).relu() for y, s in zip(Y, scores)) * (1.0 / len(X)) + l2(params)


def interleaved(runs: dict[str, Callable[[int], float]], steps: int, clock: Callable[[], float] = time.perf_counter,
                before: dict[str, Callable[[], None]] | None = None) -> dict[str, tuple[list, float]]:
    """Step k of every candidate, then step k + 1: the seconds of each step of each, and each one's last loss."""
    times: dict[str, list] = {name: [] for name in runs}
    loss: dict[str, float] = {}
    for k in range(steps):
        for name, run in runs.items():
            if before and name in before:
                before[name]()
            start = clock()
            loss[name] = run(k)
            times[name].append(clock() - start)
    return {name: (times[name], loss[name]) for name in runs}


def cpu_time() -> float:
    return time.process_time()


# --- HH19's netbp ---------------------------------------------------------------------------------------------

def hh19_problem(steps: int):
    from nn.data import hh19
    X, Y = hh19()
    rng = np.random.default_rng(5000)
    weights = [(0.5 * rng.standard_normal((m, n)), 0.5 * rng.standard_normal(m)) for n, m in [(2, 2), (2, 3), (3, 2)]]
    return X, Y, weights


def hh19_compiled(X: np.ndarray, Y: np.ndarray, weights: list, steps: int) -> tuple[float, list]:
    """Seconds for ``steps`` SGD steps through the compiled Value trace (compile included), and the weights."""
    model = MLP(2, [2, 3, 2], activation="sigmoid", output_activation="sigmoid")
    model.set_weights(weights)

    def cost(w: list, x: list, y: list) -> Value:                      # C = 1/2 ||a^[4] - y||^2, HH19's cost
        a = model._forward_with(w, x)
        return sum((ai - yi) ** 2 for ai, yi in zip(a, y)) * 0.5

    order = np.random.default_rng(5001).integers(0, len(X), size=steps).tolist()
    xs, ys = X.tolist(), Y.tolist()
    start = time.perf_counter()
    w0 = [p.data for p in model.parameters()]
    fast = compile(cost, (w0, xs[0], ys[0]), wrt=0)
    w = fast.sgd(w0, xs, ys, lr=0.05, order=order)
    return time.perf_counter() - start, w


def hh19_backprop(X: np.ndarray, Y: np.ndarray, weights: list, steps: int) -> tuple[float, list]:
    from nn.backprop import sgd
    start = time.perf_counter()
    result = sgd(weights, X, Y, eta=0.05, iterations=steps, rng=5001, record_every=steps)
    return time.perf_counter() - start, [v for W, b in result.weights for row in np.column_stack([W, b])
                                         for v in row.tolist()]


def chain(n: int, make_value: Callable) -> tuple[float, float, float]:
    """Build y = x * c * c ... (n links) and differentiate it: seconds to build, to backward, and dy/dx."""
    x = make_value(1.0)
    start = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * 1.000001
    built = time.perf_counter()
    y.backward()
    done = time.perf_counter()
    return built - start, done - built, x.grad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer steps and repeats")
    args = parser.parse_args()
    steps, repeats, micro_steps, hh_steps = (20, 2, 2, 100_000) if args.quick else (100, 7, 7, 1_000_000)
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, gc enabled: {gc.isenabled()}")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        print(f"{var}={os.environ.get(var, '(not set)')}")
    try:
        print("load average (1, 5, 15 min):", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    except OSError:
        pass
    X, Y = moons()
    weights = initial_weights()

    # 1. 100 steps: plain floats, compiled (compile time included), eager nn.scalar.MLP
    print(f"\n1. micrograd demo step: MLP{SIZES}, {len(X)} points, hinge + L2; {steps} steps, interleaved, "
          f"{repeats} repeats")
    ratios_c, ratios_e, plain_ms, comp_ms, eager_ms, first_ms = [], [], [], [], [], []
    for _ in range(repeats):
        plain = PlainFloats(weights)
        fast, _ = compiled_model(weights)
        eager, params = deltagrad_model(weights)
        result = interleaved({
            "plain": lambda k, plain=plain: plain.step(X, Y, k),
            "compiled": lambda k, fast=fast: fast(X, Y, learning_rate(k)),
            "eager": lambda k, eager=eager, params=params: demo_step(eager, params, Value, X, Y, k),
        }, steps)
        (tp, lp), (tc, lc), (te, le) = result["plain"], result["compiled"], result["eager"]
        if lc != le:
            raise AssertionError(f"compiled and eager steps differ: {lc!r} != {le!r}")
        plain_ms.append(sum(tp) / steps * 1e3)
        comp_ms.append(sum(tc) / steps * 1e3)
        eager_ms.append(statistics.median(te) * 1e3)
        first_ms.append(tc[0] * 1e3)
        ratios_c.append(sum(tc) / sum(tp))
        ratios_e.append(statistics.median(te) / statistics.median(tp))
    compile_ms = []
    for _ in range(repeats):                                            # the compile alone: trace one sample
        model, _ = deltagrad_model(weights)
        start = time.perf_counter()
        model.compiled_step(hinge)._compile(X[0], Y[0])
        compile_ms.append((time.perf_counter() - start) * 1e3)
    start = time.perf_counter()
    compile(l2, [p.data for p in deltagrad_model(weights)[1]])
    penalty_ms = (time.perf_counter() - start) * 1e3
    med = statistics.median
    print(f"  plain Python floats (lower bound)        {med(plain_ms):8.2f} ms/step (mean of {steps} steps)")
    print(f"  nn.scalar.MLP.compiled_step              {med(comp_ms):8.2f} ms/step (mean of {steps}, compile "
          f"included; first step {med(first_ms):.1f} ms)")
    print(f"  nn.scalar.MLP, eager                     {med(eager_ms):8.2f} ms/step (median)")
    print(f"  compiled / plain floats:  {med(ratios_c):5.2f}x   (target: at most 1.3x; per repeat: "
          f"{', '.join(f'{r:.2f}' for r in ratios_c)})")
    print(f"  eager / plain floats:     {med(ratios_e):5.2f}x   (target: at most 5x)")
    print(f"  compile: trace of one sample {med(compile_ms):.1f} ms (target: at most 50 ms); the L2 penalty "
          f"(674 nodes) {penalty_ms:.1f} ms; losses after {steps} steps: plain {lp:.12f}, compiled {lc:.12f}, "
          f"eager {le:.12f}")

    # 2. micrograd, CPU time
    fast, fparams = compiled_model(weights)
    fast(X, Y, learning_rate(0))                                         # compiled before the timing
    binary, bparams = binary_ops_model(weights)
    runs = {"compiled": lambda k: fast(X, Y, learning_rate(k + 1)),
            "micrograd-shaped": lambda k: demo_step(binary, bparams, Value, X, Y, k + 1)}
    before = {}
    try:
        from micrograd.engine import Value as MicroValue

        micro, mparams = micrograd_model(weights)
        micro2, mparams2 = micrograd_model(weights)
        runs["micrograd, gc.collect() before"] = lambda k: demo_step(micro, mparams, MicroValue, X, Y, k)
        runs["micrograd, no collect"] = lambda k: demo_step(micro2, mparams2, MicroValue, X, Y, k)
        before["micrograd, gc.collect() before"] = gc.collect
    except ImportError:
        print("\nmicrograd is not installed (pip install micrograd==0.1.0): its rows are left out")
    print(f"\n2. CPU time per step (time.process_time), {micro_steps} steps interleaved, median")
    result = interleaved(runs, micro_steps, clock=cpu_time, before=before)
    for name, (t, _) in result.items():
        print(f"  {name:<34} {med(t) * 1e3:9.2f} ms/step")
    ref = med(result["compiled"][0])
    for name in ("micrograd, gc.collect() before", "micrograd, no collect"):
        if name in result:
            print(f"  {name} / compiled: {med(result[name][0]) / ref:7.1f}x"
                  + ("   (target: at least 100x)" if "collect()" in name else ""))
    print(f"  graph of one eager step: nn.scalar.MLP {nodes_per_step(*deltagrad_model(weights), X, Y):,} nodes, "
          f"micrograd-shaped {nodes_per_step(*binary_ops_model(weights), X, Y):,}")

    # 3. HH19 netbp
    HX, HY, hweights = hh19_problem(hh_steps)
    print(f"\n3. HH19 netbp, {hh_steps:,} SGD steps, alternating, {max(3, repeats)} repeats, seconds")
    tc, tb, rs = [], [], []
    for _ in range(max(3, repeats)):
        c, wc = hh19_compiled(HX, HY, hweights, hh_steps)
        b, wb = hh19_backprop(HX, HY, hweights, hh_steps)
        tc.append(c)
        tb.append(b)
        rs.append(c / b)
    print(f"  compiled Value trace (Compiled.sgd, compile included) {med(tc):6.2f} s")
    print(f"  nn.backprop.sgd                                       {med(tb):6.2f} s")
    print(f"  compiled / nn.backprop.sgd: {med(rs):.2f}x   (target: at most 1.2x); weights agree to "
          f"{max(abs(a - b) for a, b in zip(wc, wb)):.1e}")

    # 4. topological order
    print("\n4. topological order, ms, median of 7")
    tree = [Value(float(i)) for i in range(4096)]
    while len(tree) > 1:
        tree = [a * b + a for a, b in zip(tree[::2], tree[1::2])]
    for name, root in (("demo step graph", demo_graph(weights, X, Y)), ("tree of 4096 leaves", tree[0])):
        generic, special, computed = [], [], []
        for _ in range(7):
            start = time.perf_counter()
            a = topological_order(root)
            middle = time.perf_counter()
            b = value_topological_order(root)
            end = time.perf_counter()
            c = value_topological_order(root, leaves=False)
            generic.append(middle - start)
            special.append(end - middle)
            computed.append(time.perf_counter() - end)
        assert a == b and c == [n for n in a if n.parents]
        print(f"  {name:<20} {len(a):7,} nodes: graph.topological_order {med(generic) * 1e3:6.2f}, "
              f"value_topological_order {med(special) * 1e3:6.2f} ({med(generic) / med(special):.2f}x faster), "
              f"leaves=False (backward's) {med(computed) * 1e3:6.2f} ({med(generic) / med(computed):.2f}x)")

    # 5. chain
    n = 100_000
    print(f"\n5. chain of {n:,} links y = y * 1.000001: build and backward, median of 5")
    runs5 = [chain(n, Value) for _ in range(5)]
    build = med(r[0] for r in runs5)
    back = med(r[1] for r in runs5)
    print(f"  deltagrad: build {build / n * 1e9:6.0f} ns/node, backward {back / n * 1e9:6.0f} ns/node, "
          f"dy/dx = {runs5[0][2]:.9f} (exact: {1.000001 ** n:.9f})")
    try:
        from micrograd.engine import Value as MicroValue

        chain(n, MicroValue)
    except ImportError:
        pass
    except RecursionError:
        print("  micrograd: RecursionError (its topological sort is recursive)")


if __name__ == "__main__":
    main()
