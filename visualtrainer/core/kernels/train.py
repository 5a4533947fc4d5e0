"""The training loop, run by a team of threads: many steps of forward, backward and update per call.

A step (one batch's update) is shared out in units (``share``): for a wide input, tiles of the first layer's
features, in two stages (Z[1]'s products, then dW[1] and the update of its tile); for a narrow input, blocks of
examples, each through the whole network into the thread's own gradient. The thread that completes a stage does
its serial part: the later layers, the loss and the checks, or adding up the threads' gradients and the update.

Each call runs up to ``run.costs.shape[0]`` iterations (epochs) and stops early when ``run.interrupt[0]`` is set,
when ‖∇J‖ < tol, or when the cost or a parameter is not finite or the cost exceeds ``run.blowup``. A bad cost
(not finite, or blown up) rolls the parameters back to those of the step before (``ROLLED_BACK``), the last whose
cost was still fine; parameters are never left non-finite.

With the optimiser code ``EVALUATE``, a call is the forward pass alone over ``run.order[0]``: A[L] goes to
``shared.outputs`` and J (with its L2 term) to ``run.costs[0]`` (one kernel a kind of network, compiled once).
"""

import math

import numpy as np

from .._jit import jit
from .bundles import (BLEW_UP, CONVERGED, CURRENT, HAS_PREVIOUS, INTERRUPTED, NONFINITE_COST, NONFINITE_PARAMS,
                      RAN, REASON, RECORDED, ROLLED_BACK, UPDATES)
from .layers import activate, output_loss
from .network import (add_penalty_gradient, add_weight_decay, copy, copy_columns, forward_from, layer_offset,
                      loss_and_backward, output, weight_penalty)
from .optim import ADAM, EVALUATE, apply_step, sum_of_absolutes, sum_of_squares
from .share import claim, complete, current_stage, open_stage, stop, stopped, wait_past
from .wide import tile_forward, tile_gradient

# The ``Shared.totals`` slots: this epoch's summed batch costs (weighted by batch size) and ‖∇J‖s, this step's
# cost and its weights' squares.
EPOCH_COST, EPOCH_NORM, STEP_COST, SQUARES = range(4)


@jit
def batch_geometry(run):
    """(m, the largest batch, batches per epoch, steps in this call)."""
    m = run.order.shape[1]
    mb_max = m if run.batch <= 0 else min(run.batch, m)
    n_batches = (m + mb_max - 1) // mb_max
    return m, mb_max, n_batches, run.costs.shape[0] * n_batches


@jit
def batch_rows(run, step, m, mb_max, n_batches):
    """The examples of ``step``'s batch (a view of the epoch's order)."""
    epoch = step // n_batches
    batch = step - epoch * n_batches
    order = run.order[epoch % run.order.shape[0]]
    return order[batch * mb_max : min(m, (batch + 1) * mb_max)]


@jit
def _bias_fixes(opt, state, dtype):
    """Adam's 1 − β1^t and 1 − β2^t for the coming update t (1 for the other optimisers)."""
    if opt.code != ADAM:
        return dtype.type(1.0), dtype.type(1.0)
    t = state.info[UPDATES] + 1
    return dtype.type(1.0 - opt.beta1**t), dtype.type(1.0 - opt.beta2**t)


@jit
def update_range(opt, state, lo, hi, g):
    """θ' = the optimiser's step from θ over parameters lo..hi with their gradient g (hi − lo,), into the other
    buffer; returns (Σ g², whether θ' is finite there)."""
    cur = state.info[CURRENT]
    nxt = 1 - cur
    dtype = state.theta.dtype
    fix1, fix2 = _bias_fixes(opt, state, dtype)
    return apply_step(opt.code, dtype.type(opt.lr), dtype.type(opt.beta1), dtype.type(opt.beta2),
                      dtype.type(opt.eps), fix1, fix2, state.theta[cur, lo:hi], state.theta[nxt, lo:hi], g,
                      state.v[cur, lo:hi], state.v[nxt, lo:hi], state.s[cur, lo:hi], state.s[nxt, lo:hi])


@jit
def _finish_cost(sync, stage, state, run, shared, step, n_batches, cost):
    """Check the step's cost before its update; a bad one stops the call, rolled back. Returns whether it was bad."""
    epoch = step // n_batches
    if math.isfinite(cost) and cost <= run.blowup:
        shared.totals[STEP_COST] = cost
        return False
    run.costs[epoch] = cost
    run.gnorms[epoch] = np.nan
    run.out[RAN] = epoch
    run.out[RECORDED] = epoch + 1
    run.out[REASON] = NONFINITE_COST if not math.isfinite(cost) else BLEW_UP
    if state.info[HAS_PREVIOUS] == 1:  # the parameters before the last update still had a fine cost
        state.info[CURRENT] = 1 - state.info[CURRENT]
        state.info[UPDATES] -= 1
        state.info[HAS_PREVIOUS] = 0
        run.out[ROLLED_BACK] = 1
        if step == epoch * n_batches:  # the update undone was the previous epoch's last
            run.out[RAN] = epoch - 1
    stop(sync, stage)
    return True


@jit
def finish_step(sync, stage, state, run, shared, step, n_batches, mb, m, squares, finite):
    """After a step's update was written to the other buffer: keep it or not, count the epoch, open what follows.

    ``squares`` is ‖∇J‖² of the step, ``finite`` whether the new parameters are all finite.
    """
    epoch = step // n_batches
    batch = step - epoch * n_batches
    cost = shared.totals[STEP_COST]
    gnorm = math.sqrt(squares)
    shared.totals[EPOCH_COST] += cost * mb
    shared.totals[EPOCH_NORM] += gnorm
    reason = -1
    if not math.isfinite(gnorm):
        reason = NONFINITE_COST
    elif n_batches == 1 and gnorm < run.tol:
        reason = CONVERGED
    elif not finite:
        reason = NONFINITE_PARAMS
    if reason >= 0:
        run.costs[epoch] = cost
        run.gnorms[epoch] = gnorm
        run.out[RAN] = epoch
        run.out[RECORDED] = epoch + 1
        run.out[REASON] = reason
        stop(sync, stage)
        return
    state.info[CURRENT] = 1 - state.info[CURRENT]
    state.info[UPDATES] += 1
    state.info[HAS_PREVIOUS] = 1
    last_batch = batch == n_batches - 1
    if last_batch:
        run.costs[epoch] = shared.totals[EPOCH_COST] / m
        run.gnorms[epoch] = shared.totals[EPOCH_NORM] / n_batches
        shared.totals[EPOCH_COST] = 0.0
        shared.totals[EPOCH_NORM] = 0.0
        done = run.first + epoch + 1
        if run.trace_every > 0 and done % run.trace_every == 0:
            copy(state.theta[state.info[CURRENT]], run.trace[done // run.trace_every - run.first // run.trace_every - 1])
    run.out[RAN] = epoch + 1 if last_batch else epoch
    run.out[RECORDED] = run.out[RAN]
    if last_batch and n_batches > 1 and run.gnorms[epoch] < run.tol:
        run.out[REASON] = CONVERGED
        stop(sync, stage)
    elif run.interrupt[0] != 0:
        if not last_batch:  # the epoch ends here: its cost and ‖∇J‖ from the batches it had
            run.costs[epoch] = shared.totals[EPOCH_COST] / _examples_so_far(run, batch, mb, m)
            run.gnorms[epoch] = shared.totals[EPOCH_NORM] / (batch + 1)
            run.out[RAN] = epoch + 1
            run.out[RECORDED] = epoch + 1
        run.out[REASON] = INTERRUPTED
        stop(sync, stage)
    else:
        open_stage(sync, stage + 1)


@jit
def _examples_so_far(run, batch, mb, m):
    mb_max = m if run.batch <= 0 else min(run.batch, m)
    return batch * mb_max + mb


@jit
def train_wide(wid, sync, spec, data, opt, state, run, shared):
    """The loop for a wide input (``WideData``): per step, stage 2s shares out Z[1]'s tiles, stage 2s + 1 dW[1]'s."""
    dims = spec.dims
    n1, nx = dims[1], dims[0]
    m, mb_max, n_batches, n_steps = batch_geometry(run)
    tile = data.tile
    n_tiles = (nx + tile - 1) // tile
    dtype = state.theta.dtype
    xf = np.zeros((5, tile), dtype=dtype)
    spare = np.zeros(tile, dtype=data.XT.dtype)
    dq = np.zeros((n1 + 1, 4), dtype=dtype)
    g = np.empty((n1 + 1, tile), dtype=dtype)
    stage = current_stage(sync)
    while stage < 2 * n_steps and not stopped(sync):
        step = stage // 2
        rows = batch_rows(run, step, m, mb_max, n_batches)
        mb = rows.shape[0]
        cur = state.info[CURRENT]
        W1 = state.theta[cur, : n1 * nx].reshape((n1, nx))
        while True:
            t = claim(sync, stage, n_tiles, wid)
            if t < 0:
                break
            shared.units[wid] += 1
            f0 = t * tile
            f1 = min(nx, f0 + tile)
            if stage % 2 == 0:
                first = shared.marks[wid] != stage
                shared.marks[wid] = stage
                tile_forward(W1, data.XT, rows, f0, f1, shared.parts[wid], xf, spare, not first)
                penalty = 0.0
                if opt.l2 > 0 or opt.l1 > 0:
                    for j in range(n1):
                        penalty += 0.5 * opt.l2 * sum_of_squares(W1[j, f0:f1]) + opt.l1 * sum_of_absolutes(W1[j, f0:f1])
                shared.tile_sq[t] = penalty
            else:
                tile_gradient(shared.dZ1[: n1 * mb].reshape((n1, mb)), data.XT, rows, f0, f1, dtype.type(data.scale), g, xf, spare, dq)
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
            if complete(sync, n_tiles):
                if stage % 2 == 0:
                    _wide_middle(sync, stage, spec, data, opt, state, run, shared, rows, n_batches)
                else:
                    _wide_finish(sync, stage, spec, opt, state, run, shared, rows, n_batches, m, n_tiles)
        stage = wait_past(sync, stage)


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
    first = True
    for w in range(shared.marks.shape[0]):
        if shared.marks[w] != stage:
            continue
        part = shared.parts[w]
        for j in range(n1):
            for i in range(mb):
                Z1[j, i] = part[j, i] if first else Z1[j, i] + part[j, i]
        first = False
    for j in range(n1):
        for i in range(mb):
            Z1[j, i] = Z1[j, i] * scale + b1[j]
    A1 = shared.a[: n1 * mb].reshape((n1, mb))
    from_layer_one(spec, theta, Z1, A1, mb, shared)
    Yb = shared.yb[: dims[-1] * mb].reshape((dims[-1], mb))
    _gather(data.Y, rows, Yb)
    inv_m = dtype.type(1.0 / mb)
    if opt.code == EVALUATE:
        loss = _outputs_and_loss(spec, shared.z, shared.a, shared.d1, shared.d2, Yb, mb, shared.outputs, rows[0])
    else:
        loss = loss_and_backward(spec, theta, shared.z, shared.a, shared.d1, shared.d2, Yb, mb, inv_m,
                                 A1, shared.grad, False, 2)
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
    elif not _finish_cost(sync, stage, state, run, shared, stage // 2, n_batches, cost):
        open_stage(sync, stage + 1)


@jit
def _outputs_and_loss(spec, z, a, d1, d2, Yb, mb, outputs, start):
    """A[L] of a batch of the examples start … start + mb − 1 into outputs, and the batch's summed loss."""
    dims = spec.dims
    L = dims.shape[0] - 1
    AL = output(spec, a, mb)
    for r in range(dims[L]):
        copy(AL[r], outputs[r, start : start + mb])
    last = layer_offset(dims, L, mb)
    n = dims[L] * mb
    return output_loss(spec.acts[L - 1], spec.loss, z[last : last + n].reshape((dims[L], mb)), AL, Yb,
                       d1[:n].reshape((dims[L], mb)), d2[:n].reshape((dims[L], mb)), a.dtype.type(1.0))


@jit
def from_layer_one(spec, theta, Z1, A1, mb, shared):
    """A[1] = g(Z[1]), then layers 2..L."""
    activate(spec.acts[0], Z1, A1)
    forward_from(spec, theta, 2, A1, mb, shared.z, shared.a)


@jit
def _wide_finish(sync, stage, spec, opt, state, run, shared, rows, n_batches, m, n_tiles):
    """The update of everything but W[1] (its tiles were updated in their units), then the step's checks."""
    size = state.theta.shape[1]
    start = spec.b_off[1]
    theta = state.theta[state.info[CURRENT]]
    mb = rows.shape[0]
    if opt.l2 > 0 or opt.l1 > 0:
        add_weight_decay(spec, theta, shared.grad, 2, theta.dtype.type(opt.l2 / mb), theta.dtype.type(opt.l1 / mb))
    squares, finite = update_range(opt, state, start, size, shared.grad[start:size])
    for t in range(n_tiles):
        squares += shared.tile_sq[t]
        finite = finite and shared.tile_ok[t] == 1
    finish_step(sync, stage, state, run, shared, stage // 2, n_batches, mb, m, squares, finite)


@jit
def train_narrow(wid, sync, spec, data, opt, state, run, shared):
    """The loop for a narrow input (``NarrowData``): per step, one stage shares out blocks of examples."""
    dims = spec.dims
    m, mb_max, n_batches, n_steps = batch_geometry(run)
    block = data.block
    dtype = state.theta.dtype
    size = state.theta.shape[1]
    widest = dims.max()
    layers = dims[1:].sum()
    z = np.empty(layers * block, dtype=dtype)
    a = np.empty_like(z)
    d1 = np.empty(widest * block, dtype=dtype)
    d2 = np.empty_like(d1)
    xb = np.empty(dims[0] * block, dtype=dtype)
    yb = np.empty(dims[-1] * block, dtype=dtype)
    whole = _in_order(run)  # every batch is the examples in order: copy blocks, don't gather
    stage = current_stage(sync)
    while stage < n_steps and not stopped(sync):
        rows = batch_rows(run, stage, m, mb_max, n_batches)
        mb = rows.shape[0]
        n_blocks = (mb + block - 1) // block
        theta = state.theta[state.info[CURRENT]]
        inv_m = dtype.type(1.0 / mb)
        while True:
            u = claim(sync, stage, n_blocks, wid)
            if u < 0:
                break
            shared.units[wid] += 1
            part = rows[u * block : min(mb, (u + 1) * block)]
            k = part.shape[0]
            Xb = xb[: dims[0] * k].reshape((dims[0], k))
            Yb = yb[: dims[-1] * k].reshape((dims[-1], k))
            if whole:
                copy_columns(data.X, part[0], Xb)
                copy_columns(data.Y, part[0], Yb)
            else:
                _gather(data.X, part, Xb)
                _gather(data.Y, part, Yb)
            first = shared.marks[wid] != stage
            shared.marks[wid] = stage
            forward_from(spec, theta, 1, Xb, k, z, a)
            if opt.code == EVALUATE:
                loss = _outputs_and_loss(spec, z, a, d1, d2, Yb, k, shared.outputs, part[0])
            else:
                loss = loss_and_backward(spec, theta, z, a, d1, d2, Yb, k, inv_m, Xb, shared.parts[wid],
                                         not first, 1)
            shared.losses[wid] = loss if first else shared.losses[wid] + loss
            if complete(sync, n_blocks):
                _narrow_finish(sync, stage, spec, opt, state, run, shared, n_batches, mb, m, size)
        stage = wait_past(sync, stage)


@jit
def _in_order(run):
    """Whether every step's batch is all the examples in their order (full batch, not shuffled)."""
    if run.order.shape[0] != 1 or (0 < run.batch < run.order.shape[1]):
        return False
    for i in range(run.order.shape[1]):
        if run.order[0, i] != i:
            return False
    return True


@jit
def _gather(source, rows, out):
    """out (n, k) = source[:, rows] (rows of length k)."""
    for f in range(out.shape[0]):
        row = source[f]
        for i in range(rows.shape[0]):
            out[f, i] = row[rows[i]]


@jit
def _narrow_finish(sync, stage, spec, opt, state, run, shared, n_batches, mb, m, size):
    """The threads' gradients and losses added up, the step's cost checked, the update, the step's checks."""
    theta = state.theta[state.info[CURRENT]]
    grad = shared.grad
    loss = 0.0
    first = True
    for w in range(shared.marks.shape[0]):
        if shared.marks[w] != stage:
            continue
        loss += shared.losses[w]
        if opt.code != EVALUATE:
            part = shared.parts[w]
            for p in range(size):
                grad[p] = part[p] if first else grad[p] + part[p]
        first = False
    cost = loss / mb
    if opt.l2 > 0 or opt.l1 > 0:
        cost += weight_penalty(spec, theta, 1, opt.l2, opt.l1) / mb
    if opt.code == EVALUATE:
        run.costs[0] = cost
        stop(sync, stage)
        return
    if _finish_cost(sync, stage, state, run, shared, stage, n_batches, cost):
        return
    if opt.l2 > 0 or opt.l1 > 0:
        add_weight_decay(spec, theta, grad, 1, theta.dtype.type(opt.l2 / mb), theta.dtype.type(opt.l1 / mb))
    squares, finite = update_range(opt, state, 0, size, grad[:size])
    finish_step(sync, stage, state, run, shared, stage, n_batches, mb, m, squares, finite)
