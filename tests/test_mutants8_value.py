"""Mutation testing of autograd/value.py, eighth round: each test fails on a deliberate mistake (named in the test's
comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import math

import numpy as np
import pytest
import torch

from autograd import Tensor, Value, grad


@pytest.mark.parametrize("p", [1, 1.0])
def test_the_rebuilt_derivative_of_x_to_the_first_power_is_one(p):
    # mutant: partials_as_nodes giving the constant 0 for x ** 1 (the shortcut meant for x ** 0). With
    # create_graph the partial p x^(p-1) is rebuilt as a node; for p = 1 it is 1, not 0.
    # y = x^1 * x = x^2 at x = 3: dy/dx = 2 x = 6 (the mutant dropped the x^1 path: 3), d2y/dx2 = 2.
    x = Value(3.0)
    y = x ** p * x
    (g,) = grad([y], [x], create_graph=True)
    assert g.data == 6.0
    (gg,) = grad([g], [x])
    assert gg == 2.0
    # the same through backward(create_graph=True): x.grad is the graph of dy/dx = 2 x
    x.grad = 0.0
    y.backward(create_graph=True)
    assert x.grad.data == 6.0



def test_backward_with_create_graph_leaves_each_intermediate_its_gradient_as_a_number():
    # mutant: _keep_graph_gradients writing 0 to the computed nodes' .grad. The plain backward() gives every node
    # its gradient (the lectures draw them), and the create_graph path must too. h = x^2, y = 2 h + h^2 at x = 3:
    # dy/dh = 2 + 2 h = 20, dy/dx = dy/dh 2 x = 120, each a number on the node (the leaf's a Value, a graph).
    x = Value(3.0)
    h = x * x
    y = 2.0 * h + h * h
    y.backward(create_graph=True)
    assert type(h.grad) is float and h.grad == 20.0
    assert y.grad == 1.0
    assert x.grad.data == 120.0
    plain = Value(3.0)
    ph = plain * plain
    (2.0 * ph + ph * ph).backward()
    assert ph.grad == h.grad and plain.grad == x.grad.data


def test_relu_of_minus_zero_is_minus_zero_as_the_tensor_engine_and_pytorch():
    # mutant: relu writing +0.0 for every x <= 0. PyTorch's relu and the Tensor engine keep the sign of -0.0
    # (it shows up later, e.g. 1 / relu(x) is -inf, not inf); the Value engine must agree with both.
    y = Value(-0.0).relu()
    assert y.data == 0.0
    assert math.copysign(1.0, y.data) == math.copysign(1.0, torch.relu(torch.tensor(-0.0)).item()) == -1.0
    assert math.copysign(1.0, y.data) == math.copysign(1.0, float(Tensor(np.array([-0.0])).relu().data[0]))
