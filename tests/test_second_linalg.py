"""dot, outer, trace and diag at their edges: offsets that are not whole numbers, an empty contracted axis, operands
that are not Tensors. Each is checked against numpy's own function, and gradients against central differences."""

import numpy as np
import pytest

from autograd import Tensor, diag, dot, grad, matmul, trace
from autograd.functional import hessian

M = np.arange(12.0).reshape(3, 4) / 7.0


@pytest.mark.parametrize("offset", [1.5, 0.9, "1", None, True, np.float64(1.0)])
def test_trace_and_diag_refuse_an_offset_that_is_not_an_int_instead_of_rounding_it(offset):
    # int(1.5) is 1: trace(x, 1.5) summed the diagonal 1 and diag(x, "1") read it, where numpy refuses both
    for call in (lambda: trace(Tensor(M), offset), lambda: diag(Tensor(M), offset), lambda: diag(Tensor(M[0]), offset),
                 lambda: np.trace(Tensor(M), offset), lambda: Tensor(M).trace(offset)):
        with pytest.raises(TypeError, match=r"(trace: offset|diag: k) must be an int.*got"):
            call()


@pytest.mark.parametrize("offset", [0, 1, -2, 5, np.int64(2), np.int32(-1)])
def test_trace_and_diag_take_every_integer_offset_as_numpy_does(offset):
    assert trace(Tensor(M), offset).item() == np.trace(M, offset)
    assert diag(Tensor(M), offset).data.tolist() == np.diag(M, offset).tolist()
    assert diag(Tensor(M[1]), offset).data.tolist() == np.diag(M[1], offset).tolist()


def test_dot_of_n_d_operands_with_an_empty_contracted_axis_is_numpys_zeros_with_empty_gradients():
    # reshape(-1, 0) cannot infer the -1: dot raised "reshape: cannot reshape a Tensor of shape (2, 2, 0)"
    a = Tensor(np.zeros((2, 2, 0)), requires_grad=True)
    b = Tensor(np.zeros((3, 0, 3)), requires_grad=True)
    y = dot(a, b)
    expected = np.dot(np.zeros((2, 2, 0)), np.zeros((3, 0, 3)))
    assert y.data.shape == expected.shape == (2, 2, 3, 3) and np.array_equal(y.data, expected)
    ga, gb = grad((y * np.ones(y.data.shape)).sum(), [a, b])
    assert ga.data.shape == (2, 2, 0) and gb.data.shape == (3, 0, 3)


def test_dot_of_n_d_operands_with_an_empty_batch_is_numpys_empty_result():
    a, b = np.zeros((0, 2, 3)), np.ones((4, 3, 5))
    y = dot(Tensor(a, requires_grad=True), Tensor(b))
    assert y.data.shape == np.dot(a, b).shape == (0, 2, 4, 5)


def test_dot_of_two_constants_is_a_constant_tensor_holding_numpys_number_not_an_attribute_error():
    y = dot([1.0, 2.0], [3.0, 4.0])                                    # 'list' object has no attribute 'data'
    assert isinstance(y, Tensor) and not y.requires_grad and y.item() == np.dot([1.0, 2.0], [3.0, 4.0])
    assert dot(M, M.T).data.tolist() == np.dot(M, M.T).tolist()


def test_matmul_of_two_constants_is_a_constant_tensor_as_dots():
    y = matmul(M.tolist(), M.T)                                        # 'NoneType' object has no attribute 'data'
    assert isinstance(y, Tensor) and not y.requires_grad and y.data.tolist() == (M @ M.T).tolist()


def test_trace_and_diag_of_an_array_are_constant_tensors_as_their_numpy_forms_make():
    assert trace(M.tolist(), 1).item() == np.trace(M, 1)             # 'list' object has no attribute 'data'
    assert diag(M, -1).data.tolist() == np.diag(M, -1).tolist()
    assert not diag(M[0]).requires_grad


@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((4,), (3, 4)), ((3, 4), (3,)), ((2, 3, 4), (2, 3, 4))])
def test_dot_of_shapes_that_do_not_align_names_dot_both_shapes_and_the_fix(shapes):
    # the 2-D case was matmul's error, which names '@', an op the caller never wrote
    a, b = (Tensor(np.ones(s)) for s in shapes)
    with pytest.raises(ValueError, match=rf"^dot: shapes {re_shape(shapes[0])} and {re_shape(shapes[1])} are not "
                                         r"aligned.*transpose"):
        dot(a, b)


def re_shape(shape):
    return str(shape).replace("(", r"\(").replace(")", r"\)")


def _central_hessian(f, x0, eps=1e-6):
    n = x0.size
    H = np.zeros((n, n))
    for k in range(n):
        cols = []
        for step in (eps, -eps):
            x = x0.copy().ravel()
            x[k] += step
            t = Tensor(x.reshape(x0.shape), requires_grad=True)
            (g,) = grad(f(t), [t])
            cols.append(g.data.ravel())
        H[:, k] = (cols[0] - cols[1]) / (2 * eps)
    return H


@pytest.mark.parametrize("name", ["dot N-D by itself", "dot 1-D by N-D", "trace of a product", "diag k=-1 of x x^T"])
def test_linalg_hessians_through_reshaped_products_match_central_differences(name):
    f = {
        "dot N-D by itself": lambda t: (dot(t.reshape(2, 2, 3), t.reshape(2, 3, 2)) ** 2).sum(),
        "dot 1-D by N-D": lambda t: (dot(t[:2], t.reshape(3, 2, 2)) ** 3).sum(),
        "trace of a product": lambda t: trace(dot(t.reshape(3, 4), t.reshape(4, 3)), 1) ** 2,
        "diag k=-1 of x x^T": lambda t: (diag(dot(t.reshape(3, 4), t.reshape(3, 4).T), -1) ** 2).sum(),
    }[name]
    x0 = np.random.default_rng(3).uniform(-1.5, 1.5, 12)
    H = hessian(f, Tensor(x0)).data
    numeric = _central_hessian(f, x0)
    assert np.allclose(H, numeric, rtol=1e-6, atol=1e-6 * np.abs(numeric).max())
