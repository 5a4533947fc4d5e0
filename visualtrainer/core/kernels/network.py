"""A batch through the network: the layers' forward pass, the loss, and the backward pass into a gradient.

Parameters live in one flat vector θ (and the gradient in one laid out alike): W[l] at ``w_off[l]`` as an
(n[l], n[l-1]) block row by row, then b[l] at ``b_off[l]``. Z[l] and A[l] of a batch of mb examples are kept one
layer after another in the buffers ``z`` and ``a``; ``d1``, ``d2`` hold one layer's dZ or dA at a time.
"""

from .._jit import borrowing, jit
from .layers import activate, activate_backward, dense_forward, input_gradient, output_loss, weight_gradient


@jit
def block(flat, offset, rows, cols):
    """The (rows, cols) matrix stored row by row in ``flat`` from ``offset``."""
    return flat[offset : offset + rows * cols].reshape((rows, cols))


@jit
def copy(source, destination):
    """destination[i] = source[i] for every i (1-D, the same length): a loop, which compiles in a fraction of the
    time Numba's general slice assignment takes."""
    for i in range(destination.shape[0]):
        destination[i] = source[i]


@jit
def n_params(spec):
    """P, the number of parameters: the state's rows may be longer (padded to whole cache lines)."""
    last = spec.dims.shape[0] - 1
    return spec.b_off[last] + spec.dims[last]


@jit
def copy_columns(source, start, destination):
    """destination (n, k) = source[:, start : start + k]."""
    k = destination.shape[1]
    for r in range(destination.shape[0]):
        copy(source[r, start : start + k], destination[r])


@jit
def weights(spec, theta, l):
    """W[l] (n[l], n[l-1]) and b[l] (n[l],), views into θ."""
    dims = spec.dims
    return block(theta, spec.w_off[l], dims[l], dims[l - 1]), theta[spec.b_off[l] : spec.b_off[l] + dims[l]]


@jit
def layer_offset(dims, l, mb):
    """Where Z[l] and A[l] start in ``z`` and ``a``."""
    offset = 0
    for k in range(1, l):
        offset += dims[k] * mb
    return offset


@jit
def forward_from(spec, theta, l0, A_prev, mb, z, a):
    """Layers l0..L on mb examples from A[l0 − 1] = ``A_prev`` (n[l0 − 1], mb); Z[l], A[l] go into z, a."""
    dims = spec.dims
    for l in range(l0, dims.shape[0]):
        W, b = weights(spec, theta, l)
        Z = block(z, layer_offset(dims, l, mb), dims[l], mb)
        A = block(a, layer_offset(dims, l, mb), dims[l], mb)
        dense_forward(W, b, A_prev if l == l0 else block(a, layer_offset(dims, l - 1, mb), dims[l - 1], mb), Z)
        activate(spec.acts[l - 1], Z, A)


@jit
def output(spec, a, mb):
    """A[L] (n[L], mb) in ``a``."""
    dims = spec.dims
    L = dims.shape[0] - 1
    return block(a, layer_offset(dims, L, mb), dims[L], mb)


@jit
def loss_and_backward(spec, theta, buffers, Yb, mb, inv_m, A0, grad, accumulate, l_stop):
    """The batch's summed loss, and the gradient of inv_m·Σ loss into ``grad`` for layers L down to ``l_stop``.

    ``buffers`` = (z, a, d1, d2) hold the forward pass (z, a) and room for one layer's dZ and dA; Yb (n[L], mb) is
    the batch's labels. For l_stop = 1, A[0] = ``A0`` (the batch's inputs, (n[0], mb)). For l_stop = 2, the layer-1
    part is left to the caller: dZ[1] is in ``d1`` as (n[1], mb), and db[1] is written. ``accumulate`` adds to
    ``grad`` instead of overwriting it.
    """
    z, a, d1, d2 = buffers
    dims = spec.dims
    L = dims.shape[0] - 1
    last = layer_offset(dims, L, mb)
    dZ = block(d1, 0, dims[L], mb)
    loss = output_loss(spec.acts[L - 1], spec.loss, block(z, last, dims[L], mb), block(a, last, dims[L], mb), Yb, dZ,
                       block(d2, 0, dims[L], mb), inv_m)
    for l in range(L, 0, -1):
        dZ = block(d1, 0, dims[l], mb)
        dW = block(grad, spec.w_off[l], dims[l], dims[l - 1])
        db = grad[spec.b_off[l] : spec.b_off[l] + dims[l]]
        if l == 1:
            if l_stop == 1:
                weight_gradient(A0, dZ, dW, db, accumulate)
            else:
                _column_sums(dZ, db, accumulate)
            break
        prev = layer_offset(dims, l - 1, mb)
        A_prev = block(a, prev, dims[l - 1], mb)
        weight_gradient(A_prev, dZ, dW, db, accumulate)
        W, _ = weights(spec, theta, l)
        dA_prev = block(d2, 0, dims[l - 1], mb)
        input_gradient(W, dZ, dA_prev)
        activate_backward(spec.acts[l - 2], block(z, prev, dims[l - 1], mb), A_prev, dA_prev,
                          block(d1, 0, dims[l - 1], mb))
    return loss


@jit
def _column_sums(dZ, db, accumulate):
    for j in range(dZ.shape[0]):
        total = dZ.dtype.type(0)
        for i in range(dZ.shape[1]):
            total += dZ[j, i]
        db[j] = db[j] + total if accumulate else total


@jit
def weight_penalty(spec, theta, l0, l2, l1):
    """½λ2·Σ‖W[l]‖² + λ1·Σ|W[l]| for l ≥ l0 (float64): the regularisation terms before their 1/m."""
    squares = 0.0
    absolutes = 0.0
    dims = spec.dims
    for l in range(l0, dims.shape[0]):
        W = theta[spec.w_off[l] : spec.w_off[l] + dims[l] * dims[l - 1]]
        for p in range(W.shape[0]):
            squares += W[p] * W[p]
            absolutes += abs(W[p])
    return 0.5 * l2 * squares + l1 * absolutes


@jit
def add_weight_decay(spec, theta, grad, l0, decay, l1_decay):
    """grad += decay·W + l1_decay·sign(W) for every W[l], l ≥ l0 (the L2 and L1 terms' gradient, with their 1/m;
    biases are in neither)."""
    dims = spec.dims
    for l in range(l0, dims.shape[0]):
        start = spec.w_off[l]
        add_penalty_gradient(theta[start : start + dims[l] * dims[l - 1]],
                             grad[start : start + dims[l] * dims[l - 1]], decay, l1_decay)


@borrowing
def add_penalty_gradient(W, g, decay, l1_decay):
    """g += decay·W + l1_decay·sign(W) (sign(0) = 0: the subgradient L1 takes at 0)."""
    zero = W.dtype.type(0)
    for p in range(W.shape[0]):
        w = W[p]
        g[p] += decay * w + (l1_decay if w > zero else (-l1_decay if w < zero else zero))


@jit
def from_layer_one(spec, theta, Z1, A1, mb, shared):
    """A[1] = g(Z[1]), then layers 2..L (into ``shared.z``, ``shared.a``)."""
    activate(spec.acts[0], Z1, A1)
    forward_from(spec, theta, 2, A1, mb, shared.z, shared.a)
