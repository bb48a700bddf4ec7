"""Files at the edges: open only regular files, and read a .npz by its headers before its data.

A file from elsewhere is not trusted: it may be a FIFO that never ends, ``/dev/zero``, a zip bomb, or an .npy header
that claims a terabyte. So ``open_regular`` refuses anything but a regular file (without hanging on a FIFO), and
``Npz`` reads the member names and each .npy header (shape, dtype) of an .npz archive without inflating any
data; the caller compares them with what it expects, and only then ``Npz.read`` reads the data, each member
exactly as long as its header says. Nothing is ever unpickled.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "a.npz")
>>> np.savez(path, w=np.ones((2, 3)))
>>> with Npz(path, who="example") as npz:
...     print({k: (m.shape, str(m.dtype)) for k, m in npz.headers().items()}, npz.read("w").sum())
{'w': ((2, 3), 'float64')} 6.0
"""

from __future__ import annotations

import bz2  # noqa: F401  (zipfile's bzip2 members raise OSError from here)
import lzma
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from math import prod
from typing import BinaryIO

import numpy as np
from numpy.lib import format as npy

from .checks import shown

MAX_BYTES = 2**31                 # the data a file may hold unless the caller raises the limit: 2 GiB
MAX_HEADER = 10_000               # numpy's own limit on an .npy header (np.load's max_header_size)
_DEFLATE_RATIO = 1100            # deflate shrinks at most 1032:1 (zeros); a member claiming more is lying
_KINDS = "biufU"                  # bool, integers, floats, and unicode text (the marker); never objects
# One entry of a zip's central directory: 46 bytes, the name, and extra fields (zip64's takes 28 bytes; timestamps
# and the like a few dozen more).
_ENTRY_BYTES, _EXTRA_BYTES = 46, 128
# Beyond the expected entries, a directory may take this much more (some thousands of entries: zipfile reads them
# in a few MiB), so that a model saved with other layers still gets load's message naming the arrays that differ.
_DIRECTORY_SLACK = 2**20
_LENGTHS = struct.Struct("<HHH")     # a directory entry's name, extra field and comment lengths
# What a broken archive or a broken compressed stream raises from zipfile, zlib, lzma, bz2 or numpy's header parser.
BROKEN = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, NotImplementedError, RuntimeError,
          struct.error, ValueError, SyntaxError, KeyError, IndexError, TypeError, OverflowError)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def shown_path(path: object, width: int = 160) -> str:
    """A path for an error message: ``repr(path)``, or past ``width`` characters its start and its end (the file's
    name) and its length, as ``checks.shown`` cuts a long string: ``mnist.py --idx`` with a path of 4,000
    characters wrote a message line of 8,000 (the path twice).

    >>> shown_path("data/mnist"), shown_path("/d/" + "x" * 300 + "/mnist", 20)
    ("'data/mnist'", "'/d/xxxxxxx'...'xxxx/mnist' (309 characters)")
    """
    text = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else str(path)
    if len(text) <= width:
        return repr(text)
    half = width // 2
    return f"{text[:half]!r}...{text[-half:]!r} ({len(text):,} characters)"


def path_of(path: object, who: str, what: str = "a file") -> str:
    """``path`` as a str (a str, bytes or os.PathLike, as open() takes), or an error naming ``who``: a TypeError
    for anything else (os.fspath's own names no function), a ValueError for a NUL byte (open() said only
    'embedded null byte', and os.path.isdir answered False, so a folder was reported missing).

    >>> path_of("a\\x00b", "read_idx")                       # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: read_idx: the path 'a\\x00b' holds a NUL byte (\\x00), which no file name can hold; ...
    """
    try:
        text = os.fsdecode(os.fspath(path))           # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{who}: the path must be a str or a pathlib.Path naming {what}, got "
                        f"{type(path).__name__} {path!r:.60}") from None
    if "\0" in text:
        raise ValueError(f"{who}: the path {shown_path(text)} holds a NUL byte (\\x00), which no file name can hold; "
                         "check how the path was built")
    return text


def open_regular(path: str | os.PathLike, who: str, fix: str) -> BinaryIO:
    """``path`` opened for reading in binary, after checking it is a regular file (not a FIFO, a device such as
    /dev/zero, or a directory, which could hang or never end). ``who`` starts the error messages, ``fix`` ends the
    one for a missing file. Raises FileNotFoundError or ValueError.

    >>> open_regular("/dev/zero", "read_idx", "")
    Traceback (most recent call last):
    ValueError: read_idx: '/dev/zero' is a character device, not a regular file; give the path of a file on disk
    """
    path = path_of(path, who)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise FileNotFoundError(f"{who}: no file {shown_path(path)}" + (f" ({fix})" if fix else "")) from None
    except OSError as e:
        raise ValueError(f"{who}: cannot read {shown_path(path)}: {e.strerror or e}") from None
    if not stat.S_ISREG(mode):
        raise ValueError(f"{who}: {shown_path(path)} is {_kind(mode)}, not a regular file; give the path of a file "
                         "on disk")
    # Checked again on the open descriptor: the path may have been swapped for a FIFO in between, and O_NONBLOCK
    # keeps the open itself from waiting for a writer.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise ValueError(f"{who}: cannot open {shown_path(path)}: {e.strerror or e}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise ValueError(f"{who}: {shown_path(path)} is {_kind(mode)}, not a regular file; give the path of a file "
                         "on disk")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


@dataclass(frozen=True)
class Member:
    """One array of an .npz archive as its headers describe it; no data has been read."""

    name: str               # the member's name in the zip ("layers.0.weight.npy")
    shape: tuple[int, ...]
    dtype: np.dtype
    fortran: bool
    offset: int             # where the data starts inside the member (after the .npy header)

    @property
    def nbytes(self) -> int:
        return prod(self.shape) * self.dtype.itemsize


def numpy_can_shape(shape: tuple[int, ...], itemsize: int) -> bool:
    """Whether numpy can make an array of ``shape``: it multiplies the sizes other than 0 by the item size and
    refuses a product past its largest index ("array is too big"), even for an array of size 0.

    >>> numpy_can_shape((0, 5), 1), numpy_can_shape((0, 2**32, 2**32), 1)
    (True, False)
    """
    return prod(n for n in shape if n) * itemsize <= np.iinfo(np.intp).max


def human(n: int) -> str:
    """A byte count for people (any size, even one no float holds).

    >>> human(100), human(3 * 2**30), human(2**8000)
    ('100 bytes', '3.0 GiB', 'about 10^2408 bytes')
    """
    n = int(n)
    if n < 1024:
        return f"{n} bytes"
    for i, unit in enumerate(("KiB", "MiB", "GiB", "TiB", "PiB")):
        if n < 1024 ** (i + 2) or unit == "PiB" and n < 2**1000:
            return f"{n / 1024 ** (i + 1):.1f} {unit}"
    return f"about 10^{int(n.bit_length() * 0.30103)} bytes"


class _Capped:
    """The stream ``f`` refusing to read past the longest .npy header numpy accepts: its reader reads the length a
    header claims (4 bytes in format 2.0: up to 4 GiB, inflated from a 4 MiB member) before comparing it with
    max_header_size."""

    def __init__(self, f: BinaryIO, name: str) -> None:
        self.f, self.name = f, name
        self.left = 12 + MAX_HEADER          # magic string and version (8 bytes), the header's length (2 or 4), it

    def read(self, n: int) -> bytes:
        if n > self.left:
            raise ValueError(f"member {self.name!r} claims an .npy header longer than the {MAX_HEADER} bytes numpy "
                             "reads")
        data = self.f.read(n)
        self.left -= len(data)
        return data


def _header(f: BinaryIO, name: str) -> tuple[tuple[int, ...], bool, np.dtype, int]:
    capped = _Capped(f, name)
    version = npy.read_magic(capped)
    if version == (1, 0):
        shape, fortran, dtype = npy.read_array_header_1_0(capped, max_header_size=MAX_HEADER)
    elif version == (2, 0):
        shape, fortran, dtype = npy.read_array_header_2_0(capped, max_header_size=MAX_HEADER)
    else:
        raise ValueError(f"member {name!r} is .npy format {version[0]}.{version[1]}; only 1.0 and 2.0 are read")
    return tuple(int(n) for n in shape), bool(fortran), np.dtype(dtype), f.tell()


class Npz:
    """An .npz file opened for reading by its headers first: ``keys`` come from the zip directory, ``headers()``
    gives each key's ``Member`` (shape and dtype from its .npy header, checked against its size in the zip
    directory) without inflating any data (at most a few KiB per member are read); ``read(key)`` then reads one
    array to exactly the length its header gives.

    Refused with ValueError naming ``path``: a file that is not a zip archive, a member that is not an .npy file,
    appears twice or is compressed other than by deflate (all three from the zip directory, before anything is
    inflated), an .npy header longer than numpy's 10,000 bytes (before it is read), an object (pickled) or other
    non-numeric dtype, a member whose size in the zip directory is not what its shape needs, a total over
    ``max_bytes`` (raise it for bigger files), and a corrupt archive or compressed stream. A missing file raises
    FileNotFoundError (its message ends with ``fix``).
    """

    def __init__(self, path: str | os.PathLike, who: str, max_bytes: int = MAX_BYTES,
                 fix: str = "save an array file there with numpy.savez", limit_fix: str = "",
                 kind: str = "a readable .npz archive", expected: list[str] | re.Pattern[bytes] | None = None) -> None:
        self.path, self.who, self.limit_fix, self.kind = os.fspath(path), who, limit_fix, kind
        self._file = open_regular(self.path, who, fix)
        try:
            if expected is not None:
                self._check_directory(expected)
            with self._errors(f"is not {self.kind}"):
                self._zip = zipfile.ZipFile(self._file)
                self._infos = _names(self._zip, self.path, who)
        except BaseException:
            self.close()
            raise
        self.max_bytes = max_bytes
        self._members: dict[str, Member] = {}

    def _check_directory(self, expected: list[str] | re.Pattern[bytes]) -> None:
        """Refuse a zip directory larger than the entries of the arrays ``expected`` can fill, before zipfile reads
        it: zipfile makes an object of every entry (about 650 bytes for each 100 of the file: 200,000 empty
        entries took 19 MB of file, 130 MiB of memory and seconds, all before a name could be compared). A pattern
        (where the arrays are known by the form of their names only) expects the entries whose names it matches."""
        found = _directory(self._file)                  # the end records, read once for the names and the size
        if isinstance(expected, re.Pattern):
            expected = [name.removesuffix(".npy") for name in _names_at(self._file, found, expected)]
        size = None if found is None else found[0]
        bound = _DIRECTORY_SLACK + sum(_ENTRY_BYTES + _EXTRA_BYTES + 4 * len(k + ".npy")     # UTF-8: 4 bytes a char
                                       for k in expected)
        if size is not None and size > bound:
            raise ValueError(
                f"{self.who}: {shown_path(self.path)} has a zip directory of {human(size)}, far more than the "
                f"{len(expected)} arrays expected can fill (at most {human(bound)}): it holds many other arrays, or "
                f"it is not {self.kind}; check the path"
            )

    @property
    def keys(self) -> list[str]:
        """The arrays' names, from the zip directory alone (nothing read)."""
        return list(self._infos)

    def member(self, key: str) -> Member:
        """The shape and dtype of ``key`` from its .npy header (a few hundred bytes inflated), checked against its
        size in the zip directory."""
        if key not in self._members:
            with self._errors(f"is not {self.kind}"):
                self._members[key] = _member(self._zip, self._infos[key], self.path, self.who)
        return self._members[key]

    def headers(self, keys: list[str] | None = None) -> dict[str, Member]:
        """``member(key)`` for ``keys`` (default all), refusing a total over ``max_bytes``."""
        out, total = {}, 0
        for key in self.keys if keys is None else keys:
            m = out[key] = self.member(key)
            total += m.nbytes
            if total > self.max_bytes:
                raise ValueError(
                    f"{self.who}: {shown_path(self.path)} claims {human(total)} of arrays or more ({key!r} alone has "
                    f"shape {m.shape} of {m.dtype}), over the limit of {human(self.max_bytes)}; "
                    + (self.limit_fix or "pass max_bytes= to read a file this big")
                )
        return out

    def _errors(self, what: str) -> _Broken:
        return _Broken(self, what)

    def read(self, key: str) -> np.ndarray:
        """The array ``key``, read to exactly the length its header gives and checked for the end of its stream
        (which checks its CRC-32); ValueError naming the file if it is shorter, longer or corrupt."""
        member = self.member(key)
        with self._errors("is corrupt"):
            with self._zip.open(member.name) as m:
                if _header(m, member.name)[:3] != (member.shape, member.fortran, member.dtype):
                    raise ValueError(f"the header of {key!r} changed while it was read")
                buf = bytearray(member.nbytes)
                view, got = memoryview(buf), 0
                while got < member.nbytes:
                    n = m.readinto(view[got:])
                    if not n:
                        break
                    got += n
                if got < member.nbytes or m.read(1):
                    raise ValueError(f"{key!r} does not hold the {member.nbytes} bytes its header claims")
        a = np.frombuffer(buf, dtype=member.dtype)
        return a.reshape(member.shape, order="F" if member.fortran else "C")

    def close(self) -> None:
        if getattr(self, "_zip", None) is not None:
            self._zip.close()
        self._file.close()

    def __enter__(self) -> Npz:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Broken:
    """Turns what a broken archive raises (zipfile, zlib, numpy's header parser, ...) into one ValueError."""

    def __init__(self, npz: Npz, what: str) -> None:
        self.npz, self.what = npz, what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, e: BaseException | None, tb: object) -> bool:
        if e is None or not isinstance(e, BROKEN):
            return False
        if isinstance(e, ValueError) and str(e).startswith(f"{self.npz.who}: "):
            return False                                    # already ours
        raise ValueError(f"{self.npz.who}: {shown_path(self.npz.path)} {self.what} ({type(e).__name__}: {e}); write it "
                         "again with model.save(path) or numpy.savez") from None


def directory_size(f: BinaryIO) -> int | None:
    """The size of the central directory that a zip archive's end records claim (zip64's when present, as zipfile
    reads them), from the file's last 64 KiB and 98 bytes (zipfile's window, and zip64's records before it); None
    if there is no end record (zipfile then says it is no zip). Only the end of ``f`` is read.

    >>> import io
    >>> buf = io.BytesIO()
    >>> write_npz(buf, {"w": np.zeros(3)}, "save")
    >>> directory_size(buf)                  # one entry: 46 bytes and the name "w.npy"
    51
    """
    found = _directory(f)
    return None if found is None else found[0]


def _directory(f: BinaryIO) -> tuple[int, int] | None:
    """(size, start) of the central directory, as zipfile finds them: the size from the end records, the start
    counted back from where the end record lies (zipfile's way, which also finds a zip appended to other data)."""
    f.seek(0, os.SEEK_END)
    end = f.tell()
    window = (1 << 16) + 22                             # zipfile's: the end record and a comment of up to 64 KiB
    f.seek(max(0, end - window - 76))                   # and room for zip64's locator and record before it
    data = f.read()
    f.seek(0)
    tail = data[-window:]
    before = len(data) - len(tail)                      # where tail starts in data
    # zipfile's order: a record at the very end with no comment, else the last signature in the tail
    at = len(tail) - 22 if tail[-22:-18] == b"PK\x05\x06" and tail[-2:] == b"\0\0" else tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    size = struct.unpack("<I", tail[at + 12: at + 16])[0]
    at += before                                        # zip64: a locator just before, its record before that
    records = end - len(data) + at                      # where the end records start in the file
    if at >= 76 and data[at - 20: at - 16] == b"PK\x06\x07" and data[at - 76: at - 72] == b"PK\x06\x06":
        size = struct.unpack("<Q", data[at - 76 + 40: at - 76 + 48])[0]
        records -= 76
    return size, records - size


def directory_names(f: BinaryIO, keep: re.Pattern[bytes], limit: int = _DIRECTORY_SLACK) -> list[str]:
    """The names of the entries of the zip archive ``f`` that the pattern ``keep`` matches whole, read from
    its central directory without zipfile, which makes an object of every entry before one name can be looked at
    (200,000 entries: 130 MiB and seconds). Only the names taken are kept, so that the caller can bound the
    directory by them (``Npz(..., expected=names)``) before zipfile reads it; the scan stops once the entries not
    taken pass ``limit`` bytes (the bound's slack: such a directory is refused whatever follows), at the
    directory's end, or at anything that is no entry (zipfile then names what is wrong). A name is decoded as
    zipfile decodes it (UTF-8 if its flag says so, else cp437).

    >>> import io
    >>> buf = io.BytesIO()
    >>> write_npz(buf, {"w": np.zeros(3), "b": np.zeros(1)}, "save")
    >>> directory_names(buf, re.compile(rb"w\\.npy"))
    ['w.npy']
    """
    return _names_at(f, _directory(f), keep, limit)


def _names_at(f: BinaryIO, found: tuple[int, int] | None, keep: re.Pattern[bytes],
              limit: int = _DIRECTORY_SLACK) -> list[str]:
    """``directory_names`` of the directory ``found`` = ``_directory(f)`` (size, start), read by the caller."""
    names: list[str] = []
    if found is None:
        return names
    size, start = found
    f.seek(max(start, 0))
    buf, at, left, other = b"", 0, size, 0    # bytes read, where the next entry starts in them, bytes not yet read
    while other <= limit:
        # An entry: 46 bytes (its signature, flags at 8, the name's, extra field's and comment's lengths at 28),
        # then the name, the extra field and the comment.
        end = at + 46
        if end <= len(buf):
            n, m, k = _LENGTHS.unpack_from(buf, at + 28)
            end += n + m + k
        if end > len(buf):                              # read on (at least 64 KiB: most entries take 100 bytes)
            chunk = f.read(min(left, max(1 << 16, end - len(buf)))) if left > 0 else b""
            if not chunk:
                break
            buf, at, left = buf[at:] + chunk, 0, left - len(chunk)
            continue
        if not buf.startswith(b"PK\x01\x02", at):
            break
        if keep.fullmatch(buf, at + 46, at + 46 + n):    # matched in place: no copy of a name that is not kept
            names.append(buf[at + 46: at + 46 + n].decode("utf-8" if buf[at + 9] & 0x08 else "cp437", "replace"))
        else:
            other += end - at
        at = end
    f.seek(0)
    return names


def member_names(keys: list[str], who: str) -> dict[str, str]:
    """The zip member name ``key + ".npy"`` of each key, refusing a key that zipfile would store under another name
    (it cuts a name at its first NUL, and on Windows turns ``\\`` into ``/``): such a file would be written
    without complaint and then fail to load, or two keys would become one member.

    >>> member_names(["layers.0.weight"], "save")
    {'layers.0.weight': 'layers.0.weight.npy'}
    >>> member_names(["a\\x00b"], "save")    # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: save: the name 'a\\x00b' cannot be stored in a zip archive as it is (zipfile would store it as 'a')...
    """
    out = {}
    for key in keys:
        name = key + ".npy"
        stored = zipfile.ZipInfo(name).filename
        if stored != name:
            raise ValueError(f"{who}: the name {key!r} cannot be stored in a zip archive as it is (zipfile would "
                             f"store it as {stored.removesuffix('.npy')!r}); rename the parameter")
        out[key] = name
    return out


def write_npz(f: BinaryIO, arrays: dict[str, np.ndarray], who: str) -> None:
    """Write ``arrays`` to the open binary file ``f`` as an uncompressed .npz archive, as ``numpy.savez`` does,
    but with any key: savez takes its keys as keyword arguments, so a key ``file`` is a TypeError and a key
    ``allow_pickle`` is taken as that switch and left out of the file without a word. Never pickles.
    A name zipfile would store otherwise is refused (``member_names``) before anything is written to ``f``.

    >>> import io
    >>> buf = io.BytesIO()
    >>> write_npz(buf, {"allow_pickle": np.arange(3.0)}, "save")
    >>> sorted(np.load(io.BytesIO(buf.getvalue())).items())
    [('allow_pickle', array([0., 1., 2.]))]
    """
    names = member_names(list(arrays), who)
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as z:
        for key, a in arrays.items():
            with z.open(names[key], "w", force_zip64=True) as member:
                npy.write_array(member, np.asanyarray(a), allow_pickle=False)


def _names(z: zipfile.ZipFile, path: str, who: str) -> dict[str, zipfile.ZipInfo]:
    out: dict[str, zipfile.ZipInfo] = {}
    for info in z.infolist():
        name = info.filename
        if not name.endswith(".npy"):
            raise ValueError(f"{who}: {shown_path(path)} holds {shown(name)}, which is not an .npy array; not an "
                             ".npz file")
        key = name[:-4]
        if key in out:
            raise ValueError(f"{who}: {shown_path(path)} holds {shown(name)} twice; write the file again with "
                             "model.save(path)")
        if info.flag_bits & 0x1:
            raise ValueError(f"{who}: {shown_path(path)} holds the encrypted member {shown(name)}; deltagrad reads "
                             "no encrypted files")
        # Checked here, before any member is opened: zipfile inflates bzip2 and LZMA without a bound on the output
        # (4 KiB of bzip2 is gigabytes of zeros), and the .npy header is read through that.
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ValueError(f"{who}: {shown_path(path)} holds {shown(key)} compressed by method "
                             f"{info.compress_type}; only stored and deflated members (what numpy.savez and "
                             "savez_compressed write) are read")
        out[key] = info
    return out


def _member(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, who: str) -> Member:
    name, key = info.filename, info.filename[:-4]
    with z.open(info) as m:
        shape, fortran, dtype, offset = _header(m, name)
    if dtype.hasobject:
        raise ValueError(
            f"{who}: {shown_path(path)} holds {key!r} as {dtype} data; only numbers (and text labels) are read, never "
            "objects, which would need pickle (allow_pickle=False, always)"
        )
    if dtype.kind not in _KINDS or dtype.names is not None or dtype.subdtype is not None:
        # Complex numbers, dates, raw bytes, records: nothing a model's weights or a marker are ever saved as.
        raise ValueError(f"{who}: {shown_path(path)} holds {key!r} as {dtype} data; only real numbers (and text "
                         "labels) are read; write the file again with model.save(path)")
    if dtype.itemsize == 0:                              # numpy cannot make an array of them (np.frombuffer raises)
        raise ValueError(f"{who}: {shown_path(path)} is corrupt: {key!r} claims items of {dtype.str}, 0 bytes each; "
                         "write the file again")
    if any(n < 0 for n in shape):
        raise ValueError(f"{who}: {shown_path(path)} is corrupt: {key!r} claims the shape {shape}, with a negative "
                         "size")
    if not numpy_can_shape(shape, dtype.itemsize):       # even an empty one: numpy refuses (0, 2**62, 2**62)
        raise ValueError(f"{who}: {shown_path(path)} is corrupt: {key!r} claims the shape {shape}, which numpy "
                         "cannot make (its sizes other than 0 multiply past 2^63 bytes); write the file again")
    member = Member(name, shape, dtype, fortran, offset)
    floor = info.file_size if info.compress_type == zipfile.ZIP_STORED else info.file_size // _DEFLATE_RATIO
    if info.compress_size < floor:
        raise ValueError(
            f"{who}: {shown_path(path)} is corrupt: {key!r} claims {human(info.file_size)} but holds only "
            f"{human(info.compress_size)}" + ("" if info.compress_type == zipfile.ZIP_STORED else
                                              f", more than deflate's {_DEFLATE_RATIO}:1 can shrink")
            + "; write the file again"
        )
    if info.file_size != offset + member.nbytes:
        raise ValueError(
            f"{who}: {shown_path(path)} is corrupt: {key!r} claims shape {shape} of {dtype} ({human(member.nbytes)}) "
            f"but its size in the zip directory is {human(info.file_size)}; write the file again"
        )
    return member
