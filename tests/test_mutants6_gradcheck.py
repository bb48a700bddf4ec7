"""Mutation testing, sixth round: gradgradcheck's rows name d(grad x_j)/d(x_k) as "x_j/x_k", and its kink test
takes the slope from the left over the step the floats took (a positive one)."""

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, Value, gradgradcheck, numerical_grad


def _error(f, inputs) -> str:
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(f, inputs, grad_outputs=1.0)
    return str(info.value)


def _kink_rows(text: str) -> list[list[str]]:
    """The rows of the kink table (the one before the first blank line)."""
    table = text.split("\n\n")[0]
    assert "has a kink" in table.splitlines()[0]
    return [line.split() for line in table.splitlines()[3:-1]]


def test_a_kink_of_one_gradient_in_another_input_is_named_gradient_first():
    # f = x |y| at y = 0: grad x = |y| has a kink in y (slopes -1 and 1, by hand), grad y = x sign(y) none in x;
    # the row is d(grad x)/dy, "x/y" (named the other way round it pointed at the smooth y/x)
    text = _error(lambda x, y: x * y.abs(), [Value(1.0, label="x"), Value(0.0, label="y")])
    assert _kink_rows(text) == [["x/y", "-1", "1", "0"]]


def test_a_kink_of_the_gradient_is_told_by_its_one_sided_slopes_at_eps_and_eps_over_10():
    # f = x |x| at 0: f' = 2|x|, whose slopes are -2 from the left and 2 from the right at any step (by hand); the
    # left slope at eps/10 taken over a negative step read +2, the jump 0, and the kink a wrong second derivative
    text = _error(lambda x: x * x.abs(), [Value(0.0, label="x")])
    assert _kink_rows(text) == [["x/x", "-2", "2", "0"]]
    assert "disagree" not in text


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_numerical_grad_of_an_array_whose_difference_overflows_warns_nothing():
    # f = C t at 0 with eps = 1: C - (-C) overflows before the halves are taken (which is exact); numpy's
    # "overflow encountered in subtract" was about numerical_grad's own first try, not about f
    C = 1.5e308
    (G,) = numerical_grad(lambda t: (t * C).sum(), [Tensor(np.zeros(3), requires_grad=True)], eps=1.0)
    np.testing.assert_array_equal(G, np.full(3, C))               # the slope of a line, by hand
