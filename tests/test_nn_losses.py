"""nn.losses: each loss equals its formula (computed here with plain numpy) on Tensors, on lists of Values and on
numpy arrays; its gradient equals the closed form and central differences; it stays finite at z = +-1000."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, Value, gradcheck
from nn import MLP, losses


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


rng = np.random.default_rng(0)
A = rng.uniform(0.05, 0.95, (5, 3))                       # outputs in (0, 1), so that BCE is defined
Z = rng.normal(0.0, 2.0, (5, 3))                          # logits / scores
ONE_HOT = np.eye(3)[[0, 2, 1, 1, 0]]
SOFT = rng.uniform(0.0, 1.0, (5, 3))
SIGNS = np.where(rng.uniform(size=(5, 3)) > 0.5, 1.0, -1.0)

# (name, loss, prediction, target, the formula in numpy, dLoss/dprediction in closed form)
CASES = [
    ("quadratic", losses.quadratic, A, SOFT,
     lambda a, y: 0.5 * np.sum((y - a) ** 2) / len(a), lambda a, y: (a - y) / len(a)),
    ("mse", losses.mse, A, SOFT,
     lambda a, y: np.mean((a - y) ** 2), lambda a, y: 2.0 * (a - y) / a.size),
    ("cross_entropy one-hot", losses.cross_entropy, Z, ONE_HOT,
     lambda z, y: -np.sum(y * np.log(_softmax(z))) / len(z), lambda z, y: (_softmax(z) - y) / len(z)),
    ("cross_entropy labels", losses.cross_entropy, Z, np.array([0, 2, 1, 1, 0]),
     lambda z, y: -np.mean(np.log(_softmax(z))[np.arange(len(z)), y]),
     lambda z, y: (_softmax(z) - np.eye(3)[y]) / len(z)),
    # PyTorch's names, PyTorch's numbers (issue 15): the mean over all N K entries
    ("binary_cross_entropy", losses.binary_cross_entropy, A, SOFT,
     lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / a.size,
     lambda a, y: (a - y) / (a * (1 - a)) / a.size),
    ("binary_cross_entropy_with_logits", losses.binary_cross_entropy_with_logits, Z, SOFT,
     lambda z, y: -np.sum(y * np.log(_sigmoid(z)) + (1 - y) * np.log(1 - _sigmoid(z))) / z.size,
     lambda z, y: (_sigmoid(z) - y) / z.size),
    # the lectures' cost: summed over the K outputs, averaged over the N samples
    ("binary_cross_entropy lectures",
     lambda a, y: losses.binary_cross_entropy(a, y, reduction="lectures"), A, SOFT,
     lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / len(a),
     lambda a, y: (a - y) / (a * (1 - a)) / len(a)),
    ("binary_cross_entropy_with_logits sum",
     lambda z, y: losses.binary_cross_entropy_with_logits(z, y, reduction="sum"), Z, SOFT,
     lambda z, y: np.sum(np.logaddexp(0, z) - y * z), lambda z, y: _sigmoid(z) - y),
    ("hinge", losses.hinge, Z, SIGNS,
     lambda s, y: np.sum(np.maximum(0.0, 1.0 - y * s)) / len(s), lambda s, y: -y * (1.0 - y * s > 0) / len(s)),
]
IDS = [c[0] for c in CASES]


def _values(P):
    return [[Value(float(v)) for v in row] for row in P]


@pytest.mark.parametrize("name, loss, P, Y, formula, grad", CASES, ids=IDS)
def test_loss_equals_its_formula_on_every_engine(name, loss, P, Y, formula, grad):
    expected = formula(P, Y)
    assert loss(P, Y) == pytest.approx(expected, rel=1e-12, abs=1e-14)                  # numpy
    assert loss(Tensor(P), Y).item() == pytest.approx(expected, rel=1e-12, abs=1e-14)   # Tensor
    assert loss(_values(P), Y).data == pytest.approx(expected, rel=1e-12, abs=1e-14)   # Values


@pytest.mark.parametrize("name, loss, P, Y, formula, grad", CASES, ids=IDS)
def test_loss_gradient_equals_the_closed_form_on_both_engines(name, loss, P, Y, formula, grad):
    expected = grad(P, Y)
    t = Tensor(P, requires_grad=True)
    loss(t, Y).backward()
    np.testing.assert_allclose(t.grad, expected, rtol=1e-10, atol=1e-14)
    vs = _values(P)
    loss(vs, Y).backward()
    np.testing.assert_allclose([[v.grad for v in row] for row in vs], expected, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("name, loss, P, Y, formula, grad", CASES, ids=IDS)
def test_loss_gradient_matches_central_differences(name, loss, P, Y, formula, grad):
    assert gradcheck(lambda t: loss(t, Y), [Tensor(P, requires_grad=True)])
    flat = [Value(float(v)) for v in P.ravel()]
    k = P.shape[1]
    assert gradcheck(lambda *vs: loss([list(vs[i:i + k]) for i in range(0, len(vs), k)], Y), flat)


@given(st.lists(st.floats(-5.0, 5.0), min_size=1, max_size=6), st.data())
def test_single_output_losses_on_a_list_of_values_agree_with_the_tensor(scores, data):
    n = len(scores)
    y01 = np.array(data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n)))
    for loss, y in [(losses.quadratic, y01), (losses.mse, y01), (losses.hinge, 2 * y01 - 1),
                    (losses.binary_cross_entropy_with_logits, y01)]:
        vs = [Value(s) for s in scores]
        t = Tensor(np.array(scores).reshape(n, 1), requires_grad=True)   # (N, 1) against targets (N,)
        lv, lt = loss(vs, y), loss(t, y)
        lv.backward()
        lt.backward()
        assert lv.data == pytest.approx(lt.item(), rel=1e-12, abs=1e-15)
        np.testing.assert_allclose([v.grad for v in vs], t.grad[:, 0], rtol=1e-12, atol=1e-15)


def test_the_worked_and_neuron_costs_one_eighth():
    # 004's AND neuron: output 0.5 for target 0 costs E = 1/2 (Y - O)^2 = 0.125.
    assert losses.quadratic([Value(0.5)], [0.0]).data == 0.125
    assert losses.quadratic(Value(0.5), 0.0).data == 0.125


def test_cross_entropy_and_bce_from_logits_are_stable_at_a_thousand():
    z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    for P in (z, Tensor(z, requires_grad=True), _values(z)):
        wrong = losses.cross_entropy(P, [1, 1])            # first row: -log softmax = 2000; second: 0
        value = wrong.data if isinstance(wrong, Value) else float(np.asarray(getattr(wrong, "data", wrong)))
        assert value == pytest.approx(1000.0)
        wrong.backward() if not isinstance(P, np.ndarray) else None
    t = Tensor(np.array([1000.0, -1000.0]), requires_grad=True)
    bce = losses.binary_cross_entropy(t, [0.0, 1.0], logits=True)   # softplus(1000) + softplus(1000)
    bce.backward()
    assert bce.item() == pytest.approx(1000.0) and np.all(np.isfinite(t.grad))
    np.testing.assert_allclose(t.grad, [0.5, -0.5])                  # (sigmoid(z) - y) / N
    v = [Value(1000.0), Value(-1000.0)]
    assert losses.binary_cross_entropy(v, [0.0, 1.0], logits=True).data == pytest.approx(1000.0)


def test_bce_on_saturated_probabilities_is_finite():
    t = Tensor(np.array([1.0, 0.0]), requires_grad=True)
    loss = losses.binary_cross_entropy(t, [0.0, 1.0])
    assert loss.item() == pytest.approx(-math.log(1e-12))
    assert losses.binary_cross_entropy([Value(1.0)], [1.0]).data == pytest.approx(0.0, abs=1e-11)


def test_a_single_sample_of_logits_is_one_row():
    z = np.array([1.0, 2.0, 3.0])
    expected = -np.log(_softmax(z)[2])
    assert losses.cross_entropy(Tensor(z), 2).item() == pytest.approx(expected)
    assert losses.cross_entropy([Value(1.0), Value(2.0), Value(3.0)], 2).data == pytest.approx(expected)


@pytest.mark.parametrize("loss", [losses.quadratic, losses.mse, losses.binary_cross_entropy, losses.hinge])
def test_a_target_of_the_wrong_shape_names_both_shapes(loss):
    with pytest.raises(ValueError, match=r"target has shape \(5, 2\) but the prediction has shape \(5, 3\)"):
        loss(Tensor(np.full((5, 3), 0.5)), np.ones((5, 2)))
    with pytest.raises(ValueError, match=r"target has shape \(3,\) but the prediction has shape \(2,\)"):
        loss([Value(0.5), Value(0.5)], [1.0, 1.0, 1.0])


def test_cross_entropy_rejects_bad_targets_with_the_shapes():
    with pytest.raises(ValueError, match=r"target has shape \(4,\) but the logits have shape \(5, 3\)"):
        losses.cross_entropy(Z, np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="labels must lie in 0..2"):
        losses.cross_entropy(Z, [0, 1, 2, 3, 0])
    with pytest.raises(ValueError, match="K >= 2"):
        losses.cross_entropy(np.zeros((4, 1)), [0, 0, 0, 0])


def test_label_ranges_are_checked():
    with pytest.raises(ValueError, match="labels must be -1 or \\+1.*2 \\* y - 1"):
        losses.hinge([Value(1.0)], [0.0])
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        losses.binary_cross_entropy([Value(0.5)], [2.0])


def test_l2_is_lambda_times_the_sum_of_squares_with_gradient_2_lambda_p():
    ws = [Value(3.0), Value(-4.0)]
    pen = losses.l2(ws, 0.5)
    pen.backward()
    assert pen.data == 0.5 * (9 + 16) and [w.grad for w in ws] == [3.0, -4.0]
    W, b = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True), Tensor([1.0], requires_grad=True)
    pen = losses.l2([W, b], 0.5)
    pen.backward()
    assert pen.item() == 0.5 * (1 + 4 + 9 + 16 + 1)
    np.testing.assert_allclose(W.grad, W.data)
    with pytest.raises(ValueError, match="no parameters"):
        losses.l2([], 1.0)
    with pytest.raises(TypeError, match="mix Values and Tensors"):
        losses.l2([ws[0], W])


def test_l2_of_a_model_is_the_penalty_on_all_its_weights():
    model = MLP([2, 3, 1], seed=0)
    expected = sum(float(np.sum(W ** 2) + np.sum(b ** 2)) for W, b in model.get_weights())
    assert losses.l2(model, 1e-4).item() == pytest.approx(1e-4 * expected, rel=1e-14)


def test_losses_are_found_by_name():
    assert losses.get("hinge") is losses.hinge
    with pytest.raises(ValueError, match="unknown loss 'huber'; known losses: quadratic"):
        losses.get("huber")
