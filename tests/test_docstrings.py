"""Issue 15: every public op of both engines and every public function of nn says what it computes: a non-empty
docstring, and for an elementwise op the derivative its rule in ``autograd.rules`` states (``help(Value.tanh)``,
``help(Tensor.sum)`` show the formula and the derivative)."""

from __future__ import annotations

import inspect

import pytest

import autograd
import nn
import nn.losses
from autograd import Tensor, Value, rules

# The operators a user writes (a + b, -a, a[i], a < b, ...): public, though their names start with an underscore.
OPERATORS = {
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__neg__",
    "__pow__", "__rpow__", "__matmul__", "__rmatmul__", "__abs__", "__getitem__", "__iadd__", "__isub__",
    "__imul__", "__itruediv__", "__lt__", "__le__", "__gt__", "__ge__", "__len__", "__iter__", "__float__",
    "__bool__", "__array__", "__array_ufunc__", "__array_function__",
}


def public_ops(cls: type) -> list[str]:
    """The public methods and properties of ``cls`` and its operators (not plain data slots such as ``.data``)."""
    names = []
    for name in dir(cls):
        if name.startswith("_") and name not in OPERATORS:
            continue
        attr = inspect.getattr_static(cls, name, None)
        if attr is None or not (callable(attr) or isinstance(attr, (property, classmethod, staticmethod))):
            continue
        names.append(name)
    return names


def doc(obj: object) -> str:
    return (inspect.getdoc(obj) or "").strip()


@pytest.mark.parametrize("cls", [Value, Tensor], ids=["Value", "Tensor"])
def test_every_public_op_of_both_engines_has_a_docstring(cls):
    missing = [name for name in public_ops(cls) if not doc(getattr(cls, name))]
    assert not missing, f"{cls.__name__}: no docstring for {missing}"
    assert len(public_ops(cls)) > 20


def test_every_name_of_autograd_all_has_a_docstring():
    missing = [name for name in autograd.__all__ if not doc(getattr(autograd, name))]
    assert not missing, missing


def test_every_name_of_nn_all_and_every_public_loss_has_a_docstring():
    missing = [name for name in nn.__all__ if not doc(getattr(nn, name))]
    losses = [name for name, f in vars(nn.losses).items()
              if not name.startswith("_") and inspect.isfunction(f) and f.__module__ == "nn.losses"]
    missing += [f"losses.{name}" for name in losses if not doc(getattr(nn.losses, name))]
    assert not missing, missing
    assert {"binary_cross_entropy", "cross_entropy", "mse"} <= set(losses)


def test_the_public_methods_of_nn_classes_have_docstrings():
    missing = []
    for name in nn.__all__:
        cls = getattr(nn, name)
        if not inspect.isclass(cls):
            continue
        for method in public_ops(cls):
            if method.startswith("__"):
                continue
            if not doc(getattr(cls, method)):
                missing.append(f"{name}.{method}")
    assert not missing, missing


@pytest.mark.parametrize("name", sorted(rules.FUNCTIONS))
def test_an_elementwise_ops_docstring_states_its_rules_derivative(name):
    rule = rules.FUNCTIONS[name]
    attr = "__neg__" if name == "neg" else name
    for cls in (Value, Tensor):
        text = doc(getattr(cls, attr))
        assert rule.derivative in text, f"{cls.__name__}.{attr}: {text!r} lacks {rule.derivative!r}"
        assert rule.formula in text, f"{cls.__name__}.{attr}: {text!r} lacks {rule.formula!r}"


@pytest.mark.parametrize("op, words", [
    ("sum", "dy/dx_i = 1"), ("mean", "dy/dx_i = 1/n"), ("prod", "prod_(j != i) x_j"), ("cumsum", "sum_(k >= i)"),
    ("__add__", "dy/da = 1"), ("__mul__", "dy/da = b"), ("__truediv__", "dy/db = -y/b"),
    ("__pow__", "p x^(p-1)"), ("pow", "p x^(p-1)"), ("softmax", "p_i (delta_ik - p_k)"),
])
def test_help_shows_the_formula_and_the_derivative_of_reductions_and_operators(op, words):
    assert words in doc(getattr(Tensor, op))
