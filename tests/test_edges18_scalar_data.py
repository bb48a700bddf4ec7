"""A Value whose ``.data`` was set by hand to a numpy scalar or an int (``v.data = X[0]``, ``v.data = 3``):
``Value(x)`` makes every number a float, but an assignment keeps what it is given, and the forward ops pass it on.
The create_graph sweep's rules tell a Value from a Tensor by ``type(x.data) is float``, so np.float64 data took
the arrays' side: second derivatives of a ** b at a = 1e-300 raised TypeError, of x ** 0.3 AttributeError, of
tanh "np.maximum: not a Value op". The sweep now reads every node's data as a float (and gives each node its own
data back after), and the numbers are the float path's, bit for bit; against mpmath (60 digits) where the point is
an edge.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from autograd import Value, grad

mpmath.mp.dps = 60


def set_by_hand(number, kind: str) -> Value:
    v = Value(0.0)
    v.data = {"float": float, "np.float64": np.float64, "int": int}[kind](number)
    return v


def hessian(f, a, b, kind: str) -> tuple:
    """(dy/da, dy/db) from create_graph, then d/da, d/db of each, with the leaves' data set by hand."""
    x, y = set_by_hand(a, kind), set_by_hand(b, kind)
    da, db = grad(f(x, y), [x, y], create_graph=True)
    number = lambda g: getattr(g, "data", g)                            # noqa: E731  (a constant: a float)
    return (number(da), number(db), *(number(g) for d in (da, db) for g in grad(d, [x, y], allow_unused=True)))


CASES = [
    ("a ** b", lambda x, y: x**y, 1e-300, 1e-300),        # TypeError before
    ("a ** b", lambda x, y: x**y, 1e-300, 1.5),           # AttributeError
    ("x ** 0.3 + b", lambda x, y: x**0.3 + y * x, 1e-310, 2.0),
    ("tanh(a b)", lambda x, y: (x * y).tanh(), 0.3, 2.0),  # np.maximum of a Value
    ("logaddexp", lambda x, y: x.logaddexp(y), 700.1, 0.3),  # its graph's two-sum, on np.float64: AttributeError
]


@pytest.mark.parametrize("name, f, a, b", CASES, ids=[f"{c[0]} at {c[2]}, {c[3]}" for c in CASES])
def test_second_derivatives_with_numpy_scalar_data_are_the_float_paths_to_the_bit(name, f, a, b):
    assert hessian(f, a, b, "np.float64") == hessian(f, a, b, "float")


def test_int_data_gives_the_float_paths_second_derivatives():
    f = lambda x, y: x**y                                               # noqa: E731
    assert hessian(f, 3, 2, "int") == hessian(f, 3.0, 2.0, "float")      # AttributeError before


def test_a_to_the_b_at_1e_300_with_numpy_data_against_mpmath():
    A = B = mpmath.mpf(1e-300)
    exact = [B * (B - 1) * A ** (B - 2), A ** (B - 1) * (1 + B * mpmath.log(A)), A**B * mpmath.log(A) ** 2]
    _, _, daa, dab, dba, dbb = hessian(lambda x, y: x**y, 1e-300, 1e-300, "np.float64")
    for got, want in zip((daa, dab, dbb), exact):
        assert abs(mpmath.mpf(got) - want) <= 8 * math.ulp(float(want)), (got, float(want))
    assert dab == dba


def test_the_graph_sweep_reads_floats_and_leaves_every_node_as_it_was():
    x = set_by_hand(2.0, "np.float64")
    y = x * x
    (g,) = grad(y, [x], create_graph=True)
    assert type(g.data) is float and g.data == 4.0                      # 2x, computed from the float 2.0
    assert (type(x.data), type(y.data), x.data, y.data) == (np.float64, np.float64, 2.0, 4.0)


def test_a_create_graph_call_gives_each_nodes_own_data_back_even_where_it_raises():
    """review18: the sweep read numbers set by hand as floats by writing them into the nodes, so a gradient call
    turned a float32 chosen by hand into float64 for good, and one that raised left the graph half converted."""
    w = Value(0.0)
    w.data = np.float32(0.1)
    y = w * 3
    (g,) = grad(y, [w], create_graph=True)
    assert type(w.data) is np.float32 and type(y.data) is np.float32
    assert getattr(g, "data", g) == 3.0                                  # d(3w)/dw
    x, b = Value(0.5), Value(1.0)
    x.data, b.data = np.float32(0.25), np.array(2.0)                     # a 0-d array: refused on this path
    z = (x * b).tanh()
    before = [type(n.data) for n in (x, b, z)]
    with pytest.raises(TypeError, match="a node's data"):
        grad(z, [x, b], create_graph=True)
    assert [type(n.data) for n in (x, b, z)] == before
