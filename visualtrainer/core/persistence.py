"""Saving and loading a trained model: its settings and its weights in one .npz file."""

import json
import zipfile

import numpy as np

from .network import Network

FORMAT = "visualtrainer-model"
VERSION = 1


def save_model(net, path, extra=None):
    """Write the network's settings, W[l], b[l] and costs to ``path`` (.npz); ``extra`` is JSON-able metadata."""
    if not net.is_fitted:
        raise ValueError("Network is not trained yet; call fit() or load weights before saving it.")
    header = {"format": FORMAT, "version": VERSION, "spec": net.get_params(), "n_iter": int(net.n_iter_),
              "extra": extra or {}}
    arrays = {key: np.asarray(value) for key, value in net.params_.items()}
    with open(path, "wb") as handle:
        np.savez(handle, header=np.array(json.dumps(header)), costs=np.asarray(net.costs_), **arrays)


def load_model(path):
    """Read a model written by ``save_model``; returns (Network with its weights, extra metadata)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            arrays = {key: data[key] for key in data.files if key not in ("header", "costs")}
            costs = data["costs"] if "costs" in data.files else np.zeros(0)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file.") from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError, EOFError) as error:
        raise ValueError(f"{path}: not a visualtrainer model file ({error}).") from None
    if header.get("format") != FORMAT:
        raise ValueError(f"{path}: not a visualtrainer model file (format {header.get('format')!r}).")
    if header.get("version", 0) > VERSION:
        raise ValueError(f"{path}: written by a newer visualtrainer (model format {header['version']}); upgrade.")
    net = Network(**header["spec"])
    try:
        net.set_weights(arrays)
    except (KeyError, ValueError) as error:
        raise ValueError(f"{path}: the weights do not fit the network's settings ({error}).") from None
    net.costs_ = np.asarray(costs, dtype=np.float64)
    net.n_iter_ = int(header.get("n_iter", 0))
    return net, header.get("extra", {})


def network_state(net):
    """(header, arrays) that ``restore_network`` turns back into ``net`` exactly: its settings, weights, costs and
    the optimiser's state (momentum, RMSProp and Adam averages, the step count), so that training goes on as if it
    had never stopped. Array names: W1, b1, …, costs, grad_norms, velocity, squares."""
    if not net.is_fitted:
        raise ValueError("Network has no parameters yet; initialize() or fit() it before saving its state.")
    header = {"spec": net.get_params(), "n_iter": int(net.n_iter_), "step": int(net._step),
              "stop_reason": net.stop_reason_, "stop_message": net.stop_message_}
    arrays = {key: np.asarray(value) for key, value in net.params_.items()}
    arrays |= {"costs": np.asarray(net.costs_), "grad_norms": np.asarray(net.grad_norms_),
               "velocity": net._velocity, "squares": net._squares}
    return header, arrays


def restore_network(header, arrays):
    """The Network saved by ``network_state``; ValueError when the parts do not fit together."""
    try:
        net = Network(**header["spec"])
        net.set_weights(arrays)
        n_iter = int(header["n_iter"])
        costs, norms = np.asarray(arrays["costs"], np.float64), np.asarray(arrays["grad_norms"], np.float64)
        velocity, squares = arrays["velocity"], arrays["squares"]
    except (KeyError, TypeError) as error:
        raise ValueError(f"the network's state is incomplete ({error!r}).") from None
    if costs.shape != (n_iter,) or norms.shape != (n_iter,):
        raise ValueError(f"the network's costs do not fit its {n_iter} iterations ({costs.shape}, {norms.shape}).")
    if velocity.shape != net.theta_.shape or squares.shape != net.theta_.shape:
        raise ValueError(f"the optimiser's state does not fit the network's {net.theta_.size} parameters.")
    net.costs_, net.grad_norms_, net.n_iter_ = costs, norms, n_iter
    net._velocity[:], net._squares[:], net._step = velocity, squares, int(header.get("step", 0))
    net.stop_reason_, net.stop_message_ = header.get("stop_reason"), header.get("stop_message") or ""
    return net
