"""examples/second_order.py run small: Newton's quadratic convergence, and the HH19 costs checked independently."""

import importlib.util
import os
import re

import numpy as np

import nn
from nn import losses
from nn.data import hh19

DOCS_SECOND = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "second_derivatives.md")
EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "second_order.py")


def _load():
    spec = importlib.util.spec_from_file_location("example_second_order", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_second_order_example_shows_newtons_quadratic_convergence_and_reaches_1e_4_on_hh19(tmp_path):
    example = _load()
    found = example.main(iterations=80, gd_iterations=200, out_dir=str(tmp_path), show=False)
    assert os.path.getsize(found["path"]) > 10_000
    g = found["newton_gnorms"]
    tail = [k for k in range(1, len(g)) if 1e-8 < g[k - 1] < 1e-2]
    assert len(tail) >= 3 and all(g[k] <= 50 * g[k - 1] ** 2 for k in tail)  # |g_k+1| <= C |g_k|^2: quadratic
    reached = found["reached"]
    assert reached["Levenberg-Marquardt"] is not None and reached["Newton (damped)"] is not None
    assert reached["gradient descent"] is None                               # 200 steps are far from enough
    # docs/second_derivatives.md quotes the counts; these two do not depend on the iterations allowed once reached
    doc = " ".join(open(DOCS_SECOND).read().split())
    quoted = re.search(r"reach a cost of 1e-4 \(Levenberg-Marquardt (\d+), Newton (\d+),", doc)
    assert quoted, "docs/second_derivatives.md no longer quotes the iterations to reach 1e-4"
    assert (int(quoted[1]), int(quoted[2])) == (reached["Levenberg-Marquardt"], reached["Newton (damped)"]), (
        "docs/second_derivatives.md quotes other iteration counts than examples/second_order.py reaches")
    # the example's cost of its own parameter vector against nn's MLP and the quadratic loss, independently
    X, Y = hh19()
    p = found["p0"]
    pairs, k = [], 0
    for n_in, n_out in zip([2, 2, 3], [2, 3, 2]):
        W = p[k:k + n_in * n_out].reshape(n_out, n_in)
        k += n_in * n_out
        pairs.append((W, p[k:k + n_out]))
        k += n_out
    model = nn.MLP([2, 2, 3, 2], activation="sigmoid").set_weights(pairs)
    start = float(losses.quadratic(model(X), Y).data)
    assert all(np.isclose(costs[0], start, rtol=1e-12) for costs in found["hh19"].values())
