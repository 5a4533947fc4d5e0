"""The cost J against iteration, falling live (the training set's every iteration, the test set's now and then),
with train and test accuracy below it."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QVBoxLayout, QWidget

from ..axes import ShortAxis, StagedPaint
from .curve import Curve
from .series import PeakBins, Series, nice_above

# One-pixel pens: Qt draws them on its fast path (wider ones are much slower to paint for long curves).
COST_PEN = pg.mkPen("#1f4e9c", width=1)
TRAIN_PEN = pg.mkPen("#1b7f74", width=1)
TEST_PEN = pg.mkPen("#d1495b", width=1, style=pg.QtCore.Qt.DashLine)
TEST_COST_PEN = pg.mkPen("#e07b00", width=1.5, style=pg.QtCore.Qt.DashLine)
#: When a cost falls below the y range, the range is widened by this part of the costs' span (or of the lowest cost,
#: or of a decade on the log scale) more, down to 0 at most: a falling cost then crosses it a few times a run, not
#: every second (each time the axes are redrawn).
HEADROOM = 0.5
AXIS_WIDTH = 62  # the numbers (ShortAxis: at most about six characters) and the label beside them
DIVERGED = "#b00020"


def _scatter(item, x, y):
    """A scatter's points, the item hidden while it has none (pyqtgraph paints an empty scatter all the same,
    0.2 ms a frame)."""
    item.setData(x, y)
    item.setVisible(len(x) > 0)


class CostPlot(QWidget):
    """J(iteration) on top (linear or log) for the training set and, now and then, the test set; accuracy in percent
    below, sharing the iteration axis."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._peaks = PeakBins()  # the costs as drawn (every cost is the session's: ``app.history.CostHistory``)
        self._stale = self._accuracy_stale = False
        self._x_end, self._y_range, self._acc_range = 0.0, (np.inf, -np.inf), None
        self._train, self._test, self._test_costs = Series(), Series(), Series()
        self._marked = np.zeros(0)  # the cost a divergence is marked at
        self.graphics = pg.GraphicsLayoutWidget()
        self.cost_view = self.graphics.addPlot(row=0, col=0, axisItems=self._axes())
        self.cost_view.setLabel("left", "cost J")
        self.cost_curve = Curve(COST_PEN)  # redrawn every frame: the cheap item, for every curve of the plots
        self.test_cost_curve = Curve(TEST_COST_PEN)
        self.points = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(COST_PEN.color()), pen=None)  # a cost or two
        self.divergence = pg.ScatterPlotItem(size=13, symbol="x", brush=pg.mkBrush(DIVERGED), pen=None)
        for item in (self.cost_curve, self.test_cost_curve, self.points, self.divergence):
            self.cost_view.addItem(item)
        for scatter in (self.points, self.divergence):
            scatter.hide()
        self.cost_view.disableAutoRange()
        self.accuracy_view = self.graphics.addPlot(row=1, col=0, axisItems=self._axes())
        self.accuracy_view.getAxis("left").shorter["accuracy (%)"] = "acc. (%)"  # a short plot, a short label
        self.accuracy_view.setLabel("left", "accuracy (%)")
        self.accuracy_view.setLabel("bottom", "iteration")
        self.accuracy_view.setXLink(self.cost_view)
        self.train_curve, self.test_curve = Curve(TRAIN_PEN), Curve(TEST_PEN)
        for curve in (self.train_curve, self.test_curve):
            self.accuracy_view.addItem(curve)
        # The legend in a row of its own, under the plots, where it covers no curve.
        self.legend = pg.LegendItem(colCount=2, horSpacing=14)  # three columns need 330 pixels, two fit 250
        self.graphics.addItem(self.legend, row=2, col=0)
        self.legend.addItem(self.cost_curve, "train cost")
        self.legend.addItem(self.test_cost_curve, "test cost")
        self.legend.addItem(self.train_curve, "train acc.")
        self.legend.addItem(self.test_curve, "test acc.")
        self.accuracy_view.disableAutoRange()
        for plot in (self.cost_view, self.accuracy_view):  # ticks outside the views: the axes' areas stay out of
            for side in ("left", "bottom"):  # the region the curves repaint, so they are not redrawn every frame
                plot.getAxis(side).setStyle(tickLength=5)
            plot.getAxis("left").setWidth(AXIS_WIDTH)
        for item in (self.graphics.ci, self.cost_view, self.accuracy_view, self.cost_view.vb, self.accuracy_view.vb):
            item.setFlag(QGraphicsItem.ItemHasNoContents)  # they draw nothing: a repaint skips their Python parts
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
        #: a step of the ranges while training runs (``refresh``): its four axes laid out in an event before the paint's
        self.staged = StagedPaint(self.graphics, [plot.getAxis(side) for plot in (self.cost_view, self.accuracy_view)
                                                  for side in ("left", "bottom")])
        self._reset_ranges()

    @staticmethod
    def _axes():
        return {side: ShortAxis(side) for side in ("left", "bottom")}

    def append_costs(self, first_iteration, costs):
        """Add the costs of iterations first_iteration, first_iteration + 1, …"""
        costs = np.asarray(costs, dtype=np.float64)
        if len(costs) == 0:
            return
        iterations = np.arange(first_iteration, first_iteration + len(costs))
        self._peaks.extend(iterations, costs)
        self._stale = True

    def add_test_cost(self, iteration, cost):
        """One point of the test set's cost J."""
        self._test_costs.extend([iteration], [cost])
        self._stale = self._accuracy_stale = True

    def refresh(self, staged=False):
        """Draw what was added since the last refresh (the window calls this at most ~30 times a second while
        training runs, ``staged``: a step of the ranges is then painted in stages, ``axes.StagedPaint``)."""
        if not self._stale:
            return
        self._stale = False
        self._draw_costs()
        if self._accuracy_stale:  # a few points a second: most frames leave these curves as they are
            self._accuracy_stale = False
            self.train_curve.setData(self._train.x, self._train.y)
            self.test_curve.setData(self._test.x, self._test.y)
            self._draw_test_costs()
            self._set_accuracy_range(staged)
        self._set_ranges(staged=staged)

    def _set_ranges(self, headroom=HEADROOM, staged=False):
        """Fit the views to the data, in steps: the x range doubles as the run passes it and the y range widens
        only when a cost leaves it, then with ``headroom`` more on that side (below: that part of the costs' span,
        of the lowest cost, or of a decade on the log scale, whichever is more; above, for a cost that rises, such as
        the test set's when the network overfits: that part of the span), so the axes (the costliest part to draw)
        are redrawn a few times a run; costs never below 0 get no room under 0 (linear scale)."""
        span = self._y_span()
        if span is None:
            return
        first, last = self._peaks.origin, self._peaks.last_x
        x_end = self._x_end if last <= self._x_end else nice_above(last * 1.25)
        low, high = span
        y_low, y_high = self._y_range
        pad = 0.05 * (high - low) or 0.1 * abs(high) or 0.1  # one cost alone: a tenth of it either side
        log = self.log_box.isChecked()
        room = max(headroom * max(high - low, 1.0 if log else abs(low)), pad)  # a decade, or the cost itself
        if not np.isfinite(y_low) or (y_high - y_low) > 2 * (high - low + room + 2 * pad):  # a first fit
            y_low, y_high = low - room, high + pad
        else:  # only the side a cost left
            y_low = low - room if low < y_low else y_low
            y_high = high + max(headroom * (high - low), pad) if high > y_high else y_high
        if low >= 0 and not log:
            y_low = max(y_low, -pad)
        if (x_end, (y_low, y_high)) != (self._x_end, self._y_range):
            if staged:
                self.staged.begin()
            self._x_end, self._y_range = x_end, (y_low, y_high)
            self.cost_view.setRange(xRange=(first - 0.03 * (x_end - first), x_end), yRange=(y_low, y_high), padding=0)

    def _reset_ranges(self):
        """Empty views on a plain range (nothing of a previous network's lingers)."""
        self.cost_view.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.accuracy_view.setYRange(0, 100, padding=0)

    def _set_accuracy_range(self, staged=False):
        """The accuracy view from the lowest to the highest accuracy, in steps of 5%."""
        if self._train.n:
            acc = np.concatenate([self._train.y, self._test.y])
            window = (5 * np.floor(acc.min() / 5) - 2, min(5 * np.ceil(acc.max() / 5), 100) + 2)
            if window != self._acc_range:
                if staged:
                    self.staged.begin()
                self._acc_range = window
                self.accuracy_view.setYRange(*window, padding=0)

    def fit_to_data(self):
        """Show exactly the iterations and costs run (when training stops; while it runs the ranges grow in steps,
        the costs' with room below)."""
        first, last = self._peaks.origin, self._peaks.last_x
        if first is not None:
            self._y_range = (np.inf, -np.inf)
            self._set_ranges(headroom=0.0)
            self._x_end = float(max(last, first + 1))
            self.cost_view.setXRange(first, self._x_end, padding=0.02)

    def _y_span(self):
        """(lowest, highest) cost drawn (test costs too), in log10 on the log scale; None before any finite one."""
        lo, hi = self._peaks.lo[: self._peaks.n], self._peaks.hi[: self._peaks.n]
        values = np.concatenate([lo, hi, self._test_costs.y, self._marked])
        values = values[np.isfinite(values) & ((values > 0) if self.log_box.isChecked() else True)]
        if not len(values):
            return None
        low, high = float(values.min()), float(values.max())
        return (float(np.log10(low)), float(np.log10(high))) if self.log_box.isChecked() else (low, high)

    def _shown(self, y):
        """y as drawn: itself, or log10 y on the log scale (NaN where not above 0)."""
        if not self.log_box.isChecked():  # the curve items take the log: the view's log mode only sets the axis
            return y
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y > 0, np.log10(y), np.nan)

    def _draw_costs(self):
        """The binned curve: a few thousand points however long the run (a cost that is NaN, infinite, or not
        above 0 on the log scale leaves a gap); a cost or two alone as dots."""
        x, y = self._peaks.curve()
        y = self._shown(y)
        self.cost_curve.setData(x, y)
        finite = np.isfinite(y)
        if finite.sum() <= 2:
            _scatter(self.points, x[finite], y[finite])
        elif len(self.points.data):
            _scatter(self.points, [], [])

    def _draw_test_costs(self):
        self.test_cost_curve.setData(self._test_costs.x, self._shown(self._test_costs.y))

    def mark_divergence(self, iteration, cost):
        """Mark where the cost blew up: at ``cost`` when finite, else at twice the highest finite cost so far."""
        if not np.isfinite(cost):
            highest = self._peaks.high  # the highest finite cost so far (-inf before any)
            cost = 2 * float(highest) if np.isfinite(highest) else 1.0
        self._marked, self._marked_at = np.array([float(cost)]), iteration
        _scatter(self.divergence, [iteration], self._shown(self._marked))
        self._y_range = (np.inf, -np.inf)
        self._stale = True
        self.refresh()
        self.fit_to_data()

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
        for series in (self._peaks, self._train, self._test, self._test_costs):
            series.clear()
        for curve in (self.cost_curve, self.test_cost_curve, self.train_curve, self.test_curve):
            curve.setData([], [])
        for scatter in (self.points, self.divergence):
            _scatter(scatter, [], [])
        self._stale = self._accuracy_stale = False
        self._x_end, self._y_range, self._acc_range = 0.0, (np.inf, -np.inf), None
        self._marked = np.zeros(0)
        self._reset_ranges()

    def set_log_scale(self, on):
        """Log-scale the cost axis (the checkbox and View > Log-scale cost call this)."""
        if self.log_box.isChecked() != on:
            self.log_box.setChecked(on)
            return
        self.cost_view.setLogMode(y=on)
        self._y_range = (np.inf, -np.inf)
        self._draw_costs()
        self._draw_test_costs()
        if len(self._marked):
            _scatter(self.divergence, [self._marked_at], self._shown(self._marked))
        self._set_ranges()

    def curve(self):
        """The cost curve as drawn, in J whatever the scale: (iterations, costs), a point an iteration while the
        run has at most ``PeakBins.max_bins``, then each bin's lowest and highest cost (non-finite costs as NaN)."""
        return self._peaks.curve()

    def test_costs(self):
        """The test set's (iterations, costs)."""
        return self._test_costs.x.copy(), self._test_costs.y.copy()

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
