"""One layer's math on a batch: activations and their derivatives, dense forward and backward, the output's loss.

Arrays follow the course: Z[l], A[l] are (n[l], mb) with one column per example, W[l] is (n[l], n[l-1]); loops
run along the examples, the rows' contiguous axis, so that LLVM vectorises them.
"""

import numpy as np

from .._jit import DOT, ELEMENTWISE, jit
from ..activations import LEAKY_RELU, LEAKY_SLOPE, RELU, SIGMOID, SOFTMAX, TANH
from . import fastmath as fm

CROSS_ENTROPY, MSE = 0, 1


@jit(fastmath=ELEMENTWISE)
def activate(code, Z, A):
    """A = g(Z) for the activation ``code``; Z, A (n, mb)."""
    n, mb = Z.shape
    one = Z.dtype.type(1.0)
    zero = Z.dtype.type(0.0)
    slope = Z.dtype.type(LEAKY_SLOPE)
    if code == SOFTMAX:
        for i in range(mb):
            top = Z[0, i]
            for k in range(1, n):
                top = max(top, Z[k, i])
            total = zero
            for k in range(n):
                A[k, i] = fm.exp(Z[k, i] - top)
                total += A[k, i]
            for k in range(n):
                A[k, i] /= total
        return
    for j in range(n):
        z, a = Z[j], A[j]
        if code == SIGMOID:
            for i in range(mb):
                a[i] = fm.sigmoid(z[i])
        elif code == TANH:
            for i in range(mb):
                a[i] = fm.tanh(z[i])
        elif code == RELU:
            for i in range(mb):
                a[i] = z[i] if z[i] > zero else zero
        elif code == LEAKY_RELU:
            for i in range(mb):
                a[i] = z[i] if z[i] > zero else slope * z[i]
        else:
            for i in range(mb):
                a[i] = z[i] * one


@jit(fastmath=ELEMENTWISE)
def activate_backward(code, Z, A, dA, dZ):
    """dZ = dA · g'(Z) (softmax: its Jacobian times dA, column by column); every array (n, mb)."""
    n, mb = Z.shape
    one = Z.dtype.type(1.0)
    zero = Z.dtype.type(0.0)
    slope = Z.dtype.type(LEAKY_SLOPE)
    if code == SOFTMAX:
        for i in range(mb):
            inner = zero
            for k in range(n):
                inner += dA[k, i] * A[k, i]
            for k in range(n):
                dZ[k, i] = A[k, i] * (dA[k, i] - inner)
        return
    for j in range(n):
        z, a, da, dz = Z[j], A[j], dA[j], dZ[j]
        if code == SIGMOID:
            for i in range(mb):
                dz[i] = da[i] * a[i] * (one - a[i])
        elif code == TANH:
            for i in range(mb):
                dz[i] = da[i] * (one - a[i] * a[i])
        elif code == RELU:
            for i in range(mb):
                dz[i] = da[i] if z[i] > zero else zero
        elif code == LEAKY_RELU:
            for i in range(mb):
                dz[i] = da[i] if z[i] > zero else slope * da[i]
        else:
            for i in range(mb):
                dz[i] = da[i]


@jit(fastmath=DOT)
def dense_forward(W, b, A_prev, Z):
    """Z = W·A_prev + b; W (n, k), b (n,), A_prev (k, mb), Z (n, mb)."""
    n, k = W.shape
    for j in range(n):
        z = Z[j]
        for i in range(z.shape[0]):
            z[i] = b[j]
        for p in range(k):
            w = W[j, p]
            a = A_prev[p]
            for i in range(z.shape[0]):
                z[i] += w * a[i]


@jit(fastmath=DOT)
def weight_gradient(A_prev, dZ, dW, db, accumulate):
    """dW (+)= dZ·A_prevᵀ and db (+)= Σ_i dZ (added to when ``accumulate``); the 1/m is already in dZ.

    A_prev (k, mb), dZ (n, mb), dW (n, k), db (n,).
    """
    n, k = dW.shape
    for j in range(n):
        dz = dZ[j]
        total = dz.dtype.type(0)
        for i in range(dz.shape[0]):
            total += dz[i]
        db[j] = db[j] + total if accumulate else total
        for p in range(k):
            a = A_prev[p]
            acc = dz.dtype.type(0)
            for i in range(dz.shape[0]):
                acc += dz[i] * a[i]
            dW[j, p] = dW[j, p] + acc if accumulate else acc


@jit(fastmath=DOT)
def input_gradient(W, dZ, dA_prev):
    """dA_prev = Wᵀ·dZ; W (n, k), dZ (n, mb), dA_prev (k, mb)."""
    n, k = W.shape
    for p in range(k):
        da = dA_prev[p]
        for i in range(da.shape[0]):
            da[i] = 0.0
    for j in range(n):
        dz = dZ[j]
        for p in range(k):
            w = W[j, p]
            da = dA_prev[p]
            for i in range(dz.shape[0]):
                da[i] += w * dz[i]


@jit(fastmath=DOT)
def total_of(x):
    """Σ x in float64 (vectorised: the order of the terms follows the vector width)."""
    total = 0.0
    for i in range(x.shape[0]):
        total += x[i]
    return total


@jit(fastmath=ELEMENTWISE)
def output_loss(out_code, loss_code, ZL, AL, Y, dZ, scratch, inv_m):
    """Σ over the batch of the loss L(ŷ, y), and dZ[L] = ∂J/∂Z[L] for J = inv_m · Σ L.

    ZL, AL, Y (the batch's labels), dZ, scratch (n_y, mb). Cross-entropy is computed from Z, stably:
    for a sigmoid, L = max(z, 0) − z·y + log(1 + e^(−|z|)); for a softmax, L = Σ_k y_k (logΣe^z − z_k).
    Returns the sum in float64.
    """
    n_y, mb = ZL.shape
    total = 0.0
    zero = ZL.dtype.type(0.0)
    half = ZL.dtype.type(0.5)
    if loss_code == CROSS_ENTROPY and out_code == SOFTMAX:
        for i in range(mb):
            top = ZL[0, i]
            for k in range(1, n_y):
                top = max(top, ZL[k, i])
            s = 0.0
            for k in range(n_y):
                s += np.exp(np.float64(ZL[k, i] - top))
            lse = top + np.log(s)
            for k in range(n_y):
                total += Y[k, i] * (lse - ZL[k, i])
                dZ[k, i] = (AL[k, i] - Y[k, i]) * inv_m
        return total
    if loss_code == CROSS_ENTROPY:
        for k in range(n_y):
            z, a, y, dz, loss = ZL[k], AL[k], Y[k], dZ[k], scratch[k]
            for i in range(mb):
                loss[i] = (z[i] if z[i] > zero else zero) - z[i] * y[i] + fm.softplus_of_minus_abs(z[i])
                dz[i] = (a[i] - y[i]) * inv_m
            total += total_of(loss)
        return total
    for k in range(n_y):
        a, y, d, loss = AL[k], Y[k], scratch[k], dZ[k]
        for i in range(mb):
            diff = a[i] - y[i]
            loss[i] = half * diff * diff
            d[i] = diff * inv_m
        total += total_of(loss)
    activate_backward(out_code, ZL, AL, scratch, dZ)  # overwrites the losses kept in dZ
    return total
