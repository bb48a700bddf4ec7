"""Mutation testing of autograd/tensor/reductions.py, tenth round: each test fails on a deliberate mistake (named in
the test's comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas
or by central differences."""

import numpy as np
import pytest

from autograd import Tensor


@pytest.mark.parametrize("op", ["sum", "mean", "max", "min", "var", "prod", "logsumexp", "softmax", "log_softmax"])
def test_an_axis_equal_to_ndim_is_out_of_range(op):
    # mutant: _axes checking -ndim <= a <= ndim (one past the last axis accepted). axis=2 of a (2, 3) Tensor then
    # wraps to 2 % 2 = 0 and reduces the columns without a word; numpy and PyTorch refuse it.
    x = Tensor(np.arange(6.0).reshape(2, 3))
    with pytest.raises(ValueError, match=f"{op}: axis 2 is out of range for a Tensor of shape \\(2, 3\\)"):
        getattr(x, op)(axis=2)


def test_a_float32_prod_of_more_entries_than_a_block_holds_is_right():
    # mutant: float32's block of factors as float64's 1000 (not 120). 2 = 0.5 * 2^2 and 0.5 = 0.5 * 2^0 have the
    # same fraction 0.5, so the fractions of 300 entries multiply to 0.5^300: below float32's range (2^-149) if one
    # block holds them all. By hand: prod = (2 * 0.5)^150 = 1, and d prod/dx_i = prod / x_i: 1/2 at the 2s, 2 at
    # the 0.5s. (The suite checks float64's blocks; this is float32's.)
    x = Tensor(np.tile(np.array([2.0, 0.5], dtype=np.float32), 150), requires_grad=True)
    y = x.prod()
    assert y.item() == 1.0
    y.backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, np.tile(np.array([0.5, 2.0], dtype=np.float32), 150))


@pytest.mark.parametrize("op", ["sum", "mean", "max", "var", "prod", "logsumexp"])
def test_an_axis_named_twice_is_refused_by_name(op):
    # mutant: _axes without its check of repeated axes: numpy then refuses axis=(1, -1) with its own "duplicate
    # value in 'axis'", naming neither the op nor the shape (and mean's count of entries would take axis 1 twice)
    with pytest.raises(ValueError, match=f"{op}: axis \\(1, -1\\) repeats an axis"):
        getattr(Tensor(np.ones((2, 3))), op)(axis=(1, -1))


def test_the_mean_of_no_entries_is_refused():
    # mutant: mean checking n < 0 instead of n == 0: numpy's mean of a (0, 3) array is NaN with a RuntimeWarning,
    # and the vjp would divide the gradient by n = 0
    with pytest.raises(ValueError, match=r"mean: the mean over axis 0 of a Tensor of shape \(0, 3\) has no entries"):
        Tensor(np.zeros((0, 3))).mean(axis=0)


def test_cumsum_takes_a_negative_axis_and_refuses_one_out_of_range():
    # mutant: cumsum keeping axis as given (not normalised, not checked). axis=5 then fails in numpy, whose error
    # names no op; and axis=-1 reaches the rebuilt vjp of create_graph as -1, where (slice(None),) * -1 is ()
    # and the flip lands on axis 0. By hand: y = sum_k (cumsum_k)^2 along rows, dy/dx_i = 2 sum_(k >= i) c_k;
    # for the row [1, 2, 3]: c = [1, 3, 6], dy/dx = 2 [10, 9, 6] = [20, 18, 12], and the row [0, 1, 0]: c = [0, 1, 1],
    # dy/dx = 2 [2, 2, 1] = [4, 4, 2].
    from autograd import grad

    with pytest.raises(ValueError, match=r"cumsum: axis 5 is out of range for a Tensor of shape \(2, 3\)"):
        Tensor(np.ones((2, 3))).cumsum(axis=5)
    x = Tensor([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]], requires_grad=True)
    (g,) = grad([(x.cumsum(axis=-1) ** 2).sum()], [x], create_graph=True)
    np.testing.assert_array_equal(g.data, [[20.0, 18.0, 12.0], [4.0, 4.0, 2.0]])


def test_the_mean_of_rows_whose_sum_stays_in_range_is_numpys_beside_a_row_that_overflows():
    # mutant: _mean_in_range returning its rescaled means in every row, not only where numpy's mean is inf or NaN.
    # Scaled by 2^-1 (2^k >= n = 2), the row [5e-324, 5e-324] of the smallest subnormals underflows to 0; numpy's
    # mean of it is 5e-324. The other row's sum overflows, and its mean is 1e308.
    x = Tensor([[1e308, 1e308], [5e-324, 5e-324]])
    np.testing.assert_array_equal(x.mean(axis=1).data, [1e308, 5e-324])
