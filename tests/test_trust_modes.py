"""Grad and anomaly modes belong to a thread (and an asyncio task); a graph never silently loses a Tensor;
a Tensor changed in place after the forward pass makes backward() refuse."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from autograd import Tensor, Value, detect_anomaly, enable_grad, gradcheck, is_grad_enabled, no_grad, stack
from autograd.graph import mode

TIMEOUT = 10  # seconds a thread may wait for another: a deadlock fails the test instead of hanging it


def _run(*targets):
    """Run each target in its own thread; re-raise the first exception any of them raised."""
    errors: list[BaseException] = []

    def guarded(f):
        def run():
            try:
                f()
            except BaseException as e:  # noqa: BLE001 (handed back to the test)
                errors.append(e)
        return run

    threads = [threading.Thread(target=guarded(f)) for f in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive(), "a thread did not finish"
    if errors:
        raise errors[0]


def test_no_grad_in_one_thread_leaves_another_threads_graph_alone():
    inside, done = threading.Event(), threading.Event()
    grads = {}

    def idle_in_no_grad():
        with no_grad():
            inside.set()
            assert done.wait(TIMEOUT)

    def differentiate():
        assert inside.wait(TIMEOUT)
        w = Value(3.0)
        (w * w).backward()
        t = Tensor([1.0, 2.0], requires_grad=True)
        (t * t).sum().backward()
        grads["value"], grads["tensor"], grads["enabled"] = w.grad, t.grad.tolist(), is_grad_enabled()
        done.set()

    _run(idle_in_no_grad, differentiate)
    assert grads == {"value": 6.0, "tensor": [2.0, 4.0], "enabled": True}  # d w^2/dw = 2w; d sum t^2/dt = 2t


def test_gradcheck_in_one_thread_does_not_zero_another_threads_gradients():
    stop = threading.Event()
    seen = []

    def check_repeatedly():
        x = Value(0.7)
        while not stop.is_set():
            assert gradcheck(lambda v: v.tanh() * v, [x])

    def train():
        for _ in range(300):
            w = Value(1.5)
            (w * w * w).backward()
            seen.append(w.grad)
        stop.set()

    _run(check_repeatedly, train)
    assert seen == [3 * 1.5**2] * 300                           # d w^3/dw = 3 w^2, every time


def test_no_grad_blocks_of_two_threads_may_exit_in_any_order():
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def a():
        with no_grad():
            a_in.set()
            assert b_in.wait(TIMEOUT)
        a_out.set()                                             # A leaves first, while B is still inside
        assert is_grad_enabled()

    def b():
        assert a_in.wait(TIMEOUT)
        with no_grad():
            b_in.set()
            assert a_out.wait(TIMEOUT)
            assert not is_grad_enabled()                        # B's block holds for B, whatever A did
        assert is_grad_enabled()

    _run(a, b)
    assert is_grad_enabled() and mode.fast                      # and the fast path is back for everyone
    w = Value(2.0)
    assert (w * w).parents == (w, w)


def test_an_asyncio_task_awaiting_inside_no_grad_leaves_other_tasks_recording():
    async def waits_in_no_grad(gate: asyncio.Event):
        with no_grad():
            gate.set()
            await asyncio.sleep(0.01)
            assert not is_grad_enabled()

    async def records(gate: asyncio.Event):
        await gate.wait()
        w = Value(2.0)
        y = w * 5
        y.backward()
        return is_grad_enabled(), y.parents == (w,), w.grad

    async def main():
        gate = asyncio.Event()
        _, result = await asyncio.gather(waits_in_no_grad(gate), records(gate))
        return result

    assert asyncio.run(main()) == (True, True, 5.0)


def test_detect_anomaly_in_one_thread_does_not_raise_in_another():
    inside, done = threading.Event(), threading.Event()
    results = []

    def watch():
        with detect_anomaly():
            inside.set()
            assert done.wait(TIMEOUT)
            with pytest.raises(FloatingPointError):
                Value(1e308) * 10                                # here it is on

    def overflow_quietly():
        assert inside.wait(TIMEOUT)
        results.append((Value(1e308) * 10).data)                 # IEEE: inf, no anomaly check in this thread
        done.set()

    _run(watch, overflow_quietly)
    assert results == [float("inf")]


def test_no_grad_decorating_a_generator_function_holds_inside_each_step():
    @no_grad()
    def squares(w):
        for k in range(3):
            received = yield w * k, is_grad_enabled()
            assert received is None or received == "ping"
        return "done"

    w = Value(2.0)
    steps = squares(w)
    out, enabled = next(steps)
    assert out.parents == () and not enabled and is_grad_enabled()   # off inside, on between steps
    out, enabled = steps.send("ping")
    assert out.data == 2.0 and out.parents == () and not enabled
    assert is_grad_enabled() and (w * w).parents == (w, w)
    with pytest.raises(StopIteration) as stop:
        next(steps), next(steps)
    assert stop.value.value == "done"


def test_no_grad_decorating_a_coroutine_function_holds_while_it_awaits():
    @no_grad()
    async def scaled(w):
        await asyncio.sleep(0)
        return w * 3, is_grad_enabled()

    y, enabled = asyncio.run(scaled(Value(1.0)))
    assert y.parents == () and not enabled and is_grad_enabled()


def test_enable_grad_inside_no_grad_and_the_fast_flag_comes_back():
    with no_grad():
        assert not mode.fast and not is_grad_enabled()
        with enable_grad():
            w = Value(1.0)
            assert (w * 2).parents == (w,)
        assert (w * 2).parents == ()
    assert mode.fast and is_grad_enabled()


# --- a Tensor that requires grad never turns into a plain array silently ---------------------------------------

def test_numpy_handed_tensors_that_require_grad_refuses_instead_of_dropping_the_graph():
    x = Tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match=r"requires grad.*detach\(\)"):
        np.mean([x * x, 3 * x]) + 0.1 * x * x                   # gave x.grad == 0.2 instead of 2.7
    loss = stack([x * x, 3 * x]).mean() + 0.1 * x * x           # the Tensor way: d/dx = (2x + 3)/2 + 0.2x
    loss.backward()
    assert x.grad == pytest.approx(2.7, abs=1e-15)
    with pytest.raises(TypeError, match="detach"):
        x.numpy()
    with pytest.raises(TypeError, match="requires grad"):
        np.asarray(x)
    assert np.asarray(x.detach()) is x.data
    with no_grad():                                             # no graph to lose
        assert np.asarray(x) is x.data and x.numpy() is x.data
    constant = Tensor([1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(constant), [1.0, 2.0])


# --- version counter ---------------------------------------------------------------------------------------

def test_backward_refuses_after_a_parameter_was_changed_in_place_since_the_forward_pass():
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    loss = (w * w).sum()
    with no_grad():
        w -= 0.5                                                # the graph saw [1, 2]; w is now [0.5, 1.5]
    with pytest.raises(RuntimeError, match=r"'w' \(parent #0 of the '\*' node\) was changed in place"):
        loss.backward()
    assert w.grad is None                                       # nothing was accumulated from the new numbers
    loss = (w * w).sum()                                        # recomputed after the change: fine
    loss.backward()
    np.testing.assert_array_equal(w.grad, [1.0, 3.0])           # 2 w


def test_the_optimizers_update_counts_as_a_change_in_place():
    from nn import SGD

    w = Tensor([1.0, -1.0], requires_grad=True)
    loss = (w * w).sum()
    loss.backward()
    opt = SGD([w], lr=0.1)
    opt.step()                                                  # w -= 0.1 * 2w
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()                                         # the old graph, after the step


def test_a_change_before_the_graph_was_made_is_fine_and_an_unnamed_tensor_is_named_by_shape():
    w = Tensor(np.ones((2, 3)), requires_grad=True)
    with no_grad():
        w *= 2.0
    y = (w * 3).sum()
    y.backward()
    np.testing.assert_array_equal(w.grad, np.full((2, 3), 3.0))
    z = (w.exp()).sum()
    with no_grad():
        w += 1.0
    with pytest.raises(RuntimeError, match=r"a Tensor of shape \(2, 3\) \(parent #0 of the 'exp' node\)"):
        z.backward()


# --- detect_anomaly() holds on every way of getting a gradient -----------------------------------------------
# Each case is a graph whose forward pass is finite and whose backward pass gives birth to a NaN or inf at one op,
# found by hand: the message must name that op (not the op after it, nor a gradient-graph node made on the way),
# say it happened in the backward pass, and be the same kind of error on every path.

HERE = "test_trust_modes.py"  # where each guilty node was made

def _leaf(engine: str, x: float, name: str) -> Value | Tensor:
    return Value(x, label=name) if engine == "Value" else Tensor([x], requires_grad=True, name=name)


def _named(node: Value | Tensor, name: str) -> Value | Tensor:
    if isinstance(node, Value):
        node.label = name
    else:
        node.name = name
    return node


def _loss(node: Value | Tensor) -> Value | Tensor:
    return node if isinstance(node, Value) else node.sum()


def _sqrt_at_0(e):                    # d sqrt(x)/dx = 1 / (2 sqrt x) = inf at 0
    x = _leaf(e, 0.0, "x")
    return [x], _loss(x.sqrt() * 3.0), 1.0, ["through the 'sqrt' node", "gave inf", "parent #0", HERE]


def _zero_times_sqrt_slope(e):        # 0 * inf = nan, born in sqrt's backward
    x = _leaf(e, 0.0, "x")
    return [x], _loss(x.sqrt() * 0.0), 1.0, ["through the 'sqrt' node", "gave nan", "parent #0", HERE]


def _log_at_the_smallest_float(e):    # d ln(x)/dx = 1/x = 1 / 5e-324 overflows
    x = _leaf(e, 5e-324, "x")
    return [x], _loss(x.log()), 1.0, ["through the 'log' node", "gave inf", "parent #0", HERE]


def _exp_slope_overflows(e):          # e^709 = 8.2e307 is finite; times the seed 4 it is not
    x = _leaf(e, 709.0, "x")
    return [x], _loss(x.exp()), 4.0, ["through the 'exp' node", "gave inf", "parent #0", HERE]


def _product_of_two_large_factors(e):  # a = h 1e200, y = a 1e200: dy/dh = 1e200 * 1e200, born at a
    h = _leaf(e, 1e-300, "h")
    a = _named(h * 1e200, "a")
    return [h], _loss(a * 1e200), 1.0, ["through the '*' node 'a'", "gave inf", "parent #0", HERE]


def _node_times_node(e):              # c = a b, y = c 1e200: dy/db = a 1e200 = 1e400, born at c towards b
    a, b = _leaf(e, 1e200, "a"), _leaf(e, 1e-300, "b")
    c = _named(a * b, "c")
    return [a, b], _loss(c * 1e200), 1.0, ["through the '*' node 'c'", "gave inf", "parent #1", HERE]


def _two_finite_gradients_at_a_leaf(e):   # x reached twice with 1e308: the sum is inf, born at x
    x = _leaf(e, 1e-300, "x")
    return [x], _loss(x * 1e308 + x * 1e308), 1.0, ["reached the 'leaf' node 'x' add up to inf", "It is a leaf"]


def _two_finite_gradients_at_an_inner_node(e):  # u = x 1e-300 reached twice with 1e308
    x = _leaf(e, 1.0, "x")
    u = _named(x * 1e-300, "u")
    return [x], _loss(u * 1e308 + u * 1e308), 1.0, ["reached the '*' node 'u' add up to inf", HERE]


def _two_gradients_that_are_nodes_at_a_leaf(e):  # d(a b)/da = b = 1e308 twice: with create_graph, two nodes
    a, b = _leaf(e, 1e-300, "a"), _leaf(e, 1e308, "b")
    return [a], _loss(a * b + a * b), 1.0, ["reached the 'leaf' node 'a' add up to inf", "It is a leaf"]


ANOMALIES = [_sqrt_at_0, _zero_times_sqrt_slope, _log_at_the_smallest_float, _exp_slope_overflows,
             _product_of_two_large_factors, _node_times_node, _two_finite_gradients_at_a_leaf,
             _two_finite_gradients_at_an_inner_node, _two_gradients_that_are_nodes_at_a_leaf]
# (engine, path): every way of getting a gradient
ROUTES = [(engine, path) for engine in ("Value", "Tensor")
          for path in ("backward", "backward(create_graph=True)", "grad", "grad(create_graph=True)")]


def _differentiate(path: str, inputs: list, out: Value | Tensor, seed: float) -> list:
    from autograd import grad

    seed = seed if isinstance(out, Value) else np.full(out.data.shape, seed)
    if path.startswith("backward"):
        out.backward(seed, create_graph="create_graph" in path)
        return [x.grad for x in inputs]
    return list(grad(out, inputs, grad_outputs=seed, create_graph="create_graph" in path))


@pytest.mark.parametrize("case", ANOMALIES, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("engine,path", ROUTES)
def test_detect_anomaly_names_the_op_where_a_backward_nan_or_inf_is_born_on_every_path(engine, path, case):
    with detect_anomaly(), np.errstate(all="ignore"):
        inputs, out, seed, fragments = case(engine)
        with pytest.raises(FloatingPointError) as caught:
            _differentiate(path, inputs, out, seed)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "forward pass" not in message, message                # the gradient graph's ops are not to blame
    assert "outside detect_anomaly" not in message, message      # every node here was made inside it


@pytest.mark.parametrize("case", ANOMALIES, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("path", ["backward", "grad"])
@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_outside_detect_anomaly_the_same_graphs_give_ieee_numbers_without_a_check(engine, path, case):
    with np.errstate(all="ignore"):
        inputs, out, seed, _ = case(engine)
        grads = _differentiate(path, inputs, out, seed)
    assert not all(np.isfinite(np.asarray(getattr(g, "data", g))).all() for g in grads)


@pytest.mark.parametrize("engine,path", [route for route in ROUTES if route[1].startswith("grad")])
def test_detect_anomaly_blames_a_nan_grad_outputs_on_the_caller_not_on_an_op(engine, path):
    x = _leaf(engine, 1.0, "x")
    with detect_anomaly(), pytest.raises(FloatingPointError) as caught:
        _differentiate(path, [x], _loss(x * 2.0), float("nan"))
    message = str(caught.value)
    assert message.startswith("grad: grad_outputs[0]") and "nan" in message and "node" not in message, message


@pytest.mark.parametrize("path", [path for engine, path in ROUTES if engine == "Tensor"])
def test_detect_anomaly_catches_a_gradient_that_overflows_only_when_cast_to_its_float32_parent(path):
    # a (float32) b (float64) is float64; d/da = b = 1e300 is finite in float64 and inf as a's float32 gradient
    with detect_anomaly(), np.errstate(all="ignore"):
        a = Tensor([1e-30], requires_grad=True, dtype=np.float32, name="a")
        b = Tensor([1e300], requires_grad=True, name="b")
        with pytest.raises(FloatingPointError) as caught:
            _differentiate(path, [a, b], (a * b).sum(), 1.0)
    message = str(caught.value)
    assert "through the '*' node gave inf" in message and "parent #0" in message, message
    assert HERE in message and "forward pass" not in message


def _sqrt_sum(x):
    return x[0].sqrt() * 3.0 if isinstance(x, list) else (x.sqrt() * 3.0).sum()


@pytest.mark.parametrize("name", ["jacobian", "hessian", "hvp", "vhp", "vjp", "jvp"])
@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_detect_anomaly_holds_in_the_functional_derivatives(engine, name):
    # sqrt'(0) = inf: every functional form takes a gradient through the sqrt at 0 first
    from autograd import functional

    inputs = [Value(0.0)] if engine == "Value" else Tensor([0.0, 1.0])
    v = {"hvp": [1.0], "vhp": [1.0], "jvp": [1.0], "vjp": 1.0}.get(name)
    if engine == "Tensor" and v is not None:
        v = np.ones(()) if name == "vjp" else np.ones(2)
    args = () if v is None else (v,)
    with detect_anomaly(), np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="'sqrt' node"):
        getattr(functional, name)(_sqrt_sum, inputs, *args)


def test_detect_anomaly_blames_sqrt_for_the_nan_of_zero_times_its_infinite_slope_in_a_jacobian():
    # row 1 of J is d sqrt(x_1)/dx: the seed (0, 1) meets sqrt'(0) = inf at entry 0, and 0 * inf is nan
    from autograd.functional import jacobian

    with detect_anomaly(), np.errstate(all="ignore"), \
            pytest.raises(FloatingPointError, match=r"through the 'sqrt' node gave (inf|nan)"):
        jacobian(lambda x: x.sqrt(), Tensor([0.0, 1.0]))


@pytest.mark.parametrize("engine,path", ROUTES)
def test_a_nan_fed_into_a_graph_made_outside_detect_anomaly_is_said_to_be_given_not_born_at_the_op(engine, path):
    # d(x w)/dw = x = nan: the '*' node hands w a NaN, but it is the caller's x, not a number the op made
    x, w = _leaf(engine, float("nan"), "x"), _leaf(engine, 2.0, "w")
    out = _loss(x * w)                              # made outside detect_anomaly(): no forward check saw the NaN
    with detect_anomaly(), np.errstate(all="ignore"), pytest.raises(FloatingPointError) as caught:
        _differentiate(path, [w], out, 1.0)
    message = str(caught.value)
    assert "through the '*' node gave nan" in message and "parent #1" in message, message
    assert "its parent #0 already held nan" in message and "given, not born here" in message, message


# Gradients add up across backward() calls: a sum that overflows there is born in backward()'s own accumulation.
def _backward_twice_on_a_leaf(e, cg):          # the leaf is the root: its .grad is seeded 1e308 twice
    x = _leaf(e, 1.0, "x")
    seed = 1e308 if e == "Value" else np.array([1e308])
    x.backward(seed, create_graph=cg)
    x.backward(seed, create_graph=cg)


def _backward_twice_through_a_constant(e, cg):  # d(1e308 x)/dx = 1e308, added to x.grad twice
    x = _leaf(e, 1.0, "x")
    y = _loss(x * 1e308)
    y.backward(create_graph=cg)
    y.backward(create_graph=cg)


def _backward_twice_through_a_node(e, cg):      # d(x b)/dx = b = 1e308, with create_graph a node, twice
    x, b = _leaf(e, 1.0, "x"), _leaf(e, 1e308, "b")
    y = _loss(x * b)
    y.backward(create_graph=cg)
    y.backward(create_graph=cg)


@pytest.mark.parametrize("case", [_backward_twice_on_a_leaf, _backward_twice_through_a_constant,
                                  _backward_twice_through_a_node], ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("engine,cg", [("Value", False), ("Value", True), ("Tensor", False),
                                       ("Tensor", True)])
def test_detect_anomaly_catches_a_leaf_gradient_that_overflows_across_backward_calls(engine, cg, case):
    with detect_anomaly(), np.errstate(all="ignore"), pytest.raises(FloatingPointError) as caught:
        case(engine, cg)
    message = str(caught.value)
    assert "reached the 'leaf' node 'x' add up to inf" in message and "forward pass" not in message, message


def test_detect_anomaly_changes_no_gradient_where_every_number_is_finite():
    # no check may fire on a sound graph, nor change a number: the paths of both engines, first and second order
    from autograd import weighted_sum
    from autograd.functional import hessian, hvp, jacobian, jvp

    def f(v):
        z = weighted_sum(v[:2], [v[2], 3.0], v[0])
        return (z.tanh() * v[1].sigmoid() + (v[2] * v[2]).log() + v[0].exp() / v[1] + v[2] ** 3).softplus()

    def g(x):
        return (x.tanh() * x.sigmoid()).sum() * (x * x).log().mean() + x.exp().sum() / (x * x + 1).sum()

    point = [0.3, -0.7, 1.3]

    def values():
        return [Value(a) for a in point]

    def everything():
        found = [hessian(f, values()), jacobian(lambda v: [f(v), v[0] * v[1]], values()),
                 hvp(f, values(), point)[1], hessian(g, Tensor(point)).data,
                 jacobian(lambda x: x.tanh() * x, Tensor(point)).data, hvp(g, Tensor(point), Tensor(point))[1].data,
                 jvp(lambda x: x.exp() * x, Tensor(point), Tensor(point))[1].data]
        v = values()
        f(v).backward(create_graph=True)
        found.append([x.grad.data for x in v])
        for create_graph in (False, True):
            t = Tensor(point, requires_grad=True)
            g(t).backward(create_graph=create_graph)
            found.append(np.asarray(getattr(t.grad, "data", t.grad)))
        return found

    plain = everything()
    with detect_anomaly():
        checked = everything()
    for a, b in zip(plain, checked):
        np.testing.assert_array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


@pytest.mark.parametrize("root_is_the_leaf", [False, True])
def test_under_detect_anomaly_backward_adds_into_a_grad_that_create_graph_left_as_a_value(root_is_the_leaf):
    # d(x^2)/dx = 2x = 4 (a Value, from create_graph), then d(3x)/dx = 3, or the seed 1 when x is the root
    x = Value(2.0)
    (x * x).backward(create_graph=True)
    with detect_anomaly():
        (x if root_is_the_leaf else x * 3).backward()
    assert isinstance(x.grad, Value) and x.grad.data == (5.0 if root_is_the_leaf else 7.0)


def test_detect_anomaly_sums_a_plain_grad_and_a_create_graph_grad_at_a_leaf():
    # a leaf's .grad left as an array by a plain backward(), then backward(create_graph=True): the anomaly check
    # of their sum takes an array as its numbers (an ndarray's own .data is its raw buffer); 1e308 + 1e308 is inf,
    # born in that sum
    x = Tensor([1.0], requires_grad=True)
    (x * 1e308).sum().backward()
    with detect_anomaly(), pytest.raises(FloatingPointError, match="reached the 'leaf' node add up to inf"):
        (x * 1e308).sum().backward(create_graph=True)
    y = Tensor([1.0], requires_grad=True)
    (y * 2.0).sum().backward()
    with detect_anomaly():
        (y * 3.0).sum().backward(create_graph=True)                   # finite: 2 + 3, no error
    assert y.grad.data.tolist() == [5.0]
