"""Learning slowdown (Nielsen): a saturated sigmoid neuron learns at once with cross-entropy, hardly at all with the
quadratic cost.

One neuron a = sigma(w x + b), input x = 1, target y = 0, started badly wrong. Gradient descent on each cost:

    quadratic      C = 1/2 (a - y)^2                   dC/db = (a - y) sigma'(z)   sigma'(100) ~ 4e-44: stuck
    cross-entropy  C = -[y ln a + (1 - y) ln(1 - a)]   dC/db = a - y               sigma' cancels: learns

Both gradients come from the hand-coded delta rule, ``nn.backprop.gradients``; then the same descent runs on the
two engines through the public API: ``MLP([1, 1], output_activation="sigmoid")`` (Tensors) and
``scalar.MLP(1, [1], output_activation="sigmoid")`` (Values) with ``losses.quadratic`` and
``losses.binary_cross_entropy(model(x), y)``. The loss sees that its input is a sigmoid node and works from z
(softplus(z) - y z), so the engines give dC/dz = a - y at z = 100 as the lecture says; probabilities read as numbers
would give exactly 0 there (a rounds to 1, and ln max(1 - a, 1e-12) is flat) and the saturated neuron would not learn
at all. Run:
    python examples/learning_slowdown.py          (figure in examples/out/learning_slowdown.png)

The figure shows z, a and the cost against the step. With cross-entropy z falls by about 2 eta a step from the first
step on (dC/dw = dC/db = a - y ~ 1); a = sigma(z) stays near 1 until z nears 0, because sigma is flat out there.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from nn.backprop import forward, gradients, total_cost
from nn.options import count, rate

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
COSTS = {"quadratic": "quadratic", "cross-entropy": "binary_cross_entropy"}


def descend(z0: float, cost: str, steps: int, eta: float) -> dict[str, np.ndarray]:
    """Gradient descent on one neuron started at w = b = z0 / 2 (so z = z0 for x = 1), target 0."""
    weights = [(np.array([[z0 / 2]]), np.array([z0 / 2]))]
    x, y = np.array([1.0]), np.array([0.0])
    outputs, costs, zs, slopes = [], [], [], []
    for _ in range(steps + 1):
        fw = forward(weights, x)
        zs.append(float(fw.z[2][0]))
        outputs.append(float(fw.output[0]))
        costs.append(total_cost(weights, x, y, cost=cost))
        _, [(dW, db)] = gradients(weights, x, y, cost=cost)
        slopes.append(float(db[0]))                             # dC/db = dC/dw here (x = 1): how fast it learns
        weights = [(weights[0][0] - eta * dW, weights[0][1] - eta * db)]   # p <- p - eta dC/dp
    return {"output": np.array(outputs), "cost": np.array(costs), "z": np.array(zs), "gradient": np.array(slopes)}


def on_engines(z0: float, steps: int, eta: float) -> dict[tuple[str, str], dict[str, np.ndarray]]:
    """The same gradient descent on both engines through the public API: one sigmoid neuron, w = b = z0 / 2,
    x = 1, target 0, SGD with lr eta, for each cost. Returns z after each step and the first dC/db."""
    from autograd import Value
    from nn import MLP, SGD, losses, scalar

    found = {}
    for engine in ("Tensor", "Value"):
        for name, cost in COSTS.items():
            loss = getattr(losses, cost)
            if engine == "Tensor":
                model = MLP([1, 1], output_activation="sigmoid")
                x, y = np.array([[1.0]]), np.array([0.0])
            else:
                model = scalar.MLP(1, [1], output_activation="sigmoid")
                x, y = [1.0], 0.0
            model.set_weights([(np.array([[z0 / 2]]), np.array([z0 / 2]))])
            opt = SGD(model.parameters(), lr=eta)
            bias = model.parameters()[-1]
            zs, first = [], None
            for _ in range(steps):
                out = model(x)
                zs.append(float(out.parents[0].data.ravel()[0]) if not isinstance(out, Value)
                          else out.parents[0].data)                         # z, the sigmoid node's input
                L = loss(out, y)
                opt.zero_grad()
                L.backward()
                if first is None:
                    first = float(np.ravel(bias.grad)[0])                   # dC/db = dC/dz here
                opt.step()
            found[(engine, name)] = {"z": np.array(zs), "first_gradient": np.array(first)}
    return found


def main(steps: int = 300, eta: float = 0.5, starts: tuple[float, ...] = (100.0, 4.0),
         out_dir: str = OUT, show: bool = True) -> dict:
    """Run both costs from each starting z; write the figure; return the curves."""
    results = {(z0, name): descend(z0, cost, steps, eta) for z0 in starts for name, cost in COSTS.items()}
    engines = {z0: on_engines(z0, steps, eta) for z0 in starts}
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, axes = plt.subplots(3, len(starts), figsize=(5.5 * len(starts), 9.5), sharex=True, squeeze=False)
    for col, z0 in enumerate(starts):
        for name in COSTS:
            r = results[(z0, name)]
            axes[0, col].plot(r["z"], label=name)
            axes[1, col].plot(r["output"], label=name)
            axes[2, col].plot(r["cost"], label=name)
        axes[0, col].set_title(f"start z = {z0:g} (a = {results[(z0, 'quadratic')]['output'][0]:.4f}), target 0")
        axes[0, col].set_ylabel("weighted input z = w x + b")
        axes[1, col].set_ylabel("output a = sigma(z)")
        axes[2, col].set_ylabel("cost (each its own, log scale)")
        axes[2, col].set_yscale("log")
        axes[2, col].set_xlabel(f"gradient step (eta = {eta})")
        axes[0, col].legend()
    fig.suptitle("Learning slowdown: the quadratic cost's gradient carries sigma'(z), ~4e-44 at z = 100;\n"
                 "cross-entropy's is a - y, so z falls from the first step (a stays near 1 until z nears 0)")
    fig.tight_layout()
    path = os.path.join(out_dir, "learning_slowdown.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    if show:
        for z0 in starts:
            q, c = results[(z0, "quadratic")], results[(z0, "cross-entropy")]
            print(f"start z = {z0:g}: first dC/db = {q['gradient'][0]:.2g} (quadratic) vs {c['gradient'][0]:.2g} "
                  f"(cross-entropy); after {steps} steps z = {q['z'][-1]:.4g} vs {c['z'][-1]:.4g}, output "
                  f"{q['output'][-1]:.4f} vs {c['output'][-1]:.4f} (target 0)")
        if 100.0 in starts:
            print("  (sigma'(100) = e^-100 / (1 + e^-100)^2 = 3.7e-44: with the quadratic cost z = 100 does not move)")
        for z0 in starts:
            for engine in ("Tensor", "Value"):
                q, c = engines[z0][(engine, "quadratic")], engines[z0][(engine, "cross-entropy")]
                same = all(np.allclose(engines[z0][(engine, name)]["z"], results[(z0, name)]["z"][:steps],
                                       rtol=1e-12, atol=1e-12) for name in COSTS)
                print(f"{engine} engine, start z = {z0:g}: first dC/db = {q['first_gradient']:.2g} (quadratic) vs "
                      f"{c['first_gradient']:.2g} (losses.binary_cross_entropy on the sigmoid output: a - y); "
                      f"z paths of both costs {'equal' if same else 'DIFFER FROM'} the hand-coded ones")
        print(f"figure: {path}")
    return {"results": results, "engines": engines, "figure": path}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    steps, eta = count(300), rate(0.5)
    parser.add_argument("--steps", type=steps, default=steps.default, help=steps.help)
    parser.add_argument("--eta", type=eta, default=eta.default, help=f"the learning rate; {eta.help}")
    args = parser.parse_args()
    main(steps=args.steps, eta=args.eta)
