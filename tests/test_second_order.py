"""Second derivatives (issue 13): backward(create_graph=True), autograd.grad, autograd.functional, gradgradcheck.

Three oracles, as for first derivatives: closed forms at known points, central differences of the gradient, and
the other engine (every hypothesis-drawn Value program run again on Tensors)."""

import math

import numpy as np
import pytest
from hypothesis import given

import nn
from autograd import (
    GradcheckError,
    Tensor,
    Value,
    concatenate,
    grad,
    gradgradcheck,
    linear,
    logaddexp,
    maximum,
    minimum,
    rules,
    softmax_cross_entropy,
    stack,
    where,
)
from autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp
from autograd.testing import expressions
from nn import losses

# --- the same program on the Tensor engine: each step's text evaluated with Tensor ops --------------------------

_ON_TENSORS = {name: (lambda n: (lambda t: getattr(t, n)()))(name) for name in rules.FUNCTIONS}
_ON_TENSORS["neg"] = lambda t: -t
_ON_TENSORS["weighted_sum"] = lambda w, x, b=0.0: sum((wi * xi for wi, xi in zip(w, x)), b * 1.0)
_ON_TENSORS["logaddexp"] = logaddexp                                        # the Tensor op of the same rule


def _run_on_tensors(expression, xs):
    names = {f"x{i}": x for i, x in enumerate(xs)}
    last = None
    for line in expression.lines():
        last, text = line.split(" = ", 1)
        names[last] = eval(text, dict(_ON_TENSORS), names)  # noqa: S307 (the strategy's own program text)
    return names[last]


def _hessian_by_differences(f, xs, eps=1e-6):
    """Central differences of the (first-order) gradient: column k is (g(x + eps e_k) - g(x - eps e_k)) / 2 eps."""
    n = len(xs)
    H = np.zeros((n, n))
    for k in range(n):
        kept = xs[k].data
        cols = []
        for step in (eps, -eps):
            xs[k].data = kept + step
            cols.append(np.array(grad(f(xs), xs, allow_unused=True)[:], dtype=object))
        xs[k].data = kept
        up, down = (np.array([0.0 if g is None else g for g in c], dtype=float) for c in cols)
        H[:, k] = (up - down) / (2 * eps)
    return H


@given(expressions())
def test_value_hessians_of_drawn_programs_match_central_differences_and_the_tensor_engine(expression):
    f, inputs = expression
    H = hessian(lambda xs: f(*xs), list(inputs))
    assert H.shape == (len(inputs), len(inputs))
    assert np.allclose(H, H.T, rtol=1e-9, atol=1e-9)                             # second derivatives commute
    numeric = _hessian_by_differences(lambda xs: f(*xs), [Value(x.data) for x in inputs])
    assert np.allclose(H, numeric, rtol=1e-4, atol=1e-5 * (1 + np.abs(H).max())), (expression, H, numeric)
    blocks = hessian(lambda *ts: _run_on_tensors(expression, ts), tuple(Tensor(x.data) for x in inputs))
    on_tensors = np.array([[float(b.data) for b in row] for row in blocks])
    assert np.allclose(H, on_tensors, rtol=1e-10, atol=1e-12), (expression, H, on_tensors)


# --- closed forms at known points --------------------------------------------------------------------------------

@pytest.mark.parametrize("x", [2.0, -1.5, 0.5, 3.0])
def test_grad_of_grad_of_x_cubed_is_6x_exactly(x):
    v = Value(x)
    (d1,) = grad(v ** 3, [v], create_graph=True)
    assert d1.data == 3 * x * x
    assert grad(d1, [v]) == (6 * x,)
    t = Tensor([x], requires_grad=True)
    (g1,) = grad((t ** 3).sum(), [t], create_graph=True)
    (g2,) = grad(g1.sum(), [t])
    assert g2.data.tolist() == [6 * x]


@pytest.mark.parametrize("x", [0.3, -0.7, 1.9, 0.0])
def test_grad_of_grad_of_tanh_is_minus_2_tanh_times_its_slope(x):
    t = math.tanh(x)
    exact = -2 * t * (1 - t * t)
    v = Value(x)
    (d1,) = grad(v.tanh(), [v], create_graph=True)
    (d2,) = grad(d1, [v])
    assert d2 == pytest.approx(exact, rel=1e-15, abs=1e-300)
    T = Tensor([x], requires_grad=True)
    (g1,) = grad(T.tanh().sum(), [T], create_graph=True)
    assert grad(g1.sum(), [T])[0].data[0] == pytest.approx(exact, rel=1e-15, abs=1e-300)


def test_backward_create_graph_leaves_a_gradient_that_differentiates_again_on_both_engines():
    x = Value(1.5)
    (x ** 4).backward(create_graph=True)                                          # 4 x^3
    g = x.grad
    assert isinstance(g, Value) and g.data == 4 * 1.5 ** 3
    x.zero_grad()
    g.backward()                                                                  # 12 x^2
    assert x.grad == 12 * 1.5 ** 2
    T = Tensor([1.0, 2.0], requires_grad=True)
    (T * T * T).sum().backward(create_graph=True)
    G = T.grad
    assert isinstance(G, Tensor) and G.requires_grad and G.data.tolist() == [3.0, 12.0]
    T.grad = None
    G.sum().backward()
    assert T.grad.tolist() == [6.0, 12.0]
    T.grad = None
    (T * T).sum().backward()                                                      # the default path is unchanged
    assert isinstance(T.grad, np.ndarray) and T.grad.tolist() == [2.0, 4.0]


def test_a_float64_seed_for_a_float32_output_gives_create_graph_the_first_order_digits_and_dtype():
    # The first-order pass takes the seed in the output's dtype; create_graph=True used the float64 Tensor as it
    # was: tanh's vjp ran in float64 (a last digit off after the cast back), and a leaf that is itself the output
    # got a float64 .grad.
    rng = np.random.default_rng(0)
    seed = rng.standard_normal(6)
    x = Tensor(rng.standard_normal(6).astype(np.float32), requires_grad=True)
    for y in (x.tanh(), x):
        (first,) = grad(y, [x], grad_outputs=[seed])
        (graph,) = grad(y, [x], grad_outputs=[Tensor(seed)], create_graph=True)
        assert graph.data.dtype == np.float32 and np.array_equal(graph.data, first.data)
        y.backward(Tensor(seed), create_graph=True)
        assert x.grad.data.dtype == np.float32 and np.array_equal(x.grad.data, first.data)
        x.grad = None
    v = Tensor(seed, requires_grad=True)                        # the seed stays differentiable: d/dv = x
    (graph,) = grad(x * 1.0, [x], grad_outputs=[v], create_graph=True)
    assert np.array_equal(grad(graph.sum(), [v])[0].data, np.ones(6))


def test_grad_leaves_every_dot_grad_untouched():
    x, T = Value(2.0), Tensor([1.0, 2.0], requires_grad=True)
    grad(x * x, [x], create_graph=True)
    grad((T * T).sum(), [T])
    assert x.grad == 0.0 and T.grad is None


# --- every op twice differentiable ---------------------------------------------------------------------------------

_VALUE_OPS = {
    "+": lambda a, b: a + b + 0.5 + 0.25 * a * b, "-": lambda a, b: (a - b) * (2.0 - a) * (1.0 - b),
    "*": lambda a, b: a * b * a, "/": lambda a, b: a / b + 2.0 / b + a / 3.0, "**": lambda a, b: a ** b + a ** 3,
    "c**x": lambda a, b: 2.0 ** (a * b), "neg": lambda a, b: -(a * b * b), "exp": lambda a, b: (a * b).exp(),
    "log": lambda a, b: (a * b).log(), "sqrt": lambda a, b: (a * b).sqrt(), "tanh": lambda a, b: (a * b).tanh(),
    "sigmoid": lambda a, b: (a * b).sigmoid(), "relu": lambda a, b: (a * b).relu() * a,
    "softplus": lambda a, b: (a * b).softplus(), "abs": lambda a, b: (a * b).abs() * b,
    "sin": lambda a, b: (a * b).sin(), "cos": lambda a, b: (a * b).cos(),
    "weighted_sum": lambda a, b: __import__("autograd").weighted_sum([a, b, 0.5], [b, a * a, a], bias=b * 2.0),
}


@pytest.mark.parametrize("op", sorted(_VALUE_OPS))
def test_every_value_op_is_twice_differentiable(op):
    assert gradgradcheck(_VALUE_OPS[op], [Value(0.8, label="a"), Value(1.3, label="b")])


def _x(shape=(3, 4), seed=0, low=0.5, high=1.5):
    return Tensor(np.random.default_rng(seed).uniform(low, high, shape), requires_grad=True, name="x")


_TENSOR_OPS = {
    "+ - * /": lambda x: (x + 1.0) * (2.0 - x) / (x + 3.0) - x / 2.0 + 1.0 / x,
    "broadcast": lambda x: (x * x[0] + x[:, :1] / x[1]).sum(axis=0),
    "** and c**x": lambda x: x ** 3 + x ** x + 2.0 ** x + x ** np.array([1.0, 2.0, 0.0, -1.0]),
    "functions": lambda x: x.exp() + x.log() + x.sqrt() + x.tanh() + x.sigmoid() + x.softplus() + x.sin() * x.cos(),
    "relu abs clip": lambda x: (x - 1.0).relu() * x + (x - 1.0).abs() * x + x.clip(0.8, 1.2) * x,
    "sum mean": lambda x: x.sum(axis=1) * x.mean(axis=0)[:3] + x.sum(keepdims=True) * x.mean(),
    "max min var": lambda x: x.max(axis=0) * x.min(axis=1, keepdims=True) + x.var(axis=1, ddof=1, keepdims=True),
    "softmax family": lambda x: x.softmax(axis=0) * x.log_softmax(axis=-1) + x.logsumexp(axis=1, keepdims=True),
    "matmul": lambda x: (x @ x.T) @ x + (x[0] @ x.T).reshape(3, 1) * (x @ x[1]).sum() + x[0] @ x[1],
    "stacked matmul": lambda x: x.reshape(3, 2, 2) @ x.reshape(3, 2, 2) + (x.reshape(3, 2, 2) @ x[0, :2])[..., None],
    "reshape transpose getitem": lambda x: x.reshape(2, 6).T[[0, 0, 3]] * x.transpose(1, 0)[1:4, ::2].sum(),
    "concatenate stack": lambda x: concatenate([x, x * x], axis=1) * stack([x[0], x[1]]).sum(),
    "maximum minimum where": lambda x: maximum(x, x * x) * minimum(x, 1.0) + where(x.data > 1.0, x * x, x.exp()),
    "fused linear": lambda x: (linear(x, x[:2], x[0, :2], activation="tanh") * linear(x, x[1:3], activation="sigmoid")
                               + linear(x, x[:2] - 1.0, activation="softplus") + linear(x[0], x[:2] * 0.5)),
    "fused softmax_cross_entropy": lambda x: softmax_cross_entropy(x * 3.0, np.array([0, 3, 1])) * x.sum(),
}


@pytest.mark.parametrize("op", sorted(_TENSOR_OPS))
def test_every_tensor_op_is_twice_differentiable(op):
    assert gradgradcheck(_TENSOR_OPS[op], [_x()])


def test_gradgradcheck_reports_a_wrong_second_derivative_in_a_table():
    x = Value(0.7, label="x")

    def f(v):
        return v.tanh()

    assert gradgradcheck(f, [x])
    original = rules.TANH.partials

    def broken(m, x, y):                                    # the rebuilt partial is wrong; first derivatives stay right
        return (1 - y * y * 1.5,) if m is rules.NODES else original(m, x, y)

    object.__setattr__(rules.TANH, "partials", broken)
    try:
        with pytest.raises(GradcheckError, match=r"gradgradcheck: 1 of 1 second-derivative entries") as failure:
            gradgradcheck(f, [x])
        assert "x/x" in str(failure.value) and "analytic" in str(failure.value)
    finally:
        object.__setattr__(rules.TANH, "partials", original)


def test_gradgradcheck_catches_a_create_graph_gradient_whose_value_is_wrong_but_whose_slope_is_right(monkeypatch):
    # y = x^2 with a rebuilt vjp g (2x + 1): create_graph=True gives .grad 2x + 1 (wrong), yet its derivative, 2,
    # is right. As the last op of f, the second derivatives alone all agree; the gradient itself must be compared.
    from autograd.tensor import vjp_graph
    from autograd.tensor.core import make

    def square(x):
        return make(x.data * x.data, (x,), lambda g, xd=x.data: (g * 2.0 * xd,), "square")

    monkeypatch.setitem(vjp_graph.VJPS, "square", lambda node, g: (g * (node.parents[0] * 2.0 + 1.0),))
    x = Tensor([0.3, -0.8, 1.1], requires_grad=True, name="x")
    (wrong,) = grad(square(x).sum(), [x], create_graph=True)
    assert wrong.data.tolist() == pytest.approx([1.6, -0.6, 3.2])                # 2x + 1, not 2x
    for f in (square, lambda t: square(t).sum() * 3.0):
        with pytest.raises(GradcheckError, match=r"create_graph=True.*3 of 3") as failure:
            gradgradcheck(f, [x])
        assert "x" in str(failure.value) and "first-order" in str(failure.value)
        assert gradgradcheck(f, [x], raise_exception=False) is False
    monkeypatch.setitem(vjp_graph.VJPS, "square", lambda node, g: (g * node.parents[0] * 2.0,))
    assert gradgradcheck(square, [x])


def test_gradgradcheck_seeds_a_one_number_output_at_random_so_a_vjp_that_drops_g_is_caught(monkeypatch):
    # a rebuilt vjp 2x for y = x^2, not g 2x: right when the incoming g is 1, so with f's last op a sum (seed 1)
    # nothing differed; seeded with a random number the create_graph gradient s 2x... is 2x, and that shows
    from autograd.tensor import vjp_graph
    from autograd.tensor.core import make

    def square(x):
        return make(x.data * x.data, (x,), lambda g, xd=x.data: (g * 2.0 * xd,), "square")

    x = Tensor([0.3, -0.8, 1.1], requires_grad=True, name="x")
    monkeypatch.setitem(vjp_graph.VJPS, "square", lambda node, g: (node.parents[0] * 2.0,))        # g dropped
    (at_one,) = grad(square(x).sum(), [x], create_graph=True)
    assert at_one.data.tolist() == pytest.approx([0.6, -1.6, 2.2])              # right at g = 1: hides the bug
    with pytest.raises(GradcheckError, match=r"create_graph=True"):
        gradgradcheck(lambda t: square(t).sum(), [x])
    monkeypatch.setitem(vjp_graph.VJPS, "square", lambda node, g: (g * node.parents[0] * 2.0,))
    assert gradgradcheck(lambda t: square(t).sum(), [x])


# --- the stable forms and the kinks --------------------------------------------------------------------------------

def _sigmoid_second(x):
    e = math.exp(-abs(x))                                  # sigma'' = s (1 - s) (1 - 2 s), without 1 - s cancelling
    return math.copysign(e * (1 - e) / (1 + e) ** 3, -x) if x else 0.0


@pytest.mark.parametrize("x", [-1000.0, -30.0, -2.0, 0.0, 2.0, 30.0, 1000.0])
def test_sigmoid_and_softplus_second_derivatives_are_finite_and_right_far_out(x):
    e = math.exp(-abs(x))
    for f, exact in ((lambda v: v.sigmoid(), _sigmoid_second(x)), (lambda v: v.softplus(), e / (1 + e) ** 2)):
        v = Value(x)
        (d1,) = grad(f(v), [v], create_graph=True)
        (d2,) = grad(d1, [v])
        assert math.isfinite(d2) and d2 == pytest.approx(exact, rel=1e-12, abs=1e-300)
        T = Tensor([x], requires_grad=True)
        H = hessian(lambda t, f=f: f(t).sum(), T)
        assert np.isfinite(H.data).all() and H.data[0, 0] == pytest.approx(exact, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("z", [[1000.0, -1000.0, 0.0], [1000.0, 999.0, -1000.0], [-1000.0, -999.5, -1001.0]])
def test_logsumexp_log_softmax_and_cross_entropy_hessians_are_finite_and_right_at_1000(z):
    z = np.array(z)
    p = np.exp(z - z.max())
    p /= p.sum()
    exact = np.diag(p) - np.outer(p, p)                    # the Hessian of logsumexp, and of cross-entropy in z
    for f in (lambda t: t.logsumexp(), lambda t: -t.log_softmax()[1], lambda t: losses.cross_entropy(t[None], [1]),
              lambda t: losses.cross_entropy(t.reshape(1, 3), np.array([[0.2, 0.3, 0.5]]))):
        H = hessian(f, Tensor(z)).data
        assert np.isfinite(H).all()
        assert np.allclose(H, exact, rtol=1e-12, atol=1e-15), (H, exact)


def test_binary_cross_entropy_from_logits_has_a_finite_right_hessian_at_1000():
    z = np.array([1000.0, -1000.0, 3.0])
    H = hessian(lambda t: losses.binary_cross_entropy(t, np.array([0.0, 1.0, 1.0]), logits=True), Tensor(z)).data
    s = 1 / (1 + np.exp(-np.clip(z, -700, 700)))
    assert np.isfinite(H).all() and np.allclose(H, np.diag(s * (1 - s)) / 3, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("x", [-0.7, 0.7, 2.0])
def test_relu_and_abs_have_second_derivative_0_away_from_the_kink(x):
    for f in (lambda v: v.relu() * 3.0, lambda v: v.abs() * 3.0):
        v = Value(x)
        (d1,) = grad(f(v), [v], create_graph=True)
        assert grad(d1, [v], allow_unused=True) in ((None,), (0.0,))
        assert hessian(lambda t, f=f: f(t).sum(), Tensor([x])).data.tolist() == [[0.0]]


# --- MLP losses ----------------------------------------------------------------------------------------------------

X3 = np.array([[0.1, 0.3], [0.6, 0.9], [0.4, 0.2]])
LABELS = np.array([0, 1, 1])
ONE_HOT = np.eye(2)[LABELS]
COSTS = {
    "quadratic": lambda out: losses.quadratic(out, ONE_HOT),
    "mse": lambda out: losses.mse(out, ONE_HOT),
    "cross_entropy": lambda out: losses.cross_entropy(out, LABELS),
    "binary_cross_entropy": lambda out: losses.binary_cross_entropy(out.sigmoid(), ONE_HOT),
    "binary_cross_entropy(logits)": lambda out: losses.binary_cross_entropy(out, ONE_HOT, logits=True),
    "hinge": lambda out: losses.hinge(out * 0.3, 2 * ONE_HOT - 1),
}


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "softplus", "identity"])
@pytest.mark.parametrize("cost", sorted(COSTS))
def test_mlp_loss_hessians_match_central_differences(activation, cost):
    model = nn.MLP([2, 3, 2], activation=activation, output_activation="identity", seed=3)
    params = model.parameters()
    model.set_weights([(W, b + 0.1) for W, b in model.get_weights()])          # l1's kink is at 0: move off it

    def loss(*ps):
        return COSTS[cost](model(X3)) + losses.l2(params, 0.01) + losses.l1(params, 0.01)

    assert gradgradcheck(loss, params, atol=1e-5, rtol=1e-4)


# --- functional forms: shapes as PyTorch's, and hvp = H v without H ---------------------------------------------

def _f(x, W):
    return ((x @ W).tanh() ** 2).sum() + (x * x).sum() * W.sigmoid().mean()


def test_hvp_and_vhp_equal_the_hessian_times_v():
    rng = np.random.default_rng(1)
    x, W = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))
    v = (rng.standard_normal((4, 3)), rng.standard_normal((3, 2)))
    H = hessian(_f, (Tensor(x), Tensor(W)))
    assert H[0][0].shape == (4, 3, 4, 3) and H[0][1].shape == (4, 3, 3, 2) and H[1][1].shape == (3, 2, 3, 2)
    full = np.block([[H[i][j].data.reshape(H[i][j].shape[:2] and (v[i].size, v[j].size)) for j in range(2)]
                     for i in range(2)])
    expected = full @ np.concatenate([v[0].ravel(), v[1].ravel()])
    out, Hv = hvp(_f, (Tensor(x), Tensor(W)), v)
    assert out.data == pytest.approx(_f(Tensor(x), Tensor(W)).data)
    assert np.allclose(np.concatenate([Hv[0].data.ravel(), Hv[1].data.ravel()]), expected, rtol=1e-12, atol=1e-12)
    assert np.allclose(vhp(_f, (Tensor(x), Tensor(W)), v)[1][1].data, Hv[1].data)
    xs = [Value(0.3), Value(-1.1), Value(0.8)]
    g = lambda vs: (vs[0] * vs[1]).tanh() * vs[2] + vs[2].exp() * vs[0]   # noqa: E731
    assert np.allclose(hvp(g, xs, [1.0, 2.0, -1.0])[1], hessian(g, xs) @ [1.0, 2.0, -1.0], rtol=1e-12)


def test_jacobian_vjp_jvp_shapes_and_values_follow_pytorch():
    A = np.arange(6.0).reshape(2, 3)
    f = lambda x: Tensor(A) @ x.tanh()                     # noqa: E731  (2,) from (3,)
    x = np.array([0.1, -0.4, 0.9])
    J = jacobian(f, Tensor(x))
    exact = A * (1 - np.tanh(x) ** 2)
    assert J.shape == (2, 3) and np.allclose(J.data, exact)
    assert jacobian(lambda m: m * 2.0, Tensor(np.ones((2, 2)))).shape == (2, 2, 2, 2)
    out, vj = vjp(f, Tensor(x), Tensor([1.0, -1.0]))
    assert np.allclose(vj.data, exact.T @ [1.0, -1.0]) and not out.requires_grad
    _, jv = jvp(f, Tensor(x), Tensor([1.0, 2.0, 3.0]))
    assert np.allclose(jv.data, exact @ [1.0, 2.0, 3.0])
    xs = [Value(0.5), Value(2.0)]
    assert np.allclose(jacobian(lambda v: [v[0] * v[1], v[1].exp()], xs), [[2.0, 0.5], [0.0, math.exp(2.0)]])
    assert np.allclose(jvp(lambda v: [v[0] * v[1], v[1].exp()], xs, [1.0, 1.0])[1], [2.5, math.exp(2.0)])


# --- errors ------------------------------------------------------------------------------------------------------

def test_grad_refuses_an_unused_input_unless_allow_unused():
    x, y = Value(1.0), Value(2.0)
    with pytest.raises(RuntimeError, match=r"do not depend on inputs\[1\].*allow_unused=True"):
        grad(x * x, [x, y])
    assert grad(x * x, [x, y], allow_unused=True) == (2.0, None)
    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"inputs\[1\] \(a Tensor of shape \(1,\)\)"):
        grad((a * a).sum(), [a, b])
    assert grad((a * a).sum(), [a, b], allow_unused=True)[1] is None


def test_grad_of_a_non_scalar_output_needs_grad_outputs():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"shape \(2,\), not a single number.*grad_outputs="):
        grad(x * x, [x])
    assert grad(x * x, [x], grad_outputs=[np.array([1.0, 0.5])])[0].data.tolist() == [2.0, 2.0]
    with pytest.raises(ValueError, match=r"grad_outputs\[0\] has shape \(3,\)"):
        grad(x * x, [x], grad_outputs=[np.ones(3)])


def test_differentiating_a_gradient_made_without_create_graph_says_so():
    x = Value(2.0)
    (g,) = grad(x ** 3, [x])
    with pytest.raises(TypeError, match="create_graph=True"):
        grad(g, [x])
    (x ** 3).backward()
    with pytest.raises(TypeError, match="create_graph=True"):
        grad(x.grad, [x])
    T = Tensor([2.0], requires_grad=True)
    (G,) = grad((T ** 3).sum(), [T])
    with pytest.raises(RuntimeError, match="does not require grad.*create_graph=True"):
        grad(G.sum(), [T])


@pytest.mark.parametrize("f", [lambda x: x.sqrt(), lambda x: x ** 0.5, lambda x: 2.0 * x.sqrt()],
                         ids=["sqrt", "x ** 0.5", "2 sqrt"])
@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_an_infinite_first_derivative_under_create_graph_is_refused_naming_the_op_and_the_fix(f, engine):
    # sqrt'(0) = inf: backward() gives inf, but its graph (1 / (2 sqrt x)) cannot be built; the refusal said only
    # "/: the divisor has zero entries" or "0 ** -0.5 is undefined", naming neither the op the user wrote nor why.
    x = Value(0.0) if engine == "Value" else Tensor([0.0, 4.0], requires_grad=True)
    out = f(x) if engine == "Value" else f(x).sum()
    first = grad(out, [x])[0]
    assert np.isinf(np.ravel(getattr(first, "data", first))[0])                  # first order: inf, as documented
    with pytest.raises((ZeroDivisionError, ValueError),
                       match=r"backward\(create_graph=True\): the derivative of the '(sqrt|\*\*)' op .*not finite"
                             r".*\(x \+ 1e-12\)") as refused:
        grad(out, [x], create_graph=True)
    assert "zero" in str(refused.value)                                          # the original reason is kept

def test_optional_cross_check_of_hessian_against_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    x, W = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))

    def theirs(x, W):
        return ((x @ W).tanh() ** 2).sum() + (x * x).sum() * torch.sigmoid(W).mean()

    H = hessian(_f, (Tensor(x), Tensor(W)))
    T = torch.autograd.functional.hessian(theirs, (torch.tensor(x), torch.tensor(W)))
    for i in range(2):
        for j in range(2):
            assert np.allclose(H[i][j].data, T[i][j].numpy(), rtol=1e-12, atol=1e-12)


def test_the_readme_example_of_second_derivatives_runs():
    import pathlib

    text = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "second_derivatives.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "docs/second_derivatives.md", "exec"), {})  # noqa: S102


def test_jacobian_and_hessian_of_values_with_create_graph_are_values_that_differentiate_again():
    # f = a^2 b + b^3:  H = [[2b, 2a], [2a, 6b]], and dH_00/db = 2, dH_11/db = 6
    x = [Value(1.0), Value(2.0)]
    H = hessian(lambda v: v[0] * v[0] * v[1] + v[1] ** 3, x, create_graph=True)
    assert [[h.data for h in row] for row in H] == [[4.0, 2.0], [2.0, 12.0]]
    (d00,) = grad(H[0][0], [x[1]])
    (d11,) = grad(H[1][1], [x[1]])
    assert (d00, d11) == (2.0, 6.0)
    J = jacobian(lambda v: [v[0] * v[1], v[0] + v[1]], x, create_graph=True)   # [[b, a], [1, 1]]
    assert [[getattr(j, "data", j) for j in row] for row in J] == [[2.0, 1.0], [1.0, 1.0]]


# --- powers at their special points: the rebuilt slope has the first-order numbers, and the right derivatives -------

def _first_order_both_ways(f, inputs):
    """The gradients of f at the inputs by plain backward() and by backward(create_graph=True), as arrays."""
    out = []
    for create in (False, True):
        ts = [Tensor(np.array(v), requires_grad=True) for v in inputs]
        out.append([np.asarray(getattr(g, "data", g)) for g in grad(f(*ts), ts, create_graph=create)])
    return out


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_tensor_power_of_two_tensors_under_create_graph_has_slope_0_at_exponent_0_as_the_first_order(dtype):
    # dy/da = b a^(b-1) is 0 at b = 0 (rules._power_slope); create_graph rebuilt it as b * a ** (b - 1), which at a
    # subnormal a is 0 * inf = NaN: a = 5e-324, b = 0 gave dL/da = nan where backward() gives 0
    tiny = np.finfo(dtype).smallest_subnormal
    a = np.array([tiny, 1e-310 if dtype == np.float64 else 1e-40, 0.5, 1.0, 2.0, np.inf, tiny, 2.0, 3.0], dtype=dtype)
    b = np.array([0.0, 0.0, -0.0, 0.0, 0.0, 0.0, 0.5, -1.0, 2.0], dtype=dtype)
    with np.errstate(all="ignore"):
        plain, rebuilt = _first_order_both_ways(lambda a, b: (a ** b).sum(), [a, b])
        by_hand = np.where(b == 0, 0.0, b * a.astype(np.float64) ** (b - 1.0))           # 0 at b = 0, by the rule
    assert np.all(plain[0][b == 0] == 0.0)
    assert np.allclose(plain[0], by_hand, rtol=4 * np.finfo(dtype).eps, atol=0.0)
    for p, r in zip(plain, rebuilt):
        assert r.dtype == p.dtype and np.array_equal(r, p, equal_nan=True), (p, r)
    for base in (0.0, -1.0):                                 # a^b = exp(b ln a) needs a > 0: refused, as eagerly
        ts = [Tensor(np.array([base, 2.0], dtype=dtype), requires_grad=True), Tensor(b[:2], requires_grad=True)]
        with pytest.raises(ValueError, match=r"\*\*: .*positive"):
            ts[0] ** ts[1]


@pytest.mark.parametrize("a", [0.5, 2.0, 3.0, 5e-324])
def test_tensor_power_of_two_tensors_has_the_closed_form_hessian_at_exponent_0(a):
    # d2y/da db of a^b is a^(b-1) (1 + b ln a) = 1/a at b = 0 (inf where 1/a overflows), d2y/da2 = b (b-1) a^(b-2) = 0,
    # d2y/db2 = a^b ln^2 a: a slope made 0 at b = 0 by choosing a constant there would make the mixed entry 0
    with np.errstate(over="ignore", divide="ignore"):                                  # 1/a, 1/a^2 at a = 5e-324
        blocks = hessian(lambda s, t: s ** t, (Tensor(a), Tensor(0.0)))
        H = np.array([[float(block.data) for block in row] for row in blocks])
        exact = np.array([[0.0, 1.0 / np.float64(a)], [1.0 / np.float64(a), math.log(a) ** 2]])
    assert np.allclose(H, exact, rtol=1e-12, atol=0.0) or (np.isinf(exact).any() and np.array_equal(H, exact)), H
    if a >= 0.5:                                                                     # and by central differences
        numeric = _hessian_by_differences(lambda v: v[0] ** v[1], [Value(a), Value(0.0)])
        assert np.allclose(H, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("p", [0.0, 1.0, 2.0, 0.5, -1.0, 3, -2.0, np.array([0.0, 1.0, 2.0, 0.5, -1.0, 0.0])])
def test_tensor_power_of_a_constant_under_create_graph_has_the_first_order_slope_at_special_points(p):
    # x^p with an array of exponents: create_graph rebuilt p x^(p-1) as x ** where(p == 0, 1, p - 1) * where(p == 0,
    # 0, p), which is inf * 0 = NaN at x = inf where backward() gives 0 (and -0.0 at a negative x)
    rows = [[np.inf, 2.0, 4.0, 0.25, 3.0, -2.0], [1.0, 5e-324, 1e-310, 1e300, -1.0, 0.5]]
    if not isinstance(p, np.ndarray):
        rows.append([0.0, -0.0, -np.inf, -3.0, 7.0, 1.0] if p in (1.0, 2.0, 3) else [2.0] * 6)
    for x in rows:
        with np.errstate(all="ignore"):
            if ((np.asarray(p) % 1 != 0) & (np.array(x) < 0)).any():
                continue                                                          # refused: not a real number
            beyond = np.isfinite(x) & np.isinf(np.abs(np.array(x)) ** np.asarray(p))
        if beyond.any():                                    # x^p beyond the float range: refused, as by a Value
            with pytest.raises(ValueError, match="overflows"):
                Tensor(np.array(x), requires_grad=True) ** p
            x = [v for v, out in zip(x, beyond) if not out]                       # (p a number here)
        with np.errstate(all="ignore"):
            (plain,), (rebuilt,) = _first_order_both_ways(lambda t: (t ** p).sum(), [np.array(x)])
            by_hand = np.where(np.asarray(p) == 0, 0.0, p * np.array(x) ** (np.asarray(p) - 1.0))
        assert np.allclose(plain, by_hand, rtol=1e-15, atol=0.0, equal_nan=True), (x, plain, by_hand)
        assert np.array_equal(rebuilt, plain, equal_nan=True), (x, plain, rebuilt)
        assert np.array_equal(np.signbit(rebuilt), np.signbit(plain)), (x, plain, rebuilt)     # to the zero's sign
