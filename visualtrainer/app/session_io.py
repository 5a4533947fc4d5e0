"""A session as a file, and back: what each part of the state means (the dataset by name, path or embedded; the
network with its optimiser's state; the runs with their costs and paths; the surface's path; accuracies; the
view). The bytes on disk are the data layer's (``data.session_file``).

A file is read and checked whole (``read_session``) before anything is shown: a dataset the session names but that
is gone, or parts that do not fit together, raise ValueError and leave the window as it was.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualtrainer import __version__
from visualtrainer.core.persistence import network_state, restore_network
from visualtrainer.data import BUILTIN_DATASETS, Dataset, DatasetError
from visualtrainer.data.session_file import SUFFIX, load_session, save_session

from .history import AccuracyHistory
from .runs import Run
from .session import expected_dims, load_data
from .settings import Settings

#: At most this much of each path goes into a session, in float32 (a path is drawn, never trained from), evenly
#: thinned beyond it: a logistic regression's on the pictures keeps 21 of its 201 points, a flower network's all.
PATH_BYTES = 2**20


def _kept(points, budget=PATH_BYTES):
    """Indices of at most ``budget`` bytes of ``points`` (a sequence of flat θ) in float32, evenly spread, first and
    last kept."""
    k = max(2, budget // max(4 * points[0].size, 1))
    return np.unique(np.linspace(0, len(points) - 1, min(len(points), k)).round().astype(int))


def _stacked(points, kept):
    return np.vstack([points[i] for i in kept]).astype(np.float32)


def _dataset_entry(session):
    """How the session names its dataset, and the Dataset to embed (a set made in the app) or None."""
    key = str(session.settings.dataset)
    if key in session.preloaded:
        return {"kind": "embedded"}, session.preloaded[key]
    if key in BUILTIN_DATASETS:
        return {"kind": "builtin"}, None
    return {"kind": "file", "path": str(Path(key).resolve())}, None


def session_state(session):
    """(state, arrays, embedded dataset or None) of ``session``, for ``data.session_file.save_session``; its network
    must not be training (its weights between two steps, not of a step half done)."""
    dataset, embedded = _dataset_entry(session)
    net_header, net_arrays = network_state(session.net)
    arrays = {f"net_{k}": v for k, v in net_arrays.items()}
    arrays["accuracy_train"], arrays["accuracy_test"] = session.accuracy.arrays()
    runs = []
    for run in session.runs.runs:
        runs.append(run.to_state())
        arrays[f"run{run.number}_costs"] = np.asarray(run.costs, dtype=np.float64)
        if run.path:
            arrays[f"run{run.number}_path"] = _stacked(run.path, _kept(run.path))
    iterations, points = session.path.frozen()
    kept = _kept(points)
    arrays["surface_iterations"] = np.asarray(iterations, dtype=np.int64)[kept]
    arrays["surface_path"] = _stacked(points, kept)
    state = {"app_version": __version__, "settings": session.settings.to_dict(), "dataset": dataset,
             "network": net_header, "runs": runs, "view": session.view.to_dict()}
    return state, arrays, embedded


def write_session(session, path):
    """Write ``session`` to ``path`` (.vtsession added when missing); returns the path written. OSError if not."""
    state, arrays, embedded = session_state(session)
    return save_session(path, state, arrays, embedded)


@dataclass(frozen=True)
class OpenedSession:
    """A session file read and checked whole, ready for ``Session.open``."""

    settings: Settings
    data: Dataset
    grid: object
    preloaded: dict
    net: object
    runs: list
    accuracy: AccuracyHistory
    trail: tuple | None  # (iterations, points) of the surface's path
    view: dict


def _parts(path, state, arrays):
    """The settings, network, runs and accuracies of a session; ValueError when any is missing or malformed."""
    try:
        settings = Settings.from_dict(state["settings"])
        net = restore_network(state["network"], {k[4:]: v for k, v in arrays.items() if k.startswith("net_")})
        runs = []
        for r in state.get("runs", []):
            run = Run.from_state(r, arrays[f"run{r['number']}_costs"], arrays.get(f"run{r['number']}_path", ()))
            run.settings = Settings.from_dict(run.settings).to_dict()  # every key a run's name and row read
            runs.append(run)
        empty = np.zeros((2, 0))
        accuracy = AccuracyHistory(*(np.asarray(arrays.get(name, empty), dtype=np.float64).reshape(2, -1)
                                     for name in ("accuracy_train", "accuracy_test")))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"{path}: the session file is damaged or incomplete ({error}).") from None
    return settings, net, runs, accuracy


def _dataset(path, state, settings, embedded, preloaded):
    """The session's dataset entry checked (its file still there), and ``preloaded`` with its embedded set."""
    dataset = state.get("dataset")
    kind = dataset.get("kind") if isinstance(dataset, dict) else None
    if kind == "file":  # saved whole: the session opens from any folder
        settings.dataset = str(dataset.get("path", settings.dataset))
    if kind == "embedded" and embedded is None:
        raise ValueError(f"{path}: the session's dataset is missing from the file.")
    if kind == "builtin" and settings.dataset not in BUILTIN_DATASETS:
        raise ValueError(f"{path}: the built-in dataset {settings.dataset!r} is not in this version.")
    if kind == "file" and not Path(settings.dataset).exists():
        raise ValueError(f"{path}: the session's dataset {settings.dataset} is not there any more; put it back "
                         "(or open the dataset and train again).")
    if kind not in ("file", "embedded", "builtin"):
        raise ValueError(f"{path}: the session file is damaged or incomplete (its dataset is {dataset!r}).")
    preloaded = dict(preloaded)
    if embedded is not None:
        preloaded[settings.dataset] = embedded
    return preloaded


def read_session(path, preloaded=None):
    """The session at ``path``, read and checked whole: an OpenedSession; ValueError (one sentence) if it cannot
    be opened. ``preloaded`` (folder path -> Dataset) are the sets the window already holds."""
    state, arrays, embedded = load_session(path)
    settings, net, runs, accuracy = _parts(path, state, arrays)
    preloaded = _dataset(path, state, settings, embedded, preloaded or {})
    try:
        data, grid = load_data(settings, preloaded)
    except (DatasetError, OSError) as error:
        raise ValueError(f"{path}: the session's dataset cannot be loaded ({error}).") from None
    expected = tuple(expected_dims(settings, data))
    if tuple(net.layer_dims) != expected:
        raise ValueError(f"{path}: the session's network {tuple(net.layer_dims)} does not fit its dataset and "
                         f"settings ({expected}); the file is damaged.")
    trail = (arrays["surface_iterations"], arrays["surface_path"]) if "surface_path" in arrays else None
    view = state.get("view") if isinstance(state.get("view"), dict) else {}
    return OpenedSession(settings, data, grid, preloaded, net, runs, accuracy, trail, view)


__all__ = ["SUFFIX", "OpenedSession", "read_session", "session_state", "write_session"]
