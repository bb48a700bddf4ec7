"""deeplearning.ai's from-scratch assignments (Courses 1 and 2), solved in numpy: the witness of test_dlai_port.py.

Course 1: logistic regression as a one-neuron network, the planar one-hidden-layer tanh network, and the deep
network built step by step (linear -> relu, ..., linear -> sigmoid). Course 2: three initialisations, L2
regularisation, inverted dropout, gradient checking (with bugs planted in a backward pass on request), mini-batches,
momentum, Adam and learning-rate decay. Written from the courses' well-known structure in our own code.

The courses' convention throughout, and it is not deltagrad's: samples are COLUMNS. X has shape (n_x, m), Y (1, m),
W^[l] is (n_l, n_(l-1)), b^[l] is a column (n_l, 1) broadcast over the m columns, Z^[l] = W^[l] A^[l-1] + b^[l],
and the cost is the mean over the m columns of the binary cross-entropy. Parameters and gradients live in dicts
keyed "W1", "b1", ... and "dW1", "db1", .... No engine is imported here: every gradient below is derived by hand.
"""

from __future__ import annotations

import math

import numpy as np


def sigmoid(z):
    """1 / (1 + e^-z), as the courses write it (overflows, with numpy's warning, for z below about -709)."""
    return 1 / (1 + np.exp(-z))


def relu(z):
    return np.maximum(0, z)


def cross_entropy_cost(A, Y) -> float:
    """J = -1/m sum_i [y_i ln a_i + (1 - y_i) ln(1 - a_i)] over the m columns."""
    m = Y.shape[1]
    return -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))


# --- Course 1, week 2: logistic regression, A = sigmoid(w^T X + b) ------------------------------------------------


def propagate(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> tuple[dict, float]:
    """The cost and its gradient: dJ/dz_i = a_i - y_i (sigma' cancels), so dw = X (A - Y)^T / m, db = mean(A - Y)."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = cross_entropy_cost(A, Y)
    return {"dw": X @ (A - Y).T / m, "db": float(np.sum(A - Y) / m)}, float(cost)


def optimize(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray, num_iterations: int,
             learning_rate: float) -> tuple[np.ndarray, float, list[float]]:
    """Batch gradient descent on ``propagate``; the costs before each step."""
    costs = []
    for _ in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        costs.append(cost)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    return w, b, costs


# --- Course 1, week 3: one hidden tanh layer, a sigmoid output ----------------------------------------------------


def initialize_parameters(n_x: int, n_h: int, n_y: int, rng: np.random.Generator) -> dict:
    """Small random weights (0.01 randn, so that tanh starts in its linear part) and zero biases."""
    return {"W1": 0.01 * rng.standard_normal((n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": 0.01 * rng.standard_normal((n_y, n_h)), "b2": np.zeros((n_y, 1))}


def forward_propagation(X: np.ndarray, parameters: dict) -> tuple[np.ndarray, dict]:
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def backward_propagation(parameters: dict, cache: dict, X: np.ndarray, Y: np.ndarray) -> dict:
    """dZ2 = A2 - Y; dZ1 = W2^T dZ2 o (1 - A1^2), tanh' written through its output."""
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - np.power(cache["A1"], 2))
    return {"dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": np.dot(dZ2, cache["A1"].T) / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


def update_parameters(parameters: dict, grads: dict, learning_rate: float) -> dict:
    """W^[l] <- W^[l] - alpha dW^[l] for every parameter; a new dict."""
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


# --- Course 1, week 4: a deep network step by step ----------------------------------------------------------------


def initialize_parameters_deep(layer_dims: list[int], rng: np.random.Generator, scale: float | None = 0.01) -> dict:
    """W^[l] = scale randn (n_l, n_(l-1)) (``scale=None``: 1 / sqrt(n_(l-1)), as the application does), b^[l] = 0."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        s = 1 / math.sqrt(layer_dims[l - 1]) if scale is None else scale
        parameters[f"W{l}"] = s * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation: str):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (linear_cache, Z)


def L_model_forward(X, parameters: dict):
    """[linear -> relu] x (L - 1), then linear -> sigmoid; one cache per layer."""
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    """The cross-entropy as the deep-network notebook writes it, with row-by-column dot products (a 1 x 1 array,
    squeezed to a number)."""
    m = Y.shape[1]
    cost = -1 / m * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))
    return np.squeeze(cost)


def linear_backward(dZ: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From dZ^[l]: dW = dZ A_prev^T / m, db = row sums of dZ / m, dA_prev = W^T dZ."""
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m


def relu_backward(dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """relu'(z) = 1 for z > 0, else 0 (0 at the kink, as PyTorch)."""
    return dA * (Z > 0)


def sigmoid_backward(dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    s = sigmoid(Z)
    return dA * s * (1 - s)


def linear_activation_backward(dA: np.ndarray, cache: tuple, activation: str):
    linear_cache, Z = cache
    dZ = sigmoid_backward(dA, Z) if activation == "sigmoid" else relu_backward(dA, Z)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL: np.ndarray, Y: np.ndarray, caches: list) -> dict:
    """dAL = -(Y / AL - (1 - Y) / (1 - AL)), the derivative of each column's cost (the 1/m comes in
    linear_backward), then the layers in reverse."""
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else "relu")
        grads[f"dA{l - 1}"] = dA
    return grads


# --- Course 2, week 1: initialisation -------------------------------------------------------------------------------


def initialize_parameters_zeros(layers_dims: list[int]) -> dict:
    """Every weight 0: every unit of a layer computes the same thing, and stays so (the symmetry is never broken)."""
    return {k: np.zeros((layers_dims[l], layers_dims[l - 1] if k[0] == "W" else 1))
            for l in range(1, len(layers_dims)) for k in (f"W{l}", f"b{l}")}


def initialize_parameters_random(layers_dims: list[int], rng: np.random.Generator) -> dict:
    """Large weights, 10 randn: the sigmoid output saturates and the first costs are huge."""
    return initialize_parameters_deep(layers_dims, rng, scale=10.0)


def initialize_parameters_he(layers_dims: list[int], rng: np.random.Generator) -> dict:
    """He et al.: W^[l] = randn sqrt(2 / n_(l-1)), for relu layers."""
    parameters = {}
    for l in range(1, len(layers_dims)):
        n_in = layers_dims[l - 1]
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], n_in)) * np.sqrt(2 / n_in)
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


# --- Course 2, week 1: a three-layer net (relu, relu, sigmoid) with L2 or dropout ---------------------------------


def forward_three(X, parameters: dict):
    """linear -> relu -> linear -> relu -> linear -> sigmoid, the regularisation notebook's model."""
    p = parameters
    Z1 = np.dot(p["W1"], X) + p["b1"]
    A1 = relu(Z1)
    Z2 = np.dot(p["W2"], A1) + p["b2"]
    A2 = relu(Z2)
    Z3 = np.dot(p["W3"], A2) + p["b3"]
    A3 = sigmoid(Z3)
    return A3, (Z1, A1, Z2, A2, Z3, A3)


def compute_cost_with_regularization(A3, Y, parameters: dict, lambd: float):
    """Cross-entropy plus lambd / (2m) (||W1||^2 + ||W2||^2 + ||W3||^2), squared Frobenius norms."""
    m = Y.shape[1]
    l2 = sum(np.sum(np.square(parameters[f"W{l}"])) for l in (1, 2, 3))
    return cross_entropy_cost(A3, Y) + lambd / (2 * m) * l2


def backward_three(X: np.ndarray, Y: np.ndarray, cache: tuple, parameters: dict, lambd: float = 0.0,
                   masks: tuple | None = None, keep_prob: float = 1.0) -> dict:
    """The three-layer net's gradients: each dW^[l] gains lambd / m W^[l] (the derivative of the L2 term), and with
    dropout each dA^[l] is masked by the forward pass's D^[l] and divided by keep_prob, as A^[l] was."""
    m = X.shape[1]
    Z1, A1, Z2, A2, Z3, A3 = cache
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    dZ3 = A3 - Y
    grads = {"dW3": np.dot(dZ3, A2.T) / m + lambd / m * W3, "db3": np.sum(dZ3, axis=1, keepdims=True) / m}
    dA2 = np.dot(W3.T, dZ3)
    if masks is not None:
        dA2 = dA2 * masks[1] / keep_prob
    dZ2 = dA2 * (Z2 > 0)
    grads.update({"dW2": np.dot(dZ2, A1.T) / m + lambd / m * W2, "db2": np.sum(dZ2, axis=1, keepdims=True) / m})
    dA1 = np.dot(W2.T, dZ2)
    if masks is not None:
        dA1 = dA1 * masks[0] / keep_prob
    dZ1 = dA1 * (Z1 > 0)
    grads.update({"dW1": np.dot(dZ1, X.T) / m + lambd / m * W1, "db1": np.sum(dZ1, axis=1, keepdims=True) / m})
    return grads


def forward_with_dropout(X, parameters: dict, keep_prob: float, rng: np.random.Generator):
    """Inverted dropout on both hidden layers: D^[l] = (rand < keep_prob), A^[l] <- A^[l] o D^[l] / keep_prob, so
    the expected activation is unchanged. The masks are returned: the backward pass must drop the same units."""
    p = parameters
    Z1 = np.dot(p["W1"], X) + p["b1"]
    D1 = (rng.random(Z1.shape) < keep_prob).astype(int)
    A1 = relu(Z1) * D1 / keep_prob
    Z2 = np.dot(p["W2"], A1) + p["b2"]
    D2 = (rng.random(Z2.shape) < keep_prob).astype(int)
    A2 = relu(Z2) * D2 / keep_prob
    Z3 = np.dot(p["W3"], A2) + p["b3"]
    A3 = sigmoid(Z3)
    return A3, (Z1, A1, Z2, A2, Z3, A3), (D1, D2)


# --- Course 2, week 1: gradient checking -----------------------------------------------------------------------


def dictionary_to_vector(parameters: dict, keys: tuple = ("W1", "b1", "W2", "b2", "W3", "b3")):
    """Every parameter flattened (row-major) and stacked into one column theta; the shapes to undo it."""
    return (np.concatenate([np.reshape(parameters[k], (-1, 1)) for k in keys], axis=0),
            [(k, np.shape(parameters[k])) for k in keys])


def vector_to_dictionary(theta: np.ndarray, shapes: list) -> dict:
    parameters, start = {}, 0
    for k, shape in shapes:
        n = int(np.prod(shape))
        parameters[k] = theta[start:start + n].reshape(shape)
        start += n
    return parameters


def gradients_to_vector(gradients: dict, keys: tuple = ("W1", "b1", "W2", "b2", "W3", "b3")) -> np.ndarray:
    return np.concatenate([np.reshape(gradients["d" + k], (-1, 1)) for k in keys], axis=0)


def forward_n(X: np.ndarray, Y: np.ndarray, parameters: dict) -> tuple[float, tuple]:
    """The gradient-checking notebook's net (relu, relu, sigmoid) and its cost, the mean cross-entropy."""
    A3, cache = forward_three(X, parameters)
    return float(cross_entropy_cost(A3, Y)), cache


# The planted bugs, each a line a student gets wrong: dW2 doubled, db1 four times too large, dZ1's relu mask read
# from A1 >= 0 (true at every unit: the mask is lost), and a missing 1/m in dW3.
BUGS = ("dW2 doubled", "db1 times 4", "relu mask lost", "dW3 without 1/m")


def backward_n(X: np.ndarray, Y: np.ndarray, cache: tuple, parameters: dict, bugs: tuple = ()) -> dict:
    """``backward_three`` without regularisation, with the ``BUGS`` named in ``bugs`` planted."""
    m = X.shape[1]
    Z1, A1, Z2, A2, Z3, A3 = cache
    dZ3 = A3 - Y
    dW3 = np.dot(dZ3, A2.T) * (1 if "dW3 without 1/m" in bugs else 1 / m)
    grads = {"dW3": dW3, "db3": np.sum(dZ3, axis=1, keepdims=True) / m}
    dZ2 = np.dot(parameters["W3"].T, dZ3) * (A2 > 0)
    grads["dW2"] = np.dot(dZ2, A1.T) / m * (2 if "dW2 doubled" in bugs else 1)
    grads["db2"] = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(parameters["W2"].T, dZ2) * ((A1 >= 0) if "relu mask lost" in bugs else (A1 > 0))
    grads["dW1"] = np.dot(dZ1, X.T) / m
    grads["db1"] = np.sum(dZ1, axis=1, keepdims=True) / m * (4 if "db1 times 4" in bugs else 1)
    return grads


def gradient_check_n(parameters: dict, gradients: dict, X: np.ndarray, Y: np.ndarray,
                     epsilon: float = 1e-7) -> tuple[float, np.ndarray]:
    """The course's check: each entry of theta moved by +-epsilon, J by ``forward_n``, and the relative difference
    ||grad - gradapprox|| / (||grad|| + ||gradapprox||), which the course wants below 2e-7."""
    theta, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    gradapprox = np.zeros_like(theta)
    for i in range(len(theta)):
        plus, minus = np.copy(theta), np.copy(theta)
        plus[i] += epsilon
        minus[i] -= epsilon
        J_plus = forward_n(X, Y, vector_to_dictionary(plus, shapes))[0]
        J_minus = forward_n(X, Y, vector_to_dictionary(minus, shapes))[0]
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return float(difference), gradapprox


# --- Course 2, week 2: optimisation ---------------------------------------------------------------------------------


def random_mini_batches(X: np.ndarray, Y: np.ndarray, mini_batch_size: int, seed: int) -> list:
    """Shuffle the columns (X and Y by one permutation), cut them into batches of ``mini_batch_size``; the last
    batch holds the m mod mini_batch_size columns left over, when there are any."""
    m = X.shape[1]
    permutation = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, permutation], Y[:, permutation]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]


def initialize_velocity(parameters: dict) -> dict:
    return {"d" + k: np.zeros_like(v) for k, v in parameters.items()}


def update_parameters_with_momentum(parameters: dict, grads: dict, v: dict, beta: float,
                                    learning_rate: float) -> tuple[dict, dict]:
    """v <- beta v + (1 - beta) dW (an exponentially weighted average of the gradients), W <- W - alpha v."""
    v = {k: beta * v[k] + (1 - beta) * grads[k] for k in v}
    return {k: w - learning_rate * v["d" + k] for k, w in parameters.items()}, v


def initialize_adam(parameters: dict) -> tuple[dict, dict]:
    return initialize_velocity(parameters), initialize_velocity(parameters)


def update_parameters_with_adam(parameters: dict, grads: dict, v: dict, s: dict, t: int, learning_rate: float = 0.01,
                                beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8):
    """Adam at step t (counted from 1): v and s the averages of dW and dW^2, each divided by 1 - beta^t (the bias
    correction), W <- W - alpha v_corrected / (sqrt(s_corrected) + epsilon)."""
    v = {k: beta1 * v[k] + (1 - beta1) * grads[k] for k in v}
    s = {k: beta2 * s[k] + (1 - beta2) * np.square(grads[k]) for k in s}
    new = {}
    for k, w in parameters.items():
        v_corrected = v["d" + k] / (1 - beta1 ** t)
        s_corrected = s["d" + k] / (1 - beta2 ** t)
        new[k] = w - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
    return new, v, s


def update_lr(learning_rate0: float, epoch_num: int, decay_rate: float) -> float:
    """alpha = alpha_0 / (1 + decay_rate epoch)."""
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0: float, epoch_num: int, decay_rate: float, time_interval: int = 1000) -> float:
    """The same decay in steps: alpha = alpha_0 / (1 + decay_rate floor(epoch / time_interval))."""
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))
