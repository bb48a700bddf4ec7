"""Second derivatives inside ``no_grad()``: the functional forms, ``backward(create_graph=True)`` and
``gradgradcheck`` record what they need, as PyTorch's do, instead of giving 0 silently.

A Newton step is written ``with no_grad(): H = hessian(f, w); w -= solve(H, g)``. Inside that block f's forward
pass recorded nothing, so every functional form answered zeros (the Hessian of sum(x^3) was [[0, 0], [0, 0]]);
a second ``backward(create_graph=True)`` added its gradient to ``.grad`` as a constant, and ``gradgradcheck``
compared 0 with 0 and passed a wrong second derivative. Expected numbers are the formulas' (x^3: 3 x^2, 6 x)."""

import numpy as np
import pytest

from autograd import GradcheckError, Tensor, Value, grad, gradgradcheck, no_grad, rules
from autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp

X = np.array([0.5, -2.0, 1.5])
V = np.array([1.0, 0.5, -2.0])


def cube_sum(t):
    return (t ** 3).sum()


# name: (the form on Tensors, its numbers by the formulas of x^3: 3 x^2 and 6 x)
TENSOR_FORMS = {
    "hessian": (lambda: hessian(cube_sum, Tensor(X)), np.diag(6 * X)),
    "jacobian": (lambda: jacobian(lambda t: t ** 3, Tensor(X)), np.diag(3 * X ** 2)),
    "vjp": (lambda: vjp(lambda t: t ** 3, Tensor(X), Tensor(V))[1], 3 * X ** 2 * V),
    "jvp": (lambda: jvp(lambda t: t ** 3, Tensor(X), Tensor(V))[1], 3 * X ** 2 * V),
    "hvp": (lambda: hvp(cube_sum, Tensor(X), Tensor(V))[1], 6 * X * V),
    "vhp": (lambda: vhp(cube_sum, Tensor(X), Tensor(V))[1], 6 * X * V),
}


def _values(xs):
    return [Value(float(x)) for x in xs]


def x0_cubed_x1(v):            # f = x0^3 x1: grad (3 x0^2 x1, x0^3), H = [[6 x0 x1, 3 x0^2], [3 x0^2, 0]]
    return v[0] ** 3 * v[1]


A, B = 1.5, -0.5
VALUE_FORMS = {
    "hessian": (lambda: hessian(x0_cubed_x1, _values([A, B])), [[6 * A * B, 3 * A * A], [3 * A * A, 0.0]]),
    "jacobian": (lambda: jacobian(lambda v: [x0_cubed_x1(v)], _values([A, B])), [[3 * A * A * B, A ** 3]]),
    "vjp": (lambda: vjp(x0_cubed_x1, _values([A, B]))[1], [3 * A * A * B, A ** 3]),
    "jvp": (lambda: jvp(x0_cubed_x1, _values([A, B]), [1.0, 2.0])[1], 3 * A * A * B + 2 * A ** 3),
    "hvp": (lambda: hvp(x0_cubed_x1, _values([A, B]), [1.0, 2.0])[1], [6 * A * B + 6 * A * A, 3 * A * A]),
    "vhp": (lambda: vhp(x0_cubed_x1, _values([A, B]), [1.0, 2.0])[1], [6 * A * B + 6 * A * A, 3 * A * A]),
}


def _numbers(r):
    return np.asarray(r.data if isinstance(r, Tensor) else r, dtype=float)


FORMS = {**{f"Tensor {k}": v for k, v in TENSOR_FORMS.items()}, **{f"Value {k}": v for k, v in VALUE_FORMS.items()}}


@pytest.mark.parametrize("inside", [False, True], ids=["grad on", "inside no_grad"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_functional_form_of_either_engine_gives_its_formula_inside_no_grad_as_outside(form, inside):
    call, expected = FORMS[form]
    if inside:
        with no_grad():
            result = call()
    else:
        result = call()
    assert np.allclose(_numbers(result), expected, rtol=1e-14, atol=0), (form, result)


def test_a_hessian_with_create_graph_inside_no_grad_differentiates_again_as_pytorchs_does():
    # sum of H = sum 6 x_i, whose gradient is 6 in every entry
    x = Tensor(X, requires_grad=True)
    with no_grad():
        H = hessian(cube_sum, x, create_graph=True)
        assert H.requires_grad
    (third,) = grad(H.sum(), [x])
    assert third.data.tolist() == [6.0, 6.0, 6.0]
    v = Value(A)
    with no_grad():
        ((h,),) = hessian(lambda vs: vs[0] ** 3, [v], create_graph=True)
    assert grad(h, [v]) == (6.0,)                           # d/dx 6 x


def test_a_second_backward_with_create_graph_inside_no_grad_adds_a_gradient_that_keeps_its_graph():
    # two passes over x^3: .grad = 3 x^2 + 3 x^2 as a graph, whose derivative is 12 x (PyTorch's AccumulateGrad
    # records the sum under create_graph; here it was a constant, and grad() of it was refused)
    x = Tensor(X, requires_grad=True)
    first, second = cube_sum(x), cube_sum(x)
    with no_grad():
        first.backward(create_graph=True)
        second.backward(create_graph=True)
    assert x.grad.requires_grad and np.allclose(x.grad.data, 6 * X ** 2, rtol=1e-15)
    (slope,) = grad(x.grad.sum(), [x])
    assert np.allclose(slope.data, 12 * X, rtol=1e-15)
    v = Value(A)
    first, second = v ** 3, v ** 3
    with no_grad():
        first.backward(create_graph=True)
        second.backward(create_graph=True)
    assert isinstance(v.grad, Value) and v.grad.data == pytest.approx(6 * A * A, rel=1e-15)
    assert grad(v.grad, [v]) == pytest.approx((12 * A,), rel=1e-15)


def test_a_backward_with_create_graph_inside_no_grad_after_a_plain_one_keeps_the_new_gradients_graph():
    # the plain pass leaves numbers (3 x^2, a constant); the recorded one adds 3 x^2 as a graph: slope 6 x
    x = Tensor(X, requires_grad=True)
    cube_sum(x).backward()
    y = cube_sum(x)
    with no_grad():
        y.backward(create_graph=True)
    (slope,) = grad(x.grad.sum(), [x])
    assert np.allclose(slope.data, 6 * X, rtol=1e-15)
    v = Value(A)
    (v ** 3).backward()
    z = v ** 3
    with no_grad():
        z.backward(create_graph=True)
    assert grad(v.grad, [v]) == pytest.approx((6 * A,), rel=1e-15)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")   # PyTorch's note on cycles
def test_a_second_backward_with_create_graph_inside_no_grad_matches_pytorch():
    torch = pytest.importorskip("torch")
    xt = torch.tensor(X, requires_grad=True)
    first, second = (xt.tanh() * xt).sum(), (xt.sin() ** 2).sum()
    with torch.no_grad():
        first.backward(create_graph=True)
        second.backward(create_graph=True)
    (expected,) = torch.autograd.grad((xt.grad ** 2).sum(), [xt])
    x = Tensor(X, requires_grad=True)
    first, second = (x.tanh() * x).sum(), (x.sin() ** 2).sum()
    with no_grad():
        first.backward(create_graph=True)
        second.backward(create_graph=True)
    (slope,) = grad((x.grad ** 2).sum(), [x])
    assert np.allclose(slope.data, expected.numpy(), rtol=1e-12, atol=1e-14)


@pytest.fixture
def wrong_tanh_second_derivative():
    """tanh's rebuilt slope 1 - 1.5 y^2 (the first-order one stays 1 - y^2): a wrong second derivative."""
    original = rules.TANH.partials

    def broken(m, x, y):
        return (1 - y * y * 1.5,) if m is rules.NODES else original(m, x, y)

    object.__setattr__(rules.TANH, "partials", broken)
    yield
    object.__setattr__(rules.TANH, "partials", original)


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_gradgradcheck_inside_no_grad_passes_a_right_second_derivative(engine):
    x = Value(0.7) if engine == "Value" else Tensor([0.7, -0.2], requires_grad=True)
    with no_grad():
        assert gradgradcheck(lambda t: t.tanh() * t, [x])


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_gradgradcheck_inside_no_grad_catches_a_wrong_second_derivative(engine, wrong_tanh_second_derivative):
    x = Value(0.7) if engine == "Value" else Tensor([0.7, -0.2], requires_grad=True)
    with no_grad(), pytest.raises(GradcheckError, match=r"second-derivative entries"):
        gradgradcheck(lambda t: t.tanh(), [x])
