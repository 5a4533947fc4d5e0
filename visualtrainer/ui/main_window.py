"""The main window: settings on the left, the network in the centre, the plots around it, training in a thread."""

import json
import time

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QLabel, QMainWindow, QMessageBox, QProgressBar,
                               QPushButton, QSlider, QSpinBox, QSplitter, QTabWidget, QToolBar, QWidget)

from visualtrainer.core.surface import PATH_POINTS, parameter_index
from visualtrainer.data import BUILTIN_DATASETS, DatasetError

from .activation_plot import ActivationPlot
from .boundary_plot import BoundaryPlot
from .controls import ControlPanel
from .cost_plot import CostPlot
from .drop_classifier import DropClassifier
from .file_actions import FileActions
from .menus import build_menus
from .dataset_panel import DatasetPanel
from .graph_view import GraphView
from .runs import RunsView, run_colour
from visualtrainer.app.sweeps import parse_values, shown
from .sweep import SweepView, SweepWorker
from visualtrainer.app.lessons import lesson, lesson_settings
from .lessons import LessonPanel
from .mistakes_view import MistakesView
from .network_view import NetworkView
from .picture_loader import PictureLoader
from .neuron_detail import NeuronDetail
from visualtrainer.app.session import Session
from .session_actions import SessionActions
from visualtrainer.app.settings import RESET_FIELDS, Settings
from .surface_panel import SurfacePanel
from .weight_pictures import WeightPictures
from .worker import Job, TrainingWorker, WorkerThread

SPEEDS = [1, 2, 5, 10, 30, 100, 300, 1000, 3000, 10000, 0]  # iterations a second; 0 = flat out
REDRAW_MS = 33  # at most 30 frames a second, as the worker sends progress
# The diagram and the counters: five times a second shows the weights changing, and leaves the cores to the
# training (on the cat network every millisecond the window draws costs the training about one).
SLOW_SECONDS = 0.2
PICTURES_SECONDS = 0.5  # the weight pictures: twice a second is enough to watch them form
# The descent path on the cost surface, when the training keeps every core busy: it moves slowly across the surface,
# and drawing it five times a second cost 3 ms each time (more than the diagram); for small networks, every frame.
PATH_SECONDS = 0.5


class _AfterFirstPaint(QObject):
    """Calls ``then`` once ``window`` has been painted for the first time: after the repaint that its first paint
    event opens, in which the widgets paint too (a timer started in showEvent fired before any of it)."""

    def __init__(self, window, then):
        super().__init__(window)
        self._then = then
        window.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)  # after this repaint
        return False


class MainWindow(FileActions, SessionActions, QMainWindow):
    """visualtrainer's window; ``store`` is where settings and layout are remembered (QSettings)."""

    training_finished = Signal(object)
    pictures_done = Signal(int)  # after dropped pictures or a folder were read (0: cancelled or failed)
    sweep_finished = Signal(int)  # the number of runs a sweep finished
    progress_shown = Signal(object)  # in the window's thread, after the worker's progress arrived

    def __init__(self, store=None, settings=None):
        super().__init__()
        self.setWindowTitle("visualtrainer")
        self.store = store if store is not None else QSettings("visualtrainer", "visualtrainer")
        self.session = Session(settings or self._saved_settings())
        self._latest = None
        self._dirty = False
        self.frames_drawn = 0  # redraws that showed new progress (for benchmarks)
        self._pending_grid = None
        self._reading_for = None  # a class row of the dataset panel, while reading pictures for it
        self._accuracy = (None, None)
        self._slow_drawn = 0.0
        self._pictures_drawn = self._path_drawn = 0.0
        self._dirty_slow = False
        self._rate = (0.0, 0, 0.0)  # (time, iteration, iterations a second)
        self._background_started = False  # kernels and the first surface wait until the window is painted
        self._worker = WorkerThread(TrainingWorker(), "training", stop="stop")
        self.worker = self._worker.worker
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.warmed.connect(self._on_warmed)
        self._loader_thread = WorkerThread(PictureLoader(), "pictures", stop="cancel")
        self.loader = self._loader_thread.worker
        self.loader.progress.connect(self._on_load_progress)
        self.loader.pictures_read.connect(self._on_pictures_read)
        self.loader.folder_read.connect(self._on_folder_read)
        self.loader.cancelled.connect(self._on_load_cancelled)
        self.loader.failed.connect(self._on_load_failed)

        self.network_view = NetworkView()
        self.neuron_detail = NeuronDetail()
        self.cost_plot = CostPlot()
        self.boundary_plot = BoundaryPlot()
        self.activation_plot = ActivationPlot()
        self.weight_pictures = WeightPictures()
        self.drop_classifier = DropClassifier()
        self.surface_panel = SurfacePanel()
        self.mistakes_view = MistakesView()
        self.dataset_panel = DatasetPanel()
        self.graph_view = GraphView()
        self.runs_view = RunsView()
        self.runs_view.pins_changed.connect(self._show_pinned_paths)
        self._sweep_thread = WorkerThread(SweepWorker(), "sweep", stop="cancel")
        self.sweeper = self._sweep_thread.worker
        self.sweeper.run_done.connect(self._on_sweep_run)
        self.sweeper.finished.connect(self._on_sweep_finished)
        self.sweep_view = SweepView()
        self.sweep_view.sweep_requested.connect(self.start_sweep)
        self.sweep_view.sweep_cancelled.connect(lambda: self.sweeper.cancel())  # at once, not queued
        self.graph_view.step_requested.connect(self.step)
        self.dataset_panel.pictures_dropped.connect(self.read_into_class)
        self.dataset_panel.train_requested.connect(lambda: self.train_on_panel())
        self.dataset_panel.start_from_current.connect(self.edit_current_dataset)
        self.drop_classifier.selected.connect(self._on_picture_selected)
        self.setAcceptDrops(True)
        self.controls = ControlPanel(self.session.settings)
        self.lesson_panel = LessonPanel()
        self.lesson_panel.lesson_chosen.connect(self.apply_lesson)
        self._build_layout()
        self._build_toolbar()
        self._build_status()
        build_menus(self)
        self.controls.changed.connect(self._on_setting_changed)
        self.controls.open_file_requested.connect(self.open_dataset)
        self.network_view.neuron_clicked.connect(self._on_neuron_clicked)
        self.network_view.link_clicked.connect(self._on_link_clicked)

        # Drawing follows the worker's progress, at most every REDRAW_MS: no timer ticks while nothing changes.
        self._redraw = QTimer(self, singleShot=True)
        self._redraw.timeout.connect(self._on_redraw)
        self._last_frame = 0.0
        QApplication.instance().aboutToQuit.connect(self._shutdown)
        geometry, state = self.store.value("window/geometry"), self.store.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        if state is not None:
            self.restoreState(state)
        self.surface_panel.hold()
        _AfterFirstPaint(self, self._start_background)
        self.reset(reload=True)
        if self.store.value("lessons/seen") is None:  # the first launch opens on the list of lessons
            self.lesson_dock.show()
            self.store.setValue("lessons/seen", True)

    def _start_background(self):
        """Load the kernels and compute the first cost surface in their threads, now that the window is painted."""
        self._background_started = True
        self.surface_panel.release()
        self._warm_up()

    def _warm_up(self):
        if self.session.data is not None and self._background_started:
            self.busy.show()
            self.show_message("Preparing the training kernels (compiled on the first launch, then cached)…")
            self.worker.warm_up(self.session.settings.dtype, self.session.data.X_train.dtype == np.uint8)

    def _on_warmed(self):
        if not self.worker.busy:
            self.busy.hide()
            if self.message_label.text().startswith("Preparing"):  # keep any other news (a warning, say)
                self.show_message("Ready: press Space to train.")

    # -- layout ---------------------------------------------------------------------------------------------
    def _build_layout(self):
        dock = QDockWidget("Settings", self)
        dock.setObjectName("settings_dock")
        dock.setWidget(self.controls)
        dock.setMinimumWidth(self.controls.widget().sizeHint().width() + 24)  # never a scroll bar across it
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(Qt.LeftDockWidgetArea, dock)
        self.settings_dock = dock
        lessons = QDockWidget("Lesson", self)
        lessons.setObjectName("lesson_dock")
        lessons.setWidget(self.lesson_panel)
        self.addDockWidget(Qt.LeftDockWidgetArea, lessons)
        lessons.hide()
        self.lesson_dock = lessons

        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.surface_panel, "Cost surface")
        self.lower_tabs.addTab(self.activation_plot, "Activations")
        self.lower_tabs.addTab(self.neuron_detail, "Neuron")
        self.lower_tabs.addTab(self.drop_classifier, "Pictures")
        self.lower_tabs.addTab(self.mistakes_view, "Mistakes")
        self.lower_tabs.addTab(self.runs_view, "Runs")
        self.lower_tabs.addTab(self.sweep_view, "Sweep")
        self.lower_tabs.addTab(self.graph_view, "Graph")
        self.lower_tabs.addTab(self.dataset_panel, "Dataset")
        self.lower_tabs.currentChanged.connect(lambda _: self._show_graph())
        centre = QSplitter(Qt.Vertical)
        centre.addWidget(self.network_view)
        centre.addWidget(self.lower_tabs)
        centre.setStretchFactor(0, 1)
        centre.setStretchFactor(1, 1)
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.boundary_plot)
        right.addWidget(self.weight_pictures)
        right.addWidget(self.cost_plot)
        main = QSplitter(Qt.Horizontal)
        main.addWidget(centre)
        main.addWidget(right)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        self.splitter = main
        self.setCentralWidget(main)

    def _build_toolbar(self):
        bar = QToolBar("Training", self)
        bar.setObjectName("training_toolbar")
        bar.setMovable(False)
        self.addToolBar(Qt.TopToolBarArea, bar)
        self.train_action = QAction("▶ Train", self, shortcut=QKeySequence(Qt.Key_Space),
                                    toolTip="Train or pause (Space)", triggered=self.toggle_training)
        self.step_action = QAction("Step", self, shortcut=QKeySequence(Qt.Key_S),
                                   toolTip="One iteration (S)", triggered=self.step)
        self.reset_action = QAction("↺ Reset", self, shortcut=QKeySequence(Qt.Key_R),
                                    toolTip="New random parameters (R)", triggered=lambda: self.reset())
        for action in (self.train_action, self.step_action, self.reset_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addWidget(QLabel(" speed "))
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(len(SPEEDS) - 1)
        self.speed.setFixedWidth(160)
        self.speed.valueChanged.connect(self._on_speed)
        bar.addWidget(self.speed)
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(90)
        bar.addWidget(self.speed_label)
        bar.addSeparator()
        bar.addWidget(QLabel(" example "))
        self.example = QSpinBox()
        self.example.setToolTip("The training example whose activations the diagram shows")
        self.example.valueChanged.connect(lambda _: (self._show_example(), self._show_graph()))
        bar.addWidget(self.example)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy().Preferred)
        bar.addWidget(spacer)
        self.iteration_label = QLabel("iteration 0")
        self.iteration_label.setFixedWidth(210)  # a fixed size: a new number must not re-lay the window out
        self.iteration_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.iteration_label.setStyleSheet("font-size: 15px; font-weight: 600; padding-right: 12px;")
        bar.addWidget(self.iteration_label)
        self._on_speed(self.speed.value())

    def _build_status(self):
        self.status_label = QLabel()
        self.status_label.setFixedWidth(560)
        self.message_label = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.statusBar().addWidget(self.status_label)
        self.statusBar().addWidget(self.message_label, 1)
        self.statusBar().addPermanentWidget(self.busy)
        self.load_bar = QProgressBar()
        self.load_bar.setMaximumWidth(220)
        self.load_bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop reading the pictures (Esc); nothing is changed")
        self.cancel_button.setShortcut(QKeySequence(Qt.Key_Escape))
        self.cancel_button.clicked.connect(lambda: self.loader.cancel())  # now, not queued behind the reading
        for widget in (self.load_bar, self.cancel_button):
            widget.hide()
            self.statusBar().addPermanentWidget(widget)

    # -- settings -------------------------------------------------------------------------------------------
    def _saved_settings(self):
        raw = self.store.value("session/settings")
        try:
            return Settings.from_dict(json.loads(raw)) if raw else Settings()
        except (TypeError, ValueError):
            return Settings()

    def _on_setting_changed(self, name):
        if name == "dataset":
            self.session.suggest_for_dataset()
            self.controls.set_settings(self.session.settings)
        if name in RESET_FIELDS:
            self.reset(reload=name in ("dataset", "noise", "test_fraction", "seed"))
        else:
            self.session.apply_live()
            self.worker.speed = SPEEDS[self.speed.value()]

    def _on_speed(self, position):
        speed = SPEEDS[position]
        self.worker.speed = speed
        self.speed_label.setText("flat out" if speed == 0 else f"{speed} it/s")

    # -- training -------------------------------------------------------------------------------------------
    def reset(self, reload=False, net=None, path=None, plane=None):
        """New parameters for the current settings (reloading the data when asked); stops any training.

        With ``net`` (a loaded model or session), that network instead, with its cost history, and ``path`` =
        (iterations, points) the way it came on the cost surface, ``plane`` the surface's plane kind.
        """
        self._stop_worker()
        try:
            if reload or self.session.data is None:
                QApplication.setOverrideCursor(Qt.WaitCursor)
                try:
                    self.session.load_data()
                finally:
                    QApplication.restoreOverrideCursor()
            net = self.session.build_network() if net is None else self.session.use_network(net)
        except (DatasetError, ValueError, OSError) as error:
            self.show_message(str(error), error=True)
            return False
        data = self.session.data
        self.controls.set_generated(self.session.settings.dataset in BUILTIN_DATASETS, self.session.splits)
        self.network_view.set_architecture(net.layer_dims, net.activations, data.image_shape)
        self.network_view.set_params(net.params_)
        self.activation_plot.set_activations(net.activations)
        self.surface_panel.set_network(net, data, path, plane)
        self.runs_view.start_run(self.session.settings.to_dict(), net.layer_dims)
        self._show_pinned_paths()
        self.mistakes_view.clear()
        self.cost_plot.set_history(net.costs_)
        self.example.setRange(0, data.m - 1)
        self._show_data()
        self._latest = None
        self._accuracy, self._pending_grid = (None, None), None
        self._rate = (time.perf_counter(), 0, 0.0)
        self.iteration_label.setText(f"iteration {net.n_iter_:,}")
        self.status_label.setText(f"{data.name}: {data.m} training, {data.m_test} test examples, n_x = {data.n_x}")
        if net.n_iter_:
            self.mistakes_view.show_results(data, net)
            self._show_status(net.n_iter_, net.costs_[-1])
        self.show_message("Ready: press Space to train.")
        self._update_predictions_now()
        self._show_graph()
        self._warm_up()
        return True

    def _show_data(self):
        data = self.session.data
        if data.n_x == 2:
            self.boundary_plot.set_grid(*self.session.grid)
            self.boundary_plot.set_data(data.X_train, data.Y_train, data.X_test, data.Y_test, max(2, data.n_classes))
        elif data.n_x == 1:
            self.boundary_plot.set_regression(data.X_train, data.Y_train)
        self.boundary_plot.setVisible(data.n_x <= 2)
        self.weight_pictures.setVisible(data.image_shape is not None)
        if data.image_shape is not None:
            net = self.session.net
            self.weight_pictures.set_architecture(net.layer_dims[1], data.image_shape)
            self.weight_pictures.set_weights(net.params_["W1"])

    def _job(self, n_iterations):
        data, net = self.session.data, self.session.net
        grid_X, grid_shape = self.session.grid_points()
        trace_every = max(1, self.session.settings.iterations // PATH_POINTS)
        return Job(net, data.X_train, data.Y_train, n_iterations, data.X_test, data.Y_test, grid_X, grid_shape,
                   trace_every)

    def toggle_training(self):
        if self.worker.busy:
            self.worker.pause()
            return
        if self.session.net is None:
            return
        left = self.session.settings.iterations - self.session.net.n_iter_
        if left <= 0 or self.session.net.stop_reason_ in ("diverged",):
            left = self.session.settings.iterations
        self._start(left)

    def step(self):
        """One iteration, when not training."""
        if not self.worker.busy and self.session.net is not None:
            self._start(1)

    def _start(self, n_iterations):
        self.worker.speed = SPEEDS[self.speed.value()]
        if self.worker.start(self._job(n_iterations)):
            self.train_action.setText("❚❚ Pause")
            self.busy.show()
            self.show_message("Training… (the first run compiles the kernels, later runs start at once)")
            self._rate = (time.perf_counter(), self.session.net.n_iter_, self._rate[2])

    def _stop_worker(self):
        if self.worker.busy:
            self.worker.stop()
            deadline = time.perf_counter() + 5
            while self.worker.busy and time.perf_counter() < deadline:
                QThread.msleep(5)
            QApplication.processEvents()

    def _on_progress(self, progress):
        assert QThread.currentThread() is self.thread()
        snap = progress.snapshot
        self.cost_plot.append_costs(snap.first_iteration, np.asarray(snap.costs))
        if progress.train_accuracy is not None:  # the worker rations these: keep the last ones
            self.cost_plot.add_accuracy(snap.iteration, progress.train_accuracy, progress.test_accuracy)
            self._accuracy = (progress.train_accuracy, progress.test_accuracy)
        if progress.grid is not None:
            self._pending_grid = progress.grid
        self.surface_panel.add_snapshot(snap)
        self._latest = progress
        self._dirty = True
        self._schedule_redraw()
        if self.busy.isVisible():  # the busy bar is for compiling and loading: its animation costs frames
            self.busy.hide()
            self.show_message("Training…")
        self.progress_shown.emit(progress)

    def _on_finished(self, progress):
        self.train_action.setText("▶ Train")
        self.busy.hide()
        net = self.session.net
        if progress is not None:
            self._latest = progress
            self._dirty = True
            self._on_redraw()
            self.cost_plot.fit_to_data()
        self.mistakes_view.show_results(self.session.data, net)
        recorder = self.surface_panel.recorder
        self.runs_view.update_current(net.costs_, *self._accuracy, recorder.frozen()[1] if recorder else ())
        self._show_graph()
        if progress is not None and progress.paused:
            self.show_message(f"Paused at iteration {net.n_iter_}: Space goes on, S steps.")
        elif net.stop_reason_ == "diverged":
            self.show_message(net.stop_message_.capitalize(), error=True)
        elif net.stop_message_:
            self.show_message(net.stop_message_.capitalize())
        self.training_finished.emit(progress)

    def _on_failed(self, message):
        self.train_action.setText("▶ Train")
        self.busy.hide()
        self.show_message(message, error=True)

    # -- drawing --------------------------------------------------------------------------------------------
    def _schedule_redraw(self):
        wait_ms = REDRAW_MS - (time.perf_counter() - self._last_frame) * 1000
        if wait_ms <= 0:
            self._on_redraw()
        elif not self._redraw.isActive() or self._redraw.remainingTime() > wait_ms + 1:
            self._redraw.start(int(wait_ms) + 1)  # (the timer may be waiting for the slower diagram: sooner)

    def _on_redraw(self):
        """Draw the latest progress: the plots every frame (~30 a second), the diagram and texts ~10 a second."""
        self._last_frame = time.perf_counter()
        if not self._dirty:
            if self._dirty_slow:
                self._slow_drawn = time.perf_counter()
                self._draw_slow()
            return
        if self._latest is None:
            return
        self._dirty = False
        self.frames_drawn += 1
        self.cost_plot.refresh()
        if self._pending_grid is not None:
            grid, self._pending_grid = self._pending_grid, None
            self._draw_grid(grid)
        now = time.perf_counter()
        if now - self._slow_drawn < SLOW_SECONDS and self._latest.snapshot.stop_reason is None:
            self._dirty_slow = True
            if not self._redraw.isActive():  # come back for the diagram even if no progress follows
                self._redraw.start(int((SLOW_SECONDS - (now - self._slow_drawn)) * 1000) + 1)
            return
        self._slow_drawn = now
        self._draw_slow()

    def _draw_slow(self):
        """The diagram, the selected example's activations and the counters."""
        self._dirty_slow = False
        snap, now = self._latest.snapshot, time.perf_counter()
        self.network_view.set_params(snap.params)
        if not self.weight_pictures.isHidden() and (snap.stop_reason is not None
                                                 or now - self._pictures_drawn >= PICTURES_SECONDS):
            self._pictures_drawn = now
            self.weight_pictures.set_weights(snap.params["W1"])
        then, before, rate = self._rate
        if now - then > 0.5 or snap.stop_reason is not None:
            rate = (snap.iteration - before) / max(now - then, 1e-9) if snap.iteration > before else rate
            self._rate = (now, snap.iteration, rate)
        self.iteration_label.setText(f"iteration {snap.iteration:,}")
        self._show_status(snap.iteration, snap.cost, rate)
        self._show_example()
        every = PATH_SECONDS if self.session.net.trains_on_all_cores(self.session.data.m) else 0.0
        if snap.stop_reason is not None or now - self._path_drawn >= every:
            self._path_drawn = now
            self.surface_panel.refresh(finished=snap.stop_reason is not None)
        self._show_graph()

    def _show_status(self, iteration, cost, rate=None):
        """The status bar's counters: iteration, cost, the latest accuracies, iterations a second."""
        parts = [f"iteration {iteration:,}", f"cost {cost:.6f}"]
        parts += [f"{name} {value:.1f}%" for name, value in zip(("train", "test"), self._accuracy) if value is not None]
        if rate is not None:
            parts.append(f"{rate:,.0f} it/s")
        self.status_label.setText("   ".join(parts))

    def show_tab(self, name):
        """Show the lower tab called ``name`` (nothing happens for a name no tab has)."""
        for index in range(self.lower_tabs.count()):
            if self.lower_tabs.tabText(index) == name:
                self.lower_tabs.setCurrentIndex(index)

    def _update_predictions_now(self):
        """Draw the boundary of freshly drawn parameters (before any training).

        With numpy (``forward_layers``), not the compiled kernels: at launch their first call would load them from
        the cache in this thread (0.3 s before the window showed); the worker loads them meanwhile.
        """
        net, (grid_X, shape) = self.session.net, self.session.grid_points()
        if grid_X is None:
            return
        self._draw_grid(net.forward_layers(grid_X)[-1][1].reshape((-1, *shape)))
        self._show_example()

    def _draw_grid(self, P):
        """The network's output over the grid, P (n_y, *grid shape): class regions for 2-D data, ŷ(x) for one feature."""
        P = np.asarray(P)
        if self.session.data.n_x == 2:
            self.boundary_plot.set_probabilities(P)
        else:
            self.boundary_plot.set_curve(self.session.grid, P.ravel())

    def start_sweep(self, kind, text):
        """One run per value of ``kind`` from the current settings, trained in the sweep's thread."""
        try:
            values = parse_values(kind, text)
        except ValueError as error:
            self.show_message(str(error).capitalize(), error=True)
            return False
        if self.session.data is None:
            self.show_message("Open or pick a dataset first: a sweep trains on it.", error=True)
            return False
        if self.sweeper.busy:
            self.show_message("A sweep is already running: wait for it, or Cancel.", error=True)
            return False
        self._sweep_total = len(values)
        self.sweeper.start(self.session.settings, self.session.data, kind, values)
        self.sweep_view.started(kind, values)
        self.lower_tabs.setCurrentWidget(self.sweep_view)
        self.show_message(f"Sweeping {kind}: {len(values)} runs of {self.session.settings.iterations:,} iterations "
                          "each, in the background.")
        return True

    def _on_sweep_run(self, run):
        self.runs_view.add_run(run.settings.to_dict(), run.layer_dims, run.costs, run.train_accuracy,
                               run.test_accuracy, run.path, label=f"{self.sweep_view.swept} {shown(run.value)}")
        self.sweep_view.add_result(run.value, run.train_accuracy, run.test_accuracy, run.final_cost)

    def _on_sweep_finished(self, done):
        self.sweep_view.ended(done, self._sweep_total)
        self.show_message(self.sweep_view.status.text())
        self.sweep_finished.emit(done)

    def _show_pinned_paths(self):
        """The pinned runs' descent paths on the cost surface (those of a network of this shape)."""
        current = self.runs_view.current
        self.surface_panel.set_other_runs([(run.name, run_colour(run.number), run.path)
                                           for run in self.runs_view.pinned() if run is not current])

    def _show_graph(self):
        """The computation graph of the latest step, when its tab is showing."""
        net = self.session.net
        if net is None or self.lower_tabs.currentWidget() is not self.graph_view:
            return
        snap = self._latest.snapshot if self._latest is not None else None
        try:
            self.graph_view.show_graph(net, self.session.data, self.example.value(),
                                       snap.params if snap is not None else None, net.n_iter_)
        except (KeyError, ValueError):  # a snapshot of the previous network, before its reset
            self.graph_view.show_graph(net, self.session.data, self.example.value(), None, net.n_iter_)

    def _show_example(self):
        """Shade the diagram by the chosen training example's activations (from the snapshot while training)."""
        net, data = self.session.net, self.session.data
        if net is None:
            return
        params = self._latest.snapshot.params if self._latest is not None else None
        i = min(self.example.value(), data.m - 1)
        try:
            layers = net.forward_layers(data.X_train[:, i : i + 1], params)
        except (KeyError, ValueError):  # a snapshot of the previous network, before its reset
            return
        x = data.X_train[:, i] / 255.0 if data.X_train.dtype == np.uint8 else data.X_train[:, i]
        self.network_view.set_example_activations([x] + [A[:, 0] for _, A in layers])

    def apply_lesson(self, key):
        """Set up the lesson ``key`` (a dataset, a network, settings) and show its text."""
        try:
            item = lesson(key)
        except KeyError:
            return False
        self._stop_worker()
        self.session.settings = lesson_settings(item, self.session.settings)
        self.controls.set_settings(self.session.settings)
        if not self.reset(reload=True):
            return False
        self.show_tab(item.tab)
        if item.plane is not None:
            self.surface_panel.kind.setCurrentIndex(self.surface_panel.kind.findData(item.plane))
        if item.sweep is not None:
            self.sweep_view.kind.setCurrentText(item.sweep[0])
            self.sweep_view.values.setText(item.sweep[1])
        self.lesson_panel.show_lesson(item)
        self.lesson_dock.show()
        self.show_message(f"Lesson: {item.title}. Press Space to train.")
        return True

    def show_lessons(self):
        self.lesson_panel.show_index()
        self.lesson_dock.show()

    def _on_link_clicked(self, layer, unit, source):
        """A weight picked for the cost surface's plane."""
        self.lower_tabs.setCurrentWidget(self.surface_panel)
        self.surface_panel.pick_parameter(parameter_index(f"W{layer}[{unit},{source}]", self.session.net.layer_dims))

    def _on_neuron_clicked(self, layer, unit):
        net, data = self.session.net, self.session.data
        if self.lower_tabs.currentWidget() is self.surface_panel and self.surface_panel.picking:  # its bias
            self.surface_panel.pick_parameter(parameter_index(f"b{layer}[{unit}]", net.layer_dims))
            return
        self.lower_tabs.setCurrentWidget(self.neuron_detail)
        title = f"A[{layer}] unit {unit + 1}"
        if data.n_x == 2:
            xx, yy = self.session.grid
            layers = net.forward_layers(np.vstack([xx.ravel(), yy.ravel()]))
            values = layers[layer - 1][1][unit].reshape(xx.shape)
            self.neuron_detail.show_plane(xx, yy, values, f"{title}: its output over the plane")
        elif data.image_shape is not None and layer == 1:
            self.neuron_detail.show_weights(net.params_["W1"][unit], data.image_shape,
                                            f"{title}: its incoming weights W[1]")
        else:
            self.show_message(f"{title}: pictures show the first layer's units (or any unit, for 2-D data).")

    def show_message(self, text, error=False):
        self.message_label.setStyleSheet("color: #b00020; font-weight: 600;" if error else "")
        self.message_label.setText(text)

    def about(self):
        import numba
        import PySide6
        import pyqtgraph

        from visualtrainer import __version__
        QMessageBox.about(self, "About visualtrainer",
                          f"<b>visualtrainer {__version__}</b><br>Watch a neural network learn.<br><br>"
                          f"numpy {np.__version__}, numba {numba.__version__}, PySide6 {PySide6.__version__}, "
                          f"pyqtgraph {pyqtgraph.__version__}")

    def closeEvent(self, event):
        self._shutdown()
        super().closeEvent(event)

    def _shutdown(self):
        """Remember the settings and layout, then end the training thread (also when the application quits)."""
        if not self._worker.thread.isRunning():
            return
        self._redraw.stop()
        self.store.setValue("session/settings", json.dumps(self.session.settings.to_dict()))
        self.store.setValue("window/geometry", self.saveGeometry())
        self.store.setValue("window/state", self.saveState())
        self.store.sync()
        self.hide()
        self.surface_panel.close_thread()
        self._sweep_thread.close()
        self._loader_thread.close()
        self._worker.close()
