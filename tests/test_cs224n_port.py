"""Stanford CS224n's word2vec assignment and its numpy warm-ups ported onto deltagrad: each hand-derived gradient
(tests/cs224n_exercises.py) against central differences as the course checks them (``gradcheck_naive``, which
restores Python's random state before every evaluation), against deltagrad's automatic gradient written as a
student of the course would write the loss (numpy calls on Tensors, Tensor ops, arrays of Values, nn layers and
optimizers), and against PyTorch's.

The course's layout: the centre vectors V and the outside vectors U are (n_words, d), one word per row; a centre
vector v_c is a row of V, (d,); scores are U v_c. Negative samples are drawn with replacement, so a word may come
twice and its row of dJ/dU must get both terms: where a hand gradient needs np.add.at, the engines' U[idx] scatters
back by itself.
"""

import ast
import random
import re

import cs224n_exercises as ex
import numpy as np
import pytest

import autograd
from autograd import Tensor, Value, no_grad
from nn import SGD, Adam, Dropout, Linear, Module, losses

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - torch is in the dev extras
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")

WORDS, D = 5, 3
WORD2IND = {w: i for i, w in enumerate(ex.DummyDataset.tokens)}
NEGATIVES = [3, 3, 0, 3, 4]                       # word 3 drawn three times
WITH_OUTSIDE = [1, 3, 1, 1]                        # the outside word 1 drawn as a negative too (word2vec's sampler)


@pytest.fixture(autouse=True)
def _keep_pythons_random_state():
    """The course samples with Python's ``random``, which these tests seed: the rest of the suite gets it back."""
    state = random.getstate()
    yield
    random.setstate(state)


def vectors(seed: int = 224) -> tuple[np.ndarray, np.ndarray]:
    """Centre and outside vectors (5, 3), as the course's sanity check draws them (normal, rows not normalised)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(WORDS, D)), rng.normal(size=(WORDS, D))


def torch_of(a: np.ndarray, grad: bool = True) -> "torch.Tensor":
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def tight(a, b, rtol: float = 1e-12) -> None:
    np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-15)


def grads_of(values: np.ndarray) -> np.ndarray:
    """The .grad of each Value in an object array, as floats of its shape."""
    return np.vectorize(lambda v: v.grad, otypes=[float])(values)


def values_of(a: np.ndarray) -> np.ndarray:
    """An object array of Values, one leaf per entry."""
    return np.vectorize(Value, otypes=[object])(a)


def test_the_witness_imports_no_engine():
    tree = ast.parse(open(ex.__file__, encoding="utf-8").read())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"__future__", "collections", "random", "numpy"}


# --- warm-ups: softmax, sigmoid, the course's gradient check --------------------------------------------------------


def softmax_as_the_course_writes_it(x):
    """The warm-up's softmax, written with augmented assignments (on a numpy array they also change the caller's)."""
    if len(x.shape) > 1:
        x -= np.max(x, axis=1).reshape((x.shape[0], 1))
        x = np.exp(x)
        x /= np.sum(x, axis=1).reshape((x.shape[0], 1))
    else:
        x -= np.max(x)
        x = np.exp(x)
        x /= np.sum(x)
    return x


def softmax_on_tensors(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


def test_softmax_of_rows_is_stable_and_its_gradient_is_tensor_softmaxs_and_torchs():
    X = np.array([[1001.0, 1002.0], [3.0, 4.0], [-1000.0, -999.0]])
    p = ex.softmax(X)
    e = np.exp(1.0)                                                    # each row is [a, a + 1]: e^0, e^1 over the sum
    tight(p, np.tile([1 / (1 + e), e / (1 + e)], (3, 1)), 1e-15)
    tight(ex.softmax(np.array([1.0, 2.0])), p[1], 1e-15)              # a vector is one row
    weights = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 0.25]])
    # d/dx_j sum_i w_i p_i = p_j (w_j - sum_i w_i p_i), by hand
    by_hand = p * (weights - np.sum(weights * p, axis=1, keepdims=True))
    for spelling in ("numpy calls", "Tensor.softmax", "the course's, on a node"):
        t = Tensor(X, requires_grad=True)
        out = {"numpy calls": softmax_on_tensors, "Tensor.softmax": lambda t: t.softmax(axis=1),
               "the course's, on a node": lambda t: softmax_as_the_course_writes_it(t * 1.0)}[spelling](t)
        (out * weights).sum().backward()
        tight(out.data, p, 1e-15)
        tight(t.grad, by_hand, 1e-13)
    if torch is not None:
        tp = torch_of(X)
        (torch.softmax(tp, dim=1) * torch.tensor(weights)).sum().backward()
        tight(tp.grad.numpy(), by_hand, 1e-13)


def test_the_courses_in_place_softmax_on_a_leaf_is_told_to_write_x_equals_x_minus():
    # softmax(x) with x -= np.max(x) on a leaf Tensor (a student checking their softmax on Tensor(..., requires_grad=
    # True)) was told only "Update parameters inside no_grad() ... or change w.data": advice for an update step
    x = np.array([[1001.0, 1002.0], [3.0, 4.0]])
    with pytest.raises(RuntimeError, match=re.escape("in a computation on it (a softmax's x -= x.max()), write "
                                                     "x = x - ...: a new node")):
        softmax_as_the_course_writes_it(Tensor(x, requires_grad=True))
    with pytest.raises(RuntimeError, match=re.escape("write x = x / ...")):
        t = Tensor(x, requires_grad=True)
        t /= 2.0
    tight(softmax_as_the_course_writes_it(x.copy()), ex.softmax(x), 1e-15)


def test_the_warm_ups_softmax_test_on_values_is_told_to_shift():
    # softmax([1001, 1002]), the warm-up's own test, written without the shift on an array of Values: exp(1001)
    # overflows, and the refusal named sigmoid only
    x = values_of(np.array([1001.0, 1002.0]))
    with pytest.raises(ValueError, match=re.escape("for a softmax of an array of Values subtract its largest number "
                                                   "first, np.exp(x - max(v.data for v in x))")):
        np.exp(x) / np.sum(np.exp(x))
    e = np.exp(x - max(v.data for v in x))
    p = e / np.sum(e)
    p[1].backward()                                                   # dp_1/dx = p_1 (onehot_1 - p)
    tight([v.data for v in p], ex.softmax(np.array([1001.0, 1002.0])), 1e-15)
    tight(grads_of(x), p[1].data * (np.array([0.0, 1.0]) - ex.softmax(np.array([1.0, 2.0]))), 1e-15)


def test_sigmoid_and_sigmoid_grad_are_both_engines_and_torchs():
    x = np.array([-40.0, -2.5, -0.1, 0.0, 0.7, 3.0, 40.0])
    s = ex.sigmoid(x)
    tight(s, [1 / (1 + np.exp(-v)) for v in x], 1e-15)                # the lecture's formula, fine at +-40
    slope = ex.sigmoid_grad(s)
    t = Tensor(x, requires_grad=True)
    t.sigmoid().sum().backward()
    tight(t.grad, slope, 1e-14)
    for v, g in zip(x, slope):
        value = Value(v)
        (1 / (1 + (-value).exp())).backward()                       # as the course writes it, on a Value
        tight(value.grad, g, 1e-13)
    (numeric,) = autograd.numerical_grad(lambda t: t.sigmoid().sum(), [Tensor(x[1:-1])])
    tight(numeric, slope[1:-1], 1e-8)
    if torch is not None:
        tp = torch_of(x)
        torch.sigmoid(tp).sum().backward()
        tight(tp.grad.numpy(), slope, 1e-14)


def test_gradcheck_naive_passes_a_right_gradient_names_a_wrong_one_and_replays_the_random_draws():
    x = np.array([[0.5, -1.5], [2.0, 0.25]])
    assert ex.gradcheck_naive(lambda x: (np.sum(x ** 2), 2 * x), x.copy()) == []
    failures = ex.gradcheck_naive(lambda x: (np.sum(x ** 2), 2 * x * np.array([[1, 1], [1, 1.1]])), x.copy())
    assert [ix for ix, *_ in failures] == [(1, 1)]
    tight(failures[0][1:], (0.55, 0.5), 1e-8)

    def noisy(x):                                    # a random weight per call, replayed by the restored state
        w = random.random()
        return w * np.sum(x ** 2), 2 * w * x

    random.seed(0)
    assert ex.gradcheck_naive(noisy, x.copy()) == []


def test_warm_up_net_one_flat_parameter_tensor_gives_the_hand_gradient():
    # The warm-up keeps W1, b1, W2, b2 in one flat vector; the student slices it the same way on a Tensor
    rng = np.random.default_rng(1)
    dims, N = (4, 5, 3), 6
    X, labels = rng.normal(size=(N, 4)), np.eye(3)[rng.integers(0, 3, size=N)]
    params = rng.normal(size=4 * 5 + 5 + 5 * 3 + 3)
    cost, grad = ex.forward_backward_prop(X, labels, params, dims)
    assert ex.gradcheck_naive(lambda p: ex.forward_backward_prop(X, labels, p, dims), params.copy()) == []
    theta = Tensor(params, requires_grad=True)
    W1, b1, W2, b2 = ex.unpack(theta, dims)                          # the same slicing and reshapes, on a Tensor
    hidden = 1 / (1 + np.exp(-(X @ W1 + b1)))
    out = -np.sum(labels * np.log(softmax_on_tensors(hidden @ W2 + b2)))
    out.backward()
    tight(out.item(), cost, 1e-14)
    tight(theta.grad, grad, 1e-12)
    if torch is not None:
        tp = torch_of(params)
        W1, b1, W2, b2 = ex.unpack(tp, dims)
        outp = F.cross_entropy(torch.sigmoid(torch_of(X, False) @ W1 + b1) @ W2 + b2, torch.tensor(labels),
                               reduction="sum")
        outp.backward()
        tight(tp.grad.numpy(), grad, 1e-12)


# --- word2vec: the naive softmax -------------------------------------------------------------------------------------


def naive_on_tensors(v_c, o, U):
    """J = -log softmax(U v_c)_o as the student writes it: numpy calls on Tensors, the stable shift included."""
    return -np.log(softmax_on_tensors(U @ v_c)[o])


def naive_on_values(v_c, o, U):
    """The same on arrays of Values; the shift is a constant, taken from the numbers."""
    scores = U @ v_c
    e = np.exp(scores - max(s.data for s in scores))
    return -np.log(e[o] / np.sum(e))


def test_naive_softmax_gradients_are_the_formulas_and_pass_the_course_check():
    V, U = vectors()
    c, o = 2, 1
    loss, g_v, g_U = ex.naive_softmax_loss_and_gradient(V[c], o, U)
    y_hat = ex.softmax(U @ V[c])
    tight(loss, -np.log(y_hat[o]), 1e-15)
    assert ex.gradcheck_naive(lambda v: ex.naive_softmax_loss_and_gradient(v, o, U)[:2], V[c].copy()) == []
    assert ex.gradcheck_naive(lambda u: ex.naive_softmax_loss_and_gradient(V[c], o, u)[::2], U.copy()) == []
    assert np.linalg.matrix_rank(g_U) == 1                           # (y_hat - y) v_c^T: an outer product


@pytest.mark.parametrize("engine", ["Tensor numpy calls", "Tensor log_softmax", "Values", "torch"])
def test_naive_softmax_gradients_are_the_engines(engine):
    V, U = vectors()
    c, o = 2, 1
    loss, g_v, g_U = ex.naive_softmax_loss_and_gradient(V[c], o, U)
    if engine == "torch":
        if torch is None:
            pytest.skip("torch is not installed")
        v, u = torch_of(V[c]), torch_of(U)
        out = F.cross_entropy((u @ v)[None], torch.tensor([o]))
        out.backward()
        got = out.item(), v.grad.numpy(), u.grad.numpy()
    elif engine == "Values":
        v, u = values_of(V[c]), values_of(U)
        out = naive_on_values(v, o, u)
        out.backward()
        got = out.data, grads_of(v), grads_of(u)
    else:
        v, u = Tensor(V[c], requires_grad=True), Tensor(U, requires_grad=True)
        out = naive_on_tensors(v, o, u) if engine == "Tensor numpy calls" else -(u @ v).log_softmax()[o]
        out.backward()
        got = out.item(), v.grad, u.grad
    tight(got[0], loss, 1e-14)
    tight(got[1], g_v, 1e-13)
    tight(got[2], g_U, 1e-13)


def test_np_max_of_values_names_the_softmax_shift():
    # the stable softmax on an array of Values, e = np.exp(x - np.max(x)), was refused with advice about relu and
    # max(values, key=...), nothing about the shift being a constant
    V, U = vectors()
    scores = values_of(U) @ values_of(V[2])
    with pytest.raises(TypeError, match=re.escape("a stable softmax's shift np.max(x) is a constant, the largest "
                                                  "number: x - max(v.data for v in x)")):
        np.exp(scores - np.max(scores))


# --- word2vec: negative sampling, with repeated draws ---------------------------------------------------------------


def neg_on_tensors(v_c, o, U, negatives):
    """J = -log sigma(u_o . v_c) - sum_k log sigma(-u_k . v_c), U[negatives] gathering a row per draw."""
    sigmoid = lambda x: 1 / (1 + np.exp(-x))                          # noqa: E731 (the course's one-liner)
    return -np.log(sigmoid(U[o] @ v_c)) - np.sum(np.log(sigmoid(-(U[negatives] @ v_c))))


def neg_as_logistic_regression(v_c, o, U, negatives):
    """The same loss read as logistic regression: the outside word's score labelled 1, each draw's labelled 0."""
    targets = np.array([1.0] + [0.0] * len(negatives))
    return losses.binary_cross_entropy_with_logits(U[[o] + list(negatives)] @ v_c, targets, reduction="sum")


def neg_in_a_loop(v_c, o, U, negatives):
    """The same, one draw at a time, with Tensor methods."""
    loss = -(U[o].dot(v_c)).sigmoid().log()
    for k in negatives:
        loss = loss - (-U[k].dot(v_c)).sigmoid().log()
    return loss


@pytest.mark.parametrize("negatives", [NEGATIVES, WITH_OUTSIDE], ids=["repeats", "repeats-the-outside-word"])
def test_negative_sampling_gradient_adds_every_draw_of_a_word(negatives):
    V, U = vectors()
    c, o = 2, 1
    loss, g_v, g_U = ex.neg_sampling_from_indices(V[c], o, U, negatives)
    assert ex.gradcheck_naive(lambda u: ex.neg_sampling_from_indices(V[c], o, u, negatives)[::2], U.copy()) == []
    assert ex.gradcheck_naive(lambda v: ex.neg_sampling_from_indices(v, o, U, negatives)[:2], V[c].copy()) == []
    # row by row, from the formula: each draw of k adds (1 - sigma(-u_k . v_c)) v_c, the outside word's own term
    # -(1 - sigma(u_o . v_c)) v_c comes once
    expected = np.zeros_like(U)
    expected[o] -= (1 - ex.sigmoid(U[o] @ V[c])) * V[c]
    for k in negatives:
        expected[k] += (1 - ex.sigmoid(-U[k] @ V[c])) * V[c]
    tight(g_U, expected, 1e-14)
    # the classic mistake, grad[idx] += terms, keeps one draw of each repeated word: it differs at those rows only
    buggy = ex.neg_sampling_gradient_buggy(V[c], o, U, negatives)
    repeated = sorted({k for k in negatives if negatives.count(k) > 1})
    assert sorted(np.flatnonzero(np.abs(buggy - g_U).max(axis=1) > 1e-3)) == repeated
    for f in (neg_on_tensors, neg_in_a_loop, neg_as_logistic_regression):   # a gather, a loop, nn's loss
        v, u = Tensor(V[c], requires_grad=True), Tensor(U, requires_grad=True)
        out = f(v, o, u, negatives)
        out.backward()
        tight(out.item(), loss, 1e-14)
        tight(v.grad, g_v, 1e-13)
        tight(u.grad, g_U, 1e-13)
    v, u = values_of(V[c]), values_of(U)
    out = neg_on_tensors(v, o, u, negatives)                         # the same numpy calls on arrays of Values
    out.backward()
    tight(out.data, loss, 1e-14)
    tight(grads_of(u), g_U, 1e-13)
    tight(grads_of(v), g_v, 1e-13)


@needs_torch
def test_negative_sampling_gradient_is_torchs_gather_and_embedding():
    V, U = vectors()
    c, o = 2, 1
    loss, g_v, g_U = ex.neg_sampling_from_indices(V[c], o, U, NEGATIVES)
    for gather in ("index", "embedding"):
        v, u = torch_of(V[c]), torch_of(U)
        rows = u[NEGATIVES] if gather == "index" else F.embedding(torch.tensor(NEGATIVES), u)
        out = -F.logsigmoid(u[o] @ v) - F.logsigmoid(-(rows @ v)).sum()
        out.backward()
        tight(out.item(), loss, 1e-14)
        tight(v.grad.numpy(), g_v, 1e-13)
        tight(u.grad.numpy(), g_U, 1e-13)


def test_sampling_inside_the_loss_gradcheck_names_it_and_the_restored_state_passes():
    V, U = vectors()
    dataset = ex.DummyDataset()

    def sampled(v, u):                                # draws its K = 10 negatives on each call, as the course's
        return neg_on_tensors(v, 1, u, ex.get_negative_samples(1, dataset, 10))

    random.seed(31415)
    with pytest.raises(ValueError, match=r"gradcheck: f gave .* at the same inputs.*random\.setstate\(state\)"):
        autograd.gradcheck(sampled, [Tensor(V[2], requires_grad=True), Tensor(U, requires_grad=True)])
    state = random.getstate()

    def replayed(v, u):                               # the course's way: the state restored before each evaluation
        random.setstate(state)
        return sampled(v, u)

    assert autograd.gradcheck(replayed, [Tensor(V[2], requires_grad=True), Tensor(U, requires_grad=True)])
    random.setstate(state)
    loss, g_v, g_U = ex.neg_sampling_loss_and_gradient(V[2], 1, U, dataset, K=10)
    u = Tensor(U, requires_grad=True)
    out = replayed(Tensor(V[2]), u)
    out.backward()
    tight(out.item(), loss, 1e-14)
    tight(u.grad, g_U, 1e-13)


# --- skip-gram over a window, the SGD wrapper, annealing -----------------------------------------------------------


def naive_loss(v_c, o, U, dataset):
    return naive_on_tensors(v_c, o, U)


def neg_loss(v_c, o, U, dataset, K=4):
    return neg_on_tensors(v_c, o, U, ex.get_negative_samples(o, dataset, K))


def skipgram_on_tensors(centre, outside_words, V, U, dataset, loss_fn):
    """The window's loss: the sum over its outside words, v_c a row of the centre vectors."""
    v_c = V[WORD2IND[centre]]
    return sum(loss_fn(v_c, WORD2IND[w], U, dataset) for w in outside_words)


def wrapper_on_tensors(word_vectors, dataset, window, loss_fn, batch):
    """The SGD wrapper on one leaf Tensor: its top half the centre vectors, its bottom half the outside ones."""
    n = word_vectors.shape[0] // 2
    V, U = word_vectors[:n], word_vectors[n:]
    loss = 0.0
    for _ in range(batch):
        size = random.randint(1, window)
        centre, context = dataset.get_random_context(size)
        loss = loss + skipgram_on_tensors(centre, context, V, U, dataset, loss_fn) / batch
    return loss


def hand_neg(v_c, o, U, dataset):
    return ex.neg_sampling_loss_and_gradient(v_c, o, U, dataset, K=4)


@pytest.mark.parametrize("which", ["naive", "negative sampling"])
def test_skipgram_wrapper_gradient_passes_the_course_check_and_is_deltagrads(which):
    hand = ex.naive_softmax_loss_and_gradient if which == "naive" else hand_neg
    ours = naive_loss if which == "naive" else neg_loss
    dataset = ex.DummyDataset()
    rng = np.random.default_rng(9265)
    word_vectors = ex.normalize_rows(rng.normal(size=(2 * WORDS, D)))

    def course(vec):
        return ex.word2vec_sgd_wrapper(ex.skipgram, WORD2IND, vec, dataset, 3, hand, batch=4)

    random.seed(31415)
    assert ex.gradcheck_naive(course, word_vectors.copy()) == []
    state = random.getstate()
    loss, grad = course(word_vectors)
    random.setstate(state)
    wv = Tensor(word_vectors, requires_grad=True)
    out = wrapper_on_tensors(wv, dataset, 3, ours, batch=4)
    out.backward()
    tight(out.item(), loss, 1e-13)
    tight(wv.grad, grad, 1e-12)
    assert (grad[:WORDS] == 0).all(axis=1).any()                     # a word never at the centre: its row is 0


def test_course_sgd_with_annealing_is_nn_sgd_with_its_lr_halved():
    dataset = ex.DummyDataset()
    rng = np.random.default_rng(0)
    x0 = ex.normalize_rows(rng.normal(size=(2 * WORDS, D)))

    def course_f(vec):
        return ex.word2vec_sgd_wrapper(ex.skipgram, WORD2IND, vec, dataset, 2, hand_neg, batch=3)

    random.seed(1)
    x, costs, steps = ex.sgd(course_f, x0, 0.3, 6, anneal_every=2)
    assert steps == [0.3, 0.3, 0.15, 0.15, 0.075, 0.075]
    random.seed(1)
    wv = Tensor(x0.copy(), requires_grad=True)
    opt = SGD([wv], lr=0.3)
    ours = []
    for it in range(1, 7):
        opt.zero_grad()
        loss = wrapper_on_tensors(wv, dataset, 2, neg_loss, batch=3)
        loss.backward()
        opt.step()
        ours.append(loss.item())
        if it % 2 == 0:
            opt.lr *= 0.5                                           # the course's step *= 0.5
    tight(ours, costs, 1e-12)
    tight(wv.data, x, 1e-12)
    assert np.abs(x - x0).max() > 1e-2


def test_normalize_rows_with_np_linalg_norm_is_told_to_keep_the_axis():
    # the course's normalizeRows, x / np.linalg.norm(x, axis=1, keepdims=True): the refusal's hint dropped keepdims,
    # "(t ** 2).sum(axis) ** 0.5", which divides a square x by the norms across its columns, silently
    x = np.array([[3.0, 4.0, 0.0], [1.0, 2.0, 2.0], [0.5, -0.5, 0.5]])
    with pytest.raises(TypeError, match=re.escape("(t ** 2).sum(axis, keepdims=True) ** 0.5 for keepdims=True")):
        np.linalg.norm(Tensor(x, requires_grad=True), axis=1, keepdims=True)
    t = Tensor(x, requires_grad=True)
    out = t / (t ** 2).sum(1, keepdims=True) ** 0.5
    tight(out.data, ex.normalize_rows(x), 1e-15)
    tight(out.data, x / np.linalg.norm(x, axis=1, keepdims=True), 1e-15)
    assert not np.allclose((t / (t ** 2).sum(1) ** 0.5).data, out.data)      # the hint without keepdims
    weights = np.arange(9.0).reshape(3, 3)
    (out * weights).sum().backward()
    # d(x_j / r)/dx_i = (delta_ij - y_i y_j) / r row by row, with y = x / r: g (I - y y^T) / r
    y, r = ex.normalize_rows(x), np.linalg.norm(x, axis=1, keepdims=True)
    tight(t.grad, (weights - np.sum(weights * y, axis=1, keepdims=True) * y) / r, 1e-14)


# --- the dependency parser's embedding lookup ------------------------------------------------------------------------


def parser_problem(seed: int = 3):
    rng = np.random.default_rng(seed)
    B, n, d, H, words = 4, 6, 3, 5, 9
    w = rng.integers(0, 7, size=(B, n))                             # words 7 and 8 are not in this batch
    w[:, :3] = 0                                                    # NULL in half of every row's feature slots
    return (rng.normal(size=(words, d)), 0.3 * rng.normal(size=(n * d, H)), 0.1 * rng.normal(size=H),
            rng.normal(size=(H, 3)), np.zeros(3), w, np.array([0, 2, 1, 2]))


def test_parser_embedding_lookup_gradient_adds_every_repeated_word_id():
    E, W, b1, U, b2, w, y = parser_problem()
    loss, grads = ex.parser_forward_backward(E, W, b1, U, b2, w, y)
    numeric = ex.gradcheck_naive(lambda e: (ex.parser_forward_backward(e, W, b1, U, b2, w, y)[0],
                                            ex.parser_forward_backward(e, W, b1, U, b2, w, y)[1]["E"]), E.copy())
    assert numeric == []
    B = len(w)
    Et, Wt = Tensor(E, requires_grad=True), Tensor(W, requires_grad=True)
    hidden = Linear(W.shape[0], W.shape[1])                          # nn's Linear: weight (out, in), W^T here
    hidden.weight.data[...], hidden.bias.data[...] = W.T, b1
    h = hidden(Et[w].view(B, -1)).relu()
    out = losses.cross_entropy(h @ U + b2, y)
    out.backward()
    tight(out.item(), loss, 1e-14)
    tight(Et.grad, grads["E"], 1e-12)
    tight(hidden.weight.grad.T, grads["W"], 1e-12)
    tight(hidden.bias.grad, grads["b1"], 1e-12)
    assert np.count_nonzero(w == 0) > B * 3 and not np.allclose(grads["E"][0], 0)
    h2 = (Et[w].reshape(B, -1) @ Wt + b1).relu()                      # the same by hand, W as the course's (in, out)
    losses.cross_entropy(h2 @ U + b2, y).backward()
    tight(Wt.grad, grads["W"], 1e-12)
    tight(Et.grad, 2 * grads["E"], 1e-12)                            # gradients add up across backward() calls
    if torch is not None:
        Ep, Wp = torch_of(E), torch_of(W)
        hp = torch.relu(F.embedding(torch.tensor(w), Ep).reshape(B, -1) @ Wp + torch.tensor(b1))
        F.cross_entropy(hp @ torch.tensor(U) + torch.tensor(b2), torch.tensor(y)).backward()
        tight(Ep.grad.numpy(), grads["E"], 1e-12)
        tight(Wp.grad.numpy(), grads["W"], 1e-12)


class ParserModel(Module):
    """The parser's classifier as the course builds it in PyTorch, on nn: an embedding matrix looked up by word id,
    a hidden relu layer, dropout and the logits of the three transitions."""

    def __init__(self, E: np.ndarray, W: np.ndarray, b1: np.ndarray, U: np.ndarray, b2: np.ndarray, p: float):
        self.embeddings = Tensor(E, requires_grad=True)
        self.embed_to_hidden = Linear(W.shape[0], W.shape[1])
        self.embed_to_hidden.weight.data[...], self.embed_to_hidden.bias.data[...] = W.T, b1
        self.dropout = Dropout(p=p, seed=0)
        self.hidden_to_logits = Linear(U.shape[0], U.shape[1])
        self.hidden_to_logits.weight.data[...], self.hidden_to_logits.bias.data[...] = U.T, b2

    def forward(self, w: np.ndarray) -> Tensor:
        x = self.embeddings[w].view(w.shape[0], -1)
        return self.hidden_to_logits(self.dropout(self.embed_to_hidden(x).relu()))


def test_parser_model_trains_its_embeddings_with_adam_as_the_hand_gradients_do():
    E, W, b1, U, b2, w, y = parser_problem()
    model = ParserModel(E, W, b1, U, b2, p=0.0)
    assert [name for name, _ in model.named_parameters()][0] == "embeddings"
    opt = Adam(model.parameters(), lr=0.01)
    params = {"E": E.copy(), "W": W.copy(), "b1": b1.copy(), "U": U.copy(), "b2": b2.copy()}
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(v) for k, v in params.items()}
    for t in range(1, 4):
        opt.zero_grad()
        loss = losses.cross_entropy(model(w), y)
        loss.backward()
        opt.step()
        hand_loss, grads = ex.parser_forward_backward(*params.values(), w, y)
        tight(loss.item(), hand_loss, 1e-13)
        for k, g in grads.items():                                 # Adam by hand, PyTorch's defaults
            m[k] = 0.9 * m[k] + 0.1 * g
            v[k] = 0.999 * v[k] + 0.001 * g * g
            params[k] -= 0.01 * (m[k] / (1 - 0.9 ** t)) / (np.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-8)
    tight(model.embeddings.data, params["E"], 1e-12)
    tight(model.embed_to_hidden.weight.data.T, params["W"], 1e-12)
    assert np.abs(params["E"] - E).max() > 0.02                      # every word id used has moved ...
    unused = sorted(set(range(len(E))) - set(w.ravel()))
    assert unused and np.array_equal(params["E"][unused], E[unused])  # ... and only those
    dropped = ParserModel(E, W, b1, U, b2, p=0.5)
    assert not np.allclose(dropped(w).data, dropped.eval()(w).data)   # dropout in train mode only


# --- gathers and outer products with repeated indices, both engines against torch ------------------------------------


GATHERS = {
    "rows, repeated": lambda t: t[[3, 3, 0, 3, 1]],
    "a row twice by a negative index": lambda t: t[[4, -1, 4]],
    "columns, repeated": lambda t: t[:, [2, 2, 0]],
    "pairs, repeated": lambda t: t[[1, 1, 2, 1], [0, 0, 3, 0]],
    "a 2-D index array": lambda t: t[np.array([[0, 0, 1], [4, 0, 0]])],
    "a gather of a gather": lambda t: t[[3, 3, 0]][[0, 0, 2]],
    "an int and a repeated list": lambda t: t[2, [1, 1, 3]],
    "broadcast index arrays": lambda t: t[np.array([[0], [0], [3]]), np.array([1, 1])],
}


@pytest.mark.parametrize("name", GATHERS)
def test_gathers_with_repeated_indices_scatter_back_as_torchs_and_as_values(name):
    rng = np.random.default_rng(len(name))
    U = rng.normal(size=(5, 4))
    t = Tensor(U, requires_grad=True)
    out = GATHERS[name](t)
    g = rng.normal(size=out.shape)
    out.backward(gradient=g)
    expected = np.zeros_like(U)                                      # by hand: each picked entry's g added back
    flat = GATHERS[name](np.arange(U.size).reshape(U.shape))
    np.add.at(expected.reshape(-1), flat.reshape(-1), g.reshape(-1))
    assert np.array_equal(out.data, GATHERS[name](U))
    tight(t.grad, expected, 1e-15)
    objects = values_of(U)
    picked = GATHERS[name](objects)
    np.sum(picked * g).backward()
    tight(grads_of(objects), expected, 1e-15)
    if torch is not None:
        tp = torch_of(U)
        (GATHERS[name](tp) * torch.tensor(g)).sum().backward()   # a scalar: no sympy import for a seed
        tight(tp.grad.numpy(), expected, 1e-15)


def test_outer_product_gradients_are_the_formulas_on_both_engines():
    # dJ/dU = (y_hat - y) v_c^T as np.outer on the engines: d sum(G * outer(a, b)) / da = G b, / db = G^T a
    rng = np.random.default_rng(5)
    a, b, G = rng.normal(size=4), rng.normal(size=3), rng.normal(size=(4, 3))
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    np.outer(ta, tb).backward(gradient=G)
    tight(ta.grad, G @ b, 1e-14)
    tight(tb.grad, G.T @ a, 1e-14)
    va, vb = values_of(a), values_of(b)
    np.sum(np.outer(va, vb) * G).backward()
    tight(grads_of(va), G @ b, 1e-14)
    tight(grads_of(vb), G.T @ a, 1e-14)
    if torch is not None:
        pa, pb = torch_of(a), torch_of(b)
        (torch.outer(pa, pb) * torch.tensor(G)).sum().backward()
        tight(pa.grad.numpy(), G @ b, 1e-14)
        tight(pb.grad.numpy(), G.T @ a, 1e-14)


def test_sgd_on_a_gathered_row_moves_only_the_rows_drawn():
    # a step of the wrapper's SGD touches the rows of U the window used, the repeated one by the sum of its draws
    V, U = vectors()
    u = Tensor(U.copy(), requires_grad=True)
    opt = SGD([u], lr=0.5)
    neg_on_tensors(Tensor(V[2]), 1, u, NEGATIVES).backward()
    opt.step()
    _, _, g_U = ex.neg_sampling_from_indices(V[2], 1, U, NEGATIVES)
    tight(u.data, U - 0.5 * g_U, 1e-15)
    assert np.array_equal(u.data[2], U[2])                           # word 2 was neither drawn nor outside
    with no_grad():                                                  # the course's x -= step * grad, by hand
        u -= 0.5 * u.grad
    tight(u.data, U - g_U, 1e-15)
