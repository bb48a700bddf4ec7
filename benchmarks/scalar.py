"""Scalar engine speed: micrograd's demo step and a long chain, against a plain-float lower bound and micrograd.

    python benchmarks/scalar.py            (or: make bench)

The demo step is micrograd's moons demo: MLP(2, [16, 16, 1]) with ReLU hidden layers and a linear output, over 100
points, max-margin loss mean(relu(1 - y s)) + 1e-4 * sum(p^2), forward + backward + SGD update. All three versions
start from the same weights; their losses after the timed steps must agree (printed), so they do the same work.
Figures are medians over repeats in one run; the garbage collector is on, as users run it.
"""

from __future__ import annotations

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

from autograd import Value, topological_order  # noqa: E402
from nn.scalar import MLP  # noqa: E402

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4
STEPS = 12


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


def nodes_per_step(model: Callable, parameters: list, X: list, Y: list) -> int:
    """How many nodes one demo step records (its loss graph)."""
    scores = [model([Value(v) for v in row]) for row in X]
    data_loss = sum((1 + -y * s).relu() for y, s in zip(Y, scores)) * (1.0 / len(X))
    total = data_loss + ALPHA * sum(p * p for p in parameters)
    return len(topological_order(total))


def timed(run: Callable[[int], float], steps: int = STEPS) -> tuple[float, float]:
    """Median seconds per call of run(k) for k = 0..steps-1, and the last loss."""
    times, loss = [], float("nan")
    for k in range(steps):
        start = time.perf_counter()
        loss = run(k)
        times.append(time.perf_counter() - start)
    return statistics.median(times), loss


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
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, gc enabled: {gc.isenabled()}")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        print(f"{var}={os.environ.get(var, '(not set)')}")
    X, Y = moons()
    weights = initial_weights()

    print(f"\nmicrograd demo step: MLP{SIZES}, {len(X)} points, hinge + L2; median of {STEPS} steps")
    plain = PlainFloats(weights)
    t_plain, loss_plain = timed(lambda k: plain.step(X, Y, k))
    ours, params = deltagrad_model(weights)
    t_ours, loss_ours = timed(lambda k: demo_step(ours, params, Value, X, Y, k))
    binary, bparams = binary_ops_model(weights)
    t_binary, loss_binary = timed(lambda k: demo_step(binary, bparams, Value, X, Y, k))
    for name, model, ps in (("nn.scalar.MLP", ours, params), ("micrograd-shaped", binary, bparams)):
        print(f"  graph of one step, {name}: {nodes_per_step(model, ps, X, Y):,} nodes")
    rows = [("plain Python floats (lower bound)", t_plain, loss_plain),
            ("deltagrad nn.scalar.MLP", t_ours, loss_ours),
            ("deltagrad, micrograd-shaped graph", t_binary, loss_binary)]
    try:
        from micrograd.engine import Value as MicroValue

        micro, mparams = micrograd_model(weights)
        t_micro, loss_micro = timed(lambda k: demo_step(micro, mparams, MicroValue, X, Y, k))
        rows.append(("micrograd 0.1.0 (as shipped)", t_micro, loss_micro))
        micro, mparams = micrograd_model(weights)
        gc.disable()
        try:
            t_micro_nogc, loss_nogc = timed(lambda k: demo_step(micro, mparams, MicroValue, X, Y, k))
        finally:
            gc.enable()
        rows.append(("micrograd 0.1.0, collector paused", t_micro_nogc, loss_nogc))
    except ImportError:
        print("micrograd is not installed (pip install micrograd==0.1.0): its rows are left out")
    for name, t, loss in rows:
        print(f"  {name:<36} {t * 1e3:9.2f} ms/step   loss after the timed steps {loss:.12f}")
    print(f"  nn.scalar.MLP / plain floats:           {t_ours / t_plain:6.1f}x   (target: at most 12x)")
    print(f"  micrograd-shaped graph / plain floats:  {t_binary / t_plain:6.1f}x")
    if len(rows) > 3:
        print(f"  micrograd / nn.scalar.MLP:              {rows[3][1] / t_ours:6.1f}x   (target: at least 25x)")
        print(f"  micrograd / micrograd-shaped graph:     {rows[3][1] / t_binary:6.1f}x")

    n = 100_000
    print(f"\nchain of {n:,} links y = y * 1.000001: build and backward, median of 5")
    runs = [chain(n, Value) for _ in range(5)]
    build = statistics.median(r[0] for r in runs)
    back = statistics.median(r[1] for r in runs)
    print(f"  deltagrad: build {build / n * 1e9:6.0f} ns/node, backward {back / n * 1e9:6.0f} ns/node, "
          f"dy/dx = {runs[0][2]:.9f} (exact: {1.000001 ** n:.9f})")
    try:
        from micrograd.engine import Value as MicroValue

        chain(n, MicroValue)
    except ImportError:
        pass
    except RecursionError:
        print("  micrograd: RecursionError (its topological sort is recursive)")


if __name__ == "__main__":
    main()
