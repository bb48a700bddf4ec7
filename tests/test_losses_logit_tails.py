"""Binary cross-entropy from logits in its tails: c = softplus(z) - y z and dc/dz = sigmoid(z) - y to the last
digit where one of them is tiny, on the three kinds (floats, Tensors, Values).

softplus(37) - 37 rounds to 0 where the cost of a right answer (y = 1) is ln(1 + e^-37) = 8.5e-17; the expected
numbers here come from mpmath at 50 digits."""

import mpmath
import numpy as np
import pytest

from autograd import Tensor, Value
from nn import losses

mpmath.mp.dps = 50
LOGITS = [-700.0, -100.0, -40.0, -37.0, -20.0, -1.5, -1e-10, 0.0, 1e-10, 1.5, 20.0, 37.0, 40.0, 100.0, 700.0]
TARGETS = [0.0, 1.0, 0.25]


def exact(z: float, y: float) -> tuple[float, float]:
    """(c, dc/dz) at 50 digits: c = (1 - y) ln(1 + e^z) + y ln(1 + e^-z), dc/dz = sigmoid(z) - y."""
    z, y = mpmath.mpf(z), mpmath.mpf(y)
    c = (1 - y) * mpmath.log1p(mpmath.exp(z)) + y * mpmath.log1p(mpmath.exp(-z))
    s, t = 1 / (1 + mpmath.exp(-z)), 1 / (1 + mpmath.exp(z))          # sigmoid(z), sigmoid(-z) = 1 - sigmoid(z)
    return float(c), float((1 - y) * s - y * t)            # sigmoid(z) - y, with no 1 - s to cancel at 50 digits


CASES = [(z, y) for z in LOGITS for y in TARGETS]
ZS = np.array([z for z, _ in CASES])
YS = np.array([y for _, y in CASES])
WANT = np.array([exact(z, y) for z, y in CASES])


def assert_to_the_last_digits(got: np.ndarray, want: np.ndarray, what: str) -> None:
    bad = [(CASES[i], float(g), float(w)) for i, (g, w) in enumerate(zip(got, want))
           if not abs(g - w) <= 4 * np.finfo(float).eps * abs(w)]
    assert not bad, f"{what} off at (z, y), got, want: {bad[:4]}"


def test_the_costs_of_floats_are_right_in_both_tails():
    got = losses.binary_cross_entropy_with_logits(ZS, YS, reduction="none")
    assert_to_the_last_digits(got, WANT[:, 0], "c")


def test_the_costs_and_slopes_of_a_tensor_are_right_in_both_tails():
    z = Tensor(ZS.copy(), requires_grad=True)
    c = losses.binary_cross_entropy_with_logits(z, YS, reduction="none")
    c.sum().backward()
    assert_to_the_last_digits(c.data, WANT[:, 0], "c")
    assert_to_the_last_digits(z.grad, WANT[:, 1], "dc/dz")


def test_the_costs_and_slopes_of_values_are_right_in_both_tails():
    zs = np.array([Value(z) for z in ZS], dtype=object)
    c = losses.binary_cross_entropy_with_logits(zs, YS, reduction="none")
    for node in c:
        node.backward()
    assert_to_the_last_digits(np.array([node.data for node in c]), WANT[:, 0], "c")
    assert_to_the_last_digits(np.array([v.grad for v in zs]), WANT[:, 1], "dc/dz")


@pytest.mark.parametrize("z", [37.0, -37.0, 3.0])
def test_the_slope_towards_a_target_that_learns_is_minus_z(z):
    """dc/dy = softplus(-z) - softplus(z) = -z, exactly where z is an integer this size."""
    y = Tensor(np.array([0.5]), requires_grad=True)
    losses.binary_cross_entropy_with_logits(Tensor(np.array([z])), y, reduction="sum").backward()
    assert y.grad[0] == -z


def test_the_docs_row_against_pytorch_holds_for_both_sides():
    """docs/pytorch.md: here costs 1.9e-22 and 8.5e-17, slopes 1.9e-22 and -8.5e-17; PyTorch's cost at y = 0,
    z = -50 and its slope at y = 1, z = 37 are 0."""
    torch = pytest.importorskip("torch")
    z = Tensor(np.array([-50.0, 37.0]), requires_grad=True)
    c = losses.binary_cross_entropy_with_logits(z, np.array([0.0, 1.0]), reduction="none")
    c.sum().backward()
    want = [exact(-50.0, 0.0), exact(37.0, 1.0)]
    np.testing.assert_allclose(c.data, [w[0] for w in want], rtol=1e-15)
    np.testing.assert_allclose(z.grad, [w[1] for w in want], rtol=1e-15)
    tz = torch.tensor([-50.0, 37.0], dtype=torch.float64, requires_grad=True)
    tc = torch.nn.functional.binary_cross_entropy_with_logits(tz, torch.tensor([0.0, 1.0], dtype=torch.float64),
                                                              reduction="none")
    tc.sum().backward()
    assert tc[0].item() == 0.0 and tz.grad[1].item() == 0.0
