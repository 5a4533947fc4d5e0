"""The training loop for a wide input (``WideData``, pictures): per step, stage 2s shares out the tiles of Z[1]'s
products, and stage 2s + 1 the tiles of dW[1] with their update (``kernels.train`` says what a call does). Each
tile's share of Z[1] is kept apart and the shares are summed in tile order, so a run's numbers are the same however
many threads did it and whichever tiles each claimed."""

import numpy as np

from .._jit import borrowing, jit
from .bundles import CURRENT
from .gram import form_tile, gram_steps, uses_gram
from .network import (add_penalty_gradient, add_weight_decay, copy, from_layer_one, loss_and_backward, n_params,
                      weight_penalty)
from .optim import EVALUATE, sum_of_absolutes, sum_of_squares
from .share import begin_long, claim, complete, current_stage, end_long, open_stage, stop, stopped, wait_past
from .step import batch_geometry, batch_rows, finish_cost, finish_step, gather, outputs_and_loss, update_range
from .wide import scratch, tile_forward, tile_gradient


@jit
def train_wide(wid, sync, spec, data, opt, state, run, shared):
    """The loop for a wide input (``WideData``): per step, stage 2s shares out Z[1]'s tiles, stage 2s + 1 dW[1]'s."""
    dims = spec.dims
    n1, nx = dims[1], dims[0]
    m, mb_max, n_batches, n_steps = batch_geometry(run)
    tile = data.tile
    n_tiles = (nx + tile - 1) // tile
    dtype = state.theta.dtype
    xf = scratch(5, tile, dtype)
    spare = scratch(1, tile, data.XT.dtype)[0]
    dq = np.zeros((n1 + 1, 4), dtype=dtype)
    g = scratch(n1 + 1, tile, dtype)
    work = (xf, spare, g, dq)
    gram = uses_gram(data, opt, run, shared)  # then stage 0 is W0·X, its serial part every step, stage 1 forms W[1]
    natural = np.arange(m if gram else 0)
    stage = current_stage(sync)
    while stage < 2 * n_steps and not stopped(sync):
        step = stage // 2
        rows = batch_rows(run, step, m, mb_max, n_batches)
        cur = state.info[CURRENT]
        W1 = state.theta[cur, : n1 * nx].reshape((n1, nx))
        while True:
            t = claim(sync, stage, n_tiles, wid)
            if t < 0:
                break
            shared.units[wid] += 1
            if gram and stage % 2 == 1:
                form_tile(spec, data, state, run, shared, natural, t * tile, min(nx, (t + 1) * tile), work)
            else:
                _tile_unit(stage, t, W1, data, rows, opt, state, shared, work)
            if complete(sync, n_tiles):
                if gram:
                    _gram_serial(sync, stage, spec, data, opt, state, run, shared, rows)
                elif stage % 2 == 0:
                    _wide_middle(sync, stage, spec, data, opt, state, run, shared, rows, n_batches)
                else:
                    _wide_finish(sync, stage, spec, opt, state, run, shared, rows, n_batches)
        stage = wait_past(sync, stage, wid)


@jit
def _gram_serial(sync, stage, spec, data, opt, state, run, shared, rows):
    """The serial parts of a call through the Gram matrix (``kernels.gram``): after W0·X, every step; after W[1]
    is formed, the end."""
    if stage % 2 == 0:
        begin_long(sync)
        gram_steps(stage, spec, data, opt, state, run, shared, rows)
        open_stage(sync, stage + 1)
        end_long(sync)
    else:
        stop(sync, stage)


@borrowing
def _tile_unit(stage, t, W1, data, rows, opt, state, shared, work):
    """Tile t's unit of the stage: its share of Z[1] (even stages), or its rows of dW[1] and their update (odd);
    ``work`` is the member's scratch (xf, spare, g, dq: ``wide.tile_forward`` and ``tile_gradient``)."""
    xf, spare, g, dq = work
    n1, nx = W1.shape
    tile = data.tile
    mb = rows.shape[0]
    dtype = W1.dtype
    f0 = t * tile
    f1 = min(nx, f0 + tile)
    if stage % 2 == 0:  # each tile's share in a part of its own, summed in tile order: the same sums whoever
        tile_forward(W1, data.XT, rows, f0, f1, shared.parts[t], xf, spare, False)  # does which tile
        penalty = 0.0
        if opt.l2 > 0 or opt.l1 > 0:
            for j in range(n1):
                penalty += 0.5 * opt.l2 * sum_of_squares(W1[j, f0:f1]) + opt.l1 * sum_of_absolutes(W1[j, f0:f1])
        shared.tile_sq[t] = penalty
    else:
        tile_gradient(shared.dZ1[: n1 * mb].reshape((n1, mb)), data.XT, rows, f0, f1, dtype.type(data.scale), g,
                      xf, spare, dq)
        squares = 0.0
        finite = True
        decay = dtype.type(opt.l2 / mb)
        l1_decay = dtype.type(opt.l1 / mb)
        for j in range(n1):
            gj = g[j, : f1 - f0]
            if opt.l2 > 0 or opt.l1 > 0:
                add_penalty_gradient(W1[j, f0:f1], gj, decay, l1_decay)
            sq, ok = update_range(opt, state, j * nx + f0, j * nx + f1, gj)
            squares += sq
            finite = finite and ok
        shared.tile_sq[t] = squares
        shared.tile_ok[t] = 1 if finite else 0


@jit
def _wide_middle(sync, stage, spec, data, opt, state, run, shared, rows, n_batches):
    """Z[1] from the threads' tiles, the later layers, the loss and the backward pass down to dZ[1]."""
    dims = spec.dims
    n1 = dims[1]
    mb = rows.shape[0]
    theta = state.theta[state.info[CURRENT]]
    dtype = theta.dtype
    Z1 = shared.z[: n1 * mb].reshape((n1, mb))
    scale = dtype.type(data.scale)
    b1 = theta[spec.b_off[1] : spec.b_off[1] + n1]
    for t in range(shared.parts.shape[0]):  # every tile's part, in tile order (one thread: the sums of one)
        part = shared.parts[t]
        for j in range(n1):
            for i in range(mb):
                Z1[j, i] = part[j, i] if t == 0 else Z1[j, i] + part[j, i]
    for j in range(n1):
        for i in range(mb):
            Z1[j, i] = Z1[j, i] * scale + b1[j]
    A1 = shared.a[: n1 * mb].reshape((n1, mb))
    from_layer_one(spec, theta, Z1, A1, mb, shared)
    Yb = shared.yb[: dims[-1] * mb].reshape((dims[-1], mb))
    gather(data.Y, rows, Yb)
    inv_m = dtype.type(1.0 / mb)
    if opt.code == EVALUATE:
        loss = outputs_and_loss(spec, (shared.z, shared.a, shared.d1, shared.d2), Yb, mb, shared.outputs, rows[0])
    else:
        loss = loss_and_backward(spec, theta, (shared.z, shared.a, shared.d1, shared.d2), Yb, mb, inv_m, A1,
                                 shared.grad, False, 2)
        copy(shared.d1[: n1 * mb], shared.dZ1[: n1 * mb])
    cost = loss / mb
    if opt.l2 > 0 or opt.l1 > 0:
        penalty = weight_penalty(spec, theta, 2, opt.l2, opt.l1)
        for t in range(shared.tile_sq.shape[0]):
            penalty += shared.tile_sq[t]  # W[1]'s, tile by tile
        cost += penalty / mb
    if opt.code == EVALUATE:
        run.costs[0] = cost
        stop(sync, stage)
    elif not finish_cost(sync, stage, state, run, shared.totals, stage // 2, n_batches, cost):
        open_stage(sync, stage + 1)


@jit
def _wide_finish(sync, stage, spec, opt, state, run, shared, rows, n_batches):
    """The update of everything but W[1] (its tiles were updated in their units), then the step's checks."""
    size = n_params(spec)
    start = spec.b_off[1]
    theta = state.theta[state.info[CURRENT]]
    mb = rows.shape[0]
    if opt.l2 > 0 or opt.l1 > 0:
        add_weight_decay(spec, theta, shared.grad, 2, theta.dtype.type(opt.l2 / mb), theta.dtype.type(opt.l1 / mb))
    squares, finite = update_range(opt, state, start, size, shared.grad[start:size])
    for t in range(shared.tile_sq.shape[0]):
        squares += shared.tile_sq[t]
        finite = finite and shared.tile_ok[t] == 1
    finish_step(sync, stage, state, run, shared.totals, (stage // 2, n_batches, mb), squares, finite)
