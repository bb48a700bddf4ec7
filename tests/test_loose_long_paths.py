"""A very long path is cut in messages, as a huge number is shown by its size: ``examples/mnist.py --idx PATH``
with a path of 4,000 characters answered with an error line of over 8,000 (the path twice, whole)."""

import os

import pytest
from loading import load_example

from nn import data
from nn.files import shown_path


def test_a_short_path_is_shown_whole_and_a_long_one_by_its_start_its_end_and_its_length():
    assert shown_path("data/mnist") == "'data/mnist'"
    long = "/data/" + "a" * 200 + "b" * 200 + "/mnist"
    assert shown_path(long) == f"{long[:80]!r}...{long[-80:]!r} (412 characters)"
    assert shown_path(long, width=412) == repr(long)


def test_mnist_idx_with_a_path_of_4000_characters_answers_one_short_line_naming_its_ends(tmp_path, capsys):
    path = os.path.join(str(tmp_path), *["e" * 250] * 16, "mnist-folder")     # no such folder
    assert len(path) > 3900
    mnist = load_example("mnist")
    with pytest.raises(SystemExit) as e:
        mnist.main(["--idx", path, "--epochs", "1"])
    assert e.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.endswith("is not a folder; pass the folder holding the IDX files")
    assert f": error: --idx: load_mnist: {path[:80]!r}...{path[-80:]!r} ({len(path):,} characters)" in last
    assert len(last) < 400


def test_a_file_deep_in_a_long_folder_is_named_by_its_own_name_at_the_end(tmp_path):
    folder = os.path.join(str(tmp_path), *["f" * 200] * 14)         # about 2,900 characters, under PATH_MAX
    os.makedirs(folder)
    for part in ("train", "t10k"):
        for kind in ("images-idx3", "labels-idx1"):
            with open(os.path.join(folder, f"{part}-{kind}-ubyte"), "wb") as f:
                f.write(b"not an IDX file at all")
    with pytest.raises(ValueError) as e:
        data.load_mnist(folder)
    message = str(e.value)
    assert "is not an IDX file" in message
    assert "f" * 200 not in message and len(message) < 600
    name = os.path.join(folder, "train-images-idx3-ubyte")
    assert f"{name[-80:]!r} ({len(name):,} characters)" in message


def _deep(tmp_path, name):
    folder = os.path.join(str(tmp_path), *["g" * 200] * 14)         # about 2,900 characters, under PATH_MAX
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


def _cut(path):
    return f"{path[:80]!r}...{path[-80:]!r} ({len(path):,} characters)"


def test_module_load_and_save_name_a_long_path_by_its_ends(tmp_path):
    import numpy as np

    from nn import MLP

    other = _deep(tmp_path, "other.npz")
    np.savez(other, x=np.zeros(3))                                     # an .npz, but not a saved model
    with pytest.raises(ValueError) as e:
        MLP([2, 1]).load(other)
    assert f"load: {_cut(other)} is not a model saved by deltagrad's Module.save" in str(e.value)
    assert len(str(e.value)) < 600

    saved = MLP([2, 3, 1], seed=0).save(_deep(tmp_path, "model.npz"))
    with pytest.raises(ValueError) as e:                               # the file's shapes are not this model's
        MLP([2, 4, 1]).load(saved)
    assert _cut(saved) in str(e.value) and "g" * 200 not in str(e.value)

    missing = os.path.join(os.path.dirname(saved), "no-such-folder", "m.npz")
    with pytest.raises(OSError) as e:
        MLP([2, 1]).save(missing)
    assert f"save: cannot write the file {_cut(missing)}" in str(e.value) and len(str(e.value)) < 600


def test_compare_weights_and_manual_name_a_long_path_by_its_ends(tmp_path):
    import numpy as np

    from nn import compare

    other = _deep(tmp_path, "other.npz")
    np.savez(other, x=np.zeros(3))
    with pytest.raises(ValueError) as e:
        compare.read_saved_mlp(other)
    assert f"--weights: {_cut(other)} is not a model saved" in str(e.value) and len(str(e.value)) < 600

    missing = _deep(tmp_path, "homework.py")
    with pytest.raises(ValueError) as e:
        compare.load_function(missing + ":grads")
    assert f"--manual: no Python file {_cut(missing)}" in str(e.value) and "g" * 200 not in str(e.value)
