"""The course's plain numpy implementation of an L-layer network, written independently of visualtrainer.core.

Used as the oracle in tests and as the baseline in benchmarks/. Columns are examples: X (n_x, m), Y (1, m).
"""

import numpy as np


def initialize(layer_dims, seed, init="xavier", dtype=np.float64):
    """W[l] drawn with np.random.RandomState(seed).randn(n[l], n[l-1]) in order, as the course's notebooks do."""
    rng = np.random.RandomState(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        if init == "zeros":
            W = np.zeros((n, n_prev))
        elif init == "small":
            W = rng.randn(n, n_prev) * 0.01
        elif init == "xavier":
            W = rng.randn(n, n_prev) / np.sqrt(n_prev)
        else:
            W = rng.randn(n, n_prev) * np.sqrt(2.0 / n_prev)
        params[f"W{l}"] = W.astype(dtype)
        params[f"b{l}"] = np.zeros((n, 1), dtype=dtype)
    return params


def _g(name, Z):
    if name == "sigmoid":
        return 1 / (1 + np.exp(-Z))
    if name == "tanh":
        return np.tanh(Z)
    if name == "relu":
        return np.maximum(0, Z)
    return np.where(Z > 0, Z, 0.01 * Z)


def _g_prime(name, Z, A):
    if name == "sigmoid":
        return A * (1 - A)
    if name == "tanh":
        return 1 - A**2
    if name == "relu":
        return (Z > 0).astype(Z.dtype)
    return np.where(Z > 0, 1.0, 0.01).astype(Z.dtype)


def forward(params, X, activations):
    """Caches [(A_prev, Z, A)] per layer; the last activation is the output's (sigmoid)."""
    A = X
    caches = []
    for l, name in enumerate(activations, start=1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A_new = _g(name, Z)
        caches.append((A, Z, A_new))
        A = A_new
    return A, caches


def cost(AL, Y):
    """Binary cross-entropy, as the course writes it."""
    m = Y.shape[1]
    return float(np.squeeze(-(Y @ np.log(AL).T + (1 - Y) @ np.log(1 - AL).T) / m))


def backward(params, caches, Y, activations):
    m = Y.shape[1]
    grads = {}
    dZ = caches[-1][2] - Y  # sigmoid output with cross-entropy
    for l in range(len(caches), 0, -1):
        A_prev, Z, A = caches[l - 1]
        if l < len(caches):
            dZ = dA * _g_prime(activations[l - 1], Z, A)
        grads[f"dW{l}"] = dZ @ A_prev.T / m
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = params[f"W{l}"].T @ dZ
    return grads


def train(X, Y, layer_dims, activations, learning_rate, n_iterations, seed=1, init="xavier", dtype=np.float64):
    """Full-batch gradient descent; returns (params, costs at every iteration before its update)."""
    params = initialize(layer_dims, seed, init, dtype)
    costs = []
    for _ in range(n_iterations):
        AL, caches = forward(params, X, activations)
        costs.append(cost(AL, Y))
        grads = backward(params, caches, Y, activations)
        for l in range(1, len(layer_dims)):
            params[f"W{l}"] -= learning_rate * grads[f"dW{l}"]
            params[f"b{l}"] -= learning_rate * grads[f"db{l}"]
    return params, costs
