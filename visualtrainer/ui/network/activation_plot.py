"""The activation functions in use, g(z) solid and g'(z) dashed, each with a line from the course."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from visualtrainer.core.activations import FUNCTIONS, NOTES

COLOURS = {"sigmoid": "#1f77b4", "tanh": "#d62728", "relu": "#2ca02c", "leaky_relu": "#9467bd",
           "softmax": "#ff7f0e", "linear": "#7f7f7f"}
Z = np.linspace(-5, 5, 401)


def curves(name):
    """(g(z), g'(z)) on Z; softmax is drawn as its two-class case σ(z₁ − z₂) against z = z₁ − z₂."""
    if name == "softmax":
        return FUNCTIONS["sigmoid"][0](Z), FUNCTIONS["sigmoid"][1](Z)
    function, derivative = FUNCTIONS[name]
    return function(Z), derivative(Z)


class ActivationPlot(QWidget):
    """Plots g and g' for each distinct activation of the network, and the course's note on each."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget()
        self.view = self.plot_widget.getPlotItem()
        self.view.showGrid(x=True, y=True, alpha=0.12)
        self.view.setLabel("bottom", "z")
        self.view.setYRange(-1.2, 2.0)
        self.legend = self.view.addLegend(offset=(8, 8))
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.RichText)
        self.notes.setStyleSheet("padding: 4px 8px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.notes)
        self._items = {}
        self.names = []

    def set_activations(self, names):
        """Show the distinct activations among ``names`` (in order of first use)."""
        names = list(dict.fromkeys(names))
        if names == self.names:
            return
        self.names = names
        for items in self._items.values():
            for item in items:
                self.view.removeItem(item)
        self.legend.clear()
        self._items = {}
        for name in names:
            g, dg = curves(name)
            colour = COLOURS.get(name, "#333333")
            label = "σ(z₁−z₂)" if name == "softmax" else name
            solid = self.view.plot(Z, g, pen=pg.mkPen(colour, width=2.5), name=f"{label}", antialias=True)
            dashed = self.view.plot(Z, dg, pen=pg.mkPen(colour, width=1.5, style=Qt.DashLine), name=f"{label}′",
                                    antialias=True)
            self._items[name] = (solid, dashed)
        self.notes.setText("<br>".join(f"<b style='color:{COLOURS.get(n, '#333')}'>{n}</b>: {NOTES[n]}"
                                       for n in names))

    def curve_data(self, name):
        """(z, g, g') as drawn (for tests)."""
        solid, dashed = self._items[name]
        z, g = solid.getData()
        return z, g, dashed.getData()[1]
