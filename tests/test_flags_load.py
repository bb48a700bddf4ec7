"""save and load refuse NaN or inf weights by name (a model of them outputs NaN, and training from it gives NaN
everywhere); allow_nonfinite=True writes and reads them all the same, to look at a run that diverged."""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograd import Value
from nn import MLP, scalar


def _diverged() -> MLP:
    model = MLP([2, 3, 1], seed=0)
    model.layers[0].weight.data[1, :] = [np.nan, np.inf]
    model.layers[1].bias.data[0] = -np.inf
    return model


def test_save_refuses_nan_or_inf_weights_by_name_and_writes_nothing(tmp_path):
    path = tmp_path / "m.npz"
    with pytest.raises(ValueError, match=re.escape("save: parameter 'layers.0.weight' holds 2 NaN or inf entries "
                                                   "of 6") + r".*save\(path, allow_nonfinite=True\)"):
        _diverged().save(path)
    assert not path.exists()


def _written(model, path) -> str:
    """The file an older save wrote for ``model``, NaN and all."""
    marker = np.array(["deltagrad-module-1", "nn.layers.MLP", model.describe()])
    np.savez(path, __deltagrad__=marker, **model.state_dict())
    return str(path)


def test_load_refuses_nan_or_inf_weights_by_name_and_changes_nothing(tmp_path):
    path = _written(_diverged(), tmp_path / "m.npz")
    model = MLP([2, 3, 1], seed=1)
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(ValueError, match=re.escape(f"load: parameter 'layers.0.weight' in {path!r} holds 2 NaN or "
                                                   "inf entries of 6. Nothing was loaded")
                       + r".*allow_nonfinite=True"):
        model.load(path)
    assert all(np.array_equal(p.data, b) for p, b in zip(model.parameters(), before))
    # the same file, on request: every entry as it was saved; and save(allow_nonfinite=True) writes the same
    model.load(path, allow_nonfinite=True)
    for p, q in zip(model.parameters(), _diverged().parameters()):
        np.testing.assert_array_equal(p.data, q.data)                   # NaN where NaN, inf where inf
    again = MLP([2, 3, 1], seed=1).load(model.save(tmp_path / "again.npz", allow_nonfinite=True),
                                        allow_nonfinite=True)
    for p, q in zip(again.parameters(), model.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_a_later_parameter_is_named_too(tmp_path):
    model = MLP([2, 3, 1], seed=0)
    model.layers[1].bias.data[0] = np.inf
    with pytest.raises(ValueError, match=r"save: parameter 'layers.1.bias' holds 1 NaN or inf entry of 1\."):
        model.save(tmp_path / "m.npz")


def test_the_scalar_engine_refuses_a_nan_value_on_save_and_load(tmp_path):
    model = scalar.MLP(2, [2, 1], seed=0)
    model.layers[1].neurons[0].b.data = float("nan")
    with pytest.raises(ValueError, match=r"save: parameter 'layers.1.neurons.0.b' holds 1 NaN or inf entry of 1"):
        model.save(tmp_path / "s.npz")
    path = model.save(tmp_path / "s.npz", allow_nonfinite=True)
    with pytest.raises(ValueError, match=r"load: parameter 'layers.1.neurons.0.b' in .* holds 1 NaN or inf entry"):
        scalar.MLP(2, [2, 1], seed=1).load(path)
    loaded = scalar.MLP(2, [2, 1], seed=1).load(path, allow_nonfinite=True)
    assert isinstance(loaded.layers[1].neurons[0].b, Value) and np.isnan(loaded.layers[1].neurons[0].b.data)
