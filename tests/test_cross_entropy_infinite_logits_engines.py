"""Cross-entropy beside infinite logits: the Value engine's rows (labels and one-hot targets) give the Tensor
engine's fused numbers, NaN where it gives NaN (a logit +inf: PyTorch's F.cross_entropy gives NaN there too).

The Value rows were computed relative to the target's own logit until they were shifted by the row's
log-sum-exp: logits [-inf, 1] on class 0 then gave NaN where the loss is inf with gradient [-1, 1] (by hand:
-log softmax(z)_0 = -log 0, and softmax - one-hot = [0, 1] - [1, 0]), while [1, inf] on class 0 gave inf where
the Tensor engine and PyTorch give NaN. Both engines now agree on every row below."""

import math

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import losses

INF = math.inf
ROWS = [([1.0, INF], 0), ([1.0, INF], 1), ([INF, INF], 0), ([-INF, 1.0], 0), ([-INF, 1.0], 1),
        ([INF, 1.0, -INF], 0), ([-INF, -INF, 2.0], 2), ([-INF, -INF, 1.0], 0), ([-INF, -INF, 1.0], 1),
        ([-1e17, -3.0, 0.0], 0), ([1e17, 1e17], 1)]


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-15 * max(abs(a), abs(b))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")      # the fused op's own overflow/invalid warnings
@pytest.mark.parametrize("row, k", ROWS)
@pytest.mark.parametrize("kind", ["labels", "one-hot"])
def test_value_rows_give_the_tensor_engines_numbers(row, k, kind):
    t = Tensor(np.array([row]), requires_grad=True)
    expected = losses.cross_entropy(t, np.array([k]))
    expected.backward()
    xs = [Value(z) for z in row]
    target = np.array([k]) if kind == "labels" else np.eye(len(row))[[k]]
    got = losses.cross_entropy(np.array([xs], dtype=object), target)
    got.backward()
    assert _same(got.data, expected.item())
    assert all(_same(x.grad, g) for x, g in zip(xs, t.grad[0].tolist()))


def test_log_sum_exp_beside_two_logits_minus_inf_passes_them_no_nan():
    # review: logaddexp(-inf, -inf) had NaN slopes (sigmoid of inf - inf), and log_sum_exp's next step passed them
    # 0 times NaN: the gradient of ln(e^-inf + e^-inf + e^0) = 0 is the softmax [0, 0, 1] (by hand)
    row = [Value(-INF), Value(-INF), Value(0.0)]
    s = losses.log_sum_exp(row)
    s.backward()
    assert (s.data, [v.grad for v in row]) == (0.0, [0.0, 0.0, 1.0])
    a, b = Value(-INF), Value(-INF)
    y = a.logaddexp(b)
    y.backward()
    assert (y.data, a.grad, b.grad) == (-INF, 0.5, 0.5)                   # the limit along a = b
