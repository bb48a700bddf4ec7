"""Pictures of the graphs that deltagrad records: a neuron, a reused node, HH19's network, a Tensor MLP.

    python examples/draw_graph.py          # writes examples/out/<name>.svg, .png and .gv (the DOT text)

1. neuron          micrograd's neuron o = tanh(x1 w1 + x2 w2 + b): every node with its data and grad
2. reuse           f = (a b)(a + b): a and b are used twice, and their gradients add up over both paths
3. hh19_neurons    HH19's 2-2-3-2 sigmoid network on its first point, cost C = 1/2 ||y - a||^2, one box per
                   neuron, boxes shaded by the gradient that reached them
4. deep_sigmoid    a 1-1-...-1 sigmoid chain of eight neurons: the gradient fades by decades towards the input
5. tensor_mlp      the same 2-2-3-2 network on the Tensor engine for all ten HH19 points, named parameters

The SVG and PNG files need Graphviz's ``dot`` program; the .gv text files do not (``autograd.to_dot``).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

from autograd import Tensor, Value, draw
from autograd.draw import GraphvizNotFound
from nn import MLP, scalar

OUT = Path(__file__).resolve().parent / "out"

# HH19's ten points: the first five are class [1, 0], the last five [0, 1].
X = np.array([[0.1, 0.1], [0.3, 0.4], [0.1, 0.5], [0.6, 0.9], [0.4, 0.2],
              [0.6, 0.3], [0.5, 0.6], [0.9, 0.2], [0.4, 0.4], [0.7, 0.6]])
Y = np.array([[1.0, 0.0]] * 5 + [[0.0, 1.0]] * 5)


def save(picture, name: str) -> None:
    """Write name.gv (DOT text), name.svg and name.png into examples/out/."""
    (OUT / f"{name}.gv").write_text(picture.source)
    for fmt in ("svg", "png"):
        picture.render(OUT / name, format=fmt, cleanup=True)
    print(f"  {name}: .gv .svg .png")


def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")              # chosen so that n = 0.8814 and o = 1/sqrt(2)
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()                                           # do/dn = 1 - o^2 = 0.5
    return draw(o, names={"w1": w1, "w2": w2, "b": b}, legend=True)   # names: x1, x2 are drawn as inputs


def reuse():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    f = (a * b) * (a + b)                                  # df/da = b (a + b) + a b = 2ab + b^2 = -3
    f.label = "f"
    f.backward()
    assert math.isclose(a.grad, 2 * 2.0 * -3.0 + 9.0)
    return draw(f)


def hh19_neurons():
    model = scalar.MLP(2, [2, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=0)
    a = model(X[0])
    cost = 0.5 * ((a[0] - Y[0, 0]) ** 2 + (a[1] - Y[0, 1]) ** 2)       # C = 1/2 ||y - a^[4]||^2
    cost.backward()
    return draw(cost, collapse="neuron", names=dict(model.named_parameters()), highlight_grad=True, legend=True)


def deep_sigmoid():
    model = scalar.MLP(1, [1] * 8, activation="sigmoid", output_activation="sigmoid", seed=1)
    out = model([0.5])
    out.backward()                                         # sigma' <= 1/4 per layer: a vanishing gradient
    return draw(out, collapse="neuron", names=dict(model.named_parameters()), highlight_grad=True,
                show_data=False)


def tensor_mlp():
    model = MLP([2, 2, 3, 2], activation="sigmoid", seed=0)
    A = model(Tensor(X, name="X"))
    D = A - Tensor(Y, name="Y")
    cost = (D * D).sum() / (2 * len(X))                    # C = 1/(2N) sum_i ||y_i - a_i||^2
    cost.backward()
    return draw(cost, names=dict(model.named_parameters()), rankdir="TB", legend=True)


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n")[0],
                            epilog="Writes neuron, reuse, hh19_neurons, deep_sigmoid and tensor_mlp as .svg, .png "
                                   "and .gv (DOT text) into examples/out/.").parse_args([] if argv is None else argv)
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"writing to {OUT}")
    try:
        for make in (neuron, reuse, hh19_neurons, deep_sigmoid, tensor_mlp):
            save(make(), make.__name__)
    except GraphvizNotFound as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
