"""Mutation testing, second round, of nn/layers.py: each test fails on a deliberate mistake (named in its comment)
that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import math

import numpy as np

from autograd import Tensor
from nn import MLP, SGD, losses


def test_the_output_layers_sigmoid_stays_its_own_node_so_the_loss_reads_the_logit():
    # mutant: MLP.forward fuses the output layer's activation too (l <= hidden), as it fuses the hidden layers'.
    # The numbers forward are the same, but the loss no longer finds the logit z under the sigmoid node and reads
    # the probability, its log kept at 1e-12 or above. A confidently wrong sample: z = 50 x + 0 = 50, target 0:
    # BCE = -log(1 - sigmoid(50)) = softplus(50) = 50 + log(1 + e^-50), and dL/dz = sigmoid(50) - 0, so
    # dL/dW = sigmoid(50) x and dL/db = sigmoid(50). Read from the clipped probability, the loss was
    # -log(1e-12) = 27.6 and the gradient about 0.
    model = MLP([1, 1], output_activation="sigmoid")
    model.set_weights([(np.array([[50.0]]), np.array([0.0]))])
    out = model(Tensor([[1.0]]))
    L = losses.binary_cross_entropy(out, np.array([[0.0]]))
    assert math.isclose(float(L.data), 50.0 + math.log1p(math.exp(-50.0)), rel_tol=1e-12)
    L.backward()
    p = 1.0 / (1.0 + math.exp(-50.0))
    layer = model.layers[0]
    assert math.isclose(float(layer.weight.grad[0, 0]), p, rel_tol=1e-12)
    assert math.isclose(float(layer.bias.grad[0]), p, rel_tol=1e-12)


def test_get_weights_is_a_snapshot_that_a_later_training_step_does_not_change():
    # mutant: get_weights returns the layers' own arrays, not copies. An optimizer's step changes them in place,
    # so a snapshot taken before training (to compare, or to restore) silently became the trained weights.
    model = MLP([2, 1], output_activation="identity")
    model.set_weights([(np.array([[1.0, 2.0]]), np.array([3.0]))])
    before = model.get_weights()
    opt = SGD(model.parameters(), lr=0.5)
    L = model(Tensor([[1.0, 1.0]])).sum()             # dL/dW = x = [1, 1], dL/db = 1
    opt.zero_grad()
    L.backward()
    opt.step()
    assert [(W.tolist(), b.tolist()) for W, b in before] == [([[1.0, 2.0]], [3.0])]
    assert [(W.tolist(), b.tolist()) for W, b in model.get_weights()] == [([[0.5, 1.5]], [2.5])]
