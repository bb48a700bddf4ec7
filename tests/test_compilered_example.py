"""compile's example goes through the same door as the compiled function's inputs (and Value()): a string is
refused, not parsed (["12", "34"] was traced as the lists [1, 2] and [3, 4], and b"12" as the numbers 49 and 50,
at which f's branches were then frozen), and so are timedeltas, masked entries and ints beyond the float range
(Python's bare OverflowError named nothing). Numbers Value() takes are taken as it takes them."""

from __future__ import annotations

import struct
from array import array
from fractions import Fraction

import numpy as np
import pytest

from autograd import Value, compile


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def product(*lists):
    total = Value(1.0)
    for xs in lists:
        for x in xs:
            total = total * x
    return total


@pytest.mark.parametrize("example, message", [
    (["12", "34"], r"compile: example: entry 0 must be a real number \(int or float\), got str '12'"),
    ([b"12", b"34"], r"compile: example: entry 0 must be a real number .*got bytes b'12'"),
    (([1.0], "12"), r"compile: example\[1\] must be a list of numbers, got str '12'"),
    (np.array(["1", "2"]), r"compile: example: entry 0 must be a real number .*got str '1'"),
    ([np.timedelta64(3), 1.0], r"compile: example: entry 0 must be a real number .*timedelta64"),
    ([1.0, 10**400], r"compile: example: about 1e400 is too large for a float"),
    (([1.0], [10**400]), r"compile: example\[1\]: about 1e400 is too large for a float"),
    (np.ma.masked_array([1.0, 2.0], mask=[True, False]), r"compile: example is a masked array with 1 masked"),
    (([1.0], np.ma.masked_array([1.0, 2.0], mask=[False, True])), r"compile: example\[1\] is a masked array"),
    ([True, 2.0], r"compile: example: entry 0 must be a real number .*got bool True"),
])
def test_an_example_compile_cannot_read_as_numbers_is_refused_by_name(example, message):
    with pytest.raises((TypeError, ValueError), match=message):
        compile(lambda *lists: product(*lists), example)


@pytest.mark.parametrize("example", [
    [np.float32(0.1), 3], np.array([0.1, 3.0], dtype=np.float32), [Fraction(1, 3), 2**53 + 1],
    ([np.float16(0.1)], (np.int64(7),)), (np.array([0.5, 2.0]), [1.5]), (array("d", [1.0, 2.0]), [3.0]),
    array("d", [0.25, 4.0]),
])
def test_an_example_of_numbers_is_read_as_value_reads_them(example):
    lists = [example] if not isinstance(example, tuple) else list(example)
    fast = compile(lambda *xs: product(*xs), example)
    value, _ = fast(*lists)
    total = Value(1.0)
    for xs in lists:
        for x in (xs.tolist() if hasattr(xs, "tolist") else xs):
            total = total * Value(x)
    assert bits(value) == bits(total.data)
    assert fast.sizes == [len(xs) for xs in lists]
