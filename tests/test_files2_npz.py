"""Module.load bounds the zip directory by the arrays the model expects before zipfile reads it.

zipfile reads a whole central directory into an object per entry before a single name can be compared: 200,000
empty entries (19 MB of file) took 130 MiB of traced memory and seconds to refuse, and the memory grows with the
file. The archives here are written byte by byte from the zip format (APPNOTE 4.3.7, 4.3.12, 4.3.14-16).
"""

from __future__ import annotations

import struct
import zipfile

import numpy as np
import pytest
from hostile import MiB, refused_cheaply

from nn import MLP, files, scalar
from nn.files import directory_size

EOCD, ZIP64_EOCD, ZIP64_LOCATOR = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"


def empty_entries(path, n: int, zip64: bool = False, comment: bytes = b"", width: int = 1) -> int:
    """A zip archive of ``n`` empty stored members x0.npy, x1.npy, ... (``width`` x's before the number: 200 make a
    MiB of directory of a few thousand), written byte by byte from the zip format (APPNOTE 4.3.7, 4.3.12, 4.3.16);
    with ``zip64`` its end records are zip64's (the 32-bit fields saturated, as writers do past 65,535 entries).
    Returns the central directory's size."""
    body, directory = [], []
    offset = 0
    for i in range(n):
        name = f"{'x' * width}{i}.npy".encode()
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, 0, 0, 0, len(name), 0) + name
        directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0x21, 0, 0, 0, len(name),
                                     0, 0, 0, 0, 0, offset) + name)
        body.append(local)
        offset += len(local)
    central = b"".join(directory)
    end = b""
    if zip64:
        record = struct.pack("<4sQHHIIQQQQ", ZIP64_EOCD, 44, 45, 45, 0, 0, n, n, len(central), offset)
        end = record + struct.pack("<4sIQI", ZIP64_LOCATOR, 0, offset + len(central), 1)
        counts, size, start = 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF
    else:
        counts, size, start = min(n, 0xFFFF), len(central), offset      # zipfile reads the size, not the count
    end += struct.pack("<4sHHHHIIH", EOCD, 0, 0, counts, counts, size, start, len(comment)) + comment
    path.write_bytes(b"".join(body) + central + end)
    return len(central)


@pytest.mark.parametrize("zip64", [False, True])
def test_a_directory_of_30_000_entries_is_refused_before_zipfile_reads_it(tmp_path, zip64):
    path = tmp_path / "many.npz"
    size = empty_entries(path, 30_000, zip64=zip64)          # 1.7 MiB of directory
    assert zipfile.ZipFile(path).start_dir > 0          # a valid archive, as zipfile reads it
    refused_cheaply(MLP([2, 3]).load, path, peak=2 * MiB, seconds=1.0,
                    match=rf"load: '.*many.npz' has a zip directory of {size / MiB:.1f} MiB, far more than the 3 "
                          r"arrays expected can fill \(at most 1.0 MiB\): it holds many other arrays, or it is not a "
                          r"model saved by deltagrad's Module.save; check the path")


@pytest.mark.parametrize("n, zip64, comment, pad", [(0, False, b"", 0), (3, False, b"a comment", 0),
                                                    (5, True, b"", 0), (70_000, True, b"", 0),
                                                    # the end record at the very start of zipfile's 64 KiB + 22 window
                                                    (3, False, b"", 1 << 16),
                                                    # zip64's records pushed before that window by a long comment
                                                    (3, True, b"c" * 65_460, 0)])
def test_directory_size_is_what_zipfile_reads(tmp_path, n, zip64, comment, pad):
    path = tmp_path / "a.zip"
    size = empty_entries(path, n, zip64=zip64, comment=comment)
    with open(path, "ab") as f:
        f.write(b"\0" * pad)                            # bytes after the end record, which zipfile passes over
    with open(path, "rb") as f:
        assert directory_size(f) == size
        assert f.tell() == 0
    with zipfile.ZipFile(path) as z:
        assert len(z.infolist()) == n


def test_no_end_record_gives_none_and_load_says_it_is_no_zip(tmp_path):
    path = tmp_path / "text.npz"
    path.write_bytes(b"no zip here" * 100)
    with open(path, "rb") as f:
        assert directory_size(f) is None
    with pytest.raises(ValueError, match=r"load: '.*text.npz' is not a model saved by deltagrad's Module.save "
                                         r"\(BadZipFile"):
        MLP([2, 3]).load(path)


def test_a_model_saved_with_other_layers_still_gets_the_names_that_differ(tmp_path):
    # The slack above the expected entries: a bigger model's file is refused by its names, not its directory.
    path = MLP([2, 30, 30, 30, 30, 30, 1], seed=0).save(tmp_path / "big.npz")
    with pytest.raises(ValueError, match=r"load: '.*big.npz' does not fit this MLP: .*unexpected 'layers.1.weight'"):
        MLP([2, 3]).load(path)


def test_a_scalar_model_of_many_weights_still_loads(tmp_path, monkeypatch):
    # One member per weight (a Value MLP): 1,045 entries, each counted in the bound, which holds them without the
    # 1 MiB of slack (the bound per entry alone lets them through)
    monkeypatch.setattr(files, "_DIRECTORY_SLACK", 0)
    model = scalar.MLP(20, [40, 5], seed=0)
    path = model.save(tmp_path / "values.npz")
    other = scalar.MLP(20, [40, 5], seed=1).load(path)
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    assert len(model.parameters()) == 20 * 40 + 40 + 40 * 5 + 5 and np.isfinite(other.parameters()[0].data)
