"""Hostile audit of draw's options: each test was seen failing on the code before its fix."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Value, to_dot
from tests.test_draw import boxes, parse


def chain(n: int) -> Value:
    """n + 1 boxes: a leaf and n products."""
    y = Value(1.0, label="x")
    for _ in range(n):
        y = y * 2.0
    return y


@pytest.mark.parametrize("limit", [np.int64(5), np.int32(5), np.uint8(5)])
def test_max_nodes_may_be_a_numpy_int_as_the_other_options_counts_may(limit):
    assert len(boxes(parse(to_dot(chain(4), max_nodes=limit))[0])) == 5          # 5 boxes: at the limit
    with pytest.raises(ValueError, match="the graph has 6 nodes, more than max_nodes=5"):
        to_dot(chain(5), max_nodes=limit)


@pytest.mark.parametrize("limit", [np.bool_(True), True, 5.0, np.float64(5.0), 0, np.int64(-1)])
def test_max_nodes_that_is_not_a_positive_int_is_still_refused(limit):
    with pytest.raises(ValueError, match="max_nodes must be a positive int"):
        to_dot(chain(1), max_nodes=limit)
