"""The computation graph of the current step: forward values (blue) and backward derivatives (red) on each node.

Logistic regression: for the chosen example, z = wᵀx + b → a = σ(z) → L(a, y), with dz = a − y, dw = x·dz,
db = dz. A network: per layer Z[l], A[l] forward and dZ[l], dW[l], db[l] backward over the training set, with
their shapes and norms, and J.
"""

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsScene, QGraphicsTextItem, QGraphicsView, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from visualtrainer.core.graph import example_graph, layer_graph

FORWARD, BACKWARD = "#1f4e9c", "#b03a2e"
BOX_W, BOX_H, GAP, ROW_GAP = 190, 96, 34, 40
MIN_SCALE, MAX_SCALE = 0.75, 1.5


def _vector(v, shown=3):
    v = np.ravel(v)
    head = ", ".join(f"{x:.3g}" for x in v[:shown])
    return f"[{head}{', …' if v.size > shown else ''}] ‖·‖ {np.linalg.norm(v):.3g}"


def _matrix(M):
    return f"{M.shape[0]}×{M.shape[1]}, ‖·‖ {np.linalg.norm(M):.3g}"


class GraphView(QWidget):
    """``show_graph(net, data, example, params)`` draws the graph; ``step_requested`` asks for one iteration."""

    step_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scene = QGraphicsScene(self)
        self.view = QGraphicsView(self.scene)
        self.view.setRenderHint(QPainter.Antialiasing)
        self.view.setBackgroundBrush(QBrush(QColor("white")))
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.step_button = QPushButton("Step (S)")
        self.step_button.setToolTip("One iteration of gradient descent; the graph shows the new values")
        self.step_button.clicked.connect(lambda: self.step_requested.emit())
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.step_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.nodes = {}  # name -> the html shown (for tests)
        self._steps = []  # (name, forward html, backward html) of each step, laid out in rows
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the rows fit the width

    def show_graph(self, net, data, example=0, params=None, iteration=0):
        self.scene.clear()
        self.nodes = {}
        if len(net.layer_dims) == 2 and net.output == "sigmoid":
            i = min(int(example), data.m - 1)
            g = example_graph(net, data.X_train[:, i], float(data.Y_train[0, i]), params)
            self.title.setText(f"Logistic regression on training example {i} (y = {g['y']:g}) at iteration "
                               f"{iteration:,}: forward values in blue, derivatives of L in red.")
            x_text = f"{g['x'][0]:.4g}" if g["x"].size == 1 else _vector(g["x"])
            w_text = f"{g['w'][0]:.4g}" if g["w"].size == 1 else _vector(g["w"])
            dw_text = f"{g['dw'][0]:.4g}" if g["dw"].size == 1 else _vector(g["dw"])
            chain = [
                ("inputs", f"x = {x_text}<br>w = {w_text}<br>b = {g['b']:.4g}",
                 f"dw = x·dz = {dw_text}<br>db = dz = {g['db']:.4g}"),
                ("z", f"z = wᵀx + b = {g['z']:.4g}", f"dz = a − y = {g['dz']:.4g}"),
                ("a", f"a = σ(z) = {g['a']:.4g}", f"da = −y/a + (1−y)/(1−a) = {g['da']:.4g}"),
                ("L", f"L(a, y) = {g['loss']:.4g}", "dL/dL = 1"),
            ]
            self._chain(chain)
            return
        layers, J = layer_graph(net, data.X_train, data.Y_train, params)
        self.title.setText(f"One step over the {data.m} training examples at iteration {iteration:,}: forward Z[l], "
                           "A[l] in blue, backward dZ[l], dW[l], db[l] in red (shapes and norms ‖·‖).")
        chain = [("X", f"A[0] = X<br>{_matrix(np.asarray(layers[0][1]['A_prev']))}", "")]
        for l, layer in layers:
            chain.append((f"Z{l}", f"Z[{l}] = W[{l}]A[{l - 1}] + b[{l}]<br>{_matrix(layer['Z'])}",
                          f"dZ[{l}]: {_matrix(layer['dZ'])}<br>dW[{l}]: {_matrix(layer['dW'])}<br>"
                          f"db[{l}]: {_matrix(layer['db'])}"))
            chain.append((f"A{l}", f"A[{l}] = {layer['g']}(Z[{l}])<br>{_matrix(layer['A'])}", ""))
        chain.append(("J", f"J = {J:.6g}", ""))
        self._chain(chain)

    def _chain(self, chain):
        self._steps = chain
        self.nodes = {name: forward + (" | " + backward if backward else "") for name, forward, backward in chain}
        self._lay_out()

    def _columns(self):
        """How many steps a row holds: as many as keep the text at its largest scale with no sideways scrolling."""
        viewport, n = self.view.viewport(), len(self._steps)
        best, best_scale = 1, 0.0
        for columns in range(1, n + 1):
            rows = -(-n // columns)
            width, height = columns * (BOX_W + GAP) - GAP + 20, rows * (2 * BOX_H + GAP + ROW_GAP) - ROW_GAP + 20
            scale = min(MAX_SCALE, viewport.width() / width, max(viewport.height() / height, MIN_SCALE))
            if scale >= best_scale - 1e-9 and width * scale <= viewport.width() + 1:
                best, best_scale = columns, scale
        return best

    def _lay_out(self):
        """The steps in rows that fit the view's width; a row's last arrows point on to the next row."""
        self.scene.clear()
        columns = self._columns()
        last_backward = None
        for k, (name, forward, backward) in enumerate(self._steps):
            row, column = divmod(k, columns)
            x, y = column * (BOX_W + GAP), row * (2 * BOX_H + GAP + ROW_GAP)
            self._box(x, y, f"<span style='color:{FORWARD}'>{forward}</span>", QColor(231, 238, 250))
            if k:  # from the step before: beside it, or from the end of the row above
                self._arrow(x - GAP, y + BOX_H / 2, x, y + BOX_H / 2, FORWARD)
            if backward:
                self._box(x, y + BOX_H + GAP, f"<span style='color:{BACKWARD}'>{backward}</span>",
                          QColor(250, 234, 231))
                if last_backward is not None:  # derivatives flow back to the previous layer's
                    bx, by = last_backward
                    if by == y:
                        self._arrow(x, y + BOX_H * 1.5 + GAP, bx + BOX_W, y + BOX_H * 1.5 + GAP, BACKWARD)
                    else:
                        self._arrow(x, y + BOX_H * 1.5 + GAP, x - GAP, y + BOX_H * 1.5 + GAP, BACKWARD)
                last_backward = (x, y)
        rows = -(-len(self._steps) // columns)
        width = min(columns, len(self._steps)) * (BOX_W + GAP) - GAP
        self.scene.setSceneRect(QRectF(-GAP - 10, -10, width + GAP + 20, rows * (2 * BOX_H + GAP + ROW_GAP) - ROW_GAP
                                       + 20))
        self.fit()

    def _box(self, x, y, html, fill):
        self.scene.addRect(QRectF(x, y, BOX_W, BOX_H), QPen(QColor(120, 120, 130)), QBrush(fill))
        text = QGraphicsTextItem()
        text.setHtml(f"<div style='font-size:10pt'>{html}</div>")
        text.setTextWidth(BOX_W - 8)
        text.setPos(x + 4, y + 4)
        self.scene.addItem(text)

    def _arrow(self, x0, y0, x1, y1, colour):
        pen = QPen(QColor(colour), 1.6)
        self.scene.addLine(x0, y0, x1, y1, pen)
        direction = 1 if x1 > x0 else -1
        for dy in (-5, 5):
            self.scene.addLine(x1, y1, x1 - 8 * direction, y1 + dy, pen)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._steps:
            self._lay_out()

    def fit(self):
        """As large as fits the width (the rows are laid out for it), never so small that the text cannot be read;
        a graph taller than the view scrolls down."""
        rect = self.scene.sceneRect()
        if rect.width() <= 0:
            return
        viewport = self.view.viewport()
        scale = min(MAX_SCALE, viewport.width() / rect.width(), max(viewport.height() / rect.height(), MIN_SCALE))
        self.view.resetTransform()
        self.view.scale(scale, scale)
