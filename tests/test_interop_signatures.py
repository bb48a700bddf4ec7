"""numpy functions on a Tensor honour every argument numpy's own signature takes, or refuse it by name: never a
keyword read and silently dropped."""

from __future__ import annotations

import numpy as np
import pytest
from draws import leaf

from autograd import Tensor


@pytest.mark.parametrize("copy", [True, False])
def test_np_reshape_refuses_a_copy_promise_it_cannot_keep(copy):
    # a Tensor's reshape may share its base's array (copy=True broken) or copy it (copy=False broken)
    with pytest.raises(TypeError, match="np.reshape on a Tensor takes no copy"):
        np.reshape(leaf((2, 3)), (3, 2), copy=copy)


def test_np_reshape_with_copy_none_is_numpys_reshape():
    x = leaf((2, 3))
    y = np.reshape(x, (3, 2), copy=None)
    np.testing.assert_array_equal(y.data, np.reshape(x.data, (3, 2)))
    (y * np.arange(6.0).reshape(3, 2)).sum().backward()
    np.testing.assert_array_equal(x.grad, np.arange(6.0).reshape(2, 3))    # dL/dx = w, read in x's own order


@pytest.mark.parametrize("call", [
    lambda t: np.clip(t, -1.0, 1.0, max=0.5), lambda t: np.clip(t, -1.0, None, min=0.0),
], ids=["a_max-and-max", "a_min-and-min"])
def test_np_clip_refuses_a_bound_given_twice_instead_of_dropping_one(call):
    with pytest.raises(ValueError, match="np.clip: a bound given twice"):
        call(leaf((3,)))


@pytest.mark.parametrize("call", [
    lambda t: np.clip(t, -0.5, 0.5), lambda t: np.clip(t, min=-0.5, max=0.5),
    lambda t: np.clip(t, None, 0.5), lambda t: np.clip(t, max=0.5),
], ids=["positions", "names", "upper", "upper-by-name"])
def test_np_clip_takes_its_bounds_either_way_as_numpy_does(call):
    x = Tensor(np.array([-2.0, -0.25, 0.25, 2.0]), requires_grad=True)
    y = call(x)
    np.testing.assert_array_equal(y.data, call(x.data))
    y.sum().backward()
    inside = (call(x.data) == x.data).astype(float)               # dy/dx = 1 where x was not clipped, 0 where it was
    np.testing.assert_array_equal(x.grad, inside)
