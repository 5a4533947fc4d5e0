"""Where the window's parts go: the settings and lesson docks on the left, the diagram over the lower tabs in the
centre, the boundary, weight pictures and cost plots on the right."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QSplitter, QTabWidget

#: The lower tabs, in order: (the window's attribute, the tab's text).
TABS = [("surface_panel", "Cost surface"), ("activation_plot", "Activations"), ("neuron_detail", "Neuron"),
        ("drop_classifier", "Pictures"), ("mistakes_view", "Mistakes"), ("runs_view", "Runs"),
        ("sweep_view", "Sweep"), ("graph_view", "Graph"), ("dataset_panel", "Dataset"), ("layers_view", "Layers"),
        ("curvature_view", "Curvature")]


def _dock(window, title, name, widget):
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    window.addDockWidget(Qt.LeftDockWidgetArea, dock)
    return dock


def lay_out(window):
    """Place ``window``'s views; sets its ``settings_dock``, ``lesson_dock``, ``lower_tabs`` and ``splitter``."""
    window.settings_dock = _dock(window, "Settings", "settings_dock", window.controls)
    window.settings_dock.setMinimumWidth(window.controls.widget().sizeHint().width() + 24)  # no scroll bar across
    window.settings_dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
    window.lesson_dock = _dock(window, "Lesson", "lesson_dock", window.lesson_panel)
    window.lesson_dock.hide()
    window.lower_tabs = QTabWidget()
    for attribute, text in TABS:
        window.lower_tabs.addTab(getattr(window, attribute), text)
    centre = QSplitter(Qt.Vertical)
    centre.addWidget(window.network_view)
    centre.addWidget(window.lower_tabs)
    centre.setStretchFactor(0, 1)
    centre.setStretchFactor(1, 1)
    right = QSplitter(Qt.Vertical)
    for widget in (window.boundary_plot, window.weight_pictures, window.cost_plot):
        right.addWidget(widget)
    window.splitter = QSplitter(Qt.Horizontal)
    window.splitter.addWidget(centre)
    window.splitter.addWidget(right)
    window.splitter.setStretchFactor(0, 3)
    window.splitter.setStretchFactor(1, 2)
    window.setCentralWidget(window.splitter)
