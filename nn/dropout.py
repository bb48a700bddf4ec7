"""Dropout (HH19 lists it among the improvements on SGD), as PyTorch's ``nn.Dropout`` does it.

While training, each entry of the input is kept with probability 1 - p and scaled by 1 / (1 - p), or set to 0:

    y = x o m / (1 - p),      m_i ~ Bernoulli(1 - p), a new mask on every call

so that the expected output equals the input; the gradient flows through the kept entries only (dy/dx = m / (1 - p)).
In evaluation mode (``model.eval()``) the layer is the identity. It has no parameters.

>>> import numpy as np
>>> from autograd import Tensor
>>> drop = Dropout(0.5, seed=0)
>>> y = drop(Tensor(np.ones((2, 4))))
>>> sorted(set(y.data.ravel().tolist())) in ([0.0, 2.0], [0.0], [2.0])     # kept entries are scaled by 2
True
>>> bool(np.all(drop.eval()(Tensor(np.ones((2, 4)))).data == 1.0))        # eval: the identity
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor

from . import checks
from .init import Seed, rng_from
from .module import Module


class Dropout(Module):
    """Zero each input entry with probability ``p`` while training (scaling the others by 1 / (1 - p));
    the identity in evaluation mode. ``p = 1`` zeros everything, as PyTorch. ``seed`` makes the masks reproducible."""

    def __init__(self, p: float = 0.5, *, seed: Seed = None) -> None:
        self.p = checks.real(p, "Dropout", "p", low=0.0, high=1.0,
                             hint=" (the probability of dropping an entry)")
        self._rng = rng_from(seed, "Dropout")
        self.mask: np.ndarray | None = None            # the last mask used (None in evaluation mode), for teaching

    def forward(self, x: Any) -> Tensor:
        if not isinstance(x, Tensor):
            x = Tensor(checks.array(x, "Dropout", "the input", finite=False,
                                    hint="; give a Tensor or an array of real numbers"))
        elif x.data.dtype.kind not in "iuf":
            raise TypeError(f"Dropout: the input Tensor has dtype {x.data.dtype}; give real numbers (float)")
        if not self.training or self.p == 0.0:
            self.mask = None
            return x
        keep = np.asarray(self._rng.random(x.data.shape) >= self.p)   # m_i = 1 with probability 1 - p (an array
        self.mask = keep                                                # also for shape (), where random gives a float)
        dtype = x.data.dtype if x.data.dtype.kind == "f" else np.float64   # float32 in, float32 out, as PyTorch:
        # a float64 mask would turn the product (and all after it) float64
        if self.p == 1.0:      # every entry dropped, as PyTorch's Dropout(1.0): nothing is left to scale by 1 / 0
            return x * Tensor(keep.astype(dtype))
        # y = (x o m) / (1 - p): x o m is exact (x or 0), so each kept entry is x / (1 - p) rounded once, and so is
        # its gradient g / (1 - p) (x times a rounded 1 / (1 - p) is off in the last bit for some x)
        return x * Tensor(keep.astype(dtype)) / (1.0 - self.p)

    def extra_repr(self) -> str:
        return f"p={self.p:g}"
