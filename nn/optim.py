"""Optimizers: SGD (with momentum and weight decay) and Adam, for Value and Tensor parameters alike.

Each update is written once: for a Value ``p.data`` and ``p.grad`` are floats, for a Tensor numpy arrays, and the
same arithmetic serves both (a Tensor's data is updated in place).

>>> from autograd import Value
>>> w = Value(1.0)
>>> opt = SGD([w], lr=0.1)
>>> (w * w).backward(); opt.step()          # w <- w - 0.1 * 2w
>>> round(w.data, 12)
0.8
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad
from autograd.checks import flag
from autograd.graph import recording
from autograd.tensor import subtract_in_place
from autograd.tensor.backward import Gradient

from . import checks
from .module import Module

_NODES = (Tensor, Value)


def _is_node(p: Any) -> bool:
    return hasattr(p, "data") and hasattr(p, "grad") and hasattr(p, "zero_grad")


def _tensor_grad(who: str, i: int, p: Any, g: Any) -> Any:
    """The numbers of a Tensor parameter's ``.grad`` that backward() did not make (a Tensor with a graph of its
    own, from ``backward(create_graph=True)``; an array assigned by hand), refused unless of the parameter's shape."""
    if isinstance(g, _NODES):
        g = g.data                                         # a gradient with a graph of its own: its numbers
    if getattr(g, "shape", None) != p.data.shape:          # assigned by hand: numpy would broadcast it
        raise _grad_shape(who, i, p, g)
    return g


def _move(tensors: list, deltas: list, others: list) -> None:
    """Move every parameter by its delta, or none: ``others`` holds (p, delta) for the Values and the nodes of
    the user's own kind. Their new numbers are computed before anything moves (float() of a bad delta raises
    here), ``subtract_in_place`` checks every Tensor's pair before it changes one, and the numbers are set last.
    Only a node of the user's own kind, which moves by its own ``-=``, moves after the others."""
    if not others:                                         # Tensors only (an nn.MLP): nothing to compute aside
        subtract_in_place(tensors, deltas)
        return
    numbers, own = [], []
    for p, delta in others:
        if isinstance(p, Value):
            # a Value's number may have been set to an int or a numpy scalar by hand (p.data = 0, p.data = X[0]):
            # 'p -= delta' would then only rebind a local name, and the parameter would never move
            numbers.append((p, float(p.data) - float(delta)))
        elif type(p.data) is float:
            numbers.append((p, p.data - delta))
        else:
            own.append((p, delta))
    subtract_in_place(tensors, deltas)
    for p, number in numbers:
        p.data = number
    for p, delta in own:
        p -= delta                                         # its class's own in-place update


class _Moves:
    """One step's deltas, kept until every parameter has passed its checks, then moved all at once (``_move``):
    the Tensors apart from the Values and the nodes of the user's own kind. (SGD fills the lists inline: its step
    is the Tensor training loop's hot path.)"""

    __slots__ = ("tensors", "deltas", "others")

    def __init__(self) -> None:
        self.tensors: list = []
        self.deltas: list = []
        self.others: list = []

    def add(self, p: Any, delta: Any, tensor: bool) -> None:
        if tensor:
            self.tensors.append(p)
            self.deltas.append(delta)
        else:
            self.others.append((p, delta))

    def move(self) -> None:
        _move(self.tensors, self.deltas, self.others)


def _parameter_list(params: Iterable[Any] | Module, who: str) -> list:
    """The parameters as a list, each a Value or a Tensor that requires grad, each listed once."""
    if isinstance(params, Module):
        params = params.parameters()
    elif _is_node(params) or not isinstance(params, Iterable) or isinstance(params, str | bytes | dict) \
            or getattr(params, "ndim", None) == 0:
        raise TypeError(f"{who}: params must be a list of Values or Tensors (or a Module), got "
                        f"{type(params).__name__}; for one parameter p pass [p], for a model model.parameters()")
    params = list(params)
    if not params:
        raise ValueError(f"{who}: no parameters to optimize (an empty list)")
    seen: dict[int, int] = {}
    for i, p in enumerate(params):
        if not _is_node(p):
            raise TypeError(f"{who}: parameters must be Values or Tensors, got {type(p).__name__} at index {i}")
        if getattr(p, "requires_grad", True) is False:
            raise ValueError(f"{who}: a Tensor parameter must have requires_grad=True (got {p!r} at index {i})")
        if isinstance(p, _NODES) and p.parents:
            kind = "Tensors" if isinstance(p, Tensor) else "Values"
            raise ValueError(f"{who}: parameter {i} is computed from other {kind} (not a leaf), so a step could not "
                             "move it: its numbers come from its inputs again at the next forward pass (PyTorch: "
                             "\"can't optimize a non-leaf Tensor\"). Optimize the leaves it is computed from, or make "
                             "it a leaf of its own: w = w.detach().requires_grad_() (a Value: w = Value(w.data))")
        first = seen.setdefault(id(p), i)
        if first != i:
            name = getattr(p, "name", None) or getattr(p, "label", None)
            raise ValueError(f"{who}: parameter {i}{f' ({name})' if name else ''} is parameter {first} again; "
                             "listed twice it would be updated twice per step; list each parameter once")
    return params


# Keras's keyword names, which "Neural Networks from Scratch" (nnfs.io) teaches too
_KERAS_KEYWORDS = ("learning_rate", "epsilon", "beta_1", "beta_2", "rho", "decay")


def _keras_keywords(who: str, given: dict, lr: str, momentum: bool) -> TypeError:
    """The error for ``Adam(params, learning_rate=..., decay=...)``: each Keras name with PyTorch's one here, and
    the decaying rate (no keyword of torch.optim either) as the line that sets it before each step."""
    write = []
    if "learning_rate" in given:
        lr = repr(given["learning_rate"])
        write.append(f"lr={lr}")
    if "epsilon" in given:
        write.append(f"eps={given['epsilon']!r}")
    if "beta_1" in given or "beta_2" in given:
        write.append(f"betas=({given.get('beta_1', 0.9)!r}, {given.get('beta_2', 0.999)!r})")
    if "rho" in given:
        write.append(f"alpha={given['rho']!r}")
    parts = []
    if write:
        theirs = ", ".join(f"{k}=" for k in given if k != "decay")
        parts.append(f"{theirs} {'is' if len(given) - ('decay' in given) == 1 else 'are'} Keras's spelling (and "
                     f"Neural Networks from Scratch's); {who} takes torch.optim's keywords: write {', '.join(write)}")
    if "decay" in given:
        decay = given["decay"]
        parts.append(f"decay={decay!r} is no keyword here (nor in torch.optim): set opt.lr = {lr} / (1 + {decay!r} "
                     f"* t) before step t = 0, 1, ..." + (" (momentum's velocity then carries today's rate, not the "
                                                           "rates of the steps that made it: see docs/pytorch.md)"
                                                           if momentum else ""))
    return TypeError(f"{who}: " + "; ".join(parts))


def _refuses_keras_keywords(init: Any) -> Any:
    """Wrap an optimizer's ``__init__`` so that Keras's keyword names get an error that names ours (any other
    unknown keyword gets Python's own); the signature stays the one ``inspect`` and ``help`` show."""
    known = inspect.signature(init).parameters

    @functools.wraps(init)
    def checked(self: Any, *args: Any, **kwargs: Any) -> None:
        foreign = {k: v for k, v in kwargs.items()
                   if k in _KERAS_KEYWORDS and k not in known and (k != "rho" or "alpha" in known)}
        if foreign:
            lr = kwargs.get("lr", args[1] if len(args) > 1 else known["lr"].default)   # args[0]: the params
            raise _keras_keywords(type(self).__name__, foreign, "lr" if lr is inspect.Parameter.empty else repr(lr),
                                  bool(kwargs.get("momentum")))
        init(self, *args, **kwargs)

    return checked


def _grad_shape(who: str, i: int, p: Any, g: Any) -> ValueError:
    """A Tensor's ``.grad`` of another shape than its data (assigned by hand: backward() never makes one), which
    the update would broadcast over the parameter, or fail to; PyTorch refuses the assignment itself."""
    name = getattr(p, "name", None)
    return ValueError(f"{who}: parameter {i}{f' ({name})' if name else ''} has shape {p.data.shape} but its .grad "
                      f"has shape {getattr(g, 'shape', type(g).__name__)}; a gradient has its parameter's shape "
                      "(set p.grad to an array of p's shape, or let backward() compute it)")


def _shape_changed(who: str, i: int, p: Any, old: tuple, new: tuple) -> ValueError:
    """A parameter whose ``.data`` was replaced by an array of another shape since the last step: the state kept
    for it (momentum, moments, history) has the old shape and would broadcast over the new one, or fail to."""
    name = getattr(p, "name", None)
    return ValueError(f"{who}: parameter {i}{f' ({name})' if name else ''} changed shape from {old} to {new} since "
                      "the last step (its .data was replaced); the optimizer's state belongs to the old shape: "
                      f"make a new {who} for the new parameters")


def _state_fits(state: Any, g: Any, tensor: bool, who: str, i: int, p: Any) -> None:
    """Refuse a step whose gradient no longer has the shape of the state kept for its parameter (its .data was
    replaced): the state (0.0 until a Tensor's first step; a Value's, always a float) would broadcast, or fail to."""
    if type(state) is not float:
        shape = g.shape if tensor else np.shape(g)      # (a Tensor's g has its parameter's shape: checked already)
        if getattr(state, "shape", shape) != shape:
            raise _shape_changed(who, i, p, state.shape, shape)


class Optimizer(ABC):
    """What SGD and Adam share: the parameter list, the learning rate, ``zero_grad()``; each writes ``step()``."""

    def __init__(self, params: Iterable[Any] | Module, lr: float) -> None:
        self.params = _parameter_list(params, type(self).__name__)
        self.lr = lr

    @property
    def lr(self) -> float:
        """The learning rate (step size); it may be changed between steps, e.g. to decay it."""
        return self._lr

    @lr.setter
    def lr(self, lr: float) -> None:
        who = type(self).__name__
        if isinstance(lr, bool | np.bool_) or not isinstance(lr, numbers.Real):
            raise TypeError(f"{who}: the learning rate must be a positive number, got lr={lr!r} "
                            f"({type(lr).__name__})")
        try:
            value = float(lr)
        except OverflowError:
            value = float("inf")
        if not 0.0 < value < float("inf"):   # also rejects NaN
            raise ValueError(f"{who}: the learning rate must be positive and finite, got lr={lr!r}")
        self._lr = value

    def _gradients(self) -> Iterator[tuple[int, Any, Any, bool]]:
        """(i, p, g, whether p is a Tensor) for each parameter that takes a step, g the numbers of its ``.grad``.
        Skipped: a parameter whose grad is None, and a Tensor frozen since (``requires_grad_(False)``), which keeps
        its value and the optimizer's state for it. A Tensor's .grad that backward() did not make is checked."""
        who = type(self).__name__
        for i, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            tensor = isinstance(p, Tensor)
            if tensor:
                if not p.requires_grad:                    # frozen since: left alone
                    continue
                if type(g) is not Gradient or g.shape != p.data.shape:   # not backward()'s own: checked
                    g = _tensor_grad(who, i, p, g)
            elif isinstance(g, _NODES):
                g = g.data                                 # a gradient with a graph of its own: its numbers
            yield i, p, g, tensor

    def zero_grad(self) -> None:
        """Reset every parameter's gradient before the next ``backward()`` (gradients add up otherwise)."""
        for p in self.params:
            p.zero_grad()

    @abstractmethod
    def step(self) -> None:
        """Move every parameter by the optimizer's rule, using its ``.grad``."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.params)} parameters, lr={self.lr})"


class SGD(Optimizer):
    """Gradient descent, as PyTorch writes it: with g = grad + weight_decay * p,

        v <- momentum * v + g           (v = 0 at first; without momentum v = g)
        p <- p - lr * v

    Without momentum this is the lectures' p <- p - eta grad C(p). With momentum it is the lectures' heavy ball
    v <- mu v - eta g, p <- p + v (the same steps, v scaled by -eta, while lr stays fixed).

    >>> from autograd import Value
    >>> w = Value(1.0); opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad(); (w * w).backward(); opt.step()
    >>> round(w.data, 12)                   # 1 - 0.2 = 0.8;  0.8 - 0.1 (0.9 * 2 + 1.6) = 0.46
    0.46
    """

    @_refuses_keras_keywords
    def __init__(self, params: Iterable[Any] | Module, lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = checks.real(momentum, "SGD", "momentum", low=0.0, high=1.0, high_open=True)
        self.weight_decay = checks.real(weight_decay, "SGD", "weight_decay", low=0.0)
        self._velocity: list[Any] = [0.0] * len(self.params)

    def step(self) -> None:
        """Move every parameter against its gradient (a Tensor whose grad is None is skipped, and so is one that
        no longer requires grad: it keeps its value and its velocity).

        The update reads numbers only (a gradient that is a graph itself, from ``backward(create_graph=True)``,
        gives its numbers), so nothing is recorded and no ``no_grad()`` block is needed; the Tensors move in one
        call of ``subtract_in_place``, counted as changes in place as ``w -= ...`` counts them. All or nothing: a
        bad ``.grad`` (of another shape, not real numbers) raises with every parameter and velocity as it was.
        """
        lr, mu, decay = self._lr, self.momentum, self.weight_decay
        # new velocities are kept aside until every parameter has passed its checks: a step that raises leaves
        # the parameters and the velocities as they were
        velocity = self._velocity.copy() if mu else self._velocity
        tensors, deltas, others = [], [], []
        for i, p, g, tensor in self._gradients():
            if decay:
                g = g + decay * p.data                     # the gradient of C + decay/2 |p|^2
            if mu:
                if tensor and getattr(velocity[i], "shape", g.shape) != g.shape:
                    raise _shape_changed("SGD", i, p, velocity[i].shape, g.shape)
                g = velocity[i] = mu * velocity[i] + g     # v <- mu v + g
            if tensor:
                tensors.append(p)
                deltas.append(lr * g)
            else:
                others.append((p, lr * g))                 # a Value, or a node of the user's own kind
        _move(tensors, deltas, others)
        self._velocity = velocity


class Adam(Optimizer):
    """Adam (Kingma & Ba), as in the lecture's algorithm: with g the gradient at step t = 1, 2, ... (plus
    weight_decay * p, PyTorch's L2 form, when ``weight_decay`` is given)

        m <- beta1 m + (1 - beta1) g            m_hat = m / (1 - beta1^t)
        v <- beta2 v + (1 - beta2) g^2          v_hat = v / (1 - beta2^t)
        p <- p - lr m_hat / (sqrt(v_hat) + eps)

    >>> from autograd import Value
    >>> w = Value(1.0); opt = Adam([w], lr=0.1)
    >>> (w * w).backward(); opt.step()      # m_hat = g, v_hat = g^2: the first step is lr * g / (|g| + eps)
    >>> round(w.data, 6)
    0.9
    """

    @_refuses_keras_keywords
    def __init__(self, params: Iterable[Any] | Module, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.weight_decay = checks.real(weight_decay, "Adam", "weight_decay", low=0.0)
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise TypeError(f"Adam: betas must be a pair (beta1, beta2) such as (0.9, 0.999), got {betas!r}")
        self.betas = (checks.real(betas[0], "Adam", "betas[0]", low=0.0, high=1.0, high_open=True),
                      checks.real(betas[1], "Adam", "betas[1]", low=0.0, high=1.0, high_open=True))
        self.eps = checks.real(eps, "Adam", "eps", low=0.0, low_open=True,
                               hint="; eps keeps the step finite where a gradient is 0 (1e-8 is usual)")
        self.t = 0                                         # steps taken
        self._t = [0] * len(self.params)                   # steps each parameter took (one without a grad: none)
        self._m: list[Any] = [0.0] * len(self.params)
        self._v: list[Any] = [0.0] * len(self.params)

    @no_grad()
    def step(self) -> None:
        """One Adam step for every parameter. A Tensor whose grad is None keeps its moments and its value, and
        its own step count t, which the bias corrections use (as PyTorch's Adam); so does a Tensor that no longer
        requires grad (frozen with ``requires_grad_(False)``), whatever gradient it still holds. All or nothing,
        as SGD: a bad ``.grad`` raises with every parameter, moment and step count as it was."""
        (b1, b2), eps, lr, decay = self.betas, self.eps, self.lr, self.weight_decay
        m, v, steps = self._m, self._v, self._t
        moves, moments = _Moves(), []
        for i, p, g, tensor in self._gradients():
            if decay:
                g = g + decay * p.data                     # the gradient of C + decay/2 |p|^2
            _state_fits(m[i], g, tensor, "Adam", i, p)
            t = steps[i] + 1
            mi = b1 * m[i] + (1.0 - b1) * g                # first moment
            vi = b2 * v[i] + (1.0 - b2) * (g * g)          # second raw moment
            step = lr / (1.0 - b1 ** t)                    # lr m_hat = lr m / (1 - beta1^t)
            correction = 1.0 / (1.0 - b2 ** t)             # v_hat = v / (1 - beta2^t)
            moves.add(p, step * mi / ((vi * correction) ** 0.5 + eps), tensor)
            moments.append((i, t, mi, vi))                 # kept aside until every parameter has passed its checks
        moves.move()                                       # all or nothing: a step that raises changes no state
        self.t += 1
        for i, t, mi, vi in moments:
            steps[i], m[i], v[i] = t, mi, vi


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e), in PyTorch's form: with g the gradient (plus weight_decay * p),

        v <- alpha v + (1 - alpha) g^2                          (v = 0 at first)
        centered: a <- alpha a + (1 - alpha) g, and v - a^2 in place of v below (the variance, not the raw moment)
        p <- p - lr g / (sqrt(v) + eps)                          without momentum
        b <- momentum b + g / (sqrt(v) + eps),  p <- p - lr b   with momentum

    Each weight's step is divided by a running root mean square of its own gradients, so weights whose gradients
    are large take smaller steps. Takes the same steps as ``torch.optim.RMSprop`` (defaults too).

    >>> from autograd import Value
    >>> w = Value(1.0); opt = RMSprop([w], lr=0.01)
    >>> (w * w).backward(); opt.step()     # v = 0.01 g^2, so the first step is lr g / (0.1 |g| + eps) = 10 lr
    >>> round(w.data, 6)
    0.9
    """

    @_refuses_keras_keywords
    def __init__(self, params: Iterable[Any] | Module, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False) -> None:
        super().__init__(params, lr)
        self.alpha = checks.real(alpha, "RMSprop", "alpha", low=0.0, high=1.0, high_open=True)
        self.eps = checks.real(eps, "RMSprop", "eps", low=0.0, low_open=True,
                               hint="; eps keeps the step finite where a gradient is 0 (1e-8 is usual)")
        self.weight_decay = checks.real(weight_decay, "RMSprop", "weight_decay", low=0.0)
        self.momentum = checks.real(momentum, "RMSprop", "momentum", low=0.0, high=1.0, high_open=True)
        self.centered = flag(centered, "RMSprop", "centered")
        self._square: list[Any] = [0.0] * len(self.params)   # v: the running mean of g^2
        self._mean: list[Any] = [0.0] * len(self.params)     # a: the running mean of g (centered only)
        self._buffer: list[Any] = [0.0] * len(self.params)   # b: the momentum buffer

    @no_grad()
    def step(self) -> None:
        """One RMSprop step for every parameter; a parameter whose grad is None (or a frozen Tensor) keeps its value
        and its running means. All or nothing, as SGD: a bad ``.grad`` raises with every parameter and running
        mean as it was."""
        lr, alpha, eps, decay, mu = self.lr, self.alpha, self.eps, self.weight_decay, self.momentum
        moves, states = _Moves(), []
        for i, p, g, tensor in self._gradients():
            old = self._square[i]
            _state_fits(old, g, tensor, "RMSprop", i, p)
            if decay:
                g = g + decay * p.data                     # the gradient of C + decay/2 |p|^2
            v = alpha * old + (1.0 - alpha) * (g * g)      # v <- alpha v + (1 - alpha) g^2
            a = alpha * self._mean[i] + (1.0 - alpha) * g if self.centered else 0.0
            spread = v - a * a if self.centered else v     # centered: the variance of g, E[g^2] - E[g]^2
            scaled = g / (spread ** 0.5 + eps)             # g / (sqrt(v) + eps)
            b = mu * self._buffer[i] + scaled if mu else 0.0
            moves.add(p, lr * (b if mu else scaled), tensor)
            states.append((i, v, a, b))                    # kept aside until every parameter has passed its checks
        moves.move()
        for i, v, a, b in states:
            self._square[i], self._mean[i], self._buffer[i] = v, a, b


class LBFGS(Optimizer):
    """L-BFGS, with PyTorch's interface: ``step(closure)``, where ``closure()`` clears the gradients, computes the
    loss, calls ``backward()`` and returns the loss; one ``step`` runs up to ``max_iter`` iterations.

    Each iteration moves along d = -H g, where H, an estimate of the inverse Hessian, is never formed: the
    two-loop recursion applies it from the last ``history_size`` steps s = p_new - p_old and gradient changes
    y = g_new - g_old (Nocedal & Wright, Algorithm 7.4). Without a line search the step is ``lr`` times d (the
    first one scaled to min(1, 1/|g|_1)); ``line_search_fn="strong_wolfe"`` finds a step meeting the strong
    Wolfe conditions (Algorithm 3.5, cubic interpolation). Stops when max |g| <= ``tolerance_grad``, or a step
    or the loss changes by less than ``tolerance_change``.

    When the line search finds no lower loss along d (a gradient that is not the loss's own, or a minimum reached
    to rounding), it returns t = 0: the parameters stay where they were and the step ends. The direction and
    history are kept, as torch.optim.LBFGS keeps them, so every later ``step`` tries the same points again and
    returns the same loss: a loss that stops changing from one ``step`` to the next means stop (or check the
    gradient with ``autograd.gradcheck``); ``state["t"] == 0`` says it happened.

    >>> from autograd import Value
    >>> x, y = Value(-1.2), Value(1.0)
    >>> opt = LBFGS([x, y], line_search_fn="strong_wolfe", max_iter=100)
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = (1 - x) ** 2 + 100 * (y - x * x) ** 2      # Rosenbrock: minimum 0 at (1, 1)
    ...     loss.backward()
    ...     return loss
    >>> _ = opt.step(closure)
    >>> round(x.data, 4), round(y.data, 4)             # 35 iterations, 43 evaluations (as torch.optim.LBFGS)
    (1.0, 1.0)
    """

    def __init__(self, params: Iterable[Any] | Module, lr: float = 1.0, max_iter: int = 20,
                 max_eval: int | None = None, tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9,
                 history_size: int = 100, line_search_fn: str | None = None) -> None:
        super().__init__(params, lr)
        for name, n in (("max_iter", max_iter), ("history_size", history_size)) + (
                (("max_eval", max_eval),) if max_eval is not None else ()):
            if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
                raise ValueError(f"LBFGS: {name} must be a whole number >= 1, got {n!r}")
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"LBFGS: line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}")
        self.max_iter, self.history_size, self.line_search_fn = int(max_iter), int(history_size), line_search_fn
        self.max_eval = int(max_eval) if max_eval is not None else self.max_iter * 5 // 4
        self.tolerance_grad = checks.real(tolerance_grad, "LBFGS", "tolerance_grad", low=0.0)
        self.tolerance_change = checks.real(tolerance_change, "LBFGS", "tolerance_change", low=0.0)
        self.state: dict = {"n_iter": 0, "func_evals": 0}

    # --- the parameters as one flat vector ------------------------------------------------------------------------
    def _flat_grad(self) -> np.ndarray:
        parts = []
        for i, p in enumerate(self.params):
            g = p.grad
            if g is None or isinstance(p, Tensor) and not p.requires_grad:   # frozen since: a gradient it still
                g = np.zeros(np.shape(p.data))                               # holds is not its current one
            elif isinstance(p, Tensor):        # one of another shape would be raveled into the flat direction,
                g = _tensor_grad("LBFGS", i, p, g)   # which the flat point then broadcasts against (or misaligns)
            parts.append(np.ravel(np.asarray(getattr(g, "data", g), dtype=np.float64)))
        return np.concatenate(parts)

    def _flat_params(self) -> np.ndarray:
        return np.concatenate([np.ravel(np.asarray(p.data, dtype=np.float64)) for p in self.params])

    def _move_to(self, x: np.ndarray) -> None:
        """Put the parameters at the flat point x, in place and counted, as the other optimizers' updates."""
        step = self._flat_params() - x
        k = 0
        tensors, deltas, others = [], [], []
        for p in self.params:
            n = int(np.size(p.data))
            piece = step[k:k + n]
            k += n
            if isinstance(p, Tensor):
                tensors.append(p)
                deltas.append(piece.reshape(p.data.shape))
            else:
                others.append((p, float(piece[0]) if isinstance(p, Value) or type(p.data) is float
                               else piece.reshape(np.shape(p.data))))
        with no_grad():
            _move(tensors, deltas, others)                 # all or nothing, as SGD's and Adam's steps

    def _evaluate(self, closure: Any) -> tuple[Any, float, np.ndarray]:
        """(what closure() returned, the loss as a float, the flat gradient), both checked finite: a NaN or inf
        would move every parameter to NaN at the next step. The closure runs with gradients on, as PyTorch runs it:
        a step taken inside ``no_grad()`` would otherwise compute a loss with no graph, and its backward() fail."""
        with recording():
            loss = closure()
        value = getattr(loss, "data", loss)
        if value is None or np.size(value) != 1:
            raise TypeError(f"LBFGS: the closure must return the loss, one number (a Value, a Tensor of one entry "
                            f"or a float), got {'None' if value is None else f'shape {np.shape(value)}'}; end it "
                            "with 'return loss'")
        number = float(np.asarray(value).reshape(()))
        g = self._flat_grad()
        if not (np.isfinite(number) and np.isfinite(g).all()):
            what = f"a loss of {number}" if not np.isfinite(number) else "a gradient holding NaN or inf"
            raise FloatingPointError(f"LBFGS: the closure gave {what}; the parameters are left at the last point "
                                     "whose loss and gradient were finite. Lower lr, use line_search_fn="
                                     "'strong_wolfe', or find where it is born with autograd.detect_anomaly()")
        return loss, number, g

    def step(self, closure: Any = None) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` iterations; ``closure()`` re-evaluates the loss and its gradient. Returns the loss
        of the first evaluation, as PyTorch.

        A loss or gradient that is NaN or inf raises FloatingPointError, with the parameters put back where they
        were at the last finite evaluation (where the step began if it is the first)."""
        if closure is None or not callable(closure):
            raise TypeError("LBFGS.step(closure): L-BFGS evaluates the loss several times per step; pass a function "
                            "that calls zero_grad(), computes the loss, calls loss.backward() and returns the loss")
        state = self.state
        shapes = [np.shape(p.data) for p in self.params]
        for i, (p, old, new) in enumerate(zip(self.params, state.get("shapes", shapes), shapes)):
            if old != new:                                  # the history's vectors have the old length
                raise _shape_changed("LBFGS", i, p, old, new)
        state["shapes"] = shapes
        first, loss, g = self._evaluate(closure)
        state["func_evals"] += 1
        if np.abs(g).max() <= self.tolerance_grad:
            return first
        d, t = state.get("d"), state.get("t", self.lr)
        old_s, old_y, rho = state.setdefault("old_s", []), state.setdefault("old_y", []), state.setdefault("rho", [])
        h_diag = state.get("h_diag", 1.0)
        prev_g, prev_loss = state.get("prev_g"), state.get("prev_loss")
        evals, n_iter = 1, 0
        while n_iter < self.max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1 or d is None:
                d = -g
                old_s.clear(), old_y.clear(), rho.clear()
                h_diag = 1.0
            else:
                y, s = g - prev_g, d * t
                ys = float(y @ s)
                if ys > 1e-10:                                      # keep the pair only if the curvature is positive
                    if len(old_s) == self.history_size:
                        old_s.pop(0), old_y.pop(0), rho.pop(0)
                    old_s.append(s), old_y.append(y), rho.append(1.0 / ys)
                    h_diag = ys / float(y @ y)
                q = -g                                              # two-loop recursion: d = -H g
                alphas = []
                for si, yi, ri in zip(reversed(old_s), reversed(old_y), reversed(rho)):
                    a = ri * float(si @ q)
                    alphas.append(a)
                    q = q - a * yi
                d = q * h_diag
                for si, yi, ri, a in zip(old_s, old_y, rho, reversed(alphas)):
                    b = ri * float(yi @ d)
                    d = d + si * (a - b)
            prev_g, prev_loss = g.copy(), loss
            t = min(1.0, 1.0 / np.abs(g).sum()) * self.lr if state["n_iter"] == 1 else self.lr
            gtd = float(g @ d)
            if gtd > -self.tolerance_change:                        # not a descent direction any more
                break
            x0 = self._flat_params()
            try:
                if self.line_search_fn == "strong_wolfe":
                    loss, g, t, used = _strong_wolfe(self, closure, x0, t, d, loss, g, gtd,
                                                      max_ls=self.max_eval - evals)   # the evaluations left
                    self._move_to(x0 + t * d)
                else:
                    self._move_to(x0 + t * d)
                    used = 0
                    if n_iter != self.max_iter:                     # the last move is not evaluated (as PyTorch)
                        _, loss, g = self._evaluate(closure)
                        used = 1
            except FloatingPointError:
                self._move_to(x0)
                raise
            evals += used
            state["func_evals"] += used
            if n_iter == self.max_iter or evals >= self.max_eval:
                break
            if np.abs(g).max() <= self.tolerance_grad:
                break
            if np.abs(d * t).max() <= self.tolerance_change or abs(loss - prev_loss) < self.tolerance_change:
                break
        state.update(d=d, t=t, h_diag=h_diag, prev_g=prev_g, prev_loss=prev_loss)
        return first


def _cubic_minimum(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float,
                   bounds: tuple[float, float] | None = None) -> float:
    """The minimiser of the cubic through (x1, f1) with slope g1 and (x2, f2) with slope g2 (N&W eq. 3.59),
    clamped to ``bounds`` (by default the interval between x1 and x2); the middle of the bounds where the cubic
    has no minimum (or the numbers are not finite)."""
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    if x1 == x2:
        return min(max(x1, lo), hi)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    square = d1 * d1 - g1 * g2
    if not square >= 0:                                              # also NaN
        return (lo + hi) / 2
    d2 = math.sqrt(square)
    if x1 <= x2:
        x = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        x = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(x, lo), hi)


def _strong_wolfe(opt: LBFGS, closure: Any, x0: np.ndarray, t: float, d: np.ndarray, f0: float, g0: np.ndarray,
                  gtd0: float, c1: float = 1e-4, c2: float = 0.9, tolerance_change: float = 1e-9,
                  max_ls: int = 25) -> tuple:
    """A step t along d with f(x0 + t d) <= f0 + c1 t g0.d (sufficient decrease) and |g(x0 + t d).d| <= c2 |g0.d|
    (curvature): (f, g, t, evaluations used). As torch.optim.LBFGS (ported from torch7's lswolfe.lua; N&W
    Algorithms 3.5 and 3.6): first extrapolate, each new t the cubic's minimum kept within [t + 0.01 (t - t_prev),
    10 t], until a point meets both conditions or an interval is known to hold one; then shrink that interval
    (zoom), its low end the point of lowest loss. After the first evaluation it may take ``max_ls`` more (LBFGS
    gives it what ``max_eval`` leaves, as torch does), then returns the low end of its interval (still
    extrapolating: t = 0 or the last t, whichever has the lower loss). The interval's width is compared with
    ``tolerance_change`` = 1e-9 whatever the optimizer's, as torch does."""
    def at(step: float) -> tuple:
        opt._move_to(x0 + step * d)
        _, f, g = opt._evaluate(closure)
        return f, g, float(g @ d)

    d_norm = float(np.abs(d).max())
    f, g, gtd = at(t)
    evals = 1
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f0, g0, gtd0
    done, tries = False, 0
    bracket: list = []
    while tries < max_ls:                                            # extrapolate until a bracket is known
        if f > f0 + c1 * t * gtd0 or (tries > 1 and f >= f_prev):
            bracket = [[t_prev, f_prev, g_prev, gtd_prev], [t, f, g, gtd]]
            break
        if abs(gtd) <= -c2 * gtd0:                                   # both conditions hold: done
            bracket, done = [[t, f, g, gtd]], True
            break
        if gtd >= 0:                                                 # the slope turned: a minimum lies before t
            bracket = [[t_prev, f_prev, g_prev, gtd_prev], [t, f, g, gtd]]
            break
        t_next = _cubic_minimum(t_prev, f_prev, gtd_prev, t, f, gtd, bounds=(t + 0.01 * (t - t_prev), t * 10))
        t_prev, f_prev, g_prev, gtd_prev = t, f, g, gtd
        t = t_next
        f, g, gtd = at(t)
        evals += 1
        tries += 1
    if tries == max_ls:                                              # no bracket: between 0 and the last t
        bracket = [[0.0, f0, g0, gtd0], [t, f, g, gtd]]
    low, high = (0, 1) if bracket[0][1] <= bracket[-1][1] else (1, 0)
    stuck = False
    while not done and tries < max_ls:                               # zoom
        (t1, f1, _, s1), (t2, f2, _, s2) = bracket
        if abs(t2 - t1) * d_norm < tolerance_change:
            break
        t = _cubic_minimum(t1, f1, s1, t2, f2, s2)
        lo, hi = min(t1, t2), max(t1, t2)
        margin = 0.1 * (hi - lo)
        if min(hi - t, t - lo) < margin:                             # too close to an end: progress is slow
            if stuck or t >= hi or t <= lo:                          # twice, or at the end: 10% inside instead
                t = hi - margin if abs(t - hi) < abs(t - lo) else lo + margin
                stuck = False
            else:
                stuck = True
        else:
            stuck = False
        f, g, gtd = at(t)
        evals += 1
        tries += 1
        if f > f0 + c1 * t * gtd0 or f >= bracket[low][1]:           # no sufficient decrease: the new high end
            bracket[high] = [t, f, g, gtd]
            low, high = (0, 1) if bracket[0][1] <= bracket[1][1] else (1, 0)
        else:
            if abs(gtd) <= -c2 * gtd0:
                done = True
            elif gtd * (bracket[high][0] - bracket[low][0]) >= 0:    # the minimum lies on the other side
                bracket[high] = bracket[low]
            bracket[low] = [t, f, g, gtd]                            # the new low end
    t, f, g, _ = bracket[low]
    return f, g, t, evals
