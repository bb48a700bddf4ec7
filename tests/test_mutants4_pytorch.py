"""Mutation testing, fourth round: nn.pytorch. to_torch keeps a frozen bias frozen, from_torch refuses layers of
mixed dtypes and two activations after one Linear, and a Sequential's state dict is read in the order of its module
numbers (2 before 10), not of their text."""

import numpy as np
import pytest
import torch

from nn import MLP


def test_to_torch_keeps_a_frozen_bias_frozen():
    m = MLP([2, 3, 1], seed=0)
    m.layers[0].bias.requires_grad_(False)
    seq = m.to_torch()
    assert seq[0].bias.requires_grad is False and seq[0].weight.requires_grad is True
    assert seq[2].bias.requires_grad is True


def test_from_torch_refuses_layers_of_mixed_dtypes():
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sigmoid(), torch.nn.Linear(3, 1).double())
    with pytest.raises(TypeError, match=r"the layers mix dtypes \['float32', 'float64'\]"):
        MLP.from_torch(seq)


def test_from_torch_refuses_two_activations_after_one_linear():
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    with pytest.raises(ValueError, match=r"cannot read Tanh at this place"):
        MLP.from_torch(seq)


def test_a_sequential_state_dict_is_read_in_the_order_of_its_module_numbers():
    # modules 2 and 10: as text "10" sorts before "2", which would swap the layers (and their shapes)
    torch.manual_seed(0)
    first, second = torch.nn.Linear(2, 3).double(), torch.nn.Linear(3, 1).double()
    state = {"2.weight": first.weight.detach(), "2.bias": first.bias.detach(),
             "10.weight": second.weight.detach(), "10.bias": second.bias.detach()}
    m = MLP([2, 3, 1]).load_state_dict(state)
    np.testing.assert_array_equal(m.layers[0].weight.data, first.weight.detach().numpy())
    np.testing.assert_array_equal(m.layers[1].bias.data, second.bias.detach().numpy())
