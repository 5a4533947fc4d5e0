"""The window's model: settings → dataset → network, and what training made of it (the runs, the descent path,
the accuracies), with the view's choices. No widgets here: the window observes a Session and renders it.

Every new network, whether a reset, a new dataset, a loaded model or an opened session, comes through ``_use``:
it counts a new generation and emits ``network_changed`` once, so that every view shows the new network. Training
progress is taken only for the current generation (``accept``): progress of a network since replaced is dropped.
While a worker trains ``net``, the window reads the latest snapshot's ``params`` and ``spec`` (an untrained copy
with the same settings) and sends live settings through ``mailbox``; it never calls ``net`` itself.
"""

from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from visualtrainer.core import Network
from visualtrainer.core.snapshot import frozen_copy
from visualtrainer.core.validation import check_training_memory
from visualtrainer.data import Dataset, load_dataset, train_test_split
from visualtrainer.data.features import FeaturedDataset, derive, plane_of, with_features
from visualtrainer.data.session_state import check_settings

from .builder import layer_dims, network_for, output_for
from .dataset_draft import DatasetDraft
from .events import Event
from .history import AccuracyHistory, CostHistory, DescentPath
from .runs import RunList
from .settings import Settings, takes_test_fraction
from .training import Mailbox
from .view import ViewState

GRID = 120  # points a side of the boundary plot's grid


def make_grid(data):
    """The boundary plot's grid over the data: (xx, yy) (GRID, GRID) for 2-D data, xs (200,) for one feature, or
    None for more features."""
    X = data.X_train if data.X_test is None else np.hstack([data.X_train, data.X_test])
    if data.n_x == 2:
        low, high = X.min(axis=1), X.max(axis=1)
        pad = 0.08 * (high - low) + 1e-9
        xs = np.linspace(low[0] - pad[0], high[0] + pad[0], GRID)
        ys = np.linspace(low[1] - pad[1], high[1] + pad[1], GRID)
        return np.meshgrid(xs, ys)
    if data.n_x == 1:
        low, high = X.min(), X.max()
        pad = 0.05 * (high - low) + 1e-9
        return np.linspace(low - pad, high + pad, 200)
    return None


def load_data(settings, preloaded=None):
    """The dataset ``settings`` name (from ``preloaded``, folder path -> whole Dataset, when there) and its grid;
    raises DatasetError (or OSError) with a clear message."""
    s = settings
    fraction = s.test_fraction if takes_test_fraction(s.dataset) else 0.0
    whole = (preloaded or {}).get(str(s.dataset))
    if whole is not None:
        X_train, Y_train, X_test, Y_test = train_test_split(whole.X_train, whole.Y_train, fraction, s.seed)
        data = Dataset(whole.name, X_train, Y_train, X_test, Y_test, whole.classes, whole.task, whole.image_shape)
    else:
        data = load_dataset(s.dataset, seed=s.seed, noise=None if s.noise < 0 else s.noise, test_fraction=fraction)
    data = with_features(data, s.features)  # 2-D points as the features ticked (x₁², sin x₁, …)
    return data, make_grid(plane_of(data))


def check(settings, where="the settings"):
    """``settings`` when the window can use every value; else ValueError, one sentence naming the value, what it must
    be and what it is. One check per field, in ``data.session_state.SETTINGS`` (a new field adds its check there):
    the same checks a session file's settings pass."""
    try:
        check_settings(settings.to_dict(), where)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{str(error).rstrip('.')}.") from None
    return settings


def settings_from(saved, where="the settings"):
    """The Settings of a saved dict (a model file's, the remembered ones), each value checked as ``check`` does;
    ValueError (one sentence) for one the window cannot use, rather than a default put in its place."""
    try:
        clean = check_settings(saved, where)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{str(error).rstrip('.')}.") from None
    return Settings.from_dict(clean)


def check_memory(settings, data):
    """ValueError (one sentence saying how much) when training the network ``settings`` make for ``data`` would
    not fit in the memory available."""
    check_training_memory(expected_dims(settings, data), data.m, settings.dtype, pixels=data.X_train.dtype == np.uint8,
                          iterations=settings.iterations)


def expected_dims(settings, data):
    """(n_x, n[1], …, n_y) of the network ``settings`` make for ``data``."""
    return layer_dims(data.n_x, [n for n, _ in settings.hidden], output_for(data.task, settings.output),
                      data.n_classes)


def network_fits(net, settings, data):
    """``net`` when its layer sizes are those ``settings`` make for ``data``; ValueError saying so if not."""
    expected = expected_dims(settings, data)
    if tuple(net.layer_dims) != tuple(expected):
        raise ValueError(f"the network {tuple(net.layer_dims)} does not fit the data and settings "
                         f"(n_x = {data.n_x}: {tuple(expected)}); open its dataset first.")
    return net


class Session:
    """Holds ``settings``, the loaded ``data``, the ``net`` built from both, and what its training left."""

    def __init__(self, settings=None):
        self.settings = settings or Settings()
        self.data = self.grid = None
        self.preloaded = {}  # folder path -> its pictures, already decoded (in a worker's thread)
        self.net = self.spec = self.params = self.mailbox = self.latest = None
        self.generation = 0
        self.iteration = 0
        self._unfinished = False  # progress taken since the current run last took its results
        self.costs = CostHistory()
        self.accuracy = AccuracyHistory()
        self.test_costs = ([], [])  # (iterations, J on the test set), measured with the accuracies
        self.path = DescentPath()
        self.runs = RunList()
        self.view = ViewState()
        self.draft = DatasetDraft()  # a picture dataset being built by hand
        self.network_changed = Event()

    @property
    def splits(self):
        return takes_test_fraction(self.settings.dataset)

    # -- a new network ----------------------------------------------------------------------------------------
    def reset(self, settings=None, reload=False, net=None, trail=None):
        """A new network for ``settings`` (default: the current ones), with the data loaded again when asked (or
        none is loaded); ``net`` (a loaded model) instead of fresh parameters, ``trail`` its path (iterations,
        points). The settings are checked (``check``) and the data loaded before anything changes: DatasetError,
        ValueError or OSError leave the session as it was."""
        settings = check(self.settings if settings is None else settings)
        data, grid = load_data(settings, self.preloaded) if reload or self.data is None else (self.data, self.grid)
        if net is None:
            check_memory(settings, data)
            net = network_for(settings, data).initialize()
        else:
            network_fits(net, settings, data)
        self.settings, self.data, self.grid = settings, data, grid
        self.view.surface.kind = "pca"  # a new network's surface starts on its path's plane
        self._use(net, trail)
        return net

    def open(self, opened):
        """Show an opened session (``session_io.OpenedSession``, already read and checked whole)."""
        self.settings, self.data, self.grid, self.preloaded = opened.settings, opened.data, opened.grid, \
            opened.preloaded
        self.view.update(opened.view)
        self._use(opened.net, opened.trail, opened.runs, opened.accuracy)

    def _use(self, net, trail=None, runs=None, accuracy=None):
        if self._unfinished:  # replaced while it trained: its run keeps what the snapshots brought
            self.runs.update_current(self.costs.values(), *self.accuracy.latest, self.path.frozen()[1])
        self._unfinished = False
        speed = self.mailbox.speed if self.mailbox is not None else 0.0
        self.generation += 1
        self.net, self.spec = net, Network(**net.get_params())
        self.mailbox = Mailbox(net, speed)
        self.params = {key: frozen_copy(value) for key, value in net.params_.items()}
        self.iteration, self.latest = int(net.n_iter_), None
        self.costs = CostHistory(net.costs_)
        self.accuracy = accuracy or AccuracyHistory()
        self.test_costs = ([], [])
        self.path.start(net.theta_, net.n_iter_, net.L, trail)
        if runs:
            self.runs.set_runs(runs)
        else:
            if runs is not None:
                self.runs.set_runs([])
            self.runs.start_run(self.settings.to_dict(), net.layer_dims)
        self.network_changed.emit()

    @contextmanager
    def transaction(self):
        """What is done inside happens whole or not at all: on an exception the session is put back as it was (its
        settings, data, network and what training left, runs, view, the sets it holds), shown again through
        ``network_changed`` if a new network had been shown meanwhile, and the exception goes on."""
        saved = dict(vars(self))
        path, view, preloaded = dict(vars(self.path)), self.view.to_dict(), dict(self.preloaded)
        runs = [replace(run) for run in self.runs.runs]
        try:
            yield self
        except BaseException:
            shown = self.generation
            vars(self).update(saved)  # the same objects as before, their contents as before:
            vars(self.path).update(path)
            self.view.update(view)
            self.preloaded.clear()
            self.preloaded.update(preloaded)
            self.runs.set_runs(runs)
            if shown != saved["generation"]:  # the views were shown another network: show them this one again
                self.generation = shown + 1  # results of jobs started meanwhile are dropped
                self.network_changed.emit()
            raise

    # -- while it trains --------------------------------------------------------------------------------------
    def set_live(self, settings):
        """Take ``settings`` that differ from the current ones only in live fields (checked first: ValueError, and
        nothing changes, for a value the network cannot take) and send them to the network."""
        self.settings = check(settings)
        self.apply_live()

    def apply_live(self):
        """Send the settings that need no new network to it (applied at its next chunk while it trains)."""
        live = self.settings.live()
        self.spec.set_params(**live)
        self.mailbox.send(**live)

    def accept(self, generation, progress):
        """Take training progress (app.training.Progress) of the network of ``generation``; False, and nothing
        changes, for a network since replaced."""
        if generation != self.generation:
            return False
        snap = progress.snapshot
        self.costs.add(snap.first_iteration, snap.costs)
        if progress.train_accuracy is not None:
            self.accuracy.add(snap.iteration, progress.train_accuracy, progress.test_accuracy)
        if progress.test_cost is not None:
            self.test_costs[0].append(snap.iteration)
            self.test_costs[1].append(progress.test_cost)
        self.path.add_snapshot(snap)
        self.params, self.iteration, self.latest = snap.params, snap.iteration, progress
        self._unfinished = True
        return True

    def finish(self):
        """Training stopped (the network is the window's again): the current run takes its costs and results."""
        self.runs.update_current(self.net.costs_, *self.accuracy.latest, self.path.frozen()[1])
        self._unfinished = False

    # -- reading it -------------------------------------------------------------------------------------------
    def model(self):
        """A network with the latest parameters, for predictions: a copy, whichever thread trains ``net``."""
        return Network(**self.spec.get_params()).set_weights(self.params)

    def run_title(self):
        """The title an exported run (script, notebook) carries: data, layer sizes, α and iterations."""
        sizes = " → ".join(map(str, self.spec.layer_dims))
        return f"{self.data.name}: {sizes}, α = {self.settings.learning_rate:g}, {self.settings.iterations} iterations"

    def grid_points(self):
        """The grid as inputs (n_x, k) and its shape, for the worker to evaluate; (None, None) for images."""
        if self.grid is None:
            return None, None
        if plane_of(self.data).n_x == 2:
            xx, yy = self.grid
            X = np.vstack([xx.ravel(), yy.ravel()])
            return (derive(X, self.data.features) if isinstance(self.data, FeaturedDataset) else X), xx.shape
        return self.grid.reshape(1, -1), self.grid.shape
