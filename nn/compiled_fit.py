"""``fit(..., compile=True)``: the per-sample loss of an MLP traced ONCE as a Value graph, compiled to plain-float
Python by ``autograd.compile``, and SGD run on plain floats. HH19's 1e6 per-sample steps take seconds instead of
the minutes the Tensor engine's per-op overhead costs on 1x2 arrays.

The trace is the model's forward pass written with Values: the weights and biases (``model.parameters()`` order,
each Tensor's entries row by row) and one sample's inputs and targets are the inputs of the graph; each neuron is
one ``weighted_sum`` (z = b + sum_k w_k x_k), each activation its Value method, a softmax exp(z_k - ln sum_j e^z_j)
(``losses.log_sum_exp``, twice: see ``_tensor_forward``), and the loss is the very ``loss`` function fit was given,
called on a batch of one.
What fit reports keeps its meaning: the compiled function also returns the sample's outputs (``compile(...,
has_aux=True)``), from which the training accuracy is counted as in eager mode.

Never silently wrong: what cannot be traced faithfully is refused by name, before the first step (a ValueError
that says to use ``compile=False``):

- a model other than ``nn.MLP`` and ``nn.scalar.MLP`` (a subclass with its own forward, a custom Module);
- an optimizer other than ``nn.SGD`` with momentum 0 and weight_decay 0, or one that holds only some parameters;
- ``binary_cross_entropy`` on an output that is not a sigmoid (it clips probabilities: a branch on the data);
- a loss that does not trace on Values, or whose trace differs from the eager step: at start the compiled loss,
  gradient and outputs are compared with the eager engine's on several samples (and on one whole batch), the
  graph is traced again at those samples (``check_graph``: a branch on the data or a number read from it), at one
  sample of each class (targets of at most 16 distinct rows) and at saturating weights (x 1e3 and x -1e3: where
  clipping would start);
- a loss that reads the scalar MLP's own weights (``losses.hinge(o, t) + losses.l2(model, 1e-3)``): the trace
  would freeze them as numbers, and the comparison cannot see it (its eager twin's loss reads the model too).

>>> import numpy as np
>>> from nn import MLP, SGD, losses, fit
>>> from nn.data import hh19
>>> X, Y = hh19()
>>> model = MLP([2, 2, 3, 2], activation="sigmoid", init="normal", seed=0)            # HH19's netbp
>>> h = fit(model, X, Y, losses.quadratic, SGD(model.parameters(), lr=0.05), epochs=100, batch_size=1,
...         replacement=True, seed=1, compile=True, progress=False)
>>> len(h.train_loss), model.layers[0].weight.data.dtype
(100, dtype('float64'))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import GraphChanged, GraphTooLarge, Tensor, Value, no_grad, weighted_sum
from autograd import compile as compile_graph

from . import data, layers, losses, optim, scalar
from .module import Module

_WHO = "fit(compile=True)"
_FIX = "; use compile=False (the eager engine trains it)"
_CHECKED = 3          # samples the traced step is compared with the eager step on, before the first step
_TARGETS = 16         # targets that take at most this many values (classes): the graph checked at one sample of each
_SATURATE = (1e3, -1e3)
_RTOL = 1e-8          # eager (Tensor sums in numpy's order) against compiled: about 1e-16 apart when right


class NonFiniteLoss(ArithmeticError):
    """Raised by ``CompiledFit.epoch`` at the first batch whose loss is NaN or inf, before its step: the model
    then holds the weights of the step before (fit turns it into its FloatingPointError)."""

    def __init__(self, batch: int, value: float) -> None:
        super().__init__(f"the loss of batch {batch} is {value}")
        self.batch, self.value = batch, value


def _refuse(what: str) -> ValueError:
    return ValueError(f"{_WHO}: {what}{_FIX}")


def _check_model(model: Module) -> bool:
    """True for a scalar MLP, False for a Tensor MLP; anything else refused by name."""
    for kind in (layers.MLP, scalar.MLP):
        if isinstance(model, kind):
            own = [name for name in ("forward", "__call__", "parameters", "named_parameters")
                   if getattr(type(model), name) is not getattr(kind, name)]
            if own:
                raise _refuse(f"the {type(model).__name__} overrides {', '.join(own)} of nn.{kind.__qualname__}, "
                              "which a trace of the MLP's neurons would not follow")
            if kind is layers.MLP and not all(type(layer) is layers.Linear for layer in model.layers):
                raise _refuse("the MLP's layers are not all nn.Linear")
            return kind is scalar.MLP
    raise _refuse(f"a {type(model).__name__} cannot be traced (compile=True traces nn.MLP and nn.scalar.MLP)")


def _check_optimizer(optimizer: Any, params: list) -> None:
    if type(optimizer) is not optim.SGD:
        raise _refuse(f"the optimizer is {type(optimizer).__name__}; compile=True runs plain SGD "
                      "(nn.SGD(model.parameters(), lr=...), momentum 0, weight_decay 0)")
    if optimizer.momentum or optimizer.weight_decay:
        raise _refuse(f"SGD with momentum={optimizer.momentum} and weight_decay={optimizer.weight_decay}; "
                      "compile=True runs plain SGD (momentum 0, weight_decay 0)")
    if {id(p) for p in optimizer.params} != {id(p) for p in params} or len(optimizer.params) != len(params):
        raise _refuse("the optimizer does not hold exactly the model's parameters (some frozen, or others "
                      "added); compile=True updates every parameter: SGD(model.parameters(), lr=...)")


def _tensor_forward(model: layers.MLP, params: list) -> Callable[[list, list], tuple[list, list]]:
    """The Tensor MLP's forward pass on one sample, with Values: (logits of the last layer, outputs)."""
    at, offset = {}, 0
    for p in params:
        at[id(p)] = offset
        offset += p.data.size
    plan = []
    for l, (layer, act) in enumerate(zip(model.layers, model._acts)):
        frozen = [name for name, t in (("weight", layer.weight), ("bias", layer.bias)) if id(t) not in at]
        if frozen:                                            # requires_grad_(False): not among the parameters
            raise _refuse(f"layers.{l}.{frozen[0]} is frozen (requires_grad_(False)), and compile=True updates "
                          "every weight of the model")
        if act not in (None, "softmax") and not callable(getattr(Value, act, None)):
            raise _refuse(f"the activation {act!r} is not a Value op, so it cannot be traced")
        plan.append((layer.n_in, layer.n_out, at[id(layer.weight)], at[id(layer.bias)], act))

    def forward(w: list, x: list) -> tuple[list, list]:
        a: list = x
        z: list = x
        for n_in, n_out, at_w, at_b, act in plan:
            z = [weighted_sum(w[at_w + j * n_in:at_w + (j + 1) * n_in], a, w[at_b + j])   # z = b + sum_k w_k a_k
                 for j in range(n_out)]
            if act is None:
                a = z
            elif act == "softmax":
                # e^(z_k) / sum_j e^(z_j) = e^(d_k - r), with d and r = ln sum_j e^(d_j) as the cross-entropy of
                # Values shifts them (losses._shifted): e^(z_k - c) alone, c the rounded log-sum-exp, was [1, 1]
                # beside logits [1e17, 1e17] (c rounds to 1e17: ln 2 lost)
                d, r = losses._shifted(z)
                a = [(u - r).exp() for u in d]
            else:
                a = [getattr(v, act)() for v in z]                     # a = sigma(z)
        return z, a

    return forward


def _rows(Y: np.ndarray, width: int) -> list[list[float]]:
    """One target row of floats per sample; integer class labels (N,) for K >= 2 outputs as one-hot rows, so the
    trace reads the label as inputs instead of picking an entry by it (a branch on the data)."""
    if Y.ndim == 1 and width >= 2:
        if not (np.all(np.mod(Y, 1) == 0) and Y.min() >= 0 and Y.max() < width):
            raise _refuse(f"the targets, shape {Y.shape} for {width} outputs, are not class labels 0..{width - 1} "
                          "(they cannot be made one-hot rows for the trace)")
        return data.one_hot(Y.astype(np.int64), width).tolist()
    return Y.reshape(len(Y), -1).astype(float).tolist()


class CompiledFit:
    """What ``fit(..., compile=True)`` runs: the traced, compiled per-sample step of ``model`` under ``loss``.

    ``epoch(batches, lr)`` runs the SGD steps of one epoch on plain floats (reading the weights from the model
    first and writing them back after, in place), and returns the sum of the per-sample losses and the outputs,
    one row per sample in the order of the batches. ``source`` is the generated code.

    >>> from nn import MLP, SGD, losses
    >>> from nn.data import hh19
    >>> X, Y = hh19()
    >>> model = MLP([2, 2, 3, 2], seed=0)
    >>> step = CompiledFit(model, losses.quadratic, SGD(model.parameters(), lr=0.05), X, Y)
    >>> total, outs = step.epoch([[0], [3]], lr=0.05, per_sample=True)     # two steps: samples 0 and 3
    >>> outs.shape
    (2, 2)
    """

    def __init__(self, model: Module, loss: Any, optimizer: Any, X: np.ndarray, Y: np.ndarray) -> None:
        self.model = model
        self.scalar = _check_model(model)
        self.params = model.parameters()
        _check_optimizer(optimizer, self.params)
        out_act = getattr(model, "output_activation", "identity")
        if loss is losses.binary_cross_entropy and out_act != "sigmoid":
            raise _refuse(f"binary_cross_entropy on a {out_act!r} output keeps each log's argument at 1e-12 or "
                          "above (ln max(a, 1e-12), ln max(1 - a, 1e-12)), a branch on the data that a trace would "
                          "freeze; give the model output_activation='sigmoid' (the loss then works from the logits)")
        self.loss = loss
        width = model.sizes[-1]
        self._validate(X, Y)                                  # the eager loss's own errors first
        self.xs = np.asarray(X, dtype=np.float64).tolist()
        self.ys = _rows(Y, width)
        if self.scalar:
            forward_with = model._forward_with

            def forward(w: list, x: list) -> tuple[list, list]:
                out = forward_with(w, x)
                a = out if isinstance(out, list) else [out]
                return a, a
        else:
            forward = _tensor_forward(model, self.params)
        # the loss as eager mode calls it: a batch of one sample; cross_entropy on a softmax output from its logits,
        # as the loss does with the Tensor engine's softmax node
        logits = loss is losses.cross_entropy and out_act == "softmax"
        one_output = self.scalar and width == 1

        own = self.params if self.scalar else []
        read: list[str] = []                                  # the model's own weights the loss reads

        def loss_of(pred: list, y: list) -> Value:
            if one_output:                                    # the scalar MLP's one output is a single Value
                return loss([pred[0]], [y[0]])
            return loss([pred], [y])

        def sample_loss(w: list, x: list, y: list) -> tuple[Value, list]:
            z, a = forward(w, x)
            L = loss_of(z if logits else a, y)
            if own:
                read.extend(scalar.own_weights_read(L, own))
            return L, a

        weights = self.read()
        try:
            self.compiled = compile_graph(sample_loss, (weights, self.xs[0], self.ys[0]), wrt=0, has_aux=True)
        except GraphTooLarge as e:                            # compile's limit, which fit has no keyword to raise
            raise _refuse(f"one sample's loss is a graph of {e.nodes:,} nodes, more than the {e.limit:,} that "
                          "compile writes code for (its time and memory grow with the graph); nn.MLP, of Tensors, "
                          "trains a network this size faster") from None
        except Exception as e:                                # what the loss or compile raised, named
            raise _refuse(f"the loss does not trace on Values ({type(e).__name__}: {e})") from e
        if read:
            # a closure over the scalar model's Values (losses.l2(model, ...)): the trace froze them as numbers, with
            # no gradient; the start-up check could not see it, since its eager twin's loss reads the model too
            raise _refuse(f"the loss reads the model's own weights ({', '.join(read[:3])}"
                          f"{', ...' if len(read) > 3 else ''}), which a trace of (outputs, targets) would freeze as "
                          "numbers, with no gradient towards them")
        self.function = self.compiled.function
        self._check(weights)
        if not logits:                                        # cross_entropy from the logits is nn's own
            self._check_each_class(weights, loss_of)

    @property
    def source(self) -> str:
        """The generated code of one sample's loss, gradient and outputs."""
        return self.compiled.source

    def still_plain(self, optimizer: Any) -> None:
        """Refuse, before an epoch, what a callback changed since the start that the compiled steps would ignore:
        SGD given momentum or weight_decay, a weight frozen with ``requires_grad_(False)`` (eager SGD leaves it
        alone; the compiled steps would go on moving it)."""
        if optimizer.momentum or optimizer.weight_decay:
            raise _refuse(f"SGD now has momentum={optimizer.momentum} and weight_decay={optimizer.weight_decay} "
                          "(changed during the run, by a callback?), and compile=True runs plain SGD")
        if not self.scalar and not all(p.requires_grad for p in self.params):
            frozen = [f"layers.{l}.{name}" for l, layer in enumerate(self.model.layers)
                      for name, t in (("weight", layer.weight), ("bias", layer.bias)) if not t.requires_grad]
            raise _refuse(f"{', '.join(frozen)} was frozen (requires_grad_(False)) during the run (by a callback?), "
                          "and compile=True updates every weight of the model")

    # --- the weights: plain floats during an epoch, the model's between epochs --------------------------------
    def read(self) -> list[float]:
        """The model's weights as one list of floats, in ``parameters()`` order (each Tensor row by row)."""
        if self.scalar:
            return [p.data for p in self.params]
        return [v for p in self.params for v in p.data.ravel().tolist()]

    def write(self, w: list[float]) -> None:
        """Put ``w`` back into the model, in the model's dtype. A Tensor is changed in place, as the optimizers
        change it (inside no_grad, ``p *= 1.0`` after the copy), so the version clock ticks and a graph made from
        the old numbers refuses to differentiate; a Value's number is replaced."""
        if self.scalar:
            for p, v in zip(self.params, w):
                p.data = v
            return
        at = 0
        with no_grad():
            for p in self.params:
                n = p.data.size
                p.data[...] = np.asarray(w[at:at + n]).reshape(p.data.shape)   # cast to the model's dtype
                p *= 1.0                                       # Tensor.__imul__: in place, counted
                at += n

    # --- one epoch --------------------------------------------------------------------------------------------
    def epoch(self, batches: Sequence[Sequence[int]], lr: float, per_sample: bool) -> tuple[float, np.ndarray]:
        """The SGD steps of one epoch: for each batch (a list of row numbers; ``per_sample``: all of one row),
        w <- w - lr * (mean of the per-sample gradients). Returns the sum of the per-sample losses (each before
        its step) and the outputs, one row per sample in the order of the batches. A loss that is NaN or inf
        stops the epoch before its step: the weights of the step before go into the model, and ``NonFiniteLoss``
        is raised."""
        f, xs, ys = self.function, self.xs, self.ys
        w = self.read()
        total = 0.0
        outs: list = []
        append = outs.append
        inf = float("inf")
        # w is rebound only once a step is complete, so whatever ends the epoch (NonFiniteLoss, Ctrl-C, an error
        # in the loss) leaves the model at its last step, as an eager epoch does, not at the epoch's start
        try:
            if per_sample:
                for b, (i,) in enumerate(batches):             # per-sample SGD: the target of issue 11
                    value, (g,), a = f(w, xs[i], ys[i])
                    if not -inf < value < inf:                 # NaN or inf: no step from it
                        raise NonFiniteLoss(b, value)
                    w = [wk - lr * gk for wk, gk in zip(w, g)]  # p <- p - eta dC/dp, as SGD.step
                    total += value
                    append(a)
            else:
                zeros = ([0.0] * len(w),)
                for b, idx in enumerate(batches):
                    seed = 1.0 / len(idx)                      # the eager step's mean over the batch
                    grad, values, rows = zeros, [], [None] * len(idx)
                    for k in range(len(idx) - 1, -1, -1):      # as CompiledStep: the eager backward's order
                        i = idx[k]
                        value, grad, rows[k] = f(w, xs[i], ys[i], seed, grad)
                        values.append(value)
                    mean = sum(values) * seed
                    if not -inf < mean < inf:
                        raise NonFiniteLoss(b, mean)
                    w = [wk - lr * gk for wk, gk in zip(w, grad[0])]
                    for value in values:
                        total += value
                    outs.extend(rows)
        finally:
            self.write(w)
        return total, np.array(outs, dtype=np.float64).reshape(len(outs), -1)

    # --- the checks before the first step ---------------------------------------------------------------------
    def _twin(self) -> Module:
        """A float64 copy of the model for the eager checks (the model's own gradients stay untouched)."""
        m = self.model
        if self.scalar:
            twin = scalar.MLP(m.sizes[0], m.sizes[1:], m.activation, m.output_activation, seed=0)
        else:
            twin = layers.MLP(m.sizes, m.activation, m.output_activation, seed=0)
        return twin.set_weights(m.get_weights())

    def _eager(self, twin: Module, rows: list[int]) -> tuple[float, np.ndarray, np.ndarray]:
        """The eager step's loss, gradient (flattened, parameters() order) and outputs on the given rows."""
        X = np.asarray([self.xs[i] for i in rows])
        Y = self._Y[rows]
        out = [twin(x) for x in X.tolist()] if self.scalar else twin(Tensor(X))
        L = self.loss(out, Y)
        twin.zero_grad()
        L.backward()
        grads = [np.zeros(np.shape(p.data)) if p.grad is None else np.asarray(p.grad, dtype=float)
                 for p in twin.parameters()]
        if self.scalar:
            outs = np.array([[v.data for v in o] if isinstance(o, list) else [o.data] for o in out])
        else:
            outs = out.data
        return float(L.data), np.concatenate([g.ravel() for g in grads]), outs

    def _validate(self, X: np.ndarray, Y: np.ndarray) -> None:
        """The loss once on every sample, eagerly, without a graph: the targets are checked as eager fit checks
        them batch by batch (the compiled code does not check them again)."""
        self._Y = Y
        twin = self._twin()
        with no_grad():
            out = [twin(x) for x in X.tolist()] if self.scalar else twin(Tensor(np.asarray(X, dtype=np.float64)))
            self.loss(out, Y)

    def _check(self, w: list[float]) -> None:
        n = len(self.xs)
        picks = sorted({0, n // 2, n - 1, min(1, n - 1)})[:_CHECKED]
        twin = self._twin()
        f = self.function
        for i in picks:
            value, (g,), a = f(w, self.xs[i], self.ys[i])
            self._compare(f"sample {i}", (value, np.array(g), np.array([a])), self._eager(twin, [i]))
        if n > 1:                                              # one batch: the gradients summed with seed 1/B
            rows = list(range(min(n, 8)))
            grad, values, outs = ([0.0] * len(w),), [], []
            for i in reversed(rows):
                value, grad, a = f(w, self.xs[i], self.ys[i], 1.0 / len(rows), grad)
                values.append(value)
                outs.insert(0, a)
            self._compare(f"the batch of samples 0..{len(rows) - 1}",
                          (sum(values) / len(rows), np.array(grad[0]), np.array(outs)), self._eager(twin, rows))
        probes = [(i, 1.0) for i in picks[1:]] + [(picks[0], scale) for scale in _SATURATE]
        for i, scale in probes:                                # a branch on the data, now or once saturated
            try:
                self.compiled.check_graph([scale * v for v in w], self.xs[i], self.ys[i])
            except GraphChanged as e:
                raise _refuse(f"the loss's graph depends on the data (at sample {i}"
                              f"{'' if scale == 1.0 else f', weights x {scale:g}'}): {e}") from None
            except Exception as e:
                raise _refuse(f"the loss fails on Values at sample {i}, weights x {scale:g} "
                              f"({type(e).__name__}: {e}), so a trace cannot stand for it there") from None

    def _check_each_class(self, w: list[float], loss_of: Callable[[list, list], Value]) -> None:
        """The loss's graph traced again at one sample of each class (outputs and target), as ``_check`` does at a
        few samples: a loss that branches on the class (a weight read from the target) was traced in sample 0's
        branch and trained every class with it, when the samples checked (the first rows, sorted by class, and the
        middle one) held no sample of some class. Only the loss is traced here, not the network: a trace of one
        sample's whole graph took as long as the compile."""
        rows = self._one_of_each_target()
        if len(rows) < 2:
            return
        outputs = {i: self.function(w, self.xs[i], self.ys[i])[2] for i in rows}
        try:
            traced = compile_graph(loss_of, (outputs[rows[0]], self.ys[rows[0]]))
        except Exception as e:
            raise _refuse(f"the loss does not trace on Values at sample {rows[0]} ({type(e).__name__}: {e})") from e
        for i in rows[1:]:
            try:
                traced.check_graph(outputs[i], self.ys[i])
            except GraphChanged as e:
                raise _refuse(f"the loss's graph depends on the target (at sample {i}, target {self.ys[i]}, against "
                              f"sample {rows[0]}, target {self.ys[rows[0]]}): {e}") from None
            except Exception as e:
                raise _refuse(f"the loss fails on Values at sample {i} ({type(e).__name__}: {e}), so a trace cannot "
                              "stand for it there") from None

    def _one_of_each_target(self) -> list[int]:
        """The first sample of each distinct target row, when there are at most ``_TARGETS`` of them (classes);
        none for targets of more values (a regression's), where checking a sample of each would cost a trace per
        sample."""
        first: dict[tuple, int] = {}
        for i, y in enumerate(self.ys):
            first.setdefault(tuple(y), i)
            if len(first) > _TARGETS:
                return []
        return list(first.values())

    @staticmethod
    def _compare(where: str, compiled: tuple, eager: tuple) -> None:
        (lc, gc, oc), (le, ge, oe) = compiled, eager
        scale = max(float(np.abs(ge).max(initial=0.0)), float(np.abs(gc).max(initial=0.0)), 1e-300)
        bad = []
        if not abs(lc - le) <= _RTOL * max(1.0, abs(le)):
            bad.append(f"loss {float(lc)!r} against {float(le)!r}")
        if gc.shape != ge.shape or not np.all(np.abs(gc - ge) <= _RTOL * scale):
            k = int(np.argmax(np.abs(gc - ge))) if gc.shape == ge.shape else 0
            bad.append(f"gradient entry {k}: {float(gc.ravel()[k])!r} against {float(ge.ravel()[k])!r}")
        oc, oe = oc.reshape(len(oe), -1) if oc.size == oe.size else oc, oe.reshape(len(oe), -1)
        if oc.shape != oe.shape or not np.allclose(oc, oe, rtol=_RTOL, atol=1e-12):
            bad.append("the outputs")
        if bad:
            raise _refuse(f"the traced loss differs from the eager step on {where} ({'; '.join(bad)}): the loss "
                          "reads something a trace of Values cannot see (a softmax output passed to a function "
                          "around cross_entropy, a number read from .data, the model's Tensors)")
