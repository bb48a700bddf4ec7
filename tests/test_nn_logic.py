"""Threshold logic (nn.logic): McCulloch-Pitts units, the gates, DNF universality, polygons, pulses (seeds 001, 003)."""

import itertools

import numpy as np
import pytest

from nn.logic import (
    ThresholdNetwork,
    ThresholdUnit,
    all_inputs,
    dnf_network,
    gate,
    minterm_unit,
    polygon_network,
    pulse_sum,
    square_pulse,
    step,
    truth_table,
    union_network,
)


def test_step_is_strict_at_zero_as_the_notes_write_it():
    assert step([-1.0, 0.0, 1e-300, 2.0]).tolist() == [0, 0, 1, 1]
    unit = ThresholdUnit([1.0], 0.5)
    assert unit([[0.5], [0.5000001]]).tolist() == [0, 1]       # exactly at the threshold: silent


def test_all_inputs_are_in_lexicographic_order():
    assert all_inputs(3).tolist() == [list(r) for r in itertools.product([0, 1], repeat=3)]
    assert all_inputs(0).shape == (1, 0)


def test_inhibitory_input_vetoes_whatever_the_excitatory_inputs_say():
    unit = ThresholdUnit([5, 5, 0], 0, inhibitory=[2])
    assert unit(all_inputs(3)).tolist() == [0, 0, 1, 0, 1, 0, 1, 0]
    # seed 001's N3(t) = N1(t-1) and not N2(t-1)
    assert ThresholdUnit([1, 0], 0, inhibitory=[1])(all_inputs(2)).tolist() == [0, 0, 1, 0]


def test_the_gates_compute_their_truth_tables():
    X = all_inputs(2)
    expected = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0], "NOR": [1, 0, 0, 0],
                "XOR": [0, 1, 1, 0]}
    for name, table in expected.items():
        assert gate(name)(X).tolist() == table
    assert gate("not")([[0], [1]]).tolist() == [1, 0]
    assert isinstance(gate("XOR"), ThresholdNetwork) and gate("XOR").sizes == [2, 2, 1]
    with pytest.raises(ValueError, match="unknown gate"):
        gate("IMPLIES")


def test_a_minterm_unit_fires_on_its_row_only():
    for n in range(1, 6):
        X = all_inputs(n)
        for i, row in enumerate(X):
            out = minterm_unit(row)(X)
            assert out.sum() == 1 and out[i] == 1


@pytest.mark.parametrize("n", [1, 2, 3])
def test_dnf_network_computes_every_truth_table_of_up_to_three_inputs(n):
    X = all_inputs(n)
    for bits in itertools.product([0, 1], repeat=2 ** n):
        table = np.array(bits)
        net = dnf_network(table)
        assert np.array_equal(net(X), table), bits
        assert net.sizes == [n, max(1, int(table.sum())), 1]   # one hidden unit per true row
        assert np.array_equal(truth_table(net, n), table)


@pytest.mark.parametrize("n", [4, 5, 6])
def test_dnf_network_computes_random_truth_tables_of_four_to_six_inputs(n):
    rng = np.random.default_rng(n)
    X = all_inputs(n)
    for _ in range(50):
        table = rng.integers(0, 2, 2 ** n)
        assert np.array_equal(dnf_network(table)(X), table)
    for table in (np.zeros(2 ** n, int), np.ones(2 ** n, int)):  # the constant functions too
        assert np.array_equal(dnf_network(table)(X), table)


def test_dnf_network_reproduces_seed_001s_five_input_table():
    rows = ["00110", "01011", "01100", "10001", "10111", "11001"]
    table = np.zeros(32, int)
    table[[int(r, 2) for r in rows]] = 1
    net = dnf_network(table)
    assert net.sizes == [5, 6, 1]
    assert np.array_equal(net(all_inputs(5)), table)


def test_dnf_network_refuses_what_is_not_a_truth_table():
    with pytest.raises(ValueError, match="2\\^n"):
        dnf_network([0, 1, 1])
    with pytest.raises(ValueError, match="0 or 1"):
        dnf_network([0, 2])


def test_a_polygon_is_an_and_of_half_planes_and_approaches_the_disc():
    rng = np.random.default_rng(0)
    P = rng.uniform(-1.5, 1.5, (20000, 2))
    r = np.hypot(*P.T)
    areas = []
    for k in (3, 4, 6, 16, 100):
        inside = polygon_network(k)(P)
        assert np.all(inside[r < 1.0] == 1)                      # the polygon holds the inscribed disc
        assert np.all(inside[r > 1.0 / np.cos(np.pi / k)] == 0)  # and lies inside the circumscribed one
        areas.append(inside.mean() * 9.0)
    assert areas == sorted(areas, reverse=True)
    assert areas[-1] == pytest.approx(np.pi, rel=0.03)
    assert polygon_network(5).sizes == [2, 5, 1]


def test_a_union_of_two_polygons_needs_the_third_layer():
    left, right = polygon_network(4, 0.5, (-1, 0)), polygon_network(6, 0.5, (1, 0))
    both = union_network([left, right])
    assert both.sizes == [2, 10, 2, 1] and len(both.layers) == 3
    P = np.random.default_rng(1).uniform(-2, 2, (5000, 2))
    assert np.array_equal(both(P), left(P) | right(P))


def test_square_pulse_is_one_between_the_thresholds_and_a_sum_of_pulses_approaches_f():
    x = np.linspace(-1, 3, 401)
    assert np.array_equal(square_pulse(0.5, 2.0, 3.0)(x), np.where((x > 0.5) & (x <= 2.0), 3.0, 0.0))
    grid = np.linspace(0.001, np.pi, 1000)
    errors = [np.max(np.abs(pulse_sum(np.sin, 0, np.pi, k)(grid) - np.sin(grid))) for k in (4, 16, 64)]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < np.pi / 64                                # at most half a width times max |sin'| = 1
    with pytest.raises(ValueError):
        square_pulse(2.0, 1.0)


def test_networks_refuse_layers_that_do_not_chain():
    with pytest.raises(ValueError, match="layer 1 takes 3"):
        ThresholdNetwork([[ThresholdUnit([1, 1], 0)], [ThresholdUnit([1, 1, 1], 0)]])
    with pytest.raises(ValueError, match="inhibitory"):
        ThresholdUnit([1, 1], 0, inhibitory=[2])
    with pytest.raises(ValueError, match="does not fit 2 inputs"):
        gate("AND")([[1, 0, 1]])


def test_threshold_unit_names_a_0d_array_given_as_the_inhibitory_indices():
    with pytest.raises(TypeError, match=r"ThresholdUnit: inhibitory must be a list of input indices"):
        ThresholdUnit([1.0], 0, inhibitory=np.array(1.5))
    assert ThresholdUnit([1.0, 1.0], 1, inhibitory=np.array([1])).inhibitory == (1,)
