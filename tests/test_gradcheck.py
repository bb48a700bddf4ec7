"""numerical_grad (central differences) and gradcheck (backward() against them) on Values."""

import math

import numpy as np
import pytest
from hypothesis import given

from autograd import GradcheckError, Tensor, Value, gradcheck, gradgradcheck, is_grad_enabled, numerical_grad
from autograd.testing import expressions, floats, values


def wrong_cube(x: Value) -> Value:
    """A custom op with a wrong derivative: its value is x^3, but it records the partial 1 (that of x * 1)."""
    out = x * 1.0
    out.data = x.data**3
    return out


def off_by(delta: float):
    """x -> (1 + delta) x, recorded with the partial 1: the analytic gradient is off by exactly delta."""

    def f(x: Value) -> Value:
        out = x * 1.0
        out.data = x.data * (1.0 + delta)
        return out

    return f


# --- numerical_grad -------------------------------------------------------------------------------------------------


@given(floats(-3, 3), floats(0.01, 0.1))
def test_numerical_grad_is_the_central_difference(x, eps):
    # ((x + e)^3 - (x - e)^3) / (2e) = 3x^2 + e^2 exactly; a one-sided difference would give 3x^2 + 3xe + e^2.
    (g,) = numerical_grad(lambda v: v * v * v, [Value(x)], eps=eps)
    assert math.isclose(g, 3 * x * x + eps * eps, rel_tol=1e-9, abs_tol=1e-9)


@given(values(), values(0.5, 2))
def test_numerical_grad_gives_one_float_per_input(x, y):
    gx, gy = numerical_grad(lambda a, b: a * b.log(), [x, y])
    assert math.isclose(gx, math.log(y.data), rel_tol=1e-6, abs_tol=1e-8)
    assert math.isclose(gy, x.data / y.data, rel_tol=1e-6, abs_tol=1e-8)


@given(expressions())
def test_numerical_grad_leaves_the_inputs_data_unchanged_to_the_bit(expression):
    f, inputs = expression
    before = [x.data for x in inputs]
    numerical_grad(f, inputs)
    assert [x.data for x in inputs] == before
    assert is_grad_enabled()


# --- gradcheck --------------------------------------------------------------------------------------------------------


@given(expressions())
def test_gradcheck_returns_true_on_correct_ops(expression):
    f, inputs = expression
    assert gradcheck(f, inputs) is True


@given(expressions(), floats(-5, 5))
def test_gradcheck_leaves_the_inputs_grad_and_data_unchanged(expression, g):
    f, inputs = expression
    for x in inputs:
        x.grad = g
    data = [x.data for x in inputs]
    gradcheck(f, inputs)
    assert [x.grad for x in inputs] == [g] * len(inputs)
    assert [x.data for x in inputs] == data


def test_gradcheck_raises_on_a_wrong_derivative_with_a_table_naming_the_input():
    x = Value(2.0, label="w")
    with pytest.raises(GradcheckError) as caught:
        gradcheck(wrong_cube, [x])
    message = str(caught.value)
    assert "1 of 1 gradient entries disagree" in message
    for column in ("input", "analytic", "numeric", "|error|", "allowed"):
        assert column in message
    row = message.splitlines()[-1].split()
    assert row[0] == "w"
    assert float(row[1]) == 1.0                          # the recorded partial
    assert math.isclose(float(row[2]), 12.0, rel_tol=1e-6)  # d(x^3)/dx = 3x^2 at 2
    assert math.isclose(float(row[3]), 11.0, rel_tol=1e-6)


def test_gradcheck_names_an_unlabelled_input_by_its_position_and_lists_only_the_wrong_ones():
    a, b = Value(0.5), Value(1.5)
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda u, v: u.tanh() + wrong_cube(v), [a, b])
    message = str(caught.value)
    assert "1 of 2 gradient entries disagree" in message
    assert "inputs[1]" in message and "inputs[0]" not in message


def test_gradcheck_is_a_gradcheck_error_that_is_also_an_assertion_error():
    assert issubclass(GradcheckError, AssertionError)


def test_gradcheck_without_raising_returns_false_on_a_wrong_derivative():
    assert gradcheck(wrong_cube, [Value(2.0)], raise_exception=False) is False
    assert gradcheck(lambda v: v * v * v, [Value(2.0)], raise_exception=False) is True


def test_gradcheck_allows_exactly_atol_plus_rtol_times_the_numeric_gradient():
    x = [Value(0.7)]
    f = off_by(1e-4)                                    # analytic 1, numeric 1.0001
    assert gradcheck(f, x, atol=2e-4, rtol=0.0)
    assert not gradcheck(f, x, atol=5e-5, rtol=0.0, raise_exception=False)
    assert gradcheck(f, x, atol=0.0, rtol=2e-4)
    assert not gradcheck(f, x, atol=0.0, rtol=5e-5, raise_exception=False)
    # The defaults (atol=1e-5, rtol=1e-3) allow about 1.01e-3 here.
    assert gradcheck(off_by(5e-4), x)
    assert not gradcheck(off_by(2e-3), x, raise_exception=False)


def test_gradcheck_of_an_input_the_output_ignores_compares_zero_with_zero():
    assert gradcheck(lambda a, b: a.exp(), [Value(0.3), Value(-4.0)])


def test_gradcheck_rejects_inputs_that_are_not_nodes_naming_their_type():
    with pytest.raises(TypeError, match=r"inputs\[0\] is a float"):
        gradcheck(lambda v: v * 2, [1.5])


@given(values(-1, 1, label="w"), values(-1, 1, label="b"))
def test_gradcheck_passes_on_a_neuron(w, b):
    assert gradcheck(lambda w, b: (w * 0.5 + b).tanh(), [w, b])


def test_numerical_grad_restores_the_input_even_when_f_fails_at_a_perturbed_point():
    x = Value(1e-7)                                     # x - eps < 0: sqrt fails there
    with pytest.raises(ValueError, match="^sqrt: "):
        numerical_grad(lambda v: v.sqrt(), [x])
    assert x.data == 1e-7
    with pytest.raises(ValueError, match="^sqrt: "):
        gradcheck(lambda v: v.sqrt(), [x])
    assert x.data == 1e-7 and x.grad == 0.0


# --- misuse: what f returns, how the inputs are passed ----------------------------------------------------------


@pytest.mark.parametrize(
    "f, type_name",
    [(lambda v: v.data**2, "float"), (lambda v: 3, "int"), (lambda v: np.float64(1.0), "float64"),
     (lambda v: None, "NoneType"), (lambda v: [v * v], "list")],
)
def test_gradcheck_of_f_that_returns_no_node_says_so_and_how_to_fix_it(f, type_name):
    x = Value(1.5, label="x")
    with pytest.raises(TypeError, match=f"^gradcheck: f returned a {type_name}, not a Value or Tensor") as caught:
        gradcheck(f, [x])
    assert ".data" in str(caught.value)
    assert (x.data, x.grad) == (1.5, 0.0)


def test_numerical_grad_of_f_that_returns_no_number_names_the_type():
    with pytest.raises(TypeError, match="^numerical_grad: f returned a NoneType"):
        numerical_grad(lambda v: None, [Value(1.0)])
    (g,) = numerical_grad(lambda v: v.data**2, [Value(1.5)])      # plain numbers are fine here: no backward()
    assert math.isclose(g, 3.0, rel_tol=1e-8)


@pytest.mark.parametrize("check", [gradcheck, numerical_grad])
@pytest.mark.parametrize("one", [Value(1.0), Tensor(np.ones(2), requires_grad=True)], ids=["Value", "Tensor"])
def test_a_single_input_not_in_a_list_is_a_type_error_that_says_to_write_a_list(check, one):
    with pytest.raises(TypeError, match=rf"^{check.__name__}: inputs must be a list .* got a {type(one).__name__}; "
                                        r"write \[x\]"):
        check(lambda v: (v * v).sum() if isinstance(v, Tensor) else v * v, one)


@pytest.mark.parametrize("x", [Value(2.0), Tensor(np.ones(2), requires_grad=True)], ids=["Value", "Tensor"])
def test_the_same_input_twice_is_rejected_instead_of_reporting_a_false_failure(x):
    # Perturbing inputs[0] perturbs inputs[1] too: the numeric gradient of each would be the total, 2x, not x.
    with pytest.raises(ValueError, match=r"^gradcheck: inputs\[0\] and inputs\[1\] are the same"):
        gradcheck(lambda a, b: (a * b).sum() if isinstance(a, Tensor) else a * b, [x, x])


def test_gradcheck_table_says_a_zero_gradient_against_a_nonzero_numeric_one_means_a_cut_graph():
    x = Value(1.5, label="x")
    with pytest.raises(GradcheckError, match=r"(?s)x .* 0 .* 3 .*analytic gradient 0.*cut the graph") as caught:
        gradcheck(lambda v: Value(v.data**2), [x])                  # a new leaf: backward() never reaches x
    assert "no_grad" in str(caught.value)
    with pytest.raises(GradcheckError) as caught:
        gradcheck(wrong_cube, [Value(2.0)])                        # wrong, but not 0: no such hint
    assert "cut the graph" not in str(caught.value)


def test_numerical_grad_refuses_a_float32_tensor_like_gradcheck():
    # float32 cannot resolve a step of 1e-6 around 1.0: the "derivative" of y^2 at 1 came out 1.907, not 2.
    y = Tensor([1.0, 2.0], dtype=np.float32, requires_grad=True)
    with pytest.raises(ValueError, match=r"numerical_grad: inputs\[0\] has dtype float32.*float64"):
        numerical_grad(lambda y: (y * y).sum(), [y])


@pytest.mark.parametrize("check", [gradcheck, numerical_grad])
@pytest.mark.parametrize("view", ["detach", "transpose", "slice"])
def test_inputs_that_share_memory_are_refused_instead_of_summing_their_differences(check, view):
    # y's array is (a view of) x's: a step in x[i] moved y too, so numerical_grad returned d/dx of f(x, y(x)),
    # [2 x, 2 x] for sum(x y) at y = x, not the partials [y, x]; gradcheck reported a false failure.
    x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x.detach().requires_grad_() if view == "detach" else Tensor(np.zeros(2), requires_grad=True)
    if view == "transpose":
        y.data = x.data.T
    elif view == "slice":
        y.data = x.data[1]
    with pytest.raises(ValueError, match=rf"^{check.__name__}: inputs\[0\] and inputs\[1\] share memory.*copy"):
        check(lambda a, b: (a * b).sum(), [x, y])
    assert x.data.tolist() == [[1.0, 2.0], [3.0, 4.0]]                # left as it was


def test_numerical_grad_of_inputs_in_disjoint_parts_of_one_array_is_each_partial():
    # Interleaved views of one array share no entry: perturbing one moves nothing in the other.
    base = np.array([1.0, 2.0, 3.0, 4.0])
    x, y = Tensor(np.zeros(2), requires_grad=True), Tensor(np.zeros(2), requires_grad=True)
    x.data, y.data = base[::2], base[1::2]
    gx, gy = numerical_grad(lambda a, b: (a * b).sum(), [x, y])
    assert np.allclose(gx, [2.0, 4.0]) and np.allclose(gy, [1.0, 3.0])
    assert gradcheck(lambda a, b: (a * b).sum(), [x, y])


@pytest.mark.parametrize("check", [gradcheck, numerical_grad])
def test_a_read_only_input_is_refused_by_name_before_any_step(check):
    x = Tensor([1.0, 2.0], requires_grad=True)
    x.data = np.array([1.0, 2.0])
    x.data.flags.writeable = False
    with pytest.raises(ValueError, match=rf"^{check.__name__}: inputs\[0\]'s array is read-only.*copy"):
        check(lambda a: (a * a).sum(), [x])


# --- false passes: a wrong gradient must never read True -------------------------------------------------------------
EDGE = math.sqrt(1.7976931348623157) - 5e-7      # (EDGE + 1e-6)^2 * 1e308 overflows, (EDGE - 1e-6)^2 * 1e308 does not


@pytest.mark.filterwarnings("ignore:overflow encountered")
@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_a_numeric_gradient_that_overflowed_does_not_pass_any_analytic_one(engine):
    # f(x) = x^2 1e308 with half the graph cut: backward() gives x 1e308, half the true 2x 1e308. At x + eps
    # f overflows, and |a - inf| <= atol + rtol * inf held for any analytic a. (gradcheck seeds one-number outputs
    # with -2, which overflows here already: the entry reads an infinite analytic and a NaN numeric gradient;
    # test_mutants_gradcheck checks a numeric gradient of inf against a finite analytic one.)
    if engine == "Value":
        x, f = Value(EDGE), lambda v: v * Value(v.data) * 1e308
    else:
        x, f = Tensor([EDGE], requires_grad=True), lambda t: (t * Tensor(t.data.copy()) * 1e308).sum()
    with pytest.raises(GradcheckError, match=r"(?s)1 of 1 gradient entries disagree.*inf.*not finite.*overflow"):
        gradcheck(f, [x])
    assert gradcheck(f, [x], raise_exception=False) is False


@pytest.mark.parametrize("check", [gradcheck, numerical_grad, gradgradcheck])
@pytest.mark.parametrize("x, eps", [(1.0, 1e-20), (2e12, 1e-6)])
def test_a_step_lost_in_rounding_is_refused_instead_of_a_zero_difference(check, x, eps):
    # x + eps == x: every difference was f(x) - f(x) = 0, so a cut graph (analytic 0, true gradient 3)
    # passed gradcheck, and numerical_grad returned 0 for a slope of 3.
    def cut(t):
        return (Tensor(t.data * 3.0) + t * 0.0).sum() if isinstance(t, Tensor) else Value(t.data * 3.0) + t * 0.0

    for inputs in ([Value(x)], [Tensor([0.0, x], requires_grad=True)]):
        with pytest.raises(ValueError, match=rf"^{check.__name__}: eps={eps:g} is lost in rounding at inputs\[0\]"
                                             r".*step taken.*eps of about"):
            check(cut, inputs, eps=eps)
    t = Tensor([0.0, x], requires_grad=True)
    with pytest.raises(ValueError, match=r"is lost in rounding at inputs\[0\]\[\(1,\)\]"):
        gradcheck(cut, [t], eps=eps, fast_mode=True) if check is gradcheck else check(cut, [t], eps=eps)


@pytest.mark.parametrize("inputs", [[], "empty"])
def test_gradcheck_with_no_entry_to_check_is_refused_rather_than_true(inputs):
    if inputs == "empty":
        inputs = [Tensor(np.zeros((0, 3)), requires_grad=True)]
    for check in (gradcheck, gradgradcheck):
        with pytest.raises(ValueError, match=rf"^{check.__name__}: the inputs hold no entry to check.*shapes"):
            check(lambda *a: Value(1.0) * 2 if not a else (Tensor(a[0].data) * 2 + a[0] * 0).sum(), inputs)


@pytest.mark.parametrize("check", [gradcheck])   # numerical_grad calls f once per difference, and no more
def test_f_that_is_not_deterministic_is_named_instead_of_a_kink_or_a_table(check):
    # a random factor (dropout, an unseeded generator) changes f between calls: gradcheck reported "f has a kink"
    rng = np.random.default_rng(0)
    for x, f in ((Value(0.7), lambda v: v * v * float(rng.uniform(1, 2))),
                 (Tensor([0.7, 1.2], requires_grad=True), lambda t: (t * t * float(rng.uniform(1, 2))).sum())):
        with pytest.raises(ValueError, match=rf"^{check.__name__}: f gave .* and .* at the same inputs.*random"):
            check(f, [x])


@pytest.mark.parametrize("check", [gradcheck, numerical_grad])
def test_f_that_changes_its_input_in_place_is_refused_and_the_input_given_back(check):
    # x.data *= 2 inside f: gradcheck reported wrong gradients of a right op, or checked the gradient at
    # another point than the one given (and left it there)
    def grows(t):
        t.data *= 2.0
        return (t * t).sum()

    def sets(t):
        y = (t * t).sum()
        t.data[0] = 5.0
        return y

    for f in (grows, sets):
        x = Tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(ValueError, match=rf"^{check.__name__}: f changed inputs\[0\] in place.*copy"):
            check(f, [x])
        assert x.data.tolist() == [1.0, 2.0]
    v = Value(1.5)
    with pytest.raises(ValueError, match=r"f changed inputs\[0\] in place"):
        check(lambda a: setattr(a, "data", 2.0) or a * a, [v])
    assert v.data == 1.5


def test_f_that_changes_its_input_only_at_a_stepped_point_is_refused_too():
    def moves_when_stepped(t):
        if t.data[0] != 1.0:
            t.data[1] = 7.0
        return (t * t).sum()

    for check, options in ((gradcheck, {}), (gradcheck, {"fast_mode": True}), (numerical_grad, {})):
        x = Tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(ValueError, match=rf"^{check.__name__}: f changed inputs\[0\] in place"):
            check(moves_when_stepped, [x], **options)
        assert x.data.tolist() == [1.0, 2.0]
