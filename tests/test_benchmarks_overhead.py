"""benchmarks/overhead.py: its "numpy, the engine's ops" step and its bare engine do numpy by hand's arithmetic (the
same weights after a step), and the script runs end to end. No timing is asserted (speed is measured in benchmarks/,
never in tests)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def overhead():
    sys.path.insert(0, str(ROOT / "benchmarks"))            # the script imports benchmarks/tensor.py as `tensor`
    try:
        import overhead
        yield overhead
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_engines_ops_step_moves_the_weights_as_numpy_by_hand_does(overhead, dtype):
    X, labels, params = overhead.bench.mlp_problem(dtype)
    by_hand, engine_ops = [p.copy() for p in params], [p.copy() for p in params]
    loss_by_hand = overhead.bench.numpy_step(X, labels, by_hand)()
    loss_engine_ops = overhead.engine_ops_step(X, labels, engine_ops)()
    tol = 1e-5 if dtype == np.float32 else 1e-12
    assert abs(loss_by_hand - loss_engine_ops) < tol
    for before, a, b in zip(params, by_hand, engine_ops):
        assert not np.array_equal(a, before)                 # the step moved the weights
        np.testing.assert_allclose(a, b, rtol=0, atol=tol)
    assert overhead.check_same_work(dtype) < tol


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_bare_engine_takes_the_users_step_from_its_own_backward(overhead, dtype):
    """The bare engine's step moves the weights as numpy by hand does, and its backward() is a reverse pass: run
    alone on the loss, it leaves in each weight's .grad what central differences of the loss give."""
    X, labels, params = overhead.bench.mlp_problem(dtype)
    X, labels, params = X[:6, :5], labels[:6], [params[0][:3, :5], params[1][:3], params[2][:, :3], params[3]]
    by_hand, bare = [p.copy() for p in params], [p.copy() for p in params]
    tol = 1e-5 if dtype == np.float32 else 1e-12
    assert abs(overhead.bench.numpy_step(X, labels, by_hand)() - overhead.bare_engine_step(X, labels, bare)()) < tol
    for a, b in zip(by_hand, bare):
        np.testing.assert_allclose(a, b, rtol=0, atol=tol)
    weights = [overhead._Node(p.astype(np.float64)) for p in params]
    x = overhead._Node(X.astype(np.float64))

    def loss() -> overhead._Node:
        h = overhead._bare_linear(x, weights[0], weights[1], True)
        return overhead._bare_cross_entropy(overhead._bare_linear(h, weights[2], weights[3], False), labels)

    loss().backward()
    for w in weights:
        numeric = np.zeros_like(w.data)
        for i in np.ndindex(w.data.shape):
            keep = w.data[i]
            w.data[i] = keep + 1e-6
            up = loss().data.item()
            w.data[i] = keep - 1e-6
            numeric[i] = (up - loss().data.item()) / 2e-6
            w.data[i] = keep
        np.testing.assert_allclose(w.grad, numeric, rtol=1e-6, atol=1e-8)


def test_the_checked_engine_keeps_the_error_policy_it_is_timed_for(overhead):
    """"bare + the checks" moves the weights as numpy by hand does, and each check it is timed with refuses what
    the policy says: a label out of range or negative, an x of the wrong width, a weight changed in place between
    the forward pass and backward(); with grad mode off in its thread, nothing is recorded."""
    X, labels, params = overhead.bench.mlp_problem(np.float64)
    by_hand, checked = [p.copy() for p in params], [p.copy() for p in params]
    assert abs(overhead.bench.numpy_step(X, labels, by_hand)() - overhead.checked_engine_step(X, labels, checked)()) \
        < 1e-12
    for a, b in zip(by_hand, checked):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    C = overhead._Checked
    W1, b1, W2, b2 = (C(p.copy()) for p in params)
    x = C(X, requires_grad=False)

    def loss(y: np.ndarray) -> object:
        h = overhead._checked_linear(x, W1, b1, True)
        return overhead._checked_cross_entropy(overhead._checked_linear(h, W2, b2, False), y)

    for bad in (np.where(labels == 0, 10, labels), np.where(labels == 0, -1, labels)):
        with pytest.raises(ValueError, match="integer classes|int64 classes"):
            loss(bad)
    with pytest.raises(ValueError, match="x needs 784 columns"):
        overhead._checked_linear(C(X[:, :5], requires_grad=False), W1, b1, True)
    stale = loss(labels)
    W1.changed = overhead._stamp()                          # as the optimizer stamps a weight it moves
    with pytest.raises(RuntimeError, match="changed in place"):
        stale.backward()
    loss(labels).backward()                                 # a graph made after the change differentiates
    assert W1.grad.shape == W1.data.shape
    overhead._mode.enabled = False
    try:
        assert loss(labels).parents == ()
    finally:
        overhead._mode.enabled = True


# The script run as a user runs it, but with PyTorch hidden: tensor.py imports it for a baseline this script never
# times, and the import alone took 3.4 s of the test's 4.6 s of CPU
_WITHOUT_TORCH = ("import runpy, sys; sys.modules['torch'] = None; sys.argv[0] = {script!r}; "
                  "sys.path.insert(0, {benchmarks!r}); runpy.run_path({script!r}, run_name='__main__')")


def test_the_script_prints_the_six_steps_against_numpy_by_hand():
    code = _WITHOUT_TORCH.format(script=str(ROOT / "benchmarks" / "overhead.py"), benchmarks=str(ROOT / "benchmarks"))
    out = subprocess.run([sys.executable, "-c", code, "--tiny", "--repeats", "7", "--calls", "1"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    for name in ("numpy by hand", "nn (user code)", "numpy, engine's ops", "by hand + Python", "a bare engine",
                 "bare + the checks"):
        assert f"   {name}" in out and "x numpy by hand (quartiles" in out
    assert "agree to" in out
    assert "malloc: freed memory kept" in out or "malloc: glibc's defaults" in out   # what was done is said
    assert "a hot microsecond of Python costs" in out or "no budget computed" in out
    assert "a bare engine's Python" in out or "no budget computed" in out


def test_the_python_budget_reads_the_rows_as_worked_out_by_hand(overhead):
    """numpy by hand 1000 us, + 20 us of hot Python 1040 us (2 us a hot us); the engine's ops 1010 us, nn 1090 us:
    nn's Python is 80 us of the step (40 us hot), a bare engine's (1040 us) 30 us (15 us hot); 1.03x allows
    1030 - 1010 = 20 us of the step (10 us hot)."""
    samples = {"numpy by hand": [1000e-6] * 3, "by hand + Python": [1040e-6] * 3,
               "numpy, engine's ops": [1010e-6] * 3, "nn (user code)": [1090e-6] * 3,
               "a bare engine": [1040e-6] * 3, "bare + the checks": [1060e-6] * 3}
    lines = overhead.python_budget(samples, hot=20e-6)
    assert "costs 2.0 us inside this step" in lines[0]
    assert "80 us of the step, about 40 us of hot Python" in lines[1]
    assert "a bare engine's Python: 30 us of the step, about 15 us of hot Python" in lines[2]
    assert "the error policy's checks: 50 us of the step, about 25 us of hot Python" in lines[3]
    assert "may take 20 us of the step, about 10 us of hot Python" in lines[4]


_FAULTS = """
import resource, sys
import numpy as np
sys.path.insert(0, {benchmarks!r})
if {keep}:
    sys.modules["torch"] = None             # tensor.py's optional baseline: 2.5 s of import, nothing to do with malloc
    import tensor
    print(tensor.keep_freed_memory())
faults = []
for _ in range(4):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    a = np.ones(8 * 2**20)                  # 64 MB, written: above glibc's largest mmap threshold
    del a
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(*faults)
"""


def _faults_per_round(keep: bool) -> tuple[list[int], str]:
    code = _FAULTS.format(benchmarks=str(ROOT / "benchmarks"), keep=keep)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         check=True).stdout.splitlines()
    return [int(n) for n in out[-1].split()], out[0] if keep else ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc and getrusage's page faults: Linux")
def test_keep_freed_memory_stops_a_freed_block_from_paging_in_again():
    """The benchmarks' keep_freed_memory(): without it a freed 64 MB block goes back to the OS and its pages fault
    in again on every round; with it only the first round faults (the memory stays with the process)."""
    default, _ = _faults_per_round(keep=False)
    kept, said = _faults_per_round(keep=True)
    assert said.startswith("malloc: freed memory kept")
    assert min(default[1:]) > 200                           # glibc's default: every round pages (the control)
    assert max(kept[1:]) < 50                               # kept: no round after the first pages
