"""Linear and MLP made of Tensors: the fast engine. Rows are samples; W has shape (n_out, n_in).

A batch X of shape (N, n_in) goes through ``Z = X W^T + b`` (HH19's z = W a + b, one row per sample) and then
the activation. The weight layout is HH19's W^[l] and PyTorch's ``Linear.weight``.

One weight, four names. Layers count from 0, as ``model.layers`` does; HH19 counts the input as layer 1, so
layer l here is HH19's layer l + 2:

| where                                          | weight of layer l        | bias of layer l        |
|------------------------------------------------|--------------------------|------------------------|
| ``named_parameters()``, ``state_dict()``, files | ``layers.l.weight``      | ``layers.l.bias``      |
| its node in a drawing (``Tensor.name``)        | ``Wl``                   | ``bl``                 |
| ``get_weights()[l]``                           | ``W`` (n_out, n_in)      | ``b`` (n_out,)         |
| HH19, ``nn.backprop``                          | W^[l+2]                  | b^[l+2]                |

The scalar MLP names entry (j, k) ``layers.l.neurons.j.w.k`` and labels its Value ``Wl[j,k]``.

>>> import numpy as np
>>> from nn import MLP
>>> model = MLP([2, 2, 3, 2], activation="sigmoid", init="normal", seed=0)   # HH19's network
>>> model(np.array([[0.1, 0.1], [0.7, 0.6]])).shape
(2, 2)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, linear, rules
from autograd.graph import tag_as

from . import activations, checks
from . import init as initializers
from .module import Module, check_weight_pairs, fitted, replaced

_FUSED = rules.FUNCTIONS  # the activations linear() applies inside its node


def _activation_method(name: str, where: str, argument: str = "activation") -> str | None:
    """The Tensor method name for activation ``name`` (None for identity)."""
    act = activations.get(name, where, argument)
    if act.df is None:
        raise ValueError(
            f"{where}: activation {act.name!r} has no gradient, so a network of Tensors cannot learn with it; "
            "train a step neuron with the perceptron rule, or use 'sigmoid' here"
        )
    return act.method


def float_dtype(dtype: Any, where: str) -> np.dtype:
    """``dtype`` as numpy's float64 or float32 (the two the engine computes in); anything else refused by name."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise TypeError(f"{where}: dtype must be np.float64 (the default) or np.float32, got {dtype!r}")
    return dt


def as_tensor(x: Any, n_in: int, where: str, dtype: Any = None) -> Tensor:
    """``x`` as a Tensor whose last axis has ``n_in`` entries (a numpy array or nested list is wrapped, in
    ``dtype``: the layer's, float64 unless the model was built with ``dtype=np.float32``)."""
    if not isinstance(x, Tensor):
        checks.unmasked(x, where, "the input")  # np.asarray would keep the numbers under the mask
        arr = np.asarray(x) if not isinstance(x, str) else np.asarray([x])
        if arr.dtype.kind not in "iuf":
            if arr.dtype.kind == "b":
                arr = arr.astype(float)                  # True / False inputs are the Boolean tables' 1 / 0
            else:
                raise TypeError(f"{where}: the input must be real numbers, got {type(x).__name__} of dtype "
                                f"{arr.dtype}; give a float array of shape (N, {n_in})")
        x = Tensor(arr.astype(float if dtype is None else dtype))
    elif x.data.dtype.kind not in "iuf":
        raise TypeError(f"{where}: the input Tensor has dtype {x.data.dtype}; give real numbers (float)")
    if x.data.ndim == 0 or x.data.shape[-1] != n_in:
        # deeplearning.ai's courses put samples in columns, X of shape (n_x, m): the first axis then fits
        turned = (f"; samples as columns, shape ({n_in}, N)? pass X.T"
                  if x.data.ndim == 2 and x.data.shape[0] == n_in else "")
        raise ValueError(
            f"{where}: input of shape {x.data.shape} does not fit {n_in} inputs; give one sample per row, "
            f"shape (N, {n_in}) (or ({n_in},) for a single sample){turned}"
        )
    return x


class Linear(Module):
    """``x -> x W^T + b`` for a batch of rows x: ``weight`` of shape (n_out, n_in), ``bias`` of shape (n_out,).

    >>> layer = Linear(3, 2, seed=0)
    >>> layer.weight.shape, layer.bias.shape
    ((2, 3), (2,))
    >>> layer(np.ones((5, 3))).shape
    (5, 2)
    """

    def __init__(self, n_in: int, n_out: int, *, init: Any = "xavier", seed: initializers.Seed = None,
                 dtype: Any = np.float64, _index: int = 0) -> None:
        n_out, n_in = initializers.dims(n_out, n_in, "Linear")          # whole numbers, a layer that fits in memory
        W, b = initializers.sample(initializers.get(init, who="Linear"), initializers.rng_from(seed, "Linear"),
                                   n_out, n_in)
        dtype = float_dtype(dtype, "Linear")
        if dtype != np.float64:                                         # sample() checked W, b finite in float64
            with np.errstate(over="ignore"):                            # refused below, by name
                Wd, bd = W.astype(dtype), b.astype(dtype)
            if not (np.isfinite(Wd).all() and np.isfinite(bd).all()):
                raise ValueError(f"Linear: the initial weights reach {max(np.abs(W).max(), np.abs(b).max()):g} in "
                                 f"float64, beyond {dtype}'s largest number ({np.finfo(dtype).max:g}): they would be "
                                 f"inf. Use a smaller scale for the initialiser, or dtype=np.float64")
            W, b = Wd, bd
        self.weight = Tensor(W, requires_grad=True, name=f"W{_index}")
        self.bias = Tensor(b, requires_grad=True, name=f"b{_index}")
        self.n_in, self.n_out = n_in, n_out
        self._scope = (f"layers.{_index}",)    # read by the drawing to group this layer's nodes

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.n_in, f"Linear {self.n_in} -> {self.n_out}", self.weight.data.dtype)
        out = linear(x, self.weight, self.bias)          # Z = X W^T + b: row i is z = W x_i + b, one node
        return tag_as(out, self._scope)

    def extra_repr(self) -> str:
        return f"{self.n_in} -> {self.n_out}"

    def to_torch(self) -> Any:
        """A ``torch.nn.Linear`` with this layer's weight and bias, copied (torch imported now; see ``nn.pytorch``)."""
        from .pytorch import linear_to_torch
        return linear_to_torch(self)

    @classmethod
    def from_torch(cls, module: Any) -> Linear:
        """A Linear with the weight and bias of a ``torch.nn.Linear`` (copied, in its dtype)."""
        from .pytorch import linear_from_torch
        return linear_from_torch(cls, module)


class MLP(Module):
    """A multilayer perceptron of Tensors: ``sizes = [n_in, n_1, ..., n_L]``, one ``Linear`` per pair.

    ``activation`` (default sigmoid, the lectures' choice) follows every hidden layer; ``output_activation``
    follows the last and defaults to ``activation``, so ``MLP([2, 2, 3, 2], activation="sigmoid")`` is HH19's
    network with a sigmoid in every layer. For logits (``losses.cross_entropy``) or regression pass
    ``output_activation="identity"``; ``output_activation="softmax"`` gives probabilities over the K outputs (the
    MIPT lecture's classifier); ``losses.cross_entropy`` on that output works from its logits, as
    ``binary_cross_entropy`` does on a sigmoid output (see ``nn.losses``), so the saturated-output gradient is a - y.
    (The scalar MLP keeps micrograd's defaults instead: ReLU hidden, linear out.)

    ``dtype=np.float32`` keeps the weights, the activations, the gradients and ``fit``'s inputs in float32
    (half the memory, as PyTorch's default); float64, the default, lets hand-coded and automatic gradients agree to
    about 1e-12. ``predict(X)`` gives classes and ``predict_proba(X)`` probabilities (scikit-learn's names).

    ``sizes`` may make at most 10,000 layers and 2**28 weights in all (2 GiB in float64), as one layer may hold;
    more is refused before any layer is drawn.

    ``init`` picks the initialiser (see ``nn.init``; the default is ``he`` for ReLU, ``xavier`` otherwise);
    ``seed`` (an int or a numpy Generator) makes it reproducible, and ``nn.scalar.MLP`` with the same sizes,
    init and seed starts from the same weights.

    >>> model = MLP([64, 32, 10], activation="relu", output_activation="identity", seed=0)
    >>> model(np.zeros((4, 64))).shape
    (4, 10)
    """

    def __init__(self, sizes: Sequence[int], activation: str = "sigmoid", output_activation: str | None = None,
                 *, init: Any = None, seed: initializers.Seed = None, dtype: Any = np.float64) -> None:
        if isinstance(sizes, str | bytes):
            raise TypeError(f"MLP: sizes must be a list of whole numbers such as [2, 16, 1], got the string {sizes!r}")
        if not isinstance(sizes, Sequence | np.ndarray):
            example = [sizes, *activation] if isinstance(activation, Sequence) and not isinstance(activation, str) \
                else [sizes, 16, 1]
            raise TypeError(
                f"MLP takes one list [n_in, n_1, ..., n_L] of sizes, e.g. MLP({example}); got {sizes!r} "
                "(nn.scalar.MLP takes micrograd's MLP(n_in, [n_1, ..., n_L]))"
            )
        self.sizes = sizes = checks.sizes(sizes, "MLP", minimum_length=2, maximum_length=checks.MAX_LAYERS + 1)
        initializers.model_weights(sizes, "MLP")                        # all layers together, before the first
        n_layers = len(sizes) - 1
        self._acts = [None] * n_layers          # the Tensor method after each layer: set by the two properties below
        self.activation = activation
        self._set_output(activation if output_activation is None else output_activation,
                         "activation" if output_activation is None else "output_activation")
        self.dtype = float_dtype(dtype, "MLP")
        rng = initializers.rng_from(seed, "MLP")
        chosen = initializers.get(init, self.activation, "MLP")
        self.layers = [Linear(sizes[i], sizes[i + 1], init=chosen, seed=rng, dtype=self.dtype, _index=i)
                       for i in range(n_layers)]

    # The activations are properties so that setting one later (model.activation = "tanh") changes what forward
    # computes, as describe(), save and to_torch read it; a plain attribute changed only what they said.
    @property
    def activation(self) -> str:
        """The activation after every hidden layer (a name of ``nn.activations``); may be set."""
        return self._activation

    @activation.setter
    def activation(self, name: str) -> None:
        self._activation = activations.get(name, "MLP").name
        self._acts[:-1] = [_activation_method(self._activation, "MLP")] * (len(self._acts) - 1)

    @property
    def output_activation(self) -> str:
        """The activation after the last layer (a name of ``nn.activations``, or "softmax"); may be set."""
        return self._output_activation

    @output_activation.setter
    def output_activation(self, name: str) -> None:
        self._set_output(name, "output_activation")

    def _set_output(self, name: Any, argument: str) -> None:
        softmax = isinstance(name, str) and name.lower() == "softmax"
        if softmax and self.sizes[-1] == 1:   # e^z / e^z: the output is 1 whatever the weights, and no gradient moves
            raise ValueError("MLP: a softmax over one output is 1 whatever the weights (e^z / e^z), so it cannot "
                             "learn; for two classes give one output with output_activation='sigmoid' (or "
                             "'identity' and binary_cross_entropy(..., logits=True)), or two softmax outputs")
        self._output_activation = "softmax" if softmax else activations.get(name, "MLP", argument).name
        self._acts[-1] = "softmax" if softmax else _activation_method(self._output_activation, "MLP")

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.sizes[0], "MLP", self.dtype)
        hidden = len(self.layers) - 1
        if hidden != len(self._acts) - 1:                 # zip below would drop the layers beyond the activations
            raise ValueError(f"MLP: {len(self.layers)} layers for the {len(self._acts)} of sizes {self.sizes}: "
                             "model.layers was changed after the MLP was built; build MLP(sizes) for other sizes")
        for l, (layer, act) in enumerate(zip(self.layers, self._acts)):
            if type(layer) is Linear:
                if l < hidden and act in _FUSED:
                    # a hidden layer: a^[l] = sigma(W^[l] a^[l-1] + b^[l]) as one node (linear+sigma), the numbers
                    # of the two nodes below and one array fewer; the output layer keeps its activation as its own
                    # node, which the losses read (a sigmoid's or softmax's logits)
                    x = tag_as(linear(x, layer.weight, layer.bias, activation=act), layer._scope)
                    continue
                # z^[l] = W^[l] a^[l-1] + b^[l], one row per sample: Linear.forward, x checked above
                x = tag_as(linear(x, layer.weight, layer.bias), layer._scope)
            else:
                x = layer(x)
            if act is not None:
                x = getattr(x, act)()                     # a^[l] = sigma(z^[l]) (softmax: along each row)
                tag_as(x, layer._scope)
        return x

    def predict(self, X: Any, threshold: float | None = None) -> np.ndarray:
        """The class of each row of X (``nn.predict``): argmax over K >= 2 outputs, 0/1 for one output (read at
        the threshold fit's accuracy used, or at ``threshold``)."""
        from .train import predict
        return predict(self, X, threshold)

    def predict_proba(self, X: Any) -> np.ndarray:
        """The class probabilities of each row of X, shape (N, K) (``nn.predict_proba``)."""
        from .train import predict_proba
        return predict_proba(self, X)

    def get_weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The weights as ``[(W, b), ...]`` numpy pairs in HH19 layout (W: (n_out, n_in), b: (n_out,)), copied."""
        return [(layer.weight.data.copy(), layer.bias.data.copy()) for layer in self.layers]

    def set_weights(self, pairs: Sequence[tuple[Any, Any]]) -> MLP:
        """Load ``[(W, b), ...]`` pairs (as ``get_weights`` returns them, from either engine). Returns the model."""
        pairs = [(fitted(W, self.dtype, "MLP.set_weights", f"W of layer {l}"),
                  fitted(b, self.dtype, "MLP.set_weights", f"b of layer {l}"))      # all checked before any is set
                 for l, (W, b) in enumerate(check_weight_pairs(pairs, self.sizes, "MLP"))]
        for layer, (W, b) in zip(self.layers, pairs):
            layer.weight.data, layer.bias.data = W, b
        # frozen ones too: a graph of the old weights now refuses backward(), as after load_state_dict
        replaced([t for layer in self.layers for t in (layer.weight, layer.bias)])
        return self

    def to_torch(self) -> Any:
        """The same network as a ``torch.nn.Sequential`` (Linear, activation, ...), with these weights copied.

        >>> model = MLP([2, 3, 1], activation="tanh", seed=0)
        >>> net = model.to_torch()                              # doctest: +SKIP
        >>> MLP.from_torch(net).get_weights()[0][0].shape       # doctest: +SKIP
        (3, 2)

        torch is imported when called (``pip install torch==2.13.0``); see ``nn.pytorch`` for the activations.
        """
        from .pytorch import mlp_to_torch
        return mlp_to_torch(self)

    @classmethod
    def from_torch(cls, module: Any) -> MLP:
        """An MLP with the sizes, activations and weights of a ``torch.nn.Sequential`` of Linear layers and
        activation modules (one activation for all hidden layers), as ``to_torch()`` makes them."""
        from .pytorch import mlp_from_torch
        return mlp_from_torch(cls, module)

    def load_state_dict(self, state: Any, **kwargs: Any) -> MLP:
        """``Module.load_state_dict``, which also takes a PyTorch Sequential's ``state_dict()`` (keys
        ``0.weight``, ``0.bias``, ``2.weight``, ...: the l-th Linear's go to ``layers.l``; torch tensors or arrays).

        A state dict holds weights only, not activations (in PyTorch as here): the weights of a LeakyReLU network
        load into a tanh MLP of the same sizes and compute another function. ``MLP.from_torch(module)`` reads the
        activations too, and refuses the ones it cannot compute.
        """
        from .pytorch import from_torch_state, is_torch_state
        if isinstance(state, Mapping) and is_torch_state(state):     # anything else is refused by Module's
            state = from_torch_state(state, len(self.layers))
            kwargs.setdefault("source", "the PyTorch state dict")
        return super().load_state_dict(state, **kwargs)

    def extra_repr(self) -> str:
        return (" -> ".join(map(str, self.sizes))
                + f", activation={self.activation!r}, output_activation={self.output_activation!r}"
                + (", dtype=float32" if self.dtype == np.float32 else ""))
