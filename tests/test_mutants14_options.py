"""Mutation testing of nn/options.py (the argparse types every example uses), fourteenth round: each test fails on a
deliberate mistake (named in its comment) that the rest of the suite let pass. The expected messages are written
out by hand from the bounds given."""

from __future__ import annotations

import argparse
import sys

import pytest

from nn.options import Real, Whole


def _message(kind, text: str) -> str:
    with pytest.raises(argparse.ArgumentTypeError) as refused:
        kind(text)
    return str(refused.value)


def test_the_help_of_a_range_writes_its_bounds_with_thousands_separators_and_no_empty_reason():
    # mutants: "at least {least}" without the separator (every example's least is below 1,000, so none showed
    # it); " ({why})" even for an empty why ("at most 10 ()"); Real's help without its branch for no upper bound
    # ("at most None" via {None:g}, a TypeError) or with another wording
    assert Whole(10_000).help == "at least 10,000"
    assert Whole(1, 10).help == "at least 1, at most 10"
    assert _message(Whole(1, 10), "11") == "must be at most 10, got 11"
    assert Real(0.0).help == "a finite number above 0"


def test_a_value_of_30_digits_is_written_out_and_one_of_31_is_described():
    # mutant: `digits < 30` for `digits <= 30`: a value of 30 digits (10^30 - 1) was described by its length
    assert _message(Whole(1, 10), "9" * 30) == "must be at most 10, got " + "999," * 9 + "999"
    assert _message(Whole(1, 10), "9" * 31) == "must be at most 10, got a number of 31 digits"


def test_too_many_digits_between_spaces_are_counted_as_digits_and_their_sign_read_after_the_spaces():
    # mutants in _not_whole: the text not stripped before its sign and digits are read (int() takes " 9", so
    # argparse hands the spaces on): " " + 5,000 nines was shown as a string of 5,001 characters, not counted as
    # a number of 5,000 digits; " -" + 5,000 nines was called a number, not a negative one
    assert _message(Whole(1, 10), " " + "9" * 5000) == "must be at least 1, at most 10, got a number of 5,000 digits"
    assert _message(Whole(1, 10), " -" + "9" * 5000) == ("must be at least 1, at most 10, got a negative number of "
                                                          "5,000 digits")


def test_a_digit_that_is_not_a_decimal_digit_is_not_a_whole_number():
    # mutant: str.isdigit for str.isdecimal: "²" is a digit to Python but int() refuses it; the message then said
    # "a number of 1 digits" of what is not a number written in digits
    assert _message(Whole(1, 10), "²") == "must be a whole number written in digits, at least 1, at most 10, got '²'"


def test_a_long_text_that_is_not_a_number_is_cut_in_the_message():
    # mutant: {text!r} for shown(text): a 5,000-character text went into the message whole
    said = _message(Real(0.0, 1.0), "x" * 5000)
    assert said == "must be a number, got " + repr("x" * 60) + "... (5,000 characters)"


def test_a_number_too_long_for_int_with_no_upper_bound_is_refused_for_its_length_not_its_least():
    # bug (found beside the mutants): Python's int() reads at most sys.get_int_max_str_digits() = 4,300 digits,
    # so a seed of 4,301 nines (a whole number >= 0, and Whole(0) has no upper bound) was refused as "must be at
    # least 0, got a number of 4,301 digits": a bound the value meets. The bound that refuses it is the length.
    limit = sys.get_int_max_str_digits()
    assert Whole(0)("9" * limit) == 10**limit - 1
    said = _message(Whole(0), "9" * (limit + 1))
    assert said == f"must be at least 0, written in at most {limit:,} digits, got a number of {limit + 1:,} digits"
    # below the least, or past a most, the bound it breaks is said as before
    assert _message(Whole(0), "-" + "9" * (limit + 1)) == (f"must be at least 0, got a negative number of "
                                                            f"{limit + 1:,} digits")
    assert _message(Whole(1, 10), "9" * (limit + 1)) == (f"must be at least 1, at most 10, got a number of "
                                                          f"{limit + 1:,} digits")
