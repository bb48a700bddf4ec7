"""examples/posterior_kl.py's bayes and entropy_terms against the formulas written out with numpy, with probabilities
that are 0 (0 ln 0 = 0) and inputs a student would try."""

import math

import numpy as np
import pytest
from loading import load_example


def _gauss(x, m, s):
    return np.exp(-(x - m) ** 2 / (2 * s * s)) / (s * math.sqrt(2 * math.pi))


def test_bayes_sigmoid_equals_the_posterior_from_the_densities():
    example = load_example("posterior_kl")
    m0, m1, s, p1 = -0.7, 2.0, 1.3, 0.2
    w, b = example.bayes(m0, m1, s, p1)
    x = np.linspace(-4, 5, 37)
    posterior = p1 * _gauss(x, m1, s) / (p1 * _gauss(x, m1, s) + (1 - p1) * _gauss(x, m0, s))
    np.testing.assert_allclose(1 / (1 + np.exp(-(w * x + b))), posterior, rtol=1e-12)


@pytest.mark.parametrize("s, p1, said", [(1.0, 1.0, "p1 is the prior"), (1.0, 0.0, "p1 is the prior"),
                                          (0.0, 0.5, "s is the classes' standard deviation"),
                                          (-1.0, 0.5, "s is the classes' standard deviation")])
def test_bayes_refuses_a_prior_of_0_or_1_and_a_width_of_0_by_name(s, p1, said):
    # these used to raise a bare ZeroDivisionError (or, for s = -1, return the numbers of s = 1)
    with pytest.raises(ValueError, match=f"bayes: {said}"):
        load_example("posterior_kl").bayes(-1.0, 1.0, s, p1)


def test_kl_of_p_with_itself_is_0_when_a_probability_is_0():
    # q = p exactly: the logits of a class of probability 0 are -inf, and 0 ln 0 counts 0 (it gave nan)
    p = np.array([[0.5, 0.5, 0.0], [0.2, 0.0, 0.8]])
    with np.errstate(divide="ignore"):
        z = np.log(p)
    found = load_example("posterior_kl").entropy_terms(p, z)
    entropy = -(0.5 * math.log(0.5) * 2 + 0.2 * math.log(0.2) + 0.8 * math.log(0.8)) / 2
    assert found["kl"] == pytest.approx(0.0, abs=1e-15)
    assert found["cross"] == pytest.approx(entropy, rel=1e-14)
    assert found["entropy"] == pytest.approx(entropy, rel=1e-14)
    np.testing.assert_allclose(found["g_cross"], 0.0, atol=1e-15)      # q - p = 0
    np.testing.assert_allclose(found["g_kl"], 0.0, atol=1e-15)


def test_cross_entropy_is_entropy_plus_kl_and_kl_is_not_negative_by_numpy():
    rng = np.random.default_rng(3)
    p = rng.dirichlet(np.ones(4), size=6)
    p[0] = [0.0, 0.3, 0.7, 0.0]                                          # zeros in p, finite logits
    z = 3 * rng.standard_normal((6, 4))
    q = np.exp(z - z.max(axis=1, keepdims=True))
    q /= q.sum(axis=1, keepdims=True)
    terms = np.where(p > 0, p, 1.0)
    H = -np.sum(p * np.log(terms)) / 6
    cross = -np.sum(p * np.log(q)) / 6
    kl = np.sum(p * (np.log(terms) - np.log(q))) / 6
    found = load_example("posterior_kl").entropy_terms(p, z)
    assert (found["cross"], found["kl"], found["entropy"]) == pytest.approx((cross, kl, H), rel=1e-12)
    assert found["kl"] > 0
    np.testing.assert_allclose(found["g_kl"], (q - p) / 6, atol=1e-15)


@pytest.mark.parametrize("p, z, said", [
    (np.array([0.2, 0.8]), np.array([0.0, 1.0]), "p and z must be 2-D of one shape"),
    (np.array([[0.2, 0.8]]), np.array([[0.0, 1.0, 2.0]]), "p and z must be 2-D of one shape"),
    (np.array([[0.5, 0.7]]), np.array([[0.0, 1.0]]), "each row of p must be a probability distribution"),
    (np.array([[1.5, -0.5]]), np.array([[0.0, 1.0]]), "each row of p must be a probability distribution"),
])
def test_entropy_terms_refuses_what_is_not_rows_of_distributions_by_name(p, z, said):
    with pytest.raises(ValueError, match=f"entropy_terms: {said}"):
        load_example("posterior_kl").entropy_terms(p, z)
