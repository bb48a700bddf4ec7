"""one_hot's refusal of a label that is not a whole number shows that label as it is: numpy's array repr rounds
1 + 2**-52 to '1.', so the message read 'labels must be whole numbers, got array([0., 1.])'."""

from __future__ import annotations

import numpy as np
from messages import raises

from nn.data import one_hot


def test_a_label_just_off_a_whole_number_is_shown_with_its_index_and_every_digit() -> None:
    off = 1.0 + 2.0**-52                                      # not whole: 1.0000000000000002
    assert off != 1.0 and off % 1 != 0
    with raises(ValueError, "one_hot", "whole numbers", "label 1", repr(off)):
        one_hot([0.0, off, 2.0])
    with raises(ValueError, "one_hot", "label 2", "nan"):
        one_hot(np.array([0.0, 1.0, np.nan]))
    # whole floats are labels: label k puts its 1 in column k
    np.testing.assert_array_equal(one_hot([0.0, 2.0]), np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))
