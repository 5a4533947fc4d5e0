"""Compiled evaluation of J over a plane of parameter space: θ = θc + a·d1 + b·d2 at every (a, b) of a grid.

The first layer's pre-activations are linear in its parameters, so along the plane
Z[1](a, b) = Z0 + a·P1 + b·P2, with Z0 = W1c·X + b1c and Pk = W1(dk)·X + b1(dk). After those three passes over
the inputs (the stacked first layers, ``CostSlicer``), a grid point costs O(m·n[1]) plus the later layers, whatever n_x is. The L2
term Σ‖W[l]‖² is a quadratic in (a, b) whose six coefficients are computed once (``weight_quadratic``).
"""

import math

import numpy as np

from ._jit import FASTMATH, jit
from .activations import SOFTMAX, TANH
from .kernels.layers import CROSS_ENTROPY, activate, dense_forward
from .kernels.network import block as _block
from .kernels.share import claim, complete, current_stage, open_stage, stopped, wait_past


@jit
def weight_quadratic(theta_c, d1, d2, w_off, dims):
    """(c00, c01, c02, c11, c12, c22) with Σ‖W[l]‖² at θc + a·d1 + b·d2 =
    c00 + 2a·c01 + 2b·c02 + a²·c11 + 2ab·c12 + b²·c22 (biases are not in the L2 term)."""
    c = np.zeros(6)
    for l in range(1, dims.shape[0]):
        for q in range(w_off[l], w_off[l] + dims[l] * dims[l - 1]):
            w, u, v = theta_c[q], d1[q], d2[q]
            c[0] += w * w
            c[1] += w * u
            c[2] += w * v
            c[3] += u * u
            c[4] += u * v
            c[5] += v * v
    return c


@jit(fastmath=FASTMATH)
def _activate(code, Z, A):
    """A = g(Z), as ``activate`` but with tanh from one exp (four times faster than math.tanh, within 3e-16)."""
    if code != TANH:
        activate(code, Z, A)
        return
    n, m = Z.shape
    for j in range(n):
        for i in range(m):
            z = Z[j, i]
            t = math.exp(-2.0 * abs(z))
            r = (1.0 - t) / (1.0 + t)
            A[j, i] = r if z >= 0 else -r


@jit
def _loss_sum(out_code, loss_code, ZL, AL, Y):
    """Σ over the examples of L(ŷ, y): cross-entropy from Z, stably (log(1 + e^(−|z|)) for a sigmoid), or ½(ŷ − y)²."""
    # The same sums as layers_kernels.output_loss, written again on purpose: calling a shared per-example loss (with
    # log1p) made the 101×101 surface of the cat set's logistic regression 2.8x slower (24 → 68 ms, bench_surface).
    n_y, m = ZL.shape
    total = 0.0
    for i in range(m):
        if loss_code == CROSS_ENTROPY and out_code == SOFTMAX:
            top = ZL[0, i]
            for k in range(1, n_y):
                top = max(top, ZL[k, i])
            s = 0.0
            for k in range(n_y):
                s += math.exp(ZL[k, i] - top)
            lse = top + math.log(s)
            for k in range(n_y):
                total += Y[k, i] * (lse - ZL[k, i])
        elif loss_code == CROSS_ENTROPY:
            for k in range(n_y):
                z = ZL[k, i]
                total += max(z, 0.0) - z * Y[k, i] + math.log(1.0 + math.exp(-abs(z)))
        else:
            for k in range(n_y):
                diff = AL[k, i] - Y[k, i]
                total += 0.5 * diff * diff
    return total


@jit(fastmath=FASTMATH)
def _first_layer_at(planes, a, b, Z):
    n, m = Z.shape
    for r in range(n):
        for e in range(m):
            Z[r, e] = planes[0, r, e] + a * planes[1, r, e] + b * planes[2, r, e]


@jit(fastmath=FASTMATH)
def _absolute_sum(w, u, v, a, b):
    """Σ |w + a·u + b·v|."""
    total = 0.0
    for p in range(w.shape[0]):
        total += abs(w[p] + a * u[p] + b * v[p])
    return total


@jit
def plane_costs(wid, sync, planes, plane, spec, penalty, Y, alphas, betas, costs):
    """costs[j, i] = J at θc + alphas[i]·d1 + betas[j]·d2, plane = (θc, d1, d2); a team kernel: members claim rows
    of the grid.

    ``penalty`` = (λ2, the L2 term's quadratic (6,), λ1, the weights of θc, d1, d2 (3, P_w)): the L1 term
    Σ|w| is not a quadratic in (a, b), so it is summed over the weights at each grid point.
    """
    theta_c, d1, d2 = plane
    l2, quad, l1, weights = penalty
    dims, w_off, b_off, acts = spec.dims, spec.w_off, spec.b_off, spec.acts
    m = Y.shape[1]
    L = dims.shape[0] - 1
    na, nb = alphas.shape[0], betas.shape[0]
    rest = w_off[2] if L >= 2 else theta_c.shape[0]  # the parameters after the first layer's
    p = theta_c.shape[0]
    n_y = dims[L]
    inv_m = 1.0 / m
    zbuf = np.empty(dims[1:].sum() * m)
    abuf = np.empty_like(zbuf)
    theta = theta_c.copy()
    stage = current_stage(sync)
    while stage < 1 and not stopped(sync):
        while True:
            j = claim(sync, stage, nb, wid)
            if j < 0:
                break
            b = betas[j]
            for i in range(na):
                a = alphas[i]
                for q in range(rest, p):
                    theta[q] = theta_c[q] + a * d1[q] + b * d2[q]
                _first_layer_at(planes, a, b, _block(zbuf, 0, dims[1], m))
                offset = 0
                for l in range(1, L + 1):
                    Z = _block(zbuf, offset, dims[l], m)
                    A = _block(abuf, offset, dims[l], m)
                    if l > 1:
                        W = _block(theta, w_off[l], dims[l], dims[l - 1])
                        dense_forward(W, theta[b_off[l] : b_off[l] + dims[l]],
                                      _block(abuf, offset - dims[l - 1] * m, dims[l - 1], m), Z)
                    _activate(acts[l - 1], Z, A)
                    offset += dims[l] * m
                last = offset - n_y * m
                cost = _loss_sum(acts[L - 1], spec.loss, _block(zbuf, last, n_y, m), _block(abuf, last, n_y, m),
                                 Y) * inv_m
                if l2 > 0.0:
                    squares = (quad[0] + 2.0 * a * quad[1] + 2.0 * b * quad[2] + a * a * quad[3]
                               + 2.0 * a * b * quad[4] + b * b * quad[5])
                    cost += 0.5 * l2 * inv_m * squares
                if l1 > 0.0:
                    cost += l1 * inv_m * _absolute_sum(weights[0], weights[1], weights[2], a, b)
                costs[j, i] = cost
            if complete(sync, nb):
                open_stage(sync, 1)
        stage = wait_past(sync, stage, wid)
