"""The elementwise functions of autograd/tensor/functions.py at their edges, checked against numpy and by hand."""

import numpy as np
import pytest

from autograd import Tensor, grad, maximum, minimum, no_grad


def test_clip_takes_a_tensor_bound_that_needs_no_gradient_as_its_numbers_as_torch_clamp_does():
    # it was refused with "cannot combine a Tensor with Tensor ...; use a Tensor, a number or a real numpy array"
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    lo = Tensor([1.5, 1.5, 0.5])
    y = x.clip(lo, 2.5)
    assert y.data.tolist() == np.clip([1.0, 2.0, 3.0], [1.5, 1.5, 0.5], 2.5).tolist()
    (g,) = grad(y.sum(), [x])
    assert g.data.tolist() == [0.0, 1.0, 0.0]                      # 1 where lo <= x <= hi, else 0
    assert np.clip(x, lo, 2.5).data.tolist() == y.data.tolist()     # numpy's name for it


def test_clip_refuses_a_bound_that_requires_grad_and_names_maximum_and_minimum_which_differentiate_it():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    hi = Tensor([2.5, 2.5, 2.5], requires_grad=True)
    with pytest.raises(TypeError, match=r"clip: hi is a Tensor that requires grad.*maximum\(x, lo\).*minimum"):
        x.clip(0.0, hi)
    y = minimum(maximum(x, 0.0), hi)                                # the way the message points to
    (g,) = grad(y.sum(), [hi])
    assert g.data.tolist() == [0.0, 0.0, 1.0]
    with no_grad():                                                 # nothing is recorded: nothing to lose
        assert x.clip(0.0, hi).data.tolist() == [1.0, 2.0, 2.5]
