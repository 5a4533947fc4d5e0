"""The training loop for a narrow input (``NarrowData``): per step, one stage shares out blocks of examples, each
through the whole network into its thread's own gradient (``kernels.train`` says what a call does)."""

import numpy as np

from .._jit import jit
from .bundles import CURRENT
from .network import add_weight_decay, copy_columns, forward_from, loss_and_backward, n_params, weight_penalty
from .optim import EVALUATE
from .share import claim, complete, current_stage, stop, stopped, wait_past
from .step import batch_geometry, batch_rows, finish_cost, finish_step, gather, in_order, outputs_and_loss, update_range


@jit
def train_narrow(wid, sync, spec, data, opt, state, run, shared):
    """The loop for a narrow input (``NarrowData``): per step, one stage shares out blocks of examples."""
    dims = spec.dims
    m, mb_max, n_batches, n_steps = batch_geometry(run)
    block = data.block
    dtype = state.theta.dtype
    size = n_params(spec)
    widest = dims.max()
    layers = dims[1:].sum()
    z = np.empty(layers * block, dtype=dtype)
    a = np.empty_like(z)
    d1 = np.empty(widest * block, dtype=dtype)
    d2 = np.empty_like(d1)
    xb = np.empty(dims[0] * block, dtype=dtype)
    yb = np.empty(dims[-1] * block, dtype=dtype)
    whole = in_order(run)  # every batch is the examples in order: copy blocks, don't gather
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
                gather(data.X, part, Xb)
                gather(data.Y, part, Yb)
            first = shared.marks[wid] != stage
            shared.marks[wid] = stage
            forward_from(spec, theta, 1, Xb, k, z, a)
            if opt.code == EVALUATE:
                loss = outputs_and_loss(spec, (z, a, d1, d2), Yb, k, shared.outputs, part[0])
            else:
                loss = loss_and_backward(spec, theta, (z, a, d1, d2), Yb, k, inv_m, Xb, shared.parts[wid], not first, 1)
            shared.losses[wid] = loss if first else shared.losses[wid] + loss
            if complete(sync, n_blocks):
                _narrow_finish(sync, stage, spec, opt, state, run, shared, n_batches, mb)
        stage = wait_past(sync, stage, wid)


@jit
def _narrow_finish(sync, stage, spec, opt, state, run, shared, n_batches, mb):
    """The threads' gradients and losses added up, the step's cost checked, the update, the step's checks."""
    size = n_params(spec)
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
    if finish_cost(sync, stage, state, run, shared.totals, stage, n_batches, cost):
        return
    if opt.l2 > 0 or opt.l1 > 0:
        add_weight_decay(spec, theta, grad, 1, theta.dtype.type(opt.l2 / mb), theta.dtype.type(opt.l1 / mb))
    squares, finite = update_range(opt, state, 0, size, grad[:size])
    finish_step(sync, stage, state, run, shared.totals, (stage, n_batches, mb), squares, finite)
