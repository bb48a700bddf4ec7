"""Compile a Value graph to straight-line Python: the backward pass as code a student can read, at float speed.

``compile(f, example)`` runs ``f`` once on Values made from ``example``, walks the graph it recorded, and writes a
Python function with one line per node (or a small if/else where a rule in two halves would test the same sign
twice, as the stable sigmoid): the forward pass, then the backward pass in reverse topological order, each line
with the rule it applies as a comment. Called with new plain numbers for the same inputs, the function
returns the value and the gradient towards every input as plain floats: no node is built, no graph walked.

>>> from autograd import compile
>>> def f(x):                                  # x: a list of Values
...     return (x[0] * x[1]).tanh() + x[0]
>>> fast = compile(f, [0.5, -1.0])
>>> value, grad = fast([0.3, 2.0])             # new numbers, same graph
>>> print(fast.source.splitlines()[5])
    v0 = x0 * x1                                   # y = a b

The generated code is a worked example of reverse mode: each gradient line is the chain rule
dL/d(parent) += d(node)/d(parent) * dL/d(node), with the local derivative written out from the rule's float form
in ``autograd.rules`` (the table's code, inlined or called; no derivative is written here). It does the same float
operations in the same order as ``Value.backward``, so values and gradients are bitwise equal to the eager engine.

What a trace can see (as ``jax.jit``): the ops, not the Python around them. Ops whose result or derivative
depends on the data (``relu``, ``abs``, ``x ** p`` at 0, ...) are evaluated at run time in the generated code, so
a kink crossed between the trace and the call is handled. But Python control flow that reads the data (``if
x.data > 0: ... else: ...``) is frozen at the branch the example took, and so is a number computed from ``.data``.
``compile(f, example, check=True)`` re-traces ``f`` on every call and raises ``GraphChanged`` when the graph's
structure (its ops, their operands, their constants) differs from the compiled one.

Where the eager op refuses an input (``exp`` beyond 709.78, ``0.0 ** -1``, ``Value ** Value`` with a base <= 0,
``sin`` of NaN, ``x ** 2`` or ``x ** 3`` overflowing, a division by zero), the code raises the same error with the
same message: the forward line of an op that can refuse calls its check (``exp_checked``, ``square_checked``,
``power_checked``, ``divide_checked``, ...). Ops with no domain limit (``+``, ``*``, ``relu``, ``tanh``, ...),
``x ** 0``, ``x ** 1`` and ``x / c`` by a constant are written with no check, at plain-float speed.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import keyword
import math
import numbers
import re
import struct
import sys
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np  # (an order of samples given as an array)

from . import rules
from .checks import EXP_MAX, flag, outside_domain, overflow, real, reals, unmasked, zero_divisor
from .graph import recording
from .value import _MANY, Value, value_topological_order, weighted_sum_operands, weighted_sum_terms

__all__ = ["compile", "Compiled", "CompileError", "GraphChanged"]

_F = rules.FLOATS


class CompileError(TypeError):
    """A node of the traced graph that ``compile`` cannot turn into code (the op is named in the message)."""


class GraphTooLarge(ValueError):
    """A traced graph beyond ``compile``'s ``max_nodes``: ``nodes`` is its size, ``limit`` the limit."""

    def __init__(self, message: str, nodes: int, limit: int) -> None:
        super().__init__(message)
        self.nodes, self.limit = nodes, limit


class GraphChanged(RuntimeError):
    """``compile(..., check=True)``: the graph traced at the call's inputs differs from the compiled one."""


# --- expressions: the rules' float forms, evaluated on symbols, give the code of each line -----------------------
# A rule's value(m, ...) and partials(m, ..., y) are run with the backend SYMBOLS and arguments that are _Expr
# symbols (variables of the generated code) or plain floats (constants, folded now with the same float operations
# the engine would do). The result is an expression tree with the rule's exact operations in the rule's order,
# which _render writes with the fewest parentheses that keep that order.

_COND, _CMP, _ADD, _MUL, _UNARY, _POW, _ATOM = 1, 6, 10, 11, 12, 13, 14
_SHARING = [False]   # set when an expression built since the last _code may be used twice (a hint, for speed)
_BINARY = {"+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL, "**": _POW, "<": _CMP, "<=": _CMP, ">": _CMP, ">=": _CMP,
           "==": _CMP, "!=": _CMP}


class _Expr:
    """A node of an expression of the generated code: a variable, an arithmetic op, a call or an inlined body."""

    __slots__ = ("kind", "text", "args", "prec", "uses")

    def __init__(self, kind: str, text: Any, args: tuple = (), prec: int = _ATOM) -> None:
        self.kind, self.text, self.args, self.prec = kind, text, args, prec
        self.uses = 0
        for a in args:                       # an expression used twice may be worth a temporary (see _code)
            if type(a) is _Expr and a.kind != "var":
                a.uses += 1
                if a.uses > 1 or kind == "inline":
                    _SHARING[0] = True

    def _op(self, op: str, a: Any, b: Any) -> _Expr:
        return _Expr("op", op, (a, b), _BINARY[op])

    def __add__(self, o: Any) -> _Expr: return self._op("+", self, o)
    def __radd__(self, o: Any) -> _Expr: return self._op("+", o, self)
    def __sub__(self, o: Any) -> _Expr: return self._op("-", self, o)
    def __rsub__(self, o: Any) -> _Expr: return self._op("-", o, self)
    def __mul__(self, o: Any) -> _Expr: return self._op("*", self, o)
    def __rmul__(self, o: Any) -> _Expr: return self._op("*", o, self)
    def __truediv__(self, o: Any) -> _Expr: return self._op("/", self, o)
    def __rtruediv__(self, o: Any) -> _Expr: return self._op("/", o, self)
    def __pow__(self, o: Any) -> _Expr: return self._op("**", self, o)
    def __rpow__(self, o: Any) -> _Expr: return self._op("**", o, self)
    def __neg__(self) -> _Expr: return _Expr("neg", "-", (self,), _UNARY)
    def __lt__(self, o: Any) -> _Expr: return self._op("<", self, o)
    def __le__(self, o: Any) -> _Expr: return self._op("<=", self, o)
    def __gt__(self, o: Any) -> _Expr: return self._op(">", self, o)
    def __ge__(self, o: Any) -> _Expr: return self._op(">=", self, o)
    # == too is a comparison the code makes at run time (a rule's p == 0.0, for the slope of a^b): object's ==
    # would answer False now, for good, and the code would take the p != 0 branch at every p
    def __eq__(self, o: Any) -> _Expr: return self._op("==", self, o)   # type: ignore[override]
    def __ne__(self, o: Any) -> _Expr: return self._op("!=", self, o)   # type: ignore[override]
    __hash__ = object.__hash__                                            # (a node of the code: kept by identity)

    def __bool__(self) -> bool:
        raise TypeError("compile: a rule branched on a value known only at run time; write it with m.where")


def _variable(name: str) -> _Expr:
    return _Expr("var", name)


def _literal(x: Any) -> tuple[str, int]:
    """A constant as code, and its precedence (a negative number binds as unary minus)."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise CompileError(f"compile: a rule produced the constant {x!r}, which is not a number")
    if isinstance(x, int):
        return repr(x), (_UNARY if x < 0 else _ATOM)
    x = float(x)
    if x != x:                                # a NaN's sign and payload pass through + and *: the code keeps them
        bits = _bits(x)
        text = _NAN_LITERALS.get(bits) or f"nan_of_bits({bits:#x})"
    else:
        text = repr(x) if math.isfinite(x) else "inf" if x > 0 else "-inf"
    return text, (_UNARY if text.startswith("-") else _ATOM)


def _nan_of_bits(bits: int) -> float:
    """The NaN of these 64 bits, for a constant NaN of the graph other than ``nan`` and ``-nan`` (``inf - inf``
    is -nan on x86): ``x * c`` returns c's bits, so the code must hold them, as the eager node does.

    >>> hex(_bits(_nan_of_bits(0x7ff8000000000001)))
    '0x7ff8000000000001'
    """
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def _bits(x: float) -> int:
    """The 64 bits of the float x (its sign and a NaN's payload included), as an int."""
    return struct.unpack("<Q", struct.pack("<d", x))[0]


_NAN_LITERALS = {_bits(nan): text for nan, text in ((math.nan, "nan"), (-math.nan, "-nan"))}


class _Function:
    """A function of the FLOATS backend, as the generated code uses it: its body inlined when it is a few
    assignments and one ``return`` of its arguments (step, relu, sign, recip, where, sigmoid: each assignment
    becomes a temporary of the line), else a call by name (exp, log, power, ...)."""

    def __init__(self, name: str, fn: Callable) -> None:
        self.name, self.fn = name, fn
        self.inlined = False
        self.params: list[str] = []
        self.locals: list[str] = []          # the code of each assignment, with markers for arguments and locals
        self.text = ""                       # the code of the returned expression, with markers
        self.prec = _ATOM
        self.globals: dict[str, Any] = {}
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        except (OSError, TypeError, SyntaxError):                        # a builtin (math.exp): called
            return
        if not tree.body or not isinstance(tree.body[0], ast.FunctionDef):
            return
        body = tree.body[0].body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]                                              # the docstring
        if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None or not all(
                isinstance(a, ast.Assign) and len(a.targets) == 1 and isinstance(a.targets[0], ast.Name)
                for a in body[:-1]):
            return
        params = [a.arg for a in tree.body[0].args.args]
        local_names = [a.targets[0].id for a in body[:-1]]
        known = {id(f): k for k, f in _FLOAT_FUNCTIONS.items()}
        found: dict[str, Any] = {}
        scope = fn.__globals__

        class Mark(ast.NodeTransformer):
            """Arguments and locals become markers; math.exp, abs (the backend's own functions) their names."""

            def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
                if isinstance(node.value, ast.Name) and node.value.id in scope:
                    obj = getattr(scope[node.value.id], node.attr, None)
                    if id(obj) in known:
                        return ast.Name(known[id(obj)])
                found[node.value.id if isinstance(node.value, ast.Name) else ""] = None
                return self.generic_visit(node)

            def visit_Name(self, node: ast.Name) -> ast.AST:
                if node.id in params:
                    return ast.Name(f"__arg{params.index(node.id)}__")
                if node.id in local_names:
                    return ast.Name(f"__loc{local_names.index(node.id)}__")
                obj = scope.get(node.id, getattr(builtins, node.id, None))
                if id(obj) in known:
                    return ast.Name(known[id(obj)])
                found[node.id] = None
                return node

        codes = [ast.unparse(Mark().visit(a.value)) for a in body[:-1]]
        returned = Mark().visit(body[-1].value)
        for n in found:                                                  # what else the body reads
            if n in scope:
                found[n] = scope[n]
            elif hasattr(builtins, n):
                found[n] = getattr(builtins, n)
            else:
                return
        self.inlined, self.params, self.locals, self.globals = True, params, codes, found
        self.text, self.prec = ast.unparse(returned), _precedence(returned)

    def __call__(self, *args: Any) -> Any:
        if not any(isinstance(a, _Expr) for a in args):
            return self.fn(*args)                                        # constants: folded now
        if self.name == "where" and not isinstance(args[0], _Expr):
            return args[1] if args[0] else args[2]                       # a condition known now
        if self.name == "power" and isinstance(args[1], float | int) and args[1] == 1:
            return args[0]                                               # x ** 1 is x exactly (IEEE 754 pow)
        if self.name == "power" and isinstance(args[1], float | int) and args[1] == 2 and isinstance(args[0], _Expr):
            return _Expr("op", "*", (args[0], args[0]), _MUL)            # x ** 2 is x * x, as FLOATS.power has it
        if self.name == "power" and ((_number_at_least(args[1], 0.0) and float(args[1]).is_integer())
                                     or _number_at_least(args[0], 1e-300)):
            # FLOATS.power is x ** p, with 0 ** (negative) = inf where Python raises ZeroDivisionError; with a
            # constant whole exponent >= 0, or a constant base > 0, that cannot happen: its try body, inlined.
            # A fractional exponent is called (_real_power): x ** 0.5 is a complex number for x < 0.
            return _Expr("op", "**", args, _POW)
        if not self.inlined:
            return _Expr("call", self.name, args)
        return _Expr("inline", self, args, self.prec)

    def uses_of(self, k: int) -> int:
        """How many times argument k appears in the inlined body."""
        marker = f"__arg{k}__"
        return self.text.count(marker) + sum(code.count(marker) for code in self.locals)


def _number_at_least(x: Any, bound: float) -> bool:
    return isinstance(x, float | int) and not isinstance(x, bool) and x >= bound


def _precedence(node: ast.expr) -> int:
    if isinstance(node, ast.IfExp):
        return _COND
    if isinstance(node, ast.Compare | ast.BoolOp):
        return _CMP
    if isinstance(node, ast.BinOp):
        return _POW if isinstance(node.op, ast.Pow) else _ADD if isinstance(node.op, ast.Add | ast.Sub) else _MUL
    if isinstance(node, ast.UnaryOp):
        return _UNARY
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and node.value < 0:
        return _UNARY
    return _ATOM


class SYMBOLS:
    """The backend of generated code: each FLOATS function, applied to symbols, gives an expression."""


_FLOAT_FUNCTIONS = {name: getattr(_F, name) for name in
                    ("exp", "log", "log1p", "sqrt", "tanh", "sin", "cos", "abs", "sign", "sigmoid", "recip",
                     "power", "power_slope", "step", "relu", "negative", "neg_abs", "neg_twice_abs", "exp_gap",
                     "where")}
_FUNCTIONS = {name: _Function(name, fn) for name, fn in _FLOAT_FUNCTIONS.items()}
for _name, _fn in _FUNCTIONS.items():
    setattr(SYMBOLS, _name, staticmethod(_fn))
# FLOATS.sigmoid (softplus' derivative) runs the sigmoid rule on FLOATS: called from the code, it would go through
# the backend's functions at every step. Run on SYMBOLS instead, it is written out as a sigmoid node's line is (one
# exp, the sign tested once), with the same float operations in the same order.
SYMBOLS.sigmoid = staticmethod(lambda x: rules.SIGMOID.value(SYMBOLS, x))  # type: ignore[attr-defined]


def _real_power(x: float, p: float) -> float:
    """FLOATS.power as the generated code calls it: the same float, but a negative base to a fractional power is
    refused as the eager engine refuses it, where Python's ``x ** p`` returns a complex number (the code would
    return it, or its ``abs``, as if it were the answer).

    >>> _real_power(4.0, 0.5), _real_power(0.0, -1.0)
    (2.0, inf)
    """
    try:
        y = _F.power(x, p)                # the rule's own: sqrt for p = 0.5, 1/x for -1, 0 ** (negative) = inf,
    except OverflowError:                 # inf beyond the float range (a derivative may be inf, as eagerly);
        raise overflow(x, p) from None    # Python's bare error for a complex power beyond it, named
    if type(y) is complex:
        raise ValueError(f"**: {x!r} ** {p!r} is not a real number (negative base, fractional exponent); the code "
                         "compiled from f is evaluated at inputs where f's powers are undefined")
    return y


# --- the eager ops' refusals, for the forward lines of ops with a domain ------------------------------------------
# Where an eager op refuses its input with a ValueError that names it, the float code would answer something else:
# 0.0 ** -1.0 is inf, exp(inf) is inf, sin(nan) is NaN, (-2.0) ** 2.0 is 4.0 for Value ** Value (a^b = exp(b ln a)),
# or raise a bare OverflowError (exp(710.0)). The forward line of such an op calls its check, which refuses as the
# eager op does and otherwise computes the rule's float; the derivative lines are the rules' float code, as before.
# Ops with no domain limit (+, *, relu, tanh, ...), x ** 0, x ** 1 and x / c for a constant c are written as they
# are, with no check: micrograd's demo step (*, +, relu) runs at plain-float speed. A power that can overflow
# (x ** 2, x ** 3, ...) calls a check: the eager op refuses the overflow, where x * x answers inf and x ** 3.0
# raises Python's bare OverflowError. A division by a variable calls one too: Python's ZeroDivisionError names no op.

def _power_checked(x: float, p: float) -> float:
    """x^p as ``Value ** number`` and ``number ** Value`` compute it, refusing what they refuse: 0 to a negative
    power, a negative base to a fractional power, and a result that overflows.

    >>> _power_checked(4.0, -0.5), _power_checked(2.0, 3.0)
    (0.5, 8.0)
    """
    if x < 0.0 and not float(p).is_integer():
        raise outside_domain("fractional power", x, p)
    if x == 0.0 and p < 0.0:
        raise outside_domain("zero to a negative power", x, p)
    y = _F.power(x, p)
    if (y == math.inf or y == -math.inf) and x - x == 0.0 and p - p == 0.0:
        raise overflow(x, p)
    return y


def _square_checked(x: float) -> float:
    """x^2 as ``Value ** 2`` computes it (x x, as ``rules.FLOATS.power``), refusing a square that overflows.

    >>> _square_checked(-3.0)
    9.0
    """
    y = x * x
    if y == math.inf and x - x == 0.0:                                   # a finite x beyond 1.3e154 (never -inf)
        raise overflow(x, 2.0)
    return y


def _divide_checked(a: float, b: float) -> float:
    """a / b as ``Value / Value`` and ``number / Value`` compute it, refusing a zero divisor (+0 or -0) with their
    message.

    >>> _divide_checked(1.0, 4.0)
    0.25
    """
    if b == 0.0:
        raise zero_divisor(a, b)
    return a / b


def _power_of_positive(a: float, b: float) -> float:
    """a^b as ``Value ** Value`` computes it, refusing what it refuses: a base that is not positive, and a result
    that overflows.

    >>> _power_of_positive(4.0, 0.5)
    2.0
    """
    if a <= 0.0:
        raise outside_domain("Value ** Value", a)
    y = _F.power(a, b)
    if y == math.inf and a - a == 0.0 and b - b == 0.0:                  # (a > 0: never -inf)
        raise overflow(a, b)
    return y


def _exp_checked(x: float) -> float:
    """e^x as ``Value.exp`` computes it, refusing x beyond 709.78 (math.exp answers inf at inf, and raises a bare
    OverflowError at 710)."""
    if x > EXP_MAX:
        raise outside_domain("exp", x)
    return _F.exp(x)


def _log_checked(x: float) -> float:
    """ln x as ``Value.log`` computes it, refusing x <= 0 by name (math.log's own error says "math domain error")."""
    if x <= 0.0:
        raise outside_domain("log", x)
    return _F.log(x)


def _sqrt_checked(x: float) -> float:
    """sqrt x as ``Value.sqrt`` computes it, refusing x < 0 by name (math.sqrt's own error names no op)."""
    if x < 0.0:
        raise outside_domain("sqrt", x)
    return _F.sqrt(x)


def _sin_checked(x: float) -> float:
    """sin x as ``Value.sin`` computes it, refusing x that is not finite (math.sin answers NaN at NaN)."""
    if not math.isfinite(x):
        raise outside_domain("sin", x)
    return _F.sin(x)


def _cos_checked(x: float) -> float:
    """cos x as ``Value.cos`` computes it, refusing x that is not finite (math.cos answers NaN at NaN)."""
    if not math.isfinite(x):
        raise outside_domain("cos", x)
    return _F.cos(x)


_CHECKS = {"exp_checked": _exp_checked, "log_checked": _log_checked, "sqrt_checked": _sqrt_checked,
           "sin_checked": _sin_checked, "cos_checked": _cos_checked, "square_checked": _square_checked,
           "power_checked": _power_checked, "power_of_positive": _power_of_positive,
           "divide_checked": _divide_checked}
_CHECKED = ((rules.EXP, "exp_checked"), (rules.LOG, "log_checked"), (rules.SQRT, "sqrt_checked"),
            (rules.SIN, "sin_checked"), (rules.COS, "cos_checked"), (rules.DIV, "divide_checked"),
            (rules.POWER, "power_checked"), (rules.EXPONENTIAL, "power_checked"), (rules.POWER2, "power_of_positive"))


_CHECK_CALL = re.compile(rf"(?:{'|'.join(_CHECKS)})\(")   # a forward line that calls one of the checks


def _checked(rule: rules.Rule, args: list) -> _Expr | None:
    """The forward expression of a node whose eager op refuses some inputs: a call of its check (None for the
    other ops, for x ** 0 and x ** 1, which refuse nothing, and for x / c, whose constant c is not 0)."""
    if rule is rules.POWER and args[1] in (0.0, 1.0):
        return None
    if rule is rules.POWER and args[1] == 2.0:    # the square of a loss: x x, and the check's call only past 1.3e154
        # (the largest float as a literal, not the global inf: a constant costs the step a third of a global lookup)
        square = args[0] * args[0]
        return SYMBOLS.where(square <= sys.float_info.max, square, _Expr("call", "square_checked", (args[0],)))
    if rule is rules.DIV and not isinstance(args[1], _Expr):
        return None
    name = next((name for r, name in _CHECKED if r is rule), None)
    return None if name is None else _Expr("call", name, tuple(args))


_NAMESPACE: dict[str, Any] = {"inf": math.inf, "nan": math.nan, "nan_of_bits": _nan_of_bits, **_FLOAT_FUNCTIONS,
                              "power": _real_power, **_CHECKS}
_MATH_NAMES = {name for name, f in _NAMESPACE.items() if getattr(f, "__module__", None) == "math"}
for _fn in _FUNCTIONS.values():
    _NAMESPACE.update(_fn.globals)


class _Lines:
    """Where the code of the lines is written: the temporaries of the current line, fresh names for them, and the
    temporaries already computed in this function, by their code (a later line reuses them: the variables they
    read are assigned once, so the same code gives the same float)."""

    def __init__(self) -> None:
        self.temporaries: list[str] = []
        self.available: dict[str, str] = {}
        self.count = 0

    def temporary(self, code: str) -> str:
        if code.isidentifier():                                          # already a variable
            return code
        name = self.available.get(code)
        if name is None:
            name = f"t{self.count}"
            self.count += 1
            self.temporaries.append(f"{name} = {code}")
            if "g_" not in code:                                         # gradients change: never reused
                self.available[code] = name
        return name

    def take(self) -> list[str]:
        taken, self.temporaries = self.temporaries, []
        return taken


def _count(expr: Any, uses: dict) -> None:
    """How often each expression node is used (an inlined body counts each use of an argument)."""
    if not isinstance(expr, _Expr) or expr.kind == "var":
        return
    uses[id(expr)] = uses.get(id(expr), 0) + 1
    if uses[id(expr)] > 1:
        return
    if expr.kind == "inline":
        for k, arg in enumerate(expr.args):
            for _ in range(expr.text.uses_of(k)):
                _count(arg, uses)
    else:
        for arg in expr.args:
            _count(arg, uses)


_MARKER = re.compile(r"__(?:arg|loc)[0-9]+__")   # an argument or a local of an inlined body (see _Function)


def _render(expr: Any, names: dict, lines: _Lines) -> tuple[str, int]:
    """The code of an expression and its precedence; a node named in ``names`` (a temporary) by its name."""
    if not isinstance(expr, _Expr):
        return _literal(expr)
    if id(expr) in names:
        return names[id(expr)], _ATOM
    kind = expr.kind
    if kind == "var":
        return expr.text, _ATOM
    if kind == "op":
        op, prec = expr.text, expr.prec
        (a, pa), (b, pb) = _render(expr.args[0], names, lines), _render(expr.args[1], names, lines)
        right_assoc = op == "**"
        if pa < prec or (pa == prec and (right_assoc or prec == _CMP)):     # a < b < c would chain: never
            a = f"({a})"
        if pb < prec or (pb == prec and not right_assoc):
            b = f"({b})"
        return f"{a} {op} {b}", prec
    if kind == "neg":
        a, pa = _render(expr.args[0], names, lines)
        return (f"-{a}" if pa > _UNARY else f"-({a})"), _UNARY
    if kind == "call":
        code = f"{expr.text}({', '.join(_render(a, names, lines)[0] for a in expr.args)})"
        return lines.available.get(code, code), _ATOM
    fn = expr.text                                                       # inline: the body with the arguments
    given = {}
    for k, arg in enumerate(expr.args):
        code, prec = _render(arg, names, lines)
        if prec != _ATOM and fn.uses_of(k) > 1:                          # computed once
            code, prec = lines.temporary(code), _ATOM
        given[f"__arg{k}__"] = code if prec == _ATOM else f"({code})"

    def put(text: str) -> str:
        # in one pass over the body: replaced one marker after another, an argument's code would be searched for
        # the next marker, and an input named __arg1__ (its entries __arg1__0, ...) would be rewritten
        return _MARKER.sub(lambda marker: given[marker.group()], text)

    for j, code in enumerate(fn.locals):                                 # each assignment: a temporary
        given[f"__loc{j}__"] = lines.temporary(put(code))
    return put(fn.text), expr.prec


def _cheap(e: _Expr) -> bool:
    """A comparison of variables and numbers (x < 0.0): computed again where it is used, which costs less than
    a temporary holding a bool."""
    return e.prec == _CMP and all(not isinstance(a, _Expr) or a.kind == "var" for a in e.args)


def _code(exprs: Sequence[Any], lines: _Lines, later: Sequence[Any] = ()) -> list[str]:
    """The code of ``exprs``; a non-trivial sub-expression used twice is computed once into a temporary
    (added to ``lines.temporaries``, in the order they are needed). Uses in ``later`` (expressions a later line
    will compute, such as a sigmoid's derivative beside its value) count too, so what they share with ``exprs``
    is kept in a temporary that the later line reads instead of computing it again."""
    names: dict = {}
    if not _SHARING[0]:                                                  # nothing can be shared: no temporaries
        return [_render(e, names, lines)[0] for e in exprs]
    _SHARING[0] = False
    uses: dict = {}
    for e in (*exprs, *later):
        _count(e, uses)

    def hoist(e: Any) -> None:
        if not isinstance(e, _Expr) or e.kind == "var" or id(e) in names:
            return
        for a in e.args:
            hoist(a)
        if uses.get(id(e), 0) > 1 and not _cheap(e):
            names[id(e)] = lines.temporary(_render(e, names, lines)[0])

    for e in exprs:
        hoist(e)
    return [_render(e, names, lines)[0] for e in exprs]


# --- the graph: each node as a rule applied to operands ------------------------------------------------------

_TWO_PARENTS = {"+": rules.ADD, "-": rules.SUB, "*": rules.MUL, "/": rules.DIV, "**": rules.POWER2,
                "logaddexp": rules.LOGADDEXP}
_WITH_CONSTANT = {"x+c": (rules.ADD, 0), "x-c": (rules.SUB, 0), "c-x": (rules.SUB, 1), "x/c": (rules.DIV, 0),
                  "c/x": (rules.DIV, 1), "x**p": (rules.POWER, 0), "c**x": (rules.EXPONENTIAL, 0)}


def _describe(node: Value) -> str:
    label = f" {node.label!r}" if node.label else ""
    return f"the {node.op!r} node{label} (data {node.data!r})"


def _as_rule(node: Value) -> tuple[rules.Rule, tuple, tuple]:
    """(rule, operands, which): the node is ``rule.value(FLOATS, *operands)``, operands being its parents and
    its constants in the order the rule takes them; ``which[k]`` is the index, in ``rule.partials``, of the
    partial towards parent k. A node ``compile`` cannot read raises CompileError naming its op."""
    op, p0, p1 = node.op, node._p0, node._p1
    if p1 is not None and p1 is not _MANY and op in _TWO_PARENTS:
        return _TWO_PARENTS[op], (p0, p1), (0, 1)
    if p1 is None:
        if op in rules.FUNCTIONS:
            return rules.FUNCTIONS[op], (p0,), (0,)
        if op == "*":                                                    # x c: the partial is c itself
            return rules.MUL, (p0, node._d0), (0,)
        kind = getattr(node, "_d1", None)
        if isinstance(kind, tuple) and len(kind) == 2 and kind[0] in _WITH_CONSTANT:
            rule, side = _WITH_CONSTANT[kind[0]]
            constant = kind[1]
            operands = (p0, constant) if kind[0] in ("x+c", "x-c", "x/c", "x**p") else (constant, p0)
            return rule, operands, (side,)
    raise CompileError(
        f"compile: cannot compile {_describe(node)} with {len(node.parents)} parent(s): the op {op!r} is not one "
        f"of the Value ops compile knows ({', '.join(rules.RULES)}), or it does not record its constant; build "
        "f from Value ops"
    )


def _weighted_sum_terms(node: Value) -> tuple[Any, list]:
    """The bias and the (weight, input) pairs of a weighted_sum node, each a Value or a float, checked against
    the node's parents."""
    try:
        weights, inputs, bias = weighted_sum_operands(node)
    except (AttributeError, TypeError, ValueError):
        raise CompileError(f"compile: {_describe(node)} does not record its operands") from None
    pairs = list(zip(weights, inputs))
    parents = ([bias] if isinstance(bias, Value) else []) + [
        v for pair in pairs for v in pair if isinstance(v, Value)]
    if len(parents) != len(node._p0) or any(p is not q for p, q in zip(parents, node._p0)):
        raise CompileError(
            "compile: the lists of weights or inputs given to a weighted_sum were changed after it was computed, "
            "so its graph cannot be read; pass fresh lists (or tuples) to weighted_sum"
        )
    return bias, pairs


def _number(x: Any) -> float:
    return x if type(x) is float else float(x)


# --- the generated function ---------------------------------------------------------------------------------

def _input_lists(example: Any) -> tuple[list[list[float]], bool]:
    """The example as lists of floats, and whether it is one list (f takes one list) or several. Its numbers are
    read as a call's are (``reals``): a string is refused, not parsed (``["12", "34"]`` was the lists [1, 2] and
    [3, 4], ``b"12"`` the numbers 49 and 50), as are timedeltas, masked entries and ints beyond the float range
    (Python's bare OverflowError named nothing)."""
    unmasked(example, "compile", "example")
    if hasattr(example, "tolist"):
        example = example.tolist()
    if not isinstance(example, Sequence) or isinstance(example, str | bytes):
        raise TypeError(f"compile: example must be a list of numbers, or a tuple of such lists; got {example!r}")

    def is_list(items: Any) -> bool:   # what reals() reads as a list: an ndarray of one axis or more, array.array
        return isinstance(items, list | tuple) or (hasattr(items, "tolist") and getattr(items, "ndim", 1) > 0)

    def numbers_of(items: Any, where: str) -> list[float]:
        unmasked(items, "compile", where)
        if not is_list(items):
            raise TypeError(f"compile: {where} must be a list of numbers, got {type(items).__name__} {items!r}; "
                            f"give one list of numbers, or a tuple of lists (a number alone: wrap it, [{items!r}])")
        return list(reals(items, f"compile: {where}"))

    if not any(is_list(items) for items in example):                    # one list of numbers
        return [list(reals(example, "compile: example"))], True
    return [numbers_of(items, f"example[{k}]") for k, items in enumerate(example)], False


def _identifier(name: str) -> bool:
    """A name the code can use as it is: an identifier, not a keyword, and written as Python reads it. Python
    reads identifiers in NFKC form: ``ｖ0`` (fullwidth) is ``v0``, node 0's variable, and ``ｅｘｐ`` is ``exp``,
    the code's exponential; such a name would silently be another one."""
    return name.isidentifier() and not keyword.iskeyword(name) and unicodedata.normalize("NFKC", name) == name


def _parameter_names(f: Callable, count: int) -> list[str]:
    """Names for the input lists: f's own parameter names where they make good code, else x, y, z, ..."""
    try:
        names = [p.name for p in inspect.signature(f).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][:count]
    except (TypeError, ValueError):
        names = []
    taken = set(_NAMESPACE) | {"seed", "grad", "ZEROS", "v", "g", "t", "lr", "order", "i"} | set(dir(builtins))
    fallback = iter(["x", "y", "z", "w", "u", "a", "b", "c"] + [f"in{k}_" for k in range(count)])
    out: list[str] = []
    for k in range(count):
        name = names[k] if k < len(names) else ""
        # Input k's entries are written name0, name1, ...: a name ending in a digit (v1: v10 is also node 10; x1
        # beside x: x1 is also x[1]) or starting with g_ (g_v: g_v0 is also node v0's gradient) would make two
        # variables one, and the code would read one number for the other.
        while (not _identifier(name) or name in taken or name in out or name[-1].isdigit()
               or name.startswith("g_")):
            name = next(fallback)
        out.append(name)
    return out


_TERMS_PER_SUM = 100   # a weighted_sum's line is split into partial sums of this many terms (see _Trace)


def _beyond(roots: list[Value], seen: set) -> list[Value]:
    """The nodes ``roots`` depend on that ``seen`` lacks, parents before children (``seen`` grows with them)."""
    out: list[Value] = []
    for root in roots:
        for node in value_topological_order(root):
            if node not in seen:
                seen.add(node)
                out.append(node)
    return out


class _Trace:
    """One run of ``f`` on Values: its graph, as the lines of code and the structure key ``check=True`` compares."""

    def __init__(self, f: Callable, lists: list[list[float]], single: bool, names: list[str],
                 wrt: tuple[int, ...], has_aux: bool = False, max_nodes: int = 0) -> None:
        self.inputs = [[Value(x) for x in xs] for xs in lists]
        # f gets lists of its own: one that it changes (x[i] = x[i] / 255) would otherwise make the nodes it puts
        # there the code's inputs, and the leaves below them frozen constants
        given = [list(xs) for xs in self.inputs]
        with recording():
            root = f(given[0]) if single else f(*given)
        self.aux: list[Value] = []
        if has_aux:
            if not (isinstance(root, tuple) and len(root) == 2 and isinstance(root[1], list | tuple)
                    and all(isinstance(a, Value) for a in root[1])):
                raise TypeError(
                    f"compile(..., has_aux=True): f must return a pair (loss, [Values to report]), got "
                    f"{type(root).__name__} {root!r}"
                )
            root, aux = root
            self.aux = list(aux)
        if not isinstance(root, Value):
            raise TypeError(
                f"compile: f must return one Value (a scalar computed from its inputs), got {type(root).__name__} "
                f"{root!r}" + ("; with has_aux=True, (loss, [Values])" if has_aux else "")
            )
        if root._p0 is None and root.op:
            # its backward() refuses it; the code would return its number at the example, and a gradient of 0
            raise RuntimeError(
                f"compile: f returned a Value made by the {root.op!r} op that recorded no parents, so there is nothing "
                "to differentiate: it was computed inside no_grad() (or from plain numbers only), and its backward() "
                "refuses it. Compute the loss outside no_grad(), from the Values f is given"
            )
        self.root = root
        self.order = value_topological_order(root)
        differentiated = set(self.order)                                 # the loss's graph: the backward pass
        self.order.extend(_beyond(self.aux, set(differentiated)))        # the aux Values' forward lines too
        if max_nodes:
            _check_size(self.order, max_nodes)
        self.var: dict[Value, _Expr] = {}                               # node -> its variable in the code
        self.names: dict[Value, str] = {}
        where: dict[Value, tuple] = {}
        for k, (xs, name) in enumerate(zip(self.inputs, names)):
            for i, x in enumerate(xs):
                self.names[x] = f"{name}{i}"
                self.var[x] = _variable(f"{name}{i}")
                where[x] = ("in", k, i)
        wanted = {x for k in wrt for x in self.inputs[k]}
        # A node depends on the inputs, or it is a constant of f (its data frozen at the trace); it needs a
        # gradient if it depends on an input we differentiate towards.
        live: set = set()
        self.needs: set = set()
        for node in self.order:
            if node in self.var:
                live.add(node)
                if node in wanted and node in differentiated:
                    self.needs.add(node)
            elif node._p0 is not None and any(p in live for p in node.parents):
                live.add(node)
                if node in differentiated and any(p in self.needs for p in node.parents):
                    self.needs.add(node)
        self.forward: list[tuple[Value, str, str]] = []                  # (node, code, comment)
        self.key: list[tuple] = []                                       # the structure, for check=True
        self.rule_of: dict[Value, tuple] = {}
        count = 0
        self.lines = _Lines()
        for node in self.order:
            if node not in live or node in self.var:
                continue
            name = f"v{count}"
            count += 1
            operand = self._operand
            if node.op == "weighted_sum" and node._p1 is _MANY:
                bias, pairs = _weighted_sum_terms(node)
                total = operand(bias)
                for k, (w, x) in enumerate(pairs, 1):                    # the engine's order: b + w0 x0 + w1 x1 ...
                    total = total + operand(w) * operand(x)
                    if k % _TERMS_PER_SUM == 0 and isinstance(total, _Expr):
                        # the partial sum so far into a temporary: ((b + w0 x0) + ...) + w100 x100 is the same
                        # floats in the same order, and no expression nests deeper than 100 terms (a sum of 1,000
                        # raised RecursionError here, and Python's compile() refuses one of 10,000)
                        total = _variable(self.lines.temporary(_code([total], self.lines)[0]))
                rule, shape = rules.WEIGHTED_SUM, (bias, pairs)
                code = _code([total], self.lines)[0]
                self.key.append(("weighted_sum", _key(bias, where), tuple((_key(w, where), _key(x, where))
                                                                            for w, x in pairs)))
            else:
                rule, operands, which = _as_rule(node)
                shape = (operands, which)
                args = [operand(o) for o in operands]
                checked = _checked(rule, args)
                if checked is not None:                                  # an op with a domain: its check
                    code = _code([checked], self.lines)[0]
                elif rule.both is None:
                    code = _code([rule.value(SYMBOLS, *args)], self.lines)[0]
                else:                                                    # value and derivative share work
                    value, partials = rule.both(SYMBOLS, *args)
                    code = _code([value], self.lines, partials)[0]
                self.key.append((rule.name, rule.formula, tuple(_key(o, where) for o in operands)))
            self.rule_of[node] = (rule, shape)
            self.var[node] = _variable(name)
            self.names[node] = name
            where[node] = ("v", len(self.key) - 1)
            same = self.lines.available.get(code)                       # a node computed twice (a - y, a - y)
            if same is None:
                self.lines.available[code] = name
            else:
                code = same
            self.forward.append((node, "; ".join([*self.lines.take(), f"{name} = {code}"]), rule.formula))
        if has_aux:
            self.key.append(("aux", tuple(_key(a, where) for a in self.aux)))
        # Which Value f returns is structure too: a branch choosing between two inputs (or between two nodes that
        # are both reported with has_aux), or a constant made from .data, leaves the nodes above unchanged.
        self.returned = _key(root, where)

    def _operand(self, o: Any) -> Any:
        if isinstance(o, Value):
            return self.var[o] if o in self.var else o.data               # a node of no input: a constant
        return _number(o)

    def backward_lines(self, accumulate: bool = True, alias: bool = False) -> list[tuple[str, str]]:
        """(code, comment) per node, in reverse topological order: the chain rule towards each parent. The
        inputs' gradients add to what they hold (``accumulate``) or start with their first contribution. With
        ``alias``, a parent whose gradient starts as an exact copy of the node's (a + b, x + c, a bias) takes over
        the node's variable instead of copying it (``self.gradient_names`` then says where each gradient is)."""
        lines: list[tuple[str, str]] = []
        gname = self.gradient_names = {node: f"g_{name}" for node, name in self.names.items()}
        handed: set = set()                                              # variables already taken over
        lines_ = _Lines()                                                # the forward's temporaries, reusable
        lines_.available, lines_.count = dict(self.lines.available), self.lines.count
        assigned = {x for x in self.needs if x._p0 is None} if accumulate else set()
        root = self.root
        if root in self.needs:
            lines.append((f"g_{self.names[root]} {'+=' if root in assigned else '='} seed",
                          "dL/dL = 1 (or the seed)"))
            assigned.add(root)
        for node in reversed(self.forward):
            node = node[0]
            if node not in self.needs:
                continue
            rule, shape = self.rule_of[node]
            g = _variable(gname[node])
            y = self.var[node]
            if rule is rules.WEIGHTED_SUM:
                bias, pairs = shape
                ws = [self._operand(w) for w, _ in pairs]
                xs = [self._operand(x) for _, x in pairs]
                d_w, d_x, d_b = rule.partials(SYMBOLS, ws, xs, self._operand(bias), y)
                parents, partials = weighted_sum_terms([w for w, _ in pairs], [x for _, x in pairs], bias,
                                                       d_w, d_x, d_b)
            else:
                operands, which = shape
                all_partials = rule.partials(SYMBOLS, *[self._operand(o) for o in operands], y)
                parents = list(node.parents)
                partials = [all_partials[i] for i in which]
            terms, targets = [], []
            for parent, partial in zip(parents, partials):
                if parent not in self.needs:
                    continue
                if isinstance(partial, float | int) and not isinstance(partial, bool) and partial == 1.0:
                    terms.append(g)                                      # 1 * g is g, exactly
                elif isinstance(partial, float | int) and partial == -1.0:
                    terms.append(-g)
                else:
                    terms.append(partial * g if isinstance(partial, _Expr) else _Expr("op", "*", (partial, g),
                                                                                      _MUL))
                targets.append(parent)
            if not terms:
                continue
            codes = _code(terms, lines_)
            statements = []
            for j, (parent, code, term) in enumerate(zip(targets, codes, terms)):
                # Every statement of the line reads g: once the parent has taken over g's variable, its next
                # contribution (a weighted_sum whose bias is also a weight) changes g for the statements after
                # it, so only a parent met again in the last statement at most may take it over.
                if (alias and term is g and parent not in assigned and g.text not in handed
                        and parent not in targets[j + 1:-1]):
                    gname[parent] = g.text                               # dL/d(parent) starts as dL/d(node)
                    handed.add(g.text)
                else:
                    statements.append(f"{gname[parent]} {'+=' if parent in assigned else '='} {code}")
                assigned.add(parent)
            if not statements:
                continue
            lines.append(("; ".join([*lines_.take(), *statements]), rule.derivative))
        return lines


MAX_NODES = 25_000
# compile's default limit on _size(graph). The time and memory of a compile grow in proportion to it (CPU time on a
# busy 2-core machine, and the process's peak memory: 10,000 nodes 1.5 s and 165 MB, 25,000 nodes 3.3 s and 370 MB,
# 100,000 nodes 15-22 s and 1.4 GB; a million nodes ran out of a 6 GB address space after two minutes, in Python's
# compile() of 200 MB of code): at the limit, a few seconds and a few hundred MB. Nielsen's 784-30-10 net, one
# weighted_sum per neuron, counts 23,880 and compiles (2.3 s, 225 MB).


def _size(order: list) -> int:
    """How much code a graph makes: one line per computed node, a weighted_sum counting once per term (its line
    holds a product per term, and its gradient lines a statement per term)."""
    size = 0
    for node in order:
        if node._p1 is _MANY:
            size += max(1, len(weighted_sum_operands(node)[0]))
        elif node._p0 is not None:
            size += 1
    return size


def _check_size(order: list, max_nodes: int) -> None:
    """Refuse a graph beyond ``max_nodes`` before any code is written for it."""
    size = _size(order)
    if size > max_nodes:
        raise GraphTooLarge(
            f"compile: f's graph has {size:,} nodes (a weighted_sum counted once per term), more than "
            f"max_nodes={max_nodes:,}: the code grows with the graph, and Python's compile() of it takes about 1.5 s "
            "and 150 MB per 10,000 nodes (minutes and gigabytes for a million). Compile a smaller graph (one "
            "sample's loss, not a whole batch's), differentiate this one with the eager engine (loss.backward()), "
            f"or raise the limit: compile(f, example, max_nodes={size})", size, max_nodes)


def _key(o: Any, where: dict) -> tuple:
    if isinstance(o, Value):
        return where[o] if o in where else ("c", _literal(o.data)[0])     # (a NaN's sign and payload too)
    return ("c", _literal(_number(o))[0])


def _plain_comparison(test: ast.expr) -> bool:
    """A comparison of variables and numbers (v0 < 0.0, x1 == 0.0): no call, nothing that could change."""
    return isinstance(test, ast.Compare) and all(isinstance(o, ast.Name | ast.Constant)
                                                 for o in (test.left, *test.comparators))


class _Answer(ast.NodeTransformer):
    """Each ``a if TEST else b`` of one comparison replaced by the side that its answer chooses."""

    def __init__(self, test: str, answer: bool) -> None:
        self.test, self.answer = test, answer

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        if ast.dump(node.test) == self.test:
            return self.visit(node.body if self.answer else node.orelse)
        return self.generic_visit(node)


def _test_once(code: str) -> str:
    """A line that makes the same comparison more than once as an if/else that makes it once. The stable rules have
    two halves chosen by the sign: sigmoid's line tests v < 0 to take e^-|v| and again to choose e or 1 as the
    numerator. Each branch is the line with the comparison's answer put in: the same float operations, in the same
    order, as the line it replaces. Other lines are returned as they are.

    >>> print(_test_once("t0 = exp(v0 if v0 < 0.0 else -v0); t1 = 1.0 + t0; v1 = (t0 if (v0 < 0.0) else 1.0) / t1"))
    if v0 < 0.0: t0 = exp(v0); t1 = 1.0 + t0; v1 = t0 / t1
    else: t0 = exp(-v0); t1 = 1.0 + t0; v1 = 1.0 / t1
    """
    if code.count(" if ") < 2:                                           # (most lines: not parsed)
        return code
    tree = ast.parse(code)
    assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    seen: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp) and _plain_comparison(node.test):
            key = ast.dump(node.test)
            seen[key] = seen.get(key, 0) + 1
    for node in ast.walk(tree):
        # the comparison moves to the start of the line: only if no statement of the line changes what it reads
        if (isinstance(node, ast.IfExp) and seen.get(ast.dump(node.test), 0) > 1
                and not {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)} & assigned):
            key = ast.dump(node.test)
            yes = _Answer(key, True).visit(ast.parse(code)).body
            no = _Answer(key, False).visit(ast.parse(code)).body
            return (f"if {ast.unparse(node.test)}: {'; '.join(map(ast.unparse, yes))}\n"
                    f"else: {'; '.join(map(ast.unparse, no))}")
    return code


def _comment(code: str, comment: str, width: int = 46, indent: str = "    ") -> str:
    """The line (or the if/else of ``_test_once``) with its rule as a comment."""
    first, *rest = _test_once(code).split("\n")
    return "\n".join([f"{indent}{first:<{width}} # {comment}", *(indent + line for line in rest)])


def _returned(trace: _Trace) -> tuple[str, list[str]]:
    """The code of the value and of each aux Value (a variable, or a constant's literal)."""
    def code(node: Value) -> str:
        return trace.names[node] if node in trace.names else _literal(node.data)[0]
    return code(trace.root), [code(a) for a in trace.aux]


def _source(trace: _Trace, fname: str, names: list[str], single: bool, wrt: tuple[int, ...],
            has_aux: bool = False) -> str:
    inputs = trace.inputs
    out = [f"def {fname}({', '.join(names)}, seed=1.0, grad=ZEROS):",
           f'    """Generated by autograd.compile from {fname}: the value and the gradient towards '
           f'{", ".join(names[k] for k in wrt) or "no input"}'
           f'{" (and the aux values f reports)" if has_aux else ""}."""']
    for xs, name in zip(inputs, names):
        out.append(f"    [{', '.join(trace.names[x] for x in xs)}] = {name}")
    grads = [[f"g_{trace.names[x]}" for x in inputs[k]] for k in wrt]
    lists = [f"[{', '.join(g)}]" for g in grads]
    if single:
        gradient = lists[0] if lists else "[]"
    else:
        gradient = f"({', '.join(lists)}{',' if len(lists) == 1 else ''})"
    if grads:
        out.append(f"    {gradient} = grad" + " " * max(1, 47 - len(gradient)) + "# the gradient so far")
    out.append("    # forward: one line per node, with the rule it applies")
    out.extend(_comment(code, comment) for _, code, comment in trace.forward)
    out.append("    # backward: dL/d(parent) += d(node)/d(parent) * dL/d(node), nodes in reverse order")
    out.extend(_comment(code, comment) for code, comment in trace.backward_lines())
    value, aux = _returned(trace)
    out.append(f"    return {value}, {gradient}" + (f", [{', '.join(aux)}]" if has_aux else ""))
    return "\n".join(line for line in out if line.strip()) + "\n"


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


def _update_in_place(backward: list, name: str, g: str) -> bool:
    """Turn the one statement ``g = EXPR`` (the weight's only contribution) into ``name -= lr * (EXPR)`` at the
    end of its line, when nothing after it reads the weight or changes what EXPR reads (the same floats, one
    variable fewer). Returns whether it did."""
    found = [(k, j) for k, (statements, _) in enumerate(backward) for j, st in enumerate(statements)
             if st.split(" ", 1)[0] == g]
    if len(found) != 1:
        return False
    k, j = found[0]
    statements = backward[k][0]
    target, op, expr = statements[j].split(" ", 2)
    if op != "=":
        return False
    reads = set(_IDENTIFIER.findall(expr))
    later = statements[j + 1:]
    if any(st.split(" ", 1)[0] in reads for st in later):
        return False
    after = set(_IDENTIFIER.findall(" ".join(st for line, _ in backward[k + 1:] for st in line)))
    if name in after or g in after or g in _IDENTIFIER.findall(" ".join(later)):
        return False                                                     # read later: keep the variable
    del statements[j]
    statements.append(f"{name} -= lr * ({expr})")
    return True


def _loop_invariant(forward: list, backward: list, updates: list) -> tuple[list, list]:
    """Split the backward lines into those that compute the same floats at every step (they read only the seed,
    numbers, and what such lines computed: dL/dL = 1, then 0.5 * 1 for a cost's factor, ...), to run once before
    the loop, and the rest. A line moves only whole, and only if each variable it sets is set nowhere else."""
    statements = [st for code, _ in forward + backward for st in code.split("; ")] + updates
    times_set: dict[str, int] = {}
    for st in statements:
        target = st.split(" ", 1)[0]
        times_set[target] = times_set.get(target, 0) + 1
    invariant = {"seed"}
    before, inside = [], []
    for code, comment in backward:
        moves = True
        for st in code.split("; "):
            target, op, expr = st.split(" ", 2)
            if op != "=" or times_set[target] != 1 or not set(_IDENTIFIER.findall(expr)) <= invariant:
                moves = False
                break
        if moves:
            invariant.update(st.split(" ", 1)[0] for st in code.split("; "))
            before.append((code, comment))
        else:
            inside.append((code, comment))
    return before, inside


def _sgd_source(trace: _Trace, fname: str, names: list[str], weights: int) -> str:
    """The training loop: for each sample, the forward and backward lines, then w -= lr * dL/dw for the inputs
    of list ``weights``; every other input list holds one list per sample, indexed by the sample's number."""
    inputs = trace.inputs
    out = [f"def sgd_{fname}({', '.join(names)}, lr, order):",
           f'    """Generated by autograd.compile from {fname}: plain SGD on {names[weights]}, one sample a step."""',
           f"    [{', '.join(trace.names[x] for x in inputs[weights])}] = {names[weights]}",
           "    seed = 1.0",
           "    for i in order:"]
    data = [(xs, name) for k, (xs, name) in enumerate(zip(inputs, names)) if k != weights]
    if len(data) > 1:  # one subscript a step, as the witness's loop: each sample's lists joined once, before it
        samples = next(n for n in ("samples", "samples_", "samples__") if n not in names)
        rows = ", ".join(f"r{k}" for k in range(len(data)))
        out.insert(-1, f"    {samples} = [({', '.join(f'*r{k}' for k in range(len(data)))}) "
                       f"for {rows} in zip({', '.join(name for _, name in data)})]")
        out.append(f"        {', '.join(trace.names[x] for xs, _ in data for x in xs)}, = {samples}[i]")
    elif data:
        out.append(f"        [{', '.join(trace.names[x] for x in data[0][0])}] = {data[0][1]}[i]")
    backward = [[code.split("; "), comment] for code, comment in trace.backward_lines(False, alias=True)]
    gname = trace.gradient_names
    updates = []
    for x in inputs[weights]:
        if x not in trace.needs:
            continue
        name, g = trace.names[x], gname[x]
        if not _update_in_place(backward, name, g):
            updates.append(f"{name} -= lr * {g}")
    backward = [("; ".join(statements), comment) for statements, comment in backward]
    # The loop needs the gradient, not the loss: forward statements that no later one reads are left out, but for
    # a check (log_checked, ...), which refuses the inputs the eager op refuses, read or not: a node of the data
    # alone too (log of an input), where the eager step refuses the sample and the loop would train on it.
    used = set(_IDENTIFIER.findall(" ".join([code for code, _ in backward] + updates)))
    forward = []
    for node, code, comment in reversed(trace.forward):
        rule, shape = trace.rule_of[node]
        if rule is rules.POWER and shape[0][1] == 2.0 and not any(
                statement.split(" = ", 1)[0] in used for statement in code.split("; ")):
            # x ** 2 kept for its check alone (a quadratic cost's square: the gradient needs 2 x, not x^2): the
            # test of the square, with no variable stored for it. square_checked refuses an inf square of a finite
            # x and returns the others: calling it only at inf refuses what the forward line refuses.
            x = trace.names[shape[0][0]]
            forward.append((f"if {x} * {x} > {sys.float_info.max!r}: square_checked({x})", comment))
            used.add(x)
            continue
        kept = []
        for statement in reversed(code.split("; ")):
            target, expr = statement.split(" = ", 1)
            if target in used or _CHECK_CALL.search(expr):
                kept.append(statement)
                used.update(_IDENTIFIER.findall(expr))
        if kept:
            forward.append(("; ".join(reversed(kept)), comment))
    forward.reverse()
    hoisted, backward = _loop_invariant(forward, backward, updates)
    at = out.index("    for i in order:")
    out[at:at] = [_comment(code, comment) for code, comment in hoisted]
    out.extend(_comment(code, comment, indent="        ") for code, comment in forward)
    out.extend(_comment(code, comment, indent="        ") for code, comment in backward)
    for k in range(0, len(updates), 4):
        out.append("        " + "; ".join(updates[k:k + 4]))
    out.append(f"    return [{', '.join(trace.names[x] for x in inputs[weights])}]")
    # math's functions as local variables of the loop (a local is read faster than a global), as the witness does
    called = set(_IDENTIFIER.findall("\n".join(out[3:]))) & _MATH_NAMES
    if called:
        out.insert(3, f"    from math import {', '.join(sorted(called))}")
    return "\n".join(out) + "\n"


def _sample_order(order: Any, n: int, who: str) -> Sequence[int]:
    """``order`` as whole numbers in 0..n-1 (HH19's run gives 10^6 of them); -1 would take the last row and True
    row 1, silently."""
    if isinstance(order, np.ndarray):
        order = order.tolist()
    elif isinstance(order, (str, bytes, dict, set)) or not hasattr(order, "__iter__"):
        raise TypeError(f"{who}: order must be a list of sample indices, got {type(order).__name__}")
    elif not isinstance(order, (list, tuple, range)):
        order = list(order)
    # the distinct indices, found by one C loop (about 1% of HH19's run), each checked (a True given after a 1 is
    # the same set entry as 1: the one case a set cannot tell apart)
    if not all(type(k) is int and 0 <= k < n for k in set(order)):
        i, k = next((i, k) for i, k in enumerate(order) if type(k) is not int or not 0 <= k < n)
        raise ValueError(f"{who}: order[{i}] is {k!r}; give whole numbers from 0 to {n - 1} (the samples' rows)")
    return order


class Compiled:
    """A function of Values, compiled: call it with plain numbers for the same inputs.

    ``compiled(xs)`` (or ``compiled(xs, ys, ...)`` when ``f`` takes several lists) returns ``(value, grad)``:
    the value as a float, and the gradient as a list of floats (a tuple of lists, one per list differentiated
    towards, when ``f`` takes several). ``seed`` scales the gradient as ``Value.backward(seed)`` does, and ``grad``
    (in the same shape as the gradient returned) is added to, as ``.grad`` accumulates across backward calls:
    ``compiled(x, seed=s, grad=g)`` gives the same floats as ``backward(s)`` on leaves holding ``g`` (a zero's sign
    aside, where ``s`` or ``g`` holds -0.0: the code starts a gradient at its first contribution, backward() at
    0.0 plus it).

    ``.source`` is the generated code, ``.function`` the generated function itself (the same call, without the
    checks of the arguments: for tight loops). At inputs where the eager engine refuses an op (``x ** -1`` at 0,
    ``exp(710)``), the call raises its ``ValueError`` (see the module's docstring for the few exceptions).

    With ``compile(..., has_aux=True)`` (JAX's name), ``f`` returns ``(loss, [Values])`` and the call returns
    ``(value, grad, aux)``: ``aux`` the floats of those Values at the new inputs (a model's outputs, say, for an
    accuracy), computed by the same code, never differentiated. ``sgd`` ignores them.

    >>> square = compile(lambda x: x[0] * x[0], [1.0])
    >>> square([3.0]), square([3.0], seed=0.5, grad=[1.0])    # d/dx x^2 = 6; then 1 + 0.5 * 6
    ((9.0, [6.0]), (9.0, [4.0]))
    """

    def __init__(self, f: Callable, example: Any, wrt: int | Sequence[int] | None, check: bool,
                 has_aux: bool = False, max_nodes: int = MAX_NODES) -> None:
        if type(max_nodes) is not int:                          # (True would be a limit of one node)
            raise TypeError(f"compile: max_nodes must be a whole number (an int), got {max_nodes!r}")
        if max_nodes < 1:
            raise ValueError(f"compile: max_nodes must be at least 1, got {max_nodes!r}")
        self.max_nodes = max_nodes
        lists, self._single = _input_lists(example)
        self._f = f
        self.sizes = [len(xs) for xs in lists]
        if wrt is None:
            wrt = tuple(range(len(lists)))
        elif isinstance(wrt, int):
            wrt = (wrt,)
        wrt = tuple(wrt)
        if any(not isinstance(k, int) or not 0 <= k < len(lists) for k in wrt) or len(set(wrt)) != len(wrt):
            raise ValueError(f"compile: wrt must name input lists by index (0 to {len(lists) - 1}), got {wrt!r}")
        self.wrt = wrt
        self.check = flag(check, "compile", "check")      # "False" would re-trace on every call
        self.has_aux = has_aux = flag(has_aux, "compile", "has_aux")
        self._names = _parameter_names(f, len(lists))
        fname = getattr(f, "__name__", "")
        self.name = fname if type(fname) is str and _identifier(fname) and fname not in _NAMESPACE \
            and fname not in self._names else "compiled"
        trace = _Trace(f, lists, self._single, self._names, wrt, has_aux, max_nodes)
        self._key, self._returned = trace.key, trace.returned
        self._where = [f"{self.name}: input list {k}" for k in range(len(self.sizes))]
        self._lines = [code for _, code, _ in trace.forward]
        self.source = _source(trace, self.name, self._names, self._single, wrt, has_aux)
        zeros = [[0.0] * self.sizes[k] for k in wrt]
        namespace = dict(_NAMESPACE, ZEROS=(zeros[0] if zeros else []) if self._single else tuple(zeros))
        exec(builtins.compile(self.source, f"<autograd.compile {self.name}>", "exec"), namespace)
        self.function: Callable = namespace.pop(self.name)   # popped: the function keeps its globals, and
        #                                                        the globals kept the function (a reference cycle)
        self._verify(trace, lists)
        self._trace: _Trace | None = trace
        self._sgd: Callable | None = None

    @property
    def sgd_source(self) -> str:
        """The code of ``sgd``: the lines of ``source`` inside a loop over samples, then the update; a gradient
        that starts as a copy of another takes over its variable, and forward lines only the loss needs (not the
        gradient) are left out, but for the checks that refuse what the eager op refuses (a square, ``x ** 2``,
        becomes the test of the square alone): fewer lines than ``source``, the same floats."""
        if len(self.wrt) != 1 or self._single:
            raise ValueError(
                f"{self.name}.sgd: f must take the weights and the data as separate lists (f(w, x, y)) and be "
                f"compiled with wrt=<the index of the weights>; got wrt={self.wrt!r}"
            )
        if self._trace is None:
            raise RuntimeError("sgd_source: the trace is gone")
        return _sgd_source(self._trace, self.name, self._names, self.wrt[0])

    def sgd(self, weights: Sequence[float], *data: Sequence[Sequence[float]], lr: float,
            order: Sequence[int]) -> list[float]:
        """Plain SGD through the compiled code, one sample a step: for i in ``order``, w <- w - lr dL/dw at
        (w, data[0][i], data[1][i], ...): the data lists are the other inputs of f, in order, one row per sample.
        Returns the new weights (the given list is not changed). The loop itself is generated (``sgd_source``):
        every weight stays in a local variable across steps.

        >>> def loss(w, x, y):
        ...     return (w[0] * x[0] + w[1] - y[0]) ** 2
        >>> fit = compile(loss, ([0.0, 0.0], [1.0], [2.0]), wrt=0)
        >>> w = fit.sgd([0.0, 0.0], [[0.0], [1.0]], [[1.0], [3.0]], lr=0.1, order=[0, 1] * 200)
        >>> [round(v, 6) for v in w]                                    # y = 2x + 1
        [2.0, 1.0]
        """
        if self._sgd is None:
            namespace = dict(_NAMESPACE)
            exec(builtins.compile(self.sgd_source, f"<autograd.compile sgd_{self.name}>", "exec"), namespace)
            self._sgd = namespace.pop(f"sgd_{self.name}")        # (no cycle through its globals, as above)
        if len(data) != len(self.sizes) - 1:
            raise ValueError(f"{self.name}.sgd: give the weights and {len(self.sizes) - 1} data lists, got "
                             f"{len(data)} data lists")
        if not data:                                            # (order would be refused as "from 0 to -1")
            raise ValueError(f"{self.name}.sgd: f takes the weights alone, with no data list, so there are no "
                             "samples for order to step through; compile f(w, x, ...) with the data as its other "
                             f"input lists, or call {self.name}(w) in a loop of your own (w -= lr * gradient)")
        # Python floats, as Values hold them: float32 weights, rows or lr would make numpy run the loop in float32
        args = []
        for k, rows in enumerate(data):
            where = f"{self.name}.sgd: a row of data list {k}"
            args.append([reals(row, where) for row in (rows.tolist() if hasattr(rows, "tolist") else rows)])
        n = len(args[0]) if args else 0
        if any(len(rows) != n for rows in args):               # zip() would stop at the shortest, silently
            raise ValueError(f"{self.name}.sgd: the data lists hold {[len(rows) for rows in args]} rows; give each "
                             "the same number of rows, one per sample")
        self._check_widths(args)
        weights = reals(weights, f"{self.name}.sgd: weights")
        if len(weights) != self.sizes[self.wrt[0]]:
            raise ValueError(f"{self.name}.sgd: {len(weights)} weights given; f was compiled for "
                             f"{self.sizes[self.wrt[0]]} (input list {self.wrt[0]} of the example)")
        args.insert(self.wrt[0], weights)
        lr = real(lr, f"{self.name}.sgd", "lr")
        if not 0.0 < lr < math.inf:                             # lr <= 0 climbs the loss, NaN poisons the weights
            raise ValueError(f"{self.name}.sgd: the learning rate must be positive and finite, got lr={lr!r}")
        return self._sgd(*args, lr, _sample_order(order, n, f"{self.name}.sgd"))

    def _check_widths(self, data: list) -> None:
        """Each row of each data list as wide as the example's list: the loop joins a sample's rows into one
        tuple before it unpacks them, so a row of x one too long beside a row of y one too short was read as x's
        and y's numbers silently (and a wrong width alone failed with Python's bare "too many values to unpack")."""
        widths = [n for k, n in enumerate(self.sizes) if k != self.wrt[0]]
        for k, (rows, width) in enumerate(zip(data, widths)):
            if any(len(row) != width for row in rows):
                i, row = next((i, row) for i, row in enumerate(rows) if len(row) != width)
                raise ValueError(f"{self.name}.sgd: row {i} of data list {k} holds {len(row)} numbers; f was "
                                 f"compiled for rows of {width} there (the example's input list "
                                 f"{k + (k >= self.wrt[0])})")

    def _verify(self, trace: _Trace, lists: list) -> None:
        """The generated code at the example must give the trace's value and the engine's gradient, bitwise."""
        value, grad, *aux = self.function(*lists)
        if aux and not all(_same(a, b.data) for a, b in zip(aux[0], trace.aux)):
            raise CompileError(f"compile: the generated code of {self.name} does not reproduce the aux Values of "
                               "the trace at the example; an op recorded something compile does not read")
        grads: dict = {trace.root: 1.0}
        for node in reversed(trace.order):                               # Value.backward's sweep, on a dict
            g = grads.get(node)
            if g is None or node._p0 is None:
                continue
            for parent, partial in zip(node.parents, node.partials):
                grads[parent] = grads.get(parent, 0.0) + partial * g
        expected = [[grads.get(x, 0.0) for x in trace.inputs[k]] for k in self.wrt]
        got = [grad] if self._single else list(grad)
        if not _same(value, trace.root.data) or not all(_same(a, b) for e, o in zip(expected, got)
                                                          for a, b in zip(e, o)):
            raise CompileError(
                f"compile: the generated code of {self.name} does not reproduce the eager engine at the example "
                f"(value {value!r} against {trace.root.data!r}); a node's partials were set by hand, or an op "
                "recorded something compile does not read"
            )

    def __call__(self, *lists: Any, seed: float = 1.0, grad: Any = None) -> tuple:
        """(value, gradient) at new inputs, or (value, gradient, aux) with has_aux; see the class docstring."""
        where = self._where if len(lists) == len(self._where) else [f"{self.name}: input list {k}"
                                                                    for k in range(len(lists))]
        try:
            lists = tuple(reals(xs, w) for xs, w in zip(lists, where))  # (the labels made once: this runs each call)
        except TypeError:
            numbers_given = [xs for xs in lists if isinstance(xs, numbers.Number)]
            if numbers_given:                                           # fast(0.5, 1.0) for fast([0.5, 1.0])
                raise TypeError(f"{self.name}: give the inputs as {self._shape()}, as the example was given; got "
                                f"the number {numbers_given[0]!r} where a list goes") from None
            raise
        if len(lists) != len(self.sizes) or any(len(xs) != n for xs, n in zip(lists, self.sizes)):
            raise ValueError(f"{self.name}: compiled for input lists of sizes {self.sizes}, got sizes "
                             f"{[len(xs) for xs in lists]}; give {self._shape()}, or compile f again at an example "
                             "of the new sizes")
        if self.check:
            self.check_graph(*lists)
        if type(seed) is not float:                     # as backward(seed): a np.float32 would make float32 gradients
            seed = real(seed, self.name, "the seed")
        if grad is None:
            return self.function(*lists, seed)
        if self._single:                                # the leaves' gradients, read as floats as .grad holds them
            grad = reals(grad, f"{self.name}: grad")
        else:
            grad = tuple(reals(g, f"{self.name}: grad[{k}]") for k, g in enumerate(grad))
        self._check_grad_sizes(grad)
        return self.function(*lists, seed, grad)

    def _shape(self) -> str:
        """The inputs a call takes, in words: "1 list of 2 numbers", "2 lists of 1 and 3 numbers"."""
        sizes = self.sizes
        if len(sizes) == 1:
            return f"1 list of {sizes[0]} number{'' if sizes[0] == 1 else 's'}"
        return f"{len(sizes)} lists of {', '.join(map(str, sizes[:-1]))} and {sizes[-1]} numbers"

    def _check_grad_sizes(self, grad: Any) -> None:
        """``grad`` shaped as the gradient a call returns; else a ValueError giving both shapes (the code's own
        unpacking said only "not enough values to unpack (expected 2, got 1)")."""
        sizes = [self.sizes[k] for k in self.wrt] or ([0] if self._single else [])   # (wrt=(): the gradient [])
        got = [len(grad)] if self._single else [len(g) for g in grad]
        if got != sizes:
            shape = f"{sizes[0]} numbers" if self._single else (
                f"{len(sizes)} list(s) of sizes {sizes}, one per input list of wrt={self.wrt!r}")
            raise ValueError(f"{self.name}: grad must be shaped as the gradient it is added to, {shape}; got sizes "
                             f"{got}. Pass a gradient a call returned, or zeros of that shape")

    def check_graph(self, *lists: Any) -> None:
        """Trace f again at these inputs; raise GraphChanged if its graph differs from the compiled one.

        >>> c = compile(lambda x: x[0] * 2.0 if x[0].data > 0 else -x[0], [1.0])
        >>> c.check_graph([5.0])                       # the same branch: the same graph
        """
        floats = [[float(x) for x in xs] for xs in lists]
        trace = _Trace(self._f, floats, self._single, self._names, self.wrt, self.has_aux, self.max_nodes)
        if trace.key == self._key:
            if trace.returned == self._returned:
                return
            then, now = _returned(self._trace)[0] if self._trace else "?", _returned(trace)[0]
            raise GraphChanged(
                f"{self.name}: at these inputs f returns another Value than the compiled one: compiled `return "
                f"{then}`, now `return {now}`. f's Python control flow (or a number it reads from .data) depends on "
                "the inputs, which a trace cannot follow: compile f again for these inputs, or choose with Value "
                "ops that the code evaluates at run time"
            )
        k = next((k for k, (a, b) in enumerate(zip(trace.key, self._key)) if a != b),
                 min(len(trace.key), len(self._key)))
        now = trace.forward[k][1] if k < len(trace.forward) else "(no node)"
        then = self._lines[k] if k < len(self._lines) else "(no node)"
        raise GraphChanged(
            f"{self.name}: the graph traced at these inputs differs from the compiled one at node {k}: compiled "
            f"`{then}`, now `{now}` ({len(self._key)} nodes then, {len(trace.key)} now). f's Python control flow "
            "(or a number it reads from .data) depends on the inputs, which a trace cannot follow: compile f "
            "again for these inputs, or write the branch with Value ops (relu, abs) that the code evaluates at "
            "run time"
        )

    def __repr__(self) -> str:
        return f"<compiled {self.name}: {len(self._key)} nodes, inputs of sizes {self.sizes}>"


def _same(a: float, b: float) -> bool:
    return a == b or (a != a and b != b)


def compile(f: Callable[..., Any], example: Any, *, wrt: int | Sequence[int] | None = None,
            check: bool = False, has_aux: bool = False, max_nodes: int = MAX_NODES) -> Compiled:
    """Trace ``f`` on Values made from ``example`` and generate straight-line Python for its value and gradient.

    ``example`` is a list of numbers (``f`` then takes one list of Values) or a tuple of such lists (``f`` takes
    one list per item). ``f`` returns one Value. The result is called with new numbers in the same shape and
    returns ``(value, gradient)`` as floats (see ``Compiled``); ``.source`` is the code. ``wrt`` picks the input
    lists to differentiate towards (by index; default all). ``check=True`` re-traces ``f`` on every call and
    raises ``GraphChanged`` if the graph differs (Python branches on the data). An op compile cannot read raises
    ``CompileError`` naming it. ``has_aux=True`` (as JAX's): ``f`` returns ``(loss, [Values])``, and the compiled
    function returns ``(value, gradient, aux)``, aux the floats of those Values (not differentiated).

    A graph of more than ``max_nodes`` nodes (default 25,000; a weighted_sum counts once per term) is refused
    with a ValueError before any code is written: Python's compile() of the code takes time and memory in
    proportion to the graph (about 1.5 s and 150 MB per 10,000 nodes; minutes and gigabytes for a million).
    Compile one sample's loss rather than a batch's, use the eager engine, or pass a larger ``max_nodes``.

    >>> def neuron(w, x):
    ...     return (w[0] * x[0] + w[1] * x[1]).relu()
    >>> step = compile(neuron, ([0.5, -0.5], [1.0, 2.0]), wrt=0)
    >>> step([0.5, -0.5], [1.0, 2.0])          # relu is off here: zero gradient
    (0.0, ([0.0, 0.0],))
    >>> step([0.5, 0.5], [1.0, 2.0])           # and on here: the kink is evaluated at run time
    (1.5, ([1.0, 2.0],))
    >>> def loss(w, x):                          # the loss, and the output it came from
    ...     a = (w[0] * x[0]).sigmoid()
    ...     return (a - x[1]) ** 2, [a]
    >>> value, grad, (a,) = compile(loss, ([0.0], [1.0, 1.0]), wrt=0, has_aux=True)([0.0], [2.0, 1.0])
    >>> value, a
    (0.25, 0.5)
    """
    return Compiled(f, example, wrt, check, has_aux, max_nodes)
