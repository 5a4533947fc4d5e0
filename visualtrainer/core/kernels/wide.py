"""The first layer of a wide input (pictures: 12288 features), one tile of features at a time.

The inputs are read as XT (m, n_x), one contiguous row per example, through an index array ``rows`` (the batch),
so mini-batches need no copy and uint8 pixels are read as they are. A tile of four examples' features is converted
to floats once, into ``xf`` (4, tile), which stays in the L1 cache while every unit of the layer meets it: the
forward product Z[1] = W[1]·X and the gradient dW[1] = dZ[1]·Xᵀ each read the pixels once a step.
"""

import numpy as np
from numba import types
from numba.extending import overload

from .._jit import DOT, MANY_REGISTERS, borrowing, jit
from ..aligned import LINE

#: Up to this many units, each reads the pixels as they are stored (converting as it multiplies): converting a
#: tile once into floats costs a store and a load an entry, more than the unit's own conversion.
DIRECT_UNITS = 2
#: Units a register block of Z[1] takes at a time, against four examples: its 4 × 4 sums and the 8 rows' loads
#: need 24 vector registers, so where there are only 16 (AVX2) the sums spill to memory and the block ran at
#: 18 GFMA/s on an AVX2 core, against 42-50 for 2 × 4 (benchmarks/bench_first_layer.py).
UNIT_BLOCK = 4 if MANY_REGISTERS else 2


@jit
def scratch(rows, cols, dtype):
    """A zeroed (rows, cols) array of ``dtype`` starting on a cache line: ``core.aligned.empty`` in a kernel."""
    n = rows * cols
    raw = np.zeros(n + LINE, dtype=dtype)
    skip = (LINE - raw.ctypes.data % LINE) % LINE // raw.itemsize
    return raw[skip : skip + n].reshape((rows, cols))


@borrowing(fastmath=DOT)
def load4(XT, rows, i0, f0, f1, xf):
    """xf[k, :f1 − f0] ← features f0..f1 of example rows[i0 + k] as floats, for k < 4 (zeros past the batch)."""
    mb = rows.shape[0]
    for k in range(4):
        xk = xf[k, : f1 - f0]
        if i0 + k < mb:
            x = XT[rows[i0 + k], f0:f1]  # a slice, not x[f0 + f]: an offset index stops the vectorising
            for f in range(x.shape[0]):
                xk[f] = xk.dtype.type(x[f])
        else:
            for f in range(xk.shape[0]):
                xk[f] = 0.0


@borrowing(fastmath=DOT)
def _dot4(w, x0, x1, x2, x3, n):
    """(w·x0, w·x1, w·x2, w·x3) over the first n entries, converting x to w's dtype as it reads."""
    t = w.dtype.type
    a0 = t(0)
    a1, a2, a3 = a0, a0, a0
    for f in range(n):
        v = w[f]
        a0 += v * t(x0[f])
        a1 += v * t(x1[f])
        a2 += v * t(x2[f])
        a3 += v * t(x3[f])
    return a0, a1, a2, a3


@borrowing(fastmath=DOT)
def _dot4x4(w0, w1, w2, w3, x0, x1, x2, x3, n):
    """The 16 products wj·xk (j, k < 4) over the first n entries: each load serves four multiply-adds, so the
    loop runs at the multiply-adds' pace rather than the loads' (twice the pace of ``_dot4``, bench_engine.py).
    Returns them row by row (w0·x0, w0·x1, …)."""
    t = w0.dtype.type
    a00 = t(0)
    a01 = a02 = a03 = a10 = a11 = a12 = a13 = a20 = a21 = a22 = a23 = a30 = a31 = a32 = a33 = a00
    for f in range(n):
        v0, v1, v2, v3 = t(x0[f]), t(x1[f]), t(x2[f]), t(x3[f])
        u = w0[f]
        a00 += u * v0
        a01 += u * v1
        a02 += u * v2
        a03 += u * v3
        u = w1[f]
        a10 += u * v0
        a11 += u * v1
        a12 += u * v2
        a13 += u * v3
        u = w2[f]
        a20 += u * v0
        a21 += u * v1
        a22 += u * v2
        a23 += u * v3
        u = w3[f]
        a30 += u * v0
        a31 += u * v1
        a32 += u * v2
        a33 += u * v3
    return (a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33)


@borrowing(fastmath=DOT)
def _dot2x4(w0, w1, x0, x1, x2, x3, n):
    """The 8 products wj·xk (j < 2, k < 4) over the first n entries, row by row: ``_dot4x4`` for 16 registers."""
    t = w0.dtype.type
    a00 = t(0)
    a01 = a02 = a03 = a10 = a11 = a12 = a13 = a00
    for f in range(n):
        v0, v1, v2, v3 = t(x0[f]), t(x1[f]), t(x2[f]), t(x3[f])
        u = w0[f]
        a00 += u * v0
        a01 += u * v1
        a02 += u * v2
        a03 += u * v3
        u = w1[f]
        a10 += u * v0
        a11 += u * v1
        a12 += u * v2
        a13 += u * v3
    return (a00, a01, a02, a03, a10, a11, a12, a13)


@borrowing(fastmath=DOT)
def _axpy4(y, d0, d1, d2, d3, x0, x1, x2, x3, n):
    """y += d0·x0 + d1·x1 + d2·x2 + d3·x3 over the first n entries, converting x to y's dtype as it reads."""
    t = y.dtype.type
    for f in range(n):
        y[f] += d0 * t(x0[f]) + d1 * t(x1[f]) + d2 * t(x2[f]) + d3 * t(x3[f])


@borrowing(fastmath=DOT)
def _axpy2x4(y0, y1, d, j0, j1, x0, x1, x2, x3, n):
    """y0 += Σ_k d[j0, k]·xk and y1 += Σ_k d[j1, k]·xk over the first n entries: one load of each x serves two
    rows of the gradient."""
    a0, a1, a2, a3 = d[j0, 0], d[j0, 1], d[j0, 2], d[j0, 3]
    b0, b1, b2, b3 = d[j1, 0], d[j1, 1], d[j1, 2], d[j1, 3]
    t = y0.dtype.type
    for f in range(n):
        v0, v1, v2, v3 = t(x0[f]), t(x1[f]), t(x2[f]), t(x3[f])
        y0[f] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3
        y1[f] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3


@borrowing
def _forward_one_by_one(W, f0, f1, xs, part, i0, k_n, accumulate):
    """part[:, i0 : i0 + k_n] (+)= W[:, f0:f1] · (x0 … x3)ᵀ for one group of (up to) four examples, a unit at a
    time (for pixels read as they are stored, by a layer of one or two units); xs = (x0, x1, x2, x3)."""
    x0, x1, x2, x3 = xs
    n = f1 - f0
    for j in range(W.shape[0]):
        sums = _dot4(W[j, f0:f1], x0, x1, x2, x3, n)
        for k in range(k_n):
            part[j, i0 + k] = part[j, i0 + k] + sums[k] if accumulate else sums[k]


@borrowing
def _block_sums4(W, j, f0, f1, x0, x1, x2, x3, zeros):
    """``_dot4x4`` of units j … j + 3 of W[:, f0:f1] (rows past the last unit: ``zeros``) and x0 … x3."""
    n1 = W.shape[0]
    w1 = W[j + 1, f0:f1] if j + 1 < n1 else zeros
    w2 = W[j + 2, f0:f1] if j + 2 < n1 else zeros
    w3 = W[j + 3, f0:f1] if j + 3 < n1 else zeros
    return _dot4x4(W[j, f0:f1], w1, w2, w3, x0, x1, x2, x3, f1 - f0)


@borrowing
def _block_sums2(W, j, f0, f1, x0, x1, x2, x3, zeros):
    """``_dot2x4`` of units j, j + 1 of W[:, f0:f1] (past the last unit: ``zeros``) and x0 … x3."""
    w1 = W[j + 1, f0:f1] if j + 1 < W.shape[0] else zeros
    return _dot2x4(W[j, f0:f1], w1, x0, x1, x2, x3, f1 - f0)


_block_sums = _block_sums4 if UNIT_BLOCK == 4 else _block_sums2


@borrowing
def _forward_group(W, f0, f1, xs, part, i0, k_n, accumulate, zeros):
    """part[:, i0 : i0 + k_n] (+)= W[:, f0:f1] · (x0 … x3)ᵀ for one group of (up to) four examples (floats, xs =
    (x0, x1, x2, x3)), UNIT_BLOCK units at a time, the last block padded with ``zeros`` (a row of zero weights)."""
    x0, x1, x2, x3 = xs
    n1 = W.shape[0]
    n = f1 - f0
    for j in range(0, n1, UNIT_BLOCK):
        sums = _block_sums(W, j, f0, f1, x0, x1, x2, x3, zeros[:n])
        for r in range(min(UNIT_BLOCK, n1 - j)):
            for k in range(k_n):
                value = sums[4 * r + k]
                part[j + r, i0 + k] = part[j + r, i0 + k] + value if accumulate else value


@borrowing
def _gradient_one_by_one(g, d, x0, x1, x2, x3, n):
    """g[:, :n] += d · (x0 … x3) for one group of four examples, a unit at a time (pixels as stored, one or two
    units); d (n[1] + 1, 4) already scaled. Units whose d is zero for all four examples are skipped."""
    zero = g.dtype.type(0)
    for j in range(g.shape[0] - 1):
        if d[j, 0] != zero or d[j, 1] != zero or d[j, 2] != zero or d[j, 3] != zero:
            _axpy4(g[j], d[j, 0], d[j, 1], d[j, 2], d[j, 3], x0, x1, x2, x3, n)


@borrowing
def _gradient_group(g, d, x0, x1, x2, x3, n):
    """g[:, :n] += d · (x0 … x3) for one group of four examples (floats); d (n[1] + 1, 4) already scaled, its
    last row zeros (and g's last row a spare: an odd last unit goes in a pair with it). Units whose d is zero for
    all four examples (ReLU units that were off: a third of them in the cat networks) are skipped; the others
    go two by two, so each row's sums are the same whichever units are skipped."""
    n1 = g.shape[0] - 1
    zero = g.dtype.type(0)
    held = -1
    for j in range(n1):
        if d[j, 0] != zero or d[j, 1] != zero or d[j, 2] != zero or d[j, 3] != zero:
            if held < 0:
                held = j
            else:
                _axpy2x4(g[held], g[j], d, held, j, x0, x1, x2, x3, n)
                held = -1
    if held >= 0:
        _axpy2x4(g[held], g[n1], d, held, n1, x0, x1, x2, x3, n)


def holds_bytes(XT):
    """Whether XT holds uint8 pixels (known when compiling)."""
    return XT.dtype == np.uint8


@overload(holds_bytes)
def _holds_bytes(XT):
    answer = XT.dtype == types.uint8
    return lambda XT: answer


@borrowing
def converts_once(XT, n1):
    """Whether a tile of pixels is worth converting to floats once for all n[1] units (rather than as each unit
    reads it): for uint8 inputs and more than two units."""
    return holds_bytes(XT) and n1 > DIRECT_UNITS


@borrowing
def _rows4(XT, rows, i0, f0, f1, spare):
    """Features f0..f1 of examples rows[i0 : i0 + 4] as they are stored (``spare``, zeros, past the batch)."""
    mb = rows.shape[0]
    x0 = XT[rows[i0], f0:f1]
    x1 = XT[rows[i0 + 1], f0:f1] if i0 + 1 < mb else spare[: f1 - f0]
    x2 = XT[rows[i0 + 2], f0:f1] if i0 + 2 < mb else spare[: f1 - f0]
    x3 = XT[rows[i0 + 3], f0:f1] if i0 + 3 < mb else spare[: f1 - f0]
    return x0, x1, x2, x3


@borrowing
def tile_forward(W, XT, rows, f0, f1, part, xf, spare, accumulate):
    """part (+)= W[:, f0:f1] · X[f0:f1, rows]: one tile's share of Z[1] (unscaled, without b[1]).

    W (n[1], n_x), part (n[1], mb); scratch: xf (5, ≥ f1 − f0) in W's dtype, its last row zeros; spare
    (≥ f1 − f0,) zeros in XT's dtype.
    """
    mb = rows.shape[0]
    n = f1 - f0
    once = converts_once(XT, W.shape[0])
    for i0 in range(0, mb, 4):
        k_n = min(4, mb - i0)
        if once:
            load4(XT, rows, i0, f0, f1, xf)
            _forward_group(W, f0, f1, (xf[0, :n], xf[1, :n], xf[2, :n], xf[3, :n]), part, i0, k_n, accumulate, xf[4])
        elif holds_bytes(XT):
            _forward_one_by_one(W, f0, f1, _rows4(XT, rows, i0, f0, f1, spare), part, i0, k_n, accumulate)
        else:
            _forward_group(W, f0, f1, _rows4(XT, rows, i0, f0, f1, spare), part, i0, k_n, accumulate, xf[4])


@borrowing
def tile_gradient(dZ, XT, rows, f0, f1, scale, g, xf, spare, d):
    """g[:n[1]] (n[1], f1 − f0) = scale · dZ[1] · X[f0:f1, rows]ᵀ: one tile of dW[1] (the 1/m is already in dZ).

    dZ (n[1], mb); scratch: g (n[1] + 1, ≥ f1 − f0), d (n[1] + 1, 4) in g's dtype, xf and spare as for
    ``tile_forward``.
    """
    n1, mb = dZ.shape
    n = f1 - f0
    for j in range(g.shape[0]):
        row = g[j]
        for f in range(n):
            row[f] = 0.0
    for k in range(4):
        d[n1, k] = 0.0
    once = converts_once(XT, n1)
    for i0 in range(0, mb, 4):
        for j in range(n1):
            for k in range(4):
                d[j, k] = dZ[j, i0 + k] * scale if i0 + k < mb else 0.0
        if once:
            load4(XT, rows, i0, f0, f1, xf)
            _gradient_group(g, d, xf[0, :n], xf[1, :n], xf[2, :n], xf[3, :n], n)
        elif holds_bytes(XT):
            x0, x1, x2, x3 = _rows4(XT, rows, i0, f0, f1, spare)
            _gradient_one_by_one(g, d, x0, x1, x2, x3, n)
        else:
            x0, x1, x2, x3 = _rows4(XT, rows, i0, f0, f1, spare)
            _gradient_group(g, d, x0, x1, x2, x3, n)
