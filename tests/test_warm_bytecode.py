""".ci/warm_bytecode.py writes the byte code the test workers read: pytest's rewritten test modules, and ordinary
modules checked against their source's hash (an edit since is compiled afresh, however quickly it came)."""

import importlib.util
import runpy
import sys
from pathlib import Path

from _pytest.assertion import rewrite as pytest_rewrite

WARM = runpy.run_path(str(Path(__file__).resolve().parent.parent / ".ci" / "warm_bytecode.py"))


def test_a_test_module_gets_the_rewritten_byte_code_pytest_reads_and_an_edit_outdates_it(tmp_path):
    test = tmp_path / "test_sample.py"
    test.write_text("def test_it():\n    x = 1\n    assert x == 2\n")
    assert WARM["rewrite"](test) is True and WARM["rewrite"](test) is False      # the second time: up to date
    pyc = pytest_rewrite.get_cache_dir(test) / ("test_sample" + pytest_rewrite.PYC_TAIL)
    code = pytest_rewrite._read_pyc(test, pyc)
    assert code is not None
    namespace: dict = {}
    exec(code, namespace)
    try:
        namespace["test_it"]()
    except AssertionError as e:                  # the rewritten assert explains itself, as pytest's own would
        assert "assert 1 == 2" in str(e)
    else:
        raise AssertionError("the rewritten test passed")
    test.write_text("def test_it():\n    assert 1 == 1\n")                            # an edit: the cache is stale
    assert pytest_rewrite._read_pyc(test, pyc) is None and WARM["rewrite"](test) is True


def test_a_module_gets_byte_code_checked_against_its_source(tmp_path):
    module = tmp_path / "helper.py"
    module.write_text("VALUE = 1\n")
    WARM["compile_module"](module)
    pyc = Path(importlib.util.cache_from_source(str(module)))
    flags = int.from_bytes(pyc.read_bytes()[4:8], "little")
    assert flags == 0b11                          # hash-based and checked: never trusted by the file's time
    module.write_text("VALUE = 2\n")              # same size, likely the same second: still read afresh
    sys.path.insert(0, str(tmp_path))
    try:
        assert importlib.import_module("helper").VALUE == 2
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("helper", None)
