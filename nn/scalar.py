"""Neuron, Layer and MLP made of Values, as in micrograd: every weight is a node of the graph you can draw.

A neuron computes a = sigma(z) with z = b + sum_k w_k x_k: one ``weighted_sum`` node (whose parents are the
weights, the bias and the inputs that are Values), then the activation node.
The layout matches HH19 and the tensor engine: neuron j of layer l holds row j of W^[l] (shape (n_out, n_in))
and entry j of b^[l], so ``get_weights()`` / ``set_weights()`` move a network between engines.

>>> from nn import scalar
>>> model = scalar.MLP(2, [16, 16, 1], seed=0)         # micrograd's moons net: relu hidden, linear output
>>> y = model([0.5, -1.0])                             # one output: a single Value
>>> y.backward()
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value, weighted_sum
from autograd.graph import tag

from . import activations, checks
from . import init as initializers
from .module import Module, check_weight_pairs


def _activation_method(name: str, where: str) -> Any:
    """The unbound Value method for activation ``name`` (None for identity)."""
    act = activations.get(name, where)
    if act.df is None:
        raise ValueError(
            f"{where}: activation {act.name!r} has no gradient, so a network of Values cannot learn with it; "
            "train a step neuron with the perceptron rule, or use 'sigmoid' here"
        )
    return None if act.method is None else getattr(Value, act.method)


class Neuron(Module):
    """One unit: ``sigma(b + w . x)`` on a list of Values or numbers.

    >>> n = Neuron(2, "sigmoid", w=[0.0, 0.0], b=0.0)    # the AND neuron of the worked example
    >>> n([0.0, 1.0]).data
    0.5
    """

    def __init__(self, n_in: int, activation: str = "relu", *, w: Sequence[float] | None = None,
                 b: float | None = None, init: Any = None, seed: initializers.Seed = None,
                 _where: tuple[int, int] = (0, 0)) -> None:
        n_in = checks.whole(n_in, "Neuron", "n_in")
        self.activation = activations.get(activation, "Neuron").name
        if w is None or b is None:
            W0, b0 = initializers.sample(initializers.get(init, activation, "Neuron"),
                                         initializers.rng_from(seed, "Neuron"), 1, n_in)
            w = W0[0] if w is None else w
            b = b0[0] if b is None else b
        w = np.asarray(w) if not isinstance(w, str) else np.asarray([w])
        if w.dtype.kind not in "iuf" or w.ndim != 1 or len(w) != n_in:
            raise ValueError(f"Neuron: w must be {n_in} real numbers, one per input; got {w.tolist()!r}")
        b = checks.real(b, "Neuron", "b")
        if not np.isfinite(w).all():
            raise ValueError(f"Neuron: w contains NaN or inf: {w.tolist()!r}")
        l, j = _where
        self.w = [Value(wk, label=f"W{l}[{j},{k}]") for k, wk in enumerate(w.astype(float).tolist())]
        self.b = Value(b, label=f"b{l}[{j}]")
        self._act = _activation_method(activation, "Neuron")
        self._n = n_in
        self._scope = (f"layers.{l}", f"neurons.{j}")   # read by the drawing to group this neuron's nodes

    def _fire(self, x: Sequence[Any]) -> Value:
        out = weighted_sum(self.w, x, self.b)            # z = b + sum_k w_k x_k, one node
        if self._act is not None:
            out = self._act(out)                          # a = sigma(z)
        return tag(out, *self._scope)

    def forward(self, x: Sequence[Any]) -> Value:
        if len(x) != self._n:
            raise ValueError(f"Neuron: expected {self._n} inputs, got {len(x)}")
        return self._fire(x)

    __call__ = forward

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def extra_repr(self) -> str:
        return f"{self._n} -> 1, {self.activation}"


class Layer(Module):
    """``n_out`` neurons reading the same inputs; called on a list of ``n_in`` inputs it returns a list of
    ``n_out`` Values (always a list, even of one).

    >>> layer = Layer(3, 2, "tanh", seed=0)
    >>> len(layer([1.0, 2.0, 3.0]))
    2
    """

    def __init__(self, n_in: int, n_out: int, activation: str = "relu", *, init: Any = None,
                 seed: initializers.Seed = None, _index: int = 0) -> None:
        n_in, n_out = checks.whole(n_in, "Layer", "n_in"), checks.whole(n_out, "Layer", "n_out")
        activations.get(activation, "Layer")
        W, b = initializers.sample(initializers.get(init, activation, "Layer"), initializers.rng_from(seed, "Layer"),
                                   n_out, n_in)
        self.neurons = [Neuron(n_in, activation, w=W[j], b=b[j], _where=(_index, j)) for j in range(n_out)]
        self.n_in, self.n_out = n_in, n_out
        self.activation = activations.get(activation).name

    def forward(self, x: Sequence[Any]) -> list[Value]:
        if len(x) != self.n_in:
            raise ValueError(
                f"Layer {self.n_in} -> {self.n_out}: expected a list of {self.n_in} inputs, got {len(x)}"
            )
        return [n._fire(x) for n in self.neurons]

    __call__ = forward

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in (*n.w, n.b)]

    def extra_repr(self) -> str:
        return f"{self.n_in} -> {self.n_out}, {self.activation}"

    def __repr__(self) -> str:  # the neurons are all alike: do not list them
        return f"Layer({self.extra_repr()})"


class MLP(Module):
    """A multilayer perceptron of Values, with micrograd's signature and defaults: ``activation`` (ReLU) on the
    hidden layers and ``output_activation`` (identity, i.e. linear scores) on the last.

    Called on one sample (a list of ``n_in`` numbers or Values, or a 1-D numpy array) it returns the list of
    output Values, or a single Value when there is one output. For a batch, call it once per row.

    ``init`` picks the initialiser (see ``nn.init``; the default is ``he`` for ReLU, ``xavier`` otherwise);
    ``seed`` (an int or a numpy Generator) makes it reproducible. The tensor ``nn.MLP`` with the same sizes,
    activations, ``init`` and ``seed`` starts from the same weights.

    >>> model = MLP(2, [2, 3, 2], activation="sigmoid", output_activation="sigmoid", seed=0)   # HH19's net
    >>> len(model([0.1, 0.1]))
    2
    >>> [W.shape for W, b in model.get_weights()]
    [(2, 2), (3, 2), (2, 3)]
    """

    def __init__(self, n_in: int, sizes: Sequence[int] | None = None, activation: str = "relu",
                 output_activation: str = "identity", *, init: Any = None, seed: initializers.Seed = None) -> None:
        if not isinstance(n_in, int | np.integer) or not isinstance(sizes, Sequence | np.ndarray) \
                or isinstance(sizes, str | bytes):
            listed = isinstance(n_in, list | tuple) or (isinstance(n_in, np.ndarray) and n_in.ndim == 1)
            example = list(n_in) if listed else [n_in, 16, 1]
            if len(example) < 2 or not isinstance(example[0], int | np.integer):
                example = [2, 16, 1]
            raise TypeError(
                f"scalar MLP takes micrograd's MLP(n_in, [n_1, ..., n_L]), e.g. scalar.MLP({example[0]}, "
                f"{example[1:]}); "
                + ("" if sizes is None or listed
                   else f"sizes must be a list of layer sizes, got {sizes!r}; ")
                + f"the tensor nn.MLP takes the one list {example}"
            )
        n_in = checks.whole(n_in, "scalar MLP", "n_in")
        sizes = checks.sizes(sizes, "scalar MLP")
        self.sizes = [n_in, *sizes]
        self.activation = activations.get(activation, "scalar MLP").name
        self.output_activation = activations.get(output_activation, "scalar MLP", "output_activation").name
        rng = initializers.rng_from(seed, "scalar MLP")
        chosen = initializers.get(init, self.activation, "scalar MLP")
        last = len(sizes) - 1
        self.layers = [
            Layer(self.sizes[i], self.sizes[i + 1], self.output_activation if i == last else self.activation,
                  init=chosen, seed=rng, _index=i)
            for i in range(len(sizes))
        ]

    def forward(self, x: Sequence[Any]) -> Value | list[Value]:
        if isinstance(x, np.ndarray):
            if x.ndim != 1:
                raise ValueError(
                    f"scalar MLP: expected one sample (shape ({self.sizes[0]},)), got an array of shape {x.shape}; "
                    "for a batch call the model once per row: [model(x) for x in X]"
                )
            x = x.tolist()                                 # Python floats are quicker operands than numpy scalars
        if len(x) != self.sizes[0]:
            raise ValueError(f"scalar MLP: expected {self.sizes[0]} inputs, got {len(x)}")
        for layer in self.layers:
            x = [n._fire(x) for n in layer.neurons]
        return x[0] if len(x) == 1 else x

    __call__ = forward

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for n in layer.neurons for p in (*n.w, n.b)]

    def predict(self, X: Any) -> np.ndarray:
        """The class of each row of X (``nn.predict``): argmax over K >= 2 outputs, 0/1 for one output."""
        from .train import predict
        return predict(self, X)

    def predict_proba(self, X: Any) -> np.ndarray:
        """The class probabilities of each row of X, shape (N, K) (``nn.predict_proba``)."""
        from .train import predict_proba
        return predict_proba(self, X)

    def get_weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The weights as ``[(W, b), ...]`` numpy pairs in HH19 layout (W: (n_out, n_in), b: (n_out,)), copied."""
        return [(np.array([[w.data for w in n.w] for n in layer.neurons]), np.array([n.b.data for n in layer.neurons]))
                for layer in self.layers]

    def set_weights(self, pairs: Sequence[tuple[Any, Any]]) -> MLP:
        """Load ``[(W, b), ...]`` pairs (as ``get_weights`` returns them, from either engine). Returns the model."""
        for layer, (W, b) in zip(self.layers, check_weight_pairs(pairs, self.sizes, "scalar MLP")):
            for j, n in enumerate(layer.neurons):
                for k, w in enumerate(n.w):
                    w.data = float(W[j, k])
                n.b.data = float(b[j])
        return self

    def extra_repr(self) -> str:
        return (" -> ".join(map(str, self.sizes))
                + f", activation={self.activation!r}, output_activation={self.output_activation!r}")
