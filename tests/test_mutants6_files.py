"""Mutation testing, sixth round: nn.files' shown and directory_names, read_saved_mlp's names and bound
(nn.compare), and read_idx's gzip bounds (nn.data's _GzipInput): names cut at exactly 60 characters, entry comments,
a directory size that points before the directory, the names a saved MLP's bound counts, a layer number of 9
digits, and 64 KiB of one-byte reads in a row, not in total."""

from __future__ import annotations

import gzip
import io
import re
import struct
import zipfile

import numpy as np
import pytest
from hostile import idx
from test_files3_gzip import FEXTRA, FNAME, LABELS, LONG, member

import nn.compare
from nn import MLP, scalar
from nn.compare import read_saved_mlp
from nn.data import read_idx
from nn.files import Npz, directory_names, shown

ANY = re.compile(rb".*", re.S)


def test_shown_cuts_a_name_after_60_characters_not_at_60():
    assert shown("a" * 60) == repr("a" * 60)
    assert shown("a" * 61) == f"{'a' * 60!r}... (61 characters)"
    assert shown(10**100) == repr(10**100)               # not a str: its repr, however long


def test_a_member_of_another_method_is_named_by_its_start(tmp_path):
    path = tmp_path / "b.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("a" * 200 + ".npy"), b"", compress_type=zipfile.ZIP_BZIP2)
    with pytest.raises(ValueError) as caught:
        Npz(str(path), "test")
    message = str(caught.value)
    assert f"holds {'a' * 60!r}... (200 characters) compressed by method 12" in message and len(message) < 400


def test_directory_names_skip_each_entrys_extra_field_and_comment(tmp_path):
    path = tmp_path / "c.zip"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(4):
            info = zipfile.ZipInfo(f"x{i}.npy")
            info.comment = b"a comment of entry %d" % i
            info.extra = struct.pack("<HH", 0xCAFE, 4) + b"abcd"      # one field of an unknown id, 4 bytes
            z.writestr(info, b"")
    with open(path, "rb") as f:
        assert directory_names(f, ANY) == zipfile.ZipFile(path).namelist()


def _claiming(path, size: int) -> None:
    """Make the end record of the zip ``path`` claim a central directory of ``size`` bytes."""
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<I", data, at + 12, size)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("before", [0, 10**6])
def test_a_directory_size_reaching_before_the_directory_gives_no_names_and_names_the_file(tmp_path, before):
    # the directory then starts at a local header (0) or before the file (negative): neither is an entry, and
    # zipfile names what is wrong (an OSError "Invalid argument" from seeking before 0 named nothing)
    path = tmp_path / "m.npz"
    MLP([2, 3], seed=0).save(path)
    records = path.read_bytes().rfind(b"PK\x05\x06")
    _claiming(path, records + before)
    with open(path, "rb") as f:
        assert directory_names(f, ANY) == []
        assert f.tell() == 0
    with pytest.raises(ValueError, match=re.escape(repr(str(path)))):
        read_saved_mlp(str(path))


def test_what_is_no_directory_entry_gives_no_name(tmp_path):
    # the end record claims a directory that starts at a stored member's bytes, laid out as an entry of the name
    # w.npy but for its signature: the scan stops there (zipfile then names what is wrong), it reads no name
    fake = b"PK\x09\x09" + bytes(24) + struct.pack("<HHH", 5, 0, 0) + bytes(12) + b"w.npy"
    path = tmp_path / "f.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.npy", fake)
    data = path.read_bytes()
    _claiming(path, data.rfind(b"PK\x05\x06") - data.find(fake))
    with open(path, "rb") as f:
        assert directory_names(f, ANY) == []


@pytest.mark.parametrize("model", [MLP([2, 3, 2], seed=0), scalar.MLP(2, [3, 2], seed=0)], ids=["tensor", "scalar"])
def test_the_bound_counts_every_entry_a_saved_mlp_holds_by_its_key(tmp_path, monkeypatch, model):
    seen = []

    class Spy(Npz):
        def __init__(self, *args, expected=None, **kwargs):
            seen.append(expected)
            super().__init__(*args, expected=expected, **kwargs)

    monkeypatch.setattr(nn.compare, "Npz", Spy)
    path = model.save(tmp_path / "m.npz")
    read_saved_mlp(path)
    keys = [name.removesuffix(".npy") for name in zipfile.ZipFile(path).namelist()]   # the marker, weights, biases
    assert "__deltagrad__" in keys and len(keys) == len(list(model.parameters())) + 1
    with open(path, "rb") as f:                     # the names read_saved_mlp's pattern takes as a saved MLP's
        counted = [name.removesuffix(".npy") for name in directory_names(f, seen[0])]
    assert sorted(counted) == sorted(keys)


def test_a_layer_number_of_9_digits_is_read_as_one(tmp_path):
    # layers.123456789.weight is a layer (9 digits are allowed), so the MLP's layers are not 0, 1, ...: refused, not
    # read as MLP([2, 3]) with the entry left out
    path = MLP([2, 3], seed=0).save(tmp_path / "t.npz")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("layers.123456789.weight.npy", b"")
    with pytest.raises(ValueError, match=re.escape(repr(str(path)))):
        read_saved_mlp(path)


@pytest.mark.parametrize("extra", [b"", b"ab"])
def test_a_name_of_65_535_bytes_is_read_and_one_more_is_refused(tmp_path, extra):
    # gzip reads the name and its NUL a byte at a time: 65,535 + 1 reads is the 64 KiB the bound allows; an extra
    # field before it is read two bytes (its length) and two (its bytes) at a time, which are no reads of one byte
    path = tmp_path / "labels-idx1-ubyte.gz"
    flags = FNAME | (FEXTRA if extra else 0)
    path.write_bytes(member(LABELS, flags, name=b"n" * 65_535, extra=extra))
    assert read_idx(path).tolist() == [7, 8, 9]
    path.write_bytes(member(LABELS, flags, name=b"n" * 65_536, extra=extra))
    with pytest.raises(ValueError, match=LONG):
        read_idx(path)


def test_one_byte_reads_count_in_a_row_not_in_total(tmp_path):
    # a name of 40,000 bytes and 40,000 bytes of padding: 80,000 reads of one byte, but the data read between
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(member(LABELS, FNAME, name=b"n" * 40_000) + bytes(40_000))
    a = read_idx(path)
    assert a.dtype == np.uint8 and a.tolist() == [7, 8, 9]


@pytest.mark.parametrize("size", [1 << 17, 1 << 20])
def test_a_gzip_file_read_in_chunks_of_128_kib_is_read(tmp_path, monkeypatch, size):
    # From Python 3.12 gzip reads its file 128 KiB at a time (gzip.READ_BUFFER_SIZE; 3.11 reads io's 8 KiB): its
    # first read took the header and 128 KiB, past the 128 KiB allowed before the IDX header is inflated, and every
    # gzip IDX file over 128 KiB (MNIST's train-images, 9.9 MB) was refused as "empty gzip members". Here 3.11's
    # gzip reads as 3.12's does.
    monkeypatch.setattr(io, "DEFAULT_BUFFER_SIZE", 128 * 1024)
    monkeypatch.setattr(gzip, "READ_BUFFER_SIZE", 128 * 1024, raising=False)
    labels = np.random.default_rng(0).integers(0, 256, size, dtype=np.uint8)   # incompressible: the file is larger
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(member(idx(0x08, labels.shape, labels.tobytes())))
    assert path.stat().st_size > size
    np.testing.assert_array_equal(read_idx(path), labels)
