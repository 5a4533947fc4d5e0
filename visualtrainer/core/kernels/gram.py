"""Plain gradient descent on a wide input through the examples' Gram matrix, W[1] formed only at the call's end.

dW[1] = dZ[1]·Xᵀ is a combination of the examples, so after any number of plain steps from W0 (the call's start),
W[1] = W0 + C·Xᵀ for some C (n[1], m) (X scaled), and Z[1] = W[1]·X = W0·X + C·K with K = XᵀX (m, m). A step
then costs n[1]·m·mb multiply-adds for Z[1] (and as many for ‖dW[1]‖²) where the direct one costs 2·n[1]·n_x·mb,
and it never reads the pixels: the call reads them twice, for W0·X (``train_wide``'s first stage) and to form
W[1] at the end (its second stage, ``form_tile``: ``tile_gradient`` with C for dZ[1]). The numbers are those of
the direct steps up to rounding (sums in another order).

``shared.gram`` (3 + t, n[1], m): C of each of the state's two buffers (the buffer a step writes gets its C, so a
roll-back finds the C of the parameters it returns to), W0·X, columns in the examples' own order, and the C of each
θ the call traces (``run.trace``, t rows). Both buffers, and the traced θs, hold W0 in W[1]'s place once the call's
first update is made; where a buffer's C is in use when the call ends, ``shared.totals[FORM]`` says so (bit 1 the
current buffer, bit 2 the previous), and ``shared.totals[TRACED]`` how many traced θs the call wrote.
"""

import numpy as np

from .._jit import DOT, borrowing, jit
from .bundles import CURRENT, HAS_PREVIOUS
from .network import copy, from_layer_one, loss_and_backward, n_params
from .optim import GD
from .share import NEXT, stopped
from .step import batch_geometry, batch_rows, finish_cost, finish_step, gather, update_range
from .wide import UNIT_BLOCK, _block_sums, _dot4, scratch, tile_gradient

#: Features of uint8 pixels a tile of the Gram matrix sums in float32: 256·255² < 2²⁴, so every partial sum of their
#: products is an integer float32 holds exactly, whatever the order; the tiles add up in float64, exactly too.
EXACT_TILE = 256
#: ``shared.totals``' entries that say which buffers' W[1] the call's end forms, and how many traced θs
#: (``form_tile``).
FORM, TRACED = 3, 4


@jit
def uses_gram(data, opt, run, shared):
    """Whether this call runs its steps through the Gram matrix: ``data.K`` given for its m examples and room for
    each traced θ's C in ``shared.gram``, plain gradient descent without regularisation (their updates stay among
    the examples), full batches."""
    m = run.order.shape[1]
    return (data.K.shape[0] == m and shared.gram.shape[0] >= 3 + run.trace.shape[0] and shared.gram.shape[2] == m
            and opt.code == GD and opt.l2 == 0 and opt.l1 == 0 and (run.batch <= 0 or run.batch >= m))


@borrowing(fastmath=DOT)
def _dot(a, b):
    total = a.dtype.type(0)
    for i in range(a.shape[0]):
        total += a[i] * b[i]
    return total


@borrowing
def _times_k(R, K, rows, out):
    """out[j, i] = R[j]·K[rows[i]] (a column of the symmetric K) for every row j of R and i < len(rows): four rows of
    R against each row of K, read once."""
    n, m = R.shape
    for i in range(rows.shape[0]):
        k = K[rows[i]]
        j = 0
        while j + 4 <= n:
            sums = _dot4(k, R[j], R[j + 1], R[j + 2], R[j + 3], m)
            for r in range(4):
                out[j + r, i] = sums[r]
            j += 4
        while j < n:
            out[j, i] = _dot(k, R[j])
            j += 1


@jit
def gram_steps(stage, spec, data, opt, state, run, shared, rows0):
    """The call's steps, serially, from the first stage's shares of W0·X (over the examples ``rows0``); then marks
    which buffers' W[1] the end must form. The checks and bookkeeping are the direct loop's (``step``)."""
    dims = spec.dims
    n1, nx = dims[1], dims[0]
    m, mb_max, n_batches, n_steps = batch_geometry(run)
    dtype = state.theta.dtype
    Z0 = shared.gram[2]
    for t in range(shared.parts.shape[0]):
        part = shared.parts[t]
        for j in range(n1):
            for i in range(m):
                Z0[j, rows0[i]] = part[j, i] if t == 0 else Z0[j, rows0[i]] + part[j, i]
    scale = dtype.type(data.scale)
    for j in range(n1):
        for i in range(m):
            Z0[j, i] *= scale
            shared.gram[0, j, i] = 0.0
            shared.gram[1, j, i] = 0.0
    shared.totals[TRACED] = 0
    natural = np.arange(m)  # the examples in their own order (a full batch's dZ[1] is laid out so)
    own = np.zeros(NEXT, dtype=np.int64)  # the checks' sync: they stop it, or open its next stage, not the team's
    based = False
    for step in range(n_steps):
        rows = batch_rows(run, step, m, mb_max, n_batches)
        if _gram_step(own, stage + 2 * step, spec, data, opt, state, run, shared, rows, (step, n_batches, based, natural)):
            break
        based = True
        if stopped(own):
            break
    form = 0
    if based:
        form = 1 + (2 if state.info[HAS_PREVIOUS] == 1 else 0)
    shared.totals[FORM] = form


@jit
def _gram_step(own, stage, spec, data, opt, state, run, shared, rows, where):
    """One step on the batch ``rows``; True when its cost was bad (the call ends, rolled back)."""
    step, n_batches, based, natural = where
    dims = spec.dims
    n1, nx = dims[1], dims[0]
    mb = rows.shape[0]
    cur = state.info[CURRENT]
    theta = state.theta[cur]
    dtype = theta.dtype
    C, C_next, Z0, K = shared.gram[cur], shared.gram[1 - cur], shared.gram[2], data.K
    Z1 = shared.z[: n1 * mb].reshape((n1, mb))
    b1 = theta[spec.b_off[1] : spec.b_off[1] + n1]
    _times_k(C, K, rows, Z1)
    for j in range(n1):
        for i in range(mb):
            Z1[j, i] += Z0[j, rows[i]] + b1[j]
    A1 = shared.a[: n1 * mb].reshape((n1, mb))
    from_layer_one(spec, theta, Z1, A1, mb, shared)
    Yb = shared.yb[: dims[-1] * mb].reshape((dims[-1], mb))
    gather(data.Y, rows, Yb)
    loss = loss_and_backward(spec, theta, (shared.z, shared.a, shared.d1, shared.d2), Yb, mb,
                             dtype.type(1.0 / mb), A1, shared.grad, False, 2)
    if finish_cost(own, stage, state, run, shared.totals, step, n_batches, loss / mb):
        return True
    start = spec.b_off[1]
    squares, finite = update_range(opt, state, start, n_params(spec), shared.grad[start : n_params(spec)])
    dZ1 = shared.d1[: n1 * mb].reshape((n1, mb))
    D = shared.dZ1[: n1 * mb].reshape((n1, mb))  # dZ[1] in the examples' own order (a full batch has them all)
    lr = dtype.type(opt.lr)
    for j in range(n1):
        for i in range(mb):
            D[j, rows[i]] = dZ1[j, i]
        for i in range(mb):
            C_next[j, i] = C[j, i] - lr * D[j, i]
            finite = finite and np.isfinite(C_next[j, i])
    KD = shared.z[: n1 * mb].reshape((n1, mb))  # Z[1]'s room, done with
    _times_k(D, K, natural, KD)
    for j in range(n1):  # ‖dW[1]‖² = Σ_j D_j·K·D_jᵀ
        squares += _dot(D[j], KD[j])
    if not based:  # the call's first update: the buffer it writes gets W0 too, so both hold W[1] = W0 + C·Xᵀ
        w1 = spec.w_off[1]
        copy(theta[w1 : w1 + n1 * nx], state.theta[1 - cur, w1 : w1 + n1 * nx])
    finish_step(own, stage + 1, state, run, shared.totals, (step, n_batches, mb), squares, finite)
    _trace_c(run, shared, step, cur, state.info[CURRENT])
    return False


@jit
def _trace_c(run, shared, step, before, after):
    """The C of the θ ``finish_step`` has just traced, if it did (an update kept, at a multiple of trace_every)."""
    every = run.trace_every
    done = run.first + step + 1  # one step an epoch: full batches
    if every <= 0 or before == after or done % every != 0:
        return
    k = done // every - run.first // every - 1
    C, kept = shared.gram[after], shared.gram[3 + k]
    for j in range(C.shape[0]):
        copy(C[j], kept[j])
    shared.totals[TRACED] = k + 1


@borrowing
def form_tile(spec, data, state, run, shared, rows, f0, f1, work):
    """Tile f0..f1 of W[1] formed at the call's end in the buffers ``shared.totals[FORM]`` names (bit 1 the
    current, bit 2 the previous) and in the traced θs: W[1] += C·Xᵀ with each one's own C. ``rows``: the examples in
    their own order; ``work`` (xf, spare, g, dq) as in ``train_wide``."""
    form = int(shared.totals[FORM])
    n1, nx = spec.dims[1], spec.dims[0]
    w1 = spec.w_off[1]
    for which in range(2):
        if form & (1 << which) != 0:
            b = state.info[CURRENT] if which == 0 else 1 - state.info[CURRENT]
            _add_tile(state.theta[b, w1 : w1 + n1 * nx].reshape((n1, nx)), shared.gram[b], data, rows, f0, f1, work)
    for k in range(int(shared.totals[TRACED])):
        _add_tile(run.trace[k, w1 : w1 + n1 * nx].reshape((n1, nx)), shared.gram[3 + k], data, rows, f0, f1, work)


@borrowing
def _add_tile(W, C, data, rows, f0, f1, work):
    """W[:, f0:f1] += C·X[f0:f1]ᵀ (X scaled)."""
    xf, spare, g, dq = work
    tile_gradient(C, data.XT, rows, f0, f1, W.dtype.type(data.scale), g, xf, spare, dq)
    for j in range(W.shape[0]):
        Wj = W[j, f0:f1]
        gj = g[j]
        for f in range(f1 - f0):
            Wj[f] += gj[f]


@jit
def gram_matrix(XT, K):
    """K (m, m) float64 += XT·XTᵀ for uint8 rows XT (m, n_x), exactly: a tile of ``EXACT_TILE`` features at a time
    in float32, the upper triangle by the first layer's register blocks, then mirrored."""
    m, nx = XT.shape
    Xf = scratch(m + 4, EXACT_TILE, np.float32)  # the tile's rows as floats, then four rows of zeros
    part = np.zeros((m, m), dtype=np.float32)
    for f0 in range(0, nx, EXACT_TILE):
        n = min(nx, f0 + EXACT_TILE) - f0
        for i in range(m):
            row = XT[i, f0 : f0 + n]
            xi = Xf[i]
            for f in range(n):
                xi[f] = np.float32(row[f])
        for j0 in range(0, m, 4):  # four examples against UNIT_BLOCK others, up to the diagonal
            x0, x1, x2, x3 = Xf[j0, :n], Xf[j0 + 1, :n], Xf[j0 + 2, :n], Xf[j0 + 3, :n]
            for i0 in range(0, min(m, j0 + 4), UNIT_BLOCK):
                sums = _block_sums(Xf, i0, 0, n, x0, x1, x2, x3, Xf[m + 3, :n])
                for r in range(min(UNIT_BLOCK, m - i0)):
                    for k in range(min(4, m - j0)):
                        part[i0 + r, j0 + k] = sums[4 * r + k]
        for i in range(m):
            for j in range(i, m):
                K[i, j] += part[i, j]
    for i in range(m):
        for j in range(i):
            K[i, j] = K[j, i]
