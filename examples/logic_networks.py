"""What networks of threshold units can represent (Dehaqani's notes, the MIPT lecture), by hand with ``nn.logic``.

    a unit      y = 1 if sum_i w_i x_i - T > 0, else 0 (strict); an inhibitory input at 1 forces y = 0
    gates       AND, OR, NOT, NAND one unit each; XOR two layers: (x1 and not x2) or (not x1 and x2)
    any table   one hidden unit per true row and an OR (Dehaqani's five-input table: 6 hidden units)
    regions     a convex polygon is an AND of half-planes; more sides approach a disc; two polygons need an OR
                on top, a third layer
    functions   two threshold units and a summing unit make a square pulse; k pulses make a staircase that
                approaches f as k grows
Run:
    python examples/logic_networks.py      (figures in examples/out/logic_regions.png, logic_pulses.png)
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from nn.logic import (
    ThresholdNetwork,
    ThresholdUnit,
    all_inputs,
    dnf_network,
    gate,
    polygon_network,
    pulse_sum,
    square_pulse,
    union_network,
)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
SEED_001_ROWS = ["00110", "01011", "01100", "10001", "10111", "11001"]   # the true rows of Dehaqani's table


def gates() -> dict:
    """Each gate's outputs on its inputs in lexicographic order."""
    tables = {name: gate(name)(all_inputs(2)).tolist() for name in ("AND", "OR", "NAND", "NOR", "XOR")}
    tables["NOT"] = gate("NOT")(all_inputs(1)).tolist()
    tables["x1 and not x2 (x2 inhibitory)"] = ThresholdUnit([1, 0], 0, inhibitory=[1])(all_inputs(2)).tolist()
    return tables


def seed_001_table() -> dict:
    table = np.zeros(32, dtype=int)
    table[[int(r, 2) for r in SEED_001_ROWS]] = 1
    net = dnf_network(table)
    return {"table": table, "sizes": net.sizes, "exact": bool(np.array_equal(net(all_inputs(5)), table))}


def polygons(sides=(4, 5, 6, 16, 1000), n: int = 301) -> dict:
    """Each k-gon on a grid over [-2, 2]^2: its area (grid estimate, against k tan(pi / k)) and the
    hidden layer's sum, which is k inside and between k/2 and k - 1 just outside."""
    g = np.linspace(-2.0, 2.0, n)
    G1, G2 = np.meshgrid(g, g)
    P = np.column_stack([G1.ravel(), G2.ravel()])
    found = {"grid": (G1, G2), "regions": {}, "area": {}, "exact_area": {}, "sum": {}}
    for k in sides:
        net = polygon_network(k)
        hidden, out = net.activations(P)[1:]
        found["regions"][k] = out[:, 0].reshape(G1.shape)
        found["sum"][k] = hidden.sum(axis=1).reshape(G1.shape)
        found["area"][k] = float(out.sum() * (4.0 / (n - 1)) ** 2)   # cells of the grid
        found["exact_area"][k] = float(k * np.tan(np.pi / k))    # a regular k-gon of inradius 1
    two = union_network([polygon_network(5, 0.55, (-0.6, 0.4), 0.3), polygon_network(4, 0.5, (0.6, -0.4), 0.2)])
    found["union"] = two(P).reshape(G1.shape)
    found["union_sizes"] = two.sizes
    return found


def pulses(ks=(4, 12, 48)) -> dict:
    """The three-unit square pulse, and sums of pulses approaching f(x) = sin(2x) + x / 2 on (0, 3]."""
    x = np.linspace(0.0, 3.0, 1201)[1:]
    f = lambda t: np.sin(2 * t) + t / 2                           # noqa: E731
    found = {"x": x, "f": f(x), "pulse": square_pulse(1.0, 2.0)(x), "approx": {}, "error": {}}
    for k in ks:
        y = pulse_sum(f, 0.0, 3.0, k)(x)
        found["approx"][k] = y
        found["error"][k] = float(np.max(np.abs(y - f(x))))
    return found


def main(sides=(4, 5, 6, 16, 1000), ks=(4, 12, 48), grid: int = 301, out_dir: str = OUT,
         show: bool = True) -> dict:
    found = {"gates": gates(), "seed_001": seed_001_table(), "polygons": polygons(sides, grid), "pulses": pulses(ks)}
    found["figures"] = _draw(found, out_dir)
    if show:
        _report(found)
    return found


def _draw(found: dict, out_dir: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    poly = found["polygons"]
    G1, G2 = poly["grid"]
    sides = list(poly["regions"])
    fig, axes = plt.subplots(2, 4, figsize=(14, 7.2))
    ax = axes[0, 0]
    X = all_inputs(2)
    xs = np.linspace(-0.5, 1.5, 201)
    H1, H2 = np.meshgrid(xs, xs)
    plane = ThresholdNetwork(gate("XOR").layers)                  # the same units on real inputs: the gate takes 0/1
    ax.contourf(H1, H2, plane(np.column_stack([H1.ravel(), H2.ravel()])).reshape(H1.shape),
                levels=[-0.5, 0.5, 1.5], colors=["#fde0dd", "#deebf7"])
    t = np.array(found["gates"]["XOR"])
    ax.scatter(*X[t == 1].T, marker="o", s=80, color="tab:blue", zorder=3)
    ax.scatter(*X[t == 0].T, marker="x", s=80, color="tab:red", zorder=3)
    ax.set_title("XOR of threshold units: two layers\n(blue: output 1)", fontsize=9)
    for ax, k in zip(list(axes[0, 1:]) + list(axes[1, :2]), sides):
        ax.contourf(G1, G2, poly["regions"][k], levels=[-0.5, 0.5, 1.5], colors=["white", "#9ecae1"])
        ax.add_patch(plt.Circle((0, 0), 1.0, fill=False, ls="--", color="k", lw=0.8))
        ax.set_title(f"{k} half-planes AND-ed: area {poly['area'][k]:.3f}\n(exact {poly['exact_area'][k]:.4f}, "
                     f"disc {np.pi:.4f})", fontsize=9)
    ax = axes[1, 2]
    k = sides[-2] if len(sides) > 1 else sides[-1]
    im = ax.contourf(G1, G2, poly["sum"][k], levels=np.arange(-0.5, k + 1.0, 1.0), cmap="viridis")
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title(f"hidden-layer sum of the {k}-gon: {k} inside,\n>= {k // 2} just outside", fontsize=9)
    ax = axes[1, 3]
    ax.contourf(G1, G2, poly["union"], levels=[-0.5, 0.5, 1.5], colors=["white", "#fdae6b"])
    ax.set_title(f"two polygons OR-ed: a third layer\n(sizes {poly['union_sizes']})", fontsize=9)
    for ax in axes.ravel():
        ax.set_aspect("equal")
    fig.tight_layout()
    regions = os.path.join(out_dir, "logic_regions.png")
    fig.savefig(regions, dpi=100)
    plt.close(fig)

    p = found["pulses"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    axes[0].plot(p["x"], p["pulse"], color="k")
    axes[0].set_title("square pulse: step(x - 1) - step(x - 2), three units", fontsize=10)
    axes[1].plot(p["x"], p["f"], color="k", lw=2, label="f(x) = sin 2x + x/2")
    for k, y in p["approx"].items():
        axes[1].step(p["x"], y, where="post", lw=1, label=f"{k} pulses (max error {p['error'][k]:.3f})")
    axes[1].legend(fontsize=8)
    axes[1].set_title("a sum of pulses approaches f", fontsize=10)
    fig.tight_layout()
    pulses_path = os.path.join(out_dir, "logic_pulses.png")
    fig.savefig(pulses_path, dpi=100)
    plt.close(fig)
    return [regions, pulses_path]


def _report(found: dict) -> None:
    for name, table in found["gates"].items():
        print(f"{name:<30} {table}")
    s = found["seed_001"]
    print(f"Dehaqani's table over X1..X5 ({len(SEED_001_ROWS)} true rows): network sizes {s['sizes']}, "
          f"exact on all 32 inputs: {s['exact']}")
    poly = found["polygons"]
    for k in poly["area"]:
        print(f"{k:>5}-gon: area {poly['area'][k]:.4f} on the grid, exact {poly['exact_area'][k]:.4f} "
              f"(disc: {np.pi:.4f})")
    print(f"union of two polygons: sizes {poly['union_sizes']} (three layers)")
    for k, e in found["pulses"]["error"].items():
        print(f"{k:>3} pulses: max error {e:.4f}")
    print("figures:", ", ".join(found["figures"]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args()
    main()
