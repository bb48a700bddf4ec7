"""Second derivatives: the Hessian of HH19's cost and a Hessian-vector product on an MNIST-sized MLP, against
PyTorch's torch.autograd.functional on the same functions (when installed).

    python benchmarks/second_order.py            (one thread first, then the machine's default)
    python benchmarks/second_order.py --quick    (a smoke run: 3 repeats)

1. HH19's 2-2-3-2 sigmoid net, quadratic cost over its ten points, as a function of the 23 parameters in one
   vector: ``hessian`` (one create_graph backward pass, then one backward pass per row: 23).
2. MLP 784-256-10 (tanh, softmax cross-entropy, batch 128, float64): ``hvp`` towards (W1, b1, W2, b2) with a random
   v: two backward passes, the first recorded (reverse over reverse), never forming the 203,530^2 Hessian. The plain
   gradient (one backward pass) is timed beside it for scale.

Each figure is a median over repeats (7 by default); the implementations take turns within each repeat, and each
ratio is the median of the per-repeat ratios. Results are checked to agree before anything is timed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograd import Tensor  # noqa: E402
from autograd.functional import hessian, hvp  # noqa: E402

try:
    import torch
except ImportError:  # the baseline is optional
    torch = None

SIZES = [2, 2, 3, 2]


def hh19_cost(p, X, Y, lib):
    """C(p) = 1/(2N) sum ||a^[4] - y||^2 with p the 23 parameters; lib: our Tensor ops or torch's."""
    a, k = X.T, 0
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        W = p[k:k + n_out * n_in].reshape(n_out, n_in)
        k += n_out * n_in
        b = p[k:k + n_out].reshape(n_out, 1)
        k += n_out
        z = W @ a + b
        a = z.sigmoid() if lib == "ours" else torch.sigmoid(z)
    d = a - Y.T
    return (d * d).sum() * (0.5 / X.shape[0])


def mlp_loss(W1, b1, W2, b2, X, labels, lib):
    h = X @ W1.T + b1
    h = h.tanh() if lib == "ours" else torch.tanh(h)
    z = h @ W2.T + b2
    if lib == "ours":
        logp = z.log_softmax(axis=-1)
        return -(logp[np.arange(len(labels)), labels]).mean()
    return torch.nn.functional.cross_entropy(z, labels)


def timed(runs: dict, repeats: int) -> dict:
    """Seconds per call of each function, one sample per repeat, the functions taking turns within a repeat."""
    samples: dict = {name: [] for name in runs}
    for f in runs.values():
        f()                                                      # warm up
    for _ in range(repeats):
        for name, f in runs.items():
            start = time.perf_counter()
            f()
            samples[name].append(time.perf_counter() - start)
    return samples


def report(samples: dict, unit: float, label: str) -> None:
    ours = samples["deltagrad"]
    for name, s in samples.items():
        ratio = "" if name == "deltagrad" else f"   deltagrad / {name}: " \
            f"{statistics.median(a / b for a, b in zip(ours, s)):.2f}x"
        print(f"   {name:<22} {statistics.median(s) * unit:10.2f} {label}{ratio}")


def run(repeats: int) -> None:
    rng = np.random.default_rng(0)
    from nn.data import hh19

    X, Y = hh19()
    p = 0.5 * rng.standard_normal(23)
    ours_H = hessian(lambda q: hh19_cost(q, Tensor(X), Tensor(Y), "ours"), Tensor(p)).data
    runs = {"deltagrad": lambda: hessian(lambda q: hh19_cost(q, Tensor(X), Tensor(Y), "ours"), Tensor(p))}
    if torch is not None:
        tX, tY = torch.tensor(X), torch.tensor(Y)
        theirs_H = torch.autograd.functional.hessian(lambda q: hh19_cost(q, tX, tY, "torch"), torch.tensor(p))
        assert np.allclose(ours_H, theirs_H.numpy(), rtol=1e-10, atol=1e-12), "Hessians differ"
        runs["PyTorch"] = lambda: torch.autograd.functional.hessian(lambda q: hh19_cost(q, tX, tY, "torch"),
                                                                   torch.tensor(p))
    print("1. Hessian of HH19's cost (23 parameters, ten points): ms per Hessian, median")
    report(timed(runs, repeats), 1e3, "ms")

    n, d, h, k = 128, 784, 256, 10
    Xm = rng.standard_normal((n, d)) * 0.3
    labels = rng.integers(0, k, n)
    params = [rng.standard_normal((h, d)) / np.sqrt(d), np.zeros(h), rng.standard_normal((k, h)) / np.sqrt(h),
              np.zeros(k)]
    v = [rng.standard_normal(q.shape) for q in params]
    tXm = Tensor(Xm)

    def f_ours(W1, b1, W2, b2):
        return mlp_loss(W1, b1, W2, b2, tXm, labels, "ours")

    _, Hv = hvp(f_ours, tuple(Tensor(q) for q in params), tuple(v))

    def grad_ours():
        ps = [Tensor(q, requires_grad=True) for q in params]
        f_ours(*ps).backward()

    runs = {"deltagrad": lambda: hvp(f_ours, tuple(Tensor(q) for q in params), tuple(v)),
            "deltagrad gradient": grad_ours}
    if torch is not None:
        tXm2, tl = torch.tensor(Xm), torch.tensor(labels)
        tparams = tuple(torch.tensor(q) for q in params)
        tv = tuple(torch.tensor(q) for q in v)

        def f_torch(W1, b1, W2, b2):
            return mlp_loss(W1, b1, W2, b2, tXm2, tl, "torch")

        _, tHv = torch.autograd.functional.hvp(f_torch, tparams, tv)
        for a, b in zip(Hv, tHv):
            assert np.allclose(a.data, b.numpy(), rtol=1e-8, atol=1e-10), "Hessian-vector products differ"
        runs["PyTorch hvp"] = lambda: torch.autograd.functional.hvp(f_torch, tparams, tv)
        runs["PyTorch vhp"] = lambda: torch.autograd.functional.vhp(f_torch, tparams, tv)
    print("\n2. hvp on the 784-256-10 tanh MLP (batch 128, float64, 203,530 parameters): ms per product, median")
    report(timed(runs, repeats), 1e3, "ms")


def environment() -> None:
    env = ", ".join(f"{k}={os.environ[k]!r}" if k in os.environ else f"{k} not set"
                    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"))
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}")
    print(f"environment: {env}")
    print(f"PyTorch: {torch.__version__ if torch else 'not installed'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats per figure (median)")
    parser.add_argument("--quick", action="store_true", help="3 repeats, a smoke run")
    args = parser.parse_args()
    repeats = 3 if args.quick else max(args.repeats, 1)
    environment()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    missing = "" if threadpool_limits else " (threadpoolctl missing: BLAS unlimited)"
    print(f"\n=== one thread (BLAS and PyTorch){missing}")
    if torch is not None:
        default_threads = torch.get_num_threads()
        torch.set_num_threads(1)
    if threadpool_limits is not None:
        with threadpool_limits(1):
            run(repeats)
    else:
        run(repeats)
    print(f"\n=== default threads ({os.cpu_count()} CPUs)")
    if torch is not None:
        torch.set_num_threads(default_threads)
    run(repeats)


if __name__ == "__main__":
    main()
