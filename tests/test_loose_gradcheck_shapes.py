"""gradcheck of an f whose result changes shape between calls: the refusal names gradcheck and f's two shapes.

It named numerical_grad and a grad_output the user never passed, raised as the private class ``_Refused``; when the
shape changed at the call that backward() differentiates, backward() blamed gradcheck's own seed ("grad has shape
()"). Each case below counts f's calls, so the shape changes at the call named.
"""

import numpy as np
import pytest

from autograd import Tensor, gradcheck, gradgradcheck, numerical_grad


def _changes_shape_at(call: int):
    """x -> sum(x * x) for the first ``call - 1`` calls, then x * x (shape (2,) instead of ())."""
    count = [0]

    def f(x):
        count[0] += 1
        return (x * x).sum() if count[0] < call else x * x

    return f


@pytest.mark.parametrize("call", [2, 3, 4])
def test_gradcheck_names_itself_and_both_shapes_when_f_changes_its_shape(call):
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(ValueError) as caught:
        gradcheck(_changes_shape_at(call), [x])
    message = str(caught.value)
    assert message.startswith("gradcheck: f returned shape (2,)"), message
    assert "shape () at its first" in message
    assert "numerical_grad" not in message and "grad_output" not in message and "seed" not in message
    assert type(caught.value) is ValueError
    np.testing.assert_array_equal(x.data, [1.0, 2.0])            # put back after the stepped call


def test_numerical_grad_still_names_the_grad_output_it_was_given():
    x = Tensor(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"^numerical_grad: grad_output has shape \(3,\) but f returned shape \(2,\)"):
        numerical_grad(lambda t: t * t, [x], grad_output=np.ones(3))


@pytest.mark.parametrize("call", [3, 4, 6, 8])
def test_gradgradcheck_names_itself_and_both_shapes_not_grad_or_the_step(call):
    """At call 6 and later gradgradcheck has moved an input: the shape is f's fault, not the step's."""
    count = [0]

    def f(x):
        count[0] += 1
        return (x * x * x).sum() if count[0] < call else x * x * x

    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(ValueError) as caught:
        gradgradcheck(f, [x])
    message = str(caught.value)
    assert message.startswith("gradgradcheck: f returned shape (2,) at one call and shape () at its first"), message
    assert "grad_outputs" not in message and "had moved" not in message
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
