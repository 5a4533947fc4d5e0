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
