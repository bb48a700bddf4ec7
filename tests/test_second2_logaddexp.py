"""The Values' log-sum-exp (``nn.losses.log_sum_exp``, behind cross_entropy on Values and fit(compile=True)'s
softmax) in every order of its entries. It was a chain s + softplus(v - s), which lost v's digits beside an s far
below: [-1e17, -3, 0] gave ln 2 (0.693) for log(e^-3 + 1) = 0.0486, and the gradient (0, 1/2, 1/2). Each step is
now the Value op ``logaddexp`` (max + log1p(e^-|a - b|), as numpy's). Expected numbers from mpmath at 200 bits."""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import pytest

from autograd import Tensor, Value, compile, rules
from nn import losses
from nn.losses import log_sum_exp

mpmath.mp.prec = 200

ROWS = [(-1e17, -3.0, 0.0), (-40.0, 0.0), (-1e300, 5.0, 4.0), (0.0, -40.0, -40.0), (1e17, 1e17, -1e17),
        (-700.0, -710.0, 2.5, 2.5), (3.0, 3.0)]


def exact_lse(row):
    m = mpmath.mpf(max(row))                      # shifted, so that 200 bits hold terms far below the largest
    return m + mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(z) - m) for z in row))


def exact_softmax(row):
    s = exact_lse(row)
    return [mpmath.exp(mpmath.mpf(z) - s) for z in row]


def orders(row):
    return sorted(set(itertools.permutations(row)))


def ulps(x: float, truth) -> float:
    return float(abs(mpmath.mpf(x) - truth) / mpmath.mpf(math.ulp(float(truth)) if truth else 5e-324))


@pytest.mark.parametrize("row", ROWS)
def test_log_sum_exp_of_values_is_right_in_every_order(row):
    # Each partial sum s_k of the chain is rounded (by u |s_k|, u = 2^-53) and enters the result with the weight
    # e^(s_k - result), so the error is at most about K u (|result| + 1/e) beyond the result's own rounding: a few
    # ulp, but for a result far below 1 (ln(1 + 2 e^-40) = 8.5e-18 after s = ln(2 e^-40) = -39.3: 1.5e-32 off),
    # which no chain of rounded partial sums avoids (the Tensor op reads the largest entry from the data instead)
    truth = exact_lse(row)
    bound = 2 * math.ulp(float(truth)) + len(row) * 2.0**-53 * (abs(float(truth)) + 1 / math.e)
    for order in orders(row):
        s = log_sum_exp([Value(z) for z in order])
        assert abs(mpmath.mpf(s.data) - truth) <= bound, (order, s.data, float(truth))
        if abs(truth) >= 0.01:
            assert ulps(s.data, truth) <= 2, (order, s.data, float(truth))


@pytest.mark.parametrize("row", ROWS)
def test_its_gradient_is_the_softmax_in_every_order(row):
    for order in orders(row):
        xs = [Value(z) for z in order]
        log_sum_exp(xs).backward()
        for x, p in zip(xs, exact_softmax(order)):
            assert x.grad == pytest.approx(float(p), rel=1e-14, abs=1e-300), (order, [x.grad for x in xs])


@pytest.mark.parametrize("row", [(-1e17, -3.0, 0.0), (0.0, 0.0), (2.0, -1.0, 0.5), (1e17, 1e17, -1e17)])
def test_its_second_derivatives_are_diag_p_minus_p_p_in_every_order(row):
    # smooth at ties too ([0, 0]): each step's slopes are sigmoids, not a max whose derivative would jump there
    for order in orders(row):
        p = exact_softmax(order)
        xs = [Value(z) for z in order]
        log_sum_exp(xs).backward(create_graph=True)
        first = [x.grad for x in xs]
        for i, g in enumerate(first):
            for x in xs:
                x.grad = 0.0
            g.backward()
            for j, x in enumerate(xs):
                h = (p[i] if i == j else 0) - p[i] * p[j]
                assert x.grad == pytest.approx(float(h), rel=1e-13, abs=1e-15), (order, i, j, x.grad, float(h))


@pytest.mark.parametrize("row", [(-1e17, -3.0, 0.0), (-40.0, 0.0, -0.5)])
def test_compiled_log_sum_exp_is_the_eager_one_to_the_bit_in_every_order(row):
    fast = compile(lambda v: log_sum_exp(v), list(row), check=True)
    for order in orders(row):
        xs = [Value(z) for z in order]
        s = log_sum_exp(xs)
        s.backward()
        value, grad = fast(list(order))
        assert value == s.data and grad == [x.grad for x in xs]
        assert ulps(value, exact_lse(order)) <= 2


# --- the op itself ------------------------------------------------------------------------------------------------

GRID = [-math.inf, -1e300, -1e17, -745.0, -40.0, -3.0, -1.0, -5e-324, -0.0, 0.0, 1e-300, 0.5, 3.0, 40.0, 710.0,
        1e17, 1.7e308, math.inf]


def test_logaddexp_and_its_slopes_against_mpmath_on_a_grid_with_infinities():
    for a, b in itertools.product(GRID, GRID):
        x, y = Value(a), Value(b)
        out = x.logaddexp(y)
        if a == b and math.isinf(a):
            assert out.data == a                             # ln(2 e^inf) = inf, ln(2 e^-inf) = -inf (numpy)
            continue
        out.backward()
        if math.isinf(a) or math.isinf(b):                   # the larger (finite or not) wins; slopes 1 and 0
            assert out.data == max(a, b) and (x.grad, y.grad) == ((1.0, 0.0) if a > b else (0.0, 1.0))
            continue
        a_, b_ = mpmath.mpf(a), mpmath.mpf(b)
        truth = max(a_, b_) + mpmath.log1p(mpmath.exp(-abs(a_ - b_)))
        assert ulps(out.data, truth) <= 1, (a, b, out.data)
        sa = 1 / (1 + mpmath.exp(b_ - a_))
        assert x.grad == pytest.approx(float(sa), rel=4e-16, abs=0.0), (a, b)
        assert y.grad == pytest.approx(float(1 / (1 + mpmath.exp(a_ - b_))), rel=4e-16, abs=0.0), (a, b)


def test_logaddexp_of_a_nan_is_nan():
    for a, b in ((math.nan, 1.0), (1.0, math.nan), (math.nan, -math.inf)):
        assert math.isnan(Value(a).logaddexp(Value(b)).data)


def test_logaddexp_takes_a_number_and_its_slope_as_a_graph_is_the_first_order_number_to_the_bit():
    for a, b in itertools.product((-1e17, -3.0, 0.0, 0.7, 40.0), repeat=2):
        x, y = Value(a), Value(b)
        out = x.logaddexp(y)
        assert out.data == Value(a).logaddexp(b).data
        da, db = rules.LOGADDEXP.partials(rules.NODES, x, y, out)
        assert (da.data, db.data) == out.partials


def test_logaddexp_is_in_the_rules_table_with_its_formula():
    rule = rules.RULES["logaddexp"]
    assert "max(a, b)" in rule.formula and rule.derivative == "dy/da = sigmoid(a - b), dy/db = sigmoid(b - a)"


# --- the losses that use it ---------------------------------------------------------------------------------------

def test_cross_entropy_of_values_with_a_one_hot_target_beside_a_logit_far_below():
    # -log softmax(z)_2 = log(1 + e^-3 + e^-1e17): the loss was ln 2 and the gradient (0, 1/2, -1/2)
    logits = (-1e17, -3.0, 0.0)
    truth = exact_lse(logits)
    p = exact_softmax(logits)
    for target in ([[0.0, 0.0, 1.0]], [[Value(0.0), Value(0.0), Value(1.0)]], np.array([2])):
        Z = np.array([[Value(z) for z in logits]], dtype=object)
        loss = losses.cross_entropy(Z, target)
        loss.backward()
        assert ulps(loss.data, truth) <= 2
        expected = [float(p[0]), float(p[1]), float(p[2] - 1)]
        assert [v.grad for v in Z[0]] == pytest.approx(expected, rel=1e-14, abs=1e-300)
        T = Tensor(np.array([logits]), requires_grad=True)
        losses.cross_entropy(T, np.array([[0.0, 0.0, 1.0]])).backward()
        assert [v.grad for v in Z[0]] == pytest.approx(T.grad[0].tolist(), rel=1e-14, abs=1e-300)


def test_numpys_logaddexp_of_a_value_is_the_value_op_on_either_side():
    x = Value(-1e17)
    for y in (np.logaddexp(x, -3.0), np.logaddexp(np.float64(-3.0), x)):
        y.backward()
        assert (y.op, y.data) == ("logaddexp", -3.0)
    assert x.grad == 0.0
