"""LBFGS reads every parameter's .grad into one flat direction. A .grad assigned by hand of another shape than its
Tensor was raveled into it: a (1,) gradient of a (3,) weight made a direction of one entry, which the flat point
of three then broadcast, moving every entry by the same step. It is refused by name, as SGD and Adam refuse it;
and a move refused for one parameter moves none."""

import numpy as np
import pytest

from autograd import Tensor
from nn import LBFGS
from tests.messages import raises


@pytest.mark.parametrize("wrong", [np.array([1.0]), np.float64(1.0), np.ones((3, 1))])
def test_a_grad_of_another_shape_is_refused_and_nothing_moves(wrong):
    w = Tensor([1.0, 2.0, 3.0], requires_grad=True, name="w")
    opt = LBFGS([w], lr=0.5)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        w.grad = wrong                                    # by hand, of another shape
        return loss

    with raises(ValueError, "LBFGS", "parameter 0 (w)", "(3,)", "shape"):
        opt.step(closure)
    np.testing.assert_array_equal(w.data, [1.0, 2.0, 3.0])


def test_the_right_shape_by_hand_still_steps_along_it():
    w = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    opt = LBFGS([w], lr=0.5, max_iter=1, line_search_fn=None)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        w.grad = np.array([1.0, 0.0, 0.0])                 # a direction of the caller's own
        return loss

    opt.step(closure)
    # the first L-BFGS step is lr * min(1, 1/|g|_1) * -g (as torch's): 0.5 * 1 * (1, 0, 0) off w
    np.testing.assert_array_equal(w.data, [0.5, 2.0, 3.0])


def test_a_move_refused_for_one_parameter_moves_none():
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    b = Tensor([3.0], requires_grad=True, name="b")
    b.data.flags.writeable = False                     # its move is refused: the others must not have moved
    opt = LBFGS([a, b], lr=0.5, max_iter=1, line_search_fn=None)

    def closure():
        opt.zero_grad()
        loss = (a * a).sum() + (b * b).sum()
        loss.backward()
        return loss

    with pytest.raises(ValueError, match="-="):
        opt.step(closure)
    np.testing.assert_array_equal(a.data, [1.0, 2.0])
    np.testing.assert_array_equal(b.data, [3.0])
