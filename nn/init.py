"""Initialisers: how a layer's first weights and biases are drawn.

An initialiser is a callable ``init(rng, n_out, n_in) -> (W, b)`` returning numpy arrays of shapes
``(n_out, n_in)`` and ``(n_out,)`` (HH19's layout). Both MLPs (scalar and tensor) draw their layers, in order,
from one ``numpy.random.Generator``: the same seed gives the same weights on either engine.

| name      | W                                          | b            | from                      |
|-----------|--------------------------------------------|--------------|---------------------------|
| normal(s) | N(0, s^2)                                  | N(0, s^2)    | HH19's ``0.5 * randn``    |
| standard_normal | N(0, 1), ``normal(1.0)``             | N(0, 1)      | Nielsen's ``network.py``  |
| uniform(a)| U(-a, a)                                   | 0            | micrograd (a = 1)         |
| xavier    | U(-r, r), r = sqrt(6 / (n_in + n_out))     | 0            | Glorot & Bengio 2010      |
| he        | N(0, 2 / n_in)                             | 0            | He et al. 2015, for ReLU  |

The strings ``"normal"`` (std 0.5, as HH19's ``netbp``: NOT the standard normal), ``"standard_normal"`` (std 1,
as Nielsen's ``network.py``: ``np.random.randn(y, x)`` weights and ``randn(y, 1)`` biases), ``"uniform"`` (a = 1,
as micrograd), ``"xavier"`` and ``"he"`` name the same initialisers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import checks

Initializer = Callable[[np.random.Generator, int, int], tuple[np.ndarray, np.ndarray]]
Seed = int | np.random.Generator | None


# 2 GiB of float64 in one layer, as much as nn.files.MAX_BYTES lets a file hold. The limit was 10**9 weights (8 GB):
# building a Linear layer holds three arrays of its weights at once (the draw, sample's float copy, the layer's own:
# 24 GB at that limit) and training as many more (gradients, Adam's moments), so a layer let through still took all
# of a machine's memory.
_MAX_WEIGHTS = 2**28


def dims(n_out: int, n_in: int, who: str) -> tuple[int, int]:
    """(n_out, n_in) as whole numbers, refused (naming ``who``) beyond the weights one layer may hold.

    >>> dims(3, 2, "Linear")
    (3, 2)
    """
    n_out, n_in = checks.whole(n_out, who, "n_out"), checks.whole(n_in, who, "n_in")
    if n_out * n_in > _MAX_WEIGHTS:
        raise ValueError(f"{who}: a layer of n_in={checks.shown(n_in)} inputs and n_out={checks.shown(n_out)} "
                         f"outputs would hold more than the 2**28 = {_MAX_WEIGHTS:,} weights one layer may have (2 GiB "
                         "in float64, 1 GiB in float32); check the sizes")
    return n_out, n_in


def model_weights(sizes: list[int], who: str) -> None:
    """Refuse layer sizes whose weights together pass the 2**28 one layer may hold, before any layer is drawn:
    ``MLP([15000] * 20)``, 1.7 GiB a layer, drew layer after layer for 28 s to a MemoryError at 3.4 GB (in a 4 GB
    limit; without one, past the memory of the machine).

    >>> model_weights([784, 30, 10], "MLP")
    """
    for n_in, n_out in zip(sizes, sizes[1:]):
        dims(n_out, n_in, who)                              # one layer too large is named as such
    total = sum(a * b for a, b in zip(sizes, sizes[1:]))
    if total > _MAX_WEIGHTS:
        raise ValueError(f"{who}: sizes {checks.listed(sizes)} make {total:,} weights in all, more than the 2**28 = "
                         f"{_MAX_WEIGHTS:,} a model may hold (2 GiB in float64, as one layer may; training holds as "
                         "much again for the gradients); check the sizes")


def normal(std: float = 0.5) -> Initializer:
    """Weights and biases from N(0, std^2); HH19's ``netbp`` uses ``std = 0.5``.

    >>> W, b = normal(0.5)(np.random.default_rng(0), 3, 2)
    >>> W.shape, b.shape
    ((3, 2), (3,))
    """
    std = checks.real(std, "nn.init.normal", "std", low=0.0, low_open=True)

    def init(rng: np.random.Generator, n_out: int, n_in: int) -> tuple[np.ndarray, np.ndarray]:
        return std * rng.standard_normal((n_out, n_in)), std * rng.standard_normal(n_out)

    init.__name__ = f"normal({std})"
    return init


def uniform(a: float = 1.0) -> Initializer:
    """Weights from U(-a, a), biases 0: micrograd's ``Neuron`` with ``a = 1``.

    >>> W, b = uniform(1.0)(np.random.default_rng(0), 2, 4)
    >>> bool(abs(W).max() <= 1.0), b.tolist()
    (True, [0.0, 0.0])
    """
    a = checks.real(a, "nn.init.uniform", "a", low=0.0, low_open=True)

    def init(rng: np.random.Generator, n_out: int, n_in: int) -> tuple[np.ndarray, np.ndarray]:
        # a U(-1, 1), not rng.uniform(-a, a): numpy computes high - low = 2a, which overflows for a > 9e307
        # (a bare OverflowError); for a = 1 the two draw the same bits
        return a * rng.uniform(-1.0, 1.0, (n_out, n_in)), np.zeros(n_out)

    init.__name__ = f"uniform({a})"
    return init


def xavier(rng: np.random.Generator, n_out: int, n_in: int) -> tuple[np.ndarray, np.ndarray]:
    """Glorot's uniform rule: W from U(-r, r) with r = sqrt(6 / (n_in + n_out)) keeps the variance of
    activations and gradients about constant through sigmoid and tanh layers; biases 0.

    >>> W, b = xavier(np.random.default_rng(0), 10, 10)
    >>> bool(abs(W).max() <= np.sqrt(6 / 20))
    True
    """
    n_out, n_in = dims(n_out, n_in, "nn.init.xavier")
    r = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-r, r, (n_out, n_in)), np.zeros(n_out)


def he(rng: np.random.Generator, n_out: int, n_in: int) -> tuple[np.ndarray, np.ndarray]:
    """He's rule for ReLU layers: W from N(0, 2 / n_in), so that half the units being off does not shrink
    the signal from layer to layer; biases 0.

    >>> W, b = he(np.random.default_rng(0), 1000, 50)
    >>> round(float(W.std() ** 2 * 50), 1)
    2.0
    """
    n_out, n_in = dims(n_out, n_in, "nn.init.he")
    return rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in), np.zeros(n_out)


standard_normal = normal(1.0)
standard_normal.__name__ = "standard_normal"

_NAMED: dict[str, Initializer] = {"normal": normal(0.5), "standard_normal": standard_normal, "uniform": uniform(1.0),
                                  "xavier": xavier, "he": he}


def get(init: str | Initializer | None, activation: str = "sigmoid", who: str = "nn.init.get") -> Initializer:
    """The initialiser named ``init``; a callable passes through; None picks ``he`` for a ReLU-like
    ``activation`` (relu, softplus) and ``xavier`` otherwise.

    >>> get(None, "relu") is he, get("xavier") is xavier
    (True, True)
    """
    if init is None:                                    # an Activation object (nn.activations) by its name
        return he if getattr(activation, "name", activation) in ("relu", "softplus") else xavier
    if callable(init):
        return init
    try:
        return _NAMED[init]
    except (KeyError, TypeError):
        known = ", ".join(sorted(_NAMED))
        raise ValueError(
            f"{who}, argument init: unknown initialiser {init!r}; known: {known}, "
            "or a callable (rng, n_out, n_in) -> (W, b) "
            "such as nn.init.normal(0.5)"
        ) from None


def sample(init: Initializer, rng: np.random.Generator, n_out: int, n_in: int) -> tuple[np.ndarray, np.ndarray]:
    """Call ``init`` and check that it returned arrays of the HH19 shapes."""
    n_out, n_in = dims(n_out, n_in, "nn.init.sample")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"nn.init.sample: rng must be a numpy Generator (nn.init.rng_from(seed)), got {rng!r}")
    if not callable(init):
        raise TypeError(f"nn.init.sample: init must be a callable (rng, n_out, n_in) -> (W, b), got {init!r}")
    name = getattr(init, '__name__', init)
    try:
        W, b = init(rng, n_out, n_in)
        W, b = np.asarray(W), np.asarray(b)
    except (TypeError, ValueError) as e:
        raise TypeError(f"nn.init.sample: initialiser {name!r} must return a pair (W, b) of numeric arrays; "
                        f"it gave: {e}") from None
    if W.dtype.kind not in "iuf" or b.dtype.kind not in "iuf":
        raise TypeError(f"nn.init.sample: initialiser {name!r} returned W of dtype {W.dtype} and b of dtype "
                        f"{b.dtype}; give real numbers (float arrays)")
    W, b = W.astype(float), b.astype(float)
    if W.shape != (n_out, n_in) or b.shape != (n_out,):
        raise ValueError(
            f"nn.init.sample: initialiser {name!r} returned W of shape {W.shape} and b of shape "
            f"{b.shape}; a layer {n_in} -> {n_out} needs W of shape {(n_out, n_in)} and b of shape {(n_out,)}"
        )
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        raise ValueError(f"nn.init.sample: initialiser {name!r} returned NaN or inf among the weights or "
                         "biases")
    return W, b


def rng_from(seed: Seed, who: str = "nn.init.rng_from") -> np.random.Generator:
    """A Generator from a seed (an int >= 0), a Generator (used as is, so draws continue from it) or None (fresh).

    >>> rng_from(-1, "MLP")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: MLP: seed must be None, a whole number >= 0 or a numpy Generator (np.random.default_rng(0)), got ...
    """
    seed = checks.seed(seed, who)
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
