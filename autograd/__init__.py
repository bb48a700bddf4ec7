"""deltagrad's engine: two kinds of node (Value, a scalar; Tensor, a numpy array) recording one kind of graph.

>>> from autograd import Value
>>> x = Value(2.0)
>>> y = (x * x).tanh()
>>> y.backward()
"""

import numpy as _np

# numpy 2's rules (a Python number does not widen a float32 array; np.exceptions, np.vecdot, ...): on numpy 1 a
# float32 Tensor's gradients came back float64, so the engine refuses to start rather than compute otherwise
if int(_np.__version__.split(".")[0]) < 2:
    raise ImportError(f"deltagrad needs numpy 2.0 or later; this Python has numpy {_np.__version__}. "
                      "Upgrade it: pip install --upgrade 'numpy>=2'")

from . import functional as functional
from . import rules as rules
from .compile import CompileError, GraphChanged, GraphTooLarge, compile
from .draw import draw, to_dot
from .functional import grad
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad
from .graph import detect_anomaly, enable_grad, is_grad_enabled, no_grad, topological_order, zero_grad
from .tensor import Tensor, concatenate, diag, dot, logaddexp, matmul, maximum, minimum, outer, stack, trace, where
from .tensor.fused import linear, sigmoid_cross_entropy, softmax_cross_entropy
from .value import Value, weighted_sum

__all__ = [
    "Value",
    "weighted_sum",
    "Tensor",
    "maximum",
    "minimum",
    "logaddexp",
    "where",
    "concatenate",
    "stack",
    "matmul",
    "dot",
    "outer",
    "trace",
    "diag",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "detect_anomaly",
    "topological_order",
    "zero_grad",
    "gradcheck",
    "gradgradcheck",
    "numerical_grad",
    "GradcheckError",
    "draw",
    "to_dot",
    "compile",
    "linear",
    "softmax_cross_entropy",
    "sigmoid_cross_entropy",
    "CompileError",
    "GraphChanged",
    "GraphTooLarge",
    "grad",
    "functional",
]
