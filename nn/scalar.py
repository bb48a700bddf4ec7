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

from collections.abc import Callable, Mapping, Sequence, Set
from typing import Any

import numpy as np

from autograd import GraphTooLarge, Value, compile, weighted_sum
from autograd.checks import flag, real, reals
from autograd.graph import tag_as, topological_order

from . import activations, checks
from . import init as initializers
from .module import Module, check_weight_pairs

# A scalar model's weight is a Value, about 1 kB with its numbers (nn.init.dims' 2**28 floats would be hundreds of
# GB), and its step builds several nodes per weight and sample: past a million weights the Tensor engine is the tool.
MAX_WEIGHTS = 2**20


def _refuse_too_many(sizes: Sequence[int], who: str) -> None:
    """Refuse layer sizes whose weights and biases, as Values, would take more than ``MAX_WEIGHTS``."""
    n = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
    if n > MAX_WEIGHTS:
        listed = checks.listed(sizes)                                        # sizes past 4,300 digits too
        count = f"{n:,}" if n < 10**100 else checks.shown(n)
        raise ValueError(f"{who}: sizes {listed} make {count} weights and biases, each a Value of about 1 kB; a "
                         f"scalar model holds at most {MAX_WEIGHTS:,}. Use the Tensor engine's "
                         f"nn.MLP({listed}) for a network this size")


def _sample(x: Any, n: int, who: str) -> Any:
    """One sample as a list or tuple of inputs (a 1-D array as its list of Python floats, as Values hold them).
    A dict or a set is refused: ``weighted_sum`` would read a dict's keys, and a set in its own order."""
    if isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise ValueError(f"{who}: expected one sample (shape ({n},)), got an array of shape {x.shape}; "
                             "for a batch call the model once per row: [model(x) for x in X]")
        return x.tolist()                                 # Python floats are quicker operands than numpy scalars
    if isinstance(x, str | bytes | Mapping | Set) or not hasattr(x, "__len__"):
        raise TypeError(f"{who}: a sample must be a list (or a tuple, a 1-D array) of {n} inputs, numbers or Values; "
                        f"got {type(x).__name__} {x!r:.60}")
    return x


def own_weights_read(root: Any, params: Sequence[Value]) -> list[str]:
    """The labels of the ``params`` (a model's own weights) that the graph of ``root`` reaches.

    A loss traced for a compiled step gets the weights as the trace's inputs; one that reads the model's own Values
    instead (``sum(p * p for p in model.parameters())``) would be traced with them as constants: their part of the
    loss frozen at its first value, and no gradient towards them. ``compiled_step`` and ``fit(compile=True)``
    refuse such a loss by this test."""
    if not isinstance(root, Value):
        return []
    own = {id(p) for p in params}
    return [node.label or "?" for node in topological_order(root) if id(node) in own]


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
        self.activation = activation
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
        self._n = n_in
        self._scope = (f"layers.{l}", f"neurons.{j}")   # read by the drawing to group this neuron's nodes

    # A property, so that setting it later (neuron.activation = "tanh") changes what the neuron computes, as its
    # repr, describe() and save read it (a plain attribute changed only what they said).
    @property
    def activation(self) -> str:
        """The activation after the weighted sum (a name of ``nn.activations``); may be set."""
        return self._activation

    @activation.setter
    def activation(self, name: str) -> None:
        self._act = _activation_method(name, "Neuron")
        self._activation = activations.get(name, "Neuron").name

    def _fire(self, x: Sequence[Any]) -> Value:
        out = weighted_sum(self.w, x, self.b)            # z = b + sum_k w_k x_k, one node
        if self._act is not None:
            out = self._act(out)                          # a = sigma(z)
        return tag_as(out, self._scope)

    def forward(self, x: Sequence[Any]) -> Value:
        if type(x) is not list:
            x = _sample(x, self._n, "Neuron")
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
        _refuse_too_many([n_in, n_out], "Layer")
        activations.get(activation, "Layer")
        W, b = initializers.sample(initializers.get(init, activation, "Layer"), initializers.rng_from(seed, "Layer"),
                                   n_out, n_in)
        self.neurons = [Neuron(n_in, activation, w=W[j], b=b[j], _where=(_index, j)) for j in range(n_out)]
        self.n_in, self.n_out = n_in, n_out

    @property
    def activation(self) -> str:
        """The activation of every neuron of the layer; setting it sets theirs."""
        return self.neurons[0].activation

    @activation.setter
    def activation(self, name: str) -> None:
        for n in self.neurons:
            n.activation = name

    def forward(self, x: Sequence[Any]) -> list[Value]:
        if type(x) is not list:
            x = _sample(x, self.n_in, f"Layer {self.n_in} -> {self.n_out}")
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
    output Values, or a single Value when there is one output. For a batch, call it once per row. At most 10,000
    layers and ``MAX_WEIGHTS`` = 2**20 weights and biases; more is refused before any Value is made.

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
        listed = isinstance(n_in, list | tuple) or (isinstance(n_in, np.ndarray) and n_in.ndim == 1)
        if listed or not isinstance(sizes, Sequence | np.ndarray) or isinstance(sizes, str | bytes):
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
        sizes = checks.sizes(sizes, "scalar MLP", maximum_length=checks.MAX_LAYERS)
        _refuse_too_many([n_in, *sizes], "scalar MLP")
        self.sizes = [n_in, *sizes]
        activation = activations.get(activation, "scalar MLP").name
        output_activation = activations.get(output_activation, "scalar MLP", "output_activation").name
        rng = initializers.rng_from(seed, "scalar MLP")
        chosen = initializers.get(init, activation, "scalar MLP")
        last = len(sizes) - 1
        self.layers = [
            Layer(self.sizes[i], self.sizes[i + 1], output_activation if i == last else activation,
                  init=chosen, seed=rng, _index=i)
            for i in range(len(sizes))
        ]
        self._activation = activation          # what the hidden layers were built with, also when there are none

    # Properties, so that setting one later changes what the layers compute, as describe() and save read it.
    @property
    def activation(self) -> str:
        """The activation of every hidden layer; setting it sets theirs."""
        return self._activation

    @activation.setter
    def activation(self, name: str) -> None:
        name = activations.get(name, "scalar MLP").name
        for layer in self.layers[:-1]:
            layer.activation = name
        self._activation = name

    @property
    def output_activation(self) -> str:
        """The activation of the last layer; setting it sets its neurons'."""
        return self.layers[-1].activation

    @output_activation.setter
    def output_activation(self, name: str) -> None:
        self.layers[-1].activation = name

    def forward(self, x: Sequence[Any]) -> Value | list[Value]:
        if type(x) is not list:
            x = _sample(x, self.sizes[0], "scalar MLP")
        if len(x) != self.sizes[0]:
            raise ValueError(f"scalar MLP: expected {self.sizes[0]} inputs, got {len(x)}")
        for layer in self.layers:
            x = [n._fire(x) for n in layer.neurons]
        return x[0] if len(x) == 1 else x

    __call__ = forward

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for n in layer.neurons for p in (*n.w, n.b)]

    def zero_grad(self) -> None:
        """Every weight's gradient back to 0.0, from the flat list: a Value cannot be frozen, so Module's walk for
        frozen Tensors would find these same weights, at 20x the cost of a step's loop (micrograd's loop calls it)."""
        for p in self.parameters():
            p.zero_grad()

    def predict(self, X: Any, threshold: float | None = None) -> np.ndarray:
        """The class of each row of X (``nn.predict``): argmax over K >= 2 outputs, 0/1 for one output (read at
        the threshold fit's accuracy used, or at ``threshold``)."""
        from .train import predict
        return predict(self, X, threshold)

    def predict_proba(self, X: Any) -> np.ndarray:
        """The class probabilities of each row of X, shape (N, K) (``nn.predict_proba``)."""
        from .train import predict_proba
        return predict_proba(self, X)

    def compiled_step(self, loss: Callable[[Any, Any], Value],
                      penalty: Callable[[list[Value]], Value] | None = None, *, check: bool = False) -> CompiledStep:
        """One SGD step on a batch, with the per-sample gradient compiled to plain-float code (``autograd.compile``).

        ``loss(output, target)`` is the loss of one sample, written with Value ops as for the eager engine (output
        as ``model(x)`` returns it; target a Value, or a list of Values for a list of targets); ``penalty(params)``
        an optional term of the parameters (L2), written on the ``params`` it is given: a loss or penalty that reads
        the model's own Values (``model.parameters()``) is refused, as a trace would freeze them as numbers.
        ``step(X, Y, lr)`` then does what the eager code

            total = sum(loss(model(x), y) for x, y in zip(X, Y)) * (1.0 / len(X)) + penalty(model.parameters())
            model.zero_grad(); total.backward()
            for p in model.parameters(): p.data -= lr * p.grad

        does, with the same floats (bitwise: the weights, and each ``p.grad`` that backward leaves), and returns
        ``total.data``. The sample loss is traced once, on the first sample of the first call: branches of ``loss``
        on the data are frozen there, and those of ``penalty`` on the weights at the first call (``check=True``
        re-traces every sample and the penalty at every call, and raises ``autograd.GraphChanged`` if a graph
        changes). So are a loss's checks of its target: ``losses.hinge([s], [y])`` refuses a label 0 eagerly, but code
        traced at a label 1 computes max(0, 1 - 0 s) = 1, with no gradient; give the labels the loss takes (hinge:
        -1 or +1, ``2 * y - 1``), or step with ``check=True``. ``step.source`` shows the code.

        >>> model = MLP(2, [4, 1], seed=0)
        >>> step = model.compiled_step(lambda s, y: (1 + -y * s).relu())          # hinge loss
        >>> loss = step([[0.5, 1.0], [-1.0, 0.2]], [1.0, -1.0], lr=0.1)
        """
        return CompiledStep(self, loss, penalty, check)

    def _forward_with(self, params: Sequence[Value], x: Sequence[Any]) -> Value | list[Value]:
        """The forward pass with ``params`` (in the order of ``parameters()``) in place of the model's own Values."""
        k = 0
        for layer in self.layers:
            out = []
            for n in layer.neurons:
                z = weighted_sum(params[k:k + n._n], x, params[k + n._n])   # z = b + sum_k w_k x_k
                k += n._n + 1
                out.append(z if n._act is None else n._act(z))
            x = out
        return x[0] if len(x) == 1 else x

    def get_weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The weights as ``[(W, b), ...]`` numpy pairs in HH19 layout (W: (n_out, n_in), b: (n_out,)), copied."""
        return [(np.array([[w.data for w in n.w] for n in layer.neurons]), np.array([n.b.data for n in layer.neurons]))
                for layer in self.layers]

    def set_weights(self, pairs: Sequence[tuple[Any, Any]]) -> MLP:
        """Load ``[(W, b), ...]`` pairs (as ``get_weights`` returns them, from either engine). Returns the model."""
        # check_weight_pairs takes real numbers only, as Tensor() does (no complex W, no strings parsed)
        for layer, (W, b) in zip(self.layers, check_weight_pairs(pairs, self.sizes, "scalar MLP")):
            for j, n in enumerate(layer.neurons):
                for k, w in enumerate(n.w):
                    w.data = float(W[j, k])
                n.b.data = float(b[j])
        return self

    def extra_repr(self) -> str:
        return (" -> ".join(map(str, self.sizes))
                + f", activation={self.activation!r}, output_activation={self.output_activation!r}")


class CompiledStep:
    """``MLP.compiled_step``: an SGD step whose per-sample loss and gradient run as code generated by
    ``autograd.compile`` (see ``.source``); the weights stay the model's Values, updated in place.

    ``fit(model, ..., compile=True)`` now compiles the same kind of trace inside fit's loop, for this MLP and the
    Tensor ``nn.MLP`` alike, with any of ``nn.losses`` and plain ``SGD`` (see ``nn.compiled_fit``). This step
    stays for what fit does not do: a user's own loop (the micrograd demo's, made fast), a loss written by hand
    with Value ops on (output, target) instead of a batch loss, a ``penalty`` of the parameters compiled beside
    it, a learning rate per call, and the eager engine's floats bitwise (fit's are checked to ~1e-12).
    """

    def __init__(self, model: MLP, loss: Callable[[Any, Any], Value],
                 penalty: Callable[[list[Value]], Value] | None, check: bool) -> None:
        if not callable(loss):
            raise TypeError(f"compiled_step: loss must be a function (output, target) -> Value, got {loss!r}")
        if penalty is not None and not callable(penalty):
            raise TypeError(f"compiled_step: penalty must be a function (params) -> Value or None, got {penalty!r}; "
                            "for an L2 penalty lam: lambda ps: lam * sum(p * p for p in ps)")
        check = flag(check, "compiled_step", "check")
        self.model, self.loss, self.penalty, self.check = model, loss, penalty, check
        self.params = model.parameters()
        self.sample: Any = None          # the compiled per-sample loss, made on the first call
        self.regularizer: Any = None     # the compiled penalty
        self._scalar_target = True

    def _rows(self, X: Any) -> list:
        """X as a list of rows of Python floats, as a Value holds them (a row of np.float32 went to the generated
        code as it was, and numpy computed the step, then the weights, in float32), each as wide as the model."""
        n = self.model.sizes[0]
        if type(X) is np.ndarray and X.dtype.kind in "iuf":          # numbers already: one check of the shape
            if X.ndim != 2 or X.shape[1] != n:
                raise ValueError(f"compiled_step: X must have one row of {n} inputs per sample, got an array of "
                                 f"shape {X.shape}")
            return X.tolist()
        # anything else row by row: a complex, bool or masked array's entries refused by name as Value() refuses them
        rows = [reals(x, "compiled_step", f"row {k} of X, entry") for k, x in enumerate(X)]   # a dict: refused
        for k, x in enumerate(rows):
            if len(x) != n:
                raise ValueError(f"compiled_step: row {k} of X has {len(x)} entries; the model takes {n}")
        return rows

    @staticmethod
    def _targets(Y: Any) -> list:
        """Y as a list of targets, each a Python float or a list of them."""
        if type(Y) is np.ndarray and Y.dtype.kind in "iuf":
            return Y.tolist()
        out = []
        for k, y in enumerate(Y):
            if isinstance(y, Sequence | np.ndarray | Mapping | Set) and not isinstance(y, str | bytes):
                y = reals(y, "compiled_step", f"Y[{k}], entry")          # a dict or a set: refused by name
            else:
                y = real(y, "compiled_step", f"Y[{k}]")
            out.append(y)
        return out

    def _compile(self, x: list, y: Any) -> None:
        model, loss = self.model, self.loss
        self._scalar_target = not isinstance(y, Sequence | np.ndarray)
        scalar = self._scalar_target

        def sample_loss(w: list, x: list, y: list) -> Value:
            return self._own(loss(model._forward_with(w, x), y[0] if scalar else y), "loss")

        weights = [p.data for p in self.params]
        try:
            sample = compile(sample_loss, (weights, x, [y] if scalar else list(y)), wrt=0, check=self.check)
            if self.penalty is not None:
                penalty = self.penalty

                def regularizer(w: list) -> Value:
                    return self._own(penalty(w), "penalty")

                self.regularizer = compile(regularizer, weights, check=self.check)
        except GraphTooLarge as e:                  # compile's limit, which compiled_step has no keyword to raise
            raise ValueError(f"compiled_step: one sample's loss is a graph of {e.nodes:,} nodes, more than the "
                             f"{e.limit:,} that compile writes code for (its time and memory grow with the graph); "
                             "train this model eagerly (fit(..., compile=False)), or use nn.MLP, of Tensors, which "
                             "trains a network this size faster") from None
        self.sample = sample       # set last: a penalty that failed to compile is not skipped at the next call

    def _own(self, out: Any, what: str) -> Any:
        """``out``, unless its graph reads the model's own weights (which a trace would freeze as numbers)."""
        read = own_weights_read(out, self.params)
        if read:
            raise ValueError(
                f"compiled_step: the {what} reads the model's own weights ({', '.join(read[:3])}"
                f"{', ...' if len(read) > 3 else ''}) instead of the ones it is given: a trace would freeze them as "
                "numbers, with no gradient towards them. Write the loss of (output, target) alone, and a term of the "
                "weights as penalty=lambda params: ... on the params it is given"
            )
        return out

    @property
    def source(self) -> str:
        """The generated code: the sample loss and its gradient (and the penalty's, after it)."""
        if self.sample is None:
            return "(compiled on the first call)"
        return self.sample.source + ("" if self.regularizer is None else "\n" + self.regularizer.source)

    def __call__(self, X: Any, Y: Any, lr: float) -> float:
        """One step on the batch (rows of X, targets Y): the weights move by -lr times the gradient of the mean
        sample loss plus the penalty; returns that total, as the eager step's ``total.data``.

        >>> step = MLP(2, [3, 1], seed=0).compiled_step(lambda s, y: (s - y) * (s - y))
        >>> first = step([[1.0, 2.0]], [0.5], lr=0.1)
        >>> step([[1.0, 2.0]], [0.5], lr=0.1) < first          # a step downhill
        True
        """
        X, Y = self._rows(X), self._targets(Y)
        lr = real(lr, "compiled_step", "lr")
        if not 0.0 < lr < float("inf"):                # as SGD: lr = -0.1 would climb the loss, NaN poison the weights
            raise ValueError(f"compiled_step: the learning rate must be positive and finite, got lr={lr!r}")
        if len(X) != len(Y) or not X:
            raise ValueError(f"compiled_step: X has {len(X)} rows and Y {len(Y)} targets; give one target per row")
        if self.sample is None:
            self._compile(X[0], Y[0])
        params = self.params
        weights = [p.data for p in params]
        if self.regularizer is not None:
            reg, grad = (self.regularizer if self.check else self.regularizer.function)(weights)
        else:
            reg, grad = 0.0, [0.0] * len(params)
        grad = (grad,)
        seed = 1.0 / len(X)        # dL/d(loss_i) of the eager graph: the mean's factor, times 1.0
        run = self.sample if self.check else self.sample.function
        scalar = self._scalar_target
        losses = [0.0] * len(X)
        # Samples in reverse: the eager backward() reaches the samples' subgraphs in that order (after the
        # penalty's), so each weight's gradient adds up the same floats in the same order.
        for i in range(len(X) - 1, -1, -1):
            y = Y[i]
            losses[i], grad = run(weights, X[i], [y] if scalar else y, seed=seed, grad=grad)
        total = 0.0
        for value in losses:
            total += value
        for p, g in zip(params, grad[0]):
            p.data -= lr * g
            p.grad = g                 # what the eager step's backward() leaves there
        return total * seed + reg

