"""load_mnist reads all four headers, and checks them against each other and max_bytes, before any data.

It read all four files (inflating each gzip stream) and only then compared the counts of images and labels or the
size of the pixels as floats with max_bytes; a download of mismatched files cost the whole read. Expected values
come from the files written here byte by byte (``hostile.idx``, from the IDX format's definition).
"""

from __future__ import annotations

import os
import tracemalloc

import numpy as np
import pytest
from hostile import MiB, gzip_bomb, gzip_of, idx, refused_cheaply

from nn import data

IMAGES, LABELS = 0x08, 0x08          # both unsigned bytes; the magic numbers differ in their number of dimensions


def mnist_files(folder, n_train, n_train_labels=None, n_test=1, n_test_labels=None, pixel=0, label=7, gz=()):
    """The four MNIST files in ``folder``: ``n_train`` 28x28 images of value ``pixel`` and ``n_train_labels``
    labels ``label`` (by default as many), the same for the test part; the files named in ``gz`` gzipped."""
    counts = {"train-images-idx3-ubyte": (n_train, 28, 28),
              "train-labels-idx1-ubyte": (n_train if n_train_labels is None else n_train_labels,),
              "t10k-images-idx3-ubyte": (n_test, 28, 28),
              "t10k-labels-idx1-ubyte": (n_test if n_test_labels is None else n_test_labels,)}
    for name, shape in counts.items():
        value = pixel if len(shape) == 3 else label
        raw = idx(IMAGES if len(shape) == 3 else LABELS, shape, bytes([value]) * int(np.prod(shape)))
        (folder / (name + ".gz" if name in gz else name)).write_bytes(gzip_of(raw) if name in gz else raw)
    return folder


def test_image_and_label_counts_that_differ_are_refused_before_reading_the_images(tmp_path):
    # 20,000 images (15 MiB) beside 1 label: the images were read (a peak of 18 MiB) before the counts were compared.
    mnist_files(tmp_path, 20_000, n_train_labels=1)
    refused_cheaply(data.load_mnist, tmp_path, peak=MiB,
                    match=r"load_mnist: '.*train-images-idx3-ubyte' holds 20000 images but "
                          r"'.*train-labels-idx1-ubyte' 1 labels; download both files")


def test_a_gzip_bomb_of_images_beside_too_few_labels_is_refused_after_its_header(tmp_path):
    # 60,000 images claimed, and 2 GiB of zeros after them: the header alone says they do not fit 10 labels.
    header = idx(IMAGES, (60_000, 28, 28))
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip_bomb(header, 2048))
    mnist_files(tmp_path, 1, n_train_labels=10)
    os.unlink(tmp_path / "train-images-idx3-ubyte")          # the bomb is the train images
    assert os.path.getsize(tmp_path / "train-images-idx3-ubyte.gz") < 4 * MiB
    refused_cheaply(data.load_mnist, tmp_path, peak=MiB,
                    match=r"'.*train-images-idx3-ubyte.gz' holds 60000 images but '.*train-labels-idx1-ubyte' 10")


def test_the_test_parts_counts_are_compared_before_the_train_part_is_read(tmp_path):
    mnist_files(tmp_path, 20_000, n_test=2, n_test_labels=3)
    refused_cheaply(data.load_mnist, tmp_path, peak=MiB,
                    match=r"'.*t10k-images-idx3-ubyte' holds 2 images but '.*t10k-labels-idx1-ubyte' 3 labels")


def test_a_missing_or_wrong_test_file_is_refused_before_the_train_part_is_read(tmp_path):
    mnist_files(tmp_path, 20_000)
    os.unlink(tmp_path / "t10k-labels-idx1-ubyte")
    refused_cheaply(data.load_mnist, tmp_path, peak=MiB, error=FileNotFoundError,
                    match=r"load_mnist: no t10k-labels-idx1-ubyte \(or t10k-labels-idx1-ubyte.gz\) in")
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx(IMAGES, (1, 28, 28), bytes(784)))   # images as labels
    refused_cheaply(data.load_mnist, tmp_path, peak=MiB,
                    match=r"'.*t10k-labels-idx1-ubyte' has the magic number 0x00000803, expected 0x00000801")


def test_pixels_over_max_bytes_as_floats_are_refused_before_any_file_is_read(tmp_path):
    # 10,000 images: 7.5 MiB of bytes, under max_bytes; as float32 they take 29.9 MiB, over it.
    mnist_files(tmp_path, 10_000)
    refused_cheaply(data.load_mnist, tmp_path, max_bytes=8 * MiB, peak=MiB,
                    match=r"'.*train-images-idx3-ubyte' holds 10,000 images, whose pixels as float32 take "
                          r"29.9 MiB, over max_bytes=8.0 MiB")


def test_loading_peaks_at_the_bytes_and_one_copy_of_the_pixels_as_floats(tmp_path):
    # A bound, not a finding: numpy divided the cast pixels in place already (temporary elision); the division is
    # now written in place, and this keeps the peak from growing to a second copy of the floats.
    n, pixel = 5_000, 51
    mnist_files(tmp_path, n, n_test=0, pixel=pixel, gz={"train-images-idx3-ubyte"})
    tracemalloc.start()
    try:
        X, y, X_test, y_test = data.load_mnist(tmp_path, dtype=np.float64)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert X.shape == (n, 784) and X.dtype == np.float64 and X_test.shape == (0, 784)
    assert (X == pixel / 255).all() and y.tolist() == [7] * n
    floats, raw = n * 784 * 8, n * 784
    assert peak < raw + 1.3 * floats, f"a peak of {peak / MiB:.1f} MiB for {floats / MiB:.1f} MiB of floats"


def test_a_file_replaced_between_its_header_and_its_data_is_refused(tmp_path, monkeypatch):
    # The headers are read first and the data after: a file swapped in between (a download finishing) must not
    # bring counts that were never compared.
    mnist_files(tmp_path, 2)
    read_header = data._read_idx_header

    def then_replace(path, max_bytes):
        header = read_header(path, max_bytes)
        if path.endswith("train-images-idx3-ubyte"):
            (tmp_path / "train-images-idx3-ubyte").write_bytes(idx(IMAGES, (3, 28, 28), bytes(3 * 784)))
        return header

    monkeypatch.setattr(data, "_read_idx_header", then_replace)
    with pytest.raises(ValueError, match=r"read_idx: '.*train-images-idx3-ubyte' changed while it was read: its "
                                         r"header claimed a 2x28x28 array of uint8, now a 3x28x28 array of uint8"):
        data.load_mnist(tmp_path)


@pytest.mark.parametrize("who", ["load_mnist", "read_idx"])
def test_a_path_with_a_nul_byte_is_refused_by_name(tmp_path, who):
    # read_idx said only "embedded null byte"; load_mnist said the folder did not exist.
    with pytest.raises(ValueError, match=rf"{who}: the path '.*a\\x00b' holds a NUL byte"):
        getattr(data, who)(str(tmp_path / "a\0b"))


def test_load_mnist_takes_a_folder_given_as_bytes_as_read_idx_takes_a_file(tmp_path):
    # A bytes folder made os.path.join raise "Can't mix strings and bytes in path components".
    mnist_files(tmp_path, 2, pixel=255)
    X, y, X_test, y_test = data.load_mnist(os.fsencode(tmp_path))
    assert X.shape == (2, 784) and (X == 1.0).all() and y.tolist() == [7, 7]
    assert X_test.shape == (1, 784) and y_test.tolist() == [7]


@pytest.mark.parametrize("who", ["load_mnist", "read_idx"])
def test_a_path_that_is_no_path_is_a_type_error_naming_the_function(who):
    with pytest.raises(TypeError, match=rf"{who}: the path must be a str or a pathlib.Path naming .*, got int 3"):
        getattr(data, who)(3)
