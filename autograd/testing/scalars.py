"""Hypothesis strategies for property-based gradient tests: of deltagrad itself, and of your own code.

>>> from hypothesis import given
>>> from autograd import gradcheck
>>> from autograd.testing import expressions
>>> @given(expressions())
... def test_backward_agrees_with_central_differences(expression):
...     f, inputs = expression
...     assert gradcheck(f, inputs)
>>> test_backward_agrees_with_central_differences()

``floats()`` draws well-conditioned numbers, ``values()`` leaf Values, and ``expressions()`` random programs of
every Value op, each op kept inside its domain and clear of its kinks by construction.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

try:
    from hypothesis import strategies as st
except ImportError as error:  # hypothesis is a test dependency, not a dependency of the engine
    raise ImportError(
        "autograd.testing needs hypothesis: pip install hypothesis (or pip install -e '.[dev]')"
    ) from error

from .tensor_testing import (  # noqa: F401  (the Tensor strategies, re-exported for users)
    broadcastable_shapes,
    broadcastable_tensors,
    matmul_shapes,
    matmul_tensors,
    shapes,
    tensors,
)
from .value import Value, weighted_sum

#: Every op a Value records, by the name it leaves in ``Value.op``.
VALUE_OPS = (
    "+", "-", "*", "/", "**", "neg", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "softplus", "abs", "sin", "cos",
    "weighted_sum",
)

BOUND = 3.0     # every step of an expression stays within [-BOUND, BOUND]
MARGIN = 0.25   # arguments of log and sqrt stay >= MARGIN; those of relu and abs stay >= MARGIN away from 0
CLEAR = 0.5     # denominators and the bases of powers stay >= CLEAR away from 0


def floats(
    min_value: float = -2.0, max_value: float = 2.0, *, away_from_zero: float = 0.0, width: int = 64
) -> st.SearchStrategy[float]:
    """Finite floats in ``[min_value, max_value]``: no NaN, no inf, no subnormal; ``|x| >= away_from_zero``.

    ``width=32`` draws numbers that float32 represents exactly (for float32 Tensors).

    >>> from hypothesis import given
    >>> @given(floats(-1.0, 1.0, away_from_zero=0.1))
    ... def test_reciprocal_is_bounded(x):
    ...     assert abs(1 / x) <= 10
    >>> test_reciprocal_is_bounded()
    """
    if not (math.isfinite(min_value) and math.isfinite(max_value) and min_value <= max_value):
        raise ValueError(f"floats: need finite min_value <= max_value, got [{min_value!r}, {max_value!r}]")
    if away_from_zero < 0:
        raise ValueError(f"floats: away_from_zero must be >= 0, got {away_from_zero!r}")

    def between(lo: float, hi: float) -> st.SearchStrategy[float]:
        return st.floats(lo, hi, width=width, allow_nan=False, allow_infinity=False, allow_subnormal=False)

    if away_from_zero == 0:
        return between(min_value, max_value)
    sides = []
    if max_value >= away_from_zero:
        sides.append(between(max(min_value, away_from_zero), max_value))
    if min_value <= -away_from_zero:
        sides.append(between(min_value, min(max_value, -away_from_zero)))
    if not sides:
        raise ValueError(
            f"floats: no number in [{min_value!r}, {max_value!r}] is at least {away_from_zero!r} away from 0; "
            "widen the interval or lower away_from_zero"
        )
    return st.one_of(sides)


def values(
    min_value: float = -2.0, max_value: float = 2.0, *, away_from_zero: float = 0.0, label: str = ""
) -> st.SearchStrategy[Value]:
    """Leaf Values (no parents, ``grad`` 0.0) whose data is drawn by ``floats()`` with the same arguments.

    >>> from hypothesis import given
    >>> @given(values(label="w"))
    ... def test_square_has_gradient_2w(w):
    ...     (w * w).backward()
    ...     assert w.grad == 2 * w.data
    >>> test_square_has_gradient_2w()
    """
    return st.builds(Value, floats(min_value, max_value, away_from_zero=away_from_zero), label=st.just(label))


# --- expressions ----------------------------------------------------------------------------------------------

Box = tuple  # (lo, hi): an interval sure to hold a node's value for every input near the drawn inputs


@dataclass(frozen=True)
class _Step:
    text: str                     # the op with "{0}", "{1}" standing for its operands' names
    run: Callable[..., Value]     # the op itself, on Values
    args: tuple                   # the operands, as indexes into inputs + earlier steps


class Expression:
    """A random straight-line program of Value ops over some input Values; calling it rebuilds the graph.

    ``expression(*inputs)`` (or ``f(*inputs)`` after ``f, inputs = expression``) runs the program on the given
    Values, so ``gradcheck`` can run it again with perturbed inputs. ``repr`` shows the program, one step per op.
    """

    def __init__(self, inputs: list, steps: list, radius: float) -> None:
        self.inputs = inputs
        self.steps = steps
        self.radius = radius

    def __call__(self, *xs: Value) -> Value:
        nodes = list(xs)
        for step in self.steps:
            nodes.append(step.run(*[nodes[i] for i in step.args]))
        return nodes[-1]

    def __iter__(self) -> Iterator:
        return iter((self, self.inputs))

    def lines(self) -> list:
        """The program as text: ``v1 = x0 * x1``, ``v2 = log(v1 + 1.25)``..."""
        names = [f"x{i}" for i in range(len(self.inputs))] + [f"v{j + 1}" for j in range(len(self.steps))]
        n = len(self.inputs)
        return [f"{names[n + j]} = {s.text.format(*[names[i] for i in s.args])}" for j, s in enumerate(self.steps)]

    def __repr__(self) -> str:
        given = ", ".join(f"x{i}={x.data!r}" for i, x in enumerate(self.inputs))
        return f"Expression({given}: " + "; ".join(self.lines()) + ")"


def _widen(lo: float, hi: float) -> Box:
    # The bounds are themselves computed in floating point: pad them so rounding can never make them lie.
    pad = 1e-9 * (1.0 + max(abs(lo), abs(hi)))
    return lo - pad, hi + pad


def _image(g: Callable[[float], float], box: Box, turns: Sequence[float] = ()) -> Box:
    """The range of ``g`` over ``box``, for a ``g`` that is monotone between its turning points ``turns``."""
    lo, hi = box
    ys = [g(lo), g(hi)] + [g(t) for t in turns if lo < t < hi]
    return _widen(min(ys), max(ys))


def _turns(box: Box, first: float) -> list:
    """The points first + k pi inside ``box``: where sin (first = pi/2) or cos (first = 0) turns."""
    k = math.ceil((box[0] - first) / math.pi)
    found = []
    while first + k * math.pi <= box[1]:
        found.append(first + k * math.pi)
        k += 1
    return found


def _times(a: Box, b: Box) -> Box:
    ends = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
    return _widen(min(ends), max(ends))


def _sigmoid(x: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * x))  # never overflows


def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


_PLAIN = {  # ops with no domain to respect and no kink: (the op on a Value, its range on an interval)
    "neg": (operator.neg, lambda b: (-b[1], -b[0])),
    "exp": (Value.exp, lambda b: _image(math.exp, b)),
    "tanh": (Value.tanh, lambda b: _image(math.tanh, b)),
    "sigmoid": (Value.sigmoid, lambda b: _image(_sigmoid, b)),
    "softplus": (Value.softplus, lambda b: _image(_softplus, b)),
    "sin": (Value.sin, lambda b: _image(math.sin, b, _turns(b, math.pi / 2))),
    "cos": (Value.cos, lambda b: _image(math.cos, b, _turns(b, 0.0))),
}
_GUARDED = {  # ops applied to a shifted argument: (the op, its range on an interval clear of the bad points)
    "log": (Value.log, lambda b: _image(math.log, b)),
    "sqrt": (Value.sqrt, lambda b: _image(math.sqrt, b)),
    "relu": (Value.relu, lambda b: _image(lambda x: max(x, 0.0), b)),
    "abs": (Value.abs, lambda b: _image(abs, b)),
}
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_POWERS = (2.0, 3.0, -1.0, -2.0, 0.5, 1.5, -0.5)   # Value ** number
_BASES = (0.5, 2.0, 3.0)                            # number ** Value
_cents = st.integers(-200, 200).map(lambda k: k / 100)  # readable constants in [-2, 2]; shrink towards 0


_KINKED = ("relu", "abs")


def _num(k: float) -> str:
    """A constant as the program text shows it: a negative one in parentheses."""
    return f"({k!r})" if k < 0 else repr(k)


def _away(draw: Callable, box: Box, margin: float, either_side: bool) -> float:
    """The constant c, in whole cents, that keeps ``box + c`` at least ``margin`` from 0; 0.0 when none is needed.

    On the positive side unless ``either_side``, in which case hypothesis picks the side.
    """
    if box[0] >= margin or (either_side and box[1] <= -margin):
        return 0.0
    if not either_side or draw(st.booleans()):
        return math.ceil((margin - box[0]) * 100) / 100
    return math.floor((-margin - box[1]) * 100) / 100


def _moved(c: float, slot: str = "{0}", paren: bool = False) -> tuple:
    """The operand in ``slot`` plus the constant c: as program text, and as a function of a Value."""
    if c == 0:
        return slot, (lambda a: a)
    text = f"{slot} + {c!r}" if c > 0 else f"{slot} - {-c!r}"
    return (f"({text})" if paren else text), ((lambda a: a + c) if c > 0 else (lambda a: a - (-c)))


def _quotient(a: Box, den: Box) -> Box:
    return _times(a, (1 / den[1], 1 / den[0]))  # den is clear of 0


@st.composite
def _step(draw: Callable, op: str, prev: int, boxes: list) -> tuple:
    """One op on the latest node ``prev`` (and, for a binary op, any node): (text, run, args, box of the result)."""
    box = boxes[prev]
    if op in _PLAIN:
        fn, image = _PLAIN[op]
        return ("-{0}" if op == "neg" else op + "({0})"), fn, (prev,), image(box)
    if op in _GUARDED:  # log and sqrt of a positive argument; relu and abs on either side of their kink at 0
        fn, image = _GUARDED[op]
        c = _away(draw, box, MARGIN, either_side=op in _KINKED)
        text, move = _moved(c)
        return f"{op}({text})", (lambda a: fn(move(a))), (prev,), image((box[0] + c, box[1] + c))

    if op == "weighted_sum":  # k0 + {0} {1} + k1 {0}: nodes and constants as weights and inputs, {0} used twice
        other = draw(st.integers(0, len(boxes) - 1))
        k0, k1 = draw(_cents), draw(_cents)
        a, b = box, boxes[other]
        product, scaled = _times(a, b), _times((k1, k1), a)
        text = f"weighted_sum([{{0}}, {k1!r}], [{{1}}, {{0}}], {k0!r})"
        result = _widen(k0 + product[0] + scaled[0], k0 + product[1] + scaled[1])
        return text, (lambda x, y: weighted_sum([x, k1], [y, x], k0)), (prev, other), result

    operand = draw(st.sampled_from(("value", "number on the right", "number on the left")))
    if operand == "value":  # the latest node and any node (itself included), in either order
        other = draw(st.integers(0, len(boxes) - 1))
        args = (prev, other) if draw(st.booleans()) else (other, prev)
        a, b = boxes[args[0]], boxes[args[1]]
        if op in _ARITHMETIC:
            fn = _ARITHMETIC[op]
            ends = [fn(x, y) for x in a for y in b]
            return "{0} " + op + " {1}", fn, args, _widen(min(ends), max(ends))
        if op == "/":  # a / (b + c), |b + c| >= CLEAR
            c = _away(draw, b, CLEAR, either_side=True)
            text, move = _moved(c, "{1}", paren=True)
            return "{0} / " + text, (lambda x, y: x / move(y)), args, _quotient(a, (b[0] + c, b[1] + c))
        c = _away(draw, a, CLEAR, either_side=False)  # (a + c) ** b = exp(b ln(a + c)), a + c >= CLEAR
        text, move = _moved(c, "{0}", paren=True)
        power = _image(math.exp, _times(_image(math.log, (a[0] + c, a[1] + c)), b))
        return text + " ** {1}", (lambda x, y: move(x) ** y), args, power

    if op == "**" and operand == "number on the left":  # k ** x
        k = draw(st.sampled_from(_BASES))
        return f"{k!r} ** {{0}}", (lambda x: k ** x), (prev,), _image(lambda x: k ** x, box)
    if op == "**":  # x ** p: a fractional p needs x > 0, a negative p needs x != 0
        p = draw(st.sampled_from(_POWERS))
        c = 0.0 if p in (2.0, 3.0) else _away(draw, box, CLEAR, either_side=p.is_integer())
        text, move = _moved(c, paren=True)
        shifted = (box[0] + c, box[1] + c)
        power = _image(lambda x: x**p, shifted, [0.0] if p == 2.0 else [])
        return f"{text} ** {_num(p)}", (lambda x: move(x) ** p), (prev,), power
    if op == "/" and operand == "number on the right":  # x / k, |k| >= CLEAR
        k = draw(_cents.filter(lambda k: abs(k) >= CLEAR))
        return f"{{0}} / {_num(k)}", (lambda x: x / k), (prev,), _times(box, (1 / k, 1 / k))
    if op == "/":  # k / (x + c), |x + c| >= CLEAR
        k = draw(_cents)
        c = _away(draw, box, CLEAR, either_side=True)
        text, move = _moved(c, paren=True)
        return f"{k!r} / {text}", (lambda x: k / move(x)), (prev,), _quotient((k, k), (box[0] + c, box[1] + c))
    k = draw(_cents)
    fn = _ARITHMETIC[op]
    if operand == "number on the right":
        return f"{{0}} {op} {_num(k)}", (lambda x: fn(x, k)), (prev,), _image(lambda x: fn(x, k), box)
    return f"{k!r} {op} {{0}}", (lambda x: fn(k, x)), (prev,), _image(lambda x: fn(k, x), box)


def expressions(
    ops: Sequence[str] = VALUE_OPS,
    *,
    min_inputs: int = 1,
    max_inputs: int = 3,
    max_ops: int = 6,
    min_value: float = -2.0,
    max_value: float = 2.0,
    radius: float = 1e-3,
) -> st.SearchStrategy[Expression]:
    """Random differentiable programs of Value ops, drawn with their inputs: ``f, inputs = expression``.

    >>> from hypothesis import given
    >>> from autograd import gradcheck
    >>> @given(expressions(ops=("log", "*", "relu")))
    ... def test_gradients(expression):
    ...     f, inputs = expression
    ...     assert gradcheck(f, inputs)
    >>> test_gradients()

    The inputs are ``min_inputs`` to ``max_inputs`` leaf Values labelled x0, x1, ... drawn by
    ``floats(min_value, max_value)``. Then 1 to ``max_ops`` steps, each an op drawn from ``ops`` (names as in
    ``Value.op``, or one such name; default: all of ``VALUE_OPS``), applied to the latest result and, for a
    binary op, to any earlier node: so inputs and sub-expressions are reused, and the graph is a DAG, not a
    tree. ``+ - * /`` take a Value or a plain number on either side; ``**`` is ``Value ** Value``,
    ``Value ** p`` or ``k ** Value``. ``f(*inputs)`` runs the program again, which is what ``gradcheck`` needs.

    Every guarantee below holds for all inputs within ``radius`` of the drawn ones (checked by interval
    arithmetic while drawing), so it survives gradcheck's perturbations (eps = 1e-6 <= radius):

    - log and sqrt see an argument >= 0.25: inside the domain, where 1/x and 1/sqrt(x) stay small.
    - relu and abs see an argument at least 0.25 away from their kink at 0, on a side hypothesis picks.
    - a denominator, and the base of ``x ** p`` with p negative, is at least 0.5 away from 0; the base of
      ``x ** p`` with p fractional, and of ``Value ** Value``, is >= 0.5.
    - every step's result stays within [-3, 3]: exp sees an argument <= 3, powers have bounded bases and
      exponents, and a step that could leave the interval is divided by a power of two (exact in floating
      point), shown as ``(...) / 8`` in the program. No node of the graph exceeds about 300.
    - the constants are whole cents, so the printed program is exactly the one that runs.

    Keeping an argument clear of a bad point means adding a constant to it (``log(v1 + 0.67)``); the
    op is then recorded on ``v1 + 0.67``, and those extra ``+``/``-`` nodes, like the ``/`` of a rescaling,
    appear in the graph besides the ops drawn from ``ops``.
    """
    if isinstance(ops, str):  # one op by name: ops="log" means ("log",), not its letters
        ops = (ops,)
    unknown = [op for op in ops if op not in VALUE_OPS]
    if unknown or not ops:
        raise ValueError(f"expressions: unknown ops {unknown!r}; choose a non-empty subset of {VALUE_OPS}")
    if not 1 <= min_inputs <= max_inputs or max_ops < 1 or radius <= 0:
        raise ValueError(
            "expressions: need 1 <= min_inputs <= max_inputs, max_ops >= 1 and radius > 0, got "
            f"min_inputs={min_inputs}, max_inputs={max_inputs}, max_ops={max_ops}, radius={radius}"
        )
    if not -BOUND <= min_value <= max_value <= BOUND:
        raise ValueError(f"expressions: inputs must lie in [-{BOUND}, {BOUND}], got [{min_value}, {max_value}]")
    return _expressions(tuple(ops), min_inputs, max_inputs, max_ops, min_value, max_value, radius)


def _divided(run: Callable, s: int) -> Callable:
    return lambda *a: run(*a) / s


@st.composite
def _expressions(draw: Callable, ops: tuple, min_inputs: int, max_inputs: int, max_ops: int,
                 min_value: float, max_value: float, radius: float) -> Expression:
    n = draw(st.integers(min_inputs, max_inputs))
    xs = [draw(floats(min_value, max_value)) for _ in range(n)]
    boxes = [(x - radius, x + radius) for x in xs]
    steps = []
    for _ in range(draw(st.integers(1, max_ops))):
        prev = len(boxes) - 1 if steps else 0
        text, run, args, box = draw(_step(draw(st.sampled_from(ops)), prev, boxes))
        size = max(-box[0], box[1])
        if size > BOUND:  # back into [-BOUND, BOUND]
            s = 2 ** math.ceil(math.log2(size / BOUND))
            text, box = f"({text}) / {s}", (box[0] / s, box[1] / s)
            run = _divided(run, s)
        steps.append(_Step(text, run, args))
        boxes.append(box)
    return Expression([Value(x, label=f"x{i}") for i, x in enumerate(xs)], steps, radius)
