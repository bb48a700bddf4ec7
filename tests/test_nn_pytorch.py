"""Issue 15: a way out to PyTorch and back. A model becomes a torch.nn.Sequential with the same weights and outputs,
and comes back with identical weights (so identical outputs); a PyTorch state_dict loads into an MLP. Skipped only
where torch is not installed (the error that names the pinned install is tested either way)."""

from __future__ import annotations

import builtins
import sys

import numpy as np
import pytest

from nn import MLP, Linear

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")
X = np.random.default_rng(4).normal(size=(7, 3))

CONFIGS = [
    dict(sizes=[3, 5, 2], activation="sigmoid"),
    dict(sizes=[3, 4, 4, 1], activation="tanh", output_activation="identity"),
    dict(sizes=[3, 6, 3], activation="relu", output_activation="softmax"),
    dict(sizes=[3, 4, 2], activation="softplus", output_activation="sigmoid"),
    dict(sizes=[3, 2], activation="relu", output_activation="identity"),
    dict(sizes=[3, 5, 2], activation="tanh", dtype=np.float32),
]


@needs_torch
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c['sizes']}-{c['activation']}")
def test_an_mlp_goes_to_pytorch_with_its_outputs_and_comes_back_identical(config):
    model = MLP(**config, seed=0)
    net = model.to_torch()
    assert isinstance(net, torch.nn.Sequential)
    dtype = model.dtype
    ours = model(X.astype(dtype)).data
    theirs = net(torch.from_numpy(X.astype(dtype))).detach().numpy()
    assert theirs.dtype == dtype
    np.testing.assert_allclose(theirs, ours, rtol=1e-12 if dtype == np.float64 else 1e-5, atol=1e-14)
    back = MLP.from_torch(net)
    assert (back.sizes, back.output_activation, back.dtype) == (model.sizes, model.output_activation, model.dtype)
    if len(model.sizes) > 2:                                             # a hidden activation to read back
        assert back.activation == model.activation
    for (W, b), (W2, b2) in zip(model.get_weights(), back.get_weights()):
        np.testing.assert_array_equal(W2, W)
        np.testing.assert_array_equal(b2, b)
    np.testing.assert_array_equal(back(X.astype(dtype)).data, ours)


@needs_torch
def test_the_torch_weights_are_the_models_numbers_in_the_same_layout():
    model = MLP([3, 4, 2], activation="tanh", seed=1)
    net = model.to_torch()
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    for layer, lin in zip(model.layers, linears):
        np.testing.assert_array_equal(lin.weight.detach().numpy(), layer.weight.data)   # (n_out, n_in) both
        np.testing.assert_array_equal(lin.bias.detach().numpy(), layer.bias.data)
    assert [type(m).__name__ for m in net] == ["Linear", "Tanh", "Linear", "Tanh"]
    linears[0].weight.data.fill_(0.0)                                    # a copy: the model is untouched
    assert np.any(model.layers[0].weight.data != 0)


@needs_torch
def test_a_pytorch_model_and_its_state_dict_load_into_an_mlp():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2)).double()
    model = MLP.from_torch(net)
    assert model.sizes == [3, 8, 2] and model.activation == "relu" and model.output_activation == "identity"
    expected = net(torch.from_numpy(X)).detach().numpy()
    np.testing.assert_allclose(model(X).data, expected, rtol=1e-12, atol=1e-14)
    other = MLP([3, 8, 2], activation="relu", output_activation="identity", seed=5)
    assert other.load_state_dict(net.state_dict()) is other
    np.testing.assert_array_equal(other(X).data, model(X).data)
    with pytest.raises(ValueError, match="PyTorch state dict"):
        MLP([3, 4, 2]).load_state_dict(net.state_dict())                 # shapes do not fit: named as such


@needs_torch
def test_gradients_agree_with_pytorchs_after_the_trip():
    model = MLP([3, 5, 2], activation="tanh", seed=2)
    net = model.to_torch()
    loss = (model(X) ** 2).sum()
    loss.backward()
    (net(torch.from_numpy(X)) ** 2).sum().backward()
    np.testing.assert_allclose(net[0].weight.grad.numpy(), model.layers[0].weight.grad, rtol=1e-11)


@needs_torch
def test_a_linear_layer_goes_and_comes_back():
    layer = Linear(3, 2, seed=0)
    lin = layer.to_torch()
    assert isinstance(lin, torch.nn.Linear)
    np.testing.assert_allclose(lin(torch.from_numpy(X)).detach().numpy(), layer(X).data, rtol=1e-13)
    back = Linear.from_torch(lin)
    np.testing.assert_array_equal(back(X).data, layer(X).data)


@needs_torch
def test_modules_deltagrad_cannot_represent_are_refused_by_name():
    with pytest.raises(ValueError, match="Dropout"):
        MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout()).double())
    with pytest.raises(ValueError, match="one activation for every hidden layer"):
        MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.Linear(2, 2),
                                           torch.nn.Tanh(), torch.nn.Linear(2, 1)).double())
    with pytest.raises(TypeError, match="Sequential"):
        MLP.from_torch(torch.nn.ReLU())
    with pytest.raises(TypeError, match="float16"):
        MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2)).half())


def test_without_torch_the_error_names_the_pinned_install(monkeypatch):
    real_import = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("No module named 'torch'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "torch", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(ImportError, match=r"pip install torch==2\.13\.0"):
        MLP([2, 2]).to_torch()
    with pytest.raises(ImportError, match=r"pip install torch==2\.13\.0"):
        Linear(2, 2).to_torch()


@needs_torch
def test_a_module_that_computes_something_else_is_refused_not_read_by_its_class_name():
    """A module is read by what it computes: a user's own ``Sigmoid`` (class name alone), a subclass of torch's
    Linear, Tanh or Sequential with its own forward, and any forward hook change the outputs; each was read as
    torch's module, a model 0.3 to 3 off the source's. Refused by name now; a plain subclass still loads."""
    T = torch.nn

    class Sigmoid(T.Module):                              # the name of torch's, not its function
        def forward(self, x):
            return 2 * x

    class ScaledLinear(T.Linear):
        def forward(self, x):
            return 2 * super().forward(x)

    class Doubled(T.Sequential):
        def forward(self, x):
            return 2 * super().forward(x)

    def net(*middle):
        return T.Sequential(T.Linear(3, 4), *middle, T.Linear(4, 2)).double()

    hooked, pre_hooked, seq_hooked = net(T.Tanh()), net(T.Tanh()), net(T.Tanh())
    hooked[0].register_forward_hook(lambda module, args, out: out + 1)
    pre_hooked[1].register_forward_pre_hook(lambda module, args: (2 * args[0],))
    seq_hooked.register_forward_hook(lambda module, args, out: out + 1)
    cases = [(r"module 1 \(Sigmoid\) is not torch.nn.Sigmoid", net(Sigmoid())),
             (r"module 0 \(ScaledLinear\) has its own forward", T.Sequential(ScaledLinear(3, 4), T.Tanh()).double()),
             (r"the Sequential \(Doubled\) has its own forward", Doubled(T.Linear(3, 4), T.Tanh()).double()),
             (r"module 0 \(Linear\) has a forward hook", hooked),
             (r"module 1 \(Tanh\) has a forward hook", pre_hooked),
             (r"the Sequential \(Sequential\) has a forward hook", seq_hooked)]
    for found, module in cases:
        with pytest.raises(ValueError, match=found):
            MLP.from_torch(module)

    class PlainTanh(T.Tanh):                              # torch's forward: the same function, so read as tanh
        pass

    plain = net(PlainTanh())
    model = MLP.from_torch(plain)
    np.testing.assert_allclose(model(X).data, plain(torch.from_numpy(X)).detach().numpy(), rtol=1e-12, atol=1e-14)


@needs_torch
def test_refusals_of_a_softplus_threshold_and_a_bfloat16_say_what_was_found():
    """Softplus(threshold=5) (z itself for z > 5, 0.0067 off ln(1 + e^z) there) was refused as
    "Softplus(beta=1.0) is not deltagrad's softplus (beta=1)", which names nothing wrong; a bfloat16 module by
    torch's "Got unsupported ScalarType BFloat16", naming no layer; a float16 state dict as "from_torch"."""
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Softplus(threshold=5)).double()
    with pytest.raises(ValueError, match=r"threshold=5"):
        MLP.from_torch(net)
    with pytest.raises(TypeError, match=r"MLP.from_torch\(\): layer 0's weight has dtype torch.bfloat16"):
        MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2)).bfloat16())
    state = torch.nn.Sequential(torch.nn.Linear(2, 2)).half().state_dict()
    with pytest.raises(TypeError, match=r"load_state_dict: 0.weight has dtype torch.float16"):
        MLP([2, 2]).load_state_dict(state)
    net = torch.nn.Sequential(torch.nn.Linear(3, 2)).double()                # big-endian numpy arrays: the numbers
    model = MLP([3, 2], output_activation="identity").load_state_dict(
        {k: v.numpy().astype(">f8") for k, v in net.state_dict().items()})
    np.testing.assert_array_equal(model(X).data, MLP.from_torch(net)(X).data)
