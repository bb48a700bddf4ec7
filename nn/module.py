"""Module: the base of every network. It finds its parameters by walking its attributes, and saves them to .npz.

A parameter is a leaf ``Value`` or a leaf ``Tensor`` with ``requires_grad=True`` (no parents: made by the user, or
computed without grad and then switched on with ``requires_grad_()``, not computed from parameters)
held by a public attribute (one that does not start with ``_``), directly or inside a Module, list, tuple or
dict. Names are the attribute path with dots, as in PyTorch: ``layers.1.weight`` is ``model.layers[1].weight``.
"""

from __future__ import annotations

import errno
import os
import secrets
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from autograd import Value
from autograd.checks import flag, unmasked
from autograd.tensor import subtract_in_place

from . import checks
from .files import Npz, path_of, shown_path, write_npz

FORMAT = "deltagrad-module-1"   # stored under MARKER in every file save() writes
MARKER = "__deltagrad__"
_MARKER_BYTES = 2**20          # the marker's text (format, class, describe()) may take up to 1 MiB


def is_parameter(x: Any, frozen: bool = False) -> bool:
    """True for a leaf Value and a leaf Tensor that requires grad (a result computed from parameters is not one);
    with ``frozen``, also for a weight switched off with ``requires_grad_(False)``, which keeps its place in a state
    dict and a file (not in the optimizers' list)."""
    # a leaf is a node without parents, as PyTorch's is_leaf, whatever op made its numbers: d2l's
    # nn.Parameter(torch.randn(...) * sigma), here (Tensor(w) * 0.01).requires_grad_(), or a Value scaled inside
    # no_grad(), keeps the name of that op ('*') but records from itself (both were silently never trained)
    if isinstance(x, Value):
        return not x.parents
    return ((getattr(x, "requires_grad", False) is True or (frozen and getattr(x, "_frozen", False) is True))
            and isinstance(getattr(x, "data", None), np.ndarray) and not getattr(x, "parents", ()))


def _walk(prefix: str, obj: Any, frozen: bool = False) -> Iterator[tuple[str, Any]]:
    """(name, item) for every Module and parameter reachable from ``obj``, depth first, in attribute order.
    A module or container met again (shared, a back-reference to a parent, or a list holding itself) is not walked
    a second time. The walk keeps its own stack rather than recursing, so that a model nested thousands of
    modules deep is walked as any other (recursion stopped near 500 levels with RecursionError)."""
    seen: set[int] = set()
    stack: list[tuple[str, Any]] = [(prefix, obj)]
    while stack:
        name, item = stack.pop()
        if isinstance(item, Module):
            if id(item) in seen:
                continue
            seen.add(id(item))
            if name:
                yield name, item
            children = [(f"{name}.{key}" if name else key, value) for key, value in vars(item).items()
                        if not key.startswith("_")]
        elif is_parameter(item, frozen):
            yield name, item
            continue
        elif isinstance(item, list | tuple | dict):
            if id(item) in seen:
                continue
            seen.add(id(item))
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            children = [(f"{name}.{key}", value) for key, value in pairs]
        else:
            continue
        stack.extend(reversed(children))                # popped in attribute order: depth first, as recursion would


class Module:
    """Base class of networks: subclass it, store parameters and sub-modules as attributes, write ``forward``.

    >>> from autograd import Value
    >>> class Affine(Module):
    ...     def __init__(self):
    ...         self.w = [Value(2.0), Value(-1.0)]
    ...         self.b = Value(0.5)
    ...     def forward(self, x):
    ...         return self.w[0] * x[0] + self.w[1] * x[1] + self.b
    >>> m = Affine()
    >>> [name for name, _ in m.named_parameters()]
    ['w.0', 'w.1', 'b']
    >>> m([1.0, 3.0]).data
    -0.5
    """

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The network's output for a batch (rows are samples); ``model(x)`` calls it. Subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(...) to be called")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """``model(x)``: ``model.forward(x)``."""
        return self.forward(*args, **kwargs)

    # --- discovery ------------------------------------------------------------------------------------------------
    def named_parameters(self) -> Iterator[tuple[str, Any]]:
        """(dotted name, parameter) pairs; a parameter shared by two attributes is listed once, under its first name.

        >>> from nn import MLP
        >>> [n for n, _ in MLP([2, 3, 1]).named_parameters()]
        ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']
        """
        seen: set[int] = set()
        for name, item in _walk("", self):
            if not isinstance(item, Module) and id(item) not in seen:
                seen.add(id(item))
                yield name, item

    def _parameters_by_name(self, who: str) -> dict[str, Any]:
        """``dict(named_parameters())`` and the frozen weights (``requires_grad_(False)``) in their places: what a
        state dict and a file hold. Two parameters under one name are refused: the dict would keep only one of
        them, and the other would be silently missing from a state dict or a file, and never loaded."""
        params: dict[str, Any] = {}
        seen: set[int] = set()
        for name, p in _walk("", self, frozen=True):
            if isinstance(p, Module) or id(p) in seen:
                continue
            seen.add(id(p))
            if name in params:
                raise ValueError(
                    f"{who}: two different parameters of this {type(self).__name__} are both named {name!r} (a dict "
                    "key that is not a string or that holds a dot can spell the name of another parameter, as "
                    "{0: w} and {'0': v}, or {'a.b': w} beside a.b); give them distinct string keys without dots"
                )
            params[name] = p
        return params

    def parameters(self) -> list:
        """Every parameter, in the order of ``named_parameters()``."""
        return [p for _, p in self.named_parameters()]

    def named_modules(self) -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for every sub-module, depth first, each once (the module itself is not included)."""
        for name, item in _walk("", self):
            if isinstance(item, Module):
                yield name, item

    def zero_grad(self) -> None:
        """Reset every parameter's gradient (0.0 for a Value, None for a Tensor); call it before each backward().
        A frozen weight's too (``requires_grad_(False)``), as PyTorch's: a gradient left from before the freeze
        would otherwise read as its current one."""
        for p in self._parameters_by_name("zero_grad").values():
            p.zero_grad()

    # --- modes ----------------------------------------------------------------------------------------------------
    training: bool = True      # read by layers that act differently while training (nn.Dropout); set by train()/eval()

    def train(self, mode: bool = True) -> Module:
        """Training mode (``mode=True``) or evaluation mode for this module and every sub-module; returns self.

        >>> from nn import MLP
        >>> MLP([2, 1]).eval().training
        False
        """
        mode = flag(mode, f"{type(self).__name__}.train", "mode")
        self.training = mode
        for _, module in self.named_modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode (``train(False)``): dropout off, as PyTorch's ``model.eval()``; returns self."""
        return self.train(False)

    # --- state ----------------------------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter's data as a numpy array (shape () for a Value), keyed by dotted name; a weight
        frozen with ``requires_grad_(False)`` is in it too, as in PyTorch, though ``parameters()`` leaves it out.

        >>> from nn import MLP
        >>> {k: v.shape for k, v in MLP([2, 3]).state_dict().items()}
        {'layers.0.weight': (3, 2), 'layers.0.bias': (3,)}
        """
        return {name: np.array(p.data, dtype=float if isinstance(p, Value) else p.data.dtype)
                for name, p in self._parameters_by_name("state_dict").items()}

    def load_state_dict(self, state: Mapping[str, Any], *, source: str = "the state dict",
                        saved_as: str | None = None) -> Module:
        """Copy ``state`` into the parameters. Every key must match a parameter name and every shape its shape;
        nothing is changed unless all do; integers and floats are taken (in the parameter's dtype), NaN and inf as
        given (as PyTorch loads them; ``load`` refuses them unless asked). The change counts as one in place: a
        graph made from the old weights refuses ``backward()``. ``saved_as`` (what ``describe()`` said of the saved
        model) goes into the error messages.

        >>> from nn import MLP
        >>> a, b = MLP([2, 3], seed=0), MLP([2, 3], seed=1)
        >>> _ = b.load_state_dict(a.state_dict())
        >>> bool((a.layers[0].weight.data == b.layers[0].weight.data).all())
        True
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict: state must be a mapping of parameter names to arrays, such as "
                            f"model.state_dict(), got {type(state).__name__}")
        params = self._parameters_by_name("load_state_dict")
        self._check_keys(list(state), params, source, saved_as)
        arrays = {}
        for name in params:
            unmasked(state[name], "load_state_dict", f"parameter {name!r}")  # np.asarray: the numbers under it
            try:
                arrays[name] = np.asarray(state[name])
            except (TypeError, ValueError, OverflowError):
                hint = ("a Tensor that requires grad: give its numbers, p.data, or other_model.state_dict()"
                        if hasattr(state[name], "requires_grad") else "a ragged list?")
                raise ValueError(f"load_state_dict: parameter {name!r} in {source} is not an array of numbers of one "
                                 f"shape ({hint}), got {type(state[name]).__name__}") from None
        self._check_arrays({name: (a.shape, a.dtype) for name, a in arrays.items()}, params, source, saved_as)
        # A Value holds a float64, so a longdouble 1e400 would become inf there: fitted refuses it as for a Tensor.
        cast = {name: fitted(arrays[name], np.float64 if isinstance(p, Value) else p.data.dtype, "load",
                             f"parameter {name!r} in {source}")
                for name, p in params.items()}                     # all checked before any parameter changes
        for name, p in params.items():
            p.data = float(cast[name]) if isinstance(p, Value) else cast[name]
        replaced(params.values())
        return self

    def _check_keys(self, keys: list[str], params: dict[str, Any], source: str, saved_as: str | None) -> None:
        """Every parameter name among ``keys`` and nothing else, or a ValueError listing what is missing/extra."""
        present = set(keys)          # sets: a scalar MLP has tens of thousands of names
        missing = [k for k in params if k not in present]
        extra = [k for k in keys if k not in params]
        if missing or extra:
            raise ValueError(
                f"load: {source} does not fit this {type(self).__name__}: "
                + (f"missing {_names(missing)}" if missing else "")
                + ("; " if missing and extra else "")
                + (f"unexpected {_names(extra)}" if extra else "")
                + ". " + self._fix(saved_as)
            )

    def _check_arrays(self, specs: Mapping[str, tuple[tuple, np.dtype]], params: dict[str, Any], source: str,
                      saved_as: str | None) -> None:
        """Every (shape, dtype) in ``specs`` that of its parameter, holding real numbers; known before any data."""
        for name, p in params.items():
            shape, dtype = specs[name]
            want = () if isinstance(p, Value) else p.data.shape
            if tuple(shape) != want:
                raise ValueError(
                    f"load: parameter {name!r} has shape {want} in this model but {tuple(shape)} in {source}. "
                    + self._fix(saved_as)
                )
            # numpy counts timedelta64 as an integer and would turn 3 seconds into 3.0: only ints and floats pass
            if np.dtype(dtype).kind not in "iuf":
                raise ValueError(f"load: parameter {name!r} holds {dtype} data in {source}, not real numbers "
                                 "(integers or floats)")

    def describe(self) -> str:
        """The class and sizes, as saved beside the weights: ``nn.layers.MLP(2 -> 3, activation='sigmoid', ...)``."""
        return f"{_class_name(self)}({self.extra_repr()})"

    def _fix(self, saved_as: str | None) -> str:
        """The advice at the end of a load error: which model to build."""
        if not saved_as or saved_as == self.describe():
            return "Build the model with the same sizes as the one that was saved."
        same_class = saved_as.startswith(_class_name(self) + "(")
        return (f"It was saved as {saved_as}; this model is {self.describe()}: build that model to load it"
                + ("." if same_class or not hasattr(self, "set_weights")
                   else " (then this_model.set_weights(that_model.get_weights()) moves the weights across)."))

    def save(self, path: str | os.PathLike, *, allow_nonfinite: bool = False) -> str:
        """Write the parameters to the .npz file ``path`` (exactly that name; no pickle). Returns the path.

        A parameter holding NaN or inf is refused, naming it (a checkpoint of a run that diverged would overwrite a
        good one, and ``load`` refuses it); ``allow_nonfinite=True`` writes it all the same, to look at later with
        ``load(path, allow_nonfinite=True)``. The threshold at which ``fit`` read this model's one output as a
        class is saved beside the weights, so that ``predict`` reads the loaded model as it read this one.

        >>> import tempfile, os
        >>> from nn import MLP
        >>> path = os.path.join(tempfile.mkdtemp(), "hh19.npz")
        >>> _ = MLP([2, 2, 3, 2], seed=0).save(path)
        >>> _ = MLP([2, 2, 3, 2]).load(path)
        """
        allow_nonfinite = flag(allow_nonfinite, "save", "allow_nonfinite")
        arrays = self.state_dict()
        if MARKER in arrays:
            raise ValueError(f"save: a parameter may not be called {MARKER!r} (the file format uses that key)")
        if not allow_nonfinite:
            _refuse_nonfinite(arrays, "save", "", "A model with them outputs NaN (did training diverge? lower the "
                              "learning rate); to keep them to look at, save(path, allow_nonfinite=True)")
        marker = [FORMAT, _class_name(self), self.describe()]
        threshold = getattr(self, "_threshold", None)       # how fit read one output as a class (nn.train)
        if threshold is not None:
            marker.append(repr(float(threshold)))
        marker = np.array(marker)
        if marker.nbytes > _MARKER_BYTES:                           # load would refuse the file: refuse it here
            raise ValueError(f"save: this {type(self).__name__}'s describe() is {len(marker[2]):,} characters, more "
                             f"than a file's marker holds ({_MARKER_BYTES // 4 // len(marker):,}); shorten what its "
                             "extra_repr() returns")
        path = path_of(path, "save", "a .npz file")
        # Written beside the target, then renamed over it in one step: a save that fails halfway (a full disk, an
        # interrupt, a name write_npz refuses) leaves the last good checkpoint as it was instead of a truncated
        # file. The temporary name keeps only the start of the target's, so that it fits wherever the target fits.
        folder, name = os.path.split(path)
        temporary = os.path.join(folder, f".{name[:40]}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            if os.path.isdir(path):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            f = open(temporary, "xb")                   # as open(path, "wb") would make it (the umask's mode)
        except OSError as e:  # a folder, a missing folder, no permission: say which call and what to pass
            raise type(e)(e.errno, f"save: cannot write the file {shown_path(path)} ({e.strerror}); pass the path "
                          "of a .npz file in a folder that exists") from None
        try:
            with f:
                write_npz(f, {MARKER: marker, **arrays}, "save")
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        return path

    def load(self, path: str | os.PathLike, *, allow_nonfinite: bool = False) -> Module:
        """Read parameters that ``save`` wrote into this model (built with the same sizes). Returns the model.
        Weights holding NaN or inf are refused by name unless ``allow_nonfinite=True`` (see ``save``).

        The file is trusted no further than its headers: it must be a regular file (not a FIFO, a device or a
        folder), its names are compared with the model's from the zip directory, then each array's shape and dtype
        from its .npy header with the parameter's, and its size in the zip directory with what that shape needs,
        all before any data is inflated; nothing is unpickled. Raises FileNotFoundError for a missing file and
        ValueError for a file that is not a saved model, a corrupt one, a missing or unexpected parameter, or a
        shape that differs (naming the parameter and both shapes); each error says which model the file was saved
        from. Weights that fit a model described otherwise (other activations, say) are loaded with a UserWarning.
        """
        allow_nonfinite = flag(allow_nonfinite, "load", "allow_nonfinite")
        path = path_of(path, "load", "a .npz file")
        params = self._parameters_by_name("load")
        not_saved = f"load: {shown_path(path)} is not a model saved by deltagrad's Module.save"
        with Npz(path, "load", fix="save a model there with model.save(path)",
                 kind="a model saved by deltagrad's Module.save", expected=[MARKER, *params]) as npz:
            saved_class, described, threshold = read_marker(npz, not_saved)
            source = shown_path(path) + (f" (saved from a {saved_class})" if saved_class != _class_name(self) else "")
            keys = [k for k in npz.keys if k != MARKER]
            self._check_keys(keys, params, source, described)       # names from the zip directory: nothing read
            members = {k: npz.member(k) for k in keys}               # shapes from the .npy headers: a few KiB
            self._check_arrays({k: (m.shape, m.dtype) for k, m in members.items()}, params, source, described)
            state = {k: npz.read(k) for k in keys}                   # now the data, each exactly as long as claimed
        if not allow_nonfinite:      # a model of them outputs NaN, and training from it gives NaN everywhere
            _refuse_nonfinite(state, "load", f" in {source}", "Nothing was loaded. Load a file saved before the run "
                              "diverged, or pass allow_nonfinite=True to look at these weights all the same")
        self.load_state_dict(state, source=source, saved_as=described)
        self._threshold = threshold          # the file's, or none: a threshold kept from before fits other weights
        if described is not None and described != self.describe():
            warnings.warn(f"load: {shown_path(path)} was saved as {described}; this model is {self.describe()}. "
                          "Its weights were loaded all the same.", UserWarning, stacklevel=2)
        return self

    # --- printing -------------------------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """What to print between the parentheses after the class name; subclasses show their sizes here."""
        return ""

    def _children(self) -> list[tuple[str, Module]]:
        """The sub-modules printed under this one: attributes that are Modules, or containers of them."""
        out = []
        for name, value in vars(self).items():
            if name.startswith("_"):
                continue
            if isinstance(value, Module):
                out.append((name, value))
            elif isinstance(value, list | tuple):
                out += [(f"{name}.{i}", m) for i, m in enumerate(value) if isinstance(m, Module)]
            elif isinstance(value, dict):
                out += [(f"{name}.{k}", m) for k, m in value.items() if isinstance(m, Module)]
        return out

    def __repr__(self) -> str:
        """The class, its sizes and its sub-modules, one per line and indented by depth, as PyTorch prints a model.
        Sub-modules more than ``REPR_DEPTH`` (100) levels down are counted, not printed: a chain nested thousands
        deep would print lines of thousands of spaces (200 MB of text for 10,000 levels).

        >>> from nn import MLP
        >>> print(MLP([2, 3, 1]))
        MLP(2 -> 3 -> 1, activation='sigmoid', output_activation='sigmoid',
          (layers.0): Linear(2 -> 3)
          (layers.1): Linear(3 -> 1)
        )
        """
        lines: list[str] = []
        printing: set[int] = set()                  # the modules being printed around this line: a cycle stops there
        # the walk keeps its own stack (as _walk) rather than recursing: a model nested thousands of modules deep
        # printed with RecursionError. An entry (label, module, depth) prints a module; (None, module, depth)
        # closes its parenthesis once its children are printed.
        stack: list[tuple[str | None, Module, int]] = [("", self, 0)]
        while stack:
            label, module, depth = stack.pop()
            indent = "  " * depth
            if label is None:
                printing.discard(id(module))
                lines.append(indent + ")")
                continue
            if module is not self and type(module).__repr__ is not Module.__repr__:
                lines.append(indent + label + repr(module).replace("\n", "\n" + indent))
                continue
            extra = module.extra_repr()
            head = f"{type(module).__name__}({extra})"
            children = module._children()
            if not children or id(module) in printing:   # a module inside itself is printed by its head only
                lines.append(indent + label + head)
                continue
            if depth >= REPR_DEPTH:
                below = sum(1 for _ in module.named_modules())
                lines.append(f"{indent}{label}{head[:-1]}{', ' if extra else ''}... {below:,} sub-modules deeper "
                             f"than {REPR_DEPTH} levels not printed)")
                continue
            printing.add(id(module))
            lines.append(indent + label + head[:-1] + ("," if extra else ""))
            stack.append((None, module, depth))
            stack.extend((f"({name}): ", child, depth + 1) for name, child in reversed(children))
        return "\n".join(lines)


REPR_DEPTH = 100   # Module.__repr__ prints sub-modules this many levels down, and counts the deeper ones


def _refuse_nonfinite(arrays: Mapping[str, np.ndarray], who: str, where: str, fix: str) -> None:
    """A ValueError naming the first parameter of ``arrays`` that holds NaN or inf, how many, and ``fix``."""
    for name, a in arrays.items():
        bad = int(a.size - np.count_nonzero(np.isfinite(a)))
        if bad:
            raise ValueError(f"{who}: parameter {name!r}{where} holds {bad} NaN or inf entr{'y' if bad == 1 else 'ies'}"
                             f" of {a.size}. {fix}")


def read_marker(npz: Npz, not_saved: str) -> tuple[str, str | None, float | None]:
    """The class, ``describe()`` and fit's threshold that a file's marker holds: [format, class, describe(),
    threshold], of which files of earlier versions hold the first 2 or 3. Anything else is a ValueError that
    starts with ``not_saved``; a file of a later format says so, and to upgrade."""
    if MARKER not in npz.keys:
        raise ValueError(f"{not_saved}: it has no {MARKER!r} entry (keys: {_names(npz.keys)})")
    marker = npz.member(MARKER)
    if marker.dtype.kind != "U" or marker.shape not in ((2,), (3,), (4,)) or marker.nbytes > _MARKER_BYTES:
        raise ValueError(f"{not_saved}: its {MARKER!r} entry holds {marker.shape} of {marker.dtype}, not "
                         f"the format {FORMAT!r}")
    marker = [str(v) for v in npz.read(MARKER)]
    if marker[0] != FORMAT:
        later = marker[0].startswith(FORMAT[:-1]) and marker[0] > FORMAT
        raise ValueError(f"{not_saved}: its {MARKER!r} entry is {marker[:1]!r}, not the format {FORMAT!r}"
                         + ("; a later deltagrad wrote it: upgrade deltagrad to read it" if later else ""))
    described = marker[2] if len(marker) >= 3 else None
    return marker[1], described, _threshold(marker[3], not_saved) if len(marker) == 4 else None


def _threshold(text: str, not_saved: str) -> float:
    """fit's output threshold as written by ``save``: a finite number."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not np.isfinite(value):
        raise ValueError(f"{not_saved}: its {MARKER!r} entry holds the threshold {text!r:.40}, not a number")
    return value


def replaced(params: Iterable[Any]) -> None:
    """Count the weights just given new numbers (``p.data = ...``) as changed in place, as PyTorch's ``copy_``
    counts: a graph made from the old weights then refuses ``backward()`` instead of handing their gradients to
    the new ones. Subtracting 0 changes no number (-0.0, NaN and inf stay); Values keep no count.
    A frozen weight (``requires_grad_(False)``) counts too: a graph that read it (towards an input, say) would
    otherwise differentiate with its old numbers."""
    tensors = [p for p in params if not isinstance(p, Value)]
    subtract_in_place(tensors, [0.0] * len(tensors))


def _class_name(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def _names(keys: list[str], limit: int = 6) -> str:
    listed = ", ".join(checks.shown(k) for k in keys[:limit])       # each cut: a zip name may take 65,535 bytes
    return listed + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def fitted(a: Any, dtype: np.dtype, who: str, what: str) -> np.ndarray:
    """``a`` as a new array of ``dtype``; refused when a finite number becomes inf there (1e39 in float32), which
    numpy does with only a RuntimeWarning, leaving a model whose outputs are inf or nan."""
    a = np.asarray(a)
    with np.errstate(over="ignore"):
        out = np.array(a, dtype=dtype)
    grown = np.isinf(out) & np.isfinite(a)
    if grown.any():
        raise ValueError(f"{who}: {what} holds {a[grown].flat[0]:.4g}, too large for {np.dtype(dtype).name} "
                         f"(largest {np.finfo(dtype).max:.4g}); build the model with dtype=np.float64")
    return out


def check_weight_pairs(pairs: Any, sizes: list[int], who: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """``pairs`` as float arrays, after checking there is one ``(W, b)`` per layer with the HH19 shapes
    ``W: (n_out, n_in)``, ``b: (n_out,)`` for consecutive ``sizes``."""
    pairs = list(pairs)
    if len(pairs) != len(sizes) - 1:
        raise ValueError(
            f"{who}.set_weights: got {len(pairs)} (W, b) pairs for a network with {len(sizes) - 1} layers "
            f"(sizes {sizes})"
        )
    out = []
    for l, pair in enumerate(pairs):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(f"{who}.set_weights: item {l} must be a pair (W, b), got {type(pair).__name__}")
        # np.asarray(x, dtype=float) would drop a complex weight's imaginary part, parse "1.5" and read a mask's
        # hidden numbers: checks.array refuses each by name (NaN and inf are loaded as given, as PyTorch loads them)
        W = checks.array(pair[0], f"{who}.set_weights", f"W of layer {l}", finite=False)
        b = checks.array(pair[1], f"{who}.set_weights", f"b of layer {l}", finite=False)
        n_in, n_out = sizes[l], sizes[l + 1]
        if W.shape != (n_out, n_in):
            raise ValueError(
                f"{who}.set_weights: W of layer {l} has shape {W.shape}, expected {(n_out, n_in)} "
                f"(n_out, n_in) for the layer {n_in} -> {n_out}" + (" (transpose it?)" if W.T.shape == (n_out, n_in)
                                                                     else "")
            )
        if b.shape != (n_out,):
            raise ValueError(
                f"{who}.set_weights: b of layer {l} has shape {b.shape}, expected {(n_out,)}"
                + (" (a column vector: pass b.ravel())" if b.size == n_out else "")
            )
        out.append((W, b))
    return out
