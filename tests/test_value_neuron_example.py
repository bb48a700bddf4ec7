"""examples/neuron.py (make demo) prints the gradients of o = tanh(x1 w1 + x2 w2 + b) that the chain rule gives."""

import importlib.util
import math
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "examples" / "neuron.py"


def printed_table(text: str) -> dict:
    """{node label: (data, grad)} from the script's table."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("node")) + 1
    table = {}
    for line in lines[start:]:
        if not line.strip():
            break
        name, _op, data, grad = line.rsplit(maxsplit=3)
        table[name.strip()] = (float(data), float(grad))
    return table


def test_neuron_example_prints_the_gradients_worked_out_by_hand(capsys):
    spec = importlib.util.spec_from_file_location("neuron_example", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()
    out = capsys.readouterr().out
    table = printed_table(out)

    x1, x2, w1, w2, b = 2.0, 0.0, -3.0, 1.0, 6.8813735870195432
    n = x1 * w1 + x2 * w2 + b
    o = math.tanh(n)
    do_dn = 1 - o * o                                   # tanh' = 1 - tanh^2; n is a sum, so every summand gets it
    expected = {
        "o": (o, 1.0),
        "n": (n, do_dn),
        "b": (b, do_dn),
        "x1*w1": (x1 * w1, do_dn),
        "x2*w2": (x2 * w2, do_dn),
        "x1": (x1, w1 * do_dn),                         # d(x1 w1)/dx1 = w1
        "w1": (w1, x1 * do_dn),
        "x2": (x2, w2 * do_dn),
        "w2": (w2, x2 * do_dn),
    }
    for name, (data, grad) in expected.items():
        assert math.isclose(table[name][0], data, abs_tol=1e-6), name
        assert math.isclose(table[name][1], grad, abs_tol=1e-6), name
    assert (round(o, 6), round(do_dn, 6)) == (0.707107, 0.5)  # micrograd's demo numbers
    assert "gradcheck: ok" in out


def test_neuron_example_runs_as_a_script():
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("gradcheck: ok")
