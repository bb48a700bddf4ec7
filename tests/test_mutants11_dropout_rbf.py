"""Mutation testing of nn/dropout.py and nn/rbf.py, eleventh round: each test fails on a deliberate mistake (named in
the test's comment) that the rest of the suite let pass. Expected numbers are worked out by hand from
y = x o m / (1 - p) and phi_j(x) = exp(-||x - c_j||^2 / (2 s_j^2))."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor
from nn import RBF, Dropout, Linear
from nn.rbf import RBFNetwork


def test_dropout_with_p_zero_is_the_identity_while_training_and_draws_nothing():
    # mutant: forward without its `self.p == 0.0` shortcut. Then p = 0 drew a mask of all ones, recorded it and
    # returned a new node x * 1 / 1: the same numbers, but a graph two ops longer and a random stream advanced, so
    # a seeded model's later masks changed when a p = 0 layer stood before them.
    drop = Dropout(0.0, seed=0)
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert drop.training and drop(x) is x and drop.mask is None
    after = drop._rng.random()
    assert after == np.random.default_rng(0).random()                # the first draw of seed 0: nothing drawn yet


def test_rbf_refuses_a_width_of_zero_as_not_positive():
    # mutant: `np.any(s < 0)` for `np.any(s <= 0)`. A width of 0 then met only the later "below 1e-150" check, whose
    # message speaks of underflow and overflowing gradients, not of a width that must be > 0.
    with pytest.raises(ValueError, match=r"RBF: widths must be one number > 0 or 2 of them .* \[0\.0, 0\.0\]"):
        RBF(1, 2, centres=[[0.0], [1.0]], widths=0.0)


def test_rbf_refuses_centres_given_flat_even_of_the_right_size():
    # mutant: the centres' check comparing sizes (6 == 3 * 2), not shapes: a flat list of six numbers was taken
    with pytest.raises(ValueError, match=r"RBF: centres has shape \(6,\); give one centre per unit, \(3, 2\)"):
        RBF(2, 3, centres=np.zeros(6))


def test_the_default_centres_are_standard_normal_draws_of_the_seed():
    # mutant: the centres drawn uniform on [0, 1) (rng.random) for N(0, 1), as the docstring says
    layer = RBF(3, 4, seed=7)
    np.testing.assert_array_equal(layer.centres.data, np.random.default_rng(7).standard_normal((4, 3)))


def test_the_cap_on_centre_entries_is_checked_before_the_centres():
    # mutant: the cap 10**8 raised to 10**9. 10**8 + 1 centre entries are refused by name; the mutant went on to
    # compare the given centres' shape instead (and without centres=, drew 800 MB of them)
    with pytest.raises(ValueError, match=r"RBF: n_in \* n_units must be at most 10\*\*8 centre entries, got n_in=1, "
                                         r"n_units=100000001"):
        RBF(1, 10**8 + 1, centres=[[0.0]])


def test_an_rbf_network_draws_its_output_weights_after_its_centres_from_one_stream():
    # mutant: RBFNetwork handing the int seed itself to the output layer, not the generator made from it. The
    # output layer then restarted seed 0's stream: its draws began with the very numbers the centres had taken.
    # From one stream the centres take the first 4 x 2 normals and the output layer draws after them.
    net = RBFNetwork(2, 4, 1, seed=0)
    rng = np.random.default_rng(0)
    np.testing.assert_array_equal(net.rbf.centres.data, rng.standard_normal((4, 2)))
    after = Linear(4, 1, init="xavier", seed=rng)
    np.testing.assert_array_equal(net.output.weight.data, after.weight.data)
    np.testing.assert_array_equal(net.output.bias.data, after.bias.data)
