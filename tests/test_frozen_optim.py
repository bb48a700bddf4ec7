"""An optimizer built before a weight was frozen with requires_grad_(False) leaves that weight out of its steps."""

import numpy as np

from autograd import Tensor
from nn import MLP
from nn.optim import LBFGS


def _lbfgs_frozen_midway(clear_frozen_grad: bool) -> np.ndarray:
    model = MLP([2, 3, 1], seed=0)
    X, Y = Tensor(np.random.default_rng(0).normal(size=(5, 2))), np.ones((5, 1))
    opt = LBFGS(model, lr=0.5, max_iter=4)

    def closure():
        for p in model.parameters():     # the trainable ones only: a frozen weight keeps what it last had
            p.zero_grad()
        loss = ((model(X) - Y) ** 2).mean()
        loss.backward()
        return loss

    opt.step(closure)
    frozen = model.layers[0].weight
    frozen.requires_grad_(False)
    if clear_frozen_grad:
        frozen.zero_grad()
    opt.step(closure)
    return np.concatenate([p.data.ravel() for p in model.parameters()])


def test_lbfgs_ignores_the_gradient_a_weight_held_when_it_was_frozen():
    # SGD and Adam skip a frozen weight whatever gradient it still holds; L-BFGS must too: its old gradient
    # entered the search direction and the stopping test, and moved the trainable weights elsewhere
    np.testing.assert_array_equal(_lbfgs_frozen_midway(False), _lbfgs_frozen_midway(True))
