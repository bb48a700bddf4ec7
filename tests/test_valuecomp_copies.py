"""copy.deepcopy of Values: linear in the graph however many of its nodes are copied together, and independent."""

import copy

from autograd import Value, graph


def _chain(n: int) -> list:
    nodes = [Value(1.5)]
    for _ in range(n):
        nodes.append(nodes[-1] * 1.0)
    return nodes


def test_deepcopy_of_every_node_of_a_chain_walks_each_node_a_bounded_number_of_times(monkeypatch):
    # Each entry listed all of its ancestors again: n^2 / 2 visits (4,000 nodes took 50 s)
    walked = []
    for name in ("topological_order", "uncopied_ancestors"):
        if hasattr(graph, name):
            walk = getattr(graph, name)
            monkeypatch.setattr(graph, name, lambda *a, walk=walk: walked.append(len(out := walk(*a))) or out)
    nodes = _chain(600)
    copies = copy.deepcopy(nodes)
    assert sum(walked) <= 2 * len(nodes)
    assert all(c.parents[0] is p for c, p in zip(copies[1:], copies))       # one copied graph, shared by the list
    assert not any(c is n for c, n in zip(copies, nodes))


def test_a_deep_copied_graph_backwards_into_the_copies_only():
    x = Value(2.0)
    y = x * x + 3 * x
    x2, y2 = copy.deepcopy([x, y])
    y2.backward()
    assert (x2.grad, x.grad) == (2 * 2.0 + 3, 0.0)                          # dy/dx = 2x + 3, by hand


def test_deepcopy_of_a_leaf_whose_grad_is_a_graph_copies_both_together():
    x = Value(3.0)
    (x ** 3).backward(create_graph=True)                                     # x.grad = 3 x^2, a Value reading x
    x2 = copy.deepcopy(x)
    dx2 = x2.grad
    x2.zero_grad()
    dx2.backward()
    assert (dx2.data, x2.grad, x.grad.data) == (27.0, 18.0, 27.0)           # d/dx 3x^2 = 6x = 18 lands on the copy
