"""The activation functions, one record each: everything the app says or computes about g(z) comes from here.

A record (``Activation``) holds g and its derivative in numpy (for plots, the Graph tab and the numpy reference
engine), the line of the course the window shows beside its plot, how the exported script writes it, and how the
ONNX export builds it. The compiled kernels compute the same functions by the record's integer ``code``
(``kernels/layers.py``): adding an activation is a record here and its two loops there.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, SOFTMAX = range(6)
LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    """One activation g.

    g(Z) and derivative(Z) = g'(Z) act elementwise on numpy arrays (softmax: over each column of Z (n, m));
    backward(Z, A, dA) is dZ = dA·g'(Z) from the forward pass's A = g(Z) (softmax: its Jacobian times dA).
    ``script_g`` and ``script_backward`` are the same as numpy expressions of Z, A, dA for the exported script;
    ``onnx(helper, Z, A, l)`` returns the ONNX nodes computing A from Z (rows (m, n[l])), ``onnx.helper`` given.
    """

    name: str
    code: int
    hidden: bool
    output: bool
    g: Callable
    derivative: Callable
    backward: Callable
    note: str
    script_g: str
    script_backward: str
    onnx: Callable


def _softmax(Z):
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def _onnx_op(op):
    return lambda helper, Z, A, l: [helper.make_node(op, [Z], [A], name=f"{op.lower()}{l}")]


def _onnx_leaky(helper, Z, A, l):
    # max(0.01·z, z): LeakyRelu's alpha is a float32 attribute, off in a float64 model; "leaky_slope" is an
    # initializer of the model's dtype
    return [helper.make_node("Mul", [Z, "leaky_slope"], [f"{Z}_leak"], name=f"leaky_relu{l}_slope"),
            helper.make_node("Max", [Z, f"{Z}_leak"], [A], name=f"leaky_relu{l}")]


def _sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-Z))


REGISTRY = {a.name: a for a in (
    Activation(
        "sigmoid", SIGMOID, True, True, _sigmoid,
        derivative=lambda Z: _sigmoid(Z) * (1.0 - _sigmoid(Z)),
        backward=lambda Z, A, dA: dA * A * (1 - A),
        note="σ(z) squashes to (0, 1): the output for a binary label; as a hidden unit it learns slowly.",
        script_g="1 / (1 + np.exp(-Z))", script_backward="dA * A * (1 - A)", onnx=_onnx_op("Sigmoid")),
    Activation(
        "tanh", TANH, True, False, np.tanh,
        derivative=lambda Z: 1.0 - np.tanh(Z) ** 2,
        backward=lambda Z, A, dA: dA * (1 - A * A),
        note="tanh(z) is centred on 0, so the next layer's inputs are centred: usually better than σ in hidden "
             "layers.",
        script_g="np.tanh(Z)", script_backward="dA * (1 - A * A)", onnx=_onnx_op("Tanh")),
    Activation(
        "relu", RELU, True, False, lambda Z: np.maximum(Z, 0.0),
        derivative=lambda Z: (Z > 0).astype(np.result_type(Z, np.float32)),  # the course's choice at z = 0: 0
        backward=lambda Z, A, dA: np.where(Z > 0, dA, 0),
        note="ReLU max(0, z) trains fast (slope 1), but a unit whose z stays below 0 stops learning: it can die.",
        script_g="np.maximum(Z, 0)", script_backward="np.where(Z > 0, dA, 0.0)", onnx=_onnx_op("Relu")),
    Activation(
        "leaky_relu", LEAKY_RELU, True, False, lambda Z: np.where(Z > 0, Z, LEAKY_SLOPE * Z),
        derivative=lambda Z: np.where(Z > 0, 1.0, LEAKY_SLOPE),
        backward=lambda Z, A, dA: np.where(Z > 0, dA, LEAKY_SLOPE * dA),
        note="Leaky ReLU keeps a small slope (0.01) for z < 0, so no unit dies.",
        script_g=f"np.where(Z > 0, Z, {LEAKY_SLOPE} * Z)", script_backward=f"np.where(Z > 0, dA, {LEAKY_SLOPE} * dA)",
        onnx=_onnx_leaky),
    Activation(
        "linear", LINEAR, True, True, lambda Z: np.asarray(Z, dtype=float).copy(),
        derivative=lambda Z: np.ones_like(np.asarray(Z, dtype=float)),
        backward=lambda Z, A, dA: dA,
        note="The identity: the output for regression, a real number; in a hidden layer, layers of it add up to "
             "one linear map (no more than logistic regression can draw).",
        script_g="Z", script_backward="dA", onnx=_onnx_op("Identity")),
    Activation(
        "softmax", SOFTMAX, False, True, _softmax,
        derivative=lambda Z: _softmax(Z) * (1.0 - _softmax(Z)),  # the Jacobian's diagonal (for plots)
        backward=lambda Z, A, dA: A * (dA - (dA * A).sum(axis=0, keepdims=True)),
        note="Softmax turns n_y scores into probabilities that sum to 1: the output for more than two classes.",
        script_g="np.exp(Z - Z.max(axis=0, keepdims=True)) / np.exp(Z - Z.max(axis=0, keepdims=True)).sum(axis=0, "
                 "keepdims=True)",
        script_backward="A * (dA - np.sum(dA * A, axis=0, keepdims=True))",
        onnx=lambda helper, Z, A, l: [helper.make_node("Softmax", [Z], [A], name=f"softmax{l}", axis=1)]),
)}

CODES = {a.name: a.code for a in REGISTRY.values()}
BY_CODE = {a.code: a for a in REGISTRY.values()}
HIDDEN = tuple(a.name for a in REGISTRY.values() if a.hidden)
OUTPUTS = ("sigmoid", "softmax", "linear")
#: The output layer for a dataset's task: two classes, more classes, or a real number.
OUTPUT_FOR_TASK = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}
#: Name → (g, g'), the numpy functions (for plots and checks).
FUNCTIONS = {a.name: (a.g, a.derivative) for a in REGISTRY.values()}
NOTES = {a.name: a.note for a in REGISTRY.values()}

softmax = _softmax
sigmoid = _sigmoid
