"""A drawing rendered to a FIFO is refused at once: graphviz writes the DOT source with open(path, "w"), and dot the
picture likewise, and on a FIFO either waits for a reader forever (render hung)."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

import pytest
from hostile import within

from autograd import Value, draw
from tests.test_draw import needs_dot

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="this OS makes no FIFOs")


@contextmanager
def released(fifo):
    """Run the body; if it fails (the old code hung on ``fifo``), first free whatever waits on the FIFO: the
    thread's open(path, "w") gets a reader, and a dot started afterwards to read the FIFO gets a writer and an
    empty file, so that neither is left behind waiting forever."""
    try:
        yield
    except BaseException:
        for _ in range(20):
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:                     # no reader waiting (ENXIO)
                pass
            time.sleep(0.05)
        raise


def picture():
    return draw(Value(2.0, label="a") * Value(3.0, label="b"))


@needs_fifo
@pytest.mark.parametrize("how", ["filename", "outfile"])
def test_render_refuses_a_fifo_in_place_of_the_dot_source_without_hanging(tmp_path, how):
    fifo = tmp_path / ("pic" if how == "filename" else "pic.gv")
    os.mkfifo(fifo)
    call = (lambda: picture().render(fifo, format="svg")) if how == "filename" else (
        lambda: picture().render(outfile=tmp_path / "pic.svg"))
    with released(fifo), pytest.raises(ValueError, match=r"draw: '.*pic(.gv)?' is a FIFO \(named pipe\): writing "
                                                         r"the DOT source there would wait for a reader forever"):
        within(3, call)
    assert not (tmp_path / "pic.svg").exists()


@needs_fifo
def test_render_refuses_a_fifo_where_graphviz_puts_the_source_of_an_outfile_in_the_drawings_directory(
        tmp_path, monkeypatch):
    # graphviz takes an outfile in the Drawing's (relative) directory and saves the source at
    # directory/directory/stem.gv (its own path arithmetic): the check is made where graphviz opens the file
    monkeypatch.chdir(tmp_path)
    os.makedirs("rel/rel")
    fifo = tmp_path / "rel" / "rel" / "pic.gv"
    os.mkfifo(fifo)
    drawing = picture()
    drawing.directory = "rel"
    with released(fifo), pytest.raises(ValueError, match=r"is a FIFO \(named pipe\): writing the DOT source"):
        within(3, lambda: drawing.render(outfile="pic.svg"))


@needs_fifo
@needs_dot
@pytest.mark.parametrize("how", ["format", "outfile"])
def test_render_refuses_a_fifo_in_place_of_the_picture_before_dot_starts(tmp_path, how):
    fifo = tmp_path / "pic.svg"
    os.mkfifo(fifo)
    call = (lambda: picture().render(tmp_path / "pic", format="SVG")) if how == "format" else (
        lambda: picture().render(outfile=fifo))
    with released(fifo), pytest.raises(ValueError, match=r"draw: '.*pic.svg' is a FIFO \(named pipe\)"):
        within(3, call)


@needs_dot
def test_render_still_writes_to_regular_files_by_name_and_by_outfile(tmp_path):
    assert picture().render(tmp_path / "a", format="svg", cleanup=True) == os.fspath(tmp_path / "a.svg")
    assert picture().render(outfile=tmp_path / "b.png") == os.fspath(tmp_path / "b.png")
    assert (tmp_path / "a.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert (tmp_path / "b.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
