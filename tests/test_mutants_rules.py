"""Mutation testing of autograd/rules.py: each test fails on a deliberate mistake (named in the test's comment)
that the rest of the suite let pass. Expected numbers come from the math module or central differences."""

import math

import numpy as np
import pytest

from autograd import Tensor, Value, compile, grad, rules

# every elementary function the three backends share, with points inside its domain
SHARED = {"exp": (-1.3, 0.7, 2.1), "log": (0.4, 1.0, 2.1), "sqrt": (0.4, 1.0, 2.1), "tanh": (-1.3, 0.7, 2.1),
          "sin": (-1.3, 0.7, 2.1), "cos": (-1.3, 0.7, 2.1), "abs": (-1.3, 0.7, 2.1), "sigmoid": (-1.3, 0.7, 2.1),
          "relu": (-1.3, 0.7, 2.1), "recip": (-1.3, 0.7, 2.1), "neg_abs": (-1.3, 0.7, 2.1)}


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
@pytest.mark.parametrize("name", sorted(SHARED))
def test_the_node_backend_computes_the_float_backends_function_and_its_slope(name, engine):
    # mutant: a NODES function that is not the FLOATS one (the mutant was min0 as (-x).relu(); min0 is gone since,
    # no rule called it). The node backend is what a derivative built as a graph calls: each of its functions must
    # be the FLOATS one, in value and, differentiated, in slope (central differences of the FLOATS function).
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


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_relus_slope_at_nan_is_the_tables_1_in_every_engine_and_in_compiled_code():
    # mutant: FLOATS.step written 1.0 if x > 0.0 else 0.0, which reads 0 at NaN where the table's convention
    # (and the array backend's, and PyTorch's threshold_backward) is 1. Value.relu inlines its own copy of the
    # rule, so only the table and the code compile writes from it showed the difference.
    nan = math.nan
    assert rules.RELU.partials(rules.FLOATS, nan, nan) == (1.0,)
    assert rules.RELU.partials(rules.ARRAYS, np.array([nan]), np.array([nan]))[0].tolist() == [True]
    x = Value(nan)
    (x.relu() * 2.0).backward()
    assert x.grad == 2.0
    t = Tensor([nan], requires_grad=True)
    (t.relu() * 2.0).sum().backward()
    assert t.grad.tolist() == [2.0]
    value, (grad,) = compile(lambda v: v[0].relu() * 2.0, ([1.0],))([nan])
    assert math.isnan(value) and grad == [2.0]


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_the_slope_of_a_to_the_b_as_a_graph_holds_where_a_to_the_b_underflows(engine):
    # mutant: power2_slope_as_nodes' b a^(b-1) written b a^b / a, the same function, but at a = 1e-200, b = 2
    # a^b underflows to 0, and so did the slope (2e-200 by hand), and its derivative towards a (2, not 4).
    # dy/da = b a^(b-1); d/da of it = b (b-1) a^(b-2) = 2; d/db of it = a^(b-1) (1 + b ln a).
    if engine == "Value":
        a, b = Value(1e-200), Value(2.0)
    else:
        a, b = Tensor([1e-200], requires_grad=True), Tensor([2.0], requires_grad=True)
    y = a ** b if engine == "Value" else (a ** b).sum()
    (slope,) = grad([y], [a], create_graph=True)
    assert float(slope.data if engine == "Value" else slope.data[0]) == 2e-200
    d_a, d_b = grad([slope if engine == "Value" else slope.sum()], [a, b])
    assert float(d_a) == pytest.approx(2.0, rel=1e-12)
    assert float(d_b) == pytest.approx(1e-200 * (1 + 2 * math.log(1e-200)), rel=1e-12)


@pytest.mark.filterwarnings("ignore:invalid value encountered")
@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_the_slope_of_a_to_the_0_as_a_graph_is_0_at_a_nan_base(engine):
    # mutant: power2_slope_as_nodes without its test of a NaN base, so (b / a) a^b + 0 read NaN where x^0 is
    # flat: dy/da = 0 at b = 0 for every a (NaN ** 0 is 1 in IEEE 754), as the first-order rule gives.
    if engine == "Value":
        a, b = Value(math.nan), Value(0.0)
        y = a ** b
    else:
        a, b = Tensor([math.nan, 2.0], requires_grad=True), Tensor([0.0, 0.0], requires_grad=True)
        y = (a ** b).sum()
    (plain,) = grad([y], [a])
    (as_graph,) = grad([y], [a], create_graph=True)
    assert np.asarray(plain).tolist() == np.asarray(as_graph.data).tolist() == ([0.0, 0.0] if engine == "Tensor"
                                                                                  else 0.0)


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_the_slope_of_abs_as_a_graph_is_its_sign_also_at_0(engine):
    # mutant: NODES.sign as |x| / x, the same for x != 0 but 0/0 at the kink: the create_graph gradient of |x| at
    # 0 is abs'(0) = 0 (the engine's convention, as PyTorch), -1 at -2, 1 at 3.
    if engine == "Value":
        for x0, expected in ((0.0, 0.0), (-2.0, -1.0), (3.0, 1.0)):
            x = Value(x0)
            (g,) = grad([x.abs()], [x], create_graph=True)
            assert float(getattr(g, "data", g)) == expected
    else:
        x = Tensor([0.0, -2.0, 3.0], requires_grad=True)
        (g,) = grad([x.abs().sum()], [x], create_graph=True)
        assert g.data.tolist() == [0.0, -1.0, 1.0]
