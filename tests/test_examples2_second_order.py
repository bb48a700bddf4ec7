"""examples/second_order.py's methods on problems solved by hand: what they print about stalling, where
Levenberg-Marquardt stops, and a cost that is nan."""

import contextlib
import io
import warnings

import numpy as np
import pytest
from loading import load_example, unrasterized

from autograd import Tensor, concatenate


def _bowl(p):
    """C(p) = 1/2 ||p - 1||^2: minimum 0 at p = (1, 1), residuals r = p - 1."""
    d = p - 1.0
    return (d * d).sum() * 0.5


def test_gradient_descent_that_ran_out_of_iterations_is_not_called_stalled(tmp_path, monkeypatch):
    # gradient descent has fewer iterations than the others here: it used all 2 of them, so it did not stall
    example = load_example("second_order")
    unrasterized(monkeypatch)                                  # the report is under test here, not the PNG
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        found = example.main(iterations=3, gd_iterations=2, out_dir=str(tmp_path), show=True)
    assert len(found["hh19"]["gradient descent"]) == 3 and found["reached"]["gradient descent"] is None
    line = next(s for s in out.getvalue().splitlines() if s.strip().startswith("gradient descent"))
    assert "> 2" in line and "stalled" not in line, line
    assert found["stalled"]["gradient descent"] is False


def test_levenberg_marquardt_at_the_minimum_stops_instead_of_doubling_lambda_past_overflow():
    example = load_example("second_order")
    with warnings.catch_warnings():
        warnings.simplefilter("error")                        # lam = inf used to overflow in the solve
        costs = example.levenberg_marquardt(lambda p: p - 1.0, _bowl, np.ones(2), iterations=30)
    assert costs == [0.0]                                     # nothing lowers C = 0: stalled at once


def test_levenberg_marquardt_first_step_is_the_damped_gauss_newton_step_by_hand():
    example = load_example("second_order")
    p0, lam = np.array([0.0, 3.0]), 0.5
    costs = example.levenberg_marquardt(lambda p: p - 1.0, _bowl, p0, iterations=1, lam=lam)
    step = -(p0 - 1.0) / (1.0 + lam)                          # J = I: (I + lam I) s = -r
    expected = 0.5 * np.sum((p0 + step - 1.0) ** 2)
    assert costs == pytest.approx([0.5 * np.sum((p0 - 1.0) ** 2), expected], rel=1e-14)


@pytest.mark.parametrize("method", ["newton", "gauss_newton", "levenberg_marquardt", "lbfgs", "gradient_descent"])
def test_a_nan_cost_stops_the_method_with_its_name(method):
    example = load_example("second_order")

    def cost(p):
        return (p * np.nan).sum()

    calls = {"newton": lambda: example.newton(cost, np.zeros(2), 3),
             "gauss_newton": lambda: example.gauss_newton(lambda p: p * np.nan, cost, np.zeros(2), 3),
             "levenberg_marquardt": lambda: example.levenberg_marquardt(lambda p: p * np.nan, cost, np.zeros(2), 3),
             "lbfgs": lambda: example.lbfgs(cost, np.zeros(2), 3),
             "gradient_descent": lambda: example.gradient_descent(cost, np.zeros(2), 3, eta=0.1)}
    said = rf"{method}: the cost is nan at iteration 0"
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match=said):
        calls[method]()


def test_newton_stops_when_no_step_along_its_direction_lowers_the_cost():
    # C = |p|^2, but the gradient the engine sees is -2 p (the detached term is a constant to it): the Newton
    # direction points uphill, the line search finds nothing, and the same point used to be repeated to the budget
    example = load_example("second_order")

    def uphill(p):
        return -(p * p).sum() + (p.detach() * p.detach()).sum() * 2

    costs, gnorms = example.newton(uphill, np.ones(2), iterations=5)
    assert costs == [2.0] and gnorms == [pytest.approx(2 * np.sqrt(2), rel=1e-15)]


def _rosenbrock(p):
    a = 1.0 - p[0]
    b = p[1] - p[0] * p[0]
    return a * a + b * b * 100.0                              # minimum 0 at (1, 1)


def test_lbfgs_line_search_gets_more_than_one_evaluation_and_reaches_rosenbrocks_minimum():
    # with max_iter=1 and nn.LBFGS's default max_eval (1), a first trial that failed gave t = 0 and every later
    # step retried the same trial: from the classic start (-1.2, 1) the cost stayed 24.2 for all 100 iterations
    example = load_example("second_order")
    costs = example.lbfgs(_rosenbrock, np.array([-1.2, 1.0]), iterations=100)
    assert costs[0] == pytest.approx(2.2 ** 2 + 100 * 0.44 ** 2, rel=1e-15)   # (1 - x)^2 + 100 (y - x^2)^2
    assert costs[-1] < 1e-12 and len(costs) < 100
    assert all(b <= a for a, b in zip(costs, costs[1:]))      # the strong Wolfe search only takes decreases


def test_gauss_newton_first_step_is_the_least_squares_step_by_hand():
    # r(p) = (p0^2 - 2, p0 p1 - 1, p1 - 0.5): J written out by hand, the step solves J s = -r in least squares
    example = load_example("second_order")

    def r(p):
        return concatenate([p[0:1] * p[0:1] - 2.0, p[0:1] * p[1:2] - 1.0, p[1:2] - 0.5])

    def cost(p):
        e = r(p)
        return (e * e).sum() * 0.5

    p0 = np.array([1.0, 1.0])
    res = np.array([p0[0] ** 2 - 2, p0[0] * p0[1] - 1, p0[1] - 0.5])
    J = np.array([[2 * p0[0], 0.0], [p0[1], p0[0]], [0.0, 1.0]])
    step = np.linalg.lstsq(J, -res, rcond=None)[0]
    p1 = p0 + step                                             # the full step lowers C here: Armijo takes t = 1
    expected = 0.5 * np.sum(np.array([p1[0] ** 2 - 2, p1[0] * p1[1] - 1, p1[1] - 0.5]) ** 2)
    assert expected < 0.5 * np.sum(res ** 2)
    costs = example.gauss_newton(r, cost, p0, iterations=1)
    assert costs == pytest.approx([0.5 * np.sum(res ** 2), expected], rel=1e-14)
    assert float(cost(Tensor(p0)).data) == costs[0]


def test_newton_first_step_on_an_indefinite_hessian_is_the_shifted_step_with_armijo_by_hand():
    # C = p0^2 / 2 - p1^2 / 2 + p1^4 / 4 at (1, 0.1): H = diag(1, -0.97), indefinite
    example = load_example("second_order")

    def cost(p):
        return p[0] * p[0] * 0.5 - p[1] * p[1] * 0.5 + p[1] * p[1] * p[1] * p[1] * 0.25

    def by_hand(p):
        return p[0] ** 2 / 2 - p[1] ** 2 / 2 + p[1] ** 4 / 4

    p0 = np.array([1.0, 0.1])
    g = np.array([p0[0], -p0[1] + p0[1] ** 3])
    H = np.diag([1.0, -1.0 + 3 * p0[1] ** 2])
    low = -1.0 + 3 * p0[1] ** 2
    mu = 1e-6 - low + 1e-3 * abs(low)                          # the docstring's least shift, and a margin
    step = -g / (np.diag(H) + mu)
    t = 1.0
    while by_hand(p0 + t * step) > by_hand(p0) + 1e-4 * t * (g @ step):   # Armijo, halving
        t *= 0.5
    costs, gnorms = example.newton(cost, p0, iterations=1)
    assert gnorms[0] == pytest.approx(np.linalg.norm(g), rel=1e-15)
    assert costs == pytest.approx([by_hand(p0), by_hand(p0 + t * step)], rel=1e-12)
    assert costs[1] < costs[0] and t < 1                       # the full shifted step overshoots


@pytest.mark.parametrize("lam", [0.0, -1.0, float("nan")])
def test_levenberg_marquardt_refuses_a_lambda_that_doubling_cannot_make_positive(lam):
    # lam = 0 stays 0 however often it is doubled, a negative one grows the wrong way: both used to run quietly
    with pytest.raises(ValueError, match="levenberg_marquardt: lam must be a finite number above 0"):
        load_example("second_order").levenberg_marquardt(lambda p: p - 1.0, _bowl, np.zeros(2), iterations=3, lam=lam)
