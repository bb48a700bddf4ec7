"""HH19's ``netbp`` experiment, by hand: ten points, a 2-2-3-2 sigmoid net, 1e6 SGD steps.

The data are the ten points of Higham & Higham (2019); the first five are class [1, 0] (circles), the last five
[0, 1] (crosses). The weights start as 0.5 * randn (numpy's generator, seeded 5000 as netbp seeds MATLAB's, so the
numbers differ from MATLAB's), and each step is HH19's TRAINING: a random point, the delta rule, W <- W - eta delta
a^T, b <- b - eta delta, eta = 0.05. Before training, the hand-coded gradient is checked against both engines,
forward sensitivities and central differences, and the first steps are replayed on the Tensor and Value engines.
Writes the cost history (log scale) and the region where a1^[4] > a2^[4] with the points. Then the same net, from
the same weights, trains through ``nn.fit(..., batch_size=1, replacement=True, compile=True)``: the loop of the
library rather than the lecture's, its per-sample loss traced once and run as plain floats (issue 11). Run:
    python examples/hh19_netbp.py                       (make demo; figure in examples/out/hh19_netbp.png)
    python examples/hh19_netbp.py --iterations 200000   (quicker)
    python examples/hh19_netbp.py --fit-iterations 1000000   (also HH19's 1e6 steps through fit(compile=True))
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import nn
from nn import losses, scalar
from nn.backprop import forward, sgd
from nn.compare import compare_gradients
from nn.data import hh19
from nn.options import Whole, count, rate

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
SIZES = [2, 2, 3, 2]


def initial_weights(seed: int = 5000) -> list[tuple[np.ndarray, np.ndarray]]:
    """netbp's start: W2, W3, W4, then b2, b3, b4, each 0.5 * randn."""
    rng = np.random.default_rng(seed)
    Ws = [0.5 * rng.standard_normal((m, n)) for n, m in zip(SIZES, SIZES[1:])]
    bs = [0.5 * rng.standard_normal(m) for m in SIZES[1:]]
    return list(zip(Ws, bs))


def replay_on_engines(weights, X, Y, order, eta: float) -> dict[str, float]:
    """The same SGD steps on nn.MLP (Tensors) and nn.scalar.MLP (Values); the largest weight difference of each
    from the hand-coded steps of ``nn.backprop.sgd``."""
    by_hand = sgd(weights, X, Y, eta=eta, iterations=len(order), rng=np.random.default_rng(order.seed),
                  record_every=len(order)).weights
    tensor_net = nn.MLP(SIZES, activation="sigmoid").set_weights(weights)
    value_net = scalar.MLP(SIZES[0], SIZES[1:], activation="sigmoid", output_activation="sigmoid")
    value_net.set_weights(weights)
    for model in (tensor_net, value_net):
        opt = nn.SGD(model.parameters(), lr=eta)
        for i in order.indices:
            opt.zero_grad()
            out = model(X[i:i + 1]) if model is tensor_net else [model(X[i])]
            losses.quadratic(out, Y[i:i + 1]).backward()        # C^{i} = 1/2 ||y - a^[4]||^2
            opt.step()                                          # p <- p - eta dC^{i}/dp
    return {name: max(float(np.abs(A - B).max()) for (W1, b1), (W2, b2) in zip(by_hand, model.get_weights())
                      for A, B in ((W1, W2), (b1, b2)))
            for name, model in (("tensor", tensor_net), ("scalar", value_net))}


class _Order:
    """The samples ``sgd`` draws for one block of steps from a generator seeded ``seed``."""

    def __init__(self, seed: int, steps: int, N: int) -> None:
        self.seed = seed
        self.indices = np.random.default_rng(seed).integers(0, N, size=steps)

    def __len__(self) -> int:
        return len(self.indices)


def classified(weights, X, Y) -> np.ndarray:
    """True for each point whose larger output is its class: a1 > a2 for [1, 0], a2 > a1 for [0, 1]."""
    return forward(weights, X).output.argmax(axis=1) == Y.argmax(axis=1)


def draw(result, X, Y, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_cost, ax_region) = plt.subplots(1, 2, figsize=(12, 5))
    ax_cost.semilogy(result.steps, result.costs)
    ax_cost.set_xlabel("SGD iteration")
    ax_cost.set_ylabel("cost C(p) over the ten points (log scale)")
    ax_cost.set_title(f"cost history, eta = 0.05 (recorded every {int(result.steps[1])} steps)")
    g = np.linspace(0, 1, 301)
    G1, G2 = np.meshgrid(g, g)
    A = forward(result.weights, np.column_stack([G1.ravel(), G2.ravel()])).output
    region = (A[:, 0] > A[:, 1]).reshape(G1.shape)
    ax_region.contourf(G1, G2, region, levels=[-0.5, 0.5, 1.5], colors=["#fde0dd", "#deebf7"])
    ax_region.contour(G1, G2, region, levels=[0.5], colors="k", linewidths=1)
    first = Y[:, 0] == 1
    ax_region.scatter(X[first, 0], X[first, 1], marker="o", s=90, facecolors="none", edgecolors="tab:blue", lw=2,
                      label="class [1, 0]")
    ax_region.scatter(X[~first, 0], X[~first, 1], marker="x", s=90, color="tab:red", lw=2, label="class [0, 1]")
    ax_region.set_xlim(0, 1)
    ax_region.set_ylim(0, 1)
    ax_region.set_aspect("equal")
    ax_region.set_xlabel("$x_1$")
    ax_region.set_ylabel("$x_2$")
    ax_region.set_title(f"after {int(result.steps[-1]):,} SGD steps\n"
                        r"blue where $a_1^{[4]} > a_2^{[4]}$, red where $a_1^{[4]} < a_2^{[4]}$")
    ax_region.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def through_fit(weights, X, Y, eta: float, steps: int, seed: int) -> dict:
    """The same SGD through ``nn.fit(..., compile=True)`` on a Tensor MLP: ``steps`` random points, in epochs of
    N steps; the seconds (the trace and its checks included) and the History."""
    model = nn.MLP(SIZES, activation="sigmoid").set_weights(weights)
    start = time.perf_counter()
    history = nn.fit(model, X, Y, losses.quadratic, nn.SGD(model.parameters(), lr=eta),
                     epochs=max(1, steps // len(X)), batch_size=1, replacement=True, seed=seed, compile=True,
                     progress=False)
    return {"model": model, "history": history, "seconds": time.perf_counter() - start,
            "steps": max(1, steps // len(X)) * len(X)}


def main(iterations: int = 1_000_000, eta: float = 0.05, seed: int = 5000, check_steps: int = 10,
         out_dir: str = OUT, show: bool = True, fit_iterations: int = 20_000) -> dict:
    """Check the gradients, replay the first steps on the engines, train, draw, train again through
    ``fit(..., compile=True)`` (``fit_iterations`` steps); return the findings."""
    X, Y = hh19()
    weights = initial_weights(seed)
    report = compare_gradients(weights, X, Y, activation="sigmoid", cost="quadratic")
    replayed = replay_on_engines(weights, X, Y, _Order(seed + 1, check_steps, len(X)), eta)
    start = time.perf_counter()
    result = sgd(weights, X, Y, eta=eta, iterations=iterations, rng=seed + 1,
                 record_every=max(1, min(1000, iterations // 100)))
    seconds = time.perf_counter() - start
    right = classified(result.weights, X, Y)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "hh19_netbp.png")
    draw(result, X, Y, path)
    fitted = through_fit(weights, X, Y, eta, fit_iterations, seed + 1) if fit_iterations else None
    found = {"report": report, "replayed": replayed, "result": result, "seconds": seconds,
             "classified": right, "figure": path, "fit": fitted}
    if show:
        worst = max(r.max_abs for r in report.rows if r.method != "numerical")
        numeric = max(r.max_abs for r in report.rows if r.method == "numerical")
        print(f"HH19 netbp: {'-'.join(map(str, SIZES))} sigmoid net, quadratic cost, eta {eta}, "
              f"{iterations:,} SGD steps by hand (nn.backprop.sgd)")
        print(f"gradient check at the start, all ten points: {report.verdict()}")
        print(f"  largest difference from the delta rule: {worst:.1e} (tensor, scalar, forward sensitivities), "
              f"{numeric:.1e} (central differences)")
        print(f"first {check_steps} SGD steps replayed on the engines: weights differ by at most "
              f"{replayed['tensor']:.1e} (Tensor) and {replayed['scalar']:.1e} (Value)")
        print(f"training: {iterations:,} steps in {seconds:.1f} s; "
              f"cost {result.costs[0]:.4g} -> {result.costs[-1]:.3g}")
        print(f"classified correctly: {int(right.sum())} of {len(right)}"
              + ("" if right.all() else f" (wrong: points {np.flatnonzero(~right).tolist()})"))
        print(f"figure: {path}")
        if fitted is not None:
            h, k = fitted["history"], fitted["steps"]
            print(f"through fit(..., compile=True) on nn.MLP: {k:,} steps in {fitted['seconds']:.2f} s "
                  f"({fitted['seconds'] / k * 1e6:.0f} us a step, 1e6 steps ~{fitted['seconds'] / k * 1e6:.0f} s); "
                  f"training loss {h.train_loss[0]:.3g} (first epoch) -> {h.train_loss[-1]:.3g} (last)")
    return found


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    iterations, eta, seed = count(1_000_000), rate(0.05), Whole(0, default=5000)
    fit_iterations = count(20_000, least=0)
    parser.add_argument("--iterations", type=iterations, default=iterations.default, help=iterations.help)
    parser.add_argument("--eta", type=eta, default=eta.default, help=f"the learning rate; {eta.help}")
    parser.add_argument("--seed", type=seed, default=seed.default,
                        help=f"seeds the initial weights and the order of the samples; {seed.help}")
    parser.add_argument("--fit-iterations", type=fit_iterations, default=fit_iterations.default,
                        help=f"steps through nn.fit(..., compile=True) after the run by hand (0: none); "
                             f"{fit_iterations.help}")
    args = parser.parse_args()
    main(iterations=args.iterations, eta=args.eta, seed=args.seed, fit_iterations=args.fit_iterations)
