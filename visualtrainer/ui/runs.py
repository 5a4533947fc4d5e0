"""Every training run kept side by side: a list with each run's settings, costs, accuracy and path; pinned runs'
cost curves overlaid in one plot (and their descent paths on the cost surface, where the network has their shape).
"""

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

MAX_RUNS = 40  # the oldest unpinned runs make room beyond this
COLOURS = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (140, 86, 75),
           (227, 119, 194), (127, 127, 127)]
COLUMNS = ["pin", "run", "network", "α", "optimiser", "iterations", "cost", "train", "test"]


def run_colour(number):
    return COLOURS[(number - 1) % len(COLOURS)]


@dataclass
class Run:
    """One training run: how it was set up and what came of it (``costs`` grows as it trains)."""

    number: int
    settings: dict
    layer_dims: tuple
    costs: np.ndarray = field(default_factory=lambda: np.zeros(0))
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    path: tuple = ()  # θ along the way (a tuple of flat arrays), for the cost surface
    pinned: bool = False
    from_sweep: bool = False
    label: str = ""  # what sets the run apart (a sweep's value); else its dataset, α and optimiser

    def to_state(self):
        """The run as JSON-able values (its costs and path are arrays, saved beside them)."""
        return {"number": self.number, "settings": self.settings, "layer_dims": list(self.layer_dims),
                "train": self.train_accuracy, "test": self.test_accuracy, "pinned": self.pinned,
                "from_sweep": self.from_sweep, "label": self.label}

    @classmethod
    def from_state(cls, state, costs, path=()):
        """The Run of ``to_state`` with its costs (k,) and path (a sequence of flat θ)."""
        return cls(int(state["number"]), dict(state["settings"]), tuple(int(n) for n in state["layer_dims"]),
                   np.asarray(costs, dtype=np.float64), state.get("train"), state.get("test"), tuple(path),
                   bool(state.get("pinned")), bool(state.get("from_sweep")), str(state.get("label") or ""))

    @property
    def name(self):
        if self.label:
            return f"#{self.number} {self.label}"
        s = self.settings
        return f"#{self.number} {s['dataset'].split('/')[-1]} α={s['learning_rate']:g} {s['optimizer']}"


class RunsView(QWidget):
    """The run list (a table; tick *pin* to keep a run and overlay it) over the pinned runs' cost curves."""

    pins_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runs = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.plot = pg.PlotWidget()
        self.plot_item = self.plot.getPlotItem()
        self.plot_item.setLabel("bottom", "iteration")
        self.plot_item.setLabel("left", "cost J")
        self.plot_item.setTitle("pinned runs (and the current one)")
        self.plot_item.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot_item.addLegend(offset=(-10, 10), brush=(255, 255, 255, 210), labelTextSize="8pt")
        self.curves = {}  # run number -> PlotDataItem
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.plot)
        split.setSizes([140, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    # -- the list -----------------------------------------------------------------------------------------------
    def start_run(self, settings, layer_dims):
        """A new run (a new network); returns it. The oldest unpinned runs go beyond MAX_RUNS."""
        number = max(run.number for run in self.runs) + 1 if self.runs else 1
        run = Run(number, dict(settings), tuple(int(n) for n in layer_dims))
        self.runs.append(run)
        while len(self.runs) > MAX_RUNS:
            oldest = next((r for r in self.runs if not r.pinned and r is not run), None)
            if oldest is None:
                break
            self.runs.remove(oldest)
        self._fill_table()
        self.redraw()
        return run

    def add_run(self, settings, layer_dims, costs, train=None, test=None, path=(), pinned=True, label=""):
        """A finished run from elsewhere (a sweep): kept below the current one, pinned to be compared."""
        number = max(run.number for run in self.runs) + 1 if self.runs else 1
        run = Run(number, dict(settings), tuple(int(n) for n in layer_dims), np.array(costs, dtype=np.float64),
                  train, test, tuple(path), pinned, from_sweep=True, label=label)
        self.runs.append(run)
        self._fill_table()
        self.redraw()
        if pinned:
            self.pins_changed.emit()
        return run

    def set_runs(self, runs):
        """Replace the whole list (an opened session's runs); the newest run not from a sweep is the current one."""
        self.runs = [run for run in runs if run is not None]
        self._fill_table()
        self.redraw()
        self.pins_changed.emit()

    @property
    def current(self):
        """The window's own run (the newest one it started; sweep runs sit below it)."""
        own = [run for run in self.runs if not run.from_sweep]
        return own[-1] if own else None

    def update_current(self, costs, train=None, test=None, path=()):
        run = self.current
        if run is None:
            return
        run.costs = np.array(costs, dtype=np.float64)
        run.train_accuracy, run.test_accuracy = train, test
        if path:
            run.path = path
        self._fill_table()
        self.redraw()

    def set_pinned(self, number, pinned=True):
        for run in self.runs:
            if run.number == number:
                run.pinned = bool(pinned)
        self._fill_table()
        self.redraw()
        self.pins_changed.emit()

    def pinned(self):
        return [run for run in self.runs if run.pinned]

    # -- drawing ------------------------------------------------------------------------------------------------
    def redraw(self):
        shown = {run.number: run for run in self.pinned()}
        if self.current is not None:
            shown[self.current.number] = self.current
        for number in list(self.curves):
            if number not in shown:
                self.plot_item.removeItem(self.curves.pop(number))
        self.legend.clear()
        for number, run in sorted(shown.items()):
            colour = run_colour(number)
            curve = self.curves.get(number)
            if curve is None:
                curve = self.curves[number] = self.plot_item.plot(pen=pg.mkPen(colour, width=2))
            curve.setData(np.arange(len(run.costs)), run.costs)
            curve.setPen(pg.mkPen(colour, width=2 if run.pinned else 1.4, style=Qt.SolidLine if run.pinned
                                  else Qt.DashLine))
            self.legend.addItem(curve, run.name + ("" if run.pinned else " (current)"))

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
            self.set_pinned(item.data(Qt.UserRole), item.checkState() == Qt.Checked)
