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

import numbers
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import no_grad

from . import checks
from .module import Module


def _is_node(p: Any) -> bool:
    return hasattr(p, "data") and hasattr(p, "grad") and hasattr(p, "zero_grad")


def _subtract(p: Any, delta: Any) -> None:
    """p <- p - delta, in place. A Tensor goes through its own in-place update, so that a graph made from its old
    numbers refuses to differentiate afterwards (the version counter); a Value's number is simply replaced."""
    if type(p.data) is float:
        p.data -= delta
    else:
        p -= delta                                         # Tensor.__isub__ inside no_grad(): in place, counted


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
        first = seen.setdefault(id(p), i)
        if first != i:
            name = getattr(p, "name", None) or getattr(p, "label", None)
            raise ValueError(f"{who}: parameter {i}{f' ({name})' if name else ''} is parameter {first} again; "
                             "listed twice it would be updated twice per step; list each parameter once")
    return params


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

    def __init__(self, params: Iterable[Any] | Module, lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = checks.real(momentum, "SGD", "momentum", low=0.0, high=1.0, high_open=True)
        self.weight_decay = checks.real(weight_decay, "SGD", "weight_decay", low=0.0)
        self._velocity: list[Any] = [0.0] * len(self.params)

    @no_grad()
    def step(self) -> None:
        """Move every parameter against its gradient (a Tensor whose grad is None is skipped)."""
        lr, mu, decay = self.lr, self.momentum, self.weight_decay
        if not mu and not decay:                           # the plain rule, kept tight for long scalar runs
            for p in self.params:
                if p.grad is not None:
                    _subtract(p, lr * p.grad)              # p <- p - eta dC/dp
            return
        velocity = self._velocity
        for i, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            if decay:
                g = g + decay * p.data                     # the gradient of C + decay/2 |p|^2
            if mu:
                g = velocity[i] = mu * velocity[i] + g     # v <- mu v + g
            _subtract(p, lr * g)


class Adam(Optimizer):
    """Adam (Kingma & Ba), as in the lecture's algorithm: with g the gradient at step t = 1, 2, ...

        m <- beta1 m + (1 - beta1) g            m_hat = m / (1 - beta1^t)
        v <- beta2 v + (1 - beta2) g^2          v_hat = v / (1 - beta2^t)
        p <- p - lr m_hat / (sqrt(v_hat) + eps)

    >>> from autograd import Value
    >>> w = Value(1.0); opt = Adam([w], lr=0.1)
    >>> (w * w).backward(); opt.step()      # m_hat = g, v_hat = g^2: the first step is lr * g / (|g| + eps)
    >>> round(w.data, 6)
    0.9
    """

    def __init__(self, params: Iterable[Any] | Module, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        super().__init__(params, lr)
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
        its own step count t, which the bias corrections use (as PyTorch's Adam)."""
        self.t += 1
        (b1, b2), eps, lr = self.betas, self.eps, self.lr
        m, v, steps = self._m, self._v, self._t
        for i, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            steps[i] = t = steps[i] + 1
            m[i] = b1 * m[i] + (1.0 - b1) * g              # first moment
            v[i] = b2 * v[i] + (1.0 - b2) * (g * g)        # second raw moment
            step = lr / (1.0 - b1 ** t)                    # lr m_hat = lr m / (1 - beta1^t)
            correction = 1.0 / (1.0 - b2 ** t)             # v_hat = v / (1 - beta2^t)
            _subtract(p, step * m[i] / ((v[i] * correction) ** 0.5 + eps))
