"""deltagrad's networks: MLPs on the scalar (Value) and tensor engines, their losses, optimizers and training loop.

>>> import numpy as np
>>> from nn import MLP, SGD, losses, fit
>>> from nn.data import hh19
>>> X, Y = hh19()
>>> model = MLP([2, 2, 3, 2], activation="sigmoid", init="normal", seed=0)   # HH19's network
>>> history = fit(model, X, Y, losses.quadratic, SGD(model.parameters(), lr=0.05), epochs=3, batch_size=1,
...               replacement=True, seed=0, progress=False)

``from nn import scalar`` gives the same networks made of Values (micrograd-style).
"""

from . import activations, backprop, data, init, logic, losses, scalar
from .dropout import Dropout
from .layers import MLP, Linear
from .module import Module
from .optim import LBFGS, SGD, Adam, RMSprop
from .rbf import RBF, RBFNetwork
from .train import History, evaluate, fit, outputs, predict, predict_proba

__all__ = [
    "Module",
    "MLP",
    "Linear",
    "RBF",
    "RBFNetwork",
    "Dropout",
    "logic",
    "SGD",
    "Adam",
    "RMSprop",
    "LBFGS",
    "losses",
    "fit",
    "evaluate",
    "predict",
    "predict_proba",
    "outputs",
    "History",
    "scalar",
    "activations",
    "init",
    "data",
    "backprop",
    "compare_gradients",
]


def __getattr__(name: str):
    # compare_gradients is imported on first use, so that `python -m nn.compare` runs the module once, not twice
    if name == "compare_gradients":
        from .compare import compare_gradients

        return compare_gradients
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
