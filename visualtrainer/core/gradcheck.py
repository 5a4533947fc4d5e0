"""Gradient checking: the backward pass against centred differences of the cost, as the course does it."""

import numpy as np



def gradient_check(net, X, Y, epsilon=1e-7):
    """‖g − g_approx‖ / (‖g‖ + ‖g_approx‖) for the network's current parameters on X (n_x, m), Y.

    g is the backward pass's gradient; g_approx[p] = (J(θ + ε·e_p) − J(θ − ε·e_p)) / (2ε) for every parameter p.
    Needs ``dtype="float64"``: in float32 the differences drown in rounding. Returns (difference, g, g_approx).
    """
    if np.dtype(net.dtype) != np.float64:
        raise ValueError(f"gradient checking needs dtype='float64'; got {net.dtype!r}.")
    if not net.is_fitted:
        net.initialize()
    engine = net.runner(X, Y)
    _, grad = engine.gradient(net.theta_, net.l2, net.l1)
    theta = net.theta_.copy()
    approx = np.empty_like(theta)
    for p in range(theta.size):
        shifted = theta.copy()
        shifted[p] = theta[p] + epsilon
        plus = engine.evaluate(shifted, net.l2, with_cost=True, l1=net.l1)[1]
        shifted[p] = theta[p] - epsilon
        minus = engine.evaluate(shifted, net.l2, with_cost=True, l1=net.l1)[1]
        approx[p] = (plus - minus) / (2 * epsilon)
    difference = np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx))
    return float(difference), grad, approx
