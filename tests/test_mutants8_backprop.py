"""Mutation testing of nn/backprop.py, eighth round: each test fails on a deliberate mistake (named in the test's
comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas."""

import math

import numpy as np

from nn.backprop import forward, forward_rows, gradients

# one layer, one input, two softmax outputs: z = (x, 2 x), so softmax(z) = (1, e^x) / (1 + e^x)
_WEIGHTS = [(np.array([[1.0], [2.0]]), np.zeros(2))]
# sample 1 at x = ln 3: (1/4, 3/4); sample 2 at x = 1000: (e^-1000, 1) = (0, 1) in float64
_X = np.array([[math.log(3.0)], [1000.0]])
_SOFTMAX = np.array([[0.25, 0.75], [0.0, 1.0]])


def test_softmax_is_shifted_by_each_samples_own_max_not_the_batchs():
    # mutant: _softmax shifting every column by the largest z of the whole batch. Softmax is unchanged by a shift
    # of one sample's z, not by the batch's: sample 1's e^(z - 2000) underflowed to 0, and its outputs became
    # 0/0 = NaN, returned silently by forward (and in a batch of moderate spreads, subnormal and imprecise).
    np.testing.assert_allclose(forward(_WEIGHTS, _X, "sigmoid", "softmax").output, _SOFTMAX, rtol=1e-15, atol=0)
    np.testing.assert_allclose(forward_rows([(W.T, b) for W, b in _WEIGHTS], _X, "sigmoid", "softmax").a[-1],
                               _SOFTMAX, rtol=1e-15, atol=0)


def test_cross_entropy_gradients_of_a_batch_with_far_apart_logits():
    # the same mutant in gradients: its NaN was refused as an overflow of dC/dW, a wrong refusal. With one-hot
    # targets, dC/dz = a - y per sample: (-3/4, 3/4) at x = ln 3 (y = (1, 0)) and (0, 0) at x = 1000 (y = (0, 1)).
    # The mean over the two samples: dC/dW = (-3/4, 3/4) ln 3 / 2, dC/db = (-3/8, 3/8).
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    _, [(dW, db)] = gradients(_WEIGHTS, _X, Y, "sigmoid", "softmax", "cross_entropy")
    ln3 = math.log(3.0)
    np.testing.assert_allclose(dW, [[-0.375 * ln3], [0.375 * ln3]], rtol=1e-14)
    np.testing.assert_allclose(db, [-0.375, 0.375], rtol=1e-14)

