"""What a gzip file holds besides its data is bounded: gzip reads it slowly, and it inflates to nothing.

Nothing in the gzip format (RFC 1952) bounds the file name (FNAME) or comment (FCOMMENT) of a member's header, the
zeros after the last member, or the number of members, and Python's gzip module reads names, comments and padding
a byte at a time and spends microseconds on every member: a 4 MiB name took read_idx 1.7 s, 4 MiB of padding
0.9 s, 100,000 empty members (2 MB) 0.8 s. ``read_idx`` now refuses more than 64 KiB in a row of name, comment or
padding (a member's name and comment count together), more than 128 KiB of file before the IDX header, and then
more file than the header's data can compress to. The members here are written byte by byte from RFC 1952
(section 2.3).
"""

from __future__ import annotations

import gzip
import io
import struct
import time
import zlib

import numpy as np
import pytest
from hostile import idx, within

from nn import data
from nn.data import read_idx

FNAME, FCOMMENT, FEXTRA = 0x08, 0x10, 0x04
LABELS = idx(0x08, (3,), bytes([7, 8, 9]))


def member(raw: bytes, flags: int = 0, name: bytes = b"", comment: bytes = b"", extra: bytes = b"") -> bytes:
    """One gzip member of ``raw``: the 10-byte header with ``flags``, the optional fields, deflated data, CRC-32
    and size."""
    header = struct.pack("<BBBBIBB", 0x1F, 0x8B, 8, flags, 0, 0, 255)
    if flags & FEXTRA:
        header += struct.pack("<H", len(extra)) + extra
    if flags & FNAME:
        header += name + b"\0"
    if flags & FCOMMENT:
        header += comment + b"\0"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return header + c.compress(raw) + c.flush() + struct.pack("<II", zlib.crc32(raw), len(raw))


def refused_at_once(path, match: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError, match=match):
        within(5.0, read_idx, path)
    assert time.perf_counter() - start < 0.5, "refusing took longer than reading 4 MiB a byte at a time"


LONG = r"holds over 64.0 KiB of gzip file name, comment or zero padding in a row, which gzip reads a byte at a time"


@pytest.mark.parametrize("field", ["name", "comment"])
def test_a_name_or_comment_of_4_mib_is_refused_at_once(tmp_path, field):
    path = tmp_path / "labels-idx1-ubyte.gz"
    long = b"a" * (4 << 20)
    path.write_bytes(member(LABELS, FNAME, name=long) if field == "name" else member(LABELS, FCOMMENT, comment=long))
    refused_at_once(path, rf"read_idx: '.*labels-idx1-ubyte.gz' {LONG} \(seconds per few MiB\); no IDX file is "
                          r"compressed so: compress the raw file again with gzip")


def test_4_mib_of_zero_padding_after_the_last_member_is_refused_at_once(tmp_path):
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(member(LABELS) + bytes(4 << 20))
    refused_at_once(path, rf"read_idx: '.*labels-idx1-ubyte.gz' {LONG}")


def test_a_second_members_long_name_is_refused_too(tmp_path):
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(member(LABELS[:6]) + member(LABELS[6:], FNAME | FCOMMENT, name=b"n" * (2 << 20),
                                                 comment=b"c" * (2 << 20)))
    refused_at_once(path, rf"read_idx: '.*labels-idx1-ubyte.gz' {LONG}")


def test_load_mnist_refuses_such_a_file_when_it_reads_the_headers(tmp_path):
    images = idx(0x08, (3, 28, 28), bytes(3 * 784))
    for stem, raw in (("train-images-idx3-ubyte", images), ("t10k-images-idx3-ubyte", images),
                      ("t10k-labels-idx1-ubyte", LABELS)):
        (tmp_path / (stem + ".gz")).write_bytes(member(raw))
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(member(LABELS, FNAME, name=b"x" * (4 << 20)))
    start = time.perf_counter()
    with pytest.raises(ValueError, match=rf"train-labels-idx1-ubyte.gz' {LONG}"):
        data.load_mnist(tmp_path)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("name, comment, extra, padding", [
    (b"t10k-labels-idx1-ubyte", b"", b"", 0),            # what gzip writes: the file's name
    (b"n" * 30_000, b"c" * 30_000, b"", 0),              # name and comment: 60,000 bytes in a row
    (b"", b"", b"e" * 65_535, 50_000),                   # the extra field is read in one go; padding under 64 KiB
])
def test_headers_and_padding_under_the_bound_read_the_numbers_as_stored(tmp_path, name, comment, extra, padding):
    path = tmp_path / "labels-idx1-ubyte.gz"
    flags = (FNAME if name else 0) | (FCOMMENT if comment else 0) | (FEXTRA if extra else 0)
    path.write_bytes(member(LABELS, flags, name=name, comment=comment, extra=extra) + bytes(padding))
    assert gzip.decompress(path.read_bytes()) == LABELS          # a valid gzip file, as the gzip module reads it
    a = read_idx(path)
    assert a.dtype == np.uint8 and a.tolist() == [7, 8, 9]


def test_the_gzip_module_writes_the_name_that_is_read(tmp_path):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="t10k-labels-idx1-ubyte", fileobj=buf, mode="wb", mtime=0) as g:
        g.write(LABELS)
    assert buf.getvalue()[3] & FNAME                              # the header holds the name
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(buf.getvalue())
    assert read_idx(path).tolist() == [7, 8, 9]


EMPTY = member(b"")                                                # 20 bytes that inflate to nothing
FLOOD = r"holds .* of gzip file or more {}: what is more is empty gzip members, long headers or padding"


def test_100_000_empty_members_before_the_header_are_refused_at_once(tmp_path):
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(EMPTY * 100_000 + member(LABELS))              # 2 MB: it took 0.8 s to read
    refused_at_once(path, "read_idx: '.*labels-idx1-ubyte.gz' " + FLOOD.format(r"before its IDX header, which is 8 "
                                                                               r"to 1,024 bytes"))


def test_100_000_empty_members_after_the_header_are_refused_at_once(tmp_path):
    path = tmp_path / "labels-idx1-ubyte.gz"
    path.write_bytes(member(LABELS[:8]) + EMPTY * 100_000 + member(LABELS[8:]))
    refused_at_once(path, "read_idx: '.*labels-idx1-ubyte.gz' " + FLOOD.format(
        r"where a 3 array of uint8 \(11 bytes\) compresses to at most 128.0 KiB"))


@pytest.mark.parametrize("members", [1, 40])
def test_random_bytes_in_one_member_or_many_read_as_stored(tmp_path, members):
    # Incompressible data makes the file a little larger than the data (deflate's stored blocks); bgzip's members
    # hold 64 KiB each. Both are read whole.
    pixels = np.random.default_rng(0).integers(0, 256, (40, 64, 64), dtype=np.uint8)
    raw = idx(0x08, pixels.shape, pixels.tobytes())
    step = -(-len(raw) // members)
    path = tmp_path / "images-idx3-ubyte.gz"
    path.write_bytes(b"".join(member(raw[i: i + step]) for i in range(0, len(raw), step)))
    assert path.stat().st_size > len(raw)
    np.testing.assert_array_equal(read_idx(path), pixels)
