"""The perceptron family of Dehaqani's notes and the MIPT lecture (``nn.perceptrons``), each with its step at 0.

    sign perceptron   Dehaqani's notes: classes -1 / +1, output sign(W . x); on a mistake W <- W + x or W - x
    batch rule        the MIPT lecture: theta <- theta + alpha sum over the misclassified of t_n x_n, all at once
    MADALINE          Dehaqani's notes: two ADALINEs (output 1 when z >= 0) under a fixed OR; on an error flip the unit
                      whose z is nearest 0 if that lowers the output's error, and move it there by the ADALINE rule
A sample exactly on the line (z = 0) belongs to neither class and counts as a mistake, so no learned line passes
through a training point (the figure marks each point's distance to its line). One line cannot do XOR; MADALINE's
two lines can. Run:
    python examples/perceptron_family.py        (figure in examples/out/perceptron_family.png)
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from nn.perceptrons import batch_perceptron, madaline, sign_perceptron, with_one

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
T_XOR = np.array([-1, 1, 1, -1])


def cloud(n: int = 80, seed: int = 0, margin: float = 0.08) -> tuple[np.ndarray, np.ndarray]:
    """Two linearly separable classes in [-1, 1]^2, at least ``margin`` from a random line."""
    rng = np.random.default_rng(seed)
    w, b = np.array([1.0, -0.6]), 0.15
    X = rng.uniform(-1, 1, (4 * n, 2))
    z = (X @ w + b) / np.linalg.norm(w)
    keep = np.abs(z) > margin
    return X[keep][:n], np.sign(z[keep][:n])


def distance(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Each point's distance to the line W . (x, 1) = 0."""
    return np.abs(with_one(X) @ W) / np.linalg.norm(W[:-1])


def main(n: int = 80, out_dir: str = OUT, show: bool = True) -> dict:
    X, t = cloud(n)
    found = {"X": X, "t": t, "sign": sign_perceptron(X, t, 1000), "batch": batch_perceptron(X, t, 0.1, 10000),
             "gates": {g: (sign_perceptron(X01, d), batch_perceptron(X01, d))
                       for g, d in {"AND": [-1, -1, -1, 1], "OR": [-1, 1, 1, 1], "NAND": [1, 1, 1, -1]}.items()},
             "xor_sign": sign_perceptron(X01, T_XOR, 50), "madaline": madaline(X01, T_XOR, 2, seed=0)}
    found["closest"] = {k: float(distance(found[k].W, X).min()) for k in ("sign", "batch")}
    found["figure"] = _draw(found, out_dir)
    if show:
        _report(found)
    return found


def _line(ax, W, lo, hi, **style) -> None:
    xs = np.linspace(lo, hi, 2)
    if abs(W[1]) > 1e-12:
        ax.plot(xs, -(W[0] * xs + W[2]) / W[1], **style)
    else:
        ax.axvline(-W[2] / W[0], **style)


def _draw(found: dict, out_dir: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, axes = plt.subplots(1, 4, figsize=(17, 4.2))
    X, t = found["X"], found["t"]
    for ax, key, title in ((axes[0], "sign", "Dehaqani's notes: sign perceptron, sample by sample"),
                           (axes[1], "batch", "the MIPT lecture: batch perceptron rule (alpha 0.1)")):
        r = found[key]
        ax.scatter(*X[t > 0].T, marker="o", color="tab:blue", s=20, label="class +1")
        ax.scatter(*X[t < 0].T, marker="x", color="tab:red", s=20, label="class -1")
        _line(ax, r.W, -1, 1, color="k", label=f"learned line; nearest point {found['closest'][key]:.3f} away")
        ax.set_xlim(-1, 1)
        ax.set_ylim(-1, 1)
        ax.set_aspect("equal")
        ax.legend(fontsize=7, loc="lower left")
        ax.set_title(f"{title}\n{len(r.mistakes)} epochs/steps, mistakes {r.mistakes[:4]}...", fontsize=9)
    ax = axes[2]
    for gate, style in zip(found["gates"], ("-", "--", ":")):
        _line(ax, found["gates"][gate][0].W, -0.5, 1.5, color="k", ls=style, label=f"{gate}: W = "
              f"{found['gates'][gate][0].W.tolist()}")
    ax.scatter(*X01.T, color="k", zorder=3)
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_aspect("equal")
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title("sign perceptron on the gates: no line through a point", fontsize=9)
    ax = axes[3]
    m = found["madaline"]
    g = np.linspace(-0.5, 1.5, 201)
    G1, G2 = np.meshgrid(g, g)
    out = m(np.column_stack([G1.ravel(), G2.ravel()])).reshape(G1.shape)
    ax.contourf(G1, G2, out, levels=[-1.5, 0, 1.5], colors=["#fde0dd", "#deebf7"])
    for j, W in enumerate(m.W):
        _line(ax, W, -0.5, 1.5, color="k", ls=("-", "--")[j % 2], label=f"ADALINE {j + 1}")
    ax.scatter(*X01[T_XOR > 0].T, marker="o", s=80, color="tab:blue", zorder=3)
    ax.scatter(*X01[T_XOR < 0].T, marker="x", s=80, color="tab:red", zorder=3)
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_aspect("equal")
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title(f"Dehaqani's notes: MADALINE on XOR (OR of two ADALINEs)\nmistakes per epoch {m.mistakes}", fontsize=9)
    fig.tight_layout()
    path = os.path.join(out_dir, "perceptron_family.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _report(found: dict) -> None:
    for key in ("sign", "batch"):
        r = found[key]
        print(f"{key:<5} rule on {len(found['X'])} separable points: converged {r.converged} after "
              f"{len(r.mistakes)} epochs/steps; nearest point {found['closest'][key]:.4f} from the line")
    for gate, (s, b) in found["gates"].items():
        print(f"{gate:<5} sign perceptron W = {s.W.tolist()}, batch rule W = {b.W.tolist()}")
    x = found["xor_sign"]
    print(f"XOR, one sign perceptron: mistakes in every one of {len(x.mistakes)} epochs (min {min(x.mistakes)})")
    m = found["madaline"]
    print(f"XOR, MADALINE: converged {m.converged}, mistakes per epoch {m.mistakes}, outputs {m(X01).tolist()}")
    print(f"figure: {found['figure']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args()
    main()
