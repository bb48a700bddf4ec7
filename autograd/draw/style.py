"""How a node looks: the colours of the roles and of gradient magnitudes, the record labels, the legend.

No Graphviz here: these are the attributes that ``draw`` writes into the DOT text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from .collapse import module_name
from .dot import Dot, Html, field, shown

# Colours (X11 names that Graphviz knows). The legend in ``draw``'s docstring describes them.
PARAMETER, INPUT, OUTPUT, VALUE, OP, GROUP = "lightblue", "gray92", "palegreen", "white", "gray85", "lightgoldenrod1"
ROLE_FILL = {"parameter": PARAMETER, "input": INPUT, "output": OUTPUT, "value": VALUE}
ROLE_EDGE = {"parameter": "blue3", "input": "gray40", "output": "darkgreen", "value": "black"}
GROUP_EDGE = "goldenrod3"   # a module box's outline with highlight_grad
# highlight_grad: a gradient that is inf or nan is no decade of the largest finite one: a hue of its own, not the
# darkest shade, which the legend says is within a tenth of the largest (a nan was drawn as the largest gradient)
NOT_FINITE = "violet"
# highlight_grad: fill "/orrd9/<k>" (light to dark red): k = TOP_SHADE at the largest gradient, one shade lighter per
# decade below it, down to TOP_SHADE - DECADES.
TOP_SHADE, DECADES = 6, 5
SMALL_TENSOR = 9  # a Tensor with at most this many elements shows its numbers, a bigger one their norm



# numpy's default print options, but 4 digits (as _num): np.array2string reads whatever np.set_printoptions set,
# and a notebook's suppress=True, a float formatter or sign="+" would change (or zero) the numbers in a label.
_PRINT_OPTIONS = dict(precision=4, suppress=False, floatmode="maxprec", sign="-", formatter=None, legacy=False,
                      linewidth=75, threshold=1000, edgeitems=3, nanstr="nan", infstr="inf")


def is_tensor(node: Any) -> bool:
    return isinstance(getattr(node, "data", None), np.ndarray)


def grad_of(node: Any) -> Any:
    """``node.grad`` as numbers (a float, an array) or None: after ``backward(create_graph=True)`` a gradient is
    itself a node (a Value, a Tensor), whose numbers are its ``data``."""
    g = node.grad
    return g.data if hasattr(g, "parents") else g


def _num(x: float) -> str:
    return f"{x:.4g}"


def _root_sum_square(a: np.ndarray, mean: bool = False) -> float:
    """sqrt(sum a^2), or sqrt(mean a^2), in float64 and scaled by the largest |a| first: squared in its own dtype
    (np.linalg.norm), 1e-25 in float32 or 1e-170 in float64 becomes 0, and 1e25 or 1e160 inf."""
    a = np.abs(np.asarray(a, dtype=np.float64)).ravel()
    if a.size == 0:
        return 0.0
    top = float(a.max())
    if top == 0 or not math.isfinite(top):
        return top                                      # all zero; or inf (nan) already, as the sum would be
    squares = np.square(a / top)
    return top * float(np.sqrt(np.mean(squares) if mean else np.sum(squares)))


def _array(what: str, a: np.ndarray) -> str:
    """``data``/``grad`` field of a Tensor: the numbers when there are few, else the norm."""
    if a.size > SMALL_TENSOR:
        return f"{what} norm {_num(_root_sum_square(a))}"
    if a.ndim == 0:
        return f"{what} {_num(float(a))}"
    with np.printoptions(**_PRINT_OPTIONS):      # not the user's: suppress=True would print a grad of 1e-9 as 0.
        lines = np.array2string(a, separator=", ").split("\n")
    if len(lines) == 1:
        return f"{what} {field(lines[0])}"
    return what + "\\n" + "\\l".join(field(line) for line in lines) + "\\l"


def _magnitude(node: Any) -> float | None:
    """|grad| of a Value, the root mean square of a Tensor's grad; None when no gradient is kept."""
    g = grad_of(node)
    if g is None:
        return None
    if isinstance(g, np.ndarray):
        return _root_sum_square(g, mean=True)
    return abs(float(g))


def _not_finite(magnitude: float | None) -> bool:
    return magnitude is not None and not math.isfinite(magnitude)


def _shade(magnitude: float | None, largest: float) -> int | None:
    """None when unknown, 0 for zero, else TOP_SHADE at ``largest`` and one less per decade below it."""
    if magnitude is None or magnitude == 0:
        return None if magnitude is None else 0
    if largest == 0 or magnitude >= largest:       # inf and NaN are drawn apart (_not_finite) before this
        return TOP_SHADE
    ratio = largest / magnitude
    if ratio == math.inf:       # 1e300 over 1e-300, or 1 over 5e-324: far more than DECADES, and floor(inf) raises
        return TOP_SHADE - DECADES
    return TOP_SHADE - min(math.floor(math.log10(ratio)), DECADES)


class Style:
    """Labels and attributes of boxes and arrows; knows the options so that ``draw`` stays a walk."""

    def __init__(self, order: list, roles: list, name_of: dict, data: bool, grad: bool, highlight: bool,
                 members: dict, outputs: dict, rankdir: str) -> None:
        self.order, self.roles, self.name_of = order, roles, name_of
        # A record's fields sit side by side across the ranks ("LR": in a row); braces turn them.
        self.row, self.column = (("{ ", " }"), ("", "")) if rankdir in ("LR", "RL") else (("", ""), ("{ ", " }"))
        self.data, self.grad, self.highlight = data, grad, highlight
        self.members, self.outputs = members, outputs
        # a module box lists its parameters in the order of ``names`` (the module's): ranked once here, not once a
        # box, which took 400 boxes times 80,000 names (a 200-200-200-1 MLP) twenty seconds
        self.rank = {node_id: r for r, node_id in enumerate(name_of)} if members else {}
        self.scope_name: dict[int, str] = {}              # drawn uncollapsed: a module's output by its module
        self.magnitude = [_magnitude(n) for n in order] if highlight else [None] * len(order)
        self.box_magnitude = {key: self._box_magnitude(key) for key in members} if highlight else {}
        known = [m for m in self.magnitude if m is not None and math.isfinite(m)]
        self.largest = max(known, default=0.0)

    def _box_magnitude(self, key: tuple) -> float | None:
        """Its outputs' largest gradient (NaN when one is NaN, as ``max`` alone would say or not by their order);
        when no output kept one (a Tensor layer), that of its parameters together."""
        known = [self.magnitude[o] for o in self.outputs[key] if self.magnitude[o] is not None]
        if known:
            return math.nan if any(map(math.isnan, known)) else max(known)
        grads = [np.asarray(grad_of(self.order[m])) for m in self.members[key]
                 if self.roles[m] == "parameter" and self.order[m].grad is not None]
        if not grads:
            return None
        return _root_sum_square(np.concatenate([g.ravel() for g in grads]), mean=True)

    def _fields(self, node: Any) -> list[str]:
        fields = []
        if is_tensor(node):
            shape = "scalar" if node.data.ndim == 0 else str(tuple(node.data.shape))
            fields.append(f"{shape} {node.data.dtype.name}")
            if self.data:
                fields.append(_array("data", node.data))
            if self.grad and node.grad is not None:
                fields.append(_array("grad", np.asarray(grad_of(node))))
            elif self.grad and getattr(node, "requires_grad", False) and not node.parents:
                fields.append("grad None")            # a parameter before backward(); results keep none
        else:
            if self.data:
                fields.append(f"data {_num(node.data)}")
            if self.grad:       # None: set by hand (as torch's zero_grad(set_to_none=True) does), kept by none
                grad = grad_of(node)
                fields.append("grad None" if grad is None else f"grad {_num(grad)}")
        return fields

    def _name(self, node: Any) -> str:
        """The name given in ``names``, else the node's label (a Value) or name (a Tensor: ``str()`` of a
        name that is not a str), else ""."""
        if self.name_of.get(id(node)):
            return self.name_of[id(node)]
        for attribute in ("label", "name"):
            own = getattr(node, attribute, None)
            if own is not None and not (isinstance(own, str) and own == ""):
                return shown(own, f"the {attribute} of a {type(node).__name__}")
        return ""

    def _colour(self, magnitude: float | None, fill: str, outline: str) -> dict:
        if not self.highlight:
            return {"style": "filled", "fillcolor": fill}
        if _not_finite(magnitude):
            attrs = {"style": "filled", "fillcolor": NOT_FINITE}
        else:
            k = _shade(magnitude, self.largest)
            attrs = {"style": "filled,dotted" if k is None else "filled", "fillcolor": f"/orrd9/{k}" if k else "white"}
        if outline != "black":
            attrs.update(color=outline, penwidth="2.5")
        return attrs

    def node(self, i: int) -> dict:
        node, role = self.order[i], self.roles[i]
        name = self._name(node) or self.scope_name.get(i, "")
        fields = ([field(name)] if name else []) + self._fields(node)
        label = self.row[0] + " | ".join(fields) + self.row[1] if fields else " "   # micrograd's data | grad
        return {"label": label, "shape": "record",
                **self._colour(self.magnitude[i], ROLE_FILL[role], ROLE_EDGE[role])}

    def box(self, key: tuple) -> dict:
        name, members, outputs = module_name(key.scope), self.members[key], self.outputs[key]
        inside = [m for m in members if self.roles[m] == "parameter"]
        inside.sort(key=lambda m: (self.rank.get(id(self.order[m]), len(self.rank)), m))
        params = [self._name(self.order[m]) for m in inside]
        named = [p[len(name) + 1:] if p.startswith(name + ".") else p for p in params if p]
        ops = ", ".join(dict.fromkeys(shown(self.order[o].op, "an op") or "leaf" for o in outputs))
        fields = [field(name), f"{field(ops)}, {len(members)} nodes"]
        if params:
            listed = len(named) == len(params) <= 4           # more names than that make the box too wide
            fields.append(field("params " + ", ".join(named)) if listed else f"{len(params)} params")
        if len(outputs) == 1:
            fields += self._fields(self.order[outputs[0]])
        else:
            fields.append(f"{len(outputs)} outputs")
        is_root = len(self.order) - 1 in members
        colour = self._colour(self.box_magnitude.get(key), OUTPUT if is_root else GROUP,
                              ROLE_EDGE["output"] if is_root else GROUP_EDGE)
        label = self.column[0] + " | ".join(fields) + self.column[1]                # a box: a narrow column
        return {"label": label, "shape": "record", **colour}

    def edge(self, magnitude: float | None) -> dict:
        if self.highlight and _not_finite(magnitude):
            return {"color": NOT_FINITE, "penwidth": f"{0.8 + 0.4 * TOP_SHADE:.1f}"}
        k = _shade(magnitude, self.largest) if self.highlight else None
        if k is None:
            return {}
        if k == 0:
            return {"color": "gray70", "style": "dashed"}
        return {"color": f"/orrd9/{k}", "penwidth": f"{0.8 + 0.4 * k:.1f}"}


KINDS = ("parameter", "input", "output", "value", "module", "op", "zero", "none", "not finite")


def legend(dot: Dot, highlight: bool, kinds: Iterable[str] = KINDS) -> None:
    """One HTML-table node, so that the legend is as compact in "LR" as in "TB". It lists the kinds of box that
    the picture shows (``kinds``: roles, "module", "op", and with ``highlight`` "zero", "none" and "not finite")
    and, with
    ``highlight``, the whole scale of gradient shades."""
    shown_kinds = set(kinds)
    rows: list[tuple[str, str, dict]] = [(text, fill, {}) for kind, text, fill in (
        ("parameter", "parameter", PARAMETER), ("input", "input", INPUT), ("output", "output (root)", OUTPUT),
        ("value", "intermediate", VALUE), ("module", "module (collapse)", GROUP), ("op", "op (small ellipse)", OP))
        if kind in shown_kinds]
    if highlight:   # the role is the outline; the fill is the gradient: shade TOP_SHADE - d for d decades down
        rows = [(role, "white", {"color": colour, "border": "2"}) for kind, role, colour in (
            ("parameter", "parameter", ROLE_EDGE["parameter"]), ("input", "input", ROLE_EDGE["input"]),
            ("output", "output (root)", ROLE_EDGE["output"]), ("module", "module (collapse)", GROUP_EDGE))
            if kind in shown_kinds]
        rows += [(f"|grad| 1e-{d + 1} to {'1' if d == 0 else f'1e-{d}'} of largest", f"/orrd9/{TOP_SHADE - d}", {})
                 for d in range(DECADES)]
        rows.append((f"|grad| 1e-{DECADES} of largest or less", f"/orrd9/{TOP_SHADE - DECADES}", {}))
        if "not finite" in shown_kinds:
            rows.append(("|grad| inf or nan", NOT_FINITE, {}))
        if "zero" in shown_kinds:
            rows.append(("zero gradient (dashed arrows)", "white", {"style": "dashed"}))
        if "none" in shown_kinds:
            rows.append(("no gradient kept", "white", {"style": "dotted"}))
    cells = "".join(
        f'<tr><td bgcolor="{fill}"{"".join(f" {k}={chr(34)}{v}{chr(34)}" for k, v in extra.items())}>{text}</td></tr>'
        for text, fill, extra in rows
    )
    title = '<tr><td border="0"><b>legend</b></td></tr>'
    table = f'<table border="0" cellspacing="3" cellborder="1">{title}{cells}</table>'
    dot.node("legend", label=Html(f"<{table}>"), shape="plaintext")

