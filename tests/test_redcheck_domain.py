"""Red-team of the checkers at the edge of f's domain: an op that fails at x - eps named a point the caller never
gave (sqrt at 1e-7: "sqrt needs entries >= 0, got minimum -9e-07"), with nothing to say the check had moved it."""

import pytest

from autograd import Tensor, Value, gradcheck, gradgradcheck, numerical_grad


@pytest.mark.parametrize("check", [gradcheck, numerical_grad, gradgradcheck])
def test_an_op_failing_at_a_stepped_point_says_the_check_moved_the_input_there(check):
    t = Tensor([1e-7, 1.0], requires_grad=True, name="t")
    with pytest.raises(ValueError, match=r"^sqrt: [\s\S]*had moved t\[\(0,\)\] from 1e-07 to -9\.?\d*e-07 \(a step "
                                         r"of -1e-06\)[\s\S]*farther from the edge of f's domain") as caught:
        check(lambda u: u.sqrt().sum(), [t])
    assert isinstance(caught.value.__cause__, ValueError)     # the op's own error, kept as the cause
    assert t.data.tolist() == [1e-7, 1.0]                      # and the input given back
    v = Value(1e-7, label="v")
    with pytest.raises(ValueError, match=r"had moved v from 1e-07 to -9\.?\d*e-07"):
        check(lambda a: a.log(), [v])
    assert v.data == 1e-7


def test_fast_mode_says_it_moved_the_input_along_a_direction():
    t = Tensor([1e-7, 1.0], requires_grad=True, name="t")
    with pytest.raises(ValueError, match=r"had moved t by eps along a random direction \(fast_mode\)"):
        gradcheck(lambda u: u.sqrt().sum(), [t], fast_mode=True)
