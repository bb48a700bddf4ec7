"""An optimizer's step moves every parameter or none: a bad ``.grad`` found on the k-th parameter (of another
shape, not real numbers) raises with the earlier parameters, and the optimizer's state (velocities, moments,
step counts), as they were, so that the step can be taken again once the gradient is fixed. The same holds for
``subtract_in_place``, which the optimizers move Tensors with."""

import numpy as np
import pytest

from autograd import Tensor, Value
from autograd.tensor import subtract_in_place
from nn import SGD, Adam


def _tensors(*rows):
    return [Tensor(np.array(r, dtype=np.float64), requires_grad=True, name=f"w{i}") for i, r in enumerate(rows)]


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: SGD(ps, lr=0.1, weight_decay=0.01), lambda ps: Adam(ps, lr=0.1)],
                         ids=["sgd", "momentum", "decay", "adam"])
@pytest.mark.parametrize("bad", ["shape", "complex"])
def test_a_step_that_refuses_the_last_gradient_moves_no_parameter_and_keeps_the_state(make, bad):
    w0, w1, w2 = _tensors([1.0, 2.0], [3.0, -1.0], [0.5, 0.25])
    grads = [np.array([0.5, -0.5]), np.array([1.0, 2.0])]
    w0.grad, w1.grad = (g.copy() for g in grads)
    w2.grad = np.ones(3) if bad == "shape" else np.array([1 + 1j, 2.0])   # another shape; not real numbers
    opt = make([w0, w1, w2])
    loss = (w0 * w1).sum()                                      # a graph made before the step
    with pytest.raises((ValueError, TypeError)):
        opt.step()
    assert w0.data.tolist() == [1.0, 2.0] and w1.data.tolist() == [3.0, -1.0] and w2.data.tolist() == [0.5, 0.25]
    loss.backward()                                             # nothing moved: the graph still differentiates
    # the gradient fixed, the step is the first one: compared with a fresh optimizer on fresh parameters
    w0.grad, w1.grad, w2.grad = (g.copy() for g in grads + [np.array([1.0, 2.0])])
    fresh = _tensors([1.0, 2.0], [3.0, -1.0], [0.5, 0.25])
    for f, g in zip(fresh, grads + [np.array([1.0, 2.0])]):
        f.grad = g.copy()
    opt.step()
    make(fresh).step()
    for w, f, start in zip((w0, w1, w2), fresh, ([1.0, 2.0], [3.0, -1.0], [0.5, 0.25])):
        np.testing.assert_array_equal(w.data, f.data)
        assert not np.array_equal(w.data, start)                # the step did move it


def test_sgd_moves_by_hand_formula_after_a_refused_step_with_momentum():
    # v <- 0.9 v + g, p <- p - 0.1 v: a refused step must not have added g into v
    (w,) = _tensors([1.0])
    (u,) = _tensors([2.0])
    opt = SGD([w, u], lr=0.1, momentum=0.9)
    w.grad, u.grad = np.array([1.0]), np.ones(2)               # u's gradient has the wrong shape
    with pytest.raises(ValueError, match=r"parameter 1 .* has shape \(1,\) but its \.grad has shape \(2,\)"):
        opt.step()
    u.grad = np.array([3.0])
    opt.step()                                                  # v = g: w = 1 - 0.1, u = 2 - 0.3
    opt.step()                                                  # v = 0.9 g + g: w = 0.9 - 0.19, u = 1.7 - 0.57
    assert w.data.tolist() == [(1.0 - 0.1 * 1.0) - 0.1 * (0.9 * 1.0 + 1.0)]
    assert u.data.tolist() == [(2.0 - 0.1 * 3.0) - 0.1 * (0.9 * 3.0 + 3.0)]


@pytest.mark.parametrize("opt_class", [SGD, Adam])
def test_a_value_before_a_refused_tensor_does_not_move(opt_class):
    a = Value(1.5)
    a.grad = 2.0
    (w,) = _tensors([1.0, 2.0])
    w.grad = np.ones(3)
    opt = opt_class([a, w], lr=0.1)
    with pytest.raises(ValueError, match="has shape"):
        opt.step()
    assert a.data == 1.5 and w.data.tolist() == [1.0, 2.0]
    w.grad = np.ones(2)
    opt.step()
    expected = 1.5 - 0.1 * 2.0 if opt_class is SGD else 1.5 - 0.1 * 2.0 / (2.0 + 1e-8)   # Adam: lr g / (|g| + eps)
    assert a.data == expected


@pytest.mark.parametrize("opt_class", [SGD, Adam])
def test_a_value_whose_gradient_is_not_a_number_moves_no_earlier_parameter(opt_class):
    a, b = Value(1.0), Value(2.0)
    (w,) = _tensors([1.0, 2.0])
    a.grad, w.grad, b.grad = 1.0, np.ones(2), np.array([1.0, 2.0])   # b's: two numbers for one Value
    with pytest.raises(TypeError):
        opt_class([a, w, b], lr=0.1).step()
    assert a.data == 1.0 and b.data == 2.0 and w.data.tolist() == [1.0, 2.0]


def test_adam_refused_step_keeps_moments_and_step_counts():
    w0, w1 = _tensors([1.0, 2.0], [3.0, 4.0])
    opt = Adam([w0, w1], lr=0.1)
    w0.grad, w1.grad = np.array([0.5, 0.5]), np.ones(5)
    with pytest.raises(ValueError):
        opt.step()
    assert opt.t == 0 and opt._t == [0, 0] and opt._m == [0.0, 0.0] and opt._v == [0.0, 0.0]


def test_subtract_in_place_checks_every_pair_before_it_moves_one():
    w, v = _tensors([1.0, 2.0], [1.0, 2.0])
    loss = (w * v).sum()
    with pytest.raises(ValueError, match=r"-=.*\(3, 2\).*\(2,\)"):
        subtract_in_place([w, v], [np.ones(2), np.ones((3, 2))])   # v's delta does not broadcast
    with pytest.raises(TypeError, match="cannot combine a Tensor with ndarray"):
        subtract_in_place([w, v], [np.ones(2), np.ones(2) * 1j])
    with pytest.raises(TypeError, match=r"cannot subtract a Tensor of complex128"):
        t = Tensor([0.0, 0.0])
        t.data = np.ones(2) * 1j                               # a .data replaced by hand
        subtract_in_place([w, v], [np.ones(2), t])
    with pytest.raises(TypeError, match="item 1 is not a parameter"):
        subtract_in_place([w, w * 2], [np.ones(2), 0.0])
    v.data = np.array([1.0, 2.0])
    v.data.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        subtract_in_place([w, v], [np.ones(2), np.ones(2)])
    assert w.data.tolist() == [1.0, 2.0] and v.data.tolist() == [1.0, 2.0]
    v.data = np.array([1.0, 2.0])                              # the same numbers, a writable array
    loss.backward()                                            # nothing moved: the graph still differentiates
    assert w.grad.tolist() == [1.0, 2.0]
    subtract_in_place([w, v], [np.ones(2), np.array([0.5])])   # a row that broadcasts is fine
    assert w.data.tolist() == [0.0, 1.0] and v.data.tolist() == [0.5, 1.5]
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()                                        # and each change counts
