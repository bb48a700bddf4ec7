"""Python's protocols on a Value: truth, == against numbers, conversions and format.

Each of these used to answer without looking at the number (``bool(Value(0.0))`` was True, ``Value(3.0) == 3.0``
False), or to fail with Python's bare message. A Value stays a graph node: compared by identity with Values, and
usable as a dict key.
"""

import math
import operator

import numpy as np
import pytest

from autograd import Value


@pytest.mark.parametrize("number", [0.0, -0.0, 1.0, float("nan")])
def test_truth_of_a_value_is_refused_and_names_its_number(number):
    x = Value(number)
    with pytest.raises(TypeError, match=r"bool\(Value\).*x\.data"):
        bool(x)
    with pytest.raises(TypeError, match=r"bool\(Value\)"):
        if x:  # the loop a student writes: `if loss:` was taken for a loss of 0.0 too
            pass
    with pytest.raises(TypeError, match=r"bool\(Value\)"):
        x or 1.0  # noqa: B018


@pytest.mark.parametrize("number", [3, 3.0, np.float64(3.0), np.float32(3.0), np.int64(3)])
@pytest.mark.parametrize("compare", [operator.eq, operator.ne])
def test_value_against_a_number_is_refused_on_either_side(number, compare):
    x = Value(3.0)
    symbol = "==" if compare is operator.eq else "!="
    with pytest.raises(TypeError, match=rf"{symbol}: a Value compared with the number .*x\.data {symbol}"):
        compare(x, number)
    with pytest.raises(TypeError, match=rf"{symbol}: a Value compared with the number"):
        compare(number, x)  # a numpy scalar on the left reaches numpy's np.equal first


def test_values_still_compare_by_identity_and_are_keys():
    a, b = Value(1.0), Value(1.0)
    assert a == a and not (a == b) and a != b and not (a != a)
    assert {a: 1, b: 2}[b] == 2 and len({a, b, a}) == 2
    assert [a, b].index(b) == 1 and b in [a, b] and Value(1.0) not in [a, b]
    assert np.equal(a, a) and not np.equal(a, b) and np.not_equal(a, b)
    assert (a == None) is False and (a != "a") is True  # noqa: E711  not numbers: identity, as any object


@pytest.mark.parametrize("convert", [float, int, complex, round, math.floor, math.exp, math.isfinite])
def test_conversions_to_a_number_are_refused_naming_data(convert):
    # math.exp(x) would leave the graph: the product with it is then a constant, and x gets no gradient
    with pytest.raises(TypeError, match=r"\(Value\): a Value is a graph node, not a number.*x\.data"):
        convert(Value(2.5))


@pytest.mark.parametrize("number", [2.0 / 3.0, -1e-300, 12345.678, float("inf")])
@pytest.mark.parametrize("spec", [".3f", ".2e", "10.4g", "+.1%"])
def test_format_spec_formats_the_number(number, spec):
    x = Value(number)
    assert f"{x:{spec}}" == format(number, spec)
    assert format(x, spec) == format(number, spec)


def test_format_without_spec_is_the_repr():
    x = Value(0.5, label="x")
    assert f"{x}" == str(x) == repr(x)


@pytest.mark.parametrize("label", [Value(1.0), 3, b"x"])
def test_a_label_that_is_not_a_str_is_refused_by_name(label):
    # A Value as label met `if label:` first, and was refused for its truth, not as a label
    with pytest.raises(TypeError, match=r"^Value: label must be a str, got " + type(label).__name__):
        Value(2.0, label=label)


def test_a_label_none_or_empty_is_no_label():
    assert Value(2.0, label=None).label == "" and Value(2.0, label="").label == ""
