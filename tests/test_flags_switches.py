"""Every True/False switch takes the same values and refuses the same values, with the same message.

The rule (autograd.checks.flag): Python's True and False, and numpy's (np.True_, what ``(x > 0).any()`` gives)
are switches; nothing else is. The string "False" is true to Python, so it is refused; 0, 1 and 1.0 are
refused as PyTorch refuses them (``t.sum(0, 1)`` would keep the dims of a sum meant over axes 0 and 1).
"""

from __future__ import annotations

import os
import re
import tempfile

import numpy as np
import pytest

import autograd
from autograd import Tensor, Value, compile, functional, to_dot
from autograd.checks import flag
from nn import MLP, SGD, backprop, data, fit, losses, scalar

ACCEPTED = [True, False, np.True_, np.False_]
REFUSED = ["False", "True", "", "no", 0, 1, 2, 1.0, 0.0, np.int64(1), np.float64(0.0), None, [True], (False,),
           np.array(True), np.array([True])]


def _x() -> Tensor:
    return Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)


def _backward(**switch):
    x = _x()
    (x * x).sum().backward(**switch)
    return isinstance(x.grad, Tensor) and x.grad.requires_grad      # a graph of the gradient: create_graph's work


def _value_backward(**switch):
    x = Value(3.0)
    (x * x).backward(**switch)
    return isinstance(x.grad, Value)                                # a graph of the gradient: create_graph's work


def _compiled(**switch):
    if switch.get("has_aux") is True or switch.get("has_aux") is np.True_:
        c = compile(lambda w: (w[0] * w[0], [w[0]]), [3.0], **switch)
    else:
        c = compile(lambda w: w[0] * w[0], [3.0], **switch)
    return c.check, c.has_aux, c([3.0])[:2]


def _fit(**switch):
    X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0.0, 0.0, 1.0, 1.0])
    model = MLP([1, 1], output_activation="sigmoid", seed=0)
    h = fit(model, X, y, "binary_cross_entropy", SGD(model.parameters(), lr=0.1), epochs=2, seed=0, batch_size=1,
            **{"progress": False, **switch})
    return h.train_loss, h.train_accuracy, [p.data.tolist() for p in model.parameters()]


def _saved(call, allow_nonfinite):
    model = MLP([2, 1], seed=0)
    with tempfile.TemporaryDirectory() as folder:
        path = model.save(os.path.join(folder, "m.npz"), **({"allow_nonfinite": allow_nonfinite}
                                                             if call == "save" else {}))
        if call == "load":
            model.load(path, allow_nonfinite=allow_nonfinite)
        return [p.data.tolist() for p in model.parameters()]


def _step(check):
    model = scalar.MLP(2, [1], seed=0)
    step = model.compiled_step(lambda out, y: (out - y) ** 2, check=check)
    return step.check


def _grad(**switch):
    x = _x()
    (g,) = autograd.grad((x * x).sum(), [x], **switch)
    return g.data.tolist(), g.requires_grad


def _functional(who, **switch):
    f = getattr(functional, who)
    x = Tensor([1.0, 2.0])
    if who in ("jacobian", "hessian"):
        out = f(lambda a: (a * a * a).sum() if who == "hessian" else a * a, x, **switch)
        return out.data.tolist(), out.requires_grad
    out = f(lambda a: (a * a * a).sum() if who in ("hvp", "vhp") else a * a, x, Tensor([1.0, 1.0]), **switch)
    return [(o.data.tolist(), o.requires_grad) for o in out]


def _hand_coded(who, input_grad):
    out = getattr(backprop, who)([(np.ones((1, 2)), np.zeros(1))] if who == "gradients"
                                 else [(np.ones((2, 1)), np.zeros(1))], np.array([0.5, 1.0]), np.array([1.0]),
                                 input_grad=input_grad)
    return len(out), float(out[0])


# (who, name, call): call(value) uses the switch and returns what it changed
SWITCHES = [
    ("Tensor", "requires_grad", lambda v: Tensor([1.0], requires_grad=v).requires_grad),
    ("requires_grad_()", "requires_grad", lambda v: Tensor([1.0]).requires_grad_(v).requires_grad),
    ("backward()", "create_graph", lambda v: _backward(create_graph=v)),
    ("backward()", "retain_graph", lambda v: _backward(retain_graph=v)),
    *[("backward()", name, lambda v, name=name: _value_backward(**{name: v}))      # Value's
      for name in ("create_graph", "retain_graph")],
    *[(op, "keepdims", lambda v, op=op: getattr(_x(), op)(axis=0, keepdims=v).shape)
      for op in ("sum", "mean", "max", "min", "prod", "var", "logsumexp")],
    ("compile", "check", lambda v: _compiled(check=v)),
    ("compile", "has_aux", lambda v: _compiled(has_aux=v)),
    ("compiled_step", "check", _step),
    ("MLP.train", "mode", lambda v: MLP([2, 1]).train(v).training),
    ("save", "allow_nonfinite", lambda v: _saved("save", v)),
    ("load", "allow_nonfinite", lambda v: _saved("load", v)),
    ("binary_cross_entropy", "logits", lambda v: float(losses.binary_cross_entropy([0.25], [1.0], logits=v))),
    ("digits", "scale", lambda v: float(data.digits(scale=v)[0].max())),
    ("train_test_split", "shuffle",
     lambda v: data.train_test_split(np.arange(20).reshape(10, 2), np.arange(10), shuffle=v, seed=0)[1].tolist()),
    *[("fit", name, lambda v, name=name: _fit(**{name: v}))
      for name in ("shuffle", "replacement", "restore_best", "progress", "compile")],
    ("grad", "create_graph", lambda v: _grad(create_graph=v)),
    ("grad", "allow_unused", lambda v: _grad(allow_unused=v)),
    *[(who, name, lambda v, who=who, name=name: _functional(who, **{name: v}))
      for who in ("vjp", "jvp", "jacobian", "hessian", "hvp", "vhp") for name in ("create_graph", "strict")],
    ("sum", "keepdims", lambda v: np.sum(_x(), axis=0, keepdims=v).shape),          # numpy's function on a Tensor
    *[(who, "input_grad", lambda v, who=who: _hand_coded(who, v)) for who in ("gradients", "gradients_rows")],
    *[("draw", name, lambda v, name=name: to_dot(_x().sum(), **{name: v}))
      for name in ("show_data", "show_grad", "highlight_grad", "legend")],
]
IDS = [f"{who}-{name}" for who, name, _ in SWITCHES]


# retain_graph's default is None (PyTorch's: "as create_graph"); every other switch refuses None
REFUSALS = [pytest.param(who, name, call, value, id=f"{who}-{name}-{value!r}")
            for who, name, call in SWITCHES for value in REFUSED if not (value is None and name == "retain_graph")]


@pytest.mark.parametrize(("who", "name", "call", "value"), REFUSALS)
def test_every_switch_refuses_what_is_not_true_or_false_with_one_message(who, name, call, value):
    expected = f"{who}: {name} must be True or False, got {value!r}"
    with pytest.raises(TypeError, match="^" + re.escape(expected)):
        call(value)


@pytest.mark.parametrize(("who", "name", "call"), SWITCHES, ids=IDS)
def test_every_switch_takes_numpys_bools_as_pythons(who, name, call):
    for value in (True, False):
        assert call(np.bool_(value)) == call(value)


def test_the_switches_do_switch():
    # the table above would pass if every call ignored its switch: these change what they compute
    assert _fit(shuffle=True)[0] != _fit(shuffle=False)[0]
    assert Tensor([1.0], requires_grad=np.True_).requires_grad is True
    assert _backward(create_graph=np.True_) and not _backward(create_graph=np.False_)
    assert not _backward(retain_graph=None)
    assert _x().sum(axis=0, keepdims=np.True_).shape == (1, 2)
    z = 0.25                                                             # logits: -ln sigmoid(z); else -ln z
    assert losses.binary_cross_entropy([z], [1.0], logits=np.True_) == pytest.approx(np.log1p(np.exp(-z)))
    assert losses.binary_cross_entropy([z], [1.0], logits=np.False_) == pytest.approx(-np.log(z))
    assert data.digits(scale=np.False_)[0].max() == 16.0 and data.digits(scale=np.True_)[0].max() == 1.0


def test_fit_accuracy_takes_none_and_the_same_switches():
    X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0.0, 0.0, 1.0, 1.0])
    model = MLP([1, 1], output_activation="sigmoid", seed=0)
    for value in (None, True, np.True_):
        h = fit(model, X, y, "binary_cross_entropy", SGD(model.parameters(), lr=0.1), epochs=1, progress=False,
                accuracy=value)
        assert h.train_accuracy is not None
    for value in (False, np.False_):
        h = fit(model, X, y, "binary_cross_entropy", SGD(model.parameters(), lr=0.1), epochs=1, progress=False,
                accuracy=value)
        assert h.train_accuracy is None
    for value in [v for v in REFUSED if v is not None]:
        with pytest.raises(TypeError, match=re.escape(f"fit: accuracy (or None to decide from the loss) must be "
                                                      f"True or False, got {value!r}")):
            fit(model, X, y, "binary_cross_entropy", SGD(model.parameters(), lr=0.1), epochs=1, progress=False,
                accuracy=value)


def test_flag_says_the_fix():
    with pytest.raises(TypeError, match="any non-empty string is true.*without quotes"):
        flag("False", "f", "x")
    with pytest.raises(TypeError, match="a number is not taken as a switch"):
        flag(1, "f", "x")
    assert flag(np.False_, "f", "x") is False and flag(True, "f", "x") is True

