"""Mutation testing of autograd/rules.py: each test fails on a deliberate mistake (named in the test's comment)
that the rest of the suite let pass. Expected numbers come from the math module or central differences."""

import math

import numpy as np
import pytest

from autograd import Tensor, Value, rules

# every elementary function the three backends share, with points inside its domain
SHARED = {"exp": (-1.3, 0.7, 2.1), "log": (0.4, 1.0, 2.1), "sqrt": (0.4, 1.0, 2.1), "tanh": (-1.3, 0.7, 2.1),
          "sin": (-1.3, 0.7, 2.1), "cos": (-1.3, 0.7, 2.1), "abs": (-1.3, 0.7, 2.1), "sigmoid": (-1.3, 0.7, 2.1),
          "relu": (-1.3, 0.7, 2.1), "min0": (-1.3, 0.7, 2.1), "recip": (-1.3, 0.7, 2.1), "neg_abs": (-1.3, 0.7, 2.1)}


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
@pytest.mark.parametrize("name", sorted(SHARED))
def test_the_node_backend_computes_the_float_backends_function_and_its_slope(name, engine):
    # mutant: NODES.min0 as (-x).relu() (no rule calls min0 today, so nothing else reads it). The node backend
    # is what a derivative built as a graph calls: each of its functions must be the FLOATS one, in value and,
    # differentiated, in slope (central differences of the FLOATS function).
    f, node_f = getattr(rules.FLOATS, name), getattr(rules.NODES, name)
    for x0 in SHARED[name]:
        x = Value(x0) if engine == "Value" else Tensor([x0], requires_grad=True)
        y = node_f(x)
        got = y.data if engine == "Value" else float(y.data[0])
        assert got == pytest.approx(f(x0), rel=1e-15, abs=0.0)
        (y if engine == "Value" else y.sum()).backward()
        slope = x.grad if engine == "Value" else float(x.grad[0])
        h = 1e-6
        assert slope == pytest.approx((f(x0 + h) - f(x0 - h)) / (2 * h), rel=1e-6, abs=1e-9)


def test_the_min0_of_each_backend_is_min_of_x_and_0():
    # the same mutant, against the definition min(x, 0) itself, NaN passing through
    for x0 in (-1.5, -0.0, 0.0, 2.5):
        expected = min(x0, 0.0)
        assert rules.FLOATS.min0(x0) == expected
        assert float(rules.ARRAYS.min0(np.array(x0))) == expected
        assert rules.NODES.min0(Value(x0)).data == expected
    assert math.isnan(rules.FLOATS.min0(math.nan))
