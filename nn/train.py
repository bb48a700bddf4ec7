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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor, Value, no_grad
from autograd.checks import flag
from autograd.graph import recording

from . import activations, checks, losses
from .compiled_fit import CompiledFit, NonFiniteLoss
from .files import MAX_BYTES, human
from .init import Seed, rng_from
from .module import Module
from .optim import LBFGS

_SHOW_AFTER = 2.0   # seconds: shorter runs print no progress
_INF = float("inf")


@dataclass
class History:
    """What ``fit`` records, one entry per epoch:

    - ``train_loss``: the mean training loss over the epoch's samples (each batch's mean loss weighted by its
      size, so a short last batch counts less), each batch's taken before its step (as PyTorch and Keras report
      it), so it lags the model at the epoch's end;
    - ``train_accuracy``: the fraction of training samples classified right in those same batches, DURING the
      epoch (None for regression): not the accuracy on held-out data, and usually higher;
    - ``val_loss``, ``val_accuracy``: the loss and accuracy on ``validation=(X_val, y_val)`` after the epoch's
      last step, with no graph (None without validation data): the figures to judge the model by; the accuracy
      counted as ``evaluate`` counts it, by the validation targets' own form (labels, one-hot or 0/1 rows);
    - ``time``: seconds since the start; ``best_epoch`` (0-based, the lowest validation loss) and
      ``stopped_epoch`` (the last epoch run when early stopping or a callback ended the run, else None).

    ``loss`` and ``accuracy`` are the older names of ``train_loss`` and ``train_accuracy``.
    """

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] | None = None
    val_loss: list[float] | None = None
    val_accuracy: list[float] | None = None
    time: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_epoch: int | None = None

    @property
    def loss(self) -> list[float]:
        """``train_loss`` (the mean training loss during each epoch)."""
        return self.train_loss

    @property
    def accuracy(self) -> list[float] | None:
        """``train_accuracy`` (measured on the training batches during each epoch, not on held-out data)."""
        return self.train_accuracy

    def __repr__(self) -> str:
        if not self.train_loss:
            return "History(no epochs)"
        acc = f", train accuracy {self.train_accuracy[-1]:.4f}" if self.train_accuracy else ""
        val = f", val loss {self.val_loss[-1]:.4g}" if self.val_loss else ""
        val += f", val accuracy {self.val_accuracy[-1]:.4f}" if self.val_accuracy else ""
        stop = ""
        if self.stopped_epoch is not None:      # a callback or tol stops a run without validation: no best epoch
            stop = f", stopped early after epoch {self.stopped_epoch}"
            stop += f" (best epoch {self.best_epoch})" if self.best_epoch is not None else ""
        seconds = f", {self.time[-1]:.2f} s" if self.time else ""       # a History built by hand may have none
        epochs = len(self.train_loss)
        return (f"History({epochs} epoch{'s' if epochs != 1 else ''}: train loss {self.train_loss[0]:.4g} -> "
                f"{self.train_loss[-1]:.4g}{acc}{val}{stop}{seconds})")


def _is_scalar(model: Module, who: str = "fit") -> bool:
    if not isinstance(model, Module):
        raise TypeError(f"{who}: model must be an nn Module (nn.MLP, nn.scalar.MLP, ...), got {type(model).__name__}")
    params = model.parameters()
    if not params:
        raise ValueError(f"{who}: {type(model).__name__} has no parameters to train")
    return isinstance(params[0], Value)


def _dtype(model: Module) -> np.dtype:
    """The float dtype the model computes in: its first parameter's (float64 for Values)."""
    p = model.parameters()[0]
    return p.data.dtype if isinstance(p, Tensor) else np.dtype(np.float64)


def _inputs(X: Any, who: str, dtype: Any = float) -> np.ndarray:
    """X as a float array (in ``dtype``, the model's) of shape (N, n_in) with N >= 1: one vectorised conversion,
    strings and complex refused."""
    if X is None or isinstance(X, str | bytes):
        raise TypeError(f"{who}: X must be an array of numbers, shape (N, n_in); got {type(X).__name__}")
    checks.unmasked(X, who, "X")  # np.asarray would keep the numbers under the mask
    try:
        arr = np.asarray(X.data if isinstance(X, Tensor) else X)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{who}: X is not a rectangular array of numbers ({e})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{who}: X must hold real numbers, got an array of dtype {arr.dtype}")
    if arr.ndim == 1:       # model(x) takes one sample so; here a row is a sample, and (n,) could be n samples
        raise ValueError(f"{who}: X must hold one sample per row, shape (N, n_in); got shape {arr.shape}: for one "
                         "sample x pass x.reshape(1, -1) (or [x]); for N samples of one input, x.reshape(-1, 1)")
    if arr.ndim != 2:
        raise ValueError(f"{who}: X must hold one sample per row, shape (N, n_in); got shape {arr.shape}")
    if len(arr) == 0:
        raise ValueError(f"{who}: X has no samples (shape {arr.shape}); give at least one row")
    return arr.astype(dtype, copy=False)


def _targets(Y: Any, X: np.ndarray, who: str) -> np.ndarray:
    """Y as an array with one entry (or row) per row of X."""
    if Y is None or isinstance(Y, str | bytes):
        raise TypeError(f"{who}: Y must be an array of targets, one per sample; got {type(Y).__name__}")
    checks.unmasked(Y, who, "Y")  # np.asarray would keep the numbers under the mask
    try:
        arr = np.asarray(Y.data if isinstance(Y, Tensor) else Y)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{who}: Y is not a rectangular array of numbers ({e})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{who}: Y must hold real numbers (or integer labels), got an array of dtype {arr.dtype}")
    if arr.ndim == 0 or len(arr) != len(X):
        # deeplearning.ai's courses put samples in columns: X (n_x, m) and Y (n_y, m) then agree on the last axis
        turned = ("; samples as columns? pass X.T and Y.T" if arr.ndim == 2 and X.ndim == 2
                  and arr.shape[1] == X.shape[1] else "")
        raise ValueError(f"{who}: X has {len(X)} rows but Y has {len(arr) if arr.ndim else 0} (X of shape "
                         f"{X.shape}, Y of shape {arr.shape}); give one target per sample{turned}")
    return arr


@contextmanager
def _mode(model: Module, training: bool) -> Iterator[None]:
    """Run the block with ``model`` in training (``training=True``) or evaluation mode (dropout off), then give
    every module back the mode it had, also after an error: the caller's ``train()`` / ``eval()`` stays theirs."""
    modules = [model] + [m for _, m in model.named_modules()]
    before = [m.training for m in modules]
    model.train(training)
    try:
        yield
    finally:
        for m, was in zip(modules, before):
            m.training = was


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


class _Decision(NamedTuple):
    """How outputs (N, K) become classes: by argmax over the K outputs, or output k says class 1 where it exceeds
    ``at`` (and a target says class 1 where it exceeds ``target_at``: 0.5 for 0/1 targets, 0 for -1/+1)."""

    argmax: bool
    at: float = 0.0
    target_at: float = 0.5

    def classes(self, out: np.ndarray) -> np.ndarray:
        """The class of each row of ``out`` (N, 1) or (N, K): the argmax, or 1 where the one output exceeds ``at``."""
        return out.argmax(axis=1) if self.argmax else (out[:, 0] > self.at).astype(int)

    def right(self, out: np.ndarray, y: np.ndarray) -> int:
        """How many rows of ``out`` match their targets ``y`` (a row by threshold is right when all its outputs are;
        a row holding NaN is never right)."""
        rows = y.reshape(len(y), -1)
        # a NaN output is no class: argmax returns the NaN's index and nan > at is False, so a NaN row read as
        # class 0 and counted as right against every target of class 0
        answered = ~np.isnan(out).any(axis=1)
        if self.argmax:
            # a column (N, 1) holds labels, as (N,) does; its argmax would make every label 0
            labels = rows[:, 0].astype(int) if rows.shape[1] == 1 else rows.argmax(axis=1)
            return int(np.sum((out.argmax(axis=1) == labels) & answered))
        return int(np.sum(np.all((out > self.at) == (rows > self.target_at), axis=1) & answered))


def _output_threshold(activation: str, loss: Any = None, targets: str | None = None,
                     recorded: float | None = None) -> float:
    """Where one output turns from class 0 to class 1: the one rule of ``fit``'s and ``evaluate``'s accuracy,
    ``predict`` and ``predict_proba``, each giving what it knows. In this order:

    - a ``sigmoid`` output is a probability: 1/2;
    - an output the loss reads as a logit or a margin (``binary_cross_entropy_with_logits``, ``hinge``): 0;
    - what ``fit`` decided for this model from the loss and targets it trained with (``recorded``);
    - the middle of the targets: 1/2 between ``"bits"`` (0/1), 0 between ``"signs"`` (-1/+1): an identity output
      trained with ``mse`` on 0/1 targets moves towards 0 and 1, so 0.3 is class 0;
    - nothing known (``predict`` on a model that ``fit`` never trained): 0, the sign of a logit or a score.

    A loss given as a lambda tells nothing: the targets decide (0/1 targets read at 1/2 even if the lambda wraps
    ``binary_cross_entropy(..., logits=True)``; pass the loss itself).

    >>> _output_threshold("identity", targets="bits"), _output_threshold("identity", losses.hinge, "signs")
    (0.5, 0.0)
    """
    if activation == "sigmoid":
        return 0.5
    if loss is losses.binary_cross_entropy_with_logits or loss is losses.hinge:
        return 0.0
    if recorded is not None:
        return recorded
    return 0.5 if targets == "bits" else 0.0


def _decision(loss: Any, Y: np.ndarray, n_out: int, activation: str,
              recorded: float | None = None) -> _Decision | None:
    """How to read outputs (N, K) as classes, judged from the loss, the targets and the output's activation;
    None for a regression (targets that are not classes, or of another width than the outputs)."""
    targets = Y.reshape(len(Y), -1)
    # which values the targets take, read from every entry in O(N) passes (a set of np.unique's values, skipped
    # for large sets, was empty there, and an empty set is within any set of classes: a regression got an accuracy)
    whole = bool(np.all(targets == np.floor(targets)))
    within = whole and bool(np.all(targets >= 0)) and bool(np.all(targets < max(n_out, 2)))   # 0..K-1 (0/1 for K=1)
    bits = within and bool(np.all(targets <= 1))                                              # 0/1
    signs = bool(np.all(np.abs(targets) == 1)) and bool(np.any(targets == -1))                # -1/+1, a -1 among them

    labels = n_out >= 2 and targets.shape[1] == 1 and within   # (N,) or (N, 1)
    if loss is losses.cross_entropy or labels:
        return _Decision(argmax=True)
    if targets.shape[1] != n_out:
        # thresholds compare output k with target k; targets of another width would broadcast against the
        # outputs, (N, 1) against (N, K), and count nonsense: no accuracy rather than a wrong one
        return None
    if bits and n_out >= 2 and np.all(targets.sum(axis=1) == 1):
        return _Decision(argmax=True)                                # one-hot rows, e.g. HH19's [1, 0], [0, 1]
    if not (signs or bits or loss is losses.hinge or loss is losses.binary_cross_entropy_with_logits):
        return None
    kind = "signs" if signs else "bits" if bits else None
    target_at = 0.0 if signs or loss is losses.hinge else 0.5      # -1/+1 labels by their sign; else 0/1 at 1/2
    return _Decision(argmax=False, at=_output_threshold(activation, loss, kind, recorded), target_at=target_at)


def fit(model: Module, X: Any, Y: Any, loss: Any, optimizer: Any, epochs: int, batch_size: int | None = None,
        shuffle: bool = True, seed: Seed = None, progress: bool = True, replacement: bool = False,
        accuracy: bool | None = None, validation: tuple[Any, Any] | None = None,
        callback: Callable[[int, History], Any] | None = None, patience: int | None = None,
        restore_best: bool = True, tol: float | None = None, compile: bool = False) -> History:
    """Train ``model`` on the rows of X (targets Y) for ``epochs`` passes, at most ``nn.checks.MAX_EPOCHS`` =
    10**7 (the History keeps every epoch's figures; 10**12 epochs ran for years); returns a ``History``.

    Each step takes a batch, computes ``loss(outputs, targets)``, clears the gradients (``optimizer.zero_grad()``),
    calls ``backward()`` and ``optimizer.step()`` (``nn.LBFGS``, which evaluates the loss several times a step,
    gets ``step(closure)`` with a closure doing those three on the batch; the epoch's loss counts each step's first
    evaluation). ``batch_size=None`` is full-batch gradient descent;
    ``batch_size=1`` per-sample SGD; ``replacement=True`` draws every batch at random with replacement (HH19's
    "a random point each step"), N / batch_size batches an epoch (rounded up, each of batch_size rows: up to
    batch_size - 1 draws more than N; a batch_size above N is one batch of that many draws, where without
    replacement it is one batch of all N rows; a drawn batch whose rows of X and Y would pass 2 GiB is refused).
    ``shuffle`` reorders the rows each epoch (without replacement). ``loss``
    is a function of (outputs, targets) or a name from ``nn.losses``; to add
    a penalty pass ``lambda out, y: losses.hinge(out, y) + losses.l2(model, 1e-4)``.

    ``seed`` fixes the order of the batches: one generator serves the whole call, so every epoch gets a fresh
    shuffle, and a second call with the same int seed repeats the run exactly. (Calling ``fit(..., epochs=1)`` in a
    loop with an int seed would repeat the first epoch's order every time: pass ``validation`` and ``callback``
    instead, or a ``np.random.default_rng(0)`` whose draws go on from call to call.)

    ``validation=(X_val, Y_val)`` measures the loss and accuracy on those rows after every epoch (no graph), into
    ``history.val_loss`` and ``history.val_accuracy``. ``patience=k`` stops early once the validation loss has not
    improved for k epochs in a row, and then (``restore_best``) puts back the weights of the best epoch (also
    when a callback or ``tol`` ends the run, and when any of them stops it on the last epoch; a run that goes to
    ``epochs`` without being stopped keeps its last weights).
    ``tol`` trains "until converged" (Dehaqani's gradient descent, while |f(x^(k+1)) - f(x^k)| > eps): the run
    stops after the first epoch whose training loss differs from the previous epoch's by at most ``tol`` (so
    ``tol=0`` stops where the loss no longer moves at all)
    (``epochs`` stays the limit; ``history.stopped_epoch`` says where it stopped).
    ``callback(epoch, history)`` runs after each epoch (``epoch`` counts from 0, as network.py prints it, and
    ``history`` holds that epoch's figures); returning True stops the run, None or False lets it go on, and
    anything else (1, "stop", a Tensor) is refused with a TypeError: a string such as "continue" would stop it.

    A batch whose loss is NaN or inf (a learning rate too large, an overflow) ends the run before its step with a
    FloatingPointError naming the epoch and the batch: the model keeps the weights of the step before, and the
    figures of the epochs before are in the error's ``.history`` (fit never trains on with NaN weights). Any other
    error or interrupt (Ctrl-C) that ends the run carries the figures of the epochs that finished in its
    ``.history`` too; the model keeps the weights of its last step (``restore_best`` restores nothing then).

    The inputs are converted once to the model's dtype (float32 for ``MLP(..., dtype=np.float32)``).

    The steps run in training mode (``nn.Dropout`` on) and the validation in evaluation mode (dropout off), as
    ``predict``, ``outputs`` and ``evaluate`` always do; afterwards every module is back in the mode it came in
    (``train()`` / ``eval()`` stay the caller's). The steps record their graph also when fit is called inside
    ``no_grad()``, as ``LBFGS``'s closure does; the block holds again after fit. A last batch smaller than
    ``batch_size`` (N not a multiple of it) is kept: its step follows its own mean loss, and it counts by its size
    in ``train_loss``, the mean of the per-sample losses over the epoch. A second ``fit`` on the same model
    continues from its weights (and the optimizer's state); it does not start again.

    ``compile=True`` (issue 11: HH19's 1e6 per-sample steps in seconds, not minutes) traces the per-sample loss of
    an ``nn.MLP`` or ``nn.scalar.MLP`` once as a Value graph (the weights as plain-float inputs, each neuron one
    ``weighted_sum``, the same ``loss`` called on Values), compiles it with ``autograd.compile`` and runs the SGD
    steps on plain floats: the same samples for the same seed and the same steps as the eager engine, to about
    1e-12 (numpy's matmul sums in another order); a batch's per-sample gradients are summed with weight
    1/len(batch), the eager mean-loss step. After every epoch the weights go back into the model's Tensors, in
    place and in the model's dtype (float32 models: float64 steps within an epoch, rounded to float32 after it),
    before validation, callbacks, patience and ``restore_best`` look at them; the History means what it means
    eagerly; an epoch interrupted (Ctrl-C, an error) leaves the model at its last step, as an eager one does.
    Only plain ``SGD`` (momentum 0, weight_decay 0, every weight trainable: a callback changing that is refused
    before the next epoch) compiles; anything that cannot be traced faithfully
    (another model or optimizer, ``binary_cross_entropy`` on a non-sigmoid output, a loss that reads numbers from
    the data, whose trace differs from the eager step on a few samples checked at start, or whose graph differs
    between classes, checked at one sample of each when targets take at most 16 values) raises a ValueError
    naming it, before the first step: use ``compile=False`` there. It suits small nets: the trace and its checks
    take about a second per 5,000 weights. See ``nn.compiled_fit``.

    Accuracy is recorded when the task is classification (``accuracy=None`` decides from the loss and targets:
    cross-entropy, integer labels (shape (N,) or (N, 1)) and one-hot targets by argmax; otherwise each output
    against its target (0/1 targets at 1/2, -1/+1 labels by sign), the output read at 1/2 for a sigmoid, at 0
    for logits or margins (``losses.binary_cross_entropy_with_logits`` or ``losses.hinge``, not a lambda around
    them), else at the middle of the targets (1/2 for an identity output trained with mse on 0/1 targets);
    targets of another width than the outputs, other than labels, get none). The model remembers that
    threshold, so that ``predict``, ``predict_proba`` and ``evaluate`` read its outputs as fit did (also with
    ``accuracy=False``; ``save`` and ``load`` keep it). A progress bar over the epochs (tqdm when installed),
    showing the last epoch's training and validation loss and accuracy, appears when a run takes more than a
    couple of seconds and ``progress`` is True.

    >>> import numpy as np
    >>> from nn import MLP, SGD
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
    >>> model = MLP([1, 2], output_activation="softmax", seed=0)
    >>> h = fit(model, X, y, "cross_entropy", SGD(model.parameters(), lr=0.5), epochs=3, validation=(X, y),
    ...         progress=False)
    >>> len(h.train_loss), len(h.val_loss), len(h.val_accuracy)
    (3, 3, 3)
    >>> from nn.data import hh19                                       # HH19's netbp, a random point each step
    >>> X, Y = hh19()
    >>> net = MLP([2, 2, 3, 2], activation="sigmoid", init="normal", seed=0)
    >>> h = fit(net, X, Y, "quadratic", SGD(net.parameters(), lr=0.05), epochs=1000, batch_size=1,
    ...         replacement=True, seed=1, compile=True, progress=False)   # 10,000 steps as plain floats
    >>> len(h.train_loss)
    1000
    """
    scalar = _is_scalar(model)
    dtype = _dtype(model)
    X = _inputs(X, "fit", dtype)
    Y = _targets(Y, X, "fit")
    if not (np.isfinite(X).all() and (Y.dtype.kind != "f" or np.isfinite(Y).all())):
        raise ValueError("fit: X or Y contains NaN or inf, which would make every weight NaN; clean the data first")
    epochs = checks.whole(epochs, "fit", "epochs")
    if epochs > checks.MAX_EPOCHS:
        raise ValueError(f"fit: epochs must be at most {checks.MAX_EPOCHS:,}, got {checks.shown(epochs)}: fit keeps "
                         f"each epoch's figures, and {checks.MAX_EPOCHS:,} epochs of one sample take about half an "
                         "hour even compiled; to train longer call fit again (it goes on from the weights), or give "
                         "tol or patience to stop where the loss settles")
    n = len(X)
    if batch_size is not None and (isinstance(batch_size, bool | np.bool_)
                                   or not isinstance(batch_size, int | np.integer)):
        raise TypeError(f"fit: batch_size must be a whole number >= 1 (or None for the full batch), "
                        f"got {batch_size!r} ({type(batch_size).__name__})")
    batch = n if batch_size is None else int(batch_size)
    if not 1 <= batch:
        raise ValueError(f"fit: batch_size must be >= 1 (or None for the full batch), got {batch_size!r}")
    loss_fn = losses.get(loss, "fit")
    if not (callable(getattr(optimizer, "step", None)) and callable(getattr(optimizer, "zero_grad", None))):
        raise TypeError(f"fit: optimizer must have step() and zero_grad(), such as SGD(model.parameters(), "
                        f"lr=0.1); got {type(optimizer).__name__}")
    if accuracy is not None:                                # None: decided from the loss and the targets
        accuracy = flag(accuracy, "fit", "accuracy (or None to decide from the loss)")
    if callback is not None and not callable(callback):
        raise TypeError(f"fit: callback must be a function (epoch, history) -> None or True to stop; got "
                        f"{type(callback).__name__}")
    if tol is not None:
        tol = checks.real(tol, "fit", "tol", low=0.0)
    if patience is not None:
        patience = checks.whole(patience, "fit", "patience")
        if validation is None:
            raise ValueError("fit: patience (early stopping) watches the validation loss; give "
                             "validation=(X_val, y_val) too")
    if validation is not None:
        if not (isinstance(validation, tuple | list) and len(validation) == 2):
            raise TypeError("fit: validation must be a pair (X_val, y_val) of arrays, one row per sample; got "
                            f"{type(validation).__name__}")
        X_val = _inputs(validation[0], "fit (validation)", dtype)
        Y_val = _targets(validation[1], X_val, "fit (validation)")
        if X_val.shape[1:] != X.shape[1:]:
            raise ValueError(f"fit: validation rows have shape {X_val.shape[1:]} but training rows {X.shape[1:]}")
        # checked before the first step: a NaN validation loss never improves, so patience would run out and the
        # run end like ordinary early stopping, with nothing restored
        if not (np.isfinite(X_val).all() and (Y_val.dtype.kind != "f" or np.isfinite(Y_val).all())):
            raise ValueError("fit: the validation X or Y contains NaN or inf, which would make every validation "
                             "loss NaN; clean the validation data first")
    held = {id(p) for p in getattr(optimizer, "params", ())}
    if held and not any(id(p) in held for p in model.parameters()):
        raise ValueError(
            f"fit: the optimizer holds none of this {type(model).__name__}'s parameters (was it built for another "
            "model?); build it for this one: SGD(model.parameters(), lr=...)"
        )
    shuffle, replacement = flag(shuffle, "fit", "shuffle"), flag(replacement, "fit", "replacement")
    restore_best, progress = flag(restore_best, "fit", "restore_best"), flag(progress, "fit", "progress")
    compile = flag(compile, "fit", "compile")
    if not replacement:                                     # with replacement, batch_size draws even beyond N
        batch = min(batch, n)                               # without: larger than N is one batch of all the samples
    else:
        _refuse_huge_batch(batch, X, Y)
    # the steps record their graph also when fit is called inside no_grad() (as LBFGS's closure and compile's trace
    # do): there the loss had no graph, and the first backward() raised an error that did not name fit
    with recording():
        compiled = CompiledFit(model, loss_fn, optimizer, X, Y) if compile else None   # refuses what it cannot trace
    rule, val_rule, judged = None, None, False
    rng = rng_from(seed, "fit")
    steps = -(-n // batch)

    history = History(val_loss=None if validation is None else [],
                      val_accuracy=None)
    best, best_weights, waited, ended = np.inf, None, 0, False
    zero_grad, step = optimizer.zero_grad, optimizer.step
    evaluates_again = isinstance(optimizer, LBFGS)
    start = time.perf_counter()
    bar = _Progress(epochs, progress)
    # dropout on while training, whichever mode the model came in (and leaves) in; the bar closed also after an error
    with recording(), _mode(model, True), bar, _history_on_error(history):
        for epoch in range(int(epochs)):
            if replacement:
                batches = rng.integers(0, n, size=(steps, batch))      # the same draws as one call per step
            else:
                order = rng.permutation(n) if shuffle else np.arange(n)
                batches = [order[i:i + batch] for i in range(0, n, batch)]
            total, outs = 0.0, []
            if compiled is not None:                                # plain floats; the model's weights after it
                compiled.still_plain(optimizer)                     # a callback may have changed the optimizer
                try:
                    total, out = compiled.epoch(batches.tolist() if replacement else [b.tolist() for b in batches],
                                                optimizer.lr, batch == 1)
                except NonFiniteLoss as e:
                    raise _diverged(model, epoch, e.batch, e.value) from None
                outs.append(out)
            elif evaluates_again:                                   # L-BFGS: step(closure), several evaluations
                for b, idx in enumerate(batches):
                    out, value = _closure_step(model, X[idx], Y[idx], loss_fn, optimizer, scalar, epoch, b)
                    total += value * len(idx)
                    outs.append(out.data if not scalar else _numbers(out))
            else:
                for b, idx in enumerate(batches):                   # the loop kept bare: per-sample SGD lives here
                    out = _forward(model, X[idx], scalar)
                    L = loss_fn(out, Y[idx])
                    value = float(L.data)
                    if not -_INF < value < _INF:                    # NaN or inf: no step from it
                        raise _diverged(model, epoch, b, value)
                    zero_grad()
                    L.backward()
                    step()
                    total += value * len(idx)
                    outs.append(out.data if not scalar else _numbers(out))
            if not judged:                                          # decided once, from the first epoch's outputs
                # how outputs become classes, from the loss, the targets and the output's activation; remembered
                # on the model (also with accuracy=False), so that predict reads them as this run's accuracy did
                n_out, activation = _width(outs[0]), _activation_of(model, out)
                decision, judged = _decision(loss_fn, Y, n_out, activation), True
                model._threshold = None if decision is None or decision.argmax else decision.at
                if accuracy is not False and decision is not None:
                    rule = decision.right
                    if validation is not None:
                        # the validation targets are judged by their own form (labels, one-hot or 0/1 rows), as
                        # evaluate() judges them: the training rule would compare (N, K) outputs with (N,) labels;
                        # their outputs are read at the training's threshold, as predict and evaluate read them
                        checked = _decision(loss_fn, Y_val, n_out, activation, model._threshold)
                        val_rule = None if checked is None else checked.right
                if rule is None and accuracy:
                    raise ValueError("fit: accuracy=True but the targets do not look like classes")
            seen = sum(len(i) for i in batches)
            history.train_loss.append(total / seen)
            if rule is not None:
                rows = np.concatenate(list(batches)) if not replacement else batches.ravel()
                right = rule(np.concatenate([o.reshape(len(o), -1) for o in outs]), Y[rows])
                if history.train_accuracy is None:
                    history.train_accuracy = []
                history.train_accuracy.append(right / seen)
            if validation is not None:
                figures = _measure(model, X_val, Y_val, loss_fn, val_rule, scalar)
                history.val_loss.append(figures["loss"])
                if figures["accuracy"] is not None:
                    if history.val_accuracy is None:
                        history.val_accuracy = []
                    history.val_accuracy.append(figures["accuracy"])
                if figures["loss"] < best:
                    best, history.best_epoch, waited = figures["loss"], epoch, 0
                    if patience is not None and restore_best:
                        # by name, frozen weights included: a callback may freeze or unfreeze one, and parameters()
                        # would then list other weights at the end than here (zipped, each got another's array)
                        best_weights = model.state_dict()
                else:
                    waited += 1
            history.time.append(time.perf_counter() - start)
            bar.update(epoch, history)
            stop = False
            if callback is not None:
                said = callback(epoch, history)
                if said is not None and not isinstance(said, bool | np.bool_):
                    raise _callback_said(said, epoch)
                stop = bool(said)
            if patience is not None and waited >= patience:
                stop = True
            # converged: the lecture's loop runs while |change| > eps, so a change of at most tol stops it
            if tol is not None and len(history.train_loss) > 1 \
                    and abs(history.train_loss[-1] - history.train_loss[-2]) <= tol:
                stop = True
            if stop:
                ended = True
                if epoch + 1 < epochs:
                    history.stopped_epoch = epoch
                break
    # a stop (patience, a callback, tol) restores the best weights even on the last epoch, where stopped_epoch
    # stays None (the run was not cut short): else epochs=3 and epochs=4 would leave different weights after the
    # same run
    if ended and best_weights is not None:
        # back to the epoch of the lowest validation loss, each weight by its name; counted as changed in place, so
        # a graph of the last weights refuses backward()
        model.load_state_dict(best_weights, source="fit's copy of the best epoch's weights")
    return history


def _refuse_huge_batch(batch: int, X: np.ndarray, Y: np.ndarray) -> None:
    """Refuse a batch drawn with replacement whose rows of X and Y would pass ``MAX_BYTES`` (2 GiB): it draws
    ``batch_size`` rows even beyond N, and ``batch_size=10**8`` on ten samples spent 16 s drawing and gathering
    its rows before a MemoryError at 2.3 GB (in a 4 GB limit; the forward pass needs as much again per layer)."""
    row = X[:1].nbytes + Y[:1].nbytes
    if batch * row > MAX_BYTES:
        raise ValueError(f"fit: a batch of batch_size={checks.shown(batch)} rows of {row} bytes (X and Y) would take "
                         f"{human(batch * row)}, more than {human(MAX_BYTES)}; a batch holds at most "
                         f"{MAX_BYTES // row:,} of these rows. Take a smaller batch_size (with replacement=True it "
                         f"draws that many rows however few samples there are: here {len(X):,})")


@contextmanager
def _history_on_error(history: History) -> Iterator[None]:
    """Whatever ends the run (Ctrl-C, an error in the loss or a callback) carries the figures of the epochs that
    finished in its ``.history``, every list of the same length: an interrupt during an epoch's bookkeeping (its
    validation, say) would otherwise leave a train_loss one entry longer than val_loss. The model stays where the
    last step left it; restore_best is for runs that stop, not for runs that break."""
    try:
        yield
    except BaseException as error:
        done = len(history.time)                              # time is the last figure an epoch records
        for figures in (history.train_loss, history.train_accuracy, history.val_loss, history.val_accuracy):
            if figures is not None:
                del figures[done:]
        if history.best_epoch is not None and history.best_epoch >= done:
            # noted before the epoch's end, whose figures were just cut: the best of those kept, as fit picks it
            # (the first lowest validation loss; NaN is never the best)
            history.best_epoch, lowest = None, _INF
            for epoch, value in enumerate(history.val_loss or []):
                if value < lowest:
                    history.best_epoch, lowest = epoch, value
        if getattr(error, "history", None) is None:
            error.history = history  # type: ignore[attr-defined]
        raise


def _closure_step(model: Module, x: Any, y: Any, loss_fn: Callable, optimizer: LBFGS, scalar: bool, epoch: int,
                  b: int) -> tuple[Any, float]:
    """One batch for an optimizer that evaluates the loss several times a step (``LBFGS.step(closure)``, as a
    PyTorch loop calls it). Returns the outputs and loss of the first evaluation, at the weights the step began
    from, as the other optimizers' batches report them; a first loss that is NaN or inf stops before any move."""
    first: list = []

    def closure() -> Any:
        optimizer.zero_grad()
        out = _forward(model, x, scalar)
        L = loss_fn(out, y)
        if not first:
            value = float(L.data)
            if not -_INF < value < _INF:
                raise _diverged(model, epoch, b, value)
            first.append((out, value))
        L.backward()
        return L

    optimizer.step(closure)
    return first[0]


def _diverged(model: Module, epoch: int, batch: int, value: float) -> FloatingPointError:
    """The error that ends a run whose loss stopped being a number (``_history_on_error`` gives it the figures of
    the epochs before it)."""
    finite = all(np.all(np.isfinite(p.data)) for p in model.parameters())
    weights = ("the model keeps the weights of the step before it" if finite else
               "the model's weights already hold NaN or inf (a gradient of an earlier step was not finite)")
    error = FloatingPointError(
        f"fit: the training loss is {value} at epoch {epoch}, batch {batch}: training stopped before that step, "
        f"and {weights}; the figures of the {epoch} epoch(s) before are in this error's .history. Lower the "
        "learning rate, scale the inputs, or run the step inside autograd.detect_anomaly() to find the op that "
        "made it"
    )
    return error


def _callback_said(said: Any, epoch: int) -> TypeError:
    """The error for a callback that returned something other than None, True or False: a string such as
    "continue" is truthy and would have stopped the run, 0.0 or [] would have let it go on."""
    error = TypeError(
        f"fit: the callback returned {said!r} ({type(said).__name__}) after epoch {epoch}; return True to stop the "
        "run, or None or False to go on (bool(...) of a number or a one-number Tensor if that is what you mean); "
        "the figures so far are in this error's .history"
    )
    return error


def _width(out: np.ndarray) -> int:
    return int(np.prod(out.shape[1:])) if out.ndim > 1 else 1


def _activation_of(model: Module, out: Any) -> str:
    """The activation of the output node ``out`` (``_output_activation``); a compiled epoch gives numbers only,
    and its model, an ``nn.MLP`` or ``nn.scalar.MLP``, says it."""
    if isinstance(out, np.ndarray):
        return model.output_activation
    return _output_activation(out)


def _float(L: Any) -> float:
    return float(L.data) if isinstance(L, Tensor | Value) else float(L)


def _measure(model: Module, X: np.ndarray, Y: np.ndarray, loss_fn: Any, rule: Any, scalar: bool,
             who: str = "fit (validation)", refuse_nan: bool = False) -> dict:
    """The loss and the accuracy on (X, Y), no graph; the loss sees the model's output nodes, the accuracy the
    numbers. A sigmoid or softmax output's loss is computed as training computes it, from the node's input z:
    under no_grad the node keeps no parent, and the loss would read the probabilities, each log's argument kept at
    1e-12 or above (a confidently wrong sample would cost 27.6 for the 40 it costs in training), so its forward
    pass records the graph, dropped once the loss is read."""
    reads_z = ("sigmoid", "softmax")
    graph = loss_fn is not None and getattr(model, "output_activation", None) in reads_z   # known before the pass
    with _mode(model, False):                                  # dropout off: the model as it will be used
        with recording() if graph else no_grad():
            out = _forward(model, X, scalar)
        if loss_fn is not None and not graph and _output_activation(out) in reads_z:   # a Module of one's own
            graph = True
            with recording():
                out = _forward(model, X, scalar)
        numbers = _per_row(out, len(X), model, who)
        if refuse_nan:
            _refuse_nan(model, numbers, who, "outputs")
        value = None
        if loss_fn is not None:
            with recording() if graph else no_grad():
                value = _float(loss_fn(out, Y))
    return {"loss": value, "accuracy": None if rule is None else rule(numbers, Y) / len(Y)}


def _per_row(out: Any, n: int, model: Module, who: str) -> np.ndarray:
    """The outputs as an array (N, K), or a ValueError when the model did not give one row per sample: a forward
    that averages or transposes the rows gave 1 class for 5 rows, and an accuracy that compared it with all of
    their labels by broadcasting."""
    shape = out.data.shape if isinstance(out, Tensor) else (len(out),)     # the scalar engine runs row by row
    if len(shape) == 0 or shape[0] != n:
        rows = f"{n} row{'s' if n != 1 else ''}"
        raise ValueError(f"{who}: the {type(model).__name__} gave outputs of shape {shape} for {rows} of X; "
                         "a model must give one output row per sample, shape (N, K): does its forward sum or "
                         "average over the rows (axis 0), or transpose them?")
    return _numbers(out)


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

    @staticmethod
    def figures(history: History) -> str:
        text = f"loss {history.train_loss[-1]:.4g}"
        text += f" acc {history.train_accuracy[-1]:.3f}" if history.train_accuracy else ""
        text += f" val_loss {history.val_loss[-1]:.4g}" if history.val_loss else ""
        text += f" val_acc {history.val_accuracy[-1]:.3f}" if history.val_accuracy else ""
        return text

    def update(self, epoch: int, history: History) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_postfix_str(self.figures(history), refresh=False)
            self.bar.update(1)
        elif time.perf_counter() - self.start > _SHOW_AFTER:
            tenth = (10 * (epoch + 1)) // max(self.epochs, 1)
            if tenth != self.last_print:
                self.last_print = tenth
                print(f"fit: epoch {epoch + 1}/{self.epochs} {self.figures(history)}", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *error: object) -> None:
        self.close()


def outputs(model: Module, X: Any) -> np.ndarray:
    """The model's outputs for the rows of X as a numpy array of shape (N, K), computed without a graph: the
    scores, logits or regression values themselves (``predict`` turns them into classes).

    >>> from nn import MLP
    >>> outputs(MLP([2, 3, 2], seed=0), np.zeros((5, 2))).shape
    (5, 2)
    """
    return _outputs(model, X, "outputs")


def _outputs(model: Module, X: Any, who: str) -> np.ndarray:
    return _outputs_and_activation(model, X, who)[0]


def _outputs_and_activation(model: Module, X: Any, who: str) -> tuple[np.ndarray, str]:
    """The outputs (N, K) and the activation that made them (``_output_activation``)."""
    scalar = _is_scalar(model, who)
    X = _inputs(X, who, _dtype(model))
    with no_grad(), _mode(model, False):                       # dropout off: the same outputs on every call
        out = _forward(model, X, scalar)
        return _per_row(out, len(X), model, who), _output_activation(out)


def _output_activation(out: Any) -> str:
    """The activation of the output node, read from its op (recorded also under no_grad): 'softmax', 'sigmoid',
    another of the table's ('tanh', 'relu', ...), or 'identity' for anything else (logits or scores: a linear layer,
    a sum). The node, not the model's ``output_activation``, so that a Module of one's own whose forward ends in
    ``softmax()`` is not taken for logits and put through the softmax again."""
    if isinstance(out, Tensor):
        ops = {out.op}
    else:
        ops = {v.op for o in out for v in (o if isinstance(o, list) else [o])}
    if len(ops) != 1:
        return "identity"
    op = str(ops.pop() or "").rsplit("+", 1)[-1]              # linear+sigmoid: a fused layer's activation
    if op in ("softmax", "sigmoid"):
        return op
    try:
        return activations.get(op).name
    except ValueError:
        return "identity"


def predict(model: Module, X: Any, threshold: float | None = None) -> np.ndarray:
    """The class of each row of X, an integer array of shape (N,) (scikit-learn's ``predict``): the argmax over
    K >= 2 outputs (softmax, logits or Nielsen's ten sigmoids alike); for one output, 1 where it exceeds the
    threshold ``fit``'s accuracy used (``_output_threshold``): 1/2 for a sigmoid; for another output, what fit
    decided from the loss and targets it trained this model with (0 for a logit or a -1/+1 score, 1/2 for an
    output trained towards 0/1 with ``mse``); for a model fit never trained, 0. ``threshold=`` says it yourself.
    For the outputs themselves (regression) use ``outputs``. A row whose outputs are NaN has no class: ValueError,
    naming the rows (argmax would have called it class 0).

    >>> from nn import MLP
    >>> predict(MLP([2, 3, 4], seed=0), np.zeros((5, 2))).shape
    (5,)
    """
    out, act = _outputs_and_activation(model, X, "predict")
    _refuse_nan(model, out, "predict", "outputs")
    return _reading(model, out, act, threshold, "predict").classes(out)


def _refuse_nan(model: Module, values: np.ndarray, who: str, what: str) -> None:
    """A ValueError naming the rows of ``values`` (N, K) that hold NaN, and where the NaN came from: a NaN output
    has no class (argmax would call it class 0) and no probability."""
    bad = np.flatnonzero(np.isnan(values).any(axis=1))
    if not len(bad):
        return
    rows = ", ".join(map(str, bad[:6])) + (", ..." if len(bad) > 6 else "")
    finite = all(np.all(np.isfinite(p.data)) for p in model.parameters())
    cause = ("those rows of X hold NaN or inf, or the network overflowed on them (inf - inf, 0 * inf; "
             "infinite logits have no softmax); keep the finite rows, X[np.isfinite(X).all(axis=1)], or scale X"
             if finite else
             f"the {type(model).__name__}'s weights hold NaN or inf (did a training step diverge?); train it again "
             "or load weights saved before")
    plural = "s" if len(bad) > 1 else ""
    raise ValueError(f"{who}: the {what} of {len(bad)} of the {len(values)} rows are NaN (row{plural} {rows}), "
                     f"which is no class: {cause}")


def _reading(model: Module, out: np.ndarray, act: str, threshold: Any, who: str) -> _Decision:
    """How ``predict`` and ``predict_proba`` read ``model``'s outputs ``out`` (N, K) as classes."""
    if threshold is not None:
        threshold = checks.real(threshold, who, "threshold")
        if out.shape[1] != 1:
            raise ValueError(f"{who}: threshold is for a model with one output; this {type(model).__name__} has "
                             f"{out.shape[1]}, whose class is the argmax. Leave threshold out")
    if out.shape[1] >= 2:
        return _Decision(argmax=True)
    return _Decision(argmax=False, at=_output_threshold(act, recorded=_recorded(model)) if threshold is None
                     else threshold)


def predict_proba(model: Module, X: Any) -> np.ndarray:
    """The class probabilities of each row of X, shape (N, K) (scikit-learn's ``predict_proba``; columns are
    the classes 0..K-1): a softmax output as it is; logits (identity output) through the softmax; K >= 2 sigmoid
    outputs as they are (one probability per class, one-vs-rest: a row need not sum to 1); one output as the two
    columns [1 - p, p], p a sigmoid output, or an identity output read as ``predict`` reads it: a logit z as
    [sigma(-z), sigma(z)] (1 - sigma(z) would round to 0 for z > 37), an output that ``fit`` trained towards 0/1
    (read at 1/2) clipped to [0, 1]. The activation is
    read from the output node, so a Module of one's own whose forward ends in ``softmax()`` or ``sigmoid()``
    counts as such. The column of the largest probability is ``predict``'s class; a row of NaN probabilities
    (NaN in X or the weights, infinite logits) raises ValueError, as ``predict`` does.

    >>> from nn import MLP
    >>> p = predict_proba(MLP([2, 3, 4], output_activation="softmax", seed=0), np.zeros((5, 2)))
    >>> p.shape, bool(np.allclose(p.sum(axis=1), 1.0))
    ((5, 4), True)
    """
    out, act = _outputs_and_activation(model, X, "predict_proba")
    if act not in ("softmax", "sigmoid", "identity"):
        raise ValueError(f"predict_proba: the {type(model).__name__}'s outputs go through {act!r}, which does not "
                         "give probabilities; use output_activation='softmax', 'sigmoid' or 'identity' (logits)")
    if act == "identity":
        if out.shape[1] >= 2:
            with np.errstate(invalid="ignore"):               # inf - inf: a NaN that _refuse_nan names below
                z = out - out.max(axis=1, keepdims=True)      # softmax, with every exponent <= 0
            e = np.exp(z)
            out = e / e.sum(axis=1, keepdims=True)
        elif _recorded(model) == 0.5:       # fit trained it towards 0/1 (mse): the output estimates P(class 1)
            out = np.clip(out, 0.0, 1.0)
        else:
            # sigma(-z) for class 0, not 1 - sigma(z): that rounds to 0 once sigma(z) rounds to 1 (z > 37), and
            # log(p) came out -inf where it is about -z
            sigmoid = activations.get("sigmoid").f
            out = np.column_stack([sigmoid(-out[:, 0]), sigmoid(out[:, 0])])
    if out.shape[1] == 1:
        out = np.column_stack([1.0 - out[:, 0], out[:, 0]])
    _refuse_nan(model, out, "predict_proba", "probabilities")
    return out


def evaluate(model: Module, X: Any, Y: Any, loss: Any = None) -> dict[str, float | None]:
    """The loss (when ``loss`` is given) and the accuracy (for classification targets) on the rows of X,
    computed without a graph: ``{"loss": ..., "accuracy": ...}``. The loss of a sigmoid or softmax output is
    computed from its input z, as in training (one more forward pass, whose graph is dropped at once). A row whose
    outputs are NaN has no class and no loss, and a target that is NaN or inf is none: either raises ValueError,
    naming the row, as ``fit`` refuses such data.

    >>> from nn import MLP
    >>> from nn.data import boolean
    >>> X, y = boolean("and")
    >>> sorted(evaluate(MLP([2, 1], seed=0), X, y, "binary_cross_entropy"))
    ['accuracy', 'loss']
    """
    scalar = _is_scalar(model, "evaluate")
    X = _inputs(X, "evaluate", _dtype(model))
    Y = _targets(Y, X, "evaluate")
    if Y.dtype.kind == "f" and not np.isfinite(Y).all():
        # fit refuses such targets; here a NaN label made them look like no classes, and the accuracy None
        row = int(np.flatnonzero(~np.isfinite(Y.reshape(len(Y), -1)).all(axis=1))[0])
        raise ValueError(f"evaluate: Y contains NaN or inf (row {row}: {Y[row]}), which is no target; keep the "
                         "finite rows, e.g. keep = np.isfinite(Y).reshape(len(Y), -1).all(axis=1)")
    loss_fn = None if loss is None else losses.get(loss, "evaluate")
    probe, activation = _outputs_and_activation(model, X[:1], "evaluate")
    decision = _decision(loss_fn, Y, probe.shape[1], activation, _recorded(model))
    return _measure(model, X, Y, loss_fn, None if decision is None else decision.right, scalar, "evaluate",
                    refuse_nan=True)


def _recorded(model: Module) -> float | None:
    """The output threshold ``fit`` decided for this model (None if fit never trained it, or read it by argmax)."""
    return getattr(model, "_threshold", None)
