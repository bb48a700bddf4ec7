"""The perceptron family of Dehaqani's notes and the MIPT lecture, numpy only: learning rules for threshold units,
no gradient needed.

Every rule takes inputs X (N, n) and labels, and works on x extended by a constant 1, so that the bias (minus
the threshold) is the last weight: z = W . (x, 1). Labels are -1 / +1 (``t``) except where a note uses 0 / 1.

    sign_perceptron    Dehaqani's notes, "a simple method": output sign(W . x); on a mistake W <- W + x (class +1)
                       or W <- W - x (class -1)
    batch_perceptron   the MIPT lecture, the perceptron rule: theta <- theta + alpha sum_{n in M} t_n x_n, M the
                       misclassified samples, the whole batch at once
    madaline           Dehaqani's notes, MADALINE: ADALINEs (1 if z >= 0) under a fixed OR; on an error flip the unit
                       whose z is nearest 0 if that lowers the error, then the ADALINE rule on it

The step at zero. Dehaqani's notes and the MIPT lecture fire only for z > 0 (the MIPT lecture's Heaviside leaves
z = 0 undefined) and the sign of 0 is neither class. So here a sample with z exactly 0 is a mistake, whatever its
label: it lies on the line. After a rule has converged every training point is strictly on its own side, never on
the learned line.
Dehaqani's ADALINE (and so MADALINE's units) outputs 1 for z >= 0; ``madaline`` keeps that convention.
A sample holding NaN or inf, on no side of any line, is refused by every rule (and by a trained MADALINE), and so is
a weighted sum that overflows float64: each would have been passed over as if it were on its right side.

>>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
>>> r = sign_perceptron(X, np.array([-1, -1, -1, 1]))              # AND, coded -1 / +1
>>> r.converged, bool(np.all(np.abs(np.column_stack([X, np.ones(4)]) @ r.W) > 0))   # no point on the line
(True, True)
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from . import checks


class Learned(NamedTuple):
    """What a rule returns: W = (w_1, ..., w_n, b), the mistakes in each epoch (or step), and whether the last had
    none."""

    W: np.ndarray
    mistakes: list
    converged: bool

    @property
    def w(self) -> np.ndarray:
        return self.W[:-1]

    @property
    def b(self) -> float:
        return float(self.W[-1])


# A rule keeps the mistakes of every epoch (or step) and stops early only where the classes are separable: on XOR
# an epoch of four samples takes about 50 us, so epochs=10**12 ran for years, its list growing all the while.
# 10**7 epochs of four samples take about eight minutes. fit has the same bound (nn.checks).
MAX_EPOCHS = checks.MAX_EPOCHS


def _epochs(n: Any, who: str, name: str) -> int:
    """A number of epochs (or steps) of a rule: a whole number in [0, MAX_EPOCHS]."""
    n = checks.whole(n, who, name, minimum=0)
    if n > MAX_EPOCHS:
        raise ValueError(f"{who}: {name} must be at most {MAX_EPOCHS:,}, got {checks.shown(n)}: the rule keeps each "
                         f"one's mistakes and ends early only on separable classes (on XOR, never); {MAX_EPOCHS:,} "
                         "epochs of four samples take about eight minutes")
    return n


def with_one(X: Any, who: str = "with_one") -> np.ndarray:
    """x extended by a constant 1 (the bias is the weight on it): rows (x_1, ..., x_n, 1)."""
    X = checks.array(X, f"perceptrons.{who}", "X", finite=False, hint="; give a batch of rows, shape (N, n)")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"perceptrons.{who}: X must be a non-empty batch of rows (N, n), got shape {X.shape}")
    return np.column_stack([X, np.ones(len(X))])


def _samples(X: Any, who: str) -> np.ndarray:
    """with_one(X) for a rule to learn from or a trained net to answer: a NaN or inf is refused, as a NaN sample is
    on no side of any line (every comparison with it is False: it never counted as a mistake)."""
    Xe = with_one(X, who)
    bad = ~np.isfinite(Xe)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValueError(f"{who}: X holds {int(bad.sum())} NaN or infinite value(s), the first at row {i}, column {j}; "
                         "such a sample lies on no side of a line: drop or replace it")
    return Xe


def _overflow(who: str, Xe: np.ndarray, what: str = "W . (x, 1)") -> ValueError:
    """The refusal of a weighted sum that overflowed float64: inf - inf is NaN, on no side of the line."""
    return ValueError(f"{who}: {what} overflowed float64 (beyond 1.8e308) on inputs as large as "
                      f"{float(np.max(np.abs(Xe))):.3g}: scale the inputs down (the classes keep their sides)")


def _start(W0: Any, shape: tuple, who: str, name: str) -> np.ndarray:
    W = checks.array(W0, who, name)
    if W.shape != shape:
        raise ValueError(f"{who}: {name} must have shape {shape} (one weight per input and the bias), "
                         f"got {W.shape}")
    return W.copy()


def _labels(t: Any, N: int, who: str) -> np.ndarray:
    t = checks.array(t, who, "t", finite=False, hint="; give one label -1 or +1 per row of X")
    shape = t.shape
    if t.ndim == 2 and t.shape[1] == 1:                  # a column of labels, as backprop's Y
        t = t[:, 0]
    if t.shape != (N,) or not np.all(np.isin(t, (-1.0, 1.0))):   # (2, 2) labels for 4 rows are no labelling
        raise ValueError(f"{who}: labels must be -1 or +1, one per row of X ({N}), shape ({N},) or ({N}, 1); got "
                         f"{np.unique(t).tolist()[:6]} of shape {shape}; for 0/1 labels pass 2 * d - 1")
    return t


def _weighted(Xe: np.ndarray, W: np.ndarray, who: str) -> np.ndarray:
    """Xe @ W.T, each sample's z = W . (x, 1) (one column per row of W), refused when it overflowed: inf - inf is
    NaN, and NaN >= 0 is False, so an answer from it would be the class -1 by accident."""
    if W.shape[-1] != Xe.shape[1]:
        raise ValueError(f"{who}: X has {Xe.shape[1] - 1} feature(s) per row but the weights {W.shape} were learned "
                         f"on {W.shape[-1] - 1}; give rows of shape (N, {W.shape[-1] - 1})")
    with np.errstate(over="ignore", invalid="ignore"):         # refused just below, by name
        z = Xe @ W.T
    if not np.isfinite(z).all():
        raise _overflow(who, Xe)
    return z


def sign_output(W: np.ndarray, X: Any) -> np.ndarray:
    """sign(W . (x, 1)): +1 on W's side, -1 on the other, 0 on the line itself (neither class). A sample holding NaN
    or inf is refused, as by the rules.

    >>> sign_output(np.array([1.0, 1.0, -1.5]), [[1.0, 1.0], [1.0, 0.0], [1.0, 0.5]]).tolist()
    [1.0, -1.0, 0.0]
    """
    Xe = _samples(X, "sign_output")
    return np.sign(_weighted(Xe, _start(W, (Xe.shape[1],), "sign_output", "W"), "sign_output"))


def sign_perceptron(X: Any, t: Any, epochs: int = 100, W0: Any = None) -> Learned:
    """Dehaqani's perceptron algorithm with labels t = -1 / +1, one sample at a time, from W0 (default 0): when
    sign(W . x) is not t (a sample on the line counts as wrong), W <- W + t x. Stops after an epoch without a
    mistake; converges for linearly separable classes. At most ``MAX_EPOCHS`` = 10**7 epochs."""
    Xe = _samples(X, "sign_perceptron")
    t = _labels(t, len(Xe), "sign_perceptron")
    epochs = _epochs(epochs, "sign_perceptron", "epochs")
    W = np.zeros(Xe.shape[1]) if W0 is None else _start(W0, (Xe.shape[1],), "sign_perceptron", "W0")
    mistakes = []
    # one errstate around the loop, not one a sample (it cost more than the sample's product): an overflow in
    # z = W . x is refused just below, by name, and an infinite W gives an infinite or NaN z at the next sample
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            wrong = 0
            for x, label in zip(Xe, t):
                z = W @ x                                # z = W . (x, 1)
                if not math.isfinite(z):
                    raise _overflow("sign_perceptron", Xe)
                if label * z <= 0:                       # wrong side, or on the line
                    W = W + label * x                    # W <- W + x (class +1), W <- W - x (class -1)
                    wrong += 1
            mistakes.append(wrong)
            if wrong == 0:
                break
    return Learned(W, mistakes, bool(mistakes and mistakes[-1] == 0))


def batch_perceptron(X: Any, t: Any, alpha: float = 1.0, steps: int = 1000, theta0: Any = None) -> Learned:
    """The MIPT lecture's perceptron rule, the whole batch at once: theta^(i) = theta^(i-1) + alpha sum_{n in M}
    t_n x_n, where M holds the misclassified samples (t_n theta . x_n <= 0: the Heaviside output is 1 for z > 0, 0
    for z < 0, and neither on the line). Stops when M is empty; ``mistakes`` counts |M| at each step. The step
    ``alpha`` must be > 0, and ``steps`` at most ``MAX_EPOCHS`` = 10**7. The MIPT lecture names its classes the
    other way round (class 0 where theta . x > 0, class 1 where it is < 0); here t = +1 is always the side
    theta . x > 0, as in Dehaqani's notes."""
    Xe = _samples(X, "batch_perceptron")
    t = _labels(t, len(Xe), "batch_perceptron")
    alpha = checks.real(alpha, "batch_perceptron", "alpha", low=0.0, low_open=True)   # a step towards M
    steps = _epochs(steps, "batch_perceptron", "steps")
    theta = np.zeros(Xe.shape[1]) if theta0 is None else _start(theta0, (Xe.shape[1],), "batch_perceptron", "theta0")
    mistakes = []
    # one errstate around the loop, not two a step: an overflow in z is refused just below, by name, and an
    # infinite theta by the next z, or after the last step below
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            z = Xe @ theta                               # z_n = theta . x_n
            if not np.isfinite(z).all():
                raise _overflow("batch_perceptron", Xe)
            M = t * z <= 0                               # the misclassified samples
            mistakes.append(int(M.sum()))
            if not M.any():
                break
            theta = theta + alpha * (t[M] @ Xe[M])       # theta <- theta + alpha sum_{n in M} t_n x_n
    if not np.isfinite(theta).all():                     # after the last step no z looks at theta again
        raise ValueError(f"batch_perceptron: theta overflowed float64 (beyond 1.8e308) in an update, theta = "
                         f"{theta.tolist()}: take a smaller alpha than {alpha!r} or scale the inputs down")
    return Learned(theta, mistakes, bool(mistakes and mistakes[-1] == 0))


# --- MADALINE: ADALINEs under a fixed OR, trained by minimal disturbance ---------------------------------------
ADALINE_STEPS = 1000     # steps of the ADALINE rule allowed to move one unit to its flipped output


class Madaline(NamedTuple):
    """A trained MADALINE: the hidden ADALINEs' weights (one row (w, b) per unit) and the mistakes per epoch."""

    W: np.ndarray
    mistakes: list
    converged: bool

    def hidden(self, X: Any) -> np.ndarray:
        """Each ADALINE's output: +1 where z = W_j . (x, 1) >= 0, else -1 (Dehaqani's ADALINE convention)."""
        W = checks.array(self.W, "Madaline", "W", ndim=2,   # one row: (N, 3) @ (3,) summed all N into one answer
                         hint="; one row (w, b) per ADALINE, shape (n_hidden, n + 1): for one unit give [W]")
        return np.where(_weighted(_samples(X, "Madaline"), W, "Madaline") >= 0, 1, -1)

    def __call__(self, X: Any) -> np.ndarray:
        return _or(self.hidden(X))


def _or(h: np.ndarray) -> np.ndarray:
    """The fixed output unit: +1 when any hidden unit says +1 (z_out = sum_j h_j + (n - 1) >= 0), else -1."""
    return np.where(h.sum(axis=-1) + (h.shape[-1] - 1) >= 0, 1, -1)


def _or_error(h: np.ndarray, d: float) -> float:
    """The output unit's squared error before its threshold, (d - z_out)^2: what a trial flip must lower."""
    return float((d - (h.sum() + (len(h) - 1))) ** 2)


def madaline(X: Any, t: Any, n_hidden: int = 2, eta: float = 0.5, epochs: int = 200, seed: Any = 0,
             W0: Any = None) -> Madaline:
    """Dehaqani's MADALINE training on labels t = -1 / +1, with n_hidden ADALINEs feeding a fixed OR unit.

    For each sample, only on an error: take the hidden units in order of |z_j| (nearest 0 first); flip a unit's
    output on trial and recompute the output; if the error (d - z_out)^2 of the output unit drops, keep the flip:
    the flipped value becomes that unit's desired output and the ADALINE rule w_j <- w_j + eta (d_j - z_j) x moves
    it there (repeated until its output is d_j). Stop at the first flip that makes the output right.
    Starting weights ``W0`` (n_hidden, n + 1), else small normal numbers from ``seed``. At most ``MAX_EPOCHS`` =
    10**7 epochs.

    One step of that rule takes z_j to z_j + eta ||x||^2 (d_j - z_j), x = (x_1, ..., x_n, 1): it comes nearer d_j
    only when 0 < eta ||x||^2 < 2, else it overshoots and the weights grow without bound. So ``eta`` must be below
    2 / max ||(x, 1)||^2 over the samples (0.5 on {0, 1}^2, where the largest is 3); a larger one is refused.
    """
    Xe = _samples(X, "madaline")
    t = _labels(t, len(Xe), "madaline")
    n_hidden = checks.whole(n_hidden, "madaline", "n_hidden")
    if n_hidden > 10_000:
        raise ValueError(f"madaline: n_hidden must be at most 10000 ADALINEs, got {n_hidden}")
    eta = checks.real(eta, "madaline", "eta", low=0.0, low_open=True)
    with np.errstate(over="ignore"):                             # refused just below, by name
        largest = float(np.max(np.sum(Xe * Xe, axis=1)))       # max ||(x, 1)||^2
    if not math.isfinite(largest):
        raise _overflow("madaline", Xe, "||(x, 1)||^2")
    if eta * largest >= 2.0:                                     # z - d <- (1 - eta ||x||^2) (z - d) grows
        raise ValueError(f"madaline: eta = {eta!r} makes the ADALINE rule overshoot and diverge on these inputs: "
                         f"it needs eta < 2 / max ||(x, 1)||^2 = {2.0 / largest:.4g}; give a smaller eta or "
                         "scale the inputs")
    epochs = _epochs(epochs, "madaline", "epochs")
    rng = np.random.default_rng(checks.seed(seed, "madaline"))
    W = 0.5 * rng.standard_normal((n_hidden, Xe.shape[1])) if W0 is None else \
        _start(W0, (n_hidden, Xe.shape[1]), "madaline", "W0")
    mistakes = []
    # one errstate around the loop, not one a sample: an overflow in z = W x is refused just below, by name
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            wrong = 0
            for i in rng.permutation(len(Xe)):
                x, d = Xe[i], t[i]
                z = W @ x
                if not np.isfinite(z).all():
                    raise _overflow("madaline", Xe)
                h = np.where(z >= 0, 1, -1)
                if _or(h) == d:                              # update only on error
                    continue
                wrong += 1
                for j in np.argsort(np.abs(z)):              # the z nearest 0 first: the least disturbance
                    trial = h.copy()
                    trial[j] = -trial[j]
                    if _or_error(trial, d) >= _or_error(h, d):
                        continue                             # flipping this unit would not help
                    target = trial[j]                        # its desired output is now the flipped value
                    for _ in range(ADALINE_STEPS):           # the ADALINE rule until the unit gives it
                        zj = W[j] @ x
                        if (1 if zj >= 0 else -1) == target:
                            break
                        W[j] = W[j] + eta * (target - zj) * x    # w <- w + eta (d - z) x
                    else:                                    # the flip kept would be one the unit never made
                        raise ValueError(f"madaline: {ADALINE_STEPS} steps of the ADALINE rule with eta = {eta!r} did "
                                         f"not bring hidden unit {j} to its desired output {target:+d} on sample {i} "
                                         f"(z = {z[j]:.4g} at the start, {float(W[j] @ x):.4g} after): give a larger "
                                         f"eta (below {2.0 / largest:.4g}) or smaller starting weights")
                    h = trial
                    if _or(h) == d:
                        break
            mistakes.append(wrong)
            if wrong == 0:
                break
    return Madaline(W, mistakes, bool(mistakes and mistakes[-1] == 0))
