"""Mutation testing of autograd/functional.py, thirteenth round: each test fails on a deliberate mistake (named in
the test's comment) that the rest of the suite let pass. Expected numbers are worked out by hand from the formulas
in the comments."""

import numpy as np
import pytest

from autograd import Tensor, Value, detect_anomaly, no_grad
from autograd.functional import grad, hessian, hvp, jacobian, jvp, vhp, vjp
from autograd.tensor.core import make
from autograd.tensor.vjp_graph import SecondOrderError


class _FirstBackwardPass(Exception):
    """Raised by the vjp of ``_reached``: the call got past the size check to its first backward pass (which,
    with create_graph=True, stops earlier still: ``reached`` has no differentiable vjp, a SecondOrderError)."""


def _reached(x: Tensor) -> Tensor:
    """x itself, recorded with a vjp that stops the call the moment a backward pass reaches it."""
    def vjp(g):
        raise _FirstBackwardPass
    return make(x.data.copy(), (x,), vjp, "reached")


def test_a_jacobian_of_exactly_2_to_the_28_entries_is_taken_not_refused():
    # mutant: refuse_too_large with rows * columns >= MAX_ENTRIES instead of >. The docstring bounds a Jacobian at
    # "more than 2**28 numbers"; 2**14 outputs x 2**14 inputs is 2**28 exactly, so the call must go on to its
    # first backward pass (stopped there, so that no 2 GiB are made); the mutant refused it.
    with pytest.raises(_FirstBackwardPass):
        jacobian(_reached, Tensor(np.ones(2**14)))
    # one output entry more: 16,385 x 16,384 = 268,451,840, refused before that pass (268,451,840 * 8 / 2**30 = 2.0)
    with pytest.raises(ValueError, match=r"16,385 x 16,384 = 268,451,840 numbers \(2\.0 GiB in float64\)"):
        jacobian(lambda x: (_reached(x), x[:1]), Tensor(np.ones(2**14)))


def test_a_hessian_counts_the_entries_of_every_input_for_its_rows():
    # mutant: hessian's rows counted from its first input alone (call.size(call.leaves[0])). Towards inputs of
    # 8,192 and 8,193 entries the Hessian is 16,385 x 16,385 = 268,468,225 > 2**28 numbers, refused; the mutant
    # counted 8,192 x 16,385 = 134,225,920 rows x columns and went on to the first of 16,385 backward passes.
    # At 8,192 + 8,192 = 16,384 entries (2**28 exactly) it goes on, as the docstring's "over 16,384" says.
    f = lambda x, y: _reached(x).sum() + _reached(y).sum()                      # noqa: E731
    with pytest.raises(ValueError, match=r"hessian: the Hessian would hold 16,385 x 16,385 = 268,468,225"):
        hessian(f, (Tensor(np.ones(2**13)), Tensor(np.ones(2**13 + 1))))
    with pytest.raises(SecondOrderError, match="the op 'reached'"):     # its first pass, with create_graph=True
        hessian(f, (Tensor(np.ones(2**13)), Tensor(np.ones(2**13))))


@pytest.mark.parametrize("engine", [Value, lambda v: Tensor(v, requires_grad=True)], ids=["Value", "Tensor"])
def test_grad_refuses_fewer_grad_outputs_than_outputs(engine):
    # mutant: grad without its count of grad_outputs against outputs. zip() then paired the first output with
    # the one weight and dropped the second output silently: d(2 x + 3 x)/dx read 2, not 5.
    x = engine(1.5)
    y1, y2 = x * 2.0, x * 3.0
    with pytest.raises(ValueError, match=r"grad: 1 grad_outputs for 2 outputs; give one per output"):
        grad([y1, y2], [x], [1.0])
    (g,) = grad([y1, y2], [x], [1.0, 1.0])
    assert float(getattr(g, "data", g)) == 5.0


def test_the_jacobian_of_an_output_with_no_entries_has_the_output_s_shape_first():
    # mutant: _assemble's zeros for an output of no entries shaped (in..., out...) instead of (out..., in...).
    # The docstring's rule, an output (m...) and an input (n...) give (m..., n...): x[:0] of an input (2, 3) has
    # shape (0, 3), so its Jacobian is (0, 3, 2, 3); the mutant gave (2, 3, 0, 3).
    J = jacobian(lambda x: x[:0] * 2.0, Tensor(np.ones((2, 3))))
    assert J.data.shape == (0, 3, 2, 3)


@pytest.mark.parametrize("engine", [Value, lambda v: Tensor(v, requires_grad=True)], ids=["Value", "Tensor"])
def test_a_nan_seed_given_to_grad_is_blamed_on_the_caller_under_detect_anomaly(engine):
    # mutant: _value_grad without its anomaly test of the seed (the Tensor one's too, f16). The NaN weight is the
    # caller's; without the test it flowed into the first op's gradient, and anomaly mode blamed that op ("backward()
    # through the '*' node gave nan as the gradient of its parent").
    x = engine(1.5)
    y = x * 2.0
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"grad: grad_outputs\[0\] holds nan.* \(detect_"
                                                                   r"anomaly is on\): the seed of the backward pass"):
        grad([y], [x], [float("nan")])


def test_the_gradient_of_a_value_towards_itself_is_one_not_a_constant_refused():
    # mutant: grad refusing every output with no parents as "a constant", also one that is an input itself. A
    # leaf is no constant towards itself: dx/dx = 1 (PyTorch's grad(x, x) is 1 too), and towards another input 0.
    x, y = Value(2.5), Value(-1.0)
    assert grad(x, [x]) == (1.0,)
    assert grad(x, [x, y], allow_unused=True) == (1.0, None)


def test_a_value_computed_inside_no_grad_is_refused_as_a_constant_output():
    # mutant: grad without its test of an output with no graph. The output was made inside no_grad(): the
    # refusal names it a constant and says how to differentiate a gradient; without it the error blamed the input
    # ("the outputs do not depend on inputs[0]"), as if the graph had missed it.
    x = Value(2.0)
    with no_grad():
        y = x * 3.0
    with pytest.raises(RuntimeError, match=r"grad: outputs\[0\] \(.*\) is a constant, computed from no input"):
        grad(y, [x])


def test_grad_towards_a_tensor_that_requires_no_grad_names_that_cause():
    # mutant: _tensor_grad without its test of the inputs' requires_grad. Nothing can depend on such an input, and
    # the refusal says how to make one that can; the mutant's error said only that no path leads to it.
    x = Tensor([1.0, 2.0])
    y = (Tensor([3.0, 4.0], requires_grad=True) * x).sum()
    with pytest.raises(RuntimeError, match=r"grad: inputs\[0\] \(a Tensor of shape \(2,\)\) does not require grad, "
                                           r"so nothing can depend on it; make it with Tensor\(\.\.\., requires_grad"):
        grad(y, [x])


def test_grad_of_a_constant_tensor_output_with_allow_unused_is_none():
    # mutant: _tensor_grad refusing an output that requires no grad even with allow_unused=True. Its derivative
    # towards x is 0, which allow_unused asks to be given as None (as for a Value), not refused.
    x = Tensor([1.0, 2.0], requires_grad=True)
    assert grad(Tensor(5.0), [x], allow_unused=True) == (None,)


def test_grad_of_a_one_entry_output_that_is_not_0_d_needs_no_grad_outputs():
    # mutant: grad asking grad_outputs of every output that is not 0-d (ndim != 0 rather than size != 1). An output
    # of shape (1,) or (1, 1) is a single number, as backward() takes it: d(sum(x^2))/dx = 2 x = (2, 4).
    x = Tensor([1.0, 2.0], requires_grad=True)
    (g,) = grad((x * x).sum().reshape((1, 1)), [x])
    assert g.data.tolist() == [2.0, 4.0]


@pytest.mark.parametrize("form", [vjp, jvp], ids=lambda f: f.__name__)
def test_a_vector_of_another_shape_than_the_tensor_it_multiplies_is_refused(form):
    # mutant: _Call.vector without its shape test. v of shape (1,) for a Tensor of shape (3,) was broadcast: vjp of
    # 2 x gave (2, 2, 2), a product with a vector the caller never gave.
    with pytest.raises(ValueError, match=rf"{form.__name__}: v\[0\] has shape \(1,\), but it must have shape \(3,\)"):
        form(lambda t: t * 2.0, Tensor([1.0, 2.0, 3.0]), np.ones(1))


@pytest.mark.parametrize("form", [vjp, jvp, hvp], ids=lambda f: f.__name__)
def test_a_vector_of_another_length_than_the_values_is_refused(form):
    # mutant: _Call.vector without its count for Values. Three numbers for two Values: zip() dropped the third,
    # and v = (1, 1, 5) was taken as (1, 1).
    f = (lambda v: v[0] * v[1]) if form is hvp else (lambda v: [v[0] * v[1], v[0] + v[1]])
    with pytest.raises(ValueError, match=rf"{form.__name__}: v has 3 entries for 2 Values"):
        form(f, [Value(1.0), Value(2.0)], [1.0, 1.0, 5.0])



@pytest.mark.parametrize("form", [jvp, hvp], ids=lambda f: f.__name__)
def test_v_may_be_left_out_for_one_single_entry_input_only_not_for_several(form):
    # mutant: _Call.vector's default v = 1 given whenever every input has one entry (the count of inputs dropped).
    # For two Values it was the one-entry list [1.0], and zip() took J e_0 (or H e_0) for J v: for f = a b at
    # (1, 2) jvp read 2 = df/da alone, as if v = (1, 0).
    with pytest.raises(ValueError, match=rf"{form.__name__}: v may be left out only when it has a single entry"):
        form(lambda v: v[0] * v[1], [Value(1.0), Value(2.0)])


@pytest.mark.parametrize("form", [vjp, jvp, hvp, vhp], ids=lambda f: f.__name__)
def test_the_output_of_a_function_of_values_comes_back_as_floats_without_create_graph(form):
    # mutant: _Call.output returning func's Values themselves, not their numbers, without create_graph (as the
    # Tensor forms return detached Tensors). f = a b at (1.5, 2): the output 3.0, a float, by hand.
    out, _ = form(lambda v: v[0] * v[1], [Value(1.5), Value(2.0)], [1.0, 1.0] if form is not vjp else 1.0)
    assert type(out) is float and out == 3.0


@pytest.mark.parametrize("form", [hessian, hvp], ids=lambda f: f.__name__)
def test_a_hessian_of_a_tensor_function_with_several_entries_is_refused_by_the_form(form):
    # mutant: scalar_out testing only the number of outputs, not a Tensor output's entries. The refusal names the
    # form the user called and the fix; the mutant's came from grad() inside it ("grad: outputs[0] has shape ...").
    args = (Tensor([1.0, 2.0]),) if form is hessian else (Tensor([1.0, 2.0]), Tensor([1.0, 1.0]))
    with pytest.raises(ValueError, match=rf"{form.__name__}: func must return a single number .* got outputs of "
                                         r"shapes \[\(2,\)\]; reduce it first"):
        form(lambda x: x * x, *args)


def test_the_vjp_of_a_function_of_values_is_a_numpy_array():
    # mutant: pack giving a list of floats, not an array, towards several Values (the module's docstring: "its
    # derivatives come back as numpy arrays"). f = a b at (1, 2): v^T J = (b, a) = (2, 1).
    _, g = vjp(lambda v: v[0] * v[1], [Value(1.0), Value(2.0)], 1.0)
    assert isinstance(g, np.ndarray) and g.tolist() == [2.0, 1.0]


def test_a_differentiable_jacobian_of_one_value_output_is_its_row():
    # mutant: jacobian with create_graph returning the list of rows for a single Value output, not the one row
    # (the docstring: shape (n,) for a single Value; without create_graph it is so). f = a^2 b at (1, 2):
    # the row (2 a b, a^2) = (4, 1), Values whose own derivatives are (2 b, 2 a) = (4, 2) and (2 a, 0) = (2, 0).
    a, b = Value(1.0), Value(2.0)
    row = jacobian(lambda v: v[0] * v[0] * v[1], [a, b], create_graph=True)
    assert [r.data for r in row] == [4.0, 1.0]
    assert grad(row[0], [a, b]) == (4.0, 2.0)
    assert grad(row[1], [a, b], allow_unused=True) == (2.0, None)       # a^2 does not depend on b


def test_grad_towards_no_input_is_refused_not_an_empty_tuple():
    # mutant: grad without its test of an empty inputs list: it returned (), which unpacks into nothing and hides a
    # call that forgot its inputs.
    x = Value(2.0)
    with pytest.raises(ValueError, match="grad: inputs is empty; pass the Values or Tensors to differentiate towards"):
        grad(x * 2.0, [])
