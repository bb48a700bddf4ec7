"""logsumexp's gradient in a row whose maximum is +inf: dy/dx_i = e^(x_i) / sum_j e^(x_j), and a finite x_i beside
a +inf entry has e^(x_i) / inf = 0 (the limit), in the first derivative and in the one backward(create_graph=True)
builds. Shifting such a row by 0 (as its value is computed) made e^800 / inf = inf / inf = NaN wherever a finite
entry passed exp's range (709.78 in float64, 88.72 in float32), and the create_graph form (a softmax, NaN in the
whole row) was NaN at every finite entry, 1.0 beside +inf included. The +inf entry itself stays NaN (inf - inf:
which share of an infinite sum it is has no limit), as in PyTorch."""

import numpy as np
import pytest

from autograd import Tensor

pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                                        "ignore:divide by zero:RuntimeWarning",
                                        "ignore:invalid value encountered:RuntimeWarning")

ROWS = [
    (np.float64, [np.inf, 800.0]),                 # e^800 overflows float64
    (np.float64, [np.inf, 1e308, 1e308, -2.0]),
    (np.float64, [1.0, np.inf, 710.0]),            # the +inf entry not first
    (np.float32, [np.inf, 100.0]),                 # e^100 overflows float32
    (np.float32, [3e38, np.inf, 0.0]),
    (np.float64, [np.inf, 1.0]),                   # a finite e^x: right before too
]


def expected_gradient(row):
    """By hand: NaN at each +inf entry, 0 at every finite entry (e^(x_i) / inf)."""
    return np.where(np.isposinf(row), np.nan, 0.0)


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("dtype, row", ROWS)
def test_a_finite_entry_beside_plus_inf_has_gradient_0_not_nan(dtype, row, create_graph):
    x = Tensor(np.array(row, dtype=dtype), requires_grad=True)
    y = x.logsumexp()
    assert y.item() == np.inf
    y.backward(create_graph=create_graph)
    grad = np.asarray(getattr(x.grad, "data", x.grad))
    assert grad.dtype == dtype
    np.testing.assert_array_equal(grad, expected_gradient(np.array(row)))


def test_rows_with_plus_inf_leave_the_other_rows_as_they_were():
    rows = np.array([[np.inf, 800.0, 0.0], [0.5, -1.0, 2.0], [-np.inf, 1.0, 2.0]])
    x = Tensor(rows, requires_grad=True)
    x.logsumexp(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad[0], expected_gradient(rows[0]))
    for i in (1, 2):                                           # the softmax of a row with a finite maximum
        e = np.exp(rows[i] - rows[i].max())
        np.testing.assert_allclose(x.grad[i], e / e.sum(), rtol=1e-15, atol=0)


def test_the_gradient_as_a_graph_differentiates_and_keeps_other_rows_exact():
    rows = np.array([[np.inf, 800.0, 2.0], [0.5, -1.0, 2.0]])
    w = np.array([[0.3, -0.5, 0.9], [0.2, 0.1, -0.4]])
    x = Tensor(rows, requires_grad=True)
    x.logsumexp(axis=1).sum().backward(create_graph=True)
    first = x.grad
    np.testing.assert_array_equal(first.data[0], expected_gradient(rows[0]))
    x.grad = None
    (first * w).sum().backward()
    # row 1 by hand: d/dx_j sum_i w_i p_i = p_j (w_j - sum_i w_i p_i)
    p = np.exp(rows[1] - rows[1].max())
    p /= p.sum()
    np.testing.assert_allclose(x.grad[1], p * (w[1] - (w[1] * p).sum()), rtol=1e-14, atol=1e-16)
    assert np.isnan(x.grad[0]).all()      # sum_i w_i p_i is NaN there (w_0 times the +inf entry's NaN)


def test_the_same_numbers_as_pytorch():
    torch = pytest.importorskip("torch")
    rows = np.array([[np.inf, 800.0, 2.0], [np.inf, np.inf, 1e308], [0.5, -1.0, 2.0], [-np.inf, 1.0, 750.0]])
    w = np.random.default_rng(0).normal(size=rows.shape)
    x = Tensor(rows, requires_grad=True)
    x.logsumexp(axis=1).sum().backward(create_graph=True)
    first = x.grad
    x.grad = None
    (first * w).sum().backward()
    t = torch.tensor(rows, requires_grad=True)
    (t_first,) = torch.autograd.grad(torch.logsumexp(t, 1).sum(), t, create_graph=True)
    (t_second,) = torch.autograd.grad((t_first * torch.tensor(w)).sum(), t)
    np.testing.assert_allclose(first.data, t_first.detach().numpy(), rtol=1e-14, atol=0, equal_nan=True)
    np.testing.assert_allclose(x.grad, t_second.numpy(), rtol=1e-13, atol=1e-16, equal_nan=True)
