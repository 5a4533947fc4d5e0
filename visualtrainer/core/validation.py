"""Checks of a network's settings and of its data, each failing with what was expected, what was given, what to do.

Also the memory a training run would need, checked against what the machine has before anything is allocated.
"""

import math
import numbers
import os
from pathlib import Path

import numpy as np

from .activations import HIDDEN, OUTPUTS

INITS = ("zeros", "small", "xavier", "he", "large")
OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")
LOSSES = ("cross_entropy", "mse")
DTYPES = ("float32", "float64")
#: RandomState takes seeds 0 … 2**32 − 1.
MAX_SEED = 2**32 - 1
#: The largest layer size and batch size: the kernels count in int64, and no machine holds a layer wider.
MAX_SIZE = 2**31 - 1
#: Hidden layers and output: deeper networks are not what this app is for, and each layer costs a kernel slot.
MAX_LAYERS = 64


def _choice(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {_shown(value)}.")


def _number(name, value, low, *, strict=True, integer=False, high=None):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not (integer or _finite(value)):
        raise TypeError(f"{name} must be {'an integer' if integer else 'a number'}; got {_shown(value)}.")
    if (strict and value <= low) or (not strict and value < low):
        what = "an integer" if integer else "a float"
        raise ValueError(f"{name} must be {what} {'>' if strict else '>='} {low}; got {value}.")
    if high is not None and value > high:
        raise ValueError(f"{name} must be an integer in {low} … {high}; got {value}.")


def _finite(value):
    """Whether a number is finite as a float (an integer too large for a float is not)."""
    try:
        return math.isfinite(value)
    except (TypeError, ValueError, OverflowError):
        return False


def _shown(value):
    """``value`` for a message: its repr, cut short (a hostile file may hold a string of a million characters)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def hidden_activations(hidden_activation, n_hidden):
    """The list of hidden activations, one per hidden layer, from one name or a list of names."""
    if isinstance(hidden_activation, str):
        names = [hidden_activation] * n_hidden
    else:
        names = list(hidden_activation)
        if len(names) != n_hidden:
            raise ValueError(
                f"hidden_activation needs one name per hidden layer ({n_hidden}); got {len(names)}: {_shown(names)}."
            )
    for name in names:
        _choice("a hidden activation", name, HIDDEN)
    return names


def default_loss(output):
    """Cross-entropy for a sigmoid or softmax output, mean squared error for a linear one."""
    return "mse" if output == "linear" else "cross_entropy"


def check_network(net):
    """Validate a Network's settings (called by fit, never by __init__)."""
    try:
        dims = tuple(net.layer_dims)
    except TypeError:
        raise TypeError(f"layer_dims must be a sequence of layer sizes (n_x, …, n_y); got "
                        f"{_shown(net.layer_dims)}.") from None
    if not 2 <= len(dims) <= MAX_LAYERS + 1:
        raise ValueError(f"layer_dims must hold (n_x, n_y) and at most {MAX_LAYERS - 1} hidden layers between; "
                         f"got {len(dims)} sizes.")
    for l, n in enumerate(dims):
        where = "n_x" if l == 0 else ("n_y" if l == len(dims) - 1 else f"hidden layer {l}")
        shown = dims if len(repr(dims)) <= 80 else "layer_dims"
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"layer sizes must be integers >= 1; got {_shown(n)} for {where} in {shown}.")
        if n > MAX_SIZE:
            raise ValueError(f"layer sizes must be at most {MAX_SIZE:,}; got {n} for {where}.")
    hidden_activations(net.hidden_activation, len(dims) - 2)
    _choice("output", net.output, OUTPUTS)
    loss = net.loss or default_loss(net.output)
    _choice("loss", loss, LOSSES)
    if loss == "cross_entropy" and net.output == "linear":
        raise ValueError("loss cross_entropy needs a sigmoid or softmax output; use loss='mse' for a linear output.")
    if net.output == "softmax" and dims[-1] < 2:
        raise ValueError(f"a softmax output needs n_y >= 2 units (one per class); got n_y = {dims[-1]}.")
    _choice("init", net.init, INITS)
    _choice("optimizer", net.optimizer, OPTIMIZERS)
    _choice("dtype", str(np.dtype(net.dtype)) if net.dtype in (np.float32, np.float64) else net.dtype, DTYPES)
    _number("learning_rate", net.learning_rate, 0.0)
    _number("batch_size", net.batch_size, 0, strict=False, integer=True, high=MAX_SIZE)
    _number("l2", net.l2, 0.0, strict=False)
    _number("l1", getattr(net, "l1", 0.0), 0.0, strict=False)
    _number("tol", net.tol, 0.0, strict=False)
    for name in ("beta1", "beta2"):
        value = getattr(net, name)
        _number(name, value, 0.0, strict=False)
        if value >= 1:
            raise ValueError(f"{name} must be a float in [0, 1); got {value}.")
    _number("epsilon", net.epsilon, 0.0)
    if net.random_state is not None:
        _number("random_state", net.random_state, 0, strict=False, integer=True, high=MAX_SEED)
    if net.shuffle_seed is not None:
        _number("shuffle_seed", net.shuffle_seed, 0, strict=False, integer=True, high=MAX_SEED - 1)
    return loss


def check_shuffle_seeds(net, n_iterations):
    """With mini-batches, epoch e is shuffled with ``RandomState(seed + 1 + e)``: every such seed must be a seed.

    ``net`` is a Network whose settings passed ``check_network``; ``n_iterations`` more epochs are to run.
    """
    if not net.batch_size:
        return
    seed = next((s for s in (net.shuffle_seed, net.random_state) if s is not None), 0)
    last = seed + 1 + int(getattr(net, "n_iter_", 0)) + int(n_iterations) - 1
    if last > MAX_SEED:
        raise ValueError(f"with mini-batches, epoch e is shuffled with the seed shuffle_seed + 1 + e, which must stay "
                         f"at most {MAX_SEED}; got shuffle seed {seed} and {n_iterations:,} epochs. Use a shuffle "
                         f"seed of at most {max(0, MAX_SEED - n_iterations):,}.")


def check_X(X, n_x):
    """X as an array (n_x, m) of numbers, uint8 pixels or floats."""
    X = np.asarray(X)
    if X.ndim != 2:
        hint = " Flatten the images with data.flatten_images(X) first." if X.ndim == 4 else ""
        raise ValueError(f"X must be 2-D (n_x, m); got shape {X.shape}.{hint}")
    if X.shape[0] != n_x:
        raise ValueError(
            f"X must have n_x = {n_x} rows (features), one column per example; got X {X.shape}."
            + (" Did you pass X with examples in rows? Use X.T." if X.shape[1] == n_x else "")
        )
    if X.dtype != np.uint8 and not np.issubdtype(X.dtype, np.number):
        raise TypeError(f"X must hold numbers; got dtype {X.dtype}.")
    if X.dtype != np.uint8 and not np.all(np.isfinite(X)):
        raise ValueError("X holds NaN or infinite values; clean or drop those examples first.")
    return X


def check_Y(Y, X, output, n_y):
    """Y (1, m) labels, or (n_y, m) one-hot for softmax, against X (n_x, m) and the output layer."""
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y.reshape(1, -1)
    if Y.ndim != 2:
        raise ValueError(f"Y must be 2-D (1, m); got shape {Y.shape}.")
    if Y.shape[1] != X.shape[1]:
        raise ValueError(
            f"X and Y must have the same number of examples (columns); got X {X.shape} and Y {Y.shape}."
        )
    if not np.all(np.isfinite(Y)):
        raise ValueError("Y holds NaN or infinite values.")
    if output == "softmax" and Y.shape[0] == 1:
        labels = Y[0]
        if np.any(labels != np.round(labels)) or labels.min() < 0 or labels.max() >= n_y:
            raise ValueError(f"softmax labels must be integers 0..{n_y - 1} (n_y = {n_y}); got {np.unique(labels)[:10]}.")
        onehot = np.zeros((n_y, Y.shape[1]))
        onehot[labels.astype(np.int64), np.arange(Y.shape[1])] = 1.0
        return onehot
    if Y.shape[0] != n_y:
        raise ValueError(f"Y must have n_y = {n_y} rows; got Y {Y.shape}.")
    if output == "sigmoid" and not np.all((Y == 0) | (Y == 1)):
        raise ValueError(f"a sigmoid output needs labels 0 or 1; got values {np.unique(Y)[:10]}.")
    return Y.astype(np.float64)


# -- memory -------------------------------------------------------------------------------------------------------
def available_memory():
    """Bytes this process can still allocate without swapping: the kernel's MemAvailable, within a cgroup's limit
    when one is set (containers); None where neither is known (then no check is made)."""
    found = []
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) * 1024)
                    break
    except (OSError, ValueError, IndexError):
        pass
    for limit_file, usage_file in (("memory.max", "memory.current"),
                                   ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes")):
        try:
            limit = (Path("/sys/fs/cgroup") / limit_file).read_text().strip()
            usage = int((Path("/sys/fs/cgroup") / usage_file).read_text())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < 2**60:  # "max", or v1's huge number: no limit
            found.append(max(0, int(limit) - usage))
    return min(found) if found else None


def format_bytes(n):
    """1536 → "1.5 KB", 3.2e9 → "3.2 GB" (powers of 1000, as disks and most people count)."""
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:,.0f} bytes" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return ""  # not reached


def parameter_count(layer_dims):
    """Σ n[l]·(n[l-1] + 1): the weights and biases of a network of these sizes (Python ints: never overflows)."""
    dims = [int(n) for n in layer_dims]
    return sum(dims[l] * (dims[l - 1] + 1) for l in range(1, len(dims)))


def training_memory(layer_dims, m, dtype="float32", pixels=False, iterations=0):
    """Bytes that training a network of ``layer_dims`` on ``m`` examples for ``iterations`` iterations allocates,
    as (parameters, activations, data): θ with its gradient, the optimisers' two averages, a saved copy and a
    snapshot (6 vectors) and the first draw of the widest weight matrix in float64; Z[l] and A[l] for every example
    (the cost is measured over all of them) with two work buffers as wide as the widest layer; X in the network's
    dtype (uint8 pixels are read as they are), Y, and each iteration's cost and gradient norm (in buffers that
    double as they fill)."""
    dims = [int(n) for n in layer_dims]
    size = np.dtype(dtype).itemsize
    widest_matrix = max(dims[l] * dims[l - 1] for l in range(1, len(dims)))
    parameters = 6 * parameter_count(dims) * size + 2 * 8 * widest_matrix
    activations = (2 * sum(dims[1:]) + 2 * max(dims)) * int(m) * size
    data = (0 if pixels else dims[0] * int(m) * size) + dims[-1] * int(m) * size + 2 * 2 * 8 * int(iterations)
    return parameters, activations, data


def check_training_memory(layer_dims, m, dtype="float32", pixels=False, iterations=0, available=None):
    """ValueError, saying how much would be needed, when training would not fit in the memory available.

    ``available`` (bytes) defaults to ``available_memory()``; with neither known, nothing is checked.
    """
    available = available_memory() if available is None else available
    if available is None:
        return
    parameters, activations, data = training_memory(layer_dims, m, dtype, pixels, iterations)
    total = parameters + activations + data
    if total <= available:
        return
    shown = " → ".join(str(int(n)) for n in layer_dims) if len(layer_dims) <= 12 else f"{len(layer_dims) - 1} layers"
    raise ValueError(f"training the {shown} network on {int(m):,} examples would need about {format_bytes(total)} "
                     f"({format_bytes(parameters)} for its {parameter_count(layer_dims):,} parameters, their gradients "
                     f"and optimiser state, {format_bytes(activations + data)} for the examples, their "
                     f"activations and the costs), more than the {format_bytes(available)} available; use fewer or "
                     "smaller layers, fewer examples or fewer iterations.")
