"""Strategies for the scalar engine: leaf Values, and random programs of every Value op (``expressions()``).

Each op of a program is kept inside its domain and clear of its kinks by construction; both come from the op's
rule in ``autograd.rules`` (``Domain``: a lower bound, kinks, poles), and so does the range of every step, which
is what lets the next op be kept inside its own domain in turn.

>>> from hypothesis import given
>>> @given(expressions(ops=("sqrt", "abs")))
... def test_sqrt_and_abs_never_see_a_bad_point(expression):
...     f, inputs = expression
...     assert math.isfinite(f(*inputs).data)
>>> test_sqrt_and_abs_never_see_a_bad_point()
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from numbers import Integral

from hypothesis import strategies as st

from .. import rules
from ..value import Value, weighted_sum
from .intervals import Box, image, image_of, quotient, times, widen
from .numbers import floats

__all__ = ["VALUE_OPS", "BOUND", "MARGIN", "CLEAR", "MAX_RADIUS", "values", "Expression", "expressions"]

_ARITHMETIC = {rule.name: rule for rule in (rules.ADD, rules.SUB, rules.MUL)}   # + - *: a Value or a number each side
_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul}          # how a program writes them

#: Every op a Value records, by the name it leaves in ``Value.op``: the arithmetic, every function of the rules
#: table (``rules.FUNCTIONS``, in its order), ``logaddexp`` and ``weighted_sum``.
VALUE_OPS: tuple[str, ...] = (
    *_ARITHMETIC, rules.DIV.name, rules.POWER.name, *rules.FUNCTIONS, rules.LOGADDEXP.name, rules.WEIGHTED_SUM.name,
)

BOUND = 3.0     # every step of an expression stays within [-BOUND, BOUND]
MARGIN = 0.25   # a function's argument stays >= MARGIN above its domain's lower bound and away from its kinks
CLEAR = 0.5     # denominators and the bases of powers stay >= CLEAR away from 0
MAX_RADIUS = 0.01  # the widest radius for which the bounds above hold (a base up to 6.5, to a power up to 3.01)


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
    return _leaf_values(floats(min_value, max_value, away_from_zero=away_from_zero), label)


@st.composite
def _leaf_values(draw: Callable, numbers: st.SearchStrategy[float], label: str) -> Value:
    """A Value of a number drawn by ``numbers``: the one choice of ``st.builds(Value, numbers, label=st.just(label))``,
    without the spans that builds wraps around its arguments (hypothesis' cost per draw is mostly per span)."""
    return Value(draw(numbers), label=label)


# --- expressions ----------------------------------------------------------------------------------------------
# Each node has a Box (intervals.py): an interval sure to hold its value for every input near the drawn inputs.


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
        if len(xs) != len(self.inputs):  # the steps name operands by position: one input more would be read as v1
            raise TypeError(
                f"Expression: this program was drawn with {len(self.inputs)} input(s), got {len(xs)}; "
                "call it as f(*inputs) with as many Values as it was drawn with"
            )
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


_POWERS = (2.0, 3.0, -1.0, -2.0, 0.5, 1.5, -0.5)   # Value ** number
_BASES = (0.5, 2.0, 3.0)                            # number ** Value
_cents = st.integers(-200, 200).map(lambda k: k / 100)  # readable constants in [-2, 2]; shrink towards 0

# Strategies the steps draw from, built once: hypothesis checks every new strategy object at its first draw, and
# sampled_from() and .filter() build a new one at every call (integers(), booleans() and floats() it keeps and hands
# out again). Equal strategies draw the same way: a derandomized run draws the very same programs as before.
_OPERANDS = st.sampled_from(("value", "number on the right", "number on the left"))
_BASES_DRAWN, _POWERS_DRAWN = st.sampled_from(_BASES), st.sampled_from(_POWERS)
_DIVISORS = _cents.filter(lambda k: all(abs(k - pole) >= CLEAR for pole in rules.DIV.domain.poles))
_sampled = functools.lru_cache(maxsize=256)(st.sampled_from)  # (the ops of an expressions() strategy: a tuple)
_F = rules.FLOATS


def _num(k: float) -> str:
    """A constant as the program text shows it: a negative one in parentheses."""
    return f"({k!r})" if k < 0 else repr(k)


def _past(draw: Callable, box: Box, points: Sequence[float], margin: float, either_side: bool) -> float:
    """The constant c, in whole cents, that puts ``box + c`` at least ``margin`` beyond all of ``points``: above
    them, or (if ``either_side``) above or below them, on a side hypothesis picks; 0.0 when ``box`` already is."""
    top, bottom = max(points), min(points)
    if box[0] >= top + margin or (either_side and box[1] <= bottom - margin):
        return 0.0
    # The cent is worked out in exact terms; the program adds it in floats, where x + c can round an ulp short
    # (0.010000000000000026 - 0.26 is -0.24999999999999997): a cent more where the sum at the box's end falls
    # short. Rounding is monotone, so the ends stand for every input within the radius.
    if not either_side or draw(st.booleans()):
        c = math.ceil((top + margin - box[0]) * 100) / 100
        return c if (box[0] + c) - top >= margin else (round(c * 100) + 1) / 100
    c = math.floor((bottom - margin - box[1]) * 100) / 100
    return c if bottom - (box[1] + c) >= margin else (round(c * 100) - 1) / 100


def _moved(c: float, slot: str = "{0}", paren: bool = False) -> tuple:
    """The operand in ``slot`` plus the constant c: as program text, and as a function of a Value."""
    if c == 0:
        return slot, (lambda a: a)
    text = f"{slot} + {c!r}" if c > 0 else f"{slot} - {-c!r}"
    return (f"({text})" if paren else text), ((lambda a: a + c) if c > 0 else (lambda a: a - (-c)))


def _function_step(draw: Callable, rule: rules.Rule, prev: int, box: Box) -> tuple:
    """A function of the rules table on node ``prev``, its argument moved inside the rule's ``Domain``.

    A domain with a lower bound puts the argument at least MARGIN above it (and above any kink or pole): the
    positive side, even when the bound is closed, since a derivative is infinite or one-sided there (sqrt at 0).
    A domain with kinks or poles only keeps the argument MARGIN beyond all of them, on a side hypothesis picks.
    The range of the result is the rule's float value at the ends and at its turning points (``rule.critical``).
    """
    domain = rule.domain
    if domain.lower is not None:
        c = _past(draw, box, (domain.lower, *domain.kinks, *domain.poles), MARGIN, either_side=False)
    elif domain.kinks or domain.poles:
        c = _past(draw, box, (*domain.kinks, *domain.poles), MARGIN, either_side=True)
    else:
        c = 0.0
    if rule is rules.NEG:  # the one function a Value writes as an operator: -x
        text, move = _moved(c, paren=True)
        fn, text = operator.neg, "-" + text
    else:
        text, move = _moved(c)
        fn, text = getattr(Value, rule.name), f"{rule.name}({text})"
    return text, (lambda a: fn(move(a))), (prev,), image(rule, (box[0] + c, box[1] + c))


@st.composite
def _step(draw: Callable, op: str, prev: int, boxes: list) -> tuple:
    """One op on the latest node ``prev`` (and, for a binary op, any node): (text, run, args, box of the result)."""
    box = boxes[prev]
    if op in rules.FUNCTIONS:
        return _function_step(draw, rules.FUNCTIONS[op], prev, box)

    if op == "weighted_sum":  # k0 + {0} {1} + k1 {0}: nodes and constants as weights and inputs, {0} used twice
        other = draw(st.integers(0, len(boxes) - 1))
        k0, k1 = draw(_cents), draw(_cents)
        a, b = box, boxes[other]
        product, scaled = times(a, b), times((k1, k1), a)
        text = f"weighted_sum([{{0}}, {k1!r}], [{{1}}, {{0}}], {k0!r})"
        result = widen(k0 + product[0] + scaled[0], k0 + product[1] + scaled[1])
        return text, (lambda x, y: weighted_sum([x, k1], [y, x], k0)), (prev, other), result

    if op == "logaddexp":  # logaddexp({0}, {1}) of the latest node and any node: rising in both, so its ends bound it
        other = draw(st.integers(0, len(boxes) - 1))
        args = (prev, other) if draw(st.booleans()) else (other, prev)
        (a0, a1), (b0, b1) = boxes[args[0]], boxes[args[1]]
        lae = rules.LOGADDEXP.value
        return "logaddexp({0}, {1})", Value.logaddexp, args, widen(lae(_F, a0, b0), lae(_F, a1, b1))

    poles = rules.DIV.domain.poles  # where a denominator must not go
    operand = draw(_OPERANDS)
    if operand == "value":  # the latest node and any node (itself included), in either order
        other = draw(st.integers(0, len(boxes) - 1))
        args = (prev, other) if draw(st.booleans()) else (other, prev)
        a, b = boxes[args[0]], boxes[args[1]]
        if op in _ARITHMETIC:
            rule = _ARITHMETIC[op]
            ends = [rule.value(_F, x, y) for x in a for y in b]
            return "{0} " + op + " {1}", _OPERATORS[op], args, widen(min(ends), max(ends))
        if op == "/":  # a / (b + c), b + c at least CLEAR from every pole of /
            c = _past(draw, b, poles, CLEAR, either_side=True)
            text, move = _moved(c, "{1}", paren=True)
            return "{0} / " + text, (lambda x, y: x / move(y)), args, quotient(a, (b[0] + c, b[1] + c))
        # (a + c) ** b = exp(b ln(a + c)), a + c at least CLEAR above the lower bound of a^b's domain
        c = _past(draw, a, (rules.POWER2.domain.lower,), CLEAR, either_side=False)
        text, move = _moved(c, "{0}", paren=True)
        power = image(rules.EXP, times(image(rules.LOG, (a[0] + c, a[1] + c)), b))
        return text + " ** {1}", (lambda x, y: move(x) ** y), args, power

    if op == "**" and operand == "number on the left":  # k ** x
        k, rule = draw(_BASES_DRAWN), rules.EXPONENTIAL
        power = image_of(lambda x: rule.value(_F, k, x), box, rule.critical(*box))
        return f"{k!r} ** {{0}}", (lambda x: k ** x), (prev,), power
    if op == "**":  # x ** p: a fractional p needs x > 0, a negative p needs x != 0 (the text of POWER's domain)
        p = draw(_POWERS_DRAWN)
        c = 0.0 if p in (2.0, 3.0) else _past(draw, box, (0.0,), CLEAR, either_side=p.is_integer())
        text, move = _moved(c, paren=True)
        power = image(rules.POWER, (box[0] + c, box[1] + c), p)
        return f"{text} ** {_num(p)}", (lambda x: move(x) ** p), (prev,), power
    if op == "/" and operand == "number on the right":  # x / k, k at least CLEAR from every pole of /
        k = draw(_DIVISORS)   # (at least CLEAR from every pole of /)
        return f"{{0}} / {_num(k)}", (lambda x: x / k), (prev,), times(box, (1 / k, 1 / k))
    if op == "/":  # k / (x + c), x + c at least CLEAR from every pole of /
        k = draw(_cents)
        c = _past(draw, box, poles, CLEAR, either_side=True)
        text, move = _moved(c, paren=True)
        return f"{k!r} / {text}", (lambda x: k / move(x)), (prev,), quotient((k, k), (box[0] + c, box[1] + c))
    k, rule, fn = draw(_cents), _ARITHMETIC[op], _OPERATORS[op]
    if operand == "number on the right":
        return f"{{0}} {op} {_num(k)}", (lambda x: fn(x, k)), (prev,), image_of(lambda x: rule.value(_F, x, k), box)
    return f"{k!r} {op} {{0}}", (lambda x: fn(k, x)), (prev,), image_of(lambda x: rule.value(_F, k, x), box)


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
    ``Value.op``, or one such name; default: all of ``VALUE_OPS``; a set is read in ``VALUE_OPS``' order, so
    that a failure replays as the same program in every run), applied to the latest result and, for a
    binary op, to any earlier node: so inputs and sub-expressions are reused, and the graph is a DAG, not a
    tree. ``+ - * /`` take a Value or a plain number on either side; ``**`` is ``Value ** Value``,
    ``Value ** p`` or ``k ** Value``; ``logaddexp`` takes two nodes. ``f(*inputs)`` runs the program again, which
    is what ``gradcheck`` needs (on exactly as many Values as ``inputs``: another number of them is refused).

    Every guarantee below holds for all inputs within ``radius`` (at most ``MAX_RADIUS`` = 0.01) of the drawn
    ones (checked by interval arithmetic while drawing), so it survives gradcheck's perturbations (eps = 1e-6 <=
    radius):

    - each function sees an argument inside the ``Domain`` of its rule in ``autograd.rules``: at least 0.25
      above a lower bound (log and sqrt see an argument >= 0.25, where 1/x and 1/sqrt(x) stay small), and at
      least 0.25 beyond every kink, on a side hypothesis picks (relu and abs: at least 0.25 away from 0).
    - a denominator, and the base of ``x ** p`` with p negative, is at least 0.5 away from 0 (the pole of
      ``/``); the base of ``x ** p`` with p fractional, and of ``Value ** Value``, is >= 0.5.
    - every step's result stays within [-3, 3]: exp sees an argument <= 3, powers have bounded bases and
      exponents, each op's range is bounded from its rule (the value at the ends of an interval and at the
      rule's turning points, ``rule.critical``), and a step that could leave the interval is divided by a power
      of two (exact in floating point), shown as ``(...) / 8`` in the program. No node of the graph exceeds
      about 300.
    - the constants are whole cents, so the printed program is exactly the one that runs.

    Keeping an argument clear of a bad point means adding a constant to it (``log(v1 + 0.67)``); the
    op is then recorded on ``v1 + 0.67``, and those extra ``+``/``-`` nodes, like the ``/`` of a rescaling,
    appear in the graph besides the ops drawn from ``ops``.
    """
    if isinstance(ops, str):  # one op by name: ops="log" means ("log",), not its letters
        ops = (ops,)
    elif isinstance(ops, (AbstractSet, Mapping)):
        # A set iterates in an order that changes from run to run (PYTHONHASHSEED): hypothesis would replay a
        # saved failure as another program. VALUE_OPS' order is the same in every run.
        ops = [op for op in VALUE_OPS if op in ops] + [op for op in ops if op not in VALUE_OPS]
    ops = tuple(ops)  # a generator is read once, here
    unknown = [op for op in ops if op not in VALUE_OPS]
    if unknown or not ops:
        raise ValueError(f"expressions: unknown ops {unknown!r}; choose a non-empty subset of {VALUE_OPS}")
    whole = all(isinstance(n, Integral) and not isinstance(n, bool) for n in (min_inputs, max_inputs, max_ops))
    if not (whole and 1 <= min_inputs <= max_inputs and max_ops >= 1 and 0 < radius <= MAX_RADIUS):
        # (a wider radius breaks the bounds below: (x0 + 3.05) ** x0 reached 642 at radius 3, and 1e300 overflows)
        raise ValueError(
            "expressions: need whole numbers 1 <= min_inputs <= max_inputs and max_ops >= 1, and a radius in "
            f"(0, {MAX_RADIUS}], got min_inputs={min_inputs}, max_inputs={max_inputs}, max_ops={max_ops}, "
            f"radius={radius}"
        )
    if not -BOUND <= min_value <= max_value <= BOUND:
        raise ValueError(f"expressions: inputs must lie in [-{BOUND}, {BOUND}], got [{min_value}, {max_value}]")
    return _expressions(ops, min_inputs, max_inputs, max_ops, min_value, max_value, radius)


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
        text, run, args, box = draw(_step(draw(_sampled(ops)), prev, boxes))
        size = max(-box[0], box[1])
        if size > BOUND:  # back into [-BOUND, BOUND]
            s = 2 ** math.ceil(math.log2(size / BOUND))
            text, box = f"({text}) / {s}", (box[0] / s, box[1] / s)
            run = _divided(run, s)
        steps.append(_Step(text, run, args))
        boxes.append(box)
    return Expression([Value(x, label=f"x{i}") for i, x in enumerate(xs)], steps, radius)
