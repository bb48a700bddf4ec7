"""autograd.functional against torch.autograd.functional on hostile inputs: strict=True, float32, complex weights,
numpy inputs. Each test failed before its fix; torch (skipped where missing) or the shapes' dtypes are the oracle."""

from __future__ import annotations

import numpy as np
import pytest

import autograd.functional as F
from autograd import Tensor, Value, grad

try:
    import torch
    import torch.autograd.functional as TF
except ImportError:
    torch = TF = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")

# functions of two inputs, written once for both engines (Tensor and torch.Tensor share these operators)
FUNCTIONS = {
    "x*x*y (the gradient towards y, x^2, does not depend on y)": lambda x, y: (x * x * y).sum(),
    "x.y (bilinear: d2/dx2 = 0, gradient towards x is y itself)": lambda x, y: (x * y).sum(),
    "sum x^2 + 0 sum y (gradient towards y a constant 0)": lambda x, y: (x * x).sum() + 0 * y.sum(),
    "3 sum x (linear: a constant gradient)": lambda x, y: (x * 3.0).sum() + (y * y).sum(),
    "sum (0 x) (connected, derivative 0)": lambda x, y: (x * 0.0).sum() + (y * x).sum(),
    "x * 2 + y (vector, linear)": lambda x, y: x * 2.0 + y,
    "x * y (vector)": lambda x, y: x * y,
}
SCALAR_ONLY = ("hessian", "hvp", "vhp")


def _call(module, name, f, inputs, v, create_graph):
    if name in ("jacobian", "hessian"):
        return getattr(module, name)(f, inputs, create_graph=create_graph, strict=True)
    return getattr(module, name)(f, inputs, v, create_graph=create_graph, strict=True)


@needs_torch
@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("name", ["jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"])
@pytest.mark.parametrize("key", list(FUNCTIONS))
def test_strict_refuses_exactly_where_torch_does(key, name, create_graph):
    # strict=True promises an error rather than a derivative that is silently 0 because nothing depends on an
    # input: torch also refuses a gradient that is a constant where a second derivative (hessian, hvp, vhp) or a
    # graph (create_graph=True) is asked for. Ours returned zeros: e.g. hessian of x.y gave d2/dx2 = 0 although the
    # gradient towards x is y, which x does not reach.
    f = FUNCTIONS[key]
    a, b = np.array([0.5, -1.5]), np.array([2.0, 0.25])
    tin = (torch.tensor(a), torch.tensor(b))
    out = f(*tin)
    if name in SCALAR_ONLY and out.numel() != 1:
        return
    tv = torch.ones_like(out) if name == "vjp" else (torch.ones(2, dtype=torch.float64),) * 2
    try:
        want = _call(TF, name, f, tin, tv, create_graph)
    except RuntimeError:
        want = None
    v = Tensor(tv.numpy()) if name == "vjp" else tuple(Tensor(t.numpy()) for t in tv)
    if want is None:
        with pytest.raises(RuntimeError, match=rf"{name}: .*strict=True"):
            _call(F, name, f, (Tensor(a), Tensor(b)), v, create_graph)
        return
    got = _call(F, name, f, (Tensor(a), Tensor(b)), v, create_graph)
    for g, w in zip(_arrays(got), _arrays(want), strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-14, atol=0)


def _arrays(result):
    """The numbers of a result (nested tuples of Tensors or torch Tensors), flattened in order."""
    if isinstance(result, tuple):
        return [a for r in result for a in _arrays(r)]
    return [result.detach().numpy() if torch is not None and torch.is_tensor(result) else result.data]

def test_strict_refuses_a_constant_second_derivative_of_values_as_of_tensors():
    # the Value engine: d/dv0 (v0 v1) = v1, which v0 does not reach; strict=True must say so, not give H[0][0] = 0
    with pytest.raises(RuntimeError, match=r"hessian: .*strict=True"):
        F.hessian(lambda v: v[0] * v[1], [Value(1.0), Value(2.0)], strict=True)
    with pytest.raises(RuntimeError, match=r"hessian: .*strict=True"):    # d/dv1 (v0^2) = 0: v1 does not reach it
        F.hessian(lambda v: v[0] * v[0] * v[1], [Value(1.0), Value(2.0)], strict=True)
    with pytest.raises(RuntimeError, match=r"jacobian: .*strict=True"):   # d(3 v0)/dv0 = 3, a constant
        F.jacobian(lambda v: [v[0] * 3.0], [Value(1.0)], create_graph=True, strict=True)
    # (v0 v1)^2: every entry of the gradient depends on both, so strict has nothing to refuse
    # H = [[2 v1^2, 4 v0 v1], [4 v0 v1, 2 v0^2]] at (1, 2), by hand
    H = F.hessian(lambda v: (v[0] * v[1]) ** 2, [Value(1.0), Value(2.0)], strict=True)
    assert H.tolist() == [[8.0, 8.0], [8.0, 2.0]]


# --- dtypes ------------------------------------------------------------------------------------------------------

@needs_torch
def test_float32_inputs_give_float32_blocks_even_where_the_derivative_is_zero():
    # the zeros put in for what the output does not reach were float64: hessian's blocks towards an unused input,
    # jvp's entry for a constant output (torch: zeros_like, in the input's / output's dtype)
    a, b = np.array([0.5, -1.5], np.float32), np.array([2.0, 0.25], np.float32)
    f = lambda x, y: (x * x).sum()                                     # noqa: E731  y unused
    got, want = F.hessian(f, (Tensor(a), Tensor(b))), TF.hessian(f, (torch.tensor(a), torch.tensor(b)))
    assert [[blk.dtype for blk in row] for row in got] == [[np.float32] * 2] * 2
    assert [[blk.dtype for blk in row] for row in want] == [[torch.float32] * 2] * 2
    np.testing.assert_array_equal(got[1][0].data, want[1][0].numpy())
    constant = lambda x: Tensor(np.array([1.0, 2.0], np.float32))     # noqa: E731
    _, jv = F.jvp(constant, Tensor(a), Tensor(np.ones(2, np.float32)))
    _, tjv = TF.jvp(lambda x: torch.tensor([1.0, 2.0]), torch.tensor(a), torch.ones(2))
    assert jv.dtype == np.float32 and tjv.dtype == torch.float32 and jv.data.tolist() == [0.0, 0.0]


def test_an_empty_jacobian_or_hessian_has_the_inputs_dtype():
    x = Tensor(np.array([1.0, 2.0], np.float32))
    assert F.jacobian(lambda x: x[:0] * 2.0, x).dtype == np.float32
    assert F.hessian(lambda x: (x ** 3).sum(), Tensor(np.zeros(0, np.float32))).dtype == np.float32


@pytest.mark.parametrize("name", ["jacobian", "hessian", "vjp", "jvp", "hvp"])
def test_a_numpy_float32_input_is_taken_in_float32_as_tensor_takes_it(name):
    # Tensor(np.float32 array) is float32; the same array handed to a functional form was made float64, so the
    # same function gave float64 results for one and float32 for the other
    a = np.array([0.5, -1.5], np.float32)
    f = lambda x: (x ** 3).sum()                                       # noqa: E731
    v = np.ones(2, np.float32) if name in ("jvp", "hvp") else (np.float32(1.0) if name == "vjp" else None)
    call = (lambda x: getattr(F, name)(f, x)) if v is None else (lambda x: getattr(F, name)(f, x, v)[1])
    from_numpy, from_tensor = call(a), call(Tensor(a))
    assert from_tensor.dtype == np.float32 and from_numpy.dtype == np.float32
    np.testing.assert_array_equal(from_numpy.data, from_tensor.data)


# --- the weights v and grad_outputs ------------------------------------------------------------------------------

COMPLEX = [np.array([1 + 2j, 1.0]), [1 + 2j, 1.0], (1 + 2j, 1.0)]


@pytest.mark.parametrize("v", COMPLEX, ids=["array", "list", "tuple"])
def test_complex_weights_are_refused_not_cut_to_their_real_part(v):
    # numpy's cast kept the real part (with only a ComplexWarning): vjp of x * x with v = (1 + 2j, 1) gave (2, 4),
    # the answer for v = (1, 1); torch refuses a complex grad_output for a real output
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"grad: grad_outputs\[0\].*complex"):
        grad(x * x, [x], [np.asarray(v)])
    with pytest.raises(TypeError, match=r"vjp: v\b.*complex"):
        F.vjp(lambda x: x * x, Tensor([1.0, 2.0]), np.asarray(v))
    with pytest.raises(TypeError, match=r"jvp: v\b.*complex"):
        F.jvp(lambda v: [v[0] * v[1]], [Value(1.0), Value(2.0)], v)
    a = Value(2.0)
    with pytest.raises(TypeError, match=r"grad: grad_outputs\[0\].*complex"):
        grad(a * a, [a], np.complex128(1 + 2j))


# --- inputs ------------------------------------------------------------------------------------------------------

def test_a_list_of_tensors_is_refused_as_pytorch_refuses_it_not_stacked_into_one_input():
    # jacobian(f, [a, b]) stacked a and b into one (2, 2) input and returned one (2, 2) block where a tuple of two
    # blocks was meant (torch: "inputs ... must be either a Tensor or a tuple of Tensors")
    a, b = Tensor([1.0, 2.0]), Tensor([3.0, 4.0])
    with pytest.raises(TypeError, match=r"jacobian: inputs is a list holding Tensors or Values; .*tuple"):
        F.jacobian(lambda x: (x ** 2).sum(), [a, b])
    with pytest.raises(TypeError, match=r"hessian: inputs is a list holding Tensors or Values"):
        F.hessian(lambda v: v[0] * v[1], [Value(1.0), 2.0])
    got = F.jacobian(lambda x, y: (x * x * y).sum(), (a, b))             # the tuple: (2 x y, x^2), by hand
    assert [g.data.tolist() for g in got] == [[6.0, 16.0], [1.0, 4.0]]
    assert F.jacobian(lambda x: x * 2.0, [1.0, 2.0]).data.tolist() == [[2.0, 0.0], [0.0, 2.0]]   # numbers: one input
