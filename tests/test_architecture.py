"""The house: imports flow downwards only, the engine knows nothing of nn, and a type checker reads the operators."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("autograd", "nn")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def _top_level_imports(tree: ast.Module) -> list[ast.stmt]:
    """Import statements run when the module is imported: at top level, or inside a top-level if/try block."""
    found: list[ast.stmt] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If | ast.Try):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue  # read by type checkers only, never run
            for block in (node.body, node.orelse, getattr(node, "finalbody", []), *[h.body for h in
                                                                                  getattr(node, "handlers", [])]):
                todo.extend(block)
    return found


def import_graph() -> dict[str, set[str]]:
    """module -> the modules of autograd/ and nn/ it imports at module level (``from . import x`` counts x)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in _top_level_imports(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                # `from pkg import sub` imports the module pkg.sub when there is one, else the names of pkg
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            edges.update(t for t in targets if t in modules and t != name)
        graph[name] = edges
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as a list of modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in graph:
        if state.get(start):
            continue
        path = [start]
        stack = [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def test_the_import_walk_sees_the_modules_and_their_edges():
    graph = import_graph()
    assert "autograd.tensor.core" in graph and "nn.backprop" in graph
    assert "autograd.graph" in graph["autograd.value"]
    assert "autograd.tensor.core" in graph["autograd.tensor.arithmetic"]


def test_the_cycle_finder_finds_a_planted_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_of_autograd_or_nn_is_part_of_an_import_circle():
    assert _cycle(import_graph()) is None


def test_the_engine_imports_nothing_of_nn_and_the_witness_imports_no_engine():
    graph = import_graph()
    assert not {(m, t) for m, ts in graph.items() if m.startswith("autograd") for t in ts if t.startswith("nn")}
    assert not {t for t in graph["nn.backprop"] if t.startswith("autograd")}
    assert "autograd.rules" not in graph["nn.activations"]


def test_nn_touches_no_private_slot_of_the_engine():
    # A module keeps its own name in self._scope and tags its outputs with graph.tag(); it never sets a node's slots.
    for path in sorted((ROOT / "nn").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"_p0", "_p1", "_d0", "_d1", "_trace", "_vjp",
                                                                 "_parents", "_partials"}:
                raise AssertionError(f"{path.name}:{node.lineno} reads or writes the engine's slot {node.attr}")
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if (isinstance(target, ast.Attribute) and target.attr == "_scope"
                            and not (isinstance(target.value, ast.Name) and target.value.id == "self")):
                        raise AssertionError(f"{path.name}:{node.lineno} writes a node's scope; use graph.tag()")


USER_FILE = """
import numpy as np

from autograd import Tensor, Value

t = Tensor([1.0, 2.0], requires_grad=True)
a: Tensor = t + 1.0
b: Tensor = 1.0 - t
c = t @ t
d: Tensor = -t
e: Tensor = (t * 2).sigmoid().sum()
f: Tensor = t ** 2 / 3.0
g: Tensor = t.T.reshape(2, 1)[0]
h: Tensor = t.sin() + t.cos()
x = Value(2.0)
y: Value = x * 2
z: Value = 2 * x + x.tanh() - 1.0
w: Value = -x / 3 + x ** 2
v: Value = x.relu().sigmoid().exp()
n: np.ndarray = t.data
"""


def _mypy(source: str, tmp_path: Path) -> str:
    user = tmp_path / "user.py"
    user.write_text(textwrap.dedent(source))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--no-error-summary",
         "--cache-dir", str(tmp_path / "cache"), str(user)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    return result.stdout + result.stderr


def test_a_type_checker_reads_the_operators_of_value_and_tensor(tmp_path):
    # Today's operators are defined in the classes' bodies (mixins), so mypy sees them: it reports nothing on the
    # user's lines. The wrong line at the end proves that mypy really checked them: it reports that one. (One run:
    # a second mypy over the same file cost 0.7 s of CPU for nothing more.)
    source = USER_FILE + "\nwrong: Value = t + 1.0\n"
    wrong = textwrap.dedent(source).splitlines().index("wrong: Value = t + 1.0") + 1
    report = _mypy(source, tmp_path).splitlines()
    assert [line for line in report if f"user.py:{wrong}: " not in line] == []
    assert any('expression has type "Tensor", variable has type "Value"' in line for line in report), report


def test_the_package_ships_py_typed():
    assert (ROOT / "autograd" / "py.typed").is_file() and (ROOT / "nn" / "py.typed").is_file()
