"""A leaf's ``.grad`` assigned by hand that is not an array of its shape holding float64 or float32 numbers is
refused by every backward pass that adds into it, with the same message: before, ``+=`` kept an object or complex
array (or float16) as the gradient, backward(create_graph=True) broadcast a number or a (3, 1) array into it
(``g + grad``), and the anomaly checks failed on a list with numpy's or Python's bare errors."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

from autograd import Tensor, detect_anomaly

MESSAGE = r"backward\(\): the \.grad of the Tensor 'w' {}: it was assigned by hand\. Set it to None \(t\.zero_grad"


def read_only():
    a = np.zeros(3)
    a.flags.writeable = False
    return a


ASSIGNED = {                               # what is assigned, and what the message says of it
    "float32 scalar": (lambda: np.float32(1.0), "is a float32, not an array"),
    "list": (lambda: [1.0, 1.0, 1.0], "is a list, not an array"),
    "(1,)": (lambda: np.ones(1), r"has shape \(1,\) but the Tensor has shape \(3,\)"),
    "(3, 1)": (lambda: np.ones((3, 1)), r"has shape \(3, 1\) but the Tensor has shape \(3,\)"),
    "int64": (lambda: np.ones(3, dtype=np.int64), "has dtype int64, not float64 or float32"),
    "object": (lambda: np.ones(3, dtype=object), "has dtype object, not float64 or float32"),
    "complex": (lambda: np.ones(3, dtype=complex), "has dtype complex128, not float64 or float32"),
    "float16": (lambda: np.ones(3, dtype=np.float16), "has dtype float16, not float64 or float32"),
    "read-only": (read_only, "is read-only"),
}


def run(path: str, w: Tensor) -> None:
    if path == "op":
        (w * 2.0).sum().backward()
    elif path == "leaf":
        w.backward(np.ones(3))
    elif path == "create_graph":
        (w * w).sum().backward(create_graph=True)
    elif path == "anomaly, leaf":
        with detect_anomaly():
            w.backward(np.ones(3))


@pytest.mark.parametrize("path", ["op", "leaf", "create_graph", "anomaly, leaf"])
@pytest.mark.parametrize("name", list(ASSIGNED))
def test_an_unfit_grad_assigned_by_hand_is_refused_by_name_on_every_path(name, path):
    make, said = ASSIGNED[name]
    w = Tensor([1.0, 2.0, 3.0], requires_grad=True, name="w")
    w.grad = make()
    with pytest.raises((TypeError, ValueError), match=MESSAGE.format(said)):
        run(path, w)


@pytest.mark.parametrize("path", ["op", "leaf", "create_graph", "anomaly, leaf"])
@pytest.mark.parametrize("assigned", [lambda: np.full(3, 10.0), lambda: np.full(3, 10.0, dtype=np.float32),
                                      lambda: Tensor(np.full(3, 10.0))], ids=["float64", "float32", "Tensor"])
def test_a_fitting_grad_assigned_by_hand_is_added_into(assigned, path):
    w = Tensor([1.0, 2.0, 3.0], requires_grad=True, name="w")
    w.grad = assigned()
    run(path, w)
    # d/dw of sum(2 w) is 2, of w . 1 (the seed) 1, of sum(w^2) 2 w: each added to the 10 assigned
    added = {"op": np.full(3, 2.0), "create_graph": 2 * np.array([1.0, 2.0, 3.0])}.get(path, np.ones(3))
    got = w.grad.data if isinstance(w.grad, Tensor) else w.grad
    np.testing.assert_array_equal(got, 10.0 + added)


@pytest.mark.parametrize("anomaly", [False, True])
def test_a_tensor_grad_with_read_only_numbers_takes_a_create_graph_pass_in_both_modes(anomaly):
    # the sum makes a new Tensor: nothing is written into the .grad's numbers, so read-only ones are fine; anomaly
    # mode's check read the Tensor's numbers as the .grad itself and refused them as read-only
    w = Tensor([1.0, 2.0], requires_grad=True)
    earlier = Tensor(np.array([0.5, 0.5]))
    earlier.data.flags.writeable = False
    w.grad = earlier
    with detect_anomaly() if anomaly else contextlib.nullcontext():
        (w * w).sum().backward(create_graph=True)
    np.testing.assert_array_equal(w.grad.data, [0.5 + 2 * 1.0, 0.5 + 2 * 2.0])     # earlier + 2 w
