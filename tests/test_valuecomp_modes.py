"""backward() of a Value that no_grad() kept from recording: refused by name, as for a Tensor (and in PyTorch)."""

import pytest

from autograd import Value, no_grad
from autograd.value import weighted_sum


@pytest.mark.parametrize("create_graph", [False, True])
def test_backward_of_a_value_computed_inside_no_grad_is_refused_naming_no_grad(create_graph):
    x = Value(2.0)
    with no_grad():
        y = x * x + 1.0
    with pytest.raises(RuntimeError, match=r"'\+' op.*no_grad\(\)"):
        y.backward(create_graph=create_graph)                   # x.grad stayed 0.0 where d/dx (x^2 + 1) = 4
    assert x.grad == 0.0


def test_backward_of_a_weighted_sum_of_numbers_only_is_refused():
    with pytest.raises(RuntimeError, match="weighted_sum"):
        weighted_sum([2.0], [3.0], 1.0).backward()


def test_backward_inside_no_grad_of_a_graph_built_outside_still_differentiates():
    x = Value(2.0)
    y = x * x + 1.0
    with no_grad():
        y.backward()
    assert x.grad == 2 * 2.0                                    # d/dx (x^2 + 1) = 2x


def test_backward_of_a_leaf_seeds_it():
    x = Value(2.0)
    x.backward()
    x.backward(2.0)
    assert x.grad == 3.0                                        # dx/dx = 1, seeds 1 and 2 accumulate


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("odd", [None, "0"])
def test_backward_into_a_leaf_whose_grad_is_not_a_number_names_the_leaf_and_zero_grad(odd, create_graph):
    x = Value(2.0, label="w")
    x.grad = odd                                                # PyTorch's p.grad = None, by habit
    with pytest.raises(TypeError, match=r"'w'.*\.grad = .*zero_grad\(\)"):
        (x * x).backward(create_graph=create_graph)
    x.zero_grad()
    (x * x).backward()
    assert x.grad == 2 * 2.0                                    # d/dx x^2 = 2x, once reset
