"""Activation functions g(z) by name, each with its derivative g'(z) beside it (numpy, for plots and checks).

The compiled kernels use the integer codes below; ``CODES`` maps a name to its code.
"""

import numpy as np

LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, SOFTMAX = range(6)
LEAKY_SLOPE = 0.01

CODES = {
    "linear": LINEAR,
    "sigmoid": SIGMOID,
    "tanh": TANH,
    "relu": RELU,
    "leaky_relu": LEAKY_RELU,
    "softmax": SOFTMAX,
}
HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu")
OUTPUTS = ("sigmoid", "softmax", "linear")
#: The output layer for a dataset's task: two classes, more classes, or a real number.
OUTPUT_FOR_TASK = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_derivative(z):
    """σ'(z) = σ(z)(1 − σ(z))."""
    a = sigmoid(z)
    return a * (1.0 - a)


def tanh(z):
    """tanh(z), elementwise."""
    return np.tanh(z)


def tanh_derivative(z):
    """tanh'(z) = 1 − tanh²(z)."""
    return 1.0 - np.tanh(z) ** 2


def relu(z):
    """max(0, z), elementwise."""
    return np.maximum(z, 0.0)


def relu_derivative(z):
    """1 where z > 0, else 0 (the course's choice at z = 0)."""
    return (z > 0).astype(np.result_type(z, np.float32))


def leaky_relu(z):
    """max(0.01·z, z), elementwise."""
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_derivative(z):
    """1 where z > 0, else 0.01."""
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def linear(z):
    """The identity, for a regression output."""
    return np.asarray(z, dtype=float)


def linear_derivative(z):
    """1 everywhere."""
    return np.ones_like(np.asarray(z, dtype=float))


def softmax(z):
    """Softmax over each column of z (n_y, m): e^(z_k) / Σ_j e^(z_j), computed stably."""
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


FUNCTIONS = {
    "linear": (linear, linear_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
}

NOTES = {
    "sigmoid": "σ(z) squashes to (0, 1): the output for a binary label; as a hidden unit it learns slowly.",
    "tanh": "tanh(z) is centred on 0, so the next layer's inputs are centred: usually better than σ in hidden layers.",
    "relu": "ReLU max(0, z) trains fast (slope 1), but a unit whose z stays below 0 stops learning: it can die.",
    "leaky_relu": "Leaky ReLU keeps a small slope (0.01) for z < 0, so no unit dies.",
    "softmax": "Softmax turns n_y scores into probabilities that sum to 1: the output for more than two classes.",
    "linear": "The identity: the output for regression, a real number.",
}
