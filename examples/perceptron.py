"""The classic learning rules of Dehaqani's notes on the Boolean gates, and why XOR needs a hidden layer.

    perceptron   y = 1 if w.x + b > 0 else 0;  w <- w + eta (d - y) x,  b <- b + eta (d - y)   (bias = weight on 1)
    Hebb         w <- w + eta x y,   b <- b + eta y          (inputs and outputs coded as -1 and +1)
    ADALINE/LMS  z = w.x + b, delta = d - z;  w <- w + eta delta x,  b <- b + eta delta   (targets -1 and +1)

The step at zero follows the note each rule comes from. Dehaqani's Rosenblatt perceptron fires only for
w.x + b > 0 (strict); its ADALINE outputs 1 for z >= 0; Nielsen's NAND perceptron outputs 1 for w.x + b >= 0.
A training point exactly on the line (w.x + b = 0) belongs to neither class, so the perceptron counts it as a
mistake whatever its target, and moves the line off it: W <- W + eta (2d - 1) x, as if it had answered 1 - d.
(Without that, a point of target 0 on the line passes the strict step unnoticed, and with Nielsen's z >= 0 a
point of target 1 does: both leave learned lines through training points.) With eta = 1 and W = 0 at the start
this is ``nn.perceptrons.sign_perceptron`` on the labels 2d - 1. So every drawn line has every training point
strictly on its own side.

The perceptron learns AND, OR and NAND (and the lecture's NAND weights w = (-2, -2), b = 3 compute NAND, with
|w.x + b| >= 1 at every point: a distance of at least 1 / sqrt(8) = 0.35 from the line); it never gets through an
epoch of XOR without a mistake, because no line separates XOR's classes (from W = 0 its weights come back to 0 after
every epoch: a cycle, with no line to draw).
A 2-2-1 sigmoid MLP trained by the hand-coded delta rule (``nn.backprop.sgd``) learns XOR. Run:
    python examples/perceptron.py          (figure in examples/out/perceptron.png)
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from nn import activations
from nn.backprop import forward, sgd
from nn.options import count

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0], "XOR": [0, 1, 1, 0]}
step = activations.get("step").f                              # 1 if z >= 0 else 0: Nielsen's NAND, Dehaqani's ADALINE


def strict_step(z):
    """Dehaqani's threshold unit: 1 if z > 0, else 0 (z = 0 does not fire)."""
    return (np.asarray(z) > 0).astype(float)


def with_one(X: np.ndarray) -> np.ndarray:
    """Each input extended by a constant 1: the bias is the weight on it, w.x + b = (w, b).(x, 1)."""
    return np.column_stack([X, np.ones(len(X))])


def perceptron(X: np.ndarray, d: np.ndarray, eta: float = 1.0, epochs: int = 100) -> dict:
    """Rosenblatt's algorithm (Dehaqani's notes) from W = (w, b) = 0, one sample at a time; stops after the first epoch
    without a mistake. The unit answers 1 for W.x > 0; a sample with W.x = 0 lies on the line, is a mistake whatever
    its target, and is treated as if the unit had answered the other class (so d - y = +-1 moves the line off it).
    Returns the weights and the number of mistakes in each epoch."""
    W = np.zeros(X.shape[1] + 1)                                # (w_1, ..., w_n, b)
    mistakes = []
    for _ in range(epochs):
        wrong = 0
        for x, target in zip(with_one(X), d):
            z = W @ x                                           # W.x, x = (x_1, ..., x_n, 1)
            y = 1.0 - target if z == 0 else float(strict_step(z))   # on the line: neither class, so wrong
            if y != target:
                wrong += 1
                W = W + eta * (target - y) * x                  # W <- W + eta (d - y) x, the bias included
        mistakes.append(wrong)
        if wrong == 0:
            break
    return {"w": W[:-1], "b": float(W[-1]), "mistakes": mistakes, "converged": mistakes[-1] == 0}


def hebb(X: np.ndarray, t: np.ndarray, eta: float = 1.0, epochs: int = 1) -> tuple[np.ndarray, float]:
    """Hebb's rule w <- w + eta x y, with y the target (supervised Hebb), for ``epochs`` passes."""
    W = np.zeros(X.shape[1] + 1)                                # (w, b): b is the weight on the input 1
    for _ in range(epochs):
        for x, y in zip(with_one(X), t):
            W = W + eta * x * y                                 # neurons that fire together wire together
    return W[:-1], float(W[-1])


def adaline(X: np.ndarray, d: np.ndarray, eta: float = 0.1, epochs: int = 200) -> tuple[np.ndarray, float]:
    """Widrow and Hoff's LMS delta rule on the linear output z = W.x (x extended by 1, W = (w, b))."""
    W = np.zeros(X.shape[1] + 1)
    for _ in range(epochs):
        for x, target in zip(with_one(X), d):
            delta = target - W @ x                              # delta = d - z
            W = W + eta * delta * x                             # w <- w + eta delta x, the bias included
    return W[:-1], float(W[-1])


def xor_mlp(iterations: int, seed: int = 3) -> dict:
    """A 2-2-1 sigmoid net on XOR, trained by SGD with the hand-coded delta rule and the cross-entropy cost."""
    rng = np.random.default_rng(seed)
    weights = [(rng.standard_normal((2, 2)), rng.standard_normal(2)), (rng.standard_normal((1, 2)),
                                                                       rng.standard_normal(1))]
    Y = np.array(GATES["XOR"], dtype=float)[:, None]
    result = sgd(weights, X01, Y, eta=0.5, iterations=iterations, rng=rng, record_every=max(1, iterations // 100),
                 cost="binary_cross_entropy")
    outputs = forward(result.weights, X01).output[:, 0]
    return {"weights": result.weights, "outputs": outputs, "learned": bool(np.all((outputs > 0.5) == (Y[:, 0] > 0.5))),
            "costs": result.costs}


def _line(ax, w: np.ndarray, b: float, lo: float, hi: float, **style) -> None:
    """The decision line w1 x1 + w2 x2 + b = 0."""
    xs = np.linspace(lo, hi, 2)
    if abs(w[1]) > 1e-12:
        ax.plot(xs, -(w[0] * xs + b) / w[1], **style)
    elif abs(w[0]) > 1e-12:
        ax.axvline(-b / w[0], **style)


def _points(ax, X: np.ndarray, labels, lo: float, hi: float, title: str, low: str = "0", high: str = "1") -> None:
    """The four inputs, marked by their target (as trained: ``low`` / ``high``), on axes x1, x2."""
    labels = np.asarray(labels)
    ax.scatter(*X[labels > 0].T, marker="o", s=80, color="tab:blue", zorder=3, label=f"target {high}")
    ax.scatter(*X[labels <= 0].T, marker="x", s=80, color="tab:red", zorder=3, label=f"target {low}")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title, fontsize=10)


def _side(ax, w: np.ndarray, b: float, lo: float, hi: float, strict: bool = False) -> None:
    """Shade the half-plane where the unit answers 1: w.x + b > 0 (``strict``, Dehaqani's perceptron) or
    w.x + b >= 0 (Dehaqani's ADALINE, Nielsen)."""
    g = np.linspace(lo, hi, 201)
    G1, G2 = np.meshgrid(g, g)
    Z = w[0] * G1 + w[1] * G2 + b
    ax.contourf(G1, G2, Z > 0 if strict else Z >= 0, levels=[-0.5, 0.5, 1.5], colors=["#fde0dd", "#deebf7"])


def main(epochs: int = 100, mlp_iterations: int = 20000, out_dir: str = OUT, show: bool = True) -> dict:
    """Train every rule, check the gates, draw each decision line; return what was learned."""
    found: dict = {"perceptron": {}}
    for gate, d in GATES.items():
        r = perceptron(X01, np.array(d, dtype=float), epochs=epochs)
        r["outputs"] = strict_step(X01 @ r["w"] + r["b"])          # Dehaqani's notes: 1 only for w.x + b > 0
        found["perceptron"][gate] = r
    nand_w, nand_b = np.array([-2.0, -2.0]), 3.0                    # Nielsen's NAND perceptron
    found["lecture_nand"] = step(X01 @ nand_w + nand_b)
    bipolar = 2 * X01 - 1                                           # inputs and outputs as -1, +1
    t_and = 2 * np.array(GATES["AND"], dtype=float) - 1
    found["hebb"] = hebb(bipolar, t_and)
    found["hebb_growth"] = [float(np.linalg.norm(hebb(bipolar, t_and, epochs=k)[0])) for k in (1, 2, 5, 10)]
    found["hebb_01"] = hebb(X01, np.array(GATES["AND"], dtype=float))  # the same rule on 0/1 codes
    found["adaline"] = adaline(X01, t_and, epochs=epochs * 2)
    found["mlp"] = xor_mlp(mlp_iterations)
    # every line the figure draws, with the training points it is drawn with (the inputs each rule was trained on)
    found["lines"] = {f"perceptron {gate}": (r["w"], r["b"], X01) for gate, r in found["perceptron"].items()
                      if r["converged"]}                        # XOR's weights cycle back to 0: no line
    found["lines"]["lecture NAND (Nielsen)"] = (nand_w, nand_b, X01)
    found["lines"]["Hebb AND"] = (*found["hebb"], bipolar)
    found["lines"]["ADALINE AND"] = (*found["adaline"], X01)
    found["figure"] = _draw(found, out_dir)
    if show:
        _report(found)
    return found


def _draw(found: dict, out_dir: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, axes = plt.subplots(2, 3, figsize=(12, 10))
    lines = found["lines"]                                          # every line drawn comes from here
    for ax, gate in zip(axes[0], ("AND", "OR", "NAND")):
        r = found["perceptron"][gate]
        if f"perceptron {gate}" not in lines:              # too few epochs (--epochs): no learned line to draw
            _points(ax, X01, GATES[gate], -0.5, 1.5, f"perceptron (Dehaqani): {gate} NOT learned in "
                    f"{len(r['mistakes'])} epochs\n(mistakes in the last: {r['mistakes'][-1]}; no line drawn)")
            continue
        w, b, _ = lines[f"perceptron {gate}"]
        _side(ax, w, b, -0.5, 1.5, strict=True)
        _points(ax, X01, GATES[gate], -0.5, 1.5, f"perceptron (Dehaqani): {gate} in {len(r['mistakes'])} epochs\n"
                "(blue: w.x + b > 0, output 1)")
        _line(ax, w, b, -0.5, 1.5, color="k", label=f"learned w={w.tolist()}, b={b:g}")
    w, b, _ = lines["lecture NAND (Nielsen)"]
    _line(axes[0, 2], w, b, -0.5, 1.5, color="tab:green", ls="--", label="lecture (Nielsen): w=(-2,-2), b=3")
    w, b, _ = lines["Hebb AND"]
    _side(axes[1, 0], w, b, -2, 2)
    _points(axes[1, 0], 2 * X01 - 1, GATES["AND"], -2, 2, "Hebb on AND, coded -1/+1: one pass", low="-1",
            high="+1")
    _line(axes[1, 0], w, b, -2, 2, color="k", label=f"w={w.tolist()}, b={b:g}")
    w, b, _ = lines["ADALINE AND"]
    _side(axes[1, 1], w, b, -0.5, 1.5)
    _points(axes[1, 1], X01, 2 * np.array(GATES["AND"]) - 1, -0.5, 1.5,
            "ADALINE / LMS on AND,\ntrained on targets -1/+1 (blue: z >= 0)", low="-1", high="+1")
    _line(axes[1, 1], w, b, -0.5, 1.5, color="k", label=f"z = 0: w=({w[0]:.2f}, {w[1]:.2f}), b={b:.2f}")
    ax = axes[1, 2]
    g = np.linspace(-0.5, 1.5, 201)
    G1, G2 = np.meshgrid(g, g)
    A = forward(found["mlp"]["weights"], np.column_stack([G1.ravel(), G2.ravel()])).output.reshape(G1.shape)
    ax.contourf(G1, G2, A > 0.5, levels=[-0.5, 0.5, 1.5], colors=["#fde0dd", "#deebf7"])
    r = found["perceptron"]["XOR"]
    _points(ax, X01, GATES["XOR"], -0.5, 1.5, f"XOR: perceptron wrong in all {len(r['mistakes'])} epochs\n"
                                              f"(W = {r['w'].tolist() + [r['b']]} after each: no line);\n"
                                              "2-2-1 MLP: blue where output > 0.5")
    for ax in axes.ravel():
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)   # below: no point hidden
    fig.tight_layout()
    path = os.path.join(out_dir, "perceptron.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _report(found: dict) -> None:
    for gate, r in found["perceptron"].items():
        verdict = "learned" if r["converged"] else f"NOT learned (mistakes in the last epochs {r['mistakes'][-5:]})"
        print(f"perceptron {gate:<5} {verdict:<12} w = {r['w'].tolist()}, b = {r['b']:g}, "
              f"outputs {r['outputs'].astype(int).tolist()}, epochs {len(r['mistakes'])}")
    print(f"lecture's NAND perceptron w = (-2, -2), b = 3 gives {found['lecture_nand'].astype(int).tolist()} "
          f"(NAND: {GATES['NAND']}; Nielsen's step z >= 0, but z = {(X01 @ [-2.0, -2.0] + 3).astype(int).tolist()}: "
          "no point on the line, so z > 0 gives the same)")
    xor = found["perceptron"]["XOR"]
    print(f"perceptron XOR: weights back to W = {xor['w'].tolist() + [xor['b']]} after every epoch (a cycle): "
          "no line to draw")
    w, b = found["hebb"]
    print(f"Hebb on AND coded -1/+1: w = {w.tolist()}, b = {b:g}; |w| after 1, 2, 5, 10 passes: "
          f"{[round(v, 2) for v in found['hebb_growth']]} (it only grows)")
    w01, b01 = found["hebb_01"]
    print(f"Hebb on AND coded 0/1: w = {w01.tolist()}, b = {b01:g} gives "
          f"{strict_step(X01 @ w01 + b01).astype(int).tolist()}"
          " (wrong: 0 never weakens a connection)")
    w, b = found["adaline"]
    classes = step(X01 @ w + b).astype(int).tolist()
    print(f"ADALINE on AND: w = ({w[0]:.3f}, {w[1]:.3f}), b = {b:.3f}; classes {classes}")
    m = found["mlp"]
    print(f"2-2-1 MLP on XOR: outputs {np.round(m['outputs'], 3).tolist()} -> "
          f"{'learned' if m['learned'] else 'NOT learned'}")
    print("the drawn lines, and how near each comes to its training points:")
    for name, (w, b, X) in found["lines"].items():
        m = float(np.min(np.abs(X @ w + b)))
        print(f"  {name:<24} smallest |w.x + b| = {m:.3g}: "
              f"{'every point off the line' if m > 0 else 'A TRAINING POINT IS ON THE LINE'}")
    print(f"figure: {found['figure']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    epochs, mlp_iterations = count(100), count(20_000)
    parser.add_argument("--epochs", type=epochs, default=epochs.default, help=epochs.help)
    parser.add_argument("--mlp-iterations", type=mlp_iterations, default=mlp_iterations.default,
                        help=mlp_iterations.help)
    args = parser.parse_args()
    main(epochs=args.epochs, mlp_iterations=args.mlp_iterations)
