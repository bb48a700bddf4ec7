"""A weight frozen with requires_grad_(False) across Module: zero_grad clears it, a load counts as a change."""

import numpy as np
import pytest

from autograd import Tensor
from nn import MLP


def _graph_on_frozen_model(seed: int):
    """A model with every weight frozen and a graph that reads them, differentiated towards an input x."""
    model = MLP([2, 1], activation="sigmoid", seed=seed)
    for p in model.parameters():
        p.requires_grad_(False)
    x = Tensor(np.array([[1.0, 2.0]]), requires_grad=True)
    return model, x, model(x).sum()


def test_model_zero_grad_clears_a_frozen_weights_old_gradient():
    # PyTorch's model.zero_grad() walks every parameter, frozen or not: a gradient left from before the freeze
    # would otherwise be read as the weight's current gradient
    model = MLP([2, 3, 1], seed=0)
    model(Tensor(np.array([[1.0, 2.0]]))).sum().backward()
    w = model.layers[0].weight
    assert w.grad is not None
    w.requires_grad_(False)
    model.zero_grad()
    assert w.grad is None
    assert all(p.grad is None for p in model.parameters())


def test_load_state_dict_of_a_frozen_weight_refuses_a_graph_made_before():
    model, x, out = _graph_on_frozen_model(0)
    model.load_state_dict(MLP([2, 1], seed=5).state_dict())
    with pytest.raises(RuntimeError, match="changed in place"):
        out.backward()
    assert not model.layers[0].weight.requires_grad       # still frozen, still kept in the state dict
    assert "layers.0.weight" in model.state_dict()


def test_load_state_dict_of_a_frozen_weight_then_a_new_graph_differentiates_with_the_new_numbers():
    model, x, _ = _graph_on_frozen_model(0)
    other = MLP([2, 1], seed=5)
    model.load_state_dict(other.state_dict())
    model(x).sum().backward()
    W, b = other.get_weights()[0]
    z = np.array([1.0, 2.0]) @ W.T + b                    # d sigma(x W^T + b) / dx = sigma'(z) W, by hand
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(x.grad, [(s * (1 - s)) @ W], rtol=1e-12)


def test_an_augmented_assignment_changes_a_frozen_weight_in_place_and_counts_it():
    # w -= 1 on a frozen weight made a new, unmarked Tensor in its place: it dropped out of the state dict and
    # the file, and a graph made from the old numbers still differentiated
    from autograd import no_grad

    model = MLP([2, 2, 1], seed=0)
    w = model.layers[0].weight
    w.requires_grad_(False)
    out = model(np.ones((1, 2))).sum()
    start = w.data.copy()
    model.layers[0].weight -= 1.0                 # outside no_grad(), as PyTorch allows for requires_grad=False
    with no_grad():
        model.layers[0].weight *= 2.0
    assert model.layers[0].weight is w and np.array_equal(w.data, (start - 1.0) * 2.0)
    assert "layers.0.weight" in model.state_dict() and not w.requires_grad
    with pytest.raises(RuntimeError, match="was changed"):
        out.backward()
    constant = Tensor([1.0])
    same = constant
    constant += 1.0                                # a constant, never a weight: a new Tensor, as before
    assert constant is not same and same.data.tolist() == [1.0]


def test_set_weights_counts_a_frozen_weights_new_numbers_as_a_change():
    model = MLP([2, 2, 1], seed=0)
    for p in model.parameters():
        p.requires_grad_(False)
    x = Tensor(np.ones((1, 2)), requires_grad=True)
    out = model(x).sum()
    model.set_weights(MLP([2, 2, 1], seed=1).get_weights())
    with pytest.raises(RuntimeError, match="was changed"):
        out.backward()
