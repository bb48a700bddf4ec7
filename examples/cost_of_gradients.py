"""What one gradient costs, three ways, as the network widens (HH19, Nielsen and the MIPT lecture).

For a net of L = 4 layers of width n (P ~ 3 n^2 parameters, one sample), the lectures count:
    backpropagation          about one forward pass more: ~ edges ~ n^2 operations
    forward sensitivities    the derivative of every node towards every parameter: ~ nodes x edges ~ n^3
    numerical differences    two forward passes per parameter: ~ P x edges ~ n^4
This times ``nn.backprop.gradients``, ``nn.backprop.forward_sensitivities`` and central differences of
``nn.backprop.total_cost`` (as ``nn.compare.numerical_gradients`` computes them) and draws them on log-log axes.
Numerical differences of a wide net take minutes, so past ``exact_up_to`` parameters (3,000: an argument of
``main``) they are timed on a random sample of parameters and scaled to all P (every parameter costs the same two
forward passes); those points are drawn hollow. numpy runs on one thread here: on a busy machine BLAS threads can
wait on each other and hide the growth. Run:
    python examples/cost_of_gradients.py        (figure in examples/out/cost_of_gradients.png)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time

import numpy as np

from nn.backprop import forward, forward_sensitivities, gradients, total_cost
from nn.checks import shown
from nn.compare import numerical_gradients
from nn.options import Whole, count

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
MAX_WIDTH = 2048  # the command line's bound: a width of 10^6 would ask numpy for 7 TiB of weights


def _best(f, repeats: int) -> float:
    """The shortest of ``repeats`` runs: the least disturbed by whatever else the machine is doing."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def _numerical_time(weights, x, y, sample: int, exact_up_to: int, rng) -> tuple[float, bool]:
    """Seconds for central differences over all P parameters; measured on ``sample`` of them when P is large."""
    P = sum(W.size + b.size for W, b in weights)
    if P <= exact_up_to or sample >= P:                        # a sample of all P parameters is no estimate
        return _best(lambda: numerical_gradients(weights, x, y), 1), False
    params = [[W.copy(), b.copy()] for W, b in weights]
    flat = [(k, which, idx) for k, pair in enumerate(params) for which, A in enumerate(pair)
            for idx in np.ndindex(A.shape)]
    chosen = rng.choice(len(flat), size=sample, replace=False)
    start = time.perf_counter()
    for c in chosen:
        k, which, idx = flat[c]
        A = params[k][which]
        kept = A[idx]
        A[idx] = kept + 1e-6
        up = total_cost(params, x, y)                          # the same two forward passes per parameter
        A[idx] = kept - 1e-6
        down = total_cost(params, x, y)
        A[idx] = kept
        _ = (up - down) / 2e-6
    return (time.perf_counter() - start) * P / sample, True


def measure(widths, repeats: int = 3, sample: int = 200, exact_up_to: int = 5000, batch: int = 16,
            seed: int = 0) -> list[dict]:
    """One row per width: the parameter count and the seconds each method takes for one gradient."""
    if sample < 1:
        raise ValueError(f"measure: sample is how many parameters to time when P > exact_up_to and must be at least "
                         f"1, got {sample}")
    rng = np.random.default_rng(seed)
    rows = []
    for n in widths:
        sizes = [n, n, n, n]
        weights = [(rng.standard_normal((m, k)) / np.sqrt(k), 0.1 * rng.standard_normal(m))
                   for k, m in zip(sizes, sizes[1:])]
        x, y = rng.standard_normal((batch, n)), rng.uniform(0, 1, (batch, n))
        numerical, estimated = _numerical_time(weights, x, y, sample, exact_up_to, rng)
        rows.append({
            "width": n, "params": sum(W.size + b.size for W, b in weights),
            "forward pass": _best(lambda w=weights, x=x: forward(w, x), repeats),
            "backprop": _best(lambda w=weights, x=x, y=y: gradients(w, x, y), repeats),
            "forward sensitivities": _best(lambda w=weights, x=x, y=y: forward_sensitivities(w, x, y), repeats),
            "numerical": numerical, "estimated": estimated,
            "operations": operations(sizes, batch),
        })
    return rows


def operations(sizes: list[int], batch: int) -> dict[str, int]:
    """Multiply-adds each method needs, counted from the formulas (edges = sum_l n_l n_(l-1))."""
    edges = sum(a * b for a, b in zip(sizes, sizes[1:]))
    P = edges + sum(sizes[1:])
    carried = sum(sizes[l] * sizes[l - 1] * sum(sizes[1:l]) for l in range(2, len(sizes)))  # W^[l] times dz/db
    return {"forward pass": batch * edges,
            "backprop": batch * 3 * edges,                    # z = W a; W^T delta; delta a^T
            "forward sensitivities": batch * (edges + carried + sizes[-1] * sum(sizes[1:]) + edges),
            "numerical": batch * 2 * P * edges}               # two forward passes per parameter


def slope(rows: list[dict], key: str, last: int = 3) -> float:
    """The log-log slope fitted over the widest ``last`` widths: the growth rate n^slope.

    >>> round(slope([{"width": n, "t": n ** 3} for n in (32, 8, 16, 4)], "t"), 12)
    3.0
    """
    widest = sorted(rows, key=lambda r: r["width"])[-last:]    # the widths may be given in any order
    if len({r["width"] for r in widest}) < 2:
        raise ValueError(f"slope: a growth rate needs at least two different widths among the widest {last}, got "
                         f"{[r['width'] for r in widest]}; measure more widths")
    n = np.log([r["width"] for r in widest])
    t = np.log([r[key] for r in widest])
    return float(np.polyfit(n, t, 1)[0])


def _one_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:                                         # then set OPENBLAS_NUM_THREADS=1 by hand
        return contextlib.nullcontext()
    return threadpool_limits(1)


def one_sided_vs_central(sizes=(4, 8, 8, 2), eps: float = 1e-6, seed: int = 0) -> dict:
    """The MIPT lecture's one-sided difference (L(w + eps) - L(w)) / eps beside central differences, on an nn.MLP's
    parameters: forward passes counted (P + 1 against 2 P), seconds, and each one's largest error against
    backprop's gradient (of order eps for one-sided, eps^2 for central)."""
    from autograd import numerical_grad
    from nn import MLP, losses

    rng = np.random.default_rng(seed)
    model = MLP(list(sizes), activation="tanh", seed=seed)
    X, Y = rng.standard_normal((16, sizes[0])), rng.standard_normal((16, sizes[-1]))
    params = model.parameters()
    calls = [0]

    def cost(*_):
        calls[0] += 1                                          # one forward pass
        return losses.quadratic(model(X), Y)

    model.zero_grad()
    cost().backward()
    exact = [p.grad.copy() for p in params]
    found: dict = {"params": int(sum(p.data.size for p in params))}
    for scheme in ("forward", "central"):
        calls[0] = 0
        start = time.perf_counter()
        grads = numerical_grad(cost, params, eps=eps, scheme=scheme)
        found[scheme] = {"passes": calls[0], "seconds": time.perf_counter() - start,
                         "error": max(float(np.max(np.abs(g - e))) for g, e in zip(grads, exact))}
    return found


def main(widths=(8, 16, 32, 64, 128, 256, 512), repeats: int = 3, sample: int = 100, exact_up_to: int = 3000,
         batch: int = 16, out_dir: str = OUT, show: bool = True) -> dict:
    """Time the three methods at each width, draw the log-log plot, print the table and the fitted slopes."""
    with _one_thread():
        rows = measure(widths, repeats, sample, exact_up_to, batch)
    methods = {"backprop": 2, "forward sensitivities": 3, "numerical": 4}  # the lectures' exponents
    slopes = {m: slope(rows, m) for m in methods}
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, (ax, ax_ops) = plt.subplots(1, 2, figsize=(13, 5.5))
    n = np.array([r["width"] for r in rows], dtype=float)
    counted = {m: slope([{"width": r["width"], m: r["operations"][m]} for r in rows], m) for m in methods}
    for (m, power), color in zip(methods.items(), ("tab:blue", "tab:orange", "tab:red")):
        t = np.array([r[m] for r in rows])
        ax.plot(n, t, "-", color=color, label=f"{m}: slope {slopes[m]:.1f} at the wide end")
        hollow = np.array([m == "numerical" and r["estimated"] for r in rows])
        ax.plot(n[~hollow], t[~hollow], "o", color=color)
        ax.plot(n[hollow], t[hollow], "o", mfc="white", color=color)
        ax.plot(n, t[-1] * (n / n[-1]) ** power, ":", color=color, alpha=0.6)
        ops = np.array([r["operations"][m] for r in rows], dtype=float)
        ax_ops.plot(n, ops, "o-", color=color, label=f"{m}: slope {counted[m]:.1f} (lectures: {power})")
    ax.plot(n, [r["forward pass"] for r in rows], "--", color="gray", label="one forward pass")
    ax_ops.plot(n, [r["operations"]["forward pass"] for r in rows], "--", color="gray", label="one forward pass")
    for a in (ax, ax_ops):
        a.set_xscale("log", base=2)
        a.set_yscale("log")
        a.set_xlabel(f"width n (4 layers of width n, a batch of {batch} samples)")
        a.legend(fontsize=8)
    ax.set_ylabel("seconds for one gradient")
    ax.set_title("measured (dotted: n^2, n^3, n^4 through the widest point;\nhollow: timed on a sample of the "
                 "parameters and scaled)", fontsize=9)
    ax_ops.set_ylabel("multiply-adds")
    ax_ops.set_title("counted from the formulas: edges, nodes x edges, parameters x edges", fontsize=9)
    fig.tight_layout()
    path = os.path.join(out_dir, "cost_of_gradients.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    if show:
        print(f"{'width':>6} {'params':>8} {'forward':>10} {'backprop':>10} {'fwd sens':>10} {'numerical':>12}")
        for r in rows:
            est = " (est.)" if r["estimated"] else ""
            print(f"{r['width']:>6} {r['params']:>8} {r['forward pass'] * 1e3:>8.3f}ms {r['backprop'] * 1e3:>8.3f}ms "
                  f"{r['forward sensitivities'] * 1e3:>8.3f}ms {r['numerical']:>10.3f}s{est}")
        print("measured growth over the widest three widths: "
              + ", ".join(f"{m} ~ n^{s:.1f}" for m, s in slopes.items()))
        print("counted multiply-adds grow as: "
              + ", ".join(f"{m} ~ n^{s:.1f} (lectures: n^{methods[m]})" for m, s in counted.items()))
        print("(at small widths numpy's fixed cost per call hides the growth; the counts are the asymptotics)")
    differences = one_sided_vs_central()
    if show:
        print(f"numerical differences on {differences['params']} parameters (4-8-8-2 tanh net, eps 1e-6):")
        for scheme in ("forward", "central"):
            d = differences[scheme]
            print(f"  {scheme:<8} {d['passes']:>5} forward passes, {d['seconds'] * 1e3:8.2f} ms, largest error "
                  f"against backprop {d['error']:.1e}")
        print(f"figure: {path}")
    return {"rows": rows, "slopes": slopes, "counted_slopes": counted, "figure": path, "differences": differences}


WIDTH = Whole(1, MAX_WIDTH, "forward sensitivities hold 16 n^2 numbers a layer, 0.5 GiB at n = 2048")


def widths_option(text: str) -> list[int]:
    """--widths: two or more different widths separated by commas, each from 1 to ``MAX_WIDTH``."""
    try:
        widths = [WIDTH(w) for w in text.split(",")]
    except argparse.ArgumentTypeError as e:
        raise argparse.ArgumentTypeError(f"each width {e} (in {shown(text)})") from None
    if len(set(widths)) < len(widths):
        raise argparse.ArgumentTypeError(f"must not repeat a width, got {shown(text)}")
    if len(widths) < 2:
        raise argparse.ArgumentTypeError(f"needs at least two widths to measure how the cost grows, got {shown(text)}")
    return widths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--widths", type=widths_option, default="8,16,32,64,128,256,512",
                        help=f"comma-separated widths, two or more; each {WIDTH.help}")
    repeats = count(3)
    parser.add_argument("--repeats", type=repeats, default=repeats.default, help=repeats.help)
    args = parser.parse_args()
    main(widths=args.widths, repeats=args.repeats)
