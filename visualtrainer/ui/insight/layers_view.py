"""The Layers tab: per layer, heat strips over the iterations of the histograms of its weights W[l], its gradients
dW[l] and its activations A[l]; below, the share of dead ReLU and saturated sigmoid/tanh units and ‖dW[l]‖, one
line per layer. It draws a ``LayerHistory`` (app layer) handed to it; the measures are taken elsewhere."""

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from visualtrainer.core.layer_stats import LINEAR_BINS, LOG_BINS, LOG_HIGH, LOG_LOW, LOG_STEP, activation_scale
from visualtrainer.ui.axes import short_number
from visualtrainer.ui.network.network_view import SYMBOLS  # the activations written as the diagram writes them

STRIP_COLOURS = pg.colormap.get("viridis")
LAYER_COLOURS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
                 (227, 119, 194), (127, 127, 127)]
KIND_TITLES = {"weights": "W[{l}]", "gradients": "dW[{l}]", "activations": "A[{l}] = {g}(Z[{l}])"}
HINT = ("Each strip is a histogram over the iterations (x): brighter where more values fall. Weights and gradients "
        "by magnitude, log10|v| (0 at the bottom holds exact zeros); bounded activations by value. On the right, "
        "a line per layer in its colour: the share of its units dead (ReLU, solid) or saturated (σ, tanh, dashed), "
        "and log10 ‖dW[l]‖. Measured while this tab is shown.")


def _log_ticks():
    ticks = [(0.5, "0")]
    for decade in range(int(LOG_LOW) + 2, int(LOG_HIGH) + 1, 6):
        ticks.append((1.5 + (decade - LOG_LOW) / LOG_STEP, f"1e{decade}"))
    return [ticks]


def _linear_ticks(low, high):
    return [[(0.5, f"{low:g}"), (LINEAR_BINS / 2, f"{(low + high) / 2:g}"), (LINEAR_BINS - 0.5, f"{high:g}")]]


def _sparse_ticks(end):
    """Ticks (value, text) in 0 … end at the smallest round step (1, 2 or 5 times a power of ten) of at least
    end / 2.2: two or three numbers, which a narrow strip has room for."""
    least = end / 2.2
    step = 10.0 ** math.floor(math.log10(least))
    step *= next(factor for factor in (1, 2, 5, 10) if factor * step >= least)
    return [(k * step, short_number(k * step)) for k in range(int(end // step) + 1)]


class LayersView(QWidget):
    """``set_network(activations)`` builds the strips; ``show_history(history)`` draws them. ``shown`` when the tab
    comes into view (the measures are taken while it shows)."""

    shown = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.info = QLabel(HINT)
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #444;")
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        scroll = QScrollArea()  # the strips keep the width they need: narrower, the view scrolls rather than cut
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(self.graphics)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.info)
        layout.addWidget(scroll, 1)
        self.images, self.lines = {}, {}
        self.activations = []
        self.shares_plot = self.norm_plot = None
        self._x_end = 0.0  # the iteration axes' right end, moved in steps

    def set_network(self, activations):
        """One row of strips per layer for a network with these activations g[1] … g[L] (titles in the layer's
        colour, as its lines on the right); everything cleared."""
        self.graphics.clear()
        self.images, self.lines = {}, {}
        self._x_end = 0.0
        self.activations = list(activations)
        L = len(self.activations)
        for l, name in enumerate(self.activations, start=1):
            colour = "#%02x%02x%02x" % LAYER_COLOURS[(l - 1) % len(LAYER_COLOURS)]
            for column, kind in enumerate(("weights", "gradients", "activations")):
                plot = self.graphics.addPlot(row=l - 1, col=column)
                title = KIND_TITLES[kind].format(l=l, g=SYMBOLS.get(name, name))
                plot.setTitle(title, size="9pt", color=colour)
                plot.setMouseEnabled(x=False, y=False)
                plot.hideButtons()
                image = pg.ImageItem(axisOrder="row-major")
                image.setColorMap(STRIP_COLOURS)
                plot.addItem(image)
                scale = activation_scale(name) if kind == "activations" else ("log",)
                axis = plot.getAxis("left")
                axis.setTicks(_log_ticks() if scale[0] == "log" else _linear_ticks(scale[1], scale[2]))
                plot.setYRange(0, LOG_BINS if scale[0] == "log" else LINEAR_BINS, padding=0)
                if l < L:
                    plot.getAxis("bottom").setStyle(showValues=False)
                self.images[(l, kind)] = (plot, image)
        rows = max(L, 2)
        half = rows // 2
        self.shares_plot = self._line_plot(0, half, "dead (—), saturated (- -)")
        self.shares_plot.setYRange(0, 1, padding=0.05)
        # log10 on a plain axis: a log axis spanning a decade or two labels every 2·10⁻⁵, 3·10⁻⁵ …, overlapping
        self.norm_plot = self._line_plot(half, rows - half, "log10 ‖dW[l]‖")
        for l in range(1, L + 1):
            colour = LAYER_COLOURS[(l - 1) % len(LAYER_COLOURS)]
            self.lines[("dead", l)] = self.shares_plot.plot(pen=pg.mkPen(colour, width=2))
            self.lines[("saturated", l)] = self.shares_plot.plot(pen=pg.mkPen(colour, width=2,
                                                                             style=pg.QtCore.Qt.DashLine))
            self.lines[("grad_norm", l)] = self.norm_plot.plot(pen=pg.mkPen(colour, width=2))
        least = self.graphics.ci.layout.effectiveSizeHint(Qt.MinimumSize)
        self.graphics.setMinimumSize(int(least.width()) + 2, int(least.height()) + 2)

    def _line_plot(self, row, rowspan, title):
        plot = self.graphics.addPlot(row=row, col=3, rowspan=rowspan)
        plot.setTitle(title, size="9pt")
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setLabel("bottom", "iteration")
        return plot

    def show_history(self, history):
        """Draw ``history`` (app.layer_history.LayerHistory)."""
        self._step_x_range(history.iterations[-1] if history.iterations else 0)
        for (l, kind), (plot, image) in self.images.items():
            strip, (start, end) = history.strip(l, kind)
            if strip is None:
                image.clear()
                continue
            image.setImage(np.sqrt(strip), levels=(0.0, 0.75), autoLevels=False)  # √share: small shares show
            image.setRect(pg.QtCore.QRectF(start, 0, end - start, strip.shape[0]))
        for name in ("dead", "saturated", "grad_norm"):
            for l, (its, values) in enumerate(history.lines(name), start=1):
                line = self.lines.get((name, l))
                if line is None:
                    continue
                keep = np.isfinite(values) & ((values > 0) if name == "grad_norm" else True)
                line.setData(its[keep], np.log10(values[keep]) if name == "grad_norm" else values[keep])

    def _step_x_range(self, last):
        """Every plot's iterations from 0 to a right end that grows by a quarter when ``last`` passes it: fourteen axes
        laid out and labelled anew now and then rather than at every measure."""
        if 0 < self._x_end and last <= self._x_end:
            return
        self._x_end = max(float(last), 10.0) * 1.25
        ticks = _sparse_ticks(self._x_end)
        for plot, _ in self.images.values():
            plot.setXRange(0, self._x_end, padding=0)
            plot.getAxis("bottom").setTicks([ticks, []])  # a strip is narrow: two or three numbers, not crowded
        for plot in (self.shares_plot, self.norm_plot):
            if plot is not None:
                plot.setXRange(0, self._x_end, padding=0)

    def showEvent(self, event):
        super().showEvent(event)
        self.shown.emit()
