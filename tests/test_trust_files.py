"""Issue 10, trust at the edges: files never exhaust memory, hang, or escape as a bare zlib/zipfile/numpy error.

Every hostile file here is built in milliseconds (see ``hostile.py``); each refusal must come quickly, with a
deltagrad message, and with a small peak of traced memory (numpy's allocations are traced too).
"""

from __future__ import annotations

import gzip
import os
import pickle
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest
from hostile import (
    MiB,
    deflated_zeros,
    gzip_bomb,
    gzip_of,
    idx,
    marker,
    npy,
    npy_header,
    refused_cheaply,
    stored,
    write_zip,
)
from hypothesis import given
from hypothesis import strategies as st

from nn import MLP, data, scalar
from nn.files import Npz


def saved(tmp_path, name="m.npz"):
    model = MLP([2, 3], seed=0)
    return model, model.save(tmp_path / name)


# --- Module.load: names, then headers, then data -------------------------------------------------------------------

def test_load_refuses_a_header_claiming_a_huge_shape_before_allocating_it(tmp_path):
    path = tmp_path / "huge.npz"
    claimed = npy_header((20000, 2000))                     # 320 MB of float64 claimed, in 320 KiB of deflate
    big = ("layers.0.weight.npy", deflated_zeros(claimed, 320), 8, len(claimed) + 20000 * 2000 * 8)
    write_zip(path, [marker(), big,
                     stored("layers.0.bias.npy", npy(np.zeros(3)))])
    refused_cheaply(MLP([2, 3]).load, path,
                    match=r"'layers.0.weight' has shape \(3, 2\) in this model but \(20000, 2000\) in .*huge.npz")


def test_load_compares_names_before_inflating_a_zip_bomb(tmp_path):
    path = tmp_path / "bomb.npz"
    model, good = saved(tmp_path)
    with zipfile.ZipFile(good) as z:
        members = [stored(i.filename, z.read(i)) for i in z.infolist()]
    junk = npy_header((2**28,))                             # 2 GiB of zeros in 2 MiB of deflate
    members.append(("junk.npy", deflated_zeros(junk, 2048), 8, len(junk) + 2**31))
    write_zip(path, members)
    assert os.path.getsize(path) < 3 * MiB
    refused_cheaply(MLP([2, 3]).load, path, match=r"bomb.npz' does not fit this MLP: unexpected 'junk'")


def test_load_refuses_a_directory_size_that_is_not_what_the_header_needs(tmp_path):
    path = tmp_path / "liar.npz"
    header = npy_header((3, 2))
    write_zip(path, [marker(), ("layers.0.weight.npy", deflated_zeros(header, 1024), 8, len(header) + 2**30),
                     stored("layers.0.bias.npy", npy(np.zeros(3)))])
    refused_cheaply(MLP([2, 3]).load, path, match=r"liar.npz' is corrupt: 'layers.0.weight' claims shape \(3, 2\) "
                                                  r"of float64 \(48 bytes\) but its size in the zip directory is "
                                                  r"1.0 GiB")


def test_load_refuses_a_member_claiming_more_than_its_bytes_can_hold(tmp_path):
    path = tmp_path / "tiny.npz"
    claimed = npy_header((20000, 20000))                    # 3.2 GB claimed by a header and a few bytes
    for method, body in ((0, claimed + bytes(20)), (8, deflated_zeros(claimed, 0))):
        write_zip(path, [marker(), ("layers.0.weight.npy", body, method, len(claimed) + 20000 * 20000 * 8),
                         stored("layers.0.bias.npy", npy(np.zeros(3)))])
        refused_cheaply(MLP([2, 3]).load, path, match=r"tiny.npz' is corrupt: 'layers.0.weight' claims 3.0 GiB but "
                                                      r"holds only \d+ bytes")


def test_load_never_unpickles_an_object_array(tmp_path):
    path = tmp_path / "pickled.npz"
    trap = tmp_path / "unpickled"

    class Trap:
        def __reduce__(self):
            return (open, (str(trap), "w"))

    weights = np.empty((3, 2), dtype=object)
    weights[...] = Trap()
    write_zip(path, [marker(), stored("layers.0.weight.npy", npy(weights)),
                     stored("layers.0.bias.npy", npy(np.zeros(3)))])
    with pytest.raises(ValueError, match=r"'layers.0.weight' as object data; .* never objects, .*allow_pickle=False"):
        MLP([2, 3]).load(path)
    assert not trap.exists()
    pickle.loads(pickle.dumps(Trap()))                  # the trap works: unpickling it would have made the file
    assert trap.exists()


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "directory"])
def test_load_of_a_fifo_a_device_or_a_folder_is_refused_without_hanging(tmp_path, kind):
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        path = tmp_path / "pipe.npz"
        os.mkfifo(path)                                     # nobody writes: opening it for reading would block
        what = "a FIFO"
    elif kind == "dev_zero":
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        path, what = "/dev/zero", "a character device"
    else:
        path, what = tmp_path, "a directory"
    refused_cheaply(MLP([2, 3]).load, path, match=f"load: '.*' is {what}.*, not a regular file")


def test_a_corrupt_deflate_stream_is_a_clear_error(tmp_path):
    model = MLP([2, 3], seed=0)
    path = tmp_path / "z.npz"
    state = model.state_dict()
    np.savez_compressed(path, __deltagrad__=np.array(["deltagrad-module-1", "nn.layers.MLP", model.describe()]),
                        **state)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("layers.0.weight.npy")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    raw[start: start + info.compress_size] = b"\xff" * info.compress_size      # an invalid block type
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"load: '.*z.npz' is not a model saved by deltagrad's Module.save "
                                         r"\(error: .*\); write it again"):
        MLP([2, 3]).load(path)


def test_fortran_ordered_and_compressed_files_still_load(tmp_path):
    model = MLP([2, 3], seed=0)
    path = tmp_path / "f.npz"
    state = {k: np.asfortranarray(v) for k, v in model.state_dict().items()}
    np.savez_compressed(path, __deltagrad__=np.array(["deltagrad-module-1", "nn.layers.MLP", model.describe()]),
                        **state)
    other = MLP([2, 3], seed=1).load(path)
    assert np.array_equal(other.layers[0].weight.data, model.layers[0].weight.data)


def _weights_of(model):
    return [p.data.copy() if hasattr(p.data, "copy") else p.data for p in model.parameters()]


@given(st.data())
def test_corrupt_bytes_in_a_saved_model_load_correctly_or_raise_a_deltagrad_error(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    engine = data.draw(st.sampled_from(["tensor", "scalar", "compressed"]))
    model = scalar.MLP(2, [2], seed=0) if engine == "scalar" else MLP([2, 3], seed=0)
    path = folder / "m.npz"
    if engine == "compressed":
        np.savez_compressed(path, __deltagrad__=np.array(["deltagrad-module-1", "nn.layers.MLP",
                                                          model.describe()]), **model.state_dict())
    else:
        model.save(path)
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    path.write_bytes(bytes(raw))
    fresh = scalar.MLP(2, [2], seed=1) if engine == "scalar" else MLP([2, 3], seed=1)
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fresh.load(path)
    except (ValueError, TypeError, OSError) as e:
        assert type(e) in (ValueError, TypeError, FileNotFoundError), f"a bare {type(e).__name__}: {e}"
        assert str(e).startswith("load: ") and "m.npz" in str(e)
    else:
        for a, b in zip(_weights_of(fresh), _weights_of(model)):
            assert np.array_equal(a, b)


@pytest.mark.parametrize("dtype", ["complex128", "datetime64[s]", "V8", "S8"])
def test_a_weight_of_a_non_numeric_dtype_is_refused_for_what_it_is_not_as_pickle(tmp_path, dtype):
    # Only object arrays need pickle; a complex or bytes array is refused because it holds no real numbers.
    path = tmp_path / "odd.npz"
    write_zip(path, [marker(), stored("layers.0.weight.npy", npy(np.zeros((3, 2), dtype))),
                     stored("layers.0.bias.npy", npy(np.zeros(3)))])
    with pytest.raises(ValueError, match=r"load: '.*odd.npz' holds 'layers.0.weight' as \S+ data; only real "
                                         r"numbers \(and text labels\) are read") as caught:
        MLP([2, 3]).load(path)
    assert "pickle" not in str(caught.value)


def test_an_empty_npz_member_whose_other_sizes_overflow_is_refused_by_its_header(tmp_path):
    path = tmp_path / "empty.npz"
    write_zip(path, [stored("a.npy", npy_header((0, 2**62, 2**62)))])       # 0 bytes of data, as its shape says
    with Npz(path, "reader") as npz:
        with pytest.raises(ValueError, match=r"reader: '.*empty.npz' is corrupt: 'a' claims the shape "
                                             r"\(0, 4611686018427387904, 4611686018427387904\)"):
            npz.headers()


# --- read_idx and load_mnist ---------------------------------------------------------------------------------------

def _idx(array, type_byte=0x08):
    header = bytes([0, 0, type_byte, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def test_a_gzip_that_inflates_to_gigabytes_is_refused_after_its_header(tmp_path):
    path = tmp_path / "bomb-idx1-ubyte.gz"
    path.write_bytes(gzip_bomb(bytes([0, 0, 8, 1]) + struct.pack(">I", 10), 4096))   # 10 labels, then 4 GiB
    assert os.path.getsize(path) < 5 * MiB
    refused_cheaply(data.read_idx, path, match=r"bomb-idx1-ubyte.gz' is longer than its header says: a 10 array of "
                                               r"uint8 needs 18 bytes, the stream holds more")


def test_a_header_claiming_more_than_the_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big-idx3-ubyte.gz"
    path.write_bytes(gzip_bomb(bytes([0, 0, 8, 3]) + struct.pack(">III", 60000, 2000, 2000), 1))
    refused_cheaply(data.read_idx, path, match=r"big-idx3-ubyte.gz' claims a 60000x2000x2000 array of uint8 "
                                               r"\(223.5 GiB\), over the limit of 2.0 GiB; pass max_bytes=")
    raw = tmp_path / "small-idx1-ubyte"
    raw.write_bytes(_idx(np.arange(100, dtype=np.uint8)))
    with pytest.raises(ValueError, match=r"claims a 100 array of uint8 \(108 bytes\), over the limit of 64 bytes"):
        data.read_idx(raw, max_bytes=64)
    assert data.read_idx(raw, max_bytes=108).tolist() == list(range(100))


def test_a_raw_file_is_checked_against_its_size_before_reading(tmp_path):
    path = tmp_path / "short-idx1-ubyte"
    path.write_bytes(bytes([0, 0, 8, 1]) + struct.pack(">I", 2**30) + bytes(100))    # claims 1 GiB, holds 100 bytes
    refused_cheaply(data.read_idx, path, match=r"short-idx1-ubyte' is truncated: a 1073741824 array of uint8 needs "
                                               r"1073741832 bytes, the file has 108")


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "directory"])
def test_read_idx_of_a_fifo_a_device_or_a_folder_is_refused_without_hanging(tmp_path, kind):
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        path = tmp_path / "pipe-idx1-ubyte"
        os.mkfifo(path)
        what = "a FIFO"
    elif kind == "dev_zero":
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        path, what = "/dev/zero", "a character device"
    else:
        path, what = tmp_path, "a directory"
    refused_cheaply(data.read_idx, path, match=f"read_idx: '.*' is {what}.*, not a regular file")


def test_load_mnist_refuses_a_fifo_in_place_of_a_file(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    for part in ("train", "t10k"):
        for kind, arr in (("images-idx3", np.zeros((2, 28, 28), np.uint8)), ("labels-idx1", np.zeros(2, np.uint8))):
            (tmp_path / f"{part}-{kind}-ubyte").write_bytes(_idx(arr))
    (tmp_path / "train-labels-idx1-ubyte").unlink()
    os.mkfifo(tmp_path / "train-labels-idx1-ubyte")
    refused_cheaply(data.load_mnist, tmp_path, match="train-labels-idx1-ubyte' is a FIFO")


def test_idx_headers_with_an_unknown_type_or_no_dimensions_are_refused(tmp_path):
    (tmp_path / "t").write_bytes(bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 5]))
    with pytest.raises(ValueError, match=r"'.*t' is not an IDX file: its magic number is 00000701"):
        data.read_idx(tmp_path / "t")
    (tmp_path / "d").write_bytes(bytes([0, 0, 0x08, 0]))
    with pytest.raises(ValueError, match="is not an IDX file"):
        data.read_idx(tmp_path / "d")


@given(st.data())
def test_corrupt_bytes_in_an_idx_file_read_correctly_or_raise_a_deltagrad_error(tmp_path_factory, data_):
    folder = tmp_path_factory.mktemp("idx")
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    gz = data_.draw(st.booleans())
    raw = bytearray(gzip_of(_idx(array)) if gz else _idx(array))
    for _ in range(data_.draw(st.integers(1, 4))):
        raw[data_.draw(st.integers(0, len(raw) - 1))] = data_.draw(st.integers(0, 255))
    if data_.draw(st.booleans()):
        raw = raw[: data_.draw(st.integers(0, len(raw)))]
    path = folder / ("a.idx.gz" if gz else "a.idx")
    path.write_bytes(bytes(raw))
    try:
        got = data.read_idx(path)
    except (ValueError, TypeError, OSError) as e:
        assert type(e) in (ValueError, TypeError), f"a bare {type(e).__name__}: {e}"
        assert str(e).startswith("read_idx: ") and "a.idx" in str(e)
    else:
        if gz:      # the CRC-32 guards the data: what was read is what was written
            assert np.array_equal(got, array)
        assert got.size * got.itemsize == len(raw) - 4 - 4 * got.ndim or gz


# --- IDX files beyond their headers: every type, the gzip stream, memory, load_mnist's results ----------------------

# The IDX format's types: type byte -> (struct code, numbers at the type's extremes, numpy dtype returned).
IDX_TYPES = {
    0x08: ("B", [0, 1, 128, 255], np.uint8),
    0x09: ("b", [-128, -1, 0, 127], np.int8),
    0x0B: ("h", [-32768, -2, 258, 32767], np.int16),
    0x0C: ("i", [-2**31, -2, 16909060, 2**31 - 1], np.int32),
    0x0D: ("f", [-2.25, 0.1, 2.0**127, float("inf")], np.float32),
    0x0E: ("d", [-2.25, 0.1, 1e300, float("-inf")], np.float64),
}


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gzip"])
@pytest.mark.parametrize("type_byte", list(IDX_TYPES), ids=[f"{t:#04x}" for t in IDX_TYPES])
def test_read_idx_reads_every_idx_type_big_endian_into_its_numbers(tmp_path, type_byte, gz):
    code, numbers, dtype = IDX_TYPES[type_byte]
    body = struct.pack(f">{len(numbers)}{code}", *numbers)          # the format's byte order: most significant first
    expected = list(struct.unpack(f">{len(numbers)}{code}", body))  # as the type holds them (0.1 in float32)
    path = tmp_path / ("t-idx2.gz" if gz else "t-idx2")
    raw = idx(type_byte, (2, 2), body)
    path.write_bytes(gzip_of(raw) if gz else raw)
    got = data.read_idx(path)
    assert got.dtype == np.dtype(dtype) and got.dtype.isnative and got.shape == (2, 2)
    assert got.ravel().tolist() == expected


@pytest.mark.parametrize("cut", ["multi-member", "zero padding"])
def test_a_gzip_of_several_members_or_zero_padding_reads_as_its_whole_stream(tmp_path, cut):
    raw = idx(0x08, (6,), bytes([9, 8, 7, 6, 5, 4]))
    path = tmp_path / "a-idx1-ubyte.gz"
    # gzip's format: members concatenated are one stream (gunzip reads them so); zeros after the last are padding.
    path.write_bytes(gzip_of(raw[:7]) + gzip_of(raw[7:]) if cut == "multi-member" else gzip_of(raw) + bytes(16))
    assert data.read_idx(path).tolist() == [9, 8, 7, 6, 5, 4]


@pytest.mark.parametrize("damage, match", [
    ("garbage after", r"cannot read '.*a-idx1-ubyte.gz': Not a gzipped file"),
    ("cut mid-stream", r"cannot read '.*a-idx1-ubyte.gz': Compressed file ended"),
    ("cut before the CRC", r"cannot read '.*a-idx1-ubyte.gz': Compressed file ended"),
    ("wrong CRC", r"cannot read '.*a-idx1-ubyte.gz': CRC check failed"),
])
def test_a_damaged_gzip_stream_is_a_read_idx_error(tmp_path, damage, match):
    stream = bytearray(gzip_of(idx(0x08, (64,), bytes(range(64)))))
    if damage == "garbage after":
        stream += b"<html>404</html>"
    elif damage == "cut mid-stream":
        stream = stream[: len(stream) // 2]
    elif damage == "cut before the CRC":
        stream = stream[:-8]
    else:
        stream[-8] ^= 1
    path = tmp_path / "a-idx1-ubyte.gz"
    path.write_bytes(bytes(stream))
    refused_cheaply(data.read_idx, path, match=f"read_idx: {match}")


def test_a_gzip_claiming_more_than_it_holds_takes_memory_for_what_it_holds(tmp_path):
    # 100 bytes of data under a header claiming 256 MiB, inside the 2 GiB limit: nothing may be allocated from the
    # claim, since a gzip stream's length is known only once it is inflated.
    path = tmp_path / "liar-idx1-ubyte.gz"
    path.write_bytes(gzip_of(idx(0x08, (2**28,), bytes(100))))
    refused_cheaply(data.read_idx, path, match=r"liar-idx1-ubyte.gz' is truncated: a 268435456 array of uint8 needs "
                                               r"268435464 bytes, the stream holds 108")
    # With the limit lifted, a claim of 2^62 bytes is still only a truncated file (it was a bare MemoryError).
    path.write_bytes(gzip_of(idx(0x08, (2**31, 2**31), bytes(100))))
    refused_cheaply(data.read_idx, path, max_bytes=2**200, match=r"liar-idx1-ubyte.gz' is truncated: a "
                                                                 r"2147483648x2147483648 array of uint8")


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gzip"])
def test_an_empty_idx_array_is_read_and_one_numpy_cannot_shape_is_refused_by_name(tmp_path, gz):
    def write(shape):
        raw = idx(0x08, shape)
        path = tmp_path / ("e-idx.gz" if gz else "e-idx")
        path.write_bytes(gzip_of(raw) if gz else raw)
        return path

    got = data.read_idx(write((0, 5)))
    assert got.shape == (0, 5) and got.dtype == np.uint8
    # Size 0, yet numpy refuses a shape whose other sizes multiply past 2^63 bytes.
    refused_cheaply(data.read_idx, write((0,) + (2**32 - 1,) * 3),
                    match=r"read_idx: '.*e-idx(.gz)?' claims a 0x4294967295x4294967295x4294967295 array of uint8, "
                          r"which numpy cannot shape")


def test_read_idx_tells_gzip_from_raw_by_its_bytes_not_its_name(tmp_path):
    # Browsers often inflate a download but keep its .gz name, or the other way round; IDX starts with 00 00 and
    # gzip with 1f 8b, so the first two bytes decide.
    raw = idx(0x08, (3,), bytes([1, 2, 3]))
    (tmp_path / "inflated-idx1-ubyte.gz").write_bytes(raw)
    (tmp_path / "compressed-idx1-ubyte").write_bytes(gzip_of(raw))
    assert data.read_idx(tmp_path / "inflated-idx1-ubyte.gz").tolist() == [1, 2, 3]
    assert data.read_idx(tmp_path / "compressed-idx1-ubyte").tolist() == [1, 2, 3]
    (tmp_path / "short-idx1-ubyte.gz").write_bytes(raw[:-1])          # raw, so checked against its size on disk
    with pytest.raises(ValueError, match=r"short-idx1-ubyte.gz' is truncated: a 3 array of uint8 needs 11 bytes, "
                                         r"the file has 10"):
        data.read_idx(tmp_path / "short-idx1-ubyte.gz")


def test_read_idx_checks_max_bytes(tmp_path):
    (tmp_path / "a").write_bytes(idx(0x08, (1,), b"\x07"))
    for bad in ("1000", 1.5, None):
        with pytest.raises(TypeError, match=r"read_idx: max_bytes must be a whole number"):
            data.read_idx(tmp_path / "a", max_bytes=bad)


def test_read_idx_of_a_symlink_loop_is_refused_by_name(tmp_path):
    loop = tmp_path / "loop-idx1-ubyte"
    os.symlink(loop, loop)
    refused_cheaply(data.read_idx, loop, match=r"read_idx: cannot read '.*loop-idx1-ubyte': Too many levels")


def _mnist(folder, images, labels, image_type=0x08, gz=False):
    """The four MNIST files in ``folder``: train and test alike, ``images`` (N, rows, cols) and ``labels`` (N,)
    as unsigned bytes (or as ``image_type``'s numbers)."""
    images, labels = np.asarray(images), np.asarray(labels)
    code = IDX_TYPES[image_type][0]
    body = struct.pack(f">{images.size}{code}", *images.ravel().tolist())
    for part in ("train", "t10k"):
        for name, raw in ((f"{part}-images-idx3-ubyte", idx(image_type, images.shape, body)),
                          (f"{part}-labels-idx1-ubyte", idx(0x08, labels.shape, bytes(labels.tolist())))):
            (folder / (name + ".gz" if gz else name)).write_bytes(gzip_of(raw) if gz else raw)
    return folder


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_load_mnist_returns_pixels_over_255_in_the_dtype_asked(tmp_path, dtype):
    pixels = np.array([0, 1, 127, 128, 254, 255] * 131)[:784]
    images = np.stack([pixels, pixels[::-1]]).reshape(2, 28, 28)
    X, y, X_test, y_test = data.load_mnist(_mnist(tmp_path, images, [3, 9]), dtype=dtype)
    assert X.dtype == X_test.dtype == np.dtype(dtype) and X.shape == X_test.shape == (2, 784)
    expected = np.array([[k / 255 for k in row] for row in images.reshape(2, 784).tolist()])
    np.testing.assert_allclose(X, expected, rtol=np.finfo(dtype).eps, atol=0)
    assert X[0, 0] == 0.0 and X[0, 5] == 1.0
    assert y.tolist() == y_test.tolist() == [3, 9] and y.dtype.kind == "i"


@pytest.mark.parametrize("dtype", [int, np.uint8, bool, np.complex64, "bogus", "U8"])
def test_load_mnist_refuses_a_dtype_that_cannot_hold_pixels_in_0_1_before_reading(tmp_path, dtype):
    # int and uint8 came back as float64 (the division's type), complex as complex, 'bogus' as numpy's TypeError.
    with pytest.raises(TypeError, match=r"load_mnist: dtype must be a floating-point type such as np.float32"):
        data.load_mnist(tmp_path / "nowhere", dtype=dtype)


def test_load_mnist_checks_max_bytes_before_reading(tmp_path):
    with pytest.raises(TypeError, match=r"load_mnist: max_bytes must be a whole number"):
        data.load_mnist(tmp_path / "nowhere", max_bytes="47 MB")


def test_load_mnist_of_files_with_no_images_gives_empty_arrays_of_784_columns(tmp_path):
    X, y, X_test, y_test = data.load_mnist(_mnist(tmp_path, np.zeros((0, 28, 28), int), np.zeros(0, int)))
    assert X.shape == X_test.shape == (0, 784) and X.dtype == np.float32 and y.shape == (0,)


@pytest.mark.parametrize("shape", [(2, 10, 10), (2, 0, 28), (2, 28, 0), (2, 784, 1)])
def test_load_mnist_refuses_images_that_are_not_28_by_28(tmp_path, shape):
    # They came back as X of shape (2, 100) or (2, 0): not the (N, 784) promised, and no MLP([784, ...]) fits them.
    _mnist(tmp_path, np.zeros(shape, int), [1, 2])
    with pytest.raises(ValueError, match=rf"load_mnist: '.*train-images-idx3-ubyte' holds {shape[1]}x{shape[2]} "
                                         r"images; MNIST's are 28x28"):
        data.load_mnist(tmp_path)


@pytest.mark.parametrize("image_type", [0x09, 0x0B, 0x0C, 0x0D, 0x0E])
def test_load_mnist_refuses_images_of_any_type_but_unsigned_bytes(tmp_path, image_type):
    _mnist(tmp_path, np.zeros((1, 28, 28), int), [1], image_type=image_type)
    with pytest.raises(ValueError, match=rf"load_mnist: '.*train-images-idx3-ubyte' has the magic number "
                                         rf"0x00000{image_type:x}03, expected 0x00000803"):
        data.load_mnist(tmp_path)


def test_load_mnist_refuses_pixels_given_as_labels(tmp_path):
    _mnist(tmp_path, np.zeros((3, 28, 28), int), [1, 2, 200])       # one image's pixels in a 1-D file, say
    with pytest.raises(ValueError, match=r"load_mnist: '.*train-labels-idx1-ubyte' holds a label 200; MNIST labels"):
        data.load_mnist(tmp_path)


# --- one_hot -------------------------------------------------------------------------------------------------------

def test_one_hot_of_many_classes_takes_linear_memory():
    tracemalloc.start()
    try:
        rows = data.one_hot([0, 19999, 5], num_classes=20000)
        used = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows.shape == (3, 20000) and rows[1, 19999] == 1.0 and rows.sum() == 3.0
    assert used < 4 * 3 * 20000 * 8, f"one_hot took a peak of {used / MiB:.0f} MiB for 3 rows"


@pytest.mark.parametrize("labels, num_classes, match", [
    ([True, False], 2, r"one_hot: labels are bool; give integer class labels 0..K-1"),
    ([[0, 1], [1, 0]], 2, r"one_hot: labels must be 1-D \(N,\), got shape \(2, 2\)"),
    ([0, 1], 0, r"one_hot: num_classes must be an int >= 1, got 0"),
    ([0, 1], 2.5, r"one_hot: num_classes must be an int >= 1, got 2.5"),
    ([0, 1], True, r"one_hot: num_classes must be an int >= 1, got True"),
    ([-1, 0], 3, r"one_hot: labels must lie in 0..2 for num_classes=3, got -1..0"),
    (["a"], 3, r"one_hot: labels must be whole numbers"),
    ([0.5], None, r"one_hot: labels must be whole numbers"),
    ([float("nan")], 2, r"one_hot: labels must be whole numbers"),
])
def test_one_hot_checks_its_labels_and_num_classes(labels, num_classes, match):
    with pytest.raises((ValueError, TypeError), match=match):
        data.one_hot(labels, num_classes=num_classes)


def test_one_hot_keeps_its_results():
    assert data.one_hot([0, 2, 1]).tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert data.one_hot(np.array([1.0, 0.0]), num_classes=3).tolist() == [[0, 1, 0], [1, 0, 0]]
    assert data.one_hot([], num_classes=2).shape == (0, 2)


def test_gzip_helper_builds_valid_gzip():
    assert gzip.decompress(gzip_of(b"abc")) == b"abc"
