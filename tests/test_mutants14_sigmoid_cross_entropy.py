"""Mutation testing of autograd.sigmoid_cross_entropy (autograd/tensor/fused.py) and its create_graph form
(autograd/tensor/vjp_graph.py), fourteenth round: each test fails on a deliberate mistake (named in its comment)
that the rest of the suite let pass. Expected numbers come from mpmath at 60 digits (softplus(z) - y z and
sigmoid(z) - y, the formulas themselves), from -z for dc/dy, and from float64 products worked out here."""

import mpmath
import numpy as np
import pytest

from autograd import Tensor, grad, sigmoid_cross_entropy


def _cost(z: float, y: float) -> float:
    with mpmath.workdps(60):
        z, y = mpmath.mpf(z), mpmath.mpf(y)
        return float(mpmath.log1p(mpmath.exp(z)) - y * z)


def _slope(z: float, y: float) -> float:
    with mpmath.workdps(60):
        return float(1 / (1 + mpmath.exp(-mpmath.mpf(z))) - mpmath.mpf(y))


def test_float32_logits_against_a_float64_target_tensor_give_float64_costs_and_each_gradient_its_own_dtype():
    # mutants: the costs' array made in the logits' dtype (np.empty(w.shape, size.dtype)); the target Tensor's
    # numbers rounded to the logits' dtype (as_data(targets.data, z.dtype)); dc/dy formed in the logits' dtype
    # (np.empty(d.shape, z.dtype)); vjp.exact set True whatever the dtypes. As z * y would, float32 and float64
    # make float64; each gradient then takes its own Tensor's dtype (z.grad float32, y.grad float64).
    z32 = np.array([0.3, -2.5, 40.0], dtype=np.float32)
    y64 = np.array([0.1, 0.9, 1.0 - 2.0**-40])                        # 1 - 2^-40 has no float32: it rounds to 1
    weights = np.array([0.1, 0.3, 1.0 / 3.0])
    z, y = Tensor(z32, requires_grad=True), Tensor(y64, requires_grad=True)
    c = sigmoid_cross_entropy(z, y)
    (c * weights).sum().backward()
    held = [float(v) for v in z32]                                     # the float32 logits' own numbers
    assert c.data.dtype == np.float64
    # ln(1 + e^-|z|) is the float32 logit's softplus work, done in float32 as z.softplus() would: float32's digits
    np.testing.assert_allclose(c.data, [_cost(a, b) for a, b in zip(held, y64)], rtol=1e-7, atol=0)
    # at z = 40, y = 1 - 2^-40: c = 2^-40 * 40 + e^-40 = 3.6380e-11 (with y rounded to 1 it would be e^-40)
    assert c.data[2] == pytest.approx(40 * 2.0**-40 + np.exp(-40.0), rel=1e-15)
    assert z.grad.dtype == np.float32 and y.grad.dtype == np.float64
    slopes = np.array([_slope(a, b) for a, b in zip(held, y64)]) * weights
    np.testing.assert_array_equal(z.grad, slopes.astype(np.float32))
    np.testing.assert_array_equal(y.grad, -(np.array(held) * weights))   # dc/dy = -z, in float64: -40/3 held


def test_float64_logits_against_a_float32_target_tensor_give_the_target_a_float32_gradient():
    # mutants: vjp.exact = True, or exact without its clause on the target's dtype (c.dtype is z.dtype): backward()
    # would keep dc/dy = -z g (float64) as the float32 target's .grad
    z = Tensor(np.array([0.7, -1.5]), requires_grad=True)
    y = Tensor(np.array([0.25, 0.5], dtype=np.float32), requires_grad=True)
    (sigmoid_cross_entropy(z, y) * np.array([3.0, 0.1])).sum().backward()
    assert y.grad.dtype == np.float32 and z.grad.dtype == np.float64
    np.testing.assert_array_equal(y.grad, np.array([-2.1, 0.15]).astype(np.float32))   # -z g, rounded once
    np.testing.assert_allclose(z.grad, [3.0 * _slope(0.7, 0.25), 0.1 * _slope(-1.5, 0.5)], rtol=4e-16)


def test_a_target_tensor_that_needs_no_gradient_is_a_constant_not_a_parent():
    # mutant: `if targets.requires_grad:` taken always: the node records the target as a parent (and its vjp
    # forms dc/dy = -z at every step for nobody); as for a constant array, the logits are the only parent
    z = Tensor([0.5, -1.0], requires_grad=True)
    y = Tensor([1.0, 0.0])
    c = sigmoid_cross_entropy(z, y)
    assert c.parents == (z,)
    c.sum().backward()
    assert y.grad is None
    np.testing.assert_allclose(z.grad, [_slope(0.5, 1.0), _slope(-1.0, 0.0)], rtol=4e-16)


def test_logits_whose_data_became_integers_are_refused_by_name():
    # mutant: the check of the logits' dtype removed. A .data replaced by int64 then reached the targets' check,
    # which blamed "the targets" for the dtype; the logits are what must change
    z = Tensor([0.5, -1.0], requires_grad=True)
    z.data = np.array([0, 1])
    with pytest.raises(TypeError, match="sigmoid_cross_entropy: the logits Tensor holds int64 numbers"):
        sigmoid_cross_entropy(z, [1.0, 0.0])
    with pytest.raises(TypeError, match="sigmoid_cross_entropy: the logits Tensor holds int64 numbers"):
        sigmoid_cross_entropy(z, Tensor([1.0, 0.0], requires_grad=True))


def test_targets_written_as_text_are_refused_not_parsed():
    # mutant: np.asarray(targets, dtype=z.dtype) in place of as_data: numpy parses "1.0" into 1.0 (and reads a
    # masked array's hidden numbers); a Tensor's data are numbers, and a string is a slip
    with pytest.raises(TypeError, match="sigmoid_cross_entropy: the targets: string data"):
        sigmoid_cross_entropy(Tensor([0.5, 1.0]), ["1.0", "0.0"])


def test_an_empty_batch_gives_empty_costs_and_an_empty_gradient():
    # mutant: fmax.reduce(|z|) without initial=0.0: numpy refuses a reduction of nothing ("zero-size array to
    # reduction operation fmax which has no identity"); the costs of no logits are none, their sum 0
    z = Tensor(np.zeros((0, 3)), requires_grad=True)
    c = sigmoid_cross_entropy(z, np.zeros((0, 3)))
    assert c.data.shape == (0, 3)
    c.sum().backward()
    assert z.grad.shape == (0, 3)


def test_the_create_graph_gradient_keeps_both_tails_digits_and_scales_by_the_incoming_gradient():
    # mutants in vjp_graph._sigmoid_cross_entropy: dz written sigmoid(z) - y (sigmoid(37) rounds to 1 - 2^-53, so
    # sigmoid(37) - 1 is -1.11e-16 where the slope is -e^-37/(1 + e^-37) = -8.53e-17), and the factor g dropped
    # (the same numbers for a plain .sum(), whose g is ones). With weights the gradient is w (sigma(z) - y).
    z0, y0 = np.array([37.0, -40.0, 0.5]), np.array([1.0, 0.0, 0.25])
    w = np.array([2.0, 3.0, -0.5])
    z = Tensor(z0, requires_grad=True)
    (g,) = grad((sigmoid_cross_entropy(z, y0) * w).sum(), [z], create_graph=True)
    want = np.array([_slope(a, b) for a, b in zip(z0, y0)]) * w
    np.testing.assert_allclose(g.data, want, rtol=4e-16, atol=0)
    assert -1.8e-16 < g.data[0] < -1.6e-16 and g.data[1] > 1e-17      # 2 (-8.53e-17); 3 e^-40 = 1.27e-17


def test_the_create_graph_derivative_towards_a_target_tensor_is_minus_z_g_and_its_mixed_second_is_minus_g():
    # mutants in vjp_graph._sigmoid_cross_entropy: dc/dy = +z g, the target's gradient dropped, or the target read
    # as the vjp's constant y (no path from dz = (sigma(z) - y) g back to y: d2/dz dy would be 0, not -g).
    z0, y0, w = np.array([0.5, -2.0]), np.array([0.25, 0.75]), np.array([2.0, -3.0])
    z, y = Tensor(z0, requires_grad=True), Tensor(y0, requires_grad=True)
    gz, gy = grad((sigmoid_cross_entropy(z, y) * w).sum(), [z, y], create_graph=True)
    np.testing.assert_array_equal(gy.data, -z0 * w)                    # [-1, -6]
    (mixed,) = grad(gz.sum(), [y])
    np.testing.assert_allclose(mixed, -w, rtol=1e-15)                  # d/dy of w (sigma(z) - y)
    (mixed_again,) = grad(gy.sum(), [z])
    np.testing.assert_array_equal(mixed_again, -w)                     # d/dz of -z w
