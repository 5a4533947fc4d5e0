"""File > Save session and File > Open session: the dataset, the network and its weights, the settings, the run list
and the view, in one file, put back as they were.

A mixin of MainWindow, like FileActions. A file is read and checked whole before anything in the window changes;
a dataset the session names but that is gone, or a file that does not fit, leaves the window as it was.
"""

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QFileDialog

from visualtrainer import __version__
from visualtrainer.core.persistence import network_state, restore_network
from visualtrainer.data import BUILTIN_DATASETS, DatasetError
from visualtrainer.data.session_file import SUFFIX, load_session, save_session

from .runs import Run
from .session import Session
from .settings import Settings

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
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Save session", f"session{SUFFIX}", FILTER)
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
            runs.append({"number": run.number, "settings": run.settings, "layer_dims": list(run.layer_dims),
                         "train": run.train_accuracy, "test": run.test_accuracy, "pinned": run.pinned,
                         "from_sweep": run.from_sweep, "label": run.label})
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
                "surface": {"kind": panel.kind.currentData(), "grid": panel.grid.value(), "span": panel.span.value(),
                            "log": panel.log.isChecked(), "follow": panel.follow.isChecked(),
                            "every": panel.every.value()}}
        state = {"app_version": __version__, "settings": s.to_dict(), "dataset": dataset, "network": net_header,
                 "runs": runs, "view": view}
        return state, arrays, embedded

    # -- opening --------------------------------------------------------------------------------------------
    def open_session(self, path=None):
        """File > Open session; True when the window shows the session, False (and a message) when not."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Open session", "", f"{FILTER};;All files (*)")
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
        if not self.reset():
            return False
        self._show_session(net, runs, state, arrays)
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
            expected = opened.build_network().layer_dims
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
            runs = [Run(int(r["number"]), dict(r["settings"]), tuple(int(n) for n in r["layer_dims"]),
                        np.asarray(arrays[f"run{r['number']}_costs"], dtype=np.float64), r.get("train"),
                        r.get("test"), tuple(arrays[f"run{r['number']}_path"]) if f"run{r['number']}_path" in arrays
                        else (), bool(r.get("pinned")), bool(r.get("from_sweep")), str(r.get("label") or ""))
                    for r in state.get("runs", [])]
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: the session file is damaged or incomplete ({error}).") from None
        kind = dataset.get("kind")
        if kind == "embedded" and embedded is None:
            raise ValueError(f"{path}: the session's dataset is missing from the file.")
        if kind == "builtin" and settings.dataset not in BUILTIN_DATASETS:
            raise ValueError(f"{path}: the built-in dataset {settings.dataset!r} is not in this version.")
        if kind == "file" and not Path(settings.dataset).exists():
            raise ValueError(f"{path}: the session's dataset {settings.dataset} is not there any more; put it back "
                             "(or open the dataset and train again).")
        return settings, net, runs

    def _show_session(self, net, runs, state, arrays):
        """Put the restored network, its history, the runs and the view on the window (after ``reset``)."""
        data = self.session.data
        self.session.net = net
        self.network_view.set_params(net.params_)
        path = (arrays["surface_iterations"], arrays["surface_path"]) if "surface_path" in arrays else None
        self.surface_panel.set_network(net, data, path)
        train, test = (arrays.get(name, np.zeros((2, 0))) for name in ("accuracy_train", "accuracy_test"))
        self.cost_plot.set_history(net.costs_, train, test)
        self._accuracy = (float(train[1, -1]) if train.shape[1] else None,
                          float(test[1, -1]) if test.shape[1] else None)
        self.runs_view.set_runs(runs or [self.runs_view.current])
        self._show_pinned_paths()
        self.mistakes_view.show_results(data, net)
        self.iteration_label.setText(f"iteration {net.n_iter_:,}")
        parts = [f"iteration {net.n_iter_:,}"] + ([f"cost {net.costs_[-1]:.6f}"] if net.n_iter_ else [])
        parts += [f"{name} {value:.1f}%" for name, value in zip(("train", "test"), self._accuracy) if value is not None]
        self.status_label.setText("   ".join(parts))
        self._update_predictions_now()
        if data.image_shape is not None:
            self.weight_pictures.set_weights(net.params_["W1"])
        self._apply_view(state.get("view") or {})
        self._show_example()
        self._show_graph()

    def _apply_view(self, view):
        panel = self.surface_panel
        for index in range(self.lower_tabs.count()):
            if self.lower_tabs.tabText(index) == view.get("tab"):
                self.lower_tabs.setCurrentIndex(index)
        self.example.setValue(int(view.get("example", 0)))
        self.speed.setValue(int(view.get("speed", self.speed.value())))
        self.cost_plot.set_log_scale(bool(view.get("log_cost", False)))
        surface = view.get("surface") or {}
        for box, key in ((panel.log, "log"), (panel.follow, "follow")):
            if key in surface:
                box.setChecked(bool(surface[key]))
        for spin, key in ((panel.grid, "grid"), (panel.span, "span"), (panel.every, "every")):
            if key in surface:
                spin.setValue(surface[key])
        index = panel.kind.findData(surface.get("kind"))
        if index >= 0:
            panel.kind.setCurrentIndex(index)
