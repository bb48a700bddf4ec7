"""A hostile audit of nn.logic: every gate against Python's own Boolean operators, XOR composed of the other
gates, and inputs that are not 0 / 1. A gate on -1 / +1 codes used to answer silently with no Boolean function
(OR gave [0, 0, 0, 1]); the Boolean constructions now refuse any input but 0 and 1."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nn.logic import (
    ThresholdNetwork,
    ThresholdUnit,
    dnf_network,
    gate,
    half_plane,
    minterm_unit,
    polygon_network,
    pulse_sum,
    square_pulse,
    union_network,
)

PAIRS = list(itertools.product([0, 1], repeat=2))
PYTHON = {"AND": lambda a, b: a and b, "OR": lambda a, b: a or b, "NAND": lambda a, b: not (a and b),
          "NOR": lambda a, b: not (a or b), "XOR": lambda a, b: a != b}


@pytest.mark.parametrize("name", list(PYTHON))
def test_every_two_input_gate_is_pythons_operator(name):
    expected = [int(PYTHON[name](a, b)) for a, b in PAIRS]
    assert gate(name)(np.array(PAIRS)).tolist() == expected
    assert gate(name)([[bool(a), bool(b)] for a, b in PAIRS]).tolist() == expected    # True / False are 1 / 0


def test_not_gate():
    assert gate("NOT")([[0], [1], [False], [True]]).tolist() == [1, 0, 1, 0]


def test_xor_composed_of_or_nand_and():
    # XOR(a, b) = AND(OR(a, b), NAND(a, b)): the textbook composition out of the one-unit gates
    net = ThresholdNetwork([[gate("OR"), gate("NAND")], [gate("AND")]])
    assert net(np.array(PAIRS)).tolist() == [int(a != b) for a, b in PAIRS]


@pytest.mark.parametrize("name", ["AND", "OR", "NAND", "NOR", "XOR"])
def test_a_gate_refuses_bipolar_codes_instead_of_answering_no_boolean_function(name):
    bipolar = 2 * np.array(PAIRS) - 1
    with pytest.raises(ValueError, match=r"takes inputs 0 or 1 \(False / True\), got -1.0 at index \(0, 0\).*"
                                         r"\(x \+ 1\) / 2"):
        gate(name)(bipolar)
    # the fix the message names gives the gate's table
    assert gate(name)((bipolar + 1) / 2).tolist() == [int(PYTHON[name](a, b)) for a, b in PAIRS]


@pytest.mark.parametrize("x", [[2.0, 0.0], [0.5, 0.5], [1.0, -1.0], [np.inf, 0.0], [1.0, 1.0 + 1e-12]])
def test_gates_and_dnf_networks_refuse_what_is_not_0_or_1(x):
    # AND(2, 0) answered 1 (2 > 1), the minterm of (1, 0) fired on (2, 1): numbers no truth table has
    for net in (gate("AND"), gate("OR"), gate("XOR"), dnf_network([0, 1, 1, 0]), minterm_unit([1, 0])):
        with pytest.raises(ValueError, match=r"a Boolean gate or network .* takes inputs 0 or 1"):
            net([x])


def test_threshold_units_of_ones_own_still_take_real_inputs():
    # the XOR gate's units on the plane: x1 - x2 > 1/2 or x2 - x1 > 1/2, by hand
    plane = ThresholdNetwork(gate("XOR").layers)
    points = np.array([[0.5, 0.5], [0.9, 0.3], [0.3, 0.9], [0.2, 0.6], [-1.0, 2.0]])
    by_hand = [int(abs(a - b) > 0.5) for a, b in points]
    assert plane(points).tolist() == by_hand
    assert ThresholdUnit([1.0, 1.0], 1.0)([[2.0, 0.0], [0.4, 0.5]]).tolist() == [1, 0]


def test_boolean_flag_must_be_a_bool():
    with pytest.raises(TypeError, match=r"ThresholdUnit: boolean must be True or False, got 'yes'"):
        ThresholdUnit([1, 1], 1, boolean="yes")
    with pytest.raises(TypeError, match=r"ThresholdNetwork: boolean must be True or False, got 1"):
        ThresholdNetwork([[ThresholdUnit([1], 0)]], boolean=1)


def test_union_network_keeps_a_regions_inhibitory_veto():
    # the region x > 0 and not y > 0: its output unit reads the half-plane y > 0 as an inhibitory input. The union
    # built a new output unit from the weights and threshold only, so it answered 1 on (1, 1), inside y > 0
    right = ThresholdNetwork([[half_plane([-1.0, 0.0], 0.0), half_plane([0.0, -1.0], 0.0)],
                              [ThresholdUnit([1, 0], 0, inhibitory=[1])]])
    disc_far_left = polygon_network(8, 0.5, (-3.0, 0.0))
    points = np.array([[1.0, -1.0], [1.0, 1.0], [-1.0, -1.0], [-3.0, 0.2], [-3.0, 2.0]])
    by_hand = [int((x > 0 and not y > 0) or (x + 3) ** 2 + y ** 2 < 0.25) for x, y in points]
    assert union_network([right, disc_far_left])(points).tolist() == by_hand
    assert union_network([disc_far_left, right])(points).tolist() == by_hand       # the veto's index shifts


def test_a_sum_that_overflows_on_finite_inputs_is_refused_not_read_by_its_sign():
    # 1e308 + 1e308 - 3e308 = -1e308 < 0, but summed left to right float64 gives inf + ... = inf > 0: the unit
    # fired. (Which sums overflow depends on numpy's order of summation; any inf from finite inputs is refused.)
    unit = ThresholdUnit([1, 1, 1, 1, 1], 0)
    with pytest.raises(ValueError, match=r"ThresholdUnit: sum_i w_i x_i - T overflowed float64 \(beyond 1.8e308\) "
                                         r"in row 0 on finite inputs"):
        unit([[1e308, 1e308, -1e308, -1e308, -1e308]])
    with pytest.raises(ValueError, match=r"overflowed float64 \(beyond 1.8e308\) on finite inputs"):
        ThresholdUnit([1e300, 1e300], 0)([1e10, 1e10])                   # one row given flat
    # an infinite input is on its side, as before: inf > T fires, -inf does not
    assert ThresholdUnit([1, 1], 0)([[np.inf, 5.0], [-np.inf, 5.0]]).tolist() == [1, 0]


def test_pulse_sum_holds_one_pulse_at_a_time():
    # the sum was np.sum of a list of all k pulses' outputs: k * len(x) floats at once (160 MB here, 8 GB at the
    # 100000 pulses allowed, on 10000 points)
    import tracemalloc

    k, x = 2000, np.linspace(0.0, 3.0, 5000)
    approx = pulse_sum(np.sin, 0.0, 3.0, k)
    tracemalloc.start()
    try:
        y = approx(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * x.nbytes                            # the list alone was k * x.nbytes = 80 MB
    width = 3.0 / k                                        # f at the midpoint of each x's pulse, by hand
    mids = (np.ceil(x / width) - 0.5) * width
    inside = x > 0
    assert np.allclose(y[inside], np.sin(mids[inside]), rtol=0, atol=1e-12) and y[0] == 0.0


def test_dnf_network_refuses_more_true_rows_than_it_can_build_units():
    # every true row was a Python unit, built one by one: 1e5 in ~8 s, the 2^24 allowed in half an hour and gigabytes
    from nn.logic import MAX_UNITS

    table = np.zeros(2 ** 17, dtype=int)
    table[: MAX_UNITS + 1] = 1
    with pytest.raises(ValueError, match=rf"dnf_network: the table has {MAX_UNITS + 1} true rows, one hidden unit "
                                         rf"each, more than {MAX_UNITS}"):
        dnf_network(table)


@pytest.mark.parametrize("shape", [(5, 1), (1, 5), (5,), ()])
def test_pulses_keep_the_shape_of_x(shape):
    # a column x came back flat (5,): approx(x) - np.sin(x) then broadcast to (5, 5), and the "max error" read
    # off it was not the error at any x
    x = np.linspace(0.3, 2.9, 5).reshape(shape) if shape else np.array(1.3)
    approx = pulse_sum(np.sin, 0.0, 3.0, 6)                   # width 0.5: each x's pulse has f at its midpoint
    y = approx(x)
    assert y.shape == x.shape
    by_hand = np.sin((np.ceil(x / 0.5) - 0.5) * 0.5)
    assert np.max(np.abs(y - np.sin(x))) == pytest.approx(np.max(np.abs(by_hand - np.sin(x))), abs=1e-15)
    assert square_pulse(1.0, 2.0)(x).shape == x.shape
    assert np.array_equal(square_pulse(1.0, 2.0)(x), np.where((x > 1.0) & (x <= 2.0), 1.0, 0.0))
