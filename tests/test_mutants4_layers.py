"""Mutation testing, fourth round: nn.activations and nn.dropout. tanh' is 0 without an overflow warning at the
largest floats, activations refuse complex numbers instead of dropping their imaginary part, Dropout refuses a
Tensor whose data is not real, and its repr shows p as given."""

import warnings

import numpy as np
import pytest

from autograd import Tensor
from nn import Dropout
from nn.activations import get


def test_tanh_prime_at_the_largest_floats_is_zero_without_an_overflow_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")        # -2 |z| overflowed to -inf for |z| > 9e307 (a RuntimeWarning)
        assert get("tanh").derivative(np.array([1e308, -1e308, 500.0])).tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("call", [lambda a: a(np.array([1 + 1j])), lambda a: a.derivative(np.array([0.5j]))],
                         ids=["value", "derivative"])
def test_activations_refuse_complex_numbers_rather_than_keep_their_real_part(call):
    with pytest.raises(TypeError, match=r"activation 'sigmoid': the input must be real numbers .* complex128"):
        call(get("sigmoid"))


def test_dropout_refuses_a_tensor_whose_data_was_replaced_by_complex_numbers():
    t = Tensor([1.0, 2.0])
    t.data = np.array([1 + 1j, 2j])
    with pytest.raises(TypeError, match="Dropout: the input Tensor has dtype complex128"):
        Dropout(0.5, seed=0)(t)


def test_dropouts_repr_shows_p_as_given():
    assert repr(Dropout(0.25)) == "Dropout(p=0.25)"
