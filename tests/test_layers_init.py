"""nn.init, hostile: the variances each initialiser promises (over many draws, against the papers' formulas),
sizes at the edges, huge scales, seeds and names."""

import numpy as np
import pytest

from nn import init


def assert_variance(sample, want):
    # the sample variance of n draws has a relative standard error below sqrt(2 / (n - 1)) * 1.3 for the normal
    # and uniform laws (kurtosis <= 3); 6 of them is a bound no honest draw crosses
    n = sample.size
    assert abs(sample.var() / want - 1) < 6 * 1.3 * np.sqrt(2 / (n - 1)), (sample.var(), want)
    assert abs(sample.mean()) < 6 * np.sqrt(want / n)


@pytest.mark.parametrize("n_out, n_in", [(400, 300), (1, 20000), (20000, 1)])
def test_xavier_has_glorots_variance_two_over_fan_in_plus_fan_out(n_out, n_in):
    W, b = init.xavier(np.random.default_rng(0), n_out, n_in)
    assert_variance(W, 2.0 / (n_in + n_out))
    assert np.abs(W).max() <= np.sqrt(6.0 / (n_in + n_out)) and np.array_equal(b, np.zeros(n_out))


@pytest.mark.parametrize("n_out, n_in", [(400, 300), (1, 20000), (20000, 1)])
def test_he_has_hes_variance_two_over_fan_in(n_out, n_in):
    W, b = init.he(np.random.default_rng(1), n_out, n_in)
    assert_variance(W, 2.0 / n_in)
    assert np.array_equal(b, np.zeros(n_out))


@pytest.mark.parametrize("std", [0.5, 1.0, 3e-5])
def test_normal_has_variance_std_squared_for_weights_and_biases(std):
    W, b = init.normal(std)(np.random.default_rng(2), 20000, 3)
    assert_variance(W, std ** 2)
    assert_variance(b, std ** 2)


@pytest.mark.parametrize("a", [1.0, 0.3, 1e5])
def test_uniform_has_variance_a_squared_over_three(a):
    W, b = init.uniform(a)(np.random.default_rng(3), 300, 200)
    assert_variance(W, a * a / 3)
    assert np.abs(W).max() <= a and np.array_equal(b, np.zeros(300))


@pytest.mark.parametrize("a", [1e308, np.finfo(float).max])
def test_uniform_of_a_huge_but_finite_a_draws_instead_of_a_bare_overflow_error(a):
    # numpy's uniform(-a, a) computes a - (-a) = 2a: inf, and raised OverflowError from inside numpy
    W, b = init.sample(init.uniform(a), np.random.default_rng(0), 50, 40)
    assert np.all(np.isfinite(W)) and np.abs(W).max() <= a
    assert np.abs(W).max() > a / 2                                  # the draws spread over [-a, a]
    assert (W > 0).any() and (W < 0).any()


def test_uniform_of_one_draws_the_same_weights_as_numpys_uniform_minus_one_to_one():
    W, _ = init.uniform(1.0)(np.random.default_rng(5), 7, 3)
    assert np.array_equal(W, np.random.default_rng(5).uniform(-1.0, 1.0, (7, 3)))


@pytest.mark.parametrize("initialiser", [init.xavier, init.he, init.normal(0.5), init.uniform(2.0),
                                         init.standard_normal])
def test_the_same_seed_gives_the_same_weights_and_a_generator_continues(initialiser):
    one = init.sample(initialiser, init.rng_from(9), 4, 3)
    two = init.sample(initialiser, init.rng_from(9), 4, 3)
    assert all(np.array_equal(p, q) for p, q in zip(one, two))
    rng = init.rng_from(9)
    first, second = init.sample(initialiser, rng, 4, 3), init.sample(initialiser, rng, 4, 3)
    assert all(np.array_equal(p, q) for p, q in zip(first, one)) and not np.array_equal(first[0], second[0])
    assert one[0].dtype == np.float64 and one[1].dtype == np.float64


@pytest.mark.parametrize("initialiser", [init.xavier, init.he])
@pytest.mark.parametrize("n_out, n_in", [(0, 3), (3, 0), (-1, 2)])
def test_a_fan_of_zero_is_refused_by_name(initialiser, n_out, n_in):
    with pytest.raises(ValueError, match=f"nn.init.{initialiser.__name__}: n_(out|in) must be >= 1"):
        initialiser(np.random.default_rng(0), n_out, n_in)


@pytest.mark.parametrize("name", ["Xavier", "glorot", "kaiming", "zeros", 3, ["he"]])
def test_unknown_initialiser_names_are_refused_with_the_known_ones(name):
    with pytest.raises(ValueError, match="unknown initialiser .*known: he, normal, standard_normal, uniform, xavier"):
        init.get(name)
