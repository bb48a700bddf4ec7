"""Hostile shape ops: transpose's axes given as numpy accepts them (an integer array, None) or as numpy refuses them
(an empty tuple on a Tensor with axes). Values against numpy on the same data, gradients against central
differences."""

from __future__ import annotations

import numpy as np
import pytest
from draws import leaf, normal

from autograd import gradcheck, gradgradcheck


@pytest.mark.parametrize("call", [
    lambda t: t.transpose(()), lambda t: t.transpose([]), lambda t: np.transpose(t, []), lambda t: np.transpose(t, ()),
], ids=["method-()", "method-[]", "np-[]", "np-()"])
def test_empty_axes_are_refused_as_numpy_refuses_them_not_read_as_reversed(call):
    x = leaf((2, 3, 4))
    with pytest.raises(ValueError):
        np.transpose(x.data, ())                  # numpy: "axes don't match array"
    with pytest.raises(ValueError, match=r"transpose: axes \(\) are not a permutation of the 3 axes of shape "
                                         r"\(2, 3, 4\).*pass None"):
        call(x)


@pytest.mark.parametrize("call", [
    lambda t: np.transpose(t, np.array([2, 0, 1])), lambda t: t.transpose(np.array([2, 0, 1])),
    lambda t: t.transpose([2, 0, 1]),
], ids=["np-array", "method-array", "method-list"])
def test_axes_as_an_integer_array_permute_as_in_numpy(call):
    x = leaf((2, 3, 4))
    y = call(x)
    np.testing.assert_array_equal(y.data, np.transpose(x.data, (2, 0, 1)))
    w = normal((4, 2, 3))
    (y * w).sum().backward()
    np.testing.assert_array_equal(x.grad, np.transpose(w, (1, 2, 0)))   # y_kij = x_ijk: dL/dx_ijk = w_kij
    assert gradgradcheck(lambda a: (call(a) ** 3 * w).sum(), [x])


@pytest.mark.parametrize("call", [lambda t: t.transpose(None), lambda t: np.transpose(t, None), lambda t: t.T],
                         ids=["method-None", "np-None", "T"])
def test_none_reverses_the_axes(call):
    x = leaf((2, 3, 4))
    np.testing.assert_array_equal(call(x).data, x.data.transpose())
    assert gradcheck(lambda a: (call(a) * np.arange(24.0).reshape(4, 3, 2)).sum(), [x])


def test_a_number_takes_empty_axes():
    x = leaf(())
    assert np.transpose(x, ()).data == x.data and x.transpose(()).shape == ()
