"""The first four derivatives of every smooth function of the rules table, by ``grad(..., create_graph=True)``
applied again and again, against mpmath's numerical differentiation at 50 digits, on both engines, from x = -30
to 40: where tanh and sigma round to +-1 (beyond x = 19) a form written 1 - y^2 or y (1 - y) is 0 with every
derivative after it, while the true ones are e^-2x- and e^-x-small numbers that must keep their digits."""

import pytest

from autograd import Tensor, Value, grad

mpmath = pytest.importorskip("mpmath")
mpmath.mp.dps = 50

# name: (the op, the function in mpmath, the points: inside the domain)
FUNCTIONS = {
    "tanh": (lambda x: x.tanh(), mpmath.tanh, (-30.0, -19.5, -1.3, 0.4, 7.0, 25.0, 40.0)),
    "sigmoid": (lambda x: x.sigmoid(), lambda x: 1 / (1 + mpmath.exp(-x)), (-30.0, -5.0, -0.2, 2.0, 19.0, 40.0)),
    "softplus": (lambda x: x.softplus(), lambda x: mpmath.log(1 + mpmath.exp(x)), (-30.0, -2.0, 0.4, 25.0, 40.0)),
    "exp": (lambda x: x.exp(), mpmath.exp, (-30.0, -1.3, 2.0, 40.0)),
    "log": (lambda x: x.log(), mpmath.log, (1e-3, 0.4, 7.0, 40.0)),
    "sqrt": (lambda x: x.sqrt(), mpmath.sqrt, (1e-3, 0.4, 7.0, 40.0)),
    "sin": (lambda x: x.sin(), mpmath.sin, (-30.0, -1.3, 0.4, 25.0)),
    "cos": (lambda x: x.cos(), mpmath.cos, (-30.0, -1.3, 0.4, 25.0)),
}
CASES = [(name, x0) for name, (_, _, points) in FUNCTIONS.items() for x0 in points]


def derivatives(f, x0, n, tensor):
    """f', f'', ..., f^(n) at x0, each the gradient of the one before (made with create_graph=True)."""
    x = Tensor([x0], requires_grad=True) if tensor else Value(x0)
    y, found = f(x), []
    for _ in range(n):
        (y,) = grad(y.sum() if tensor else y, [x], create_graph=True)
        found.append(float(y.data[0]) if tensor else y.data)
    return found


@pytest.mark.parametrize("tensor", [False, True], ids=["Value", "Tensor"])
@pytest.mark.parametrize("name, x0", CASES, ids=[f"{n}@{x}" for n, x in CASES])
def test_four_derivatives_equal_mpmaths_far_out_as_near_0(name, x0, tensor):
    f, exact, _ = FUNCTIONS[name]
    ours = derivatives(f, x0, 4, tensor)
    expected = [float(mpmath.diff(exact, mpmath.mpf(x0), n)) for n in range(1, 5)]
    for n, (got, want) in enumerate(zip(ours, expected), start=1):
        assert got == pytest.approx(want, rel=1e-9, abs=1e-300), (name, x0, n, ours, expected)
