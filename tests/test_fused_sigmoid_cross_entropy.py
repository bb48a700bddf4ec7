"""autograd.sigmoid_cross_entropy: binary cross-entropy from logits as one Tensor node.

References are worked out independently: mpmath at 400 digits (e^-745 beside 745 needs 330) for the costs
and slopes (softplus(z) - y z and sigmoid(z) - y, the formulas themselves), -z for dc/dy, the limits by hand at
z = +-inf, and the unfused graph (1 - y) softplus(z) + y softplus(-z) of the engine's own ops.
"""

import warnings

import mpmath
import numpy as np
import pytest

from autograd import Tensor, sigmoid_cross_entropy
from autograd.functional import hessian
from nn import losses

_Z = [-745.0, -700.0, -80.0, -50.0, -37.0, -20.0, -3.5, -1.0, -1e-9, -5e-324, 0.0, 5e-324, 1e-300, 1e-9, 0.5,
      2.0, 17.0, 37.0, 50.0, 80.0, 700.0, 745.0]
_Y = [0.0, 1.0, 0.25, 0.5, 0.9]


def _cost(z: float, y: float) -> mpmath.mpf:
    with mpmath.workdps(400):
        z, y = mpmath.mpf(z), mpmath.mpf(y)
        return mpmath.log1p(mpmath.exp(z)) - y * z


def _slope(z: float, y: float) -> float:
    with mpmath.workdps(400):
        return 1 / (1 + mpmath.exp(-mpmath.mpf(z))) - mpmath.mpf(y)


def _sigmoid(z: float) -> float:
    with mpmath.workdps(400):
        return float(1 / (1 + mpmath.exp(-mpmath.mpf(z))))


def _ulps(got: np.ndarray, exact: list, dtype: type, terms: np.ndarray | None = None) -> float:
    """The largest error of ``got`` in units of the last place of the exact values rounded to ``dtype``. Where
    the result is a difference of ``terms`` (each term's size given), an ulp of the terms' size is allowed too:
    sigma(z) - y near its zero (y = 0.5, z = 1e-9) is 2.5e-10 made of two terms of 0.5, and no formula in floats
    of those terms keeps its digits (PyTorch's neither); its error is an ulp of 0.5."""
    want = np.array([float(v) for v in exact]).astype(dtype)
    spacing = np.spacing(np.abs(want).astype(dtype)).astype(np.float64)
    if terms is not None:
        spacing = np.maximum(spacing, np.spacing(terms.astype(dtype)).astype(np.float64))
    spacing = np.where(spacing == 0, np.finfo(dtype).smallest_subnormal, spacing)
    return float(np.max(np.abs(got.astype(np.float64) - want.astype(np.float64)) / spacing))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_costs_and_slopes_are_right_to_a_few_ulp_in_both_tails(dtype):
    zs = np.array([z for z in _Z for _ in _Y], dtype=dtype)
    ys = np.array([y for _ in _Z for y in _Y], dtype=dtype)
    z = Tensor(zs, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = sigmoid_cross_entropy(z, ys)
        c.sum().backward()
    assert c.data.dtype == dtype and z.grad.dtype == dtype
    # the references take the arguments as they were rounded into the dtype
    exact_c = [_cost(float(a), float(b)) for a, b in zip(zs, ys)]
    exact_g = [_slope(float(a), float(b)) for a, b in zip(zs, ys)]
    assert _ulps(c.data, exact_c, dtype) <= 4
    # the two terms of sigma(z) - y = (1 - y) sigma(z) - y sigma(-z): in the tails one is 0 and the other tiny
    terms = np.array([max((1 - float(b)) * _sigmoid(float(a)), float(b) * _sigmoid(-float(a)))
                      for a, b in zip(zs, ys)])
    assert _ulps(z.grad, exact_g, dtype, terms) <= 4


def test_a_right_answer_far_out_costs_its_exact_tail_not_zero():
    z = Tensor([37.0, -50.0], requires_grad=True)
    c = sigmoid_cross_entropy(z, [1.0, 0.0])
    c.sum().backward()
    # softplus(37) - 37 rounds to 0 in floats; the cost is ln(1 + e^-37) = 8.533e-17 (mpmath above), likewise the
    # slope sigmoid(37) - 1 = -e^-37 / (1 + e^-37)
    assert c.data[0] == pytest.approx(float(_cost(37.0, 1.0)), rel=1e-15) and c.data[0] > 8e-17
    assert z.grad[0] == pytest.approx(float(_slope(37.0, 1.0)), rel=1e-15) and z.grad[0] < -8e-17
    assert c.data[1] == pytest.approx(float(_cost(-50.0, 0.0)), rel=1e-15) and c.data[1] > 1e-22


def test_a_target_tensor_gets_minus_z_and_both_match_central_differences():
    rng = np.random.default_rng(3)
    z0, y0 = rng.normal(0, 3, (4, 3)), rng.uniform(0, 1, (4, 3))
    z, y = Tensor(z0, requires_grad=True), Tensor(y0, requires_grad=True)
    weights = rng.normal(size=(4, 3))
    (sigmoid_cross_entropy(z, y) * weights).sum().backward()
    assert np.array_equal(y.grad, -z0 * weights)                  # dc/dy = -z exactly, times the weights

    def f(zz: np.ndarray) -> float:
        return float(((np.logaddexp(0.0, zz) - y0 * zz) * weights).sum())
    h, numeric = 1e-6, np.zeros_like(z0)
    for i in np.ndindex(z0.shape):
        up, down = z0.copy(), z0.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (f(up) - f(down)) / (2 * h)
    assert np.allclose(z.grad, numeric, rtol=1e-7, atol=1e-9)


def test_infinite_logits_give_the_limits_without_a_warning():
    z = Tensor([np.inf, np.inf, -np.inf, -np.inf, np.inf], requires_grad=True)
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.25])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = sigmoid_cross_entropy(z, y)
        c.sum().backward()
    # c -> (1 - y) z at +inf and -y z at -inf: 0 where that factor is 0, else inf; dc/dz -> 1 - y or -y
    assert c.data.tolist() == [0.0, np.inf, 0.0, np.inf, np.inf]
    assert z.grad.tolist() == [0.0, 1.0, 0.0, -1.0, 0.75]


def test_it_equals_the_unfused_graph_of_softplus_and_its_hessian_is_sigmoid_times_one_minus_sigmoid():
    rng = np.random.default_rng(7)
    z0, y0 = rng.normal(0, 4, 20), rng.uniform(0, 1, 20)
    z = Tensor(z0, requires_grad=True)
    c = sigmoid_cross_entropy(z, y0)
    c.sum().backward()
    fused_grad = z.grad
    z.zero_grad()
    unfused = z.softplus() * (1.0 - y0) + (-z).softplus() * y0
    unfused.sum().backward()
    assert np.allclose(c.data, unfused.data, rtol=1e-15, atol=0)
    assert np.allclose(fused_grad, z.grad, rtol=1e-14, atol=1e-300)
    H = hessian(lambda t: sigmoid_cross_entropy(t, y0).sum(), Tensor(z0))
    s = 1.0 / (1.0 + np.exp(-z0))
    assert np.allclose(H, np.diag(s * (1 - s)), rtol=1e-14, atol=1e-300)   # d2c/dz2 = sigma (1 - sigma)


def test_a_float32_logit_keeps_its_dtype_and_a_wrong_shape_or_kind_is_refused():
    z = Tensor(np.array([[0.5, -1.0]], dtype=np.float32), requires_grad=True)
    c = sigmoid_cross_entropy(z, [[1.0, 0.0]])
    assert c.data.dtype == np.float32
    with pytest.raises(ValueError, match=r"sigmoid_cross_entropy: targets of shape \(2,\) against logits of "
                                         r"shape \(1, 2\)"):
        sigmoid_cross_entropy(z, [1.0, 0.0])
    with pytest.raises(TypeError, match="sigmoid_cross_entropy: logits must be a Tensor, got ndarray"):
        sigmoid_cross_entropy(np.zeros(2), [1.0, 0.0])


def test_nn_losses_binary_cross_entropy_with_logits_records_one_fused_node_on_tensors():
    z = Tensor(np.array([[0.3, -2.0], [40.0, 1.0]]), requires_grad=True)
    costs = losses.binary_cross_entropy_with_logits(z, [[1.0, 0.0], [1.0, 1.0]], reduction="none")
    assert costs.op == "sigmoid_cross_entropy" and costs.parents == (z,)
    mean = losses.binary_cross_entropy_with_logits(z, [[1.0, 0.0], [1.0, 1.0]])
    exact = [_cost(0.3, 1.0), _cost(-2.0, 0.0), _cost(40.0, 1.0), _cost(1.0, 1.0)]
    assert mean.item() == pytest.approx(float(sum(exact) / 4), rel=1e-15)


def test_a_single_number_gives_arrays_and_a_float32_target_tensor_does_not_round_float64_costs():
    # 0-d Tensors: numpy's ops on 0-d arrays return scalars, and a gradient must be an array (found by
    # test_tensor_ops' shape-and-dtype property: y.grad was a numpy float64)
    z, y = Tensor(0.0, requires_grad=True), Tensor(1.0, requires_grad=True)
    c = sigmoid_cross_entropy(z, y)
    c.backward()
    assert type(c.data) is np.ndarray and type(z.grad) is not np.float64 and isinstance(y.grad, np.ndarray)
    assert (c.item(), float(z.grad), float(y.grad)) == (float(np.log(2.0)), -0.5, -0.0)
    # a float32 target Tensor against float64 logits: the costs are float64, computed from the float32 targets'
    # numbers (written out: 0.3 and 0.7 as float32 hold)
    z = Tensor(np.array([3.0, -1e-3]), requires_grad=True)
    y = Tensor(np.array([0.3, 0.7], dtype=np.float32), requires_grad=True)
    c = sigmoid_cross_entropy(z, y)
    held = np.array([0.30000001192092896, 0.699999988079071])
    exact = [_cost(3.0, held[0]), _cost(-1e-3, held[1])]
    assert c.data.dtype == np.float64
    assert _ulps(c.data, exact, np.float64) <= 4
