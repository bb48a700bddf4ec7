"""cross_entropy at logits where the formula's intermediate numbers leave the float range or lose their digits while
the loss is an ordinary number.

- One-hot (or probability) targets: a log-probability that overflows to -inf (logits 1.7e308 apart: the true one
  is -3.4e308) met its target 0 as 0 (-inf) = NaN, so the loss and every gradient were NaN where the loss is 0
  (the term's limit is 0 whatever p_k is). Tensors, float arrays and Values alike.
- Float arrays: z_k - (m + ln sum) lost ln sum beside a large maximum m (logits [1e17, 1e17] gave the loss 0, not
  ln 2); (z_k - m) - ln sum keeps it, as the Tensor op and the fused op compute it.
The expected numbers are worked out by hand in each test."""

import math

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import losses

pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                                        "ignore:invalid value encountered:RuntimeWarning")


def values(rows):
    return np.array([[Value(float(v)) for v in row] for row in rows], dtype=object)


@pytest.mark.parametrize("dtype, big", [(np.float64, 1.7e308), (np.float32, 3e38)])
def test_a_tensor_with_one_hot_targets_is_0_where_the_losing_logit_is_out_of_range(dtype, big):
    # row 0: p = (0, 1) to the last digit, target class 1: loss 0, gradient p - y = 0; row 1: ordinary numbers
    z = np.array([[-big, big], [0.0, math.log(3.0)]], dtype=dtype)
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    x = Tensor(z, requires_grad=True)
    loss = losses.cross_entropy(x, y)
    loss.backward()
    # row 1 by hand: p = (1/4, 3/4), -log p_0 = ln 4; the mean over 2 rows
    assert loss.item() == pytest.approx(math.log(4.0) / 2, rel=1e-6 if dtype == np.float32 else 1e-15)
    np.testing.assert_array_equal(x.grad[0], [0.0, 0.0])
    np.testing.assert_allclose(x.grad[1], [(0.25 - 1.0) / 2, 0.75 / 2], rtol=1e-6 if dtype == np.float32 else 1e-15)


def test_float_arrays_and_values_with_one_hot_targets_are_0_there_too():
    z = np.array([[1.7e308, -1.7e308]])
    y = np.array([[1.0, 0.0]])
    assert losses.cross_entropy(z, y) == 0.0
    v = values(z)
    loss = losses.cross_entropy(v, y)
    loss.backward()
    assert loss.data == 0.0 and [x.grad for x in v[0]] == [0.0, 0.0]


def test_a_target_that_gets_a_gradient_keeps_every_term():
    # dL/dy_k = -log p_k / N: at the overflowed log-probability that is +inf, not a silent 0
    x = Tensor(np.array([[-1.7e308, 1.7e308]]), requires_grad=True)
    t = Tensor(np.array([[0.0, 1.0]]), requires_grad=True)
    losses.cross_entropy(x, t).backward()
    assert t.grad[0, 0] == np.inf and t.grad[0, 1] == 0.0


@pytest.mark.parametrize("target", [np.array([1]), np.array([[0.0, 1.0]])])
def test_float_arrays_keep_ln_2_beside_large_equal_logits(target):
    # p = (1/2, 1/2) at any equal logits: the loss is ln 2, however large they are
    for z in (1e17, 1e300, -1e300):
        assert losses.cross_entropy(np.array([[z, z]]), target) == pytest.approx(math.log(2.0), rel=1e-15)


def test_ordinary_logits_give_the_numbers_they_gave():
    rng = np.random.default_rng(7)
    z = rng.normal(size=(5, 4)) * 3
    y = np.eye(4)[rng.integers(0, 4, size=5)]
    x = Tensor(z, requires_grad=True)
    loss = losses.cross_entropy(x, y)
    loss.backward()
    logp = z - z.max(axis=1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
    assert loss.item() == pytest.approx(-(logp * y).sum() / 5, rel=1e-15)
    np.testing.assert_allclose(x.grad, (np.exp(logp) - y) / 5, rtol=1e-14, atol=1e-17)
    assert losses.cross_entropy(z, y) == pytest.approx(-(logp * y).sum() / 5, rel=1e-15)


def test_values_with_integer_labels_keep_ln_2_beside_1e17_and_give_0_beside_the_float_range():
    # by hand: equal logits give p = (1/2, 1/2), loss ln 2, gradient p - onehot(1) = (1/2, -1/2), at any size; logits
    # 3.4e308 apart give p = (0, 1) for label 1: loss 0, gradient 0 (z_y - ln sum e^z lost ln 2 to rounding at 1e17,
    # and made inf - inf = NaN at 1.7e308)
    for row, label, loss, grads in (([1e17, 1e17], 1, math.log(2.0), [0.5, -0.5]),
                                    ([-1.7e308, 1.7e308], 1, 0.0, [0.0, 0.0])):
        Z = values([row])
        L = losses.cross_entropy(Z, [label])
        L.backward()
        assert L.data == loss and [v.grad for v in Z[0]] == grads


def test_a_compiled_value_cross_entropy_reads_no_data_and_equals_the_eager_one():
    from autograd import compile as compile_graph

    def f(z):
        return losses.cross_entropy(np.array([z], dtype=object), [2])

    example = [0.3, -1.2, 2.0]
    step = compile_graph(f, [example], check=True)
    for z in (example, [1e17, 1e17, 1e17], [5.0, -3.0, 40.0]):
        value, (grad,) = step(z)
        Z = values([z])
        L = losses.cross_entropy(Z, [2])
        L.backward()
        assert value == L.data and list(grad) == [v.grad for v in Z[0]]
