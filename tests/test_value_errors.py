"""Where a Value could go wrong: stable ops at +-1000, domain errors that name the op and the value, operands
of the wrong type, and NaN or inf traced back to their birthplace by detect_anomaly()."""

import importlib.util
import inspect
import math
import os
import re
import warnings

import numpy as np
import pytest
from hypothesis import given

from autograd import Value, detect_anomaly, is_grad_enabled, weighted_sum
from autograd.graph import mode
from autograd.testing import floats

HERE = os.path.basename(__file__)


def this_line() -> int:
    """The line number of the caller."""
    return inspect.currentframe().f_back.f_lineno


# --- numerically stable forms ----------------------------------------------------------------------------------------
# (op, x, value, gradient): at +-1000 the textbook formulas overflow e^1000; the limits are exact in float64.
AT_1000 = [
    ("sigmoid", 1000.0, 1.0, 0.0),
    ("sigmoid", -1000.0, 0.0, 0.0),
    ("softplus", 1000.0, 1000.0, 1.0),
    ("softplus", -1000.0, 0.0, 0.0),
    ("tanh", 1000.0, 1.0, 0.0),
    ("tanh", -1000.0, -1.0, 0.0),
]


@pytest.mark.parametrize("op, x, value, gradient", AT_1000)
def test_stable_op_at_plus_minus_1000_gives_its_limit_without_overflow_or_warning(op, x, value, gradient):
    v = Value(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = getattr(v, op)()
        y.backward()
    assert (y.data, v.grad) == (value, gradient)


@given(floats(-1000, 1000))
def test_sigmoid_softplus_tanh_keep_their_identities_over_the_whole_range(x):
    # sigmoid(x) + sigmoid(-x) = 1, softplus(x) - softplus(-x) = x, tanh(x) = 2 sigmoid(2x) - 1:
    # each side is computed on its own, so these check the stable forms against each other at any size.
    s, s_neg = Value(x).sigmoid(), Value(-x).sigmoid()
    assert math.isclose(s.data + s_neg.data, 1.0, rel_tol=1e-15)
    assert math.isclose(Value(x).softplus().data - Value(-x).softplus().data, x, rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(Value(x).tanh().data, 2 * Value(2 * x).sigmoid().data - 1, abs_tol=1e-15)
    v = Value(x)
    (v.sigmoid() + v.softplus() + v.tanh()).backward()
    assert math.isfinite(v.grad)
    expected = s.data * (1 - s.data) + s.data + (1 - math.tanh(x) ** 2)  # sigmoid' + softplus' + tanh'
    assert math.isclose(v.grad, expected, rel_tol=1e-12, abs_tol=1e-15)


# --- domains: ValueError naming the op and the value ----------------------------------------------------------------
DOMAIN = [
    (lambda: Value(710.0).exp(), "exp", "710.0"),
    (lambda: Value(1e6).exp(), "exp", "1000000.0"),
    (lambda: Value(0.0).log(), "log", "0.0"),
    (lambda: Value(-2.5).log(), "log", "-2.5"),
    (lambda: Value(-4.0).sqrt(), "sqrt", "-4.0"),
    (lambda: Value(-2.0) ** Value(0.5), "**", "-2.0"),
    (lambda: Value(-8.0) ** (1 / 3), "**", "-8.0"),
    (lambda: Value(0.0) ** -1, "**", "0.0"),
    (lambda: (-2.0) ** Value(0.5), "**", "-2.0"),
    (lambda: Value(math.inf).sin(), "sin", "inf"),
    (lambda: Value(-math.inf).cos(), "cos", "-inf"),
    (lambda: Value(1e200) ** 2, "**", "1e+200"),                 # past the float range, like exp(710)
    (lambda: Value(10.0) ** Value(400.0), "**", "400.0"),
    (lambda: 10 ** Value(400.0), "**", "400.0"),
]   # (a power whose value fits but whose derivative overflows answers: tests/test_trust_special_points.py)


@pytest.mark.parametrize("make, op, value", DOMAIN)
def test_out_of_domain_raises_value_error_naming_op_and_value(make, op, value):
    with pytest.raises(ValueError) as caught:
        make()
    message = str(caught.value)
    assert message.startswith(op + ":")
    assert value in message
    assert "math domain error" not in message


def test_exp_just_below_the_float_limit_still_works():
    x = Value(709.0)
    y = x.exp()
    y.backward()
    assert y.data == math.exp(709.0) == x.grad


@pytest.mark.parametrize("make", [lambda: Value(1.0) / 0, lambda: Value(1.0) / Value(0.0), lambda: 1 / Value(0.0)])
def test_division_by_zero_raises_zero_division_error_naming_the_op(make):
    with pytest.raises(ZeroDivisionError, match="^/: division"):
        make()


# --- operands of the wrong type: TypeError naming the type --------------------------------------------------------
BAD = [("3", "str"), (None, "NoneType"), ([1.0], "list"), (1 + 2j, "complex"), (True, "bool")]


@pytest.mark.parametrize("other, type_name", BAD)
@pytest.mark.parametrize(
    "combine",
    [lambda v, o: v + o, lambda v, o: o + v, lambda v, o: v - o, lambda v, o: o - v, lambda v, o: v * o,
     lambda v, o: o * v, lambda v, o: v / o, lambda v, o: o / v, lambda v, o: v**o, lambda v, o: o**v],
)
def test_a_non_number_operand_raises_type_error_naming_its_type(combine, other, type_name):
    with pytest.raises(TypeError, match=type_name):
        combine(Value(2.0), other)


@pytest.mark.parametrize("data, type_name", BAD + [(Value(1.0), "Value")])
def test_value_of_a_non_number_raises_type_error_naming_its_type(data, type_name):
    with pytest.raises(TypeError, match=f"got {type_name}"):
        Value(data)


# --- detect_anomaly: where was the bad number born? -----------------------------------------------------------------


def test_forward_nan_under_detect_anomaly_names_the_op_and_the_line_that_made_it():
    a = Value(math.inf, label="a")
    with detect_anomaly(), pytest.raises(FloatingPointError) as caught:
        born = this_line() + 1
        a - a                                           # inf - inf = nan
    message = str(caught.value)
    assert "'-' node" in message and "nan" in message
    assert f'{HERE}", line {born}' in message
    assert not mode.anomaly and is_grad_enabled()


def test_forward_overflow_under_detect_anomaly_names_the_op_and_inf():
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"^'\*' node produced inf in the forward pass"):
        Value(1e308) * 10


def test_without_detect_anomaly_a_forward_inf_is_an_ordinary_float():
    assert (Value(1e308) * 10).data == math.inf


def test_backward_inf_under_detect_anomaly_names_the_sqrt_node_where_it_was_born():
    x = Value(0.0, label="x")
    with detect_anomaly():
        born = this_line() + 1
        r = x.sqrt()                                    # d sqrt(x)/dx = 1 / (2 sqrt x) is inf at 0
        y = r * 3.0
        with pytest.raises(FloatingPointError) as caught:
            y.backward()
    message = str(caught.value)
    assert "'sqrt' node" in message and "inf" in message
    assert f'{HERE}", line {born}' in message


def test_backward_nan_under_detect_anomaly_names_its_birthplace():
    x = Value(0.0)
    with detect_anomaly():
        born = this_line() + 1
        r = x.sqrt()
        y = r * 0.0                                     # 0 * inf = nan on the way back into x
        with pytest.raises(FloatingPointError, match="gave nan") as caught:
            y.backward()
    assert f'{HERE}", line {born}' in str(caught.value)


def test_backward_inf_of_a_graph_made_before_detect_anomaly_says_the_birthplace_is_unknown():
    x = Value(0.0)
    y = x.sqrt() * 2
    with detect_anomaly(), pytest.raises(FloatingPointError, match="unknown: the node was made outside"):
        y.backward()


def test_without_detect_anomaly_an_inf_gradient_reaches_the_leaf_silently():
    x = Value(0.0)
    (x.sqrt() * 2).backward()
    assert x.grad == math.inf


def test_anomaly_birthplace_is_found_in_user_code_under_a_folder_named_autograd(tmp_path):
    # Only deltagrad's own frames are left out of a birthplace: a user's project may well live in .../autograd/.
    folder = tmp_path / "autograd"
    folder.mkdir()
    (folder / "user_model.py").write_text("def make_nan(a):\n    return a - a\n")
    spec = importlib.util.spec_from_file_location("user_model", folder / "user_model.py")
    user_model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(user_model)
    with detect_anomaly(), pytest.raises(FloatingPointError) as caught:
        user_model.make_nan(Value(math.inf))
    assert 'user_model.py", line 2, in make_nan' in str(caught.value)


def test_relu_passes_a_nan_through_instead_of_hiding_it():
    # PyTorch's relu(nan) is nan; returning 0 would hide a NaN born upstream when anomaly checks are off.
    y = Value(math.nan).relu()
    assert math.isnan(y.data)


# --- comparisons: not differentiable, so not defined on Values ------------------------------------------------------
COMPARE = [
    ("<", lambda a, b: a < b), ("<=", lambda a, b: a <= b), (">", lambda a, b: a > b), (">=", lambda a, b: a >= b),
]


@pytest.mark.parametrize("symbol, compare", COMPARE)
@pytest.mark.parametrize("other", [Value(2.0), 2.0, 2, np.float64(2.0)], ids=["Value", "float", "int", "np.float64"])
def test_ordering_a_value_raises_type_error_that_says_to_compare_data(symbol, compare, other):
    for a, b in ((Value(1.0), other), (other, Value(1.0))):
        with pytest.raises(TypeError) as caught:
            compare(a, b)
        message = str(caught.value)
        assert "not differentiable" in message and ".data" in message


def test_max_and_sorted_of_values_say_how_to_choose_by_data():
    with pytest.raises(TypeError, match=r"key=lambda v: v\.data"):
        max(Value(1.0), Value(2.0))
    with pytest.raises(TypeError, match=r"key=lambda v: v\.data"):
        sorted([Value(2.0), Value(1.0)])
    a, b = Value(1.0), Value(2.0)
    assert max(a, b, key=lambda v: v.data) is b


def test_equality_is_identity_so_that_values_are_graph_nodes_and_dict_keys():
    a = Value(1.0)
    assert a == a and a != Value(1.0) and {a: 1}[a] == 1


# --- labels are strings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", [3, 1.5, ("w",)])
def test_a_label_that_is_not_a_string_raises_type_error_naming_its_type(label):
    with pytest.raises(TypeError, match=f"label must be a str, got {type(label).__name__}"):
        Value(1.0, label=label)
    v = Value(1.0)
    with pytest.raises(TypeError, match=f"label must be a str, got {type(label).__name__}"):
        v.label = label


def test_a_label_of_none_means_no_label():
    v = Value(1.0, label="w")
    v.label = None
    assert v.label == "" and repr(v) == "Value(data=1, grad=0)"
    assert Value(1.0, label=None).label == ""


# --- numbers too large for a float ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, op",
    [(lambda: Value(10**400), "Value"), (lambda: Value(1.0) * 10**400, "*"), (lambda: 10**400 + Value(1.0), "+"),
     (lambda: weighted_sum([Value(1.0)], [10**400]), "weighted_sum")],
)
def test_an_int_too_large_for_a_float_raises_value_error_naming_the_op(make, op):
    with pytest.raises(ValueError, match=f"^{re.escape(op)}: .* too large for a float"):
        make()


# --- the seed of backward() --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [np.float64(2.0), np.float32(2.0), 2])
def test_backward_seed_of_any_real_number_gives_float_gradients(seed):
    x = Value(3.0)
    (x * x).backward(seed)
    assert x.grad == 12.0 and type(x.grad) is float


@pytest.mark.parametrize("seed, type_name", [(Value(1.0), "Value"), ("1", "str"), (None, "NoneType")])
def test_backward_seed_that_is_not_a_number_raises_type_error_naming_its_type(seed, type_name):
    x = Value(3.0)
    with pytest.raises(TypeError, match=f"^backward: .*got {type_name}"):
        (x * x).backward(seed)
    assert x.grad == 0.0


# --- detect_anomaly messages say which parent, and whether the derivative or the gradient arriving was bad --------


def test_backward_anomaly_names_the_parent_and_the_local_derivative_times_the_arriving_gradient():
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = x.sqrt() * 3.0
        with pytest.raises(FloatingPointError) as caught:
            y.backward()
    first = str(caught.value).splitlines()[0]
    assert "its parent #0 ('leaf' node 'x', data 0.0)" in first
    assert "the node's local derivative inf times the gradient 3.0 that reached it" in first


def test_backward_anomaly_of_a_product_that_overflows_shows_both_finite_factors():
    h = Value(1e-300, label="h")
    with detect_anomaly():
        loss = (h * 1e200) * 1e200                      # 1e100 forward; dloss/dh = 1e200 * 1e200 overflows
        with pytest.raises(FloatingPointError) as caught:
            loss.backward()
    assert str(caught.value).splitlines()[0] == (
        "backward() through the '*' node gave inf as the gradient of its parent #0 ('leaf' node 'h', data 1e-300): "
        "the node's local derivative 1e+200 times the gradient 1e+200 that reached it (detect_anomaly is on)."
    )


def test_forward_anomaly_shows_the_parents_data():
    a = Value(math.inf, label="a")
    with detect_anomaly(), pytest.raises(FloatingPointError) as caught:
        a - a
    assert str(caught.value).splitlines()[0] == (
        "'-' node produced nan in the forward pass, from parent data inf, inf (detect_anomaly is on)."
    )


def test_backward_with_a_nan_seed_under_detect_anomaly_blames_the_seed():
    x = Value(1.0)
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"^backward: the seed grad is nan"):
        (x * 2).backward(math.nan)


def test_sigmoid_derivative_keeps_its_digits_where_sigmoid_rounds_to_one():
    # sigma'(z) = e^-z / (1 + e^-z)^2; at z = 100 that is 3.72e-44, which s (1 - s) would round to 0.
    for z in (40.0, 100.0, -100.0):
        x = Value(z)
        x.sigmoid().backward()
        e = math.exp(-abs(z))
        assert x.grad == pytest.approx(e / (1 + e) ** 2, rel=1e-12)
        assert x.grad > 0


def test_backward_with_a_nan_seed_and_create_graph_under_detect_anomaly_blames_the_seed():
    x = Value(1.0)
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"^backward: the seed grad is nan"):
        (x * 2).backward(math.nan, create_graph=True)


def test_detect_anomaly_catches_a_leaf_gradient_that_overflows_when_two_finite_contributions_add_up():
    # each path gives x the finite gradient 1e308; their sum, made in backward()'s accumulation, is inf
    for create_graph in (False, True):
        x = Value(1e-300)
        with detect_anomaly():
            y = x * 1e308 + x * 1e308
            with pytest.raises(FloatingPointError, match="add up to inf"):
                y.backward(create_graph=create_graph)
