"""Mutation testing, fourth round: nn.init. standard_normal has std 1 (Nielsen's randn), rng_from hands a Generator
back as it is (so draws continue from it), a std of 0 or less is refused, and sample() checks the bias as it checks
the weights (its dtype, its shape, NaN) and refuses an rng that is not a Generator."""

import numpy as np
import pytest

from nn import init


def test_standard_normal_draws_weights_and_biases_of_std_one():
    W, b = init.standard_normal(np.random.default_rng(0), 400, 300)
    assert W.std() == pytest.approx(1.0, rel=0.01) and b.std() == pytest.approx(1.0, rel=0.1)


def test_rng_from_a_generator_is_that_generator_so_its_draws_continue():
    rng = np.random.default_rng(0)
    assert init.rng_from(rng) is rng


@pytest.mark.parametrize("std", [0.0, -0.5])
def test_normal_refuses_a_std_that_is_not_positive(std):
    with pytest.raises(ValueError, match="nn.init.normal.*std"):
        init.normal(std)


def returning(b):
    return lambda rng, n_out, n_in: (np.zeros((n_out, n_in)), b)


@pytest.mark.parametrize(("b", "error", "says"), [
    (np.array([1j, 0j, 0j]), TypeError, r"b of dtype complex128; give real numbers"),
    (np.zeros((3, 1)), ValueError, r"b of shape \(3, 1\); a layer 2 -> 3 needs .* b of shape \(3,\)"),
    (np.array([0.0, np.nan, 0.0]), ValueError, "returned NaN or inf among the weights or biases"),
], ids=["complex", "column", "nan"])
def test_sample_checks_the_bias_as_it_checks_the_weights(b, error, says):
    with pytest.raises(error, match=says):
        init.sample(returning(b), np.random.default_rng(0), 3, 2)


def test_sample_refuses_a_seed_where_a_generator_is_due():
    with pytest.raises(TypeError, match="nn.init.sample: rng must be a numpy Generator"):
        init.sample(init.xavier, 0, 3, 2)
