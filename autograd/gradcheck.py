"""Numerical gradients by central differences, and ``gradcheck`` comparing them with ``backward()``.

Central differences: df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), with an error of order eps^2.
Works on Values (one number each) and Tensors (every element, or one random direction per input in fast mode).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .graph import no_grad


class GradcheckError(AssertionError):
    """Raised by ``gradcheck`` when analytic and numerical gradients disagree; the message holds the table."""


def _is_tensor(x: Any) -> bool:
    return isinstance(getattr(x, "data", None), np.ndarray)


def _name(x: Any, k: int) -> str:
    return getattr(x, "label", "") or getattr(x, "name", "") or f"inputs[{k}]"


def _scalar(out: Any, weights: np.ndarray | None) -> float:
    """f's output as one float; a non-scalar Tensor output is projected on fixed ``weights``."""
    data = getattr(out, "data", out)
    if isinstance(data, np.ndarray):
        if weights is not None:
            return float(np.sum(data * weights))
        if data.size != 1:
            raise ValueError(
                f"numerical_grad: f returned shape {data.shape}; it must return a scalar, "
                "or pass grad_output= of that shape to differentiate sum(f(x) * grad_output)"
            )
        return float(data.reshape(()))
    try:
        return float(data)
    except (TypeError, ValueError):
        raise TypeError(
            f"numerical_grad: f returned a {type(out).__name__}; it must return a number, a Value or a Tensor"
        ) from None


def _evaluate(f: Callable, inputs: Sequence[Any], weights: np.ndarray | None) -> float:
    with no_grad():
        return _scalar(f(*inputs), weights)


def numerical_grad(
    f: Callable, inputs: Sequence[Any], eps: float = 1e-6, grad_output: np.ndarray | None = None
) -> list:
    """Central-difference gradient of ``f(*inputs)`` towards each input: a float per Value, an array per Tensor.

    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> round(numerical_grad(lambda v: v * v, [x])[0], 6)        # d(x^2)/dx = 2x
    6.0
    """
    _check_list(inputs, "numerical_grad")
    grads: list = []
    for k, x in enumerate(inputs):
        if _is_tensor(x):
            _check_float64(x, k, "numerical_grad")
            data = x.data
            g = np.zeros(data.shape, dtype=np.float64)
            for idx in np.ndindex(data.shape):
                kept = data[idx]
                try:  # put the input back even when f fails at a perturbed point
                    data[idx] = kept + eps
                    up = _evaluate(f, inputs, grad_output)
                    data[idx] = kept - eps
                    down = _evaluate(f, inputs, grad_output)
                finally:
                    data[idx] = kept
                g[idx] = (up - down) / (2 * eps)
            grads.append(g)
        else:
            grads.append(_value_numeric(f, inputs, k, eps, grad_output))
    return grads


def _directional(f: Callable, inputs: Sequence[Any], k: int, u: np.ndarray, eps: float, w: Any) -> float:
    """Central difference of f along direction u in input k only: (f(x_k + eps u) - f(x_k - eps u)) / (2 eps)."""
    x = inputs[k]
    kept = x.data.copy()
    try:
        x.data[...] = kept + eps * u
        up = _evaluate(f, inputs, w)
        x.data[...] = kept - eps * u
        down = _evaluate(f, inputs, w)
    finally:
        x.data[...] = kept
    return (up - down) / (2 * eps)


def _analytic(f: Callable, inputs: Sequence[Any], weights: np.ndarray | None) -> list:
    """Gradients from backward(), leaving the inputs' own .grad as they were."""
    saved = [x.grad for x in inputs]
    for x in inputs:
        x.zero_grad()
    out = f(*inputs)
    if weights is not None:
        out.backward(weights)
    else:
        out.backward()
    grads = []
    for x, old in zip(inputs, saved):
        g = x.grad
        grads.append(np.zeros(x.data.shape) if (_is_tensor(x) and g is None) else g)
        x.grad = old
    return grads


def _check_list(inputs: Any, who: str) -> None:
    if hasattr(inputs, "backward"):  # one Value or Tensor, not a list of them (a Tensor would iterate by rows)
        raise TypeError(
            f"{who}: inputs must be a list with one Value or Tensor per argument of f, got a {type(inputs).__name__}; "
            "write [x]"
        )


def _check_inputs(inputs: Sequence[Any]) -> None:
    _check_list(inputs, "gradcheck")
    first: dict = {}
    for k, x in enumerate(inputs):
        if not hasattr(x, "backward"):
            raise TypeError(f"gradcheck: inputs[{k}] is a {type(x).__name__}; pass Values or Tensors")
        j = first.setdefault(id(x), k)
        if j != k:  # perturbing one would perturb both: each numeric gradient would be the sum of the two
            raise ValueError(
                f"gradcheck: inputs[{j}] and inputs[{k}] are the same {type(x).__name__}; pass each input once "
                "(f may use it twice)"
            )
        if _is_tensor(x):
            if not getattr(x, "requires_grad", True):
                raise ValueError(f"gradcheck: inputs[{k}] does not require grad; make it with requires_grad=True")
            _check_float64(x, k, "gradcheck")


def _check_float64(x: Any, k: int, where: str) -> None:
    # float32 resolves about 1e-7 relative: a step of eps ~1e-6 would measure mostly rounding.
    if x.data.dtype != np.float64:
        raise ValueError(
            f"{where}: inputs[{k}] has dtype {x.data.dtype}; central differences with eps ~1e-6 need "
            "float64 (make the Tensor with dtype=np.float64)"
        )


def gradcheck(
    f: Callable,
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    *,
    fast_mode: bool = False,
    seed: int = 0,
    raise_exception: bool = True,
) -> bool:
    """Compare ``backward()`` with central differences for ``f(*inputs)``; True, or a ``GradcheckError`` table.

    An element passes when ``|analytic - numeric| <= atol + rtol * |numeric|`` (PyTorch's defaults).
    A Tensor output that is not a scalar is checked through ``sum(f(x) * r)`` for a fixed random ``r``.
    ``fast_mode=True`` checks each Tensor input along one random direction u (<grad, u> against the
    directional difference) instead of element by element: one pair of evaluations per input.

    >>> from autograd import Value
    >>> gradcheck(lambda a, b: (a * b).tanh(), [Value(0.3), Value(-1.2)])
    True
    """
    _check_inputs(inputs)
    rng = np.random.default_rng(seed)
    with no_grad():
        probe = f(*inputs)
    if not hasattr(probe, "backward"):
        raise TypeError(
            f"gradcheck: f returned a {type(probe).__name__}, not a Value or Tensor, so backward() has no graph to "
            "walk; compute the result from the inputs with their ops (.data, float() or a new Value leave the graph)"
        )
    shape = getattr(getattr(probe, "data", None), "shape", ())
    weights = rng.standard_normal(shape) if shape not in ((), (1,)) else None

    analytic = _analytic(f, inputs, weights)
    rows = []  # (input name, index, analytic, numeric)
    if fast_mode:
        for k, (x, a) in enumerate(zip(inputs, analytic)):
            if _is_tensor(x):
                u = rng.standard_normal(x.data.shape)
                numeric = _directional(f, inputs, k, u, eps, weights)
                rows.append((_name(x, k), "direction u", float(np.sum(a * u)), numeric))
            else:
                rows.append((_name(x, k), "", a, _value_numeric(f, inputs, k, eps, weights)))
    else:
        numeric = numerical_grad(f, inputs, eps, weights)
        for k, (x, a, n) in enumerate(zip(inputs, analytic, numeric)):
            if _is_tensor(x):
                for idx in np.ndindex(x.data.shape):
                    rows.append((_name(x, k), str(idx), float(a[idx]), float(n[idx])))
            else:
                rows.append((_name(x, k), "", float(a), float(n)))

    bad = [r for r in rows if not abs(r[2] - r[3]) <= atol + rtol * abs(r[3])]
    if not bad:
        return True
    if not raise_exception:
        return False
    raise GradcheckError(_table(bad, len(rows), atol, rtol))


def _value_numeric(f: Callable, inputs: Sequence[Any], k: int, eps: float, w: Any) -> float:
    x = inputs[k]
    kept = x.data
    try:
        x.data = kept + eps
        up = _evaluate(f, inputs, w)
        x.data = kept - eps
        down = _evaluate(f, inputs, w)
    finally:
        x.data = kept
    return (up - down) / (2 * eps)


def _table(bad: list, total: int, atol: float, rtol: float, limit: int = 20) -> str:
    head = f"{'input':<14} {'index':<14} {'analytic':>16} {'numeric':>16} {'|error|':>11} {'allowed':>10}"
    lines = [
        f"gradcheck: {len(bad)} of {total} gradient entries disagree "
        f"(allowed |analytic - numeric| <= {atol:g} + {rtol:g} * |numeric|)",
        head,
        "-" * len(head),
    ]
    for name, idx, a, n in bad[:limit]:
        lines.append(f"{name:<14} {idx:<14} {a:>16.9g} {n:>16.9g} {abs(a - n):>11.3g} {atol + rtol * abs(n):>10.3g}")
    if len(bad) > limit:
        lines.append(f"... and {len(bad) - limit} more")
    if any(a == 0 and n != 0 for _, _, a, n in bad):
        lines.append(
            "An analytic gradient 0 against a numeric one that is not: f may cut the graph between that input and "
            "its result (.data, float(), a new Value or Tensor made from numbers, no_grad() inside f)."
        )
    return "\n".join(lines)
