"""The cost J against iteration, falling live, with train and test accuracy below it."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

# One-pixel pens: Qt draws them on its fast path (a 1.5 px pen made a 3000-point curve 3x slower to paint).
COST_PEN = pg.mkPen("#1f4e9c", width=1)
TRAIN_PEN = pg.mkPen("#1b7f74", width=1)
TEST_PEN = pg.mkPen("#d1495b", width=1, style=pg.QtCore.Qt.DashLine)


def _nice_above(value):
    """The smallest of 1, 2, 5 × 10^k at or above ``value``."""
    power = 10 ** np.floor(np.log10(max(value, 1.0)))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


class _Series:
    """A growing (x, y) series with amortised doubling: appending costs O(new points)."""

    def __init__(self):
        self._x = np.empty(1024)
        self._y = np.empty(1024)
        self.n = 0

    def extend(self, x, y):
        k = len(x)
        if self.n + k > len(self._x):
            size = max(2 * len(self._x), self.n + k)
            self._x = np.resize(self._x, size)
            self._y = np.resize(self._y, size)
        self._x[self.n : self.n + k] = x
        self._y[self.n : self.n + k] = y
        self.n += k

    @property
    def x(self):
        return self._x[: self.n]

    @property
    def y(self):
        return self._y[: self.n]

    def clear(self):
        self.n = 0


class CostPlot(QWidget):
    """J(iteration) on top (linear or log), accuracy in percent below, sharing the iteration axis."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._costs = _Series()
        self._stale = self._accuracy_stale = False
        self._x_end, self._y_range, self._acc_range = 0.0, (np.inf, -np.inf), None
        self._train = _Series()
        self._test = _Series()
        self.graphics = pg.GraphicsLayoutWidget()
        self.cost_view = self.graphics.addPlot(row=0, col=0)
        self.cost_view.setLabel("left", "cost J")
        self.cost_view.getAxis("left").enableAutoSIPrefix(False)
        self.cost_view.getAxis("left").setWidth(52)
        self.cost_view.setDownsampling(auto=True, mode="peak")
        self.cost_view.setClipToView(True)
        self.cost_curve = self.cost_view.plot(pen=COST_PEN, name="J")
        self.cost_view.disableAutoRange()
        self.accuracy_view = self.graphics.addPlot(row=1, col=0)
        self.accuracy_view.setLabel("left", "accuracy (%)")
        self.accuracy_view.getAxis("left").setWidth(52)
        self.accuracy_view.setLabel("bottom", "iteration")
        self.accuracy_view.setXLink(self.cost_view)
        self.accuracy_view.addLegend(offset=(-10, -10))
        self.train_curve = self.accuracy_view.plot(pen=TRAIN_PEN, name="train")
        self.test_curve = self.accuracy_view.plot(pen=TEST_PEN, name="test")
        self.accuracy_view.disableAutoRange()
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.log_box = QCheckBox("log scale")
        self.log_box.toggled.connect(self.set_log_scale)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.log_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)
        layout.addLayout(bar)

    def append_costs(self, first_iteration, costs):
        """Add the costs of iterations first_iteration, first_iteration + 1, …"""
        costs = np.asarray(costs, dtype=np.float64)
        if len(costs) == 0:
            return
        self._costs.extend(np.arange(first_iteration, first_iteration + len(costs)), costs)
        self._stale = True

    def refresh(self):
        """Draw what was added since the last refresh (the window calls this at most ~30 times a second)."""
        if not self._stale:
            return
        self._stale = False
        self._draw_costs()
        if self._accuracy_stale:  # a few points a second: most frames leave these curves as they are
            self._accuracy_stale = False
            self.train_curve.setData(self._train.x, self._train.y)
            self.test_curve.setData(self._test.x, self._test.y)
        self._set_ranges()

    def _set_ranges(self):
        """Fit the views to the data, in steps: the x range doubles as the run passes it and the y range widens
        only when a cost leaves it, so the axes (the costliest part to draw) are redrawn rarely."""
        x, y = self._costs.x, self._costs.y
        finite = y[np.isfinite(y)]
        if self.log_box.isChecked():
            finite = np.log10(finite[finite > 0])
        if not len(x) or not len(finite):
            return
        x_end = self._x_end if x[-1] <= self._x_end else _nice_above(x[-1] * 1.25)
        low, high = finite.min(), finite.max()
        y_low, y_high = self._y_range
        if low < y_low or high > y_high or (high - low) < 0.5 * (y_high - y_low):
            pad = 0.05 * (high - low or 1.0)
            y_low, y_high = low - pad, high + pad
        if (x_end, (y_low, y_high)) != (self._x_end, self._y_range):
            self._x_end, self._y_range = x_end, (y_low, y_high)
            self.cost_view.setRange(xRange=(x[0], x_end), yRange=(y_low, y_high), padding=0)
        if self._train.n:
            acc = np.concatenate([self._train.y, self._test.y])
            window = (5 * np.floor(acc.min() / 5) - 2, min(5 * np.ceil(acc.max() / 5), 100) + 2)
            if window != self._acc_range:
                self._acc_range = window
                self.accuracy_view.setYRange(*window, padding=0)

    def fit_to_data(self):
        """Show exactly the iterations run (when training stops; while it runs the range grows in steps)."""
        x = self._costs.x
        if len(x):
            self._x_end = float(max(x[-1], x[0] + 1))
            self.cost_view.setXRange(x[0], self._x_end, padding=0.02)

    def _draw_costs(self):
        x, y = self._costs.x, self._costs.y
        shown = np.isfinite(y) & ((y > 0) | (not self.log_box.isChecked()))
        if shown.all():
            self.cost_curve.setData(x, y)
        else:
            self.cost_curve.setData(x[shown], y[shown])

    def add_accuracy(self, iteration, train, test=None):
        """One point of train (and test) accuracy in percent."""
        self._train.extend([iteration], [train])
        if test is not None:
            self._test.extend([iteration], [test])
        self._stale = self._accuracy_stale = True

    def set_history(self, costs):
        """Show a whole cost history at once (a loaded network's): the costs of iterations 0, 1, …"""
        self.clear()
        self.append_costs(0, costs)
        self.refresh()
        self.fit_to_data()

    def add_accuracies(self, train, test):
        """Add accuracy points at once (an opened session's): train and test as (iterations, percents)."""
        self._train.extend(*train)
        self._test.extend(*test)
        self._stale = self._accuracy_stale = True
        self.refresh()

    def clear(self):
        for series in (self._costs, self._train, self._test):
            series.clear()
        for curve in (self.cost_curve, self.train_curve, self.test_curve):
            curve.setData([], [])
        self._stale = self._accuracy_stale = False
        self._x_end, self._y_range, self._acc_range = 0.0, (np.inf, -np.inf), None

    def set_log_scale(self, on):
        """Log-scale the cost axis (the checkbox and View > Log-scale cost call this)."""
        if self.log_box.isChecked() != on:
            self.log_box.setChecked(on)
            return
        self.cost_view.setLogMode(y=on)
        self._y_range = (np.inf, -np.inf)
        self._draw_costs()
        self._set_ranges()

    def costs(self):
        """The recorded (iterations, costs)."""
        return self._costs.x.copy(), self._costs.y.copy()

    def accuracies(self):
        return self._train.x.copy(), self._train.y.copy(), self._test.x.copy(), self._test.y.copy()

    def export(self, path):
        """Save the plots as PNG or SVG, by the file's extension."""
        from pyqtgraph import exporters

        kind = exporters.SVGExporter if str(path).lower().endswith(".svg") else exporters.ImageExporter
        kind(self.graphics.scene()).export(str(path))


if __name__ == "__main__":
    app = pg.mkQApp("cost plot")
    plot = CostPlot()
    costs = 0.7 * np.exp(-np.arange(3000) / 600) + 0.05 + 0.01 * np.random.rand(3000)
    for start in range(0, 3000, 100):
        plot.append_costs(start, costs[start : start + 100])
        plot.add_accuracy(start + 99, 100 - 50 * costs[start + 99], 95 - 50 * costs[start + 99])
    plot.refresh()
    plot.resize(700, 450)
    plot.show()
    app.exec()
