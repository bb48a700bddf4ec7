"""Issue 13's promise, checked op by op: every op either engine can record is twice differentiable.

Every public Tensor method and operator, and every autograd function that makes Tensors, is run once here; each op
name its graph records must have a differentiable vjp (``autograd/tensor/vjp_graph.py``), and the Hessian of a
small scalar function through it (``autograd.functional.hessian``) must equal central differences of the
first-order gradient (and pass ``gradgradcheck``). The same for every rule of ``autograd.rules`` on Values. A new
method or rule that is not in these tables fails the coverage tests; one in them without a second-order rule fails
the Hessian tests."""

import ast
import inspect
import pathlib

import numpy as np
import pytest

import autograd
from autograd import (
    Tensor,
    Value,
    concatenate,
    diag,
    dot,
    grad,
    gradgradcheck,
    linear,
    logaddexp,
    matmul,
    maximum,
    minimum,
    outer,
    rules,
    sigmoid_cross_entropy,
    softmax_cross_entropy,
    stack,
    trace,
    weighted_sum,
    where,
)
from autograd.functional import hessian
from autograd.tensor import vjp_graph

ENGINE = pathlib.Path(autograd.__file__).resolve().parent

# --- the Tensor engine: one call per variant of every public op ---------------------------------------------------
# Each entry: (the public name it exercises, a function of x (3, 4), entries in (0.5, 1.5), to a Tensor through it).

_C = np.array([0.5, 2.0, -1.0, 1.5])
_MASK = np.array([[True, False, True, False]] * 3)
_SHIFT = {name: 0.0 if rules.FUNCTIONS[name].domain.lower is not None else 1.02 for name in rules.FUNCTIONS}
_FUNCTIONS = {name: (lambda n: lambda x: getattr(x - _SHIFT[n], n)())(name) for name in rules.FUNCTIONS
              if name != "neg"}

_TARGETS = np.linspace(0.0, 1.0, 12).reshape(3, 4)  # sigmoid_cross_entropy's constant targets, 0 and 1 included

TENSOR_CALLS = {
    # arithmetic: every form of each operator (two Tensors, a constant on either side)
    "a + b": ("__add__", lambda x: x + x[0]),
    "x + c": ("__add__", lambda x: x + _C),
    "c + x": ("__radd__", lambda x: 2.0 + x),
    "a - b": ("__sub__", lambda x: x - x[:, :1]),
    "x - c": ("__sub__", lambda x: x - 2.0),
    "c - x": ("__rsub__", lambda x: _C - x),
    "-x": ("__neg__", lambda x: -x),
    "a * b": ("__mul__", lambda x: x * x[1]),
    "x * c": ("__mul__", lambda x: x * _C),
    "c * x": ("__rmul__", lambda x: 3.0 * x),
    "a / b": ("__truediv__", lambda x: x / x[::-1]),
    "x / c": ("__truediv__", lambda x: x / 3.0),
    "c / x": ("__rtruediv__", lambda x: _C / x),
    "a ** b": ("__pow__", lambda x: x ** (x[0] * 0.5)),
    "x ** p": ("__pow__", lambda x: x ** 3),
    "x ** 2": ("__pow__", lambda x: x ** 2),
    "x ** 0": ("__pow__", lambda x: x ** 0 * x),
    "x ** array": ("__pow__", lambda x: x ** np.array([1.0, 2.0, 0.0, -1.5])),
    "x ** constant Tensor": ("__pow__", lambda x: x ** Tensor([0.5, 3.0, 1.0, -1.0])),
    "c ** x": ("__rpow__", lambda x: 2.0 ** x),
    "pow": ("pow", lambda x: x.pow(2.5)),
    "abs()": ("__abs__", lambda x: abs(x - 1.02)),
    # the elementwise functions of the rules table, clip, maximum, minimum, where, astype
    **{name: (name, f) for name, f in _FUNCTIONS.items()},
    "clip": ("clip", lambda x: x.clip(0.8, 1.2) * x),
    "maximum": ("maximum", lambda x: maximum(x, x[::-1] * 1.1)),
    "logaddexp": ("logaddexp", lambda x: logaddexp(x, x[::-1] * 1.1)),
    "logaddexp(c, x)": ("logaddexp", lambda x: logaddexp(0.25, x)),
    "Tensor.logaddexp": ("logaddexp", lambda x: x.logaddexp(x[:, :1])),
    "minimum": ("minimum", lambda x: minimum(x, 1.0)),
    "where": ("where", lambda x: where(_MASK, x * x, x.exp())),
    "astype": ("astype", lambda x: x.astype(np.float64)),
    "to": ("to", lambda x: x.to(np.float64) * x),
    "clamp": ("clamp", lambda x: x.clamp(min=0.8, max=1.2) * x),
    "clamp_min": ("clamp_min", lambda x: x.clamp_min(0.9) * x),
    "clamp_max": ("clamp_max", lambda x: x.clamp_max(1.1) * x),
    "clone": ("clone", lambda x: x.clone() * x),
    "contiguous": ("contiguous", lambda x: x.T.contiguous() * x.T),
    # reductions and the softmax family
    "sum": ("sum", lambda x: x.sum() * x),
    "sum(axis)": ("sum", lambda x: x.sum(axis=1, keepdims=True) * x),
    "mean": ("mean", lambda x: x.mean(axis=0) * x),
    "max": ("max", lambda x: x.max(axis=1)),
    "min": ("min", lambda x: x.min()),
    "var": ("var", lambda x: x.var(axis=0, ddof=1)),
    "amax": ("amax", lambda x: x.amax(axis=1)),
    "amin": ("amin", lambda x: x.amin()),
    "std": ("std", lambda x: x.std(axis=0, ddof=1)),
    "std with a constant column": ("std", lambda x: (x * np.array([1.0, 0.0, 1.0, 1.0])).std(axis=0)),
    "prod": ("prod", lambda x: x.prod()),
    "prod(axis) with a zero": ("prod", lambda x: (x * np.array([1.0, 0.0, 1.0, 1.0])).prod(axis=1)),
    "prod(two axes)": ("prod", lambda x: x.reshape(2, 3, 2).prod(axis=(0, 2), keepdims=True)),
    "cumsum": ("cumsum", lambda x: x.cumsum(axis=1)),
    "cumsum(None)": ("cumsum", lambda x: x.cumsum()),
    "logsumexp": ("logsumexp", lambda x: x.logsumexp(axis=0)),
    "softmax": ("softmax", lambda x: x.softmax()),
    "log_softmax": ("log_softmax", lambda x: x.log_softmax(axis=0)),
    # moves and products
    "matmul": ("__matmul__", lambda x: x @ x.T),
    "matmul (constant @ x)": ("__rmatmul__", lambda x: np.ones((2, 3)) @ x),
    "matmul()": ("matmul", lambda x: x.matmul(x[0])),
    "autograd.matmul": ("matmul", lambda x: matmul(x.reshape(3, 2, 2), x[0, :2])),
    "dot": ("dot", lambda x: x.dot(x.T)),
    "autograd.dot (N-D)": ("dot", lambda x: dot(x.reshape(3, 2, 2), x.reshape(2, 2, 3))),
    "outer": ("outer", lambda x: outer(x[0], x[1:])),
    "outer with a constant": ("outer", lambda x: outer(_C, x[2])),
    "trace": ("trace", lambda x: x.trace(offset=1) * x),
    "trace (3-D)": ("trace", lambda x: trace(x.reshape(2, 3, 2), 1, 2, 0)),
    "diag of a matrix": ("diag", lambda x: diag(x, -1)),
    "diag of a vector": ("diag", lambda x: diag(x[1], 1)),
    "reshape": ("reshape", lambda x: x.reshape(2, 6)),
    "transpose": ("transpose", lambda x: x.reshape(2, 3, 2).transpose(2, 0, 1)),
    "T": ("T", lambda x: x.T),
    "t": ("t", lambda x: x.t()),
    "ravel": ("ravel", lambda x: x.ravel()),
    "flatten": ("flatten", lambda x: x.flatten()),
    "view": ("view", lambda x: x.view(2, -1)),
    "squeeze": ("squeeze", lambda x: x[None].squeeze(0)),
    "unsqueeze": ("unsqueeze", lambda x: x.unsqueeze(1)),
    "expand_dims": ("expand_dims", lambda x: x.expand_dims(0)),
    "getitem": ("__getitem__", lambda x: x[1:, ::2]),
    "getitem (repeated)": ("__getitem__", lambda x: x[[0, 0, 2], 1]),
    "repeat": ("repeat", lambda x: x.repeat(2, axis=1)),
    "repeat (counts)": ("repeat", lambda x: x.repeat(np.array([2, 0, 1]), axis=0)),
    "repeat (flat)": ("repeat", lambda x: x.repeat(3)),
    "concatenate": ("concatenate", lambda x: concatenate([x, x * x], axis=1)),
    "stack": ("stack", lambda x: stack([x[0], x[2]], axis=1)),
    "permute": ("permute", lambda x: x.reshape(2, 3, 2).permute(2, 0, 1)),
    "swapaxes": ("swapaxes", lambda x: x.reshape(2, 3, 2).swapaxes(0, 2)),
    "moveaxis": ("moveaxis", lambda x: x.reshape(2, 3, 2).moveaxis(0, -1)),
    "flip": ("flip", lambda x: x.flip(0, 1)),
    "expand": ("expand", lambda x: x[:, :1].expand(2, -1, 4) * x),
    "split": ("split", lambda x: x.split([1, 3], dim=1)[1] * x[:, :3]),
    "chunk": ("chunk", lambda x: concatenate(x.chunk(2, dim=1)[::-1], axis=1)),
    # the fused ops
    "linear": ("linear", lambda x: linear(x, x[:2], x[0, :2])),
    **{f"linear+{name}": ("linear", (lambda n: lambda x: linear(x - _SHIFT[n], x[:2], activation=n))(name))
       for name in rules.FUNCTIONS},
    "softmax_cross_entropy": ("softmax_cross_entropy", lambda x: softmax_cross_entropy(x * 2.0, np.array([0, 3, 1]))),
    "sigmoid_cross_entropy": ("sigmoid_cross_entropy", lambda x: sigmoid_cross_entropy(x * 3.0 - 3.0, _TARGETS)),
    "sigmoid_cross_entropy (target)": ("sigmoid_cross_entropy",
                                       lambda x: sigmoid_cross_entropy(2.0 - x * 3.0, x[::-1] / 2)),
    # the ops that create_graph itself records (their own vjps are Tensor ops)
    "broadcast_to": ("vjp_graph.broadcast_to", lambda x: vjp_graph.broadcast_to(x[:1], (3, 4)) * x),
    "scatter": ("vjp_graph.scatter", lambda x: vjp_graph.scatter(x[0], (1, slice(None)), (3, 4), False) + x),
    "cast": ("vjp_graph.cast", lambda x: vjp_graph.cast(x, np.float64) * x),
}

# Public Tensor attributes that record no op: the graph's bookkeeping and the ways out to numpy.
NOT_OPS = {"argmax", "argmin", "backward", "detach", "dim", "item", "numel", "numpy", "requires_grad_", "retain_grad",
           "tolist", "zero_grad"}
_OPERATORS = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
              "__pow__", "__rpow__", "__neg__", "__abs__", "__matmul__", "__rmatmul__", "__getitem__")


def _x(seed=0):
    return Tensor(np.random.default_rng(seed).uniform(0.5, 1.5, (3, 4)), requires_grad=True, name="x")


def _scalar(y, seed):
    """sum(w1 y) + sum(w2 y^2) with fixed weights: a scalar whose Hessian goes through y's op twice."""
    rng = np.random.default_rng(seed)
    w1, w2 = rng.standard_normal(y.data.shape), rng.standard_normal(y.data.shape)
    return (y * w1).sum() + (y * y * w2).sum()


def _through(variant):
    seed = sorted(TENSOR_CALLS).index(variant)
    return lambda x: _scalar(TENSOR_CALLS[variant][1](x), seed)


def _ops(root):
    """Every op name in the graph that made ``root`` (either engine)."""
    seen, stack_, ops = set(), [root], set()
    while stack_:
        node = stack_.pop()
        if id(node) in seen or not hasattr(node, "parents"):
            continue
        seen.add(id(node))
        if node.op:
            ops.add(node.op)
        stack_.extend(node.parents)
    return ops


def _recorded():
    """{variant: the op names its call records}."""
    return {variant: _ops(call(_x())) for variant, (_, call) in TENSOR_CALLS.items()}


def test_every_public_tensor_method_operator_and_function_is_in_the_table():
    methods = {n for n in dir(Tensor) if not n.startswith("_") and callable(getattr(Tensor, n))}
    properties = {n for n in dir(Tensor) if isinstance(inspect.getattr_static(Tensor, n), property)}
    functions = {n for n in autograd.__all__ if n not in ("Value", "Tensor", "weighted_sum")
                 and inspect.isfunction(getattr(autograd, n)) and inspect.getmodule(getattr(autograd, n)).__name__
                 .startswith("autograd.tensor")}
    covered = {name for name, _ in TENSOR_CALLS.values()}
    assert {"concatenate", "linear", "outer", "where"} <= functions                 # the scan finds them
    missing = (methods | set(_OPERATORS) | functions | (properties & {"T"})) - covered - NOT_OPS
    assert not missing, f"add these to TENSOR_CALLS (or NOT_OPS if they record nothing): {sorted(missing)}"


def test_every_op_name_in_the_tensor_source_is_recorded_by_the_table():
    named = set()
    for path in (ENGINE / "tensor").glob("*.py"):
        for call in ast.walk(ast.parse(path.read_text())):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "make" and len(call.args) == 4:
                op = call.args[3]
                for c in ast.walk(op):
                    if isinstance(c, ast.Constant) and isinstance(c.value, str):
                        named.add(c.value)
    recorded = set().union(*_recorded().values())
    assert {"prod", "cumsum", "repeat", "outer", "trace", "diag", "+", "getitem"} <= named
    assert named - {"linear+"} <= recorded, sorted(named - recorded)   # "linear+" + name: every name is recorded


def test_every_op_the_tensor_engine_records_has_a_second_order_rule():
    recorded = _recorded()
    everything = set().union(*recorded.values())
    assert set(rules.FUNCTIONS) | {f"linear+{n}" for n in rules.FUNCTIONS} <= everything
    assert {"prod", "cumsum", "repeat", "outer", "trace", "diag", "broadcast_to", "scatter"} <= everything
    lacking = {v: sorted(ops - set(vjp_graph.VJPS)) for v, ops in recorded.items() if ops - set(vjp_graph.VJPS)}
    assert not lacking, f"ops with no differentiable vjp in autograd/tensor/vjp_graph.py: {lacking}"


def test_no_not_implemented_error_is_left_in_the_second_order_path():
    assert "NotImplementedError" not in (ENGINE / "tensor" / "vjp_graph.py").read_text()


def test_an_op_without_a_second_order_rule_raises_an_error_naming_it_and_the_fix():
    from autograd.tensor.core import make

    x = Tensor([1.0, 2.0], requires_grad=True)
    y = make(x.data * 2.0, (x,), lambda g: (g * 2.0,), "mystery")
    y.sum().backward()                                                  # first order: its own vjp
    assert x.grad.tolist() == [2.0, 2.0]
    with pytest.raises(vjp_graph.SecondOrderError, match=r"the op 'mystery' .*shape \(2,\).*VJPS"):
        grad(y.sum(), [x], create_graph=True)
    assert issubclass(vjp_graph.SecondOrderError, RuntimeError)


def _central_hessian(f, xs, eps=1e-6):
    """Central differences of the first-order gradient of f(xs) (a list of Values, or one Tensor): column k is
    (g(x + eps e_k) - g(x - eps e_k)) / 2 eps."""
    if isinstance(xs, Tensor):
        base = xs.data.reshape(-1)
        make = lambda d: [Tensor(d.reshape(xs.data.shape), requires_grad=True)]  # noqa: E731
        call = lambda ins: f(ins[0])                                              # noqa: E731
    else:
        base = np.array([v.data for v in xs])
        make = lambda d: [Value(float(v)) for v in d]                             # noqa: E731
        call = f
    n = base.size
    H = np.zeros((n, n))
    for k in range(n):
        cols = []
        for step in (eps, -eps):
            d = base.copy()
            d[k] += step
            ins = make(d)
            gs = grad(call(ins), ins, allow_unused=True)
            cols.append(np.concatenate([np.zeros(n // len(ins)) if g is None else
                                        np.ravel(getattr(g, "data", g)) for g in gs]))
        H[:, k] = (cols[0] - cols[1]) / (2 * eps)
    return H


def _agrees(H, numeric):
    return np.allclose(H, numeric, rtol=1e-5, atol=1e-6 * (1 + np.abs(numeric).max()))


@pytest.mark.parametrize("variant", sorted(TENSOR_CALLS))
def test_every_tensor_op_has_a_hessian_equal_to_central_differences_of_its_gradient(variant):
    f = _through(variant)
    H = hessian(f, _x()).data.reshape(12, 12)
    numeric = _central_hessian(f, _x())
    assert np.isfinite(H).all() and _agrees(H, numeric), (variant, np.abs(H - numeric).max())
    assert gradgradcheck(f, [_x()])


# --- the second-order rules of the new ops, by their formulas ------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("variant", ["a / b", "c / x", "x / c"])
def test_a_quotients_gradient_with_create_graph_has_the_first_order_digits(variant, dtype):
    # The rebuilt vjps computed g / b and -(g y) / b where the op's own computes g (1/b) and g (-y/b), and g (1/c)
    # where it computes g / c: a last digit apart (one ulp: 3.6e-15 in float64, 1.9e-6 in float32).
    f = _through(variant)
    x = Tensor(np.random.default_rng(0).uniform(0.5, 1.5, (3, 4)).astype(dtype), requires_grad=True)
    (graph,) = grad(f(x), [x], create_graph=True)
    (first,) = grad(f(x), [x])
    assert graph.data.dtype == dtype and np.array_equal(graph.data, first.data)


def test_prod_hessian_is_the_product_of_the_other_entries_exactly_at_zeros():
    x = np.array([2.0, 0.0, 5.0, 0.0])
    H = hessian(lambda t: t.prod(), Tensor(x)).data                  # d2/dx_i dx_j prod = prod_(k != i, j) x_k
    exact = np.array([[0.0 if i == j else np.prod(np.delete(x, [i, j])) for j in range(4)] for i in range(4)])
    assert H.tolist() == exact.tolist()
    H = hessian(lambda t: t.prod(), Tensor(x[:3])).data
    assert H.tolist() == [[0.0, 5.0, 0.0], [5.0, 0.0, 2.0], [0.0, 2.0, 0.0]]


def test_cumsum_repeat_outer_trace_diag_are_linear_so_their_squares_have_hessian_2_a_transpose_a():
    rng = np.random.default_rng(4)
    x0 = rng.standard_normal((2, 3))
    for f in (lambda t: t.cumsum(axis=1), lambda t: t.repeat(np.array([1, 3]), axis=0), lambda t: diag(t, 1),
              lambda t: outer(t[0], np.array([1.0, -2.0])), lambda t: trace(t, 1).reshape(1)):
        n_out = f(Tensor(x0)).data.size
        A = np.stack([f(Tensor(e.reshape(2, 3))).data.ravel() for e in np.eye(6)], axis=1)   # the linear map
        assert A.shape == (n_out, 6)
        H = hessian(lambda t, f=f: (f(t) * f(t)).sum(), Tensor(x0)).data.reshape(6, 6)
        assert np.allclose(H, 2 * A.T @ A, rtol=1e-14, atol=1e-14)


def _gradient_of_the_new_ops(t):
    """The gradient (with create_graph) of a function of t through prod, cumsum, repeat, outer, trace and diag."""
    m = outer(t, t[::-1])
    f = t.prod() + (t.cumsum() ** 2).sum() + (t.repeat(2) ** 3).sum() + trace(m) ** 2 + (diag(m) * diag(t)).sum()
    (g,) = grad(f, [t], create_graph=True)
    return g


def test_third_derivatives_of_the_new_ops_run_through_their_own_rules():
    x = Tensor([0.5, 2.0, -1.0], requires_grad=True)
    (g,) = grad(x.prod() * x.sum(), [x], create_graph=True)      # f = x0 x1 x2 (x0 + x1 + x2)
    (h,) = grad(g[0], [x], create_graph=True)
    (t,) = grad(h[1], [x])                                          # d/dx of 2 x0 x2 + 2 x1 x2 + x2^2
    assert t.data.tolist() == [2 * -1.0, 2 * -1.0, 2 * (0.5 + 2.0 - 1.0)]
    f = lambda t: (_gradient_of_the_new_ops(t) ** 2).sum()                 # noqa: E731  (a gradient's Hessian)
    H = hessian(f, Tensor([0.5, 2.0, -1.0])).data
    assert _agrees(H, _central_hessian(f, Tensor([0.5, 2.0, -1.0])))


# --- the Value engine: every rule of autograd.rules, in every form a Value records it -------------------------------

VALUE_CALLS = {
    "+": lambda a, b: (a + b) * (a + 0.5) * (2.0 + b),
    "-": lambda a, b: (a - b) * (a - 0.5) * (2.0 - b),
    "*": lambda a, b: a * b * 3.0 * (2.0 * a),
    "/": lambda a, b: a / b + a / 3.0 + 2.0 / b,
    "x**p": lambda a, b: (a * b) ** 3 + a ** 0.5 + b ** -2,
    "c**x": lambda a, b: 2.0 ** (a * b),
    "a**b": lambda a, b: a ** b,
    **{name: (lambda n: lambda a, b: getattr(a * b - 0.3, n)() * (a + b))(name) for name in rules.FUNCTIONS
       if name != "neg"},
    "neg": lambda a, b: -(a * b * b),
    "logaddexp": lambda a, b: (a * b).logaddexp(a - 2.0 * b) * (a + b),
    "weighted_sum": lambda a, b: weighted_sum([a, b, 0.5], [b, a * a, a], bias=b * 2.0) ** 2,
}
_VALUE_OPS = {"x**p": "**", "c**x": "**", "a**b": "**"}


def test_every_rule_of_the_table_and_every_value_method_is_in_the_value_table():
    assert set(rules.RULES) <= set(VALUE_CALLS), sorted(set(rules.RULES) - set(VALUE_CALLS))
    methods = {n for n in dir(Value) if not n.startswith("_") and callable(getattr(Value, n))}
    # conjugate (x itself, as float.conjugate: numpy's var and std of Values call it) and as_integer_ratio (refused
    # by name for statistics.mean) are not ops; logaddexp is the one method of two operands
    assert methods - {"backward", "zero_grad", "pow", "conjugate", "as_integer_ratio"} <= {*rules.FUNCTIONS,
                                                                                              "logaddexp"}


@pytest.mark.parametrize("rule", sorted(VALUE_CALLS))
def test_every_value_op_has_a_hessian_equal_to_central_differences_of_its_gradient(rule):
    f = VALUE_CALLS[rule]
    a, b = Value(0.8), Value(1.3)
    assert _VALUE_OPS.get(rule, rule) in _ops(f(a, b))
    H = hessian(lambda vs: f(*vs), [Value(0.8), Value(1.3)])
    numeric = _central_hessian(lambda vs: f(*vs), [Value(0.8), Value(1.3)])
    assert H.shape == (2, 2) and _agrees(H, numeric), (rule, H, numeric)
    assert gradgradcheck(f, [Value(0.8), Value(1.3)])


# --- ** of shapes that do not broadcast: the shape error, as + - * / give ----------------------------------------

@pytest.mark.parametrize("a, b", [
    (Tensor([]), Tensor([0.0, 0.0, 0.0])),
    (Tensor([]), Tensor([0.0, 0.0, 0.0], requires_grad=True)),
    (Tensor([-1.0, 2.0]), Tensor([0.5, 0.0, 1.0])),
    (Tensor([-1.0, 2.0]), np.array([0.5, 0.0, 1.0])),
    (Tensor([-1.0, 0.0], requires_grad=True), Tensor([0.5, 1.0, 1.0], requires_grad=True)),
    (np.array([-1.0, 2.0]), Tensor([0.5, 0.0, 1.0])),
])
def test_power_of_shapes_that_do_not_broadcast_names_the_op_and_both_shapes(a, b):
    with pytest.raises(ValueError, match=r"^\*\*: shapes \((0|2),\) and \(3,\) do not broadcast"):
        a ** b
    with pytest.raises(ValueError, match=r"^\+: shapes \(\d,\) and \(\d,\) do not broadcast"):
        a + b                                                           # the message ** now shares
