"""predict, predict_proba, outputs and evaluate give one answer per row of X, or refuse: a Module of one's own
whose forward pools or transposes the rows gave 1 class for 5 rows (predict), an accuracy that compared that
one class with all 5 labels by broadcasting (evaluate), or a bare TypeError for a 0-d output."""

from __future__ import annotations

import numpy as np
import pytest
from messages import raises

from nn import Linear, Module, evaluate, outputs, predict, predict_proba


class _Pooled(Module):
    """Averages the rows: one output row for the whole batch."""

    def __init__(self) -> None:
        self.layer = Linear(2, 3, seed=0)

    def forward(self, x):
        return self.layer(x).mean(axis=0, keepdims=True)


class _Summed(Module):
    """One number for the whole batch."""

    def __init__(self) -> None:
        self.layer = Linear(2, 3, seed=0)

    def forward(self, x):
        return self.layer(x).sum()


class _Transposed(Module):
    """Samples in the columns: (K, N) for N rows."""

    def __init__(self) -> None:
        self.layer = Linear(2, 3, seed=0)

    def forward(self, x):
        return self.layer(x).T


X = np.random.default_rng(0).normal(size=(5, 2))
y = np.array([0, 1, 2, 0, 1])


@pytest.mark.parametrize("model", [_Pooled(), _Summed(), _Transposed()], ids=["pooled", "summed", "transposed"])
def test_outputs_that_are_not_one_row_per_sample_are_refused(model: Module) -> None:
    shape = np.shape(model(X).data)
    for who, call in (("predict", predict), ("predict_proba", predict_proba), ("outputs", outputs)):
        with raises(ValueError, who, f"shape {shape}", "5 rows", "one output row per sample"):
            call(model, X)
    with raises(ValueError, "evaluate", "one output row per sample"):      # its probe of one row may see it first
        evaluate(model, X, y)


def test_a_module_that_keeps_the_rows_gives_one_class_per_row() -> None:
    class Rows(Module):
        def __init__(self) -> None:
            self.layer = Linear(2, 3, seed=0)

        def forward(self, x):
            return self.layer(x)

    model = Rows()
    W, b = model.layer.weight.data, model.layer.bias.data
    expected = np.argmax(X @ W.T + b, axis=1)                 # by hand: z = x W^T + b, the class is its argmax
    np.testing.assert_array_equal(predict(model, X), expected)
    assert evaluate(model, X, y)["accuracy"] == pytest.approx(np.mean(expected == y))
