"""Mutation testing, fifth round: autograd.tensor.checks. An anomaly message names the first non-finite entry (in
numpy's row-major order) and counts the others."""

import numpy as np
import pytest

from autograd import Tensor, detect_anomaly


@pytest.mark.parametrize("seed, first", [
    ([1.0, np.nan, np.inf, np.nan], r"nan at index \(1,\) of a \(4,\) array \(and 2 more non-finite entries\)"),
    ([1.0, 2.0, -np.inf, 3.0], r"-inf at index \(2,\) of a \(4,\) array \(detect"),   # one: no count
])
def test_an_anomaly_names_the_first_non_finite_entry_and_counts_the_others(seed, first):
    x = Tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 2.0
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"^backward\(\): the seed grad holds " + first):
        y.backward(np.array(seed))
    assert x.grad is None
