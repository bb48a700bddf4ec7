"""Mutation testing, fifth round: autograd.tensor (the Tensor class assembled from its mixins). A Tensor has no
``__dict__``: an attribute name mistyped in an assignment (``t.requires_gard = True``) raises, instead of setting
a new attribute that nothing reads while the Tensor stays as it was."""

import pytest

from autograd import Tensor


def test_a_mistyped_attribute_assignment_raises_instead_of_being_silently_kept():
    t = Tensor([1.0, 2.0])
    with pytest.raises(AttributeError):
        t.requires_gard = True
    assert not t.requires_grad and not hasattr(t, "__dict__")
