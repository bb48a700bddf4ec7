"""fit's restore_best puts back the best epoch's weights by name, whatever a callback froze or unfroze meanwhile."""

import numpy as np
import pytest

from nn import MLP, SGD, fit, scalar


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 2))
    Y = np.tanh(X @ np.array([[1.0], [-1.0]]))
    return X, Y


def _weights(model) -> dict:
    """Every weight by name, frozen ones too, copied (the oracle: read straight from the layers' Tensors)."""
    return {f"layers.{i}.{name}": np.array(getattr(layer, name).data, copy=True)
            for i, layer in enumerate(model.layers) for name in ("weight", "bias")}


@pytest.mark.parametrize("change", ["freeze", "unfreeze"])
def test_restore_best_puts_each_weight_back_by_name_after_a_callback_froze_or_unfroze_one(change):
    # the best epoch's weights were copied from parameters(), which leaves frozen weights out, and put back by
    # zip over parameters() at the end: once a callback had frozen (or unfrozen) layers.0.weight, every copy went
    # into its neighbour, layers.0.bias became a (3, 2) array and layers.1.weight a (3,) one, silently
    X, Y = _data()
    model = MLP([2, 3, 1], activation="tanh", seed=0)
    first = model.layers[0].weight
    optimizer = SGD(model.parameters(), lr=0.1)            # all four: SGD skips a weight while it is frozen
    if change == "unfreeze":
        first.requires_grad_(False)                        # fine-tuning: the first layer joins in after epoch 1
    seen = []

    def callback(epoch, history):
        seen.append(_weights(model))
        if epoch == 1:
            first.requires_grad_(change == "unfreeze")

    # validation on flipped targets: the loss there only rises, so epoch 0 is the best and patience stops the run
    h = fit(model, X, Y, "mse", optimizer, 10, validation=(X, -Y), patience=2, callback=callback, progress=False)
    assert h.best_epoch == 0 and h.stopped_epoch == 2
    best, now = seen[h.best_epoch], _weights(model)
    assert {k: v.shape for k, v in now.items()} == {k: v.shape for k, v in best.items()}
    for name in best:
        np.testing.assert_array_equal(now[name], best[name], err_msg=name)
    assert not all(np.array_equal(seen[-1][k], best[k]) for k in best)     # the run did move them after epoch 0


@pytest.mark.parametrize("engine", ["tensor", "scalar"])
def test_restore_best_gives_the_weights_the_history_names_on_both_engines(engine):
    X, Y = _data()
    model = MLP([2, 3, 1], activation="tanh", seed=0) if engine == "tensor" else \
        scalar.MLP(2, [3, 1], "tanh", "identity", seed=0)
    seen = []
    h = fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), 10, validation=(X, -Y), patience=2,
            callback=lambda epoch, history: seen.append(model.get_weights()) and None, progress=False)
    assert h.best_epoch == 0
    for (W, b), (W0, b0) in zip(model.get_weights(), seen[h.best_epoch]):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
