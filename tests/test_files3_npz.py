"""``read_saved_mlp`` (``python -m nn.compare --weights``) bounds a file's zip directory as Module.load does.

It cannot know the model before it reads the file, so it scans the directory's names first (``directory_names``,
without zipfile, which makes an object of every entry before one name can be looked at) and passes those a saved
MLP holds to the one bound of ``Npz``. 200,000 empty entries (19 MB of file) took 6 s and 100 MiB to refuse; now
0.03 s and 0.2 MiB.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

import numpy as np
import pytest
from hostile import MiB, refused_cheaply
from hypothesis import given
from hypothesis import strategies as st
from test_files2_npz import empty_entries

from nn import MLP, files, scalar
from nn.compare import main, read_saved_mlp
from nn.files import directory_names


def test_a_directory_of_many_entries_is_refused_before_zipfile_reads_it(tmp_path):
    path = tmp_path / "many.npz"
    size = empty_entries(path, 8_000, width=200)                  # 2 MiB of directory, none of it a saved MLP's
    assert len(zipfile.ZipFile(path).namelist()) == 8_000  # a valid archive, as zipfile reads it
    refused_cheaply(read_saved_mlp, str(path), peak=2 * MiB, seconds=1.0,      # the old read took 6.9 MiB
                    match=rf"--weights: '.*many.npz' has a zip directory of {size / MiB:.1f} MiB, far more than the "
                          r"0 arrays expected can fill \(at most 1.0 MiB\): it holds many other arrays, or it is not "
                          r"a model saved by deltagrad's Module.save; check the path")


def test_100_000_empty_entries_are_refused_at_once(tmp_path):
    path = tmp_path / "many.npz"
    empty_entries(path, 100_000)                            # 5.3 MiB of directory: the old read took 2.0 s
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"--weights: .* has a zip directory of 5.3 MiB, far more than the 0 "):
        read_saved_mlp(str(path))
    assert time.perf_counter() - start < 0.5                # about 0.03 s: the scan stops after 1 MiB


def test_the_command_line_answers_such_a_file_in_one_line(tmp_path, capsys):
    path = tmp_path / "many.npz"
    size = empty_entries(path, 5_000, width=200)
    with pytest.raises(SystemExit) as stop:
        main(["--weights", str(path)])
    assert stop.value.code == 2
    assert f"has a zip directory of {size / MiB:.1f} MiB, far more than" in capsys.readouterr().err


@pytest.mark.parametrize("n, zip64, comment, pad, prefix", [(0, False, b"", 0, b""), (7, False, b"a comment", 0, b""),
                                                            (20, True, b"", 0, b""),
                                                            (5, False, b"", 1 << 16, b""),
                                                            (5, True, b"c" * 65_460, 0, b""),
                                                            # a zip after other data: zipfile counts back from the end
                                                            (9, False, b"", 0, b"#!/bin/sh\n" * 50)])
def test_directory_names_are_the_names_zipfile_reads(tmp_path, n, zip64, comment, pad, prefix):
    path = tmp_path / "a.zip"
    empty_entries(path, n, zip64=zip64, comment=comment)
    path.write_bytes(prefix + path.read_bytes() + b"\0" * pad)
    keep = re.compile(rb"x\d*[37]\.npy")
    with zipfile.ZipFile(path) as z:
        want = [name for name in z.namelist() if keep.fullmatch(name.encode())]
    with open(path, "rb") as f:
        assert directory_names(f, keep, limit=2**40) == want
        assert f.tell() == 0


def test_the_scan_stops_once_the_names_not_kept_pass_the_limit(tmp_path):
    path = tmp_path / "a.zip"
    empty_entries(path, 1_000)                       # entry i: 46 bytes and its name, x{i}.npy
    with open(path, "rb") as f:
        assert len(directory_names(f, re.compile(rb"x\d+\.npy"), limit=0)) == 1_000   # the limit counts the others
        some = directory_names(f, re.compile(rb"x1\d*\.npy"), limit=3_000)
    kept, other = [], 0                              # the names before the first entry past 3,000 bytes of others
    for i in range(1_000):
        if other > 3_000:
            break
        if str(i).startswith("1"):
            kept.append(f"x{i}.npy")
        else:
            other += 46 + len(f"x{i}.npy")
    assert some == kept and 0 < len(kept) < 111      # it stopped before the end (x1, x10..x19, x100..x199)


def test_a_name_is_decoded_as_zipfile_decodes_it(tmp_path):
    path = tmp_path / "u.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("layers.0.weight.npy", b"")       # ASCII: no UTF-8 flag
        z.writestr("é.npy", b"")                      # flagged UTF-8
        z.writestr(zipfile.ZipInfo("\x80.npy"), b"")  # cp437: stored as is, read back as 'Ç'
    with open(path, "rb") as f:
        names = directory_names(f, re.compile(rb".*"))
    assert names == zipfile.ZipFile(path).namelist()


@given(st.lists(st.text(min_size=1, max_size=12), max_size=12, unique=True), st.booleans())
def test_directory_names_read_any_names_as_zipfile_does(names, compressed):
    # any text, ASCII or not (UTF-8 flag), stored or deflated, with zipfile's own changes (a NUL cuts a name)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED) as z:
        for name in names:
            z.writestr(zipfile.ZipInfo(name), name.encode("utf-8", "surrogatepass"))
    want = zipfile.ZipFile(buf).namelist()
    assert directory_names(buf, re.compile(rb".*", re.S)) == want
    assert directory_names(buf, re.compile(rb"[a-z]+", re.S)) == [n for n in want if re.fullmatch("[a-z]+", n)]


@pytest.mark.parametrize("engine", ["tensor", "scalar"])
def test_a_saved_mlp_of_either_engine_is_read_and_its_entries_count_in_the_bound(tmp_path, monkeypatch, engine):
    # Without the 1 MiB of slack, only the scanned names make room for the directory: a Value MLP of 1,045 weights
    # has 1,046 entries (about 110 KiB of directory).
    monkeypatch.setattr(files, "_DIRECTORY_SLACK", 0)
    model = MLP([20, 40, 5], activation="tanh", seed=0) if engine == "tensor" else scalar.MLP(20, [40, 5], seed=0)
    path = model.save(tmp_path / "m.npz")
    saved = read_saved_mlp(path)
    assert (saved.engine, saved.sizes) == (engine, [20, 40, 5])
    for p, q in zip(saved.build().parameters(), model.parameters()):
        np.testing.assert_array_equal(np.asarray(p.data), np.asarray(q.data))


def test_a_layer_number_of_5000_digits_is_refused_naming_the_file(tmp_path, capsys):
    # int() refuses a number of over 4,300 digits ("Exceeds the limit ... use sys.set_int_max_str_digits()"), a
    # message that named neither the option nor the file
    path = MLP([2, 3], seed=0).save(tmp_path / "t.npz")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("layers." + "1" * 5000 + ".weight.npy", b"")
    with pytest.raises(SystemExit) as stop:
        main(["--weights", path])
    assert stop.value.code == 2
    assert re.search(r"error: load: '.*t.npz' does not fit this MLP: unexpected 'layers.1111", capsys.readouterr().err)
    path = scalar.MLP(2, [3], seed=0).save(tmp_path / "s.npz")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("layers.0.neurons." + "1" * 5000 + ".b.npy", b"")
    with pytest.raises(ValueError, match=r"--weights: '.*s.npz' has 10 weights named like a Value MLP, but the names "
                                         r"describe sizes \[2, 3\] with 9 parameters; save the model again"):
        read_saved_mlp(path)


def test_load_names_a_long_unexpected_name_by_its_start(tmp_path):
    path = MLP([2, 3], seed=0).save(tmp_path / "t.npz")
    with zipfile.ZipFile(path, "a") as z:
        for c in "abcdefg":
            z.writestr(c * 60_000 + ".npy", b"")           # a zip name may take 65,535 bytes
    with pytest.raises(ValueError) as caught:
        MLP([2, 3]).load(path)
    message = str(caught.value)
    assert len(message) < 1_000, f"the message holds {len(message):,} characters"
    assert f"unexpected {'a' * 60!r}... (60,000 characters), {'b' * 60!r}... (60,000 characters)" in message
    assert message.endswith("(60,000 characters) and 1 more. Build the model with the same sizes as the one that "
                            "was saved.")


def test_an_archive_holding_a_long_name_that_is_no_array_is_named_by_its_start(tmp_path):
    path = MLP([2, 3], seed=0).save(tmp_path / "t.npz")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("n" * 60_000 + ".txt", b"")
    with pytest.raises(ValueError) as caught:
        MLP([2, 3]).load(path)
    assert str(caught.value) == (f"load: {str(path)!r} holds {'n' * 60!r}... (60,004 characters), which is not an .npy "
                                 "array; not an .npz file")
