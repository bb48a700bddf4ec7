"""examples/mnist.py answers an --idx folder it cannot load as it answers a bad number: exit status 2 and one line
naming the option and what load_mnist found wrong (it ended in a traceback)."""

from __future__ import annotations

import pytest
from hostile import idx
from loading import load_example


def test_an_idx_folder_that_does_not_exist_is_one_line_naming_the_option(tmp_path, capsys):
    mnist = load_example("mnist")
    with pytest.raises(SystemExit) as e:
        mnist.main(["--idx", str(tmp_path / "nowhere"), "--epochs", "1"])
    assert e.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert f": error: --idx: load_mnist: {str(tmp_path / 'nowhere')!r} is not a folder" in last


def test_idx_files_whose_counts_differ_are_one_line_naming_both_files(tmp_path, capsys):
    for part, n_images, n_labels in (("train", 3, 2), ("t10k", 1, 1)):
        (tmp_path / f"{part}-images-idx3-ubyte").write_bytes(idx(0x08, (n_images, 28, 28), bytes(n_images * 784)))
        (tmp_path / f"{part}-labels-idx1-ubyte").write_bytes(idx(0x08, (n_labels,), bytes(n_labels)))
    mnist = load_example("mnist")
    with pytest.raises(SystemExit) as e:
        mnist.main(["--idx", str(tmp_path), "--epochs", "1"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "train-images-idx3-ubyte' holds 3 images but" in err and "train-labels-idx1-ubyte' 2 labels" in err
