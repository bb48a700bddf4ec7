"""cross_entropy on Values with one-hot (or probability) targets keeps its digits beside large equal logits, as the
integer-label path and the Tensor engine do: z_k - log_sum_exp(z) lost ln 2 beside logits [1e17, 1e17] (the
log-sum rounded to 1e17, and the loss came out 0). Expected numbers by hand, and against the Tensor engine."""

import math

import numpy as np
import pytest

from autograd import Tensor, Value
from autograd import compile as compile_graph
from nn import losses


def values(rows):
    return np.array([[Value(float(v)) for v in row] for row in rows], dtype=object)


@pytest.mark.parametrize("z", [1e17, 1e300, -1e300, 3.0])
@pytest.mark.parametrize("target", [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]], ids=["one-hot 1", "one-hot 0", "halves"])
def test_equal_logits_give_ln_2_and_the_gradient_p_minus_y_at_any_size(z, target):
    # by hand: equal logits give p = (1/2, 1/2): the loss is -sum_k y_k ln(1/2) = ln 2, the gradient p - y
    Z = values([[z, z]])
    loss = losses.cross_entropy(Z, np.array([target]))
    loss.backward()
    assert loss.data == math.log(2.0)
    assert [v.grad for v in Z[0]] == [0.5 - target[0], 0.5 - target[1]]


def test_one_sample_of_three_equal_logits_gives_ln_3():
    row = np.array([Value(1e17), Value(1e17), Value(1e17)], dtype=object)        # 1-D logits: one sample
    loss = losses.cross_entropy(row, np.array([0.0, 0.0, 1.0]))
    loss.backward()
    assert loss.data == pytest.approx(math.log(3.0), rel=1e-15)
    assert [v.grad for v in row] == pytest.approx([1 / 3, 1 / 3, -2 / 3], rel=1e-15)


def test_a_target_made_of_values_keeps_ln_2_and_gets_minus_log_p():
    Z, T = values([[1e17, 1e17]]), values([[0.0, 1.0]])
    loss = losses.cross_entropy(Z, T)
    loss.backward()
    assert loss.data == math.log(2.0)
    assert [v.grad for v in T[0]] == [math.log(2.0), math.log(2.0)]            # dL/dy_k = -log p_k = ln 2
    assert [v.grad for v in Z[0]] == [0.5, -0.5]


def test_a_compiled_one_hot_loss_reads_its_target_and_equals_the_eager_one():
    def f(z, y):
        return losses.cross_entropy(np.array([z], dtype=object), np.array([y], dtype=object))

    step = compile_graph(f, [[0.3, -1.2, 2.0], [0.0, 0.0, 1.0]], check=True)
    for z, y in (([0.3, -1.2, 2.0], [0.0, 0.0, 1.0]), ([1e17, 1e17, 1e17], [1.0, 0.0, 0.0]),
                 ([5.0, -3.0, 40.0], [0.0, 1.0, 0.0])):
        value, (grad_z, grad_y) = step(z, y)
        Z, Y = values([z]), values([y])
        L = losses.cross_entropy(Z, Y)
        L.backward()
        assert value == L.data and list(grad_z) == [v.grad for v in Z[0]]
    assert step([1e17, 1e17, 1e17], [1.0, 0.0, 0.0])[0] == pytest.approx(math.log(3.0), rel=1e-15)


@pytest.mark.parametrize("constant_target", [True, False], ids=["numbers", "Values"])
def test_ordinary_logits_and_probability_targets_agree_with_the_tensor_engine(constant_target):
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 5)) * 3
    y = rng.random(size=(4, 5)) * (rng.random(size=(4, 5)) < 0.6)
    y[:, 0] += 0.1                                             # no row of zeros
    y /= y.sum(axis=1, keepdims=True)
    y[0] *= 1 + 4e-7                                           # a row summing to 1 within the 1e-6 allowed
    Z = values(z)
    T = y if constant_target else values(y)
    loss = losses.cross_entropy(Z, T)
    loss.backward()
    x, t = Tensor(z, requires_grad=True), Tensor(y, requires_grad=not constant_target)
    expected = losses.cross_entropy(x, t)
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-14)
    np.testing.assert_allclose([[v.grad for v in row] for row in Z], x.grad, rtol=1e-12, atol=1e-16)
    if not constant_target:                                    # -log p_k / N: ln sum_j e^(d_j) - d_k, to the
        #                                                        logits' own rounding (an ulp of 9 is 1.8e-15)
        np.testing.assert_allclose([[v.grad for v in row] for row in T], t.grad, rtol=1e-13, atol=1e-15)
