"""Mutation testing, fifth round: nn.checks, through the classes that call it. A bool is no real number for a
hyperparameter (True would be momentum 1.0, where SGD's momentum must stay below 1)."""

import numpy as np
import pytest

from autograd import Value
from nn.optim import LBFGS, SGD, Adam


@pytest.mark.parametrize("make, name", [
    (lambda w: SGD([w], lr=0.1, momentum=True), "SGD: momentum"),
    (lambda w: SGD([w], lr=0.1, weight_decay=np.bool_(False)), "SGD: weight_decay"),
    (lambda w: Adam([w], eps=True), "Adam: eps"),
    (lambda w: Adam([w], betas=(True, 0.999)), r"Adam: betas\[0\]"),
    (lambda w: LBFGS([w], tolerance_grad=True), "LBFGS: tolerance_grad"),
], ids=["momentum", "weight_decay", "eps", "beta1", "tolerance_grad"])
def test_a_bool_hyperparameter_is_refused_as_no_real_number(make, name):
    with pytest.raises(TypeError, match=rf"^{name} must be a real number, got (np\.)?(True|False_?) \(bool\)"):
        make(Value(1.0))


def test_an_array_of_sizes_with_two_axes_is_named_by_its_shape():
    from nn import MLP
    with pytest.raises(TypeError, match=r"^MLP: sizes must be a list of whole numbers, got an array of shape \(1, 3\)"):
        MLP(np.array([[2, 3, 1]]))
