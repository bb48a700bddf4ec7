"""examples/learning_slowdown.py says the engines' z paths equal the hand-coded ones: that must be checked for both
costs it prints, not only for cross-entropy. And its first gradients against sigma'(z) written out by hand."""

import contextlib
import io
import math

import numpy as np
import pytest
from loading import load_example, unrasterized


def test_a_quadratic_engine_path_that_differs_is_reported(tmp_path, monkeypatch):
    example = load_example("learning_slowdown")
    real = example.on_engines

    def one_path_off(z0, steps, eta):
        found = real(z0, steps, eta)
        found[("Tensor", "quadratic")]["z"] = found[("Tensor", "quadratic")]["z"] + 1.0
        return found

    monkeypatch.setattr(example, "on_engines", one_path_off)
    unrasterized(monkeypatch)                                  # the report is under test here, not the PNG
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        example.main(steps=5, starts=(4.0,), out_dir=str(tmp_path), show=True)
    lines = [s for s in out.getvalue().splitlines() if "engine, start z" in s]
    tensor, value = (next(s for s in lines if s.startswith(e)) for e in ("Tensor", "Value"))
    assert "DIFFER FROM the hand-coded" in tensor, tensor
    assert "equal the hand-coded" in value, value


def test_first_gradients_are_the_formulas_by_hand():
    example = load_example("learning_slowdown")
    for z0 in (100.0, 4.0):
        a = 1 / (1 + math.exp(-z0))
        sigma_prime = math.exp(-z0) / (1 + math.exp(-z0)) ** 2
        quadratic = example.descend(z0, "quadratic", 1, 0.5)
        cross = example.descend(z0, "binary_cross_entropy", 1, 0.5)
        assert quadratic["gradient"][0] == pytest.approx(a * sigma_prime, rel=1e-12)    # (a - y) sigma'(z)
        assert cross["gradient"][0] == pytest.approx(a, rel=1e-12)                      # a - y
        assert cross["z"][1] == pytest.approx(z0 - 2 * 0.5 * a, rel=1e-12)              # w and b both fall by eta a
        np.testing.assert_allclose(quadratic["cost"][0], 0.5 * a * a, rtol=1e-12)
