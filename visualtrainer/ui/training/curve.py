"""A polyline redrawn every frame at the cost of drawing it: pyqtgraph's PlotCurveItem recomputes its bounds from
the data (NaN-aware minima and maxima) and the pixel size (a chain of transforms in Python) each time its data
changes, several times a frame; here the path's bounds come from Qt with the path, padded by the pixel size read
from the view's range and size."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsItem


class Curve(pg.GraphicsObject):
    """(x, y) joined by straight lines in a one-pixel cosmetic pen, broken where y is not finite; for a ViewBox."""

    def __init__(self, pen):
        super().__init__()
        self._pen = pg.mkPen(pen)
        self._pen.setCosmetic(True)
        self.opts = {"pen": self._pen}  # what a LegendItem's sample draws
        self._x = self._y = np.zeros(0)
        self._path = QPainterPath()
        self._rect = QRectF()
        self.setFlag(QGraphicsItem.ItemHasNoContents)  # nothing to draw yet: the view skips the item's paint

    def setData(self, x, y):  # noqa: N802  (pyqtgraph's name, so the plot can use either item)
        """Draw (x, y) instead (kept as given: ``getData``)."""
        self._x, self._y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        self.prepareGeometryChange()
        if len(self._x) and np.isfinite(self._y).any():
            self._path = pg.arrayToQPath(self._x, self._y, connect="finite")
        else:
            self._path = QPainterPath()
        self._rect = self._padded(self._path.boundingRect())
        self.setFlag(QGraphicsItem.ItemHasNoContents, self._path.isEmpty())
        self.update()

    def getData(self):  # noqa: N802
        return self._x, self._y

    def _padded(self, rect):
        """``rect`` grown by a pixel on each side (the pen's half pixel, and the rounding of its ends), in the
        view's coordinates; as it is while no view holds the curve."""
        view = self.getViewBox() if self.parentItem() is not None else None
        if view is None or rect.isNull():
            return rect
        shown, size = view.viewRect(), view.size()
        if size.width() <= 0 or size.height() <= 0:
            return rect
        px, py = shown.width() / size.width(), shown.height() / size.height()
        return rect.adjusted(-px, -py, px, py)

    def viewTransformChanged(self):  # noqa: N802  (pyqtgraph calls it when the view's range changes)
        self.prepareGeometryChange()
        self._rect = self._padded(self._path.boundingRect())

    def dataBounds(self, ax, frac=1.0, orthoRange=None):  # noqa: N802, N803  (for the view's auto-range button)
        values = self._x if ax == 0 else self._y
        finite = values[np.isfinite(values)]
        return (float(finite.min()), float(finite.max())) if len(finite) else (None, None)

    def boundingRect(self):  # noqa: N802
        return self._rect

    def paint(self, painter, *args):
        painter.setPen(self._pen)
        painter.drawPath(self._path)
