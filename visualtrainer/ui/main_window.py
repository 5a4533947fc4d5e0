"""The main window: the parts put together. The session (app layer) holds the state; the views render it; the
training controller, the presenters and the commands do the work. Its public methods are the commands its menus,
toolbar and drops call."""

import numpy as np
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from visualtrainer.app.session import Session
from visualtrainer.app.session_io import SUFFIX as SESSION_SUFFIX
from visualtrainer.app.settings import RELOAD_FIELDS, RESET_FIELDS, Settings
from visualtrainer.data import BUILTIN_DATASETS
from visualtrainer.core import team

from .errors import attempt
from .files.commands import FileCommands
from .files.dialogs import paths_to_open
from .files.sessions import SessionCommands
from .collector import Collector
from .gil import SwitchInterval
from .first_paint import AfterFirstPaint
from .insight.curvature_view import CurvatureView
from .insight.layers_view import LayersView
from .insight.parts import Insight
from .layout import lay_out
from .loans import PaintLoans
from .raster import paint_on_one_thread
from .learn.lessons import LessonController, LessonPanel
from .learn.runs import RunsView, run_colour
from .learn.sweep import SweepView
from .learn.sweep_controller import SweepController
from .menus import build_menus
from .network.activation_plot import ActivationPlot
from .network.graph_view import GraphView
from .network.network_view import NetworkView
from .network.neuron_detail import NeuronDetail
from .network.parameter_editor import DiagramEditing
from .network.presenter import NetworkPresenter, NetworkViews
from .network.weight_pictures import WeightPictures
from .pictures.commands import PictureCommands
from .pictures.dataset_panel import DatasetPanel
from .pictures.drop_classifier import DropClassifier
from .pictures.mistakes_view import MistakesView
from .status import StatusParts
from .store import first_launch, remember, restore_layout, saved_settings
from .surface.surface_panel import SurfacePanel
from .training.boundary_plot import BoundaryPlot
from .training.controller import TrainingController
from .training.controls import ControlPanel
from .training.cost_plot import CostPlot
from .training.feedback import TrainingFeedback
from .training.presenter import ProgressPresenter
from .training.toolbar import TrainingBar


def _build_views(window):
    """The window's views, before they are laid out."""
    s = window.session
    window.controls = ControlPanel(s.settings.copy())
    window.lesson_panel = LessonPanel()
    window.network_view = NetworkView()
    window.neuron_detail = NeuronDetail()
    window.cost_plot = CostPlot()
    window.boundary_plot = BoundaryPlot()
    window.activation_plot = ActivationPlot()
    window.weight_pictures = WeightPictures()
    window.drop_classifier = DropClassifier()
    window.surface_panel = SurfacePanel(s.view.surface)
    window.mistakes_view = MistakesView()
    window.dataset_panel = DatasetPanel(s.draft)
    window.graph_view = GraphView()
    window.runs_view = RunsView(s.runs)
    window.sweep_view = SweepView()
    window.layers_view = LayersView()
    window.curvature_view = CurvatureView()
    window.setAcceptDrops(True)


class MainWindow(QMainWindow):
    """visualtrainer's window; ``store`` is where settings and layout are remembered (QSettings)."""

    training_finished = Signal(object)  # the last Progress (or None) once training stopped
    pictures_done = Signal(int)  # after dropped pictures or a folder were read (0: cancelled or failed)
    sweep_finished = Signal(int)  # the number of runs a sweep finished
    progress_shown = Signal(object)  # in the window's thread, after the worker's progress arrived

    def __init__(self, store=None, settings=None):
        super().__init__()
        team.quiet_blas()
        paint_on_one_thread()  # before the first paint (``raster``)
        self.paint_loans = PaintLoans(self)
        self.setWindowTitle("visualtrainer")
        self.store = store if store is not None else QSettings("visualtrainer", "visualtrainer")
        self.session = Session(settings or saved_settings(self.store))
        self.training = TrainingController(self.session, self)  # first to hear of a new network: it stops training
        _build_views(self)
        lay_out(self)
        self.toolbar = TrainingBar(self)
        self.addToolBar(Qt.TopToolBarArea, self.toolbar)
        self.status = StatusParts(self.statusBar())
        self.network = NetworkPresenter(self.session, NetworkViews(
            self.network_view, self.activation_plot, self.weight_pictures, self.boundary_plot, self.neuron_detail,
            self.graph_view, self.surface_panel, self.lower_tabs, self.toolbar.example), self.show_message)
        self.parameters = DiagramEditing(self)
        self.presenter = ProgressPresenter(self.session, self.network, self.cost_plot, self.surface_panel,
                                           self.status, self.toolbar)
        self.presenter.setParent(self)  # its timers go with the window's views
        self.presenter.training_thread = lambda: self.training.worker.native_id
        self.pictures = PictureCommands(self)
        self.files = FileCommands(self)
        self.sessions = SessionCommands(self)
        self.sweeps = SweepController(self.session, self.sweep_view, self.show_message, self)
        self.lessons = LessonController(self)
        self.feedback = TrainingFeedback(self)
        self.insight = Insight(self)
        self._connect()
        build_menus(self)
        QApplication.instance().aboutToQuit.connect(self._shutdown)
        restore_layout(self.store, self)
        self.surface_panel.hold()
        self.collector = Collector(self)
        self.switch_interval = SwitchInterval()
        self.training_finished.connect(lambda _: self.collector.settle())
        # kernels loaded mid-run are settled as training stops, above
        self.training.warmed.connect(lambda _: None if self.training.training else self.collector.settle())
        AfterFirstPaint(self, self._after_first_paint)
        if not self.reset(reload=True, about="The remembered settings"):  # its file gone, say: on the defaults
            news = self.status.news
            self.reset(reload=True, settings=Settings())
            self.show_message(f"{news.rstrip('.')}; the window opened on the defaults.", error=True)
        if first_launch(self.store):  # the first launch opens on the list of lessons
            self.lesson_dock.show()

    def _connect(self):
        s, t, bar = self.session, self.training, self.toolbar
        s.network_changed.connect(self._on_network_changed)
        s.runs.pins_changed.connect(self._show_pinned_paths)
        t.progressed.connect(self.presenter.show)
        self.presenter.progress_shown.connect(self.progress_shown)
        bar.train_action.triggered.connect(self.toggle_training)
        bar.step_action.triggered.connect(self.step)
        bar.reset_action.triggered.connect(lambda: self.reset())
        bar.speed_changed.connect(t.set_speed)
        t.set_speed(bar.speed_value)
        bar.speed.valueChanged.connect(lambda index: setattr(s.view, "speed", index))
        self.lower_tabs.currentChanged.connect(lambda i: setattr(s.view, "tab", self.lower_tabs.tabText(i)))
        self.cost_plot.log_box.toggled.connect(lambda on: setattr(s.view, "log_cost", on))
        self.controls.changed.connect(self._on_setting_changed)
        self.controls.open_file_requested.connect(self.open_dataset)
        self.graph_view.step_requested.connect(self.step)
        self.dataset_panel.pictures_dropped.connect(self.read_into_class)
        self.dataset_panel.train_requested.connect(lambda: self.train_on_panel())
        self.dataset_panel.start_from_current.connect(self.edit_current_dataset)
        self.drop_classifier.selected.connect(self.network.show_picture)
        self.pictures.done.connect(self.pictures_done)
        self.sweeps.started.connect(lambda: self.lower_tabs.setCurrentWidget(self.sweep_view))
        self.sweeps.finished.connect(self.sweep_finished)

    # aliases the menus, the tests and the benchmarks use
    train_action = property(lambda self: self.toolbar.train_action)
    step_action = property(lambda self: self.toolbar.step_action)
    reset_action = property(lambda self: self.toolbar.reset_action)
    example = property(lambda self: self.toolbar.example)
    speed = property(lambda self: self.toolbar.speed)
    iteration_label = property(lambda self: self.toolbar.iteration_label)
    status_label = property(lambda self: self.status.counters)
    message_label = property(lambda self: self.status.message)
    busy = property(lambda self: self.status.busy)
    load_bar = property(lambda self: self.status.load_bar)
    cancel_button = property(lambda self: self.status.cancel_button)
    worker = property(lambda self: self.training.worker)

    def _after_first_paint(self):
        """The window is up: the garbage collector and the GIL on its terms (``Collector``, ``SwitchInterval``),
        then the background work starts."""
        self.collector.start()
        self.switch_interval.start()
        self.feedback.start_background()

    def workers(self):
        """The window's Workers (training, pictures, sweeps, cost surfaces), each with its QThread."""
        return [self.training.worker, self.pictures.worker, self.sweeps.worker, self.surface_panel.computer.worker,
                *self.insight.workers()]

    # -- a new network ----------------------------------------------------------------------------------------
    def reset(self, reload=False, settings=None, net=None, about=None):
        """New parameters for ``settings`` (default: the current ones), reloading the data when asked; or the loaded
        network ``net``. Stops any training. False (with a message, and nothing changed) when it cannot be done; the
        message names ``about`` (a file) when given."""
        wait = reload or self.session.data is None
        if wait:
            QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            done = attempt(self, lambda: self.session.reset(settings, reload=reload, net=net), about) is not None
        finally:
            if wait:
                QApplication.restoreOverrideCursor()
        if not done:
            self._show_settings()
        return done

    def _on_network_changed(self):
        """Every new network (reset, dataset, model, session) comes here once: what no presenter shows."""
        s, net = self.session, self.session.net
        self._show_settings()
        self.toolbar.set_training(False)
        self.surface_panel.set_network(s.spec, s.data, s.path)
        self._show_pinned_paths()
        self.cost_plot.set_history(net.costs_)
        self.cost_plot.add_accuracies(*s.accuracy.arrays())
        self._show_view()
        self.toolbar.set_iteration(net.n_iter_)
        self.status.show_dataset(s.data)
        self.mistakes_view.clear()
        if net.n_iter_:
            self.mistakes_view.show_results(s.data, s.model())
            self.status.show_counters(net.n_iter_, net.costs_[-1], s.accuracy.latest)
        self.pictures.reclassify()
        self.show_message("Ready: press Space to train.")
        self.feedback.warm_up()

    def _show_settings(self):
        """The settings panel shows the session's settings (a copy it edits)."""
        s = self.session
        if self.controls.settings != s.settings:
            self.controls.set_settings(s.settings.copy())
        self.controls.set_generated(s.settings.dataset in BUILTIN_DATASETS, s.splits)

    def _show_view(self):
        """The view's choices as the session has them (an opened session's)."""
        view = self.session.view
        self.show_tab(view.tab)
        self.toolbar.example.setValue(min(view.example, self.session.data.m - 1))
        self.toolbar.speed.setValue(view.speed)
        self.cost_plot.set_log_scale(view.log_cost)

    def _show_pinned_paths(self):
        """The pinned runs' descent paths on the cost surface (those of a network of this shape)."""
        self.surface_panel.set_other_runs([(run.name, run_colour(run.number), run.path)
                                           for run in self.session.runs.others_pinned()])

    def _on_setting_changed(self, name):
        settings = self.controls.settings.copy()
        suggested = settings.suggest_for_dataset() if name == "dataset" else None
        if name not in RESET_FIELDS:
            if attempt(self, lambda: self.session.set_live(settings) or True) is None:
                self._show_settings()
        elif self.reset(reload=name in RELOAD_FIELDS, settings=settings) and suggested:
            self.show_message(f"{settings.dataset}: {suggested}. Press Space to train.")

    # -- training ---------------------------------------------------------------------------------------------
    def toggle_training(self):
        self.training.toggle()

    def step(self):
        """One iteration, when not training."""
        self.training.step()

    # -- commands ---------------------------------------------------------------------------------------------
    def open_dataset(self, path=None):
        return self.files.open_dataset(path)

    def save_dataset(self, path=None):
        return self.files.save_dataset(path)

    def train_on_panel(self, path=None):
        """The Dataset tab's Save and train: the classes saved as one file, opened, and trained on."""
        if opened := self.files.train_on_panel(path):
            self.toggle_training()
        return opened

    def edit_current_dataset(self):
        return self.files.edit_current_dataset()

    def save_model(self, path=None):
        return self.files.save_model(path)

    def load_model(self, path=None):
        return self.files.load_model(path)

    def export_onnx(self, path=None):
        return self.files.export_onnx(path)

    def export_script(self, path=None):
        return self.files.export_script(path)

    def export_plot(self, path=None):
        return self.files.export_plot(path)

    def save_session(self, path=None):
        return self.sessions.save_session(path)

    def open_session(self, path=None):
        return self.sessions.open_session(path)

    def classify_pictures(self, paths=None):
        """Classify picture files (folders: the pictures in them) as cards; see PictureCommands."""
        paths = paths_to_open(self, paths, "Classify pictures", "Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp)")
        return self.pictures.classify_pictures(paths)

    def read_into_class(self, row, paths):
        return self.pictures.read_into_class(row, paths)

    def start_sweep(self, kind, text):
        return self.sweeps.start(kind, text)

    def apply_lesson(self, key):
        return self.lessons.apply(key)

    def show_lessons(self):
        self.lessons.show_index()

    def show_tab(self, name):
        """Show the lower tab called ``name`` (nothing happens for a name no tab has)."""
        for index in range(self.lower_tabs.count()):
            if self.lower_tabs.tabText(index) == name:
                self.lower_tabs.setCurrentIndex(index)

    def show_tab_of(self, widget):
        self.lower_tabs.setCurrentWidget(widget)

    def show_message(self, text, error=False):
        self.status.show_message(text, error)

    def about(self):
        import numba
        import PySide6
        import pyqtgraph

        from visualtrainer import __version__
        QMessageBox.about(self, "About visualtrainer",
                          f"<b>visualtrainer {__version__}</b><br>Watch a neural network learn.<br><br>"
                          f"numpy {np.__version__}, numba {numba.__version__}, PySide6 {PySide6.__version__}, "
                          f"pyqtgraph {pyqtgraph.__version__}")

    # -- drops and closing --------------------------------------------------------------------------------------
    def dragEnterEvent(self, event):
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
    dragMoveEvent = dragEnterEvent  # over any part of the window, the diagram included

    def dropEvent(self, event):
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        sessions = [path for path in paths if path.lower().endswith(SESSION_SUFFIX)]
        if sessions:  # a dropped session opens (the last one, when several are dropped)
            self.open_session(sessions[-1])
            paths = [path for path in paths if path not in sessions]
        if paths:
            self.classify_pictures(paths)

    def closeEvent(self, event):
        self._shutdown()
        super().closeEvent(event)

    def _shutdown(self):
        """Remember the settings and layout, then end every worker's thread (also when the application quits)."""
        if not self.training.worker.thread.isRunning():
            return
        self.presenter.stop()
        team.unlend()  # nothing more is drawn: a core this thread borrowed goes back to the team now
        self.collector.stop()
        self.switch_interval.stop()
        remember(self.store, self, self.session.settings)
        self.hide()
        self.surface_panel.close_thread()
        self.insight.close()
        self.sweeps.close()
        self.pictures.close()
        self.training.close()
