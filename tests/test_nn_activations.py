"""nn.activations: each activation's formula and derivative (the hand-coded path) against math and central
differences, and the engine op it maps to against both; their scalar source (what nn.backprop.training_source
writes) against the numpy forms; step says it has no gradient; unknown names list the rest."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, Value
from nn import activations

# the lecture's formulas, written with the math module, one number at a time
FORMULAS = {
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)),
    "tanh": math.tanh,
    "relu": lambda z: max(0.0, z),
    "softplus": lambda z: math.log(1.0 + math.exp(z)),
    "identity": lambda z: z,
}
Z = np.array([-3.0, -0.7, -1e-3, 0.4, 2.5])              # away from relu's kink at 0


def test_the_registry_holds_the_lectures_activations():
    assert sorted(activations.ACTIVATIONS) == ["identity", "relu", "sigmoid", "softplus", "step", "tanh"]


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_formula_and_derivative_for_the_hand_coded_path(name):
    act = activations.get(name)
    np.testing.assert_allclose(act.f(Z), [FORMULAS[name](z) for z in Z], rtol=1e-14, atol=1e-15)
    h = 1e-6
    central = [(FORMULAS[name](z + h) - FORMULAS[name](z - h)) / (2 * h) for z in Z]
    np.testing.assert_allclose(act.derivative(Z), central, rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_the_engine_op_computes_the_formula_and_its_gradient_is_the_derivative(name):
    act = activations.get(name)
    for z in Z:
        v = Value(float(z))
        out = act(v)
        out.backward()
        assert out.data == pytest.approx(FORMULAS[name](z), rel=1e-14, abs=1e-15)
        assert v.grad == pytest.approx(float(act.derivative(np.array(z))), rel=1e-12, abs=1e-15)
    t = Tensor(Z.copy(), requires_grad=True)
    out = act(t)
    out.sum().backward()
    np.testing.assert_allclose(out.data, act.f(Z), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(t.grad, act.derivative(Z), rtol=1e-12, atol=1e-15)


def test_sigmoid_and_softplus_and_their_derivatives_are_finite_at_a_thousand():
    z = np.array([-1000.0, 1000.0])
    for name in ("sigmoid", "softplus", "tanh"):
        act = activations.get(name)
        assert np.all(np.isfinite(act.f(z))) and np.all(np.isfinite(act.derivative(z)))
    np.testing.assert_array_equal(activations.get("sigmoid").f(z), [0.0, 1.0])
    np.testing.assert_array_equal(activations.get("softplus").f(z), [0.0, 1000.0])


def test_step_is_the_perceptrons_and_says_it_has_no_gradient():
    step = activations.get("step")
    np.testing.assert_array_equal(step(np.array([-2.0, -1e-9, 0.0, 3.0])), [0.0, 0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="'step' has no gradient.*perceptron rule"):
        step.derivative(np.zeros(2))
    with pytest.raises(ValueError, match="'step' has no gradient.*plain numbers"):
        step(Value(0.5))
    with pytest.raises(ValueError, match="'step' has no gradient"):
        step(Tensor(np.zeros(2), requires_grad=True))


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown activation 'gelu'; known activations: identity, relu, sigmoid, "
                                         "softplus, step, tanh"):
        activations.get("gelu")
    assert activations.get(activations.get("tanh")).name == "tanh"        # an Activation passes through


def test_plain_numbers_of_any_kind_go_through_the_numpy_formula():
    sigmoid = activations.get("sigmoid")
    for x in (0.0, 0, np.float32(0.0), np.int64(0), np.array(0.0), [0.0, 0.0], (0.0,)):
        np.testing.assert_array_equal(sigmoid(x), np.full(np.shape(x), 0.5))


def test_sigmoid_derivative_for_the_hand_coded_path_keeps_its_digits_at_z_100():
    # seed 002's saturated neuron: sigma'(100) = e^-100 / (1 + e^-100)^2 = 3.72e-44, not 0.
    d = activations.get("sigmoid").derivative(np.array([100.0, -100.0, 40.0]))
    expected = [math.exp(-100.0), math.exp(-100.0), math.exp(-40.0) / (1 + math.exp(-40.0)) ** 2]
    assert d.tolist() == pytest.approx(expected, rel=1e-12)


# --- the scalar source (what nn.backprop.training_source writes) against the numpy forms -------------------------
SCALAR = [name for name, act in activations.ACTIVATIONS.items() if act.scalar is not None]
COMPILED = {name: activations.get(name).scalar_functions() for name in SCALAR}
# +-1000 (overflow), 0 (relu's kink, sigmoid's branch), around 37 (where s rounds to 1 and s (1 - s) would lose
# sigma'), 709/710 (where e^z overflows), the smallest floats, and a fine grid in between
POINTS = sorted({*np.linspace(-60.0, 60.0, 2401).tolist(), -1000.0, 1000.0, -710.0, 710.0, -709.0, 709.0,
                 -100.0, 100.0, -0.0, 0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-8, -1e-8,
                 *(s * v for s in (1.0, -1.0) for v in (36.0, 36.5, 36.9, 37.0, 37.1, 37.5, 38.0, 40.0))})


def assert_same_number(scalar, numpy, what):
    # math and numpy may round exp/tanh/log1p differently in the last bit: one or two ulps, nothing more
    assert scalar == pytest.approx(numpy, rel=5e-16, abs=0.0), what


@pytest.mark.parametrize("name", SCALAR)
def test_the_scalar_source_computes_the_numpy_formula_and_derivative_at_many_points(name):
    act, (f, df) = activations.get(name), COMPILED[name]
    for z in POINTS:
        assert_same_number(f(z), float(act.f(np.array(z))), f"{name}({z})")
        assert_same_number(df(z), float(act.df(np.array(z))), f"{name}'({z})")


@pytest.mark.parametrize("name", SCALAR)
@given(z=st.floats(-1000.0, 1000.0, allow_nan=False))
def test_the_scalar_source_computes_the_numpy_formula_and_derivative_anywhere(name, z):
    act, (f, df) = activations.get(name), COMPILED[name]
    assert_same_number(f(z), float(act.f(np.array(z))), f"{name}({z})")
    assert_same_number(df(z), float(act.df(np.array(z))), f"{name}'({z})")


def test_the_scalar_sigmoid_derivative_keeps_its_digits_at_z_100_and_is_finite_at_a_thousand():
    f, df = COMPILED["sigmoid"]
    assert df(100.0) == pytest.approx(math.exp(-100.0), rel=1e-12)            # 3.72e-44, not 0
    assert df(-100.0) == pytest.approx(math.exp(-100.0), rel=1e-12)
    assert (f(1000.0), f(-1000.0), df(1000.0), df(-1000.0)) == (1.0, 0.0, 0.0, 0.0)
    assert COMPILED["softplus"][0](1000.0) == 1000.0 and COMPILED["softplus"][0](-1000.0) == 0.0


def test_every_activation_but_step_has_a_scalar_form_and_step_says_so():
    assert SCALAR == ["sigmoid", "tanh", "relu", "softplus", "identity"]
    with pytest.raises(ValueError, match="'step' has no scalar form; those that have one: sigmoid, tanh"):
        activations.get("step").scalar_lines("a")
