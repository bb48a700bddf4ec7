"""autograd.linear and autograd.softmax_cross_entropy: one node each, the numbers of the unfused composition."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, gradcheck, linear, no_grad, softmax_cross_entropy
from nn import MLP, SGD, Linear, losses


def leaves(rng, shapes, dtype=np.float64):
    return [Tensor(rng.normal(size=s).astype(dtype), requires_grad=True) for s in shapes]


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid", "tanh", "softplus"])
def test_linear_passes_gradcheck(activation):
    rng = np.random.default_rng(1)
    x, W, b = leaves(rng, [(5, 4), (3, 4), (3,)])
    x.data += np.sign(x.data) * 0.1                                     # clear of relu's kink
    assert gradcheck(lambda x, W, b: linear(x, W, b, activation=activation), [x, W, b])


@pytest.mark.parametrize("activation", [None, "relu", "tanh"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_equals_the_unfused_composition(activation, dtype):
    rng = np.random.default_rng(2)
    x, W, b = leaves(rng, [(7, 6), (4, 6), (4,)], dtype)
    G = rng.normal(size=(7, 4)).astype(dtype)
    fused = linear(x, W, b, activation=activation)
    fused.backward(G)
    got = [fused.data, x.grad, W.grad, b.grad]
    for t in (x, W, b):
        t.zero_grad()
    plain = x @ W.T + b
    plain = plain if activation is None else getattr(plain, activation)()
    plain.backward(G)
    want = [plain.data, x.grad, W.grad, b.grad]
    tol = 1e-5 if dtype == np.float32 else 1e-13
    for a, w in zip(got, want):
        assert a.dtype == dtype and a.shape == w.shape
        np.testing.assert_allclose(a, w, rtol=tol, atol=tol)
    assert fused.op == ("linear" if activation is None else f"linear+{activation}")


def test_linear_without_bias_with_one_sample_and_a_constant_input():
    rng = np.random.default_rng(3)
    (W,) = leaves(rng, [(2, 3)])
    x = rng.normal(size=3)
    y = linear(x, W)
    assert y.shape == (2,)
    y.sum().backward()
    np.testing.assert_allclose(W.grad, np.tile(x, (2, 1)))


def test_softmax_cross_entropy_passes_gradcheck_and_equals_the_unfused_composition():
    rng = np.random.default_rng(4)
    (z,) = leaves(rng, [(6, 5)])
    labels = rng.integers(0, 5, 6)
    assert gradcheck(lambda z: softmax_cross_entropy(z, labels), [z])
    loss = softmax_cross_entropy(z, labels)
    assert loss.shape == () and loss.dtype == z.dtype                   # one number, the logits' dtype
    loss.backward()
    got = (loss.item(), z.grad.copy())
    z.zero_grad()
    plain = -z.log_softmax(axis=-1)[np.arange(6), labels].sum() / 6.0
    plain.backward()
    assert got[0] == pytest.approx(plain.item(), rel=1e-14)
    np.testing.assert_allclose(got[1], z.grad, rtol=1e-13, atol=1e-15)


def test_softmax_cross_entropy_is_stable_and_refuses_bad_labels():
    z = Tensor([[1000.0, -1000.0], [0.0, 0.0]], requires_grad=True)
    loss = softmax_cross_entropy(z, np.array([1, 0]))
    loss.backward()
    assert np.isfinite(loss.item()) and np.isfinite(z.grad).all()
    with pytest.raises(ValueError, match="integer classes"):
        softmax_cross_entropy(z, np.array([0, 2]))
    with pytest.raises(ValueError, match="integer classes"):
        softmax_cross_entropy(z, np.array([0.5, 1.0]))


def test_nn_linear_and_cross_entropy_use_the_fused_ops():
    layer = Linear(3, 2, seed=0)
    out = layer(np.ones((4, 3)))
    assert out.op == "linear"
    loss = losses.cross_entropy(out, np.array([0, 1, 1, 0]))
    assert loss.op == "softmax_cross_entropy"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_an_mlp_training_step_matches_numpy_by_hand(dtype):
    rng = np.random.default_rng(5)
    X = rng.random((16, 8)).astype(dtype)
    labels = rng.integers(0, 3, 16)
    model = MLP([8, 5, 3], activation="relu", output_activation="identity", seed=0, dtype=dtype)
    (W1, b1), (W2, b2) = [(W.astype(dtype), b.astype(dtype)) for W, b in model.get_weights()]
    opt = SGD(model.parameters(), lr=0.1)
    opt.zero_grad()
    loss = losses.cross_entropy(model(X), labels)
    loss.backward()
    opt.step()
    h = np.maximum(X @ W1.T + b1, 0)
    z = h @ W2.T + b2
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    d = (p - np.eye(3, dtype=dtype)[labels]) / 16
    dh = (d @ W2) * (h > 0)
    want = [W1 - 0.1 * (dh.T @ X), b1 - 0.1 * dh.sum(0), W2 - 0.1 * (d.T @ h), b2 - 0.1 * d.sum(0)]
    got = [a for pair in model.get_weights() for a in pair]
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for a, w in zip(got, want):
        np.testing.assert_allclose(a, w, rtol=tol, atol=tol)
    with no_grad():
        assert model(X).data.dtype == dtype


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "softplus"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_activation_is_the_rules_value_and_slope_bit_for_bit(activation, dtype):
    # relu is applied in place and its slope read from relu(z); sigmoid takes value and slope from one call of
    # its rule's `both`: the numbers must be the table's own, to the last bit (NaN and both zeros included).
    from autograd import rules

    rng = np.random.default_rng(6)
    x, W, b = leaves(rng, [(9, 5), (4, 5), (4,)], dtype)
    z = x.data @ W.data.T + b.data
    rule = rules.FUNCTIONS[activation]
    y = linear(x, W, b, activation=activation)
    np.testing.assert_array_equal(y.data, rule.value(rules.ARRAYS, z))
    G = rng.normal(size=(9, 4)).astype(dtype)
    y.backward(G)
    (slope,) = rule.partials(rules.ARRAYS, z, rule.value(rules.ARRAYS, z))
    np.testing.assert_array_equal(b.grad, (G * slope).sum(axis=0))
    if activation == "relu":                                            # step(relu(z)) = step(z), also at -0, NaN
        z = np.array([-0.0, 0.0, np.nan, -np.inf, np.inf, -1.0, 1.0], dtype=dtype)
        r = rules.ARRAYS.relu(z)
        np.testing.assert_array_equal(rule.partials(rules.ARRAYS, r, r)[0], rule.partials(rules.ARRAYS, z, r)[0])


def test_a_fused_linear_working_in_its_gradients_memory_leaves_retained_and_shared_gradients_alone():
    # backward() may let linear's vjp multiply dL/dy by act'(z) in place, only when nobody else sees dL/dy
    rng = np.random.default_rng(3)
    x = Tensor(rng.standard_normal((4, 3)))
    W1, b1 = Tensor(rng.standard_normal((5, 3)), requires_grad=True), Tensor(rng.standard_normal(5), requires_grad=True)
    W2 = Tensor(rng.standard_normal((2, 5)), requires_grad=True)
    h = linear(x, W1, b1, activation="relu")
    h.retain_grad()
    out = linear(h, W2)
    (out * out).sum().backward()
    dL_dh = (2 * out.data) @ W2.data                                   # by hand: dL/dh, before relu'
    np.testing.assert_allclose(h.grad, dL_dh, rtol=1e-12)              # not multiplied by relu'(z) in place
    z = x.data @ W1.data.T + b1.data
    np.testing.assert_allclose(W1.grad, (dL_dh * (z > 0)).T @ x.data, rtol=1e-12)
    h2 = linear(x, W1, b1, activation="sigmoid")                       # one gradient reaching two consumers
    W1.zero_grad()
    (h2.sum() + (h2 * 3.0).sum()).backward()
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(W1.grad, (4.0 * s * (1 - s)).T @ x.data, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                                   np.dtype(">i8"), np.dtype(">u4")])
def test_softmax_cross_entropy_takes_labels_of_every_integer_width_and_refuses_each_out_of_range(dtype):
    # the range check reads a signed label as unsigned (a negative one becomes huge): both ends, at every width
    rng = np.random.default_rng(6)
    z = Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    labels = np.array([2, 0, 1, 2])
    want = softmax_cross_entropy(z, labels)
    want.backward()
    want_grad = z.grad.copy()
    z.zero_grad()
    got = softmax_cross_entropy(z, labels.astype(dtype))
    got.backward()
    assert got.item() == want.item()
    np.testing.assert_array_equal(z.grad, want_grad)
    info = np.iinfo(dtype)
    for bad in {3, info.max} | ({-1, info.min} if info.min < 0 else set()):
        y = labels.astype(dtype)
        y[1] = bad
        with pytest.raises(ValueError, match=r"labels must be 4 integer classes in 0\.\.2"):
            softmax_cross_entropy(z, y)
        with pytest.raises(ValueError, match=r"cross_entropy: labels must lie in 0\.\.2 for 3 classes.*index \(1,\)"):
            losses.cross_entropy(z, y)


def test_softmax_cross_entropy_follows_the_batch_shape_from_call_to_call():
    # the row offsets of the last batch shape are kept between calls: a new shape must give its own
    rng = np.random.default_rng(7)
    for n, k in [(3, 4), (5, 4), (3, 4), (3, 2), (1, 2), (3, 4)]:
        z = Tensor(rng.normal(size=(n, k)), requires_grad=True)
        labels = rng.integers(0, k, n)
        loss = softmax_cross_entropy(z, labels)
        loss.backward()
        log_p = z.data - z.data.max(axis=1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
        assert loss.item() == pytest.approx(-log_p[np.arange(n), labels].mean(), rel=1e-14)
        want = np.exp(log_p)
        want[np.arange(n), labels] -= 1.0
        np.testing.assert_allclose(z.grad, want / n, rtol=1e-13, atol=1e-16)


# --- the exact-gradient flag: linear and softmax_cross_entropy vouch for their gradients ----------------------

def _two_layer_loss(rng, dtype=np.float64):
    x = Tensor(rng.normal(size=(6, 4)).astype(dtype))
    W1, b1, W2, b2 = leaves(rng, [(5, 4), (5,), (3, 5), (3,)], dtype)
    labels = rng.integers(0, 3, 6)
    loss = softmax_cross_entropy(linear(linear(x, W1, b1, activation="relu"), W2, b2), labels)
    return loss, [W1, b1, W2, b2]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_backward_takes_an_exact_vjps_gradients_as_they_are_and_gets_the_numbers_of_the_checked_path(dtype):
    from autograd.tensor.backward import order

    fast, params = _two_layer_loss(np.random.default_rng(8), dtype)
    nodes = order(fast)
    assert [n.op for n in nodes] == ["softmax_cross_entropy", "linear", "linear+relu"]
    assert all(n.vjp.exact for n in nodes)                 # one dtype throughout: every node vouches
    fast.backward()
    want = [p.grad.copy() for p in params]
    checked, params = _two_layer_loss(np.random.default_rng(8), dtype)
    for n in order(checked):
        n.vjp.exact = False                                # the general path: views, shapes, dtypes checked
    checked.backward()
    for p, w in zip(params, want):
        assert p.grad.dtype == dtype and p.grad.shape == p.data.shape
        np.testing.assert_array_equal(p.grad, w)


@pytest.mark.parametrize("x_dtype, b_dtype", [(np.float32, np.float64), (np.float64, np.float32)])
def test_a_linear_of_mixed_dtypes_does_not_vouch_and_each_parent_gets_its_own_dtype(x_dtype, b_dtype):
    rng = np.random.default_rng(9)
    x = Tensor(rng.normal(size=(4, 3)).astype(x_dtype), requires_grad=True)
    W = Tensor(rng.normal(size=(2, 3)), requires_grad=True)                    # float64
    b = Tensor(rng.normal(size=2).astype(b_dtype), requires_grad=True)
    y = linear(x, W, b, activation="tanh")
    assert y.dtype == np.float64 and y.vjp.exact is False
    G = rng.normal(size=(4, 2))
    y.backward(G)
    z = x.data.astype(np.float64) @ W.data.T + b.data                          # by hand, in float64
    d = G * (1 - np.tanh(z) ** 2)
    for t, want in ((x, d @ W.data), (W, d.T @ x.data.astype(np.float64)), (b, d.sum(axis=0))):
        assert t.grad.dtype == t.data.dtype
        np.testing.assert_allclose(t.grad, want, rtol=1e-5)


def test_anomaly_mode_still_checks_the_gradients_an_exact_vjp_returns():
    from autograd import detect_anomaly

    x = Tensor(np.array([[1e200]]))
    W = Tensor(np.array([[1e-250]]), requires_grad=True)
    y = linear(x, W)                                       # 1e-50: a finite forward pass
    assert y.vjp.exact
    with detect_anomaly(), pytest.raises(FloatingPointError, match="'linear' node.*parent #1"), \
            np.errstate(over="ignore"):
        y.backward(np.array([[1e200]]))                    # dL/dW = 1e200 * 1e200 = inf
    with np.errstate(over="ignore"):
        y.backward(np.array([[1e200]]))                    # without the checks: inf, as the formula says
    assert W.grad[0, 0] == np.inf


def _layouts(a: np.ndarray) -> dict:
    """The same numbers in the layouts a user's logits may have: C order, Fortran order, a transpose's view, a
    slice with a stride."""
    wide = np.repeat(a, 2, axis=1)
    return {"C": a.copy(), "Fortran": np.asfortranarray(a), "transposed": a.T.copy().T, "strided": wide[:, ::2]}


@pytest.mark.parametrize("layout", ["C", "Fortran", "transposed", "strided"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_cross_entropy_gives_the_same_gradient_whatever_the_logits_layout(layout, dtype):
    """Its vjp writes -1/N at the flat indices i k + y_i: they must address the gradient's own memory, not a copy
    (logits in Fortran order once lost the -onehot term: every label's gradient was off by 1/N)."""
    rng = np.random.default_rng(7)
    a, y = rng.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    arr = _layouts(a.astype(dtype))[layout]
    assert np.array_equal(arr, a.astype(dtype))
    z = Tensor(arr, requires_grad=True)
    loss = softmax_cross_entropy(z, y)
    loss.backward()
    p = np.exp(a - a.max(axis=1, keepdims=True))                      # by hand, in float64: (softmax - onehot) / N
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(5), y] -= 1.0
    tol = 1e-6 if dtype == np.float32 else 1e-15
    np.testing.assert_allclose(z.grad, p / 5, rtol=0, atol=tol)
    want = -np.mean(a[np.arange(5), y] - a.max(axis=1) - np.log(np.exp(a - a.max(axis=1, keepdims=True)).sum(1)))
    assert abs(loss.item() - want) < 10 * tol


@pytest.mark.parametrize("layout", ["Fortran", "transposed", "strided"])
def test_the_losses_and_linear_differentiate_any_layout_as_central_differences_do(layout):
    """losses.cross_entropy with integer labels (the fused op), and linear, on logits and inputs that are not in C
    order, against gradcheck's central differences."""
    rng = np.random.default_rng(8)
    y = np.array([2, 0, 1, 2])
    z = Tensor(_layouts(rng.normal(size=(4, 3)))[layout], requires_grad=True)
    assert gradcheck(lambda z: losses.cross_entropy(z, y), [z])
    x = Tensor(_layouts(rng.normal(size=(4, 5)))[layout], requires_grad=True)
    W = Tensor(_layouts(rng.normal(size=(3, 5)))[layout], requires_grad=True)
    b = Tensor(rng.normal(size=3), requires_grad=True)
    assert gradcheck(lambda x, W, b: losses.cross_entropy(linear(x, W, b, activation="tanh"), y), [x, W, b])
    h = Tensor(rng.normal(size=(3, 4)), requires_grad=True)            # logits computed column-wise, then .T
    assert gradcheck(lambda h: losses.cross_entropy(h.T, y), [h])


@pytest.mark.parametrize("activation, z, message", [
    ("log", -1.0, r"log: .*needs positive entries"), ("log", 0.0, r"log: .*needs positive entries"),
    ("sqrt", -1.0, r"sqrt: sqrt needs entries >= 0"), ("exp", 800.0, r"exp: exp\(800.0\) overflows"),
    ("sin", np.inf, r"sin: sin needs finite entries"), ("cos", np.nan, r"cos: cos needs finite entries")])
def test_linear_refuses_what_the_unfused_activation_refuses(activation, z, message):
    """linear(x, W, b, activation=act) computed act(z) without act's domain check: log of z <= 0 gave NaN or -inf,
    exp beyond 709.78 inf, silently, where (x @ W.T + b).act() refuses by name."""
    x, W, b = Tensor([[1.0]]), Tensor([[1.0]], requires_grad=True), Tensor([z - 1.0], requires_grad=True)
    with pytest.raises(ValueError, match=message):
        getattr(x @ W.T + b, activation)()
    with pytest.raises(ValueError, match=message):
        linear(x, W, b, activation=activation)
    inside = linear(x, W, Tensor([0.25], requires_grad=True), activation=activation)     # z = 1.25: both agree
    np.testing.assert_array_equal(inside.data, getattr(x @ W.T + Tensor([0.25]), activation)().data)


@pytest.mark.parametrize("x", [np.array([[1 + 5j, 2.0]]), [["1.5", "2"]], np.array([["2020-01-01", "2020-01-02"]],
                                                                                  dtype="datetime64[D]")])
def test_linear_refuses_an_input_that_holds_no_real_numbers_as_tensor_does(x):
    # np.asarray(x, dtype=float64) dropped 1 + 5j's imaginary part, parsed "1.5" and counted a date's days since
    # 1970: linear computed with numbers nobody gave it; Tensor(x) refuses each, and so does linear now
    W = Tensor(np.ones((1, 2)), requires_grad=True)
    with pytest.raises(TypeError, match="linear: the input"):
        linear(x, W)
    with pytest.raises(TypeError):
        Tensor(x)
