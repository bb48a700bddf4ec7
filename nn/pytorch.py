"""A way out to PyTorch, and back: the same network as a ``torch.nn.Module``, with the same weights.

``MLP.to_torch()`` gives a ``torch.nn.Sequential`` of ``torch.nn.Linear`` layers, each followed by the module of
its activation (none for identity); ``MLP.from_torch(sequential)`` reads one back, and ``MLP.load_state_dict``
takes the Sequential's ``state_dict()`` (keys ``0.weight``, ``0.bias``, ``2.weight``, ...). The weight layout is
the same in both, (n_out, n_in), so the numbers are copied, never transposed. torch is optional: it is imported
here, when one of these is called.

| deltagrad activation | torch module            |
|----------------------|-------------------------|
| sigmoid              | ``torch.nn.Sigmoid()``  |
| tanh                 | ``torch.nn.Tanh()``     |
| relu                 | ``torch.nn.ReLU()``     |
| softplus             | ``torch.nn.Softplus()`` (PyTorch returns z itself for z > 20, 2e-9 off ln(1 + e^z)) |
| softmax (output)     | ``torch.nn.Softmax(dim=-1)`` (dim=1 and dim=None are other axes for a 3-D input: refused) |
| identity             | nothing (``torch.nn.Identity()`` is read back as identity) |

A module is read by its class, not its class name, and only when it computes what torch's does: a look-alike
(a user's own ``class Sigmoid(nn.Module)``), a subclass with its own ``forward`` or ``__call__`` (or one set on
the object) and a forward hook (or a global one) are refused. The Sequential is read as its forward runs it, a
module used twice twice; a Linear used twice, or parameters sharing memory (one tensor, or a view of another's
numbers), is refused (torch trains them tied). The training mode goes across both ways.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np

from autograd.checks import unmasked

_PIP = "pip install torch==2.13.0"
_MODULES = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU", "softplus": "Softplus", "softmax": "Softmax"}
_NAMES = {v: k for k, v in _MODULES.items()}


def import_torch(where: str) -> Any:
    """The torch module, or an ImportError that says how to install it."""
    try:
        import torch
    except ImportError:
        raise ImportError(f"{where} needs PyTorch, which is not installed; install the pinned CPU build with "
                          f"`{_PIP}` (or `pip install deltagrad[torch]`)") from None
    return torch


def _torch_dtype(torch: Any, W: np.ndarray, b: np.ndarray, what: str) -> tuple[Any, np.dtype]:
    """The torch dtype of a Linear holding ``W`` and ``b``, and its numpy twin in native byte order: float32 or
    float64, the same for both (one given another by hand is refused: a torch Linear has one dtype, so a float64 bias
    in a float32 layer would be rounded without a word)."""
    dtypes = {W.dtype.newbyteorder("="), b.dtype.newbyteorder("=")}      # torch reads native byte order only
    if dtypes == {np.dtype(np.float32)}:
        return torch.float32, np.dtype(np.float32)
    if dtypes == {np.dtype(np.float64)}:
        return torch.float64, np.dtype(np.float64)
    raise TypeError(f"{what} holds its weight as {W.dtype.name} and its bias as {b.dtype.name}, and a torch.nn.Linear "
                    "holds float32 or float64 for both; set both to the dtype the model was built with "
                    "(layer.bias.data = layer.bias.data.astype(layer.weight.data.dtype))")


def _activation_module(torch: Any, name: str) -> Any:
    if name == "identity":
        return None
    if name == "softmax":
        return torch.nn.Softmax(dim=-1)
    return getattr(torch.nn, _MODULES[name])()


def _replaced(obj: Any, base: type, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` (the methods ``obj(x)`` runs, in turn) that ``obj``'s class or ``obj`` itself replaces
    instead of taking ``base``'s, or None."""
    for name in names:
        if getattr(type(obj), name) is not getattr(base, name) or name in vars(obj):
            return name
    return None


def _plain_linear(layer: Any, what: str) -> None:
    """Refuse a deltagrad layer that may compute other than ``nn.Linear`` does (a subclass with its own forward or
    __call__, or one set on the object, or another layer): written out as a torch.nn.Linear, it would compute
    other numbers than the model."""
    from .layers import Linear
    if not isinstance(layer, Linear):
        raise ValueError(f"{what} ({type(layer).__name__}) is not an nn.Linear, and to_torch() writes Linear layers "
                         "only; build the model from nn.Linear layers")
    if own := _replaced(layer, Linear, ("__call__", "forward")):
        raise ValueError(f"{what} ({type(layer).__name__}) has its own {own}(), so a torch.nn.Linear with its "
                         "weights would compute other numbers; convert a model of nn.Linear layers")


def linear_to_torch(layer: Any, what: str = "Linear.to_torch(): the layer") -> Any:
    """A ``torch.nn.Linear`` with ``layer``'s weight and bias (copied, in its dtype), in the layer's mode; ``what``
    starts the error messages."""
    torch = import_torch("Linear.to_torch()")
    _plain_linear(layer, what)
    W, b = layer.weight.data, layer.bias.data
    dtype, native = _torch_dtype(torch, W, b, what)
    out = torch.nn.Linear(layer.n_in, layer.n_out, dtype=dtype)
    with torch.no_grad():
        out.weight.copy_(torch.from_numpy(np.array(W, dtype=native)))
        out.bias.copy_(torch.from_numpy(np.array(b, dtype=native)))
    out.weight.requires_grad_(layer.weight.requires_grad)          # a frozen weight stays frozen
    out.bias.requires_grad_(layer.bias.requires_grad)
    return out.train(layer.training)


def mlp_to_torch(model: Any) -> Any:
    """A ``torch.nn.Sequential``: Linear, activation, Linear, ..., with the model's weights and outputs."""
    from .layers import MLP
    torch = import_torch("MLP.to_torch()")
    if own := _replaced(model, MLP, ("__call__", "forward")):
        raise ValueError(f"MLP.to_torch(): the model ({type(model).__name__}) has its own {own}(), so a Sequential "
                         "of its layers would compute other numbers; convert an nn.MLP")
    parts: list = []
    for i, layer in enumerate(model.layers):
        parts.append(linear_to_torch(layer, f"MLP.to_torch(): layer {i}"))
        last = i == len(model.layers) - 1
        act = _activation_module(torch, model.output_activation if last else model.activation)
        if act is not None:
            parts.append(act)
    return torch.nn.Sequential(*parts).train(model.training)     # eval() stays eval(), as a copy keeps it


def _array(t: Any, what: str, where: str) -> np.ndarray:
    """A torch tensor's numbers as a new numpy array of its dtype, float64 or float32 (anything else refused)."""
    # the dtype is read before .numpy(), which refuses a bfloat16 in torch's words, naming no layer
    name = str(t.dtype).removeprefix("torch.")
    if name not in ("float64", "float32"):
        raise TypeError(f"{where}: {what} has dtype {t.dtype}; convert the module with .double() or .float()")
    if str(t.layout) != "torch.strided":              # sparse: .numpy() refuses it in torch's words, naming no layer
        raise TypeError(f"{where}: {what} is a sparse tensor ({t.layout}); pass its .to_dense()")
    if t.is_meta:                                       # shapes without numbers: .cpu() raises, naming nothing
        raise ValueError(f"{where}: {what} is on the 'meta' device, which holds shapes but no numbers; load the "
                         "weights first (module.to_empty(device='cpu') and then its load_state_dict)")
    return np.array(t.detach().cpu().numpy(), dtype=name)


def _read(module: Any, where: str) -> tuple[list, list, np.dtype, list]:
    """The Linear layers' (W, b), the activation name after each, their dtype, and which of each layer's weight and
    bias are frozen (requires_grad False; a Linear(bias=False) has a frozen bias of zeros), from a Sequential (or a
    lone Linear)."""
    torch = import_torch(where)
    # list(module), as Sequential.forward runs them: a module used twice is there twice (children() lists it once)
    items = [module] if isinstance(module, torch.nn.Linear) else list(module) \
        if isinstance(module, torch.nn.Sequential) else None
    if items is None:
        raise TypeError(f"{where}: takes a torch.nn.Sequential of Linear layers and activations (or one Linear), "
                        f"got {type(module).__name__}")
    if isinstance(module, torch.nn.Sequential):                 # its own forward runs them in turn, as read here
        _same_function(torch, module, torch.nn.Sequential, f"{where}: the Sequential ({type(module).__name__})")
    hooks = torch.nn.modules.module
    if hooks._global_forward_hooks or hooks._global_forward_pre_hooks:
        raise ValueError(f"{where}: a global forward hook (register_module_forward_hook) is set, which may change "
                         "every module's outputs; remove it (handle.remove()) before converting")
    pairs: list = []
    frozen: list = []                                          # (weight, bias) frozen, per Linear
    acts: list = []
    owners: list = []                                           # (position, Linear, "weight"/"bias", its memory)
    for position, item in enumerate(items):
        kind = type(item).__name__
        torch_class = _torch_class(torch, item)
        if torch_class is None and kind in (*_NAMES, "Identity", "Linear"):
            raise ValueError(f"{where}: module {position} ({kind}) is not torch.nn.{kind} but a class of that name "
                             f"from {type(item).__module__}, so what it computes is unknown; use torch.nn.{kind}()")
        if isinstance(item, torch.nn.modules.lazy.LazyModuleMixin) and item.has_uninitialized_params():
            # its forward hook, which the check below would name, is what makes its weights at the first batch
            raise ValueError(f"{where}: module {position} ({kind}) has no weights yet (a lazy layer takes its input "
                             "size from its first batch); run one batch through the module first")
        if torch_class is not None:
            _same_function(torch, item, torch_class, f"{where}: module {position} ({kind})")
            kind = torch_class.__name__
        if isinstance(item, torch.nn.Linear):
            l = len(pairs)
            W = _array(item.weight, f"layer {l}'s weight", where)
            b = _array(item.bias, f"layer {l}'s bias", where) if item.bias is not None \
                else np.zeros(W.shape[:1], W.dtype)
            # a weight or bias replaced by hand (module.weight = Parameter(...)) may be of any shape and dtype
            if W.ndim != 2 or b.shape != W.shape[:1]:
                raise ValueError(f"{where}: layer {l} (module {position}) has a weight of shape {W.shape} and a bias "
                                 f"of shape {b.shape}; a Linear's are (out_features, in_features) and (out_features,)")
            if b.dtype != W.dtype:                            # one would be rounded to the other's dtype
                raise TypeError(f"{where}: layer {l}'s weight is {W.dtype} and its bias {b.dtype}; convert the "
                                "module with .double() or .float()")
            _untied(item, position, owners, where)
            pairs.append((W, b))
            frozen.append((not item.weight.requires_grad, item.bias is None or not item.bias.requires_grad))
            acts.append("identity")
        elif kind == "Identity":
            continue
        elif kind in _NAMES and pairs and acts[-1] == "identity":
            if kind == "Softmax" and item.dim != -1:        # deltagrad's is over the last axis of any input
                axis = "axis 0 of a 1-D or 3-D input" if item.dim is None else f"axis {item.dim}"
                raise ValueError(f"{where}: Softmax(dim={item.dim}) is over {axis}, deltagrad's softmax over the last "
                                 f"axis of any input; set module[{position}].dim = -1 (the same numbers on (N, K) "
                                 "inputs)")
            if kind == "Softplus" and (item.beta != 1 or item.threshold != 20):
                raise ValueError(f"{where}: Softplus(beta={item.beta}, threshold={item.threshold}) is not deltagrad's "
                                 "softplus (torch's defaults beta=1, threshold=20); use torch.nn.Softplus()")
            acts[-1] = _NAMES[kind]
        else:
            raise ValueError(f"{where}: cannot read {kind} at this place; deltagrad's MLP is Linear layers, each "
                             f"followed by at most one of {sorted(_NAMES)} (or Identity)")
    if not pairs:
        raise ValueError(f"{where}: the module holds no Linear layer")
    dtypes = {W.dtype for W, _ in pairs}
    if len(dtypes) > 1:
        raise TypeError(f"{where}: the layers mix dtypes {sorted(map(str, dtypes))}; convert with .double()")
    return pairs, acts, pairs[0][0].dtype, frozen


def _torch_class(torch: Any, item: Any) -> Any:
    """The torch.nn class among those read here (Linear, Identity, the activations) that ``item`` is an instance of,
    or None. By class, never by name: a user's own ``class Sigmoid(nn.Module)`` may compute anything."""
    for name in ("Linear", "Identity", *_NAMES):
        if isinstance(item, getattr(torch.nn, name)):
            return getattr(torch.nn, name)
    return None


def _untied(item: Any, position: int, owners: list, where: str) -> None:
    """Refuse a Linear used twice, or whose weight or bias shares memory with another (the same tensor, or another
    Parameter over the same numbers): torch trains them tied (each optimizer step writes that one memory), deltagrad's
    layers each their own copy, so the models part at the first step. Parameters cut from one buffer without
    overlapping are independent, and pass."""
    for part in ("weight", "bias"):
        tensor = getattr(item, part)
        if tensor is None:
            continue
        memory = tensor.detach().cpu().numpy()      # on the CPU a view, not a copy: _array checked it is a float
        for other_position, other, other_part, other_memory in owners:
            if tensor is not getattr(other, other_part) and not np.shares_memory(memory, other_memory):
                continue
            if other is item and other_part == part:
                tied = f"modules {other_position} and {position} are the same torch.nn.Linear"
            elif tensor is getattr(other, other_part):
                tied = f"modules {other_position} and {position} share their {part}"
            else:
                tied = f"module {other_position}'s {other_part} and module {position}'s {part} share memory"
            raise ValueError(f"{where}: {tied} (tied weights); deltagrad's layers each own their weights, so training "
                             "would untie them: give each its own Linear (or its own tensor, with .clone())")
        owners.append((position, item, part, memory))


def _same_function(torch: Any, item: Any, torch_class: Any, what: str) -> None:
    """Refuse ``item`` when it may compute other than ``torch_class`` does: a subclass with its own forward (or
    __call__, or _call_impl, which module(x) runs before forward), one set on the object, or a forward hook (each
    changes the outputs, and none is seen in the weights)."""
    if own := _replaced(item, torch_class, ("__call__", "_call_impl", "forward")):     # module(x) runs them in turn
        raise ValueError(f"{what} has its own {own}(), so its outputs may differ from torch.nn."
                         f"{torch_class.__name__}'s; convert a module made of torch.nn's own classes")
    if item._forward_hooks or item._forward_pre_hooks:
        raise ValueError(f"{what} has a forward hook, which may change its outputs; remove it (handle.remove()) "
                         "before converting")


def mlp_from_torch(cls: type, module: Any) -> Any:
    """An ``nn.MLP`` with the Sequential's sizes, activations and weights (see the module's table)."""
    pairs, acts, dtype, frozen = _read(module, "MLP.from_torch()")
    hidden = set(acts[:-1])
    if "softmax" in hidden or len(hidden) > 1:
        raise ValueError(f"MLP.from_torch(): the hidden layers have activations {acts[:-1]}; deltagrad's MLP uses "
                         "one activation for every hidden layer (and softmax only after the last)")
    sizes = [pairs[0][0].shape[1]] + [W.shape[0] for W, _ in pairs]
    activation = acts[0] if len(acts) > 1 else ("sigmoid" if acts[-1] in ("identity", "softmax") else acts[-1])
    model = cls(sizes, activation=activation, output_activation=acts[-1], dtype=dtype)
    model.set_weights(pairs)
    _freeze_as(model.layers, frozen)
    return model.train(bool(module.training))


def linear_from_torch(cls: type, module: Any) -> Any:
    """An ``nn.Linear`` with a ``torch.nn.Linear``'s weight and bias."""
    pairs, acts, dtype, frozen = _read(module, "Linear.from_torch()")
    if len(pairs) != 1 or acts != ["identity"]:
        raise ValueError("Linear.from_torch(): takes one torch.nn.Linear; use MLP.from_torch() for a Sequential")
    (W, b), = pairs
    layer = cls(W.shape[1], W.shape[0], dtype=dtype)
    layer.weight.data, layer.bias.data = W.astype(dtype), b.astype(dtype)
    _freeze_as([layer], frozen)
    return layer.train(bool(module.training))


def _freeze_as(layers: list, frozen: list) -> None:
    """Freeze (``requires_grad_(False)``) each weight and bias whose torch parameter does not require grad, and the
    bias of a ``Linear(bias=False)``: its zeros must stay zeros, as torch's layer has no bias to train."""
    for layer, (weight, bias) in zip(layers, frozen):
        if weight:
            layer.weight.requires_grad_(False)
        if bias:
            layer.bias.requires_grad_(False)


_SEQUENTIAL_KEY = re.compile(r"^(0|[1-9][0-9]*)\.(weight|bias)$")   # as torch writes them: no "02", no "٢"


def is_torch_state(state: Mapping[str, Any]) -> bool:
    """True if every key is a torch Sequential's (``0.weight``, ``2.bias``, ...)."""
    return bool(state) and all(isinstance(k, str) and _SEQUENTIAL_KEY.match(k) for k in state)


def from_torch_state(state: Mapping[str, Any], n_layers: int) -> dict[str, np.ndarray]:
    """A Sequential's state dict renamed to deltagrad's keys (``layers.l.weight``): the l-th Linear in key order."""
    indices = sorted({int(_SEQUENTIAL_KEY.match(k).group(1)) for k in state})
    if len(indices) != n_layers:
        raise ValueError(f"load_state_dict: the PyTorch state dict holds {len(indices)} Linear layers "
                         f"(modules {indices}), this model has {n_layers}")
    torch = sys.modules.get("torch")                 # a torch tensor exists only once torch is imported
    renamed = {}
    for l, i in enumerate(indices):
        for part in ("weight", "bias"):
            key = f"{i}.{part}"
            if key not in state:
                continue
            value = state[key]
            unmasked(value, "load_state_dict", f"parameter {key!r}")
            # Anything but a torch tensor goes on as given, to be checked as under deltagrad's own keys.
            is_tensor = torch is not None and isinstance(value, torch.Tensor)
            renamed[f"layers.{l}.{part}"] = _array(value, key, "load_state_dict") if is_tensor else value
    return renamed
