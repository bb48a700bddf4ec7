"""Universal approximation (the MIPT lecture): one hidden layer fits sin(x) on [-pi, pi] better and better as it widens.

OUT(x) = sum_k c_k f(w_k x + b_k) + c_0 with f = tanh (bounded, increasing, not constant), K = 1, 3, 6, 12, 24 hidden
neurons. Each net is fitted to 200 points by full-batch Adam (HH19's algorithm: m, v, bias-corrected m_hat,
v_hat, step alpha m_hat / (sqrt(v_hat) + eps)) on the quadratic cost, with gradients from the hand-coded delta rule
``nn.backprop.gradients``. The error reported is the largest |sin(x) - OUT(x)| on a grid 10 times finer, for the
best of three random starts (training finds a good fit, not always the best one). Run:
    python examples/universal_approximation.py        (figure in examples/out/universal_approximation.png)
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from nn.backprop import forward, gradients, total_cost
from nn.options import count

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def adam(weights, X, Y, steps: int, alpha: float = 0.02, decay: float = 1e-2, beta1: float = 0.9,
         beta2: float = 0.999, eps: float = 1e-8, **cost) -> tuple[list, list[float]]:
    """Full-batch Adam on the hand-coded gradient, its step shrinking from alpha to alpha * decay; returns the
    weights and the cost before each step, then the cost of the weights returned (steps + 1 costs)."""
    params = [p.copy() for pair in weights for p in pair]
    m = [np.zeros_like(p) for p in params]                      # first moment
    v = [np.zeros_like(p) for p in params]                      # second raw moment
    history = []
    for t in range(1, steps + 1):
        pairs = list(zip(params[0::2], params[1::2]))
        C, grads = gradients(pairs, X, Y, **cost)
        history.append(C)
        for i, g in enumerate(p for pair in grads for p in pair):
            m[i] = beta1 * m[i] + (1 - beta1) * g               # m_t = beta1 m_(t-1) + (1 - beta1) g_t
            v[i] = beta2 * v[i] + (1 - beta2) * g * g           # v_t = beta2 v_(t-1) + (1 - beta2) g_t^2
            m_hat = m[i] / (1 - beta1 ** t)                     # bias corrections
            v_hat = v[i] / (1 - beta2 ** t)
            params[i] = params[i] - alpha * decay ** (t / steps) * m_hat / (np.sqrt(v_hat) + eps)
    pairs = list(zip(params[0::2], params[1::2]))
    history.append(total_cost(pairs, X, Y, **cost))             # the final cost is that of the weights returned
    return pairs, history


def fit(width: int, steps: int, seed: int = 0) -> dict:
    """A 1-width-1 tanh net fitted to sin on [-pi, pi]: its weights, cost history and sup-norm error."""
    rng = np.random.default_rng(seed)
    X = np.linspace(-np.pi, np.pi, 200)[:, None]
    Y = np.sin(X)
    w = rng.standard_normal((width, 1))
    weights = [(w, -w[:, 0] * rng.uniform(-np.pi, np.pi, width)),    # each neuron's step somewhere in [-pi, pi]
               (rng.standard_normal((1, width)) / np.sqrt(width), np.zeros(1))]
    weights, history = adam(weights, X, Y, steps, activation="tanh", output_activation="identity")
    grid = np.linspace(-np.pi, np.pi, 2001)[:, None]
    error = float(np.max(np.abs(np.sin(grid) - forward(weights, grid, "tanh", "identity").output)))
    return {"width": width, "weights": weights, "history": history, "max_error": error}


def main(widths=(1, 3, 6, 12, 24), steps: int = 10000, starts: int = 3, out_dir: str = OUT,
         show: bool = True) -> dict:
    """Fit each width from ``starts`` random starts (keeping the lowest final cost), plot the fits and the error
    against the width, return the results."""
    results = [min((fit(K, steps, seed) for seed in range(starts)), key=lambda r: r["history"][-1]) for K in widths]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, (ax, ax_gap, ax_err) = plt.subplots(1, 3, figsize=(16, 4.8))
    grid = np.linspace(-np.pi, np.pi, 400)[:, None]
    ax.plot(grid, np.sin(grid), "k", lw=3, alpha=0.3, label="sin x")
    for r in results:
        out = forward(r["weights"], grid, "tanh", "identity").output
        ax.plot(grid, out, label=f"K = {r['width']}")
        ax_gap.semilogy(grid, np.abs(np.sin(grid) - out), label=f"K = {r['width']}")
    ax.set_xlabel("x")
    ax.set_title("one hidden layer of K tanh neurons, linear output")
    ax.legend(fontsize=8)
    ax_gap.set_xlabel("x")
    ax_gap.set_title("|sin x - OUT(x)|")
    ax_gap.legend(fontsize=8)
    ax_err.loglog([r["width"] for r in results], [r["max_error"] for r in results], "o-")
    ax_err.set_xlabel("hidden neurons K")
    ax_err.set_ylabel("max |sin x - OUT(x)| on [-pi, pi]")
    ax_err.set_title(f"error after {steps} Adam steps (best of {starts} starts)")
    fig.tight_layout()
    path = os.path.join(out_dir, "universal_approximation.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    if show:
        for r in results:
            print(f"K = {r['width']:>3} hidden neurons: max error {r['max_error']:.2e}, "
                  f"final cost {r['history'][-1]:.2e}")
        print(f"figure: {path}")
    return {"results": results, "figure": path}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    steps, starts = count(10_000), count(3)
    parser.add_argument("--steps", type=steps, default=steps.default, help=steps.help)
    parser.add_argument("--starts", type=starts, default=starts.default, help=starts.help)
    args = parser.parse_args()
    main(steps=args.steps, starts=args.starts)
