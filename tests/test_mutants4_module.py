"""Mutation testing, fourth round: nn.module. A parameter shared by two attributes is listed once, train()/eval()
reach every sub-module, set_weights refuses too few pairs and a column bias, a load error names the model being
loaded into as well as the one saved, and a file whose marker is over its 1 MiB limit is refused from its header."""

import os

import numpy as np
import pytest

from autograd import Tensor
from nn import MLP, Dropout
from nn.files import write_npz
from nn.module import FORMAT, MARKER, Module


class Shared(Module):
    def __init__(self):
        self.w = Tensor([1.0, 2.0], requires_grad=True)
        self.v = self.w                               # the same weight under a second name
        self.b = Tensor([0.5], requires_grad=True)


def test_a_parameter_shared_by_two_attributes_is_listed_once_under_its_first_name():
    m = Shared()
    assert [name for name, _ in m.named_parameters()] == ["w", "b"]
    assert len(m.parameters()) == 2                   # an optimizer would otherwise step the shared weight twice


class Stack(Module):
    def __init__(self):
        self.first, self.second = Dropout(0.5), Dropout(0.5)
        self.deeper = [MLP([2, 1]), Dropout(0.5)]


def test_eval_and_train_reach_every_sub_module():
    m = Stack().eval()
    assert [(name, sub.training) for name, sub in m.named_modules()] == [
        ("first", False), ("second", False), ("deeper.0", False), ("deeper.0.layers.0", False), ("deeper.1", False)]
    m.train()
    assert all(sub.training for _, sub in m.named_modules()) and m.training


def test_set_weights_refuses_fewer_pairs_than_layers_rather_than_setting_some():
    m = MLP([2, 3, 1], seed=0)
    before = m.state_dict()
    with pytest.raises(ValueError, match=r"set_weights: got 1 \(W, b\) pairs for a network with 2 layers"):
        m.set_weights([(np.zeros((3, 2)), np.zeros(3))])
    assert all(np.array_equal(before[k], v) for k, v in m.state_dict().items())


def test_set_weights_refuses_a_column_bias_and_says_to_ravel_it():
    with pytest.raises(ValueError, match=r"b of layer 0 has shape \(3, 1\), expected \(3,\) \(a column vector"):
        MLP([2, 3]).set_weights([(np.zeros((3, 2)), np.zeros((3, 1)))])


def test_a_load_error_names_the_model_loaded_into_beside_the_one_saved(tmp_path):
    path = MLP([2, 3, 1], seed=0).save(os.fspath(tmp_path / "m.npz"))
    with pytest.raises(ValueError, match=r"It was saved as nn.layers.MLP\(2 -> 3 -> 1, .*; this model is "
                                         r"nn.layers.MLP\(2 -> 4 -> 1, .*: build that model to load it"):
        MLP([2, 4, 1]).load(path)


def test_a_marker_over_one_mib_is_refused_from_its_header(tmp_path):
    # a marker of the right format and sizes otherwise: only its length is wrong (4 bytes a character)
    m = MLP([2, 1], seed=0)
    marker = np.array([FORMAT, "nn.layers.MLP", m.describe() + " " * 300_000])
    assert marker.nbytes > 2**20
    path = os.fspath(tmp_path / "big.npz")
    with open(path, "wb") as f:
        write_npz(f, {MARKER: marker, **m.state_dict()}, "test")
    with pytest.raises(ValueError, match=r"is not a model saved by deltagrad's Module.save: its '__deltagrad__' "
                                         r"entry holds \(3,\) of <U"):
        MLP([2, 1]).load(path)
