"""A frozen weight (requires_grad False) stays frozen across to_torch and from_torch, both ways, and a torch
Linear(bias=False) becomes a layer whose zero bias is frozen: before, each came across trainable, so the first
training step after a conversion moved a weight the model meant to keep (and grew a bias torch's layer never had)."""

from __future__ import annotations

import numpy as np
import pytest

from nn import MLP, SGD, Linear

torch = pytest.importorskip("torch")


def test_to_torch_keeps_a_frozen_weight_frozen():
    model = MLP([2, 3, 1], seed=0)
    model.layers[0].weight.requires_grad_(False)
    flags = {name: p.requires_grad for name, p in model.to_torch().named_parameters()}
    assert flags == {"0.weight": False, "0.bias": True, "2.weight": True, "2.bias": True}
    assert not Linear.from_torch(model.layers[0].to_torch()).weight.requires_grad


def test_from_torch_keeps_torchs_frozen_parameters_frozen_and_a_missing_bias_at_zero():
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False), torch.nn.Sigmoid(), torch.nn.Linear(3, 1)).double()
    seq[2].weight.requires_grad_(False)
    model = MLP.from_torch(seq)
    assert [n for n, _ in model.named_parameters()] == ["layers.0.weight", "layers.1.bias"]
    X, y = np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([[1.0], [0.0]])
    before = model.state_dict()
    opt = SGD(model.parameters(), lr=0.5)
    for _ in range(3):                                        # trains what torch would train, and nothing else
        opt.zero_grad()
        ((model(X) - y) ** 2).mean().backward()
        opt.step()
    after = model.state_dict()
    assert np.array_equal(after["layers.0.bias"], np.zeros(3)) and np.array_equal(after["layers.1.weight"],
                                                                                  before["layers.1.weight"])
    assert not np.array_equal(after["layers.0.weight"], before["layers.0.weight"])
    tseq = seq
    topt = torch.optim.SGD([p for p in tseq.parameters() if p.requires_grad], lr=0.5)
    for _ in range(3):
        topt.zero_grad()
        ((tseq(torch.from_numpy(X)) - torch.from_numpy(y)) ** 2).mean().backward()
        topt.step()
    assert np.allclose(after["layers.0.weight"], tseq[0].weight.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert np.allclose(after["layers.1.bias"], tseq[2].bias.detach().numpy(), rtol=1e-12, atol=1e-14)
