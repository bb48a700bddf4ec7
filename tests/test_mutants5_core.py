"""Mutation testing, fifth round: autograd.tensor.core (TensorCore, make, backward's entry, versions). A leaf
unpickled with stamps of another process's clock (later than this one's) is born now, unchanged since: backward()
through a graph made from it here works, where the old stamps made it look changed after the graph read it."""

import pickle
import re

import numpy as np
import pytest

from autograd import Tensor, no_grad
from autograd.tensor.backward import next_stamp


def test_a_leaf_pickled_with_a_later_clock_than_this_processs_differentiates_here():
    w = Tensor([1.5, -2.0], requires_grad=True)
    later = next_stamp() + 10**9                      # another process, a billion nodes on: its stamps, kept
    w._born, w._changed = later, later                # in the pickle, are beyond any this process has made
    w2 = pickle.loads(pickle.dumps(w))
    loss = (w2 * w2).sum()
    other = Tensor([0.0], requires_grad=True)
    with no_grad():
        other -= 1.0                                  # a change in place elsewhere: backward() checks the stamps
    loss.backward()                                   # d/dw sum w^2 = 2 w
    np.testing.assert_array_equal(w2.grad, 2 * np.array([1.5, -2.0]))


@pytest.mark.parametrize("shape", [(3, 2), (6,), (1, 6)])
def test_backward_refuses_a_grad_of_the_same_size_but_another_shape(shape):
    # the seed's numbers would pair with the wrong entries (a transposed seed gives a silently wrong gradient)
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = x * 2.0
    with pytest.raises(ValueError, match=rf"backward\(\): grad has shape {re.escape(str(shape))} but the Tensor has "
                                         r"shape \(2, 3\); they must be equal"):
        y.backward(np.ones(shape))
    assert x.grad is None


def test_requires_grad_false_on_a_computed_tensor_is_refused_not_ignored():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3.0
    with pytest.raises(RuntimeError, match=r"requires_grad_\(False\): only a leaf's flag can be changed.*'\*'"):
        y.requires_grad_(False)
    assert y.requires_grad and y.requires_grad_(True) is y


def test_requires_grad_false_on_a_constant_does_not_make_it_a_frozen_weight_of_a_module():
    # only a weight switched off is frozen (kept in state_dict and files); a Tensor that never required grad is
    # no weight, whatever requires_grad_(False) is called on it
    from nn import MLP
    model = MLP([2, 3], seed=0)
    model.mask = Tensor([1.0, 0.0, 1.0]).requires_grad_(False)
    model.layers[0].bias.requires_grad_(False)                 # a weight switched off: still in the state dict
    assert sorted(model.state_dict()) == ["layers.0.bias", "layers.0.weight"]


_ARRAYS = [np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 1.0])]       # a tie, a smaller and a larger entry


@pytest.mark.parametrize("name", ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"])
def test_each_comparison_gives_numpys_boolean_array_at_ties_too(name):
    a, b = _ARRAYS
    compare = getattr(np.ndarray, name)
    for other in (Tensor(b), b, 2.0):
        np.testing.assert_array_equal(getattr(Tensor(a), name)(other), compare(a, np.asarray(other)))


def test_backward_with_create_graph_keeps_the_seed_tensors_graph():
    # x.grad = 2 x g is a Tensor of x and of the seed g: d/dg sum(x.grad) = 2 x, d/dx sum(x.grad) = 2 g
    x = Tensor([1.5, -2.0], requires_grad=True)
    g = Tensor([0.5, 3.0], requires_grad=True)
    (x * x).backward(g, create_graph=True)
    first = x.grad
    x.grad = None
    first.sum().backward()
    np.testing.assert_array_equal(g.grad, 2 * np.array([1.5, -2.0]))
    np.testing.assert_array_equal(x.grad, 2 * np.array([0.5, 3.0]))


def test_item_is_a_python_float_also_of_a_data_replaced_by_integers():
    t = Tensor([2.0])
    t.data = np.array([3])                            # replaced by hand: int64
    assert type(t.item()) is float and t.item() == 3.0 and type(Tensor([2.0]).item()) is float
