"""Mutation testing of nn/logic.py, eleventh round: each test fails on a deliberate mistake (named in the test's
comment) that the rest of the suite let pass. Expected outputs are worked out by hand from the units' rule
y = 1 if sum_i w_i x_i - T > 0 else 0 (Dehaqani's notes)."""

from __future__ import annotations

import pytest

from nn import logic


@pytest.mark.parametrize("make", [logic.and_unit, logic.or_unit])
def test_a_unit_of_more_inputs_than_the_cap_is_refused_and_the_cap_itself_is_built(make):
    # mutant: _count's `n > cap` as `n > cap + 1`, one more than MAX_UNITS (100,000) let through
    with pytest.raises(ValueError, match=r"n must be at most 100000, got 100001"):
        make(logic.MAX_UNITS + 1)
    assert make(logic.MAX_UNITS).n_in == 100_000


def test_square_pulse_refuses_equal_thresholds():
    # mutant: `not t1 <= t2` for `not t1 < t2`. A pulse on 1 < x <= 1 is empty: two units for the constant 0.
    with pytest.raises(ValueError, match=r"square_pulse: need t1 < t2, got t1=1\.0, t2=1\.0"):
        logic.square_pulse(1.0, 1.0)


def test_pulse_sum_of_a_constant_f_gives_that_constant_on_every_pulse():
    # mutant: the height of an f that answers one number for all midpoints (lambda x: 2.0) set to 0, not that number
    approx = logic.pulse_sum(lambda x: 2.0, 0.0, 1.0, 4)
    assert approx([0.1, 0.3, 0.6, 0.9, 1.5]).tolist() == [2.0, 2.0, 2.0, 2.0, 0.0]


def test_pulse_sum_refuses_pulses_too_narrow_to_tell_apart_by_name():
    # mutant: pulse_sum without its check that the edges increase. On (0, 5e-324] (the smallest subnormal) two
    # pulses have edges 0, 0 or 5e-324, 5e-324: the mutant failed inside square_pulse with "need t1 < t2", which
    # names no pulse_sum argument.
    with pytest.raises(ValueError, match=r"pulse_sum: the 2 pulses on \(0\.0, 5e-324\] are too narrow"):
        logic.pulse_sum(lambda x: x, 0.0, 5e-324, 2)


def test_union_network_refuses_a_region_with_two_outputs():
    # mutant: union_network checking only the number of layers, not that the region has one output unit: the second
    # output was silently dropped
    two_out = logic.ThresholdNetwork([logic.polygon_units(4), [logic.and_unit(4), logic.or_unit(4)]])
    with pytest.raises(ValueError, match=r"union_network: each region must be a two-layer network with one output"):
        logic.union_network([two_out])


@pytest.mark.parametrize("k", [1, 2])
def test_a_polygon_needs_three_sides(k):
    # mutant: polygon_units' minimum number of sides 1 for 3. Two half-planes make a band, one a half-plane: no
    # polygon, and no bounded region
    with pytest.raises(ValueError, match=r"polygon_units: k \(the number of sides\) must be >= 3, got " + str(k)):
        logic.polygon_network(k)


@pytest.mark.parametrize("radius", [0.0, -1.0])
def test_a_polygon_needs_a_positive_radius(radius):
    # mutant: polygon_units taking any radius. With r = 0 each unit fires where n . x < n . c: the square of
    # inradius 0 is empty; r = -1 made the same empty region, silently
    with pytest.raises(ValueError, match=r"polygon_units: radius must be > 0"):
        logic.polygon_network(4, radius)
