"""Mutation testing, sixth round: logsumexp's gradient beside +inf (autograd/tensor/reductions.py) is that of
docs: a finite entry's limit 0, the +inf entry's NaN, and no numpy warning about the inf - inf it takes on purpose."""

import numpy as np
import pytest

from autograd import Tensor


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_the_gradient_beside_plus_inf_warns_nothing():
    x = Tensor(np.array([[np.inf, 1.0], [0.0, 1.0]]), requires_grad=True)
    x.logsumexp(axis=1).sum().backward()
    e = np.exp([0.0, 1.0])
    np.testing.assert_array_equal(x.grad[0], [np.nan, 0.0])         # inf - inf has no limit; e^-inf = 0
    np.testing.assert_allclose(x.grad[1], e / e.sum(), rtol=1e-15)  # the softmax, by hand
