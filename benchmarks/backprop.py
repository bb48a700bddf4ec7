"""Seconds for 1e6 SGD steps of HH19's 2-2-3-2 netbp (sigmoid, quadratic cost, eta 0.05), three ways, medians.

    python benchmarks/backprop.py          (or: make bench)

The lecture reports 148 s for netbp in MATLAB; the issue's target for nn.backprop.sgd is at most 10 s here.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nn.backprop import gradients, sgd  # noqa: E402
from nn.data import hh19  # noqa: E402

X, Y = hh19()


def start(seed=5000):
    rng = np.random.default_rng(seed)
    return [(0.5 * rng.standard_normal((m, n)), 0.5 * rng.standard_normal(m)) for n, m in [(2, 2), (2, 3), (3, 2)]]


def numpy_by_hand(weights, steps, seed=5001):
    """netbp.m transcribed with numpy column vectors: the lean loop, no checks."""
    (W2, b2), (W3, b3), (W4, b4) = [(W.copy(), b.copy()[:, None]) for W, b in weights]
    xs, ys = X[:, :, None], Y[:, :, None]
    for k in np.random.default_rng(seed).integers(0, 10, size=steps):
        x, y = xs[k], ys[k]
        a2 = 1 / (1 + np.exp(-(W2 @ x + b2)))
        a3 = 1 / (1 + np.exp(-(W3 @ a2 + b3)))
        a4 = 1 / (1 + np.exp(-(W4 @ a3 + b4)))
        d4 = a4 * (1 - a4) * (a4 - y)
        d3 = a3 * (1 - a3) * (W4.T @ d4)
        d2 = a2 * (1 - a2) * (W3.T @ d3)
        W2 -= 0.05 * d2 @ x.T
        W3 -= 0.05 * d3 @ a2.T
        W4 -= 0.05 * d4 @ a3.T
        b2 -= 0.05 * d2
        b3 -= 0.05 * d3
        b4 -= 0.05 * d4


def python_lists(weights, steps, seed=5001):
    """The same step on Python floats with loops over lists of rows (general code, no written-out source)."""
    from math import exp
    from operator import mul
    W = [np.column_stack([Wl, bl]).tolist() for Wl, bl in weights]
    xs, ys = np.column_stack([X, np.ones(len(X))]).tolist(), Y.tolist()
    for i in np.random.default_rng(seed).integers(0, 10, size=steps).tolist():
        a = xs[i]
        acts, rs = [a], []
        for Wl in W:
            prev, a, r = a, [], []
            for row in Wl:
                z = sum(map(mul, row, prev))
                s = 1.0 / (1.0 + exp(-z)) if z >= 0.0 else 1.0 - 1.0 / (1.0 + exp(z))
                a.append(s)
                r.append(s - s * s)
            a.append(1.0)
            acts.append(a)
            rs.append(r)
        delta = [rj * (aj - yj) for rj, aj, yj in zip(r, a, ys[i])]
        for l in range(len(W) - 1, -1, -1):
            Wl, prev = W[l], acts[l]
            if l:
                below = [rk * sum(map(mul, col, delta)) for rk, col in zip(rs[l - 1], zip(*Wl))]
            for j, dj in enumerate(delta):
                g = 0.05 * dj
                Wl[j] = [w - g * ak for w, ak in zip(Wl[j], prev)]
            if l:
                delta = below


def generic(weights, steps, seed=5001):
    """One nn.backprop.gradients call a step, checks and all (sgd, for other activations and costs, now checks once
    on entry and runs the formulas alone each step)."""
    p = [(W.copy(), b.copy()) for W, b in weights]
    for k in np.random.default_rng(seed).integers(0, 10, size=steps):
        _, grads = gradients(p, X[k], Y[k])
        for (W, b), (dW, db) in zip(p, grads):
            W -= 0.05 * dW
            b -= 0.05 * db


def timed(f, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    print(f"{var}={os.environ.get(var, '(not set)')}")
rows = [
    ("nn.backprop.sgd (training_source code), 1e6 steps",
     timed(lambda: sgd(start(), X, Y, 0.05, 1_000_000, 5001, 1000), 3), 1),
    ("Python floats, loops over lists, 2e5 steps x 5", timed(lambda: python_lists(start(), 200_000), 3), 5),
    ("numpy by hand (netbp.m transcribed), 1e5 steps x 10", timed(lambda: numpy_by_hand(start(), 100_000), 3), 10),
    ("gradients() per step, 2e4 steps x 50", timed(lambda: generic(start(), 20_000), 3), 50),
]
for name, (median, best), scale in rows:
    print(f"{name:<55} median {median * scale:6.2f} s   best {best * scale:6.2f} s   (per 1e6 steps)")
