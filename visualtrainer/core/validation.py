"""Checks of a network's settings and of its data, each failing with what was expected, what was given, what to do."""

import numbers

import numpy as np

from .activations import HIDDEN, OUTPUTS

INITS = ("zeros", "small", "xavier", "he", "large")
OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")
LOSSES = ("cross_entropy", "mse")
DTYPES = ("float32", "float64")


def _choice(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}.")


def _number(name, value, low, *, strict=True, integer=False):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not np.isfinite(value):
        raise TypeError(f"{name} must be {'an integer' if integer else 'a number'}; got {value!r}.")
    if (strict and value <= low) or (not strict and value < low):
        what = "an integer" if integer else "a float"
        raise ValueError(f"{name} must be {what} {'>' if strict else '>='} {low}; got {value}.")


def hidden_activations(hidden_activation, n_hidden):
    """The list of hidden activations, one per hidden layer, from one name or a list of names."""
    if isinstance(hidden_activation, str):
        names = [hidden_activation] * n_hidden
    else:
        names = list(hidden_activation)
        if len(names) != n_hidden:
            raise ValueError(
                f"hidden_activation needs one name per hidden layer ({n_hidden}); got {len(names)}: {names}."
            )
    for name in names:
        _choice("a hidden activation", name, HIDDEN)
    return names


def default_loss(output):
    """Cross-entropy for a sigmoid or softmax output, mean squared error for a linear one."""
    return "mse" if output == "linear" else "cross_entropy"


def check_network(net):
    """Validate a Network's settings (called by fit, never by __init__)."""
    dims = tuple(net.layer_dims)
    if len(dims) < 2:
        raise ValueError(f"layer_dims must hold at least (n_x, n_y); got {dims}.")
    for l, n in enumerate(dims):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            where = "n_x" if l == 0 else ("n_y" if l == len(dims) - 1 else f"hidden layer {l}")
            raise ValueError(f"layer sizes must be integers >= 1; got {n!r} for {where} in {dims}.")
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
    _number("batch_size", net.batch_size, 0, strict=False, integer=True)
    _number("l2", net.l2, 0.0, strict=False)
    _number("tol", net.tol, 0.0, strict=False)
    for name in ("beta1", "beta2"):
        value = getattr(net, name)
        _number(name, value, 0.0, strict=False)
        if value >= 1:
            raise ValueError(f"{name} must be a float in [0, 1); got {value}.")
    _number("epsilon", net.epsilon, 0.0)
    if net.shuffle_seed is not None:
        _number("shuffle_seed", net.shuffle_seed, 0, strict=False, integer=True)
    return loss


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
