"""The witness's table: each activation once, with its formula and its derivative as the lectures write them, in
two forms side by side: numpy (``f``, ``df``: the hand-coded path, ``nn.backprop``) and Python source over floats
(``scalar``: the straight-line code that ``nn.backprop.training_source`` writes), tested to give the same numbers.
Calling an Activation on an engine node applies the engine op it names (``method``). This table never reads the
engine's (``autograd/rules.py``): a wrong rule there cannot hide behind the same wrong rule here.

| name      | sigma(z)                 | sigma'(z)                       |
|-----------|--------------------------|---------------------------------|
| sigmoid   | 1 / (1 + e^-z)           | sigma(z) (1 - sigma(z))         |
| tanh      | tanh z                   | 1 - tanh^2 z                    |
| relu      | max(0, z)                | 0 for z <= 0, else 1 (0 at z = 0, as PyTorch) |
| softplus  | ln(1 + e^z)              | sigmoid(z)                      |
| identity  | z                        | 1                               |
| step      | 1 if z >= 0 else 0       | none: the perceptron learns by its own rule |
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np


class Scalar(NamedTuple):
    """sigma and sigma' as Python source over one float ``z``, with the names of ``SCALAR_SCOPE`` (``exp``,
    ``tanh``, ``log1p`` from ``math``).

    ``pre`` binds helpers from z (statements, one line each, or ""), ``f`` is the expression for sigma(z), and
    ``df`` the expression for sigma'(z), both in z and those helpers. Where sigma has a different form on each
    side of a branch (sigmoid), ``pre`` sets it itself, by the name ``{a}``, and ``f`` is "".
    """

    pre: str
    f: str
    df: str


# sigmoid: e^(-|z|) <= 1, so neither branch overflows at z = +-1000. Its derivative s (1 - s) is written as
# e^-|z| / (1 + e^-|z|)^2: the same number, but it keeps its digits where s rounds to 1 (z > 37):
# sigma'(100) = 3.7e-44, as the lectures say, not 0.
#: The names the scalar forms call, bound as globals of the code they go into.
SCALAR_SCOPE: dict[str, Any] = {"exp": math.exp, "tanh": math.tanh, "log1p": math.log1p, "math": math}

# sigmoid in its two halves, one branch on the sign and one exp: e = e^(-|z|) and t = 1 + e, then
# sigma = 1 / (1 + e^-z) = 1 / t for z >= 0 and e^z / (1 + e^z) = e / t for z < 0; sigma' = e / t^2 on both sides.
_SIGMOID_HALVES = ("if z >= 0.0: e = exp(-z); t = 1.0 + e; {a} = 1.0 / t\n"     # 1 / (1 + e^-z)
                   "else: e = exp(z); t = 1.0 + e; {a} = e / t")                # e^z / (1 + e^z)
# softplus shares e and t; its derivative is sigma = s / t, with s the numerator (1 for z >= 0, e^z = e for z < 0).
_E = "if z >= 0.0: e = exp(-z); s = 1.0\nelse: e = exp(z); s = e\nt = 1.0 + e"
_SIGMOID = "s / t"                                              # 1 / (1 + e^-z) = e^z / (1 + e^z)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)                 # 1 / (1 + e^-z), the halves of _SIGMOID_HALVES


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2                                   # s (1 - s); x ** 2 is x * x in numpy


# tanh: its derivative 1 - t^2 is written as 4 e^-2|z| / (1 + e^-2|z|)^2: the same number, but it keeps its digits
# where t rounds to +-1 (|z| > 19), as sigma' does; and math.tanh and np.tanh, one bit apart there, agree on it.
_U = "u = exp(-2.0 * z) if z >= 0.0 else exp(2.0 * z); t = 1.0 + u"   # u = e^(-2|z|), t = 1 + u


def _tanh_prime(z: np.ndarray) -> np.ndarray:
    # |z| capped at 400: e^-2|z| is 0 from |z| = 373 on either way, and -2 |z| overflowed (a RuntimeWarning) for
    # |z| > 9e307; NaN passes np.minimum
    u = np.exp(-2.0 * np.minimum(np.abs(z), 400.0))
    return 4.0 * u / (1.0 + u) ** 2                             # 1 - t^2


# relu at NaN: "z if z > 0 else 0" answered 0 for NaN (NaN > 0 is False), so a NaN pre-activation vanished in the
# code training_source writes while the numpy form said NaN. Both now ask "z <= 0" (False for NaN), so NaN
# passes through sigma, and sigma'(NaN) = 1 passes a NaN gradient on, as the engine's rule and PyTorch do.
def _relu_prime(z: np.ndarray) -> np.ndarray:
    return 1.0 - (np.asarray(z) <= 0)                         # 1 for z > 0, 0 for z <= 0 (NaN is neither: 1)


def _softplus(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))   # ln(1 + e^z) with e^. <= 1


def _step(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.where(np.isnan(z), np.nan, z >= 0)               # 1 if z >= 0 else 0; NaN, on no side, stays NaN


def _real(z: Any, who: str) -> np.ndarray:
    """Plain numbers as a float array; strings, None, complex numbers and lists of Values refused by name."""
    try:
        arr = np.asarray(z)
    except (TypeError, ValueError) as e:                    # ragged nested lists
        raise ValueError(f"{who}: the input is not a rectangular array of numbers ({e})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{who}: the input must be real numbers (or one Value or Tensor), got "
                        f"{type(z).__name__} of dtype {arr.dtype}; for a list of Values apply it to each one")
    return arr.astype(float)


@dataclass(frozen=True)
class Activation:
    """An activation function: ``f`` and ``df`` act on numpy arrays; calling it acts on an engine node;
    ``scalar`` is the same pair as Python source over floats (``scalar_functions`` compiles it).

    >>> act = get("sigmoid")
    >>> float(act.f(np.array(0.0))), float(act.df(np.array(0.0)))
    (0.5, 0.25)
    >>> print("\\n".join(act.scalar_lines("a2_1", "r2_1")))
    if z >= 0.0: e = exp(-z); t = 1.0 + e; a2_1 = 1.0 / t
    else: e = exp(z); t = 1.0 + e; a2_1 = e / t
    r2_1 = e / (t * t)
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray] | None
    method: str | None  # the Value/Tensor method that computes it; None: identity
    scalar: Scalar | None = None  # None: no scalar form (step)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """sigma'(z); raises for ``step``, which has no useful derivative."""
        if self.df is None:
            raise ValueError(
                f"activation {self.name!r} has no gradient (its derivative is 0 almost everywhere); "
                "train it with the perceptron rule, or use 'sigmoid' for gradient descent"
            )
        return self.df(_real(z, f"activation {self.name!r}"))

    def scalar_lines(self, a: str, r: str | None = None) -> list[str]:
        """Python statements that set ``a`` = sigma(z) and, if ``r`` is given, ``r`` = sigma'(z), from a float
        ``z``, with ``SCALAR_SCOPE``'s names in scope: what ``nn.backprop.training_source`` writes for each neuron."""
        if self.scalar is None or self.df is None:
            raise ValueError(f"activation {self.name!r} has no scalar form; those that have one: "
                             f"{', '.join(n for n, act in ACTIVATIONS.items() if act.scalar is not None)}")
        pre, f, df = self.scalar
        lines = pre.replace("{a}", a).split("\n") if pre else []
        if f:                                                   # else pre has set it (sigmoid, in each half)
            lines.append(f"{a} = {f}")
        if r is not None:
            lines.append(f"{r} = {df}")
        return lines

    def scalar_functions(self) -> tuple[Callable[[float], float], Callable[[float], float]]:
        """sigma and sigma' on one float, compiled from ``scalar``: the numbers the code of
        ``nn.backprop.training_source`` computes.

        >>> f, df = get("tanh").scalar_functions()
        >>> f(0.0), df(0.0)
        (0.0, 1.0)
        """
        body = "\n    ".join(self.scalar_lines("a", "r"))
        scope: dict[str, Any] = dict(SCALAR_SCOPE)
        exec(compile(f"def f(z):\n    {body}\n    return a\n\ndef df(z):\n    {body}\n    return r\n",
                     f"<nn.activations {self.name}>", "exec"), scope)
        return scope["f"], scope["df"]

    def __call__(self, x: Any) -> Any:
        """Apply to a Value or a Tensor (its engine op), or to plain numbers (array, numpy scalar, float, list)."""
        if not hasattr(x, "backward"):                     # not an engine node (this module imports no engine)
            return self.f(_real(x, f"activation {self.name!r}"))
        if self.method is None:
            return x
        if self.df is None:
            raise ValueError(
                f"activation {self.name!r} has no gradient, so it cannot be part of a differentiated graph; "
                "apply it to plain numbers or numpy arrays (see examples/perceptron.py)"
            )
        return getattr(x, self.method)()


# name, sigma and sigma' in numpy, the engine op, and sigma and sigma' as scalar source (tests/test_nn_activations.py
# checks that both forms give the same numbers)
ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("sigmoid", _sigmoid, _sigmoid_prime, "sigmoid",
                   Scalar(_SIGMOID_HALVES, "", "e / (t * t)")),
        Activation("tanh", np.tanh, _tanh_prime, "tanh",
                   Scalar(_U, "tanh(z)", "4.0 * u / (t * t)")),
        Activation("relu", lambda z: np.maximum(z, 0.0), _relu_prime, "relu",
                   Scalar("", "0.0 if z <= 0.0 else z", "0.0 if z <= 0.0 else 1.0")),
        Activation("softplus", _softplus, _sigmoid, "softplus",                            # softplus' = sigmoid
                   Scalar(_E, "(z if z > 0.0 else 0.0) + log1p(e)", _SIGMOID)),
        Activation("identity", lambda z: np.asarray(z, dtype=float), lambda z: np.ones_like(z, dtype=float), None,
                   Scalar("", "z", "1.0")),
        Activation("step", _step, None, "step"),
    ]
}


def get(name: str | Activation, who: str = "nn.activations.get", argument: str = "activation") -> Activation:
    """The activation called ``name`` (an Activation passes through).

    >>> get("tanh").name
    'tanh'
    """
    if isinstance(name, Activation):
        return name
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(
            f"{who}, argument {argument}: unknown activation {name!r}; known activations: {known}"
        ) from None
