"""draw(..., collapse=...) of graphs that hold two models whose modules carry the same tags (two MLPs built the same
way, a model and its copy): each box is one module of one model, never the modules of two models in one box.

Which nodes a box holds is read from the DOT text (its parameters, by the names given, and its node count) and
compared with what each model says it owns (``named_parameters()``) and with counts worked out from the network's
formulas; the arrows between boxes must stay within each model.
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest

from autograd import Tensor, Value, draw, to_dot
from nn import MLP, scalar
from tests.test_draw import boxes, fields, needs_dot, number, parse

X = [0.5, -1.0]


def prefixed(**models) -> dict:
    """names= for several models: each parameter's name with its model's name in front ("A.layers.0.weight")."""
    return {f"{who}.{name}": p for who, model in models.items() for name, p in model.named_parameters()}


def module_boxes(dot: str) -> dict:
    """Each module box (a record with a node count) by its DOT id: (its name, its fields)."""
    nodes, _ = parse(dot)
    return {k: fields(a["label"]) for k, a in boxes(nodes).items() if re.search(r"\b\d+ nodes\b", a["label"])}


def listed_params(box_fields: list[str]) -> set[str]:
    (listed,) = [f for f in box_fields if f.startswith("params ")]
    return set(listed.removeprefix("params ").replace("\\", "").split(", "))


def own_params(names: dict, module: str) -> set[str]:
    """The names= entries of one module (``A.layers.0.neurons.1``): what that module owns, by its model's word."""
    return {name for name in names if name.startswith(module + ".")}


def arrows_between(dot: str, ids: set) -> set:
    _, edges = parse(dot)
    return {(t, h) for t, h, _ in edges if t in ids and h in ids}


# --- two scalar MLPs built the same way, both feeding one loss ----------------------------------------------------

def two_scalar_mlps(seed_b=0):
    A = scalar.MLP(2, [2, 1], activation="tanh", seed=0)
    B = scalar.MLP(2, [2, 1], activation="tanh", seed=seed_b)   # seed 0: even the numbers are A's
    loss = (A(X) - 1.0) ** 2 + B(X) ** 2
    loss.backward()
    return A, B, loss


def test_two_scalar_mlps_built_alike_get_one_box_per_neuron_each_with_its_own_models_parameters():
    A, B, loss = two_scalar_mlps()
    names = prefixed(A=A, B=B)
    dot = to_dot(loss, collapse="neuron", names=names)
    found = module_boxes(dot)
    modules = [f"{who}.layers.{l}.neurons.{j}" for who in "AB" for l, n in enumerate([2, 1]) for j in range(n)]
    assert len(found) == len(modules) == 6                      # before: 3 boxes, each with both models' weights
    by_params = {frozenset(listed_params(f)): (k, f) for k, f in found.items()}
    assert set(by_params) == {frozenset(own_params(names, m)) for m in modules}
    for m in modules:
        k, f = by_params[frozenset(own_params(names, m))]
        assert f[0] == m.split(".", 1)[1]                        # the label is as readable as before: no model id
        n_in = 2                                                 # both layers read two numbers
        has_activation = m.split(".")[2] == "0"                  # tanh on the hidden layer, identity at the output
        # one weighted_sum node, the activation (hidden only), n_in weights and the bias
        assert f"{1 + has_activation + n_in + 1} nodes" in " ".join(f)
    ids = {m: by_params[frozenset(own_params(names, m))][0] for m in modules}
    between = arrows_between(dot, set(ids.values()))
    assert between == {(ids[f"{who}.layers.0.neurons.{j}"], ids[f"{who}.layers.1.neurons.0"])
                       for who in "AB" for j in range(2)}       # each model's hidden neurons feed its own output


def scalar_forward(model, x):
    """The output of a scalar tanh-hidden, identity-output MLP, by the formula a = tanh(W x + b), from its weights."""
    (W0, b0), (W1, b1) = model.get_weights()
    return float((W1 @ np.tanh(W0 @ np.asarray(x) + b0) + b1)[0])


def test_two_scalar_mlps_per_layer_give_two_layers_each_fed_by_its_own_hidden_layer():
    A, B, loss = two_scalar_mlps(seed_b=1)
    dot = to_dot(loss, collapse="layer")
    found = module_boxes(dot)
    assert sorted(f[0] for f in found.values()) == ["layers.0", "layers.0", "layers.1", "layers.1"]
    hidden = {k for k, f in found.items() if f[0] == "layers.0"}
    for k in hidden:                                             # 2 neurons x (weighted_sum, tanh, 2 w, b)
        assert "tanh, 10 nodes" in found[k] and "6 params" in found[k] and "2 outputs" in found[k]
    nodes, _ = parse(dot)
    outputs = {k: number(nodes[k]["label"], "data") for k, f in found.items() if f[0] == "layers.1"}
    assert sorted(outputs.values()) == pytest.approx(sorted([scalar_forward(A, X), scalar_forward(B, X)]), rel=1e-3)
    between = arrows_between(dot, set(found))
    assert {t for t, _ in between} == hidden and {h for _, h in between} == set(outputs)
    assert len(between) == 2                                     # each hidden layer feeds one output layer


def test_a_model_and_its_copy_in_one_graph_keep_their_own_boxes():
    A = scalar.MLP(2, [3, 1], activation="sigmoid", seed=2)
    twin = copy.deepcopy(A)                                      # the same tags and numbers, its own weights
    loss = A(X) * twin(X)
    loss.backward()
    names = prefixed(A=A, twin=twin)
    found = module_boxes(to_dot(loss, collapse="neuron", names=names))
    assert len(found) == 2 * (3 + 1)
    assert {frozenset(listed_params(f)) for f in found.values()} == {
        frozenset(own_params(names, f"{who}.layers.{l}.neurons.{j}"))
        for who in ("A", "twin") for l, n in enumerate([3, 1]) for j in range(n)}


def test_a_model_called_on_several_samples_keeps_one_box_per_neuron_with_its_parameters():
    # the calls read the same weights: one module, one box, which says how many outputs it has
    A = scalar.MLP(2, [2, 1], activation="tanh", seed=0)
    samples = [[0.5, -1.0], [1.0, 2.0], [0.0, 0.3]]
    loss = sum((A(x) - 1.0) ** 2 for x in samples)
    loss.backward()
    names = dict(A.named_parameters())
    found = module_boxes(to_dot(loss, collapse="neuron", names=names))
    assert len(found) == 3
    for f in found.values():
        module = f[0]
        assert {f"{module}.{p}" for p in listed_params(f)} == own_params(names, module)
        assert f"{len(samples)} outputs" in f
        per_call = 1 + module.startswith("layers.0")            # weighted_sum, and tanh on the hidden layer
        assert f"{len(samples) * per_call + 2 + 1} nodes" in " ".join(f)     # and the 2 weights and the bias once


def test_a_pipeline_of_two_models_keeps_each_models_layers():
    # B(A(x)): B's first layer reads A's last; its neurons share a name with A's first layer, not its inputs
    A = scalar.MLP(2, [2, 2], activation="tanh", seed=0)
    B = scalar.MLP(2, [2, 1], activation="tanh", seed=1)
    y = B(A(X))
    y.backward()
    dot = to_dot(y, collapse="layer")
    found = module_boxes(dot)
    assert sorted(f[0] for f in found.values()) == ["layers.0", "layers.0", "layers.1", "layers.1"]
    arrows = arrows_between(dot, set(found))
    after = dict(arrows)                                             # A0 -> A1 -> B0 -> B1: one model after the other
    assert len(after) == len(arrows) == 3                            # each box feeds one box at most
    (first,) = set(found) - set(after.values())
    chain = [first]
    while chain[-1] in after:
        chain.append(after[chain[-1]])
    assert [found[k][0] for k in chain] == ["layers.0", "layers.1", "layers.0", "layers.1"]


def test_two_one_layer_models_keep_their_neurons_apart_per_layer_too():
    # nothing tells two one-layer models apart by layer (they read the inputs and feed the loss alike): one box for
    # both layers would hold two neurons named layers.0.neurons.0; each neuron keeps its own box instead
    A, B = scalar.MLP(2, [2], seed=0), scalar.MLP(2, [2], seed=1)
    loss = sum(A(X)) + sum(B(X))
    loss.backward()
    for collapse in ("neuron", "layer"):
        names = sorted(f[0] for f in module_boxes(to_dot(loss, collapse=collapse)).values())
        assert names == ["layers.0.neurons.0", "layers.0.neurons.0", "layers.0.neurons.1", "layers.0.neurons.1"]
    one = sum(A(X))                                                  # one model alone: one layer box, as before
    one.backward()
    assert [f[0] for f in module_boxes(to_dot(one, collapse="layer")).values()] == ["layers.0"]


# --- two Tensor MLPs ----------------------------------------------------------------------------------------------

def test_two_tensor_mlps_built_alike_get_one_box_per_layer_each():
    A, B = MLP([2, 3, 1], seed=0), MLP([2, 3, 1], seed=0)
    Xt = Tensor(np.array([[0.5, -1.0], [1.0, 2.0]]), name="X")
    loss = (A(Xt) + B(Xt)).sum()
    loss.backward()
    names = prefixed(A=A, B=B)
    dot = to_dot(loss, collapse="layer", names=names)
    found = module_boxes(dot)
    assert len(found) == 4                                       # before: 2 boxes, "params W0, b0, W0, b0"
    assert {frozenset(listed_params(f)) for f in found.values()} == {
        frozenset(own_params(names, f"{who}.layers.{l}")) for who in "AB" for l in range(2)}
    ids = {frozenset(listed_params(f)): k for k, f in found.items()}
    assert arrows_between(dot, set(found)) == {
        (ids[frozenset(own_params(names, f"{who}.layers.0"))], ids[frozenset(own_params(names, f"{who}.layers.1"))])
        for who in "AB"}


def test_an_input_computed_in_the_graph_and_read_by_two_models_stays_outside_both():
    A, B = MLP([2, 3, 1], seed=0), MLP([2, 3, 1], seed=1)
    X2 = Tensor(np.ones((2, 2)), requires_grad=True, name="X") * 2.0
    X2.name = "2X"
    loss = (A(X2) + B(X2)).sum()
    loss.backward()
    dot = to_dot(loss, collapse="layer")
    nodes, edges = parse(dot)
    (x2,) = [k for k, a in boxes(nodes).items() if fields(a["label"])[0] == "2X"]
    found = module_boxes(dot)
    fed = {h for t, h, _ in edges if t == x2}
    assert sorted(found[h][0] for h in fed) == ["layers.0", "layers.0"]   # drawn once, an arrow into each model


def test_a_value_input_shared_by_two_one_neuron_models_joins_neither():
    # without names a Value leaf counts as a parameter; read by both models' first neuron it joined both boxes and
    # made them one
    v = Value(0.5, label="v")
    A, B = scalar.MLP(1, [1, 1], seed=0), scalar.MLP(1, [1, 1], seed=1)
    y = A([v]) + B([v])
    y.backward()
    found = module_boxes(to_dot(y, collapse="neuron"))
    assert sorted(f[0] for f in found.values()) == ["layers.0.neurons.0", "layers.0.neurons.0",
                                                     "layers.1.neurons.0", "layers.1.neurons.0"]
    assert all("params" in " ".join(f) for f in found.values())


@needs_dot
def test_two_models_render_with_dot_as_two_sets_of_boxes():
    A, B, loss = two_scalar_mlps()
    svg = draw(loss, collapse="layer").pipe(format="svg").decode()
    texts = re.findall(r">([^<>]*)</text>", svg)
    assert texts.count("layers.0") == 2 and texts.count("layers.1") == 2
