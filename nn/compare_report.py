"""What ``compare_gradients`` (``nn.compare``) returns: a ``Row`` per method and parameter against the manual
gradient, gathered in a ``Report`` that prints as a table and says in one sentence where to look first.

>>> import numpy as np
>>> from nn.compare import compare_gradients
>>> X, Y = np.array([[0.0, 1.0], [1.0, 0.5]]), np.array([[0.0], [1.0]])
>>> report = compare_gradients([(np.array([[0.5, -1.0]]), np.array([0.1]))], X, Y)
>>> report.verdict()
'OK: tensor, scalar, numerical, forward agree with manual.'
>>> [(r.method, r.name, r.ok) for r in report.rows[:2]]
[('tensor', 'W^[2]', True), ('tensor', 'b^[2]', True)]
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import numpy as np

Grads = list[tuple[np.ndarray, np.ndarray]]
METHODS = ("manual", "tensor", "scalar", "numerical", "forward")   # the order of the table; manual is the reference


def agreeing(diff: np.ndarray, g: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Which entries of a gradient agree with manual's ``g``, given their differences ``diff`` = |h - g|: within
    ``atol + rtol |g|``, and finite. An infinite manual entry makes that allowance infinite, and inf <= inf would
    call an overflowed entry a match (NaN fails the comparison by itself).

    >>> agreeing(np.array([1e-12, np.inf, np.nan]), np.array([1.0, np.inf, 1.0]), 1e-10, 1e-12).tolist()
    [True, False, False]
    """
    return np.isfinite(diff) & (diff <= atol + rtol * np.abs(g))


def _within(g: np.ndarray, h: np.ndarray, rtol: float, atol: float) -> bool:
    """Whether every entry of ``h`` agrees with manual's ``g`` (``agreeing``): without the finite test an
    overflowed layer matched any other one of its shape ("listed the layers in another order", "the transpose").

    >>> _within(np.array([1.0]), np.array([1.0 + 1e-12]), 1e-10, 1e-12), _within(np.array([np.inf]), np.ones(1), 0, 0)
    (True, False)
    """
    with np.errstate(invalid="ignore"):                 # inf - inf, 0 * inf: NaN, which is no match
        return bool(np.all(agreeing(np.abs(h - g), g, rtol, atol)))


@dataclass
class Row:
    """One method against the manual gradient, for one parameter (``W^[l]`` or ``b^[l]``) of one layer."""

    method: str
    layer: int              # HH19's l: weights[0] is layer 2
    parameter: str          # "W" or "b"
    max_abs: float          # max |g - g_manual|
    max_rel: float          # max |g - g_manual| / max(|g|, |g_manual|)
    index: tuple            # where to look: the largest difference among the entries that fail (else overall)
    ok: bool

    @property
    def name(self) -> str:
        return f"{self.parameter}^[{self.layer}]"


@dataclass
class Report:
    """What ``compare_gradients`` found: a row per method and parameter, the cost and time of each method.
    ``print(report)`` shows the table; ``report.ok`` is True when every method agrees with the manual one."""

    rows: list[Row]
    costs: dict[str, float]
    times: dict[str, float]
    gradients: dict[str, Grads] = field(repr=False)
    tolerances: dict[str, tuple[float, float]]
    kinks: list[tuple[int, int, int, float]] = field(default_factory=list)   # (l, sample, unit, z): relu at 0
    unresolved: tuple[int, int] = (0, 0)   # (entries, of all): manual entries numerical alone cannot resolve
    low_precision: list[str] = field(default_factory=list)    # parts of the manual result given in float32
    eps: float = 1e-6       # the step of the central differences
    zero: list[str] = field(default_factory=list)   # parameters whose gradient is 0 everywhere, in every method
    samples: int = 0        # how many samples a manual function of the caller's averaged over (0: not counted)
    # (method, parameter, its largest entry, the largest difference relative to it): every entry below the method's
    # atol, which passes them whatever they are, and manual beyond rtol of that largest entry (see compare_gradients)
    below_atol: list[tuple[str, str, float, float]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows) and not self.cost_mismatches()

    def failures(self) -> list[Row]:
        """The failing rows, output layer first: a wrong delta^[l] spoils every layer below it, so the failing
        layer with the highest number is where to look first."""
        order = {m: i for i, m in enumerate(METHODS)}
        return sorted((r for r in self.rows if not r.ok), key=lambda r: (-r.layer, r.parameter, order[r.method]))

    def cost_mismatches(self) -> list[str]:
        C = self.costs["manual"]
        # finite first, as for the gradients: an infinite manual cost would otherwise allow an infinite difference
        return [m for m, c in self.costs.items()
                if m != "manual" and not (math.isfinite(c - C)
                                          and abs(c - C) <= self.tolerances[m][1] + self.tolerances[m][0] * abs(C))]

    def __str__(self) -> str:
        lines = [f"{'method':<10} {'cost':>14} {'time':>10}"]
        lines += [f"{m:<10} {c:>14.8g} {self.times[m] * 1e3:>8.2f}ms" for m, c in self.costs.items()]
        lines += ["", f"{'vs manual':<10} {'param':<7} {'shape':<8} {'max abs diff':>13} {'max rel diff':>13}  "
                      f"{'rtol, atol':<12} ok"]                                      # 72 columns
        for r in self.rows:
            shape = "x".join(map(str, np.shape(self.gradients["manual"][r.layer - 2][r.parameter == "b"])))
            rtol, atol = self.tolerances[r.method]
            lines.append(f"{r.method:<10} {r.name:<7} {shape:<8} {r.max_abs:>13.3e} {r.max_rel:>13.3e}  "
                         f"{f'{rtol:.0e}, {atol:.0e}':<12} {'yes' if r.ok else 'NO'}")
        lines.append("")
        lines += [line for part in self._verdict_parts() for line in textwrap.wrap(part, 80, break_on_hyphens=False)]
        return "\n".join(lines)

    def verdict(self) -> str:
        """One sentence: all agree, or the first failing layer and parameter with the sizes of the difference."""
        return " ".join(self._verdict_parts())

    def _verdict_parts(self) -> list[str]:
        bad_costs = self.cost_mismatches()
        failures = self.failures()
        if not failures and not bad_costs:
            others = [m for m in self.costs if m != "manual"]
            text = [f"OK: {', '.join(others)} agree{'s' if len(others) == 1 else ''} with manual."]
            small, total = self.unresolved
            if small:
                atol = self.tolerances["numerical"][1]
                text.append(f"Note: {small} of {total} manual gradient entries are within numerical's atol "
                            f"({atol:g}) of 0, where the central differences alone cannot tell them from 0 or "
                            "from their negatives; add 'tensor' or 'scalar' to the methods to check them exactly.")
            return text + self._blind_spots()
        text = []
        if failures:
            r = failures[0]
            g = float(self.gradients["manual"][r.layer - 2][r.parameter == "b"][r.index])
            other = float(self.gradients[r.method][r.layer - 2][r.parameter == "b"][r.index])
            # the difference at that entry (the table's maxima may be reached at other entries)
            diff, scale = abs(other - g), max(abs(g), abs(other))
            rel = math.nan if math.isnan(diff) else diff / scale if scale > 0 else 0.0
            params = list(dict.fromkeys(f.name for f in failures))
            methods = list(dict.fromkeys(f.method for f in failures))
            exact = [m for m in self.costs if m not in ("manual", "numerical")]
        # the central differences' own rounding: each cost is off by up to half its float spacing, so a difference
        # by a spacing over 2 eps, and more where the cost's sum rounds (3e7 with eps 1e-6: 1.9e-3, while the
        # differences of a right gradient reached 3.7e-3, and the report blamed delta^[2])
        rounding = float(np.spacing(abs(self.costs["manual"]))) / (2 * self.eps) if failures else 0.0
        if (failures and methods == ["numerical"] and not exact
                and max(f.max_abs for f in failures) <= 10 * rounding):
            text.append(
                f"THE CENTRAL DIFFERENCES CANNOT RESOLVE THIS: they differ from manual by up to "
                f"{max(f.max_abs for f in failures):.3g} (at layer {r.layer} ({r.name}), index {r.index}: manual "
                f"{g:.10g}, numerical {other:.10g}), while the cost is about {self.costs['manual']:.6g}, where "
                f"floats are {float(np.spacing(abs(self.costs['manual']))):.3g} apart, so rounding alone moves "
                f"each difference by about {rounding:.2g} (a spacing over 2 eps, eps={self.eps:g}): they cannot tell "
                "a right gradient from one off by that much, and they are the only method here. Add 'tensor' or "
                "'scalar' to the methods (exact to rounding); or use a larger eps (the rounding shrinks as 1 / eps, "
                "the truncation grows as eps^2), or a cost of smaller size (smaller targets)."
            )
        elif failures and methods == ["numerical"] and exact:
            # the exact methods check every entry to about 1e-10: the manual gradient is right, the differences not
            text.append(
                f"ONLY THE CENTRAL DIFFERENCES DISAGREE: they differ from manual by {diff:.3g} (relative {rel:.3g}) "
                f"at layer {r.layer} ({r.name}), index {r.index}: manual {g:.10g}, numerical {other:.10g}; but "
                f"{', '.join(exact)} agree{'s' if len(exact) == 1 else ''} with manual within "
                f"{'their' if len(exact) > 1 else 'its'} tolerance, so the differences are the likely odd one "
                f"out, not your gradient: their step eps={self.eps:g} may be too small (rounding, about 1e-16 |C| / "
                "eps) or too large (truncation, about eps^2 times the cost's third derivative), or the cost may "
                "have a kink within eps of the weights."
            )
        elif failures:
            # where the whole list is off in one way (layers in another order, one factor), each delta is right:
            # "check delta^[L] first" would send the reader to the one place that holds no mistake
            slip = self._slip(r)
            text.append(
                f"MISMATCH at layer {r.layer} ({r.name}): manual differs from {r.method} by {diff:.3g} "
                f"(relative {rel:.3g}) at index {r.index}: manual {g:.10g}, {r.method} "
                f"{other:.10g}. Wrong: {', '.join(params)} (against {', '.join(methods)}). "
                + (slip or f"Check delta^[{r.layer}] and dC/d{r.parameter}^[{r.layer}] first: a wrong delta^[l] "
                            "spoils every layer below l too.")
                # three numberings meet here: HH19's (the input is layer 1), the list's and deeplearning.ai's (the
                # input is layer 0), and a reader of the last looked for the bug one layer too high
                + f" ({r.name} is the {r.parameter} of weights[{r.layer - 2}], {r.parameter}{r.layer - 1} where the "
                  "input is layer 0.)"
            )
        if failures and self._transposed(r):
            text.append(f"manual's dW^[{r.layer}] is the transpose of {r.method}'s (W^[{r.layer}] is square, so the "
                        f"shapes could not tell): dC/dW^[{r.layer}] = delta^[{r.layer}] (a^[{r.layer - 1}])^T, with "
                        "samples as rows delta.T @ a, not a.T @ delta.")
        if self.kinks and any(f.method == "numerical" for f in failures):
            l, i, j, z = self.kinks[0]
            more = f"; {len(self.kinks) - 1} more" if len(self.kinks) > 1 else ""
            text.append(f"Note: relu is at its kink at z^[{l}] = {z:.3g} (sample {i}, unit {j}{more}), where it has no "
                        "derivative: the delta rule and the engines take relu'(0) = 0, the central differences "
                        "average the slopes 0 and 1. Check the gradient at weights or inputs away from z = 0 "
                        "(nonzero biases, random weights).")
        if self.low_precision:
            text.append(f"Note: manual returned float32 for {', '.join(self.low_precision)}: about 7 significant "
                        "digits, where the other methods agree to about 16, so a right gradient differs by about "
                        "1e-8 relative. Compute in float64 (X, Y and the weights come as float64; a float32 "
                        "constant or astype(np.float32) narrows them) before looking for a wrong formula.")
        if bad_costs:
            text.append(f"COST MISMATCH: manual cost {self.costs['manual']:.10g} vs "
                        + ", ".join(f"{m} {self.costs[m]:.10g}" for m in bad_costs)
                        + ": the forward pass or the cost formula differs.")
        return text

    def _transposed(self, r: Row) -> bool:
        """Whether the failing W^[l] of the manual gradient is, within the method's tolerance, the transpose of the
        method's (a non-square one is refused for its shape before any comparison)."""
        if r.parameter != "W":
            return False
        g, other = self.gradients["manual"][r.layer - 2][0], self.gradients[r.method][r.layer - 2][0]
        rtol, atol = self.tolerances[r.method]
        return g.shape[0] == g.shape[1] and _within(g.T, other, rtol, atol)

    def _slip(self, r: Row) -> str:
        """What is wrong with the whole manual list rather than one delta, or "": layers listed in another order,
        or every entry off by one factor."""
        if k := self._reordered(r):
            return (f"manual's gradients for layer {r.layer} are {r.method}'s for layer {k}: manual listed the "
                    "layers in another order (the shapes could not tell). Return [(dW^[2], db^[2]), ..., "
                    "(dW^[L], db^[L])], the first layer of weights first, as nn.backprop.gradients does, even "
                    "though backprop finds the deltas from the output layer down.")
        if (c := self._factor(r.method)) is not None:
            return (f"manual is {c:.6g} times {r.method}'s in every entry of every parameter: one constant "
                    f"factor, not a wrong delta rule. {self._factor_cause(c)}")
        return ""

    def _reordered(self, r: Row) -> int | None:
        """The layer k whose gradients (W and b) by ``r.method`` are manual's for layer ``r.layer``, within the
        method's tolerance, or None: a list of gradients in another order has the right shapes where two layers'
        weights have the same shape, and each layer read as a wrong delta^[l] of its own."""
        manual, other = self.gradients["manual"], self.gradients[r.method]
        rtol, atol = self.tolerances[r.method]
        mine = manual[r.layer - 2]
        for k, theirs in enumerate(other, start=2):
            if k != r.layer and all(np.shape(g) == np.shape(h) and _within(g, h, rtol, atol)
                                    for g, h in zip(mine, theirs)):
                return k
        return None

    def _factor(self, method: str) -> float | None:
        """The one number c with manual = c * method in every entry of every parameter (within the method's
        tolerance), if there is one other than 1: a sum over the samples for their mean (c = N), a sign (c = -1),
        the 1/2 of the quadratic cost left out (c = 2) read as a wrong delta^[L] in the output layer."""
        pairs = [(np.ravel(g), np.ravel(h)) for layer_g, layer_h in zip(self.gradients["manual"],
                                                                       self.gradients[method])
                 for g, h in zip(layer_g, layer_h)]
        g, h = np.concatenate([p for p, _ in pairs]), np.concatenate([q for _, q in pairs])
        rtol, atol = self.tolerances[method]
        # two entries at least that are not 0: any one number is a multiple of any other, which says nothing
        if not (np.all(np.isfinite(g)) and np.all(np.isfinite(h))) or np.count_nonzero(np.abs(h) > atol) < 2:
            return None
        c = float(np.dot(g, h) / np.dot(h, h))          # least squares: g ~ c h
        if _within(g, h, rtol, atol) or not _within(g, c * h, rtol, atol):
            return None
        return c

    def _factor_cause(self, c: float) -> str:
        """The likely slip behind manual = c * the method's gradient."""
        if self.samples > 1 and math.isclose(c, self.samples, rel_tol=1e-6):
            return (f"manual summed over the {self.samples} samples where the cost, and so its gradient, is their "
                    f"mean: divide by N = {self.samples} (np.mean, or / len(X)).")
        if self.samples > 1 and math.isclose(c, 1 / self.samples, rel_tol=1e-6):
            return f"manual divided by the {self.samples} samples once more than the mean does."
        if math.isclose(c, -1.0, rel_tol=1e-6):
            return ("The sign: the gradient of -C (y - a for a - y in delta^[L]); a step along it climbs the cost.")
        return ("Look for a factor in the cost's derivative (the 1/2 of the quadratic cost gives 2) or one applied "
                "to every gradient.")

    def _blind_spots(self) -> list[str]:
        """What an OK cannot vouch for: parameters whose gradient is 0 in every method (a wrong delta rule there
        is 0 too), and a sum over the samples taken for their mean, which one sample cannot tell apart."""
        text = []
        if self.zero:
            text.append(f"Note: the gradients of {', '.join(self.zero)} are 0 in every entry and every method, so "
                        "they agree whatever the delta rule computes there (weights of 0 in the layer above make "
                        "its delta 0); check again at weights that are not 0, such as 0.5 * randn.")
        if self.below_atol:
            names = ", ".join(dict.fromkeys(name for _, name, _, _ in self.below_atol))
            m, name, top, rel = max(self.below_atol, key=lambda entry: entry[3])
            text.append(f"Note: every entry of {names} is below the atol of the exact methods ({m}'s is "
                        f"{self.tolerances[m][1]:g}; {name}'s largest entry is {top:.3g}), which passes any manual "
                        f"entry there, a sign flipped too; and there manual differs from {m} by up to {rel:.3g} of "
                        "that largest entry. That is a mistake, or rounding of near-cancelling terms: a - y at a "
                        "confident output, where saturated units make such gradients (sigma'(40) is 4e-18), or the "
                        "samples' terms near a minimum of the cost, whose sum is 0 there (a linear output at its "
                        "least-squares weights; each a - y is 0 where they fit every sample). Check again at other "
                        "weights: ones that do not saturate the units, away from a minimum of the cost.")
        if self.samples == 1:
            text.append("Note: one sample, so a gradient summed over the samples agrees with their mean; check "
                        "again with two samples or more.")
        return text
