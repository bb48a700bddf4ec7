"""Red-team of gradcheck: a constant inside f that shares the input's memory. The differences step the input's
entries in place, so a constant made with x.detach() (which shares x's array, as PyTorch's does) moves with them,
while backward() holds it constant: the two measure different functions, and the table alone read as a wrong
backward()."""

import pytest

from autograd import GradcheckError, Tensor, gradcheck
from autograd.tensor.core import make


def test_a_constant_that_shares_the_inputs_memory_is_named_when_the_check_fails():
    # f(t) = sum(t * c) with c = x.detach(): backward() gives c = x = (1, 2), right for c held constant; the
    # differences move c with t and measure d sum(t^2)/dt = 2 t = (2, 4). The report showed only the table.
    x = Tensor([1.0, 2.0], requires_grad=True, name="x")
    c = x.detach()
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda t: (t * c).sum(), [x])
    message = str(caught.value)
    assert "2 of 2 gradient entries disagree" in message
    assert "a constant of shape (2,) that shares memory with x" in message
    # with a copy the same f passes, and the hint is given only where a constant does share memory
    c = Tensor(x.data.copy())
    assert gradcheck(lambda t: (t * c).sum(), [x])
    wrong = lambda t: make(t.data * c.data, (t,), lambda g: (g * 2.0 * c.data,), "twice").sum()    # noqa: E731
    with pytest.raises(GradcheckError) as caught:                # a wrong vjp, and no constant shares memory
        gradcheck(wrong, [x])
    assert "2 of 2 gradient entries disagree" in str(caught.value) and "shares memory" not in str(caught.value)


def test_a_view_of_the_input_made_by_an_op_is_part_of_the_graph_not_a_constant():
    # t[0:1] shares t's memory too, but as a node with t as its parent: the steps move it and backward() follows it
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    assert gradcheck(lambda t: (t[0:2] * t[1:3]).sum(), [x])
