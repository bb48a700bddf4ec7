"""Paths that no file can have: a NUL byte, or no path at all, are refused naming the function and the path.

open() said only "embedded null byte" (save, load, read_idx), and os.fspath "expected str, bytes or os.PathLike
object" without naming the function that was called.
"""

from __future__ import annotations

import os

import pytest

from nn import MLP, scalar


@pytest.mark.parametrize("make", [lambda: MLP([2, 3], seed=0), lambda: scalar.MLP(2, [3], seed=0)])
@pytest.mark.parametrize("who", ["save", "load"])
def test_save_and_load_refuse_a_path_with_a_nul_byte_by_name_and_write_nothing(tmp_path, make, who):
    model = make()
    with pytest.raises(ValueError, match=rf"{who}: the path '.*m\\x00.npz' holds a NUL byte \(\\x00\), which no "
                                         "file name can hold"):
        getattr(model, who)(str(tmp_path / "m\0.npz"))
    assert os.listdir(tmp_path) == []


def test_save_and_load_take_a_bytes_path_as_open_does(tmp_path):
    model = MLP([2, 3], seed=0)
    path = os.fsencode(tmp_path / "m.npz")
    assert model.save(path) == os.fsdecode(path)
    other = MLP([2, 3], seed=1).load(path)
    assert (other.layers[0].weight.data == model.layers[0].weight.data).all()
