"""A trained network as an ONNX model: the graph computes what ``Network.predict_proba`` computes.

ONNX tools put examples in rows, so the model does too: its input "X" is (m, n_x), the transpose of the course's
X (n_x, m), and its output "probabilities" is (m, n_y), the transpose of A[L]. Each layer is one Gemm with
``transB=1`` (Z[l]ᵀ = A[l-1]ᵀ·W[l]ᵀ + b[l]ᵀ, W[l] stored as (n[l], n[l-1]) exactly as in ``params_``) followed by
its activation; the batch size m is left free.
"""

import json

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .. import __version__
from .activations import LEAKY_SLOPE, REGISTRY
from .files import atomic_write
from .validation import check_network

#: Opset 17 with IR version 8, the pair onnx 1.12 introduced; any onnxruntime since 1.12 runs it.
OPSET = 17
IR_VERSION = 8
INPUT, OUTPUT = "X", "probabilities"
PIXEL_SCALE = 1.0 / 255.0

_ELEMENT_TYPES = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.float64): TensorProto.DOUBLE}


def _class_names(net, class_names):
    """The class names as a list of str (label k is ``names[k]``), checked against the output layer."""
    if class_names is None or len(class_names) == 0:
        return []
    names = [str(name) for name in class_names]
    n_y = int(net.layer_dims[-1])
    if net.output == "linear":
        raise ValueError(f"class_names are for a sigmoid or softmax output; this network's output is linear "
                         f"(regression); got {names}. Leave class_names out.")
    expected = 2 if net.output == "sigmoid" and n_y == 1 else n_y
    if len(names) != expected:
        raise ValueError(f"class_names must hold {expected} names for a {net.output} output with n_y = {n_y} "
                         f"(label k is class_names[k]); got {len(names)}: {names}.")
    return names


def _activation_nodes(name, Z, A, l):
    """The nodes computing A = g(Z) on rows (m, n[l]), for the activation ``name`` of layer ``l``."""
    return REGISTRY[name].onnx(helper, Z, A, l)


def _input_nodes(element_type, dtype, pixels):
    """(nodes, initializers, the name of A[0]ᵀ): nothing for a float input; Cast and ·1/255 for uint8 pixels."""
    if not pixels:
        return [], [], INPUT
    scale = numpy_helper.from_array(np.asarray(PIXEL_SCALE, dtype=dtype), "pixel_scale")
    nodes = [helper.make_node("Cast", [INPUT], ["X_float"], name="cast_pixels", to=element_type),
             helper.make_node("Mul", ["X_float", "pixel_scale"], ["A0"], name="scale_pixels")]
    return nodes, [scale], "A0"


def _doc_string(net, dtype, pixels):
    dims = [int(n) for n in net.layer_dims]
    layers = [f"dense {n}, {name}" for n, name in zip(dims[1:], net.activations)]
    given = "uint8 pixels (scaled by 1/255 inside)" if pixels else f"{dtype.name} features"
    return (f"visualtrainer network {' -> '.join(map(str, dims))}: X (m, {dims[0]}) of {given} -> "
            f"{' -> '.join(layers)} -> probabilities (m, {dims[-1]}). Rows are examples (the course's X.T).")


def onnx_model(net, class_names=None, *, pixels=False):
    """The ONNX model (``onnx.ModelProto``) of a trained network, checked by ``onnx.checker``.

    Parameters
    ----------
    net : Network
        A trained network (``fit`` or ``set_weights``): W[l] (n[l], n[l-1]), b[l] (n[l], 1) in ``params_``.
    class_names : sequence of str or None
        Label k's name is ``class_names[k]``: 2 names for a sigmoid output with n_y = 1, n_y names otherwise.
        Stored as JSON in the metadata under "class_names"; a linear output takes none.
    pixels : bool
        False: input "X" (m, n_x) of the network's dtype (float32 or float64); uint8 pixels must be divided by
        255 first, as ``Network`` does with a uint8 X. True: input "X" (m, n_x) uint8, cast to the network's
        dtype and multiplied by 1/255 inside the graph.

    Returns
    -------
    onnx.ModelProto
        Input "X" (m, n_x), output "probabilities" (m, n_y) of the network's dtype: A[L]ᵀ, i.e.
        ``net.predict_proba(X).T`` (σ for sigmoid, softmax over the classes, ŷ itself for a linear output).
    """
    if not net.is_fitted:
        raise ValueError("Network is not trained yet; call fit() or load weights before exporting it to ONNX.")
    check_network(net)
    dtype = np.dtype(net.dtype)
    element_type = _ELEMENT_TYPES[dtype]
    names = _class_names(net, class_names)
    dims = [int(n) for n in net.layer_dims]

    nodes, initializers, A_prev = _input_nodes(element_type, dtype, pixels)
    if "leaky_relu" in net.activations:
        initializers.append(numpy_helper.from_array(np.asarray(LEAKY_SLOPE, dtype=dtype), "leaky_slope"))
    for l, activation in enumerate(net.activations, start=1):
        W = np.asarray(net.params_[f"W{l}"], dtype=dtype)
        b = np.asarray(net.params_[f"b{l}"], dtype=dtype).reshape(-1)
        if W.shape != (dims[l], dims[l - 1]):
            raise ValueError(f"W{l} must have shape {(dims[l], dims[l - 1])} for layer_dims {tuple(dims)}; got "
                             f"{W.shape}. Call fit() or set_weights() again after changing layer_dims.")
        initializers += [numpy_helper.from_array(W, f"W{l}"), numpy_helper.from_array(b, f"b{l}")]
        Z, A = f"Z{l}", (OUTPUT if l == len(dims) - 1 else f"A{l}")
        nodes.append(helper.make_node("Gemm", [A_prev, f"W{l}", f"b{l}"], [Z], name=f"dense{l}", transB=1))
        nodes += _activation_nodes(activation, Z, A, l)
        A_prev = A

    graph = helper.make_graph(
        nodes, "visualtrainer_network",
        [helper.make_tensor_value_info(INPUT, TensorProto.UINT8 if pixels else element_type, ["m", dims[0]])],
        [helper.make_tensor_value_info(OUTPUT, element_type, ["m", dims[-1]])],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                              producer_name="visualtrainer", producer_version=__version__,
                              doc_string=_doc_string(net, dtype, pixels))
    metadata = {"layer_dims": json.dumps(dims), "activations": json.dumps(net.activations), "output": net.output,
                "dtype": dtype.name, "input": "uint8 pixels" if pixels else dtype.name, "n_iter": str(int(net.n_iter_))}
    if names:
        metadata["class_names"] = json.dumps(names)
    helper.set_model_props(model, metadata)
    onnx.checker.check_model(model, full_check=True)
    return model


def export_onnx(net, path, class_names=None, *, pixels=False):
    """Write the network's ONNX model (see ``onnx_model``) to ``path`` (.onnx) atomically (a failed write leaves
    the previous file whole); returns the ModelProto written."""
    model = onnx_model(net, class_names, pixels=pixels)
    blob = model.SerializeToString()
    atomic_write(path, lambda handle: handle.write(blob))
    return model
