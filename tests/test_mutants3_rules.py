"""Mutation testing, third round: the perceptron family (MADALINE's minimal disturbance, its step at zero, its eta
bound, its convergence report) and the threshold units (inhibitory vetoes, the pulse's closed end, the minterm
unit's construction). Every expected number is worked out by hand from Dehaqani's rules in the comments."""

import numpy as np
import pytest

from nn.logic import ThresholdUnit, minterm_unit, square_pulse
from nn.perceptrons import Madaline, madaline

# --- MADALINE ---------------------------------------------------------------------------------------------------


def test_madaline_flips_the_unit_whose_z_is_nearest_zero_and_moves_it_by_the_adaline_rule():
    # One sample x = (1, 0), extended (1, 0, 1); label +1; both units say -1 (z = -0.1 and -2), so the OR says -1.
    # Minimal disturbance flips unit 0 (|z| = 0.1 < 2): the ADALINE rule w <- w + eta (d - z) x with eta = 0.25,
    # d = +1, z = -0.1 adds 0.275 x, giving z = 0.45 >= 0 after one step. Unit 1 is not touched.
    W0 = np.array([[-0.05, 0.0, -0.05], [-1.0, 0.0, -1.0]])
    net = madaline([[1.0, 0.0]], [1], n_hidden=2, eta=0.25, epochs=1, W0=W0)
    expected = np.array([[-0.05 + 0.275, 0.0, -0.05 + 0.275], [-1.0, 0.0, -1.0]])
    np.testing.assert_allclose(net.W, expected, rtol=0, atol=1e-15)
    # one epoch, holding one mistake: not converged (only an epoch without a mistake says so)
    assert net.mistakes == [1] and net.converged is False
    again = madaline([[1.0, 0.0]], [1], n_hidden=2, eta=0.25, epochs=2, W0=W0)
    assert again.mistakes == [1, 0] and again.converged is True


def test_an_adaline_at_z_exactly_zero_outputs_plus_one():
    # Dehaqani's ADALINE: +1 for z >= 0. W = (1, -1, 0) on x = (1, 1): z = 1 - 1 + 0 = 0.
    net = Madaline(np.array([[1.0, -1.0, 0.0]]), [], True)
    assert net.hidden([[1.0, 1.0], [0.0, 1.0]]).tolist() == [[1], [-1]]
    assert net([[1.0, 1.0], [0.0, 1.0]]).tolist() == [1, -1]


def test_madaline_training_reads_z_exactly_zero_as_plus_one():
    # x = (1, 1), extended (1, 1, 1), label +1; the one unit W0 = (1, -1, 0) has z = 0, so it already says +1
    # and the OR says +1: no mistake, no update.
    W0 = np.array([[1.0, -1.0, 0.0]])
    net = madaline([[1.0, 1.0]], [1], n_hidden=1, eta=0.1, epochs=3, W0=W0)
    assert net.mistakes == [0] and net.converged is True
    np.testing.assert_array_equal(net.W, W0)


@pytest.mark.parametrize("eta", [0.7, 1.0])
def test_madaline_refuses_an_eta_at_or_above_two_over_the_largest_squared_norm(eta):
    # on {0, 1}^2 the largest ||(x, 1)||^2 is 1 + 1 + 1 = 3: one ADALINE step multiplies z - d by 1 - 3 eta,
    # whose size is >= 1 for eta >= 2/3, so 0.7 and 1.0 must be refused before any training
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    with pytest.raises(ValueError, match="overshoot"):
        madaline(X, [-1, 1, 1, -1], eta=eta)


# --- threshold units ----------------------------------------------------------------------------------------------


def test_any_one_inhibitory_input_vetoes_the_unit():
    # the unit fires on x1 alone (1 > 0) unless input 1 or input 2 is on: each of them vetoes by itself
    unit = ThresholdUnit([1, 0, 0], 0, inhibitory=[1, 2])
    assert unit([[1, 1, 0], [1, 0, 1], [1, 0, 0], [1, 1, 1]]).tolist() == [0, 0, 1, 0]


def test_the_square_pulse_is_closed_at_t2_and_open_at_t1_to_the_last_float():
    # height on t1 < x <= t2: the float just above t2 is outside, the one just above t1 inside
    pulse = square_pulse(1.0, 2.0, height=3.0)
    x = [np.nextafter(2.0, 3.0), 2.0, np.nextafter(1.0, 2.0), 1.0]
    assert pulse(x).tolist() == [0.0, 3.0, 3.0, 0.0]


def test_minterm_unit_is_the_notes_construction():
    # weight +1 where the row has a 1, -1 where it has a 0, threshold (number of 1s) - 1: row (1, 0, 1, 1) has
    # three 1s, so T = 2; on the row itself the sum is 3 > 2, and one differing bit gives 2, not > 2
    unit = minterm_unit([1, 0, 1, 1])
    assert unit.weights.tolist() == [1, -1, 1, 1] and unit.threshold == 2


def test_polygon_network_turns_by_its_angle():
    # the square of inradius 1 turned by 45 degrees is the diamond |x| + |y| < sqrt(2): (1.2, 0) inside, (0.9, 0.9)
    # outside (1.8 > 1.414); the square not turned holds the second and not the first
    from nn.logic import polygon_network
    X = [[1.2, 0.0], [0.9, 0.9]]
    assert polygon_network(4, 1.0, angle=np.pi / 4)(X).tolist() == [1, 0]
    assert polygon_network(4, 1.0)(X).tolist() == [0, 1]


def test_union_network_keeps_each_regions_own_output_weights():
    # a region whose output unit is not an AND: weights (1, 0), threshold 0.5, so it follows its first half-plane
    # (x1 > 0) alone; its union with nothing else is the region itself: (1, -1) in, (-1, 1) out
    from nn.logic import ThresholdNetwork, union_network
    region = ThresholdNetwork([[ThresholdUnit([1, 0], 0), ThresholdUnit([0, 1], 0)], [ThresholdUnit([1, 0], 0.5)]])
    X = [[1.0, -1.0], [-1.0, 1.0]]
    assert region(X).tolist() == [1, 0]
    assert union_network([region])(X).tolist() == [1, 0]
