"""Every ```python block of README.md and docs/*.md runs on its own (issue 15), and the set-up stays quiet.

Each block runs in a fresh namespace, in a temporary working directory (a block that writes a picture writes it
there), with nothing from the blocks before it: a reader can paste any one of them into a new interpreter.
The commands the README gives must work pasted as they stand, from a fresh clone, without activating .venv.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```python\n(.*?)^```", re.M | re.S)
NEEDS_DOT = pytest.mark.skipif(
    shutil.which("dot") is None and os.environ.get("CI") != "true",
    reason="Graphviz's dot is not installed (CI installs it, and there this block must run)",
)


def blocks() -> list:
    found = []
    for page in PAGES:
        text = page.read_text()
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 2
            code = match.group(1)
            # A block that renders needs Graphviz's dot: skipped without it, except under CI, which installs it
            marks = [NEEDS_DOT] if ".render(" in code else []
            found.append(pytest.param(code, id=f"{page.relative_to(ROOT)}:{line}", marks=marks))
    return found


BLOCKS = blocks()


def test_the_readme_is_short_and_every_chapter_is_reached_from_it():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    for page in PAGES[1:]:
        assert f"docs/{page.name}" in readme, f"README.md has no pointer to docs/{page.name}"


def test_there_are_blocks_in_the_readme_and_in_docs():
    assert any(b.id.startswith("README.md") for b in BLOCKS) and sum(b.id.startswith("docs/") for b in BLOCKS) >= 15


@pytest.mark.parametrize("code", BLOCKS)
def test_python_block_runs_on_its_own(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__doc_block__"}
    exec(compile(code, "<doc block>", "exec"), namespace)


def test_no_page_calls_a_lecture_seed_00x():
    for page in PAGES:
        assert not re.search(r"seeds? 00\d", page.read_text(), re.I), page.name


def test_no_docstring_or_message_calls_a_lecture_seed_00x():
    # help(), error messages and comments are read too: the lectures go by the names docs/lectures.md gives them
    sources = sorted((ROOT / "autograd").rglob("*.py")) + sorted((ROOT / "nn").rglob("*.py"))
    found = [f"{p.relative_to(ROOT)}:{i}" for p in sources for i, line in enumerate(p.read_text().splitlines(), 1)
             if re.search(r"seeds? 00\d|\b00[0-4]'s|\(00[0-4]\)", line, re.I)]
    assert not found, found


def test_readme_commands_work_pasted_without_activating_the_venv():
    """Every `python ...` command in a shell block is spelt .venv/bin/python (or comes after `source .venv/...`)."""
    for page in PAGES:
        for block in re.findall(r"^```(?:sh|console|bash)\n(.*?)^```", page.read_text(), re.M | re.S):
            for line in block.splitlines():
                command = line.split("#")[0].strip().removeprefix("$ ")
                assert not re.match(r"python3? ", command), f"{page.name}: {line!r} needs .venv/bin/python"


def test_local_links_and_pictures_exist():
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"


def test_pyproject_names_the_flat_layout_so_editable_installs_print_no_warning():
    """With package-dir {"" = "."}, setuptools' editable install is a plain .pth file; without it, an import hook
    and the warning 'Please be careful with folders in your working directory with the same name as your
    package'. The packages found are autograd and nn only."""
    tomllib = pytest.importorskip("tomllib")                 # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    setuptools = config["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"": "."}
    assert setuptools["packages"]["find"]["include"] == ["autograd*", "nn*"]
    assert {"nbclient", "ipykernel", "nbformat"} <= {re.split(r"[<>=]", d)[0] for d in
                                                     config["project"]["optional-dependencies"]["dev"]}


def test_layout_names_every_source_file():
    """docs/layout.md is 'the source, file by file': each module of autograd/ and nn/ is named there (the four of
    autograd/testing/ by their stems, as its line lists them)."""
    layout = (ROOT / "docs" / "layout.md").read_text()
    missing = []
    for path in sorted([*(ROOT / "autograd").rglob("*.py"), *(ROOT / "nn").rglob("*.py")]):
        if path.name == "__init__.py":
            continue
        name = path.stem if path.parent.name == "testing" else path.name
        if not re.search(rf"(?<![\w.]){re.escape(name)}\b", layout):
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"docs/layout.md does not name {missing}"
