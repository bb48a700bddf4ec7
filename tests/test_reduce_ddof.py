"""var's ddof given as a numpy integer: counted as the number it is, not in the integer type it came in.

n - ddof in numpy's uint8 wraps around (3 - 5 is 254), and a count of 300 does not fit numpy's int8; numpy's own
np.var takes such a ddof as a plain number."""

import numpy as np
import pytest

from autograd import Tensor


@pytest.mark.parametrize("ddof", [np.uint8(5), np.uint64(4), np.uint16(3), np.int8(7)])
def test_var_with_a_numpy_integer_ddof_at_or_beyond_the_count_is_refused_not_wrapped_around(ddof):
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(ValueError, match="var: 3 entries .* ddof=.* leave no degrees of freedom"):
        x.var(ddof=ddof)


@pytest.mark.parametrize("ddof", [np.int8(1), np.uint8(1), np.int16(2), np.uint64(1)])
def test_var_with_a_numpy_integer_ddof_over_more_entries_than_its_type_holds_is_the_variance(ddof):
    xs = np.linspace(-3.0, 5.0, 300) ** 2
    x = Tensor(xs, requires_grad=True)
    n = 300 - int(ddof)
    m = sum(xs.tolist()) / 300                                    # by hand, in Python floats
    expected = sum((v - m) ** 2 for v in xs.tolist()) / n
    y = x.var(ddof=ddof)
    assert y.item() == pytest.approx(expected, rel=1e-12)
    y.backward()
    np.testing.assert_allclose(x.grad, [2 * (v - m) / n for v in xs.tolist()], rtol=1e-12, atol=1e-15)


def test_var_with_a_numpy_integer_ddof_along_an_axis_keeps_each_rows_count():
    rows = np.arange(12.0).reshape(3, 4) ** 1.5
    y = Tensor(rows).var(axis=1, ddof=np.uint8(1)).data
    by_hand = [sum((v - sum(r) / 4) ** 2 for v in r) / 3 for r in rows.tolist()]
    np.testing.assert_allclose(y, by_hand, rtol=1e-13)
