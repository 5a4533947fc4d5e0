"""One optimiser step on a range of parameters, written to the other buffer: θ' = θ − α·(the optimiser's step).

Parameters and the optimisers' moving averages are double-buffered: a step reads one buffer and writes the other,
so the parameters before the step stay intact (training keeps them when the step turns out bad) at no extra cost.
"""

import math

from .._jit import DOT, ELEMENTWISE, borrowing

GD, MOMENTUM, RMSPROP, ADAM = range(4)
#: Not an optimiser: the "step" writes the gradient itself to the other buffer (for gradient checks).
GRADIENT = 4
#: Not an optimiser either: the training loop runs the forward pass alone (``kernels.train``).
EVALUATE = 5


@borrowing(fastmath=ELEMENTWISE)
def apply_step(hyper, theta, theta_next, g, v, v_next, s, s_next):
    """θ' from θ and the gradient g (all 1-D, the same length); v, s: momentum's and RMSProp's averages.

    ``hyper`` = (code, α, β1, β2, ε, fix1, fix2), the numbers in the parameters' dtype, fix1 and fix2 Adam's bias
    corrections 1 − β1^t and 1 − β2^t. Returns (Σ g², whether θ' is finite).
    """
    code, lr, beta1, beta2, eps, fix1, fix2 = hyper
    n = theta.shape[0]
    one = theta.dtype.type(1.0)
    if code == GD:
        for p in range(n):
            theta_next[p] = theta[p] - lr * g[p]
    elif code == GRADIENT:
        for p in range(n):
            theta_next[p] = g[p]
    elif code == MOMENTUM:
        for p in range(n):
            v_next[p] = beta1 * v[p] + (one - beta1) * g[p]
            theta_next[p] = theta[p] - lr * v_next[p]
    elif code == RMSPROP:
        for p in range(n):
            s_next[p] = beta2 * s[p] + (one - beta2) * g[p] * g[p]
            theta_next[p] = theta[p] - lr * g[p] / (math.sqrt(s_next[p]) + eps)
    else:
        for p in range(n):
            v_next[p] = beta1 * v[p] + (one - beta1) * g[p]
            s_next[p] = beta2 * s[p] + (one - beta2) * g[p] * g[p]
            theta_next[p] = theta[p] - lr * (v_next[p] / fix1) / (math.sqrt(s_next[p] / fix2) + eps)
    return sum_of_squares(g), all_finite(theta_next)


@borrowing(fastmath=DOT)
def sum_of_squares(x):
    """Σ x² in float64."""
    total = 0.0
    for p in range(x.shape[0]):
        total += x[p] * x[p]
    return total


@borrowing(fastmath=DOT)
def sum_of_absolutes(x):
    """Σ |x| in float64."""
    total = 0.0
    for p in range(x.shape[0]):
        total += abs(x[p])
    return total


@borrowing(fastmath=DOT)
def all_finite(x):
    """Whether every entry is finite: x − x is 0 for a finite x and NaN for ±inf or NaN (no flag lets LLVM fold it)."""
    total = x.dtype.type(0)
    for p in range(x.shape[0]):
        total += x[p] - x[p]
    return total == 0
