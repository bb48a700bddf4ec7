"""Stanford CS224n's word2vec assignment and its warm-ups, solved from scratch in numpy: the hand-derived witness of
test_cs224n_port.py.

The warm-ups: a softmax of rows made stable by subtracting each row's largest entry, the sigmoid and its slope
written with the sigmoid itself, the course's gradient check (central differences with h = 1e-4, the random state
saved once and restored before every evaluation of f, so that f may sample), and a one-hidden-layer sigmoid net with
a softmax output whose parameters travel as one flat vector. Then word2vec's skip-gram: one centre vector v_c
(a row of V, (n_words, d)) against the outside vectors U (n_words, d), with the naive-softmax loss
J = -log softmax(U v_c)_o and the negative-sampling loss J = -log sigma(u_o . v_c) - sum_k log sigma(-u_k . v_c)
over K sampled words that may repeat; skip-gram sums either loss over a window, the SGD wrapper averages it over a
batch of random windows, and the course's SGD halves its step every ``anneal_every`` iterations. Last, the neural
dependency parser's forward pass: an embedding lookup E[w] of (batch, features) word ids (the NULL and ROOT tokens
repeat in almost every row), a relu layer and a softmax over the three transitions.
No engine is imported here: these gradients are derived by hand, so that the engines can be checked against them.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np

# --- warm-ups -----------------------------------------------------------------------------------------------------


def softmax(x: np.ndarray) -> np.ndarray:
    """softmax of a vector, or of each row of a matrix; shifted by the row's maximum, which softmax ignores
    (e^(x - m) / sum e^(x - m) = e^x / sum e^x) and which keeps every exp at most 1."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x), written with exp of -|x| only, so that no exp overflows in either tail."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(s: np.ndarray) -> np.ndarray:
    """sigma'(x) given s = sigma(x): s (1 - s)."""
    return s * (1.0 - s)


def gradcheck_naive(f: Callable, x: np.ndarray, h: float = 1e-4, tol: float = 1e-5) -> list:
    """The course's check: f(x) returns (cost, gradient); each entry of x is moved by +-h in place (and put back),
    and the random state of Python's ``random`` is restored before every evaluation, so that an f which samples
    (negative sampling, random windows) draws the same numbers each time. Returns the entries where
    |numeric - analytic| / max(1, |numeric|, |analytic|) exceeds tol, as (index, analytic, numeric) triples."""
    state = random.getstate()
    random.setstate(state)
    _, grad = f(x)
    failures = []
    for ix in np.ndindex(x.shape):
        kept = x[ix]
        x[ix] = kept + h
        random.setstate(state)
        up = f(x)[0]
        x[ix] = kept - h
        random.setstate(state)
        down = f(x)[0]
        x[ix] = kept
        numeric = (up - down) / (2 * h)
        if abs(numeric - grad[ix]) / max(1.0, abs(numeric), abs(grad[ix])) > tol:
            failures.append((ix, float(grad[ix]), float(numeric)))
    random.setstate(state)
    return failures


def unpack(params: np.ndarray, dims: tuple[int, int, int]) -> tuple[np.ndarray, ...]:
    """The flat parameter vector as W1 (Dx, H), b1 (1, H), W2 (H, Dy), b2 (1, Dy), in that order (views)."""
    dx, h, dy = dims
    sizes = [(dx, h), (1, h), (h, dy), (1, dy)]
    out, start = [], 0
    for shape in sizes:
        n = shape[0] * shape[1]
        out.append(params[start:start + n].reshape(shape))
        start += n
    return tuple(out)


def forward_backward_prop(X: np.ndarray, labels: np.ndarray, params: np.ndarray,
                          dims: tuple[int, int, int]) -> tuple[float, np.ndarray]:
    """The warm-up net: h = sigma(X W1 + b1), y_hat = softmax(h W2 + b2), cost = -sum(labels * log y_hat) summed
    over the rows (not averaged), and its gradient flattened in ``unpack``'s order.

    d cost / d scores = y_hat - labels; d/dW2 = h^T that; d/dh = that W2^T; d/dz1 = d/dh * h (1 - h)."""
    W1, b1, W2, b2 = unpack(params, dims)
    hidden = sigmoid(X @ W1 + b1)
    y_hat = softmax(hidden @ W2 + b2)
    cost = -np.sum(labels * np.log(y_hat))
    d_scores = y_hat - labels
    d_z1 = d_scores @ W2.T * sigmoid_grad(hidden)
    grads = [X.T @ d_z1, d_z1.sum(axis=0, keepdims=True), hidden.T @ d_scores, d_scores.sum(axis=0, keepdims=True)]
    return float(cost), np.concatenate([g.ravel() for g in grads])


# --- word2vec -----------------------------------------------------------------------------------------------------


class DummyDataset:
    """The course's sanity-check corpus: five tokens, each word drawn uniformly by Python's ``random``."""

    tokens = ["a", "b", "c", "d", "e"]

    def sample_token_idx(self) -> int:
        return random.randint(0, 4)

    def get_random_context(self, window: int) -> tuple[str, list[str]]:
        centre = self.tokens[random.randint(0, 4)]
        return centre, [self.tokens[random.randint(0, 4)] for _ in range(2 * window)]


def naive_softmax_loss_and_gradient(v_c: np.ndarray, o: int, U: np.ndarray,
                                    dataset: object = None) -> tuple[float, np.ndarray, np.ndarray]:
    """J = -log y_hat_o with y_hat = softmax(U v_c); dJ/dv_c = U^T (y_hat - y), dJ/dU = (y_hat - y) v_c^T, y the
    one-hot vector of o. (``dataset`` is the negative sampler's; the naive loss has no use for it.)"""
    y_hat = softmax(U @ v_c)
    loss = -np.log(y_hat[o])
    delta = y_hat.copy()
    delta[o] -= 1.0
    return float(loss), U.T @ delta, np.outer(delta, v_c)


def get_negative_samples(o: int, dataset: DummyDataset, K: int, reject_outside: bool = True) -> list[int]:
    """K word indices drawn with replacement, so the same word may come twice or more; the course redraws any that
    is the outside word o (``reject_outside``), word2vec's original sampler does not."""
    samples = []
    for _ in range(K):
        k = dataset.sample_token_idx()
        while reject_outside and k == o:
            k = dataset.sample_token_idx()
        samples.append(k)
    return samples


def neg_sampling_loss_and_gradient(v_c: np.ndarray, o: int, U: np.ndarray, dataset: DummyDataset, K: int = 10,
                                   reject_outside: bool = True) -> tuple[float, np.ndarray, np.ndarray]:
    """J = -log sigma(u_o . v_c) - sum_k log sigma(-u_k . v_c) over the K samples.

    dJ/dv_c = -(1 - sigma(u_o . v_c)) u_o + sum_k (1 - sigma(-u_k . v_c)) u_k
    dJ/du_o = -(1 - sigma(u_o . v_c)) v_c,   dJ/du_k = (1 - sigma(-u_k . v_c)) v_c for each draw of k: a word drawn
    twice gets the term twice, which ``np.add.at`` adds (``grad[idx] += terms`` would keep one of them)."""
    negatives = get_negative_samples(o, dataset, K, reject_outside)
    return neg_sampling_from_indices(v_c, o, U, negatives)


def neg_sampling_from_indices(v_c: np.ndarray, o: int, U: np.ndarray,
                              negatives: list[int]) -> tuple[float, np.ndarray, np.ndarray]:
    """``neg_sampling_loss_and_gradient`` for given negative indices (drawn beforehand)."""
    idx = np.asarray(negatives, dtype=int)
    s_o = sigmoid(U[o] @ v_c)
    s_k = sigmoid(-(U[idx] @ v_c))                   # (K,): sigma(-u_k . v_c), one per draw
    loss = -np.log(s_o) - np.sum(np.log(s_k))
    grad_v = -(1.0 - s_o) * U[o] + (1.0 - s_k) @ U[idx]
    grad_U = np.zeros_like(U)
    grad_U[o] += -(1.0 - s_o) * v_c
    np.add.at(grad_U, idx, np.outer(1.0 - s_k, v_c))
    return float(loss), grad_v, grad_U


def neg_sampling_gradient_buggy(v_c: np.ndarray, o: int, U: np.ndarray, negatives: list[int]) -> np.ndarray:
    """The classic mistake: ``grad_U[idx] += terms`` with a repeated index writes each repeated row once (numpy's
    buffered fancy assignment), so a word drawn twice gets one of its two terms."""
    idx = np.asarray(negatives, dtype=int)
    s_o = sigmoid(U[o] @ v_c)
    s_k = sigmoid(-(U[idx] @ v_c))
    grad_U = np.zeros_like(U)
    grad_U[o] += -(1.0 - s_o) * v_c
    grad_U[idx] += np.outer(1.0 - s_k, v_c)
    return grad_U


def skipgram(centre_word: str, window: int, outside_words: list[str], word2ind: dict, V: np.ndarray,
             U: np.ndarray, dataset: object, loss_and_gradient: Callable) -> tuple[float, np.ndarray, np.ndarray]:
    """The skip-gram loss of one window: the sum over its outside words o of J(v_c, o, U); the gradient towards
    the centre vectors V is 0 except in the centre word's row. (``window`` is the course's C, unused here: the
    outside words are already the window's.)"""
    c = word2ind[centre_word]
    loss, grad_V, grad_U = 0.0, np.zeros_like(V), np.zeros_like(U)
    for word in outside_words:
        j, g_v, g_U = loss_and_gradient(V[c], word2ind[word], U, dataset)
        loss += j
        grad_V[c] += g_v
        grad_U += g_U
    return loss, grad_V, grad_U


def word2vec_sgd_wrapper(model: Callable, word2ind: dict, word_vectors: np.ndarray, dataset: DummyDataset,
                         window: int, loss_and_gradient: Callable, batch: int = 50) -> tuple[float, np.ndarray]:
    """The loss averaged over ``batch`` random windows, each of a random size 1..window, with the centre vectors in
    the top half of ``word_vectors`` and the outside vectors in the bottom half; its gradient stacked the same way."""
    n = word_vectors.shape[0] // 2
    V, U = word_vectors[:n], word_vectors[n:]
    loss, grad = 0.0, np.zeros_like(word_vectors)
    for _ in range(batch):
        size = random.randint(1, window)
        centre, context = dataset.get_random_context(size)
        j, g_v, g_u = model(centre, size, context, word2ind, V, U, dataset, loss_and_gradient)
        loss += j / batch
        grad[:n] += g_v / batch
        grad[n:] += g_u / batch
    return loss, grad


def sgd(f: Callable, x0: np.ndarray, step: float, iterations: int, anneal_every: int = 20000,
        postprocessing: Callable | None = None) -> tuple[np.ndarray, list[float], list[float]]:
    """The course's SGD: x <- x - step * grad f(x), the step halved after every ``anneal_every`` iterations (counted
    from 1); returns x, each iteration's loss and the step it was taken with."""
    x = x0.copy()
    losses, steps = [], []
    for it in range(1, iterations + 1):
        loss, grad = f(x)
        x -= step * grad
        if postprocessing is not None:
            x = postprocessing(x)
        losses.append(loss)
        steps.append(step)
        if it % anneal_every == 0:
            step *= 0.5
    return x, losses, steps


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """Each row divided by its length (the course's optional postprocessing of the word vectors)."""
    return x / np.sqrt(np.sum(x * x, axis=1, keepdims=True))


# --- the neural dependency parser's classifier ----------------------------------------------------------------------


def parser_forward_backward(E: np.ndarray, W: np.ndarray, b1: np.ndarray, U: np.ndarray, b2: np.ndarray,
                            w: np.ndarray, y: np.ndarray) -> tuple[float, dict]:
    """x = E[w] flattened per row (batch, features * d), h = relu(x W + b1), logits = h U + b2, the loss the mean
    cross-entropy of the transitions y. The embedding's gradient scatters each row's dx back to the word ids that
    made it, added where an id appears twice or more (NULL fills most feature slots)."""
    B, n = w.shape
    d = E.shape[1]
    x = E[w].reshape(B, n * d)
    z = x @ W + b1
    h = np.maximum(z, 0.0)
    p = softmax(h @ U + b2)
    loss = -np.mean(np.log(p[np.arange(B), y]))
    d_logits = p.copy()
    d_logits[np.arange(B), y] -= 1.0
    d_logits /= B
    d_h = d_logits @ U.T
    d_z = d_h * (z > 0)
    d_x = d_z @ W.T
    d_E = np.zeros_like(E)
    np.add.at(d_E, w, d_x.reshape(B, n, d))
    return float(loss), {"E": d_E, "W": x.T @ d_z, "b1": d_z.sum(axis=0), "U": h.T @ d_logits,
                         "b2": d_logits.sum(axis=0)}
