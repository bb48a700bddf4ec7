"""examples/cost_of_gradients.py: the growth rate it prints is fitted over the widest widths whatever their order,
and a single width (no growth rate at all) is refused instead of printed as n^-0.0."""

import contextlib
import io
import os
import runpy
import sys

import numpy as np
import pytest
from loading import EXAMPLES, load_example

EXAMPLE = os.path.join(EXAMPLES, "cost_of_gradients.py")


def test_slope_is_fitted_over_the_widest_widths_given_in_any_order():
    # flat (fixed cost) up to n = 32, then n^2: the widest three (16, 32, 512) grow; the last three given do not
    def seconds(n):
        return max(1.0, n * n / 1024.0)

    rows = [{"width": n, "backprop": seconds(n)} for n in (512, 8, 16, 32)]
    x = np.log([16.0, 32.0, 512.0])
    y = np.log([seconds(16.0), seconds(32.0), seconds(512.0)])
    expected = float(np.polyfit(x, y, 1)[0])                    # the least-squares slope through those three
    assert expected > 1
    assert load_example("cost_of_gradients").slope(rows, "backprop") == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("widths", [(8,), (8, 8)])
def test_slope_refuses_fewer_than_two_different_widths(widths):
    rows = [{"width": n, "backprop": float(k + 1)} for k, n in enumerate(widths)]
    with pytest.raises(ValueError, match="slope: a growth rate needs at least two different widths"):
        load_example("cost_of_gradients").slope(rows, "backprop")


@pytest.mark.parametrize("argv, said", [(["--widths", "8"], "argument --widths: needs at least two widths"),
                                        (["--widths", "8,16,8"], "argument --widths: must not repeat a width")])
def test_widths_that_give_no_growth_rate_stop_the_example_with_status_2(argv, said, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [EXAMPLE, *argv])
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), \
            pytest.raises(SystemExit) as stopped:
        runpy.run_path(EXAMPLE, run_name="__main__")
    assert stopped.value.code == 2
    assert f"error: {said}" in err.getvalue(), err.getvalue()


def test_a_sample_of_at_least_all_parameters_times_them_all_instead_of_crashing_in_numpy():
    # width 4: P = 3 (16 + 4) = 60 parameters; a sample of 100 of them used to stop in rng.choice
    rows = load_example("cost_of_gradients").measure([4], repeats=1, sample=100, exact_up_to=10, batch=2)
    assert rows[0]["params"] == 60 and rows[0]["estimated"] is False and rows[0]["numerical"] > 0


def test_a_sample_of_no_parameters_is_refused_by_name():
    with pytest.raises(ValueError, match="measure: sample is how many parameters to time"):
        load_example("cost_of_gradients").measure([4], repeats=1, sample=0, exact_up_to=10, batch=2)
