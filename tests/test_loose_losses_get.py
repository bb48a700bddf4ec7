"""nn.losses.get: a name, a function or an object called as loss(outputs, targets); anything else refused by name.
Its ``except (KeyError, TypeError)`` had no test of its own: the mutant ``except KeyError`` let an unhashable
loss through as Python's bare "unhashable type: 'list'" (only a fuzz test's random draws could catch it). A class
(PyTorch's nn.MSELoss where nn.MSELoss() was meant) passed through as a callable and ended in numpy's "truth value
of an array is ambiguous" from inside its constructor."""

import numpy as np
import pytest

from nn import MLP, SGD, fit, losses


@pytest.mark.parametrize("name", [["mse"], {"mse": 1}, np.array(["mse"]), {"mse"}])
def test_an_unhashable_loss_is_refused_as_an_unknown_loss_by_name(name):
    with pytest.raises(ValueError, match=r"fit: unknown loss .*; known losses: quadratic, mse, cross_entropy"):
        losses.get(name, "fit")


class MSELoss:
    """A PyTorch-style loss class: nn.MSELoss()(outputs, targets)."""

    def __call__(self, out, y):
        return losses.mse(out, y)


def test_a_loss_class_is_refused_by_name_before_any_step_and_its_instance_trains():
    X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0], [0.0]])
    model = MLP([2, 1], output_activation="identity", seed=0)
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(TypeError, match=r"fit: the loss is the class MSELoss, not a function \(outputs, targets\) "
                                        r"-> loss; .* an instance \(MSELoss\(\)\)"):
        fit(model, X, y, MSELoss, SGD(model.parameters(), lr=0.1), epochs=1, progress=False)
    assert all(np.array_equal(b, p.data) for b, p in zip(before, model.parameters()))
    # the instance is a loss: one full-batch epoch's loss is mse at the starting weights, worked out in numpy
    W, b = before
    expected = float(np.mean((X @ W.T + b - y) ** 2))
    h = fit(model, X, y, MSELoss(), SGD(model.parameters(), lr=0.1), epochs=1, progress=False)
    assert h.train_loss[0] == pytest.approx(expected, rel=1e-12)


def test_a_loss_function_and_a_name_pass_through():
    assert losses.get(losses.hinge) is losses.hinge and losses.get("hinge") is losses.hinge
