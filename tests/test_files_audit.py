"""A hostile audit of saved files (nn/files.py) and of the PyTorch interop (nn/pytorch.py): each test is an input
that was once loaded with a silently wrong result, an unbounded allocation, or a bare error."""

from __future__ import annotations

import struct
import time
import tracemalloc

import numpy as np
import pytest
from hostile import MiB, deflated_zeros, marker, npy, stored, within, write_zip

from nn import MLP
from nn.files import Npz


def peak_of(fn, *args, error=ValueError, match: str) -> int:
    """The traced peak of memory while ``fn(*args)`` raises ``error`` matching ``match`` (within 5 s)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(error, match=match):
            within(5.0, fn, *args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        assert time.perf_counter() - start < 5.0


# --- an .npy header that claims a length of hundreds of MiB -----------------------------------------------------

def long_header(name: str, mib: int) -> tuple[str, bytes, int, int]:
    """A deflated member whose .npy 2.0 header says it is ``mib`` MiB long (4 bytes may claim up to 4 GiB): numpy's
    reader reads that many bytes before it compares the length with its limit of 10,000."""
    prefix = b"\x93NUMPY\x02\x00" + struct.pack("<I", mib * MiB)
    return name, deflated_zeros(prefix, mib), 8, len(prefix) + mib * MiB


@pytest.mark.parametrize("where", ["__deltagrad__", "layers.0.weight"])
def test_load_refuses_an_npy_header_claiming_64_mib_without_inflating_it(tmp_path, where):
    path = tmp_path / "long_header.npz"
    members = {"__deltagrad__": marker(), "layers.0.weight": stored("layers.0.weight.npy", npy(np.zeros((3, 2)))),
               "layers.0.bias": stored("layers.0.bias.npy", npy(np.zeros(3)))}
    members[where] = long_header(f"{where}.npy", 64)
    write_zip(path, list(members.values()))
    assert path.stat().st_size < MiB // 4
    used = peak_of(MLP([2, 3]).load, path, match=rf"load: .*long_header.npz.*{where}.npy.*header longer than")
    assert used < 8 * MiB, f"refusing took a peak of {used / MiB:.0f} MiB: the header was inflated"


def test_npz_headers_refuse_an_npy_header_claiming_64_mib_without_inflating_it(tmp_path):
    path = tmp_path / "long_header.npz"
    write_zip(path, [long_header("w.npy", 64)])
    with Npz(path, "example") as npz:
        used = peak_of(npz.headers, match=r"example: .*'w.npy' claims an .npy header longer than")
    assert used < 8 * MiB, f"refusing took a peak of {used / MiB:.0f} MiB: the header was inflated"
