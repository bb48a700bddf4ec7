"""Red-team of numerical_grad: what f may return. numpy's scalars and arrays carry a ``.data`` attribute of their
own (a memoryview of their bytes), which numerical_grad took for a Value's or a Tensor's number."""

import numpy as np
import pytest

from autograd import Tensor, Value, numerical_grad


def test_an_f_returning_a_numpy_float64_is_differentiated_not_refused_as_no_number():
    # np.float64(x0^2 + x1^2) at (1, 2): the slopes 2 x = (2, 4) by hand. numerical_grad read np.float64's .data (a
    # memoryview) and raised "f returned a float64; it must return a number", about a number
    t = Tensor([1.0, 2.0], requires_grad=True)
    (g,) = numerical_grad(lambda u: np.float64(np.sum(u.data ** 2)), [t])
    np.testing.assert_allclose(g, [2.0, 4.0], rtol=1e-8)
    (g,) = numerical_grad(lambda v: np.float64(v.data) ** 3, [Value(2.0)])     # 3 x^2 = 12
    assert abs(g - 12.0) <= 1e-6


def test_an_f_returning_a_one_entry_numpy_array_is_differentiated_as_a_tensor_result_is():
    t = Tensor([1.0, 2.0], requires_grad=True)
    (g,) = numerical_grad(lambda u: np.sum(u.data ** 2, keepdims=True), [t])
    np.testing.assert_allclose(g, [2.0, 4.0], rtol=1e-8)
    # and a numpy array of several entries asks for grad_output, as a Tensor result does: d/dx sum(x^2 * w) = 2 x w
    (g,) = numerical_grad(lambda u: u.data ** 2, [t], grad_output=np.array([3.0, -1.0]))
    np.testing.assert_allclose(g, [6.0, -4.0], rtol=1e-8)
    with pytest.raises(ValueError, match=r"^numerical_grad: f returned shape \(2,\); it must return a scalar"):
        numerical_grad(lambda u: u.data ** 2, [t])


def test_an_f_returning_a_numpy_float32_is_refused_for_its_dtype_not_as_no_number():
    # float32 resolves about 1e-7 of itself: the refusal that names the dtype, as for a float32 Tensor result
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"^numerical_grad: f returned a result of dtype float32"):
        numerical_grad(lambda u: np.float32(np.sum(u.data ** 2)), [t])


@pytest.mark.parametrize("f, grad_output, refusal", [
    (lambda u: u * 2, None, r"numerical_grad: f returned shape \(2,\); it must return a scalar"),
    (lambda u: (u * u).sum().astype(np.float32), None, r"numerical_grad: f returned a result of dtype float32"),
    (lambda u: u * 2, np.ones(3), r"numerical_grad: grad_output has shape \(3,\) but f returned shape \(2,\)"),
    (lambda u: (u * u).sum(), np.ones(2), r"numerical_grad: grad_output has shape \(2,\) but f returned shape \(\)"),
    (lambda u: u.data[0] * u.data, None, r"numerical_grad: f returned shape \(2,\)"),   # a numpy array too
])
def test_a_refused_result_is_not_blamed_on_the_step_that_first_evaluated_f(f, grad_output, refusal):
    # f's first call is at x + eps: a result of the wrong shape or dtype read "(numerical_grad had moved
    # inputs[0][(0,)] from 1.0 to 1.000001 ...: f is defined at the given point but not that close to it ...)",
    # which f is, at both; the refusal is the whole message
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=f"^{refusal}") as caught:
        numerical_grad(f, [t], grad_output=grad_output)
    assert "had moved" not in str(caught.value) and "\n" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert t.data.tolist() == [1.0, 2.0]                 # and the input is put back


def test_a_value_result_refused_for_its_grad_output_is_not_blamed_on_the_step():
    v = Value(1.0)
    with pytest.raises(ValueError, match=r"^numerical_grad: grad_output has shape \(2,\) but f returned one number") \
            as caught:
        numerical_grad(lambda a: a * a, [v], grad_output=np.ones(2))
    assert "had moved" not in str(caught.value) and v.data == 1.0
