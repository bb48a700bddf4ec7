"""Numbers the docs quote about today's behaviour changes, recomputed from their formulas (docs8 audit)."""
import importlib
import math
import pathlib
import re

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value, no_grad
from nn import losses, scalar

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bce_right_costs_zero_and_wrong_costs_ln_1e12(dtype):
    # docs/nn.md: each log's argument kept at 1e-12 or above, a = y costs exactly 0; a wrong entry -ln(1e-12)
    right = losses.binary_cross_entropy(Tensor(np.array([0.0, 1.0], dtype=dtype)), Tensor(np.array([0.0, 1.0])))
    wrong = losses.binary_cross_entropy(Tensor(np.array([1.0], dtype=dtype)), Tensor(np.array([0.0])))
    assert float(right.data) == 0.0
    assert float(wrong.data) == pytest.approx(-math.log(1e-12), rel=1e-6)


def test_sigmoid_output_costs_40_in_evaluate_and_27_6_under_no_grad():
    # docs/nn.md: under no_grad a confidently wrong sample would cost 27.6 instead of its 40 (softplus(40) - 0)
    model = nn.MLP([1, 1], activation="sigmoid", seed=0)
    weight, bias = model.parameters()
    weight.data[...] = 0.0
    bias.data[...] = -40.0
    X, Y = np.array([[1.0]]), np.array([[1.0]])
    softplus_40 = 40.0 + math.log1p(math.exp(-40.0))           # -ln sigmoid(-40)
    assert nn.evaluate(model, X, Y, losses.binary_cross_entropy)["loss"] == pytest.approx(softplus_40, rel=1e-12)
    with no_grad():
        clipped = losses.binary_cross_entropy(model(Tensor(X)), Tensor(Y)).data
    assert float(clipped) == pytest.approx(-math.log(1e-12), rel=1e-9)
    text = (DOCS / "nn.md").read_text()
    assert "27.6 instead of its 40" in text


def test_identity_output_trained_with_mse_on_bits_is_read_at_one_half():
    # docs/nn.md: 1/2 for an identity output trained with mse on 0/1 targets
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    Y = (X[:, :1] > 0).astype(float)
    model = nn.MLP([2, 1], activation="identity", seed=0)
    nn.fit(model, X, Y, losses.mse, nn.SGD(model.parameters(), lr=0.1), epochs=5, progress=False)
    out = nn.outputs(model, X).reshape(-1)
    assert np.array_equal(model.predict(X), (out > 0.5).astype(int))


def test_nielsen_net_size_against_compile_limit():
    # docs/compile.md: max_nodes=25,000 by default; Nielsen's 784-30-10 net counts 23,880 (one sample, quadratic):
    # the weighted sums count once per term (30 * 784 + 10 * 30), plus the rest of the graph
    text = (DOCS / "compile.md").read_text()
    stated = int(re.search(r"784-30-10 net counts ([\d,]+)", text).group(1).replace(",", ""))
    assert "more than 25,000 nodes" in text and importlib.import_module("autograd.compile").MAX_NODES == 25_000
    model = scalar.MLP(784, [30, 10])
    y = [0.0] * 10
    y[3] = 1.0
    with pytest.raises(autograd.GraphTooLarge) as caught:
        autograd.compile(lambda xs: losses.quadratic(model(xs), y), [0.0] * 784, max_nodes=1)
    assert caught.value.nodes == stated
    assert 30 * 784 + 10 * 30 < stated < 25_000


def test_float_spacing_at_1e8_quoted_by_gradcheck_docs():
    # docs/engines.md: at x + 1e8 floats are 1.5e-8 apart
    assert "floats are 1.5e-8 apart" in (DOCS / "engines.md").read_text()


def test_value_is_no_number_but_formats():
    # docs/engines.md: x == 3.0, if x:, float(x), int(x), round(x), math.exp(x) raise; f"{x:.3f}" formats x.data
    x = Value(3.0)
    for attempt in (lambda: x == 3.0, lambda: x == np.float64(3.0), lambda: bool(x), lambda: float(x),
                    lambda: int(x), lambda: round(x), lambda: math.exp(x)):
        with pytest.raises(TypeError):
            attempt()
    assert f"{x:.3f}" == "3.000"
    assert (x == x) is True and (x == Value(3.0)) is False
