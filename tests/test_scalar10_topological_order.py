"""The topological orders backward() and the other walks use, against a recursive depth-first search written here:
the same nodes in the same order (the order fixes the order in which gradients add up, so their last bits)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, Value, topological_order, weighted_sum
from autograd.value import value_topological_order


def reference_order(root) -> list:
    """Depth-first search, parents in their order, each node after its parents, each node once (recursive: the
    graphs here are small)."""
    order, seen = [], set()

    def visit(node):
        seen.add(node)
        for parent in node.parents:
            if parent not in seen:
                visit(parent)
        order.append(node)

    visit(root)
    return order


def same_nodes(a: list, b: list) -> bool:
    return len(a) == len(b) and all(p is q for p, q in zip(a, b))


@st.composite
def graphs(draw):
    """A random graph of Values: leaves, then ops on nodes drawn from all made so far (so nodes are shared, and a
    node may be both operands, x * x, or appear several times in one weighted_sum), and a root over a few of them."""
    pool = [Value(draw(st.floats(-2, 2))) for _ in range(draw(st.integers(1, 4)))]
    pick = st.integers(0, 10**6).map(lambda k: pool[k % len(pool)])
    for _ in range(draw(st.integers(0, 14))):
        op = draw(st.sampled_from(["+", "*", "relu", "tanh", "scale", "weighted_sum", "weighted_sum with numbers"]))
        a, b = draw(pick), draw(pick)
        if op == "+":
            pool.append(a + b)
        elif op == "*":
            pool.append(a * b)
        elif op == "relu":
            pool.append(a.relu())
        elif op == "tanh":
            pool.append(a.tanh())
        elif op == "scale":
            pool.append(2.0 * a)
        else:
            n = draw(st.integers(0, 4))
            w, x = [draw(pick) for _ in range(n)], [draw(pick) for _ in range(n)]
            if op == "weighted_sum with numbers":
                x = [0.5 if k % 2 else v for k, v in enumerate(x)]
            pool.append(weighted_sum(w, x, draw(pick)))
    roots = [draw(pick) for _ in range(draw(st.integers(1, 3)))]
    return weighted_sum(roots, [1.0] * len(roots), roots[0])   # one node over them all (never a leaf)


@given(graphs())
def test_every_walk_gives_the_order_of_a_recursive_depth_first_search(root):
    expected = reference_order(root)
    assert same_nodes(topological_order(root), expected)
    assert same_nodes(value_topological_order(root), expected)
    assert same_nodes(value_topological_order(root, leaves=False), [n for n in expected if n.parents])


def test_a_leaf_alone_and_a_node_whose_parents_are_one_leaf_many_times():
    x = Value(1.0)
    assert same_nodes(value_topological_order(x), [x]) and value_topological_order(x, leaves=False) == []
    z = weighted_sum([x] * 5, [x] * 5, x)
    assert same_nodes(value_topological_order(z), [x, z])
    assert same_nodes(value_topological_order(z, leaves=False), [z])
    assert same_nodes(topological_order(z), [x, z])


def test_the_generic_walk_orders_a_tensor_graph_as_the_recursive_search():
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    b = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    h = (a * b).tanh()
    y = (h * a + h * h + b).sum()
    assert same_nodes(topological_order(y), reference_order(y))
