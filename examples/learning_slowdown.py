"""Learning slowdown (seed 002): a saturated sigmoid neuron learns at once with cross-entropy, hardly at all with the
quadratic cost.

One neuron a = sigma(w x + b), input x = 1, target y = 0, started badly wrong. Gradient descent on each cost:

    quadratic      C = 1/2 (a - y)^2                   dC/db = (a - y) sigma'(z)   sigma'(100) ~ 4e-44: stuck
    cross-entropy  C = -[y ln a + (1 - y) ln(1 - a)]   dC/db = a - y               sigma' cancels: learns

Both gradients come from the hand-coded delta rule, ``nn.backprop.gradients``. Run:
    python examples/learning_slowdown.py          (figures in examples/out/learning_slowdown.png)
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from nn.backprop import forward, gradients, total_cost

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
COSTS = {"quadratic": "quadratic", "cross-entropy": "binary_cross_entropy"}


def descend(z0: float, cost: str, steps: int, eta: float) -> dict[str, np.ndarray]:
    """Gradient descent on one neuron started at w = b = z0 / 2 (so z = z0 for x = 1), target 0."""
    weights = [(np.array([[z0 / 2]]), np.array([z0 / 2]))]
    x, y = np.array([1.0]), np.array([0.0])
    outputs, costs = [], []
    for _ in range(steps + 1):
        outputs.append(float(forward(weights, x).output[0]))
        costs.append(total_cost(weights, x, y, cost=cost))
        _, [(dW, db)] = gradients(weights, x, y, cost=cost)
        weights = [(weights[0][0] - eta * dW, weights[0][1] - eta * db)]   # p <- p - eta dC/dp
    return {"output": np.array(outputs), "cost": np.array(costs)}


def main(steps: int = 300, eta: float = 0.5, starts: tuple[float, ...] = (100.0, 4.0),
         out_dir: str = OUT, show: bool = True) -> dict:
    """Run both costs from each starting z; write the figure; return the curves."""
    results = {(z0, name): descend(z0, cost, steps, eta) for z0 in starts for name, cost in COSTS.items()}
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, axes = plt.subplots(2, len(starts), figsize=(5.5 * len(starts), 7), sharex=True, squeeze=False)
    for col, z0 in enumerate(starts):
        for name in COSTS:
            r = results[(z0, name)]
            axes[0, col].plot(r["output"], label=name)
            axes[1, col].plot(r["cost"], label=name)
        axes[0, col].set_title(f"start z = {z0:g} (a = {results[(z0, 'quadratic')]['output'][0]:.4f}), target 0")
        axes[0, col].set_ylabel("output a")
        axes[1, col].set_ylabel("cost (each its own)")
        axes[1, col].set_yscale("log")
        axes[1, col].set_xlabel(f"gradient step (eta = {eta})")
        axes[0, col].legend()
    fig.suptitle("Learning slowdown: sigma'(z) in the quadratic cost's gradient, cancelled by cross-entropy")
    fig.tight_layout()
    path = os.path.join(out_dir, "learning_slowdown.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    if show:
        for z0 in starts:
            q, c = results[(z0, "quadratic")]["output"], results[(z0, "cross-entropy")]["output"]
            print(f"start z = {z0:>5g}: after {steps} steps the output is {q[-1]:.4f} with the quadratic cost, "
                  f"{c[-1]:.4f} with cross-entropy (target 0)")
        print(f"figure: {path}")
    return {"results": results, "figure": path}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--eta", type=float, default=0.5)
    args = parser.parse_args()
    main(steps=args.steps, eta=args.eta)
