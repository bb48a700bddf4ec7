"""Module.__repr__ walks with its own stack: a model nested thousands of modules deep prints (it raised
RecursionError), with the modules more than REPR_DEPTH levels down counted instead of printed."""

from __future__ import annotations

from autograd import Tensor
from nn import MLP, Module
from nn.module import REPR_DEPTH


class Chain(Module):
    def __init__(self, inner=None):
        self.inner = inner


class Named(Module):
    """A sub-module with its own __repr__ of two lines: printed as it says, indented to its depth."""

    def __repr__(self):
        return "Named<\nmine>"


class Box(Module):
    def __init__(self):
        self.w = Tensor([1.0], requires_grad=True)
        self.mlp = MLP([2, 3])
        self.parts = {"n": Named(), "loop": self}             # a module inside itself: its head only

    def extra_repr(self):
        return "box"


def chain(levels: int) -> Chain:
    m = None
    for _ in range(levels):
        m = Chain(m)
    return m


def test_a_chain_five_thousand_modules_deep_prints_the_first_levels_and_counts_the_rest():
    lines = repr(chain(5000)).splitlines()
    # by hand: level d (0 .. REPR_DEPTH - 1) opens "(inner): Chain(" at 2 d spaces, the last printed level holds
    # the 5000 - 1 - REPR_DEPTH modules below it, then every opened level closes at its own indentation
    opened = ["Chain("] + ["  " * d + "(inner): Chain(" for d in range(1, REPR_DEPTH)]
    cut = "  " * REPR_DEPTH + f"(inner): Chain(... {5000 - 1 - REPR_DEPTH:,} sub-modules deeper than " \
          f"{REPR_DEPTH} levels not printed)"
    closed = ["  " * d + ")" for d in range(REPR_DEPTH - 1, -1, -1)]
    assert lines == opened + [cut] + closed


def test_a_chain_as_deep_as_the_limit_prints_whole():
    lines = repr(chain(REPR_DEPTH + 1)).splitlines()                 # levels 0 .. REPR_DEPTH
    assert lines[REPR_DEPTH] == "  " * REPR_DEPTH + "(inner): Chain()"
    assert len(lines) == 2 * REPR_DEPTH + 1 and "not printed" not in "".join(lines)


def test_nesting_a_cycle_and_an_own_repr_print_as_before():
    expected = "\n".join([
        "Box(box,",
        "  (mlp): MLP(2 -> 3, activation='sigmoid', output_activation='sigmoid',",
        "    (layers.0): Linear(2 -> 3)",
        "  )",
        "  (parts.n): Named<",
        "  mine>",
        "  (parts.loop): Box(box)",
        ")",
    ])
    assert repr(Box()) == expected
