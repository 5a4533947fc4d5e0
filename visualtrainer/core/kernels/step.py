"""A training step's serial parts, shared by both loops: the batch of a step, the optimiser's update of a range of
parameters, the checks before and after an update, the epoch's bookkeeping, and the forward pass's outputs.

``Shared.totals`` holds this epoch's summed batch costs (weighted by batch size) and ‖∇J‖s, and this step's cost
(``EPOCH_COST``, ``EPOCH_NORM``, ``STEP_COST``).
"""

import math

import numpy as np

from .._jit import borrowing, jit
from .bundles import (BLEW_UP, CONVERGED, CURRENT, HAS_PREVIOUS, INTERRUPTED, NONFINITE_COST, NONFINITE_PARAMS,
                      RAN, REASON, RECORDED, ROLLED_BACK, UPDATES)
from .layers import output_loss
from .network import copy, layer_offset, output
from .optim import ADAM, apply_step
from .share import open_stage, stop

EPOCH_COST, EPOCH_NORM, STEP_COST = range(3)


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


@borrowing
def _bias_fixes(opt, state, dtype):
    """Adam's 1 − β1^t and 1 − β2^t for the coming update t (1 for the other optimisers)."""
    if opt.code != ADAM:
        return dtype.type(1.0), dtype.type(1.0)
    t = state.info[UPDATES] + 1
    return dtype.type(1.0 - opt.beta1**t), dtype.type(1.0 - opt.beta2**t)


@borrowing
def update_range(opt, state, lo, hi, g):
    """θ' = the optimiser's step from θ over parameters lo..hi with their gradient g (hi − lo,), into the other
    buffer; returns (Σ g², whether θ' is finite there)."""
    cur = state.info[CURRENT]
    nxt = 1 - cur
    dtype = state.theta.dtype
    fix1, fix2 = _bias_fixes(opt, state, dtype)
    hyper = (opt.code, dtype.type(opt.lr), dtype.type(opt.beta1), dtype.type(opt.beta2), dtype.type(opt.eps), fix1,
             fix2)
    return apply_step(hyper, state.theta[cur, lo:hi], state.theta[nxt, lo:hi], g, state.v[cur, lo:hi],
                      state.v[nxt, lo:hi], state.s[cur, lo:hi], state.s[nxt, lo:hi])


@jit
def finish_cost(sync, stage, state, run, totals, step, n_batches, cost):
    """Check the step's cost before its update; a bad one stops the call, rolled back. Returns whether it was bad."""
    epoch = step // n_batches
    if math.isfinite(cost) and cost <= run.blowup:
        totals[STEP_COST] = cost
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
def finish_step(sync, stage, state, run, totals, where, squares, finite):
    """After a step's update was written to the other buffer: keep it or not, count the epoch, open what follows.

    ``where`` is (the step, batches an epoch, the batch's size); ``squares`` is ‖∇J‖² of the step, ``finite``
    whether the new parameters are all finite.
    """
    step, n_batches, mb = where
    m = run.order.shape[1]
    epoch = step // n_batches
    batch = step - epoch * n_batches
    cost = totals[STEP_COST]
    gnorm = math.sqrt(squares)
    totals[EPOCH_COST] += cost * mb
    totals[EPOCH_NORM] += gnorm
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
        run.costs[epoch] = totals[EPOCH_COST] / m
        run.gnorms[epoch] = totals[EPOCH_NORM] / n_batches
        totals[EPOCH_COST] = 0.0
        totals[EPOCH_NORM] = 0.0
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
            run.costs[epoch] = totals[EPOCH_COST] / _examples_so_far(run, batch, mb, m)
            run.gnorms[epoch] = totals[EPOCH_NORM] / (batch + 1)
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
def in_order(run):
    """Whether every step's batch is all the examples in their order (full batch, not shuffled)."""
    if run.order.shape[0] != 1 or (0 < run.batch < run.order.shape[1]):
        return False
    for i in range(run.order.shape[1]):
        if run.order[0, i] != i:
            return False
    return True


@jit
def gather(source, rows, out):
    """out (n, k) = source[:, rows] (rows of length k)."""
    for f in range(out.shape[0]):
        row = source[f]
        for i in range(rows.shape[0]):
            out[f, i] = row[rows[i]]


@jit
def outputs_and_loss(spec, buffers, Yb, mb, outputs, start):
    """A[L] of a batch of the examples start … start + mb − 1 into outputs, and the batch's summed loss; buffers
    (z, a, d1, d2) hold its forward pass."""
    z, a, d1, d2 = buffers
    dims = spec.dims
    L = dims.shape[0] - 1
    AL = output(spec, a, mb)
    for r in range(dims[L]):
        copy(AL[r], outputs[r, start : start + mb])
    last = layer_offset(dims, L, mb)
    n = dims[L] * mb
    return output_loss(spec.acts[L - 1], spec.loss, z[last : last + n].reshape((dims[L], mb)), AL, Yb,
                       d1[:n].reshape((dims[L], mb)), d2[:n].reshape((dims[L], mb)), a.dtype.type(1.0))
