"""Mutation testing, fourth round: autograd.testing's strategies draw everything they say they draw (every side up
to max_side, every number of axes up to max_dims, the 0-d shape, stacks of matrices for @, float32 numbers inside
the bounds as float32 holds them), and refuse by name, when built, the sizes they cannot draw."""

import re

import numpy as np
import pytest
from hypothesis import Phase, find, settings
from hypothesis.errors import NoSuchExample

from autograd.testing import (
    broadcastable_shapes,
    broadcastable_tensors,
    expressions,
    floats,
    matmul_shapes,
    matmul_tensors,
    shapes,
    tensors,
    values,
)

# No shrink phase: reachable() asks whether a draw meets the condition, not for the smallest one, and shrinking the
# first it found was most of this file's time. The draws searched are the same up to that first one (and all 300
# of them when none meets it).
SEARCH = settings(max_examples=300, database=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])


def reachable(strategy, condition):
    """Whether hypothesis finds a draw of ``strategy`` that meets ``condition`` (a strategy that silently draws less
    than it says never does)."""
    try:
        find(strategy, condition, settings=SEARCH)
    except NoSuchExample:
        return False
    return True


@pytest.mark.parametrize(("what", "condition"), [
    ("the largest side", lambda s: 4 in s),
    ("the most axes", lambda s: len(s) == 3),
    ("a number, the 0-d shape", lambda s: s == ()),
])
def test_shapes_reach_every_end_of_their_range(what, condition):
    assert reachable(shapes(), condition), what


@pytest.mark.parametrize(("what", "condition"), [
    ("the largest side", lambda pair: 4 in pair[0] + pair[1]),
    # max_dims counts the stacking axes: 3 of them and the 2 of a matrix make 5
    ("the deepest stack of matrices", lambda pair: max(len(pair[0]), len(pair[1])) == 5),
])
def test_matmul_shapes_reach_every_end_of_their_range(what, condition):
    assert reachable(matmul_shapes(), condition), what


def test_broadcastable_shapes_draw_a_side_of_0_when_min_side_allows_it():
    assert reachable(broadcastable_shapes(2, min_side=0, max_side=2), lambda pair: any(0 in s for s in pair))


def test_tensor_tuples_use_the_max_side_and_max_dims_they_are_given():
    assert reachable(broadcastable_tensors(2, max_dims=1, max_side=6), lambda ts: any(6 in t.shape for t in ts))
    assert reachable(matmul_tensors(max_dims=4, max_side=1), lambda ts: max(t.ndim for t in ts) == 6)


def test_float32_tensors_hold_only_numbers_inside_their_bounds():
    # float64 draws in [0.29, 0.3] cast to float32 could round up to 0.30000001: the bounds are for the Tensor's
    # numbers, so the strategy draws float32 numbers in the first place
    strategy = tensors((1,), dtype=np.float32, min_value=0.29, max_value=0.3, any_layout=False)
    assert not reachable(strategy, lambda t: not 0.29 <= float(t.data[0]) <= 0.3)


@pytest.mark.parametrize("build", [lambda: shapes(max_dims=True), lambda: shapes(min_side=False),
                                   lambda: matmul_shapes(max_dims=31),
                                   lambda: matmul_shapes(min_side=0, max_side=0),
                                   lambda: broadcastable_shapes(2, min_side=0, max_side=0)],
                         ids=["bool-dims", "bool-side", "matmul-31-axes", "matmul-side-0", "broadcast-side-0"])
def test_sizes_the_strategies_cannot_draw_are_refused_when_built(build):
    with pytest.raises(ValueError, match=r"^(shapes|matmul_shapes|broadcastable_shapes): (max_dims|min_side|max_side)"):
        build()


# --- floats() and values() -----------------------------------------------------------------------------------------
def test_floats_draw_both_sides_of_the_gap_around_zero_and_its_edge():
    strategy = floats(-1.0, 0.5, away_from_zero=0.5)
    assert reachable(strategy, lambda x: x < 0)
    assert reachable(strategy, lambda x: x == 0.5)      # the positive side is the single number 0.5


def test_floats_of_a_single_number_draw_it():
    assert find(floats(1.25, 1.25), lambda x: True, settings=SEARCH) == 1.25


def test_floats_never_draw_a_subnormal_even_beside_one():
    tiny = float(np.finfo(np.float64).tiny)
    assert not reachable(floats(0.0, 1e-300), lambda x: 0 < x < tiny)


@pytest.mark.parametrize("kwargs", [{"away_from_zero": float("nan")}, {"width": 128}], ids=["nan-margin", "width-128"])
def test_floats_refuse_a_nan_margin_and_a_width_numpy_floats_do_not_have(kwargs):
    with pytest.raises(ValueError, match=r"^floats: (away_from_zero|width) must be"):
        floats(**kwargs)


def test_values_keep_away_from_zero():
    assert not reachable(values(away_from_zero=0.5), lambda v: abs(v.data) < 0.5)


# --- expressions() ------------------------------------------------------------------------------------------------
def one_step(op, inputs=2):
    return expressions(ops=(op,), min_inputs=inputs, max_inputs=inputs, max_ops=1)


def test_expressions_draw_several_inputs_each_its_own_number():
    assert reachable(expressions(), lambda e: len(e.inputs) == 3)
    assert reachable(one_step("+"), lambda e: e.inputs[0].data != e.inputs[1].data)


def test_a_binary_step_takes_its_operands_in_either_order_and_numbers_on_either_side():
    # the first step's latest node is x0: "x1 - x0" has the other node first; "0.5 - x0" a number on the left
    assert reachable(one_step("-"), lambda e: e.steps[0].args == (1, 0))
    assert reachable(one_step("-", inputs=1), lambda e: re.match(r"v1 = \(?-?[0-9]", e.lines()[0]))


def test_weighted_sum_reaches_another_node_than_the_latest():
    assert reachable(one_step("weighted_sum"), lambda e: e.steps[0].args[1] != e.steps[0].args[0])


def test_an_argument_is_moved_below_a_kink_too_not_only_above_it():
    # x0 > -0.25 is not clear of relu's kink: moved below it, by at least 0.25, relu gives 0
    assert reachable(one_step("relu", inputs=1), lambda e: e.inputs[0].data > -0.25 and e(*e.inputs).data == 0.0)
