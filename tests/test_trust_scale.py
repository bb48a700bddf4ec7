"""Trust at scale: deep, wide and long-running graphs either work, with the closed-form gradient, or are refused by
name; never a bare RecursionError, a crash of the interpreter, or memory that grows step after step.

Every expected number here is computed without the engine: c^n for a chain x c^n, a loop of floats for tanh
iterated n times.
"""

from __future__ import annotations

import copy
import gc
import math
import pickle

import numpy as np
import pytest

from autograd import Tensor, Value, grad, to_dot
from autograd.graph import topological_order

C = 1.0000001


def value_chain(n: int) -> tuple[Value, Value]:
    """x and y = x c^n, built by n multiplications: a chain n + 1 nodes deep, dy/dx = c^n."""
    x = Value(0.5, label="x")
    y = x
    for _ in range(n):
        y = y * C
    return x, y


def tensor_chain(n: int) -> tuple[Tensor, Tensor]:
    x = Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True, name="x")
    y = x
    for _ in range(n):
        y = y * C
    return x, y


# --- copies and pickles of deep graphs: a RecursionError at depth 200 (deepcopy) and 300 (pickle) ------------------

@pytest.mark.parametrize("copy_of", [copy.deepcopy, lambda v: pickle.loads(pickle.dumps(v))],
                         ids=["deepcopy", "pickle"])
def test_a_value_chain_of_20000_ops_copies_and_pickles_and_the_copy_differentiates_to_c_to_the_n(copy_of):
    n = 20_000
    x, y = value_chain(n)
    twin = copy_of(y)                    # RecursionError: every node's parents were copied inside its own copy
    twin.backward()
    (leaf,) = [node for node in topological_order(twin) if not node.parents]
    assert leaf is not x and leaf.label == "x"
    assert math.isclose(leaf.grad, C ** n, rel_tol=1e-9)
    assert len(topological_order(twin)) == n + 1
    assert x.grad == 0.0                                  # the original is untouched


def test_a_copied_value_graph_keeps_a_node_used_twice_as_one_node():
    x = Value(1.5)
    h = x
    for _ in range(2_000):
        h = h * C
    y = h * h + h                        # h used three times: dy/dh = 2h + 1
    twin = copy.deepcopy(y)
    twin.backward()
    order = topological_order(twin)
    assert len(order) == len(topological_order(y))
    assert math.isclose(order[0].grad, (2 * h.data + 1) * C ** 2_000, rel_tol=1e-9)


def test_a_copied_gradient_graph_from_create_graph_still_gives_the_second_derivative():
    x = Value(0.3)
    y = x
    for _ in range(3_000):
        y = y.tanh()
    (g,) = grad(y, [x], create_graph=True)
    twin = copy.deepcopy(g)
    (twin_x,) = [node for node in topological_order(twin) if not node.parents and node.data == 0.3]
    (h,) = grad(twin, [twin_x])
    first, second = _tanh_chain_derivatives(0.3, 3_000)
    assert math.isclose(twin.data, first, rel_tol=1e-12)
    assert math.isclose(h, second, rel_tol=1e-9)


def test_a_tensor_chain_of_5000_ops_deep_copies_and_the_copy_differentiates_to_c_to_the_n():
    n = 5_000
    x, y = tensor_chain(n)
    twin = copy.deepcopy(y)                              # RecursionError at depth 100
    twin.sum().backward()
    (leaf,) = [node for node in topological_order(twin) if not node.parents]
    assert leaf is not x and leaf.name == "x"
    np.testing.assert_allclose(leaf.grad, np.full(3, C ** n), rtol=1e-9)
    assert x.grad is None


def test_pickling_a_tensor_with_a_graph_is_refused_naming_the_op_and_the_fix_even_when_deep():
    _, y = tensor_chain(5_000)
    for node in (y, y.sum()):
        with pytest.raises(TypeError, match=r"pickle.*'(\*|sum)'.*detach\(\)"):
            pickle.dumps(node)       # AttributeError "Can't pickle local object ...<lambda>", RecursionError if deep
    leaf = pickle.loads(pickle.dumps(Tensor([1.0, 2.0], requires_grad=True, name="w")))   # a leaf still pickles
    assert leaf.requires_grad and leaf.name == "w" and leaf.data.tolist() == [1.0, 2.0]


# --- gradients that are graphs (create_graph=True) in repr and drawings: a TypeError --------------------------------

def test_repr_of_a_value_whose_grad_is_a_value_shows_the_gradient_number():
    x = Value(2.0)
    (x ** 3).backward(create_graph=True)                 # x.grad = 3 x^2 = 12, a Value
    assert isinstance(x.grad, Value)
    assert "grad=12" in repr(x) and "grad=12" in str(x)  # TypeError: unsupported format string


@pytest.mark.parametrize("highlight", [False, True])
def test_drawing_after_create_graph_shows_the_gradient_numbers_on_both_engines(highlight):
    x = Value(2.0, label="x")
    y = (x ** 3) * 1.0
    y.backward(create_graph=True)
    assert "grad 12" in to_dot(y, highlight_grad=highlight)     # TypeError: unsupported format string
    t = Tensor([1.0, 2.0], requires_grad=True, name="t")
    u = (t * t).sum()
    u.backward(create_graph=True)                                # t.grad = 2 t, a Tensor with a graph
    assert "grad [2., 4.]" in to_dot(u, highlight_grad=highlight)   # TypeError (numpy), ValueError (item())


# --- reference cycles: backward(create_graph=True) kept every Value graph alive until the collector ran -----------

def _live_values() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is Value)


def test_value_create_graph_steps_leave_no_reference_cycles_with_the_collector_off():
    from nn import scalar

    model = scalar.MLP(3, [4, 1], activation="tanh", seed=0)
    params = model.parameters()
    X = [[0.1, -0.2, 0.3], [0.5, 0.4, -0.1]]
    gc.collect()
    gc.disable()
    try:
        before = _live_values()
        for _ in range(20):            # a gradient-norm penalty read through autograd.grad, as in an HVP
            loss = sum(((model(x) - 1.0) ** 2 for x in X), Value(0.0))
            model.zero_grad()
            loss.backward(create_graph=True)
            norm = sum((p.grad * p.grad for p in params), Value(0.0))
            grad(norm, params)
            model.zero_grad()
            del loss, norm
        left = _live_values() - before
    finally:
        gc.enable()
    assert left == 0, f"{left} Values of 20 steps were kept alive by reference cycles"


def _tanh_chain_derivatives(x0: float, n: int) -> tuple[float, float]:
    """d y_n / d x0 and d^2 y_n / d x0^2 for y_k = tanh(y_{k-1}), y_0 = x0, by the chain rule on floats:
    d1_k = s_k d1_{k-1}, d2_k = s_k d2_{k-1} - 2 y_k s_k d1_{k-1}^2, with s_k = 1 - y_k^2."""
    y, d1, d2 = x0, 1.0, 0.0
    for _ in range(n):
        y = math.tanh(y)
        s = 1.0 - y * y
        d1, d2 = s * d1, s * d2 - 2.0 * y * s * d1 * d1
    return d1, d2
