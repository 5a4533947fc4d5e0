"""Parts of the network diagram drawn into its scene: the − and + beside a hidden layer's title, the value maps
inside the neurons (TensorFlow Playground's small heatmaps), and which link a click is nearest."""

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPixmapItem, QGraphicsRectItem

from ..colours import activation_colours, class_share_colours, region_colours


def colour_links(links, params, style):
    """Colour ``links`` (l -> [(j, k, QGraphicsLineItem)]; k < 0 from an input block) by the weights of ``params``
    ("W1" (n[1], n[0]), …): ``style(w, largest)`` gives (colour, width); a block's link shows its row's norm."""
    for l, lines in links.items():
        W = np.asarray(params[f"W{l}"])
        if lines and lines[0][1] < 0:
            norms = np.linalg.norm(W, axis=1)
            sums = W.sum(axis=1)
            largest = float(norms.max()) if norms.size else 0.0
            for j, _, line in lines:
                colour, width = style(norms[j] * (1 if sums[j] >= 0 else -1), largest)
                line.setPen(_pen(colour, width))
                line.setToolTip(f"‖W[{l}] row {j + 1}‖ = {norms[j]:.4g}  (weights from the {W.shape[1]} inputs)")
            continue
        largest = float(np.abs(W).max()) if W.size else 0.0
        for j, k, line in lines:
            w = float(W[j, k])
            colour, width = style(w, largest)
            line.setPen(_pen(colour, width))
            line.setToolTip(f"w[{l}]({j + 1},{k + 1}) = {w:.4g}")


def _pen(colour, width):
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.RoundCap)
    return pen


def draw_steps(scene, l, x, y, text):
    """A − and a + either side of hidden layer l's title at (x, y): one unit fewer or more. Each button carries
    (l, ±1) as its data(1); ``text(s, x, y, size=, bold=)`` adds a label to the scene."""
    for delta, sign, dx in ((-1, "−", -34.0), (1, "+", 34.0)):
        button = QGraphicsRectItem(x + dx - 9, y - 9, 18, 18)
        button.setPen(QPen(QColor(150, 150, 160), 1))
        button.setBrush(QBrush(QColor(246, 247, 250)))
        button.setData(1, (l, delta))
        button.setToolTip(f"{'Remove a unit from' if delta < 0 else 'Add a unit to'} A[{l}]")
        button.setCursor(Qt.PointingHandCursor)
        scene.addItem(button)
        text(sign, x + dx, y - 1, size=11, bold=True).setParentItem(button)


def paint_unit_maps(scene, neurons, layer_dims, maps):
    """Draw ``maps`` [X (n_x, ny, nx), A[1] (n[1], ny, nx), …, A[L]] (row 0 at the bottom; None clears) in the
    circles ``neurons`` (layer -> [(unit, item)]). Inputs and hidden units run from blue (negative) through white
    to vermilion (positive), at full colour at their layer's largest |value|; the output in the boundary plot's
    class colours."""
    L = len(layer_dims) - 1
    for l, units in neurons.items():
        values = None if maps is None or l >= len(maps) else np.asarray(maps[l])
        if values is not None and values.shape[0] != layer_dims[l]:
            values = None  # maps of another network's layer
        top = None if values is None else float(np.max(np.abs(values))) if values.size else 0.0
        for j, item in units:
            for child in item.childItems():
                if isinstance(child, QGraphicsPixmapItem):
                    scene.removeItem(child)
            if values is None:
                continue
            if l < L:
                rgba = activation_colours(values[j], top)
            elif values.shape[0] == 1:
                rgba = region_colours(values)
            else:
                rgba = class_share_colours(values[j], j)
            _paint_map(item, np.ascontiguousarray(rgba[::-1]))


def _paint_map(item, rgba):
    """``rgba`` (ny, nx, 4), row 0 at the top, inside the circle ``item``."""
    image = QImage(rgba.data, rgba.shape[1], rgba.shape[0], 4 * rgba.shape[1], QImage.Format_RGBA8888)
    box = item.rect()
    pixmap = QPixmap.fromImage(image.copy()).scaled(int(box.width()) + 1, int(box.height()) + 1,
                                                    Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    picture = QGraphicsPixmapItem(pixmap, item)
    picture.setPos(box.topLeft())
    picture.setZValue(-1)  # under the unit's number
    item.setFlag(QGraphicsItem.ItemClipsChildrenToShape)


def map_image(item):
    """The map drawn in the neuron ``item`` as a QImage, or None (None for no item)."""
    pictures = [] if item is None else [c for c in item.childItems() if isinstance(c, QGraphicsPixmapItem)]
    return pictures[0].pixmap().toImage() if pictures else None


def nearest_link(links, p, reach):
    """(l, j, k) of the link in ``links`` (l -> [(j, k, QGraphicsLineItem)]) nearest the scene point ``p`` within
    ``reach``, or None; links from an input block (k < 0) are not single weights."""
    best, nearest = None, reach
    for l, lines in links.items():
        for j, k, line in lines:
            if k < 0:
                continue
            a, b = line.line().p1(), line.line().p2()
            ab, ap = b - a, p - a
            length2 = QPointF.dotProduct(ab, ab)
            t = 0.0 if length2 == 0 else min(1.0, max(0.0, QPointF.dotProduct(ap, ab) / length2))
            gap = p - (a + ab * t)
            distance = (gap.x() ** 2 + gap.y() ** 2) ** 0.5
            if distance < nearest:
                best, nearest = (l, j, k), distance
    return best
