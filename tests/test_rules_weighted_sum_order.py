"""The rules table's weighted_sum adds as the engine does: ((b + w0 x0) + w1 x1) + ..., not b + (w0 x0 + w1 x1)."""

from __future__ import annotations

import numpy as np

from autograd import Value, rules, weighted_sum


def test_the_rules_value_is_the_engines_floats_where_the_order_of_additions_matters():
    # b = 1e16: adding 1 twice rounds back to 1e16 each time, while 1 + 1 first gives 1e16 + 2
    w, x, b = [1.0, 1.0], [1.0, 1.0], 1e16
    engine = weighted_sum([Value(v) for v in w], [Value(v) for v in x], Value(b)).data
    assert engine == (b + 1.0) + 1.0 == 1e16
    assert rules.WEIGHTED_SUM.value(None, w, x, b) == engine


def test_the_rules_value_agrees_with_the_engine_bitwise_on_random_sums():
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 40):
        w, x = rng.normal(size=n) * 10.0 ** rng.integers(-8, 8, n), rng.normal(size=n)
        b = float(rng.normal() * 1e6)
        engine = weighted_sum([Value(float(v)) for v in w], [Value(float(v)) for v in x], Value(b)).data
        assert rules.WEIGHTED_SUM.value(None, [float(v) for v in w], [float(v) for v in x], b) == engine
