"""Nielsen's notes ('Batches and Cross-entropy'): C = -1/K sum_k [r ln a + (1 - r) ln(1 - a)], and "for r = 0 and
r = 1 holds: C = 0 for a = r".

By hand: at a = r = 1 the sum is 1 ln 1 + 0 ln 0 = 0 + 0 (0 ln 0 = 0, its limit, which every cross-entropy
implementation takes: PyTorch's binary_cross_entropy gives exactly 0 there, since it clamps the log, not a), and at
a = r = 0 it is 0 ln 0 + 1 ln 1 = 0. nn.losses clipped the probability a into [1e-12, 1 - 1e-12] before the log,
so a = r cost -ln(1 - 1e-12) ~ 1e-12 per entry instead of 0 (on numpy arrays, Values and Tensors alike); it now
keeps each log's argument at 1e-12 or above, ln max(a, 1e-12) and ln max(1 - a, 1e-12).
"""

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import losses

A = np.array([1.0, 0.0, 1.0, 0.0])          # predictions equal to their 0/1 targets


@pytest.mark.parametrize("reduction", ["mean", "sum", "lectures"])
def test_binary_cross_entropy_is_exactly_zero_where_a_equals_a_0_or_1_target(reduction):
    numpy_cost = losses.binary_cross_entropy(A, A, reduction=reduction)
    tensor_cost = losses.binary_cross_entropy(Tensor(A, requires_grad=True), A, reduction=reduction)
    value_cost = losses.binary_cross_entropy([Value(a) for a in A], A, reduction=reduction)
    assert (float(numpy_cost), float(tensor_cost.data), value_cost.data) == (0.0, 0.0, 0.0)
