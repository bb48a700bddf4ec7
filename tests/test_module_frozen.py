"""A weight frozen with requires_grad_(False) is still a weight of the model: the optimizers leave it out (it is not
in parameters()), but state_dict, save and load keep it, as PyTorch's do. It was dropped from the file, so a model
frozen the same way loaded every weight but that one, which kept its random start without a word."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor
from nn import MLP, SGD, Module


def frozen_model(seed: int) -> MLP:
    model = MLP([2, 3, 1], seed=seed)
    model.layers[0].weight.requires_grad_(False)
    return model


def test_a_frozen_weight_is_out_of_parameters_but_in_the_state_dict():
    model = frozen_model(0)
    assert [n for n, _ in model.named_parameters()] == ["layers.0.bias", "layers.1.weight", "layers.1.bias"]
    assert list(model.state_dict()) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
    assert np.array_equal(model.state_dict()["layers.0.weight"], model.layers[0].weight.data)
    assert all(p is not model.layers[0].weight for p in SGD(model.parameters(), lr=0.1).params)


@pytest.mark.parametrize("into", ["frozen alike", "not frozen"])
def test_save_and_load_carry_a_frozen_weight(tmp_path, into):
    saved = frozen_model(0)
    path = saved.save(tmp_path / "m.npz")
    model = frozen_model(1) if into == "frozen alike" else MLP([2, 3, 1], seed=1)
    model.load(path)
    for (name, a), b in zip(saved.state_dict().items(), model.state_dict().values()):
        assert np.array_equal(a, b), name
    assert model.layers[0].weight.requires_grad is (into == "not frozen")   # loading changes no switch


def test_load_state_dict_of_a_frozen_model_needs_the_frozen_weight_and_sets_it():
    model = frozen_model(1)
    state = frozen_model(0).state_dict()
    model.load_state_dict(state)
    assert np.array_equal(model.layers[0].weight.data, state["layers.0.weight"])
    del state["layers.0.weight"]
    with pytest.raises(ValueError, match="missing 'layers.0.weight'"):
        frozen_model(1).load_state_dict(state)


def test_unfrozen_again_it_is_a_parameter_and_a_constant_tensor_is_never_a_weight():
    model = frozen_model(0)
    model.layers[0].weight.requires_grad_(True)
    assert [n for n, _ in model.named_parameters()][0] == "layers.0.weight"

    class WithConstant(Module):
        def __init__(self):
            self.w = Tensor([1.0], requires_grad=True)
            self.mask = Tensor([0.0, 1.0]).requires_grad_(False)     # never a weight: switched off from off
    assert list(WithConstant().state_dict()) == ["w"]


def test_fit_compile_true_refuses_a_frozen_layer_by_name_as_eager_fit_trains_around_it():
    from nn import fit

    X, y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0.0, 1.0, 1.0, 0.0])
    model = MLP([2, 3, 1], output_activation="sigmoid", seed=0)
    model.layers[0].weight.requires_grad_(False)
    start = model.layers[0].weight.data.copy()
    with pytest.raises(ValueError, match=r"fit\(compile=True\): layers.0.weight is frozen .*use compile=False"):
        fit(model, X, y, "binary_cross_entropy", SGD(model.parameters(), lr=0.5), epochs=1, compile=True,
            progress=False)                                    # was a bare KeyError
    fit(model, X, y, "binary_cross_entropy", SGD(model.parameters(), lr=0.5), epochs=2, progress=False)
    assert np.array_equal(model.layers[0].weight.data, start)


# --- zero_grad, loads and in-place changes of a frozen weight ---------------------------------------------------

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
