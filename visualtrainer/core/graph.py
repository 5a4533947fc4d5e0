"""The arithmetic of one step laid open: forward values and backward derivatives, in plain float64 numpy.

For logistic regression and one example: z = wᵀx + b → a = σ(z) → L(a, y) = −(y log a + (1 − y) log(1 − a)), and
back: dz = a − y, dw = x·dz, db = dz. For any network and the whole training set: Z[l], A[l] forward, then dZ[l],
dW[l], db[l] backward (with the L2 term in dW[l] and J), as the training step computes them.
"""

import numpy as np

from .activations import REGISTRY


def example_graph(net, x, y, params=None):
    """Logistic regression (layer_dims (n_x, 1), sigmoid output) on one example x (n_x,), label y: every node's
    forward value and backward derivative of L, as a dict of float64 scalars and vectors. ``params`` (like
    ``net.params_``, e.g. a snapshot's) replaces the network's own."""
    if len(net.layer_dims) != 2 or net.output != "sigmoid":
        raise ValueError("the one-example graph is for logistic regression: layer_dims (n_x, 1), sigmoid output.")
    x = np.asarray(x)
    x = (x / 255.0 if x.dtype == np.uint8 else x.astype(np.float64)).ravel()
    params = net.params_ if params is None else params
    w = np.asarray(params["W1"], dtype=np.float64).ravel()
    b = float(params["b1"][0, 0])
    z = float(w @ x + b)
    a = 1.0 / (1.0 + np.exp(-z))
    loss = float(np.logaddexp(0.0, z) - y * z)  # −(y log a + (1 − y) log(1 − a)), computed from z
    dz = a - y
    return {"x": x, "w": w, "b": b, "y": float(y), "z": z, "a": float(a), "loss": loss,
            "da": float(-y / a + (1 - y) / (1 - a)), "dz": float(dz), "dw": x * dz, "db": float(dz)}


def layer_graph(net, X, Y, params=None):
    """[(l, {"Z", "A", "dZ", "dW", "db", "g"}) for l = 1..L] and J over X (n_x, m), Y, for the current weights
    (or ``params``)."""
    X = np.asarray(X)
    A = X / 255.0 if X.dtype == np.uint8 else np.asarray(X, dtype=np.float64)  # no copy of float64 data
    Y = np.asarray(Y, dtype=np.float64)
    if net.output == "softmax" and Y.shape[0] == 1:
        Y = np.eye(int(net.layer_dims[-1]))[Y[0].astype(np.int64)].T
    m, L = A.shape[1], net.L
    names = net.activations
    params = {key: np.asarray(value, dtype=np.float64)
              for key, value in (net.params_ if params is None else params).items()}
    layers, prev = [], A
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ prev + params[f"b{l}"]
        A_l = REGISTRY[names[l - 1]].g(Z)
        layers.append({"A_prev": prev, "Z": Z, "A": A_l, "g": names[l - 1]})
        prev = A_l
    AL, ZL = layers[-1]["A"], layers[-1]["Z"]
    loss = net.loss or ("mse" if net.output == "linear" else "cross_entropy")
    if loss == "cross_entropy":
        if net.output == "softmax":
            top = ZL.max(axis=0, keepdims=True)
            J = float(np.sum(Y * (top + np.log(np.exp(ZL - top).sum(axis=0, keepdims=True)) - ZL)) / m)
        else:
            J = float(np.sum(np.logaddexp(0.0, ZL) - Y * ZL) / m)
        dZ = (AL - Y) / m
    else:
        J = float(0.5 * np.sum((AL - Y) ** 2) / m)
        dZ = _times_derivative(net.output, ZL, AL, (AL - Y) / m)
    J += 0.5 * net.l2 / m * sum(float(np.sum(params[f"W{l}"] ** 2)) for l in range(1, L + 1))
    for l in range(L, 0, -1):
        layer = layers[l - 1]
        layer["dZ"] = dZ
        layer["dW"] = dZ @ layer["A_prev"].T + net.l2 / m * params[f"W{l}"]
        layer["db"] = dZ.sum(axis=1, keepdims=True)
        if l > 1:
            below = layers[l - 2]
            dZ = _times_derivative(below["g"], below["Z"], below["A"], params[f"W{l}"].T @ dZ)
    return [(l, layer) for l, layer in enumerate(layers, start=1)], J


def _times_derivative(name, Z, A, dA):
    return REGISTRY[name].backward(Z, A, dA)
