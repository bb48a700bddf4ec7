"""A scalar model's weights are Values (about 1 kB each with their numbers): sizes that would make more than
nn.scalar.MAX_WEIGHTS of them are refused before any is made, naming the count and the Tensor engine's MLP."""

import pytest

from nn import scalar
from tests.hostile import refused_cheaply


@pytest.mark.parametrize("make, count", [
    (lambda: scalar.MLP(1024, [1024]), 1025 * 1024),                        # just over 2**20 with the biases
    (lambda: scalar.MLP(2, [1024, 1024, 1]), 3 * 1024 + 1025 * 1024 + 1025),
    (lambda: scalar.Layer(2**14, 2**14), (2**14 + 1) * 2**14),
])
def test_too_many_weights_are_refused_cheaply_by_name(make, count):
    assert count > scalar.MAX_WEIGHTS == 2**20
    error = refused_cheaply(make, match=f"{count:,} weights and biases")
    assert "1,048,576" in str(error) and "nn.MLP" in str(error)


def test_sizes_at_the_limit_pass_the_check_and_a_small_model_is_built():
    scalar._refuse_too_many([2**10 - 1, 2**10], "Layer")              # (1023 + 1) * 1024 = 2**20 exactly: taken
    with pytest.raises(ValueError, match="1,049,600 weights"):
        scalar._refuse_too_many([2**10, 2**10], "Layer")              # one input more: 1025 * 1024
    model = scalar.MLP(3, [4, 2], seed=0)
    assert len(model.parameters()) == 4 * 4 + 5 * 2


def test_sizes_too_long_to_print_are_refused_with_their_size():
    error = refused_cheaply(lambda: scalar.MLP(2, [10**5000]), match="a huge number, about 10\\^5000")
    assert "1,048,576" in str(error)
