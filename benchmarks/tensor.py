"""Tensor engine speed: an MNIST-sized MLP step against numpy by hand and PyTorch, per-op overhead, and HH19's net.

    python benchmarks/tensor.py                 (or: make bench)
    python benchmarks/tensor.py --threads 1     (BLAS and PyTorch on one thread, via threadpoolctl)
    python benchmarks/tensor.py --quick         (a smoke run: few repeats)

1. MLP 784-256-10, ReLU, softmax cross-entropy, batch 128, float32 and float64: one training step (forward,
   backward, SGD update) with the Tensor engine, the same step written by hand in numpy (fused where numpy
   allows), and PyTorch when installed. All start from the same weights; after one step their weights must agree
   (printed), so they do the same work.
2. Per-op overhead: forward + backward of one op on 2x2 tensors, in microseconds, Tensor engine and PyTorch.
3. HH19's 2-2-3-2 sigmoid network (Higham & Higham 2019): one SGD iteration on one sample with the quadratic cost,
   Tensor engine, PyTorch, and the delta rule by hand in numpy for reference.

Figures are medians over repeats; the implementations take turns within each repeat, in an order shuffled anew for
every repeat, so a slow moment of a shared machine hits them alike, and the ratios compare numbers from the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograd import Tensor  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the baseline is optional
    torch = None

SIZES = (784, 256, 10)
BATCH = 128
LR = 0.01


class Timing(dict):
    """Seconds per call of each implementation, one sample per repeat: ``median(name)``, ``ratio(name, ref)``."""

    def median(self, name: str) -> float:
        return statistics.median(self[name])

    def ratio(self, name: str, ref: str) -> float:
        """The median over repeats of time(name) / time(ref) within the same repeat: a slow moment of the
        machine slows both sides of a ratio, so this is steadier than a ratio of medians."""
        return statistics.median(a / b for a, b in zip(self[name], self[ref]))


def timed(impls: dict[str, Callable], calls: int, repeats: int, settle: float = 0.0, seed: int = 0) -> Timing:
    """Time ``calls`` calls of each implementation, ``repeats`` times; within a repeat they take turns, in an order
    shuffled anew for every repeat (a fixed order gave whoever came first after PyTorch's rest a slower start:
    numpy by hand, by about 2%, see benchmarks/README.md).

    ``settle`` seconds of rest before PyTorch's turn and after it: OpenBLAS's and PyTorch's OpenMP worker threads
    spin for a while after each call, and on a small machine a spinning pool slows the other one down. Each turn
    starts with one untimed call, so that no one pays for waking a sleeping pool.
    """
    for f in impls.values():  # warm up caches, allocators and lazy imports
        for _ in range(max(1, calls // 4)):
            f()
    samples = Timing({name: [] for name in impls})
    turns = list(impls.items())
    shuffle = random.Random(seed).shuffle
    for _ in range(repeats):
        shuffle(turns)
        for name, f in turns:
            if settle and name == "PyTorch":
                time.sleep(settle)
            f()  # one untimed call: wakes a thread pool that went to sleep during another's turn
            start = time.perf_counter()
            for _ in range(calls):
                f()
            samples[name].append((time.perf_counter() - start) / calls)
            if settle and name == "PyTorch":
                time.sleep(settle)
    return samples


# --- 1. the MNIST-sized MLP -------------------------------------------------------------------------------------

def mlp_problem(dtype: type, seed: int = 0) -> tuple:
    """A batch of 128 'images' (pixels in [0, 1]), their labels, and weights as PyTorch's Linear draws them."""
    rng = np.random.default_rng(seed)
    X = rng.random((BATCH, SIZES[0])).astype(dtype)
    labels = rng.integers(0, SIZES[-1], BATCH)
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1 / np.sqrt(n_in)
        params += [rng.uniform(-bound, bound, (n_out, n_in)).astype(dtype),
                   rng.uniform(-bound, bound, n_out).astype(dtype)]
    return X, labels, params


def numpy_step(X: np.ndarray, labels: np.ndarray, params: list) -> Callable[[], float]:
    """The step by hand: z1 = X W1^T + b1, h = relu(z1), z2 = h W2^T + b2, p = softmax(z2); dz2 = (p - Y)/N ..."""
    W1, b1, W2, b2 = params
    Y = np.eye(SIZES[-1], dtype=X.dtype)[labels]
    lr, scale = X.dtype.type(LR), X.dtype.type(1 / len(X))

    def step() -> float:
        h = X @ W1.T
        h += b1
        np.maximum(h, 0, out=h)                      # relu in place
        z = h @ W2.T
        z += b2
        z -= z.max(axis=1, keepdims=True)            # stable softmax and log-softmax
        p = np.exp(z)
        s = p.sum(axis=1, keepdims=True)
        loss = float(np.sum(np.log(s)) - np.sum(z * Y)) * scale
        p /= s
        p -= Y                                       # dL/dz2 = (p - Y) / N
        p *= scale
        gW2, gb2 = p.T @ h, p.sum(axis=0)
        dh = p @ W2
        dh *= h > 0                                  # through relu
        gW1, gb1 = dh.T @ X, dh.sum(axis=0)
        for w, g in ((W1, gW1), (b1, gb1), (W2, gW2), (b2, gb2)):
            w -= lr * g
        return loss

    return step


def tensor_step(X: np.ndarray, labels: np.ndarray, params: list) -> Callable[[], float]:
    W1, b1, W2, b2 = ws = [Tensor(p, requires_grad=True) for p in params]
    x, Y = Tensor(X), np.eye(SIZES[-1], dtype=X.dtype)[labels]

    def step() -> float:
        logits = (x @ W1.T + b1).relu() @ W2.T + b2
        loss = -(logits.log_softmax() * Y).sum() * (1 / len(X))
        loss.backward()
        for w in ws:
            w.data -= LR * w.grad
            w.grad = None
        return loss.item()

    step.weights = ws
    return step


def nn_step(X: np.ndarray, labels: np.ndarray, params: list) -> Callable[[], float]:
    """The step as a user writes it: nn.MLP (Linear = autograd.linear), losses.cross_entropy (integer labels:
    autograd.softmax_cross_entropy), nn.SGD (in-place updates)."""
    from nn import MLP, SGD, losses

    model = MLP(list(SIZES), activation="relu", output_activation="identity", dtype=X.dtype)
    model.set_weights([(params[0], params[1]), (params[2], params[3])])
    opt = SGD(model.parameters(), lr=LR)
    x = Tensor(X)

    def step() -> float:
        opt.zero_grad()
        loss = losses.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        return loss.item()

    step.weights = model.parameters()
    return step


def torch_step(X: np.ndarray, labels: np.ndarray, params: list) -> Callable[[], float]:
    W1, b1, W2, b2 = ws = [torch.tensor(p, requires_grad=True) for p in params]
    x, y = torch.from_numpy(X.copy()), torch.from_numpy(labels)

    def step() -> float:
        logits = torch.relu(x @ W1.T + b1) @ W2.T + b2
        loss = F.cross_entropy(logits, y)
        loss.backward()
        with torch.no_grad():
            for w in ws:
                w -= LR * w.grad
                w.grad = None
        return loss.item()

    step.weights = ws
    return step


def bench_mlp(dtype: type, repeats: int, steps: int) -> Timing:
    X, labels, params = mlp_problem(dtype)
    makers = {"numpy by hand": numpy_step, "Tensor engine": tensor_step, "nn (user code)": nn_step}
    if torch is not None:
        makers["PyTorch"] = torch_step
    # Same start, one step each: the updated weights must agree, or the implementations do different work.
    copies = {name: [p.copy() for p in params] for name in makers}
    losses = {name: make(X, labels, copies[name])() for name, make in makers.items()}
    tol = 1e-5 if dtype == np.float32 else 1e-12
    hand = copies["numpy by hand"]
    for name, make in makers.items():
        if name != "numpy by hand":
            step = make(X, labels, params)
            losses[name] = step()
            got = [np.asarray(w.detach() if torch is not None and isinstance(w, torch.Tensor) else w.data)
                   for w in step.weights]
            worst = max(float(np.max(np.abs(g - h))) for g, h in zip(got, hand))
            assert worst < tol, f"{name} disagrees with numpy by hand after one step: {worst:g}"
    print(f"  one step from the same weights: losses {', '.join(f'{v:.6f}' for v in losses.values())}; "
          f"updated weights agree to {tol:g}")
    impls = {name: make(X, labels, [p.copy() for p in params]) for name, make in makers.items()}
    return timed(impls, steps, repeats, settle=0.15)


# --- 2. per-op overhead on 2x2 tensors --------------------------------------------------------------------------

OPS: dict[str, Callable] = {
    "a + b": lambda a, b: a + b, "a * b": lambda a, b: a * b, "a / b": lambda a, b: a / b,
    "a @ b": lambda a, b: a @ b, "a.T": lambda a, b: a.T, "a[0]": lambda a, b: a[0],
    "exp": lambda a, b: a.exp(), "tanh": lambda a, b: a.tanh(), "sigmoid": lambda a, b: a.sigmoid(),
    "relu": lambda a, b: a.relu(), "sum": lambda a, b: a.sum(), "mean(axis=0)": lambda a, b: a.mean(axis=0),
    "log_softmax": lambda a, b: a.log_softmax(axis=-1),
}
TORCH_OPS: dict[str, Callable] = {
    **OPS, "exp": lambda a, b: a.exp(), "sigmoid": lambda a, b: torch.sigmoid(a), "relu": lambda a, b: torch.relu(a),
    "log_softmax": lambda a, b: torch.log_softmax(a, dim=-1),
}


def bench_ops(repeats: int, calls: int) -> dict:
    rng = np.random.default_rng(1)
    A, B = rng.uniform(0.5, 1.5, (2, 2)), rng.uniform(0.5, 1.5, (2, 2))
    a, b = Tensor(A, requires_grad=True), Tensor(B, requires_grad=True)
    results = {}
    for name, op in OPS.items():
        seed = np.ones(op(a, b).shape)
        impls = {"Tensor engine": lambda op=op, seed=seed: op(a, b).backward(seed)}
        if torch is not None:
            ta, tb = torch.tensor(A, requires_grad=True), torch.tensor(B, requires_grad=True)
            tseed = torch.ones(seed.shape, dtype=torch.float64)
            impls["PyTorch"] = lambda op=TORCH_OPS[name], ta=ta, tb=tb, s=tseed: op(ta, tb).backward(s)
        results[name] = timed(impls, calls, repeats)
        a.grad = b.grad = None
    return results


# --- 3. HH19's 2-2-3-2 network, one SGD iteration on one sample ---------------------------------------------------

HH19_X = np.array([[0.1, 0.3, 0.1, 0.6, 0.4, 0.6, 0.5, 0.9, 0.4, 0.7],
                   [0.1, 0.4, 0.5, 0.9, 0.2, 0.3, 0.6, 0.2, 0.4, 0.6]]).T
HH19_Y = np.repeat(np.array([[1.0, 0.0], [0.0, 1.0]]), 5, axis=0)


def hh19_weights(seed: int = 5000) -> list:
    rng = np.random.default_rng(seed)
    return [0.5 * rng.standard_normal(s) for s in [(2, 2), (2,), (3, 2), (3,), (2, 3), (2,)]]  # W2 b2 W3 b3 W4 b4


def hh19_numpy(params: list) -> Callable[[], None]:
    """The delta rule: a^[l] = sigma(W a^[l-1] + b), delta^[L] = s'(z) (a - y), delta^[l] = s'(z) W^T delta ..."""
    W, b = params[0::2], params[1::2]
    k = iter(range(10**12))

    def step() -> None:
        i = next(k) % 10
        a = [HH19_X[i]]
        for Wl, bl in zip(W, b):
            a.append(1 / (1 + np.exp(-(Wl @ a[-1] + bl))))
        delta = a[-1] * (1 - a[-1]) * (a[-1] - HH19_Y[i])
        for l in range(2, -1, -1):
            grad_W, grad_b = np.outer(delta, a[l]), delta
            if l:
                delta = a[l] * (1 - a[l]) * (W[l].T @ delta)
            W[l] -= 0.05 * grad_W
            b[l] -= 0.05 * grad_b

    return step


def hh19_tensor(params: list) -> Callable[[], None]:
    ws = [Tensor(p, requires_grad=True) for p in params]
    xs, ys = [Tensor(x) for x in HH19_X], list(HH19_Y)
    k = iter(range(10**12))

    def step() -> None:
        i = next(k) % 10
        a = xs[i]
        for l in range(0, 6, 2):
            a = (ws[l] @ a + ws[l + 1]).sigmoid()
        cost = ((a - ys[i]) ** 2).sum() * 0.5           # C = 1/2 ||y - a^[4]||^2
        cost.backward()
        for w in ws:
            w.data -= 0.05 * w.grad
            w.grad = None

    return step


def hh19_torch(params: list) -> Callable[[], None]:
    ws = [torch.tensor(p, requires_grad=True) for p in params]
    xs, ys = [torch.tensor(x) for x in HH19_X], [torch.tensor(y) for y in HH19_Y]
    k = iter(range(10**12))

    def step() -> None:
        i = next(k) % 10
        a = xs[i]
        for l in range(0, 6, 2):
            a = torch.sigmoid(ws[l] @ a + ws[l + 1])
        cost = ((a - ys[i]) ** 2).sum() * 0.5
        cost.backward()
        with torch.no_grad():
            for w in ws:
                w -= 0.05 * w.grad
                w.grad = None

    return step


def bench_hh19(repeats: int, calls: int) -> Timing:
    makers = {"numpy by hand": hh19_numpy, "Tensor engine": hh19_tensor}
    if torch is not None:
        makers["PyTorch"] = hh19_torch
    return timed({name: make(hh19_weights()) for name, make in makers.items()}, calls, repeats)


# --- the report -------------------------------------------------------------------------------------------------

def environment(threads: int | None) -> list[str]:
    blas = "unknown"
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{cfg.get('name')} {cfg.get('version')}"
    except Exception:  # older numpy: no dict mode
        pass
    env = ", ".join(f"{k}={os.environ[k]!r}" if k in os.environ else f"{k} not set"
                    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"))
    lines = [
        f"python {platform.python_version()}, numpy {np.__version__} ({blas}), {os.cpu_count()} CPUs, "
        f"{platform.processor() or platform.machine()}",
        f"environment: {env}",
        f"PyTorch: {torch.__version__ + f' ({torch.get_num_threads()} threads)' if torch else 'not installed'}",
    ]
    try:
        from threadpoolctl import threadpool_info
        pools = ", ".join(f"{p['internal_api']} {p['num_threads']} threads" for p in threadpool_info())
        lines.append(f"thread pools: {pools}" + (f" (limited to {threads} by --threads)" if threads else ""))
    except ImportError:
        pass
    return lines


def keep_freed_memory() -> str:
    """Ask glibc's malloc to keep freed memory instead of giving it back to the OS, and say what was done.

    With glibc's defaults, a step that frees its large temporaries (numpy by hand's 1.6 MB float64 ``lr * g``)
    may return them to the OS and fault them in again on the next step: 750 page faults a step, 2 ms of a 4.3 ms
    float64 step, in some runs and not others (it depends on what else lies at the top of the heap). Whoever pages
    loses by a third, which says nothing about the engines. Both M_TRIM_THRESHOLD (when the top of the heap is
    trimmed) and M_MMAP_THRESHOLD (above which blocks come from mmap and go back at free) are raised to 1 GiB, for
    every candidate alike. ``--glibc-default`` skips this."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):
        return "malloc: glibc's defaults (no mallopt here)"
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's malloc.h
    if mallopt(m_trim_threshold, 1 << 30) != 1 or mallopt(m_mmap_threshold, 1 << 30) != 1:
        return "malloc: glibc's defaults (mallopt refused)"
    return "malloc: freed memory kept (glibc M_TRIM_THRESHOLD and M_MMAP_THRESHOLD at 1 GiB: no paging)"


def limit_threads(threads: int | None):
    if threads is None:
        return nullcontext()
    if torch is not None:
        torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        sys.exit("--threads needs threadpoolctl (pip install threadpoolctl), or set OPENBLAS_NUM_THREADS")
    return threadpool_limits(threads)


def _ratios(t: Timing, name: str) -> str:
    """'1.08x numpy by hand, 0.51x PyTorch' for the Tensor engine (paired ratios); PyTorch against numpy."""
    refs = [r for r in ("numpy by hand", "PyTorch") if r in t and r != name and name != "numpy by hand"]
    if name == "PyTorch":
        refs = ["numpy by hand"]
    return ("   " + ", ".join(f"{t.ratio(name, r):.2f}x {r}" for r in refs)) if refs else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="limit BLAS and PyTorch threads")
    parser.add_argument("--quick", action="store_true", help="a smoke run: a few repeats only")
    parser.add_argument("--glibc-default", action="store_true",
                        help="leave glibc's malloc as it is (freed memory may go back to the OS and page in again)")
    args = parser.parse_args()
    repeats = 3 if args.quick else 41
    began = time.perf_counter()
    malloc = "malloc: glibc's defaults (--glibc-default)" if args.glibc_default else keep_freed_memory()
    with limit_threads(args.threads):
        print("\n".join(environment(args.threads) + [malloc]))
        print(f"\n1. MLP {'-'.join(map(str, SIZES))}, ReLU, softmax cross-entropy, batch {BATCH}: "
              "ms per training step (forward, backward, SGD), median")
        for dtype in (np.float32, np.float64):
            print(f" {np.dtype(dtype).name}:")
            t = bench_mlp(dtype, repeats, steps=2 if args.quick else 3)
            for name in t:
                print(f"   {name:<15} {t.median(name) * 1e3:7.3f} ms" + _ratios(t, name))

        print("\n2. One op forward + backward on 2x2 float64 tensors: microseconds, median")
        ops = bench_ops(min(repeats, 15), calls=50 if args.quick else 400)
        print(f"   {'op':<14} {'Tensor':>8} {'PyTorch':>8}")
        for name, t in ops.items():
            theirs = f"{t.median('PyTorch') * 1e6:8.1f}" if "PyTorch" in t else f"{'-':>8}"
            print(f"   {name:<14} {t.median('Tensor engine') * 1e6:8.1f} {theirs}")

        print("\n3. HH19's 2-2-3-2 sigmoid net: one SGD iteration on one sample (quadratic cost), us, median")
        t = bench_hh19(min(repeats, 15), calls=100 if args.quick else 2000)
        for name in t:
            print(f"   {name:<15} {t.median(name) * 1e6:7.1f} us" + _ratios(t, name))
    print(f"\n(the whole run took {time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
