"""What the docs' prose says about names, signatures and defaults is what the code has (the docs audit, docstruth).

tests/test_docs.py runs the pages' python blocks and tests/test_docs*_numbers.py their quoted numbers; this file
reads the signatures written in sentences (`fit(model, X, Y, ..., batch_size=None, ...)`), which no block calls
with every default, and checks each documented default against ``inspect.signature`` of the code. A default that
drifts (``train_test_split``'s seed was documented as 0 and is None: a fresh split on every call) fails here.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import numpy as np
import pytest

import autograd
import nn
from autograd import testing
from nn import backprop, data, init, logic, losses

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def prose(name: str) -> str:
    """A page with every run of whitespace made one space, so that a signature is found however it is wrapped."""
    return " ".join((ROOT / name).read_text().split())


def documented_call(page: str, written: str) -> str:
    """The text of the call `written(...)` as the page writes it, up to its matching parenthesis."""
    text = prose(page)
    start = text.index(f"`{written}(") + 1
    depth = 0
    for end in range(start + len(written), len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0:
            return text[start:end + 1]
    raise AssertionError(f"{page}: `{written}(` is never closed")


def documented_defaults(call: str) -> dict:
    """name -> default of every `name=default` argument of a documented call, the default evaluated with numpy."""
    node = ast.parse(call.replace("*, ", "").replace(", *", ""), mode="eval").body
    assert isinstance(node, ast.Call), call
    names = {"np": np, "VALUE_OPS": testing.VALUE_OPS}
    return {k.arg: eval(compile(ast.Expression(k.value), "<doc>", "eval"), names) for k in node.keywords}


# (page, the call as the page names it, the code it documents)
SIGNATURES = [
    ("docs/engines.md", "Tensor", autograd.Tensor),
    ("docs/engines.md", "numerical_grad", autograd.numerical_grad),
    ("docs/engines.md", "gradcheck", autograd.gradcheck),
    ("docs/nn.md", "MLP", nn.MLP),
    ("docs/nn.md", "nn.Linear", nn.Linear),
    ("docs/nn.md", "SGD", nn.SGD),
    ("docs/nn.md", "Adam", nn.Adam),
    ("docs/nn.md", "RMSprop", nn.RMSprop),
    ("docs/nn.md", "LBFGS", nn.LBFGS),
    ("docs/nn.md", "fit", nn.fit),
    ("docs/nn.md", "train_test_split", data.train_test_split),
    ("docs/backprop.md", "gradients", backprop.gradients),
    ("docs/testing.md", "floats", testing.floats),
    ("docs/testing.md", "expressions", testing.expressions),
    ("docs/lectures.md", "ThresholdUnit", logic.ThresholdUnit),
]


@pytest.mark.parametrize("page, written, code", SIGNATURES, ids=[f"{p}:{w}" for p, w, _ in SIGNATURES])
def test_each_default_the_docs_write_is_the_codes_default(page, written, code):
    parameters = inspect.signature(code).parameters
    defaults = documented_defaults(documented_call(page, written))
    assert defaults, f"{page}: `{written}(...)` documents no default"
    for name, documented in defaults.items():
        assert name in parameters, f"{page}: {written} has no parameter {name!r} (it has {list(parameters)})"
        actual = parameters[name].default
        assert actual is not inspect.Parameter.empty, f"{page}: {written}'s {name} has no default in the code"
        assert actual == documented, f"{page}: {written}({name}={documented!r}), but the code's default is {actual!r}"


def test_the_documented_order_of_parameters_is_the_codes():
    """Arguments a reader passes by position must be in the documented order: the documented names, in the
    code's order (the code may have more)."""
    for page, written, code in SIGNATURES:
        call = ast.parse(documented_call(page, written).replace("*, ", ""), mode="eval").body
        names = [k.arg for k in call.keywords]
        order = [n for n in inspect.signature(code).parameters if n in names]
        assert names == order, f"{page}: {written} documents {names}, the code orders them {order}"


def test_train_test_split_without_a_seed_draws_a_fresh_split_and_with_one_repeats_it():
    """docs/nn.md: seed=None, a fresh split each call unless seed is given."""
    X, y = np.arange(200.0).reshape(100, 2), np.arange(100)
    unseeded = {tuple(data.train_test_split(X, y)[3]) for _ in range(5)}
    seeded = {tuple(data.train_test_split(X, y, seed=0)[3]) for _ in range(5)}
    assert len(unseeded) > 1 and len(seeded) == 1


def test_the_default_initialiser_is_named_for_the_activations_that_get_it():
    """docs/nn.md: 'the default is `he` for a ReLU or softplus network and `xavier` otherwise', read from the code."""
    names = {"relu": "ReLU", "softplus": "softplus"}
    picked = {act: init.get(None, act) for act in ("sigmoid", "tanh", "relu", "softplus", "identity")}
    he = [names[a] for a, f in picked.items() if f is init.he]
    assert all(f in (init.he, init.xavier) for f in picked.values())
    assert f"the default is `he` for a {' or '.join(he)} network and `xavier` otherwise" in prose("docs/nn.md")


def test_the_activations_nn_md_lists_are_the_ones_an_mlp_takes():
    from nn.activations import ACTIVATIONS

    text = prose("docs/nn.md")
    listed = re.search(r"The activations are (.*?) \(`\"softmax\"` for the output only\)", text).group(1)
    named = set(re.findall(r'`"(\w+)"`', listed))
    trainable = set()
    for name in ACTIVATIONS:
        try:
            nn.MLP([2, 2], activation=name)
        except ValueError:
            continue
        trainable.add(name)
    assert named == trainable and "step" in set(ACTIVATIONS) - trainable
    nn.MLP([2, 2], output_activation="softmax")
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        nn.MLP([2, 2], activation="softmax")


def test_every_public_name_is_shown_in_a_code_span_of_the_readme_or_docs():
    """A user finds every name of autograd.__all__ and nn.__all__ written as code somewhere in README.md or docs/."""
    spans = []
    for page in PAGES:
        text = page.read_text()
        spans += re.findall(r"```\w*\n(.*?)```", text, re.S)
        spans += re.findall(r"`([^`\n]+)`", re.sub(r"```\w*\n.*?```", "", text, flags=re.S))
    missing = [f"{module.__name__}.{name}" for module in (autograd, nn) for name in module.__all__
               if not any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", s) for s in spans)]
    assert not missing, f"not shown in README.md or docs/: {missing}"


def test_render_error_is_imported_as_drawing_md_says():
    """`autograd.draw` is the function (the package's name is taken by it), so the error is reached by the import
    the page gives, and is what a failing render raises."""
    statement = re.search(r"`(from autograd\.draw import RenderError)`", prose("docs/drawing.md")).group(1)
    namespace: dict = {}
    exec(statement, namespace)
    from autograd.draw.render import RenderError

    assert namespace["RenderError"] is RenderError
    assert not hasattr(autograd.draw, "RenderError")      # what the page used to write: autograd.draw.RenderError


def test_numpy_refuses_a_tensor_that_requires_grad_as_engines_md_says():
    """`np.asarray(t)` and `.numpy()` are `t.data` for a Tensor that needs no gradient, refused for one that does."""
    t = autograd.Tensor([1.0, 2.0])
    assert np.asarray(t) is t.data and t.numpy() is t.data
    w = autograd.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="requires grad"):
        np.asarray(w)
    with pytest.raises(TypeError, match="requires grad"):
        w.numpy()
    with autograd.no_grad():
        assert np.asarray(w) is w.data
    assert w.detach().numpy() is w.data
    text = prose("docs/engines.md")
    assert "`np.asarray(t)` is `t.data` for a Tensor that needs no gradient" in text
    assert "refused, as in PyTorch, on a Tensor that requires grad: `t.detach().numpy()`" in text


def test_the_losses_the_docs_table_names_exist():
    table = re.findall(r"^\| `(\w+)", (ROOT / "docs" / "nn.md").read_text().split("## Losses")[1]
                       .split("## Optimizers")[0], re.M)
    assert table and all(callable(getattr(losses, name)) for name in table), table
