"""One neuron made of Values: o = tanh(x1 w1 + x2 w2 + b), with the numbers of micrograd's demo.

    python examples/neuron.py

Builds the graph, runs backward(), prints every node's data and its gradient do/d(node), then checks the
gradients of the five inputs against central differences with gradcheck.
"""

from __future__ import annotations

import argparse
import sys

from autograd import Value, gradcheck

# b is chosen so that n = 0.8813735870195432 = atanh(1/sqrt 2): then o = 0.7071 and do/dn = 1 - o^2 = 0.5.
INPUTS = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


def neuron(x1: Value, x2: Value, w1: Value, w2: Value, b: Value) -> Value:
    """o = tanh(x1 w1 + x2 w2 + b), every intermediate node labelled for the table (and for drawings)."""
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def nodes_of(o: Value) -> list:
    """o first, then the nodes it was computed from, breadth first: the order a reader follows backwards."""
    seen, order = {id(o)}, [o]
    for node in order:
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                order.append(parent)
    return order


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog="Prints every node's data and "
                            "do/d(node), then checks them with gradcheck.").parse_args([] if argv is None else argv)
    leaves = [Value(x, label=name) for name, x in INPUTS.items()]
    o = neuron(*leaves)
    o.backward()

    print("o = tanh(x1*w1 + x2*w2 + b)\n")
    print(f"{'node':<15} {'op':<6} {'data':>12} {'do/dnode':>12}")
    for node in nodes_of(o):
        print(f"{node.label:<15} {node.op or 'leaf':<6} {node.data:>12.6f} {node.grad:>12.6f}")

    gradcheck(neuron, leaves)  # raises a GradcheckError with a table if backward() disagreed
    print("\ngradcheck: ok")


if __name__ == "__main__":
    main(sys.argv[1:])
