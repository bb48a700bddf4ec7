"""deltagrad's networks: MLPs on the scalar (Value) and tensor engines, their losses, optimizers and training loop.

>>> from nn import scalar
>>> model = scalar.MLP(2, [4, 1], seed=0)      # a network of Values, micrograd-style
"""

from . import activations, init, scalar
from .module import Module

__all__ = ["Module", "activations", "init", "scalar"]
