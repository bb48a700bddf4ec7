"""The numbers the docs state in prose and in shown output are the numbers the code computes today.

tests/test_docs.py runs every ```python block; this file checks what no block asserts: an output printed after a
block, a number quoted in a sentence, the lectures' worked numbers as the docs quote them. Each test computes the
number afresh and finds it in the page, so that when the code changes a number, the page must change with it.
Only deterministic numbers, never timings (those columns are masked or left out). The full `make demo` output and
the second-order iteration counts are checked where those runs already happen: tests/test_examples_lectures.py and
tests/test_example_second_order.py.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def page(name: str) -> str:
    return (ROOT / name).read_text()


def prose(name: str) -> str:
    """A page with every run of whitespace made one space, so that a sentence is found however it is wrapped."""
    return " ".join(page(name).split())


def fences(name: str) -> list[tuple[str, str]]:
    """The fenced blocks of a page, in order, as (language, text)."""
    return FENCE.findall(page(name))


def shown_after(name: str, marker: str) -> tuple[str, str]:
    """The ```python block of `name` that contains `marker`, and the output block right after it."""
    blocks = fences(name)
    for k, (lang, text) in enumerate(blocks):
        if lang == "python" and marker in text:
            assert blocks[k + 1][0] == "", f"{name}: no output block after the block with {marker!r}"
            return text, blocks[k + 1][1]
    raise AssertionError(f"{name}: no python block contains {marker!r}")


def run_printing(code: str) -> str:
    """Run a doc block in a fresh namespace and return what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<doc block>", "exec"), {"__name__": "__doc_block__"})
    return out.getvalue()


def assert_shown(shown: str, printed: str, where: str) -> None:
    """Each stretch of `shown` between lines '...' appears, line for line, in `printed`."""
    lines = [line.rstrip() for line in printed.splitlines()]
    stretches, current = [], []
    for line in shown.splitlines():
        if line.strip() == "...":
            stretches.append(current)
            current = []
        else:
            current.append(line.rstrip())
    stretches.append(current)
    for stretch in filter(None, stretches):
        n = len(stretch)
        assert any(lines[i:i + n] == stretch for i in range(len(lines) - n + 1)), (
            f"{where} shows lines the code no longer prints:\n" + "\n".join(stretch) + "\n--- it prints:\n" + printed)


def load(example: str):
    spec = importlib.util.spec_from_file_location(f"doc_example_{example}", ROOT / "examples" / f"{example}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_shows_the_report_that_compare_gradients_prints_for_the_classic_mistake(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, shown = shown_after("README.md", "compare_gradients(weights")
    assert_shown(shown, run_printing(code), "README.md")


def test_readme_and_backprop_md_quote_how_closely_the_fixed_backprop_agrees():
    """'the engines agree with it to about 1e-17 and central differences to 1e-11' (README), '... to about 1e-17
    and central differences to about 1e-11' (docs/backprop.md): the decade of the largest differences."""
    from nn import MLP, compare_gradients
    from nn.data import hh19

    def fixed(weights, X, Y):                          # the doc's my_gradients with its line fixed
        sigmoid = lambda z: 1 / (1 + np.exp(-z))       # noqa: E731
        a, z = [X], []
        for W, b in weights:
            z.append(a[-1] @ W.T + b)
            a.append(sigmoid(z[-1]))
        delta = (a[-1] - Y) * a[-1] * (1 - a[-1])
        grads = []
        for l in range(len(weights) - 1, -1, -1):
            grads.insert(0, (delta.T @ a[l] / len(X), delta.mean(axis=0)))
            if l:
                delta = (delta @ weights[l][0]) * sigmoid(z[l - 1]) * (1 - sigmoid(z[l - 1]))
        return 0.5 * np.mean(np.sum((a[-1] - Y) ** 2, axis=1)), grads

    X, Y = hh19()
    weights = MLP([2, 2, 3, 2], init="normal", seed=0).get_weights()
    report = compare_gradients(weights, X, Y, cost="quadratic", manual=fixed,
                               methods=("manual", "tensor", "scalar", "numerical"))
    assert report.ok
    text = str(report)
    diffs = {m: max(float(d) for d in re.findall(rf"^{m} +[Wb]\^\[\d\] +\S+ +(\S+)", text, re.M))
             for m in ("tensor", "scalar", "numerical")}
    engines = int(np.floor(np.log10(max(diffs["tensor"], diffs["scalar"]))))   # the decade
    central = int(np.floor(np.log10(diffs["numerical"])))
    assert (engines, central) == (-17, -11), diffs
    assert f"agree with it to about 1e{engines} and central differences to 1e{central}" in prose("README.md")
    assert (f"the engines agree to about 1e{engines} and central differences to about 1e{central}"
            in prose("docs/backprop.md"))


def test_backprop_md_shows_what_python_m_nn_compare_prints(tmp_path, monkeypatch):
    """The shell session of docs/backprop.md, run in-process; its time column is left out of the comparison."""
    from nn.compare import main

    code = next(text for lang, text in fences("docs/backprop.md") if lang == "python" and "def my_gradients" in text)
    (tmp_path / "homework.py").write_text(code.split("X, Y = hh19()")[0])
    shown = next(text for _, text in fences("docs/backprop.md") if text.startswith("$ .venv/bin/python -m nn.compare"))
    command, shown = shown.split("\n", 1)
    argv = command.split("-m nn.compare", 1)[1].split()
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(argv)
    assert status == 1                                 # the methods disagree: exit status 1, as the page says
    mask = lambda s: re.sub(r" +\d+\.\d+ms", " <time>", s)  # noqa: E731
    assert_shown(mask(shown), mask(out.getvalue()), "docs/backprop.md")


def test_the_and_neuron_worked_numbers_are_quoted_as_computed():
    """ANN from scratch's AND neuron (w1 = w2 = b = 0, input (0, 1), target 0): O = 0.5, E = 0.125, dE/dO = 0.5,
    dO/dS = 0.25, dE/dw = (0, 0.125), dE/db = 0.125, and w1 stays 0 after a step of 0.1; by the delta rule, by
    the Value engine and by examples/row_network.py, and as docs/backprop.md and docs/lectures.md quote them."""
    from autograd import Value
    from nn import backprop

    cost, [(dW, db)] = backprop.gradients([(np.zeros((1, 2)), np.zeros(1))], np.array([0.0, 1.0]), np.array([0.0]))
    w1, w2, b = Value(0.0), Value(0.0), Value(0.0)
    O = (w1 * 0.0 + w2 * 1.0 + b).sigmoid()
    E = 0.5 * (0.0 - O) ** 2
    E.backward()
    assert (cost, dW.tolist(), db.tolist()) == (E.data, [[w1.grad, w2.grad]], [b.grad]) == (0.125, [[0.0, 0.125]],
                                                                                          [0.125])
    found = load("row_network").and_neuron()
    numbers = (found["O"], found["E"], found["dE_dO"], found["dO_dS"], found["dE_dw"], found["dE_db"])
    assert numbers == (O.data, E.data, 0.5, 0.25, [0.0, 0.125], 0.125) and found["w1_after"] == 0.0
    g = lambda x: f"{x:g}"  # noqa: E731
    assert (f"cost {g(cost)}, dW [[{g(dW[0, 0])}, {g(dW[0, 1])}]], db [{g(db[0])}]"
            in prose("docs/backprop.md"))
    assert (f"the AND neuron's {g(found['O'])}, {g(found['E'])}, {g(found['dE_dO'])}, {g(found['dO_dS'])}, "
            f"({g(found['dE_dw'][0])}, {g(found['dE_dw'][1])}), {g(found['dE_db'])}" in prose("docs/lectures.md"))


def test_the_nand_perceptron_quoted_computes_nand():
    """Nielsen's NAND perceptron: w = (-2, -2), b = 3, output 1 when w.x + b >= 0."""
    w1, w2, b = map(int, re.search(r"NAND weights w = \((-?\d+), (-?\d+)\), b = (-?\d+)",
                                   prose("docs/lectures.md")).groups())
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    assert (w1, w2, b) == (-2, -2, 3)
    assert ((X @ [w1, w2] + b >= 0).astype(int)).tolist() == [1, 1, 1, 0]


def test_sigma_prime_of_100_is_quoted_as_the_engine_computes_it():
    from autograd import Value

    x = Value(100.0)
    x.sigmoid().backward()
    quoted = f"{x.grad:.1e}"
    assert quoted == "3.7e-44"
    for name in ("docs/engines.md", "docs/lectures.md"):
        assert f"sigma'(100) = {quoted}" in prose(name), name
    assert f"σ'(z), {quoted} at z = 100" in prose("docs/nn.md")
    assert f"sigma'(100) ~ {x.grad:.0e}" in prose("examples/learning_slowdown.py")


def test_nn_md_quotes_what_its_training_blocks_print(tmp_path, monkeypatch):
    """docs/nn.md's comments after print(history) and after the MNIST run: the lines they print (time masked)."""
    monkeypatch.chdir(tmp_path)
    blocks = [text for lang, text in fences("docs/nn.md") if lang == "python"]
    hh19 = next(b for b in blocks if "print(history)" in b)
    shown = re.search(r"print\(history\)\s+# (.*)", hh19).group(1)
    printed = [line for line in run_printing(hh19).splitlines() if line.startswith("History(")]
    mask = lambda s: re.sub(r", \d+\.\d+ s\)", ", <time>)", s.strip())  # noqa: E731
    assert [mask(line) for line in printed] == [mask(shown)]
    mnist = next(b for b in blocks if "Epoch {k}" in b)
    shown = re.search(r"^# (Epoch 0: .*?) \(", mnist, re.M).group(1)
    printed = [line for line in run_printing(mnist).splitlines() if line.startswith("Epoch ")]
    assert ", ".join(printed) == shown


def test_lectures_md_quotes_the_examples_cheap_results():
    """docs/lectures.md's table: the one-sided difference's counts and errors, the pulses' errors, Bayes' w and b,
    the RBF net's exact XOR, and least squares on XOR."""
    text = prose("docs/lectures.md")

    d = load("cost_of_gradients").one_sided_vs_central()
    short = lambda x: re.sub(r"e-0*", "e-", f"{x:.1e}")  # noqa: E731
    assert (f"on {d['params']} parameters: {d['forward']['passes']} forward passes against {d['central']['passes']}, "
            f"error {short(d['forward']['error'])} against {short(d['central']['error'])}") in text

    errors = load("logic_networks").pulses((4, 12, 48))["error"]
    assert (f"4, 12, 48 pulses approaching sin 2x + x/2 (max error {errors[4]:.2f}, {errors[12]:.2f}, "
            f"{errors[48]:.2g})") in text

    posterior_kl = load("posterior_kl")
    defaults = inspect.signature(posterior_kl.posterior).parameters           # the classes the example draws
    w, b = posterior_kl.bayes(*(defaults[k].default for k in ("m0", "m1", "s", "p1")))
    assert f"(w = {w:g}, b = {b:.2f})" in text

    outputs = load("rbf").xor_by_construction()["outputs"]
    assert np.allclose(outputs, [0, 1, 1, 0], rtol=0, atol=1e-12) and "exactly 0, 1, 1, 0" in text

    theta = load("xor").least_squares()["theta"]
    assert [str(t) for t in theta] == ["0", "0", "1/2"] and "theta = (0, 0, 1/2)" in text


def test_compile_md_shows_the_source_compile_writes_and_relus_helper_as_inlined():
    import autograd
    from autograd import weighted_sum

    code = next(text for lang, text in fences("docs/compile.md") if lang == "python" and "def neuron" in text)
    namespace = {"__name__": "__doc_block__"}
    exec(compile(code, "<doc block>", "exec"), namespace)
    shown = next(text for lang, text in fences("docs/compile.md") if lang == "" and "# forward:" in text)
    assert_shown(shown, namespace["fast"].source, "docs/compile.md")
    relu = autograd.compile(lambda w: weighted_sum(w[:1], [2.0], w[1]).relu(), ([0.5, 0.1],), wrt=0).source
    helper = re.search(r"relu's `(.*?)`", prose("docs/compile.md")).group(1)
    assert helper.replace("v", "v0") in relu, relu
