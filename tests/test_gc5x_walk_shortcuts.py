"""backward()'s walk (value_topological_order(root, leaves=False)) places a node whose parents were all met without
going below it, and an activation over such a weighted_sum together with its sum. These tests build graphs where
each shortcut is taken and where it must not be, and compare the order with a recursive depth-first search written
in tests/test_scalar10_topological_order.py, and backward()'s gradients with a chain-rule sweep written here over
that order (bitwise: the order fixes the order in which gradients add up)."""

from test_scalar10_topological_order import reference_order  # a recursive depth-first search

from autograd import Value, weighted_sum
from autograd.value import value_topological_order
from nn import scalar


def computed(order: list) -> list:
    return [n for n in order if n.parents]


def same_nodes(a: list, b: list) -> bool:
    return len(a) == len(b) and all(p is q for p, q in zip(a, b))


def reference_gradients(root) -> dict:
    """dL/d(node) for every node, by the chain rule swept over the reference order in reverse, as floats."""
    grads = {node: 0.0 for node in reference_order(root)}
    grads[root] = 1.0
    for node in reversed(reference_order(root)):
        for parent, partial in zip(node.parents, node.partials):
            grads[parent] += partial * grads[node]
    return grads


def check(root, leaves_grads_of: list) -> None:
    assert same_nodes(value_topological_order(root, leaves=False), computed(reference_order(root)))
    expected = reference_gradients(root)
    for leaf in leaves_grads_of:
        leaf.grad = 0.0
    root.backward()
    for leaf in leaves_grads_of:
        assert repr(leaf.grad) == repr(expected[leaf])                   # bitwise (the sign of a zero too)


def test_a_layer_whose_neurons_read_the_inputs_the_first_met_and_their_relus():
    # neuron 0 of layer 2 goes below the layer's inputs; neurons 1.. find all their parents met (sum and relu placed
    # at once); the second sample's first neuron meets new inputs, and goes below them again
    model = scalar.MLP(3, [4, 5, 2], seed=3)
    outs = [model(x) for x in ([0.3, -0.7, 1.1], [-0.2, 0.5, 0.9])]
    loss = weighted_sum([o for out in outs for o in out], [1.0, -2.0, 0.5, 3.0], outs[0][0] * outs[1][1])
    check(loss, model.parameters())


def test_a_sum_used_again_after_its_relu_was_placed_with_it_is_not_placed_twice():
    w, x, b = [Value(0.5), Value(-1.5)], [Value(2.0), Value(0.25)], Value(0.1)
    h = [Value(1.0), Value(-2.0)]
    first = weighted_sum([*w, *h], [*x, *x], b)                           # meets all of z's parents first
    z = weighted_sum(w, x, b)                                             # all its parents met by then
    root = weighted_sum([first, z.relu(), z * 3.0, z], [1.0, 1.0, 1.0, Value(2.0)], 0.0)
    order = value_topological_order(root, leaves=False)
    assert sum(n is z for n in order) == 1
    check(root, [*w, *x, b, *h])


def test_a_relu_over_a_sum_placed_before_it_places_the_relu_alone():
    w, x, b = [Value(0.5), Value(-1.5)], [Value(2.0), Value(0.25)], Value(0.1)
    z = weighted_sum(w, x, b)
    root = weighted_sum([z, z.relu(), z.tanh()], [Value(1.0), Value(-1.0), 2.0], b)
    order = value_topological_order(root, leaves=False)
    assert sum(n is z for n in order) == 1
    check(root, [*w, *x, b])


def test_a_relu_over_a_sum_with_a_parent_not_met_goes_below_it():
    a, b = Value(1.5), Value(-0.5)
    inner = (a * b).tanh()                                                # not met when the relu is
    z = weighted_sum([a, b], [inner, b], a)
    root = weighted_sum([z.relu(), a], [Value(2.0), b], inner)
    check(root, [a, b])


def test_one_and_two_parent_nodes_over_nodes_met_and_not_met():
    x, y = Value(0.7), Value(-1.3)
    p = x * y                                                             # met first, below the root's first term
    q = p.tanh()                                                          # one parent, met
    r = p + x                                                             # two parents, both met
    s = q * (y + 2.0)                                                     # one parent (y + 2) not met: goes below
    root = weighted_sum([p, q, r, s], [x, 1.0, y, 1.0], Value(0.5))
    check(root, [x, y])


def test_micrograd_demo_graph_gradients_are_the_reference_sweeps():
    model = scalar.MLP(2, [16, 16, 1], seed=0)
    X = [[0.1 * k - 1.0, 0.5 - 0.07 * k] for k in range(12)]
    Y = [1.0 if k % 3 else -1.0 for k in range(12)]
    losses = [(1 + -y * model(x)).relu() for x, y in zip(X, Y)]
    total = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())
    check(total, model.parameters())
