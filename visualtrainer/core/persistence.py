"""Saving and loading a trained model: its settings, weights and costs in one container file (core/container.py).

Model format 2 keeps its JSON header as UTF-8 bytes, as every container does; format 1 files (the header a numpy
text scalar) are still read. A model is checked whole before anything is allocated for it: its settings, then each
weight's declared shape against the layer sizes its settings give, then the memory its parameters would take.
"""

import numbers

import numpy as np

from .container import Container, write_container
from .network import Network
from .validation import _shown, check_network, parameter_count

FORMAT = "visualtrainer-model"
VERSION = 2
HINT = "; save one with visualtrainer train --save or File > Save model"
#: Class names a model may carry (one softmax unit each).
MAX_CLASSES = 1000
_SETTINGS = frozenset(Network().get_params())
_STOP_REASONS = (None, "max_iterations", "tolerance", "diverged", "cancelled")


def save_model(net, path, extra=None):
    """Write the network's settings, W[l], b[l] and costs to ``path`` (.npz), atomically; ``extra`` is JSON-able
    metadata (classes, image_shape, dataset, the window's settings). Returns the path as a Path."""
    if not net.is_fitted:
        raise ValueError("Network is not trained yet; call fit() or load weights before saving it.")
    header = {"spec": net.get_params(), "n_iter": int(net.n_iter_), "extra": extra or {}}
    arrays = {"costs": np.asarray(net.costs_, dtype=np.float64)}
    arrays |= {key: np.asarray(value) for key, value in net.params_.items()}
    return write_container(path, FORMAT, VERSION, header, arrays)


def load_model(path, budget=None):
    """Read a model written by ``save_model``; returns (Network with its weights, extra metadata).

    Raises ValueError, one sentence naming the file, for anything that is not such a model or does not fit
    together; ``budget`` bounds the bytes its arrays may take (None: half the memory available).
    """
    with Container(path, FORMAT, VERSION, "model", HINT, budget) as file:
        try:
            net = network_from_spec(file.header.get("spec"))
        except ValueError as error:
            raise file.error(f"the model's settings are damaged ({str(error).rstrip('.')}).") from None
        n_iter = _count(file.header.get("n_iter", 0), "n_iter", file)
        extra = _extra(file.header.get("extra"), net, file)
        weights = _read_weights(file, net)
        costs = file.read("costs", kinds="fiu", ndim=1) if "costs" in file else np.zeros(0)
    net.set_weights(weights)
    net.costs_ = costs.astype(np.float64)
    net.n_iter_ = n_iter
    return net, extra


def network_from_spec(spec):
    """The Network of saved settings (``get_params()``), checked; ValueError saying what is wrong."""
    if not isinstance(spec, dict) or "layer_dims" not in spec:
        raise ValueError("they give no layer sizes")
    unknown = sorted(str(key)[:30] for key in set(spec) - _SETTINGS)
    if unknown:
        raise ValueError(f"unknown settings {', '.join(unknown[:3])}")
    if isinstance(spec["layer_dims"], list):
        spec = spec | {"layer_dims": tuple(spec["layer_dims"])}
    net = Network(**spec)
    try:
        check_network(net)
    except TypeError as error:
        raise ValueError(str(error)) from None
    return net


def layer_shapes(layer_dims):
    """{"W1": (n[1], n[0]), "b1": (n[1], 1), …}: the shape of every weight and bias."""
    dims = [int(n) for n in layer_dims]
    shapes = {}
    for l in range(1, len(dims)):
        shapes[f"W{l}"], shapes[f"b{l}"] = (dims[l], dims[l - 1]), (dims[l], 1)
    return shapes


def _read_weights(file, net, prefix=""):
    """W[l], b[l] of ``net``'s shapes from the container, each shape checked (and the memory the network will take
    counted) before any is read."""
    shapes = layer_shapes(net.layer_dims)
    for key, shape in shapes.items():
        found = file.shape(prefix + key)
        if found != shape:
            raise file.error(f"{prefix}{key} is {found} but the settings' layer sizes "
                             f"{_dims(net.layer_dims)} make it {shape}; the file is damaged.")
    size = np.dtype(net.dtype).itemsize
    file.reserve(parameter_count(net.layer_dims) * (3 * size + 8), f"the {_dims(net.layer_dims)} network")
    return {key: file.read(prefix + key, kinds="fiu", shape=shape) for key, shape in shapes.items()}


def _dims(layer_dims):
    dims = tuple(int(n) for n in layer_dims)
    return dims if len(dims) <= 8 else f"({dims[0]}, … {len(dims) - 2} hidden layers …, {dims[-1]})"


def _count(value, name, file):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise file.error(f"its {name} is {_shown(value)}, not a count; the file is damaged.")
    return value


def _extra(extra, net, file):
    """The model's metadata, its class names and image size checked against the network."""
    if extra is None:
        return {}
    if not isinstance(extra, dict):
        raise file.error("its metadata (extra) is not a mapping; the file is damaged.")
    classes = extra.get("classes")
    if classes is not None:
        if not isinstance(classes, list) or len(classes) > MAX_CLASSES or \
                not all(isinstance(name, str) and len(name) <= 1000 for name in classes):
            raise file.error(f"its class names are not a list of at most {MAX_CLASSES} names; the file is damaged.")
        n_y = int(net.layer_dims[-1])
        expected = {"sigmoid": 2, "softmax": n_y, "linear": 0}[net.output]
        if classes and len(classes) != expected:
            raise file.error(f"it names {len(classes)} classes but its {net.output} output has {expected}; "
                             "the file is damaged.")
    shape = extra.get("image_shape")
    if shape is not None:
        sizes = isinstance(shape, list) and len(shape) == 3 and all(
            isinstance(s, numbers.Integral) and not isinstance(s, bool) and 1 <= s <= 2**31 for s in shape)
        if not sizes or shape[0] * shape[1] * shape[2] != int(net.layer_dims[0]):
            raise file.error(f"its image size {_shown(shape)} does not give its {net.layer_dims[0]} inputs; "
                             "the file is damaged.")
    return extra


def network_state(net):
    """(header, arrays) that ``restore_network`` turns back into ``net`` exactly: its settings, weights, costs and
    the optimiser's state (momentum, RMSProp and Adam averages, the step count), so that training goes on as if it
    had never stopped. Array names: W1, b1, …, costs, grad_norms, velocity, squares."""
    if not net.is_fitted:
        raise ValueError("Network has no parameters yet; initialize() or fit() it before saving its state.")
    header = {"spec": net.get_params(), "n_iter": int(net.n_iter_), "step": int(net.optimizer_state_.updates),
              "stop_reason": net.stop_reason_, "stop_message": net.stop_message_}
    arrays = {key: np.asarray(value) for key, value in net.params_.items()}
    arrays |= {"costs": np.asarray(net.costs_), "grad_norms": np.asarray(net.grad_norms_),
               "velocity": net.optimizer_state_.velocity, "squares": net.optimizer_state_.squares}
    return header, arrays


def read_network_state(file, header, prefix):
    """The arrays of a ``network_state`` saved in container ``file`` under ``prefix``, each shape checked against
    ``header`` before it is read; then ``restore_network(header, arrays)`` gives the network."""
    try:
        net = network_from_spec(header.get("spec") if isinstance(header, dict) else None)
    except ValueError as error:
        raise file.error(f"the network's settings are damaged ({str(error).rstrip('.')}).") from None
    n_iter = _count(header.get("n_iter"), "network's n_iter", file)
    arrays = _read_weights(file, net, prefix)
    size = parameter_count(net.layer_dims)
    for name, shape in (("costs", (n_iter,)), ("grad_norms", (n_iter,)), ("velocity", (size,)),
                        ("squares", (size,))):
        arrays[name] = file.read(prefix + name, kinds="fiu", shape=shape)
    return arrays


def restore_network(header, arrays):
    """The Network saved by ``network_state``; ValueError when the parts do not fit together."""
    try:
        net = network_from_spec(header["spec"])
        net.set_weights(arrays)
        n_iter, step = header["n_iter"], header.get("step", 0)
        costs, norms = np.asarray(arrays["costs"], np.float64), np.asarray(arrays["grad_norms"], np.float64)
        velocity, squares = np.asarray(arrays["velocity"]), np.asarray(arrays["squares"])
    except (KeyError, TypeError) as error:
        raise ValueError(f"the network's state is incomplete ({error!r}).") from None
    for name, value in (("n_iter", n_iter), ("step", step)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < 2**53:
            raise ValueError(f"the network's {name} must be a count; got {_shown(value)}.")
    reason, message = header.get("stop_reason"), header.get("stop_message") or ""
    if reason not in _STOP_REASONS or not isinstance(message, str):
        raise ValueError(f"the network's stop reason {_shown(reason)} is not one of {_STOP_REASONS[1:]}.")
    if costs.shape != (n_iter,) or norms.shape != (n_iter,):
        raise ValueError(f"the network's costs do not fit its {n_iter} iterations ({costs.shape}, {norms.shape}).")
    if velocity.shape != net.theta_.shape or squares.shape != net.theta_.shape:
        raise ValueError(f"the optimiser's state does not fit the network's {net.theta_.size} parameters.")
    net.costs_, net.grad_norms_, net.n_iter_ = costs, norms, int(n_iter)
    state = net.optimizer_state_
    state.velocity[:], state.squares[:], state.updates = velocity, squares, int(step)
    net.stop_reason_, net.stop_message_ = reason, message[:1000]
    return net
