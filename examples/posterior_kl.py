"""Two readings of the logistic unit and its cost (Dehaqani's notes and the MIPT lecture), checked in numbers.

    posterior      for two classes with Gaussian inputs of one variance s^2 (means m0, m1, priors p0, p1), Bayes'
                   rule gives P(class 1 | x) = sigmoid(w x + b) exactly, with w = (m1 - m0) / s^2 and
                   b = (m0^2 - m1^2) / (2 s^2) + ln(p1 / p0). A sigmoid neuron trained by cross-entropy on samples
                   finds about those w and b: its output is the a posteriori probability of class 1 (Dehaqani's notes)
    KL             cross-entropy H(p, q) = -sum_k p_k ln q_k and KL(p || q) = sum_k p_k ln(p_k / q_k) differ by the
                   entropy H(p) = -sum_k p_k ln p_k of the targets, which no weight changes: both costs have the same
                   gradient (q - p towards the logits) and the same minimiser (the MIPT lecture's exercise). For one-hot
                   targets H(p) = 0 and the two are equal
Run:
    python examples/posterior_kl.py        (figure in examples/out/posterior_kl.png)
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from autograd import Tensor, where
from nn import MLP, SGD, fit, losses
from nn.options import count

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def bayes(m0: float, m1: float, s: float, p1: float) -> tuple[float, float]:
    """w and b of the exact posterior P(1 | x) = sigmoid(w x + b) for Gaussian classes of one variance.

    >>> bayes(-1.0, 1.0, 1.0, 0.5)                     # equal priors, means +-1: P(1 | x) = sigmoid(2 x)
    (2.0, 0.0)
    """
    if not (np.isfinite(s) and s > 0):
        raise ValueError(f"bayes: s is the classes' standard deviation and must be a finite number above 0, got {s}")
    if not 0 < p1 < 1:
        raise ValueError(f"bayes: p1 is the prior of class 1 and must lie strictly between 0 and 1, got {p1}; with "
                         f"p1 = 0 or 1 one class never occurs and the posterior is a constant, not a sigmoid")
    return (m1 - m0) / s ** 2, (m0 ** 2 - m1 ** 2) / (2 * s ** 2) + float(np.log(p1 / (1 - p1)))


def posterior(n: int = 4000, m0: float = -1.0, m1: float = 1.5, s: float = 1.0, p1: float = 0.3,
              epochs: int = 400, seed: int = 0) -> dict:
    exact = bayes(m0, m1, s, p1)                                        # first: it refuses a p1 or s it cannot use
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < p1).astype(float)
    x = np.where(y == 1, m1, m0) + s * rng.standard_normal(n)
    model = MLP([1, 1], activation="sigmoid", seed=seed)                # a = sigmoid(w x + b)
    fit(model, x[:, None], y[:, None], losses.binary_cross_entropy, SGD(model.parameters(), lr=0.5),
        epochs=epochs, progress=False)
    (W, b), = model.get_weights()
    edges = np.linspace(-3.5, 4.0, 16)
    which = np.digitize(x, edges)
    centres, freq = [], []
    for k in range(1, len(edges)):
        inside = which == k
        if inside.sum() >= 30:
            centres.append(x[inside].mean())
            freq.append(y[inside].mean())                                # how often class 1, near x
    return {"x": x, "y": y, "learned": (float(W[0, 0]), float(b[0])), "bayes": exact,
            "bins": (np.array(centres), np.array(freq)), "model": model}


def entropy_terms(p: np.ndarray, z: np.ndarray) -> dict:
    """H(p, q), KL(p || q), H(p) for rows of targets p and logits z (q = softmax(z)), and the gradients of
    H and KL towards z from the Tensor engine. A term with p_k = 0 counts 0 (0 ln 0 = 0), also where z_k = -inf.

    >>> p = np.array([[0.5, 0.5, 0.0]])
    >>> round(entropy_terms(p, np.array([[0.0, 0.0, -np.inf]]))["kl"], 12)    # q = p: KL(p || p) = 0
    0.0
    """
    p, z = np.asarray(p, dtype=float), np.asarray(z, dtype=float)
    if p.ndim != 2 or p.shape != z.shape:
        raise ValueError(f"entropy_terms: p and z must be 2-D of one shape (a row per sample, a column per class), "
                         f"got p {p.shape} and z {z.shape}; for one sample write p[None] and z[None]")
    if not (np.all(p >= 0) and np.allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-9)):
        raise ValueError(f"entropy_terms: each row of p must be a probability distribution (entries >= 0 summing "
                         f"to 1), got row sums {p.sum(axis=1).tolist()} and smallest entry {p.min()}")
    used = p > 0                                                         # 0 ln 0 = 0: only these terms count
    Z = Tensor(z.copy(), requires_grad=True)
    log_q = where(used, Z.log_softmax(axis=1), 0.0)                      # not 0 * ln 0 = 0 * -inf = nan
    cross = -(log_q * p).sum() / len(p)                                  # H(p, q), mean over rows
    cross.backward()
    g_cross = Z.grad.copy()
    Z2 = Tensor(z.copy(), requires_grad=True)
    safe = np.where(used, p, 1.0)
    log_q2 = where(used, Z2.log_softmax(axis=1), 0.0)
    kl = (((np.log(safe) - log_q2) * p).sum()) / len(p)                  # KL(p || q) = sum p (ln p - ln q)
    kl.backward()
    H = float(-(p * np.log(safe)).sum() / len(p)) + 0.0                  # H(p), 0 ln 0 = 0 (and no -0.0)
    return {"cross": float(cross.data), "kl": float(kl.data), "entropy": H, "g_cross": g_cross, "g_kl": Z2.grad}


def kl_demo(seed: int = 0, K: int = 4, N: int = 5, draws: int = 6) -> dict:
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(K), size=N)                                # soft targets
    rows = [entropy_terms(p, rng.standard_normal((N, K)) * 2) for _ in range(draws)]
    onehot = np.eye(K)[rng.integers(0, K, N)]
    z = rng.standard_normal((N, K))
    hard = entropy_terms(onehot, z)
    hard["library"] = float(losses.cross_entropy(Tensor(z), onehot).data)  # nn.losses on the same logits
    return {"p": p, "rows": rows, "hard": hard}


def main(epochs: int = 400, out_dir: str = OUT, show: bool = True) -> dict:
    found = {"posterior": posterior(epochs=epochs), "kl": kl_demo()}
    found["figure"] = _draw(found, out_dir)
    if show:
        _report(found)
    return found


def _draw(found: dict, out_dir: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    ps = found["posterior"]
    g = np.linspace(-4, 5, 300)
    wb, bb = ps["bayes"]
    wl, bl = ps["learned"]
    ax = axes[0]
    ax.plot(g, 1 / (1 + np.exp(-(wb * g + bb))), color="k", lw=2, label=f"Bayes: sigmoid({wb:.2f} x {bb:+.2f})")
    ax.plot(g, 1 / (1 + np.exp(-(wl * g + bl))), color="tab:orange", ls="--",
            label=f"sigmoid neuron, learned: ({wl:.2f} x {bl:+.2f})")
    ax.plot(*ps["bins"], "o", color="tab:blue", label="fraction of class 1 among nearby samples")
    ax.set_xlabel("x")
    ax.set_ylabel("P(class 1 | x)")
    ax.legend(fontsize=8)
    ax.set_title("the logistic unit's output is the posterior probability", fontsize=10)
    ax = axes[1]
    rows = found["kl"]["rows"]
    k = np.arange(len(rows))
    ax.bar(k - 0.2, [r["cross"] for r in rows], 0.4, label="cross-entropy H(p, q)")
    ax.bar(k + 0.2, [r["kl"] for r in rows], 0.4, label="KL(p || q)")
    ax.axhline(rows[0]["entropy"], color="k", ls="--", label=f"H(p) = {rows[0]['entropy']:.4f}")
    ax.set_xlabel("a random q (the same soft targets p)")
    ax.legend(fontsize=8)
    ax.set_title("H(p, q) - KL(p || q) = H(p) for every q", fontsize=10)
    fig.tight_layout()
    path = os.path.join(out_dir, "posterior_kl.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _report(found: dict) -> None:
    ps = found["posterior"]
    print(f"Bayes posterior: w = {ps['bayes'][0]:.4f}, b = {ps['bayes'][1]:.4f}; learned by cross-entropy: "
          f"w = {ps['learned'][0]:.4f}, b = {ps['learned'][1]:.4f}")
    print("H(p, q)      KL(p || q)   difference   H(p)         |grad H - grad KL|")
    for r in found["kl"]["rows"]:
        print(f"{r['cross']:.9f}  {r['kl']:.9f}  {r['cross'] - r['kl']:.9f}  {r['entropy']:.9f}  "
              f"{np.max(np.abs(r['g_cross'] - r['g_kl'])):.1e}")
    h = found["kl"]["hard"]
    print(f"one-hot targets: H(p, q) = {h['cross']:.12f} = KL = {h['kl']:.12f} (H(p) = {h['entropy']}); "
          f"nn.losses.cross_entropy: {h['library']:.12f}")
    print(f"figure: {found['figure']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    epochs = count(400)
    parser.add_argument("--epochs", type=epochs, default=epochs.default, help=epochs.help)
    main(epochs=parser.parse_args().epochs)
