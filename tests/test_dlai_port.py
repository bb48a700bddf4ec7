"""deeplearning.ai's from-scratch assignments (Courses 1 and 2) ported onto deltagrad.

Each hand-derived numpy gradient of tests/dlai_exercises.py is checked against central differences (the courses'
own check, and ours), against deltagrad's automatic gradient written as a student would write it, and against
PyTorch's where that adds something. The courses put samples in COLUMNS (X of shape (n_x, m), b^[l] a column
(n_l, 1) broadcast over them, the cost a reduction of a (1, m) row); deltagrad's nn is built for rows, so the
Tensor code here keeps the courses' layout, as a student would, and the forward passes of the exercises module
itself (numpy calls: np.dot, np.tanh, np.maximum, np.log, np.squeeze, ...) are run on Tensors unchanged.

Where deltagrad's conventions differ, the test says how they are matched: nn.SGD's momentum is PyTorch's
(v <- beta v + g), the courses' is an average (v <- beta v + (1 - beta) g), the same steps with lr (1 - beta);
nn.Adam is the courses' Adam to rounding (the bias corrections and eps outside the square root alike); weight
decay on every parameter is not the courses' L2 on the weights only, so the biases get an optimizer of their own;
nn.Dropout drops with probability p = 1 - keep_prob and keeps its mask in ``.mask``.
"""

import math

import dlai_exercises as ex
import numpy as np
import pytest

import autograd
from autograd import Tensor, Value, no_grad
from nn import MLP, SGD, Adam, Dropout, compare_gradients, fit, losses

try:
    import torch
except ImportError:  # pragma: no cover - torch is in the dev extras
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")

N_X, M = 4, 6                        # features, samples (columns)
SIZES = [N_X, 5, 3, 1]               # the gradient-checking notebook's net: relu, relu, sigmoid


def data(seed: int = 1, m: int = M) -> tuple[np.ndarray, np.ndarray]:
    """X (n_x, m) and labels Y (1, m) with both classes."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N_X, m))
    Y = (X[:1] + 0.5 * X[1:2] > 0).astype(float)
    Y[0, :2] = [0.0, 1.0]
    return X, Y


def central(f, arrays: dict, eps: float = 1e-6) -> dict:
    """d f / d each array by central differences, entry by entry (each entry put back): the witness's check."""
    grads = {}
    for key, a in arrays.items():
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            kept = a[i]
            a[i] = kept + eps
            up = f()
            a[i] = kept - eps
            down = f()
            a[i] = kept
            g[i] = (up - down) / (2 * eps)
        grads["d" + key] = g
    return grads


def tensors(parameters: dict) -> dict:
    return {k: Tensor(v, requires_grad=True, name=k) for k, v in parameters.items()}


def tight(a, b, rtol: float = 1e-12) -> None:
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol, atol=1e-15)


def near(numeric, hand) -> None:
    """Central differences against a hand gradient: eps = 1e-6 leaves about 1e-10 of truncation and rounding."""
    np.testing.assert_allclose(numeric, hand, rtol=1e-6, atol=1e-9)


def same_grads(hand: dict, params: dict, rtol: float = 1e-12) -> None:
    for k, p in params.items():
        assert p.grad.shape == p.shape, k                      # a (n, 1) bias gets a (n, 1) gradient
        tight(p.grad, hand["d" + k], rtol)


# --- Course 1, week 2: logistic regression ---------------------------------------------------------------------


def test_propagate_is_central_differences_and_deltagrads_gradient_on_columns():
    X, Y = data()
    rng = np.random.default_rng(0)
    w, b = 0.5 * rng.normal(size=(N_X, 1)), 0.3
    grads, cost = ex.propagate(w, b, X, Y)
    bb = np.array(b)
    numeric = central(lambda: ex.propagate(w, float(bb), X, Y)[1], {"w": w, "b": bb})
    near(numeric["dw"], grads["dw"])
    near(numeric["db"], grads["db"])
    # the student's code: the exercise's sigmoid and cost, numpy calls on a (n_x, 1) Tensor and a 0-d Tensor b
    wt, bt = Tensor(w, requires_grad=True), Tensor(b, requires_grad=True)
    A = ex.sigmoid(np.dot(wt.T, X) + bt)
    J = ex.cross_entropy_cost(A, Y)
    J.backward()
    assert A.shape == (1, M) and J.shape == ()
    tight(J.item(), cost, 1e-14)
    tight(wt.grad, grads["dw"])
    assert bt.grad.shape == () and math.isclose(float(bt.grad), grads["db"], rel_tol=1e-12)


def test_propagate_on_values_one_sample_at_a_time():
    # the same neuron as micrograd would write it: a Value per weight, the sum over the m columns by hand
    X, Y = data()
    w, b = np.array([[0.2], [-0.4], [0.1], [0.3]]), -0.1
    grads, cost = ex.propagate(w, b, X, Y)
    wv, bv = [Value(float(x)) for x in w[:, 0]], Value(b)
    J = Value(0.0)
    for i in range(M):
        a = (sum((wj * float(x) for wj, x in zip(wv, X[:, i])), bv)).sigmoid()
        J = J - (float(Y[0, i]) * a.log() + (1 - float(Y[0, i])) * (1 - a).log()) / M
    J.backward()
    tight(J.data, cost, 1e-14)
    tight([v.grad for v in wv], grads["dw"][:, 0])
    tight(bv.grad, grads["db"])


def test_optimize_is_a_tensor_loop_updated_in_no_grad():
    X, Y = data()
    w0 = np.zeros((N_X, 1))
    w, b, costs = ex.optimize(w0, 0.0, X, Y, num_iterations=20, learning_rate=0.5)
    wt, bt = Tensor(w0, requires_grad=True), Tensor(0.0, requires_grad=True)
    seen = []
    for _ in range(20):
        J = ex.cross_entropy_cost(ex.sigmoid(np.dot(wt.T, X) + bt), Y)
        J.backward()
        seen.append(J.item())
        with no_grad():                       # the courses' w = w - alpha dw, as the same leaf
            wt -= 0.5 * wt.grad
            bt -= 0.5 * bt.grad
        wt.zero_grad(), bt.zero_grad()
    tight(seen, costs, 1e-13)
    assert costs[-1] < 0.5 * costs[0]         # it learned
    tight(wt.data, w, 1e-12)
    tight(float(bt.data), b, 1e-12)


# --- Course 1, week 3: the planar net, one tanh hidden layer -------------------------------------------------------


def planar() -> tuple[np.ndarray, np.ndarray, dict]:
    X, Y = data(3)
    p = ex.initialize_parameters(N_X, 4, 1, np.random.default_rng(3))
    p = {k: 50 * v if k[0] == "W" else v + 0.1 for k, v in p.items()}   # out of tanh's linear part, b != 0
    return X, Y, p


def test_planar_backward_is_central_differences():
    X, Y, p = planar()
    A2, cache = ex.forward_propagation(X, p)
    grads = ex.backward_propagation(p, cache, X, Y)
    numeric = central(lambda: ex.cross_entropy_cost(ex.forward_propagation(X, p)[0], Y), p)
    for k in p:
        near(numeric["d" + k], grads["d" + k])
    assert np.abs(cache["A1"]).max() > 0.5    # tanh' = 1 - A1^2 is far from 1: the factor is exercised


def test_planar_backward_is_deltagrads_gradient_of_the_students_own_forward():
    X, Y, p = planar()
    grads = ex.backward_propagation(p, ex.forward_propagation(X, p)[1], X, Y)
    pt = tensors(p)
    A2, cache = ex.forward_propagation(X, pt)          # np.dot, np.tanh, 1 / (1 + np.exp(-z)) on Tensors
    ex.cross_entropy_cost(A2, Y).backward()
    same_grads(grads, pt)


def test_planar_backward_is_the_value_engines_through_object_arrays():
    # numpy arrays of Values (dtype object): the same forward_propagation, np.dot and np.tanh calling each Value's
    # own ops, so every weight is a node of the scalar engine
    X, Y, p = planar()
    grads = ex.backward_propagation(p, ex.forward_propagation(X, p)[1], X, Y)
    pv = {k: np.vectorize(Value, otypes=[object])(v) for k, v in p.items()}
    A2, _ = ex.forward_propagation(X, pv)
    J = ex.cross_entropy_cost(A2, Y)
    assert isinstance(J, Value) and A2.dtype == object
    J.backward()
    for k, values in pv.items():
        tight(np.vectorize(lambda v: v.grad, otypes=[float])(values), grads["d" + k])


def test_planar_net_is_nns_mlp_on_the_rows():
    # the same net as nn.MLP: W^[l] is (n_l, n_(l-1)) in both layouts; X and Y are transposed, the biases flattened
    X, Y, p = planar()
    grads = ex.backward_propagation(p, ex.forward_propagation(X, p)[1], X, Y)
    model = MLP([N_X, 4, 1], activation="tanh", output_activation="sigmoid")
    model.set_weights([(p["W1"], p["b1"].ravel()), (p["W2"], p["b2"].ravel())])
    loss = losses.binary_cross_entropy(model(X.T), Y.T)   # the mean over the m entries: the courses' cost
    loss.backward()
    tight(loss.item(), ex.cross_entropy_cost(ex.forward_propagation(X, p)[0], Y), 1e-14)
    for layer, l in zip(model.layers, (1, 2)):
        tight(layer.weight.grad, grads[f"dW{l}"])
        tight(layer.bias.grad, grads[f"db{l}"].ravel())


def test_nns_binary_cross_entropy_of_a_row_is_the_courses_cost_but_not_with_lectures_reduction():
    # the default mean is the courses' 1/m sum on a (1, m) row; "lectures" sums each row's outputs (rows are samples
    # in nn), so on the courses' row it is m times the cost (docs/pytorch.md)
    X, Y, p = planar()
    A2, _ = ex.forward_propagation(X, p)
    cost = ex.cross_entropy_cost(A2, Y)
    tight(losses.binary_cross_entropy(Tensor(A2), Y).item(), cost, 1e-14)
    tight(losses.binary_cross_entropy(Tensor(A2), Y, reduction="lectures").item(), M * cost, 1e-14)


def test_an_mlp_given_the_courses_columns_says_to_transpose():
    X, Y, _ = planar()
    model = MLP([N_X, 4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    with pytest.raises(ValueError, match=rf"input of shape \({N_X}, {M}\) .*samples as columns.*pass X\.T"):
        model(X)
    assert model(X.T).shape == (M, 1)
    with pytest.raises(ValueError, match=r"X has 4 rows but Y has 1 .*samples as columns\? pass X\.T and Y\.T"):
        fit(model, X, Y, losses.binary_cross_entropy, SGD(model, lr=0.1), epochs=1, progress=False)


def test_rebinding_a_parameter_outside_no_grad_leaves_the_next_grad_none():
    # the courses' update, parameters["w"] = parameters["w"] - alpha * dw with dw = w.grad, makes w a computed
    # Tensor: the next backward() fills the old leaf's .grad, not w's (None, as in PyTorch, which warns). The way
    # around (docs/pytorch.md): with no_grad(): w -= alpha * w.grad, the same leaf (test_optimize_... above)
    X, Y = data()
    params = {"w": Tensor(np.zeros((N_X, 1)), requires_grad=True)}
    first = params["w"]
    for step in range(2):
        ex.cross_entropy_cost(ex.sigmoid(np.dot(params["w"].T, X)), Y).backward()
        if step == 0:
            assert params["w"].grad is not None
            params["w"] = params["w"] - 0.5 * params["w"].grad
    assert not params["w"].is_leaf and params["w"].grad is None
    assert first.grad is not None                      # both steps' gradients went into the first leaf


@needs_torch
def test_planar_backward_is_pytorchs():
    X, Y, p = planar()
    grads = ex.backward_propagation(p, ex.forward_propagation(X, p)[1], X, Y)
    pt = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    A1 = torch.tanh(pt["W1"] @ torch.tensor(X) + pt["b1"])
    A2 = torch.sigmoid(pt["W2"] @ A1 + pt["b2"])
    torch.nn.functional.binary_cross_entropy(A2, torch.tensor(Y)).backward()
    for k, v in pt.items():
        tight(v.grad.numpy(), grads["d" + k])


# --- Course 1, week 4: the deep net step by step -----------------------------------------------------------------


def deep() -> tuple[np.ndarray, np.ndarray, dict]:
    X, Y = data(4)
    return X, Y, ex.initialize_parameters_deep(SIZES, np.random.default_rng(4), scale=None)


def test_L_model_backward_is_central_differences():
    X, Y, p = deep()
    AL, caches = ex.L_model_forward(X, p)
    grads = ex.L_model_backward(AL, Y, caches)
    Z = [cache[1] for cache in caches[:-1]]
    assert all(np.abs(z).min() > 1e-3 for z in Z) and any((z < 0).any() for z in Z)   # relu off, on, not at 0
    numeric = central(lambda: float(ex.compute_cost(ex.L_model_forward(X, p)[0], Y)), p)
    for k in p:
        near(numeric["d" + k], grads["d" + k])


def test_L_model_backward_is_deltagrads_gradient_and_its_dA_is_m_times_the_means():
    X, Y, p = deep()
    AL, caches = ex.L_model_forward(X, p)
    grads = ex.L_model_backward(AL, Y, caches)
    pt = tensors(p)
    ALt, caches_t = ex.L_model_forward(X, pt)           # the student's numpy forward, unchanged, on Tensors
    kept = [cache[0][0] for cache in caches_t[1:]]      # A^[1], A^[2]: the inputs of the later layers
    for A in kept:
        A.retain_grad()
    J = ex.compute_cost(ALt, Y)                         # np.dot of rows by columns, np.squeeze: a 0-d Tensor
    assert J.shape == ()
    J.backward()
    tight(J.item(), ex.compute_cost(AL, Y), 1e-14)
    same_grads({k: v for k, v in grads.items() if not k.startswith("dA")}, pt)
    # the course's dA^[l] is the gradient of the SUM of the columns' costs (its 1/m comes in linear_backward):
    # the engine's of the mean J, times m
    for l, A in enumerate(kept, start=1):
        tight(M * A.grad, grads[f"dA{l}"])


def test_linear_backward_is_the_engines_vjp_for_any_dZ():
    # linear_backward alone, for an upstream dZ: the engine's backward(gradient=dZ / m) through Z = W A + b
    X, _, p = deep()
    dZ = np.random.default_rng(5).normal(size=(5, M))
    dA, dW, db = ex.linear_backward(dZ, (X, p["W1"], p["b1"]))
    A, W, b = Tensor(X, requires_grad=True), Tensor(p["W1"], requires_grad=True), Tensor(p["b1"], requires_grad=True)
    Z, _ = ex.linear_forward(A, W, b)
    Z.backward(gradient=dZ / M)
    tight(W.grad, dW)
    tight(b.grad, db)
    tight(M * A.grad, dA)


def rows_of(backward):
    """A column-layout backprop as compare_gradients' manual function: it hands X (m, n_x) and Y (m, 1) as rows,
    so the wrapper turns them back into the courses' columns."""
    def manual(weights, X, Y):
        p = {k: v for l, (W, b) in enumerate(weights, 1) for k, v in ((f"W{l}", W), (f"b{l}", b))}
        return backward(X.T, Y.T, p)
    return manual


def L_model_manual(X, Y, p):
    AL, caches = ex.L_model_forward(X, p)
    grads = ex.L_model_backward(AL, Y, caches)
    return float(ex.compute_cost(AL, Y)), [(grads[f"dW{l}"], grads[f"db{l}"]) for l in (1, 2, 3)]


def test_L_model_backward_passes_compare_gradients_with_column_biases():
    X, Y, p = deep()
    weights = [(p[f"W{l}"], p[f"b{l}"]) for l in (1, 2, 3)]          # b^[l] as the courses' (n_l, 1) columns
    report = compare_gradients(weights, X.T, Y.T, activation="relu", output_activation="sigmoid",
                               cost="binary_cross_entropy", manual=rows_of(L_model_manual))   # every method
    assert report.ok, report
    assert set(report.costs) == {"manual", "tensor", "scalar", "numerical", "forward"}


def test_compare_gradients_tells_a_column_student_what_went_wrong():
    X, Y, p = deep()
    weights = [(p[f"W{l}"], p[f"b{l}"]) for l in (1, 2, 3)]
    options = dict(activation="relu", output_activation="sigmoid", cost="binary_cross_entropy",
                   methods=("manual", "tensor"))
    # X in the courses' columns: refused before any method runs, with the fix
    with pytest.raises(ValueError, match=r"samples as columns\? pass X\.T"):
        compare_gradients(weights, X, Y, manual=rows_of(L_model_manual), **options)
    # X given as rows, to a manual function written for columns: its own numpy error, with a note that says what
    # it was given and what to do
    with pytest.raises(ValueError, match="not aligned") as caught:
        compare_gradients(weights, X.T, Y.T, manual=lambda w, X, Y: L_model_manual(X, Y, dict(
            (k, v) for l, (W, b) in enumerate(w, 1) for k, v in ((f"W{l}", W), (f"b{l}", b)))), **options)
    note = " ".join(getattr(caught.value, "__notes__", []))
    assert f"X of shape {(M, N_X)} and Y of shape {(M, 1)}" in note and "X.T, Y.T" in note, note
    assert "if it was written for rows, the shape error above is in its own arithmetic" in note   # both layouts

    def misspelt(w, X, Y):                  # a bug that has nothing to do with the layout: no note about it
        return {}["dW1"]

    with pytest.raises(KeyError) as caught:
        compare_gradients(weights, X.T, Y.T, manual=misspelt, **options)
    assert not getattr(caught.value, "__notes__", [])


@needs_torch
def test_L_model_backward_is_pytorchs():
    X, Y, p = deep()
    AL, caches = ex.L_model_forward(X, p)
    grads = ex.L_model_backward(AL, Y, caches)
    pt = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    A = torch.tensor(X)
    for l in (1, 2):
        A = torch.relu(pt[f"W{l}"] @ A + pt[f"b{l}"])
    AL_t = torch.sigmoid(pt["W3"] @ A + pt["b3"])
    torch.nn.functional.binary_cross_entropy(AL_t, torch.tensor(Y)).backward()
    for k, v in pt.items():
        tight(v.grad.numpy(), grads["d" + k])


# --- Course 2, week 1: initialisation ------------------------------------------------------------------------------


def test_he_initialisation_is_nns_he_draw_for_draw():
    # the same generator gives the same weights: randn * sqrt(2 / n_in) and nn.init.he's N(0, 2 / n_in)
    from nn import init
    p = ex.initialize_parameters_he(SIZES, np.random.default_rng(7))
    rng = np.random.default_rng(7)
    for l in (1, 2, 3):
        W, b = init.he(rng, SIZES[l], SIZES[l - 1])
        tight(W, p[f"W{l}"], 1e-15)
        assert not b.any() and not p[f"b{l}"].any()


def test_zero_initialisation_never_breaks_the_symmetry_on_either_side():
    # zeros: every relu sits at its kink z = 0, where the courses and the engine both take relu'(0) = 0, so only
    # the output bias learns. The central differences agree: a step in one weight moves nothing downstream of a
    # zero weight or a zero activation, so the cost is flat to first order in every parameter but b3
    X, Y = data()
    p = ex.initialize_parameters_zeros(SIZES)
    AL, caches = ex.L_model_forward(X, p)
    grads = ex.L_model_backward(AL, Y, caches)
    pt = tensors(p)
    ex.compute_cost(ex.L_model_forward(X, pt)[0], Y).backward()
    same_grads({k: v for k, v in grads.items() if not k.startswith("dA")}, pt)
    assert [k for k in p if grads["d" + k].any()] == ["b3"]
    tight(grads["db3"], [[np.mean(0.5 - Y)]])
    assert autograd.gradcheck(lambda *ps: ex.compute_cost(ex.L_model_forward(X, dict(zip(p, ps)))[0], Y),
                           [Tensor(v, requires_grad=True, name=k) for k, v in p.items()])


def test_large_random_initialisation_saturates_and_deltagrad_refuses_the_log_of_zero():
    # 10 randn: the sigmoid output rounds to exactly 0 or 1, and the courses' cost is inf in numpy (with a
    # RuntimeWarning); on Tensors log(0) is refused by name, and the same cost from the logits is finite
    X, Y = data()
    p = ex.initialize_parameters_random(SIZES, np.random.default_rng(0))
    A3, cache = ex.forward_three(X, p)
    assert ((A3 == 0) | (A3 == 1)).any()
    with np.errstate(divide="ignore", invalid="ignore"):
        assert not np.isfinite(ex.cross_entropy_cost(A3, Y))
    pt = tensors(p)
    with pytest.raises(ValueError, match="log"):
        ex.cross_entropy_cost(ex.forward_three(X, pt)[0], Y)
    Z3 = np.dot(pt["W3"], ex.relu(np.dot(pt["W2"], ex.relu(np.dot(pt["W1"], X) + pt["b1"])) + pt["b2"])) + pt["b3"]
    J = losses.binary_cross_entropy_with_logits(Z3, Y)
    J.backward()
    z = cache[4]
    tight(J.item(), np.mean(np.logaddexp(0, z) - Y * z), 1e-13)      # softplus(z) - y z, exact far out
    tight(pt["b3"].grad, [[np.mean(ex.sigmoid(z) - Y)]], 1e-12)


def test_a_hand_written_sigmoid_that_overflows_names_the_fix():
    # 1 / (1 + np.exp(-z)) at z = -800: numpy warns and gives 0; the engine refuses exp(800) and says sigmoid()
    with pytest.raises(ValueError, match=r"exp\(800\.0\) overflows.*sigmoid\(\)"):
        ex.sigmoid(Tensor([[-800.0]], requires_grad=True))
    with pytest.raises(ValueError, match=r"exp\(800\.0\) overflows.*sigmoid\(\)"):
        1 / (1 + (-Value(-800.0)).exp())
    assert Tensor([[-800.0]]).sigmoid().item() == 0.0 and Value(-800.0).sigmoid().data == 0.0


# --- Course 2, week 1: L2 regularisation and dropout -------------------------------------------------------------

LAMBD = 0.7


def three() -> tuple[np.ndarray, np.ndarray, dict]:
    X, Y = data(5)
    p = ex.initialize_parameters_he(SIZES, np.random.default_rng(5))
    return X, Y, {k: v + 0.05 if k[0] == "b" else v for k, v in p.items()}


def test_l2_backward_is_central_differences_and_deltagrads_gradient():
    X, Y, p = three()
    A3, cache = ex.forward_three(X, p)
    grads = ex.backward_three(X, Y, cache, p, lambd=LAMBD)
    numeric = central(lambda: ex.compute_cost_with_regularization(ex.forward_three(X, p)[0], Y, p, LAMBD), p)
    for k in p:
        near(numeric["d" + k], grads["d" + k])
    pt = tensors(p)
    J = ex.compute_cost_with_regularization(ex.forward_three(X, pt)[0], Y, pt, LAMBD)  # np.sum(np.square(W))
    J.backward()
    tight(J.item(), ex.compute_cost_with_regularization(A3, Y, p, LAMBD), 1e-14)
    same_grads(grads, pt)


def test_l2_step_is_sgd_weight_decay_on_the_weights_only():
    # the courses' L2 penalises W, not b: nn.SGD's weight_decay (lambd / m: the gradient of lambd/(2m) |W|^2)
    # goes on an optimizer of the weights; the biases get one without it
    X, Y, p = three()
    grads = ex.backward_three(X, Y, ex.forward_three(X, p)[1], p, lambd=LAMBD)
    stepped = ex.update_parameters(p, grads, 0.1)
    pt = tensors(p)
    weights, biases = [pt[k] for k in pt if k[0] == "W"], [pt[k] for k in pt if k[0] == "b"]
    opts = [SGD(weights, lr=0.1, weight_decay=LAMBD / M), SGD(biases, lr=0.1)]
    ex.cross_entropy_cost(ex.forward_three(X, pt)[0], Y).backward()
    for opt in opts:
        opt.step()
    for k, t in pt.items():
        tight(t.data, stepped[k], 1e-13)


def test_dropout_backward_is_central_differences_with_the_masks_kept():
    X, Y, p = three()
    keep = 0.6
    A3, cache, masks = ex.forward_with_dropout(X, p, keep, np.random.default_rng(9))
    assert all(0 < D.mean() < 1 for D in masks)          # some units dropped, some kept
    grads = ex.backward_three(X, Y, cache, p, masks=masks, keep_prob=keep)

    def cost():                                          # the same masks at every step: a fixed function of p
        return ex.cross_entropy_cost(ex.forward_with_dropout(X, p, keep, np.random.default_rng(9))[0], Y)

    numeric = central(cost, p)
    for k in p:
        near(numeric["d" + k], grads["d" + k])


def test_dropout_backward_is_deltagrads_gradient_through_the_students_masks():
    X, Y, p = three()
    keep = 0.6
    _, cache, masks = ex.forward_with_dropout(X, p, keep, np.random.default_rng(9))
    grads = ex.backward_three(X, Y, cache, p, masks=masks, keep_prob=keep)
    pt = tensors(p)
    A3, _, masks_t = ex.forward_with_dropout(X, pt, keep, np.random.default_rng(9))   # int masks times Tensors
    assert all(np.array_equal(a, b) for a, b in zip(masks, masks_t))
    ex.cross_entropy_cost(A3, Y).backward()
    same_grads(grads, pt)


def test_nn_dropout_is_inverted_dropout_with_p_one_minus_keep_prob():
    # nn.Dropout draws its own mask (kept with probability 1 - p) and shows it: the courses' backward with that
    # mask as D is the engine's
    X, Y, p = three()
    keep = 0.75
    drop = Dropout(p=1 - keep, seed=2)
    pt = tensors(p)
    A1 = drop(ex.relu(np.dot(pt["W1"], X) + pt["b1"]))
    D1 = drop.mask.astype(int)
    A2 = drop(ex.relu(np.dot(pt["W2"], A1) + pt["b2"]))
    D2 = drop.mask.astype(int)
    ex.cross_entropy_cost(ex.sigmoid(np.dot(pt["W3"], A2) + pt["b3"]), Y).backward()
    Z1 = np.dot(p["W1"], X) + p["b1"]
    hand_A1 = ex.relu(Z1) * D1 / keep
    Z2 = np.dot(p["W2"], hand_A1) + p["b2"]
    hand_A2 = ex.relu(Z2) * D2 / keep
    Z3 = np.dot(p["W3"], hand_A2) + p["b3"]
    cache = (Z1, hand_A1, Z2, hand_A2, Z3, ex.sigmoid(Z3))
    same_grads(ex.backward_three(X, Y, cache, p, masks=(D1, D2), keep_prob=keep), pt)


# --- Course 2, week 1: gradient checking --------------------------------------------------------------------------


def checked() -> tuple[np.ndarray, np.ndarray, dict]:
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(4, 3)), np.array([[1.0, 0.0, 1.0]])
    return X, Y, ex.initialize_parameters_deep(SIZES, rng, scale=1.0)


def test_dictionary_to_vector_round_trips():
    _, _, p = checked()
    theta, shapes = ex.dictionary_to_vector(p)
    assert theta.shape == (sum(v.size for v in p.values()), 1)
    back = ex.vector_to_dictionary(theta, shapes)
    assert all(np.array_equal(back[k], p[k]) for k in p)
    # on Tensors the same numpy calls (np.reshape, np.concatenate) build a differentiable theta
    pt = tensors(p)
    theta_t, _ = ex.dictionary_to_vector(pt)
    (theta_t * np.arange(len(theta))[:, None]).sum().backward()
    assert np.array_equal(np.concatenate([pt[k].grad.reshape(-1, 1) for k in p]), np.arange(len(theta))[:, None])


def test_theta_as_one_tensor_gets_the_hand_gradient_vector():
    # the gradient-checking notebook's theta as a single leaf: vector_to_dictionary's slices and reshapes of it
    # feed the forward pass, and backward() gives gradients_to_vector of the hand gradients in one call
    X, Y, p = checked()
    theta, shapes = ex.dictionary_to_vector(p)
    theta_t = Tensor(theta, requires_grad=True)
    A3, _ = ex.forward_three(X, ex.vector_to_dictionary(theta_t, shapes))
    ex.cross_entropy_cost(A3, Y).backward()
    _, cache = ex.forward_n(X, Y, p)
    tight(theta_t.grad, ex.gradients_to_vector(ex.backward_n(X, Y, cache, p)))


def test_gradient_check_n_passes_the_right_backward_and_catches_each_planted_bug():
    X, Y, p = checked()
    _, cache = ex.forward_n(X, Y, p)
    right, _ = ex.gradient_check_n(p, ex.backward_n(X, Y, cache, p), X, Y)
    assert right < 2e-7
    for bug in ex.BUGS:
        wrong, _ = ex.gradient_check_n(p, ex.backward_n(X, Y, cache, p, (bug,)), X, Y)
        assert wrong > 1e-2, bug


def backward_n_manual(bug: str | None):
    def backward(X, Y, p):
        cost, cache = ex.forward_n(X, Y, p)
        g = ex.backward_n(X, Y, cache, p, (bug,) if bug else ())
        return cost, [(g[f"dW{l}"], g[f"db{l}"]) for l in (1, 2, 3)]
    return rows_of(backward)


# Where each planted bug sits, in compare_gradients' numbering (HH19's: the input is layer 1, so the courses'
# W2 is W^[3]), and what it says there.
WHERE = {"dW2 doubled": ("W^[3]", "weights[1]", "W2"), "db1 times 4": ("b^[2]", "weights[0]", "b1"),
         "relu mask lost": ("W^[2]", "weights[0]", "W1"), "dW3 without 1/m": ("W^[4]", "weights[2]", "W3")}


@pytest.mark.parametrize("bug", [None, *ex.BUGS])
def test_compare_gradients_catches_each_planted_bug_and_names_the_courses_layer(bug):
    X, Y, p = checked()
    weights = [(p[f"W{l}"], p[f"b{l}"]) for l in (1, 2, 3)]
    report = compare_gradients(weights, X.T, Y.T, activation="relu", output_activation="sigmoid",
                               cost="binary_cross_entropy", manual=backward_n_manual(bug),
                               methods=("manual", "tensor"))
    if bug is None:
        assert report.ok, report
        return
    assert not report.ok
    hh19, pair, course = WHERE[bug]
    verdict = report.verdict()
    assert f"MISMATCH at layer {hh19[3]} ({hh19})" in verdict, verdict
    assert f"{hh19} is the {hh19[0]} of {pair}, {course} where the input is layer 0" in verdict, verdict


def test_numerical_grad_with_the_courses_epsilon_catches_the_planted_bugs():
    # deltagrad's numerical_grad of the student's Tensor forward (the courses' eps = 1e-7), compared with the hand
    # gradient by the courses' relative difference; gradcheck passes the same forward: it checks the engine's
    # backward, which is right, and never sees the hand-written one
    X, Y, p = checked()
    keys = list(p)
    pt = [Tensor(p[k], requires_grad=True, name=k) for k in keys]

    def J(*ps):
        A3, _ = ex.forward_three(X, dict(zip(keys, ps)))
        return ex.cross_entropy_cost(A3, Y)

    approx = np.concatenate([g.reshape(-1, 1) for g in autograd.numerical_grad(J, pt, eps=1e-7)])
    _, cache = ex.forward_n(X, Y, p)

    def difference(bugs: tuple) -> float:
        grad = ex.gradients_to_vector(ex.backward_n(X, Y, cache, p, bugs))
        return float(np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx)))

    assert difference(()) < 2e-7
    assert all(difference((bug,)) > 1e-2 for bug in ex.BUGS)
    assert autograd.gradcheck(J, pt, eps=1e-7)


# --- Course 2, week 2: optimisation ------------------------------------------------------------------------------


def test_random_mini_batches_keep_the_pairs_and_end_with_the_partial_batch():
    X, Y = data(m=11)
    X = X + np.arange(11)                                 # columns told apart by value
    batches = ex.random_mini_batches(X, Y, 4, seed=0)
    assert [b[0].shape for b in batches] == [(N_X, 4), (N_X, 4), (N_X, 3)]
    seen = np.concatenate([b[0] for b in batches], axis=1)
    order = [int(np.flatnonzero((X == seen[:, [j]]).all(axis=0))[0]) for j in range(11)]
    assert sorted(order) == list(range(11)) and order != list(range(11))   # a permutation, shuffled
    assert np.array_equal(np.concatenate([b[1] for b in batches], axis=1), Y[:, order])   # labels travel along


def test_an_epoch_of_fit_is_the_courses_mini_batch_gradient_descent():
    # fit(batch_size=4, seed=0) on 11 rows draws default_rng(0).permutation(11), as random_mini_batches(seed=0)
    # does for the columns, and steps on each batch in turn, the partial one of 3 last; each step's loss is the
    # batch's mean, the courses' cost of a mini-batch. The courses reseed with seed + 1 each epoch, fit draws on
    X, Y = data(m=11)
    p = ex.initialize_parameters(N_X, 3, 1, np.random.default_rng(2))
    p = {k: 20 * v if k[0] == "W" else v + 0.1 for k, v in p.items()}
    hand = dict(p)
    for Xb, Yb in ex.random_mini_batches(X, Y, 4, seed=0):
        grads = ex.backward_propagation(hand, ex.forward_propagation(Xb, hand)[1], Xb, Yb)
        hand = ex.update_parameters(hand, grads, 0.5)
    model = MLP([N_X, 3, 1], activation="tanh", output_activation="sigmoid")
    model.set_weights([(p["W1"], p["b1"].ravel()), (p["W2"], p["b2"].ravel())])
    fit(model, X.T, Y.T, losses.binary_cross_entropy, SGD(model, lr=0.5), epochs=1, batch_size=4, seed=0,
        progress=False)
    for (W, b), l in zip(model.get_weights(), (1, 2)):
        tight(W, hand[f"W{l}"], 1e-13)
        tight(b, hand[f"b{l}"].ravel(), 1e-13)
    assert not np.allclose(hand["W1"], p["W1"])


def gradient_of(p: dict, X: np.ndarray, Y: np.ndarray) -> dict:
    return ex.backward_three(X, Y, ex.forward_three(X, p)[1], p)


def test_courses_momentum_is_nn_sgd_with_lr_times_one_minus_beta():
    # courses: v <- beta v + (1 - beta) g, W <- W - alpha v; nn.SGD (PyTorch's): v <- beta v + g, W <- W - lr v.
    # Their v differ by the factor 1 - beta at every step, so lr = alpha (1 - beta) takes the same steps
    X, Y, p = three()
    beta, alpha = 0.9, 0.2
    hand, v = dict(p), ex.initialize_velocity(p)
    pt = tensors(p)
    opt = SGD(list(pt.values()), lr=alpha * (1 - beta), momentum=beta)
    for _ in range(5):
        hand, v = ex.update_parameters_with_momentum(hand, gradient_of(hand, X, Y), v, beta, alpha)
        opt.zero_grad()
        ex.cross_entropy_cost(ex.forward_three(X, pt)[0], Y).backward()
        opt.step()
    for k, t in pt.items():
        tight(t.data, hand[k], 1e-11)
    assert not np.allclose(hand["W1"], p["W1"])


def test_courses_adam_is_nn_adam():
    # the same bias corrections at step t and eps outside the square root: nn.Adam takes the courses' steps (and
    # PyTorch's, step by step: tests/test_trust_optim.py; torch's first optimizer step imports for 3.6 s)
    X, Y, p = three()
    hand, (v, s) = dict(p), ex.initialize_adam(p)
    pt = tensors(p)
    opt = Adam(list(pt.values()), lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    for t in range(1, 6):
        hand, v, s = ex.update_parameters_with_adam(hand, gradient_of(hand, X, Y), v, s, t, learning_rate=0.01)
        opt.zero_grad()
        ex.cross_entropy_cost(ex.forward_three(X, pt)[0], Y).backward()
        opt.step()
    assert opt.t == 5
    for k, t in pt.items():
        tight(t.data, hand[k], 1e-11)


def test_learning_rate_decay_sets_the_optimizers_lr_each_epoch():
    assert ex.update_lr(0.5, 2, 1.0) == 0.5 / 3
    assert [ex.schedule_lr_decay(0.5, e, 1.0, time_interval=10) for e in (0, 9, 10, 25)] == [0.5, 0.5, 0.25, 0.5 / 3]
    w = Tensor([1.0], requires_grad=True)
    opt = SGD([w], lr=0.5)
    expected = 1.0
    for epoch in range(4):
        opt.lr = ex.update_lr(0.5, epoch, decay_rate=1.0)
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
        expected -= ex.update_lr(0.5, epoch, 1.0) * 2 * expected     # d(w^2)/dw = 2w
    tight(w.data, [expected], 1e-15)
