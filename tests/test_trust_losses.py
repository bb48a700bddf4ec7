"""Hostile inputs for the losses and the training loop: a loss or a gradient that is silently wrong, or a training
run that silently does something else than asked, is the worst bug here. Expected numbers come from PyTorch, from
formulas by hand or from central differences, never from the code under test."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, no_grad
from nn import MLP, SGD, Linear, Module, evaluate, fit, losses, predict, predict_proba, scalar

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")

# --- binary_cross_entropy in float32 ------------------------------------------------------------------------------

def test_float32_probabilities_of_exactly_0_and_1_give_a_finite_loss_in_float32():
    # 1 - 1e-12 rounds to 1.0 in float32: the clipped a = 1 made ln(1 - a) = ln 0, and the loss raised log's
    # 'needs positive entries' (evaluate() of a float32 model whose sigmoid output saturated did so)
    a = Tensor(np.array([[1.0], [0.0]], dtype=np.float32), requires_grad=True)
    right = losses.binary_cross_entropy(a, [[1.0], [0.0]])       # certain and right: 1 ln 1 + 0 ln eps = 0
    right.backward()
    assert right.data.dtype == np.float32 and float(right.data) == 0.0
    assert np.all(np.isfinite(a.grad))
    wrong = losses.binary_cross_entropy(a, [[0.0], [1.0]])       # certain and wrong: large, finite
    # each log's argument is kept at 1e-12 or above (float32 holds it): -ln 1e-12 = 12 ln 10 = 27.6 per entry
    assert float(wrong.data) == pytest.approx(12 * np.log(10), rel=1e-5)
    near = Tensor(np.array([[1 - 1e-9]], dtype=np.float32))      # rounds to 1.0 as well
    assert float(losses.binary_cross_entropy(near, [[0.0]]).data) == pytest.approx(12 * np.log(10), rel=1e-5)


# --- cross_entropy on a softmax node ------------------------------------------------------------------------------

def test_cross_entropy_refuses_a_softmax_taken_along_the_samples_instead_of_reading_its_input_as_row_logits():
    # the loss works from a softmax node's logits, assuming the softmax ran along each row; one along axis 0 gave
    # the row-softmax loss of its input, 3.018 here, not -1/N sum_i ln p_i,y_i = 2.814 of the p handed in
    # (and under no_grad, log_softmax(ln p) renormalised the rows: 3.206)
    Z = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])
    y = np.array([2, 1])
    with pytest.raises(ValueError, match="cross_entropy: .*softmax.*rows.*sum"):
        losses.cross_entropy(Tensor(Z, requires_grad=True).softmax(axis=0), y)
    with no_grad(), pytest.raises(ValueError, match="cross_entropy: .*softmax.*rows.*sum"):
        losses.cross_entropy(Tensor(Z).softmax(axis=0), y)
    p = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)              # along the rows: by hand
    expected = -np.mean(np.log(p[np.arange(2), y]))
    assert float(losses.cross_entropy(Tensor(Z, requires_grad=True).softmax(axis=1), y).data) == \
        pytest.approx(expected, rel=1e-13)
    with no_grad():
        assert float(losses.cross_entropy(Tensor(Z).softmax(), y).data) == pytest.approx(expected, rel=1e-13)
    one = Tensor(Z[0].astype(np.float32), requires_grad=True).softmax()  # one sample (K,), float32
    assert float(losses.cross_entropy(one, 2).data) == pytest.approx(-np.log(p[0, 2]), rel=1e-6)


# --- fit: a loss that stops being a number ------------------------------------------------------------------------

def _diverging():
    """y = w x + b on x = 10, 20 with lr = 1: each step multiplies the error by about -250, so the squared error
    overflows float64 (inf, then NaN) within the first hundred steps."""
    return np.array([[10.0], [20.0]]), np.array([1.0, 2.0])


@pytest.mark.filterwarnings("ignore:overflow encountered")
@pytest.mark.parametrize("engine", ["tensor", "scalar", "compiled"])
def test_fit_stops_at_the_first_loss_that_is_not_finite_and_keeps_the_last_finite_weights(engine):
    # fit kept stepping: the History filled with nan and the model came back with every weight NaN
    X, y = _diverging()
    if engine == "scalar":
        model = scalar.MLP(1, [1], seed=0)
    else:
        model = MLP([1, 1], output_activation="identity", seed=0)
    with pytest.raises(FloatingPointError, match=r"fit: the training loss is (nan|inf) at epoch \d+, batch 0") as e:
        fit(model, X, y, losses.mse, SGD(model.parameters(), lr=1.0), epochs=500, batch_size=2, progress=False,
            compile=engine == "compiled")
    for W, b in model.get_weights():                          # the weights before the step that would have made NaN
        assert np.all(np.isfinite(W)) and np.all(np.isfinite(b))
    history = e.value.history
    assert 0 < len(history.train_loss) < 500 and np.all(np.isfinite(history.train_loss))
    assert f"epoch {len(history.train_loss)}," in str(e.value)     # the epochs recorded are those before it


def test_fit_stops_before_the_step_of_a_nan_loss_with_the_weights_of_the_step_before():
    X = np.random.default_rng(0).normal(size=(10, 2))
    y = (X[:, 0] > 0).astype(int)
    calls = [0]

    def nan_on_the_third_batch(out, t):
        calls[0] += 1
        loss = losses.cross_entropy(out, t)
        return loss * float("nan") if calls[0] == 3 else loss

    def trained(loss, epochs):
        model = MLP([2, 3, 2], output_activation="identity", seed=0)
        fit(model, X, y, loss, SGD(model.parameters(), lr=0.1), epochs=epochs, batch_size=5, seed=0, progress=False)
        return model

    with pytest.raises(FloatingPointError, match="epoch 1, batch 0") as e:
        model = MLP([2, 3, 2], output_activation="identity", seed=0)
        fit(model, X, y, nan_on_the_third_batch, SGD(model.parameters(), lr=0.1), epochs=4, batch_size=5, seed=0,
            progress=False)
    assert len(e.value.history.train_loss) == 1
    for (W, b), (W1, b1) in zip(model.get_weights(), trained(losses.cross_entropy, 1).get_weights()):
        np.testing.assert_array_equal(W, W1)                  # two steps taken, the third refused
        np.testing.assert_array_equal(b, b1)


# --- fit: validation accuracy ---------------------------------------------------------------------------------------

def test_validation_accuracy_is_judged_by_the_validation_targets_not_broadcast_against_the_training_rule():
    # training targets with a two-label row are judged by threshold; validation labels (N,) then compared output
    # k > 1/2 with label > 1/2, (N, 3) against (N, 1) broadcast: val accuracy 0.0 where argmax is right half the time
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 2))
    labels = rng.integers(0, 3, size=12)
    Y = np.eye(3)[labels]
    Y[0] = [1.0, 1.0, 0.0]                                     # one sample of two labels: no longer one-hot rows
    model = MLP([2, 3], output_activation="sigmoid", seed=0)
    h = fit(model, X, Y, "binary_cross_entropy", SGD(model.parameters(), lr=0.1), epochs=2, validation=(X, labels),
            progress=False)
    out = model(Tensor(X)).data
    assert h.val_accuracy[-1] == np.mean(out.argmax(axis=1) == labels)      # labels: the argmax, by hand
    assert h.train_accuracy is not None and len(h.val_accuracy) == 2


# --- predict and predict_proba on a model of one's own ---------------------------------------------------------------

class _Head(Module):
    """A Module of one's own (no output_activation attribute) whose forward ends in ``activation``."""

    def __init__(self, n_out: int, activation: str, n_in: int = 2) -> None:
        self.lin = Linear(n_in, n_out, seed=0)
        self.activation = activation

    def forward(self, x):
        z = self.lin(x)
        return z.softmax() if self.activation == "softmax" else getattr(z, self.activation)()


def test_predict_proba_reads_a_softmax_or_sigmoid_output_of_a_module_of_ones_own_instead_of_applying_another():
    # a Module without output_activation was taken for logits: its softmax output went through the softmax again
    # (probabilities [0.342, 0.331, 0.327] for [0.359, 0.328, 0.313]), and one sigmoid output was thresholded at
    # 0, so predict() answered class 1 for every row
    X = np.random.default_rng(1).normal(size=(6, 2)) * 3
    soft = _Head(3, "softmax")
    W, b = soft.lin.weight.data, soft.lin.bias.data
    z = X @ W.T + b
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)                 # by hand
    np.testing.assert_allclose(predict_proba(soft, X), p, rtol=1e-12)
    np.testing.assert_array_equal(predict(soft, X), z.argmax(axis=1))
    sig = _Head(1, "sigmoid")
    z = (X @ sig.lin.weight.data.T + sig.lin.bias.data)[:, 0]
    a = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(predict_proba(sig, X), np.column_stack([1 - a, a]), rtol=1e-12)
    np.testing.assert_array_equal(predict(sig, X), (z > 0).astype(int))
    assert 0 < predict(sig, X).sum() < len(X)
    with pytest.raises(ValueError, match="predict_proba: .*'tanh'"):
        predict_proba(_Head(3, "tanh"), X)


# --- evaluate and fit's validation: the loss that training computes --------------------------------------------------

@needs_torch
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_evaluate_computes_the_loss_of_a_saturated_sigmoid_or_softmax_output_from_its_logits_as_training_does(dtype):
    # under no_grad the output node keeps no parent, so evaluate() and fit's validation read the probabilities and
    # clipped them: a confidently wrong sample cost 27.6 where the training loss and PyTorch say 40
    X = np.array([[1.0], [-1.0], [0.5]])
    y = np.array([0.0, 0.0, 1.0])
    sig = MLP([1, 1], output_activation="sigmoid", dtype=dtype, seed=0)
    sig.set_weights([(np.array([[40.0]]), np.array([0.0]))])                   # z = 40, -40, 20
    z = torch.tensor([40.0, -40.0, 20.0], dtype=torch.float64)
    expected = F.binary_cross_entropy_with_logits(z, torch.tensor(y)).item()
    assert evaluate(sig, X, y, "binary_cross_entropy")["loss"] == pytest.approx(expected, rel=1e-6)
    soft = MLP([1, 2], output_activation="softmax", dtype=dtype, seed=0)
    soft.set_weights([(np.array([[30.0], [-30.0]]), np.array([0.0, 0.0]))])    # z = (30, -30), (-30, 30), ...
    labels = np.array([1, 1, 0])
    zs = torch.tensor([[30.0, -30.0], [-30.0, 30.0], [15.0, -15.0]], dtype=torch.float64)
    expected = F.cross_entropy(zs, torch.tensor(labels)).item()
    assert evaluate(soft, X, labels, "cross_entropy")["loss"] == pytest.approx(expected, rel=1e-6)
    if dtype == np.float64:                                   # a Module of one's own, read from its output node
        head = _Head(1, "sigmoid", n_in=1)
        head.lin.weight.data[...], head.lin.bias.data[...] = 40.0, 0.0
        expected = F.binary_cross_entropy_with_logits(z, torch.tensor(y)).item()
        assert evaluate(head, X, y, "binary_cross_entropy")["loss"] == pytest.approx(expected, rel=1e-12)
    h = fit(sig, X, y, "binary_cross_entropy", SGD(sig.parameters(), lr=1e-12), epochs=1, validation=(X, y),
            progress=False)                                         # one step of 1e-12: the same model, both ways
    assert h.val_loss[0] == pytest.approx(h.train_loss[0], rel=1e-6)


# --- fit's switches -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("switch", ["shuffle", "replacement", "restore_best", "progress"])
def test_fit_refuses_a_switch_that_is_not_true_or_false(switch):
    # replacement="False" is a true string: fit drew its batches with replacement, silently
    X, y = np.array([[0.0], [1.0], [2.0]]), np.array([0.0, 1.0, 1.0])
    model = MLP([1, 1], output_activation="sigmoid", seed=0)
    with pytest.raises(TypeError, match=f"fit: {switch} must be True or False, got 'False'"):
        fit(model, X, y, "binary_cross_entropy", SGD(model.parameters(), lr=0.1), epochs=1,
            **{"progress": False, switch: "False"})


# --- the scalar MLP's compiled step -------------------------------------------------------------------------------

@pytest.mark.parametrize("lr", [-0.1, 0.0, float("nan"), float("inf")])
def test_compiled_step_refuses_a_learning_rate_that_sgd_refuses(lr):
    # lr = -0.1 climbed the loss (the step's loss went up, silently) and NaN made every weight NaN; SGD refuses both
    model = scalar.MLP(2, [1], seed=0)
    step = model.compiled_step(lambda s, y: (s - y) * (s - y))
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match="compiled_step: the learning rate must be positive and finite"):
        step([[1.0, 2.0]], [0.5], lr=lr)
    assert [p.data for p in model.parameters()] == before
