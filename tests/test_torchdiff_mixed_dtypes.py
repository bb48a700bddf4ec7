"""Differential tests against PyTorch 2.13.0: a float32 and a float64 Tensor in one op.

Both libraries give a float64 result for two dimensioned Tensors of the two dtypes, and each gradient in its own
Tensor's dtype. The float64 operand's gradient must then be float64 accurate: the partials of ``/`` (1/b) and of
``**`` (ln a) were computed in the float32 operand's dtype, and put float32 rounding (1e-8) into it.
Expected numbers: PyTorch computing everything in float64 from the same numbers (a float32 input is exact there).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor, maximum, minimum, where

torch = pytest.importorskip("torch")

OPS = {
    "/": (lambda a, b: a / b, lambda a, b: a / b),
    "**": (lambda a, b: a ** b, lambda a, b: a ** b),
    "*": (lambda a, b: a * b, lambda a, b: a * b),
    "-": (lambda a, b: a - b, lambda a, b: a - b),
    "maximum": (maximum, torch.maximum),
    "minimum": (minimum, torch.minimum),
    "where": (lambda a, b: where(a.data > b.data, a, b), lambda a, b: torch.where(a > b, a, b)),
}


@st.composite
def mixed_pairs(draw):
    """Two positive arrays of broadcasting shapes (no 0-d: there PyTorch keeps the other's dtype), one float32."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=3)).input_shapes
    dtypes = draw(st.sampled_from([(np.float32, np.float64), (np.float64, np.float32)]))
    arrays = [draw(hnp.arrays(d, s, elements=st.floats(0.25, 4.0, width=32))) for d, s in zip(dtypes, shapes)]
    return arrays, draw(st.integers(0, 2**32 - 1))


def torch_reference(f, arrays, g):
    """PyTorch's gradients with every number in float64, each given back in its own Tensor's dtype."""
    leaves = [torch.tensor(a.astype(np.float64), requires_grad=True) for a in arrays]
    f(*leaves).backward(torch.tensor(g, dtype=torch.float64))
    return [x.grad.numpy().astype(a.dtype) for x, a in zip(leaves, arrays)]


@pytest.mark.parametrize("op", list(OPS))
@given(mixed_pairs())
def test_a_float64_operands_gradient_is_float64_accurate_beside_a_float32_one(op, case):
    arrays, seed = case
    ours, theirs = OPS[op]
    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    out = ours(*leaves)
    expected_out = theirs(*(torch.tensor(a) for a in arrays))
    assert out.dtype == np.float64 and str(expected_out.dtype) == "torch.float64"
    np.testing.assert_allclose(out.data, expected_out.numpy(), rtol=4e-16, atol=0)
    g = np.random.default_rng(seed).normal(size=out.shape)
    out.backward(g)
    for leaf, a, expected in zip(leaves, arrays, torch_reference(theirs, arrays, g)):
        assert leaf.grad.dtype == a.dtype
        # float64: a few roundings of float64 in sums over a broadcast (it was 1e-8 for / and **); float32: one
        # rounding of float32
        rtol, atol = (1e-11, 1e-14) if a.dtype == np.float64 else (6e-8, 1e-300)
        np.testing.assert_allclose(leaf.grad, expected, rtol=rtol, atol=atol)


@pytest.mark.parametrize("op", ["/", "**"])
@given(mixed_pairs())
def test_second_derivatives_of_mixed_dtypes_are_float64_accurate_for_the_float64_operand(op, case):
    arrays, seed = case
    ours, theirs = OPS[op]
    rng = np.random.default_rng(seed)
    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    out = ours(*leaves)
    g = rng.normal(size=out.shape)
    weights = [rng.normal(size=a.shape).astype(a.dtype) for a in arrays]   # as our constants take the dtype
    out.backward(g, create_graph=True)
    first = [leaf.grad.data.copy() for leaf in leaves]
    total = sum((leaf.grad * w).sum() for leaf, w in zip(leaves, weights))
    for leaf in leaves:
        leaf.grad = None
    total.backward()

    t_leaves = [torch.tensor(a.astype(np.float64), requires_grad=True) for a in arrays]
    t_grads = torch.autograd.grad(theirs(*t_leaves), t_leaves, torch.tensor(g), create_graph=True)
    t_total = sum((tg * torch.tensor(w.astype(np.float64))).sum() for tg, w in zip(t_grads, weights))
    t_second = torch.autograd.grad(t_total, t_leaves)
    for leaf, a, f, tf, ts in zip(leaves, arrays, first, t_grads, t_second):
        # float64: sums with cancellation, a few roundings of float64 (it was 1e-8); float32: of float32, whose
        # terms of size 1 can cancel to 1e-4
        rtol, atol = (1e-11, 1e-14) if a.dtype == np.float64 else (1e-5, 1e-6 * float(np.abs(ts.numpy()).max()))
        np.testing.assert_allclose(f, tf.detach().numpy().astype(a.dtype), rtol=rtol, atol=atol)
        np.testing.assert_allclose(leaf.grad, ts.numpy().astype(a.dtype), rtol=rtol, atol=atol)
