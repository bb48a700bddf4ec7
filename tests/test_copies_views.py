"""A view of a leaf shares the leaf's changes in place (core._link_view): a graph that read the view refuses to
differentiate after the leaf changed. A copy of a leaf (copy.deepcopy, pickle) is a leaf of its own, and its views
must be linked to it as well: they were not (the copy's source was left unset, read as "a computed array"), and
backward() used the changed numbers silently."""

import copy
import pickle

import numpy as np
import pytest

from autograd import Tensor, no_grad

COPIES = {"itself": lambda w: w, "copy.deepcopy": copy.deepcopy, "pickle": lambda w: pickle.loads(pickle.dumps(w))}


@pytest.mark.parametrize("make", COPIES.values(), ids=COPIES.keys())
def test_a_view_of_a_copied_leaf_refuses_backward_after_the_copy_changes_in_place(make):
    W = make(Tensor([1.0, 2.0, 3.0], requires_grad=True, name="W"))
    x = Tensor([1.0, 1.0, 1.0], requires_grad=True)
    with no_grad():
        view = W.reshape(3)                     # made outside the graph: only its link to W can tell
    loss = (view * x).sum()
    with no_grad():
        W -= 1.0
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


@pytest.mark.parametrize("make", COPIES.values(), ids=COPIES.keys())
def test_the_copy_differentiates_as_the_leaf_when_nothing_changed(make):
    W = make(Tensor([1.0, 2.0, 3.0], requires_grad=True))
    x = Tensor([0.5, -1.0, 2.0], requires_grad=True)
    with no_grad():
        view = W.reshape(3)
    (view * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0, 3.0])   # d/dx of sum(W x) is W


def test_a_copy_does_not_share_the_originals_changes():
    W = Tensor([1.0, 2.0], requires_grad=True)
    W2 = copy.deepcopy(W)
    x = Tensor([1.0, 1.0], requires_grad=True)
    loss = (W2 * x).sum()
    with no_grad():
        W -= 1.0                                # the original, not the copy
    loss.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0])
