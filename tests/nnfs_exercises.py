""""Neural Networks from Scratch in Python" (Kinsley & Kukiela, nnfs.io), its classes solved in numpy: the witness
of test_nnfs_port.py. Written from the book's well-known structure in our own code.

The book's conventions, which are deltagrad's rows but not its weight layout: rows of X are samples; a dense
layer's weights have shape (n_inputs, n_neurons), so its output is inputs @ weights + biases with biases a row
(1, n_neurons); every object keeps what its backward pass needs from its forward pass (``inputs``, ``output``) and
backward(dvalues) sets ``dinputs`` (and a layer's ``dweights``, ``dbiases``). Losses are the mean over the samples of
the per-sample losses. No engine is imported here: every gradient below is derived by hand.
"""

from __future__ import annotations

import numpy as np

# --- layers ---------------------------------------------------------------------------------------------------------


class Layer_Dense:
    """output = inputs @ weights + biases, with the book's optional L1/L2 penalties on weights and biases."""

    def __init__(self, n_inputs: int, n_neurons: int, rng: np.random.Generator, weight_regularizer_l1: float = 0.0,
                 weight_regularizer_l2: float = 0.0, bias_regularizer_l1: float = 0.0,
                 bias_regularizer_l2: float = 0.0) -> None:
        self.weights = 0.01 * rng.standard_normal((n_inputs, n_neurons))   # small, so the first outputs are near 0
        self.biases = np.zeros((1, n_neurons))
        self.weight_regularizer_l1, self.weight_regularizer_l2 = weight_regularizer_l1, weight_regularizer_l2
        self.bias_regularizer_l1, self.bias_regularizer_l2 = bias_regularizer_l1, bias_regularizer_l2

    def forward(self, inputs: np.ndarray, training: bool = True) -> None:
        self.inputs = inputs
        self.output = inputs @ self.weights + self.biases

    def backward(self, dvalues: np.ndarray) -> None:
        # dL/dW = X^T dL/dZ; dL/db sums over the samples; dL/dX = dL/dZ W^T
        self.dweights = self.inputs.T @ dvalues
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dweights += l1_derivative(self.weights, self.weight_regularizer_l1) \
            + 2 * self.weight_regularizer_l2 * self.weights
        self.dbiases += l1_derivative(self.biases, self.bias_regularizer_l1) \
            + 2 * self.bias_regularizer_l2 * self.biases
        self.dinputs = dvalues @ self.weights.T


def l1_derivative(p: np.ndarray, lam: float) -> np.ndarray:
    """lam d|p|/dp with the book's choice at p = 0: +1 there (its mask starts at ones and sets -1 only where p < 0),
    where the engines and PyTorch take sign(0) = 0."""
    return lam * np.where(p < 0, -1.0, 1.0)


def regularization_loss(layer: Layer_Dense) -> float:
    """The penalties of one layer: l1 sum|w| + l2 sum w^2, for the weights and for the biases."""
    return (layer.weight_regularizer_l1 * np.sum(np.abs(layer.weights))
            + layer.weight_regularizer_l2 * np.sum(layer.weights * layer.weights)
            + layer.bias_regularizer_l1 * np.sum(np.abs(layer.biases))
            + layer.bias_regularizer_l2 * np.sum(layer.biases * layer.biases))


class Layer_Dropout:
    """Keeps each input with probability 1 - rate and scales it by 1 / (1 - rate): a binomial mask drawn per call."""

    def __init__(self, rate: float, rng: np.random.Generator) -> None:
        self.keep, self.rng = 1.0 - rate, rng

    def forward(self, inputs: np.ndarray, training: bool = True) -> None:
        self.inputs = inputs
        if not training:
            self.output = inputs.copy()
            return
        self.binary_mask = self.rng.binomial(1, self.keep, size=inputs.shape) / self.keep
        self.output = inputs * self.binary_mask

    def backward(self, dvalues: np.ndarray) -> None:
        self.dinputs = dvalues * self.binary_mask


# --- activations ----------------------------------------------------------------------------------------------------


class Activation_ReLU:
    def forward(self, inputs: np.ndarray, training: bool = True) -> None:
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues: np.ndarray) -> None:
        self.dinputs = np.where(self.inputs > 0, dvalues, 0.0)    # the book's choice at 0: relu'(0) = 0

    def predictions(self, outputs: np.ndarray) -> np.ndarray:
        return outputs


class Activation_Softmax:
    def forward(self, inputs: np.ndarray, training: bool = True) -> None:
        self.inputs = inputs
        e = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))   # shifted: exp never overflows
        self.output = e / np.sum(e, axis=1, keepdims=True)

    def backward(self, dvalues: np.ndarray) -> None:
        # one Jacobian per sample: ds_i/dz_j = s_i (delta_ij - s_j) = diag(s) - s s^T
        self.dinputs = np.empty_like(dvalues)
        for i, (s, d) in enumerate(zip(self.output, dvalues)):
            s = s.reshape(-1, 1)
            self.dinputs[i] = (np.diagflat(s) - s @ s.T) @ d

    def predictions(self, outputs: np.ndarray) -> np.ndarray:
        return np.argmax(outputs, axis=1)


class Activation_Sigmoid:
    def forward(self, inputs: np.ndarray, training: bool = True) -> None:
        self.inputs = inputs
        self.output = 1 / (1 + np.exp(-inputs))

    def backward(self, dvalues: np.ndarray) -> None:
        self.dinputs = dvalues * (1 - self.output) * self.output        # sigma' = sigma (1 - sigma)

    def predictions(self, outputs: np.ndarray) -> np.ndarray:
        return (outputs > 0.5) * 1


class Activation_Linear:
    def forward(self, inputs: np.ndarray, training: bool = True) -> None:
        self.inputs = inputs
        self.output = inputs

    def backward(self, dvalues: np.ndarray) -> None:
        self.dinputs = dvalues.copy()

    def predictions(self, outputs: np.ndarray) -> np.ndarray:
        return outputs


# --- losses: forward gives per-sample losses; calculate averages them ------------------------------------------


class Loss:
    def calculate(self, output: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(self.forward(output, y)))


CLIP = 1e-7


class Loss_CategoricalCrossentropy(Loss):
    """-log of the clipped probability of the true class; y sparse (labels) or one-hot rows."""

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        clipped = np.clip(y_pred, CLIP, 1 - CLIP)             # log 0 would be inf
        if y_true.ndim == 1:
            confidences = clipped[np.arange(len(y_pred)), y_true]
        else:
            confidences = np.sum(clipped * y_true, axis=1)
        return -np.log(confidences)

    def backward(self, dvalues: np.ndarray, y_true: np.ndarray) -> None:
        # d(-log p_y)/dp = -y / p, over the mean's N (the book differentiates the unclipped p)
        n, k = dvalues.shape
        if y_true.ndim == 1:
            y_true = np.eye(k)[y_true]
        self.dinputs = -y_true / dvalues / n


class Activation_Softmax_Loss_CategoricalCrossentropy:
    """Softmax and cross-entropy in one: dL/dz = (softmax - onehot) / N, far cheaper than the Jacobians."""

    def __init__(self) -> None:
        self.activation, self.loss = Activation_Softmax(), Loss_CategoricalCrossentropy()

    def forward(self, inputs: np.ndarray, y_true: np.ndarray) -> float:
        self.activation.forward(inputs)
        self.output = self.activation.output
        return self.loss.calculate(self.output, y_true)

    def backward(self, dvalues: np.ndarray, y_true: np.ndarray) -> None:
        n = len(dvalues)
        labels = np.argmax(y_true, axis=1) if y_true.ndim == 2 else y_true
        self.dinputs = dvalues.copy()
        self.dinputs[np.arange(n), labels] -= 1
        self.dinputs /= n


class Loss_BinaryCrossentropy(Loss):
    """Each output a separate yes/no: -[y log p + (1 - y) log(1 - p)], averaged over the outputs of a sample."""

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        p = np.clip(y_pred, CLIP, 1 - CLIP)
        return np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)), axis=-1)

    def backward(self, dvalues: np.ndarray, y_true: np.ndarray) -> None:
        n, k = dvalues.shape
        p = np.clip(dvalues, CLIP, 1 - CLIP)
        self.dinputs = -(y_true / p - (1 - y_true) / (1 - p)) / k / n


class Loss_MeanSquaredError(Loss):
    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        return np.mean((y_true - y_pred) ** 2, axis=-1)

    def backward(self, dvalues: np.ndarray, y_true: np.ndarray) -> None:
        n, k = dvalues.shape
        self.dinputs = -2 * (y_true - dvalues) / k / n


class Loss_MeanAbsoluteError(Loss):
    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        return np.mean(np.abs(y_true - y_pred), axis=-1)

    def backward(self, dvalues: np.ndarray, y_true: np.ndarray) -> None:
        # d|y - p|/dp = -sign(y - p) = sign(p - y); the book prints np.sign(y_true - dvalues), its negative
        n, k = dvalues.shape
        self.dinputs = np.sign(dvalues - y_true) / k / n


# --- optimizers: pre_update_params decays the rate, update_params moves one layer, post counts the step ---------


class Optimizer_SGD:
    """v <- momentum v - lr_t dW (the rate inside the velocity), W <- W + v; lr_t = lr / (1 + decay t)."""

    def __init__(self, learning_rate: float = 1.0, decay: float = 0.0, momentum: float = 0.0) -> None:
        self.learning_rate = self.current_learning_rate = learning_rate
        self.decay, self.momentum, self.iterations = decay, momentum, 0

    def pre_update_params(self) -> None:
        if self.decay:
            self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def update_params(self, layer: Layer_Dense) -> None:
        if self.momentum:
            if not hasattr(layer, "weight_momentums"):
                layer.weight_momentums = np.zeros_like(layer.weights)
                layer.bias_momentums = np.zeros_like(layer.biases)
            lr = self.current_learning_rate
            layer.weight_momentums = self.momentum * layer.weight_momentums - lr * layer.dweights
            layer.bias_momentums = self.momentum * layer.bias_momentums - lr * layer.dbiases
            layer.weights += layer.weight_momentums
            layer.biases += layer.bias_momentums
        else:
            layer.weights += -self.current_learning_rate * layer.dweights
            layer.biases += -self.current_learning_rate * layer.dbiases

    def post_update_params(self) -> None:
        self.iterations += 1


class _Decaying:
    """The schedule every optimizer of the book shares."""

    def __init__(self, learning_rate: float, decay: float, epsilon: float) -> None:
        self.learning_rate = self.current_learning_rate = learning_rate
        self.decay, self.epsilon, self.iterations = decay, epsilon, 0

    def pre_update_params(self) -> None:
        if self.decay:
            self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def post_update_params(self) -> None:
        self.iterations += 1


class Optimizer_Adagrad(_Decaying):
    """cache += g^2 (never forgets), W -= lr_t g / (sqrt(cache) + eps)."""

    def __init__(self, learning_rate: float = 1.0, decay: float = 0.0, epsilon: float = 1e-7) -> None:
        super().__init__(learning_rate, decay, epsilon)

    def update_params(self, layer: Layer_Dense) -> None:
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache, layer.bias_cache = np.zeros_like(layer.weights), np.zeros_like(layer.biases)
        layer.weight_cache += layer.dweights ** 2
        layer.bias_cache += layer.dbiases ** 2
        layer.weights += -self.current_learning_rate * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases += -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)


class Optimizer_RMSprop(_Decaying):
    """cache <- rho cache + (1 - rho) g^2, W -= lr_t g / (sqrt(cache) + eps)."""

    def __init__(self, learning_rate: float = 0.001, decay: float = 0.0, epsilon: float = 1e-7,
                 rho: float = 0.9) -> None:
        super().__init__(learning_rate, decay, epsilon)
        self.rho = rho

    def update_params(self, layer: Layer_Dense) -> None:
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache, layer.bias_cache = np.zeros_like(layer.weights), np.zeros_like(layer.biases)
        layer.weight_cache = self.rho * layer.weight_cache + (1 - self.rho) * layer.dweights ** 2
        layer.bias_cache = self.rho * layer.bias_cache + (1 - self.rho) * layer.dbiases ** 2
        layer.weights += -self.current_learning_rate * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases += -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)


class Optimizer_Adam(_Decaying):
    """m and cache as RMSprop's with momentum, both corrected by 1 - beta^(t + 1), eps outside the square root."""

    def __init__(self, learning_rate: float = 0.001, decay: float = 0.0, epsilon: float = 1e-7,
                 beta_1: float = 0.9, beta_2: float = 0.999) -> None:
        super().__init__(learning_rate, decay, epsilon)
        self.beta_1, self.beta_2 = beta_1, beta_2

    def update_params(self, layer: Layer_Dense) -> None:
        if not hasattr(layer, "weight_cache"):
            for name in ("weight_momentums", "weight_cache"):
                setattr(layer, name, np.zeros_like(layer.weights))
            for name in ("bias_momentums", "bias_cache"):
                setattr(layer, name, np.zeros_like(layer.biases))
        t = self.iterations + 1
        for p, g, m, c in (("weights", "dweights", "weight_momentums", "weight_cache"),
                           ("biases", "dbiases", "bias_momentums", "bias_cache")):
            grad = getattr(layer, g)
            setattr(layer, m, self.beta_1 * getattr(layer, m) + (1 - self.beta_1) * grad)
            setattr(layer, c, self.beta_2 * getattr(layer, c) + (1 - self.beta_2) * grad ** 2)
            m_hat = getattr(layer, m) / (1 - self.beta_1 ** t)
            c_hat = getattr(layer, c) / (1 - self.beta_2 ** t)
            setattr(layer, p, getattr(layer, p) - self.current_learning_rate * m_hat / (np.sqrt(c_hat) + self.epsilon))


# --- accuracy ---------------------------------------------------------------------------------------------------------


def accuracy_categorical(predictions: np.ndarray, y: np.ndarray) -> float:
    """The share of rows whose predicted class is the label (one-hot rows read by argmax)."""
    if y.ndim == 2 and y.shape[1] > 1:
        y = np.argmax(y, axis=1)
    return float(np.mean(predictions == y))


def accuracy_binary(predictions: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(predictions == y))


def regression_precision(y: np.ndarray) -> float:
    """The book's tolerance for "a right answer" in regression: the targets' standard deviation over 250."""
    return float(np.std(y) / 250)


def accuracy_regression(predictions: np.ndarray, y: np.ndarray, precision: float) -> float:
    return float(np.mean(np.abs(predictions - y) < precision))


# --- data, and the Model's training loop ---------------------------------------------------------------------------


def spiral_data(samples: int, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``samples`` points per class, arm k at radius r = 0..1 and angle 4 (k + r) plus noise 0.2: the first point
    of every arm is the origin."""
    X, y = np.zeros((samples * classes, 2)), np.zeros(samples * classes, dtype=int)
    for k in range(classes):
        rows = slice(samples * k, samples * (k + 1))
        r = np.linspace(0.0, 1.0, samples)
        t = np.linspace(4.0 * k, 4.0 * (k + 1), samples) + 0.2 * rng.standard_normal(samples)
        X[rows] = np.c_[r * np.sin(2.5 * t), r * np.cos(2.5 * t)]
        y[rows] = k
    return X, y


def sine_data(samples: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    X = np.arange(samples).reshape(-1, 1) / samples
    return X, np.sin(2 * np.pi * X)


class Model:
    """The book's last chapters' container: layers in a list, one loss (with the combined softmax + cross-entropy
    backward when it applies), one optimizer, mini-batches taken in order without shuffling."""

    def __init__(self, layers: list, loss: Loss, optimizer) -> None:
        self.layers, self.loss, self.optimizer = layers, loss, optimizer
        self.dense = [layer for layer in layers if isinstance(layer, Layer_Dense)]
        self.combined = isinstance(layers[-1], Activation_Softmax) and isinstance(loss, Loss_CategoricalCrossentropy)

    def forward(self, X: np.ndarray, training: bool) -> np.ndarray:
        for layer in self.layers:
            layer.forward(X, training)
            X = layer.output
        return X

    def backward(self, output: np.ndarray, y: np.ndarray) -> None:
        if self.combined:
            last = Activation_Softmax_Loss_CategoricalCrossentropy()
            last.backward(output, y)
            dvalues, layers = last.dinputs, self.layers[:-1]
        else:
            self.loss.backward(output, y)
            dvalues, layers = self.loss.dinputs, self.layers
        for layer in reversed(layers):
            layer.backward(dvalues)
            dvalues = layer.dinputs

    def step(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """One training step; returns the data loss and the regularisation loss before it."""
        output = self.forward(X, training=True)
        data_loss = self.loss.calculate(output, y)
        reg_loss = sum(regularization_loss(layer) for layer in self.dense)
        self.backward(output, y)
        self.optimizer.pre_update_params()
        for layer in self.dense:
            self.optimizer.update_params(layer)
        self.optimizer.post_update_params()
        return data_loss, reg_loss

    def train(self, X: np.ndarray, y: np.ndarray, epochs: int, batch_size: int | None = None) -> list[float]:
        """The data loss of every step, batches in order (the last one smaller when N is not a multiple)."""
        size = len(X) if batch_size is None else batch_size
        losses = []
        for _ in range(epochs):
            for start in range(0, len(X), size):
                losses.append(self.step(X[start:start + size], y[start:start + size])[0])
        return losses
