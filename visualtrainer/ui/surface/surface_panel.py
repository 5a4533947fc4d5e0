"""The cost surface panel: its controls, the surface through the latest θ, and the path training took on it.

The path is the session's (``DescentPath``); surfaces are worked out by a ``SurfaceComputer`` in a thread of their
own. While training runs, "follow" re-centres the surface on the current θ every N iterations, rationed so that
surfaces take a small share of the time.
"""

import time

import numpy as np
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QSpinBox,
                               QStackedWidget, QVBoxLayout, QWidget)

from visualtrainer.app.view import PLANE_KINDS, SurfaceChoices
from visualtrainer.core.surface import parameter_names

from ..captions import SteadyLabel
from ..loans import borrow_a_core
from .computer import SurfaceComputer, SurfaceJob
from .surface_3d import Surface3DView, opengl_available
from .surface_view import SurfaceView

#: What the plane menu says for each kind of plane.
KIND_TEXT = {"pca": "path's plane (PCA)", "weights": "two parameters", "random": "random directions"}
# Following spends at most FOLLOW_SHARE of the time on surfaces: a surface of a large network competes with its
# training for the cores (the training waits while it is computed), so it is recomputed every few seconds while
# the path grows (12288-7-1's take 60-110 ms: one every 6 s); a small one's take milliseconds, and follow every
# FOLLOW_GAP.
FOLLOW_SHARE = 0.01
FOLLOW_GAP = 0.25  # at least this long (s) between two surfaces …
FOLLOW_WAIT = 6.0  # … and never longer than this (the first surface also loads the compiled kernels)


def describe(surface, job, exact):
    """What the panel says about ``surface`` (``exact``: the model has these two parameters only)."""
    plane = surface.plane
    where = f"through θ at iteration {job.iteration:,}; computed in {1000 * surface.seconds:.0f} ms"
    if plane.kind == "weights":
        first, second = plane.labels
        if exact:
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


class SurfacePanel(QWidget):
    """Controls over a ``SurfaceView``; ``set_network`` gives it the network, data and path to draw. The controls
    edit ``choices`` (kept in the session's view)."""

    surface_shown = Signal(object)  # after a new surface is drawn

    def __init__(self, choices=None, parent=None):
        super().__init__(parent)
        self.choices = choices if choices is not None else SurfaceChoices()
        self._build_controls()
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
                row.addWidget(widget, 1 if widget is self.kind else 0)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(self.info.box)
        layout.addWidget(self.stack, 1)
        self.computer = SurfaceComputer(self)
        self.computer.ready.connect(self._on_ready)
        self.computer.failed.connect(self._on_failed)
        self.computer.computed.connect(self._on_computed)
        self._spec = self._data = self._path = None
        self._picked, self.other_runs = [], []
        self.surface = self.surface_job = None
        self._next_follow = 0.0
        self._stale = False
        self.surfaces_computed = 0
        self.show_choices()
        self._connect()

    def _build_controls(self):
        self.kind = QComboBox()
        for kind in PLANE_KINDS:
            self.kind.addItem(KIND_TEXT[kind], kind)
        self.kind.setToolTip("Which plane of parameter space the surface shows")
        self.kind.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.kind.setMaximumWidth(self.kind.sizeHint().width())  # grows to show every choice whole where there is room
        self.kind.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)  # narrow windows: elided
        self.kind.setMinimumContentsLength(10)
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
        self.info = SteadyLabel(lines=2)  # a surface's caption: two lines at the window's usual width
        self.info.setStyleSheet("color: #444;")

    def _connect(self):
        c = self.choices
        self.kind.currentIndexChanged.connect(lambda _: (setattr(c, "kind", self.kind.currentData()),
                                                         self.request(force=True)))
        self.grid.valueChanged.connect(lambda value: (setattr(c, "grid", value), self.request()))
        self.span.valueChanged.connect(lambda value: (setattr(c, "span", value), self.request()))
        self.log.toggled.connect(self._on_log)
        self.follow.toggled.connect(lambda on: setattr(c, "follow", on))
        self.every.valueChanged.connect(lambda value: setattr(c, "every", value))
        self.three_d.toggled.connect(self._on_three_d)
        self.recompute.clicked.connect(lambda: self.request(force=True))

    def show_choices(self):
        """Show ``choices`` in the controls (all but the plane, which ``set_network`` takes), without drawing."""
        c = self.choices
        for box, on in ((self.log, c.log), (self.follow, c.follow)):
            with QSignalBlocker(box):
                box.setChecked(bool(on))
        for spin, value in ((self.grid, c.grid), (self.span, c.span), (self.every, c.every)):
            with QSignalBlocker(spin):
                spin.setValue(value)
        self.view.set_log(c.log)

    # -- from the window ------------------------------------------------------------------------------------
    def set_network(self, spec, data, path):
        """A new network (or data): draw the surface through its θ, on ``choices.kind`` (the exact J(w, b) for two
        parameters; the path's plane unless the choice is another plane that needs no picking).

        ``spec`` is a Network with the network's settings (never the one being trained), ``path`` the session's
        DescentPath, which starts at the network's θ.
        """
        self._spec, self._data, self._path = spec, data, path
        self.computer.generation += 1
        self._picked, self.surface = [], None
        self.view.clear()
        self.show_choices()
        kind = self.choices.kind
        if path.n_params == 2 or kind not in ("pca", "random"):  # two picked weights are picked anew
            kind = "weights" if path.n_params == 2 else "pca"
        with QSignalBlocker(self.kind):
            self.kind.setCurrentIndex(PLANE_KINDS.index(kind))
        self.choices.kind = kind
        self.request(force=True)

    def set_plane(self, kind):
        """Show the plane ``kind`` ("pca", "weights" or "random"), as if picked in the menu."""
        self.kind.setCurrentIndex(PLANE_KINDS.index(kind))

    def refresh(self, finished=False):
        """Extend the drawn path to the latest θ; re-centre when following (or when training just ended)."""
        if self._path is None or self._path.latest is None:
            return
        # Until the first surface comes, or while another tab is shown (the path is drawn when this one is, in
        # showEvent), only the final surface is asked for: it queues behind the first, or waits for the tab.
        if self.surface is None or not self.isVisible():
            if finished:
                self.request()
            return
        iterations, points = self._path.after(self._drawn_iteration)
        if iterations.size:
            self._path_xy = np.vstack([self._path_xy, self._projection(points)])
            self._drawn_iteration = int(iterations[-1])
            self.view.set_path(self._path_xy)
            if self._showing_3d:
                self.view_3d.set_path(self._path_xy)
        due = (self.choices.follow and self._drawn_iteration - self.surface_job.iteration >= self.choices.every
               and time.perf_counter() >= self._next_follow)
        if finished or due:
            self.request()

    @property
    def picking(self):
        """Whether the plane is two parameters, so that a click on a neuron in the diagram picks its bias."""
        return self.choices.kind == "weights"

    def pick_parameter(self, index):
        """A weight or bias picked in the diagram (its index in θ): the last two picked span the plane."""
        if self._spec is None:
            return
        if index in self._picked:
            self._picked.remove(index)
        self._picked = (self._picked + [int(index)])[-2:]
        if len(self._picked) == 2:
            if self.choices.kind != "weights":
                self.set_plane("weights")  # requests the surface
            else:
                self.request(force=True)
        else:
            name = parameter_names(self._spec.layer_dims)[index]
            self.info.setText(f"Picked {name}: click one more link (a weight) or neuron (its bias).")

    def request(self, force=False):
        """Compute the surface for the current choices, centred on the latest θ (when visible, or ``force``)."""
        if self._spec is None:
            return
        if not force and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        c = self.choices
        names = tuple(self._picked) if c.kind == "weights" and len(self._picked) == 2 else None
        iterations, points = self._path.frozen()
        job = SurfaceJob(self._spec.get_params(), self._data.X_train, self._data.Y_train, points, c.kind, names,
                         c.grid, c.span or None, iterations[-1], self.computer.generation)
        if self.surface is None:  # nothing drawn yet for this network: say what is coming
            self.info.setText(f"Computing the cost surface through θ at iteration {job.iteration:,}…")
        self.computer.request(job)

    def hold(self):
        """Keep surface requests waiting (the latest one) until ``release``: the window holds them until it is on
        screen, so that loading the kernels in the surface's thread does not hold up its first paint."""
        self.computer.hold()

    def release(self):
        self.computer.release()

    def set_other_runs(self, runs):
        """Pinned runs [(name, colour, path: a tuple of θ)] to draw on the surface, where their θ fit this network."""
        self.other_runs = list(runs)
        self._draw_overlays()

    @property
    def busy(self):
        """Whether a surface is being computed or waits its turn."""
        return self.computer.busy

    def close_thread(self):
        """End the surface thread, waiting for a surface being computed."""
        return self.computer.close()

    # -- results --------------------------------------------------------------------------------------------
    def _on_computed(self, seconds):
        self.surfaces_computed += 1
        self._next_follow = time.perf_counter() + min(max(FOLLOW_GAP, seconds / FOLLOW_SHARE), FOLLOW_WAIT)

    def _on_ready(self, surface, job, seconds, pictures=None):
        borrow_a_core()  # a new picture, its axes and contours: the window's longest work while training
        self.surface, self.surface_job = surface, job
        self._projection = surface.projection
        self._path_xy = surface.path
        self._drawn_iteration = job.iteration
        self.view.set_surface(surface, pictures, staged=True)
        if self._showing_3d:
            self.view_3d.set_surface(surface, self.choices.log)
        self.info.setText(describe(surface, job, self._path.n_params == 2))
        self._draw_overlays()
        self.surface_shown.emit(surface)

    def _on_failed(self, message):
        self.info.setText(f"<span style='color:#b00020'>{message}</span>")

    def _draw_overlays(self):
        if self.surface is None:
            return
        paths = []
        for name, colour, path in self.other_runs:
            if path and len(path[0]) == self.surface.centre.size:
                paths.append((name, colour, self._projection(path)))
        self.view.set_overlays(paths)

    @property
    def _showing_3d(self):
        return self.view_3d is not None and self.stack.currentWidget() is self.view_3d

    def _on_log(self, log):
        self.choices.log = log
        self.view.set_log(log)
        if self._showing_3d and self.surface is not None:
            self.view_3d.set_surface(self.surface, log)
            self.view_3d.set_path(self._path_xy)

    def _on_three_d(self, on):
        if on and not opengl_available():
            with QSignalBlocker(self.three_d):
                self.three_d.setChecked(False)
            self.info.setText("3-D needs OpenGL, which this display does not offer: the 2-D view shows the same "
                              "surface.")
            return
        if on and self.view_3d is None:
            self.view_3d = Surface3DView()
            self.stack.addWidget(self.view_3d)
        self.stack.setCurrentWidget(self.view_3d if on else self.view)
        if on and self.surface is not None:
            self.view_3d.set_surface(self.surface, self.choices.log)
            self.view_3d.set_path(self._path_xy)

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self.request()
        else:
            self.refresh()
