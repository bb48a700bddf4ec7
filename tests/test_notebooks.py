"""notebooks/*.ipynb run headless from top to bottom (nbclient with ipykernel), and their graph cells display a
picture inline (issue 15). The notebooks are stored without outputs; these tests execute a copy in memory."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from tests.test_draw import needs_dot  # noqa: E402  (after the importorskips: a missing package skips first)

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
PICTURES = ("image/svg+xml", "image/png")


def test_the_three_lecture_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == ["01_neuron_and_graph", "02_hh19_by_hand", "03_mnist"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    book = nbformat.read(path, as_version=4)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


@needs_dot                                   # Graphviz's dot draws the notebooks' graphs
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_headless_and_shows_its_graphs_inline(path, tmp_path):
    book = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    nbclient.NotebookClient(book, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()   # raises on any error
    elapsed = time.perf_counter() - start
    graph_cells = [c for c in book.cells if "graph" in c.metadata.get("tags", [])]
    assert graph_cells, f"{path.name} has no cell tagged 'graph'"
    for cell in graph_cells:
        shown = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
        assert any(kind in o.data for o in shown for kind in PICTURES), (path.name, cell.source[:80])
    assert elapsed < 60, f"{path.name} took {elapsed:.0f} s: keep the notebooks small"
