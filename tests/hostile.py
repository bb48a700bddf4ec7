"""Hostile files for the trust tests, each built in milliseconds: zip and gzip bombs made by repeating one
compressed block of zeros (so gigabytes of claimed data cost a few MiB of test file), and .npz archives whose
directory or .npy headers say whatever the test wants."""

from __future__ import annotations

import gzip
import io
import struct
import threading
import time
import tracemalloc
import zlib

import numpy as np
import pytest

MiB = 2**20


def deflated_zeros(prefix: bytes, mib: int) -> bytes:
    """A raw deflate stream of ``prefix`` then ``mib`` MiB of zeros, built from one compressed MiB repeated (each
    block is byte-aligned and starts a fresh dictionary, so the copies chain): about 1 KiB per MiB."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(MiB)
    first = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    return first + block * mib + c.flush()


def gzip_bomb(prefix: bytes, mib: int) -> bytes:
    """A gzip file whose stream is ``prefix`` then ``mib`` MiB of zeros (CRC left wrong: nobody should get there)."""
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + deflated_zeros(prefix, mib) + struct.pack("<II", 0, (len(prefix) + mib * MiB) % 2**32)


def npy_header(shape: tuple, dtype: str = "<f8", fortran: bool = False) -> bytes:
    """The bytes of a version 1.0 .npy header for ``shape`` and ``dtype`` (no data)."""
    out = io.BytesIO()
    np.lib.format.write_array_header_1_0(out, {"descr": dtype, "fortran_order": fortran, "shape": shape})
    return out.getvalue()


def npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array(out, array, allow_pickle=True)
    return out.getvalue()


def write_zip(path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip archive written byte by byte: each member is (name, stored bytes, method 0 or 8, the uncompressed size
    to put in the directory); CRCs are the real ones, except 0 for deflated members over 64 KiB (the bombs)."""
    body, directory = b"", b""
    for name, data, method, size in members:
        crc = zlib.crc32(data if method == 0 else zlib.decompress(data, -15)) if len(data) < 2**16 else 0
        raw = name.encode()
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(raw), 0)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data),
                                 size, len(raw), 0, 0, 0, 0, 0, len(body)) + raw
        body += local + raw + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0)
    with open(path, "wb") as f:
        f.write(body + directory + end)


def stored(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    return name, data, 0, len(data)


def marker(described: str = "nn.layers.MLP(2 -> 3, activation='sigmoid', output_activation='sigmoid')") -> tuple:
    return stored("__deltagrad__.npy", npy(np.array(["deltagrad-module-1", "nn.layers.MLP", described])))


def gzip_of(raw: bytes) -> bytes:
    return gzip.compress(raw, mtime=0)


def idx(type_byte: int, shape: tuple, body: bytes = b"") -> bytes:
    """An IDX file written from the format's definition, not from any loader: two zero bytes, the type byte, the
    number of dimensions, one big-endian unsigned 32-bit size per dimension, then ``body`` as given (so a test can
    make it shorter or longer than the sizes say)."""
    return bytes([0, 0, type_byte, len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + body


def within(seconds: float, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``'s result or exception, or an AssertionError if it takes longer than ``seconds``
    (a hang: the thread is left behind as a daemon so that the test run still ends)."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as e:          # handed to the test below
            box["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{getattr(fn, '__qualname__', fn)} still running after {seconds} s: it hangs"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def refused_cheaply(fn, *args, error=ValueError, match: str, seconds: float = 2.0, peak: int = 8 * MiB, **kwargs):
    """``fn(*args)`` raises ``error`` matching ``match`` within ``seconds`` and a traced peak under ``peak``."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(error, match=match) as caught:
            within(seconds, fn, *args, **kwargs)
        used = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < seconds
    assert used < peak, f"refusing took a peak of {used / MiB:.0f} MiB"
    return caught.value
