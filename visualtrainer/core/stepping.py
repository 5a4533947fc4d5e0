"""One update of a network's optimiser on a batch of examples chosen by hand: one example (stochastic gradient
descent), one mini-batch, with the values of that step laid open: Z[l], A[l] forward and dZ[l], dW[l], db[l] back
at θ before the update.

The update is the training loop's own (``reference.ReferenceEngine.train``: the kernels' math in numpy, agreeing
with them to rounding): the same optimiser with its averages and step count, the same L2 and L1 terms, the same
roll-back on a bad cost. A step on a part of an epoch moves θ but is not an iteration (an iteration is an epoch):
the iteration count and the cost history stay as they are.
"""

from dataclasses import dataclass

import numpy as np

from .engine import keep_state, new_state
from .graph import layer_graph
from .kernels import bundles as B

#: Examples in a mini-batch step when the network trains on the full batch.
DEFAULT_BATCH = 64


def epoch_order(net, m, epoch):
    """The order in which the training loop visits the m examples in ``epoch``: shuffled with
    ``RandomState(shuffle seed + 1 + epoch)`` for mini-batches, 0 … m − 1 for the full batch."""
    if 0 < int(net.batch_size) < m:
        return np.random.RandomState(net._shuffle_seed + 1 + epoch).permutation(m)
    return np.arange(m)


def batch_rows(net, m, position):
    """(rows, batch index, number of batches) of mini-batch ``position`` (counted on, wrapping round) of the
    current epoch: the network's batch size, or DEFAULT_BATCH for a full-batch network."""
    size = int(net.batch_size) if 0 < int(net.batch_size) < m else min(DEFAULT_BATCH, m)
    count = -(-m // size)
    index = int(position) % count
    order = epoch_order(net, m, int(net.n_iter_))
    return order[index * size : (index + 1) * size], index, count


@dataclass(frozen=True)
class Step:
    """A step taken on the examples ``rows``.

    layers : list of (l, dict)
        At θ before the update: "Z", "A" (n[l], k) forward, "dZ" (n[l], k), "dW" (n[l], n[l−1]), "db" (n[l], 1)
        back, "g" the activation's name; "update" (n[l], n[l−1]) what the step did to W[l] (W after − W before).
    cost, cost_after : float
        J on these examples before and after the update (with the regularisation terms).
    params : dict
        Read-only copies of the parameters after the step.
    applied : bool
        False when the cost turned bad and the update was undone (``message`` says so).
    """

    rows: np.ndarray
    layers: list
    cost: float
    cost_after: float
    params: dict
    applied: bool
    message: str = ""


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # a diverging step overflows: ``applied`` says so
def take_step(net, X, Y, rows):
    """One update of ``net``'s optimiser on the examples ``rows`` of X (n_x, m), Y, in place; returns the Step.
    ``net`` must have parameters (``initialize``); only its θ and its optimiser's state change."""
    if not net.is_fitted:
        raise ValueError("the network has no parameters yet; initialise or train it before stepping.")
    rows = np.asarray(rows, dtype=np.int64).ravel()
    if rows.size == 0 or rows.min() < 0 or rows.max() >= X.shape[1]:
        raise ValueError(f"rows must be examples 0 … {X.shape[1] - 1}; got {rows[:5].tolist()}.")
    Xb, Yb = X[:, rows], np.asarray(Y)[:, rows]
    before = {key: np.array(value, dtype=np.float64) for key, value in net.params_.items()}
    layers, cost = layer_graph(net, Xb, Yb, before)
    engine = net.engine(Xb, Yb).reference()
    k = rows.size
    opt = net.optimizer_state_
    state = new_state(net.theta_, opt.velocity, opt.squares, opt.updates)
    run = B.Run(order=np.arange(k, dtype=np.int64).reshape(1, k), batch=k, tol=0.0, blowup=np.inf,
                interrupt=np.zeros(1, dtype=np.int64), first=0, trace_every=0,
                trace=np.empty((0, net.theta_.size), dtype=net.theta_.dtype), costs=np.full(1, np.nan),
                gnorms=np.full(1, np.nan), out=np.array([0, B.RAN_ALL, 0, 0], dtype=np.int64))
    engine.train(net.optimizer_settings(), state, run, k)
    applied = int(run.out[B.REASON]) == B.RAN_ALL
    if applied:
        keep_state(net, state)
    after = {key: np.array(value, dtype=np.float64) for key, value in net.params_.items()}
    for l, layer in layers:
        layer.pop("A_prev", None)  # the inputs: the caller has them
        layer["update"] = after[f"W{l}"] - before[f"W{l}"]
    cost_after = layer_graph(net, Xb, Yb, after)[1] if applied else cost
    params = {}
    for key, value in net.params_.items():
        params[key] = np.array(value, copy=True)
        params[key].flags.writeable = False
    message = "" if applied else ("the cost or the parameters would not be finite after this step, so it was not "
                                  "taken; lower the learning rate.")
    return Step(rows, layers, float(cost), float(cost_after), params, applied, message)
