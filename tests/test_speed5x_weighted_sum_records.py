"""weighted_sum with numbers among its operands: second derivatives and compiled code read the operands it recorded.

A neuron of Value weights and bias called on a row of plain floats (or a sum of number weights and Value inputs)
keeps the lists it was given beside its parents; create_graph and compile rebuild its partials from them. Every
mix of Values and numbers is checked against the closed form of f = z^2, z = b + sum_i w_i x_i:

    df/du = 2 z dz/du,    d2f/du dv = 2 (dz/du)(dz/dv) + 2 z d2z/du dv,

where dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1, and d2z/dw_i dx_i = 1 (0 for every other pair). A subclass of
Value, which misses the op's exact-type fast path, is recorded and differentiated as a Value.
"""

import itertools

import pytest

from autograd import Value, compile, grad, weighted_sum

W, X, B = [0.5, -1.25, 2.0], [3.0, 0.75, -0.5], 0.25
MIXES = [m for m in itertools.product([True, False], repeat=3) if any(m)]   # (w, x, b) as Values?
NAMES = [f"w{i}" for i in range(3)] + [f"x{i}" for i in range(3)] + ["b"]
NUMBERS = W + X + [B]


def _mix_id(mix: tuple) -> str:
    return "-".join(f"{name}{'V' if is_value else 'n'}" for name, is_value in zip("wxb", mix))


def _operands(mix: tuple) -> tuple[list, list, object, list]:
    """(weights, inputs, bias) with Values where ``mix`` says, and the names of the Values in operand order."""
    w_values, x_values, b_value = mix
    w = [Value(a) for a in W] if w_values else list(W)
    x = [Value(a) for a in X] if x_values else list(X)
    b = Value(B) if b_value else B
    names = [n for n, is_value in zip(NAMES, [w_values] * 3 + [x_values] * 3 + [b_value]) if is_value]
    return w, x, b, names


def _by_hand(names: list) -> tuple[list, list]:
    """The closed-form gradient and Hessian of f = z^2 towards the named operands."""
    z = B + sum(a * c for a, c in zip(W, X))
    value = dict(zip(NAMES, NUMBERS))

    def dz(n: str) -> float:
        return 1.0 if n == "b" else value["x" + n[1]] if n[0] == "w" else value["w" + n[1]]

    def d2z(n: str, m: str) -> float:
        return 1.0 if {n[0], m[0]} == {"w", "x"} and n[1] == m[1] else 0.0

    gradient = [2 * z * dz(n) for n in names]
    hessian = [[2 * dz(n) * dz(m) + 2 * z * d2z(n, m) for m in names] for n in names]
    return gradient, hessian


@pytest.mark.parametrize("mix", MIXES, ids=_mix_id)
def test_second_derivatives_of_a_weighted_sum_with_numbers_match_the_closed_form(mix):
    w, x, b, names = _operands(mix)
    values = [v for v in [*w, *x, b] if isinstance(v, Value)]
    z = weighted_sum(w, x, b)
    first = grad(z * z, values, create_graph=True)
    gradient, hessian = _by_hand(names)
    assert [getattr(g, "data", g) for g in first] == pytest.approx(gradient, rel=1e-15)
    rows = [grad(g, values, allow_unused=True) if isinstance(g, Value) else [0.0] * len(values) for g in first]
    for row, expected in zip(rows, hessian):
        assert [0.0 if h is None else h for h in row] == pytest.approx(expected, rel=1e-15, abs=1e-15)


@pytest.mark.parametrize("mix", MIXES, ids=_mix_id)
def test_compiled_weighted_sum_with_numbers_gives_the_closed_form_gradient(mix):
    _, _, _, names = _operands(mix)
    w_values, x_values, b_value = mix

    def f(v: list) -> Value:
        it = iter(v)
        w = [next(it) for _ in W] if w_values else list(W)
        x = [next(it) for _ in X] if x_values else list(X)
        b = next(it) if b_value else B
        z = weighted_sum(w, x, b)
        return z * z

    point = [dict(zip(NAMES, NUMBERS))[n] for n in names]
    value, gradient = compile(f, point)(point)
    z = B + sum(a * c for a, c in zip(W, X))
    assert value == pytest.approx(z * z, rel=1e-15)
    assert gradient == pytest.approx(_by_hand(names)[0], rel=1e-15)


class _Named(Value):
    """A user's subclass of Value: weighted_sum takes it as a Value (isinstance), off the exact-type fast path."""


@pytest.mark.parametrize("w_kind", [Value, _Named, float])
@pytest.mark.parametrize("x_kind", [Value, _Named, float])
def test_weighted_sum_of_value_subclasses_records_them_as_values(w_kind, x_kind):
    w, x, b = [w_kind(a) for a in W], [x_kind(c) for c in X], _Named(B)
    z = weighted_sum(w, x, b)
    z.backward()
    expected_parents = [b] + [v for pair in zip(w, x) for v in pair if isinstance(v, Value)]
    assert z.parents == tuple(expected_parents)
    assert z.data == B + W[0] * X[0] + W[1] * X[1] + W[2] * X[2]     # the terms added left to right
    assert b.grad == 1.0
    if w_kind is not float:
        assert [v.grad for v in w] == X                                # dz/dw_i = x_i
    if x_kind is not float:
        assert [v.grad for v in x] == W                                # dz/dx_i = w_i
