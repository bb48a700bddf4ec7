"""A layer's initial weights are drawn in float64 and checked finite there (nn.init.sample); a float32 layer then
casts them. Weights beyond float32's range became inf silently: they are refused, by name, before the cast."""

import numpy as np
import pytest

import nn
from tests.messages import raises


@pytest.mark.parametrize("make", [
    lambda: nn.Linear(2, 2, dtype=np.float32, init=nn.init.normal(1e39), seed=0),
    lambda: nn.MLP([2, 3, 1], dtype=np.float32, init=nn.init.normal(1e39), seed=0),
])
def test_initial_weights_beyond_float32_are_refused_not_inf(make):
    with raises(ValueError, "Linear", "in float64, beyond float32", "inf", "dtype=np.float64"):
        make()


def test_the_message_gives_the_largest_initial_weight():
    rng = np.random.default_rng(0)                          # normal(std) draws W, then b, from N(0, std^2)
    largest = max(np.abs(1e39 * rng.standard_normal((2, 2))).max(), np.abs(1e39 * rng.standard_normal(2)).max())
    with raises(ValueError, f"reach {largest:g} in float64"):
        nn.Linear(2, 2, dtype=np.float32, init=nn.init.normal(1e39), seed=0)


def test_the_same_initialiser_in_float64_and_a_float32_in_range_still_build():
    big = nn.Linear(2, 2, dtype=np.float64, init=nn.init.normal(1e39), seed=0)
    assert np.isfinite(big.weight.data).all() and np.abs(big.weight.data).max() > 3.5e38  # past float32's max
    small = nn.Linear(2, 2, dtype=np.float32, init=nn.init.normal(1e30), seed=0)
    expected = nn.Linear(2, 2, dtype=np.float64, init=nn.init.normal(1e30), seed=0).weight.data.astype(np.float32)
    assert small.weight.data.dtype == np.float32 and np.array_equal(small.weight.data, expected)
