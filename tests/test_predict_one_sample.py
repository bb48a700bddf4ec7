"""One sample given as a 1-D x: the model itself takes it (model(x) has shape (K,)), but predict, predict_proba,
outputs and evaluate take rows; their error says how to make one row of x, on both engines."""

from __future__ import annotations

import numpy as np
import pytest
from messages import raises

from nn import MLP, evaluate, outputs, predict, predict_proba, scalar


@pytest.mark.parametrize("engine", ["tensor", "scalar"])
def test_a_1d_sample_is_refused_with_the_reshape_that_makes_it_one_row(engine: str) -> None:
    model = MLP([3, 4, 2], seed=0) if engine == "tensor" else scalar.MLP(3, [4, 2], seed=0)
    x = np.array([0.1, -0.2, 0.3])
    for who, call in (("predict", predict), ("predict_proba", predict_proba), ("outputs", outputs)):
        with raises(ValueError, who, "shape (3,)", "x.reshape(1, -1)"):
            call(model, x)
    with raises(ValueError, "evaluate", "shape (3,)", "x.reshape(1, -1)"):
        evaluate(model, x, np.array([1]))
    # the row it suggests gives the class of model(x) itself: the argmax of its two outputs
    single = model(x)
    scores = single.data if engine == "tensor" else np.array([v.data for v in single])
    assert predict(model, x.reshape(1, -1)).tolist() == [int(np.argmax(scores))]
    np.testing.assert_allclose(outputs(model, x.reshape(1, -1))[0], scores, rtol=1e-15)
