"""nn.Dropout, hostile: dtypes, the mask's gradient against central differences, seeds, the mean over many draws."""

import numpy as np
import pytest

from autograd import Tensor
from nn import Dropout


def test_float32_input_gives_float32_output_and_gradient_as_pytorch():
    # the mask was float64, so a float32 net turned float64 after its first Dropout, silently
    x = Tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4), requires_grad=True)
    drop = Dropout(0.25, seed=0)
    y = drop(x)
    assert y.data.dtype == np.float32
    by_hand = x.data * drop.mask.astype(np.float32) / np.float32(0.75)           # y = x o m / (1 - p)
    np.testing.assert_allclose(y.data, by_hand, rtol=1e-6)
    y.sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad, drop.mask / 0.75, rtol=1e-6)


def test_float64_and_integer_inputs_give_float64():
    assert Dropout(0.5, seed=0)(Tensor(np.ones(4))).data.dtype == np.float64
    y = Dropout(0.5, seed=0)(Tensor(np.arange(4)))
    assert y.data.dtype == np.float64 and set(y.data[y.data != 0] / np.arange(4)[y.data != 0]) <= {2.0}


def test_a_zero_dimensional_input_keeps_an_array_mask():
    drop = Dropout(0.5, seed=0)
    x = Tensor(np.array(3.0), requires_grad=True)
    y = drop(x)
    assert isinstance(drop.mask, np.ndarray) and drop.mask.shape == ()
    y.backward()
    assert float(x.grad) == float(drop.mask) / 0.5 and float(y.data) == 3.0 * float(drop.mask) / 0.5


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_gradient_is_central_differences_with_the_mask_fixed_by_the_seed(p):
    # the same seed draws the same mask, so f(x) = sum(w o dropout(x)) can be differenced with the mask held
    rng = np.random.default_rng(3)
    X, w = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))

    def f(A):
        return float((w * Dropout(p, seed=7)(Tensor(A)).data).sum())

    x = Tensor(X, requires_grad=True)
    (Tensor(w) * Dropout(p, seed=7)(x)).sum().backward()
    h, numeric = 1e-6, np.zeros_like(X)
    for i in np.ndindex(X.shape):
        E = np.zeros_like(X)
        E[i] = h
        numeric[i] = (f(X + E) - f(X - E)) / (2 * h)
    np.testing.assert_allclose(x.grad, numeric, rtol=1e-7, atol=1e-9)


def test_mean_over_many_draws_is_the_input_and_eval_is_the_identity():
    p, n = 0.3, 400_000
    drop = Dropout(p, seed=1)
    y = drop(np.full(n, 2.0)).data
    kept = np.count_nonzero(y)
    # binomial(n, 1 - p): within 5 standard deviations of n (1 - p)
    assert abs(kept - n * (1 - p)) < 5 * np.sqrt(n * p * (1 - p))
    assert set(np.unique(y).tolist()) == {0.0, 2.0 / (1 - p)}
    assert abs(y.mean() - 2.0) < 5 * 2.0 / (1 - p) * np.sqrt(p * (1 - p) / n)
    x = np.arange(6.0)
    assert np.array_equal(drop.eval()(x).data, x) and drop.mask is None
    assert not np.array_equal(drop.train()(np.ones(200)).data, np.ones(200))


def test_same_seed_same_masks_and_each_call_a_new_one():
    a, b = Dropout(0.5, seed=11), Dropout(0.5, seed=11)
    first, second = a(np.ones(64)).data, a(np.ones(64)).data
    assert np.array_equal(first, b(np.ones(64)).data) and np.array_equal(second, b(np.ones(64)).data)
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("p, error", [(1.0001, ValueError), (float("nan"), ValueError), (-0.1, ValueError),
                                      (1.5, ValueError), ("0.5", TypeError), (True, TypeError), (None, TypeError)])
def test_probabilities_outside_zero_to_one_are_refused_by_name(p, error):
    with pytest.raises(error, match="Dropout: p must be"):
        Dropout(p)


def test_each_kept_entry_and_its_gradient_are_divided_by_1_minus_p_rounded_once():
    # x * (1 / (1 - p)) rounds twice: at x = 0.34558419, p = 0.25 it is one ulp off x / 0.75 (hypothesis found it)
    from autograd import Tensor
    from nn import Dropout

    X = Tensor(np.full((1, 64), 0.34558419), requires_grad=True)
    drop = Dropout(0.25, seed=0)
    y = drop(X)
    y.sum().backward()
    kept = drop.mask
    assert kept.any() and np.array_equal(y.data[kept], X.data[kept] / 0.75)
    assert np.array_equal(X.grad[kept], np.full(int(kept.sum()), 1 / 0.75)) and np.all(X.grad[~kept] == 0)
