"""gradcheck on a large loss, the review's cases: right gradients must pass where a smaller or larger step settles
what rounding at eps leaves open, and the cut graphs that rounding hid must still fail."""

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck
from autograd.gradcheck import GradcheckError


def _relu_net(target_scale, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((20, 4))
    Y = 100 + target_scale * rng.standard_normal((20, 1))
    W1 = Tensor(rng.standard_normal((4, 8)), requires_grad=True)
    b1 = Tensor(np.full(8, -1.5), requires_grad=True)        # units dead for every sample: slopes exactly 0
    W2 = Tensor(rng.standard_normal((8, 1)), requires_grad=True)

    def summed(W1, b1, W2):
        h = (Tensor(X) @ W1 + b1).relu()
        return (((h @ W2) - Tensor(Y)) ** 2).sum()

    return summed, [W1, b1, W2]


def test_a_summed_loss_of_2e5_with_dead_units_passes_at_the_defaults():
    loss, params = _relu_net(20)
    assert 1.5e5 < loss(*params).item() < 3e5                 # floats 2.9e-11 apart: 1.5e-5 of rounding at eps
    assert gradcheck(loss, params)        # dead units' weights: slope 0, which the difference at 1.5e-5 shows


def test_a_smooth_loss_at_a_tight_tolerance_is_not_called_a_kink_for_its_rounding_at_eps_over_10():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((20, 4))
    rng.standard_normal((20, 1))
    Y = rng.standard_normal((20, 1)) * 10
    W1 = Tensor(rng.standard_normal((4, 8)), requires_grad=True)
    b1 = Tensor(np.full(8, -1.5), requires_grad=True)
    W2 = Tensor(rng.standard_normal((8, 1)), requires_grad=True)

    def loss(W1, b1, W2):
        h = (Tensor(X) @ W1 + b1).relu()
        return (((h @ W2) - Tensor(Y)) ** 2).sum()

    assert gradcheck(loss, [W1, b1, W2], atol=1e-8, rtol=1e-6)   # was "f has a kink at b1[1]": 4.62518392 | .8915


def test_what_no_small_step_settles_still_fails_and_says_how_to_scale_f():
    x = Value(0.3)
    with pytest.raises(GradcheckError, match=r"cannot be checked .* or scale f down \(a mean instead of a sum\)"):
        gradcheck(lambda v: 1e15 + Value(1e-3 * v.data), [x])   # a cut graph: backward() 0, the true slope 1e-3
    with pytest.raises(GradcheckError):                       # 1e10 + x with a backward() of 0.95367: a step of
        gradcheck(lambda v: (1e10 + v * 0.95367) + Value(0.04633 * v.data), [x])   # 1e-2 shows the slope 1


def test_a_larger_step_beyond_fs_domain_settles_nothing_and_does_not_raise_fs_error():
    # sqrt(x + 1e-9) at 1e-5: defined at x +- eps, not at the 2.9e-5 the rounding of 3e5 would ask for
    x = Tensor(np.array([1e-5, 1.0]), requires_grad=True)
    with pytest.raises(GradcheckError, match=r"1 of 2 gradient entries cannot be checked at eps=1e-06"):
        gradcheck(lambda t: ((t + 1e-9).sqrt() * 0.0).sum() + 3e5 + t[1] * 2.0, [x])
    assert np.array_equal(x.data, [1e-5, 1.0])                           # given back
