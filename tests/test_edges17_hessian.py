"""hessian() of a function of ONE Tensor, where another row's partial is beyond the range: no 0 * inf NaN.

Row i of a Hessian is the gradient differentiated with the one-hot weights e_i; the 0s go back through the other
gradient entries' graphs too, and 0 times an infinite partial there is NaN, though entry (i, j) depends on
gradient entry i alone. t[0] / t[1] at [0, 5e-324] read [[NaN, -inf], [-inf, NaN]] (by hand: d2/da2 = 0,
d2/da db = -1/b^2 beyond the range, d2/db2 = 2a/b^3 = 0; PyTorch 2.13's hessian: [[0, -inf], [-inf, NaN]]);
t[0] ** t[1] at [1e-300, 0.3] read NaN for d2/db da beside d2/da db = -2.06e212 (mpmath: both). hessian() now
takes a NaN's mirror entry where that is a number (the Hessian is symmetric), and takes the rest again with the
gradient's scatters stopping all-0 weights.
"""

from __future__ import annotations

import math
import sys
import warnings

import mpmath
import numpy as np
import pytest

from autograd import Tensor
from autograd.functional import hessian

mpmath.mp.prec = 160
MAX = sys.float_info.max


def quiet_hessian(f, inputs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)    # partials beyond the range: numpy says so
        return hessian(f, inputs)


@pytest.mark.parametrize("b", [5e-324, 1e-310])
def test_the_quotient_of_entries_has_no_nan_on_its_diagonal(b):
    H = quiet_hessian(lambda t: t[0] / t[1], Tensor([0.0, b]))
    # by hand: d2/da2 (a/b) = 0; d2/da db = -1/b^2, beyond the range; d2/db2 = 2a/b^3 = 0 at a = 0
    assert H.data.tolist() == [[0.0, -math.inf], [-math.inf, 0.0]]


def test_an_entry_beside_the_quotient_keeps_its_own_row():
    H = quiet_hessian(lambda t: t[0] / t[1] + t[2] ** 2, Tensor([0.0, 5e-324, 3.0]))
    assert H.data.tolist() == [[0.0, -math.inf, 0.0], [-math.inf, 0.0, 0.0], [0.0, 0.0, 2.0]]


def test_an_elementwise_reciprocal_has_zeros_off_its_diagonal():
    # sum(1/t): d2/dt_i dt_j = 2/t_i^3 on the diagonal (inf at 5e-324), 0 elsewhere; the 0 weight of row 0 met
    # 2/t_1^3 = inf in the same array: NaN at (0, 1)
    H = quiet_hessian(lambda t: (1.0 / t).sum(), Tensor([1.0, 5e-324]))
    assert H.data.tolist() == [[2.0, 0.0], [0.0, math.inf]]


@pytest.mark.parametrize("a, b", [(1e-300, 0.3), (5e-324, 0.3), (1e-310, 0.3), (5e-324, 1e-300)])
def test_a_power_of_entries_has_its_mixed_derivative_in_both_corners(a, b):
    H = quiet_hessian(lambda t: t[0] ** t[1], Tensor([a, b])).data
    A, B = mpmath.mpf(a), mpmath.mpf(b)
    mixed = A ** (B - 1) * (1 + B * mpmath.log(A))                  # d2 (a^b) / da db
    assert H[0, 1] == H[1, 0], H
    if abs(mixed) <= MAX:
        assert float(abs(mpmath.mpf(H[1, 0]) - mixed) / math.ulp(abs(float(mixed)))) <= 8, (H[1, 0], mixed)
    else:
        assert H[1, 0] == math.copysign(math.inf, mixed)
    yy = A**B * mpmath.log(A) ** 2                                  # d2 (a^b) / db2
    assert float(abs(mpmath.mpf(H[1, 1]) - yy) / math.ulp(float(yy))) <= 8, (H[1, 1], yy)
    assert not np.isnan(H).any()


def test_a_nan_that_the_function_makes_stays():
    # d2/dt2 of t[0] * t[1] where t[1] is NaN: the rows' own partials are NaN, no mirror or second look removes it
    H = quiet_hessian(lambda t: t[0] * t[0] * t[1], Tensor([1.0, math.nan])).data
    assert np.isnan(H[0, 0]) and H[0, 1] == H[1, 0] == 2.0 and H[1, 1] == 0.0
