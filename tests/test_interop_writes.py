"""numpy functions that write a Tensor's numbers into a plain array (np.copyto, np.put, np.add.at, ...) and return
None: on a Tensor that requires grad the array would hold numbers with no way back to the graph, silently. They are
refused by name; with a Tensor that needs no gradient (or under no_grad) they write as numpy does."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, no_grad

IDX = [0, 2]
MASK = np.array([True, False, True])

# the call, writing into the plain array `a` (3 zeros) from the Tensor `t` = [1, 2, 3]; numpy's name for it
WRITES = {
    "copyto": (lambda a, t: np.copyto(a, t), "np.copyto"),
    "put": (lambda a, t: np.put(a, IDX, t[:2]), "np.put"),
    "place": (lambda a, t: np.place(a, MASK, t), "np.place"),
    "putmask": (lambda a, t: np.putmask(a, MASK, t), "np.putmask"),
    "add.at": (lambda a, t: np.add.at(a, IDX, t[:2]), "np.add.at"),
    "maximum.at": (lambda a, t: np.maximum.at(a, IDX, t[:2]), "np.maximum.at"),
    "put_along_axis": (lambda a, t: np.put_along_axis(a, np.array(IDX), t[:2], 0), "np.put_along_axis"),
}


@pytest.mark.parametrize("name", WRITES)
def test_writing_a_tensor_that_requires_grad_into_a_plain_array_is_refused_by_name(name):
    call, numpy_name = WRITES[name]
    a = np.zeros(3)
    with pytest.raises(TypeError, match=rf"{numpy_name}.*requires grad.*t\.detach\(\)"):
        call(a, Tensor([1.0, 2.0, 3.0], requires_grad=True))


@pytest.mark.parametrize("name", WRITES)
def test_writing_a_constant_tensor_into_a_plain_array_does_what_numpy_does(name):
    call, _ = WRITES[name]
    want, a, b = np.zeros(3), np.zeros(3), np.zeros(3)
    call(want, np.array([1.0, 2.0, 3.0]))                       # numpy alone on the same numbers
    call(a, Tensor([1.0, 2.0, 3.0]))
    with no_grad():
        call(b, Tensor([1.0, 2.0, 3.0], requires_grad=True))
    np.testing.assert_array_equal(a, want)
    np.testing.assert_array_equal(b, want)
    assert want.any()                                           # the call did write something
