"""backward() through n pieces of split / chunk / np.split / np.array_split costs O(size log n), not O(size n):
a slice's vjp is an array of its parent's size, so n pieces cut straight from t wrote n arrays of t's size. The
gradients stay the same numbers: each entry gets its own piece's gradient."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest

from autograd import Tensor, concatenate, grad, graph


def pieces_of(t: Tensor, how: str, n: int) -> tuple:
    """t cut along axis 1 into n pieces of its m columns (n divides m for np.split)."""
    m = t.data.shape[1]
    if how == "split":
        return t.split(m // n, dim=1)
    if how == "chunk":
        return t.chunk(n, dim=1)
    if how == "np.split":
        return tuple(np.split(t, n, axis=1))
    if how == "np.array_split":
        return tuple(np.array_split(t, n, axis=1))
    return t.split([m // n] * (n - 1) + [m - (n - 1) * (m // n)], dim=1)      # a list of sizes


def count_vjp_entries(root: Tensor, op: str) -> list:
    """Wrap the vjp of every ``op`` node under ``root`` so that the entries of the arrays it returns are added up
    in the returned one-item list (the work and the memory backward() spends on those nodes)."""
    total = [0]

    def counted(vjp):
        def wrapper(g):
            grads = vjp(g)
            total[0] += sum(np.size(x) for x in grads if x is not None)
            return grads
        return wrapper

    for node in graph.topological_order(root):
        if node.op == op:
            node.vjp = counted(node.vjp)
    return total


@pytest.mark.parametrize("how", ["split", "chunk", "np.split", "np.array_split", "sizes"])
def test_the_gradient_through_many_pieces_is_each_pieces_own_gradient_exactly(how):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 60))
    t = Tensor(x, requires_grad=True)
    pieces = pieces_of(t, how, 12)
    assert [p.data.tolist() for p in pieces] == [a.tolist() for a in np.array_split(x, 12, axis=1)]
    seeds = [rng.normal(size=p.data.shape) for p in pieces]         # dL/d(piece i), drawn
    loss = sum(((p * s).sum() for p, s in zip(pieces, seeds)), Tensor(0.0))
    loss.backward()
    expected = np.concatenate(seeds, axis=1)                          # dL/dt, by hand: each piece's own
    np.testing.assert_array_equal(t.grad, expected)
    (g,) = grad(loss, [t])
    np.testing.assert_array_equal(g.data, expected)
    (g2,) = grad(loss, [t], create_graph=True)
    np.testing.assert_array_equal(g2.data, expected)


def test_backward_through_4096_pieces_writes_o_of_size_log_n_entries_not_size_times_n():
    n = 4096
    t = Tensor(np.arange(float(n)).reshape(1, n), requires_grad=True)
    pieces = t.split(1, dim=1)
    weights = np.arange(1.0, n + 1.0).reshape(1, n)
    loss = (concatenate(pieces, axis=1) * weights).sum()
    written = count_vjp_entries(loss, "getitem")
    loss.backward()
    np.testing.assert_array_equal(t.grad, weights)
    # cut straight, each of the n slices' vjps returns n entries: n^2 = 16,777,216; the bound is 4 n log2 n
    assert written[0] <= 4 * n * math.log2(n), f"{written[0]:,} gradient entries for {n} pieces of one entry"


def test_a_graph_of_the_gradient_through_2000_pieces_holds_o_of_size_log_n_memory():
    n = 2000
    x = np.arange(float(n)).reshape(1, n)
    t = Tensor(x, requires_grad=True)
    loss = (concatenate(t.split(1, dim=1), axis=1) ** 2).sum() * 0.5         # dL/dt = t, a graph of t
    tracemalloc.start()
    try:
        (g,) = grad(loss, [t], create_graph=True)                    # the gradient's graph is kept with g
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert g.requires_grad
    np.testing.assert_array_equal(g.data, x)
    # cut straight: one scatter node of n floats per piece and one sum node per piece, 2 n * 8 n bytes = 64 MB
    assert held < 8 * 2**20, f"the gradient's graph holds {held / 2**20:.0f} MiB"
