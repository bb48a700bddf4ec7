"""The comparison behind tests/test_torchdiff_*.py: one op of deltagrad against the op of PyTorch 2.13.0 with the
same name, on the same numbers: forward value, dtype and shape; the gradient of a random upstream gradient; and the
second derivative (backward(create_graph=True), then the gradient of a weighted sum of the first gradients).

Imported only by tests that have already called ``pytest.importorskip("torch")``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch

from autograd import Tensor

# Tolerances per dtype: both libraries run the same formula in another order (a sum's order, a vectorised exp),
# so the numbers agree to a few roundings, not bitwise. A tail that one side rounds to 0 (tanh'(20) = 1.7e-17 here,
# 0 from PyTorch's 1 - y^2) is inside atol, relative to 1, the size of the numbers drawn.
TOLERANCES = {np.dtype(np.float64): (1e-12, 1e-13), np.dtype(np.float32): (3e-5, 3e-6)}


def close(ours: np.ndarray, theirs: np.ndarray, what: str, scale: float = 1.0, dtype: np.dtype | None = None) -> None:
    """ours == theirs within the tolerances of ours's dtype, NaN where NaN and inf where inf of the same sign; ours's
    dtype is ``dtype`` (by default theirs's); theirs is rounded to it."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} here, {theirs.shape} in PyTorch"
    expected = theirs.dtype if dtype is None else dtype
    assert ours.dtype == expected, f"{what}: dtype {ours.dtype} here, {expected} in PyTorch"
    with np.errstate(over="ignore"):                       # beyond float32 in float64: inf, as float32 computes it
        theirs = theirs.astype(expected)
    rtol, atol = TOLERANCES[ours.dtype]
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol * scale, equal_nan=True, err_msg=what)


def _upstream(shape: tuple, dtype: np.dtype, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


def compare(ours: Callable, theirs: Callable, arrays: Sequence[np.ndarray], seed: int, *,
            second: bool = True, grad_scale: float = 1.0) -> None:
    """``ours(*Tensors)`` against ``theirs(*torch tensors)``, built from the same ``arrays`` (each a leaf that
    requires grad): value, dtype and shape, the gradients of sum(out * G) for a random G, and (``second``) the
    gradients of sum_i sum(grad_i * W_i) for random W_i, taken through create_graph on both sides.

    The dtype is PyTorch's on the arrays as they are; the numbers are PyTorch's computed in float64 from the same
    numbers (float32 ones are exact there), then rounded to our dtype: PyTorch's own float32 numbers can be further
    from the truth than ours (its tanh'' by 1 - y^2 lost 7e-4 at z = -5.5, where ours had every digit)."""
    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    out = ours(*leaves)
    dtype = theirs(*(torch.tensor(a) for a in arrays)).numpy(force=True).dtype
    t_leaves = [torch.tensor(a.astype(np.float64), requires_grad=True) for a in arrays]
    t_out = theirs(*t_leaves)
    close(out.data, t_out.numpy(force=True), "value", dtype=dtype)
    g = _upstream(out.shape, out.dtype, seed)
    out.backward(g, create_graph=second)
    t_grads = torch.autograd.grad(t_out, t_leaves, torch.tensor(g.astype(np.float64)), create_graph=second,
                                  allow_unused=True)
    for i, (leaf, tg) in enumerate(zip(leaves, t_grads)):
        expected = np.zeros(arrays[i].shape) if tg is None else tg.numpy(force=True)
        close(np.asarray(leaf.grad.data if isinstance(leaf.grad, Tensor) else leaf.grad), expected,
              f"gradient {i}", grad_scale, arrays[i].dtype)
    if not second or not all(np.isfinite(np.asarray(getattr(leaf.grad, "data", leaf.grad))).all() for leaf in leaves):
        return      # beyond a first derivative that overflowed, inf - inf is NaN on both sides (or inf in float64)
    weights = [_upstream(a.shape, a.dtype, seed + 1 + i) for i, a in enumerate(arrays)]
    ours_total = [(leaf.grad * w).sum() for leaf, w in zip(leaves, weights)
                  if isinstance(leaf.grad, Tensor) and leaf.grad.requires_grad]
    theirs_total = [(tg * torch.tensor(w.astype(np.float64))).sum() for tg, w in zip(t_grads, weights)
                    if tg is not None and tg.requires_grad]
    for leaf in leaves:
        leaf.grad = None
    if ours_total:
        sum(ours_total[1:], ours_total[0]).backward()
    t_second = (torch.autograd.grad(sum(theirs_total[1:], theirs_total[0]), t_leaves, allow_unused=True)
                if theirs_total else [None] * len(arrays))
    for i, (leaf, ts) in enumerate(zip(leaves, t_second)):
        mine = np.zeros_like(arrays[i]) if leaf.grad is None else np.asarray(leaf.grad)
        expected = np.zeros(arrays[i].shape) if ts is None else ts.numpy(force=True)
        close(mine, expected, f"second derivative {i}", grad_scale, arrays[i].dtype)
