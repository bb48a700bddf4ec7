"""compile refuses a graph beyond max_nodes (GraphTooLarge); nn's compiled training, which has no keyword to
raise that limit, says so in its own words and names what to use instead, rather than suggesting a keyword its
user cannot pass."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import GraphTooLarge, Value, compile
from nn import SGD, fit, losses, scalar


def test_compile_refuses_a_graph_beyond_max_nodes_with_its_size_and_limit():
    def f(xs):                                                  # 10 products and 10 sums: 20 nodes
        total = xs[0]
        for x in xs[1:]:
            total = total + x * x
        return total
    with pytest.raises(GraphTooLarge, match=r"has 20 nodes .* more than max_nodes=19") as refused:
        compile(f, [1.0] * 11, max_nodes=19)
    assert (refused.value.nodes, refused.value.limit) == (20, 19) and isinstance(refused.value, ValueError)
    value, g = compile(f, [1.0] * 11, max_nodes=20)([2.0] * 11)  # at the limit: compiled
    assert value == 2.0 + 10 * 4.0 and g == [1.0] + [4.0] * 10


WIDE = (130, [200, 1])          # 130 * 200 + 200 = 26,200 weighted-sum terms: beyond the default 25,000


def test_fit_compile_true_names_the_limit_and_the_way_out():
    model = scalar.MLP(*WIDE, seed=0)
    X, y = np.zeros((2, WIDE[0])), np.zeros(2)
    with pytest.raises(ValueError, match=r"fit\(compile=True\): one sample's loss is a graph of 26,\d{3} nodes, "
                                         r"more than the 25,000 .*nn.MLP.*use compile=False") as refused:
        fit(model, X, y, losses.mse, SGD(model.parameters(), lr=0.1), epochs=1, compile=True, progress=False)
    assert "max_nodes" not in str(refused.value)


def test_compiled_step_names_the_limit_and_the_way_out():
    model = scalar.MLP(*WIDE, seed=0)
    step = model.compiled_step(lambda out, y: (out - y) ** 2)
    with pytest.raises(ValueError, match=r"compiled_step: one sample's loss is a graph of 26,\d{3} nodes, more "
                                         r"than the 25,000 .*compile=False.*nn.MLP") as refused:
        step([[0.0] * WIDE[0]], [0.0], lr=0.1)
    assert "max_nodes" not in str(refused.value)
    assert all(isinstance(p, Value) for p in model.parameters()[:3])
