"""The Curvature tab: the sharpest curvature of J, λmax of its Hessian, over the iterations, against 2/α, the line
past which gradient descent overshoots along the sharpest direction."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from visualtrainer.ui.axes import whole_numbers

INTRO = ("λmax, the largest eigenvalue of the Hessian ∇²J, is how sharply J curves along its steepest-bending "
         "direction. A step α·∇J shrinks the error along that direction only while α·λmax < 2, so 2/α (dashed) is "
         "the line λmax must stay under: above it the steps overshoot, J zig-zags or diverges.")


def verdict(value, learning_rate, optimizer):
    """One sentence on λmax against 2/α."""
    limit = 2.0 / learning_rate
    product = learning_rate * value
    text = f"λmax = {value:.4g}; 2/α = {limit:.4g}; α·λmax = {product:.3g}"
    if optimizer != "gd":
        return text + f" ({optimizer} scales its steps itself: the line is gradient descent's)."
    if value <= 0:
        return text + ": J does not curve up here (a saddle or a flat stretch)."
    if product < 1:
        return text + " < 1: steps fall short along the sharpest direction, so it is approached smoothly."
    if product < 2:
        return text + ": between 1 and 2, each step overshoots a little, and J still falls (zig-zagging)."
    return text + " > 2: steps overshoot and grow along the sharpest direction; J rises or oscillates there."


class CurvatureView(QWidget):
    """``add(iteration, value, learning_rate)`` plots one measure; ``clear()``; ``every`` (iterations between
    measures) and ``measure_requested`` for the button. ``shown`` when the tab comes into view."""

    shown = Signal()
    measure_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #444;")
        self.every = QSpinBox(minimum=1, maximum=1_000_000, value=50, suffix=" it")
        self.every.setToolTip("While training, measure λmax every this many iterations (rationed to a small share "
                              "of the time; each measure is about 40 gradients)")
        self.measure = QPushButton("Measure now")
        self.measure.clicked.connect(lambda: self.measure_requested.emit())
        self.readout = QLabel("Train, or press Measure now.")
        self.readout.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("measure every"))
        controls.addWidget(self.every)
        controls.addWidget(self.measure)
        controls.addStretch(1)
        self.plot = pg.PlotWidget(background="w")
        item = self.plot.getPlotItem()
        item.setLogMode(y=True)
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLabel("bottom", "iteration")
        whole_numbers(item.getAxis("bottom"))
        item.setLabel("left", "λmax of ∇²J")
        item.getAxis("left").enableAutoSIPrefix(False)
        item.addLegend(offset=(-4, 4))
        self.curve = self.plot.plot(pen=pg.mkPen((31, 119, 180), width=2), symbol="o", symbolSize=5,
                                    symbolBrush=(31, 119, 180), name="λmax")
        self.limit = self.plot.plot(pen=pg.mkPen((214, 39, 40), width=2, style=Qt.DashLine), name="2/α",
                                    stepMode="right")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(intro)
        layout.addLayout(controls)
        layout.addWidget(self.readout)
        layout.addWidget(self.plot, 1)
        self.clear()

    def clear(self, text="Train, or press Measure now."):
        self.iterations, self.values, self.limits = [], [], []
        self.curve.setData([], [])
        self.limit.setData([], [])
        self.readout.setText(text)

    def add(self, iteration, value, learning_rate, optimizer="gd"):
        """A measure of λmax after ``iteration`` iterations, trained with step ``learning_rate``."""
        if self.iterations and iteration < self.iterations[-1]:
            self.clear()
        self.iterations.append(float(iteration))
        self.values.append(float(value))
        self.limits.append(2.0 / float(learning_rate))
        its, values = np.array(self.iterations), np.array(self.values)
        positive = values > 0
        self.curve.setData(its[positive], values[positive])
        # the 2/α line reaches 5% of the measured span past the last measure, the span from 0 while there is one
        first = its[0] if len(its) > 1 else 0.0
        ends = np.append(its, its[-1] + max(1.0, 0.05 * (its[-1] - first)))
        self.limit.setData(ends, np.append(self.limits, self.limits[-1]))
        self.readout.setText(f"At iteration {iteration:,}: " + verdict(value, learning_rate, optimizer))

    def showEvent(self, event):
        super().showEvent(event)
        self.shown.emit()
