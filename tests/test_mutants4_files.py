"""Mutation testing, fourth round: nn.files. human() writes PiB up to 2^1000 bytes, Npz.headers refuses a total
just over max_bytes, and an archive holding one member twice is refused from its zip directory."""

import os
import warnings
import zipfile

import numpy as np
import pytest

from nn.files import Npz, human, write_npz


def test_human_writes_pib_past_1024_of_them():
    assert human(2**60) == "1024.0 PiB"
    assert human(2**1000).startswith("about 10^301 ")


def test_headers_refuse_a_total_just_over_max_bytes(tmp_path):
    path = os.fspath(tmp_path / "a.npz")
    with open(path, "wb") as f:
        write_npz(f, {"a": np.zeros(10), "b": np.zeros(10)}, "test")          # 160 bytes of arrays
    with Npz(path, "test", max_bytes=160) as npz:
        assert set(npz.headers()) == {"a", "b"}
    with Npz(path, "test", max_bytes=159) as npz, pytest.raises(ValueError, match=r"claims 160 bytes of arrays"):
        npz.headers()


def test_an_archive_holding_one_member_twice_is_refused(tmp_path):
    path = os.fspath(tmp_path / "twice.npz")
    with open(path, "wb") as f:
        write_npz(f, {"a": np.zeros(2)}, "test")
    with zipfile.ZipFile(path) as z:
        data = z.read("a.npy")
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as z:
        warnings.simplefilter("ignore")                                     # zipfile's "Duplicate name"
        z.writestr("a.npy", data)
    with pytest.raises(ValueError, match=r"holds 'a.npy' twice"):
        Npz(path, "test")
