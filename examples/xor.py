"""XOR worked out (MIPT lecture, ANN from scratch): why a linear model fails, a ReLU feature map that solves it
exactly, a 2-2-1 MLP that learns it on both engines, and why zero initial weights never learn it.

    least squares     the linear model yhat = theta^T (x1, x2, 1) fitted to the four XOR points by least squares
                      gives theta = (0, 0, 1/2) (w = 0, b = 1/2): 0.5 everywhere. Solved here in exact fractions.
    feature map       h = relu(W x + c), W = [[1, 1], [1, 1]], c = (0, -1) (MIPT lecture's map) sends (0,1) and (1,0) to
                      the same point (1, 0); then y = w^T h + b with w = (1, -2), b = 0 is XOR exactly
    learned           a 2-2-1 sigmoid MLP trained by gradient descent on the cross-entropy, once on the Tensor engine
                      (nn.MLP) and once on the Value engine (nn.scalar.MLP) from the same weights: the same steps
    symmetry          with every weight 0 the two hidden units compute the same thing and receive the same gradient,
                      so they stay equal forever: the net has in effect one hidden unit and cannot learn XOR
Run:
    python examples/xor.py        (figure in examples/out/xor.png)
"""

from __future__ import annotations

import argparse
import os
from fractions import Fraction

import numpy as np

from nn import MLP, SGD, fit, scalar
from nn.backprop import forward, gradients
from nn.options import count

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])
W_MAP, C_MAP = np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0])     # the MIPT lecture's feature map
W_OUT, B_OUT = np.array([1.0, -2.0]), 0.0                                    # the linear read-out on h


def solve_exact(A: list[list[Fraction]], y: list[Fraction]) -> list[Fraction]:
    """Gauss-Jordan elimination in fractions: the solution of A theta = y, no rounding anywhere."""
    n = len(A)
    M = [row[:] + [y[i]] for i, row in enumerate(A)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if M[r][col] != 0)
        M[col], M[pivot] = M[pivot], M[col]
        M[col] = [v / M[col][col] for v in M[col]]
        for r in range(n):
            if r != col and M[r][col] != 0:
                M[r] = [a - M[r][col] * b for a, b in zip(M[r], M[col])]
    return [M[i][n] for i in range(n)]


def least_squares() -> dict:
    """theta minimising sum_n (theta^T (x_n, 1) - y_n)^2, from the normal equations Phi^T Phi theta = Phi^T y."""
    Phi = [[Fraction(int(a)), Fraction(int(b)), Fraction(1)] for a, b in X]
    y = [Fraction(int(v)) for v in Y[:, 0]]
    PtP = [[sum(p[i] * p[j] for p in Phi) for j in range(3)] for i in range(3)]
    Pty = [sum(p[i] * t for p, t in zip(Phi, y)) for i in range(3)]
    theta = solve_exact(PtP, Pty)
    numeric = np.linalg.lstsq(np.column_stack([X, np.ones(4)]), Y[:, 0], rcond=None)[0]
    return {"theta": theta, "numpy": numeric, "predictions": [float(theta[0] * p[0] + theta[1] * p[1] + theta[2])
                                                              for p in Phi]}


def feature_map() -> dict:
    """The table of the MIPT lecture's construction: W x + c, h = relu(W x + c), y = w^T h + b."""
    Z = X @ W_MAP.T + C_MAP                              # W x + c, one row per input
    H = np.maximum(0.0, Z)                               # h = max(0, W x + c)
    y = H @ W_OUT + B_OUT                                # y = w^T h + b
    return {"Z": Z, "H": H, "y": y}


def learned(seed: int = 2, epochs: int = 2000, lr: float = 1.0) -> dict:
    """The same 2-2-1 sigmoid net on both engines, full-batch gradient descent on the binary cross-entropy."""
    tensor = MLP([2, 2, 1], activation="sigmoid", init="standard_normal", seed=seed)
    values = scalar.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", init="standard_normal",
                        seed=seed)
    start = tensor.get_weights()
    ht = fit(tensor, X, Y, "binary_cross_entropy", SGD(tensor.parameters(), lr=lr), epochs=epochs, progress=False)
    hv = fit(values, X, Y, "binary_cross_entropy", SGD(values.parameters(), lr=lr), epochs=epochs, progress=False)
    difference = max(float(np.max(np.abs(a - b))) for pt, pv in zip(tensor.get_weights(), values.get_weights())
                     for a, b in zip(pt, pv))
    outputs = tensor(X).data[:, 0]
    return {"start": start, "weights": tensor.get_weights(), "loss_tensor": ht.loss, "loss_values": hv.loss,
            "outputs": outputs, "engines_differ_by": difference,
            "learned": bool(np.array_equal(outputs > 0.5, Y[:, 0] > 0.5))}


def symmetric_start(value: float = 0.0, steps: int = 2000, eta: float = 1.0) -> dict:
    """Gradient descent with the delta rule from every weight equal to ``value``: the two hidden units compute the
    same h, receive the same delta (sigma'(z) times the same output weight) and take the same step, forever.
    From 0 on XOR nothing moves at all: every gradient is exactly 0 (a = 1/2 at all four points, and the mean of
    a - y is 0); from 0.5 the weights move, but the two units still never part."""
    weights = [(np.full((2, 2), value), np.full(2, value)), (np.full((1, 2), value), np.full(1, value))]
    gap, first = [], None                                # gap: the largest difference between the two hidden units
    for _ in range(steps):
        _, grads = gradients(weights, X, Y, cost="binary_cross_entropy")
        first = grads if first is None else first
        weights = [(W - eta * dW, b - eta * db) for (W, b), (dW, db) in zip(weights, grads)]
        (W2, b2), (W3, _) = weights
        gap.append(max(float(np.max(np.abs(W2[0] - W2[1]))), abs(float(b2[0] - b2[1])),
                       abs(float(W3[0, 0] - W3[0, 1]))))
    fw = forward(weights, X)
    hidden = fw.a[2]
    return {"value": value, "weights": weights, "gap": gap, "hidden": hidden, "outputs": fw.output[:, 0],
            "first_gradient": first, "units_equal": bool(np.array_equal(hidden[:, 0], hidden[:, 1])),
            "moved": bool(any(np.any(W != value) for pair in weights for W in pair)),
            "learned": bool(np.array_equal(fw.output[:, 0] > 0.5, Y[:, 0] > 0.5))}


def main(epochs: int = 2000, out_dir: str = OUT, show: bool = True) -> dict:
    found = {"least_squares": least_squares(), "feature_map": feature_map(), "learned": learned(epochs=epochs),
             "zero": symmetric_start(0.0, epochs), "constant": symmetric_start(0.5, epochs)}
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
    ones, zeros = Y[:, 0] == 1, Y[:, 0] == 0
    H = found["feature_map"]["H"]
    ax = axes[0]
    ax.scatter(*H[ones].T, marker="o", s=120, color="tab:blue", label="XOR = 1: (0,1) and (1,0) both at (1, 0)")
    ax.scatter(*H[zeros].T, marker="x", s=80, color="tab:red", label="XOR = 0")
    hs = np.linspace(-0.2, 2.2, 2)
    ax.plot(hs, (hs - 0.5) / 2, color="k", ls="--", label="w^T h + b = 1/2")
    ax.set_xlabel("h1")
    ax.set_ylabel("h2")
    ax.legend(fontsize=7)
    ax.set_title("inputs after h = relu(W x + c): separable", fontsize=9)
    g = np.linspace(-0.5, 1.5, 161)
    G1, G2 = np.meshgrid(g, g)
    P = np.column_stack([G1.ravel(), G2.ravel()])
    surfaces = [(np.maximum(0.0, P @ W_MAP.T + C_MAP) @ W_OUT + B_OUT, "y = w^T relu(W x + c) + b"),
                (forward(found["learned"]["weights"], P).output[:, 0], "2-2-1 sigmoid MLP, learned")]
    for ax, (Z, title) in zip(axes[1:3], surfaces):
        im = ax.contourf(G1, G2, Z.reshape(G1.shape), levels=20, cmap="RdBu")
        ax.contour(G1, G2, Z.reshape(G1.shape), levels=[0.5], colors="k")
        fig.colorbar(im, ax=ax, shrink=0.8)
        ax.scatter(*X[ones].T, marker="o", s=80, color="tab:blue", edgecolor="w")
        ax.scatter(*X[zeros].T, marker="x", s=80, color="tab:red")
        ax.set_aspect("equal")
        ax.set_title(f"{title}\n(black: 1/2)", fontsize=9)
    ax = axes[3]
    lr = found["learned"]
    ax.semilogy(lr["loss_tensor"], label="random start (Tensor engine)")
    ax.semilogy(lr["loss_values"], ls="--", label="random start (Value engine)")
    zero = found["zero"]
    ax.semilogy([np.log(2)] * len(zero["gap"]), color="tab:red", label="zero start: stuck at ln 2")
    const = found["constant"]
    ax.plot([], [], " ", label=f"start 0.5: units equal, outputs {np.round(const['outputs'], 2).tolist()}")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy")
    ax.legend(fontsize=7)
    ax.set_title("learning XOR, and not learning it from zero", fontsize=9)
    fig.tight_layout()
    path = os.path.join(out_dir, "xor.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _report(found: dict) -> None:
    ls = found["least_squares"]
    print(f"least squares on XOR: theta = ({', '.join(str(t) for t in ls['theta'])}) exactly "
          f"(numpy: {np.round(ls['numpy'], 15).tolist()}); predictions {ls['predictions']}")
    fm = found["feature_map"]
    print("feature map h = relu(W x + c), W = [[1, 1], [1, 1]], c = (0, -1); y = (1, -2) . h + 0")
    print("  x        W x + c     h           y")
    for x, z, h, y in zip(X, fm["Z"], fm["H"], fm["y"]):
        print(f"  {x.astype(int).tolist()}   {z.tolist()!s:<11} {h.tolist()!s:<11} {y:g}")
    lr = found["learned"]
    print(f"2-2-1 MLP: outputs {np.round(lr['outputs'], 3).tolist()} -> {'learned' if lr['learned'] else 'NOT'}; "
          f"final cost {lr['loss_tensor'][-1]:.4f}; Tensor and Value engines' weights differ by "
          f"{lr['engines_differ_by']:.1e}")
    for key in ("zero", "constant"):
        z = found[key]
        print(f"every weight {z['value']:g} at the start: the hidden units differ by at most {max(z['gap']):g} over "
              f"{len(z['gap'])} steps (weights moved: {z['moved']}); outputs {np.round(z['outputs'], 3).tolist()} "
              f"-> {'learned' if z['learned'] else 'NOT learned'}")
    print(f"figure: {found['figure']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    epochs = count(2000)
    parser.add_argument("--epochs", type=epochs, default=epochs.default, help=epochs.help)
    main(epochs=parser.parse_args().epochs)
