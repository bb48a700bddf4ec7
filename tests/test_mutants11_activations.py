"""Mutation testing of nn/activations.py (the witness's table), eleventh round: each test fails on a deliberate
mistake (named in the test's comment) that the rest of the suite let pass. Expected numbers are worked out by hand
with the math module from the lectures' formulas, never from the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nn import activations


def test_bools_go_through_the_formula_as_one_and_zero():
    # mutant: _real returning the array as given, not as floats. numpy refuses `-` on bools, so sigmoid's
    # e^-|z| failed on [True, False]; as floats it is sigma(1) = 1 / (1 + e^-1) and sigma(0) = 1/2.
    sigmoid = activations.get("sigmoid")
    assert sigmoid([True, False]).tolist() == [1.0 / (1.0 + math.exp(-1.0)), 0.5]
    assert sigmoid.derivative(np.array([True])).tolist() == [math.exp(-1.0) / (1.0 + math.exp(-1.0)) ** 2]


def test_identity_gives_floats_for_integers_as_every_other_activation():
    # mutants: identity's f as `lambda z: z` and its df as np.ones_like(z) without dtype=float: on the integer
    # array [1, 2] they gave integers, where every other activation of the table gives float64
    identity = activations.get("identity")
    z = np.array([1, 2])
    assert identity.f(z).dtype == np.float64 and identity.f(z).tolist() == [1.0, 2.0]
    assert identity.df(z).dtype == np.float64 and identity.df(z).tolist() == [1.0, 1.0]
    for name in ("sigmoid", "tanh", "relu", "softplus"):
        act = activations.get(name)
        assert act.f(z).dtype == np.float64 and act.df(z).dtype == np.float64


def test_an_activation_without_a_derivative_has_no_scalar_form_even_with_source():
    # mutant: scalar_lines asking only `self.scalar is None`. An Activation built with scalar source but df=None
    # (no gradient, as step) then wrote a line for sigma' that the table says does not exist.
    act = activations.Activation("hard_step", lambda z: np.asarray(z, dtype=float) >= 0, None, None,
                                 activations.Scalar("", "1.0 if z >= 0.0 else 0.0", "0.0"))
    with pytest.raises(ValueError, match=r"activation 'hard_step' has no scalar form"):
        act.scalar_lines("a", "r")
