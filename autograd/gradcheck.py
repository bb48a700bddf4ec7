"""Numerical gradients by central differences, and ``gradcheck`` comparing them with ``backward()``.

Central differences: df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), with an error of order eps^2.
Works on Values (one number each) and Tensors (every element, or one random direction per input in fast mode).
"""

from __future__ import annotations

import contextlib
import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .graph import no_grad, recording, topological_order


class GradcheckError(AssertionError):
    """Raised by ``gradcheck`` when analytic and numerical gradients disagree; the message holds the table."""


def _is_tensor(x: Any) -> bool:
    return isinstance(getattr(x, "data", None), np.ndarray)


def _name(x: Any, k: int) -> str:
    return getattr(x, "label", "") or getattr(x, "name", "") or f"inputs[{k}]"


def _names(inputs: Sequence[Any]) -> list[str]:
    """Each input's name in the tables, told apart by its position where two share one: two Tensors both named
    "weight" gave rows no reader could place, and a kink at one hid the other's wrong entries at the same index
    (the rows at a kink are told by name and index)."""
    names = [_name(x, k) for k, x in enumerate(inputs)]
    return [f"{name} (inputs[{k}])" if names.count(name) > 1 else name for k, name in enumerate(names)]


# What gradcheck seeds backward() with where f returns one number (see gradcheck): not 1, and a power of two.
_SEED = -2.0


def _refused(message: str) -> ValueError:
    """What f returned cannot be differentiated (its shape, its dtype): a fault of f wherever it is evaluated, so
    raised as it is at a stepped point too (``_at_step`` tells again the errors of the step, not these). A plain
    ValueError marked by an attribute: a private subclass showed in the user's traceback as ``_Refused``."""
    error = ValueError(message)
    error.refused_output = True  # type: ignore[attr-defined]
    return error


def _refused_output(error: BaseException) -> bool:
    """Whether ``error`` is ``_refused``'s: what f returned cannot be differentiated."""
    return getattr(error, "refused_output", False)


def _scalar(out: Any, weights: Any, who: str = "numerical_grad") -> float:
    """f's output as one float; a Tensor output is projected on fixed ``weights`` (an array of its shape), a
    Value's number multiplied by ``weights`` (a float). A numpy result is its own number: numpy's scalars and
    arrays have a ``.data`` too (a memoryview of their bytes), and np.float64(5.0) was refused as no number.
    ``who`` names the caller in every refusal: gradcheck's weights are not the user's grad_output but f's own
    first result's shape, so there a mismatch is f changing its shape between calls."""
    data = out.data if hasattr(out, "backward") else out
    _check_output_float64(data, who)
    _check_not_whole(data, who)
    if isinstance(data, np.ndarray):
        if weights is not None:
            if np.shape(weights) != data.shape:
                raise _refused(_shape_mismatch(who, np.shape(weights), data.shape))
            return float(np.sum(data * weights))
        if data.size != 1:
            raise _refused(
                f"{who}: f returned shape {data.shape}; it must return a scalar, "
                "or pass grad_output= of that shape to differentiate sum(f(x) * grad_output)"
            )
        return float(data.reshape(()))
    if weights is not None and np.size(weights) != 1:
        raise _refused(_shape_mismatch(who, np.shape(weights), f"one number (a {type(out).__name__})"))
    try:
        return float(data) if weights is None else float(data) * float(weights)
    except (TypeError, ValueError):
        raise TypeError(
            f"{who}: f returned a {type(out).__name__}; it must return a number, a Value or a Tensor"
        ) from None


def _shape_mismatch(who: str, expected: tuple, got: Any) -> str:
    """The refusal of a result whose shape is not the weights': the user's grad_output for numerical_grad; for
    gradcheck and gradgradcheck the shape f returned at its first call, which it has since changed."""
    got = f"shape {got}" if isinstance(got, tuple) else got
    if who == "numerical_grad":
        return f"numerical_grad: grad_output has shape {expected} but f returned {got}; they must be equal"
    return (f"{who}: f returned {got} at one call and shape {expected} at its first, at the same or nearby "
            "inputs; the differences need one shape at every call (a result whose shape depends on the inputs' "
            "values, or on state kept between calls, cannot be checked)")


def _check_not_whole(data: Any, who: str) -> None:
    """f's result is not a bool or a whole number: those are constant or change in jumps, so a difference is 0 or
    a jump over 2 eps (numerical_grad gave 500000 for f = x > 0.3 at x = 0.3, as if a slope)."""
    kind = getattr(data, "dtype", None)
    if isinstance(data, (bool, int)) or (kind is not None and kind.kind in "biu"):
        raise _refused(f"{who}: f returned {type(data).__name__} {data!r:.40}; a bool or a whole number is "
                       "constant or changes in jumps, so its differences are 0 or a jump over 2 eps, never a "
                       "slope: return the float f computes (not int(), round() or a comparison); a constant f "
                       "has the gradient 0")


def _check_output_float64(data: Any, who: str) -> None:
    """f computed its result in float64: float32 resolves about 1e-7 relative, so a difference of two values of
    f 2e-6 apart is mostly rounding (sum(t * t) cast to float32 at t = [1, 2] gave the slopes 1.907 and 3.815 for
    2 and 4, returned by numerical_grad as they were)."""
    dtype = getattr(data, "dtype", None)
    if dtype is not None and dtype.kind in "fc" and dtype != np.float64:
        raise _refused(f"{who}: f returned a result of dtype {dtype}; central differences with eps "
                       "~1e-6 need f computed in float64 (a float32 result resolves about 1e-7 of itself, so its "
                       "differences measure rounding): remove the .astype(np.float32) or the float32 constant "
                       "inside f")


def _evaluate(f: Callable, inputs: Sequence[Any], weights: np.ndarray | None, who: str = "numerical_grad") -> float:
    with no_grad():
        return _scalar(f(*inputs), weights, who)


def numerical_grad(
    f: Callable, inputs: Sequence[Any], eps: float = 1e-6, grad_output: np.ndarray | None = None,
    *, scheme: str = "central"
) -> list:
    """Central-difference gradient of ``f(*inputs)`` towards each input: a float per Value, an array per Tensor.

    ``scheme="forward"`` takes the MIPT lecture's one-sided difference (f(x + eps e_i) - f(x)) / eps instead: one
    evaluation per entry (and one at x) against central differences' two, with an error of order eps instead
    of eps^2. Both divide by the step the floats took, (x + eps) - x, where it is not eps to 10 digits, and
    where the difference of two values of f overflows though the slope fits (1.5e308 x with eps = 1) they
    difference the values' halves. ``f`` may return a Value, a Tensor, or a plain number (a Python or numpy float,
    or a numpy array, read as a Tensor's array would be; not a bool or a whole number, constant or changing in
    jumps). An error of f at a stepped point (sqrt at 1e-7 - eps) is raised again, of its type and with its
    message, followed by the step that led there (all three checks).

    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> round(numerical_grad(lambda v: v * v, [x])[0], 6)        # d(x^2)/dx = 2x
    6.0
    >>> round(numerical_grad(lambda v: v * v, [x], eps=1e-3, scheme="forward")[0], 6)   # 2x + eps
    6.001
    """
    _check_list(inputs, "numerical_grad")
    _check_callable(f, "numerical_grad")
    _check_apart(inputs, "numerical_grad")
    (eps,) = _check_numbers("numerical_grad", eps=eps)
    _check_step(inputs, eps, "numerical_grad")
    if scheme not in ("central", "forward"):
        raise ValueError(f"numerical_grad: scheme must be 'central' ((f(x + eps) - f(x - eps)) / (2 eps)) or "
                         f"'forward' ((f(x + eps) - f(x)) / eps), got {scheme!r}")
    if grad_output is not None:
        grad_output = _as_weights(grad_output)
    kept = _snapshot(inputs)     # checked after the differences, which then cost no call of f beyond their own
    try:
        if scheme == "forward":
            grads = _forward_differences(f, inputs, eps, grad_output)
        else:
            grads = [_slope(up, down, s_up + s_down)
                     for up, down, s_up, s_down in _sides(f, inputs, eps, grad_output, "numerical_grad")]
    except ValueError as error:
        if _input_changed(error):
            _restore(inputs, kept)
        raise
    _check_unchanged(inputs, kept, "numerical_grad")
    return grads


def _forward_differences(f: Callable, inputs: Sequence[Any], eps: float, w: Any) -> list:
    """(f(x + eps e_i) - f(x)) / eps for every entry i of every input: f once at x, then once per entry."""
    base = _evaluate(f, inputs, w)                                # f(x), shared by every entry
    grads: list = []
    for k, x in enumerate(inputs):
        if _is_tensor(x):
            _check_float64(x, k, "numerical_grad")
            g = np.zeros(x.data.shape, dtype=np.float64)
            for idx in np.ndindex(x.data.shape):
                # divided by the step the floats took, as the central differences are (see _taken)
                g[idx] = _slope(_shifted(f, inputs, k, idx, eps, w), base, _taken(x, idx, eps))   # one pass each
            grads.append(g)
        elif hasattr(x, "backward"):
            _check_float64(x, k, "numerical_grad")
            grads.append(_slope(_shifted(f, inputs, k, None, eps, w), base, _taken(x, None, eps)))
        else:
            raise TypeError(f"numerical_grad: inputs[{k}] is a {type(x).__name__}; pass Values or Tensors")
    return grads


def _as_weights(w: Any) -> np.ndarray:
    w = np.asarray(getattr(w, "data", w))
    if w.dtype.kind not in "biuf":
        raise TypeError(f"numerical_grad: grad_output must be a real array, got dtype {w.dtype}")
    w = w.astype(np.float64)
    if not np.all(np.isfinite(w)):     # NaN made every gradient entry NaN, whatever f's slope
        raise ValueError(f"numerical_grad: grad_output holds NaN or inf ({w.ravel()[~np.isfinite(w.ravel())][0]}); "
                         "give finite weights")
    return w


def _shifted(f: Callable, inputs: Sequence[Any], k: int, idx: Any, delta: Any, w: Any,
             who: str = "numerical_grad") -> float:
    """f (weighted by w) with input k moved by ``delta``: see ``_moved``."""
    return _moved(lambda: _evaluate(f, inputs, w, who), inputs, k, idx, delta, who)


def _moved(evaluate: Callable[[], Any], inputs: Sequence[Any], k: int, idx: Any, delta: Any, who: str) -> Any:
    """``evaluate()`` with input k moved by ``delta``: one entry ``idx`` of a Tensor (or all of it for idx None),
    or a Value. The input is put back afterwards; an f that moved it itself is refused (``_changed``)."""
    x = inputs[k]
    if not _is_tensor(x):
        kept = x.data
        try:
            x.data = kept + delta
            value = _at_step(evaluate, x, k, idx, kept, delta, who)
            moved = x.data != kept + delta
        finally:
            x.data = kept
    else:
        data = x.data
        if idx is None:
            kept = data.copy()
            try:
                data[...] = kept + delta
                value = _at_step(evaluate, x, k, idx, kept, delta, who)
                moved = x.data is not data or not np.array_equal(data, kept + delta)
            finally:
                x.data = data
                data[...] = kept
        else:
            kept = data[idx]
            try:  # put the input back even when f fails at a perturbed point
                data[idx] = kept + delta
                value = _at_step(evaluate, x, k, idx, kept, delta, who)
                moved = x.data is not data or data[idx] != kept + delta
            finally:
                x.data = data
                data[idx] = kept
    if moved:
        raise _changed(x, k, who)
    return value


# The errors of f at a stepped point that are told again with the step (one message argument, as these take)
_RETOLD = (ValueError, ZeroDivisionError, FloatingPointError, OverflowError)


def _at_step(evaluate: Callable[[], Any], x: Any, k: int, idx: Any, kept: Any, delta: Any, who: str) -> Any:
    """``evaluate()`` with input k already moved by ``delta``. An op's error there names a point the caller never
    gave: sqrt at 1e-7 said "sqrt needs entries >= 0, got minimum -9e-07" from inside gradcheck; it is raised
    again (same type, same message first) with the step that led there."""
    try:
        return evaluate()
    except _RETOLD as error:
        if type(error) not in _RETOLD or _refused_output(error) or _input_changed(error):
            raise                        # a subclass, what f returned, or an input f changed: not about the step
        if np.ndim(delta):
            step = f"moved {_name(x, k)} by eps along a random direction (fast_mode)"
        else:
            where = f"{_name(x, k)}[{idx}]" if idx is not None else _name(x, k)
            step = f"moved {where} from {float(kept)!r} to {float(kept + delta)!r} (a step of {float(delta):+g})"
        raise type(error)(f"{error}\n({who} had {step} to take its differences: f is defined at the given point but "
                          "not that close to it. Check farther from the edge of f's domain, or with an eps below "
                          "the distance to it.)") from error


def _sides(f: Callable, inputs: Sequence[Any], eps: float, w: Any, who: str) -> list:
    """(f(x + eps e_i), f(x - eps e_i), s_up, s_down) for every entry i of every input, where s_up and s_down are
    the steps the floats took (``_taken``): arrays per Tensor, floats per Value."""
    sides: list = []
    for k, x in enumerate(inputs):
        if _is_tensor(x):
            _check_float64(x, k, who)
            up, down, s_up, s_down = (np.zeros(x.data.shape, dtype=np.float64) for _ in range(4))
            for idx in np.ndindex(x.data.shape):
                up[idx] = _shifted(f, inputs, k, idx, eps, w, who)
                down[idx] = _shifted(f, inputs, k, idx, -eps, w, who)
                s_up[idx], s_down[idx] = _taken(x, idx, eps), -_taken(x, idx, -eps)
            sides.append((up, down, s_up, s_down))
        elif hasattr(x, "backward"):
            _check_float64(x, k, who)
            sides.append((_shifted(f, inputs, k, None, eps, w, who), _shifted(f, inputs, k, None, -eps, w, who),
                          _taken(x, None, eps), -_taken(x, None, -eps)))
        else:
            raise TypeError(f"{who}: inputs[{k}] is a {type(x).__name__}; pass Values or Tensors")
    return sides


def _taken(x: Any, idx: Any, delta: Any) -> Any:
    """(x + delta) - x as the floats compute it: the step ``_shifted`` really takes (exact, as the two are close).
    It is delta only to rounding: at x = 3e7 + 0.5, where floats are 3.7e-9 apart, x + 1e-6 lands 0.9984e-6
    away, and a difference divided by 2e-6 instead made a right slope of 1 read 0.9984 (and fail at rtol 1e-3)."""
    data = x.data if idx is None else x.data[idx]
    taken = (data + delta) - data
    # delta itself where the two agree to 1e-10, which no tolerance can see: there the differences stay the
    # lecture's (f(x + eps) - f(x - eps)) / (2 eps) to the last bit, and a student can redo them by hand
    if np.ndim(taken):
        return np.where(np.abs(taken - delta) <= 1e-10 * np.abs(delta), delta, taken)
    return float(delta) if abs(taken - delta) <= 1e-10 * abs(delta) else float(taken)


def _slope(hi: Any, lo: Any, step: Any) -> Any:
    """(hi - lo) / step, floats or arrays alike, also where hi - lo overflows though the slope fits: f(1) = 1.5e308
    and f(-1) = -1.5e308 differ by 3e308, beyond the largest float, so the slope 1.5e308 of f = 1.5e308 x read inf
    (and a right gradient failed, blamed on f overflowing). There both halves are taken first, which is exact;
    an f that did overflow (hi or lo inf) keeps its non-finite difference, which passes no analytic gradient."""
    if isinstance(hi, float) and isinstance(lo, float):      # floats: Python's arithmetic, as before
        diff = hi - lo
        if not (math.isinf(diff) and math.isfinite(hi) and math.isfinite(lo)):
            return diff / step
        return (hi * 0.5 - lo * 0.5) / (step * 0.5)
    with np.errstate(over="ignore", invalid="ignore"):
        diff = np.subtract(hi, lo)
        lost = np.isinf(diff) & np.isfinite(hi) & np.isfinite(lo)
        slope = diff / step
        if np.any(lost):
            slope = np.where(lost, (np.multiply(hi, 0.5) - np.multiply(lo, 0.5)) / np.multiply(step, 0.5), slope)
    return slope


def _check_step(inputs: Sequence[Any], eps: float, who: str) -> None:
    """Every entry is finite, and the step survives rounding there: (x + eps) - x is eps within 1%. Floats near x are
    about 2.2e-16 |x| apart, so eps = 1e-20 at x = 1 (or 1e-6 at x = 1e12) is no step at all: every difference
    would be f(x) - f(x) = 0, and a cut graph (analytic 0) would pass whatever the true gradient."""
    for k, x in enumerate(inputs):
        data = np.asarray(x.data, dtype=np.float64)
        finite = np.isfinite(data)
        if not finite.all():
            # a step from inf or NaN is no step: inf + eps is inf, and f's values there differ by inf - inf = NaN
            # (gradcheck reported every entry, finite ones too, as a wrong gradient; a NaN entry read as changed)
            idx = tuple(int(i) for i in np.argwhere(~finite)[0])
            where = f"{_name(x, k)}[{idx}]" if _is_tensor(x) else _name(x, k)
            raise ValueError(f"{who}: {where} is {float(data[idx])!r}; central differences step around each entry, "
                             "which needs finite numbers (inf + eps is inf, and NaN is no point); check at finite "
                             "inputs")
        with np.errstate(over="ignore", invalid="ignore"):
            taken = np.minimum((data + eps) - data, data - (data - eps))
        lost = ~(np.abs(taken - eps) <= 0.01 * eps)
        if np.any(lost):
            idx = tuple(int(i) for i in np.argwhere(lost)[0])
            where = f"{_name(x, k)}[{idx}]" if _is_tensor(x) else _name(x, k)
            value = float(data[idx])
            raise ValueError(
                f"{who}: eps={eps:g} is lost in rounding at {where} = {value!r}: the step taken is "
                f"{float(taken[idx]):g}, as floats there are {float(np.spacing(abs(value))):g} apart, so the "
                f"differences would not measure the slope; use an eps of about 1e-6 * max(1, |x|) "
                f"({1e-6 * max(1.0, float(np.max(np.abs(data[np.isfinite(data)])))):g} here)")


def _snapshot(inputs: Sequence[Any]) -> list:
    """Each input's data object and a copy of its numbers, for ``_check_unchanged``."""
    return [(x.data, x.data.copy() if _is_tensor(x) else x.data) for x in inputs]


def _check_unchanged(inputs: Sequence[Any], kept: list, who: str) -> None:
    """f left its inputs as they were (see ``_changed``); an input it changed is given back first."""
    for k, (x, (obj, copy)) in enumerate(zip(inputs, kept)):
        now = x.data
        if isinstance(copy, np.ndarray):
            same = now is obj and np.array_equal(obj, copy, equal_nan=True)
        else:
            same = now == copy or (now != now and copy != copy)   # NaN is itself
        if not same:
            _restore(inputs, kept)                            # the caller's inputs, given back
            raise _changed(x, k, who)


def _restore(inputs: Sequence[Any], kept: list) -> None:
    for x, (obj, copy) in zip(inputs, kept):
        x.data = obj
        if isinstance(copy, np.ndarray):
            obj[...] = copy
        else:
            x.data = copy


def _changed(x: Any, k: int, who: str) -> ValueError:
    """The differences step around the given point one entry at a time and put each entry back; an f that
    changes an input itself (t.data *= 2, t.data[0] = 5) moves the point, so the gradients were compared at
    another point (or the steps undone: numerical_grad returned 0 for a Value f set to 2.0). A ValueError marked
    ``input_changed`` (``_input_changed``), caught where a snapshot of the inputs can give them back: a private
    subclass showed in the user's traceback by its name."""
    error = ValueError(f"{who}: f changed {_name(x, k)} in place (its .data), so the differences would not be "
                       "taken around the given point; compute on a copy instead (t * 2 rather than t.data *= 2, "
                       "or t.data.copy())")
    error.input_changed = True  # type: ignore[attr-defined]
    return error


def _input_changed(error: BaseException) -> bool:
    """Whether ``error`` is ``_changed``'s: f changed an input."""
    return getattr(error, "input_changed", False)


def _check_fresh(first: Any, again: Any, inputs: Sequence[Any], who: str) -> None:
    """f built its result anew on each call: one node returned twice is a graph built before the call (or kept
    in a cache), which the steps of the inputs cannot move; every difference would be 0. An input returned as it
    is (the identity, lambda a, b: b) moves with its steps: it was refused as a graph built before the call."""
    if again is first and not any(first is x for x in inputs):
        raise ValueError(
            f"{who}: f returned the same node on two calls ({type(first).__name__}, a graph built before {who} "
            "called f, or kept in a cache), so the steps of the inputs would not move it and every numeric "
            f"gradient would be 0; compute the result inside f from its arguments: {who}(lambda x: x * x, [x]), "
            f"not y = x * x; {who}(lambda x: y, [x])")


def _same_number(first: float, again: float) -> bool:
    """Two values of f at the same inputs agree: equal, within 1e-13 of each other (a sum in another order), or
    both NaN."""
    return (first == again or abs(first - again) <= 1e-13 * max(abs(first), abs(again))
            or (math.isnan(first) and math.isnan(again)))


def _check_deterministic(first: float, again: float, who: str) -> None:
    """f gave the same number twice at the same inputs: a random draw inside f would be measured as a slope."""
    if not _same_number(first, again):
        raise ValueError(f"{who}: f gave {first!r} and {again!r} at the same inputs, so the differences would "
                         "measure its random numbers, not its slope; fix them (a generator seeded inside f, "
                         "or the state saved before and restored at f's start, random.setstate(state), as "
                         "CS224n's gradcheck_naive does; dropout in eval mode)")


def _check_still_the_same(f: Callable, inputs: Sequence[Any], centre: float, weights: Any, who: str) -> None:
    """f gives at the inputs, after the differences, the number it gave before them. Looked at where a check is
    about to fail: a dropout mask drawn inside f agreed with itself at the first two calls half the time for one
    entry, and an f that kept a counter changed after its third call; the table then blamed backward() (or a cut
    graph) for f's random numbers or state. Three more calls: a mask of one entry hides from them 1 time in 8."""
    kept = _snapshot(inputs)
    for _ in range(3):
        now = _evaluate(f, inputs, weights, who)
        _check_unchanged(inputs, kept, who)
        if not _same_number(centre, now):
            raise ValueError(f"{who}: f gave {centre!r} at the inputs before the differences and {now!r} after "
                             "them: it draws random numbers or keeps state between calls (a counter, a cache, "
                             "running statistics), so the differences and backward() measured different "
                             "functions, and a table would blame the gradient; fix the random numbers (a "
                             "generator seeded inside f, dropout in eval mode) or the state")


def _low_precision(f: Callable, inputs: Sequence[Any]) -> str:
    """Where f's graph computes in a float narrower than float64 (x.astype(np.float32) inside f, cast back
    before its result): the name of the first such op, its dtype and shape, else "". Its rounding, about 1e-7 of
    the values, divided by 2 eps makes the differences off by about 5%: a right gradient of (x32)^2 failed,
    blamed on backward(). Only ops count: a float32 constant holds exact numbers."""
    with recording():
        out = f(*inputs)
    if not hasattr(out, "backward"):
        return ""
    for node in topological_order(out):
        dtype = getattr(getattr(node, "data", None), "dtype", None)
        if node.parents and dtype is not None and dtype.kind == "f" and dtype.itemsize < 8:
            return (f"f computes in {dtype} inside (its op {getattr(node, 'op', '?')!r}, shape "
                    f"{tuple(np.shape(node.data))}), though its result is float64: {dtype}'s rounding, about "
                    f"{float(np.finfo(dtype).eps):.2g} of each value, divided by 2 eps moves the differences by "
                    "far more than the allowance, so they cannot check backward() here; compute f in float64 "
                    "(remove the .astype or the float32 constant).")
    return ""


def _check_entries(inputs: Sequence[Any], who: str) -> None:
    """At least one entry to check: with none there is no row to fail, and all([]) is True."""
    if not any(x.data.size if _is_tensor(x) else 1 for x in inputs):
        raise ValueError(f"{who}: the inputs hold no entry to check (shapes "
                         f"{[tuple(np.shape(x.data)) for x in inputs]}), so it would return True whatever "
                         "backward() gives; give at least one Value or a Tensor with entries")


def _check_grad_outputs(given: Any, shape: tuple) -> np.ndarray:
    """gradgradcheck's grad_outputs as a float64 array of f's shape: real (a cast kept complex numbers' real part),
    finite (NaN made every entry NaN) and not all 0 (every second derivative would be 0 = 0, and pass)."""
    who = "gradgradcheck: grad_outputs"
    w = np.asarray(getattr(given, "data", given))
    if w.dtype.kind not in "biuf":
        raise TypeError(f"{who} must be real numbers of f's shape {shape}, got {type(given).__name__} of dtype "
                        f"{w.dtype}")
    if w.shape != shape:
        raise ValueError(f"{who} has shape {w.shape} but f returns shape {shape}")
    w = w.astype(np.float64)
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{who} holds NaN or inf ({w.ravel()[~np.isfinite(w.ravel())][0]}); give finite weights, "
                         "or None for random ones")
    if not np.any(w):
        raise ValueError(f"{who} is all 0, so every second derivative would be 0 against 0 and pass; give weights "
                         "that are not all 0, or None for random ones")
    return w


def _rng(seed: Any, who: str) -> np.random.Generator:
    """The generator of the random weights and directions; numpy's own refusal named neither the check nor seed."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"{who}: seed must be a whole number >= 0 (it fixes the random weights and directions), "
                        f"got {type(seed).__name__} {seed!r}")
    return np.random.default_rng(int(seed))


def _check_callable(f: Any, who: str) -> None:
    if not callable(f):
        raise TypeError(f"{who}: f must be a function of the inputs, got {type(f).__name__} {f!r:.40}; "
                        f"e.g. {who}(lambda x: (x * x).sum(), [x])")


def _check_numbers(who: str, **given: Any) -> tuple[float, ...]:
    """eps > 0, atol >= 0, rtol >= 0: finite real numbers (eps = 0 would divide by zero); returned as Python
    floats, in order. An np.float32 eps added to a Value's float made its data np.float32, and f then ran in float32."""
    floats = []
    for name, v in given.items():
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"{who}: {name} must be a float, got {type(v).__name__} {v!r}")
        v = float(v)
        if name == "eps" and not (0 < v < math.inf):
            raise ValueError(
                f"{who}: eps={v!r} must be a positive, finite step (about 1e-6 in float64): the differences "
                "divide by it"
            )
        if not 0 <= v < math.inf:    # an infinite allowance passes any gradient; NaN fails every comparison
            raise ValueError(f"{who}: {name}={v!r} must be a finite number >= 0 (a tolerance), e.g. atol=1e-5, "
                             "rtol=1e-3")
        floats.append(v)
    return tuple(floats)


def _directional(f: Callable, inputs: Sequence[Any], k: int, u: np.ndarray, eps: float, w: Any) -> tuple:
    """f(x_k + eps u) and f(x_k - eps u), input k only moved along direction u."""
    return _shifted(f, inputs, k, None, eps * u, w, "gradcheck"), _shifted(f, inputs, k, None, -eps * u, w, "gradcheck")


def _analytic(f: Callable, inputs: Sequence[Any], weights: np.ndarray | None, aliases: list | None = None) -> list:
    """Gradients from backward(), leaving the inputs' own .grad as they were; ``aliases`` (if given) gets the
    constants of f's graph that share an input's memory (``_aliases``)."""
    saved = [x.grad for x in inputs]
    for x in inputs:
        x.zero_grad()
    with recording():   # gradcheck called inside no_grad() failed with backward()'s "computed inside no_grad()"
        out = f(*inputs)
        if aliases is not None:
            aliases += _aliases(out, inputs)
        # a Tensor result that requires no grad is a constant (Tensor(t.data * 2), no_grad() inside f): its
        # gradient is 0, as a constant Value's is; backward() refused it, blaming inputs that did require grad
        if not (_is_tensor(out) and not getattr(out, "requires_grad", True)):
            shape = np.shape(getattr(out, "data", out))
            if weights is not None and np.shape(weights) != shape:   # backward() would blame gradcheck's seed
                raise ValueError(_shape_mismatch("gradcheck", np.shape(weights), shape))
            if weights is not None:
                out.backward(weights)
            else:
                out.backward()
    grads = []
    for x, old in zip(inputs, saved):
        g = x.grad
        grads.append(np.zeros(x.data.shape) if (_is_tensor(x) and g is None) else g)
        x.grad = old
    return grads


def _aliases(out: Any, inputs: Sequence[Any]) -> list[tuple[int, tuple]]:
    """(k, shape) for each constant of the graph of ``out`` (a node without parents, no input) that shares memory
    with Tensor input k: x.detach() shares x's array, so the steps of x move it too, while backward() holds it
    constant (an op's view of x, t[0:1], has x as its parent and is followed)."""
    arrays = [(k, x.data) for k, x in enumerate(inputs) if _is_tensor(x)]
    if not arrays:
        return []
    found = []
    for node in topological_order(out):
        if node.parents or any(node is x for x in inputs) or not _is_tensor(node):
            continue
        found += [(k, node.data.shape) for k, a in arrays
                  if np.may_share_memory(node.data, a) and _overlap(node.data, a)]
    return found


def _finite(value: float, analytic: list) -> bool:
    """Whether ``value`` and every gradient in ``analytic`` are finite numbers."""
    return bool(np.isfinite(value)) and all(np.isfinite(getattr(g, "data", g)).all() for g in analytic)


def _misshapen(inputs: Sequence[Any], analytic: list) -> str:
    """Why a Tensor input's gradient from backward() is not an array of its shape and dtype, or "" if it is. A vjp
    marked ``exact`` is taken as it returns its gradient: one of shape (2, 3) for an input of shape (3,) stopped the
    table with numpy's "only 0-dimensional arrays can be converted", and fast mode summed it against the direction
    by broadcasting (one of shape (1, 3) passed there)."""
    for k, (x, g) in enumerate(zip(inputs, analytic)):
        if not _is_tensor(x):
            continue
        g = g if isinstance(g, np.ndarray) else getattr(g, "data", g)     # an array, or a Tensor's array
        shape, dtype = np.shape(g), getattr(g, "dtype", type(g).__name__)
        if shape != x.data.shape or dtype != x.data.dtype:
            return (f"gradcheck: backward() gave {_name(x, k)} (shape {x.data.shape}, {x.data.dtype}) a gradient of "
                    f"shape {shape} and dtype {dtype}; a .grad has its input's shape and dtype. An op's vjp returned "
                    "a gradient of another shape or dtype (a vjp marked exact = True is taken as it is, neither "
                    "summed back to its parent's shape nor cast)")
    return ""


def _check_list(inputs: Any, who: str) -> None:
    if not hasattr(inputs, "backward") and not isinstance(inputs, (list, tuple)):
        raise TypeError(f"{who}: inputs must be a list with one Value or Tensor per argument of f, got "
                        f"{type(inputs).__name__} {inputs!r:.40}")
    if hasattr(inputs, "backward"):  # one Value or Tensor, not a list of them (a Tensor would iterate by rows)
        raise TypeError(
            f"{who}: inputs must be a list with one Value or Tensor per argument of f, got a {type(inputs).__name__}; "
            "write [x]"
        )


def _check_inputs(inputs: Sequence[Any], who: str) -> None:
    _check_list(inputs, who)
    first: dict = {}
    for k, x in enumerate(inputs):
        if not hasattr(x, "backward"):
            raise TypeError(f"{who}: inputs[{k}] is a {type(x).__name__}; pass Values or Tensors")
        j = first.setdefault(id(x), k)
        if j != k:  # perturbing one would perturb both: each numeric gradient would be the sum of the two
            raise ValueError(
                f"{who}: inputs[{j}] and inputs[{k}] are the same {type(x).__name__}; pass each input once "
                "(f may use it twice)"
            )
        if _is_tensor(x) and not getattr(x, "requires_grad", True):
            raise ValueError(f"{who}: inputs[{k}] does not require grad; make it with requires_grad=True")
        _check_float64(x, k, who)
    _check_apart(inputs, who)


def _check_apart(inputs: Sequence[Any], who: str) -> None:
    """Every Tensor input's array writable and sharing no entry with another input's: the differences move one
    entry in place, so a step in x[i] would move the entry of a view of x too (``x.detach()``, ``x.data.T`` given
    as another input), and the numeric gradient would be the sum of both partials."""
    arrays = [(k, x.data) for k, x in enumerate(inputs) if _is_tensor(x)]
    for n, (k, a) in enumerate(arrays):
        if not a.flags.writeable:
            raise ValueError(f"{who}: inputs[{k}]'s array is read-only (shape {a.shape}), and central differences "
                             "move its entries in place; give a writable copy: x.data = x.data.copy()")
        for j, b in arrays[:n]:
            if inputs[j] is not inputs[k] and np.may_share_memory(a, b) and _overlap(a, b):
                raise ValueError(
                    f"{who}: inputs[{j}] and inputs[{k}] share memory (shapes {b.shape} and {a.shape}: one is a "
                    "view of the other's array, as x.detach() or x.data.T are), so a step in one would move the "
                    "other and each numeric gradient would be a sum of two; give a copy: Tensor(y.data.copy(), "
                    "requires_grad=True)")


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether a and b share an entry. Exactly, within a bounded effort: for strides that make the exact answer
    costly (numpy solves a small integer program), "maybe" counts as yes, since a refusal beats a wrong number."""
    try:
        return bool(np.shares_memory(a, b, max_work=100_000))
    except np.exceptions.TooHardError:
        return True


def _check_float64(x: Any, k: int, where: str) -> None:
    # float32 resolves about 1e-7 relative: a step of eps ~1e-6 would measure mostly rounding.
    if _is_tensor(x):
        if x.data.dtype != np.float64:
            raise ValueError(
                f"{where}: inputs[{k}] has dtype {x.data.dtype}; central differences with eps ~1e-6 need "
                "float64 (make the Tensor with dtype=np.float64)"
            )
        return
    # A Value holds a Python float, unless its .data was set to a numpy scalar (v.data = t.data[0] of a float32
    # array): then x + eps is rounded to float32, and a right slope of 3.63 read 3.625 and failed
    dtype = getattr(x.data, "dtype", None)
    if dtype is not None and dtype.kind == "f" and dtype != np.float64:
        raise ValueError(f"{where}: inputs[{k}] holds a numpy {dtype} ({x.data!r}); central differences with eps "
                         f"~1e-6 need float64: set .data = float(...)")


def gradcheck(
    f: Callable,
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    *,
    fast_mode: bool = False,
    seed: int = 0,
    raise_exception: bool = True,
) -> bool:
    """Compare ``backward()`` with central differences for ``f(*inputs)``; True, or a ``GradcheckError`` table.

    An element passes when ``|analytic - numeric| <= atol + rtol * |numeric|`` (PyTorch's defaults; atol and rtol
    finite), except one whose |numeric| is below atol, where atol would pass 0, the negative or twice the gradient
    (f = 1e-8 * a loss, a vanishing gradient): it fails where backward() differs by more than rtol and than ten
    times what the differences are measured to be off by (their move at steps 2 eps, eps/3, eps/10 and 10 eps, the
    one-sided slopes' gap, f's rounding). A Tensor output that is not a scalar is checked through ``sum(f(x) * r)``
    for a fixed random ``r``; a one-number output is seeded with -2 instead of 1 (and the table shows the gradient
    divided by -2), so that an op whose vjp ignores its incoming gradient fails even behind ``.sum()`` (-1 where
    doubling a gradient would overflow, beyond 8.99e307); the seed is backward()'s alone, the differences are taken
    of f itself. Where f(x + eps) - f(x - eps) overflows but the slope fits, both halves are differenced instead.
    A vjp that is right only
    for a constant incoming gradient (one that reverses g, say) shows only in an f with a non-scalar output.
    ``fast_mode=True`` checks each Tensor input along one random direction u (<grad, u> against the
    directional difference) instead of element by element: one pair of evaluations per input. It is a coarse
    check: an error e in one entry i moves <grad, u> by e u_i only, so it passes when that is within
    rtol * |<grad, u>|, which grows like the square root of the input's size (an entry off by 0.05 among
    10,000 of gradient about 1 passes); use the default mode for a final answer.
    A failure at a kink (relu or abs at 0) says so, as does one where a kink lies within eps of the point.
    An entry that agrees only within f's own rounding fails too, saying that it cannot be checked: where a float
    spacing over the step exceeds the allowance and f(x + eps) and f(x - eps) lie at most 10 floats apart, or it
    exceeds the allowance twentyfold (1e15 + 1e-3 x is one float at both, so the slope reads 0, and a cut graph's
    0 agreed), unless the difference at the larger step where that rounding is a tenth of the allowance, if it is
    at most 1e-2, agrees too (a relu net's summed loss of 2e5: its dead units' slopes 0 are checked at 1.5e-5).
    Inputs that share a name are told apart in the tables by their position (``weight (inputs[1])``). A failure
    where f's graph holds a constant sharing an input's memory (``x.detach()``, which the steps move too) says so.

    >>> from autograd import Value
    >>> gradcheck(lambda a, b: (a * b).tanh(), [Value(0.3), Value(-1.2)])
    True
    """
    _check_callable(f, "gradcheck")
    _check_inputs(inputs, "gradcheck")
    eps, atol, rtol = _check_numbers("gradcheck", eps=eps, atol=atol, rtol=rtol)
    _check_step(inputs, eps, "gradcheck")
    _check_entries(inputs, "gradcheck")
    rng = _rng(seed, "gradcheck")
    names = _names(inputs)
    kept = _snapshot(inputs)
    with no_grad():
        probe = f(*inputs)
    _check_unchanged(inputs, kept, "gradcheck")
    if not hasattr(probe, "backward"):
        raise TypeError(
            f"gradcheck: f returned a {type(probe).__name__}, not a Value or Tensor, so backward() has no graph to "
            "walk; compute the result from the inputs with their ops (.data, float() or a new Value leave the graph)"
        )
    shape = getattr(getattr(probe, "data", None), "shape", ())
    if shape in ((), (1,)):
        # A seed of 1 would hide a vjp that returns its derivative without multiplying by the incoming g (2x for
        # g 2x): behind .sum() every g is 1. A power of two scales every float exactly, so a right backward() gives
        # the same numbers divided back as with seed 1; negative, so that |g| or max(g, 0) in a vjp shows too.
        scale = _SEED
        weights = np.full(shape, scale) if _is_tensor(probe) else scale
    else:
        scale, weights = 1.0, rng.standard_normal(shape)
    # The differences weigh f by the seed divided back out (1 for one number, r for a vector): f(x + eps) * -2
    # overflowed where f(x + eps) itself fit (1.21e308 at x + eps, 8.1e307 at x - eps), and a right gradient of
    # 2e307 failed against "numeric inf", blamed on f. The seed belongs to backward() alone; a power of two
    # scales every float exactly, so elsewhere the numbers are those the seeded f gave divided back.
    plain = weights / scale
    centre = _scalar(probe, plain, "gradcheck")
    with no_grad():
        again = f(*inputs)
    _check_fresh(probe, again, inputs, "gradcheck")
    _check_unchanged(inputs, kept, "gradcheck")     # before the next check, which would blame randomness for it
    _check_deterministic(centre, _scalar(again, plain, "gradcheck"), "gradcheck")

    # the seed's factor 2 may overflow a right gradient in backward(), which is then taken again with -1 (below):
    # numpy's overflow warning would be about gradcheck's own seed, not about f (whose own overflow the probe
    # above has shown already)
    aliases: list = []   # constants of f's graph that share an input's memory
    with np.errstate(over="ignore", invalid="ignore") if scale == _SEED else contextlib.nullcontext():
        analytic = _analytic(f, inputs, weights, aliases)
    if scale == _SEED and not _finite(centre, analytic):
        # The seed's factor 2 may have overflowed a gradient in (8.99e307, 1.8e308]: a right backward() read inf
        # and failed. Seed -1 there (the numbers as with seed 1, the sign test kept) if that makes them finite;
        # else what is not finite is f's own, and the table shows it.
        ones = weights / 2                                 # the seed -1, as an array or a number as weights is
        with np.errstate(over="ignore", invalid="ignore"):
            analytic_1 = _analytic(f, inputs, ones)
        if _finite(centre, analytic_1):
            scale, weights, analytic = -1.0, ones, analytic_1
    misshapen = _misshapen(inputs, analytic)
    if misshapen:
        if not raise_exception:
            return False
        raise GradcheckError(misshapen)
    rows = []  # (input name, index, analytic, numeric), for a seed of 1
    kinks = []  # (input name, index, left derivative, right derivative, analytic)
    near = []  # (input name, index, left, right, step, central difference with that step, smooth): eps too large
    wrong_near = []  # (input name, index, step, central difference with that step, analytic): past a kink, wrong
    unresolved = []  # (input name, index, analytic, numeric, *_coarse): agree, but within f's rounding
    rounded = []     # the same, for entries that disagree: their numeric gradient is mostly f's rounding
    unmoved = set()  # (input name, index) where f(x + eps) = f(x) = f(x - eps): f did not move at all
    symmetric = []   # (input name, index, left, right): f(x + eps) = f(x - eps) != f(x), one-sided slopes apart
    under_atol = []  # (input name, index, analytic, numeric, noise): agree only by atol, which exceeds |numeric|
    jumps = []       # (input name, index, left, right, analytic): f's value jumps at x_i, not only its slope
    stairs = []      # (input name, index, height): f rises in stairs finer than eps, its rounding inside

    def look(k: int, where: str, idx: Any, direction: Any, a: float, up: float, down: float, s_up: float,
             s_down: float) -> None:
        name = names[k]
        # for a seed of 1; + 0.0 turns the -0.0 that 0 / -2 gives back into 0, as the table should print it
        a, numeric = a / scale + 0.0, _slope(up, down, s_up + s_down) + 0.0
        rows.append((name, where, a, numeric))
        # Each value of f is off by up to half its float spacing, so the difference by up to a spacing. Where
        # f(x + eps) and f(x - eps) lie at most 10 floats apart and that spacing, divided by the step, exceeds the
        # allowance, agreement proves nothing: 1e15 + 1e-3 x gives the same float at both, the slope read 0, and a
        # cut graph's 0 passed. (Within 1e-8 of the slope, or of 1, it hides no plausible mistake: at atol = rtol
        # = 0 it would exceed the allowance 0 everywhere.) NaN for an f that is not finite: no claim.
        coarse = _coarse(up, down, centre, s_up + s_down, numeric, atol, rtol)
        spacing = _spacing(up, down, centre)
        if up == down == centre:
            unmoved.add((name, where))

        def central_at(h: float) -> tuple[float, float, float, float, float]:
            """f(x + h), f(x - h) along the entry (or the direction), the steps the floats took, and the central
            difference with the step h instead of eps."""
            step = h if direction is None else h * direction
            up2 = _shifted(f, inputs, k, idx, step, plain, "gradcheck")
            down2 = _shifted(f, inputs, k, idx, -step, plain, "gradcheck")
            t_up, t_down = (h, h) if direction is not None else (_taken(inputs[k], idx, h), -_taken(inputs[k], idx, -h))
            return up2, down2, t_up, t_down, _slope(up2, down2, t_up + t_down)

        if coarse and not _agree(a, numeric, atol, rtol):
            rounded.append((name, where, a, numeric, *coarse))
        elif coarse and not _resolved(central_at, a, numeric, coarse[0], centre, eps, atol, rtol):
            unresolved.append((name, where, a, numeric, *coarse))
        # One-sided differences: at a kink the slopes from the left and the right differ, however small eps is
        # (a central difference averages them, so abs at 0 looks smooth); on a smooth f they differ by f'' eps.
        left, right = _slope(centre, down, s_down) + 0.0, _slope(up, centre, s_up) + 0.0
        jump = abs(right - left)
        # atol is the differences' noise floor near a gradient of 0; where it exceeds |numeric| it would pass 0,
        # the negative or twice the gradient, so what the differences really resolve is measured. Not where f
        # did not move at all: its rounding inside may be coarser than its result's (log(sigmoid(z)) at z = 470
        # is log(1) = 0 at every step, while its slope is 9e-204), and nothing was measured.
        if not coarse and _by_atol_alone(a, numeric, atol, rtol) and not up == down == centre:
            noise = _resolution(central_at, numeric, jump, spacing / (s_up + s_down), eps,
                                (abs(a - numeric) - rtol * abs(numeric)) / 10)
            if noise is not None:
                under_atol.append((name, where, a, numeric, noise))
        if up == down != centre and jump > atol + rtol * max(abs(left), abs(right)):
            symmetric.append((name, where, left, right))   # (an even smooth f at its centre has left = -right ~ 0)
        # f's rounding alone moves each one-sided slope by up to spacing / step: a jump within twice that may be
        # rounding, not a kink, nor a sign of curvature
        if jump <= atol + rtol * max(abs(left), abs(right)) or jump <= 2 * spacing / min(s_up, s_down):
            return

        def finer(h: float) -> tuple[float, float]:
            """The one-sided slopes' jump and the central difference with the step h instead of eps."""
            up2, down2, t_up, t_down, central2 = central_at(h)
            slopes = _slope(up2, centre, t_up), _slope(centre, down2, t_down)
            return abs(slopes[0] - slopes[1]), central2

        jump2, central = finer(eps / 10)
        # a curve's jump shrinks with the step; a kink's stays. Unless the jump at eps/10 is within f's rounding
        # there (2 spacings over eps/10): then it shows nothing (a smooth loss of 1,247 at atol 1e-8 read a "kink"
        # with one-sided slopes 4.62518392 and 4.62518915, its curvature at eps and rounding at eps/10)
        if 0.5 * jump <= jump2 <= 2 * jump and jump2 > 20 * spacing / eps:
            # at x, or so near x that eps/10 still spans it (abs at 1e-9, where the slope is 1): smaller steps
            # tell them apart, since a kink that is not at x is left behind once the step no longer reaches it
            passed = _kink_passed(finer, eps, atol, rtol, centre, max(abs(left), abs(right)))
            if passed is None:
                kinks.append((name, where, left, right, a))
                return
            step, value = passed
            if _agree(a, value, atol, rtol):
                near.append((name, where, left, right, step, value, False))
            else:
                wrong_near.append((name, where, step, value, a))
            return
        if _agree(a, numeric, atol, rtol):
            return
        # f itself jumps at x (a comparison or round() inside it): the one-sided slope on that side is the height
        # over the step, tenfold at each tenfold smaller step; the table blamed backward() for 500000.6 at
        # x = 0.3 in (x >= 0.3) + x^2, where no slope exists. A staircase does that too, f rounded inside
        # ((x + 1e8) - 1e8 is a multiple of 1.5e-8): its stairs are far lower than the slope times eps, a jump is
        # not. Only where the difference disagrees: (x + 1e7) - 1e7 has stairs as well, and agrees at eps.
        # (each jump beyond twice what f's rounding moves a one-sided slope at its step: 2 spacings over it)
        rounding = 2 * spacing / eps
        if 5 * jump <= jump2 <= 20 * jump and jump2 > 20 * rounding:
            jump3 = finer(eps / 100)[0]
            if 5 * jump2 <= jump3 <= 20 * jump2 and jump3 > 200 * rounding:
                height, slope = jump * eps, max(abs(a), min(abs(left), abs(right)))
                if height > 10 * slope * eps:
                    jumps.append((name, where, left, right, a))
                    return
                stairs.append((name, where, height))
        # The difference at eps disagrees, one with a smaller step agrees with backward(): eps is too large here.
        # Either f curves (x^3 with eps = 0.1: the jump shrinks tenfold with each tenfold smaller step) or a kink
        # lies between x - eps and x + eps but not at x (relu at 0.3e-6: the jump vanishes once the step no
        # longer reaches the kink, or shrinks by another factor on the way)
        jump3, central3 = finer(eps / 100)
        smooth = 0.05 * jump <= jump2 <= 0.2 * jump and 0.05 * jump2 <= jump3 <= 0.2 * jump2
        for step, value in (("eps/10", central), ("eps/100", central3)):
            # a smaller step rounds more (spacing / (2 h)): 1e10 + x read 0 at eps/10, "agreeing" with a cut graph
            h = eps / (10 if step == "eps/10" else 100)
            if spacing / (2 * h) > atol + rtol * abs(value):
                break
            if _agree(a, value, atol, rtol):
                near.append((name, where, left, right, step, value, smooth))
                return

    try:
        if fast_mode:
            for k, (x, a) in enumerate(zip(inputs, analytic)):
                if _is_tensor(x):
                    u = rng.standard_normal(x.data.shape)
                    # the direction the floats step along: eps u only to rounding (see _taken)
                    taken = (_taken(x, None, eps * u) - _taken(x, None, -eps * u)) / (2 * eps)
                    look(k, "direction u", None, u, float(np.sum(a * taken)),
                         *_directional(f, inputs, k, u, eps, plain), eps, eps)
                else:
                    look(k, "", None, None, float(a), _shifted(f, inputs, k, None, eps, plain, "gradcheck"),
                         _shifted(f, inputs, k, None, -eps, plain, "gradcheck"), _taken(x, None, eps),
                         -_taken(x, None, -eps))
        else:
            sides = _sides(f, inputs, eps, plain, "gradcheck")
            for k, (x, a, (up, down, s_up, s_down)) in enumerate(zip(inputs, analytic, sides)):
                if _is_tensor(x):
                    for idx in np.ndindex(x.data.shape):
                        look(k, str(idx), idx, None, float(a[idx]), float(up[idx]), float(down[idx]),
                             float(s_up[idx]), float(s_down[idx]))
                else:
                    look(k, "", None, None, float(a), up, down, s_up, s_down)
    except ValueError as error:
        if _input_changed(error):   # f changed an input at a stepped point only: give them all back
            _restore(inputs, kept)
        raise
    _check_unchanged(inputs, kept, "gradcheck")

    # the entries at a kink measure it, not backward(): the kink table replaces their rows, and the other
    # entries that disagree still show, lest they pass for part of the kink
    at_kinks = {(name, where) for name, where, *_ in kinks + jumps}
    bad = [r for r in rows if not _agree(r[2], r[3], atol, rtol) and (r[0], r[1]) not in at_kinks]
    hidden = _hidden_by_atol(under_atol, rows, rtol)
    if not bad and not kinks and not jumps and not wrong_near and not unresolved and not hidden:
        return True
    _check_still_the_same(f, inputs, centre, plain, "gradcheck")
    if not raise_exception:
        return False
    narrow = _low_precision(f, inputs)
    lines = [_kink_table(kinks, eps, atol, rtol)] if kinks else []
    if jumps:
        name, where, left, right, a = jumps[0]
        more = f" (and {len(jumps) - 1} more)" if len(jumps) > 1 else ""
        lines.append(f"{'' if lines else 'gradcheck: '}f jumps at {name}{' ' + where if where else ''}{more}: its "
                     f"one-sided slopes at eps are {left:.6g} from the left and {right:.6g} from the right, and "
                     "the larger grows tenfold at eps/10 and again at eps/100, as a jump of f's value over a "
                     f"shrinking step does (about {abs(right - left) * eps:.3g} here). f is not continuous there and "
                     f"has no derivative; backward() gives {a:.9g}, the slope of the pieces (a comparison, round() "
                     "or a step unit inside f is flat). Check away from the step.")
    if hidden:
        lines.append(_hidden_note(hidden, len(rows), atol, rtol, prefix=not lines))
    if bad:
        lines.append(_table(bad, len(rows), atol, rtol, coarse={(name, where) for name, where, *_ in rounded},
                            unmoved=unmoved))
        sym = [entry for entry in symmetric if entry[:2] in {(name, where) for name, where, *_ in bad}]
        if sym:
            name, where, left, right = sym[0]
            more = f" (and {len(sym) - 1} more)" if len(sym) > 1 else ""
            lines.append(f"At {name}{' ' + where if where else ''}{more}, f(x + eps) and f(x - eps) are equal while "
                         f"f(x) is not, and the one-sided slopes are {left:.6g} from the left and {right:.6g} from the "
                         "right: f turns within eps of x (a kink or a cusp, such as |x| or |x|^0.5 near 0), and the "
                         "central difference of 0 averages the two slopes; check farther from it, or with a smaller "
                         "eps.")
    if bad and stairs:
        name, where, height = stairs[0]
        more = f" (and {len(stairs) - 1} more)" if len(stairs) > 1 else ""
        lines.append(f"At {name}{' ' + where if where else ''}{more}, f rises in stairs of about {height:.2g}, not "
                     "smoothly: its one-sided slopes part tenfold more at each tenfold smaller step, as they do over "
                     "a step of that height, though it is far lower than the slope times eps. f rounds inside: a "
                     "large number plus a small one keeps the small one only to the large one's float spacing "
                     "((x + 1e8) - 1e8 is a multiple of 1.5e-8), so each difference carries up to "
                     f"{height / (2 * eps):.2g} of rounding; compute f without the large intermediate.")
    if bad and aliases:
        k, shape = aliases[0]
        lines.append(f"f's graph holds a constant of shape {shape} that shares memory with {names[k]} (x.detach() "
                     "shares x's array): the differences step it along with the input, while backward() holds it "
                     "constant, so the two measure different functions. If f means it to stay constant, give f a "
                     "copy (Tensor(x.data) copies).")
    if unresolved:
        lines.append(_unresolved_note(unresolved, len(rows), eps, atol, rtol, prefix=not lines))
    if narrow:
        lines.append(narrow)
    for smooth in (False, True):
        these = [entry for entry in near if entry[-1] is smooth]
        if not these:
            continue
        name, where, left, right, step, central, _ = these[0]
        more = f" (and {len(these) - 1} more entr{'y' if len(these) == 2 else 'ies'})" if len(these) > 1 else ""
        start = (f"At {name}{' ' + where if where else ''}{more}, the central difference with {step} is "
                 f"{central:.9g}, which agrees with backward(), while the one-sided slopes at eps are {left:.6g} "
                 f"from the left and {right:.6g} from the right")
        if smooth:
            lines.append(f"{start}: they differ by about f'' eps, so eps={eps:g} is too large for f's curvature "
                         "here; use a smaller eps.")
        else:
            lines.append(f"{start}: f's slope changes within eps of the point. A kink lies between x - eps and "
                         "x + eps (relu or abs near 0, or a jump of f: a comparison), and the difference at eps "
                         "spans it: check away from the "
                         "kink, or with a smaller eps.")
    if wrong_near:
        name, where, step, central, a = wrong_near[0]
        more = f" (and {len(wrong_near) - 1} more)" if len(wrong_near) > 1 else ""
        lines.append(f"{'' if lines else 'gradcheck: '}at {name}{' ' + where if where else ''}{more}, a kink lies "
                     f"within eps of the point but not at it: with a step of {step} the one-sided slopes agree, "
                     f"the central difference is {central:.9g}, and backward() gives {a:.9g}, which disagrees: f "
                     "has a derivative there, and backward() gets it wrong.")
    if bad and scale != 1.0 and all(_agree(a * scale, n, atol, rtol) for _, _, a, n in bad):
        lines.append(f"backward() was seeded with {scale:g}, not 1, and its gradient divided by {scale:g}; "
                     f"multiplied back it agrees with the numeric one, so an op's vjp ignores the gradient that "
                     "comes into it (returns its derivative, not g times it), which a seed of 1 hides.")
    # f's own rounding: each value of f is off by up to half a float spacing, each difference by about
    # spacing(|f|) / (2 eps), which at f = 1e8 (eps 1e-6) is 0.0075: more than a slope of 1 may differ by
    spacing = float(np.spacing(abs(centre)))
    noise = spacing / (2 * eps)
    if bad and any(abs(a - n) <= 10 * noise for _, _, a, n in bad):
        what = "f" if scale != 1.0 else "sum(f(x) * r)"
        lines.append(f"{what} is about {centre:.6g} here, where floats are {spacing:.2g} apart, so each "
                     f"difference carries rounding of about {noise:.2g}, of the order of the errors above: the check "
                     "cannot tell a right gradient from one off by that much. Subtract f's constant part, or "
                     "use a larger eps.")
    raise GradcheckError("\n".join(lines))


def _spacing(*values: float) -> float:
    """The float spacing at the largest of ``values`` (NaN where one is not finite: no claim is made there)."""
    size = max(abs(v) for v in values)
    return float(np.spacing(size)) if math.isfinite(size) else math.nan


def _coarse(hi: float, lo: float, centre: float, step: float, numeric: float, atol: float,
            rtol: float) -> tuple[float, float, float, int] | None:
    """(rounding, size, spacing, floats apart) where the central difference (hi - lo) / step is mostly rounding,
    else None. Each value is off by up to half its float spacing, so the difference by up to a spacing: where a
    spacing over the step exceeds the allowance and hi and lo lie at most 10 floats apart (or it exceeds the
    allowance twentyfold), agreement proves nothing: 1e15 + 1e-3 x gives one float at x +- eps, the slope read 0,
    and a cut graph's 0 passed; 1e9 + x is 17 floats apart, and a slope of 1.0133 passed. Within 1e-8 of the
    slope, or of 1, rounding hides no plausible mistake (at atol = rtol = 0 it exceeds the allowance everywhere)."""
    spacing = _spacing(hi, lo, centre)
    rounding = spacing / step
    allowed = max(atol + rtol * abs(numeric), 1e-8 * max(1.0, abs(numeric)))
    if not (rounding > allowed and (abs(hi - lo) <= 10 * spacing or rounding > 20 * allowed)):
        return None
    return rounding, max(abs(hi), abs(lo), abs(centre)), spacing, round(abs(hi - lo) / spacing)


def _resolved(central_at: Callable[[float], tuple], a: float, numeric: float, rounding: float, centre: float,
              eps: float, atol: float, rtol: float) -> bool:
    """Whether an entry that agrees only within f's rounding at eps agrees, beyond rounding, at the larger step
    where that rounding is a tenth of the allowance (it shrinks as 1 / step), if that step is still a small one
    (at most 1e-2). A relu net's summed loss of 2e5 rounds by 1.5e-5 at eps = 1e-6, over atol: a dead unit's
    weights (slope 0) could not be checked there, but at 1.5e-5 the difference is 0 beyond doubt. 1e15 + 1e-3 x
    would need a step of 6.2e4: no verdict is bought there, and the entry stays unchecked."""
    allowed = max(atol + rtol * abs(numeric), 1e-8 * max(1.0, abs(numeric)))
    h = eps * 10 * rounding / allowed
    if not eps < h <= 1e-2:
        return False
    try:
        up2, down2, t_up, t_down, central2 = central_at(h)
    except _RETOLD as error:   # f is not defined that far out (sqrt near 0): this step settles nothing, and the
        if _input_changed(error):  # user's did not fail; but f changing an input is f's fault anywhere
            raise
        return False
    return _coarse(up2, down2, centre, t_up + t_down, central2, atol, rtol) is None and _agree(a, central2, atol,
                                                                                                rtol)


# The steps, in units of eps, at which _resolution takes the central difference again. Smaller and larger ones,
# and not multiples of each other: an f rounded inside (sigmoid(30 x) - 1, where 1 + exp(-30 x) is a multiple of
# 2.2e-16) is a staircase, and at steps eps, 2 eps, eps/3 and eps/10 it moved by 30, 60, 10 and 3 stairs,
# giving one slope 0.17% off the true one four times over; 10 eps sees another number of stairs. With
# (2,) alone, 184 of 7,500 right gradients of five such f's were called wrong; with these four, none.
_RESOLUTION_STEPS = (2.0, 1 / 3, 0.1, 10.0)


def _resolution(central_at: Callable[[float], tuple], numeric: float, jump: float, rounding: float, eps: float,
                excused: float) -> float | None:
    """How far a right gradient may lie from the central difference ``numeric`` at eps, measured: the most the
    central difference moves when the step changes (``_RESOLUTION_STEPS``: the truncation error, of order
    step^2, grows or shrinks; the rounding changes), the gap of the one-sided slopes (f'' eps, or a kink's whole
    jump) and a float spacing of f over the step. It stops as soon as that reaches ``excused``, which is
    noise enough to explain the disagreement. None where f is not defined at a step (sqrt near 0): nothing is
    measured there, and nothing claimed."""
    noise = max(jump, rounding)
    for r in _RESOLUTION_STEPS:
        if not noise < excused:
            break
        try:
            central = central_at(r * eps)[-1]
        except _RETOLD as error:
            if _input_changed(error):
                raise
            return None
        noise = max(noise, abs(central - numeric))
    return noise if math.isfinite(noise) else None


def _by_atol_alone(a: float, numeric: float, atol: float, rtol: float) -> bool:
    """The analytic and numeric values agree only by atol, which is larger than the numeric value itself."""
    return _agree(a, numeric, atol, rtol) and abs(a - numeric) > rtol * abs(numeric) and abs(numeric) < atol


def _hidden_by_atol(under_atol: list, rows: list, rtol: float) -> list:
    """The entries of ``under_atol`` whose disagreement is real: beyond rtol, beyond ten times what the
    differences could be off by (``_resolution``), and beyond 1e-10 of the largest gradient entry (backward()'s
    own rounding, where terms of that size cancel). At f = 1e-8 sum(x^2) every entry is below atol = 1e-5, and a
    backward() doubled, negated or 0 passed, as it does in PyTorch's gradcheck."""
    largest = max((max(abs(a), abs(n)) for *_, a, n in rows if math.isfinite(a) and math.isfinite(n)), default=0.0)
    return [(name, where, a, n, noise) for name, where, a, n, noise in under_atol
            if abs(a - n) > rtol * abs(n) + 10 * noise + 1e-10 * largest]


def _hidden_note(hidden: list, total: int, atol: float, rtol: float, prefix: bool, who: str = "gradcheck") -> str:
    """What a check says of entries that passed by atol alone, which is larger than the derivative there."""
    name, where, a, n, noise = max(hidden, key=lambda entry: abs(entry[2] - entry[3]))
    largest = max(abs(entry[3]) for entry in hidden)
    ratio = f" ({a / n:.3g} times the numeric one)" if n != 0 and a != 0 else ""
    what, analytic, rounding = (("gradient", "backward()", "f's") if who == "gradcheck" else
                                ("second derivative", "The second derivative from create_graph=True", "the gradient's"))
    return (f"{who + ': ' if prefix else ''}{len(hidden)} of {total} {what} entries agree only within atol={atol:g}, "
            f"which is larger than the {what} there (|numeric| up to {largest:.3g}), so it would pass 0, the "
            f"negative or twice the {what}. The differences resolve these entries to about {noise:.2g} (how much "
            f"they move when the step changes, the one-sided slopes' gap, {rounding} rounding); "
            f"{analytic[0].lower() + analytic[1:]} differs by more than that and than rtol={rtol:g} of them, most at "
            f"{name}{' ' + where if where else ''}: analytic {a:.9g}, numeric {n:.9g}{ratio}. The {what} is wrong "
            "there, hidden by f's small scale (1e-8 * a loss, a vanishing gradient); check f scaled up (f * 1e8 "
            "keeps every ratio), or with a smaller atol.")


def _unresolved_note(unresolved: list, total: int, eps: float, atol: float, rtol: float, prefix: bool,
                     who: str = "gradcheck") -> str:
    """What a check says of entries that agree only within the rounding of what it differences (f for gradcheck,
    the gradient for gradgradcheck): a wrong derivative could agree there too."""
    name, where, a, numeric, rounding, size, spacing, apart = max(unresolved, key=lambda entry: entry[4])
    # the eps at which the rounding is a tenth of the smallest allowance among them (it shrinks as 1 / eps)
    needed = eps * max(10 * r / max(atol + rtol * abs(n), 1e-8 * max(1.0, abs(n)))
                       for _, _, _, n, r, *_ in unresolved)
    floats = "are the same float" if apart == 0 else f"lie only {apart} float{'s' if apart > 1 else ''} apart"
    what, analytic, part = (("f", "backward()", "Subtract f's constant part (f(x) - f(x0) keeps every slope), or "
                             "scale f down (a mean instead of a sum)")
                            if who == "gradcheck" else
                            ("the gradient", "The second derivative", "Subtract f's large linear part (a x, whose "
                             "gradient is the constant a, keeps every second derivative)"))
    return (f"{who + ': ' if prefix else ''}{len(unresolved)} of {total} "
            f"{'gradient' if who == 'gradcheck' else 'second-derivative'} entries cannot be checked at eps={eps:g}: "
            f"{what} is about {size:.6g} there, where floats are {spacing:.3g} apart, and its values at x + eps and "
            f"x - eps {floats}, so rounding alone may move each central difference by up to {rounding:.2g}, more "
            f"than the allowance ({atol:g} + {rtol:g} * |numeric|). {analytic} agrees with the differences, but one "
            f"off by that much could agree too (at {name}{' ' + where if where else ''}: analytic {a:.9g}, numeric "
            f"{numeric:.9g}). {part}"
            # a larger step only where it stays a small one: 6.2e4 for 1e15 + 1e-3 x would be no advice
            + (f", or use eps={needed:.2g} where {what} is smooth enough for it." if needed <= 1e-2 else "."))


def _kink_passed(finer: Callable[[float], tuple[float, float]], eps: float, atol: float, rtol: float,
                 centre: float, scale: float) -> tuple[str, float] | None:
    """Where the one-sided slopes jump at eps and eps/10 alike: None if the jump stays at steps down to eps/10^7
    (a kink at the point itself, where f has no derivative), else the first smaller step at which the slopes agree
    (a kink between x - eps and x + eps, not at x: f has a derivative at x) and the central difference there.
    ``finer(h)`` gives the jump and the central difference with the step h; ``centre`` is f at x, ``scale`` the
    size of the slopes at eps. A step is taken only while f's rounding, spacing(|f|) / h in a slope, stays within
    a tenth of the tolerance: beyond it f(x + h) may round to f(x) on both sides, and the slopes would "agree" at a
    kink at x (|x| + 1e4 at 0: 1e4 + 1e-13 is 1e4), which then keeps the kink's verdict."""
    allowed = atol + rtol * scale
    noise = float(np.spacing(abs(centre))) if math.isfinite(centre) else math.inf
    for k in (3, 5, 7):
        h = eps / 10**k
        if noise / h > allowed / 10:
            return None
        jump, central = finer(h)
        if jump <= atol + rtol * abs(central):
            return f"eps/{10**k:,}", central
    return None


def _agree(a: float, n: float, atol: float, rtol: float) -> bool:
    """|a - n| <= atol + rtol |n|, and finite: where f overflowed at x +- eps the numeric gradient is inf, the
    allowance rtol * inf is inf too, and inf <= inf would pass any analytic value (NaN fails by itself)."""
    return math.isfinite(a - n) and abs(a - n) <= atol + rtol * abs(n)


def _kink_table(kinks: list, eps: float, atol: float, rtol: float, limit: int = 20, who: str = "gradcheck",
                what: str = "f") -> str:
    head = f"{'input':<14} {'index':<14} {'from the left':>16} {'from the right':>16} {'backward()':>16}"
    lines = [
        f"{who}: {what} has a kink at {len(kinks)} input entr{'y' if len(kinks) == 1 else 'ies'}: its slope from the "
        f"left differs from its slope from the right (one-sided differences, eps={eps:g} and eps/10), so it has no "
        "derivative there and backward() gives only a convention (relu'(0) = abs'(0) = 0, as PyTorch)",
        head,
        "-" * len(head),
    ]
    for name, idx, left, right, a in kinks[:limit]:
        lines.append(f"{name:<14} {idx:<14} {left:>16.9g} {right:>16.9g} {a:>16.9g}")
    if len(kinks) > limit:
        lines.append(f"... and {len(kinks) - limit} more")
    lines.append("Check the gradient away from the kink: move the input (e.g. x + 0.1), as autograd.testing's "
                 "strategies do.")
    # a convention lies between the two slopes (relu'(0) = 0 between 0 and 1); a value outside them is no
    # convention but a wrong vjp, which the kink table alone presented as one
    outside = [(name, idx, a) for name, idx, left, right, a in kinks
               if not min(left, right) - atol - rtol * abs(min(left, right)) <= a
               <= max(left, right) + atol + rtol * abs(max(left, right))]
    if outside:
        name, idx, a = outside[0]
        more = f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""
        lines.append(f"At {name} {idx}{more}, backward() gives {a:.9g}, outside the slopes from the left and the "
                     "right: that is no convention at the kink (any value between them would be one), so the vjp "
                     "is wrong there as well.")
    return "\n".join(lines)


def _table(bad: list, total: int, atol: float, rtol: float, limit: int = 20,
           columns: tuple[str, str] = ("analytic", "numeric"), hints: bool = True, coarse: set = frozenset(),
           unmoved: set | None = None) -> str:
    head = f"{'input':<14} {'index':<14} {columns[0]:>16} {columns[1]:>16} {'|error|':>11} {'allowed':>10}"
    lines = [
        f"gradcheck: {len(bad)} of {total} gradient entries disagree "
        f"(allowed |analytic - numeric| <= {atol:g} + {rtol:g} * |numeric|)",
        head,
        "-" * len(head),
    ]
    for name, idx, a, n in bad[:limit]:
        lines.append(f"{name:<14} {idx:<14} {a:>16.9g} {n:>16.9g} {abs(a - n):>11.3g} {atol + rtol * abs(n):>10.3g}")
    if len(bad) > limit:
        # the rows come in the inputs' order: an entry off by 5 among thirty off by 0.01 was left in "... and 10
        # more", and the table read as a small error everywhere
        name, idx, a, n = max(bad, key=lambda row: abs(row[2] - row[3]) if math.isfinite(row[2] - row[3]) else math.inf)
        lines.append(f"... and {len(bad) - limit} more; the largest |error|, {abs(a - n):.3g}, is at {name} {idx}: "
                     f"analytic {a:.9g}, numeric {n:.9g}")
    if not hints:
        return "\n".join(lines)
    if any(not math.isfinite(n) for _, _, _, n in bad):
        lines.append("A numeric gradient that is not finite: f overflowed (or left its domain) at x + eps or "
                     "x - eps, so the differences say nothing there; check at a smaller input.")
    if any(a == 0 and n != 0 for _, _, a, n in bad):
        lines.append(
            "An analytic gradient 0 against a numeric one that is not: f may cut the graph between that input and "
            "its result (.data, float(), a new Value or Tensor made from numbers, no_grad() inside f)."
        )
    # the other way round: the steps did not move f at all, while backward() finds a path to the input; a graph
    # built before the call (y = x * x, then lambda x: y * 2) gives exactly that, and the table alone read as a
    # wrong backward()
    # (not where the difference is mostly rounding, _coarse: 1e15 + 1e-3 x is one float at x +- eps, and f is not
    # to blame for using a result computed before the call)
    # (and only where f did not move, if told: f(x + eps) = f(x - eps) != f(x) is a symmetric f, not a stale one)
    if any(n == 0 and a != 0 and (name, idx) not in coarse and (unmoved is None or (name, idx) in unmoved)
           for name, idx, a, n in bad):
        lines.append(
            "A numeric gradient of exactly 0 against an analytic one that is not: f's value did not move when "
            "that input was stepped, yet backward() reaches it. f may use a result computed before the check "
            "called it (y = x * x outside f, then lambda x: y * 2): compute everything inside f from its arguments. "
            "Or f rounds the step away inside: (x + 1e15) - 1e15 is x only to 0.125, and moves by 0 for a step "
            "of eps; compute the small part apart from the large one."
        )
    return "\n".join(lines)


def gradgradcheck(
    f: Callable,
    inputs: Sequence[Any],
    grad_outputs: Any = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    *,
    seed: int = 0,
    raise_exception: bool = True,
) -> bool:
    """Compare second derivatives from ``create_graph=True`` with central differences of the first; True, or a
    ``GradcheckError`` with the same table as ``gradcheck`` (one row per d(grad_j[a])/d(x_k[b]) that disagrees).

    A non-scalar output is differentiated through ``sum(f(x) * grad_outputs)`` (a fixed random array when None).
    The analytic entries come from differentiating each gradient entry again (``autograd.grad``); the numeric
    ones from the first-order gradients at x_k[b] +- eps. Every pair of entries is checked: keep inputs small.
    First, the gradient computed with ``create_graph=True`` must equal the first-order one entry by entry (a
    rebuilt vjp off by a constant, g (2x + 1) for x^2, has the right slope; only its value shows it is wrong).
    A one-number output is seeded with a random number too, not 1, as PyTorch's gradgradcheck does: a rebuilt
    vjp that forgot to multiply by the incoming g is right at g = 1.
    As in ``gradcheck``, an entry that agrees only within the gradient's own rounding (a gradient of 1e15 + 1e-3 x is
    one float at x +- eps) fails, saying that it cannot be checked; so does one below atol that agrees only by atol
    where the differences resolve it finer (1e-8 sum(t * t.data): the second derivative 0 passed for 1e-8).

    >>> from autograd import Value
    >>> gradgradcheck(lambda a, b: (a * b).tanh(), [Value(0.3), Value(-1.2)])
    True
    """
    from .functional import grad  # the engine's grad(); imported here, as gradcheck.py is imported by it

    _check_callable(f, "gradgradcheck")
    _check_inputs(inputs, "gradgradcheck")
    eps, atol, rtol = _check_numbers("gradgradcheck", eps=eps, atol=atol, rtol=rtol)
    _check_step(inputs, eps, "gradgradcheck")
    _check_entries(inputs, "gradgradcheck")
    rng = _rng(seed, "gradgradcheck")
    names = _names(inputs)
    kept = _snapshot(inputs)
    with no_grad():
        probe = f(*inputs)
        again = f(*inputs)
    _check_unchanged(inputs, kept, "gradgradcheck")
    if not hasattr(probe, "backward"):
        raise TypeError(f"gradgradcheck: f returned a {type(probe).__name__}, not a Value or Tensor")
    _check_fresh(probe, again, inputs, "gradgradcheck")
    _check_output_float64(probe.data, "gradgradcheck")
    shape = getattr(getattr(probe, "data", None), "shape", ())
    if grad_outputs is not None:
        weights = _check_grad_outputs(grad_outputs, shape)
    else:
        weights = rng.standard_normal(shape)       # a one-number output too: a vjp that drops g is right at g = 1

    def first(create_graph: bool) -> list:
        with recording():   # called inside no_grad(), f's output was a constant: every gradient and every second
            out = f(*inputs)  # derivative was 0, on both sides of every comparison, and a wrong one passed
        got = np.shape(getattr(out, "data", out))
        if got != shape:                                   # grad() would blame the grad_outputs it was given
            raise _refused(_shape_mismatch("gradgradcheck", shape, got))
        go = [weights.reshape(shape) if _is_tensor(out) else float(weights)]
        return list(grad([out], list(inputs), go, create_graph=create_graph, allow_unused=True))

    def entries(x: Any) -> list:
        return list(np.ndindex(x.data.shape)) if _is_tensor(x) else [()]

    def at(g: Any, x: Any, idx: tuple) -> float:
        if g is None:
            return 0.0
        data = getattr(g, "data", g)
        return float(np.asarray(data)[idx]) if _is_tensor(x) else float(data)

    def moved(k: int, b: tuple, delta: float) -> tuple[list, float]:
        """The first-order gradients with x_k[b] moved by delta, and the step the floats took (``_taken``)."""
        where = b if _is_tensor(inputs[k]) else None
        step = _taken(inputs[k], where, delta)
        return _moved(lambda: first(False), inputs, k, where, delta, "gradgradcheck"), step

    # the gradient with create_graph=True must be the first-order one: a rebuilt vjp that is off by a term whose
    # derivative is 0 (g (2x + 1) for x^2's g 2x, -g for g) has right second derivatives wherever the op is f's
    # last (or followed by linear ops), and only this comparison sees that .grad is wrong
    gs = first(True)
    plain = first(False)
    repeat = first(False)      # at the same point again: a random f would be measured as a slope of its gradient
    _check_unchanged(inputs, kept, "gradgradcheck")   # (an f that changed its input differs too: said as that)
    for j, xj in enumerate(inputs):
        for a in entries(xj):
            _check_deterministic(at(plain[j], xj, a), at(repeat[j], xj, a), "gradgradcheck")
    same = []
    for j, xj in enumerate(inputs):
        for a in entries(xj):
            graph_value, first_order = at(gs[j], xj, a), at(plain[j], xj, a)
            if not (graph_value == first_order or _agree(graph_value, first_order, atol, rtol)
                    or (math.isnan(graph_value) and math.isnan(first_order))):
                same.append((names[j], str(a) if a else "", graph_value, first_order))
    # analytic: each gradient entry differentiated again
    analytic: dict = {}
    with recording():                           # each entry of the gradient keeps its graph, as in first()
        for j, (xj, gj) in enumerate(zip(inputs, gs)):
            for a in entries(xj):
                node = None if gj is None else (gj[a] if _is_tensor(xj) else gj)
                row = (None,) * len(inputs)
                if node is not None and (getattr(node, "requires_grad", True) and (_is_tensor(xj) or node.parents)):
                    row = grad([node], list(inputs), create_graph=False, allow_unused=True)
                for k, (xk, h) in enumerate(zip(inputs, row)):
                    for b in entries(xk):
                        analytic[j, a, k, b] = at(h, xk, b)
    # numeric: central differences of the first derivatives
    kinks = []   # (name, index, left, right, analytic): the gradient's slope differs on the two sides of x_k[b]
    under_atol = []  # (name, index, analytic, numeric, noise): agree only by atol, which exceeds |numeric|
    unresolved = []  # (name, index, analytic, numeric, *_coarse): agree, but within the gradient's rounding
    rounded = []     # the same, for entries that disagree
    wrong_near = []  # (name, index, step, central difference with that step, analytic): past a kink near x, wrong
    right_near = []  # the same, where the analytic entry agrees with the difference at the smaller step

    def numeric_rows(k: int, b: tuple) -> list:
        """A row (name, index, analytic, numeric) per gradient entry, for the step in x_k[b]."""
        rows = []
        (up, s_up), (down, s_down) = moved(k, b, eps), moved(k, b, -eps)
        s_down = -s_down
        finer = None      # the gradients at x_k[b] +- eps/10, computed once where a kink is suspected
        smaller: dict = {}  # the gradients at x_k[b] +- h, for a kink that may lie near x_k[b], not at it

        def finer_of(j: int, xj: Any, a: tuple, g_centre: float) -> Callable[[float], tuple[float, float]]:
            """_kink_passed's finer(h) for the gradient entry (j, a): its slopes' jump and central difference."""
            def slopes(h: float) -> tuple[float, float]:
                if h not in smaller:
                    smaller[h] = moved(k, b, h), moved(k, b, -h)
                (up_h, t_up), (down_h, t_down) = smaller[h]
                g_up_h, g_down_h = at(up_h[j], xj, a), at(down_h[j], xj, a)
                return (abs(_slope(g_up_h, g_centre, t_up) - _slope(g_centre, g_down_h, -t_down)),
                        _slope(g_up_h, g_down_h, t_up - t_down))

            return slopes

        for j, xj in enumerate(inputs):
            for a in entries(xj):
                g_up, g_down, g_centre = at(up[j], xj, a), at(down[j], xj, a), at(plain[j], xj, a)
                name = f"{names[j]}/{names[k]}"
                where = f"{a if a else ''}{'/' if a or b else ''}{b if b else ''}"
                numeric = _slope(g_up, g_down, s_up + s_down)
                rows.append((name, where, analytic[j, a, k, b], numeric))
                # the gradient's own rounding, as f's in gradcheck: g = 1e15 + 1e-3 x is one float at x +- eps
                coarse = _coarse(g_up, g_down, g_centre, s_up + s_down, numeric, atol, rtol)
                if coarse:
                    (unresolved if _agree(analytic[j, a, k, b], numeric, atol, rtol) else rounded).append(
                        (name, where, analytic[j, a, k, b], numeric, *coarse))
                # a kink of the gradient (relu's at 0): its one-sided slopes differ by as much at eps/10 (and by
                # more than the gradient's rounding can, up to a spacing over each one-sided step)
                left, right = _slope(g_centre, g_down, s_down), _slope(g_up, g_centre, s_up)
                jump = abs(right - left)
                # atol larger than the second derivative itself, as in gradcheck: f = 1e-8 x t.data passed with
                # the second derivative 0 for 2e-8; what the differences resolve is measured
                h_a = analytic[j, a, k, b]
                if not coarse and _by_atol_alone(h_a, numeric, atol, rtol) and not g_up == g_down == g_centre:
                    noise = _resolution(finer_of(j, xj, a, g_centre), numeric, jump,
                                        _spacing(g_up, g_down, g_centre) / (s_up + s_down), eps,
                                        (abs(h_a - numeric) - rtol * abs(numeric)) / 10)
                    if noise is not None:
                        under_atol.append((name, where, h_a, numeric, noise))
                if (not jump > atol + rtol * max(abs(left), abs(right))
                        or jump <= 2 * _spacing(g_up, g_down, g_centre) / min(s_up, s_down)):
                    continue
                if finer is None:
                    finer = moved(k, b, eps / 10), moved(k, b, -eps / 10)
                (up2, t_up), (down2, t_down) = finer
                jump2 = abs(_slope(at(up2[j], xj, a), g_centre, t_up) - _slope(g_centre, at(down2[j], xj, a), -t_down))
                if 0.5 * jump <= jump2 <= 2 * jump:
                    near = _kink_passed(finer_of(j, xj, a, g_centre), eps, atol, rtol, g_centre,
                                        max(abs(left), abs(right)))
                    if near is None:
                        kinks.append((name, where, left, right, analytic[j, a, k, b]))
                    else:
                        wrong = not _agree(analytic[j, a, k, b], near[1], atol, rtol)
                        (wrong_near if wrong else right_near).append((name, where, *near, analytic[j, a, k, b]))
        return rows

    rows = []
    try:
        for k, xk in enumerate(inputs):
            for b in entries(xk):
                rows += numeric_rows(k, b)
    except ValueError as error:
        if _input_changed(error):   # f changed an input at a stepped point only: give them all back
            _restore(inputs, kept)
        raise
    _check_unchanged(inputs, kept, "gradgradcheck")
    at_kinks = {(name, where) for name, where, *_ in kinks}     # as in gradcheck: the kink table replaces them
    bad = [r for r in rows if not _agree(r[2], r[3], atol, rtol) and (r[0], r[1]) not in at_kinks]
    hidden = _hidden_by_atol(under_atol, rows, rtol)
    if not bad and not same and not kinks and not wrong_near and not unresolved and not hidden:
        return True
    if not raise_exception:
        return False
    tables = []
    if kinks:
        tables.append(_kink_table(kinks, eps, atol, rtol, who="gradgradcheck",
                                  what="the gradient of f (of sum(f(x) * grad_outputs))"))
    if same:
        total = sum(len(entries(x)) for x in inputs)
        table = _table(same, total, atol, rtol, columns=("create_graph", "first-order"), hints=False).splitlines()
        table[0] = (
            f"gradgradcheck: the gradient computed with create_graph=True disagrees with the first-order one in "
            f"{len(same)} of {total} entries (allowed |create_graph - first-order| <= {atol:g} + {rtol:g} * "
            "|first-order|): an op's differentiable vjp (autograd/tensor/vjp_graph.py, or the Value engine's "
            "partials_as_nodes) computes other numbers than its own vjp, so .grad and every derivative built on it "
            "are wrong, even where the second derivatives agree"
        )
        tables.append("\n".join(table))
    if bad:
        table = _table(bad, len(rows), atol, rtol, coarse={(name, where) for name, where, *_ in rounded})
        table = table.replace("gradcheck: ", "gradgradcheck: ", 1)
        tables.append(table.replace("gradient entries disagree",
                                    "second-derivative entries d(grad x_j)/d(x_k) disagree", 1))
    if rounded:
        name, where, _, _, rounding, size, spacing, apart = max(rounded, key=lambda entry: entry[4])
        tables.append(f"gradgradcheck: at {name} {where}{f' (and {len(rounded) - 1} more)' if len(rounded) > 1 else ''}"
                      f" the gradient is about {size:.6g}, where floats are {spacing:.3g} apart, and its values at "
                      f"x + eps and x - eps {'are the same float' if apart == 0 else f'lie {apart} floats apart'}, "
                      "so rounding alone may "
                      f"move the numeric second derivative by up to {rounding:.2g}: the check cannot tell a right "
                      "second derivative from one off by that much there. Subtract f's large linear part (a x, whose "
                      "gradient is the constant a, keeps every second derivative).")
    if unresolved:
        tables.append(_unresolved_note(unresolved, len(rows), eps, atol, rtol, prefix=True, who="gradgradcheck"))
    if hidden:
        tables.append(_hidden_note(hidden, len(rows), atol, rtol, prefix=True, who="gradgradcheck"))
    for entries_near, verdict in ((wrong_near, "which disagrees: it is wrong there"),
                                  (right_near, "which agrees: the difference at eps spans the kink; check away from "
                                               "it, or with a smaller eps")):
        if entries_near:
            name, where, step, central, a = entries_near[0]
            more = f" (and {len(entries_near) - 1} more)" if len(entries_near) > 1 else ""
            tables.append(f"gradgradcheck: at {name} {where}{more}, the gradient has a kink within eps of the point "
                          f"but not at it: with a step of {step} its one-sided slopes agree, the central difference "
                          f"is {central:.9g}, and the second derivative is {a:.9g}, {verdict}.")
    raise GradcheckError("\n\n".join(tables))
