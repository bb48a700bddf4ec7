"""The reductions at their edges: products whose running products leave the float range where the product does not.

The oracle is exact arithmetic (fractions.Fraction of the floats, rounded once at the end) or numpy's own product
where no running product leaves the range."""

from fractions import Fraction

import numpy as np
import pytest

from autograd import Tensor, grad
from autograd.functional import hessian

# Some products and gradients below truly overflow (2e600): they are inf, with numpy's overflow warning
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")


def exact_product(xs):
    """The product of the floats xs, computed exactly and rounded once (inf beyond the float range)."""
    p = Fraction(1)
    for x in xs:
        p *= Fraction(float(x))
    try:
        return float(p)
    except OverflowError:
        return float("inf") if p > 0 else float("-inf")


def others(xs, *skip):
    return [x for i, x in enumerate(xs) if i not in skip]


@pytest.mark.parametrize("xs", [
    [1e-200, 1e-200, 1e300],                      # 1e-100: numpy's running product passes 1e-400, which is 0
    [1e300, 1e300, 0.5, 1e-300, 1e-300],          # 0.5: numpy's passes inf
    [1e-300, 1e-300, 2.5, 1e300, 1e300, -3.0],
    [1e-160, 1e-160, 1e300],                      # 1e-20: numpy's passes 1e-320, a subnormal with 4 digits left
])
def test_prod_and_its_gradient_are_right_where_a_running_product_would_leave_the_float_range(xs):
    x = Tensor(xs, requires_grad=True)
    y = x.prod()
    assert y.item() == pytest.approx(exact_product(xs), rel=4e-16, abs=0)
    y.backward()
    expected = [exact_product(others(xs, i)) for i in range(len(xs))]   # d/dx_i prod = prod_(j != i) x_j
    assert x.grad.tolist() == pytest.approx(expected, rel=4e-16, abs=0)


def test_prod_with_a_zero_and_an_overflowing_running_product_is_0_not_nan():
    x = Tensor([1e300, 1e300, 0.0, 2.0], requires_grad=True)
    y = x.prod()                                                          # inf * 0 gave NaN
    assert y.item() == 0.0
    y.backward()
    assert x.grad.tolist() == [0.0, 0.0, np.inf, 0.0]                     # 2e600 overflows: that one is inf


def test_prod_of_more_entries_than_a_block_crosses_blocks_exactly():
    xs = [2.0] * 1500 + [0.5] * 1500                                      # 2^1500 overflows on the way to 1
    x = Tensor(xs, requires_grad=True)
    y = x.prod()
    assert y.item() == 1.0
    y.backward()
    assert x.grad.tolist() == [0.5] * 1500 + [2.0] * 1500


def test_prod_along_an_axis_of_float32_keeps_its_digits_and_dtype():
    a = np.array([[1e-30, 1e-30, 1e35], [2.0, 3.0, 4.0]], dtype=np.float32)
    x = Tensor(a, requires_grad=True)
    y = x.prod(axis=1)
    assert y.data.dtype == np.float32
    assert y.data.tolist() == pytest.approx([exact_product(a[0]), 24.0], rel=1.2e-7, abs=0)   # 1e-25, not 0
    y.sum().backward()
    assert x.grad.dtype == np.float32
    expected = [float(np.float32(exact_product(others(a[0], i)))) for i in range(3)]     # 1e-60 is 0 in float32
    assert x.grad[0].tolist() == pytest.approx(expected, rel=1.2e-7, abs=0)


def test_prod_hessian_is_right_where_a_running_product_would_underflow():
    xs = [1e-200, 1e-200, 1e300, 2.0, 3.0]
    H = hessian(lambda t: t.prod(), Tensor(xs)).data         # H_ij = prod_(k != i, j) x_k, 0 on the diagonal
    expected = [[0.0 if i == j else exact_product(others(xs, i, j)) for j in range(5)] for i in range(5)]
    assert np.allclose(H, expected, rtol=4e-16, atol=0)                   # H_34 = 1e-100 (it was 0)


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), ()])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_prod_is_numpys_product_bit_for_bit_where_no_running_product_leaves_the_range(axis, dtype):
    a = np.random.default_rng(7).uniform(-2.0, 2.0, (3, 4, 5)).astype(dtype)
    a[1, 2, 3] = 0.0
    x = Tensor(a, requires_grad=True)
    y = x.prod(axis=axis, keepdims=True)
    assert y.data.dtype == dtype and np.array_equal(y.data, a.prod(axis=axis, keepdims=True))
    y.backward(np.ones(y.data.shape, dtype))
    flat = a.reshape(-1)
    if axis is None:                                                      # d/dx_i = the product of the others
        expected = [np.prod(np.delete(flat, i), dtype=np.float64) for i in range(flat.size)]
        assert np.allclose(x.grad.reshape(-1), expected, rtol=1e-5 if dtype == np.float32 else 1e-13, atol=0)


def test_prod_gradient_is_g_times_the_others_product_even_where_that_product_alone_overflows():
    x = Tensor([1e200, 1e200, 1e10], requires_grad=True)
    x.prod().backward(np.array(1e-300))                                   # dL/dx_2 = 1e-300 1e400 = 1e100
    assert x.grad.tolist() == pytest.approx([exact_product([1e-300, 1e200, 1e10]), exact_product([1e-300, 1e200, 1e10]),
                                             exact_product([1e-300, 1e200, 1e200])], rel=4e-16, abs=0)


def test_prod_hessian_has_no_nan_where_another_rows_derivative_overflows():
    # the Hessian's rows are products of all but two entries: H_34 = 1e600 0.5 overflows (inf, rightly), and its
    # zero weight in row 0 times that inf made NaN of H_03 and H_04, which are 0.5
    xs = [1e300, 1e300, 0.5, 1e-300, 1e-300]
    H = hessian(lambda t: t.prod(), Tensor(xs)).data
    expected = [[0.0 if i == j else exact_product(others(xs, i, j)) for j in range(5)] for i in range(5)]
    assert np.isinf(expected[3][4]) and not np.isnan(H).any()
    assert np.allclose(H, expected, rtol=4e-16, atol=0)


def test_prod_gradient_with_create_graph_stays_in_range_as_the_first_order_one_does():
    # the rebuilt vjp multiplied g by the product of the others after forming it: 1e-300 inf = inf, where it is 1e100
    x = Tensor([1e200, 1e200, 1e10], requires_grad=True)
    (first,) = grad(x.prod(), [x], grad_outputs=Tensor(1e-300))
    (graph,) = grad(x.prod(), [x], grad_outputs=Tensor(1e-300), create_graph=True)
    expected = [exact_product([1e-300, 1e200, 1e10]), exact_product([1e-300, 1e200, 1e10]),
                exact_product([1e-300, 1e200, 1e200])]
    assert first.data.tolist() == pytest.approx(expected, rel=4e-16, abs=0)
    assert graph.data.tolist() == pytest.approx(expected, rel=4e-16, abs=0) and graph.requires_grad


def test_create_graph_through_a_prod_too_large_for_its_n_squared_rule_is_refused_by_name_before_any_memory(
        monkeypatch):
    import autograd.tensor.vjp_graph as vjp_graph

    n = 4097                                       # 4097^2 numbers: just above the 2^24 allowed
    x = Tensor(np.full(n, 1.0001), requires_grad=True)
    with pytest.raises(vjp_graph.SecondOrderError, match=r"prod over 4097 entries .* 16,785,409 numbers, above "
                                                         r"the 16,777,216 allowed.*exp\(log\(x\)\.sum\(\)\)"):
        x.prod().backward(create_graph=True)
    x.grad = None
    x.prod().backward()                            # once, without create_graph: n numbers, as before
    np.testing.assert_allclose(x.grad.data, np.full(n, 1.0001 ** (n - 1)), rtol=1e-12)
    monkeypatch.setattr(vjp_graph, "PROD_GRAPH_LIMIT", 2 * 10 * 10)      # the limit counts rows too: 2 rows of 10
    m = Tensor(np.arange(1.0, 21.0).reshape(2, 10), requires_grad=True)
    (d,) = grad(m.prod(axis=1).sum(), [m], create_graph=True)            # at the limit: built, as before
    np.testing.assert_allclose(d.data, m.data.prod(axis=1, keepdims=True) / m.data, rtol=1e-14)
    m3 = Tensor(np.ones((3, 10)), requires_grad=True)
    with pytest.raises(vjp_graph.SecondOrderError, match="300 numbers, above the 200 allowed"):
        grad(m3.prod(axis=1).sum(), [m3], create_graph=True)
