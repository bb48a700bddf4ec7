"""What the docs say about the twelfth session's changes, recomputed (docs12 audit): each test finds the statement in
its page and computes its numbers afresh, by hand from the formula, in exact rationals, or by PyTorch."""

from __future__ import annotations

import importlib.util
import re
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck, numerical_grad
from autograd.gradcheck import GradcheckError
from nn import losses

ROOT = Path(__file__).resolve().parent.parent


def prose(name: str) -> str:
    """A page with every run of whitespace made one space, so that a sentence is found however it is wrapped."""
    return " ".join((ROOT / name).read_text().split())


def example(name: str):
    spec = importlib.util.spec_from_file_location(f"docs12_{name}", ROOT / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_nn_md_quotes_mse_past_the_sums_overflow_and_values_keeping_the_sum():
    text = prose("docs/nn.md")
    assert "`mse` of differences 1.3e154 is 1.69e308, not inf (on Values the sum stays, inf" in text
    d = 1.3e154
    exact = float(Fraction(d) ** 2)                      # the mean of two equal squares is that square
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the sum's own overflow, before the mean is taken
        tensor = losses.mse(Tensor([[d], [-d]]), np.zeros((2, 1))).item()
        array = losses.mse(np.array([[d], [-d]]), np.zeros((2, 1)))
        values = losses.mse([Value(d), Value(-d)], [0.0, 0.0]).data
    assert tensor == pytest.approx(exact, rel=1e-15) and array == pytest.approx(exact, rel=1e-15)
    assert f"{tensor:.3g}" == "1.69e+308"
    assert values == np.inf


def test_nn_md_and_pytorch_md_quote_cross_entropy_zero_targets_beside_minus_inf():
    # by hand: softmax([1.7e308, -1.7e308]) puts all of its mass on the first class, so -log p_0 = 0, and the
    # gradient softmax - y = [1 - 1, 0 - 0] = 0; log p_1 = -3.4e308 overflows to -inf, which 0 must not touch
    assert "logits 1.7e308 apart, whose log-probability overflows to -inf, cost 0 where the loss is 0, with " \
           "gradient 0, not 0 (-inf) = NaN (PyTorch's answer)" in prose("docs/nn.md")
    assert "a target of 0 takes no term: the loss is 0 where it is 0 | NaN (0 times -inf)" in prose("docs/pytorch.md")
    logits, target = np.array([[1.7e308, -1.7e308]]), np.array([[1.0, 0.0]])
    z, row = Tensor(logits, requires_grad=True), [Value(1.7e308), Value(-1.7e308)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # numpy's, for the -inf and the 0 (-inf) the loss drops
        loss = losses.cross_entropy(z, target)
        array_loss = losses.cross_entropy(logits, target)
        value_loss = losses.cross_entropy([row], target)
    loss.backward()
    assert loss.item() == 0.0 and z.grad.tolist() == [[0.0, 0.0]]
    assert array_loss == 0.0
    value_loss.backward()
    assert value_loss.data == 0.0 and [v.grad for v in row] == [0.0, 0.0]
    torch = pytest.importorskip("torch")
    assert torch.isnan(torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(target)))


def test_engines_md_quotes_the_halves_of_an_overflowing_difference_with_eps_1():
    assert "as for 1.5e308 x with eps = 1, of its halves" in prose("docs/engines.md")
    # f(1) - f(-1) = 3e308 is past the largest float, 1.8e308; the slope of f = 1.5e308 x is 1.5e308 everywhere
    assert 1.5e308 - -1.5e308 == np.inf
    assert numerical_grad(lambda x: x * 1.5e308, [Value(0.0)], eps=1.0) == [1.5e308]
    assert gradcheck(lambda x: x * 1.5e308, [Value(0.0)], eps=1.0)


def test_engines_md_says_inputs_of_one_name_are_told_apart_by_position():
    assert "Two inputs of one name are told apart in the tables by their position (`weight (inputs[1])`)" in \
        prose("docs/engines.md")
    a = Tensor([0.5, 1.0], requires_grad=True, name="weight")
    b = Tensor([0.5, 1.0], requires_grad=True, name="weight")
    # d/db of sum(a b + b^3) is a + 3 b^2; .data takes b^3 out of the graph, so backward() gives a alone: wrong at b
    with pytest.raises(GradcheckError) as e:
        gradcheck(lambda a, b: (a * b + Tensor(b.data ** 3)).sum(), [a, b])
    rows = [line for line in str(e.value).splitlines() if line.startswith("weight")]
    assert len(rows) == 2 and all(line.startswith("weight (inputs[1]) ") for line in rows)


def test_engines_md_quotes_logsumexps_gradient_beside_plus_inf_as_pytorchs():
    assert "beside a +inf entry its gradient is 0 at each finite entry (the limit, as PyTorch) and NaN at a +inf " \
           "entry" in prose("docs/engines.md")
    torch = pytest.importorskip("torch")
    for row in ([800.0, np.inf, 1.0], [1.0, np.inf, np.inf]):
        t = Tensor(row, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # the forward's exp(800) beside inf, shifted by 0
            y = t.logsumexp()
        y.backward()
        expected = [0.0 if np.isfinite(x) else np.nan for x in row]      # by hand: e^(x - inf) = 0
        assert np.array_equal(t.grad, expected, equal_nan=True)
        u = torch.tensor(row, dtype=torch.float64, requires_grad=True)
        torch.logsumexp(u, 0).backward()
        assert np.array_equal(t.grad, u.grad.numpy(), equal_nan=True)


def test_lectures_md_says_the_forward_scheme_divides_by_the_step_the_floats_took():
    assert 'scheme="forward")`: the one-sided difference (f(x + eps) - f(x)) / eps, divided, as the central ' \
           "differences are, by the step the floats took, (x + eps) - x" in prose("docs/lectures.md")
    x = 3e7 + 0.5
    taken = (x + 1e-6) - x
    assert abs(taken - 1e-6) > 1e-10 * 1e-6                        # floats 3.7e-9 apart: not eps to 10 digits
    assert numerical_grad(lambda v: v * 1.0, [Value(x)], scheme="forward") == [1.0]   # the identity's slope


def test_lectures_md_gives_the_examples_bounds_as_the_scripts_hold_them():
    text = prose("docs/lectures.md")
    assert example("rbf").SAMPLES == 100 and "`--units K` fits K units instead (1 to 100, the samples fitted)" in text
    assert example("cost_of_gradients").MAX_WIDTH == 2048
    assert "(two or more, each at most 2048: forward sensitivities hold 16 n^2 numbers a layer)" in text
    # 16 n^2 float64 numbers at n = 2048 are 0.5 GiB, as the refusal says
    assert 16 * 2048**2 * 8 == 2**29


def test_benchmarks_readme_names_every_workload_of_versions_py():
    spec = importlib.util.spec_from_file_location("docs12_versions", ROOT / "benchmarks" / "versions.py")
    versions = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = versions                     # dataclasses look their module up there
    spec.loader.exec_module(versions)
    text = (ROOT / "benchmarks" / "README.md").read_text()
    section = text[text.index("## Before and after: `benchmarks/versions.py`"):]
    section = section[:section.index("\n## ", 1)]
    named = set(re.findall(r"\(`([a-z0-9-]+)`", section))          # each workload by its name, in brackets
    assert set(versions.WORKLOADS) <= named, sorted(set(versions.WORKLOADS) - named)
