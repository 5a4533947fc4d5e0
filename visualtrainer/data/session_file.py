"""A session in one file: the window's state (JSON), its arrays (weights, costs, paths) and, when the dataset was
made in the app, the dataset itself; File > Save session writes it and File > Open session reads it back.

``open_session`` reads a file whole and checks every part (the settings' values, the network against its
arrays, each run, the view, the embedded dataset) before returning a plain ``OpenedSession``: a window applies it
only once it is complete, so a bad file changes nothing. Only the members a session has are read.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualtrainer.core.container import Container, write_container
from visualtrainer.core.files import FileError
from visualtrainer.core.persistence import read_network_state, restore_network
from visualtrainer.core.validation import parameter_count

from .archive import dataset_arrays, read_dataset
from visualtrainer.core.activations import OUTPUT_FOR_TASK

from .builtin import BUILTIN_DATASETS, builtin_layout
from .dataset import Dataset, task_for
from .features import input_count
from .session_state import check_runs, check_settings, check_view

FORMAT = "visualtrainer-session"
VERSION = 1
SUFFIX = ".vtsession"
DATA_PREFIX = "data_"  # the embedded dataset's arrays
NET_PREFIX = "net_"  # the network's state (core.persistence.network_state)
HINT = "; save one with File > Save session"
_DATASET_KINDS = ("builtin", "file", "embedded")


@dataclass(frozen=True, eq=False)
class OpenedSession:
    """A session file's content, checked whole: nothing in it needs a further check before it is shown.

    ``settings`` and each run's ``settings`` are the window's settings as dicts (known keys checked, unknown keys
    kept); ``dataset`` is the built-in set's name or the dataset file's path as the settings name it (for
    ``dataset_kind`` "embedded", ``embedded`` holds the Dataset itself); ``runs`` are dicts with ``costs`` (k,)
    and ``path`` (k, P) or None beside the fields ``Run.to_state`` writes; ``surface`` is (iterations (k,), path
    (k, P)) or None; ``accuracies`` the window's (2, k) train and test series; ``state`` and ``arrays`` the same
    content in the layout ``save_session`` takes.
    """

    settings: dict
    dataset_kind: str
    embedded: Dataset | None
    network: object
    runs: tuple
    surface: tuple | None
    accuracies: tuple
    view: dict
    state: dict
    arrays: dict


def save_session(path, state, arrays, data=None):
    """Write ``state`` (JSON-able), ``arrays`` (name -> ndarray) and the Dataset ``data`` if given; returns the path.

    Array names must not start with ``DATA_PREFIX``. The suffix .vtsession is added when missing. The file is
    replaced atomically: a failed or killed save leaves the previous one whole.
    """
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    if any(name.startswith(DATA_PREFIX) for name in arrays):
        raise ValueError(f"array names starting with {DATA_PREFIX!r} are kept for the dataset.")
    header = {"state": state, "dataset": None}
    arrays = dict(arrays)
    if data is not None:
        header["dataset"], data_arrays = dataset_arrays(data, DATA_PREFIX)
        arrays |= data_arrays
    return write_container(path, FORMAT, VERSION, header, arrays)


def load_session(path, budget=None):
    """(state, arrays, data) of ``open_session(path)``: the state and arrays as ``save_session`` took them (only
    a session's own members), and the embedded Dataset or None."""
    opened = open_session(path, budget)
    return opened.state, opened.arrays, opened.embedded


def open_session(path, budget=None):
    """The session saved at ``path``, read and checked whole; ValueError (one sentence naming the file) if not.

    ``budget`` bounds the bytes its arrays may take (None: half the memory available).
    """
    with Container(path, FORMAT, VERSION, "session", HINT, budget) as file:
        state = file.header.get("state")
        if not isinstance(state, dict):
            raise file.error("the session file has no state; it is damaged.")
        try:
            return _read(file, state)
        except FileError:
            raise
        except ValueError as error:
            raise file.error(f"the session file is damaged or incomplete ({str(error).rstrip('.')}).") from None


def _read(file, state):
    settings = check_settings(state.get("settings"), "its settings")
    kind, embedded = _dataset(file, state, settings)
    net_header = state.get("network")
    net_arrays = read_network_state(file, net_header, NET_PREFIX)
    network = restore_network(net_header, net_arrays)
    _fits(settings, network)
    if kind != "file":  # a file dataset's size is known once the window loads it
        n_x, classes = (embedded.n_x, embedded.classes) if embedded is not None else \
            builtin_layout(settings.get("dataset", "flower"))
        n_x = n_x if embedded is not None else input_count(settings, n_x)  # 2-D points as derived features
        _fits_dataset(file, settings, network, n_x, classes)
    runs = check_runs(state.get("runs", []))
    arrays = {NET_PREFIX + name: value for name, value in net_arrays.items()}
    for run in runs:
        number = run["number"]
        arrays[f"run{number}_costs"] = file.read(f"run{number}_costs", kinds="fiu", ndim=1)
        if f"run{number}_path" in file:
            width = parameter_count(run["layer_dims"])
            arrays[f"run{number}_path"] = file.read(f"run{number}_path", kinds="f", shape=(None, width))
    size = network.theta_.size
    if ("surface_path" in file) != ("surface_iterations" in file):
        raise file.error("the session has half of the surface's path (surface_path and surface_iterations go "
                         "together); the file is damaged.")
    if "surface_path" in file:
        steps = file.shape("surface_iterations")
        arrays["surface_iterations"] = file.read("surface_iterations", kinds="iu", ndim=1)
        arrays["surface_path"] = file.read("surface_path", kinds="f", shape=(steps[0], size))
    for name in ("accuracy_train", "accuracy_test"):
        if name in file:
            arrays[name] = file.read(name, kinds="fiu", shape=(2, None))
    view = check_view(state.get("view", {}))
    clean = dict(state) | {"settings": settings, "runs": [_run_state(run) for run in runs], "view": view}
    return OpenedSession(
        settings=settings, dataset_kind=kind, embedded=embedded, network=network,
        runs=tuple(run | {"costs": arrays[f"run{run['number']}_costs"],
                          "path": arrays.get(f"run{run['number']}_path")} for run in runs),
        surface=(arrays["surface_iterations"], arrays["surface_path"]) if "surface_path" in arrays else None,
        accuracies=tuple(arrays.get(name, np.zeros((2, 0))) for name in ("accuracy_train", "accuracy_test")),
        view=view, state=clean, arrays=arrays)


def _run_state(run):
    return {key: list(value) if key == "layer_dims" else value for key, value in run.items()}


def _dataset(file, state, settings):
    """The dataset's kind and, when embedded, the Dataset itself; a file dataset's path goes into ``settings``."""
    reference = state.get("dataset")
    if not isinstance(reference, dict) or reference.get("kind") not in _DATASET_KINDS:
        raise file.error(f"the session's dataset is not one of {', '.join(_DATASET_KINDS)}; the file is damaged.")
    kind = reference["kind"]
    if kind == "builtin" and settings.get("dataset", "flower") not in BUILTIN_DATASETS:
        raise file.error(f"the built-in dataset {str(settings.get('dataset'))[:40]!r} is not in this version.")
    if kind == "file":
        where = reference.get("path", settings.get("dataset"))
        if not isinstance(where, str) or not where or len(where) > 4096 or "\0" in where:
            raise file.error("the session's dataset path is not a path; the file is damaged.")
        settings["dataset"] = where
        if not Path(where).exists():
            raise file.error(f"the session's dataset {where} is not there any more; put it back (or open the "
                             "dataset and train again).")
    if kind != "embedded":
        return kind, None
    header = file.header.get("dataset")
    if not isinstance(header, dict):
        raise file.error("the session's dataset is missing from the file.")
    return kind, read_dataset(file, header, DATA_PREFIX)


def _fits_dataset(file, settings, network, n_x, classes):
    """The network's input and output sizes must be those the dataset and the output setting give."""
    output = settings.get("output", "auto")
    output = OUTPUT_FOR_TASK[task_for(len(classes))] if output == "auto" else output
    n_y = len(classes) if output == "softmax" else 1
    expected = (n_x, *(int(n) for n in network.layer_dims[1:-1]), n_y)
    if tuple(network.layer_dims) != expected:
        raise file.error(f"the session's network {tuple(network.layer_dims)} does not fit its dataset and "
                         f"settings, which make it {expected}; the file is damaged.")


def _fits(settings, network):
    """The network's hidden layers must be the ones the settings describe."""
    hidden = settings.get("hidden")
    if hidden is None:
        return
    layers = [(int(n), a) for n, a in hidden]
    if layers != list(zip((int(n) for n in network.layer_dims[1:-1]), network.activations[:-1])):
        raise ValueError(f"the network's hidden layers {tuple(network.layer_dims[1:-1])} "
                         f"({', '.join(network.activations[:-1]) or 'none'}) are not the settings' "
                         f"{tuple(n for n, _ in layers)}")
