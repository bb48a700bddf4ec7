"""Each activation once: its name, its formula and its derivative (numpy, for the hand-coded path),
and the engine op it maps to (for Values and Tensors).

| name      | sigma(z)                 | sigma'(z)                       |
|-----------|--------------------------|---------------------------------|
| sigmoid   | 1 / (1 + e^-z)           | sigma(z) (1 - sigma(z))         |
| tanh      | tanh z                   | 1 - tanh^2 z                    |
| relu      | max(0, z)                | 1 for z > 0, else 0 (0 at z = 0, as PyTorch) |
| softplus  | ln(1 + e^z)              | sigmoid(z)                      |
| identity  | z                        | 1                               |
| step      | 1 if z >= 0 else 0       | none: the perceptron learns by its own rule |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # e^(-|z|) <= 1, so neither branch overflows at z = +-1000.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    # s (1 - s) written as e^-|z| / (1 + e^-|z|)^2: the same number, but it keeps its digits where s rounds to 1
    # (z > 37): sigma'(100) = 3.7e-44, as the lectures say, not 0.
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def _softplus(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))  # ln(1 + e^z) with e^. <= 1


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
    """An activation function: ``f`` and ``df`` act on numpy arrays; calling it acts on an engine node.

    >>> act = get("sigmoid")
    >>> float(act.f(np.array(0.0))), float(act.df(np.array(0.0)))
    (0.5, 0.25)
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray] | None
    method: str | None  # the Value/Tensor method that computes it; None: identity

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """sigma'(z); raises for ``step``, which has no useful derivative."""
        if self.df is None:
            raise ValueError(
                f"activation {self.name!r} has no gradient (its derivative is 0 almost everywhere); "
                "train it with the perceptron rule, or use 'sigmoid' for gradient descent"
            )
        return self.df(_real(z, f"activation {self.name!r}"))

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


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("sigmoid", _sigmoid, _sigmoid_prime, "sigmoid"),
        Activation("tanh", np.tanh, lambda z: 1.0 - np.tanh(z) ** 2, "tanh"),
        Activation("relu", lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float), "relu"),
        Activation("softplus", _softplus, _sigmoid, "softplus"),
        Activation("identity", lambda z: np.asarray(z, dtype=float), lambda z: np.ones_like(z, dtype=float), None),
        Activation("step", lambda z: (np.asarray(z) >= 0).astype(float), None, "step"),
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
