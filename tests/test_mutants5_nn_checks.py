"""Mutation testing, fifth round: nn.checks, through the classes that call it. A bool is no real number for a
hyperparameter (True would be momentum 1.0, where SGD's momentum must stay below 1); NaN is refused where numbers
must be finite, as inf is; set_weights reads a Tensor's numbers, also of one that requires grad."""

import numpy as np
import pytest

from autograd import Value
from nn.logic import ThresholdUnit
from nn.optim import LBFGS, SGD, Adam
from nn.rbf import RBF


@pytest.mark.parametrize("make, name", [
    (lambda w: SGD([w], lr=0.1, momentum=True), "SGD: momentum"),
    (lambda w: SGD([w], lr=0.1, weight_decay=np.bool_(False)), "SGD: weight_decay"),
    (lambda w: Adam([w], eps=True), "Adam: eps"),
    (lambda w: Adam([w], betas=(True, 0.999)), r"Adam: betas\[0\]"),
    (lambda w: LBFGS([w], tolerance_grad=True), "LBFGS: tolerance_grad"),
], ids=["momentum", "weight_decay", "eps", "beta1", "tolerance_grad"])
def test_a_bool_hyperparameter_is_refused_as_no_real_number(make, name):
    with pytest.raises(TypeError, match=rf"^{name} must be a real number, got (np\.)?(True|False_?) \(bool\)"):
        make(Value(1.0))


def test_an_array_of_sizes_with_two_axes_is_named_by_its_shape():
    from nn import MLP
    with pytest.raises(TypeError, match=r"^MLP: sizes must be a list of whole numbers, got an array of shape \(1, 3\)"):
        MLP(np.array([[2, 3, 1]]))


@pytest.mark.parametrize("engine", ["tensor", "scalar"])
def test_set_weights_takes_another_models_parameters_that_require_grad(engine):
    # a Tensor's numbers are read from .data: numpy itself refuses a Tensor that requires grad
    from nn import MLP, scalar
    source = MLP([2, 3, 1], seed=1)
    pairs = [(layer.weight, layer.bias) for layer in source.layers]
    assert all(W.requires_grad and b.requires_grad for W, b in pairs)
    target = MLP([2, 3, 1], seed=2) if engine == "tensor" else scalar.MLP(2, [3, 1], seed=2)
    target.set_weights(pairs)
    for (W, b), (W2, b2) in zip(source.get_weights(), target.get_weights()):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)


def test_set_weights_names_complex_weights_as_complex():
    from nn import MLP
    with pytest.raises(TypeError, match=r"W of layer 0 must be real numbers, got complex numbers \(dtype complex128\)"):
        MLP([2, 1]).set_weights([(np.ones((1, 2)) * 1j, np.zeros(1))])


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
@pytest.mark.parametrize("make, name", [
    (lambda x: RBF(1, 2, centres=[[0.0], [x]]), "RBF: centres"),
    (lambda x: ThresholdUnit([1.0, x], 1.0), "ThresholdUnit: weights"),
], ids=["RBF centres", "ThresholdUnit weights"])
def test_numbers_that_must_be_finite_refuse_nan_as_they_refuse_inf(make, name, bad):
    with pytest.raises(ValueError, match=rf"^{name} must be finite numbers \(no NaN or inf\)"):
        make(bad)


@pytest.mark.parametrize("value", [[1, 2], np.array([3, 4], dtype=np.int32), np.array([1, 2], dtype=np.uint8)])
def test_checks_array_gives_floats_for_integer_input(value):
    # "value as a float numpy array": a caller computing in place on it must not get an integer array
    from nn import checks
    A = checks.array(value, "f", "x")
    assert A.dtype == np.float64
    np.testing.assert_array_equal(A, np.asarray(value, dtype=np.float64))
