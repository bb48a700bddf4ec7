"""RBF networks (Dehaqani's notes): Gaussian units phi_j(x) = exp(-||x - c_j||^2 / (2 s_j^2)) and a linear output.

    XOR, by construction   centres (0, 0) and (1, 1), width s = 1/sqrt(2) (so phi = exp(-||x - c||^2)); in the
                           plane (phi_1, phi_2) the four points become separable, and the output
                           y = a (1 + e^-2 - phi_1 - phi_2), a = 1 / (1 - 1/e)^2, is 0, 1, 1, 0 exactly
    XOR, learned           the same 2-2-1 network from random centres, its centres, widths and output weights
                           trained together by gradient descent (Adam) on the quadratic cost
    a function of x        K Gaussian units fitted to f(x) = sin(2x) + x/2 on [0, 3]; each unit's share w_j phi_j(x)
                           drawn under the sum
Run:
    python examples/rbf.py        (figure in examples/out/rbf.png)
"""

from __future__ import annotations

import argparse
import math
import os

import numpy as np

from nn import Adam, RBFNetwork, fit, losses
from nn.options import Whole

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
SAMPLES = 100  # the points fit_function fits sin 2x + x/2 on (the command line allows no more units than that)
X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR = np.array([[0.0], [1.0], [1.0], [0.0]])


def xor_by_construction() -> dict:
    """Two Gaussian units at (0, 0) and (1, 1) and the output weights solved by hand."""
    net = RBFNetwork(2, 2, 1, centres=[[0.0, 0.0], [1.0, 1.0]], widths=1 / math.sqrt(2))
    a = 1.0 / (1.0 - math.exp(-1.0)) ** 2
    net.output.weight.data = np.array([[-a, -a]])                 # y = -a phi_1 - a phi_2 + b
    net.output.bias.data = np.array([a * (1.0 + math.exp(-2.0))])  # 0 at (0, 0) and (1, 1), 1 at (0, 1), (1, 0)
    return {"net": net, "features": net.rbf(X01).data, "outputs": net(X01).data[:, 0], "a": a}


def xor_learned(epochs: int = 1500, seed: int = 0) -> dict:
    net = RBFNetwork(2, 2, 1, seed=seed)
    history = fit(net, X01, XOR, losses.quadratic, Adam(net.parameters(), lr=0.05), epochs=epochs, progress=False)
    return {"net": net, "outputs": net(X01).data[:, 0], "loss": history.loss,
            "learned": bool(np.array_equal(net(X01).data > 0.5, XOR > 0.5))}


def f(x: np.ndarray) -> np.ndarray:
    return np.sin(2 * x) + x / 2


def fit_function(K: int = 8, epochs: int = 2000, n: int = SAMPLES) -> dict:
    """K units, centres spread evenly over [0, 3] and widths 3/K to start (a little under the spacing 3/(K - 1) of
    the centres); everything trained on n samples (too few samples and a unit can grow a spike between them). A
    width may turn negative: only s^2 counts."""
    x = np.linspace(0.0, 3.0, n)[:, None]
    net = RBFNetwork(1, K, 1, centres=np.linspace(0.0, 3.0, K)[:, None], widths=3.0 / K, seed=0)
    history = fit(net, x, f(x), losses.quadratic, Adam(net.parameters(), lr=0.02), epochs=epochs, progress=False)
    grid = np.linspace(0.0, 3.0, 601)[:, None]
    return {"net": net, "K": K, "loss": history.loss, "grid": grid[:, 0], "fitted": net(grid).data[:, 0],
            "units": net.rbf(grid).data * net.output.weight.data[0], "x": x[:, 0],
            "max_error": float(np.max(np.abs(net(grid).data[:, 0] - f(grid[:, 0]))))}


def main(epochs: int = 1500, K: int = 8, fit_epochs: int = 2000, out_dir: str = OUT, show: bool = True) -> dict:
    found = {"constructed": xor_by_construction(), "learned": xor_learned(epochs),
             "function": fit_function(K, fit_epochs)}
    found["figure"] = _draw(found, out_dir)
    if show:
        _report(found)
    return found


def _draw(found: dict, out_dir: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, axes = plt.subplots(1, 4, figsize=(17, 4))
    g = np.linspace(-0.5, 1.5, 161)
    G1, G2 = np.meshgrid(g, g)
    P = np.column_stack([G1.ravel(), G2.ravel()])
    for ax, key, title in ((axes[0], "constructed", "XOR by construction"), (axes[2], "learned", "XOR learned")):
        net = found[key]["net"]
        im = ax.contourf(G1, G2, net(P).data.reshape(G1.shape), levels=20, cmap="RdBu")
        ax.contour(G1, G2, net(P).data.reshape(G1.shape), levels=[0.5], colors="k")
        ax.scatter(*X01[XOR[:, 0] == 1].T, marker="o", s=80, color="tab:blue", edgecolor="w", zorder=3)
        ax.scatter(*X01[XOR[:, 0] == 0].T, marker="x", s=80, color="tab:red", zorder=3)
        ax.scatter(*net.rbf.centres.data.T, marker="+", s=150, color="k", zorder=4, label="centres")
        ax.set_aspect("equal")
        ax.legend(fontsize=7, loc="upper right")
        ax.set_title(f"{title}: y = W phi(x) + b (black: y = 0.5)", fontsize=9)
        fig.colorbar(im, ax=ax, shrink=0.8)
    feats = found["constructed"]["features"]
    ax = axes[1]
    ax.scatter(*feats[XOR[:, 0] == 1].T, marker="o", s=80, color="tab:blue", label="XOR = 1")
    ax.scatter(*feats[XOR[:, 0] == 0].T, marker="x", s=80, color="tab:red", label="XOR = 0")
    s = 0.5 * (1 + math.exp(-2)) + math.exp(-1)                    # the line phi_1 + phi_2 = s separates them
    ax.plot([0, s], [s, 0], color="k", ls="--", label="phi_1 + phi_2 = const")
    ax.set_xlabel("phi_1 (centre (0, 0))")
    ax.set_ylabel("phi_2 (centre (1, 1))")
    ax.set_title("the four points seen by the two units", fontsize=9)
    ax.legend(fontsize=7)
    fn = found["function"]
    ax = axes[3]
    ax.plot(fn["grid"], f(fn["grid"]), color="k", lw=2, label="f(x) = sin 2x + x/2")
    ax.plot(fn["grid"], fn["fitted"], color="tab:orange", ls="--", label=f"{fn['K']} Gaussian units + linear output")
    for j in range(fn["units"].shape[1]):
        ax.plot(fn["grid"], fn["units"][:, j], lw=0.8, alpha=0.7)
    ax.set_title(f"each unit's w_j phi_j(x) and their sum (max error {fn['max_error']:.3f})", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    path = os.path.join(out_dir, "rbf.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _report(found: dict) -> None:
    c = found["constructed"]
    print(f"XOR by construction: features (phi_1, phi_2) {np.round(c['features'], 4).tolist()}")
    print(f"  a = 1/(1 - 1/e)^2 = {c['a']:.6f}; outputs {np.round(c['outputs'], 12).tolist()}")
    lr = found["learned"]
    print(f"XOR learned: outputs {np.round(lr['outputs'], 3).tolist()}, loss {lr['loss'][-1]:.2e}, "
          f"{'learned' if lr['learned'] else 'NOT learned'}; centres {np.round(lr['net'].rbf.centres.data, 2).tolist()}"
          f", widths {np.round(lr['net'].rbf.widths.data, 2).tolist()}")
    fn = found["function"]
    print(f"{fn['K']} units on sin 2x + x/2: max error {fn['max_error']:.4f} on [0, 3]")
    print(f"figure: {found['figure']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    units = Whole(1, SAMPLES, "the samples the function is fitted on", default=8)
    parser.add_argument("--units", type=units, default=units.default, help=f"Gaussian units K; {units.help}")
    main(K=parser.parse_args().units)
