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
