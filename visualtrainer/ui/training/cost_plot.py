"""The cost J against iteration, falling live, with train and test accuracy below it."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

# One-pixel pens: Qt draws them on its fast path (wider ones are much slower to paint for long curves).
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


class PeakBins:
    """A growing series as drawn: consecutive x in bins of ``width`` (a power of two), each bin's lowest and
    highest finite y (NaN where it has none).

    The width doubles (neighbouring bins merge) whenever more than ``max_bins`` would be needed, so appending and
    drawing cost the same after ten million iterations as after ten thousand, and every spike still shows.
    """

    def __init__(self, max_bins=512):
        self.max_bins = int(max_bins)
        self.clear()

    def clear(self):
        self.origin, self.width, self.n, self.last_x = None, 1, 0, None
        self.lo, self.hi = np.full(256, np.nan), np.full(256, np.nan)
        self.low, self.high = np.inf, -np.inf  # the lowest and highest finite y so far (merging keeps them)

    def extend(self, x, y):
        """Add the points (x, y), x increasing from past the last one added."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        if not len(x):
            return
        if self.origin is None:
            self.origin = x[0]
        self.last_x = x[-1]
        while (x[-1] - self.origin) // self.width >= self.max_bins:
            self._merge_pairs()
        bins = ((x - self.origin) // self.width).astype(np.int64)
        y = np.where(np.isfinite(y), y, np.nan)
        starts = np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])
        where = bins[starts]
        if where[-1] >= len(self.lo):
            size = max(2 * len(self.lo), where[-1] + 1)
            self.lo = np.concatenate([self.lo, np.full(size - len(self.lo), np.nan)])
            self.hi = np.concatenate([self.hi, np.full(size - len(self.hi), np.nan)])
        with np.errstate(invalid="ignore"):
            lows, highs = np.fmin.reduceat(y, starts), np.fmax.reduceat(y, starts)
            self.lo[where] = np.fmin(self.lo[where], lows)
            self.hi[where] = np.fmax(self.hi[where], highs)
        self.low = min(self.low, float(np.fmin.reduce(lows, initial=np.inf)))  # fmin and fmax pass over NaN
        self.high = max(self.high, float(np.fmax.reduce(highs, initial=-np.inf)))
        self.n = max(self.n, int(where[-1]) + 1)

    def _merge_pairs(self):
        k = (self.n + 1) // 2
        lo, hi = np.full(len(self.lo), np.nan), np.full(len(self.hi), np.nan)
        pad = np.full(2 * k - self.n, np.nan)
        lo[:k] = np.fmin(*np.concatenate([self.lo[: self.n], pad]).reshape(k, 2).T)
        hi[:k] = np.fmax(*np.concatenate([self.hi[: self.n], pad]).reshape(k, 2).T)
        self.lo, self.hi, self.n, self.width = lo, hi, k, 2 * self.width

    def curve(self):
        """(x, y) to draw: each bin's low then high point at its start (one point per bin while the width is 1)."""
        x = self.origin + self.width * np.arange(self.n, dtype=np.float64) if self.n else np.zeros(0)
        lo, hi = self.lo[: self.n], self.hi[: self.n]
        if self.width == 1:
            return x, lo.copy()
        return np.repeat(x, 2), np.column_stack([lo, hi]).ravel()

    def y_range(self):
        """(lowest, highest) finite y, or None."""
        return (float(self.low), float(self.high)) if self.low <= self.high else None


class CostPlot(QWidget):
    """J(iteration) on top (linear or log), accuracy in percent below, sharing the iteration axis."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._costs = _Series()  # every cost, as recorded
        self._peaks = PeakBins()  # what is drawn of them
        self._stale = self._accuracy_stale = False
        self._x_end, self._y_range, self._acc_range = 0.0, (np.inf, -np.inf), None
        self._train = _Series()
        self._test = _Series()
        self.graphics = pg.GraphicsLayoutWidget()
        self.cost_view = self.graphics.addPlot(row=0, col=0)
        self.cost_view.setLabel("left", "cost J")
        self.cost_view.getAxis("left").enableAutoSIPrefix(False)
        self.cost_view.getAxis("left").setWidth(52)
        self.cost_curve = pg.PlotCurveItem(pen=COST_PEN, connect="finite")
        self.cost_view.addItem(self.cost_curve)
        self.cost_view.disableAutoRange()
        self.accuracy_view = self.graphics.addPlot(row=1, col=0)
        self.accuracy_view.setLabel("left", "accuracy (%)")
        self.accuracy_view.getAxis("left").setWidth(52)
        self.accuracy_view.setLabel("bottom", "iteration")
        self.accuracy_view.setXLink(self.cost_view)
        self.train_curve = self.accuracy_view.plot(pen=TRAIN_PEN, name="train")
        self.test_curve = self.accuracy_view.plot(pen=TEST_PEN, name="test")
        # The legend in a row of its own, under the plots, where it covers no curve.
        self.legend = pg.LegendItem(colCount=2, horSpacing=18)
        self.graphics.addItem(self.legend, row=2, col=0)
        self.legend.addItem(self.train_curve, "train accuracy")
        self.legend.addItem(self.test_curve, "test accuracy")
        self.accuracy_view.disableAutoRange()
        for plot in (self.cost_view, self.accuracy_view):  # ticks outside the views: the axes' areas stay out of
            for side in ("left", "bottom"):  # the region the curves repaint, so they are not redrawn every frame
                plot.getAxis(side).setStyle(tickLength=5)
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
        iterations = np.arange(first_iteration, first_iteration + len(costs))
        self._costs.extend(iterations, costs)
        self._peaks.extend(iterations, costs)
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
            self._set_accuracy_range()
        self._set_ranges()

    def _set_ranges(self):
        """Fit the views to the data, in steps: the x range doubles as the run passes it and the y range widens
        only when a cost leaves it, so the axes (the costliest part to draw) are redrawn rarely."""
        span = self._y_span()
        if span is None:
            return
        first, last = self._peaks.origin, self._peaks.last_x
        x_end = self._x_end if last <= self._x_end else _nice_above(last * 1.25)
        low, high = span
        y_low, y_high = self._y_range
        if low < y_low or high > y_high or (high - low) < 0.5 * (y_high - y_low):
            pad = 0.05 * (high - low or 1.0)  # and a falling cost gets room below it to fall into
            y_low, y_high = low - (4 * pad if low < y_low else pad), high + pad
        if (x_end, (y_low, y_high)) != (self._x_end, self._y_range):
            self._x_end, self._y_range = x_end, (y_low, y_high)
            self.cost_view.setRange(xRange=(first - 0.03 * (x_end - first), x_end), yRange=(y_low, y_high), padding=0)

    def _set_accuracy_range(self):
        """The accuracy view from the lowest to the highest accuracy, in steps of 5%."""
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

    def _y_span(self):
        """(lowest, highest) cost drawn, in log10 on the log scale; None before any finite one."""
        if not self.log_box.isChecked():
            return self._peaks.y_range()
        lo, hi = self._peaks.lo[: self._peaks.n], self._peaks.hi[: self._peaks.n]
        positive = np.concatenate([lo[lo > 0], hi[hi > 0]])
        return (float(np.log10(positive.min())), float(np.log10(positive.max()))) if len(positive) else None

    def _draw_costs(self):
        """The binned curve: a few thousand points however long the run (a cost that is NaN, infinite, or not
        above 0 on the log scale leaves a gap)."""
        x, y = self._peaks.curve()
        if self.log_box.isChecked():  # the curve item takes the log itself: the view's log mode only sets the axis
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(y > 0, np.log10(y), np.nan)
        self.cost_curve.setData(x, y)

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
        for series in (self._costs, self._peaks, self._train, self._test):
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
