"""Before and after: the same workloads timed on two checkouts of deltagrad, interleaved step by step in one run.

    python benchmarks/versions.py                                  # 64e034c against this working tree
    python benchmarks/versions.py --before REF|PATH --after REF|PATH
    python benchmarks/versions.py --quick                          # a smoke run, a few seconds
    python benchmarks/versions.py --rounds 41 --workloads chain,sgd

Each checkout gets one persistent worker subprocess (this same python, the checkout first on sys.path and as the
working directory; the worker checks that ``autograd`` and ``nn`` are imported from inside it). A REF (anything
that is not a directory) is checked out as a temporary ``git worktree`` of this repository and removed at the end;
a clean, detached worktree already at that commit is used as it is. The driver then alternates: in each round,
for each workload, worker A and then worker B run one sample of it (the order flips every round), each timing
itself with ``time.perf_counter`` with the garbage collector on, as users run it (``gc.collect()`` before each
sample, outside the timing, so that one workload's garbage is not collected in another's time).

Workloads (public APIs present in both versions; the two workers do the same arithmetic, which is checked: the loss
each sample ends with must agree between them to 1e-12, every round):

  scalar-mlp    micrograd's demo step on nn.scalar.MLP(2, [16, 16, 1]) (as benchmarks/scalar.py), ms per step
  plain-floats  the same step on Python floats, backward by hand: the reference for scalar-mlp
  chain         a 100,000-link Value chain y = y * 1.000001, build + backward, ns per node
  hh19-tensor   HH19's 2-2-3-2 sigmoid net, one SGD iteration on the Tensor engine (as benchmarks/tensor.py), us
  hh19-numpy    the same iteration by hand in numpy (delta rule): the reference for hh19-tensor
  mlp-tensor    MLP 784-256-10, batch 128, float64, one training step on the Tensor engine, ms per step
  mlp-numpy     the same step by hand in numpy: the reference for mlp-tensor
  mlp-nn        the same step as a user writes it (nn.MLP, losses.cross_entropy, nn.SGD: issue 14's target), ms
  sgd           nn.backprop.sgd on HH19, 100,000 steps, s
  bce-nn        MLP 20-32-5 with relu, batch 32, float64, losses.binary_cross_entropy_with_logits, nn.SGD, us per step

BLAS runs on one thread (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS are set in the workers'
environment, and threadpoolctl limits the pools when it is installed; ``--threads N`` to change). Nothing else in
the environment is changed: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are passed on as they are, and reported.

The table: per workload the median over the rounds for each version, after/before (the ratio of the medians), the
median and interquartile range of the per-round ratios after_i / before_i (the two samples of a round are taken
back to back, so this pairs them; its spread measures the noise), and where there is a reference, each version's
ratio to its own reference (ratio of medians).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BEFORE = "64e034c"        # the commit before the rules table / Tensor-as-mixins restructuring
DEFAULT_ROUNDS = 41
QUICK_ROUNDS = 3
TOLERANCE = 1e-12

# name: (unit, unit per second, reference workload or None, one-line description)
WORKLOADS: dict[str, tuple[str, float, str | None, str]] = {
    "scalar-mlp": ("ms/step", 1e3, "plain-floats", "micrograd demo step, nn.scalar.MLP(2, [16, 16, 1])"),
    "plain-floats": ("ms/step", 1e3, None, "the same step on plain floats (lower bound)"),
    "chain": ("ns/node", 1e9, None, "100,000-link Value chain, build + backward"),
    "hh19-tensor": ("us/iter", 1e6, "hh19-numpy", "HH19 2-2-3-2 SGD iteration, Tensor engine"),
    "hh19-numpy": ("us/iter", 1e6, None, "the same iteration by hand in numpy"),
    "mlp-tensor": ("ms/step", 1e3, "mlp-numpy", "MLP 784-256-10 float64 batch 128 step, Tensor engine"),
    "mlp-numpy": ("ms/step", 1e3, None, "the same step by hand in numpy"),
    "mlp-nn": ("ms/step", 1e3, "mlp-numpy", "the same step as a user writes it: nn.MLP, cross_entropy, nn.SGD"),
    "sgd": ("s", 1.0, None, "nn.backprop.sgd on HH19, 100,000 steps"),
    "bce-nn": ("us/step", 1e6, None, "MLP 20-32-5, batch 32, binary_cross_entropy_with_logits, nn.SGD"),
}


# ================================================================================================================
# The workloads: run inside a worker, after the checkout's autograd and nn are importable.
# Each maker takes ``quick`` and returns a function sample() -> (seconds per unit, loss, {part: seconds per unit}).
# They restate benchmarks/scalar.py's and tensor.py's workloads (the moons data, HH19's iteration) rather than import
# them: those scripts put this tree first on sys.path when imported, and a worker must time its own checkout.
# ================================================================================================================

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4


def _moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list, list]:
    """micrograd's demo data, as benchmarks/scalar.py generates it."""
    import numpy as np

    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    upper = np.arange(n) < n // 2
    X = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    X = X + rng.normal(scale=noise, size=X.shape)
    return X.tolist(), np.where(upper, -1.0, 1.0).tolist()


def _moons_weights(seed: int = 0) -> list:
    import numpy as np

    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1, 1, (m, n)), np.zeros(m)) for n, m in zip(SIZES[:-1], SIZES[1:])]


def _learning_rate(k: int) -> float:
    return 1.0 - 0.9 * (k % 100) / 100    # scalar.py's schedule, restarted every 100 steps (it turns negative)


def _steps(step: Callable[[int], float], calls: int) -> Callable[[], tuple[float, float, dict]]:
    """sample(): ``calls`` calls of step(k), k counting on from call to call; seconds per call and the last loss."""
    counter = [0]

    def sample() -> tuple[float, float, dict]:
        k0 = counter[0]
        start = time.perf_counter()
        for k in range(k0, k0 + calls):
            loss = step(k)
        elapsed = time.perf_counter() - start
        counter[0] = k0 + calls
        return elapsed / calls, loss, {}

    return sample


def make_scalar_mlp(quick: bool):
    from autograd import Value
    from nn.scalar import MLP

    X, Y = _moons()
    model = MLP(SIZES[0], SIZES[1:], activation="relu", output_activation="identity")
    model.set_weights(_moons_weights())
    parameters = model.parameters()

    def step(k: int) -> float:               # benchmarks/scalar.py's demo_step
        inputs = [[Value(v) for v in row] for row in X]
        scores = [model(x) for x in inputs]
        losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in parameters)
        total = data_loss + reg_loss
        for p in parameters:
            p.grad = 0.0
        total.backward()
        lr = _learning_rate(k)
        for p in parameters:
            p.data -= lr * p.grad
        return total.data

    return _steps(step, 1 if quick else 2)


def make_plain_floats(quick: bool):
    X, Y = _moons()
    W = [Wl.tolist() for Wl, _ in _moons_weights()]
    b = [bl.tolist() for _, bl in _moons_weights()]
    L = len(W)

    def step(k: int) -> float:               # benchmarks/scalar.py's PlainFloats.step
        gW = [[[0.0] * len(row) for row in Wl] for Wl in W]
        gb = [[0.0] * len(bl) for bl in b]
        N = len(X)
        data_loss = 0.0
        for x, y in zip(X, Y):
            acts = [x]
            for l in range(L):
                z = [bj + sum(w * a for w, a in zip(row, acts[-1])) for row, bj in zip(W[l], b[l])]
                acts.append([v if v > 0 else 0.0 for v in z] if l < L - 1 else z)
            margin = 1.0 - y * acts[-1][0]
            if margin <= 0:
                continue
            data_loss += margin
            delta = [-y / N]
            for l in range(L - 1, -1, -1):
                a_prev = acts[l]
                for j, dj in enumerate(delta):
                    gb[l][j] += dj
                    row = gW[l][j]
                    for i, ai in enumerate(a_prev):
                        row[i] += dj * ai
                if l:
                    delta = [sum(W[l][j][i] * delta[j] for j in range(len(delta))) if a_prev[i] > 0 else 0.0
                             for i in range(len(a_prev))]
        reg = sum(w * w for Wl in W for row in Wl for w in row) + sum(v * v for bl in b for v in bl)
        lr = _learning_rate(k)
        for l in range(L):
            for j, row in enumerate(W[l]):
                grow = gW[l][j]
                for i in range(len(row)):
                    row[i] -= lr * (grow[i] + 2 * ALPHA * row[i])
                b[l][j] -= lr * (gb[l][j] + 2 * ALPHA * b[l][j])
        return data_loss / N + ALPHA * reg

    return _steps(step, 1 if quick else 2)


def make_chain(quick: bool):
    from autograd import Value

    n = 20_000 if quick else 100_000

    def sample() -> tuple[float, float, dict]:
        x = Value(1.0)
        start = time.perf_counter()
        y = x
        for _ in range(n):
            y = y * 1.000001
        built = time.perf_counter()
        y.backward()
        done = time.perf_counter()
        return (done - start) / n, float(x.grad), {"build": (built - start) / n, "backward": (done - built) / n}

    return sample


_HH19_X = [[0.1, 0.3, 0.1, 0.6, 0.4, 0.6, 0.5, 0.9, 0.4, 0.7],
           [0.1, 0.4, 0.5, 0.9, 0.2, 0.3, 0.6, 0.2, 0.4, 0.6]]


def _hh19_problem() -> tuple:
    import numpy as np

    X = np.array(_HH19_X).T
    Y = np.repeat(np.array([[1.0, 0.0], [0.0, 1.0]]), 5, axis=0)
    rng = np.random.default_rng(5000)
    params = [0.5 * rng.standard_normal(s) for s in [(2, 2), (2,), (3, 2), (3,), (2, 3), (2,)]]
    return X, Y, params


def make_hh19_tensor(quick: bool):
    from autograd import Tensor

    X, Y, params = _hh19_problem()
    ws = [Tensor(p, requires_grad=True) for p in params]
    xs, ys = [Tensor(x) for x in X], list(Y)

    def step(k: int):                         # benchmarks/tensor.py's hh19_tensor
        i = k % 10
        a = xs[i]
        for l in range(0, 6, 2):
            a = (ws[l] @ a + ws[l + 1]).sigmoid()
        cost = ((a - ys[i]) ** 2).sum() * 0.5
        cost.backward()
        for w in ws:
            w.data -= 0.05 * w.grad
            w.grad = None
        return cost

    run = _steps(step, 20 if quick else 400)

    def sample() -> tuple[float, float, dict]:
        seconds, cost, parts = run()
        return seconds, cost.item(), parts    # the cost of the last step (item() outside the timing)

    return sample


def make_hh19_numpy(quick: bool):
    import numpy as np

    X, Y, params = _hh19_problem()
    W, b = params[0::2], params[1::2]

    def step(k: int) -> float:                # benchmarks/tensor.py's hh19_numpy
        i = k % 10
        a = [X[i]]
        for Wl, bl in zip(W, b):
            a.append(1 / (1 + np.exp(-(Wl @ a[-1] + bl))))
        delta = a[-1] * (1 - a[-1]) * (a[-1] - Y[i])
        for l in range(2, -1, -1):
            grad_W, grad_b = np.outer(delta, a[l]), delta
            if l:
                delta = a[l] * (1 - a[l]) * (W[l].T @ delta)
            W[l] -= 0.05 * grad_W
            b[l] -= 0.05 * grad_b
        return 0.0

    run = _steps(step, 20 if quick else 400)

    def sample() -> tuple[float, float, dict]:
        seconds, _, parts = run()
        return seconds, sum(float(p.sum()) for p in params), parts

    return sample


def _mlp_problem(seed: int = 0) -> tuple:
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.random((128, 784))
    labels = rng.integers(0, 10, 128)
    params = []
    for n_in, n_out in ((784, 256), (256, 10)):
        bound = 1 / np.sqrt(n_in)
        params += [rng.uniform(-bound, bound, (n_out, n_in)), rng.uniform(-bound, bound, n_out)]
    return X, labels, params


def make_mlp_tensor(quick: bool):
    import numpy as np

    from autograd import Tensor

    X, labels, params = _mlp_problem()
    W1, b1, W2, b2 = ws = [Tensor(p, requires_grad=True) for p in params]
    x, Y = Tensor(X), np.eye(10)[labels]

    def step(k: int) -> float:                # benchmarks/tensor.py's tensor_step
        logits = (x @ W1.T + b1).relu() @ W2.T + b2
        loss = -(logits.log_softmax() * Y).sum() * (1 / len(X))
        loss.backward()
        for w in ws:
            w.data -= 0.01 * w.grad
            w.grad = None
        return loss.item()

    return _steps(step, 2 if quick else 8)


def make_mlp_nn(quick: bool):
    from autograd import Tensor
    from nn import MLP, losses

    X, labels, params = _mlp_problem()
    model = MLP([784, 256, 10], activation="relu", output_activation="identity")
    model.set_weights([(params[0], params[1]), (params[2], params[3])])
    return _steps(_user_step(model, losses.cross_entropy, Tensor(X), labels, 0.01), 2 if quick else 8)


def _user_step(model, loss_of, x, target, lr: float) -> Callable[[int], float]:
    """The step as a user writes it with nn.SGD (benchmarks/tensor.py's nn_step), for any loss."""
    from nn import SGD

    opt = SGD(model.parameters(), lr=lr)

    def step(k: int) -> float:
        opt.zero_grad()
        loss = loss_of(model(x), target)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def make_bce_nn(quick: bool):
    import numpy as np

    from autograd import Tensor
    from nn import MLP, losses

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(32, 20)), (rng.random((32, 5)) < 0.5).astype(float)
    model = MLP([20, 32, 5], activation="relu", output_activation="identity")
    model.set_weights([(rng.normal(0, 0.2, (32, 20)), np.zeros(32)), (rng.normal(0, 0.2, (5, 32)), np.zeros(5))])
    # a multi-label step: five sigmoid outputs, their logits' loss
    step = _user_step(model, losses.binary_cross_entropy_with_logits, Tensor(X), Y, 0.1)
    return _steps(step, 20 if quick else 200)


def make_mlp_numpy(quick: bool):
    import numpy as np

    X, labels, params = _mlp_problem()
    W1, b1, W2, b2 = params
    Y = np.eye(10)[labels]
    lr, scale = 0.01, 1 / len(X)

    def step(k: int) -> float:                # benchmarks/tensor.py's numpy_step
        h = X @ W1.T
        h += b1
        np.maximum(h, 0, out=h)
        z = h @ W2.T
        z += b2
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        s = p.sum(axis=1, keepdims=True)
        loss = float(np.sum(np.log(s)) - np.sum(z * Y)) * scale
        p /= s
        p -= Y
        p *= scale
        gW2, gb2 = p.T @ h, p.sum(axis=0)
        dh = p @ W2
        dh *= h > 0
        gW1, gb1 = dh.T @ X, dh.sum(axis=0)
        for w, g in ((W1, gW1), (b1, gb1), (W2, gW2), (b2, gb2)):
            w -= lr * g
        return loss

    return _steps(step, 2 if quick else 8)


def make_sgd(quick: bool):
    import numpy as np

    from nn.backprop import sgd
    from nn.data import hh19

    X, Y = hh19()
    rng = np.random.default_rng(5000)
    start = [(0.5 * rng.standard_normal((m, n)), 0.5 * rng.standard_normal(m)) for n, m in [(2, 2), (2, 3), (3, 2)]]
    steps = 10_000 if quick else 100_000

    def sample() -> tuple[float, float, dict]:
        t = time.perf_counter()
        result = sgd(start, X, Y, 0.05, steps, 5001, 1000)
        return time.perf_counter() - t, float(result.costs[-1]), {}

    return sample


MAKERS: dict[str, Callable] = {
    "scalar-mlp": make_scalar_mlp, "plain-floats": make_plain_floats, "chain": make_chain,
    "hh19-tensor": make_hh19_tensor, "hh19-numpy": make_hh19_numpy, "mlp-tensor": make_mlp_tensor,
    "mlp-numpy": make_mlp_numpy, "mlp-nn": make_mlp_nn, "sgd": make_sgd, "bce-nn": make_bce_nn,
}


# ================================================================================================================
# The worker: one process per checkout, JSON lines on stdin / on its own copy of stdout.
# ================================================================================================================

def _environment() -> dict:
    import numpy as np

    blas = "unknown"
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{cfg.get('name')} {cfg.get('version')}"
    except Exception:  # older numpy: no dict mode
        pass
    try:
        from threadpoolctl import threadpool_info
        pools = ", ".join(f"{p['internal_api']} {p['num_threads']} thread(s)" for p in threadpool_info()) or "none"
    except ImportError:
        pools = "threadpoolctl not installed"
    variables = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    return {
        "python": platform.python_version(), "executable": sys.executable, "numpy": np.__version__, "blas": blas,
        "env": ", ".join(f"{k}={os.environ[k]}" if k in os.environ else f"{k} not set" for k in variables),
        "pools": pools, "gc": gc.isenabled(),
    }


def worker(checkout: str, threads: int) -> None:
    root = Path(checkout).resolve()
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)                             # stray prints of the code under test go to stderr
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(root)] + [p for p in sys.path if p and Path(p).resolve() not in (root, here)]
    os.chdir(root)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(threads)
    except ImportError:
        pass

    import autograd
    import nn

    for module in (autograd, nn):
        where = Path(module.__file__).resolve()
        if root not in where.parents:
            protocol.write(json.dumps({"error": f"{module.__name__} imported from {where}, not from {root}"}) + "\n")
            return
    samplers: dict[str, Callable] = {}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["cmd"] == "hello":
                reply = {"autograd": autograd.__file__, "nn": nn.__file__, "pid": os.getpid(), **_environment()}
            elif request["cmd"] == "setup":
                samplers[request["workload"]] = MAKERS[request["workload"]](request["quick"])
                reply = {}
            elif request["cmd"] == "run":
                gc.collect()
                seconds, loss, parts = samplers[request["workload"]]()
                reply = {"seconds": seconds, "loss": loss, "parts": parts}
            elif request["cmd"] == "quit":
                return
            else:
                reply = {"error": f"unknown request {request!r}"}
        except Exception:
            reply = {"error": traceback.format_exc()}
        protocol.write(json.dumps(reply) + "\n")


class WorkerError(RuntimeError):
    pass


class Worker:
    """The driver's handle on one worker process."""

    def __init__(self, label: str, checkout: Path, threads: int) -> None:
        self.label, self.checkout = label, checkout
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(threads)
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(checkout), "--threads", str(threads)],
            cwd=checkout, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        self.info = self.ask(cmd="hello")

    def ask(self, **request) -> dict:
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass
        line = self.process.stdout.readline()
        if not line:
            raise WorkerError(f"the {self.label} worker ({self.checkout}) exited (code {self.process.wait()}); "
                              "its stderr is above")
        reply = json.loads(line)
        if "error" in reply:
            raise WorkerError(f"the {self.label} worker ({self.checkout}): {reply['error']}")
        return reply

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


# ================================================================================================================
# The driver.
# ================================================================================================================

def _git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@dataclass
class Checkout:
    label: str
    spec: str
    path: Path
    commit: str
    note: str
    temporary: bool = False


def resolve(label: str, spec: str) -> Checkout:
    """A directory is used as it is; anything else is a git ref of this repository, checked out as a worktree."""
    path = Path(spec).expanduser()
    if path.is_dir():
        path = path.resolve()
        try:
            commit = _git("rev-parse", "--short", "HEAD", cwd=path)
            dirty = _git("status", "--porcelain", "--untracked-files=no", "--", "autograd", "nn", cwd=path)
            note = f"at {commit}" + (f", {len(dirty.splitlines())} changed file(s) in autograd/ nn/" if dirty else "")
        except (subprocess.CalledProcessError, FileNotFoundError):
            commit, note = "?", "not a git checkout"
        return Checkout(label, spec, path, commit, note)
    try:
        commit = _git("rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    except subprocess.CalledProcessError:
        sys.exit(f"--{label}: {spec!r} is neither a directory nor a commit of {REPO}")
    for block in _git("worktree", "list", "--porcelain").split("\n\n"):   # reuse a clean, detached worktree
        fields = dict(line.partition(" ")[::2] for line in block.splitlines())
        if fields.get("HEAD") == commit and "detached" in fields and Path(fields["worktree"]).is_dir():
            where = Path(fields["worktree"])
            if not _git("status", "--porcelain", "--untracked-files=no", cwd=where):
                return Checkout(label, spec, where.resolve(), commit[:7], f"existing clean worktree at {commit[:7]}")
    where = Path(tempfile.mkdtemp(prefix=f"deltagrad-{label}-"))
    _git("worktree", "add", "--detach", "--quiet", str(where), commit)
    return Checkout(label, spec, where, commit[:7], f"temporary worktree at {commit[:7]}", temporary=True)


def remove(checkout: Checkout) -> None:
    if checkout.temporary:
        try:
            _git("worktree", "remove", "--force", str(checkout.path))
        except subprocess.CalledProcessError as e:
            print(f"could not remove the worktree {checkout.path}: {e.stderr.strip()}", file=sys.stderr)
        shutil.rmtree(checkout.path, ignore_errors=True)


@dataclass
class Result:
    """What one workload measured: per-round samples (in the workload's unit) and losses, for each version."""

    workload: str
    samples: dict[str, list[float]] = field(default_factory=lambda: {"before": [], "after": []})
    parts: dict[str, dict[str, list[float]]] = field(default_factory=lambda: {"before": {}, "after": {}})
    losses: dict[str, list[float]] = field(default_factory=lambda: {"before": [], "after": []})

    def median(self, side: str) -> float:
        return statistics.median(self.samples[side])

    @property
    def ratio(self) -> float:
        return self.median("after") / self.median("before")

    @property
    def paired(self) -> tuple[float, float, float]:
        """The median and the interquartile range of the per-round ratios after_i / before_i."""
        r = sorted(a / b for a, b in zip(self.samples["after"], self.samples["before"]))
        if len(r) < 4:
            return statistics.median(r), r[0], r[-1]
        q = statistics.quantiles(r, n=4)
        return q[1], q[0], q[2]

    @property
    def worst_loss_gap(self) -> float:
        return max(abs(a - b) / max(1.0, abs(a)) for a, b in zip(self.losses["before"], self.losses["after"]))


def _figure(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}" if x >= 1 else f"{x:.3f}"


def table(results: dict[str, Result]) -> list[str]:
    lines = ["| workload | unit | before | after | after/before | per-round ratio: median (IQR) | reference ratio "
             "before -> after |", "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        unit, _, ref, _ = WORKLOADS[name]
        q2, q1, q3 = r.paired
        refs = ""
        if ref in results:
            before = r.median("before") / results[ref].median("before")
            after = r.median("after") / results[ref].median("after")
            refs = f"{before:.2f}x -> {after:.2f}x {ref}"
        lines.append(f"| {name} | {unit} | {_figure(r.median('before'))} | {_figure(r.median('after'))} | "
                     f"{r.ratio:.3f} | {q2:.3f} ({q1:.2f}-{q3:.2f}) | {refs} |")
        for part in r.parts["before"]:
            b, a = (statistics.median(r.parts[s][part]) for s in ("before", "after"))
            lines.append(f"| {name}: {part} | {unit} | {_figure(b)} | {_figure(a)} | {a / b:.3f} | | |")
    return lines


def run(argv: list[str] | None = None) -> dict:
    """Parse the arguments, measure, print the report; returns the workers' info and the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=DEFAULT_BEFORE, help=f"PATH or REF (default {DEFAULT_BEFORE})")
    parser.add_argument("--after", default=str(REPO), help="PATH or REF (default: this working tree)")
    parser.add_argument("--rounds", type=int, default=None, help=f"rounds (default {DEFAULT_ROUNDS}, at least 7)")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: {QUICK_ROUNDS} rounds, small samples")
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help="comma-separated subset (references are added): " + ", ".join(WORKLOADS))
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads in the workers (default 1)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (QUICK_ROUNDS if args.quick else DEFAULT_ROUNDS)
    chosen = [w.strip() for w in args.workloads.split(",") if w.strip()]
    unknown = [w for w in chosen if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s) {unknown}; choose from {list(WORKLOADS)}")
    chosen += [WORKLOADS[w][2] for w in chosen if WORKLOADS[w][2] and WORKLOADS[w][2] not in chosen]
    chosen = [w for w in WORKLOADS if w in chosen]                 # in the table's order

    began = time.perf_counter()
    checkouts: list[Checkout] = []
    workers: dict[str, Worker] = {}
    try:
        for label, spec in (("before", args.before), ("after", args.after)):
            checkouts.append(resolve(label, spec))
        for c in checkouts:
            workers[c.label] = Worker(c.label, c.path, args.threads)
        info = {label: w.info for label, w in workers.items()}
        env = info["after"]
        print(f"python {env['python']} ({env['executable']}), numpy {env['numpy']} ({env['blas']}), "
              f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
              f"load average {os.getloadavg()[0]:.2f}")
        print(f"environment: {env['env']}; BLAS pools in the workers: {env['pools']}; gc enabled: {env['gc']}")
        for c in checkouts:
            print(f"{c.label:>6}: {c.path} ({c.note}); autograd from {info[c.label]['autograd']}")
        print(f"{rounds} rounds; in each, every workload runs once in each worker, the order flipping every round",
              flush=True)

        for w in workers.values():
            for name in chosen:
                w.ask(cmd="setup", workload=name, quick=args.quick)
        results = {name: Result(name) for name in chosen}
        for name in chosen:                                      # one untimed sample each, in both
            for w in workers.values():
                w.ask(cmd="run", workload=name)
        for k in range(rounds):
            order = ("before", "after") if k % 2 == 0 else ("after", "before")
            for name in chosen:
                scale = WORKLOADS[name][1]
                for side in order:
                    reply = workers[side].ask(cmd="run", workload=name)
                    r = results[name]
                    r.samples[side].append(reply["seconds"] * scale)
                    r.losses[side].append(reply["loss"])
                    for part, seconds in reply["parts"].items():
                        r.parts[side].setdefault(part, []).append(seconds * scale)
                gap = abs(r.losses["after"][-1] - r.losses["before"][-1]) / max(1.0, abs(r.losses["before"][-1]))
                if not gap <= TOLERANCE:
                    raise WorkerError(f"{name}: the losses disagree in round {k + 1}: before "
                                      f"{r.losses['before'][-1]!r}, after {r.losses['after'][-1]!r}")
            print(f"  round {k + 1}/{rounds} done ({time.perf_counter() - began:.0f} s)", file=sys.stderr)
    finally:
        for w in workers.values():
            w.close()
        for c in checkouts:
            remove(c)

    print("\nfinal losses (before / after; they must agree to 1e-12):")
    for name, r in results.items():
        print(f"  {name:<13} {r.losses['before'][-1]:.15g} / {r.losses['after'][-1]:.15g}"
              f"   (largest relative gap over the rounds {r.worst_loss_gap:.1e})")
    print(f"\nmedians of {rounds} rounds; BLAS threads: {args.threads}")
    print("\n".join(table(results)))
    references = {WORKLOADS[n][2] for n in results}
    slower = [n + (" (a reference: the same code in both, so noise)" if n in references else "")
              for n, r in results.items() if r.ratio > 1.05]
    if slower:
        print(f"\nafter/before above 1.05: {'; '.join(slower)}")
    print(f"\n(load average now {os.getloadavg()[0]:.2f}; the whole run took {time.perf_counter() - began:.0f} s)")
    return {"info": info, "results": results, "checkouts": checkouts}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
        worker(sys.argv[2], threads)
        return
    try:
        run()
    except WorkerError as e:
        sys.exit(f"error: {e}")


if __name__ == "__main__":
    main()
