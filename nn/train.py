"""fit(): the training loop of the lectures, for either engine. One function covers per-sample SGD (batch_size=1,
with or without replacement), mini-batches and full-batch gradient descent (batch_size=None).

>>> import numpy as np
>>> from nn import MLP, SGD, losses, fit
>>> from nn.data import boolean
>>> X, y = boolean("xor")
>>> model = MLP([2, 4, 1], activation="tanh", output_activation="sigmoid", seed=0)
>>> history = fit(model, X, y, losses.binary_cross_entropy, SGD(model.parameters(), lr=0.5), epochs=10,
...               progress=False)
>>> len(history.loss)
10
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad

from . import checks, losses
from .init import Seed, rng_from
from .module import Module

_SHOW_AFTER = 2.0   # seconds: shorter runs print no progress


@dataclass
class History:
    """What ``fit`` records per epoch: the mean training loss over the epoch's batches, the fraction of samples
    classified right in them (None for regression), and the wall time in seconds since the start."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] | None = None
    time: list[float] = field(default_factory=list)

    def __repr__(self) -> str:
        if not self.loss:
            return "History(no epochs)"
        acc = f", accuracy {self.accuracy[-1]:.4f}" if self.accuracy else ""
        return (f"History({len(self.loss)} epochs: loss {self.loss[0]:.4g} -> {self.loss[-1]:.4g}{acc}, "
                f"{self.time[-1]:.2f} s)")


def _is_scalar(model: Module, who: str = "fit") -> bool:
    if not isinstance(model, Module):
        raise TypeError(f"{who}: model must be an nn Module (nn.MLP, nn.scalar.MLP, ...), got {type(model).__name__}")
    params = model.parameters()
    if not params:
        raise ValueError(f"{who}: {type(model).__name__} has no parameters to train")
    return isinstance(params[0], Value)


def _inputs(X: Any, who: str) -> np.ndarray:
    """X as a float array of shape (N, n_in) with N >= 1: one vectorised conversion, strings and complex refused."""
    if X is None or isinstance(X, str | bytes):
        raise TypeError(f"{who}: X must be an array of numbers, shape (N, n_in); got {type(X).__name__}")
    try:
        arr = np.asarray(X.data if isinstance(X, Tensor) else X)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{who}: X is not a rectangular array of numbers ({e})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{who}: X must hold real numbers, got an array of dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(f"{who}: X must hold one sample per row, shape (N, n_in); got shape {arr.shape}")
    if len(arr) == 0:
        raise ValueError(f"{who}: X has no samples (shape {arr.shape}); give at least one row")
    return arr.astype(float)


def _targets(Y: Any, X: np.ndarray, who: str) -> np.ndarray:
    """Y as an array with one entry (or row) per row of X."""
    if Y is None or isinstance(Y, str | bytes):
        raise TypeError(f"{who}: Y must be an array of targets, one per sample; got {type(Y).__name__}")
    try:
        arr = np.asarray(Y.data if isinstance(Y, Tensor) else Y)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{who}: Y is not a rectangular array of numbers ({e})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{who}: Y must hold real numbers (or integer labels), got an array of dtype {arr.dtype}")
    if arr.ndim == 0 or len(arr) != len(X):
        raise ValueError(f"{who}: X has {len(X)} rows but Y has {len(arr) if arr.ndim else 0} (X of shape "
                         f"{X.shape}, Y of shape {arr.shape}); give one target per sample")
    return arr


def _forward(model: Module, X: np.ndarray, scalar: bool) -> Any:
    """The model's outputs for the rows of X: a Tensor, or for the scalar engine a list (of lists) of Values."""
    if scalar:
        return [model(x) for x in X.tolist()]
    return model(Tensor(X))


def _numbers(out: Any) -> np.ndarray:
    """The outputs as an array of shape (N, K)."""
    if isinstance(out, Tensor):
        a = out.data
    else:
        a = np.array([[v.data for v in o] if isinstance(o, list) else [o.data] for o in out])
    return a.reshape(len(a), -1)


def _accuracy_rule(loss: Any, Y: np.ndarray, n_out: int) -> Callable[[np.ndarray, np.ndarray], int] | None:
    """How to count right answers from outputs (N, K) and targets, judged from the loss and the targets."""
    targets = Y.reshape(len(Y), -1)
    values = set(np.unique(targets).tolist()) if targets.size <= 10**6 else set()

    def argmax(out: np.ndarray, y: np.ndarray) -> int:
        labels = y.reshape(len(y), -1).argmax(axis=1) if y.ndim == 2 else y.astype(int)
        return int(np.sum(out.argmax(axis=1) == labels))

    def threshold(output_at: float, target_at: float) -> Callable[[np.ndarray, np.ndarray], int]:
        def count(out: np.ndarray, y: np.ndarray) -> int:   # a sample is right when all its outputs are
            return int(np.sum(np.all((out > output_at) == (y.reshape(len(y), -1) > target_at), axis=1)))
        return count

    if loss is losses.cross_entropy or (n_out >= 2 and Y.ndim == 1 and values <= set(range(n_out))):
        return argmax
    if loss is losses.hinge or (values <= {-1.0, 1.0} and -1.0 in values):
        return threshold(0.0, 0.0)                                  # labels -1/+1, scores by their sign
    if loss is losses.binary_cross_entropy_with_logits:
        return threshold(0.0, 0.5)                                  # sigmoid(z) > 1/2 exactly when z > 0
    if values <= {0.0, 1.0}:
        if n_out >= 2 and targets.shape[1] == n_out and np.all(targets.sum(axis=1) == 1):
            return argmax                                           # one-hot rows, e.g. HH19's [1, 0], [0, 1]
        return threshold(0.5, 0.5)
    return None


def fit(model: Module, X: Any, Y: Any, loss: Any, optimizer: Any, epochs: int, batch_size: int | None = None,
        shuffle: bool = True, seed: Seed = None, progress: bool = True, replacement: bool = False,
        accuracy: bool | None = None) -> History:
    """Train ``model`` on the rows of X (targets Y) for ``epochs`` passes; returns a ``History``.

    Each step takes a batch, computes ``loss(outputs, targets)``, clears the gradients (``optimizer.zero_grad()``),
    calls ``backward()`` and ``optimizer.step()``. ``batch_size=None`` is full-batch gradient descent;
    ``batch_size=1`` per-sample SGD; ``replacement=True`` draws every batch at random with replacement (HH19's
    "a random point each step"), N / batch_size batches an epoch. ``shuffle`` reorders the rows each epoch
    (without replacement). ``loss`` is a function of (outputs, targets) or a name from ``nn.losses``; to add
    a penalty pass ``lambda out, y: losses.hinge(out, y) + losses.l2(model, 1e-4)``.

    Accuracy is recorded when the task is classification (``accuracy=None`` decides from the loss and targets:
    cross-entropy and one-hot targets by argmax, 0/1 targets at 0.5, -1/+1 labels by sign; one output of logits
    at z = 0 when the loss is ``losses.binary_cross_entropy_with_logits``, not a lambda around it). A progress bar
    over the epochs (tqdm when installed) appears when a run takes more than a couple of seconds and ``progress``
    is True.
    """
    X = _inputs(X, "fit")
    Y = _targets(Y, X, "fit")
    if not (np.isfinite(X).all() and (Y.dtype.kind != "f" or np.isfinite(Y).all())):
        raise ValueError("fit: X or Y contains NaN or inf, which would make every weight NaN; clean the data first")
    epochs = checks.whole(epochs, "fit", "epochs")
    n = len(X)
    if batch_size is not None and (isinstance(batch_size, bool | np.bool_)
                                   or not isinstance(batch_size, int | np.integer)):
        raise TypeError(f"fit: batch_size must be a whole number >= 1 (or None for the full batch), "
                        f"got {batch_size!r} ({type(batch_size).__name__})")
    batch = n if batch_size is None else int(batch_size)
    if not 1 <= batch:
        raise ValueError(f"fit: batch_size must be >= 1 (or None for the full batch), got {batch_size!r}")
    batch = min(batch, n)                                   # larger than N: one batch of all the samples
    loss_fn = losses.get(loss, "fit")
    scalar = _is_scalar(model)
    if not (callable(getattr(optimizer, "step", None)) and callable(getattr(optimizer, "zero_grad", None))):
        raise TypeError(f"fit: optimizer must have step() and zero_grad(), such as SGD(model.parameters(), "
                        f"lr=0.1); got {type(optimizer).__name__}")
    if accuracy not in (None, True, False):
        raise TypeError(f"fit: accuracy must be None (decide from the loss), True or False; got {accuracy!r}")
    held = {id(p) for p in getattr(optimizer, "params", ())}
    if held and not any(id(p) in held for p in model.parameters()):
        raise ValueError(
            f"fit: the optimizer holds none of this {type(model).__name__}'s parameters (was it built for another "
            "model?); build it for this one: SGD(model.parameters(), lr=...)"
        )
    rng = rng_from(seed, "fit")
    steps = -(-n // batch)

    history = History()
    rule, judged = None, accuracy is False
    start = time.perf_counter()
    bar = _Progress(epochs, progress)
    for epoch in range(int(epochs)):
        if replacement:
            batches = [rng.integers(0, n, size=batch) for _ in range(steps)]
        else:
            order = rng.permutation(n) if shuffle else np.arange(n)
            batches = [order[i:i + batch] for i in range(0, n, batch)]
        total, right = 0.0, 0
        for idx in batches:
            xb, yb = X[idx], Y[idx]
            out = _forward(model, xb, scalar)
            L = loss_fn(out, yb)
            optimizer.zero_grad()
            L.backward()
            optimizer.step()
            total += float(L.data) * len(idx)
            if not judged:                                 # decided once, from the first outputs
                rule, judged = _accuracy_rule(loss_fn, Y, _numbers(out).shape[1]), True
                if rule is None and accuracy:
                    raise ValueError("fit: accuracy=True but the targets do not look like classes")
            if rule is not None:
                right += rule(_numbers(out), yb)
        seen = sum(len(i) for i in batches)
        history.loss.append(total / seen)
        if rule is not None:
            if history.accuracy is None:
                history.accuracy = []
            history.accuracy.append(right / seen)
        history.time.append(time.perf_counter() - start)
        bar.update(epoch, history)
    bar.close()
    return history


class _Progress:
    """tqdm over the epochs when installed, else a line every tenth of the run; silent for short runs."""

    def __init__(self, epochs: int, enabled: bool) -> None:
        self.epochs, self.enabled, self.bar, self.start = epochs, enabled, None, time.perf_counter()
        self.last_print = -1
        if enabled:
            try:
                from tqdm.auto import tqdm
                self.bar = tqdm(total=epochs, desc="fit", unit="epoch", delay=_SHOW_AFTER, leave=False)
            except ImportError:
                self.bar = None

    def update(self, epoch: int, history: History) -> None:
        if not self.enabled:
            return
        acc = f" acc {history.accuracy[-1]:.3f}" if history.accuracy else ""
        if self.bar is not None:
            self.bar.set_postfix_str(f"loss {history.loss[-1]:.4g}{acc}", refresh=False)
            self.bar.update(1)
        elif time.perf_counter() - self.start > _SHOW_AFTER:
            tenth = (10 * (epoch + 1)) // max(self.epochs, 1)
            if tenth != self.last_print:
                self.last_print = tenth
                print(f"fit: epoch {epoch + 1}/{self.epochs} loss {history.loss[-1]:.4g}{acc}", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def predict(model: Module, X: Any) -> np.ndarray:
    """The model's outputs for the rows of X as a numpy array of shape (N, K), computed without a graph.

    >>> from nn import MLP
    >>> predict(MLP([2, 3, 2], seed=0), np.zeros((5, 2))).shape
    (5, 2)
    """
    scalar = _is_scalar(model, "predict")
    X = _inputs(X, "predict")
    with no_grad():
        return _numbers(_forward(model, X, scalar))


def evaluate(model: Module, X: Any, Y: Any, loss: Any = None) -> dict[str, float | None]:
    """The loss (when ``loss`` is given) and the accuracy (for classification targets) on the rows of X,
    computed without a graph: ``{"loss": ..., "accuracy": ...}``.

    >>> from nn import MLP
    >>> from nn.data import boolean
    >>> X, y = boolean("and")
    >>> sorted(evaluate(MLP([2, 1], seed=0), X, y, "binary_cross_entropy"))
    ['accuracy', 'loss']
    """
    _is_scalar(model, "evaluate")
    X = _inputs(X, "evaluate")
    Y = _targets(Y, X, "evaluate")
    loss_fn = None if loss is None else losses.get(loss, "evaluate")
    out = predict(model, X)
    rule = _accuracy_rule(loss_fn, Y, out.shape[1])
    value = None if loss_fn is None else float(loss_fn(out, Y))
    return {"loss": value, "accuracy": None if rule is None else rule(out, Y) / len(Y)}
