"""The forward pass alone, shared out like training's: A[L] for every example, and J with its L2 term."""

import numpy as np

from .._jit import jit
from .layers import activate, output_loss
from .network import forward_from, layer_offset, output, weight_squares
from .share import claim, complete, current_stage, open_stage, stopped, wait_past
from .wide import tile_forward


@jit
def evaluate_wide(wid, sync, spec, data, theta, l2, with_cost, out, shared):
    """A[L] of every example into ``out`` (n[L], m), and J (with λ = ``l2``) into ``shared.totals[0]`` when
    ``with_cost``; stage 0 shares out Z[1]'s tiles, its serial part runs the rest."""
    dims = spec.dims
    n1, nx = dims[1], dims[0]
    m = data.XT.shape[0]
    rows = np.arange(m)
    n_tiles = (nx + data.tile - 1) // data.tile
    xf = np.zeros((5, data.tile), dtype=theta.dtype)
    spare = np.zeros(data.tile, dtype=data.XT.dtype)
    W1 = theta[: n1 * nx].reshape((n1, nx))
    stage = current_stage(sync)
    while stage < 1 and not stopped(sync):
        while True:
            t = claim(sync, stage, n_tiles, wid)
            if t < 0:
                break
            first = shared.marks[wid] != stage
            shared.marks[wid] = stage
            f0 = t * data.tile
            tile_forward(W1, data.XT, rows, f0, min(nx, f0 + data.tile), shared.parts[wid], xf, spare, not first)
            if complete(sync, n_tiles):
                _wide_rest(spec, data, theta, l2, with_cost, out, shared, m)
                open_stage(sync, 1)
        stage = wait_past(sync, stage)


@jit
def _wide_rest(spec, data, theta, l2, with_cost, out, shared, m):
    n1 = spec.dims[1]
    Z1 = shared.z[: n1 * m].reshape((n1, m))
    A1 = shared.a[: n1 * m].reshape((n1, m))
    first = True
    for w in range(shared.marks.shape[0]):
        if shared.marks[w] != 0:
            continue
        part = shared.parts[w]
        for j in range(n1):
            for i in range(m):
                Z1[j, i] = part[j, i] if first else Z1[j, i] + part[j, i]
        first = False
    scale = theta.dtype.type(data.scale)
    b1 = theta[spec.b_off[1] : spec.b_off[1] + n1]
    for j in range(n1):
        for i in range(m):
            Z1[j, i] = Z1[j, i] * scale + b1[j]
    activate(spec.acts[0], Z1, A1)
    forward_from(spec, theta, 2, A1, m, shared.z, shared.a)
    out[:, :] = output(spec, shared.a, m)
    if with_cost:
        shared.totals[0] = _cost(spec, theta, l2, shared.z, shared.a, data.Y, shared.d1, shared.d2, m)


@jit
def _cost(spec, theta, l2, z, a, Y, d1, d2, m):
    dims = spec.dims
    L = dims.shape[0] - 1
    last = layer_offset(dims, L, m)
    ZL = z[last : last + dims[L] * m].reshape((dims[L], m))
    AL = a[last : last + dims[L] * m].reshape((dims[L], m))
    Yb = np.ascontiguousarray(Y.astype(theta.dtype))
    loss = output_loss(spec.acts[L - 1], spec.loss, ZL, AL, Yb, d1[: dims[L] * m].reshape((dims[L], m)),
                       d2[: dims[L] * m].reshape((dims[L], m)), theta.dtype.type(1.0 / m))
    cost = loss / m
    if l2 > 0:
        cost += 0.5 * l2 / m * weight_squares(spec, theta, 1)
    return cost


@jit
def evaluate_narrow(wid, sync, spec, data, theta, l2, with_cost, out, shared):
    """``evaluate_wide`` for a narrow input: blocks of examples shared out, each through the whole network."""
    dims = spec.dims
    m = data.X.shape[1]
    block = data.block
    n_blocks = (m + block - 1) // block
    layers = dims[1:].sum()
    z = np.empty(layers * block, dtype=theta.dtype)
    a = np.empty_like(z)
    d1 = np.empty(dims.max() * block, dtype=theta.dtype)
    d2 = np.empty_like(d1)
    stage = current_stage(sync)
    while stage < 1 and not stopped(sync):
        while True:
            u = claim(sync, stage, n_blocks, wid)
            if u < 0:
                break
            i0 = u * block
            i1 = min(m, i0 + block)
            k = i1 - i0
            forward_from(spec, theta, 1, np.ascontiguousarray(data.X[:, i0:i1]), k, z, a)
            out[:, i0:i1] = output(spec, a, k)
            loss = 0.0
            if with_cost:
                loss = _block_loss(spec, z, a, np.ascontiguousarray(data.Y[:, i0:i1]), d1, d2, k, theta.dtype)
            first = shared.marks[wid] != stage
            shared.marks[wid] = stage
            shared.losses[wid] = loss if first else shared.losses[wid] + loss
            if complete(sync, n_blocks):
                if with_cost:
                    total = 0.0
                    for w in range(shared.marks.shape[0]):
                        if shared.marks[w] == stage:
                            total += shared.losses[w]
                    cost = total / m
                    if l2 > 0:
                        cost += 0.5 * l2 / m * weight_squares(spec, theta, 1)
                    shared.totals[0] = cost
                open_stage(sync, 1)
        stage = wait_past(sync, stage)


@jit
def _block_loss(spec, z, a, Yb, d1, d2, k, dtype):
    dims = spec.dims
    L = dims.shape[0] - 1
    last = layer_offset(dims, L, k)
    n = dims[L] * k
    return output_loss(spec.acts[L - 1], spec.loss, z[last : last + n].reshape((dims[L], k)),
                       a[last : last + n].reshape((dims[L], k)), Yb, d1[:n].reshape((dims[L], k)),
                       d2[:n].reshape((dims[L], k)), dtype.type(1.0))
