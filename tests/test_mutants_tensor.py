"""Mutation testing of the Tensor engine's vector-Jacobian products: each test fails on a deliberate mistake in
autograd/tensor/ (named in the test's comment) that the rest of the suite let pass. Expected numbers are worked
out by hand from the formulas."""

import numpy as np
import pytest

from autograd import Tensor, linear


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_the_fused_relu_passes_the_gradient_through_a_nan_as_the_unfused_relu_and_pytorch_do():
    # mutant: linear's relu slope y > 0 instead of y != 0. relu(NaN) = NaN, and its slope there is the table's
    # step(NaN) = 1 (PyTorch's threshold_backward passes g where not x <= 0): z = [NaN, -1] gives
    # dL/dz = [1, 0], so b.grad = [1, 0]. With y > 0 the NaN entry's slope was 0 and b.grad read [0, 0].
    # The NaN is a weight's (W[0, 0]), so that only z_0 is NaN: x @ W.T with a NaN in x reaches every z.
    x = np.array([[1.0, 1.0]])
    grads = []
    for fused in (True, False):
        W = Tensor([[np.nan, 0.0], [0.0, 1.0]], requires_grad=True)
        b = Tensor([0.0, -2.0], requires_grad=True)
        y = linear(x, W, b, activation="relu") if fused else (Tensor(x) @ W.T + b).relu()
        y.sum().backward()
        grads.append((b.grad.copy(), W.grad.copy()))
    for b_grad, W_grad in grads:
        assert b_grad.tolist() == [1.0, 0.0]
        # dL/dW = dL/dz^T x: row 0 is 1 * [1, 1], row 1 is 0 * [1, 1]
        assert W_grad.tolist() == [[1.0, 1.0], [0.0, 0.0]]


def test_cumsums_gradient_is_the_cumsum_of_g_from_the_end():
    # mutant: the vjp as cumsum(g) from the start. y_k = sum_(i <= k) x_i, so dL/dx_i = sum_(k >= i) g_k: with
    # g = [1, 10, 100] that is [111, 110, 100] (a cumsum from the start gives [1, 11, 111]).
    x = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    g = np.array([[1.0, 10.0, 100.0], [1000.0, 10000.0, 100000.0]])
    (x.cumsum(axis=1) * g).sum().backward()
    assert x.grad.tolist() == [[111.0, 110.0, 100.0], [111000.0, 110000.0, 100000.0]]
    x.grad = None
    (x.cumsum(axis=0) * g).sum().backward()          # down the columns: [g0 + g1, g1]
    assert x.grad.tolist() == [[1001.0, 10010.0, 100100.0], [1000.0, 10000.0, 100000.0]]


@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_the_variances_gradient_divides_by_n_minus_ddof(ddof):
    # mutant: the vjp's 2 (x_i - m) / n whatever ddof. var = sum_i (x_i - m)^2 / (n - ddof), so
    # dvar/dx_i = 2 (x_i - m) / (n - ddof) (the path through m adds 0): for x = [1, 2, 4, 9], m = 4.
    x = Tensor([1.0, 2.0, 4.0, 9.0], requires_grad=True)
    x.var(ddof=ddof).backward()
    expected = [2 * (xi - 4.0) / (4 - ddof) for xi in (1.0, 2.0, 4.0, 9.0)]
    np.testing.assert_allclose(x.grad, expected, rtol=1e-14, atol=0)


def test_the_gradient_of_a_transposed_left_operand_of_a_square_matrix_is_g_times_its_transpose():
    # mutant: the F-ordered branch of matmul's dL/dA = G B^T computed as (B^T G^T)^T = G B. A = W.T is a
    # transposed view (F-ordered), B square, so the shapes fit either way: only the numbers tell.
    W = Tensor([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]], requires_grad=True)    # A = W.T is (3, 2)
    B = np.array([[1.0, 2.0], [-3.0, 4.0]])                                     # not symmetric
    G = np.array([[1.0, 0.0], [0.5, -1.0], [2.0, 3.0]])                         # dL/d(A B)
    ((W.T @ Tensor(B)) * G).sum().backward()
    # dL/dA = G B^T, and W = A^T: dL/dW = (G B^T)^T = B G^T, written out entry by entry
    expected = [[sum(B[i, k] * G[j, k] for k in range(2)) for j in range(3)] for i in range(2)]
    assert W.grad.tolist() == expected


def test_repeats_gradient_adds_the_gradients_of_every_copy():
    # mutant: the vjp's scatter as dx[source] = g (the last copy wins) instead of np.add.at (every copy adds).
    # y = [x0, x0, x1, x1]: dL/dx_i is the sum of g over x_i's copies, [1 + 10, 100 + 1000].
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x.repeat(2) * np.array([1.0, 10.0, 100.0, 1000.0])).sum().backward()
    assert x.grad.tolist() == [11.0, 1100.0]
    # one count per entry, along axis 1 of a matrix: column 0 copied once, column 1 three times
    m = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    g = np.array([[1.0, 2.0, 4.0, 8.0], [16.0, 32.0, 64.0, 128.0]])
    (m.repeat([1, 3], axis=1) * g).sum().backward()
    assert m.grad.tolist() == [[1.0, 14.0], [16.0, 224.0]]


def test_a_node_used_twice_gets_both_gradients_when_the_first_is_the_incoming_array_itself():
    # mutant: backward()'s sum of two contributions to an intermediate node keeping only the second where the
    # first was not its own array. h = 3x feeds a = h + 1 (made last, so its gradient reaches h first: the
    # incoming g itself, shared) and b = 2h: dL/dh = (1 + 2) w, dL/dx = 3 (1 + 2) w = [9, 90] for w = [1, 10].
    x = Tensor([1.0, -2.0], requires_grad=True)
    h = x * 3.0
    b = h * 2.0
    a = h + 1.0
    ((b + a) * np.array([1.0, 10.0])).sum().backward()
    assert x.grad.tolist() == [9.0, 90.0]
