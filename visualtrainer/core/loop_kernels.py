"""The compiled training loop: many iterations of forward, backward and update per call, without the GIL.

Parameters live in one flat vector ``theta`` (and the gradient in ``grad``, laid out alike): W[l] at
``w_off[l]`` as an (n[l], n[l-1]) block in row order, then b[l] at ``b_off[l]``. ``dims`` is (n[0], …, n[L]) and
``acts[l-1]`` the activation code of layer l (the last one is the output's).
"""

import math

import numpy as np

from ._jit import jit
from .layers_kernels import (
    activate,
    activate_backward,
    dense_backward,
    dense_forward,
    input_backward,
    input_backward_tiled,
    input_forward,
    input_forward_tiled,
    output_loss,
)

# Why a call of ``run_iterations`` returned.
RAN_ALL, INTERRUPTED, CONVERGED, NONFINITE_COST, NONFINITE_PARAMS, BLEW_UP = range(6)
GD, MOMENTUM, RMSPROP, ADAM = range(4)


@jit
def _block(flat, offset, rows, cols):
    return flat[offset : offset + rows * cols].reshape((rows, cols))


@jit
def forward(theta, w_off, b_off, dims, acts, XT, rows, scale, zbuf, abuf, n_tiles):
    """Fill Z[l], A[l] for l = 1..L over the examples ``rows``; zbuf, abuf hold them one after another."""
    mb = rows.shape[0]
    L = dims.shape[0] - 1
    offset = 0
    for l in range(1, L + 1):
        W = _block(theta, w_off[l], dims[l], dims[l - 1])
        b = theta[b_off[l] : b_off[l] + dims[l]]
        Z = _block(zbuf, offset, dims[l], mb)
        A = _block(abuf, offset, dims[l], mb)
        if l == 1:
            if n_tiles > 0:
                input_forward_tiled(W, b, XT, rows, scale, Z, n_tiles)
            else:
                input_forward(W, b, XT, rows, scale, Z)
        else:
            dense_forward(W, b, _block(abuf, offset - dims[l - 1] * mb, dims[l - 1], mb), Z)
        activate(acts[l - 1], Z, A)
        offset += dims[l] * mb
    return offset - dims[L] * mb  # where Z[L], A[L] start


@jit
def cost_and_gradient(theta, grad, w_off, b_off, dims, acts, loss_code, l2, XT, Y, rows, scale,
                      zbuf, abuf, dbuf1, dbuf2, n_tiles):
    """J over the batch ``rows`` (with its L2 term) and its gradient written into ``grad``."""
    mb = rows.shape[0]
    L = dims.shape[0] - 1
    inv_m = 1.0 / mb
    last = forward(theta, w_off, b_off, dims, acts, XT, rows, scale, zbuf, abuf, n_tiles)
    dZ = _block(dbuf1, 0, dims[L], mb)
    loss = output_loss(acts[L - 1], loss_code, _block(zbuf, last, dims[L], mb), _block(abuf, last, dims[L], mb),
                       Y, rows, dZ, _block(dbuf2, 0, dims[L], mb), inv_m)
    offset = last
    for l in range(L, 0, -1):
        dW = _block(grad, w_off[l], dims[l], dims[l - 1])
        db = grad[b_off[l] : b_off[l] + dims[l]]
        dZ = _block(dbuf1, 0, dims[l], mb)
        if l == 1:
            if n_tiles > 0:
                input_backward_tiled(dZ, XT, rows, scale, dW, db, n_tiles)
            else:
                input_backward(dZ, XT, rows, scale, dW, db)
        else:
            prev = offset - dims[l - 1] * mb
            dA_prev = _block(dbuf2, 0, dims[l - 1], mb)
            W = _block(theta, w_off[l], dims[l], dims[l - 1])
            dense_backward(W, _block(abuf, prev, dims[l - 1], mb), dZ, dW, db, dA_prev)
            activate_backward(acts[l - 2], _block(zbuf, prev, dims[l - 1], mb), _block(abuf, prev, dims[l - 1], mb),
                              dA_prev, _block(dbuf1, 0, dims[l - 1], mb))
            offset = prev
    cost = loss * inv_m
    if l2 > 0.0:
        squares = 0.0
        for l in range(1, L + 1):
            W = theta[w_off[l] : w_off[l] + dims[l] * dims[l - 1]]
            dW = grad[w_off[l] : w_off[l] + dims[l] * dims[l - 1]]
            for p in range(W.shape[0]):
                squares += W[p] * W[p]
                dW[p] += l2 * inv_m * W[p]
        cost += 0.5 * l2 * inv_m * squares
    return cost


@jit
def update(opt_code, theta, grad, lr, beta1, beta2, eps, v, s, step):
    """One optimiser step on the flat parameters; ``step`` is the update's number t, from 1 (Adam's bias fix)."""
    if opt_code == GD:
        for p in range(theta.shape[0]):
            theta[p] -= lr * grad[p]
    elif opt_code == MOMENTUM:
        for p in range(theta.shape[0]):
            v[p] = beta1 * v[p] + (1.0 - beta1) * grad[p]
            theta[p] -= lr * v[p]
    elif opt_code == RMSPROP:
        for p in range(theta.shape[0]):
            s[p] = beta2 * s[p] + (1.0 - beta2) * grad[p] * grad[p]
            theta[p] -= lr * grad[p] / (math.sqrt(s[p]) + eps)
    else:
        fix1 = 1.0 - beta1**step
        fix2 = 1.0 - beta2**step
        for p in range(theta.shape[0]):
            v[p] = beta1 * v[p] + (1.0 - beta1) * grad[p]
            s[p] = beta2 * s[p] + (1.0 - beta2) * grad[p] * grad[p]
            theta[p] -= lr * (v[p] / fix1) / (math.sqrt(s[p] / fix2) + eps)


@jit
def _norm(x):
    total = 0.0
    for p in range(x.shape[0]):
        total += x[p] * x[p]
    return math.sqrt(total)


@jit
def _all_finite(x):
    for p in range(x.shape[0]):
        if not math.isfinite(x[p]):
            return False
    return True


@jit
def run_iterations(theta, w_off, b_off, dims, acts, loss_code, l2, XT, Y, scale, order, batch_size,
                   opt_code, lr, beta1, beta2, eps, v, s, step0, tol, blowup, interrupt, costs, gnorms, n_tiles,
                   first, trace, trace_every):
    """Run up to ``costs.shape[0]`` iterations (epochs: one pass over the examples in batches).

    ``order`` (n_iter, m) gives each epoch's example order (or one row reused when shuffling is off);
    ``costs[i]`` gets the cost before iteration i's updates (the batch costs weighted by batch size),
    ``gnorms[i]`` the mean ‖∇J‖ of its batches. Returns (iterations done, reason, Adam step count).
    Stops early when ``interrupt[0]`` is set (checked each batch), when ‖∇J‖ < tol, or when the cost or a
    parameter is not finite or the cost exceeds ``blowup``; parameters are never left non-finite.
    With ``trace_every`` > 0, θ after each whole iteration g (counted from ``first`` + 1) that is a multiple of
    ``trace_every`` is copied to ``trace[g // trace_every − first // trace_every − 1]``.
    """
    n_iter = costs.shape[0]
    m = order.shape[1]
    mb_max = m if batch_size <= 0 else min(batch_size, m)
    n_batches = (m + mb_max - 1) // mb_max
    widest = dims.max()
    zbuf = np.empty(dims[1:].sum() * mb_max, dtype=theta.dtype)
    abuf = np.empty_like(zbuf)
    dbuf1 = np.empty(widest * mb_max, dtype=theta.dtype)
    dbuf2 = np.empty_like(dbuf1)
    grad = np.empty_like(theta)
    saved = np.empty_like(theta)
    step = step0
    for it in range(n_iter):
        epoch = order[it % order.shape[0]]
        weighted = 0.0
        norms = 0.0
        for batch in range(n_batches):
            rows = epoch[batch * mb_max : min(m, (batch + 1) * mb_max)]
            cost = cost_and_gradient(theta, grad, w_off, b_off, dims, acts, loss_code, l2, XT, Y, rows, scale,
                                     zbuf, abuf, dbuf1, dbuf2, n_tiles)
            weighted += cost * rows.shape[0]
            gnorm = _norm(grad)
            norms += gnorm
            if not math.isfinite(cost) or not math.isfinite(gnorm):
                costs[it] = cost
                gnorms[it] = gnorm
                return it, NONFINITE_COST, step
            if cost > blowup:
                costs[it] = cost
                gnorms[it] = gnorm
                return it, BLEW_UP, step
            if n_batches == 1 and gnorm < tol:
                costs[it] = cost
                gnorms[it] = gnorm
                return it, CONVERGED, step
            saved[:] = theta
            step += 1
            update(opt_code, theta, grad, lr, beta1, beta2, eps, v, s, step)
            if not _all_finite(theta):
                theta[:] = saved
                costs[it] = cost
                gnorms[it] = gnorm
                return it, NONFINITE_PARAMS, step - 1
            if interrupt[0] != 0 and batch + 1 < n_batches:
                costs[it] = weighted / (batch * mb_max + rows.shape[0])
                gnorms[it] = norms / (batch + 1)
                return it + 1, INTERRUPTED, step
        costs[it] = weighted / m
        gnorms[it] = norms / n_batches
        g = first + it + 1
        if trace_every > 0 and g % trace_every == 0:
            trace[g // trace_every - first // trace_every - 1, :] = theta
        if n_batches > 1 and gnorms[it] < tol:
            return it + 1, CONVERGED, step
        if interrupt[0] != 0:
            return it + 1, INTERRUPTED, step
    return n_iter, RAN_ALL, step


@jit
def predict_output(theta, w_off, b_off, dims, acts, XT, scale, n_tiles):
    """A[L] (n[L], m) for every example of XT (m, n_x)."""
    m = XT.shape[0]
    rows = np.arange(m)
    zbuf = np.empty(dims[1:].sum() * m, dtype=theta.dtype)
    abuf = np.empty_like(zbuf)
    last = forward(theta, w_off, b_off, dims, acts, XT, rows, scale, zbuf, abuf, n_tiles)
    return abuf[last:].reshape((dims[-1], m)).copy()


@jit
def cost_at(theta, w_off, b_off, dims, acts, loss_code, l2, XT, Y, scale, n_tiles):
    """J(θ) over every example (with its L2 term)."""
    m = XT.shape[0]
    rows = np.arange(m)
    widest = dims.max()
    zbuf = np.empty(dims[1:].sum() * m, dtype=theta.dtype)
    abuf = np.empty_like(zbuf)
    dbuf1 = np.empty(widest * m, dtype=theta.dtype)
    dbuf2 = np.empty_like(dbuf1)
    grad = np.empty_like(theta)
    return cost_and_gradient(theta, grad, w_off, b_off, dims, acts, loss_code, l2, XT, Y, rows, scale,
                             zbuf, abuf, dbuf1, dbuf2, n_tiles)
