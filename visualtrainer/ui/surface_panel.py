"""The cost surface panel: its controls, the path recorded while training, and surfaces computed in a thread.

Surfaces are computed by a ``SurfaceWorker`` in a QThread of its own (the kernels release the GIL), one at a time:
a request made while one runs replaces any request still waiting. While training runs, "follow" re-centres the
surface on the current θ every N iterations, rationed so that surfaces take a small share of the time.
"""

import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QSignalBlocker, Signal, Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QSpinBox,
                               QStackedWidget, QVBoxLayout, QWidget)

from visualtrainer.core import Network
from visualtrainer.core.surface import (CostSlicer, PathRecorder, Projection, compute_surface, flat_parameters,
                                        make_plane, parameter_names)

from .surface_3d import Surface3DView, opengl_available
from .surface_view import SurfaceView
from .worker import WorkerThread

#: (kind, what the menu says), in menu order.
KINDS = [("pca", "the path's plane (PCA)"), ("weights", "two parameters"), ("random", "two random directions")]
# Following spends at most FOLLOW_SHARE of the time on surfaces: a surface of the cat network competes with its
# training for the cores, so it is recomputed every 6 s while the path grows five times a second; the flower's
# take milliseconds, and follow every FOLLOW_GAP.
FOLLOW_SHARE = 0.02
FOLLOW_GAP = 0.25  # at least this long (s) between two surfaces …
FOLLOW_WAIT = 6.0  # … and never longer than this (the first surface also loads the compiled kernels)


@dataclass(frozen=True)
class SurfaceJob:
    """What to compute: the network's settings, the data, the recorded path (a tuple of θ, stacked in the
    worker's thread) and the plane's choice."""

    settings: dict
    X: np.ndarray
    Y: np.ndarray
    path: tuple
    kind: str
    names: tuple | None
    grid: int
    span: float | None
    iteration: int
    generation: int = 0  # which network (the panel counts them): results for an older one are dropped
    seed: int = 0


class SurfaceWorker(QObject):
    """Computes ``SurfaceJob``s in its thread; ``ready(surface, job, seconds)`` or ``failed(message, job)``."""

    ready = Signal(object, object, float)  # the surface, its job, the seconds the whole job took
    failed = Signal(str, object)
    _compute = Signal(object)

    def __init__(self):
        super().__init__()
        self._slicer, self._slicer_key = None, None
        self._compute.connect(self._run)

    def compute(self, job):
        self._compute.emit(job)

    @Slot(object)
    def _run(self, job):
        began = time.perf_counter()
        try:
            key = (id(job.X), id(job.Y), repr(sorted(job.settings.items())))
            net = Network(**job.settings)
            if key != self._slicer_key:
                self._slicer, self._slicer_key = CostSlicer(net, job.X, job.Y), key
            plane = make_plane(job.kind, net, job.path, job.names, job.seed)
            surface = compute_surface(self._slicer, plane, job.path, job.grid, job.span)
            self.ready.emit(surface, job, time.perf_counter() - began)
        except (ValueError, np.linalg.LinAlgError) as error:
            self.failed.emit(str(error), job)


class SurfacePanel(QWidget):
    """Controls over a ``SurfaceView``; the window feeds it the network (``set_network``) and the snapshots."""

    surface_shown = Signal(object)  # after a new surface is drawn

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = QComboBox()
        for kind, text in KINDS:
            self.kind.addItem(text, kind)
        self.kind.setToolTip("Which plane of parameter space the surface shows")
        self.grid = QSpinBox(minimum=11, maximum=301, singleStep=10, value=51, suffix=" ×")
        self.grid.setToolTip("Grid points along each axis")
        self.span = QDoubleSpinBox(minimum=0.0, maximum=1000.0, singleStep=0.5, decimals=2, value=0.0)
        self.span.setSpecialValueText("fit the path")
        self.span.setToolTip("How far the grid reaches from the centre along each direction (fit the path: as far as "
                             "the path goes, and a quarter more)")
        self.log = QCheckBox("log colours", checked=True)
        self.recompute = QPushButton("Recompute")
        self.recompute.setToolTip("Centre the surface on the current parameters and compute it again")
        self.follow = QCheckBox("follow every", checked=True)
        self.follow.setToolTip("While training, re-centre on the current parameters every N iterations")
        self.every = QSpinBox(minimum=1, maximum=1_000_000, value=50, suffix=" it")
        self.three_d = QCheckBox("3-D")
        self.three_d.setToolTip("J as a surface in 3-D, turned with the mouse (needs OpenGL)")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #444;")
        self.view = SurfaceView()
        self.view_3d = None  # built when first asked for, where OpenGL works
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for widgets in ((QLabel("plane"), self.kind, QLabel("grid"), self.grid, QLabel("range ±"), self.span),
                        (self.log, self.three_d, self.follow, self.every, self.recompute)):
            row = QHBoxLayout()
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(self.info)
        layout.addWidget(self.stack, 1)

        self._thread = WorkerThread(SurfaceWorker(), "surface")
        self.thread, self.worker = self._thread.thread, self._thread.worker
        self.worker.ready.connect(self._on_ready)
        self.worker.failed.connect(self._on_failed)

        self.kind.currentIndexChanged.connect(lambda _: self._on_plane_changed())
        self.grid.valueChanged.connect(lambda _: self.request())
        self.span.valueChanged.connect(lambda _: self.request())
        self.log.toggled.connect(self._on_log)
        self.three_d.toggled.connect(self._on_three_d)
        self.recompute.clicked.connect(lambda: self.request(force=True))
        self._net = self._data = self.recorder = self._unrecorded = None
        self._picked = []
        self._running = self._pending = None
        self._held = False
        self._surface = self._surface_job = None
        self._generation = 0
        self._next_follow = 0.0
        self._stale = False
        self.surfaces_computed = 0

    # -- from the window ------------------------------------------------------------------------------------
    def set_network(self, net, data, path=None, kind=None):
        """A new network (or data): forget the path, start it at the network's θ and draw the surface there.

        ``path`` = (iterations, points (k, p)) gives the way the network came (an opened session's), its θ last;
        ``kind`` the plane to draw (by default the exact J(w, b) for two parameters, else the path's plane).
        """
        self._net, self._data = net, data
        self._generation += 1
        self._unrecorded = None
        self.recorder = PathRecorder(net.theta_.size)
        if path is not None:
            iterations, points = path
            self.recorder.extend(iterations[iterations < net.n_iter_], points[iterations < net.n_iter_])
        self.recorder.add(net.n_iter_, net.theta_)
        self._picked = []
        self._surface = None
        self.view.clear()
        self.kind.blockSignals(True)
        if net.theta_.size == 2 or kind not in ("pca", "random"):  # two picked weights are picked anew
            kind = "weights" if net.theta_.size == 2 else "pca"
        self.kind.setCurrentIndex(self._kind_index(kind))
        self.kind.blockSignals(False)
        self.request(force=True)

    def add_snapshot(self, snap):
        """Keep the snapshot's traced θ on the path; its own θ waits for ``refresh`` (flattening it on every
        snapshot would cost the training its speed: large short-lived arrays are expensive to come and go)."""
        if self.recorder is None:
            return
        if snap.trace is not None and snap.trace.shape[1:] == (self.recorder.n_params,):
            self.recorder.extend(snap.trace_iterations, snap.trace)
        self._unrecorded = snap

    def _record_latest(self):
        snap, self._unrecorded = self._unrecorded, None
        if snap is None:
            return
        try:
            theta = flat_parameters(snap.params, self._net.L)
        except (KeyError, ValueError):  # a snapshot of the previous network, before its reset
            return
        theta.flags.writeable = False
        self.recorder.add(snap.iteration, theta)

    def refresh(self, finished=False):
        """Extend the drawn path to the latest θ; re-centre when following (or when training just ended)."""
        if self.recorder is not None:
            self._record_latest()
        if self.recorder is None or self.recorder.latest is None:
            return
        # Until the first surface comes, or while another tab is shown (the path is drawn when this one is, in
        # showEvent), only the final surface is asked for: it queues behind the first, or waits for the tab.
        if self._surface is None or not self.isVisible():
            if finished:
                self.request()
            return
        iterations, points = self.recorder.after(self._drawn_iteration)
        if iterations.size:
            self._path_xy = np.vstack([self._path_xy, self._projection(points)])
            self._drawn_iteration = int(iterations[-1])
            self.view.set_path(self._path_xy)
            if self._showing_3d:
                self.view_3d.set_path(self._path_xy)
        iteration = self._drawn_iteration
        due = (self.follow.isChecked() and iteration - self._surface_job.iteration >= self.every.value()
               and time.perf_counter() >= self._next_follow)
        if finished or due:
            self.request()

    @property
    def picking(self):
        """Whether the plane is two parameters, so that a click on a neuron in the diagram picks its bias."""
        return self.kind.currentData() == "weights"

    def pick_parameter(self, index):
        """A weight or bias picked in the diagram (its index in θ): the last two picked span the plane."""
        if self._net is None:
            return
        if index in self._picked:
            self._picked.remove(index)
        self._picked = (self._picked + [int(index)])[-2:]
        if len(self._picked) == 2:
            if self.kind.currentData() != "weights":
                self.kind.setCurrentIndex(self._kind_index("weights"))  # requests the surface
            else:
                self.request(force=True)
        else:
            name = parameter_names(self._net.layer_dims)[index]
            self.info.setText(f"Picked {name}: click one more link (a weight) or neuron (its bias).")

    def request(self, force=False):
        """Compute the surface for the current choices, centred on the latest θ (when visible, or ``force``)."""
        if self._net is None or self.recorder is None:
            return
        if not force and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._record_latest()
        kind = self.kind.currentData()
        names = tuple(self._picked) if kind == "weights" and len(self._picked) == 2 else None
        iterations, points = self.recorder.frozen()
        job = SurfaceJob(self._net.get_params(), self._data.X_train, self._data.Y_train, points, kind, names,
                         self.grid.value(), self.span.value() or None, iterations[-1], self._generation)
        if self._surface is None:  # nothing drawn yet for this network: say what is coming
            self.info.setText(f"Computing the cost surface through θ at iteration {job.iteration:,}…")
        if self._running is not None or self._held:
            self._pending = job
            return
        self._running = job
        self.worker.compute(job)

    def hold(self):
        """Keep surface requests waiting (the latest one) until ``release``: the window holds them until it is on
        screen, so that loading the kernels in the surface's thread does not hold up its first paint."""
        self._held = True

    def release(self):
        self._held = False
        if self._running is None:
            self._next_job()

    def set_other_runs(self, runs):
        """Pinned runs [(name, colour, path: a tuple of θ)] to draw on the surface, where their θ fit this network."""
        self._other_runs = list(runs)
        self._draw_overlays()

    def _draw_overlays(self):
        if self._surface is None:
            return
        paths = []
        for name, colour, path in getattr(self, "_other_runs", []):
            if path and len(path[0]) == self._surface.centre.size:
                paths.append((name, colour, self._projection(path)))
        self.view.set_overlays(paths)

    @property
    def busy(self):
        """Whether a surface is being computed or waits its turn."""
        return self._running is not None or self._pending is not None

    def close_thread(self):
        """End the surface thread, waiting for a surface being computed."""
        self._pending = None
        return self._thread.close()

    # -- results --------------------------------------------------------------------------------------------
    def _next_job(self):
        self._running, self._pending = self._pending, None
        if self._running is not None:
            self.worker.compute(self._running)

    def _on_ready(self, surface, job, seconds):
        self.surfaces_computed += 1
        self._next_follow = time.perf_counter() + min(max(FOLLOW_GAP, seconds / FOLLOW_SHARE), FOLLOW_WAIT)
        self._next_job()
        if job.generation != self._generation:
            return  # computed for a network that has since been replaced
        self._surface, self._surface_job = surface, job
        self._projection = Projection(surface.centre, surface.plane)
        self._path_xy = surface.path
        self._drawn_iteration = job.iteration
        self.view.set_surface(surface)
        if self._showing_3d:
            self.view_3d.set_surface(surface, self.log.isChecked())
        self.info.setText(self._describe(surface, job))
        self._draw_overlays()
        self.surface_shown.emit(surface)

    def _on_failed(self, message, job):
        self._next_job()
        if job.generation != self._generation:
            return
        self.info.setText(f"<span style='color:#b00020'>{message}</span>")

    def _describe(self, surface, job):
        plane = surface.plane
        where = f"through θ at iteration {job.iteration:,}; computed in {1000 * surface.seconds:.0f} ms"
        if plane.kind == "weights":
            first, second = plane.labels
            if self._net.theta_.size == 2:
                return (f"J({first}, {second}) exactly: the model has these two parameters only. "
                        f"The white line is the path gradient descent took ({job.iteration:,} iterations).")
            return (f"J as {first} and {second} vary, the other parameters held {where}. Click two links "
                    "(weights) or neurons (biases) in the diagram to pick others.")
        if plane.kind == "pca":
            return (f"J over the plane the path spans most: its two principal components hold "
                    f"{100 * plane.explained[0]:.1f}% and {100 * plane.explained[1]:.1f}% of the path's variance; "
                    f"centred {where}.")
        return (f"J along two random directions, each neuron's scaled to the norm of its weights (biases fixed), "
                f"centred {where}.")

    @property
    def _showing_3d(self):
        return self.view_3d is not None and self.stack.currentWidget() is self.view_3d

    def _on_log(self, log):
        self.view.set_log(log)
        if self._showing_3d and self._surface is not None:
            self.view_3d.set_surface(self._surface, log)
            self.view_3d.set_path(self._path_xy)

    def _on_three_d(self, on):
        if on and not opengl_available():
            self.three_d.blockSignals(True)
            self.three_d.setChecked(False)
            self.three_d.blockSignals(False)
            self.info.setText("3-D needs OpenGL, which this display does not offer: the 2-D view shows the same "
                              "surface.")
            return
        if on and self.view_3d is None:
            self.view_3d = Surface3DView()
            self.stack.addWidget(self.view_3d)
        self.stack.setCurrentWidget(self.view_3d if on else self.view)
        if on and self._surface is not None:
            self.view_3d.set_surface(self._surface, self.log.isChecked())
            self.view_3d.set_path(self._path_xy)

    def view_state(self):
        """The view's choices (plane, grid, range, colours, following), as an opened session restores them."""
        return {"kind": self.kind.currentData(), "grid": self.grid.value(), "span": self.span.value(),
                "log": self.log.isChecked(), "follow": self.follow.isChecked(), "every": self.every.value()}

    def set_view_state(self, state):
        """Set the controls of ``view_state`` (all but the plane, which ``set_network`` takes) without drawing."""
        for box, key in ((self.log, "log"), (self.follow, "follow")):
            if key in state:
                with QSignalBlocker(box):
                    box.setChecked(bool(state[key]))
        for spin, key in ((self.grid, "grid"), (self.span, "span"), (self.every, "every")):
            if key in state:
                with QSignalBlocker(spin):
                    spin.setValue(state[key])
        self.view.set_log(self.log.isChecked())

    def _on_plane_changed(self):
        self.request(force=True)

    def _kind_index(self, kind):
        return [k for k, _ in KINDS].index(kind)

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self.request()
        else:
            self.refresh()

