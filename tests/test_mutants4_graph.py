"""Mutation testing, fourth round: autograd.graph. detect_anomaly() leaves no_grad() on, a decorated generator
keeps its mode when an exception is thrown into it, zero_grad refuses one Tensor (which it would walk row by row),
a pickle made while another is being written holds its whole graph, a deep copy of a detached Tensor owns its
numbers (a change to it is no change of the original), tag() takes its scope as one tuple, and a Tensor's name
is in anomaly messages."""

import copy
import pickle

import numpy as np
import pytest

from autograd import Tensor, Value, detect_anomaly, is_grad_enabled, no_grad
from autograd.graph import describe, scope_of, tag, zero_grad


def test_detect_anomaly_inside_no_grad_leaves_grad_off():
    w = Value(2.0)
    with no_grad(), detect_anomaly():
        assert not is_grad_enabled()
        y = w * 3
    assert y.parents == ()


def test_a_decorated_generator_keeps_its_mode_when_an_exception_is_thrown_into_it():
    @no_grad()
    def steps():
        try:
            yield is_grad_enabled()
        except ValueError:
            yield is_grad_enabled()

    g = steps()
    assert next(g) is False
    assert g.throw(ValueError) is False


def test_zero_grad_refuses_one_tensor_instead_of_walking_its_rows():
    t = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    with pytest.raises(TypeError, match=r"zero_grad: takes a list of nodes, got one Tensor; write zero_grad\(\[v\]\)"):
        zero_grad(t)


class _PickledAgain:
    """An object whose pickle holds a pickle of ``node``, made while the outer pickle is being written."""

    def __init__(self, node):
        self.node = node

    def __reduce__(self):
        return pickle.loads, (pickle.dumps(self.node),)


def test_a_pickle_made_inside_another_holds_the_whole_deep_graph():
    # the inner pickle starts its own record: the outer one's nodes are not in it, and a chain of 3000 nodes listed
    # nowhere would be pickled inside its child's state, one level of recursion a node
    x = Value(1.0)
    y = x
    for _ in range(3000):
        y = y * 1.0
    outer, inner = pickle.loads(pickle.dumps([y, _PickledAgain(y)]))
    inner.backward()
    assert inner.data == 1.0 and outer.data == 1.0
    leaves = [n for n in _ancestors(inner) if not n.parents]
    assert len(leaves) == 1 and leaves[0].grad == 1.0


def _ancestors(node):
    seen, stack = {id(node): node}, [node]
    while stack:
        for p in stack.pop().parents:
            if id(p) not in seen:
                seen[id(p)] = p
                stack.append(p)
    return list(seen.values())


def test_a_deep_copy_of_a_detached_tensor_owns_its_numbers():
    w = Tensor([1.0, 2.0], requires_grad=True)
    x = Tensor([3.0, 4.0], requires_grad=True)
    loss = (x * w).sum()
    d = copy.deepcopy(w.detach())
    with no_grad():
        d -= 1.0                                  # its own array: w and the graph that read w are unchanged
    assert w.data.tolist() == [1.0, 2.0]
    loss.backward()
    assert x.grad.tolist() == [1.0, 2.0]


def test_tag_takes_a_scope_given_as_one_tuple():
    assert scope_of(tag(Value(1.0) * 2, ("layers.1", "neurons.0"))) == ("layers.1", "neurons.0")
    assert scope_of(tag(Value(1.0) * 2, "layers.1", "neurons.0")) == ("layers.1", "neurons.0")


def test_a_tensors_name_is_in_the_description_anomaly_messages_use():
    assert describe(Tensor(np.ones(2), requires_grad=True, name="w")) == "'leaf' node 'w'"
