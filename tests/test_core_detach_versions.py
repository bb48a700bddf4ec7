"""A detached Tensor shares its array with its source: a change in place through either one is a change of both,
so a graph that read the array before the change refuses to differentiate (PyTorch's detach shares the version
counter too). Before the core audit the change was seen only on the Tensor it was made through, and backward()
computed the gradient from the new numbers without a word."""

import copy
import pickle

import numpy as np
import pytest

from autograd import Tensor, no_grad
from autograd.tensor import subtract_in_place


def _x():
    return Tensor([3.0, 4.0], requires_grad=True, name="x")


@pytest.mark.parametrize("how", ["-=", "*=", "subtract_in_place"])
def test_a_weight_changed_after_its_detached_copy_was_used_refuses_backward(how):
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    x = _x()
    loss = (x * w.detach()).sum()                          # d loss/dx = w as the forward pass saw it: [1, 2]
    with no_grad():
        if how == "-=":
            w -= 1.0
        elif how == "*=":
            w *= 5.0
    if how == "subtract_in_place":
        subtract_in_place([w], [1.0])
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()
    assert x.grad is None


def test_a_change_through_the_detached_copy_is_a_change_of_its_source():
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    x = _x()
    loss = (x * w).sum()
    d = w.detach().requires_grad_()                        # PyTorch's idiom for a new leaf on the same numbers
    with no_grad():
        d -= 1.0                                           # w's array too
    assert w.data.tolist() == [0.0, 1.0]
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_a_change_through_one_detached_copy_reaches_a_graph_of_another():
    w = Tensor([1.0, 2.0], requires_grad=True)
    d1, d2 = w.detach().requires_grad_(), w.detach().detach()
    x = _x()
    loss = (x * d2).sum()
    with no_grad():
        d1 *= 3.0
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_a_copy_of_a_weight_shares_its_changes_too():
    w = Tensor([1.0, 2.0], requires_grad=True)
    x = _x()
    loss = (x * copy.copy(w)).sum()                        # copy.copy shares the array (deepcopy does not)
    with no_grad():
        w -= 1.0
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_a_change_before_the_forward_pass_or_of_another_array_is_no_change():
    # the gradients are the numbers the forward pass saw: x.grad = d(sum x w)/dx = w, by hand
    w = Tensor([1.0, 2.0], requires_grad=True)
    d = w.detach()
    with no_grad():
        w -= 1.0                                           # before the forward pass: fine
    x = _x()
    loss = (x * d).sum()
    other = d.detach().requires_grad_()
    other.data = other.data.copy()                         # its own array now: its changes are its own
    with no_grad():
        other -= 10.0
    loss.backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0])
    np.testing.assert_array_equal(w.data, [0.0, 1.0])


def test_a_detached_tensor_pickles_as_the_numbers_alone():
    h = Tensor([1.0, 2.0], requires_grad=True) * 2.0       # a graph, which pickle refuses
    d = pickle.loads(pickle.dumps(h.detach()))
    np.testing.assert_array_equal(d.data, [2.0, 4.0])
    assert not d.requires_grad and d.is_leaf


def test_a_detached_result_does_not_keep_its_graph_alive():
    import gc
    import weakref

    x = Tensor(np.ones(3), requires_grad=True)
    h = (x * 2.0).sum()
    kept = h.detach()
    node = weakref.ref(h)
    del h
    gc.collect()
    assert node() is None                                  # only the numbers are kept
    assert kept.item() == 6.0


@pytest.mark.parametrize("view", [lambda w: w.expand(2, -1), lambda w: w.flip(0), lambda w: w[1:],
                                  lambda w: w.reshape(3, 1), lambda w: w.T, lambda w: w.reshape(3, 1).T[:, 1:]])
def test_a_view_made_under_no_grad_sees_its_bases_change_in_place(view):
    # the view shares w's array: after w -= 10, backward() computed v.grad from the new numbers without a word
    w = Tensor(np.arange(1.0, 4.0), requires_grad=True)
    with no_grad():
        y = view(w)
    v = Tensor(np.ones(y.shape), requires_grad=True)
    loss = (y * v).sum()
    with no_grad():
        w -= 10.0
    with pytest.raises(RuntimeError, match="changed in place after the forward pass used it"):
        loss.backward()
    assert v.grad is None


def test_a_recorded_view_refuses_before_any_gradient_is_written():
    # the expand node itself is checked, but only after the '*' node had written v.grad from the new numbers
    w = Tensor(np.arange(1.0, 4.0), requires_grad=True)
    v = Tensor(np.ones((2, 3)), requires_grad=True)
    loss = (w.expand(2, -1) * v).sum()
    with no_grad():
        w -= 10.0
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()
    assert v.grad is None and w.grad is None


def test_a_view_of_a_weight_changed_before_the_graph_was_built_is_read_as_it_is_now():
    # a view kept across steps (made once under no_grad) reads the weight's current numbers: no refusal
    w = Tensor(np.arange(1.0, 4.0), requires_grad=True)
    with no_grad():
        y = w.expand(2, -1)
        w -= 10.0
    v = Tensor(np.ones((2, 3)), requires_grad=True)
    (y * v).sum().backward()
    np.testing.assert_array_equal(v.grad, np.broadcast_to(np.arange(1.0, 4.0) - 10.0, (2, 3)))
