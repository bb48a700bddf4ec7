"""The witness's activations (nn.activations) at special points: the numpy form, the scalar form that
nn.backprop.training_source writes, and the engine's rules table must give the same value and derivative."""

import math
import warnings

import numpy as np
import pytest

from autograd import Tensor, Value
from autograd.rules import FLOATS, RELU
from nn import activations, backprop

SPECIAL = [0.0, -0.0, 1e-300, -1e-300, 1.0, -1.0, 30.0, -30.0, 710.0, -710.0, 1e308, -1e308,
           math.inf, -math.inf, math.nan]
SCALAR = [name for name, act in activations.ACTIVATIONS.items() if act.scalar is not None]
DIFFERENTIABLE = [name for name, act in activations.ACTIVATIONS.items() if act.df is not None and act.method]


def same(a: float, b: float) -> bool:
    """Equal as numbers, NaN equal to NaN (a NaN answered by a number, or the other way round, is not)."""
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("name", SCALAR)
def test_scalar_form_gives_the_numpy_forms_value_and_slope_at_every_special_point(name):
    act = activations.get(name)
    f, df = act.scalar_functions()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # tanh' at 1e308: -2 z overflows to -inf, e^-inf = 0
        for z in SPECIAL:
            assert same(f(z), float(act.f(np.array(z)))), (name, z, f(z), act.f(np.array(z)))
            assert same(df(z), float(act.df(np.array(z)))), (name, z, df(z), act.df(np.array(z)))


def test_relu_scalar_form_answers_nan_with_nan():
    # "z if z > 0.0 else 0.0" answered 0 for NaN: the NaN vanished from the code training_source writes
    f, df = activations.get("relu").scalar_functions()
    assert math.isnan(f(math.nan))
    assert f(-0.0) == 0.0 and f(-1e-300) == 0.0 and f(1e-300) == 1e-300 and f(math.inf) == math.inf


def test_relu_slope_at_nan_is_the_engine_rules_and_passes_a_nan_on():
    # the rules table says 0 for x <= 0, else 1; NaN is not <= 0, so 1 (PyTorch's threshold_backward too):
    # a NaN gradient from above stays NaN. The witness said 0 in both forms.
    act = activations.get("relu")
    (rule,) = RELU.partials(FLOATS, math.nan, math.nan)
    assert float(rule) == 1.0
    assert float(act.df(np.array(math.nan))) == float(rule)
    assert act.scalar_functions()[1](math.nan) == float(rule)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_witness_gives_the_engines_value_and_slope_at_every_special_point(name):
    act = activations.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for z in SPECIAL:
            v = Value(z)
            y = act(v)
            y.backward()
            t = Tensor(np.array([z]), requires_grad=True)
            act(t).sum().backward()
            f, df = float(act.f(np.array(z))), float(act.derivative(np.array(z)))
            assert same(f, y.data) and same(f, float(act(t).data[0])), (name, z)
            assert same(df, v.grad) and same(df, float(t.grad[0])), (name, z, df, v.grad, t.grad)


def test_training_source_of_a_relu_net_lets_a_nan_weight_reach_the_output():
    # a 1-1-1 relu net whose hidden weight is NaN: z^[2] = NaN, so a^[2] = NaN and the output weight's step is NaN.
    # With relu(NaN) = 0 the step went on with finite numbers and the NaN weight hid behind a dead unit.
    scope: dict = {}
    exec(compile(backprop.training_source([1, 1, 1], "relu", "identity", "quadratic"), "<test>", "exec"), scope)
    w2, b2, w3, b3 = scope["train"]([math.nan, 0.0, 0.5, 0.0], [[1.0]], [[0.0]], 0.1, [0])
    assert math.isnan(w3) and math.isnan(b3)
