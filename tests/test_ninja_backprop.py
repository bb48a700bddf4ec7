"""The "backprop ninja" exercise (Karpathy's makemore, part 4) on the Tensor engine: a character-level MLP written op
by op, as a student writes it - an embedding lookup C[Xb] with repeated characters, a reshape that concatenates, a
linear layer, batch norm by hand (mean, Bessel-corrected variance, (var + eps)^-0.5, gain and bias broadcast over the
batch), tanh, a second linear layer and cross-entropy by hand (logits - max, exp, sum, ^-1, log, the picks
logprobs[range(n), Yb], mean). Every intermediate keeps its gradient (retain_grad) and each one is checked against
two independent oracles: the gradient derived by hand, written below in numpy with its formula, and PyTorch
running the same forward pass from the same numbers in float64. The exercise's one-line shortcuts (cross-entropy's
dlogits and batch norm's dhprebn) are checked against the engine's fused softmax_cross_entropy and var(ddof=1)."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, detect_anomaly, grad, softmax_cross_entropy

torch = pytest.importorskip("torch")

VOCAB, N_EMBD, BLOCK, N_HIDDEN, N = 27, 10, 3, 64, 32      # the exercise's sizes: a batch of 32 three-letter contexts
EPS = 1e-5
RTOL = 1e-12

_rng = np.random.default_rng(2147483647)
XB = _rng.integers(0, VOCAB, (N, BLOCK))                     # 96 characters drawn from 27: rows of C picked repeatedly
YB = _rng.integers(0, VOCAB, N)
PARAMS = {                                                   # small random biases and gains near 1, as the exercise
    "C": _rng.normal(size=(VOCAB, N_EMBD)),                  # sets them, so that no gradient is 0 by accident
    "W1": _rng.normal(size=(N_EMBD * BLOCK, N_HIDDEN)) * (5 / 3) / (N_EMBD * BLOCK) ** 0.5,
    "b1": _rng.normal(size=N_HIDDEN) * 0.1,
    "W2": _rng.normal(size=(N_HIDDEN, VOCAB)) * 0.1,
    "b2": _rng.normal(size=VOCAB) * 0.1,
    "bngain": _rng.normal(size=(1, N_HIDDEN)) * 0.1 + 1.0,
    "bnbias": _rng.normal(size=(1, N_HIDDEN)) * 0.1,
}

INTERMEDIATES = ["logprobs", "probs", "counts_sum_inv", "counts_sum", "counts", "norm_logits", "logit_maxes", "logits",
                 "h", "hpreact", "bnraw", "bnvar_inv", "bnvar", "bndiff2", "bndiff", "bnmeani", "hprebn", "embcat",
                 "emb"]


def forward(leaf, tanh, rows_max, keep):
    """The exercise's forward pass, written once for both engines. leaf makes a parameter; tanh, rows_max and keep
    are what is spelt differently (deltagrad: h.tanh(), logits.max(1, keepdims=True), keepdims=; PyTorch:
    torch.tanh, logits.max(1, keepdim=True).values, keepdim=). Returns the parameters, the intermediates and the
    loss."""
    p = {name: leaf(value) for name, value in PARAMS.items()}
    n = N
    v = {}
    v["emb"] = p["C"][XB]                                    # (n, 3, 10): one row of C per character
    v["embcat"] = v["emb"].reshape(n, -1)                    # (n, 30): the three embeddings side by side
    v["hprebn"] = v["embcat"] @ p["W1"] + p["b1"]            # (n, 64)
    v["bnmeani"] = 1 / n * v["hprebn"].sum(0, **keep)        # (1, 64)
    v["bndiff"] = v["hprebn"] - v["bnmeani"]
    v["bndiff2"] = v["bndiff"] ** 2
    v["bnvar"] = 1 / (n - 1) * v["bndiff2"].sum(0, **keep)   # Bessel's correction: n - 1
    v["bnvar_inv"] = (v["bnvar"] + EPS) ** -0.5
    v["bnraw"] = v["bndiff"] * v["bnvar_inv"]
    v["hpreact"] = p["bngain"] * v["bnraw"] + p["bnbias"]
    v["h"] = tanh(v["hpreact"])
    v["logits"] = v["h"] @ p["W2"] + p["b2"]                 # (n, 27)
    v["logit_maxes"] = rows_max(v["logits"])                 # (n, 1)
    v["norm_logits"] = v["logits"] - v["logit_maxes"]        # e^x of x <= 0 cannot overflow
    v["counts"] = v["norm_logits"].exp()
    v["counts_sum"] = v["counts"].sum(1, **keep)
    v["counts_sum_inv"] = v["counts_sum"] ** -1
    v["probs"] = v["counts"] * v["counts_sum_inv"]
    v["logprobs"] = v["probs"].log()
    loss = -v["logprobs"][range(n), YB].mean()
    return p, v, loss


def deltagrad_forward():
    return forward(lambda a: Tensor(a, requires_grad=True), lambda t: t.tanh(), lambda t: t.max(1, keepdims=True),
                   {"keepdims": True})


def torch_forward():
    return forward(lambda a: torch.tensor(a, requires_grad=True), torch.tanh,
                   lambda t: t.max(1, keepdim=True).values, {"keepdim": True})


def backward_keeping_every_gradient(p, v, loss):
    """retain_grad() on every intermediate (as the exercise does), then loss.backward()."""
    for t in v.values():
        t.retain_grad()
    loss.backward()
    return p, v, loss


def by_hand():
    """The exercise's answer: the forward pass again in plain numpy, then every gradient derived by hand, from the
    loss back to C, each with its formula. Returns the forward values and the gradients (same names)."""
    p = PARAMS
    n = N
    emb = p["C"][XB]
    embcat = emb.reshape(n, -1)
    hprebn = embcat @ p["W1"] + p["b1"]
    bnmeani = hprebn.sum(0, keepdims=True) / n
    bndiff = hprebn - bnmeani
    bndiff2 = bndiff ** 2
    bnvar = bndiff2.sum(0, keepdims=True) / (n - 1)
    bnvar_inv = (bnvar + EPS) ** -0.5
    bnraw = bndiff * bnvar_inv
    hpreact = p["bngain"] * bnraw + p["bnbias"]
    h = np.tanh(hpreact)
    logits = h @ p["W2"] + p["b2"]
    logit_maxes = logits.max(1, keepdims=True)
    norm_logits = logits - logit_maxes
    counts = np.exp(norm_logits)
    counts_sum = counts.sum(1, keepdims=True)
    counts_sum_inv = counts_sum ** -1
    probs = counts * counts_sum_inv
    logprobs = np.log(probs)
    values = dict(locals())

    d = {}
    rows = np.arange(n)
    # loss = -(1/n) sum_i logprobs[i, Yb_i]: -1/n at each picked entry, 0 elsewhere
    d["logprobs"] = np.zeros_like(logprobs)
    d["logprobs"][rows, YB] = -1.0 / n
    # logprobs = log(probs): d/dprobs = 1 / probs
    d["probs"] = d["logprobs"] / probs
    # probs = counts * counts_sum_inv, the (n, 1) column broadcast along each row: its gradient sums the row
    d["counts_sum_inv"] = (counts * d["probs"]).sum(1, keepdims=True)
    dcounts = counts_sum_inv * d["probs"]
    # counts_sum_inv = counts_sum^-1: d/dcounts_sum = -counts_sum^-2
    d["counts_sum"] = -counts_sum ** -2 * d["counts_sum_inv"]
    # counts_sum = sum_j counts[:, j]: each entry of a row gets the row's gradient; added to the first path (counts
    # is used twice)
    d["counts"] = dcounts + d["counts_sum"]
    # counts = e^norm_logits: the derivative is counts itself
    d["norm_logits"] = counts * d["counts"]
    # norm_logits = logits - logit_maxes, the column broadcast along each row: minus the row's sum
    d["logit_maxes"] = -d["norm_logits"].sum(1, keepdims=True)
    # logit_maxes = max_j logits[:, j]: the row's gradient goes to its largest entry (one per row: no ties here);
    # added to the direct path
    at_max = logits == logit_maxes
    assert (at_max.sum(1) == 1).all()
    d["logits"] = d["norm_logits"] + at_max * d["logit_maxes"]
    # logits = h W2 + b2: dh = dlogits W2^T, dW2 = h^T dlogits, db2 = the column sums (b2 is broadcast over rows)
    d["h"] = d["logits"] @ p["W2"].T
    d["W2"] = h.T @ d["logits"]
    d["b2"] = d["logits"].sum(0)
    # h = tanh(hpreact): tanh' = 1 - h^2
    d["hpreact"] = (1 - h ** 2) * d["h"]
    # hpreact = bngain * bnraw + bnbias, gain and bias (1, 64) broadcast over the batch: their gradients sum it
    d["bngain"] = (bnraw * d["hpreact"]).sum(0, keepdims=True)
    d["bnbias"] = d["hpreact"].sum(0, keepdims=True)
    d["bnraw"] = p["bngain"] * d["hpreact"]
    # bnraw = bndiff * bnvar_inv, the row bnvar_inv broadcast over the batch
    d["bnvar_inv"] = (bndiff * d["bnraw"]).sum(0, keepdims=True)
    dbndiff = bnvar_inv * d["bnraw"]
    # bnvar_inv = (bnvar + eps)^-0.5: d/dbnvar = -0.5 (bnvar + eps)^-1.5
    d["bnvar"] = -0.5 * (bnvar + EPS) ** -1.5 * d["bnvar_inv"]
    # bnvar = sum_i bndiff2[i] / (n - 1): each entry gets 1/(n - 1) of the column's gradient
    d["bndiff2"] = np.ones_like(bndiff2) / (n - 1) * d["bnvar"]
    # bndiff2 = bndiff^2: 2 bndiff, added to the path through bnraw (bndiff is used twice)
    d["bndiff"] = dbndiff + 2 * bndiff * d["bndiff2"]
    # bndiff = hprebn - bnmeani, the row bnmeani broadcast over the batch: minus the column sums
    d["bnmeani"] = -d["bndiff"].sum(0, keepdims=True)
    # bnmeani = sum_i hprebn[i] / n: each entry gets 1/n of it, added to the direct path
    d["hprebn"] = d["bndiff"] + d["bnmeani"] / n
    # hprebn = embcat W1 + b1
    d["embcat"] = d["hprebn"] @ p["W1"].T
    d["W1"] = embcat.T @ d["hprebn"]
    d["b1"] = d["hprebn"].sum(0)
    # embcat = emb.reshape(n, 30): the gradient takes emb's shape back
    d["emb"] = d["embcat"].reshape(emb.shape)
    # emb = C[XB]: each row of C collects the gradient of every place it was picked (a character picked twice
    # gets both: np.add.at adds at repeated indices, where dC[XB] = demb would keep only the last)
    d["C"] = np.zeros_like(p["C"])
    np.add.at(d["C"], XB, d["emb"])
    return values, d


# Computed once: the three passes take 0.1 s together; the tests below only read them.
DG_PARAMS, DG, DG_LOSS = backward_keeping_every_gradient(*deltagrad_forward())
TORCH_PARAMS, TORCH, TORCH_LOSS = backward_keeping_every_gradient(*torch_forward())
VALUES, HAND = by_hand()

# A gradient that is exactly 0 in exact arithmetic holds only rounding: each engine's noise is its own, so these two
# are compared at the scale of the gradient they are computed from. dlogit_maxes = -sum_j (probs - onehot)_j / n = 0
# (the softmax ignores a shift of its row); db1 = sum_i dhprebn_i = 0 (batch norm subtracts the batch mean, so a
# bias before it changes nothing).
ZERO_IN_EXACT_ARITHMETIC = {"logit_maxes": "norm_logits", "b1": "hprebn"}


def _grad(engine: str, name: str) -> np.ndarray:
    nodes, params = (DG, DG_PARAMS) if engine == "deltagrad" else (TORCH, TORCH_PARAMS)
    t = nodes[name] if name in nodes else params[name]
    return t.grad if engine == "deltagrad" else t.grad.numpy()


def assert_same_gradient(actual: np.ndarray, expected: np.ndarray, scale: float, what: str) -> None:
    """|actual - expected| <= 1e-12 scale in every entry, in float64, with the shape and no NaN; scale is the size of
    the gradient (its largest entry): entries far below it come from sums that cancel, and carry its rounding."""
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    assert actual.dtype == np.float64, f"{what}: dtype {actual.dtype}"
    err = np.abs(actual - expected).max()
    assert err <= RTOL * scale, f"{what}: max |difference| {err:.3g} > {RTOL:g} x {scale:.3g}"


def _scale(name: str) -> float:
    return float(np.abs(HAND[ZERO_IN_EXACT_ARITHMETIC.get(name, name)]).max())


def test_the_loss_of_each_engine_is_the_loss_computed_in_numpy():
    by_hand = -VALUES["logprobs"][np.arange(N), YB].mean()
    assert abs(DG_LOSS.item() - by_hand) <= RTOL * by_hand
    assert abs(TORCH_LOSS.item() - by_hand) <= RTOL * by_hand


def test_the_batch_repeats_characters_and_the_picked_rows_of_C_add_their_gradients():
    """The case the exercise is about: C[Xb] picks rows of C many times over, and the gradient of a row is the sum
    over its picks. A scatter that overwrites (dC[Xb] = demb) keeps one pick per row: far off, so the check of dC
    below could not pass by it."""
    counts = np.bincount(XB.ravel(), minlength=VOCAB)
    assert counts.max() >= 3
    overwritten = np.zeros_like(PARAMS["C"])
    overwritten[XB] = HAND["emb"]
    assert np.abs(overwritten - HAND["C"]).max() > 1e-3 * _scale("C")


@pytest.mark.parametrize("name", INTERMEDIATES + list(PARAMS))
def test_every_gradient_is_the_one_derived_by_hand(name):
    assert_same_gradient(_grad("deltagrad", name), HAND[name], _scale(name), f"d{name}, deltagrad vs by hand")


@pytest.mark.parametrize("name", INTERMEDIATES + list(PARAMS))
def test_every_gradient_is_pytorchs(name):
    assert_same_gradient(_grad("deltagrad", name), _grad("torch", name), _scale(name), f"d{name}, deltagrad vs torch")


@pytest.mark.parametrize("name", ZERO_IN_EXACT_ARITHMETIC)
def test_the_gradients_that_are_zero_in_exact_arithmetic_are_rounding_only(name):
    assert np.abs(_grad("deltagrad", name)).max() <= 1e-14 * _scale(name)


def test_cross_entropy_in_one_line_is_softmax_cross_entropys_gradient():
    """dloss/dlogits = (softmax(logits) - onehot(Yb)) / n: the exercise's shortcut through the eight ops of
    cross-entropy, against the fused op (its own node), PyTorch's F.cross_entropy and the long path above."""
    logits = VALUES["logits"]
    e = np.exp(logits - logits.max(1, keepdims=True))
    one_line = e / e.sum(1, keepdims=True)
    one_line[np.arange(N), YB] -= 1
    one_line /= N

    z = Tensor(logits, requires_grad=True)
    loss = softmax_cross_entropy(z, YB)
    loss.backward()
    zt = torch.tensor(logits, requires_grad=True)
    torch_loss = torch.nn.functional.cross_entropy(zt, torch.tensor(YB))
    torch_loss.backward()

    by_hand = -VALUES["logprobs"][np.arange(N), YB].mean()
    assert abs(loss.item() - by_hand) <= RTOL * by_hand and abs(torch_loss.item() - by_hand) <= RTOL * by_hand
    scale = float(np.abs(one_line).max())
    assert_same_gradient(z.grad, one_line, scale, "softmax_cross_entropy vs the one line")
    assert_same_gradient(z.grad, zt.grad.numpy(), scale, "softmax_cross_entropy vs F.cross_entropy")
    assert_same_gradient(DG["logits"].grad, one_line, scale, "the long path's dlogits vs the one line")


def test_batch_norm_in_one_line_is_the_gradient_through_mean_and_var_ddof_1():
    """dhprebn = gain / (n sqrt(var + eps)) (n dhpreact - sum_i dhpreact_i - n/(n - 1) bnraw sum_i dhpreact_i bnraw_i),
    the exercise's shortcut through batch norm (var with Bessel's correction), against the same layer written with the
    engine's mean and var(ddof=1) and with PyTorch's var(unbiased=True), all fed the same dhpreact."""
    n, gain, raw, dout = N, PARAMS["bngain"], VALUES["bnraw"], HAND["hpreact"]
    one_line = gain * VALUES["bnvar_inv"] / n * (n * dout - dout.sum(0) - n / (n - 1) * raw * (dout * raw).sum(0))

    x = Tensor(VALUES["hprebn"], requires_grad=True)
    out = gain * (x - x.mean(0, keepdims=True)) / (x.var(0, keepdims=True, ddof=1) + EPS) ** 0.5 + PARAMS["bnbias"]
    out.backward(dout)
    xt = torch.tensor(VALUES["hprebn"], requires_grad=True)
    var_t = xt.var(0, keepdim=True, unbiased=True)
    out_t = torch.tensor(gain) * (xt - xt.mean(0, keepdim=True)) / (var_t + EPS) ** 0.5 + torch.tensor(PARAMS["bnbias"])
    (out_t * torch.tensor(dout)).sum().backward()           # out_t.backward(dout) would import sympy: 2 s

    scale = _scale("hprebn")
    assert_same_gradient(out.data, VALUES["hpreact"], float(np.abs(VALUES["hpreact"]).max()), "the layer's output")
    assert_same_gradient(x.grad, one_line, scale, "mean and var(ddof=1) vs the one line")
    assert_same_gradient(x.grad, xt.grad.numpy(), scale, "mean and var(ddof=1) vs torch's var(unbiased=True)")
    assert_same_gradient(DG["hprebn"].grad, one_line, scale, "the long path's dhprebn vs the one line")


def test_the_hessian_times_a_vector_through_the_exercise_is_pytorchs():
    """One level further than the exercise: the gradient of sum_p dloss/dp . v_p (a Hessian times v), through
    every op above twice (create_graph=True), under detect_anomaly(), against PyTorch's double backward."""
    rng = np.random.default_rng(1)
    v = {name: rng.normal(size=value.shape) for name, value in PARAMS.items()}
    names = list(PARAMS)
    with detect_anomaly():
        p, _, loss = deltagrad_forward()
        grads = grad(loss, [p[k] for k in names], create_graph=True)
        sum((g * v[k]).sum() for g, k in zip(grads, names)).backward()
    tp, _, tloss = torch_forward()
    tgrads = torch.autograd.grad(tloss, [tp[k] for k in names], create_graph=True)
    sum((g * torch.tensor(v[k])).sum() for g, k in zip(tgrads, names)).backward()
    for k in names:
        expected = tp[k].grad.numpy()
        scale = np.abs(expected).max() if k != "b1" else np.abs(tp["W1"].grad.numpy()).max()   # b1's Hv is 0
        assert_same_gradient(p[k].grad, expected, float(scale), f"(H v) for {k}, deltagrad vs torch")


# --- what a student types when porting the exercise from PyTorch ---------------------------------------------------

def test_view_as_the_exercise_writes_it_concatenates_the_embeddings_and_passes_the_gradient_back():
    """embcat = emb.view(emb.shape[0], -1): PyTorch's name for reshape, which raised AttributeError. The gradient
    through it is the hand-derived one (demb is dembcat in emb's shape, and C's rows add theirs)."""
    C = Tensor(PARAMS["C"], requires_grad=True)
    emb = C[XB]
    embcat = emb.view(emb.shape[0], -1)
    assert embcat.shape == (N, BLOCK * N_EMBD)
    np.testing.assert_array_equal(embcat.data, VALUES["embcat"])
    (embcat * HAND["embcat"]).sum().backward()                 # sends dembcat back through the view
    assert_same_gradient(C.grad, HAND["C"], _scale("C"), "dC through view")
    assert embcat.view((N, BLOCK, N_EMBD)).shape == (N, BLOCK, N_EMBD)


@pytest.mark.parametrize("dtype", [np.float32, "float32", np.dtype(np.int64)])
def test_view_of_a_dtype_is_refused_and_names_astype(dtype):
    with pytest.raises(TypeError, match=r"view: .* is not a shape; .*t\.astype\(dtype\) converts the numbers"):
        Tensor(PARAMS["C"], requires_grad=True).view(dtype)


# The exercise's lines with PyTorch's keywords, and the numpy keywords the error must name
PYTORCH_SPELLINGS = {
    "sum(0, keepdim=True)": (lambda t: t.sum(0, keepdim=True), "keepdim=True", "keepdims=True"),
    "max(1, keepdim=True)": (lambda t: t.max(1, keepdim=True), "keepdim=True", "keepdims=True (the values alone"),
    "min(dim=1)": (lambda t: t.min(dim=1), "dim=1", "axis=1 (the values alone, as torch.amin"),
    "mean(dim=0, keepdim=True)": (lambda t: t.mean(dim=0, keepdim=True), "dim=0, keepdim=True",
                                  "axis=0, keepdims=True"),
    "var(0, keepdim=True, unbiased=True)": (lambda t: t.var(0, keepdim=True, unbiased=True),
                                            "keepdim=True, unbiased=True", "keepdims=True, ddof=1"),
    "var(0, correction=0)": (lambda t: t.var(0, correction=0), "correction=0", "ddof=0"),
    "prod(dim=1)": (lambda t: t.prod(dim=1), "dim=1", "axis=1"),
    "cumsum(dim=1)": (lambda t: t.cumsum(dim=1), "dim=1", "axis=1"),
    "logsumexp(dim=1, keepdim=True)": (lambda t: t.logsumexp(dim=1, keepdim=True), "dim=1, keepdim=True",
                                       "axis=1, keepdims=True"),
    "softmax(dim=1)": (lambda t: t.softmax(dim=1), "dim=1", "axis=1"),
    "log_softmax(dim=1)": (lambda t: t.log_softmax(dim=1), "dim=1", "axis=1"),
}


@pytest.mark.parametrize("call", PYTORCH_SPELLINGS)
def test_pytorchs_keywords_are_refused_with_numpys_to_write_instead(call):
    """hprebn.sum(0, keepdim=True) stopped at Python's "unexpected keyword argument 'keepdim'", which does not say
    what to write; the refusal now names numpy's keyword (the documented difference is kept: no silent alias)."""
    f, theirs, ours = PYTORCH_SPELLINGS[call]
    op = call.split("(")[0]
    with pytest.raises(TypeError) as refused:
        f(Tensor(VALUES["logits"], requires_grad=True))
    message = str(refused.value)
    assert message.startswith(f"{op}: {theirs} is PyTorch's spelling") and f"write {ours}" in message


def test_numpys_keywords_written_instead_give_pytorchs_numbers():
    """What the refusals say to write computes what the PyTorch line computes (to the rounding of another order of
    summation)."""
    x = VALUES["hprebn"]
    xt = torch.tensor(x)
    np.testing.assert_allclose(Tensor(x).sum(0, keepdims=True).data, xt.sum(0, keepdim=True).numpy(), rtol=1e-14)
    np.testing.assert_array_equal(Tensor(x).max(1, keepdims=True).data, xt.max(1, keepdim=True).values.numpy())
    np.testing.assert_allclose(Tensor(x).var(0, keepdims=True, ddof=1).data,
                               xt.var(0, keepdim=True, unbiased=True).numpy(), rtol=1e-14, atol=0)


def test_a_keyword_of_neither_library_is_named_as_python_names_it():
    with pytest.raises(TypeError, match=r"^sum\(\) got an unexpected keyword argument 'keepdimz'$"):
        Tensor(VALUES["logits"]).sum(0, keepdimz=True)
    with pytest.raises(TypeError, match=r"^mean\(\) got an unexpected keyword argument 'unbiased'$"):
        Tensor(VALUES["logits"]).mean(0, unbiased=True)
