"""read_idx's messages say what is wrong with a raw IDX file, so that the fix they give is the right one.

A header written little-endian (numpy's tofile, struct.pack('<I') on a PC) was reported as "truncated" or as
claiming petabytes, "pass max_bytes= to read a file this big"; and a raw file far shorter than its header's claim
was told to raise max_bytes, which could only make it fail as truncated. Files are written from the IDX format's
definition (``hostile.idx``) or by hand here.
"""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest
from hostile import idx, refused_cheaply

from nn import data


@pytest.mark.parametrize("shape", [(100,), (100, 28, 28), (3, 5)])
def test_sizes_written_little_endian_are_named_as_such(tmp_path, shape):
    path = tmp_path / "le-idx"
    body = bytes(int(np.prod(shape)))
    path.write_bytes(bytes([0, 0, 0x08, len(shape)]) + struct.pack(f"<{len(shape)}I", *shape) + body)
    refused_cheaply(data.read_idx, path,
                    match=rf"read_idx: '.*le-idx' holds its sizes little-endian: read so, they are "
                          rf"{'x'.join(map(str, shape))}, which fits the file, but IDX stores each size big-endian "
                          r"\(most significant byte first\); write them with struct.pack\('>I', n\)")


def test_sizes_written_little_endian_in_a_gzip_file_are_named_by_its_trailers_size(tmp_path):
    # MNIST ships gzipped: the inflated size the gzip trailer states tells the swapped header apart (it was "over
    # the limit; pass max_bytes=", or "truncated")
    for shape in ((100, 28, 28), (5,)):
        path = tmp_path / "le-idx.gz"
        raw = bytes([0, 0, 0x08, len(shape)]) + struct.pack(f"<{len(shape)}I", *shape) + bytes(int(np.prod(shape)))
        path.write_bytes(gzip.compress(raw))
        refused_cheaply(data.read_idx, path,
                        match=rf"read_idx: '.*le-idx.gz' holds its sizes little-endian: read so, they are "
                              rf"{'x'.join(map(str, shape))}, which fits the stream, but IDX stores each size")


def test_a_raw_files_sizes_are_compared_exactly_not_modulo_2_to_the_32(tmp_path):
    # read little-endian, (2, 2^31 + 5) is 2^32 + 10 bytes: modulo 2^32 (a gzip trailer's size) it would "fit" a file
    # of 18 + 10 bytes; a raw file's size is exact, so it is truncated, not little-endian
    path = tmp_path / "short-idx"
    path.write_bytes(bytes([0, 0, 0x08, 2]) + struct.pack("<2I", 2, 2**31 + 5) + bytes(10))
    refused_cheaply(data.read_idx, path, match=r"read_idx: '.*short-idx' is truncated")


def test_load_mnist_passes_the_little_endian_diagnosis_on(tmp_path):
    for name, shape in (("train-images-idx3-ubyte", (2, 28, 28)), ("train-labels-idx1-ubyte", (2,)),
                        ("t10k-images-idx3-ubyte", (1, 28, 28)), ("t10k-labels-idx1-ubyte", (1,))):
        (tmp_path / name).write_bytes(idx(0x08, shape, bytes(int(np.prod(shape)))))
    shape = (1, 28, 28)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(bytes([0, 0, 8, 3]) + struct.pack("<3I", *shape) + bytes(784))
    with pytest.raises(ValueError, match=r"read_idx: '.*t10k-images-idx3-ubyte' holds its sizes little-endian: read "
                                         r"so, they are 1x28x28"):
        data.load_mnist(tmp_path)


def test_a_raw_file_far_shorter_than_a_claim_over_the_limit_is_called_truncated(tmp_path):
    # It was told "over the limit of 2.0 GiB; pass max_bytes=": with that, it fails as truncated.
    path = tmp_path / "short-idx3-ubyte"
    path.write_bytes(idx(0x08, (60000, 2000, 2000), bytes(100)))
    refused_cheaply(data.read_idx, path, match=r"read_idx: '.*short-idx3-ubyte' is truncated: a 60000x2000x2000 "
                                               r"array of uint8 needs 240000000016 bytes, the file has 116")


def test_sizes_that_fit_neither_way_are_truncated_or_too_long_as_before(tmp_path):
    path = tmp_path / "odd-idx1-ubyte"
    path.write_bytes(idx(0x08, (5,), bytes(4)))
    with pytest.raises(ValueError, match=r"is truncated: a 5 array of uint8 needs 13 bytes, the file has 12"):
        data.read_idx(path)
    path.write_bytes(idx(0x08, (5,), bytes(6)))
    with pytest.raises(ValueError, match=r"is longer than its header says: a 5 array of uint8 needs 13 bytes, the "
                                         r"file has 14"):
        data.read_idx(path)
    # A size that reads the same both ways (0x01000001) is big-endian already: no little-endian diagnosis.
    path.write_bytes(idx(0x08, (0x01000001,), bytes(3)))
    with pytest.raises(ValueError, match=r"is truncated: a 16777217 array"):
        data.read_idx(path)
