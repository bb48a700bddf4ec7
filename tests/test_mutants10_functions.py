"""Mutation testing of autograd/tensor/functions.py, tenth round: each test fails on a deliberate mistake (named in
the test's comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import numpy as np
import pytest

from autograd import Tensor, where
from autograd.checks import EXP_MAX


@pytest.mark.parametrize("dtype, x", [(np.float64, EXP_MAX), (np.float32, 88.71)])
def test_exp_takes_every_argument_whose_exp_is_finite(dtype, x):
    # mutants: the overflow check as x >= limit (exp(EXP_MAX), the largest float64 exp, 1.797e308, refused) and
    # float32's limit as 88.7 (exp(88.71) = 3.36e38 is below float32's largest, 3.40e38, and refused).
    # exp' = exp: the gradient is the value.
    t = Tensor(np.array([x], dtype=dtype), requires_grad=True)
    y = t.exp()
    assert y.data[0] == np.exp(np.array(x, dtype=dtype)) and np.isfinite(y.data[0])
    y.sum().backward()
    assert t.grad[0] == y.data[0]


def test_sqrt_takes_zero_beside_a_nan():
    # mutant: sqrt's domain check as minimum <= 0 (not < 0), reached when a NaN hides the minimum: sqrt(0) = 0 is in
    # the domain, as in numpy and PyTorch, and the NaN passes on (NaN in, NaN out, as in a Value)
    np.testing.assert_array_equal(Tensor([np.nan, 0.0, 4.0]).sqrt().data, [np.nan, 0.0, 2.0])


def test_where_takes_an_unsigned_condition():
    # mutant: the condition's kinds as "bif" (unsigned integers refused): a uint8 mask (an image's) is a condition
    np.testing.assert_array_equal(where(np.array([1, 0], dtype=np.uint8), Tensor([1.0, 2.0]), 5.0).data, [1.0, 5.0])
