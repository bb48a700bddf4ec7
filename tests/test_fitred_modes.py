"""fit records its training graph whatever grad mode it is called in, and gives the caller's mode back."""

import numpy as np
import pytest

from autograd import Tensor, is_grad_enabled, no_grad
from nn import MLP, SGD, fit, scalar


def _model(engine):
    if engine == "tensor":
        return MLP([2, 3, 2], activation="tanh", seed=1)
    return scalar.MLP(2, [3, 2], "tanh", "identity", seed=1)


def _run(engine, compile):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(9, 2))
    y = (X[:, 0] > 0).astype(int)
    model = _model(engine)
    h = fit(model, X, y, "mse", SGD(model.parameters(), lr=0.3), 3, batch_size=4, seed=2, progress=False,
            compile=compile, validation=(X, y))
    return model, h


@pytest.mark.parametrize("engine", ["tensor", "scalar"])
@pytest.mark.parametrize("compile", [False, True])
def test_fit_inside_no_grad_trains_as_outside_it_and_leaves_grad_off(engine, compile):
    # inside no_grad() the batches' losses had no graph and the first backward() raised ("this Tensor does not
    # require grad"), naming neither fit nor the block, while the same fit with LBFGS trained (its closure records)
    model, h = _run(engine, compile)
    with no_grad():
        quiet, hq = _run(engine, compile)
        assert not is_grad_enabled()
        assert not (Tensor(np.ones(2), requires_grad=True) * 2).requires_grad     # the caller's block still holds
    assert hq.train_loss == h.train_loss and hq.val_loss == h.val_loss
    assert hq.train_accuracy == h.train_accuracy and hq.val_accuracy == h.val_accuracy
    for (W, b), (Wq, bq) in zip(model.get_weights(), quiet.get_weights()):
        np.testing.assert_array_equal(Wq, W)
        np.testing.assert_array_equal(bq, b)
    fresh = _model(engine).get_weights()
    assert not np.array_equal(quiet.get_weights()[0][0], fresh[0][0])              # it did train
