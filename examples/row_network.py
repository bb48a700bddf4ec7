"""ANN from scratch's 3-level network, in its own names and row-vector layout (``nn.backprop``, layout="rows").

    sizes        N0 inputs, N1 hidden, N2 outputs; weights W0[N0][N1] (W0_ij: input i -> hidden j), W1[N1][N2],
                 biases B1[N1], B2[N2]; sigmoid everywhere; E = 1/N2 sum_i (OO_i - Y_i)^2
    forward      HS = IN x W0 + B1, HO = sigma(HS), OS = HO x W1 + B2, OO = sigma(OS)
    backward     dE/dOO = 2/N2 (OO - Y), dE/dOS = dE/dOO o OO o (1 - OO), dE/dB2 = dE/dOS, dE/dW1 = HO^T dE/dOS,
                 dE/dHO = dE/dOS W1^T, then the same for W0, B1 with HO, HS, IN; and dE/dIN = dE/dHS W0^T
    training     W <- W - alpha dE/dW on one sample at a time, until E is small: XOR (the ANN-from-scratch table), 2-3-1

The script writes each formula out with numpy, checks it against ``gradients(..., layout="rows")`` and against the
column layout (HH19's W^[l] = W0^T), trains, and draws the error and the learned region. It starts with the
ANN-from-scratch notes' worked AND neuron (output 0.5, E = 0.125, dE/dw2 = dE/db = 0.125, w1 stays 0). Run:
    python examples/row_network.py        (figure in examples/out/row_network.png)
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from nn.backprop import forward_rows, gradients, gradients_rows
from nn.options import count

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
IN_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([[0.0], [1.0], [1.0], [0.0]])


def sigma(s: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-s))


def and_neuron() -> dict:
    """The ANN-from-scratch notes' AND neuron: w1 = w2 = b = 0, input (0, 1), target 0, E = 1/2 (Y - O)^2, rate 0.1."""
    W0, B1 = np.zeros((2, 1)), np.zeros(1)
    IN, Y = np.array([0.0, 1.0]), np.array([0.0])
    O = forward_rows([(W0, B1)], IN).output
    E, [(dW0, dB1)] = gradients_rows([(W0, B1)], IN, Y, cost="quadratic")
    return {"O": float(O[0]), "E": E, "dE_dO": float(O[0] - Y[0]), "dO_dS": float(O[0] * (1 - O[0])),
            "dE_dw": dW0[:, 0].tolist(), "dE_db": float(dB1[0]), "w1_after": float(W0[0, 0] - 0.1 * dW0[0, 0])}


def by_hand(W0, B1, W1, B2, IN, Y) -> dict:
    """The ANN-from-scratch notes' formulas, one line each, for one sample IN (a row) or a batch of rows (one row of
    targets Y each): with a batch, E and the gradients are means over the rows, as ``gradients_rows`` gives them
    (the matrix products HO^T dE/dOS sum over the rows).

    >>> r = by_hand(np.zeros((2, 1)), np.zeros(1), np.ones((1, 1)), np.zeros(1), np.array([0.0, 1.0]), np.array([0.0]))
    >>> bool(r["OO"][0] == 1 / (1 + np.exp(-0.5)))            # HS = 0, HO = 0.5, OS = 0.5
    True
    """
    single, given = np.ndim(IN) == 1, np.shape(Y)
    IN, Y = np.atleast_2d(IN), np.atleast_2d(Y)
    N, N2 = IN.shape[0], W1.shape[1]
    HS = IN @ W0 + B1                                    # HS = IN x W0 + B1
    HO = sigma(HS)                                       # HO = sigma(HS)
    OS = HO @ W1 + B2                                    # OS = HO x W1 + B2
    OO = sigma(OS)                                       # OO = sigma(OS)
    if Y.shape != OO.shape:                              # else numpy would broadcast OO - Y to a wrong matrix
        raise ValueError(f"by_hand: Y of shape {given} does not match the outputs OO of shape {OO.shape}; "
                         f"give one row of N2 = {N2} targets per row of IN")
    E = np.sum((OO - Y) ** 2) / N2 / N                   # E = 1/N2 sum (OO_i - Y_i)^2, the mean over rows
    dE_dOO = 2.0 / N2 * (OO - Y) / N                     # dE/dOO = 2/N2 (OO - Y), each row's share of the mean
    dE_dOS = dE_dOO * OO * (1 - OO)                      # dE/dOS = dE/dOO o sigma(OS) o (1 - sigma(OS))
    dE_dB2 = dE_dOS.sum(axis=0)                          # dOS_i/dB2_i = 1, summed over the rows
    dE_dW1 = HO.T @ dE_dOS                               # dE/dW1 = HO^T dE/dOS
    dE_dHO = dE_dOS @ W1.T                               # dE/dHO = dE/dOS W1^T
    dE_dHS = dE_dHO * HO * (1 - HO)                      # the same step one level down
    dE_dB1 = dE_dHS.sum(axis=0)
    dE_dW0 = IN.T @ dE_dHS                               # dE/dW0 = IN^T dE/dHS
    dE_dIN = dE_dHS @ W0.T                               # dE/dIN = dE/dHS W0^T
    if single:
        OO, dE_dIN = OO[0], dE_dIN[0]
    return {"E": E, "OO": OO, "dW0": dE_dW0, "dB1": dE_dB1, "dW1": dE_dW1, "dB2": dE_dB2, "dIN": dE_dIN}


def check(W0, B1, W1, B2, IN, Y) -> float:
    """The largest difference between the formulas by hand, gradients(layout="rows") and the column layout."""
    hand = by_hand(W0, B1, W1, B2, IN, Y)
    E, [(g0, gb1), (g1, gb2)], gin = gradients_rows([(W0, B1), (W1, B2)], IN, Y, cost="mse", input_grad=True)
    _, [(c0, cb1), (c1, cb2)], cin = gradients([(W0.T, B1), (W1.T, B2)], IN, Y, cost="mse", input_grad=True)
    pairs = [(hand["E"], E), (hand["dW0"], g0), (hand["dB1"], gb1), (hand["dW1"], g1), (hand["dB2"], gb2),
             (hand["dIN"], gin), (g0, c0.T), (g1, c1.T), (gb1, cb1), (gb2, cb2), (gin, cin)]
    return max(float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) for a, b in pairs)


def train(N1: int = 3, alpha: float = 2.0, epochs: int = 3000, tol: float = 1e-3, seed: int = 1) -> dict:
    """SGD on XOR, one sample at a time, until the mean E over the four samples is below ``tol``."""
    rng = np.random.default_rng(seed)
    W0, B1 = rng.standard_normal((2, N1)), rng.standard_normal(N1)       # the initial weights randomized
    W1, B2 = rng.standard_normal((N1, 1)), rng.standard_normal(1)
    diff = check(W0, B1, W1, B2, IN_XOR[1], Y_XOR[1])
    history = []
    for _ in range(epochs):
        for i in rng.permutation(4):
            g = by_hand(W0, B1, W1, B2, IN_XOR[i], Y_XOR[i])
            W0 -= alpha * g["dW0"]                        # W = W - alpha dE/dW
            B1 -= alpha * g["dB1"]
            W1 -= alpha * g["dW1"]
            B2 -= alpha * g["dB2"]
        history.append(float(np.mean([by_hand(W0, B1, W1, B2, x, y)["E"] for x, y in zip(IN_XOR, Y_XOR)])))
        if history[-1] < tol:
            break
    OO = forward_rows([(W0, B1), (W1, B2)], IN_XOR).output[:, 0]
    return {"weights": [(W0, B1), (W1, B2)], "history": history, "outputs": OO, "difference": diff,
            "learned": bool(np.array_equal(OO > 0.5, Y_XOR[:, 0] > 0.5))}


def main(epochs: int = 3000, out_dir: str = OUT, show: bool = True) -> dict:
    found = {"and": and_neuron(), "xor": train(epochs=epochs)}
    found["figure"] = _draw(found, out_dir)
    if show:
        _report(found)
    return found


def _draw(found: dict, out_dir: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    r = found["xor"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    axes[0].semilogy(r["history"])
    axes[0].set_xlabel("epoch (four samples, one at a time)")
    axes[0].set_ylabel("mean E = 1/N2 sum (OO - Y)^2")
    axes[0].set_title("the ANN-from-scratch notes' 2-3-1 network on XOR", fontsize=10)
    g = np.linspace(-0.5, 1.5, 161)
    G1, G2 = np.meshgrid(g, g)
    OO = forward_rows(r["weights"], np.column_stack([G1.ravel(), G2.ravel()])).output.reshape(G1.shape)
    im = axes[1].contourf(G1, G2, OO, levels=20, cmap="RdBu")
    axes[1].contour(G1, G2, OO, levels=[0.5], colors="k")
    fig.colorbar(im, ax=axes[1])
    axes[1].scatter(*IN_XOR[Y_XOR[:, 0] == 1].T, marker="o", s=80, color="tab:blue", edgecolor="w")
    axes[1].scatter(*IN_XOR[Y_XOR[:, 0] == 0].T, marker="x", s=80, color="tab:red")
    axes[1].set_aspect("equal")
    axes[1].set_title("OO over the plane (black: OO = 0.5)", fontsize=10)
    fig.tight_layout()
    path = os.path.join(out_dir, "row_network.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _report(found: dict) -> None:
    a = found["and"]
    print(f"AND neuron: O = {a['O']}, E = {a['E']}, dE/dO = {a['dE_dO']}, dO/dS = {a['dO_dS']}, "
          f"dE/dw = {a['dE_dw']}, dE/db = {a['dE_db']}, w1 after one step = {a['w1_after']}")
    r = found["xor"]
    print(f"formulas by hand vs gradients(layout='rows') vs the column layout: max difference {r['difference']:.1e}")
    print(f"XOR, 2-3-1, {len(r['history'])} epochs: E = {r['history'][-1]:.2e}, outputs "
          f"{np.round(r['outputs'], 3).tolist()} -> {'learned' if r['learned'] else 'NOT learned'}")
    print(f"figure: {found['figure']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    epochs = count(3000)
    parser.add_argument("--epochs", type=epochs, default=epochs.default, help=epochs.help)
    main(epochs=parser.parse_args().epochs)
