"""Compile the project's Python once, on both cores, before `make test` starts its two pytest workers.

Each worker imports every test module (pytest rewrites its asserts, then compiles it) and the library, examples and
test helpers they load: on a clean clone that was 12 of each worker's 22 s of collection, done twice. These
machines set PYTHONDONTWRITEBYTECODE, so nothing was kept, and every notebook kernel and subprocess the tests start
compiled autograd and nn again. Here:

- autograd/, nn/, examples/, benchmarks/ and the helpers in tests/ get ordinary .pyc files, and
- every tests/test_*.py and conftest.py gets the .pyc that pytest's assertion rewriting would write itself,

both checked against a hash of the source when they are read (PEP 552), never against a file's time: a source
edited since is compiled afresh, however quickly it was edited. Importing reads byte code even where writing it is
turned off, so the workers find it. pytest's cache format is its own (private) business: if this pytest does not
offer the functions used below, only the second part is skipped, with a note, and the tests rewrite their modules
themselves, as before.

    python .ci/warm_bytecode.py        (make test runs it)
"""

from __future__ import annotations

import os
import py_compile
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_MODULE = re.compile(r"(^|[/\\])(test_[^/\\]*|conftest)\.py$")   # what pytest rewrites (python_files)


def rewrite(path: Path) -> bool:
    """Write pytest's rewritten byte code of the test module ``path`` where pytest reads it; False if it was
    there already."""
    from _pytest.assertion import rewrite as pytest_rewrite

    pyc = pytest_rewrite.get_cache_dir(path) / (path.name[:-3] + pytest_rewrite.PYC_TAIL)
    if pytest_rewrite._read_pyc(path, pyc) is not None:
        return False
    source_hash, code = pytest_rewrite._rewrite_test(path, None)   # no config: the ini sets no assertion hook
    pyc.parent.mkdir(exist_ok=True)
    partial = pyc.with_name(f"{pyc.name}.{os.getpid()}")            # complete or absent, as pytest writes it
    with open(partial, "wb") as f:
        pytest_rewrite._write_pyc_fp(f, source_hash, code)
    os.replace(partial, pyc)
    return True


def compile_module(path: Path) -> bool:
    """Write the ordinary byte code of ``path`` where Python's import reads it."""
    py_compile.compile(str(path), doraise=True, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    return False


def main() -> None:
    folders = [ROOT / name for name in ("autograd", "nn", "examples", "benchmarks", "tests")]
    modules = sorted(p for folder in folders for p in folder.rglob("*.py"))
    tests = [p for p in modules if TEST_MODULE.search(str(p))]
    others = [p for p in modules if not TEST_MODULE.search(str(p))]
    try:
        from _pytest.assertion import rewrite as pytest_rewrite
        for name in ("get_cache_dir", "PYC_TAIL", "_read_pyc", "_rewrite_test", "_write_pyc_fp"):
            getattr(pytest_rewrite, name)
    except (ImportError, AttributeError) as e:
        print(f"warm_bytecode: this pytest's assertion rewriting has no {e}; the workers rewrite the test modules "
              "themselves", file=sys.stderr)
        tests = []
    with ProcessPoolExecutor(2) as pool:                        # the two cores the workers will have
        written = sum(pool.map(rewrite, tests, chunksize=8))
        list(pool.map(compile_module, others, chunksize=8))
    print(f"warm_bytecode: {len(others)} modules compiled; {written} of {len(tests)} test modules rewritten for "
          "pytest, the rest were up to date")


if __name__ == "__main__":
    main()
