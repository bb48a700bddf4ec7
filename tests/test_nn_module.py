"""nn.Module: parameters found by walking attributes, dotted names, state_dict, and .npz save/load with its errors."""

import zipfile

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import MLP, Module, scalar


class Pair(Module):
    """A module with parameters directly, in a list, a tuple, a dict and a sub-module, plus things that are not."""

    def __init__(self):
        self.a = Value(1.0)
        self.ws = [Value(2.0), Value(3.0)]
        self.t = (Tensor(np.ones((2, 3)), requires_grad=True),)
        self.d = {"gain": Value(4.0), "bias": Tensor(np.zeros(3), requires_grad=True)}
        self.sub = scalar.Neuron(2, "tanh", w=[0.5, -0.5], b=0.1)
        self.constant = Tensor(np.ones(2))              # requires no grad: not a parameter
        self.n = 7                                      # not a node at all
        self._hidden = Value(9.0)                       # private: not walked
        self.alias = self.ws                            # the same parameters again: listed once

    def forward(self, x):
        return self.a * x


def test_named_parameters_walk_attributes_containers_and_submodules_in_order():
    m = Pair()
    names = [name for name, _ in m.named_parameters()]
    assert names == ["a", "ws.0", "ws.1", "t.0", "d.gain", "d.bias", "sub.w.0", "sub.w.1", "sub.b"]
    assert [p is q for p, q in zip(m.parameters(), [m.a, *m.ws, m.t[0], m.d["gain"], m.d["bias"]])] == [True] * 6


def test_results_computed_from_parameters_are_not_parameters():
    m = Pair()
    m.cache = m.a * 2.0                                 # a Value with an op
    m.tcache = m.t[0] * 2.0                             # a Tensor that requires grad but was computed
    assert "cache" not in dict(m.named_parameters()) and "tcache" not in dict(m.named_parameters())


def test_call_runs_forward_and_a_module_without_forward_says_so():
    assert Pair()(Value(3.0)).data == 3.0

    class Empty(Module):
        pass

    with pytest.raises(NotImplementedError, match="Empty must define forward"):
        Empty()(1.0)


def test_tensor_mlp_names_follow_pytorch():
    names = [n for n, _ in MLP([2, 2, 3, 2]).named_parameters()]
    assert names == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                     "layers.2.weight", "layers.2.bias"]


def test_scalar_mlp_names_every_weight_and_fast_parameters_match_the_walk():
    model = scalar.MLP(2, [3, 1], seed=0)
    named = list(model.named_parameters())
    assert named[0][0] == "layers.0.neurons.0.w.0" and named[2][0] == "layers.0.neurons.0.b"
    assert named[-1][0] == "layers.1.neurons.0.b" and len(named) == 3 * 3 + 4
    assert [p for _, p in named] == model.parameters()                   # same objects, same order
    assert [p for _, p in named] == Module.parameters(model)
    assert model.layers[1].parameters() == [p for n, p in named if n.startswith("layers.1.")]


def test_zero_grad_clears_value_and_tensor_gradients():
    m = Pair()
    (m.a * m.ws[0] * m.d["gain"]).backward()
    (m.t[0].sum() + m.d["bias"].sum()).backward()
    assert m.a.grad == 8.0 and m.t[0].grad is not None
    m.zero_grad()
    assert m.a.grad == 0.0 and m.ws[0].grad == 0.0 and m.t[0].grad is None and m.d["bias"].grad is None


def test_state_dict_copies_and_load_state_dict_restores():
    m = Pair()
    state = m.state_dict()
    assert state["a"].shape == () and state["t.0"].shape == (2, 3)
    state["t.0"][0, 0] = 99.0                           # a copy: the model is untouched
    assert m.t[0].data[0, 0] == 1.0
    m.load_state_dict(state)
    assert m.t[0].data[0, 0] == 99.0


def test_save_load_round_trip_for_both_engines(tmp_path):
    for make in (lambda s: MLP([2, 2, 3, 2], seed=s), lambda s: scalar.MLP(2, [2, 3, 2], seed=s)):
        a, b = make(0), make(1)
        path = a.save(tmp_path / "model.npz")
        assert b.load(path) is b
        for (Wa, ba), (Wb, bb) in zip(a.get_weights(), b.get_weights()):
            assert np.array_equal(Wa, Wb) and np.array_equal(ba, bb)


def test_saved_file_holds_no_pickle(tmp_path):
    path = MLP([2, 3], seed=0).save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as npz:
        assert all(npz[k].dtype != object for k in npz.files)


def test_load_of_a_missing_file_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothere.npz"):
        MLP([2, 3]).load(tmp_path / "nothere.npz")


def test_load_of_a_file_that_is_not_a_saved_model(tmp_path):
    text = tmp_path / "notes.npz"
    text.write_text("not a zip")
    with pytest.raises(ValueError, match="not a model saved by deltagrad"):
        MLP([2, 3]).load(text)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, weights=np.ones(3))           # an npz, but not one save() wrote
    with pytest.raises(ValueError, match="no '__deltagrad__' entry"):
        MLP([2, 3]).load(foreign)
    broken = tmp_path / "broken.npz"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("__deltagrad__.npy", b"garbage")
    with pytest.raises(ValueError, match="not a model saved by deltagrad"):
        MLP([2, 3]).load(broken)


def test_load_reports_missing_and_unexpected_keys(tmp_path):
    path = MLP([2, 3, 1], seed=0).save(tmp_path / "m.npz")
    with pytest.raises(ValueError, match=r"does not fit this MLP: missing 'layers.2.weight', 'layers.2.bias'\."):
        MLP([2, 3, 1, 1]).load(path)
    with pytest.raises(ValueError, match=r"unexpected 'layers.1.weight', 'layers.1.bias'"):
        MLP([2, 3]).load(path)


def test_load_reports_a_shape_mismatch_with_the_parameter_and_both_shapes(tmp_path):
    path = MLP([2, 3], seed=0).save(tmp_path / "m.npz")
    with pytest.raises(ValueError, match=r"'layers.0.weight' has shape \(4, 2\) in this model but \(3, 2\)"):
        MLP([2, 4]).load(path)


def test_failed_load_changes_nothing(tmp_path):
    path = MLP([2, 3, 1], seed=0).save(tmp_path / "m.npz")
    model = MLP([2, 3, 2], seed=1)
    before = model.get_weights()
    with pytest.raises(ValueError):
        model.load(path)                             # layer 0 fits, layer 1 does not
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(before, model.get_weights()))


def test_load_between_engines_names_the_class_it_came_from(tmp_path):
    path = scalar.MLP(2, [3], seed=0).save(tmp_path / "s.npz")
    with pytest.raises(ValueError, match=r"saved from a nn.scalar.MLP\) does not fit this MLP"):
        MLP([2, 3]).load(path)


def test_repr_shows_the_layer_sizes():
    assert repr(MLP([2, 2, 3, 2], activation="sigmoid")).splitlines()[0] == (
        "MLP(2 -> 2 -> 3 -> 2, activation='sigmoid', output_activation='sigmoid',")
    assert "(layers.1): Linear(2 -> 3)" in repr(MLP([2, 2, 3, 2]))
    text = repr(scalar.MLP(2, [16, 16, 1]))
    assert "MLP(2 -> 16 -> 16 -> 1, activation='relu', output_activation='identity'" in text
    assert "(layers.2): Layer(16 -> 1, identity)" in text and "Neuron" not in text


class Child(Module):
    def __init__(self, parent):
        self.w = Value(1.0)
        self.parent = parent                            # a back-reference: the walk must not go round forever


class Parent(Module):
    def __init__(self):
        self.child = Child(self)
        self.again = self.child                         # the same sub-module twice: walked once, as PyTorch does

    def forward(self, x):
        return self.child.w * x


def test_a_module_that_refers_back_to_its_parent_is_walked_once():
    m = Parent()
    assert [n for n, _ in m.named_parameters()] == ["child.w"]
    assert [n for n, _ in m.named_modules()] == ["child"]
    assert repr(m).splitlines()[:2] == ["Parent(", "  (child): Child("]


def test_load_names_the_model_the_file_was_saved_from(tmp_path):
    path = MLP([2, 3, 1], seed=0).save(tmp_path / "m.npz")
    with pytest.raises(ValueError, match=r"saved as nn.layers.MLP\(2 -> 3 -> 1, activation='sigmoid'"):
        MLP([2, 3, 1, 1]).load(path)
    path = scalar.MLP(2, [3], seed=0).save(tmp_path / "s.npz")
    with pytest.raises(ValueError, match=r"saved as nn.scalar.MLP\(2 -> 3, .*build that model to load it"):
        MLP([2, 3]).load(path)
    with pytest.raises(ValueError, match=r"unexpected 'layers.0.neurons.2.w.0'.*saved as nn.scalar.MLP\(2 -> 3, "):
        scalar.MLP(2, [2]).load(path)                   # fewer neurons: no shapes to compare, so say the sizes


def test_loading_weights_into_a_model_with_other_activations_warns(tmp_path):
    saved = MLP([2, 3, 1], activation="sigmoid", seed=0)
    path = saved.save(tmp_path / "m.npz")
    other = MLP([2, 3, 1], activation="relu", seed=1)
    with pytest.warns(UserWarning, match=r"saved as nn.layers.MLP\(2 -> 3 -> 1, activation='sigmoid'.*"
                                         r"this model is nn.layers.MLP\(2 -> 3 -> 1, activation='relu'"):
        other.load(path)
    assert np.array_equal(other.get_weights()[0][0], saved.get_weights()[0][0])   # loaded all the same


def test_a_number_too_big_for_a_float32_model_is_refused_not_loaded_as_inf(tmp_path):
    """A float64 weight of 1e39 became inf in a float32 model (numpy's overflow warning, then the load's 'saved as'
    warning, and a model whose outputs are nan or inf): from a file, a state dict or set_weights. Refused by
    name now, and nothing is changed; a number that rounds, or is inf already, loads."""
    big = MLP([2, 3, 1], seed=0)
    big.layers[1].weight.data[0, 2] = 1e39
    path = big.save(tmp_path / "big.npz")
    small = MLP([2, 3, 1], dtype=np.float32, seed=1)
    before = small.get_weights()
    with pytest.raises(ValueError, match=r"'layers.1.weight'.* holds 1e\+39, too large for float32"):
        small.load(path)
    with pytest.raises(ValueError, match=r"'layers.1.weight'.* holds 1e\+39, too large for float32"):
        small.load_state_dict(big.state_dict())
    with pytest.raises(ValueError, match=r"W of layer 1 holds 1e\+39, too large for float32"):
        small.set_weights(big.get_weights())
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(before, small.get_weights()))
    big.layers[1].weight.data[0, 2] = np.inf                         # inf already: loaded as it is
    small.load_state_dict(big.state_dict())
    assert small.layers[1].weight.data[0, 2] == np.inf


def test_save_to_a_folder_or_a_missing_folder_names_save_and_the_fix(tmp_path):
    """open()'s bare 'Is a directory' said neither which call failed nor what to pass; the error keeps its type
    (IsADirectoryError, FileNotFoundError: an OSError a caller may catch) and says both."""
    with pytest.raises(IsADirectoryError, match=r"save: cannot write the file .*pass the path of a .npz file"):
        MLP([2, 1]).save(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"save: cannot write .*\(No such file.*folder that exists"):
        MLP([2, 1]).save(tmp_path / "no" / "x.npz")
    assert MLP([2, 1]).save(tmp_path / "ok.npz") == str(tmp_path / "ok.npz")
