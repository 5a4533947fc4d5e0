"""The Sweep tab: what to sweep and over which values, then each run's accuracy as a chart and its final cost in a
table, as the runs come in."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from visualtrainer.app.sweeps import SWEEPS, shown

from ..axes import short_axes
from .runs import COLOURS


class SweepView(QWidget):
    """What to sweep and over which values, then each run's accuracy (a chart) and final cost (a table)."""

    sweep_requested = Signal(str, str)  # kind, the values as typed
    sweep_cancelled = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.addItems(list(SWEEPS))
        self.values = QLineEdit(SWEEPS["learning rate"][1])
        self.kind.currentTextChanged.connect(self._on_kind)
        self._on_kind(self.kind.currentText())
        self.start_button = QPushButton("Run sweep")
        self.start_button.setToolTip("Train one run per value, from the current settings, in the background; "
                                     "each run is pinned in the Runs tab")
        self.start_button.clicked.connect(lambda: self.sweep_requested.emit(self.kind.currentText(),
                                                                            self.values.text()))
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(lambda: self.sweep_cancelled.emit())
        self.cancel_button.hide()
        self.status = QLabel("Train the same network once per value of one setting, the rest as in the settings "
                             "panel.")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        for widget in (QLabel("sweep"), self.kind, self.values, self.start_button, self.cancel_button):
            row.addWidget(widget)
        row.setStretch(2, 1)
        self.plot = pg.PlotWidget(axisItems=short_axes())
        self.plot.setMinimumSize(160, 120)
        self.plot_item = self.plot.getPlotItem()
        self.plot_item.setLabel("left", "accuracy (%)")
        self.plot_item.showGrid(x=False, y=True, alpha=0.2)
        self.plot_item.getViewBox().setDefaultPadding(0.08)  # the markers at the edges stay whole
        # the legend as the title: inside the plot it would sit on the points of some sweep or other
        self.plot_item.setTitle(f"<span style='color:{pg.mkColor(COLOURS[0]).name()}'>● train</span> &nbsp; "
                                f"<span style='color:{pg.mkColor(COLOURS[1]).name()}'>▼ test</span>", size="9pt")
        self.train_curve = self.plot_item.plot(pen=pg.mkPen(COLOURS[0], width=2), symbol="o",
                                               symbolBrush=COLOURS[0])
        self.test_curve = self.plot_item.plot(pen=pg.mkPen(COLOURS[1], width=2, style=Qt.DashLine), symbol="t",
                                              symbolBrush=COLOURS[1])
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["value", "train", "test", "final J"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setMinimumWidth(240)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.plot)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.swept = None  # the kind of the sweep shown
        self.results = []  # (value, train %, test %, final cost)

    def set_sweep(self, kind, values):
        """Set up a sweep of ``kind`` over ``values`` (as typed), ready to run."""
        self.kind.setCurrentText(kind)
        self.values.setText(values)

    def _on_kind(self, kind):
        allowed, default = SWEEPS[kind]
        self.values.setText(default)
        self.values.setToolTip(f"Values separated by commas: {allowed}")

    def started(self, kind, values):
        self.swept, self.results = kind, []
        self.start_button.setEnabled(False)
        self.cancel_button.show()
        self.table.setRowCount(0)
        self.train_curve.setData([], [])
        self.test_curve.setData([], [])
        self.plot_item.setLabel("bottom", kind)
        self.status.setText(f"Sweeping {kind} over {len(values)} values…")

    def add_result(self, value, train, test, cost):
        """One run's result: drawn on the chart (accuracy against the value) and added to the table."""
        self.results.append((value, train, test, cost))
        xs = np.arange(len(self.results))
        self.plot_item.getAxis("bottom").setTicks([[(k, shown(r[0])) for k, r in enumerate(self.results)]])
        self.train_curve.setData(xs, [np.nan if r[1] is None else r[1] for r in self.results])
        self.test_curve.setData(xs, [np.nan if r[2] is None else r[2] for r in self.results])
        self.plot_item.setXRange(-0.4, len(xs) - 0.6, padding=0)
        row = self.table.rowCount()
        self.table.insertRow(row)
        cells = [shown(value)] + ["" if v is None else f"{v:.1f}%" for v in (train, test)] + [f"{cost:.4f}"]
        for column, text in enumerate(cells):
            self.table.setItem(row, column, QTableWidgetItem(text))
        accuracy = f", {train:.1f}% train, {test:.1f}% test" if train is not None and test is not None else ""
        self.status.setText(f"Sweeping {self.swept}: {len(self.results)} done; {shown(value)} gave J = {cost:.4f}{accuracy}.")

    def ended(self, done, total):
        """The sweep ended after ``done`` of ``total`` runs; returns what the tab says about it."""
        self.start_button.setEnabled(True)
        self.cancel_button.hide()
        text = (f"Sweep done: {done} of {total} runs, each pinned in the Runs tab." if done == total
                else f"Sweep stopped after {done} of {total} runs.")
        self.status.setText(text)
        return text
