"""copy.deepcopy of a list of a Tensor graph's nodes, and pickle of a list of a Value graph's nodes, in linear work:
each node's state listed all of its ancestors again (pickle of a 4,000-node chain's nodes wrote 88 MB in 150 s,
deepcopy of 1,000 Tensors took 10 s). Counted here by the nodes the walks visit and the bytes written, not by time."""

from __future__ import annotations

import copy
import gc
import pickle
import tracemalloc

import numpy as np
import pytest

from autograd import Tensor, Value, graph, no_grad

RATE = 1.001


def value_chain(n: int) -> list:
    """x = 2, y_k = y_(k-1) * 1.001: y_n = 2 * 1.001^n, dy_n/dx = 1.001^n."""
    nodes = [Value(2.0)]
    for _ in range(n):
        nodes.append(nodes[-1] * RATE)
    return nodes


def tensor_chain(n: int) -> list:
    nodes = [Tensor([2.0, -1.0], requires_grad=True)]
    for _ in range(n):
        nodes.append(nodes[-1] * RATE)
    return nodes


@pytest.fixture
def walked(monkeypatch):
    """The number of nodes graph.topological_order returns, summed over every walk (the walks' work)."""
    total = [0]
    walk = graph.topological_order

    def counted(root, seen=None):
        order = walk(root, seen)
        total[0] += len(order)
        return order

    monkeypatch.setattr(graph, "topological_order", counted)
    return total


def test_pickle_of_a_list_of_a_chains_nodes_is_linear_and_loads_the_same_graph(walked):
    n = 600
    nodes = value_chain(n)
    data = pickle.dumps(nodes)
    # each node listed its ancestors again: n^2 / 2 = 180,000 nodes walked and ~1.7 MB; linear: a few dozen bytes
    # and a node or two walked per node
    assert walked[0] <= 3 * n, f"{walked[0]:,} nodes walked for {n + 1}"
    assert len(data) < 200 * n, f"{len(data):,} bytes for {n + 1} nodes"
    loaded = pickle.loads(data)
    assert all(b.parents[0] is a for a, b in zip(loaded, loaded[1:]))          # one graph, not n copies
    loaded[-1].backward()
    assert loaded[-1].data == pytest.approx(2.0 * RATE ** n, rel=1e-12)
    assert loaded[0].grad == pytest.approx(RATE ** n, rel=1e-12)


def test_pickles_made_one_after_another_each_hold_the_whole_graph():
    n = 5000                                          # deeper than the recursion limit: a node pickled inside its
    nodes = value_chain(n)                            # child, all the way down, would raise RecursionError
    first = pickle.dumps(nodes)
    top = nodes[-1] * 2.0                             # a new node on the nodes pickled last time
    # (what is pickled, its root, the root's depth above x and its number), the numbers by hand
    cases = [(top, n + 1, 2.0 * RATE ** n * 2.0), (nodes, n, 2.0 * RATE ** n),
             (nodes[n // 2], n // 2, 2.0 * RATE ** (n // 2)), ([nodes[10], top], n + 1, 2.0 * RATE ** n * 2.0)]
    for thing, depth, number in cases:
        again = pickle.loads(pickle.dumps(thing))
        node = again[-1] if isinstance(again, list) else again
        assert node.data == pytest.approx(number, rel=1e-12)
        for _ in range(depth):
            node = node.parents[0]
        assert node.data == 2.0 and not node.parents                              # the chain down to x, whole
    assert pickle.loads(first)[-1].data == pytest.approx(2.0 * RATE ** n, rel=1e-12)


def test_deepcopy_of_a_list_of_a_tensor_chains_nodes_is_linear_and_copies_one_graph(walked):
    n = 1000
    nodes = tensor_chain(n)
    copies = copy.deepcopy(nodes)
    assert walked[0] <= 3 * n, f"{walked[0]:,} nodes walked for {n + 1}"          # each listed again: 500,000
    assert all(b.parents[0] is a for a, b in zip(copies, copies[1:]))
    assert all(c is not o and c.vjp is o.vjp for c, o in zip(copies[1:], nodes[1:]))  # the vjps are functions
    copies[-1].sum().backward()
    np.testing.assert_allclose(copies[0].grad, [RATE ** n, RATE ** n], rtol=1e-12)
    assert nodes[0].grad is None                                                    # the original is untouched


def test_a_deep_copied_view_owns_its_array_and_a_gradient_graph_comes_along():
    w = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    view = w[1:]
    (w * w).sum().backward(create_graph=True)                   # w.grad = 2 w, a graph of w
    w2, view2 = copy.deepcopy([w, view])
    walked = [id(node) for node in graph.topological_order(w2.grad)]      # (Tensors compare entry by entry)
    assert id(w2) in walked and id(w) not in walked
    with no_grad():
        w -= 1.0                                                # the original changes in place: not the copy
    np.testing.assert_array_equal(view2.data, [2.0, 3.0])
    view2.sum().backward()                                      # the copy's graph: d/dw of w[1] + w[2]
    np.testing.assert_array_equal(w2.grad.data, [2.0, 5.0, 7.0])   # 2 w + [0, 1, 1], on the copied w
    np.testing.assert_array_equal(w.data, [0.0, 1.0, 2.0])


def test_a_pickle_keeps_no_record_of_its_nodes_once_written():
    # the record of the nodes a pickle has given lived on in the thread after dumps returned: 75 bytes a node
    x = Value(2.0)
    y = x
    for _ in range(10_000):
        y = y * 1.0
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        written = pickle.dumps(y)
        gc.collect()                         # what is kept, not garbage waiting for a collection
        after = tracemalloc.get_traced_memory()[0] - len(written)
    finally:
        tracemalloc.stop()
    assert after - before < 250_000                      # the old record: 10,001 ids, about 830 kB
    assert pickle.loads(written).data == 2.0
