"""examples/row_network.py's by_hand on a batch of rows (the notes: the same formulas with the sum over rows)
against central differences of E written out with numpy, and a Y that does not fit refused by name."""


import numpy as np
import pytest
from loading import load_example


def _mean_E(W0, B1, W1, B2, IN, Y):
    """The mean over rows of 1/N2 sum_i (OO_i - Y_i)^2, straight from the forward formulas."""
    OO = 1 / (1 + np.exp(-((1 / (1 + np.exp(-(IN @ W0 + B1)))) @ W1 + B2)))
    return float(np.mean(np.sum((OO - Y) ** 2, axis=1) / Y.shape[1]))


def test_by_hand_on_a_batch_gives_the_mean_cost_and_its_gradient_by_central_differences():
    # a batch used to give dE/dW0 of shape (8, 12) (np.outer of the flattened rows) and unsummed bias gradients
    example = load_example("row_network")
    rng = np.random.default_rng(7)
    params = [rng.standard_normal((2, 3)), rng.standard_normal(3), rng.standard_normal((3, 2)), rng.standard_normal(2)]
    IN, Y = rng.uniform(0, 1, (5, 2)), rng.uniform(0, 1, (5, 2))
    found = example.by_hand(*params, IN, Y)
    assert found["E"] == pytest.approx(_mean_E(*params, IN, Y), rel=1e-14)
    h = 1e-6
    for key, k in (("dW0", 0), ("dB1", 1), ("dW1", 2), ("dB2", 3)):
        numeric = np.zeros_like(params[k])
        for idx in np.ndindex(params[k].shape):
            up = [q.copy() for q in params]
            down = [q.copy() for q in params]
            up[k][idx] += h
            down[k][idx] -= h
            numeric[idx] = (_mean_E(*up, IN, Y) - _mean_E(*down, IN, Y)) / (2 * h)
        assert found[key].shape == params[k].shape, key
        np.testing.assert_allclose(found[key], numeric, rtol=1e-6, atol=1e-9, err_msg=key)
    numeric_in = np.zeros_like(IN)
    for idx in np.ndindex(IN.shape):
        up, down = IN.copy(), IN.copy()
        up[idx] += h
        down[idx] -= h
        numeric_in[idx] = (_mean_E(*params, up, Y) - _mean_E(*params, down, Y)) / (2 * h)
    np.testing.assert_allclose(found["dIN"], numeric_in, rtol=1e-6, atol=1e-9)


def test_by_hand_on_one_row_is_unchanged_and_a_batch_of_one_row_agrees():
    example = load_example("row_network")
    rng = np.random.default_rng(8)
    params = [rng.standard_normal((2, 3)), rng.standard_normal(3), rng.standard_normal((3, 1)), rng.standard_normal(1)]
    one = example.by_hand(*params, np.array([0.0, 1.0]), np.array([1.0]))
    batch = example.by_hand(*params, np.array([[0.0, 1.0]]), np.array([[1.0]]))
    assert one["OO"].shape == (1,) and one["dIN"].shape == (2,) and batch["dIN"].shape == (1, 2)
    for key in ("E", "dW0", "dB1", "dW1", "dB2"):
        np.testing.assert_array_equal(one[key], batch[key])


def test_by_hand_refuses_targets_that_numpy_would_broadcast():
    # Y of shape (4,) beside OO of shape (4, 1): OO - Y would be a 4 x 4 matrix and E a wrong number
    example = load_example("row_network")
    rng = np.random.default_rng(9)
    params = [rng.standard_normal((2, 3)), rng.standard_normal(3), rng.standard_normal((3, 1)), rng.standard_normal(1)]
    with pytest.raises(ValueError, match=r"by_hand: Y of shape \(4,\) does not match the outputs OO of shape \(4, 1\)"):
        example.by_hand(*params, example.IN_XOR, example.Y_XOR[:, 0])


def test_check_on_the_xor_batch_agrees_with_both_layouts():
    # by_hand on a batch used to give shapes that check could not even subtract from gradients_rows'
    example = load_example("row_network")
    rng = np.random.default_rng(10)
    params = [rng.standard_normal((2, 3)), rng.standard_normal(3), rng.standard_normal((3, 1)), rng.standard_normal(1)]
    assert example.check(*params, example.IN_XOR, example.Y_XOR) < 1e-15
