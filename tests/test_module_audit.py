"""A hostile audit of nn.Module: names that collide, containers that hold themselves, parameter names that
numpy.savez would misread, dtypes numpy calls numbers, and a load between a forward pass and its backward()."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from hostile import npy, stored, write_zip

from autograd import Tensor, Value
from nn import MLP, Module


def leaf(*values: float) -> Tensor:
    return Tensor(np.array(values, dtype=float), requires_grad=True)


class Colliding(Module):
    """Two different parameters whose dotted names are both 'w.0': the int key 0 and the string key '0'."""

    def __init__(self) -> None:
        self.w = {0: leaf(1.0, 2.0), "0": leaf(3.0, 4.0)}


class DottedKey(Module):
    """'a.b' is both the dict key of one parameter and the attribute path of another."""

    def __init__(self) -> None:
        self.a = {"b": leaf(1.0)}
        self.d = {"x": leaf(2.0)}
        setattr(self, "a.b", leaf(5.0))          # noqa: B010 (an attribute whose name holds a dot)


@pytest.mark.parametrize("make", [Colliding, DottedKey])
def test_two_parameters_under_one_name_are_refused_by_state_dict_load_state_dict_and_save(make, tmp_path):
    model = make()
    names = [name for name, _ in model.named_parameters()]
    duplicated = next(n for n in names if names.count(n) == 2)
    assert len(model.parameters()) == len(names)                  # both are parameters, trained by an optimizer
    with pytest.raises(ValueError, match=rf"state_dict: two different parameters .* named '{duplicated}'"):
        model.state_dict()
    state = {name: np.zeros_like(np.asarray(p.data)) for name, p in model.named_parameters()}
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(ValueError, match="load_state_dict: two different parameters"):
        model.load_state_dict(state)
    assert all(np.array_equal(p.data, b) for p, b in zip(model.parameters(), before))   # nothing half-loaded
    with pytest.raises(ValueError, match="two different parameters"):
        model.save(tmp_path / "m.npz")


def test_a_list_or_dict_that_holds_itself_is_walked_once():
    class Loop(Module):
        def __init__(self) -> None:
            self.items = [leaf(1.0)]
            self.items.append(self.items)
            self.table = {"w": leaf(2.0)}
            self.table["again"] = self.table

    model = Loop()
    assert [name for name, _ in model.named_parameters()] == ["items.0", "table.w"]
    assert set(model.state_dict()) == {"items.0", "table.w"}


class Awkward(Module):
    """Parameters named as numpy.savez's own arguments (``file``, ``allow_pickle``), which it takes as keywords."""

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.file = Tensor(rng.normal(size=(2, 3)), requires_grad=True)
        self.allow_pickle = Tensor(rng.normal(size=(1,)), requires_grad=True)
        self.args = Tensor(rng.normal(size=(3,)), requires_grad=True)


def test_save_and_load_keep_parameters_named_like_savez_arguments(tmp_path):
    saved, fresh = Awkward(0), Awkward(1)
    path = saved.save(tmp_path / "awkward.npz")
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["__deltagrad__.npy", "allow_pickle.npy", "args.npy", "file.npy"]
    fresh.load(path)
    for (name, a), (_, b) in zip(saved.named_parameters(), fresh.named_parameters()):
        assert np.array_equal(a.data, b.data), name
    with np.load(path, allow_pickle=False) as npz:                 # numpy reads the file as its own
        assert np.array_equal(npz["allow_pickle"], saved.allow_pickle.data)


def test_save_refuses_a_name_that_zip_would_cut_and_leaves_the_old_file_as_it_was(tmp_path):
    class Nul(Module):
        def __init__(self) -> None:
            self.d = {"a\x00x": leaf(1.0), "a\x00y": leaf(2.0)}

    path = tmp_path / "good.npz"
    MLP([2, 1], seed=0).save(path)
    good = path.read_bytes()
    with pytest.raises(ValueError, match=r"save: the name 'd.a\\x00x' cannot be stored .* as 'd.a'"):
        Nul().save(path)
    assert path.read_bytes() == good


@pytest.mark.parametrize("dtype", ["m8[s]", "M8[s]", bool, complex, object, "U3"])
def test_load_state_dict_takes_only_integers_and_floats(dtype):
    model = MLP([2, 1], seed=0)
    state = model.state_dict()
    before = state["layers.0.weight"].copy()
    state["layers.0.weight"] = np.ones((1, 2)).astype(dtype) if dtype != "M8[s]" else \
        np.array([["2024-01-01", "2024-01-02"]], dtype=dtype)
    with pytest.raises(ValueError, match="layers.0.weight"):
        model.load_state_dict(state)
    assert np.array_equal(model.layers[0].weight.data, before)


@pytest.mark.parametrize("dtype", [np.int64, np.uint8, np.float16, np.float32])
def test_load_state_dict_takes_integers_and_other_floats_as_their_numbers(dtype):
    model = MLP([2, 1], seed=0)
    state = model.state_dict()
    W = np.array([[3, -2]] if dtype is not np.uint8 else [[3, 2]]).astype(dtype)
    state["layers.0.weight"] = W
    model.load_state_dict(state)
    assert model.layers[0].weight.data.dtype == np.float64
    assert model.layers[0].weight.data.tolist() == [[float(v) for v in W[0]]]


@pytest.mark.skipif(np.finfo(np.longdouble).max <= np.finfo(np.float64).max,
                    reason="longdouble is float64 on this platform: no number too large for a Value exists")
def test_load_state_dict_refuses_a_number_too_large_for_a_value():
    class One(Module):
        def __init__(self) -> None:
            self.w = Value(0.5)

    model = One()
    huge = np.longdouble(10) ** 400                    # finite as a longdouble, inf as a float
    assert np.isfinite(huge) and not np.isfinite(float(huge))
    with pytest.raises(ValueError, match="'w'.*too large for float64"):
        model.load_state_dict({"w": huge})
    assert model.w.data == 0.5


def test_load_state_dict_between_forward_and_backward_makes_backward_refuse():
    model = MLP([2, 3, 1], seed=0)
    loss = model(np.array([[0.5, -1.0]])).sum()
    model.load_state_dict(MLP([2, 3, 1], seed=1).state_dict())
    with pytest.raises(RuntimeError, match="changed in place after the forward pass"):
        loss.backward()
    model(np.array([[0.5, -1.0]])).sum().backward()    # a forward pass with the new weights differentiates


def test_load_state_dict_copies_every_number_exactly():
    model = MLP([2, 3], seed=0)
    state = model.state_dict()
    W = np.array([[-0.0, np.nan], [np.inf, -np.inf], [5e-324, -1.0 / 3.0]])   # NaN/inf: loaded as PyTorch does
    state["layers.0.weight"] = W
    model.load_state_dict(state)
    got = model.layers[0].weight.data
    assert got is not W
    assert np.array_equal(got, W, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(W))
    W[0, 0] = 7.0                                      # the caller's array stays the caller's
    assert got[0, 0] == 0.0


def test_load_state_dict_names_a_tensor_that_requires_grad_and_says_what_to_pass():
    model, other = MLP([2, 1], seed=0), MLP([2, 1], seed=1)
    with pytest.raises(ValueError, match=r"Tensor that requires grad: give its numbers, p.data"):
        model.load_state_dict(dict(other.named_parameters()))
    model.load_state_dict({name: p.data for name, p in other.named_parameters()})
    assert np.array_equal(model.layers[0].weight.data, other.layers[0].weight.data)


def test_state_dict_is_a_copy_that_later_training_does_not_change():
    model = MLP([2, 2], seed=0)
    state = model.state_dict()
    expected = model.layers[0].weight.data.copy()
    model.layers[0].weight.data += 1.0                 # in place, as a careless step would
    assert np.array_equal(state["layers.0.weight"], expected)
    state["layers.0.bias"][:] = 99.0
    assert not np.any(model.layers[0].bias.data == 99.0)


def test_set_weights_and_fits_restore_count_as_changes_in_place_as_load_state_dict_does():
    # a graph made from the old weights refuses backward() instead of handing their gradients to the new ones
    from nn import MLP, SGD, fit

    model = MLP([2, 2, 1], seed=0)
    out = model(np.ones((1, 2))).sum()
    model.set_weights(MLP([2, 2, 1], seed=1).get_weights())
    with pytest.raises(RuntimeError, match="changed in place"):
        out.backward()
    X, y = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]]), np.array([0.0, 1.0, 1.0, 0.0])
    model = MLP([2, 2, 1], output_activation="sigmoid", seed=0)
    seen = []
    fit(model, X, y, "binary_cross_entropy", SGD(model.parameters(), lr=5.0), epochs=6, validation=(X, 1 - y),
        patience=1, restore_best=True, progress=False,
        callback=lambda epoch, history: seen.append(model(X).sum()) and None)
    with pytest.raises(RuntimeError, match="changed in place"):
        seen[-1].backward()                    # made from the last epoch's weights, before the best were restored


def test_a_save_that_fails_halfway_leaves_the_last_good_file_and_no_temporary_one(tmp_path, monkeypatch):
    import nn.module
    from nn import MLP

    path = tmp_path / "model.npz"
    good = MLP([2, 3, 1], seed=0)
    good.save(path)
    before = path.read_bytes()

    def full_disk(f, arrays, who):
        f.write(b"PK\x03\x04 half a file")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(nn.module, "write_npz", full_disk)
    with pytest.raises(OSError, match="No space left"):
        MLP([2, 3, 1], seed=1).save(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]
    monkeypatch.undo()
    loaded = MLP([2, 3, 1], seed=5).load(path)
    assert all(np.array_equal(a.data, b.data) for a, b in zip(loaded.parameters(), good.parameters()))


def test_save_over_a_folder_or_into_a_missing_one_is_named_and_writes_nothing(tmp_path):
    from nn import MLP

    with pytest.raises(IsADirectoryError, match="save: cannot write the file"):
        MLP([2, 1]).save(tmp_path)
    with pytest.raises(FileNotFoundError, match="save: cannot write the file"):
        MLP([2, 1]).save(tmp_path / "missing" / "m.npz")
    assert list(tmp_path.iterdir()) == []


class _Wrap(Module):
    def __init__(self, inner, k):
        self.w = Tensor([float(k)], requires_grad=True)
        self.inner = inner


def test_a_model_nested_thousands_of_modules_deep_lists_saves_and_loads_its_parameters(tmp_path):
    depth = 1200                                       # recursion stopped near 500 levels with RecursionError
    model = None
    for k in range(depth):
        model = _Wrap(model, k)
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["w", "inner.w", "inner.inner.w"] and len(names) == depth
    assert names[-1] == ".".join(["inner"] * (depth - 1) + ["w"])
    assert [float(p.data[0]) for p in model.parameters()] == [float(k) for k in range(depth - 1, -1, -1)]
    assert len(list(model.named_modules())) == depth - 1
    path = model.save(tmp_path / "deep.npz")
    for p in model.parameters():
        p.data[0] = -1.0
    model.load(path)
    assert [float(p.data[0]) for p in model.parameters()] == [float(k) for k in range(depth - 1, -1, -1)]


def test_the_walk_keeps_attribute_order_depth_first_with_containers_and_a_shared_module():
    shared = _Wrap(None, 9)

    class Net(Module):
        def __init__(self):
            self.a = Tensor([1.0], requires_grad=True)
            self.blocks = [_Wrap(shared, 2), {"x": Tensor([3.0], requires_grad=True), "y": shared}]
            self.b = Tensor([4.0], requires_grad=True)

    names = [name for name, _ in Net().named_parameters()]
    # pre-order, attribute order; the shared module keeps the first name it is met under
    assert names == ["a", "blocks.0.w", "blocks.0.inner.w", "blocks.1.x", "b"]


def test_compare_reads_a_model_saved_after_fit_set_its_output_threshold(tmp_path):
    from nn import SGD, fit
    from nn.compare import read_saved_mlp

    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    model = MLP([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    fit(model, X, Y, "quadratic", SGD(model.parameters(), lr=0.1), 2, progress=False)
    assert model._threshold is not None                        # so save writes the marker's fourth entry
    path = model.save(tmp_path / "fitted.npz")
    saved = read_saved_mlp(path)                                # refused a 4-entry marker: --weights failed
    assert (saved.engine, saved.sizes, saved.kinds) == ("tensor", [2, 3, 1],
                                                        {"activation": "tanh", "output_activation": "sigmoid"})
    rebuilt = saved.build()
    for p, q in zip(rebuilt.parameters(), model.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_save_and_load_take_a_bytes_path_and_refuse_a_number_or_none_by_name(tmp_path):
    model = MLP([2, 2], seed=0)
    path = model.save(str(tmp_path / "b.npz").encode())          # TypeError: can't mix strings and bytes
    assert path == str(tmp_path / "b.npz")
    MLP([2, 2]).load(str(path).encode())
    for bad in (3, None):
        with pytest.raises(TypeError, match=r"save: the path must be a str or a pathlib.Path .* got "):
            model.save(bad)
        with pytest.raises(TypeError, match=r"load: the path must be a str or a pathlib.Path .* got "):
            model.load(bad)


def test_save_writes_a_file_whose_name_is_near_the_longest_the_system_takes(tmp_path):
    name = "w" * 240 + ".npz"                                    # its temporary name added 20 and was too long
    model = MLP([2, 2], seed=1)
    path = model.save(tmp_path / name)
    loaded = MLP([2, 2]).load(path)
    for p, q in zip(loaded.parameters(), model.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left beside it


def test_load_of_a_later_format_says_a_later_deltagrad_wrote_it(tmp_path):
    import nn.module as module

    path = MLP([2, 2], seed=0).save(tmp_path / "m.npz")
    later = npy(np.array(["deltagrad-module-2", "nn.layers.MLP", "MLP"]))
    with zipfile.ZipFile(path) as z:
        write_zip(tmp_path / "later.npz", [stored(n, later if n == module.MARKER + ".npy" else z.read(n))
                                           for n in z.namelist()])
    with pytest.raises(ValueError, match=r"'deltagrad-module-2'.*a later deltagrad wrote it: upgrade deltagrad"):
        MLP([2, 2]).load(tmp_path / "later.npz")


def test_save_refuses_a_description_longer_than_load_reads_instead_of_writing_an_unloadable_file(tmp_path):
    class Wordy(Module):
        def __init__(self):
            self.w = Tensor([1.0], requires_grad=True)

        def extra_repr(self):
            return "x" * 100_000                    # 3 entries of 100,000 4-byte characters: over load's 1 MiB

    with pytest.raises(ValueError, match=r"save: this Wordy's describe\(\) is 100,\d{3} characters"):
        Wordy().save(tmp_path / "wordy.npz")
    assert list(tmp_path.iterdir()) == []

    class Brief(Wordy):
        def extra_repr(self):
            return "x" * 80_000

    Brief().load(Brief().save(tmp_path / "brief.npz"))            # under the limit: written and read back
