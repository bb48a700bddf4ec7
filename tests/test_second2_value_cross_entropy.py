"""cross_entropy on Values worked relative to one logit (the label's, or the target's r = sum_k y_k z_k): beside a
class logit far below the others, the differences z_j - z_y rounded, and the gradient among the others was lost:
logits [-1e17, -3, 0] on class 0 gave (-1, 1/2, 1/2) for (-1, 0.047, 0.953) (the Tensor engine's, and mpmath's).
Now every row is shifted by c = log_sum_exp(z) and the rounding of c is recovered by a second log-sum-exp."""

from __future__ import annotations

import itertools

import mpmath
import numpy as np
import pytest

from autograd import Tensor, Value, compile
from nn import losses

mpmath.mp.prec = 200


def exact_gradient(z, k):
    m = max(z)
    e = [mpmath.exp(mpmath.mpf(v) - mpmath.mpf(m)) for v in z]
    total = mpmath.fsum(e)
    return [float(t / total - (1 if j == k else 0)) for j, t in enumerate(e)]


def exact_loss(z, k):
    own = mpmath.mpf(z[k])
    return float(mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v) - own) for v in z)))     # ln sum_j e^(z_j - z_k)


ROWS = [(-1e17, -3.0, 0.0), (1e17, 1e17, 1e17 - 32), (0.3, -1.2, 2.0), (-40.0, 0.0, 1e-3), (2e300, -2e300, 2e300)]


def targets(k, n):
    return [np.array([k]), np.eye(n)[[k]], [[Value(float(j == k)) for j in range(n)]]]


@pytest.mark.parametrize("row", ROWS)
def test_value_cross_entropy_gradient_is_softmax_minus_one_hot_for_every_class_and_order(row):
    for order in sorted(set(itertools.permutations(row))):
        for k in range(len(order)):
            for target in targets(k, len(order)):
                Z = np.array([[Value(v) for v in order]], dtype=object)
                loss = losses.cross_entropy(Z, target)
                loss.backward()
                assert loss.data == pytest.approx(exact_loss(order, k), rel=4e-16, abs=2e-16), (order, k)
                assert [v.grad for v in Z[0]] == pytest.approx(exact_gradient(order, k), rel=1e-14, abs=2e-16), \
                    (order, k, target)


def test_value_cross_entropy_beside_a_class_logit_far_below_is_the_tensor_engines():
    z = [-1e17, -3.0, 0.0]
    T = Tensor([z], requires_grad=True)
    losses.cross_entropy(T, np.array([0])).backward()
    Z = np.array([[Value(v) for v in z]], dtype=object)
    losses.cross_entropy(Z, np.array([0])).backward()
    assert [v.grad for v in Z[0]] == pytest.approx(T.grad[0].tolist(), rel=1e-14)


def test_compiled_value_cross_entropy_is_the_eager_one_to_the_bit():
    # (one-hot targets: what fit(compile=True) traces; a label would be a number read from the data)
    def loss(z, y):
        return losses.cross_entropy([z], [y])

    fast = compile(loss, ([0.3, -1.2, 2.0], [1.0, 0.0, 0.0]), wrt=0, check=True)
    for row in ROWS:
        for k in range(3):
            y = [float(j == k) for j in range(3)]
            zs = [Value(v) for v in row]
            eager = loss(zs, [Value(v) for v in y])
            eager.backward()
            value, (g,) = fast(list(row), y)
            assert value == eager.data and g == [v.grad for v in zs]
