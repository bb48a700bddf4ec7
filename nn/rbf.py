"""Radial-basis-function units and networks on the Tensor engine (Dehaqani's "brief segue: RBF networks").

A Gaussian unit answers to the distance of the input from its centre c_j, not to a weighted sum:

    phi_j(x) = exp(-||x - c_j||^2 / (2 s_j^2))            (Dehaqani's exp(-beta z), z = ||x - c||^2, beta = 1/(2 s^2))

Both the centre c_j and the width s_j are parameters, learned by backprop like any weight:

    dphi_j/dc_j = phi_j (x - c_j) / s_j^2,        dphi_j/ds_j = phi_j ||x - c_j||^2 / s_j^3

(the engine finds both from the graph; the tests check them with ``gradcheck``). An RBF network is an RBF layer
and a linear output, y = W phi(x) + b: one unit can make the "cylinder" that a perceptron network builds from many
half-planes.

>>> import numpy as np
>>> layer = RBF(2, 3, seed=0)
>>> layer.centres.shape, layer.widths.shape, layer(np.zeros((5, 2))).shape
((3, 2), (3,), (5, 3))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.graph import tag_as

from . import checks
from .files import MAX_BYTES, human
from .init import Seed, rng_from
from .layers import Linear, as_tensor
from .module import Module


class RBF(Module):
    """A layer of ``n_units`` Gaussian units on ``n_in`` inputs: rows X (N, n_in) -> phi (N, n_units).

    ``centres`` (n_units, n_in) start at ``centres=`` if given, else drawn N(0, 1); ``widths`` s_j (n_units,)
    start at ``widths=`` (a number or one per unit, default 1). Both require grad. A forward pass holds x - c_j for
    every row, unit and input: N x n_units x n_in of them beyond 2 GiB is refused (give fewer rows at a time).

    >>> layer = RBF(1, 2, centres=[[0.0], [1.0]], widths=1.0)
    >>> np.round(layer(np.array([[0.0]])).data, 4).tolist()      # exp(0), exp(-1/2)
    [[1.0, 0.6065]]
    """

    def __init__(self, n_in: int, n_units: int, *, centres: Any = None, widths: Any = 1.0, seed: Seed = None,
                 _index: int = 0) -> None:
        n_in, n_units = checks.whole(n_in, "RBF", "n_in"), checks.whole(n_units, "RBF", "n_units")
        if n_in * n_units > 10**8:
            raise ValueError(f"RBF: n_in * n_units must be at most 10**8 centre entries, got n_in={n_in}, "
                             f"n_units={n_units}" if n_in * n_units < 10**30 else
                             "RBF: n_in * n_units must be at most 10**8 centre entries, got sizes that large")
        if centres is None:
            C = rng_from(seed, "RBF").standard_normal((n_units, n_in))
        else:
            C = checks.array(centres, "RBF", "centres", hint=f"; give one centre per unit, ({n_units}, {n_in})")
            if C.shape != (n_units, n_in):
                raise ValueError(f"RBF: centres has shape {C.shape}; give one centre per unit, ({n_units}, {n_in})")
        s = checks.array(widths, "RBF", "widths", hint=f"; give one number > 0 or {n_units} of them")
        if s.ndim == 0:
            s = np.full(n_units, float(s))
        if s.shape != (n_units,) or np.any(s <= 0):
            raise ValueError(f"RBF: widths must be one number > 0 or {n_units} of them (one per unit), "
                             f"got shape {s.shape}: {s.reshape(-1).tolist()[:6]}")
        if np.any(s < 1e-150):          # the gradient towards s_j holds (x - c_j) / s_j^2: it overflows below that
            raise ValueError(f"RBF: widths {s[s < 1e-150].tolist()[:6]} are below 1e-150, where 2 s^2 underflows "
                             "towards 0 in float64 and the gradient towards s overflows to NaN; give widths of "
                             "1e-150 or more, or scale the inputs up")
        self.centres = Tensor(C, requires_grad=True, name=f"c{_index}")
        self.widths = Tensor(s, requires_grad=True, name=f"s{_index}")
        self.n_in, self.n_units = n_in, n_units
        self._scope = (f"rbf.{_index}",)

    def forward(self, x: Any) -> Tensor:
        where = f"RBF {self.n_in} -> {self.n_units}"
        checked = isinstance(x, np.ndarray)
        if checked:                                      # before the copies below, which cost as much as x again
            self._refuse_too_big(x.shape, where)
        if not isinstance(x, Tensor):
            x = checks.array(x, where, "the input", finite=False, hint=f"; give rows of shape (N, {self.n_in})")
        X = as_tensor(x, self.n_in, where)
        if X.data.ndim not in (1, 2):
            raise ValueError(f"{where}: input of shape {X.data.shape} has {X.data.ndim} axes; give shape "
                             f"(N, {self.n_in}) or ({self.n_in},) for one sample (centres: {self.centres.shape})")
        if not checked:                                  # (an array's shape was checked above: as_tensor keeps it)
            self._refuse_too_big(X.data.shape, where)
        rows = X.reshape(-1, 1, self.n_in) if X.data.ndim == 2 else X.reshape(1, 1, self.n_in)
        D = rows - self.centres.reshape(1, self.n_units, self.n_in)     # x - c_j, for every row and unit
        # phi_j = exp(-||x - c_j||^2 / (2 s_j^2)), computed as exp(-||r||^2 / 2) with r = (x - c_j) / s_j. Dividing
        # z_j = ||x - c_j||^2 by 2 s_j^2 gave the slope z_j / (2 s_j^2)^2 on the way back, which overflows for
        # s_j < 1e-77 (at z_j = 1), and 0 * inf = NaN where phi_j underflows to 0 (the true gradient is 0).
        # The largest slope here is |x - c_j| / s_j^2, finite for s_j >= 1e-150 and |x - c_j| < 1e8.
        R = D / self.widths.reshape(1, self.n_units, 1)
        phi = ((R * R).sum(axis=2) * -0.5).exp()
        if X.data.ndim == 1:
            phi = phi.reshape(self.n_units)
        return tag_as(phi, self._scope)

    def _refuse_too_big(self, shape: tuple[int, ...], where: str) -> None:
        """Refuse rows of ``shape`` whose differences x - c_j (one per row, unit and input) would pass 2 GiB."""
        if len(shape) not in (1, 2) or shape[-1] != self.n_in:         # refused by shape elsewhere
            return
        n_rows = shape[0] if len(shape) == 2 else 1
        if n_rows * self.n_units * self.n_in * 8 > MAX_BYTES:
            # x - c_j is held for every row, unit and input (and so are several arrays like it, forward and back):
            # numpy failed with a bare MemoryError, or took all the memory there was, for MNIST's 60,000 rows
            raise ValueError(f"{where}: {n_rows} rows x {self.n_units} units x {self.n_in} inputs would make arrays "
                             f"of x - c_j of {human(n_rows * self.n_units * self.n_in * 8)} each, over "
                             f"{human(MAX_BYTES)}; give fewer rows at a time (fit(..., batch_size=...), or a loop "
                             "over slices of X)")

    def extra_repr(self) -> str:
        return f"{self.n_in} -> {self.n_units} Gaussian units"


class RBFNetwork(Module):
    """An RBF layer, then a linear output: y = W phi(x) + b (Dehaqani's RBF network).

    >>> net = RBFNetwork(2, 4, 1, seed=0)
    >>> net(np.zeros((3, 2))).shape, [n for n, _ in net.named_parameters()]
    ((3, 1), ['rbf.centres', 'rbf.widths', 'output.weight', 'output.bias'])
    """

    def __init__(self, n_in: int, n_units: int, n_out: int = 1, *, centres: Any = None, widths: Any = 1.0,
                 seed: Seed = None) -> None:
        rng = rng_from(seed, "RBFNetwork")
        self.rbf = RBF(n_in, n_units, centres=centres, widths=widths, seed=rng)
        self.output = Linear(n_units, n_out, init="xavier", seed=rng, _index=1)

    def forward(self, x: Any) -> Tensor:
        return self.output(self.rbf(x))                                  # y = W phi(x) + b

    def extra_repr(self) -> str:
        return f"{self.rbf.n_in} -> {self.rbf.n_units} Gaussian units -> {self.output.n_out}"
