"""Mutation testing, fifth round: autograd.tensor.backward (versions, the sweep, the ownership of gradients). A
change in place through a view of a detached view (whose array's base is the base of its source's array, not the
source's array itself) is a change of that source: backward() refuses a graph that read it before."""

import numpy as np
import pytest

from autograd import Tensor, no_grad


def test_a_change_through_a_view_of_a_detached_view_refuses_the_graph_that_read_the_view():
    w = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = w[0:2]                                        # a view of w's array
    y = (v * v).sum()                                 # the graph reads v = (1, 2)
    e = v.detach()[0:1].requires_grad_()              # numpy: e's array's base is w's array, not v's (a view)
    with no_grad():
        e -= 1.0                                      # writes w's array: v is (0, 2) now
    assert w.data.tolist() == [0.0, 2.0, 3.0]
    with pytest.raises(RuntimeError, match=r"parent #0 of the '\*' node\) was changed in place after the forward"):
        y.backward()
    assert w.grad is None
    np.testing.assert_array_equal(v.data, [0.0, 2.0])


def test_a_change_in_place_right_after_the_node_was_made_refuses_its_backward():
    # the change takes the very next stamp after the node's: 'changed after' must count a difference of one
    w = Tensor([1.0, 2.0], requires_grad=True)
    y = w * w
    with no_grad():
        w -= 1.0
    with pytest.raises(RuntimeError, match=r"parent #0 of the '\*' node\) was changed in place after the forward"):
        y.backward(np.ones(2))
    assert w.grad is None


def test_order_lists_each_node_once_however_often_it_is_used():
    # y = y + y twenty times: 2^20 paths from the root to x; each of the 20 nodes must be listed (and run) once
    from autograd.tensor.backward import order
    x = Tensor([1.0], requires_grad=True)
    y, made = x, []
    for _ in range(20):
        y = y + y
        made.append(y)
    assert order(y) == made[::-1]                      # latest made first
    y.backward()
    assert x.grad.tolist() == [2.0**20]


def test_two_gradients_meeting_at_a_node_are_summed_into_a_new_array_not_into_the_callers_seed():
    # '+' hands its g to both parents; here both are h: the second one must not be added into g in place, which is
    # the caller's array
    x = Tensor([1.0, -2.0], requires_grad=True)
    h = x * 2.0
    seed = np.array([1.0, 0.5])
    (h + h).backward(seed)
    assert seed.tolist() == [1.0, 0.5]
    np.testing.assert_array_equal(x.grad, 4.0 * seed)                # d/dx sum(seed * 4x)


def test_a_leafs_grad_is_never_the_callers_seed_array():
    # '+ 1.0' hands g itself back: the caller's array, which the leaf must copy before keeping it as its .grad
    x = Tensor([1.0, -2.0], requires_grad=True)
    seed = np.array([1.0, 0.5])
    (x + 1.0).backward(seed)
    assert not np.shares_memory(x.grad, seed)
    seed[:] = 7.0
    assert x.grad.tolist() == [1.0, 0.5]


def test_two_leaves_handed_one_large_gradient_get_arrays_of_their_own():
    # past 4096 entries backward() proves instead of copying that a view of g may be kept: '+' gives g to a and b,
    # and one array kept by both would make a's next accumulation b's too
    n = 5000
    a, b = Tensor(np.ones(n), requires_grad=True), Tensor(np.ones(n), requires_grad=True)
    c = np.linspace(0.5, 1.5, n)
    ((a + b) * c).sum().backward()
    assert not np.shares_memory(a.grad, b.grad)
    ((a * 3.0) * c).sum().backward()                  # into a.grad alone: a.grad = 4c, b.grad stays c
    np.testing.assert_array_equal(b.grad, c)
    np.testing.assert_array_equal(a.grad, c + 3.0 * c)


def test_a_leafs_own_backward_keeps_a_copy_of_the_callers_seed():
    x = Tensor([1.0, -2.0], requires_grad=True)
    seed = np.array([1.0, 0.5])
    x.backward(seed)                                  # a leaf: its gradient is the seed, copied
    seed[:] = 7.0
    assert x.grad.tolist() == [1.0, 0.5]


def test_grad_of_one_output_listed_twice_adds_both_seeds():
    # autograd.grad differentiates sum_k sum(g_k * out_k): out listed twice counts twice, as in torch.autograd.grad
    from autograd import grad
    x = Tensor([1.5, -2.0], requires_grad=True)
    y = x * x
    for create_graph in (False, True):
        (dx,) = grad([y, y], [x], [np.ones(2), np.full(2, 0.5)], create_graph=create_graph)
        np.testing.assert_array_equal(dx.data, 1.5 * 2 * x.data)


def test_backward_with_create_graph_adds_into_the_grad_already_held_and_keeps_a_retained_nodes():
    x = Tensor([1.5, -2.0], requires_grad=True)
    h = (x * x).retain_grad()
    (h * 3.0).sum().backward(create_graph=True)       # dL/dh = 3, dL/dx = 6x
    np.testing.assert_array_equal(h.grad.data, [3.0, 3.0])
    (x * 2.0).sum().backward(create_graph=True)       # + 2
    np.testing.assert_array_equal(x.grad.data, 6 * x.data + 2.0)


def test_differentiating_a_graph_whose_leaf_changed_in_place_is_refused_with_create_graph_too():
    from autograd import grad
    w = Tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    with no_grad():
        w -= 0.5
    for create_graph in (False, True):
        with pytest.raises(RuntimeError, match=r"was changed in place after the forward pass used it"):
            grad(y, [w], create_graph=create_graph)


def test_a_reduction_of_a_grad_is_a_number_and_zero_fills_the_grad_itself():
    w = Tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    total = w.grad.sum()
    assert not isinstance(total, np.ndarray) and total == 6.0          # a number, as numpy's sum of an array
    held = w.grad
    assert held.zero_() is held and w.grad is held and w.grad.tolist() == [0.0, 0.0]


def test_detect_anomaly_does_not_blame_a_sum_for_a_nan_the_grad_already_held():
    from autograd import detect_anomaly
    x = Tensor([1.0, 2.0], requires_grad=True)
    x.grad = np.array([np.nan, 0.0])                  # assigned by hand: the NaN was not born in this backward
    with detect_anomaly():
        x.backward(np.array([1.0, 1.0]))
    assert np.isnan(x.grad[0]) and x.grad[1] == 1.0
