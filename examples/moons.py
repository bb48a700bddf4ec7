"""micrograd's demo on deltagrad's scalar engine: a 2-16-16-1 network of Values learns the two moons.

    python examples/moons.py            # 100 steps on 100 points, about 10 seconds
    python examples/moons.py --quick    # a few steps, to check that it runs

The network is ``nn.scalar.MLP(2, [16, 16, 1])`` (ReLU hidden layers, a linear score out), trained by full-batch
gradient descent on micrograd's loss: the max-margin (hinge) loss on labels -1/+1 plus 1e-4 times the sum of the
squared weights, with a learning rate decaying from 1.0 to 0.1. Every one of the 337 weights is a Value.

Writes examples/out/moons_boundary.png (the decision boundary with the points) and moons_loss.png.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nn import MLP, SGD, data, losses, scalar  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def train(steps: int, n: int) -> tuple[scalar.MLP, np.ndarray, np.ndarray, list[float], list[float]]:
    X, y01 = data.moons(n, noise=0.1, seed=1)
    y = 2.0 * y01 - 1.0                                    # hinge labels -1/+1
    model = scalar.MLP(2, [16, 16, 1], init="uniform", seed=1)   # micrograd's init: weights U(-1, 1), biases 0
    print(model)
    print(f"{len(model.parameters())} parameters, {n} points, {steps} steps")
    opt = SGD(model.parameters(), lr=1.0)
    rows = X.tolist()
    loss_curve, accuracy_curve = [], []
    start = time.perf_counter()
    for k in range(steps):
        scores = [model(x) for x in rows]                  # forward: one graph over all the points
        loss = losses.hinge(scores, y) + losses.l2(model.parameters(), 1e-4)
        opt.zero_grad()
        loss.backward()
        opt.lr = 1.0 - 0.9 * k / steps                     # micrograd's decaying learning rate
        opt.step()
        accuracy = np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, y)])
        loss_curve.append(loss.data)
        accuracy_curve.append(float(accuracy))
        if k % 10 == 0 or k == steps - 1:
            print(f"step {k:3d}  loss {loss.data:.4f}  accuracy {accuracy:.0%}")
    seconds = time.perf_counter() - start
    print(f"{seconds / steps * 1000:.0f} ms per step (forward, backward, update), {seconds:.1f} s in all")
    return model, X, y, loss_curve, accuracy_curve


def boundary(model: scalar.MLP, X: np.ndarray, y: np.ndarray, path: Path) -> None:
    # The grid runs on the tensor engine with the same weights: the same function, thousands of points at once.
    twin = MLP([2, 16, 16, 1], activation="relu", output_activation="identity").set_weights(model.get_weights())
    x0, x1 = np.meshgrid(np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, 200),
                         np.linspace(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5, 200))
    scores = twin(np.column_stack([x0.ravel(), x1.ravel()])).data.reshape(x0.shape)
    check = [model(x).data for x in X[:3].tolist()]
    assert np.allclose(check, twin(X[:3]).data[:, 0], rtol=1e-12, atol=1e-12)
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.contourf(x0, x1, scores > 0, levels=[-0.5, 0.5, 1.5], colors=["#f4c7c3", "#c6dbef"], alpha=0.8)
    ax.contour(x0, x1, scores, levels=[0.0], colors="k", linewidths=1)
    ax.scatter(*X[y < 0].T, c="#d62728", s=18, edgecolors="k", linewidths=0.4, label="y = -1")
    ax.scatter(*X[y > 0].T, c="#1f77b4", s=18, edgecolors="k", linewidths=0.4, label="y = +1")
    accuracy = np.mean((np.array([model(x).data for x in X.tolist()]) > 0) == (y > 0))
    ax.set_title(f"two moons ({len(X)} points): the scalar MLP 2-16-16-1 after training\n"
                 f"blue where its score > 0, the line score = 0; training accuracy {accuracy:.0%}", fontsize=9)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def curves(loss_curve: list[float], accuracy_curve: list[float], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    ax.plot(loss_curve, label="loss: hinge + 1e-4 L2")
    ax.plot(accuracy_curve, label="training accuracy (fraction)")
    ax.set_title("two moons, scalar MLP 2-16-16-1: full-batch gradient descent, lr 1.0 -> 0.1", fontsize=9)
    ax.set_xlabel("step (one step = one pass over all the points)")
    ax.set_ylabel("loss, accuracy")
    ax.set_ylim(bottom=0)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     epilog="Writes examples/out/moons_boundary.png and moons_loss.png.")
    parser.add_argument("--quick", action="store_true", help="3 steps on 20 points, to check that it runs")
    quick = parser.parse_args(argv).quick
    OUT.mkdir(exist_ok=True)
    model, X, y, loss_curve, accuracy_curve = train(steps=3 if quick else 100, n=20 if quick else 100)
    boundary(model, X, y, OUT / "moons_boundary.png")
    curves(loss_curve, accuracy_curve, OUT / "moons_loss.png")
    print(f"final accuracy {accuracy_curve[-1]:.0%}; wrote {OUT / 'moons_boundary.png'} and moons_loss.png")


if __name__ == "__main__":
    main(sys.argv[1:])
