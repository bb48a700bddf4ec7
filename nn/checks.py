"""Argument checks shared by nn: a size, a rate, a seed, a list of sizes. Each names the function and the argument
and says what would be accepted, so that a wrong argument fails at the call, not deep inside numpy.

Every check is O(1) (or one pass over a short list of sizes) and runs once, when an object is built or a function
called, never in a training step.

>>> whole(3, "MLP", "n_in")
3
>>> whole(2.5, "MLP", "n_in")
Traceback (most recent call last):
...
TypeError: MLP: n_in must be a whole number (an int), got 2.5 (float)
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from autograd.checks import unmasked  # noqa: F401 (nn's modules call checks.unmasked)

# The most epochs (or steps) a training loop of nn takes: fit, the perceptron rules. Each keeps every epoch's
# figures (fit's History about 160 bytes an epoch, a rule its mistakes) and ends early only when told to, so
# epochs=10**12 ran for years, its lists growing all the while. 10**7 epochs of one sample take fit about half an
# hour even compiled (an hour eagerly), and a rule about eight minutes on XOR's four samples.
MAX_EPOCHS = 10**7


def _kind(value: Any) -> str:
    return type(value).__name__


def shown(value: Any, width: int = 60) -> str:
    """``repr(value)`` for an error message, but an integer that Python refuses to print (past 4,300 digits: a
    ValueError of its own in place of the message) by its size, a list or array holding one by its type, and a
    str cut after ``width`` characters (a name from a zip directory may take 65,535 bytes: a message listing a
    few such held hundreds of KB).

    >>> shown(3), shown(-10**5000), shown("a" * 100, 4)
    ('3', '-(a huge number, about 10^5000)', "'aaaa'... (100 characters)")
    """
    if isinstance(value, str) and len(value) > width:
        return f"{value[:width]!r}... ({len(value):,} characters)"
    try:
        return repr(value)
    except ValueError:
        if isinstance(value, int | np.integer):
            return f"{'-' if value < 0 else ''}(a huge number, about 10^{int(math.log10(abs(int(value))))})"
        return f"a {type(value).__name__} holding integers too long to print"      # an object array of them


def listed(values: Any, most: int = 12) -> str:
    """A list of numbers for an error message, each as ``shown`` prints it; past ``most`` of them the first and
    last few and the count (a million layer sizes made a message of megabytes, and took seconds to write).

    >>> listed([2, 16, 1]), listed([2] * 100)
    ('[2, 16, 1]', '[2, 2, 2, 2, 2, 2, 2, 2, ..., 2, 2, 2] (100 numbers)')
    """
    values = list(values)
    if len(values) <= most:
        return "[" + ", ".join(shown(v) for v in values) + "]"
    return ("[" + ", ".join(shown(v) for v in values[:most - 4]) + ", ..., "
            + ", ".join(shown(v) for v in values[-3:]) + f"] ({len(values):,} numbers)")


def whole(value: Any, who: str, name: str, minimum: int | None = 1) -> int:
    """``value`` as an int: an int or numpy integer (never a bool, a float or a string), at least ``minimum``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(f"{who}: {name} must be a whole number (an int), got {shown(value)} ({_kind(value)})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{who}: {name} must be >= {minimum}, got {shown(value)}")
    return value


def real(value: Any, who: str, name: str, *, low: float | None = None, high: float | None = None,
         low_open: bool = False, high_open: bool = False, hint: str = "") -> float:
    """``value`` as a finite float (an int, float or numpy real; never a bool, a string, a complex number, NaN or
    inf) inside the interval from ``low`` to ``high`` (open at an end when ``low_open`` / ``high_open``)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{who}: {name} must be a real number, got {value!r} ({_kind(value)}){hint}")
    try:
        x = float(value)
    except OverflowError:
        x = math.inf if value > 0 else -math.inf
    lo = "" if low is None else ("(" if low_open else "[") + f"{low:g}"
    hi = "" if high is None else f"{high:g}" + (")" if high_open else "]")
    where = f" in {lo}, {hi}" if low is not None and high is not None else (
        f" {'>' if low_open else '>='} {low:g}" if low is not None else
        f" {'<' if high_open else '<='} {high:g}" if high is not None else "")
    if not math.isfinite(x):
        raise ValueError(f"{who}: {name} must be a finite number{where}, got {shown(value)}{hint}")
    if low is not None and (x < low or (low_open and x == low)) or \
            high is not None and (x > high or (high_open and x == high)):
        raise ValueError(f"{who}: {name} must be{where}, got {shown(value)}{hint}")
    return x


# A network's layers: each is a few Python objects (about 1.4 kB for a Linear) and a Python step in every forward and
# backward pass. nn.MLP([2] * 10**5) took 12 s and 140 MB to build, so [2] * 10**7 would take about half an hour
# and 14 GB; and a refused list of 10**7 sizes took 27 s to check and print. The lectures' nets have a few layers.
MAX_LAYERS = 10_000


def sizes(value: Any, who: str, name: str = "sizes", minimum_length: int = 1,
          maximum_length: int | None = None) -> list[int]:
    """A list of layer sizes: a list, tuple or 1-D integer array of whole numbers >= 1 (never a string), of at most
    ``maximum_length`` of them (checked before any entry)."""
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise TypeError(f"{who}: {name} must be a list of whole numbers, got an array of shape {value.shape}")
        value = value.tolist()
    if not isinstance(value, list | tuple):
        raise TypeError(f"{who}: {name} must be a list of whole numbers such as [2, 16, 1], got {value!r} "
                        f"({_kind(value)})")
    if len(value) < minimum_length:
        raise ValueError(f"{who}: {name} must list at least {minimum_length} size(s), got {list(value)}")
    if maximum_length is not None and len(value) > maximum_length:
        raise ValueError(f"{who}: {name} lists {len(value):,} sizes, more than {maximum_length:,}: a network may have "
                         f"at most {MAX_LAYERS:,} layers (each is Python objects, and Python steps in every forward "
                         f"and backward pass); check the sizes, {name} = {listed(value)}")
    out = []
    for i, n in enumerate(value):
        if isinstance(n, bool | np.bool_) or not isinstance(n, int | np.integer):
            raise TypeError(f"{who}: {name}[{i}] must be a whole number (an int), got {shown(n)} ({_kind(n)}); "
                            f"{name} = {listed(value)}")
        if n < 1:
            raise ValueError(f"{who}: {name}[{i}] must be >= 1, got {shown(n)}; {name} = {listed(value)}")
        out.append(int(n))
    return out


def seed(value: Any, who: str) -> Any:
    """A seed: None (fresh randomness), an int >= 0, or a numpy Generator (used as is)."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    message = (f"{who}: seed must be None, a whole number >= 0 or a numpy Generator "
               f"(np.random.default_rng(0)), got {shown(value)} ({_kind(value)})")
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(message)
    if value < 0:
        raise ValueError(message)
    return int(value)


def array(value: Any, who: str, name: str, *, ndim: int | tuple[int, ...] | None = None, finite: bool = True,
          hint: str = "") -> np.ndarray:
    """``value`` as a float numpy array (a list, tuple, numpy array or Tensor of reals; True / False count as 1 / 0),
    refusing by name what numpy would turn into an object, string or complex array or fail on: strings, None,
    dicts, ragged lists, integers too large for a float, complex numbers. ``ndim`` (one or several) fixes the number
    of axes; ``finite`` refuses NaN and inf."""
    data = getattr(value, "data", None)
    if isinstance(data, np.ndarray) and type(value).__name__ == "Tensor":
        value = data
    if value is None or isinstance(value, str | bytes | dict | set):
        raise TypeError(f"{who}: {name} must be an array of real numbers, got {value!r} ({_kind(value)}){hint}")
    unmasked(value, who, name)  # np.asarray would keep the numbers under the mask
    try:
        A = np.asarray(value)
    except (ValueError, TypeError, OverflowError) as e:
        raise ValueError(f"{who}: {name} must be an array of real numbers with rows of equal length, got a ragged "
                         f"or mixed {_kind(value)} ({e}){hint}") from None
    if A.dtype.kind == "b":
        A = A.astype(float)
    if A.dtype.kind == "c":
        raise TypeError(f"{who}: {name} must be real numbers, got complex numbers (dtype {A.dtype}){hint}")
    if A.dtype.kind not in "iuf":
        raise TypeError(f"{who}: {name} must be an array of real numbers (that fit a float), got {_kind(value)} "
                        f"of dtype {A.dtype}{hint}")
    A = A.astype(float)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if A.ndim not in allowed:
            axes = " or ".join(str(d) for d in allowed)
            raise ValueError(f"{who}: {name} must have {axes} axes, got shape {A.shape}{hint}")
    if finite and not np.all(np.isfinite(A)):
        raise ValueError(f"{who}: {name} must be finite numbers (no NaN or inf){hint}")
    return A
