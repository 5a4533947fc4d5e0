"""The runs kept side by side (the session's RunList): a table with each run's settings, costs and accuracy, and
the pinned runs' cost curves overlaid in one plot (their descent paths go on the cost surface)."""

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..axes import short_axes
from ..training.series import peak_curve

COLOURS = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (140, 86, 75),
           (227, 119, 194), (127, 127, 127)]
COLUMNS = ["pin", "run", "network", "α", "optimiser", "iterations", "cost", "train", "test"]


def run_colour(number):
    return COLOURS[(number - 1) % len(COLOURS)]


class RunsView(QWidget):
    """The runs of ``run_list`` (a table; tick *pin* to keep a run and overlay it) over the pinned runs' cost curves.
    It shows the list as it changes; ticking a pin pins the run in the list."""

    def __init__(self, run_list, parent=None):
        super().__init__(parent)
        self.run_list = run_list
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.plot = pg.PlotWidget(axisItems=short_axes())
        self.plot_item = self.plot.getPlotItem()
        self.plot_item.setLabel("bottom", "iteration")
        self.plot_item.setLabel("left", "cost J")
        self.plot_item.setTitle("pinned runs (and the current one)")
        self.plot_item.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot_item.addLegend(offset=(-10, 10), brush=(255, 255, 255, 210), labelTextSize="8pt")
        self.curves = {}  # run number -> PlotDataItem
        self._drawn = {}  # run number -> (its costs, the curve drawn of them)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.plot)
        split.setSizes([140, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        run_list.changed.connect(self._on_changed)

    @property
    def runs(self):
        return self.run_list.runs

    @property
    def current(self):
        return self.run_list.current

    def pinned(self):
        return self.run_list.pinned()

    def set_pinned(self, number, pinned=True):
        self.run_list.set_pinned(number, pinned)

    def _on_changed(self):
        self._fill_table()
        self.redraw()

    # -- drawing ------------------------------------------------------------------------------------------------
    def redraw(self):
        shown = {run.number: run for run in self.pinned()}
        if self.current is not None:
            shown[self.current.number] = self.current
        for number in list(self.curves):
            if number not in shown:
                self.plot_item.removeItem(self.curves.pop(number))
                self._drawn.pop(number, None)
        self.legend.clear()
        for number, run in sorted(shown.items()):
            colour = run_colour(number)
            curve = self.curves.get(number)
            if curve is None:
                curve = self.curves[number] = self.plot_item.plot(pen=pg.mkPen(colour, width=2))
            curve.setData(*self._curve(run))
            curve.setPen(pg.mkPen(colour, width=2 if run.pinned else 1.4, style=Qt.SolidLine if run.pinned
                                  else Qt.DashLine))
            self.legend.addItem(curve, run.name + ("" if run.pinned else " (current)"))

    def _curve(self, run):
        """The run's cost curve as drawn (``peak_curve``: a run of millions of iterations, drawn point by point,
        held the window up for a tenth of a second), kept while its costs stay the same."""
        kept = self._drawn.get(run.number)
        if kept is None or kept[0] is not run.costs:
            kept = self._drawn[run.number] = (run.costs, peak_curve(run.costs))
        return kept[1]

    def _fill_table(self):
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.runs))
        for row, run in enumerate(reversed(self.runs)):  # the newest first
            s = run.settings
            pin = QTableWidgetItem()
            pin.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled)
            pin.setCheckState(Qt.Checked if run.pinned else Qt.Unchecked)
            pin.setData(Qt.UserRole, run.number)
            cells = [run.name, "-".join(map(str, run.layer_dims)), f"{s['learning_rate']:g}", s["optimizer"],
                     f"{len(run.costs):,}", f"{run.costs[-1]:.4f}" if len(run.costs) else "",
                     "" if run.train_accuracy is None else f"{run.train_accuracy:.1f}%",
                     "" if run.test_accuracy is None else f"{run.test_accuracy:.1f}%"]
            self.table.setItem(row, 0, pin)
            for column, text in enumerate(cells, start=1):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)

    def _on_item_changed(self, item):
        if item.column() == 0:
            self.run_list.set_pinned(item.data(Qt.UserRole), item.checkState() == Qt.Checked)
