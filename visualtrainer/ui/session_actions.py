"""File > Save session and File > Open session: the dataset, the network and its weights, the settings, the run list
and the view, in one file, put back as they were.

A mixin of MainWindow, like FileActions. A file is read and checked whole before anything in the window changes;
a dataset the session names but that is gone, or a file that does not fit, leaves the window as it was.
"""

from pathlib import Path

import numpy as np

from visualtrainer import __version__
from visualtrainer.core.persistence import network_state, restore_network
from visualtrainer.data import BUILTIN_DATASETS, DatasetError
from visualtrainer.data.session_file import SUFFIX, load_session, save_session

from .file_actions import path_to_open, path_to_save
from .runs import Run
from visualtrainer.app.session import Session
from visualtrainer.app.settings import Settings

PATH_BYTES = 16 * 2**20  # at most this much of each run's path goes into a session (evenly thinned beyond it)
FILTER = f"visualtrainer sessions (*{SUFFIX})"


def _kept(points, budget=PATH_BYTES):
    """Indices of at most ``budget`` bytes of ``points`` (a sequence of flat θ), evenly spread, first and last kept."""
    k = max(2, budget // max(points[0].nbytes, 1))
    return np.unique(np.linspace(0, len(points) - 1, min(len(points), k)).round().astype(int))


class SessionActions:
    """save_session / open_session for MainWindow."""

    # -- saving ---------------------------------------------------------------------------------------------
    def save_session(self, path=None):
        """File > Save session; returns the path written, or None."""
        if self.session.net is None:
            return None
        path = path_to_save(self, path, "Save session", f"session{SUFFIX}", FILTER)
        if not path:
            return None
        state, arrays, data = self._session_state()
        try:
            written = save_session(path, state, arrays, data)
        except OSError as error:
            self.show_message(f"{path}: could not write the session ({error.strerror or error}).", error=True)
            return None
        self.show_message(f"Saved the session to {written}; File > Open session puts the window back as it is now.")
        return written

    def _session_state(self):
        s, net = self.session.settings, self.session.net
        self._stop_worker()  # the weights between two steps, not of a step half done
        key = str(s.dataset)
        if key in self.session.preloaded:
            dataset, embedded = {"kind": "embedded"}, self.session.preloaded[key]
        elif key in BUILTIN_DATASETS:
            dataset, embedded = {"kind": "builtin"}, None
        else:
            dataset, embedded = {"kind": "file", "path": str(Path(key).resolve())}, None
        net_header, net_arrays = network_state(net)
        arrays = {f"net_{k}": v for k, v in net_arrays.items()}
        train_x, train_y, test_x, test_y = self.cost_plot.accuracies()
        arrays |= {"accuracy_train": np.vstack([train_x, train_y]), "accuracy_test": np.vstack([test_x, test_y])}
        runs = []
        for run in self.runs_view.runs:
            runs.append(run.to_state())
            arrays[f"run{run.number}_costs"] = np.asarray(run.costs, dtype=np.float64)
            if run.path:
                arrays[f"run{run.number}_path"] = np.vstack([run.path[i] for i in _kept(run.path)])
        panel = self.surface_panel
        if panel.recorder is not None:
            iterations, points = panel.recorder.frozen()
            kept = _kept(points)
            arrays["surface_iterations"] = np.asarray(iterations, dtype=np.int64)[kept]
            arrays["surface_path"] = np.vstack([points[i] for i in kept])
        view = {"tab": self.lower_tabs.tabText(self.lower_tabs.currentIndex()), "example": self.example.value(),
                "speed": self.speed.value(), "log_cost": self.cost_plot.log_box.isChecked(),
                "surface": panel.view_state()}
        state = {"app_version": __version__, "settings": s.to_dict(), "dataset": dataset, "network": net_header,
                 "runs": runs, "view": view}
        return state, arrays, embedded

    # -- opening --------------------------------------------------------------------------------------------
    def open_session(self, path=None):
        """File > Open session; True when the window shows the session, False (and a message) when not."""
        path = path_to_open(self, path, "Open session", "", f"{FILTER};;All files (*)")
        if not path:
            return False
        try:
            state, arrays, embedded = load_session(path)
            settings, net, runs = self._read_session(path, state, arrays, embedded)
            opened = self._session_for(path, settings, net, embedded)
        except ValueError as error:
            self.show_message(str(error), error=True)
            return False
        self.session.settings, self.session.preloaded = settings, opened.preloaded
        self.session.data, self.session.grid = opened.data, opened.grid
        self.controls.set_settings(settings)
        view = state.get("view") or {}
        surface = view.get("surface") or {}
        self.surface_panel.set_view_state(surface)
        trail = (arrays["surface_iterations"], arrays["surface_path"]) if "surface_path" in arrays else None
        if not self.reset(net=net, path=trail, plane=surface.get("kind")):
            return False
        self._show_session(runs, view, arrays)
        self.show_message(f"Opened {path}: iteration {net.n_iter_:,}, {len(runs)} run{'s' * (len(runs) != 1)}; "
                          "Space goes on training.")
        return True

    def _session_for(self, path, settings, net, embedded):
        """A Session with the opened session's dataset loaded, checked to fit its network; ValueError if not."""
        opened = Session(settings)
        opened.preloaded = dict(self.session.preloaded)
        if embedded is not None:
            opened.preloaded[settings.dataset] = embedded
        try:
            opened.load_data()
            expected = opened.layer_dims
        except (DatasetError, OSError) as error:
            raise ValueError(f"{path}: the session's dataset cannot be loaded ({error}).") from None
        if tuple(net.layer_dims) != tuple(expected):
            raise ValueError(f"{path}: the session's network {tuple(net.layer_dims)} does not fit its dataset and "
                             f"settings ({tuple(expected)}); the file is damaged.")
        return opened

    def _read_session(self, path, state, arrays, embedded):
        """The settings, network and runs of a session, checked before the window changes; ValueError if bad."""
        try:
            settings = Settings.from_dict(state["settings"])
            dataset = state["dataset"]
            net = restore_network(state["network"], {k[4:]: v for k, v in arrays.items() if k.startswith("net_")})
            runs = [Run.from_state(r, arrays[f"run{r['number']}_costs"], arrays.get(f"run{r['number']}_path", ()))
                    for r in state.get("runs", [])]
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: the session file is damaged or incomplete ({error}).") from None
        kind = dataset.get("kind")
        if kind == "file":  # saved whole: the session opens from any folder
            settings.dataset = str(dataset.get("path", settings.dataset))
        if kind == "embedded" and embedded is None:
            raise ValueError(f"{path}: the session's dataset is missing from the file.")
        if kind == "builtin" and settings.dataset not in BUILTIN_DATASETS:
            raise ValueError(f"{path}: the built-in dataset {settings.dataset!r} is not in this version.")
        if kind == "file" and not Path(settings.dataset).exists():
            raise ValueError(f"{path}: the session's dataset {settings.dataset} is not there any more; put it back "
                             "(or open the dataset and train again).")
        return settings, net, runs

    def _show_session(self, runs, view, arrays):
        """What ``reset`` does not show of an opened session: accuracies, runs and the rest of the view."""
        train, test = (arrays.get(name, np.zeros((2, 0))) for name in ("accuracy_train", "accuracy_test"))
        self.cost_plot.add_accuracies(train, test)
        self._accuracy = tuple(float(series[1, -1]) if series.shape[1] else None for series in (train, test))
        net = self.session.net
        if net.n_iter_:
            self._show_status(net.n_iter_, net.costs_[-1])
        self.runs_view.set_runs(runs or [self.runs_view.current])  # draws the pinned runs' paths too
        self.show_tab(view.get("tab"))
        self.example.setValue(int(view.get("example", 0)))
        self.speed.setValue(int(view.get("speed", self.speed.value())))
        self.cost_plot.set_log_scale(bool(view.get("log_cost", False)))
        self._show_example()
