"""Hostile sizes given as arguments (not files): each is refused at the call, naming the argument and the bound, in
well under a second and a few MiB, where the old code computed or allocated in a loop for minutes before memory ran
out. The huge cases are never run: ``refused_cheaply`` fails a test whose call is still busy after two seconds."""

from __future__ import annotations

import contextlib
import io
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from autograd.functional import hessian, jacobian
from nn import checks, init, perceptrons, scalar
from tests.hostile import refused_cheaply, within

# --- autograd.functional: n^2 numbers, one backward pass per row ------------------------------------------------


def test_a_jacobian_of_more_than_2_gib_is_refused_before_its_first_backward_pass():
    n = 2**15                                                  # 2**15 x 2**15 = 2**30 numbers, 8 GiB
    error = refused_cheaply(jacobian, lambda x: x * 2, Tensor(np.ones(n)), match="Jacobian would hold")
    message = str(error)
    assert "32,768 x 32,768 = 1,073,741,824 numbers (8.0 GiB in float64)" in message
    assert "at most 2**28 = 268,435,456" in message and "vjp or jvp" in message


def test_a_jacobian_counts_every_output_and_every_input():
    a, b = Tensor(np.ones(2**13)), Tensor(np.ones(2**13))        # two inputs, two outputs: (2**14)^2 = 2**28: taken
    error = refused_cheaply(jacobian, lambda x, y: (x * y, (x + y).sum(), x), (a, b), match="Jacobian would hold")
    assert "16,385 x 16,384" in str(error) and "jacobian:" in str(error)


def test_a_hessian_towards_more_than_16384_entries_is_refused_before_its_first_backward_pass():
    error = refused_cheaply(hessian, lambda x: (x * x).sum(), Tensor(np.ones(16_385)), match="Hessian would hold")
    assert "16,385 x 16,385" in str(error) and "hvp or vhp" in str(error) and str(error).startswith("hessian:")


def test_a_hessian_of_values_is_bounded_alike():
    xs = [Value(1.0) for _ in range(16_385)]
    refused_cheaply(hessian, lambda v: v[0] * v[1], xs, match="hessian: the Hessian would hold 16,385 x 16,385")


def test_jacobians_and_hessians_within_the_bound_are_still_computed():
    J = jacobian(lambda x: x ** 2, Tensor([1.0, 3.0]))               # diag(2 x)
    assert J.data.tolist() == [[2.0, 0.0], [0.0, 6.0]]
    H = hessian(lambda v: v[0] * v[0] * v[1], [Value(1.0), Value(2.0)])   # [[2 y, 2 x], [2 x, 0]]
    assert H.tolist() == [[4.0, 2.0], [2.0, 0.0]]


# --- nn.MLP / nn.scalar.MLP: weights of all layers together, and the number of layers ---------------------------


def test_an_mlp_whose_layers_together_pass_2_gib_is_refused_before_any_layer_is_drawn():
    error = refused_cheaply(nn.MLP, [15_000] * 20, match="make 4,275,000,000 weights in all")
    message = str(error)                                       # each layer alone (2.25e8) is within 2**28
    assert message.startswith("MLP: sizes [15000, 15000,") and "(20 numbers)" in message
    assert "more than the 2**28 = 268,435,456 a model may hold" in message


def test_an_mlp_at_the_bound_in_all_is_taken_and_one_layer_too_large_is_named_as_before():
    init.model_weights([2**14, 2**13, 2**14], "MLP")          # 2**27 + 2**27 = 2**28: taken
    with pytest.raises(ValueError, match="268,435,457 weights in all"):
        init.model_weights([1, 1, 2**28], "MLP")                # 1 + 2**28
    refused_cheaply(nn.MLP, [10**6, 10**6], match="weights one layer may have")


@pytest.mark.parametrize("make, said", [
    (lambda: nn.MLP([2] * 10**5), "MLP: sizes lists 100,000 sizes, more than 10,001"),
    (lambda: scalar.MLP(2, [1] * 10**5), "scalar MLP: sizes lists 100,000 sizes, more than 10,000"),
])
def test_a_network_of_more_than_10000_layers_is_refused_before_any_size_is_checked(make, said):
    error = refused_cheaply(make, match=said)
    assert "at most 10,000 layers" in str(error) and "(100,000 numbers)" in str(error)
    assert len(str(error)) < 400                               # not every size (megabytes, seconds for 10**7)


def test_sizes_of_10000_layers_pass_the_check():
    assert len(checks.sizes([1] * 10_001, "MLP", maximum_length=checks.MAX_LAYERS + 1)) == 10_001
    assert len(checks.sizes([1] * 10_000, "scalar MLP", maximum_length=checks.MAX_LAYERS)) == 10_000


def test_a_long_list_in_a_message_shows_its_ends_and_its_count():
    assert checks.listed([2, 16, 1]) == "[2, 16, 1]"
    assert checks.listed(list(range(100))) == "[0, 1, 2, 3, 4, 5, 6, 7, ..., 97, 98, 99] (100 numbers)"


# --- nn.fit: a batch drawn with replacement holds batch_size rows, however few samples there are -----------------


def _small_run():
    X = np.linspace(0.0, 1.0, 10)[:, None]
    model = nn.MLP([1, 2, 1], seed=0)
    return model, X, (X > 0.5) * 1.0, nn.SGD(model.parameters(), lr=0.1)


@pytest.mark.parametrize("compile", [False, True])
def test_a_batch_drawn_with_replacement_past_2_gib_is_refused_naming_batch_size(compile):
    model, X, Y, opt = _small_run()
    before = [p.data.copy() for p in model.parameters()]
    error = refused_cheaply(nn.fit, model, X, Y, "mse", opt, epochs=1, batch_size=10**12, replacement=True,
                            compile=compile, progress=False, match="fit: a batch of batch_size=1000000000000 rows")
    message = str(error)                                      # rows of 8 + 8 bytes
    assert "of 16 bytes (X and Y) would take 14.6 TiB, more than 2.0 GiB" in message
    assert "at most 134,217,728 of these rows" in message and "here 10)" in message
    assert all((p.data == b).all() for p, b in zip(model.parameters(), before))


def test_a_batch_at_2_gib_is_taken_and_without_replacement_none_is_drawn_beyond_the_samples():
    from nn.train import _refuse_huge_batch
    X, Y = np.zeros((3, 1)), np.zeros((3, 1))
    _refuse_huge_batch(2**27, X, Y)                           # 2**27 rows of 16 bytes: 2 GiB exactly
    with pytest.raises(ValueError, match="at most 134,217,728 of these rows"):
        _refuse_huge_batch(2**27 + 1, X, Y)
    model, X, Y, opt = _small_run()
    history = nn.fit(model, X, Y, "mse", opt, epochs=1, batch_size=10**12, progress=False)   # one batch of all 10
    assert len(history.train_loss) == 1


# --- nn.backprop.training_source: a line of code per weight -----------------------------------------------------


def test_training_source_for_more_than_100000_weights_is_refused_before_writing_a_line():
    from nn.backprop import training_source
    error = refused_cheaply(training_source, [10**4, 10**4], match="these sizes make 100,010,000 weights and biases")
    assert "at most 100,000" in str(error) and "gradients() and sgd()" in str(error)
    refused_cheaply(training_source, [2, 10**200], match="make about 10\\^200 weights")
    assert training_source([2, 2, 3, 2]).startswith("def train(p, xs, ys, eta, order):")


# --- the examples: a count of steps past 1,000 times the default stops at once, naming the option ---------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
COUNTS = [
    ("cost_of_gradients", "--repeats", 3),
    ("hh19_netbp", "--iterations", 1_000_000),
    ("hh19_netbp", "--fit-iterations", 20_000),
    ("learning_slowdown", "--steps", 300),
    ("mnist", "--epochs", 30),
    ("perceptron", "--epochs", 100),
    ("perceptron", "--mlp-iterations", 20_000),
    ("posterior_kl", "--epochs", 400),
    ("row_network", "--epochs", 3000),
    ("second_order", "--iterations", 100),
    ("second_order", "--gd-iterations", 20_000),
    ("universal_approximation", "--steps", 10_000),
    ("universal_approximation", "--starts", 3),
    ("xor", "--epochs", 2000),
]


def _stopped(script: str, argv: list[str], monkeypatch) -> tuple[int, str]:
    path = EXAMPLES / f"{script}.py"
    monkeypatch.setattr(sys, "argv", [str(path), *argv])
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), \
            pytest.raises(SystemExit) as stopped:
        within(2.0, runpy.run_path, str(path), run_name="__main__")     # the old scripts ran for hours
    return stopped.value.code, err.getvalue()


@pytest.mark.parametrize("script, option, default", COUNTS, ids=[f"{s}{o}" for s, o, _ in COUNTS])
def test_a_count_past_1000_times_the_default_stops_the_example_with_status_2(script, option, default, monkeypatch,
                                                                          tmp_path):
    monkeypatch.chdir(tmp_path)                    # an example that ran anyway would write its figures here
    bound = 1000 * default
    code, said = _stopped(script, [option, str(bound + 1)], monkeypatch)
    assert code == 2
    assert f"error: argument {option}: must be at most {bound:,} (1,000 times the default, {default:,}), " \
        f"got {bound + 1:,}" in said, said
    assert _stopped(script, [option, str(10**12)], monkeypatch)[0] == 2
    assert not list(tmp_path.iterdir())


def test_the_bound_is_in_the_help(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["xor.py", "--help"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        runpy.run_path(str(EXAMPLES / "xor.py"), run_name="__main__")
    assert "at most 2,000,000" in out.getvalue()


# --- the perceptron rules: epochs that never end on classes no line separates ------------------------------------

XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([-1, 1, 1, -1])


@pytest.mark.parametrize("rule, name, extra", [
    (perceptrons.sign_perceptron, "epochs", {}),
    (perceptrons.batch_perceptron, "steps", {}),
    (perceptrons.madaline, "epochs", {"n_hidden": 2, "eta": 0.1}),
])
def test_a_perceptron_rule_refuses_more_than_10_million_epochs_at_once(rule, name, extra):
    for n, shown in ((10**7 + 1, "10000001"), (10**12, "1000000000000")):
        error = refused_cheaply(rule, *XOR, **{name: n}, **extra,
                                match=f"{name} must be at most 10,000,000, got {shown}")
        assert str(error).startswith(f"{rule.__name__}: ") and "on XOR, never" in str(error)
    assert len(rule(*XOR, **{name: 3}, **extra).mistakes) == 3          # XOR: every epoch has a mistake


# --- compare_gradients: the budget the command line keeps, for the function too ------------------------------------


def test_compare_gradients_refuses_a_comparison_over_2_gib_before_any_method_runs():
    from nn.compare import compare_gradients
    rng = np.random.default_rng(0)
    X, Y = rng.uniform(size=(1000, 784)), np.eye(10)[rng.integers(0, 10, 1000)]
    model = nn.MLP([784, 100, 10], seed=0)                  # 79,510 parameters: a Value graph of 8e7 nodes
    error = refused_cheaply(compare_gradients, model, X, Y, match="compare_gradients: net 784-100-10 "
                            "\\(79,510 parameters\\), 1000 samples, methods manual,tensor,scalar,numerical,forward")
    assert "would need about 7.7 GiB of memory (the limit is 2.0 GiB)" in str(error)
    assert "pass force=True to try anyway" in str(error) and "--force" not in str(error)


def test_the_forward_sensitivities_estimate_leaves_out_the_inputs_of_the_first_layer():
    from nn.compare import MAX_MEMORY, _check_budget, estimate
    # dz^[2]/db^[2] is 100 x 100 x 1000 numbers, then dz^[3]/db^[m] 10 x 110 x 1000 beside them: by hand,
    # 16 * 1000 * (10 * 110 + 100 * 100) bytes for forward (twice that for temporaries), and as every method two
    # float64 copies of the 79,510 parameters, on top of manual's alone
    extra = estimate([784, 100, 10], 1000, ["manual", "forward"])[0] - estimate([784, 100, 10], 1000, ["manual"])[0]
    assert extra == 16 * 1000 * (10 * 110 + 100 * 100) + 16 * 79_510
    assert _check_budget([784, 100, 10], 1000, ["manual", "tensor", "forward"], command_line=False) is None
    assert estimate([784, 100, 10], 1000, ["manual", "tensor", "forward"])[0] < MAX_MEMORY


def test_compare_gradients_with_force_runs_what_the_budget_would_refuse(monkeypatch):
    from nn import compare
    from nn.data import hh19
    X, Y = hh19()
    weights = nn.MLP([2, 2, 3, 2], init="normal", seed=0).get_weights()
    monkeypatch.setattr(compare, "MAX_MEMORY", 0)           # every run is now over budget
    with pytest.raises(ValueError, match="would need about .* of memory \\(the limit is 0 bytes\\)"):
        compare.compare_gradients(weights, X, Y)
    assert compare.compare_gradients(weights, X, Y, force=True).ok
    with pytest.raises(TypeError, match="force"):
        compare.compare_gradients(weights, X, Y, force="yes")


# --- nn.backprop.sgd: every recorded cost is kept to the end ---------------------------------------------------------


def test_sgd_refuses_to_record_the_cost_more_than_a_million_times():
    from nn.backprop import sgd
    from nn.data import hh19
    X, Y = hh19()
    weights = nn.MLP([2, 2, 3, 2], init="normal", seed=0).get_weights()
    error = refused_cheaply(sgd, weights, X, Y, iterations=10**12, record_every=1,
                            match="sgd: iterations=1,000,000,000,000 with record_every=1 would record the cost "
                                  "1,000,000,000,000 times after the start, more than 1,000,000")
    assert str(error).endswith("take record_every >= 1,000,000")
    refused_cheaply(sgd, weights, X, Y, iterations=10**200, match="record_every >= about 10\\^194")
    result = sgd(weights, X, Y, iterations=3, record_every=1, rng=0)          # 3 records besides step 0
    assert result.steps.tolist() == [0, 1, 2, 3]


def test_compare_gradients_counts_a_column_as_the_one_sample_it_is():
    """An (n_in, 1) X is one sample written as a column: its budget is one sample's (a 784-100-10 net on the
    Value engine: about 33 MiB), not 784 samples' (about 6 GiB, which was refused)."""
    from nn import MLP, compare_gradients

    weights = MLP([784, 100, 10], seed=0).get_weights()
    x = np.random.default_rng(0).random((784, 1))
    y = np.zeros((10, 1))
    y[3] = 1.0
    report = compare_gradients(weights, x, y, methods=("scalar",))
    assert report.ok


@pytest.mark.parametrize("call", [
    lambda backprop: backprop.training_source([10**3000, 10**3000]),
    lambda backprop: backprop.sgd([(np.zeros((1, 2)), np.zeros(1))], np.zeros((1, 2)), np.zeros((1, 1)), eta=0.1,
                                  iterations=10**5000, record_every=1),
])
def test_a_count_of_thousands_of_digits_is_shown_by_its_order_in_the_refusal(call):
    """str() of a number of over 4,300 digits raises Python's own ValueError, which replaced the refusal."""
    from nn import backprop

    with pytest.raises(ValueError, match=r"about 10\^(6000|5000)"):
        call(backprop)


def test_the_forward_sensitivities_estimate_covers_what_they_allocate_and_not_many_times_more():
    """estimate()'s memory for "forward" against tracemalloc's peak of forward_sensitivities itself (numpy reports
    its arrays to tracemalloc): a 64-30-10 net on 200 samples peaked at 3.6 MB, estimated 4.2 MB."""
    import tracemalloc

    from nn import MLP, backprop
    from nn.compare import estimate

    sizes, n = [64, 30, 10], 200
    rng = np.random.default_rng(0)
    weights, X, Y = MLP(sizes, seed=0).get_weights(), rng.random((n, 64)), rng.random((n, 10))
    extra = estimate(sizes, n, ["manual", "forward"])[0] - estimate(sizes, n, ["manual"])[0]
    tracemalloc.start()
    try:
        backprop.forward_sensitivities(weights, X, Y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= extra <= 4 * peak
