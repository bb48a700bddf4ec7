""""Neural Networks from Scratch in Python" (nnfs.io) ported onto deltagrad: each of the book's hand-written
backward passes (tests/nnfs_exercises.py, numpy only) against central differences, against deltagrad's automatic
gradient written as a reader of the book would write the forward pass (its numpy calls on Tensors, Values for the
single neuron, nn layers, losses and optimizers where they match), and against PyTorch where it adds something.

The book's layout: rows are samples (as deltagrad's), a dense layer's weights are (n_inputs, n_neurons) and
its biases a row (1, n_neurons): nn.Linear's weight is the transpose, its bias the row's ravel(). Where the book
and deltagrad part (relu's kink reached through np.maximum, L1's slope at 0, SGD's momentum under a decaying rate,
Adagrad, the clipped losses of saturated outputs) the tests below show both numbers and docs/pytorch.md the way.
"""

import nnfs_exercises as ex
import numpy as np
import pytest

import autograd
from autograd import Tensor, Value, no_grad
from nn import MLP, SGD, Adam, Dropout, RMSprop, compare_gradients, fit, losses

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - torch is in the dev extras
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")

N, D, H, K = 6, 2, 5, 3


def tight(a, b, rtol: float = 1e-12) -> None:
    np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-15)


def numerical(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f / d x by central differences, one entry at a time (x restored)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        kept = x[i]
        x[i] = kept + h
        up = f()
        x[i] = kept - h
        down = f()
        x[i] = kept
        grad[i] = (up - down) / (2 * h)
    return grad


def batch(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points away from the origin (no relu input sits at 0 with zero biases), labels of every class."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N, D)), np.array([0, 1, 2, 2, 1, 0])


def net(seed: int = 1) -> tuple:
    """Dense(2, 5), ReLU, Dense(5, 3), Softmax with weights larger than the book's 0.01, so that the softmax is far
    from uniform, and nonzero biases."""
    rng = np.random.default_rng(seed)
    d1, d2 = ex.Layer_Dense(D, H, rng), ex.Layer_Dense(H, K, rng)
    for d in (d1, d2):
        d.weights *= 80.0
        d.biases = 0.3 * rng.standard_normal(d.biases.shape)
    return d1, ex.Activation_ReLU(), d2, ex.Activation_Softmax()


def hand_pass(layers: tuple, X: np.ndarray, y: np.ndarray, combined: bool) -> float:
    """The book's forward and backward through Dense, ReLU, Dense, Softmax, CCE; the loss."""
    d1, relu, d2, soft = layers
    d1.forward(X), relu.forward(d1.output), d2.forward(relu.output), soft.forward(d2.output)
    loss_fn = ex.Loss_CategoricalCrossentropy()
    loss = loss_fn.calculate(soft.output, y)
    if combined:
        last = ex.Activation_Softmax_Loss_CategoricalCrossentropy()
        last.backward(soft.output, y)
        dz2 = last.dinputs
    else:
        loss_fn.backward(soft.output, y)
        soft.backward(loss_fn.dinputs)
        dz2 = soft.dinputs
    d2.backward(dz2), relu.backward(d2.dinputs), d1.backward(relu.dinputs)
    return loss


def the_books_forward(X, y, W1, b1, W2, b2):
    """The book's forward methods as they stand, run on Tensors: np.dot, np.maximum, the shifted softmax, np.clip,
    the [range(n), y] pick and np.mean of -np.log."""
    a1 = np.maximum(0, np.dot(X, W1) + b1)
    z2 = np.dot(a1, W2) + b2
    e = np.exp(z2 - np.max(z2, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    clipped = np.clip(p, 1e-7, 1 - 1e-7)
    if len(y.shape) == 1:
        confidences = clipped[range(len(p)), y]
    else:
        confidences = np.sum(clipped * y, axis=1)
    return np.mean(-np.log(confidences))


# --- the classifier: Dense, ReLU, Dense, Softmax, categorical cross-entropy ---------------------------------------


@pytest.mark.parametrize("labels", ["sparse", "one-hot"])
def test_the_separate_and_combined_backward_agree_and_pass_central_differences(labels):
    X, y = batch()
    y = y if labels == "sparse" else np.eye(K)[y]
    separate, combined = net(), net()
    loss = hand_pass(separate, X, y, combined=False)
    assert hand_pass(combined, X, y, combined=True) == loss
    for a, b in zip(separate[::2], combined[::2]):
        tight(a.dweights, b.dweights, 1e-10)
        tight(a.dbiases, b.dbiases, 1e-10)
    d1, _, d2, _ = fresh = net()
    for layer in (d1, d2):
        for name in ("weights", "biases"):
            x = getattr(layer, name)
            g = numerical(lambda: hand_pass(fresh, X, y, combined=True), x)
            np.testing.assert_allclose(getattr(combined[0 if layer is d1 else 2], "d" + name), g, rtol=1e-6,
                                       atol=1e-9)
    p = combined[3].output
    assert p.min() > 1e-3 and p.max() < 0.999                   # no clipping: the book's backward is the derivative
    assert (d1.output < 0).any() and (d1.output > 0).any()      # relu's both sides


@pytest.mark.parametrize("labels", ["sparse", "one-hot"])
def test_the_books_forward_on_tensors_gives_the_hand_gradients(labels):
    X, y = batch()
    y = y if labels == "sparse" else np.eye(K)[y]
    layers = net()
    loss = hand_pass(layers, X, y, combined=True)
    d1, _, d2, _ = layers
    params = [Tensor(a, requires_grad=True) for a in (d1.weights, d1.biases, d2.weights, d2.biases)]
    out = the_books_forward(X, y, *params)
    out.backward()
    tight(out.item(), loss, 1e-14)
    for p, g in zip(params, (d1.dweights, d1.dbiases, d2.dweights, d2.dbiases)):
        tight(p.grad, g, 1e-10)
    assert autograd.gradcheck(lambda *ps: the_books_forward(X, y, *ps), params)


def test_nn_mlp_and_cross_entropy_give_the_hand_gradients_transposed():
    X, y = batch()
    layers = net()
    loss = hand_pass(layers, X, y, combined=True)
    d1, _, d2, _ = layers
    model = MLP([D, H, K], activation="relu", output_activation="softmax")
    model.set_weights([(d1.weights.T, d1.biases.ravel()), (d2.weights.T, d2.biases.ravel())])
    p = model(X)
    tight(p.data, layers[3].output, 1e-13)
    out = losses.cross_entropy(p, y)                   # probabilities of a softmax node: the loss reads its logits
    out.backward()
    tight(out.item(), loss, 1e-14)
    first, second = model.layers
    tight(first.weight.grad.T, d1.dweights, 1e-10)
    tight(first.bias.grad, d1.dbiases.ravel(), 1e-10)
    tight(second.weight.grad.T, d2.dweights, 1e-10)
    accuracy = np.mean(np.argmax(p, axis=1) == y)           # the book's accuracy, on a Tensor
    assert accuracy == ex.accuracy_categorical(np.argmax(layers[3].output, axis=1), np.eye(K)[y])
    with pytest.raises(ValueError, match=r"has shape \(2, 5\), expected \(5, 2\).*transpose"):
        model.set_weights([(d1.weights, d1.biases.ravel()), (d2.weights.T, d2.biases.ravel())])
    with pytest.raises(ValueError, match=r"b of layer 0 has shape \(1, 5\).*b.ravel\(\)"):
        model.set_weights([(d1.weights.T, d1.biases), (d2.weights.T, d2.biases.ravel())])


def test_the_books_initialisation_as_an_nn_initialiser():
    # 0.01 randn weights and zero biases: a callable (rng, n_out, n_in) -> (W, b) in nn's layout (nn.init.normal
    # draws the biases too); the book's own shapes are refused with the ones wanted
    def books(rng, n_out, n_in):
        return 0.01 * rng.standard_normal((n_out, n_in)), np.zeros(n_out)

    model = MLP([D, 64, K], activation="relu", output_activation="softmax", init=books, seed=0)
    (W1, b1), (W2, b2) = model.get_weights()
    assert not b1.any() and not b2.any()
    assert 0.008 < W1.std() < 0.012 and W2.shape == (K, 64)
    with pytest.raises(ValueError, match=r"returned W of shape \(2, 64\) and b of shape \(1, 64\); a layer 2 -> 64 "
                                         r"needs W of shape \(64, 2\) and b of shape \(64,\)"):
        MLP([D, 64, K], init=lambda rng, n_out, n_in: (0.01 * rng.standard_normal((n_in, n_out)),
                                                       np.zeros((1, n_out))))


def books_gradients(weights, X, Y, forget_the_mean: bool = False):
    """compare_gradients' manual function from the book's classes: nn's (W, b) pairs (W of shape (n_out, n_in))
    become Layer_Dense weights W.T and biases b as a row; Y one-hot rows; the combined softmax + CCE backward."""
    (W1, b1), (W2, b2) = weights
    d1, relu, d2, soft = net()
    d1.weights, d1.biases, d2.weights, d2.biases = W1.T.copy(), b1[None, :].copy(), W2.T.copy(), b2[None, :].copy()
    loss = hand_pass((d1, relu, d2, soft), X, Y, combined=True)
    if forget_the_mean:                                    # a planted bug: dinputs not divided by the samples
        last = ex.Activation_Softmax_Loss_CategoricalCrossentropy()
        last.backward(soft.output, Y)
        d2.backward(last.dinputs * len(X)), relu.backward(d2.dinputs), d1.backward(relu.dinputs)
    return loss, [(d.dweights.T, d.dbiases.ravel()) for d in (d1, d2)]


def test_the_books_backward_passes_compare_gradients_and_a_planted_bug_is_named():
    X, y = batch()
    d1, _, d2, _ = net()
    weights = [(d1.weights.T, d1.biases.ravel()), (d2.weights.T, d2.biases.ravel())]
    Y = np.eye(K)[y]
    report = compare_gradients(weights, X, Y, activation="relu", output_activation="softmax", cost="cross_entropy",
                               manual=books_gradients, methods=("manual", "tensor", "numerical"))
    assert report.ok, report
    planted = compare_gradients(weights, X, Y, activation="relu", output_activation="softmax", cost="cross_entropy",
                                manual=lambda w, X, Y: books_gradients(w, X, Y, forget_the_mean=True),
                                methods=("manual", "tensor"))
    text = " ".join(str(planted).split())
    assert not planted.ok
    assert "manual is 6 times tensor's in every entry of every parameter" in text
    assert "divide by N = 6 (np.mean, or / len(X))" in text


@needs_torch
def test_the_hand_gradients_are_torchs():
    X, y = batch()
    layers = net()
    loss = hand_pass(layers, X, y, combined=True)
    d1, _, d2, _ = layers
    t = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (d1.weights, d1.biases, d2.weights,
                                                                             d2.biases)]
    out = F.cross_entropy(torch.relu(torch.tensor(X) @ t[0] + t[1]) @ t[2] + t[3], torch.tensor(y))
    out.backward()
    tight(out.item(), loss, 1e-14)
    for p, g in zip(t, (d1.dweights, d1.dbiases, d2.dweights, d2.dbiases)):
        tight(p.grad.numpy(), g, 1e-10)


def test_the_cross_entropy_backward_differentiates_the_unclipped_probability():
    # the book clips p into [1e-7, 1 - 1e-7] going forward but divides by the p it was given going back: where p
    # is clipped, the book's -y / p is not the slope of its own loss (0 there); np.clip on a Tensor gives that 0
    p = np.array([[1e-9, 0.5, 0.5 - 1e-9], [0.2, 0.3, 0.5]])
    y = np.array([0, 2])
    loss = ex.Loss_CategoricalCrossentropy()
    loss.backward(p, y)
    P = Tensor(p, requires_grad=True)
    out = np.mean(-np.log(np.clip(P, 1e-7, 1 - 1e-7)[range(2), y]))
    out.backward()
    tight(out.item(), ex.Loss_CategoricalCrossentropy().calculate(p, y), 1e-14)
    tight(P.grad[1], loss.dinputs[1])                        # not clipped: the same
    assert P.grad[0, 0] == 0.0 and loss.dinputs[0, 0] == -1 / 1e-9 / 2


def test_spirals_origin_sits_on_relus_kink_where_np_maximum_splits_the_gradient():
    # every arm of spiral_data starts at the origin, and the book's biases start at 0, so the first layer's input
    # z = 0 W + 0 is exactly relu's kink on the first step. The book's backward takes relu'(0) = 0, as x.relu();
    # np.maximum(0, z) splits a tie between its operands, half each, as torch.maximum: db1 differs. (On the whole
    # data set the origins' terms cancel, as every class has p = 1/K there; a mini-batch of some arms shows them:
    # here the first 8 rows, arms 0 and 1 of three)
    rng = np.random.default_rng(0)
    X, y = ex.spiral_data(4, K, rng)
    X, y = X[:8], y[:8]
    assert (X[::4] == 0).all()
    d1, d2 = ex.Layer_Dense(D, H, rng), ex.Layer_Dense(H, K, rng)
    layers = (d1, ex.Activation_ReLU(), d2, ex.Activation_Softmax())
    hand_pass(layers, X, y, combined=True)
    upstream = d2.dinputs[::4].sum(axis=0, keepdims=True)   # dL/da1 of the origins, as the book's ReLU receives it
    assert np.abs(upstream).min() > 1e-5                     # so the half is seen
    for relu, extra in ((lambda z: z.relu(), 0.0), (lambda z: np.maximum(0, z), 0.5)):
        W1, b1 = Tensor(d1.weights, requires_grad=True), Tensor(d1.biases, requires_grad=True)
        e = np.exp(relu(X @ W1 + b1) @ d2.weights + d2.biases)
        np.mean(-np.log((e / e.sum(axis=1, keepdims=True))[range(len(y)), y])).backward()
        tight(W1.grad, d1.dweights, 1e-10)                  # the origin's rows add x = 0 to dW1 either way
        tight(b1.grad, d1.dbiases + extra * upstream, 1e-10)
    if torch is not None:
        z = torch.zeros(3, dtype=torch.float64, requires_grad=True)
        torch.maximum(torch.zeros(3, dtype=torch.float64), z).sum().backward()
        assert z.grad.tolist() == [0.5] * 3


# --- sigmoid and binary cross-entropy; regression losses -----------------------------------------------------------


def test_sigmoid_and_binary_cross_entropy_by_hand_are_the_engines_and_torchs():
    rng = np.random.default_rng(3)
    z, y = rng.normal(size=(N, 2)), (rng.random((N, 2)) > 0.5).astype(float)
    sig, bce = ex.Activation_Sigmoid(), ex.Loss_BinaryCrossentropy()
    sig.forward(z)
    loss = bce.calculate(sig.output, y)
    bce.backward(sig.output, y)
    sig.backward(bce.dinputs)
    tight(sig.dinputs, numerical(lambda: ex.Loss_BinaryCrossentropy().calculate(1 / (1 + np.exp(-z)), y), z),
          1e-6)
    for spelling in ("numpy", "losses"):
        Z = Tensor(z, requires_grad=True)
        if spelling == "numpy":                        # the book's sigmoid and loss written on a Tensor
            p = np.clip(1 / (1 + np.exp(-Z)), 1e-7, 1 - 1e-7)
            out = np.mean(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)), axis=-1))
        else:
            out = losses.binary_cross_entropy(Z.sigmoid(), y)    # PyTorch's mean over every entry: the book's
        out.backward()
        tight(out.item(), loss, 1e-14)
        tight(Z.grad, sig.dinputs, 1e-12)
    assert ex.accuracy_binary(sig.predictions(sig.output), y) == np.mean((Z.sigmoid() > 0.5) * 1 == y)
    if torch is not None:
        tz = torch.tensor(z, requires_grad=True)
        F.binary_cross_entropy(torch.sigmoid(tz), torch.tensor(y)).backward()
        tight(tz.grad.numpy(), sig.dinputs, 1e-12)


def test_a_saturated_sigmoid_costs_the_books_clipped_number_in_numpy_and_the_exact_one_in_losses():
    # sigmoid(20) = 1 - 2.06e-9 lies beyond 1 - 1e-7: the book's clip makes the cost of the wrong answer y = 0
    # -ln(1e-7) = 16.12 with slope 0 through the clip; losses.binary_cross_entropy reads z from the sigmoid node:
    # softplus(20) = 20.000000002, slope sigmoid(20)
    z, y = np.array([[20.0]]), np.array([[0.0]])
    book = ex.Loss_BinaryCrossentropy().calculate(1 / (1 + np.exp(-z)), y)
    tight(book, -np.log(1e-7), 1e-9)                       # 1 - (1 - 1e-7) is 1e-7 only to about 1e-9
    Z = Tensor(z, requires_grad=True)
    exact = losses.binary_cross_entropy(Z.sigmoid(), y)
    exact.backward()
    tight(exact.item(), 20.0 + np.log1p(np.exp(-20.0)), 1e-15)
    tight(Z.grad, 1 / (1 + np.exp(-z)), 1e-15)


@pytest.mark.parametrize("loss", ["mse", "mae"])
def test_regression_losses_by_hand_are_the_engines_and_torchs(loss):
    rng = np.random.default_rng(4)
    pred, y = rng.normal(size=(N, 2)), rng.normal(size=(N, 2))
    book = ex.Loss_MeanSquaredError() if loss == "mse" else ex.Loss_MeanAbsoluteError()
    value = book.calculate(pred, y)
    book.backward(pred, y)
    tight(book.dinputs, numerical(lambda: book.calculate(pred, y), pred), 1e-7)
    P = Tensor(pred, requires_grad=True)
    if loss == "mse":
        out, spelled = np.mean(np.mean((y - P) ** 2, axis=-1)), losses.mse(P, y)
    else:
        out, spelled = np.mean(np.mean(np.abs(y - P), axis=-1)), (P - y).abs().mean()   # nn has no MAE loss
    out.backward()
    tight(out.item(), value, 1e-14)
    tight(spelled.item(), value, 1e-14)
    tight(P.grad, book.dinputs, 1e-14)
    if torch is not None:
        tp = torch.tensor(pred, requires_grad=True)
        (F.mse_loss if loss == "mse" else F.l1_loss)(tp, torch.tensor(y)).backward()
        tight(tp.grad.numpy(), book.dinputs, 1e-14)


def test_the_mae_backward_as_the_book_prints_it_climbs_the_loss():
    # the book's Loss_MeanAbsoluteError.backward writes np.sign(y_true - dvalues): the slope of |y - p| in p is
    # sign(p - y), so its step goes uphill. The engine's (out - y).abs().mean() and central differences agree on
    # the right sign, and compare with the printed one by a factor -1 in every entry
    rng = np.random.default_rng(10)
    pred, y = rng.normal(size=(N, 2)), rng.normal(size=(N, 2))
    printed = np.sign(y - pred) / 2 / N
    P = Tensor(pred, requires_grad=True)
    (P - y).abs().mean().backward()
    tight(P.grad, numerical(lambda: ex.Loss_MeanAbsoluteError().calculate(pred, y), pred), 1e-7)
    tight(printed, -P.grad, 1e-15)
    before = ex.Loss_MeanAbsoluteError().calculate(pred, y)
    assert ex.Loss_MeanAbsoluteError().calculate(pred - 0.01 * printed, y) > before
    assert ex.Loss_MeanAbsoluteError().calculate(pred - 0.01 * P.grad, y) < before


def test_regression_accuracy_with_the_books_precision_on_an_nn_model():
    X, y = ex.sine_data(40)
    rng = np.random.default_rng(5)
    d1, d2 = ex.Layer_Dense(1, 8, rng), ex.Layer_Dense(8, 1, rng)
    d1.weights *= 100
    d2.weights *= 100
    book = ex.Model([d1, ex.Activation_ReLU(), d2, ex.Activation_Linear()], ex.Loss_MeanSquaredError(),
                    ex.Optimizer_Adam(learning_rate=0.005))
    model = MLP([1, 8, 1], activation="relu", output_activation="identity")   # the book's Activation_Linear
    model.set_weights([(d1.weights.T, d1.biases.ravel()), (d2.weights.T, d2.biases.ravel())])
    opt = Adam(model.parameters(), lr=0.005, eps=1e-7)
    history = fit(model, X, y, "mse", opt, epochs=3, batch_size=16, shuffle=False, progress=False)
    steps = book.train(X, y, epochs=3, batch_size=16)
    tight(model.layers[1].weight.data.T, d2.weights, 1e-10)
    precision = ex.regression_precision(y)
    assert precision == np.std(y) / 250
    out = book.forward(X, training=False)
    assert ex.accuracy_regression(model(X).data, y, precision) == ex.accuracy_regression(out, y, precision)
    assert history.accuracy is None                          # fit keeps no accuracy for regression: the book's
    assert len(steps) == 9 and steps[-1] < steps[0]          # precision is computed as above


# --- regularization and dropout ------------------------------------------------------------------------------------


def test_l1_and_l2_penalties_give_the_books_gradients_but_at_zero():
    # away from 0 losses.l1 and losses.l2 are the book's lam sum|w| and lam sum w^2; at w = 0 (the book's biases
    # start there) the book's L1 slope is +lam, the engine's (and PyTorch's) |w|' is 0: its own sign(w) written
    # with np.where(w.data < 0, -1, 1) as a constant gives the book's
    X, y = batch()
    rng = np.random.default_rng(6)
    d = ex.Layer_Dense(D, K, rng, weight_regularizer_l1=5e-4, weight_regularizer_l2=3e-4,
                       bias_regularizer_l1=2e-4, bias_regularizer_l2=1e-4)
    d.weights *= 50
    d.biases[0, 1] = 0.4                                   # biases 0, 0.4, 0
    soft = ex.Activation_Softmax_Loss_CategoricalCrossentropy()
    d.forward(X)
    data_loss = soft.forward(d.output, y)
    total = data_loss + ex.regularization_loss(d)
    soft.backward(soft.output, y)
    d.backward(soft.dinputs)
    W, b = Tensor(d.weights, requires_grad=True), Tensor(d.biases, requires_grad=True)
    penalty = losses.l1([W], 5e-4) + losses.l2([W], 3e-4) + losses.l1([b], 2e-4) + losses.l2([b], 1e-4)
    out = losses.cross_entropy(X @ W + b, y) + penalty
    out.backward()
    tight(out.item(), total, 1e-14)
    tight(W.grad, d.dweights, 1e-11)
    assert b.grad[0, 0] == pytest.approx(d.dbiases[0, 0] - 2e-4, rel=1e-10)   # the book's +lam at 0 is missing
    tight(b.grad[0, 1], d.dbiases[0, 1], 1e-11)
    b.zero_grad()
    books_sign = np.where(b.data < 0, -1.0, 1.0)
    (losses.cross_entropy(X @ W.detach() + b, y) + 2e-4 * (b * books_sign).sum() + losses.l2([b], 1e-4)).backward()
    tight(b.grad, d.dbiases, 1e-11)
    if torch is not None:
        tb = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        tb.abs().sum().backward()
        assert tb.grad.tolist() == [0.0, 0.0]


def test_nn_dropout_is_the_books_with_rate_as_p():
    x = np.random.default_rng(7).normal(size=(4, 6))
    drop = Dropout(0.3, seed=0)                            # the book's Layer_Dropout(0.3): 30% dropped
    X = Tensor(x, requires_grad=True)
    out = drop(X)
    dvalues = np.arange(24.0).reshape(4, 6)
    (out * dvalues).sum().backward()
    book = ex.Layer_Dropout(0.3, np.random.default_rng(0))
    book.binary_mask = drop.mask / 0.7                     # the same draw, in the book's scaled form
    book.output = x * book.binary_mask
    book.backward(dvalues)
    tight(out.data, book.output, 1e-15)
    tight(X.grad, book.dinputs, 1e-15)
    assert 0 < drop.mask.sum() < drop.mask.size
    book.forward(x, training=True)                         # the book's own draw keeps about 70% too
    assert set(np.unique(book.binary_mask * 0.7).round(12)) <= {0.0, 1.0}


# --- optimizers -------------------------------------------------------------------------------------------------------


def optimizer_run(book_optimizer, step_with, steps: int = 4) -> None:
    """``steps`` updates of the same dense softmax classifier: the book's optimizer on numpy, and ``step_with(W,
    b, t)`` on Tensors (their .grad set by backward; t counts from 0). Asserts the weights agree after each."""
    X, y = batch()
    rng = np.random.default_rng(8)
    d = ex.Layer_Dense(D, K, rng)
    d.weights *= 50
    W, b = Tensor(d.weights.copy(), requires_grad=True), Tensor(d.biases.copy(), requires_grad=True)
    soft = ex.Activation_Softmax_Loss_CategoricalCrossentropy()
    for t in range(steps):
        d.forward(X)
        soft.forward(d.output, y)
        soft.backward(soft.output, y)
        d.backward(soft.dinputs)
        book_optimizer.pre_update_params()
        book_optimizer.update_params(d)
        book_optimizer.post_update_params()
        W.zero_grad(), b.zero_grad()
        losses.cross_entropy(X @ W + b, y).backward()
        step_with(W, b, t)
        tight(W.data, d.weights, 1e-11)
        tight(b.data, d.biases, 1e-11)


def decayed(lr: float, decay: float, t: int) -> float:
    return lr / (1.0 + decay * t)


def test_sgd_with_decay_is_nn_sgd_with_its_lr_set_each_step():
    opt = None

    def step(W, b, t):
        nonlocal opt
        opt = opt or SGD([W, b], lr=1.0)
        opt.lr = decayed(1.0, 0.1, t)
        opt.step()

    optimizer_run(ex.Optimizer_SGD(learning_rate=1.0, decay=0.1), step)


def test_sgd_momentum_is_nn_sgd_at_a_fixed_rate_and_differs_under_decay():
    # the book's v = mu v - lr_t g keeps each step's rate inside v; nn.SGD (PyTorch's) keeps v = mu v + g and
    # multiplies by today's rate: the same steps while lr is fixed, other steps once it decays
    opts = {}

    def nn_step(decay):
        def step(W, b, t):
            opt = opts.setdefault(decay, SGD([W, b], lr=0.5, momentum=0.9))
            opt.lr = decayed(0.5, decay, t)
            opt.step()
        return step

    optimizer_run(ex.Optimizer_SGD(learning_rate=0.5, momentum=0.9), nn_step(0.0))
    with pytest.raises(AssertionError):
        optimizer_run(ex.Optimizer_SGD(learning_rate=0.5, decay=0.5, momentum=0.9), nn_step(0.5))
    velocity = {}

    def by_hand(W, b, t):                                   # the book's rule written on Tensors
        with no_grad():
            for p in (W, b):
                v = velocity[id(p)] = 0.9 * velocity.get(id(p), 0.0) - decayed(0.5, 0.5, t) * p.grad
                p += v

    optimizer_run(ex.Optimizer_SGD(learning_rate=0.5, decay=0.5, momentum=0.9), by_hand)


def test_adagrad_written_on_tensors_is_the_books():
    # nn has no Adagrad (RMSprop's alpha < 1 forgets; Adagrad's cache never does): four lines on the Tensors
    cache = {}

    def step(W, b, t):
        with no_grad():
            for p in (W, b):
                cache[id(p)] = cache.get(id(p), 0.0) + p.grad ** 2
                p -= decayed(1.0, 1e-2, t) * p.grad / (np.sqrt(cache[id(p)]) + 1e-7)

    optimizer_run(ex.Optimizer_Adagrad(learning_rate=1.0, decay=1e-2), step)


def test_rmsprop_is_nn_rmsprop_with_rho_as_alpha_and_the_books_epsilon():
    opt = None

    def step(W, b, t):
        nonlocal opt
        opt = opt or RMSprop([W, b], lr=0.02, alpha=0.9, eps=1e-7)
        opt.lr = decayed(0.02, 1e-3, t)
        opt.step()

    optimizer_run(ex.Optimizer_RMSprop(learning_rate=0.02, decay=1e-3), step)


def test_adam_is_nn_adam_with_the_books_epsilon():
    opt = None

    def step(W, b, t):
        nonlocal opt
        opt = opt or Adam([W, b], lr=0.05, betas=(0.9, 0.999), eps=1e-7)
        opt.lr = decayed(0.05, 5e-2, t)
        opt.step()

    optimizer_run(ex.Optimizer_Adam(learning_rate=0.05, decay=5e-2), step)


def test_the_books_optimizer_keywords_are_named_with_ours():
    # the book's (and Keras's) Optimizer_Adam(learning_rate=0.05, decay=5e-7, epsilon=1e-7, beta_1=0.9) gave
    # Python's bare "unexpected keyword argument 'learning_rate'"
    w = [Tensor([1.0], requires_grad=True)]
    with pytest.raises(TypeError, match=r"^Adam: learning_rate=, epsilon=, beta_1= are Keras's spelling .* write "
                                        r"lr=0\.05, eps=1e-07, betas=\(0\.9, 0\.999\); decay=5e-07 is no keyword "
                                        r"here .*: set opt\.lr = 0\.05 / \(1 \+ 5e-07 \* t\) before step t"):
        Adam(w, learning_rate=0.05, decay=5e-7, epsilon=1e-7, beta_1=0.9)
    with pytest.raises(TypeError, match=r"^RMSprop: rho= is Keras's spelling .* write alpha=0\.999$"):
        RMSprop(w, rho=0.999)
    with pytest.raises(TypeError, match=r"^SGD: decay=0\.1 .* opt\.lr = 0\.5 / \(1 \+ 0\.1 \* t\) .*momentum's "
                                        r"velocity then carries today's rate"):
        SGD(w, 0.5, decay=0.1, momentum=0.9)
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'rho'"):   # Adam has no rho at all
        Adam(w, rho=0.9)
    opt = Adam(w, lr=0.05, eps=1e-7)                       # what the message says to write
    assert (opt.lr, opt.eps, opt.betas) == (0.05, 1e-7, (0.9, 0.999))


# --- the Model's training loop ---------------------------------------------------------------------------------------


def test_the_books_model_on_spirals_is_fit_in_order():
    # fit(shuffle=False) takes the book's batches in order, the last one smaller (60 rows in batches of 16: 16, 16,
    # 16, 12), each step on its batch's mean loss; Adam with the book's eps; the origin's relu kink taken as 0
    rng = np.random.default_rng(9)
    X, y = ex.spiral_data(20, K, rng)
    d1, d2 = ex.Layer_Dense(D, 8, rng), ex.Layer_Dense(8, K, rng)
    model = MLP([D, 8, K], activation="relu", output_activation="softmax")
    model.set_weights([(d1.weights.T, d1.biases.ravel()), (d2.weights.T, d2.biases.ravel())])
    book = ex.Model([d1, ex.Activation_ReLU(), d2, ex.Activation_Softmax()], ex.Loss_CategoricalCrossentropy(),
                    ex.Optimizer_Adam(learning_rate=0.02))
    steps = book.train(X, y, epochs=2, batch_size=16)
    history = fit(model, X, y, "cross_entropy", Adam(model.parameters(), lr=0.02, eps=1e-7), epochs=2,
                  batch_size=16, shuffle=False, progress=False)
    for layer, d in zip(model.layers, (d1, d2)):
        tight(layer.weight.data.T, d.weights, 1e-9)
        tight(layer.bias.data, d.biases.ravel(), 1e-9)
    sizes = [16, 16, 16, 12]
    tight(history.loss[0], np.dot(steps[:4], sizes) / 60, 1e-12)
    out = book.forward(X, training=False)
    assert np.mean(model.predict(X) == y) == ex.accuracy_categorical(np.argmax(out, axis=1), y)


def test_full_batch_decay_is_fits_callback_setting_the_rate():
    # full batch, an epoch is a step: a callback after epoch e sets the rate of step e + 1, lr / (1 + decay (e + 1))
    rng = np.random.default_rng(12)
    X, y = ex.spiral_data(8, K, rng)
    d1, d2 = ex.Layer_Dense(D, 8, rng), ex.Layer_Dense(8, K, rng)
    d1.biases += 0.1
    model = MLP([D, 8, K], activation="relu", output_activation="softmax")
    model.set_weights([(d1.weights.T, d1.biases.ravel()), (d2.weights.T, d2.biases.ravel())])
    book = ex.Model([d1, ex.Activation_ReLU(), d2, ex.Activation_Softmax()], ex.Loss_CategoricalCrossentropy(),
                    ex.Optimizer_Adam(learning_rate=0.05, decay=0.5))
    book.train(X, y, epochs=4)
    opt = Adam(model.parameters(), lr=0.05, eps=1e-7)

    def decay(epoch, history):
        opt.lr = 0.05 / (1 + 0.5 * (epoch + 1))

    fit(model, X, y, "cross_entropy", opt, epochs=4, callback=decay, progress=False)
    assert book.optimizer.current_learning_rate == 0.05 / (1 + 0.5 * 3)
    for layer, d in zip(model.layers, (d1, d2)):
        tight(layer.weight.data.T, d.weights, 1e-10)
        tight(layer.bias.data, d.biases.ravel(), 1e-10)


def test_the_books_binary_model_with_l2_prints_fits_figures_step_by_step():
    # the binary chapter: Dense(2, 16, L2 5e-4 on weights and biases), ReLU, Dense(16, 1), Sigmoid, binary
    # cross-entropy, Adam. The book prints each step's loss (data + penalty) and accuracy of the forward pass
    # before the update: fit's full-batch train_loss and train_accuracy, with the penalty in the loss
    rng = np.random.default_rng(11)
    X, y = ex.spiral_data(10, 2, rng)
    y = y.reshape(-1, 1)
    d1 = ex.Layer_Dense(D, 16, rng, weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4)
    d2 = ex.Layer_Dense(16, 1, rng)
    d1.weights *= 50
    d1.biases += 0.1                                       # off the origin's kink
    model = MLP([D, 16, 1], activation="relu", output_activation="sigmoid")
    model.set_weights([(d1.weights.T, d1.biases.ravel()), (d2.weights.T, d2.biases.ravel())])
    book = ex.Model([d1, ex.Activation_ReLU(), d2, ex.Activation_Sigmoid()], ex.Loss_BinaryCrossentropy(),
                    ex.Optimizer_Adam(learning_rate=0.02))
    printed = []
    for _ in range(3):
        out = book.forward(X, training=False)
        accuracy = ex.accuracy_binary(book.layers[-1].predictions(out), y)
        data_loss, reg_loss = book.step(X, y)
        printed.append((data_loss + reg_loss, accuracy))
    first = model.layers[0]

    def loss(out, target):
        return losses.binary_cross_entropy(out, target) + losses.l2([first.weight, first.bias], 5e-4)

    history = fit(model, X, y, loss, Adam(model.parameters(), lr=0.02, eps=1e-7), epochs=3, progress=False)
    tight(history.train_loss, [p[0] for p in printed], 1e-12)
    assert history.train_accuracy == [p[1] for p in printed]
    assert 0 < min(history.train_accuracy) and max(history.train_accuracy) < 1   # neither all right nor all wrong
    tight(first.weight.data.T, d1.weights, 1e-10)


def test_the_books_progress_line_formats_a_tensor_loss():
    # the book prints f"loss: {loss:.3f}"; a 0-d Tensor formats as its number (as PyTorch's and a Value do)
    P = Tensor([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]], requires_grad=True)
    loss = np.mean(-np.log(P[range(2), [0, 1]]))
    line = f"acc: {np.mean(np.argmax(P, axis=1) == [0, 1]):.3f}, loss: {loss:.3f}, lr: {0.05 / (1 + 1e-3):.5}"
    assert line == f"acc: 1.000, loss: {(-np.log(0.7) - np.log(0.5)) / 2:.3f}, lr: 0.04995"
    assert f"{loss}" == str(loss)
    with pytest.raises(TypeError, match=r"format '\.3f': .*shape \(2, 3\).*t\.item\(\)"):
        f"{P:.3f}"


# --- the single neuron of the backpropagation chapter, on Values ---------------------------------------------------


def test_the_single_neuron_on_values_gives_the_chain_rule_by_hand():
    xs, ws, b = [1.0, -2.0, 3.0], [-3.0, -1.0, 2.0], 1.0
    z = sum(x * w for x, w in zip(xs, ws)) + b              # 6 > 0: relu passes the gradient
    x, w, bias = [Value(v) for v in xs], [Value(v) for v in ws], Value(b)
    out = (np.dot(w, x) + bias).relu()
    out.backward()
    assert out.data == z == 6.0
    assert [v.grad for v in w] == xs and [v.grad for v in x] == ws and bias.grad == 1.0
    with pytest.raises(TypeError, match=r"max\(x, 0\) .* are x\.relu\(\)"):
        max(np.dot(w, x) + bias, 0)                           # the book's max(z, 0) on a Value
