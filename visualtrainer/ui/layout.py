"""Where the window's parts go: the settings and lesson docks on the left, the diagram over the lower tabs in the
centre, the boundary, weight pictures and cost plots on the right."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QDockWidget, QProxyStyle, QSplitter, QStyle, QStyleFactory,
                               QTabWidget)

#: The lower tabs, in order: (the window's attribute, the tab's text).
TABS = [("surface_panel", "Cost surface"), ("activation_plot", "Activations"), ("neuron_detail", "Neuron"),
        ("drop_classifier", "Pictures"), ("mistakes_view", "Mistakes"), ("runs_view", "Runs"),
        ("sweep_view", "Sweep"), ("graph_view", "Graph"), ("dataset_panel", "Dataset"), ("layers_view", "Layers"),
        ("curvature_view", "Curvature")]

RIGHT_WIDTH = 250  # pixels: the cost plot's axes and two-column legend


class _TightTabs(QProxyStyle):
    """The application's style with less room beside a tab's text: the eleven lower tabs fit 1280 pixels' width
    without scroll arrows (Fusion leaves 24 pixels a tab)."""

    def pixelMetric(self, metric, option=None, widget=None):
        if metric == QStyle.PM_TabBarTabHSpace:
            return 10
        return super().pixelMetric(metric, option, widget)


def _dock(window, title, name, widget):
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    window.addDockWidget(Qt.LeftDockWidgetArea, dock)
    return dock


def lay_out(window):
    """Place ``window``'s views; sets its ``settings_dock``, ``lesson_dock``, ``lower_tabs`` and ``splitter``."""
    window.settings_dock = _dock(window, "Settings", "settings_dock", window.controls)
    controls = window.controls.widget()  # as narrow as its fields allow, with no scroll bar across
    window.settings_dock.setMinimumWidth(controls.minimumSizeHint().width() + 24)
    window.resizeDocks([window.settings_dock], [controls.minimumSizeHint().width() + 24], Qt.Horizontal)
    window.settings_dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
    window.lesson_dock = _dock(window, "Lesson", "lesson_dock", window.lesson_panel)
    window.lesson_dock.hide()
    window.lower_tabs = QTabWidget()
    tight = _TightTabs(QStyleFactory.create(QApplication.style().name()))
    tight.setParent(window.lower_tabs.tabBar())
    window.lower_tabs.tabBar().setStyle(tight)
    window.lower_tabs.tabBar().setFocusPolicy(Qt.ClickFocus)  # a click on a tab takes the focus from a field
    # Narrower than the eleven tabs need (1024 pixels), each keeps its place with its label shortened and whole in
    # its tooltip, rather than some hiding behind scroll arrows.
    window.lower_tabs.tabBar().setUsesScrollButtons(False)
    window.lower_tabs.tabBar().setElideMode(Qt.ElideRight)
    for attribute, text in TABS:
        window.lower_tabs.setTabToolTip(window.lower_tabs.addTab(getattr(window, attribute), text), text)
    centre = QSplitter(Qt.Vertical)
    centre.addWidget(window.network_view)
    centre.addWidget(window.lower_tabs)
    centre.setStretchFactor(0, 1)
    centre.setStretchFactor(1, 1)
    right = QSplitter(Qt.Vertical)
    for widget in (window.boundary_plot, window.weight_pictures, window.cost_plot):
        right.addWidget(widget)
    right.setMinimumWidth(RIGHT_WIDTH)  # plots are clipped, not shrunk, below what their axes and legends need
    window.splitter = QSplitter(Qt.Horizontal)
    window.splitter.addWidget(centre)
    window.splitter.addWidget(right)
    window.splitter.setStretchFactor(0, 3)
    window.splitter.setStretchFactor(1, 2)
    window.setCentralWidget(window.splitter)
