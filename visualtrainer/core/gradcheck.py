"""Gradient checking: the backward pass against centred differences of the cost, as the course does it."""

import numpy as np

from . import loop_kernels as K
from . import parallel


def gradient_check(net, X, Y, epsilon=1e-7):
    """‖g − g_approx‖ / (‖g‖ + ‖g_approx‖) for the network's current parameters on X (n_x, m), Y.

    g is the backward pass's gradient; g_approx[p] = (J(θ + ε·e_p) − J(θ − ε·e_p)) / (2ε) for every parameter p.
    Needs ``dtype="float64"``: in float32 the differences drown in rounding. Returns (difference, g, g_approx).
    """
    if np.dtype(net.dtype) != np.float64:
        raise ValueError(f"gradient checking needs dtype='float64'; got {net.dtype!r}.")
    if not net.is_fitted:
        net.initialize()
    problem = net.problem(X, Y)
    dims, w_off, b_off, _ = net._layout()
    acts = net._codes()
    args = (w_off, b_off, dims, acts, problem.loss_code, float(net.l2), problem.XT, problem.Y)
    m = problem.m
    rows = np.arange(m)
    widest = int(dims.max())
    zbuf = np.empty(int(dims[1:].sum()) * m)
    abuf = np.empty_like(zbuf)
    grad = np.empty_like(net.theta_)
    tiled = problem.n_tiles > 0
    parallel.run(K.cost_and_gradient, net.theta_, grad, *args, rows, problem.scale, zbuf, abuf, np.empty(widest * m),
                 np.empty(widest * m), problem.n_tiles, parallel=tiled)
    theta = net.theta_.copy()
    approx = np.empty_like(theta)
    for p in range(theta.size):
        shifted = theta.copy()
        shifted[p] = theta[p] + epsilon
        plus = parallel.run(K.cost_at, shifted, *args, problem.scale, problem.n_tiles, parallel=tiled)
        shifted[p] = theta[p] - epsilon
        minus = parallel.run(K.cost_at, shifted, *args, problem.scale, problem.n_tiles, parallel=tiled)
        approx[p] = (plus - minus) / (2 * epsilon)
    difference = np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx))
    return float(difference), grad, approx
