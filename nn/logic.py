"""Threshold logic: McCulloch-Pitts units, networks of them, and what such networks can represent (Dehaqani's
notes, the MIPT lecture).

A unit adds its weighted inputs and fires (outputs 1) when the sum exceeds its threshold, the notes' convention

    y = 1 if sum_i w_i x_i - T > 0, else 0        (a strict step: exactly at the threshold the unit stays silent)

and an inhibitory input vetoes: while any inhibitory input is 1 the unit outputs 0, whatever the others say.
A NaN input, or a sum that is NaN (inf - inf), lies on no side of the threshold and is refused; inf is on its side.
A sum that overflows float64 on finite inputs is refused too: its sign may not be the true sum's.
The Boolean constructions (``gate``, ``minterm_unit``, ``dnf_network``) take inputs 0 and 1 (False, True) only: their
weights hold for those, and on others they answer something that is no Boolean function (OR on -1 / +1 codes gave
[0, 0, 0, 1]), so any other input is refused. ``ThresholdUnit`` and ``ThresholdNetwork`` themselves take real inputs.
Numpy only; no engine: these units have no useful derivative and nothing here is trained.

Constructions, each the notes' argument made concrete:

| function | what it builds |
|---|---|
| ``gate(name)`` | AND, OR, NOT, NAND, NOR as one unit; XOR as two layers |
| ``dnf_network(table)`` | any truth table as one hidden unit per true row (a minterm) and an OR: universality |
| ``polygon_network(k)`` | a convex polygon as an AND of k half-planes; many sides approach a disc |
| ``union_network(nets)`` | an OR of polygons: the third layer that a non-convex region needs |
| ``square_pulse(t1, t2)`` | two threshold units and a summing unit: 1 on t1 < x <= t2, 0 elsewhere |
| ``pulse_sum(f, a, b, k)`` | k pulses scaled by f at their midpoints: a staircase that approaches f |

>>> net = dnf_network([0, 1, 1, 0])              # XOR of two inputs, rows 00, 01, 10, 11
>>> net(all_inputs(2)).tolist()
[0, 1, 1, 0]
>>> net.sizes                                    # 2 inputs, one unit per true row, one OR
[2, 2, 1]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.checks import flag

from . import checks

MAX_INPUTS = 24          # all_inputs(n) has 2^n rows: 2^24 rows of 24 ints is already ~3 GB
MAX_UNITS = 100_000      # polygon sides, pulses, inputs of an AND / OR unit: each is a Python object


def _count(n: Any, who: str, name: str, minimum: int, cap: int) -> int:
    n = checks.whole(n, who, name, minimum=minimum)
    if n > cap:
        raise ValueError(f"{who}: {name} must be at most {cap}, got {n if n < 10**12 else 'a number that large'}")
    return n


def _no_nan(A: np.ndarray, who: str, what: str, row_axes: int = 2) -> np.ndarray:
    """A, or a ValueError naming the first NaN (and its row, when A has ``row_axes`` axes or more): NaN is on no
    side of a threshold (NaN > 0 is False, so it read 0). An infinite value is on one side and is kept."""
    nan = np.isnan(A)
    if nan.any():
        at = tuple(int(i) for i in np.argwhere(nan)[0])
        row = f", in row {at[0]}" if A.ndim >= row_axes else ""
        raise ValueError(f"{who}: {what} holds NaN at index {at}{row}, which is on no side of a threshold; drop or "
                         "replace it")
    return A


def step(z: Any) -> np.ndarray:
    """The notes' Heaviside step: 1 where z > 0, 0 where z <= 0 (Dehaqani's ``sum w x - T > 0``, the MIPT lecture's f);
    NaN, on no side, is refused."""
    return (_no_nan(checks.array(z, "step", "z", finite=False), "step", "z") > 0).astype(int)


def all_inputs(n: int) -> np.ndarray:
    """The 2^n rows of {0, 1}^n in lexicographic order (x_1 the most significant bit): a truth table's inputs.

    >>> all_inputs(2).tolist()
    [[0, 0], [0, 1], [1, 0], [1, 1]]
    """
    n = _count(n, "all_inputs", "n", 0, MAX_INPUTS)
    rows = np.arange(2 ** n)
    return ((rows[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(int)


class ThresholdUnit:
    """One McCulloch-Pitts unit: ``weights`` (one per input), threshold ``T``, and the indices of the inputs that
    are ``inhibitory`` (any of them at 1 forces the output to 0; their weights are not used).

    >>> unit = ThresholdUnit([1, 1], 1)             # AND: 1 + 1 > 1, but 1 + 0 is not
    >>> unit([[0, 0], [0, 1], [1, 0], [1, 1]]).tolist()
    [0, 0, 0, 1]
    >>> ThresholdUnit([1, 0], 0, inhibitory=[1])([[1, 0], [1, 1]]).tolist()    # N1 and not N2
    [1, 0]

    ``boolean=True`` makes it refuse inputs other than 0 and 1, as the units of ``gate`` and ``minterm_unit`` do.
    """

    def __init__(self, weights: Sequence[float], threshold: float, inhibitory: Sequence[int] = (), *,
                 boolean: bool = False) -> None:
        self.weights = checks.array(weights, "ThresholdUnit", "weights", ndim=(0, 1),
                                    hint="; give one weight per input, e.g. [1, 1]").reshape(-1)
        self.threshold = checks.real(threshold, "ThresholdUnit", "threshold")
        if isinstance(inhibitory, str | bytes | dict) or not hasattr(inhibitory, "__iter__"):
            raise TypeError(f"ThresholdUnit: inhibitory must be a list of input indices such as [1], got "
                            f"{inhibitory!r} ({type(inhibitory).__name__})")
        try:
            indices = list(inhibitory)
        except TypeError:                                   # a 0-d array has __iter__ but cannot be iterated
            raise TypeError(f"ThresholdUnit: inhibitory must be a list of input indices such as [1], got "
                            f"{inhibitory!r} ({type(inhibitory).__name__})") from None
        self.inhibitory = tuple(checks.whole(i, "ThresholdUnit", "inhibitory index", minimum=None)
                                for i in indices)
        bad = [i for i in self.inhibitory if not 0 <= i < len(self.weights)]
        if bad:
            raise ValueError(f"ThresholdUnit: inhibitory inputs {bad} are not among its {len(self.weights)} inputs "
                             f"(indices 0..{len(self.weights) - 1})")
        self.boolean = flag(boolean, "ThresholdUnit", "boolean")

    @property
    def n_in(self) -> int:
        return len(self.weights)

    def __call__(self, X: Any) -> np.ndarray:
        X = _inputs(X, self.n_in, "ThresholdUnit", self.boolean)
        with np.errstate(over="ignore", invalid="ignore"):      # refused just below, by name
            s = np.asarray(X @ self.weights - self.threshold)
        bad = ~np.isfinite(s)
        over = bad & np.isfinite(X).all(axis=-1) if bad.any() else bad   # X read again only where a sum is not finite
        if over.any():                  # from finite inputs: the partial sums overflowed, the sign may be wrong
            row = f" in row {int(np.argwhere(over)[0][0])}" if over.ndim else ""
            raise ValueError(f"ThresholdUnit: sum_i w_i x_i - T overflowed float64 (beyond 1.8e308){row} on finite "
                             f"inputs as large as {float(np.max(np.abs(X))):.3g}: scale the inputs or the weights down")
        s = _no_nan(s, "ThresholdUnit", "sum_i w_i x_i - T (inf - inf, or 0 * inf)", 1)  # infinite inputs cancelling
        fired = step(s)                                          # y = step(sum_i w_i x_i - T)
        if self.inhibitory:
            vetoed = np.any(X[..., list(self.inhibitory)] > 0, axis=-1)
            fired = np.where(vetoed, 0, fired)                   # any inhibitory input on: the output is 0
        return fired

    def __repr__(self) -> str:
        inh = f", inhibitory={list(self.inhibitory)}" if self.inhibitory else ""
        boolean = ", boolean=True" if self.boolean else ""
        return f"ThresholdUnit(weights={self.weights.tolist()}, threshold={self.threshold:g}{inh}{boolean})"


def _inputs(X: Any, n: int, who: str, boolean: bool = False) -> np.ndarray:
    A = checks.array(X, who, "the input", finite=False, hint=f"; give rows of {n} numbers (0/1 or reals)")
    if A.ndim == 0 or A.shape[-1] != n:
        raise ValueError(f"{who}: input of shape {A.shape} does not fit {n} inputs; give rows of {n}, shape (N, {n})")
    A = _no_nan(A.astype(float), who, "the input")
    if boolean:
        other = (A != 0) & (A != 1)
        if other.any():                       # the weights make a Boolean function on 0 / 1 only
            at = tuple(int(i) for i in np.argwhere(other)[0])
            raise ValueError(f"{who}: a Boolean gate or network (gate, minterm_unit, dnf_network) takes inputs 0 "
                             f"or 1 (False / True), got {float(A[at])!r} at index {at}; for inputs coded -1 / +1 pass "
                             "(x + 1) / 2; on real inputs use units built with ThresholdUnit(weights, threshold)")
    return A


class ThresholdNetwork:
    """Layers of threshold units; each layer reads the outputs of the layer before it (the first reads the input).

    ``layers`` is a list of lists of ``ThresholdUnit``; calling the network on rows X (N, n_in) gives the last
    layer's outputs, shape (N, n_out), or (N,) when the last layer is one unit.

    >>> xor = ThresholdNetwork([[ThresholdUnit([1, -1], 0), ThresholdUnit([-1, 1], 0)], [ThresholdUnit([1, 1], 0)]])
    >>> xor(all_inputs(2)).tolist()                # (x1 and not x2) or (x2 and not x1)
    [0, 1, 1, 0]

    ``boolean=True`` makes it refuse inputs other than 0 and 1, as the networks of ``gate`` and ``dnf_network`` do.
    """

    def __init__(self, layers: Sequence[Sequence[ThresholdUnit]], *, boolean: bool = False) -> None:
        if not isinstance(layers, list | tuple) or not all(isinstance(layer, list | tuple) for layer in layers):
            raise TypeError(f"ThresholdNetwork: layers must be a list of lists of ThresholdUnit, got {layers!r}")
        bad = [u for layer in layers for u in layer if not isinstance(u, ThresholdUnit)]
        if bad:
            raise TypeError(f"ThresholdNetwork: every unit must be a ThresholdUnit, got {bad[0]!r} "
                            f"({type(bad[0]).__name__})")
        self.layers = [list(layer) for layer in layers]
        self.boolean = flag(boolean, "ThresholdNetwork", "boolean")
        if not self.layers or any(not layer for layer in self.layers):
            raise ValueError("ThresholdNetwork: give at least one layer, each a non-empty list of ThresholdUnit")
        for k, layer in enumerate(self.layers):
            widths = {u.n_in for u in layer}
            if len(widths) != 1:
                raise ValueError(f"ThresholdNetwork: the units of layer {k} take different numbers of inputs {widths}")
            if k > 0 and widths != {len(self.layers[k - 1])}:
                raise ValueError(f"ThresholdNetwork: layer {k} takes {widths.pop()} inputs but layer {k - 1} has "
                                 f"{len(self.layers[k - 1])} units")

    @property
    def sizes(self) -> list[int]:
        """[n_in, units in layer 1, ..., units in the last layer]."""
        return [self.layers[0][0].n_in, *(len(layer) for layer in self.layers)]

    @property
    def units(self) -> int:
        return sum(len(layer) for layer in self.layers)

    def activations(self, X: Any) -> list[np.ndarray]:
        """Every layer's outputs, (N, units) each, the input first."""
        h = _inputs(X, self.sizes[0], "ThresholdNetwork", self.boolean)
        out = [h]
        for layer in self.layers:
            h = np.stack([unit(h) for unit in layer], axis=-1)
            out.append(h)
        return out

    def __call__(self, X: Any) -> np.ndarray:
        y = self.activations(X)[-1]
        return y[..., 0] if y.shape[-1] == 1 else y

    def __repr__(self) -> str:
        return f"ThresholdNetwork({' -> '.join(map(str, self.sizes))})"


# --- the gates, by hand -------------------------------------------------------------------------------------------
def gate(name: str) -> ThresholdUnit | ThresholdNetwork:
    """A Boolean gate of threshold units: AND, OR, NAND, NOR (two inputs) and NOT (one) are one unit each;
    XOR needs two layers (no single line separates its classes).

    >>> [gate(g)(all_inputs(2)).tolist() for g in ("AND", "OR", "NAND", "XOR")]
    [[0, 0, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0], [0, 1, 1, 0]]
    >>> gate("NOT")([[0], [1]]).tolist()
    [1, 0]
    """
    units = {
        "AND": ThresholdUnit([1, 1], 1, boolean=True),          # x1 + x2 > 1: both on
        "OR": ThresholdUnit([1, 1], 0, boolean=True),           # x1 + x2 > 0: either on
        "NAND": ThresholdUnit([-1, -1], -2, boolean=True),      # -x1 - x2 > -2: not both on
        "NOR": ThresholdUnit([-1, -1], -1, boolean=True),       # -x1 - x2 > -1: neither on
        "NOT": ThresholdUnit([-1], -1, boolean=True),           # -x > -1: x off
    }
    key = str(name).upper()
    if key in units:
        return units[key]
    if key == "XOR":                              # (x1 and not x2) or (not x1 and x2)
        # x1 - x2 > 1/2 and x2 - x1 > 1/2: on the plane, two bands away from the diagonal
        return ThresholdNetwork([[ThresholdUnit([1, -1], 0.5), ThresholdUnit([-1, 1], 0.5)], [units["OR"]]],
                                boolean=True)
    raise ValueError(f"gate: unknown gate {name!r}; known: AND, OR, NAND, NOR, NOT, XOR")


# --- universality: any truth table as a two-layer network ----------------------------------------------------------
def minterm_unit(row: Sequence[int]) -> ThresholdUnit:
    """The unit that fires on exactly one input row: weight +1 where the row has a 1, -1 where it has a 0, and
    threshold (number of 1s) - 1. On the row itself the sum is the number of 1s; each differing bit costs 1.

    >>> minterm_unit([1, 0, 1])(all_inputs(3)).tolist()
    [0, 0, 0, 0, 0, 1, 0, 0]
    """
    r = checks.array(row, "minterm_unit", "row", ndim=1, hint="; give a row of 0s and 1s such as [1, 0, 1]")
    if not np.all((r == 0) | (r == 1)):
        raise ValueError(f"minterm_unit: row must hold only 0s and 1s, got {r.tolist()[:8]}")
    r = r.astype(int)
    if r.size > MAX_UNITS:
        raise ValueError(f"minterm_unit: row has {r.size} entries, more than {MAX_UNITS}")
    return ThresholdUnit(2 * r - 1, r.sum() - 1, boolean=True)


def dnf_network(table: Sequence[int]) -> ThresholdNetwork:
    """A two-layer threshold network computing the truth table ``table`` (2^n outputs, inputs in lexicographic
    order as ``all_inputs(n)`` lists them): one hidden unit per true row (its minterm) and an OR of them, the
    disjunctive normal form of Dehaqani's notes made into units. A table with no true row gets one hidden unit that
    never fires (threshold n), so the network keeps two layers.

    >>> table = np.zeros(32, dtype=int)           # Dehaqani's table over X1..X5: six true rows
    >>> table[[0b00110, 0b01011, 0b01100, 0b10001, 0b10111, 0b11001]] = 1
    >>> net = dnf_network(table)
    >>> net.sizes, bool(np.array_equal(net(all_inputs(5)), table))
    ([5, 6, 1], True)
    """
    t = checks.array(table, "dnf_network", "table", finite=False, hint="; give 2^n outputs of 0 or 1")
    if t.ndim != 1 or t.size == 0 or t.size & (t.size - 1):
        raise ValueError(f"dnf_network: table must be a flat array of 2^n outputs, got shape {t.shape}")
    if t.size > 2 ** MAX_INPUTS:
        raise ValueError(f"dnf_network: table has {t.size} entries, more than 2^{MAX_INPUTS}")
    if not np.all((t == 0) | (t == 1)):
        raise ValueError(f"dnf_network: table entries must be 0 or 1, got {np.unique(t).tolist()[:6]}")
    n = t.size.bit_length() - 1
    true_rows = int(np.count_nonzero(t))
    if true_rows > MAX_UNITS:          # one Python unit each: 2^20 of them took over a minute and gigabytes
        raise ValueError(f"dnf_network: the table has {true_rows} true rows, one hidden unit each, more than "
                         f"{MAX_UNITS}; a table with fewer true rows, or its complement (NOT of a network of the "
                         "false rows), fits")
    rows = all_inputs(n)[t == 1]
    hidden = [minterm_unit(r) for r in rows] or [ThresholdUnit(np.zeros(n), n)]   # fires never: 0 > n is false
    return ThresholdNetwork([hidden, [ThresholdUnit(np.ones(len(hidden)), 0)]],   # OR: fires if any minterm does
                            boolean=True)


def truth_table(f: Callable[[np.ndarray], Any], n: int) -> np.ndarray:
    """f's outputs on all 2^n inputs, in lexicographic order (the inverse of ``dnf_network``)."""
    if not callable(f):
        raise TypeError(f"truth_table: f must be a function of the rows all_inputs(n), got {f!r}")
    n = _count(n, "truth_table", "n", 0, MAX_INPUTS)
    try:
        t = np.asarray(f(all_inputs(n)))
    except Exception as e:                                  # an f of one row (an if on an array), a typo inside f
        raise ValueError(f"truth_table: f failed on the array all_inputs({n}) of shape {(2 ** n, n)} "
                         f"({type(e).__name__}: {e}); f takes all rows at once, e.g. lambda X: X[:, 0] & X[:, 1]"
                         ) from None
    if t.dtype.kind not in "biuf" or t.shape not in ((2 ** n,), (2 ** n, 1)) or not np.all((t == 0) | (t == 1)):
        shown = np.unique(t).tolist()[:6] if t.dtype.kind in "biuf" else f"values of dtype {t.dtype}"
        raise ValueError(f"truth_table: f must give one 0 or 1 (or False / True) per row of all_inputs({n}), "
                         f"shape ({2 ** n},); it gave {shown} of shape {t.shape}")
    return t.astype(int).reshape(-1)


# --- regions of the plane ------------------------------------------------------------------------------------------
def half_plane(normal: Sequence[float], offset: float) -> ThresholdUnit:
    """The unit that fires where normal . x < offset (the inside of the line normal . x = offset)."""
    normal = checks.array(normal, "half_plane", "normal", ndim=1, hint="; give a vector such as [1.0, 0.0]")
    offset = checks.real(offset, "half_plane", "offset")
    return ThresholdUnit(-normal, -offset)


def polygon_units(k: int, radius: float = 1.0, centre: Sequence[float] = (0.0, 0.0),
                  angle: float = 0.0) -> list[ThresholdUnit]:
    """The k half-planes whose intersection is the regular k-gon with inradius ``radius`` around ``centre``."""
    k = _count(k, "polygon_units", "k (the number of sides)", 3, MAX_UNITS)
    radius = checks.real(radius, "polygon_units", "radius", low=0.0, low_open=True)
    c = checks.array(centre, "polygon_units", "centre", ndim=1, hint="; give a point such as (0.0, 0.0)")
    if c.shape != (2,):
        raise ValueError(f"polygon_units: centre must be a point of the plane, 2 numbers, got shape {c.shape}")
    angle = checks.real(angle, "polygon_units", "angle")
    units = []
    for j in range(k):
        n = np.array([np.cos(angle + 2 * np.pi * j / k), np.sin(angle + 2 * np.pi * j / k)])
        units.append(half_plane(n, radius + n @ c))              # n . x < r + n . c
    return units


def and_unit(n: int) -> ThresholdUnit:
    """Fires when all n inputs are on: sum > n - 1."""
    n = _count(n, "and_unit", "n", 0, MAX_UNITS)
    return ThresholdUnit(np.ones(n), n - 1)


def or_unit(n: int) -> ThresholdUnit:
    """Fires when any of n inputs is on: sum > 0."""
    n = _count(n, "or_unit", "n", 0, MAX_UNITS)
    return ThresholdUnit(np.ones(n), 0)


def polygon_network(k: int, radius: float = 1.0, centre: Sequence[float] = (0.0, 0.0),
                    angle: float = 0.0) -> ThresholdNetwork:
    """A convex regular k-gon as a network: k half-plane units, then an AND (sum > k - 1). As k grows the polygon
    fills the disc of that radius: the area between them is a fraction 1 - pi / (k tan(pi / k)) of the polygon's.

    >>> square = polygon_network(4)
    >>> square([[0.0, 0.0], [0.9, 0.9], [1.1, 0.0]]).tolist()
    [1, 1, 0]
    """
    return ThresholdNetwork([polygon_units(k, radius, centre, angle), [and_unit(k)]])


def union_network(polygons: Sequence[ThresholdNetwork]) -> ThresholdNetwork:
    """The OR of two-layer networks (half-planes then an AND, as ``polygon_network`` builds): three layers.
    Layer 1 holds every polygon's half-planes, layer 2 one AND per polygon (weights 1 on its own half-planes,
    0 on the others'), layer 3 an OR. A region that is not convex needs that third layer.

    >>> two = union_network([polygon_network(4, 0.5, (-1, 0)), polygon_network(4, 0.5, (1, 0))])
    >>> two([[-1.0, 0.0], [0.0, 0.0], [1.0, 0.2]]).tolist(), two.sizes
    ([1, 0, 1], [2, 8, 2, 1])
    """
    if not isinstance(polygons, list | tuple):
        raise TypeError(f"union_network: polygons must be a list of networks from polygon_network, got "
                        f"{type(polygons).__name__}")
    bad = [net for net in polygons if not isinstance(net, ThresholdNetwork)]
    if bad:
        raise TypeError(f"union_network: each region must be a ThresholdNetwork (polygon_network), got {bad[0]!r}")
    if not polygons:
        raise ValueError("union_network: give at least one polygon network")
    first: list[ThresholdUnit] = []
    spans = []
    for net in polygons:
        if len(net.layers) != 2 or len(net.layers[1]) != 1:
            raise ValueError(f"union_network: each region must be a two-layer network with one output, got {net}")
        spans.append((len(first), len(net.layers[0])))
        first += net.layers[0]
    second = []
    for net, (start, count) in zip(polygons, spans):
        top = net.layers[1][0]
        w = np.zeros(len(first))
        w[start:start + count] = top.weights                    # each AND sees only its own half-planes
        vetoes = [start + i for i in top.inhibitory]            # a veto of the region's own still vetoes
        second.append(ThresholdUnit(w, top.threshold, inhibitory=vetoes))
    return ThresholdNetwork([first, second, [or_unit(len(second))]])


# --- functions of one input: the square pulse and sums of pulses ---------------------------------------------------
def square_pulse(t1: float, t2: float, height: float = 1.0) -> Callable[[Any], np.ndarray]:
    """Dehaqani's three-unit pulse: units h1 = step(x - t1), h2 = step(x - t2) and a summing output
    height * (h1 - h2): ``height`` on t1 < x <= t2, 0 elsewhere.

    >>> square_pulse(1.0, 2.0)([0.5, 1.0, 1.5, 2.0, 2.5]).tolist()
    [0.0, 0.0, 1.0, 1.0, 0.0]

    The pulse keeps the shape of x, as np.sin does.
    """
    t1, t2 = checks.real(t1, "square_pulse", "t1"), checks.real(t2, "square_pulse", "t2")
    height = checks.real(height, "square_pulse", "height")
    if not t1 < t2:
        raise ValueError(f"square_pulse: need t1 < t2, got t1={t1!r}, t2={t2!r}")
    rise, fall = ThresholdUnit([1.0], t1), ThresholdUnit([1.0], t2)

    def pulse(x: Any) -> np.ndarray:
        A = checks.array(x, "square_pulse", "x", finite=False, hint="; call the pulse on real numbers")
        X = _no_nan(A, "square_pulse", "x").reshape(-1, 1)       # one input per unit
        y = height * (rise(X) - fall(X)).astype(float)           # the summing unit: weights +height, -height
        return y.reshape(A.shape)          # x's shape: flat, a column (N, 1) beside f(x) would broadcast to (N, N)
    return pulse


def pulse_sum(f: Callable[[np.ndarray], Any], a: float, b: float, k: int) -> Callable[[Any], np.ndarray]:
    """f on (a, b] approximated by k square pulses of width (b - a) / k, each of height f at its midpoint:
    3k units (2k threshold units and the k summing units folded into one linear output). The error shrinks
    like the width times the largest slope of f.

    >>> approx = pulse_sum(np.sin, 0.0, np.pi, 100)
    >>> bool(abs(approx([1.0])[0] - np.sin(1.0)) < 0.02)
    True

    The approximation keeps the shape of x, as f does.
    """
    if not callable(f):
        raise TypeError(f"pulse_sum: f must be a function such as np.sin, got {f!r} ({type(f).__name__})")
    a, b = checks.real(a, "pulse_sum", "a"), checks.real(b, "pulse_sum", "b")
    if not a < b:
        raise ValueError(f"pulse_sum: need a < b, got a={a!r}, b={b!r}")
    k = _count(k, "pulse_sum", "k (the number of pulses)", 1, MAX_UNITS)
    edges = np.linspace(a, b, k + 1)
    if not np.all(np.diff(edges) > 0):
        raise ValueError(f"pulse_sum: the {k} pulses on ({a!r}, {b!r}] are too narrow to tell apart")
    mids = (edges[:-1] + edges[1:]) / 2
    try:
        values = f(mids)
    except Exception as e:                                  # an f of one number (an if on the array), say
        raise ValueError(f"pulse_sum: f failed on the array of the {k} midpoints ({type(e).__name__}: {e}); f "
                         "takes a numpy array, as np.sin does: wrap a function of one number as np.vectorize(f)"
                         ) from None
    heights = checks.array(values, "pulse_sum", "f(midpoints)", ndim=(0, 1))
    if heights.ndim == 0 or heights.shape != (k,):
        if heights.size != 1:
            raise ValueError(f"pulse_sum: f gave shape {heights.shape} on {k} midpoints; it must give one value each")
        heights = np.full(k, float(heights.reshape(-1)[0]))
    pulses = [square_pulse(lo, hi, h) for lo, hi, h in zip(edges[:-1], edges[1:], heights)]

    def approximation(x: Any) -> np.ndarray:
        _no_nan(checks.array(x, "pulse_sum", "x", finite=False), "pulse_sum", "x")
        total = pulses[0](x)
        for p in pulses[1:]:                # one pulse at a time: a list of all k would hold k copies of x's size
            total += p(x)
        return total
    return approximation
