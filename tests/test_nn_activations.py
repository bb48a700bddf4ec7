"""nn.activations: each activation's formula and derivative (the hand-coded path) against math and central
differences, and the engine op it maps to against both; step says it has no gradient; unknown names list the rest."""

import math

import numpy as np
import pytest

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
