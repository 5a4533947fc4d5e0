"""The network diagram: layers as columns of neurons in the course's notation, links coloured by their weights."""

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsLineItem, QGraphicsRectItem, QGraphicsScene,
                               QGraphicsSimpleTextItem, QGraphicsView)

from .diagram_parts import colour_links, draw_steps, map_image, nearest_link, paint_unit_maps

POSITIVE = QColor(213, 94, 0)  # vermilion and blue: told apart by colour-blind eyes too
NEGATIVE = QColor(0, 114, 178)
OUTLINE = QColor(60, 60, 70)
NEURON_FILL = QColor(246, 247, 250)
MAX_INPUTS_DRAWN = 16
MAX_UNITS_DRAWN = 12
ELIDE_KEEP = 5
MAX_RADIUS = 17.0
MAX_ROW_GAP = 48.0
LINK_REACH = 5.0  # a click this close to a link (pixels) picks its weight
TOP, BOTTOM, SIDE = 58.0, 52.0, 60.0  # room for the titles above and the shape labels below
SYMBOLS = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU", "softmax": "softmax",
           "linear": "linear"}


def shown_units(n):
    """The unit indices drawn for a layer of n units: all of them, or the first and last five."""
    if n <= MAX_UNITS_DRAWN:
        return list(range(n))
    return list(range(ELIDE_KEEP)) + list(range(n - ELIDE_KEEP, n))


def link_style(w, largest):
    """(colour, width in px) for a weight w, against the largest |w| of its layer."""
    share = min(abs(w) / largest, 1.0) if largest > 0 else 0.0
    colour = QColor(POSITIVE if w >= 0 else NEGATIVE)
    colour.setAlphaF(0.25 + 0.75 * share)
    return colour, 0.5 + 5.5 * share


class NetworkView(QGraphicsView):
    """Draws a network (``set_architecture``), then its weights as they change (``set_params``).

    ``neuron_clicked(l, j)`` is emitted when unit j (from 0) of layer l >= 1 is clicked, ``link_clicked(l, j, k)``
    when the link of W[l][j, k] is (links from a block input are not single weights), ``units_step(l, ±1)`` when
    the − or + beside a hidden layer's title is.
    """

    neuron_clicked = Signal(int, int)
    link_clicked = Signal(int, int, int)  # (l, j, k): the weight W[l][j, k]
    units_step = Signal(int, int)  # (l, ±1): the − or + beside hidden layer l's title

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.Antialiasing)
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setMinimumSize(360, 240)
        self.setFocusPolicy(Qt.ClickFocus)  # a click on the diagram takes the focus from a settings field
        # Drops go to the window (pictures, a session), as anywhere else on it: the scene would take the drag on
        # entering and then refuse it, having no item that accepts drops.
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self._neurons = {}  # layer -> [(unit, item)]
        self._links = {}  # layer l -> [(j, k, item)]: W[l][j, k]; k = -1 for the input block
        self._labels = []
        self._input_block = None
        self.selected_neuron = None
        self.layer_dims = ()
        self._spec = ([], None)
        self._params = None
        self._activations = None
        self._maps = self._input_names = None
        self._row_gap, self._radius = MAX_ROW_GAP, MAX_RADIUS
        self.pressed_at = None

    # -- building -------------------------------------------------------------------------------------------
    def set_architecture(self, layer_dims, activations, image_shape=None, input_names=None):
        """Draw columns for (n_x, n[1], …, n_y) with activations g[1] … g[L] (names); ``input_names`` the
        inputs' (default x1, x2, …)."""
        self.layer_dims = tuple(int(n) for n in layer_dims)
        self._spec = (list(activations), image_shape)
        self._input_names = list(input_names) if input_names else None
        self._params, self._activations, self._maps = None, None, None
        self.selected_neuron = None
        self._build()

    def _build(self):
        """Lay the diagram out in the view's own pixels, so that text and circles keep their size."""
        scene = self.scene()
        scene.clear()
        self._neurons, self._links, self._labels, self._input_block = {}, {}, [], None
        if not self.layer_dims:
            return
        activations, image_shape = self._spec
        width, height_px = max(self.viewport().width(), 360), max(self.viewport().height(), 240)
        L = len(self.layer_dims) - 1
        rows = max([min(n, MAX_UNITS_DRAWN + 1) for n in self.layer_dims[1:]] +
                   [min(self.layer_dims[0], MAX_INPUTS_DRAWN) if self.layer_dims[0] <= MAX_INPUTS_DRAWN else 5])
        self._row_gap = min(MAX_ROW_GAP, (height_px - TOP - BOTTOM) / max(rows, 1))
        self._radius = min(MAX_RADIUS, 0.4 * self._row_gap)
        gap = (width - 2 * SIDE) / max(L, 1)
        height = rows * self._row_gap
        left = -width / 2 + SIDE
        positions = {}
        for l, n in enumerate(self.layer_dims):
            x = left + l * gap
            if l == 0 and n > MAX_INPUTS_DRAWN:
                positions[0] = self._draw_input_block(x, n, image_shape, height)
            else:
                positions[l] = self._draw_column(l, n, x, height, L)
            title = "x = A[0]" if l == 0 else (f"ŷ = A[{L}]" if l == L else f"A[{l}]")
            self._text(title, x, -height_px / 2 + 18, bold=True, size=11)
            if 0 < l < L:
                draw_steps(self.scene(), l, x, -height_px / 2 + 18, self._text)
            if l > 0:
                self._text(SYMBOLS.get(activations[l - 1], activations[l - 1]), x, -height_px / 2 + 37, size=9,
                           colour=QColor(90, 90, 100))
                self._labels.append(self._text(f"W[{l}]: {n}×{self.layer_dims[l - 1]}", x - gap / 2,
                                               height_px / 2 - 36, size=9))
                self._labels.append(self._text(f"b[{l}]: {n}×1", x - gap / 2, height_px / 2 - 18, size=9,
                                               colour=QColor(90, 90, 100)))
        r = self._radius
        for l in range(1, L + 1):
            self._links[l] = []
            for j, target in positions[l]:
                for k, source in positions[l - 1]:
                    line = QGraphicsLineItem(source.x() + (r if k >= 0 else 0), source.y(), target.x() - r, target.y())
                    line.setZValue(-1)
                    scene.addItem(line)
                    self._links[l].append((j, k, line))
        self.setSceneRect(QRectF(-width / 2, -height_px / 2, width, height_px))
        if self._params is not None:
            self.set_params(self._params)
        self.set_example_activations(self._activations)
        self.set_unit_maps(self._maps)
        if self.selected_neuron is not None:
            self._select(*self.selected_neuron)

    def _draw_column(self, l, n, x, height, L):
        units = shown_units(n)
        rows = len(units) + (1 if len(units) < n else 0)
        gap, r = self._row_gap, self._radius
        top = -(rows - 1) * gap / 2
        placed, row = [], 0
        self._neurons[l] = []
        for idx, j in enumerate(units):
            if idx == ELIDE_KEEP and len(units) < n:
                self._text(f"⋮ {n - len(units)} more", x, top + row * gap, size=8, colour=QColor(90, 90, 100))
                row += 1
            y = top + row * gap
            item = QGraphicsEllipseItem(x - r, y - r, 2 * r, 2 * r)
            item.setPen(QPen(OUTLINE, 1.2))
            item.setBrush(QBrush(NEURON_FILL))
            item.setData(0, (l, j))
            self.scene().addItem(item)
            if l == 0:
                name = self._input_names[j] if self._input_names and j < len(self._input_names) else f"x{j + 1}"
            elif l == L:
                name = "ŷ" if n == 1 else f"ŷ{j + 1}"
            else:
                name = f"{j + 1}"
            label = self._text(name, x, y, size=9 if r > 12 and len(name) <= 3 else 7)
            label.setParentItem(item)
            self._neurons[l].append((j, item))
            placed.append((j, QPointF(x, y)))
            row += 1
        return placed

    def _draw_input_block(self, x, n, image_shape, height):
        block_h = min(height, 220.0)
        rect = QGraphicsRectItem(x - 48, -block_h / 2, 96, block_h)
        rect.setPen(QPen(OUTLINE, 1.2))
        rect.setBrush(QBrush(QColor(236, 240, 247)))
        self.scene().addItem(rect)
        detail = "×".join(str(s) for s in image_shape) if image_shape else "features"
        for row, (text, size, bold) in enumerate(((str(n), 12, True), (detail, 10, False),
                                                  ("inputs" if image_shape else "", 9, False))):
            if text:
                self._text(text, x, (row - 1) * 20, size=size, bold=bold).setParentItem(rect)
        self._input_block = rect
        rect.setToolTip(f"input x: {n} features" + (f" (a {'×'.join(map(str, image_shape))} picture)"
                                                     if image_shape else ""))
        self._neurons[0] = []
        return [(-1, QPointF(x + 48, 0.0))]

    def _text(self, text, x, y, size=10, bold=False, colour=None):
        item = QGraphicsSimpleTextItem(text)
        font = QFont()
        font.setPointSizeF(size)
        font.setBold(bold)
        item.setFont(font)
        item.setBrush(QBrush(colour or QColor(30, 30, 40)))
        box = item.boundingRect()
        item.setPos(x - box.width() / 2, y - box.height() / 2)
        self.scene().addItem(item)
        return item

    # -- live -----------------------------------------------------------------------------------------------
    def set_params(self, params):
        """Recolour links and update tooltips from "W1" (n[1], n[0]), "b1" (n[1], 1), …"""
        colour_links(self._links, params, link_style)
        self._params = params
        self._update_neuron_tooltips()

    def set_example_activations(self, activations):
        """Shade neurons by A[l] of one example: [x (n_x,), A[1] (n[1],), …, A[L]] (None clears)."""
        self._activations = activations
        for l, units in self._neurons.items():
            values = None if activations is None else np.asarray(activations[l])
            for j, item in units:
                if values is None:
                    item.setBrush(QBrush(NEURON_FILL))
                    continue
                a = float(values[j])
                share = min(abs(a), 1.0)
                colour = QColor(POSITIVE if a >= 0 else NEGATIVE)
                shade = QColor.fromRgbF(1 - share * (1 - colour.redF()) * 0.75, 1 - share * (1 - colour.greenF()) * 0.75,
                                        1 - share * (1 - colour.blueF()) * 0.75)
                item.setBrush(QBrush(shade))
        self._update_neuron_tooltips()

    def set_unit_maps(self, maps):
        """Draw in every neuron its value over the data's plane: ``maps`` [X (n_x, ny, nx), A[1] (n[1], ny, nx), …,
        A[L]] over a grid, row 0 at the bottom (None: plain neurons); see ``diagram_parts.paint_unit_maps``."""
        self._maps = maps
        paint_unit_maps(self.scene(), self._neurons, self.layer_dims, maps)

    def unit_map(self, layer, unit):
        """The image drawn in a neuron (for tests): a QImage, or None."""
        return map_image(dict(self._neurons.get(layer, [])).get(unit))

    def _update_neuron_tooltips(self):
        params = self._params
        for l, units in self._neurons.items():
            for j, item in units:
                lines = [f"x{j + 1}" if l == 0 else f"A[{l}] unit {j + 1}"]
                if l > 0 and params is not None:
                    lines.append(f"b[{l}]({j + 1}) = {float(np.asarray(params[f'b{l}'])[j, 0]):.4g}")
                if self._activations is not None:
                    lines.append(f"{'x' if l == 0 else 'a'} = {float(np.asarray(self._activations[l])[j]):.4g}"
                                 " for the selected example")
                if l > 0:
                    lines.append("click: what this unit computes")
                item.setToolTip("\n".join(lines))

    # -- interaction ----------------------------------------------------------------------------------------
    def mousePressEvent(self, event):
        self.pressed_at = event.position().toPoint()  # where an editor of the weight or bias clicked opens
        item = self.itemAt(event.position().toPoint())
        step = item.data(1) if item is not None and item.data(1) is not None else (
            item.parentItem().data(1) if item is not None and item.parentItem() is not None else None)
        if step is not None:
            self.units_step.emit(*step)
            event.accept()
            return
        while item is not None and item.data(0) is None:
            item = item.parentItem()
        if item is not None and item.data(0) is not None and item.data(0)[0] >= 1:
            l, j = item.data(0)
            self._select(l, j)
            self.neuron_clicked.emit(l, j)
            event.accept()
            return
        link = self.link_at(event.position().toPoint())
        if link is not None:
            self.link_clicked.emit(*link)
            event.accept()
            return
        super().mousePressEvent(event)

    def link_at(self, point, reach=LINK_REACH):
        """(l, j, k) of the drawn link nearest the view position ``point`` within ``reach`` pixels, or None."""
        return nearest_link(self._links, self.mapToScene(point), reach)

    def mouseReleaseEvent(self, event):
        super().mouseReleaseEvent(event)
        event.accept()  # the press was ours (a click on the diagram)

    def _select(self, l, j):
        for units in self._neurons.values():
            for _, item in units:
                item.setPen(QPen(OUTLINE, 1.2))
        for unit, item in self._neurons.get(l, []):
            if unit == j:
                item.setPen(QPen(QColor(20, 20, 20), 3.2))
        self.selected_neuron = (l, j)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if event.size() != event.oldSize():
            self._build()

    # -- for tests ------------------------------------------------------------------------------------------
    def neuron_items(self, layer):
        """[(unit, QGraphicsEllipseItem)] drawn for ``layer`` (empty for a block input)."""
        return list(self._neurons.get(layer, []))

    def link_items(self, layer):
        """[(j, k, QGraphicsLineItem)] into ``layer``; k = −1 for links from the input block."""
        return list(self._links.get(layer, []))

    def shape_labels(self):
        """The texts under the columns: "W[l]: n×m", "b[l]: n×1"."""
        return [label.text() for label in self._labels]

    def input_block_text(self):
        if self._input_block is None:
            return None
        return " ".join(item.text() for item in self._input_block.childItems())

    def step_center(self, layer, delta):
        """The view position of the − (delta −1) or + (delta 1) beside hidden layer ``layer``'s title."""
        for item in self.scene().items():
            if item.data(1) == (layer, delta):
                return self.mapFromScene(item.sceneBoundingRect().center())
        raise KeyError((layer, delta))

    def neuron_center(self, layer, unit):
        """The view (widget) position of a drawn neuron's centre."""
        for j, item in self._neurons[layer]:
            if j == unit:
                return self.mapFromScene(item.sceneBoundingRect().center())
        raise KeyError((layer, unit))


if __name__ == "__main__":
    import pyqtgraph as pg

    app = pg.mkQApp("network view")
    views = []
    for dims, acts, shape in (((2, 4, 1), ["tanh", "sigmoid"], None),
                              ((12288, 20, 7, 5, 1), ["relu", "relu", "relu", "sigmoid"], (64, 64, 3))):
        view = NetworkView()
        view.set_architecture(dims, acts, shape)
        rng = np.random.RandomState(0)
        view.set_params({key: rng.randn(dims[l], dims[l - 1]) if key[0] == "W" else rng.randn(dims[l], 1)
                         for l in range(1, len(dims)) for key in (f"W{l}", f"b{l}")})
        view.resize(900, 600)
        view.show()
        views.append(view)
    app.exec()
