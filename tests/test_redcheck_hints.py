"""Red-team of gradcheck's failure reports: hints whose premise was false, and a cut graph that the Tensor engine
reported as backward()'s error about the inputs, which did require grad."""

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, Value, gradcheck, no_grad


def test_a_tensor_result_that_requires_no_grad_is_a_cut_graph_in_the_table_as_a_values_is():
    # Tensor(t.data * 2): the result is a constant. backward() raised "this Tensor does not require grad ... Make the
    # inputs with Tensor(..., requires_grad=True)", though they had it; the Value engine's Value(v.data * 2) gave the
    # table (analytic 0, numeric 2) and the cut-graph hint. Now both do.
    x = Tensor([0.3, -0.4], requires_grad=True, name="x")

    def inside_no_grad(t):
        with no_grad():
            return (t * 2.0).sum()

    for f in (lambda t: Tensor(t.data * 2.0).sum(), inside_no_grad):
        with pytest.raises(GradcheckError, match=r"^gradcheck: 2 of 2 gradient entries disagree") as caught:
            gradcheck(f, [x])
        assert "f may cut the graph" in str(caught.value)
        assert [line.split()[2:4] for line in str(caught.value).splitlines()[3:5]] == [["0", "2"], ["0", "2"]]
    with pytest.raises(GradcheckError, match=r"f may cut the graph"):
        gradcheck(lambda v: Value(v.data * 2.0), [Value(0.3)])
    # a constant result that does not depend on the inputs has the gradient 0 everywhere: it passes
    assert gradcheck(lambda t: Tensor(np.array([1.0, 2.0])).sum(), [x])


def test_a_numeric_zero_from_a_symmetric_step_is_not_blamed_on_a_result_computed_before_the_call():
    # f = sqrt(|t|) at t = 1e-300: f(x + eps) = f(x - eps) = 1e-3 (the cusp at 0 lies within eps), so the central
    # difference is 0, against backward()'s right 0.5 / sqrt(1e-300) = 5e149. The report said "f's value did not
    # move when that input was stepped ... f may use a result computed before the check called it": f moved (by
    # 1e-3 on both sides), and it computes everything from its argument.
    x = Tensor([1e-300, 4.0], requires_grad=True)
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda t: (t.abs() ** 0.5).sum(), [x])
    message = str(caught.value)
    assert "computed before" not in message
    assert "f(x + eps) and f(x - eps) are equal while f(x) is not" in message
    # the hint stays where f did not move at all (a graph built before the call, behind a new node)
    w = Tensor([0.5], requires_grad=True)
    y = (w * w).sum()
    with pytest.raises(GradcheckError, match="computed before"):
        gradcheck(lambda t: y * 2.0 + t.sum() * 0.0, [w])


def test_a_step_rounded_away_inside_f_is_named_beside_a_result_computed_before_the_call():
    # (t + 1e15) - 1e15 is t only to 0.125: f(x +- eps) = f(x) = 0.25 at x = 0.3, so the numeric slope is 0 against
    # backward()'s right 1. f's value is 0.25, where floats are close, so only f's inside rounds; the hint named
    # only a result computed before the call, which f does not use.
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda t: ((t + 1e15) - 1e15).sum(), [Tensor([0.3], requires_grad=True)])
    message = str(caught.value)
    assert "computed before the check called it" in message
    assert "Or f rounds the step away inside: (x + 1e15) - 1e15 is x only to 0.125" in message
