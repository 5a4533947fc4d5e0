"""How each layer of a network is doing, from one forward and backward pass: histograms of its weights W[l], its
gradients dW[l] and its activations A[l], the share of its dead ReLU units and of its saturated sigmoid/tanh
units, and the norm of its gradient ‖dW[l]‖ (vanishing towards the input, or exploding).

Weights and gradients are binned by magnitude, log10|v| in quarter decades (a bin of its own for exact zeros), so
that scales from 1e-12 to 1e6 share one axis; bounded activations (sigmoid, tanh, softmax) by value over their
range, unbounded ones (ReLU, leaky ReLU, linear) by magnitude like the weights.
"""

from dataclasses import dataclass

import numpy as np

from .graph import layer_graph

#: log10|v| bins: LOG_LOW … LOG_HIGH in steps of LOG_STEP, after a first bin for exact zeros.
LOG_LOW, LOG_HIGH, LOG_STEP = -12.0, 6.0, 0.25
LOG_BINS = 1 + int(round((LOG_HIGH - LOG_LOW) / LOG_STEP))
#: Bins of a bounded activation over its range.
LINEAR_BINS = 40
#: The range of the bounded activations.
BOUNDED = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0)}
#: A sigmoid or tanh output in its flat tails: g'(z) below 1% (sigmoid) or 2% (tanh) of its peak.
SATURATED = {"sigmoid": 0.01, "tanh": 0.01}
#: A unit counts as saturated when it is in a flat tail on at least this share of the examples.
SATURATED_SHARE = 0.9


def log_histogram(values):
    """(LOG_BINS,) shares of ``values`` by magnitude: bin 0 holds the exact zeros, bin 1 + j the magnitudes with
    log10|v| in [LOG_LOW + j·LOG_STEP, + LOG_STEP) (those beyond the range in the end bins; NaN left out)."""
    v = np.abs(np.asarray(values, dtype=np.float64).ravel())
    v = v[~np.isnan(v)]
    counts = np.zeros(LOG_BINS)
    if v.size == 0:
        return counts
    zero = v == 0
    counts[0] = zero.sum()
    with np.errstate(divide="ignore"):
        bins = np.floor((np.log10(v[~zero]) - LOG_LOW) / LOG_STEP)
    bins = np.clip(bins, 0, LOG_BINS - 2).astype(np.int64) + 1
    counts += np.bincount(bins, minlength=LOG_BINS)
    return counts / v.size


def linear_histogram(values, low, high):
    """(LINEAR_BINS,) shares of ``values`` in equal bins over [low, high] (values beyond it in the end bins)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[~np.isnan(v)]
    if v.size == 0:
        return np.zeros(LINEAR_BINS)
    bins = np.clip(np.floor((v - low) / (high - low) * LINEAR_BINS), 0, LINEAR_BINS - 1).astype(np.int64)
    return np.bincount(bins, minlength=LINEAR_BINS) / v.size


def activation_scale(name):
    """("linear", low, high) for a bounded activation, ("log", LOG_LOW, LOG_HIGH) for the others."""
    if name in BOUNDED:
        return ("linear", *BOUNDED[name])
    return ("log", LOG_LOW, LOG_HIGH)


@dataclass(frozen=True)
class LayerStats:
    """One layer l at one moment.

    weights, gradients : ndarray (LOG_BINS,)
        Shares of W[l]'s and dW[l]'s entries by magnitude (``log_histogram``).
    activations : ndarray
        Shares of A[l]'s values over the examples: (LINEAR_BINS,) for a bounded activation, else (LOG_BINS,).
    dead : float or None
        For a ReLU layer: the share of its units with z ≤ 0 on every example (they pass no gradient back, so
        they never learn again).
    saturated : float or None
        For a sigmoid or tanh layer: the share of its units in a flat tail (g'(z) near 0: σ < 0.01 or > 0.99,
        |tanh| > 0.99) on at least SATURATED_SHARE of the examples (they learn slowly).
    grad_norm : float
        ‖dW[l]‖ (Frobenius).
    """

    weights: np.ndarray
    gradients: np.ndarray
    activations: np.ndarray
    dead: float | None
    saturated: float | None
    grad_norm: float


def _saturated(name, Z, A):
    if name == "sigmoid":
        tail = (A < SATURATED[name]) | (A > 1 - SATURATED[name])
    else:
        tail = np.abs(A) > 1 - SATURATED[name]
    return float(np.mean(tail.mean(axis=1) >= SATURATED_SHARE))


def layer_stats(net, X, Y, params):
    """[LayerStats for l = 1 … L] of a network with ``net``'s settings (an untrained copy will do) and ``params``
    ({"W1": (n[1], n[0]), "b1": …}) on the examples X (n_x, m), Y: the gradient is J's over these examples."""
    layers, _ = layer_graph(net, X, Y, params)
    out = []
    for l, layer in layers:
        name = layer["g"]
        Z, A = layer["Z"], layer["A"]
        kind, low, high = activation_scale(name)
        with np.errstate(over="ignore", invalid="ignore"):
            out.append(LayerStats(
                weights=log_histogram(params[f"W{l}"]),
                gradients=log_histogram(layer["dW"]),
                activations=linear_histogram(A, low, high) if kind == "linear" else log_histogram(A),
                dead=float(np.mean((Z <= 0).all(axis=1))) if name == "relu" else None,
                saturated=_saturated(name, Z, A) if name in SATURATED else None,
                grad_norm=float(np.linalg.norm(layer["dW"]))))
    return out
