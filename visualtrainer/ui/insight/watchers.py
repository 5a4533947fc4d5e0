"""The Layers and Curvature tabs kept up to date: while a tab shows, its measures are taken from the session's
latest parameters (a snapshot's frozen copies) in a worker's thread of their own, rationed to a small share of the
time, as training goes on; a new network starts them again."""

import numpy as np

from visualtrainer.app.insight import measure_curvature
from visualtrainer.app.layer_history import LayerHistory, measure_layers, sample_columns
from visualtrainer.core.surface import flat_parameters

from .rationed import RationedJob

LAYER_EXAMPLES = 512  # the examples a layer measure looks at (all of them for smaller sets)
LAYERS_SHARE, LAYERS_GAP, LAYERS_LONGEST = 0.05, 0.2, 3.0  # the cat 4-layer network: 0.06 s a measure
CURVATURE_SHARE, CURVATURE_GAP, CURVATURE_LONGEST = 0.05, 0.25, 8.0  # … and 0.4 s


class LayersController:
    """Measures for ``window.layers_view``: at a new network's start, while training runs, and when it stops."""

    def __init__(self, window):
        self.window, self.view = window, window.layers_view
        self.job = RationedJob("layers", LAYERS_SHARE, LAYERS_GAP, LAYERS_LONGEST, window)
        self.job.done.connect(self._on_done)
        self.job.failed.connect(lambda message: self.view.info.setText(f"Layers: {message}"))
        self.history = LayerHistory()
        self._sample = None
        window.session.network_changed.connect(self._on_network_changed)
        window.progress_shown.connect(lambda progress: self.request())
        window.training_finished.connect(lambda progress: self.request(now=True))
        self.view.shown.connect(lambda: (self.view.show_history(self.history), self.request(now=True)))

    def _on_network_changed(self):
        s = self.window.session
        self.job.reset()
        self.history = LayerHistory(s.spec.L, max(s.settings.iterations, 1))
        self.view.set_network(s.spec.activations)
        columns = sample_columns(s.data.m, LAYER_EXAMPLES)
        X = s.data.X_train[:, columns]
        self._sample = (X / 255.0 if X.dtype == np.uint8 else X, s.data.Y_train[:, columns])  # scaled once
        self.request(now=True)

    def request(self, now=False):
        """Measure the latest parameters, when the tab shows."""
        if self.view.isVisible() and self._sample is not None:
            self.job.request(self._make, now=now)

    def _make(self):
        s = self.window.session
        if s.spec is None:
            return None
        return measure_layers, (s.spec.get_params(), s.params, *self._sample, s.iteration)

    def _on_done(self, value):
        iteration, stats = value
        self.history.add(iteration, stats)
        if self.view.isVisible():
            self.view.show_history(self.history)

    def close(self):
        return self.job.close()


class CurvatureController:
    """Measures for ``window.curvature_view``: every N iterations while training runs and the tab shows, when
    training stops, and on request."""

    def __init__(self, window):
        self.window, self.view = window, window.curvature_view
        self.job = RationedJob("curvature", CURVATURE_SHARE, CURVATURE_GAP, CURVATURE_LONGEST, window)
        self.job.done.connect(self._on_done)
        self.job.failed.connect(lambda message: self.view.readout.setText(f"Curvature: {message}"))
        self._vector = None  # the last eigenvector: the next measure starts from it
        self._measured = None  # the iteration of the last measure asked for
        window.session.network_changed.connect(self._on_network_changed)
        window.progress_shown.connect(lambda progress: self._on_progress())
        window.training_finished.connect(lambda progress: self.request())
        self.view.measure_requested.connect(lambda: self.request(now=True))
        self.view.shown.connect(self._on_shown)

    def _on_network_changed(self):
        self.job.reset()
        self._vector, self._measured = None, None
        self.view.clear()
        if self.view.isVisible():
            self.request(now=True)

    def _on_shown(self):
        if self._measured != self.window.session.iteration:
            self.request(now=True)

    def _on_progress(self):
        s = self.window.session
        if self.view.isVisible() and (self._measured is None
                                      or s.iteration - self._measured >= self.view.every.value()):
            self.request()

    def request(self, now=False):
        if self.view.isVisible() and self.window.session.spec is not None:
            self.job.request(self._make, now=now)

    def _make(self):
        s = self.window.session
        self._measured = s.iteration
        theta = flat_parameters(s.params, s.spec.L)
        return measure_curvature, (s.spec.get_params(), theta, s.data.X_train, s.data.Y_train, s.iteration,
                                   self._vector)

    def _on_done(self, value):
        iteration, found = value
        self._vector = found.vector
        s = self.window.session
        self.view.add(iteration, found.value, s.settings.learning_rate, s.settings.optimizer)

    def close(self):
        return self.job.close()
