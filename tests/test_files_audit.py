"""A hostile audit of saved files (nn/files.py) and of the PyTorch interop (nn/pytorch.py): each test is an input
that was once loaded with a silently wrong result, an unbounded allocation, or a bare error."""

from __future__ import annotations

import struct
import zipfile

import numpy as np
import pytest
from hostile import MiB, deflated_zeros, marker, npy, refused_cheaply, stored, write_zip

from nn import MLP, Linear
from nn.files import Npz

# --- an .npy header that claims a length of hundreds of MiB -----------------------------------------------------

def long_header(name: str, mib: int) -> tuple[str, bytes, int, int]:
    """A deflated member whose .npy 2.0 header says it is ``mib`` MiB long (4 bytes may claim up to 4 GiB): numpy's
    reader reads that many bytes before it compares the length with its limit of 10,000."""
    prefix = b"\x93NUMPY\x02\x00" + struct.pack("<I", mib * MiB)
    return name, deflated_zeros(prefix, mib), 8, len(prefix) + mib * MiB


@pytest.mark.parametrize("where", ["__deltagrad__", "layers.0.weight"])
def test_load_refuses_an_npy_header_claiming_64_mib_without_inflating_it(tmp_path, where):
    path = tmp_path / "long_header.npz"
    members = {"__deltagrad__": marker(), "layers.0.weight": stored("layers.0.weight.npy", npy(np.zeros((3, 2)))),
               "layers.0.bias": stored("layers.0.bias.npy", npy(np.zeros(3)))}
    members[where] = long_header(f"{where}.npy", 64)
    write_zip(path, list(members.values()))
    assert path.stat().st_size < MiB // 4
    refused_cheaply(MLP([2, 3]).load, path, match=rf"load: .*long_header.npz.*{where}.npy.*header longer than",
                    seconds=5.0)


def test_npz_headers_refuse_an_npy_header_claiming_64_mib_without_inflating_it(tmp_path):
    path = tmp_path / "long_header.npz"
    write_zip(path, [long_header("w.npy", 64)])
    with Npz(path, "example") as npz:
        refused_cheaply(npz.headers, match=r"example: .*'w.npy' claims an .npy header longer than", seconds=5.0)


# --- from_torch: parameters that are different tensors over the same memory -------------------------------------

def test_from_torch_refuses_two_linears_whose_weights_share_memory():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    module = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh(), torch.nn.Linear(3, 3))
    module[2].weight = torch.nn.Parameter(module[0].weight.data)      # another Parameter, the same numbers in memory
    # torch's optimizer steps both Parameters in place, on one memory: it moves by both gradients, as a tied weight
    # (one step after the other: (w - g0) - g2, which float32 rounds otherwise than w - (g0 + g2) wherever the
    # result is near 0, beyond allclose's atol 1e-8: unseeded, that failed now and then)
    before = module[0].weight.detach().clone()
    module(torch.ones(1, 3)).sum().backward()
    both = before - module[0].weight.grad - module[2].weight.grad
    torch.optim.SGD(module.parameters(), lr=1.0).step()
    assert torch.equal(module[0].weight, both) and torch.equal(module[2].weight, both)
    with pytest.raises(ValueError, match=r"MLP.from_torch\(\): module 0's weight and module 2's weight share memory"):
        MLP.from_torch(module)


def test_from_torch_refuses_a_bias_that_is_a_view_of_the_weight():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(3, 3)
    layer.bias = torch.nn.Parameter(layer.weight.data[1])
    with pytest.raises(ValueError, match=r"module 0's weight and module 0's bias share memory"):
        MLP.from_torch(torch.nn.Sequential(layer))


def test_from_torch_reads_parameters_cut_from_one_buffer_without_overlap():
    torch = pytest.importorskip("torch")
    flat = torch.arange(12.0, dtype=torch.float64)          # W (3, 2) then b (3,) then 3 unused, one storage
    layer = torch.nn.Linear(2, 3, dtype=torch.float64)
    layer.weight = torch.nn.Parameter(flat[:6].view(3, 2))
    layer.bias = torch.nn.Parameter(flat[6:9])
    model = MLP.from_torch(torch.nn.Sequential(layer))
    assert np.array_equal(model.layers[0].weight.data, [[0, 1], [2, 3], [4, 5]])
    assert np.array_equal(model.layers[0].bias.data, [6, 7, 8])


# --- load_state_dict of a PyTorch-keyed dict whose values are not torch tensors -------------------------------------

W, B = np.arange(6.0).reshape(3, 2), np.array([10.0, 20.0, 30.0])


def test_a_masked_array_under_torch_keys_is_refused_as_under_deltagrads_keys():
    masked = np.ma.masked_array(W, mask=W > 2)
    for key in ("0.weight", "layers.0.weight"):
        model = MLP([2, 3], seed=0)
        before = model.layers[0].weight.data.copy()
        with pytest.raises(TypeError, match=rf"load_state_dict: parameter '{key}' is a masked array with 3 masked"):
            model.load_state_dict({key: masked, key.replace("weight", "bias"): B})
        assert np.array_equal(model.layers[0].weight.data, before)          # nothing changed


@pytest.mark.parametrize("weight, match", [
    ([[1.0, 2.0], [3.0]], r"load_state_dict: parameter 'layers.0.weight' in the PyTorch state dict is not an array of "
                          r"numbers of one shape \(a ragged list\?\)"),
    (np.array([None] * 6).reshape(3, 2), r"load: parameter 'layers.0.weight' holds object data in the PyTorch state "
                                         r"dict, not real numbers"),
])
def test_a_torch_keyed_value_that_is_no_array_of_numbers_is_refused_by_name(weight, match):
    with pytest.raises(ValueError, match=match):
        MLP([2, 3]).load_state_dict({"0.weight": weight, "0.bias": B})


def test_torch_keyed_numpy_integers_and_deltagrad_tensors_load_as_under_deltagrads_keys():
    from autograd import Tensor

    for weight in (W.astype(np.int64), Tensor(W), W.tolist()):
        model = MLP([2, 3]).load_state_dict({"0.weight": weight, "0.bias": B})
        assert model.layers[0].weight.data.dtype == np.float64
        assert np.array_equal(model.layers[0].weight.data, W) and np.array_equal(model.layers[0].bias.data, B)


def test_a_sparse_torch_weight_is_refused_by_name():
    torch = pytest.importorskip("torch")
    state = {"0.weight": torch.tensor(W).to_sparse(), "0.bias": torch.tensor(B)}
    with pytest.raises(TypeError, match=r"load_state_dict: 0.weight is a sparse tensor \(torch.sparse_coo\); pass "
                                        r"its .to_dense\(\)"):
        MLP([2, 3]).load_state_dict(state)
    layer = torch.nn.Linear(2, 3, dtype=torch.float64)
    layer.weight = torch.nn.Parameter(torch.tensor(W).to_sparse())
    with pytest.raises(TypeError, match=r"Linear.from_torch\(\): layer 0's weight is a sparse tensor"):
        Linear.from_torch(layer)


# --- to_torch of a layer whose weight and bias were given other dtypes by hand -----------------------------------

def test_to_torch_refuses_a_float64_bias_in_a_float32_layer_instead_of_rounding_it():
    pytest.importorskip("torch")
    model = MLP([2, 3], dtype=np.float32, seed=0)
    model.layers[0].bias.data = np.array([0.1, 0.2, 0.3])                 # float64, set by hand
    with pytest.raises(TypeError, match=r"MLP.to_torch\(\): layer 0 holds its weight as float32 and its bias as "
                                        r"float64"):
        model.to_torch()


@pytest.mark.parametrize("dtype", [">f8", ">f4"])
def test_to_torch_copies_big_endian_weights_into_their_native_dtype(dtype):
    torch = pytest.importorskip("torch")
    W = np.array([[1.5, -2.0], [0.25, 3.0], [-1.0, 0.5]])
    layer = Linear(2, 3, dtype=np.dtype(dtype).newbyteorder("="))
    layer.weight.data, layer.bias.data = W.astype(dtype), np.array([1.0, 2.0, 3.0], dtype=dtype)
    out = layer.to_torch()
    assert out.weight.dtype == (torch.float32 if dtype == ">f4" else torch.float64)
    assert np.array_equal(out.weight.detach().numpy(), W) and np.array_equal(out.bias.detach().numpy(), [1, 2, 3])


# --- from_torch of a Linear whose parameters were replaced by hand --------------------------------------------------

@pytest.mark.parametrize("weight, bias, match", [
    ((3,), (3,), r"layer 0 \(module 0\) has a weight of shape \(3,\) and a bias of shape \(3,\)"),
    ((), (3,), r"layer 0 \(module 0\) has a weight of shape \(\) and a bias of shape \(3,\)"),
    ((3, 2), (5,), r"layer 0 \(module 0\) has a weight of shape \(3, 2\) and a bias of shape \(5,\)"),
    ((3, 2), None, None),
])
def test_from_torch_refuses_a_linear_whose_weight_and_bias_do_not_make_a_layer(weight, bias, match):
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(2, 3, bias=bias is not None, dtype=torch.float64)
    layer.weight = torch.nn.Parameter(torch.ones(weight, dtype=torch.float64))
    if bias is not None:
        layer.bias = torch.nn.Parameter(torch.ones(bias, dtype=torch.float64))
    for convert, where in ((Linear.from_torch, "Linear.from_torch()"), (MLP.from_torch, "MLP.from_torch()")):
        if match is None:                                       # a weight (3, 2) and no bias: a layer
            assert np.array_equal(convert(torch.nn.Sequential(layer) if convert is MLP.from_torch else layer)
                                  (np.ones((1, 2))).data, [[2.0, 2.0, 2.0]])
            continue
        with pytest.raises(ValueError, match=rf"{where.replace('(', '[(]').replace(')', '[)]')}: {match}"):
            convert(torch.nn.Sequential(layer) if convert is MLP.from_torch else layer)


def test_from_torch_refuses_a_float64_bias_beside_a_float32_weight_instead_of_rounding_it():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(2, 3)
    layer.bias = torch.nn.Parameter(torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64))
    for convert, module in ((Linear.from_torch, layer), (MLP.from_torch, torch.nn.Sequential(layer))):
        with pytest.raises(TypeError, match=r"layer 0's weight is float32 and its bias float64"):
            convert(module)


# --- an .npy header naming a dtype of 0-byte items ------------------------------------------------------------------

def npy_header_text(text: str) -> bytes:
    """An .npy 1.0 header holding ``text`` as given (padded as numpy pads), no data."""
    raw = text.encode("latin1")
    raw += b" " * (16 - (10 + len(raw) + 1) % 16) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(raw)) + raw


def test_a_marker_of_zero_byte_text_is_refused_by_name(tmp_path):
    from nn.compare import read_saved_mlp

    path = tmp_path / "u0.npz"
    u0 = npy_header_text("{'descr': '<U0', 'fortran_order': False, 'shape': (3,), }")
    write_zip(path, [stored("__deltagrad__.npy", u0), stored("layers.0.weight.npy", npy(np.zeros((3, 2)))),
                     stored("layers.0.bias.npy", npy(np.zeros(3)))])
    with pytest.raises(ValueError, match=r"load: .*u0.npz' is corrupt: '__deltagrad__' claims items of <U0, 0 bytes"):
        MLP([2, 3]).load(path)
    with pytest.raises(ValueError, match=r"--weights: .*u0.npz' is corrupt: '__deltagrad__' claims items of <U0"):
        read_saved_mlp(str(path))


# --- from_torch of a module whose call, not its forward, was changed -----------------------------------------------

def call_changed_modules(torch):
    class CalledTwice(torch.nn.Linear):
        def __call__(self, x):
            return 2 * super().__call__(x)

    class TanhSkipped(torch.nn.Tanh):
        def _call_impl(self, x):
            return x

    class Negated(torch.nn.Sequential):
        def __call__(self, x):
            return -super().__call__(x)

    patched = torch.nn.Linear(3, 2).double()
    patched._call_impl = lambda x: 3 * x[:, :2]                 # what module(x) looks up on the object
    return [
        (torch.nn.Sequential(CalledTwice(3, 2).double()), r"module 0 \(CalledTwice\) has its own __call__\(\)"),
        (torch.nn.Sequential(torch.nn.Linear(3, 2).double(), TanhSkipped()),
         r"module 1 \(TanhSkipped\) has its own _call_impl\(\)"),
        (Negated(torch.nn.Linear(3, 2).double()), r"the Sequential \(Negated\) has its own __call__\(\)"),
        (torch.nn.Sequential(patched), r"module 0 \(Linear\) has its own _call_impl\(\)"),
    ]


def test_from_torch_refuses_a_module_whose_call_computes_other_numbers_than_its_forward():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).normal(size=(4, 3))
    for module, match in call_changed_modules(torch):
        with torch.no_grad():          # the torch module does compute other numbers than its layers say
            out = module(torch.from_numpy(x)).numpy()
        plain = torch.nn.Sequential(torch.nn.Linear(3, 2).double(), *([torch.nn.Tanh()] if len(module) > 1 else []))
        plain.load_state_dict({k: v for k, v in module.state_dict().items()})
        with torch.no_grad():
            assert not np.allclose(out, plain(torch.from_numpy(x)).numpy())
        with pytest.raises(ValueError, match=rf"MLP.from_torch\(\): {match}"):
            MLP.from_torch(module)


# --- to_torch of a deltagrad model whose call computes other numbers than its layers --------------------------------

def test_to_torch_refuses_a_model_or_layer_whose_call_or_forward_is_its_own():
    pytest.importorskip("torch")

    class Twice(Linear):
        def __call__(self, x):
            return super().__call__(x) * 2

    class DoubledMLP(MLP):
        def forward(self, x):
            return super().forward(x) * 2

    class CalledMLP(MLP):
        def __call__(self, x):
            return super().__call__(x) * 2

    inside = MLP([2, 3], seed=0)
    inside.layers[0] = Twice(2, 3, seed=1)
    patched_layer, patched_model = Linear(2, 3), MLP([2, 3])
    patched_layer.forward = lambda x: Linear.forward(patched_layer, x) * 2
    patched_model.forward = lambda x: MLP.forward(patched_model, x) * 2
    x = np.random.default_rng(0).normal(size=(4, 2))
    for model, match in [(inside, r"MLP.to_torch\(\): layer 0 \(Twice\) has its own __call__\(\)"),
                         (Twice(2, 3), r"Linear.to_torch\(\): the layer \(Twice\) has its own __call__\(\)"),
                         (patched_layer, r"Linear.to_torch\(\): the layer \(Linear\) has its own forward\(\)"),
                         (DoubledMLP([2, 3]), r"MLP.to_torch\(\): the model \(DoubledMLP\) has its own forward\(\)"),
                         (CalledMLP([2, 3]), r"MLP.to_torch\(\): the model \(CalledMLP\) has its own __call__\(\)"),
                         (patched_model, r"MLP.to_torch\(\): the model \(MLP\) has its own forward\(\)")]:
        layers = model.layers if isinstance(model, MLP) else [model]
        plain = MLP([2, 3], output_activation="sigmoid" if isinstance(model, MLP) else "identity")
        plain.set_weights([(layer.weight.data, layer.bias.data) for layer in layers])
        assert not np.allclose(model(x).data, plain(x).data)        # the model computes other numbers than its layers
        with pytest.raises(ValueError, match=match):
            model.to_torch()


def test_from_torch_of_a_lazy_linear_says_it_has_no_weights_yet():
    torch = pytest.importorskip("torch")
    module = torch.nn.Sequential(torch.nn.LazyLinear(3, dtype=torch.float64), torch.nn.Tanh())
    with pytest.raises(ValueError, match=r"MLP.from_torch\(\): module 0 \(LazyLinear\) has no weights yet .*run one "
                                         r"batch through the module first"):
        MLP.from_torch(module)
    x = torch.ones(2, 4, dtype=torch.float64)
    with torch.no_grad():
        expected = module(x).numpy()                       # a batch gives the lazy layer its input size and weights
    assert np.allclose(MLP.from_torch(module)(x.numpy()).data, expected, rtol=0, atol=1e-15)


# --- members compressed by bzip2 or LZMA: refused by the zip directory, before zipfile inflates anything ------------

@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
@pytest.mark.parametrize("where", ["__deltagrad__", "layers.0.weight"])
def test_a_bzip2_or_lzma_member_is_refused_before_it_is_inflated(tmp_path, method, where):
    path = tmp_path / "packed.npz"
    zeros = bytes(MiB)
    with zipfile.ZipFile(path, "w") as z:
        for key in ("__deltagrad__", "layers.0.weight", "layers.0.bias"):
            info = zipfile.ZipInfo(f"{key}.npy")
            info.compress_type = method if key == where else zipfile.ZIP_STORED
            with z.open(info, "w", force_zip64=True) as m:
                if key == where:                     # 32 MiB of zeros: bzip2 packs them in about 100 bytes
                    for _ in range(32):
                        m.write(zeros)
                else:
                    m.write({"__deltagrad__": marker()[1], "layers.0.weight": npy(np.zeros((3, 2))),
                             "layers.0.bias": npy(np.zeros(3))}[key])
    assert path.stat().st_size < MiB // 4
    refused_cheaply(MLP([2, 3]).load, path, match=rf"load: .*packed.npz' holds '{where}' compressed by method "
                                                  rf"{method}; only stored and deflated members", seconds=5.0)
