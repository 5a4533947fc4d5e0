"""Compiled pieces of one layer: activations, dense forward and backward, the output's loss and its gradient.

Arrays follow the course: Z[l], A[l] are (n[l], mb) with one column per example, W[l] is (n[l], n[l-1]).
The first layer reads the inputs as XT (m, n_x), one contiguous row per example, through an index array
``rows`` (the examples of the batch), so that mini-batches need no copy and uint8 pixels are read as they are,
scaled by ``scale`` (1/255) on the fly.
"""

import math

import numpy as np
from numba import prange

from ._jit import FASTMATH, jit
from .activations import LEAKY_RELU, LEAKY_SLOPE, RELU, SIGMOID, SOFTMAX, TANH

CROSS_ENTROPY, MSE = 0, 1


@jit
def activate(code, Z, A):
    """A = g(Z) for the activation ``code``; Z, A (n, mb)."""
    n, mb = Z.shape
    if code == SOFTMAX:
        for i in range(mb):
            top = Z[0, i]
            for k in range(1, n):
                top = max(top, Z[k, i])
            total = 0.0
            for k in range(n):
                A[k, i] = math.exp(Z[k, i] - top)
                total += A[k, i]
            for k in range(n):
                A[k, i] /= total
        return
    for j in range(n):
        if code == SIGMOID:
            for i in range(mb):
                A[j, i] = 1.0 / (1.0 + math.exp(-Z[j, i]))
        elif code == TANH:
            for i in range(mb):
                A[j, i] = math.tanh(Z[j, i])
        elif code == RELU:
            for i in range(mb):
                A[j, i] = max(Z[j, i], 0.0)
        elif code == LEAKY_RELU:
            for i in range(mb):
                z = Z[j, i]
                A[j, i] = z if z > 0 else LEAKY_SLOPE * z
        else:
            for i in range(mb):
                A[j, i] = Z[j, i]


@jit
def activate_backward(code, Z, A, dA, dZ):
    """dZ = dA · g'(Z) (softmax: its Jacobian times dA, column by column); every array (n, mb)."""
    n, mb = Z.shape
    if code == SOFTMAX:
        for i in range(mb):
            inner = 0.0
            for k in range(n):
                inner += dA[k, i] * A[k, i]
            for k in range(n):
                dZ[k, i] = A[k, i] * (dA[k, i] - inner)
        return
    for j in range(n):
        if code == SIGMOID:
            for i in range(mb):
                dZ[j, i] = dA[j, i] * A[j, i] * (1.0 - A[j, i])
        elif code == TANH:
            for i in range(mb):
                dZ[j, i] = dA[j, i] * (1.0 - A[j, i] * A[j, i])
        elif code == RELU:
            for i in range(mb):
                dZ[j, i] = dA[j, i] if Z[j, i] > 0 else 0.0
        elif code == LEAKY_RELU:
            for i in range(mb):
                dZ[j, i] = dA[j, i] if Z[j, i] > 0 else LEAKY_SLOPE * dA[j, i]
        else:
            for i in range(mb):
                dZ[j, i] = dA[j, i]


@jit(fastmath=FASTMATH)
def dense_forward(W, b, A_prev, Z):
    """Z = W·A_prev + b; W (n, k), b (n,), A_prev (k, mb), Z (n, mb)."""
    n, k = W.shape
    mb = A_prev.shape[1]
    for j in range(n):
        for i in range(mb):
            Z[j, i] = b[j]
        for p in range(k):
            w = W[j, p]
            for i in range(mb):
                Z[j, i] += w * A_prev[p, i]


@jit(fastmath=FASTMATH)
def dense_backward(W, A_prev, dZ, dW, db, dA_prev):
    """dW = dZ·A_prevᵀ, db = Σ_i dZ, dA_prev = Wᵀ·dZ (the 1/m is already in dZ).

    W, dW (n, k); A_prev, dA_prev (k, mb); dZ (n, mb); db (n,).
    """
    n, k = W.shape
    mb = dZ.shape[1]
    dA_prev[:, :] = 0.0
    for j in range(n):
        total = dZ.dtype.type(0)
        for i in range(mb):
            total += dZ[j, i]
        db[j] = total
        for p in range(k):
            acc = dZ.dtype.type(0)
            for i in range(mb):
                acc += dZ[j, i] * A_prev[p, i]
            dW[j, p] = acc
            w = W[j, p]
            for i in range(mb):
                dA_prev[p, i] += w * dZ[j, i]


@jit(fastmath=FASTMATH)
def input_forward(W, b, XT, rows, scale, Z):
    """Z[1] = W[1]·(scale·X[:, rows]) + b[1], one example at a time; XT (m, n_x) of any dtype, Z (n[1], mb)."""
    n1, nx = W.shape
    for i in range(rows.shape[0]):
        x = XT[rows[i]]
        for j in range(n1):
            acc = W.dtype.type(0)
            for f in range(nx):
                acc += W[j, f] * x[f]
            Z[j, i] = acc * scale + b[j]


@jit(fastmath=FASTMATH, inline="always")
def _dot4(w, x0, x1, x2, x3):
    """(w·x0, w·x1, w·x2, w·x3): one load of w serves four examples."""
    a0 = w.dtype.type(0)
    a1, a2, a3 = a0, a0, a0
    for f in range(w.shape[0]):
        v = w[f]
        a0 += v * x0[f]
        a1 += v * x1[f]
        a2 += v * x2[f]
        a3 += v * x3[f]
    return a0, a1, a2, a3


@jit(fastmath=FASTMATH)
def _axpy4(y, d0, d1, d2, d3, x0, x1, x2, x3):
    """y += d0·x0 + d1·x1 + d2·x2 + d3·x3: one load and store of y for four examples."""
    for f in range(y.shape[0]):
        y[f] += d0 * x0[f] + d1 * x1[f] + d2 * x2[f] + d3 * x3[f]


@jit(fastmath=FASTMATH)
def _load4(XT, rows, i0, f0, f1, xf):
    """xf (4, f1 − f0) ← features f0..f1 of examples rows[i0 : i0 + 4] as floats (zeros past the end)."""
    mb = rows.shape[0]
    for k in range(4):
        xk = xf[k]
        if i0 + k < mb:
            x = XT[rows[i0 + k], f0:f1]
            for f in range(x.shape[0]):
                xk[f] = xk.dtype.type(x[f])
        else:
            xk[:] = 0.0


@jit(fastmath=FASTMATH, parallel=True)
def input_forward_tiled(W, b, XT, rows, scale, Z, n_tiles):
    """``input_forward`` for wide inputs: threads share out tiles of features, four examples at a time.

    Each tile of the pixels is converted to floats once and meets a tile of W[1] that stays in cache; the
    partial sums of the tiles are added at the end.
    """
    n1, nx = W.shape
    mb = rows.shape[0]
    tile = (nx + n_tiles - 1) // n_tiles
    part = np.empty((n_tiles, n1, mb), dtype=W.dtype)
    for t in prange(n_tiles):
        f0 = t * tile
        f1 = min(nx, f0 + tile)
        xf = np.empty((4, f1 - f0), dtype=W.dtype)
        for i0 in range(0, mb, 4):
            _load4(XT, rows, i0, f0, f1, xf)
            for j in range(n1):
                sums = _dot4(W[j, f0:f1], xf[0], xf[1], xf[2], xf[3])
                for k in range(min(4, mb - i0)):
                    part[t, j, i0 + k] = sums[k]
    for j in range(n1):
        for i in range(mb):
            acc = W.dtype.type(0)
            for t in range(n_tiles):
                acc += part[t, j, i]
            Z[j, i] = acc * scale + b[j]


@jit(fastmath=FASTMATH)
def input_backward(dZ, XT, rows, scale, dW, db):
    """dW[1] = dZ[1]·(scale·X[:, rows])ᵀ and db[1] = Σ_i dZ[1]; dZ (n[1], mb), dW (n[1], n_x), db (n[1],)."""
    n1, nx = dW.shape
    dW[:, :] = 0.0
    for i in range(rows.shape[0]):
        x = XT[rows[i]]
        for j in range(n1):
            d = dZ[j, i] * scale
            if d != 0.0:
                for f in range(nx):
                    dW[j, f] += d * x[f]
    _column_sums(dZ, db)


@jit(fastmath=FASTMATH, parallel=True)
def input_backward_tiled(dZ, XT, rows, scale, dW, db, n_tiles):
    """``input_backward`` for wide inputs: each thread owns a tile of dW[1]'s columns, so no sums are shared."""
    n1, nx = dW.shape
    mb = rows.shape[0]
    tile = (nx + n_tiles - 1) // n_tiles
    zero = dW.dtype.type(0)
    for t in prange(n_tiles):
        f0 = t * tile
        f1 = min(nx, f0 + tile)
        xf = np.empty((4, f1 - f0), dtype=dW.dtype)
        dW[:, f0:f1] = 0.0
        for i0 in range(0, mb, 4):
            _load4(XT, rows, i0, f0, f1, xf)
            for j in range(n1):
                d0 = dZ[j, i0] * scale
                d1 = dZ[j, i0 + 1] * scale if i0 + 1 < mb else zero
                d2 = dZ[j, i0 + 2] * scale if i0 + 2 < mb else zero
                d3 = dZ[j, i0 + 3] * scale if i0 + 3 < mb else zero
                if d0 != 0.0 or d1 != 0.0 or d2 != 0.0 or d3 != 0.0:
                    _axpy4(dW[j, f0:f1], d0, d1, d2, d3, xf[0], xf[1], xf[2], xf[3])
    _column_sums(dZ, db)


@jit
def _column_sums(dZ, db):
    for j in range(dZ.shape[0]):
        total = dZ.dtype.type(0)
        for i in range(dZ.shape[1]):
            total += dZ[j, i]
        db[j] = total


@jit
def output_loss(out_code, loss_code, ZL, AL, Y, rows, dZ, scratch, inv_m):
    """Sum over the batch of the loss L(ŷ, y), and dZ[L] = ∂J/∂Z[L] for J = inv_m · Σ L.

    ZL, AL, dZ, scratch (n_y, mb); Y (n_y, m) indexed by ``rows``. Cross-entropy is computed from Z, stably:
    for a sigmoid, L = max(z, 0) − z·y + log(1 + e^(−|z|)); for a softmax, L = Σ_k y_k (logΣe^z − z_k).
    """
    n_y, mb = ZL.shape
    total = 0.0
    if loss_code == CROSS_ENTROPY:
        for i in range(mb):
            r = rows[i]
            if out_code == SOFTMAX:
                top = ZL[0, i]
                for k in range(1, n_y):
                    top = max(top, ZL[k, i])
                s = 0.0
                for k in range(n_y):
                    s += math.exp(ZL[k, i] - top)
                lse = top + math.log(s)
                for k in range(n_y):
                    total += Y[k, r] * (lse - ZL[k, i])
            else:
                for k in range(n_y):
                    z = ZL[k, i]
                    total += max(z, 0.0) - z * Y[k, r] + math.log1p(math.exp(-abs(z)))
            for k in range(n_y):
                dZ[k, i] = (AL[k, i] - Y[k, r]) * inv_m
        return total
    for i in range(mb):
        r = rows[i]
        for k in range(n_y):
            diff = AL[k, i] - Y[k, r]
            total += 0.5 * diff * diff
            scratch[k, i] = diff * inv_m
    activate_backward(out_code, ZL, AL, scratch, dZ)
    return total
