"""Names that reach the generated code (f's parameter names, f's __name__) cannot change its meaning. Python
reads an identifier in NFKC form, so a parameter named fullwidth `ｖ` wrote its entries `ｖ0, ｖ1`, which Python
reads as `v0, v1`, the variables of nodes 0 and 1 (the code computed with overwritten inputs), and a function
named `ｅｘｐ` or `ſ` defined `exp` or `s` (KeyError). Such names are replaced as keywords and clashes are."""

from __future__ import annotations

import inspect
import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, compile

P = inspect.Parameter


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def eager(f, lists):
    vs = [[Value(x) for x in xs] for xs in lists]
    y = f(*vs)
    y.backward()
    return bits(y.data), [[bits(v.grad) for v in xs] for xs in vs]


def named(f, *names: str):
    """f with the parameter names a signature says (a decorator, or functools.wraps, can set any)."""
    f.__signature__ = inspect.Signature([P(n, P.POSITIONAL_OR_KEYWORD) for n in names])
    return f


@pytest.mark.parametrize("names", [("ｖ",), ("ｖ", "ｇ_v"), ("ｅｘｐ", "ｓｅｅｄ"), ("ｔ", "ｘ"), ("x", "ｘ"),
                                   ("ｉｆ", "ｚ")])
@given(numbers=st.lists(st.floats(-3.0, 3.0), min_size=4, max_size=4))
def test_parameter_names_python_reads_as_other_names_do_not_change_the_code(names, numbers):
    def f(*lists):
        a, b = (lists[0][0], lists[0][1]) if len(lists) == 1 else (lists[0][0], lists[1][0])
        return (a * b + a).tanh() * b + (a - b).exp()
    f = named(f, *names)
    example = [[0.5, -1.0]] if len(names) == 1 else [[0.5], [-1.0]]
    fast = compile(f, example[0] if len(names) == 1 else tuple(example))
    lists = [numbers[:2]] if len(names) == 1 else [numbers[:1], numbers[2:3]]
    value, grad = fast(*lists)
    got = bits(value), [[bits(g) for g in grad]] if len(names) == 1 else [[bits(g) for g in gs] for gs in grad]
    assert got == eager(f, lists), fast.source


@pytest.mark.parametrize("name", ["ｅｘｐ", "ſ", "ｖ0", "ｉｆ", "ｓｅｅｄ"])
def test_a_function_name_python_reads_as_another_is_not_used_for_the_code(name):
    def f(x):
        return x[0].exp() * x[0]
    f.__name__ = name
    fast = compile(f, [1.0])
    assert fast.name == "compiled"
    assert fast([2.0]) == (math.exp(2.0) * 2.0, [math.exp(2.0) * 2.0 + math.exp(2.0)])


def test_plain_unicode_names_are_kept():
    def lösung(θ):
        return θ[0] * θ[0]
    fast = compile(lösung, [3.0])
    assert fast.name == "lösung" and "θ0" in fast.source
    assert fast([3.0]) == (9.0, [6.0])
